//! Commands and views beyond CRUD: lead conversion, stage moves, activity completion,
//! timelines and search.

use axum::extract::State;
use rapport_app::commands::{self, CompleteInput, ConvertInput};
use rapport_app::pipelines::{self, StageMoveInput};
use rapport_app::search;
use rapport_app::timeline::{self, Item};
use rapport_core::Timestamp;
use rapport_core::object::ObjectType;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json, json};
use utoipa::ToSchema;
use uuid::Uuid;

use super::dto::present;
use super::records::RawParams;
use crate::api::record_schema::{ActivitySchema, LeadSchema, OpportunitySchema};
use crate::extract::{ApiCaller, IfMatch, PathUuid};
use crate::json::{ApiJson, JsonResponse, RequestBody};
use crate::problem::{ApiResult, Problem};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = LeadConversion)]
pub struct ConvertBody {
    /// Link this company instead of creating one from the lead's company name.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Uuid, required = false)]
    pub company_id: Option<Uuid>,
    /// Link this contact instead of creating one from the lead.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Uuid, required = false)]
    pub contact_id: Option<Uuid>,
    /// Create an opportunity with these fields (as in NewOpportunity; name optional).
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Object, required = false)]
    pub opportunity: Option<Map<String, Json>>,
}

impl RequestBody for ConvertBody {}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = LeadConversionResult)]
pub struct ConvertedDto {
    #[schema(value_type = LeadSchema)]
    pub lead: Json,
    pub company_id: Option<Uuid>,
    pub contact_id: Uuid,
    pub opportunity_id: Option<Uuid>,
}

#[utoipa::path(post, path = "/leads/{id}/convert", tag = "leads", operation_id = "convert_lead",
    params(("id" = Uuid, Path, description = "The lead's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag the conversion is based on"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request safe")),
    request_body = ConvertBody,
    responses((status = 200, description = "Converted", body = ConvertedDto),
        (status = 409, description = "The lead was converted already", body = crate::problem::ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn convert(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathUuid(id): PathUuid,
    IfMatch(if_match): IfMatch,
    ApiJson(b): ApiJson<ConvertBody>,
) -> ApiResult<JsonResponse<ConvertedDto>> {
    let input = ConvertInput {
        company_id: b.company_id,
        contact_id: b.contact_id,
        opportunity: b.opportunity,
    };
    let done = commands::convert_lead(&s.app, &c, id, &input, if_match).await?;
    let version = done.lead.version;
    Ok(JsonResponse::ok(ConvertedDto {
        lead: done.lead.json,
        company_id: done.company_id,
        contact_id: done.contact_id,
        opportunity_id: done.opportunity_id,
    })
    .with_etag(version))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = Merge)]
pub struct MergeBody {
    /// The duplicate: it goes to the trash after its values, links and references move to
    /// the record in the path.
    pub source_id: Uuid,
}

impl RequestBody for MergeBody {}

#[utoipa::path(post, path = "/contacts/{id}/merge", tag = "contacts", operation_id = "merge_contacts",
    params(("id" = Uuid, Path, description = "The contact that stays"),
        ("If-Match" = Option<String>, Header, description = "The ETag of the contact that stays"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request safe")),
    request_body = MergeBody,
    responses((status = 200, description = "Merged; the result", body = crate::api::record_schema::ContactSchema)),
    security(("bearer" = [])))]
pub async fn merge_contacts(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathUuid(id): PathUuid,
    IfMatch(if_match): IfMatch,
    ApiJson(b): ApiJson<MergeBody>,
) -> ApiResult<JsonResponse<Json>> {
    let v = rapport_app::records::merge(&s.app, &c, ObjectType::Contact, id, b.source_id, if_match)
        .await?;
    Ok(JsonResponse::ok(v.json).with_etag(v.version))
}

#[utoipa::path(post, path = "/companies/{id}/merge", tag = "companies", operation_id = "merge_companies",
    params(("id" = Uuid, Path, description = "The company that stays"),
        ("If-Match" = Option<String>, Header, description = "The ETag of the company that stays"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request safe")),
    request_body = MergeBody,
    responses((status = 200, description = "Merged; the result", body = crate::api::record_schema::CompanySchema)),
    security(("bearer" = [])))]
pub async fn merge_companies(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathUuid(id): PathUuid,
    IfMatch(if_match): IfMatch,
    ApiJson(b): ApiJson<MergeBody>,
) -> ApiResult<JsonResponse<Json>> {
    let v = rapport_app::records::merge(&s.app, &c, ObjectType::Company, id, b.source_id, if_match)
        .await?;
    Ok(JsonResponse::ok(v.json).with_etag(v.version))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = StageMove)]
pub struct StageBody {
    pub stage_id: Uuid,
    /// Required for a won stage unless the opportunity has one.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Object, required = false)]
    pub amount: Option<Json>,
    /// Required for a won stage unless the opportunity has one.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = String, format = Date, required = false)]
    pub close_date: Option<String>,
    /// Required for a lost stage.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = String, required = false, max_length = 500)]
    pub lost_reason: Option<String>,
}

impl RequestBody for StageBody {}

#[utoipa::path(post, path = "/opportunities/{id}/stage", tag = "opportunities", operation_id = "move_opportunity_stage",
    params(("id" = Uuid, Path, description = "The opportunity's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag the move is based on"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request safe")),
    request_body = StageBody,
    responses((status = 200, description = "Moved", body = OpportunitySchema)),
    security(("bearer" = [])))]
pub async fn stage(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathUuid(id): PathUuid,
    IfMatch(if_match): IfMatch,
    ApiJson(b): ApiJson<StageBody>,
) -> ApiResult<JsonResponse<Json>> {
    let input = StageMoveInput {
        stage_id: b.stage_id,
        amount: b.amount,
        close_date: b.close_date,
        lost_reason: b.lost_reason,
    };
    let v = pipelines::move_stage(&s.app, &c, id, &input, if_match).await?;
    Ok(JsonResponse::ok(v.json).with_etag(v.version))
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = StageChange)]
pub struct StageChangeDto {
    pub id: Uuid,
    pub from_stage_id: Option<Uuid>,
    pub to_stage_id: Uuid,
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    pub actor_id: Option<Uuid>,
    #[schema(value_type = Option<Object>)]
    pub amount: Option<Json>,
    pub probability: Option<i64>,
}

#[utoipa::path(get, path = "/opportunities/{id}/stage_history", tag = "opportunities", operation_id = "get_opportunity_stage_history",
    params(("id" = Uuid, Path, description = "The opportunity's id")),
    responses((status = 200, description = "Every stage move, oldest first", body = Vec<StageChangeDto>)),
    security(("bearer" = [])))]
pub async fn stage_history(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathUuid(id): PathUuid,
) -> ApiResult<JsonResponse<Vec<StageChangeDto>>> {
    use rapport_core::Id;
    let changes = pipelines::history(&s.app, &c, id).await?;
    Ok(JsonResponse::ok(
        changes
            .into_iter()
            .map(|h| StageChangeDto {
                id: h.id,
                from_stage_id: h.from_stage_id,
                to_stage_id: h.to_stage_id,
                at: h.at,
                actor_id: h.actor_id.map(|a| a.as_uuid()),
                amount: match (h.amount_minor, h.amount_currency) {
                    (Some(minor), Some(cur)) => {
                        rapport_core::money::Currency::parse("currency", &cur)
                            .ok()
                            .map(|currency| {
                                rapport_core::value::Value::Money(rapport_core::money::Money {
                                    minor,
                                    currency,
                                })
                                .to_json()
                            })
                    }
                    _ => None,
                },
                probability: h.probability,
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ActivityCompletion)]
pub struct CompleteBody {
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = String, required = false, max_length = 200)]
    pub outcome: Option<String>,
    /// When it was done; now when left out.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = String, format = DateTime, required = false)]
    pub completed_at: Option<String>,
}

impl RequestBody for CompleteBody {}

#[utoipa::path(post, path = "/activities/{id}/complete", tag = "activities", operation_id = "complete_activity",
    params(("id" = Uuid, Path, description = "The activity's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag the completion is based on"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request safe")),
    request_body = CompleteBody,
    responses((status = 200, description = "Done", body = ActivitySchema),
        (status = 409, description = "Done already", body = crate::problem::ProblemBody, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn complete(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathUuid(id): PathUuid,
    IfMatch(if_match): IfMatch,
    ApiJson(b): ApiJson<CompleteBody>,
) -> ApiResult<JsonResponse<Json>> {
    let completed_at = match b.completed_at.as_deref() {
        Some(raw) => Some(Timestamp::parse_rfc3339(raw).map_err(|e| {
            Problem::validation(vec![rapport_core::FieldError::new(
                "completed_at",
                rapport_core::ErrorCode::InvalidFormat,
                e.to_string(),
            )])
        })?),
        None => None,
    };
    let v = commands::complete_activity(
        &s.app,
        &c,
        id,
        &CompleteInput {
            outcome: b.outcome,
            completed_at,
        },
        if_match,
    )
    .await?;
    Ok(JsonResponse::ok(v.json).with_etag(v.version))
}

/// One entry of a timeline: an activity or a change.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = TimelineItem)]
pub struct TimelineItemDto {
    /// activity or change
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<ActivitySchema>)]
    pub activity: Option<Json>,
    /// For changes: the audit action, who made it and the fields that changed (hidden
    /// fields left out).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub change: Option<Json>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Timeline)]
pub struct TimelineDto {
    pub data: Vec<TimelineItemDto>,
    pub next_cursor: Option<String>,
}

async fn timeline_of(
    s: &AppState,
    c: &rapport_app::Caller,
    object: ObjectType,
    id: Uuid,
    params: &RawParams,
) -> ApiResult<JsonResponse<TimelineDto>> {
    params.only(&["limit", "cursor"])?;
    let limit = params
        .get("limit")
        .map(|l| {
            l.trim()
                .parse::<u64>()
                .map_err(|_| Problem::bad_request("limit: must be a whole number from 1 to 200"))
        })
        .transpose()?;
    let page = timeline::page(&s.app, c, object, id, params.get("cursor"), limit).await?;
    let data = page
        .items
        .into_iter()
        .map(|i| match i {
            Item::Activity { at, activity } => TimelineItemDto { kind: "activity", at, activity: Some(activity), change: None },
            Item::Change { at, id, action, actor_kind, actor_id, changes } => TimelineItemDto {
                kind: "change",
                at,
                activity: None,
                change: Some(json!({"id": id, "action": action, "actor_kind": actor_kind, "actor_id": actor_id, "changes": changes})),
            },
        })
        .collect();
    Ok(JsonResponse::ok(TimelineDto {
        data,
        next_cursor: page.next_cursor,
    }))
}

#[utoipa::path(get, path = "/contacts/{id}/timeline", tag = "contacts", operation_id = "get_contact_timeline",
    params(("id" = Uuid, Path, description = "The contact's id"),
        ("limit" = Option<u64>, Query, description = "Entries per page, 1 to 200"),
        ("cursor" = Option<String>, Query, description = "The next_cursor of the previous page")),
    responses((status = 200, description = "Activities and changes, newest first", body = TimelineDto)),
    security(("bearer" = [])))]
pub async fn contact_timeline(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathUuid(id): PathUuid,
    params: RawParams,
) -> ApiResult<JsonResponse<TimelineDto>> {
    timeline_of(&s, &c, ObjectType::Contact, id, &params).await
}

#[utoipa::path(get, path = "/companies/{id}/timeline", tag = "companies", operation_id = "get_company_timeline",
    params(("id" = Uuid, Path, description = "The company's id"),
        ("limit" = Option<u64>, Query, description = "Entries per page, 1 to 200"),
        ("cursor" = Option<String>, Query, description = "The next_cursor of the previous page")),
    responses((status = 200, description = "Activities (its contacts' too) and changes, newest first", body = TimelineDto)),
    security(("bearer" = [])))]
pub async fn company_timeline(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathUuid(id): PathUuid,
    params: RawParams,
) -> ApiResult<JsonResponse<TimelineDto>> {
    timeline_of(&s, &c, ObjectType::Company, id, &params).await
}

#[utoipa::path(get, path = "/leads/{id}/timeline", tag = "leads", operation_id = "get_lead_timeline",
    params(("id" = Uuid, Path, description = "The lead's id"),
        ("limit" = Option<u64>, Query, description = "Entries per page, 1 to 200"),
        ("cursor" = Option<String>, Query, description = "The next_cursor of the previous page")),
    responses((status = 200, description = "Activities and changes (conversion included), newest first", body = TimelineDto)),
    security(("bearer" = [])))]
pub async fn lead_timeline(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathUuid(id): PathUuid,
    params: RawParams,
) -> ApiResult<JsonResponse<TimelineDto>> {
    timeline_of(&s, &c, ObjectType::Lead, id, &params).await
}

#[utoipa::path(get, path = "/opportunities/{id}/timeline", tag = "opportunities", operation_id = "get_opportunity_timeline",
    params(("id" = Uuid, Path, description = "The opportunity's id"),
        ("limit" = Option<u64>, Query, description = "Entries per page, 1 to 200"),
        ("cursor" = Option<String>, Query, description = "The next_cursor of the previous page")),
    responses((status = 200, description = "Activities and changes (stage moves included), newest first", body = TimelineDto)),
    security(("bearer" = [])))]
pub async fn opportunity_timeline(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathUuid(id): PathUuid,
    params: RawParams,
) -> ApiResult<JsonResponse<TimelineDto>> {
    timeline_of(&s, &c, ObjectType::Opportunity, id, &params).await
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = SearchHit)]
pub struct SearchHitDto {
    /// company, contact, lead, opportunity or activity
    #[serde(rename = "type")]
    pub object: &'static str,
    pub id: Uuid,
    pub title: String,
    pub subtitle: Option<String>,
    /// The record's API URL.
    pub url: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = SearchResults)]
pub struct SearchDto {
    pub data: Vec<SearchHitDto>,
}

#[utoipa::path(get, path = "/search", tag = "search", operation_id = "search",
    params(("q" = String, Query, description = "Words to find (prefixes, any case, with or without diacritics)"),
        ("types" = Option<String>, Query, description = "Comma-separated objects to search; all when left out"),
        ("limit" = Option<u64>, Query, description = "Hits per object, 1 to 20; 5 when left out")),
    responses((status = 200, description = "The best hits per object, among records the caller can read", body = SearchDto)),
    security(("bearer" = [])))]
pub async fn search(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    params: RawParams,
) -> ApiResult<JsonResponse<SearchDto>> {
    params.only(&["q", "types", "limit"])?;
    let q = params
        .get("q")
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .ok_or_else(|| Problem::bad_request("q: say what to search for"))?;
    if q.chars().count() > 200 {
        return Err(Problem::bad_request("q: must be at most 200 characters"));
    }
    let objects: Vec<ObjectType> = match params.get("types") {
        Some(t) => t
            .split(',')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(|x| {
                x.parse::<ObjectType>()
                    .or_else(|()| ObjectType::from_plural(x).ok_or(()))
                    .map_err(|()| Problem::bad_request(format!("types: {x} is not an object")))
            })
            .collect::<Result<_, _>>()?,
        None => ObjectType::ALL.to_vec(),
    };
    let limit = match params.get("limit") {
        Some(l) => l
            .trim()
            .parse::<u64>()
            .map_err(|_| Problem::bad_request("limit: must be a whole number from 1 to 20"))?
            .clamp(1, 20),
        None => 5,
    };
    let hits = search::search(&s.app, &c, q, &objects, limit).await?;
    Ok(JsonResponse::ok(SearchDto {
        data: hits
            .into_iter()
            .map(|h| SearchHitDto {
                object: h.object.as_str(),
                url: format!("/api/v1/{}/{}", h.object.plural(), h.id),
                id: h.id,
                title: h.title,
                subtitle: h.subtitle,
            })
            .collect(),
    }))
}
