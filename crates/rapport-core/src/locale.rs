//! User-facing languages and time zones.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::validation::{ErrorCode, FieldError};

/// The languages Rapport ships, complete (DESIGN §7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    En,
    Pl,
    Es,
    Uk,
}

impl Locale {
    pub const ALL: [Locale; 4] = [Locale::En, Locale::Pl, Locale::Es, Locale::Uk];

    pub fn as_str(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Pl => "pl",
            Locale::Es => "es",
            Locale::Uk => "uk",
        }
    }

    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        input.trim().parse().map_err(|_| {
            FieldError::new(
                field,
                ErrorCode::InvalidValue,
                "must be one of en, pl, es, uk",
            )
        })
    }
}

impl FromStr for Locale {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Locale::ALL.into_iter().find(|l| l.as_str() == s).ok_or(())
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// An IANA time zone name known to the bundled tz database (`Europe/Warsaw`, `UTC`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct TimeZoneName(String);

impl TimeZoneName {
    pub fn utc() -> Self {
        Self("UTC".to_owned())
    }

    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let name = input.trim();
        if name.is_empty() {
            return Err(FieldError::required(field));
        }
        if name.len() > 64 || jiff::tz::TimeZone::get(name).is_err() {
            return Err(FieldError::new(
                field,
                ErrorCode::InvalidValue,
                "must be an IANA time zone name such as Europe/Warsaw",
            ));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TimeZoneName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_zones_parse_unknown_do_not() {
        for ok in [
            "UTC",
            "Europe/Warsaw",
            "America/Argentina/Buenos_Aires",
            "Europe/Kyiv",
        ] {
            assert!(TimeZoneName::parse("tz", ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "Mars/Olympus",
            "../../etc/passwd",
            "Europe/Nowhere",
            "+01:00x",
        ] {
            assert!(TimeZoneName::parse("tz", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn locales_parse() {
        assert_eq!(Locale::parse("l", "pl").ok(), Some(Locale::Pl));
        assert!(Locale::parse("l", "de").is_err());
        assert!(Locale::parse("l", "PL").is_err());
    }
}
