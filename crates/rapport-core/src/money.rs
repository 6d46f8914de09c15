//! Money: an amount in minor units (cents, grosze) and an ISO 4217 currency. Never a float.
//! The API speaks decimal strings (`{"amount": "1234.50", "currency": "EUR"}`).

use std::fmt;

use serde::Serialize;

use crate::validation::{ErrorCode, FieldError};

/// ISO 4217 codes in use, with their number of minor-unit digits.
const CURRENCIES: &[(&str, u8)] = &[
    ("AED", 2),
    ("AFN", 2),
    ("ALL", 2),
    ("AMD", 2),
    ("ANG", 2),
    ("AOA", 2),
    ("ARS", 2),
    ("AUD", 2),
    ("AWG", 2),
    ("AZN", 2),
    ("BAM", 2),
    ("BBD", 2),
    ("BDT", 2),
    ("BGN", 2),
    ("BHD", 3),
    ("BIF", 0),
    ("BMD", 2),
    ("BND", 2),
    ("BOB", 2),
    ("BRL", 2),
    ("BSD", 2),
    ("BTN", 2),
    ("BWP", 2),
    ("BYN", 2),
    ("BZD", 2),
    ("CAD", 2),
    ("CDF", 2),
    ("CHF", 2),
    ("CLP", 0),
    ("CNY", 2),
    ("COP", 2),
    ("CRC", 2),
    ("CUP", 2),
    ("CVE", 2),
    ("CZK", 2),
    ("DJF", 0),
    ("DKK", 2),
    ("DOP", 2),
    ("DZD", 2),
    ("EGP", 2),
    ("ERN", 2),
    ("ETB", 2),
    ("EUR", 2),
    ("FJD", 2),
    ("FKP", 2),
    ("GBP", 2),
    ("GEL", 2),
    ("GHS", 2),
    ("GIP", 2),
    ("GMD", 2),
    ("GNF", 0),
    ("GTQ", 2),
    ("GYD", 2),
    ("HKD", 2),
    ("HNL", 2),
    ("HTG", 2),
    ("HUF", 2),
    ("IDR", 2),
    ("ILS", 2),
    ("INR", 2),
    ("IQD", 3),
    ("IRR", 2),
    ("ISK", 0),
    ("JMD", 2),
    ("JOD", 3),
    ("JPY", 0),
    ("KES", 2),
    ("KGS", 2),
    ("KHR", 2),
    ("KMF", 0),
    ("KPW", 2),
    ("KRW", 0),
    ("KWD", 3),
    ("KYD", 2),
    ("KZT", 2),
    ("LAK", 2),
    ("LBP", 2),
    ("LKR", 2),
    ("LRD", 2),
    ("LSL", 2),
    ("LYD", 3),
    ("MAD", 2),
    ("MDL", 2),
    ("MGA", 2),
    ("MKD", 2),
    ("MMK", 2),
    ("MNT", 2),
    ("MOP", 2),
    ("MRU", 2),
    ("MUR", 2),
    ("MVR", 2),
    ("MWK", 2),
    ("MXN", 2),
    ("MYR", 2),
    ("MZN", 2),
    ("NAD", 2),
    ("NGN", 2),
    ("NIO", 2),
    ("NOK", 2),
    ("NPR", 2),
    ("NZD", 2),
    ("OMR", 3),
    ("PAB", 2),
    ("PEN", 2),
    ("PGK", 2),
    ("PHP", 2),
    ("PKR", 2),
    ("PLN", 2),
    ("PYG", 0),
    ("QAR", 2),
    ("RON", 2),
    ("RSD", 2),
    ("RUB", 2),
    ("RWF", 0),
    ("SAR", 2),
    ("SBD", 2),
    ("SCR", 2),
    ("SDG", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("SHP", 2),
    ("SLE", 2),
    ("SOS", 2),
    ("SRD", 2),
    ("SSP", 2),
    ("STN", 2),
    ("SVC", 2),
    ("SYP", 2),
    ("SZL", 2),
    ("THB", 2),
    ("TJS", 2),
    ("TMT", 2),
    ("TND", 3),
    ("TOP", 2),
    ("TRY", 2),
    ("TTD", 2),
    ("TWD", 2),
    ("TZS", 2),
    ("UAH", 2),
    ("UGX", 0),
    ("USD", 2),
    ("UYU", 2),
    ("UZS", 2),
    ("VES", 2),
    ("VND", 0),
    ("VUV", 0),
    ("WST", 2),
    ("XAF", 0),
    ("XCD", 2),
    ("XOF", 0),
    ("XPF", 0),
    ("YER", 2),
    ("ZAR", 2),
    ("ZMW", 2),
    ("ZWL", 2),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency {
    code: [u8; 3],
    minor_digits: u8,
}

impl Currency {
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let code = input.trim();
        CURRENCIES
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(c, digits)| {
                let b = c.as_bytes();
                Currency {
                    code: [b[0], b[1], b[2]],
                    minor_digits: *digits,
                }
            })
            .ok_or_else(|| {
                FieldError::new(
                    field,
                    ErrorCode::InvalidValue,
                    "must be an ISO 4217 currency code such as EUR",
                )
            })
    }

    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.code).unwrap_or("XXX")
    }

    pub fn minor_digits(&self) -> u8 {
        self.minor_digits
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    /// Parses a decimal amount with at most the currency's number of decimals.
    pub fn parse(field: &str, amount: &str, currency: Currency) -> Result<Self, FieldError> {
        let bad = |message: String| {
            Err(FieldError::new(
                format!("{field}.amount"),
                ErrorCode::InvalidFormat,
                message,
            ))
        };
        let s = amount.trim();
        let (negative, digits) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let places = usize::from(currency.minor_digits);
        if whole.is_empty()
            || !whole.chars().all(|c| c.is_ascii_digit())
            || !frac.chars().all(|c| c.is_ascii_digit())
        {
            return bad("must be a decimal number such as 1234.50".to_owned());
        }
        if frac.len() > places {
            return bad(format!(
                "{} allows at most {places} decimals",
                currency.code()
            ));
        }
        let scale = 10i64.pow(u32::from(currency.minor_digits));
        let whole: i64 = match whole.parse::<i64>() {
            Ok(w) => w,
            Err(_) => return bad("is too large".to_owned()),
        };
        let frac_value: i64 = if frac.is_empty() {
            0
        } else {
            frac.parse::<i64>().unwrap_or(0)
                * 10i64.pow(u32::try_from(places - frac.len()).unwrap_or(0))
        };
        let Some(minor) = whole
            .checked_mul(scale)
            .and_then(|w| w.checked_add(frac_value))
        else {
            return bad("is too large".to_owned());
        };
        Ok(Money {
            minor: if negative { -minor } else { minor },
            currency,
        })
    }

    /// The amount as a decimal string with exactly the currency's decimals.
    pub fn amount_string(&self) -> String {
        let places = u32::from(self.currency.minor_digits);
        if places == 0 {
            return self.minor.to_string();
        }
        let scale = 10u64.pow(places);
        let abs = self.minor.unsigned_abs();
        let sign = if self.minor < 0 { "-" } else { "" };
        format!(
            "{sign}{}.{:0width$}",
            abs / scale,
            abs % scale,
            width = places as usize
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn eur() -> Currency {
        Currency::parse("c", "EUR").unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn amounts_parse_to_minor_units() {
        let jpy = Currency::parse("c", "JPY").unwrap_or_else(|e| panic!("{e}"));
        let kwd = Currency::parse("c", "KWD").unwrap_or_else(|e| panic!("{e}"));
        let cases = [
            ("1234.50", eur(), Some(123_450)),
            ("1234.5", eur(), Some(123_450)),
            ("1234", eur(), Some(123_400)),
            ("-0.01", eur(), Some(-1)),
            ("0.001", eur(), None),
            ("12.5", jpy, None),
            ("1250", jpy, Some(1250)),
            ("1.234", kwd, Some(1234)),
            ("1e3", eur(), None),
            ("", eur(), None),
            (".5", eur(), None),
            ("1,5", eur(), None),
            ("99999999999999999999", eur(), None),
        ];
        for (input, currency, expected) in cases {
            assert_eq!(
                Money::parse("amount", input, currency)
                    .ok()
                    .map(|m| m.minor),
                expected,
                "{input}"
            );
        }
    }

    #[test]
    fn currencies_are_checked() {
        assert!(Currency::parse("c", "PLN").is_ok());
        for bad in ["pln", "EURO", "XXX", "", "€"] {
            assert!(Currency::parse("c", bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn amounts_round_trip(minor in -1_000_000_000_000i64..1_000_000_000_000i64) {
            let m = Money { minor, currency: eur() };
            prop_assert_eq!(Money::parse("a", &m.amount_string(), eur()).ok(), Some(m));
        }
    }
}
