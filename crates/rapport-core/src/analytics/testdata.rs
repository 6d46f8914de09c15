//! The public data sets of the acceptance tests, parsed (tests only: the crate does no IO,
//! the files are compiled in).

use ::time::{Date, Month};

use super::summary::Transaction;

const CDNOW: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/CDNOW_sample.txt"
));
const DONATIONS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/donations.csv"
));

/// Every CDNOW sample record, keyed by the sample id (1..=2357).
pub fn cdnow() -> Vec<Transaction<u32>> {
    CDNOW
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            let ymd: u32 = f[2].parse().unwrap_or_else(|e| panic!("{line}: {e}"));
            let month = Month::try_from((ymd / 100 % 100) as u8).unwrap_or(Month::January);
            let date = Date::from_calendar_date((ymd / 10_000) as i32, month, (ymd % 100) as u8)
                .unwrap_or_else(|e| panic!("{line}: {e}"));
            Transaction {
                customer: f[1].parse().unwrap_or_else(|e| panic!("{line}: {e}")),
                date,
                amount: f[4].parse().unwrap_or_else(|e| panic!("{line}: {e}")),
            }
        })
        .collect()
}

/// (frequency, recency, periods, weight) rows of the donations data.
pub fn donations() -> Vec<(u32, u32, u32, f64)> {
    DONATIONS
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let f: Vec<f64> = line
                .trim()
                .split(',')
                .map(|v| v.parse().unwrap_or_else(|e| panic!("{line}: {e}")))
                .collect();
            (f[0] as u32, f[1] as u32, f[2] as u32, f[3])
        })
        .collect()
}
