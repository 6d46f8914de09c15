use rapport_core::{Id, Role, TeamId};
use rapport_store::testing::TestDb;
use rapport_store::{StoreError, teams, users};
use uuid::Uuid;

use crate::support::{new_user, t, workspace};

fn tid() -> TeamId {
    TeamId::from_uuid(Uuid::now_v7())
}

#[tokio::test]
async fn team_names_are_unique_per_workspace_ignoring_case() {
    for tdb in TestDb::each("unique team names").await {
        let db = &tdb.db;
        let ws = workspace(db, "a").await;
        let mut tx = db.write().await.unwrap();
        teams::insert(&mut tx, ws, tid(), "Sales", None, t(0))
            .await
            .unwrap();
        let dup = teams::insert(&mut tx, ws, tid(), "SALES", None, t(0)).await;
        assert!(
            matches!(dup, Err(StoreError::Duplicate("name"))),
            "{:?}: {dup:?}",
            tdb.backend()
        );
    }
}

#[tokio::test]
async fn edges_describe_the_tree_and_children_are_counted() {
    for tdb in TestDb::each("team tree").await {
        let db = &tdb.db;
        let ws = workspace(db, "a").await;
        let mut tx = db.write().await.unwrap();
        let root = teams::insert(&mut tx, ws, tid(), "Sales", None, t(0))
            .await
            .unwrap();
        let east = teams::insert(&mut tx, ws, tid(), "East", Some(root.id), t(0))
            .await
            .unwrap();
        teams::insert(&mut tx, ws, tid(), "West", Some(root.id), t(0))
            .await
            .unwrap();
        let mut member = new_user("m@example.com", Role::Manager);
        member.team_id = Some(east.id);
        users::insert(&mut tx, ws, &member).await.unwrap();
        tx.commit().await.unwrap();

        let mut c = db.read().await.unwrap();
        let edges = teams::edges(&mut c, ws).await.unwrap();
        assert_eq!(edges.len(), 3);
        assert!(edges.contains(&(east.id, Some(root.id))));
        assert_eq!(teams::count_children(&mut c, ws, root.id).await.unwrap(), 2);
        assert_eq!(users::count_in_team(&mut c, ws, east.id).await.unwrap(), 1);
    }
}

#[tokio::test]
async fn a_team_with_members_cannot_be_deleted_by_the_database_either() {
    for tdb in TestDb::each("team delete guard").await {
        let db = &tdb.db;
        let ws = workspace(db, "a").await;
        let mut tx = db.write().await.unwrap();
        let team = teams::insert(&mut tx, ws, tid(), "Sales", None, t(0))
            .await
            .unwrap();
        let mut member = new_user("m@example.com", Role::Rep);
        member.team_id = Some(team.id);
        users::insert(&mut tx, ws, &member).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = db.write().await.unwrap();
        let err = teams::delete(&mut tx, ws, team.id, team.version).await;
        assert!(
            matches!(err, Err(StoreError::ForeignKey)),
            "{:?}: {err:?}",
            tdb.backend()
        );
    }
}

#[tokio::test]
async fn stale_versions_neither_update_nor_delete() {
    for tdb in TestDb::each("team versions").await {
        let db = &tdb.db;
        let ws = workspace(db, "a").await;
        let mut tx = db.write().await.unwrap();
        let team = teams::insert(&mut tx, ws, tid(), "Sales", None, t(0))
            .await
            .unwrap();
        let renamed = teams::update(&mut tx, ws, team.id, team.version, "Sales EU", None, t(1))
            .await
            .unwrap();
        assert_eq!(renamed.as_ref().map(|r| r.version), Some(team.version + 1));
        assert!(
            teams::update(&mut tx, ws, team.id, team.version, "X", None, t(2))
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            !teams::delete(&mut tx, ws, team.id, team.version)
                .await
                .unwrap()
        );
        assert!(
            teams::delete(&mut tx, ws, team.id, team.version + 1)
                .await
                .unwrap()
        );
    }
}
