//! The audit log: who did what, when and from where, newest first, filtered by action,
//! object type and person. Read-only: no path edits or deletes an entry.

use axum::response::Response;
use rapport_app::model::{AuditEntry, AuditFilter};
use rapport_app::{PageRequest, audit_log};
use rapport_core::audit::AuditAction;
use rapport_core::object::ObjectType;
use rapport_core::{AuditId, Id, UserId};
use serde_json::Value as Json;
use uuid::Uuid;

use super::super::i18n::Tr;
use super::super::lists::Choice;
use super::super::names::workspace_users;
use super::super::page::{Chrome, Page, app_error, form_value, render, urlencode};
use super::super::show::record_href;
use super::{Tab, refusal, tabs};
use crate::state::AppState;

pub struct AuditRow {
    pub at: String,
    pub who: String,
    pub action: String,
    pub object: String,
    pub href: Option<String>,
    pub changes: Vec<String>,
    pub ip: String,
}

#[derive(askama::Template)]
#[template(path = "settings_audit.html")]
struct AuditPage {
    c: Chrome,
    tabs: Vec<Tab>,
    actions: Vec<Choice>,
    objects: Vec<Choice>,
    actors: Vec<Choice>,
    rows: Vec<AuditRow>,
    next_href: Option<String>,
}

/// The object types that appear in the log besides records.
const OTHER_SUBJECTS: [&str; 12] = [
    "workspace",
    "user",
    "team",
    "api_token",
    "share",
    "tag",
    "pipeline",
    "custom_field",
    "field_rules",
    "object_settings",
    "order",
    "analytics_model",
];

fn action_label(tr: Tr, action: &str) -> String {
    if AuditAction::ALL.iter().any(|a| a.as_str() == action) {
        tr.get(&format!("audit-action-{}", action.replace('.', "-")))
    } else {
        action.to_owned()
    }
}

/// `from → to` per changed field, values shortened: the entry itself keeps them whole.
fn changes_of(tr: Tr, e: &AuditEntry) -> Vec<String> {
    let short = |v: &Json| {
        let s = match v {
            Json::Null => tr.get("record-empty-value"),
            Json::String(s) => s.clone(),
            other => other.to_string(),
        };
        if s.chars().count() > 60 {
            format!("{}…", s.chars().take(60).collect::<String>())
        } else {
            s
        }
    };
    let mut out: Vec<String> = e
        .changes
        .as_ref()
        .and_then(Json::as_array)
        .map(|list| {
            list.iter()
                .map(|c| {
                    let field = c.get("field").and_then(Json::as_str).unwrap_or_default();
                    let from = c.get("before").unwrap_or(&Json::Null);
                    let to = c.get("after").unwrap_or(&Json::Null);
                    format!("{field}: {} → {}", short(from), short(to))
                })
                .collect()
        })
        .unwrap_or_default();
    if let Some(Json::Object(d)) = &e.detail {
        out.extend(d.iter().map(|(k, v)| format!("{k}: {}", short(v))));
    }
    out
}

pub async fn show(s: AppState, page: Page, query: Vec<(String, String)>) -> Response {
    if let Some(r) = refusal(&page) {
        return r;
    }
    let tr = page.tr;
    let caller = page.caller();
    let q = |k: &str| form_value(&query, k).filter(|v| !v.is_empty());
    let actor = q("actor").and_then(|a| Uuid::try_parse(a).ok());
    let filter = AuditFilter {
        action: q("action").map(str::to_owned),
        object_type: q("object_type").map(str::to_owned),
        object_id: q("object_id").and_then(|o| Uuid::try_parse(o).ok()),
        actor_id: actor.map(UserId::from_uuid),
    };
    let after = q("after")
        .and_then(|a| Uuid::try_parse(a).ok())
        .map(AuditId::from_uuid);
    let listed =
        match audit_log::list(&s.app, &caller, &filter, PageRequest::new(after, Some(50))).await {
            Ok(l) => l,
            Err(e) => return app_error(tr, e),
        };
    let people = workspace_users(&s.app, &caller).await;
    let name_of = |id: UserId| {
        people
            .iter()
            .find(|u| u.id == id)
            .map_or_else(|| id.as_uuid().to_string(), |u| u.display_name.clone())
    };
    let rows = listed
        .items
        .iter()
        .map(|e| {
            let record = e.object_type.parse::<ObjectType>().ok();
            AuditRow {
                at: rapport_core::format::date_time(tr.locale, e.at, page.zone()),
                who: match (e.actor_kind.as_str(), e.actor_id) {
                    (_, Some(id)) => name_of(id),
                    (kind, None) => tr.get(&format!("audit-actor-{kind}")),
                },
                action: action_label(tr, &e.action),
                object: match record {
                    Some(o) => tr.get(&format!("list-title-{}", o.as_str())),
                    None => e.object_type.clone(),
                },
                href: match (record, e.object_id) {
                    (Some(o), Some(id)) if e.action != "record.purged" => {
                        Some(record_href(o, &id.to_string()))
                    }
                    _ => None,
                },
                changes: changes_of(tr, e),
                ip: e.ip.clone().unwrap_or_default(),
            }
        })
        .collect();
    let keep = |k: &str| q(k).map(|v| format!("&{k}={}", urlencode(v)));
    let next_href = listed.next.map(|n| {
        let mut href = format!("/settings/audit?after={}", n.as_uuid());
        for k in ["action", "object_type", "object_id", "actor"] {
            href.push_str(&keep(k).unwrap_or_default());
        }
        href
    });
    let selected_action = q("action").unwrap_or_default();
    let selected_object = q("object_type").unwrap_or_default();
    let any = |selected: bool| Choice {
        value: String::new(),
        label: tr.get("audit-any"),
        selected,
    };
    let actions = std::iter::once(any(selected_action.is_empty()))
        .chain(AuditAction::ALL.iter().map(|a| Choice {
            value: a.as_str().to_owned(),
            label: action_label(tr, a.as_str()),
            selected: a.as_str() == selected_action,
        }))
        .collect();
    let objects = std::iter::once(any(selected_object.is_empty()))
        .chain(super::super::OBJECTS.iter().map(|o| Choice {
            value: o.as_str().to_owned(),
            label: tr.get(&format!("list-title-{}", o.as_str())),
            selected: o.as_str() == selected_object,
        }))
        .chain(OTHER_SUBJECTS.iter().map(|o| Choice {
            value: (*o).to_owned(),
            label: tr.get(&format!("audit-subject-{}", o.replace('_', "-"))),
            selected: *o == selected_object,
        }))
        .collect();
    let actors = std::iter::once(any(actor.is_none()))
        .chain(super::super::names::user_choices(&people, actor))
        .collect();
    render(&AuditPage {
        c: page.chrome("settings", tr.get("settings-audit-title")),
        tabs: tabs(tr, "audit"),
        actions,
        objects,
        actors,
        rows,
        next_href,
    })
}
