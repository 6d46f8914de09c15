//! `/imports`, `/exports` (jobs) and `/contacts/{id}/vcard`.
//!
//! An import takes the CSV file as the request body (`text/csv`, within the server's body
//! limit, `--max-body-bytes`; larger files go through `rapport import`) and its options as
//! query parameters. An export takes the list API's query string. Both answer 202 with the
//! job; `GET` the job for status, progress, counts and per-row errors.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rapport_app::exports;
use rapport_app::imports::ImportOptions;
use rapport_app::jobs::{self, JobView};
use rapport_core::object::ObjectType;
use rapport_core::{Id, UserId};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::records::RawParams;
use crate::extract::{ApiCaller, PathUuid};
use crate::json::{ApiJson, JsonResponse, RequestBody, read_limited};
use crate::problem::{ApiResult, Kind, Problem};
use crate::state::AppState;

/// A job as clients see it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Job)]
pub struct JobDto {
    pub id: Uuid,
    /// `import` or `export`.
    pub kind: String,
    /// `queued`, `running`, `succeeded` or `failed`.
    pub status: String,
    /// What was asked (object, options, query).
    #[schema(value_type = Object)]
    pub params: Json,
    pub progress: ProgressDto,
    /// Counts when finished: rows, created, updated, unchanged, skipped, error_count (imports);
    /// records and bytes (exports).
    #[schema(value_type = Object)]
    pub result: Option<Json>,
    /// Per-row errors: `{line, column, code, message}` (the first 1,000).
    #[schema(value_type = Vec<Object>)]
    pub errors: Json,
    pub created_by: Uuid,
    pub created_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    /// Where to download the file (exports that succeeded).
    pub file: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = JobProgress)]
pub struct ProgressDto {
    /// Rows read (imports) or records written (exports) so far.
    pub done: i64,
    pub total: Option<i64>,
}

fn dto(j: JobView) -> JobDto {
    let file = (j.kind == "export" && j.status == "succeeded")
        .then(|| format!("/api/v1/exports/{}/file", j.id));
    JobDto {
        id: j.id,
        kind: j.kind,
        status: j.status,
        params: j.params,
        progress: ProgressDto {
            done: j.done,
            total: j.total,
        },
        result: j.result,
        errors: j.errors,
        created_by: j.created_by.as_uuid(),
        created_at: j.created_at.to_rfc3339(),
        started_at: j.started_at.map(|t| t.to_rfc3339()),
        finished_at: j.finished_at.map(|t| t.to_rfc3339()),
        file,
    }
}

fn object_param(value: Option<&str>) -> Result<ObjectType, Problem> {
    let v = value.ok_or_else(|| {
        Problem::bad_request("object: is required (companies, contacts, leads or opportunities)")
    })?;
    rapport_app::imports::OBJECTS
        .into_iter()
        .find(|o| o.plural() == v || o.as_str() == v)
        .ok_or_else(|| {
            Problem::bad_request(format!(
                "object: {v:?} is not one of companies, contacts, leads, opportunities"
            ))
        })
}

fn require_csv(req: &Request) -> Result<(), Problem> {
    let ct = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "text/csv" {
        Ok(())
    } else if essence.is_empty() {
        Err(Problem::new(
            Kind::UnsupportedMediaType,
            "send the file as text/csv (Content-Type header missing)",
        ))
    } else {
        Err(Problem::new(
            Kind::UnsupportedMediaType,
            format!("send the file as text/csv, not {essence}"),
        ))
    }
}

#[utoipa::path(post, path = "/imports", tag = "imports", operation_id = "create_import",
    params(
        ("object" = String, Query, description = "companies, contacts, leads or opportunities"),
        ("dry_run" = Option<bool>, Query, description = "Validate every row and report what would happen; write nothing"),
        ("upsert" = Option<bool>, Query, description = "Update records matched by id, external_id, e-mail (contacts, leads) or domain (companies) instead of reporting them as duplicates"),
        ("skip_bad_rows" = Option<bool>, Query, description = "Import the good rows and report the bad ones (default: all-or-nothing)"),
        ("owner_id" = Option<Uuid>, Query, description = "The owner of every created record (default: you); you must be allowed to assign records to this user"),
        ("mapping" = Option<String>, Query, description = "JSON object: CSV header → field name (custom.key for custom fields), or null to leave the column out. Other headers match field names and labels, ignoring case, accents and punctuation"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request safe"),
    ),
    request_body(content = String, content_type = "text/csv", description = "The CSV file (UTF-8, header row first; at most 500 columns and 1 MiB per row)"),
    responses((status = 202, description = "Queued", body = JobDto,
        headers(("Location" = String, description = "The job's URL")))),
    security(("bearer" = [])))]
pub async fn create_import(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    params: RawParams,
    req: Request,
) -> ApiResult<JsonResponse<JobDto>> {
    params.only(&[
        "object",
        "dry_run",
        "upsert",
        "skip_bad_rows",
        "owner_id",
        "mapping",
    ])?;
    let mut options = ImportOptions::new(object_param(params.get("object"))?);
    options.dry_run = params.bool("dry_run")?;
    options.upsert = params.bool("upsert")?;
    options.skip_bad_rows = params.bool("skip_bad_rows")?;
    if let Some(owner) = params.get("owner_id") {
        let u = Uuid::try_parse(owner.trim())
            .map_err(|_| Problem::bad_request("owner_id: must be a user id (a UUID)"))?;
        options.owner = Some(UserId::from_uuid(u));
    }
    if let Some(m) = params.get("mapping") {
        options.mapping =
            serde_json::from_str::<BTreeMap<String, Option<String>>>(m).map_err(|_| {
                Problem::bad_request(
                    "mapping: must be a JSON object of CSV header → field name or null",
                )
            })?;
    }
    require_csv(&req)?;
    let body = read_limited(req.into_body(), s.config.max_body_bytes).await?;
    if body.is_empty() {
        return Err(Problem::bad_request("the body is empty: send the CSV file"));
    }
    let job = jobs::submit_import(&s.app, &c, options, &body).await?;
    let location = format!("/api/v1/imports/{}", job.id);
    let mut r = JsonResponse::created(dto(job), location);
    r.status = StatusCode::ACCEPTED;
    Ok(r)
}

#[utoipa::path(get, path = "/imports/{id}", tag = "imports", operation_id = "get_import",
    params(("id" = Uuid, Path, description = "The job's id")),
    responses((status = 200, description = "Status, progress, counts and per-row errors", body = JobDto)),
    security(("bearer" = [])))]
pub async fn get_import(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathUuid(id): PathUuid,
) -> ApiResult<JsonResponse<JobDto>> {
    Ok(JsonResponse::ok(dto(
        jobs::get(&s.app, &c, "import", id).await?
    )))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = NewExport)]
pub struct ExportBody {
    /// companies, contacts, leads or opportunities.
    pub object: String,
    /// The list API's query string: `filter[f][op]=v`, `sort`, `q`, `fields`, `trashed`
    /// (`limit` and `cursor` are ignored: an export holds every match).
    #[serde(default)]
    pub query: Option<String>,
}

impl RequestBody for ExportBody {}

#[utoipa::path(post, path = "/exports", tag = "exports", operation_id = "create_export",
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request safe")),
    request_body = ExportBody,
    responses((status = 202, description = "Queued", body = JobDto,
        headers(("Location" = String, description = "The job's URL")))),
    security(("bearer" = [])))]
pub async fn create_export(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiJson(body): ApiJson<ExportBody>,
) -> ApiResult<JsonResponse<JobDto>> {
    let object = object_param(Some(&body.object)).map_err(|_| {
        Problem::bad_request(format!(
            "object: {:?} is not one of companies, contacts, leads, opportunities",
            body.object
        ))
    })?;
    let query: Vec<(String, String)> = form_urlencoded::parse(
        body.query
            .as_deref()
            .unwrap_or("")
            .trim_start_matches('?')
            .as_bytes(),
    )
    .into_owned()
    .collect();
    let job = jobs::submit_export(&s.app, &c, object, query).await?;
    let location = format!("/api/v1/exports/{}", job.id);
    let mut r = JsonResponse::created(dto(job), location);
    r.status = StatusCode::ACCEPTED;
    Ok(r)
}

#[utoipa::path(get, path = "/exports/{id}", tag = "exports", operation_id = "get_export",
    params(("id" = Uuid, Path, description = "The job's id")),
    responses((status = 200, description = "Status and progress; file names the download when it succeeded", body = JobDto)),
    security(("bearer" = [])))]
pub async fn get_export(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathUuid(id): PathUuid,
) -> ApiResult<JsonResponse<JobDto>> {
    Ok(JsonResponse::ok(dto(
        jobs::get(&s.app, &c, "export", id).await?
    )))
}

fn download(bytes: Vec<u8>, content_type: &'static str, filename: &str) -> Response {
    let mut r = (StatusCode::OK, Body::from(bytes)).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

#[utoipa::path(get, path = "/exports/{id}/file", tag = "exports", operation_id = "download_export",
    params(("id" = Uuid, Path, description = "The job's id")),
    responses((status = 200, description = "The CSV file (cells that a spreadsheet could run as formulas are prefixed with ')", body = String, content_type = "text/csv"),
        (status = 409, description = "The export has not succeeded (yet)", body = crate::problem::ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn download_export(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathUuid(id): PathUuid,
) -> ApiResult<Response> {
    let (job, file) = jobs::export_file(&s.app, &c, id).await?;
    let object = job
        .params
        .get("object")
        .and_then(Json::as_str)
        .unwrap_or("records");
    Ok(download(
        file,
        "text/csv; charset=utf-8",
        &format!("{object}-{id}.csv"),
    ))
}

#[utoipa::path(get, path = "/contacts/{id}/vcard", tag = "contacts", operation_id = "contact_vcard",
    params(("id" = Uuid, Path, description = "The contact's id")),
    responses((status = 200, description = "The contact as a vCard 4.0 (RFC 6350), with the fields you may see", body = String, content_type = "text/vcard")),
    security(("bearer" = [])))]
pub async fn contact_vcard(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathUuid(id): PathUuid,
) -> ApiResult<Response> {
    let card = exports::contact_vcard(&s.app, &c, id).await?;
    Ok(download(
        card.into_bytes(),
        "text/vcard; charset=utf-8",
        &format!("{id}.vcf"),
    ))
}
