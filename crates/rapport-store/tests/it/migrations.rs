use rapport_store::migrate::{self, Migration};
use rapport_store::testing::{self, TestDb};
use rapport_store::{Db, DbOptions, StoreError};

use crate::support::t;

#[tokio::test]
async fn a_fresh_database_is_migrated_to_the_current_schema() {
    for tdb in TestDb::each("fresh migration").await {
        let status = migrate::status(&tdb.db).await.expect("status");
        assert!(status.is_current(), "{:?}: {status:?}", tdb.backend());
        let tables = testing::table_names(&tdb.db).await.expect("tables");
        for expected in [
            "api_tokens",
            "audit_log",
            "outbox",
            "rapport_migrations",
            "sessions",
            "teams",
            "users",
            "workspaces",
        ] {
            assert!(
                tables.iter().any(|t| t == expected),
                "{:?} lacks {expected}: {tables:?}",
                tdb.backend()
            );
        }
    }
}

#[tokio::test]
async fn migrating_twice_applies_nothing_the_second_time() {
    for tdb in TestDb::each("idempotent migration").await {
        let again = migrate::migrate(&tdb.db, t(5))
            .await
            .expect("migrate again");
        assert!(again.is_empty(), "{:?}", tdb.backend());
    }
}

#[tokio::test]
async fn an_empty_database_reports_every_migration_pending() {
    let (url, _dir) = TestDb::sqlite_url().expect("url");
    let db = Db::connect(&DbOptions::new(url)).await.expect("connect");
    let status = migrate::status(&db).await.expect("status");
    assert!(status.applied.is_empty());
    assert_eq!(status.pending.first().map(|p| p.0), Some(1));
    let refused = migrate::ensure_current(&db).await;
    assert!(
        matches!(refused, Err(StoreError::Migration(ref m)) if m.contains("rapport migrate")),
        "{refused:?}"
    );
}

static BROKEN: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation",
        sql: include_str!("../../migrations/sqlite/0001_foundation.sql"),
    },
    Migration {
        version: 2,
        name: "broken",
        sql: "CREATE TABLE half_done (x INTEGER) STRICT; CREATE TABLE oops (;",
    },
];

#[tokio::test]
async fn a_failing_migration_leaves_no_trace_of_itself() {
    let (url, _dir) = TestDb::sqlite_url().expect("url");
    let db = Db::connect(&DbOptions::new(url)).await.expect("connect");
    let err = testing::run_migrations(&db, BROKEN).await;
    assert!(
        matches!(err, Err(StoreError::Migration(ref m)) if m.contains("migration 2 (broken) failed")),
        "{err:?}"
    );
    let tables = testing::table_names(&db).await.expect("tables");
    assert!(
        tables.iter().any(|t| t == "users"),
        "migration 1 should have stayed"
    );
    assert!(
        !tables.iter().any(|t| t == "half_done"),
        "half of migration 2 was kept: {tables:?}"
    );
    let status = migrate::status(&db).await.expect("status");
    assert_eq!(status.applied.len(), 1);
}

#[tokio::test]
async fn an_interrupted_migration_refuses_start_up() {
    for tdb in TestDb::each("dirty migration").await {
        testing::mark_migration_dirty(&tdb.db, 1)
            .await
            .expect("mark dirty");
        let err = migrate::ensure_current(&tdb.db).await;
        assert!(
            matches!(err, Err(StoreError::Migration(ref m)) if m.contains("half-applied")),
            "{err:?}"
        );
        let err = migrate::migrate(&tdb.db, t(1)).await;
        assert!(
            matches!(err, Err(StoreError::Migration(_))),
            "migrate must refuse too: {err:?}"
        );
    }
}

static EDITED: &[Migration] = &[Migration {
    version: 1,
    name: "foundation",
    sql: "-- edited after release\nSELECT 1;",
}];

static NEWER_THAN_US: &[Migration] = &[];

#[tokio::test]
async fn a_database_from_another_binary_is_refused() {
    let tdb = TestDb::sqlite().await.expect("db");
    let err = testing::run_migrations(&tdb.db, EDITED).await;
    assert!(
        matches!(err, Err(StoreError::Migration(ref m)) if m.contains("differs")),
        "{err:?}"
    );
    let err = testing::run_migrations(&tdb.db, NEWER_THAN_US).await;
    assert!(
        matches!(err, Err(StoreError::Migration(ref m)) if m.contains("newer Rapport")),
        "{err:?}"
    );
}

#[tokio::test]
async fn concurrent_migrators_apply_each_migration_once() {
    let (url, _dir) = TestDb::sqlite_url().expect("url");
    let a = Db::connect(&DbOptions::new(url.clone())).await.expect("a");
    let b = Db::connect(&DbOptions::new(url)).await.expect("b");
    let (ra, rb) = tokio::join!(migrate::migrate(&a, t(1)), migrate::migrate(&b, t(1)));
    let mut applied = ra.expect("a migrates");
    applied.extend(rb.expect("b migrates"));
    applied.sort_unstable();
    let all: Vec<i64> = migrate::embedded(a.backend())
        .iter()
        .map(|m| m.version)
        .collect();
    assert_eq!(applied, all, "each migration exactly once");
}
