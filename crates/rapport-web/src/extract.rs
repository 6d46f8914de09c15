//! Extractors: who is calling, from where, and with which preconditions.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rapport_app::{Caller, RequestMeta, auth};
use rapport_core::Id;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::problem::Problem;
use crate::state::AppState;

/// The request id set by the request-id layer.
pub const REQUEST_ID: &str = "x-request-id";

pub fn request_meta(parts: &Parts, trust_proxy: bool) -> RequestMeta {
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let forwarded = if trust_proxy {
        header("x-forwarded-for").and_then(|v| v.split(',').next().map(|s| s.trim().to_owned()))
    } else {
        None
    };
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string());
    RequestMeta {
        request_id: header(REQUEST_ID),
        ip: forwarded.or(peer),
        user_agent: header(header::USER_AGENT.as_str()),
    }
}

/// An API caller authenticated by `Authorization: Bearer rpt_…`. The API never looks at
/// cookies, so a browser session cannot be ridden into it (no CSRF surface).
pub struct ApiCaller(pub Caller);

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        // The idempotency layer has authenticated this request already.
        if let Some(principal) = parts.extensions.get::<rapport_app::Principal>() {
            return Ok(ApiCaller(Caller {
                principal: principal.clone(),
                meta: request_meta(parts, state.config.trust_proxy),
            }));
        }
        let value = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(Problem::unauthenticated)?;
        let (scheme, token) = value
            .trim()
            .split_once(' ')
            .ok_or_else(Problem::unauthenticated)?;
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(Problem::unauthenticated());
        }
        let principal = auth::authenticate_token(&state.app, token).await?;
        Ok(ApiCaller(Caller {
            principal,
            meta: request_meta(parts, state.config.trust_proxy),
        }))
    }
}

/// The version named by `If-Match: "N"`, when present. `*` matches any version.
pub struct IfMatch(pub Option<i64>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Problem> {
        let Some(raw) = parts.headers.get(header::IF_MATCH) else {
            return Ok(IfMatch(None));
        };
        let text = raw.to_str().unwrap_or_default().trim();
        if text == "*" {
            return Ok(IfMatch(None));
        }
        let unquoted = text.strip_prefix("W/").unwrap_or(text).trim_matches('"');
        unquoted
            .parse::<i64>()
            .map(|v| IfMatch(Some(v)))
            .map_err(|_| {
                Problem::bad_request("If-Match must be an ETag this API gave out, such as \"3\"")
            })
    }
}

/// Query parameters, with malformed ones answered as a 400 problem.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Problem> {
        let query = parts.uri.query().unwrap_or_default();
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(ApiQuery)
            .map_err(|e| {
                let path = e.path().to_string();
                let msg = e.into_inner().to_string();
                if path.is_empty() || path == "." {
                    Problem::bad_request(format!("bad query: {msg}"))
                } else {
                    Problem::bad_request(format!("bad query parameter {path}: {msg}"))
                }
            })
    }
}

/// A typed id from the path. An id that is not a UUID cannot exist: 404, like any id the
/// caller may not see.
pub struct PathId<T>(pub T);

impl<S: Send + Sync, T: Id> FromRequestParts<S> for PathId<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|_| Problem::not_found())?;
        Uuid::try_parse(&raw)
            .map(|u| PathId(T::from_uuid(u)))
            .map_err(|_| Problem::not_found())
    }
}

/// A UUID from the path; anything else is 404, like an id the caller may not see.
pub struct PathUuid(pub Uuid);

impl<S: Send + Sync> FromRequestParts<S> for PathUuid {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|_| Problem::not_found())?;
        Uuid::try_parse(&raw)
            .map(PathUuid)
            .map_err(|_| Problem::not_found())
    }
}

/// Opaque keyset cursors: base64url of a JSON array holding the last row's sort key.
pub mod cursor {
    use super::*;

    pub fn encode<T: Id>(last: T) -> String {
        encode_uuid(last.as_uuid())
    }

    pub fn encode_uuid(last: Uuid) -> String {
        let json = serde_json::json!([last.to_string()]);
        URL_SAFE_NO_PAD.encode(json.to_string())
    }

    pub fn decode<T: Id>(raw: Option<&str>) -> Result<Option<T>, Problem> {
        decode_uuid(raw).map(|u| u.map(T::from_uuid))
    }

    /// A sort key of several strings (rates page by currency, then day).
    pub fn encode_keys(keys: &[String]) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::json!(keys).to_string())
    }

    /// The `count` strings of a cursor made by `encode_keys`.
    pub fn decode_keys(raw: Option<&str>, count: usize) -> Result<Option<Vec<String>>, Problem> {
        let Some(raw) = raw.filter(|r| !r.is_empty()) else {
            return Ok(None);
        };
        let keys: Option<Vec<String>> = URL_SAFE_NO_PAD
            .decode(raw)
            .ok()
            .and_then(|b| serde_json::from_slice::<Vec<String>>(&b).ok())
            .filter(|k| k.len() == count);
        keys.map(Some).ok_or_else(|| {
            Problem::bad_request("the cursor is not one this API gave out; start again without it")
        })
    }

    pub fn decode_uuid(raw: Option<&str>) -> Result<Option<Uuid>, Problem> {
        let Some(raw) = raw.filter(|r| !r.is_empty()) else {
            return Ok(None);
        };
        let bad = || {
            Problem::bad_request("the cursor is not one this API gave out; start again without it")
        };
        let bytes = URL_SAFE_NO_PAD.decode(raw).map_err(|_| bad())?;
        let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|_| bad())?;
        let id = value
            .as_array()
            .and_then(|a| a.first())
            .and_then(|v| v.as_str())
            .and_then(|s| Uuid::try_parse(s).ok())
            .ok_or_else(bad)?;
        Ok(Some(id))
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use rapport_core::UserId;

        #[test]
        fn cursors_round_trip_and_garbage_is_a_400() {
            let id = UserId::from_uuid(Uuid::now_v7());
            let c = encode(id);
            assert_eq!(decode::<UserId>(Some(&c)).ok().flatten(), Some(id));
            assert_eq!(decode::<UserId>(None).ok().flatten(), None);
            for bad in [
                "x",
                "!!!",
                &URL_SAFE_NO_PAD.encode("[1]"),
                &URL_SAFE_NO_PAD.encode("{}"),
                "' OR 1=1",
            ] {
                assert!(decode::<UserId>(Some(bad)).is_err(), "{bad}");
            }
        }
    }
}
