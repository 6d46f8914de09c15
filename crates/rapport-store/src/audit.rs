//! The audit log: append and read, never update or delete.

use rapport_core::audit::{Actor, AuditAction, FieldChange};
use rapport_core::{AuditId, Timestamp, UserId, WorkspaceId};
use sea_query::{Expr, ExprTrait, Order, Query};
use uuid::Uuid;

use crate::Page;
use crate::db::{Conn, Row, Tx, id, opt_id, opt_json, opt_uuid, ts};
use crate::error::StoreError;
use crate::schema::AuditLog as A;

/// One entry to append.
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub id: AuditId,
    pub at: Timestamp,
    pub actor: Actor,
    pub action: AuditAction,
    pub object_type: &'static str,
    pub object_id: Option<Uuid>,
    pub changes: Vec<FieldChange>,
    pub detail: Option<serde_json::Value>,
    pub request_id: Option<String>,
    pub ip: Option<String>,
}

/// One stored entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: AuditId,
    pub at: Timestamp,
    pub actor_kind: String,
    pub actor_id: Option<UserId>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<Uuid>,
    pub changes: Option<serde_json::Value>,
    pub detail: Option<serde_json::Value>,
    pub request_id: Option<String>,
    pub ip: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub action: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<Uuid>,
    pub actor_id: Option<UserId>,
}

pub async fn append(tx: &mut Tx, ws: WorkspaceId, e: &NewEntry) -> Result<(), StoreError> {
    let changes = if e.changes.is_empty() {
        None
    } else {
        serde_json::to_value(&e.changes).ok()
    };
    let q = Query::insert()
        .into_table(A::Table)
        .columns([
            A::WorkspaceId,
            A::Id,
            A::At,
            A::ActorKind,
            A::ActorId,
            A::Action,
            A::ObjectType,
            A::ObjectId,
            A::Changes,
            A::Detail,
            A::RequestId,
            A::Ip,
        ])
        .values_panic([
            id(ws),
            id(e.id),
            ts(e.at),
            e.actor.kind().into(),
            opt_id(e.actor.user_id()),
            e.action.as_str().into(),
            e.object_type.into(),
            opt_uuid(e.object_id),
            opt_json(changes),
            opt_json(e.detail.clone()),
            e.request_id.clone().into(),
            e.ip.clone().into(),
        ])
        .to_owned();
    tx.execute(&q).await.map(drop)
}

fn decode(r: &Row) -> Result<Entry, StoreError> {
    Ok(Entry {
        id: r.id("id")?,
        at: r.ts("at")?,
        actor_kind: r.string("actor_kind")?,
        actor_id: r.opt_id("actor_id")?,
        action: r.string("action")?,
        object_type: r.string("object_type")?,
        object_id: r.opt_uuid("object_id")?,
        changes: r.opt_json("changes")?,
        detail: r.opt_json("detail")?,
        request_id: r.opt_string("request_id")?,
        ip: r.opt_string("ip")?,
    })
}

/// Entries by id, for timelines.
pub async fn by_ids(
    c: &mut Conn,
    ws: WorkspaceId,
    ids: &[uuid::Uuid],
) -> Result<Vec<Entry>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let q = Query::select()
        .columns([
            A::Id,
            A::At,
            A::ActorKind,
            A::ActorId,
            A::Action,
            A::ObjectType,
            A::ObjectId,
            A::Changes,
            A::Detail,
            A::RequestId,
            A::Ip,
        ])
        .from(A::Table)
        .and_where(Expr::col(A::WorkspaceId).eq(id(ws)))
        .and_where(Expr::col(A::Id).is_in(ids.iter().map(|u| opt_uuid(Some(*u)))))
        .to_owned();
    c.fetch_all(&q).await?.iter().map(decode).collect()
}

/// Entries newest first, before the cursor.
pub async fn list(
    c: &mut Conn,
    ws: WorkspaceId,
    filter: &Filter,
    page: Page<AuditId>,
) -> Result<Vec<Entry>, StoreError> {
    let mut q = Query::select()
        .columns([
            A::Id,
            A::At,
            A::ActorKind,
            A::ActorId,
            A::Action,
            A::ObjectType,
            A::ObjectId,
            A::Changes,
            A::Detail,
            A::RequestId,
            A::Ip,
        ])
        .from(A::Table)
        .and_where(Expr::col(A::WorkspaceId).eq(id(ws)))
        .to_owned();
    if let Some(action) = &filter.action {
        q.and_where(Expr::col(A::Action).eq(action.as_str()));
    }
    if let Some(object_type) = &filter.object_type {
        q.and_where(Expr::col(A::ObjectType).eq(object_type.as_str()));
    }
    if let Some(object_id) = filter.object_id {
        q.and_where(Expr::col(A::ObjectId).eq(object_id));
    }
    if let Some(actor) = filter.actor_id {
        q.and_where(Expr::col(A::ActorId).eq(id(actor)));
    }
    if let Some(before) = page.after {
        q.and_where(Expr::col(A::Id).lt(id(before)));
    }
    q.order_by(A::Id, Order::Desc).limit(page.limit);
    c.fetch_all(&q).await?.iter().map(decode).collect()
}
