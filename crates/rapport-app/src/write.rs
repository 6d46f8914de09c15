//! The write half of every use case: one transaction that changes records, appends audit
//! entries and outbox events, and commits them together.

use rapport_core::audit::{Actor, AuditAction, FieldChange};
use rapport_core::{AuditId, EventId, Timestamp, WorkspaceId};
use rapport_store::{Tx, audit, outbox};
use serde_json::Value;
use uuid::Uuid;

use crate::error::AppResult;
use crate::ids::new_id;
use crate::{App, RequestMeta};

pub(crate) struct Write {
    pub tx: Tx,
    pub ws: WorkspaceId,
    pub actor: Actor,
    pub meta: RequestMeta,
    pub now: Timestamp,
}

impl Write {
    pub async fn begin(
        app: &App,
        ws: WorkspaceId,
        actor: Actor,
        meta: &RequestMeta,
    ) -> AppResult<Write> {
        Ok(Write {
            tx: app.db.write().await?,
            ws,
            actor,
            meta: meta.clone(),
            now: app.now(),
        })
    }

    pub async fn audit(
        &mut self,
        action: AuditAction,
        object_type: &'static str,
        object_id: Option<Uuid>,
        changes: Vec<FieldChange>,
        detail: Option<Value>,
    ) -> AppResult<()> {
        let entry = audit::NewEntry {
            id: new_id::<AuditId>(),
            at: self.now,
            actor: self.actor,
            action,
            object_type,
            object_id,
            changes,
            detail,
            request_id: self.meta.request_id.clone(),
            ip: self.meta.ip.clone(),
        };
        audit::append(&mut self.tx, self.ws, &entry).await?;
        Ok(())
    }

    pub async fn emit(
        &mut self,
        event_type: &str,
        object_type: &str,
        object_id: Uuid,
        payload: Value,
    ) -> AppResult<()> {
        let event = outbox::Event {
            id: new_id::<EventId>(),
            event_type: event_type.to_owned(),
            object_type: object_type.to_owned(),
            object_id: Some(object_id),
            payload,
            created_at: self.now,
        };
        outbox::append(&mut self.tx, self.ws, &event).await?;
        Ok(())
    }

    pub async fn commit(self) -> AppResult<()> {
        self.tx.commit().await?;
        Ok(())
    }
}
