use rapport_core::policy::Scope;
use rapport_core::{Id, Role, SessionId, TokenId};
use rapport_store::sessions::{self, NewSession};
use rapport_store::testing::TestDb;
use rapport_store::tokens::{self, NewToken};
use rapport_store::users::{self, UserChanges};
use uuid::Uuid;

use crate::support::{page, t, user, workspace};

fn token(user: rapport_core::UserId, hash: u8, expires: Option<i64>) -> NewToken {
    NewToken {
        id: TokenId::from_uuid(Uuid::now_v7()),
        user_id: user,
        name: "ci".to_owned(),
        hash: [hash; 32],
        hint: "rpt_…abcd".to_owned(),
        scope: Scope::Read,
        expires_at: expires.map(t),
        now: t(0),
    }
}

#[tokio::test]
async fn a_token_authenticates_until_revoked_or_expired() {
    for tdb in TestDb::each("token lifecycle").await {
        let db = &tdb.db;
        let ws = workspace(db, "a").await;
        let anna = user(db, ws, "anna@example.com", Role::Rep).await;
        let mut tx = db.write().await.unwrap();
        let forever = tokens::insert(&mut tx, ws, &token(anna.id, 1, None))
            .await
            .unwrap();
        tokens::insert(&mut tx, ws, &token(anna.id, 2, Some(100)))
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let mut c = db.read().await.unwrap();
        let (found, holder) = tokens::authenticate(&mut c, ws, &[1; 32], t(50))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found.id, forever.id);
        assert_eq!(
            (holder.user_id, holder.role, holder.enabled),
            (anna.id, Role::Rep, true)
        );
        assert!(
            tokens::authenticate(&mut c, ws, &[2; 32], t(99))
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            tokens::authenticate(&mut c, ws, &[2; 32], t(100))
                .await
                .unwrap()
                .is_none(),
            "expired"
        );
        assert!(
            tokens::authenticate(&mut c, ws, &[3; 32], t(1))
                .await
                .unwrap()
                .is_none(),
            "unknown"
        );
        drop(c);

        let mut tx = db.write().await.unwrap();
        assert!(
            tokens::revoke(&mut tx, ws, forever.id, t(60))
                .await
                .unwrap()
        );
        assert!(
            !tokens::revoke(&mut tx, ws, forever.id, t(61))
                .await
                .unwrap(),
            "twice"
        );
        tx.commit().await.unwrap();
        let mut c = db.read().await.unwrap();
        assert!(
            tokens::authenticate(&mut c, ws, &[1; 32], t(70))
                .await
                .unwrap()
                .is_none(),
            "revoked"
        );
        let listed = tokens::list(&mut c, ws, Some(anna.id), page(10))
            .await
            .unwrap();
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[0].revoked_at, Some(t(60)));
    }
}

#[tokio::test]
async fn a_token_only_works_in_its_own_workspace() {
    for tdb in TestDb::each("token workspace").await {
        let db = &tdb.db;
        let a = workspace(db, "a").await;
        let b = workspace(db, "b").await;
        let anna = user(db, a, "anna@example.com", Role::Admin).await;
        let mut tx = db.write().await.unwrap();
        tokens::insert(&mut tx, a, &token(anna.id, 9, None))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let mut c = db.read().await.unwrap();
        assert!(
            tokens::authenticate(&mut c, b, &[9; 32], t(1))
                .await
                .unwrap()
                .is_none()
        );
    }
}

#[tokio::test]
async fn revoking_all_of_a_user_leaves_others_alone() {
    for tdb in TestDb::each("revoke all").await {
        let db = &tdb.db;
        let ws = workspace(db, "a").await;
        let anna = user(db, ws, "anna@example.com", Role::Rep).await;
        let ben = user(db, ws, "ben@example.com", Role::Rep).await;
        let mut tx = db.write().await.unwrap();
        tokens::insert(&mut tx, ws, &token(anna.id, 1, None))
            .await
            .unwrap();
        tokens::insert(&mut tx, ws, &token(anna.id, 2, None))
            .await
            .unwrap();
        tokens::insert(&mut tx, ws, &token(ben.id, 3, None))
            .await
            .unwrap();
        assert_eq!(
            tokens::revoke_all_of(&mut tx, ws, anna.id, t(5))
                .await
                .unwrap(),
            2
        );
        tx.commit().await.unwrap();
        let mut c = db.read().await.unwrap();
        assert!(
            tokens::authenticate(&mut c, ws, &[3; 32], t(6))
                .await
                .unwrap()
                .is_some()
        );
    }
}

#[tokio::test]
async fn sessions_are_found_by_hash_and_report_a_disabled_holder() {
    for tdb in TestDb::each("sessions").await {
        let db = &tdb.db;
        let ws = workspace(db, "a").await;
        let anna = user(db, ws, "anna@example.com", Role::Rep).await;
        let s = NewSession {
            id: SessionId::from_uuid(Uuid::now_v7()),
            user_id: anna.id,
            hash: [7; 32],
            csrf_token: "csrf".to_owned(),
            ip: Some("127.0.0.1".to_owned()),
            user_agent: None,
            now: t(0),
        };
        let mut tx = db.write().await.unwrap();
        sessions::insert(&mut tx, ws, &s).await.unwrap();
        sessions::touch(&mut tx, ws, s.id, t(30)).await.unwrap();
        let off = UserChanges {
            display_name: anna.display_name.clone(),
            role: anna.role,
            team_id: None,
            enabled: false,
            locale: anna.locale.clone(),
            time_zone: anna.time_zone.clone(),
        };
        users::update(&mut tx, ws, anna.id, anna.version, &off, t(31))
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let mut c = db.read().await.unwrap();
        let (found, holder) = sessions::find(&mut c, ws, &[7; 32]).await.unwrap().unwrap();
        assert_eq!(
            (found.id, found.last_seen_at, found.csrf_token.as_str()),
            (s.id, t(30), "csrf")
        );
        assert!(!holder.enabled);
        drop(c);

        let mut tx = db.write().await.unwrap();
        assert_eq!(
            sessions::sweep_expired(&mut tx, t(20), t(-10))
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            sessions::delete_all_of(&mut tx, ws, anna.id).await.unwrap(),
            1
        );
        tx.commit().await.unwrap();
        let mut c = db.read().await.unwrap();
        assert!(
            sessions::find(&mut c, ws, &[7; 32])
                .await
                .unwrap()
                .is_none()
        );
    }
}

#[tokio::test]
async fn the_sweep_removes_idle_and_old_sessions() {
    for tdb in TestDb::each("session sweep").await {
        let db = &tdb.db;
        let ws = workspace(db, "a").await;
        let anna = user(db, ws, "anna@example.com", Role::Rep).await;
        let mut tx = db.write().await.unwrap();
        for (hash, created) in [(1u8, 0i64), (2, 50), (3, 100)] {
            let s = NewSession {
                id: SessionId::from_uuid(Uuid::now_v7()),
                user_id: anna.id,
                hash: [hash; 32],
                csrf_token: "c".to_owned(),
                ip: None,
                user_agent: None,
                now: t(created),
            };
            sessions::insert(&mut tx, ws, &s).await.unwrap();
        }
        // Idle before 60 removes the first two (never touched after creation).
        assert_eq!(
            sessions::sweep_expired(&mut tx, t(60), t(-1))
                .await
                .unwrap(),
            2
        );
        assert_eq!(
            sessions::sweep_expired(&mut tx, t(0), t(101))
                .await
                .unwrap(),
            1
        );
    }
}
