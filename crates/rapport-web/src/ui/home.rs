//! The home page: my late and today's tasks and calls, my open pipeline, my records that
//! changed lately.

use axum::extract::State;
use axum::response::Response;
use rapport_app::overview::{self, PipelineFigures};
use rapport_core::object::ObjectType;
use serde_json::Value as Json;

use super::figures::{self, FigureText};
use super::i18n::Tr;
use super::page::{Chrome, Page, app_error, render, urlencode};
use super::show::{self, Names, record_href};
use crate::state::AppState;

pub struct TaskRow {
    pub title: String,
    pub href: String,
    pub kind: String,
    pub when: String,
}

pub struct StageRow {
    pub stage: String,
    pub href: String,
    pub figures: FigureText,
}

pub struct RecentRow {
    pub title: String,
    pub href: String,
    pub kind: String,
    pub when: String,
}

#[derive(askama::Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    first_name: String,
    overdue: Vec<TaskRow>,
    today: Vec<TaskRow>,
    stages: Vec<StageRow>,
    totals: Option<StageRow>,
    missing_rates: Option<String>,
    recent: Vec<RecentRow>,
}

fn task_row(tr: Tr, zone: &str, a: &Json) -> TaskRow {
    let names = Names::default();
    TaskRow {
        title: show::title(ObjectType::Activity, a),
        href: record_href(ObjectType::Activity, &show::id_of(a)),
        kind: show::cell(
            tr,
            zone,
            ObjectType::Activity,
            "kind",
            show::raw(a, "kind"),
            &names,
        )
        .text,
        when: show::cell(
            tr,
            zone,
            ObjectType::Activity,
            "due_at",
            show::raw(a, "due_at"),
            &names,
        )
        .text,
    }
}

/// One row per stage with open deals, in the base currency; amounts whose currency had no
/// rate today are listed apart in their own currency, never added at par.
fn stage_rows(tr: Tr, f: &PipelineFigures, me: &str) -> Vec<StageRow> {
    f.stages
        .iter()
        .map(|s| StageRow {
            href: format!(
                "/opportunities?filter%5Bstage_id%5D%5Beq%5D={}&filter%5Bowner_id%5D%5Beq%5D={}",
                s.stage_id,
                urlencode(me)
            ),
            stage: format!("{} · {}", s.pipeline, s.stage),
            figures: figures::text(tr, &s.figures, f.base),
        })
        .collect()
}

/// Every stage added up.
fn totals(tr: Tr, f: &PipelineFigures) -> Option<StageRow> {
    (!f.stages.is_empty()).then(|| StageRow {
        stage: tr.get("home-all-stages"),
        href: String::new(),
        figures: figures::text(tr, &f.all, f.base),
    })
}

pub async fn show(State(s): State<AppState>, page: Page) -> Response {
    let tr = page.tr;
    let caller = page.caller();
    let home = match overview::home(&s.app, &caller, page.zone()).await {
        Ok(h) => h,
        Err(e) => return app_error(tr, e),
    };
    let zone = page.zone().to_owned();
    let me = {
        use rapport_core::Id;
        page.user.id.as_uuid().to_string()
    };
    let names = Names::default();
    let view = HomePage {
        c: page.chrome("home", tr.get("home-title")),
        first_name: page
            .user
            .display_name
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned(),
        overdue: home
            .overdue
            .iter()
            .map(|a| task_row(tr, &zone, a))
            .collect(),
        today: home.today.iter().map(|a| task_row(tr, &zone, a)).collect(),
        stages: stage_rows(tr, &home.pipeline, &me),
        totals: totals(tr, &home.pipeline),
        missing_rates: figures::missing_rates(
            tr,
            &home.pipeline.all,
            &home.pipeline.day.to_string(),
        ),
        recent: home
            .recent
            .iter()
            .map(|r| RecentRow {
                title: show::title(r.object, &r.record),
                href: record_href(r.object, &show::id_of(&r.record)),
                kind: tr.get(&format!("list-title-{}", r.object.as_str())),
                when: show::cell(
                    tr,
                    &zone,
                    r.object,
                    "updated_at",
                    show::raw(&r.record, "updated_at"),
                    &names,
                )
                .text,
            })
            .collect(),
    };
    render(&view)
}
