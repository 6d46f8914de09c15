//! The home page: my late and today's tasks and calls, my open pipeline, my records that
//! changed lately.

use axum::extract::State;
use axum::response::Response;
use rapport_app::overview::{self, StageTotal};
use rapport_core::format;
use rapport_core::money::{Currency, Money};
use rapport_core::object::ObjectType;
use serde_json::Value as Json;

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
    pub count: String,
    pub total: String,
    pub weighted: String,
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
    totals: Vec<StageRow>,
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

/// Minor units as the reader writes money; unknown currencies keep their code.
pub fn money_text(tr: Tr, minor: i64, currency: Option<&str>) -> String {
    match currency.and_then(|c| Currency::parse("currency", c).ok()) {
        Some(cur) => {
            let code = cur.code().to_owned();
            let m = Money {
                minor,
                currency: cur,
            };
            format::money(tr.locale, &m.amount_string(), &code)
        }
        None => format::integer(tr.locale, minor),
    }
}

/// One row per stage; a stage holding deals in several currencies lists each total, since
/// amounts in different currencies are never added up without a rate.
fn stage_rows(tr: Tr, stages: &[StageTotal], me: &str) -> Vec<StageRow> {
    struct Acc {
        id: uuid::Uuid,
        stage: String,
        count: i64,
        totals: Vec<String>,
        weighted: Vec<String>,
    }
    let mut rows: Vec<Acc> = Vec::new();
    for s in stages {
        let total = money_text(tr, s.total_minor, s.currency.as_deref());
        let weighted = money_text(tr, s.weighted_minor, s.currency.as_deref());
        match rows.iter_mut().find(|r| r.id == s.stage_id) {
            Some(r) => {
                r.count += s.count;
                r.totals.push(total);
                r.weighted.push(weighted);
            }
            None => rows.push(Acc {
                id: s.stage_id,
                stage: format!("{} · {}", s.pipeline, s.stage),
                count: s.count,
                totals: vec![total],
                weighted: vec![weighted],
            }),
        }
    }
    rows.into_iter()
        .map(|r| StageRow {
            href: format!(
                "/opportunities?filter%5Bstage_id%5D%5Beq%5D={}&filter%5Bowner_id%5D%5Beq%5D={}",
                r.id,
                urlencode(me)
            ),
            stage: r.stage,
            count: format::integer(tr.locale, r.count),
            total: r.totals.join(" · "),
            weighted: r.weighted.join(" · "),
        })
        .collect()
}

/// Every stage added up, per currency.
fn totals(tr: Tr, stages: &[StageTotal]) -> Vec<StageRow> {
    let mut by_currency: Vec<(Option<String>, i64, i64, i64)> = Vec::new();
    for s in stages {
        match by_currency.iter_mut().find(|(c, ..)| *c == s.currency) {
            Some((_, n, t, w)) => {
                *n += s.count;
                *t += s.total_minor;
                *w += s.weighted_minor;
            }
            None => {
                by_currency.push((s.currency.clone(), s.count, s.total_minor, s.weighted_minor))
            }
        }
    }
    let count: i64 = by_currency.iter().map(|c| c.1).sum();
    if by_currency.is_empty() {
        return Vec::new();
    }
    vec![StageRow {
        stage: tr.get("home-all-stages"),
        href: String::new(),
        count: format::integer(tr.locale, count),
        total: by_currency
            .iter()
            .map(|(c, _, t, _)| money_text(tr, *t, c.as_deref()))
            .collect::<Vec<_>>()
            .join(" · "),
        weighted: by_currency
            .iter()
            .map(|(c, _, _, w)| money_text(tr, *w, c.as_deref()))
            .collect::<Vec<_>>()
            .join(" · "),
    }]
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
