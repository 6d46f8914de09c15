//! What a salesperson sees first: their tasks that are late or due today, their open
//! pipeline with totals, and their records that changed lately. Every figure goes through
//! the same list queries and access policy as the lists themselves.

use rapport_core::format::{local_date, start_of_local_day};
use rapport_core::object::ObjectType;
use rapport_core::pipeline::StageKind;
use rapport_core::query::{self, Schema};
use rapport_core::{Id, Timestamp};
use rapport_store::records;
use serde_json::Value as Json;
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::records::RecordContext;
use crate::{App, Caller};

/// One stage's open deals in one currency.
#[derive(Clone, Debug, PartialEq)]
pub struct StageTotal {
    pub pipeline: String,
    pub stage_id: Uuid,
    pub stage: String,
    pub probability: i64,
    /// `None`: deals without an amount.
    pub currency: Option<String>,
    pub count: i64,
    pub total_minor: i64,
    /// Amount × probability, the deal's own or else its stage's.
    pub weighted_minor: i64,
}

/// A record of mine that changed lately.
#[derive(Clone, Debug, PartialEq)]
pub struct Recent {
    pub object: ObjectType,
    pub record: Json,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Home {
    pub overdue: Vec<Json>,
    pub today: Vec<Json>,
    pub pipeline: Vec<StageTotal>,
    pub recent: Vec<Recent>,
}

fn params(pairs: &[(&str, String)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

/// The home page of the caller, with "today" as the calendar day in `zone`.
pub async fn home(app: &App, caller: &Caller, zone: &str) -> AppResult<Home> {
    let me = caller.principal.user_id.as_uuid().to_string();
    let now = app.now();
    let today = local_date(now, zone).ok_or(AppError::Internal)?;
    let start = start_of_local_day(today, zone).ok_or(AppError::Internal)?;
    let end = today
        .tomorrow()
        .ok()
        .and_then(|d| start_of_local_day(d, zone))
        .ok_or(AppError::Internal)?;
    let due = crate::records::list(
        app,
        caller,
        ObjectType::Activity,
        &params(&[
            ("filter[owner_id][eq]", me.clone()),
            ("filter[status][eq]", "open".to_owned()),
            ("filter[due_at][lt]", end.to_rfc3339()),
            ("sort", "due_at".to_owned()),
            ("limit", "100".to_owned()),
        ]),
    )
    .await?;
    let (overdue, today): (Vec<Json>, Vec<Json>) = due.items.into_iter().partition(|a| {
        a.get("due_at")
            .and_then(Json::as_str)
            .and_then(|s| Timestamp::parse_rfc3339(s).ok())
            .is_some_and(|t| t < start)
    });
    let pipeline = stage_totals(
        app,
        caller,
        &[("filter[owner_id][eq]".to_owned(), me.clone())],
    )
    .await?;
    let mut recent = Vec::new();
    for object in [
        ObjectType::Opportunity,
        ObjectType::Contact,
        ObjectType::Company,
        ObjectType::Lead,
    ] {
        let page = crate::records::list(
            app,
            caller,
            object,
            &params(&[
                ("filter[owner_id][eq]", me.clone()),
                ("sort", "-updated_at".to_owned()),
                ("limit", "8".to_owned()),
            ]),
        )
        .await?;
        recent.extend(
            page.items
                .into_iter()
                .map(|record| Recent { object, record }),
        );
    }
    let updated = |r: &Recent| {
        r.record
            .get("updated_at")
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    recent.sort_by_key(|r| std::cmp::Reverse(updated(r)));
    recent.truncate(10);
    Ok(Home {
        overdue,
        today,
        pipeline,
        recent,
    })
}

/// Open deals by stage (pipeline order) and currency, over the opportunities a list with
/// `params` (its filters, search and the access policy) would show.
pub async fn stage_totals(
    app: &App,
    caller: &Caller,
    params: &[(String, String)],
) -> AppResult<Vec<StageTotal>> {
    let mut c = app.db.read().await?;
    let ctx = RecordContext::load(&mut c, &caller.principal, ObjectType::Opportunity).await?;
    let schema = Schema {
        object: ObjectType::Opportunity,
        custom: &ctx.custom,
        ctx: ctx.parse,
    };
    let mut q =
        query::parse(&schema, params, &|f: &str| ctx.visible(f)).map_err(AppError::BadQuery)?;
    if !ctx.visible("amount") {
        return Ok(Vec::new());
    }
    q.sort.clear();
    let ws = caller.principal.workspace_id;
    let pipelines = rapport_store::pipelines::list(&mut c, ws).await?;
    let open: Vec<Uuid> = pipelines
        .iter()
        .flat_map(|p| p.stages.iter())
        .filter(|s| s.kind == StageKind::Open)
        .map(|s| s.id)
        .collect();
    let sums = records::opportunity_sums(&mut c, ws, &ctx.viewer, &q, &open).await?;
    let mut out = Vec::new();
    for p in &pipelines {
        for stage in p.stages.iter().filter(|s| s.kind == StageKind::Open) {
            for s in sums.iter().filter(|s| s.stage_id == stage.id) {
                let weighted =
                    (s.weighted_percent_minor + s.unweighted_minor * stage.probability) / 100;
                out.push(StageTotal {
                    pipeline: p.name.clone(),
                    stage_id: stage.id,
                    stage: stage.name.clone(),
                    probability: stage.probability,
                    currency: s.currency.clone(),
                    count: s.count,
                    total_minor: s.amount_minor,
                    weighted_minor: weighted,
                });
            }
        }
    }
    Ok(out)
}

/// A user's activities due in `[from, to)`, in due order: what a calendar page shows.
/// At most `cap` of them; `true` with the list when there were more.
pub async fn agenda(
    app: &App,
    caller: &Caller,
    owner: Uuid,
    from: Timestamp,
    to: Timestamp,
    cap: usize,
) -> AppResult<(Vec<Json>, bool)> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut p = params(&[
            ("filter[owner_id][eq]", owner.to_string()),
            ("filter[due_at][gte]", from.to_rfc3339()),
            ("filter[due_at][lt]", to.to_rfc3339()),
            ("sort", "due_at".to_owned()),
            ("limit", "200".to_owned()),
        ]);
        if let Some(c) = &cursor {
            p.push(("cursor".to_owned(), c.clone()));
        }
        let page = crate::records::list(app, caller, ObjectType::Activity, &p).await?;
        out.extend(page.items);
        if out.len() >= cap {
            out.truncate(cap);
            return Ok((out, true));
        }
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => return Ok((out, false)),
        }
    }
}
