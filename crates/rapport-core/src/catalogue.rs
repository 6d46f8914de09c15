//! The field catalogue: what each object's fields are and what may be done with them.
//!
//! Filters, sort allowlists, body parsing, rendering, search, audit diffs, import/export and
//! the OpenAPI schemas all read this one table, so a field added here is everywhere at once.
//! Dotted names (`address.city`) are nested objects in JSON and flat columns in storage.

use serde_json::Value as Json;
use uuid::Uuid;

use crate::email::EmailAddress;
use crate::locale::TimeZoneName;
use crate::money::{Currency, Money};
use crate::object::{ObjectType, Visibility};
use crate::phone::parse_e164;
use crate::text::single_line;
use crate::time::Timestamp;
use crate::validation::{ErrorCode, FieldError};
use crate::value::{Date, Labeled, Link, RoleLink, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// One line of text.
    Text {
        max: usize,
    },
    /// Several lines.
    LongText {
        max: usize,
    },
    Email,
    Url,
    /// A bare internet domain, stored lowercase (`acme.example`).
    Domain,
    Phone,
    Integer {
        min: i64,
        max: i64,
    },
    Money,
    Date,
    DateTime,
    Bool,
    Enum(&'static [&'static str]),
    /// The id of a record of this object.
    Ref(ObjectType),
    /// The id of a user of the workspace.
    UserRef,
    /// An id of something that is not a record (the record's own id, a pipeline, a stage).
    Id,
    /// ISO 3166-1 alpha-2, uppercase.
    Country,
    TimeZone,
    /// ISO 639-1, lowercase.
    Language,
    Visibility,
    Emails,
    Phones,
    /// Tag ids.
    Tags,
    /// Activity links to records.
    Links,
    /// Related records with a role, of this object.
    Roles(ObjectType),
}

impl Kind {
    /// Kept in a table of its own (tag assignments, activity links, role links) rather
    /// than in the record's row: read and written apart from the other fields.
    pub fn is_relation(&self) -> bool {
        matches!(self, Kind::Tags | Kind::Links | Kind::Roles(_))
    }
}

/// Who may set a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Write,
    /// Set on create only.
    CreateOnly,
    /// Kept by the system; clients read it.
    System,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub access: Access,
    pub required: bool,
    pub search: bool,
    pub sort: bool,
    pub filter: bool,
    /// Personal data: shown to those allowed, listed for data-subject requests.
    pub pii: bool,
}

const fn field(name: &'static str, kind: Kind) -> Field {
    Field {
        name,
        kind,
        access: Access::Write,
        required: false,
        search: false,
        sort: false,
        filter: false,
        pii: false,
    }
}

impl Field {
    const fn required(mut self) -> Self {
        self.required = true;
        self
    }
    const fn search(mut self) -> Self {
        self.search = true;
        self
    }
    const fn filter(mut self) -> Self {
        self.filter = true;
        self
    }
    const fn both(mut self) -> Self {
        self.sort = true;
        self.filter = true;
        self
    }
    const fn pii(mut self) -> Self {
        self.pii = true;
        self
    }
    const fn system(mut self) -> Self {
        self.access = Access::System;
        self
    }
    const fn create_only(mut self) -> Self {
        self.access = Access::CreateOnly;
        self
    }

    /// Whether the stored value has a folded key column (for case-insensitive filters and
    /// sorting that works in every script).
    pub fn folded(&self) -> bool {
        matches!(self.kind, Kind::Text { .. } | Kind::LongText { .. }) && (self.sort || self.filter)
    }

    /// The operators a filter on this field accepts.
    pub fn operators(&self) -> &'static [crate::query::Op] {
        use crate::query::Op::*;
        match self.kind {
            Kind::Text { .. }
            | Kind::LongText { .. }
            | Kind::Email
            | Kind::Url
            | Kind::Domain
            | Kind::Phone => &[Eq, Ne, In, Contains, StartsWith, IsNull],
            Kind::Integer { .. } | Kind::Money | Kind::Date | Kind::DateTime => {
                &[Eq, Ne, Lt, Lte, Gt, Gte, In, IsNull]
            }
            Kind::Bool => &[Eq, Ne, IsNull],
            Kind::Enum(_) | Kind::Country | Kind::Language | Kind::TimeZone | Kind::Visibility => {
                &[Eq, Ne, In, IsNull]
            }
            Kind::Ref(_) | Kind::UserRef | Kind::Id => &[Eq, Ne, In, IsNull],
            Kind::Tags => &[Eq, In, IsNull],
            Kind::Emails | Kind::Phones | Kind::Links | Kind::Roles(_) => &[],
        }
    }
}

const ADDRESS: [Field; 5] = [
    field("address.street", Kind::Text { max: 300 }).pii(),
    field("address.city", Kind::Text { max: 120 }).both(),
    field("address.postal_code", Kind::Text { max: 20 })
        .filter()
        .pii(),
    field("address.region", Kind::Text { max: 120 }).filter(),
    field("address.country", Kind::Country).both(),
];

pub const SOURCES: &[&str] = &[
    "web",
    "referral",
    "event",
    "advertising",
    "cold_call",
    "email",
    "partner",
    "social",
    "import",
    "other",
];

/// Fields every record has.
pub const COMMON: &[Field] = &[
    field("id", Kind::Id).system().filter(),
    field("owner_id", Kind::UserRef).filter(),
    field("visibility", Kind::Visibility).filter(),
    field("tag_ids", Kind::Tags).filter(),
    field("created_at", Kind::DateTime).system().both(),
    field("updated_at", Kind::DateTime).system().both(),
    field("created_by", Kind::UserRef).system().filter(),
    field("updated_by", Kind::UserRef).system().filter(),
    field(
        "version",
        Kind::Integer {
            min: 1,
            max: i64::MAX,
        },
    )
    .system(),
];

const COMPANY: &[Field] = &[
    field("name", Kind::Text { max: 200 })
        .required()
        .search()
        .both(),
    field("domain", Kind::Domain).search().both(),
    field("website", Kind::Url),
    field("industry", Kind::Text { max: 100 }).both(),
    field(
        "employee_count",
        Kind::Integer {
            min: 0,
            max: 10_000_000,
        },
    )
    .both(),
    field("annual_revenue", Kind::Money).both(),
    field("phone", Kind::Phone).search().filter().pii(),
    field("email", Kind::Email).search().filter().pii(),
    ADDRESS[0],
    ADDRESS[1],
    ADDRESS[2],
    ADDRESS[3],
    ADDRESS[4],
    field("parent_id", Kind::Ref(ObjectType::Company)).filter(),
    field("description", Kind::LongText { max: 20_000 }),
    field("external_id", Kind::Text { max: 200 }).filter(),
];

const CONTACT: &[Field] = &[
    field("first_name", Kind::Text { max: 100 })
        .search()
        .both()
        .pii(),
    field("last_name", Kind::Text { max: 100 })
        .search()
        .both()
        .pii(),
    field("title", Kind::Text { max: 200 }).both(),
    field("company_id", Kind::Ref(ObjectType::Company)).filter(),
    field("companies", Kind::Roles(ObjectType::Company)),
    field("emails", Kind::Emails).search().pii(),
    field("email", Kind::Email).system().both().pii(),
    field("phones", Kind::Phones).search().pii(),
    field("phone", Kind::Phone).system().filter().pii(),
    ADDRESS[0],
    ADDRESS[1],
    ADDRESS[2],
    ADDRESS[3],
    ADDRESS[4],
    field("time_zone", Kind::TimeZone).filter(),
    field("birth_date", Kind::Date).both().pii(),
    field("language", Kind::Language).filter(),
    field("source", Kind::Enum(SOURCES)).filter(),
    field(
        "preferred_channel",
        Kind::Enum(&["email", "phone", "sms", "in_person", "social", "none"]),
    )
    .filter(),
    field(
        "email_consent",
        Kind::Enum(&["unknown", "granted", "withdrawn"]),
    )
    .filter(),
    field(
        "sms_consent",
        Kind::Enum(&["unknown", "granted", "withdrawn"]),
    )
    .filter(),
    field("do_not_contact", Kind::Bool).filter(),
    field("description", Kind::LongText { max: 20_000 }),
    field("external_id", Kind::Text { max: 200 }).filter(),
];

pub const LEAD_STATUSES: &[&str] = &[
    "new",
    "working",
    "nurturing",
    "qualified",
    "unqualified",
    "converted",
];

const LEAD: &[Field] = &[
    field("first_name", Kind::Text { max: 100 })
        .search()
        .both()
        .pii(),
    field("last_name", Kind::Text { max: 100 })
        .search()
        .both()
        .pii(),
    field("company_name", Kind::Text { max: 200 })
        .search()
        .both(),
    field("title", Kind::Text { max: 200 }).filter(),
    field("email", Kind::Email).search().both().pii(),
    field("phone", Kind::Phone).search().filter().pii(),
    field("website", Kind::Url),
    field("source", Kind::Enum(SOURCES)).filter(),
    field("status", Kind::Enum(LEAD_STATUSES)).both(),
    field("rating", Kind::Enum(&["hot", "warm", "cold"])).filter(),
    field("score", Kind::Integer { min: 0, max: 100 }).both(),
    field("description", Kind::LongText { max: 20_000 }),
    field("external_id", Kind::Text { max: 200 }).filter(),
    field("converted_at", Kind::DateTime).system().both(),
    field("converted_company_id", Kind::Ref(ObjectType::Company))
        .system()
        .filter(),
    field("converted_contact_id", Kind::Ref(ObjectType::Contact))
        .system()
        .filter(),
    field(
        "converted_opportunity_id",
        Kind::Ref(ObjectType::Opportunity),
    )
    .system()
    .filter(),
];

const OPPORTUNITY: &[Field] = &[
    field("name", Kind::Text { max: 200 })
        .required()
        .search()
        .both(),
    field("company_id", Kind::Ref(ObjectType::Company)).filter(),
    field("contacts", Kind::Roles(ObjectType::Contact)),
    field("pipeline_id", Kind::Id).create_only().filter(),
    field("stage_id", Kind::Id).system().filter(),
    field("stage_kind", Kind::Enum(&["open", "won", "lost"]))
        .system()
        .filter(),
    field("amount", Kind::Money).both(),
    field("close_date", Kind::Date).both(),
    field("probability", Kind::Integer { min: 0, max: 100 }).both(),
    field("lost_reason", Kind::Text { max: 500 })
        .system()
        .filter(),
    field("next_step", Kind::Text { max: 300 }),
    field("source", Kind::Enum(SOURCES)).filter(),
    field("description", Kind::LongText { max: 20_000 }),
    field("external_id", Kind::Text { max: 200 }).filter(),
    field("stage_changed_at", Kind::DateTime).system().both(),
    field("closed_at", Kind::DateTime).system().both(),
];

pub const ACTIVITY_KINDS: &[&str] = &[
    "call", "meeting", "task", "note", "email", "sms", "chat", "social",
];

const ACTIVITY: &[Field] = &[
    field("kind", Kind::Enum(ACTIVITY_KINDS))
        .required()
        .filter(),
    field("subject", Kind::Text { max: 300 }).search().both(),
    field("body", Kind::LongText { max: 50_000 }).search(),
    field("due_at", Kind::DateTime).both(),
    field(
        "duration_minutes",
        Kind::Integer {
            min: 0,
            max: 10_080,
        },
    )
    .filter(),
    field("direction", Kind::Enum(&["inbound", "outbound"])).filter(),
    field("outcome", Kind::Text { max: 200 }).filter(),
    field("location", Kind::Text { max: 300 }),
    field("links", Kind::Links),
    field("status", Kind::Enum(&["open", "done"]))
        .system()
        .both(),
    field("completed_at", Kind::DateTime).system().both(),
];

/// The object's own fields, without the common ones.
pub fn fields(object: ObjectType) -> &'static [Field] {
    match object {
        ObjectType::Company => COMPANY,
        ObjectType::Contact => CONTACT,
        ObjectType::Lead => LEAD,
        ObjectType::Opportunity => OPPORTUNITY,
        ObjectType::Activity => ACTIVITY,
    }
}

/// All fields of an object, common ones first.
pub fn all_fields(object: ObjectType) -> impl Iterator<Item = &'static Field> {
    COMMON.iter().chain(fields(object))
}

pub fn find(object: ObjectType, name: &str) -> Option<&'static Field> {
    all_fields(object).find(|f| f.name == name)
}

/// Context a value needs to parse: the workspace's base currency for bare amounts.
#[derive(Clone, Copy, Debug)]
pub struct ParseContext {
    pub base_currency: Currency,
}

fn wrong_type(name: &str, expected: &str) -> FieldError {
    FieldError::new(name, ErrorCode::WrongType, format!("must be {expected}"))
}

fn text_of<'a>(name: &str, v: &'a Json) -> Result<&'a str, FieldError> {
    v.as_str().ok_or_else(|| wrong_type(name, "a string"))
}

fn uuid_of(name: &str, v: &Json) -> Result<Uuid, FieldError> {
    let s = text_of(name, v)?;
    Uuid::try_parse(s.trim())
        .map_err(|_| FieldError::new(name, ErrorCode::InvalidFormat, "must be an id (a UUID)"))
}

/// A domain as people write it (`https://www.Acme.example/`) reduced to `acme.example`.
pub fn normalize_domain(name: &str, input: &str) -> Result<String, FieldError> {
    let mut s = input.trim().to_lowercase();
    for prefix in ["https://", "http://"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest.to_owned();
        }
    }
    if let Some(rest) = s.strip_prefix("www.") {
        s = rest.to_owned();
    }
    let s = s
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("")
        .trim_end_matches('.')
        .to_owned();
    let labels: Vec<&str> = s.split('.').collect();
    let valid = s.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && !labels
            .last()
            .is_some_and(|t| t.chars().all(|c| c.is_ascii_digit()));
    if valid {
        Ok(s)
    } else {
        Err(FieldError::new(
            name,
            ErrorCode::InvalidFormat,
            "must be a domain such as acme.example",
        ))
    }
}

fn parse_url(name: &str, input: &str) -> Result<String, FieldError> {
    let s = input.trim();
    let lower = s.to_ascii_lowercase();
    let with_scheme = if lower.starts_with("https://") || lower.starts_with("http://") {
        s.to_owned()
    } else if lower.contains("://")
        || lower.starts_with("javascript:")
        || lower.starts_with("data:")
    {
        return Err(FieldError::new(
            name,
            ErrorCode::InvalidFormat,
            "must be an http or https address",
        ));
    } else {
        format!("https://{s}")
    };
    if with_scheme.len() > 2000
        || with_scheme
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(FieldError::new(
            name,
            ErrorCode::InvalidFormat,
            "must be an http or https address",
        ));
    }
    let host = with_scheme.splitn(3, '/').nth(2).unwrap_or("");
    normalize_domain(name, host.split(['/', '?', '#', ':']).next().unwrap_or(""))
        .map(|_| with_scheme)
        .map_err(|_| {
            FieldError::new(
                name,
                ErrorCode::InvalidFormat,
                "must be an http or https address",
            )
        })
}

fn parse_labeled(
    name: &str,
    v: &Json,
    parse_value: impl Fn(&str, &str) -> Result<String, FieldError>,
) -> Result<Vec<Labeled>, FieldError> {
    let items = v.as_array().ok_or_else(|| wrong_type(name, "a list"))?;
    if items.len() > 20 {
        return Err(FieldError::new(
            name,
            ErrorCode::TooLong,
            "at most 20 entries",
        ));
    }
    let mut out: Vec<Labeled> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = format!("{name}[{i}]");
        let (raw, label, primary) = match item {
            Json::String(s) => (s.as_str(), None, false),
            Json::Object(o) => {
                if let Some(k) = o
                    .keys()
                    .find(|k| !matches!(k.as_str(), "value" | "label" | "primary"))
                {
                    return Err(FieldError::new(
                        format!("{at}.{k}"),
                        ErrorCode::UnknownField,
                        "is not a field of this object",
                    ));
                }
                let value = o
                    .get("value")
                    .ok_or_else(|| FieldError::required(format!("{at}.value")))?;
                let label = match o.get("label") {
                    None | Some(Json::Null) => None,
                    Some(l) => Some(single_line(
                        &format!("{at}.label"),
                        text_of(&format!("{at}.label"), l)?,
                        1,
                        50,
                    )?),
                };
                let primary = match o.get("primary") {
                    None | Some(Json::Null) => false,
                    Some(p) => p
                        .as_bool()
                        .ok_or_else(|| wrong_type(&format!("{at}.primary"), "true or false"))?,
                };
                (text_of(&format!("{at}.value"), value)?, label, primary)
            }
            _ => return Err(wrong_type(&at, "an object with value, label and primary")),
        };
        let value = parse_value(&format!("{at}.value"), raw)?;
        if out.iter().any(|e| e.value.eq_ignore_ascii_case(&value)) {
            return Err(FieldError::new(
                &at,
                ErrorCode::InvalidValue,
                "appears twice",
            ));
        }
        out.push(Labeled {
            value,
            label,
            primary,
        });
    }
    match out.iter().filter(|e| e.primary).count() {
        0 => {
            if let Some(first) = out.first_mut() {
                first.primary = true;
            }
        }
        1 => {}
        _ => {
            return Err(FieldError::new(
                name,
                ErrorCode::InvalidValue,
                "only one entry can be primary",
            ));
        }
    }
    Ok(out)
}

impl Field {
    /// Parses a JSON value written by a client into this field's type. `null` clears the
    /// field unless it is required.
    pub fn parse(&self, v: &Json, ctx: &ParseContext) -> Result<Value, FieldError> {
        let name = self.name;
        if v.is_null() {
            return if self.required {
                Err(FieldError::required(name))
            } else {
                Ok(match self.kind {
                    Kind::Emails => Value::Emails(Vec::new()),
                    Kind::Phones => Value::Phones(Vec::new()),
                    Kind::Tags => Value::Ids(Vec::new()),
                    Kind::Links => Value::Links(Vec::new()),
                    Kind::Roles(_) => Value::Roles(Vec::new()),
                    _ => Value::Null,
                })
            };
        }
        match self.kind {
            Kind::Text { max } => {
                let s = single_line(name, text_of(name, v)?, usize::from(self.required), max)?;
                Ok(if s.is_empty() {
                    Value::Null
                } else {
                    Value::Text(s)
                })
            }
            Kind::LongText { max } => {
                let s = text_of(name, v)?.trim();
                if s.chars()
                    .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
                {
                    return Err(FieldError::new(
                        name,
                        ErrorCode::InvalidFormat,
                        "must not contain control characters",
                    ));
                }
                if s.chars().count() > max {
                    return Err(FieldError::new(
                        name,
                        ErrorCode::TooLong,
                        format!("must be at most {max} characters"),
                    ));
                }
                Ok(if s.is_empty() {
                    Value::Null
                } else {
                    Value::Text(s.replace("\r\n", "\n"))
                })
            }
            Kind::Email => EmailAddress::parse(name, text_of(name, v)?)
                .map(|e| Value::Text(e.as_str().to_owned())),
            Kind::Url => parse_url(name, text_of(name, v)?).map(Value::Text),
            Kind::Domain => normalize_domain(name, text_of(name, v)?).map(Value::Text),
            Kind::Phone => parse_e164(name, text_of(name, v)?).map(Value::Text),
            Kind::Integer { min, max } => {
                let n = v
                    .as_i64()
                    .ok_or_else(|| wrong_type(name, "a whole number"))?;
                if n < min || n > max {
                    return Err(FieldError::new(
                        name,
                        ErrorCode::InvalidValue,
                        format!("must be between {min} and {max}"),
                    ));
                }
                Ok(Value::Int(n))
            }
            Kind::Money => {
                let (amount, currency) = match v {
                    Json::Object(o) => {
                        if let Some(k) = o
                            .keys()
                            .find(|k| !matches!(k.as_str(), "amount" | "currency"))
                        {
                            return Err(FieldError::new(
                                format!("{name}.{k}"),
                                ErrorCode::UnknownField,
                                "is not a field of this object",
                            ));
                        }
                        let amount = o
                            .get("amount")
                            .ok_or_else(|| FieldError::required(format!("{name}.amount")))?;
                        let currency = match o.get("currency") {
                            Some(c) => Currency::parse(
                                &format!("{name}.currency"),
                                text_of(&format!("{name}.currency"), c)?,
                            )?,
                            None => ctx.base_currency,
                        };
                        (amount, currency)
                    }
                    _ => {
                        return Err(wrong_type(
                            name,
                            "an object such as {\"amount\": \"1234.50\", \"currency\": \"EUR\"}",
                        ));
                    }
                };
                let text = match amount {
                    Json::String(s) => s.clone(),
                    Json::Number(n) => n.to_string(),
                    _ => return Err(wrong_type(&format!("{name}.amount"), "a decimal string")),
                };
                Money::parse(name, &text, currency).map(Value::Money)
            }
            Kind::Date => Date::parse(name, text_of(name, v)?).map(Value::Date),
            Kind::DateTime => Timestamp::parse_rfc3339(text_of(name, v)?)
                .map(Value::DateTime)
                .map_err(|e| FieldError::new(name, ErrorCode::InvalidFormat, e.to_string())),
            Kind::Bool => v
                .as_bool()
                .map(Value::Bool)
                .ok_or_else(|| wrong_type(name, "true or false")),
            Kind::Enum(options) => {
                let s = text_of(name, v)?.trim();
                if options.contains(&s) {
                    Ok(Value::Text(s.to_owned()))
                } else {
                    Err(FieldError::new(
                        name,
                        ErrorCode::InvalidValue,
                        format!("must be one of {}", options.join(", ")),
                    ))
                }
            }
            Kind::Visibility => {
                let s = text_of(name, v)?.trim();
                s.parse::<Visibility>()
                    .map(|vis| Value::Text(vis.as_str().to_owned()))
                    .map_err(|_| {
                        FieldError::new(
                            name,
                            ErrorCode::InvalidValue,
                            "must be one of private, team, workspace",
                        )
                    })
            }
            Kind::Ref(_) | Kind::UserRef | Kind::Id => uuid_of(name, v).map(Value::Id),
            Kind::Country => {
                let s = text_of(name, v)?.trim().to_ascii_uppercase();
                if s.len() == 2 && s.chars().all(|c| c.is_ascii_uppercase()) {
                    Ok(Value::Text(s))
                } else {
                    Err(FieldError::new(
                        name,
                        ErrorCode::InvalidFormat,
                        "must be a two-letter country code such as PL",
                    ))
                }
            }
            Kind::Language => {
                let s = text_of(name, v)?.trim().to_ascii_lowercase();
                if s.len() == 2 && s.chars().all(|c| c.is_ascii_lowercase()) {
                    Ok(Value::Text(s))
                } else {
                    Err(FieldError::new(
                        name,
                        ErrorCode::InvalidFormat,
                        "must be a two-letter language code such as pl",
                    ))
                }
            }
            Kind::TimeZone => TimeZoneName::parse(name, text_of(name, v)?)
                .map(|z| Value::Text(z.as_str().to_owned())),
            Kind::Emails => parse_labeled(name, v, |at, raw| {
                EmailAddress::parse(at, raw).map(|e| e.as_str().to_owned())
            })
            .map(Value::Emails),
            Kind::Phones => parse_labeled(name, v, parse_e164).map(Value::Phones),
            Kind::Tags => {
                let items = v
                    .as_array()
                    .ok_or_else(|| wrong_type(name, "a list of tag ids"))?;
                let mut ids = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let id = uuid_of(&format!("{name}[{i}]"), item)?;
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                Ok(Value::Ids(ids))
            }
            Kind::Links => {
                let items = v
                    .as_array()
                    .ok_or_else(|| wrong_type(name, "a list of {type, id}"))?;
                let mut links: Vec<Link> = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let at = format!("{name}[{i}]");
                    let o = item
                        .as_object()
                        .ok_or_else(|| wrong_type(&at, "an object with type and id"))?;
                    let t = text_of(
                        &format!("{at}.type"),
                        o.get("type")
                            .ok_or_else(|| FieldError::required(format!("{at}.type")))?,
                    )?;
                    let object = t
                        .parse::<ObjectType>()
                        .ok()
                        .filter(|o| *o != ObjectType::Activity)
                        .ok_or_else(|| {
                            FieldError::new(
                                format!("{at}.type"),
                                ErrorCode::InvalidValue,
                                "must be company, contact, lead or opportunity",
                            )
                        })?;
                    let id = uuid_of(
                        &format!("{at}.id"),
                        o.get("id")
                            .ok_or_else(|| FieldError::required(format!("{at}.id")))?,
                    )?;
                    let link = Link { object, id };
                    if !links.contains(&link) {
                        links.push(link);
                    }
                }
                if links.len() > 50 {
                    return Err(FieldError::new(
                        name,
                        ErrorCode::TooLong,
                        "at most 50 links",
                    ));
                }
                Ok(Value::Links(links))
            }
            Kind::Roles(target) => {
                let items = v
                    .as_array()
                    .ok_or_else(|| wrong_type(name, "a list of {id, role}"))?;
                let mut out: Vec<RoleLink> = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let at = format!("{name}[{i}]");
                    let o = item
                        .as_object()
                        .ok_or_else(|| wrong_type(&at, "an object with id and role"))?;
                    if let Some(k) = o.keys().find(|k| !matches!(k.as_str(), "id" | "role")) {
                        return Err(FieldError::new(
                            format!("{at}.{k}"),
                            ErrorCode::UnknownField,
                            "is not a field of this object",
                        ));
                    }
                    let id = uuid_of(
                        &format!("{at}.id"),
                        o.get("id")
                            .ok_or_else(|| FieldError::required(format!("{at}.id")))?,
                    )?;
                    let role = match o.get("role") {
                        None | Some(Json::Null) => None,
                        Some(r) => Some(single_line(
                            &format!("{at}.role"),
                            text_of(&format!("{at}.role"), r)?,
                            1,
                            100,
                        )?),
                    };
                    if out.iter().any(|r| r.id == id) {
                        return Err(FieldError::new(
                            &at,
                            ErrorCode::InvalidValue,
                            format!("names the same {} twice", target.as_str()),
                        ));
                    }
                    out.push(RoleLink { id, role });
                }
                if out.len() > 100 {
                    return Err(FieldError::new(
                        name,
                        ErrorCode::TooLong,
                        "at most 100 entries",
                    ));
                }
                Ok(Value::Roles(out))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ctx() -> ParseContext {
        ParseContext {
            base_currency: Currency::parse("c", "EUR").unwrap_or_else(|e| panic!("{e}")),
        }
    }

    fn parse(object: ObjectType, name: &str, v: Json) -> Result<Value, ErrorCode> {
        find(object, name)
            .unwrap_or_else(|| panic!("no field {name}"))
            .parse(&v, &ctx())
            .map_err(|e| e.code)
    }

    #[test]
    fn every_object_has_unique_field_names_and_sensible_flags() {
        for object in ObjectType::ALL {
            let mut names: Vec<&str> = all_fields(object).map(|f| f.name).collect();
            let n = names.len();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), n, "{object} has a duplicate field");
            for f in all_fields(object) {
                assert!(
                    !(f.required && f.access == Access::System),
                    "{object}.{} required but system",
                    f.name
                );
                if f.filter {
                    assert!(
                        !f.operators().is_empty(),
                        "{object}.{} filterable without operators",
                        f.name
                    );
                }
            }
        }
    }

    #[test]
    fn value_parsing_table() {
        use ObjectType::*;
        let cases: Vec<(ObjectType, &str, Json, Result<Value, ErrorCode>)> = vec![
            (
                Company,
                "name",
                json!("  Acme  "),
                Ok(Value::Text("Acme".into())),
            ),
            (Company, "name", json!(""), Err(ErrorCode::Required)),
            (Company, "name", json!(null), Err(ErrorCode::Required)),
            (Company, "name", json!(5), Err(ErrorCode::WrongType)),
            (Company, "industry", json!(""), Ok(Value::Null)),
            (
                Company,
                "domain",
                json!("https://www.Acme.example/about"),
                Ok(Value::Text("acme.example".into())),
            ),
            (
                Company,
                "domain",
                json!("localhost"),
                Err(ErrorCode::InvalidFormat),
            ),
            (
                Company,
                "website",
                json!("acme.example"),
                Ok(Value::Text("https://acme.example".into())),
            ),
            (
                Company,
                "website",
                json!("javascript:alert(1)"),
                Err(ErrorCode::InvalidFormat),
            ),
            (
                Company,
                "website",
                json!("ftp://acme.example"),
                Err(ErrorCode::InvalidFormat),
            ),
            (
                Company,
                "employee_count",
                json!(-1),
                Err(ErrorCode::InvalidValue),
            ),
            (
                Company,
                "employee_count",
                json!(1.5),
                Err(ErrorCode::WrongType),
            ),
            (
                Company,
                "employee_count",
                json!("12"),
                Err(ErrorCode::WrongType),
            ),
            (
                Company,
                "address.country",
                json!("pl"),
                Ok(Value::Text("PL".into())),
            ),
            (
                Company,
                "address.country",
                json!("Poland"),
                Err(ErrorCode::InvalidFormat),
            ),
            (
                Company,
                "phone",
                json!("601 234 567"),
                Err(ErrorCode::InvalidFormat),
            ),
            (
                Contact,
                "birth_date",
                json!("1990-02-30"),
                Err(ErrorCode::InvalidFormat),
            ),
            (
                Contact,
                "source",
                json!("carrier pigeon"),
                Err(ErrorCode::InvalidValue),
            ),
            (
                Contact,
                "do_not_contact",
                json!("yes"),
                Err(ErrorCode::WrongType),
            ),
            (
                Contact,
                "time_zone",
                json!("Europe/Warsaw"),
                Ok(Value::Text("Europe/Warsaw".into())),
            ),
            (
                Contact,
                "visibility",
                json!("secret"),
                Err(ErrorCode::InvalidValue),
            ),
            (
                Contact,
                "emails",
                json!("a@b.example"),
                Err(ErrorCode::WrongType),
            ),
            (
                Contact,
                "emails",
                json!([{"value": "a@b.example"}, {"value": "A@B.example"}]),
                Err(ErrorCode::InvalidValue),
            ),
            (
                Contact,
                "emails",
                json!([{"value": "a@b.example", "primary": true}, {"value": "c@d.example", "primary": true}]),
                Err(ErrorCode::InvalidValue),
            ),
            (
                Contact,
                "emails",
                json!([{"value": "a@b.example", "kind": "x"}]),
                Err(ErrorCode::UnknownField),
            ),
            (
                Activity,
                "links",
                json!([{"type": "activity", "id": "00000000-0000-0000-0000-000000000001"}]),
                Err(ErrorCode::InvalidValue),
            ),
            (
                Opportunity,
                "amount",
                json!({"amount": "10.505", "currency": "EUR"}),
                Err(ErrorCode::InvalidFormat),
            ),
            (
                Opportunity,
                "amount",
                json!({"amount": "10", "currency": "XYZ"}),
                Err(ErrorCode::InvalidValue),
            ),
            (
                Opportunity,
                "amount",
                json!("10 EUR"),
                Err(ErrorCode::WrongType),
            ),
            (
                Opportunity,
                "probability",
                json!(101),
                Err(ErrorCode::InvalidValue),
            ),
        ];
        for (object, name, input, expected) in cases {
            assert_eq!(
                parse(object, name, input.clone()),
                expected,
                "{object}.{name} = {input}"
            );
        }
    }

    #[test]
    fn the_first_entry_becomes_primary_when_none_is_marked() {
        let got = parse(
            ObjectType::Contact,
            "phones",
            json!(["+48 601 234 567", {"value": "+48 22 123 45 67", "label": "office"}]),
        );
        let Ok(Value::Phones(list)) = got else {
            panic!("{got:?}")
        };
        assert_eq!(list[0].value, "+48601234567");
        assert!(list[0].primary && !list[1].primary);
        assert_eq!(list[1].label.as_deref(), Some("office"));
    }

    #[test]
    fn money_uses_the_base_currency_when_none_is_given() {
        let got = parse(
            ObjectType::Opportunity,
            "amount",
            json!({"amount": "1234.5"}),
        );
        let Ok(Value::Money(m)) = got else {
            panic!("{got:?}")
        };
        assert_eq!((m.minor, m.currency.code()), (123_450, "EUR"));
        assert_eq!(
            Value::Money(m).to_json(),
            json!({"amount": "1234.50", "currency": "EUR"})
        );
    }
}
