//! Users of a workspace. Password hashes leave this module only through `credentials`.

use rapport_core::{Role, TeamId, Timestamp, UserId, WorkspaceId};
use sea_query::{Expr, ExprTrait, Order, Query, SelectStatement};

use crate::Page;
use crate::db::{Conn, Row, Tx, id, opt_id, opt_ts, ts};
use crate::error::StoreError;
use crate::schema::Users as U;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub workspace_id: WorkspaceId,
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub team_id: Option<TeamId>,
    pub enabled: bool,
    pub locale: String,
    pub time_zone: String,
    pub credentials_changed_at: Timestamp,
    pub last_login_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
}

/// Everything needed to insert a user.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub id: UserId,
    pub email: String,
    pub email_key: String,
    pub display_name: String,
    pub role: Role,
    pub team_id: Option<TeamId>,
    pub password_hash: String,
    pub locale: String,
    pub time_zone: String,
    pub now: Timestamp,
}

/// The columns an update may change; the caller sends the complete new state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserChanges {
    pub display_name: String,
    pub role: Role,
    pub team_id: Option<TeamId>,
    pub enabled: bool,
    pub locale: String,
    pub time_zone: String,
}

const COLUMNS: [U; 14] = [
    U::WorkspaceId,
    U::Id,
    U::Email,
    U::DisplayName,
    U::Role,
    U::TeamId,
    U::Enabled,
    U::Locale,
    U::TimeZone,
    U::CredentialsChangedAt,
    U::LastLoginAt,
    U::CreatedAt,
    U::UpdatedAt,
    U::Version,
];

fn decode(r: &Row) -> Result<User, StoreError> {
    let role = r.string("role")?;
    Ok(User {
        workspace_id: r.id("workspace_id")?,
        id: r.id("id")?,
        email: r.string("email")?,
        display_name: r.string("display_name")?,
        role: role
            .parse()
            .map_err(|_| StoreError::Decode(format!("unknown role {role:?}")))?,
        team_id: r.opt_id("team_id")?,
        enabled: r.bool("enabled")?,
        locale: r.string("locale")?,
        time_zone: r.string("time_zone")?,
        credentials_changed_at: r.ts("credentials_changed_at")?,
        last_login_at: r.opt_ts("last_login_at")?,
        created_at: r.ts("created_at")?,
        updated_at: r.ts("updated_at")?,
        version: r.i64("version")?,
    })
}

fn select(ws: WorkspaceId) -> SelectStatement {
    Query::select()
        .columns(COLUMNS)
        .from(U::Table)
        .and_where(Expr::col(U::WorkspaceId).eq(id(ws)))
        .to_owned()
}

/// Inserts a user. A taken e-mail gives `StoreError::Duplicate("email")`, an unknown team
/// `StoreError::ForeignKey`.
pub async fn insert(tx: &mut Tx, ws: WorkspaceId, u: &NewUser) -> Result<User, StoreError> {
    let q = Query::insert()
        .into_table(U::Table)
        .columns([
            U::WorkspaceId,
            U::Id,
            U::Email,
            U::EmailKey,
            U::DisplayName,
            U::Role,
            U::TeamId,
            U::PasswordHash,
            U::Enabled,
            U::Locale,
            U::TimeZone,
            U::CredentialsChangedAt,
            U::CreatedAt,
            U::UpdatedAt,
            U::Version,
        ])
        .values_panic([
            id(ws),
            id(u.id),
            u.email.clone().into(),
            u.email_key.clone().into(),
            u.display_name.clone().into(),
            u.role.as_str().into(),
            opt_id(u.team_id),
            u.password_hash.clone().into(),
            true.into(),
            u.locale.clone().into(),
            u.time_zone.clone().into(),
            ts(u.now),
            ts(u.now),
            ts(u.now),
            1i64.into(),
        ])
        .to_owned();
    tx.execute(&q)
        .await
        .map_err(|e| e.duplicate_on("email_key", "email"))?;
    get(tx, ws, u.id).await?.ok_or(StoreError::NotFound)
}

pub async fn get(c: &mut Conn, ws: WorkspaceId, user: UserId) -> Result<Option<User>, StoreError> {
    let q = select(ws)
        .and_where(Expr::col(U::Id).eq(id(user)))
        .to_owned();
    c.fetch_optional(&q).await?.as_ref().map(decode).transpose()
}

pub async fn by_email_key(
    c: &mut Conn,
    ws: WorkspaceId,
    email_key: &str,
) -> Result<Option<User>, StoreError> {
    let q = select(ws)
        .and_where(Expr::col(U::EmailKey).eq(email_key))
        .to_owned();
    c.fetch_optional(&q).await?.as_ref().map(decode).transpose()
}

/// The user and their password hash, for signing in and password changes.
pub async fn credentials(
    c: &mut Conn,
    ws: WorkspaceId,
    email_key: &str,
) -> Result<Option<(User, String)>, StoreError> {
    let q = select(ws)
        .column(U::PasswordHash)
        .and_where(Expr::col(U::EmailKey).eq(email_key))
        .to_owned();
    match c.fetch_optional(&q).await? {
        Some(r) => Ok(Some((decode(&r)?, r.string("password_hash")?))),
        None => Ok(None),
    }
}

/// Users in id order (creation order, as ids are UUIDv7), after the cursor.
pub async fn list(
    c: &mut Conn,
    ws: WorkspaceId,
    page: Page<UserId>,
) -> Result<Vec<User>, StoreError> {
    let mut q = select(ws);
    if let Some(after) = page.after {
        q.and_where(Expr::col(U::Id).gt(id(after)));
    }
    q.order_by(U::Id, Order::Asc).limit(page.limit);
    c.fetch_all(&q).await?.iter().map(decode).collect()
}

pub async fn count_enabled_admins(c: &mut Conn, ws: WorkspaceId) -> Result<i64, StoreError> {
    let q = Query::select()
        .expr_as(Expr::col(U::Id).count(), "n")
        .from(U::Table)
        .and_where(Expr::col(U::WorkspaceId).eq(id(ws)))
        .and_where(Expr::col(U::Role).eq(Role::Admin.as_str()))
        .and_where(Expr::col(U::Enabled).eq(true))
        .to_owned();
    c.fetch_one(&q).await?.i64("n")
}

/// Writes `changes` if the stored version is still `expected_version`. Returns the updated
/// user, or `None` when someone else changed it first.
pub async fn update(
    tx: &mut Tx,
    ws: WorkspaceId,
    user: UserId,
    expected_version: i64,
    changes: &UserChanges,
    now: Timestamp,
) -> Result<Option<User>, StoreError> {
    let q = Query::update()
        .table(U::Table)
        .values([
            (U::DisplayName, changes.display_name.clone().into()),
            (U::Role, changes.role.as_str().into()),
            (U::TeamId, opt_id(changes.team_id)),
            (U::Enabled, changes.enabled.into()),
            (U::Locale, changes.locale.clone().into()),
            (U::TimeZone, changes.time_zone.clone().into()),
            (U::UpdatedAt, ts(now)),
            (U::Version, Expr::col(U::Version).add(1)),
        ])
        .and_where(Expr::col(U::WorkspaceId).eq(id(ws)))
        .and_where(Expr::col(U::Id).eq(id(user)))
        .and_where(Expr::col(U::Version).eq(expected_version))
        .to_owned();
    if tx.execute(&q).await? == 0 {
        return Ok(None);
    }
    get(tx, ws, user).await
}

/// Replaces the password hash and moves `credentials_changed_at`, which ends every session
/// and token issued before it.
pub async fn set_password(
    tx: &mut Tx,
    ws: WorkspaceId,
    user: UserId,
    password_hash: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    let q = Query::update()
        .table(U::Table)
        .values([
            (U::PasswordHash, password_hash.into()),
            (U::CredentialsChangedAt, ts(now)),
            (U::UpdatedAt, ts(now)),
            (U::Version, Expr::col(U::Version).add(1)),
        ])
        .and_where(Expr::col(U::WorkspaceId).eq(id(ws)))
        .and_where(Expr::col(U::Id).eq(id(user)))
        .to_owned();
    match tx.execute(&q).await? {
        0 => Err(StoreError::NotFound),
        _ => Ok(()),
    }
}

pub async fn record_login(
    tx: &mut Tx,
    ws: WorkspaceId,
    user: UserId,
    now: Timestamp,
) -> Result<(), StoreError> {
    let q = Query::update()
        .table(U::Table)
        .value(U::LastLoginAt, opt_ts(Some(now)))
        .and_where(Expr::col(U::WorkspaceId).eq(id(ws)))
        .and_where(Expr::col(U::Id).eq(id(user)))
        .to_owned();
    tx.execute(&q).await.map(drop)
}

/// How many users belong to `team`.
pub async fn count_in_team(c: &mut Conn, ws: WorkspaceId, team: TeamId) -> Result<i64, StoreError> {
    let q = Query::select()
        .expr_as(Expr::col(U::Id).count(), "n")
        .from(U::Table)
        .and_where(Expr::col(U::WorkspaceId).eq(id(ws)))
        .and_where(Expr::col(U::TeamId).eq(id(team)))
        .to_owned();
    c.fetch_one(&q).await?.i64("n")
}
