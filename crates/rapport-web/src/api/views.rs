//! `/views`: the caller's saved list views. Each is personal; another user's view answers
//! 404 like a view that does not exist.

use axum::extract::State;
use axum::http::StatusCode;
use rapport_app::saved_views::{self, ViewInput, ViewPatch};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::dto::{ListOf, present};
use crate::extract::{ApiCaller, ApiQuery, IfMatch, PathUuid};
use crate::json::{ApiJson, JsonResponse, RequestBody};
use crate::problem::ApiResult;
use crate::state::AppState;

const READ_ONLY: &[&str] = &[
    "id",
    "workspace_id",
    "user_id",
    "version",
    "created_at",
    "updated_at",
];

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = SavedView)]
pub struct ViewDto {
    pub id: Uuid,
    /// company, contact, lead, opportunity or activity.
    pub object_type: String,
    pub name: String,
    /// The list's query string in the list API's own parameters (`filter[f][op]=v`,
    /// `sort`, `q`) plus the UI's `cols`; `GET /api/v1/{objects}?{query}` lists it.
    pub query: String,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl From<rapport_app::model::SavedView> for ViewDto {
    fn from(v: rapport_app::model::SavedView) -> Self {
        Self {
            id: v.id,
            object_type: v.object.as_str().to_owned(),
            name: v.name,
            query: v.query,
            version: v.version,
            created_at: v.created_at.to_rfc3339(),
            updated_at: v.updated_at.to_rfc3339(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SavedViewInput)]
pub struct ViewBody {
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = String, required = false)]
    pub object_type: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = String, required = false, max_length = 100)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = String, required = false, max_length = 4000)]
    pub query: Option<String>,
}

impl RequestBody for ViewBody {
    const READ_ONLY: &'static [&'static str] = READ_ONLY;
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ViewsQuery {
    /// Only views of this object.
    pub object_type: Option<String>,
}

#[utoipa::path(get, path = "/views", tag = "views", operation_id = "list_views",
    params(ViewsQuery),
    responses((status = 200, description = "The caller's saved views, by object and name", body = ListOf<ViewDto>)),
    security(("bearer" = [])))]
pub async fn list(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiQuery(q): ApiQuery<ViewsQuery>,
) -> ApiResult<JsonResponse<ListOf<ViewDto>>> {
    let views = saved_views::list(&s.app, &c, q.object_type.as_deref()).await?;
    Ok(JsonResponse::ok(ListOf {
        data: views.into_iter().map(ViewDto::from).collect(),
        next_cursor: None,
    }))
}

#[utoipa::path(post, path = "/views", tag = "views", operation_id = "create_view",
    request_body = ViewBody,
    responses((status = 201, description = "Saved", body = ViewDto, headers(("Location" = String, description = "The view's URL")))),
    security(("bearer" = [])))]
pub async fn create(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiJson(b): ApiJson<ViewBody>,
) -> ApiResult<JsonResponse<ViewDto>> {
    let v = saved_views::create(
        &s.app,
        &c,
        &ViewInput {
            object: b.object_type.unwrap_or_default(),
            name: b.name.unwrap_or_default(),
            query: b.query.unwrap_or_default(),
        },
    )
    .await?;
    let id = v.id;
    Ok(JsonResponse::created(
        v.into(),
        format!("/api/v1/views/{id}"),
    ))
}

#[utoipa::path(get, path = "/views/{id}", tag = "views", operation_id = "get_view",
    params(("id" = Uuid, Path, description = "The view's id")),
    responses((status = 200, description = "The view", body = ViewDto)),
    security(("bearer" = [])))]
pub async fn get(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathUuid(id): PathUuid,
) -> ApiResult<JsonResponse<ViewDto>> {
    let v = saved_views::get(&s.app, &c, id).await?;
    let version = v.version;
    Ok(JsonResponse::ok(v.into()).with_etag(version))
}

#[utoipa::path(patch, path = "/views/{id}", tag = "views", operation_id = "update_view",
    params(("id" = Uuid, Path, description = "The view's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on")),
    request_body(content = ViewBody, content_type = "application/merge-patch+json"),
    responses((status = 200, description = "The changed view", body = ViewDto)),
    security(("bearer" = [])))]
pub async fn update(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathUuid(id): PathUuid,
    IfMatch(if_match): IfMatch,
    ApiJson(b): ApiJson<ViewBody>,
) -> ApiResult<JsonResponse<ViewDto>> {
    if b.object_type.is_some() {
        return Err(crate::problem::Problem::validation(vec![
            rapport_core::FieldError::new(
                "object_type",
                rapport_core::ErrorCode::ReadOnly,
                "a view keeps its object; save a new one instead",
            ),
        ]));
    }
    let v = saved_views::update(
        &s.app,
        &c,
        id,
        &ViewPatch {
            name: b.name,
            query: b.query,
        },
        if_match,
    )
    .await?;
    let version = v.version;
    Ok(JsonResponse::ok(v.into()).with_etag(version))
}

#[utoipa::path(delete, path = "/views/{id}", tag = "views", operation_id = "delete_view",
    params(("id" = Uuid, Path, description = "The view's id")),
    responses((status = 204, description = "Deleted")),
    security(("bearer" = [])))]
pub async fn delete(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathUuid(id): PathUuid,
) -> ApiResult<StatusCode> {
    saved_views::delete(&s.app, &c, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
