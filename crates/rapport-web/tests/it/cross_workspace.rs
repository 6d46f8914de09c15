//! SECURITY.md S2: another workspace's ids get the same answer as ids that do not exist, and
//! nothing about them leaks into lists.

use rapport_core::Role;
use serde_json::json;

use crate::support::Server;

#[tokio::test]
async fn another_workspaces_records_are_not_found_and_unchanged() {
    for s in Server::each("cross-workspace").await {
        let (ws_a, admin_a) = s.workspace("alpha").await;
        let rep_a = s.user(ws_a, "rep@alpha.example", Role::Rep).await;
        let (_, admin_b) = s.workspace("beta").await;
        let team = s
            .post("/api/v1/teams")
            .bearer(&admin_a.token)
            .json(&json!({"name": "Sales"}))
            .send()
            .await;
        let team_id = team.ok(201)["id"].as_str().unwrap().to_owned();
        let tokens = s.get("/api/v1/tokens").bearer(&admin_a.token).send().await;
        let token_id = tokens.ok(200)["data"][0]["id"].as_str().unwrap().to_owned();
        let missing = uuid::Uuid::now_v7().to_string();

        let missing_answer = s
            .get(&format!("/api/v1/users/{missing}"))
            .bearer(&admin_b.token)
            .send()
            .await;
        missing_answer.problem(404);
        let probes = [
            s.get(&format!("/api/v1/users/{}", rep_a.id))
                .bearer(&admin_b.token)
                .send()
                .await,
            s.patch(&format!("/api/v1/users/{}", rep_a.id))
                .bearer(&admin_b.token)
                .json(&json!({"display_name": "pwned", "role": "admin"}))
                .send()
                .await,
            s.get(&format!("/api/v1/teams/{team_id}"))
                .bearer(&admin_b.token)
                .send()
                .await,
            s.patch(&format!("/api/v1/teams/{team_id}"))
                .bearer(&admin_b.token)
                .json(&json!({"name": "pwned"}))
                .send()
                .await,
            s.delete(&format!("/api/v1/teams/{team_id}"))
                .bearer(&admin_b.token)
                .send()
                .await,
            s.get(&format!("/api/v1/tokens/{token_id}"))
                .bearer(&admin_b.token)
                .send()
                .await,
            s.delete(&format!("/api/v1/tokens/{token_id}"))
                .bearer(&admin_b.token)
                .send()
                .await,
        ];
        for res in &probes {
            res.problem(404);
            assert_eq!(
                res.json, missing_answer.json,
                "forbidden and missing must look the same"
            );
        }
        // Nothing changed in A.
        let rep = s
            .get(&format!("/api/v1/users/{}", rep_a.id))
            .bearer(&admin_a.token)
            .send()
            .await;
        assert_eq!(rep.ok(200)["role"], "rep");
        assert_ne!(rep.json["display_name"], "pwned");
        let t = s
            .get(&format!("/api/v1/teams/{team_id}"))
            .bearer(&admin_a.token)
            .send()
            .await;
        assert_eq!(t.ok(200)["name"], "Sales");
        s.get("/api/v1/me")
            .bearer(&admin_a.token)
            .send()
            .await
            .ok(200);
        // And B's lists show nothing of A.
        for list in [
            "/api/v1/users",
            "/api/v1/teams",
            "/api/v1/tokens",
            "/api/v1/audit",
        ] {
            let res = s.get(list).bearer(&admin_b.token).send().await;
            let text = res.ok(200).to_string();
            for a_id in [
                rep_a.id.to_string(),
                admin_a.id.to_string(),
                team_id.clone(),
                token_id.clone(),
            ] {
                assert!(
                    !text.contains(&a_id),
                    "{list} shows {a_id} of another workspace"
                );
            }
        }
        let filtered = s
            .get(&format!("/api/v1/tokens?user_id={}", admin_a.id))
            .bearer(&admin_b.token)
            .send()
            .await;
        assert_eq!(filtered.ok(200)["data"], json!([]));
        let audit = s
            .get(&format!("/api/v1/audit?object_id={}", rep_a.id))
            .bearer(&admin_b.token)
            .send()
            .await;
        assert_eq!(audit.ok(200)["data"], json!([]));
    }
}

#[tokio::test]
async fn a_team_of_another_workspace_cannot_be_joined_or_used_as_a_parent() {
    for s in Server::each("cross-workspace references").await {
        let (_, admin_a) = s.workspace("alpha").await;
        let (_, admin_b) = s.workspace("beta").await;
        let team = s
            .post("/api/v1/teams")
            .bearer(&admin_a.token)
            .json(&json!({"name": "Sales"}))
            .send()
            .await;
        let team_id = team.ok(201)["id"].as_str().unwrap().to_owned();
        let res = s
            .post("/api/v1/users")
            .bearer(&admin_b.token)
            .json(&json!({"email": "x@beta.example", "role": "rep", "team_id": team_id}))
            .send()
            .await;
        assert_eq!(
            res.field_errors(),
            vec![crate::support::fe("team_id", "unknown_reference")]
        );
        let res = s
            .post("/api/v1/teams")
            .bearer(&admin_b.token)
            .json(&json!({"name": "Child", "parent_id": team_id}))
            .send()
            .await;
        assert_eq!(
            res.field_errors(),
            vec![crate::support::fe("parent_id", "unknown_reference")]
        );
    }
}
