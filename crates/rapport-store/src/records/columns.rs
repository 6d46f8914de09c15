//! How catalogue fields map to columns, and values to and from them.
//!
//! Column names come only from the static catalogue (`address.city` → `address_city`), never
//! from a request, so building them at run time is safe.

use std::borrow::Cow;

use rapport_core::catalogue::{self, Field, Kind};
use rapport_core::fold;
use rapport_core::money::{Currency, Money};
use rapport_core::object::ObjectType;
use rapport_core::value::{Labeled, Value};
use sea_query::{Alias, Expr};
use serde_json::{Value as Json, json};

use crate::db::{Row, date, opt_json, opt_ts, opt_uuid};
use crate::error::StoreError;

pub(crate) fn table(object: ObjectType) -> Alias {
    Alias::new(object.plural())
}

/// Where a field lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Storage {
    /// One column holding the value.
    Plain(String),
    /// The value and a folded key used for filters and sorting.
    Folded { column: String, key: String },
    /// Minor units and currency.
    Money { minor: String, currency: String },
    /// A JSON list.
    List(String),
    /// Another table (tags, links, roles).
    Relation,
}

/// The column of a field: its name, with `_` for `.`. Borrowed for undotted names (most),
/// as rows are decoded field by field and the names would otherwise be built per row.
pub(crate) fn column_name(field: &Field) -> Cow<'static, str> {
    if field.name.contains('.') {
        Cow::Owned(field.name.replace('.', "_"))
    } else {
        Cow::Borrowed(field.name)
    }
}

pub(crate) fn storage(field: &Field) -> Storage {
    let column = column_name(field).into_owned();
    match field.kind {
        k if k.is_relation() => Storage::Relation,
        Kind::Money => Storage::Money {
            minor: format!("{column}_minor"),
            currency: format!("{column}_currency"),
        },
        Kind::Emails | Kind::Phones => Storage::List(column),
        Kind::Email => Storage::Folded {
            key: format!("{column}_key"),
            column,
        },
        _ if field.folded() => Storage::Folded {
            key: format!("{column}_key"),
            column,
        },
        _ => Storage::Plain(column),
    }
}

/// The key stored beside a folded value.
pub(crate) fn key_of(field: &Field, v: &Value) -> Option<String> {
    match (field.kind, v) {
        (Kind::Email, Value::Text(s)) => Some(s.to_lowercase()),
        (_, Value::Text(s)) => Some(fold::fold(s)),
        _ => None,
    }
}

fn text(v: &Value) -> Expr {
    Expr::val(v.as_text().map(str::to_owned))
}

fn labeled_json(list: &[Labeled]) -> Json {
    Json::Array(
        list.iter()
            .map(|l| json!({"value": l.value, "label": l.label, "primary": l.primary}))
            .collect(),
    )
}

/// The (column, value) pairs that store `v` in `field`.
pub(crate) fn encode(field: &Field, v: &Value) -> Vec<(String, Expr)> {
    match storage(field) {
        Storage::Relation => Vec::new(),
        Storage::Money { minor, currency } => match v {
            Value::Money(m) => vec![
                (minor, Expr::val(Some(m.minor))),
                (currency, Expr::val(Some(m.currency.code().to_owned()))),
            ],
            _ => vec![
                (minor, Expr::val(None::<i64>)),
                (currency, Expr::val(None::<String>)),
            ],
        },
        Storage::List(column) => {
            let list = match v {
                Value::Emails(l) | Value::Phones(l) => labeled_json(l),
                _ => Json::Array(Vec::new()),
            };
            vec![(column, opt_json(Some(list)))]
        }
        Storage::Folded { column, key } => {
            vec![(column, text(v)), (key, Expr::val(key_of(field, v)))]
        }
        Storage::Plain(column) => {
            let value = match (field.kind, v) {
                (_, Value::Null) => match field.kind {
                    Kind::Integer { .. } => Expr::val(None::<i64>),
                    Kind::Bool => Expr::val(None::<bool>),
                    Kind::Date => date(None),
                    Kind::DateTime => opt_ts(None),
                    Kind::Ref(_) | Kind::UserRef | Kind::Id => opt_uuid(None),
                    _ => Expr::val(None::<String>),
                },
                (_, Value::Int(i)) => Expr::val(Some(*i)),
                (_, Value::Bool(b)) => Expr::val(Some(*b)),
                (_, Value::Date(d)) => date(Some(*d)),
                (_, Value::DateTime(t)) => opt_ts(Some(*t)),
                (_, Value::Id(u)) => opt_uuid(Some(*u)),
                (_, other) => text(other),
            };
            vec![(column, value)]
        }
    }
}

fn parse_labeled(v: Option<Json>) -> Vec<Labeled> {
    v.and_then(|j| j.as_array().cloned())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|e| {
            Some(Labeled {
                value: e.get("value")?.as_str()?.to_owned(),
                label: e.get("label").and_then(Json::as_str).map(str::to_owned),
                primary: e.get("primary").and_then(Json::as_bool).unwrap_or(false),
            })
        })
        .collect()
}

/// Reads `field` from a row selected with all columns of its table.
pub(crate) fn decode(field: &Field, row: &Row) -> Result<Value, StoreError> {
    // By kind rather than through `storage`, which builds every column name it returns.
    let c = column_name(field);
    Ok(match field.kind {
        k if k.is_relation() => Value::Null,
        Kind::Money => {
            let minor = row.opt_i64(&format!("{c}_minor"))?;
            let currency = row.opt_string(&format!("{c}_currency"))?;
            match (minor, currency) {
                (Some(minor), Some(code)) => Value::Money(Money {
                    minor,
                    currency: Currency::parse("currency", &code)
                        .map_err(|e| StoreError::Decode(e.to_string()))?,
                }),
                _ => Value::Null,
            }
        }
        Kind::Phones => Value::Phones(parse_labeled(row.opt_json(&c)?)),
        Kind::Emails => Value::Emails(parse_labeled(row.opt_json(&c)?)),
        Kind::Integer { .. } => row.opt_i64(&c)?.map_or(Value::Null, Value::Int),
        Kind::Bool => row.opt_bool(&c)?.map_or(Value::Null, Value::Bool),
        Kind::Date => row.opt_date(&c)?.map_or(Value::Null, Value::Date),
        Kind::DateTime => row.opt_ts(&c)?.map_or(Value::Null, Value::DateTime),
        Kind::Ref(_) | Kind::UserRef | Kind::Id => row.opt_uuid(&c)?.map_or(Value::Null, Value::Id),
        _ => row.opt_string(&c)?.map_or(Value::Null, Value::Text),
    })
}

/// The columns whose values never are NULL, so sorting needs no NULLS LAST handling.
pub(crate) fn never_null(object: ObjectType, field: &Field) -> bool {
    matches!(
        field.name,
        "id" | "created_at" | "updated_at" | "version" | "owner_id" | "visibility"
    ) || field.required
        || matches!(
            (object, field.name),
            (
                ObjectType::Opportunity,
                "stage_changed_at" | "stage_id" | "pipeline_id" | "stage_kind"
            ) | (ObjectType::Activity, "status")
                | (ObjectType::Lead, "status")
        )
}

/// Every catalogue field of `object` that lives in its table.
pub(crate) fn stored_fields(object: ObjectType) -> impl Iterator<Item = &'static Field> {
    catalogue::all_fields(object).filter(|f| !f.kind.is_relation())
}
