//! API tokens. Only the SHA-256 of a token's secret is stored.

use rapport_core::policy::Scope;
use rapport_core::{Role, TeamId, Timestamp, TokenId, UserId, WorkspaceId};
use sea_query::{Expr, ExprTrait, Order, Query, SelectStatement};

use crate::Page;
use crate::db::{Conn, Row, Tx, id, opt_ts, ts};
use crate::error::StoreError;
use crate::schema::{ApiTokens as K, Users as U};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: TokenId,
    pub user_id: UserId,
    pub name: String,
    pub hint: String,
    pub scope: Scope,
    pub expires_at: Option<Timestamp>,
    pub last_used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct NewToken {
    pub id: TokenId,
    pub user_id: UserId,
    pub name: String,
    pub hash: [u8; 32],
    pub hint: String,
    pub scope: Scope,
    pub expires_at: Option<Timestamp>,
    pub now: Timestamp,
}

/// The user behind a credential, as authentication needs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub user_id: UserId,
    pub role: Role,
    pub team_id: Option<TeamId>,
    pub enabled: bool,
}

const COLUMNS: [K; 9] = [
    K::Id,
    K::UserId,
    K::Name,
    K::Hint,
    K::Scope,
    K::ExpiresAt,
    K::LastUsedAt,
    K::RevokedAt,
    K::CreatedAt,
];

fn decode(r: &Row) -> Result<ApiToken, StoreError> {
    let scope = r.string("scope")?;
    Ok(ApiToken {
        id: r.id("id")?,
        user_id: r.id("user_id")?,
        name: r.string("name")?,
        hint: r.string("hint")?,
        scope: Scope::parse(&scope)
            .ok_or_else(|| StoreError::Decode(format!("unknown scope {scope:?}")))?,
        expires_at: r.opt_ts("expires_at")?,
        last_used_at: r.opt_ts("last_used_at")?,
        revoked_at: r.opt_ts("revoked_at")?,
        created_at: r.ts("created_at")?,
    })
}

pub(crate) fn decode_holder(r: &Row) -> Result<Holder, StoreError> {
    let role = r.string("role")?;
    Ok(Holder {
        user_id: r.id("holder_id")?,
        role: role
            .parse()
            .map_err(|_| StoreError::Decode(format!("unknown role {role:?}")))?,
        team_id: r.opt_id("team_id")?,
        enabled: r.bool("enabled")?,
    })
}

fn select(ws: WorkspaceId) -> SelectStatement {
    Query::select()
        .columns(COLUMNS.map(|c| (K::Table, c)))
        .from(K::Table)
        .and_where(Expr::col((K::Table, K::WorkspaceId)).eq(id(ws)))
        .to_owned()
}

pub async fn insert(tx: &mut Tx, ws: WorkspaceId, t: &NewToken) -> Result<ApiToken, StoreError> {
    let q = Query::insert()
        .into_table(K::Table)
        .columns([
            K::WorkspaceId,
            K::Id,
            K::UserId,
            K::Name,
            K::TokenHash,
            K::Hint,
            K::Scope,
            K::ExpiresAt,
            K::CreatedAt,
        ])
        .values_panic([
            id(ws),
            id(t.id),
            id(t.user_id),
            t.name.clone().into(),
            t.hash.to_vec().into(),
            t.hint.clone().into(),
            t.scope.as_str().into(),
            opt_ts(t.expires_at),
            ts(t.now),
        ])
        .to_owned();
    tx.execute(&q).await?;
    get(tx, ws, t.id).await?.ok_or(StoreError::NotFound)
}

pub async fn get(
    c: &mut Conn,
    ws: WorkspaceId,
    token: TokenId,
) -> Result<Option<ApiToken>, StoreError> {
    let q = select(ws)
        .and_where(Expr::col((K::Table, K::Id)).eq(id(token)))
        .to_owned();
    c.fetch_optional(&q).await?.as_ref().map(decode).transpose()
}

/// Tokens of one user, or of everyone when `user` is `None`, newest last.
pub async fn list(
    c: &mut Conn,
    ws: WorkspaceId,
    user: Option<UserId>,
    page: Page<TokenId>,
) -> Result<Vec<ApiToken>, StoreError> {
    let mut q = select(ws);
    if let Some(u) = user {
        q.and_where(Expr::col((K::Table, K::UserId)).eq(id(u)));
    }
    if let Some(after) = page.after {
        q.and_where(Expr::col((K::Table, K::Id)).gt(id(after)));
    }
    q.order_by((K::Table, K::Id), Order::Asc).limit(page.limit);
    c.fetch_all(&q).await?.iter().map(decode).collect()
}

/// Authentication: the live token with this hash and the user holding it. Revoked and
/// expired tokens are not found; a disabled holder is returned so the caller can log why.
pub async fn authenticate(
    c: &mut Conn,
    ws: WorkspaceId,
    hash: &[u8; 32],
    now: Timestamp,
) -> Result<Option<(ApiToken, Holder)>, StoreError> {
    let q = select(ws)
        .expr_as(Expr::col((U::Table, U::Id)), "holder_id")
        .columns([
            (U::Table, U::Role),
            (U::Table, U::TeamId),
            (U::Table, U::Enabled),
        ])
        .inner_join(
            U::Table,
            Expr::col((U::Table, U::WorkspaceId))
                .equals((K::Table, K::WorkspaceId))
                .and(Expr::col((U::Table, U::Id)).equals((K::Table, K::UserId))),
        )
        .and_where(Expr::col((K::Table, K::TokenHash)).eq(hash.to_vec()))
        .and_where(Expr::col((K::Table, K::RevokedAt)).is_null())
        .and_where(
            Expr::col((K::Table, K::ExpiresAt))
                .is_null()
                .or(Expr::col((K::Table, K::ExpiresAt)).gt(ts(now))),
        )
        .to_owned();
    match c.fetch_optional(&q).await? {
        Some(r) => Ok(Some((decode(&r)?, decode_holder(&r)?))),
        None => Ok(None),
    }
}

/// Records when the token was last used.
pub async fn touch(
    tx: &mut Tx,
    ws: WorkspaceId,
    token: TokenId,
    now: Timestamp,
) -> Result<(), StoreError> {
    let q = Query::update()
        .table(K::Table)
        .value(K::LastUsedAt, ts(now))
        .and_where(Expr::col(K::WorkspaceId).eq(id(ws)))
        .and_where(Expr::col(K::Id).eq(id(token)))
        .to_owned();
    tx.execute(&q).await.map(drop)
}

/// Revokes one token; `false` when it was already revoked or does not exist.
pub async fn revoke(
    tx: &mut Tx,
    ws: WorkspaceId,
    token: TokenId,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let q = Query::update()
        .table(K::Table)
        .value(K::RevokedAt, ts(now))
        .and_where(Expr::col(K::WorkspaceId).eq(id(ws)))
        .and_where(Expr::col(K::Id).eq(id(token)))
        .and_where(Expr::col(K::RevokedAt).is_null())
        .to_owned();
    Ok(tx.execute(&q).await? > 0)
}

/// Revokes every live token of a user; returns how many.
pub async fn revoke_all_of(
    tx: &mut Tx,
    ws: WorkspaceId,
    user: UserId,
    now: Timestamp,
) -> Result<u64, StoreError> {
    let q = Query::update()
        .table(K::Table)
        .value(K::RevokedAt, ts(now))
        .and_where(Expr::col(K::WorkspaceId).eq(id(ws)))
        .and_where(Expr::col(K::UserId).eq(id(user)))
        .and_where(Expr::col(K::RevokedAt).is_null())
        .to_owned();
    tx.execute(&q).await
}
