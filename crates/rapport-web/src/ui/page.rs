//! What every signed-in page starts from: the session, the user, their language, and the
//! layout around the content. A request without a live session is sent to the sign-in page.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use rapport_app::auth::{self, SessionAuth};
use rapport_app::model::User;
use rapport_app::{AppError, Caller, RequestMeta, users};
use rapport_core::locale::Locale;
use rapport_core::secret::csrf_matches;

use super::assets;
use super::i18n::{Tr, negotiate};
use crate::extract::request_meta;
use crate::session::{CSRF_HEADER, cookie_value, masked_csrf};
use crate::state::AppState;

/// The form field that carries the session's CSRF token.
pub const CSRF_FIELD: &str = "_csrf";

/// A signed-in page request.
pub struct Page {
    pub auth: SessionAuth,
    pub meta: RequestMeta,
    pub user: User,
    pub tr: Tr,
    /// Path and query of this request, for links back here.
    pub here: String,
    /// Sent by htmx: answer with the fragment it asked for, not the whole page.
    pub htmx: bool,
}

impl Page {
    pub fn caller(&self) -> Caller {
        Caller {
            principal: self.auth.principal.clone(),
            meta: self.meta.clone(),
        }
    }

    /// The layout's data, with `nav` naming the active section.
    pub fn chrome(&self, nav: &'static str, title: String) -> Chrome {
        Chrome {
            tr: self.tr,
            title,
            nav,
            // Never the bare token (see `masked_csrf`). Should the random source fail (it is
            // logged), the page shows and its forms are refused until it works again.
            csrf: masked_csrf(&self.auth.csrf_token).unwrap_or_default(),
            user_name: Some(self.user.display_name.clone()),
            admin: self.auth.principal.role == rapport_core::Role::Admin,
            css: assets::url("app.css"),
            js: assets::url("app.js"),
            htmx: assets::url("htmx.min.js"),
        }
    }

    /// Forms that only a writer can send are not offered to the read-only role: the
    /// refusal to answer with, if any.
    pub fn writer_refusal(&self) -> Option<Response> {
        (self.auth.principal.role == rapport_core::Role::ReadOnly)
            .then(|| error_page(self.tr, StatusCode::FORBIDDEN, "error-forbidden", None))
    }

    pub fn zone(&self) -> &str {
        &self.user.time_zone
    }

    /// The refusal of a state-changing request that lacks this session's token, in the
    /// form field or (from htmx) in the header.
    pub fn csrf_refusal(&self, headers: &HeaderMap, form: &[(String, String)]) -> Option<Response> {
        let sent = form
            .iter()
            .find(|(k, _)| k == CSRF_FIELD)
            .map(|(_, v)| v.as_str())
            .or_else(|| headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()))
            .unwrap_or_default();
        (!csrf_matches(sent, &self.auth.csrf_token))
            .then(|| error_page(self.tr, StatusCode::FORBIDDEN, "error-csrf", None))
    }
}

/// The layout around every page.
#[derive(Clone, Debug)]
pub struct Chrome {
    pub tr: Tr,
    pub title: String,
    pub nav: &'static str,
    pub csrf: String,
    pub user_name: Option<String>,
    /// Whether the settings link shows (the pages check the role again).
    pub admin: bool,
    pub css: String,
    pub js: String,
    pub htmx: String,
}

impl Chrome {
    /// The layout of pages seen before signing in.
    pub fn anonymous(tr: Tr, title: String) -> Self {
        Chrome {
            tr,
            title,
            nav: "",
            csrf: String::new(),
            user_name: None,
            admin: false,
            css: assets::url("app.css"),
            js: assets::url("app.js"),
            htmx: assets::url("htmx.min.js"),
        }
    }

    pub fn t(&self, id: &str) -> String {
        self.tr.get(id)
    }

    pub fn current(&self, nav: &str) -> &'static str {
        if self.nav == nav { "page" } else { "false" }
    }
}

/// The language for a request without a profile: the browser's, else English.
pub fn browser_locale(headers: &HeaderMap) -> Tr {
    let header = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    Tr::new(negotiate(header).unwrap_or_default())
}

pub enum Rejection {
    SignIn { next: String, htmx: bool },
    Error(Response),
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        match self {
            Rejection::SignIn { next, htmx } => {
                let to = format!("/login?next={}", urlencode(&next));
                if htmx {
                    // htmx follows a redirect inside the fragment; ask it for a full page.
                    let mut r = StatusCode::NO_CONTENT.into_response();
                    if let Ok(v) = HeaderValue::from_str(&to) {
                        r.headers_mut().insert("hx-redirect", v);
                    }
                    r
                } else {
                    Redirect::to(&to).into_response()
                }
            }
            Rejection::Error(r) => r,
        }
    }
}

pub fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

impl FromRequestParts<AppState> for Page {
    type Rejection = Rejection;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Rejection> {
        let here = parts
            .uri
            .path_and_query()
            .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
        let htmx = parts.headers.contains_key("hx-request");
        let sign_in = || Rejection::SignIn {
            next: here.clone(),
            htmx,
        };
        let cookie =
            cookie_value(&parts.headers, state.config.session_cookie_name()).ok_or_else(sign_in)?;
        let browser = browser_locale(&parts.headers);
        let auth = match auth::authenticate_session(&state.app, &cookie).await {
            Ok(a) => a,
            Err(AppError::Unauthenticated) => return Err(sign_in()),
            Err(e) => return Err(Rejection::Error(app_error(browser, e))),
        };
        let meta = request_meta(parts, state.config.trust_proxy);
        let caller = Caller {
            principal: auth.principal.clone(),
            meta: meta.clone(),
        };
        let user = users::get(&state.app, &caller, auth.principal.user_id)
            .await
            .map_err(|e| Rejection::Error(app_error(browser, e)))?;
        let tr = user
            .locale
            .parse::<Locale>()
            .map(Tr::new)
            .unwrap_or(browser);
        Ok(Page {
            auth,
            meta,
            user,
            tr,
            here,
            htmx,
        })
    }
}

/// A signed-in form post: the page, and the form once its CSRF token has been checked.
pub struct Submission {
    pub page: Page,
    pub form: Vec<(String, String)>,
}

impl FromRequest<AppState> for Submission {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let page = Page::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let bytes = axum::body::to_bytes(body, state.config.max_body_bytes)
            .await
            .map_err(|_| {
                error_page(
                    page.tr,
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "error-bad-request",
                    Some("the form is too large"),
                )
            })?;
        let form = form_pairs(&bytes);
        if let Some(refusal) = page.csrf_refusal(&parts.headers, &form) {
            return Err(refusal);
        }
        Ok(Submission { page, form })
    }
}

#[derive(askama::Template)]
#[template(path = "error.html")]
struct ErrorPage {
    c: Chrome,
    message: String,
}

/// A page that says what went wrong, in the reader's language, with the right status.
pub fn error_page(tr: Tr, status: StatusCode, key: &str, detail: Option<&str>) -> Response {
    let message = match detail {
        Some(d) => tr.arg(key, "detail", d),
        None => tr.get(key),
    };
    let page = ErrorPage {
        c: Chrome::anonymous(tr, tr.get("error-title")),
        message,
    };
    (status, render(&page)).into_response()
}

/// An application error as a page. Internal causes were logged where they happened.
pub fn app_error(tr: Tr, e: AppError) -> Response {
    match e {
        AppError::NotFound => error_page(tr, StatusCode::NOT_FOUND, "error-not-found", None),
        AppError::Forbidden(_) => error_page(tr, StatusCode::FORBIDDEN, "error-forbidden", None),
        AppError::Unauthenticated => Redirect::to("/login").into_response(),
        AppError::BadQuery(q) => error_page(
            tr,
            StatusCode::BAD_REQUEST,
            "error-bad-request",
            Some(&q.to_string()),
        ),
        AppError::Unavailable => error_page(
            tr,
            StatusCode::SERVICE_UNAVAILABLE,
            "error-unavailable",
            None,
        ),
        AppError::Conflict { message, .. } => error_page(
            tr,
            StatusCode::CONFLICT,
            "error-bad-request",
            Some(&message),
        ),
        AppError::RateLimited { .. } | AppError::TooManyJobs { .. } => {
            error_page(tr, StatusCode::TOO_MANY_REQUESTS, "error-unavailable", None)
        }
        AppError::Invalid(errors) => {
            let detail = errors
                .iter()
                .map(|e| format!("{}: {}", tr.field(&e.field), e.message))
                .collect::<Vec<_>>()
                .join("; ");
            error_page(
                tr,
                StatusCode::UNPROCESSABLE_ENTITY,
                "error-bad-request",
                Some(&detail),
            )
        }
        AppError::PreconditionFailed { .. } => {
            error_page(tr, StatusCode::PRECONDITION_FAILED, "record-conflict", None)
        }
        AppError::StorageFull | AppError::Internal => error_page(
            tr,
            StatusCode::INTERNAL_SERVER_ERROR,
            "error-internal",
            None,
        ),
    }
}

/// A form page's status: 422 when it comes back with errors.
pub fn form_status(errors: &[rapport_core::validation::FieldError]) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

/// Renders a template; a rendering failure is logged and answered with a plain 500.
pub fn render<T: askama::Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed to render");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// Reads an `application/x-www-form-urlencoded` body as ordered pairs, repeated keys kept.
pub fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

pub fn form_value<'a>(form: &'a [(String, String)], key: &str) -> Option<&'a str> {
    form.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// Only a local path may be a redirect target (no open redirect through `?next=`).
pub fn local_path(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_redirect_targets() {
        assert_eq!(local_path(Some("/contacts?x=1")), "/contacts?x=1");
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "evil",
        ] {
            assert_eq!(local_path(Some(bad)), "/", "{bad}");
        }
        assert_eq!(local_path(None), "/");
    }
}
