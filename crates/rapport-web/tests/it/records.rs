//! Records over HTTP: lifecycle with ETags, bad input per object, mass assignment,
//! idempotency under concurrency, trash with cascade, lists, search and timelines.

use rapport_core::Role;
use serde_json::{Value, json};

use crate::support::{Server, fe};

const OBJECTS: [(&str, &str); 5] = [
    ("companies", r#"{"name": "Acme"}"#),
    ("contacts", r#"{"last_name": "Nowak"}"#),
    ("leads", r#"{"last_name": "Lead"}"#),
    ("opportunities", r#"{"name": "Deal"}"#),
    ("activities", r#"{"kind": "task", "subject": "Call back"}"#),
];

fn valid(body: &str) -> Value {
    serde_json::from_str(body).unwrap()
}

async fn count(s: &Server, token: &str, plural: &str) -> i64 {
    s.get(&format!("/api/v1/{plural}?count=true&limit=1"))
        .bearer(token)
        .send()
        .await
        .ok(200)["total"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn every_object_lives_through_create_read_change_trash_and_restore() {
    for s in Server::each("record lifecycle").await {
        let (_, admin) = s.workspace("acme").await;
        for (plural, body) in OBJECTS {
            let created = s
                .post(&format!("/api/v1/{plural}"))
                .bearer(&admin.token)
                .json(&valid(body))
                .send()
                .await;
            let rec = created.ok(201).clone();
            let id = rec["id"].as_str().unwrap().to_owned();
            assert_eq!(
                created.header("location"),
                Some(format!("/api/v1/{plural}/{id}").as_str())
            );
            assert_eq!(created.header("etag"), Some("\"1\""));
            for common in [
                "owner_id",
                "visibility",
                "version",
                "created_at",
                "updated_at",
                "custom",
                "tag_ids",
            ] {
                assert!(rec.get(common).is_some(), "{plural} lacks {common}: {rec}");
            }
            assert_eq!(rec["owner_id"], admin.id.to_string());
            let url = format!("/api/v1/{plural}/{id}");
            let patch = json!({"description": "Changed"});
            let patch = if plural == "activities" {
                json!({"body": "Changed"})
            } else {
                patch
            };
            let stale = s
                .patch(&url)
                .bearer(&admin.token)
                .header("if-match", "\"7\"")
                .json(&patch)
                .send()
                .await;
            stale.problem(412);
            let changed = s
                .patch(&url)
                .bearer(&admin.token)
                .header("if-match", "\"1\"")
                .json(&patch)
                .send()
                .await;
            assert_eq!(
                changed.header("etag"),
                Some("\"2\""),
                "{plural}: {}",
                changed.text
            );
            s.delete(&url)
                .bearer(&admin.token)
                .header("if-match", "\"1\"")
                .send()
                .await
                .problem(412);
            assert_eq!(
                s.delete(&url)
                    .bearer(&admin.token)
                    .send()
                    .await
                    .status
                    .as_u16(),
                204
            );
            s.get(&url).bearer(&admin.token).send().await.problem(404);
            let trash = s
                .get(&format!("/api/v1/{plural}?trashed=true"))
                .bearer(&admin.token)
                .send()
                .await;
            assert_eq!(trash.ok(200)["data"][0]["id"], id.as_str());
            let restored = s
                .post(&format!("{url}/restore"))
                .bearer(&admin.token)
                .send()
                .await;
            assert_eq!(restored.ok(200)["id"], id.as_str());
            s.get(&url).bearer(&admin.token).send().await.ok(200);
        }
    }
}

#[tokio::test]
async fn record_bodies_report_every_bad_field() {
    for s in Server::each("record body errors").await {
        let (_, admin) = s.workspace("acme").await;
        let before = count(&s, &admin.token, "contacts").await;
        let cases = [
            (json!({}), vec![fe("last_name", "required")]),
            (json!({"last_name": 5}), vec![fe("last_name", "wrong_type")]),
            (
                json!({"last_name": "X", "emails": ["not-an-email"]}),
                vec![fe("emails[0].value", "invalid_format")],
            ),
            (
                json!({"last_name": "X", "phones": ["601 234 567"]}),
                vec![fe("phones[0].value", "invalid_format")],
            ),
            (
                json!({"last_name": "X", "first_name": "x".repeat(101)}),
                vec![fe("first_name", "too_long")],
            ),
            (
                json!({"last_name": "X", "birth_date": "31.12.1990"}),
                vec![fe("birth_date", "invalid_format")],
            ),
            (
                json!({"last_name": "X", "address": {"planet": "Mars"}}),
                vec![fe("address.planet", "unknown_field")],
            ),
            (
                json!({"last_name": "X", "address": "Kraków"}),
                vec![fe("address", "wrong_type")],
            ),
            (
                json!({"last_name": "X", "nickname": "x"}),
                vec![fe("nickname", "unknown_field")],
            ),
            (
                json!({"last_name": "X", "company_id": "00000000-0000-7000-8000-000000000000"}),
                vec![fe("company_id", "unknown_reference")],
            ),
            (
                json!({"last_name": "X", "tag_ids": ["00000000-0000-7000-8000-000000000000"]}),
                vec![fe("tag_ids[0]", "unknown_reference")],
            ),
            (
                json!({"last_name": "X", "visibility": "everyone"}),
                vec![fe("visibility", "invalid_value")],
            ),
            (
                json!({"last_name": "X", "custom": {"nope": 1}}),
                vec![fe("custom.nope", "unknown_field")],
            ),
        ];
        for (body, expected) in cases {
            let res = s
                .post("/api/v1/contacts")
                .bearer(&admin.token)
                .json(&body)
                .send()
                .await;
            let mut got = res.field_errors();
            got.sort();
            assert_eq!(got, expected, "{}: {body}", s.backend());
        }
        assert_eq!(
            count(&s, &admin.token, "contacts").await,
            before,
            "refused bodies store nothing"
        );
        let res = s
            .post("/api/v1/opportunities")
            .bearer(&admin.token)
            .json(&json!({"name": "X", "amount": {"amount": "1.005", "currency": "EUR"}}))
            .send()
            .await;
        assert_eq!(
            res.field_errors(),
            vec![fe("amount.amount", "invalid_format")]
        );
        let res = s
            .post("/api/v1/activities")
            .bearer(&admin.token)
            .json(&json!({"kind": "visit"}))
            .send()
            .await;
        assert_eq!(res.field_errors(), vec![fe("kind", "invalid_value")]);
        let res = s
            .post("/api/v1/companies")
            .bearer(&admin.token)
            .json(&json!({"name": "X", "website": "javascript:alert(1)"}))
            .send()
            .await;
        assert_eq!(res.field_errors(), vec![fe("website", "invalid_format")]);
    }
}

/// SECURITY.md S4: every write endpoint refuses every column outside its writable set, and
/// nothing of such a request is stored.
#[tokio::test]
async fn no_write_endpoint_accepts_a_field_it_does_not_own() {
    for s in Server::each("mass assignment").await {
        let (ws, admin) = s.workspace("acme").await;
        let rep = s.user(ws, "rep@acme.example", Role::Rep).await;
        let forbidden = [
            ("id", json!("00000000-0000-7000-8000-000000000001")),
            (
                "workspace_id",
                json!("00000000-0000-7000-8000-000000000002"),
            ),
            ("version", json!(99)),
            ("created_at", json!("2000-01-01T00:00:00Z")),
            ("updated_at", json!("2000-01-01T00:00:00Z")),
            ("created_by", json!(admin.id.to_string())),
            ("updated_by", json!(admin.id.to_string())),
            ("deleted_at", json!("2000-01-01T00:00:00Z")),
            ("is_admin", json!(true)),
            ("role", json!("admin")),
            ("password_hash", json!("x")),
        ];
        for (plural, body) in OBJECTS {
            let before = count(&s, &admin.token, plural).await;
            for (field, value) in &forbidden {
                let mut b = valid(body);
                b[*field] = value.clone();
                let res = s
                    .post(&format!("/api/v1/{plural}"))
                    .bearer(&rep.token)
                    .json(&b)
                    .send()
                    .await;
                let codes = res.field_errors();
                assert!(
                    codes
                        .iter()
                        .any(|(f, c)| f == field && (c == "read_only" || c == "unknown_field")),
                    "{plural}.{field}: {codes:?}"
                );
            }
            // Owner: a rep may not give records away.
            let mut b = valid(body);
            b["owner_id"] = json!(admin.id.to_string());
            s.post(&format!("/api/v1/{plural}"))
                .bearer(&rep.token)
                .json(&b)
                .send()
                .await
                .problem(403);
            assert_eq!(
                count(&s, &admin.token, plural).await,
                before,
                "{plural}: something was stored"
            );
            // And on update.
            let mine = s
                .post(&format!("/api/v1/{plural}"))
                .bearer(&rep.token)
                .json(&valid(body))
                .send()
                .await;
            let url = format!("/api/v1/{plural}/{}", mine.ok(201)["id"].as_str().unwrap());
            for (field, value) in &forbidden {
                let res = s
                    .patch(&url)
                    .bearer(&rep.token)
                    .json(&json!({*field: value}))
                    .send()
                    .await;
                assert_eq!(
                    res.status.as_u16(),
                    422,
                    "{plural}.{field} on update: {}",
                    res.text
                );
            }
            s.patch(&url)
                .bearer(&rep.token)
                .json(&json!({"owner_id": admin.id.to_string()}))
                .send()
                .await
                .problem(403);
            let after = s.get(&url).bearer(&rep.token).send().await;
            assert_eq!(after.ok(200)["version"], 1, "{plural}: nothing changed");
            assert_eq!(after.json["owner_id"], rep.id.to_string());
        }
        // Opportunity stages move only by command; lead status converted only by conversion.
        let opp = s
            .post("/api/v1/opportunities")
            .bearer(&rep.token)
            .json(&json!({"name": "D"}))
            .send()
            .await;
        let url = format!(
            "/api/v1/opportunities/{}",
            opp.ok(201)["id"].as_str().unwrap()
        );
        let res = s
            .patch(&url)
            .bearer(&rep.token)
            .json(&json!({"stage_id": "00000000-0000-7000-8000-000000000000", "stage_kind": "won"}))
            .send()
            .await;
        let mut got = res.field_errors();
        got.sort();
        assert_eq!(
            got,
            vec![fe("stage_id", "read_only"), fe("stage_kind", "read_only")]
        );
    }
}

#[tokio::test]
async fn lists_filter_sort_page_count_and_refuse_bad_queries() {
    for s in Server::each("record lists").await {
        let (_, admin) = s.workspace("acme").await;
        for (name, city) in [
            ("Żabka", "Kraków"),
            ("Biedronka", "Kraków"),
            ("Lidl", "Lviv"),
            ("Auchan", "Madrid"),
            ("Netto", "Kraków"),
        ] {
            let body = json!({"name": name, "address": {"city": city}});
            s.post("/api/v1/companies")
                .bearer(&admin.token)
                .json(&body)
                .send()
                .await
                .ok(201);
        }
        let res = s.get("/api/v1/companies?filter[address.city][eq]=krakow&sort=name&fields=name&count=true&limit=2").bearer(&admin.token).send().await;
        let body = res.ok(200).clone();
        assert_eq!(body["total"], 3);
        assert_eq!(
            body["data"][0],
            json!({"id": body["data"][0]["id"], "name": "Biedronka"})
        );
        assert_eq!(body["data"][1]["name"], "Netto");
        let cursor = body["next_cursor"].as_str().unwrap();
        let next = s.get(&format!("/api/v1/companies?filter[address.city][eq]=krakow&sort=name&fields=name&limit=2&cursor={cursor}")).bearer(&admin.token).send().await;
        assert_eq!(next.ok(200)["data"][0]["name"], "Żabka");
        assert_eq!(next.json["next_cursor"], Value::Null);
        // A cursor of one sort used with another is refused.
        s.get(&format!("/api/v1/companies?sort=-name&cursor={cursor}"))
            .bearer(&admin.token)
            .send()
            .await
            .problem(400);
        for bad in [
            "filter[name][like]=x",
            "filter[name]=x",
            "filter[nope][eq]=x",
            "filter[employee_count][gt]=many",
            "sort=description",
            "sort=name;DROP%20TABLE%20companies",
            "fields=password_hash",
            "cursor=garbage",
            "limit=x",
            "trashed=maybe",
            "orderBy=name",
        ] {
            let res = s
                .get(&format!("/api/v1/companies?{bad}"))
                .bearer(&admin.token)
                .send()
                .await;
            let detail = res.problem(400)["detail"].as_str().unwrap().to_owned();
            let param = bad.split('=').next().unwrap();
            assert!(detail.starts_with(param), "{bad}: {detail}");
        }
        let many: String = (0..21).map(|i| format!("filter[name][ne]=x{i}&")).collect();
        s.get(&format!("/api/v1/companies?{many}"))
            .bearer(&admin.token)
            .send()
            .await
            .problem(400);
        let hits = s
            .get("/api/v1/companies?q=zab")
            .bearer(&admin.token)
            .send()
            .await;
        assert_eq!(hits.ok(200)["data"][0]["name"], "Żabka");
    }
}

#[tokio::test]
async fn an_idempotency_key_makes_one_record_even_under_concurrency() {
    for s in Server::each("idempotency").await {
        let (_, admin) = s.workspace("acme").await;
        let body = json!({"name": "Once Ltd"});
        let first = s
            .post("/api/v1/companies")
            .bearer(&admin.token)
            .header("idempotency-key", "k-1")
            .json(&body)
            .send()
            .await;
        let again = s
            .post("/api/v1/companies")
            .bearer(&admin.token)
            .header("idempotency-key", "k-1")
            .json(&body)
            .send()
            .await;
        assert_eq!(first.ok(201), again.ok(201));
        assert_eq!(first.header("location"), again.header("location"));
        assert_eq!(again.header("idempotent-replayed"), Some("true"));
        let other = s
            .post("/api/v1/companies")
            .bearer(&admin.token)
            .header("idempotency-key", "k-1")
            .json(&json!({"name": "Other"}))
            .send()
            .await;
        assert_eq!(
            other.field_errors(),
            vec![fe("Idempotency-Key", "invalid_value")]
        );
        s.post("/api/v1/companies")
            .bearer(&admin.token)
            .header("idempotency-key", "bad key with spaces")
            .json(&body)
            .send()
            .await
            .problem(400);
        assert_eq!(count(&s, &admin.token, "companies").await, 1);

        // Twenty at once with one key: one record, one audit entry.
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let router = s.router.clone();
            let token = admin.token.clone();
            tasks.push(tokio::spawn(async move {
                use tower::ServiceExt;
                let req = axum::http::Request::post("/api/v1/companies")
                    .header("authorization", format!("Bearer {token}"))
                    .header("content-type", "application/json")
                    .header("idempotency-key", "burst")
                    .body(axum::body::Body::from(r#"{"name": "Burst"}"#))
                    .unwrap();
                router.oneshot(req).await.unwrap().status().as_u16()
            }));
        }
        let mut statuses = Vec::new();
        for t in tasks {
            statuses.push(t.await.unwrap());
        }
        assert!(
            statuses.iter().all(|s| *s == 201 || *s == 409),
            "{statuses:?}"
        );
        assert!(statuses.contains(&201));
        let listed = s
            .get("/api/v1/companies?filter[name][eq]=burst&count=true")
            .bearer(&admin.token)
            .send()
            .await;
        assert_eq!(listed.ok(200)["total"], 1, "{}: {statuses:?}", s.backend());
        let id = listed.json["data"][0]["id"].as_str().unwrap().to_owned();
        let audit = s
            .get(&format!("/api/v1/audit?object_id={id}"))
            .bearer(&admin.token)
            .send()
            .await;
        assert_eq!(audit.ok(200)["data"].as_array().map(Vec::len), Some(1));
    }
}

#[tokio::test]
async fn deleting_a_company_with_children_needs_cascade_over_http() {
    for s in Server::each("cascade over http").await {
        let (_, admin) = s.workspace("acme").await;
        let company = s
            .post("/api/v1/companies")
            .bearer(&admin.token)
            .json(&json!({"name": "Parent"}))
            .send()
            .await;
        let cid = company.ok(201)["id"].as_str().unwrap().to_owned();
        s.post("/api/v1/contacts")
            .bearer(&admin.token)
            .json(&json!({"last_name": "Child", "company_id": cid}))
            .send()
            .await
            .ok(201);
        let refused = s
            .delete(&format!("/api/v1/companies/{cid}"))
            .bearer(&admin.token)
            .send()
            .await;
        assert_eq!(refused.problem(409)["code"], "has_children");
        s.delete(&format!("/api/v1/companies/{cid}?cascade=maybe"))
            .bearer(&admin.token)
            .send()
            .await
            .problem(400);
        assert_eq!(
            s.delete(&format!("/api/v1/companies/{cid}?cascade=true"))
                .bearer(&admin.token)
                .send()
                .await
                .status
                .as_u16(),
            204
        );
        assert_eq!(count(&s, &admin.token, "contacts").await, 0);
        s.post(&format!("/api/v1/companies/{cid}/restore"))
            .bearer(&admin.token)
            .send()
            .await
            .ok(200);
        assert_eq!(count(&s, &admin.token, "contacts").await, 1);
    }
}

#[tokio::test]
async fn commands_timelines_and_search_over_http() {
    for s in Server::each("commands over http").await {
        let (_, admin) = s.workspace("acme").await;
        let lead = s.post("/api/v1/leads").bearer(&admin.token)
            .json(&json!({"first_name": "Олена", "last_name": "Коваль", "company_name": "Київ Трейд", "email": "olena@kyiv.example"}))
            .send().await;
        let lid = lead.ok(201)["id"].as_str().unwrap().to_owned();
        let converted = s
            .post(&format!("/api/v1/leads/{lid}/convert"))
            .bearer(&admin.token)
            .json(&json!({"opportunity": {}}))
            .send()
            .await;
        let c = converted.ok(200).clone();
        assert_eq!(c["lead"]["status"], "converted");
        let again = s
            .post(&format!("/api/v1/leads/{lid}/convert"))
            .bearer(&admin.token)
            .json(&json!({}))
            .send()
            .await;
        assert_eq!(again.problem(409)["code"], "already_converted");
        let opp = c["opportunity_id"].as_str().unwrap();
        let pipelines = s.get("/api/v1/pipelines").bearer(&admin.token).send().await;
        let stages = pipelines.ok(200)[0]["stages"].as_array().unwrap().clone();
        let lost = stages.iter().find(|st| st["kind"] == "lost").unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let moved = s
            .post(&format!("/api/v1/opportunities/{opp}/stage"))
            .bearer(&admin.token)
            .json(&json!({"stage_id": lost}))
            .send()
            .await;
        assert_eq!(moved.field_errors(), vec![fe("lost_reason", "required")]);
        let moved = s
            .post(&format!("/api/v1/opportunities/{opp}/stage"))
            .bearer(&admin.token)
            .json(&json!({"stage_id": lost, "lost_reason": "budget"}))
            .send()
            .await;
        assert_eq!(moved.ok(200)["stage_kind"], "lost");
        let history = s
            .get(&format!("/api/v1/opportunities/{opp}/stage_history"))
            .bearer(&admin.token)
            .send()
            .await;
        assert_eq!(history.ok(200).as_array().map(Vec::len), Some(1));
        let contact = c["contact_id"].as_str().unwrap();
        let call = s.post("/api/v1/activities").bearer(&admin.token)
            .json(&json!({"kind": "call", "subject": "Дзвінок", "links": [{"type": "contact", "id": contact}]}))
            .send().await;
        let aid = call.ok(201)["id"].as_str().unwrap().to_owned();
        s.post(&format!("/api/v1/activities/{aid}/complete"))
            .bearer(&admin.token)
            .json(&json!({"outcome": "done"}))
            .send()
            .await
            .ok(200);
        let timeline = s
            .get(&format!("/api/v1/contacts/{contact}/timeline"))
            .bearer(&admin.token)
            .send()
            .await;
        let items = timeline.ok(200)["data"].as_array().unwrap().clone();
        assert_eq!(items[0]["type"], "activity");
        assert_eq!(items[0]["activity"]["status"], "done");
        assert_eq!(items.last().unwrap()["change"]["action"], "record.created");
        s.get(&format!("/api/v1/contacts/{contact}/timeline?cursor=zzz"))
            .bearer(&admin.token)
            .send()
            .await
            .problem(400);
        let found = s
            .get("/api/v1/search?q=ОЛЕНА")
            .bearer(&admin.token)
            .send()
            .await;
        let types: Vec<&str> = found.ok(200)["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["type"].as_str().unwrap())
            .collect();
        assert!(
            types.contains(&"contact") && types.contains(&"lead"),
            "{types:?}"
        );
        s.get("/api/v1/search")
            .bearer(&admin.token)
            .send()
            .await
            .problem(400);
        s.get("/api/v1/search?q=x&types=planets")
            .bearer(&admin.token)
            .send()
            .await
            .problem(400);
    }
}

/// SECURITY.md S2 beyond the route table: another workspace's records stay out of lists,
/// counts, search and filters, and shares cannot cross workspaces.
#[tokio::test]
async fn another_workspaces_records_never_leak_into_lists_counts_or_search() {
    for s in Server::each("cross-workspace records").await {
        let (_, admin_a) = s.workspace("alpha").await;
        let (ws_b, admin_b) = s.workspace("beta").await;
        let secret = s
            .post("/api/v1/companies")
            .bearer(&admin_a.token)
            .json(&json!({"name": "Secretive Corp", "domain": "secret.example"}))
            .send()
            .await;
        let sid = secret.ok(201)["id"].as_str().unwrap().to_owned();
        for url in [
            "/api/v1/companies?count=true".to_owned(),
            "/api/v1/companies?q=secretive&count=true".to_owned(),
            "/api/v1/companies?filter[domain][eq]=secret.example&count=true".to_owned(),
            format!("/api/v1/companies?filter[id][eq]={sid}&count=true"),
            "/api/v1/companies?trashed=true&count=true".to_owned(),
        ] {
            let res = s.get(&url).bearer(&admin_b.token).send().await;
            assert_eq!(res.ok(200)["total"], 0, "{url}");
        }
        let found = s
            .get("/api/v1/search?q=secretive")
            .bearer(&admin_b.token)
            .send()
            .await;
        assert_eq!(found.ok(200)["data"], json!([]));
        let b_user = s.user(ws_b, "b@beta.example", Role::Rep).await;
        let share = json!({"object_type": "company", "record_id": sid, "grantee_type": "user", "grantee_id": b_user.id.to_string(), "access": "read"});
        let res = s
            .post("/api/v1/shares")
            .bearer(&admin_a.token)
            .json(&share)
            .send()
            .await;
        assert_eq!(
            res.field_errors(),
            vec![fe("grantee_id", "unknown_reference")]
        );
        let link = json!({"kind": "note", "body": "x", "links": [{"type": "company", "id": sid}]});
        let res = s
            .post("/api/v1/activities")
            .bearer(&admin_b.token)
            .json(&link)
            .send()
            .await;
        assert_eq!(
            res.field_errors(),
            vec![fe("links[0].id", "unknown_reference")]
        );
    }
}

#[tokio::test]
async fn merging_duplicates_keeps_one_record_with_everything_and_search_follows() {
    for s in Server::each("merge").await {
        let (_, admin) = s.workspace("acme").await;
        let post = |path: &'static str, body: Value| {
            let token = admin.token.clone();
            let s = &s;
            async move { s.post(path).bearer(&token).json(&body).send().await }
        };
        let keep = post(
            "/api/v1/contacts",
            json!({"first_name": "Anna", "emails": ["anna@work.example"]}),
        )
        .await;
        let keep = keep.ok(201)["id"].as_str().unwrap().to_owned();
        let dup = post("/api/v1/contacts", json!({"last_name": "Nowakowska", "title": "CFO", "emails": ["anna@home.example"], "phones": ["+48 601 234 567"]})).await;
        let dup = dup.ok(201)["id"].as_str().unwrap().to_owned();
        post("/api/v1/activities", json!({"kind": "note", "body": "met at fair", "links": [{"type": "contact", "id": dup}]})).await.ok(201);
        s.post(&format!("/api/v1/contacts/{keep}/merge"))
            .bearer(&admin.token)
            .json(&json!({"source_id": keep}))
            .send()
            .await
            .problem(422);
        let merged = s
            .post(&format!("/api/v1/contacts/{keep}/merge"))
            .bearer(&admin.token)
            .json(&json!({"source_id": dup}))
            .send()
            .await;
        let m = merged.ok(200).clone();
        assert_eq!(m["first_name"], "Anna");
        assert_eq!(
            m["last_name"], "Nowakowska",
            "empty fields filled from the duplicate"
        );
        assert_eq!(m["title"], "CFO");
        let emails: Vec<&str> = m["emails"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["value"].as_str().unwrap())
            .collect();
        assert_eq!(emails, ["anna@work.example", "anna@home.example"]);
        assert_eq!(m["emails"][0]["primary"], true);
        s.get(&format!("/api/v1/contacts/{dup}"))
            .bearer(&admin.token)
            .send()
            .await
            .problem(404);
        let timeline = s
            .get(&format!("/api/v1/contacts/{keep}/timeline"))
            .bearer(&admin.token)
            .send()
            .await;
        assert!(
            timeline.ok(200)["data"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["type"] == "activity"),
            "the note moved"
        );
        let found = s
            .get("/api/v1/contacts?q=nowakowska")
            .bearer(&admin.token)
            .send()
            .await;
        let ids: Vec<&str> = found.ok(200)["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert_eq!(
            ids,
            [keep.as_str()],
            "search finds the survivor by the inherited name, not the duplicate"
        );
        let audit = s
            .get(&format!(
                "/api/v1/audit?action=record.merged&object_id={keep}"
            ))
            .bearer(&admin.token)
            .send()
            .await;
        assert_eq!(audit.ok(200)["data"][0]["detail"]["merged"], dup.as_str());
        // Companies take over the contacts of the duplicate.
        let a = post("/api/v1/companies", json!({"name": "Acme"}))
            .await
            .ok(201)["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let b = post(
            "/api/v1/companies",
            json!({"name": "ACME Inc", "domain": "acme.example"}),
        )
        .await
        .ok(201)["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let worker = post(
            "/api/v1/contacts",
            json!({"last_name": "Worker", "company_id": b}),
        )
        .await
        .ok(201)["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let merged = s
            .post(&format!("/api/v1/companies/{a}/merge"))
            .bearer(&admin.token)
            .json(&json!({"source_id": b}))
            .send()
            .await;
        assert_eq!(merged.ok(200)["domain"], "acme.example");
        let w = s
            .get(&format!("/api/v1/contacts/{worker}"))
            .bearer(&admin.token)
            .send()
            .await;
        assert_eq!(w.ok(200)["company_id"], a.as_str());
    }
}
