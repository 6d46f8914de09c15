//! Times the analytics fits against the budgets of DESIGN §9. Run in release:
//! `cargo run --release -p rapport-core --example analytics_speed`
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

fn main() -> Result<(), Box<dyn std::error::Error>> {
    print_machine();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/CDNOW_sample.txt"
    );
    let base = parse_cdnow(&std::fs::read_to_string(path)?)?;
    let calibration_end = Date::from_calendar_date(1997, Month::September, 30)?;
    for (label, shift) in [("replicated", false), ("shifted", true)] {
        let data: Vec<Transaction<u32>> = (0..10u32)
            .flat_map(|k| {
                base.iter().map(move |t| Transaction {
                    customer: t.customer + 10_000 * k,
                    date: if shift {
                        t.date - time::Duration::days(i64::from(k))
                    } else {
                        t.date
                    },
                    amount: t.amount,
                })
            })
            .collect();
        let (summaries, t_summary) = best_of(5, || summarise(&data, calibration_end, None));
        let summaries = summaries?;
        let rows = collapse(summaries.iter().map(|s| &s.history)).len();
        println!(
            "\n{label}: {} customers, {} distinct (x, t_x, T) rows; summarise {}",
            summaries.len(),
            rows,
            ms(t_summary)
        );
        let (bg, t) = best_of(5, || BgNbd::fit(&summaries));
        let bg = bg?;
        println!(
            "  BG/NBD      {:>9}  (budget 30 ms)   {:?}",
            ms(t),
            bg.params
        );
        let (gg, t) = best_of(5, || GammaGamma::fit(&summaries));
        let gg = gg?;
        println!(
            "  Gamma-Gamma {:>9}  (budget 10 ms)   {:?}",
            ms(t),
            gg.params
        );
        let (pn, t) = best_of(3, || ParetoNbd::fit(&summaries));
        let pn = pn?;
        println!(
            "  Pareto/NBD  {:>9}  (budget 500 ms)  {:?}",
            ms(t),
            pn.params
        );
    }

    if std::env::var_os("SKIP_RFM").is_some() {
        return Ok(());
    }
    let customers = 1_000_000u64;
    let transactions = synthetic(customers, 10_000_000)?;
    let as_of = Date::from_calendar_date(2025, Month::December, 31)?;
    let (scores, t) = best_of(1, || rfm(&transactions, as_of));
    println!(
        "\nRFM: {} customers, {} transactions in random order: {} (budget 10 s)",
        scores?.len(),
        transactions.len(),
        ms(t)
    );
    Ok(())
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

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn parse_cdnow(text: &str) -> Result<Vec<Transaction<u32>>, Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split_whitespace().collect();
        let ymd: u32 = f[2].parse()?;
        let date = Date::from_calendar_date(
            (ymd / 10_000) as i32,
            Month::try_from((ymd / 100 % 100) as u8)?,
            (ymd % 100) as u8,
        )?;
        out.push(Transaction {
            customer: f[1].parse()?,
            date,
            amount: f[4].parse()?,
        });
    }
    Ok(out)
}

/// Deterministic pseudo-random transactions (xorshift), customers in random order.
fn synthetic(
    customers: u64,
    n: usize,
) -> Result<Vec<Transaction<u64>>, Box<dyn std::error::Error>> {
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

fn print_machine() {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .next()
                .map(|l| l.split_whitespace().nth(1).unwrap_or("?").to_string())
        })
        .unwrap_or_else(|| "?".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    println!("machine: {cpu}, {cores} cores, {memory} kB memory");
}
