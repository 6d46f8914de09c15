//! Custom fields of each object. A field made here shows at once in that object's forms,
//! record pages, list columns and filters (they read the definitions on every request).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rapport_app::AppError;
use rapport_app::model::CustomField;
use rapport_app::record_settings::{self, CustomFieldInput};
use rapport_core::custom::CustomKind;
use rapport_core::object::ObjectType;
use rapport_core::validation::FieldError;

use super::super::OBJECTS;
use super::super::forms::error_for;
use super::super::i18n::Tr;
use super::super::lists::Choice;
use super::super::page::{Chrome, Page, Submission, app_error, form_value, render};
use super::{Tab, back, notice, parse_uuid, refusal, tabs, text, ticked};
use crate::state::AppState;

pub struct ObjectTab {
    pub href: String,
    pub label: String,
    pub current: &'static str,
}

pub struct FieldRow {
    pub href: String,
    pub label: String,
    pub key: String,
    pub kind: String,
    pub required: bool,
    pub options: String,
}

/// The create and edit form, as stored or as typed.
#[derive(Default)]
pub struct FieldForm {
    pub key: String,
    pub label: String,
    pub kinds: Vec<Choice>,
    pub kind: String,
    pub required: bool,
    pub options: String,
    pub position: String,
    pub version: i64,
    pub key_error: Option<String>,
    pub label_error: Option<String>,
    pub kind_error: Option<String>,
    pub options_error: Option<String>,
    pub position_error: Option<String>,
    pub summary: Option<String>,
}

#[derive(askama::Template)]
#[template(path = "settings_fields.html")]
struct FieldsPage {
    c: Chrome,
    tabs: Vec<Tab>,
    objects: Vec<ObjectTab>,
    object: String,
    object_label: String,
    notice: Option<String>,
    rows: Vec<FieldRow>,
    form: FieldForm,
}

#[derive(askama::Template)]
#[template(path = "settings_field.html")]
struct FieldPage {
    c: Chrome,
    tabs: Vec<Tab>,
    action: String,
    delete_action: String,
    object_label: String,
    form: FieldForm,
}

pub fn object_of(query: &[(String, String)]) -> ObjectType {
    form_value(query, "object")
        .and_then(|o| o.parse().ok())
        .unwrap_or(ObjectType::Contact)
}

pub fn object_tabs(tr: Tr, base: &str, current: ObjectType) -> Vec<ObjectTab> {
    OBJECTS
        .iter()
        .map(|o| ObjectTab {
            href: format!("{base}?object={}", o.as_str()),
            label: tr.get(&format!("list-title-{}", o.as_str())),
            current: if *o == current { "page" } else { "false" },
        })
        .collect()
}

fn kind_choices(tr: Tr, selected: &str) -> Vec<Choice> {
    CustomKind::ALL
        .iter()
        .map(|k| Choice {
            value: k.as_str().to_owned(),
            label: tr.get(&format!("settings-field-kind-{}", k.as_str())),
            selected: k.as_str() == selected,
        })
        .collect()
}

/// Options are typed one per line.
fn options_of(form: &[(String, String)]) -> Vec<String> {
    form_value(form, "options")
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn position_of(form: &[(String, String)]) -> Result<Option<i64>, FieldError> {
    match text(form, "position").as_deref() {
        None | Some("") => Ok(None),
        Some(p) => p.parse::<i64>().map(Some).map_err(|_| {
            FieldError::new(
                "position",
                rapport_core::ErrorCode::InvalidFormat,
                "must be a whole number",
            )
        }),
    }
}

fn with_errors(tr: Tr, mut f: FieldForm, errors: &[FieldError]) -> FieldForm {
    let e = |k: &str| error_for(tr, k, errors);
    f.key_error = e("key");
    f.label_error = e("label");
    f.kind_error = e("kind");
    f.options_error = e("options");
    f.position_error = e("position");
    if !errors.is_empty() {
        f.summary = Some(tr.count("record-errors", errors.len() as i64));
    }
    f
}

fn typed_form(tr: Tr, form: &[(String, String)], errors: &[FieldError]) -> FieldForm {
    let v = |k: &str| form_value(form, k).unwrap_or_default().to_owned();
    let kind = v("kind");
    with_errors(
        tr,
        FieldForm {
            key: v("key"),
            label: v("label"),
            kinds: kind_choices(tr, &kind),
            kind,
            required: ticked(form, "required"),
            options: v("options"),
            position: v("position"),
            version: form_value(form, "_version")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
            ..FieldForm::default()
        },
        errors,
    )
}

async fn list_page(
    s: &AppState,
    page: &Page,
    object: ObjectType,
    notice: Option<String>,
    form: FieldForm,
    status: StatusCode,
) -> Response {
    let tr = page.tr;
    let defs = match record_settings::list_custom_fields(&s.app, &page.caller(), Some(object)).await
    {
        Ok(d) => d,
        Err(e) => return app_error(tr, e),
    };
    let rows = defs
        .iter()
        .map(|d| FieldRow {
            href: format!("/settings/fields/{}", d.id),
            label: d.label.clone(),
            key: format!("custom.{}", d.key),
            kind: tr.get(&format!("settings-field-kind-{}", d.kind.as_str())),
            required: d.required,
            options: d.options.join(", "),
        })
        .collect();
    let view = FieldsPage {
        c: page.chrome("settings", tr.get("settings-fields-title")),
        tabs: tabs(tr, "fields"),
        objects: object_tabs(tr, "/settings/fields", object),
        object: object.as_str().to_owned(),
        object_label: tr.get(&format!("list-title-{}", object.as_str())),
        notice,
        rows,
        form,
    };
    (status, render(&view)).into_response()
}

pub async fn list(s: AppState, page: Page, query: Vec<(String, String)>) -> Response {
    if let Some(r) = refusal(&page) {
        return r;
    }
    let tr = page.tr;
    let form = FieldForm {
        kinds: kind_choices(tr, "text"),
        kind: "text".into(),
        ..FieldForm::default()
    };
    let notice = notice(tr, &query);
    list_page(&s, &page, object_of(&query), notice, form, StatusCode::OK).await
}

pub async fn create(s: AppState, sub: Submission) -> Response {
    let Submission { page, form } = sub;
    if let Some(r) = refusal(&page) {
        return r;
    }
    let object = object_of(&form);
    let result = match position_of(&form) {
        Ok(position) => {
            let input = CustomFieldInput {
                object_type: Some(object.as_str().to_owned()),
                key: text(&form, "key"),
                label: text(&form, "label"),
                kind: text(&form, "kind"),
                required: Some(ticked(&form, "required")),
                options: Some(options_of(&form)),
                position,
            };
            record_settings::create_custom_field(&s.app, &page.caller(), &input).await
        }
        Err(e) => Err(AppError::Invalid(vec![e])),
    };
    match result {
        Ok(_) => back(format!(
            "/settings/fields?object={}&done=created",
            object.as_str()
        )),
        Err(AppError::Invalid(errors)) => {
            let typed = typed_form(page.tr, &form, &errors);
            list_page(
                &s,
                &page,
                object,
                None,
                typed,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => app_error(page.tr, e),
    }
}

async fn load(s: &AppState, page: &Page, raw: &str) -> Result<CustomField, Response> {
    let id = parse_uuid(raw).map_err(|e| app_error(page.tr, e))?;
    record_settings::get_custom_field(&s.app, &page.caller(), id)
        .await
        .map_err(|e| app_error(page.tr, e))
}

fn field_page(page: &Page, d: &CustomField, form: FieldForm, status: StatusCode) -> Response {
    let tr = page.tr;
    let view = FieldPage {
        c: page.chrome("settings", d.label.clone()),
        tabs: tabs(tr, "fields"),
        action: format!("/settings/fields/{}", d.id),
        delete_action: format!("/settings/fields/{}/delete", d.id),
        object_label: tr.get(&format!("list-title-{}", d.object.as_str())),
        form,
    };
    (status, render(&view)).into_response()
}

pub async fn edit(s: AppState, page: Page, raw_id: String) -> Response {
    if let Some(r) = refusal(&page) {
        return r;
    }
    let d = match load(&s, &page, &raw_id).await {
        Ok(d) => d,
        Err(r) => return r,
    };
    let tr = page.tr;
    let form = FieldForm {
        key: format!("custom.{}", d.key),
        label: d.label.clone(),
        kinds: kind_choices(tr, d.kind.as_str()),
        kind: d.kind.as_str().to_owned(),
        required: d.required,
        options: d.options.join("\n"),
        position: d.position.to_string(),
        version: d.version,
        ..FieldForm::default()
    };
    field_page(&page, &d, form, StatusCode::OK)
}

pub async fn update(s: AppState, sub: Submission, raw_id: String) -> Response {
    let Submission { page, form } = sub;
    if let Some(r) = refusal(&page) {
        return r;
    }
    let d = match load(&s, &page, &raw_id).await {
        Ok(d) => d,
        Err(r) => return r,
    };
    let version = form_value(&form, "_version").and_then(|v| v.parse::<i64>().ok());
    let result = match position_of(&form) {
        Ok(position) => {
            let input = CustomFieldInput {
                label: text(&form, "label"),
                required: Some(ticked(&form, "required")),
                options: (d.kind == CustomKind::Select).then(|| options_of(&form)),
                position,
                ..CustomFieldInput::default()
            };
            record_settings::update_custom_field(&s.app, &page.caller(), d.id, &input, version)
                .await
        }
        Err(e) => Err(AppError::Invalid(vec![e])),
    };
    let tr = page.tr;
    let again = |errors: &[FieldError]| {
        let mut f = typed_form(tr, &form, errors);
        f.key = format!("custom.{}", d.key);
        f.kind = d.kind.as_str().to_owned();
        f.kinds = kind_choices(tr, d.kind.as_str());
        f
    };
    match result {
        Ok(_) => back(format!(
            "/settings/fields?object={}&done=saved",
            d.object.as_str()
        )),
        Err(AppError::Invalid(errors)) => {
            field_page(&page, &d, again(&errors), StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(AppError::PreconditionFailed { .. }) => {
            let mut f = again(&[]);
            f.summary = Some(tr.get("record-conflict"));
            field_page(&page, &d, f, StatusCode::CONFLICT)
        }
        Err(e) => app_error(tr, e),
    }
}

pub async fn delete(s: AppState, sub: Submission, raw_id: String) -> Response {
    let Submission { page, .. } = sub;
    if let Some(r) = refusal(&page) {
        return r;
    }
    let d = match load(&s, &page, &raw_id).await {
        Ok(d) => d,
        Err(r) => return r,
    };
    match record_settings::delete_custom_field(&s.app, &page.caller(), d.id).await {
        Ok(()) => back(format!(
            "/settings/fields?object={}&done=deleted",
            d.object.as_str()
        )),
        Err(e) => app_error(page.tr, e),
    }
}
