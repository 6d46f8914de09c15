//! Completes the generated OpenAPI document with what follows from our conventions rather
//! than from each handler: the problem responses every operation can give, the security
//! schemes, and the links from each create operation to the operations on what it made.

use utoipa::Modify;
use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder};
use utoipa::{PartialSchema, ToSchema};

use crate::problem::{FieldErrorBody, Kind, ProblemBody};

pub struct Finish;

impl Modify for Finish {
    fn modify(&self, doc: &mut OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.security_schemes.insert(
            "bearer".to_owned(),
            RefOr::T(SecurityScheme::Http(
                Http::builder()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("rpt_…")
                    .build(),
            )),
        );
        components.security_schemes.insert(
            "session".to_owned(),
            RefOr::T(SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                "rapport_session",
            )))),
        );
        components
            .schemas
            .insert("Problem".to_owned(), ProblemBody::schema());
        components
            .schemas
            .insert("FieldError".to_owned(), FieldErrorBody::schema());
        let _ = <ProblemBody as ToSchema>::name();
    }
}

/// Operations that read but are still refused to some callers (403).
const GUARDED_READS: &[&str] = &[
    "list_tokens",
    "list_audit_entries",
    "metrics",
    "get_field_rules",
];
/// Operations with a business conflict (409), by operation id.
const CONFLICTS: &[&str] = &[
    "update_user",
    "delete_team",
    "delete_company",
    "update_pipeline",
    "delete_pipeline",
];
/// Operations counted by the sign-in limiter (429).
const RATE_LIMITED: &[&str] = &["login", "change_my_password"];

fn problem(kind: Kind, description: &str) -> RefOr<utoipa::openapi::Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(format!("{} ({})", description, kind.type_uri()))
            .content(
                crate::problem::CONTENT_TYPE,
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            )
            .build(),
    )
}

fn add(op: &mut Operation, kind: Kind, description: &str) {
    let status = kind.status().as_u16().to_string();
    op.responses
        .responses
        .entry(status)
        .or_insert_with(|| problem(kind, description));
}

fn complete(path: &str, method: &str, op: &mut Operation) {
    let id = op.operation_id.clone().unwrap_or_default();
    let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
    let params = op.parameters.as_deref().unwrap_or_default();
    let has_query = params
        .iter()
        .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Query));
    let has_if_match = params
        .iter()
        .any(|p| matches!(p, RefOr::T(p) if p.name == "If-Match"));
    let writes = method != "get";

    if op.request_body.is_some() {
        add(op, Kind::BadRequest, "The body is not a JSON object");
        add(
            op,
            Kind::PayloadTooLarge,
            "The body is larger than the server accepts",
        );
        add(op, Kind::UnsupportedMediaType, "The body is not JSON");
        add(
            op,
            Kind::Validation,
            "A field is unknown, read-only, of the wrong type, missing or invalid",
        );
    }
    if has_query {
        add(
            op,
            Kind::BadRequest,
            "A query parameter or the cursor is malformed",
        );
    }
    if secured || id == "login" {
        add(op, Kind::Unauthenticated, "No valid credential");
    }
    if secured && (writes || GUARDED_READS.contains(&id.as_str())) {
        add(op, Kind::Forbidden, "The caller may see this but not do it");
    }
    if path.contains('{') || id == "metrics" {
        add(
            op,
            Kind::NotFound,
            "No such record, or the caller may not see it",
        );
    }
    if has_if_match {
        add(op, Kind::BadRequest, "If-Match is not an ETag");
        add(
            op,
            Kind::PreconditionFailed,
            "If-Match names an old version",
        );
    }
    if method == "post" && path.starts_with("/api/v1/") {
        add(
            op,
            Kind::Conflict,
            "A request with this Idempotency-Key is still running, or the state forbids it",
        );
        add(
            op,
            Kind::Validation,
            "The Idempotency-Key was used with another request",
        );
    }
    if CONFLICTS.contains(&id.as_str()) {
        add(
            op,
            Kind::Conflict,
            "The change conflicts with the state of the workspace",
        );
    }
    if RATE_LIMITED.contains(&id.as_str()) {
        add(op, Kind::RateLimited, "Too many attempts; see Retry-After");
    }
    if id != "healthz" && id != "openapi" {
        add(op, Kind::Unavailable, "The database is unavailable");
    }
    if writes {
        add(
            op,
            Kind::InsufficientStorage,
            "The database storage is full",
        );
    }
}

/// The `filter[field][op]` parameter of a record list, as a deepObject.
fn filter_parameter(
    object: rapport_core::object::ObjectType,
) -> Option<RefOr<utoipa::openapi::path::Parameter>> {
    let p = serde_json::json!({
        "name": "filter",
        "in": "query",
        "required": false,
        "style": "deepObject",
        "explode": true,
        "schema": crate::api::record_schema::filter_schema(object),
    });
    serde_json::from_value(p).ok().map(RefOr::T)
}

/// Adds problem responses to every operation and links from creates to their record.
pub fn finish_paths(doc: &mut OpenApi) {
    for object in rapport_core::object::ObjectType::ALL {
        if let Some(item) = doc
            .paths
            .paths
            .get_mut(&format!("/api/v1/{}", object.plural()))
            && let Some(op) = item.get.as_mut()
            && let Some(param) = filter_parameter(object)
        {
            op.parameters.get_or_insert_with(Vec::new).push(param);
        }
    }
    let mut record_ops: Vec<(String, String, String)> = Vec::new();
    for (path, item) in &doc.paths.paths {
        for (method, op) in [
            ("get", &item.get),
            ("patch", &item.patch),
            ("delete", &item.delete),
        ] {
            if let Some(op) = op
                && let Some(id) = &op.operation_id
                && path.ends_with("/{id}")
                && method != "post"
            {
                record_ops.push((
                    path.trim_end_matches("/{id}").to_owned(),
                    method.to_owned(),
                    id.clone(),
                ));
            }
        }
    }
    for (path, item) in doc.paths.paths.iter_mut() {
        for (method, op) in [
            ("get", &mut item.get),
            ("post", &mut item.post),
            ("patch", &mut item.patch),
            ("delete", &mut item.delete),
            ("put", &mut item.put),
        ] {
            let Some(op) = op else { continue };
            complete(path, method, op);
            if method == "post"
                && let Some(RefOr::T(created)) = op.responses.responses.get_mut("201")
            {
                for (collection, verb, target) in &record_ops {
                    if collection == path {
                        let link = LinkBuilder::new()
                            .operation_id(target.clone())
                            .parameter("id", "$response.body#/id")
                            .description(format!("{verb} what was created"))
                            .build();
                        created.links.insert(target.clone(), RefOr::T(link));
                    }
                }
            }
        }
    }
}

/// Every (method, path) the router serves, as documented.
pub fn routes(doc: &OpenApi) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (path, item) in &doc.paths.paths {
        for (method, op) in [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("PATCH", &item.patch),
            ("DELETE", &item.delete),
        ] {
            if op.is_some() {
                out.push((method.to_owned(), path.clone()));
            }
        }
    }
    out
}
