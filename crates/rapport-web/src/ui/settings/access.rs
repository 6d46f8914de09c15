//! Field-level rules (a field hidden from a role, or read-only for it) and the visibility a
//! new record of each object gets when its creator does not choose one.

use axum::response::{IntoResponse, Response};
use rapport_app::AppError;
use rapport_app::record_settings::{self, RuleInput};
use rapport_core::Role;
use rapport_core::access::FieldRule;
use rapport_core::object::ObjectType;
use rapport_core::validation::FieldError;

use super::super::forms::message;
use super::super::i18n::Tr;
use super::super::lists::Choice;
use super::super::page::{Chrome, Page, Submission, app_error, form_status, form_value, render};
use super::super::show;
use super::fields::{ObjectTab, object_of, object_tabs};
use super::{Tab, back, notice, refusal, tabs};
use crate::state::AppState;

/// Admins are never restricted, so the rules name the other three roles.
const RULED: [Role; 3] = [Role::Manager, Role::Rep, Role::ReadOnly];

pub struct RuleCell {
    pub name: String,
    pub label: String,
    pub choices: Vec<Choice>,
}

pub struct RuleRow {
    pub label: String,
    pub cells: Vec<RuleCell>,
}

#[derive(askama::Template)]
#[template(path = "settings_access.html")]
struct AccessPage {
    c: Chrome,
    tabs: Vec<Tab>,
    objects: Vec<ObjectTab>,
    object: String,
    object_label: String,
    notice: Option<String>,
    problems: Vec<String>,
    roles: Vec<String>,
    rows: Vec<RuleRow>,
    visibility: Vec<Choice>,
}

/// The fields a rule can name: what a record page shows, then the custom fields; with
/// whether anyone but the server ever writes them.
fn ruled_fields(
    tr: Tr,
    object: ObjectType,
    custom: &[rapport_app::model::CustomField],
) -> Vec<(String, String, bool)> {
    show::detail_fields(object)
        .map(|f| {
            let writable = f.access != rapport_core::catalogue::Access::System;
            (f.name.to_owned(), tr.field(f.name), writable)
        })
        .chain(
            custom
                .iter()
                .map(|d| (format!("custom.{}", d.key), d.label.clone(), true)),
        )
        .collect()
}

/// The choices of one cell. Without a rule a field is editable, except for the read-only
/// role and for fields only the server writes, where "no rule" already means read only.
fn access_choices(tr: Tr, writable: bool, current: &str) -> Vec<Choice> {
    let shown: &[(&str, &str)] = if writable {
        &[
            ("editable", "settings-access-editable"),
            ("read_only", "settings-access-read_only"),
            ("hidden", "settings-access-hidden"),
        ]
    } else {
        &[
            ("editable", "settings-access-read_only"),
            ("hidden", "settings-access-hidden"),
        ]
    };
    let current = if !writable && current == "read_only" {
        "editable"
    } else {
        current
    };
    shown
        .iter()
        .map(|(value, label)| Choice {
            value: (*value).to_owned(),
            label: tr.get(label),
            selected: *value == current,
        })
        .collect()
}

fn access_of(rules: &[FieldRule], role: Role, field: &str) -> &'static str {
    match rules.iter().find(|r| r.role == role && r.field == field) {
        Some(r) if r.hidden => "hidden",
        Some(_) => "read_only",
        None => "editable",
    }
}

async fn page_with(
    s: &AppState,
    page: &Page,
    object: ObjectType,
    notice: Option<String>,
    typed: Option<&[(String, String)]>,
    errors: &[FieldError],
) -> Response {
    let tr = page.tr;
    let caller = page.caller();
    let rules = match record_settings::field_rules(&s.app, &caller, object).await {
        Ok(r) => r,
        Err(e) => return app_error(tr, e),
    };
    let custom = match record_settings::list_custom_fields(&s.app, &caller, Some(object)).await {
        Ok(c) => c,
        Err(e) => return app_error(tr, e),
    };
    let visibility = match record_settings::default_visibility(&s.app, &caller, object).await {
        Ok(v) => v,
        Err(e) => return app_error(tr, e),
    };
    let rows = ruled_fields(tr, object, &custom)
        .into_iter()
        .map(|(field, label, writable)| RuleRow {
            cells: RULED
                .iter()
                .map(|role| {
                    let name = format!("rule.{}.{field}", role.as_str());
                    let current = match typed {
                        Some(form) => form_value(form, &name).unwrap_or("editable"),
                        None => access_of(&rules, *role, &field),
                    };
                    RuleCell {
                        label: tr.args2(
                            "settings-rule-for",
                            ("field", &label),
                            ("role", &tr.get(&format!("settings-role-{}", role.as_str()))),
                        ),
                        choices: access_choices(tr, writable && *role != Role::ReadOnly, current),
                        name,
                    }
                })
                .collect(),
            label,
        })
        .collect();
    let view = AccessPage {
        c: page.chrome("settings", tr.get("settings-access-title")),
        tabs: tabs(tr, "access"),
        objects: object_tabs(tr, "/settings/access", object),
        object: object.as_str().to_owned(),
        object_label: tr.get(&format!("list-title-{}", object.as_str())),
        notice,
        // In English the server's words say which rule (rules[3].field) and what is wrong.
        problems: errors
            .iter()
            .map(|e| match tr.locale {
                rapport_core::locale::Locale::En => format!("{}: {}", e.field, e.message),
                _ => message(tr, e),
            })
            .collect(),
        roles: RULED
            .iter()
            .map(|r| tr.get(&format!("settings-role-{}", r.as_str())))
            .collect(),
        rows,
        visibility: ["private", "team", "workspace"]
            .iter()
            .map(|v| Choice {
                value: (*v).to_owned(),
                label: tr.enum_value("visibility", v),
                selected: *v == visibility.as_str(),
            })
            .collect(),
    };
    (form_status(errors), render(&view)).into_response()
}

pub async fn show(s: AppState, page: Page, query: Vec<(String, String)>) -> Response {
    if let Some(r) = refusal(&page) {
        return r;
    }
    let notice = notice(page.tr, &query);
    page_with(&s, &page, object_of(&query), notice, None, &[]).await
}

/// `rule.<role>.<field>` = `read_only` | `hidden` becomes a rule; `editable` is no rule.
fn rules_of(form: &[(String, String)]) -> Vec<RuleInput> {
    form.iter()
        .filter_map(|(k, v)| {
            let rest = k.strip_prefix("rule.")?;
            let (role, field) = rest.split_once('.')?;
            (v != "editable").then(|| RuleInput {
                field: field.to_owned(),
                role: role.to_owned(),
                access: v.clone(),
            })
        })
        .collect()
}

pub async fn save_rules(s: AppState, sub: Submission) -> Response {
    let Submission { page, form } = sub;
    if let Some(r) = refusal(&page) {
        return r;
    }
    let object = object_of(&form);
    match record_settings::set_field_rules(&s.app, &page.caller(), object, &rules_of(&form)).await {
        Ok(_) => back(format!(
            "/settings/access?object={}&done=saved",
            object.as_str()
        )),
        Err(AppError::Invalid(errors)) => {
            page_with(&s, &page, object, None, Some(&form), &errors).await
        }
        Err(e) => app_error(page.tr, e),
    }
}

pub async fn save_visibility(s: AppState, sub: Submission) -> Response {
    let Submission { page, form } = sub;
    if let Some(r) = refusal(&page) {
        return r;
    }
    let object = object_of(&form);
    let raw = form_value(&form, "default_visibility").unwrap_or_default();
    match record_settings::set_default_visibility(&s.app, &page.caller(), object, raw).await {
        Ok(_) => back(format!(
            "/settings/access?object={}&done=saved",
            object.as_str()
        )),
        Err(AppError::Invalid(errors)) => page_with(&s, &page, object, None, None, &errors).await,
        Err(e) => app_error(page.tr, e),
    }
}
