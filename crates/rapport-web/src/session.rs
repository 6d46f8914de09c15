//! `/auth`: signing in to and out of the browser UI.
//!
//! These are the only routes that read the session cookie. State-changing ones are guarded
//! twice against cross-site requests: the Origin / Sec-Fetch-Site check of `CsrfLayer`, and a
//! per-session synchronizer token in `X-CSRF-Token` (SECURITY.md S7).

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rapport_app::auth::{self, LoginInput, SessionAuth};
use rapport_app::users;
use rapport_app::{Caller, RequestMeta};
use rapport_core::secret::{csrf_matches, mask_csrf};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::dto::{UserDto, present};
use crate::api::me::WorkspaceDto;
use crate::extract::request_meta;
use crate::json::{ApiJson, JsonResponse, RequestBody};
use crate::problem::{ApiResult, Kind, Problem};
use crate::state::{AppState, WebConfig};

pub const CSRF_HEADER: &str = "x-csrf-token";

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = Login)]
pub struct LoginBody {
    /// The workspace slug; may be left out when the server holds one workspace.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = String, required = false)]
    pub workspace: Option<String>,
    #[schema(max_length = 254)]
    pub email: String,
    #[schema(format = Password, max_length = 1024)]
    pub password: String,
}

impl RequestBody for LoginBody {}

/// The signed-in user and the CSRF token to send with every state-changing request.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Session)]
pub struct SessionDto {
    pub user: UserDto,
    pub workspace: WorkspaceDto,
    pub csrf_token: String,
}

pub(crate) fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

pub(crate) fn set_cookie(config: &WebConfig, value: &str, clear: bool) -> Option<HeaderValue> {
    let mut cookie = format!(
        "{}={}; Path=/; HttpOnly; SameSite=Lax",
        config.session_cookie_name(),
        value
    );
    if config.secure_cookies {
        cookie.push_str("; Secure");
    }
    if clear {
        cookie.push_str("; Max-Age=0");
    }
    HeaderValue::from_str(&cookie).ok()
}

/// A signed-in browser session.
pub struct SessionCaller {
    pub auth: SessionAuth,
    pub meta: RequestMeta,
}

impl SessionCaller {
    pub fn caller(&self) -> Caller {
        Caller {
            principal: self.auth.principal.clone(),
            meta: self.meta.clone(),
        }
    }
}

impl FromRequestParts<AppState> for SessionCaller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let name = state.config.session_cookie_name();
        let value = cookie_value(&parts.headers, name).ok_or_else(|| {
            Problem::new(
                Kind::Unauthenticated,
                "sign in first: there is no session cookie",
            )
        })?;
        let auth = auth::authenticate_session(&state.app, &value)
            .await
            .map_err(|e| match e {
                rapport_app::AppError::Unauthenticated => Problem::new(
                    Kind::Unauthenticated,
                    "the session has ended; sign in again",
                ),
                other => other.into(),
            })?;
        Ok(SessionCaller {
            auth,
            meta: request_meta(parts, state.config.trust_proxy),
        })
    }
}

/// The session's CSRF token masked afresh for one response: responses are compressed, and a
/// constant secret in them would leak through their size (BREACH; see `mask_csrf`).
pub(crate) fn masked_csrf(token: &str) -> Result<String, rapport_app::AppError> {
    rapport_app::secrets::random_secret().map(|pad| mask_csrf(token, pad))
}

/// Refuses a state-changing session request without this session's CSRF token.
pub fn require_csrf(headers: &HeaderMap, session: &SessionAuth) -> Result<(), Problem> {
    let sent = headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if csrf_matches(sent, &session.csrf_token) {
        Ok(())
    } else {
        Err(Problem {
            code: Some("csrf"),
            ..Problem::new(
                Kind::Forbidden,
                "the X-CSRF-Token header is missing or wrong",
            )
        })
    }
}

async fn session_body(state: &AppState, session: &SessionCaller) -> ApiResult<SessionDto> {
    let caller = session.caller();
    let user = users::get(&state.app, &caller, caller.principal.user_id).await?;
    let ws = rapport_app::workspaces::get(&state.app, caller.principal.workspace_id).await?;
    Ok(SessionDto {
        user: user.into(),
        workspace: workspace_dto(ws),
        csrf_token: masked_csrf(&session.auth.csrf_token)?,
    })
}

fn workspace_dto(ws: rapport_app::model::Workspace) -> WorkspaceDto {
    use rapport_core::Id;
    WorkspaceDto {
        id: ws.id.as_uuid(),
        name: ws.name,
        slug: ws.slug,
        base_currency: ws.base_currency,
    }
}

#[utoipa::path(post, path = "/auth/login", tag = "session", operation_id = "login",
    request_body = LoginBody,
    responses((status = 200, description = "Signed in; the session cookie is set", body = SessionDto,
        headers(("Set-Cookie" = String, description = "The session cookie (HttpOnly, SameSite=Lax)")))))]
pub async fn login(
    State(s): State<AppState>,
    headers: HeaderMap,
    parts_meta: Meta,
    ApiJson(b): ApiJson<LoginBody>,
) -> ApiResult<Response> {
    let input = LoginInput {
        workspace: b.workspace,
        email: b.email,
        password: b.password,
        previous_session: cookie_value(&headers, s.config.session_cookie_name()),
    };
    let done = auth::login(&s.app, &input, &parts_meta.0).await?;
    let body = SessionDto {
        user: done.user.into(),
        workspace: workspace_dto(done.workspace),
        csrf_token: done.csrf_token,
    };
    let mut response = JsonResponse::ok(body).into_response();
    if let Some(cookie) = set_cookie(&s.config, &done.cookie_value, false) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

#[utoipa::path(get, path = "/auth/session", tag = "session", operation_id = "get_session",
    responses((status = 200, description = "The current session", body = SessionDto)),
    security(("session" = [])))]
pub async fn current(
    State(s): State<AppState>,
    session: SessionCaller,
) -> ApiResult<JsonResponse<SessionDto>> {
    Ok(JsonResponse::ok(session_body(&s, &session).await?))
}

#[utoipa::path(post, path = "/auth/logout", tag = "session", operation_id = "logout",
    params(("X-CSRF-Token" = String, Header, description = "The session's CSRF token")),
    responses((status = 204, description = "Signed out; the cookie is cleared")),
    security(("session" = [])))]
pub async fn logout(
    State(s): State<AppState>,
    headers: HeaderMap,
    session: SessionCaller,
) -> ApiResult<Response> {
    require_csrf(&headers, &session.auth)?;
    auth::logout(&s.app, &session.auth, &session.meta).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    if let Some(cookie) = set_cookie(&s.config, "", true) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

/// The request's audit facts, for handlers without a signed-in caller.
pub struct Meta(pub RequestMeta);

impl FromRequestParts<AppState> for Meta {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        Ok(Meta(request_meta(parts, state.config.trust_proxy)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_named_cookie_among_others() {
        let mut h = HeaderMap::new();
        h.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; rapport_session=abc; b=2"),
        );
        assert_eq!(cookie_value(&h, "rapport_session").as_deref(), Some("abc"));
        assert_eq!(cookie_value(&h, "__Host-rapport_session"), None);
    }

    #[test]
    fn cookie_flags_follow_the_transport() {
        let plain = set_cookie(&WebConfig::default(), "v", false)
            .map(|h| h.to_str().unwrap_or_default().to_owned());
        assert_eq!(
            plain.as_deref(),
            Some("rapport_session=v; Path=/; HttpOnly; SameSite=Lax")
        );
        let tls = WebConfig {
            secure_cookies: true,
            ..WebConfig::default()
        };
        let secure =
            set_cookie(&tls, "v", false).map(|h| h.to_str().unwrap_or_default().to_owned());
        assert_eq!(
            secure.as_deref(),
            Some("__Host-rapport_session=v; Path=/; HttpOnly; SameSite=Lax; Secure")
        );
    }
}
