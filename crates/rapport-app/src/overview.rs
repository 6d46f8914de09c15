//! What a salesperson sees first: their tasks that are late or due today, their open
//! pipeline with totals, and their records that changed lately. Every figure goes through
//! the same list queries and access policy as the lists themselves.

use rapport_core::format::{local_date, start_of_local_day};
use rapport_core::fx::{self, Combined, Part};
use rapport_core::money::Currency;
use rapport_core::object::ObjectType;
use rapport_core::pipeline::StageKind;
use rapport_core::query::{self, Schema};
use rapport_core::value::Date;
use rapport_core::{Id, Timestamp};
use rapport_store::Conn;
use rapport_store::pipelines::Pipeline;
use rapport_store::records;
use serde_json::Value as Json;
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::exchange_rates;
use crate::records::RecordContext;
use crate::{App, Caller};

/// One stage's open deals in one currency.
#[derive(Clone, Debug, PartialEq)]
pub struct StageTotal {
    pub pipeline_id: Uuid,
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
    pub pipeline: PipelineFigures,
    pub recent: Vec<Recent>,
}

/// One open stage's deals added up in the base currency.
#[derive(Clone, Debug, PartialEq)]
pub struct StageFigures {
    pub pipeline_id: Uuid,
    pub pipeline: String,
    pub stage_id: Uuid,
    pub stage: String,
    pub probability: i64,
    pub figures: Combined,
}

/// Open deals per stage and over all stages, in the base currency at the rates in force on
/// `day`; amounts in a currency without a rate that day are listed apart in each figure.
#[derive(Clone, Debug, PartialEq)]
pub struct PipelineFigures {
    pub base: Currency,
    pub day: Date,
    pub stages: Vec<StageFigures>,
    pub all: Combined,
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
    let rates_day = day_of(today)?;
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
    let pipeline = pipeline_figures(
        app,
        caller,
        &[("filter[owner_id][eq]".to_owned(), me.clone())],
        None,
        rates_day,
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
    let pipelines = rapport_store::pipelines::list(&mut c, caller.principal.workspace_id).await?;
    stage_sums(&mut c, caller, params, &pipelines).await
}

/// [`stage_totals`] on an open connection, over the workspace's `pipelines`.
async fn stage_sums(
    c: &mut Conn,
    caller: &Caller,
    params: &[(String, String)],
    pipelines: &[Pipeline],
) -> AppResult<Vec<StageTotal>> {
    let ctx = RecordContext::load(c, &caller.principal, ObjectType::Opportunity).await?;
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
    let open: Vec<Uuid> = pipelines
        .iter()
        .flat_map(|p| p.stages.iter())
        .filter(|s| s.kind == StageKind::Open)
        .map(|s| s.id)
        .collect();
    let sums = records::opportunity_sums(c, ws, &ctx.viewer, &q, &open).await?;
    let mut out = Vec::new();
    for p in pipelines {
        for stage in p.stages.iter().filter(|s| s.kind == StageKind::Open) {
            for s in sums.iter().filter(|s| s.stage_id == stage.id) {
                let weighted =
                    (s.weighted_percent_minor + s.unweighted_minor * stage.probability) / 100;
                out.push(StageTotal {
                    pipeline_id: p.id,
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

/// The calendar day in `zone` now: the day whose rates convert totals by default.
pub fn today(app: &App, zone: &str) -> AppResult<Date> {
    day_of(local_date(app.now(), zone).ok_or(AppError::Internal)?)
}

fn day_of(d: rapport_core::calendar::Date) -> AppResult<Date> {
    Date::from_ymd(d.year(), d.month(), d.day()).ok_or(AppError::Internal)
}

/// Open deals per stage over what a list with `params` shows, added up in the base currency
/// at the rates in force on `day`. With `pipeline`, only that pipeline and every open stage
/// of it (with zeros where no deal is); without, every stage that has open deals.
pub async fn pipeline_figures(
    app: &App,
    caller: &Caller,
    params: &[(String, String)],
    pipeline: Option<Uuid>,
    day: Date,
) -> AppResult<PipelineFigures> {
    let mut c = app.db.read().await?;
    let ws = caller.principal.workspace_id;
    let pipelines = rapport_store::pipelines::list(&mut c, ws).await?;
    let mut scoped = params.to_vec();
    if let Some(id) = pipeline {
        if !pipelines.iter().any(|p| p.id == id) {
            return Err(AppError::NotFound);
        }
        scoped.push(("filter[pipeline_id][eq]".to_owned(), id.to_string()));
    }
    let totals = stage_sums(&mut c, caller, &scoped, &pipelines).await?;
    let (base, rates) = exchange_rates::in_force(&mut c, ws, day).await?;
    let part = |t: &StageTotal| -> AppResult<Part> {
        let currency = t
            .currency
            .as_deref()
            .map(|code| Currency::parse("currency", code))
            .transpose()
            .map_err(|_| AppError::Internal)?;
        Ok(Part {
            currency,
            count: t.count,
            total_minor: t.total_minor,
            weighted_minor: t.weighted_minor,
        })
    };
    let every: Vec<Part> = totals.iter().map(part).collect::<AppResult<_>>()?;
    let all = fx::combine(&every, base, &rates, day);
    // (pipeline id, pipeline, stage id, stage, probability) of each stage shown, in order.
    let mut shown: Vec<(Uuid, &str, Uuid, &str, i64)> = Vec::new();
    for p in pipelines.iter().filter(|p| Some(p.id) == pipeline) {
        for st in p.stages.iter().filter(|st| st.kind == StageKind::Open) {
            shown.push((p.id, &p.name, st.id, &st.name, st.probability));
        }
    }
    for t in &totals {
        if !shown.iter().any(|s| s.2 == t.stage_id) {
            shown.push((
                t.pipeline_id,
                &t.pipeline,
                t.stage_id,
                &t.stage,
                t.probability,
            ));
        }
    }
    let mut stages = Vec::with_capacity(shown.len());
    for (pipeline_id, pipeline, stage_id, stage, probability) in shown {
        let mine: Vec<Part> = totals
            .iter()
            .filter(|t| t.stage_id == stage_id)
            .map(part)
            .collect::<AppResult<_>>()?;
        stages.push(StageFigures {
            pipeline_id,
            pipeline: pipeline.to_owned(),
            stage_id,
            stage: stage.to_owned(),
            probability,
            figures: fx::combine(&mine, base, &rates, day),
        });
    }
    Ok(PipelineFigures {
        base,
        day,
        stages,
        all,
    })
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
