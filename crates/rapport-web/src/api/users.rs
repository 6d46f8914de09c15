//! `/users`: the people of a workspace. Users are never deleted (their records and audit
//! history point at them); an admin disables them instead.

use axum::extract::State;
use rapport_app::PageRequest;
use rapport_app::users::{self, NewUserInput, UserPatch};
use rapport_core::{Id, TeamId, UserId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::dto::{ListOf, RoleDto, UserDto, nullable, present};
use crate::extract::{ApiCaller, ApiQuery, IfMatch, PathId, cursor};
use crate::json::{ApiJson, JsonResponse, RequestBody};
use crate::problem::ApiResult;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Rows per page, 1 to 200 (larger values are clamped); 50 when left out.
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A new user. Without `password` the server generates one and returns it once.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = NewUser)]
pub struct NewUserBody {
    /// The sign-in address; unique in the workspace, ignoring case.
    #[schema(max_length = 254)]
    pub email: String,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = String, required = false, max_length = 200)]
    pub display_name: Option<String>,
    pub role: RoleDto,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Uuid, required = false)]
    pub team_id: Option<Uuid>,
    /// At least 10 characters, not the e-mail, not a common password.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = String, required = false, format = Password, min_length = 10, max_length = 128)]
    pub password: Option<String>,
    /// en, pl, es or uk; en when left out.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = String, required = false)]
    pub locale: Option<String>,
    /// An IANA time zone; UTC when left out.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = String, required = false)]
    pub time_zone: Option<String>,
}

impl RequestBody for NewUserBody {
    const READ_ONLY: &'static [&'static str] = &[
        "id",
        "workspace_id",
        "version",
        "created_at",
        "updated_at",
        "last_login_at",
        "password_hash",
        "credentials_changed_at",
        "enabled",
    ];
}

/// Changes to a user; fields left out stay as they are. `team_id: null` removes the user
/// from their team; `enabled: false` ends their sessions and revokes their tokens.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = UserPatch)]
pub struct UserPatchBody {
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = String, required = false, max_length = 200)]
    pub display_name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = RoleDto, required = false)]
    pub role: Option<RoleDto>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>, required = false)]
    pub team_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = bool, required = false)]
    pub enabled: Option<bool>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = String, required = false)]
    pub locale: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = String, required = false)]
    pub time_zone: Option<String>,
}

impl RequestBody for UserPatchBody {
    const READ_ONLY: &'static [&'static str] = &[
        "id",
        "workspace_id",
        "email",
        "password",
        "version",
        "created_at",
        "updated_at",
        "last_login_at",
        "password_hash",
        "credentials_changed_at",
    ];
}

/// The new user, and the generated password when the server chose it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CreatedUser)]
pub struct CreatedUserDto {
    #[serde(flatten)]
    pub user: UserDto,
    /// Shown once, only when the request had no password.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initial_password: Option<String>,
}

fn location(id: UserId) -> String {
    format!("/api/v1/users/{id}")
}

#[utoipa::path(get, path = "/users", tag = "users", operation_id = "list_users",
    params(PageQuery),
    responses((status = 200, description = "A page of users, oldest first", body = ListOf<UserDto>)),
    security(("bearer" = [])))]
pub async fn list(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<JsonResponse<ListOf<UserDto>>> {
    let page = PageRequest::new(cursor::decode::<UserId>(q.cursor.as_deref())?, q.limit);
    let got = users::list(&s.app, &c, page).await?;
    Ok(JsonResponse::ok(ListOf {
        data: got.items.into_iter().map(UserDto::from).collect(),
        next_cursor: got.next.map(cursor::encode),
    }))
}

#[utoipa::path(post, path = "/users", tag = "users", operation_id = "create_user",
    request_body = NewUserBody,
    responses((status = 201, description = "Created", body = CreatedUserDto,
        headers(("Location" = String, description = "The new user's URL")))),
    security(("bearer" = [])))]
pub async fn create(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiJson(b): ApiJson<NewUserBody>,
) -> ApiResult<JsonResponse<CreatedUserDto>> {
    let input = NewUserInput {
        email: b.email,
        display_name: b.display_name,
        role: b.role.as_str().to_owned(),
        team_id: b.team_id.map(TeamId::from_uuid),
        password: b.password,
        locale: b.locale,
        time_zone: b.time_zone,
    };
    let created = users::add(&s.app, &c, &input).await?;
    let id = created.user.id;
    let version = created.user.version;
    let body = CreatedUserDto {
        user: created.user.into(),
        initial_password: created.generated_password,
    };
    Ok(JsonResponse::created(body, location(id)).with_etag(version))
}

#[utoipa::path(get, path = "/users/{id}", tag = "users", operation_id = "get_user",
    params(("id" = Uuid, Path, description = "The user's id")),
    responses((status = 200, description = "The user", body = UserDto,
        headers(("ETag" = String, description = "The version, for If-Match")))),
    security(("bearer" = [])))]
pub async fn get(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathId(id): PathId<UserId>,
) -> ApiResult<JsonResponse<UserDto>> {
    let user = users::get(&s.app, &c, id).await?;
    let version = user.version;
    Ok(JsonResponse::ok(UserDto::from(user)).with_etag(version))
}

#[utoipa::path(patch, path = "/users/{id}", tag = "users", operation_id = "update_user",
    params(("id" = Uuid, Path, description = "The user's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on")),
    request_body(content = UserPatchBody, content_type = "application/merge-patch+json"),
    responses((status = 200, description = "The changed user", body = UserDto,
        headers(("ETag" = String, description = "The new version")))),
    security(("bearer" = [])))]
pub async fn update(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathId(id): PathId<UserId>,
    IfMatch(if_match): IfMatch,
    ApiJson(b): ApiJson<UserPatchBody>,
) -> ApiResult<JsonResponse<UserDto>> {
    let patch = UserPatch {
        display_name: b.display_name,
        role: b.role.map(|r| r.as_str().to_owned()),
        team_id: b.team_id.map(|t| t.map(TeamId::from_uuid)),
        enabled: b.enabled,
        locale: b.locale,
        time_zone: b.time_zone,
    };
    let user = users::update(&s.app, &c, id, &patch, if_match).await?;
    let version = user.version;
    Ok(JsonResponse::ok(UserDto::from(user)).with_etag(version))
}
