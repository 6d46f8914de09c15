//! Layers applied to every answer: request ids, security headers, the early body-size check
//! and problem answers for panics, unknown routes and unknown methods.

use std::any::Any;

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::request_id::{MakeRequestId, RequestId};

use crate::problem::{Kind, Problem};

/// Request ids are UUIDv7 (sortable by time). An incoming `X-Request-Id` is kept only when it
/// is short and plain, so clients cannot inject text into logs.
#[derive(Clone, Copy, Default)]
pub struct MakeId;

impl MakeRequestId for MakeId {
    fn make_request_id<B>(&mut self, _req: &axum::http::Request<B>) -> Option<RequestId> {
        HeaderValue::from_str(&uuid::Uuid::now_v7().to_string())
            .ok()
            .map(RequestId::new)
    }
}

pub async fn sanitize_incoming_request_id(mut req: Request, next: Next) -> Response {
    let bad = req
        .headers()
        .get(crate::extract::REQUEST_ID)
        .is_some_and(|v| {
            let ok = v.len() <= 64
                && v.as_bytes()
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_' || *b == b'.');
            !ok
        });
    if bad {
        req.headers_mut().remove(crate::extract::REQUEST_ID);
    }
    next.run(req).await
}

/// SECURITY.md S13. The CSP allows nothing inline and no other origin; pages add nothing to
/// it. HSTS only when served over TLS, where it means something.
pub fn security_headers(secure: bool) -> Vec<(HeaderName, HeaderValue)> {
    let mut headers = vec![
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                 connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
                 form-action 'self'; frame-ancestors 'none'",
            ),
        ),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
        ),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ),
        (
            HeaderName::from_static("cross-origin-resource-policy"),
            HeaderValue::from_static("same-origin"),
        ),
    ];
    if secure {
        headers.push((
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        ));
    }
    headers
}

/// Refuses a declared oversize body before reading a byte of it.
pub async fn reject_oversize(limit: usize, req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Problem::new(
            Kind::PayloadTooLarge,
            format!("the body is larger than {limit} bytes"),
        )
        .into_response();
    }
    next.run(req).await
}

pub async fn not_found() -> Problem {
    Problem::new(Kind::NotFound, "no such route")
}

pub async fn method_not_allowed() -> Problem {
    Problem::new(
        Kind::MethodNotAllowed,
        "this route does not accept that method",
    )
}

pub fn panic_response(err: Box<dyn Any + Send + 'static>) -> Response {
    let what = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("unknown");
    tracing::error!(panic = what, "a request handler panicked");
    Problem::new(
        Kind::Internal,
        "something went wrong on our side; it has been logged",
    )
    .into_response()
}
