use std::io::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rapport_app::auth::{self, LoginInput};
use rapport_app::backup;
use rapport_app::demo::{self, DemoOptions, DemoOutcome};
use rapport_app::{AppError, Caller, RequestMeta, records};
use rapport_core::demo::DemoSize;
use rapport_core::object::ObjectType;
use rapport_core::policy::Scope;
use rapport_core::value::Date;
use rapport_store::backup::format::{FORMAT, Header, VERSION, Writer};
use serde_json::{Value as Json, json};

use crate::support::{Env, caller, list_all};

pub(crate) const OBJECTS: [ObjectType; 5] = [
    ObjectType::Company,
    ObjectType::Contact,
    ObjectType::Lead,
    ObjectType::Opportunity,
    ObjectType::Activity,
];

pub(crate) fn options() -> DemoOptions {
    DemoOptions {
        seed: 5,
        reference: Date::from_ymd(2026, 11, 23),
        size: DemoSize {
            companies: 15,
            contacts: 60,
            leads: 20,
            opportunities: 25,
            activities: 120,
        },
    }
}

pub(crate) async fn seeded(env: &Env) -> (Caller, String) {
    let DemoOutcome::Created { password, .. } = demo::ensure(&env.app, &options(), &mut |_, _| {})
        .await
        .unwrap()
    else {
        panic!("expected a new demo");
    };
    (sign_in(env, &password).await, password)
}

async fn sign_in(env: &Env, password: &str) -> Caller {
    let done = auth::login(
        &env.app,
        &LoginInput {
            email: demo::DEMO_ADMIN_EMAIL.to_owned(),
            password: password.to_owned(),
            ..LoginInput::default()
        },
        &RequestMeta::default(),
    )
    .await
    .unwrap();
    caller(&done.user, Scope::ReadWrite)
}

pub(crate) async fn everything(env: &Env, who: &Caller) -> Vec<Json> {
    let mut out = Vec::new();
    for object in OBJECTS {
        out.extend(list_all(env, who, object).await);
    }
    out
}

async fn take_backup(env: &Env) -> Vec<u8> {
    backup::backup(&env.app, Vec::new(), &mut |_, _| {})
        .await
        .unwrap()
        .0
}

async fn count(env: &Env, who: &Caller, object: ObjectType) -> i64 {
    records::list(&env.app, who, object, &[("count".into(), "true".into())])
        .await
        .unwrap()
        .total
        .unwrap()
}

/// Every source backend into every target backend: the same records, searchable, and the
/// same passwords.
#[tokio::test]
async fn a_backup_restores_into_an_empty_database_of_either_backend() {
    for source in Env::each("backup source").await {
        let (admin, password) = seeded(&source).await;
        // An older company under a newer one: in key order the child comes first, so the
        // restore must hold its reference back until the parent exists.
        let mut ids: Vec<String> = records::list(&source.app, &admin, ObjectType::Company, &[])
            .await
            .unwrap()
            .items
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_owned())
            .collect();
        ids.sort();
        let newest = json!(ids[ids.len() - 1]);
        let mut patch = serde_json::Map::new();
        patch.insert("parent_id".into(), newest);
        records::update(
            &source.app,
            &admin,
            ObjectType::Company,
            ids[0].parse().unwrap(),
            &patch,
            None,
        )
        .await
        .unwrap();
        let before = everything(&source, &admin).await;
        let bytes = take_backup(&source).await;
        for target in Env::each("backup target").await {
            let summary = backup::restore(&target.app, &bytes[..], &mut |_, _| {})
                .await
                .unwrap_or_else(|e| panic!("{} → {}: {e:?}", source.backend(), target.backend()));
            assert!(summary.rows > 500);
            let admin = sign_in(&target, &password).await;
            let after = everything(&target, &admin).await;
            assert_eq!(before, after, "{} → {}", source.backend(), target.backend());
            // The search index is rebuilt, not copied.
            let name = before[0]["name"]
                .as_str()
                .unwrap()
                .split(' ')
                .next()
                .unwrap();
            let found = records::list(
                &target.app,
                &admin,
                ObjectType::Company,
                &[("q".to_owned(), name.to_owned())],
            )
            .await
            .unwrap();
            assert!(!found.items.is_empty(), "search for {name} found nothing");
            let audited = crate::support::audit_actions(&target, &admin).await;
            assert!(audited.iter().any(|a| a == "workspace.restored"));
            let problems = target
                .app
                .db
                .read()
                .await
                .unwrap()
                .integrity_problems()
                .await
                .unwrap();
            assert!(problems.is_empty(), "{problems:?}");
        }
    }
}

/// Writes go on while the backup runs: what it holds is one instant of the database, so
/// every record in it has its audit entry and its event, and no half-transaction.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_during_writes_holds_whole_transactions() {
    for env in Env::each("backup under writes").await {
        let (admin, password) = seeded(&env).await;
        let created = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let writer = {
            let (app, admin, created, stop) = (
                env.app.clone(),
                admin.clone(),
                created.clone(),
                stop.clone(),
            );
            tokio::spawn(async move {
                let mut i = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    let body =
                        json!({"name": format!("Busy {i}"), "domain": format!("busy{i}.example")});
                    records::create(&app, &admin, ObjectType::Company, body.as_object().unwrap())
                        .await
                        .unwrap();
                    created.fetch_add(1, Ordering::Relaxed);
                    i += 1;
                }
            })
        };
        while created.load(Ordering::Relaxed) < 20 {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        let at_start = created.load(Ordering::Relaxed);
        // A pause after each table keeps the backup open while the writer commits.
        let mut slow = |_: &str, _: u64| std::thread::sleep(std::time::Duration::from_millis(15));
        let bytes = backup::backup(&env.app, Vec::new(), &mut slow)
            .await
            .unwrap()
            .0;
        let at_end = created.load(Ordering::Relaxed);
        assert!(
            at_end > at_start + 5,
            "the writer did not run during the backup ({at_start} → {at_end})"
        );
        // Let a few more land after the backup finished.
        while created.load(Ordering::Relaxed) < at_end + 10 {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        stop.store(true, Ordering::Relaxed);
        writer.await.unwrap();

        for target in Env::each("backup under writes, restored").await {
            backup::restore(&target.app, &bytes[..], &mut |_, _| {})
                .await
                .unwrap();
            let admin = sign_in(&target, &password).await;
            let busy = records::list(
                &target.app,
                &admin,
                ObjectType::Company,
                &[
                    ("filter[name][starts_with]".into(), "Busy".into()),
                    ("count".into(), "true".into()),
                ],
            )
            .await
            .unwrap()
            .total
            .unwrap() as u64;
            assert!(
                (at_start..=at_end).contains(&busy),
                "{busy} busy companies, expected {at_start}..={at_end}"
            );
            let mut c = target.app.db.read().await.unwrap();
            let audited = c.count_rows("audit_log").await.unwrap();
            let events = c.count_rows("outbox").await.unwrap();
            let companies = c.count_rows("companies").await.unwrap();
            assert!(c.integrity_problems().await.unwrap().is_empty());
            drop(c);
            // Each create wrote one company, one audit entry and one event together.
            let seeded_companies = options().size.companies as i64;
            let created_in_backup = companies - seeded_companies;
            assert_eq!(created_in_backup as u64, busy);
            let source_audit_base = audited - created_in_backup;
            let source_event_base = events - created_in_backup;
            assert!(source_audit_base > 0 && source_event_base >= 0);
            let again = take_backup(&target).await;
            assert!(again.len() > 1_000);
            assert_eq!(count(&target, &admin, ObjectType::Company).await, companies);
        }
    }
}

#[tokio::test]
async fn a_restore_refuses_a_database_that_already_holds_data() {
    let source = Env::each("backup refuse source").await.remove(0);
    seeded(&source).await;
    let bytes = take_backup(&source).await;
    for target in Env::each("backup refuse").await {
        let (_, admin) = target.workspace("acme").await;
        let refused = backup::restore(&target.app, &bytes[..], &mut |_, _| {}).await;
        assert!(
            matches!(&refused, Err(AppError::Conflict { code: "not_empty", message }) if message.contains("holds data")),
            "{refused:?}"
        );
        // Nothing was added to what was there.
        assert_eq!(count(&target, &admin, ObjectType::Company).await, 0);
    }
}

/// A damaged file is refused with where it went wrong, and leaves the database empty: a
/// good restore works afterwards.
#[tokio::test]
async fn a_damaged_backup_restores_nothing() {
    let source = Env::each("backup damaged source").await.remove(0);
    let (_, password) = seeded(&source).await;
    let bytes = take_backup(&source).await;
    let plain = {
        use std::io::Read as _;
        let mut out = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut out)
            .unwrap();
        out
    };
    let gzip = |text: &str| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(text.as_bytes()).unwrap();
        e.finish().unwrap()
    };
    let lines: Vec<&str> = plain.lines().collect();
    let truncated = lines[..lines.len() / 2].join("\n") + "\n";
    let edited = plain.replacen("\"Demo Admin\"", "\"Evil Admin\"", 1);
    let short = &bytes[..bytes.len() / 2];
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("truncated", gzip(&truncated), "before"),
        ("edited", gzip(&edited), "checksum"),
        ("cut gzip", short.to_vec(), "backup"),
        (
            "not a backup",
            b"id,name\n1,Acme\n".to_vec(),
            "not a Rapport backup",
        ),
    ];
    for target in Env::each("backup damaged").await {
        for (what, data, says) in &cases {
            let refused = backup::restore(&target.app, &data[..], &mut |_, _| {}).await;
            match refused {
                Err(AppError::Conflict {
                    code: "bad_backup",
                    message,
                }) => assert!(message.contains(says), "{what}: {message}"),
                other => panic!("{what}: {other:?}"),
            }
            assert!(backup::verify(&data[..]).is_err(), "{what} passes --check");
        }
        backup::restore(&target.app, &bytes[..], &mut |_, _| {})
            .await
            .unwrap();
        let admin = sign_in(&target, &password).await;
        assert_eq!(count(&target, &admin, ObjectType::Company).await, 15);
    }
}

#[tokio::test]
async fn a_backup_from_a_newer_rapport_is_refused_with_the_versions() {
    let mut w = Writer::new(Vec::new());
    w.header(&Header {
        format: FORMAT.to_owned(),
        version: VERSION,
        rapport: "9.0.0".to_owned(),
        schema: 99,
        backend: "sqlite".to_owned(),
        created_at: "2030-01-01T00:00:00Z".to_owned(),
        tables: Vec::new(),
    })
    .unwrap();
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(&w.finish(0).unwrap()).unwrap();
    let data = e.finish().unwrap();
    for target in Env::each("backup newer").await {
        let refused = backup::restore(&target.app, &data[..], &mut |_, _| {}).await;
        assert!(
            matches!(&refused, Err(AppError::Conflict { code: "schema", message }) if message.contains("9.0.0") && message.contains("99")),
            "{refused:?}"
        );
    }
}

#[tokio::test]
async fn verifying_a_good_backup_counts_its_rows_by_table() {
    let env = Env::each("backup verify").await.remove(0);
    seeded(&env).await;
    let bytes = take_backup(&env).await;
    let summary = backup::verify(&bytes[..]).unwrap();
    let companies = summary
        .per_table
        .iter()
        .find(|s| s.table == "companies")
        .unwrap()
        .rows;
    assert_eq!(companies, 15);
    assert!(
        !summary
            .per_table
            .iter()
            .any(|s| s.table.starts_with("search_fts"))
    );
    assert!(
        !summary
            .per_table
            .iter()
            .any(|s| s.table == "rapport_migrations")
    );
}
