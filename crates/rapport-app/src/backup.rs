//! Backing up and restoring the whole database: operator work, done from the command line.
//!
//! A backup holds every workspace as of one instant, written while the server keeps
//! running. A restore goes into an empty database of either backend: the schema is brought
//! to the backup's version, the rows go in within one transaction, then any newer
//! migrations run, so an older backup restores into a newer Rapport.

use std::io::{Read, Write};

use rapport_core::Id;
use rapport_core::audit::{Actor, AuditAction};
use rapport_store::backup::{self, Existing, Summary};
use rapport_store::{StoreError, migrate};
use serde_json::json;

use crate::error::{AppError, AppResult};
use crate::write::Write as WriteTx;
use crate::{App, RequestMeta};

fn explain(e: StoreError) -> AppError {
    match e {
        StoreError::Backup(message) => AppError::Conflict {
            code: "bad_backup",
            message,
        },
        StoreError::NotEmpty(message) => AppError::Conflict {
            code: "not_empty",
            message,
        },
        StoreError::Migration(message) => AppError::Conflict {
            code: "schema",
            message,
        },
        other => other.into(),
    }
}

/// Writes a consistent backup to `out`; `progress` hears each table and its row count.
pub async fn backup<W: Write + Send>(
    app: &App,
    out: W,
    progress: &mut (dyn FnMut(&str, u64) + Send),
) -> AppResult<(W, Summary)> {
    backup::write(
        &app.db,
        out,
        env!("CARGO_PKG_VERSION"),
        &app.now().to_rfc3339(),
        progress,
    )
    .await
    .map_err(explain)
}

/// Reads a backup through without touching any database: every line, the counts and the
/// checksum.
pub fn verify<R: Read>(input: R) -> AppResult<Summary> {
    backup::verify(backup::open(input).map_err(explain)?).map_err(explain)
}

/// Restores a backup into this database, which must hold no data.
pub async fn restore<R: Read + Send>(
    app: &App,
    input: R,
    progress: &mut (dyn FnMut(&str, u64) + Send),
) -> AppResult<Summary> {
    let file = backup::open(input).map_err(explain)?;
    let newest = migrate::embedded(app.db.backend())
        .last()
        .map_or(0, |m| m.version);
    if file.header.schema > newest {
        return Err(AppError::Conflict {
            code: "schema",
            message: format!(
                "the backup was made by Rapport {} at schema {}; this Rapport knows schema {newest} \
                 at most: restore it with that version or newer",
                file.header.rapport, file.header.schema
            ),
        });
    }
    backup::ensure_empty(&app.db).await.map_err(explain)?;
    let now = app.now();
    let current = migrate::schema_version(&mut app.db.read().await?).await?;
    if current > file.header.schema {
        return Err(AppError::Conflict {
            code: "schema",
            message: format!(
                "this database is already at schema {current}, newer than the backup's {}; \
                 restore into a new database (Rapport creates it)",
                file.header.schema
            ),
        });
    }
    if file.header.schema > 0 {
        migrate::migrate_to(&app.db, now, file.header.schema)
            .await
            .map_err(explain)?;
    }
    let summary = backup::restore(&app.db, file, Existing::Refuse, None, progress)
        .await
        .map_err(explain)?;
    migrate::migrate(&app.db, now).await.map_err(explain)?;
    app.db.optimize().await?;
    note_restored(app, &summary).await?;
    Ok(summary)
}

/// Leaves a mark in every restored workspace's audit log.
async fn note_restored(app: &App, summary: &Summary) -> AppResult<()> {
    for ws in crate::workspaces::list(app).await? {
        let mut w = WriteTx::begin(app, ws.id, Actor::Operator, &RequestMeta::default()).await?;
        w.audit(
            AuditAction::WorkspaceRestored,
            "workspace",
            Some(ws.id.as_uuid()),
            Vec::new(),
            Some(json!({"rows": summary.rows, "schema": summary.schema})),
        )
        .await?;
        w.commit().await?;
    }
    Ok(())
}
