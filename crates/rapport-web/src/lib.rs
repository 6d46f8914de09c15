//! HTTP: the REST API, the session routes and operations endpoints, with the layers every
//! answer passes through. Handlers translate HTTP to `rapport-app` calls and back and hold
//! no business rules.

pub mod api;
mod extract;
mod idempotency;
pub mod json;
pub mod metrics;
mod middleware;
pub mod openapi;
pub mod ops;
pub mod problem;
pub mod session;
mod state;
pub mod ui;

use axum::Router;
use axum::http::HeaderName;
use tower::ServiceBuilder;
use tower_http::CompressionLevel;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use state::{AppState, WebConfig};

/// The whole HTTP application.
pub fn router(state: AppState) -> Router {
    let (routes, _) = api::all_with(Some(state.clone())).split_for_parts();
    let config = state.config.clone();
    let request_id = HeaderName::from_static(extract::REQUEST_ID);
    let limit = config.max_body_bytes;
    let mut app = routes
        .merge(ui::router())
        .fallback(middleware::not_found)
        .method_not_allowed_fallback(middleware::method_not_allowed)
        .layer(axum::middleware::from_fn(move |req, next| {
            middleware::reject_oversize(limit, req, next)
        }))
        .layer(axum::extract::DefaultBodyLimit::max(limit))
        .layer(CatchPanicLayer::custom(middleware::panic_response))
        .layer(axum::middleware::from_fn(metrics::record))
        // A board is ~460 KB of HTML and ~30 KB gzipped; most deployments have no proxy to
        // compress for them. The fastest level costs a millisecond or two on such a page.
        // Pages carry their CSRF token masked afresh each time, so compressing them leaks
        // no secret through their size (BREACH; see `mask_csrf`).
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest));
    for (name, value) in middleware::security_headers(config.secure_cookies) {
        app = app.layer(SetResponseHeaderLayer::overriding(name, value));
    }
    if !config.cors_origins.is_empty() {
        let origins: Vec<_> = config
            .cors_origins
            .iter()
            .filter_map(|o| o.parse().ok())
            .collect();
        app = app.layer(
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(origins))
                .allow_methods(tower_http::cors::Any)
                .allow_headers([
                    axum::http::header::AUTHORIZATION,
                    axum::http::header::CONTENT_TYPE,
                    axum::http::header::IF_MATCH,
                    HeaderName::from_static("idempotency-key"),
                ])
                .expose_headers([
                    axum::http::header::ETAG,
                    axum::http::header::LOCATION,
                    request_id.clone(),
                ]),
        );
    }
    app.layer(
        ServiceBuilder::new()
            .layer(axum::middleware::from_fn(middleware::sanitize_incoming_request_id))
            .layer(SetRequestIdLayer::new(request_id.clone(), middleware::MakeId))
            .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                let id = req
                    .headers()
                    .get(extract::REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default();
                tracing::info_span!("http", method = %req.method(), path = %req.uri().path(), request_id = %id)
            }))
            .layer(PropagateRequestIdLayer::new(request_id)),
    )
    .with_state(state)
}

/// The separate metrics listener's app: `/metrics` open to whoever reaches that address.
pub fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", axum::routing::get(ops::metrics_open))
        .fallback(middleware::not_found)
        .with_state(state)
}
