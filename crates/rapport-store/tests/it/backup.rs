use rapport_core::{Id, TeamId};
use rapport_store::backup;
use rapport_store::teams;
use rapport_store::testing::TestDb;
use uuid::Uuid;

use crate::support::{t, workspace};

fn team_id(n: u128) -> TeamId {
    // Ids chosen so that key order is numeric order.
    TeamId::from_uuid(Uuid::from_u128(
        (0x0190_0000_0000_7000_8000_0000_0000_0000u128) + n,
    ))
}

/// More teams than one INSERT holds, and the first (in key order) under the last: restoring
/// in key order meets the child long before its parent, on every backend.
#[tokio::test]
async fn a_row_whose_parent_comes_later_in_the_backup_is_restored_with_its_parent() {
    for source in TestDb::each("backup self reference").await {
        let ws = workspace(&source.db, "acme").await;
        let mut tx = source.db.write().await.unwrap();
        for n in 0..1_200u128 {
            teams::insert(&mut tx, ws, team_id(n), &format!("Team {n}"), None, t(1))
                .await
                .unwrap();
        }
        teams::update(
            &mut tx,
            ws,
            team_id(0),
            1,
            "Team 0",
            Some(team_id(1_199)),
            t(2),
        )
        .await
        .unwrap()
        .unwrap();
        tx.commit().await.unwrap();
        let (bytes, summary) = backup::write(&source.db, Vec::new(), "test", "now", &mut |_, _| {})
            .await
            .unwrap();
        assert_eq!(
            summary
                .per_table
                .iter()
                .find(|(n, _)| n == "teams")
                .unwrap()
                .1,
            1_200
        );
        let teams_at = |s: &backup::Summary, name: &str| {
            s.per_table.iter().position(|(n, _)| n == name).unwrap()
        };
        // Referenced tables come first.
        assert!(teams_at(&summary, "workspaces") < teams_at(&summary, "teams"));
        assert!(teams_at(&summary, "teams") < teams_at(&summary, "users"));
        for target in TestDb::each("backup self reference, restored").await {
            let file = backup::open(&bytes[..]).unwrap();
            backup::restore(&target.db, file, &mut |_, _| {})
                .await
                .unwrap();
            let mut c = target.db.read().await.unwrap();
            let child = teams::get(&mut c, ws, team_id(0)).await.unwrap().unwrap();
            assert_eq!(child.parent_id, Some(team_id(1_199)));
            assert_eq!(c.count_rows("teams").await.unwrap(), 1_200);
            assert!(c.integrity_problems().await.unwrap().is_empty());
        }
    }
}
