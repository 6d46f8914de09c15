//! Teams: the tree under which managers see their own team and every team below it.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rapport_app::AppError;
use rapport_app::model::Team;
use rapport_app::teams::{self, NewTeamInput, TeamPatch};
use rapport_core::validation::FieldError;
use rapport_core::{Id, TeamId};

use super::super::forms::error_for;
use super::super::lists::Choice;
use super::super::names::all_users;
use super::super::page::{Chrome, Page, Submission, app_error, form_status, form_value, render};
use super::users::{all_teams, team_choices};
use super::{Tab, back, notice, parse_uuid, refusal, tabs, team_ref, text};
use crate::state::AppState;

pub struct TeamRow {
    pub href: String,
    pub name: String,
    pub parent: String,
    pub members: usize,
}

pub struct Member {
    pub href: String,
    pub name: String,
}

#[derive(askama::Template)]
#[template(path = "settings_teams.html")]
struct TeamsPage {
    c: Chrome,
    tabs: Vec<Tab>,
    notice: Option<String>,
    rows: Vec<TeamRow>,
    name: String,
    parents: Vec<Choice>,
    name_error: Option<String>,
    parent_error: Option<String>,
}

#[derive(askama::Template)]
#[template(path = "settings_team.html")]
struct TeamPage {
    c: Chrome,
    tabs: Vec<Tab>,
    action: String,
    delete_action: String,
    version: i64,
    name: String,
    parents: Vec<Choice>,
    name_error: Option<String>,
    parent_error: Option<String>,
    summary: Option<String>,
    members: Vec<Member>,
}

async fn list_page(
    s: &AppState,
    page: &Page,
    notice: Option<String>,
    typed: Option<&[(String, String)]>,
    errors: &[FieldError],
) -> Response {
    let tr = page.tr;
    let teams = all_teams(s, page).await;
    let people = match all_users(&s.app, &page.caller()).await {
        Ok(u) => u,
        Err(e) => return app_error(tr, e),
    };
    let name_of = |id: Option<TeamId>| {
        id.and_then(|id| teams.iter().find(|t| t.id == id))
            .map(|t| t.name.clone())
            .unwrap_or_default()
    };
    let rows = teams
        .iter()
        .map(|t: &Team| TeamRow {
            href: format!("/settings/teams/{}", t.id.as_uuid()),
            name: t.name.clone(),
            parent: name_of(t.parent_id),
            members: people.iter().filter(|u| u.team_id == Some(t.id)).count(),
        })
        .collect();
    let v = |k: &str| {
        typed
            .and_then(|f| form_value(f, k))
            .unwrap_or_default()
            .to_owned()
    };
    let view = TeamsPage {
        c: page.chrome("settings", tr.get("settings-teams-title")),
        tabs: tabs(tr, "teams"),
        notice,
        rows,
        name: v("name"),
        parents: team_choices(&teams, &v("parent_id"), tr.get("settings-team-root")),
        name_error: error_for(tr, "name", errors),
        parent_error: error_for(tr, "parent_id", errors),
    };
    (form_status(errors), render(&view)).into_response()
}

pub async fn list(s: AppState, page: Page, query: Vec<(String, String)>) -> Response {
    if let Some(r) = refusal(&page) {
        return r;
    }
    let notice = notice(page.tr, &query);
    list_page(&s, &page, notice, None, &[]).await
}

pub async fn create(s: AppState, sub: Submission) -> Response {
    let Submission { page, form } = sub;
    if let Some(r) = refusal(&page) {
        return r;
    }
    let result = match team_ref("parent_id", text(&form, "parent_id")) {
        Ok(parent_id) => {
            let input = NewTeamInput {
                name: text(&form, "name").unwrap_or_default(),
                parent_id,
            };
            teams::create(&s.app, &page.caller(), &input).await
        }
        Err(e) => Err(AppError::Invalid(vec![e])),
    };
    match result {
        Ok(_) => back("/settings/teams?done=created".into()),
        Err(AppError::Invalid(errors)) => list_page(&s, &page, None, Some(&form), &errors).await,
        Err(e) => app_error(page.tr, e),
    }
}

async fn load(s: &AppState, page: &Page, raw: &str) -> Result<Team, Response> {
    let id = parse_uuid(raw).map_err(|e| app_error(page.tr, e))?;
    teams::get(&s.app, &page.caller(), TeamId::from_uuid(id))
        .await
        .map_err(|e| app_error(page.tr, e))
}

#[allow(clippy::too_many_arguments)]
async fn team_page(
    s: &AppState,
    page: &Page,
    team: &Team,
    name: String,
    parent: String,
    errors: &[FieldError],
    summary: Option<String>,
    status: StatusCode,
) -> Response {
    let tr = page.tr;
    let others: Vec<Team> = all_teams(s, page)
        .await
        .into_iter()
        .filter(|t| t.id != team.id)
        .collect();
    let members = match all_users(&s.app, &page.caller()).await {
        Ok(u) => u
            .into_iter()
            .filter(|u| u.team_id == Some(team.id))
            .map(|u| Member {
                href: format!("/settings/users/{}", u.id.as_uuid()),
                name: u.display_name,
            })
            .collect(),
        Err(e) => return app_error(tr, e),
    };
    let id = team.id.as_uuid();
    let view = TeamPage {
        c: page.chrome("settings", team.name.clone()),
        tabs: tabs(tr, "teams"),
        action: format!("/settings/teams/{id}"),
        delete_action: format!("/settings/teams/{id}/delete"),
        version: team.version,
        name,
        parents: team_choices(&others, &parent, tr.get("settings-team-root")),
        name_error: error_for(tr, "name", errors),
        parent_error: error_for(tr, "parent_id", errors),
        summary: summary.or_else(|| {
            (!errors.is_empty()).then(|| tr.count("record-errors", errors.len() as i64))
        }),
        members,
    };
    (status, render(&view)).into_response()
}

pub async fn edit(s: AppState, page: Page, raw_id: String) -> Response {
    if let Some(r) = refusal(&page) {
        return r;
    }
    let team = match load(&s, &page, &raw_id).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    let parent = team
        .parent_id
        .map(|p| p.as_uuid().to_string())
        .unwrap_or_default();
    team_page(
        &s,
        &page,
        &team,
        team.name.clone(),
        parent,
        &[],
        None,
        StatusCode::OK,
    )
    .await
}

pub async fn update(s: AppState, sub: Submission, raw_id: String) -> Response {
    let Submission { page, form } = sub;
    if let Some(r) = refusal(&page) {
        return r;
    }
    let team = match load(&s, &page, &raw_id).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    let version = form_value(&form, "_version").and_then(|v| v.parse::<i64>().ok());
    let result = match team_ref("parent_id", text(&form, "parent_id")) {
        Ok(parent_id) => {
            let patch = TeamPatch {
                name: text(&form, "name"),
                parent_id: Some(parent_id),
            };
            teams::update(&s.app, &page.caller(), team.id, &patch, version).await
        }
        Err(e) => Err(AppError::Invalid(vec![e])),
    };
    let typed_name = text(&form, "name").unwrap_or_default();
    let typed_parent = text(&form, "parent_id").unwrap_or_default();
    match result {
        Ok(_) => back("/settings/teams?done=saved".into()),
        Err(AppError::Invalid(errors)) => {
            team_page(
                &s,
                &page,
                &team,
                typed_name,
                typed_parent,
                &errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AppError::PreconditionFailed { .. }) => {
            team_page(
                &s,
                &page,
                &team,
                typed_name,
                typed_parent,
                &[],
                Some(page.tr.get("record-conflict")),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => app_error(page.tr, e),
    }
}

pub async fn delete(s: AppState, sub: Submission, raw_id: String) -> Response {
    let Submission { page, .. } = sub;
    if let Some(r) = refusal(&page) {
        return r;
    }
    let id = match parse_uuid(&raw_id) {
        Ok(id) => id,
        Err(e) => return app_error(page.tr, e),
    };
    match teams::delete(&s.app, &page.caller(), TeamId::from_uuid(id), None).await {
        Ok(()) => back("/settings/teams?done=deleted".into()),
        Err(e) => app_error(page.tr, e),
    }
}
