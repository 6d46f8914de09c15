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
    let team = s
        .post("/api/v1/teams")
        .bearer(&admin.token)
        .json(&json!({"name": "Sales"}))
        .send()
        .await
        .ok(201)["id"]
        .as_str()
        .and_then(|i| Uuid::try_parse(i).ok())
        .map(TeamId::from_uuid)
        .expect("team id");
    let target = s
        .post("/api/v1/tokens")
        .bearer(&admin.token)
        .json(&json!({"name": "target", "scope": "read"}))
        .send()
        .await
        .ok(201)["id"]
        .as_str()
        .and_then(|i| Uuid::try_parse(i).ok())
        .expect("token id");
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
    }
}

fn concrete(path: &str, w: &World) -> String {
    let id = if path.starts_with("/api/v1/users/") {
        w.callers["rep"].id.to_string()
    } else if path.starts_with("/api/v1/teams/") {
        w.team.to_string()
    } else {
        w.target_token.to_string()
    };
    path.replace("{id}", &id)
}

fn body(method: &str, path: &str, caller: &str, n: usize) -> Option<Value> {
    let unique = format!("{caller}{n}");
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
        _ => None,
    }
}

async fn call(s: &Server, w: &World, method: &str, path: &str, caller: &str, n: usize) -> u16 {
    let url = concrete(path, w);
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
    if let Some(b) = body(method, path, caller, n) {
        req = req.json(&b);
    }
    req.send().await.status.as_u16()
}

#[tokio::test]
async fn every_route_answers_every_caller_as_the_table_says() {
    let table = expectations();
    for s in Server::each("route × role table").await {
        let mut mismatches = Vec::new();
        for (n, ((method, path), expected)) in table.iter().enumerate() {
            // A fresh pair of workspaces per route: deletions and password changes of one
            // row must not change the next.
            let w = world(&s, n).await;
            for (caller, want) in CALLERS.iter().zip(expected) {
                let got = call(&s, &w, method, path, caller, n).await;
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
