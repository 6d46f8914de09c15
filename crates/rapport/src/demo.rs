//! `rapport demo` and `rapport serve --demo`: make the demo workspace and say how to sign in.

use std::io::{IsTerminal, Write as _};
use std::time::Instant;

use rapport_app::App;
use rapport_app::demo::{self, DemoOptions, DemoOutcome};
use rapport_core::demo::DemoSize;
use serde_json::json;

use crate::cli::{DemoArgs, Global};
use crate::setup::{self, explain};

pub async fn run(g: &Global, args: &DemoArgs) -> anyhow::Result<()> {
    let app = setup::app_for_admin(g).await?;
    let outcome = create_or_show(&app, args, None, g.json).await?;
    if g.json {
        println!("{}", serde_json::to_string_pretty(&outcome_json(&outcome))?);
    }
    Ok(())
}

fn options(args: &DemoArgs) -> DemoOptions {
    let size = if args.contacts == DemoSize::STANDARD.contacts {
        DemoSize::STANDARD
    } else {
        DemoSize::for_contacts(args.contacts)
    };
    DemoOptions {
        seed: args.seed,
        reference: args.date,
        size,
    }
}

/// Creates the demo (or finds it) and prints the sign-in details.
pub async fn create_or_show(
    app: &App,
    args: &DemoArgs,
    url: Option<&str>,
    quiet: bool,
) -> anyhow::Result<DemoOutcome> {
    let started = Instant::now();
    let interactive = std::io::stderr().is_terminal();
    let mut last_report = Instant::now();
    let mut progress = move |done: u64, total: u64| {
        if interactive && last_report.elapsed().as_millis() > 500 {
            last_report = Instant::now();
            eprint!("\rwriting demo records: {done} of {total}");
            let _ = std::io::stderr().flush();
        }
    };
    let outcome = demo::ensure(app, &options(args), &mut progress)
        .await
        .map_err(explain)?;
    if interactive {
        eprint!("\r\x1b[K");
    }
    if !quiet {
        print_outcome(&outcome, url, started);
    }
    Ok(outcome)
}

fn print_outcome(outcome: &DemoOutcome, url: Option<&str>, started: Instant) {
    match outcome {
        DemoOutcome::Created {
            workspace,
            email,
            password,
            counts,
            users,
        } => {
            println!(
                "Created the demo workspace \"{}\" in {:.1} s: {} companies, {} contacts, {} \
                 leads, {} opportunities, {} activities.",
                workspace.name,
                started.elapsed().as_secs_f64(),
                counts.companies,
                counts.contacts,
                counts.leads,
                counts.opportunities,
                counts.activities
            );
            if let Some(url) = url {
                println!("  URL:      {url}");
            }
            println!("  E-mail:   {email}");
            println!("  Password: {password}");
            println!("  (shown once; reset it with `rapport user set-password --email {email}`)");
            println!("  The other demo users sign in with the same password:");
            for (email, role) in users {
                println!("    {email:<28} {role}");
            }
        }
        DemoOutcome::Existing { workspace, email } => {
            println!("Using the demo workspace \"{}\".", workspace.name);
            if let Some(url) = url {
                println!("  URL:      {url}");
            }
            println!("  E-mail:   {email}");
            println!(
                "  (password shown when it was created; reset it with `rapport user set-password --email {email}`)"
            );
        }
    }
}

fn outcome_json(outcome: &DemoOutcome) -> serde_json::Value {
    match outcome {
        DemoOutcome::Created {
            workspace,
            email,
            password,
            counts,
            users,
        } => json!({
            "created": true,
            "workspace": workspace.slug,
            "email": email,
            "password": password,
            "users": users.iter().map(|(e, r)| json!({"email": e, "role": r})).collect::<Vec<_>>(),
            "counts": {
                "companies": counts.companies,
                "contacts": counts.contacts,
                "leads": counts.leads,
                "opportunities": counts.opportunities,
                "activities": counts.activities,
            },
        }),
        DemoOutcome::Existing { workspace, email } => json!({
            "created": false,
            "workspace": workspace.slug,
            "email": email,
        }),
    }
}
