//! Explicit shares of one record with a user or a team (DESIGN §4.2). Whoever may change a
//! record may share it; a share never grants more than read-write on that one record.

use rapport_core::access::{Grantee, ShareAccess, can_write};
use rapport_core::audit::{Actor, AuditAction};
use rapport_core::object::ObjectType;
use rapport_core::policy::{self, Forbidden};
use rapport_core::validation::Errors;
use rapport_core::{ErrorCode, FieldError, Id, TeamId, UserId};
use rapport_store::records::{self, Trash};
use rapport_store::shares::{self, Share};
use rapport_store::{Conn, teams};
use serde_json::json;
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::record_settings::parse_object;
use crate::records::viewer;
use crate::write::Write;
use crate::{App, Caller};

#[derive(Clone, Debug, Default)]
pub struct ShareInput {
    pub object_type: String,
    pub record_id: Uuid,
    pub grantee_type: String,
    pub grantee_id: Uuid,
    pub access: String,
}

/// 404 unless the caller can read the record; the record's facts otherwise.
async fn readable(
    c: &mut Conn,
    caller: &Caller,
    object: ObjectType,
    record: Uuid,
) -> AppResult<rapport_core::access::RecordFacts> {
    let v = viewer(c, &caller.principal).await?;
    let ws = caller.principal.workspace_id;
    if records::get(c, ws, object, record, Some(&v), Trash::Live)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    records::facts(c, ws, object, record)
        .await?
        .ok_or(AppError::NotFound)
}

async fn require_write(
    c: &mut Conn,
    caller: &Caller,
    facts: &rapport_core::access::RecordFacts,
) -> AppResult<()> {
    policy::require_write_scope(&caller.principal)?;
    let v = viewer(c, &caller.principal).await?;
    if can_write(&v, facts) {
        Ok(())
    } else {
        Err(Forbidden::NotOwner.into())
    }
}

pub async fn list(
    app: &App,
    caller: &Caller,
    object: ObjectType,
    record: Uuid,
) -> AppResult<Vec<Share>> {
    let mut c = app.db.read().await?;
    readable(&mut c, caller, object, record).await?;
    Ok(shares::of_record(&mut c, caller.principal.workspace_id, object, record).await?)
}

pub async fn get(app: &App, caller: &Caller, id: Uuid) -> AppResult<Share> {
    let mut c = app.db.read().await?;
    let share = shares::get(&mut c, caller.principal.workspace_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    readable(&mut c, caller, share.object, share.record_id).await?;
    Ok(share)
}

pub async fn create(app: &App, caller: &Caller, input: &ShareInput) -> AppResult<Share> {
    let mut errors = Errors::new();
    let object = errors.check(parse_object("object_type", &input.object_type));
    let access = errors.check(ShareAccess::parse(input.access.trim()).ok_or_else(|| {
        FieldError::new(
            "access",
            ErrorCode::InvalidValue,
            "must be read or read_write",
        )
    }));
    let grantee = match input.grantee_type.trim() {
        "user" => Some(Grantee::User(UserId::from_uuid(input.grantee_id))),
        "team" => Some(Grantee::Team(TeamId::from_uuid(input.grantee_id))),
        _ => {
            errors.push(FieldError::new(
                "grantee_type",
                ErrorCode::InvalidValue,
                "must be user or team",
            ));
            None
        }
    };
    errors.into_result()?;
    let (Some(object), Some(access), Some(grantee)) = (object, access, grantee) else {
        return Err(AppError::Internal);
    };
    let p = &caller.principal;
    let mut w = Write::begin(app, p.workspace_id, Actor::User(p.user_id), &caller.meta).await?;
    let facts = readable(&mut w.tx, caller, object, input.record_id)
        .await
        .map_err(|e| match e {
            AppError::NotFound => AppError::invalid(FieldError::new(
                "record_id",
                ErrorCode::UnknownReference,
                format!("no such {}", object.as_str()),
            )),
            other => other,
        })?;
    require_write(&mut w.tx, caller, &facts).await?;
    let exists = match grantee {
        Grantee::User(u) => !records::user_teams(&mut w.tx, w.ws, &[u]).await?.is_empty(),
        Grantee::Team(t) => teams::get(&mut w.tx, w.ws, t).await?.is_some(),
    };
    if !exists {
        return Err(AppError::invalid(FieldError::new(
            "grantee_id",
            ErrorCode::UnknownReference,
            "no such user or team",
        )));
    }
    let share = shares::upsert(
        &mut w.tx,
        w.ws,
        &Share {
            id: Uuid::now_v7(),
            object,
            record_id: input.record_id,
            grantee,
            access,
            created_by: Some(p.user_id),
            created_at: w.now,
        },
    )
    .await?;
    let detail = json!({"object": object.as_str(), "record_id": input.record_id, "grantee": grantee_json(grantee), "access": access.as_str()});
    w.audit(
        AuditAction::ShareGranted,
        "share",
        Some(share.id),
        Vec::new(),
        Some(detail.clone()),
    )
    .await?;
    w.emit("share.granted", "share", share.id, detail).await?;
    w.commit().await?;
    Ok(share)
}

pub fn grantee_json(g: Grantee) -> serde_json::Value {
    match g {
        Grantee::User(u) => json!({"type": "user", "id": u.as_uuid()}),
        Grantee::Team(t) => json!({"type": "team", "id": t.as_uuid()}),
    }
}

pub async fn delete(app: &App, caller: &Caller, id: Uuid) -> AppResult<()> {
    let p = &caller.principal;
    let mut w = Write::begin(app, p.workspace_id, Actor::User(p.user_id), &caller.meta).await?;
    let share = shares::get(&mut w.tx, w.ws, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let facts = readable(&mut w.tx, caller, share.object, share.record_id).await?;
    require_write(&mut w.tx, caller, &facts).await?;
    shares::delete(&mut w.tx, w.ws, id).await?;
    let detail = json!({"object": share.object.as_str(), "record_id": share.record_id, "grantee": grantee_json(share.grantee)});
    w.audit(
        AuditAction::ShareRevoked,
        "share",
        Some(id),
        Vec::new(),
        Some(detail.clone()),
    )
    .await?;
    w.emit("share.revoked", "share", id, detail).await?;
    w.commit().await
}
