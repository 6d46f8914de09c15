//! `records::titles`, the names a page shows for the records its rows refer to: the same
//! titles search shows, only for records the caller may read, never from a hidden field.

use rapport_app::record_settings::{self, RuleInput};
use rapport_app::records;
use rapport_core::Role;
use rapport_core::object::ObjectType;
use serde_json::json;
use uuid::Uuid;

use crate::support::{Env, make};

#[tokio::test]
async fn titles_name_only_what_the_caller_may_read_and_see() {
    for env in Env::each("titles").await {
        let (ws, admin) = env.workspace("acme").await;
        let rep = env.user(ws, "rep@acme.example", Role::Rep).await;
        let other = env.user(ws, "other@acme.example", Role::Rep).await;
        let open = make(
            &env,
            &admin,
            ObjectType::Contact,
            json!({"first_name": "Ada", "last_name": "Lovelace", "visibility": "workspace"}),
        )
        .await;
        let by_mail = make(
            &env,
            &admin,
            ObjectType::Contact,
            json!({"emails": [{"value": "grace@navy.example"}], "visibility": "workspace"}),
        )
        .await;
        let private = make(
            &env,
            &other,
            ObjectType::Contact,
            json!({"first_name": "Hidden", "last_name": "Person", "visibility": "private"}),
        )
        .await;
        let trashed = make(
            &env,
            &admin,
            ObjectType::Contact,
            json!({"first_name": "Gone", "visibility": "workspace"}),
        )
        .await;
        records::delete(&env.app, &admin, ObjectType::Contact, trashed, None, false)
            .await
            .unwrap();
        // 150 companies: more than one statement's worth of ids.
        let mut companies = Vec::new();
        for i in 0..150 {
            let body = json!({"name": format!("Firm {i:03}"), "visibility": "workspace"});
            companies.push(make(&env, &admin, ObjectType::Company, body).await);
        }
        let unknown = Uuid::now_v7();
        let ids = [open, by_mail, private, trashed, unknown];

        let got = records::titles(&env.app, &admin, ObjectType::Contact, &ids)
            .await
            .unwrap();
        assert_eq!(got.len(), 3, "{} {got:?}", env.backend());
        assert_eq!(got[&open], "Ada Lovelace");
        assert_eq!(got[&by_mail], "grace@navy.example");
        assert_eq!(got[&private], "Hidden Person");

        // The rep may not read the other rep's private contact: it is left out, exactly
        // like an id that names nothing.
        let got = records::titles(&env.app, &rep, ObjectType::Contact, &ids)
            .await
            .unwrap();
        let mut keys: Vec<Uuid> = got.keys().copied().collect();
        keys.sort();
        let mut want = vec![open, by_mail];
        want.sort();
        assert_eq!(keys, want, "{}", env.backend());

        // A hidden field never shows through a title: without last names, first names.
        record_settings::set_field_rules(
            &env.app,
            &admin,
            ObjectType::Contact,
            &[
                RuleInput {
                    field: "last_name".into(),
                    role: "rep".into(),
                    access: "hidden".into(),
                },
                RuleInput {
                    field: "emails".into(),
                    role: "rep".into(),
                    access: "hidden".into(),
                },
            ],
        )
        .await
        .unwrap();
        let got = records::titles(&env.app, &rep, ObjectType::Contact, &ids)
            .await
            .unwrap();
        assert_eq!(got[&open], "Ada", "{}", env.backend());
        assert!(!got[&by_mail].contains("grace"), "{got:?}");
        let got = records::titles(&env.app, &admin, ObjectType::Contact, &ids)
            .await
            .unwrap();
        assert_eq!(got[&open], "Ada Lovelace");

        let got = records::titles(&env.app, &rep, ObjectType::Company, &companies)
            .await
            .unwrap();
        assert_eq!(got.len(), 150, "{}", env.backend());
        for (i, id) in companies.iter().enumerate() {
            assert_eq!(got[id], format!("Firm {i:03}"));
        }
        let none = records::titles(&env.app, &rep, ObjectType::Company, &[])
            .await
            .unwrap();
        assert!(none.is_empty());
    }
}
