//! Purchase history import (DESIGN §4.10): a file of (customer, date, amount) rows becomes
//! orders with `source = import`, and customers the workspace does not know yet become
//! contacts.
//!
//! The file is read as a stream, [`BATCH`] rows at a time: each batch looks its customer keys
//! up in one query, creates the missing contacts and writes its orders with multi-row
//! INSERTs. Memory stays bounded by the batch, whatever the file size. Everything happens in
//! one transaction, so by default an import is all or nothing: one bad row and nothing is
//! kept (every bad row is still reported, by line and column). With `skip_bad_rows` the good
//! rows are kept; with `dry_run` the transaction is always rolled back.
//!
//! Only admins import: matching rows to existing contacts by e-mail or external id must see
//! every contact of the workspace, and a reply that a key matched would otherwise tell a rep
//! about records they cannot see.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read};

use rapport_core::Id as _;
use rapport_core::audit::AuditAction;
use rapport_core::money::{Currency, Money};
use rapport_core::object::ObjectType;
use rapport_core::policy;
use rapport_core::record::{self, Mode};
use rapport_store::orders::{self, ContactKey, NewOrder};
use serde::Serialize;
use serde_json::{Map, Value as Json, json};
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::records::RecordContext;
use crate::write::Write;
use crate::{App, Caller};

/// Rows per batch: one key lookup and one round of INSERTs each.
pub const BATCH: usize = 5_000;
/// Bad rows reported in full; more are only counted.
pub const MAX_REPORTED_ERRORS: usize = 100;

/// The layout of the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportFormat {
    /// Comma-separated with a header row naming the columns (see [`import`]).
    Csv,
    /// The CDNOW sample of Fader & Hardie: whitespace-separated, no header, columns full
    /// cohort id, sample id, yyyymmdd, CDs, dollars. The sample id is the customer's
    /// external id, the CDs the quantity.
    Cdnow,
}

#[derive(Clone, Debug)]
pub struct ImportOptions {
    pub format: ImportFormat,
    pub customer_key: ContactKey,
    /// strftime-style (`%Y`, `%m`, `%d`, `%y`, `%b`; anything else literal). `%Y-%m-%d` when
    /// left out (`%Y%m%d` for CDNOW).
    pub date_format: Option<String>,
    pub dry_run: bool,
    pub skip_bad_rows: bool,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            format: ImportFormat::Csv,
            customer_key: ContactKey::ExternalId,
            date_format: None,
            dry_run: false,
            skip_bad_rows: false,
        }
    }
}

/// One bad row: the 1-based line of the file and the column at fault.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub line: u64,
    pub column: String,
    pub message: String,
}

/// What an import did (or, when not committed, would have done).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ImportReport {
    /// Data rows read (header excluded).
    pub rows: u64,
    /// Orders written.
    pub imported: u64,
    /// Bad rows (left out with `skip_bad_rows`; otherwise the reason nothing was kept).
    pub bad_rows: u64,
    pub contacts_created: u64,
    /// Whether the orders and contacts were kept.
    pub committed: bool,
    pub dry_run: bool,
    /// The first [`MAX_REPORTED_ERRORS`] bad rows.
    pub errors: Vec<RowError>,
    /// Header columns that were not understood and so not read.
    pub ignored_columns: Vec<String>,
}

fn row_error(line: u64, column: &str, message: impl Into<String>) -> RowError {
    RowError {
        line,
        column: column.to_owned(),
        message: message.into(),
    }
}

// ---- reading the file ----

/// A compiled date format.
struct DateFormat(Vec<time::format_description::OwnedFormatItem>);

impl DateFormat {
    fn compile(strftime: &str) -> Result<Self, String> {
        let mut spec = String::new();
        let mut chars = strftime.chars();
        while let Some(c) = chars.next() {
            match c {
                '%' => match chars.next() {
                    Some('Y') => spec.push_str("[year]"),
                    Some('y') => spec.push_str("[year repr:last_two]"),
                    Some('m') => spec.push_str("[month]"),
                    Some('d') => spec.push_str("[day]"),
                    Some('b') => spec.push_str("[month repr:short]"),
                    Some('%') => spec.push('%'),
                    other => {
                        return Err(format!(
                            "%{} is not supported; use %Y, %y, %m, %d, %b",
                            other.map(String::from).unwrap_or_default()
                        ));
                    }
                },
                '[' => spec.push_str("[["),
                c => spec.push(c),
            }
        }
        let item = time::format_description::parse_owned::<2>(&spec)
            .map_err(|e| format!("cannot use this date format: {e}"))?;
        Ok(Self(vec![item]))
    }

    fn parse(&self, raw: &str) -> Option<time::Date> {
        self.0
            .iter()
            .find_map(|f| time::Date::parse(raw.trim(), f).ok())
    }
}

/// Where each field sits in a record.
#[derive(Default)]
struct Layout {
    customer: usize,
    date: usize,
    amount: usize,
    quantity: Option<usize>,
    currency: Option<usize>,
    order_id: Option<usize>,
    first_name: Option<usize>,
    last_name: Option<usize>,
    email: Option<usize>,
}

impl Layout {
    const CDNOW: Layout = Layout {
        customer: 1,
        date: 2,
        amount: 4,
        quantity: Some(3),
        currency: None,
        order_id: None,
        first_name: None,
        last_name: None,
        email: None,
    };

    /// From a header row; unknown names are returned to report them.
    fn from_header(header: &[String]) -> Result<(Layout, Vec<String>), AppError> {
        let mut found: HashMap<&'static str, usize> = HashMap::new();
        let mut ignored = Vec::new();
        for (i, raw) in header.iter().enumerate() {
            let name = raw
                .trim()
                .trim_start_matches('\u{feff}')
                .to_ascii_lowercase();
            let canonical = match name.as_str() {
                "customer" | "customer_id" | "customer_key" => "customer",
                "date" | "ordered_at" | "order_date" => "date",
                "amount" | "total" | "value" => "amount",
                "quantity" | "qty" => "quantity",
                "currency" => "currency",
                "order_id" | "order" | "external_id" | "order_external_id" => "order_id",
                "first_name" => "first_name",
                "last_name" | "name" => "last_name",
                "email" | "e-mail" => "email",
                _ => {
                    ignored.push(raw.clone());
                    continue;
                }
            };
            found.entry(canonical).or_insert(i);
        }
        let missing: Vec<&str> = ["customer", "date", "amount"]
            .into_iter()
            .filter(|c| !found.contains_key(c))
            .collect();
        if !missing.is_empty() {
            return Err(AppError::invalid(rapport_core::FieldError::new(
                "file",
                rapport_core::ErrorCode::Required,
                format!(
                    "line 1: the header lacks the column(s) {}; it needs customer, date and amount",
                    missing.join(", ")
                ),
            )));
        }
        let layout = Layout {
            customer: found["customer"],
            date: found["date"],
            amount: found["amount"],
            quantity: found.get("quantity").copied(),
            currency: found.get("currency").copied(),
            order_id: found.get("order_id").copied(),
            first_name: found.get("first_name").copied(),
            last_name: found.get("last_name").copied(),
            email: found.get("email").copied(),
        };
        Ok((layout, ignored))
    }
}

/// A record and its line, or the line and message of a record that could not be read.
type Record = Result<(u64, Vec<String>), (u64, String)>;

/// Records of the file with their line numbers.
enum Records<R: Read> {
    Csv(csv::Reader<R>, csv::StringRecord),
    Whitespace(BufReader<R>, u64, String),
}

impl<R: Read> Records<R> {
    /// The next record: `(line, fields)`, or the line and message of a record that could not
    /// be read at all.
    fn next(&mut self) -> Option<Record> {
        match self {
            Records::Csv(reader, record) => match reader.read_record(record) {
                Ok(false) => None,
                Ok(true) => {
                    let line = record.position().map_or(0, |p| p.line());
                    Some(Ok((line, record.iter().map(str::to_owned).collect())))
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    let message = match e.kind() {
                        csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8".to_owned(),
                        csv::ErrorKind::UnequalLengths { .. } => {
                            "has a different number of fields than the header".to_owned()
                        }
                        _ => format!("cannot be read: {e}"),
                    };
                    Some(Err((line, message)))
                }
            },
            Records::Whitespace(reader, line, buf) => loop {
                buf.clear();
                *line += 1;
                match reader.read_line(buf) {
                    Ok(0) => return None,
                    Ok(_) => {
                        let fields: Vec<String> =
                            buf.split_whitespace().map(str::to_owned).collect();
                        if fields.is_empty() {
                            continue;
                        }
                        return Some(Ok((*line, fields)));
                    }
                    Err(e) => return Some(Err((*line, format!("cannot be read: {e}")))),
                }
            },
        }
    }
}

/// A row that parsed.
struct Row {
    line: u64,
    key: String,
    date: time::Date,
    amount_minor: i64,
    currency: Currency,
    quantity: Option<i64>,
    order_id: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
}

struct Parser {
    layout: Layout,
    dates: DateFormat,
    base: Currency,
    key: ContactKey,
}

impl Parser {
    fn parse(&self, line: u64, fields: &[String], errors: &mut Vec<RowError>) -> Option<Row> {
        let l = &self.layout;
        let get = |i: usize| fields.get(i).map(|s| s.trim()).filter(|s| !s.is_empty());
        let opt = |i: Option<usize>| i.and_then(get).map(str::to_owned);
        let before = errors.len();
        let key = match get(l.customer) {
            None => {
                errors.push(row_error(line, "customer", "is empty"));
                None
            }
            Some(k) if k.chars().count() > 200 => {
                errors.push(row_error(line, "customer", "is longer than 200 characters"));
                None
            }
            Some(k) => Some(match self.key {
                ContactKey::Email => k.to_lowercase(),
                ContactKey::ExternalId => k.to_owned(),
            }),
        };
        let date = match get(l.date) {
            None => {
                errors.push(row_error(line, "date", "is empty"));
                None
            }
            Some(raw) => {
                let d = self.dates.parse(raw);
                if d.is_none() {
                    errors.push(row_error(
                        line,
                        "date",
                        format!("{raw:?} does not match the date format"),
                    ));
                }
                d
            }
        };
        let currency = match opt(l.currency) {
            None => Some(self.base),
            Some(raw) => match Currency::parse("currency", &raw.to_ascii_uppercase()) {
                Ok(c) => Some(c),
                Err(_) => {
                    errors.push(row_error(
                        line,
                        "currency",
                        format!("{raw:?} is not an ISO 4217 currency code"),
                    ));
                    None
                }
            },
        };
        let amount = match (get(l.amount), currency) {
            (None, _) => {
                errors.push(row_error(line, "amount", "is empty"));
                None
            }
            (Some(_), None) => None,
            (Some(raw), Some(c)) => match Money::parse("amount", raw, c) {
                Ok(m) if m.minor < 0 => {
                    errors.push(row_error(line, "amount", "must not be negative"));
                    None
                }
                Ok(m) => Some(m.minor),
                Err(e) => {
                    errors.push(row_error(line, "amount", format!("{raw:?} {}", e.message)));
                    None
                }
            },
        };
        let quantity = match opt(l.quantity) {
            None => Some(None),
            Some(raw) => match raw.parse::<i64>() {
                Ok(q) if q >= 0 => Some(Some(q)),
                _ => {
                    errors.push(row_error(
                        line,
                        "quantity",
                        format!("{raw:?} is not a whole number of at least 0"),
                    ));
                    None
                }
            },
        };
        let order_id = opt(l.order_id);
        if order_id.as_ref().is_some_and(|o| o.chars().count() > 200) {
            errors.push(row_error(line, "order_id", "is longer than 200 characters"));
        }
        if errors.len() > before {
            return None;
        }
        Some(Row {
            line,
            key: key?,
            date: date?,
            amount_minor: amount?,
            currency: currency?,
            quantity: quantity?,
            order_id,
            first_name: opt(l.first_name),
            last_name: opt(l.last_name),
            email: opt(l.email),
        })
    }
}

// ---- the use case ----

/// Imports purchase history from `input`. CSV columns (header names, any order, case
/// ignored): `customer` (the contact's external id or e-mail, per `customer_key`), `date`,
/// `amount` (a decimal in the currency), and optionally `quantity`, `currency` (the
/// workspace's base currency when absent), `order_id` (the order's external id; an id
/// imported before is a bad row), `first_name`, `last_name`, `email` (used only for contacts
/// the import creates). `progress` is called after each batch with the rows read so far.
pub async fn import<R: Read + Send>(
    app: &App,
    caller: &Caller,
    input: R,
    options: &ImportOptions,
    progress: &mut (dyn FnMut(u64) + Send),
) -> AppResult<ImportReport> {
    let p = &caller.principal;
    policy::authorize_workspace_admin(p)?;
    let ctx = {
        let mut c = app.db.read().await?;
        RecordContext::load(&mut c, p, ObjectType::Contact).await?
    };
    let default_format = match options.format {
        ImportFormat::Csv => "%Y-%m-%d",
        ImportFormat::Cdnow => "%Y%m%d",
    };
    let dates = DateFormat::compile(options.date_format.as_deref().unwrap_or(default_format))
        .map_err(|m| {
            AppError::invalid(rapport_core::FieldError::new(
                "date_format",
                rapport_core::ErrorCode::InvalidFormat,
                m,
            ))
        })?;
    let (mut records, layout, ignored_columns) = match options.format {
        ImportFormat::Cdnow => (
            Records::Whitespace(BufReader::new(input), 0, String::new()),
            Layout::CDNOW,
            Vec::new(),
        ),
        ImportFormat::Csv => {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(true)
                .flexible(false)
                .from_reader(input);
            let header: Vec<String> = match reader.headers() {
                Ok(h) => h.iter().map(str::to_owned).collect(),
                Err(e) => {
                    return Err(AppError::invalid(rapport_core::FieldError::new(
                        "file",
                        rapport_core::ErrorCode::InvalidFormat,
                        format!("line 1: the header cannot be read: {e}"),
                    )));
                }
            };
            let (layout, ignored) = Layout::from_header(&header)?;
            (
                Records::Csv(reader, csv::StringRecord::new()),
                layout,
                ignored,
            )
        }
    };
    let parser = Parser {
        layout,
        dates,
        base: ctx.parse.base_currency,
        key: options.customer_key,
    };
    let mut report = ImportReport {
        rows: 0,
        imported: 0,
        bad_rows: 0,
        contacts_created: 0,
        committed: false,
        dry_run: options.dry_run,
        errors: Vec::new(),
        ignored_columns,
    };
    let mut w = Write::begin(
        app,
        p.workspace_id,
        rapport_core::audit::Actor::User(p.user_id),
        &caller.meta,
    )
    .await?;
    let mut batch: Vec<Row> = Vec::with_capacity(BATCH);
    let mut errors: Vec<RowError> = Vec::new();
    let mut done = false;
    while !done {
        batch.clear();
        while batch.len() < BATCH {
            match records.next() {
                None => {
                    done = true;
                    break;
                }
                Some(Err((line, message))) => {
                    report.rows += 1;
                    errors.push(row_error(line, "", message));
                }
                Some(Ok((line, fields))) => {
                    report.rows += 1;
                    if let Some(row) = parser.parse(line, &fields, &mut errors) {
                        batch.push(row);
                    }
                }
            }
            if errors.len() > 2 * BATCH {
                // Counted, not kept: a file of garbage must not fill memory.
                report.bad_rows += drain_errors(&mut report, &mut errors);
            }
        }
        write_batch(app, &mut w, &ctx, options, &batch, &mut report, &mut errors).await?;
        report.bad_rows += drain_errors(&mut report, &mut errors);
        progress(report.rows);
    }
    if report.rows == 0 {
        return Err(AppError::invalid(rapport_core::FieldError::new(
            "file",
            rapport_core::ErrorCode::Required,
            "has no data rows",
        )));
    }
    let keep = !options.dry_run && (report.bad_rows == 0 || options.skip_bad_rows);
    if keep {
        w.audit(
            AuditAction::RecordsBulkCreated,
            "order",
            None,
            Vec::new(),
            Some(json!({
                "source": "import",
                "orders": report.imported,
                "contacts": report.contacts_created,
                "bad_rows": report.bad_rows,
            })),
        )
        .await?;
        w.emit(
            "orders.imported",
            "workspace",
            p.workspace_id.as_uuid(),
            json!({"orders": report.imported, "contacts": report.contacts_created}),
        )
        .await?;
        w.commit().await?;
        report.committed = true;
        crate::imports::refresh_statistics_after(app, report.imported + report.contacts_created)
            .await;
    }
    Ok(report)
}

fn drain_errors(report: &mut ImportReport, errors: &mut Vec<RowError>) -> u64 {
    // One row can have several errors; count rows, report errors.
    let mut lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
    lines.dedup();
    let room = MAX_REPORTED_ERRORS.saturating_sub(report.errors.len());
    report.errors.extend(errors.drain(..).take(room));
    errors.clear();
    lines.len() as u64
}

/// Resolves the keys of one batch, creates missing contacts and writes the orders.
async fn write_batch(
    app: &App,
    w: &mut Write,
    ctx: &RecordContext,
    options: &ImportOptions,
    batch: &[Row],
    report: &mut ImportReport,
    errors: &mut Vec<RowError>,
) -> AppResult<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let mut keys: Vec<String> = batch.iter().map(|r| r.key.clone()).collect();
    keys.sort_unstable();
    keys.dedup();
    let mut known: HashMap<String, (Uuid, Option<Uuid>)> =
        orders::contacts_by_key(&mut w.tx, w.ws, options.customer_key, &keys)
            .await?
            .into_iter()
            .map(|k| (k.key, (k.contact_id, k.company_id)))
            .collect();
    let mut failed_keys: HashSet<&str> = HashSet::new();
    for row in batch {
        if known.contains_key(&row.key) || failed_keys.contains(row.key.as_str()) {
            continue;
        }
        match new_contact_body(ctx, options.customer_key, row) {
            Ok(changes) => {
                let custom: Map<String, Json> = changes
                    .custom
                    .into_iter()
                    .filter(|(_, v)| !v.is_null())
                    .collect();
                let id = crate::records::insert_in(app, w, ctx, changes.values, custom).await?;
                known.insert(row.key.clone(), (id, None));
                report.contacts_created += 1;
            }
            Err(message) => {
                failed_keys.insert(&row.key);
                errors.push(row_error(row.line, "customer", message));
            }
        }
    }
    let order_ids: Vec<String> = batch.iter().filter_map(|r| r.order_id.clone()).collect();
    let taken: HashSet<String> = if order_ids.is_empty() {
        HashSet::new()
    } else {
        orders::existing_external_ids(&mut w.tx, w.ws, &order_ids)
            .await?
            .into_iter()
            .collect()
    };
    let mut seen: HashSet<&str> = HashSet::new();
    let mut new_orders = Vec::with_capacity(batch.len());
    for row in batch {
        let Some(&(contact, company)) = known.get(&row.key) else {
            if !failed_keys.contains(row.key.as_str()) {
                errors.push(row_error(row.line, "customer", "could not be resolved"));
            }
            continue;
        };
        if let Some(o) = &row.order_id
            && (taken.contains(o) || !seen.insert(o.as_str()))
        {
            errors.push(row_error(
                row.line,
                "order_id",
                format!("{o:?} was imported already"),
            ));
            continue;
        }
        new_orders.push(NewOrder {
            id: Uuid::now_v7(),
            contact_id: Some(contact),
            company_id: company,
            ordered_at: row.date,
            amount_minor: row.amount_minor,
            currency: row.currency.code().to_owned(),
            quantity: row.quantity,
            source: "import",
            external_id: row.order_id.clone(),
        });
    }
    errors.sort_by_key(|e| e.line);
    report.imported += orders::insert_many(
        &mut w.tx,
        w.ws,
        &new_orders,
        w.now,
        Some(ctx.principal.user_id),
    )
    .await?;
    Ok(())
}

/// The body of a contact the import creates for an unknown key, parsed like any create.
fn new_contact_body(
    ctx: &RecordContext,
    key: ContactKey,
    row: &Row,
) -> Result<record::Changes, String> {
    let mut body = Map::new();
    let email = match key {
        ContactKey::Email => Some(row.key.clone()),
        ContactKey::ExternalId => {
            body.insert("external_id".into(), Json::String(row.key.clone()));
            row.email.clone()
        }
    };
    if let Some(e) = email {
        body.insert("emails".into(), json!([{"value": e, "primary": true}]));
    }
    if let Some(f) = &row.first_name {
        body.insert("first_name".into(), Json::String(f.clone()));
    }
    match &row.last_name {
        Some(l) => {
            body.insert("last_name".into(), Json::String(l.clone()));
        }
        None if row.first_name.is_none() => {
            body.insert("last_name".into(), Json::String(row.key.clone()));
        }
        None => {}
    }
    let changes = record::parse_body(
        ObjectType::Contact,
        &body,
        Mode::Create,
        &ctx.custom,
        &ctx.parse,
        &|f| ctx.access(f),
    )
    .map_err(|errors| {
        errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    Ok(changes)
}
