//! The analytics budgets of DESIGN §9, timed in process on rapport-core's own fits.
//!
//! Data: the CDNOW sample (2,357 customers) replicated ten times (23,570 customers). The
//! "shifted" variant moves replica k's dates k days earlier, so most histories are distinct
//! and collapsing identical rows helps less — the honest case. RFM runs on a synthetic base
//! of 1M customers and 10M transactions in random order.

use std::time::{Duration, Instant};

use rapport_core::analytics::bgnbd::BgNbd;
use rapport_core::analytics::gammagamma::GammaGamma;
use rapport_core::analytics::paretonbd::ParetoNbd;
use rapport_core::analytics::rfm::rfm;
use rapport_core::analytics::summary::{Transaction, collapse, summarise};
use time::{Date, Month};

use anyhow::Context;
use std::path::Path;

use crate::Row;
use crate::stats::{ms, thousands};

/// The analytics rows: fits on the shifted replicas (the honest case), RFM on the synthetic
/// base.
pub fn rows(testdata: &Path) -> anyhow::Result<Vec<Row>> {
    let path = testdata.join("CDNOW_sample.txt");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let base = parse_cdnow(&text)?;
    let calibration_end = Date::from_calendar_date(1997, Month::September, 30)?;
    let data: Vec<Transaction<u32>> = (0..10u32)
        .flat_map(|k| {
            base.iter().map(move |t| Transaction {
                customer: t.customer + 10_000 * k,
                date: t.date - time::Duration::days(i64::from(k)),
                amount: t.amount,
            })
        })
        .collect();
    let summaries = summarise(&data, calibration_end, None)?;
    let distinct = collapse(summaries.iter().map(|s| &s.history)).len();
    let on = format!(
        "{} customers, {} distinct histories",
        thousands(summaries.len() as u64),
        thousands(distinct as u64)
    );
    let mut rows = Vec::new();
    let (bg, t) = best_of(5, || BgNbd::fit(&summaries));
    bg?;
    rows.push(fit_row("BG/NBD fit", 30, t, &on));
    let (gg, t) = best_of(5, || GammaGamma::fit(&summaries));
    gg?;
    rows.push(fit_row("Gamma-Gamma fit", 10, t, &on));
    let (pn, t) = best_of(3, || ParetoNbd::fit(&summaries));
    pn?;
    rows.push(fit_row("Pareto/NBD fit", 500, t, &on));

    let customers = 1_000_000u64;
    let transactions = synthetic(customers, 10_000_000)?;
    let as_of = Date::from_calendar_date(2025, Month::December, 31)?;
    let (scores, t) = best_of(1, || rfm(&transactions, as_of));
    let scored = scores?.len();
    rows.push(Row::new(
        "RFM over 1M customers, 10M transactions",
        "≤ 10 s",
        format!("{} ({} customers scored)", ms(t), thousands(scored as u64)),
        Some(t <= Duration::from_secs(10)),
    ));
    Ok(rows)
}

fn fit_row(what: &str, budget_ms: u64, took: Duration, on: &str) -> Row {
    Row::new(
        what,
        &format!("≤ {budget_ms} ms"),
        format!("{} ({on}, best of runs)", ms(took)),
        Some(took <= Duration::from_millis(budget_ms)),
    )
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (T, Duration) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..runs {
        let start = Instant::now();
        let value = f();
        best = best.min(start.elapsed());
        out = Some(value);
    }
    match out {
        Some(v) => (v, best),
        None => (f(), best),
    }
}

fn parse_cdnow(text: &str) -> anyhow::Result<Vec<Transaction<u32>>> {
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split_whitespace().collect();
        let (Some(id), Some(day), Some(amount)) = (f.get(1), f.get(2), f.get(4)) else {
            anyhow::bail!("a CDNOW line has five fields: {line:?}");
        };
        let ymd: u32 = day.parse()?;
        let date = Date::from_calendar_date(
            (ymd / 10_000) as i32,
            Month::try_from((ymd / 100 % 100) as u8)?,
            (ymd % 100) as u8,
        )?;
        out.push(Transaction {
            customer: id.parse()?,
            date,
            amount: amount.parse()?,
        });
    }
    Ok(out)
}

/// Deterministic pseudo-random transactions (xorshift), customers in random order.
fn synthetic(customers: u64, n: usize) -> anyhow::Result<Vec<Transaction<u64>>> {
    let start = Date::from_calendar_date(2024, Month::January, 1)?;
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    Ok((0..n)
        .map(|_| {
            let r = next();
            Transaction {
                customer: r % customers,
                date: start + time::Duration::days(((r >> 32) % 730) as i64),
                amount: ((r >> 16) % 20_000) as f64 / 100.0,
            }
        })
        .collect())
}
