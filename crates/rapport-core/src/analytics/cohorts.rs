//! Retention by acquisition cohort: customers grouped by the month of their first purchase,
//! and for each later month how many of them bought again.

use ::time::Date;
use serde::{Deserialize, Serialize};

use super::summary::{Transaction, customer_date_order};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cohort {
    pub year: i32,
    /// 1..=12.
    pub month: u8,
    /// Customers acquired in this month.
    pub size: u32,
    /// `active[k]`: customers of the cohort with a purchase k months after acquisition
    /// (`active[0] == size`). Runs to the month of `through`, so a 0 means nobody bought,
    /// never "not observed yet".
    pub active: Vec<u32>,
}

impl Cohort {
    /// Share of the cohort active at each month offset.
    pub fn retention(&self) -> Vec<f64> {
        self.active
            .iter()
            .map(|&a| f64::from(a) / f64::from(self.size))
            .collect()
    }
}

fn month_index(d: Date) -> i64 {
    i64::from(d.year()) * 12 + i64::from(u8::from(d.month())) - 1
}

/// The cohort table of purchases up to and including `through`, oldest cohort first.
pub fn cohorts<K: Ord + Clone>(transactions: &[Transaction<K>], through: Date) -> Vec<Cohort> {
    let last = month_index(through);
    let order = customer_date_order(transactions);
    let mut table: std::collections::BTreeMap<i64, Cohort> = std::collections::BTreeMap::new();
    for purchases in order.chunk_by(|&i, &j| transactions[i].customer == transactions[j].customer) {
        let first_date = transactions[purchases[0]].date;
        if first_date > through {
            continue;
        }
        let first = month_index(first_date);
        let cohort = table.entry(first).or_insert_with(|| Cohort {
            year: first_date.year(),
            month: u8::from(first_date.month()),
            size: 0,
            active: vec![0; (last - first + 1) as usize],
        });
        cohort.size += 1;
        let mut previous = None;
        for &i in purchases {
            let date = transactions[i].date;
            if date > through {
                break;
            }
            let offset = (month_index(date) - first) as usize;
            // Dates are sorted, so repeat months of one customer are adjacent.
            if previous != Some(offset) {
                cohort.active[offset] += 1;
                previous = Some(offset);
            }
        }
    }
    table.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::time::macros::date;

    #[test]
    fn customers_are_counted_once_per_month_in_their_acquisition_cohort() {
        let tx = |customer: u32, date: Date| Transaction {
            customer,
            date,
            amount: 1.0,
        };
        let data = [
            tx(1, date!(2024 - 01 - 05)),
            tx(1, date!(2024 - 01 - 20)),
            tx(1, date!(2024 - 03 - 02)),
            tx(2, date!(2024 - 01 - 31)),
            tx(2, date!(2024 - 02 - 01)),
            tx(3, date!(2024 - 02 - 10)),
            tx(3, date!(2024 - 05 - 10)),
        ];
        let table = cohorts(&data, date!(2024 - 03 - 31));
        assert_eq!(table.len(), 2);
        assert_eq!((table[0].year, table[0].month, table[0].size), (2024, 1, 2));
        assert_eq!(table[0].active, vec![2, 1, 1]);
        assert_eq!(table[0].retention(), vec![1.0, 0.5, 0.5]);
        assert_eq!((table[1].month, table[1].size), (2, 1));
        assert_eq!(table[1].active, vec![1, 0]);
    }
}
