//! Operations endpoints: liveness, readiness and metrics.

use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rapport_core::Role;
use serde::Serialize;
use utoipa::ToSchema;

use crate::extract::ApiCaller;
use crate::json::JsonResponse;
use crate::problem::{ApiResult, Kind, Problem};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Health)]
pub struct HealthDto {
    /// Always `ok` when the process answers.
    pub status: &'static str,
}

#[utoipa::path(get, path = "/healthz", tag = "operations", operation_id = "healthz",
    responses((status = 200, description = "The process is alive", body = HealthDto)))]
pub async fn healthz() -> JsonResponse<HealthDto> {
    JsonResponse::ok(HealthDto { status: "ok" })
}

#[utoipa::path(get, path = "/readyz", tag = "operations", operation_id = "readyz",
    responses((status = 200, description = "The database answers and its schema is current", body = HealthDto)))]
pub async fn readyz(State(s): State<AppState>) -> ApiResult<JsonResponse<HealthDto>> {
    match tokio::time::timeout(
        Duration::from_secs(2),
        rapport_app::maintenance::readiness(&s.app),
    )
    .await
    {
        Ok(Ok(())) => Ok(JsonResponse::ok(HealthDto { status: "ok" })),
        Ok(Err(cause)) => {
            tracing::warn!(%cause, "not ready");
            Err(Problem::new(Kind::Unavailable, "the database is not ready"))
        }
        Err(_) => Err(Problem::new(
            Kind::Unavailable,
            "the database did not answer within 2 seconds",
        )),
    }
}

#[utoipa::path(get, path = "/metrics", tag = "operations", operation_id = "metrics",
    responses((status = 200, description = "Prometheus metrics (text exposition format)", body = String,
        content_type = "text/plain")),
    security(("bearer" = [])))]
pub async fn metrics_for_admins(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
) -> ApiResult<Response> {
    if !s.config.metrics_on_main {
        return Err(Problem::not_found());
    }
    if c.principal.role != Role::Admin {
        return Err(Problem {
            code: Some("admin_only"),
            ..Problem::new(Kind::Forbidden, "metrics are for admin tokens")
        });
    }
    Ok(metrics_text(&s))
}

/// `/metrics` on the separate metrics address, open to whoever can reach that address.
pub async fn metrics_open(State(s): State<AppState>) -> Response {
    metrics_text(&s)
}

fn metrics_text(s: &AppState) -> Response {
    let mut r = (StatusCode::OK, s.metrics.render()).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    r
}
