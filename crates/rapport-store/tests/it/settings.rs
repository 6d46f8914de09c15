//! SECURITY.md R10: start-up refuses settings that can lose acknowledged writes.

use rapport_store::testing::TestDb;
use rapport_store::{Db, DbOptions, StoreError};

#[tokio::test]
async fn unsafe_sqlite_settings_refuse_start_up_unless_allowed() {
    let cases: &[(&str, &[&str])] = &[
        ("", &[]),
        ("?synchronous=extra", &[]),
        ("?synchronous=normal", &["synchronous"]),
        ("?synchronous=off", &["synchronous"]),
        ("?journal_mode=delete", &["journal_mode"]),
        ("?journal_mode=memory", &["journal_mode"]),
        ("?foreign_keys=off", &["foreign_keys"]),
        (
            "?journal_mode=truncate&synchronous=off&foreign_keys=off",
            &["journal_mode", "synchronous", "foreign_keys"],
        ),
    ];
    for (params, expected) in cases {
        let (base, _dir) = TestDb::sqlite_url().expect("url");
        let url = format!("{base}{params}");
        let refused = Db::connect(&DbOptions::new(url.clone())).await;
        if expected.is_empty() {
            assert!(refused.is_ok(), "{params}: {:?}", refused.err());
            continue;
        }
        match refused {
            Err(StoreError::UnsafeSettings(found)) => {
                let names: Vec<&str> = found.iter().map(|s| s.setting).collect();
                assert_eq!(&names, expected, "{params}");
            }
            other => panic!("{params}: expected a refusal, got {:?}", other.err()),
        }
        let mut allowed = DbOptions::new(url);
        allowed.allow_unsafe = true;
        assert!(
            Db::connect(&allowed).await.is_ok(),
            "{params} with --allow-unsafe-db"
        );
    }
}

#[tokio::test]
async fn an_in_memory_database_is_unsafe() {
    let refused = Db::connect(&DbOptions::new("sqlite::memory:")).await;
    assert!(
        matches!(refused, Err(StoreError::UnsafeSettings(_))),
        "{:?}",
        refused.err()
    );
}

#[tokio::test]
async fn bad_urls_say_what_is_wrong() {
    for (url, needle) in [
        ("mysql://x", "must start with sqlite: or postgres://"),
        ("sqlite://x.db?synchronous=sometimes", "synchronous"),
        ("sqlite://x.db?foreign_keys=maybe", "foreign_keys"),
    ] {
        match Db::connect(&DbOptions::new(url)).await {
            Err(StoreError::Config(m)) => assert!(m.contains(needle), "{url}: {m}"),
            other => panic!("{url}: {:?}", other.err()),
        }
    }
}

#[tokio::test]
async fn a_superuser_role_is_unsafe_on_postgres() {
    let Ok(base) = std::env::var("RAPPORT_TEST_PG_URL") else {
        rapport_store::testing::skip(
            "superuser guard on PostgreSQL",
            "RAPPORT_TEST_PG_URL is not set",
        );
        return;
    };
    // The CI role must not be a superuser; connect as the machine's superuser to check that
    // such a role is refused.
    let Some(rest) = base.split_once("://").map(|(_, r)| r) else {
        panic!("unexpected URL {base}");
    };
    let host_and_db = rest.split_once('@').map_or(rest, |(_, h)| h);
    let superuser_url = format!("postgres://postgres@{host_and_db}");
    match Db::connect(&DbOptions::new(superuser_url.clone())).await {
        Err(StoreError::UnsafeSettings(found)) => {
            assert!(found.iter().any(|s| s.setting == "role"), "{found:?}");
        }
        Err(StoreError::Unavailable(e)) => {
            rapport_store::testing::skip(
                "superuser guard on PostgreSQL",
                &format!("cannot connect as postgres: {e}"),
            );
        }
        other => panic!(
            "connecting as a superuser must be refused, got {:?}",
            other.err()
        ),
    }
    let tdb = TestDb::postgres().await.expect("pg").expect("configured");
    assert!(
        tdb.db.unsafe_settings().await.expect("settings").is_empty(),
        "the test role itself must be safe"
    );
}

#[tokio::test]
async fn a_statement_timeout_cancels_runaway_queries_but_not_whole_table_work() {
    let Some(tdb) = TestDb::postgres().await.expect("pg") else {
        rapport_store::testing::skip("statement timeout", "RAPPORT_TEST_PG_URL is not set");
        return;
    };
    let mut options = DbOptions::new(tdb.url.clone());
    options.statement_timeout = Some(std::time::Duration::from_millis(500));
    let db = Db::connect(&options).await.expect("connect");
    let mut c = db.read().await.expect("conn");
    assert_eq!(
        rapport_store::testing::statement_timeout(&mut c)
            .await
            .unwrap(),
        "500ms"
    );
    drop(c);
    match rapport_store::testing::slow_statement(&db, 2).await {
        Err(StoreError::Unavailable(m)) => assert!(m.contains("statement timeout"), "{m}"),
        other => panic!("a 2 s statement under a 500 ms timeout: {other:?}"),
    }
    // Backups and copies read whole tables in a snapshot: no request-sized limit there.
    let mut snap = db.snapshot().await.expect("snapshot");
    assert_eq!(
        rapport_store::testing::statement_timeout(&mut snap)
            .await
            .unwrap(),
        "0"
    );
}

#[tokio::test]
async fn optimize_analyzes_postgres_tables_never_analyzed_and_then_leaves_them_be() {
    let Some(tdb) = TestDb::postgres().await.expect("pg") else {
        rapport_store::testing::skip("optimize", "RAPPORT_TEST_PG_URL is not set");
        return;
    };
    crate::support::workspace(&tdb.db, "acme").await;
    let mut c = tdb.db.read().await.expect("conn");
    let before = rapport_store::testing::last_analyzed(&mut c, "contacts").await;
    assert_eq!(
        before.expect("stats"),
        None,
        "a fresh database has no statistics"
    );
    tdb.db.optimize().await.expect("optimize");
    let mut first = Vec::new();
    for table in ["workspaces", "contacts", "opportunities", "activities"] {
        let at = rapport_store::testing::last_analyzed(&mut c, table)
            .await
            .expect("stats");
        assert!(at.is_some(), "{table} was not analyzed");
        first.push(at);
    }
    // Nothing changed since: a second run (every start-up runs one) analyzes nothing.
    tdb.db.optimize().await.expect("optimize again");
    for (table, at) in ["workspaces", "contacts", "opportunities", "activities"]
        .into_iter()
        .zip(first)
    {
        let again = rapport_store::testing::last_analyzed(&mut c, table)
            .await
            .expect("stats");
        assert_eq!(again, at, "{table} was analyzed again");
    }
}
