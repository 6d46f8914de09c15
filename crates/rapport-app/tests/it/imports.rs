//! CSV import, export and vCard use cases, on both backends.

use rapport_app::imports::{self, ImportOptions, ImportReport};
use rapport_app::record_settings::{self, CustomFieldInput};
use rapport_app::{AppError, Caller, exports, jobs, records};
use rapport_core::object::ObjectType;
use rapport_core::{Id, Role};
use serde_json::{Map, Value as Json, json};

use crate::support::{Env, audit_actions, tag};

async fn run(env: &Env, c: &Caller, opts: &ImportOptions, csv: &[u8]) -> ImportReport {
    let mut input = std::io::Cursor::new(csv.to_vec());
    imports::import(&env.app, c, opts, &mut input, None, &mut |_| {})
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
}

async fn all(env: &Env, c: &Caller, object: ObjectType) -> Vec<Json> {
    records::list(
        &env.app,
        c,
        object,
        &[
            ("limit".into(), "200".into()),
            ("sort".into(), "created_at".into()),
        ],
    )
    .await
    .unwrap()
    .items
}

async fn export(env: &Env, c: &Caller, object: ObjectType, q: &[(&str, &str)]) -> String {
    let params: Vec<(String, String)> = q
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let mut out = Vec::new();
    exports::export_csv(&env.app, c, object, &params, &mut out, None)
        .await
        .unwrap();
    String::from_utf8(out).unwrap()
}

fn contacts() -> ImportOptions {
    ImportOptions::new(ObjectType::Contact)
}

#[tokio::test]
async fn an_import_maps_headers_by_label_and_creates_records_with_one_audit_entry_per_batch() {
    for env in Env::each("import creates").await {
        let (_, admin) = env.workspace("acme").await;
        let csv = "\u{feff}First Name,LAST-NAME,E-mail,Address City\r\nAnna,Nowak,anna@acme.example,Kraków\nBen,Ng,ben@acme.example,\r\n";
        let report = run(&env, &admin, &contacts(), csv.as_bytes()).await;
        assert!(report.succeeded, "{report:?}");
        assert_eq!((report.rows, report.created), (2, 2), "{}", env.backend());
        let got = all(&env, &admin, ObjectType::Contact).await;
        assert_eq!(got[0]["first_name"], "Anna");
        assert_eq!(got[0]["address"]["city"], "Kraków");
        assert_eq!(got[0]["emails"][0]["value"], "anna@acme.example");
        assert_eq!(
            got[0]["owner_id"],
            admin.principal.user_id.as_uuid().to_string()
        );
        // Found by search: documents were written in bulk.
        let page = records::list(
            &env.app,
            &admin,
            ObjectType::Contact,
            &[("q".into(), "nowak".into())],
        )
        .await
        .unwrap();
        assert_eq!(page.items.len(), 1);
        let actions = audit_actions(&env, &admin).await;
        assert_eq!(
            actions.iter().filter(|a| *a == "records.imported").count(),
            1
        );
    }
}

#[tokio::test]
async fn a_bad_row_stops_an_all_or_nothing_import_and_names_its_line_and_column() {
    for env in Env::each("import all or nothing").await {
        let (_, admin) = env.workspace("acme").await;
        let csv = "first_name,last_name,emails,birth_date\nAnna,Nowak,anna@acme.example,1990-01-01\nBen,Ng,not-an-email,1990-02-30\n";
        let report = run(&env, &admin, &contacts(), csv.as_bytes()).await;
        assert!(!report.succeeded);
        assert_eq!(report.created, 0);
        let lines: Vec<(u64, Option<String>)> = report
            .errors
            .iter()
            .map(|e| (e.line, e.column.clone()))
            .collect();
        assert!(
            lines.contains(&(3, Some("emails".into()))),
            "{:?}",
            report.errors
        );
        assert!(
            lines.contains(&(3, Some("birth_date".into()))),
            "{:?}",
            report.errors
        );
        assert!(
            all(&env, &admin, ObjectType::Contact).await.is_empty(),
            "nothing written"
        );

        let mut skip = contacts();
        skip.skip_bad_rows = true;
        let report = run(&env, &admin, &skip, csv.as_bytes()).await;
        assert!(report.succeeded);
        assert_eq!((report.created, report.skipped), (1, 1));
        assert_eq!(all(&env, &admin, ObjectType::Contact).await.len(), 1);
    }
}

#[tokio::test]
async fn a_dry_run_reports_what_would_happen_and_writes_nothing() {
    for env in Env::each("import dry run").await {
        let (_, admin) = env.workspace("acme").await;
        run(&env, &admin, &contacts(), b"emails\na@acme.example\n").await;
        let mut dry = contacts();
        dry.dry_run = true;
        dry.upsert = true;
        let report = run(
            &env,
            &admin,
            &dry,
            b"emails,last_name\na@acme.example,Changed\nb@acme.example,New\n",
        )
        .await;
        assert!(report.succeeded, "{report:?}");
        assert_eq!((report.created, report.updated), (1, 1));
        let got = all(&env, &admin, ObjectType::Contact).await;
        assert_eq!(got.len(), 1);
        assert!(got[0]["last_name"].is_null());
    }
}

#[tokio::test]
async fn columns_that_set_owner_workspace_system_or_hidden_fields_are_refused_before_any_row() {
    for env in Env::each("import refuses columns").await {
        let (ws, admin) = env.workspace("acme").await;
        for (header, code) in [
            ("owner_id", "read_only"),
            ("Owner", "read_only"),
            ("workspace_id", "unknown_field"),
            ("created_at", "read_only"),
            ("version", "read_only"),
        ] {
            let csv = format!("last_name,{header}\nNowak,x\n");
            let report = run(&env, &admin, &contacts(), csv.as_bytes()).await;
            assert!(!report.succeeded);
            assert_eq!(report.errors[0].line, 1);
            assert_eq!(report.errors[0].column.as_deref(), Some(header));
            assert_eq!(report.errors[0].code, code, "{header}");
        }
        // A rep cannot hand records to someone else.
        let rep = env.user(ws, "rep@acme.example", Role::Rep).await;
        let mut opts = contacts();
        opts.owner = Some(admin.principal.user_id);
        let mut input = std::io::Cursor::new(b"last_name\nNowak\n".to_vec());
        let refused = imports::import(&env.app, &rep, &opts, &mut input, None, &mut |_| {}).await;
        assert!(
            matches!(refused, Err(AppError::Forbidden(_))),
            "{refused:?}"
        );
        assert!(all(&env, &admin, ObjectType::Contact).await.is_empty());
    }
}

#[tokio::test]
async fn hostile_files_get_an_error_per_line_and_never_a_crash() {
    for env in Env::each("import hostile").await {
        let (_, admin) = env.workspace("acme").await;
        let mut skip = contacts();
        skip.skip_bad_rows = true;
        let mut csv = b"last_name\r\nA\nB\0x\r\n\xff\xfe\n".to_vec();
        csv.extend(std::iter::repeat_n(b'x', 2 * 1024 * 1024));
        csv.extend(b"\nC\n");
        let report = run(&env, &admin, &skip, &csv).await;
        assert_eq!(report.created, 2, "{report:?}");
        let bad: Vec<(u64, &str)> = report
            .errors
            .iter()
            .map(|e| (e.line, e.message.as_str()))
            .collect();
        assert!(bad[0].0 == 3 && bad[0].1.contains("NUL"), "{bad:?}");
        assert!(bad[1].0 == 4 && bad[1].1.contains("UTF-8"), "{bad:?}");
        assert!(bad[2].0 == 5 && bad[2].1.contains("longer"), "{bad:?}");

        let wide = format!("{}\n", vec!["last_name"; 10_000].join(","));
        let report = run(&env, &admin, &skip, wide.as_bytes()).await;
        assert!(!report.succeeded);
        assert!(
            report.errors[0].message.contains("more than 500 columns"),
            "{report:?}"
        );
    }
}

#[tokio::test]
async fn duplicates_in_the_file_and_in_the_database_are_found_by_match_keys() {
    for env in Env::each("import match keys").await {
        let (_, admin) = env.workspace("acme").await;
        run(
            &env,
            &admin,
            &contacts(),
            b"emails,last_name\nanna@acme.example,Nowak\n",
        )
        .await;
        let report = run(&env, &admin, &contacts(), b"emails\nANNA@acme.example\n").await;
        assert_eq!(report.errors[0].code, "duplicate", "{report:?}");
        let report = run(
            &env,
            &admin,
            &contacts(),
            b"emails\nx@acme.example\nX@acme.example\n",
        )
        .await;
        assert!(
            report.errors[0].message.contains("same e-mail as line 2"),
            "{report:?}"
        );
        let mut up = contacts();
        up.upsert = true;
        let report = run(
            &env,
            &admin,
            &up,
            b"E-mail,Last name\nanna@acme.example,Kowalska\n",
        )
        .await;
        assert_eq!(report.updated, 1, "{report:?}");
        assert_eq!(
            all(&env, &admin, ObjectType::Contact).await[0]["last_name"],
            "Kowalska"
        );
        // Companies match on their domain.
        let companies = ImportOptions {
            upsert: true,
            ..ImportOptions::new(ObjectType::Company)
        };
        run(
            &env,
            &admin,
            &companies,
            b"name,domain\nAcme,acme.example\n",
        )
        .await;
        let report = run(
            &env,
            &admin,
            &companies,
            b"name,domain\nAcme SA,https://www.ACME.example/\n",
        )
        .await;
        assert_eq!((report.created, report.updated), (0, 1), "{report:?}");
    }
}

#[tokio::test]
async fn export_then_import_gives_back_identical_records() {
    for env in Env::each("import round trip").await {
        let (_, admin) = env.workspace("acme").await;
        record_settings::create_custom_field(
            &env.app,
            &admin,
            &CustomFieldInput {
                object_type: Some("contact".into()),
                key: Some("tier".into()),
                label: Some("Tier".into()),
                kind: Some("text".into()),
                ..CustomFieldInput::default()
            },
        )
        .await
        .unwrap();
        tag(&env, &admin, "VIP; gold").await;
        let tag = tag(&env, &admin, "Łódź").await;
        let bodies = [
            json!({"first_name": "=HYPERLINK(\"x\")", "last_name": "+cmd", "description": "two\nlines, \"quoted\"\n  indented",
                   "emails": [{"value": "a@acme.example", "label": "work"}], "custom": {"tier": "-gold"}, "tag_ids": [tag.id],
                   "external_id": "@ext-1", "address": {"city": "Zürich", "country": "CH"}}),
            json!({"first_name": "'=already quoted", "last_name": "Ünïcødé 日本", "phones": ["+48 601 234 567"], "custom": {"tier": "'plain"}}),
        ];
        for b in &bodies {
            let Json::Object(m) = b else { unreachable!() };
            records::create(&env.app, &admin, ObjectType::Contact, m)
                .await
                .unwrap();
        }
        let before = all(&env, &admin, ObjectType::Contact).await;
        let fields =
            "first_name,last_name,description,emails,phones,custom,tag_ids,external_id,address";
        let csv = export(&env, &admin, ObjectType::Contact, &[("fields", fields)]).await;
        for line in csv.lines().skip(1) {
            for cell in line.split(',') {
                let formula = cell.starts_with(['=', '@', '-'])
                    || (cell.starts_with('+') && !cell[1..].chars().all(|c| c.is_ascii_digit()));
                assert!(!formula, "{cell:?} in {csv}");
            }
        }
        let mut up = contacts();
        up.upsert = true;
        // Change something so that the import has to write it back.
        for c in &before {
            let id = uuid::Uuid::parse_str(c["id"].as_str().unwrap()).unwrap();
            let mut patch = Map::new();
            patch.insert("first_name".into(), json!("changed"));
            patch.insert("custom".into(), json!({"tier": null}));
            records::update(&env.app, &admin, ObjectType::Contact, id, &patch, None)
                .await
                .unwrap();
        }
        let report = run(&env, &admin, &up, csv.as_bytes()).await;
        assert!(report.succeeded, "{report:?}\n{csv}");
        assert_eq!(report.updated, 2, "{report:?}");
        let after = all(&env, &admin, ObjectType::Contact).await;
        for (b, a) in before.iter().zip(&after) {
            for f in [
                "id",
                "first_name",
                "last_name",
                "description",
                "emails",
                "phones",
                "custom",
                "tag_ids",
                "external_id",
                "address",
            ] {
                assert_eq!(b[f], a[f], "{f} after the round trip, {}", env.backend());
            }
        }
        assert!(
            audit_actions(&env, &admin)
                .await
                .iter()
                .any(|a| a == "records.exported")
        );
    }
}

#[tokio::test]
async fn exports_leave_out_hidden_fields_and_invisible_records() {
    for env in Env::each("export policy").await {
        let (ws, admin) = env.workspace("acme").await;
        let rep = env.user(ws, "rep@acme.example", Role::Rep).await;
        let Json::Object(m) = json!({"last_name": "Secret", "visibility": "private"}) else {
            unreachable!()
        };
        records::create(&env.app, &admin, ObjectType::Contact, &m)
            .await
            .unwrap();
        let Json::Object(m) = json!({"last_name": "Mine"}) else {
            unreachable!()
        };
        records::create(&env.app, &rep, ObjectType::Contact, &m)
            .await
            .unwrap();
        record_settings::set_field_rules(
            &env.app,
            &admin,
            ObjectType::Contact,
            &[record_settings::RuleInput {
                role: "rep".into(),
                field: "birth_date".into(),
                access: "hidden".into(),
            }],
        )
        .await
        .unwrap();
        let csv = export(&env, &rep, ObjectType::Contact, &[]).await;
        assert!(csv.contains("Mine") && !csv.contains("Secret"), "{csv}");
        assert!(!csv.lines().next().unwrap().contains("birth_date"), "{csv}");
        let full = export(&env, &admin, ObjectType::Contact, &[]).await;
        assert!(full.contains("Secret") && full.lines().next().unwrap().contains("birth_date"));
    }
}

#[tokio::test]
async fn a_vcard_is_made_only_for_a_visible_contact() {
    for env in Env::each("vcard").await {
        let (ws, admin) = env.workspace("acme").await;
        let rep = env.user(ws, "rep@acme.example", Role::Rep).await;
        let Json::Object(m) =
            json!({"first_name": "Anna", "last_name": "Nowak; Jr", "visibility": "private"})
        else {
            unreachable!()
        };
        let v = records::create(&env.app, &admin, ObjectType::Contact, &m)
            .await
            .unwrap();
        let card = exports::contact_vcard(&env.app, &admin, v.id)
            .await
            .unwrap();
        assert!(card.contains("N:Nowak\\; Jr;Anna;;;\r\n"), "{card}");
        let hidden = exports::contact_vcard(&env.app, &rep, v.id).await;
        assert!(matches!(hidden, Err(AppError::NotFound)), "{hidden:?}");
    }
}

#[tokio::test]
async fn jobs_are_capped_per_workspace_run_by_the_worker_and_private_to_their_creator() {
    for env in Env::each("jobs").await {
        let (ws, admin) = env.workspace("acme").await;
        let rep = env.user(ws, "rep@acme.example", Role::Rep).await;
        let a = jobs::submit_import(&env.app, &rep, contacts(), b"last_name\nNowak\n")
            .await
            .unwrap();
        jobs::submit_export(&env.app, &rep, ObjectType::Contact, Vec::new())
            .await
            .unwrap();
        let third = jobs::submit_export(&env.app, &admin, ObjectType::Contact, Vec::new()).await;
        assert!(
            matches!(third, Err(AppError::TooManyJobs { .. })),
            "{third:?}"
        );
        assert_eq!(a.status, "queued");
        while jobs::run_next(&env.app, "test").await.unwrap() {}
        let done = jobs::get(&env.app, &rep, "import", a.id).await.unwrap();
        assert_eq!(done.status, "succeeded", "{done:?}");
        assert_eq!(done.result.as_ref().unwrap()["created"], 1);
        // Admins see every job; other users see none but their own.
        assert!(jobs::get(&env.app, &admin, "import", a.id).await.is_ok());
        let other = env.user(ws, "other@acme.example", Role::Rep).await;
        assert!(matches!(
            jobs::get(&env.app, &other, "import", a.id).await,
            Err(AppError::NotFound)
        ));
        // The cap frees up once jobs finish.
        let e = jobs::submit_export(&env.app, &rep, ObjectType::Contact, Vec::new())
            .await
            .unwrap();
        jobs::run_next(&env.app, "test").await.unwrap();
        let (_, file) = jobs::export_file(&env.app, &rep, e.id).await.unwrap();
        assert!(String::from_utf8(file).unwrap().contains("Nowak"));
        assert!(matches!(
            jobs::export_file(&env.app, &other, e.id).await,
            Err(AppError::NotFound)
        ));
    }
}
