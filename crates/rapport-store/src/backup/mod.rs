//! Backups that are consistent while writes go on, and restores into an empty database of
//! either backend.
//!
//! A backup reads every table inside one snapshot (SQLite's WAL read transaction,
//! PostgreSQL's REPEATABLE READ), so it holds exactly the commits before it began. It writes
//! the logical rows, not the file, which is what lets a SQLite backup restore into
//! PostgreSQL and back. The search index is derived and not written: SQLite's full-text
//! tables refill from `search_docs` through their triggers, PostgreSQL's generated column
//! computes itself.
//!
//! A restore runs in one transaction: a damaged file, a mismatch or a crash leaves the
//! database as empty as it was.

mod checksum;
mod convert;
pub mod format;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufReader, Read, Write};

use flate2::Compression;
use flate2::read::MultiGzDecoder;
use flate2::write::GzEncoder;
use sea_query::{Alias, Expr, ExprTrait, Query, Value};

use self::checksum::Hasher;
pub use self::checksum::{Mismatch, TableSum, compare};
use self::format::{FormatError, Header, Item, Reader, Writer};
use crate::db::{Backend, Cell, Column, Conn, Db, Tx};
use crate::error::StoreError;
use crate::migrate;

/// Bookkeeping that belongs to the database rather than to its data.
const NOT_BACKED_UP: &[&str] = &["rapport_migrations"];

/// Columns one backend has and the other derives; dropped when the target lacks them.
const DERIVED: &[(&str, &str)] = &[("search_docs", "doc_id")];

/// Rows per INSERT statement, bounded by the backends' limits on bound parameters.
const MAX_PARAMS: usize = 30_000;
const MAX_ROWS_PER_INSERT: usize = 500;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub schema: i64,
    pub tables: usize,
    pub rows: u64,
    /// Rows and checksum per table, in the order written.
    pub per_table: Vec<TableSum>,
}

fn io(e: std::io::Error) -> StoreError {
    StoreError::Backup(format!("writing the backup failed: {e}"))
}

fn bad(e: FormatError) -> StoreError {
    StoreError::Backup(match e {
        FormatError::Io(e) => format!("reading the backup failed: {e}"),
        other => other.to_string(),
    })
}

/// Tables in an order where every table comes after those it references (self-references
/// aside), ties by name, so that restores insert parents first.
async fn ordered_tables(c: &mut Conn) -> Result<Vec<String>, StoreError> {
    let tables: Vec<String> = c
        .tables()
        .await?
        .into_iter()
        .filter(|t| !NOT_BACKED_UP.contains(&t.as_str()))
        .collect();
    let mut deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for t in &tables {
        let refs = c
            .foreign_keys(t)
            .await?
            .into_iter()
            .map(|fk| fk.references)
            .filter(|r| r != t && tables.contains(r))
            .collect();
        deps.insert(t.clone(), refs);
    }
    let mut out: Vec<String> = Vec::with_capacity(tables.len());
    while out.len() < tables.len() {
        let next = deps
            .iter()
            .find(|(t, d)| !out.contains(t) && d.iter().all(|x| out.contains(x)))
            .map(|(t, _)| t.clone());
        match next {
            Some(t) => out.push(t),
            None => {
                return Err(StoreError::Backup(
                    "the tables reference each other in a cycle".to_owned(),
                ));
            }
        }
    }
    Ok(out)
}

/// What a walk over the snapshot hands the tables and rows to.
trait Sink {
    fn start(&mut self, schema: i64, tables: &[String]) -> Result<(), StoreError>;
    fn table(&mut self, name: &str, columns: &[String]) -> Result<(), StoreError>;
    fn row(&mut self, cells: &[Cell]) -> Result<(), StoreError>;
    fn end(&mut self, name: &str, rows: u64) -> Result<(), StoreError>;
}

/// Reads every backed-up table through `snap` (a snapshot, or the restore's own
/// transaction), parents first, handing each row to `sink` and summing it; the summary's
/// checksums are of exactly the rows the sink saw.
async fn walk(
    snap: &mut Conn,
    sink: &mut (dyn Sink + Send),
    progress: &mut (dyn FnMut(&str, u64) + Send),
) -> Result<Summary, StoreError> {
    let schema = migrate::schema_version(snap).await?;
    let tables = ordered_tables(snap).await?;
    sink.start(schema, &tables)?;
    let mut total = 0u64;
    let mut per_table = Vec::with_capacity(tables.len());
    for table in &tables {
        let columns: Vec<Column> = snap
            .columns(table)
            .await?
            .into_iter()
            .filter(|c| !c.generated)
            .collect();
        let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
        sink.table(table, &names)?;
        let mut sum = Hasher::new(table, &names);
        let rows = snap
            .each_row(table, &columns, &mut |cells| {
                sum.add(&cells);
                sink.row(&cells)
            })
            .await?;
        sink.end(table, rows)?;
        progress(table, rows);
        total += rows;
        per_table.push(sum.finish());
    }
    Ok(Summary {
        schema,
        tables: tables.len(),
        rows: total,
        per_table,
    })
}

/// Writes the backup file's lines.
struct FileSink<'a, W: Write> {
    w: Writer<W>,
    rapport_version: &'a str,
    created_at: &'a str,
    backend: Backend,
}

impl<W: Write> Sink for FileSink<'_, W> {
    fn start(&mut self, schema: i64, tables: &[String]) -> Result<(), StoreError> {
        self.w
            .header(&Header {
                format: format::FORMAT.to_owned(),
                version: format::VERSION,
                rapport: self.rapport_version.to_owned(),
                schema,
                backend: self.backend.as_str().to_owned(),
                created_at: self.created_at.to_owned(),
                tables: tables.to_vec(),
            })
            .map_err(io)
    }

    fn table(&mut self, name: &str, columns: &[String]) -> Result<(), StoreError> {
        self.w.begin_table(name, columns).map_err(io)
    }

    fn row(&mut self, cells: &[Cell]) -> Result<(), StoreError> {
        self.w.row(cells).map_err(io)
    }

    fn end(&mut self, name: &str, rows: u64) -> Result<(), StoreError> {
        self.w.end_table(name, rows).map_err(io)
    }
}

/// Keeps nothing: only the sums are wanted.
struct Discard;

impl Sink for Discard {
    fn start(&mut self, _: i64, _: &[String]) -> Result<(), StoreError> {
        Ok(())
    }

    fn table(&mut self, _: &str, _: &[String]) -> Result<(), StoreError> {
        Ok(())
    }

    fn row(&mut self, _: &[Cell]) -> Result<(), StoreError> {
        Ok(())
    }

    fn end(&mut self, _: &str, _: u64) -> Result<(), StoreError> {
        Ok(())
    }
}

/// Writes a gzip-compressed backup of the whole database to `out` and returns `out` once
/// the compressed stream is complete (the caller syncs and renames it). The summary's
/// checksums are those of the snapshot written, whatever commits meanwhile.
pub async fn write<W: Write + Send>(
    db: &Db,
    out: W,
    rapport_version: &str,
    created_at: &str,
    progress: &mut (dyn FnMut(&str, u64) + Send),
) -> Result<(W, Summary), StoreError> {
    let mut sink = FileSink {
        w: Writer::new(GzEncoder::new(out, Compression::fast())),
        rapport_version,
        created_at,
        backend: db.backend(),
    };
    let summary = walk(&mut db.snapshot().await?, &mut sink, progress).await?;
    let out = sink
        .w
        .finish(summary.rows)
        .map_err(io)?
        .finish()
        .map_err(io)?;
    Ok((out, summary))
}

/// Counts and checksums every backed-up table inside one snapshot, comparable with those
/// of a backup or of a database of the other backend; `progress` hears each table.
pub async fn checksums(
    db: &Db,
    progress: &mut (dyn FnMut(&str, u64) + Send),
) -> Result<Summary, StoreError> {
    walk(&mut db.snapshot().await?, &mut Discard, progress).await
}

/// Makes a restore compare the database it wrote with the source's checksums before it
/// commits: a copy that does not match is rolled back.
pub struct Check<'a> {
    /// The source's tables, rows and checksums (from [`write`]).
    pub expect: &'a [TableSum],
    /// Hears each table as it is read back.
    pub progress: &'a mut (dyn FnMut(&str, u64) + Send),
}

/// An opened backup: its header, and its lines still to be read.
pub struct BackupFile<R: Read> {
    pub header: Header,
    reader: Reader<BufReader<MultiGzDecoder<R>>>,
}

/// Opens a backup and reads its header.
pub fn open<R: Read>(mut input: R) -> Result<BackupFile<PrefixRead<R>>, StoreError> {
    let mut magic = [0u8; 2];
    let got = read_up_to(&mut input, &mut magic)
        .map_err(|e| StoreError::Backup(format!("reading the backup failed: {e}")))?;
    if got < 2 || magic != [0x1f, 0x8b] {
        return Err(StoreError::Backup(
            "this is not a Rapport backup (it is not gzip-compressed)".to_owned(),
        ));
    }
    let input = PrefixRead {
        prefix: magic,
        used: 0,
        inner: input,
    };
    let (header, reader) = Reader::open(BufReader::with_capacity(
        1 << 16,
        MultiGzDecoder::new(input),
    ))
    .map_err(bad)?;
    Ok(BackupFile { header, reader })
}

fn read_up_to<R: Read>(r: &mut R, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Gives back the bytes read to recognise the file before the rest of it.
pub struct PrefixRead<R> {
    prefix: [u8; 2],
    used: usize,
    inner: R,
}

impl<R: Read> Read for PrefixRead<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.used < self.prefix.len() && !buf.is_empty() {
            let n = (self.prefix.len() - self.used).min(buf.len());
            buf[..n].copy_from_slice(&self.prefix[self.used..self.used + n]);
            self.used += n;
            return Ok(n);
        }
        self.inner.read(buf)
    }
}

/// A row's key, and the self-references held back from its insert (by dump position).
struct HeldBack {
    key: Vec<Value>,
    references: Vec<(usize, Value)>,
}

/// Where each dump column goes in the target table.
struct Section {
    table: String,
    /// For each dump column: the target column, or `None` to drop it.
    targets: Vec<Option<Column>>,
    /// Positions (in the dump) of self-referencing columns, filled after the table.
    deferred: Vec<usize>,
    /// Positions of the primary key, to find rows again for the deferred columns.
    key: Vec<usize>,
    batch: Vec<Vec<Value>>,
    pending: Vec<HeldBack>,
    rows: u64,
    /// Sums the rows as the file holds them, before any conversion for this backend.
    sum: Hasher,
    line: u64,
}

async fn section(
    tx: &mut Tx,
    table: &str,
    columns: &[String],
    line: u64,
) -> Result<Section, StoreError> {
    let target = tx.columns(table).await?;
    if target.is_empty() {
        return Err(StoreError::Backup(format!(
            "line {line}: table {table} does not exist in this database"
        )));
    }
    let mut targets = Vec::with_capacity(columns.len());
    for name in columns {
        match target.iter().find(|c| &c.name == name && !c.generated) {
            Some(c) => targets.push(Some(c.clone())),
            None if DERIVED.contains(&(table, name.as_str())) => targets.push(None),
            None => {
                return Err(StoreError::Backup(format!(
                    "line {line}: table {table} has no column {name} in this database"
                )));
            }
        }
    }
    let self_refs: BTreeSet<String> = tx
        .foreign_keys(table)
        .await?
        .into_iter()
        .filter(|fk| fk.references == table)
        .flat_map(|fk| {
            fk.columns
                .into_iter()
                .zip(fk.referenced_columns)
                .filter(|(from, to)| from != to)
                .map(|(from, _)| from)
        })
        .collect();
    let position = |name: &str| columns.iter().position(|c| c == name);
    let deferred: Vec<usize> = self_refs.iter().filter_map(|c| position(c)).collect();
    let key: Vec<usize> = target
        .iter()
        .filter(|c| c.primary_key)
        .filter_map(|c| position(&c.name))
        .collect();
    if !deferred.is_empty() && key.is_empty() {
        return Err(StoreError::Backup(format!(
            "table {table} refers to itself but has no primary key to restore it by"
        )));
    }
    Ok(Section {
        table: table.to_owned(),
        targets,
        deferred,
        key,
        batch: Vec::new(),
        pending: Vec::new(),
        rows: 0,
        sum: Hasher::new(table, columns),
        line,
    })
}

impl Section {
    fn columns(&self) -> Vec<&Column> {
        self.targets.iter().flatten().collect()
    }

    fn add(&mut self, cells: Vec<Cell>, backend: Backend, line: u64) -> Result<(), StoreError> {
        if cells.len() != self.targets.len() {
            return Err(StoreError::Backup(format!(
                "line {line}: {} cells for the {} columns of {}",
                cells.len(),
                self.targets.len(),
                self.table
            )));
        }
        self.sum.add(&cells);
        let mut row = Vec::with_capacity(cells.len());
        let mut later = Vec::new();
        let mut key = Vec::new();
        for (i, (cell, target)) in cells.into_iter().zip(&self.targets).enumerate() {
            let Some(column) = target else { continue };
            let value = convert::to_value(cell, column, backend).map_err(|m| {
                StoreError::Backup(format!(
                    "line {line}: column {}.{}: {m}",
                    self.table, column.name
                ))
            })?;
            if self.key.contains(&i) {
                key.push((column.name.clone(), value.clone()));
            }
            if self.deferred.contains(&i) && !is_null(&value) {
                later.push((i, value.clone()));
                row.push(convert::to_value(Cell::Null, column, backend).unwrap_or(value));
            } else {
                row.push(value);
            }
        }
        if !later.is_empty() {
            self.pending.push(HeldBack {
                key: key.into_iter().map(|(_, v)| v).collect(),
                references: later,
            });
        }
        self.batch.push(row);
        self.rows += 1;
        Ok(())
    }

    fn full(&self) -> bool {
        let width = self.columns().len().max(1);
        self.batch.len() >= (MAX_PARAMS / width).clamp(1, MAX_ROWS_PER_INSERT)
    }

    async fn flush(&mut self, tx: &mut Tx) -> Result<(), StoreError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let mut q = Query::insert();
        q.into_table(Alias::new(&self.table))
            .columns(self.columns().iter().map(|c| Alias::new(&c.name)));
        for row in self.batch.drain(..) {
            q.values_panic(row.into_iter().map(Expr::val));
        }
        let table = self.table.clone();
        let line = self.line;
        tx.execute(&q).await.map_err(|e| {
            StoreError::Backup(format!(
                "table {table} (from line {line}) could not be restored: {e}"
            ))
        })?;
        Ok(())
    }

    /// Puts back the self-references held out of the inserts.
    async fn fill_deferred(&mut self, tx: &mut Tx) -> Result<(), StoreError> {
        let key_names: Vec<String> = self
            .key
            .iter()
            .filter_map(|i| self.targets[*i].as_ref().map(|c| c.name.clone()))
            .collect();
        for HeldBack {
            key,
            references: values,
        } in self.pending.drain(..)
        {
            let mut q = Query::update();
            q.table(Alias::new(&self.table));
            for (i, v) in values {
                if let Some(c) = &self.targets[i] {
                    q.value(Alias::new(&c.name), Expr::val(v));
                }
            }
            for (name, v) in key_names.iter().zip(key) {
                q.and_where(Expr::col(Alias::new(name)).eq(Expr::val(v)));
            }
            let table = self.table.clone();
            tx.execute(&q).await.map_err(|e| {
                StoreError::Backup(format!(
                    "table {table}: a row's reference to its own table could not be restored: {e}"
                ))
            })?;
        }
        Ok(())
    }
}

fn is_null(v: &Value) -> bool {
    matches!(
        v,
        Value::String(None)
            | Value::Uuid(None)
            | Value::BigInt(None)
            | Value::Bool(None)
            | Value::Bytes(None)
            | Value::Json(None)
            | Value::TimeDate(None)
            | Value::TimeDateTimeWithTimeZone(None)
            | Value::Double(None)
    )
}

/// Fails unless every table except the bookkeeping ones is empty (a database with no tables
/// at all is empty too).
pub async fn ensure_empty(db: &Db) -> Result<(), StoreError> {
    ensure_empty_in(&mut db.read().await?).await
}

/// The first table (by name) that holds rows, and how many; `None` when every table except
/// the bookkeeping ones is empty.
pub async fn holds_data(db: &Db) -> Result<Option<(String, u64)>, StoreError> {
    holds_data_in(&mut db.read().await?).await
}

async fn holds_data_in(c: &mut Conn) -> Result<Option<(String, u64)>, StoreError> {
    for table in c.tables().await? {
        if NOT_BACKED_UP.contains(&table.as_str()) {
            continue;
        }
        let n = c.count_rows(&table).await?;
        if n > 0 {
            return Ok(Some((table, n.unsigned_abs())));
        }
    }
    Ok(None)
}

async fn ensure_empty_in(c: &mut Conn) -> Result<(), StoreError> {
    match holds_data_in(c).await? {
        Some((table, n)) => Err(StoreError::NotEmpty(format!(
            "the database already holds data (table {table} has {n} rows); restore into an \
             empty database"
        ))),
        None => Ok(()),
    }
}

/// What a restore does with a database that already holds data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Existing {
    /// Refuse it and change nothing.
    Refuse,
    /// Delete every row of every backed-up table first, in the restore's transaction, so a
    /// failed restore leaves the old data in place.
    Replace,
}

/// Empties every backed-up table, children before parents (PostgreSQL checks each
/// statement's foreign keys at once).
async fn delete_everything(tx: &mut Tx) -> Result<(), StoreError> {
    let tables = ordered_tables(tx).await?;
    for table in tables.iter().rev() {
        let q = Query::delete().from_table(Alias::new(table)).to_owned();
        tx.execute(&q).await.map_err(|e| {
            StoreError::Backup(format!(
                "table {table} could not be emptied before the restore: {e}"
            ))
        })?;
    }
    Ok(())
}

/// Restores an opened backup into this migrated database in one transaction; `existing`
/// says whether data already there is refused or replaced, `check` whether the result is
/// read back and compared with the source before it commits. The summary's checksums are
/// of the rows as the file holds them, or as read back when checked.
pub async fn restore<R: Read + Send>(
    db: &Db,
    mut file: BackupFile<R>,
    existing: Existing,
    check: Option<Check<'_>>,
    progress: &mut (dyn FnMut(&str, u64) + Send),
) -> Result<Summary, StoreError> {
    let backend = db.backend();
    let mut tx = db.write().await?;
    // The check at the end reads whole tables back inside this transaction.
    tx.lift_statement_timeout().await?;
    tx.defer_foreign_keys().await?;
    match existing {
        Existing::Refuse => ensure_empty_in(&mut tx).await?,
        Existing::Replace => delete_everything(&mut tx).await?,
    }
    let mut current: Option<Section> = None;
    let mut per_table: Vec<TableSum> = Vec::new();
    let mut total = 0u64;
    loop {
        let item = file.reader.next_item().map_err(bad)?;
        let line = file.reader.line_number();
        match (item, current.as_mut()) {
            (Some(Item::Table { name, columns }), None) => {
                if !file.header.tables.contains(&name) {
                    return Err(StoreError::Backup(format!(
                        "line {line}: table {name} is not listed in the header"
                    )));
                }
                current = Some(section(&mut tx, &name, &columns, line).await?);
            }
            (Some(Item::Row(cells)), Some(s)) => {
                s.add(cells, backend, line)?;
                if s.full() {
                    s.flush(&mut tx).await?;
                }
            }
            (Some(Item::End { name, rows }), Some(s)) => {
                if name != s.table || rows != s.rows {
                    return Err(StoreError::Backup(format!(
                        "line {line}: table {} ends with {} rows, the file says {name} has {rows}",
                        s.table, s.rows
                    )));
                }
                s.flush(&mut tx).await?;
                s.fill_deferred(&mut tx).await?;
                progress(&s.table, s.rows);
                total += s.rows;
                per_table.push(s.sum.finish());
                current = None;
            }
            (Some(Item::Done { rows }), None) => {
                let missing: Vec<&String> = file
                    .header
                    .tables
                    .iter()
                    .filter(|t| !per_table.iter().any(|p| &p.table == *t))
                    .collect();
                if !missing.is_empty() || rows != total {
                    return Err(StoreError::Backup(format!(
                        "the backup is incomplete: {} rows of {rows} arrived, missing tables {missing:?}",
                        total
                    )));
                }
                break;
            }
            (None, _) => {
                return Err(StoreError::Backup(
                    "the backup ends before its end-of-backup line".to_owned(),
                ));
            }
            (Some(_), _) => {
                return Err(StoreError::Backup(format!(
                    "line {line}: this line does not belong here"
                )));
            }
        }
    }
    let problems = tx.integrity_problems().await?;
    if !problems.is_empty() {
        return Err(StoreError::Backup(format!(
            "the restored data fails the integrity check: {}",
            problems.join("; ")
        )));
    }
    if let Some(check) = check {
        let read_back = walk(&mut tx, &mut Discard, check.progress).await?;
        let mismatches = compare(check.expect, &read_back.per_table);
        if !mismatches.is_empty() {
            return Err(StoreError::Mismatch(mismatches));
        }
        per_table = read_back.per_table;
    }
    tx.commit().await?;
    Ok(Summary {
        schema: file.header.schema,
        tables: per_table.len(),
        rows: total,
        per_table,
    })
}

/// Reads an opened backup to its end without restoring it: checks every line and the
/// checksum, and counts the rows (`rapport restore --check`).
pub fn verify<R: Read>(mut file: BackupFile<R>) -> Result<Summary, StoreError> {
    let mut per_table = Vec::new();
    let mut sum: Option<Hasher> = None;
    loop {
        match file.reader.next_item().map_err(bad)? {
            Some(Item::Row(cells)) => {
                if let Some(s) = sum.as_mut() {
                    s.add(&cells);
                }
            }
            Some(Item::End { name, rows }) => {
                let counted = sum
                    .take()
                    .unwrap_or_else(|| Hasher::new(&name, &[]))
                    .finish();
                if rows != counted.rows {
                    return Err(StoreError::Backup(format!(
                        "line {}: table {name} has {} rows, the file says {rows}",
                        file.reader.line_number(),
                        counted.rows
                    )));
                }
                per_table.push(counted);
            }
            Some(Item::Table { name, columns }) => sum = Some(Hasher::new(&name, &columns)),
            Some(Item::Done { rows }) => {
                return Ok(Summary {
                    schema: file.header.schema,
                    tables: per_table.len(),
                    rows,
                    per_table,
                });
            }
            None => {
                return Err(StoreError::Backup(
                    "the backup ends before its end-of-backup line".to_owned(),
                ));
            }
        }
    }
}
