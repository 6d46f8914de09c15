//! Jobs: imports and exports run by a worker, with progress, result and errors.
//!
//! Workers claim queued jobs (and running jobs whose lease ran out) with
//! `FOR UPDATE SKIP LOCKED` on PostgreSQL, so several nodes never take the same job; on
//! SQLite the single writer serialises claims. `claim` is the one function here that reads
//! across workspaces (like the maintenance sweeps): a worker serves every workspace.

use rapport_core::{Timestamp, UserId, WorkspaceId};
use sea_query::{Alias, Expr, ExprTrait, LockBehavior, LockType, Order, Query};
use serde_json::Value as Json;
use uuid::Uuid;

use crate::db::{Backend, Conn, Row, Tx, id, json, opt_json, opt_ts, opt_uuid, ts};
use crate::error::StoreError;

fn a(c: &str) -> Alias {
    Alias::new(c)
}

#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pub workspace_id: WorkspaceId,
    pub id: Uuid,
    pub kind: String,
    pub status: String,
    pub params: Json,
    pub progress_done: i64,
    pub progress_total: Option<i64>,
    pub result: Option<Json>,
    pub errors: Json,
    pub created_by: UserId,
    pub created_at: Timestamp,
    pub started_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
    pub attempts: i64,
}

const COLUMNS: [&str; 14] = [
    "workspace_id",
    "id",
    "kind",
    "status",
    "params",
    "progress_done",
    "progress_total",
    "result",
    "errors",
    "created_by",
    "created_at",
    "started_at",
    "finished_at",
    "attempts",
];

fn decode(r: &Row) -> Result<Job, StoreError> {
    Ok(Job {
        workspace_id: r.id("workspace_id")?,
        id: r.uuid_col("id")?,
        kind: r.string("kind")?,
        status: r.string("status")?,
        params: r.opt_json("params")?.unwrap_or(Json::Null),
        progress_done: r.i64("progress_done")?,
        progress_total: r.opt_i64("progress_total")?,
        result: r.opt_json("result")?,
        errors: r.opt_json("errors")?.unwrap_or(Json::Array(Vec::new())),
        created_by: r.id("created_by")?,
        created_at: r.ts("created_at")?,
        started_at: r.opt_ts("started_at")?,
        finished_at: r.opt_ts("finished_at")?,
        attempts: r.i64("attempts")?,
    })
}

/// A job to queue.
#[derive(Debug)]
pub struct NewJob<'a> {
    pub id: Uuid,
    pub kind: &'a str,
    pub params: &'a Json,
    pub input: Option<&'a [u8]>,
    pub created_by: UserId,
    pub now: Timestamp,
}

pub async fn insert(tx: &mut Tx, ws: WorkspaceId, job: &NewJob<'_>) -> Result<(), StoreError> {
    let q = Query::insert()
        .into_table(a("jobs"))
        .columns(
            [
                "workspace_id",
                "id",
                "kind",
                "status",
                "params",
                "input",
                "created_by",
                "created_at",
            ]
            .map(a),
        )
        .values_panic([
            id(ws),
            opt_uuid(Some(job.id)),
            Expr::val(job.kind),
            Expr::val("queued"),
            json(job.params.clone()),
            Expr::val(job.input.map(<[u8]>::to_vec)),
            id(job.created_by),
            ts(job.now),
        ])
        .to_owned();
    tx.execute(&q).await.map(drop)
}

/// Serialises job submissions of a workspace on PostgreSQL (the row lock on the workspace
/// is held until commit), so that two submissions cannot both pass the cap. SQLite's single
/// writer serialises them already.
pub async fn lock_workspace(tx: &mut Tx, ws: WorkspaceId) -> Result<(), StoreError> {
    if tx.backend() != Backend::Postgres {
        return Ok(());
    }
    let q = Query::select()
        .column(a("id"))
        .from(a("workspaces"))
        .and_where(Expr::col(a("id")).eq(id(ws)))
        .lock(LockType::Update)
        .to_owned();
    tx.fetch_optional(&q).await.map(drop)
}

/// How many jobs of these kinds are queued or running in the workspace.
pub async fn active(c: &mut Conn, ws: WorkspaceId, kinds: &[&str]) -> Result<i64, StoreError> {
    let q = Query::select()
        .expr_as(Expr::cust("COUNT(*)"), a("n"))
        .from(a("jobs"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a("kind")).is_in(kinds.iter().copied()))
        .and_where(Expr::col(a("status")).is_in(["queued", "running"]))
        .to_owned();
    c.fetch_one(&q).await?.i64("n")
}

pub async fn get(c: &mut Conn, ws: WorkspaceId, job: Uuid) -> Result<Option<Job>, StoreError> {
    let q = Query::select()
        .columns(COLUMNS.map(a))
        .from(a("jobs"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a("id")).eq(opt_uuid(Some(job))))
        .to_owned();
    c.fetch_optional(&q).await?.as_ref().map(decode).transpose()
}

async fn bytes(
    c: &mut Conn,
    ws: WorkspaceId,
    job: Uuid,
    column: &str,
) -> Result<Option<Vec<u8>>, StoreError> {
    let q = Query::select()
        .column(a(column))
        .from(a("jobs"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a("id")).eq(opt_uuid(Some(job))))
        .to_owned();
    Ok(c.fetch_optional(&q)
        .await?
        .map(|r| r.opt_bytes(column))
        .transpose()?
        .flatten())
}

/// The uploaded file of an import.
pub async fn input(
    c: &mut Conn,
    ws: WorkspaceId,
    job: Uuid,
) -> Result<Option<Vec<u8>>, StoreError> {
    bytes(c, ws, job, "input").await
}

/// The file an export made.
pub async fn output(
    c: &mut Conn,
    ws: WorkspaceId,
    job: Uuid,
) -> Result<Option<Vec<u8>>, StoreError> {
    bytes(c, ws, job, "output").await
}

/// Takes the oldest queued job, or a running one whose lease ran out, for `worker` until
/// `lease_until`. Jobs that were taken `max_attempts` times already are left alone (see
/// [`abandoned`]). Reads across workspaces: a worker serves them all.
pub async fn claim(
    tx: &mut Tx,
    worker: &str,
    now: Timestamp,
    lease_until: Timestamp,
    max_attempts: i64,
) -> Result<Option<Job>, StoreError> {
    let mut q = Query::select();
    q.columns([a("workspace_id"), a("id")])
        .from(a("jobs"))
        .cond_where(
            sea_query::Cond::any()
                .add(Expr::col(a("status")).eq("queued"))
                .add(
                    Expr::col(a("status"))
                        .eq("running")
                        .and(Expr::col(a("lease_until")).lt(ts(now))),
                ),
        )
        .and_where(Expr::col(a("attempts")).lt(max_attempts))
        .order_by(a("created_at"), Order::Asc)
        .limit(1);
    if tx.backend() == Backend::Postgres {
        q.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let Some(row) = tx.fetch_optional(&q).await? else {
        return Ok(None);
    };
    let ws: WorkspaceId = row.id("workspace_id")?;
    let job = row.uuid_col("id")?;
    let q = Query::update()
        .table(a("jobs"))
        .values([
            (a("status"), Expr::val("running")),
            (a("lease_owner"), Expr::val(worker)),
            (a("lease_until"), ts(lease_until)),
            (
                a("started_at"),
                sea_query::Func::coalesce([Expr::col(a("started_at")), ts(now)]).into(),
            ),
        ])
        .value(a("attempts"), Expr::col(a("attempts")).add(1))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a("id")).eq(opt_uuid(Some(job))))
        .to_owned();
    tx.execute(&q).await?;
    get(tx, ws, job).await
}

/// Jobs whose lease ran out after their last attempt: the worker marks them failed.
/// Reads across workspaces, like `claim`.
pub async fn abandoned(
    c: &mut Conn,
    now: Timestamp,
    max_attempts: i64,
) -> Result<Vec<(WorkspaceId, Uuid)>, StoreError> {
    let q = Query::select()
        .columns([a("workspace_id"), a("id")])
        .from(a("jobs"))
        .and_where(Expr::col(a("status")).eq("running"))
        .and_where(Expr::col(a("lease_until")).lt(ts(now)))
        .and_where(Expr::col(a("attempts")).gte(max_attempts))
        .limit(100)
        .to_owned();
    c.fetch_all(&q)
        .await?
        .iter()
        .map(|r| Ok((r.id("workspace_id")?, r.uuid_col("id")?)))
        .collect()
}

/// Records progress and extends the lease.
pub async fn progress(
    tx: &mut Tx,
    ws: WorkspaceId,
    job: Uuid,
    done: i64,
    total: Option<i64>,
    lease_until: Timestamp,
) -> Result<(), StoreError> {
    let q = Query::update()
        .table(a("jobs"))
        .values([
            (a("progress_done"), Expr::val(done)),
            (a("progress_total"), Expr::val(total)),
            (a("lease_until"), ts(lease_until)),
        ])
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a("id")).eq(opt_uuid(Some(job))))
        .to_owned();
    tx.execute(&q).await.map(drop)
}

/// How a job ended.
#[derive(Debug)]
pub struct Finish<'a> {
    pub succeeded: bool,
    pub done: i64,
    pub total: Option<i64>,
    pub result: Json,
    pub errors: Json,
    pub output: Option<&'a [u8]>,
    pub now: Timestamp,
}

pub async fn finish(
    tx: &mut Tx,
    ws: WorkspaceId,
    job: Uuid,
    f: &Finish<'_>,
) -> Result<(), StoreError> {
    let q = Query::update()
        .table(a("jobs"))
        .values([
            (
                a("status"),
                Expr::val(if f.succeeded { "succeeded" } else { "failed" }),
            ),
            (a("progress_done"), Expr::val(f.done)),
            (a("progress_total"), Expr::val(f.total)),
            (a("result"), opt_json(Some(f.result.clone()))),
            (a("errors"), json(f.errors.clone())),
            (a("output"), Expr::val(f.output.map(<[u8]>::to_vec))),
            (a("finished_at"), opt_ts(Some(f.now))),
            (a("lease_owner"), Expr::val(None::<String>)),
            (a("lease_until"), opt_ts(None)),
            // The uploaded file is not needed any more.
            (a("input"), Expr::val(None::<Vec<u8>>)),
        ])
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a("id")).eq(opt_uuid(Some(job))))
        .to_owned();
    tx.execute(&q).await.map(drop)
}
