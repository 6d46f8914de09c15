//! Numbers, money, dates and times written the way each shipped language writes them
//! (CLDR conventions for en, pl, es and uk), and form input read back in a user's zone.
//!
//! Pure functions: the UI calls them with a stored value and the reader's locale and zone.

use crate::locale::Locale;
use crate::time::Timestamp;

struct Numbers {
    group: &'static str,
    decimal: char,
    /// CLDR's minimumGroupingDigits: Polish and Spanish write 1234 but 12 345.
    min_grouping: usize,
}

fn numbers(locale: Locale) -> Numbers {
    match locale {
        Locale::En => Numbers {
            group: ",",
            decimal: '.',
            min_grouping: 1,
        },
        Locale::Pl => Numbers {
            group: "\u{a0}",
            decimal: ',',
            min_grouping: 2,
        },
        Locale::Es => Numbers {
            group: ".",
            decimal: ',',
            min_grouping: 2,
        },
        Locale::Uk => Numbers {
            group: "\u{a0}",
            decimal: ',',
            min_grouping: 1,
        },
    }
}

/// A decimal written as `-1234.5` (the API's form) in the locale's digits and separators.
/// Anything that is not such a decimal comes back unchanged rather than mangled.
pub fn number(locale: Locale, decimal: &str) -> String {
    let s = decimal.trim();
    let (sign, digits) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", s),
    };
    let (whole, frac) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let valid = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    if !valid {
        return decimal.to_owned();
    }
    let n = numbers(locale);
    let mut out = String::with_capacity(s.len() + whole.len() / 3 * 2);
    out.push_str(sign);
    if whole.len() >= 4 && whole.len() >= 3 + n.min_grouping {
        let head = whole.len() % 3;
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (i + 3 - head) % 3 == 0 {
                out.push_str(n.group);
            }
            out.push(c);
        }
    } else {
        out.push_str(whole);
    }
    if let Some(f) = frac {
        out.push(n.decimal);
        out.push_str(f);
    }
    out
}

/// An integer in the locale's separators.
pub fn integer(locale: Locale, value: i64) -> String {
    number(locale, &value.to_string())
}

fn currency_symbol(code: &str) -> Option<&'static str> {
    Some(match code {
        "EUR" => "€",
        "USD" => "$",
        "GBP" => "£",
        "PLN" => "zł",
        "UAH" => "₴",
        "JPY" => "¥",
        _ => return None,
    })
}

/// An amount with its currency: `€1,234.50` in English, `1234,50 €` in Polish and Spanish,
/// `1234,50 €` in Ukrainian; unknown currencies keep their ISO code.
pub fn money(locale: Locale, amount: &str, currency: &str) -> String {
    let n = number(locale, amount);
    let symbol = currency_symbol(currency).unwrap_or(currency);
    match locale {
        Locale::En => match n.strip_prefix('-') {
            Some(abs) if currency_symbol(currency).is_some() => format!("-{symbol}{abs}"),
            _ if currency_symbol(currency).is_some() => format!("{symbol}{n}"),
            _ => format!("{symbol}\u{a0}{n}"),
        },
        Locale::Pl | Locale::Es | Locale::Uk => format!("{n}\u{a0}{symbol}"),
    }
}

const EN_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A calendar date (`2026-11-23`) as the locale writes it: `Nov 23, 2026`, `23.11.2026`,
/// `23/11/2026`, `23.11.2026`. Not a date: unchanged.
pub fn date(locale: Locale, iso: &str) -> String {
    match iso.trim().parse::<jiff::civil::Date>() {
        Ok(d) => civil_date(locale, d),
        Err(_) => iso.to_owned(),
    }
}

fn civil_date(locale: Locale, d: jiff::civil::Date) -> String {
    let (y, m, day) = (d.year(), d.month(), d.day());
    match locale {
        Locale::En => {
            let month = EN_MONTHS
                .get(usize::try_from(m - 1).unwrap_or(0))
                .copied()
                .unwrap_or("");
            format!("{month} {day}, {y}")
        }
        Locale::Pl | Locale::Uk => format!("{day:02}.{m:02}.{y}"),
        Locale::Es => format!("{day}/{m}/{y}"),
    }
}

fn zoned(ts: Timestamp, zone: &str) -> Option<jiff::Zoned> {
    let tz = jiff::tz::TimeZone::get(zone).unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::from_microsecond(ts.as_micros())
        .ok()
        .map(|t| t.to_zoned(tz))
}

fn clock(locale: Locale, hour: i8, minute: i8) -> String {
    match locale {
        Locale::En => {
            let h12 = match hour % 12 {
                0 => 12,
                h => h,
            };
            let half = if hour < 12 { "AM" } else { "PM" };
            format!("{h12}:{minute:02}\u{202f}{half}")
        }
        Locale::Pl | Locale::Es | Locale::Uk => format!("{hour:02}:{minute:02}"),
    }
}

/// An instant in the reader's time zone: date and clock time. An unknown zone reads as UTC.
pub fn date_time(locale: Locale, ts: Timestamp, zone: &str) -> String {
    match zoned(ts, zone) {
        Some(z) => format!(
            "{} {}",
            civil_date(locale, z.date()),
            clock(locale, z.hour(), z.minute())
        ),
        None => ts.to_rfc3339(),
    }
}

/// The calendar date an instant falls on in the reader's zone (`2026-11-23`).
pub fn local_date(ts: Timestamp, zone: &str) -> Option<jiff::civil::Date> {
    zoned(ts, zone).map(|z| z.date())
}

/// The instant a reader means by a date and time on their own clock, as typed in a
/// `datetime-local` input (`2026-11-23T14:30`). Times that a daylight-saving change skips
/// move forward, as clocks do; repeated times take the earlier instant.
pub fn local_input_to_timestamp(input: &str, zone: &str) -> Option<Timestamp> {
    let civil: jiff::civil::DateTime = input.trim().parse().ok()?;
    let tz = jiff::tz::TimeZone::get(zone).ok()?;
    let z = civil.to_zoned(tz).ok()?;
    Some(Timestamp::from_micros(z.timestamp().as_microsecond()))
}

/// The `datetime-local` value (`2026-11-23T14:30`) showing an instant on the reader's clock.
pub fn timestamp_to_local_input(ts: Timestamp, zone: &str) -> String {
    match zoned(ts, zone) {
        Some(z) => z.datetime().strftime("%Y-%m-%dT%H:%M").to_string(),
        None => String::new(),
    }
}

/// The first instant of a local calendar day in a zone (for "due today" boundaries).
pub fn start_of_local_day(day: jiff::civil::Date, zone: &str) -> Option<Timestamp> {
    let tz = jiff::tz::TimeZone::get(zone).ok()?;
    let z = day.to_zoned(tz).ok()?;
    Some(Timestamp::from_micros(z.timestamp().as_microsecond()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn numbers_follow_each_locales_separators_and_grouping() {
        let cases = [
            (Locale::En, "1234567.5", "1,234,567.5"),
            (Locale::En, "1234", "1,234"),
            (Locale::En, "-999", "-999"),
            (Locale::Pl, "1234", "1234"),
            (Locale::Pl, "12345.50", "12\u{a0}345,50"),
            (Locale::Es, "1234.5", "1234,5"),
            (Locale::Es, "1234567", "1.234.567"),
            (Locale::Uk, "1234.5", "1\u{a0}234,5"),
            (Locale::En, "0.25", "0.25"),
            (Locale::En, "abc", "abc"),
            (Locale::En, "1.", "1."),
            (Locale::En, "", ""),
        ];
        for (locale, input, want) in cases {
            assert_eq!(number(locale, input), want, "{locale} {input}");
        }
    }

    #[test]
    fn money_puts_the_symbol_where_each_language_does() {
        assert_eq!(money(Locale::En, "1234.50", "EUR"), "€1,234.50");
        assert_eq!(money(Locale::En, "-5.00", "USD"), "-$5.00");
        assert_eq!(money(Locale::En, "5.00", "CHF"), "CHF\u{a0}5.00");
        assert_eq!(
            money(Locale::Pl, "12345.50", "PLN"),
            "12\u{a0}345,50\u{a0}zł"
        );
        assert_eq!(money(Locale::Es, "10.00", "EUR"), "10,00\u{a0}€");
        assert_eq!(money(Locale::Uk, "1500.00", "UAH"), "1\u{a0}500,00\u{a0}₴");
    }

    #[test]
    fn dates_are_written_per_locale() {
        assert_eq!(date(Locale::En, "2026-11-03"), "Nov 3, 2026");
        assert_eq!(date(Locale::Pl, "2026-11-03"), "03.11.2026");
        assert_eq!(date(Locale::Es, "2026-11-03"), "3/11/2026");
        assert_eq!(date(Locale::Uk, "2026-11-03"), "03.11.2026");
        assert_eq!(date(Locale::En, "not a date"), "not a date");
    }

    #[test]
    fn instants_show_on_the_readers_clock() {
        let ts = Timestamp::parse_rfc3339("2026-11-23T13:05:00Z").unwrap_or(Timestamp::UNIX_EPOCH);
        assert_eq!(
            date_time(Locale::Pl, ts, "Europe/Warsaw"),
            "23.11.2026 14:05"
        );
        assert_eq!(
            date_time(Locale::En, ts, "America/New_York"),
            "Nov 23, 2026 8:05\u{202f}AM"
        );
        assert_eq!(
            date_time(Locale::Es, ts, "Nowhere/Else"),
            "23/11/2026 13:05"
        );
    }

    #[test]
    fn a_local_input_is_read_in_the_readers_zone() {
        let ts = local_input_to_timestamp("2026-11-23T14:05", "Europe/Warsaw");
        assert_eq!(
            ts.map(Timestamp::to_rfc3339).as_deref(),
            Some("2026-11-23T13:05:00Z")
        );
        assert_eq!(local_input_to_timestamp("23.11.2026", "UTC"), None);
        assert_eq!(
            local_input_to_timestamp("2026-11-23T14:05", "Mars/Base"),
            None
        );
        // 02:30 does not exist in Warsaw on 2026-03-29: clocks jump to 03:30.
        let skipped = local_input_to_timestamp("2026-03-29T02:30", "Europe/Warsaw");
        assert_eq!(
            skipped.map(Timestamp::to_rfc3339).as_deref(),
            Some("2026-03-29T01:30:00Z")
        );
    }

    proptest! {
        #[test]
        fn grouping_never_changes_the_digits(n in any::<i64>(), frac in 0u32..1000) {
            let s = format!("{n}.{frac}");
            for locale in Locale::ALL {
                let out = number(locale, &s);
                let digits: String = out.chars().filter(char::is_ascii_digit).collect();
                let want: String = s.chars().filter(char::is_ascii_digit).collect();
                prop_assert_eq!(digits, want);
            }
        }

        #[test]
        fn local_input_round_trips_on_whole_minutes(min in 0i64..60_000_000) {
            let ts = Timestamp::from_secs(min * 60);
            for zone in ["UTC", "Europe/Warsaw", "America/Argentina/Buenos_Aires"] {
                let shown = timestamp_to_local_input(ts, zone);
                let back = local_input_to_timestamp(&shown, zone);
                // Only the repeated hour at the end of summer time may read back earlier.
                prop_assert!(back.is_some_and(|b| b == ts || b.as_micros() + 3_600_000_000 == ts.as_micros()));
            }
        }
    }
}
