//! Workspace settings for admins: users, teams, roles, pipelines and stages, custom fields,
//! field rules with the default visibility, exchange rates, and the audit log. Every page calls the use case
//! its REST endpoint calls, and that use case checks the admin role again; the check here
//! only spares other roles a page they could not use.

mod access;
mod audit;
mod fields;
mod pipelines;
mod rates;
mod roles;
mod teams;
mod users;

use axum::extract::{Path, RawQuery, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use rapport_core::Role;
use uuid::Uuid;

use super::i18n::Tr;
use super::page::{Page, Submission, error_page, form_pairs, form_value};
use super::{UiRoute, route};
use crate::state::AppState;

/// The sections of the settings, in the order of their tabs.
const SECTIONS: [&str; 8] = [
    "users",
    "teams",
    "roles",
    "pipelines",
    "fields",
    "access",
    "exchange-rates",
    "audit",
];

/// One tab of the settings navigation.
pub struct Tab {
    pub href: String,
    pub label: String,
    pub current: &'static str,
}

fn tabs(tr: Tr, current: &str) -> Vec<Tab> {
    SECTIONS
        .iter()
        .map(|s| Tab {
            href: format!("/settings/{s}"),
            label: tr.get(&format!("settings-tab-{s}")),
            current: if *s == current { "page" } else { "false" },
        })
        .collect()
}

/// Settings are for admins: others are refused before anything is read.
fn refusal(page: &Page) -> Option<Response> {
    (page.auth.principal.role != Role::Admin)
        .then(|| error_page(page.tr, StatusCode::FORBIDDEN, "error-forbidden", None))
}

/// An id from the path; one that cannot be an id names nothing.
fn parse_uuid(raw: &str) -> Result<Uuid, rapport_app::AppError> {
    Uuid::try_parse(raw).map_err(|_| rapport_app::AppError::NotFound)
}

/// The notice for `?done=…` after a change was saved.
fn notice(tr: Tr, query: &[(String, String)]) -> Option<String> {
    match form_value(query, "done") {
        Some("created") => Some(tr.get("settings-created")),
        Some("saved") => Some(tr.get("settings-saved")),
        Some("deleted") => Some(tr.get("settings-deleted")),
        _ => None,
    }
}

fn query_of(raw: Option<String>) -> Vec<(String, String)> {
    form_pairs(raw.unwrap_or_default().as_bytes())
}

/// A field of a submitted form, trimmed; `None` when absent.
fn text(form: &[(String, String)], key: &str) -> Option<String> {
    form_value(form, key).map(|v| v.trim().to_owned())
}

/// A team chosen in a select (`field` names it in errors); empty means none.
fn team_ref(
    field: &str,
    raw: Option<String>,
) -> Result<Option<rapport_core::TeamId>, rapport_core::validation::FieldError> {
    use rapport_core::Id;
    match raw.as_deref() {
        None | Some("") => Ok(None),
        Some(t) => Uuid::try_parse(t)
            .map(|u| Some(rapport_core::TeamId::from_uuid(u)))
            .map_err(|_| {
                rapport_core::validation::FieldError::new(
                    field,
                    rapport_core::ErrorCode::UnknownReference,
                    "no such team",
                )
            }),
    }
}

/// A ticked checkbox sends "true" after its hidden "false".
fn ticked(form: &[(String, String)], key: &str) -> bool {
    form.iter()
        .rev()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        == Some("true")
}

fn back(to: String) -> Response {
    Redirect::to(&to).into_response()
}

pub fn routes() -> Vec<UiRoute> {
    vec![
        route(
            Method::GET,
            "/settings",
            get(|page: Page| async move {
                refusal(&page).unwrap_or_else(|| back("/settings/users".into()))
            }),
        ),
        route(
            Method::GET,
            "/settings/users",
            get(
                |State(s): State<AppState>, page: Page, RawQuery(raw): RawQuery| {
                    users::list(s, page, query_of(raw))
                },
            ),
        ),
        route(
            Method::POST,
            "/settings/users",
            post(|State(s): State<AppState>, sub: Submission| users::create(s, sub)),
        ),
        route(
            Method::GET,
            "/settings/users/{id}",
            get(
                |State(s): State<AppState>, page: Page, Path(id): Path<String>| {
                    users::edit(s, page, id)
                },
            ),
        ),
        route(
            Method::POST,
            "/settings/users/{id}",
            post(
                |State(s): State<AppState>, Path(id): Path<String>, sub: Submission| {
                    users::update(s, sub, id)
                },
            ),
        ),
        route(
            Method::GET,
            "/settings/teams",
            get(
                |State(s): State<AppState>, page: Page, RawQuery(raw): RawQuery| {
                    teams::list(s, page, query_of(raw))
                },
            ),
        ),
        route(
            Method::POST,
            "/settings/teams",
            post(|State(s): State<AppState>, sub: Submission| teams::create(s, sub)),
        ),
        route(
            Method::GET,
            "/settings/teams/{id}",
            get(
                |State(s): State<AppState>, page: Page, Path(id): Path<String>| {
                    teams::edit(s, page, id)
                },
            ),
        ),
        route(
            Method::POST,
            "/settings/teams/{id}",
            post(
                |State(s): State<AppState>, Path(id): Path<String>, sub: Submission| {
                    teams::update(s, sub, id)
                },
            ),
        ),
        route(
            Method::POST,
            "/settings/teams/{id}/delete",
            post(
                |State(s): State<AppState>, Path(id): Path<String>, sub: Submission| {
                    teams::delete(s, sub, id)
                },
            ),
        ),
        route(
            Method::GET,
            "/settings/roles",
            get(|State(s): State<AppState>, page: Page| roles::show(s, page)),
        ),
        route(
            Method::GET,
            "/settings/pipelines",
            get(
                |State(s): State<AppState>, page: Page, RawQuery(raw): RawQuery| {
                    pipelines::list(s, page, query_of(raw))
                },
            ),
        ),
        route(
            Method::GET,
            "/settings/pipelines/new",
            get(|page: Page| pipelines::new_form(page)),
        ),
        route(
            Method::POST,
            "/settings/pipelines",
            post(|State(s): State<AppState>, sub: Submission| pipelines::create(s, sub)),
        ),
        route(
            Method::GET,
            "/settings/pipelines/{id}",
            get(
                |State(s): State<AppState>, page: Page, Path(id): Path<String>| {
                    pipelines::edit(s, page, id)
                },
            ),
        ),
        route(
            Method::POST,
            "/settings/pipelines/{id}",
            post(
                |State(s): State<AppState>, Path(id): Path<String>, sub: Submission| {
                    pipelines::update(s, sub, id)
                },
            ),
        ),
        route(
            Method::POST,
            "/settings/pipelines/{id}/delete",
            post(
                |State(s): State<AppState>, Path(id): Path<String>, sub: Submission| {
                    pipelines::delete(s, sub, id)
                },
            ),
        ),
        route(
            Method::GET,
            "/settings/fields",
            get(
                |State(s): State<AppState>, page: Page, RawQuery(raw): RawQuery| {
                    fields::list(s, page, query_of(raw))
                },
            ),
        ),
        route(
            Method::POST,
            "/settings/fields",
            post(|State(s): State<AppState>, sub: Submission| fields::create(s, sub)),
        ),
        route(
            Method::GET,
            "/settings/fields/{id}",
            get(
                |State(s): State<AppState>, page: Page, Path(id): Path<String>| {
                    fields::edit(s, page, id)
                },
            ),
        ),
        route(
            Method::POST,
            "/settings/fields/{id}",
            post(
                |State(s): State<AppState>, Path(id): Path<String>, sub: Submission| {
                    fields::update(s, sub, id)
                },
            ),
        ),
        route(
            Method::POST,
            "/settings/fields/{id}/delete",
            post(
                |State(s): State<AppState>, Path(id): Path<String>, sub: Submission| {
                    fields::delete(s, sub, id)
                },
            ),
        ),
        route(
            Method::GET,
            "/settings/access",
            get(
                |State(s): State<AppState>, page: Page, RawQuery(raw): RawQuery| {
                    access::show(s, page, query_of(raw))
                },
            ),
        ),
        route(
            Method::POST,
            "/settings/access/rules",
            post(|State(s): State<AppState>, sub: Submission| access::save_rules(s, sub)),
        ),
        route(
            Method::POST,
            "/settings/access/visibility",
            post(|State(s): State<AppState>, sub: Submission| access::save_visibility(s, sub)),
        ),
        route(
            Method::GET,
            "/settings/exchange-rates",
            get(
                |State(s): State<AppState>, page: Page, RawQuery(raw): RawQuery| {
                    rates::show(s, page, query_of(raw))
                },
            ),
        ),
        route(
            Method::POST,
            "/settings/exchange-rates",
            post(|State(s): State<AppState>, sub: Submission| rates::save(s, sub)),
        ),
        route(
            Method::POST,
            "/settings/exchange-rates/delete",
            post(|State(s): State<AppState>, sub: Submission| rates::delete(s, sub)),
        ),
        route(
            Method::GET,
            "/settings/audit",
            get(
                |State(s): State<AppState>, page: Page, RawQuery(raw): RawQuery| {
                    audit::show(s, page, query_of(raw))
                },
            ),
        ),
    ]
}
