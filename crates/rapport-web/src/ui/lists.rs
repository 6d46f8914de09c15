//! List pages of every object: chosen columns, sorting, filters with the API's operators,
//! full-text search, keyset paging, bulk actions and a CSV download of the view.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::record_settings::FieldsForCaller;
use rapport_app::{App, AppError, Caller, exports, records, saved_views, tags};
use rapport_core::catalogue::{self, Field, Kind};
use rapport_core::object::ObjectType;
use rapport_core::query::Op;
use rapport_core::record::FieldAccess;
use serde_json::{Map, Value as Json, json};
use uuid::Uuid;

use super::forms::custom_name;
use super::i18n::Tr;
use super::page::{
    Chrome, Page, Submission, app_error, form_pairs, form_value, local_path, render,
};
use super::query::{FilterRow, ListAddress};
use super::show::{self, Cell, plural, record_href};
use crate::state::AppState;

/// Columns shown until the reader chooses others.
fn default_columns(object: ObjectType) -> &'static [&'static str] {
    match object {
        ObjectType::Company => &[
            "name",
            "domain",
            "industry",
            "address.city",
            "owner_id",
            "updated_at",
        ],
        ObjectType::Contact => &[
            "last_name",
            "first_name",
            "email",
            "company_id",
            "title",
            "owner_id",
        ],
        ObjectType::Lead => &[
            "last_name",
            "first_name",
            "company_name",
            "status",
            "rating",
            "owner_id",
        ],
        ObjectType::Opportunity => &[
            "name",
            "company_id",
            "stage_id",
            "amount",
            "close_date",
            "owner_id",
        ],
        ObjectType::Activity => &["subject", "kind", "due_at", "status", "owner_id"],
    }
}

/// Fields a list can show as a column.
fn listable(object: ObjectType) -> impl Iterator<Item = &'static Field> {
    catalogue::all_fields(object).filter(|f| {
        !matches!(f.kind, Kind::Links | Kind::Roles(_) | Kind::Tags) && !matches!(f.name, "version")
    })
}

pub struct Column {
    pub label: String,
    pub sort_href: Option<String>,
    /// `ascending` / `descending` when the list is sorted by this column.
    pub aria_sort: &'static str,
}

pub struct Row {
    pub id: String,
    pub title: String,
    pub href: String,
    pub cells: Vec<Cell>,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct SavedViewLink {
    pub id: String,
    pub name: String,
    pub href: String,
    pub current: bool,
}

pub struct FilterView {
    pub fields: Vec<Choice>,
    pub ops: Vec<Choice>,
    pub value: String,
    pub remove_href: Option<String>,
}

#[derive(askama::Template)]
#[template(path = "list.html")]
struct ListPage {
    c: Chrome,
    path: String,
    heading: String,
    new_label: String,
    q: String,
    sort: String,
    cols_value: String,
    columns: Vec<Column>,
    column_choices: Vec<Choice>,
    rows: Vec<Row>,
    filters: Vec<FilterView>,
    next_href: Option<String>,
    first_href: Option<String>,
    export_href: String,
    error: Option<String>,
    notice: Option<String>,
    here: String,
    owners: Vec<Choice>,
    tag_choices: Vec<Choice>,
    can_write: bool,
    views: Vec<SavedViewLink>,
    /// This view's query string, for saving it.
    query: String,
}

fn choices_of_fields(
    tr: Tr,
    fields: impl Iterator<Item = &'static Field>,
    selected: &str,
) -> Vec<Choice> {
    fields
        .map(|f| Choice {
            value: f.name.to_owned(),
            label: tr.field(f.name),
            selected: f.name == selected,
        })
        .collect()
}

/// The custom fields a list offers as columns and filters: those the reader may see.
fn custom_choices<'f>(
    fields: &'f FieldsForCaller,
    selected: impl Fn(&str) -> bool + 'f,
) -> impl Iterator<Item = Choice> + 'f {
    fields
        .custom
        .iter()
        .filter(|d| fields.access(&custom_name(d)) != FieldAccess::Hidden)
        .map(move |d| {
            let value = custom_name(d);
            Choice {
                selected: selected(&value),
                label: d.label.clone(),
                value,
            }
        })
}

fn filter_view(
    tr: Tr,
    object: ObjectType,
    fields_for: &FieldsForCaller,
    row: Option<&FilterRow>,
    remove: Option<String>,
) -> FilterView {
    let field = row.map(|r| r.field.as_str()).unwrap_or_default();
    let op = row.map(|r| r.op.as_str()).unwrap_or("eq");
    let mut fields = vec![Choice {
        value: String::new(),
        label: String::new(),
        selected: field.is_empty(),
    }];
    fields.extend(choices_of_fields(
        tr,
        catalogue::all_fields(object).filter(|f| f.filter && !f.operators().is_empty()),
        field,
    ));
    fields.extend(custom_choices(fields_for, |name| name == field));
    FilterView {
        fields,
        ops: Op::ALL
            .iter()
            .map(|o| Choice {
                value: o.as_str().to_owned(),
                label: tr.get(&format!("op-{}", o.as_str())),
                selected: o.as_str() == op,
            })
            .collect(),
        value: row.map(|r| r.value.clone()).unwrap_or_default(),
        remove_href: remove,
    }
}

fn pairs_of(raw: Option<&str>) -> Vec<(String, String)> {
    form_pairs(raw.unwrap_or_default().as_bytes())
}

pub async fn show(s: AppState, page: Page, object: ObjectType, raw: Option<String>) -> Response {
    let tr = page.tr;
    let path = format!("/{}", plural(object));
    let pairs = pairs_of(raw.as_deref());
    let mut address = ListAddress::parse(&pairs);
    if address.from_form {
        return Redirect::to(&address.href(&path, None, None)).into_response();
    }
    let caller = page.caller();
    let mut params = address.api_params();
    if let Some(c) = &address.cursor {
        params.push(("cursor".into(), c.clone()));
    }
    params.push(("limit".into(), "50".into()));
    let (list, fields_for, error) =
        match records::list_with_fields(&s.app, &caller, object, &params).await {
            Ok((l, f)) => (l, f, None),
            // The page still offers its filters, so the reader can mend the query.
            Err(AppError::BadQuery(q)) => (
                records::RecordPage {
                    items: Vec::new(),
                    next_cursor: None,
                    total: None,
                },
                super::record::field_settings(&s.app, &caller, object).await,
                Some(tr.arg("error-bad-request", "detail", q.to_string())),
            ),
            Err(e) => return app_error(tr, e),
        };
    if address.cols.is_empty() {
        address.cols = default_columns(object)
            .iter()
            .map(|c| (*c).to_owned())
            .collect();
        // The default columns stay out of links so a change of defaults reaches old links.
    }
    let custom_def = |name: &str| {
        fields_for
            .custom
            .iter()
            .find(|d| custom_name(d) == name)
            .cloned()
    };
    let cols: Vec<String> = address
        .cols
        .iter()
        .filter(|c| catalogue::find(object, c).is_some() || custom_def(c).is_some())
        .cloned()
        .collect();
    let names = match super::names::names(
        &s.app,
        &caller,
        object,
        cols.iter().map(String::as_str),
        &list.items,
    )
    .await
    {
        Ok(n) => n,
        Err(e) => return app_error(tr, e),
    };
    let zone = page.zone().to_owned();
    let current_sort = address.sort.clone().unwrap_or_default();
    let link_address = {
        let mut a = address.clone();
        if a.cols == default_columns(object) {
            a.cols.clear();
        }
        a
    };
    let columns = cols
        .iter()
        .map(|name| {
            let custom = custom_def(name);
            let sortable =
                custom.is_some() || catalogue::find(object, name).is_some_and(|f| f.sort);
            let (aria_sort, next) = if current_sort == *name {
                ("ascending", format!("-{name}"))
            } else if current_sort == format!("-{name}") {
                ("descending", name.clone())
            } else {
                ("none", name.clone())
            };
            Column {
                label: custom.map_or_else(|| tr.field(name), |d| d.label),
                sort_href: sortable.then(|| link_address.href(&path, None, Some(&next))),
                aria_sort,
            }
        })
        .collect();
    let rows = list
        .items
        .iter()
        .map(|r| {
            let id = show::id_of(r);
            Row {
                title: show::title(object, r),
                href: record_href(object, &id),
                cells: cols
                    .iter()
                    .map(|c| match custom_def(c) {
                        Some(d) => show::custom_cell(tr, d.kind, show::raw(r, c)),
                        None => show::cell(tr, &zone, object, c, show::raw(r, c), &names),
                    })
                    .collect(),
                id,
            }
        })
        .collect();
    let mut filters: Vec<FilterView> = address
        .filters
        .iter()
        .enumerate()
        .map(|(i, f)| {
            filter_view(
                tr,
                object,
                &fields_for,
                Some(f),
                Some(link_address.without_filter(i).href(&path, None, None)),
            )
        })
        .collect();
    filters.push(filter_view(tr, object, &fields_for, None, None));
    let owners: Vec<Choice> = names
        .users
        .iter()
        .map(|(id, name)| Choice {
            value: id.clone(),
            label: name.clone(),
            selected: false,
        })
        .collect();
    let tag_choices = tags::list(
        &s.app,
        &caller,
        rapport_app::PageRequest::new(None, Some(200)),
    )
    .await
    .map(|p| p.items)
    .unwrap_or_default()
    .into_iter()
    .map(|t| Choice {
        value: t.id.to_string(),
        label: t.name,
        selected: false,
    })
    .collect();
    let notice = pairs.iter().find(|(k, _)| k == "done").map(|(_, v)| {
        let n = v.parse::<i64>().unwrap_or(0);
        let failed = form_value(&pairs, "failed")
            .and_then(|f| f.parse::<i64>().ok())
            .unwrap_or(0);
        let mut text = tr.count("list-bulk-done", n);
        if failed > 0 {
            text.push(' ');
            text.push_str(&tr.count("list-bulk-failed", failed));
            text.push(' ');
            text.push_str(&tr.get("error-forbidden"));
        }
        text
    });
    let this_view = link_address.href("", None, None);
    let this_query = this_view.trim_start_matches('?').to_owned();
    let views = saved_views::list(&s.app, &caller, Some(object.as_str()))
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|v| SavedViewLink {
            id: v.id.to_string(),
            current: v.query == this_query,
            href: if v.query.is_empty() {
                path.clone()
            } else {
                format!("{path}?{}", v.query)
            },
            name: v.name,
        })
        .collect();
    let mut sorted_owners = owners;
    sorted_owners.sort_by(|a, b| a.label.cmp(&b.label));
    let view = ListPage {
        c: page.chrome(
            object.as_str(),
            tr.get(&format!("list-title-{}", object.as_str())),
        ),
        heading: tr.get(&format!("list-title-{}", object.as_str())),
        new_label: tr.get(&format!("list-new-{}", object.as_str())),
        q: address.q.clone().unwrap_or_default(),
        sort: current_sort,
        cols_value: link_address.cols.join(","),
        column_choices: listable(object)
            .map(|f| Choice {
                value: f.name.to_owned(),
                label: tr.field(f.name),
                selected: cols.iter().any(|c| c == f.name),
            })
            .chain(custom_choices(&fields_for, |name| {
                cols.iter().any(|c| c == name)
            }))
            .collect(),
        columns,
        rows,
        filters,
        next_href: list
            .next_cursor
            .as_deref()
            .map(|c| link_address.href(&path, Some(c), None)),
        first_href: address
            .cursor
            .is_some()
            .then(|| link_address.href(&path, None, None)),
        export_href: link_address.href(&format!("{path}/export.csv"), None, None),
        error,
        notice,
        here: page.here.clone(),
        owners: sorted_owners,
        tag_choices,
        can_write: page.auth.principal.role != rapport_core::Role::ReadOnly,
        views,
        query: this_query,
        path,
    };
    render(&view)
}

/// The CSV of the current view: every matching record the reader may see.
pub async fn export(s: AppState, page: Page, object: ObjectType, raw: Option<String>) -> Response {
    let address = ListAddress::parse(&pairs_of(raw.as_deref()));
    let mut out: Vec<u8> = Vec::new();
    let limit = Some(100 * 1024 * 1024);
    match exports::export_csv(
        &s.app,
        &page.caller(),
        object,
        &address.api_params(),
        &mut out,
        limit,
    )
    .await
    {
        Ok(_) => {
            let mut r = out.into_response();
            let h = r.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            );
            if let Ok(v) =
                HeaderValue::from_str(&format!("attachment; filename=\"{}.csv\"", plural(object)))
            {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            r
        }
        Err(e) => app_error(page.tr, e),
    }
}

/// Assign, tag or delete the selected records, each through its own use case and policy.
pub async fn bulk(s: AppState, sub: Submission, object: ObjectType) -> Response {
    let Submission { page, form } = sub;
    let caller = page.caller();
    let ids: Vec<Uuid> = form
        .iter()
        .filter(|(k, _)| k == "id")
        .filter_map(|(_, v)| Uuid::try_parse(v).ok())
        .take(200)
        .collect();
    let action = form_value(&form, "action").unwrap_or_default();
    if !matches!(action, "assign" | "tag" | "delete") {
        return app_error(
            page.tr,
            AppError::BadQuery(rapport_core::query::QueryError {
                parameter: "action".into(),
                message: "must be assign, tag or delete".into(),
            }),
        );
    }
    let (mut done, mut failed) = (0u32, 0u32);
    for id in ids {
        let result = match action {
            "assign" => {
                let owner = form_value(&form, "owner_id").unwrap_or_default();
                let mut body = Map::new();
                body.insert("owner_id".into(), json!(owner));
                records::update(&s.app, &caller, object, id, &body, None)
                    .await
                    .map(|_| ())
            }
            "tag" => {
                let tag = form_value(&form, "tag_id").unwrap_or_default().to_owned();
                add_tag(&s.app, &caller, object, id, tag).await
            }
            _ => records::delete(&s.app, &caller, object, id, None, false).await,
        };
        match result {
            Ok(()) => done += 1,
            Err(AppError::Unavailable) => return app_error(page.tr, AppError::Unavailable),
            Err(e) => {
                tracing::info!(%id, error = %e, "bulk action skipped a record");
                failed += 1;
            }
        }
    }
    let back = local_path(form_value(&form, "back"));
    let sep = if back.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{back}{sep}done={done}&failed={failed}")).into_response()
}

async fn add_tag(
    app: &App,
    caller: &Caller,
    object: ObjectType,
    id: Uuid,
    tag: String,
) -> Result<(), AppError> {
    let current = records::get(app, caller, object, id, None).await?;
    let mut tags: Vec<Json> = current
        .json
        .get("tag_ids")
        .and_then(Json::as_array)
        .cloned()
        .unwrap_or_default();
    if tags.iter().any(|t| t.as_str() == Some(tag.as_str())) {
        return Ok(());
    }
    tags.push(Json::String(tag));
    let mut body = Map::new();
    body.insert("tag_ids".into(), Json::Array(tags));
    records::update(app, caller, object, id, &body, Some(current.version))
        .await
        .map(|_| ())
}

/// Saves the list's current query under a name, for this user only.
pub async fn save_view(s: AppState, sub: Submission, object: ObjectType) -> Response {
    let Submission { page, form } = sub;
    let input = saved_views::ViewInput {
        object: object.as_str().to_owned(),
        name: form_value(&form, "name").unwrap_or_default().to_owned(),
        query: form_value(&form, "query").unwrap_or_default().to_owned(),
    };
    match saved_views::create(&s.app, &page.caller(), &input).await {
        Ok(v) => {
            let path = format!("/{}", plural(object));
            let to = if v.query.is_empty() {
                path
            } else {
                format!("{path}?{}", v.query)
            };
            Redirect::to(&to).into_response()
        }
        Err(e) => app_error(page.tr, e),
    }
}

/// Deletes one of the user's saved views.
pub async fn delete_view(s: AppState, sub: Submission, id: String) -> Response {
    let Submission { page, form } = sub;
    let Ok(id) = Uuid::try_parse(&id) else {
        return app_error(page.tr, AppError::NotFound);
    };
    match saved_views::delete(&s.app, &page.caller(), id).await {
        Ok(()) => Redirect::to(&local_path(form_value(&form, "back"))).into_response(),
        Err(e) => app_error(page.tr, e),
    }
}
