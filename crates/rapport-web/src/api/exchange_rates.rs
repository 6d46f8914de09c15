//! Dated exchange rates (`/exchange-rates`) and the pipeline totals they convert
//! (`/pipelines/{id}/totals`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use rapport_app::PageRequest;
use rapport_app::exchange_rates::{self, Cursor, ExchangeRate, RateInput};
use rapport_app::overview::{self, PipelineFigures};
use rapport_core::Timestamp;
use rapport_core::fx::{Combined, Unconverted};
use rapport_core::money::{Currency, Money};
use rapport_core::value::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::dto::ListOf;
use super::records::RawParams;
use crate::extract::{ApiCaller, PathUuid, cursor};
use crate::json::{ApiJson, JsonResponse, RequestBody};
use crate::problem::{ApiResult, Problem};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ExchangeRate)]
pub struct RateDto {
    /// ISO 4217 code of the currency the rate converts from.
    pub currency: String,
    /// The first day the rate is in force; it holds until the next rate of the currency.
    #[schema(format = Date)]
    pub valid_from: String,
    /// Units of the base currency one unit of `currency` is worth, as a decimal string.
    pub rate: String,
    pub base_currency: String,
    pub updated_by: Option<Uuid>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

fn rate_dto(r: ExchangeRate, base: &str) -> RateDto {
    RateDto {
        currency: r.currency.code().to_owned(),
        valid_from: r.valid_from.to_string(),
        rate: r.rate.to_string(),
        base_currency: base.to_owned(),
        updated_by: r.updated_by,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

async fn base_of(s: &AppState, c: &rapport_app::Caller) -> ApiResult<String> {
    Ok(
        rapport_app::workspaces::get(&s.app, c.principal.workspace_id)
            .await?
            .base_currency,
    )
}

/// A rate's address: an unknown currency or a day that is not one names no rate.
fn rate_key(currency: &str, day: &str) -> Result<(Currency, Date), Problem> {
    let c =
        exchange_rates::parse_currency("currency", currency).map_err(|_| Problem::not_found())?;
    let d = Date::parse("valid_from", day).map_err(|_| Problem::not_found())?;
    Ok((c, d))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RatesQuery {
    /// Only the rates of this currency (ISO 4217).
    pub currency: Option<String>,
    /// Rows per page, 1 to 200; 50 when left out.
    pub limit: Option<u64>,
    /// The next_cursor of the previous page.
    pub cursor: Option<String>,
}

#[utoipa::path(get, path = "/exchange-rates", tag = "exchange-rates", operation_id = "list_exchange_rates",
    params(RatesQuery),
    responses((status = 200, description = "Rates by currency, newest first within each", body = ListOf<RateDto>)),
    security(("bearer" = [])))]
pub async fn list_rates(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    crate::extract::ApiQuery(q): crate::extract::ApiQuery<RatesQuery>,
) -> ApiResult<JsonResponse<ListOf<RateDto>>> {
    let currency = q
        .currency
        .as_deref()
        .map(|raw| exchange_rates::parse_currency("currency", raw))
        .transpose()
        .map_err(|e| Problem::bad_request(format!("currency: {}", e.message)))?;
    let after = match cursor::decode_keys(q.cursor.as_deref(), 2)? {
        Some(keys) => {
            let day = Date::parse("cursor", &keys[1]).map_err(|_| {
                Problem::bad_request(
                    "the cursor is not one this API gave out; start again without it",
                )
            })?;
            Some(Cursor {
                currency: keys[0].clone(),
                valid_from: day,
            })
        }
        None => None,
    };
    let page = exchange_rates::list(&s.app, &c, currency, PageRequest::new(after, q.limit)).await?;
    let base = base_of(&s, &c).await?;
    Ok(JsonResponse::ok(ListOf {
        data: page.items.into_iter().map(|r| rate_dto(r, &base)).collect(),
        next_cursor: page
            .next
            .map(|n| cursor::encode_keys(&[n.currency, n.valid_from.to_string()])),
    }))
}

#[utoipa::path(get, path = "/exchange-rates/{currency}/{valid_from}", tag = "exchange-rates", operation_id = "get_exchange_rate",
    params(("currency" = String, Path, description = "ISO 4217 code"),
        ("valid_from" = String, Path, description = "The rate's first day, YYYY-MM-DD")),
    responses((status = 200, description = "The rate", body = RateDto)),
    security(("bearer" = [])))]
pub async fn get_rate(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    Path((currency, day)): Path<(String, String)>,
) -> ApiResult<JsonResponse<RateDto>> {
    let (currency, day) = rate_key(&currency, &day)?;
    let r = exchange_rates::get(&s.app, &c, currency, day).await?;
    let base = base_of(&s, &c).await?;
    Ok(JsonResponse::ok(rate_dto(r, &base)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ExchangeRateInput)]
pub struct RateBody {
    /// Units of the base currency one unit of the path's currency is worth: a positive
    /// decimal with at most 9 decimals, such as "0.9215".
    pub rate: String,
}

impl RequestBody for RateBody {
    const READ_ONLY: &'static [&'static str] = &[
        "currency",
        "valid_from",
        "base_currency",
        "updated_by",
        "created_at",
        "updated_at",
    ];
}

#[utoipa::path(put, path = "/exchange-rates/{currency}/{valid_from}", tag = "exchange-rates", operation_id = "set_exchange_rate",
    params(("currency" = String, Path, description = "ISO 4217 code; not the base currency"),
        ("valid_from" = String, Path, description = "The first day the rate is in force, YYYY-MM-DD")),
    request_body = RateBody,
    responses(
        (status = 201, description = "A new rate", body = RateDto, headers(("Location" = String, description = "The rate's URL"))),
        (status = 200, description = "The rate of that day, replaced", body = RateDto)),
    security(("bearer" = [])))]
pub async fn put_rate(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    Path((currency, day)): Path<(String, String)>,
    ApiJson(b): ApiJson<RateBody>,
) -> ApiResult<JsonResponse<RateDto>> {
    let input = RateInput {
        currency,
        valid_from: day,
        rate: b.rate,
    };
    let (r, created) = exchange_rates::put(&s.app, &c, &input).await?;
    let base = base_of(&s, &c).await?;
    let location = format!(
        "/api/v1/exchange-rates/{}/{}",
        r.currency.code(),
        r.valid_from
    );
    let dto = rate_dto(r, &base);
    Ok(if created {
        JsonResponse::created(dto, location)
    } else {
        JsonResponse::ok(dto)
    })
}

#[utoipa::path(delete, path = "/exchange-rates/{currency}/{valid_from}", tag = "exchange-rates", operation_id = "delete_exchange_rate",
    params(("currency" = String, Path, description = "ISO 4217 code"),
        ("valid_from" = String, Path, description = "The rate's first day, YYYY-MM-DD")),
    responses((status = 204, description = "Removed; the currency's previous rate is in force again")),
    security(("bearer" = [])))]
pub async fn delete_rate(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    Path((currency, day)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let (currency, day) = rate_key(&currency, &day)?;
    exchange_rates::delete(&s.app, &c, currency, day).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- pipeline totals ----

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Amount)]
pub struct AmountDto {
    /// A decimal string with the currency's number of decimals.
    pub amount: String,
    pub currency: String,
}

fn amount(minor: i64, currency: Currency) -> AmountDto {
    AmountDto {
        amount: Money { minor, currency }.amount_string(),
        currency: currency.code().to_owned(),
    }
}

/// Deals in a currency that had no rate on the day: not in the converted totals.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = UnconvertedAmounts)]
pub struct UnconvertedDto {
    pub count: i64,
    pub total: AmountDto,
    pub weighted: AmountDto,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Figures)]
pub struct FiguresDto {
    /// Open deals, with or without an amount.
    pub count: i64,
    /// Every converted amount, in the base currency.
    pub total: AmountDto,
    /// Each amount times its deal's probability (else its stage's).
    pub weighted: AmountDto,
    /// Per currency without a rate on the day, in code order.
    pub unconverted: Vec<UnconvertedDto>,
}

fn figures_dto(c: &Combined, base: Currency) -> FiguresDto {
    let apart = |u: &Unconverted| UnconvertedDto {
        count: u.count,
        total: amount(u.total_minor, u.currency),
        weighted: amount(u.weighted_minor, u.currency),
    };
    FiguresDto {
        count: c.count,
        total: amount(c.total_minor, base),
        weighted: amount(c.weighted_minor, base),
        unconverted: c.unconverted.iter().map(apart).collect(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = StageFigures)]
pub struct StageFiguresDto {
    pub stage_id: Uuid,
    pub name: String,
    pub probability: i64,
    #[serde(flatten)]
    pub figures: FiguresDto,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PipelineTotals)]
pub struct TotalsDto {
    pub pipeline_id: Uuid,
    pub base_currency: String,
    /// The day whose rates converted the amounts.
    #[schema(format = Date)]
    pub rates_on: String,
    /// Every open stage of the pipeline, in order.
    pub stages: Vec<StageFiguresDto>,
    /// All open stages together.
    pub all: FiguresDto,
}

fn totals_dto(pipeline: Uuid, f: PipelineFigures) -> TotalsDto {
    TotalsDto {
        pipeline_id: pipeline,
        base_currency: f.base.code().to_owned(),
        rates_on: f.day.to_string(),
        stages: f
            .stages
            .iter()
            .map(|s| StageFiguresDto {
                stage_id: s.stage_id,
                name: s.stage.clone(),
                probability: s.probability,
                figures: figures_dto(&s.figures, f.base),
            })
            .collect(),
        all: figures_dto(&f.all, f.base),
    }
}

#[utoipa::path(get, path = "/pipelines/{id}/totals", tag = "pipelines", operation_id = "pipeline_totals",
    params(("id" = Uuid, Path, description = "The pipeline's id"),
        ("on" = Option<String>, Query, description = "Convert at the rates in force on this day (YYYY-MM-DD); today in UTC when left out"),
        ("filter[field][op]" = Option<String>, Query, description = "The opportunity list's filters, e.g. filter[owner_id][in]=…; the totals cover exactly the open deals that list shows the caller"),
        ("q" = Option<String>, Query, description = "Full-text search, as in the list")),
    responses((status = 200, description = "Open deals per stage, in the base currency", body = TotalsDto)),
    security(("bearer" = [])))]
pub async fn pipeline_totals(
    State(s): State<AppState>,
    ApiCaller(c): ApiCaller,
    PathUuid(id): PathUuid,
    RawParams(params): RawParams,
) -> ApiResult<JsonResponse<TotalsDto>> {
    let mut on = None;
    let mut rest = Vec::new();
    for (k, v) in params {
        match k.as_str() {
            "on" if on.is_some() => {
                return Err(Problem::bad_request("on: appears more than once"));
            }
            "on" => {
                on = Some(
                    Date::parse("on", &v)
                        .map_err(|e| Problem::bad_request(format!("on: {}", e.message)))?,
                );
            }
            "sort" | "limit" | "cursor" | "fields" | "count" | "trashed" => {
                return Err(Problem::bad_request(format!(
                    "{k}: is not a query parameter of this route"
                )));
            }
            _ => rest.push((k, v)),
        }
    }
    let day = match on {
        Some(d) => d,
        None => overview::today(&s.app, "UTC")?,
    };
    let figures = overview::pipeline_figures(&s.app, &c, &rest, Some(id), day).await?;
    Ok(JsonResponse::ok(totals_dto(id, figures)))
}
