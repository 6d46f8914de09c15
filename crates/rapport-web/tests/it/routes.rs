//! SECURITY.md S1: every route × every kind of caller, against the committed table.

use std::collections::BTreeMap;

use axum::http::Method;
use rapport_core::{Id, Role, TeamId, WorkspaceId};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{Actor, PASSWORD, Server};

const TABLE: &str = include_str!("route_roles.txt");
const CALLERS: [&str; 6] = [
    "anon",
    "read_only",
    "rep",
    "manager",
    "admin",
    "other_admin",
];

fn expectations() -> BTreeMap<(String, String), Vec<u16>> {
    TABLE
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            assert_eq!(
                cols.len(),
                2 + CALLERS.len(),
                "bad line in route_roles.txt: {l}"
            );
            let statuses = cols[2..]
                .iter()
                .map(|s| s.parse().expect("a status"))
                .collect();
            ((cols[0].to_owned(), cols[1].to_owned()), statuses)
        })
        .collect()
}

#[test]
fn every_route_is_in_the_table_and_every_row_is_a_route() {
    let served: Vec<(String, String)> = rapport_web::openapi::routes(rapport_web::api::document());
    let table = expectations();
    let missing: Vec<_> = served.iter().filter(|r| !table.contains_key(*r)).collect();
    assert!(
        missing.is_empty(),
        "routes missing from route_roles.txt: {missing:?}"
    );
    let stale: Vec<_> = table.keys().filter(|r| !served.contains(r)).collect();
    assert!(
        stale.is_empty(),
        "rows for routes that do not exist: {stale:?}"
    );
}

#[test]
fn the_router_is_built_only_from_documented_routes() {
    // Routes added with axum's `.route()` would bypass the document and this table.
    for file in ["src/lib.rs", "src/api/mod.rs"] {
        let text = std::fs::read_to_string(file).expect("source file");
        let stray = text
            .lines()
            .filter(|l| l.contains(".route(") && !l.contains("/metrics"))
            .count();
        assert_eq!(stray, 0, "{file} registers a route outside OpenApiRouter");
    }
}

struct World {
    slug: String,
    other_slug: String,
    callers: BTreeMap<&'static str, Actor>,
    team: TeamId,
    target_token: Uuid,
    /// A live and a trashed record of each object, owned by the admin, visible to all.
    live: BTreeMap<&'static str, Uuid>,
    trashed: BTreeMap<&'static str, Uuid>,
    /// A second live record of each object, to merge into the first.
    duplicate: BTreeMap<&'static str, Uuid>,
    proposal_stage: Uuid,
    pipeline: Uuid,
    tag: Uuid,
    custom_field: Uuid,
    share: Uuid,
    /// A saved view of the admin's: personal, so found by nobody else.
    view: Uuid,
    /// An import and an export the admin ran (finished, so the job cap is free).
    import_job: Uuid,
    export_job: Uuid,
}

/// Runs every queued job, as the worker of `rapport serve` would.
async fn drain(s: &Server) {
    while rapport_app::jobs::run_next(&s.app, "test")
        .await
        .expect("job")
    {}
}

const OBJECTS: [(&str, &str); 5] = [
    ("companies", r#"{"name": "Acme"}"#),
    ("contacts", r#"{"last_name": "Nowak"}"#),
    (
        "leads",
        r#"{"last_name": "Lead", "company_name": "Lead Co"}"#,
    ),
    ("opportunities", r#"{"name": "Deal"}"#),
    ("activities", r#"{"kind": "task", "subject": "Call back"}"#),
];

fn id_of(res: &crate::support::Res) -> Uuid {
    res.json["id"]
        .as_str()
        .and_then(|i| Uuid::try_parse(i).ok())
        .unwrap_or_else(|| panic!("no id in {}", res.text))
}

async fn world(s: &Server, n: usize) -> World {
    let slug = format!("alpha{n}");
    let other_slug = format!("beta{n}");
    let (a, admin): (WorkspaceId, Actor) = s.workspace(&slug).await;
    let (_, other_admin) = s.workspace(&other_slug).await;
    let read_only = s
        .user(a, &format!("viewer@{slug}.example"), Role::ReadOnly)
        .await;
    let rep = s.user(a, &format!("rep@{slug}.example"), Role::Rep).await;
    let manager = s
        .user(a, &format!("manager@{slug}.example"), Role::Manager)
        .await;
    let post = |path: &'static str, body: Value| {
        let token = admin.token.clone();
        async move { s.post(path).bearer(&token).json(&body).send().await }
    };
    let team = TeamId::from_uuid(id_of(
        post("/api/v1/teams", json!({"name": "Sales"}))
            .await
            .ok_json(201),
    ));
    let target = id_of(
        post("/api/v1/tokens", json!({"name": "target", "scope": "read"}))
            .await
            .ok_json(201),
    );
    let mut live = BTreeMap::new();
    let mut trashed = BTreeMap::new();
    let mut duplicate = BTreeMap::new();
    for (plural, body) in OBJECTS {
        let mut body: Value = serde_json::from_str(body).unwrap();
        body["visibility"] = json!("workspace");
        let path = format!("/api/v1/{plural}");
        let one = s.post(&path).bearer(&admin.token).json(&body).send().await;
        live.insert(plural, id_of(one.ok_json(201)));
        let two = s.post(&path).bearer(&admin.token).json(&body).send().await;
        let gone = id_of(two.ok_json(201));
        s.delete(&format!("{path}/{gone}"))
            .bearer(&admin.token)
            .send()
            .await
            .ok(204);
        trashed.insert(plural, gone);
        let three = s.post(&path).bearer(&admin.token).json(&body).send().await;
        duplicate.insert(plural, id_of(three.ok_json(201)));
    }
    let pipelines = s.get("/api/v1/pipelines").bearer(&admin.token).send().await;
    let proposal = pipelines.json[0]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|st| st["name"] == "Proposal")
        .and_then(|st| st["id"].as_str())
        .and_then(|i| Uuid::try_parse(i).ok())
        .unwrap();
    let stages = json!([{"name": "Open", "kind": "open"}, {"name": "Won", "kind": "won"}, {"name": "Lost", "kind": "lost"}]);
    let pipeline = id_of(
        post(
            "/api/v1/pipelines",
            json!({"name": "Renewals", "stages": stages}),
        )
        .await
        .ok_json(201),
    );
    let tag = id_of(
        post("/api/v1/tags", json!({"name": "VIP"}))
            .await
            .ok_json(201),
    );
    let custom_field = id_of(
        post(
            "/api/v1/custom_fields",
            json!({"object_type": "company", "key": "tier", "label": "Tier", "kind": "text"}),
        )
        .await
        .ok_json(201),
    );
    for day in ["2026-01-01", "2026-02-01"] {
        s.req(Method::PUT, &format!("/api/v1/exchange-rates/USD/{day}"))
            .bearer(&admin.token)
            .json(&json!({"rate": "0.9"}))
            .send()
            .await
            .ok_json(201);
    }
    let share_body = json!({"object_type": "company", "record_id": live["companies"].to_string(),
        "grantee_type": "user", "grantee_id": manager.id.to_string(), "access": "read"});
    let share = id_of(
        s.post("/api/v1/shares")
            .bearer(&admin.token)
            .json(&share_body)
            .send()
            .await
            .ok_json(201),
    );
    let view = id_of(
        post(
            "/api/v1/views",
            json!({"object_type": "contact", "name": "Mine", "query": "sort=last_name"}),
        )
        .await
        .ok_json(201),
    );
    let import_job = id_of(
        s.post("/api/v1/imports?object=contacts")
            .bearer(&admin.token)
            .raw("text/csv", "last_name\nImported\n")
            .send()
            .await
            .ok_json(202),
    );
    let export_job = id_of(
        post("/api/v1/exports", json!({"object": "contacts"}))
            .await
            .ok_json(202),
    );
    drain(s).await;
    let mut callers = BTreeMap::new();
    callers.insert("read_only", read_only);
    callers.insert("rep", rep);
    callers.insert("manager", manager);
    callers.insert("admin", admin);
    callers.insert("other_admin", other_admin);
    World {
        slug,
        other_slug,
        callers,
        team,
        target_token: target,
        live,
        trashed,
        duplicate,
        proposal_stage: proposal,
        pipeline,
        tag,
        custom_field,
        share,
        view,
        import_job,
        export_job,
    }
}

fn concrete(path: &str, w: &World) -> String {
    let segment = path.split('/').nth(3).unwrap_or_default();
    let id = match segment {
        "users" => w.callers["rep"].id.to_string(),
        "teams" => w.team.to_string(),
        "tokens" => w.target_token.to_string(),
        "pipelines" => w.pipeline.to_string(),
        "tags" => w.tag.to_string(),
        "custom_fields" => w.custom_field.to_string(),
        "shares" => w.share.to_string(),
        "views" => w.view.to_string(),
        "imports" => w.import_job.to_string(),
        "exports" => w.export_job.to_string(),
        plural if path.ends_with("/restore") => w.trashed[plural].to_string(),
        plural => w
            .live
            .get(plural)
            .map(ToString::to_string)
            .unwrap_or_default(),
    };
    let mut url = path
        .replace("{id}", &id)
        .replace("{object_type}", "company");
    if path == "/api/v1/imports" {
        url.push_str("?object=contacts&dry_run=true");
    }
    if path == "/api/v1/search" {
        url.push_str("?q=acme");
    }
    if path == "/api/v1/shares" {
        url.push_str(&format!(
            "?object_type=company&record_id={}",
            w.live["companies"]
        ));
    }
    url
}

fn body(method: &str, path: &str, caller: &str, n: usize, w: &World) -> Option<Value> {
    let unique = format!("{caller}{n}");
    let record_patch = |field: &str| Some(json!({field: format!("Renamed {unique}")}));
    match (method, path) {
        ("POST", "/api/v1/users") => Some(
            json!({"email": format!("new.{unique}@example.com"), "role": "rep", "password": PASSWORD}),
        ),
        ("PATCH", "/api/v1/users/{id}") => {
            Some(json!({"display_name": format!("Renamed {unique}")}))
        }
        ("POST", "/api/v1/teams") => Some(json!({"name": format!("Team {unique}")})),
        ("PATCH", "/api/v1/teams/{id}") => Some(json!({"name": format!("Renamed {unique}")})),
        ("POST", "/api/v1/tokens") => Some(json!({"name": "t", "scope": "read"})),
        ("PATCH", "/api/v1/me") => Some(json!({"display_name": format!("Me {unique}")})),
        ("POST", "/api/v1/me/password") => {
            Some(json!({"current_password": PASSWORD, "new_password": "another calm river"}))
        }
        ("POST", "/api/v1/companies") => Some(json!({"name": format!("New {unique}")})),
        ("POST", "/api/v1/contacts") => Some(json!({"last_name": format!("New {unique}")})),
        ("POST", "/api/v1/leads") => Some(json!({"last_name": format!("New {unique}")})),
        ("POST", "/api/v1/opportunities") => Some(json!({"name": format!("New {unique}")})),
        ("POST", "/api/v1/activities") => {
            Some(json!({"kind": "note", "body": format!("Note {unique}")}))
        }
        ("PATCH", "/api/v1/companies/{id}") => record_patch("name"),
        ("PATCH", "/api/v1/contacts/{id}") => record_patch("title"),
        ("PATCH", "/api/v1/leads/{id}") => record_patch("title"),
        ("PATCH", "/api/v1/opportunities/{id}") => record_patch("next_step"),
        ("PATCH", "/api/v1/activities/{id}") => record_patch("subject"),
        ("POST", "/api/v1/leads/{id}/convert") | ("POST", "/api/v1/activities/{id}/complete") => {
            Some(json!({}))
        }
        ("POST", "/api/v1/companies/{id}/merge") => {
            Some(json!({"source_id": w.duplicate["companies"].to_string()}))
        }
        ("POST", "/api/v1/contacts/{id}/merge") => {
            Some(json!({"source_id": w.duplicate["contacts"].to_string()}))
        }
        ("POST", "/api/v1/opportunities/{id}/stage") => {
            Some(json!({"stage_id": w.proposal_stage.to_string()}))
        }
        ("POST", "/api/v1/pipelines") => Some(json!({"name": format!("P {unique}"),
            "stages": [{"name": "Open", "kind": "open"}, {"name": "Won", "kind": "won"}, {"name": "Lost", "kind": "lost"}]})),
        ("PATCH", "/api/v1/pipelines/{id}") => Some(json!({"name": format!("P {unique}")})),
        ("POST", "/api/v1/tags") => Some(json!({"name": format!("T {unique}")})),
        ("POST", "/api/v1/exports") => Some(json!({"object": "contacts"})),
        ("POST", "/api/v1/analytics/fit") => Some(json!({})),
        ("PATCH", "/api/v1/tags/{id}") => Some(json!({"name": format!("T {unique}")})),
        ("PUT", "/api/v1/exchange-rates/{currency}/{valid_from}") => Some(json!({"rate": "0.95"})),
        ("POST", "/api/v1/custom_fields") => Some(
            json!({"object_type": "company", "key": format!("k_{}", unique.replace(['-', ' '], "_")),
            "label": "K", "kind": "text"}),
        ),
        ("PATCH", "/api/v1/custom_fields/{id}") => Some(json!({"label": format!("L {unique}")})),
        ("PUT", "/api/v1/field_rules/{object_type}") => Some(json!({"rules": []})),
        ("PUT", "/api/v1/object_settings/{object_type}") => {
            Some(json!({"default_visibility": "team"}))
        }
        ("POST", "/api/v1/views") => Some(
            json!({"object_type": "contact", "name": format!("View {unique}"),
            "query": "filter[last_name][starts_with]=K&sort=last_name"}),
        ),
        ("PATCH", "/api/v1/views/{id}") => Some(json!({"name": format!("Renamed {unique}")})),
        ("POST", "/api/v1/shares") => Some(
            json!({"object_type": "company", "record_id": w.live["companies"].to_string(),
            "grantee_type": "user", "grantee_id": w.callers["rep"].id.to_string(), "access": "read"}),
        ),
        _ => None,
    }
}

async fn call(s: &Server, w: &World, method: &str, path: &str, caller: &str, n: usize) -> u16 {
    // The world holds USD rates from 2026-01-01 (for DELETE) and 2026-02-01 (for GET); PUT
    // sets a new one.
    let rate_day = match method {
        "DELETE" => "2026-01-01",
        "GET" => "2026-02-01",
        _ => "2026-03-01",
    };
    let url = concrete(path, w)
        .replace("{currency}", "USD")
        .replace("{valid_from}", rate_day);
    let m = Method::from_bytes(method.as_bytes()).expect("method");
    let actor = w.callers.get(caller);
    if path == "/auth/login" {
        let (email, password) = match actor {
            Some(a) => (a.email.clone(), PASSWORD),
            None => ("nobody@example.com".to_owned(), "not the password"),
        };
        let slug = if caller == "other_admin" {
            &w.other_slug
        } else {
            &w.slug
        };
        let body = json!({"workspace": slug, "email": email, "password": password});
        return s.post(&url).json(&body).send().await.status.as_u16();
    }
    if path.starts_with("/auth/") {
        let mut req = s.req(m, &url);
        if let Some(a) = actor {
            let slug = if caller == "other_admin" {
                &w.other_slug
            } else {
                &w.slug
            };
            let login = s
                .post("/auth/login")
                .json(&json!({"workspace": slug, "email": a.email, "password": PASSWORD}))
                .send()
                .await;
            let cookie = login
                .header("set-cookie")
                .and_then(|c| c.split(';').next())
                .expect("cookie")
                .to_owned();
            let csrf = login.json["csrf_token"].as_str().expect("csrf").to_owned();
            req = req.header("cookie", &cookie).header("x-csrf-token", &csrf);
        }
        return req.send().await.status.as_u16();
    }
    let mut req = s.req(m, &url);
    if let Some(a) = actor {
        req = req.bearer(&a.token);
    }
    if path == "/api/v1/imports" {
        req = req.raw("text/csv", "last_name\nNowak\n");
    } else if path == "/api/v1/transactions/import" {
        let csv = format!("customer,date,amount\nroute-{n}-{caller},2024-01-02,10.00\n");
        req = req.raw("text/csv", csv);
    } else if let Some(b) = body(method, path, caller, n, w) {
        req = req.json(&b);
    }
    let status = req.send().await.status.as_u16();
    if method == "POST" && (path == "/api/v1/imports" || path == "/api/v1/exports") {
        drain(s).await;
    }
    status
}

#[tokio::test]
async fn every_route_answers_every_caller_as_the_table_says() {
    let table = expectations();
    for s in Server::each("route × role table").await {
        let mut mismatches = Vec::new();
        // Reads share one world; every write gets a fresh one, so that deletions and
        // password changes of one row cannot change the next.
        let shared = world(&s, 0).await;
        for (n, ((method, path), expected)) in table.iter().enumerate() {
            let fresh;
            let w = if method == "GET" {
                &shared
            } else {
                fresh = world(&s, n + 1).await;
                &fresh
            };
            for (caller, want) in CALLERS.iter().zip(expected) {
                let got = call(&s, w, method, path, caller, n).await;
                if got != *want {
                    mismatches.push(format!(
                        "{method} {path} as {caller}: expected {want}, got {got}"
                    ));
                }
            }
        }
        assert!(
            mismatches.is_empty(),
            "{}:\n{}",
            s.backend(),
            mismatches.join("\n")
        );
    }
}
