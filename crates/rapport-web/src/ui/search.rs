//! Global search across every object, under the access policy: a page of results, and the
//! same results as a fragment that htmx drops under the header's box while one types
//! (Ctrl+K focuses that box on every page; arrow keys walk the results).

use axum::extract::{Query, State};
use axum::response::Response;
use rapport_app::search;
use rapport_core::object::ObjectType;
use serde::Deserialize;

use super::page::{Chrome, Page, app_error, render};
use super::show::record_href;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
}

pub struct HitView {
    pub title: String,
    pub subtitle: String,
    pub href: String,
}

#[derive(askama::Template)]
#[template(path = "search_quick.html")]
struct QuickResults {
    c: Chrome,
    heading: Option<String>,
    groups: Vec<(String, Vec<HitView>)>,
    all_href: String,
}

#[derive(askama::Template)]
#[template(path = "search.html")]
struct SearchPage {
    c: Chrome,
    q: String,
    heading: Option<String>,
    groups: Vec<(String, Vec<HitView>)>,
}

const OBJECTS: [ObjectType; 5] = [
    ObjectType::Contact,
    ObjectType::Company,
    ObjectType::Lead,
    ObjectType::Opportunity,
    ObjectType::Activity,
];

pub async fn show(State(s): State<AppState>, page: Page, Query(q): Query<SearchQuery>) -> Response {
    let tr = page.tr;
    let q = q.q.unwrap_or_default().trim().to_owned();
    let mut groups = Vec::new();
    let heading = if q.chars().count() < 2 {
        (!q.is_empty()).then(|| tr.get("search-hint"))
    } else {
        let hits = match search::search(&s.app, &page.caller(), &q, &OBJECTS, 8).await {
            Ok(h) => h,
            Err(e) => return app_error(tr, e),
        };
        for object in OBJECTS {
            let list: Vec<HitView> = hits
                .iter()
                .filter(|h| h.object == object)
                .map(|h| HitView {
                    title: h.title.clone(),
                    subtitle: match object {
                        // Kinds and amounts are values; names and e-mails are data.
                        ObjectType::Activity | ObjectType::Opportunity => String::new(),
                        _ => h.subtitle.clone().unwrap_or_default(),
                    },
                    href: record_href(object, &h.id.to_string()),
                })
                .collect();
            if !list.is_empty() {
                groups.push((tr.get(&format!("list-title-{}", object.as_str())), list));
            }
        }
        Some(if groups.is_empty() {
            tr.arg("search-none", "query", &q)
        } else {
            tr.arg("search-results", "query", &q)
        })
    };
    if page.htmx {
        return render(&QuickResults {
            c: page.chrome("search", tr.get("search-title")),
            all_href: format!("/search?q={}", super::page::urlencode(&q)),
            heading: (groups.is_empty() && !q.is_empty())
                .then_some(heading)
                .flatten(),
            groups,
        });
    }
    render(&SearchPage {
        c: page.chrome("search", tr.get("search-title")),
        q,
        heading,
        groups,
    })
}
