//! Saved list views: a user names a list query (filters, sort, search, columns) to come
//! back to it. A view is personal: nobody else reads, changes or even finds it.

use rapport_core::object::ObjectType;
use rapport_core::policy;
use rapport_core::query::{self, Schema};
use rapport_core::text::single_line;
use rapport_core::{ErrorCode, FieldError};
use rapport_store::views::{self, SavedView};
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::records::RecordContext;
use crate::{App, Caller};

/// The longest query string a view keeps.
const MAX_QUERY: usize = 4_000;

#[derive(Clone, Debug, Default)]
pub struct ViewInput {
    pub object: String,
    pub name: String,
    pub query: String,
}

#[derive(Clone, Debug, Default)]
pub struct ViewPatch {
    pub name: Option<String>,
    pub query: Option<String>,
}

fn parse_object(raw: &str) -> Result<ObjectType, FieldError> {
    raw.trim().parse().map_err(|_| {
        FieldError::new(
            "object",
            ErrorCode::InvalidValue,
            "must be company, contact, lead, opportunity or activity",
        )
    })
}

/// The query as the list API would take it, minus paging: a view is a list, not a page.
/// Refused, with the list's own message, when the list would refuse it.
async fn checked_query(
    app: &App,
    caller: &Caller,
    object: ObjectType,
    raw: &str,
) -> AppResult<String> {
    let raw = raw.trim().trim_start_matches('?');
    if raw.len() > MAX_QUERY {
        return Err(AppError::invalid(FieldError::new(
            "query",
            ErrorCode::TooLong,
            format!("at most {MAX_QUERY} characters"),
        )));
    }
    let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .filter(|(k, _)| !matches!(k.as_str(), "cursor" | "limit"))
        .collect();
    let list_params: Vec<(String, String)> =
        pairs.iter().filter(|(k, _)| k != "cols").cloned().collect();
    let mut c = app.db.read().await?;
    let ctx = RecordContext::load(&mut c, &caller.principal, object).await?;
    let schema = Schema {
        object,
        custom: &ctx.custom,
        ctx: ctx.parse,
    };
    query::parse(&schema, &list_params, &|f: &str| ctx.visible(f)).map_err(|e| {
        AppError::invalid(FieldError::new(
            "query",
            ErrorCode::InvalidValue,
            e.to_string(),
        ))
    })?;
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in &pairs {
        out.append_pair(k, v);
    }
    Ok(out.finish())
}

pub async fn create(app: &App, caller: &Caller, input: &ViewInput) -> AppResult<SavedView> {
    let p = &caller.principal;
    policy::require_write_scope(p)?;
    let object = parse_object(&input.object).map_err(AppError::invalid)?;
    let name = single_line("name", &input.name, 1, 100).map_err(AppError::invalid)?;
    let query = checked_query(app, caller, object, &input.query).await?;
    let now = app.now();
    let view = SavedView {
        id: Uuid::now_v7(),
        user_id: p.user_id,
        object,
        name,
        query,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    // A personal preference like the profile's language: no audit entry, no event.
    let mut tx = app.db.write().await?;
    views::insert(&mut tx, p.workspace_id, &view).await?;
    tx.commit().await?;
    Ok(view)
}

pub async fn list(app: &App, caller: &Caller, object: Option<&str>) -> AppResult<Vec<SavedView>> {
    let object = object
        .map(parse_object)
        .transpose()
        .map_err(AppError::invalid)?;
    let p = &caller.principal;
    let mut c = app.db.read().await?;
    Ok(views::list(&mut c, p.workspace_id, p.user_id, object).await?)
}

pub async fn get(app: &App, caller: &Caller, id: Uuid) -> AppResult<SavedView> {
    let p = &caller.principal;
    let mut c = app.db.read().await?;
    views::get(&mut c, p.workspace_id, p.user_id, id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn update(
    app: &App,
    caller: &Caller,
    id: Uuid,
    patch: &ViewPatch,
    if_match: Option<i64>,
) -> AppResult<SavedView> {
    let p = &caller.principal;
    policy::require_write_scope(p)?;
    let mut view = get(app, caller, id).await?;
    if let Some(expected) = if_match
        && expected != view.version
    {
        return Err(AppError::PreconditionFailed {
            expected,
            current: view.version,
        });
    }
    if let Some(name) = &patch.name {
        view.name = single_line("name", name, 1, 100).map_err(AppError::invalid)?;
    }
    if let Some(q) = &patch.query {
        view.query = checked_query(app, caller, view.object, q).await?;
    }
    view.updated_at = app.now();
    let mut tx = app.db.write().await?;
    if !views::update(&mut tx, p.workspace_id, &view, view.version).await? {
        return Err(AppError::PreconditionFailed {
            expected: view.version,
            current: view.version + 1,
        });
    }
    tx.commit().await?;
    view.version += 1;
    Ok(view)
}

pub async fn delete(app: &App, caller: &Caller, id: Uuid) -> AppResult<()> {
    let p = &caller.principal;
    policy::require_write_scope(p)?;
    let mut tx = app.db.write().await?;
    if !views::delete(&mut tx, p.workspace_id, p.user_id, id).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}
