//! `/me`: the caller's own profile and password.

use axum::extract::State;
use axum::http::StatusCode;
use rapport_app::users::{self, ProfilePatch};
use rapport_app::workspaces;
use rapport_core::Id;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::dto::{ScopeDto, UserDto, present};
use crate::extract::ApiCaller;
use crate::json::{ApiJson, JsonResponse, RequestBody};
use crate::problem::ApiResult;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = WorkspaceSummary)]
pub struct WorkspaceDto {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
    /// ISO 4217 code of the currency reports convert into.
    pub base_currency: String,
}

/// Who the credential belongs to and what it may do.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Me)]
pub struct MeDto {
    pub user: UserDto,
    pub workspace: WorkspaceDto,
    pub scope: ScopeDto,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ProfilePatch)]
pub struct ProfilePatchBody {
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = String, required = false, max_length = 200)]
    pub display_name: Option<String>,
    /// en, pl, es or uk.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = String, required = false)]
    pub locale: Option<String>,
    /// An IANA time zone such as Europe/Warsaw.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = String, required = false)]
    pub time_zone: Option<String>,
}

impl RequestBody for ProfilePatchBody {
    const READ_ONLY: &'static [&'static str] = &[
        "id",
        "workspace_id",
        "email",
        "role",
        "team_id",
        "enabled",
        "password",
        "password_hash",
        "version",
        "created_at",
        "updated_at",
        "last_login_at",
        "credentials_changed_at",
    ];
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PasswordChange)]
pub struct PasswordChangeBody {
    #[schema(format = Password)]
    pub current_password: String,
    /// At least 10 characters, not the e-mail, not a common password.
    #[schema(format = Password, min_length = 10, max_length = 128)]
    pub new_password: String,
}

impl RequestBody for PasswordChangeBody {}

#[utoipa::path(get, path = "/me", tag = "me", operation_id = "get_me",
    responses((status = 200, description = "The caller", body = MeDto)),
    security(("bearer" = [])))]
pub async fn get(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
) -> ApiResult<JsonResponse<MeDto>> {
    let user = users::get(&s.app, &c, c.principal.user_id).await?;
    let ws = workspaces::get(&s.app, c.principal.workspace_id).await?;
    let version = user.version;
    Ok(JsonResponse::ok(MeDto {
        user: user.into(),
        workspace: WorkspaceDto {
            id: ws.id.as_uuid(),
            name: ws.name,
            slug: ws.slug,
            base_currency: ws.base_currency,
        },
        scope: c.principal.scope.into(),
    })
    .with_etag(version))
}

#[utoipa::path(patch, path = "/me", tag = "me", operation_id = "update_me",
    request_body(content = ProfilePatchBody, content_type = "application/merge-patch+json"),
    responses((status = 200, description = "The changed profile", body = UserDto)),
    security(("bearer" = [])))]
pub async fn update(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiJson(b): ApiJson<ProfilePatchBody>,
) -> ApiResult<JsonResponse<UserDto>> {
    let patch = ProfilePatch {
        display_name: b.display_name,
        locale: b.locale,
        time_zone: b.time_zone,
    };
    let user = users::update_profile(&s.app, &c, &patch).await?;
    let version = user.version;
    Ok(JsonResponse::ok(UserDto::from(user)).with_etag(version))
}

#[utoipa::path(post, path = "/me/password", tag = "me", operation_id = "change_my_password",
    request_body = PasswordChangeBody,
    responses((status = 204, description = "Changed. Every session and token of the user has ended, \
        the one used for this request included.")),
    security(("bearer" = [])))]
pub async fn change_password(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiJson(b): ApiJson<PasswordChangeBody>,
) -> ApiResult<StatusCode> {
    users::change_own_password(&s.app, &c, &b.current_password, &b.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}
