//! Users: who may sign in, with which role and team, language and time zone.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rapport_app::model::{Team, User};
use rapport_app::users::{self, NewUserInput, UserPatch};
use rapport_app::{AppError, PageRequest, teams};
use rapport_core::locale::Locale;
use rapport_core::validation::FieldError;
use rapport_core::{Id, Role, TeamId, UserId};
use uuid::Uuid;

use super::super::forms::error_for;
use super::super::i18n::Tr;
use super::super::lists::Choice;
use super::super::page::{Chrome, Page, Submission, app_error, form_value, render};
use super::{Tab, back, notice, parse_uuid, refusal, tabs, team_ref, text, ticked};
use crate::state::AppState;

pub struct UserRow {
    pub href: String,
    pub name: String,
    pub email: String,
    pub role: String,
    pub team: String,
    pub enabled: bool,
    pub last_login: String,
}

/// The fields of the new-user and edit forms, as shown or as typed.
#[derive(Default)]
pub struct UserForm {
    pub email: String,
    pub display_name: String,
    pub time_zone: String,
    pub enabled: bool,
    pub version: i64,
    pub roles: Vec<Choice>,
    pub teams: Vec<Choice>,
    pub languages: Vec<Choice>,
    pub email_error: Option<String>,
    pub name_error: Option<String>,
    pub role_error: Option<String>,
    pub team_error: Option<String>,
    pub password_error: Option<String>,
    pub zone_error: Option<String>,
    pub locale_error: Option<String>,
    pub enabled_error: Option<String>,
    pub summary: Option<String>,
}

#[derive(askama::Template)]
#[template(path = "settings_users.html")]
struct UsersPage {
    c: Chrome,
    tabs: Vec<Tab>,
    notice: Option<String>,
    generated: Option<String>,
    rows: Vec<UserRow>,
    next_href: Option<String>,
    form: UserForm,
}

#[derive(askama::Template)]
#[template(path = "settings_user.html")]
struct UserPage {
    c: Chrome,
    tabs: Vec<Tab>,
    heading: String,
    action: String,
    form: UserForm,
}

pub async fn all_teams(s: &AppState, page: &Page) -> Vec<Team> {
    teams::list(&s.app, &page.caller(), PageRequest::new(None, Some(200)))
        .await
        .map(|p| p.items)
        .unwrap_or_default()
}

fn role_choices(tr: Tr, selected: &str) -> Vec<Choice> {
    Role::ALL
        .iter()
        .map(|r| Choice {
            value: r.as_str().to_owned(),
            label: tr.get(&format!("settings-role-{}", r.as_str())),
            selected: r.as_str() == selected,
        })
        .collect()
}

/// Teams to choose from, with "no team" first.
pub fn team_choices(teams: &[Team], selected: &str, none_label: String) -> Vec<Choice> {
    std::iter::once(Choice {
        value: String::new(),
        label: none_label,
        selected: selected.is_empty(),
    })
    .chain(teams.iter().map(|t| {
        let id = t.id.as_uuid().to_string();
        Choice {
            selected: id == selected,
            value: id,
            label: t.name.clone(),
        }
    }))
    .collect()
}

fn language_choices(tr: Tr, selected: &str) -> Vec<Choice> {
    Locale::ALL
        .iter()
        .map(|l| Choice {
            value: l.as_str().to_owned(),
            label: tr.get(&format!("language-{}", l.as_str())),
            selected: l.as_str() == selected,
        })
        .collect()
}

fn with_errors(tr: Tr, mut form: UserForm, errors: &[FieldError]) -> UserForm {
    let e = |f: &str| error_for(tr, f, errors);
    form.email_error = e("email");
    form.name_error = e("display_name");
    form.role_error = e("role");
    form.team_error = e("team_id");
    form.password_error = e("password");
    form.zone_error = e("time_zone");
    form.locale_error = e("locale");
    form.enabled_error = e("enabled");
    if !errors.is_empty() {
        form.summary = Some(tr.count("record-errors", errors.len() as i64));
    }
    form
}

/// The new-user form: empty, or as typed when it comes back with errors.
fn new_user_form(
    tr: Tr,
    teams: &[Team],
    typed: Option<&[(String, String)]>,
    errors: &[FieldError],
) -> UserForm {
    let v = |k: &str| typed.and_then(|f| form_value(f, k)).unwrap_or_default();
    let role = if typed.is_some() { v("role") } else { "rep" };
    let locale = if typed.is_some() { v("locale") } else { "en" };
    let form = UserForm {
        email: v("email").to_owned(),
        display_name: v("display_name").to_owned(),
        time_zone: if typed.is_some() {
            v("time_zone").to_owned()
        } else {
            "UTC".to_owned()
        },
        enabled: true,
        roles: role_choices(tr, role),
        teams: team_choices(teams, v("team_id"), tr.get("settings-no-team")),
        languages: language_choices(tr, locale),
        ..UserForm::default()
    };
    with_errors(tr, form, errors)
}

async fn list_page(
    s: &AppState,
    page: &Page,
    after: Option<UserId>,
    notice: Option<String>,
    generated: Option<String>,
    form: UserForm,
    status: StatusCode,
) -> Response {
    let tr = page.tr;
    let caller = page.caller();
    let listed = match users::list(&s.app, &caller, PageRequest::new(after, Some(100))).await {
        Ok(p) => p,
        Err(e) => return app_error(tr, e),
    };
    let teams = all_teams(s, page).await;
    let team_name = |id: Option<TeamId>| {
        id.and_then(|id| teams.iter().find(|t| t.id == id))
            .map(|t| t.name.clone())
            .unwrap_or_default()
    };
    let rows = listed
        .items
        .iter()
        .map(|u: &User| UserRow {
            href: format!("/settings/users/{}", u.id.as_uuid()),
            name: u.display_name.clone(),
            email: u.email.clone(),
            role: tr.get(&format!("settings-role-{}", u.role.as_str())),
            team: team_name(u.team_id),
            enabled: u.enabled,
            last_login: u
                .last_login_at
                .map(|at| rapport_core::format::date_time(tr.locale, at, page.zone()))
                .unwrap_or_else(|| tr.get("profile-token-never")),
        })
        .collect();
    let view = UsersPage {
        c: page.chrome("settings", tr.get("settings-users-title")),
        tabs: tabs(tr, "users"),
        notice,
        generated,
        rows,
        next_href: listed
            .next
            .map(|n| format!("/settings/users?after={}", n.as_uuid())),
        form,
    };
    (status, render(&view)).into_response()
}

pub async fn list(s: AppState, page: Page, query: Vec<(String, String)>) -> Response {
    if let Some(r) = refusal(&page) {
        return r;
    }
    let after = form_value(&query, "after")
        .and_then(|a| Uuid::try_parse(a).ok())
        .map(UserId::from_uuid);
    let teams = all_teams(&s, &page).await;
    let form = new_user_form(page.tr, &teams, None, &[]);
    let notice = notice(page.tr, &query);
    list_page(&s, &page, after, notice, None, form, StatusCode::OK).await
}

pub async fn create(s: AppState, sub: Submission) -> Response {
    let Submission { page, form } = sub;
    if let Some(r) = refusal(&page) {
        return r;
    }
    let tr = page.tr;
    let result = match team_ref("team_id", text(&form, "team_id")) {
        Ok(team_id) => {
            let input = NewUserInput {
                email: text(&form, "email").unwrap_or_default(),
                display_name: text(&form, "display_name").filter(|n| !n.is_empty()),
                role: text(&form, "role").unwrap_or_default(),
                team_id,
                // Empty: the server makes a strong password and shows it once.
                password: form_value(&form, "password")
                    .filter(|p| !p.is_empty())
                    .map(str::to_owned),
                locale: text(&form, "locale"),
                time_zone: text(&form, "time_zone"),
            };
            users::add(&s.app, &page.caller(), &input).await
        }
        Err(e) => Err(AppError::Invalid(vec![e])),
    };
    let teams = all_teams(&s, &page).await;
    match result {
        Ok(created) => {
            let notice = Some(tr.arg("settings-user-created", "email", &created.user.email));
            let form = new_user_form(tr, &teams, None, &[]);
            list_page(
                &s,
                &page,
                None,
                notice,
                created.generated_password,
                form,
                StatusCode::OK,
            )
            .await
        }
        Err(AppError::Invalid(errors)) => {
            let form = new_user_form(tr, &teams, Some(&form), &errors);
            list_page(
                &s,
                &page,
                None,
                None,
                None,
                form,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => app_error(tr, e),
    }
}

fn edit_form_of(tr: Tr, user: &User, teams: &[Team]) -> UserForm {
    let team = user
        .team_id
        .map(|t| t.as_uuid().to_string())
        .unwrap_or_default();
    UserForm {
        email: user.email.clone(),
        display_name: user.display_name.clone(),
        time_zone: user.time_zone.clone(),
        enabled: user.enabled,
        version: user.version,
        roles: role_choices(tr, user.role.as_str()),
        teams: team_choices(teams, &team, tr.get("settings-no-team")),
        languages: language_choices(tr, &user.locale),
        ..UserForm::default()
    }
}

fn edit_page(page: &Page, user: &User, form: UserForm, status: StatusCode) -> Response {
    let tr = page.tr;
    let view = UserPage {
        c: page.chrome("settings", user.display_name.clone()),
        tabs: tabs(tr, "users"),
        heading: user.display_name.clone(),
        action: format!("/settings/users/{}", user.id.as_uuid()),
        form,
    };
    (status, render(&view)).into_response()
}

async fn load(s: &AppState, page: &Page, raw: &str) -> Result<User, Response> {
    let id = parse_uuid(raw).map_err(|e| app_error(page.tr, e))?;
    users::get(&s.app, &page.caller(), UserId::from_uuid(id))
        .await
        .map_err(|e| app_error(page.tr, e))
}

pub async fn edit(s: AppState, page: Page, raw_id: String) -> Response {
    if let Some(r) = refusal(&page) {
        return r;
    }
    let user = match load(&s, &page, &raw_id).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let teams = all_teams(&s, &page).await;
    let form = edit_form_of(page.tr, &user, &teams);
    edit_page(&page, &user, form, StatusCode::OK)
}

pub async fn update(s: AppState, sub: Submission, raw_id: String) -> Response {
    let Submission { page, form } = sub;
    if let Some(r) = refusal(&page) {
        return r;
    }
    let tr = page.tr;
    let user = match load(&s, &page, &raw_id).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let version = form_value(&form, "_version").and_then(|v| v.parse::<i64>().ok());
    let result = match team_ref("team_id", text(&form, "team_id")) {
        Ok(team_id) => {
            let patch = UserPatch {
                display_name: text(&form, "display_name"),
                role: text(&form, "role"),
                team_id: Some(team_id),
                enabled: Some(ticked(&form, "enabled")),
                locale: text(&form, "locale"),
                time_zone: text(&form, "time_zone"),
            };
            users::update(
                &s.app,
                &page.caller(),
                UserId::from_uuid(user.id.as_uuid()),
                &patch,
                version,
            )
            .await
        }
        Err(e) => Err(AppError::Invalid(vec![e])),
    };
    let teams = all_teams(&s, &page).await;
    let typed = |errors: &[FieldError], summary: Option<String>| {
        let v = |k: &str| form_value(&form, k).unwrap_or_default();
        let mut f = UserForm {
            email: user.email.clone(),
            display_name: v("display_name").to_owned(),
            time_zone: v("time_zone").to_owned(),
            enabled: ticked(&form, "enabled"),
            version: user.version,
            roles: role_choices(tr, v("role")),
            teams: team_choices(&teams, v("team_id"), tr.get("settings-no-team")),
            languages: language_choices(tr, v("locale")),
            ..UserForm::default()
        };
        f = with_errors(tr, f, errors);
        if summary.is_some() {
            f.summary = summary;
        }
        f
    };
    match result {
        Ok(_) => back("/settings/users?done=saved".into()),
        Err(AppError::Invalid(errors)) => edit_page(
            &page,
            &user,
            typed(&errors, None),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(AppError::PreconditionFailed { .. }) => edit_page(
            &page,
            &user,
            typed(&[], Some(tr.get("record-conflict"))),
            StatusCode::CONFLICT,
        ),
        Err(e) => app_error(tr, e),
    }
}
