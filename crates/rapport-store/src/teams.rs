//! Teams and their tree.

use rapport_core::{TeamId, Timestamp, WorkspaceId};
use sea_query::{Expr, ExprTrait, Order, Query, SelectStatement};

use crate::Page;
use crate::db::{Conn, Row, Tx, id, opt_id, ts};
use crate::error::StoreError;
use crate::schema::Teams as T;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    pub workspace_id: WorkspaceId,
    pub id: TeamId,
    pub name: String,
    pub parent_id: Option<TeamId>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
}

const COLUMNS: [T; 7] = [
    T::WorkspaceId,
    T::Id,
    T::Name,
    T::ParentId,
    T::CreatedAt,
    T::UpdatedAt,
    T::Version,
];

fn decode(r: &Row) -> Result<Team, StoreError> {
    Ok(Team {
        workspace_id: r.id("workspace_id")?,
        id: r.id("id")?,
        name: r.string("name")?,
        parent_id: r.opt_id("parent_id")?,
        created_at: r.ts("created_at")?,
        updated_at: r.ts("updated_at")?,
        version: r.i64("version")?,
    })
}

fn select(ws: WorkspaceId) -> SelectStatement {
    Query::select()
        .columns(COLUMNS)
        .from(T::Table)
        .and_where(Expr::col(T::WorkspaceId).eq(id(ws)))
        .to_owned()
}

/// The key that makes team names unique regardless of case.
fn name_key(name: &str) -> String {
    name.to_lowercase()
}

/// Inserts a team. A taken name gives `Duplicate("name")`, an unknown parent `ForeignKey`.
pub async fn insert(
    tx: &mut Tx,
    ws: WorkspaceId,
    team: TeamId,
    name: &str,
    parent: Option<TeamId>,
    now: Timestamp,
) -> Result<Team, StoreError> {
    let q = Query::insert()
        .into_table(T::Table)
        .columns([
            T::WorkspaceId,
            T::Id,
            T::Name,
            T::NameKey,
            T::ParentId,
            T::CreatedAt,
            T::UpdatedAt,
            T::Version,
        ])
        .values_panic([
            id(ws),
            id(team),
            name.into(),
            name_key(name).into(),
            opt_id(parent),
            ts(now),
            ts(now),
            1i64.into(),
        ])
        .to_owned();
    tx.execute(&q)
        .await
        .map_err(|e| e.duplicate_on("name_key", "name"))?;
    get(tx, ws, team).await?.ok_or(StoreError::NotFound)
}

pub async fn get(c: &mut Conn, ws: WorkspaceId, team: TeamId) -> Result<Option<Team>, StoreError> {
    let q = select(ws)
        .and_where(Expr::col(T::Id).eq(id(team)))
        .to_owned();
    c.fetch_optional(&q).await?.as_ref().map(decode).transpose()
}

pub async fn list(
    c: &mut Conn,
    ws: WorkspaceId,
    page: Page<TeamId>,
) -> Result<Vec<Team>, StoreError> {
    let mut q = select(ws);
    if let Some(after) = page.after {
        q.and_where(Expr::col(T::Id).gt(id(after)));
    }
    q.order_by(T::Id, Order::Asc).limit(page.limit);
    c.fetch_all(&q).await?.iter().map(decode).collect()
}

/// Every team's parent: the input of `core::team_tree`.
pub async fn edges(
    c: &mut Conn,
    ws: WorkspaceId,
) -> Result<Vec<(TeamId, Option<TeamId>)>, StoreError> {
    let q = Query::select()
        .columns([T::Id, T::ParentId])
        .from(T::Table)
        .and_where(Expr::col(T::WorkspaceId).eq(id(ws)))
        .to_owned();
    c.fetch_all(&q)
        .await?
        .iter()
        .map(|r| Ok((r.id("id")?, r.opt_id("parent_id")?)))
        .collect()
}

/// Renames or moves a team if its version is still `expected_version`.
pub async fn update(
    tx: &mut Tx,
    ws: WorkspaceId,
    team: TeamId,
    expected_version: i64,
    name: &str,
    parent: Option<TeamId>,
    now: Timestamp,
) -> Result<Option<Team>, StoreError> {
    let q = Query::update()
        .table(T::Table)
        .values([
            (T::Name, name.into()),
            (T::NameKey, name_key(name).into()),
            (T::ParentId, opt_id(parent)),
            (T::UpdatedAt, ts(now)),
            (T::Version, Expr::col(T::Version).add(1)),
        ])
        .and_where(Expr::col(T::WorkspaceId).eq(id(ws)))
        .and_where(Expr::col(T::Id).eq(id(team)))
        .and_where(Expr::col(T::Version).eq(expected_version))
        .to_owned();
    let changed = tx
        .execute(&q)
        .await
        .map_err(|e| e.duplicate_on("name_key", "name"))?;
    if changed == 0 {
        return Ok(None);
    }
    get(tx, ws, team).await
}

pub async fn count_children(
    c: &mut Conn,
    ws: WorkspaceId,
    team: TeamId,
) -> Result<i64, StoreError> {
    let q = Query::select()
        .expr_as(Expr::col(T::Id).count(), "n")
        .from(T::Table)
        .and_where(Expr::col(T::WorkspaceId).eq(id(ws)))
        .and_where(Expr::col(T::ParentId).eq(id(team)))
        .to_owned();
    c.fetch_one(&q).await?.i64("n")
}

/// Deletes a team if its version is still `expected_version`; `false` when it changed.
pub async fn delete(
    tx: &mut Tx,
    ws: WorkspaceId,
    team: TeamId,
    expected_version: i64,
) -> Result<bool, StoreError> {
    let q = Query::delete()
        .from_table(T::Table)
        .and_where(Expr::col(T::WorkspaceId).eq(id(ws)))
        .and_where(Expr::col(T::Id).eq(id(team)))
        .and_where(Expr::col(T::Version).eq(expected_version))
        .to_owned();
    Ok(tx.execute(&q).await? > 0)
}
