use rapport_app::auth::{self, LoginInput};
use rapport_app::demo::{self, DemoOptions, DemoOutcome, SeedCounts};
use rapport_app::{AppError, Caller, RequestMeta, pipelines, records, timeline};
use rapport_core::Role;
use rapport_core::demo::{DemoSize, USERS};
use rapport_core::object::ObjectType;
use rapport_core::policy::Scope;
use rapport_core::value::Date;
use serde_json::{Map, Value as Json, json};
use uuid::Uuid;

use crate::support::{Env, caller, list_all};

fn small() -> DemoOptions {
    DemoOptions {
        seed: 11,
        reference: Date::from_ymd(2026, 11, 23),
        size: DemoSize {
            companies: 20,
            contacts: 80,
            leads: 30,
            opportunities: 40,
            activities: 200,
        },
    }
}

async fn create(env: &Env, options: &DemoOptions) -> (String, SeedCounts) {
    match demo::ensure(&env.app, options, &mut |_, _| {})
        .await
        .unwrap()
    {
        DemoOutcome::Created {
            password, counts, ..
        } => (password, counts),
        DemoOutcome::Existing { .. } => panic!("expected a new demo"),
    }
}

async fn sign_in(env: &Env, email: &str, password: &str) -> Caller {
    let done = auth::login(
        &env.app,
        &LoginInput {
            email: email.to_owned(),
            password: password.to_owned(),
            ..LoginInput::default()
        },
        &RequestMeta::default(),
    )
    .await
    .unwrap_or_else(|e| panic!("{email}: {e:?}"));
    caller(&done.user, Scope::ReadWrite)
}

async fn count(env: &Env, who: &Caller, object: ObjectType, filters: &[(&str, &str)]) -> i64 {
    let mut params: Vec<(String, String)> = vec![("count".into(), "true".into())];
    params.extend(
        filters
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    records::list(&env.app, who, object, &params)
        .await
        .unwrap()
        .total
        .unwrap()
}

#[tokio::test]
async fn the_standard_demo_holds_what_the_issue_promises() {
    for env in Env::each("demo standard").await {
        let options = DemoOptions {
            reference: Date::from_ymd(2026, 11, 23),
            ..DemoOptions::default()
        };
        let (password, counts) = create(&env, &options).await;
        assert_eq!(
            counts,
            SeedCounts {
                users: 10,
                teams: 2,
                companies: 200,
                contacts: 1_000,
                leads: 300,
                opportunities: 400,
                activities: 3_000,
            }
        );
        let admin = sign_in(&env, demo::DEMO_ADMIN_EMAIL, &password).await;
        assert_eq!(count(&env, &admin, ObjectType::Company, &[]).await, 200);
        assert_eq!(count(&env, &admin, ObjectType::Contact, &[]).await, 1_000);
        assert_eq!(count(&env, &admin, ObjectType::Lead, &[]).await, 300);
        assert_eq!(count(&env, &admin, ObjectType::Opportunity, &[]).await, 400);
        assert_eq!(count(&env, &admin, ObjectType::Activity, &[]).await, 3_000);
        let due_today = count(
            &env,
            &admin,
            ObjectType::Activity,
            &[
                ("filter[status][eq]", "open"),
                ("filter[due_at][gte]", "2026-11-23T00:00:00Z"),
                ("filter[due_at][lt]", "2026-11-24T00:00:00Z"),
            ],
        )
        .await;
        let overdue = count(
            &env,
            &admin,
            ObjectType::Activity,
            &[
                ("filter[status][eq]", "open"),
                ("filter[due_at][lt]", "2026-11-23T00:00:00Z"),
            ],
        )
        .await;
        assert!(due_today >= 30, "{} due today", due_today);
        assert!(overdue >= 60, "{} overdue", overdue);
        for kind in ["open", "won", "lost"] {
            let n = count(
                &env,
                &admin,
                ObjectType::Opportunity,
                &[("filter[stage_kind][eq]", kind)],
            )
            .await;
            assert!(n >= 50, "{n} {kind} opportunities");
        }
        // Seeding is one bulk audit entry, not five thousand.
        let audited = crate::support::audit_actions(&env, &admin).await;
        assert_eq!(
            audited
                .iter()
                .filter(|a| *a == "records.bulk_created")
                .count(),
            1
        );
        assert!(!audited.iter().any(|a| a == "record.created"));
    }
}

#[tokio::test]
async fn the_demo_is_created_once_and_reused_after() {
    for env in Env::each("demo reuse").await {
        let (password, _) = create(&env, &small()).await;
        assert!(password.chars().count() >= 20);
        let again = demo::ensure(&env.app, &small(), &mut |_, _| {})
            .await
            .unwrap();
        let DemoOutcome::Existing { email, .. } = again else {
            panic!("expected the existing demo");
        };
        assert_eq!(email, demo::DEMO_ADMIN_EMAIL);
        let admin = sign_in(&env, demo::DEMO_ADMIN_EMAIL, &password).await;
        // Reusing wrote nothing twice.
        assert_eq!(count(&env, &admin, ObjectType::Company, &[]).await, 20);
    }
}

#[tokio::test]
async fn the_demo_refuses_a_database_that_already_has_workspaces() {
    for env in Env::each("demo refuses").await {
        env.workspace("acme").await;
        let refused = demo::ensure(&env.app, &small(), &mut |_, _| {}).await;
        assert!(
            matches!(
                refused,
                Err(AppError::Conflict {
                    code: "not_empty",
                    ..
                })
            ),
            "{refused:?}"
        );
    }
}

/// Same seed and date, two databases (SQLite and PostgreSQL when both run): same records.
#[tokio::test]
async fn the_same_seed_and_date_give_the_same_records_on_every_database() {
    let mut seen: Vec<Vec<(String, String)>> = Vec::new();
    for env in Env::each("demo deterministic").await {
        let (password, _) = create(&env, &small()).await;
        let admin = sign_in(&env, demo::DEMO_ADMIN_EMAIL, &password).await;
        let mut rows = Vec::new();
        for object in [
            ObjectType::Company,
            ObjectType::Opportunity,
            ObjectType::Activity,
        ] {
            for r in list_all(&env, &admin, object).await {
                let label = ["name", "subject"]
                    .iter()
                    .find_map(|f| r.get(*f).and_then(Json::as_str))
                    .unwrap_or("")
                    .to_owned();
                rows.push((r["id"].as_str().unwrap().to_owned(), label));
            }
        }
        rows.sort();
        seen.push(rows);
    }
    // A third run on a fresh SQLite file agrees too.
    let env = Env::each("demo deterministic again").await.remove(0);
    let (password, _) = create(&env, &small()).await;
    let admin = sign_in(&env, demo::DEMO_ADMIN_EMAIL, &password).await;
    let companies: Vec<String> = list_all(&env, &admin, ObjectType::Company)
        .await
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    for rows in &seen {
        assert_eq!(rows, &seen[0]);
        assert!(companies.iter().all(|id| rows.iter().any(|(r, _)| r == id)));
    }
}

#[tokio::test]
async fn every_demo_user_signs_in_with_the_shared_password_and_sees_by_role() {
    for env in Env::each("demo users").await {
        let (password, _) = create(&env, &small()).await;
        let admin = sign_in(&env, demo::DEMO_ADMIN_EMAIL, &password).await;
        let total = count(&env, &admin, ObjectType::Opportunity, &[]).await;
        for u in &USERS[1..] {
            let who = sign_in(&env, &format!("{}@rapport.test", u.login), &password).await;
            assert_eq!(who.principal.role, u.role);
            assert_eq!(who.principal.team_id.is_some(), u.team.is_some());
            let visible = list_all(&env, &who, ObjectType::Opportunity).await;
            match u.role {
                // Opportunities are team-visible: a rep sees their team's, never all.
                Role::Rep | Role::Manager => {
                    assert!(!visible.is_empty(), "{} sees no deals", u.name);
                    assert!((visible.len() as i64) < total, "{} sees every deal", u.name);
                }
                _ => {}
            }
            if u.role == Role::ReadOnly {
                let refused = records::create(
                    &env.app,
                    &who,
                    ObjectType::Company,
                    &json!({"name": "Nope"}).as_object().cloned().unwrap(),
                )
                .await;
                assert!(
                    matches!(refused, Err(AppError::Forbidden(_))),
                    "{refused:?}"
                );
            }
        }
    }
}

#[tokio::test]
async fn deals_carry_their_stage_history_and_contacts_their_activities() {
    for env in Env::each("demo history").await {
        let (password, _) = create(&env, &small()).await;
        let admin = sign_in(&env, demo::DEMO_ADMIN_EMAIL, &password).await;
        let mut moved = 0;
        for deal in list_all(&env, &admin, ObjectType::Opportunity).await {
            let id: Uuid = deal["id"].as_str().unwrap().parse().unwrap();
            let history = pipelines::history(&env.app, &admin, id).await.unwrap();
            assert!(!history.is_empty());
            assert_eq!(
                history.last().unwrap().to_stage_id.to_string(),
                deal["stage_id"].as_str().unwrap()
            );
            if history.len() > 1 {
                moved += 1;
            }
        }
        assert!(moved > 10, "only {moved} deals ever moved");
        let mut with_activities = 0;
        for contact in list_all(&env, &admin, ObjectType::Contact)
            .await
            .iter()
            .take(30)
        {
            let id: Uuid = contact["id"].as_str().unwrap().parse().unwrap();
            let page = timeline::page(&env.app, &admin, ObjectType::Contact, id, None, None)
                .await
                .unwrap();
            if !page.items.is_empty() {
                with_activities += 1;
            }
        }
        assert!(
            with_activities > 5,
            "{with_activities} of 30 contacts have a timeline"
        );
    }
}

#[tokio::test]
async fn demo_records_can_be_edited_like_any_other() {
    for env in Env::each("demo edit").await {
        let (password, _) = create(&env, &small()).await;
        let rep = sign_in(&env, "tomas.ribeiro@rapport.test", &password).await;
        let mine = records::list(
            &env.app,
            &rep,
            ObjectType::Contact,
            &[(
                "filter[owner_id][eq]".to_owned(),
                rep.principal.user_id.to_string(),
            )],
        )
        .await
        .unwrap();
        let first = mine.items.first().expect("the rep owns contacts");
        let id: Uuid = first["id"].as_str().unwrap().parse().unwrap();
        let mut patch = Map::new();
        patch.insert("title".into(), json!("Chief Happiness Officer"));
        let updated = records::update(&env.app, &rep, ObjectType::Contact, id, &patch, None)
            .await
            .unwrap();
        assert_eq!(updated.json["title"], "Chief Happiness Officer");
        assert_eq!(updated.version, 2);
    }
}
