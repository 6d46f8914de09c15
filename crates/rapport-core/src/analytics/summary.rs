//! From raw purchases to the per-customer statistics the models are fitted on, as Fader &
//! Hardie define them: one transaction per purchase *day* (records on the same day are
//! merged and their amounts summed), frequency `x` = number of repeat purchase days, recency
//! `t_x` = time from first to last purchase and age `T` = time from first purchase to the end
//! of calibration, both in weeks (days / 7).

use ::time::Date;
use serde::{Deserialize, Serialize};

use super::AnalyticsError;

/// One purchase record. `K` is whatever identifies a customer (a contact or company id, or a
/// dense index); amounts are in the base currency as `f64` (see the module docs of
/// `analytics`). Quantities play no part in any model, so they are not carried.
#[derive(Debug, Clone, PartialEq)]
pub struct Transaction<K> {
    pub customer: K,
    pub date: Date,
    pub amount: f64,
}

/// A customer's purchase history in the calibration period, the input of every
/// transaction model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct History {
    /// `x`: number of repeat purchase days (the first purchase is not counted).
    pub frequency: u32,
    /// `t_x`: weeks from the first to the last purchase; 0 when there was no repeat.
    pub recency: f64,
    /// `T`: weeks from the first purchase to the end of calibration.
    pub age: f64,
}

impl History {
    /// A checked history: 0 ≤ recency ≤ age, and no recency without a repeat purchase.
    pub fn new(frequency: u32, recency: f64, age: f64) -> Result<Self, AnalyticsError> {
        let h = Self {
            frequency,
            recency,
            age,
        };
        h.validate()?;
        Ok(h)
    }

    pub(crate) fn validate(&self) -> Result<(), AnalyticsError> {
        if self.recency.is_nan()
            || self.recency < 0.0
            || !self.age.is_finite()
            || self.recency > self.age
        {
            return Err(AnalyticsError::InvalidHistory("need 0 <= recency <= age"));
        }
        if self.frequency == 0 && self.recency != 0.0 {
            return Err(AnalyticsError::InvalidHistory(
                "recency must be 0 without repeat purchases",
            ));
        }
        Ok(())
    }
}

/// Identical histories are one row with a weight: the likelihood is a weighted sum, and
/// real customer bases repeat the same (x, t_x, T) often (every one-time buyer of a day).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WeightedHistory {
    pub history: History,
    pub weight: f64,
}

/// Everything the models and the validation need about one customer.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerSummary<K> {
    pub customer: K,
    pub first_purchase: Date,
    pub history: History,
    /// Mean value of the repeat purchase days in calibration (the first day excluded, as in
    /// the Gamma-Gamma model); 0 when there were none.
    pub mean_repeat_spend: f64,
    /// Purchase days after the calibration end up to the holdout end; 0 without a holdout.
    pub holdout_purchases: u32,
}

const DAYS_PER_WEEK: f64 = 7.0;

/// Summarises `transactions` at `calibration_end` (inclusive). Customers whose first purchase
/// comes after it are left out: the models know nothing about them yet. With `holdout_end`,
/// purchase days in (calibration_end, holdout_end] are counted for validation.
pub fn summarise<K: Ord + Clone>(
    transactions: &[Transaction<K>],
    calibration_end: Date,
    holdout_end: Option<Date>,
) -> Result<Vec<CustomerSummary<K>>, AnalyticsError> {
    if holdout_end.is_some_and(|h| h <= calibration_end) {
        return Err(AnalyticsError::InvalidPeriod);
    }
    check_amounts(transactions)?;
    let order = customer_date_order(transactions);
    let mut out = Vec::new();
    for purchases in order.chunk_by(|&i, &j| transactions[i].customer == transactions[j].customer) {
        let mut days = purchase_days(transactions, purchases);
        let Some((first, _)) = days.next() else {
            continue;
        };
        if first > calibration_end {
            continue;
        }
        let (mut repeats, mut last, mut repeat_spend, mut holdout) = (0u32, first, 0.0, 0u32);
        for (date, amount) in days {
            if date <= calibration_end {
                repeats += 1;
                last = date;
                repeat_spend += amount;
            } else if holdout_end.is_some_and(|h| date <= h) {
                holdout += 1;
            }
        }
        out.push(CustomerSummary {
            customer: transactions[purchases[0]].customer.clone(),
            first_purchase: first,
            history: History {
                frequency: repeats,
                recency: weeks_between(first, last),
                age: weeks_between(first, calibration_end),
            },
            mean_repeat_spend: if repeats > 0 {
                repeat_spend / f64::from(repeats)
            } else {
                0.0
            },
            holdout_purchases: holdout,
        });
    }
    Ok(out)
}

/// Collapses identical histories into weighted rows, sorted by frequency (the likelihoods
/// cache per-frequency terms, so equal frequencies must be adjacent).
pub fn collapse<'a>(histories: impl IntoIterator<Item = &'a History>) -> Vec<WeightedHistory> {
    // Non-negative finite floats order like their bit patterns, which gives a total order.
    let mut keys: Vec<(u32, u64, u64)> = histories
        .into_iter()
        .map(|h| (h.frequency, h.recency.to_bits(), h.age.to_bits()))
        .collect();
    keys.sort_unstable();
    let mut out: Vec<WeightedHistory> = Vec::new();
    for run in keys.chunk_by(|a, b| a == b) {
        let (frequency, recency, age) = run[0];
        out.push(WeightedHistory {
            history: History {
                frequency,
                recency: f64::from_bits(recency),
                age: f64::from_bits(age),
            },
            weight: run.len() as f64,
        });
    }
    out
}

/// The same rows with recency and age rounded to whole weeks and merged again: a much
/// smaller data set whose maximum-likelihood estimate is close to the full one, so fitting
/// it first gives the full fit a start that is a few iterations from the optimum. Rounding
/// is monotone, so recency ≤ age still holds.
pub(crate) fn coarsen(rows: &[WeightedHistory]) -> Vec<WeightedHistory> {
    let mut keys: Vec<(u32, u64, u64, f64)> = rows
        .iter()
        .map(|r| {
            let h = r.history;
            (
                h.frequency,
                h.recency.round().to_bits(),
                h.age.round().to_bits(),
                r.weight,
            )
        })
        .collect();
    keys.sort_unstable_by_key(|k| (k.0, k.1, k.2));
    keys.chunk_by(|a, b| (a.0, a.1, a.2) == (b.0, b.1, b.2))
        .map(|run| WeightedHistory {
            history: History {
                frequency: run[0].0,
                recency: f64::from_bits(run[0].1),
                age: f64::from_bits(run[0].2),
            },
            weight: run.iter().map(|k| k.3).sum(),
        })
        .collect()
}

pub(crate) fn weeks_between(from: Date, to: Date) -> f64 {
    (to - from).whole_days() as f64 / DAYS_PER_WEEK
}

pub(crate) fn check_amounts<K>(transactions: &[Transaction<K>]) -> Result<(), AnalyticsError> {
    match transactions
        .iter()
        .find(|t| !(t.amount.is_finite() && t.amount >= 0.0))
    {
        Some(t) => Err(AnalyticsError::InvalidAmount(t.amount)),
        None => Ok(()),
    }
}

/// Indices of `transactions` ordered by customer, then date. The sort runs on a compact copy
/// of the keys rather than on indices into the records: comparisons then read contiguous
/// memory instead of jumping around a large slice, several times faster on millions of
/// rows. Input that is already in order (the usual case for data read from an indexed
/// query) is not sorted again.
pub(crate) fn customer_date_order<K: Ord + Clone>(transactions: &[Transaction<K>]) -> Vec<usize> {
    let in_order = transactions
        .windows(2)
        .all(|w| (&w[0].customer, w[0].date) <= (&w[1].customer, w[1].date));
    if in_order {
        return (0..transactions.len()).collect();
    }
    let mut keys: Vec<(K, Date, usize)> = transactions
        .iter()
        .enumerate()
        .map(|(i, t)| (t.customer.clone(), t.date, i))
        .collect();
    keys.sort_unstable();
    keys.into_iter().map(|(_, _, i)| i).collect()
}

/// One customer's purchases (indices in date order) as (day, total amount of the day).
pub(crate) fn purchase_days<'a, K>(
    transactions: &'a [Transaction<K>],
    purchases: &'a [usize],
) -> impl Iterator<Item = (Date, f64)> + 'a {
    purchases
        .chunk_by(move |&i, &j| transactions[i].date == transactions[j].date)
        .map(move |day| {
            let total = day.iter().map(|&i| transactions[i].amount).sum();
            (transactions[day[0]].date, total)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::time::macros::date;
    use proptest::prelude::*;

    fn tx(customer: u32, date: Date, amount: f64) -> Transaction<u32> {
        Transaction {
            customer,
            date,
            amount,
        }
    }

    #[test]
    fn records_on_the_same_day_are_one_purchase_and_the_first_day_is_not_a_repeat() {
        let data = [
            tx(1, date!(1997 - 01 - 01), 10.0),
            tx(1, date!(1997 - 01 - 08), 5.0),
            tx(1, date!(1997 - 01 - 08), 7.0),
            tx(1, date!(1997 - 01 - 15), 30.0),
            tx(1, date!(1997 - 02 - 01), 99.0),
        ];
        let s = summarise(&data, date!(1997 - 01 - 29), Some(date!(1997 - 03 - 01)))
            .unwrap_or_default();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].history.frequency, 2);
        assert_eq!(s[0].history.recency, 2.0);
        assert_eq!(s[0].history.age, 4.0);
        assert_eq!(s[0].mean_repeat_spend, 21.0);
        assert_eq!(s[0].holdout_purchases, 1);
    }

    #[test]
    fn customers_acquired_after_the_cut_off_are_left_out() {
        let data = [
            tx(2, date!(1997 - 03 - 01), 1.0),
            tx(1, date!(1997 - 01 - 01), 1.0),
        ];
        let s = summarise(&data, date!(1997 - 02 - 01), None).unwrap_or_default();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].customer, 1);
        assert_eq!(s[0].history.frequency, 0);
        assert_eq!(s[0].history.recency, 0.0);
    }

    #[test]
    fn a_negative_amount_or_a_holdout_before_calibration_is_rejected() {
        let data = [tx(1, date!(1997 - 01 - 01), -1.0)];
        assert_eq!(
            summarise(&data, date!(1997 - 02 - 01), None),
            Err(AnalyticsError::InvalidAmount(-1.0))
        );
        assert_eq!(
            summarise(
                &data[..0],
                date!(1997 - 02 - 01),
                Some(date!(1997 - 01 - 01))
            ),
            Err(AnalyticsError::InvalidPeriod)
        );
    }

    #[test]
    fn a_history_with_recency_beyond_age_is_invalid() {
        assert!(History::new(1, 5.0, 4.0).is_err());
        assert!(History::new(0, 1.0, 4.0).is_err());
        assert!(History::new(1, 4.0, 4.0).is_ok());
    }

    proptest! {
        #[test]
        fn collapsing_keeps_every_customer_and_each_history_once(
            raw in proptest::collection::vec((0u32..4, 0u32..3, 0u32..3), 0..60)
        ) {
            let histories: Vec<History> = raw
                .iter()
                .map(|&(x, r, extra)| {
                    let recency = if x == 0 { 0.0 } else { f64::from(r) };
                    History { frequency: x, recency, age: recency + f64::from(extra) }
                })
                .collect();
            let rows = collapse(&histories);
            let total: f64 = rows.iter().map(|r| r.weight).sum();
            prop_assert_eq!(total as usize, histories.len());
            for pair in rows.windows(2) {
                prop_assert!(pair[0].history != pair[1].history);
                prop_assert!(pair[0].history.frequency <= pair[1].history.frequency);
            }
        }
    }
}
