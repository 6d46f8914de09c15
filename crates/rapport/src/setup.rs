//! Start-up wiring shared by the commands: logging, the database and the app.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use rapport_app::clock::SystemClock;
use rapport_app::{App, AppError, Settings};
use rapport_store::{Db, DbOptions, StoreError};
use tracing_subscriber::EnvFilter;

use crate::cli::{Global, LogFormat};

pub fn tracing(g: &Global) {
    let filter = EnvFilter::try_new(&g.log).unwrap_or_else(|_| EnvFilter::new("info"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi);
    let _ = match g.log_format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

pub async fn connect(g: &Global) -> anyhow::Result<Db> {
    connect_to(g, &g.database_url).await
}

/// Opens the database at `url` with the other settings of `g` (`rapport copy` opens two).
async fn connect_to(g: &Global, url: &str) -> anyhow::Result<Db> {
    let options = DbOptions {
        url: url.to_owned(),
        allow_unsafe: g.allow_unsafe_db,
        max_connections: g.db_pool_size,
        acquire_timeout: Duration::from_secs(g.db_acquire_timeout),
        busy_timeout: Duration::from_secs(g.db_busy_timeout),
        statement_timeout: (g.db_statement_timeout > 0)
            .then(|| Duration::from_secs(g.db_statement_timeout)),
    };
    Db::connect(&options).await.map_err(|e| match e {
        StoreError::UnsafeSettings(list) => anyhow::anyhow!(
            "refusing to start: {}. Fix the database settings, or pass --allow-unsafe-db to run \
             anyway and risk losing acknowledged writes",
            list.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        ),
        other => anyhow::anyhow!(
            "cannot open the database ({}): {other}",
            crate::cli::describe_database(url)
        ),
    })
}

/// Opens the database for an administrative command: migrated, or refused.
pub async fn app_for_admin(g: &Global) -> anyhow::Result<App> {
    let db = connect(g).await?;
    let applied =
        rapport_store::migrate::migrate(&db, rapport_app::clock::Clock::now(&SystemClock))
            .await
            .context("migrating the database")?;
    if !applied.is_empty() {
        tracing::info!(?applied, "applied migrations");
    }
    Ok(App::new(db, Arc::new(SystemClock), Settings::default()))
}

/// Opens the database as it is, without migrating: backups must be possible before an
/// upgrade, and restores migrate in their own order.
pub async fn app_as_is(g: &Global) -> anyhow::Result<App> {
    app_at(g, &g.database_url).await
}

/// Opens the database at `url` as it is, with the other settings of `g`.
pub async fn app_at(g: &Global, url: &str) -> anyhow::Result<App> {
    let db = connect_to(g, url).await?;
    Ok(App::new(db, Arc::new(SystemClock), Settings::default()))
}

/// Turns a use-case error into a message for a terminal user.
pub fn explain(e: AppError) -> anyhow::Error {
    match e {
        AppError::Invalid(errors) => anyhow::anyhow!(
            "{}",
            errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("\n       ")
        ),
        AppError::NotFound => anyhow::anyhow!("not found"),
        AppError::Conflict { message, .. } => anyhow::anyhow!("{message}"),
        other => anyhow::anyhow!("{other}"),
    }
}
