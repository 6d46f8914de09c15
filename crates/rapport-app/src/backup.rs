//! Backing up, restoring and copying the whole database: operator work, done from the
//! command line.
//!
//! A backup holds every workspace as of one instant, written while the server keeps
//! running. A restore goes into an empty database of either backend: the schema is brought
//! to the backup's version, the rows go in within one transaction, then any newer
//! migrations run, so an older backup restores into a newer Rapport. A copy is a backup
//! restored straight into another database (moving from SQLite up to PostgreSQL), checked
//! table by table against the source before it commits.

use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::sync::Mutex;

use rapport_core::Id;
use rapport_core::audit::{Actor, AuditAction};
use rapport_store::backup::{self, Check, Existing, Summary};
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
        mismatch @ StoreError::Mismatch(_) => AppError::Conflict {
            code: "copy_mismatch",
            message: mismatch.to_string(),
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
    note_everywhere(
        app,
        AuditAction::WorkspaceRestored,
        json!({"rows": summary.rows, "schema": summary.schema}),
    )
    .await
}

/// One audit entry per workspace, each in its own transaction, written by the operator.
async fn note_everywhere(
    app: &App,
    action: AuditAction,
    detail: serde_json::Value,
) -> AppResult<()> {
    for ws in crate::workspaces::list(app).await? {
        let mut w = WriteTx::begin(app, ws.id, Actor::Operator, &RequestMeta::default()).await?;
        w.audit(
            action,
            "workspace",
            Some(ws.id.as_uuid()),
            Vec::new(),
            Some(detail.clone()),
        )
        .await?;
        w.commit().await?;
    }
    Ok(())
}

/// What a copy is doing when it reports a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CopyStep {
    /// Read from the source's snapshot.
    Read,
    /// Written into the target.
    Written,
    /// Read back from the target and compared with the source.
    Checked,
}

/// Copies every workspace, with its records, audit history and sessions, from `source`
/// into `target` (either backend to either backend), and returns the tables, rows and
/// checksums both sides agree on.
///
/// The source must be at this Rapport's schema; it is read in one snapshot, so it may keep
/// serving. The target is migrated, and must hold no data unless `existing` is
/// [`Existing::Replace`]. The rows pass through a temporary file (memory stays flat however
/// large the database), go into the target in one transaction, and are read back and
/// compared table by table with the source's snapshot before that transaction commits: a
/// failed or mismatched copy leaves the target's data as it was (its schema migrated).
pub async fn copy(
    source: &App,
    target: &App,
    existing: Existing,
    progress: &mut (dyn FnMut(CopyStep, &str, u64) + Send),
) -> AppResult<Summary> {
    ensure_copyable(source).await?;
    if existing == Existing::Refuse
        && let Some((table, rows)) = backup::holds_data(&target.db).await.map_err(explain)?
    {
        return Err(AppError::Conflict {
            code: "not_empty",
            message: format!(
                "the target database already holds data (table {table} has {rows} rows); copy \
                 into an empty database, or pass --replace to delete what it holds and put the \
                 source's data in its place"
            ),
        });
    }
    migrate::migrate(&target.db, target.now())
        .await
        .map_err(|e| in_target(explain(e)))?;
    // One lock for the three steps' reports: they come from two callbacks alive at once.
    let progress = Mutex::new(progress);
    let report = |step: CopyStep| {
        let progress = &progress;
        move |table: &str, rows: u64| {
            if let Ok(mut p) = progress.lock() {
                p(step, table, rows);
            }
        }
    };
    let file = tempfile::tempfile().map_err(|e| temp_file("create", &e))?;
    let (out, written) = backup::write(
        &source.db,
        BufWriter::with_capacity(1 << 20, file),
        env!("CARGO_PKG_VERSION"),
        &source.now().to_rfc3339(),
        &mut report(CopyStep::Read),
    )
    .await
    .map_err(explain)?;
    let mut file = out
        .into_inner()
        .map_err(|e| temp_file("write", e.error()))?;
    file.seek(SeekFrom::Start(0))
        .map_err(|e| temp_file("rewind", &e))?;
    let summary = backup::restore(
        &target.db,
        backup::open(file).map_err(explain)?,
        existing,
        Some(Check {
            expect: &written.per_table,
            progress: &mut report(CopyStep::Checked),
        }),
        &mut report(CopyStep::Written),
    )
    .await
    .map_err(|e| in_target(explain(e)))?;
    target.db.optimize().await?;
    note_everywhere(
        target,
        AuditAction::WorkspaceCopied,
        json!({"rows": summary.rows, "schema": summary.schema,
               "from": source.db.backend().as_str()}),
    )
    .await?;
    Ok(summary)
}

/// Refuses a source this binary cannot read as it stands: a copy writes the target at this
/// Rapport's schema, so the source must be there too.
async fn ensure_copyable(source: &App) -> AppResult<()> {
    migrate::ensure_current(&source.db)
        .await
        .map_err(|e| match e {
            StoreError::Migration(message) => AppError::Conflict {
                code: "schema",
                message: format!(
                    "the source database cannot be copied as it is: {message} (with \
                     --database-url pointing at the source), then copy"
                ),
            },
            other => other.into(),
        })
}

/// Says which of the two databases an error is about (a mismatch already says).
fn in_target(e: AppError) -> AppError {
    match e {
        AppError::Conflict { code, message } if code != "copy_mismatch" => AppError::Conflict {
            code,
            message: format!("the target database: {message}"),
        },
        other => other,
    }
}

fn temp_file(what: &str, e: &std::io::Error) -> AppError {
    AppError::Conflict {
        code: "temp_file",
        message: format!(
            "cannot {what} the temporary file the copy passes through (set TMPDIR to a \
             directory with room for a compressed copy of the database): {e}"
        ),
    }
}
