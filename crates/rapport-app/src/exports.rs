//! CSV export of any list view, and the vCard of a contact.
//!
//! An export takes the list API's query (filters, sort, `q`, `fields`, `trashed`) and walks
//! every matching record the caller may read, page by page with the same keyset cursors, so
//! memory stays flat. Columns are the fields the caller may see (hidden fields never appear),
//! cells are neutralised against formula injection (`rapport_core::csv::neutralise`), tags
//! are written by name. Every export is audited (`records.exported`) before its file is given
//! out.

use std::collections::HashMap;

use rapport_core::audit::{Actor, AuditAction};
use rapport_core::catalogue::{self, Kind};
use rapport_core::csv as dialect;
use rapport_core::object::ObjectType;
use rapport_core::query::{self, Schema};
use rapport_core::record;
use rapport_core::vcard;
use rapport_store::records::{self, ListSpec, Trash};
use rapport_store::tags;
use serde_json::{Value as Json, json};
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::records::RecordContext;
use crate::write::Write;
use crate::{App, Caller};

const PAGE: u64 = 1_000;

/// A column of an export: a catalogue field or a custom field.
enum Col {
    Field(&'static catalogue::Field),
    Custom(String),
}

/// Writes the CSV of a list view to `out` and returns how many records it holds. `params`
/// are the list API's query parameters (`limit` and `cursor` are ignored: an export takes
/// every match). `max_bytes` stops an export that grows too large for its destination.
pub async fn export_csv(
    app: &App,
    caller: &Caller,
    object: ObjectType,
    params: &[(String, String)],
    out: &mut (dyn std::io::Write + Send),
    max_bytes: Option<u64>,
) -> AppResult<u64> {
    let p = &caller.principal;
    let ws = p.workspace_id;
    let params: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k != "limit" && k != "cursor")
        .cloned()
        .collect();
    let mut c = app.db.read().await?;
    let ctx = RecordContext::load(&mut c, p, object).await?;
    let schema = Schema {
        object,
        custom: &ctx.custom,
        ctx: ctx.parse,
    };
    let q =
        query::parse(&schema, &params, &|f: &str| ctx.visible(f)).map_err(AppError::BadQuery)?;
    // `custom` asks for every custom field: `custom.tier` is in its group.
    let wanted = |name: &str| name == "id" || record::wants_field(q.fields.as_deref(), name);
    let mut cols = Vec::new();
    for f in catalogue::all_fields(object) {
        if ctx.visible(f.name) && wanted(f.name) {
            cols.push(Col::Field(f));
        }
    }
    for d in &ctx.custom {
        let name = format!("custom.{}", d.key);
        if ctx.visible(&name) && wanted(&name) {
            cols.push(Col::Custom(d.key.clone()));
        }
    }
    let tag_names: HashMap<String, String> = tags::all(&mut c, ws)
        .await?
        .into_iter()
        .map(|t| (t.id.to_string(), t.name))
        .collect();
    let headers: Vec<String> = cols
        .iter()
        .map(|c| match c {
            Col::Field(f) => f.name.to_owned(),
            Col::Custom(k) => format!("custom.{k}"),
        })
        .collect();
    let mut written: u64 = 0;
    let mut emit = |text: &str, written: &mut u64| -> AppResult<()> {
        *written += text.len() as u64;
        if max_bytes.is_some_and(|m| *written > m) {
            return Err(AppError::Conflict {
                code: "export_too_large",
                message: format!(
                    "the export is larger than {} MiB; narrow the filter, or run rapport export on the server",
                    max_bytes.unwrap_or(0) / (1024 * 1024)
                ),
            });
        }
        out.write_all(text.as_bytes()).map_err(|e| {
            tracing::warn!(error = %e, "writing an export failed");
            AppError::Internal
        })
    };
    let mut line = String::new();
    dialect::write_record(&mut line, &headers);
    emit(&line, &mut written)?;

    let relations = cols
        .iter()
        .any(|c| matches!(c, Col::Field(f) if f.kind.is_relation()));
    let mut after: Option<Vec<Json>> = None;
    let mut count: u64 = 0;
    loop {
        let spec = ListSpec {
            query: &q,
            after: after.as_deref(),
            limit: PAGE,
            relations,
        };
        let page = records::list(&mut c, ws, object, &ctx.viewer, &spec).await?;
        let n = page.len();
        for l in &page {
            let json = record::render(&l.record, &|f| ctx.visible(f), None);
            let cells: Vec<String> = cols
                .iter()
                .map(|col| {
                    let cell = match col {
                        Col::Field(f) => {
                            let mut v = lookup(&json, f.name).clone();
                            if f.kind == Kind::Tags
                                && let Json::Array(ids) = &v
                            {
                                v = Json::Array(
                                    ids.iter()
                                        .filter_map(Json::as_str)
                                        .map(|id| {
                                            Json::String(
                                                tag_names
                                                    .get(id)
                                                    .cloned()
                                                    .unwrap_or_else(|| id.to_owned()),
                                            )
                                        })
                                        .collect(),
                                );
                            }
                            dialect::field_cell(f.kind, &v)
                        }
                        Col::Custom(k) => {
                            let v = json
                                .get("custom")
                                .and_then(|m| m.get(k))
                                .unwrap_or(&Json::Null);
                            dialect::field_cell(Kind::Text { max: 0 }, v)
                        }
                    };
                    dialect::neutralise(&cell).into_owned()
                })
                .collect();
            line.clear();
            dialect::write_record(&mut line, &cells);
            emit(&line, &mut written)?;
            count += 1;
        }
        if (n as u64) < PAGE {
            break;
        }
        after = page.last().map(|l| l.keys.clone());
    }
    drop(c);
    audit_export(app, caller, object, "csv", count, &params).await?;
    Ok(count)
}

/// The value at a dotted path of rendered record JSON.
fn lookup<'a>(json: &'a Json, name: &str) -> &'a Json {
    static NULL: Json = Json::Null;
    let mut cur = json;
    for part in name.split('.') {
        match cur.get(part) {
            Some(v) => cur = v,
            None => return &NULL,
        }
    }
    cur
}

async fn audit_export(
    app: &App,
    caller: &Caller,
    object: ObjectType,
    format: &str,
    count: u64,
    params: &[(String, String)],
) -> AppResult<()> {
    let p = &caller.principal;
    let mut w = Write::begin(app, p.workspace_id, Actor::User(p.user_id), &caller.meta).await?;
    let filter: serde_json::Map<String, Json> = params
        .iter()
        .map(|(k, v)| (k.clone(), Json::String(v.clone())))
        .collect();
    w.audit(
        AuditAction::RecordsExported,
        object.as_str(),
        None,
        Vec::new(),
        Some(json!({"format": format, "count": count, "filter": filter})),
    )
    .await?;
    w.commit().await
}

/// The vCard 4.0 of one contact, as the caller may see it.
pub async fn contact_vcard(app: &App, caller: &Caller, id: Uuid) -> AppResult<String> {
    let p = &caller.principal;
    let ws = p.workspace_id;
    let mut c = app.db.read().await?;
    let ctx = RecordContext::load(&mut c, p, ObjectType::Contact).await?;
    let rec = records::get(
        &mut c,
        ws,
        ObjectType::Contact,
        id,
        Some(&ctx.viewer),
        Trash::Live,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    let json = record::render(&rec, &|f| ctx.visible(f), None);
    let mut org = None;
    if ctx.visible("company_id")
        && let Some(company) = rec.get("company_id").as_id()
    {
        let cctx = RecordContext::load(&mut c, p, ObjectType::Company).await?;
        if let Some(co) = records::get(
            &mut c,
            ws,
            ObjectType::Company,
            company,
            Some(&cctx.viewer),
            Trash::Live,
        )
        .await?
            && cctx.visible("name")
        {
            org = co.get("name").as_text().map(str::to_owned);
        }
    }
    drop(c);
    let card = vcard::contact(&json, org.as_deref());
    audit_export(
        app,
        caller,
        ObjectType::Contact,
        "vcard",
        1,
        &[("id".to_owned(), id.to_string())],
    )
    .await?;
    Ok(card)
}

/// The vCards of every contact of a list view, one after the other (a `.vcf` file).
pub async fn contacts_vcards(
    app: &App,
    caller: &Caller,
    params: &[(String, String)],
    out: &mut (dyn std::io::Write + Send),
) -> AppResult<u64> {
    let p = &caller.principal;
    let ws = p.workspace_id;
    let params: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k != "limit" && k != "cursor" && k != "fields")
        .cloned()
        .collect();
    let mut c = app.db.read().await?;
    let ctx = RecordContext::load(&mut c, p, ObjectType::Contact).await?;
    let schema = Schema {
        object: ObjectType::Contact,
        custom: &ctx.custom,
        ctx: ctx.parse,
    };
    let q =
        query::parse(&schema, &params, &|f: &str| ctx.visible(f)).map_err(AppError::BadQuery)?;
    let mut after: Option<Vec<Json>> = None;
    let mut count = 0u64;
    loop {
        let spec = ListSpec {
            query: &q,
            after: after.as_deref(),
            limit: PAGE,
            relations: false,
        };
        let page = records::list(&mut c, ws, ObjectType::Contact, &ctx.viewer, &spec).await?;
        for l in &page {
            let json = record::render(&l.record, &|f| ctx.visible(f), None);
            out.write_all(vcard::contact(&json, None).as_bytes())
                .map_err(|e| {
                    tracing::warn!(error = %e, "writing an export failed");
                    AppError::Internal
                })?;
            count += 1;
        }
        if (page.len() as u64) < PAGE {
            break;
        }
        after = page.last().map(|l| l.keys.clone());
    }
    drop(c);
    audit_export(app, caller, ObjectType::Contact, "vcard", count, &params).await?;
    Ok(count)
}
