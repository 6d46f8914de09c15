//! Opportunities and activities of the demo workspace.

use std::collections::BTreeMap;

use crate::money::{Currency, Money};
use crate::object::ObjectType;
use crate::pipeline::{DEFAULT_STAGES, StageKind};
use crate::time::Timestamp;
use crate::value::{Date, Link, RoleLink, Value};

use super::people::{company_facts, contact_facts, lead_facts, round_figure};
use super::rng::Rng;
use super::words;
use super::{DAY, DemoMove, DemoOpportunity, DemoRecord, DemoSpec, Stream, owner_in, text};

// The default pipeline is four open stages, then won, then lost (pinned by a test).
const WON: usize = 4;
const LOST: usize = 5;

/// Mean days a deal spends in each open stage before something happens.
const DWELL_DAYS: [f64; 4] = [9.0, 14.0, 18.0, 15.0];
/// Chance that what happens next in each open stage is losing the deal.
const LOSS: [f64; 4] = [0.25, 0.2, 0.25, 0.3];

/// What an activity is about: the records it links to and the words for its subject.
struct Subject {
    links: Vec<Link>,
    owner: usize,
    first: String,
    company: String,
    deal: String,
    /// The activity happens between these two instants.
    from: Timestamp,
    until: Timestamp,
    /// Whether anything can still be open on it.
    open: bool,
}

/// Opportunity number `index`: a deal with one contact of a company, aged through the
/// default pipeline from its creation to the reference date.
pub fn opportunity(spec: &DemoSpec, index: u64) -> DemoOpportunity {
    opportunity_facts(spec, index).0
}

/// An opportunity and the first name of its contact, if it has one.
fn opportunity_facts(spec: &DemoSpec, index: u64) -> (DemoOpportunity, Option<&'static str>) {
    let mut r = spec.rng(Stream::Opportunity, index);
    let contact =
        (spec.size.contacts > 0).then(|| contact_facts(spec, r.skewed(spec.size.contacts, 1.3)));
    let company = match contact.as_ref().and_then(|c| c.company.as_ref()) {
        Some(_) => None,
        None if spec.size.companies > 0 => {
            Some(company_facts(spec, r.skewed(spec.size.companies, 1.6)))
        }
        None => None,
    };
    let company = contact
        .as_ref()
        .and_then(|c| c.company.as_ref())
        .or(company.as_ref());
    let today = spec.today();
    let not_before = [
        company.map(|c| c.record.created_at),
        contact.as_ref().map(|c| c.record.created_at),
    ]
    .into_iter()
    .flatten()
    .max()
    .unwrap_or(Timestamp::from_micros(today.as_micros() - 540 * DAY));
    let span = ((today.as_micros() - not_before.as_micros()) / DAY).clamp(2, 540);
    let created_at = spec.day(-r.range(1, span - 1), &mut r).max(not_before);

    // Walk the deal through the stages until it closes or reaches today.
    let mut moves = vec![DemoMove {
        from: None,
        to: 0,
        at: created_at,
    }];
    let quality = r.unit();
    let mut stage = 0usize;
    let mut t = created_at.as_micros();
    loop {
        let dwell = (r.exponential(DWELL_DAYS[stage]) * DAY as f64) as i64 + DAY / 4;
        let next = t.saturating_add(dwell);
        if next >= today.as_micros() {
            break;
        }
        t = next;
        let loss = LOSS[stage] * (1.4 - quality * 0.8);
        let to = if r.chance(loss) {
            LOST
        } else if stage == 3 {
            WON
        } else {
            stage + 1
        };
        moves.push(DemoMove {
            from: Some(stage),
            to,
            at: Timestamp::from_micros(t),
        });
        stage = to;
        if to == WON || to == LOST {
            break;
        }
    }
    let (_, kind, probability) = DEFAULT_STAGES[stage];
    let last = moves.last().map_or(created_at, |m| m.at);

    let owner = match company {
        Some(c) if r.chance(0.8) => c.record.owner,
        _ => owner_in(None, &mut r),
    };
    let employees = company.map_or(5, |c| c.employees);
    let amount =
        round_figure(1_500.0 * (employees as f64).sqrt() * (0.6 * r.normal()).exp()).max(500);
    let currency = match company.map(|c| c.city.country) {
        Some("US") => "USD",
        Some("GB") => "GBP",
        _ => "EUR",
    };
    let deal_kind = *r.pick(words::DEAL_KINDS);
    let short = company.map_or_else(
        || {
            contact
                .as_ref()
                .map_or("Direct".to_owned(), |c| format!("{} {}", c.first, c.last))
        },
        |c| c.name.split(' ').next().unwrap_or("Deal").to_owned(),
    );
    let name = format!("{short} — {deal_kind}");

    let mut values = BTreeMap::new();
    values.insert("name", text(name));
    if let Some(c) = company {
        values.insert("company_id", Value::Id(c.record.id));
    }
    if let Some(c) = &contact {
        values.insert(
            "contacts",
            Value::Roles(vec![RoleLink {
                id: c.record.id,
                role: Some((*r.weighted_pick(words::CONTACT_ROLES)).to_owned()),
            }]),
        );
    }
    if let Ok(c) = Currency::parse("amount", currency) {
        values.insert(
            "amount",
            Value::Money(Money {
                minor: amount.saturating_mul(10i64.pow(u32::from(c.minor_digits()))),
                currency: c,
            }),
        );
    }
    values.insert("stage_kind", text(kind.as_str()));
    values.insert("probability", Value::Int(probability));
    values.insert("stage_changed_at", Value::DateTime(last));
    let close_date = match kind {
        StageKind::Won | StageKind::Lost => {
            values.insert("closed_at", Value::DateTime(last));
            Date::of(last)
        }
        StageKind::Open => {
            let expected = created_at.as_micros() + r.range(45, 120) * DAY;
            // Slipped deals keep a close date in the past until someone updates them.
            let expected = if expected < today.as_micros() && r.chance(0.4) {
                today.as_micros() + r.range(7, 60) * DAY
            } else {
                expected
            };
            Date::of(Timestamp::from_micros(expected))
        }
    };
    values.insert("close_date", Value::Date(close_date));
    match kind {
        StageKind::Lost => {
            values.insert("lost_reason", text(*r.weighted_pick(words::LOST_REASONS)));
        }
        StageKind::Open => {
            values.insert("next_step", text(*r.pick(words::NEXT_STEPS)));
        }
        StageKind::Won => {}
    }
    values.insert("source", text(*r.weighted_pick(words::SOURCES)));
    let opportunity = DemoOpportunity {
        record: spec.finish(Stream::Opportunity, index, owner, created_at, last, values),
        stage,
        moves,
    };
    (opportunity, contact.map(|c| c.first))
}

fn subject_of(spec: &DemoSpec, r: &mut Rng) -> Option<Subject> {
    let size = spec.size;
    let weights = [
        if size.opportunities > 0 { 45 } else { 0 },
        if size.contacts > 0 { 40 } else { 0 },
        if size.leads > 0 { 15 } else { 0 },
    ];
    if weights.iter().all(|w| *w == 0) {
        return None;
    }
    let today = spec.today();
    Some(match r.weighted(&weights) {
        0 => {
            let (opp, contact_first) = opportunity_facts(spec, r.below(size.opportunities));
            let rec = &opp.record;
            let mut links = vec![Link {
                object: ObjectType::Opportunity,
                id: rec.id,
            }];
            if let Some(Value::Roles(roles)) = rec.values.get("contacts")
                && let Some(role) = roles.first()
            {
                links.push(Link {
                    object: ObjectType::Contact,
                    id: role.id,
                });
            }
            if let Some(Value::Id(c)) = rec.values.get("company_id") {
                links.push(Link {
                    object: ObjectType::Company,
                    id: *c,
                });
            }
            let deal = rec
                .values
                .get("name")
                .and_then(Value::as_text)
                .unwrap_or("the deal")
                .to_owned();
            let company = deal
                .split(" — ")
                .next()
                .unwrap_or("the customer")
                .to_owned();
            let first = contact_first.unwrap_or("the team").to_owned();
            let closed = matches!(opp.stage, WON | LOST);
            let until = if closed {
                Timestamp::from_micros(rec.updated_at.as_micros() + 5 * DAY).min(today)
            } else {
                today
            };
            Subject {
                links,
                owner: rec.owner,
                first,
                company,
                deal,
                from: rec.created_at,
                until,
                open: !closed,
            }
        }
        1 => {
            let c = contact_facts(spec, r.skewed(size.contacts, 1.3));
            let mut links = vec![Link {
                object: ObjectType::Contact,
                id: c.record.id,
            }];
            let company = match &c.company {
                Some(co) => {
                    links.push(Link {
                        object: ObjectType::Company,
                        id: co.record.id,
                    });
                    co.name.clone()
                }
                None => format!("{} {}", c.first, c.last),
            };
            Subject {
                links,
                owner: c.record.owner,
                first: c.first.to_owned(),
                deal: format!("{company} renewal"),
                company,
                from: c.record.created_at,
                until: today,
                open: true,
            }
        }
        _ => {
            let (lead, first) = lead_facts(spec, r.below(size.leads));
            let status = lead
                .values
                .get("status")
                .and_then(Value::as_text)
                .unwrap_or("new");
            let company = lead
                .values
                .get("company_name")
                .and_then(Value::as_text)
                .unwrap_or("their company")
                .to_owned();
            Subject {
                links: vec![Link {
                    object: ObjectType::Lead,
                    id: lead.id,
                }],
                owner: lead.owner,
                first: first.to_owned(),
                deal: format!("{company} evaluation"),
                company,
                from: lead.created_at,
                until: if matches!(status, "converted" | "unqualified") {
                    lead.updated_at.max(lead.created_at)
                } else {
                    today
                },
                open: !matches!(status, "converted" | "unqualified"),
            }
        }
    })
}

const ACTIVITY_KINDS: &[(&str, u32)] = &[
    ("call", 30),
    ("email", 28),
    ("meeting", 14),
    ("task", 16),
    ("note", 10),
    ("sms", 1),
    ("chat", 1),
];

fn subject_line(kind: &str, s: &Subject, r: &mut Rng) -> String {
    let templates: &[&str] = match kind {
        "call" => &[
            "Discovery call with {first}",
            "Follow-up call: {deal}",
            "Check-in call with {first}",
            "Pricing discussion with {first}",
            "Reference call for {company}",
        ],
        "email" => &[
            "Sent proposal for {deal}",
            "Re: contract redlines",
            "Intro e-mail to {first}",
            "Shared a case study with {first}",
            "Re: implementation timeline",
            "Quote for {company}",
        ],
        "meeting" => &[
            "Product demo for {company}",
            "Quarterly business review with {company}",
            "Kick-off workshop with {first}",
            "Negotiation meeting: {deal}",
            "Lunch with {first}",
        ],
        "task" => &[
            "Prepare quote for {deal}",
            "Send contract to {first}",
            "Update forecast for {deal}",
            "Book on-site visit at {company}",
            "Follow up on open invoice with {company}",
            "Send meeting notes to {first}",
        ],
        "note" => &[
            "{first} prefers e-mail over calls",
            "Budget approved for next quarter",
            "New CFO at {company}; expect a supplier review",
            "Competitor quoted 15% lower for {deal}",
            "{first} is our champion; keep them in the loop",
        ],
        _ => &[
            "Confirmed meeting time with {first}",
            "Quick question from {first} about delivery",
        ],
    };
    r.pick(templates)
        .replace("{first}", &s.first)
        .replace("{company}", &s.company)
        .replace("{deal}", &s.deal)
}

/// Activity number `index`: calls, e-mails, meetings, tasks and notes on deals, contacts and
/// leads. Most are done; some tasks, calls and meetings are due today, overdue or upcoming.
pub fn activity(spec: &DemoSpec, index: u64) -> Option<DemoRecord> {
    let mut r = spec.rng(Stream::Activity, index);
    let s = subject_of(spec, &mut r)?;
    let kind = *r.weighted_pick(ACTIVITY_KINDS);
    let today = spec.today();
    let schedulable = matches!(kind, "call" | "meeting" | "task") && s.open;
    let mut values = BTreeMap::new();
    values.insert("kind", text(kind));
    values.insert("subject", text(subject_line(kind, &s, &mut r)));
    let u = r.unit();
    let (status, due_at, completed_at, created_at) = if schedulable && u < 0.22 {
        let due = if u < 0.05 {
            spec.day(0, &mut r)
        } else if u < 0.12 {
            spec.day(-r.range(1, 20), &mut r)
        } else {
            spec.day(r.range(1, 30), &mut r)
        };
        let lead_time = r.range(1, 14) * DAY;
        let created = Timestamp::from_micros(
            (due.as_micros() - lead_time)
                .max(s.from.as_micros())
                .min(today.as_micros() - DAY / 24),
        );
        ("open", Some(due), None, created)
    } else {
        let from = s.from.as_micros();
        let until = s.until.as_micros().max(from + DAY / 24);
        // Recent weeks are busier than last year.
        let done = until - ((until - from) as f64 * r.unit().powf(1.8)) as i64;
        let done = Timestamp::from_micros(done.min(today.as_micros() - 60_000_000));
        let planned = matches!(kind, "meeting" | "task" | "call") && r.chance(0.5);
        let created = if planned {
            Timestamp::from_micros((done.as_micros() - r.range(1, 10) * DAY).max(from))
        } else {
            done
        };
        ("done", planned.then_some(done), Some(done), created)
    };
    values.insert("status", text(status));
    if let Some(d) = due_at {
        values.insert("due_at", Value::DateTime(d));
    }
    if let Some(c) = completed_at {
        values.insert("completed_at", Value::DateTime(c));
    }
    match kind {
        "call" => {
            values.insert("duration_minutes", Value::Int(r.range(3, 45)));
            values.insert(
                "direction",
                text(*r.weighted_pick(&[("outbound", 3), ("inbound", 1)])),
            );
            if status == "done" {
                values.insert("outcome", text(*r.weighted_pick(words::CALL_OUTCOMES)));
            }
        }
        "meeting" => {
            values.insert("duration_minutes", Value::Int(*r.pick(&[30, 45, 60, 90])));
            values.insert("location", text(*r.pick(words::MEETING_PLACES)));
        }
        "email" | "sms" | "chat" => {
            values.insert(
                "direction",
                text(*r.weighted_pick(&[("outbound", 3), ("inbound", 2)])),
            );
        }
        _ => {}
    }
    if matches!(kind, "meeting" | "note") && r.chance(0.5) {
        values.insert(
            "body",
            text(format!(
                "Spoke with {} about {}. Next step: {}.",
                s.first,
                s.deal,
                r.pick(words::NEXT_STEPS).to_lowercase()
            )),
        );
    }
    values.insert("links", Value::Links(s.links.clone()));
    let owner = if r.chance(0.85) {
        s.owner
    } else {
        owner_in(None, &mut r)
    };
    let updated_at = completed_at.unwrap_or(created_at).max(created_at);
    Some(spec.finish(
        Stream::Activity,
        index,
        owner,
        created_at,
        updated_at,
        values,
    ))
}
