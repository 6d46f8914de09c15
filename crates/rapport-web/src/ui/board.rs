//! The pipeline board: one column per stage, cards that move between them by a small form
//! on each card (keyboard and no script) or by dragging (assets/app.js), and the page that
//! asks for what a stage's rule needs when a move lacks it.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::model::{Pipeline, Stage};
use rapport_app::overview::{self, PipelineFigures};
use rapport_app::pipelines::{self, StageMoveInput};
use rapport_app::{AppError, PageRequest, records, teams};
use rapport_core::Id;
use rapport_core::pipeline::StageKind;
use rapport_core::validation::{ErrorCode, FieldError};
use serde_json::{Value as Json, json};
use uuid::Uuid;

use super::figures::{self, FigureText};
use super::forms;
use super::i18n::Tr;
use super::lists::Choice;
use super::page::{
    Chrome, Page, Submission, app_error, form_pairs, form_value, local_path, render, urlencode,
};
use super::show::{self, Names, record_href};
use crate::state::AppState;
use rapport_core::object::ObjectType;

/// Cards shown per column; the rest are one link away in the filtered list.
const CARDS_PER_COLUMN: usize = 50;

/// What a card shows (see `card`): all a board reads of each deal.
const CARD_FIELDS: &[&str] = &[
    "name",
    "company_id",
    "amount",
    "owner_id",
    "close_date",
    "stage_id",
];

pub struct Card {
    pub id: String,
    pub name: String,
    pub href: String,
    pub company: Option<show::Cell>,
    pub amount: Option<String>,
    pub owner: Option<String>,
    pub close_date: Option<String>,
    pub stages: Vec<Choice>,
}

pub struct Column {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub kind_label: String,
    /// Counts and sums are shown for open stages only (see `columns`).
    pub figures: Option<FigureText>,
    pub cards: Vec<Card>,
    pub more_href: Option<String>,
}

#[derive(askama::Template)]
#[template(path = "board.html")]
struct BoardPage {
    c: Chrome,
    heading: String,
    pipelines: Vec<Choice>,
    owners: Vec<Choice>,
    teams: Vec<Choice>,
    columns: Vec<Column>,
    back: String,
    list_href: String,
    notice: Option<String>,
    can_write: bool,
    base_currency: String,
    missing_rates: Option<String>,
}

/// What the board is filtered by, as read from its address.
struct Filters {
    pipeline: Option<Uuid>,
    owner: Option<Uuid>,
    team: Option<Uuid>,
}

impl Filters {
    fn parse(query: &[(String, String)]) -> Self {
        let id = |k: &str| form_value(query, k).and_then(|v| Uuid::try_parse(v).ok());
        Filters {
            pipeline: id("pipeline"),
            owner: id("owner"),
            team: id("team"),
        }
    }

    /// The board's own address with these filters, for links back to it.
    fn href(&self) -> String {
        let parts: Vec<String> = [
            ("pipeline", self.pipeline),
            ("owner", self.owner),
            ("team", self.team),
        ]
        .iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k}={v}")))
        .collect();
        if parts.is_empty() {
            "/opportunities/board".to_owned()
        } else {
            format!("/opportunities/board?{}", parts.join("&"))
        }
    }
}

/// The owners a filter admits: `None` for anyone, `Some(empty)` when nobody can match
/// (a team without members, or an owner outside the chosen team).
fn owners_admitted(f: &Filters, all: &[rapport_app::model::User]) -> Option<Vec<String>> {
    let in_team: Option<Vec<Uuid>> = f.team.map(|t| {
        all.iter()
            .filter(|u| u.team_id.is_some_and(|id| id.as_uuid() == t))
            .map(|u| u.id.as_uuid())
            .collect()
    });
    match (f.owner, in_team) {
        (None, None) => None,
        (Some(o), None) => Some(vec![o.to_string()]),
        (None, Some(members)) => Some(members.iter().map(Uuid::to_string).collect()),
        (Some(o), Some(members)) => Some(if members.contains(&o) {
            vec![o.to_string()]
        } else {
            Vec::new()
        }),
    }
}

fn stage_choices(stages: &[Stage], current: &str) -> Vec<Choice> {
    stages
        .iter()
        .map(|s| Choice {
            value: s.id.to_string(),
            label: s.name.clone(),
            selected: s.id.to_string() == current,
        })
        .collect()
}

fn kind_str(kind: StageKind) -> &'static str {
    match kind {
        StageKind::Open => "open",
        StageKind::Won => "won",
        StageKind::Lost => "lost",
    }
}

/// An open stage's figures; with no one admitted by the filters, zeros.
fn stage_figures(tr: Tr, f: Option<&PipelineFigures>, stage: Uuid) -> Option<FigureText> {
    let f = f?;
    f.stages
        .iter()
        .find(|s| s.stage_id == stage)
        .map(|s| figures::text(tr, &s.figures, f.base))
}

fn list_href(pipeline: Uuid, stage: Option<Uuid>, owners: Option<&[String]>) -> String {
    let mut href = format!(
        "/opportunities?{}={pipeline}",
        urlencode("filter[pipeline_id][eq]")
    );
    if let Some(s) = stage {
        href.push_str(&format!("&{}={s}", urlencode("filter[stage_id][eq]")));
    }
    if let Some(o) = owners {
        href.push_str(&format!(
            "&{}={}",
            urlencode("filter[owner_id][in]"),
            urlencode(&o.join(","))
        ));
    }
    href
}

fn chosen_pipeline(list: Vec<Pipeline>, wanted: Option<Uuid>) -> Option<Pipeline> {
    let mut fallback = None;
    for p in list {
        if Some(p.id) == wanted {
            return Some(p);
        }
        if wanted.is_none() && p.is_default {
            return Some(p);
        }
        if fallback.is_none() {
            fallback = Some(p);
        }
    }
    // An unknown id shows the first pipeline rather than an empty board.
    fallback
}

pub async fn show(s: AppState, page: Page, raw: Option<String>) -> Response {
    let tr = page.tr;
    let caller = page.caller();
    let query = form_pairs(raw.unwrap_or_default().as_bytes());
    let mut filters = Filters::parse(&query);
    let list = match pipelines::list(&s.app, &caller).await {
        Ok(l) => l,
        Err(e) => return app_error(tr, e),
    };
    let pipeline_choices: Vec<(Uuid, String)> =
        list.iter().map(|p| (p.id, p.name.clone())).collect();
    let heading = tr.get("board-title");
    let users = super::names::workspace_users(&s.app, &caller).await;
    let team_list = teams::list(&s.app, &caller, PageRequest::new(None, Some(200)))
        .await
        .map(|p| p.items)
        .unwrap_or_default();
    let base = rapport_app::workspaces::get(&s.app, caller.principal.workspace_id)
        .await
        .map(|w| w.base_currency)
        .unwrap_or_else(|_| "EUR".to_owned());
    let Some(pipeline) = chosen_pipeline(list, filters.pipeline) else {
        // A workspace gets its pipeline with its first opportunity; until then, no columns.
        return render(&BoardPage {
            c: page.chrome("board", heading.clone()),
            heading,
            pipelines: Vec::new(),
            owners: Vec::new(),
            teams: Vec::new(),
            columns: Vec::new(),
            back: filters.href(),
            list_href: "/opportunities".to_owned(),
            notice: None,
            can_write: false,
            base_currency: base,
            missing_rates: None,
        });
    };
    if filters.pipeline.is_some() {
        filters.pipeline = Some(pipeline.id);
    }
    let admitted = owners_admitted(&filters, &users);
    let mut params = vec![(
        "filter[pipeline_id][eq]".to_owned(),
        pipeline.id.to_string(),
    )];
    if let Some(owners) = &admitted {
        params.push(("filter[owner_id][in]".to_owned(), owners.join(",")));
    }
    let nobody = admitted.as_ref().is_some_and(Vec::is_empty);
    let figures = if nobody {
        None
    } else {
        let owners: Vec<(String, String)> = params
            .iter()
            .filter(|(k, _)| k != "filter[pipeline_id][eq]")
            .cloned()
            .collect();
        let day = match overview::today(&s.app, page.zone()) {
            Ok(d) => d,
            Err(e) => return app_error(tr, e),
        };
        match overview::pipeline_figures(&s.app, &caller, &owners, Some(pipeline.id), day).await {
            Ok(f) => Some(f),
            Err(e) => return app_error(tr, e),
        }
    };
    let zone = page.zone().to_owned();
    let mut names = Names::with_users(&users);
    let per_stage: Vec<(Stage, Vec<Json>, bool)> = if nobody {
        pipeline
            .stages
            .iter()
            .map(|stage| (stage.clone(), Vec::new(), false))
            .collect()
    } else {
        let stage_ids: Vec<Uuid> = pipeline.stages.iter().map(|st| st.id).collect();
        let mut p = params.clone();
        p.push(("sort".to_owned(), "-stage_changed_at".to_owned()));
        p.push(("limit".to_owned(), CARDS_PER_COLUMN.to_string()));
        match records::cards_by_stage(&s.app, &caller, &p, &stage_ids, CARD_FIELDS).await {
            Ok(pages) => pipeline
                .stages
                .iter()
                .zip(pages)
                .map(|(stage, page)| (stage.clone(), page.items, page.more))
                .collect(),
            Err(e) => return app_error(tr, e),
        }
    };
    // Only the company is looked up by name: its ids are all a lookup needs to see, rather
    // than a copy of every card.
    let companies: Vec<Json> = per_stage
        .iter()
        .flat_map(|(_, items, _)| items.iter())
        .map(|r| json!({"company_id": show::raw(r, "company_id")}))
        .collect();
    super::names::add_references(
        &s.app,
        &caller,
        ObjectType::Opportunity,
        std::iter::once("company_id"),
        &companies,
        &mut names,
    )
    .await;
    let columns = per_stage
        .into_iter()
        .map(|(stage, items, more)| {
            let kind = kind_str(stage.kind);
            // Won and lost columns grow for ever; a count or sum over all time says little
            // on a board of work in progress, so only open stages get figures (as on home).
            let shown = (stage.kind == StageKind::Open)
                .then(|| stage_figures(tr, figures.as_ref(), stage.id))
                .flatten();
            let cards = items
                .iter()
                .map(|r| card(tr, &zone, r, &pipeline.stages, &names))
                .collect();
            Column {
                id: stage.id.to_string(),
                name: stage.name.clone(),
                kind,
                kind_label: tr.enum_value("stage_kind", kind),
                figures: shown,
                cards,
                more_href: more
                    .then(|| list_href(pipeline.id, Some(stage.id), admitted.as_deref())),
            }
        })
        .collect();
    let pick = |id: Option<Uuid>, value: &str| id.is_some_and(|i| i.to_string() == value);
    let any = |label: String| Choice {
        value: String::new(),
        label,
        selected: false,
    };
    let mut owners = vec![any(tr.get("board-anyone"))];
    owners.extend(users.iter().filter(|u| u.enabled).map(|u| {
        let v = u.id.as_uuid().to_string();
        Choice {
            selected: pick(filters.owner, &v),
            value: v,
            label: u.display_name.clone(),
        }
    }));
    let mut team_choices = vec![any(tr.get("board-any-team"))];
    team_choices.extend(team_list.iter().map(|t| {
        let v = t.id.as_uuid().to_string();
        Choice {
            selected: pick(filters.team, &v),
            value: v,
            label: t.name.clone(),
        }
    }));
    let view = BoardPage {
        c: page.chrome("board", heading.clone()),
        heading,
        pipelines: pipeline_choices
            .into_iter()
            .map(|(id, name)| Choice {
                selected: id == pipeline.id,
                value: id.to_string(),
                label: name,
            })
            .collect(),
        owners,
        teams: team_choices,
        columns,
        back: filters.href(),
        list_href: list_href(pipeline.id, None, admitted.as_deref()),
        notice: form_value(&query, "moved").map(|_| tr.get("board-moved")),
        can_write: page.auth.principal.role != rapport_core::Role::ReadOnly,
        base_currency: base,
        missing_rates: figures
            .as_ref()
            .and_then(|f| figures::missing_rates(tr, &f.all, &f.day.to_string())),
    };
    render(&view)
}

fn card(tr: Tr, zone: &str, r: &Json, stages: &[Stage], names: &Names) -> Card {
    let o = ObjectType::Opportunity;
    let present = |f: &str| {
        let v = show::raw(r, f);
        (!v.is_null()).then(|| show::cell(tr, zone, o, f, v, names))
    };
    let id = show::id_of(r);
    Card {
        href: record_href(o, &id),
        name: show::title(o, r),
        company: present("company_id"),
        amount: present("amount").map(|c| c.text),
        owner: present("owner_id").map(|c| c.text),
        close_date: present("close_date").map(|c| c.text),
        stages: stage_choices(
            stages,
            show::raw(r, "stage_id").as_str().unwrap_or_default(),
        ),
        id,
    }
}

#[derive(askama::Template)]
#[template(path = "stage_move.html")]
struct MovePage {
    c: Chrome,
    heading: String,
    action: String,
    back: String,
    stages: Vec<Choice>,
    kind: &'static str,
    amount: String,
    currency: String,
    close_date: String,
    lost_reason: String,
    stage_error: Option<String>,
    amount_error: Option<String>,
    close_date_error: Option<String>,
    lost_reason_error: Option<String>,
    summary: Option<String>,
}

fn typed<'a>(form: &'a [(String, String)], key: &str) -> Option<&'a str> {
    form_value(form, key)
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// Moves an opportunity to another stage of its pipeline, then back to the board.
pub async fn move_stage(s: AppState, sub: Submission, raw_id: String) -> Response {
    let Submission { page, form } = sub;
    if let Some(r) = page.writer_refusal() {
        return r;
    }
    let tr = page.tr;
    let caller = page.caller();
    let Ok(id) = Uuid::try_parse(&raw_id) else {
        return app_error(tr, AppError::NotFound);
    };
    let current = match records::get(&s.app, &caller, ObjectType::Opportunity, id, None).await {
        Ok(v) => v,
        Err(e) => return app_error(tr, e),
    };
    let back = local_path(form_value(&form, "back").or(Some("/opportunities/board")));
    let stage = form_value(&form, "stage_id").and_then(|v| Uuid::try_parse(v).ok());
    let result = match stage {
        None => Err(AppError::invalid(FieldError::new(
            "stage_id",
            ErrorCode::Required,
            "choose a stage",
        ))),
        Some(stage_id) => {
            let input = StageMoveInput {
                stage_id,
                amount: typed(&form, "amount").map(|a| {
                    json!({
                        "amount": a,
                        "currency": form_value(&form, "amount__currency").unwrap_or_default().trim(),
                    })
                }),
                close_date: typed(&form, "close_date").map(str::to_owned),
                lost_reason: typed(&form, "lost_reason").map(str::to_owned),
            };
            let version = form_value(&form, "_version").and_then(|v| v.parse::<i64>().ok());
            pipelines::move_stage(&s.app, &caller, id, &input, version).await
        }
    };
    match result {
        Ok(_) => {
            let sep = if back.contains('?') { '&' } else { '?' };
            Redirect::to(&format!("{back}{sep}moved=1")).into_response()
        }
        Err(AppError::Invalid(errors)) => {
            let stages = pipelines::list(&s.app, &caller)
                .await
                .unwrap_or_default()
                .into_iter()
                .find(|p| {
                    Some(p.id.to_string().as_str())
                        == show::raw(&current.json, "pipeline_id").as_str()
                })
                .map(|p| p.stages)
                .unwrap_or_default();
            let target = stages.iter().find(|st| Some(st.id) == stage);
            let name = show::title(ObjectType::Opportunity, &current.json);
            let heading = match target {
                Some(t) => tr.args2("board-move-to", ("name", &name), ("stage", &t.name)),
                None => tr.arg("board-move-heading", "name", &name),
            };
            let (stored_amount, stored_currency) = current
                .json
                .get("amount")
                .map(|m| {
                    (
                        m.get("amount").and_then(Json::as_str).unwrap_or_default(),
                        m.get("currency").and_then(Json::as_str).unwrap_or_default(),
                    )
                })
                .unwrap_or_default();
            let keep = |key: &str, stored: &str| {
                form_value(&form, key)
                    .map(str::to_owned)
                    .unwrap_or_else(|| stored.to_owned())
            };
            let err = |f: &str| forms::error_for(tr, f, &errors);
            let view = MovePage {
                c: page.chrome("opportunity", heading.clone()),
                heading,
                action: format!("/opportunities/{id}/stage"),
                back,
                stages: stage_choices(&stages, &stage.map(|s| s.to_string()).unwrap_or_default()),
                kind: target.map_or("open", |t| kind_str(t.kind)),
                amount: keep("amount", stored_amount),
                currency: keep("amount__currency", stored_currency),
                close_date: keep(
                    "close_date",
                    show::raw(&current.json, "close_date")
                        .as_str()
                        .unwrap_or_default(),
                ),
                lost_reason: keep("lost_reason", ""),
                stage_error: err("stage_id"),
                amount_error: err("amount"),
                close_date_error: err("close_date"),
                lost_reason_error: err("lost_reason"),
                summary: Some(tr.count("record-errors", errors.len() as i64)),
            };
            (StatusCode::UNPROCESSABLE_ENTITY, render(&view)).into_response()
        }
        Err(e) => app_error(tr, e),
    }
}
