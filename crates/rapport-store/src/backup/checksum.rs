//! Per-table checksums that mean the same on both backends, so a copy from SQLite to
//! PostgreSQL (or back) can be checked table by table.
//!
//! The same row reads back differently from each backend: SQLite gives an instant as an
//! INTEGER, a UUID as a 16-byte BLOB, a boolean as 0 or 1 and JSON as TEXT; PostgreSQL gives
//! `timestamptz`, `uuid`, `boolean` and `jsonb` (which reorders keys). Each cell is therefore
//! encoded in a canonical form first, columns in name order, and only then hashed. Rows are
//! combined by a wrapping sum of their hashes, because text keys sort differently on the two
//! backends and the sum does not care about order (unlike XOR, it does not cancel duplicates).

use std::fmt;

use serde_json::Value as Json;
use sha2::{Digest, Sha256};

use super::DERIVED;
use crate::db::Cell;

/// A table's rows and their checksum (32 hex digits).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableSum {
    pub table: String,
    pub rows: u64,
    pub checksum: String,
}

/// Sums the rows of one table as they arrive.
pub(super) struct Hasher {
    table: String,
    /// Positions of the hashed cells, in column-name order; derived columns left out.
    order: Vec<usize>,
    names: Vec<String>,
    width: usize,
    sum: u128,
    rows: u64,
    buf: Vec<u8>,
}

impl Hasher {
    pub(super) fn new(table: &str, columns: &[String]) -> Hasher {
        let mut order: Vec<usize> = (0..columns.len())
            .filter(|i| !DERIVED.contains(&(table, columns[*i].as_str())))
            .collect();
        order.sort_by(|a, b| columns[*a].cmp(&columns[*b]));
        Hasher {
            table: table.to_owned(),
            names: order.iter().map(|i| columns[*i].clone()).collect(),
            order,
            width: columns.len(),
            sum: 0,
            rows: 0,
            buf: Vec::with_capacity(256),
        }
    }

    /// Adds a row. A row of the wrong width is a caller's bug; it still changes the sum,
    /// so it cannot pass unnoticed.
    pub(super) fn add(&mut self, cells: &[Cell]) {
        self.buf.clear();
        if cells.len() != self.width {
            self.buf.extend_from_slice(b"width");
            self.buf
                .extend_from_slice(&(cells.len() as u64).to_le_bytes());
        }
        for (i, name) in self.order.iter().zip(&self.names) {
            put_bytes(&mut self.buf, name.as_bytes());
            encode(cells.get(*i).unwrap_or(&Cell::Null), &mut self.buf);
        }
        self.sum = self.sum.wrapping_add(row_hash(&self.buf));
        self.rows += 1;
    }

    pub(super) fn finish(&self) -> TableSum {
        TableSum {
            table: self.table.clone(),
            rows: self.rows,
            checksum: format!("{:032x}", self.sum),
        }
    }
}

fn row_hash(encoded: &[u8]) -> u128 {
    let digest = Sha256::digest(encoded);
    let mut prefix = [0u8; 16];
    prefix.copy_from_slice(&digest[..16]);
    u128::from_be_bytes(prefix)
}

const NULL: u8 = 0;
const INTEGER: u8 = 1;
const FLOAT: u8 = 2;
const TEXT: u8 = 3;
const BYTES: u8 = 4;

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    out.extend_from_slice(bytes);
}

/// One cell in the form both backends agree on: instants and booleans are integers (that is
/// how SQLite keeps them), UUIDs are bytes (SQLite's BLOBs), dates and JSON are text.
pub(super) fn encode(cell: &Cell, out: &mut Vec<u8>) {
    match cell {
        Cell::Null => out.push(NULL),
        Cell::Int(i) | Cell::Ts(i) => {
            out.push(INTEGER);
            out.extend_from_slice(&i.to_le_bytes());
        }
        Cell::Bool(b) => {
            out.push(INTEGER);
            out.extend_from_slice(&i64::from(*b).to_le_bytes());
        }
        Cell::Float(f) => {
            out.push(FLOAT);
            out.extend_from_slice(&f.to_bits().to_le_bytes());
        }
        Cell::Text(s) => {
            out.push(TEXT);
            match json_text(s) {
                Some(j) => put_bytes(out, canonical_json(&j).as_bytes()),
                None => put_bytes(out, s.as_bytes()),
            }
        }
        Cell::Date(s) => {
            out.push(TEXT);
            put_bytes(out, s.as_bytes());
        }
        Cell::Json(j) => {
            out.push(TEXT);
            put_bytes(out, canonical_json(j).as_bytes());
        }
        Cell::Bytes(b) => {
            out.push(BYTES);
            put_bytes(out, b);
        }
        Cell::Uuid(u) => {
            out.push(BYTES);
            put_bytes(out, u.as_bytes());
        }
    }
}

/// Text that SQLite holds for a JSON column: an object or a list. (A JSON scalar is
/// serialised the same way by both sides, so it needs no special case.)
fn json_text(s: &str) -> Option<Json> {
    if !s.trim_start().starts_with(['{', '[']) {
        return None;
    }
    serde_json::from_str::<Json>(s)
        .ok()
        .filter(|j| j.is_object() || j.is_array())
}

/// JSON with object keys sorted and no spaces, whatever order the map kept them in.
fn canonical_json(j: &Json) -> String {
    let mut out = String::new();
    write_canonical(j, &mut out);
    out
}

fn write_canonical(j: &Json, out: &mut String) {
    match j {
        Json::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (n, k) in keys.into_iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                out.push_str(&Json::String(k.clone()).to_string());
                out.push(':');
                if let Some(v) = map.get(k) {
                    write_canonical(v, out);
                }
            }
            out.push('}');
        }
        Json::Array(items) => {
            out.push('[');
            for (n, v) in items.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                write_canonical(v, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// A table whose copy does not match its source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub table: String,
    pub source: Option<TableSum>,
    pub target: Option<TableSum>,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let side = |s: &Option<TableSum>| match s {
            Some(s) => format!("{} rows, checksum {}", s.rows, s.checksum),
            None => "no such table".to_owned(),
        };
        write!(
            f,
            "table {}: the source has {}, the target {}",
            self.table,
            side(&self.source),
            side(&self.target)
        )
    }
}

/// Every table whose rows or checksum differ between `source` and `target`, or that only
/// one of them has; empty when they match.
pub fn compare(source: &[TableSum], target: &[TableSum]) -> Vec<Mismatch> {
    let find = |list: &[TableSum], table: &str| list.iter().find(|t| t.table == table).cloned();
    let mut out = Vec::new();
    for s in source {
        let t = find(target, &s.table);
        if t.as_ref() != Some(s) {
            out.push(Mismatch {
                table: s.table.clone(),
                source: Some(s.clone()),
                target: t,
            });
        }
    }
    for t in target {
        if find(source, &t.table).is_none() {
            out.push(Mismatch {
                table: t.table.clone(),
                source: None,
                target: Some(t.clone()),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use uuid::Uuid;

    use super::*;

    fn hash(cell: &Cell) -> Vec<u8> {
        let mut out = Vec::new();
        encode(cell, &mut out);
        out
    }

    fn sum(table: &str, columns: &[&str], rows: &[Vec<Cell>]) -> TableSum {
        let names: Vec<String> = columns.iter().map(|c| (*c).to_owned()).collect();
        let mut h = Hasher::new(table, &names);
        for r in rows {
            h.add(r);
        }
        h.finish()
    }

    /// What SQLite gives back for a value, and what PostgreSQL gives back for the same one.
    #[test]
    fn sqlite_and_postgresql_cells_of_the_same_value_encode_alike() {
        let u = Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_002a);
        let table: Vec<(Cell, Cell)> = vec![
            (Cell::Bytes(u.as_bytes().to_vec()), Cell::Uuid(u)),
            (
                Cell::Int(1_795_392_000_123_456),
                Cell::Ts(1_795_392_000_123_456),
            ),
            (Cell::Int(1), Cell::Bool(true)),
            (Cell::Int(0), Cell::Bool(false)),
            (Cell::Int(-7), Cell::Int(-7)),
            (Cell::Float(0.1), Cell::Float(0.1)),
            (
                Cell::Text("2026-11-23".into()),
                Cell::Date("2026-11-23".into()),
            ),
            (
                Cell::Text(r#"{"b":[1,{"y":2,"x":"Łódź"}],"a":null}"#.into()),
                Cell::Json(json!({"a": null, "b": [1, {"x": "Łódź", "y": 2}]})),
            ),
            (
                Cell::Text(r#"[ "x", 1.5 ]"#.into()),
                Cell::Json(json!(["x", 1.5])),
            ),
            (
                Cell::Text(r#""tagged""#.into()),
                Cell::Json(json!("tagged")),
            ),
            (Cell::Text("3".into()), Cell::Json(json!(3))),
            (
                Cell::Text("plain { text".into()),
                Cell::Text("plain { text".into()),
            ),
            (Cell::Null, Cell::Null),
        ];
        for (sqlite, postgres) in table {
            assert_eq!(hash(&sqlite), hash(&postgres), "{sqlite:?} vs {postgres:?}");
        }
    }

    #[test]
    fn different_values_encode_differently() {
        let table: Vec<(Cell, Cell)> = vec![
            (Cell::Null, Cell::Int(0)),
            (Cell::Null, Cell::Text(String::new())),
            (Cell::Int(1), Cell::Float(1.0)),
            (Cell::Int(1), Cell::Text("1".into())),
            (Cell::Bool(true), Cell::Bool(false)),
            (Cell::Float(0.0), Cell::Float(-0.0)),
            (Cell::Text("a".into()), Cell::Text("A".into())),
            (Cell::Text("ab".into()), Cell::Bytes(b"ab".to_vec())),
            (Cell::Json(json!({"a": 1})), Cell::Json(json!({"a": "1"}))),
            (Cell::Json(json!([1, 2])), Cell::Json(json!([2, 1]))),
            (
                Cell::Uuid(Uuid::from_u128(1)),
                Cell::Uuid(Uuid::from_u128(2)),
            ),
        ];
        for (a, b) in table {
            assert_ne!(hash(&a), hash(&b), "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn a_table_sum_ignores_row_and_column_order_but_not_content() {
        let rows = vec![
            vec![Cell::Int(1), Cell::Text("Anna".into())],
            vec![Cell::Int(2), Cell::Text("Ben".into())],
        ];
        let swapped: Vec<Vec<Cell>> = rows
            .iter()
            .rev()
            .map(|r| r.iter().rev().cloned().collect())
            .collect();
        let a = sum("people", &["id", "name"], &rows);
        assert_eq!(a, sum("people", &["name", "id"], &swapped));
        assert_eq!(a.rows, 2);
        assert_eq!(a.checksum.len(), 32);
        let mut edited = rows.clone();
        edited[1][1] = Cell::Text("Bob".into());
        assert_ne!(a.checksum, sum("people", &["id", "name"], &edited).checksum);
        // A duplicated row is not the same as one row: the sum does not cancel.
        let twice = vec![rows[0].clone(), rows[0].clone()];
        assert_ne!(
            sum("people", &["id", "name"], &twice).checksum,
            sum("people", &["id", "name"], &[]).checksum
        );
        // The same cells under other column names are other rows.
        assert_ne!(a.checksum, sum("people", &["id", "nick"], &rows).checksum);
    }

    #[test]
    fn derived_columns_are_left_out() {
        let sqlite = sum(
            "search_docs",
            &["body", "doc_id"],
            &[vec![Cell::Text("x".into()), Cell::Int(7)]],
        );
        let postgres = sum("search_docs", &["body"], &[vec![Cell::Text("x".into())]]);
        assert_eq!(sqlite, postgres);
    }

    #[test]
    fn comparing_names_the_table_both_counts_and_both_checksums() {
        let source = vec![
            sum("a", &["id"], &[vec![Cell::Int(1)]]),
            sum("b", &["id"], &[vec![Cell::Int(1)], vec![Cell::Int(2)]]),
        ];
        assert!(compare(&source, &source).is_empty());
        let mut target = source.clone();
        target[1] = sum("b", &["id"], &[vec![Cell::Int(1)], vec![Cell::Int(3)]]);
        target.push(sum("c", &["id"], &[]));
        let found = compare(&source, &target);
        assert_eq!(found.len(), 2, "{found:?}");
        let said = found[0].to_string();
        assert!(
            said.starts_with("table b: the source has 2 rows, checksum "),
            "{said}"
        );
        assert!(said.contains(&source[1].checksum) && said.contains(&target[1].checksum));
        assert_eq!(found[1].table, "c");
        assert!(found[1].to_string().contains("no such table"));
    }
}
