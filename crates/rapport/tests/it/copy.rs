//! `rapport copy`, run as a user would run it: SQLite up to PostgreSQL and back down.

use rapport_store::testing::{self, TestDb};
use serde_json::Value;

use crate::support::Cli;

fn copied(json: &str) -> Value {
    let v: Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    assert!(v["rows"].as_u64().unwrap() > 100, "{v}");
    v
}

fn copy_args<'a>(from: &'a str, to: &'a str) -> Vec<&'a str> {
    vec!["copy", "--from", from, "--to", to, "--json"]
}

/// A fresh PostgreSQL database and the runtime its pool lives on, or a SKIPPED line.
fn postgres() -> Option<(tokio::runtime::Runtime, TestDb)> {
    let rt = tokio::runtime::Runtime::new().unwrap();
    match rt.block_on(TestDb::postgres()).unwrap() {
        Some(db) => Some((rt, db)),
        None => {
            testing::skip(
                "rapport copy to PostgreSQL",
                &format!("{} is not set", testing::PG_URL_VAR),
            );
            None
        }
    }
}

#[test]
fn a_sqlite_file_copies_into_postgresql_and_back_and_a_second_copy_needs_replace() {
    let source = Cli::new();
    source.ok(&["demo", "--contacts", "40", "--date", "2026-11-23"], "");
    source.workspace("Acme", "boss@acme.example");
    let workspaces = source.ok(&["workspace", "list", "--json"], "");

    // SQLite to SQLite, every table reported on the way.
    let file = Cli::new();
    let r = source.run(&copy_args(&source.url, &file.url), "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let first = copied(&r.stdout);
    assert_eq!(first["tables"]["contacts"], 40);
    assert_eq!(first["checksums"]["contacts"].as_str().unwrap().len(), 32);
    for step in ["read", "wrote", "checked"] {
        assert!(
            r.stderr.contains(&format!("{step} contacts: 40 rows")),
            "{}",
            r.stderr
        );
    }
    assert_eq!(file.ok(&["workspace", "list", "--json"], ""), workspaces);
    source.fails(
        &copy_args(&source.url, &source.url),
        "",
        "the same database",
    );
    source.fails(
        &copy_args("sqlite:///nonexistent/rapport.db", &file.url),
        "",
        "does not exist",
    );

    let Some((_rt, pg)) = postgres() else { return };
    // The target URL from the environment, as one with a password would be given.
    let out = source
        .command(&["copy", "--from", &source.url, "--json"])
        .env("RAPPORT_COPY_TO", &pg.url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let up = copied(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(
        up["checksums"], first["checksums"],
        "SQLite and PostgreSQL agree"
    );
    let served = Cli::with_url(&pg.url);
    assert_eq!(served.ok(&["workspace", "list", "--json"], ""), workspaces);
    let users = served.ok(&["user", "list", "--workspace", "acme"], "");
    assert!(users.contains("boss@acme.example"), "{users}");

    // Again: the target now holds data, and is left alone unless told.
    source.fails(&copy_args(&source.url, &pg.url), "", "--replace");
    source.fails(&copy_args(&source.url, &pg.url), "", "table ");
    let again = copied(&source.ok(
        &[
            "copy",
            "--from",
            &source.url,
            "--to",
            &pg.url,
            "--replace",
            "--json",
        ],
        "",
    ));
    assert_eq!(again["rows"], up["rows"]);

    // And back down into a new SQLite file.
    let back = Cli::new();
    let down = copied(&back.ok(&copy_args(&pg.url, &back.url), ""));
    assert_eq!(down["tables"]["contacts"], 40);
    assert_eq!(back.ok(&["workspace", "list", "--json"], ""), workspaces);
}
