//! Idempotency keys (DESIGN §6): the first request with a key runs; repeats get its stored
//! answer; a repeat while the first still runs gets a conflict; the same key with another
//! body is refused. Keys live 24 hours.

use std::time::Duration;

use rapport_core::{Timestamp, UserId, WorkspaceId};
use sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use serde_json::Value as Json;

use crate::db::{Tx, id, json, ts};
use crate::error::StoreError;

pub const KEEP: Duration = Duration::from_secs(24 * 60 * 60);

/// Who sent the request and to where.
#[derive(Clone, Debug)]
pub struct Scope<'a> {
    pub ws: WorkspaceId,
    pub principal: UserId,
    pub method: &'a str,
    pub path: &'a str,
    pub key: &'a str,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Stored {
    pub status: u16,
    pub headers: Json,
    pub body: Vec<u8>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Claim {
    /// Run the request; then `complete` or `release`.
    New,
    Replay(Stored),
    InFlight,
    Mismatch,
}

fn a(c: &str) -> Alias {
    Alias::new(c)
}

fn key_filter(q: &mut sea_query::SelectStatement, s: &Scope<'_>) {
    q.and_where(Expr::col(a("workspace_id")).eq(id(s.ws)))
        .and_where(Expr::col(a("principal_id")).eq(id(s.principal)))
        .and_where(Expr::col(a("method")).eq(s.method))
        .and_where(Expr::col(a("path")).eq(s.path))
        .and_where(Expr::col(a("key")).eq(s.key));
}

/// Claims a key for a request with this body hash. `lease` bounds how long a request that
/// died without completing blocks its key.
pub async fn claim(
    tx: &mut Tx,
    s: &Scope<'_>,
    hash: &[u8],
    now: Timestamp,
    lease: Duration,
) -> Result<Claim, StoreError> {
    let insert = Query::insert()
        .into_table(a("idempotency_keys"))
        .columns(
            [
                "workspace_id",
                "principal_id",
                "method",
                "path",
                "key",
                "request_hash",
                "state",
                "created_at",
                "locked_until",
            ]
            .map(a),
        )
        .values_panic([
            id(s.ws),
            id(s.principal),
            Expr::val(s.method),
            Expr::val(s.path),
            Expr::val(s.key),
            Expr::val(hash.to_vec()),
            Expr::val("in_flight"),
            ts(now),
            ts(now.saturating_add(lease)),
        ])
        .on_conflict(
            OnConflict::columns(["workspace_id", "principal_id", "method", "path", "key"].map(a))
                .do_nothing()
                .to_owned(),
        )
        .to_owned();
    if tx.execute(&insert).await? == 1 {
        return Ok(Claim::New);
    }
    let mut q = Query::select();
    q.columns(
        [
            "request_hash",
            "state",
            "status",
            "headers",
            "body",
            "created_at",
            "locked_until",
        ]
        .map(a),
    )
    .from(a("idempotency_keys"))
    .lock(sea_query::LockType::Update);
    key_filter(&mut q, s);
    let row = tx.fetch_one(&q).await?;
    let expired = row.ts("created_at")?.saturating_add(KEEP) <= now;
    let abandoned = row.string("state")? == "in_flight" && row.ts("locked_until")? <= now;
    if expired || abandoned {
        let take = Query::update()
            .table(a("idempotency_keys"))
            .values([
                (a("request_hash"), Expr::val(hash.to_vec())),
                (a("state"), Expr::val("in_flight")),
                (a("status"), Expr::val(None::<i64>)),
                (a("body"), Expr::val(None::<Vec<u8>>)),
                (a("created_at"), ts(now)),
                (a("locked_until"), ts(now.saturating_add(lease))),
            ])
            .and_where(Expr::col(a("workspace_id")).eq(id(s.ws)))
            .and_where(Expr::col(a("principal_id")).eq(id(s.principal)))
            .and_where(Expr::col(a("method")).eq(s.method))
            .and_where(Expr::col(a("path")).eq(s.path))
            .and_where(Expr::col(a("key")).eq(s.key))
            .to_owned();
        tx.execute(&take).await?;
        return Ok(Claim::New);
    }
    if row.bytes("request_hash")? != hash {
        return Ok(Claim::Mismatch);
    }
    if row.string("state")? == "in_flight" {
        return Ok(Claim::InFlight);
    }
    Ok(Claim::Replay(Stored {
        status: u16::try_from(row.opt_i64("status")?.unwrap_or(200)).unwrap_or(200),
        headers: row.opt_json("headers")?.unwrap_or(Json::Null),
        body: row.opt_bytes("body")?.unwrap_or_default(),
    }))
}

fn key_update(s: &Scope<'_>) -> sea_query::UpdateStatement {
    Query::update()
        .table(a("idempotency_keys"))
        .and_where(Expr::col(a("workspace_id")).eq(id(s.ws)))
        .and_where(Expr::col(a("principal_id")).eq(id(s.principal)))
        .and_where(Expr::col(a("method")).eq(s.method))
        .and_where(Expr::col(a("path")).eq(s.path))
        .and_where(Expr::col(a("key")).eq(s.key))
        .to_owned()
}

pub async fn complete(tx: &mut Tx, s: &Scope<'_>, answer: &Stored) -> Result<(), StoreError> {
    let mut q = key_update(s);
    q.values([
        (a("state"), Expr::val("done")),
        (a("status"), Expr::val(i64::from(answer.status))),
        (a("headers"), json(answer.headers.clone())),
        (a("body"), Expr::val(answer.body.clone())),
    ]);
    tx.execute(&q).await.map(drop)
}

/// Frees a key whose request failed in a way worth retrying (5xx).
pub async fn release(tx: &mut Tx, s: &Scope<'_>) -> Result<(), StoreError> {
    let q = Query::delete()
        .from_table(a("idempotency_keys"))
        .and_where(Expr::col(a("workspace_id")).eq(id(s.ws)))
        .and_where(Expr::col(a("principal_id")).eq(id(s.principal)))
        .and_where(Expr::col(a("method")).eq(s.method))
        .and_where(Expr::col(a("path")).eq(s.path))
        .and_where(Expr::col(a("key")).eq(s.key))
        .to_owned();
    tx.execute(&q).await.map(drop)
}

/// Maintenance across workspaces: forgets keys older than a day.
pub async fn sweep(tx: &mut Tx, now: Timestamp) -> Result<u64, StoreError> {
    let q = Query::delete()
        .from_table(a("idempotency_keys"))
        .and_where(Expr::col(a("created_at")).lt(ts(now.saturating_sub(KEEP))))
        .to_owned();
    tx.execute(&q).await
}
