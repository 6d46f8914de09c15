//! The days a calendar page shows: a week (Monday first, as ISO 8601 and the shipped
//! languages count) or the whole weeks that cover a month.

use jiff::ToSpan;
pub use jiff::civil::Date;
use jiff::civil::Weekday;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Week,
    Month,
}

impl View {
    pub fn parse(s: &str) -> Self {
        if s == "month" {
            View::Month
        } else {
            View::Week
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            View::Week => "week",
            View::Month => "month",
        }
    }
}

/// The days on the page: `first` and how many (7, 35 or 42), always whole weeks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grid {
    pub first: Date,
    pub days: i32,
}

fn monday_on_or_before(d: Date) -> Date {
    let back = i32::from(d.weekday().to_monday_zero_offset());
    d.checked_sub(back.days()).unwrap_or(d)
}

pub fn grid(view: View, day: Date) -> Grid {
    match view {
        View::Week => Grid {
            first: monday_on_or_before(day),
            days: 7,
        },
        View::Month => {
            let first_of_month = day.first_of_month();
            let last_of_month = day.last_of_month();
            let first = monday_on_or_before(first_of_month);
            let until_sunday = 6 - i32::from(last_of_month.weekday().to_monday_zero_offset());
            let last = last_of_month
                .checked_add(until_sunday.days())
                .unwrap_or(last_of_month);
            let days = first.until(last).map_or(35, |s| s.get_days() + 1);
            Grid { first, days }
        }
    }
}

impl Grid {
    pub fn dates(&self) -> Vec<Date> {
        (0..self.days)
            .filter_map(|i| self.first.checked_add(i.days()).ok())
            .collect()
    }

    /// The day after the last one shown (the end of the range, exclusive).
    pub fn end(&self) -> Date {
        self.first
            .checked_add(self.days.days())
            .unwrap_or(self.first)
    }
}

/// The same view one page earlier (`-1`) or later (`1`).
pub fn step(view: View, day: Date, by: i32) -> Date {
    let moved = match view {
        View::Week => day.checked_add((7 * by).days()),
        View::Month => day.first_of_month().checked_add(by.months()),
    };
    moved.unwrap_or(day)
}

/// Monday is 1, Sunday 7 (ISO 8601), for the day-name messages.
pub fn iso_weekday(d: Date) -> i8 {
    d.weekday().to_monday_one_offset()
}

pub fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    #[test]
    fn a_week_starts_on_monday() {
        let g = grid(View::Week, date(2026, 11, 26));
        assert_eq!(g.first, date(2026, 11, 23));
        assert_eq!(g.end(), date(2026, 11, 30));
        assert_eq!(
            grid(View::Week, date(2026, 11, 23)).first,
            date(2026, 11, 23)
        );
        assert_eq!(
            grid(View::Week, date(2026, 11, 29)).first,
            date(2026, 11, 23)
        );
    }

    #[test]
    fn a_month_shows_the_whole_weeks_around_it() {
        // November 2026 starts on a Sunday and ends on a Monday: six rows.
        let g = grid(View::Month, date(2026, 11, 15));
        assert_eq!(g.first, date(2026, 10, 26));
        assert_eq!(g.days, 42);
        // February 2027 starts on a Monday and ends on a Sunday: exactly four rows.
        let g = grid(View::Month, date(2027, 2, 10));
        assert_eq!((g.first, g.days), (date(2027, 2, 1), 28));
    }

    #[test]
    fn stepping_moves_by_the_view() {
        assert_eq!(step(View::Week, date(2026, 11, 26), -1), date(2026, 11, 19));
        assert_eq!(step(View::Month, date(2026, 1, 31), 1), date(2026, 2, 1));
        assert_eq!(step(View::Month, date(2026, 1, 31), -1), date(2025, 12, 1));
    }

    proptest! {
        #[test]
        fn every_grid_is_whole_weeks_covering_its_day(days in 0i32..40_000) {
            let day = date(1990, 1, 1).checked_add(days.days()).unwrap_or(date(1990, 1, 1));
            for view in [View::Week, View::Month] {
                let g = grid(view, day);
                prop_assert_eq!(g.days % 7, 0);
                prop_assert_eq!(iso_weekday(g.first), 1);
                prop_assert!(g.first <= day && day < g.end());
                if view == View::Month {
                    prop_assert!(g.first <= day.first_of_month() && day.last_of_month() < g.end());
                    prop_assert!(g.days <= 42);
                }
            }
        }
    }
}
