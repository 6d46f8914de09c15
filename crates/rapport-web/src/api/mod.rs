//! The REST API under `/api/v1`, the session routes and the operations endpoints.
//!
//! Every route is registered here through `OpenApiRouter`, so the OpenAPI document and the
//! router are made from the same list: a route cannot exist without being documented, and
//! the route × role test enumerates routes from the document.

pub mod audit;
pub mod dto;
pub mod me;
pub mod teams;
pub mod tokens;
pub mod users;

use std::sync::OnceLock;

use tower_http::csrf::CsrfLayer;
use utoipa::OpenApi;
use utoipa::openapi::OpenApi as Document;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::json::JsonResponse;
use crate::openapi::Finish;
use crate::problem::{Kind, Problem};
use crate::state::AppState;
use crate::{ops, session};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Rapport API",
        description = "The REST API of Rapport, an open-source CRM. Authenticate with \
            `Authorization: Bearer rpt_…` (make a token with `rapport token create` or \
            `POST /api/v1/tokens`). Errors are RFC 9457 problem details; see the `type` \
            URNs in docs/api/problems.md.",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    modifiers(&Finish),
    tags(
        (name = "me", description = "The caller's own profile"),
        (name = "users", description = "The people of a workspace"),
        (name = "teams", description = "The team tree"),
        (name = "tokens", description = "API tokens"),
        (name = "audit", description = "The audit log (admins)"),
        (name = "session", description = "Browser sign-in (cookie); not for API clients"),
        (name = "operations", description = "Health, readiness and metrics"),
    )
)]
struct ApiDoc;

fn api_v1() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me::get, me::update))
        .routes(routes!(me::change_password))
        .routes(routes!(users::list, users::create))
        .routes(routes!(users::get, users::update))
        .routes(routes!(teams::list, teams::create))
        .routes(routes!(teams::get, teams::update, teams::delete))
        .routes(routes!(tokens::list, tokens::create))
        .routes(routes!(tokens::get, tokens::revoke))
        .routes(routes!(audit::list))
        .routes(routes!(openapi_json))
}

fn session_routes() -> OpenApiRouter<AppState> {
    let csrf = CsrfLayer::new().with_rejection_response(|_e| {
        axum::response::IntoResponse::into_response(Problem {
            code: Some("cross_origin"),
            ..Problem::new(
                Kind::Forbidden,
                "cross-origin requests may not change a session",
            )
        })
    });
    OpenApiRouter::new()
        .routes(routes!(session::login))
        .routes(routes!(session::logout))
        .routes(routes!(session::current))
        .layer(csrf)
}

fn ops_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(ops::healthz))
        .routes(routes!(ops::readyz))
        .routes(routes!(ops::metrics_for_admins))
}

/// Every route, with its documentation.
pub fn all() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", api_v1())
        .merge(session_routes())
        .merge(ops_routes())
}

/// The OpenAPI document, built once.
pub fn document() -> &'static Document {
    static DOC: OnceLock<Document> = OnceLock::new();
    DOC.get_or_init(|| {
        let (_, mut doc) = all().split_for_parts();
        crate::openapi::finish_paths(&mut doc);
        doc
    })
}

#[utoipa::path(get, path = "/openapi.json", tag = "operations", operation_id = "openapi",
    responses((status = 200, description = "This document (OpenAPI 3.1)", body = Object)))]
pub async fn openapi_json() -> JsonResponse<&'static Document> {
    JsonResponse::ok(document())
}
