//! SECURITY.md S13 and the operational headers, on every kind of answer.

use rapport_core::Role;
use rapport_web::WebConfig;
use serde_json::json;

use crate::support::Server;

fn assert_security_headers(res: &crate::support::Res, what: &str) {
    let csp = res.header("content-security-policy").unwrap_or_default();
    for directive in [
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "script-src 'self'",
    ] {
        assert!(
            csp.contains(directive),
            "{what}: CSP lacks {directive}: {csp}"
        );
    }
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
        "{what}: {csp}"
    );
    assert_eq!(
        res.header("x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(res.header("referrer-policy"), Some("same-origin"), "{what}");
    assert_eq!(res.header("x-frame-options"), Some("DENY"), "{what}");
    assert!(
        res.header("x-request-id").is_some_and(|id| !id.is_empty()),
        "{what}"
    );
}

#[tokio::test]
async fn every_kind_of_answer_carries_the_security_headers_and_a_request_id() {
    for s in Server::each("security headers").await {
        let (_, admin) = s.workspace("acme").await;
        let big = "x".repeat(2 * 1024 * 1024);
        let answers = [
            ("200", s.get("/api/v1/me").bearer(&admin.token).send().await),
            ("401", s.get("/api/v1/me").send().await),
            ("404", s.get("/nope").send().await),
            (
                "405",
                s.req(axum::http::Method::PUT, "/healthz").send().await,
            ),
            (
                "413",
                s.post("/api/v1/teams")
                    .bearer(&admin.token)
                    .raw("application/json", big)
                    .send()
                    .await,
            ),
            ("healthz", s.get("/healthz").send().await),
            ("openapi", s.get("/api/v1/openapi.json").send().await),
        ];
        for (what, res) in &answers {
            assert_security_headers(res, what);
        }
        assert!(
            answers[0].1.header("strict-transport-security").is_none(),
            "no HSTS over plain HTTP"
        );
    }
}

#[tokio::test]
async fn request_ids_are_kept_when_plain_and_replaced_when_not() {
    for s in Server::each("request ids").await {
        let kept = s
            .get("/healthz")
            .header("x-request-id", "trace-abc_123.4")
            .send()
            .await;
        assert_eq!(kept.header("x-request-id"), Some("trace-abc_123.4"));
        for hostile in ["a b", "<script>", &"x".repeat(65), "id\tinjected"] {
            let res = s
                .get("/healthz")
                .header("x-request-id", hostile)
                .send()
                .await;
            let id = res.header("x-request-id").unwrap_or_default();
            assert_ne!(id, hostile);
            assert!(uuid::Uuid::try_parse(id).is_ok(), "{id}");
        }
    }
}

#[tokio::test]
async fn cross_origin_calls_are_denied_unless_an_origin_is_configured() {
    for s in Server::each("cors default").await {
        let pre = s
            .req(axum::http::Method::OPTIONS, "/api/v1/me")
            .header("origin", "https://evil.example")
            .header("access-control-request-method", "GET")
            .send()
            .await;
        assert!(
            pre.header("access-control-allow-origin").is_none(),
            "{:?}",
            pre.headers
        );
    }
    let config = WebConfig {
        cors_origins: vec!["https://app.example".to_owned()],
        ..WebConfig::default()
    };
    for s in Server::each_with("cors configured", config).await {
        let allowed = s
            .req(axum::http::Method::OPTIONS, "/api/v1/me")
            .header("origin", "https://app.example")
            .header("access-control-request-method", "GET")
            .send()
            .await;
        assert_eq!(
            allowed.header("access-control-allow-origin"),
            Some("https://app.example")
        );
        let denied = s
            .req(axum::http::Method::OPTIONS, "/api/v1/me")
            .header("origin", "https://evil.example")
            .header("access-control-request-method", "GET")
            .send()
            .await;
        assert!(denied.header("access-control-allow-origin").is_none());
    }
}

#[tokio::test]
async fn over_tls_cookies_are_host_prefixed_and_secure_with_hsts() {
    let config = WebConfig {
        secure_cookies: true,
        ..WebConfig::default()
    };
    for s in Server::each_with("secure cookies", config).await {
        s.workspace("acme").await;
        let res = s
            .post("/auth/login")
            .json(&json!({"email": "admin@acme.example.com", "password": crate::support::PASSWORD}))
            .send()
            .await;
        res.ok(200);
        let cookie = res.header("set-cookie").unwrap_or_default();
        assert!(cookie.starts_with("__Host-rapport_session="), "{cookie}");
        for flag in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(cookie.contains(flag), "{cookie} lacks {flag}");
        }
        assert!(
            !cookie.contains("Domain"),
            "__Host- cookies must not name a domain"
        );
        assert!(res.header("strict-transport-security").is_some());
    }
}

#[tokio::test]
async fn metrics_are_for_admin_tokens_on_the_main_address() {
    for s in Server::each("metrics").await {
        let (ws, admin) = s.workspace("acme").await;
        let rep = s.user(ws, "rep@acme.example", Role::Rep).await;
        s.get("/healthz").send().await;
        s.get("/metrics").send().await.problem(401);
        s.get("/metrics")
            .bearer(&rep.token)
            .send()
            .await
            .problem(403);
        let ok = s.get("/metrics").bearer(&admin.token).send().await;
        assert_eq!(ok.status.as_u16(), 200);
        assert!(
            ok.header("content-type")
                .is_some_and(|c| c.starts_with("text/plain"))
        );
        assert!(
            ok.text.contains("rapport_http_requests_total"),
            "{}",
            ok.text
        );
        assert!(
            ok.text.contains("route=\"/healthz\""),
            "labels use the route template"
        );
    }
    let config = WebConfig {
        metrics_on_main: false,
        ..WebConfig::default()
    };
    for s in Server::each_with("metrics elsewhere", config).await {
        let (_, admin) = s.workspace("acme").await;
        s.get("/metrics")
            .bearer(&admin.token)
            .send()
            .await
            .problem(404);
    }
}

#[tokio::test]
async fn health_and_readiness() {
    for s in Server::each("health").await {
        assert_eq!(s.get("/healthz").send().await.ok(200)["status"], "ok");
        assert_eq!(s.get("/readyz").send().await.ok(200)["status"], "ok");
    }
}
