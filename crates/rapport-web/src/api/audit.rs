//! `/audit`: the audit log, for admins, read-only.

use axum::extract::State;
use rapport_app::model::{AuditEntry as Entry, AuditFilter as Filter};
use rapport_app::{PageRequest, audit_log};
use rapport_core::{AuditId, Id, Timestamp, UserId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::dto::ListOf;
use crate::extract::{ApiCaller, ApiQuery, cursor};
use crate::json::JsonResponse;
use crate::problem::ApiResult;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Rows per page, 1 to 200 (larger values are clamped); 50 when left out.
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only this action, such as `user.role_changed` or `auth.login_failed`.
    pub action: Option<String>,
    /// Only entries about this kind of object, such as `user`.
    pub object_type: Option<String>,
    /// Only entries about this object.
    pub object_id: Option<Uuid>,
    /// Only entries made by this user.
    pub actor_id: Option<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = AuditEntry)]
pub struct AuditEntryDto {
    pub id: Uuid,
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    /// user, operator (the command line) or anonymous (a failed sign-in).
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<Uuid>,
    /// The fields that changed, with values before and after; secrets never appear.
    #[schema(value_type = Option<Vec<Object>>)]
    pub changes: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub detail: Option<serde_json::Value>,
    pub request_id: Option<String>,
    pub ip: Option<String>,
}

impl From<Entry> for AuditEntryDto {
    fn from(e: Entry) -> Self {
        Self {
            id: e.id.as_uuid(),
            at: e.at,
            actor_kind: e.actor_kind,
            actor_id: e.actor_id.map(|u| u.as_uuid()),
            action: e.action,
            object_type: e.object_type,
            object_id: e.object_id,
            changes: e.changes,
            detail: e.detail,
            request_id: e.request_id,
            ip: e.ip,
        }
    }
}

#[utoipa::path(get, path = "/audit", tag = "audit", operation_id = "list_audit_entries",
    params(AuditQuery),
    responses((status = 200, description = "A page of audit entries, newest first", body = ListOf<AuditEntryDto>)),
    security(("bearer" = [])))]
pub async fn list(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<JsonResponse<ListOf<AuditEntryDto>>> {
    let page = PageRequest::new(cursor::decode::<AuditId>(q.cursor.as_deref())?, q.limit);
    let filter = Filter {
        action: q.action,
        object_type: q.object_type,
        object_id: q.object_id,
        actor_id: q.actor_id.map(UserId::from_uuid),
    };
    let got = audit_log::list(&s.app, &c, &filter, page).await?;
    Ok(JsonResponse::ok(ListOf {
        data: got.items.into_iter().map(AuditEntryDto::from).collect(),
        next_cursor: got.next.map(cursor::encode),
    }))
}
