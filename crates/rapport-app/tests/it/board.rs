//! The board's one read of every column (`records::list_by_stage`) against the list itself:
//! each stage's cards must be exactly the first page that `records::list` gives the same
//! caller with the same filters, order and limit narrowed to that stage.

use std::time::Duration;

use rapport_app::pipelines::{self, StageMoveInput};
use rapport_app::record_settings::{self, RuleInput};
use rapport_app::sharing::{self, ShareInput};
use rapport_app::teams::{self, NewTeamInput};
use rapport_app::users::{self, UserPatch};
use rapport_app::{AppError, Caller, records};
use rapport_core::object::ObjectType;
use rapport_core::{Id, Role};
use serde_json::{Value as Json, json};
use uuid::Uuid;

use crate::support::{Env, make, tag};

/// What the list shows of a stage, with the relations a card leaves out taken away when
/// the query names no fields.
async fn expected(
    env: &Env,
    who: &Caller,
    params: &[(String, String)],
    stage: Uuid,
) -> (Vec<Json>, bool) {
    let mut p = params.to_vec();
    p.push(("filter[stage_id][eq]".to_owned(), stage.to_string()));
    let page = records::list(&env.app, who, ObjectType::Opportunity, &p)
        .await
        .unwrap_or_else(|e| panic!("{} {p:?}: {e:?}", env.backend()));
    let sparse = params.iter().any(|(k, _)| k == "fields");
    let items = page
        .items
        .into_iter()
        .map(|mut item| {
            if !sparse && let Some(m) = item.as_object_mut() {
                m.remove("tag_ids");
                m.remove("contacts");
            }
            item
        })
        .collect();
    (items, page.next_cursor.is_some())
}

#[tokio::test]
async fn every_column_shows_the_first_page_of_its_stage_list_to_each_caller() {
    for env in Env::each("board columns").await {
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
        let mut manager = env.user(ws, "boss@acme.example", Role::Manager).await;
        let mut rep1 = env.user(ws, "rep1@acme.example", Role::Rep).await;
        let rep2 = env.user(ws, "rep2@acme.example", Role::Rep).await;
        let viewer = env.user(ws, "viewer@acme.example", Role::ReadOnly).await;
        for c in [&mut manager, &mut rep1] {
            let patch = UserPatch {
                team_id: Some(Some(sales.id)),
                ..UserPatch::default()
            };
            users::update(&env.app, &admin, c.principal.user_id, &patch, None)
                .await
                .unwrap();
            c.principal.team_id = Some(sales.id);
        }
        let hot = tag(&env, &admin, "hot").await;
        let owners = [&rep1, &rep2, &admin, &manager];
        let visibilities = ["private", "workspace", "team"];
        let mut made = Vec::new();
        for i in 0..14 {
            let who = owners[i % owners.len()];
            let mut body = json!({
                "name": format!("Deal {i:02} {}", if i % 2 == 0 { "alpha" } else { "beta" }),
                "visibility": visibilities[i % visibilities.len()],
                "amount": {"amount": format!("{}.00", 100 + i), "currency": "EUR"},
                "close_date": "2026-12-01",
            });
            if i % 4 == 0 {
                body["tag_ids"] = json!([hot.id.to_string()]);
            }
            made.push(make(&env, who, ObjectType::Opportunity, body).await);
            // Some deals arrive in the same microsecond: the id must break the tie.
            if i % 3 == 0 {
                env.clock.advance(Duration::from_secs(60));
            }
        }
        let pipeline = pipelines::list(&env.app, &admin).await.unwrap().remove(0);
        let stage = |name: &str| pipeline.stages.iter().find(|s| s.name == name).unwrap().id;
        for (i, name) in [
            (1, "Proposal"),
            (2, "Proposal"),
            (5, "Proposal"),
            (6, "Negotiation"),
        ] {
            env.clock.advance(Duration::from_secs(60));
            let to = StageMoveInput {
                stage_id: stage(name),
                ..StageMoveInput::default()
            };
            pipelines::move_stage(&env.app, &admin, made[i], &to, None)
                .await
                .unwrap();
        }
        let won = StageMoveInput {
            stage_id: stage("Closed Won"),
            close_date: Some("2026-12-01".into()),
            ..StageMoveInput::default()
        };
        pipelines::move_stage(&env.app, &admin, made[7], &won, None)
            .await
            .unwrap();
        records::delete(
            &env.app,
            &admin,
            ObjectType::Opportunity,
            made[9],
            None,
            false,
        )
        .await
        .unwrap();
        sharing::create(
            &env.app,
            &rep2,
            &ShareInput {
                object_type: "opportunity".into(),
                // rep2's, team-visible, and rep2 has no team: only the share shows it.
                record_id: made[5],
                grantee_type: "user".into(),
                grantee_id: rep1.principal.user_id.as_uuid(),
                access: "read".into(),
            },
        )
        .await
        .unwrap();
        // Set once the deals exist (a hidden field cannot be written either): reps do not see
        // amounts; the read-only role sees no close dates.
        record_settings::set_field_rules(
            &env.app,
            &admin,
            ObjectType::Opportunity,
            &[
                RuleInput {
                    field: "amount".into(),
                    role: "rep".into(),
                    access: "hidden".into(),
                },
                RuleInput {
                    field: "close_date".into(),
                    role: "read_only".into(),
                    access: "hidden".into(),
                },
            ],
        )
        .await
        .unwrap();
        let stages: Vec<Uuid> = pipeline.stages.iter().map(|s| s.id).collect();
        let p = |k: &str, v: &str| (k.to_owned(), v.to_owned());
        let board = |limit: &str| {
            vec![
                p("filter[pipeline_id][eq]", &pipeline.id.to_string()),
                p("sort", "-stage_changed_at"),
                p("limit", limit),
            ]
        };
        let owners_in = format!(
            "{},{}",
            rep1.principal.user_id.as_uuid(),
            rep2.principal.user_id.as_uuid()
        );
        let mut queries = vec![board("50"), board("2"), board("1")];
        let mut with_owners = board("2");
        with_owners.push(p("filter[owner_id][in]", &owners_in));
        queries.push(with_owners);
        let mut searched = board("50");
        searched.push(p("q", "alpha"));
        queries.push(searched);
        queries.push(vec![p("sort", "name"), p("limit", "2")]);
        queries.push(vec![p("fields", "id,name,tag_ids"), p("limit", "3")]);
        let mut cards = std::collections::BTreeMap::new();
        for (who, caller) in [
            ("admin", &admin),
            ("manager", &manager),
            ("rep1", &rep1),
            ("rep2", &rep2),
            ("viewer", &viewer),
        ] {
            for q in &queries {
                let got = records::list_by_stage(&env.app, caller, q, &stages)
                    .await
                    .unwrap_or_else(|e| panic!("{} {who} {q:?}: {e:?}", env.backend()));
                assert_eq!(got.len(), stages.len());
                for (page, stage) in got.iter().zip(&stages) {
                    assert_eq!(page.stage_id, *stage);
                    let (items, more) = expected(&env, caller, q, *stage).await;
                    assert_eq!(page.items, items, "{} {who} {q:?}", env.backend());
                    assert_eq!(page.more, more, "{} {who} {q:?}", env.backend());
                }
                // Cards carry what the board shows of each item, hidden fields left out
                // rather than refused (rep1 and rep2 may not see amounts).
                let shown = ["name", "amount", "close_date", "stage_id"];
                let cards_got = records::cards_by_stage(&env.app, caller, q, &stages, &shown)
                    .await
                    .unwrap_or_else(|e| panic!("{} {who} {q:?}: {e:?}", env.backend()));
                for (cards, page) in cards_got.iter().zip(&got) {
                    assert_eq!(cards.stage_id, page.stage_id);
                    assert_eq!(cards.more, page.more, "{who} {q:?}");
                    let ids = |items: &[Json]| -> Vec<Json> {
                        items.iter().map(|i| i["id"].clone()).collect()
                    };
                    assert_eq!(ids(&cards.items), ids(&page.items), "{who} {q:?}");
                    for card in &cards.items {
                        let mut keys: Vec<&str> = card
                            .as_object()
                            .map(|m| m.keys().map(String::as_str).collect())
                            .unwrap_or_default();
                        keys.sort_unstable();
                        let mut want = vec!["id", "name", "stage_id"];
                        if who != "viewer" {
                            want.push("close_date");
                        }
                        if !who.starts_with("rep") {
                            want.push("amount");
                        }
                        want.sort_unstable();
                        assert_eq!(keys, want, "{} {who} {q:?}", env.backend());
                    }
                }
                if q == &queries[0] {
                    let all: Vec<&Json> = got.iter().flat_map(|s| &s.items).collect();
                    cards.insert(who, all.len());
                    let hidden = |f: &str| all.iter().any(|c| c.get(f).is_some());
                    assert_eq!(hidden("amount"), !who.starts_with("rep"), "{who}");
                    assert_eq!(hidden("close_date"), who != "viewer", "{who}");
                }
            }
        }
        // Not vacuous: the policy gives these callers different cards. Thirteen deals are
        // live; rep2 sees neither rep1's private deals nor the team's.
        assert_eq!(cards["admin"], 13, "{}", env.backend());
        assert!(cards["rep2"] < cards["rep1"], "{cards:?}");
        assert!(cards["rep1"] < cards["admin"], "{cards:?}");
        let refused =
            records::list_by_stage(&env.app, &admin, &[p("cursor", "anything")], &stages).await;
        assert!(matches!(refused, Err(AppError::BadQuery(_))), "{refused:?}");
    }
}
