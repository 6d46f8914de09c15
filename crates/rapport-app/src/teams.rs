//! Teams: a tree under which managers see their own team and every team below.

use rapport_core::audit::{Actor, AuditAction, Diff};
use rapport_core::policy;
use rapport_core::team_tree::TeamTree;
use rapport_core::text::TeamName;
use rapport_core::{ErrorCode, FieldError, Id, TeamId};
use rapport_store::teams::{self, Team};
use rapport_store::users;
use serde_json::json;

use crate::error::{AppError, AppResult};
use crate::ids::new_id;
use crate::write::Write;
use crate::{App, Caller, PageOf, PageRequest};

#[derive(Clone, Debug, Default)]
pub struct NewTeamInput {
    pub name: String,
    pub parent_id: Option<TeamId>,
}

/// `parent_id: Some(None)` makes the team a root.
#[derive(Clone, Debug, Default)]
pub struct TeamPatch {
    pub name: Option<String>,
    pub parent_id: Option<Option<TeamId>>,
}

fn unknown_parent() -> AppError {
    AppError::invalid(FieldError::new(
        "parent_id",
        ErrorCode::UnknownReference,
        "no such team",
    ))
}

pub async fn list(
    app: &App,
    caller: &Caller,
    page: PageRequest<TeamId>,
) -> AppResult<PageOf<Team, TeamId>> {
    let mut c = app.db.read().await?;
    let rows = teams::list(&mut c, caller.principal.workspace_id, page.probe()).await?;
    Ok(PageOf::from_probe(rows, page.limit, |t| t.id))
}

pub async fn get(app: &App, caller: &Caller, id: TeamId) -> AppResult<Team> {
    let mut c = app.db.read().await?;
    teams::get(&mut c, caller.principal.workspace_id, id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn create(app: &App, caller: &Caller, input: &NewTeamInput) -> AppResult<Team> {
    policy::authorize_workspace_admin(&caller.principal)?;
    let name = TeamName::parse("name", &input.name)?;
    let mut w = Write::begin(
        app,
        caller.principal.workspace_id,
        Actor::User(caller.principal.user_id),
        &caller.meta,
    )
    .await?;
    if let Some(parent) = input.parent_id
        && teams::get(&mut w.tx, w.ws, parent).await?.is_none()
    {
        return Err(unknown_parent());
    }
    let team = teams::insert(
        &mut w.tx,
        w.ws,
        new_id(),
        name.as_str(),
        input.parent_id,
        w.now,
    )
    .await?;
    let tid = team.id.as_uuid();
    w.audit(
        AuditAction::TeamCreated,
        "team",
        Some(tid),
        Vec::new(),
        Some(json!({"name": team.name, "parent_id": team.parent_id})),
    )
    .await?;
    w.emit(
        "team.created",
        "team",
        tid,
        json!({"id": team.id, "name": team.name}),
    )
    .await?;
    w.commit().await?;
    Ok(team)
}

pub async fn update(
    app: &App,
    caller: &Caller,
    id: TeamId,
    patch: &TeamPatch,
    if_match: Option<i64>,
) -> AppResult<Team> {
    policy::authorize_workspace_admin(&caller.principal)?;
    let name = patch
        .name
        .as_deref()
        .map(|n| TeamName::parse("name", n))
        .transpose()?;
    let mut w = Write::begin(
        app,
        caller.principal.workspace_id,
        Actor::User(caller.principal.user_id),
        &caller.meta,
    )
    .await?;
    let current = teams::get(&mut w.tx, w.ws, id)
        .await?
        .ok_or(AppError::NotFound)?;
    check_version(if_match, current.version)?;
    let new_name = name.map_or_else(|| current.name.clone(), TeamName::into_string);
    let new_parent = patch.parent_id.unwrap_or(current.parent_id);
    if let Some(parent) = new_parent
        && Some(parent) != current.parent_id
    {
        let tree = TeamTree::new(teams::edges(&mut w.tx, w.ws).await?);
        if !tree.contains(parent) {
            return Err(unknown_parent());
        }
        if tree.would_cycle(id, parent) {
            return Err(AppError::invalid(FieldError::new(
                "parent_id",
                ErrorCode::NotAllowed,
                "a team cannot be placed under itself or one of its own sub-teams",
            )));
        }
    }
    let mut diff = Diff::new();
    diff.field("name", &current.name, &new_name);
    diff.field("parent_id", &current.parent_id, &new_parent);
    if diff.is_empty() {
        return Ok(current);
    }
    let updated = teams::update(
        &mut w.tx,
        w.ws,
        id,
        current.version,
        &new_name,
        new_parent,
        w.now,
    )
    .await?
    .ok_or(AppError::PreconditionFailed {
        expected: current.version,
        current: current.version + 1,
    })?;
    let fields = diff.fields();
    w.audit(
        AuditAction::TeamUpdated,
        "team",
        Some(id.as_uuid()),
        diff.into_vec(),
        None,
    )
    .await?;
    w.emit(
        "team.updated",
        "team",
        id.as_uuid(),
        json!({"id": id, "changed": fields}),
    )
    .await?;
    w.commit().await?;
    Ok(updated)
}

/// Deletes an empty team. Teams with members or sub-teams answer 409: moving people is a
/// decision, not a side effect.
pub async fn delete(
    app: &App,
    caller: &Caller,
    id: TeamId,
    if_match: Option<i64>,
) -> AppResult<()> {
    policy::authorize_workspace_admin(&caller.principal)?;
    let mut w = Write::begin(
        app,
        caller.principal.workspace_id,
        Actor::User(caller.principal.user_id),
        &caller.meta,
    )
    .await?;
    let current = teams::get(&mut w.tx, w.ws, id)
        .await?
        .ok_or(AppError::NotFound)?;
    check_version(if_match, current.version)?;
    let members = users::count_in_team(&mut w.tx, w.ws, id).await?;
    let children = teams::count_children(&mut w.tx, w.ws, id).await?;
    if members > 0 || children > 0 {
        return Err(AppError::Conflict {
            code: "team_not_empty",
            message: format!(
                "the team has {members} member(s) and {children} sub-team(s); move them first"
            ),
        });
    }
    if !teams::delete(&mut w.tx, w.ws, id, current.version).await? {
        return Err(AppError::PreconditionFailed {
            expected: current.version,
            current: current.version + 1,
        });
    }
    w.audit(
        AuditAction::TeamDeleted,
        "team",
        Some(id.as_uuid()),
        Vec::new(),
        Some(json!({"name": current.name})),
    )
    .await?;
    w.emit("team.deleted", "team", id.as_uuid(), json!({"id": id}))
        .await?;
    w.commit().await
}

pub(crate) fn check_version(if_match: Option<i64>, current: i64) -> AppResult<()> {
    match if_match {
        Some(expected) if expected != current => {
            Err(AppError::PreconditionFailed { expected, current })
        }
        _ => Ok(()),
    }
}
