//! Dated exchange rates into the workspace's base currency. Everyone in the workspace reads
//! them (totals are converted with them); only admins set and remove them.

use rapport_core::audit::{Actor, AuditAction, FieldChange};
use rapport_core::fx::{DatedRate, Rate};
use rapport_core::money::Currency;
use rapport_core::policy;
use rapport_core::validation::Errors;
use rapport_core::value::Date;
use rapport_core::{ErrorCode, FieldError, Id, Timestamp, WorkspaceId};
use rapport_store::Conn;
use rapport_store::exchange_rates::{self as store, After, StoredRate};
use serde_json::json;
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::write::Write;
use crate::{App, Caller, PageOf, PageRequest};

/// One rate: one unit of `currency` is worth `rate` units of the base currency from
/// `valid_from` on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExchangeRate {
    pub currency: Currency,
    pub valid_from: Date,
    pub rate: Rate,
    pub updated_by: Option<Uuid>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Where the next page starts.
pub type Cursor = After;

fn parse_stored(r: StoredRate) -> AppResult<ExchangeRate> {
    // A row the migrations' checks let in but the domain cannot read is a bug, not input.
    let currency = Currency::parse("currency", &r.currency).map_err(|_| AppError::Internal)?;
    let rate = Rate::from_nanos(r.rate_nanos).ok_or(AppError::Internal)?;
    Ok(ExchangeRate {
        currency,
        valid_from: r.valid_from,
        rate,
        updated_by: r.updated_by,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

/// What conversion needs of a rate.
fn dated(r: ExchangeRate) -> DatedRate {
    DatedRate {
        currency: r.currency,
        valid_from: r.valid_from,
        rate: r.rate,
    }
}

async fn base_currency(c: &mut Conn, ws: WorkspaceId) -> AppResult<Currency> {
    let w = rapport_store::workspaces::get(c, ws)
        .await?
        .ok_or(AppError::NotFound)?;
    Currency::parse("base_currency", &w.base_currency).map_err(|_| AppError::Internal)
}

/// The currency a client named, as a filter or a path segment.
pub fn parse_currency(field: &str, raw: &str) -> Result<Currency, FieldError> {
    Currency::parse(field, raw)
}

/// Rates by currency (code order), newest first within each.
pub async fn list(
    app: &App,
    caller: &Caller,
    currency: Option<Currency>,
    page: PageRequest<Cursor>,
) -> AppResult<PageOf<ExchangeRate, Cursor>> {
    let mut c = app.db.read().await?;
    let code = currency.map(|c| c.code().to_owned());
    let rows = store::list(
        &mut c,
        caller.principal.workspace_id,
        code.as_deref(),
        page.after.as_ref(),
        page.limit + 1,
    )
    .await?;
    let rates = rows
        .into_iter()
        .map(parse_stored)
        .collect::<AppResult<Vec<_>>>()?;
    Ok(PageOf::from_probe(rates, page.limit, |r| After {
        currency: r.currency.code().to_owned(),
        valid_from: r.valid_from,
    }))
}

pub async fn get(
    app: &App,
    caller: &Caller,
    currency: Currency,
    valid_from: Date,
) -> AppResult<ExchangeRate> {
    let mut c = app.db.read().await?;
    let row = store::get(
        &mut c,
        caller.principal.workspace_id,
        currency.code(),
        valid_from,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    parse_stored(row)
}

/// The rate of each currency in force on `day` (its latest that started by then).
pub async fn in_force_on(app: &App, caller: &Caller, day: Date) -> AppResult<Vec<ExchangeRate>> {
    let mut c = app.db.read().await?;
    store::in_force(&mut c, caller.principal.workspace_id, day)
        .await?
        .into_iter()
        .map(parse_stored)
        .collect()
}

/// Every currency that has a rate, in code order.
pub async fn currencies(app: &App, caller: &Caller) -> AppResult<Vec<Currency>> {
    let mut c = app.db.read().await?;
    store::currencies(&mut c, caller.principal.workspace_id)
        .await?
        .iter()
        .map(|code| Currency::parse("currency", code).map_err(|_| AppError::Internal))
        .collect()
}

/// What a client sends to set a rate; every field is checked and reported at once.
#[derive(Clone, Debug, Default)]
pub struct RateInput {
    pub currency: String,
    pub valid_from: String,
    pub rate: String,
}

/// A checked rate: every field of `input` parsed, the base currency refused. Errors name
/// their field under `prefix` ("rates[3].rate") so a batch says which row is wrong.
fn parse_input(
    input: &RateInput,
    base: Currency,
    prefix: &str,
) -> Result<(Currency, Date, Rate), Vec<FieldError>> {
    let field = |f: &str| format!("{prefix}{f}");
    let mut errors = Errors::new();
    let currency = errors.check(Currency::parse(&field("currency"), &input.currency));
    let valid_from = errors.check(Date::parse(&field("valid_from"), &input.valid_from));
    let rate = errors.check(Rate::parse(&field("rate"), &input.rate));
    if currency == Some(base) {
        errors.push(FieldError::new(
            field("currency"),
            ErrorCode::InvalidValue,
            format!("{base} is the workspace's base currency; it is always worth 1"),
        ));
    }
    errors.into_result()?;
    match (currency, valid_from, rate) {
        (Some(c), Some(d), Some(r)) => Ok((c, d, r)),
        _ => Err(vec![FieldError::new(
            field("rate"),
            ErrorCode::InvalidValue,
            "is incomplete",
        )]),
    }
}

/// Writes one checked rate with its audit entry and event; `true` when it is new.
async fn put_checked(
    w: &mut Write,
    by: rapport_core::UserId,
    (currency, valid_from, rate): (Currency, Date, Rate),
) -> AppResult<(StoredRate, bool)> {
    let (stored, before) = store::put(
        &mut w.tx,
        w.ws,
        currency.code(),
        valid_from,
        rate.nanos(),
        by,
        w.now,
    )
    .await?;
    let shown = |nanos: i64| Rate::from_nanos(nanos).map(|r| r.to_string());
    w.audit(
        AuditAction::SettingsChanged,
        "exchange_rate",
        None,
        vec![FieldChange {
            field: "rate",
            before: json!(before.as_ref().and_then(|b| shown(b.rate_nanos))),
            after: json!(rate.to_string()),
        }],
        Some(json!({"currency": currency.code(), "valid_from": valid_from.to_string()})),
    )
    .await?;
    let ws = w.ws.as_uuid();
    w.emit(
        "exchange_rate.set",
        "exchange_rate",
        ws,
        json!({
            "currency": currency.code(),
            "valid_from": valid_from.to_string(),
            "rate": rate.to_string(),
        }),
    )
    .await?;
    Ok((stored, before.is_none()))
}

/// Sets (creates or replaces) the rate of a currency from a day; `true` when it is new.
pub async fn put(app: &App, caller: &Caller, input: &RateInput) -> AppResult<(ExchangeRate, bool)> {
    let p = &caller.principal;
    policy::authorize_workspace_admin(p)?;
    let mut w = Write::begin(app, p.workspace_id, Actor::User(p.user_id), &caller.meta).await?;
    let base = base_currency(&mut w.tx, w.ws).await?;
    let checked = parse_input(input, base, "")?;
    let (stored, created) = put_checked(&mut w, p.user_id, checked).await?;
    w.commit().await?;
    Ok((parse_stored(stored)?, created))
}

/// What a batch of rates did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BatchReport {
    pub created: usize,
    pub replaced: usize,
}

/// Sets many rates in one transaction (a central bank's table, a year of history): all of
/// them or, when any row is wrong, none, with every wrong field named as `rates[i].field`.
pub async fn put_many(app: &App, caller: &Caller, inputs: &[RateInput]) -> AppResult<BatchReport> {
    let p = &caller.principal;
    policy::authorize_workspace_admin(p)?;
    let mut w = Write::begin(app, p.workspace_id, Actor::User(p.user_id), &caller.meta).await?;
    let base = base_currency(&mut w.tx, w.ws).await?;
    let mut errors = Vec::new();
    let mut checked = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        match parse_input(input, base, &format!("rates[{i}].")) {
            Ok(c) => checked.push(c),
            Err(e) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut report = BatchReport::default();
    let mut currencies: Vec<&str> = Vec::new();
    for (currency, valid_from, rate) in &checked {
        let (_, replaced) = store::put(
            &mut w.tx,
            w.ws,
            currency.code(),
            *valid_from,
            rate.nanos(),
            p.user_id,
            w.now,
        )
        .await?;
        if replaced.is_some() {
            report.replaced += 1;
        } else {
            report.created += 1;
        }
        if !currencies.contains(&currency.code()) {
            currencies.push(currency.code());
        }
    }
    currencies.sort_unstable();
    // Like other bulk writes: one audit entry and one event for the batch, not one per row.
    let summary = json!({
        "created": report.created,
        "replaced": report.replaced,
        "currencies": currencies,
    });
    w.audit(
        AuditAction::SettingsChanged,
        "exchange_rate",
        None,
        Vec::new(),
        Some(summary.clone()),
    )
    .await?;
    let ws = w.ws.as_uuid();
    w.emit("exchange_rate.batch_set", "exchange_rate", ws, summary)
        .await?;
    w.commit().await?;
    Ok(report)
}

/// Removes one rate; the previous rate of the currency (if any) is in force again.
pub async fn delete(
    app: &App,
    caller: &Caller,
    currency: Currency,
    valid_from: Date,
) -> AppResult<()> {
    let p = &caller.principal;
    policy::authorize_workspace_admin(p)?;
    let mut w = Write::begin(app, p.workspace_id, Actor::User(p.user_id), &caller.meta).await?;
    let before = store::get(&mut w.tx, w.ws, currency.code(), valid_from)
        .await?
        .ok_or(AppError::NotFound)?;
    store::delete(&mut w.tx, w.ws, currency.code(), valid_from).await?;
    w.audit(
        AuditAction::SettingsChanged,
        "exchange_rate",
        None,
        vec![FieldChange {
            field: "rate",
            before: json!(Rate::from_nanos(before.rate_nanos).map(|r| r.to_string())),
            after: serde_json::Value::Null,
        }],
        Some(json!({"currency": currency.code(), "valid_from": valid_from.to_string()})),
    )
    .await?;
    w.emit(
        "exchange_rate.deleted",
        "exchange_rate",
        w.ws.as_uuid(),
        json!({"currency": currency.code(), "valid_from": valid_from.to_string()}),
    )
    .await?;
    w.commit().await
}

/// The base currency and the rate of every other currency in force on `day`.
pub(crate) async fn in_force(
    c: &mut Conn,
    ws: WorkspaceId,
    day: Date,
) -> AppResult<(Currency, Vec<DatedRate>)> {
    let base = base_currency(c, ws).await?;
    let rates = store::in_force(c, ws, day)
        .await?
        .into_iter()
        .map(|r| parse_stored(r).map(dated))
        .collect::<AppResult<Vec<_>>>()?;
    Ok((base, rates))
}

/// Every rate of the workspace, oldest first within each currency.
pub(crate) async fn all(c: &mut Conn, ws: WorkspaceId) -> AppResult<Vec<DatedRate>> {
    store::all(c, ws)
        .await?
        .into_iter()
        .map(|r| parse_stored(r).map(dated))
        .collect()
}
