//! Administrative commands: migrations, workspaces, users and tokens. They act as the
//! operator (whoever can reach the database) and are audited as such.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use rapport_app::model::User;
use rapport_app::tokens::NewTokenInput;
use rapport_app::users::{NewUserInput, UserPatch};
use rapport_app::workspaces::NewWorkspaceInput;
use rapport_app::{App, tokens, users, workspaces};
use rapport_core::{TokenId, WorkspaceId};
use serde_json::json;

use crate::cli::{Global, TokenCommand, UserCommand, WorkspaceArg, WorkspaceCommand};
use crate::setup::{self, explain};

pub async fn migrate(g: &Global, check: bool) -> anyhow::Result<ExitCode> {
    let db = setup::connect(g).await?;
    if check {
        let status = rapport_store::migrate::status(&db).await?;
        for a in &status.applied {
            println!(
                "applied  {:>4}  {}  ({}, {})",
                a.version, a.name, a.state, a.applied_at
            );
        }
        for (v, name) in &status.pending {
            println!("pending  {v:>4}  {name}");
        }
        for p in &status.problems {
            println!("problem: {p}");
        }
        if status.is_current() {
            println!("the schema is current");
            return Ok(ExitCode::SUCCESS);
        }
        return Ok(ExitCode::FAILURE);
    }
    let now = rapport_app::clock::Clock::now(&rapport_app::clock::SystemClock);
    let applied = rapport_store::migrate::migrate(&db, now).await?;
    if applied.is_empty() {
        println!("nothing to apply; the schema is current");
    } else {
        println!("applied migrations {applied:?}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads a password: twice without echo from a terminal, else the first line of stdin.
fn read_password(prompt: &str) -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(format!("{prompt}: "))?;
        let second = rpassword::prompt_password("Again: ")?;
        if first != second {
            bail!("the two passwords differ");
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("reading the password from stdin")?;
        let password = line.trim_end_matches(['\r', '\n']).to_owned();
        if password.is_empty() {
            bail!(
                "no password on stdin (pipe it in, e.g. `printf '%s\\n' \"$PASSWORD\" | rapport …`)"
            );
        }
        Ok(password)
    }
}

pub async fn workspace(g: &Global, cmd: WorkspaceCommand) -> anyhow::Result<()> {
    let app = setup::app_for_admin(g).await?;
    match cmd {
        WorkspaceCommand::Create {
            name,
            admin_email,
            admin_name,
            slug,
        } => {
            let password = read_password(&format!("Password for {admin_email}"))?;
            let input = NewWorkspaceInput {
                name,
                slug,
                admin_email,
                admin_name,
                admin_password: Some(password),
                is_demo: false,
            };
            let created = workspaces::create(&app, &input).await.map_err(explain)?;
            if g.json {
                println!(
                    "{}",
                    json!({"workspace": {"id": created.workspace.id, "slug": created.workspace.slug},
                           "admin": {"id": created.admin.user.id, "email": created.admin.user.email}})
                );
            } else {
                println!(
                    "created workspace {} ({}) with admin {}",
                    created.workspace.name, created.workspace.slug, created.admin.user.email
                );
            }
        }
        WorkspaceCommand::List => {
            let all = workspaces::list(&app).await.map_err(explain)?;
            if g.json {
                let rows: Vec<_> = all
                    .iter()
                    .map(|w| json!({"id": w.id, "slug": w.slug, "name": w.name, "demo": w.is_demo}))
                    .collect();
                println!("{}", serde_json::Value::Array(rows));
            } else {
                println!("{:<24} {:<36} NAME", "SLUG", "ID");
                for w in all {
                    println!(
                        "{:<24} {:<36} {}{}",
                        w.slug,
                        w.id,
                        w.name,
                        if w.is_demo { " (demo)" } else { "" }
                    );
                }
            }
        }
    }
    Ok(())
}

async fn resolve(app: &App, ws: &WorkspaceArg) -> anyhow::Result<WorkspaceId> {
    Ok(workspaces::resolve(app, ws.workspace.as_deref())
        .await
        .map_err(explain)?
        .id)
}

async fn find_user(app: &App, ws: WorkspaceId, email: &str) -> anyhow::Result<User> {
    users::find_by_email(app, ws, email)
        .await
        .map_err(|e| match e {
            rapport_app::AppError::NotFound => {
                anyhow::anyhow!("no user with e-mail {email} in this workspace")
            }
            other => explain(other),
        })
}

fn print_user(g: &Global, verb: &str, u: &User) {
    if g.json {
        println!("{}", user_json(u));
    } else {
        println!(
            "{verb} {} ({}, {}{})",
            u.email,
            u.display_name,
            u.role,
            if u.enabled { "" } else { ", disabled" }
        );
    }
}

fn user_json(u: &User) -> serde_json::Value {
    json!({"id": u.id, "email": u.email, "display_name": u.display_name, "role": u.role,
           "team_id": u.team_id, "enabled": u.enabled, "last_login_at": u.last_login_at})
}

pub async fn user(g: &Global, cmd: UserCommand) -> anyhow::Result<()> {
    let app = setup::app_for_admin(g).await?;
    match cmd {
        UserCommand::Add {
            ws,
            email,
            name,
            role,
            generate_password,
        } => {
            let ws = resolve(&app, &ws).await?;
            let password = if generate_password {
                None
            } else {
                Some(read_password(&format!("Password for {email}"))?)
            };
            let input = NewUserInput {
                email,
                display_name: name,
                role,
                password,
                ..NewUserInput::default()
            };
            let created = users::add_as_operator(&app, ws, &input)
                .await
                .map_err(explain)?;
            print_user(g, "added", &created.user);
            if let Some(p) = created.generated_password {
                if g.json {
                    println!("{}", json!({"password": p}));
                } else {
                    println!("password: {p}\n(shown once)");
                }
            }
        }
        UserCommand::List { ws } => {
            let ws = resolve(&app, &ws).await?;
            let all = users::list_as_operator(&app, ws).await.map_err(explain)?;
            if g.json {
                println!(
                    "{}",
                    serde_json::Value::Array(all.iter().map(user_json).collect())
                );
            } else {
                println!("{:<36} {:<10} {:<8} NAME", "E-MAIL", "ROLE", "ENABLED");
                for u in all {
                    println!(
                        "{:<36} {:<10} {:<8} {}",
                        u.email,
                        u.role,
                        if u.enabled { "yes" } else { "no" },
                        u.display_name
                    );
                }
            }
        }
        UserCommand::Enable { ws, email } => {
            change(g, &app, &ws, &email, enabled(true), "enabled").await?
        }
        UserCommand::Disable { ws, email } => {
            change(g, &app, &ws, &email, enabled(false), "disabled").await?
        }
        UserCommand::SetRole { ws, email, role } => {
            let patch = UserPatch {
                role: Some(role),
                ..UserPatch::default()
            };
            change(g, &app, &ws, &email, patch, "changed").await?;
        }
        UserCommand::SetPassword { ws, email } => {
            let ws = resolve(&app, &ws).await?;
            let user = find_user(&app, ws, &email).await?;
            let password = read_password(&format!("New password for {email}"))?;
            users::set_password_as_operator(&app, ws, user.id, &password)
                .await
                .map_err(explain)?;
            println!("password changed for {email}; their sessions and tokens have ended");
        }
    }
    Ok(())
}

fn enabled(on: bool) -> UserPatch {
    UserPatch {
        enabled: Some(on),
        ..UserPatch::default()
    }
}

async fn change(
    g: &Global,
    app: &App,
    ws: &WorkspaceArg,
    email: &str,
    patch: UserPatch,
    verb: &str,
) -> anyhow::Result<()> {
    let ws = resolve(app, ws).await?;
    let user = find_user(app, ws, email).await?;
    let updated = users::update_as_operator(app, ws, user.id, &patch)
        .await
        .map_err(explain)?;
    print_user(g, verb, &updated);
    Ok(())
}

pub async fn token(g: &Global, cmd: TokenCommand) -> anyhow::Result<()> {
    let app = setup::app_for_admin(g).await?;
    match cmd {
        TokenCommand::Create {
            ws,
            email,
            name,
            scope,
            expires_in_days,
        } => {
            let ws = resolve(&app, &ws).await?;
            let user = find_user(&app, ws, &email).await?;
            let expires_at = expires_in_days.map(|d| {
                app.now()
                    .saturating_add(Duration::from_secs(u64::from(d) * 86_400))
            });
            let input = NewTokenInput {
                name,
                scope,
                expires_at,
            };
            let issued = tokens::create_as_operator(&app, ws, user.id, &input)
                .await
                .map_err(explain)?;
            if g.json {
                println!(
                    "{}",
                    json!({"id": issued.token.id, "token": issued.secret, "scope": issued.token.scope.as_str()})
                );
            } else {
                println!("{}", issued.secret);
                eprintln!(
                    "(token {} for {email}, scope {}; shown once)",
                    issued.token.id,
                    issued.token.scope.as_str()
                );
            }
        }
        TokenCommand::List { ws, email } => {
            let ws = resolve(&app, &ws).await?;
            let user = find_user(&app, ws, &email).await?;
            let all = tokens::list_as_operator(&app, ws, user.id)
                .await
                .map_err(explain)?;
            if g.json {
                let rows: Vec<_> = all
                    .iter()
                    .map(|t| json!({"id": t.id, "name": t.name, "hint": t.hint, "scope": t.scope.as_str(),
                        "expires_at": t.expires_at, "last_used_at": t.last_used_at, "revoked_at": t.revoked_at}))
                    .collect();
                println!("{}", serde_json::Value::Array(rows));
            } else {
                println!(
                    "{:<36} {:<10} {:<12} {:<10} NAME",
                    "ID", "HINT", "SCOPE", "STATE"
                );
                for t in all {
                    let state = if t.revoked_at.is_some() {
                        "revoked"
                    } else if t.expires_at.is_some_and(|e| e <= app.now()) {
                        "expired"
                    } else {
                        "live"
                    };
                    println!(
                        "{:<36} {:<10} {:<12} {:<10} {}",
                        t.id,
                        t.hint,
                        t.scope.as_str(),
                        state,
                        t.name
                    );
                }
            }
        }
        TokenCommand::Revoke { ws, id } => {
            let ws = resolve(&app, &ws).await?;
            let id: TokenId = id
                .parse()
                .map_err(|_| anyhow::anyhow!("{id} is not a token id"))?;
            tokens::revoke_as_operator(&app, ws, id)
                .await
                .map_err(explain)?;
            println!("revoked");
        }
    }
    Ok(())
}
