//! `/api/v1/views`: saved list views over the REST API.

use rapport_core::Role;
use serde_json::json;

use crate::support::{Server, fe};

#[tokio::test]
async fn a_view_is_saved_listed_renamed_and_deleted_by_its_owner_only() {
    for s in Server::each("views api").await {
        let (ws, admin) = s.workspace("acme").await;
        let rep = s.user(ws, "rep@acme.example.com", Role::Rep).await;
        let body = json!({"object_type": "opportunity", "name": "Big open deals",
            "query": "?filter[stage_kind][eq]=open&sort=-amount&cursor=abc&limit=5&cols=name,amount"});
        let res = s
            .post("/api/v1/views")
            .bearer(&admin.token)
            .json(&body)
            .send()
            .await;
        let v = res.ok(201).clone();
        let id = v["id"].as_str().unwrap().to_owned();
        assert_eq!(
            res.header("location"),
            Some(format!("/api/v1/views/{id}").as_str())
        );
        // Paging is not part of a view; the rest is kept in the list API's own syntax.
        assert_eq!(
            v["query"],
            "filter%5Bstage_kind%5D%5Beq%5D=open&sort=-amount&cols=name%2Camount"
        );
        let listed = s
            .get("/api/v1/views?object_type=opportunity")
            .bearer(&admin.token)
            .send()
            .await;
        assert_eq!(listed.ok(200)["data"][0]["name"], "Big open deals");
        let mine = s.get("/api/v1/views").bearer(&rep.token).send().await;
        assert_eq!(mine.ok(200)["data"], json!([]));
        let theirs = s
            .get(&format!("/api/v1/views/{id}"))
            .bearer(&rep.token)
            .send()
            .await;
        theirs.problem(404);
        let renamed = s
            .patch(&format!("/api/v1/views/{id}"))
            .bearer(&admin.token)
            .header("if-match", "\"1\"")
            .json(&json!({"name": "Largest open deals"}))
            .send()
            .await;
        assert_eq!(renamed.ok(200)["version"], 2);
        let stale = s
            .patch(&format!("/api/v1/views/{id}"))
            .bearer(&admin.token)
            .header("if-match", "\"1\"")
            .json(&json!({"name": "Again"}))
            .send()
            .await;
        stale.problem(412);
        let gone = s
            .delete(&format!("/api/v1/views/{id}"))
            .bearer(&rep.token)
            .send()
            .await;
        gone.problem(404);
        let gone = s
            .delete(&format!("/api/v1/views/{id}"))
            .bearer(&admin.token)
            .send()
            .await;
        assert_eq!(gone.status.as_u16(), 204);
    }
}

#[tokio::test]
async fn a_view_the_list_would_refuse_is_refused_naming_the_field() {
    for s in Server::each("views api bad input").await {
        let (_, admin) = s.workspace("acme").await;
        let cases = [
            (
                json!({"object_type": "planet", "name": "x", "query": ""}),
                fe("object", "invalid_value"),
            ),
            (
                json!({"object_type": "contact", "name": "", "query": ""}),
                fe("name", "required"),
            ),
            (
                json!({"object_type": "contact", "name": "x", "query": "filter[nope][eq]=1"}),
                fe("query", "invalid_value"),
            ),
            (
                json!({"object_type": "contact", "name": "x", "query": "sort=".to_owned() + &"a".repeat(5000)}),
                fe("query", "too_long"),
            ),
        ];
        for (body, want) in cases {
            let res = s
                .post("/api/v1/views")
                .bearer(&admin.token)
                .json(&body)
                .send()
                .await;
            assert_eq!(res.field_errors(), vec![want], "{body}");
        }
        s.post("/api/v1/views")
            .bearer(&admin.token)
            .json(&json!({"object_type": "contact", "name": "Same", "query": ""}))
            .send()
            .await
            .ok(201);
        let dup = s
            .post("/api/v1/views")
            .bearer(&admin.token)
            .json(&json!({"object_type": "contact", "name": "Same", "query": "sort=last_name"}))
            .send()
            .await;
        assert_eq!(dup.field_errors(), vec![fe("name", "taken")]);
        let res = s
            .post("/api/v1/views")
            .bearer(&admin.token)
            .json(&json!({"object_type": "contact", "name": "x", "user_id": "someone"}))
            .send()
            .await;
        assert_eq!(res.status.as_u16(), 422, "{}", res.text);
    }
}
