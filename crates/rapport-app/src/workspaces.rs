//! Creating and finding workspaces: an operator's job, done from the command line. There is
//! deliberately no web route that creates a workspace (SECURITY.md V25).

use rapport_core::audit::{Actor, AuditAction};
use rapport_core::text::{Slug, WorkspaceName};
use rapport_core::validation::Errors;
use rapport_core::{ErrorCode, FieldError, Id, WorkspaceId};
use rapport_store::StoreError;
use rapport_store::workspaces::{self, Workspace};
use serde_json::json;

use crate::error::{AppError, AppResult};
use crate::ids::new_id;
use crate::users::{CreatedUser, NewUserInput, insert_parsed, parse_new_user};
use crate::write::Write;
use crate::{App, RequestMeta};

#[derive(Clone, Debug, Default)]
pub struct NewWorkspaceInput {
    pub name: String,
    /// Derived from the name when absent (and made unique with a number).
    pub slug: Option<String>,
    pub admin_email: String,
    pub admin_name: Option<String>,
    pub admin_password: Option<String>,
    pub is_demo: bool,
}

#[derive(Clone, Debug)]
pub struct CreatedWorkspace {
    pub workspace: Workspace,
    pub admin: CreatedUser,
}

pub async fn create(app: &App, input: &NewWorkspaceInput) -> AppResult<CreatedWorkspace> {
    let ws: WorkspaceId = new_id();
    let mut w = Write::begin(app, ws, Actor::Operator, &RequestMeta::default()).await?;
    let created = create_in(app, &mut w, input).await?;
    w.commit().await?;
    Ok(created)
}

/// Creates the workspace `w` writes to, its admin and its default pipeline, inside `w`'s
/// transaction (the demo seeds it in the same one).
pub(crate) async fn create_in(
    app: &App,
    w: &mut Write,
    input: &NewWorkspaceInput,
) -> AppResult<CreatedWorkspace> {
    let mut errors = Errors::new();
    let name = errors.check(WorkspaceName::parse("name", &input.name));
    let explicit_slug = match &input.slug {
        Some(s) => errors.check(Slug::parse("slug", s)),
        None => None,
    };
    let admin = NewUserInput {
        email: input.admin_email.clone(),
        display_name: input.admin_name.clone(),
        role: "admin".to_owned(),
        password: input.admin_password.clone(),
        ..NewUserInput::default()
    };
    let parsed_admin = match parse_new_user(&admin) {
        Ok(p) => Some(p),
        Err(AppError::Invalid(list)) => {
            for mut e in list {
                e.field = format!("admin_{}", e.field);
                errors.push(e);
            }
            None
        }
        Err(other) => return Err(other),
    };
    errors.into_result()?;
    let (Some(name), Some(parsed_admin)) = (name, parsed_admin) else {
        return Err(AppError::Internal);
    };
    let base_slug = explicit_slug
        .clone()
        .unwrap_or_else(|| Slug::from_name(name.as_str()));
    let ws = w.ws;
    let slug = if explicit_slug.is_some() {
        base_slug.as_str().to_owned()
    } else {
        free_slug(w, &base_slug).await?
    };
    let workspace = Workspace {
        id: ws,
        name: name.as_str().to_owned(),
        slug,
        base_currency: "EUR".to_owned(),
        is_demo: input.is_demo,
        created_at: w.now,
        updated_at: w.now,
        version: 1,
    };
    workspaces::insert(&mut w.tx, &workspace)
        .await
        .map_err(|e| match e {
            StoreError::Duplicate(_) => AppError::invalid(FieldError::new(
                "slug",
                ErrorCode::Taken,
                "is already in use",
            )),
            other => other.into(),
        })?;
    w.audit(
        AuditAction::WorkspaceCreated,
        "workspace",
        Some(ws.as_uuid()),
        Vec::new(),
        Some(json!({"name": workspace.name, "slug": workspace.slug})),
    )
    .await?;
    w.emit(
        "workspace.created",
        "workspace",
        ws.as_uuid(),
        json!({"id": ws, "slug": workspace.slug}),
    )
    .await?;
    let admin = insert_parsed(app, w, parsed_admin).await?;
    crate::pipelines::create_default(w).await?;
    Ok(CreatedWorkspace { workspace, admin })
}

/// The base slug, or the base with the first free number appended (`acme-2`). Checked
/// before inserting, because a failed insert aborts a PostgreSQL transaction.
async fn free_slug(w: &mut Write, base: &Slug) -> AppResult<String> {
    for attempt in 1..=100 {
        let candidate = if attempt == 1 {
            base.as_str().to_owned()
        } else {
            let stem: String = base.as_str().chars().take(36).collect();
            format!("{}-{attempt}", stem.trim_end_matches('-'))
        };
        if workspaces::by_slug(&mut w.tx, &candidate).await?.is_none() {
            return Ok(candidate);
        }
    }
    Err(AppError::invalid(FieldError::new(
        "slug",
        ErrorCode::Taken,
        "choose a slug with --slug",
    )))
}

pub async fn list(app: &App) -> AppResult<Vec<Workspace>> {
    let mut c = app.db.read().await?;
    Ok(workspaces::list_all(&mut c).await?)
}

pub async fn get(app: &App, ws: WorkspaceId) -> AppResult<Workspace> {
    let mut c = app.db.read().await?;
    workspaces::get(&mut c, ws).await?.ok_or(AppError::NotFound)
}

/// The workspace an operator means: the named one, or the only one.
pub async fn resolve(app: &App, slug: Option<&str>) -> AppResult<Workspace> {
    let mut c = app.db.read().await?;
    match slug {
        Some(s) => workspaces::by_slug(&mut c, s.trim()).await?.ok_or_else(|| {
            AppError::invalid(FieldError::new(
                "workspace",
                ErrorCode::UnknownReference,
                "no workspace with this slug",
            ))
        }),
        None => {
            let mut all = workspaces::list_all(&mut c).await?;
            match all.len() {
                1 => all.pop().ok_or(AppError::Internal),
                0 => Err(AppError::invalid(FieldError::new(
                    "workspace",
                    ErrorCode::Required,
                    "there is no workspace yet; create one with `rapport workspace create`",
                ))),
                _ => Err(AppError::invalid(FieldError::new(
                    "workspace",
                    ErrorCode::Required,
                    "there are several workspaces; name one with --workspace",
                ))),
            }
        }
    }
}
