//! Field values of records, typed, with their JSON form.

use std::fmt;

use serde_json::{Value as Json, json};
use uuid::Uuid;

use crate::money::Money;
use crate::object::ObjectType;
use crate::time::Timestamp;
use crate::validation::{ErrorCode, FieldError};

/// A calendar date without a time zone (birth dates, close dates).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(jiff::civil::Date);

impl Date {
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        input
            .trim()
            .parse::<jiff::civil::Date>()
            .map(Date)
            .map_err(|_| {
                FieldError::new(
                    field,
                    ErrorCode::InvalidFormat,
                    "must be a date as YYYY-MM-DD",
                )
            })
    }

    pub fn from_ymd(year: i16, month: i8, day: i8) -> Option<Self> {
        jiff::civil::Date::new(year, month, day).ok().map(Date)
    }

    pub fn year(self) -> i16 {
        self.0.year()
    }

    pub fn month(self) -> i8 {
        self.0.month()
    }

    pub fn day(self) -> i8 {
        self.0.day()
    }

    /// The first instant of this date in UTC.
    pub fn start_utc(self) -> Timestamp {
        let micros = self
            .0
            .to_zoned(jiff::tz::TimeZone::UTC)
            .map_or(0, |z| z.timestamp().as_microsecond());
        Timestamp::from_micros(micros)
    }

    /// The UTC calendar date of an instant.
    pub fn of(t: Timestamp) -> Self {
        let ts =
            jiff::Timestamp::from_microsecond(t.as_micros()).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        Date(ts.to_zoned(jiff::tz::TimeZone::UTC).date())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// An e-mail address or phone number with a label; one of a list is primary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Labeled {
    pub value: String,
    pub label: Option<String>,
    pub primary: bool,
}

/// A link from an activity to a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Link {
    pub object: ObjectType,
    pub id: Uuid,
}

/// A related record with the role it plays (a contact on an opportunity as "decision maker").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleLink {
    pub id: Uuid,
    pub role: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Text(String),
    Int(i64),
    Bool(bool),
    Date(Date),
    DateTime(Timestamp),
    Money(Money),
    Id(Uuid),
    Emails(Vec<Labeled>),
    Phones(Vec<Labeled>),
    Ids(Vec<Uuid>),
    Links(Vec<Link>),
    Roles(Vec<RoleLink>),
}

impl Value {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_id(&self) -> Option<Uuid> {
        match self {
            Value::Id(u) => Some(*u),
            _ => None,
        }
    }

    /// The JSON the API shows for this value.
    pub fn to_json(&self) -> Json {
        match self {
            Value::Null => Json::Null,
            Value::Text(s) => Json::String(s.clone()),
            Value::Int(i) => json!(i),
            Value::Bool(b) => Json::Bool(*b),
            Value::Date(d) => Json::String(d.to_string()),
            Value::DateTime(t) => Json::String(t.to_rfc3339()),
            Value::Money(m) => json!({"amount": m.amount_string(), "currency": m.currency.code()}),
            Value::Id(u) => Json::String(u.to_string()),
            Value::Emails(list) | Value::Phones(list) => Json::Array(
                list.iter()
                    .map(|l| json!({"value": l.value, "label": l.label, "primary": l.primary}))
                    .collect(),
            ),
            Value::Ids(ids) => {
                Json::Array(ids.iter().map(|u| Json::String(u.to_string())).collect())
            }
            Value::Links(links) => Json::Array(
                links
                    .iter()
                    .map(|l| json!({"type": l.object.as_str(), "id": l.id.to_string()}))
                    .collect(),
            ),
            Value::Roles(roles) => Json::Array(
                roles
                    .iter()
                    .map(|r| json!({"id": r.id.to_string(), "role": r.role}))
                    .collect(),
            ),
        }
    }

    /// A short text for audit diffs and CSV cells.
    pub fn display(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Text(s) => s.clone(),
            Value::Money(m) => format!("{} {}", m.amount_string(), m.currency.code()),
            other => match other.to_json() {
                Json::String(s) => s,
                j => j.to_string(),
            },
        }
    }
}
