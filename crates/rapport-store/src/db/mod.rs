//! The only module that talks to sqlx.
//!
//! Queries are written once with sea-query and built for the connected backend here; values
//! are bound here too, which is where the two storage representations meet: SQLite keeps
//! instants as INTEGER microseconds, UUIDs as 16-byte BLOBs and JSON as TEXT; PostgreSQL keeps
//! `timestamptz`, `uuid` and `jsonb`. Store modules never see the difference.

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use rapport_core::{Id, Timestamp};
use sea_query::{
    Expr, PostgresQueryBuilder, QueryStatementWriter, SqliteQueryBuilder, Value, Values,
};
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{AssertSqlSafe, Postgres, Row as _, Sqlite, Transaction};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::error::{StoreError, UnsafeSetting};

mod raw;
mod shape;

pub use raw::{Cell, Column, ForeignKey};
pub use shape::Index;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// How to reach the database and how much of it to use.
#[derive(Clone, Debug)]
pub struct DbOptions {
    /// `sqlite://path/to/file.db` or `postgres://user@host/db`.
    pub url: String,
    /// Start even when the settings would lose acknowledged writes (logged as a warning).
    pub allow_unsafe: bool,
    /// PostgreSQL pool size; on SQLite the number of read connections (there is one writer).
    pub max_connections: u32,
    /// How long a request waits for a free connection before failing with 503.
    pub acquire_timeout: Duration,
    /// How long SQLite waits for a lock held by another process.
    pub busy_timeout: Duration,
    /// PostgreSQL cancels a statement that runs longer (its `statement_timeout`), so a
    /// runaway query cannot hold a connection and its locks; `None` leaves the server's.
    pub statement_timeout: Option<Duration>,
}

impl DbOptions {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            allow_unsafe: false,
            max_connections: 8,
            acquire_timeout: Duration::from_secs(5),
            busy_timeout: Duration::from_secs(5),
            statement_timeout: None,
        }
    }
}

/// A handle to the database, cheap to clone.
#[derive(Clone)]
pub struct Db {
    pools: Arc<Pools>,
}

enum Pools {
    /// SQLite allows one writer at a time; a one-connection write pool queues writers in
    /// process instead of letting them spin on the file lock.
    Sqlite {
        writer: sqlx::SqlitePool,
        reader: sqlx::SqlitePool,
    },
    Postgres(sqlx::PgPool),
}

impl Db {
    /// Connects, applies the durability settings, and refuses unsafe ones unless allowed.
    pub async fn connect(options: &DbOptions) -> Result<Db, StoreError> {
        let url = options.url.trim();
        let db = if url.starts_with("sqlite:") {
            connect_sqlite(url, options).await?
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            connect_postgres(url, options).await?
        } else {
            return Err(StoreError::Config(
                "the database URL must start with sqlite: or postgres://".to_owned(),
            ));
        };
        let problems = db.unsafe_settings().await?;
        if !problems.is_empty() {
            if !options.allow_unsafe {
                db.close().await;
                return Err(StoreError::UnsafeSettings(problems));
            }
            for p in &problems {
                tracing::warn!(setting = p.setting, actual = %p.actual, required = p.required,
                    "unsafe database setting allowed by --allow-unsafe-db; acknowledged writes may be lost");
            }
        }
        Ok(db)
    }

    pub fn backend(&self) -> Backend {
        match &*self.pools {
            Pools::Sqlite { .. } => Backend::Sqlite,
            Pools::Postgres(_) => Backend::Postgres,
        }
    }

    /// A connection for reads outside any transaction.
    pub async fn read(&self) -> Result<Conn, StoreError> {
        let inner = match &*self.pools {
            Pools::Sqlite { reader, .. } => {
                ConnInner::Sqlite(reader.acquire().await.map_err(map_err)?)
            }
            Pools::Postgres(pool) => ConnInner::Postgres(pool.acquire().await.map_err(map_err)?),
        };
        Ok(Conn { inner })
    }

    /// A write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`), so
    /// it never fails half-way with "database is locked" when a read turns into a write.
    pub async fn write(&self) -> Result<Tx, StoreError> {
        let inner = match &*self.pools {
            Pools::Sqlite { writer, .. } => ConnInner::SqliteTx(
                writer
                    .begin_with("BEGIN IMMEDIATE")
                    .await
                    .map_err(map_err)?,
            ),
            Pools::Postgres(pool) => ConnInner::PostgresTx(pool.begin().await.map_err(map_err)?),
        };
        Ok(Tx {
            conn: Conn { inner },
        })
    }

    /// Refreshes the query planner's statistics where they are missing or stale. SQLite has
    /// none until ANALYZE runs, and without them it prefers an index that serves an ORDER
    /// BY over one that finds the few rows asked for (a 20-row tag lookup took 12 ms on
    /// 100,000 contacts). Sampling keeps it to milliseconds on large tables.
    ///
    /// PostgreSQL's autovacuum analyzes by itself, but only a minute or more after a bulk
    /// load, and until then the planner guesses (a prefix search took 50 s instead of
    /// 14 ms). So tables never analyzed, or changed by more than autovacuum's own share
    /// since, are analyzed now; the rest are left alone, which keeps a start-up cheap.
    pub async fn optimize(&self) -> Result<(), StoreError> {
        match &*self.pools {
            Pools::Sqlite { writer, .. } => {
                let mut c = writer.acquire().await.map_err(map_err)?;
                sqlx::raw_sql(OPTIMIZE)
                    .execute(&mut *c)
                    .await
                    .map(drop)
                    .map_err(map_err)
            }
            Pools::Postgres(pool) => {
                let mut tx = pool.begin().await.map_err(map_err)?;
                let stale: Vec<String> = sqlx::query_scalar(PG_STALE_TABLES)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(map_err)?;
                if stale.is_empty() {
                    return Ok(());
                }
                let tables: Vec<String> = stale
                    .iter()
                    .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
                    .collect();
                // Analyzing a large table takes longer than the timeout sized for requests.
                sqlx::raw_sql("SET LOCAL statement_timeout = 0")
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                sqlx::raw_sql(AssertSqlSafe(format!("ANALYZE {}", tables.join(", "))))
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
                tx.commit().await.map_err(map_err)
            }
        }
    }

    /// A cheap round trip for readiness checks.
    pub async fn ping(&self) -> Result<(), StoreError> {
        let mut conn = self.read().await?;
        conn.execute_script("SELECT 1").await
    }

    pub async fn close(&self) {
        match &*self.pools {
            Pools::Sqlite { writer, reader } => {
                reader.close().await;
                writer.close().await;
            }
            Pools::Postgres(pool) => pool.close().await,
        }
    }

    /// Settings under which an acknowledged write could be lost (SECURITY.md R10).
    pub async fn unsafe_settings(&self) -> Result<Vec<UnsafeSetting>, StoreError> {
        let mut problems = Vec::new();
        match &*self.pools {
            Pools::Sqlite { writer, .. } => {
                let mut c = writer.acquire().await.map_err(map_err)?;
                let mode: String = pragma(&mut c, "PRAGMA journal_mode").await?;
                if !mode.eq_ignore_ascii_case("wal") {
                    problems.push(UnsafeSetting::new("journal_mode", mode, "wal"));
                }
                let sync: i64 = pragma(&mut c, "PRAGMA synchronous").await?;
                if sync < 2 {
                    let name = if sync == 0 { "off" } else { "normal" };
                    problems.push(UnsafeSetting::new(
                        "synchronous",
                        name.to_owned(),
                        "full or extra",
                    ));
                }
                let fk: i64 = pragma(&mut c, "PRAGMA foreign_keys").await?;
                if fk != 1 {
                    problems.push(UnsafeSetting::new("foreign_keys", "off".to_owned(), "on"));
                }
            }
            Pools::Postgres(pool) => {
                let mut c = pool.acquire().await.map_err(map_err)?;
                let checks: [(&'static str, &'static str); 3] = [
                    ("fsync", "SHOW fsync"),
                    ("synchronous_commit", "SHOW synchronous_commit"),
                    ("full_page_writes", "SHOW full_page_writes"),
                ];
                for (setting, sql) in checks {
                    let row = sqlx::query(sql).fetch_one(&mut *c).await.map_err(map_err)?;
                    let value: String = row.try_get(0).map_err(map_err)?;
                    if value == "off" {
                        problems.push(UnsafeSetting::new(setting, value, "on"));
                    }
                }
                let row = sqlx::query("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                    .fetch_one(&mut *c)
                    .await
                    .map_err(map_err)?;
                let superuser: bool = row.try_get(0).map_err(map_err)?;
                if superuser {
                    problems.push(UnsafeSetting::new(
                        "role",
                        "superuser".to_owned(),
                        "a role without SUPERUSER",
                    ));
                }
            }
        }
        Ok(problems)
    }
}

async fn pragma<T>(c: &mut sqlx::SqliteConnection, sql: &'static str) -> Result<T, StoreError>
where
    T: for<'r> sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite>,
{
    let row = sqlx::query(sql).fetch_one(&mut *c).await.map_err(map_err)?;
    row.try_get(0).map_err(map_err)
}

/// Our own URL parameters for SQLite, taken out before sqlx parses the rest. They exist so
/// an operator can knowingly trade durability for speed (with `--allow-unsafe-db`), and so
/// the start-up guard can be tested.
struct SqliteOverrides {
    journal_mode: Option<SqliteJournalMode>,
    synchronous: Option<SqliteSynchronous>,
    foreign_keys: Option<bool>,
}

fn split_sqlite_url(url: &str) -> Result<(String, SqliteOverrides), StoreError> {
    let mut overrides = SqliteOverrides {
        journal_mode: None,
        synchronous: None,
        foreign_keys: None,
    };
    let Some((base, query)) = url.split_once('?') else {
        return Ok((url.to_owned(), overrides));
    };
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let bad = || {
            StoreError::Config(format!(
                "unsupported value {value:?} for {key} in the database URL"
            ))
        };
        match key {
            "journal_mode" => {
                overrides.journal_mode =
                    Some(SqliteJournalMode::from_str(value).map_err(|_| bad())?);
            }
            "synchronous" => {
                overrides.synchronous =
                    Some(SqliteSynchronous::from_str(value).map_err(|_| bad())?);
            }
            "foreign_keys" => {
                overrides.foreign_keys = Some(match value {
                    "on" | "true" | "1" => true,
                    "off" | "false" | "0" => false,
                    _ => return Err(bad()),
                });
            }
            _ => kept.push(pair),
        }
    }
    let rest = if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    Ok((rest, overrides))
}

/// Rows ANALYZE samples per index: statistics good enough for the planner in milliseconds.
const ANALYSIS_LIMIT: u32 = 1000;
/// Static SQL (no string-built statements); keep its limit equal to `ANALYSIS_LIMIT`.
const OPTIMIZE: &str = "PRAGMA analysis_limit = 1000; PRAGMA optimize = 0x10002;";

/// The tables of this schema that `optimize` analyzes on PostgreSQL: never analyzed, or
/// with more rows changed since than autovacuum's default trigger (10 % of the table), with
/// a floor so that a start-up after a few writes analyzes nothing. The activity counters
/// start empty after a crash and in a copied database, while the statistics themselves
/// survive both; so "never analyzed" also asks that the table have no statistics, or each
/// such start-up would analyze every table again (5 s at 100,000 contacts).
const PG_STALE_TABLES: &str = "SELECT t.relname::text FROM pg_stat_user_tables t \
    WHERE t.schemaname = current_schema() \
    AND ((t.last_analyze IS NULL AND t.last_autoanalyze IS NULL \
          AND NOT EXISTS (SELECT 1 FROM pg_stats s \
                          WHERE s.schemaname = t.schemaname AND s.tablename = t.relname)) \
    OR t.n_mod_since_analyze > 1000 + t.n_live_tup / 10) \
    ORDER BY t.relname";

/// The writer's page cache, in KiB as a negative number (SQLite's convention).
const WRITER_CACHE_KIB: i64 = -32 * 1024;

async fn connect_sqlite(url: &str, options: &DbOptions) -> Result<Db, StoreError> {
    let (url, overrides) = split_sqlite_url(url)?;
    let base = SqliteConnectOptions::from_str(&url)
        .map_err(|e| StoreError::Config(format!("invalid SQLite URL: {e}")))?;
    let in_memory = url.contains(":memory:") || url.contains("mode=memory");
    if !in_memory
        && let Some(dir) = Path::new(base.get_filename()).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).map_err(|e| {
            StoreError::Config(format!(
                "cannot create the data directory {}: {e}",
                dir.display()
            ))
        })?;
    }
    let connect = base
        .create_if_missing(true)
        .journal_mode(overrides.journal_mode.unwrap_or(SqliteJournalMode::Wal))
        .synchronous(overrides.synchronous.unwrap_or(SqliteSynchronous::Full))
        .foreign_keys(overrides.foreign_keys.unwrap_or(true))
        .busy_timeout(options.busy_timeout)
        // Unbounded, the ANALYZE behind this took seconds on a multi-gigabyte file.
        .optimize_on_close(true, Some(ANALYSIS_LIMIT));
    // Every write passes through this one connection. With SQLite's default 2 MiB page
    // cache, a large transaction (an import, the demo at bench scale) spilled index pages
    // to the WAL mid-transaction and read them back; 32 MiB keeps a 10,000-record batch in
    // memory. Readers keep the default: there are several of them and the OS caches pages.
    // SQLite connections never go stale, and recycling the only writer (sqlx does so every
    // 30 minutes by default) stalled every write while the old one closed: a 40-minute
    // bulk load failed with a pool timeout.
    let writer = SqlitePoolOptions::new()
        .max_connections(1)
        .max_lifetime(None)
        .idle_timeout(None)
        .acquire_timeout(options.acquire_timeout)
        .connect_with(
            connect
                .clone()
                .pragma("cache_size", WRITER_CACHE_KIB.to_string()),
        )
        .await
        .map_err(map_err)?;
    // An in-memory database exists once per connection; readers must share the writer.
    let reader = if in_memory {
        writer.clone()
    } else {
        // Readers must never write: a reader closed after its idle timeout used to run the
        // ANALYZE of `optimize_on_close`, a write that held the lock for seconds on a
        // multi-gigabyte file and failed the writer's transaction with "database is locked"
        // (a 1M-contact bulk load died of it). `query_only` makes any such write an error.
        SqlitePoolOptions::new()
            .max_connections(options.max_connections.max(1))
            .max_lifetime(None)
            .acquire_timeout(options.acquire_timeout)
            .connect_with(
                connect
                    .optimize_on_close(false, None)
                    .pragma("query_only", "ON"),
            )
            .await
            .map_err(map_err)?
    };
    Ok(Db {
        pools: Arc::new(Pools::Sqlite { writer, reader }),
    })
}

async fn connect_postgres(url: &str, options: &DbOptions) -> Result<Db, StoreError> {
    let connect = PgConnectOptions::from_str(url)
        .map_err(|e| StoreError::Config(format!("invalid PostgreSQL URL: {e}")))?
        .application_name("rapport");
    let connect = match options.statement_timeout {
        Some(t) => connect.options([("statement_timeout", format!("{}ms", t.as_millis()))]),
        None => connect,
    };
    let pool = PgPoolOptions::new()
        .max_connections(options.max_connections.max(1))
        .acquire_timeout(options.acquire_timeout)
        .connect_with(connect)
        .await
        .map_err(map_err)?;
    Ok(Db {
        pools: Arc::new(Pools::Postgres(pool)),
    })
}

/// A pooled connection, or a transaction on one. Store read functions take `&mut Conn`;
/// a `Tx` derefs to it, so the same read can run inside a write transaction.
pub struct Conn {
    inner: ConnInner,
}

enum ConnInner {
    Sqlite(PoolConnection<Sqlite>),
    SqliteTx(Transaction<'static, Sqlite>),
    Postgres(PoolConnection<Postgres>),
    PostgresTx(Transaction<'static, Postgres>),
}

enum Raw<'c> {
    Sqlite(&'c mut sqlx::SqliteConnection),
    Postgres(&'c mut sqlx::PgConnection),
}

impl Conn {
    /// Lifts PostgreSQL's `statement_timeout` for the rest of this transaction: for work
    /// that is long by nature (whole-table reads of a backup or copy, migrations), where the
    /// setting sized for requests would cancel it half-way. Outside a transaction it would
    /// last for the pooled connection's life, so only transactions call it.
    pub(crate) async fn lift_statement_timeout(&mut self) -> Result<(), StoreError> {
        match &mut self.inner {
            ConnInner::PostgresTx(tx) => sqlx::raw_sql("SET LOCAL statement_timeout = 0")
                .execute(&mut **tx)
                .await
                .map(drop)
                .map_err(map_err),
            _ => Ok(()),
        }
    }
}

impl Conn {
    pub fn backend(&self) -> Backend {
        match self.inner {
            ConnInner::Sqlite(_) | ConnInner::SqliteTx(_) => Backend::Sqlite,
            ConnInner::Postgres(_) | ConnInner::PostgresTx(_) => Backend::Postgres,
        }
    }

    fn raw(&mut self) -> Raw<'_> {
        match &mut self.inner {
            ConnInner::Sqlite(c) => Raw::Sqlite(c),
            ConnInner::SqliteTx(t) => Raw::Sqlite(t),
            ConnInner::Postgres(c) => Raw::Postgres(c),
            ConnInner::PostgresTx(t) => Raw::Postgres(t),
        }
    }

    pub(crate) async fn fetch_all<Q: QueryStatementWriter>(
        &mut self,
        stmt: &Q,
    ) -> Result<Vec<Row>, StoreError> {
        match self.raw() {
            Raw::Sqlite(c) => {
                let (sql, values) = stmt.build(SqliteQueryBuilder);
                let rows = bind_sqlite(&sql, values)?
                    .fetch_all(c)
                    .await
                    .map_err(map_err)?;
                Ok(rows.into_iter().map(Row::Sqlite).collect())
            }
            Raw::Postgres(c) => {
                let (sql, values) = stmt.build(PostgresQueryBuilder);
                let rows = bind_postgres(&sql, values)?
                    .fetch_all(c)
                    .await
                    .map_err(map_err)?;
                Ok(rows.into_iter().map(Row::Postgres).collect())
            }
        }
    }

    pub(crate) async fn fetch_optional<Q: QueryStatementWriter>(
        &mut self,
        stmt: &Q,
    ) -> Result<Option<Row>, StoreError> {
        match self.raw() {
            Raw::Sqlite(c) => {
                let (sql, values) = stmt.build(SqliteQueryBuilder);
                let row = bind_sqlite(&sql, values)?
                    .fetch_optional(c)
                    .await
                    .map_err(map_err)?;
                Ok(row.map(Row::Sqlite))
            }
            Raw::Postgres(c) => {
                let (sql, values) = stmt.build(PostgresQueryBuilder);
                let row = bind_postgres(&sql, values)?
                    .fetch_optional(c)
                    .await
                    .map_err(map_err)?;
                Ok(row.map(Row::Postgres))
            }
        }
    }

    pub(crate) async fn fetch_one<Q: QueryStatementWriter>(
        &mut self,
        stmt: &Q,
    ) -> Result<Row, StoreError> {
        self.fetch_optional(stmt).await?.ok_or(StoreError::NotFound)
    }

    /// Runs a statement and returns the number of rows it changed.
    pub(crate) async fn execute<Q: QueryStatementWriter>(
        &mut self,
        stmt: &Q,
    ) -> Result<u64, StoreError> {
        match self.raw() {
            Raw::Sqlite(c) => {
                let (sql, values) = stmt.build(SqliteQueryBuilder);
                let done = bind_sqlite(&sql, values)?
                    .execute(c)
                    .await
                    .map_err(map_err)?;
                Ok(done.rows_affected())
            }
            Raw::Postgres(c) => {
                let (sql, values) = stmt.build(PostgresQueryBuilder);
                let done = bind_postgres(&sql, values)?
                    .execute(c)
                    .await
                    .map_err(map_err)?;
                Ok(done.rows_affected())
            }
        }
    }

    /// Runs fixed SQL text (migrations, pragmas). Only compile-time strings are accepted, so
    /// no runtime value can reach it.
    pub(crate) async fn execute_script(&mut self, sql: &'static str) -> Result<(), StoreError> {
        match self.raw() {
            Raw::Sqlite(c) => sqlx::raw_sql(sql)
                .execute(c)
                .await
                .map(drop)
                .map_err(map_err),
            Raw::Postgres(c) => sqlx::raw_sql(sql)
                .execute(c)
                .await
                .map(drop)
                .map_err(map_err),
        }
    }
}

/// A write transaction. Dropping it without `commit` rolls it back.
pub struct Tx {
    conn: Conn,
}

impl std::ops::Deref for Tx {
    type Target = Conn;

    fn deref(&self) -> &Conn {
        &self.conn
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.conn
    }
}

impl Tx {
    /// Makes the transaction durable. Nothing is acknowledged to a client before this returns.
    pub async fn commit(self) -> Result<(), StoreError> {
        match self.conn.inner {
            ConnInner::SqliteTx(t) => t.commit().await.map_err(map_err),
            ConnInner::PostgresTx(t) => t.commit().await.map_err(map_err),
            ConnInner::Sqlite(_) | ConnInner::Postgres(_) => Ok(()),
        }
    }

    /// Serialises concurrent migrators on PostgreSQL; SQLite's `BEGIN IMMEDIATE` already does.
    pub(crate) async fn lock_for_migration(&mut self) -> Result<(), StoreError> {
        // A node waiting here for another's long migration must not give up after the
        // request-sized statement timeout, nor may an index build on a large table.
        self.conn.lift_statement_timeout().await?;
        match self.conn.raw() {
            Raw::Sqlite(_) => Ok(()),
            Raw::Postgres(c) => {
                // Any fixed number shared by every Rapport node; "rapport" in ASCII.
                sqlx::raw_sql("SELECT pg_advisory_xact_lock(114971112111114116)")
                    .execute(c)
                    .await
                    .map(drop)
                    .map_err(map_err)
            }
        }
    }
}

type SqliteQuery = sqlx::query::Query<'static, Sqlite, sqlx::sqlite::SqliteArguments>;
type PgQuery = sqlx::query::Query<'static, Postgres, sqlx::postgres::PgArguments>;

fn unsupported(v: &Value) -> StoreError {
    StoreError::Internal(format!("no binding for value {v:?}").into())
}

fn bind_sqlite(sql: &str, values: Values) -> Result<SqliteQuery, StoreError> {
    let mut q: SqliteQuery = sqlx::query(AssertSqlSafe(sql.to_owned()));
    for v in values.0 {
        q = match v {
            Value::Bool(b) => q.bind(b),
            Value::TinyInt(i) => q.bind(i.map(i64::from)),
            Value::SmallInt(i) => q.bind(i.map(i64::from)),
            Value::Int(i) => q.bind(i.map(i64::from)),
            Value::BigInt(i) => q.bind(i),
            Value::TinyUnsigned(i) => q.bind(i.map(i64::from)),
            Value::SmallUnsigned(i) => q.bind(i.map(i64::from)),
            Value::Unsigned(i) => q.bind(i.map(i64::from)),
            Value::BigUnsigned(i) => q.bind(i.map(clamp_u64)),
            Value::Double(f) => q.bind(f),
            Value::Float(f) => q.bind(f.map(f64::from)),
            Value::String(s) => q.bind(s),
            Value::Bytes(b) => q.bind(b),
            Value::Uuid(u) => q.bind(u),
            Value::Json(j) => q.bind(j.map(|j| j.to_string())),
            Value::TimeDateTimeWithTimeZone(t) => q.bind(t.map(micros_of)),
            Value::TimeDate(d) => q.bind(d.map(|d| d.to_string())),
            other => return Err(unsupported(&other)),
        };
    }
    Ok(q)
}

fn bind_postgres(sql: &str, values: Values) -> Result<PgQuery, StoreError> {
    let mut q: PgQuery = sqlx::query(AssertSqlSafe(sql.to_owned()));
    for v in values.0 {
        q = match v {
            Value::Bool(b) => q.bind(b),
            Value::TinyInt(i) => q.bind(i.map(i64::from)),
            Value::SmallInt(i) => q.bind(i.map(i64::from)),
            Value::Int(i) => q.bind(i.map(i64::from)),
            Value::BigInt(i) => q.bind(i),
            Value::TinyUnsigned(i) => q.bind(i.map(i64::from)),
            Value::SmallUnsigned(i) => q.bind(i.map(i64::from)),
            Value::Unsigned(i) => q.bind(i.map(i64::from)),
            Value::BigUnsigned(i) => q.bind(i.map(clamp_u64)),
            Value::Double(f) => q.bind(f),
            Value::Float(f) => q.bind(f.map(f64::from)),
            Value::String(s) => q.bind(s),
            Value::Bytes(b) => q.bind(b),
            Value::Uuid(u) => q.bind(u),
            Value::Json(j) => q.bind(j.map(|j| sqlx::types::Json(*j))),
            Value::TimeDateTimeWithTimeZone(t) => q.bind(t),
            Value::TimeDate(d) => q.bind(d),
            other => return Err(unsupported(&other)),
        };
    }
    Ok(q)
}

fn clamp_u64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn micros_of(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1_000).unwrap_or(i64::MAX)
}

/// A value for an instant column, in the representation the binder expects.
pub(crate) fn ts(t: Timestamp) -> Expr {
    Expr::val(ts_value(Some(t)))
}

pub(crate) fn opt_ts(t: Option<Timestamp>) -> Expr {
    Expr::val(ts_value(t))
}

fn ts_value(t: Option<Timestamp>) -> Value {
    Value::TimeDateTimeWithTimeZone(t.map(|t| {
        let nanos = i128::from(t.as_micros()) * 1_000;
        OffsetDateTime::from_unix_timestamp_nanos(nanos).unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }))
}

/// A value for an id column.
pub(crate) fn id<T: Id>(id: T) -> Expr {
    Expr::val(Value::Uuid(Some(id.as_uuid())))
}

pub(crate) fn opt_id<T: Id>(id: Option<T>) -> Expr {
    Expr::val(Value::Uuid(id.map(|i| i.as_uuid())))
}

pub(crate) fn opt_uuid(u: Option<Uuid>) -> Expr {
    Expr::val(Value::Uuid(u))
}

pub(crate) fn date(d: Option<rapport_core::value::Date>) -> Expr {
    let d = d.and_then(|d| {
        let month = time::Month::try_from(u8::try_from(d.month()).ok()?).ok()?;
        time::Date::from_calendar_date(i32::from(d.year()), month, u8::try_from(d.day()).ok()?).ok()
    });
    Expr::val(Value::TimeDate(d))
}

/// A calendar day (`date` on PostgreSQL, ISO text on SQLite).
pub(crate) fn day(d: time::Date) -> Expr {
    Expr::val(Value::TimeDate(Some(d)))
}

pub(crate) fn json(v: serde_json::Value) -> Expr {
    Expr::val(Value::Json(Some(Box::new(v))))
}

pub(crate) fn opt_json(v: Option<serde_json::Value>) -> Expr {
    Expr::val(Value::Json(v.map(Box::new)))
}

/// One result row. Getters decode each column from its backend's representation.
pub(crate) enum Row {
    Sqlite(SqliteRow),
    Postgres(PgRow),
}

fn decode_err(col: &str, e: sqlx::Error) -> StoreError {
    StoreError::Decode(format!("column {col}: {e}"))
}

impl Row {
    fn get<T>(&self, col: &str) -> Result<T, StoreError>
    where
        T: for<'r> sqlx::Decode<'r, Sqlite>
            + sqlx::Type<Sqlite>
            + for<'r> sqlx::Decode<'r, Postgres>
            + sqlx::Type<Postgres>,
    {
        match self {
            Row::Sqlite(r) => r.try_get(col).map_err(|e| decode_err(col, e)),
            Row::Postgres(r) => r.try_get(col).map_err(|e| decode_err(col, e)),
        }
    }

    pub fn id<T: Id>(&self, col: &str) -> Result<T, StoreError> {
        self.get::<Uuid>(col).map(T::from_uuid)
    }

    pub fn opt_id<T: Id>(&self, col: &str) -> Result<Option<T>, StoreError> {
        self.get::<Option<Uuid>>(col).map(|u| u.map(T::from_uuid))
    }

    pub fn i64(&self, col: &str) -> Result<i64, StoreError> {
        self.get(col)
    }

    pub fn opt_i64(&self, col: &str) -> Result<Option<i64>, StoreError> {
        self.get(col)
    }

    pub fn uuid_col(&self, col: &str) -> Result<Uuid, StoreError> {
        self.get(col)
    }

    pub fn opt_uuid(&self, col: &str) -> Result<Option<Uuid>, StoreError> {
        self.get(col)
    }

    pub fn string(&self, col: &str) -> Result<String, StoreError> {
        self.get(col)
    }

    pub fn opt_string(&self, col: &str) -> Result<Option<String>, StoreError> {
        self.get(col)
    }

    pub fn bool(&self, col: &str) -> Result<bool, StoreError> {
        self.get(col)
    }

    pub fn opt_bool(&self, col: &str) -> Result<Option<bool>, StoreError> {
        self.get(col)
    }

    pub fn opt_f64(&self, col: &str) -> Result<Option<f64>, StoreError> {
        self.get(col)
    }

    pub fn opt_date(&self, col: &str) -> Result<Option<rapport_core::value::Date>, StoreError> {
        match self {
            Row::Sqlite(r) => {
                let text: Option<String> = r.try_get(col).map_err(|e| decode_err(col, e))?;
                text.map(|t| {
                    rapport_core::value::Date::parse(col, &t)
                        .map_err(|e| StoreError::Decode(format!("column {col}: {e}")))
                })
                .transpose()
            }
            Row::Postgres(r) => {
                let d: Option<time::Date> = r.try_get(col).map_err(|e| decode_err(col, e))?;
                Ok(d.and_then(|d| {
                    let month = i8::try_from(u8::from(d.month())).ok()?;
                    let day = i8::try_from(d.day()).ok()?;
                    rapport_core::value::Date::from_ymd(i16::try_from(d.year()).ok()?, month, day)
                }))
            }
        }
    }

    /// A non-null calendar day.
    pub fn day(&self, col: &str) -> Result<time::Date, StoreError> {
        match self {
            Row::Sqlite(r) => {
                let text: String = r.try_get(col).map_err(|e| decode_err(col, e))?;
                let format = time::macros::format_description!("[year]-[month]-[day]");
                time::Date::parse(&text, format)
                    .map_err(|e| StoreError::Decode(format!("column {col}: {e}")))
            }
            Row::Postgres(r) => r.try_get(col).map_err(|e| decode_err(col, e)),
        }
    }

    pub fn bytes(&self, col: &str) -> Result<Vec<u8>, StoreError> {
        self.get(col)
    }

    pub fn opt_bytes(&self, col: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.get(col)
    }

    pub fn ts(&self, col: &str) -> Result<Timestamp, StoreError> {
        self.opt_ts(col)?
            .ok_or_else(|| StoreError::Decode(format!("column {col} is null")))
    }

    pub fn opt_ts(&self, col: &str) -> Result<Option<Timestamp>, StoreError> {
        match self {
            Row::Sqlite(r) => r
                .try_get::<Option<i64>, _>(col)
                .map(|v| v.map(Timestamp::from_micros))
                .map_err(|e| decode_err(col, e)),
            Row::Postgres(r) => r
                .try_get::<Option<OffsetDateTime>, _>(col)
                .map(|v| v.map(|t| Timestamp::from_micros(micros_of(t))))
                .map_err(|e| decode_err(col, e)),
        }
    }

    pub fn opt_json(&self, col: &str) -> Result<Option<serde_json::Value>, StoreError> {
        match self {
            Row::Sqlite(r) => {
                let text: Option<String> = r.try_get(col).map_err(|e| decode_err(col, e))?;
                text.map(|t| serde_json::from_str(&t))
                    .transpose()
                    .map_err(|e| StoreError::Decode(format!("column {col}: {e}")))
            }
            Row::Postgres(r) => r
                .try_get::<Option<sqlx::types::Json<serde_json::Value>>, _>(col)
                .map(|v| v.map(|j| j.0))
                .map_err(|e| decode_err(col, e)),
        }
    }
}

/// Maps driver errors onto what callers can act on; the driver's text stays in the log.
pub(crate) fn map_err(e: sqlx::Error) -> StoreError {
    match e {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(db) => {
            use sqlx::error::ErrorKind;
            match db.kind() {
                ErrorKind::UniqueViolation => {
                    // PostgreSQL names the constraint; SQLite names "table.column, …".
                    let what = db
                        .constraint()
                        .map(str::to_owned)
                        .unwrap_or_else(|| db.message().to_owned());
                    StoreError::Unique(what)
                }
                ErrorKind::ForeignKeyViolation => StoreError::ForeignKey,
                _ => {
                    let code = db.code().map(|c| c.into_owned()).unwrap_or_default();
                    if let Ok(n) = code.parse::<i64>() {
                        // SQLite primary result codes: BUSY 5, LOCKED 6, FULL 13.
                        match n & 0xff {
                            5 | 6 => return StoreError::Unavailable(db.message().to_owned()),
                            13 => return StoreError::StorageFull,
                            _ => {}
                        }
                    }
                    // PostgreSQL: 53100 disk_full, 57P01 admin_shutdown, 08xxx connection.
                    if code == "53100" {
                        return StoreError::StorageFull;
                    }
                    // 57014: cancelled by statement_timeout; the client may retry later.
                    if code.starts_with("08") || code.starts_with("57P") || code == "57014" {
                        return StoreError::Unavailable(db.message().to_owned());
                    }
                    StoreError::Internal(Box::new(sqlx::Error::Database(db)))
                }
            }
        }
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_) => StoreError::Unavailable(e.to_string()),
        other => StoreError::Internal(Box::new(other)),
    }
}
