//! Periodic clean-up. These sweeps cross workspaces on purpose: they delete only rows that
//! no longer mean anything (expired sessions, limiter state in the past).

use rapport_store::{sessions, throttle};

use crate::App;
use crate::error::AppResult;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SweepReport {
    pub sessions: u64,
    pub throttle_buckets: u64,
    pub idempotency_keys: u64,
    pub purged_records: u64,
}

/// Whether the database answers and has exactly this binary's schema; the reason if not.
pub async fn readiness(app: &App) -> Result<(), String> {
    app.db.ping().await.map_err(|e| e.to_string())?;
    rapport_store::migrate::ensure_current(&app.db)
        .await
        .map_err(|e| e.to_string())
}

pub async fn sweep(app: &App) -> AppResult<SweepReport> {
    let now = app.now();
    let t = app.settings.sessions;
    let mut tx = app.db.write().await?;
    let sessions = sessions::sweep_expired(
        &mut tx,
        now.saturating_sub(t.idle),
        now.saturating_sub(t.absolute),
    )
    .await?;
    let throttle_buckets = throttle::sweep(&mut tx, now).await?;
    let idempotency_keys = rapport_store::idempotency::sweep(&mut tx, now).await?;
    tx.commit().await?;
    let purged_records = crate::records::purge_expired(app, app.settings.trash_retention).await?;
    app.db.optimize().await?;
    Ok(SweepReport {
        sessions,
        throttle_buckets,
        idempotency_keys,
        purged_records,
    })
}
