use serde_json::Value;

use crate::support::Cli;

const PASSWORD: &str = "a calm river at dawn\n";
const CREATE: [&str; 4] = ["workspace", "create", "--name", "Acme"];

fn create_with(email: &str) -> Vec<&str> {
    let mut args = CREATE.to_vec();
    args.extend(["--admin-email", email]);
    args
}

#[test]
fn a_workspace_is_created_with_its_admin_from_stdin_and_listed() {
    let cli = Cli::new();
    let out = cli.workspace("Kowalski & Syn", "boss@kowalski.example");
    assert!(out.contains("kowalski-syn"), "{out}");
    let listed: Value =
        serde_json::from_str(&cli.ok(&["workspace", "list", "--json"], "")).unwrap();
    assert_eq!(listed[0]["slug"], "kowalski-syn");
    let users = cli.ok(&["user", "list"], "");
    assert!(
        users.contains("boss@kowalski.example") && users.contains("admin"),
        "{users}"
    );
}

#[test]
fn weak_passwords_and_bad_addresses_are_refused_with_the_reason() {
    let cli = Cli::new();
    cli.fails(
        &create_with("boss@acme.example"),
        "password123\n",
        "too common",
    );
    cli.fails(&create_with("not-an-email"), PASSWORD, "admin_email");
    cli.fails(
        &create_with("boss@acme.example"),
        "",
        "no password on stdin",
    );
    assert_eq!(
        cli.ok(&["workspace", "list", "--json"], "").trim(),
        "[]",
        "nothing was stored"
    );
}

#[test]
fn users_are_added_disabled_enabled_and_their_role_and_password_changed() {
    let cli = Cli::new();
    cli.workspace("Acme", "boss@acme.example");
    let added = cli.ok(
        &[
            "user",
            "add",
            "--email",
            "rep@acme.example",
            "--name",
            "Anna",
            "--generate-password",
        ],
        "",
    );
    assert!(added.contains("password: "), "{added}");
    cli.ok(
        &[
            "user",
            "set-role",
            "--email",
            "rep@acme.example",
            "--role",
            "manager",
        ],
        "",
    );
    let off: Value = serde_json::from_str(&cli.ok(
        &["user", "disable", "--email", "REP@acme.example", "--json"],
        "",
    ))
    .unwrap();
    assert_eq!(
        (off["role"].as_str(), off["enabled"].as_bool()),
        (Some("manager"), Some(false))
    );
    cli.ok(&["user", "enable", "--email", "rep@acme.example"], "");
    cli.ok(
        &["user", "set-password", "--email", "rep@acme.example"],
        "a brand new passphrase\n",
    );
    cli.fails(
        &[
            "user",
            "set-role",
            "--email",
            "rep@acme.example",
            "--role",
            "owner",
        ],
        "",
        "role",
    );
    cli.fails(
        &["user", "disable", "--email", "ghost@acme.example"],
        "",
        "no user with e-mail ghost@acme.example",
    );
    cli.fails(
        &["user", "disable", "--email", "boss@acme.example"],
        "",
        "last enabled admin",
    );
}

#[test]
fn with_several_workspaces_the_cli_asks_which() {
    let cli = Cli::new();
    cli.workspace("Acme", "a@acme.example");
    cli.workspace("Beta", "b@beta.example");
    cli.fails(&["user", "list"], "", "--workspace");
    let out = cli.ok(&["user", "list", "--workspace", "beta"], "");
    assert!(
        out.contains("b@beta.example") && !out.contains("a@acme.example"),
        "{out}"
    );
    cli.fails(
        &["user", "list", "--workspace", "gamma"],
        "",
        "no workspace with this slug",
    );
}

#[test]
fn tokens_are_created_listed_and_revoked() {
    let cli = Cli::new();
    cli.workspace("Acme", "boss@acme.example");
    let token = cli.ok(
        &[
            "token",
            "create",
            "--email",
            "boss@acme.example",
            "--name",
            "ci",
            "--expires-in-days",
            "30",
        ],
        "",
    );
    let token = token.trim();
    assert!(token.starts_with("rpt_") && token.len() == 68, "{token}");
    let list = || -> Value {
        serde_json::from_str(&cli.ok(
            &["token", "list", "--email", "boss@acme.example", "--json"],
            "",
        ))
        .unwrap()
    };
    let listed = list();
    let id = listed[0]["id"].as_str().unwrap().to_owned();
    assert!(listed[0]["expires_at"].is_string());
    assert!(
        !listed.to_string().contains(token),
        "the secret is never listed"
    );
    cli.ok(&["token", "revoke", "--id", &id], "");
    assert!(list()[0]["revoked_at"].is_string());
    cli.fails(
        &[
            "token",
            "create",
            "--email",
            "boss@acme.example",
            "--scope",
            "everything",
        ],
        "",
        "scope",
    );
    cli.fails(&["token", "revoke", "--id", "nope"], "", "not a token id");
}

#[test]
fn migrate_check_reports_pending_work_and_succeeds_once_applied() {
    let cli = Cli::new();
    let r = cli.run(&["migrate", "--check"], "");
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout.contains("pending") && r.stdout.contains("foundation"),
        "{}",
        r.stdout
    );
    assert!(
        cli.ok(&["migrate"], "")
            .contains("applied migrations [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]")
    );
    assert!(
        cli.ok(&["migrate", "--check"], "")
            .contains("the schema is current")
    );
    assert!(cli.ok(&["migrate"], "").contains("nothing to apply"));
}

#[test]
fn unsafe_database_settings_refuse_to_start_unless_allowed() {
    let cli = Cli::new();
    let unsafe_url = format!("{}?synchronous=off", cli.url);
    cli.fails(
        &["--database-url", &unsafe_url, "migrate"],
        "",
        "synchronous is off",
    );
    cli.fails(
        &["--database-url", &unsafe_url, "migrate"],
        "",
        "--allow-unsafe-db",
    );
    cli.ok(
        &[
            "--database-url",
            &unsafe_url,
            "--allow-unsafe-db",
            "migrate",
        ],
        "",
    );
    cli.fails(
        &["--database-url", "mysql://nope", "migrate"],
        "",
        "sqlite: or postgres://",
    );
}

#[test]
fn the_openapi_command_prints_the_document() {
    let cli = Cli::new();
    let doc: Value = serde_json::from_str(&cli.ok(&["openapi"], "")).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/api/v1/users"].is_object());
}

#[test]
fn the_demo_command_fills_an_empty_database_once_and_reports_what_it_wrote() {
    let cli = Cli::new();
    let out = cli.ok(
        &["demo", "--date", "2026-11-23", "--contacts", "50", "--json"],
        "",
    );
    let made: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(made["created"], true);
    assert_eq!(made["counts"]["contacts"], 50);
    assert_eq!(made["counts"]["companies"], 10);
    assert_eq!(made["counts"]["activities"], 150);
    assert_eq!(made["users"].as_array().unwrap().len(), 9);
    assert!(made["password"].as_str().unwrap().len() >= 20);
    let users = cli.ok(&["user", "list"], "");
    assert!(users.contains("kenji.watanabe@rapport.test"), "{users}");

    let again: Value = serde_json::from_str(&cli.ok(&["demo", "--json"], "")).unwrap();
    assert_eq!(again["created"], false);
    assert!(again.get("password").is_none());
}

#[test]
fn a_malformed_demo_date_is_refused_with_the_expected_format() {
    let cli = Cli::new();
    let r = cli.run(&["demo", "--date", "2026-13-01"], "");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--date"), "{}", r.stderr);
    assert!(r.stderr.contains("YYYY-MM-DD"), "{}", r.stderr);
}

#[test]
fn a_backup_file_restores_into_a_new_database_and_is_never_overwritten_by_accident() {
    let source = Cli::new();
    source.ok(&["demo", "--contacts", "40", "--date", "2026-11-23"], "");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("nightly.rbk");
    let file_arg = file.to_str().unwrap();
    source.ok(&["backup", "--to", file_arg], "");
    assert!(file.exists());
    assert!(!dir.path().join("nightly.rbk.partial").exists());
    source.fails(&["backup", "--to", file_arg], "", "--force");
    source.ok(&["backup", "--to", file_arg, "--force"], "");

    let checked: Value =
        serde_json::from_str(&source.ok(&["restore", "--from", file_arg, "--check", "--json"], ""))
            .unwrap();
    assert_eq!(checked["tables"]["contacts"], 40);

    let target = Cli::new();
    let restored: Value =
        serde_json::from_str(&target.ok(&["restore", "--from", file_arg, "--json"], "")).unwrap();
    assert_eq!(restored["tables"]["companies"], 8);
    let users = target.ok(&["user", "list"], "");
    assert!(users.contains("maria.jensen@rapport.test"), "{users}");
    // A second restore would mix two databases; it is refused and changes nothing.
    target.fails(&["restore", "--from", file_arg], "", "already holds data");
}

#[test]
fn a_backup_streams_to_standard_output_and_back_in() {
    let source = Cli::new();
    source.workspace("Acme", "boss@acme.example");
    let out = source.command(&["backup", "--to", "-"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(&out.stdout[..2], &[0x1f, 0x8b], "gzip on stdout");
    let target = Cli::new();
    let mut child = target
        .command(&["restore", "--from", "-"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child.stdin.take().unwrap().write_all(&out.stdout).unwrap();
    let done = child.wait_with_output().unwrap();
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let listed = target.ok(&["workspace", "list"], "");
    assert!(listed.contains("acme"), "{listed}");
}

#[test]
fn restoring_something_that_is_not_a_backup_says_so() {
    let cli = Cli::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("contacts.csv");
    std::fs::write(&file, "name,email\nAnna,anna@example.com\n").unwrap();
    cli.fails(
        &["restore", "--from", file.to_str().unwrap()],
        "",
        "not a Rapport backup",
    );
    cli.fails(
        &["restore", "--from", "/nonexistent/file.rbk"],
        "",
        "cannot open",
    );
}

#[test]
fn exchange_rates_are_set_imported_all_or_nothing_listed_and_removed() {
    let cli = Cli::new();
    cli.workspace("Acme", "boss@acme.example");
    assert!(cli.ok(&["rates", "list"], "").contains("no exchange rates"));
    assert!(
        cli.ok(&["rates", "set", "usd", "2026-01-01", "0.92"], "")
            .contains("set 1 USD = 0.92 from 2026-01-01")
    );
    cli.fails(
        &["rates", "set", "EUR", "2026-01-01", "1"],
        "",
        "base currency",
    );
    // One bad row keeps nothing, and every bad cell is named by its line.
    cli.fails(
        &["rates", "import", "-"],
        "currency,valid_from,rate\nGBP,2026-01-01,1.15\nXYZ,2026-13-01,-1\n",
        "line 3, currency: must be an ISO 4217 currency code",
    );
    cli.fails(
        &["rates", "import", "-"],
        "currency,valid_from,rate\nPLN,2026-01-01,0,23\n",
        "line 2: 4 cells where the header has 3",
    );
    cli.fails(
        &["rates", "import", "-"],
        "code,day\n",
        "line 1: the header lacks currency, valid_from, rate",
    );
    let listed: Value = serde_json::from_str(&cli.ok(&["rates", "list", "--json"], "")).unwrap();
    assert_eq!(
        listed.as_array().unwrap().len(),
        1,
        "nothing of the bad files stayed"
    );
    assert!(
        cli.ok(
            &["rates", "import", "-"],
            "rate,currency,valid_from\n1.15,GBP,2026-01-01\n\"0.93\",USD,2026-01-01\n"
        )
        .contains("imported 2 rates: 1 new, 1 replaced")
    );
    let listed: Value =
        serde_json::from_str(&cli.ok(&["rates", "list", "--currency", "usd", "--json"], ""))
            .unwrap();
    assert_eq!(
        listed,
        serde_json::json!([{"currency": "USD", "valid_from": "2026-01-01", "rate": "0.93",
            "base_currency": "EUR"}])
    );
    cli.ok(&["rates", "delete", "GBP", "2026-01-01"], "");
    cli.fails(&["rates", "delete", "GBP", "2026-01-01"], "", "not found");
}
