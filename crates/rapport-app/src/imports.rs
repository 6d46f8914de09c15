//! CSV import (DESIGN §9: validated, deduplicated on match keys, audited per batch).
//!
//! The file is read as a stream through `rapport_core::csv::Parser` (bounded memory), in
//! batches of [`BATCH`] rows. Each batch: cells become the JSON the record API takes, so every
//! field rule applies; match keys (id, external_id, e-mail for contacts and leads, domain for
//! companies) are looked up for the whole batch and checked through the policy; new records go
//! in with multi-row INSERTs; one audit entry and one event name the batch.
//!
//! Columns can never set `workspace_id`, `id` (it is a match key only), the owner (one owner
//! for every row comes from the options and is checked like any assignment), system fields, or
//! fields the caller's role may not write: such a header stops the import before any row.
//!
//! Modes: all-or-nothing (default; one transaction, nothing written if any row is bad) or
//! skip-bad-rows (a transaction per batch; bad rows are reported and left out). A dry run
//! validates everything and writes nothing.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Read;

use rapport_core::access::authorize_owner;
use rapport_core::audit::{Actor, AuditAction};
use rapport_core::catalogue::{Access, Field, Kind};
use rapport_core::csv::{self as dialect, Column, Event, Limits, Parser};
use rapport_core::custom::CustomFieldDef;
use rapport_core::object::ObjectType;
use rapport_core::record::{self, FieldAccess, Mode, Record};
use rapport_core::value::Value;
use rapport_core::{Id, UserId, fold};
use rapport_store::records::{self, MatchKey, NewRecord};
use rapport_store::{Backend, Conn, jobs, tags};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json, json};
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::records::RecordContext;
use crate::write::Write;
use crate::{App, Caller};

/// Rows per batch: per lookup, per multi-row INSERT, per audit entry.
pub const BATCH: usize = 2_000;
/// Row errors kept in a report (all are counted).
pub const MAX_ERRORS: usize = 1_000;
const CHUNK: usize = 64 * 1024;

/// The objects that can be imported.
pub const OBJECTS: [ObjectType; 4] = [
    ObjectType::Company,
    ObjectType::Contact,
    ObjectType::Lead,
    ObjectType::Opportunity,
];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportOptions {
    pub object: ObjectType,
    /// Header → field name (`custom.key` for custom fields); `None` skips the column.
    /// Headers not named here are matched by field name or label.
    #[serde(default)]
    pub mapping: BTreeMap<String, Option<String>>,
    #[serde(default)]
    pub dry_run: bool,
    /// Update records that match a row instead of reporting the row as a duplicate.
    #[serde(default)]
    pub upsert: bool,
    /// Write the good rows and report the bad ones, instead of all-or-nothing.
    #[serde(default)]
    pub skip_bad_rows: bool,
    /// The owner of every created record (the caller when absent).
    #[serde(default)]
    pub owner: Option<UserId>,
}

impl ImportOptions {
    pub fn new(object: ObjectType) -> Self {
        ImportOptions {
            object,
            mapping: BTreeMap::new(),
            dry_run: false,
            upsert: false,
            skip_bad_rows: false,
            owner: None,
        }
    }
}

/// What is wrong with one row (or, at line 1, with the header).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub line: u64,
    /// The column header, when one column is at fault.
    pub column: Option<String>,
    pub code: String,
    pub message: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    pub object: String,
    pub dry_run: bool,
    /// Whether the import did what it was asked (in all-or-nothing mode: no bad row).
    pub succeeded: bool,
    /// Data rows read (the header not counted).
    pub rows: u64,
    /// Created (or, in a dry run, would create).
    pub created: u64,
    /// Updated (or would update).
    pub updated: u64,
    /// Matched a record that already holds the row's values.
    pub unchanged: u64,
    /// Rows left out because they were bad.
    pub skipped: u64,
    pub error_count: u64,
    /// The first [`MAX_ERRORS`] errors.
    pub errors: Vec<RowError>,
}

impl ImportReport {
    fn error(&mut self, e: RowError) {
        self.error_count += 1;
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(e);
        }
    }
}

fn err(line: u64, column: Option<&str>, code: &str, message: impl Into<String>) -> RowError {
    RowError {
        line,
        column: column.map(str::to_owned),
        code: code.to_owned(),
        message: message.into(),
    }
}

/// What a column of the file feeds.
#[derive(Clone, Debug)]
enum Target {
    Id,
    Field(&'static Field),
    Custom(CustomFieldDef),
    Skip,
}

struct Columns {
    headers: Vec<String>,
    targets: Vec<Target>,
}

impl Columns {
    /// The header of the column that feeds `field` (a path such as `emails[1].value`).
    fn header_of(&self, field: &str) -> Option<&str> {
        let base = field.split('[').next().unwrap_or(field);
        self.targets.iter().zip(&self.headers).find_map(|(t, h)| {
            let name = match t {
                Target::Field(f) => f.name.to_owned(),
                Target::Custom(d) => format!("custom.{}", d.key),
                _ => return None,
            };
            (base == name || base.starts_with(&format!("{name}."))).then_some(h.as_str())
        })
    }

    fn id(&self) -> Option<usize> {
        self.targets.iter().position(|t| matches!(t, Target::Id))
    }
}

/// Resolves the header row against the catalogue, the mapping and the caller's field rules.
fn resolve(
    ctx: &RecordContext,
    opts: &ImportOptions,
    headers: &[String],
) -> Result<Columns, Vec<RowError>> {
    let object = ctx.object;
    let keys: Vec<String> = ctx.custom.iter().map(|d| d.key.clone()).collect();
    let mut errors = Vec::new();
    let mut targets = Vec::new();
    for name in opts.mapping.keys() {
        if !headers.iter().any(|h| h.trim() == name.trim()) {
            errors.push(err(
                1,
                Some(name),
                "unknown_column",
                "the mapping names a column the file does not have",
            ));
        }
    }
    for h in headers {
        let column = match opts.mapping.get(h.trim()) {
            Some(None) => {
                targets.push(Target::Skip);
                continue;
            }
            Some(Some(field)) => match dialect::resolve_header(object, field, &keys) {
                Some(c) => Some(c),
                None => {
                    errors.push(err(
                        1,
                        Some(h),
                        "unknown_field",
                        format!(
                            "is mapped to {field}, which is not a field of {}",
                            object.plural()
                        ),
                    ));
                    targets.push(Target::Skip);
                    continue;
                }
            },
            None => dialect::resolve_header(object, h, &keys),
        };
        let target = match column {
            None => {
                errors.push(err(
                    1,
                    Some(h),
                    "unknown_field",
                    format!(
                        "is not a field of {}; map it to a field, or to null to leave it out",
                        object.plural()
                    ),
                ));
                Target::Skip
            }
            Some(Column::Field(f)) if f.name == "id" => Target::Id,
            Some(Column::Field(f)) if f.name == "owner_id" => {
                errors.push(err(
                    1,
                    Some(h),
                    "read_only",
                    "an import cannot set owners; choose one owner for every row with the owner option",
                ));
                Target::Skip
            }
            Some(Column::Field(f)) if f.access == Access::System => {
                errors.push(err(
                    1,
                    Some(h),
                    "read_only",
                    format!("{} is kept by Rapport and cannot be imported; leave the column out or map it to null", f.name),
                ));
                Target::Skip
            }
            Some(Column::Field(f)) if ctx.access(f.name) != FieldAccess::ReadWrite => {
                errors.push(err(
                    1,
                    Some(h),
                    "read_only",
                    format!("your role may not write {}", f.name),
                ));
                Target::Skip
            }
            Some(Column::Field(f)) => Target::Field(f),
            Some(Column::Custom(key)) => {
                let name = format!("custom.{key}");
                match ctx.custom.iter().find(|d| d.key == key) {
                    Some(d) if ctx.access(&name) == FieldAccess::ReadWrite => {
                        Target::Custom(d.clone())
                    }
                    _ => {
                        errors.push(err(
                            1,
                            Some(h),
                            "read_only",
                            format!("your role may not write {name}"),
                        ));
                        Target::Skip
                    }
                }
            }
        };
        targets.push(target);
    }
    let mut seen: HashMap<String, &str> = HashMap::new();
    for (t, h) in targets.iter().zip(headers) {
        let name = match t {
            Target::Id => "id".to_owned(),
            Target::Field(f) => f.name.to_owned(),
            Target::Custom(d) => format!("custom.{}", d.key),
            Target::Skip => continue,
        };
        if let Some(first) = seen.insert(name.clone(), h) {
            errors.push(err(
                1,
                Some(h),
                "duplicate_column",
                format!("feeds {name}, like the column {first:?}"),
            ));
        }
    }
    if errors.is_empty() {
        Ok(Columns {
            headers: headers.to_vec(),
            targets,
        })
    } else {
        Err(errors)
    }
}

/// A row to create: its line, values and custom fields.
type NewRow = (u64, BTreeMap<&'static str, Value>, Map<String, Json>);

/// A data row after conversion.
struct Row {
    line: u64,
    body: Map<String, Json>,
    keys: Vec<(MatchKey, String)>,
    bad: bool,
}

fn key_hash(key: MatchKey, value: &str) -> u64 {
    let mut h = DefaultHasher::new();
    (key as u8).hash(&mut h);
    value.hash(&mut h);
    h.finish()
}

fn key_name(key: MatchKey) -> &'static str {
    match key {
        MatchKey::Id => "id",
        MatchKey::ExternalId => "external_id",
        MatchKey::Email => "e-mail",
        MatchKey::Domain => "domain",
    }
}

/// Where a batch reads from and writes to.
enum Sink<'a> {
    Read(&'a mut Conn),
    Write(&'a mut Write),
}

impl Sink<'_> {
    fn conn(&mut self) -> &mut Conn {
        match self {
            Sink::Read(c) => c,
            Sink::Write(w) => &mut w.tx,
        }
    }
}

struct Importer<'a> {
    app: &'a App,
    caller: &'a Caller,
    opts: &'a ImportOptions,
    ctx: RecordContext,
    cols: Columns,
    tag_ids: HashMap<String, Uuid>,
    tag_set: HashSet<Uuid>,
    owner: UserId,
    seen: HashMap<u64, u64>,
    report: ImportReport,
    /// All-or-nothing: once a row is bad, nothing more is written.
    spoiled: bool,
}

/// Imports a CSV stream. `job` (for worker runs) gets progress as batches go;
/// `on_progress` hears the rows read so far.
pub async fn import(
    app: &App,
    caller: &Caller,
    opts: &ImportOptions,
    input: &mut (dyn Read + Send),
    job: Option<Uuid>,
    on_progress: &mut (dyn FnMut(u64) + Send),
) -> AppResult<ImportReport> {
    let p = &caller.principal;
    crate::records::authorize_writer(p)?;
    if !OBJECTS.contains(&opts.object) {
        return Err(AppError::invalid(rapport_core::FieldError::new(
            "object",
            rapport_core::ErrorCode::InvalidValue,
            "must be one of companies, contacts, leads, opportunities",
        )));
    }
    let ws = p.workspace_id;
    let (ctx, all_tags) = {
        let mut c = app.db.read().await?;
        let ctx = RecordContext::load(&mut c, p, opts.object).await?;
        if let Some(owner) = opts.owner {
            let teams = records::user_teams(&mut c, ws, &[owner]).await?;
            let Some(team) = teams.get(&owner) else {
                return Err(AppError::invalid(rapport_core::FieldError::new(
                    "owner",
                    rapport_core::ErrorCode::UnknownReference,
                    "no such user",
                )));
            };
            authorize_owner(&ctx.viewer, owner, *team).map_err(AppError::Forbidden)?;
        }
        (ctx, tags::all(&mut c, ws).await?)
    };
    let mut report = ImportReport {
        object: opts.object.plural().to_owned(),
        dry_run: opts.dry_run,
        ..ImportReport::default()
    };

    let mut parser = Parser::new(Limits::DEFAULT);
    let mut events: Vec<Event> = Vec::new();
    let mut buf = vec![0u8; CHUNK];
    let mut eof = false;
    // The header.
    let headers = loop {
        if let Some(first) = (!events.is_empty()).then(|| events.remove(0)) {
            match first {
                Event::Record { fields, .. } => break fields,
                Event::Bad { line, problem } => {
                    report.error(err(
                        line,
                        None,
                        "bad_header",
                        format!("the header {problem}"),
                    ));
                    return Ok(report);
                }
            }
        }
        if eof {
            report.error(err(1, None, "empty_file", "the file has no header row"));
            return Ok(report);
        }
        eof = read_more(input, &mut buf, &mut parser, &mut events)?;
    };
    let cols = match resolve(&ctx, opts, &headers) {
        Ok(c) => c,
        Err(errors) => {
            for e in errors {
                report.error(e);
            }
            return Ok(report);
        }
    };
    let mut tag_ids = HashMap::new();
    for t in &all_tags {
        tag_ids.insert(fold::sort_key(&t.name), t.id);
    }
    let mut im = Importer {
        app,
        caller,
        opts,
        owner: opts.owner.unwrap_or(p.user_id),
        ctx,
        cols,
        tag_set: all_tags.iter().map(|t| t.id).collect(),
        tag_ids,
        seen: HashMap::new(),
        report,
        spoiled: false,
    };

    // One transaction for all-or-nothing; one per batch otherwise.
    let whole = !opts.dry_run && !opts.skip_bad_rows;
    let mut outer: Option<Write> = if whole {
        Some(Write::begin(app, ws, Actor::User(p.user_id), &caller.meta).await?)
    } else {
        None
    };
    let live_progress = !whole || app.db.backend() == Backend::Postgres;
    let mut batch: Vec<Event> = Vec::with_capacity(BATCH);
    loop {
        batch.append(&mut events);
        let last = eof;
        while batch.len() >= BATCH || (last && !batch.is_empty()) {
            let take = batch.len().min(BATCH);
            let rows: Vec<Event> = batch.drain(..take).collect();
            match (&mut outer, opts.dry_run) {
                (Some(w), _) => im.batch(rows, &mut Sink::Write(w)).await?,
                (None, true) => {
                    let mut c = app.db.read().await?;
                    im.batch(rows, &mut Sink::Read(&mut c)).await?;
                }
                (None, false) => {
                    let mut w = Write::begin(app, ws, Actor::User(p.user_id), &caller.meta).await?;
                    im.batch(rows, &mut Sink::Write(&mut w)).await?;
                    w.commit().await?;
                }
            }
            on_progress(im.report.rows);
            if let Some(job) = job
                && live_progress
            {
                save_progress(app, ws, job, im.report.rows).await?;
            }
        }
        if last {
            break;
        }
        eof = read_more(input, &mut buf, &mut parser, &mut events)?;
    }
    let mut report = im.report;
    if let Some(w) = outer {
        if im.spoiled {
            // Dropping the transaction rolls every batch back.
            drop(w);
            report.created = 0;
            report.updated = 0;
            report.unchanged = 0;
        } else {
            w.commit().await?;
        }
    }
    report.succeeded = if opts.skip_bad_rows {
        true
    } else {
        report.error_count == 0
    };
    if !opts.dry_run {
        refresh_statistics_after(app, report.created + report.updated).await;
    }
    Ok(report)
}

/// Refreshes the planner's statistics after an import that wrote at least [`LARGE_IMPORT`]
/// rows. The rows are committed by then; stale statistics only slow later queries down, so
/// a failure is worth a warning, not an error for an import that succeeded.
pub(crate) async fn refresh_statistics_after(app: &App, written: u64) {
    if written < LARGE_IMPORT {
        return;
    }
    if let Err(e) = app.db.optimize().await {
        tracing::warn!(error = %e, "refreshing query statistics after an import");
    }
}

/// Rows written from which an import refreshes the planner's statistics: a load this size
/// can change a table's shape faster than PostgreSQL's autovacuum notices (a prefix search
/// took 50 s instead of 14 ms on a freshly loaded, unanalyzed database).
const LARGE_IMPORT: u64 = 10_000;

async fn save_progress(
    app: &App,
    ws: rapport_core::WorkspaceId,
    job: Uuid,
    done: u64,
) -> AppResult<()> {
    let mut tx = app.db.write().await?;
    let lease = app.now().saturating_add(crate::jobs::LEASE);
    jobs::progress(
        &mut tx,
        ws,
        job,
        i64::try_from(done).unwrap_or(i64::MAX),
        None,
        lease,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Reads one chunk into the parser; `true` at the end of the input.
fn read_more(
    input: &mut (dyn Read + Send),
    buf: &mut [u8],
    parser: &mut Parser,
    events: &mut Vec<Event>,
) -> AppResult<bool> {
    let n = loop {
        match input.read(buf) {
            Ok(n) => break n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                tracing::warn!(error = %e, "reading an import failed");
                return Err(AppError::invalid(rapport_core::FieldError::new(
                    "file",
                    rapport_core::ErrorCode::InvalidFormat,
                    format!("cannot be read: {e}"),
                )));
            }
        }
    };
    if n == 0 {
        parser.finish(events);
        Ok(true)
    } else {
        parser.feed(&buf[..n], events);
        Ok(false)
    }
}

impl Importer<'_> {
    fn bad(&mut self, e: RowError) {
        self.report.error(e);
        self.report.skipped += 1;
        if !self.opts.skip_bad_rows {
            self.spoiled = true;
        }
    }

    /// Cells to the JSON body and match keys of one row.
    fn convert(&mut self, line: u64, fields: Vec<String>) -> Option<Row> {
        let width = self.cols.headers.len();
        if fields.len() > width {
            self.bad(err(
                line,
                None,
                "too_many_fields",
                format!("has {} fields; the header has {width}", fields.len()),
            ));
            return None;
        }
        let object = self.opts.object;
        let mut body = Map::new();
        let mut custom = Map::new();
        let mut keys = Vec::new();
        let mut problems: Vec<RowError> = Vec::new();
        for (i, raw) in fields.iter().enumerate() {
            let cell = dialect::unneutralise(raw);
            match &self.cols.targets[i] {
                Target::Skip => {}
                Target::Id => {
                    let t = cell.trim();
                    if t.is_empty() {
                        continue;
                    }
                    match Uuid::try_parse(t) {
                        Ok(u) => keys.push((MatchKey::Id, u.to_string())),
                        Err(_) => {
                            problems.push(err(
                                line,
                                Some(self.cols.headers[i].as_str()),
                                "invalid_format",
                                "must be an id (a UUID)",
                            ));
                        }
                    }
                }
                Target::Custom(d) => {
                    custom.insert(d.key.clone(), dialect::custom_cell_json(d.kind, cell));
                }
                Target::Field(f) => {
                    let mut v = dialect::cell_json(f.kind, cell);
                    if f.kind == Kind::Tags
                        && let Json::Array(items) = &v
                    {
                        let mut ids = Vec::new();
                        for item in items {
                            let name = item.as_str().unwrap_or_default();
                            let id = Uuid::try_parse(name.trim())
                                .ok()
                                .filter(|u| self.tag_set.contains(u))
                                .or_else(|| self.tag_ids.get(&fold::sort_key(name)).copied());
                            match id {
                                Some(id) => ids.push(Json::String(id.to_string())),
                                None => {
                                    problems.push(err(
                                        line,
                                        Some(self.cols.headers[i].as_str()),
                                        "unknown_reference",
                                        format!("no tag named {name:?}"),
                                    ));
                                }
                            }
                        }
                        v = Json::Array(ids);
                    }
                    if let Some(k) = match_value(object, f, &v) {
                        keys.push(k);
                    }
                    body.insert(f.name.to_owned(), v);
                }
            }
        }
        let bad = !problems.is_empty();
        if bad {
            for p in problems {
                self.report.error(p);
            }
            self.report.skipped += 1;
            if !self.opts.skip_bad_rows {
                self.spoiled = true;
            }
        }
        // Columns missing at the end of a short row are empty cells.
        for i in fields.len()..width {
            if let Target::Field(f) = &self.cols.targets[i] {
                body.insert(f.name.to_owned(), Json::Null);
            }
        }
        if !custom.is_empty() {
            body.insert("custom".into(), Json::Object(custom));
        }
        keys.sort_by_key(|(k, _)| *k as u8);
        Some(Row {
            line,
            body,
            keys,
            bad,
        })
    }

    async fn batch(&mut self, events: Vec<Event>, sink: &mut Sink<'_>) -> AppResult<()> {
        let object = self.opts.object;
        let ws = self.caller.principal.workspace_id;
        let mut rows = Vec::with_capacity(events.len());
        for e in events {
            self.report.rows += 1;
            match e {
                Event::Bad { line, problem } => self.bad(err(
                    line,
                    None,
                    "bad_line",
                    format!("line {line} {problem}"),
                )),
                Event::Record { line, fields } => {
                    if fields.iter().all(|f| f.trim().is_empty()) {
                        // A row of empty cells (spreadsheets leave them): nothing to import.
                        self.report.rows -= 1;
                        continue;
                    }
                    if let Some(r) = self.convert(line, fields) {
                        rows.push(r);
                    }
                }
            }
        }
        // Duplicates inside the file.
        for row in &mut rows {
            if row.bad {
                continue;
            }
            for (k, v) in &row.keys {
                if let Some(first) = self.seen.get(&key_hash(*k, v)) {
                    let first = *first;
                    let column = match k {
                        MatchKey::Id => self.cols.id().map(|i| self.cols.headers[i].clone()),
                        MatchKey::ExternalId => {
                            self.cols.header_of("external_id").map(str::to_owned)
                        }
                        MatchKey::Email => self
                            .cols
                            .header_of(if object == ObjectType::Contact {
                                "emails"
                            } else {
                                "email"
                            })
                            .map(str::to_owned),
                        MatchKey::Domain => self.cols.header_of("domain").map(str::to_owned),
                    };
                    self.report.error(err(
                        row.line,
                        column.as_deref(),
                        "duplicate",
                        format!("has the same {} as line {first}", key_name(*k)),
                    ));
                    self.report.skipped += 1;
                    if !self.opts.skip_bad_rows {
                        self.spoiled = true;
                    }
                    row.bad = true;
                    break;
                }
            }
            if !row.bad {
                for (k, v) in &row.keys {
                    self.seen.insert(key_hash(*k, v), row.line);
                }
            }
        }
        rows.retain(|r| !r.bad);

        // Match keys, for the whole batch.
        let mut found: HashMap<(u8, String), Uuid> = HashMap::new();
        for key in [
            MatchKey::Id,
            MatchKey::ExternalId,
            MatchKey::Email,
            MatchKey::Domain,
        ] {
            let values: Vec<String> = rows
                .iter()
                .flat_map(|r| {
                    r.keys
                        .iter()
                        .filter(|(k, _)| *k == key)
                        .map(|(_, v)| v.clone())
                })
                .collect();
            if values.is_empty() {
                continue;
            }
            for (v, id) in records::match_keys(sink.conn(), ws, object, key, &values).await? {
                found.entry((key as u8, v)).or_insert(id);
            }
        }
        let candidates: Vec<Uuid> = found
            .values()
            .copied()
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let readable: HashSet<Uuid> =
            records::readable_ids(sink.conn(), ws, object, &candidates, &self.ctx.viewer)
                .await?
                .into_iter()
                .collect();
        let readable_list: Vec<Uuid> = readable.iter().copied().collect();
        let writable: HashSet<Uuid> =
            records::writable_ids(sink.conn(), ws, object, &readable_list, &self.ctx.viewer)
                .await?
                .into_iter()
                .collect();

        // Decide create or update per row.
        let mut plan: Vec<(Row, Option<Uuid>)> = Vec::with_capacity(rows.len());
        for row in rows {
            let mut target = None;
            let mut problem = None;
            for (k, v) in &row.keys {
                let hit = found.get(&(*k as u8, v.clone())).copied();
                match (k, hit) {
                    (MatchKey::Id, h) if h.is_none_or(|id| !readable.contains(&id)) => {
                        problem = Some(err(
                            row.line,
                            self.cols.id().map(|i| self.cols.headers[i].as_str()),
                            "unknown_reference",
                            format!(
                                "no {} record has this id (an import cannot choose ids)",
                                object.as_str()
                            ),
                        ));
                        break;
                    }
                    (MatchKey::ExternalId, Some(id)) if !readable.contains(&id) => {
                        problem = Some(err(
                            row.line,
                            self.cols.header_of("external_id"),
                            "taken",
                            "is already in use",
                        ));
                        break;
                    }
                    (_, Some(id)) if readable.contains(&id) => {
                        if !writable.contains(&id) {
                            problem = Some(err(
                                row.line,
                                None,
                                "forbidden",
                                format!(
                                    "matches a {} (by {}) that you may not change",
                                    object.as_str(),
                                    key_name(*k)
                                ),
                            ));
                        } else if !self.opts.upsert {
                            problem = Some(err(
                                row.line,
                                None,
                                "duplicate",
                                format!(
                                    "a {} with this {} exists already (import with upsert to update it)",
                                    object.as_str(),
                                    key_name(*k)
                                ),
                            ));
                        } else {
                            target = Some(id);
                        }
                        break;
                    }
                    _ => {}
                }
            }
            match problem {
                Some(e) => self.bad(e),
                None => plan.push((row, target)),
            }
        }

        let update_ids: Vec<Uuid> = plan.iter().filter_map(|(_, t)| *t).collect();
        let current: HashMap<Uuid, Record> =
            records::get_many(sink.conn(), ws, object, &update_ids)
                .await?
                .into_iter()
                .map(|r| (r.id, r))
                .collect();

        // Parse and validate every row through the record rules.
        let mut creates: Vec<NewRow> = Vec::new();
        let mut updates: Vec<(u64, Uuid, rapport_core::record::Changes)> = Vec::new();
        for (row, target) in plan {
            let cur = target.and_then(|id| current.get(&id));
            if target.is_some() && cur.is_none() {
                self.bad(err(
                    row.line,
                    None,
                    "conflict",
                    "the matching record changed while importing",
                ));
                continue;
            }
            let mode = if cur.is_some() {
                Mode::Update
            } else {
                Mode::Create
            };
            let ctx = &self.ctx;
            let parsed =
                record::parse_body(object, &row.body, mode, &ctx.custom, &ctx.parse, &|f| {
                    ctx.access(f)
                });
            let changes = match parsed {
                Ok(c) => c,
                Err(errors) => {
                    self.field_errors(row.line, errors);
                    continue;
                }
            };
            let mut errors = crate::records::object_rules(object, &changes);
            errors.extend(record::validate(object, &|f: &str| {
                changes
                    .values
                    .get(f)
                    .cloned()
                    .or_else(|| cur.map(|r| r.get(f).clone()))
                    .unwrap_or(Value::Null)
            }));
            if !errors.is_empty() {
                self.field_errors(row.line, errors);
                continue;
            }
            match target {
                Some(id) => updates.push((row.line, id, changes)),
                None => {
                    let custom: Map<String, Json> = changes
                        .custom
                        .into_iter()
                        .filter(|(_, v)| !v.is_null())
                        .collect();
                    creates.push((row.line, changes.values, custom));
                }
            }
        }

        // References of the batch (companies, contacts …), through the policy.
        let mut wanted: HashMap<ObjectType, HashSet<Uuid>> = HashMap::new();
        let refs =
            |values: &BTreeMap<&'static str, Value>| -> Vec<(&'static str, ObjectType, Uuid)> {
                let mut out = Vec::new();
                for (name, v) in values {
                    let Some(f) = rapport_core::catalogue::find(object, name) else {
                        continue;
                    };
                    match (f.kind, v) {
                        (Kind::Ref(t), Value::Id(id)) => out.push((*name, t, *id)),
                        (Kind::Roles(t), Value::Roles(list)) => {
                            out.extend(list.iter().map(|r| (*name, t, r.id)));
                        }
                        _ => {}
                    }
                }
                out
            };
        for (_, values, _) in &creates {
            for (_, t, id) in refs(values) {
                wanted.entry(t).or_default().insert(id);
            }
        }
        for (_, id, ch) in &updates {
            let cur = current.get(id);
            for (name, t, rid) in refs(&ch.values) {
                if cur.is_some_and(|c| c.get(name) == &ch.values[name]) {
                    continue;
                }
                wanted.entry(t).or_default().insert(rid);
            }
        }
        let mut visible: HashSet<(ObjectType, Uuid)> = HashSet::new();
        for (t, ids) in wanted {
            let ids: Vec<Uuid> = ids.into_iter().collect();
            for id in records::readable_ids(sink.conn(), ws, t, &ids, &self.ctx.viewer).await? {
                visible.insert((t, id));
            }
        }
        let bad_refs =
            |line: u64, values: &BTreeMap<&'static str, Value>, skip: &dyn Fn(&str) -> bool| {
                let mut out = Vec::new();
                for (name, t, id) in refs(values) {
                    if !skip(name) && !visible.contains(&(t, id)) {
                        out.push(rapport_core::FieldError::new(
                            name,
                            rapport_core::ErrorCode::UnknownReference,
                            format!("no such {}", t.as_str()),
                        ));
                    }
                }
                (line, out)
            };
        let mut ref_errors = Vec::new();
        creates.retain(|(line, values, _)| {
            let (l, e) = bad_refs(*line, values, &|_| false);
            let ok = e.is_empty();
            if !ok {
                ref_errors.push((l, e));
            }
            ok
        });
        updates.retain(|(line, id, ch)| {
            let cur = current.get(id);
            let (l, e) = bad_refs(*line, &ch.values, &|name| {
                cur.is_some_and(|c| c.get(name) == &ch.values[name])
            });
            let ok = e.is_empty();
            if !ok {
                ref_errors.push((l, e));
            }
            ok
        });
        for (line, e) in ref_errors {
            self.field_errors(line, e);
        }

        let Sink::Write(w) = sink else {
            // A dry run: count what would happen.
            self.report.created += creates.len() as u64;
            for (_, id, ch) in &updates {
                if let Some(cur) = current.get(id) {
                    if changed(cur, ch) {
                        self.report.updated += 1;
                    } else {
                        self.report.unchanged += 1;
                    }
                }
            }
            return Ok(());
        };
        if self.spoiled {
            return Ok(());
        }
        self.write(w, creates, updates, &current).await
    }

    fn field_errors(&mut self, line: u64, errors: Vec<rapport_core::FieldError>) {
        self.report.skipped += 1;
        if !self.opts.skip_bad_rows {
            self.spoiled = true;
        }
        for e in errors {
            let column = self.cols.header_of(&e.field).map(str::to_owned);
            let message = if column.is_some() {
                e.message.clone()
            } else {
                format!("{}: {}", e.field, e.message)
            };
            self.report.error(RowError {
                line,
                column,
                code: e.code.as_str().to_owned(),
                message,
            });
        }
    }

    async fn write(
        &mut self,
        w: &mut Write,
        creates: Vec<NewRow>,
        updates: Vec<(u64, Uuid, rapport_core::record::Changes)>,
        current: &HashMap<Uuid, Record>,
    ) -> AppResult<()> {
        let object = self.opts.object;
        let actor = self.caller.principal.user_id;
        let mut prepared = Vec::with_capacity(creates.len());
        for (_, mut values, custom) in creates {
            values.insert("owner_id", Value::Id(self.owner.as_uuid()));
            values
                .entry("visibility")
                .or_insert_with(|| Value::Text(self.ctx.default_visibility.as_str().into()));
            crate::records::defaults(self.app, w, object, &mut values).await?;
            prepared.push((Uuid::now_v7(), values, custom));
        }
        let news: Vec<NewRecord<'_>> = prepared
            .iter()
            .map(|(id, values, custom)| NewRecord {
                id: *id,
                values,
                custom,
                actor: Some(actor),
                created_at: w.now,
                updated_at: w.now,
            })
            .collect();
        records::insert_many(&mut w.tx, w.ws, object, &news).await?;
        let created: Vec<Uuid> = prepared.iter().map(|(id, _, _)| *id).collect();
        let mut updated = Vec::new();
        for (line, id, ch) in updates {
            let Some(cur) = current.get(&id) else {
                continue;
            };
            if !changed(cur, &ch) {
                self.report.unchanged += 1;
                continue;
            }
            let set: BTreeMap<&'static str, Value> = ch
                .values
                .iter()
                .filter(|(k, v)| cur.get(k) != *v)
                .map(|(k, v)| (*k, v.clone()))
                .collect();
            let mut custom = cur.custom.clone();
            for (k, v) in &ch.custom {
                if v.is_null() {
                    custom.remove(k);
                } else {
                    custom.insert(k.clone(), v.clone());
                }
            }
            let custom_changed = custom != cur.custom;
            if object == ObjectType::Company && set.contains_key("parent_id") {
                crate::records::check_references(w, &self.ctx, &set, Some(cur)).await?;
            }
            let applied = records::update(
                &mut w.tx,
                w.ws,
                object,
                id,
                cur.version(),
                &set,
                custom_changed.then_some(&custom),
                Some(actor),
                w.now,
            )
            .await?;
            if applied {
                updated.push(id);
            } else {
                self.bad(err(
                    line,
                    None,
                    "conflict",
                    "the matching record changed while importing",
                ));
            }
        }
        if self.spoiled {
            return Ok(());
        }
        self.report.created += created.len() as u64;
        self.report.updated += updated.len() as u64;
        if created.is_empty() && updated.is_empty() {
            return Ok(());
        }
        let batch = Uuid::now_v7();
        w.audit(
            AuditAction::RecordsImported,
            object.as_str(),
            None,
            Vec::new(),
            Some(json!({
                "batch": batch,
                "created": created.len(),
                "updated": updated.len(),
                "created_ids": created,
                "updated_ids": updated,
            })),
        )
        .await?;
        w.emit(
            &format!("{}.imported", object.as_str()),
            object.as_str(),
            batch,
            json!({"created": created, "updated": updated}),
        )
        .await?;
        Ok(())
    }
}

/// Whether applying `ch` would change `cur`.
fn changed(cur: &Record, ch: &rapport_core::record::Changes) -> bool {
    let empty = |v: &Value| match v {
        Value::Null => true,
        Value::Ids(l) => l.is_empty(),
        Value::Emails(l) | Value::Phones(l) => l.is_empty(),
        Value::Roles(l) => l.is_empty(),
        Value::Links(l) => l.is_empty(),
        _ => false,
    };
    ch.values
        .iter()
        .any(|(k, v)| cur.get(k) != v && !(empty(cur.get(k)) && empty(v)))
        || ch
            .custom
            .iter()
            .any(|(k, v)| cur.custom.get(k).unwrap_or(&Json::Null) != v)
}

/// The match key a cell gives, normalised as stored.
fn match_value(object: ObjectType, f: &Field, v: &Json) -> Option<(MatchKey, String)> {
    let text = |v: &Json| {
        v.as_str()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    match (object, f.name) {
        (_, "external_id") => text(v).map(|s| (MatchKey::ExternalId, s)),
        (ObjectType::Contact, "emails") => {
            let first = v.as_array()?.first()?;
            let s = first
                .as_str()
                .or_else(|| first.get("value").and_then(Json::as_str))?;
            Some((MatchKey::Email, s.trim().to_lowercase()))
        }
        (ObjectType::Lead, "email") => text(v).map(|s| (MatchKey::Email, s.to_lowercase())),
        (ObjectType::Company, "domain") => text(v)
            .and_then(|s| rapport_core::catalogue::normalize_domain("domain", &s).ok())
            .map(|d| (MatchKey::Domain, d)),
        _ => None,
    }
}
