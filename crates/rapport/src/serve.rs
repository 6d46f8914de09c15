//! `rapport serve`: the HTTP server, the metrics listener and periodic maintenance.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use rapport_app::clock::SystemClock;
use rapport_app::{App, Settings};
use rapport_core::session::SessionTimeouts;
use rapport_web::{AppState, WebConfig};
use tokio::net::TcpListener;

use crate::cli::{Global, ServeArgs};
use crate::setup;

pub async fn run(g: &Global, args: ServeArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let db = setup::connect(g).await?;
    let now = rapport_app::clock::Clock::now(&SystemClock);
    if args.no_auto_migrate {
        rapport_store::migrate::ensure_current(&db)
            .await
            .context("checking the schema")?;
    } else {
        rapport_store::migrate::migrate(&db, now)
            .await
            .context("migrating the database")?;
    }
    let settings = Settings {
        sessions: SessionTimeouts {
            idle: Duration::from_secs(args.session_idle_minutes.max(1) * 60),
            absolute: Duration::from_secs(args.session_max_hours.max(1) * 3600),
            ..SessionTimeouts::default()
        },
        ..Settings::default()
    };
    db.optimize().await.context("refreshing query statistics")?;
    let app = App::new(db, Arc::new(SystemClock), settings);
    let url = format!("http://{}", args.bind);
    if args.demo {
        crate::demo::create_or_show(&app, &args.demo_args, Some(&url), false).await?;
    }
    let config = WebConfig {
        cors_origins: args.cors_origin.clone(),
        max_body_bytes: args.max_body_bytes,
        secure_cookies: args.secure_cookies,
        trust_proxy: args.trust_proxy,
        metrics_on_main: args.metrics_bind.is_none(),
    };
    let state = AppState {
        app: app.clone(),
        config: Arc::new(config),
        metrics: rapport_web::metrics::Metrics::install(),
    };
    let listener = TcpListener::bind(args.bind)
        .await
        .with_context(|| format!("cannot listen on {}", args.bind))?;
    if let Some(addr) = args.metrics_bind {
        let metrics = TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let router = rapport_web::metrics_router(state.clone());
        tokio::spawn(async move {
            if let Err(e) = axum::serve(metrics, router).await {
                tracing::error!(error = %e, "the metrics listener stopped");
            }
        });
        tracing::info!(%addr, "metrics listening");
    }
    tokio::spawn(rapport_app::jobs::work(
        app.clone(),
        format!("serve-{}", std::process::id()),
        Duration::from_secs(1),
        std::future::pending(),
    ));
    tokio::spawn(maintain(app));
    let router = rapport_web::router(state).into_make_service_with_connect_info::<SocketAddr>();
    tracing::info!(%url, database = %crate::cli::describe_database(&g.database_url),
        ready_ms = started.elapsed().as_millis() as u64, "Rapport is ready");
    println!("Rapport is listening on {url}");
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown())
        .await
        .context("serving HTTP")?;
    tracing::info!("stopped");
    Ok(())
}

/// Removes expired sessions and stale limiter state every five minutes.
async fn maintain(app: App) {
    let mut tick = tokio::time::interval(Duration::from_secs(300));
    loop {
        tick.tick().await;
        match rapport_app::maintenance::sweep(&app).await {
            Ok(report) => tracing::debug!(?report, "maintenance sweep"),
            Err(e) => tracing::warn!(error = %e, "maintenance sweep failed"),
        }
    }
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
