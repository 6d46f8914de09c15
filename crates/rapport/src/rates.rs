//! `rapport rates …`: list, set and remove exchange rates, or load a whole table of them
//! from CSV (`currency,valid_from,rate`), all rows or none.

use std::process::ExitCode;

use anyhow::Context;
use rapport_app::exchange_rates::{self, Cursor, RateInput};
use rapport_app::{AppError, PageRequest};
use rapport_core::value::Date;
use serde_json::json;

use crate::cli::{Global, RatesCommand};
use crate::setup::{self, explain};

/// The columns of a rates file, in any order.
const COLUMNS: [&str; 3] = ["currency", "valid_from", "rate"];

/// Reads a rates file into inputs, each with its line number. A missing column is an error
/// about the header; cells are checked by the use case, which names the row.
fn read_file(input: Box<dyn std::io::Read>) -> anyhow::Result<Vec<(u64, RateInput)>> {
    let mut r = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(input);
    let header = r.headers().context("reading the header line")?.clone();
    let at = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
    let missing: Vec<&str> = COLUMNS.into_iter().filter(|c| at(c).is_none()).collect();
    if !missing.is_empty() {
        anyhow::bail!(
            "line 1: the header lacks {} (expected columns: currency,valid_from,rate)",
            missing.join(", ")
        );
    }
    let (c, d, v) = (at("currency"), at("valid_from"), at("rate"));
    let cell = |rec: &csv::StringRecord, i: Option<usize>| {
        i.and_then(|i| rec.get(i)).unwrap_or_default().to_owned()
    };
    let mut rows = Vec::new();
    let mut ragged = Vec::new();
    for rec in r.records() {
        let rec = rec.context("reading the file")?;
        let line = rec.position().map_or(0, csv::Position::line);
        if rec.len() != header.len() {
            // A decimal comma in an unquoted rate splits the cell: say so, with the line.
            ragged.push(format!(
                "line {line}: {} cells where the header has {} (quote a rate written with a comma)",
                rec.len(),
                header.len()
            ));
            continue;
        }
        rows.push((
            line,
            RateInput {
                currency: cell(&rec, c).to_ascii_uppercase(),
                valid_from: cell(&rec, d),
                rate: cell(&rec, v),
            },
        ));
    }
    if !ragged.is_empty() {
        anyhow::bail!("nothing imported:\n{}", ragged.join("\n"));
    }
    Ok(rows)
}

/// "rates[3].rate: …" from the use case becomes "line 5, rate: …".
fn by_line(e: AppError, lines: &[u64]) -> anyhow::Error {
    let AppError::Invalid(errors) = e else {
        return explain(e);
    };
    let text: Vec<String> = errors
        .iter()
        .map(|f| {
            let located = f.field.strip_prefix("rates[").and_then(|rest| {
                let (i, field) = rest.split_once("].")?;
                let line = lines.get(i.parse::<usize>().ok()?)?;
                Some(format!("line {line}, {field}: {}", f.message))
            });
            located.unwrap_or_else(|| format!("{}: {}", f.field, f.message))
        })
        .collect();
    anyhow::anyhow!("nothing imported:\n{}", text.join("\n"))
}

pub async fn run(g: &Global, cmd: RatesCommand) -> anyhow::Result<ExitCode> {
    let app = setup::app_for_admin(g).await?;
    match cmd {
        RatesCommand::List { act, currency } => {
            let who =
                crate::transfer::caller(&app, act.ws.workspace.as_deref(), act.as_user.as_deref())
                    .await?;
            let currency = currency
                .as_deref()
                .map(|c| exchange_rates::parse_currency("currency", &c.to_ascii_uppercase()))
                .transpose()
                .map_err(|e| anyhow::anyhow!("--currency: {}", e.message))?;
            let base = rapport_app::workspaces::get(&app, who.principal.workspace_id)
                .await
                .map_err(explain)?
                .base_currency;
            let mut after: Option<Cursor> = None;
            let mut rows = Vec::new();
            loop {
                let page =
                    exchange_rates::list(&app, &who, currency, PageRequest::new(after, Some(200)))
                        .await
                        .map_err(explain)?;
                rows.extend(page.items);
                match page.next {
                    Some(n) => after = Some(n),
                    None => break,
                }
            }
            if g.json {
                let out: Vec<_> = rows
                    .iter()
                    .map(|r| {
                        json!({
                            "currency": r.currency.code(),
                            "valid_from": r.valid_from.to_string(),
                            "rate": r.rate.to_string(),
                            "base_currency": base,
                        })
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&out)?);
            } else if rows.is_empty() {
                println!("no exchange rates (base currency {base})");
            } else {
                println!("currency  valid_from  rate (in {base})");
                for r in &rows {
                    println!("{:<8}  {}  {}", r.currency.code(), r.valid_from, r.rate);
                }
            }
        }
        RatesCommand::Set {
            act,
            currency,
            valid_from,
            rate,
        } => {
            let who =
                crate::transfer::caller(&app, act.ws.workspace.as_deref(), act.as_user.as_deref())
                    .await?;
            let input = RateInput {
                currency: currency.to_ascii_uppercase(),
                valid_from,
                rate,
            };
            let (r, created) = exchange_rates::put(&app, &who, &input)
                .await
                .map_err(explain)?;
            println!(
                "{} 1 {} = {} from {}",
                if created { "set" } else { "replaced" },
                r.currency.code(),
                r.rate,
                r.valid_from
            );
        }
        RatesCommand::Delete {
            act,
            currency,
            valid_from,
        } => {
            let who =
                crate::transfer::caller(&app, act.ws.workspace.as_deref(), act.as_user.as_deref())
                    .await?;
            let code = exchange_rates::parse_currency("currency", &currency.to_ascii_uppercase())
                .map_err(|e| anyhow::anyhow!("currency: {}", e.message))?;
            let day = Date::parse("valid_from", &valid_from)
                .map_err(|e| anyhow::anyhow!("valid_from: {}", e.message))?;
            exchange_rates::delete(&app, &who, code, day)
                .await
                .map_err(explain)?;
            println!("removed the {} rate from {day}", code.code());
        }
        RatesCommand::Import { act, file } => {
            let who =
                crate::transfer::caller(&app, act.ws.workspace.as_deref(), act.as_user.as_deref())
                    .await?;
            let input: Box<dyn std::io::Read> = if file.as_os_str() == "-" {
                Box::new(std::io::stdin())
            } else {
                Box::new(
                    std::fs::File::open(&file)
                        .with_context(|| format!("opening {}", file.display()))?,
                )
            };
            let rows = read_file(input)?;
            let lines: Vec<u64> = rows.iter().map(|(l, _)| *l).collect();
            let inputs: Vec<RateInput> = rows.into_iter().map(|(_, r)| r).collect();
            let report = exchange_rates::put_many(&app, &who, &inputs)
                .await
                .map_err(|e| by_line(e, &lines))?;
            if g.json {
                println!(
                    "{}",
                    json!({"created": report.created, "replaced": report.replaced})
                );
            } else {
                println!(
                    "imported {} rates: {} new, {} replaced",
                    report.created + report.replaced,
                    report.created,
                    report.replaced
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
