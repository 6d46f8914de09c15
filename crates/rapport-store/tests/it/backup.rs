use rapport_core::{Id, TeamId};
use rapport_store::backup::{self, Existing};
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
                .find(|s| s.table == "teams")
                .unwrap()
                .rows,
            1_200
        );
        let teams_at = |s: &backup::Summary, name: &str| {
            s.per_table.iter().position(|s| s.table == name).unwrap()
        };
        // Referenced tables come first.
        assert!(teams_at(&summary, "workspaces") < teams_at(&summary, "teams"));
        assert!(teams_at(&summary, "teams") < teams_at(&summary, "users"));
        for target in TestDb::each("backup self reference, restored").await {
            let file = backup::open(&bytes[..]).unwrap();
            backup::restore(&target.db, file, Existing::Refuse, None, &mut |_, _| {})
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

async fn restore(
    db: &rapport_store::Db,
    bytes: &[u8],
    existing: Existing,
) -> Result<backup::Summary, rapport_store::StoreError> {
    backup::restore(db, backup::open(bytes)?, existing, None, &mut |_, _| {}).await
}

async fn sums(db: &rapport_store::Db) -> backup::Summary {
    backup::checksums(db, &mut |_, _| {}).await.unwrap()
}

/// A few rows of every kind of cell: UUIDs, instants, booleans, JSON (keys out of order,
/// which jsonb reorders), text and null.
async fn varied(db: &rapport_store::Db) -> rapport_core::WorkspaceId {
    use rapport_core::audit::{Actor, AuditAction, FieldChange};
    use rapport_core::{AuditId, Role};
    use rapport_store::audit::{self, NewEntry};
    use serde_json::json;

    let ws = workspace(db, "acme").await;
    let anna = crate::support::user(db, ws, "anna@example.com", Role::Admin).await;
    let mut tx = db.write().await.unwrap();
    for (i, name) in ["Zebra", "apple", "Äpfel", "ąb"].into_iter().enumerate() {
        teams::insert(&mut tx, ws, team_id(i as u128), name, None, t(1))
            .await
            .unwrap();
    }
    audit::append(
        &mut tx,
        ws,
        &NewEntry {
            id: AuditId::from_uuid(Uuid::now_v7()),
            at: t(3),
            actor: Actor::User(anna.id),
            action: AuditAction::UserRoleChanged,
            object_type: "user",
            object_id: Some(anna.id.as_uuid()),
            changes: vec![FieldChange {
                field: "role",
                before: json!("rep"),
                after: json!({"zeta": 1.5, "alpha": [true, null, "Łódź"]}),
            }],
            detail: None,
            request_id: Some("req-1".to_owned()),
            ip: None,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    ws
}

/// A backup of [`varied`] data in SQLite, and its summary.
async fn varied_backup() -> (Vec<u8>, backup::Summary) {
    let source = TestDb::sqlite().await.unwrap();
    varied(&source.db).await;
    backup::write(&source.db, Vec::new(), "test", "now", &mut |_, _| {})
        .await
        .unwrap()
}

/// The sums of a restored database equal those of the snapshot the backup was written
/// from, whichever backend each side is on, and those of the backup file itself.
#[tokio::test]
async fn checksums_of_a_restored_database_equal_the_backups_on_either_backend() {
    for source in TestDb::each("checksums source").await {
        varied(&source.db).await;
        let (bytes, written) = backup::write(&source.db, Vec::new(), "test", "now", &mut |_, _| {})
            .await
            .unwrap();
        assert_eq!(sums(&source.db).await, written);
        let in_file = backup::verify(backup::open(&bytes[..]).unwrap()).unwrap();
        assert_eq!(in_file.per_table, written.per_table);
        for target in TestDb::each("checksums target").await {
            let restored = restore(&target.db, &bytes, Existing::Refuse).await.unwrap();
            assert_eq!(restored.per_table, written.per_table);
            let read_back = sums(&target.db).await;
            let what = format!(
                "{} → {}",
                source.backend().as_str(),
                target.backend().as_str()
            );
            assert_eq!(
                backup::compare(&written.per_table, &read_back.per_table),
                Vec::new(),
                "{what}"
            );
            // Empty tables sum to zero; the filled ones must not.
            let teams = read_back
                .per_table
                .iter()
                .find(|s| s.table == "teams")
                .unwrap();
            assert_eq!(teams.rows, 4);
            assert_ne!(teams.checksum, "0".repeat(32), "{what}");
        }
    }
}

/// With `Existing::Replace` the old rows go and the backup's come in, in one transaction:
/// a restore that fails half-way leaves the old rows as they were.
#[tokio::test]
async fn a_replacing_restore_swaps_the_data_or_leaves_it_untouched() {
    let (bytes, written) = varied_backup().await;
    for target in TestDb::each("replacing restore").await {
        let old = workspace(&target.db, "old").await;
        let mut tx = target.db.write().await.unwrap();
        teams::insert(&mut tx, old, team_id(1), "Old team", None, t(1))
            .await
            .unwrap();
        teams::insert(
            &mut tx,
            old,
            team_id(2),
            "Old child",
            Some(team_id(1)),
            t(1),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let before = sums(&target.db).await;
        assert_eq!(
            backup::holds_data(&target.db).await.unwrap(),
            Some(("teams".to_owned(), 2))
        );

        let refused = restore(&target.db, &bytes, Existing::Refuse).await;
        assert!(
            matches!(&refused, Err(rapport_store::StoreError::NotEmpty(m)) if m.contains("teams has 2 rows")),
            "{refused:?}"
        );
        // A backup cut short fails after the old rows were deleted: they come back.
        let cut = {
            use std::io::{Read as _, Write as _};
            let mut plain = String::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_string(&mut plain)
                .unwrap();
            let lines: Vec<&str> = plain.lines().collect();
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all((lines[..lines.len() - 3].join("\n") + "\n").as_bytes())
                .unwrap();
            e.finish().unwrap()
        };
        let failed = restore(&target.db, &cut, Existing::Replace).await;
        assert!(failed.is_err());
        assert_eq!(sums(&target.db).await, before);

        restore(&target.db, &bytes, Existing::Replace)
            .await
            .unwrap();
        let after = sums(&target.db).await;
        assert_eq!(after.per_table, written.per_table);
        let mut c = target.db.read().await.unwrap();
        assert!(teams::get(&mut c, old, team_id(1)).await.unwrap().is_none());
        assert!(c.integrity_problems().await.unwrap().is_empty());
    }
}

/// A restore told what the source holds reads its work back before committing: a table
/// whose sum differs is named with both counts and both checksums, and nothing is kept.
#[tokio::test]
async fn a_checked_restore_that_does_not_match_its_source_keeps_nothing() {
    let (bytes, written) = varied_backup().await;
    for target in TestDb::each("checked restore").await {
        let mut tampered = written.per_table.clone();
        let teams = tampered.iter_mut().find(|s| s.table == "teams").unwrap();
        teams.checksum = "0".repeat(32);
        let mut heard = Vec::new();
        let refused = backup::restore(
            &target.db,
            backup::open(&bytes[..]).unwrap(),
            Existing::Refuse,
            Some(backup::Check {
                expect: &tampered,
                progress: &mut |t, _| heard.push(t.to_owned()),
            }),
            &mut |_, _| {},
        )
        .await;
        let Err(rapport_store::StoreError::Mismatch(found)) = &refused else {
            panic!("{refused:?}");
        };
        assert_eq!(found.len(), 1, "{found:?}");
        let said = refused.as_ref().unwrap_err().to_string();
        let real = &written
            .per_table
            .iter()
            .find(|s| s.table == "teams")
            .unwrap()
            .checksum;
        assert!(
            said.contains("table teams: the source has 4 rows, checksum 000")
                && said.contains(&format!("the target 4 rows, checksum {real}")),
            "{said}"
        );
        assert!(heard.iter().any(|t| t == "teams"), "{heard:?}");
        assert_eq!(backup::holds_data(&target.db).await.unwrap(), None);

        let checked = backup::restore(
            &target.db,
            backup::open(&bytes[..]).unwrap(),
            Existing::Refuse,
            Some(backup::Check {
                expect: &written.per_table,
                progress: &mut |_, _| {},
            }),
            &mut |_, _| {},
        )
        .await
        .unwrap();
        assert_eq!(checked.per_table, written.per_table);
    }
}
