//! Workspace objects around records: pipelines, tags, custom fields, field rules, object
//! settings and shares.

use axum::extract::State;
use axum::http::StatusCode;
use rapport_app::PageRequest;
use rapport_app::pipelines::{self, PipelineInput, StageInput};
use rapport_app::record_settings::{self, CustomFieldInput, RuleInput, parse_object};
use rapport_app::sharing::{self, ShareInput};
use rapport_app::tags::{self, TagInput};
use rapport_core::access::Grantee;
use rapport_core::object::ObjectType;
use rapport_core::{Id, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::dto::{ListOf, nullable, present};
use super::records::RawParams;
use crate::extract::{ApiCaller, IfMatch, PathUuid};
use crate::json::{ApiJson, JsonResponse, RequestBody};
use crate::problem::{ApiResult, Problem};
use crate::state::AppState;

const READ_ONLY: &[&str] = &["id", "workspace_id", "version", "created_at", "updated_at"];

fn object_param(raw: &str) -> Result<ObjectType, Problem> {
    parse_object("object_type", raw).map_err(|_| Problem::not_found())
}

// ---- pipelines ----

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Stage)]
pub struct StageDto {
    pub id: Uuid,
    pub name: String,
    /// open, won or lost
    pub kind: &'static str,
    pub probability: i64,
    pub position: i64,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Pipeline)]
pub struct PipelineDto {
    pub id: Uuid,
    pub name: String,
    pub is_default: bool,
    pub stages: Vec<StageDto>,
    pub version: i64,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

impl From<rapport_app::model::Pipeline> for PipelineDto {
    fn from(p: rapport_app::model::Pipeline) -> Self {
        Self {
            id: p.id,
            name: p.name,
            is_default: p.is_default,
            version: p.version,
            created_at: p.created_at,
            updated_at: p.updated_at,
            stages: p
                .stages
                .into_iter()
                .map(|s| StageDto {
                    id: s.id,
                    name: s.name,
                    kind: s.kind.as_str(),
                    probability: s.probability,
                    position: s.position,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = StageInput)]
pub struct StageBody {
    /// An existing stage's id; new stages leave it out.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Uuid, required = false)]
    pub id: Option<Uuid>,
    #[schema(max_length = 100)]
    pub name: String,
    /// open, won or lost
    pub kind: String,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = i64, required = false, minimum = 0, maximum = 100)]
    pub probability: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PipelineInput)]
pub struct PipelineBody {
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = String, required = false, max_length = 100)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = bool, required = false)]
    pub is_default: Option<bool>,
    /// The complete list of stages in order; stages left out are deleted (409 when they
    /// still hold opportunities).
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Vec<StageBody>, required = false)]
    pub stages: Option<Vec<StageBody>>,
}

impl RequestBody for PipelineBody {
    const READ_ONLY: &'static [&'static str] = READ_ONLY;
}

impl PipelineBody {
    fn input(self) -> PipelineInput {
        PipelineInput {
            name: self.name,
            is_default: self.is_default,
            stages: self.stages.map(|list| {
                list.into_iter()
                    .map(|s| StageInput {
                        id: s.id,
                        name: s.name,
                        kind: s.kind,
                        probability: s.probability,
                    })
                    .collect()
            }),
        }
    }
}

#[utoipa::path(get, path = "/pipelines", tag = "pipelines", operation_id = "list_pipelines",
    responses((status = 200, description = "Every pipeline, the default first", body = Vec<PipelineDto>)),
    security(("bearer" = [])))]
pub async fn list_pipelines(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
) -> ApiResult<JsonResponse<Vec<PipelineDto>>> {
    Ok(JsonResponse::ok(
        pipelines::list(&s.app, &c)
            .await?
            .into_iter()
            .map(PipelineDto::from)
            .collect(),
    ))
}

#[utoipa::path(post, path = "/pipelines", tag = "pipelines", operation_id = "create_pipeline",
    request_body = PipelineBody,
    responses((status = 201, description = "Created", body = PipelineDto, headers(("Location" = String, description = "The pipeline's URL")))),
    security(("bearer" = [])))]
pub async fn create_pipeline(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiJson(b): ApiJson<PipelineBody>,
) -> ApiResult<JsonResponse<PipelineDto>> {
    let p = pipelines::create(&s.app, &c, &b.input()).await?;
    let (id, version) = (p.id, p.version);
    Ok(JsonResponse::created(p.into(), format!("/api/v1/pipelines/{id}")).with_etag(version))
}

#[utoipa::path(get, path = "/pipelines/{id}", tag = "pipelines", operation_id = "get_pipeline",
    params(("id" = Uuid, Path, description = "The pipeline's id")),
    responses((status = 200, description = "The pipeline", body = PipelineDto)),
    security(("bearer" = [])))]
pub async fn get_pipeline(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathUuid(id): PathUuid,
) -> ApiResult<JsonResponse<PipelineDto>> {
    let p = pipelines::get(&s.app, &c, id).await?;
    let version = p.version;
    Ok(JsonResponse::ok(p.into()).with_etag(version))
}

#[utoipa::path(patch, path = "/pipelines/{id}", tag = "pipelines", operation_id = "update_pipeline",
    params(("id" = Uuid, Path, description = "The pipeline's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on")),
    request_body(content = PipelineBody, content_type = "application/merge-patch+json"),
    responses((status = 200, description = "The changed pipeline", body = PipelineDto)),
    security(("bearer" = [])))]
pub async fn update_pipeline(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathUuid(id): PathUuid,
    IfMatch(if_match): IfMatch,
    ApiJson(b): ApiJson<PipelineBody>,
) -> ApiResult<JsonResponse<PipelineDto>> {
    let p = pipelines::update(&s.app, &c, id, &b.input(), if_match).await?;
    let version = p.version;
    Ok(JsonResponse::ok(p.into()).with_etag(version))
}

#[utoipa::path(delete, path = "/pipelines/{id}", tag = "pipelines", operation_id = "delete_pipeline",
    params(("id" = Uuid, Path, description = "The pipeline's id")),
    responses((status = 204, description = "Deleted")),
    security(("bearer" = [])))]
pub async fn delete_pipeline(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathUuid(id): PathUuid,
) -> ApiResult<StatusCode> {
    pipelines::delete(&s.app, &c, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- tags ----

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Tag)]
pub struct TagDto {
    pub id: Uuid,
    pub name: String,
    pub color: Option<String>,
    pub version: i64,
}

impl From<rapport_app::model::Tag> for TagDto {
    fn from(t: rapport_app::model::Tag) -> Self {
        Self {
            id: t.id,
            name: t.name,
            color: t.color,
            version: t.version,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = TagInput)]
pub struct TagBody {
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = String, required = false, max_length = 60)]
    pub name: Option<String>,
    /// A colour such as #1a7f37; null clears it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, required = false)]
    pub color: Option<Option<String>>,
}

impl RequestBody for TagBody {
    const READ_ONLY: &'static [&'static str] = READ_ONLY;
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Rows per page, 1 to 200; 50 when left out.
    pub limit: Option<u64>,
    /// The next_cursor of the previous page.
    pub cursor: Option<String>,
}

#[utoipa::path(get, path = "/tags", tag = "tags", operation_id = "list_tags",
    params(PageQuery),
    responses((status = 200, description = "A page of tags", body = ListOf<TagDto>)),
    security(("bearer" = [])))]
pub async fn list_tags(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    crate::extract::ApiQuery(q): crate::extract::ApiQuery<PageQuery>,
) -> ApiResult<JsonResponse<ListOf<TagDto>>> {
    let after = crate::extract::cursor::decode_uuid(q.cursor.as_deref())?;
    let page = tags::list(&s.app, &c, PageRequest::new(after, q.limit)).await?;
    Ok(JsonResponse::ok(ListOf {
        data: page.items.into_iter().map(TagDto::from).collect(),
        next_cursor: page.next.map(crate::extract::cursor::encode_uuid),
    }))
}

#[utoipa::path(post, path = "/tags", tag = "tags", operation_id = "create_tag",
    request_body = TagBody,
    responses((status = 201, description = "Created", body = TagDto, headers(("Location" = String, description = "The tag's URL")))),
    security(("bearer" = [])))]
pub async fn create_tag(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiJson(b): ApiJson<TagBody>,
) -> ApiResult<JsonResponse<TagDto>> {
    let t = tags::create(
        &s.app,
        &c,
        &TagInput {
            name: b.name,
            color: b.color,
        },
    )
    .await?;
    let id = t.id;
    Ok(JsonResponse::created(
        t.into(),
        format!("/api/v1/tags/{id}"),
    ))
}

#[utoipa::path(get, path = "/tags/{id}", tag = "tags", operation_id = "get_tag",
    params(("id" = Uuid, Path, description = "The tag's id")),
    responses((status = 200, description = "The tag", body = TagDto)),
    security(("bearer" = [])))]
pub async fn get_tag(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathUuid(id): PathUuid,
) -> ApiResult<JsonResponse<TagDto>> {
    let t = tags::get(&s.app, &c, id).await?;
    let version = t.version;
    Ok(JsonResponse::ok(t.into()).with_etag(version))
}

#[utoipa::path(patch, path = "/tags/{id}", tag = "tags", operation_id = "update_tag",
    params(("id" = Uuid, Path, description = "The tag's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on")),
    request_body(content = TagBody, content_type = "application/merge-patch+json"),
    responses((status = 200, description = "The changed tag", body = TagDto)),
    security(("bearer" = [])))]
pub async fn update_tag(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathUuid(id): PathUuid,
    IfMatch(if_match): IfMatch,
    ApiJson(b): ApiJson<TagBody>,
) -> ApiResult<JsonResponse<TagDto>> {
    let t = tags::update(
        &s.app,
        &c,
        id,
        &TagInput {
            name: b.name,
            color: b.color,
        },
        if_match,
    )
    .await?;
    let version = t.version;
    Ok(JsonResponse::ok(t.into()).with_etag(version))
}

#[utoipa::path(delete, path = "/tags/{id}", tag = "tags", operation_id = "delete_tag",
    params(("id" = Uuid, Path, description = "The tag's id")),
    responses((status = 204, description = "Deleted and removed from every record")),
    security(("bearer" = [])))]
pub async fn delete_tag(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathUuid(id): PathUuid,
) -> ApiResult<StatusCode> {
    tags::delete(&s.app, &c, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- custom fields ----

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CustomField)]
pub struct CustomFieldDto {
    pub id: Uuid,
    pub object_type: &'static str,
    pub key: String,
    pub label: String,
    /// text, number, date, bool or select
    pub kind: &'static str,
    pub required: bool,
    pub options: Vec<String>,
    pub position: i64,
    pub version: i64,
}

impl From<rapport_app::model::CustomField> for CustomFieldDto {
    fn from(f: rapport_app::model::CustomField) -> Self {
        Self {
            id: f.id,
            object_type: f.object.as_str(),
            key: f.key,
            label: f.label,
            kind: f.kind.as_str(),
            required: f.required,
            options: f.options,
            position: f.position,
            version: f.version,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = CustomFieldInput)]
pub struct CustomFieldBody {
    /// company, contact, lead, opportunity or activity (on create only)
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = String, required = false)]
    pub object_type: Option<String>,
    /// The name in custom.<key> (on create only)
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = String, required = false, pattern = "^[a-z][a-z0-9_]{0,39}$")]
    pub key: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = String, required = false, max_length = 100)]
    pub label: Option<String>,
    /// text, number, date, bool or select (on create only)
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = String, required = false)]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = bool, required = false)]
    pub required: Option<bool>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Vec<String>, required = false)]
    pub options: Option<Vec<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = i64, required = false)]
    pub position: Option<i64>,
}

impl RequestBody for CustomFieldBody {
    const READ_ONLY: &'static [&'static str] = READ_ONLY;
}

impl CustomFieldBody {
    fn input(self) -> CustomFieldInput {
        CustomFieldInput {
            object_type: self.object_type,
            key: self.key,
            label: self.label,
            kind: self.kind,
            required: self.required,
            options: self.options,
            position: self.position,
        }
    }
}

#[utoipa::path(get, path = "/custom_fields", tag = "custom_fields", operation_id = "list_custom_fields",
    params(("object_type" = Option<String>, Query, description = "Only this object's fields")),
    responses((status = 200, description = "Custom field definitions", body = Vec<CustomFieldDto>)),
    security(("bearer" = [])))]
pub async fn list_custom_fields(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    params: RawParams,
) -> ApiResult<JsonResponse<Vec<CustomFieldDto>>> {
    params.only(&["object_type"])?;
    let object = params
        .get("object_type")
        .map(|o| {
            parse_object("object_type", o)
                .map_err(|e| Problem::bad_request(format!("object_type: {}", e.message)))
        })
        .transpose()?;
    let list = record_settings::list_custom_fields(&s.app, &c, object).await?;
    Ok(JsonResponse::ok(
        list.into_iter().map(CustomFieldDto::from).collect(),
    ))
}

#[utoipa::path(post, path = "/custom_fields", tag = "custom_fields", operation_id = "create_custom_field",
    request_body = CustomFieldBody,
    responses((status = 201, description = "Created", body = CustomFieldDto, headers(("Location" = String, description = "The definition's URL")))),
    security(("bearer" = [])))]
pub async fn create_custom_field(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiJson(b): ApiJson<CustomFieldBody>,
) -> ApiResult<JsonResponse<CustomFieldDto>> {
    let f = record_settings::create_custom_field(&s.app, &c, &b.input()).await?;
    let id = f.id;
    Ok(JsonResponse::created(
        f.into(),
        format!("/api/v1/custom_fields/{id}"),
    ))
}

#[utoipa::path(get, path = "/custom_fields/{id}", tag = "custom_fields", operation_id = "get_custom_field",
    params(("id" = Uuid, Path, description = "The definition's id")),
    responses((status = 200, description = "The definition", body = CustomFieldDto)),
    security(("bearer" = [])))]
pub async fn get_custom_field(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathUuid(id): PathUuid,
) -> ApiResult<JsonResponse<CustomFieldDto>> {
    let f = record_settings::get_custom_field(&s.app, &c, id).await?;
    let version = f.version;
    Ok(JsonResponse::ok(f.into()).with_etag(version))
}

#[utoipa::path(patch, path = "/custom_fields/{id}", tag = "custom_fields", operation_id = "update_custom_field",
    params(("id" = Uuid, Path, description = "The definition's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on")),
    request_body(content = CustomFieldBody, content_type = "application/merge-patch+json"),
    responses((status = 200, description = "The changed definition", body = CustomFieldDto)),
    security(("bearer" = [])))]
pub async fn update_custom_field(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathUuid(id): PathUuid,
    IfMatch(if_match): IfMatch,
    ApiJson(b): ApiJson<CustomFieldBody>,
) -> ApiResult<JsonResponse<CustomFieldDto>> {
    if b.object_type.is_some() || b.key.is_some() || b.kind.is_some() {
        let fields: Vec<rapport_core::FieldError> = [
            ("object_type", b.object_type.is_some()),
            ("key", b.key.is_some()),
            ("kind", b.kind.is_some()),
        ]
        .into_iter()
        .filter(|(_, set)| *set)
        .map(|(f, _)| {
            rapport_core::FieldError::new(
                f,
                rapport_core::ErrorCode::ReadOnly,
                "is set when the field is made",
            )
        })
        .collect();
        return Err(Problem::validation(fields));
    }
    let f = record_settings::update_custom_field(&s.app, &c, id, &b.input(), if_match).await?;
    let version = f.version;
    Ok(JsonResponse::ok(f.into()).with_etag(version))
}

#[utoipa::path(delete, path = "/custom_fields/{id}", tag = "custom_fields", operation_id = "delete_custom_field",
    params(("id" = Uuid, Path, description = "The definition's id")),
    responses((status = 204, description = "Deleted; stored values are kept but no longer shown")),
    security(("bearer" = [])))]
pub async fn delete_custom_field(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathUuid(id): PathUuid,
) -> ApiResult<StatusCode> {
    record_settings::delete_custom_field(&s.app, &c, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- field rules and object settings ----

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = FieldRule)]
pub struct RuleDto {
    /// A field name (address, address.city, custom.tier …)
    pub field: String,
    /// manager, rep or read_only
    pub role: String,
    /// hidden or read_only
    pub access: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = FieldRules)]
pub struct RulesDto {
    pub rules: Vec<RuleDto>,
}

impl RequestBody for RulesDto {}

fn rules_dto(rules: Vec<rapport_core::access::FieldRule>) -> RulesDto {
    RulesDto {
        rules: rules
            .into_iter()
            .map(|r| RuleDto {
                field: r.field,
                role: r.role.as_str().to_owned(),
                access: if r.hidden { "hidden" } else { "read_only" }.to_owned(),
            })
            .collect(),
    }
}

#[utoipa::path(get, path = "/field_rules/{object_type}", tag = "settings", operation_id = "get_field_rules",
    params(("object_type" = String, Path, description = "company, contact, lead, opportunity or activity")),
    responses((status = 200, description = "The object's field rules", body = RulesDto)),
    security(("bearer" = [])))]
pub async fn get_field_rules(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    axum::extract::Path(object): axum::extract::Path<String>,
) -> ApiResult<JsonResponse<RulesDto>> {
    let object = object_param(&object)?;
    Ok(JsonResponse::ok(rules_dto(
        record_settings::field_rules(&s.app, &c, object).await?,
    )))
}

#[utoipa::path(put, path = "/field_rules/{object_type}", tag = "settings", operation_id = "set_field_rules",
    params(("object_type" = String, Path, description = "company, contact, lead, opportunity or activity")),
    request_body = RulesDto,
    responses((status = 200, description = "The object's field rules, replaced", body = RulesDto)),
    security(("bearer" = [])))]
pub async fn set_field_rules(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    axum::extract::Path(object): axum::extract::Path<String>,
    ApiJson(b): ApiJson<RulesDto>,
) -> ApiResult<JsonResponse<RulesDto>> {
    let object = object_param(&object)?;
    let input: Vec<RuleInput> = b
        .rules
        .into_iter()
        .map(|r| RuleInput {
            field: r.field,
            role: r.role,
            access: r.access,
        })
        .collect();
    Ok(JsonResponse::ok(rules_dto(
        record_settings::set_field_rules(&s.app, &c, object, &input).await?,
    )))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ObjectSettings)]
pub struct ObjectSettingsDto {
    /// private, team or workspace: the visibility of new records when a request sets none.
    pub default_visibility: String,
}

impl RequestBody for ObjectSettingsDto {}

#[utoipa::path(get, path = "/object_settings/{object_type}", tag = "settings", operation_id = "get_object_settings",
    params(("object_type" = String, Path, description = "company, contact, lead, opportunity or activity")),
    responses((status = 200, description = "The object's settings", body = ObjectSettingsDto)),
    security(("bearer" = [])))]
pub async fn get_object_settings(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    axum::extract::Path(object): axum::extract::Path<String>,
) -> ApiResult<JsonResponse<ObjectSettingsDto>> {
    let object = object_param(&object)?;
    let v = record_settings::default_visibility(&s.app, &c, object).await?;
    Ok(JsonResponse::ok(ObjectSettingsDto {
        default_visibility: v.as_str().to_owned(),
    }))
}

#[utoipa::path(put, path = "/object_settings/{object_type}", tag = "settings", operation_id = "set_object_settings",
    params(("object_type" = String, Path, description = "company, contact, lead, opportunity or activity")),
    request_body = ObjectSettingsDto,
    responses((status = 200, description = "The object's settings", body = ObjectSettingsDto)),
    security(("bearer" = [])))]
pub async fn set_object_settings(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    axum::extract::Path(object): axum::extract::Path<String>,
    ApiJson(b): ApiJson<ObjectSettingsDto>,
) -> ApiResult<JsonResponse<ObjectSettingsDto>> {
    let object = object_param(&object)?;
    let v =
        record_settings::set_default_visibility(&s.app, &c, object, &b.default_visibility).await?;
    Ok(JsonResponse::ok(ObjectSettingsDto {
        default_visibility: v.as_str().to_owned(),
    }))
}

// ---- shares ----

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Share)]
pub struct ShareDto {
    pub id: Uuid,
    pub object_type: &'static str,
    pub record_id: Uuid,
    /// user or team
    pub grantee_type: &'static str,
    pub grantee_id: Uuid,
    /// read or read_write
    pub access: &'static str,
    pub created_by: Option<Uuid>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

impl From<rapport_app::model::Share> for ShareDto {
    fn from(s: rapport_app::model::Share) -> Self {
        let (grantee_type, grantee_id) = match s.grantee {
            Grantee::User(u) => ("user", u.as_uuid()),
            Grantee::Team(t) => ("team", t.as_uuid()),
        };
        Self {
            id: s.id,
            object_type: s.object.as_str(),
            record_id: s.record_id,
            grantee_type,
            grantee_id,
            access: s.access.as_str(),
            created_by: s.created_by.map(|u| u.as_uuid()),
            created_at: s.created_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = NewShare)]
pub struct ShareBody {
    /// company, contact, lead, opportunity or activity
    pub object_type: String,
    pub record_id: Uuid,
    /// user or team
    pub grantee_type: String,
    pub grantee_id: Uuid,
    /// read or read_write
    pub access: String,
}

impl RequestBody for ShareBody {
    const READ_ONLY: &'static [&'static str] = &["id", "created_by", "created_at", "workspace_id"];
}

#[utoipa::path(get, path = "/shares", tag = "shares", operation_id = "list_shares",
    params(("object_type" = String, Query, description = "The record's object"),
        ("record_id" = Uuid, Query, description = "The record")),
    responses((status = 200, description = "The shares of a record the caller can read", body = Vec<ShareDto>)),
    security(("bearer" = [])))]
pub async fn list_shares(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    params: RawParams,
) -> ApiResult<JsonResponse<Vec<ShareDto>>> {
    params.only(&["object_type", "record_id"])?;
    let object = parse_object("object_type", params.get("object_type").unwrap_or(""))
        .map_err(|e| Problem::bad_request(format!("object_type: {}", e.message)))?;
    let record = params
        .get("record_id")
        .and_then(|r| Uuid::try_parse(r).ok())
        .ok_or_else(|| Problem::bad_request("record_id: must be a record's id"))?;
    let list = sharing::list(&s.app, &c, object, record).await?;
    Ok(JsonResponse::ok(
        list.into_iter().map(ShareDto::from).collect(),
    ))
}

#[utoipa::path(post, path = "/shares", tag = "shares", operation_id = "create_share",
    request_body = ShareBody,
    responses((status = 201, description = "Granted (or changed, for the same grantee)", body = ShareDto, headers(("Location" = String, description = "The share's URL")))),
    security(("bearer" = [])))]
pub async fn create_share(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiJson(b): ApiJson<ShareBody>,
) -> ApiResult<JsonResponse<ShareDto>> {
    let input = ShareInput {
        object_type: b.object_type,
        record_id: b.record_id,
        grantee_type: b.grantee_type,
        grantee_id: b.grantee_id,
        access: b.access,
    };
    let share = sharing::create(&s.app, &c, &input).await?;
    let id = share.id;
    Ok(JsonResponse::created(
        share.into(),
        format!("/api/v1/shares/{id}"),
    ))
}

#[utoipa::path(get, path = "/shares/{id}", tag = "shares", operation_id = "get_share",
    params(("id" = Uuid, Path, description = "The share's id")),
    responses((status = 200, description = "The share", body = ShareDto)),
    security(("bearer" = [])))]
pub async fn get_share(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathUuid(id): PathUuid,
) -> ApiResult<JsonResponse<ShareDto>> {
    Ok(JsonResponse::ok(sharing::get(&s.app, &c, id).await?.into()))
}

#[utoipa::path(delete, path = "/shares/{id}", tag = "shares", operation_id = "delete_share",
    params(("id" = Uuid, Path, description = "The share's id")),
    responses((status = 204, description = "Revoked; the grantee loses access on the next request")),
    security(("bearer" = [])))]
pub async fn delete_share(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathUuid(id): PathUuid,
) -> ApiResult<StatusCode> {
    sharing::delete(&s.app, &c, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
