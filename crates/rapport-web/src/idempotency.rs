//! `Idempotency-Key` on POST (DESIGN §6): the first request with a key runs; a repeat gets
//! the first answer (status, Location, ETag and body) for 24 hours; a repeat while the first
//! still runs gets 409; the same key with another body gets 422. Keys are scoped to the
//! workspace, the caller, the method and the path.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rapport_app::idempotency::{self, Claim, Stored};
use rapport_app::{Principal, auth};
use rapport_core::{ErrorCode, FieldError};
use serde_json::{Map, Value as Json};
use sha2::{Digest, Sha256};

use crate::problem::{Kind, Problem};
use crate::state::AppState;

pub const HEADER: &str = "idempotency-key";
const REPLAYED: &str = "idempotent-replayed";
const KEPT_HEADERS: [HeaderName; 3] = [header::LOCATION, header::ETAG, header::CONTENT_TYPE];

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(token)
}

fn stored_headers(h: &HeaderMap) -> Json {
    Json::Object(
        KEPT_HEADERS
            .iter()
            .filter_map(|name| {
                Some((
                    name.as_str().to_owned(),
                    Json::String(h.get(name)?.to_str().ok()?.to_owned()),
                ))
            })
            .collect::<Map<_, _>>(),
    )
}

fn replay(stored: Stored) -> Response {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut response = (status, stored.body).into_response();
    if let Json::Object(h) = stored.headers {
        for (k, v) in h {
            if let (Ok(name), Some(Ok(value))) = (
                HeaderName::try_from(k),
                v.as_str().map(HeaderValue::from_str),
            ) {
                response.headers_mut().insert(name, value);
            }
        }
    }
    response
        .headers_mut()
        .insert(REPLAYED, HeaderValue::from_static("true"));
    response
}

pub async fn layer(State(s): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let Some(raw_key) = req.headers().get(HEADER) else {
        return next.run(req).await;
    };
    let key = match raw_key.to_str() {
        Ok(k) if (1..=255).contains(&k.len()) && k.bytes().all(|b| (0x21..=0x7e).contains(&b)) => {
            k.to_owned()
        }
        _ => {
            return Problem::bad_request(
                "Idempotency-Key must be 1 to 255 visible ASCII characters",
            )
            .into_response();
        }
    };
    let principal: Principal = match bearer(req.headers()) {
        Some(token) => match auth::authenticate_token(&s.app, token).await {
            Ok(p) => p,
            // Let the handler give its own 401.
            Err(_) => return next.run(req).await,
        },
        None => return next.run(req).await,
    };
    let method = req.method().as_str().to_owned();
    let path = req.uri().path().to_owned();
    let (mut parts, body) = req.into_parts();
    let bytes = match crate::json::read_limited(body, s.config.max_body_bytes).await {
        Ok(b) => b,
        Err(p) => return p.into_response(),
    };
    let mut hasher = Sha256::new();
    hasher.update(method.as_bytes());
    hasher.update(b" ");
    hasher.update(parts.uri.to_string().as_bytes());
    hasher.update(b"\n");
    hasher.update(&bytes);
    let hash = hasher.finalize();
    match idempotency::claim(&s.app, &principal, &method, &path, &key, &hash).await {
        Err(e) => Problem::from(e).into_response(),
        Ok(Claim::Replay(stored)) => replay(stored),
        Ok(Claim::InFlight) => Problem {
            code: Some("idempotency_in_flight"),
            ..Problem::new(
                Kind::Conflict,
                "a request with this Idempotency-Key is still running; retry shortly",
            )
        }
        .into_response(),
        Ok(Claim::Mismatch) => Problem::validation(vec![FieldError::new(
            "Idempotency-Key",
            ErrorCode::InvalidValue,
            "was used with another request; use a new key for a new request",
        )])
        .into_response(),
        Ok(Claim::New) => {
            parts.extensions.insert(principal.clone());
            let response = next
                .run(Request::from_parts(parts, Body::from(bytes)))
                .await;
            let (rparts, rbody) = response.into_parts();
            let body = match axum::body::to_bytes(rbody, usize::MAX).await {
                Ok(b) => b,
                Err(_) => {
                    let _ = idempotency::release(&s.app, &principal, &method, &path, &key).await;
                    return Problem::new(Kind::Internal, "the answer could not be read")
                        .into_response();
                }
            };
            let outcome = if rparts.status.is_server_error()
                || rparts.status == StatusCode::TOO_MANY_REQUESTS
            {
                idempotency::release(&s.app, &principal, &method, &path, &key).await
            } else {
                let stored = Stored {
                    status: rparts.status.as_u16(),
                    headers: stored_headers(&rparts.headers),
                    body: body.to_vec(),
                };
                idempotency::complete(&s.app, &principal, &method, &path, &key, &stored).await
            };
            if let Err(e) = outcome {
                tracing::error!(error = %e, "could not record an idempotent answer");
            }
            Response::from_parts(rparts, Body::from(body))
        }
    }
}
