//! The record engine on real databases: round trips, filters, sorting and paging, the
//! access policy in SQL against the core policy, search, trash and relations.

use std::collections::BTreeMap;

use rapport_core::access::{self, Grant, Grantee, ShareAccess, Viewer};
use rapport_core::catalogue::ParseContext;
use rapport_core::custom::{CustomFieldDef, CustomKind};
use rapport_core::money::Currency;
use rapport_core::object::{ObjectType, Visibility};
use rapport_core::query::{self, ListQuery, Schema};
use rapport_core::record::{FieldAccess, Mode, Record, parse_body};
use rapport_core::value::Value;
use rapport_core::{Id, Role, TeamId, UserId, WorkspaceId};
use rapport_store::records::{self, ListSpec, NewRecord, Trash};
use rapport_store::shares::{self, Share};
use rapport_store::testing::TestDb;
use rapport_store::{Db, teams};
use serde_json::{Value as Json, json};
use uuid::Uuid;

use crate::support::{new_user, t, workspace};

fn ctx() -> ParseContext {
    ParseContext {
        base_currency: Currency::parse("c", "EUR").unwrap(),
    }
}

fn custom_defs() -> Vec<CustomFieldDef> {
    vec![
        CustomFieldDef {
            key: "tier".into(),
            kind: CustomKind::Select,
            required: false,
            options: vec!["gold".into(), "silver".into()],
        },
        CustomFieldDef {
            key: "score".into(),
            kind: CustomKind::Number,
            required: false,
            options: vec![],
        },
        CustomFieldDef {
            key: "nick".into(),
            kind: CustomKind::Text,
            required: false,
            options: vec![],
        },
    ]
}

/// Inserts a record from a JSON body, as the app would after parsing.
async fn put(
    db: &Db,
    ws: WorkspaceId,
    object: ObjectType,
    owner: UserId,
    visibility: Visibility,
    body: Json,
    secs: i64,
) -> Uuid {
    let Json::Object(map) = body else { panic!() };
    let changes = parse_body(object, &map, Mode::Create, &custom_defs(), &ctx(), &|_| {
        FieldAccess::ReadWrite
    })
    .unwrap_or_else(|e| panic!("{e:?}"));
    let mut values = changes.values.clone();
    values.insert("owner_id", Value::Id(owner.as_uuid()));
    values.insert("visibility", Value::Text(visibility.as_str().into()));
    let custom: serde_json::Map<String, Json> = changes
        .custom
        .into_iter()
        .filter(|(_, v)| !v.is_null())
        .collect();
    let id = Uuid::now_v7();
    let mut tx = db.write().await.unwrap();
    records::insert(
        &mut tx,
        ws,
        object,
        &NewRecord {
            id,
            values: &values,
            custom: &custom,
            actor: Some(owner),
            created_at: t(secs),
            updated_at: t(secs),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn user(db: &Db, ws: WorkspaceId, email: &str, role: Role, team: Option<TeamId>) -> UserId {
    let mut nu = new_user(email, role);
    nu.team_id = team;
    let mut tx = db.write().await.unwrap();
    let u = rapport_store::users::insert(&mut tx, ws, &nu)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    u.id
}

fn admin_viewer(id: UserId) -> Viewer {
    Viewer {
        user_id: id,
        role: Role::Admin,
        team_id: None,
        managed_teams: vec![],
    }
}

fn q(object: ObjectType, params: &[(&str, &str)]) -> ListQuery {
    let defs = custom_defs();
    let schema = Schema {
        object,
        custom: &defs,
        ctx: ctx(),
    };
    let owned: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    query::parse(&schema, &owned, &|_: &str| true).unwrap_or_else(|e| panic!("{e}"))
}

async fn all_ids(
    db: &Db,
    ws: WorkspaceId,
    object: ObjectType,
    viewer: &Viewer,
    query: &ListQuery,
    page: u64,
) -> Vec<Uuid> {
    let mut c = db.read().await.unwrap();
    let mut out = Vec::new();
    let mut after: Option<Vec<Json>> = None;
    loop {
        let spec = ListSpec {
            query,
            after: after.as_deref(),
            limit: page,
            relations: false,
        };
        let got = records::list(&mut c, ws, object, viewer, &spec)
            .await
            .unwrap();
        if got.is_empty() {
            break;
        }
        after = got.last().map(|l| l.keys.clone());
        out.extend(got.into_iter().map(|l| l.record.id));
        assert!(out.len() < 10_000, "paging does not end");
    }
    out
}

/// The only company a list with `params` shows, as the store decodes it.
async fn listed_company(
    c: &mut rapport_store::Conn,
    ws: WorkspaceId,
    viewer: &Viewer,
    params: &[(&str, &str)],
) -> rapport_core::record::Record {
    let query = q(ObjectType::Company, params);
    let spec = ListSpec {
        query: &query,
        after: None,
        limit: 10,
        relations: false,
    };
    let mut got = records::list(c, ws, ObjectType::Company, viewer, &spec)
        .await
        .unwrap();
    assert_eq!(got.len(), 1);
    got.remove(0).record
}

#[tokio::test]
async fn every_kind_of_value_round_trips() {
    for tdb in TestDb::each("record round trip").await {
        let db = &tdb.db;
        let ws = workspace(db, "a").await;
        let owner = user(db, ws, "o@example.com", Role::Admin, None).await;
        let company = put(db, ws, ObjectType::Company, owner, Visibility::Workspace,
            json!({"name": "Żółta Łódź sp. z o.o.", "domain": "https://www.Zolta.example/", "employee_count": 42,
                   "annual_revenue": {"amount": "1234567.89", "currency": "PLN"}, "address": {"city": "Kraków", "country": "pl"},
                   "custom": {"tier": "gold", "score": 7.5}}), 1).await;
        let contact = put(db, ws, ObjectType::Contact, owner, Visibility::Private,
            json!({"first_name": "Łukasz", "last_name": "Żółć", "company_id": company.to_string(),
                   "companies": [{"id": company.to_string(), "role": "board"}],
                   "emails": [{"value": "lukasz@zolta.example", "label": "work"}, "prywatny@example.com"],
                   "phones": ["+48 601 234 567"], "birth_date": "1990-02-28", "do_not_contact": true,
                   "time_zone": "Europe/Warsaw", "custom": {"nick": "Łukaszek"}}), 2).await;
        let activity = put(db, ws, ObjectType::Activity, owner, Visibility::Team,
            json!({"kind": "call", "subject": "Intro call", "due_at": "2026-11-24T09:30:00Z", "duration_minutes": 15,
                   "direction": "outbound", "links": [{"type": "contact", "id": contact.to_string()}]}), 3).await;
        let mut c = db.read().await.unwrap();
        let got = records::get(&mut c, ws, ObjectType::Contact, contact, None, Trash::Live)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(got.get("first_name"), &Value::Text("Łukasz".into()));
        assert_eq!(
            got.get("email"),
            &Value::Text("lukasz@zolta.example".into()),
            "primary e-mail derived"
        );
        assert_eq!(got.get("phone"), &Value::Text("+48601234567".into()));
        assert_eq!(got.get("do_not_contact"), &Value::Bool(true));
        assert_eq!(got.get("birth_date").to_json(), json!("1990-02-28"));
        assert_eq!(
            got.get("companies").to_json(),
            json!([{"id": company.to_string(), "role": "board"}])
        );
        assert_eq!(got.custom.get("nick"), Some(&json!("Łukaszek")));
        assert_eq!(got.version(), 1);
        let co = records::get(&mut c, ws, ObjectType::Company, company, None, Trash::Live)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(co.get("domain"), &Value::Text("zolta.example".into()));
        assert_eq!(
            co.get("annual_revenue").to_json(),
            json!({"amount": "1234567.89", "currency": "PLN"})
        );
        assert_eq!(co.get("address.country"), &Value::Text("PL".into()));
        assert_eq!(co.custom.get("score"), Some(&json!(7.5)));
        let act = records::get(
            &mut c,
            ws,
            ObjectType::Activity,
            activity,
            None,
            Trash::Live,
        )
        .await
        .unwrap()
        .unwrap();
        assert_eq!(
            act.get("links").to_json(),
            json!([{"type": "contact", "id": contact.to_string()}])
        );
        assert_eq!(act.get("due_at").to_json(), json!("2026-11-24T09:30:00Z"));
        assert_eq!(
            act.get("status"),
            &Value::Text("open".into()),
            "the schema's default"
        );
        // A sparse list decodes what it asks for, groups and custom fields included, and
        // nothing else; the full list decodes everything as `get` does.
        let viewer = admin_viewer(owner);
        let sparse = listed_company(
            &mut c,
            ws,
            &viewer,
            &[("fields", "name,address,annual_revenue")],
        )
        .await;
        let mut names: Vec<&str> = sparse.values.keys().copied().collect();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "address.city",
                "address.country",
                "annual_revenue",
                "id",
                "name"
            ],
            "{:?}",
            tdb.backend()
        );
        assert_eq!(sparse.get("annual_revenue"), co.get("annual_revenue"));
        assert!(sparse.custom.is_empty());
        let with_custom =
            listed_company(&mut c, ws, &viewer, &[("fields", "name,custom.tier")]).await;
        assert_eq!(with_custom.custom, co.custom);
        let full = listed_company(&mut c, ws, &viewer, &[]).await;
        let mut want = co.values.clone();
        want.remove("tag_ids"); // a relation, not read without `relations`
        assert_eq!(full.values, want);
        assert_eq!(full.custom, co.custom);
    }
}

#[tokio::test]
async fn sorting_and_keyset_paging_visit_every_row_once_in_order() {
    for tdb in TestDb::each("sort and page").await {
        let db = &tdb.db;
        let ws = workspace(db, "a").await;
        let owner = user(db, ws, "o@example.com", Role::Admin, None).await;
        let names = [
            "Nowak", "nowak", "Łukasik", "Lukas", "Ábel", "abel", "Zając", "zz", "Ölund", "Olund",
        ];
        let mut made = Vec::new();
        for i in 0..37i64 {
            let mut body = serde_json::Map::new();
            if i % 4 != 0 {
                body.insert(
                    "last_name".into(),
                    json!(names[usize::try_from(i).unwrap() % names.len()]),
                );
            } else {
                body.insert("first_name".into(), json!(format!("Only{i}")));
            }
            if i % 3 != 0 {
                body.insert(
                    "birth_date".into(),
                    json!(format!("19{:02}-0{}-1{}", 50 + i % 7, 1 + i % 9, i % 10)),
                );
            }
            if i % 5 != 0 {
                body.insert("custom".into(), json!({"score": (i % 6) as f64 / 2.0}));
            }
            made.push(
                put(
                    db,
                    ws,
                    ObjectType::Contact,
                    owner,
                    Visibility::Workspace,
                    Json::Object(body),
                    i,
                )
                .await,
            );
        }
        let viewer = admin_viewer(owner);
        let mut c = db.read().await.unwrap();
        let everyone = records::list(
            &mut c,
            ws,
            ObjectType::Contact,
            &viewer,
            &ListSpec {
                query: &ListQuery::default(),
                after: None,
                limit: 1000,
                relations: false,
            },
        )
        .await
        .unwrap();
        drop(c);
        let by_id: BTreeMap<Uuid, Record> = everyone
            .into_iter()
            .map(|l| (l.record.id, l.record))
            .collect();
        assert_eq!(by_id.len(), 37);
        for sort in [
            "last_name",
            "-last_name",
            "birth_date",
            "-birth_date",
            "custom.score",
            "-custom.score",
            "last_name,-birth_date",
            "-created_at",
        ] {
            let query = q(ObjectType::Contact, &[("sort", sort)]);
            let paged = all_ids(db, ws, ObjectType::Contact, &viewer, &query, 5).await;
            let unpaged = all_ids(db, ws, ObjectType::Contact, &viewer, &query, 1000).await;
            assert_eq!(
                paged,
                unpaged,
                "{}: paging changed the order for sort={sort}",
                tdb.backend().as_str()
            );
            assert_eq!(paged.len(), 37, "sort={sort}");
            // Check the order by the rules: folded text, NULLs last in both directions.
            let key = |id: &Uuid, field: &str| -> Option<String> {
                let r = &by_id[id];
                match field {
                    "last_name" => r
                        .get("last_name")
                        .as_text()
                        .map(rapport_core::fold::sort_key),
                    "birth_date" => match r.get("birth_date") {
                        Value::Date(d) => Some(d.to_string()),
                        _ => None,
                    },
                    "custom.score" => r
                        .custom
                        .get("score")
                        .and_then(Json::as_f64)
                        .map(|f| format!("{:08.3}", f)),
                    "created_at" => match r.get("created_at") {
                        Value::DateTime(t) => Some(format!("{:020}", t.as_micros())),
                        _ => None,
                    },
                    _ => unreachable!(),
                }
            };
            for pair in paged.windows(2) {
                for part in sort.split(',') {
                    let (desc, field) = part.strip_prefix('-').map_or((false, part), |f| (true, f));
                    let (a, b) = (key(&pair[0], field), key(&pair[1], field));
                    let ordered = match (&a, &b) {
                        (Some(x), Some(y)) => {
                            if desc {
                                x >= y
                            } else {
                                x <= y
                            }
                        }
                        (Some(_), None) | (None, None) => true,
                        (None, Some(_)) => false,
                    };
                    assert!(ordered, "sort={sort}: {a:?} before {b:?}");
                    if a != b {
                        break;
                    }
                }
            }
        }
    }
}

#[tokio::test]
async fn filters_compare_folded_text_numbers_dates_references_tags_and_custom_fields() {
    for tdb in TestDb::each("filters").await {
        let db = &tdb.db;
        let ws = workspace(db, "a").await;
        let owner = user(db, ws, "o@example.com", Role::Admin, None).await;
        let tag = Uuid::now_v7();
        let mut tx = db.write().await.unwrap();
        rapport_store::tags::insert(&mut tx, ws, tag, "VIP", None, t(0))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let company = put(
            db,
            ws,
            ObjectType::Company,
            owner,
            Visibility::Workspace,
            json!({"name": "Acme"}),
            0,
        )
        .await;
        let a = put(db, ws, ObjectType::Contact, owner, Visibility::Workspace,
            json!({"last_name": "Łukasik", "address": {"city": "Kraków"}, "birth_date": "1980-05-01", "company_id": company.to_string(),
                   "tag_ids": [tag.to_string()], "custom": {"tier": "gold", "score": 10, "nick": "Żaba"}, "do_not_contact": true}), 1).await;
        let b = put(db, ws, ObjectType::Contact, owner, Visibility::Workspace,
            json!({"last_name": "Nowak_%", "address": {"city": "Lviv"}, "birth_date": "1995-01-01", "custom": {"tier": "silver", "score": 2.5}}), 2).await;
        let c_ = put(
            db,
            ws,
            ObjectType::Contact,
            owner,
            Visibility::Workspace,
            json!({"first_name": "Ann"}),
            3,
        )
        .await;
        let viewer = admin_viewer(owner);
        let (company_s, tag_s) = (company.to_string(), tag.to_string());
        let cases: Vec<(Vec<(&str, &str)>, Vec<Uuid>)> = vec![
            (vec![("filter[last_name][eq]", "LUKASIK")], vec![a]),
            (vec![("filter[last_name][starts_with]", "łuk")], vec![a]),
            (vec![("filter[last_name][contains]", "_%")], vec![b]),
            (vec![("filter[last_name][contains]", "%")], vec![b]),
            (vec![("filter[last_name][is_null]", "true")], vec![c_]),
            (vec![("filter[last_name][ne]", "nowak_%")], vec![a, c_]),
            (
                vec![("filter[address.city][in]", "krakow,LVIV")],
                vec![a, b],
            ),
            (vec![("filter[birth_date][lt]", "1990-01-01")], vec![a]),
            (vec![("filter[birth_date][gte]", "1990-01-01")], vec![b]),
            (vec![("filter[company_id][eq]", &company_s)], vec![a]),
            (vec![("filter[do_not_contact][eq]", "true")], vec![a]),
            (vec![("filter[tag_ids][eq]", &tag_s)], vec![a]),
            (vec![("filter[tag_ids][is_null]", "true")], vec![b, c_]),
            (vec![("filter[custom.tier][eq]", "silver")], vec![b]),
            (vec![("filter[custom.score][gt]", "3")], vec![a]),
            (vec![("filter[custom.score][lte]", "2.5")], vec![b]),
            (vec![("filter[custom.nick][starts_with]", "zab")], vec![a]),
            (vec![("filter[custom.tier][is_null]", "true")], vec![c_]),
            (
                vec![
                    ("filter[address.city][eq]", "kraków"),
                    ("filter[custom.tier][eq]", "silver"),
                ],
                vec![],
            ),
            (vec![("filter[last_name][eq]", "' OR 1=1 --")], vec![]),
        ];
        for (params, mut expected) in cases {
            let query = q(ObjectType::Contact, &params);
            let mut got = all_ids(db, ws, ObjectType::Contact, &viewer, &query, 50).await;
            got.sort();
            expected.sort();
            assert_eq!(got, expected, "{}: {params:?}", tdb.backend().as_str());
            let mut c = db.read().await.unwrap();
            let n = records::count(&mut c, ws, ObjectType::Contact, &viewer, &query)
                .await
                .unwrap();
            assert_eq!(
                usize::try_from(n).unwrap(),
                expected.len(),
                "count {params:?}"
            );
        }
    }
}

/// SECURITY.md S3: the SQL policy and the core policy agree on random worlds.
#[tokio::test]
async fn the_sql_policy_agrees_with_the_core_policy() {
    for tdb in TestDb::each("policy in SQL").await {
        let db = &tdb.db;
        let ws = workspace(db, "a").await;
        // A fixed team tree: 0 ← 1 ← 2, 0 ← 3, 4 alone.
        let mut tx = db.write().await.unwrap();
        let mut team_ids = Vec::new();
        for (i, parent) in [None, Some(0usize), Some(1), Some(0), None]
            .into_iter()
            .enumerate()
        {
            let tid: TeamId = Id::from_uuid(Uuid::now_v7());
            teams::insert(
                &mut tx,
                ws,
                tid,
                &format!("T{i}"),
                parent.map(|p| team_ids[p]),
                t(0),
            )
            .await
            .unwrap();
            team_ids.push(tid);
        }
        tx.commit().await.unwrap();
        let tree =
            rapport_core::team_tree::TeamTree::new(team_ids.iter().enumerate().map(|(i, t)| {
                (
                    *t,
                    [None, Some(0usize), Some(1), Some(0), None][i].map(|p| team_ids[p]),
                )
            }));
        let roles = [
            Role::Admin,
            Role::Manager,
            Role::Manager,
            Role::Rep,
            Role::Rep,
            Role::Rep,
            Role::ReadOnly,
            Role::Manager,
            Role::Rep,
        ];
        let team_of = [
            None,
            Some(0),
            Some(1),
            Some(1),
            Some(2),
            Some(3),
            Some(2),
            Some(4),
            None,
        ];
        let mut users = Vec::new();
        for (i, role) in roles.iter().enumerate() {
            users.push(
                user(
                    db,
                    ws,
                    &format!("u{i}@example.com"),
                    *role,
                    team_of[i].map(|x| team_ids[x]),
                )
                .await,
            );
        }
        let viewers: Vec<Viewer> = (0..users.len())
            .map(|i| Viewer {
                user_id: users[i],
                role: roles[i],
                team_id: team_of[i].map(|x| team_ids[x]),
                managed_teams: match (roles[i], team_of[i]) {
                    (Role::Manager, Some(x)) => tree.subtree(team_ids[x]),
                    _ => vec![],
                },
            })
            .collect();
        // Records: every owner × visibility, with some shares.
        let mut facts = Vec::new();
        let mut seed = 7u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            seed >> 33
        };
        for (i, owner) in users.iter().enumerate() {
            for vis in Visibility::ALL {
                let id = put(
                    db,
                    ws,
                    ObjectType::Lead,
                    *owner,
                    vis,
                    json!({"last_name": format!("L{i}{vis}")}),
                    1,
                )
                .await;
                let mut grants = Vec::new();
                for _ in 0..(next() % 3) {
                    let grantee = if next() % 2 == 0 {
                        Grantee::User(users[usize::try_from(next() % users.len() as u64).unwrap()])
                    } else {
                        Grantee::Team(
                            team_ids[usize::try_from(next() % team_ids.len() as u64).unwrap()],
                        )
                    };
                    let access = if next() % 2 == 0 {
                        ShareAccess::Read
                    } else {
                        ShareAccess::ReadWrite
                    };
                    let mut tx = db.write().await.unwrap();
                    let s = shares::upsert(
                        &mut tx,
                        ws,
                        &Share {
                            id: Uuid::now_v7(),
                            object: ObjectType::Lead,
                            record_id: id,
                            grantee,
                            access,
                            created_by: None,
                            created_at: t(1),
                        },
                    )
                    .await
                    .unwrap();
                    tx.commit().await.unwrap();
                    grants.retain(|g: &Grant| g.grantee != grantee);
                    grants.push(Grant {
                        grantee,
                        access: s.access,
                    });
                }
                facts.push((
                    id,
                    access::RecordFacts {
                        owner: *owner,
                        owner_team: team_of[i].map(|x| team_ids[x]),
                        visibility: vis,
                        grants,
                    },
                ));
            }
        }
        let ids: Vec<Uuid> = facts.iter().map(|(id, _)| *id).collect();
        for v in &viewers {
            let mut readable =
                all_ids(db, ws, ObjectType::Lead, v, &ListQuery::default(), 1000).await;
            readable.sort();
            let mut expected: Vec<Uuid> = facts
                .iter()
                .filter(|(_, f)| access::can_read(v, f))
                .map(|(id, _)| *id)
                .collect();
            expected.sort();
            assert_eq!(
                readable,
                expected,
                "{}: reads of {:?}",
                tdb.backend().as_str(),
                v.role
            );
            let mut c = db.read().await.unwrap();
            let mut writable = records::writable_ids(&mut c, ws, ObjectType::Lead, &ids, v)
                .await
                .unwrap();
            writable.sort();
            let mut expected: Vec<Uuid> = facts
                .iter()
                .filter(|(_, f)| access::can_write(v, f))
                .map(|(id, _)| *id)
                .collect();
            expected.sort();
            assert_eq!(writable, expected, "writes of {:?}", v.role);
            for (id, f) in &facts {
                let stored = records::facts(&mut c, ws, ObjectType::Lead, *id)
                    .await
                    .unwrap()
                    .unwrap();
                assert_eq!(&stored.owner, &f.owner);
                assert_eq!(access::can_read(v, &stored), access::can_read(v, f));
            }
        }
    }
}

#[tokio::test]
async fn search_finds_folded_prefixes_in_its_workspace_only_and_forgets_trashed_records() {
    for tdb in TestDb::each("search").await {
        let db = &tdb.db;
        let ws = workspace(db, "a").await;
        let other = workspace(db, "b").await;
        let owner = user(db, ws, "o@example.com", Role::Admin, None).await;
        let stranger = user(db, other, "s@example.com", Role::Admin, None).await;
        let lukasz = put(db, ws, ObjectType::Contact, owner, Visibility::Workspace,
            json!({"first_name": "Łukasz", "last_name": "Żółć", "emails": ["lukasz@firma.example"], "phones": ["+48 601 234 567"]}), 1).await;
        let olena = put(
            db,
            ws,
            ObjectType::Contact,
            owner,
            Visibility::Workspace,
            json!({"first_name": "Олена", "last_name": "Коваль"}),
            2,
        )
        .await;
        put(
            db,
            other,
            ObjectType::Contact,
            stranger,
            Visibility::Workspace,
            json!({"first_name": "Łukasz", "last_name": "Inny"}),
            3,
        )
        .await;
        let viewer = admin_viewer(owner);
        for (text, expected) in [
            ("lukasz", vec![lukasz]),
            ("ŁUKASZ", vec![lukasz]),
            ("łuk żó", vec![lukasz]),
            ("zolc", vec![lukasz]),
            ("firma", vec![lukasz]),
            ("48601", vec![lukasz]),
            ("олен", vec![olena]),
            ("ОЛЕНА коваль", vec![olena]),
            ("nobody", vec![]),
            ("\"*) OR (", vec![]),
        ] {
            let query = q(ObjectType::Contact, &[("q", text)]);
            let got = all_ids(db, ws, ObjectType::Contact, &viewer, &query, 10).await;
            assert_eq!(got, expected, "{}: q={text}", tdb.backend().as_str());
        }
        let mut tx = db.write().await.unwrap();
        records::trash(
            &mut tx,
            ws,
            ObjectType::Contact,
            &[lukasz],
            Uuid::now_v7(),
            Some(owner),
            t(9),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let query = q(ObjectType::Contact, &[("q", "lukasz")]);
        assert!(
            all_ids(db, ws, ObjectType::Contact, &viewer, &query, 10)
                .await
                .is_empty()
        );
        let mut tx = db.write().await.unwrap();
        records::restore(
            &mut tx,
            ws,
            ObjectType::Contact,
            &[lukasz],
            Some(owner),
            t(10),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            all_ids(db, ws, ObjectType::Contact, &viewer, &query, 10).await,
            vec![lukasz]
        );
    }
}

#[tokio::test]
async fn updates_are_versioned_and_refresh_search_and_relations() {
    for tdb in TestDb::each("record updates").await {
        let db = &tdb.db;
        let ws = workspace(db, "a").await;
        let owner = user(db, ws, "o@example.com", Role::Admin, None).await;
        let id = put(
            db,
            ws,
            ObjectType::Company,
            owner,
            Visibility::Workspace,
            json!({"name": "Old Name"}),
            1,
        )
        .await;
        let mut set = BTreeMap::new();
        set.insert("name", Value::Text("Nowa Nazwa".into()));
        let mut tx = db.write().await.unwrap();
        assert!(
            records::update(
                &mut tx,
                ws,
                ObjectType::Company,
                id,
                1,
                &set,
                None,
                Some(owner),
                t(2)
            )
            .await
            .unwrap()
        );
        assert!(
            !records::update(
                &mut tx,
                ws,
                ObjectType::Company,
                id,
                1,
                &set,
                None,
                Some(owner),
                t(3)
            )
            .await
            .unwrap(),
            "stale version"
        );
        tx.commit().await.unwrap();
        let viewer = admin_viewer(owner);
        assert_eq!(
            all_ids(
                db,
                ws,
                ObjectType::Company,
                &viewer,
                &q(ObjectType::Company, &[("q", "nowa")]),
                10
            )
            .await,
            vec![id]
        );
        assert!(
            all_ids(
                db,
                ws,
                ObjectType::Company,
                &viewer,
                &q(ObjectType::Company, &[("q", "old")]),
                10
            )
            .await
            .is_empty()
        );
        let mut c = db.read().await.unwrap();
        let rec = records::get(&mut c, ws, ObjectType::Company, id, None, Trash::Live)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(rec.version(), 2);
        assert_eq!(rec.get("updated_at"), &Value::DateTime(t(2)));
    }
}
