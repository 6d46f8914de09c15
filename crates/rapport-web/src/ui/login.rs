//! Signing in and out in the browser. The same use cases as `/auth/login` and
//! `/auth/logout`; the cookie is set and cleared the same way.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::AppError;
use rapport_app::auth::{self, LoginInput};
use serde::Deserialize;

use super::i18n::Tr;
use super::page::{
    Chrome, Submission, app_error, browser_locale, form_pairs, form_value, local_path, render,
};
use crate::session::{Meta, cookie_value, set_cookie};
use crate::state::AppState;

#[derive(askama::Template)]
#[template(path = "login.html")]
struct LoginPage {
    c: Chrome,
    next: String,
    workspace: String,
    email: String,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    signed_out: Option<String>,
}

fn page(tr: Tr, next: String) -> LoginPage {
    LoginPage {
        c: Chrome::anonymous(tr, tr.get("login-title")),
        next,
        workspace: String::new(),
        email: String::new(),
        error: None,
        notice: None,
    }
}

pub async fn show(headers: HeaderMap, Query(q): Query<LoginQuery>) -> Response {
    let tr = browser_locale(&headers);
    let mut p = page(tr, local_path(q.next.as_deref()));
    if q.signed_out.is_some() {
        p.notice = Some(tr.get("login-signed-out"));
    }
    render(&p)
}

pub async fn submit(
    State(s): State<AppState>,
    headers: HeaderMap,
    meta: Meta,
    body: Bytes,
) -> Response {
    let tr = browser_locale(&headers);
    let form = form_pairs(&body);
    let field = |k: &str| form_value(&form, k).unwrap_or_default().to_owned();
    let workspace = field("workspace");
    let input = LoginInput {
        workspace: Some(workspace.trim().to_owned()).filter(|w| !w.is_empty()),
        email: field("email"),
        password: field("password"),
        previous_session: cookie_value(&headers, s.config.session_cookie_name()),
    };
    let next = local_path(form_value(&form, "next"));
    match auth::login(&s.app, &input, &meta.0).await {
        Ok(done) => {
            let mut r = Redirect::to(&next).into_response();
            if let Some(cookie) = set_cookie(&s.config, &done.cookie_value, false) {
                r.headers_mut().insert(header::SET_COOKIE, cookie);
            }
            r
        }
        Err(e) => {
            let (status, error) = match e {
                AppError::Unauthenticated => (StatusCode::UNAUTHORIZED, tr.get("login-failed")),
                AppError::RateLimited { retry_after } => (
                    StatusCode::TOO_MANY_REQUESTS,
                    tr.arg(
                        "login-rate-limited",
                        "seconds",
                        retry_after.as_secs().max(1),
                    ),
                ),
                other => return app_error(tr, other),
            };
            let mut p = page(tr, next);
            p.workspace = workspace;
            p.email = input.email;
            p.error = Some(error);
            (status, render(&p)).into_response()
        }
    }
}

pub async fn logout(State(s): State<AppState>, sub: Submission) -> Response {
    let Submission { page, .. } = sub;
    if let Err(e) = auth::logout(&s.app, &page.auth, &page.meta).await {
        return app_error(page.tr, e);
    }
    let mut r = Redirect::to("/login?signed_out=1").into_response();
    if let Some(cookie) = set_cookie(&s.config, "", true) {
        r.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    r
}
