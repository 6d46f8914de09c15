//! The CSV dialect of imports and exports, as pure functions.
//!
//! * Reading: RFC 4180 with the leniency real files need — a UTF-8 byte order mark is
//!   dropped, records end at LF, CRLF or a lone CR (mixed in one file is fine), quoted fields
//!   may hold delimiters, quotes (`""`) and line breaks, blank lines are skipped. The parser
//!   is fed bytes in chunks and keeps at most one record, so memory stays bounded whatever
//!   the file: a record longer than [`Limits::max_record_bytes`] or wider than
//!   [`Limits::max_columns`] is reported (and skipped) without being held. A NUL byte or
//!   invalid UTF-8 makes that record bad, named by the line it starts on.
//! * Writing: fields with a delimiter, quote, CR or LF, or leading/trailing spaces, are
//!   quoted; records end with CRLF.
//! * Formula neutralisation (SECURITY.md S9): see [`neutralise`] and [`unneutralise`].
//! * Header mapping: headers match field names and labels ignoring case, diacritics,
//!   spaces and punctuation (see [`header_key`]).

use std::borrow::Cow;

use serde_json::Value as Json;

use crate::catalogue::{self, Field, Kind};
use crate::custom::CustomKind;
use crate::object::ObjectType;

/// Caps that keep a hostile file from exhausting memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub max_columns: usize,
    pub max_record_bytes: usize,
}

impl Limits {
    pub const DEFAULT: Limits = Limits {
        max_columns: 500,
        max_record_bytes: 1024 * 1024,
    };
}

/// Why a record of the file cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BadRecord {
    TooManyColumns { max: usize },
    TooLong { max: usize },
    Nul,
    InvalidUtf8,
}

impl std::fmt::Display for BadRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BadRecord::TooManyColumns { max } => {
                write!(f, "has more than {max} columns (the limit)")
            }
            BadRecord::TooLong { max } => write!(
                f,
                "is longer than {} KiB (the limit for one record)",
                max / 1024
            ),
            BadRecord::Nul => f.write_str("contains a NUL byte"),
            BadRecord::InvalidUtf8 => f.write_str("is not valid UTF-8 (save the file as UTF-8)"),
        }
    }
}

/// One record of the file, or why it cannot be read. `line` is the physical line (1-based)
/// the record starts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    Record { line: u64, fields: Vec<String> },
    Bad { line: u64, problem: BadRecord },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// At the start of a field.
    FieldStart,
    Unquoted,
    Quoted,
    /// Just read a quote inside a quoted field: either `""` or the closing quote.
    QuoteInQuoted,
    /// Just read a CR that ended a record; a following LF belongs to it.
    AfterCr,
}

/// A streaming CSV reader: feed it chunks, collect events.
#[derive(Debug)]
pub struct Parser {
    limits: Limits,
    state: State,
    field: Vec<u8>,
    fields: Vec<Vec<u8>>,
    record_bytes: usize,
    line: u64,
    record_line: u64,
    bad: Option<BadRecord>,
    started: bool,
    bom_checked: bool,
    bom_buf: Vec<u8>,
    /// The previous byte was a CR inside quotes (a following LF is the same line break).
    cr_in_quotes: bool,
}

impl Parser {
    pub fn new(limits: Limits) -> Self {
        Parser {
            limits,
            state: State::FieldStart,
            field: Vec::new(),
            fields: Vec::new(),
            record_bytes: 0,
            line: 1,
            record_line: 1,
            bad: None,
            started: false,
            bom_checked: false,
            bom_buf: Vec::new(),
            cr_in_quotes: false,
        }
    }

    /// Parses `chunk`, appending complete records to `out`.
    pub fn feed(&mut self, chunk: &[u8], out: &mut Vec<Event>) {
        let mut chunk = chunk;
        let joined;
        if !self.bom_checked {
            self.bom_buf.extend_from_slice(chunk);
            if self.bom_buf.len() < 3 && b"\xEF\xBB\xBF".starts_with(&self.bom_buf) {
                return;
            }
            self.bom_checked = true;
            let buf = std::mem::take(&mut self.bom_buf);
            let start = if buf.starts_with(b"\xEF\xBB\xBF") {
                3
            } else {
                0
            };
            joined = buf;
            chunk = &joined[start..];
        }
        for &b in chunk {
            self.byte(b, out);
        }
    }

    /// Ends the input: the last record, if it had no line break.
    pub fn finish(&mut self, out: &mut Vec<Event>) {
        if !self.bom_checked {
            self.bom_checked = true;
            let buf = std::mem::take(&mut self.bom_buf);
            for b in buf {
                self.byte(b, out);
            }
        }
        if self.started {
            self.end_record(out);
        }
    }

    fn push_byte(&mut self, b: u8) {
        self.record_bytes += 1;
        if self.bad.is_some() {
            return;
        }
        if self.record_bytes > self.limits.max_record_bytes {
            self.bad = Some(BadRecord::TooLong {
                max: self.limits.max_record_bytes,
            });
            self.field = Vec::new();
            self.fields = Vec::new();
            return;
        }
        self.field.push(b);
    }

    fn end_field(&mut self) {
        if self.bad.is_some() {
            self.field.clear();
            return;
        }
        if self.fields.len() >= self.limits.max_columns {
            self.bad = Some(BadRecord::TooManyColumns {
                max: self.limits.max_columns,
            });
            self.field = Vec::new();
            self.fields = Vec::new();
            return;
        }
        self.fields.push(std::mem::take(&mut self.field));
    }

    fn end_record(&mut self, out: &mut Vec<Event>) {
        self.end_field();
        let line = self.record_line;
        let fields = std::mem::take(&mut self.fields);
        let event = match self.bad.take() {
            Some(problem) => Event::Bad { line, problem },
            None => decode(line, fields),
        };
        out.push(event);
        self.reset();
    }

    fn reset(&mut self) {
        self.started = false;
        self.record_bytes = 0;
        self.field.clear();
        self.fields.clear();
        self.bad = None;
        self.state = State::FieldStart;
    }

    fn begin(&mut self) {
        if !self.started {
            self.started = true;
            self.record_line = self.line;
        }
    }

    fn byte(&mut self, b: u8, out: &mut Vec<Event>) {
        if self.state == State::AfterCr {
            self.state = State::FieldStart;
            if b == b'\n' {
                return;
            }
        }
        match self.state {
            State::FieldStart | State::Unquoted => match b {
                b'\n' | b'\r' => {
                    if self.started || self.state == State::Unquoted {
                        self.end_record(out);
                    }
                    self.line += 1;
                    if b == b'\r' {
                        self.state = State::AfterCr;
                    }
                }
                b',' => {
                    self.begin();
                    self.end_field();
                    self.state = State::FieldStart;
                }
                b'"' if self.state == State::FieldStart => {
                    self.begin();
                    self.state = State::Quoted;
                }
                _ => {
                    self.begin();
                    self.push_byte(b);
                    self.state = State::Unquoted;
                }
            },
            State::Quoted => {
                if b == b'"' {
                    self.cr_in_quotes = false;
                    self.state = State::QuoteInQuoted;
                    return;
                }
                match b {
                    b'\r' => self.line += 1,
                    b'\n' if !self.cr_in_quotes => self.line += 1,
                    _ => {}
                }
                self.cr_in_quotes = b == b'\r';
                self.push_byte(b);
            }
            State::QuoteInQuoted => {
                match b {
                    b'"' => {
                        self.push_byte(b'"');
                        self.state = State::Quoted;
                    }
                    b',' => {
                        self.end_field();
                        self.state = State::FieldStart;
                    }
                    b'\n' | b'\r' => {
                        self.end_record(out);
                        self.line += 1;
                        if b == b'\r' {
                            self.state = State::AfterCr;
                        }
                    }
                    other => {
                        // Text after a closing quote: kept, as spreadsheets do.
                        self.push_byte(other);
                        self.state = State::Unquoted;
                    }
                }
            }
            State::AfterCr => {}
        }
    }
}

fn decode(line: u64, fields: Vec<Vec<u8>>) -> Event {
    let mut out = Vec::with_capacity(fields.len());
    for f in fields {
        if f.contains(&0) {
            return Event::Bad {
                line,
                problem: BadRecord::Nul,
            };
        }
        match String::from_utf8(f) {
            Ok(s) => out.push(s),
            Err(_) => {
                return Event::Bad {
                    line,
                    problem: BadRecord::InvalidUtf8,
                };
            }
        }
    }
    Event::Record { line, fields: out }
}

/// Parses a whole text at once (tests and small inputs).
pub fn parse_all(input: &[u8], limits: Limits) -> Vec<Event> {
    let mut p = Parser::new(limits);
    let mut out = Vec::new();
    p.feed(input, &mut out);
    p.finish(&mut out);
    out
}

/// Appends one record, quoted where needed and ended with CRLF.
pub fn write_record<S: AsRef<str>>(out: &mut String, fields: &[S]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let f = f.as_ref();
        let quote = f.contains([',', '"', '\r', '\n'])
            || f.starts_with(' ')
            || f.ends_with(' ')
            || f.starts_with('\u{feff}')
            || (i == 0 && fields.len() == 1 && f.is_empty());
        if quote {
            out.push('"');
            for c in f.chars() {
                if c == '"' {
                    out.push('"');
                }
                out.push(c);
            }
            out.push('"');
        } else {
            out.push_str(f);
        }
    }
    out.push_str("\r\n");
}

// ---------------------------------------------------------------------------------------
// Formula neutralisation

/// A plain decimal number, optionally signed, optionally followed by a currency code
/// (`-12.50`, `+3`, `1e5`, `-1234.50 EUR`).
fn is_number(s: &str) -> bool {
    let s = s.trim();
    let s = match s.rsplit_once(' ') {
        Some((n, code)) if code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase()) => n,
        _ => s,
    };
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mantissa, exponent) = match body.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (body, None),
    };
    let digits = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((i, f)) => digits(i) && digits(f),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

/// A phone number as people write one: `+`, digits, spaces, dots, dashes and parentheses,
/// with at least five digits.
fn is_phone(s: &str) -> bool {
    let s = s.trim();
    s.starts_with(['+', '-'])
        && s.chars().filter(char::is_ascii_digit).count() >= 5
        && s[1..]
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')'))
}

/// Whether a spreadsheet could run this cell as a formula.
fn triggers(s: &str) -> bool {
    if s.starts_with(['\t', '\r']) {
        return true;
    }
    let t = s.trim_start();
    match t.chars().next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => !(is_number(t) || is_phone(t)),
        _ => false,
    }
}

/// Whether [`neutralise`] prefixes `s`: a cell a spreadsheet could run as a formula (it
/// starts — possibly after spaces — with `=` or `@`, or with a tab or CR, or with `+` or `-`
/// unless the whole cell is a number or a phone number), or a cell that would itself look
/// like a neutralised one (`'` followed by such a cell), so that stripping stays exact.
pub fn needs_prefix(s: &str) -> bool {
    triggers(s) || s.strip_prefix('\'').is_some_and(needs_prefix)
}

/// Prefixes a dangerous text cell with `'` (OWASP / ASVS 1.2.10).
pub fn neutralise(s: &str) -> Cow<'_, str> {
    if needs_prefix(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// Removes exactly the prefix [`neutralise`] adds: a leading `'` is dropped only when the
/// rest would itself have been prefixed. `unneutralise(neutralise(s)) == s` for every `s`;
/// a `'` that a person typed before ordinary text stays.
pub fn unneutralise(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if needs_prefix(rest) => rest,
        _ => s,
    }
}

// ---------------------------------------------------------------------------------------
// Headers

/// A header reduced for matching: folded (case and Latin diacritics), letters and digits only.
pub fn header_key(header: &str) -> String {
    crate::fold::fold(header)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// A field's label as people write it in a spreadsheet: `first_name` → "First name",
/// `address.city` → "Address city", `tag_ids` → "Tags".
pub fn label(field: &str) -> String {
    let base = match field {
        "tag_ids" => "tags",
        "owner_id" => "owner",
        other => other,
    };
    let spaced = base.replace(['_', '.'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// What a column of an import is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Column {
    Field(&'static Field),
    Custom(String),
}

/// Other names people give the columns of an object (keys as from [`header_key`]).
fn alias(object: ObjectType, key: &str) -> Option<&'static str> {
    let contact = object == ObjectType::Contact;
    Some(match key {
        "email" | "emailaddress" | "mail" if contact => "emails",
        "emails" | "emailaddresses" if contact => "emails",
        "phone" | "telephone" | "phonenumber" | "mobile" if contact => "phones",
        "tags" | "tag" => "tag_ids",
        "owner" => "owner_id",
        "company" if object == ObjectType::Lead => "company_name",
        "companyname" if object == ObjectType::Company => "name",
        _ => return None,
    })
}

/// The column a header names: a field by name or label, an alias, or `custom.key` / a
/// custom field's key. `None` when nothing matches.
pub fn resolve_header(object: ObjectType, header: &str, custom_keys: &[String]) -> Option<Column> {
    let h = header.trim();
    if let Some(f) = catalogue::find(object, h) {
        return Some(Column::Field(f));
    }
    if let Some(key) = h.strip_prefix("custom.")
        && custom_keys.iter().any(|k| k == key)
    {
        return Some(Column::Custom(key.to_owned()));
    }
    let key = header_key(h);
    if key.is_empty() {
        return None;
    }
    if let Some(name) = alias(object, &key) {
        return catalogue::find(object, name).map(Column::Field);
    }
    if let Some(f) = catalogue::all_fields(object).find(|f| header_key(f.name) == key) {
        return Some(Column::Field(f));
    }
    let custom_key = key.strip_prefix("custom").unwrap_or(&key);
    custom_keys
        .iter()
        .find(|k| header_key(k) == key || header_key(k) == custom_key)
        .map(|k| Column::Custom(k.clone()))
}

// ---------------------------------------------------------------------------------------
// Cells

/// Splits a list cell (`a@b.example; c@d.example`) into its entries.
pub fn split_list(cell: &str) -> Vec<String> {
    cell.split([';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A boolean as spreadsheets write them.
pub fn parse_bool(cell: &str) -> Option<bool> {
    match cell.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" => Some(true),
        "false" | "no" | "n" | "0" => Some(false),
        _ => None,
    }
}

/// Money as `1234.50 EUR`, `EUR 1234.50` or a bare amount: (amount, currency).
pub fn split_money(cell: &str) -> (String, Option<String>) {
    let t = cell.trim();
    let is_code = |s: &str| s.len() == 3 && s.chars().all(|c| c.is_ascii_alphabetic());
    if let Some((a, b)) = t.split_once(char::is_whitespace) {
        let (a, b) = (a.trim(), b.trim());
        if is_code(b) {
            return (a.to_owned(), Some(b.to_ascii_uppercase()));
        }
        if is_code(a) {
            return (b.to_owned(), Some(a.to_ascii_uppercase()));
        }
    }
    (t.to_owned(), None)
}

/// Whether a kind is written as a JSON text in a cell (structured lists).
pub fn is_json_kind(kind: Kind) -> bool {
    matches!(kind, Kind::Roles(_) | Kind::Links)
}

/// The JSON a cell stands for, in the shape the record parser takes for `field` (so every
/// rule of the API applies to imports too). Empty cells are `null`, which clears a field.
/// Tags come back as a list of the names (or ids) written in the cell, for the caller to
/// resolve. Values that cannot be converted stay text, for the field parser to reject with
/// its usual message.
pub fn cell_json(kind: Kind, cell: &str) -> Json {
    let t = cell.trim();
    if t.is_empty() {
        return Json::Null;
    }
    let list_or_json = |t: &str| {
        if t.starts_with('[') {
            serde_json::from_str(t).unwrap_or_else(|_| Json::String(t.to_owned()))
        } else {
            Json::Array(split_list(t).into_iter().map(Json::String).collect())
        }
    };
    match kind {
        Kind::Integer { .. } => t
            .parse::<i64>()
            .map(Json::from)
            .unwrap_or_else(|_| Json::String(t.to_owned())),
        Kind::Bool => parse_bool(t).map_or_else(|| Json::String(t.to_owned()), Json::Bool),
        Kind::Money => {
            let (amount, currency) = split_money(t);
            let mut m = serde_json::Map::new();
            m.insert("amount".into(), Json::String(amount));
            if let Some(c) = currency {
                m.insert("currency".into(), Json::String(c));
            }
            Json::Object(m)
        }
        Kind::Emails | Kind::Phones | Kind::Tags => list_or_json(t),
        Kind::Roles(_) | Kind::Links => {
            serde_json::from_str(t).unwrap_or_else(|_| Json::String(t.to_owned()))
        }
        // Long text keeps its inner line breaks and spacing; the parser trims the ends.
        Kind::LongText { .. } => Json::String(cell.to_owned()),
        _ => Json::String(t.to_owned()),
    }
}

/// The JSON of a custom field's cell.
pub fn custom_cell_json(kind: CustomKind, cell: &str) -> Json {
    let t = cell.trim();
    if t.is_empty() {
        return Json::Null;
    }
    match kind {
        CustomKind::Number => t
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| Json::String(t.to_owned()), Json::Number),
        CustomKind::Bool => parse_bool(t).map_or_else(|| Json::String(t.to_owned()), Json::Bool),
        _ => Json::String(t.to_owned()),
    }
}

/// The cell of a field, from the field's JSON as rendered for the caller. Tags must already
/// be names (a list of strings). `null` and empty lists are empty cells.
pub fn field_cell(kind: Kind, v: &Json) -> String {
    match (kind, v) {
        (_, Json::Null) => String::new(),
        (_, Json::Array(items)) if items.is_empty() => String::new(),
        (_, Json::String(s)) => s.clone(),
        (_, Json::Bool(b)) => b.to_string(),
        (_, Json::Number(n)) => n.to_string(),
        (Kind::Money, Json::Object(m)) => {
            let amount = m.get("amount").and_then(Json::as_str).unwrap_or("");
            match m.get("currency").and_then(Json::as_str) {
                Some(c) => format!("{amount} {c}"),
                None => amount.to_owned(),
            }
        }
        (Kind::Emails | Kind::Phones, Json::Array(items)) => {
            // `a; b` when that says everything (no labels, the first entry primary and the
            // others not, no separator inside a value); the JSON list otherwise.
            let simple = items.iter().enumerate().all(|(i, e)| {
                e.get("label").is_none_or(Json::is_null)
                    && e.get("primary").and_then(Json::as_bool).unwrap_or(false) == (i == 0)
                    && e.get("value")
                        .and_then(Json::as_str)
                        .is_some_and(|s| !s.contains([';', '\n']) && s.trim() == s)
            });
            if simple {
                items
                    .iter()
                    .filter_map(|e| e.get("value").and_then(Json::as_str))
                    .collect::<Vec<_>>()
                    .join("; ")
            } else {
                Json::Array(items.clone()).to_string()
            }
        }
        (Kind::Tags, Json::Array(items)) => {
            let names: Vec<&str> = items.iter().filter_map(Json::as_str).collect();
            if names
                .iter()
                .all(|n| !n.contains([';', '\n']) && n.trim() == *n)
            {
                names.join("; ")
            } else {
                Json::Array(items.clone()).to_string()
            }
        }
        (_, other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn records(input: &str) -> Vec<Event> {
        parse_all(input.as_bytes(), Limits::DEFAULT)
    }

    fn rec(line: u64, fields: &[&str]) -> Event {
        Event::Record {
            line,
            fields: fields.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn records_split_on_any_line_ending_and_quotes_keep_everything() {
        let got = records("\u{feff}a,b\r\n1,\"x,\"\"y\"\"\nz\"\n\n2,3\r4,5");
        assert_eq!(
            got,
            vec![
                rec(1, &["a", "b"]),
                rec(2, &["1", "x,\"y\"\nz"]),
                rec(5, &["2", "3"]),
                rec(6, &["4", "5"]),
            ]
        );
    }

    #[test]
    fn a_crlf_inside_quotes_counts_as_one_line() {
        let got = records("a\r\n\"x\r\ny\"\r\nb\r\n");
        assert_eq!(
            got,
            vec![rec(1, &["a"]), rec(2, &["x\r\ny"]), rec(4, &["b"])]
        );
    }

    #[test]
    fn a_bom_split_across_chunks_is_still_dropped() {
        let mut p = Parser::new(Limits::DEFAULT);
        let mut out = Vec::new();
        p.feed(b"\xEF", &mut out);
        p.feed(b"\xBB\xBFname\n", &mut out);
        p.finish(&mut out);
        assert_eq!(out, vec![rec(1, &["name"])]);
    }

    #[test]
    fn nul_bytes_and_bad_utf8_spoil_only_their_record() {
        let got = parse_all(b"a\nx\0y\n\xff\xfe\nok\n", Limits::DEFAULT);
        assert_eq!(
            got,
            vec![
                rec(1, &["a"]),
                Event::Bad {
                    line: 2,
                    problem: BadRecord::Nul
                },
                Event::Bad {
                    line: 3,
                    problem: BadRecord::InvalidUtf8
                },
                rec(4, &["ok"]),
            ]
        );
    }

    #[test]
    fn too_wide_and_too_long_records_are_refused_and_skipped() {
        let limits = Limits {
            max_columns: 3,
            max_record_bytes: 10,
        };
        let got = parse_all(b"a,b,c,d\n\"0123456789abc\ndef\"\nok\n", limits);
        assert_eq!(
            got,
            vec![
                Event::Bad {
                    line: 1,
                    problem: BadRecord::TooManyColumns { max: 3 }
                },
                Event::Bad {
                    line: 2,
                    problem: BadRecord::TooLong { max: 10 }
                },
                rec(4, &["ok"]),
            ]
        );
    }

    #[test]
    fn written_records_read_back_identically() {
        let fields = [
            "plain",
            "with,comma",
            "with \"quote\"",
            "multi\nline",
            " pad ",
            "",
        ];
        let mut out = String::new();
        write_record(&mut out, &fields);
        write_record(&mut out, &[""]);
        assert_eq!(
            records(&out),
            vec![rec(1, &fields), rec(3, &[""])],
            "{out:?}"
        );
    }

    #[test]
    fn neutralisation_table() {
        let cases = [
            ("=1+1", "'=1+1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("  =cmd|' /C calc'!A0", "'  =cmd|' /C calc'!A0"),
            ("+cmd", "'+cmd"),
            ("-2+3", "'-2+3"),
            ("-12.50", "-12.50"),
            ("-1234.50 EUR", "-1234.50 EUR"),
            ("+48 601 234 567", "+48 601 234 567"),
            ("+48601234567", "+48601234567"),
            ("'=x", "''=x"),
            ("'plain", "'plain"),
            ("Anna", "Anna"),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(neutralise(input), want, "{input:?}");
            assert_eq!(unneutralise(want), input, "{want:?}");
        }
    }

    #[test]
    fn headers_match_names_labels_and_aliases() {
        use ObjectType::*;
        let custom = vec!["tier".to_owned()];
        let name = |o, h: &str| match resolve_header(o, h, &custom) {
            Some(Column::Field(f)) => f.name.to_owned(),
            Some(Column::Custom(k)) => format!("custom.{k}"),
            None => "-".to_owned(),
        };
        assert_eq!(name(Contact, "First Name"), "first_name");
        assert_eq!(name(Contact, "FIRST-NAME"), "first_name");
        assert_eq!(name(Contact, "E-mail"), "emails");
        assert_eq!(name(Contact, "Address City"), "address.city");
        assert_eq!(name(Contact, "address.city"), "address.city");
        assert_eq!(name(Contact, "Tags"), "tag_ids");
        assert_eq!(name(Contact, "custom.tier"), "custom.tier");
        assert_eq!(name(Contact, "Tier"), "custom.tier");
        assert_eq!(name(Company, "Nàme"), "name");
        assert_eq!(name(Lead, "email"), "email");
        assert_eq!(name(Contact, "workspace_id"), "-");
        assert_eq!(name(Contact, "Owner"), "owner_id");
        assert_eq!(label("first_name"), "First name");
        assert_eq!(label("address.city"), "Address city");
    }

    #[test]
    fn money_and_booleans_read_as_people_write_them() {
        assert_eq!(
            split_money("1234.50 eur"),
            ("1234.50".into(), Some("EUR".into()))
        );
        assert_eq!(split_money("PLN 10"), ("10".into(), Some("PLN".into())));
        assert_eq!(split_money("10"), ("10".into(), None));
        assert_eq!(parse_bool("Yes"), Some(true));
        assert_eq!(parse_bool("maybe"), None);
    }

    #[test]
    fn cells_round_trip_through_their_json() {
        use serde_json::json;
        let cases: Vec<(Kind, Json)> = vec![
            (Kind::Integer { min: 0, max: 10 }, json!(7)),
            (Kind::Bool, json!(false)),
            (
                Kind::Money,
                json!({"amount": "-1234.50", "currency": "EUR"}),
            ),
            (
                Kind::Emails,
                json!([{"value": "a@b.example", "label": null, "primary": true}]),
            ),
            (
                Kind::Emails,
                json!([{"value": "a@b.example", "label": "work", "primary": false}, {"value": "c@d.example", "label": null, "primary": true}]),
            ),
            (Kind::Tags, json!(["vip", "key account"])),
            (Kind::Tags, json!(["semi;colon"])),
            (Kind::LongText { max: 100 }, json!("two\n  lines")),
        ];
        for (kind, v) in cases {
            let cell = field_cell(kind, &v);
            let back = cell_json(kind, &cell);
            let simple = |j: &Json| -> Json {
                match (kind, j) {
                    (Kind::Emails, Json::Array(items)) => Json::Array(
                        items
                            .iter()
                            .map(|e| e.get("value").cloned().unwrap_or(Json::Null))
                            .collect(),
                    ),
                    _ => j.clone(),
                }
            };
            if cell.starts_with('[') || kind != Kind::Emails {
                assert_eq!(back, v, "{kind:?} {cell:?}");
            } else {
                assert_eq!(back, simple(&v), "{kind:?} {cell:?}");
            }
        }
        assert_eq!(cell_json(Kind::Bool, ""), Json::Null);
        assert_eq!(cell_json(Kind::Integer { min: 0, max: 1 }, "x"), json!("x"));
        assert_eq!(custom_cell_json(CustomKind::Number, "2.5"), json!(2.5));
    }

    proptest! {
        #[test]
        fn unneutralising_a_neutralised_cell_gives_it_back(s in ".*") {
            let n = neutralise(&s);
            prop_assert_eq!(unneutralise(&n), s.as_str());
        }

        #[test]
        fn a_neutralised_cell_never_starts_a_formula(s in ".*") {
            let n = neutralise(&s);
            let t = n.trim_start();
            let dangerous = n.starts_with(['\t', '\r'])
                || t.starts_with(['=', '@'])
                || (t.starts_with(['+', '-']) && !(is_number(t) || is_phone(t)));
            prop_assert!(!dangerous, "{:?}", n);
        }

        #[test]
        fn any_record_written_reads_back(fields in proptest::collection::vec("[^\u{0}]*", 1..6)) {
            let mut out = String::new();
            write_record(&mut out, &fields);
            let got = parse_all(out.as_bytes(), Limits::DEFAULT);
            let expected: Vec<String> = fields.clone();
            // A lone empty field is a blank line unless quoted; write_record quotes it.
            prop_assert_eq!(got.len(), 1);
            match &got[0] {
                Event::Record { fields: f, .. } => prop_assert_eq!(f, &expected),
                other => prop_assert!(false, "{:?}", other),
            }
        }

        #[test]
        fn chunking_never_changes_the_result(input in proptest::collection::vec(any::<u8>(), 0..200), cut in 0usize..200) {
            let whole = parse_all(&input, Limits::DEFAULT);
            let cut = cut.min(input.len());
            let mut p = Parser::new(Limits::DEFAULT);
            let mut out = Vec::new();
            p.feed(&input[..cut], &mut out);
            p.feed(&input[cut..], &mut out);
            p.finish(&mut out);
            prop_assert_eq!(whole, out);
        }
    }
}
