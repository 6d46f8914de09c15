use serde_json::Value;

use crate::support::Server;

#[test]
fn the_openapi_document_matches_its_snapshot() {
    let doc = serde_json::to_value(rapport_web::api::document()).expect("serialisable");
    insta::assert_json_snapshot!("openapi", doc);
}

#[test]
fn every_request_body_is_strict() {
    let doc = serde_json::to_value(rapport_web::api::document()).expect("serialisable");
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("item") {
            let Some(content) = op["requestBody"]["content"].as_object() else {
                continue;
            };
            // Strictness is about JSON objects; a text/csv upload has no fields to refuse.
            for (_, media) in content.iter().filter(|(m, _)| m.contains("json")) {
                let reference = media["schema"]["$ref"].as_str().expect("a named schema");
                let name = reference.rsplit('/').next().expect("name");
                let schema = &schemas[name];
                assert_eq!(
                    schema["additionalProperties"],
                    Value::Bool(false),
                    "{method} {path} ({name})"
                );
            }
        }
    }
}

#[test]
fn every_operation_documents_its_failures_and_ids() {
    let doc = serde_json::to_value(rapport_web::api::document()).expect("serialisable");
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("item") {
            let responses = op["responses"].as_object().expect("responses");
            assert!(
                op["operationId"].is_string(),
                "{method} {path} has no operationId"
            );
            if op["security"].is_array() {
                assert!(responses.contains_key("401"), "{method} {path} lacks 401");
            }
            if op["requestBody"].is_object() {
                for code in ["400", "413", "415", "422"] {
                    assert!(responses.contains_key(code), "{method} {path} lacks {code}");
                }
            }
            if path.contains("{id}") {
                assert!(responses.contains_key("404"), "{method} {path} lacks 404");
            }
        }
    }
}

#[tokio::test]
async fn the_served_document_is_the_generated_one() {
    for s in Server::each("openapi route").await {
        let res = s.get("/api/v1/openapi.json").send().await;
        let expected = serde_json::to_value(rapport_web::api::document()).expect("serialisable");
        assert_eq!(res.ok(200), &expected);
        assert_eq!(res.json["openapi"], "3.1.0");
    }
}
