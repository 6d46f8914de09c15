//! Server-side UI sessions. The cookie carries the workspace id and a secret; only the
//! secret's SHA-256 is stored.

use rapport_core::{SessionId, Timestamp, UserId, WorkspaceId};
use sea_query::{Expr, ExprTrait, Query};

use crate::db::{Conn, Row, Tx, id, ts};
use crate::error::StoreError;
use crate::schema::{Sessions as S, Users as U};
use crate::tokens::{Holder, decode_holder};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: SessionId,
    pub user_id: UserId,
    pub csrf_token: String,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct NewSession {
    pub id: SessionId,
    pub user_id: UserId,
    pub hash: [u8; 32],
    pub csrf_token: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub now: Timestamp,
}

fn decode(r: &Row) -> Result<Session, StoreError> {
    Ok(Session {
        id: r.id("id")?,
        user_id: r.id("user_id")?,
        csrf_token: r.string("csrf_token")?,
        created_at: r.ts("created_at")?,
        last_seen_at: r.ts("last_seen_at")?,
    })
}

pub async fn insert(tx: &mut Tx, ws: WorkspaceId, s: &NewSession) -> Result<(), StoreError> {
    let q = Query::insert()
        .into_table(S::Table)
        .columns([
            S::WorkspaceId,
            S::Id,
            S::UserId,
            S::TokenHash,
            S::CsrfToken,
            S::CreatedAt,
            S::LastSeenAt,
            S::Ip,
            S::UserAgent,
        ])
        .values_panic([
            id(ws),
            id(s.id),
            id(s.user_id),
            s.hash.to_vec().into(),
            s.csrf_token.clone().into(),
            ts(s.now),
            ts(s.now),
            s.ip.clone().into(),
            s.user_agent.clone().into(),
        ])
        .to_owned();
    tx.execute(&q).await.map(drop)
}

/// The session with this secret hash and its user. Expiry is judged by the caller
/// (`core::session::evaluate`), which knows the configured timeouts.
pub async fn find(
    c: &mut Conn,
    ws: WorkspaceId,
    hash: &[u8; 32],
) -> Result<Option<(Session, Holder)>, StoreError> {
    let q = Query::select()
        .columns(
            [S::Id, S::UserId, S::CsrfToken, S::CreatedAt, S::LastSeenAt].map(|c| (S::Table, c)),
        )
        .expr_as(Expr::col((U::Table, U::Id)), "holder_id")
        .columns([
            (U::Table, U::Role),
            (U::Table, U::TeamId),
            (U::Table, U::Enabled),
        ])
        .from(S::Table)
        .inner_join(
            U::Table,
            Expr::col((U::Table, U::WorkspaceId))
                .equals((S::Table, S::WorkspaceId))
                .and(Expr::col((U::Table, U::Id)).equals((S::Table, S::UserId))),
        )
        .and_where(Expr::col((S::Table, S::WorkspaceId)).eq(id(ws)))
        .and_where(Expr::col((S::Table, S::TokenHash)).eq(hash.to_vec()))
        .to_owned();
    match c.fetch_optional(&q).await? {
        Some(r) => Ok(Some((decode(&r)?, decode_holder(&r)?))),
        None => Ok(None),
    }
}

pub async fn touch(
    tx: &mut Tx,
    ws: WorkspaceId,
    session: SessionId,
    now: Timestamp,
) -> Result<(), StoreError> {
    let q = Query::update()
        .table(S::Table)
        .value(S::LastSeenAt, ts(now))
        .and_where(Expr::col(S::WorkspaceId).eq(id(ws)))
        .and_where(Expr::col(S::Id).eq(id(session)))
        .to_owned();
    tx.execute(&q).await.map(drop)
}

pub async fn delete(tx: &mut Tx, ws: WorkspaceId, session: SessionId) -> Result<bool, StoreError> {
    let q = Query::delete()
        .from_table(S::Table)
        .and_where(Expr::col(S::WorkspaceId).eq(id(ws)))
        .and_where(Expr::col(S::Id).eq(id(session)))
        .to_owned();
    Ok(tx.execute(&q).await? > 0)
}

/// Ends every session of a user; returns how many.
pub async fn delete_all_of(tx: &mut Tx, ws: WorkspaceId, user: UserId) -> Result<u64, StoreError> {
    let q = Query::delete()
        .from_table(S::Table)
        .and_where(Expr::col(S::WorkspaceId).eq(id(ws)))
        .and_where(Expr::col(S::UserId).eq(id(user)))
        .to_owned();
    tx.execute(&q).await
}

/// Maintenance sweep across all workspaces: removes sessions idle since before
/// `idle_before` or created before `created_before`.
pub async fn sweep_expired(
    tx: &mut Tx,
    idle_before: Timestamp,
    created_before: Timestamp,
) -> Result<u64, StoreError> {
    let q = Query::delete()
        .from_table(S::Table)
        .cond_where(
            Expr::col(S::LastSeenAt)
                .lt(ts(idle_before))
                .or(Expr::col(S::CreatedAt).lt(ts(created_before))),
        )
        .to_owned();
    tx.execute(&q).await
}
