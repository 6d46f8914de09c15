//! The browser UI: pages rendered on the server with askama, Fluent messages in English,
//! Polish, Spanish and Ukrainian, and htmx (vendored) for partial updates. Pages call the
//! same `rapport-app` use cases as the REST API; nothing here decides a business rule.
//!
//! Invariants:
//! - every state-changing route checks the session's CSRF token (form field or header) and
//!   sits behind the cross-origin check of `CsrfLayer`;
//! - templates print values only through askama's HTML escaping (no `|safe` anywhere);
//! - templates hold no user-facing text: every word comes from the message files;
//! - the route list below is the router: the route × role test reads it.

mod assets;
mod board;
mod calendar;
mod convert;
mod figures;
mod forms;
mod home;
pub mod i18n;
mod lists;
mod login;
mod names;
mod page;
mod profile;
mod query;
mod record;
mod search;
mod settings;
mod show;

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::Method;
use axum::routing::{MethodRouter, get, post};
use rapport_core::object::ObjectType;
use tower_http::csrf::CsrfLayer;

use self::page::{Page, Submission, form_pairs};
use crate::state::AppState;

/// One route of the UI.
pub struct UiRoute {
    pub method: Method,
    pub path: String,
    handler: MethodRouter<AppState>,
}

fn route(method: Method, path: impl Into<String>, handler: MethodRouter<AppState>) -> UiRoute {
    UiRoute {
        method,
        path: path.into(),
        handler,
    }
}

const OBJECTS: [ObjectType; 5] = [
    ObjectType::Company,
    ObjectType::Contact,
    ObjectType::Lead,
    ObjectType::Opportunity,
    ObjectType::Activity,
];

fn object_routes(object: ObjectType) -> Vec<UiRoute> {
    let base = format!("/{}", object.plural());
    let mut out = vec![
        route(
            Method::GET,
            base.clone(),
            get(
                move |State(s): State<AppState>, page: Page, RawQuery(raw): RawQuery| {
                    lists::show(s, page, object, raw)
                },
            ),
        ),
        route(
            Method::POST,
            base.clone(),
            post(move |State(s): State<AppState>, sub: Submission| record::create(s, sub, object)),
        ),
        route(
            Method::GET,
            format!("{base}/new"),
            get(move |State(s): State<AppState>, page: Page| record::new_form(s, page, object)),
        ),
        route(
            Method::GET,
            format!("{base}/export.csv"),
            get(
                move |State(s): State<AppState>, page: Page, RawQuery(raw): RawQuery| {
                    lists::export(s, page, object, raw)
                },
            ),
        ),
        route(
            Method::POST,
            format!("{base}/views"),
            post(move |State(s): State<AppState>, sub: Submission| {
                lists::save_view(s, sub, object)
            }),
        ),
        route(
            Method::POST,
            format!("{base}/bulk"),
            post(move |State(s): State<AppState>, sub: Submission| lists::bulk(s, sub, object)),
        ),
        route(
            Method::GET,
            format!("{base}/{{id}}"),
            get(
                move |State(s): State<AppState>,
                      page: Page,
                      Path(id): Path<String>,
                      RawQuery(raw): RawQuery| {
                    let query = form_pairs(raw.unwrap_or_default().as_bytes());
                    record::show_record(s, page, object, id, query)
                },
            ),
        ),
        route(
            Method::POST,
            format!("{base}/{{id}}"),
            post(
                move |State(s): State<AppState>, Path(id): Path<String>, sub: Submission| {
                    record::update(s, sub, object, id)
                },
            ),
        ),
        route(
            Method::GET,
            format!("{base}/{{id}}/edit"),
            get(
                move |State(s): State<AppState>, page: Page, Path(id): Path<String>| {
                    record::edit_form(s, page, object, id)
                },
            ),
        ),
    ];
    out.push(route(
        Method::POST,
        format!("{base}/{{id}}/shares"),
        post(
            move |State(s): State<AppState>, Path(id): Path<String>, sub: Submission| {
                record::share(s, sub, object, id)
            },
        ),
    ));
    if object == ObjectType::Activity {
        out.push(route(
            Method::POST,
            format!("{base}/{{id}}/complete"),
            post(
                |State(s): State<AppState>, Path(id): Path<String>, sub: Submission| {
                    record::complete(s, sub, id)
                },
            ),
        ));
    } else {
        out.push(route(
            Method::POST,
            format!("{base}/{{id}}/activities"),
            post(
                move |State(s): State<AppState>, Path(id): Path<String>, sub: Submission| {
                    record::log_activity(s, sub, object, id)
                },
            ),
        ));
    }
    // Last, so that a walk through the routes meets the record before it is deleted.
    out.push(route(
        Method::POST,
        format!("{base}/{{id}}/delete"),
        post(
            move |State(s): State<AppState>, Path(id): Path<String>, sub: Submission| {
                record::delete(s, sub, object, id)
            },
        ),
    ));
    out
}

/// Every route of the UI.
pub fn routes() -> Vec<UiRoute> {
    let mut out = vec![
        route(Method::GET, "/", get(home::show)),
        route(Method::GET, "/login", get(login::show)),
        route(Method::POST, "/login", post(login::submit)),
        route(Method::POST, "/logout", post(login::logout)),
        route(Method::GET, "/profile", get(profile::show)),
        route(Method::POST, "/profile", post(profile::save)),
        route(Method::POST, "/profile/password", post(profile::password)),
        route(Method::POST, "/profile/tokens", post(profile::create_token)),
        route(
            Method::POST,
            "/profile/tokens/{id}/revoke",
            post(profile::revoke_token),
        ),
        route(Method::GET, "/search", get(search::show)),
        route(Method::GET, "/calendar", get(calendar::show)),
        route(
            Method::POST,
            "/shares/{id}/delete",
            post(
                |State(s): State<AppState>, Path(id): Path<String>, sub: Submission| {
                    record::unshare(s, sub, id)
                },
            ),
        ),
        route(
            Method::POST,
            "/views/{id}/delete",
            post(
                |State(s): State<AppState>, Path(id): Path<String>, sub: Submission| {
                    lists::delete_view(s, sub, id)
                },
            ),
        ),
        route(Method::GET, "/assets/{file}", get(assets::serve)),
        // A static segment: matchit prefers it to `/opportunities/{id}`.
        route(
            Method::GET,
            "/opportunities/board",
            get(
                |State(s): State<AppState>, page: Page, RawQuery(raw): RawQuery| {
                    board::show(s, page, raw)
                },
            ),
        ),
        route(
            Method::POST,
            "/opportunities/{id}/stage",
            post(
                |State(s): State<AppState>, Path(id): Path<String>, sub: Submission| {
                    board::move_stage(s, sub, id)
                },
            ),
        ),
        route(
            Method::GET,
            "/leads/{id}/convert",
            get(
                |State(s): State<AppState>, page: Page, Path(id): Path<String>| {
                    convert::form(s, page, id)
                },
            ),
        ),
        route(
            Method::POST,
            "/leads/{id}/convert",
            post(
                |State(s): State<AppState>, Path(id): Path<String>, sub: Submission| {
                    convert::submit(s, sub, id)
                },
            ),
        ),
    ];
    out.extend(settings::routes());
    for object in OBJECTS {
        out.extend(object_routes(object));
    }
    out
}

/// The method and path of every UI route, for the route × role test.
pub fn route_list() -> Vec<(String, String)> {
    routes()
        .into_iter()
        .map(|r| (r.method.to_string(), r.path))
        .collect()
}

pub fn router() -> Router<AppState> {
    let csrf = CsrfLayer::new().with_rejection_response(|_e| {
        axum::response::IntoResponse::into_response((
            axum::http::StatusCode::FORBIDDEN,
            "cross-origin requests may not change anything",
        ))
    });
    let mut r = Router::new();
    for UiRoute { path, handler, .. } in routes() {
        r = r.route(&path, handler);
    }
    r.layer(csrf)
}
