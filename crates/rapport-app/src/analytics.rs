//! Customer-base analytics over the workspace's orders: model fits (BG/NBD, Pareto/NBD,
//! Gamma-Gamma), predictions per customer (expected purchases, P(alive), expected spend,
//! CLV, churn risk), RFM, cohorts and a holdout evaluation of the churn score. The maths is
//! `rapport_core::analytics`; this module loads orders, checks parameters, stores fits and
//! shapes results.
//!
//! Access (DESIGN §4.2): workspace-wide analytics aggregate every customer, so they are for
//! roles that see every record, which in Rapport's policy is admins only; fitting, a write,
//! also needs a read-write credential. Figures of one contact or company
//! ([`record_analytics`]) follow that record's visibility: whoever may read the record may
//! read its figures (computed from its own orders and the fitted population parameters), and
//! a record the caller cannot see is 404, as everywhere.
//!
//! Amounts: every order counts in the workspace's base currency; an order in another
//! currency is converted at the exchange rate in force on its day (`fx::Converter`), and one
//! whose currency had no rate yet that day is left out (and the number left out logged),
//! never counted at par. Amounts become `f64` units of the base currency here, once.

use std::collections::BTreeMap;

use rapport_core::analytics::bgnbd::{BgNbd, BgNbdParams};
use rapport_core::analytics::churn::{ChurnEvaluation, churn_risk, evaluate_holdout};
use rapport_core::analytics::clv::{ClvOptions, customer_lifetime_value};
use rapport_core::analytics::cohorts::{Cohort, cohorts as cohort_table};
use rapport_core::analytics::gammagamma::{GammaGamma, GammaGammaParams};
use rapport_core::analytics::paretonbd::{ParetoNbd, ParetoNbdParams};
use rapport_core::analytics::rfm::{Rfm, Segment, rfm as rfm_scores};
use rapport_core::analytics::summary::{CustomerSummary, History, Transaction, summarise};
use rapport_core::analytics::{AnalyticsError, TransactionModel};
use rapport_core::audit::{Actor, AuditAction};
use rapport_core::fx::Converter;
use rapport_core::money::Currency;
use rapport_core::object::ObjectType;
use rapport_core::policy::{self, Forbidden, Principal};
use rapport_core::value::Date as Day;
use rapport_core::{ErrorCode, FieldError, Role, Timestamp, UserId};
use rapport_store::orders::{self, Purchase, StoredModel};
pub use rapport_store::orders::{ContactKey, CustomerType};
use rapport_store::records::Trash;
use rapport_store::{Conn, workspaces};
use serde::Serialize;
use serde_json::{Value as Json, json};
use time::Date;
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::records::viewer;
use crate::write::Write;
use crate::{App, Caller};

/// Orders read per query while loading.
const PAGE: u64 = 50_000;

pub const DAYS_PER_WEEK: f64 = 7.0;

/// Days serialise as `YYYY-MM-DD`.
fn iso<S: serde::Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(d)
}

fn iso_opt<S: serde::Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.collect_str(d),
        None => s.serialize_none(),
    }
}

fn bad(field: &'static str, message: impl Into<String>) -> AppError {
    AppError::invalid(FieldError::new(field, ErrorCode::InvalidValue, message))
}

/// Workspace-wide analytics need a role that sees every record.
fn authorize_workspace_analytics(p: &Principal) -> AppResult<()> {
    if p.role == Role::Admin {
        Ok(())
    } else {
        Err(Forbidden::AdminOnly.into())
    }
}

fn analytics_error(e: AnalyticsError) -> AppError {
    match e {
        AnalyticsError::EmptyInput => bad("transactions", "there are no purchases to analyse"),
        AnalyticsError::NoRepeatBuyers => bad(
            "transactions",
            "the spend model needs at least one customer with a repeat purchase",
        ),
        AnalyticsError::SingleClass => bad(
            "holdout_end",
            "in the holdout period either every customer bought or none did; choose other dates",
        ),
        AnalyticsError::InvalidPeriod => bad("holdout_end", "must be after calibration_end"),
        AnalyticsError::InvalidParameter { name, value } => {
            bad("parameters", format!("{name} = {value} is out of range"))
        }
        AnalyticsError::NoConvergence(what) => AppError::Conflict {
            code: "no_convergence",
            message: format!("{what} did not converge on this data"),
        },
        other => {
            tracing::error!(error = %other, "analytics failed");
            AppError::Internal
        }
    }
}

async fn base_currency(c: &mut Conn, p: &Principal) -> AppResult<Currency> {
    let ws = workspaces::get(c, p.workspace_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    Currency::parse("base_currency", &ws.base_currency).map_err(|_| AppError::Internal)
}

fn to_amount(minor: i64, currency: Currency) -> f64 {
    minor as f64 / 10f64.powi(i32::from(currency.minor_digits()))
}

/// A purchase in base-currency units; `None` when its currency had no rate on its day.
fn transaction(p: &Purchase, currency: Currency, conv: &Converter) -> Option<Transaction<Uuid>> {
    let month = i8::try_from(u8::from(p.day.month())).ok()?;
    let day = Day::from_ymd(
        i16::try_from(p.day.year()).ok()?,
        month,
        i8::try_from(p.day.day()).ok()?,
    )?;
    let minor = conv.to_base(p.amount_minor, currency, day)?;
    Some(Transaction {
        customer: p.customer,
        date: p.day,
        amount: to_amount(minor, conv.base()),
    })
}

/// The base currency and every rate of the workspace, to convert orders at their days.
async fn converter(c: &mut Conn, p: &Principal) -> AppResult<Converter> {
    let base = base_currency(c, p).await?;
    let rates = crate::exchange_rates::all(c, p.workspace_id).await?;
    Ok(Converter::new(base, &rates))
}

/// Purchases in base-currency units, and how many had no rate on their day.
fn converted(page: &[Purchase], conv: &Converter) -> (Vec<Transaction<Uuid>>, usize) {
    // Orders mostly share a currency: parse each code once per run of equal codes.
    let mut last: Option<(&str, Option<Currency>)> = None;
    let mut out = Vec::with_capacity(page.len());
    for p in page {
        let currency = match last {
            Some((code, c)) if code == p.currency => c,
            _ => {
                let c = Currency::parse("currency", &p.currency).ok();
                last = Some((&p.currency, c));
                c
            }
        };
        if let Some(t) = currency.and_then(|c| transaction(p, c, conv)) {
            out.push(t);
        }
    }
    let left_out = page.len() - out.len();
    (out, left_out)
}

/// Every purchase of the workspace in its base currency (converted at its day), page by page.
async fn load(
    c: &mut Conn,
    p: &Principal,
    customer: CustomerType,
    progress: &mut (dyn FnMut(&str) + Send),
) -> AppResult<(Vec<Transaction<Uuid>>, Currency)> {
    let conv = converter(c, p).await?;
    let currency = conv.base();
    let mut out = Vec::new();
    let mut left_out = 0;
    let mut after = None;
    loop {
        let (page, next) = orders::purchases(c, p.workspace_id, customer, after, PAGE).await?;
        let (kept, without_rate) = converted(&page, &conv);
        out.extend(kept);
        left_out += without_rate;
        if next.is_none() {
            break;
        }
        after = next;
        progress(&format!("loaded {} orders", out.len()));
    }
    if left_out > 0 {
        tracing::info!(
            left_out,
            "orders in a currency without an exchange rate on their day were left out"
        );
        progress(&format!(
            "{left_out} orders left out: their currency had no exchange rate on their day"
        ));
    }
    if out.is_empty() {
        return Err(bad(
            "transactions",
            format!(
                "there are no orders with a {} in {} or in a currency with an exchange rate on the order's day; import purchase history or set rates first",
                customer.as_str(),
                currency.code(),
            ),
        ));
    }
    Ok((out, currency))
}

/// Every purchase of the workspace in base-currency units, for a caller allowed workspace analytics.
async fn workspace_transactions(
    app: &App,
    p: &Principal,
    customer: CustomerType,
) -> AppResult<Vec<Transaction<Uuid>>> {
    authorize_workspace_analytics(p)?;
    let mut c = app.db.read().await?;
    Ok(load(&mut c, p, customer, &mut |_| {}).await?.0)
}

fn span(transactions: &[Transaction<Uuid>]) -> (Date, Date) {
    let first = transactions.iter().map(|t| t.date).min();
    let last = transactions.iter().map(|t| t.date).max();
    match (first, last) {
        (Some(f), Some(l)) => (f, l),
        _ => (Date::MIN, Date::MIN),
    }
}

/// Runs CPU-heavy maths off the async threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> AppResult<T> {
    tokio::task::spawn_blocking(f).await.map_err(|e| {
        tracing::error!(error = %e, "analytics task failed");
        AppError::Internal
    })
}

// ---- fitting ----

#[derive(Clone, Debug)]
pub struct FitInput {
    pub customer: CustomerType,
    /// The last day of the calibration period; the day of the last order when left out.
    pub calibration_end: Option<Date>,
}

/// A stored fit, as callers see it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModelView {
    pub id: Uuid,
    pub kind: String,
    pub customer_type: &'static str,
    pub params: Json,
    #[serde(serialize_with = "iso")]
    pub calibration_end: Date,
    pub customers: i64,
    pub log_likelihood: Option<f64>,
    pub fitted_at: Timestamp,
    pub fitted_by: Option<UserId>,
}

impl From<StoredModel> for ModelView {
    fn from(m: StoredModel) -> Self {
        Self {
            id: m.id,
            kind: m.kind,
            customer_type: m.customer_type.as_str(),
            params: m.params,
            calibration_end: m.calibration_end,
            customers: m.customers,
            log_likelihood: m.log_likelihood,
            fitted_at: m.fitted_at,
            fitted_by: m.fitted_by,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FitOutcome {
    pub models: Vec<ModelView>,
    pub transactions: usize,
    pub customers: usize,
    /// Customers with at least one repeat purchase day in calibration.
    pub repeat_customers: usize,
    pub load_seconds: f64,
    pub fit_seconds: f64,
}

/// The score cut points of RFM: `min[k]` is the smallest value that scored k + 1.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct RfmCuts {
    pub recency: [Option<f64>; 5],
    pub frequency: [Option<f64>; 5],
    pub monetary: [Option<f64>; 5],
}

impl RfmCuts {
    fn from_scores(rows: &[Rfm<Uuid>]) -> Self {
        let cut = |value: &dyn Fn(&Rfm<Uuid>) -> f64, score: &dyn Fn(&Rfm<Uuid>) -> u8| {
            let mut out = [None; 5];
            for r in rows {
                let (v, s) = (value(r), usize::from(score(r).clamp(1, 5)) - 1);
                out[s] = Some(out[s].map_or(v, |m: f64| m.min(v)));
            }
            out
        };
        Self {
            recency: cut(&|r| -(r.recency_days as f64), &|r| r.r),
            frequency: cut(&|r| f64::from(r.frequency), &|r| r.f),
            monetary: cut(&|r| r.monetary, &|r| r.m),
        }
    }

    fn score(cuts: &[Option<f64>; 5], v: f64) -> u8 {
        (0..5u8)
            .rev()
            .find(|&k| cuts[usize::from(k)].is_some_and(|m| m <= v))
            .map_or(1, |k| k + 1)
    }

    /// Scores and segment of values measured at the fit's cut-off.
    pub fn classify(&self, recency_days: i64, frequency: u32, monetary: f64) -> (u8, u8, u8) {
        (
            Self::score(&self.recency, -(recency_days as f64)),
            Self::score(&self.frequency, f64::from(frequency)),
            Self::score(&self.monetary, monetary),
        )
    }
}

/// Fits BG/NBD, Pareto/NBD and (with repeat buyers) Gamma-Gamma on purchases up to the
/// calibration end, stores them with the RFM cut points of that day, and returns them.
pub async fn fit(
    app: &App,
    caller: &Caller,
    input: &FitInput,
    progress: &mut (dyn FnMut(&str) + Send),
) -> AppResult<FitOutcome> {
    let p = &caller.principal;
    policy::require_write_scope(p)?;
    authorize_workspace_analytics(p)?;
    let started = std::time::Instant::now();
    let (transactions, currency) = {
        let mut c = app.db.read().await?;
        load(&mut c, p, input.customer, progress).await?
    };
    let (first, last) = span(&transactions);
    let calibration_end = input.calibration_end.unwrap_or(last);
    if calibration_end > last {
        return Err(bad(
            "calibration_end",
            format!("{calibration_end} is after the last order ({last})"),
        ));
    }
    if calibration_end < first {
        return Err(bad(
            "calibration_end",
            format!("{calibration_end} is before the first order ({first})"),
        ));
    }
    let load_seconds = started.elapsed().as_secs_f64();
    progress(&format!(
        "loaded {} orders in {load_seconds:.2} s; fitting BG/NBD, Pareto/NBD and Gamma-Gamma",
        transactions.len()
    ));
    let fitting = std::time::Instant::now();
    let n_transactions = transactions.len();
    let fitted = blocking(move || -> Result<_, AnalyticsError> {
        let summaries = summarise(&transactions, calibration_end, None)?;
        let bgnbd = BgNbd::fit(&summaries)?;
        let paretonbd = ParetoNbd::fit(&summaries)?;
        let gammagamma = match GammaGamma::fit(&summaries) {
            Ok(g) => Some(g),
            Err(AnalyticsError::NoRepeatBuyers) => None,
            Err(e) => return Err(e),
        };
        let rfm = rfm_scores(&transactions, calibration_end)?;
        let repeat = summaries.iter().filter(|s| s.history.frequency > 0).count();
        Ok((
            summaries.len(),
            repeat,
            bgnbd,
            paretonbd,
            gammagamma,
            RfmCuts::from_scores(&rfm),
        ))
    })
    .await?
    .map_err(analytics_error)?;
    let (customers, repeat_customers, bgnbd, paretonbd, gammagamma, cuts) = fitted;
    let fit_seconds = fitting.elapsed().as_secs_f64();
    progress(&format!("fitted in {fit_seconds:.2} s"));
    let mut w = Write::begin(app, p.workspace_id, Actor::User(p.user_id), &caller.meta).await?;
    let n = i64::try_from(customers).unwrap_or(i64::MAX);
    let mut stored = vec![
        model(
            &w,
            "bgnbd",
            input.customer,
            json!(bgnbd.params),
            calibration_end,
            n,
            Some(bgnbd.log_likelihood),
        ),
        model(
            &w,
            "paretonbd",
            input.customer,
            json!(paretonbd.params),
            calibration_end,
            n,
            Some(paretonbd.log_likelihood),
        ),
    ];
    if let Some(g) = gammagamma {
        stored.push(model(
            &w,
            "gammagamma",
            input.customer,
            json!(g.params),
            calibration_end,
            g.customers.round() as i64,
            Some(g.log_likelihood),
        ));
    }
    stored.push(model(
        &w,
        "rfm",
        input.customer,
        json!({"cuts": cuts, "currency": currency.code()}),
        calibration_end,
        n,
        None,
    ));
    for m in &mut stored {
        if let Json::Object(o) = &mut m.params {
            o.insert("currency".into(), Json::String(currency.code().to_owned()));
        }
        orders::insert_model(&mut w.tx, w.ws, m).await?;
    }
    w.audit(
        AuditAction::SettingsChanged,
        "analytics_model",
        None,
        Vec::new(),
        Some(json!({
            "fitted": stored.iter().map(|m| m.kind.as_str()).collect::<Vec<_>>(),
            "customer_type": input.customer.as_str(),
            "calibration_end": calibration_end.to_string(),
        })),
    )
    .await?;
    let first_id = stored.first().map(|m| m.id).unwrap_or_default();
    w.emit(
        "analytics.fitted",
        "analytics_model",
        first_id,
        json!({"customer_type": input.customer.as_str(), "calibration_end": calibration_end.to_string()}),
    )
    .await?;
    w.commit().await?;
    Ok(FitOutcome {
        models: stored.into_iter().map(ModelView::from).collect(),
        transactions: n_transactions,
        customers,
        repeat_customers,
        load_seconds,
        fit_seconds,
    })
}

fn model(
    w: &Write,
    kind: &str,
    customer_type: CustomerType,
    params: Json,
    calibration_end: Date,
    customers: i64,
    log_likelihood: Option<f64>,
) -> StoredModel {
    let fitted_by = match w.actor {
        Actor::User(u) => Some(u),
        _ => None,
    };
    StoredModel {
        id: Uuid::now_v7(),
        kind: kind.to_owned(),
        customer_type,
        params,
        calibration_end,
        customers,
        log_likelihood,
        fitted_at: w.now,
        fitted_by,
    }
}

/// The stored fits, newest first.
pub async fn models(app: &App, caller: &Caller) -> AppResult<Vec<ModelView>> {
    authorize_workspace_analytics(&caller.principal)?;
    let mut c = app.db.read().await?;
    Ok(orders::models(&mut c, caller.principal.workspace_id, 200)
        .await?
        .into_iter()
        .map(ModelView::from)
        .collect())
}

// ---- the latest fits ----

/// The newest fits of one customer type, as the maths needs them.
struct Fitted {
    calibration_end: Date,
    fitted_at: Timestamp,
    bgnbd: Option<BgNbdParams>,
    paretonbd: Option<ParetoNbdParams>,
    gammagamma: Option<GammaGammaParams>,
    rfm: Option<RfmCuts>,
}

async fn latest(c: &mut Conn, p: &Principal, customer: CustomerType) -> AppResult<Option<Fitted>> {
    let ws = p.workspace_id;
    let Some(bg) = orders::latest_model(c, ws, customer, "bgnbd").await? else {
        return Ok(None);
    };
    // The other kinds of the same fit share its calibration end and time.
    let same = |m: &Option<StoredModel>| {
        m.as_ref()
            .filter(|m| m.fitted_at == bg.fitted_at && m.calibration_end == bg.calibration_end)
            .map(|m| m.params.clone())
    };
    let pn = same(&orders::latest_model(c, ws, customer, "paretonbd").await?);
    let gg = same(&orders::latest_model(c, ws, customer, "gammagamma").await?);
    let rfm = same(&orders::latest_model(c, ws, customer, "rfm").await?);
    fn decode<T: serde::de::DeserializeOwned>(v: Option<Json>) -> Option<T> {
        v.and_then(|v| serde_json::from_value(v).ok())
    }
    Ok(Some(Fitted {
        calibration_end: bg.calibration_end,
        fitted_at: bg.fitted_at,
        bgnbd: decode(Some(bg.params.clone())),
        paretonbd: decode(pn),
        gammagamma: decode(gg),
        rfm: rfm.and_then(|v| serde_json::from_value(v.get("cuts")?.clone()).ok()),
    }))
}

// ---- predictions ----

/// Which transaction model predicts purchases and P(alive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PurchaseModel {
    BgNbd,
    ParetoNbd,
}

impl PurchaseModel {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "bgnbd" => Some(PurchaseModel::BgNbd),
            "paretonbd" => Some(PurchaseModel::ParetoNbd),
            _ => None,
        }
    }
}

/// Horizons and rates of predictions.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Horizon {
    pub model: PurchaseModel,
    /// Expected purchases and churn risk over this many weeks.
    pub weeks: f64,
    /// CLV over this many months.
    pub clv_months: u32,
    pub monthly_discount_rate: f64,
}

impl Default for Horizon {
    fn default() -> Self {
        Self {
            model: PurchaseModel::BgNbd,
            weeks: 52.0,
            clv_months: 12,
            monthly_discount_rate: 0.01,
        }
    }
}

impl Horizon {
    pub fn validate(&self) -> AppResult<()> {
        if !(self.weeks.is_finite() && self.weeks > 0.0 && self.weeks <= 520.0) {
            return Err(bad("horizon_weeks", "must be more than 0 and at most 520"));
        }
        if self.clv_months == 0 || self.clv_months > 120 {
            return Err(bad("clv_months", "must be 1 to 120"));
        }
        let d = self.monthly_discount_rate;
        if !(d.is_finite() && (0.0..1.0).contains(&d)) {
            return Err(bad(
                "discount_rate",
                "must be a monthly rate of at least 0 and below 1, such as 0.01",
            ));
        }
        Ok(())
    }
}

/// What the models say about one customer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Prediction {
    pub customer_id: Uuid,
    /// Repeat purchase days in calibration (x).
    pub frequency: u32,
    pub recency_weeks: f64,
    pub age_weeks: f64,
    pub expected_purchases: f64,
    pub p_alive: f64,
    /// Expected value of a future purchase (Gamma-Gamma); null without a spend model.
    pub expected_spend: Option<f64>,
    pub clv: Option<f64>,
    /// P(no purchase in the horizon) under Pareto/NBD; null without that model.
    pub churn_risk: Option<f64>,
}

fn predict(
    f: &Fitted,
    h: &Horizon,
    customer: Uuid,
    history: &History,
    mean_repeat_spend: f64,
) -> Result<Prediction, AnalyticsError> {
    let (expected, alive, clv) = match (h.model, f.bgnbd, f.paretonbd) {
        (PurchaseModel::BgNbd, Some(m), _) => per_model(&m, f, h, history, mean_repeat_spend)?,
        (PurchaseModel::ParetoNbd, _, Some(m)) => per_model(&m, f, h, history, mean_repeat_spend)?,
        _ => return Err(AnalyticsError::EmptyInput),
    };
    let spend = match f.gammagamma {
        Some(g) => Some(g.conditional_expected_spend(history.frequency, mean_repeat_spend)?),
        None => None,
    };
    Ok(Prediction {
        customer_id: customer,
        frequency: history.frequency,
        recency_weeks: history.recency,
        age_weeks: history.age,
        expected_purchases: expected,
        p_alive: alive,
        expected_spend: spend,
        clv,
        churn_risk: f.paretonbd.map(|m| churn_risk(&m, history, h.weeks)),
    })
}

fn per_model(
    m: &impl TransactionModel,
    f: &Fitted,
    h: &Horizon,
    history: &History,
    mean_repeat_spend: f64,
) -> Result<(f64, f64, Option<f64>), AnalyticsError> {
    let expected = m.conditional_expected_purchases(history, h.weeks)?;
    let alive = m.probability_alive(history);
    let clv = match f.gammagamma {
        Some(g) => Some(customer_lifetime_value(
            m,
            &g,
            history,
            mean_repeat_spend,
            ClvOptions {
                months: h.clv_months,
                monthly_discount_rate: h.monthly_discount_rate,
            },
        )?),
        None => None,
    };
    Ok((expected, alive, clv))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PredictionSort {
    Clv,
    PAlive,
    ExpectedPurchases,
    ChurnRisk,
}

impl PredictionSort {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "clv" => Some(Self::Clv),
            "p_alive" => Some(Self::PAlive),
            "expected_purchases" => Some(Self::ExpectedPurchases),
            "churn_risk" => Some(Self::ChurnRisk),
            _ => None,
        }
    }

    fn key(self, p: &Prediction) -> f64 {
        match self {
            Self::Clv => p.clv.unwrap_or(p.expected_purchases),
            Self::PAlive => p.p_alive,
            Self::ExpectedPurchases => p.expected_purchases,
            Self::ChurnRisk => p.churn_risk.unwrap_or(0.0),
        }
    }
}

/// A slice of a ranked list: rows `offset..offset + limit` of `total`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ranked<T> {
    pub total: usize,
    pub offset: usize,
    pub items: Vec<T>,
}

fn slice<T>(mut all: Vec<T>, offset: usize, limit: Option<usize>) -> Ranked<T> {
    let total = all.len();
    let start = offset.min(total);
    let end = limit.map_or(total, |l| start.saturating_add(l).min(total));
    all.truncate(end);
    let items = all.split_off(start);
    Ranked {
        total,
        offset,
        items,
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Predictions {
    #[serde(serialize_with = "iso")]
    pub calibration_end: Date,
    pub fitted_at: Timestamp,
    pub page: Ranked<Prediction>,
}

fn no_model(customer: CustomerType) -> AppError {
    AppError::Conflict {
        code: "no_model",
        message: format!(
            "no model is fitted for customer = {}; fit one first (POST /api/v1/analytics/fit or `rapport analytics fit`)",
            customer.as_str()
        ),
    }
}

/// Predictions for every customer of the latest fit, highest `sort` first.
pub async fn predictions(
    app: &App,
    caller: &Caller,
    customer: CustomerType,
    horizon: &Horizon,
    sort: PredictionSort,
    offset: usize,
    limit: Option<usize>,
) -> AppResult<Predictions> {
    let p = &caller.principal;
    authorize_workspace_analytics(p)?;
    horizon.validate()?;
    let mut c = app.db.read().await?;
    let fitted = latest(&mut c, p, customer)
        .await?
        .ok_or_else(|| no_model(customer))?;
    let (transactions, _) = load(&mut c, p, customer, &mut |_| {}).await?;
    drop(c);
    let h = *horizon;
    let (calibration_end, fitted_at) = (fitted.calibration_end, fitted.fitted_at);
    let all = blocking(move || -> Result<Vec<Prediction>, AnalyticsError> {
        let summaries: Vec<CustomerSummary<Uuid>> =
            summarise(&transactions, fitted.calibration_end, None)?;
        let mut out = summaries
            .iter()
            .map(|s| predict(&fitted, &h, s.customer, &s.history, s.mean_repeat_spend))
            .collect::<Result<Vec<_>, _>>()?;
        out.sort_by(|a, b| {
            sort.key(b)
                .total_cmp(&sort.key(a))
                .then(a.customer_id.cmp(&b.customer_id))
        });
        Ok(out)
    })
    .await?
    .map_err(analytics_error)?;
    Ok(Predictions {
        calibration_end,
        fitted_at,
        page: slice(all, offset, limit),
    })
}

// ---- RFM ----

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RfmRow {
    pub customer_id: Uuid,
    pub recency_days: i64,
    pub frequency: u32,
    pub monetary: f64,
    pub r: u8,
    pub f: u8,
    pub m: u8,
    pub segment: Segment,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RfmReport {
    #[serde(serialize_with = "iso")]
    pub as_of: Date,
    pub customers: usize,
    /// Customers per segment, every segment listed.
    pub segments: BTreeMap<String, usize>,
    pub page: Ranked<RfmRow>,
}

pub const SEGMENTS: [Segment; 11] = [
    Segment::Champions,
    Segment::Loyal,
    Segment::PotentialLoyalist,
    Segment::New,
    Segment::Promising,
    Segment::NeedsAttention,
    Segment::AboutToSleep,
    Segment::AtRisk,
    Segment::CantLoseThem,
    Segment::Hibernating,
    Segment::Lost,
];

pub fn segment_name(s: Segment) -> String {
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

pub fn parse_segment(raw: &str) -> Option<Segment> {
    SEGMENTS.into_iter().find(|s| segment_name(*s) == raw)
}

/// RFM scores at `as_of` (the day of the last order when left out), best monetary value
/// first; `segment` keeps one segment's rows (the counts always cover all).
pub async fn rfm(
    app: &App,
    caller: &Caller,
    customer: CustomerType,
    as_of: Option<Date>,
    segment: Option<Segment>,
    offset: usize,
    limit: Option<usize>,
) -> AppResult<RfmReport> {
    let p = &caller.principal;
    let transactions = workspace_transactions(app, p, customer).await?;
    let (first, last) = span(&transactions);
    let as_of = as_of.unwrap_or(last);
    if as_of < first {
        return Err(bad(
            "as_of",
            format!("{as_of} is before the first order ({first})"),
        ));
    }
    let rows = blocking(move || rfm_scores(&transactions, as_of))
        .await?
        .map_err(analytics_error)?;
    let mut segments: BTreeMap<String, usize> =
        SEGMENTS.iter().map(|s| (segment_name(*s), 0)).collect();
    for r in &rows {
        *segments.entry(segment_name(r.segment)).or_default() += 1;
    }
    let customers = rows.len();
    let mut items: Vec<RfmRow> = rows
        .into_iter()
        .filter(|r| segment.is_none_or(|s| s == r.segment))
        .map(|r| RfmRow {
            customer_id: r.customer,
            recency_days: r.recency_days,
            frequency: r.frequency,
            monetary: r.monetary,
            r: r.r,
            f: r.f,
            m: r.m,
            segment: r.segment,
        })
        .collect();
    items.sort_by(|a, b| {
        b.monetary
            .total_cmp(&a.monetary)
            .then(a.customer_id.cmp(&b.customer_id))
    });
    Ok(RfmReport {
        as_of,
        customers,
        segments,
        page: slice(items, offset, limit),
    })
}

// ---- cohorts ----

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CohortRow {
    /// `YYYY-MM`.
    pub cohort: String,
    pub size: u32,
    pub active: Vec<u32>,
    pub retention: Vec<f64>,
}

/// Retention by month of first purchase, through `through` (the last order's day when left
/// out).
pub async fn cohorts(
    app: &App,
    caller: &Caller,
    customer: CustomerType,
    through: Option<Date>,
) -> AppResult<Vec<CohortRow>> {
    let p = &caller.principal;
    let transactions = workspace_transactions(app, p, customer).await?;
    let (first, last) = span(&transactions);
    let through = through.unwrap_or(last);
    if through < first {
        return Err(bad(
            "through",
            format!("{through} is before the first order ({first})"),
        ));
    }
    let table: Vec<Cohort> = blocking(move || cohort_table(&transactions, through)).await?;
    Ok(table
        .into_iter()
        .map(|c| CohortRow {
            cohort: format!("{:04}-{:02}", c.year, c.month),
            size: c.size,
            retention: c.retention(),
            active: c.active,
        })
        .collect())
}

// ---- churn ----

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChurnScore {
    pub customer_id: Uuid,
    pub churn_risk: f64,
    /// Purchase days in the holdout period (0 = churned).
    pub holdout_purchases: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChurnReport {
    #[serde(serialize_with = "iso")]
    pub calibration_end: Date,
    #[serde(serialize_with = "iso")]
    pub holdout_end: Date,
    pub evaluation: ChurnEvaluation,
    /// Customers by churn risk, highest first, scored by the calibration-only fit.
    pub scores: Ranked<ChurnScore>,
}

/// Fits Pareto/NBD on orders up to `calibration_end` and measures by AUC how well its churn
/// score predicts who bought nothing in (calibration_end, holdout_end]. Defaults: the
/// holdout ends on the last order's day and starts halfway between the first and last.
pub async fn churn(
    app: &App,
    caller: &Caller,
    customer: CustomerType,
    calibration_end: Option<Date>,
    holdout_end: Option<Date>,
    offset: usize,
    limit: Option<usize>,
) -> AppResult<ChurnReport> {
    let p = &caller.principal;
    let transactions = workspace_transactions(app, p, customer).await?;
    let (first, last) = span(&transactions);
    let holdout_end = holdout_end.unwrap_or(last);
    let calibration_end = calibration_end.unwrap_or_else(|| first + (last - first) / 2);
    if calibration_end < first {
        return Err(bad(
            "calibration_end",
            format!("{calibration_end} is before the first order ({first})"),
        ));
    }
    if calibration_end >= last {
        return Err(bad(
            "calibration_end",
            format!("{calibration_end} leaves no orders after it to test on (last order {last})"),
        ));
    }
    if holdout_end <= calibration_end {
        return Err(bad("holdout_end", "must be after calibration_end"));
    }
    let (evaluation, scores) = blocking(move || -> Result<_, AnalyticsError> {
        let evaluation = evaluate_holdout(&transactions, calibration_end, holdout_end)?;
        let summaries = summarise(&transactions, calibration_end, Some(holdout_end))?;
        let mut scores: Vec<ChurnScore> = summaries
            .iter()
            .map(|s| ChurnScore {
                customer_id: s.customer,
                churn_risk: churn_risk(&evaluation.model, &s.history, evaluation.horizon_weeks),
                holdout_purchases: s.holdout_purchases,
            })
            .collect();
        scores.sort_by(|a, b| {
            b.churn_risk
                .total_cmp(&a.churn_risk)
                .then(a.customer_id.cmp(&b.customer_id))
        });
        Ok((evaluation, scores))
    })
    .await?
    .map_err(analytics_error)?;
    Ok(ChurnReport {
        calibration_end,
        holdout_end,
        evaluation,
        scores: slice(scores, offset, limit),
    })
}

// ---- one record ----

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecordRfm {
    pub recency_days: i64,
    pub frequency: u32,
    pub monetary: f64,
    pub r: u8,
    pub f: u8,
    pub m: u8,
    pub segment: Segment,
}

/// The figures of one contact or company from the latest fit.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecordAnalytics {
    pub customer_id: Uuid,
    pub customer_type: &'static str,
    /// Orders of this customer counted (in the base currency, or converted at their day).
    pub orders: usize,
    /// When the model used was fitted and up to which day; null when none is.
    pub fitted_at: Option<Timestamp>,
    #[serde(serialize_with = "iso_opt")]
    pub calibration_end: Option<Date>,
    /// Null when there is no model or the customer's first order is after its calibration.
    pub prediction: Option<Prediction>,
    pub rfm: Option<RecordRfm>,
}

/// CLV, P(alive), expected purchases and RFM segment of one record, under its access
/// policy: a record the caller cannot read is not found.
pub async fn record_analytics(
    app: &App,
    caller: &Caller,
    object: ObjectType,
    id: Uuid,
    horizon: &Horizon,
) -> AppResult<RecordAnalytics> {
    let p = &caller.principal;
    horizon.validate()?;
    let customer = match object {
        ObjectType::Contact => CustomerType::Contact,
        ObjectType::Company => CustomerType::Company,
        _ => return Err(AppError::NotFound),
    };
    let mut c = app.db.read().await?;
    let v = viewer(&mut c, p).await?;
    rapport_store::records::get(&mut c, p.workspace_id, object, id, Some(&v), Trash::Live)
        .await?
        .ok_or(AppError::NotFound)?;
    let conv = converter(&mut c, p).await?;
    let purchases = orders::purchases_of(&mut c, p.workspace_id, customer, id).await?;
    let fitted = latest(&mut c, p, customer).await?;
    drop(c);
    let (transactions, _) = converted(&purchases, &conv);
    let mut out = RecordAnalytics {
        customer_id: id,
        customer_type: customer.as_str(),
        orders: transactions.len(),
        fitted_at: fitted.as_ref().map(|f| f.fitted_at),
        calibration_end: fitted.as_ref().map(|f| f.calibration_end),
        prediction: None,
        rfm: None,
    };
    let Some(f) = fitted else {
        return Ok(out);
    };
    let summary = summarise(&transactions, f.calibration_end, None)
        .map_err(analytics_error)?
        .into_iter()
        .next();
    if let Some(s) = summary {
        out.prediction = Some(
            predict(&f, horizon, id, &s.history, s.mean_repeat_spend).map_err(analytics_error)?,
        );
        if let Some(cuts) = &f.rfm
            && let Some(r) = rfm_scores(&transactions, f.calibration_end)
                .map_err(analytics_error)?
                .into_iter()
                .next()
        {
            let (rs, fs, ms) = cuts.classify(r.recency_days, r.frequency, r.monetary);
            out.rfm = Some(RecordRfm {
                recency_days: r.recency_days,
                frequency: r.frequency,
                monetary: r.monetary,
                r: rs,
                f: fs,
                m: ms,
                segment: Segment::from_scores(rs, fs, ms),
            });
        }
    }
    Ok(out)
}

// ---- BG/BB on summary data ----

/// A BG/BB fit on discrete-time summaries.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BgBbFit {
    pub alpha: f64,
    pub beta: f64,
    pub gamma: f64,
    pub delta: f64,
    pub log_likelihood: f64,
    /// Patterns (rows) and the people they stand for (sum of weights).
    pub patterns: usize,
    pub customers: f64,
}

/// Fits BG/BB on a CSV of `frequency,recency,periods,weights` rows (the layout of
/// `testdata/donations.csv`). Pure maths, no workspace data, so no authorization.
pub fn bgbb_from_csv<R: std::io::Read>(input: R) -> AppResult<BgBbFit> {
    use rapport_core::analytics::bgbb::{BgBb, DiscreteHistory, DiscreteRow};
    let mut reader = csv::Reader::from_reader(input);
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| bad("file", format!("line {line}: {e}")))?;
        let field = |k: usize, name: &str| -> AppResult<String> {
            record
                .get(k)
                .map(|s| s.trim().to_owned())
                .ok_or_else(|| bad("file", format!("line {line}: no {name} column")))
        };
        let int = |k: usize, name: &str| -> AppResult<u32> {
            field(k, name)?.parse().map_err(|_| {
                bad(
                    "file",
                    format!("line {line}, column {name}: not a whole number"),
                )
            })
        };
        let weight: f64 = field(3, "weights")?
            .parse()
            .map_err(|_| bad("file", format!("line {line}, column weights: not a number")))?;
        let history =
            DiscreteHistory::new(int(0, "frequency")?, int(1, "recency")?, int(2, "periods")?)
                .map_err(|e| bad("file", format!("line {line}: {e}")))?;
        rows.push(DiscreteRow { history, weight });
    }
    let fit = BgBb::fit(&rows).map_err(analytics_error)?;
    Ok(BgBbFit {
        alpha: fit.params.alpha,
        beta: fit.params.beta,
        gamma: fit.params.gamma,
        delta: fit.params.delta,
        log_likelihood: fit.log_likelihood,
        patterns: rows.len(),
        customers: rows.iter().map(|r| r.weight).sum(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfm_cut_points_give_every_fitted_customer_their_own_scores() {
        let day = |d: u8| Date::from_calendar_date(2024, time::Month::January, d).unwrap();
        let customers: Vec<Uuid> = (0..23u128).map(Uuid::from_u128).collect();
        let mut tx = Vec::new();
        for (i, c) in customers.iter().enumerate() {
            for k in 0..=(i % 4) {
                tx.push(Transaction {
                    customer: *c,
                    date: day(1 + (i % 9) as u8 + k as u8),
                    amount: (i * 7 % 11) as f64 + 1.0,
                });
            }
        }
        let rows = rfm_scores(&tx, day(28)).unwrap();
        let cuts = RfmCuts::from_scores(&rows);
        for r in &rows {
            assert_eq!(
                cuts.classify(r.recency_days, r.frequency, r.monetary),
                (r.r, r.f, r.m),
                "{r:?}"
            );
        }
    }

    #[test]
    fn a_slice_past_the_end_is_empty_and_keeps_the_total() {
        let s = slice(vec![1, 2, 3], 5, Some(2));
        assert_eq!((s.total, s.items.len()), (3, 0));
        let s = slice(vec![1, 2, 3], 1, Some(1));
        assert_eq!(s.items, vec![2]);
    }
}
