//! Workspaces: the tenant root. These functions are the one place that is not scoped by a
//! workspace, because they create and find workspaces; only the operator's CLI and start-up
//! call the listing ones.

use rapport_core::{Timestamp, WorkspaceId};
use sea_query::{Expr, ExprTrait, Order, Query};

use crate::db::{Conn, Row, Tx, id, ts};
use crate::error::StoreError;
use crate::schema::Workspaces as W;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    pub id: WorkspaceId,
    pub name: String,
    pub slug: String,
    pub base_currency: String,
    pub is_demo: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
}

const COLUMNS: [W; 8] = [
    W::Id,
    W::Name,
    W::Slug,
    W::BaseCurrency,
    W::IsDemo,
    W::CreatedAt,
    W::UpdatedAt,
    W::Version,
];

fn decode(r: &Row) -> Result<Workspace, StoreError> {
    Ok(Workspace {
        id: r.id("id")?,
        name: r.string("name")?,
        slug: r.string("slug")?,
        base_currency: r.string("base_currency")?,
        is_demo: r.bool("is_demo")?,
        created_at: r.ts("created_at")?,
        updated_at: r.ts("updated_at")?,
        version: r.i64("version")?,
    })
}

/// Inserts a workspace. A taken slug gives `StoreError::Duplicate("slug")`.
pub async fn insert(tx: &mut Tx, w: &Workspace) -> Result<(), StoreError> {
    let q = Query::insert()
        .into_table(W::Table)
        .columns(COLUMNS)
        .values_panic([
            id(w.id),
            w.name.clone().into(),
            w.slug.clone().into(),
            w.base_currency.clone().into(),
            w.is_demo.into(),
            ts(w.created_at),
            ts(w.updated_at),
            w.version.into(),
        ])
        .to_owned();
    tx.execute(&q)
        .await
        .map_err(|e| e.duplicate_on("slug", "slug"))?;
    Ok(())
}

pub async fn get(c: &mut Conn, ws: WorkspaceId) -> Result<Option<Workspace>, StoreError> {
    let q = Query::select()
        .columns(COLUMNS)
        .from(W::Table)
        .and_where(Expr::col(W::Id).eq(id(ws)))
        .to_owned();
    c.fetch_optional(&q).await?.as_ref().map(decode).transpose()
}

pub async fn by_slug(c: &mut Conn, slug: &str) -> Result<Option<Workspace>, StoreError> {
    let q = Query::select()
        .columns(COLUMNS)
        .from(W::Table)
        .and_where(Expr::col(W::Slug).eq(slug))
        .to_owned();
    c.fetch_optional(&q).await?.as_ref().map(decode).transpose()
}

/// Every workspace, oldest first. Operator use only.
pub async fn list_all(c: &mut Conn) -> Result<Vec<Workspace>, StoreError> {
    let q = Query::select()
        .columns(COLUMNS)
        .from(W::Table)
        .order_by(W::CreatedAt, Order::Asc)
        .order_by(W::Id, Order::Asc)
        .to_owned();
    c.fetch_all(&q).await?.iter().map(decode).collect()
}
