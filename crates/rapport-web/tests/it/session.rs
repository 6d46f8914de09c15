//! Browser sessions: cookies, CSRF (SECURITY.md S7) and sign-in answers (S11).

use serde_json::json;

use crate::support::{PASSWORD, Res, Server};

async fn login(s: &Server) -> (String, String) {
    let res = s
        .post("/auth/login")
        .json(
            &json!({"workspace": "acme", "email": "admin@acme.example.com", "password": PASSWORD}),
        )
        .send()
        .await;
    res.ok(200);
    let cookie = res
        .header("set-cookie")
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_owned();
    let csrf = res.json["csrf_token"].as_str().unwrap().to_owned();
    (cookie, csrf)
}

#[tokio::test]
async fn signing_in_sets_a_strict_cookie_and_returns_a_csrf_token() {
    for s in Server::each("session cookie").await {
        s.workspace("acme").await;
        let res = s
            .post("/auth/login")
            .json(&json!({"workspace": "acme", "email": "ADMIN@acme.example.com", "password": PASSWORD}))
            .send()
            .await;
        let body = res.ok(200);
        assert_eq!(body["user"]["role"], "admin");
        assert_eq!(body["workspace"]["slug"], "acme");
        assert!(body["csrf_token"].as_str().is_some_and(|t| t.len() >= 40));
        let cookie = res.header("set-cookie").unwrap();
        assert!(cookie.starts_with("rapport_session="));
        assert!(
            cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Lax")
                && cookie.contains("Path=/")
        );
        assert!(!cookie.contains("Secure"), "plain HTTP in tests");
    }
}

#[tokio::test]
async fn unknown_users_and_wrong_passwords_get_identical_answers() {
    for s in Server::each("equal failures").await {
        s.workspace("acme").await;
        let attempt = |email: &str, password: &str, ip: &str| {
            s.post("/auth/login")
                .header("x-forwarded-for", ip)
                .json(&json!({"workspace": "acme", "email": email, "password": password}))
        };
        let unknown = attempt("ghost@acme.example.com", PASSWORD, "192.0.2.1")
            .send()
            .await;
        let wrong = attempt("admin@acme.example.com", "not the password!", "192.0.2.2")
            .send()
            .await;
        let no_ws = s
            .post("/auth/login")
            .json(&json!({"workspace": "nope", "email": "admin@acme.example.com", "password": PASSWORD}))
            .send()
            .await;
        for res in [&unknown, &wrong, &no_ws] {
            res.problem(401);
        }
        assert_eq!(unknown.json, wrong.json);
        assert_eq!(unknown.json, no_ws.json);
    }
}

#[tokio::test]
async fn logout_needs_the_csrf_token_and_a_same_origin_request() {
    for s in Server::each("logout csrf").await {
        s.workspace("acme").await;
        let (cookie, csrf) = login(&s).await;
        let attempts: Vec<(&str, Res)> = vec![
            (
                "no token",
                s.post("/auth/logout")
                    .header("cookie", &cookie)
                    .send()
                    .await,
            ),
            (
                "wrong token",
                s.post("/auth/logout")
                    .header("cookie", &cookie)
                    .header("x-csrf-token", "guess")
                    .send()
                    .await,
            ),
            (
                "foreign origin",
                s.post("/auth/logout")
                    .header("cookie", &cookie)
                    .header("x-csrf-token", &csrf)
                    .header("host", "rapport.example")
                    .header("origin", "https://evil.example")
                    .send()
                    .await,
            ),
            (
                "cross-site fetch",
                s.post("/auth/logout")
                    .header("cookie", &cookie)
                    .header("x-csrf-token", &csrf)
                    .header("sec-fetch-site", "cross-site")
                    .send()
                    .await,
            ),
            (
                "text/plain form",
                s.post("/auth/logout")
                    .header("cookie", &cookie)
                    .raw("text/plain", "x=1")
                    .send()
                    .await,
            ),
        ];
        for (what, res) in &attempts {
            assert_eq!(res.status.as_u16(), 403, "{what}: {}", res.text);
        }
        // GET changes nothing and is not a route for logging out.
        s.get("/auth/logout")
            .header("cookie", &cookie)
            .send()
            .await
            .problem(405);
        // The session survived every attempt. Each read of it carries the token masked
        // afresh (responses are compressed: a constant secret would leak through their
        // size), and a masked token is as good as the one sign-in returned.
        let mut seen = Vec::new();
        for _ in 0..2 {
            let now = s
                .get("/auth/session")
                .header("cookie", &cookie)
                .send()
                .await
                .ok(200)["csrf_token"]
                .as_str()
                .unwrap()
                .to_owned();
            assert_ne!(now, csrf);
            assert!(!seen.contains(&now), "the same masked token twice");
            seen.push(now);
        }
        let same_origin = s
            .post("/auth/logout")
            .header("cookie", &cookie)
            .header("x-csrf-token", &seen[1])
            .header("host", "rapport.example")
            .header("origin", "http://rapport.example")
            .send()
            .await;
        assert_eq!(same_origin.status.as_u16(), 204, "{}", same_origin.text);
        assert!(
            same_origin
                .header("set-cookie")
                .is_some_and(|c| c.contains("Max-Age=0"))
        );
        s.get("/auth/session")
            .header("cookie", &cookie)
            .send()
            .await
            .problem(401);
    }
}

#[tokio::test]
async fn a_sign_in_from_another_site_is_refused() {
    for s in Server::each("login csrf").await {
        s.workspace("acme").await;
        let res = s
            .post("/auth/login")
            .header("sec-fetch-site", "cross-site")
            .json(&json!({"email": "admin@acme.example.com", "password": PASSWORD}))
            .send()
            .await;
        res.problem(403);
    }
}

#[tokio::test]
async fn the_api_never_accepts_the_session_cookie() {
    for s in Server::each("api ignores cookies").await {
        s.workspace("acme").await;
        let (cookie, csrf) = login(&s).await;
        let res = s
            .get("/api/v1/me")
            .header("cookie", &cookie)
            .header("x-csrf-token", &csrf)
            .send()
            .await;
        res.problem(401);
    }
}

#[tokio::test]
async fn signing_in_again_replaces_the_old_session() {
    for s in Server::each("session rotation").await {
        s.workspace("acme").await;
        let (old, _) = login(&s).await;
        let again = s
            .post("/auth/login")
            .header("cookie", &old)
            .json(&json!({"email": "admin@acme.example.com", "password": PASSWORD}))
            .send()
            .await;
        again.ok(200);
        let new = again
            .header("set-cookie")
            .and_then(|c| c.split(';').next())
            .unwrap()
            .to_owned();
        assert_ne!(old, new);
        s.get("/auth/session")
            .header("cookie", &old)
            .send()
            .await
            .problem(401);
        s.get("/auth/session")
            .header("cookie", &new)
            .send()
            .await
            .ok(200);
    }
}

#[tokio::test]
async fn sign_in_bodies_are_checked() {
    for s in Server::each("login bodies").await {
        s.workspace("acme").await;
        s.workspace("other").await;
        let res = s
            .post("/auth/login")
            .raw("application/x-www-form-urlencoded", "email=a&password=b")
            .send()
            .await;
        res.problem(415);
        let res = s
            .post("/auth/login")
            .json(&json!({"email": "admin@acme.example.com"}))
            .send()
            .await;
        assert_eq!(
            res.field_errors(),
            vec![crate::support::fe("password", "required")]
        );
        let res = s
            .post("/auth/login")
            .json(&json!({"email": "admin@acme.example.com", "password": PASSWORD}))
            .send()
            .await;
        assert_eq!(
            res.field_errors(),
            vec![crate::support::fe("workspace", "required")],
            "two workspaces: say which"
        );
    }
}
