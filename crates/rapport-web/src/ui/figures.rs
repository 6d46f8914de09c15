//! Pipeline figures as the reader writes them: totals in the workspace's base currency, and
//! beside them, marked, the amounts whose currency had no exchange rate on the day.

use rapport_core::format;
use rapport_core::fx::Combined;
use rapport_core::money::{Currency, Money};

use super::i18n::Tr;

pub struct FigureText {
    pub count: String,
    pub total: String,
    pub weighted: String,
    /// "+ 1,200.00 USD (no rate)", one per currency left out of `total`.
    pub total_apart: Vec<String>,
    pub weighted_apart: Vec<String>,
}

fn money(tr: Tr, minor: i64, currency: Currency) -> String {
    format::money(
        tr.locale,
        &Money { minor, currency }.amount_string(),
        currency.code(),
    )
}

pub fn text(tr: Tr, c: &Combined, base: Currency) -> FigureText {
    let apart = |minor: i64, currency: Currency| {
        tr.arg("figures-without-rate", "amount", money(tr, minor, currency))
    };
    FigureText {
        count: format::integer(tr.locale, c.count),
        total: money(tr, c.total_minor, base),
        weighted: money(tr, c.weighted_minor, base),
        total_apart: c
            .unconverted
            .iter()
            .map(|u| apart(u.total_minor, u.currency))
            .collect(),
        weighted_apart: c
            .unconverted
            .iter()
            .map(|u| apart(u.weighted_minor, u.currency))
            .collect(),
    }
}

/// A note for when some amounts could not be converted: which currencies, on which day.
pub fn missing_rates(tr: Tr, c: &Combined, day: &str) -> Option<String> {
    if c.unconverted.is_empty() {
        return None;
    }
    let codes: Vec<&str> = c.unconverted.iter().map(|u| u.currency.code()).collect();
    Some(tr.args2(
        "figures-missing-rates",
        ("currencies", &codes.join(", ")),
        ("day", &format::date(tr.locale, day)),
    ))
}
