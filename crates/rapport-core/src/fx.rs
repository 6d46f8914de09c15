//! Exchange rates: what one unit of a currency is worth in the workspace's base currency,
//! from a day on, until a later rate of the same currency takes over. Amounts in different
//! currencies are added up only through a rate; an amount whose currency has no rate in
//! force stays apart and is shown as such, never dropped and never counted at par.

use std::fmt;

use crate::money::Currency;
use crate::validation::{ErrorCode, FieldError};
use crate::value::Date;

/// Nine decimals: enough for a unit of the weakest currency in the strongest one
/// (1 IRR ≈ 0.000022 EUR keeps five significant digits) while any rate still fits an `i64`.
const DECIMALS: u32 = 9;
const SCALE: i128 = 1_000_000_000;
/// The largest rate accepted: 1 unit = one billion base units.
const MAX_NANOS: i64 = 1_000_000_000 * 1_000_000_000;

/// A positive exchange rate, stored exactly as billionths of a base unit per unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rate(i64);

impl Rate {
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let bad = |message: &str| FieldError::new(field, ErrorCode::InvalidFormat, message);
        let s = input.trim();
        let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
        if whole.is_empty()
            || !whole.chars().all(|c| c.is_ascii_digit())
            || !frac.chars().all(|c| c.is_ascii_digit())
        {
            return Err(bad("must be a positive decimal number such as 0.9215"));
        }
        if frac.len() > DECIMALS as usize {
            return Err(bad("allows at most 9 decimals"));
        }
        let whole: i64 = whole
            .parse()
            .map_err(|_| bad("must be at most 1000000000"))?;
        let frac_nanos: i64 = if frac.is_empty() {
            0
        } else {
            let places = u32::try_from(frac.len()).unwrap_or(DECIMALS);
            frac.parse::<i64>().unwrap_or(0) * 10i64.pow(DECIMALS - places)
        };
        let nanos = whole
            .checked_mul(1_000_000_000)
            .and_then(|w| w.checked_add(frac_nanos))
            .filter(|n| *n <= MAX_NANOS)
            .ok_or_else(|| bad("must be at most 1000000000"))?;
        if nanos == 0 {
            return Err(FieldError::new(
                field,
                ErrorCode::InvalidValue,
                "must be greater than zero",
            ));
        }
        Ok(Rate(nanos))
    }

    /// The stored form; `None` for a number no parsed rate can have.
    pub fn from_nanos(nanos: i64) -> Option<Self> {
        (nanos > 0 && nanos <= MAX_NANOS).then_some(Rate(nanos))
    }

    pub fn nanos(self) -> i64 {
        self.0
    }

    /// The rate of the base currency in itself.
    pub fn one() -> Self {
        Rate(1_000_000_000)
    }
}

impl fmt::Display for Rate {
    /// The shortest decimal that parses back to the same rate.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.0 / 1_000_000_000;
        let frac = self.0 % 1_000_000_000;
        if frac == 0 {
            return write!(f, "{whole}");
        }
        let digits = format!("{frac:09}");
        write!(f, "{whole}.{}", digits.trim_end_matches('0'))
    }
}

/// One rate of one currency, in force from `valid_from` (inclusive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DatedRate {
    pub currency: Currency,
    pub valid_from: Date,
    pub rate: Rate,
}

/// The rate of `currency` on `day`: the latest one that started on or before it. The
/// base currency is always worth exactly one.
pub fn rate_on(rates: &[DatedRate], base: Currency, currency: Currency, day: Date) -> Option<Rate> {
    if currency == base {
        return Some(Rate::one());
    }
    rates
        .iter()
        .filter(|r| r.currency == currency && r.valid_from <= day)
        .max_by_key(|r| r.valid_from)
        .map(|r| r.rate)
}

/// `minor` units of `from` in minor units of `to` at `rate` (units of `to` per unit of
/// `from`), rounded half away from zero. `None` when the result does not fit.
pub fn convert(minor: i64, from: Currency, rate: Rate, to: Currency) -> Option<i64> {
    let up = 10i128.pow(u32::from(to.minor_digits()));
    let down = 10i128.pow(u32::from(from.minor_digits())) * SCALE;
    let numerator = i128::from(minor) * i128::from(rate.0) * up;
    let half = down / 2;
    let rounded = if numerator >= 0 {
        (numerator + half) / down
    } else {
        (numerator - half) / down
    };
    i64::try_from(rounded).ok()
}

/// Every rate of a workspace, ready to convert many amounts each at its own day (purchase
/// history for analytics): per currency, its rates sorted by first day, found by binary
/// search.
#[derive(Clone, Debug)]
pub struct Converter {
    base: Currency,
    by_currency: Vec<(Currency, Vec<(Date, Rate)>)>,
}

impl Converter {
    pub fn new(base: Currency, rates: &[DatedRate]) -> Self {
        let mut by_currency: Vec<(Currency, Vec<(Date, Rate)>)> = Vec::new();
        for r in rates.iter().filter(|r| r.currency != base) {
            match by_currency.iter_mut().find(|(c, _)| *c == r.currency) {
                Some((_, list)) => list.push((r.valid_from, r.rate)),
                None => by_currency.push((r.currency, vec![(r.valid_from, r.rate)])),
            }
        }
        for (_, list) in &mut by_currency {
            list.sort_by_key(|(d, _)| *d);
        }
        Converter { base, by_currency }
    }

    pub fn base(&self) -> Currency {
        self.base
    }

    /// `minor` units of `currency` in base minor units at the rate in force on `day`;
    /// `None` when the currency had no rate yet that day (or the result does not fit).
    pub fn to_base(&self, minor: i64, currency: Currency, day: Date) -> Option<i64> {
        if currency == self.base {
            return Some(minor);
        }
        let (_, list) = self.by_currency.iter().find(|(c, _)| *c == currency)?;
        let started = list.partition_point(|(d, _)| *d <= day);
        let (_, rate) = list.get(started.checked_sub(1)?)?;
        convert(minor, currency, *rate, self.base)
    }
}

/// Deals (or any amounts) of one currency: how many, their total and weighted total.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Part {
    /// `None`: records without an amount; they count but add nothing.
    pub currency: Option<Currency>,
    pub count: i64,
    pub total_minor: i64,
    pub weighted_minor: i64,
}

/// Amounts that could not be converted: their currency had no rate on the day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unconverted {
    pub currency: Currency,
    pub count: i64,
    pub total_minor: i64,
    pub weighted_minor: i64,
}

/// Parts added up in the base currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Combined {
    pub count: i64,
    pub total_minor: i64,
    pub weighted_minor: i64,
    /// Per currency without a rate, in code order; these are not in the totals above.
    pub unconverted: Vec<Unconverted>,
}

/// Adds `parts` up in `base` at the rates in force on `day`. Each currency's sum is
/// converted once (not each deal), so the result does not depend on how the deals split.
pub fn combine(parts: &[Part], base: Currency, rates: &[DatedRate], day: Date) -> Combined {
    let mut out = Combined {
        count: 0,
        total_minor: 0,
        weighted_minor: 0,
        unconverted: Vec::new(),
    };
    let mut by_currency: Vec<Part> = Vec::new();
    for p in parts {
        out.count += p.count;
        let Some(currency) = p.currency else { continue };
        match by_currency
            .iter_mut()
            .find(|q| q.currency == Some(currency))
        {
            Some(q) => {
                q.count += p.count;
                q.total_minor = q.total_minor.saturating_add(p.total_minor);
                q.weighted_minor = q.weighted_minor.saturating_add(p.weighted_minor);
            }
            None => by_currency.push(*p),
        }
    }
    for p in by_currency {
        let Some(currency) = p.currency else { continue };
        let converted = rate_on(rates, base, currency, day).and_then(|rate| {
            Some((
                convert(p.total_minor, currency, rate, base)?,
                convert(p.weighted_minor, currency, rate, base)?,
            ))
        });
        match converted {
            Some((t, w)) => {
                out.total_minor = out.total_minor.saturating_add(t);
                out.weighted_minor = out.weighted_minor.saturating_add(w);
            }
            None => out.unconverted.push(Unconverted {
                currency,
                count: p.count,
                total_minor: p.total_minor,
                weighted_minor: p.weighted_minor,
            }),
        }
    }
    out.unconverted
        .sort_by(|a, b| a.currency.code().cmp(b.currency.code()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cur(code: &str) -> Currency {
        Currency::parse("c", code).unwrap_or_else(|e| panic!("{e}"))
    }

    fn day(s: &str) -> Date {
        Date::parse("d", s).unwrap_or_else(|e| panic!("{e}"))
    }

    fn rate(s: &str) -> Rate {
        Rate::parse("rate", s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn rates_parse_as_exact_positive_decimals() {
        let cases = [
            ("0.92", Some(920_000_000)),
            ("1", Some(1_000_000_000)),
            (" 4.3215 ", Some(4_321_500_000)),
            ("0.000000001", Some(1)),
            ("1000000000", Some(MAX_NANOS)),
            ("1000000000.1", None),
            ("0.0000000001", None),
            ("0", None),
            ("0.000", None),
            ("-1", None),
            ("1e3", None),
            ("", None),
            (".5", None),
            ("1,5", None),
            ("99999999999999999999", None),
        ];
        for (input, expected) in cases {
            assert_eq!(
                Rate::parse("rate", input).ok().map(Rate::nanos),
                expected,
                "{input}"
            );
        }
    }

    #[test]
    fn a_rate_shows_as_its_shortest_decimal() {
        for (input, shown) in [
            ("0.92", "0.92"),
            ("1.000", "1"),
            ("0.000000001", "0.000000001"),
            ("250.5", "250.5"),
        ] {
            assert_eq!(rate(input).to_string(), shown);
        }
    }

    #[test]
    fn the_rate_on_a_day_is_the_latest_that_started_by_then() {
        let (eur, usd, pln) = (cur("EUR"), cur("USD"), cur("PLN"));
        let rates = [
            DatedRate {
                currency: usd,
                valid_from: day("2026-01-01"),
                rate: rate("0.90"),
            },
            DatedRate {
                currency: usd,
                valid_from: day("2026-06-01"),
                rate: rate("0.95"),
            },
            DatedRate {
                currency: pln,
                valid_from: day("2026-03-01"),
                rate: rate("0.23"),
            },
        ];
        let cases = [
            (usd, "2025-12-31", None),
            (usd, "2026-01-01", Some("0.90")),
            (usd, "2026-05-31", Some("0.90")),
            (usd, "2026-06-01", Some("0.95")),
            (usd, "2030-01-01", Some("0.95")),
            (pln, "2026-02-28", None),
            (pln, "2026-03-01", Some("0.23")),
            (eur, "1990-01-01", Some("1")),
            (cur("GBP"), "2026-06-01", None),
        ];
        for (currency, on, expected) in cases {
            assert_eq!(
                rate_on(&rates, eur, currency, day(on)),
                expected.map(rate),
                "{currency} on {on}"
            );
        }
    }

    #[test]
    fn conversion_rounds_half_away_from_zero_across_minor_units() {
        let (eur, usd, jpy, kwd) = (cur("EUR"), cur("USD"), cur("JPY"), cur("KWD"));
        let cases = [
            // 100.00 USD at 0.92 → 92.00 EUR
            (10_000, usd, "0.92", eur, Some(9_200)),
            // 0.01 USD at 0.5 → 0.005 EUR → 0.01
            (1, usd, "0.5", eur, Some(1)),
            (-1, usd, "0.5", eur, Some(-1)),
            (1, usd, "0.4", eur, Some(0)),
            // 1000 JPY (no decimals) at 0.0061 → 6.10 EUR
            (1_000, jpy, "0.0061", eur, Some(610)),
            // 10.00 EUR at 163.5 → 1635 JPY
            (1_000, eur, "163.5", jpy, Some(1_635)),
            // 1.000 KWD (three decimals) at 2.98 → 2.98 EUR
            (1_000, kwd, "2.98", eur, Some(298)),
            (i64::MAX, usd, "1000", eur, None),
        ];
        for (minor, from, r, to, expected) in cases {
            assert_eq!(
                convert(minor, from, rate(r), to),
                expected,
                "{minor} {from} at {r}"
            );
        }
    }

    #[test]
    fn amounts_without_a_rate_stay_apart_and_records_without_an_amount_only_count() {
        let (eur, usd, gbp) = (cur("EUR"), cur("USD"), cur("GBP"));
        let rates = [DatedRate {
            currency: usd,
            valid_from: day("2026-01-01"),
            rate: rate("0.9"),
        }];
        let part = |currency, count, total_minor, weighted_minor| Part {
            currency,
            count,
            total_minor,
            weighted_minor,
        };
        let got = combine(
            &[
                part(Some(eur), 2, 50_000, 10_000),
                part(Some(usd), 1, 10_000, 5_000),
                part(None, 4, 0, 0),
                part(Some(gbp), 3, 30_000, 3_000),
                part(Some(usd), 1, 10_000, 5_000),
            ],
            eur,
            &rates,
            day("2026-11-23"),
        );
        assert_eq!(
            got,
            Combined {
                count: 11,
                total_minor: 50_000 + 18_000,
                weighted_minor: 10_000 + 9_000,
                unconverted: vec![Unconverted {
                    currency: gbp,
                    count: 3,
                    total_minor: 30_000,
                    weighted_minor: 3_000,
                }],
            }
        );
        let before = combine(
            &[part(Some(usd), 1, 10_000, 5_000)],
            eur,
            &rates,
            day("2025-12-31"),
        );
        assert_eq!(before.total_minor, 0);
        assert_eq!(before.unconverted.len(), 1);
    }

    proptest! {
        #[test]
        fn the_converter_agrees_with_the_rate_on_each_day(
            days in proptest::collection::vec((0usize..2, 1i8..=12, 1i8..=28, 1i64..=5_000_000_000), 0..12),
            on in (1i8..=12, 1i8..=28),
            minor in -1_000_000i64..1_000_000,
        ) {
            let (eur, usd, gbp) = (cur("EUR"), cur("USD"), cur("GBP"));
            let mut rates: Vec<DatedRate> = Vec::new();
            for (c, m, d, nanos) in days {
                let valid_from = Date::from_ymd(2026, m, d).unwrap_or_else(|| panic!("{m}-{d}"));
                let currency = [usd, gbp][c];
                // One rate per currency and day, as the table's key allows.
                if rates.iter().any(|r| r.currency == currency && r.valid_from == valid_from) {
                    continue;
                }
                let rate = Rate::from_nanos(nanos).unwrap_or_else(|| panic!("{nanos}"));
                rates.push(DatedRate { currency, valid_from, rate });
            }
            let day = Date::from_ymd(2026, on.0, on.1).unwrap_or_else(|| panic!("{on:?}"));
            let conv = Converter::new(eur, &rates);
            for currency in [eur, usd, gbp] {
                let expected = rate_on(&rates, eur, currency, day)
                    .and_then(|r| convert(minor, currency, r, eur));
                prop_assert_eq!(conv.to_base(minor, currency, day), expected);
            }
        }

        #[test]
        fn stored_rates_round_trip_through_their_text(nanos in 1i64..=MAX_NANOS) {
            let r = Rate::from_nanos(nanos).unwrap_or_else(|| panic!("{nanos}"));
            prop_assert_eq!(Rate::parse("rate", &r.to_string()).ok(), Some(r));
        }

        #[test]
        fn at_rate_one_between_same_sized_units_nothing_changes(minor in -1_000_000_000_000i64..1_000_000_000_000i64) {
            prop_assert_eq!(convert(minor, cur("USD"), Rate::one(), cur("EUR")), Some(minor));
        }

        #[test]
        fn conversion_keeps_order_and_sign(
            a in -1_000_000_000_000i64..1_000_000_000_000i64,
            b in -1_000_000_000_000i64..1_000_000_000_000i64,
            nanos in 1i64..=1_000_000_000_000,
        ) {
            let r = Rate::from_nanos(nanos).unwrap_or_else(|| panic!("{nanos}"));
            let (usd, eur) = (cur("USD"), cur("EUR"));
            let (ca, cb) = (convert(a, usd, r, eur), convert(b, usd, r, eur));
            prop_assert!(ca.is_some() && cb.is_some());
            if a <= b { prop_assert!(ca <= cb); }
            prop_assert_eq!(convert(-a, usd, r, eur), ca.map(|x| -x));
        }

        #[test]
        fn combining_does_not_depend_on_how_deals_split(
            amounts in proptest::collection::vec((0usize..3, 0i64..10_000_000), 0..20),
        ) {
            let codes = [cur("EUR"), cur("USD"), cur("GBP")];
            let rates = [DatedRate { currency: codes[1], valid_from: day("2026-01-01"), rate: rate("0.9") }];
            let parts: Vec<Part> = amounts.iter().map(|(c, m)| Part {
                currency: Some(codes[*c]), count: 1, total_minor: *m, weighted_minor: m / 2,
            }).collect();
            let mut reversed = parts.clone();
            reversed.reverse();
            let on = day("2026-06-01");
            prop_assert_eq!(
                combine(&parts, codes[0], &rates, on),
                combine(&reversed, codes[0], &rates, on)
            );
            prop_assert_eq!(combine(&parts, codes[0], &rates, on).count, parts.len() as i64);
        }
    }
}
