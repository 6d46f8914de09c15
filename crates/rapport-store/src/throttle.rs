//! The login limiter's state, kept in the database so every app node sees the same counts.

use rapport_core::WorkspaceId;
use rapport_core::rate_limit::{self, Decision, Quota};
use rapport_core::time::Timestamp;
use sea_query::{Expr, ExprTrait, OnConflict, Query};

use crate::db::{Tx, id, ts};
use crate::error::StoreError;
use crate::schema::LoginThrottle as L;

/// Counts one attempt against `bucket` and decides it. Runs inside the caller's write
/// transaction, whose lock makes the read-decide-write atomic across nodes.
pub async fn take(
    tx: &mut Tx,
    ws: WorkspaceId,
    bucket: &str,
    now: Timestamp,
    quota: Quota,
) -> Result<Decision, StoreError> {
    // Make sure the row exists before locking it: SELECT … FOR UPDATE locks nothing when
    // there is no row, and two first attempts would both pass. A TAT of `now` decides exactly
    // like a missing one.
    let seed = Query::insert()
        .into_table(L::Table)
        .columns([L::WorkspaceId, L::Bucket, L::Tat])
        .values_panic([id(ws), bucket.into(), ts(now)])
        .on_conflict(
            OnConflict::columns([L::WorkspaceId, L::Bucket])
                .do_nothing()
                .to_owned(),
        )
        .to_owned();
    tx.execute(&seed).await?;
    let q = Query::select()
        .column(L::Tat)
        .from(L::Table)
        .and_where(Expr::col(L::WorkspaceId).eq(id(ws)))
        .and_where(Expr::col(L::Bucket).eq(bucket))
        .lock(sea_query::LockType::Update)
        .to_owned();
    let stored = tx.fetch_one(&q).await?.ts("tat")?;
    let decision = rate_limit::decide(Some(stored), now, quota);
    if let Decision::Allow { new_tat } = decision {
        let update = Query::update()
            .table(L::Table)
            .value(L::Tat, ts(new_tat))
            .and_where(Expr::col(L::WorkspaceId).eq(id(ws)))
            .and_where(Expr::col(L::Bucket).eq(bucket))
            .to_owned();
        tx.execute(&update).await?;
    }
    Ok(decision)
}

/// Maintenance sweep across all workspaces: drops buckets that no longer limit anything.
pub async fn sweep(tx: &mut Tx, now: Timestamp) -> Result<u64, StoreError> {
    let q = Query::delete()
        .from_table(L::Table)
        .and_where(Expr::col(L::Tat).lte(ts(now)))
        .to_owned();
    tx.execute(&q).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn stale_rule_matches_the_sweep() {
        // The sweep deletes rows with tat <= now; core says exactly those are stale.
        let now = rapport_core::time::Timestamp::from_secs(100);
        assert!(rapport_core::rate_limit::is_stale(now, now));
        assert!(!rapport_core::rate_limit::is_stale(
            rapport_core::time::Timestamp::from_secs(101),
            now
        ));
    }
}
