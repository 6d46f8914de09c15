//! `/tokens`: API tokens. Everyone manages their own; admins see and revoke everyone's.

use axum::extract::State;
use axum::http::StatusCode;
use rapport_app::PageRequest;
use rapport_app::tokens::{self, NewTokenInput};
use rapport_core::{Id, Timestamp, TokenId, UserId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::dto::{ListOf, ScopeDto, TokenDto, present};
use crate::extract::{ApiCaller, ApiQuery, PathId, cursor};
use crate::json::{ApiJson, JsonResponse, RequestBody};
use crate::problem::{ApiResult, Problem};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TokenQuery {
    /// Rows per page, 1 to 200 (larger values are clamped); 50 when left out.
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Admins only: the tokens of this user. Without it admins see every token, others
    /// their own.
    pub user_id: Option<Uuid>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = NewApiToken)]
pub struct NewTokenBody {
    /// A label to recognise the token by.
    #[schema(max_length = 100)]
    pub name: String,
    pub scope: ScopeDto,
    /// When the token stops working; never when left out.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = String, format = DateTime, required = false)]
    pub expires_at: Option<String>,
}

impl RequestBody for NewTokenBody {
    const READ_ONLY: &'static [&'static str] = &[
        "id",
        "user_id",
        "workspace_id",
        "hint",
        "token",
        "last_used_at",
        "revoked_at",
        "created_at",
    ];
}

/// The new token. `token` is the bearer secret: it is shown now and never again.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = IssuedApiToken)]
pub struct IssuedTokenDto {
    #[serde(flatten)]
    pub meta: TokenDto,
    pub token: String,
}

#[utoipa::path(get, path = "/tokens", tag = "tokens", operation_id = "list_tokens",
    params(TokenQuery),
    responses((status = 200, description = "A page of tokens (metadata only)", body = ListOf<TokenDto>)),
    security(("bearer" = [])))]
pub async fn list(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiQuery(q): ApiQuery<TokenQuery>,
) -> ApiResult<JsonResponse<ListOf<TokenDto>>> {
    let page = PageRequest::new(cursor::decode::<TokenId>(q.cursor.as_deref())?, q.limit);
    let got = tokens::list(&s.app, &c, q.user_id.map(UserId::from_uuid), page).await?;
    Ok(JsonResponse::ok(ListOf {
        data: got.items.into_iter().map(TokenDto::from).collect(),
        next_cursor: got.next.map(cursor::encode),
    }))
}

#[utoipa::path(post, path = "/tokens", tag = "tokens", operation_id = "create_token",
    request_body = NewTokenBody,
    responses((status = 201, description = "Created; the secret is in `token`", body = IssuedTokenDto,
        headers(("Location" = String, description = "The token's URL")))),
    security(("bearer" = [])))]
pub async fn create(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiJson(b): ApiJson<NewTokenBody>,
) -> ApiResult<JsonResponse<IssuedTokenDto>> {
    let expires_at = match b.expires_at.as_deref() {
        Some(raw) => Some(Timestamp::parse_rfc3339(raw).map_err(|e| {
            Problem::validation(vec![rapport_core::FieldError::new(
                "expires_at",
                rapport_core::ErrorCode::InvalidFormat,
                e.to_string(),
            )])
        })?),
        None => None,
    };
    let input = NewTokenInput {
        name: b.name,
        scope: b.scope.as_str().to_owned(),
        expires_at,
    };
    let issued = tokens::create(&s.app, &c, &input).await?;
    let id = issued.token.id;
    let body = IssuedTokenDto {
        meta: issued.token.into(),
        token: issued.secret,
    };
    Ok(JsonResponse::created(body, format!("/api/v1/tokens/{id}")))
}

#[utoipa::path(get, path = "/tokens/{id}", tag = "tokens", operation_id = "get_token",
    params(("id" = Uuid, Path, description = "The token's id")),
    responses((status = 200, description = "The token's metadata", body = TokenDto)),
    security(("bearer" = [])))]
pub async fn get(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathId(id): PathId<TokenId>,
) -> ApiResult<JsonResponse<TokenDto>> {
    Ok(JsonResponse::ok(tokens::get(&s.app, &c, id).await?.into()))
}

#[utoipa::path(delete, path = "/tokens/{id}", tag = "tokens", operation_id = "revoke_token",
    params(("id" = Uuid, Path, description = "The token's id")),
    responses((status = 204, description = "Revoked (also when it already was)")),
    security(("bearer" = [])))]
pub async fn revoke(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathId(id): PathId<TokenId>,
) -> ApiResult<StatusCode> {
    tokens::revoke(&s.app, &c, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
