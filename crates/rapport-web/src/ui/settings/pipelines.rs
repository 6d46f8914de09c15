//! Pipelines and their stages: names, order, kind (open, won, lost) and probability.
//! The stage editor is one form of rows; blank rows add stages, ticked rows remove them.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rapport_app::AppError;
use rapport_app::model::Pipeline;
use rapport_app::pipelines::{self, PipelineInput, StageInput};
use rapport_core::pipeline::StageKind;
use rapport_core::validation::FieldError;
use uuid::Uuid;

use super::super::forms::{error_for, message};
use super::super::i18n::Tr;
use super::super::lists::Choice;
use super::super::page::{Chrome, Page, Submission, app_error, render};
use super::{Tab, back, notice, parse_uuid, refusal, tabs, text, ticked};
use crate::state::AppState;

const BLANK_ROWS: usize = 2;
const KINDS: [StageKind; 3] = [StageKind::Open, StageKind::Won, StageKind::Lost];

pub struct PipelineRow {
    pub href: String,
    pub name: String,
    pub is_default: bool,
    pub stages: Vec<String>,
}

pub struct StageRow {
    pub n: usize,
    pub id: String,
    pub name: String,
    pub kinds: Vec<Choice>,
    pub probability: String,
    pub position: String,
    pub remove: bool,
    pub error: Option<String>,
}

#[derive(askama::Template)]
#[template(path = "settings_pipelines.html")]
struct PipelinesPage {
    c: Chrome,
    tabs: Vec<Tab>,
    notice: Option<String>,
    rows: Vec<PipelineRow>,
}

#[derive(askama::Template)]
#[template(path = "settings_pipeline.html")]
struct PipelinePage {
    c: Chrome,
    tabs: Vec<Tab>,
    heading: String,
    action: String,
    delete_action: Option<String>,
    version: i64,
    name: String,
    is_default: bool,
    name_error: Option<String>,
    summary: Option<String>,
    problems: Vec<String>,
    stages: Vec<StageRow>,
}

fn kind_choices(tr: Tr, selected: &str) -> Vec<Choice> {
    KINDS
        .iter()
        .map(|k| Choice {
            value: k.as_str().to_owned(),
            label: tr.get(&format!("settings-stage-kind-{}", k.as_str())),
            selected: k.as_str() == selected,
        })
        .collect()
}

fn stage_row(
    tr: Tr,
    n: usize,
    id: String,
    name: String,
    kind: &str,
    probability: String,
) -> StageRow {
    StageRow {
        n,
        id,
        name,
        kinds: kind_choices(tr, kind),
        probability,
        position: (n + 1).to_string(),
        remove: false,
        error: None,
    }
}

fn blank_rows(tr: Tr, from: usize) -> impl Iterator<Item = StageRow> {
    (from..from + BLANK_ROWS)
        .map(move |n| stage_row(tr, n, String::new(), String::new(), "open", String::new()))
}

pub async fn list(s: AppState, page: Page, query: Vec<(String, String)>) -> Response {
    if let Some(r) = refusal(&page) {
        return r;
    }
    let tr = page.tr;
    let all = match pipelines::list(&s.app, &page.caller()).await {
        Ok(p) => p,
        Err(e) => return app_error(tr, e),
    };
    let rows = all
        .iter()
        .map(|p| PipelineRow {
            href: format!("/settings/pipelines/{}", p.id),
            name: p.name.clone(),
            is_default: p.is_default,
            stages: p
                .stages
                .iter()
                .map(|st| {
                    tr.args2(
                        "settings-stage-summary",
                        ("name", &st.name),
                        ("probability", &st.probability.to_string()),
                    )
                })
                .collect(),
        })
        .collect();
    render(&PipelinesPage {
        c: page.chrome("settings", tr.get("settings-pipelines-title")),
        tabs: tabs(tr, "pipelines"),
        notice: notice(tr, &query),
        rows,
    })
}

fn new_page(page: &Page) -> PipelinePage {
    let tr = page.tr;
    let mut stages: Vec<StageRow> = [("open", 10), ("won", 100), ("lost", 0)]
        .iter()
        .enumerate()
        .map(|(n, (kind, p))| {
            stage_row(
                tr,
                n,
                String::new(),
                tr.get(&format!("settings-stage-default-{kind}")),
                kind,
                p.to_string(),
            )
        })
        .collect();
    stages.extend(blank_rows(tr, 3));
    PipelinePage {
        c: page.chrome("settings", tr.get("settings-pipeline-new")),
        tabs: tabs(tr, "pipelines"),
        heading: tr.get("settings-pipeline-new"),
        action: "/settings/pipelines".into(),
        delete_action: None,
        version: 0,
        name: String::new(),
        is_default: false,
        name_error: None,
        summary: None,
        problems: Vec::new(),
        stages,
    }
}

pub async fn new_form(page: Page) -> Response {
    if let Some(r) = refusal(&page) {
        return r;
    }
    render(&new_page(&page))
}

fn edit_page(page: &Page, p: &Pipeline) -> PipelinePage {
    let tr = page.tr;
    let mut stages: Vec<StageRow> = p
        .stages
        .iter()
        .enumerate()
        .map(|(n, st)| {
            stage_row(
                tr,
                n,
                st.id.to_string(),
                st.name.clone(),
                st.kind.as_str(),
                st.probability.to_string(),
            )
        })
        .collect();
    let n = stages.len();
    stages.extend(blank_rows(tr, n));
    PipelinePage {
        c: page.chrome("settings", p.name.clone()),
        tabs: tabs(tr, "pipelines"),
        heading: p.name.clone(),
        action: format!("/settings/pipelines/{}", p.id),
        delete_action: (!p.is_default).then(|| format!("/settings/pipelines/{}/delete", p.id)),
        version: p.version,
        name: p.name.clone(),
        is_default: p.is_default,
        name_error: None,
        summary: None,
        problems: Vec::new(),
        stages,
    }
}

/// The stage rows as typed, and the stages to send: blank and removed rows left out, the
/// rest in the order of their position numbers. `sent[i]` is the row of the i-th stage.
struct TypedStages {
    rows: Vec<StageRow>,
    stages: Vec<StageInput>,
    sent: Vec<usize>,
    bad: Vec<FieldError>,
}

fn typed_stages(tr: Tr, form: &[(String, String)]) -> TypedStages {
    let all = |key: &str| -> Vec<&str> {
        form.iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let (ids, names, kinds, probs, positions) = (
        all("stage_id"),
        all("stage_name"),
        all("stage_kind"),
        all("stage_probability"),
        all("stage_position"),
    );
    let removed = all("stage_remove");
    let mut rows = Vec::new();
    let mut order: Vec<(i64, usize)> = Vec::new();
    let mut bad = Vec::new();
    for (n, name) in names.iter().enumerate() {
        let id = ids.get(n).copied().unwrap_or_default().trim();
        let kind = kinds.get(n).copied().unwrap_or("open");
        let probability = probs.get(n).copied().unwrap_or_default().trim();
        let position = positions.get(n).copied().unwrap_or_default().trim();
        let remove = !id.is_empty() && removed.contains(&id);
        let mut row = stage_row(
            tr,
            n,
            id.to_owned(),
            (*name).to_owned(),
            kind,
            probability.to_owned(),
        );
        row.position = position.to_owned();
        row.remove = remove;
        let blank = id.is_empty() && name.trim().is_empty();
        if !remove && !blank {
            let at = position
                .parse::<i64>()
                .unwrap_or(i64::try_from(n + 1).unwrap_or(0));
            order.push((at, n));
        }
        rows.push(row);
    }
    order.sort_by_key(|(at, n)| (*at, *n));
    let mut stages = Vec::new();
    let mut sent = Vec::new();
    for (i, (_, n)) in order.iter().enumerate() {
        let row = &rows[*n];
        let probability = if row.probability.is_empty() {
            None
        } else {
            match row.probability.parse::<i64>() {
                Ok(p) => Some(p),
                Err(_) => {
                    bad.push(FieldError::new(
                        format!("stages[{i}].probability"),
                        rapport_core::ErrorCode::InvalidFormat,
                        "must be a whole number from 0 to 100",
                    ));
                    None
                }
            }
        };
        let id = match Uuid::try_parse(&row.id) {
            Ok(u) => Some(u),
            Err(_) if row.id.is_empty() => None,
            Err(_) => {
                bad.push(FieldError::new(
                    format!("stages[{i}].id"),
                    rapport_core::ErrorCode::UnknownReference,
                    "no such stage in this pipeline",
                ));
                None
            }
        };
        stages.push(StageInput {
            id,
            name: row.name.clone(),
            kind: row
                .kinds
                .iter()
                .find(|k| k.selected)
                .map(|k| k.value.clone())
                .unwrap_or_default(),
            probability,
        });
        sent.push(*n);
    }
    TypedStages {
        rows,
        stages,
        sent,
        bad,
    }
}

/// Puts each stage error on its row; the rest (about the whole list) above the table.
fn place_errors(tr: Tr, view: &mut PipelinePage, sent: &[usize], errors: &[FieldError]) {
    view.name_error = error_for(tr, "name", errors);
    for e in errors {
        let row = e
            .field
            .strip_prefix("stages[")
            .and_then(|r| r.split(']').next())
            .and_then(|i| i.parse::<usize>().ok())
            .and_then(|i| sent.get(i));
        match row {
            Some(n) => {
                if let Some(r) = view.stages.get_mut(*n)
                    && r.error.is_none()
                {
                    r.error = Some(message(tr, e));
                }
            }
            None if e.field != "name" => view.problems.push(message(tr, e)),
            None => {}
        }
    }
    view.summary = Some(tr.count("record-errors", errors.len() as i64));
}

/// The form again as typed, with what went wrong.
fn refused(
    page: &Page,
    mut view: PipelinePage,
    form: &[(String, String)],
    typed: TypedStages,
    e: AppError,
) -> Response {
    let tr = page.tr;
    view.name = text(form, "name").unwrap_or_default();
    view.is_default = ticked(form, "is_default");
    let TypedStages { rows, sent, .. } = typed;
    view.stages = rows;
    let status = match e {
        AppError::Invalid(errors) => {
            place_errors(tr, &mut view, &sent, &errors);
            StatusCode::UNPROCESSABLE_ENTITY
        }
        AppError::Conflict { message, .. } => {
            view.summary = Some(tr.arg("error-bad-request", "detail", message));
            StatusCode::CONFLICT
        }
        AppError::PreconditionFailed { .. } => {
            view.summary = Some(tr.get("record-conflict"));
            StatusCode::CONFLICT
        }
        other => return app_error(tr, other),
    };
    (status, render(&view)).into_response()
}

pub async fn create(s: AppState, sub: Submission) -> Response {
    let Submission { page, form } = sub;
    if let Some(r) = refusal(&page) {
        return r;
    }
    let typed = typed_stages(page.tr, &form);
    let result = if typed.bad.is_empty() {
        let input = PipelineInput {
            name: text(&form, "name"),
            is_default: Some(ticked(&form, "is_default")),
            stages: Some(typed.stages.clone()),
        };
        pipelines::create(&s.app, &page.caller(), &input).await
    } else {
        Err(AppError::Invalid(typed.bad.clone()))
    };
    match result {
        Ok(_) => back("/settings/pipelines?done=created".into()),
        Err(e) => refused(&page, new_page(&page), &form, typed, e),
    }
}

async fn load(s: &AppState, page: &Page, raw: &str) -> Result<Pipeline, Response> {
    let id = parse_uuid(raw).map_err(|e| app_error(page.tr, e))?;
    pipelines::get(&s.app, &page.caller(), id)
        .await
        .map_err(|e| app_error(page.tr, e))
}

pub async fn edit(s: AppState, page: Page, raw_id: String) -> Response {
    if let Some(r) = refusal(&page) {
        return r;
    }
    match load(&s, &page, &raw_id).await {
        Ok(p) => render(&edit_page(&page, &p)),
        Err(r) => r,
    }
}

pub async fn update(s: AppState, sub: Submission, raw_id: String) -> Response {
    let Submission { page, form } = sub;
    if let Some(r) = refusal(&page) {
        return r;
    }
    let current = match load(&s, &page, &raw_id).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let typed = typed_stages(page.tr, &form);
    let version = text(&form, "_version").and_then(|v| v.parse::<i64>().ok());
    let result = if typed.bad.is_empty() {
        let input = PipelineInput {
            name: text(&form, "name"),
            // Unticking the default is refused by the use case with a reason; an unticked
            // box on a pipeline that is not the default changes nothing.
            is_default: Some(ticked(&form, "is_default")),
            stages: Some(typed.stages.clone()),
        };
        pipelines::update(&s.app, &page.caller(), current.id, &input, version).await
    } else {
        Err(AppError::Invalid(typed.bad.clone()))
    };
    match result {
        Ok(_) => back("/settings/pipelines?done=saved".into()),
        Err(e) => refused(&page, edit_page(&page, &current), &form, typed, e),
    }
}

pub async fn delete(s: AppState, sub: Submission, raw_id: String) -> Response {
    let Submission { page, .. } = sub;
    if let Some(r) = refusal(&page) {
        return r;
    }
    let id = match parse_uuid(&raw_id) {
        Ok(id) => id,
        Err(e) => return app_error(page.tr, e),
    };
    match pipelines::delete(&s.app, &page.caller(), id).await {
        Ok(()) => back("/settings/pipelines?done=deleted".into()),
        Err(e) => app_error(page.tr, e),
    }
}
