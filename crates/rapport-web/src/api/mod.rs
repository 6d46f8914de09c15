//! The REST API under `/api/v1`, the session routes and the operations endpoints.
//!
//! Every route is registered here through `OpenApiRouter`, so the OpenAPI document and the
//! router are made from the same list: a route cannot exist without being documented, and
//! the route × role test enumerates routes from the document.

pub mod analytics;
pub mod audit;
pub mod commands;
pub mod dto;
pub mod exchange_rates;
pub mod jobs;
pub mod me;
pub mod record_schema;
pub mod records;
pub mod settings;
pub mod teams;
pub mod tokens;
pub mod users;
pub mod views;

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
        (name = "companies", description = "Companies (accounts)"),
        (name = "contacts", description = "People"),
        (name = "leads", description = "Prospects to qualify and convert"),
        (name = "opportunities", description = "Deals on a pipeline"),
        (name = "activities", description = "Calls, meetings, tasks, notes, e-mails, messages"),
        (name = "imports", description = "CSV imports as jobs, with progress and per-row errors"),
        (name = "exports", description = "CSV exports of list views as jobs"),
        (name = "analytics", description = "Purchase history import and customer-base analytics (admins)"),
        (name = "search", description = "Global search across objects"),
        (name = "pipelines", description = "Pipelines and their stages"),
        (name = "tags", description = "Tags for records of any object"),
        (name = "exchange-rates", description = "Dated exchange rates into the workspace's base currency"),
        (name = "custom_fields", description = "Custom field definitions"),
        (name = "shares", description = "Explicit shares of one record"),
        (name = "settings", description = "Field rules and object settings (admins)"),
        (name = "views", description = "The caller's saved list views"),
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
        .routes(routes!(
            records::companies::list,
            records::companies::create
        ))
        .routes(routes!(
            records::companies::get,
            records::companies::update,
            records::companies::delete
        ))
        .routes(routes!(records::companies::restore))
        .routes(routes!(records::contacts::list, records::contacts::create))
        .routes(routes!(
            records::contacts::get,
            records::contacts::update,
            records::contacts::delete
        ))
        .routes(routes!(records::contacts::restore))
        .routes(routes!(records::leads::list, records::leads::create))
        .routes(routes!(
            records::leads::get,
            records::leads::update,
            records::leads::delete
        ))
        .routes(routes!(records::leads::restore))
        .routes(routes!(
            records::opportunities::list,
            records::opportunities::create
        ))
        .routes(routes!(
            records::opportunities::get,
            records::opportunities::update,
            records::opportunities::delete
        ))
        .routes(routes!(records::opportunities::restore))
        .routes(routes!(
            records::activities::list,
            records::activities::create
        ))
        .routes(routes!(
            records::activities::get,
            records::activities::update,
            records::activities::delete
        ))
        .routes(routes!(records::activities::restore))
        .routes(routes!(commands::convert))
        .routes(routes!(commands::merge_contacts))
        .routes(routes!(commands::merge_companies))
        .routes(routes!(commands::stage))
        .routes(routes!(commands::stage_history))
        .routes(routes!(commands::complete))
        .routes(routes!(commands::contact_timeline))
        .routes(routes!(commands::company_timeline))
        .routes(routes!(commands::lead_timeline))
        .routes(routes!(commands::opportunity_timeline))
        .routes(routes!(commands::search))
        .routes(routes!(jobs::create_import))
        .routes(routes!(jobs::get_import))
        .routes(routes!(jobs::create_export))
        .routes(routes!(jobs::get_export))
        .routes(routes!(jobs::download_export))
        .routes(routes!(jobs::contact_vcard))
        .routes(routes!(settings::list_pipelines, settings::create_pipeline))
        .routes(routes!(
            settings::get_pipeline,
            settings::update_pipeline,
            settings::delete_pipeline
        ))
        .routes(routes!(exchange_rates::pipeline_totals))
        .routes(routes!(exchange_rates::list_rates))
        .routes(routes!(
            exchange_rates::get_rate,
            exchange_rates::put_rate,
            exchange_rates::delete_rate
        ))
        .routes(routes!(settings::list_tags, settings::create_tag))
        .routes(routes!(
            settings::get_tag,
            settings::update_tag,
            settings::delete_tag
        ))
        .routes(routes!(
            settings::list_custom_fields,
            settings::create_custom_field
        ))
        .routes(routes!(
            settings::get_custom_field,
            settings::update_custom_field,
            settings::delete_custom_field
        ))
        .routes(routes!(
            settings::get_field_rules,
            settings::set_field_rules
        ))
        .routes(routes!(
            settings::get_object_settings,
            settings::set_object_settings
        ))
        .routes(routes!(views::list, views::create))
        .routes(routes!(views::get, views::update, views::delete))
        .routes(routes!(settings::list_shares, settings::create_share))
        .routes(routes!(settings::get_share, settings::delete_share))
        .routes(routes!(analytics::import))
        .routes(routes!(analytics::fit))
        .routes(routes!(analytics::models))
        .routes(routes!(analytics::predictions))
        .routes(routes!(analytics::rfm))
        .routes(routes!(analytics::cohorts))
        .routes(routes!(analytics::churn))
        .routes(routes!(analytics::contact))
        .routes(routes!(analytics::company))
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

/// Every route, with its documentation. `state` is needed by the idempotency layer; the
/// document alone can be built without one.
pub fn all_with(state: Option<AppState>) -> OpenApiRouter<AppState> {
    let mut api = api_v1();
    if let Some(state) = state {
        api = api.layer(axum::middleware::from_fn_with_state(
            state,
            crate::idempotency::layer,
        ));
    }
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", api)
        .merge(session_routes())
        .merge(ops_routes())
}

/// The OpenAPI document, built once.
pub fn document() -> &'static Document {
    static DOC: OnceLock<Document> = OnceLock::new();
    DOC.get_or_init(|| {
        let (_, mut doc) = all_with(None).split_for_parts();
        crate::openapi::finish_paths(&mut doc);
        doc
    })
}

#[utoipa::path(get, path = "/openapi.json", tag = "operations", operation_id = "openapi",
    responses((status = 200, description = "This document (OpenAPI 3.1)", body = Object)))]
pub async fn openapi_json() -> JsonResponse<&'static Document> {
    JsonResponse::ok(document())
}
