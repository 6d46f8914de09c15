//! Embedded, versioned schema migrations.
//!
//! Each migration runs in one transaction together with the row that records it, so a crash
//! leaves the schema either before or after it, never between. A row in state `dirty` can
//! only come from a migration marked non-transactional that did not finish; start-up refuses
//! such a database, as it refuses one whose recorded checksums differ from the binary's or
//! that a newer binary has migrated.

use sea_query::{Expr, ExprTrait, Iden, Order, Query};
use sha2::{Digest, Sha256};

use crate::db::{Backend, Conn, Db, ts};
use crate::error::StoreError;
use rapport_core::Timestamp;

#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

impl Migration {
    fn checksum(&self) -> Vec<u8> {
        Sha256::digest(self.sql.as_bytes()).to_vec()
    }
}

macro_rules! migrations {
    ($dir:literal: $(($version:literal, $name:literal, $file:literal)),+ $(,)?) => {
        &[$(Migration {
            version: $version,
            name: $name,
            sql: include_str!(concat!("../migrations/", $dir, "/", $file)),
        }),+]
    };
}

const SQLITE: &[Migration] = migrations!("sqlite":
    (1, "foundation", "0001_foundation.sql"),
    (2, "records", "0002_records.sql"),
    (3, "search_by_object", "0003_search_by_object.sql"),
    (4, "jobs", "0004_jobs.sql"),
    (5, "orders", "0005_orders.sql"),
    (6, "list_indexes", "0006_list_indexes.sql"),
    (7, "search_index_by_object", "0007_search_index_by_object.sql"),
    (8, "saved_views", "0008_saved_views.sql"),
    (9, "home_and_board_indexes", "0009_home_and_board_indexes.sql"),
    (10, "exchange_rates", "0010_exchange_rates.sql"),
    (11, "amount_desc_index", "0011_amount_desc_index.sql"),
    (12, "stage_sums_cover_shares", "0012_stage_sums_cover_shares.sql"),
);
const POSTGRES: &[Migration] = migrations!("postgres":
    (1, "foundation", "0001_foundation.sql"),
    (2, "records", "0002_records.sql"),
    (3, "search_by_object", "0003_search_by_object.sql"),
    (4, "jobs", "0004_jobs.sql"),
    (5, "orders", "0005_orders.sql"),
    (6, "list_indexes", "0006_list_indexes.sql"),
    (7, "search_index_by_object", "0007_search_index_by_object.sql"),
    (8, "saved_views", "0008_saved_views.sql"),
    (9, "home_and_board_indexes", "0009_home_and_board_indexes.sql"),
    (10, "exchange_rates", "0010_exchange_rates.sql"),
    (11, "amount_desc_index", "0011_amount_desc_index.sql"),
    (12, "stage_sums_cover_shares", "0012_stage_sums_cover_shares.sql"),
);

pub fn embedded(backend: Backend) -> &'static [Migration] {
    match backend {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES,
    }
}

#[derive(Iden)]
enum RapportMigrations {
    Table,
    Version,
    Name,
    Checksum,
    State,
    AppliedAt,
}

const CREATE_TABLE_SQLITE: &str = "CREATE TABLE IF NOT EXISTS rapport_migrations (
    version INTEGER NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    checksum BLOB NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('applied', 'dirty')),
    applied_at INTEGER NOT NULL
) STRICT";

const CREATE_TABLE_POSTGRES: &str = "CREATE TABLE IF NOT EXISTS rapport_migrations (
    version bigint NOT NULL PRIMARY KEY,
    name text NOT NULL,
    checksum bytea NOT NULL,
    state text NOT NULL CHECK (state IN ('applied', 'dirty')),
    applied_at timestamptz NOT NULL
)";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedMigration {
    pub version: i64,
    pub name: String,
    pub state: String,
    pub applied_at: Timestamp,
    checksum: Vec<u8>,
}

/// Where the database stands against the migrations this binary carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub applied: Vec<AppliedMigration>,
    /// Versions and names this binary would apply.
    pub pending: Vec<(i64, &'static str)>,
    /// Reasons the database must not be used as it is.
    pub problems: Vec<String>,
}

impl Status {
    pub fn is_current(&self) -> bool {
        self.pending.is_empty() && self.problems.is_empty()
    }
}

pub async fn status(db: &Db) -> Result<Status, StoreError> {
    let mut conn = db.read().await?;
    status_of(&mut conn, embedded(db.backend())).await
}

async fn status_of(conn: &mut Conn, known: &'static [Migration]) -> Result<Status, StoreError> {
    let applied = if table_exists(conn).await? {
        read_applied(conn).await?
    } else {
        Vec::new()
    };
    let mut problems = Vec::new();
    for row in &applied {
        match known.iter().find(|m| m.version == row.version) {
            None => problems.push(format!(
                "the database has migration {} ({}) that this binary does not know: it was \
                 migrated by a newer Rapport; run that version or restore a backup",
                row.version, row.name
            )),
            Some(m) if row.state == "dirty" => problems.push(format!(
                "migration {} ({}) was interrupted and may be half-applied; restore the backup \
                 taken before the upgrade",
                m.version, m.name
            )),
            Some(m) if row.checksum != m.checksum() => problems.push(format!(
                "migration {} ({}) differs from the one applied to this database; the binary \
                 and the database do not belong together",
                m.version, m.name
            )),
            Some(_) => {}
        }
    }
    let pending = known
        .iter()
        .filter(|m| !applied.iter().any(|a| a.version == m.version))
        .map(|m| (m.version, m.name))
        .collect();
    Ok(Status {
        applied,
        pending,
        problems,
    })
}

async fn table_exists(conn: &mut Conn) -> Result<bool, StoreError> {
    let query = match conn.backend() {
        Backend::Sqlite => Query::select()
            .column("name")
            .from("sqlite_master")
            .and_where(Expr::col("type").eq("table"))
            .and_where(Expr::col("name").eq("rapport_migrations"))
            .to_owned(),
        Backend::Postgres => Query::select()
            .column("table_name")
            .from(("information_schema", "tables"))
            .and_where(Expr::col("table_schema").eq(Expr::cust("current_schema()")))
            .and_where(Expr::col("table_name").eq("rapport_migrations"))
            .to_owned(),
    };
    Ok(conn.fetch_optional(&query).await?.is_some())
}

async fn read_applied(conn: &mut Conn) -> Result<Vec<AppliedMigration>, StoreError> {
    let query = Query::select()
        .columns([
            RapportMigrations::Version,
            RapportMigrations::Name,
            RapportMigrations::Checksum,
            RapportMigrations::State,
            RapportMigrations::AppliedAt,
        ])
        .from(RapportMigrations::Table)
        .order_by(RapportMigrations::Version, Order::Asc)
        .to_owned();
    conn.fetch_all(&query)
        .await?
        .iter()
        .map(|r| {
            Ok(AppliedMigration {
                version: r.i64("version")?,
                name: r.string("name")?,
                checksum: r.bytes("checksum")?,
                state: r.string("state")?,
                applied_at: r.ts("applied_at")?,
            })
        })
        .collect()
}

/// Applies every pending migration, each in its own transaction, and returns the versions
/// applied. Refuses to touch a database with problems. Safe to run from several processes at
/// once: each migration is re-checked under the write lock.
pub async fn migrate(db: &Db, now: Timestamp) -> Result<Vec<i64>, StoreError> {
    run(db, embedded(db.backend()), now).await
}

/// Applies pending migrations up to and including `version` only (restoring an older
/// backup: the data goes in at its own schema, then the rest of the migrations run).
pub async fn migrate_to(db: &Db, now: Timestamp, version: i64) -> Result<Vec<i64>, StoreError> {
    let all = embedded(db.backend());
    if !all.iter().any(|m| m.version == version) {
        return Err(StoreError::Migration(format!(
            "schema version {version} is unknown to this Rapport (it knows 1 to {})",
            all.last().map_or(0, |m| m.version)
        )));
    }
    let upto = all.iter().take_while(|m| m.version <= version).count();
    run(db, &all[..upto], now).await
}

/// The newest migration applied to the database seen through `conn` (0 when none is).
pub async fn schema_version(conn: &mut Conn) -> Result<i64, StoreError> {
    if !table_exists(conn).await? {
        return Ok(0);
    }
    Ok(read_applied(conn)
        .await?
        .iter()
        .filter(|m| m.state == "applied")
        .map(|m| m.version)
        .max()
        .unwrap_or(0))
}

pub(crate) async fn run(
    db: &Db,
    known: &'static [Migration],
    now: Timestamp,
) -> Result<Vec<i64>, StoreError> {
    let before = status_of(&mut db.read().await?, known).await?;
    if !before.problems.is_empty() {
        return Err(StoreError::Migration(before.problems.join("; ")));
    }
    let mut done = Vec::new();
    for migration in known {
        let mut tx = db.write().await?;
        tx.lock_for_migration().await?;
        tx.execute_script(match db.backend() {
            Backend::Sqlite => CREATE_TABLE_SQLITE,
            Backend::Postgres => CREATE_TABLE_POSTGRES,
        })
        .await?;
        let status = status_of(&mut tx, known).await?;
        if !status.problems.is_empty() {
            return Err(StoreError::Migration(status.problems.join("; ")));
        }
        if !status.pending.iter().any(|(v, _)| *v == migration.version) {
            continue;
        }
        tx.execute_script(migration.sql).await.map_err(|e| {
            StoreError::Migration(format!(
                "migration {} ({}) failed and was rolled back: {e}",
                migration.version, migration.name
            ))
        })?;
        let record = Query::insert()
            .into_table(RapportMigrations::Table)
            .columns([
                RapportMigrations::Version,
                RapportMigrations::Name,
                RapportMigrations::Checksum,
                RapportMigrations::State,
                RapportMigrations::AppliedAt,
            ])
            .values_panic([
                migration.version.into(),
                migration.name.into(),
                migration.checksum().into(),
                "applied".into(),
                ts(now),
            ])
            .to_owned();
        tx.execute(&record).await?;
        tx.commit().await?;
        tracing::info!(
            version = migration.version,
            name = migration.name,
            "applied migration"
        );
        done.push(migration.version);
    }
    Ok(done)
}

/// Refuses a database that is not exactly at this binary's schema.
pub async fn ensure_current(db: &Db) -> Result<(), StoreError> {
    let status = status(db).await?;
    if !status.problems.is_empty() {
        return Err(StoreError::Migration(status.problems.join("; ")));
    }
    if !status.pending.is_empty() {
        let list: Vec<String> = status
            .pending
            .iter()
            .map(|(v, n)| format!("{v} ({n})"))
            .collect();
        return Err(StoreError::Migration(format!(
            "the database needs migrations {}; run `rapport migrate`",
            list.join(", ")
        )));
    }
    Ok(())
}
