//! Imports and exports as jobs: queued by the API, run by the worker in `rapport serve` (or
//! `rapport worker`), watched with `GET /imports/{id}` and `GET /exports/{id}`.
//!
//! At most [`MAX_ACTIVE`] imports and exports may be queued or running per workspace
//! (SECURITY S14); the next one is refused with 429. A job runs as the user who queued it,
//! with that user's role and team *when it runs* (a user disabled meanwhile fails the job).
//! Only its creator or an admin can see a job or download its file; to anyone else it does
//! not exist (404).

use std::time::Duration;

use rapport_core::object::ObjectType;
use rapport_core::policy::{Principal, Scope};
use rapport_core::{Role, Timestamp, UserId, WorkspaceId};
use rapport_store::jobs::{self, Finish, Job, NewJob};
use rapport_store::users;
use serde::{Deserialize, Serialize};
use serde_json::{Value as Json, json};
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::exports;
use crate::imports::{self, ImportOptions, ImportReport, RowError};
use crate::{App, Caller, RequestMeta};

/// Imports and exports a workspace may have queued or running at once.
pub const MAX_ACTIVE: i64 = 2;
/// How long a claimed job is held before another worker may take it up again.
pub const LEASE: Duration = Duration::from_secs(600);
/// A job taken up this many times (its workers died) is failed instead of tried again.
pub const MAX_ATTEMPTS: i64 = 3;
/// The largest file an export job keeps; larger exports are run with `rapport export`.
pub const MAX_EXPORT_BYTES: u64 = 64 * 1024 * 1024;

/// What a client sees of a job.
#[derive(Clone, Debug, PartialEq)]
pub struct JobView {
    pub id: Uuid,
    pub kind: String,
    pub status: String,
    pub params: Json,
    pub done: i64,
    pub total: Option<i64>,
    pub result: Option<Json>,
    pub errors: Json,
    pub created_by: UserId,
    pub created_at: Timestamp,
    pub started_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
}

impl From<Job> for JobView {
    fn from(j: Job) -> Self {
        JobView {
            id: j.id,
            kind: j.kind,
            status: j.status,
            params: j.params,
            done: j.progress_done,
            total: j.progress_total,
            result: j.result,
            errors: j.errors,
            created_by: j.created_by,
            created_at: j.created_at,
            started_at: j.started_at,
            finished_at: j.finished_at,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct ExportParams {
    object: ObjectType,
    query: Vec<(String, String)>,
    scope: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct ImportParams {
    #[serde(flatten)]
    options: ImportOptions,
    scope: String,
}

fn scope_name(s: Scope) -> &'static str {
    match s {
        Scope::Read => "read",
        Scope::ReadWrite => "read_write",
    }
}

async fn queue(
    app: &App,
    caller: &Caller,
    kind: &str,
    params: Json,
    input: Option<&[u8]>,
) -> AppResult<JobView> {
    let p = &caller.principal;
    let ws = p.workspace_id;
    let mut tx = app.db.write().await?;
    jobs::lock_workspace(&mut tx, ws).await?;
    if jobs::active(&mut tx, ws, &["import", "export"]).await? >= MAX_ACTIVE {
        return Err(AppError::TooManyJobs {
            message: format!(
                "this workspace already has {MAX_ACTIVE} imports or exports queued or running; \
                 try again when one has finished"
            ),
        });
    }
    let id = Uuid::now_v7();
    jobs::insert(
        &mut tx,
        ws,
        &NewJob {
            id,
            kind,
            params: &params,
            input,
            created_by: p.user_id,
            now: app.now(),
        },
    )
    .await?;
    let job = jobs::get(&mut tx, ws, id)
        .await?
        .ok_or(AppError::Internal)?;
    tx.commit().await?;
    Ok(job.into())
}

/// Queues an import of `file`. The options are checked now (object, owner, write access) so
/// that a hopeless job is refused at once; rows are checked when the job runs.
pub async fn submit_import(
    app: &App,
    caller: &Caller,
    options: ImportOptions,
    file: &[u8],
) -> AppResult<JobView> {
    let p = &caller.principal;
    crate::records::authorize_writer(p)?;
    if !imports::OBJECTS.contains(&options.object) {
        return Err(AppError::invalid(rapport_core::FieldError::new(
            "object",
            rapport_core::ErrorCode::InvalidValue,
            "must be one of companies, contacts, leads, opportunities",
        )));
    }
    if let Some(owner) = options.owner {
        let mut c = app.db.read().await?;
        let viewer = crate::records::viewer(&mut c, p).await?;
        let teams = rapport_store::records::user_teams(&mut c, p.workspace_id, &[owner]).await?;
        let Some(team) = teams.get(&owner) else {
            return Err(AppError::invalid(rapport_core::FieldError::new(
                "owner_id",
                rapport_core::ErrorCode::UnknownReference,
                "no such user",
            )));
        };
        rapport_core::access::authorize_owner(&viewer, owner, *team)
            .map_err(AppError::Forbidden)?;
    }
    let params = serde_json::to_value(ImportParams {
        options,
        scope: scope_name(p.scope).to_owned(),
    })
    .map_err(|_| AppError::Internal)?;
    queue(app, caller, "import", params, Some(file)).await
}

/// Queues a CSV export of a list view (`query` as the list API takes it).
pub async fn submit_export(
    app: &App,
    caller: &Caller,
    object: ObjectType,
    query: Vec<(String, String)>,
) -> AppResult<JobView> {
    // The query is checked now, so that a bad filter is a 400 rather than a failed job.
    {
        let mut c = app.db.read().await?;
        let ctx = crate::records::RecordContext::load(&mut c, &caller.principal, object).await?;
        let schema = rapport_core::query::Schema {
            object,
            custom: &ctx.custom,
            ctx: ctx.parse,
        };
        let q: Vec<(String, String)> = query
            .iter()
            .filter(|(k, _)| k != "limit" && k != "cursor")
            .cloned()
            .collect();
        rapport_core::query::parse(&schema, &q, &|f: &str| ctx.visible(f))
            .map_err(AppError::BadQuery)?;
    }
    let params = serde_json::to_value(ExportParams {
        object,
        query,
        scope: scope_name(caller.principal.scope).to_owned(),
    })
    .map_err(|_| AppError::Internal)?;
    queue(app, caller, "export", params, None).await
}

/// A job of `kind`, if the caller made it or is an admin.
pub async fn get(app: &App, caller: &Caller, kind: &str, id: Uuid) -> AppResult<JobView> {
    let p = &caller.principal;
    let mut c = app.db.read().await?;
    let job = jobs::get(&mut c, p.workspace_id, id)
        .await?
        .filter(|j| j.kind == kind && (j.created_by == p.user_id || p.role == Role::Admin))
        .ok_or(AppError::NotFound)?;
    Ok(job.into())
}

/// The file of a finished export (404 until it has one).
pub async fn export_file(app: &App, caller: &Caller, id: Uuid) -> AppResult<(JobView, Vec<u8>)> {
    let job = get(app, caller, "export", id).await?;
    if job.status != "succeeded" {
        return Err(AppError::Conflict {
            code: "not_ready",
            message: format!(
                "the export is {}; download it when it has succeeded",
                job.status
            ),
        });
    }
    let mut c = app.db.read().await?;
    let file = jobs::output(&mut c, caller.principal.workspace_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((job, file))
}

/// The caller a job runs as: its creator as they are now.
async fn runner(app: &App, ws: WorkspaceId, user: UserId, scope: &str) -> AppResult<Caller> {
    let mut c = app.db.read().await?;
    let u = users::get(&mut c, ws, user)
        .await?
        .filter(|u| u.enabled)
        .ok_or(AppError::Unauthenticated)?;
    let scope = if scope == "read_write" {
        Scope::ReadWrite
    } else {
        Scope::Read
    };
    Ok(Caller {
        principal: Principal {
            workspace_id: ws,
            user_id: u.id,
            role: u.role,
            team_id: u.team_id,
            scope,
        },
        meta: RequestMeta {
            request_id: None,
            ip: None,
            user_agent: Some("rapport worker".into()),
        },
    })
}

fn failure(e: &AppError) -> Json {
    let (code, message) = match e {
        AppError::Invalid(errors) => (
            "invalid",
            errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        AppError::Forbidden(f) => ("forbidden", f.to_string()),
        AppError::Unauthenticated => (
            "forbidden",
            "the user who queued the job can no longer sign in".into(),
        ),
        AppError::BadQuery(q) => ("bad_query", q.to_string()),
        AppError::Conflict { code, message } => (*code, message.clone()),
        other => ("internal", other.to_string()),
    };
    json!([{"line": null, "column": null, "code": code, "message": message}])
}

/// Claims and runs one job; `false` when none was waiting.
pub async fn run_next(app: &App, worker: &str) -> AppResult<bool> {
    let now = app.now();
    {
        // Jobs whose workers kept dying are failed rather than retried for ever.
        let mut c = app.db.read().await?;
        let dead = jobs::abandoned(&mut c, now, MAX_ATTEMPTS).await?;
        drop(c);
        for (ws, id) in dead {
            let mut tx = app.db.write().await?;
            jobs::finish(
                &mut tx,
                ws,
                id,
                &Finish {
                    succeeded: false,
                    done: 0,
                    total: None,
                    result: json!({}),
                    errors: json!([{"line": null, "column": null, "code": "abandoned",
                        "message": "the job was interrupted too many times"}]),
                    output: None,
                    now,
                },
            )
            .await?;
            tx.commit().await?;
        }
    }
    let job = {
        let mut tx = app.db.write().await?;
        let job = jobs::claim(
            &mut tx,
            worker,
            now,
            now.saturating_add(LEASE),
            MAX_ATTEMPTS,
        )
        .await?;
        tx.commit().await?;
        job
    };
    let Some(job) = job else {
        return Ok(false);
    };
    let ws = job.workspace_id;
    let outcome = run(app, &job).await;
    let finish = match outcome {
        Ok(f) => f,
        Err(e) => {
            tracing::warn!(job = %job.id, error = %e, "job failed");
            Done {
                succeeded: false,
                done: 0,
                total: None,
                result: json!({}),
                errors: failure(&e),
                output: None,
            }
        }
    };
    let mut tx = app.db.write().await?;
    jobs::finish(
        &mut tx,
        ws,
        job.id,
        &Finish {
            succeeded: finish.succeeded,
            done: finish.done,
            total: finish.total,
            result: finish.result,
            errors: finish.errors,
            output: finish.output.as_deref(),
            now: app.now(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

struct Done {
    succeeded: bool,
    done: i64,
    total: Option<i64>,
    result: Json,
    errors: Json,
    output: Option<Vec<u8>>,
}

async fn run(app: &App, job: &Job) -> AppResult<Done> {
    let ws = job.workspace_id;
    match job.kind.as_str() {
        "import" => {
            let params: ImportParams =
                serde_json::from_value(job.params.clone()).map_err(|_| AppError::Internal)?;
            let caller = runner(app, ws, job.created_by, &params.scope).await?;
            let file = {
                let mut c = app.db.read().await?;
                jobs::input(&mut c, ws, job.id).await?.unwrap_or_default()
            };
            let mut input = std::io::Cursor::new(file);
            let report: ImportReport = imports::import(
                app,
                &caller,
                &params.options,
                &mut input,
                Some(job.id),
                &mut |_| {},
            )
            .await?;
            let rows = i64::try_from(report.rows).unwrap_or(i64::MAX);
            let errors: &[RowError] = &report.errors;
            Ok(Done {
                succeeded: report.succeeded,
                done: rows,
                total: Some(rows),
                errors: serde_json::to_value(errors).map_err(|_| AppError::Internal)?,
                result: json!({
                    "dry_run": report.dry_run,
                    "rows": report.rows,
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "skipped": report.skipped,
                    "error_count": report.error_count,
                }),
                output: None,
            })
        }
        "export" => {
            let params: ExportParams =
                serde_json::from_value(job.params.clone()).map_err(|_| AppError::Internal)?;
            let caller = runner(app, ws, job.created_by, &params.scope).await?;
            let mut out: Vec<u8> = Vec::new();
            let n = exports::export_csv(
                app,
                &caller,
                params.object,
                &params.query,
                &mut out,
                Some(MAX_EXPORT_BYTES),
            )
            .await?;
            let n = i64::try_from(n).unwrap_or(i64::MAX);
            Ok(Done {
                succeeded: true,
                done: n,
                total: Some(n),
                result: json!({"records": n, "bytes": out.len()}),
                errors: json!([]),
                output: Some(out),
            })
        }
        _ => Err(AppError::Internal),
    }
}

/// The worker loop: runs jobs until `stop` resolves, polling every `idle` when the queue is
/// empty. Errors are logged and the loop goes on.
pub async fn work(
    app: App,
    worker: String,
    idle: Duration,
    stop: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(stop);
    loop {
        let ran = match run_next(&app, &worker).await {
            Ok(ran) => ran,
            Err(e) => {
                tracing::warn!(error = %e, "job worker");
                false
            }
        };
        if ran {
            continue;
        }
        tokio::select! {
            () = &mut stop => return,
            () = tokio::time::sleep(idle) => {}
        }
    }
}
