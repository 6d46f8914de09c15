//! Throwaway databases for tests: a fresh SQLite file, and a fresh PostgreSQL database when
//! `RAPPORT_TEST_PG_URL` is set (a role that may create databases, connected to any
//! database; each test gets its own and drops it afterwards).
//!
//! Without the variable PostgreSQL suites are skipped with a loud line; with
//! `RAPPORT_REQUIRE_ALL=1` a skip is a failure, so CI cannot pass by skipping.

use std::str::FromStr;
use std::time::Duration;

use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};

use crate::db::{Backend, Db, DbOptions};
use crate::error::StoreError;
use crate::migrate;
use rapport_core::Timestamp;

pub const PG_URL_VAR: &str = "RAPPORT_TEST_PG_URL";
pub const REQUIRE_ALL_VAR: &str = "RAPPORT_REQUIRE_ALL";

pub fn require_all() -> bool {
    std::env::var(REQUIRE_ALL_VAR).is_ok_and(|v| v == "1" || v.eq_ignore_ascii_case("true"))
}

/// Says loudly that a suite did not run, or fails when every suite must run.
pub fn skip(what: &str, why: &str) {
    if require_all() {
        panic!("{what} cannot be skipped under {REQUIRE_ALL_VAR}=1: {why}");
    }
    // Written to the stderr handle rather than with eprintln!, which the test harness
    // captures and hides for passing tests.
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED: {what}: {why}");
}

/// One empty, migrated database that disappears with this value.
pub struct TestDb {
    pub db: Db,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg_drop: Option<(PgConnectOptions, String)>,
}

impl TestDb {
    pub fn backend(&self) -> Backend {
        self.db.backend()
    }

    /// A fresh SQLite file in a temporary directory, migrated.
    pub async fn sqlite() -> Result<TestDb, StoreError> {
        let (url, dir) = Self::sqlite_url()?;
        let db = Db::connect(&DbOptions::new(url.clone())).await?;
        migrate::migrate(&db, Timestamp::from_secs(0)).await?;
        Ok(TestDb {
            db,
            url,
            _dir: Some(dir),
            pg_drop: None,
        })
    }

    /// A URL for a SQLite file that does not exist yet, and the directory that holds it.
    pub fn sqlite_url() -> Result<(String, tempfile::TempDir), StoreError> {
        let dir = tempfile::tempdir().map_err(|e| StoreError::Config(e.to_string()))?;
        let url = format!("sqlite://{}", dir.path().join("rapport.db").display());
        Ok((url, dir))
    }

    /// A fresh PostgreSQL database, migrated; `None` when no server is configured.
    pub async fn postgres() -> Result<Option<TestDb>, StoreError> {
        let Some((url, admin, name)) = Self::postgres_url().await? else {
            return Ok(None);
        };
        let db = Db::connect(&DbOptions::new(url.clone())).await?;
        migrate::migrate(&db, Timestamp::from_secs(0)).await?;
        Ok(Some(TestDb {
            db,
            url,
            _dir: None,
            pg_drop: Some((admin, name)),
        }))
    }

    /// Creates an empty PostgreSQL database and returns its URL, the admin connection
    /// options and its name; `None` when `RAPPORT_TEST_PG_URL` is unset.
    pub async fn postgres_url() -> Result<Option<(String, PgConnectOptions, String)>, StoreError> {
        let Ok(base) = std::env::var(PG_URL_VAR) else {
            return Ok(None);
        };
        let admin =
            PgConnectOptions::from_str(&base).map_err(|e| StoreError::Config(e.to_string()))?;
        let name = format!("rapport_t_{}", uuid::Uuid::now_v7().simple());
        let mut conn = PgConnection::connect_with(&admin)
            .await
            .map_err(crate::db::map_err)?;
        let create = format!("CREATE DATABASE {name}");
        sqlx::raw_sql(sqlx::AssertSqlSafe(create))
            .execute(&mut conn)
            .await
            .map_err(crate::db::map_err)?;
        let _ = conn.close().await;
        let url = replace_database(&base, &name);
        Ok(Some((url, admin, name)))
    }

    /// Both backends when PostgreSQL is configured, else SQLite alone with a SKIPPED line.
    pub async fn each(test: &str) -> Vec<TestDb> {
        let mut dbs = Vec::new();
        match TestDb::sqlite().await {
            Ok(db) => dbs.push(db),
            Err(e) => panic!("cannot create a SQLite test database: {e}"),
        }
        match TestDb::postgres().await {
            Ok(Some(db)) => dbs.push(db),
            Ok(None) => skip(
                &format!("{test} on PostgreSQL"),
                &format!("{PG_URL_VAR} is not set"),
            ),
            Err(e) => panic!("cannot create a PostgreSQL test database: {e}"),
        }
        dbs
    }
}

/// Runs an arbitrary migration list, as a newer or broken binary would.
pub async fn run_migrations(
    db: &Db,
    list: &'static [migrate::Migration],
) -> Result<Vec<i64>, StoreError> {
    migrate::run(db, list, Timestamp::from_secs(1)).await
}

/// Marks a migration as interrupted, as a crash during a non-transactional one would.
pub async fn mark_migration_dirty(db: &Db, version: i64) -> Result<(), StoreError> {
    use sea_query::{Expr, ExprTrait, Query};
    let mut tx = db.write().await?;
    let q = Query::update()
        .table("rapport_migrations")
        .value("state", "dirty")
        .and_where(Expr::col("version").eq(version))
        .to_owned();
    tx.execute(&q).await?;
    tx.commit().await
}

/// The names of the user tables, sorted.
pub async fn table_names(db: &Db) -> Result<Vec<String>, StoreError> {
    use sea_query::{Expr, ExprTrait, Order, Query};
    let mut conn = db.read().await?;
    let q = match db.backend() {
        Backend::Sqlite => Query::select()
            .expr_as(Expr::col("name"), "name")
            .from("sqlite_master")
            .and_where(Expr::col("type").eq("table"))
            .and_where(Expr::col("name").not_like("sqlite_%"))
            .order_by("name", Order::Asc)
            .to_owned(),
        Backend::Postgres => Query::select()
            .expr_as(Expr::col("table_name"), "name")
            .from(("information_schema", "tables"))
            .and_where(Expr::col("table_schema").eq(Expr::cust("current_schema()")))
            .order_by("table_name", Order::Asc)
            .to_owned(),
    };
    conn.fetch_all(&q)
        .await?
        .iter()
        .map(|r| r.string("name"))
        .collect()
}

/// Swaps the database name in a PostgreSQL URL, keeping user, host and parameters.
fn replace_database(base: &str, name: &str) -> String {
    let (head, query) = match base.split_once('?') {
        Some((h, q)) => (h, Some(q)),
        None => (base, None),
    };
    let scheme_end = head.find("://").map_or(0, |i| i + 3);
    let host_end = head[scheme_end..]
        .find('/')
        .map_or(head.len(), |i| scheme_end + i);
    let mut url = format!("{}/{}", &head[..host_end], name);
    if let Some(q) = query {
        url.push('?');
        url.push_str(q);
    }
    url
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((admin, name)) = self.pg_drop.take() else {
            return;
        };
        // Drop runs outside async; a short-lived runtime on its own thread does the cleanup.
        // The pool is not closed first: its connections belong to the test's runtime, which
        // is blocked here. FORCE ends them.
        let handle = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                if let Ok(mut conn) = PgConnection::connect_with(&admin).await {
                    let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    let _ = tokio::time::timeout(
                        Duration::from_secs(10),
                        sqlx::raw_sql(sqlx::AssertSqlSafe(drop)).execute(&mut conn),
                    )
                    .await;
                    let _ = conn.close().await;
                }
            });
        });
        let _ = handle.join();
    }
}

/// PostgreSQL's `statement_timeout` as this connection sees it (`0` for none).
pub async fn statement_timeout(c: &mut crate::Conn) -> Result<String, StoreError> {
    use sea_query::{Expr, Query};
    let q = Query::select()
        .expr_as(Expr::cust("current_setting('statement_timeout')"), "t")
        .to_owned();
    c.fetch_one(&q).await?.string("t")
}

/// When PostgreSQL last analyzed `table` on request (not autovacuum), as text; `None` never.
pub async fn last_analyzed(c: &mut crate::Conn, table: &str) -> Result<Option<String>, StoreError> {
    use sea_query::{Expr, Query};
    let q = Query::select()
        .expr_as(
            Expr::cust_with_values(
                "(SELECT last_analyze::text FROM pg_stat_user_tables \
                 WHERE schemaname = current_schema() AND relname = $1)",
                [table],
            ),
            "t",
        )
        .to_owned();
    c.fetch_one(&q).await?.opt_string("t")
}

/// Runs a PostgreSQL statement that takes `seconds`, as a runaway query would.
pub async fn slow_statement(db: &Db, seconds: u32) -> Result<(), StoreError> {
    use sea_query::{Expr, Query};
    let q = Query::select()
        .expr_as(Expr::cust(format!("pg_sleep({seconds})::text")), "t")
        .to_owned();
    db.read().await?.fetch_one(&q).await.map(drop)
}

#[cfg(test)]
mod tests {
    use super::replace_database;

    #[test]
    fn replaces_only_the_database_name() {
        assert_eq!(
            replace_database(
                "postgres://rapport@127.0.0.1:5432/postgres?sslmode=disable",
                "t1"
            ),
            "postgres://rapport@127.0.0.1:5432/t1?sslmode=disable"
        );
        assert_eq!(
            replace_database("postgres://u@h", "t2"),
            "postgres://u@h/t2"
        );
    }
}
