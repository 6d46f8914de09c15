//! Purchase history import and analytics over HTTP: every endpoint, bad input by name, and
//! the access rules (workspace analytics for admins, record figures by record visibility).

use rapport_core::Role;
use serde_json::json;

use crate::support::Server;

const CDNOW: &str = include_str!("../../../../testdata/CDNOW_sample.txt");

#[tokio::test]
async fn the_cdnow_sample_goes_through_import_fit_and_every_analytics_endpoint() {
    for s in Server::each("analytics endpoints").await {
        let (ws, admin) = s.workspace("shop").await;
        let t = &admin.token;
        let imported = s
            .post("/api/v1/transactions/import?format=cdnow")
            .bearer(t)
            .raw("text/csv", CDNOW)
            .send()
            .await;
        let report = imported.ok(200);
        assert_eq!(report["imported"], 6919, "{}", s.backend());
        assert_eq!(report["contacts_created"], 2357);

        let fit = s
            .post("/api/v1/analytics/fit")
            .bearer(t)
            .json(&json!({"calibration_end": "1997-09-30"}))
            .send()
            .await;
        let bg = fit.ok(200)["models"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["kind"] == "bgnbd")
            .unwrap()
            .clone();
        assert_eq!(
            (bg["params"]["r"].as_f64().unwrap() * 1000.0).round(),
            243.0
        );

        let models = s.get("/api/v1/analytics/models").bearer(t).send().await;
        assert_eq!(models.ok(200)["data"].as_array().unwrap().len(), 4);

        let preds = s
            .get("/api/v1/analytics/predictions?limit=5&sort=p_alive")
            .bearer(t)
            .send()
            .await;
        let page = &preds.ok(200)["page"];
        assert_eq!(
            (
                page["total"].as_u64(),
                page["items"].as_array().unwrap().len()
            ),
            (Some(2357), 5)
        );
        let best = page["items"][0]["customer_id"].as_str().unwrap().to_owned();

        let rfm = s
            .get("/api/v1/analytics/rfm?segment=champions&limit=3")
            .bearer(t)
            .send()
            .await;
        let rfm = rfm.ok(200);
        assert_eq!(rfm["customers"], 2357);
        assert_eq!(rfm["page"]["total"], rfm["segments"]["champions"]);

        let cohorts = s.get("/api/v1/analytics/cohorts").bearer(t).send().await;
        assert_eq!(cohorts.ok(200)["data"].as_array().unwrap().len(), 3);

        let churn = s
            .get(
                "/api/v1/analytics/churn?calibration_end=1997-09-30&holdout_end=1998-06-30&limit=3",
            )
            .bearer(t)
            .send()
            .await;
        assert!(churn.ok(200)["evaluation"]["auc"].as_f64().unwrap() > 0.7);

        let own = s
            .get(&format!("/api/v1/contacts/{best}/analytics"))
            .bearer(t)
            .send()
            .await;
        let own = own.ok(200);
        assert!(own["prediction"]["clv"].as_f64().unwrap() > 0.0, "{own}");
        assert!(own["rfm"]["segment"].is_string());

        // A rep sees the (workspace-visible) contact's figures but no workspace analytics.
        let rep = s.user(ws, "rep@shop.example", Role::Rep).await;
        s.get(&format!("/api/v1/contacts/{best}/analytics"))
            .bearer(&rep.token)
            .send()
            .await
            .ok(200);
        for path in ["predictions", "rfm", "cohorts", "churn", "models"] {
            s.get(&format!("/api/v1/analytics/{path}"))
                .bearer(&rep.token)
                .send()
                .await
                .problem(403);
        }
    }
}

#[tokio::test]
async fn bad_analytics_input_is_refused_naming_the_parameter() {
    for s in Server::each("analytics bad input").await {
        let (_, admin) = s.workspace("shop").await;
        let t = &admin.token;
        let none = s
            .post("/api/v1/analytics/fit")
            .bearer(t)
            .json(&json!({}))
            .send()
            .await;
        assert_eq!(none.field_errors()[0].0, "transactions");
        let bad_rows = s
            .post("/api/v1/transactions/import")
            .bearer(t)
            .raw("text/csv", "customer,date,amount\nc1,2024-01-02,ten\n")
            .send()
            .await;
        let report = bad_rows.ok(422);
        assert_eq!(report["committed"], false);
        assert_eq!(report["errors"][0]["line"], 2);
        assert_eq!(report["errors"][0]["column"], "amount");
        let as_json = s
            .post("/api/v1/transactions/import")
            .bearer(t)
            .json(&json!({}))
            .send()
            .await;
        as_json.problem(415);
        s.post("/api/v1/transactions/import")
            .bearer(t)
            .raw(
                "text/csv",
                "customer,date,amount\nc1,2024-01-02,10\nc1,2024-02-02,12\nc2,2024-01-05,7\n",
            )
            .send()
            .await
            .ok(200);
        let late = s
            .post("/api/v1/analytics/fit")
            .bearer(t)
            .json(&json!({"calibration_end": "2030-01-01"}))
            .send()
            .await;
        assert_eq!(late.field_errors()[0].0, "calibration_end");
        let zero = s
            .get("/api/v1/analytics/predictions?horizon_weeks=0")
            .bearer(t)
            .send()
            .await;
        assert_eq!(zero.field_errors()[0].0, "horizon_weeks");
        let customer = s
            .get("/api/v1/analytics/rfm?customer=lead")
            .bearer(t)
            .send()
            .await;
        assert_eq!(customer.field_errors()[0].0, "customer");
        let day = s
            .get("/api/v1/analytics/cohorts?through=June")
            .bearer(t)
            .send()
            .await;
        assert_eq!(day.field_errors()[0].0, "through");
    }
}

#[tokio::test]
async fn a_rep_gets_not_found_for_figures_of_a_contact_they_cannot_see() {
    for s in Server::each("analytics record policy").await {
        let (ws, admin) = s.workspace("shop").await;
        let rep = s.user(ws, "rep@shop.example", Role::Rep).await;
        let private = s
            .post("/api/v1/contacts")
            .bearer(&admin.token)
            .json(&json!({"last_name": "Hidden", "visibility": "private"}))
            .send()
            .await;
        let id = private.ok(201)["id"].as_str().unwrap().to_owned();
        s.get(&format!("/api/v1/contacts/{id}/analytics"))
            .bearer(&admin.token)
            .send()
            .await
            .ok(200);
        s.get(&format!("/api/v1/contacts/{id}/analytics"))
            .bearer(&rep.token)
            .send()
            .await
            .problem(404);
    }
}
