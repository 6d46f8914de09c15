//! `rapport import transactions` and `rapport analytics …`: the CLI doors to the purchase
//! history import and the analytics use cases. Tables, CSV or JSON on stdout; progress on
//! stderr.

use std::io::Write as _;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use rapport_app::analytics::{self, FitInput, Horizon, PredictionSort, PurchaseModel};
use rapport_app::transactions::{self, ImportFormat, ImportOptions};
use rapport_app::{App, Caller};
use rapport_store::orders::{ContactKey, CustomerType};
use serde_json::json;

use crate::cli::{
    ActAs, AnalyticsCommand, AnalyticsCommon, CustomerArg, CustomerKeyArg, FileFormat, Global,
    ImportCommand, OutputFormat,
};
use crate::setup::{self, explain};

/// The user a command acts as: `--as`, or the first enabled admin of the workspace.
async fn caller(app: &App, act: &ActAs) -> anyhow::Result<Caller> {
    crate::transfer::caller(app, act.ws.workspace.as_deref(), act.as_user.as_deref()).await
}

fn progress_line(message: &str) {
    eprint!("\r\x1b[K{message}");
    let _ = std::io::stderr().flush();
}

pub async fn import(g: &Global, cmd: ImportCommand) -> anyhow::Result<ExitCode> {
    let ImportCommand::Transactions {
        act,
        file,
        format,
        customer_key,
        date_format,
        dry_run,
        skip_bad_rows,
    } = cmd;
    let app = setup::app_for_admin(g).await?;
    let who = caller(&app, &act).await?;
    let options = ImportOptions {
        format: match format {
            FileFormat::Csv => ImportFormat::Csv,
            FileFormat::Cdnow => ImportFormat::Cdnow,
        },
        customer_key: match customer_key {
            CustomerKeyArg::ExternalId => ContactKey::ExternalId,
            CustomerKeyArg::Email => ContactKey::Email,
        },
        date_format,
        dry_run,
        skip_bad_rows,
    };
    let input: Box<dyn std::io::Read + Send> = if file.as_os_str() == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(&file).with_context(|| format!("opening {}", file.display()))?)
    };
    let started = Instant::now();
    let interactive = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let mut progress = |rows: u64| {
        if interactive {
            progress_line(&format!("read {rows} rows"));
        }
    };
    let report = transactions::import(&app, &who, input, &options, &mut progress)
        .await
        .map_err(explain)?;
    if interactive {
        progress_line("");
    }
    let seconds = started.elapsed().as_secs_f64();
    let rate = report.rows as f64 / seconds.max(1e-9);
    if g.json {
        let mut v = serde_json::to_value(&report)?;
        v["seconds"] = json!(seconds);
        v["rows_per_second"] = json!(rate.round());
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        for e in &report.errors {
            let column = if e.column.is_empty() {
                String::new()
            } else {
                format!(", column {}", e.column)
            };
            eprintln!("line {}{column}: {}", e.line, e.message);
        }
        if report.bad_rows as usize > report.errors.len() {
            eprintln!(
                "… and {} more bad rows",
                report.bad_rows as usize - report.errors.len()
            );
        }
        if !report.ignored_columns.is_empty() {
            eprintln!("ignored columns: {}", report.ignored_columns.join(", "));
        }
        let verdict = if report.committed {
            "imported"
        } else if report.dry_run {
            "dry run, nothing kept:"
        } else {
            "nothing imported (fix the rows above or pass --skip-bad-rows):"
        };
        println!(
            "{verdict} {} orders from {} rows, {} new contacts, {} bad rows in {seconds:.2} s ({rate:.0} rows/s)",
            report.imported, report.rows, report.contacts_created, report.bad_rows
        );
    }
    Ok(
        if report.committed || (report.dry_run && report.bad_rows == 0) {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        },
    )
}

/// Rows printed as an aligned table, CSV or (by the caller) JSON.
fn print_rows(format: OutputFormat, header: &[&str], rows: &[Vec<String>]) -> anyhow::Result<()> {
    match format {
        OutputFormat::Csv => {
            let mut w = csv::Writer::from_writer(std::io::stdout().lock());
            w.write_record(header)?;
            for r in rows {
                w.write_record(r)?;
            }
            w.flush()?;
        }
        OutputFormat::Table | OutputFormat::Json => {
            let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
            for r in rows {
                for (i, c) in r.iter().enumerate() {
                    if let Some(w) = widths.get_mut(i) {
                        *w = (*w).max(c.chars().count());
                    }
                }
            }
            let line = |cells: Vec<&str>| {
                cells
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let w = widths.get(i).copied().unwrap_or(0);
                        // Numbers right-aligned, text left-aligned.
                        if i > 0 && c.parse::<f64>().is_ok() {
                            format!("{c:>w$}")
                        } else {
                            format!("{c:<w$}")
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("  ")
                    .trim_end()
                    .to_owned()
            };
            let mut out = std::io::stdout().lock();
            writeln!(out, "{}", line(header.to_vec()))?;
            for r in rows {
                writeln!(out, "{}", line(r.iter().map(String::as_str).collect()))?;
            }
        }
    }
    Ok(())
}

fn customer_type(c: CustomerArg) -> CustomerType {
    match c {
        CustomerArg::Contact => CustomerType::Contact,
        CustomerArg::Company => CustomerType::Company,
    }
}

fn fmt(x: f64, digits: usize) -> String {
    format!("{x:.digits$}")
}

fn opt(x: Option<f64>, digits: usize) -> String {
    x.map_or_else(String::new, |x| fmt(x, digits))
}

fn json_out(common: &AnalyticsCommon, g: &Global) -> bool {
    common.format == OutputFormat::Json || g.json
}

pub async fn run(g: &Global, cmd: AnalyticsCommand) -> anyhow::Result<ExitCode> {
    if let AnalyticsCommand::Bgbb { file, format } = &cmd {
        let input =
            std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?;
        let fit = analytics::bgbb_from_csv(input).map_err(explain)?;
        if *format == OutputFormat::Json || g.json {
            println!("{}", serde_json::to_string_pretty(&fit)?);
        } else {
            print_rows(
                *format,
                &[
                    "alpha",
                    "beta",
                    "gamma",
                    "delta",
                    "log_likelihood",
                    "customers",
                ],
                &[vec![
                    fmt(fit.alpha, 3),
                    fmt(fit.beta, 3),
                    fmt(fit.gamma, 3),
                    fmt(fit.delta, 3),
                    fmt(fit.log_likelihood, 1),
                    fmt(fit.customers, 0),
                ]],
            )?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let app = setup::app_for_admin(g).await?;
    match cmd {
        AnalyticsCommand::Bgbb { .. } => {}
        AnalyticsCommand::Fit {
            common,
            calibration_end,
        } => {
            let who = caller(&app, &common.act).await?;
            let interactive = std::io::IsTerminal::is_terminal(&std::io::stderr());
            let mut progress = |m: &str| {
                if interactive {
                    progress_line(m);
                } else {
                    eprintln!("{m}");
                }
            };
            let input = FitInput {
                customer: customer_type(common.customer),
                calibration_end,
            };
            let fit = analytics::fit(&app, &who, &input, &mut progress)
                .await
                .map_err(explain)?;
            if interactive {
                progress_line("");
            }
            if json_out(&common, g) {
                println!("{}", serde_json::to_string_pretty(&fit)?);
            } else {
                eprintln!(
                    "{} orders, {} customers ({} repeat buyers); loaded in {:.2} s, fitted in {:.2} s",
                    fit.transactions,
                    fit.customers,
                    fit.repeat_customers,
                    fit.load_seconds,
                    fit.fit_seconds
                );
                let rows: Vec<Vec<String>> = fit
                    .models
                    .iter()
                    .filter(|m| m.kind != "rfm")
                    .map(|m| {
                        let params = m
                            .params
                            .as_object()
                            .map(|o| {
                                o.iter()
                                    .filter_map(|(k, v)| v.as_f64().map(|x| format!("{k}={x:.3}")))
                                    .collect::<Vec<_>>()
                                    .join(" ")
                            })
                            .unwrap_or_default();
                        vec![
                            m.kind.clone(),
                            m.calibration_end.to_string(),
                            m.customers.to_string(),
                            opt(m.log_likelihood, 1),
                            params,
                        ]
                    })
                    .collect();
                print_rows(
                    common.format,
                    &[
                        "model",
                        "calibration_end",
                        "customers",
                        "log_likelihood",
                        "params",
                    ],
                    &rows,
                )?;
            }
        }
        AnalyticsCommand::Predict {
            common,
            model,
            horizon_weeks,
            clv_months,
            discount_rate,
            sort,
            limit,
        } => {
            let who = caller(&app, &common.act).await?;
            let horizon = Horizon {
                model: PurchaseModel::parse(&model)
                    .ok_or_else(|| anyhow::anyhow!("--model must be bgnbd or paretonbd"))?,
                weeks: horizon_weeks,
                clv_months,
                monthly_discount_rate: discount_rate,
            };
            let sort = PredictionSort::parse(&sort).ok_or_else(|| {
                anyhow::anyhow!("--sort must be clv, p_alive, expected_purchases or churn_risk")
            })?;
            let p = analytics::predictions(
                &app,
                &who,
                customer_type(common.customer),
                &horizon,
                sort,
                0,
                limit,
            )
            .await
            .map_err(explain)?;
            if json_out(&common, g) {
                println!("{}", serde_json::to_string_pretty(&p)?);
            } else {
                let rows: Vec<Vec<String>> = p
                    .page
                    .items
                    .iter()
                    .map(|r| {
                        vec![
                            r.customer_id.to_string(),
                            r.frequency.to_string(),
                            fmt(r.expected_purchases, 3),
                            fmt(r.p_alive, 3),
                            opt(r.expected_spend, 2),
                            opt(r.clv, 2),
                            opt(r.churn_risk, 3),
                        ]
                    })
                    .collect();
                print_rows(
                    common.format,
                    &[
                        "customer_id",
                        "frequency",
                        "expected_purchases",
                        "p_alive",
                        "expected_spend",
                        "clv",
                        "churn_risk",
                    ],
                    &rows,
                )?;
            }
        }
        AnalyticsCommand::Rfm {
            common,
            as_of,
            limit,
        } => {
            let who = caller(&app, &common.act).await?;
            let r = analytics::rfm(
                &app,
                &who,
                customer_type(common.customer),
                as_of,
                None,
                0,
                limit,
            )
            .await
            .map_err(explain)?;
            if json_out(&common, g) {
                println!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                if common.format == OutputFormat::Table {
                    eprintln!("RFM as of {} over {} customers", r.as_of, r.customers);
                    for (segment, n) in r.segments.iter().filter(|(_, n)| **n > 0) {
                        eprintln!("  {segment:<20} {n:>8}");
                    }
                }
                let rows: Vec<Vec<String>> = r
                    .page
                    .items
                    .iter()
                    .map(|x| {
                        vec![
                            x.customer_id.to_string(),
                            x.recency_days.to_string(),
                            x.frequency.to_string(),
                            fmt(x.monetary, 2),
                            x.r.to_string(),
                            x.f.to_string(),
                            x.m.to_string(),
                            analytics::segment_name(x.segment),
                        ]
                    })
                    .collect();
                print_rows(
                    common.format,
                    &[
                        "customer_id",
                        "recency_days",
                        "frequency",
                        "monetary",
                        "r",
                        "f",
                        "m",
                        "segment",
                    ],
                    &rows,
                )?;
            }
        }
        AnalyticsCommand::Cohorts { common, through } => {
            let who = caller(&app, &common.act).await?;
            let table = analytics::cohorts(&app, &who, customer_type(common.customer), through)
                .await
                .map_err(explain)?;
            if json_out(&common, g) {
                println!("{}", serde_json::to_string_pretty(&table)?);
            } else {
                let months = table.iter().map(|c| c.active.len()).max().unwrap_or(0);
                let mut header = vec!["cohort".to_owned(), "size".to_owned()];
                header.extend((0..months).map(|m| format!("m{m}")));
                let rows: Vec<Vec<String>> = table
                    .iter()
                    .map(|c| {
                        let mut row = vec![c.cohort.clone(), c.size.to_string()];
                        row.extend(c.retention.iter().map(|r| fmt(r * 100.0, 1)));
                        row
                    })
                    .collect();
                let header: Vec<&str> = header.iter().map(String::as_str).collect();
                print_rows(common.format, &header, &rows)?;
            }
        }
        AnalyticsCommand::Churn {
            common,
            calibration_end,
            holdout_end,
            limit,
        } => {
            let who = caller(&app, &common.act).await?;
            let r = analytics::churn(
                &app,
                &who,
                customer_type(common.customer),
                calibration_end,
                holdout_end,
                0,
                limit,
            )
            .await
            .map_err(explain)?;
            if json_out(&common, g) {
                println!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                eprintln!(
                    "calibration to {}, holdout to {}: AUC {:.3} over {} customers, {} churned",
                    r.calibration_end,
                    r.holdout_end,
                    r.evaluation.auc,
                    r.evaluation.customers,
                    r.evaluation.churned
                );
                let rows: Vec<Vec<String>> = r
                    .scores
                    .items
                    .iter()
                    .map(|s| {
                        vec![
                            s.customer_id.to_string(),
                            fmt(s.churn_risk, 3),
                            s.holdout_purchases.to_string(),
                        ]
                    })
                    .collect();
                print_rows(
                    common.format,
                    &["customer_id", "churn_risk", "holdout_purchases"],
                    &rows,
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
