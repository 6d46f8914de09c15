//! Saved list views: one user's named list queries for one object.

use rapport_core::object::ObjectType;
use rapport_core::{Timestamp, UserId, WorkspaceId};
use sea_query::{Alias, Expr, ExprTrait, Order, Query};
use uuid::Uuid;

use crate::db::{Conn, Row, Tx, id, opt_uuid, ts};
use crate::error::StoreError;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedView {
    pub id: Uuid,
    pub user_id: UserId,
    pub object: ObjectType,
    pub name: String,
    pub query: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
}

const COLUMNS: [&str; 8] = [
    "id",
    "user_id",
    "object_type",
    "name",
    "query",
    "created_at",
    "updated_at",
    "version",
];

fn a(c: &str) -> Alias {
    Alias::new(c)
}

fn decode(r: &Row) -> Result<SavedView, StoreError> {
    let object = r.string("object_type")?;
    Ok(SavedView {
        id: r.uuid_col("id")?,
        user_id: r.id("user_id")?,
        object: object
            .parse()
            .map_err(|_| StoreError::Decode(format!("unknown object type {object}")))?,
        name: r.string("name")?,
        query: r.string("query")?,
        created_at: r.ts("created_at")?,
        updated_at: r.ts("updated_at")?,
        version: r.i64("version")?,
    })
}

fn select(ws: WorkspaceId, user: UserId) -> sea_query::SelectStatement {
    Query::select()
        .columns(COLUMNS.map(a))
        .from(a("saved_views"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a("user_id")).eq(id(user)))
        .to_owned()
}

pub async fn insert(tx: &mut Tx, ws: WorkspaceId, view: &SavedView) -> Result<(), StoreError> {
    let q = Query::insert()
        .into_table(a("saved_views"))
        .columns(std::iter::once("workspace_id").chain(COLUMNS).map(a))
        .values_panic([
            id(ws),
            opt_uuid(Some(view.id)),
            id(view.user_id),
            Expr::val(view.object.as_str()),
            Expr::val(view.name.as_str()),
            Expr::val(view.query.as_str()),
            ts(view.created_at),
            ts(view.updated_at),
            Expr::val(1i64),
        ])
        .to_owned();
    tx.execute(&q)
        .await
        .map_err(|e| e.duplicate_on("saved_views", "name"))?;
    Ok(())
}

/// A view of `user`'s; other users' views are not found.
pub async fn get(
    c: &mut Conn,
    ws: WorkspaceId,
    user: UserId,
    view: Uuid,
) -> Result<Option<SavedView>, StoreError> {
    let q = select(ws, user)
        .and_where(Expr::col(a("id")).eq(opt_uuid(Some(view))))
        .to_owned();
    c.fetch_optional(&q).await?.as_ref().map(decode).transpose()
}

/// `user`'s views, of one object or all, by name.
pub async fn list(
    c: &mut Conn,
    ws: WorkspaceId,
    user: UserId,
    object: Option<ObjectType>,
) -> Result<Vec<SavedView>, StoreError> {
    let mut q = select(ws, user);
    if let Some(o) = object {
        q.and_where(Expr::col(a("object_type")).eq(o.as_str()));
    }
    q.order_by(a("object_type"), Order::Asc)
        .order_by(a("name"), Order::Asc)
        .limit(1_000);
    c.fetch_all(&q).await?.iter().map(decode).collect()
}

/// Renames a view or changes its query, if it is still at `expected_version`.
pub async fn update(
    tx: &mut Tx,
    ws: WorkspaceId,
    view: &SavedView,
    expected_version: i64,
) -> Result<bool, StoreError> {
    let q = Query::update()
        .table(a("saved_views"))
        .values([
            (a("name"), Expr::val(view.name.as_str())),
            (a("query"), Expr::val(view.query.as_str())),
            (a("updated_at"), ts(view.updated_at)),
        ])
        .value(a("version"), Expr::col(a("version")).add(1))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a("user_id")).eq(id(view.user_id)))
        .and_where(Expr::col(a("id")).eq(opt_uuid(Some(view.id))))
        .and_where(Expr::col(a("version")).eq(expected_version))
        .to_owned();
    Ok(tx
        .execute(&q)
        .await
        .map_err(|e| e.duplicate_on("saved_views", "name"))?
        > 0)
}

pub async fn delete(
    tx: &mut Tx,
    ws: WorkspaceId,
    user: UserId,
    view: Uuid,
) -> Result<bool, StoreError> {
    let q = Query::delete()
        .from_table(a("saved_views"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a("user_id")).eq(id(user)))
        .and_where(Expr::col(a("id")).eq(opt_uuid(Some(view))))
        .to_owned();
    Ok(tx.execute(&q).await? > 0)
}
