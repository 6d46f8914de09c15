use rapport_app::commands::{self, CompleteInput, ConvertInput};
use rapport_app::pipelines::{self, StageMoveInput};
use rapport_app::record_settings::{self, CustomFieldInput, RuleInput};
use rapport_app::sharing::{self, ShareInput};
use rapport_app::teams::{self, NewTeamInput};
use rapport_app::timeline::{self, Item};
use rapport_app::users::{self, UserPatch};
use rapport_app::{AppError, Caller, records, search};
use rapport_core::object::ObjectType;
use rapport_core::policy::Forbidden;
use rapport_core::record::FieldAccess;
use rapport_core::{ErrorCode, Id, Role};
use serde_json::json;
use uuid::Uuid;

use crate::support::{Env, body, make, read_only};

fn ids(page: &records::RecordPage) -> Vec<String> {
    page.items
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn team_world(env: &Env) -> (Caller, Caller, Caller, Caller, Caller) {
    let (ws, admin) = env.workspace("acme").await;
    let sales = teams::create(
        &env.app,
        &admin,
        &NewTeamInput {
            name: "Sales".into(),
            parent_id: None,
        },
    )
    .await
    .unwrap();
    let east = teams::create(
        &env.app,
        &admin,
        &NewTeamInput {
            name: "East".into(),
            parent_id: Some(sales.id),
        },
    )
    .await
    .unwrap();
    let mut manager = env.user(ws, "boss@acme.example", Role::Manager).await;
    let mut rep1 = env.user(ws, "rep1@acme.example", Role::Rep).await;
    let mut rep2 = env.user(ws, "rep2@acme.example", Role::Rep).await;
    for (c, team) in [
        (&mut manager, sales.id),
        (&mut rep1, east.id),
        (&mut rep2, sales.id),
    ] {
        let patch = UserPatch {
            team_id: Some(Some(team)),
            ..UserPatch::default()
        };
        users::update(&env.app, &admin, c.principal.user_id, &patch, None)
            .await
            .unwrap();
        c.principal.team_id = Some(team);
    }
    let viewer = env.user(ws, "viewer@acme.example", Role::ReadOnly).await;
    (admin, manager, rep1, rep2, viewer)
}

#[tokio::test]
async fn reps_write_their_own_records_managers_their_teams_and_private_stays_private() {
    for env in Env::each("record access").await {
        let (admin, manager, rep1, rep2, viewer) = team_world(&env).await;
        let private = make(
            &env,
            &rep1,
            ObjectType::Lead,
            json!({"last_name": "Secret", "visibility": "private"}),
        )
        .await;
        let open = make(&env, &rep1, ObjectType::Company, json!({"name": "Open Co"})).await;
        // Reading.
        assert!(
            records::get(&env.app, &rep2, ObjectType::Lead, private, None)
                .await
                .is_err(),
            "rep2 cannot see rep1's private lead"
        );
        assert!(
            records::get(&env.app, &manager, ObjectType::Lead, private, None)
                .await
                .is_ok(),
            "the manager up the tree can"
        );
        assert!(
            records::get(&env.app, &admin, ObjectType::Lead, private, None)
                .await
                .is_ok()
        );
        assert!(
            records::get(&env.app, &viewer, ObjectType::Company, open, None)
                .await
                .is_ok(),
            "workspace-visible"
        );
        let listed = records::list(&env.app, &rep2, ObjectType::Lead, &[])
            .await
            .unwrap();
        assert!(!ids(&listed).contains(&private.to_string()));
        // Writing.
        let rename = body(json!({"name": "Renamed"}));
        let denied =
            records::update(&env.app, &rep2, ObjectType::Company, open, &rename, None).await;
        assert!(matches!(denied, Err(AppError::Forbidden(_))), "{denied:?}");
        assert!(
            records::update(&env.app, &manager, ObjectType::Company, open, &rename, None)
                .await
                .is_ok()
        );
        let ro = records::create(
            &env.app,
            &viewer,
            ObjectType::Company,
            &body(json!({"name": "X"})),
        )
        .await;
        assert!(matches!(
            ro,
            Err(AppError::Forbidden(Forbidden::ReadOnlyRole))
        ));
        let scope = records::create(
            &env.app,
            &read_only(&rep1),
            ObjectType::Company,
            &body(json!({"name": "X"})),
        )
        .await;
        assert!(matches!(
            scope,
            Err(AppError::Forbidden(Forbidden::ReadOnlyScope))
        ));
        // Owners.
        let give_away = records::create(
            &env.app,
            &rep1,
            ObjectType::Company,
            &body(json!({"name": "Y", "owner_id": rep2.principal.user_id.to_string()})),
        )
        .await;
        assert!(
            matches!(give_away, Err(AppError::Forbidden(Forbidden::NotOwner))),
            "{give_away:?}"
        );
        let assigned = records::create(
            &env.app,
            &manager,
            ObjectType::Company,
            &body(json!({"name": "Z", "owner_id": rep1.principal.user_id.to_string()})),
        )
        .await;
        assert!(
            assigned.is_ok(),
            "a manager assigns within the team tree: {assigned:?}"
        );
    }
}

#[tokio::test]
async fn a_share_opens_one_record_and_revoking_it_closes_it_again() {
    for env in Env::each("shares").await {
        let (_admin, _manager, rep1, rep2, _viewer) = team_world(&env).await;
        let lead = make(
            &env,
            &rep1,
            ObjectType::Lead,
            json!({"last_name": "Shared", "visibility": "private"}),
        )
        .await;
        let input = ShareInput {
            object_type: "lead".into(),
            record_id: lead,
            grantee_type: "user".into(),
            grantee_id: rep2.principal.user_id.as_uuid(),
            access: "read".into(),
        };
        let denied = sharing::create(&env.app, &rep2, &input).await;
        assert!(
            matches!(denied, Err(AppError::Invalid(_))),
            "rep2 cannot even see it: {denied:?}"
        );
        let share = sharing::create(&env.app, &rep1, &input).await.unwrap();
        assert!(
            records::get(&env.app, &rep2, ObjectType::Lead, lead, None)
                .await
                .is_ok()
        );
        let write = records::update(
            &env.app,
            &rep2,
            ObjectType::Lead,
            lead,
            &body(json!({"first_name": "X"})),
            None,
        )
        .await;
        assert!(
            matches!(write, Err(AppError::Forbidden(_))),
            "read share is read-only"
        );
        let rw = ShareInput {
            access: "read_write".into(),
            ..input.clone()
        };
        sharing::create(&env.app, &rep1, &rw).await.unwrap();
        assert!(
            records::update(
                &env.app,
                &rep2,
                ObjectType::Lead,
                lead,
                &body(json!({"first_name": "X"})),
                None
            )
            .await
            .is_ok()
        );
        sharing::delete(&env.app, &rep1, share.id).await.unwrap();
        assert!(matches!(
            records::get(&env.app, &rep2, ObjectType::Lead, lead, None).await,
            Err(AppError::NotFound)
        ));
    }
}

#[tokio::test]
async fn hidden_fields_vanish_and_read_only_fields_refuse_writes() {
    for env in Env::each("field rules").await {
        let (admin, _manager, rep1, _rep2, _viewer) = team_world(&env).await;
        record_settings::set_field_rules(
            &env.app,
            &admin,
            ObjectType::Contact,
            &[
                RuleInput {
                    field: "birth_date".into(),
                    role: "rep".into(),
                    access: "hidden".into(),
                },
                RuleInput {
                    field: "title".into(),
                    role: "rep".into(),
                    access: "read_only".into(),
                },
            ],
        )
        .await
        .unwrap();
        let id = make(
            &env,
            &admin,
            ObjectType::Contact,
            json!({"last_name": "Nowak", "birth_date": "1990-01-01", "title": "CEO"}),
        )
        .await;
        let seen = records::get(&env.app, &rep1, ObjectType::Contact, id, None)
            .await
            .unwrap();
        assert!(seen.json.get("birth_date").is_none(), "{}", seen.json);
        assert_eq!(seen.json["title"], "CEO");
        let as_admin = records::get(&env.app, &admin, ObjectType::Contact, id, None)
            .await
            .unwrap();
        assert_eq!(as_admin.json["birth_date"], "1990-01-01");
        let own = make(
            &env,
            &rep1,
            ObjectType::Contact,
            json!({"last_name": "Mine"}),
        )
        .await;
        let refused = records::update(
            &env.app,
            &rep1,
            ObjectType::Contact,
            own,
            &body(json!({"title": "Boss", "birth_date": "2000-01-01"})),
            None,
        )
        .await;
        let Err(AppError::Invalid(errors)) = refused else {
            panic!("{refused:?}")
        };
        let mut got: Vec<(String, ErrorCode)> =
            errors.into_iter().map(|e| (e.field, e.code)).collect();
        got.sort();
        assert_eq!(
            got,
            vec![
                ("birth_date".into(), ErrorCode::ReadOnly),
                ("title".into(), ErrorCode::ReadOnly)
            ]
        );
        let filter = records::list(
            &env.app,
            &rep1,
            ObjectType::Contact,
            &[("filter[birth_date][eq]".into(), "1990-01-01".into())],
        )
        .await;
        assert!(
            matches!(filter, Err(AppError::BadQuery(_))),
            "hidden fields cannot be filtered"
        );
    }
}

#[tokio::test]
async fn custom_fields_are_validated_filtered_and_sorted() {
    for env in Env::each("custom fields").await {
        let (_, admin) = env.workspace("acme").await;
        let input = CustomFieldInput {
            object_type: Some("company".into()),
            key: Some("tier".into()),
            label: Some("Tier".into()),
            kind: Some("select".into()),
            options: Some(vec!["gold".into(), "silver".into()]),
            ..CustomFieldInput::default()
        };
        record_settings::create_custom_field(&env.app, &admin, &input)
            .await
            .unwrap();
        let gold = make(
            &env,
            &admin,
            ObjectType::Company,
            json!({"name": "G", "custom": {"tier": "gold"}}),
        )
        .await;
        make(
            &env,
            &admin,
            ObjectType::Company,
            json!({"name": "S", "custom": {"tier": "silver"}}),
        )
        .await;
        let bad = records::create(
            &env.app,
            &admin,
            ObjectType::Company,
            &body(json!({"name": "B", "custom": {"tier": "bronze", "x": 1}})),
        )
        .await;
        let Err(AppError::Invalid(errors)) = bad else {
            panic!()
        };
        assert_eq!(errors.len(), 2);
        let page = records::list(
            &env.app,
            &admin,
            ObjectType::Company,
            &[("filter[custom.tier][eq]".into(), "gold".into())],
        )
        .await
        .unwrap();
        assert_eq!(ids(&page), vec![gold.to_string()]);
        let sorted = records::list(
            &env.app,
            &admin,
            ObjectType::Company,
            &[("sort".into(), "-custom.tier".into())],
        )
        .await
        .unwrap();
        assert_eq!(sorted.items[0]["custom"]["tier"], "silver");
    }
}

#[tokio::test]
async fn a_lead_converts_once_into_company_contact_and_opportunity() {
    for env in Env::each("lead conversion").await {
        let (_, admin) = env.workspace("acme").await;
        let lead = make(&env, &admin, ObjectType::Lead,
            json!({"first_name": "Anna", "last_name": "Nowak", "company_name": "Nowak Sp. z o.o.", "email": "anna@nowak.example", "phone": "+48 601 234 567"})).await;
        let input = ConvertInput {
            opportunity: Some(body(
                json!({"amount": {"amount": "15000", "currency": "PLN"}}),
            )),
            ..ConvertInput::default()
        };
        let done = commands::convert_lead(&env.app, &admin, lead, &input, None)
            .await
            .unwrap();
        assert_eq!(done.lead.json["status"], "converted");
        let contact = records::get(&env.app, &admin, ObjectType::Contact, done.contact_id, None)
            .await
            .unwrap();
        assert_eq!(contact.json["emails"][0]["value"], "anna@nowak.example");
        assert_eq!(
            contact.json["company_id"],
            done.company_id.unwrap().to_string()
        );
        let opp = records::get(
            &env.app,
            &admin,
            ObjectType::Opportunity,
            done.opportunity_id.unwrap(),
            None,
        )
        .await
        .unwrap();
        assert_eq!(opp.json["name"], "Nowak Sp. z o.o. deal");
        assert_eq!(opp.json["contacts"][0]["id"], done.contact_id.to_string());
        assert_eq!(opp.json["stage_kind"], "open");
        assert_eq!(opp.json["probability"], 10);
        let again =
            commands::convert_lead(&env.app, &admin, lead, &ConvertInput::default(), None).await;
        assert!(
            matches!(
                again,
                Err(AppError::Conflict {
                    code: "already_converted",
                    ..
                })
            ),
            "{again:?}"
        );
        let direct = records::update(
            &env.app,
            &admin,
            ObjectType::Lead,
            lead,
            &body(json!({"status": "new"})),
            None,
        )
        .await;
        assert!(
            direct.is_ok(),
            "status of a converted lead can be edited, the links stay"
        );
        let back = records::create(
            &env.app,
            &admin,
            ObjectType::Lead,
            &body(json!({"last_name": "X", "status": "converted"})),
        )
        .await;
        assert!(
            matches!(back, Err(AppError::Invalid(ref e)) if e[0].code == ErrorCode::NotAllowed)
        );
    }
}

#[tokio::test]
async fn stage_moves_follow_the_rules_and_keep_history() {
    for env in Env::each("stage moves").await {
        let (_, admin) = env.workspace("acme").await;
        let pipeline = pipelines::list(&env.app, &admin).await.unwrap().remove(0);
        let stage = |name: &str| pipeline.stages.iter().find(|s| s.name == name).unwrap().id;
        let opp = make(
            &env,
            &admin,
            ObjectType::Opportunity,
            json!({"name": "Big deal"}),
        )
        .await;
        let won = StageMoveInput {
            stage_id: stage("Closed Won"),
            ..StageMoveInput::default()
        };
        let refused = pipelines::move_stage(&env.app, &admin, opp, &won, None).await;
        let Err(AppError::Invalid(e)) = refused else {
            panic!("{refused:?}")
        };
        assert_eq!(
            e.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
            ["amount", "close_date"]
        );
        let to_proposal = StageMoveInput {
            stage_id: stage("Proposal"),
            ..StageMoveInput::default()
        };
        let moved = pipelines::move_stage(&env.app, &admin, opp, &to_proposal, Some(1))
            .await
            .unwrap();
        assert_eq!(
            (moved.json["probability"].clone(), moved.version),
            (json!(50), 2)
        );
        let stale = pipelines::move_stage(&env.app, &admin, opp, &to_proposal, Some(1)).await;
        assert!(matches!(stale, Err(AppError::PreconditionFailed { .. })));
        let won = StageMoveInput {
            stage_id: stage("Closed Won"),
            amount: Some(json!({"amount": "1000.00"})),
            close_date: Some("2026-12-01".into()),
            lost_reason: None,
        };
        let closed = pipelines::move_stage(&env.app, &admin, opp, &won, None)
            .await
            .unwrap();
        assert_eq!(closed.json["stage_kind"], "won");
        assert_eq!(
            closed.json["amount"],
            json!({"amount": "1000.00", "currency": "EUR"})
        );
        assert!(closed.json["closed_at"].is_string());
        let history = pipelines::history(&env.app, &admin, opp).await.unwrap();
        assert_eq!(history.len(), 2);
        let foreign = StageMoveInput {
            stage_id: Uuid::now_v7(),
            ..StageMoveInput::default()
        };
        assert!(matches!(
            pipelines::move_stage(&env.app, &admin, opp, &foreign, None).await,
            Err(AppError::Invalid(_))
        ));
    }
}

#[tokio::test]
async fn the_timeline_shows_activities_and_changes_newest_first_and_a_company_sees_its_contacts() {
    for env in Env::each("timeline").await {
        let (_, admin) = env.workspace("acme").await;
        let company = make(&env, &admin, ObjectType::Company, json!({"name": "Acme"})).await;
        let contact = make(
            &env,
            &admin,
            ObjectType::Contact,
            json!({"last_name": "Nowak", "company_id": company.to_string()}),
        )
        .await;
        env.clock.advance(std::time::Duration::from_secs(5));
        records::update(
            &env.app,
            &admin,
            ObjectType::Contact,
            contact,
            &body(json!({"title": "CFO"})),
            None,
        )
        .await
        .unwrap();
        env.clock.advance(std::time::Duration::from_secs(5));
        let call = make(&env, &admin, ObjectType::Activity, json!({"kind": "call", "subject": "Intro", "links": [{"type": "contact", "id": contact.to_string()}]})).await;
        commands::complete_activity(
            &env.app,
            &admin,
            call,
            &CompleteInput {
                outcome: Some("interested".into()),
                completed_at: None,
            },
            None,
        )
        .await
        .unwrap();
        let again =
            commands::complete_activity(&env.app, &admin, call, &CompleteInput::default(), None)
                .await;
        assert!(matches!(
            again,
            Err(AppError::Conflict {
                code: "already_done",
                ..
            })
        ));
        let page = timeline::page(&env.app, &admin, ObjectType::Contact, contact, None, None)
            .await
            .unwrap();
        let kinds: Vec<String> = page
            .items
            .iter()
            .map(|i| match i {
                Item::Activity { .. } => "activity".to_owned(),
                Item::Change { action, .. } => action.clone(),
            })
            .collect();
        assert_eq!(
            kinds,
            ["activity", "record.updated", "record.created"],
            "{}",
            env.backend()
        );
        let company_page = timeline::page(
            &env.app,
            &admin,
            ObjectType::Company,
            company,
            None,
            Some(1),
        )
        .await
        .unwrap();
        assert!(
            matches!(company_page.items[0], Item::Activity { .. }),
            "the contact's call is on the company timeline"
        );
        let rest = timeline::page(
            &env.app,
            &admin,
            ObjectType::Company,
            company,
            company_page.next_cursor.as_deref(),
            None,
        )
        .await
        .unwrap();
        assert_eq!(rest.items.len(), 1, "then the company's own creation");
    }
}

#[tokio::test]
async fn deleting_a_company_with_contacts_needs_cascade_and_restore_brings_all_back() {
    for env in Env::each("trash cascade").await {
        let (_, admin) = env.workspace("acme").await;
        let company = make(&env, &admin, ObjectType::Company, json!({"name": "Acme"})).await;
        let contact = make(
            &env,
            &admin,
            ObjectType::Contact,
            json!({"last_name": "Nowak", "company_id": company.to_string()}),
        )
        .await;
        let opp = make(
            &env,
            &admin,
            ObjectType::Opportunity,
            json!({"name": "Deal", "company_id": company.to_string()}),
        )
        .await;
        let refused =
            records::delete(&env.app, &admin, ObjectType::Company, company, None, false).await;
        assert!(
            matches!(
                refused,
                Err(AppError::Conflict {
                    code: "has_children",
                    ..
                })
            ),
            "{refused:?}"
        );
        records::delete(&env.app, &admin, ObjectType::Company, company, None, true)
            .await
            .unwrap();
        for (o, id) in [
            (ObjectType::Company, company),
            (ObjectType::Contact, contact),
            (ObjectType::Opportunity, opp),
        ] {
            assert!(
                matches!(
                    records::get(&env.app, &admin, o, id, None).await,
                    Err(AppError::NotFound)
                ),
                "{o} still live"
            );
        }
        let trash = records::list(
            &env.app,
            &admin,
            ObjectType::Contact,
            &[("trashed".into(), "true".into())],
        )
        .await
        .unwrap();
        assert_eq!(ids(&trash), vec![contact.to_string()]);
        assert!(trash.items[0]["deleted_at"].is_string());
        records::restore(&env.app, &admin, ObjectType::Company, company)
            .await
            .unwrap();
        for (o, id) in [
            (ObjectType::Company, company),
            (ObjectType::Contact, contact),
            (ObjectType::Opportunity, opp),
        ] {
            assert!(
                records::get(&env.app, &admin, o, id, None).await.is_ok(),
                "{o} not restored"
            );
        }
        // Purge after the retention period.
        records::delete(&env.app, &admin, ObjectType::Opportunity, opp, None, false)
            .await
            .unwrap();
        env.clock
            .advance(env.app.settings.trash_retention + std::time::Duration::from_secs(1));
        let report = rapport_app::maintenance::sweep(&env.app).await.unwrap();
        assert_eq!(report.purged_records, 1);
        assert!(matches!(
            records::restore(&env.app, &admin, ObjectType::Opportunity, opp).await,
            Err(AppError::NotFound)
        ));
    }
}

#[tokio::test]
async fn search_respects_the_policy_and_shows_visible_fields_only() {
    for env in Env::each("global search").await {
        let (_admin, _manager, rep1, rep2, _) = team_world(&env).await;
        make(
            &env,
            &rep1,
            ObjectType::Lead,
            json!({"first_name": "Łucja", "last_name": "Prywatna", "visibility": "private"}),
        )
        .await;
        make(
            &env,
            &rep1,
            ObjectType::Contact,
            json!({"first_name": "Łucja", "last_name": "Publiczna"}),
        )
        .await;
        let all = [
            ObjectType::Company,
            ObjectType::Contact,
            ObjectType::Lead,
            ObjectType::Opportunity,
            ObjectType::Activity,
        ];
        let mine = search::search(&env.app, &rep1, "lucja", &all, 5)
            .await
            .unwrap();
        assert_eq!(mine.len(), 2);
        let theirs = search::search(&env.app, &rep2, "LUCJA", &all, 5)
            .await
            .unwrap();
        assert_eq!(theirs.len(), 1);
        assert_eq!(theirs[0].title, "Łucja Publiczna");
    }
}

#[tokio::test]
async fn references_to_invisible_or_foreign_records_are_unknown() {
    for env in Env::each("references").await {
        let (_admin, _manager, rep1, rep2, _) = team_world(&env).await;
        let (_, other_admin) = env.workspace("other").await;
        let foreign = make(
            &env,
            &other_admin,
            ObjectType::Company,
            json!({"name": "Foreign"}),
        )
        .await;
        let private = make(
            &env,
            &rep1,
            ObjectType::Company,
            json!({"name": "Hidden", "visibility": "private"}),
        )
        .await;
        for target in [foreign, private, Uuid::now_v7()] {
            let got = records::create(
                &env.app,
                &rep2,
                ObjectType::Contact,
                &body(json!({"last_name": "X", "company_id": target.to_string()})),
            )
            .await;
            assert!(
                matches!(&got, Err(AppError::Invalid(e)) if e[0].code == ErrorCode::UnknownReference),
                "{got:?}"
            );
        }
    }
}

#[tokio::test]
async fn pages_get_the_field_settings_with_their_records() {
    for env in Env::each("fields with records").await {
        let (admin, _manager, rep1, _rep2, viewer) = team_world(&env).await;
        let input = CustomFieldInput {
            object_type: Some("contact".into()),
            key: Some("tier".into()),
            label: Some("Tier".into()),
            kind: Some("text".into()),
            ..CustomFieldInput::default()
        };
        record_settings::create_custom_field(&env.app, &admin, &input)
            .await
            .unwrap();
        let id = make(
            &env,
            &admin,
            ObjectType::Contact,
            json!({"last_name": "Nowak", "title": "CEO", "visibility": "workspace",
                   "custom": {"tier": "gold"}}),
        )
        .await;
        record_settings::set_field_rules(
            &env.app,
            &admin,
            ObjectType::Contact,
            &[
                RuleInput {
                    field: "title".into(),
                    role: "rep".into(),
                    access: "hidden".into(),
                },
                RuleInput {
                    field: "custom.tier".into(),
                    role: "read_only".into(),
                    access: "read_only".into(),
                },
            ],
        )
        .await
        .unwrap();
        let params = vec![("sort".to_owned(), "last_name".to_owned())];
        for who in [&admin, &rep1, &viewer] {
            let alone = record_settings::fields_for(&env.app, who, ObjectType::Contact)
                .await
                .unwrap();
            let (page, listed) =
                records::list_with_fields(&env.app, who, ObjectType::Contact, &params)
                    .await
                    .unwrap();
            let (view, got) = records::get_with_fields(&env.app, who, ObjectType::Contact, id)
                .await
                .unwrap();
            assert_eq!(
                page,
                records::list(&env.app, who, ObjectType::Contact, &params)
                    .await
                    .unwrap()
            );
            assert_eq!(
                view,
                records::get(&env.app, who, ObjectType::Contact, id, None)
                    .await
                    .unwrap()
            );
            for fields in [&listed, &got] {
                assert_eq!(fields.custom, alone.custom, "{}", env.backend());
                for f in ["title", "last_name", "custom.tier"] {
                    assert_eq!(fields.access(f), alone.access(f), "{f}");
                }
            }
        }
        // Not vacuous: the rules reach these readers differently.
        let rep_fields = records::get_with_fields(&env.app, &rep1, ObjectType::Contact, id)
            .await
            .unwrap()
            .1;
        assert_eq!(rep_fields.access("title"), FieldAccess::Hidden);
        assert_eq!(rep_fields.custom.len(), 1);
        let viewer_fields = records::get_with_fields(&env.app, &viewer, ObjectType::Contact, id)
            .await
            .unwrap()
            .1;
        assert_eq!(viewer_fields.access("custom.tier"), FieldAccess::ReadOnly);
    }
}
