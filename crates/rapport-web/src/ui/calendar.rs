//! The calendar: a week or a month of one person's meetings, calls and tasks, on their own
//! clock. Everyone sees their own by default; the access policy decides what else shows.

use axum::extract::{Query, State};
use axum::response::Response;
use rapport_app::overview;
use rapport_core::Id;
use rapport_core::calendar::{self, View};
use rapport_core::format::{self, local_date, start_of_local_day};
use rapport_core::object::ObjectType;
use rapport_core::time::Timestamp;
use serde::Deserialize;
use uuid::Uuid;

use super::lists::Choice;
use super::page::{Chrome, Page, app_error, render};
use super::show::{self, record_href};
use crate::state::AppState;

/// More than a month of anyone's calendar holds; past it the page says it stopped.
const CAP: usize = 1_000;
/// Entries a month cell lists before "n more".
const PER_CELL: usize = 4;

#[derive(Deserialize)]
pub struct CalendarQuery {
    view: Option<String>,
    date: Option<String>,
    owner: Option<String>,
}

pub struct Entry {
    pub time: String,
    pub kind: String,
    pub title: String,
    pub href: String,
    pub done: bool,
}

pub struct Day {
    pub heading: String,
    pub weekday: String,
    pub today: bool,
    pub outside: bool,
    pub weekend: bool,
    pub entries: Vec<Entry>,
    pub more: Option<(String, String)>,
}

#[derive(askama::Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    c: Chrome,
    range: String,
    month_view: bool,
    days: Vec<Day>,
    weekdays: Vec<String>,
    prev_href: String,
    next_href: String,
    today_href: String,
    week_href: String,
    month_href: String,
    owners: Vec<Choice>,
    view: &'static str,
    date: String,
    truncated: Option<String>,
}

fn href(view: View, date: calendar::Date, owner: &str) -> String {
    format!("/calendar?view={}&date={date}&owner={owner}", view.as_str())
}

pub async fn show(
    State(s): State<AppState>,
    page: Page,
    Query(q): Query<CalendarQuery>,
) -> Response {
    let tr = page.tr;
    let zone = page.zone().to_owned();
    let now = s.app.now();
    let Some(today) = local_date(now, &zone) else {
        return app_error(tr, rapport_app::AppError::Internal);
    };
    let view = View::parse(q.view.as_deref().unwrap_or("week"));
    let day = q
        .date
        .as_deref()
        .and_then(|d| d.parse::<calendar::Date>().ok())
        .unwrap_or(today);
    let me = page.user.id.as_uuid();
    let owner = q
        .owner
        .as_deref()
        .and_then(|o| Uuid::try_parse(o).ok())
        .unwrap_or(me);
    let grid = calendar::grid(view, day);
    let (Some(from), Some(to)) = (
        start_of_local_day(grid.first, &zone),
        start_of_local_day(grid.end(), &zone),
    ) else {
        return app_error(tr, rapport_app::AppError::Internal);
    };
    let caller = page.caller();
    let (items, truncated) = match overview::agenda(&s.app, &caller, owner, from, to, CAP).await {
        Ok(found) => found,
        Err(e) => return app_error(tr, e),
    };
    let owner_s = owner.to_string();
    let mut days: Vec<Day> = grid
        .dates()
        .into_iter()
        .map(|d| Day {
            heading: format::date(tr.locale, &d.to_string()),
            weekday: tr.get(&format!("cal-day-{}", calendar::iso_weekday(d))),
            today: d == today,
            outside: view == View::Month && d.month() != day.month(),
            weekend: calendar::is_weekend(d),
            entries: Vec::new(),
            more: None,
        })
        .collect();
    let dates = grid.dates();
    let mut hidden = vec![0i64; days.len()];
    for a in &items {
        let Some(due) = show::raw(a, "due_at")
            .as_str()
            .and_then(|s| Timestamp::parse_rfc3339(s).ok())
        else {
            continue;
        };
        let Some(local) = local_date(due, &zone) else {
            continue;
        };
        let Some(i) = dates.iter().position(|d| *d == local) else {
            continue;
        };
        if view == View::Month && days[i].entries.len() >= PER_CELL {
            hidden[i] += 1;
            continue;
        }
        let stamp = format::date_time(tr.locale, due, &zone);
        // The clock time is what follows the date in the reader's notation.
        let time = stamp
            .strip_prefix(&days[i].heading)
            .unwrap_or(&stamp)
            .trim()
            .to_owned();
        days[i].entries.push(Entry {
            time,
            kind: tr.enum_value("kind", show::raw(a, "kind").as_str().unwrap_or_default()),
            title: show::title(ObjectType::Activity, a),
            href: record_href(ObjectType::Activity, &show::id_of(a)),
            done: show::raw(a, "status").as_str() == Some("done"),
        });
    }
    for (i, n) in hidden.into_iter().enumerate() {
        if n > 0 {
            days[i].more = Some((
                tr.count("cal-more", n),
                href(View::Week, dates[i], &owner_s),
            ));
        }
    }
    let owners = super::names::user_choices(
        &super::names::workspace_users(&s.app, &caller).await,
        Some(owner),
    );
    let last = dates.last().copied().unwrap_or(day);
    let view_page = CalendarPage {
        c: page.chrome("calendar", tr.get("cal-title")),
        range: tr.args2(
            "cal-range",
            ("from", &format::date(tr.locale, &grid.first.to_string())),
            ("to", &format::date(tr.locale, &last.to_string())),
        ),
        month_view: view == View::Month,
        weekdays: (1..=7).map(|n| tr.get(&format!("cal-day-{n}"))).collect(),
        days,
        prev_href: href(view, calendar::step(view, day, -1), &owner_s),
        next_href: href(view, calendar::step(view, day, 1), &owner_s),
        today_href: href(view, today, &owner_s),
        week_href: href(View::Week, day, &owner_s),
        month_href: href(View::Month, day, &owner_s),
        owners,
        view: view.as_str(),
        date: day.to_string(),
        truncated: truncated.then(|| tr.arg("cal-truncated", "count", CAP)),
    };
    render(&view_page)
}
