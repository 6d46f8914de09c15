use rapport_core::audit::{Actor, AuditAction, FieldChange};
use rapport_core::{AuditId, EventId, Id, Role};
use rapport_store::audit::{self, Filter, NewEntry};
use rapport_store::outbox::{self, Event};
use rapport_store::testing::TestDb;
use serde_json::json;
use uuid::Uuid;

use crate::support::{page, t, user, workspace};

#[tokio::test]
async fn audit_entries_keep_changes_and_list_newest_first_per_workspace() {
    for tdb in TestDb::each("audit log").await {
        let db = &tdb.db;
        let a = workspace(db, "a").await;
        let b = workspace(db, "b").await;
        let anna = user(db, a, "anna@example.com", Role::Admin).await;
        let mut tx = db.write().await.unwrap();
        for (i, action) in [AuditAction::UserCreated, AuditAction::UserRoleChanged]
            .into_iter()
            .enumerate()
        {
            let e = NewEntry {
                id: AuditId::from_uuid(Uuid::now_v7()),
                at: t(i64::try_from(i).unwrap()),
                actor: Actor::User(anna.id),
                action,
                object_type: "user",
                object_id: Some(anna.id.as_uuid()),
                changes: vec![FieldChange {
                    field: "role",
                    before: json!("rep"),
                    after: json!("admin"),
                }],
                detail: Some(json!({"via": "test", "quote": "it's \"fine\""})),
                request_id: Some("req-1".to_owned()),
                ip: Some("::1".to_owned()),
            };
            audit::append(&mut tx, a, &e).await.unwrap();
        }
        tx.commit().await.unwrap();
        let mut c = db.read().await.unwrap();
        let all = audit::list(&mut c, a, &Filter::default(), page(10))
            .await
            .unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].action, "user.role_changed");
        assert_eq!(
            all[0].changes,
            Some(json!([{"field": "role", "before": "rep", "after": "admin"}]))
        );
        assert_eq!(
            all[0].detail,
            Some(json!({"via": "test", "quote": "it's \"fine\""}))
        );
        assert_eq!(all[0].actor_id, Some(anna.id));
        let filtered = Filter {
            action: Some("user.created".to_owned()),
            ..Filter::default()
        };
        assert_eq!(
            audit::list(&mut c, a, &filtered, page(10))
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(
            audit::list(&mut c, b, &Filter::default(), page(10))
                .await
                .unwrap()
                .is_empty()
        );
    }
}

#[tokio::test]
async fn outbox_events_round_trip() {
    for tdb in TestDb::each("outbox").await {
        let db = &tdb.db;
        let ws = workspace(db, "a").await;
        let e = Event {
            id: EventId::from_uuid(Uuid::now_v7()),
            event_type: "user.created".to_owned(),
            object_type: "user".to_owned(),
            object_id: Some(Uuid::now_v7()),
            payload: json!({"email": "ł@example.com", "n": 1}),
            created_at: t(3),
        };
        let mut tx = db.write().await.unwrap();
        outbox::append(&mut tx, ws, &e).await.unwrap();
        tx.commit().await.unwrap();
        let mut c = db.read().await.unwrap();
        assert_eq!(outbox::recent(&mut c, ws, 5).await.unwrap(), vec![e]);
    }
}
