//! Purchase history import and customer-base analytics (`/transactions/import`,
//! `/analytics/…`, and `/contacts|companies/{id}/analytics`).
//!
//! Workspace-wide endpoints are for admins (the role that sees every record); the record
//! sub-resources follow the record's visibility (404 when the caller cannot see it). Results
//! are computed by the use cases in `rapport_app::analytics`; their JSON shapes are
//! documented here as objects with described fields.

use axum::body::Body;
use axum::extract::State;
use axum::http::{StatusCode, header};
use rapport_app::analytics::{
    self, ContactKey, CustomerType, FitInput, Horizon, PredictionSort, PurchaseModel,
};
use rapport_app::transactions::{self, ImportFormat, ImportOptions};
use rapport_core::object::ObjectType;
use rapport_core::{ErrorCode, FieldError};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use super::dto::present;
use crate::extract::{ApiCaller, ApiQuery, PathUuid};
use crate::json::{ApiJson, JsonResponse, RequestBody, read_limited};
use crate::problem::{ApiResult, Kind, Problem};
use crate::state::AppState;

fn invalid(field: &str, message: &str) -> Problem {
    Problem::validation(vec![FieldError::new(
        field,
        ErrorCode::InvalidValue,
        message.to_owned(),
    )])
}

fn customer(raw: Option<&str>) -> Result<CustomerType, Problem> {
    match raw {
        None => Ok(CustomerType::Contact),
        Some(s) => {
            CustomerType::parse(s).ok_or_else(|| invalid("customer", "must be contact or company"))
        }
    }
}

fn day(field: &str, raw: Option<&str>) -> Result<Option<time::Date>, Problem> {
    raw.map(|s| {
        time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
            .map_err(|_| invalid(field, "must be a date such as 1997-09-30"))
    })
    .transpose()
}

fn to_json<T: serde::Serialize>(v: &T) -> ApiResult<Value> {
    serde_json::to_value(v).map_err(|_| Problem::new(Kind::Internal, "internal error"))
}

// ---- import ----

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// `csv` (default; header row naming customer, date, amount and optionally quantity,
    /// currency, order_id, first_name, last_name, email) or `cdnow`.
    pub format: Option<String>,
    /// `external_id` (default) or `email`: how the customer column names a contact.
    pub customer_key: Option<String>,
    /// strftime-style, such as `%d/%m/%Y`; `%Y-%m-%d` by default.
    pub date_format: Option<String>,
    /// Check and count everything, keep nothing.
    pub dry_run: Option<bool>,
    /// Keep the good rows when some are bad (by default one bad row keeps nothing).
    pub skip_bad_rows: Option<bool>,
}

#[utoipa::path(post, path = "/transactions/import", tag = "analytics", operation_id = "import_transactions",
    params(ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "The purchase history; at most the server's body limit"),
    responses(
        (status = 200, description = "Imported (or, with dry_run, checked): counts, bad rows by line and column", body = Object),
        (status = 422, description = "Bad rows and nothing kept: the same report with committed = false", body = Object)),
    security(("bearer" = [])))]
pub async fn import(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiQuery(q): ApiQuery<ImportQuery>,
    headers: axum::http::HeaderMap,
    body: Body,
) -> ApiResult<JsonResponse<Value>> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if !matches!(content_type.as_str(), "text/csv" | "text/plain") {
        return Err(Problem::new(
            Kind::UnsupportedMediaType,
            "send the purchase history as text/csv",
        ));
    }
    let options = ImportOptions {
        format: match q.format.as_deref() {
            None | Some("csv") => ImportFormat::Csv,
            Some("cdnow") => ImportFormat::Cdnow,
            Some(_) => return Err(invalid("format", "must be csv or cdnow")),
        },
        customer_key: match q.customer_key.as_deref() {
            None | Some("external_id") => ContactKey::ExternalId,
            Some("email") => ContactKey::Email,
            Some(_) => return Err(invalid("customer_key", "must be external_id or email")),
        },
        date_format: q.date_format,
        dry_run: q.dry_run.unwrap_or(false),
        skip_bad_rows: q.skip_bad_rows.unwrap_or(false),
    };
    let bytes = read_limited(body, s.config.max_body_bytes).await?;
    let report = transactions::import(&s.app, &c, bytes.as_ref(), &options, &mut |_| {}).await?;
    let status = if report.committed || (report.dry_run && report.bad_rows == 0) {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut r = JsonResponse::ok(to_json(&report)?);
    r.status = status;
    Ok(r)
}

// ---- fit and models ----

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = AnalyticsFitInput)]
pub struct FitBody {
    /// `contact` (default) or `company`: whom an order counts for.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = String, required = false)]
    pub customer: Option<String>,
    /// Last day of the calibration period (YYYY-MM-DD); the last order's day by default.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = String, format = Date, required = false)]
    pub calibration_end: Option<String>,
}

impl RequestBody for FitBody {}

#[utoipa::path(post, path = "/analytics/fit", tag = "analytics", operation_id = "fit_analytics",
    request_body = FitBody,
    responses((status = 200, description = "The stored fits (bgnbd, paretonbd, gammagamma, rfm cut points) with timings", body = Object)),
    security(("bearer" = [])))]
pub async fn fit(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiJson(b): ApiJson<FitBody>,
) -> ApiResult<JsonResponse<Value>> {
    let input = FitInput {
        customer: customer(b.customer.as_deref())?,
        calibration_end: day("calibration_end", b.calibration_end.as_deref())?,
    };
    let out = analytics::fit(&s.app, &c, &input, &mut |_| {}).await?;
    Ok(JsonResponse::ok(to_json(&out)?))
}

#[utoipa::path(get, path = "/analytics/models", tag = "analytics", operation_id = "list_analytics_models",
    responses((status = 200, description = "Stored fits, newest first", body = Object)),
    security(("bearer" = [])))]
pub async fn models(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
) -> ApiResult<JsonResponse<Value>> {
    let list = analytics::models(&s.app, &c).await?;
    Ok(JsonResponse::ok(json!({"data": to_json(&list)?})))
}

// ---- predictions ----

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct HorizonQuery {
    /// `bgnbd` (default) or `paretonbd`.
    pub model: Option<String>,
    /// Expected purchases and churn risk over this many weeks (default 52).
    pub horizon_weeks: Option<f64>,
    /// CLV horizon in months (default 12).
    pub clv_months: Option<u32>,
    /// Monthly discount rate of CLV (default 0.01).
    pub discount_rate: Option<f64>,
}

impl HorizonQuery {
    fn horizon(&self) -> Result<Horizon, Problem> {
        let d = Horizon::default();
        Ok(Horizon {
            model: match self.model.as_deref() {
                None => d.model,
                Some(m) => PurchaseModel::parse(m)
                    .ok_or_else(|| invalid("model", "must be bgnbd or paretonbd"))?,
            },
            weeks: self.horizon_weeks.unwrap_or(d.weeks),
            clv_months: self.clv_months.unwrap_or(d.clv_months),
            monthly_discount_rate: self.discount_rate.unwrap_or(d.monthly_discount_rate),
        })
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PredictionsQuery {
    /// `contact` (default) or `company`.
    pub customer: Option<String>,
    pub model: Option<String>,
    pub horizon_weeks: Option<f64>,
    pub clv_months: Option<u32>,
    pub discount_rate: Option<f64>,
    /// `clv` (default), `p_alive`, `expected_purchases` or `churn_risk`, highest first.
    pub sort: Option<String>,
    /// Rows per page, 1 to 200; 50 by default.
    pub limit: Option<usize>,
    /// Rows to skip (the ranking is computed, so pages are by offset).
    pub offset: Option<usize>,
}

fn page(limit: Option<usize>, offset: Option<usize>) -> (usize, Option<usize>) {
    (offset.unwrap_or(0), Some(limit.unwrap_or(50).clamp(1, 200)))
}

#[utoipa::path(get, path = "/analytics/predictions", tag = "analytics", operation_id = "list_analytics_predictions",
    params(PredictionsQuery),
    responses((status = 200, description = "Per-customer predictions of the latest fit: expected purchases, p_alive, expected_spend, clv, churn_risk", body = Object)),
    security(("bearer" = [])))]
pub async fn predictions(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiQuery(q): ApiQuery<PredictionsQuery>,
) -> ApiResult<JsonResponse<Value>> {
    let horizon = HorizonQuery {
        model: q.model.clone(),
        horizon_weeks: q.horizon_weeks,
        clv_months: q.clv_months,
        discount_rate: q.discount_rate,
    }
    .horizon()?;
    let sort = match q.sort.as_deref() {
        None => PredictionSort::Clv,
        Some(raw) => PredictionSort::parse(raw).ok_or_else(|| {
            invalid(
                "sort",
                "must be clv, p_alive, expected_purchases or churn_risk",
            )
        })?,
    };
    let (offset, limit) = page(q.limit, q.offset);
    let out = analytics::predictions(
        &s.app,
        &c,
        customer(q.customer.as_deref())?,
        &horizon,
        sort,
        offset,
        limit,
    )
    .await?;
    Ok(JsonResponse::ok(to_json(&out)?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RfmQuery {
    pub customer: Option<String>,
    /// Cut-off day (YYYY-MM-DD); the last order's day by default.
    pub as_of: Option<String>,
    /// Only this segment's rows (counts always cover every segment), e.g. `champions`.
    pub segment: Option<String>,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

#[utoipa::path(get, path = "/analytics/rfm", tag = "analytics", operation_id = "list_analytics_rfm",
    params(RfmQuery),
    responses((status = 200, description = "RFM scores and segments, highest spend first, with segment counts", body = Object)),
    security(("bearer" = [])))]
pub async fn rfm(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiQuery(q): ApiQuery<RfmQuery>,
) -> ApiResult<JsonResponse<Value>> {
    let segment = q
        .segment
        .as_deref()
        .map(|raw| {
            analytics::parse_segment(raw)
                .ok_or_else(|| invalid("segment", "is not a segment name such as champions"))
        })
        .transpose()?;
    let (offset, limit) = page(q.limit, q.offset);
    let out = analytics::rfm(
        &s.app,
        &c,
        customer(q.customer.as_deref())?,
        day("as_of", q.as_of.as_deref())?,
        segment,
        offset,
        limit,
    )
    .await?;
    Ok(JsonResponse::ok(to_json(&out)?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CohortsQuery {
    pub customer: Option<String>,
    /// Last day counted (YYYY-MM-DD); the last order's day by default.
    pub through: Option<String>,
}

#[utoipa::path(get, path = "/analytics/cohorts", tag = "analytics", operation_id = "list_analytics_cohorts",
    params(CohortsQuery),
    responses((status = 200, description = "Retention by month of first purchase", body = Object)),
    security(("bearer" = [])))]
pub async fn cohorts(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiQuery(q): ApiQuery<CohortsQuery>,
) -> ApiResult<JsonResponse<Value>> {
    let out = analytics::cohorts(
        &s.app,
        &c,
        customer(q.customer.as_deref())?,
        day("through", q.through.as_deref())?,
    )
    .await?;
    Ok(JsonResponse::ok(json!({"data": to_json(&out)?})))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ChurnQuery {
    pub customer: Option<String>,
    /// End of the fitting period; halfway between the first and last order by default.
    pub calibration_end: Option<String>,
    /// End of the holdout period; the last order's day by default.
    pub holdout_end: Option<String>,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

#[utoipa::path(get, path = "/analytics/churn", tag = "analytics", operation_id = "get_analytics_churn",
    params(ChurnQuery),
    responses((status = 200, description = "AUC of the churn score on the holdout, and customers by churn risk", body = Object)),
    security(("bearer" = [])))]
pub async fn churn(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiQuery(q): ApiQuery<ChurnQuery>,
) -> ApiResult<JsonResponse<Value>> {
    let (offset, limit) = page(q.limit, q.offset);
    let out = analytics::churn(
        &s.app,
        &c,
        customer(q.customer.as_deref())?,
        day("calibration_end", q.calibration_end.as_deref())?,
        day("holdout_end", q.holdout_end.as_deref())?,
        offset,
        limit,
    )
    .await?;
    Ok(JsonResponse::ok(to_json(&out)?))
}

// ---- one record ----

async fn record(
    s: &AppState,
    c: &rapport_app::Caller,
    object: ObjectType,
    id: uuid::Uuid,
    q: &HorizonQuery,
) -> ApiResult<JsonResponse<Value>> {
    let out = analytics::record_analytics(&s.app, c, object, id, &q.horizon()?).await?;
    Ok(JsonResponse::ok(to_json(&out)?))
}

#[utoipa::path(get, path = "/contacts/{id}/analytics", tag = "contacts", operation_id = "get_contact_analytics",
    params(("id" = Uuid, Path, description = "The contact's id"), HorizonQuery),
    responses((status = 200, description = "CLV, P(alive), expected purchases, churn risk and RFM segment from the latest fit (null fields without one)", body = Object)),
    security(("bearer" = [])))]
pub async fn contact(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathUuid(id): PathUuid,
    ApiQuery(q): ApiQuery<HorizonQuery>,
) -> ApiResult<JsonResponse<Value>> {
    record(&s, &c, ObjectType::Contact, id, &q).await
}

#[utoipa::path(get, path = "/companies/{id}/analytics", tag = "companies", operation_id = "get_company_analytics",
    params(("id" = Uuid, Path, description = "The company's id"), HorizonQuery),
    responses((status = 200, description = "CLV, P(alive), expected purchases, churn risk and RFM segment from the latest fit with customer = company", body = Object)),
    security(("bearer" = [])))]
pub async fn company(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathUuid(id): PathUuid,
    ApiQuery(q): ApiQuery<HorizonQuery>,
) -> ApiResult<JsonResponse<Value>> {
    record(&s, &c, ObjectType::Company, id, &q).await
}
