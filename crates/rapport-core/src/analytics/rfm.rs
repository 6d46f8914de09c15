//! RFM scoring at a cut-off date.
//!
//! - Recency: whole days from the last purchase to the cut-off.
//! - Frequency: purchase *days* (records on one day are one purchase, as in the models).
//! - Monetary: total spend up to the cut-off (not the average: a big customer is one who
//!   brings a lot of money, however it is split into orders).
//!
//! Each is scored 1..=5 by quintile of rank, 5 best (most recent, most frequent, highest
//! spend). Ties never split: a customer's score comes from the rank of the *first* customer
//! with the same value in sorted order, so equal values always get equal scores (a quintile
//! can then be larger than a fifth, and a score can be skipped when one value dominates).

use ::time::Date;
use serde::{Deserialize, Serialize};

use super::AnalyticsError;
use super::summary::{Transaction, check_amounts, customer_date_order, purchase_days};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    Champions,
    Loyal,
    PotentialLoyalist,
    New,
    Promising,
    NeedsAttention,
    AboutToSleep,
    AtRisk,
    CantLoseThem,
    Hibernating,
    Lost,
}

impl Segment {
    /// The common R × FM map, with FM = ⌈(F + M) / 2⌉:
    ///
    /// | R \ FM | 1 | 2 | 3 | 4 | 5 |
    /// |---|---|---|---|---|---|
    /// | 5 | New | Potential loyalist | Potential loyalist | Champions | Champions |
    /// | 4 | Promising | Potential loyalist | Potential loyalist | Loyal | Loyal |
    /// | 3 | About to sleep | About to sleep | Needs attention | Loyal | Loyal |
    /// | 2 | Hibernating | Hibernating | At risk | At risk | Can't lose them |
    /// | 1 | Lost | Hibernating | At risk | At risk | Can't lose them |
    pub fn from_scores(r: u8, f: u8, m: u8) -> Self {
        let fm = (f + m).div_ceil(2);
        match (r, fm) {
            (5, 4..) => Self::Champions,
            (5, 1) => Self::New,
            (4 | 5, 2 | 3) => Self::PotentialLoyalist,
            (4, 1) => Self::Promising,
            (3 | 4, 4..) => Self::Loyal,
            (3, 3) => Self::NeedsAttention,
            (3, _) => Self::AboutToSleep,
            (_, 5..) => Self::CantLoseThem,
            (_, 3 | 4) => Self::AtRisk,
            (1, 1) => Self::Lost,
            _ => Self::Hibernating,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Champions => "Champions",
            Self::Loyal => "Loyal",
            Self::PotentialLoyalist => "Potential loyalist",
            Self::New => "New",
            Self::Promising => "Promising",
            Self::NeedsAttention => "Needs attention",
            Self::AboutToSleep => "About to sleep",
            Self::AtRisk => "At risk",
            Self::CantLoseThem => "Can't lose them",
            Self::Hibernating => "Hibernating",
            Self::Lost => "Lost",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rfm<K> {
    pub customer: K,
    pub recency_days: i64,
    pub frequency: u32,
    pub monetary: f64,
    pub r: u8,
    pub f: u8,
    pub m: u8,
    pub segment: Segment,
}

/// RFM values, scores and segments of every customer with a purchase on or before `as_of`.
pub fn rfm<K: Ord + Clone>(
    transactions: &[Transaction<K>],
    as_of: Date,
) -> Result<Vec<Rfm<K>>, AnalyticsError> {
    check_amounts(transactions)?;
    let order = customer_date_order(transactions);
    let mut out = Vec::new();
    for purchases in order.chunk_by(|&i, &j| transactions[i].customer == transactions[j].customer) {
        let (mut days, mut total, mut last) = (0u32, 0.0, None);
        for (date, amount) in purchase_days(transactions, purchases) {
            if date > as_of {
                break;
            }
            days += 1;
            total += amount;
            last = Some(date);
        }
        let Some(last) = last else { continue };
        out.push(Rfm {
            customer: transactions[purchases[0]].customer.clone(),
            recency_days: (as_of - last).whole_days(),
            frequency: days,
            monetary: total,
            r: 0,
            f: 0,
            m: 0,
            segment: Segment::Lost,
        });
    }
    let r = quintile_scores(
        &out.iter()
            .map(|c| -(c.recency_days as f64))
            .collect::<Vec<_>>(),
    );
    let f = quintile_scores(
        &out.iter()
            .map(|c| f64::from(c.frequency))
            .collect::<Vec<_>>(),
    );
    let m = quintile_scores(&out.iter().map(|c| c.monetary).collect::<Vec<_>>());
    for (i, c) in out.iter_mut().enumerate() {
        (c.r, c.f, c.m) = (r[i], f[i], m[i]);
        c.segment = Segment::from_scores(c.r, c.f, c.m);
    }
    Ok(out)
}

/// Quintile scores 1..=5 of `values`, higher values scoring higher; ties share the score of
/// their first occurrence in ascending order.
pub fn quintile_scores(values: &[f64]) -> Vec<u8> {
    let n = values.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_unstable_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut scores = vec![0u8; n];
    let mut run_start = 0;
    for (position, &i) in order.iter().enumerate() {
        if position > 0 && values[i].total_cmp(&values[order[position - 1]]).is_ne() {
            run_start = position;
        }
        // run_start < n, so this is 0..=4.
        scores[i] = 1 + (5 * run_start / n) as u8;
    }
    scores
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::time::macros::date;
    use proptest::prelude::*;

    #[test]
    fn the_segment_map_covers_the_documented_corners() {
        let table = [
            ((5, 5, 5), Segment::Champions),
            ((5, 1, 1), Segment::New),
            ((4, 1, 1), Segment::Promising),
            ((4, 3, 2), Segment::PotentialLoyalist),
            ((3, 5, 4), Segment::Loyal),
            ((3, 3, 3), Segment::NeedsAttention),
            ((3, 1, 2), Segment::AboutToSleep),
            ((2, 3, 4), Segment::AtRisk),
            ((1, 5, 5), Segment::CantLoseThem),
            ((2, 1, 1), Segment::Hibernating),
            ((1, 2, 1), Segment::Hibernating),
            ((1, 1, 1), Segment::Lost),
        ];
        for ((r, f, m), expected) in table {
            assert_eq!(Segment::from_scores(r, f, m), expected, "{r}{f}{m}");
        }
    }

    #[test]
    fn recent_frequent_big_spenders_are_champions_and_old_one_timers_are_lost() {
        let tx = |customer: u32, date: Date, amount: f64| Transaction {
            customer,
            date,
            amount,
        };
        let mut data = Vec::new();
        for c in 0..10u32 {
            // Customer c buys c + 1 times, the last time c days before the cut-off.
            for k in 0..=c {
                let day = date!(2024 - 06 - 30) - ::time::Duration::days(i64::from(c + 10 * k));
                data.push(tx(c, day, 10.0 * f64::from(c + 1)));
            }
        }
        let scores = rfm(&data, date!(2024 - 06 - 30)).unwrap_or_default();
        assert_eq!(scores.len(), 10);
        let best = scores
            .iter()
            .find(|s| s.customer == 0)
            .map(|s| (s.r, s.segment));
        assert_eq!(best, Some((5, Segment::New)));
        let champion = scores.iter().find(|s| s.customer == 9).map(|s| (s.f, s.m));
        assert_eq!(champion, Some((5, 5)));
    }

    #[test]
    fn purchases_after_the_cut_off_do_not_count() {
        let data = [
            Transaction {
                customer: 1,
                date: date!(2024 - 01 - 01),
                amount: 5.0,
            },
            Transaction {
                customer: 1,
                date: date!(2024 - 03 - 01),
                amount: 7.0,
            },
            Transaction {
                customer: 2,
                date: date!(2024 - 03 - 01),
                amount: 7.0,
            },
        ];
        let scores = rfm(&data, date!(2024 - 02 - 01)).unwrap_or_default();
        assert_eq!(scores.len(), 1);
        assert_eq!(
            (
                scores[0].recency_days,
                scores[0].frequency,
                scores[0].monetary
            ),
            (31, 1, 5.0)
        );
    }

    proptest! {
        #[test]
        fn scores_are_one_to_five_and_ties_never_split(values in proptest::collection::vec(0u8..8, 1..200)) {
            let values: Vec<f64> = values.into_iter().map(f64::from).collect();
            let scores = quintile_scores(&values);
            for (i, a) in values.iter().enumerate() {
                prop_assert!((1..=5).contains(&scores[i]));
                for (j, b) in values.iter().enumerate() {
                    if a == b { prop_assert_eq!(scores[i], scores[j]); }
                    if a < b { prop_assert!(scores[i] <= scores[j]); }
                }
            }
        }

        #[test]
        fn distinct_values_fill_every_quintile_equally(n in 1usize..40) {
            let values: Vec<f64> = (0..5 * n).map(|v| v as f64).collect();
            let scores = quintile_scores(&values);
            for s in 1..=5u8 {
                prop_assert_eq!(scores.iter().filter(|&&v| v == s).count(), n);
            }
        }
    }
}
