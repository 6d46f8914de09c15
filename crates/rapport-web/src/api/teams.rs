//! `/teams`: the team tree.

use axum::extract::State;
use axum::http::StatusCode;
use rapport_app::PageRequest;
use rapport_app::teams::{self, NewTeamInput, TeamPatch};
use rapport_core::{Id, TeamId};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::dto::{ListOf, TeamDto, nullable, present};
use super::users::PageQuery;
use crate::extract::{ApiCaller, ApiQuery, IfMatch, PathId, cursor};
use crate::json::{ApiJson, JsonResponse, RequestBody};
use crate::problem::ApiResult;
use crate::state::AppState;

const TEAM_READ_ONLY: &[&str] = &["id", "workspace_id", "version", "created_at", "updated_at"];

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = NewTeam)]
pub struct NewTeamBody {
    /// Unique in the workspace, ignoring case.
    #[schema(max_length = 100)]
    pub name: String,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Uuid, required = false)]
    pub parent_id: Option<Uuid>,
}

impl RequestBody for NewTeamBody {
    const READ_ONLY: &'static [&'static str] = TEAM_READ_ONLY;
}

/// `parent_id: null` makes the team a root.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = TeamPatch)]
pub struct TeamPatchBody {
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = String, required = false, max_length = 100)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>, required = false)]
    pub parent_id: Option<Option<Uuid>>,
}

impl RequestBody for TeamPatchBody {
    const READ_ONLY: &'static [&'static str] = TEAM_READ_ONLY;
}

#[utoipa::path(get, path = "/teams", tag = "teams", operation_id = "list_teams",
    params(PageQuery),
    responses((status = 200, description = "A page of teams", body = ListOf<TeamDto>)),
    security(("bearer" = [])))]
pub async fn list(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<JsonResponse<ListOf<TeamDto>>> {
    let page = PageRequest::new(cursor::decode::<TeamId>(q.cursor.as_deref())?, q.limit);
    let got = teams::list(&s.app, &c, page).await?;
    Ok(JsonResponse::ok(ListOf {
        data: got.items.into_iter().map(TeamDto::from).collect(),
        next_cursor: got.next.map(cursor::encode),
    }))
}

#[utoipa::path(post, path = "/teams", tag = "teams", operation_id = "create_team",
    request_body = NewTeamBody,
    responses((status = 201, description = "Created", body = TeamDto,
        headers(("Location" = String, description = "The new team's URL")))),
    security(("bearer" = [])))]
pub async fn create(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiJson(b): ApiJson<NewTeamBody>,
) -> ApiResult<JsonResponse<TeamDto>> {
    let input = NewTeamInput {
        name: b.name,
        parent_id: b.parent_id.map(TeamId::from_uuid),
    };
    let team = teams::create(&s.app, &c, &input).await?;
    let (id, version) = (team.id, team.version);
    Ok(
        JsonResponse::created(TeamDto::from(team), format!("/api/v1/teams/{id}"))
            .with_etag(version),
    )
}

#[utoipa::path(get, path = "/teams/{id}", tag = "teams", operation_id = "get_team",
    params(("id" = Uuid, Path, description = "The team's id")),
    responses((status = 200, description = "The team", body = TeamDto,
        headers(("ETag" = String, description = "The version, for If-Match")))),
    security(("bearer" = [])))]
pub async fn get(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathId(id): PathId<TeamId>,
) -> ApiResult<JsonResponse<TeamDto>> {
    let team = teams::get(&s.app, &c, id).await?;
    let version = team.version;
    Ok(JsonResponse::ok(TeamDto::from(team)).with_etag(version))
}

#[utoipa::path(patch, path = "/teams/{id}", tag = "teams", operation_id = "update_team",
    params(("id" = Uuid, Path, description = "The team's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on")),
    request_body(content = TeamPatchBody, content_type = "application/merge-patch+json"),
    responses((status = 200, description = "The changed team", body = TeamDto,
        headers(("ETag" = String, description = "The new version")))),
    security(("bearer" = [])))]
pub async fn update(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathId(id): PathId<TeamId>,
    IfMatch(if_match): IfMatch,
    ApiJson(b): ApiJson<TeamPatchBody>,
) -> ApiResult<JsonResponse<TeamDto>> {
    let patch = TeamPatch {
        name: b.name,
        parent_id: b.parent_id.map(|p| p.map(TeamId::from_uuid)),
    };
    let team = teams::update(&s.app, &c, id, &patch, if_match).await?;
    let version = team.version;
    Ok(JsonResponse::ok(TeamDto::from(team)).with_etag(version))
}

#[utoipa::path(delete, path = "/teams/{id}", tag = "teams", operation_id = "delete_team",
    params(("id" = Uuid, Path, description = "The team's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag the deletion is based on")),
    responses((status = 204, description = "Deleted"),
        (status = 409, description = "The team still has members or sub-teams", body = crate::problem::ProblemBody,
            content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn delete(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathId(id): PathId<TeamId>,
    IfMatch(if_match): IfMatch,
) -> ApiResult<StatusCode> {
    teams::delete(&s.app, &c, id, if_match).await?;
    Ok(StatusCode::NO_CONTENT)
}
