//! Instants as microseconds since the Unix epoch, UTC.
//!
//! This is the storage representation on SQLite (INTEGER) and converts exactly to PostgreSQL's
//! `timestamptz`, whose resolution is also one microsecond.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an RFC 3339 date-time with an offset (for example 2026-11-23T09:30:00Z)")]
pub struct TimestampParseError;

impl Timestamp {
    pub const UNIX_EPOCH: Timestamp = Timestamp(0);

    pub const fn from_micros(micros: i64) -> Self {
        Self(micros)
    }

    pub const fn as_micros(self) -> i64 {
        self.0
    }

    pub const fn from_secs(secs: i64) -> Self {
        Self(secs.saturating_mul(1_000_000))
    }

    pub fn saturating_add(self, d: Duration) -> Self {
        Self(self.0.saturating_add(duration_micros(d)))
    }

    pub fn saturating_sub(self, d: Duration) -> Self {
        Self(self.0.saturating_sub(duration_micros(d)))
    }

    /// How long ago `earlier` was, or zero when it lies in the future.
    pub fn since(self, earlier: Timestamp) -> Duration {
        let micros = self.0.saturating_sub(earlier.0).max(0);
        Duration::from_micros(micros.unsigned_abs())
    }

    /// RFC 3339 in UTC with microsecond precision trimmed of trailing zeros.
    pub fn to_rfc3339(self) -> String {
        match jiff::Timestamp::from_microsecond(self.0) {
            Ok(ts) => ts.to_string(),
            Err(_) => {
                // Out of jiff's range (±9999 years): clamp rather than fail to print.
                let clamped = if self.0 < 0 {
                    jiff::Timestamp::MIN
                } else {
                    jiff::Timestamp::MAX
                };
                clamped.to_string()
            }
        }
    }

    pub fn parse_rfc3339(input: &str) -> Result<Self, TimestampParseError> {
        let ts: jiff::Timestamp = input.trim().parse().map_err(|_| TimestampParseError)?;
        let micros = ts.as_microsecond();
        Ok(Self(micros))
    }
}

fn duration_micros(d: Duration) -> i64 {
    i64::try_from(d.as_micros()).unwrap_or(i64::MAX)
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_rfc3339())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Timestamp::parse_rfc3339(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formats_utc_with_z() {
        let t = Timestamp::from_secs(1_795_000_000);
        assert_eq!(t.to_rfc3339(), "2026-11-18T11:06:40Z");
        assert_eq!(
            Timestamp::from_micros(1_500).to_rfc3339(),
            "1970-01-01T00:00:00.0015Z"
        );
    }

    #[test]
    fn parses_offsets_into_utc() {
        let t = Timestamp::parse_rfc3339("2026-11-23T10:00:00+01:00").ok();
        assert_eq!(t, Timestamp::parse_rfc3339("2026-11-23T09:00:00Z").ok());
    }

    #[test]
    fn rejects_dates_without_offset_or_garbage() {
        for bad in [
            "2026-11-23",
            "2026-11-23T10:00:00",
            "yesterday",
            "",
            "2026-13-01T00:00:00Z",
        ] {
            assert!(Timestamp::parse_rfc3339(bad).is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn since_is_never_negative() {
        let a = Timestamp::from_secs(10);
        let b = Timestamp::from_secs(20);
        assert_eq!(b.since(a), Duration::from_secs(10));
        assert_eq!(a.since(b), Duration::ZERO);
    }

    proptest! {
        #[test]
        fn rfc3339_round_trips(micros in -62_000_000_000_000_000i64..250_000_000_000_000_000i64) {
            let t = Timestamp::from_micros(micros);
            prop_assert_eq!(Timestamp::parse_rfc3339(&t.to_rfc3339()).ok(), Some(t));
        }
    }
}
