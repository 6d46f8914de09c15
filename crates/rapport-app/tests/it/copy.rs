//! `backup::copy`: a whole deployment moved into another database, checked table by table.

use std::sync::Arc;

use rapport_app::auth::{self, LoginInput};
use rapport_app::backup::{self, CopyStep};
use rapport_app::clock::ManualClock;
use rapport_app::record_settings::{self, CustomFieldInput};
use rapport_app::sharing::{self, ShareInput};
use rapport_app::{App, AppError, Caller, RequestMeta, Settings, records, workspaces};
use rapport_core::object::ObjectType;
use rapport_core::{Id, Role, Timestamp};
use rapport_store::backup::{self as store_backup, Existing, Summary};
use rapport_store::testing::TestDb;
use rapport_store::{Backend, Db, DbOptions, migrate};
use serde_json::json;
use uuid::Uuid;

use crate::backup::{everything, seeded};
use crate::support::{Env, PASSWORD, audit_actions, make, tag};

/// A SQLite deployment with two workspaces: the demo (every object, users, teams, audit
/// history) and one with a custom field, a tag, a private lead shared with a colleague,
/// and a signed-in session.
struct Source {
    env: Env,
    demo_admin: Caller,
    demo_password: String,
    admin: Caller,
    rep: Caller,
    shared_lead: Uuid,
    cookie: String,
}

async fn login(app: &App, workspace: &str, email: &str, password: &str) -> auth::LoggedIn {
    auth::login(
        app,
        &LoginInput {
            workspace: Some(workspace.to_owned()),
            email: email.to_owned(),
            password: password.to_owned(),
            ..LoginInput::default()
        },
        &RequestMeta::default(),
    )
    .await
    .unwrap_or_else(|e| panic!("{email} cannot sign in to {workspace}: {e:?}"))
}

async fn rich_source() -> Source {
    let env = Env::sqlite().await;
    let (demo_admin, demo_password) = seeded(&env).await;
    let (ws, admin) = env.workspace("acme").await;
    record_settings::create_custom_field(
        &env.app,
        &admin,
        &CustomFieldInput {
            object_type: Some("company".into()),
            key: Some("tier".into()),
            label: Some("Tier".into()),
            kind: Some("select".into()),
            options: Some(vec!["gold".into(), "silver".into()]),
            ..CustomFieldInput::default()
        },
    )
    .await
    .unwrap();
    let tag = tag(&env, &admin, "Łódź VIP").await;
    make(
        &env,
        &admin,
        ObjectType::Company,
        json!({"name": "Globex", "custom": {"tier": "gold"}, "tag_ids": [tag.id],
               "address": {"city": "Zürich", "country": "CH"}}),
    )
    .await;
    make(
        &env,
        &admin,
        ObjectType::Contact,
        json!({"first_name": "Anna", "last_name": "Nowak", "tag_ids": [tag.id],
               "emails": [{"value": "anna@globex.example", "label": "work"}]}),
    )
    .await;
    let owner = env.user(ws, "owner@acme.example", Role::Rep).await;
    let rep = env.user(ws, "rep@acme.example", Role::Rep).await;
    let shared_lead = make(
        &env,
        &owner,
        ObjectType::Lead,
        json!({"last_name": "Shared", "visibility": "private"}),
    )
    .await;
    sharing::create(
        &env.app,
        &owner,
        &ShareInput {
            object_type: "lead".into(),
            record_id: shared_lead,
            grantee_type: "user".into(),
            grantee_id: rep.principal.user_id.as_uuid(),
            access: "read".into(),
        },
    )
    .await
    .unwrap();
    let cookie = login(&env.app, "acme", "admin@acme.example.com", PASSWORD)
        .await
        .cookie_value;
    Source {
        env,
        demo_admin,
        demo_password,
        admin,
        rep,
        shared_lead,
        cookie,
    }
}

async fn sums(app: &App) -> Summary {
    store_backup::checksums(&app.db, &mut |_, _| {})
        .await
        .unwrap()
}

async fn targets(test: &str) -> Vec<Env> {
    let mut out = vec![Env::sqlite().await];
    out.extend(Env::postgres(test).await);
    out
}

#[tokio::test]
async fn a_sqlite_deployment_copies_into_either_backend_with_every_table_verified() {
    let source = rich_source().await;
    let src = &source.env.app;
    let before = sums(src).await;
    for target in targets("copy from SQLite").await {
        let what = format!("sqlite → {}", target.backend());
        let mut heard: Vec<(CopyStep, String, u64)> = Vec::new();
        let summary = backup::copy(src, &target.app, Existing::Refuse, &mut |s, t, n| {
            heard.push((s, t.to_owned(), n));
        })
        .await
        .unwrap_or_else(|e| panic!("{what}: {e:?}"));
        assert_eq!(summary.per_table, before.per_table, "{what}");
        assert_eq!(sums(src).await, before, "the source is unchanged");
        let companies = before
            .per_table
            .iter()
            .find(|s| s.table == "companies")
            .unwrap()
            .rows;
        for step in [CopyStep::Read, CopyStep::Written, CopyStep::Checked] {
            assert!(
                heard.contains(&(step, "companies".to_owned(), companies)),
                "{step:?}: {heard:?}"
            );
        }
        for table in [
            "sessions",
            "audit_log",
            "custom_fields",
            "tags",
            "shares",
            "users",
        ] {
            let rows = before.per_table.iter().find(|s| s.table == table);
            assert!(rows.is_some_and(|s| s.rows > 0), "{table}: {rows:?}");
        }

        // Read afresh from the target: the same sums, but for the copy's own audit entries.
        let after = sums(&target.app).await;
        let changed: Vec<String> = store_backup::compare(&before.per_table, &after.per_table)
            .into_iter()
            .map(|m| m.table)
            .collect();
        assert_eq!(changed, ["audit_log"], "{what}");
        let audit = |s: &Summary| {
            s.per_table
                .iter()
                .find(|s| s.table == "audit_log")
                .unwrap()
                .rows
        };
        assert_eq!(audit(&after), audit(&before) + 2, "one entry per workspace");

        // A session signed in on the source goes on working against the target.
        let session = auth::authenticate_session(&target.app, &source.cookie)
            .await
            .unwrap_or_else(|e| panic!("{what}: {e:?}"));
        assert_eq!(session.principal.user_id, source.admin.principal.user_id);
        login(
            &target.app,
            "demo",
            rapport_app::demo::DEMO_ADMIN_EMAIL,
            &source.demo_password,
        )
        .await;

        // Records read back through the use cases are the same, as each user sees them.
        for who in [&source.demo_admin, &source.admin, &source.rep] {
            let (a, b) = (
                everything(&source.env, who).await,
                everything(&target, who).await,
            );
            assert!(!a.is_empty());
            assert_eq!(a, b, "{what}");
        }
        let shared = records::get(
            &target.app,
            &source.rep,
            ObjectType::Lead,
            source.shared_lead,
            None,
        )
        .await;
        assert!(shared.is_ok(), "the share came along: {shared:?}");
        let found = records::list(
            &target.app,
            &source.admin,
            ObjectType::Company,
            &[("q".to_owned(), "Globex".to_owned())],
        )
        .await
        .unwrap();
        assert_eq!(found.items.len(), 1, "searchable in the target");
        assert_eq!(
            found.items[0]["custom"]["tier"], "gold",
            "{}",
            found.items[0]
        );
        let actions = audit_actions(&target, &source.admin).await;
        assert!(
            actions.iter().any(|a| a == "workspace.copied"),
            "{actions:?}"
        );
        assert!(actions.iter().any(|a| a == "share.granted"), "{actions:?}");
    }
}

#[tokio::test]
async fn copying_into_a_database_that_holds_data_is_refused_unless_replacing() {
    let source = Env::sqlite().await;
    let (_, admin) = source.workspace("acme").await;
    make(
        &source,
        &admin,
        ObjectType::Company,
        json!({"name": "Globex"}),
    )
    .await;
    for target in Env::each("copy into a database with data").await {
        target.workspace("other").await;
        let before = sums(&target.app).await;
        let refused = backup::copy(
            &source.app,
            &target.app,
            Existing::Refuse,
            &mut |_, _, _| {},
        )
        .await;
        match &refused {
            Err(AppError::Conflict {
                code: "not_empty",
                message,
            }) => assert!(
                message.contains("table ")
                    && message.contains(" rows")
                    && message.contains("--replace"),
                "{message}"
            ),
            other => panic!("{other:?}"),
        }
        assert_eq!(sums(&target.app).await, before, "nothing changed");

        backup::copy(
            &source.app,
            &target.app,
            Existing::Replace,
            &mut |_, _, _| {},
        )
        .await
        .unwrap();
        let slugs: Vec<String> = workspaces::list(&target.app)
            .await
            .unwrap()
            .into_iter()
            .map(|w| w.slug)
            .collect();
        assert_eq!(slugs, ["acme"]);
        login(&target.app, "acme", "admin@acme.example.com", PASSWORD).await;
        assert_eq!(
            crate::support::list_all(&target, &admin, ObjectType::Company)
                .await
                .len(),
            1
        );
    }
}

#[tokio::test]
async fn a_source_behind_this_rapports_schema_is_refused_with_what_to_run() {
    let (url, _dir) = TestDb::sqlite_url().unwrap();
    let db = Db::connect(&DbOptions::new(url)).await.unwrap();
    // Versions need not be contiguous: the source stops at the one before the newest.
    let all = migrate::embedded(Backend::Sqlite);
    let newest = all.last().unwrap();
    migrate::migrate_to(&db, Timestamp::from_secs(0), all[all.len() - 2].version)
        .await
        .unwrap();
    let clock = Arc::new(ManualClock::new(Timestamp::from_secs(1_800_000_000)));
    let old = App::new(db, clock, Settings::default());
    let target = Env::sqlite().await;
    let before = sums(&target.app).await;
    let refused = backup::copy(&old, &target.app, Existing::Refuse, &mut |_, _, _| {}).await;
    match &refused {
        Err(AppError::Conflict {
            code: "schema",
            message,
        }) => assert!(
            message.contains("rapport migrate")
                && message.contains(&format!("{} ({})", newest.version, newest.name)),
            "{message}"
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(sums(&target.app).await, before);
}
