//! Tags: workspace objects attached to records of any kind.

use rapport_core::{Timestamp, WorkspaceId};
use sea_query::{Alias, Expr, ExprTrait, Order, Query};
use uuid::Uuid;

use crate::Page;
use crate::db::{Conn, Row, Tx, id, opt_uuid, ts};
use crate::error::StoreError;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag {
    pub id: Uuid,
    pub name: String,
    pub color: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
}

const COLUMNS: [&str; 6] = ["id", "name", "color", "created_at", "updated_at", "version"];

fn a(c: &str) -> Alias {
    Alias::new(c)
}

fn decode(r: &Row) -> Result<Tag, StoreError> {
    Ok(Tag {
        id: r.uuid_col("id")?,
        name: r.string("name")?,
        color: r.opt_string("color")?,
        created_at: r.ts("created_at")?,
        updated_at: r.ts("updated_at")?,
        version: r.i64("version")?,
    })
}

fn select(ws: WorkspaceId) -> sea_query::SelectStatement {
    Query::select()
        .columns(COLUMNS.map(a))
        .from(a("tags"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .to_owned()
}

pub async fn insert(
    tx: &mut Tx,
    ws: WorkspaceId,
    tag: Uuid,
    name: &str,
    color: Option<&str>,
    now: Timestamp,
) -> Result<Tag, StoreError> {
    let q = Query::insert()
        .into_table(a("tags"))
        .columns(
            [
                "workspace_id",
                "id",
                "name",
                "name_key",
                "color",
                "created_at",
                "updated_at",
                "version",
            ]
            .map(a),
        )
        .values_panic([
            id(ws),
            opt_uuid(Some(tag)),
            Expr::val(name),
            Expr::val(rapport_core::fold::sort_key(name)),
            Expr::val(color.map(str::to_owned)),
            ts(now),
            ts(now),
            Expr::val(1i64),
        ])
        .to_owned();
    tx.execute(&q)
        .await
        .map_err(|e| e.duplicate_on("name_key", "name"))?;
    get(tx, ws, tag).await?.ok_or(StoreError::NotFound)
}

pub async fn get(c: &mut Conn, ws: WorkspaceId, tag: Uuid) -> Result<Option<Tag>, StoreError> {
    let q = select(ws)
        .and_where(Expr::col(a("id")).eq(opt_uuid(Some(tag))))
        .to_owned();
    c.fetch_optional(&q).await?.as_ref().map(decode).transpose()
}

pub async fn list(c: &mut Conn, ws: WorkspaceId, page: Page<Uuid>) -> Result<Vec<Tag>, StoreError> {
    let mut q = select(ws);
    if let Some(after) = page.after {
        q.and_where(Expr::col(a("id")).gt(opt_uuid(Some(after))));
    }
    q.order_by(a("id"), Order::Asc).limit(page.limit);
    c.fetch_all(&q).await?.iter().map(decode).collect()
}

/// Every tag of the workspace (imports and exports map names and ids with it).
pub async fn all(c: &mut Conn, ws: WorkspaceId) -> Result<Vec<Tag>, StoreError> {
    let mut q = select(ws);
    q.order_by(a("id"), Order::Asc).limit(100_000);
    c.fetch_all(&q).await?.iter().map(decode).collect()
}

/// Which of `ids` are tags of this workspace.
pub async fn existing(
    c: &mut Conn,
    ws: WorkspaceId,
    ids: &[Uuid],
) -> Result<Vec<Uuid>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let q = Query::select()
        .column(a("id"))
        .from(a("tags"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a("id")).is_in(ids.iter().map(|u| opt_uuid(Some(*u)))))
        .to_owned();
    c.fetch_all(&q)
        .await?
        .iter()
        .map(|r| r.uuid_col("id"))
        .collect()
}

pub async fn update(
    tx: &mut Tx,
    ws: WorkspaceId,
    tag: Uuid,
    expected_version: i64,
    name: &str,
    color: Option<&str>,
    now: Timestamp,
) -> Result<Option<Tag>, StoreError> {
    let q = Query::update()
        .table(a("tags"))
        .values([
            (a("name"), Expr::val(name)),
            (a("name_key"), Expr::val(rapport_core::fold::sort_key(name))),
            (a("color"), Expr::val(color.map(str::to_owned))),
            (a("updated_at"), ts(now)),
        ])
        .value(a("version"), Expr::col(a("version")).add(1))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a("id")).eq(opt_uuid(Some(tag))))
        .and_where(Expr::col(a("version")).eq(expected_version))
        .to_owned();
    if tx
        .execute(&q)
        .await
        .map_err(|e| e.duplicate_on("name_key", "name"))?
        == 0
    {
        return Ok(None);
    }
    get(tx, ws, tag).await
}

/// Deletes a tag and detaches it from every record.
pub async fn delete(tx: &mut Tx, ws: WorkspaceId, tag: Uuid) -> Result<bool, StoreError> {
    let detach = Query::delete()
        .from_table(a("record_tags"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a("tag_id")).eq(opt_uuid(Some(tag))))
        .to_owned();
    tx.execute(&detach).await?;
    let q = Query::delete()
        .from_table(a("tags"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a("id")).eq(opt_uuid(Some(tag))))
        .to_owned();
    Ok(tx.execute(&q).await? > 0)
}
