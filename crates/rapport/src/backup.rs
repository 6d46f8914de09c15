//! `rapport backup`, `rapport restore` and `rapport copy`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use rapport_app::backup::{self, CopyStep};
use rapport_store::backup::{Existing, Summary};
use serde_json::json;

use crate::cli::Global;
use crate::setup::{self, explain};

fn is_stdio(path: &Path) -> bool {
    path.as_os_str() == "-"
}

fn report(g: &Global, verb: &str, where_: &str, summary: &Summary, started: Instant) {
    if g.json {
        let tables: serde_json::Map<String, serde_json::Value> = summary
            .per_table
            .iter()
            .map(|s| (s.table.clone(), json!(s.rows)))
            .collect();
        let checksums: serde_json::Map<String, serde_json::Value> = summary
            .per_table
            .iter()
            .map(|s| (s.table.clone(), json!(s.checksum)))
            .collect();
        println!(
            "{}",
            json!({"schema": summary.schema, "rows": summary.rows, "tables": tables,
                   "checksums": checksums, "seconds": started.elapsed().as_secs_f64()})
        );
    } else {
        eprintln!(
            "{verb} {} rows in {} tables (schema {}) {where_} in {:.1} s",
            summary.rows,
            summary.tables,
            summary.schema,
            started.elapsed().as_secs_f64()
        );
    }
}

fn partial_path(to: &Path) -> PathBuf {
    let mut name = to.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    to.with_file_name(name)
}

pub async fn backup(g: &Global, to: &Path, force: bool) -> anyhow::Result<()> {
    let started = Instant::now();
    let app = setup::app_as_is(g).await?;
    let mut progress = |_: &str, _: u64| {};
    if is_stdio(to) {
        let out = BufWriter::with_capacity(1 << 20, std::io::stdout());
        let (mut out, summary) = backup::backup(&app, out, &mut progress)
            .await
            .map_err(explain)?;
        out.flush()?;
        report(g, "Backed up", "to standard output", &summary, started);
        return Ok(());
    }
    if to.exists() && !force {
        bail!(
            "{} exists; choose another file or pass --force to replace it",
            to.display()
        );
    }
    let partial = partial_path(to);
    let file =
        File::create(&partial).with_context(|| format!("cannot create {}", partial.display()))?;
    let result = backup::backup(&app, BufWriter::with_capacity(1 << 20, file), &mut progress).await;
    let (out, summary) = match result {
        Ok(done) => done,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(explain(e));
        }
    };
    let file = out
        .into_inner()
        .map_err(|e| anyhow::anyhow!("writing {}: {}", partial.display(), e.error()))?;
    // Durable before it takes the final name: a crash never leaves a short file there.
    file.sync_all()
        .with_context(|| format!("syncing {}", partial.display()))?;
    std::fs::rename(&partial, to)
        .with_context(|| format!("renaming {} to {}", partial.display(), to.display()))?;
    if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(d) = File::open(dir)
    {
        let _ = d.sync_all();
    }
    let size = std::fs::metadata(to).map(|m| m.len()).unwrap_or(0);
    report(
        g,
        "Backed up",
        &format!("to {} ({:.1} MB)", to.display(), size as f64 / 1e6),
        &summary,
        started,
    );
    Ok(())
}

pub async fn restore(g: &Global, from: &Path, check: bool) -> anyhow::Result<()> {
    let started = Instant::now();
    let input: Box<dyn std::io::Read + Send> = if is_stdio(from) {
        Box::new(std::io::stdin())
    } else {
        Box::new(File::open(from).with_context(|| format!("cannot open {}", from.display()))?)
    };
    if check {
        let summary = backup::verify(input).map_err(explain)?;
        report(
            g,
            "Checked",
            &format!("in {}", from.display()),
            &summary,
            started,
        );
        return Ok(());
    }
    let app = setup::app_as_is(g).await?;
    let mut progress = |_: &str, _: u64| {};
    let summary = backup::restore(&app, input, &mut progress)
        .await
        .map_err(explain)?;
    report(
        g,
        "Restored",
        &format!("into {}", crate::cli::describe_database(&g.database_url)),
        &summary,
        started,
    );
    Ok(())
}

/// Whether two URLs name the same database: the same SQLite file however it is spelled, or
/// the same PostgreSQL URL. (Two spellings of one PostgreSQL database are not caught here;
/// the copy then finds the target holding data and refuses it unless --replace.)
fn same_database(a: &str, b: &str) -> bool {
    let file = |p: PathBuf| std::fs::canonicalize(&p).unwrap_or(p);
    match (crate::cli::sqlite_path(a), crate::cli::sqlite_path(b)) {
        (Some(x), Some(y)) => file(x) == file(y),
        (None, None) => a.trim() == b.trim(),
        _ => false,
    }
}

pub async fn copy(g: &Global, from: &str, to: &str, replace: bool) -> anyhow::Result<()> {
    let started = Instant::now();
    if same_database(from, to) {
        bail!("--from and --to name the same database; copy into another one");
    }
    // Opening a SQLite URL creates the file: a mistyped source would copy an empty database.
    if let Some(path) = crate::cli::sqlite_path(from)
        && !path.exists()
    {
        bail!(
            "there is no database to copy from: {} does not exist",
            path.display()
        );
    }
    let source = setup::app_at(g, from).await?;
    let target = setup::app_at(g, to).await?;
    let existing = if replace {
        Existing::Replace
    } else {
        Existing::Refuse
    };
    let mut progress = |step: CopyStep, table: &str, rows: u64| {
        let verb = match step {
            CopyStep::Read => "read",
            CopyStep::Written => "wrote",
            CopyStep::Checked => "checked",
        };
        eprintln!("{verb:>7} {table}: {rows} rows");
    };
    let summary = backup::copy(&source, &target, existing, &mut progress)
        .await
        .map_err(explain)?;
    source.db.close().await;
    target.db.close().await;
    report(
        g,
        "Copied",
        &format!(
            "from {} to {}, every table's checksum matching,",
            crate::cli::describe_database(from),
            crate::cli::describe_database(to)
        ),
        &summary,
        started,
    );
    Ok(())
}
