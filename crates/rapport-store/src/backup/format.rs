//! The backup file: gzip around JSON lines, readable by either backend.
//!
//! ```text
//! {"format":"rapport-backup","version":1,…}          header
//! {"table":"workspaces","columns":["id",…]}          a table begins
//! [{"u":"…"},"Acme",1,…]                             one row per line
//! {"end":"workspaces","rows":1}                      …and ends, with its row count
//! {"end_of_backup":true,"rows":…,"sha256":"…"}       trailer: digest of every line above
//! ```
//!
//! Cells keep their type: `null`, numbers for integers, strings for text, `true`/`false`,
//! and tagged objects for the rest: `{"f":1.5}` floats, `{"b":"base64"}` bytes, `{"u":"…"}`
//! UUIDs, `{"t":micros}` instants, `{"d":"YYYY-MM-DD"}` dates, `{"j":…}` JSON. The trailer's
//! digest and the per-table counts make a truncated or edited file fail to restore rather
//! than restore partly.

use std::io::{self, BufRead, Write};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use serde_json::{Value as Json, json};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::db::Cell;

pub const FORMAT: &str = "rapport-backup";
pub const VERSION: i64 = 1;

/// A longer line than this is refused, so a hostile file cannot exhaust memory.
pub const MAX_LINE: usize = 64 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: i64,
    /// The Rapport release that wrote it.
    pub rapport: String,
    /// The schema migration the source database was at.
    pub schema: i64,
    pub backend: String,
    pub created_at: String,
    pub tables: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("line {line}: {message}")]
    Bad { line: u64, message: String },
}

impl FormatError {
    fn bad(line: u64, message: impl Into<String>) -> FormatError {
        FormatError::Bad {
            line,
            message: message.into(),
        }
    }
}

pub fn cell_to_json(cell: &Cell) -> Json {
    match cell {
        Cell::Null => Json::Null,
        Cell::Int(i) => json!(i),
        Cell::Float(f) => json!({"f": f}),
        Cell::Text(s) => Json::String(s.clone()),
        Cell::Bytes(b) => json!({"b": STANDARD.encode(b)}),
        Cell::Bool(b) => Json::Bool(*b),
        Cell::Uuid(u) => json!({"u": u.to_string()}),
        Cell::Ts(t) => json!({"t": t}),
        Cell::Date(d) => json!({"d": d}),
        Cell::Json(j) => json!({"j": j}),
    }
}

pub fn cell_from_json(v: Json) -> Result<Cell, String> {
    Ok(match v {
        Json::Null => Cell::Null,
        Json::Bool(b) => Cell::Bool(b),
        Json::Number(n) => Cell::Int(n.as_i64().ok_or("an integer cell is out of range")?),
        Json::String(s) => Cell::Text(s),
        Json::Array(_) => return Err("a cell may not be a list".to_owned()),
        Json::Object(mut map) => {
            if map.len() != 1 {
                return Err("a tagged cell has exactly one key".to_owned());
            }
            let (tag, value) = map
                .iter_mut()
                .next()
                .map(|(k, v)| (k.clone(), v.take()))
                .ok_or("empty cell")?;
            match (tag.as_str(), value) {
                ("f", Json::Number(n)) => Cell::Float(n.as_f64().ok_or("bad float")?),
                ("b", Json::String(s)) => {
                    Cell::Bytes(STANDARD.decode(s).map_err(|_| "bytes are not base64")?)
                }
                ("u", Json::String(s)) => {
                    Cell::Uuid(Uuid::parse_str(&s).map_err(|_| "not a UUID")?)
                }
                ("t", Json::Number(n)) => Cell::Ts(n.as_i64().ok_or("bad instant")?),
                ("d", Json::String(s)) => Cell::Date(s),
                ("j", j) => Cell::Json(j),
                (tag, _) => return Err(format!("unknown cell tag {tag:?}")),
            }
        }
    })
}

/// Writes lines and keeps the digest of everything written before the trailer.
pub struct Writer<W: Write> {
    out: W,
    digest: Sha256,
    buf: Vec<u8>,
}

impl<W: Write> Writer<W> {
    pub fn new(out: W) -> Writer<W> {
        Writer {
            out,
            digest: Sha256::new(),
            buf: Vec::with_capacity(4096),
        }
    }

    fn line(&mut self, value: &Json) -> io::Result<()> {
        self.buf.clear();
        serde_json::to_writer(&mut self.buf, value)?;
        self.buf.push(b'\n');
        self.digest.update(&self.buf);
        self.out.write_all(&self.buf)
    }

    pub fn header(&mut self, h: &Header) -> io::Result<()> {
        self.line(&serde_json::to_value(h)?)
    }

    pub fn begin_table(&mut self, name: &str, columns: &[String]) -> io::Result<()> {
        self.line(&json!({"table": name, "columns": columns}))
    }

    pub fn row(&mut self, cells: &[Cell]) -> io::Result<()> {
        self.line(&Json::Array(cells.iter().map(cell_to_json).collect()))
    }

    pub fn end_table(&mut self, name: &str, rows: u64) -> io::Result<()> {
        self.line(&json!({"end": name, "rows": rows}))
    }

    /// Writes the trailer and hands back the underlying writer to be finished.
    pub fn finish(mut self, rows: u64) -> io::Result<W> {
        let digest = hex(&self.digest.clone().finalize());
        let trailer = json!({"end_of_backup": true, "rows": rows, "sha256": digest});
        self.buf.clear();
        serde_json::to_writer(&mut self.buf, &trailer)?;
        self.buf.push(b'\n');
        self.out.write_all(&self.buf)?;
        Ok(self.out)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What a line of a backup holds.
#[derive(Debug, PartialEq)]
pub enum Item {
    Table {
        name: String,
        columns: Vec<String>,
    },
    Row(Vec<Cell>),
    End {
        name: String,
        rows: u64,
    },
    /// The trailer checked out: every line arrived unchanged.
    Done {
        rows: u64,
    },
}

/// Reads a backup line by line, checking the digest at the end.
pub struct Reader<R: BufRead> {
    input: R,
    digest: Sha256,
    line: u64,
    buf: Vec<u8>,
    finished: bool,
}

impl<R: BufRead> Reader<R> {
    /// Reads and checks the header.
    pub fn open(input: R) -> Result<(Header, Reader<R>), FormatError> {
        let mut r = Reader {
            input,
            digest: Sha256::new(),
            line: 0,
            buf: Vec::new(),
            finished: false,
        };
        let first = r
            .next_line()?
            .ok_or_else(|| FormatError::bad(1, "the file is empty"))?;
        let header: Header = serde_json::from_slice(&first)
            .map_err(|_| FormatError::bad(1, "this is not a Rapport backup"))?;
        if header.format != FORMAT {
            return Err(FormatError::bad(1, "this is not a Rapport backup"));
        }
        if header.version != VERSION {
            return Err(FormatError::bad(
                1,
                format!(
                    "backup format version {} is not supported (this Rapport reads version {VERSION})",
                    header.version
                ),
            ));
        }
        Ok((header, r))
    }

    pub fn line_number(&self) -> u64 {
        self.line
    }

    /// The next raw line, without its newline, added to the digest. Bounded by [`MAX_LINE`].
    fn next_line(&mut self) -> Result<Option<Vec<u8>>, FormatError> {
        self.buf.clear();
        loop {
            let available = self.input.fill_buf()?;
            if available.is_empty() {
                if self.buf.is_empty() {
                    return Ok(None);
                }
                return Err(FormatError::bad(
                    self.line + 1,
                    "the file ends in the middle of a line (truncated?)",
                ));
            }
            let (chunk, done) = match available.iter().position(|b| *b == b'\n') {
                Some(i) => (&available[..=i], true),
                None => (available, false),
            };
            if self.buf.len() + chunk.len() > MAX_LINE {
                return Err(FormatError::bad(
                    self.line + 1,
                    format!("the line is longer than {} MiB", MAX_LINE / (1024 * 1024)),
                ));
            }
            self.buf.extend_from_slice(chunk);
            let used = chunk.len();
            self.input.consume(used);
            if done {
                break;
            }
        }
        self.line += 1;
        let mut line = std::mem::take(&mut self.buf);
        let is_trailer = line.starts_with(b"{\"end_of_backup\"");
        if !is_trailer {
            self.digest.update(&line);
        }
        line.pop();
        Ok(Some(line))
    }

    /// The next item, or `None` after the trailer.
    pub fn next_item(&mut self) -> Result<Option<Item>, FormatError> {
        if self.finished {
            return Ok(None);
        }
        let line = self.line;
        let Some(raw) = self.next_line()? else {
            return Err(FormatError::bad(
                line + 1,
                "the file ends before the end-of-backup line (truncated?)",
            ));
        };
        let n = self.line;
        let value: Json = serde_json::from_slice(&raw)
            .map_err(|e| FormatError::bad(n, format!("not valid JSON: {e}")))?;
        match value {
            Json::Array(cells) => {
                let row = cells
                    .into_iter()
                    .enumerate()
                    .map(|(i, c)| {
                        cell_from_json(c)
                            .map_err(|m| FormatError::bad(n, format!("cell {}: {m}", i + 1)))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Some(Item::Row(row)))
            }
            Json::Object(map) => {
                if let Some(name) = map.get("table").and_then(Json::as_str) {
                    let columns = map
                        .get("columns")
                        .and_then(Json::as_array)
                        .ok_or_else(|| FormatError::bad(n, "a table line needs its columns"))?
                        .iter()
                        .map(|c| c.as_str().map(str::to_owned))
                        .collect::<Option<Vec<_>>>()
                        .ok_or_else(|| FormatError::bad(n, "column names must be strings"))?;
                    return Ok(Some(Item::Table {
                        name: name.to_owned(),
                        columns,
                    }));
                }
                if let Some(name) = map.get("end").and_then(Json::as_str) {
                    let rows = map
                        .get("rows")
                        .and_then(Json::as_u64)
                        .ok_or_else(|| FormatError::bad(n, "an end line needs its row count"))?;
                    return Ok(Some(Item::End {
                        name: name.to_owned(),
                        rows,
                    }));
                }
                if map.get("end_of_backup") == Some(&Json::Bool(true)) {
                    let expected = map.get("sha256").and_then(Json::as_str).unwrap_or("");
                    let actual = hex(&self.digest.clone().finalize());
                    if expected != actual {
                        return Err(FormatError::bad(
                            n,
                            "the checksum does not match: the file was changed or damaged",
                        ));
                    }
                    self.finished = true;
                    let rows = map.get("rows").and_then(Json::as_u64).unwrap_or(0);
                    return Ok(Some(Item::Done { rows }));
                }
                Err(FormatError::bad(n, "unknown line"))
            }
            _ => Err(FormatError::bad(n, "unknown line")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> Header {
        Header {
            format: FORMAT.to_owned(),
            version: VERSION,
            rapport: "0.1.0".to_owned(),
            schema: 2,
            backend: "sqlite".to_owned(),
            created_at: "2026-11-23T00:00:00Z".to_owned(),
            tables: vec!["t".to_owned()],
        }
    }

    fn cells() -> Vec<Cell> {
        vec![
            Cell::Null,
            Cell::Int(-7),
            Cell::Float(1.5),
            Cell::Text("Łódź \"quoted\"\nline".to_owned()),
            Cell::Bytes(vec![0, 255, 10]),
            Cell::Bool(true),
            Cell::Uuid(Uuid::from_u128(42)),
            Cell::Ts(1_795_392_000_123_456),
            Cell::Date("2026-11-23".to_owned()),
            Cell::Json(json!({"a": [1, "b"]})),
        ]
    }

    fn written() -> Vec<u8> {
        let mut w = Writer::new(Vec::new());
        w.header(&header()).unwrap();
        w.begin_table("t", &["a".to_owned()]).unwrap();
        w.row(&cells()).unwrap();
        w.end_table("t", 1).unwrap();
        w.finish(1).unwrap()
    }

    fn read_all(bytes: &[u8]) -> Result<Vec<Item>, FormatError> {
        let (_, mut r) = Reader::open(bytes)?;
        let mut items = Vec::new();
        while let Some(i) = r.next_item()? {
            items.push(i);
        }
        Ok(items)
    }

    #[test]
    fn every_cell_type_survives_the_round_trip() {
        for c in cells() {
            assert_eq!(cell_from_json(cell_to_json(&c)).unwrap(), c);
        }
        let items = read_all(&written()).unwrap();
        assert_eq!(items[1], Item::Row(cells()));
        assert_eq!(items.last().unwrap(), &Item::Done { rows: 1 });
    }

    #[test]
    fn a_truncated_file_is_refused_with_where_it_ends() {
        let bytes = written();
        // Cut inside the trailer, then right before it.
        for cut in [bytes.len() - 5, bytes.len() - 80] {
            let err = read_all(&bytes[..cut]).unwrap_err().to_string();
            assert!(err.contains("truncated") || err.contains("JSON"), "{err}");
        }
        let lines: Vec<&[u8]> = bytes.split_inclusive(|b| *b == b'\n').collect();
        let without_trailer: Vec<u8> = lines[..lines.len() - 1].concat();
        let err = read_all(&without_trailer).unwrap_err().to_string();
        assert!(err.contains("before the end-of-backup line"), "{err}");
    }

    #[test]
    fn an_edited_row_fails_the_checksum() {
        let text = String::from_utf8(written()).unwrap().replace("-7", "-8");
        let err = read_all(text.as_bytes()).unwrap_err().to_string();
        assert!(err.contains("checksum"), "{err}");
    }

    #[test]
    fn other_files_are_not_mistaken_for_backups() {
        for junk in [
            &b""[..],
            b"hello\n",
            b"{\"format\":\"other\"}\n",
            b"\x1f\x8b\x08\x00",
        ] {
            assert!(Reader::open(junk).is_err());
        }
        let mut newer = header();
        newer.version = 99;
        let mut w = Writer::new(Vec::new());
        w.header(&newer).unwrap();
        let err = Reader::open(&w.finish(0).unwrap()[..])
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("version 99"), "{err}");
    }

    #[test]
    fn bad_cells_name_their_line_and_position() {
        let mut text = String::from_utf8(written()).unwrap();
        text = text.replace(
            "{\"u\":\"00000000-0000-0000-0000-00000000002a\"}",
            "{\"u\":\"nope\"}",
        );
        let err = read_all(text.as_bytes()).unwrap_err().to_string();
        assert!(err.starts_with("line 3: cell 7"), "{err}");
    }

    #[test]
    fn an_endless_line_is_refused_without_reading_it_all() {
        struct Endless;
        impl io::Read for Endless {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                buf.fill(b'x');
                Ok(buf.len())
            }
        }
        let err = Reader::open(io::BufReader::new(Endless))
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("longer than"), "{err}");
    }
}
