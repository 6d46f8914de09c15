//! Exchange rates: what one unit of each currency is worth in the base currency, from a
//! day on. The board and home convert open deals at the rates in force today.

use axum::response::{IntoResponse, Response};
use rapport_app::exchange_rates::{self, Cursor, ExchangeRate, RateInput};
use rapport_app::{AppError, PageRequest, overview};
use rapport_core::format;
use rapport_core::validation::FieldError;
use rapport_core::value::Date;

use super::super::forms::error_for;
use super::super::i18n::Tr;
use super::super::lists::Choice;
use super::super::page::urlencode;
use super::super::page::{Chrome, Page, Submission, app_error, form_status, form_value, render};
use super::{Tab, back, notice, refusal, tabs, text};
use crate::state::AppState;

/// Rows of history per page.
const PAGE: u64 = 50;

pub struct RateRow {
    pub currency: String,
    pub valid_from: String,
    /// The stored day, for the delete form.
    pub day: String,
    /// "1 USD = 0.92 EUR"
    pub rate: String,
    pub remove_label: String,
}

#[derive(askama::Template)]
#[template(path = "settings_rates.html")]
struct RatesPage {
    c: Chrome,
    tabs: Vec<Tab>,
    notice: Option<String>,
    base: String,
    today: String,
    in_force: Vec<RateRow>,
    history: Vec<RateRow>,
    filters: Vec<Choice>,
    next_href: Option<String>,
    currency: String,
    valid_from: String,
    rate: String,
    currency_error: Option<String>,
    valid_from_error: Option<String>,
    rate_error: Option<String>,
}

fn row(tr: Tr, r: &ExchangeRate, base: &str) -> RateRow {
    let day = r.valid_from.to_string();
    let shown = format::date(tr.locale, &day);
    RateRow {
        currency: r.currency.code().to_owned(),
        rate: format!(
            "1 {} = {} {base}",
            r.currency.code(),
            format::number(tr.locale, &r.rate.to_string())
        ),
        remove_label: tr.args2(
            "settings-rate-remove-one",
            ("currency", r.currency.code()),
            ("day", &shown),
        ),
        valid_from: shown,
        day,
    }
}

async fn rates_page(
    s: &AppState,
    page: &Page,
    query: &[(String, String)],
    typed: Option<&[(String, String)]>,
    errors: &[FieldError],
) -> Response {
    let tr = page.tr;
    let caller = page.caller();
    let base = match rapport_app::workspaces::get(&s.app, caller.principal.workspace_id).await {
        Ok(w) => w.base_currency,
        Err(e) => return app_error(tr, e),
    };
    let today = match overview::today(&s.app, page.zone()) {
        Ok(d) => d,
        Err(e) => return app_error(tr, e),
    };
    let filter = form_value(query, "currency").unwrap_or_default().to_owned();
    let currency = if filter.is_empty() {
        None
    } else {
        exchange_rates::parse_currency("currency", &filter).ok()
    };
    let after = match (
        form_value(query, "after_currency"),
        form_value(query, "after_day").and_then(|d| Date::parse("after", d).ok()),
    ) {
        (Some(c), Some(d)) => Some(Cursor {
            currency: c.to_owned(),
            valid_from: d,
        }),
        _ => None,
    };
    let history = match exchange_rates::list(
        &s.app,
        &caller,
        currency,
        PageRequest::new(after, Some(PAGE)),
    )
    .await
    {
        Ok(p) => p,
        Err(e) => return app_error(tr, e),
    };
    let in_force = match exchange_rates::in_force_on(&s.app, &caller, today).await {
        Ok(r) => r,
        Err(e) => return app_error(tr, e),
    };
    let known = match exchange_rates::currencies(&s.app, &caller).await {
        Ok(k) => k,
        Err(e) => return app_error(tr, e),
    };
    let mut filters = vec![Choice {
        value: String::new(),
        label: tr.get("settings-rates-all"),
        selected: filter.is_empty(),
    }];
    filters.extend(known.iter().map(|c| Choice {
        value: c.code().to_owned(),
        label: c.code().to_owned(),
        selected: c.code() == filter,
    }));
    let next_href = history.next.as_ref().map(|n| {
        format!(
            "/settings/exchange-rates?currency={}&after_currency={}&after_day={}",
            urlencode(&filter),
            urlencode(&n.currency),
            n.valid_from
        )
    });
    let v = |k: &str, default: String| match typed {
        Some(f) => form_value(f, k).unwrap_or_default().to_owned(),
        None => default,
    };
    let view = RatesPage {
        c: page.chrome("settings", tr.get("settings-rates-title")),
        tabs: tabs(tr, "exchange-rates"),
        notice: notice(tr, query),
        today: format::date(tr.locale, &today.to_string()),
        in_force: in_force.iter().map(|r| row(tr, r, &base)).collect(),
        history: history.items.iter().map(|r| row(tr, r, &base)).collect(),
        base,
        filters,
        next_href,
        currency: v("currency", String::new()),
        valid_from: v("valid_from", today.to_string()),
        rate: v("rate", String::new()),
        currency_error: error_for(tr, "currency", errors),
        valid_from_error: error_for(tr, "valid_from", errors),
        rate_error: error_for(tr, "rate", errors),
    };
    (form_status(errors), render(&view)).into_response()
}

pub async fn show(s: AppState, page: Page, query: Vec<(String, String)>) -> Response {
    if let Some(r) = refusal(&page) {
        return r;
    }
    rates_page(&s, &page, &query, None, &[]).await
}

/// Sets a rate; the same currency and day again replaces it.
pub async fn save(s: AppState, sub: Submission) -> Response {
    let Submission { page, form } = sub;
    if let Some(r) = refusal(&page) {
        return r;
    }
    let input = RateInput {
        currency: text(&form, "currency")
            .unwrap_or_default()
            .to_ascii_uppercase(),
        valid_from: text(&form, "valid_from").unwrap_or_default(),
        // Readers who write a decimal comma get what they meant.
        rate: text(&form, "rate").unwrap_or_default().replace(',', "."),
    };
    match exchange_rates::put(&s.app, &page.caller(), &input).await {
        Ok((_, true)) => back("/settings/exchange-rates?done=created".into()),
        Ok((_, false)) => back("/settings/exchange-rates?done=saved".into()),
        Err(AppError::Invalid(errors)) => rates_page(&s, &page, &[], Some(&form), &errors).await,
        Err(e) => app_error(page.tr, e),
    }
}

pub async fn delete(s: AppState, sub: Submission) -> Response {
    let Submission { page, form } = sub;
    if let Some(r) = refusal(&page) {
        return r;
    }
    let key = (
        text(&form, "currency").and_then(|c| exchange_rates::parse_currency("currency", &c).ok()),
        text(&form, "valid_from").and_then(|d| Date::parse("valid_from", &d).ok()),
    );
    let (Some(currency), Some(day)) = key else {
        return app_error(page.tr, AppError::NotFound);
    };
    match exchange_rates::delete(&s.app, &page.caller(), currency, day).await {
        Ok(()) => back("/settings/exchange-rates?done=deleted".into()),
        Err(e) => app_error(page.tr, e),
    }
}
