//! The happy paths of the workspace-administration API, end to end over HTTP.

use rapport_core::Role;
use serde_json::json;

use crate::support::{PASSWORD, Server, fe};

#[tokio::test]
async fn users_are_created_read_and_changed_with_etags() {
    for s in Server::each("user lifecycle").await {
        let (_, admin) = s.workspace("acme").await;
        let created = s
            .post("/api/v1/users")
            .bearer(&admin.token)
            .json(&json!({"email": "Anna@Acme.example", "display_name": "Anna Nowak", "role": "manager",
                          "locale": "pl", "time_zone": "Europe/Warsaw"}))
            .send()
            .await;
        let body = created.ok(201).clone();
        let location = created.header("location").unwrap().to_owned();
        assert_eq!(
            location,
            format!("/api/v1/users/{}", body["id"].as_str().unwrap())
        );
        assert_eq!(created.header("etag"), Some("\"1\""));
        let initial = body["initial_password"].as_str().unwrap().to_owned();
        assert!(body.get("password_hash").is_none());

        let got = s.get(&location).bearer(&admin.token).send().await;
        assert_eq!(got.ok(200)["email"], "Anna@Acme.example");
        assert!(
            got.json.get("initial_password").is_none(),
            "the password is shown only once"
        );
        let patched = s
            .patch(&location)
            .bearer(&admin.token)
            .header("if-match", "\"1\"")
            .raw(
                "application/merge-patch+json",
                json!({"role": "rep", "display_name": "Anna N."}).to_string(),
            )
            .send()
            .await;
        assert_eq!(patched.ok(200)["role"], "rep");
        assert_eq!(patched.header("etag"), Some("\"2\""));
        let stale = s
            .patch(&location)
            .bearer(&admin.token)
            .header("if-match", "\"1\"")
            .json(&json!({"display_name": "Lost update"}))
            .send()
            .await;
        stale.problem(412);

        let signed_in = s
            .post("/auth/login")
            .json(&json!({"workspace": "acme", "email": "anna@acme.example", "password": initial}))
            .send()
            .await;
        signed_in.ok(200);
    }
}

#[tokio::test]
async fn user_lists_page_through_everyone_exactly_once() {
    for s in Server::each("user paging").await {
        let (ws, admin) = s.workspace("acme").await;
        for i in 0..6 {
            s.user(ws, &format!("u{i}@acme.example"), Role::Rep).await;
        }
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let url = match &cursor {
                Some(c) => format!("/api/v1/users?limit=3&cursor={c}"),
                None => "/api/v1/users?limit=3".to_owned(),
            };
            let page = s.get(&url).bearer(&admin.token).send().await;
            let body = page.ok(200).clone();
            seen.extend(
                body["data"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|u| u["email"].as_str().unwrap().to_owned()),
            );
            match body["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => break,
            }
        }
        assert_eq!(seen.len(), 7);
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 7);
    }
}

#[tokio::test]
async fn the_last_admin_is_protected_over_http_too() {
    for s in Server::each("last admin http").await {
        let (_, admin) = s.workspace("acme").await;
        let res = s
            .patch(&format!("/api/v1/users/{}", admin.id))
            .bearer(&admin.token)
            .json(&json!({"role": "rep"}))
            .send()
            .await;
        assert_eq!(res.problem(409)["code"], "last_admin");
    }
}

#[tokio::test]
async fn me_shows_the_caller_and_takes_only_profile_fields() {
    for s in Server::each("me").await {
        let (ws, _) = s.workspace("acme").await;
        let rep = s.user(ws, "rep@acme.example", Role::Rep).await;
        let me = s.get("/api/v1/me").bearer(&rep.token).send().await;
        let body = me.ok(200);
        assert_eq!(body["user"]["email"], "rep@acme.example");
        assert_eq!(body["workspace"]["slug"], "acme");
        assert_eq!(body["scope"], "read_write");
        let escalate = s
            .patch("/api/v1/me")
            .bearer(&rep.token)
            .json(&json!({"role": "admin", "enabled": true}))
            .send()
            .await;
        assert_eq!(
            escalate.field_errors(),
            vec![fe("enabled", "read_only"), fe("role", "read_only")]
        );
        let changed = s
            .patch("/api/v1/me")
            .bearer(&rep.token)
            .json(&json!({"display_name": "Олена Коваль", "locale": "uk", "time_zone": "Europe/Kyiv"}))
            .send()
            .await;
        assert_eq!(changed.ok(200)["display_name"], "Олена Коваль");
        assert_eq!(changed.json["role"], "rep");
    }
}

#[tokio::test]
async fn changing_my_password_ends_the_token_used_for_it() {
    for s in Server::each("password over http").await {
        let (ws, _) = s.workspace("acme").await;
        let rep = s.user(ws, "rep@acme.example", Role::Rep).await;
        let wrong = s
            .post("/api/v1/me/password")
            .bearer(&rep.token)
            .json(&json!({"current_password": "not it at all", "new_password": "a fresh long passphrase"}))
            .send()
            .await;
        assert_eq!(
            wrong.field_errors(),
            vec![fe("current_password", "invalid_value")]
        );
        let ok = s
            .post("/api/v1/me/password")
            .bearer(&rep.token)
            .json(&json!({"current_password": PASSWORD, "new_password": "a fresh long passphrase"}))
            .send()
            .await;
        assert_eq!(ok.status.as_u16(), 204, "{}", ok.text);
        s.get("/api/v1/me")
            .bearer(&rep.token)
            .send()
            .await
            .problem(401);
    }
}

#[tokio::test]
async fn teams_form_a_tree_and_only_empty_ones_are_deleted() {
    for s in Server::each("teams over http").await {
        let (ws, admin) = s.workspace("acme").await;
        let sales = s
            .post("/api/v1/teams")
            .bearer(&admin.token)
            .json(&json!({"name": "Sales"}))
            .send()
            .await;
        let sales_id = sales.ok(201)["id"].as_str().unwrap().to_owned();
        let east = s
            .post("/api/v1/teams")
            .bearer(&admin.token)
            .json(&json!({"name": "East", "parent_id": sales_id}))
            .send()
            .await;
        let east_id = east.ok(201)["id"].as_str().unwrap().to_owned();
        let cycle = s
            .patch(&format!("/api/v1/teams/{sales_id}"))
            .bearer(&admin.token)
            .json(&json!({"parent_id": east_id}))
            .send()
            .await;
        assert_eq!(cycle.field_errors(), vec![fe("parent_id", "not_allowed")]);
        let dup = s
            .post("/api/v1/teams")
            .bearer(&admin.token)
            .json(&json!({"name": "SALES"}))
            .send()
            .await;
        assert_eq!(dup.field_errors(), vec![fe("name", "taken")]);
        let busy = s
            .delete(&format!("/api/v1/teams/{sales_id}"))
            .bearer(&admin.token)
            .send()
            .await;
        assert_eq!(busy.problem(409)["code"], "team_not_empty");
        let rep = s.user(ws, "rep@acme.example", Role::Rep).await;
        s.patch(&format!("/api/v1/users/{}", rep.id))
            .bearer(&admin.token)
            .json(&json!({"team_id": east_id}))
            .send()
            .await
            .ok(200);
        s.delete(&format!("/api/v1/teams/{east_id}"))
            .bearer(&admin.token)
            .send()
            .await
            .problem(409);
        let left = s
            .patch(&format!("/api/v1/users/{}", rep.id))
            .bearer(&admin.token)
            .json(&json!({"team_id": null}))
            .send()
            .await;
        assert_eq!(left.ok(200)["team_id"], serde_json::Value::Null);
        let gone = s
            .delete(&format!("/api/v1/teams/{east_id}"))
            .bearer(&admin.token)
            .header("if-match", "\"1\"")
            .send()
            .await;
        assert_eq!(gone.status.as_u16(), 204, "{}", gone.text);
        s.get(&format!("/api/v1/teams/{east_id}"))
            .bearer(&admin.token)
            .send()
            .await
            .problem(404);
    }
}

#[tokio::test]
async fn tokens_are_shown_once_listed_by_hint_and_revoked() {
    for s in Server::each("tokens over http").await {
        let (_, admin) = s.workspace("acme").await;
        let made = s
            .post("/api/v1/tokens")
            .bearer(&admin.token)
            .json(&json!({"name": "reporting", "scope": "read"}))
            .send()
            .await;
        let body = made.ok(201).clone();
        let secret = body["token"].as_str().unwrap().to_owned();
        let id = body["id"].as_str().unwrap().to_owned();
        assert!(secret.starts_with("rpt_"));
        assert!(
            body["hint"]
                .as_str()
                .unwrap()
                .ends_with(&secret[secret.len() - 4..])
        );
        let me = s.get("/api/v1/me").bearer(&secret).send().await;
        assert_eq!(me.ok(200)["scope"], "read");
        let write = s
            .post("/api/v1/teams")
            .bearer(&secret)
            .json(&json!({"name": "X"}))
            .send()
            .await;
        assert_eq!(write.problem(403)["code"], "read_only_scope");
        let listed = s.get("/api/v1/tokens").bearer(&admin.token).send().await;
        assert!(
            !listed.text.contains(&secret),
            "a list never shows a secret"
        );
        let revoked = s
            .delete(&format!("/api/v1/tokens/{id}"))
            .bearer(&admin.token)
            .send()
            .await;
        assert_eq!(revoked.status.as_u16(), 204);
        s.get("/api/v1/me")
            .bearer(&secret)
            .send()
            .await
            .problem(401);
    }
}

#[tokio::test]
async fn the_audit_log_records_sign_ins_failures_and_changes() {
    for s in Server::each("audit over http").await {
        let (ws, admin) = s.workspace("acme").await;
        let rep = s.user(ws, "rep@acme.example", Role::Rep).await;
        s.post("/auth/login")
            .json(&json!({"email": "rep@acme.example", "password": "wrong wrong wrong"}))
            .send()
            .await
            .problem(401);
        s.post("/auth/login")
            .json(&json!({"email": "rep@acme.example", "password": PASSWORD}))
            .send()
            .await
            .ok(200);
        s.patch(&format!("/api/v1/users/{}", rep.id))
            .bearer(&admin.token)
            .json(&json!({"role": "manager"}))
            .send()
            .await
            .ok(200);
        let failed = s
            .get("/api/v1/audit?action=auth.login_failed")
            .bearer(&admin.token)
            .send()
            .await;
        let entries = failed.ok(200)["data"].as_array().unwrap().clone();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0]["actor_kind"], "anonymous");
        assert_eq!(entries[0]["detail"]["reason"], "wrong_password");
        let role = s
            .get("/api/v1/audit?action=user.role_changed")
            .bearer(&admin.token)
            .send()
            .await;
        let change = &role.ok(200)["data"][0];
        assert_eq!(
            change["changes"],
            json!([{"field": "role", "before": "rep", "after": "manager"}])
        );
        assert_eq!(change["actor_id"], admin.id.to_string());
        assert!(change["request_id"].as_str().is_some_and(|r| !r.is_empty()));
        let logins = s
            .get("/api/v1/audit?action=auth.login")
            .bearer(&admin.token)
            .send()
            .await;
        assert_eq!(logins.ok(200)["data"].as_array().map(Vec::len), Some(1));
        s.get("/api/v1/audit")
            .bearer(&rep.token)
            .send()
            .await
            .problem(403);
    }
}
