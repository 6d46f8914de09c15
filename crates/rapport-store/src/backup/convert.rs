//! A cell read from one backend, as a value for a column of the other (or the same).
//!
//! SQLite hands back storage classes (an instant is an INTEGER, a UUID a 16-byte BLOB, JSON
//! TEXT); PostgreSQL hands back rich types. The target column's type decides: what it needs
//! is taken from whichever representation arrived, and anything else is refused with the
//! column's name rather than stored wrongly.

use sea_query::Value;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::db::{Backend, Cell, Column};

fn instant(micros: i64) -> Result<Value, String> {
    let t = OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1_000)
        .map_err(|_| "the instant is out of range".to_owned())?;
    Ok(Value::TimeDateTimeWithTimeZone(Some(t)))
}

fn date(text: &str) -> Result<Value, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text, &format)
        .map(|d| Value::TimeDate(Some(d)))
        .map_err(|_| format!("{text:?} is not a date"))
}

fn null_of(column: &Column, backend: Backend) -> Value {
    match (backend, column.ty.as_str()) {
        (Backend::Postgres, "uuid") => Value::Uuid(None),
        (Backend::Postgres, "timestamp with time zone") => Value::TimeDateTimeWithTimeZone(None),
        (Backend::Postgres, "bigint" | "integer" | "smallint") => Value::BigInt(None),
        (Backend::Postgres, "boolean") => Value::Bool(None),
        (Backend::Postgres, "bytea") => Value::Bytes(None),
        (Backend::Postgres, "date") => Value::TimeDate(None),
        (Backend::Postgres, "jsonb" | "json") => Value::Json(None),
        (Backend::Postgres, "double precision" | "real") => Value::Double(None),
        _ => Value::String(None),
    }
}

/// The value to bind for `cell` in `column` of a `backend` database.
pub fn to_value(cell: Cell, column: &Column, backend: Backend) -> Result<Value, String> {
    if cell == Cell::Null {
        return Ok(null_of(column, backend));
    }
    let wrong = |cell: &Cell| {
        Err(format!(
            "a {} value cannot go into a {} column",
            kind(cell),
            column.ty
        ))
    };
    match backend {
        // SQLite stores what it is given; keep the richest form so the binder encodes it
        // the way Rapport's own writes do (UUIDs as BLOBs, instants as microseconds).
        Backend::Sqlite => Ok(match cell {
            Cell::Null => Value::String(None),
            Cell::Int(i) => Value::BigInt(Some(i)),
            Cell::Float(f) => Value::Double(Some(f)),
            Cell::Text(s) => Value::String(Some(s)),
            Cell::Bytes(b) => Value::Bytes(Some(b)),
            Cell::Bool(b) => Value::Bool(Some(b)),
            Cell::Uuid(u) => Value::Uuid(Some(u)),
            Cell::Ts(t) => Value::BigInt(Some(t)),
            Cell::Date(d) => Value::String(Some(d)),
            Cell::Json(j) => Value::String(Some(j.to_string())),
        }),
        Backend::Postgres => match (column.ty.as_str(), cell) {
            ("uuid", Cell::Uuid(u)) => Ok(Value::Uuid(Some(u))),
            ("uuid", Cell::Bytes(b)) => Uuid::from_slice(&b)
                .map(|u| Value::Uuid(Some(u)))
                .map_err(|_| format!("{} bytes are not a UUID", b.len())),
            ("uuid", Cell::Text(s)) => Uuid::parse_str(&s)
                .map(|u| Value::Uuid(Some(u)))
                .map_err(|_| format!("{s:?} is not a UUID")),
            ("timestamp with time zone", Cell::Ts(t) | Cell::Int(t)) => instant(t),
            ("bigint" | "integer" | "smallint", Cell::Int(i)) => Ok(Value::BigInt(Some(i))),
            ("boolean", Cell::Bool(b)) => Ok(Value::Bool(Some(b))),
            ("boolean", Cell::Int(i @ (0 | 1))) => Ok(Value::Bool(Some(i == 1))),
            ("bytea", Cell::Bytes(b)) => Ok(Value::Bytes(Some(b))),
            ("date", Cell::Date(d) | Cell::Text(d)) => date(&d),
            ("jsonb" | "json", Cell::Json(j)) => Ok(Value::Json(Some(Box::new(j)))),
            ("jsonb" | "json", Cell::Text(s)) => serde_json::from_str(&s)
                .map(|j| Value::Json(Some(Box::new(j))))
                .map_err(|_| "the text is not JSON".to_owned()),
            ("double precision" | "real", Cell::Float(f)) => Ok(Value::Double(Some(f))),
            ("double precision" | "real", Cell::Int(i)) => Ok(Value::Double(Some(i as f64))),
            ("text" | "character varying" | "character", Cell::Text(s)) => {
                Ok(Value::String(Some(s)))
            }
            (_, cell) => wrong(&cell),
        },
    }
}

fn kind(cell: &Cell) -> &'static str {
    match cell {
        Cell::Null => "null",
        Cell::Int(_) => "integer",
        Cell::Float(_) => "floating-point",
        Cell::Text(_) => "text",
        Cell::Bytes(_) => "binary",
        Cell::Bool(_) => "boolean",
        Cell::Uuid(_) => "UUID",
        Cell::Ts(_) => "timestamp",
        Cell::Date(_) => "date",
        Cell::Json(_) => "JSON",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn col(ty: &str) -> Column {
        Column {
            name: "c".to_owned(),
            ty: ty.to_owned(),
            nullable: true,
            generated: false,
            primary_key: false,
        }
    }

    #[test]
    fn sqlite_storage_classes_become_postgresql_types() {
        let u = Uuid::from_u128(7);
        let table: Vec<(Cell, &str, Value)> = vec![
            (
                Cell::Bytes(u.as_bytes().to_vec()),
                "uuid",
                Value::Uuid(Some(u)),
            ),
            (
                Cell::Int(0),
                "timestamp with time zone",
                instant(0).unwrap(),
            ),
            (Cell::Int(1), "boolean", Value::Bool(Some(true))),
            (Cell::Int(0), "boolean", Value::Bool(Some(false))),
            (
                Cell::Text("[1]".into()),
                "jsonb",
                Value::Json(Some(Box::new(json!([1])))),
            ),
            (
                Cell::Text("2026-11-23".into()),
                "date",
                date("2026-11-23").unwrap(),
            ),
            (Cell::Int(5), "bigint", Value::BigInt(Some(5))),
            (Cell::Null, "uuid", Value::Uuid(None)),
        ];
        for (cell, ty, expected) in table {
            assert_eq!(
                to_value(cell.clone(), &col(ty), Backend::Postgres),
                Ok(expected),
                "{cell:?} → {ty}"
            );
        }
    }

    #[test]
    fn postgresql_types_become_what_rapport_writes_to_sqlite() {
        let u = Uuid::from_u128(9);
        let table: Vec<(Cell, Value)> = vec![
            (Cell::Uuid(u), Value::Uuid(Some(u))),
            (Cell::Ts(12), Value::BigInt(Some(12))),
            (Cell::Bool(true), Value::Bool(Some(true))),
            (
                Cell::Json(json!({"a": 1})),
                Value::String(Some("{\"a\":1}".into())),
            ),
            (
                Cell::Date("2026-01-02".into()),
                Value::String(Some("2026-01-02".into())),
            ),
        ];
        for (cell, expected) in table {
            assert_eq!(to_value(cell, &col("blob"), Backend::Sqlite), Ok(expected));
        }
    }

    #[test]
    fn mismatches_are_refused_with_both_types_named() {
        let table: Vec<(Cell, &str)> = vec![
            (Cell::Text("x".into()), "uuid"),
            (Cell::Bytes(vec![1, 2]), "uuid"),
            (Cell::Int(2), "boolean"),
            (Cell::Text("{".into()), "jsonb"),
            (Cell::Text("23/11/2026".into()), "date"),
            (Cell::Bool(true), "text"),
        ];
        for (cell, ty) in table {
            let err = to_value(cell.clone(), &col(ty), Backend::Postgres).unwrap_err();
            assert!(!err.is_empty(), "{cell:?} → {ty}");
        }
        let err = to_value(Cell::Bool(true), &col("text"), Backend::Postgres).unwrap_err();
        assert_eq!(err, "a boolean value cannot go into a text column");
    }
}
