//! Domain events, written in the transaction of the change they describe. The worker that
//! delivers them (webhooks, triggers) reads from here; nothing is sent from a request.

use rapport_core::{EventId, Timestamp, WorkspaceId};
use sea_query::{Expr, ExprTrait, Order, Query};
use uuid::Uuid;

use crate::db::{Conn, Tx, id, json, opt_uuid, ts};
use crate::error::StoreError;
use crate::schema::Outbox as O;

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: EventId,
    /// `user.created`, `opportunity.stage_changed` …
    pub event_type: String,
    pub object_type: String,
    pub object_id: Option<Uuid>,
    pub payload: serde_json::Value,
    pub created_at: Timestamp,
}

pub async fn append(tx: &mut Tx, ws: WorkspaceId, e: &Event) -> Result<(), StoreError> {
    let q = Query::insert()
        .into_table(O::Table)
        .columns([
            O::WorkspaceId,
            O::Id,
            O::EventType,
            O::ObjectType,
            O::ObjectId,
            O::Payload,
            O::CreatedAt,
        ])
        .values_panic([
            id(ws),
            id(e.id),
            e.event_type.clone().into(),
            e.object_type.clone().into(),
            opt_uuid(e.object_id),
            json(e.payload.clone()),
            ts(e.created_at),
        ])
        .to_owned();
    tx.execute(&q).await.map(drop)
}

/// The newest events of a workspace, newest first.
pub async fn recent(c: &mut Conn, ws: WorkspaceId, limit: u64) -> Result<Vec<Event>, StoreError> {
    let q = Query::select()
        .columns([
            O::Id,
            O::EventType,
            O::ObjectType,
            O::ObjectId,
            O::Payload,
            O::CreatedAt,
        ])
        .from(O::Table)
        .and_where(Expr::col(O::WorkspaceId).eq(id(ws)))
        .order_by(O::Id, Order::Desc)
        .limit(limit)
        .to_owned();
    c.fetch_all(&q)
        .await?
        .iter()
        .map(|r| {
            Ok(Event {
                id: r.id("id")?,
                event_type: r.string("event_type")?,
                object_type: r.string("object_type")?,
                object_id: r.opt_uuid("object_id")?,
                payload: r.opt_json("payload")?.unwrap_or(serde_json::Value::Null),
                created_at: r.ts("created_at")?,
            })
        })
        .collect()
}
