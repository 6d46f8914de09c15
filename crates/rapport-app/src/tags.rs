//! Tags: anyone who writes records may make one; admins rename and delete them.

use rapport_core::audit::{Actor, AuditAction};
use rapport_core::policy::{self, Forbidden};
use rapport_core::text::single_line;
use rapport_core::validation::Errors;
use rapport_core::{ErrorCode, FieldError, Role};
use rapport_store::tags::{self, Tag};
use serde_json::json;
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::write::Write;
use crate::{App, Caller, PageOf, PageRequest};

#[derive(Clone, Debug, Default)]
pub struct TagInput {
    pub name: Option<String>,
    /// `Some(None)` clears the colour.
    pub color: Option<Option<String>>,
}

fn parse_color(raw: &str) -> Result<String, FieldError> {
    let s = raw.trim();
    let hex = s
        .strip_prefix('#')
        .filter(|h| h.len() == 6 && h.chars().all(|c| c.is_ascii_hexdigit()));
    hex.map(|h| format!("#{}", h.to_ascii_lowercase()))
        .ok_or_else(|| {
            FieldError::new(
                "color",
                ErrorCode::InvalidFormat,
                "must be a colour such as #1a7f37",
            )
        })
}

pub async fn list(
    app: &App,
    caller: &Caller,
    page: PageRequest<Uuid>,
) -> AppResult<PageOf<Tag, Uuid>> {
    let mut c = app.db.read().await?;
    let rows = tags::list(&mut c, caller.principal.workspace_id, page.probe()).await?;
    Ok(PageOf::from_probe(rows, page.limit, |t| t.id))
}

pub async fn get(app: &App, caller: &Caller, id: Uuid) -> AppResult<Tag> {
    let mut c = app.db.read().await?;
    tags::get(&mut c, caller.principal.workspace_id, id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn create(app: &App, caller: &Caller, input: &TagInput) -> AppResult<Tag> {
    let p = &caller.principal;
    policy::require_write_scope(p)?;
    if p.role == Role::ReadOnly {
        return Err(Forbidden::ReadOnlyRole.into());
    }
    let mut errors = Errors::new();
    let name = errors.check(single_line(
        "name",
        input.name.as_deref().unwrap_or(""),
        1,
        60,
    ));
    let color = match input.color.clone().flatten() {
        Some(c) => errors.check(parse_color(&c)).map(Some),
        None => Some(None),
    };
    errors.into_result()?;
    let (Some(name), Some(color)) = (name, color) else {
        return Err(AppError::Internal);
    };
    let mut w = Write::begin(app, p.workspace_id, Actor::User(p.user_id), &caller.meta).await?;
    let tag = tags::insert(
        &mut w.tx,
        w.ws,
        Uuid::now_v7(),
        &name,
        color.as_deref(),
        w.now,
    )
    .await?;
    w.audit(
        AuditAction::SettingsChanged,
        "tag",
        Some(tag.id),
        Vec::new(),
        Some(json!({"created": tag.name})),
    )
    .await?;
    w.emit(
        "tag.created",
        "tag",
        tag.id,
        json!({"id": tag.id, "name": tag.name}),
    )
    .await?;
    w.commit().await?;
    Ok(tag)
}

pub async fn update(
    app: &App,
    caller: &Caller,
    id: Uuid,
    input: &TagInput,
    if_match: Option<i64>,
) -> AppResult<Tag> {
    policy::authorize_workspace_admin(&caller.principal)?;
    let p = &caller.principal;
    let mut w = Write::begin(app, p.workspace_id, Actor::User(p.user_id), &caller.meta).await?;
    let current = tags::get(&mut w.tx, w.ws, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(expected) = if_match
        && expected != current.version
    {
        return Err(AppError::PreconditionFailed {
            expected,
            current: current.version,
        });
    }
    let name = match &input.name {
        Some(n) => single_line("name", n, 1, 60)?,
        None => current.name.clone(),
    };
    let color = match &input.color {
        Some(Some(c)) => Some(parse_color(c)?),
        Some(None) => None,
        None => current.color.clone(),
    };
    let tag = tags::update(
        &mut w.tx,
        w.ws,
        id,
        current.version,
        &name,
        color.as_deref(),
        w.now,
    )
    .await?
    .ok_or(AppError::PreconditionFailed {
        expected: current.version,
        current: current.version + 1,
    })?;
    w.audit(
        AuditAction::SettingsChanged,
        "tag",
        Some(id),
        Vec::new(),
        Some(json!({"renamed": tag.name})),
    )
    .await?;
    w.emit("tag.updated", "tag", id, json!({"id": id})).await?;
    w.commit().await?;
    Ok(tag)
}

pub async fn delete(app: &App, caller: &Caller, id: Uuid) -> AppResult<()> {
    policy::authorize_workspace_admin(&caller.principal)?;
    let p = &caller.principal;
    let mut w = Write::begin(app, p.workspace_id, Actor::User(p.user_id), &caller.meta).await?;
    let current = tags::get(&mut w.tx, w.ws, id)
        .await?
        .ok_or(AppError::NotFound)?;
    tags::delete(&mut w.tx, w.ws, id).await?;
    w.audit(
        AuditAction::SettingsChanged,
        "tag",
        Some(id),
        Vec::new(),
        Some(json!({"deleted": current.name})),
    )
    .await?;
    w.emit("tag.deleted", "tag", id, json!({"id": id})).await?;
    w.commit().await
}
