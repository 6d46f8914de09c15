//! Record values as a reader sees them: labels in their language, dates on their clock,
//! money and numbers in their notation, references as names that link to the record.
//! Everything returned here is plain text; templates escape it.

use std::collections::HashMap;

use rapport_app::model::User;
use rapport_app::search::describe;
use rapport_core::catalogue::{self, Field, Kind};
use rapport_core::custom::CustomKind;
use rapport_core::format;
use rapport_core::object::ObjectType;
use rapport_core::time::Timestamp;
use serde_json::Value as Json;

use super::i18n::Tr;

/// The path segment of an object's pages.
pub fn plural(object: ObjectType) -> &'static str {
    object.plural()
}

pub fn record_href(object: ObjectType, id: &str) -> String {
    format!("/{}/{}", plural(object), id)
}

/// A value on a page: its text and, for references, where it links.
#[derive(Clone, Debug, Default)]
pub struct Cell {
    pub text: String,
    pub href: Option<String>,
}

impl Cell {
    fn text(text: String) -> Self {
        Cell { text, href: None }
    }
}

/// Names of the users and referenced records on one page, fetched once for all rows.
#[derive(Default)]
pub struct Names {
    pub users: HashMap<String, String>,
    pub records: HashMap<String, String>,
}

impl Names {
    pub fn with_users(users: &[User]) -> Self {
        use rapport_core::Id;
        Names {
            users: users
                .iter()
                .map(|u| (u.id.as_uuid().to_string(), u.display_name.clone()))
                .collect(),
            records: HashMap::new(),
        }
    }
}

/// A record's title (a person's name, a company's name, a subject).
pub fn title(object: ObjectType, record: &Json) -> String {
    let (title, _) = describe(object, record);
    if title.trim().is_empty() {
        record
            .get("id")
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_owned()
    } else {
        title
    }
}

pub fn id_of(record: &Json) -> String {
    record
        .get("id")
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// The value of `field` in `record` (custom fields as `custom.key`).
pub fn raw<'a>(record: &'a Json, field: &str) -> &'a Json {
    static NULL: Json = Json::Null;
    if let Some(key) = field.strip_prefix("custom.") {
        return record
            .get("custom")
            .and_then(|c| c.get(key))
            .unwrap_or(&NULL);
    }
    match field.split_once('.') {
        Some((outer, inner)) => record
            .get(outer)
            .and_then(|o| o.get(inner))
            .unwrap_or(&NULL),
        None => record.get(field).unwrap_or(&NULL),
    }
}

fn timestamp(tr: Tr, zone: &str, s: &str) -> String {
    Timestamp::parse_rfc3339(s)
        .map(|t| format::date_time(tr.locale, t, zone))
        .unwrap_or_else(|_| s.to_owned())
}

/// How one value reads on a page.
pub fn cell(tr: Tr, zone: &str, object: ObjectType, name: &str, v: &Json, names: &Names) -> Cell {
    if v.is_null() {
        return Cell::text(tr.get("record-empty-value"));
    }
    let Some(field) = catalogue::find(object, name) else {
        return Cell::text(plain(v));
    };
    match field.kind {
        Kind::Money => {
            let amount = v.get("amount").and_then(Json::as_str).unwrap_or_default();
            let currency = v.get("currency").and_then(Json::as_str).unwrap_or_default();
            Cell::text(format::money(tr.locale, amount, currency))
        }
        Kind::Integer { .. } => Cell::text(
            v.as_i64()
                .map_or_else(|| plain(v), |n| format::integer(tr.locale, n)),
        ),
        Kind::Date => Cell::text(format::date(tr.locale, v.as_str().unwrap_or_default())),
        Kind::DateTime => Cell::text(timestamp(tr, zone, v.as_str().unwrap_or_default())),
        Kind::Bool => Cell::text(tr.get(if v.as_bool() == Some(true) {
            "record-yes"
        } else {
            "record-no"
        })),
        Kind::Enum(_) | Kind::Visibility => {
            Cell::text(tr.enum_value(field.name, v.as_str().unwrap_or_default()))
        }
        Kind::UserRef => {
            let id = v.as_str().unwrap_or_default();
            Cell::text(
                names
                    .users
                    .get(id)
                    .cloned()
                    .unwrap_or_else(|| id.to_owned()),
            )
        }
        Kind::Ref(target) => {
            let id = v.as_str().unwrap_or_default();
            Cell {
                text: names
                    .records
                    .get(id)
                    .cloned()
                    .unwrap_or_else(|| id.to_owned()),
                href: Some(record_href(target, id)),
            }
        }
        Kind::Emails | Kind::Phones => Cell::text(
            v.as_array()
                .map(|items| {
                    items
                        .iter()
                        .filter_map(|i| i.get("value").and_then(Json::as_str))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default(),
        ),
        Kind::Links | Kind::Roles(_) | Kind::Tags => Cell::text(match v.as_array() {
            Some(items) => items.len().to_string(),
            None => plain(v),
        }),
        _ => Cell::text(plain(v)),
    }
}

/// How a custom field's value reads on a page.
pub fn custom_cell(tr: Tr, kind: CustomKind, v: &Json) -> Cell {
    Cell::text(match (kind, v) {
        (_, Json::Null) => tr.get("record-empty-value"),
        (CustomKind::Number, Json::Number(n)) => format::number(tr.locale, &n.to_string()),
        (CustomKind::Date, Json::String(d)) => format::date(tr.locale, d),
        (CustomKind::Bool, Json::Bool(b)) => tr.get(if *b { "record-yes" } else { "record-no" }),
        _ => plain(v),
    })
}

fn plain(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        Json::Null => String::new(),
        other => other.to_string(),
    }
}

/// The fields a record page shows: the object's own first, then who owns and changed it;
/// bookkeeping and relation lists (shown elsewhere) left out.
pub fn detail_fields(object: ObjectType) -> impl Iterator<Item = &'static Field> {
    let shown = |f: &&'static Field| {
        !matches!(
            f.name,
            "id" | "version" | "tag_ids" | "links" | "contacts" | "companies"
        )
    };
    let common = |f: &&'static Field| catalogue::COMMON.iter().any(|c| c.name == f.name);
    catalogue::all_fields(object)
        .filter(move |f| shown(f) && !common(f))
        .chain(catalogue::all_fields(object).filter(move |f| shown(f) && common(f)))
}

/// Whether a value has nothing to show (no value, an empty list or object).
pub fn is_empty(v: &Json) -> bool {
    match v {
        Json::Null => true,
        Json::Array(a) => a.is_empty(),
        Json::Object(o) => o.is_empty(),
        Json::String(s) => s.is_empty(),
        _ => false,
    }
}

/// The referenced ids of `fields` across `records`, by the object they point to.
pub fn references<'a>(
    object: ObjectType,
    fields: impl Iterator<Item = &'a str>,
    records: &[Json],
) -> Vec<(ObjectType, Vec<String>)> {
    let mut out: Vec<(ObjectType, Vec<String>)> = Vec::new();
    for name in fields {
        let Some(Field {
            kind: Kind::Ref(target),
            ..
        }) = catalogue::find(object, name)
        else {
            continue;
        };
        let ids: Vec<String> = records
            .iter()
            .filter_map(|r| raw(r, name).as_str().map(str::to_owned))
            .collect();
        match out.iter_mut().find(|(o, _)| o == target) {
            Some((_, list)) => list.extend(ids),
            None => out.push((*target, ids)),
        }
    }
    for (_, ids) in &mut out {
        ids.sort();
        ids.dedup();
    }
    out
}
