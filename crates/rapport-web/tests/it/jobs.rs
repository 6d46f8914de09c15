//! `/imports`, `/exports` and `/contacts/{id}/vcard` over HTTP.

use rapport_core::Role;
use serde_json::json;

use crate::support::Server;

async fn drain(s: &Server) {
    while rapport_app::jobs::run_next(&s.app, "test")
        .await
        .expect("job")
    {}
}

#[tokio::test]
async fn an_import_job_reports_progress_counts_and_errors_by_line_and_column() {
    for s in Server::each("import over http").await {
        let (_, admin) = s.workspace("acme").await;
        let res = s
            .post("/api/v1/imports?object=contacts&skip_bad_rows=true")
            .bearer(&admin.token)
            .raw(
                "text/csv",
                "Last name,E-mail\nNowak,anna@acme.example\nNg,not-an-email\n",
            )
            .send()
            .await;
        let job = res.ok(202).clone();
        assert_eq!(job["status"], "queued");
        let url = res.header("location").expect("location").to_owned();
        drain(&s).await;
        let done = s.get(&url).bearer(&admin.token).send().await;
        let done = done.ok(200);
        assert_eq!(done["status"], "succeeded", "{done}");
        assert_eq!(done["result"]["created"], 1);
        assert_eq!(done["progress"]["done"], 2);
        assert_eq!(
            done["errors"][0],
            json!({"line": 3, "column": "E-mail", "code": "invalid_format", "message": done["errors"][0]["message"]})
        );
    }
}

#[tokio::test]
async fn bad_import_requests_are_refused_with_a_clear_problem_and_store_nothing() {
    for s in Server::each("import bad input").await {
        let (_, admin) = s.workspace("acme").await;
        let csv = "last_name\nNowak\n";
        let cases = [
            ("/api/v1/imports", "text/csv", 400, "object"),
            (
                "/api/v1/imports?object=activities",
                "text/csv",
                400,
                "object",
            ),
            (
                "/api/v1/imports?object=contacts&mapping=nope",
                "text/csv",
                400,
                "mapping",
            ),
            (
                "/api/v1/imports?object=contacts&owner_id=x",
                "text/csv",
                400,
                "owner_id",
            ),
            (
                "/api/v1/imports?object=contacts&color=red",
                "text/csv",
                400,
                "color",
            ),
            (
                "/api/v1/imports?object=contacts",
                "application/json",
                415,
                "text/csv",
            ),
        ];
        for (url, ct, status, word) in cases {
            let res = s.post(url).bearer(&admin.token).raw(ct, csv).send().await;
            assert_eq!(res.status.as_u16(), status, "{url}: {}", res.text);
            assert!(
                res.problem(status)["detail"]
                    .as_str()
                    .unwrap()
                    .contains(word),
                "{}",
                res.text
            );
        }
        // A header that would set the owner fails the job before any row.
        let res = s
            .post("/api/v1/imports?object=contacts")
            .bearer(&admin.token)
            .raw("text/csv", "last_name,owner_id\nNowak,x\n")
            .send()
            .await;
        let url = res.header("location").expect("location").to_owned();
        drain(&s).await;
        let done = s.get(&url).bearer(&admin.token).send().await;
        assert_eq!(done.json["status"], "failed");
        assert_eq!(done.json["errors"][0]["column"], "owner_id");
        let list = s.get("/api/v1/contacts").bearer(&admin.token).send().await;
        assert_eq!(list.json["data"], json!([]));
    }
}

#[tokio::test]
async fn a_third_job_under_way_is_refused_with_429() {
    for s in Server::each("job cap").await {
        let (_, admin) = s.workspace("acme").await;
        for want in [202, 202, 429] {
            let res = s
                .post("/api/v1/exports")
                .bearer(&admin.token)
                .json(&json!({"object": "contacts"}))
                .send()
                .await;
            assert_eq!(res.status.as_u16(), want, "{}", res.text);
            if want == 429 {
                assert!(
                    res.problem(429)["detail"]
                        .as_str()
                        .unwrap()
                        .contains("2 imports or exports")
                );
            }
        }
        let bad = s
            .post("/api/v1/exports")
            .bearer(&admin.token)
            .json(&json!({"object": "contacts", "query": "filter[nope][eq]=1", "extra": 1}))
            .send()
            .await;
        assert_eq!(bad.status.as_u16(), 422, "{}", bad.text);
    }
}

#[tokio::test]
async fn an_export_downloads_as_neutralised_csv_only_for_its_creator_or_an_admin() {
    for s in Server::each("export over http").await {
        let (ws, admin) = s.workspace("acme").await;
        let rep = s.user(ws, "rep@acme.example", Role::Rep).await;
        let other = s.user(ws, "other@acme.example", Role::Rep).await;
        s.post("/api/v1/contacts")
            .bearer(&rep.token)
            .json(&json!({"last_name": "=1+1", "visibility": "workspace"}))
            .send()
            .await
            .ok(201);
        let res = s
            .post("/api/v1/exports")
            .bearer(&rep.token)
            .json(&json!({"object": "contacts", "query": "fields=last_name&sort=last_name"}))
            .send()
            .await;
        let id = res.ok(202)["id"].as_str().unwrap().to_owned();
        let file = format!("/api/v1/exports/{id}/file");
        assert_eq!(
            s.get(&file).bearer(&rep.token).send().await.status.as_u16(),
            409
        );
        drain(&s).await;
        let got = s.get(&file).bearer(&rep.token).send().await;
        assert_eq!(got.status.as_u16(), 200);
        assert!(got.header("content-type").unwrap().starts_with("text/csv"));
        assert!(got.text.contains("'=1+1"), "{}", got.text);
        assert_eq!(
            s.get(&file)
                .bearer(&admin.token)
                .send()
                .await
                .status
                .as_u16(),
            200
        );
        assert_eq!(
            s.get(&file)
                .bearer(&other.token)
                .send()
                .await
                .status
                .as_u16(),
            404
        );
        let bad = s
            .get("/api/v1/exports/not-an-id")
            .bearer(&rep.token)
            .send()
            .await;
        assert_eq!(bad.status.as_u16(), 404, "{}", bad.text);
    }
}

#[tokio::test]
async fn a_contact_vcard_is_escaped_and_folded() {
    for s in Server::each("vcard over http").await {
        let (_, admin) = s.workspace("acme").await;
        let long = "x".repeat(120);
        let c = s
            .post("/api/v1/contacts")
            .bearer(&admin.token)
            .json(&json!({"first_name": "Anna", "last_name": "Nowak, Jr.", "description": long}))
            .send()
            .await;
        let id = c.ok(201)["id"].as_str().unwrap().to_owned();
        let res = s
            .get(&format!("/api/v1/contacts/{id}/vcard"))
            .bearer(&admin.token)
            .send()
            .await;
        assert_eq!(res.status.as_u16(), 200, "{}", res.text);
        assert!(
            res.header("content-type")
                .unwrap()
                .starts_with("text/vcard")
        );
        assert!(
            res.text.contains("FN:Anna Nowak\\, Jr.\r\n"),
            "{}",
            res.text
        );
        assert!(res.text.split("\r\n").all(|l| l.len() <= 75));
        let missing = s
            .get("/api/v1/contacts/01900000-0000-7000-8000-000000000000/vcard")
            .bearer(&admin.token)
            .send()
            .await;
        assert_eq!(missing.status.as_u16(), 404);
    }
}
