//! DESIGN §6 bad inputs, endpoint by endpoint: each gets a precise problem and changes
//! nothing.

use std::time::Duration;

use rapport_core::Role;
use serde_json::json;

use crate::support::{PASSWORD, Server, fe};

async fn user_count(s: &Server, token: &str) -> usize {
    s.get("/api/v1/users?limit=200")
        .bearer(token)
        .send()
        .await
        .ok(200)["data"]
        .as_array()
        .map_or(0, Vec::len)
}

#[tokio::test]
async fn user_bodies_are_checked_field_by_field_and_nothing_is_stored_on_error() {
    for s in Server::each("user body errors").await {
        let (_, admin) = s.workspace("acme").await;
        let before = user_count(&s, &admin.token).await;
        let long = "x".repeat(201);
        let cases = [
            (
                json!({"email": 5, "role": "rep"}),
                vec![fe("email", "wrong_type")],
            ),
            (json!({"role": "rep"}), vec![fe("email", "required")]),
            (
                json!({"email": "a@example.com"}),
                vec![fe("role", "required")],
            ),
            (
                json!({"email": "a@example.com", "role": "superuser"}),
                vec![fe("role", "invalid_value")],
            ),
            (
                json!({"email": "a@example.com", "role": "rep", "is_admin": true}),
                vec![fe("is_admin", "unknown_field")],
            ),
            (
                json!({"email": "a@example.com", "role": "rep", "workspace_id": "x", "id": "y", "version": 3}),
                vec![
                    fe("id", "read_only"),
                    fe("version", "read_only"),
                    fe("workspace_id", "read_only"),
                ],
            ),
            (
                json!({"email": "a@example.com", "role": "rep", "password_hash": "$argon2id$"}),
                vec![fe("password_hash", "read_only")],
            ),
            (
                json!({"email": "not-an-email", "role": "rep"}),
                vec![fe("email", "invalid_format")],
            ),
            (
                json!({"email": format!("{}@example.com", "a".repeat(300)), "role": "rep"}),
                vec![fe("email", "too_long")],
            ),
            (
                json!({"email": "a@example.com", "role": "rep", "display_name": long}),
                vec![fe("display_name", "too_long")],
            ),
            (
                json!({"email": "a@example.com", "role": "rep", "display_name": null}),
                vec![fe("display_name", "wrong_type")],
            ),
            (
                json!({"email": "a@example.com", "role": "rep", "team_id": "nope"}),
                vec![fe("team_id", "invalid_format")],
            ),
            (
                json!({"email": "a@example.com", "role": "rep", "password": "password123"}),
                vec![fe("password", "weak_password")],
            ),
            (
                json!({"email": "a@example.com", "role": "rep", "locale": "de", "time_zone": "Mars/Base"}),
                vec![
                    fe("locale", "invalid_value"),
                    fe("time_zone", "invalid_value"),
                ],
            ),
            (
                json!({"email": "admin@acme.example.com", "role": "rep", "password": PASSWORD}),
                vec![fe("email", "taken")],
            ),
        ];
        for (body, expected) in cases {
            let res = s
                .post("/api/v1/users")
                .bearer(&admin.token)
                .json(&body)
                .send()
                .await;
            assert_eq!(res.field_errors(), expected, "{}: {body}", s.backend());
        }
        assert_eq!(
            user_count(&s, &admin.token).await,
            before,
            "a refused body must store nothing"
        );
    }
}

#[tokio::test]
async fn malformed_bodies_and_wrong_content_types_are_refused() {
    for s in Server::each("malformed bodies").await {
        let (_, admin) = s.workspace("acme").await;
        for raw in [
            "",
            "{",
            "[1,2]",
            "\"text\"",
            "{\"email\": \"a@b.c\",}",
            "nul\u{0}",
        ] {
            let res = s
                .post("/api/v1/teams")
                .bearer(&admin.token)
                .raw("application/json", raw)
                .send()
                .await;
            res.problem(400);
        }
        for ct in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/xml",
        ] {
            let res = s
                .post("/api/v1/teams")
                .bearer(&admin.token)
                .raw(ct, "{\"name\": \"x\"}")
                .send()
                .await;
            res.problem(415);
        }
        let res = s.post("/api/v1/teams").bearer(&admin.token).send().await;
        res.problem(415);
        let ok = s
            .post("/api/v1/teams")
            .bearer(&admin.token)
            .raw("application/json; charset=utf-8", "{\"name\": \"Sales\"}")
            .send()
            .await;
        ok.ok(201);
    }
}

#[tokio::test]
async fn oversize_bodies_are_refused_before_they_are_read() {
    for s in Server::each("oversize").await {
        let (_, admin) = s.workspace("acme").await;
        let big = format!("{{\"name\": \"{}\"}}", "x".repeat(2 * 1024 * 1024));
        let res = s
            .post("/api/v1/teams")
            .bearer(&admin.token)
            .raw("application/json", big.clone())
            .send()
            .await;
        res.problem(413);
        // Without a declared length (streamed), the reader stops at the limit.
        let stream = futures_body(big);
        let res = s
            .post("/api/v1/teams")
            .bearer(&admin.token)
            .raw("application/json", stream)
            .send()
            .await;
        res.problem(413);
    }
}

fn futures_body(text: String) -> axum::body::Body {
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = text
        .into_bytes()
        .chunks(64 * 1024)
        .map(|c| Ok(c.to_vec()))
        .collect();
    axum::body::Body::from_stream(futures_util::stream::iter(chunks))
}

#[tokio::test]
async fn bad_credentials_are_401_with_a_challenge() {
    for s in Server::each("bad credentials").await {
        let (ws, admin) = s.workspace("acme").await;
        let mangled = format!("{}x", admin.token);
        for auth in [
            None,
            Some("Bearer".to_owned()),
            Some("Bearer ".to_owned()),
            Some("Basic YWRtaW46YWRtaW4=".to_owned()),
            Some("Bearer rpt_garbage".to_owned()),
            Some(format!("Bearer {mangled}")),
            Some(format!("Token {}", admin.token)),
            Some("Bearer ' OR 1=1 --".to_owned()),
        ] {
            let mut req = s.get("/api/v1/me");
            if let Some(a) = &auth {
                req = req.header("authorization", a);
            }
            let res = req.send().await;
            res.problem(401);
            assert_eq!(
                res.header("www-authenticate"),
                Some("Bearer realm=\"rapport\""),
                "{auth:?}"
            );
        }
        // Expired tokens.
        let soon = s
            .app
            .now()
            .saturating_add(Duration::from_secs(30))
            .to_rfc3339();
        let t = s
            .post("/api/v1/tokens")
            .bearer(&admin.token)
            .json(&json!({"name": "short", "scope": "read", "expires_at": soon}))
            .send()
            .await;
        let short = t.ok(201)["token"].as_str().unwrap().to_owned();
        s.get("/api/v1/me").bearer(&short).send().await.ok(200);
        s.clock.advance(Duration::from_secs(31));
        s.get("/api/v1/me").bearer(&short).send().await.problem(401);
        // Disabled users.
        let rep = s.user(ws, "rep@acme.example", Role::Rep).await;
        s.get("/api/v1/me").bearer(&rep.token).send().await.ok(200);
        s.patch(&format!("/api/v1/users/{}", rep.id))
            .bearer(&admin.token)
            .json(&json!({"enabled": false}))
            .send()
            .await
            .ok(200);
        s.get("/api/v1/me")
            .bearer(&rep.token)
            .send()
            .await
            .problem(401);
    }
}

#[tokio::test]
async fn token_bodies_are_checked() {
    for s in Server::each("token body errors").await {
        let (_, admin) = s.workspace("acme").await;
        let cases = [
            (json!({"name": "x"}), vec![fe("scope", "required")]),
            (
                json!({"name": "x", "scope": "admin"}),
                vec![fe("scope", "invalid_value")],
            ),
            (
                json!({"name": "x", "scope": "read", "expires_at": "tomorrow"}),
                vec![fe("expires_at", "invalid_format")],
            ),
            (
                json!({"name": "x", "scope": "read", "expires_at": "2001-01-01T00:00:00Z"}),
                vec![fe("expires_at", "invalid_value")],
            ),
            (
                json!({"name": "", "scope": "read"}),
                vec![fe("name", "required")],
            ),
            (
                json!({"name": "x", "scope": "read", "user_id": admin.id.to_string()}),
                vec![fe("user_id", "read_only")],
            ),
        ];
        for (body, expected) in cases {
            let res = s
                .post("/api/v1/tokens")
                .bearer(&admin.token)
                .json(&body)
                .send()
                .await;
            assert_eq!(res.field_errors(), expected, "{body}");
        }
    }
}

#[tokio::test]
async fn bad_queries_cursors_ids_and_preconditions_are_explained() {
    for s in Server::each("bad queries").await {
        let (_, admin) = s.workspace("acme").await;
        for q in [
            "limit=abc",
            "limit=-1",
            "limit=1.5",
            "cursor=%%%",
            "cursor=bm90LWEtY3Vyc29y",
            "foo=1",
            "sort=email",
        ] {
            let res = s
                .get(&format!("/api/v1/users?{q}"))
                .bearer(&admin.token)
                .send()
                .await;
            res.problem(400);
        }
        let clamped = s
            .get("/api/v1/users?limit=100000")
            .bearer(&admin.token)
            .send()
            .await;
        clamped.ok(200);
        let zero = s
            .get("/api/v1/users?limit=0")
            .bearer(&admin.token)
            .send()
            .await;
        assert_eq!(
            zero.ok(200)["data"].as_array().map(Vec::len),
            Some(1),
            "limit 0 is raised to 1"
        );
        for id in [
            "not-a-uuid",
            "1",
            "'%20OR%201=1--",
            "..%2F..%2Fetc%2Fpasswd",
        ] {
            s.get(&format!("/api/v1/users/{id}"))
                .bearer(&admin.token)
                .send()
                .await
                .problem(404);
        }
        let me = admin.id;
        let bad_etag = s
            .patch(&format!("/api/v1/users/{me}"))
            .bearer(&admin.token)
            .header("if-match", "yesterday")
            .json(&json!({"display_name": "X"}))
            .send()
            .await;
        bad_etag.problem(400);
        let stale = s
            .patch(&format!("/api/v1/users/{me}"))
            .bearer(&admin.token)
            .header("if-match", "\"99\"")
            .json(&json!({"display_name": "X"}))
            .send()
            .await;
        stale.problem(412);
        s.get("/api/v1/nowhere")
            .bearer(&admin.token)
            .send()
            .await
            .problem(404);
        s.req(axum::http::Method::PUT, "/api/v1/users")
            .bearer(&admin.token)
            .send()
            .await
            .problem(405);
        s.delete(&format!("/api/v1/users/{me}"))
            .bearer(&admin.token)
            .send()
            .await
            .problem(405);
    }
}

#[tokio::test]
async fn markup_and_sql_metacharacters_are_stored_and_returned_as_data() {
    for s in Server::each("hostile text").await {
        let (_, admin) = s.workspace("acme").await;
        let nasty =
            "Robert'); DROP TABLE users;-- <img src=x onerror=alert(1)> \\ \" ${7*7} {{7*7}}";
        let res = s
            .post("/api/v1/users")
            .bearer(&admin.token)
            .json(&json!({"email": "bobby@example.com", "role": "rep", "display_name": nasty, "password": PASSWORD}))
            .send()
            .await;
        let id = res.ok(201)["id"].as_str().unwrap().to_owned();
        let back = s
            .get(&format!("/api/v1/users/{id}"))
            .bearer(&admin.token)
            .send()
            .await;
        assert_eq!(back.ok(200)["display_name"], nasty);
        assert_eq!(back.header("content-type"), Some("application/json"));
        let team = s
            .post("/api/v1/teams")
            .bearer(&admin.token)
            .json(&json!({"name": "'; --"}))
            .send()
            .await;
        assert_eq!(team.ok(201)["name"], "'; --");
        assert!(
            user_count(&s, &admin.token).await >= 2,
            "the users table is still there"
        );
    }
}

#[tokio::test]
async fn brute_force_sign_in_is_limited_with_retry_after() {
    for s in Server::each("brute force").await {
        s.workspace("acme").await;
        let mut statuses = Vec::new();
        let mut retry_after = None;
        for _ in 0..100 {
            let res = s
                .post("/auth/login")
                .header("x-forwarded-for", "198.51.100.77")
                .json(&json!({"workspace": "acme", "email": "admin@acme.example.com", "password": "guess guess guess"}))
                .send()
                .await;
            if res.status.as_u16() == 429 {
                retry_after = res.header("retry-after").map(str::to_owned);
            }
            statuses.push(res.status.as_u16());
        }
        let limited = statuses.iter().filter(|s| **s == 429).count();
        assert_eq!(&statuses[..10], &[401; 10]);
        assert!(
            limited >= 90,
            "{}: only {limited} of 100 were limited",
            s.backend()
        );
        assert!(
            retry_after
                .and_then(|r| r.parse::<u64>().ok())
                .is_some_and(|r| (1..=60).contains(&r))
        );
    }
}
