//! The four roles and what each may do. The table is computed from the access policy
//! itself (`rapport_core::access::reach`), so it cannot say something the server does not do.

use axum::response::Response;
use rapport_core::access::{Situation, reach};
use rapport_core::policy::{Principal, Scope, authorize_workspace_admin};
use rapport_core::{Id, Role, UserId, WorkspaceId};
use uuid::Uuid;

use super::super::names::all_users;
use super::super::page::{Chrome, Page, app_error, render};
use super::{Tab, refusal, tabs};
use crate::state::AppState;

pub struct RoleColumn {
    pub label: String,
    pub summary: String,
    /// "3 users", in the reader's language.
    pub users: String,
}

pub struct MatrixRow {
    pub label: String,
    pub cells: Vec<String>,
}

#[derive(askama::Template)]
#[template(path = "settings_roles.html")]
struct RolesPage {
    c: Chrome,
    tabs: Vec<Tab>,
    roles: Vec<RoleColumn>,
    rows: Vec<MatrixRow>,
}

/// Whether a holder of `role` may change settings, users and the audit trail's subjects.
fn may_administer(role: Role) -> bool {
    let p = Principal {
        workspace_id: WorkspaceId::from_uuid(Uuid::nil()),
        user_id: UserId::from_uuid(Uuid::nil()),
        role,
        team_id: None,
        scope: Scope::ReadWrite,
    };
    authorize_workspace_admin(&p).is_ok()
}

pub async fn show(s: AppState, page: Page) -> Response {
    if let Some(r) = refusal(&page) {
        return r;
    }
    let tr = page.tr;
    let people = match all_users(&s.app, &page.caller()).await {
        Ok(u) => u,
        Err(e) => return app_error(tr, e),
    };
    let mut counts = [0i64; 4];
    for u in people.iter().filter(|u| u.enabled) {
        if let Some(i) = Role::ALL.iter().position(|r| *r == u.role) {
            counts[i] += 1;
        }
    }
    let roles = Role::ALL
        .iter()
        .zip(counts)
        .map(|(r, users)| RoleColumn {
            label: tr.get(&format!("settings-role-{}", r.as_str())),
            summary: tr.get(&format!("settings-role-{}-summary", r.as_str())),
            users: tr.count("settings-role-users", users),
        })
        .collect();
    let mut rows: Vec<MatrixRow> = Situation::ALL
        .iter()
        .map(|sit| MatrixRow {
            label: tr.get(&format!("settings-situation-{}", sit.as_str())),
            cells: Role::ALL
                .iter()
                .map(|r| tr.get(&format!("settings-reach-{}", reach(*r, *sit).as_str())))
                .collect(),
        })
        .collect();
    rows.push(MatrixRow {
        label: tr.get("settings-situation-settings"),
        cells: Role::ALL
            .iter()
            .map(|r| {
                tr.get(if may_administer(*r) {
                    "record-yes"
                } else {
                    "record-no"
                })
            })
            .collect(),
    });
    render(&RolesPage {
        c: page.chrome("settings", tr.get("settings-roles-title")),
        tabs: tabs(tr, "roles"),
        roles,
        rows,
    })
}
