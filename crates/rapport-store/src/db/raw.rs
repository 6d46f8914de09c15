//! Whole-table access for backups and copies: the catalogue of tables, columns and foreign
//! keys, streaming every row of a table as typed cells, and a read-only snapshot that keeps
//! one consistent view of the database while writers carry on.
//!
//! Identifiers here come from the database's own catalogue, never from a request, and are
//! quoted by sea-query when statements are built.

use futures_util::TryStreamExt;
use sea_query::{Alias, PostgresQueryBuilder, Query, SqliteQueryBuilder};
use sqlx::{Row as _, TypeInfo as _, ValueRef as _};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{Conn, ConnInner, Db, Pools, Raw, map_err, micros_of};
use crate::error::StoreError;

/// One value of a row, in the richest type its backend gives.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Float(f64),
    Text(String),
    Bytes(Vec<u8>),
    Bool(bool),
    Uuid(Uuid),
    /// Microseconds since the Unix epoch.
    Ts(i64),
    /// `YYYY-MM-DD`.
    Date(String),
    Json(serde_json::Value),
}

/// A column as the catalogue describes it. `ty` is lowercase: SQLite's declared type
/// (`blob`, `integer`, `text`) or PostgreSQL's `data_type` (`uuid`, `timestamp with time
/// zone`, …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub ty: String,
    pub nullable: bool,
    pub generated: bool,
    pub primary_key: bool,
}

/// A foreign key of a table: its columns and the columns they reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForeignKey {
    pub columns: Vec<String>,
    pub references: String,
    pub referenced_columns: Vec<String>,
}

fn sqlite_text(row: &sqlx::sqlite::SqliteRow, i: usize) -> Result<String, StoreError> {
    row.try_get::<String, _>(i).map_err(map_err)
}

impl Db {
    /// A connection inside a read-only transaction: every read through it sees the database
    /// as it was at the first one, whatever commits meanwhile. Dropping it ends the snapshot.
    pub async fn snapshot(&self) -> Result<Conn, StoreError> {
        let inner = match &*self.pools {
            // In WAL mode a deferred transaction's first read fixes its view of the file.
            Pools::Sqlite { reader, .. } => {
                ConnInner::SqliteTx(reader.begin().await.map_err(map_err)?)
            }
            Pools::Postgres(pool) => ConnInner::PostgresTx(
                pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await
                    .map_err(map_err)?,
            ),
        };
        let mut conn = Conn { inner };
        conn.lift_statement_timeout().await?;
        Ok(conn)
    }
}

impl Conn {
    /// Ordinary tables: no SQLite internals, no full-text index tables (they are rebuilt
    /// from `search_docs`).
    pub async fn tables(&mut self) -> Result<Vec<String>, StoreError> {
        match self.raw() {
            Raw::Sqlite(c) => {
                let rows = sqlx::query(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'table' \
                     AND name NOT LIKE 'sqlite_%' ORDER BY name",
                )
                .fetch_all(c)
                .await
                .map_err(map_err)?;
                let mut virtual_tables = Vec::new();
                let mut all = Vec::new();
                for r in &rows {
                    let name = sqlite_text(r, 0)?;
                    let sql: String = r
                        .try_get::<Option<String>, _>(1)
                        .map_err(map_err)?
                        .unwrap_or_default();
                    if sql
                        .trim_start()
                        .to_ascii_uppercase()
                        .starts_with("CREATE VIRTUAL TABLE")
                    {
                        virtual_tables.push(name);
                    } else {
                        all.push(name);
                    }
                }
                // FTS5 keeps its index in shadow tables named after the virtual table.
                all.retain(|t| {
                    !virtual_tables
                        .iter()
                        .any(|v| t.starts_with(&format!("{v}_")))
                });
                Ok(all)
            }
            Raw::Postgres(c) => {
                let rows = sqlx::query(
                    "SELECT table_name::text FROM information_schema.tables \
                     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
                     ORDER BY table_name",
                )
                .fetch_all(c)
                .await
                .map_err(map_err)?;
                rows.iter()
                    .map(|r| r.try_get::<String, _>(0).map_err(map_err))
                    .collect()
            }
        }
    }

    pub async fn columns(&mut self, table: &str) -> Result<Vec<Column>, StoreError> {
        match self.raw() {
            Raw::Sqlite(c) => {
                // `hidden` is 2 or 3 for generated columns.
                let rows = sqlx::query(
                    "SELECT name, type, \"notnull\", pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid",
                )
                .bind(table)
                .fetch_all(c)
                .await
                .map_err(map_err)?;
                rows.iter()
                    .map(|r| {
                        Ok(Column {
                            name: sqlite_text(r, 0)?,
                            ty: sqlite_text(r, 1)?.to_ascii_lowercase(),
                            nullable: r.try_get::<i64, _>(2).map_err(map_err)? == 0,
                            primary_key: r.try_get::<i64, _>(3).map_err(map_err)? > 0,
                            generated: r.try_get::<i64, _>(4).map_err(map_err)? >= 2,
                        })
                    })
                    .collect()
            }
            Raw::Postgres(c) => {
                let rows = sqlx::query(
                    "SELECT c.column_name::text, c.data_type::text, c.is_nullable = 'YES', \
                     c.is_generated = 'ALWAYS', EXISTS ( \
                       SELECT 1 FROM information_schema.table_constraints tc \
                       JOIN information_schema.key_column_usage k \
                         ON k.constraint_name = tc.constraint_name \
                        AND k.table_schema = tc.table_schema AND k.table_name = tc.table_name \
                       WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = c.table_schema \
                         AND tc.table_name = c.table_name AND k.column_name = c.column_name) \
                     FROM information_schema.columns c \
                     WHERE c.table_schema = current_schema() AND c.table_name = $1 \
                     ORDER BY c.ordinal_position",
                )
                .bind(table)
                .fetch_all(c)
                .await
                .map_err(map_err)?;
                rows.iter()
                    .map(|r| {
                        Ok(Column {
                            name: r.try_get(0).map_err(map_err)?,
                            ty: r
                                .try_get::<String, _>(1)
                                .map_err(map_err)?
                                .to_ascii_lowercase(),
                            nullable: r.try_get(2).map_err(map_err)?,
                            generated: r.try_get(3).map_err(map_err)?,
                            primary_key: r.try_get(4).map_err(map_err)?,
                        })
                    })
                    .collect()
            }
        }
    }

    pub async fn foreign_keys(&mut self, table: &str) -> Result<Vec<ForeignKey>, StoreError> {
        let rows: Vec<(String, String, String, String)> = match self.raw() {
            Raw::Sqlite(c) => {
                let rows = sqlx::query(
                    "SELECT CAST(id AS TEXT), \"table\", \"from\", \"to\" \
                     FROM pragma_foreign_key_list(?) ORDER BY id, seq",
                )
                .bind(table)
                .fetch_all(c)
                .await
                .map_err(map_err)?;
                rows.iter()
                    .map(|r| {
                        Ok((
                            sqlite_text(r, 0)?,
                            sqlite_text(r, 1)?,
                            sqlite_text(r, 2)?,
                            sqlite_text(r, 3)?,
                        ))
                    })
                    .collect::<Result<_, StoreError>>()?
            }
            Raw::Postgres(c) => {
                let rows = sqlx::query(
                    "SELECT con.conname::text, ref.relname::text, a.attname::text, fa.attname::text \
                     FROM pg_constraint con \
                     JOIN pg_class tbl ON tbl.oid = con.conrelid \
                     JOIN pg_namespace ns ON ns.oid = tbl.relnamespace \
                     JOIN pg_class ref ON ref.oid = con.confrelid \
                     CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY \
                       AS k(attnum, fattnum, ord) \
                     JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum \
                     JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = k.fattnum \
                     WHERE con.contype = 'f' AND tbl.relname = $1 AND ns.nspname = current_schema() \
                     ORDER BY con.conname, k.ord",
                )
                .bind(table)
                .fetch_all(c)
                .await
                .map_err(map_err)?;
                rows.iter()
                    .map(|r| {
                        Ok((
                            r.try_get(0).map_err(map_err)?,
                            r.try_get(1).map_err(map_err)?,
                            r.try_get(2).map_err(map_err)?,
                            r.try_get(3).map_err(map_err)?,
                        ))
                    })
                    .collect::<Result<_, StoreError>>()?
            }
        };
        let mut out: Vec<(String, ForeignKey)> = Vec::new();
        for (key, references, from, to) in rows {
            match out.iter_mut().find(|(k, _)| *k == key) {
                Some((_, fk)) => {
                    fk.columns.push(from);
                    fk.referenced_columns.push(to);
                }
                None => out.push((
                    key,
                    ForeignKey {
                        columns: vec![from],
                        references,
                        referenced_columns: vec![to],
                    },
                )),
            }
        }
        Ok(out.into_iter().map(|(_, fk)| fk).collect())
    }

    pub async fn count_rows(&mut self, table: &str) -> Result<i64, StoreError> {
        let q = Query::select()
            .expr(sea_query::Expr::cust("COUNT(*)"))
            .from(Alias::new(table))
            .to_owned();
        let row = self.fetch_one(&q).await?;
        match row {
            super::Row::Sqlite(r) => r.try_get::<i64, _>(0).map_err(map_err),
            super::Row::Postgres(r) => r.try_get::<i64, _>(0).map_err(map_err),
        }
    }

    /// Calls `each` with every row of `table` (the given columns, in primary-key order where
    /// there is one), streaming: memory stays flat however large the table.
    pub async fn each_row(
        &mut self,
        table: &str,
        columns: &[Column],
        each: &mut (dyn FnMut(Vec<Cell>) -> Result<(), StoreError> + Send),
    ) -> Result<u64, StoreError> {
        let mut q = Query::select();
        q.from(Alias::new(table));
        for c in columns {
            q.column(Alias::new(&c.name));
        }
        for c in columns.iter().filter(|c| c.primary_key) {
            q.order_by(Alias::new(&c.name), sea_query::Order::Asc);
        }
        let mut n = 0u64;
        match self.raw() {
            Raw::Sqlite(c) => {
                let sql = q.to_string(SqliteQueryBuilder);
                let mut rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch(c);
                while let Some(row) = rows.try_next().await.map_err(map_err)? {
                    each(sqlite_cells(&row)?)?;
                    n += 1;
                }
            }
            Raw::Postgres(c) => {
                let sql = q.to_string(PostgresQueryBuilder);
                let mut rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch(c);
                while let Some(row) = rows.try_next().await.map_err(map_err)? {
                    each(postgres_cells(&row, columns)?)?;
                    n += 1;
                }
            }
        }
        Ok(n)
    }

    /// SQLite checks foreign keys at commit for the rest of this transaction, so rows can
    /// arrive children first (restores). PostgreSQL has no equivalent for our constraints;
    /// there the caller orders tables and fills self-references afterwards.
    pub async fn defer_foreign_keys(&mut self) -> Result<(), StoreError> {
        match self.raw() {
            Raw::Sqlite(c) => sqlx::raw_sql("PRAGMA defer_foreign_keys = ON")
                .execute(c)
                .await
                .map(drop)
                .map_err(map_err),
            Raw::Postgres(_) => Ok(()),
        }
    }

    /// Problems the database finds in itself: SQLite's integrity and foreign-key checks.
    /// PostgreSQL enforces both on every write, so it reports none.
    pub async fn integrity_problems(&mut self) -> Result<Vec<String>, StoreError> {
        match self.raw() {
            Raw::Sqlite(c) => {
                let mut out = Vec::new();
                let rows = sqlx::query("PRAGMA integrity_check")
                    .fetch_all(&mut *c)
                    .await
                    .map_err(map_err)?;
                for r in &rows {
                    let line = sqlite_text(r, 0)?;
                    if line != "ok" {
                        out.push(line);
                    }
                }
                let rows = sqlx::query("PRAGMA foreign_key_check")
                    .fetch_all(&mut *c)
                    .await
                    .map_err(map_err)?;
                for r in &rows {
                    out.push(format!(
                        "foreign key of {} row {} points at a missing {} row",
                        sqlite_text(r, 0)?,
                        r.try_get::<Option<i64>, _>(1)
                            .map_err(map_err)?
                            .unwrap_or(0),
                        sqlite_text(r, 2)?
                    ));
                }
                Ok(out)
            }
            Raw::Postgres(_) => Ok(Vec::new()),
        }
    }
}

fn sqlite_cells(row: &sqlx::sqlite::SqliteRow) -> Result<Vec<Cell>, StoreError> {
    let mut out = Vec::with_capacity(row.columns().len());
    for i in 0..row.columns().len() {
        let raw = row.try_get_raw(i).map_err(map_err)?;
        if raw.is_null() {
            out.push(Cell::Null);
            continue;
        }
        // SQLite types values, not columns: ask each value what it holds.
        let kind = raw.type_info().name().to_ascii_uppercase();
        out.push(match kind.as_str() {
            "INTEGER" => Cell::Int(row.try_get(i).map_err(map_err)?),
            "REAL" => Cell::Float(row.try_get(i).map_err(map_err)?),
            "BLOB" => Cell::Bytes(row.try_get(i).map_err(map_err)?),
            _ => Cell::Text(row.try_get(i).map_err(map_err)?),
        });
    }
    Ok(out)
}

fn postgres_cells(
    row: &sqlx::postgres::PgRow,
    columns: &[Column],
) -> Result<Vec<Cell>, StoreError> {
    let mut out = Vec::with_capacity(columns.len());
    for (i, col) in columns.iter().enumerate() {
        let raw = row.try_get_raw(i).map_err(map_err)?;
        if raw.is_null() {
            out.push(Cell::Null);
            continue;
        }
        let get_err = |e: sqlx::Error| StoreError::Decode(format!("column {}: {e}", col.name));
        out.push(match col.ty.as_str() {
            "uuid" => Cell::Uuid(row.try_get(i).map_err(get_err)?),
            "timestamp with time zone" => Cell::Ts(micros_of(
                row.try_get::<OffsetDateTime, _>(i).map_err(get_err)?,
            )),
            "bigint" => Cell::Int(row.try_get(i).map_err(get_err)?),
            "integer" => Cell::Int(i64::from(row.try_get::<i32, _>(i).map_err(get_err)?)),
            "smallint" => Cell::Int(i64::from(row.try_get::<i16, _>(i).map_err(get_err)?)),
            "boolean" => Cell::Bool(row.try_get(i).map_err(get_err)?),
            "double precision" => Cell::Float(row.try_get(i).map_err(get_err)?),
            "real" => Cell::Float(f64::from(row.try_get::<f32, _>(i).map_err(get_err)?)),
            "bytea" => Cell::Bytes(row.try_get(i).map_err(get_err)?),
            "date" => Cell::Date(
                row.try_get::<time::Date, _>(i)
                    .map_err(get_err)?
                    .to_string(),
            ),
            "jsonb" | "json" => Cell::Json(
                row.try_get::<sqlx::types::Json<serde_json::Value>, _>(i)
                    .map_err(get_err)?
                    .0,
            ),
            "text" | "character varying" | "character" => {
                Cell::Text(row.try_get(i).map_err(get_err)?)
            }
            other => {
                return Err(StoreError::Decode(format!(
                    "column {} has type {other}, which backups do not handle",
                    col.name
                )));
            }
        });
    }
    Ok(out)
}
