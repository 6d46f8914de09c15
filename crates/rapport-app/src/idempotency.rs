//! Idempotency keys (DESIGN §6) as use cases: claim a key for a request, then store its
//! answer or free the key. The web layer wraps POST handlers with these.

use std::time::Duration;

use rapport_core::policy::Principal;
use rapport_store::idempotency::{self, Scope};
pub use rapport_store::idempotency::{Claim, Stored};

use crate::App;
use crate::error::AppResult;

/// How long a request that never finished blocks its key before a retry may take it over.
pub const LEASE: Duration = Duration::from_secs(60);

fn scope<'a>(p: &Principal, method: &'a str, path: &'a str, key: &'a str) -> Scope<'a> {
    Scope {
        ws: p.workspace_id,
        principal: p.user_id,
        method,
        path,
        key,
    }
}

pub async fn claim(
    app: &App,
    p: &Principal,
    method: &str,
    path: &str,
    key: &str,
    request_hash: &[u8],
) -> AppResult<Claim> {
    let mut tx = app.db.write().await?;
    let claim = idempotency::claim(
        &mut tx,
        &scope(p, method, path, key),
        request_hash,
        app.now(),
        LEASE,
    )
    .await?;
    tx.commit().await?;
    Ok(claim)
}

pub async fn complete(
    app: &App,
    p: &Principal,
    method: &str,
    path: &str,
    key: &str,
    answer: &Stored,
) -> AppResult<()> {
    let mut tx = app.db.write().await?;
    idempotency::complete(&mut tx, &scope(p, method, path, key), answer).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn release(
    app: &App,
    p: &Principal,
    method: &str,
    path: &str,
    key: &str,
) -> AppResult<()> {
    let mut tx = app.db.write().await?;
    idempotency::release(&mut tx, &scope(p, method, path, key)).await?;
    tx.commit().await?;
    Ok(())
}
