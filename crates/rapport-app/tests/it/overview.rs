use std::collections::BTreeMap;

use rapport_app::pipelines::{self, StageMoveInput};
use rapport_app::sharing::{self, ShareInput};
use rapport_app::teams::{self, NewTeamInput};
use rapport_app::users::{self, UserPatch};
use rapport_app::{Caller, overview, records};
use rapport_core::object::ObjectType;
use rapport_core::{Id, Role};
use serde_json::{Value as Json, json};
use uuid::Uuid;

use crate::support::{Env, make};

/// (stage, currency) → (count, total, weighted), in minor units.
type Figures = BTreeMap<(Uuid, Option<String>), (i64, i64, i64)>;

async fn list_with(env: &Env, who: &Caller, params: &[(String, String)]) -> Vec<Json> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut p = params.to_vec();
        p.push(("limit".to_owned(), "200".to_owned()));
        if let Some(c) = &cursor {
            p.push(("cursor".to_owned(), c.clone()));
        }
        let page = records::list(&env.app, who, ObjectType::Opportunity, &p)
            .await
            .unwrap_or_else(|e| panic!("{} {p:?}: {e:?}", env.backend()));
        out.extend(page.items);
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => return out,
        }
    }
}

fn minor(amount: &str) -> i64 {
    amount.replace('.', "").parse().unwrap()
}

/// The figures worked out by hand from the list the same caller and query get.
fn from_list(items: &[Json], open: &BTreeMap<Uuid, i64>) -> Figures {
    let mut out = Figures::new();
    for item in items {
        let stage: Uuid = item["stage_id"].as_str().unwrap().parse().unwrap();
        let Some(stage_probability) = open.get(&stage) else {
            continue;
        };
        let (amount, currency) = match &item["amount"] {
            Json::Null => (0, None),
            a => (
                minor(a["amount"].as_str().unwrap()),
                Some(a["currency"].as_str().unwrap().to_owned()),
            ),
        };
        let probability = item["probability"].as_i64().unwrap_or(*stage_probability);
        let e = out.entry((stage, currency)).or_default();
        e.0 += 1;
        e.1 += amount;
        e.2 += amount * probability;
    }
    for v in out.values_mut() {
        v.2 /= 100;
    }
    out
}

#[tokio::test]
async fn stage_totals_count_exactly_what_the_list_shows_to_each_caller() {
    for env in Env::each("stage totals").await {
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
        let mut made = Vec::new();
        let deals = [
            (&rep1, "Alpha one", "private", "100.00 EUR", None),
            (&rep1, "Alpha two", "workspace", "250.50 EUR", Some(30)),
            (&rep1, "Beta team", "team", "40.00 USD", None),
            (&rep2, "Beta hidden", "private", "999.00 EUR", None),
            (&rep2, "Alpha shared", "private", "70.00 EUR", None),
            (&rep2, "Gamma open", "workspace", "", None),
            (&admin, "Gamma big", "workspace", "5000.00 EUR", Some(90)),
            (&admin, "Alpha private", "private", "12.00 USD", None),
            (&manager, "Delta", "team", "33.00 EUR", None),
        ];
        for (who, name, visibility, amount, probability) in deals {
            let mut body = json!({"name": name, "visibility": visibility});
            if let Some((a, c)) = amount.split_once(' ') {
                body["amount"] = json!({"amount": a, "currency": c});
            }
            if let Some(p) = probability {
                body["probability"] = json!(p);
            }
            made.push(make(&env, who, ObjectType::Opportunity, body).await);
        }
        let unweighted = make(
            &env,
            &rep2,
            ObjectType::Opportunity,
            json!({"name": "Alpha no odds", "visibility": "workspace",
                   "amount": {"amount": "10.00", "currency": "EUR"}, "probability": null}),
        )
        .await;
        made.push(unweighted);
        let pipeline = pipelines::list(&env.app, &admin).await.unwrap().remove(0);
        let stage = |name: &str| pipeline.stages.iter().find(|s| s.name == name).unwrap().id;
        let to = |name: &str| StageMoveInput {
            stage_id: stage(name),
            ..StageMoveInput::default()
        };
        pipelines::move_stage(&env.app, &admin, made[1], &to("Proposal"), None)
            .await
            .unwrap();
        pipelines::move_stage(&env.app, &admin, made[3], &to("Proposal"), None)
            .await
            .unwrap();
        let won = StageMoveInput {
            close_date: Some("2026-12-01".into()),
            ..to("Closed Won")
        };
        pipelines::move_stage(&env.app, &admin, made[6], &won, None)
            .await
            .unwrap();
        records::delete(
            &env.app,
            &admin,
            ObjectType::Opportunity,
            made[8],
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
                record_id: made[4],
                grantee_type: "user".into(),
                grantee_id: rep1.principal.user_id.as_uuid(),
                access: "read".into(),
            },
        )
        .await
        .unwrap();
        let open: BTreeMap<Uuid, i64> = pipeline
            .stages
            .iter()
            .filter(|s| s.kind == rapport_core::pipeline::StageKind::Open)
            .map(|s| (s.id, s.probability))
            .collect();
        let p = |k: &str, v: String| (k.to_owned(), v);
        let queries: Vec<Vec<(String, String)>> = vec![
            vec![],
            vec![p("q", "alpha".into())],
            vec![p(
                "filter[owner_id][eq]",
                rep1.principal.user_id.as_uuid().to_string(),
            )],
            vec![p("filter[pipeline_id][eq]", pipeline.id.to_string())],
            vec![
                p("filter[pipeline_id][eq]", pipeline.id.to_string()),
                p(
                    "filter[owner_id][in]",
                    format!(
                        "{},{}",
                        rep1.principal.user_id.as_uuid(),
                        rep2.principal.user_id.as_uuid()
                    ),
                ),
                p("q", "beta".into()),
            ],
        ];
        let mut seen = BTreeMap::new();
        for (who, caller) in [
            ("admin", &admin),
            ("manager", &manager),
            ("rep1", &rep1),
            ("rep2", &rep2),
            ("viewer", &viewer),
        ] {
            for q in &queries {
                let expected = from_list(&list_with(&env, caller, q).await, &open);
                let got: Figures = overview::stage_totals(&env.app, caller, q)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|t| {
                        (
                            (t.stage_id, t.currency),
                            (t.count, t.total_minor, t.weighted_minor),
                        )
                    })
                    .collect();
                assert_eq!(got, expected, "{} {who} {q:?}", env.backend());
                if q.is_empty() {
                    seen.insert(who, got.values().map(|v| v.0).sum::<i64>());
                }
            }
        }
        // Not vacuous: the policy gives these callers different deals to count. Eight live
        // deals are open (of ten, one won, one trashed); rep1 sees the workspace ones, their
        // own and the one shared with them; rep2 neither rep1's private nor team deals.
        assert_eq!(seen["admin"], 8, "{}", env.backend());
        assert_eq!(seen["rep1"], 6, "{}", env.backend());
        assert_eq!(seen["rep2"], 5, "{}", env.backend());
        assert!(seen["viewer"] < seen["rep1"], "{seen:?}");
    }
}
