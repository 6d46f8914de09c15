use std::time::Duration;

use rapport_core::rate_limit::{Decision, Quota};
use rapport_store::testing::TestDb;
use rapport_store::throttle;

use crate::support::{t, workspace};

#[tokio::test]
async fn the_stored_limiter_allows_the_burst_then_refuses() {
    for tdb in TestDb::each("login throttle").await {
        let db = &tdb.db;
        let ws = workspace(db, "a").await;
        let mut outcomes = Vec::new();
        for _ in 0..12 {
            let mut tx = db.write().await.unwrap();
            let d = throttle::take(&mut tx, ws, "ip:203.0.113.9", t(0), Quota::LOGIN)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            outcomes.push(d);
        }
        assert!(
            outcomes[..10]
                .iter()
                .all(|d| matches!(d, Decision::Allow { .. }))
        );
        assert_eq!(
            outcomes[10],
            Decision::Deny {
                retry_after: Duration::from_secs(6)
            }
        );
        // Another bucket is independent.
        let mut tx = db.write().await.unwrap();
        let other = throttle::take(&mut tx, ws, "email:x@example.com", t(0), Quota::LOGIN)
            .await
            .unwrap();
        assert!(matches!(other, Decision::Allow { .. }));
        // Six seconds later one more passes.
        let later = throttle::take(&mut tx, ws, "ip:203.0.113.9", t(6), Quota::LOGIN)
            .await
            .unwrap();
        assert!(matches!(later, Decision::Allow { .. }));
        tx.commit().await.unwrap();
    }
}

#[tokio::test]
async fn concurrent_attempts_never_exceed_the_burst() {
    for tdb in TestDb::each("throttle under concurrency").await {
        let db = tdb.db.clone();
        let ws = workspace(&db, "a").await;
        let mut tasks = Vec::new();
        for _ in 0..40 {
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                let mut tx = db.write().await.unwrap();
                let d = throttle::take(&mut tx, ws, "email:x", t(0), Quota::LOGIN)
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
                matches!(d, Decision::Allow { .. })
            }));
        }
        let mut allowed = 0;
        for task in tasks {
            allowed += usize::from(task.await.unwrap());
        }
        assert_eq!(allowed, 10, "{:?}", tdb.backend());
    }
}
