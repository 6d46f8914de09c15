//! `rapport import` and `rapport export`: the same use cases as the API's jobs, run here and
//! now (no server needed), acting as a user of the workspace (`--as`, by default its first
//! admin) under that user's access policy.

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use rapport_app::imports::{self, ImportOptions};
use rapport_app::{App, Caller, RequestMeta, exports, users, workspaces};
use rapport_core::Role;
use rapport_core::object::ObjectType;
use rapport_core::policy::{Principal, Scope};
use serde_json::json;

use crate::cli::{ExportArgs, ExportFormat, Global, ImportArgs};
use crate::setup::{self, explain};

fn object(name: &str) -> anyhow::Result<ObjectType> {
    ObjectType::ALL
        .into_iter()
        .find(|o| o.plural() == name || o.as_str() == name)
        .with_context(|| {
            format!("--object {name}: not an object (companies, contacts, leads, opportunities)")
        })
}

/// The user a data command acts as: `--as`, or the first enabled admin of the workspace.
pub(crate) async fn caller(
    app: &App,
    workspace: Option<&str>,
    as_user: Option<&str>,
) -> anyhow::Result<Caller> {
    let ws = workspaces::resolve(app, workspace)
        .await
        .map_err(explain)?
        .id;
    let user = match as_user {
        Some(email) => users::find_by_email(app, ws, email)
            .await
            .map_err(|_| anyhow::anyhow!("--as {email}: no such user in this workspace"))?,
        None => users::list_as_operator(app, ws)
            .await
            .map_err(explain)?
            .into_iter()
            .find(|u| u.role == Role::Admin && u.enabled)
            .context("the workspace has no enabled admin; name a user with --as")?,
    };
    if !user.enabled {
        bail!("--as {}: the user is disabled", user.email);
    }
    Ok(Caller {
        principal: Principal {
            workspace_id: ws,
            user_id: user.id,
            role: user.role,
            team_id: user.team_id,
            scope: Scope::ReadWrite,
        },
        meta: RequestMeta {
            request_id: None,
            ip: None,
            user_agent: Some("rapport cli".into()),
        },
    })
}

pub async fn import(g: &Global, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let app = setup::app_for_admin(g).await?;
    let caller = caller(&app, args.ws.workspace.as_deref(), args.as_user.as_deref()).await?;
    let (Some(path), Some(object_name)) = (&args.file, &args.object) else {
        anyhow::bail!(
            "rapport import needs a FILE and --object (or: rapport import transactions FILE)"
        );
    };
    let mut options = ImportOptions::new(object(object_name)?);
    options.dry_run = args.dry_run;
    options.upsert = args.upsert;
    options.skip_bad_rows = args.skip_bad_rows;
    if let Some(email) = &args.owner {
        let u = users::find_by_email(&app, caller.principal.workspace_id, email)
            .await
            .map_err(|_| anyhow::anyhow!("--owner {email}: no such user in this workspace"))?;
        options.owner = Some(u.id);
    }
    for m in &args.map {
        let (header, field) = m.split_once('=').with_context(|| {
            format!("--map {m}: write HEADER=FIELD, or HEADER= to leave the column out")
        })?;
        let field = field.trim();
        options.mapping.insert(
            header.to_owned(),
            (!field.is_empty()).then(|| field.to_owned()),
        );
    }
    let mut file = open(path)?;
    let started = Instant::now();
    let quiet = g.json;
    let mut last = Instant::now();
    let report = imports::import(&app, &caller, &options, &mut file, None, &mut |rows| {
        if !quiet && last.elapsed().as_millis() >= 500 {
            eprint!("\r{rows} rows read…");
            last = Instant::now();
        }
    })
    .await
    .map_err(explain)?;
    let secs = started.elapsed().as_secs_f64();
    let rate = if secs > 0.0 {
        report.rows as f64 / secs
    } else {
        0.0
    };
    if g.json {
        let mut v = serde_json::to_value(&report)?;
        if let Some(m) = v.as_object_mut() {
            m.insert("seconds".into(), json!(secs));
            m.insert("rows_per_second".into(), json!(rate.round()));
        }
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        if report.rows > 0 {
            eprintln!();
        }
        for e in &report.errors {
            match &e.column {
                Some(c) => eprintln!("line {}, column {c:?}: {} ({})", e.line, e.message, e.code),
                None => eprintln!("line {}: {} ({})", e.line, e.message, e.code),
            }
        }
        if report.error_count > report.errors.len() as u64 {
            eprintln!(
                "… and {} more errors",
                report.error_count - report.errors.len() as u64
            );
        }
        let verb = if report.dry_run {
            "dry run of"
        } else if report.succeeded {
            "imported"
        } else {
            "nothing imported from"
        };
        println!(
            "{verb} {} {}: {} rows, {} created, {} updated, {} unchanged, {} skipped, {} errors in {:.2} s ({:.0} rows/s)",
            path.display(),
            report.object,
            report.rows,
            report.created,
            report.updated,
            report.unchanged,
            report.skipped,
            report.error_count,
            secs,
            rate
        );
    }
    Ok(if report.succeeded {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn open(path: &Path) -> anyhow::Result<Box<dyn std::io::Read + Send>> {
    if path == Path::new("-") {
        return Ok(Box::new(std::io::stdin()));
    }
    let f = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    Ok(Box::new(std::io::BufReader::with_capacity(1 << 16, f)))
}

pub async fn export(g: &Global, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let app = setup::app_for_admin(g).await?;
    let caller = caller(&app, args.ws.workspace.as_deref(), args.as_user.as_deref()).await?;
    let object = object(&args.object)?;
    let query: Vec<(String, String)> = args
        .filter
        .iter()
        .flat_map(|f| {
            form_urlencoded::parse(f.trim_start_matches('?').as_bytes())
                .into_owned()
                .collect::<Vec<_>>()
        })
        .collect();
    let (tmp, mut out): (Option<std::path::PathBuf>, Box<dyn std::io::Write + Send>) =
        match &args.to {
            Some(path) if path != Path::new("-") => {
                let tmp = path.with_extension("partial");
                let f = std::fs::File::create(&tmp)
                    .with_context(|| format!("cannot create {}", tmp.display()))?;
                (Some(tmp), Box::new(std::io::BufWriter::new(f)))
            }
            _ => (None, Box::new(std::io::BufWriter::new(std::io::stdout()))),
        };
    let n = match args.format {
        ExportFormat::Csv => {
            exports::export_csv(&app, &caller, object, &query, &mut out, None).await
        }
        ExportFormat::Vcard => {
            if object != ObjectType::Contact {
                bail!("--format vcard exports contacts only");
            }
            exports::contacts_vcards(&app, &caller, &query, &mut out).await
        }
    }
    .map_err(explain)?;
    out.flush()?;
    drop(out);
    if let (Some(tmp), Some(path)) = (tmp, &args.to) {
        std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    }
    if g.json {
        eprintln!("{}", json!({"object": object.plural(), "records": n}));
    } else if args.to.as_ref().is_some_and(|p| p != Path::new("-")) {
        eprintln!("exported {n} {}", object.plural());
    }
    Ok(ExitCode::SUCCESS)
}
