//! `rapport`: one binary for serving, migrating and administering Rapport.

mod admin;
mod analytics;
mod backup;
mod cli;
mod demo;
mod rates;
mod serve;
mod setup;
mod transfer;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    setup::tracing(&cli.global);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve(args) => serve::run(&cli.global, args)
            .await
            .map(|()| ExitCode::SUCCESS),
        Command::Migrate { check } => admin::migrate(&cli.global, check).await,
        Command::Workspace(cmd) => admin::workspace(&cli.global, cmd)
            .await
            .map(|()| ExitCode::SUCCESS),
        Command::User(cmd) => admin::user(&cli.global, cmd)
            .await
            .map(|()| ExitCode::SUCCESS),
        Command::Token(cmd) => admin::token(&cli.global, cmd)
            .await
            .map(|()| ExitCode::SUCCESS),
        Command::Demo(args) => demo::run(&cli.global, &args)
            .await
            .map(|()| ExitCode::SUCCESS),
        Command::Backup { to, force } => backup::backup(&cli.global, &to, force)
            .await
            .map(|()| ExitCode::SUCCESS),
        Command::Restore { from, check } => backup::restore(&cli.global, &from, check)
            .await
            .map(|()| ExitCode::SUCCESS),
        Command::Copy { from, to, replace } => backup::copy(&cli.global, &from, &to, replace)
            .await
            .map(|()| ExitCode::SUCCESS),
        Command::Import(cmd) => match cmd.what {
            Some(what) => analytics::import(&cli.global, what).await,
            None => transfer::import(&cli.global, &cmd.records).await,
        },
        Command::Export(args) => transfer::export(&cli.global, &args).await,
        Command::Analytics(cmd) => analytics::run(&cli.global, cmd).await,
        Command::Rates(cmd) => rates::run(&cli.global, cmd).await,
        Command::Openapi => {
            println!(
                "{}",
                serde_json::to_string_pretty(rapport_web::api::document())?
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
