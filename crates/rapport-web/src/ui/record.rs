//! Record pages (customer 360): details with editing in place, related records, the
//! timeline, quick logging of calls, notes, meetings and tasks, and sharing.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::record_settings::{self, FieldsForCaller};
use rapport_app::timeline::{self, Item};
use rapport_app::{App, AppError, Caller, commands, records, sharing};
use rapport_core::access::Grantee;
use rapport_core::catalogue::{self, Kind};
use rapport_core::object::ObjectType;
use rapport_core::validation::FieldError;
use rapport_core::{Id, Role};
use serde_json::{Map, Value as Json, json};
use uuid::Uuid;

use super::forms::{self, Input};
use super::i18n::Tr;
use super::lists::Choice;
use super::page::{Chrome, Page, Submission, app_error, form_value, render};
use super::show::{self, Cell, Names, plural, record_href};
use crate::state::AppState;

pub struct Detail {
    pub label: String,
    pub cell: Cell,
}

pub struct Related {
    pub heading: String,
    pub items: Vec<(String, String, String)>,
    pub more_href: String,
}

pub struct TimelineEntry {
    pub when: String,
    pub text: String,
    pub body: String,
    pub href: Option<String>,
}

pub struct ShareRow {
    pub id: String,
    pub who: String,
    pub access: String,
}

#[derive(askama::Template)]
#[template(path = "record.html")]
struct RecordPage {
    c: Chrome,
    title: String,
    subtitle: String,
    path: String,
    list_path: String,
    list_label: String,
    details: Vec<Detail>,
    related: Vec<Related>,
    timeline: Vec<TimelineEntry>,
    timeline_more: Option<String>,
    shares: Vec<ShareRow>,
    can_write: bool,
    is_activity: bool,
    is_open_activity: bool,
    /// A lead not yet converted, shown to a writer.
    can_convert: bool,
    notice: Option<String>,
    quick_kinds: Vec<Choice>,
    share_to: Vec<Choice>,
}

pub struct FormView {
    pub action: String,
    pub inputs: Vec<Input>,
    pub version: i64,
    pub errors: Vec<String>,
    pub summary: Option<String>,
    pub cancel: String,
    pub submit: String,
}

#[derive(askama::Template)]
#[template(path = "record_form.html")]
struct FormPage {
    c: Chrome,
    heading: String,
    form: FormView,
}

#[derive(askama::Template)]
#[template(path = "record_form_fragment.html")]
struct FormFragment {
    c: Chrome,
    form: FormView,
}

fn parse_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::try_parse(raw).map_err(|_| AppError::NotFound)
}

/// The record a page is about, as the reader may see it.
async fn load(
    s: &AppState,
    caller: &Caller,
    object: ObjectType,
    raw_id: &str,
) -> Result<(Uuid, records::RecordView), AppError> {
    let id = parse_id(raw_id)?;
    let view = records::get(&s.app, caller, object, id, None).await?;
    Ok((id, view))
}

/// The object's custom fields and the reader's field access. Without them a form still
/// works (the server checks every rule again), so a failure to read them is only logged.
pub async fn field_settings(app: &App, caller: &Caller, object: ObjectType) -> FieldsForCaller {
    match record_settings::fields_for(app, caller, object).await {
        Ok(f) => f,
        Err(e) => {
            tracing::warn!(error = %e, "field settings could not be read");
            FieldsForCaller::unrestricted()
        }
    }
}

async fn base_currency(app: &App, caller: &Caller) -> String {
    rapport_app::workspaces::get(app, caller.principal.workspace_id)
        .await
        .map(|w| w.base_currency)
        .unwrap_or_else(|_| "EUR".to_owned())
}

/// A reference typed as a name instead of an id is looked up: exactly one readable match
/// is taken; none or several is a message next to the field.
async fn resolve_references(
    app: &App,
    caller: &Caller,
    object: ObjectType,
    body: &mut Map<String, Json>,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for f in catalogue::all_fields(object) {
        let Kind::Ref(target) = f.kind else { continue };
        let Some(Json::String(text)) = body.get(f.name).cloned() else {
            continue;
        };
        match super::names::find_by_name(app, caller, target, f.name, &text).await {
            Ok(id) => {
                body.insert(f.name.to_owned(), json!(id.to_string()));
            }
            Err(e) => errors.push(e),
        }
    }
    errors
}

/// Shows reference fields of a stored record by name in its form (an id the reader may not
/// read stays an id).
async fn named_references(app: &App, caller: &Caller, object: ObjectType, record: &mut Json) {
    let refs: Vec<&str> = catalogue::all_fields(object)
        .filter(|f| matches!(f.kind, Kind::Ref(_)))
        .map(|f| f.name)
        .collect();
    let mut names = Names::default();
    super::names::add_references(
        app,
        caller,
        object,
        refs.iter().copied(),
        std::slice::from_ref(&*record),
        &mut names,
    )
    .await;
    for f in refs {
        let title = record
            .get(f)
            .and_then(Json::as_str)
            .and_then(|id| names.records.get(id))
            .cloned();
        if let (Some(title), Some(slot)) = (title, record.get_mut(f)) {
            *slot = json!(title);
        }
    }
}

async fn related(app: &App, caller: &Caller, tr: Tr, object: ObjectType, id: Uuid) -> Vec<Related> {
    let wanted: &[(ObjectType, &str, &str)] = match object {
        ObjectType::Company => &[
            (ObjectType::Contact, "company_id", "record-related-contacts"),
            (
                ObjectType::Opportunity,
                "company_id",
                "record-related-opportunities",
            ),
        ],
        ObjectType::Contact => &[],
        _ => &[],
    };
    let mut out = Vec::new();
    for (target, field, heading) in wanted {
        let key = format!("filter[{field}][eq]");
        let params = vec![
            (key.clone(), id.to_string()),
            ("sort".to_owned(), "-updated_at".to_owned()),
            ("limit".to_owned(), "10".to_owned()),
        ];
        let items = records::list(app, caller, *target, &params)
            .await
            .map(|p| p.items)
            .unwrap_or_default();
        let names = Names::default();
        out.push(Related {
            heading: tr.get(heading),
            items: items
                .iter()
                .map(|r| {
                    let extra = match target {
                        ObjectType::Opportunity => {
                            show::cell(tr, "UTC", *target, "amount", show::raw(r, "amount"), &names)
                                .text
                        }
                        _ => show::raw(r, "title")
                            .as_str()
                            .unwrap_or_default()
                            .to_owned(),
                    };
                    (
                        show::title(*target, r),
                        record_href(*target, &show::id_of(r)),
                        extra,
                    )
                })
                .collect(),
            more_href: format!(
                "/{}?{}={}",
                plural(*target),
                super::page::urlencode(&key),
                id
            ),
        });
    }
    out
}

#[allow(clippy::too_many_arguments)]
async fn timeline_entries(
    app: &App,
    caller: &Caller,
    tr: Tr,
    zone: &str,
    object: ObjectType,
    id: Uuid,
    cursor: Option<&str>,
    names: &Names,
) -> (Vec<TimelineEntry>, Option<String>) {
    if object == ObjectType::Activity {
        return (Vec::new(), None);
    }
    let Ok(page) = timeline::page(app, caller, object, id, cursor, Some(30)).await else {
        return (Vec::new(), None);
    };
    let when = |t: rapport_core::Timestamp| rapport_core::format::date_time(tr.locale, t, zone);
    let entries = page
        .items
        .iter()
        .map(|item| match item {
            Item::Activity { at, activity } => TimelineEntry {
                when: when(*at),
                text: format!(
                    "{}: {}",
                    tr.enum_value(
                        "kind",
                        show::raw(activity, "kind").as_str().unwrap_or_default()
                    ),
                    show::title(ObjectType::Activity, activity)
                ),
                body: show::raw(activity, "body")
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                href: Some(record_href(ObjectType::Activity, &show::id_of(activity))),
            },
            Item::Change {
                at,
                action,
                actor_id,
                changes,
                ..
            } => {
                let who = actor_id
                    .and_then(|u| names.users.get(&u.as_uuid().to_string()).cloned())
                    .unwrap_or_else(|| tr.get("record-someone"));
                let fields: Vec<String> = changes
                    .as_array()
                    .map(|list| {
                        list.iter()
                            .filter_map(|c| c.get("field").and_then(Json::as_str))
                            .map(|f| tr.field(f))
                            .collect()
                    })
                    .unwrap_or_default();
                let moved_to = changes.as_array().and_then(|list| {
                    list.iter()
                        .find(|c| c.get("field").and_then(Json::as_str) == Some("stage_id"))
                        .and_then(|c| c.get("after").and_then(Json::as_str))
                        .map(|to| {
                            names
                                .records
                                .get(to)
                                .cloned()
                                .unwrap_or_else(|| to.to_owned())
                        })
                });
                let text = match action.as_str() {
                    "opportunity.stage_changed" => tr.args2(
                        "record-stage-moved",
                        ("who", &who),
                        ("stage", moved_to.as_deref().unwrap_or_default()),
                    ),
                    "lead.converted" => tr.arg("record-converted-by", "who", &who),
                    a if a.ends_with("created") => tr.arg("record-created-by", "who", &who),
                    a if a.ends_with("deleted") => tr.arg("record-deleted-by", "who", &who),
                    a if a.ends_with("restored") => tr.arg("record-restored-by", "who", &who),
                    _ => tr.args2(
                        "record-changed",
                        ("who", &who),
                        ("fields", &fields.join(", ")),
                    ),
                };
                TimelineEntry {
                    when: when(*at),
                    text,
                    body: String::new(),
                    href: None,
                }
            }
        })
        .collect();
    (entries, page.next_cursor)
}

fn quick_kinds(tr: Tr) -> Vec<Choice> {
    [
        ("call", "record-quick-call"),
        ("note", "record-quick-note"),
        ("meeting", "record-quick-meeting"),
        ("task", "record-quick-task"),
    ]
    .iter()
    .enumerate()
    .map(|(i, (v, k))| Choice {
        value: (*v).to_owned(),
        label: tr.get(k),
        selected: i == 0,
    })
    .collect()
}

pub async fn show_record(
    s: AppState,
    page: Page,
    object: ObjectType,
    raw_id: String,
    query: Vec<(String, String)>,
) -> Response {
    let tr = page.tr;
    let caller = page.caller();
    let found = match parse_id(&raw_id) {
        Ok(id) => records::get_with_fields(&s.app, &caller, object, id)
            .await
            .map(|(view, fields)| (id, view, fields)),
        Err(e) => Err(e),
    };
    let (id, view, fields_for) = match found {
        Ok(found) => found,
        Err(e) => return app_error(tr, e),
    };
    let zone = page.zone().to_owned();
    let fields = catalogue::all_fields(object).map(|f| f.name);
    let names = match super::names::names(
        &s.app,
        &caller,
        object,
        fields,
        std::slice::from_ref(&view.json),
    )
    .await
    {
        Ok(n) => n,
        Err(e) => return app_error(tr, e),
    };
    let custom = fields_for.custom;
    let details = show::detail_fields(object)
        .filter(|f| !show::is_empty(show::raw(&view.json, f.name)))
        .map(|f| Detail {
            label: tr.field(f.name),
            cell: show::cell(
                tr,
                &zone,
                object,
                f.name,
                show::raw(&view.json, f.name),
                &names,
            ),
        })
        .chain(custom.iter().filter_map(|d| {
            let v = show::raw(&view.json, &forms::custom_name(d));
            (!show::is_empty(v)).then(|| Detail {
                label: d.label.clone(),
                cell: show::custom_cell(tr, d.kind, v),
            })
        }))
        .collect();
    let cursor = form_value(&query, "timeline");
    let (timeline, next) =
        timeline_entries(&s.app, &caller, tr, &zone, object, id, cursor, &names).await;
    let path = record_href(object, &id.to_string());
    let teams: Vec<(String, String)> = rapport_app::teams::list(
        &s.app,
        &caller,
        rapport_app::PageRequest::new(None, Some(200)),
    )
    .await
    .map(|p| p.items)
    .unwrap_or_default()
    .into_iter()
    .map(|t| (t.id.as_uuid().to_string(), t.name))
    .collect();
    let share_to: Vec<Choice> = names
        .users
        .iter()
        .map(|(id, name)| Choice {
            value: format!("user:{id}"),
            label: name.clone(),
            selected: false,
        })
        .chain(teams.iter().map(|(id, name)| Choice {
            value: format!("team:{id}"),
            label: tr.arg("record-share-team", "name", name),
            selected: false,
        }))
        .collect();
    let shares = sharing::list(&s.app, &caller, object, id)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|sh| ShareRow {
            id: sh.id.to_string(),
            who: match sh.grantee {
                Grantee::User(u) => names
                    .users
                    .get(&u.as_uuid().to_string())
                    .cloned()
                    .unwrap_or_else(|| u.as_uuid().to_string()),
                Grantee::Team(t) => teams
                    .iter()
                    .find(|(id, _)| *id == t.as_uuid().to_string())
                    .map_or_else(|| t.as_uuid().to_string(), |(_, name)| name.clone()),
            },
            access: tr.get(&format!("profile-token-scope-{}", sh.access.as_str())),
        })
        .collect();
    let (title, described) = rapport_app::search::describe(object, &view.json);
    // The subtitle of deals and activities is a value to format, not text to show as is.
    let subtitle = match object {
        ObjectType::Activity => Some(tr.enum_value(
            "kind",
            show::raw(&view.json, "kind").as_str().unwrap_or_default(),
        )),
        ObjectType::Opportunity => Some(
            show::cell(
                tr,
                &zone,
                object,
                "amount",
                show::raw(&view.json, "amount"),
                &names,
            )
            .text,
        ),
        _ => described,
    };
    let notice = form_value(&query, "saved").map(|_| tr.get("record-saved"));
    let status = show::raw(&view.json, "status")
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let page_view = RecordPage {
        c: page.chrome(object.as_str(), show::title(object, &view.json)),
        title: if title.trim().is_empty() {
            show::title(object, &view.json)
        } else {
            title
        },
        subtitle: subtitle.unwrap_or_default(),
        list_path: format!("/{}", plural(object)),
        list_label: tr.get(&format!("list-title-{}", object.as_str())),
        details,
        related: related(&s.app, &caller, tr, object, id).await,
        timeline_more: next.map(|c| format!("{path}?timeline={}", super::page::urlencode(&c))),
        timeline,
        shares,
        can_write: page.auth.principal.role != Role::ReadOnly,
        is_activity: object == ObjectType::Activity,
        is_open_activity: object == ObjectType::Activity && status == "open",
        can_convert: object == ObjectType::Lead
            && status != "converted"
            && page.auth.principal.role != Role::ReadOnly,
        notice,
        quick_kinds: quick_kinds(tr),
        share_to,
        path,
    };
    render(&page_view)
}

#[allow(clippy::too_many_arguments)]
async fn form_view(
    s: &AppState,
    page: &Page,
    object: ObjectType,
    record: Option<&Json>,
    version: i64,
    typed: Option<&[(String, String)]>,
    errors: &[FieldError],
    action: String,
    cancel: String,
) -> FormView {
    let tr = page.tr;
    let caller = page.caller();
    let users =
        super::names::user_choices(&super::names::workspace_users(&s.app, &caller).await, None);
    let base = base_currency(&s.app, &caller).await;
    let creating = record.is_none();
    let mut shown = record.cloned();
    if let Some(r) = shown.as_mut() {
        named_references(&s.app, &caller, object, r).await;
    }
    let fields = field_settings(&s.app, &caller, object).await;
    let inputs = forms::inputs(
        tr,
        object,
        creating,
        shown.as_ref(),
        typed,
        errors,
        &users,
        &base,
        page.zone(),
        &fields,
    );
    let mut listed: Vec<String> = forms::unplaced(object, creating, errors, &fields)
        .into_iter()
        .map(|e| format!("{}: {}", tr.field(&e.field), e.message))
        .collect();
    listed.dedup();
    FormView {
        action,
        inputs,
        version,
        summary: (!errors.is_empty()).then(|| tr.count("record-errors", errors.len() as i64)),
        errors: listed,
        cancel,
        submit: tr.get(if creating {
            "record-create"
        } else {
            "record-save"
        }),
    }
}

pub async fn new_form(s: AppState, page: Page, object: ObjectType) -> Response {
    if let Some(r) = page.writer_refusal() {
        return r;
    }
    let tr = page.tr;
    let list = format!("/{}", plural(object));
    let form = form_view(&s, &page, object, None, 0, None, &[], list.clone(), list).await;
    render(&FormPage {
        c: page.chrome(
            object.as_str(),
            tr.get(&format!("list-new-{}", object.as_str())),
        ),
        heading: tr.get(&format!("list-new-{}", object.as_str())),
        form,
    })
}

pub async fn create(s: AppState, sub: Submission, object: ObjectType) -> Response {
    let Submission { page, form } = sub;
    let caller = page.caller();
    let fields = field_settings(&s.app, &caller, object).await;
    let mut json = forms::body(object, true, &form, None, page.zone(), &fields);
    let lookup = resolve_references(&s.app, &caller, object, &mut json).await;
    let result = if lookup.is_empty() {
        records::create(&s.app, &caller, object, &json).await
    } else {
        Err(AppError::Invalid(lookup))
    };
    match result {
        Ok(v) => Redirect::to(&record_href(object, &v.id.to_string())).into_response(),
        Err(AppError::Invalid(errors)) => {
            let tr = page.tr;
            let list = format!("/{}", plural(object));
            let view = form_view(
                &s,
                &page,
                object,
                None,
                0,
                Some(&form),
                &errors,
                list.clone(),
                list,
            )
            .await;
            let heading = tr.get(&format!("list-new-{}", object.as_str()));
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                render(&FormPage {
                    c: page.chrome(object.as_str(), heading.clone()),
                    heading,
                    form: view,
                }),
            )
                .into_response()
        }
        Err(e) => app_error(page.tr, e),
    }
}

pub async fn edit_form(s: AppState, page: Page, object: ObjectType, raw_id: String) -> Response {
    if let Some(r) = page.writer_refusal() {
        return r;
    }
    let tr = page.tr;
    let caller = page.caller();
    let (id, view) = match load(&s, &caller, object, &raw_id).await {
        Ok(found) => found,
        Err(e) => return app_error(tr, e),
    };
    let path = record_href(object, &id.to_string());
    let form = form_view(
        &s,
        &page,
        object,
        Some(&view.json),
        view.version,
        None,
        &[],
        path.clone(),
        path,
    )
    .await;
    respond_form(&page, object, show::title(object, &view.json), form)
}

fn respond_form(page: &Page, object: ObjectType, heading: String, form: FormView) -> Response {
    if page.htmx {
        render(&FormFragment {
            c: page.chrome(object.as_str(), heading),
            form,
        })
    } else {
        render(&FormPage {
            c: page.chrome(object.as_str(), heading.clone()),
            heading,
            form,
        })
    }
}

pub async fn update(s: AppState, sub: Submission, object: ObjectType, raw_id: String) -> Response {
    let Submission { page, form } = sub;
    let tr = page.tr;
    let caller = page.caller();
    let (id, current) = match load(&s, &caller, object, &raw_id).await {
        Ok(found) => found,
        Err(e) => return app_error(tr, e),
    };
    let version = form_value(&form, "_version").and_then(|v| v.parse::<i64>().ok());
    let mut shown = current.json.clone();
    named_references(&s.app, &caller, object, &mut shown).await;
    let fields = field_settings(&s.app, &caller, object).await;
    let mut json = forms::body(object, false, &form, Some(&shown), page.zone(), &fields);
    let lookup = resolve_references(&s.app, &caller, object, &mut json).await;
    let result = if !lookup.is_empty() {
        Err(AppError::Invalid(lookup))
    } else {
        records::update(&s.app, &caller, object, id, &json, version)
            .await
            .map(|_| ())
    };
    let path = record_href(object, &id.to_string());
    match result {
        Ok(()) => {
            let to = format!("{path}?saved=1");
            if page.htmx {
                let mut r = StatusCode::NO_CONTENT.into_response();
                if let Ok(v) = axum::http::HeaderValue::from_str(&to) {
                    r.headers_mut().insert("hx-redirect", v);
                }
                r
            } else {
                Redirect::to(&to).into_response()
            }
        }
        Err(AppError::Invalid(errors)) => {
            let view = form_view(
                &s,
                &page,
                object,
                Some(&current.json),
                version.unwrap_or(current.version),
                Some(&form),
                &errors,
                path.clone(),
                path,
            )
            .await;
            let mut r = respond_form(&page, object, show::title(object, &current.json), view);
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            r
        }
        Err(AppError::PreconditionFailed { current: now, .. }) => {
            let mut view = form_view(
                &s,
                &page,
                object,
                Some(&current.json),
                now,
                Some(&form),
                &[],
                path.clone(),
                path,
            )
            .await;
            view.summary = Some(tr.get("record-conflict"));
            let mut r = respond_form(&page, object, show::title(object, &current.json), view);
            *r.status_mut() = StatusCode::CONFLICT;
            r
        }
        Err(e) => app_error(tr, e),
    }
}

pub async fn delete(s: AppState, sub: Submission, object: ObjectType, raw_id: String) -> Response {
    let Submission { page, .. } = sub;
    let id = match parse_id(&raw_id) {
        Ok(id) => id,
        Err(e) => return app_error(page.tr, e),
    };
    match records::delete(&s.app, &page.caller(), object, id, None, false).await {
        Ok(()) => Redirect::to(&format!("/{}?done=1&failed=0", plural(object))).into_response(),
        Err(e) => app_error(page.tr, e),
    }
}

/// Logs a call or note, or plans a meeting or task, linked to this record.
pub async fn log_activity(
    s: AppState,
    sub: Submission,
    object: ObjectType,
    raw_id: String,
) -> Response {
    let Submission { page, form } = sub;
    let tr = page.tr;
    let id = match parse_id(&raw_id) {
        Ok(id) => id,
        Err(e) => return app_error(tr, e),
    };
    let kind = form_value(&form, "kind").unwrap_or("note");
    let fields = field_settings(&s.app, &page.caller(), ObjectType::Activity).await;
    let mut json = forms::body(
        ObjectType::Activity,
        true,
        &form,
        None,
        page.zone(),
        &fields,
    );
    json.insert("kind".into(), json!(kind));
    json.insert(
        "links".into(),
        json!([{"type": object.as_str(), "id": id.to_string()}]),
    );
    let path = record_href(object, &id.to_string());
    let caller = page.caller();
    let created = records::create(&s.app, &caller, ObjectType::Activity, &json).await;
    // A call or note is logged after the fact: it is done the moment it is written down.
    let created = match created {
        Ok(v) if matches!(kind, "call" | "note") => {
            commands::complete_activity(
                &s.app,
                &caller,
                v.id,
                &commands::CompleteInput::default(),
                None,
            )
            .await
        }
        other => other,
    };
    match created {
        Ok(_) => Redirect::to(&format!("{path}?saved=1")).into_response(),
        Err(AppError::Invalid(errors)) => {
            let detail = errors
                .iter()
                .map(|e| format!("{}: {}", tr.field(&e.field), forms::message(tr, e)))
                .collect::<Vec<_>>()
                .join("; ");
            super::page::error_page(
                tr,
                StatusCode::UNPROCESSABLE_ENTITY,
                "error-bad-request",
                Some(&detail),
            )
        }
        Err(e) => app_error(tr, e),
    }
}

/// Marks an open activity done.
pub async fn complete(s: AppState, sub: Submission, raw_id: String) -> Response {
    let Submission { page, .. } = sub;
    let id = match parse_id(&raw_id) {
        Ok(id) => id,
        Err(e) => return app_error(page.tr, e),
    };
    let input = commands::CompleteInput::default();
    match commands::complete_activity(&s.app, &page.caller(), id, &input, None).await {
        Ok(_) => Redirect::to(&format!(
            "{}?saved=1",
            record_href(ObjectType::Activity, &id.to_string())
        ))
        .into_response(),
        Err(e) => app_error(page.tr, e),
    }
}

/// Shares this record with a user or a team (`grantee` is `user:ID` or `team:ID`).
pub async fn share(s: AppState, sub: Submission, object: ObjectType, raw_id: String) -> Response {
    let Submission { page, form } = sub;
    let id = match parse_id(&raw_id) {
        Ok(id) => id,
        Err(e) => return app_error(page.tr, e),
    };
    let grantee = form_value(&form, "grantee").unwrap_or_default();
    let (kind, who) = grantee.split_once(':').unwrap_or(("", ""));
    let input = sharing::ShareInput {
        object_type: object.as_str().to_owned(),
        record_id: id,
        grantee_type: kind.to_owned(),
        grantee_id: Uuid::try_parse(who).unwrap_or_default(),
        access: form_value(&form, "access").unwrap_or("read").to_owned(),
    };
    match sharing::create(&s.app, &page.caller(), &input).await {
        Ok(_) => Redirect::to(&format!("{}?saved=1", record_href(object, &id.to_string())))
            .into_response(),
        Err(e) => app_error(page.tr, e),
    }
}

/// Ends one share of a record.
pub async fn unshare(s: AppState, sub: Submission, raw_id: String) -> Response {
    let Submission { page, form } = sub;
    let id = match parse_id(&raw_id) {
        Ok(id) => id,
        Err(e) => return app_error(page.tr, e),
    };
    match sharing::delete(&s.app, &page.caller(), id).await {
        Ok(()) => Redirect::to(&super::page::local_path(form_value(&form, "back"))).into_response(),
        Err(e) => app_error(page.tr, e),
    }
}
