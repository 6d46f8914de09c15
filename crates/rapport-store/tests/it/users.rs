use rapport_core::{Id, Role, UserId};
use rapport_store::testing::TestDb;
use rapport_store::users::{self, UserChanges};
use rapport_store::{Page, StoreError};
use uuid::Uuid;

use crate::support::{new_user, page, t, user, workspace};

#[tokio::test]
async fn e_mail_is_unique_per_workspace_ignoring_case() {
    for tdb in TestDb::each("unique e-mail").await {
        let db = &tdb.db;
        let a = workspace(db, "a").await;
        let b = workspace(db, "b").await;
        user(db, a, "Anna@Example.com", Role::Admin).await;
        let mut tx = db.write().await.expect("begin");
        let dup = users::insert(&mut tx, a, &new_user("anna@example.COM", Role::Rep)).await;
        assert!(
            matches!(dup, Err(StoreError::Duplicate("email"))),
            "{:?}: {dup:?}",
            tdb.backend()
        );
        drop(tx);
        // The same address in another workspace is another user.
        user(db, b, "anna@example.com", Role::Admin).await;
    }
}

#[tokio::test]
async fn a_user_cannot_be_read_through_another_workspace() {
    for tdb in TestDb::each("cross-workspace user").await {
        let db = &tdb.db;
        let a = workspace(db, "a").await;
        let b = workspace(db, "b").await;
        let anna = user(db, a, "anna@example.com", Role::Admin).await;
        let mut c = db.read().await.expect("conn");
        assert!(users::get(&mut c, b, anna.id).await.expect("get").is_none());
        assert!(
            users::by_email_key(&mut c, b, "anna@example.com")
                .await
                .expect("by email")
                .is_none()
        );
        assert!(
            users::list(&mut c, b, page(50))
                .await
                .expect("list")
                .is_empty()
        );
        assert_eq!(
            users::get(&mut c, a, anna.id).await.expect("get"),
            Some(anna)
        );
    }
}

#[tokio::test]
async fn a_user_cannot_join_a_team_of_another_workspace() {
    for tdb in TestDb::each("cross-workspace team").await {
        let db = &tdb.db;
        let a = workspace(db, "a").await;
        let b = workspace(db, "b").await;
        let mut tx = db.write().await.expect("begin");
        let team = rapport_store::teams::insert(
            &mut tx,
            b,
            Id::from_uuid(Uuid::now_v7()),
            "B team",
            None,
            t(0),
        )
        .await
        .expect("team");
        tx.commit().await.expect("commit");
        let mut nu = new_user("x@example.com", Role::Rep);
        nu.team_id = Some(team.id);
        let mut tx = db.write().await.expect("begin");
        let err = users::insert(&mut tx, a, &nu).await;
        assert!(
            matches!(err, Err(StoreError::ForeignKey)),
            "{:?}: {err:?}",
            tdb.backend()
        );
    }
}

#[tokio::test]
async fn updates_apply_only_to_the_version_they_were_based_on() {
    for tdb in TestDb::each("versioned update").await {
        let db = &tdb.db;
        let ws = workspace(db, "a").await;
        let anna = user(db, ws, "anna@example.com", Role::Rep).await;
        let changes = UserChanges {
            display_name: "Anna N.".to_owned(),
            role: Role::Manager,
            team_id: None,
            enabled: true,
            locale: "pl".to_owned(),
            time_zone: "Europe/Warsaw".to_owned(),
        };
        let mut tx = db.write().await.expect("begin");
        let updated = users::update(&mut tx, ws, anna.id, anna.version, &changes, t(10))
            .await
            .expect("update");
        let updated = updated.expect("first update wins");
        assert_eq!(updated.version, anna.version + 1);
        assert_eq!(
            (updated.role, updated.locale.as_str()),
            (Role::Manager, "pl")
        );
        assert_eq!(updated.updated_at, t(10));
        let stale = users::update(&mut tx, ws, anna.id, anna.version, &changes, t(11))
            .await
            .expect("update");
        assert!(
            stale.is_none(),
            "an update based on an old version must not apply"
        );
        tx.commit().await.expect("commit");
    }
}

#[tokio::test]
async fn lists_page_by_cursor_without_gaps_or_repeats() {
    for tdb in TestDb::each("user paging").await {
        let db = &tdb.db;
        let ws = workspace(db, "a").await;
        let mut made = Vec::new();
        for i in 0..7 {
            made.push(
                user(db, ws, &format!("u{i}@example.com"), Role::Rep)
                    .await
                    .id,
            );
        }
        let mut seen: Vec<UserId> = Vec::new();
        let mut after = None;
        let mut c = db.read().await.expect("conn");
        loop {
            let batch = users::list(&mut c, ws, Page { after, limit: 3 })
                .await
                .expect("list");
            if batch.is_empty() {
                break;
            }
            after = batch.last().map(|u| u.id);
            seen.extend(batch.iter().map(|u| u.id));
        }
        assert_eq!(seen, made);
    }
}

#[tokio::test]
async fn counts_enabled_admins() {
    for tdb in TestDb::each("admin count").await {
        let db = &tdb.db;
        let ws = workspace(db, "a").await;
        user(db, ws, "a1@example.com", Role::Admin).await;
        let a2 = user(db, ws, "a2@example.com", Role::Admin).await;
        user(db, ws, "r@example.com", Role::Rep).await;
        let mut tx = db.write().await.expect("begin");
        let off = UserChanges {
            display_name: a2.display_name.clone(),
            role: a2.role,
            team_id: None,
            enabled: false,
            locale: a2.locale.clone(),
            time_zone: a2.time_zone.clone(),
        };
        users::update(&mut tx, ws, a2.id, a2.version, &off, t(3))
            .await
            .expect("disable");
        assert_eq!(
            users::count_enabled_admins(&mut tx, ws)
                .await
                .expect("count"),
            1
        );
    }
}
