//! `/api/v1/exchange-rates` and `/api/v1/pipelines/{id}/totals` over the REST API.

use axum::http::Method;
use rapport_core::Role;
use serde_json::json;

use crate::support::{Server, fe};

#[tokio::test]
async fn rates_are_put_read_paged_and_deleted_and_the_totals_convert_with_them() {
    for s in Server::each("exchange rates api").await {
        let (ws, admin) = s.workspace("acme").await;
        let rep = s.user(ws, "rep@acme.example.com", Role::Rep).await;
        let put = |path: &str, body: serde_json::Value, token: &str| {
            s.req(Method::PUT, path).bearer(token).json(&body).send()
        };

        // Every wrong part is named: the path's currency and day, the body's rate.
        let bad = put(
            "/api/v1/exchange-rates/usd/2026-13-01",
            json!({"rate": "-1"}),
            &admin.token,
        )
        .await;
        assert_eq!(
            bad.field_errors(),
            [
                fe("currency", "invalid_value"),
                fe("valid_from", "invalid_format"),
                fe("rate", "invalid_format")
            ]
        );
        let base = put(
            "/api/v1/exchange-rates/EUR/2026-01-01",
            json!({"rate": "1"}),
            &admin.token,
        )
        .await;
        assert_eq!(base.field_errors(), [fe("currency", "invalid_value")]);
        let extra = put(
            "/api/v1/exchange-rates/USD/2026-01-01",
            json!({"rate": "0.9", "currency": "GBP"}),
            &admin.token,
        )
        .await;
        assert_eq!(extra.status.as_u16(), 422, "{}", extra.text);
        put(
            "/api/v1/exchange-rates/USD/2026-01-01",
            json!({"rate": "0.9"}),
            &rep.token,
        )
        .await
        .problem(403);

        let created = put(
            "/api/v1/exchange-rates/USD/2026-01-01",
            json!({"rate": "0.90"}),
            &admin.token,
        )
        .await;
        let body = created.ok(201).clone();
        assert_eq!(
            created.header("location"),
            Some("/api/v1/exchange-rates/USD/2026-01-01")
        );
        assert_eq!(body["rate"], "0.9");
        assert_eq!(body["base_currency"], "EUR");
        let replaced = put(
            "/api/v1/exchange-rates/USD/2026-01-01",
            json!({"rate": "0.92"}),
            &admin.token,
        )
        .await;
        assert_eq!(replaced.ok(200)["rate"], "0.92");
        for (c, d, r) in [("GBP", "2026-01-01", "1.15"), ("USD", "2026-06-01", "0.95")] {
            put(
                &format!("/api/v1/exchange-rates/{c}/{d}"),
                json!({"rate": r}),
                &admin.token,
            )
            .await
            .ok(201);
        }
        let got = s
            .get("/api/v1/exchange-rates/USD/2026-06-01")
            .bearer(&rep.token)
            .send()
            .await;
        assert_eq!(got.ok(200)["rate"], "0.95");
        s.get("/api/v1/exchange-rates/USD/2026-06-02")
            .bearer(&rep.token)
            .send()
            .await
            .problem(404);
        s.get("/api/v1/exchange-rates/XYZ/2026-06-01")
            .bearer(&rep.token)
            .send()
            .await
            .problem(404);

        // Paged by currency, newest first within each.
        let mut seen = Vec::new();
        let mut next = "/api/v1/exchange-rates?limit=2".to_owned();
        loop {
            let page = s.get(&next).bearer(&rep.token).send().await;
            let page = page.ok(200);
            for r in page["data"].as_array().unwrap() {
                seen.push(format!("{} {}", r["currency"], r["valid_from"]).replace('"', ""));
            }
            match page["next_cursor"].as_str() {
                Some(c) => next = format!("/api/v1/exchange-rates?limit=2&cursor={c}"),
                None => break,
            }
        }
        assert_eq!(seen, ["GBP 2026-01-01", "USD 2026-06-01", "USD 2026-01-01"]);
        let only = s
            .get("/api/v1/exchange-rates?currency=GBP")
            .bearer(&rep.token)
            .send()
            .await;
        assert_eq!(only.ok(200)["data"].as_array().unwrap().len(), 1);
        s.get("/api/v1/exchange-rates?currency=GBPX")
            .bearer(&rep.token)
            .send()
            .await
            .problem(400);
        s.get("/api/v1/exchange-rates?cursor=nonsense")
            .bearer(&rep.token)
            .send()
            .await
            .problem(400);

        // Totals of the pipeline, converted at the rates of the day asked for.
        for (name, amount, currency) in [
            ("E", "1000.00", "EUR"),
            ("D", "200.00", "USD"),
            ("Y", "5000", "JPY"),
        ] {
            s.post("/api/v1/opportunities")
                .bearer(&admin.token)
                .json(&json!({"name": name, "amount": {"amount": amount, "currency": currency}, "probability": 50}))
                .send()
                .await
                .ok(201);
        }
        let pipeline = s.get("/api/v1/pipelines").bearer(&rep.token).send().await;
        let pipeline = pipeline.ok(200)[0]["id"].as_str().unwrap().to_owned();
        let totals = |on: &str| {
            let path = format!("/api/v1/pipelines/{pipeline}/totals?on={on}");
            let token = admin.token.clone();
            let s = &s;
            async move { s.get(&path).bearer(&token).send().await }
        };
        let march = totals("2026-03-01").await;
        let march = march.ok(200);
        assert_eq!(march["base_currency"], "EUR");
        assert_eq!(march["rates_on"], "2026-03-01");
        assert_eq!(march["all"]["count"], 3);
        assert_eq!(
            march["all"]["total"],
            json!({"amount": "1184.00", "currency": "EUR"}),
            "1000 EUR + 200 USD × 0.92"
        );
        assert_eq!(march["all"]["weighted"]["amount"], "592.00");
        assert_eq!(
            march["all"]["unconverted"],
            json!([{"count": 1, "total": {"amount": "5000", "currency": "JPY"},
                    "weighted": {"amount": "2500", "currency": "JPY"}}])
        );
        assert_eq!(march["stages"][0]["total"]["amount"], "1184.00");
        assert_eq!(march["stages"][1]["count"], 0);
        let july = totals("2026-07-01").await;
        assert_eq!(july.ok(200)["all"]["total"]["amount"], "1190.00");
        totals("2026-02-30").await.problem(400);
        s.get(&format!("/api/v1/pipelines/{pipeline}/totals?sort=name"))
            .bearer(&admin.token)
            .send()
            .await
            .problem(400);
        // The rep sees none of the admin's private deals... but these are workspace-visible.
        let reps = s
            .get(&format!(
                "/api/v1/pipelines/{pipeline}/totals?on=2026-03-01&filter[owner_id][eq]={}",
                uuid::Uuid::nil()
            ))
            .bearer(&rep.token)
            .send()
            .await;
        assert_eq!(reps.ok(200)["all"]["count"], 0);

        let gone = s
            .delete("/api/v1/exchange-rates/USD/2026-06-01")
            .bearer(&admin.token)
            .send()
            .await;
        assert_eq!(gone.status.as_u16(), 204);
        assert_eq!(
            totals("2026-07-01").await.ok(200)["all"]["total"]["amount"],
            "1184.00",
            "the older rate is in force again"
        );
        s.delete("/api/v1/exchange-rates/USD/2026-06-01")
            .bearer(&admin.token)
            .send()
            .await
            .problem(404);
    }
}
