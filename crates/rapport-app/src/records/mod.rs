//! Records of every object through one set of use cases (DESIGN §4.3): authorize first, parse
//! the body through the catalogue, check references through the policy, then one
//! transaction with the change, a field-level audit entry and an outbox event.

mod by_stage;
mod context;
pub mod cursor;
mod references;
mod titles;

use std::collections::BTreeMap;

use rapport_core::access::can_write;
use rapport_core::audit::{Actor, AuditAction, Diff, FieldChange};
use rapport_core::catalogue;
use rapport_core::object::ObjectType;
use rapport_core::policy::{self, Forbidden};
use rapport_core::query::{self, Schema};
use rapport_core::record::{self, Changes, Mode, Record};
use rapport_core::value::Value;
use rapport_core::{ErrorCode, FieldError, Id, Role, UserId};
use rapport_store::records::{self, ListSpec, NewRecord, Trash};
use serde_json::{Map, Value as Json, json};
use uuid::Uuid;

pub use self::by_stage::{StagePage, cards_by_stage, list_by_stage};
pub use self::context::{RecordContext, viewer};
pub use self::titles::titles;
use crate::error::{AppError, AppResult};
use crate::record_settings::FieldsForCaller;
use crate::write::Write;
use crate::{App, Caller, PageRequest};

/// A record as one caller may see it.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordView {
    pub id: Uuid,
    pub version: i64,
    pub json: Json,
}

/// A page of records and what continues it.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordPage {
    pub items: Vec<Json>,
    pub next_cursor: Option<String>,
    pub total: Option<i64>,
}

fn view(ctx: &RecordContext, rec: &Record, fields: Option<&[String]>) -> RecordView {
    RecordView {
        id: rec.id,
        version: rec.version(),
        json: record::render(rec, &|f| ctx.visible(f), fields),
    }
}

/// Writing any record needs a read-write credential and a role that writes.
pub(crate) fn authorize_writer(p: &rapport_core::policy::Principal) -> AppResult<()> {
    policy::require_write_scope(p)?;
    if p.role == Role::ReadOnly {
        return Err(Forbidden::ReadOnlyRole.into());
    }
    Ok(())
}

/// Values every record of `object` gets on create unless the body set them.
pub(crate) async fn defaults(
    app: &App,
    w: &mut Write,
    object: ObjectType,
    values: &mut BTreeMap<&'static str, Value>,
) -> AppResult<()> {
    match object {
        ObjectType::Lead => {
            values
                .entry("status")
                .or_insert_with(|| Value::Text("new".into()));
        }
        ObjectType::Activity => {
            values.insert("status", Value::Text("open".into()));
        }
        ObjectType::Opportunity => crate::pipelines::place_new_opportunity(app, w, values).await?,
        ObjectType::Company | ObjectType::Contact => {}
    }
    Ok(())
}

/// Rules that hold on every write of a given object, beyond single fields.
pub(crate) fn object_rules(object: ObjectType, changes: &Changes) -> Vec<FieldError> {
    let mut out = Vec::new();
    if object == ObjectType::Lead
        && changes.values.get("status").and_then(Value::as_text) == Some("converted")
    {
        out.push(FieldError::new(
            "status",
            ErrorCode::NotAllowed,
            "a lead becomes converted only through POST /leads/{id}/convert",
        ));
    }
    out
}

fn merged<'a>(current: Option<&'a Record>, changes: &'a Changes) -> impl Fn(&str) -> Value + 'a {
    move |f: &str| {
        changes
            .values
            .get(f)
            .cloned()
            .or_else(|| current.map(|r| r.get(f).clone()))
            .unwrap_or(Value::Null)
    }
}

fn audit_changes(diff: Diff) -> Vec<FieldChange> {
    diff.into_vec()
}

/// Field changes between two states of a record, for the audit log.
fn diff(
    before: Option<&Record>,
    after: &BTreeMap<&'static str, Value>,
    custom_after: &Map<String, Json>,
    object: ObjectType,
) -> Diff {
    let mut d = Diff::new();
    for f in catalogue::all_fields(object) {
        if matches!(
            f.name,
            "id" | "version" | "created_at" | "updated_at" | "created_by" | "updated_by"
        ) {
            continue;
        }
        if let Some(new) = after.get(f.name) {
            let old = before.map_or(Json::Null, |b| b.get(f.name).to_json());
            let new = new.to_json();
            let empty = |v: &Json| v.is_null() || v.as_array().is_some_and(Vec::is_empty);
            if old != new && !(empty(&old) && empty(&new)) {
                d.field(f.name, &old, &new);
            }
        }
    }
    let empty = Map::new();
    let custom_before = before.map_or(&empty, |b| &b.custom);
    let keys: std::collections::BTreeSet<&String> =
        custom_before.keys().chain(custom_after.keys()).collect();
    for k in keys {
        let old = custom_before.get(k).cloned().unwrap_or(Json::Null);
        let new = custom_after.get(k).cloned().unwrap_or(Json::Null);
        if old != new {
            // Field names in audit entries are static; custom fields share one entry name.
            d.field(
                "custom",
                &json!({k.as_str(): old}),
                &json!({k.as_str(): new}),
            );
        }
    }
    d
}

pub async fn create(
    app: &App,
    caller: &Caller,
    object: ObjectType,
    body: &Map<String, Json>,
) -> AppResult<RecordView> {
    let p = &caller.principal;
    authorize_writer(p)?;
    let ctx = {
        let mut c = app.db.read().await?;
        RecordContext::load(&mut c, p, object).await?
    };
    let changes = record::parse_body(object, body, Mode::Create, &ctx.custom, &ctx.parse, &|f| {
        ctx.access(f)
    })?;
    let mut errors = object_rules(object, &changes);
    errors.extend(record::validate(object, &merged(None, &changes)));
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut w = Write::begin(app, p.workspace_id, Actor::User(p.user_id), &caller.meta).await?;
    let custom: Map<String, Json> = changes
        .custom
        .into_iter()
        .filter(|(_, v)| !v.is_null())
        .collect();
    let id = insert_in(app, &mut w, &ctx, changes.values, custom).await?;
    let rec = records::get(&mut w.tx, w.ws, object, id, None, Trash::Live)
        .await?
        .ok_or(AppError::Internal)?;
    w.commit().await?;
    Ok(view(&ctx, &rec, None))
}

/// Inserts a parsed record inside an open write: owner, visibility, references, defaults,
/// the row, its audit entry and its event. Used by create and by lead conversion.
pub(crate) async fn insert_in(
    app: &App,
    w: &mut Write,
    ctx: &RecordContext,
    mut values: BTreeMap<&'static str, Value>,
    custom: Map<String, Json>,
) -> AppResult<Uuid> {
    let object = ctx.object;
    let owner = match values.get("owner_id").and_then(Value::as_id) {
        Some(u) => UserId::from_uuid(u),
        None => ctx.principal.user_id,
    };
    references::check_owner(w, ctx, owner).await?;
    values.insert("owner_id", Value::Id(owner.as_uuid()));
    values
        .entry("visibility")
        .or_insert_with(|| Value::Text(ctx.default_visibility.as_str().into()));
    references::check(w, ctx, &values, None).await?;
    defaults(app, w, object, &mut values).await?;
    let id: Uuid = Uuid::now_v7();
    let new = NewRecord {
        id,
        values: &values,
        custom: &custom,
        actor: Some(ctx.principal.user_id),
        created_at: w.now,
        updated_at: w.now,
    };
    records::insert(&mut w.tx, w.ws, object, &new).await?;
    let d = diff(None, &values, &custom, object);
    w.audit(
        AuditAction::RecordCreated,
        object.as_str(),
        Some(id),
        audit_changes(d),
        None,
    )
    .await?;
    w.emit(
        &format!("{}.created", object.as_str()),
        object.as_str(),
        id,
        json!({"id": id}),
    )
    .await?;
    Ok(id)
}

pub async fn get(
    app: &App,
    caller: &Caller,
    object: ObjectType,
    id: Uuid,
    fields: Option<&[String]>,
) -> AppResult<RecordView> {
    Ok(get_in_context(app, caller, object, id, fields).await?.0)
}

/// A record and the reader's view of its object's fields (custom fields, field rules),
/// for a page that shows both: they are read once, with the record.
pub async fn get_with_fields(
    app: &App,
    caller: &Caller,
    object: ObjectType,
    id: Uuid,
) -> AppResult<(RecordView, FieldsForCaller)> {
    let (view, ctx) = get_in_context(app, caller, object, id, None).await?;
    Ok((view, ctx.fields_for_caller()))
}

async fn get_in_context(
    app: &App,
    caller: &Caller,
    object: ObjectType,
    id: Uuid,
    fields: Option<&[String]>,
) -> AppResult<(RecordView, RecordContext)> {
    let mut c = app.db.read().await?;
    let ctx = RecordContext::load(&mut c, &caller.principal, object).await?;
    let rec = records::get(
        &mut c,
        caller.principal.workspace_id,
        object,
        id,
        Some(&ctx.viewer),
        Trash::Live,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    Ok((view(&ctx, &rec, fields), ctx))
}

/// A list query as sent (`filter[…][…]`, `sort`, …), parsed against the object's fields
/// as the caller may see them.
fn parse_list(ctx: &RecordContext, params: &[(String, String)]) -> AppResult<query::ListQuery> {
    let schema = Schema {
        object: ctx.object,
        custom: &ctx.custom,
        ctx: ctx.parse,
    };
    query::parse(&schema, params, &|f: &str| ctx.visible(f)).map_err(AppError::BadQuery)
}

/// Relations (tags, links, roles) cost a query each; a sparse fieldset without them skips
/// those.
fn wants_relations(fields: Option<&[String]>) -> bool {
    fields.is_none_or(|list| {
        list.iter()
            .any(|f| matches!(f.as_str(), "tag_ids" | "links" | "contacts" | "companies"))
    })
}

/// A list page. `params` are the query parameters as sent (`filter[…][…]`, `sort`, …).
pub async fn list(
    app: &App,
    caller: &Caller,
    object: ObjectType,
    params: &[(String, String)],
) -> AppResult<RecordPage> {
    Ok(list_in_context(app, caller, object, params).await?.0)
}

/// A list page and the reader's view of the object's fields (custom fields, field
/// rules), for a page that shows both: they are read once, with the list.
pub async fn list_with_fields(
    app: &App,
    caller: &Caller,
    object: ObjectType,
    params: &[(String, String)],
) -> AppResult<(RecordPage, FieldsForCaller)> {
    let (page, ctx) = list_in_context(app, caller, object, params).await?;
    Ok((page, ctx.fields_for_caller()))
}

async fn list_in_context(
    app: &App,
    caller: &Caller,
    object: ObjectType,
    params: &[(String, String)],
) -> AppResult<(RecordPage, RecordContext)> {
    let mut c = app.db.read().await?;
    let ctx = RecordContext::load(&mut c, &caller.principal, object).await?;
    let q = parse_list(&ctx, params)?;
    let page = PageRequest::<()>::new(None, q.limit);
    let after = cursor::decode(q.cursor.as_deref(), &q)?;
    let fields = q.fields.clone();
    let spec = ListSpec {
        query: &q,
        after: after.as_deref(),
        limit: page.limit + 1,
        relations: wants_relations(fields.as_deref()),
    };
    let ws = caller.principal.workspace_id;
    let mut rows = records::list(&mut c, ws, object, &ctx.viewer, &spec).await?;
    let more = rows.len() as u64 > page.limit;
    rows.truncate(usize::try_from(page.limit).unwrap_or(usize::MAX));
    let next_cursor = if more {
        rows.last().map(|l| cursor::encode(&q, &l.keys))
    } else {
        None
    };
    let total = if q.count {
        Some(records::count(&mut c, ws, object, &ctx.viewer, &q).await?)
    } else {
        None
    };
    let found = RecordPage {
        items: rows
            .iter()
            .map(|l| view(&ctx, &l.record, fields.as_deref()).json)
            .collect(),
        next_cursor,
        total,
    };
    Ok((found, ctx))
}

/// Checks the references of a change (owner excluded) through the policy, inside a write.
pub(crate) async fn check_references(
    w: &mut Write,
    ctx: &RecordContext,
    values: &BTreeMap<&'static str, Value>,
    current: Option<&Record>,
) -> AppResult<()> {
    references::check(w, ctx, values, current).await
}

/// The caller's view of a record.
pub(crate) fn view_of(ctx: &RecordContext, rec: &Record) -> RecordView {
    view(ctx, rec, None)
}

/// A live record the caller may change, for commands (404 unreadable, 403 unwritable).
pub(crate) async fn load_writable(
    w: &mut Write,
    ctx: &RecordContext,
    id: Uuid,
) -> AppResult<Record> {
    authorize_writer(&ctx.principal)?;
    load_for_write(w, ctx, id, Trash::Live).await
}

/// Loads a record the caller can read, with the policy facts, inside a write.
async fn load_for_write(
    w: &mut Write,
    ctx: &RecordContext,
    id: Uuid,
    trash: Trash,
) -> AppResult<Record> {
    let rec = records::get(&mut w.tx, w.ws, ctx.object, id, Some(&ctx.viewer), trash)
        .await?
        .ok_or(AppError::NotFound)?;
    let facts = records::facts(&mut w.tx, w.ws, ctx.object, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !can_write(&ctx.viewer, &facts) {
        return Err(AppError::Forbidden(Forbidden::NotOwner));
    }
    Ok(rec)
}

fn check_version(if_match: Option<i64>, current: i64) -> AppResult<()> {
    match if_match {
        Some(expected) if expected != current => {
            Err(AppError::PreconditionFailed { expected, current })
        }
        _ => Ok(()),
    }
}

pub async fn update(
    app: &App,
    caller: &Caller,
    object: ObjectType,
    id: Uuid,
    body: &Map<String, Json>,
    if_match: Option<i64>,
) -> AppResult<RecordView> {
    let p = &caller.principal;
    authorize_writer(p)?;
    let ctx = {
        let mut c = app.db.read().await?;
        RecordContext::load(&mut c, p, object).await?
    };
    let mut w = Write::begin(app, p.workspace_id, Actor::User(p.user_id), &caller.meta).await?;
    let current = load_for_write(&mut w, &ctx, id, Trash::Live).await?;
    check_version(if_match, current.version())?;
    let changes = record::parse_body(object, body, Mode::Update, &ctx.custom, &ctx.parse, &|f| {
        ctx.access(f)
    })?;
    let mut errors = object_rules(object, &changes);
    errors.extend(record::validate(object, &merged(Some(&current), &changes)));
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    if let Some(owner) = changes.values.get("owner_id").and_then(Value::as_id)
        && Some(UserId::from_uuid(owner)) != current.owner()
    {
        references::check_owner(&mut w, &ctx, UserId::from_uuid(owner)).await?;
    }
    references::check(&mut w, &ctx, &changes.values, Some(&current)).await?;
    let mut custom = current.custom.clone();
    for (k, v) in &changes.custom {
        if v.is_null() {
            custom.remove(k);
        } else {
            custom.insert(k.clone(), v.clone());
        }
    }
    let d = diff(Some(&current), &changes.values, &custom, object);
    if d.is_empty() {
        return Ok(view(&ctx, &current, None));
    }
    let set: BTreeMap<&'static str, Value> = changes
        .values
        .iter()
        .filter(|(k, v)| current.get(k) != *v)
        .map(|(k, v)| (*k, v.clone()))
        .collect();
    let custom_changed = custom != current.custom;
    let applied = records::update(
        &mut w.tx,
        w.ws,
        object,
        id,
        current.version(),
        &set,
        custom_changed.then_some(&custom),
        Some(p.user_id),
        w.now,
    )
    .await?;
    if !applied {
        return Err(AppError::PreconditionFailed {
            expected: current.version(),
            current: current.version() + 1,
        });
    }
    let fields = d.fields();
    w.audit(
        AuditAction::RecordUpdated,
        object.as_str(),
        Some(id),
        audit_changes(d),
        None,
    )
    .await?;
    w.emit(
        &format!("{}.updated", object.as_str()),
        object.as_str(),
        id,
        json!({"id": id, "changed": fields}),
    )
    .await?;
    let rec = records::get(&mut w.tx, w.ws, object, id, None, Trash::Live)
        .await?
        .ok_or(AppError::Internal)?;
    w.commit().await?;
    Ok(view(&ctx, &rec, None))
}

/// What deleting a company would take with it.
async fn children(
    w: &mut Write,
    object: ObjectType,
    id: Uuid,
) -> AppResult<Vec<(ObjectType, Vec<Uuid>)>> {
    if object != ObjectType::Company {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for (child, field) in [
        (ObjectType::Contact, "company_id"),
        (ObjectType::Opportunity, "company_id"),
    ] {
        let ids = records::referencing(&mut w.tx, w.ws, child, field, id).await?;
        if !ids.is_empty() {
            out.push((child, ids));
        }
    }
    Ok(out)
}

/// Moves a record to the trash. A company with live contacts or opportunities needs
/// `cascade`, which trashes them with it (the caller must be able to change each).
pub async fn delete(
    app: &App,
    caller: &Caller,
    object: ObjectType,
    id: Uuid,
    if_match: Option<i64>,
    cascade: bool,
) -> AppResult<()> {
    let p = &caller.principal;
    authorize_writer(p)?;
    let ctx = {
        let mut c = app.db.read().await?;
        RecordContext::load(&mut c, p, object).await?
    };
    let mut w = Write::begin(app, p.workspace_id, Actor::User(p.user_id), &caller.meta).await?;
    let current = load_for_write(&mut w, &ctx, id, Trash::Live).await?;
    check_version(if_match, current.version())?;
    let kids = children(&mut w, object, id).await?;
    if !kids.is_empty() && !cascade {
        let what: Vec<String> = kids
            .iter()
            .map(|(o, ids)| format!("{} {}", ids.len(), o.plural()))
            .collect();
        return Err(AppError::Conflict {
            code: "has_children",
            message: format!(
                "the company still has {}; delete with ?cascade=true to trash them together",
                what.join(" and ")
            ),
        });
    }
    for (child, ids) in &kids {
        let writable = records::writable_ids(&mut w.tx, w.ws, *child, ids, &ctx.viewer).await?;
        if writable.len() != ids.len() {
            return Err(AppError::Forbidden(Forbidden::NotOwner));
        }
    }
    let batch: Uuid = Uuid::now_v7();
    records::trash(
        &mut w.tx,
        w.ws,
        object,
        &[id],
        batch,
        Some(p.user_id),
        w.now,
    )
    .await?;
    for (child, ids) in &kids {
        records::trash(&mut w.tx, w.ws, *child, ids, batch, Some(p.user_id), w.now).await?;
    }
    let detail = json!({"batch": batch, "cascade": kids.iter().map(|(o, ids)| json!({"object": o.as_str(), "ids": ids})).collect::<Vec<_>>()});
    w.audit(
        AuditAction::RecordTrashed,
        object.as_str(),
        Some(id),
        Vec::new(),
        Some(detail),
    )
    .await?;
    w.emit(
        &format!("{}.deleted", object.as_str()),
        object.as_str(),
        id,
        json!({"id": id}),
    )
    .await?;
    for (child, ids) in &kids {
        for cid in ids {
            w.audit(
                AuditAction::RecordTrashed,
                child.as_str(),
                Some(*cid),
                Vec::new(),
                Some(json!({"batch": batch, "with": id})),
            )
            .await?;
            w.emit(
                &format!("{}.deleted", child.as_str()),
                child.as_str(),
                *cid,
                json!({"id": cid}),
            )
            .await?;
        }
    }
    w.commit().await
}

/// Brings a record back from the trash, with everything trashed together with it.
pub async fn restore(
    app: &App,
    caller: &Caller,
    object: ObjectType,
    id: Uuid,
) -> AppResult<RecordView> {
    let p = &caller.principal;
    authorize_writer(p)?;
    let ctx = {
        let mut c = app.db.read().await?;
        RecordContext::load(&mut c, p, object).await?
    };
    let mut w = Write::begin(app, p.workspace_id, Actor::User(p.user_id), &caller.meta).await?;
    load_for_write(&mut w, &ctx, id, Trash::Trashed).await?;
    let batch = records::batch_of(&mut w.tx, w.ws, object, id).await?;
    let mut together: Vec<(ObjectType, Vec<Uuid>)> = vec![(object, vec![id])];
    if let Some(batch) = batch {
        for other in ObjectType::ALL {
            let ids: Vec<Uuid> = records::in_batch(&mut w.tx, w.ws, other, batch)
                .await?
                .into_iter()
                .filter(|x| !(other == object && *x == id))
                .collect();
            if !ids.is_empty() {
                together.push((other, ids));
            }
        }
    }
    for (o, ids) in &together {
        records::restore(&mut w.tx, w.ws, *o, ids, Some(p.user_id), w.now).await?;
        for rid in ids {
            w.audit(
                AuditAction::RecordRestored,
                o.as_str(),
                Some(*rid),
                Vec::new(),
                batch.map(|b| json!({"batch": b})),
            )
            .await?;
            w.emit(
                &format!("{}.restored", o.as_str()),
                o.as_str(),
                *rid,
                json!({"id": rid}),
            )
            .await?;
        }
    }
    let rec = records::get(&mut w.tx, w.ws, object, id, None, Trash::Live)
        .await?
        .ok_or(AppError::Internal)?;
    w.commit().await?;
    Ok(view(&ctx, &rec, None))
}

/// Merges duplicate `source` into `target` (contacts and companies): the target keeps its
/// values and takes the source's where it has none, gains its e-mails, phones, tags and
/// custom values, inherits every link and reference, and the source goes to the trash.
pub async fn merge(
    app: &App,
    caller: &Caller,
    object: ObjectType,
    target: Uuid,
    source: Uuid,
    if_match: Option<i64>,
) -> AppResult<RecordView> {
    if !matches!(object, ObjectType::Contact | ObjectType::Company) {
        return Err(AppError::NotFound);
    }
    let p = &caller.principal;
    authorize_writer(p)?;
    if source == target {
        return Err(AppError::invalid(FieldError::new(
            "source_id",
            ErrorCode::NotAllowed,
            "a record cannot be merged into itself",
        )));
    }
    let ctx = {
        let mut c = app.db.read().await?;
        RecordContext::load(&mut c, p, object).await?
    };
    let mut w = Write::begin(app, p.workspace_id, Actor::User(p.user_id), &caller.meta).await?;
    let keep = load_for_write(&mut w, &ctx, target, Trash::Live).await?;
    check_version(if_match, keep.version())?;
    let gone = match load_for_write(&mut w, &ctx, source, Trash::Live).await {
        Err(AppError::NotFound) => {
            return Err(AppError::invalid(FieldError::new(
                "source_id",
                ErrorCode::UnknownReference,
                format!("no such {}", object.as_str()),
            )));
        }
        other => other?,
    };
    let mut set: BTreeMap<&'static str, Value> = BTreeMap::new();
    for f in catalogue::fields(object) {
        if f.access == catalogue::Access::System
            || ctx.access(f.name) != record::FieldAccess::ReadWrite
        {
            continue;
        }
        let (mine, theirs) = (keep.get(f.name), gone.get(f.name));
        match (mine, theirs) {
            (Value::Emails(a), Value::Emails(b)) | (Value::Phones(a), Value::Phones(b)) => {
                let mut all = a.clone();
                for e in b {
                    if !all.iter().any(|x| x.value.eq_ignore_ascii_case(&e.value)) {
                        all.push(rapport_core::value::Labeled {
                            primary: all.is_empty(),
                            ..e.clone()
                        });
                    }
                }
                if all.len() != a.len() {
                    set.insert(
                        f.name,
                        if matches!(mine, Value::Emails(_)) {
                            Value::Emails(all)
                        } else {
                            Value::Phones(all)
                        },
                    );
                }
            }
            (Value::Null, other) if !other.is_null() && !matches!(other, Value::Roles(_)) => {
                set.insert(f.name, other.clone());
            }
            _ => {}
        }
    }
    let mut custom = keep.custom.clone();
    for (k, v) in &gone.custom {
        custom.entry(k.clone()).or_insert_with(|| v.clone());
    }
    let d = diff(Some(&keep), &set, &custom, object);
    records::repoint(&mut w.tx, w.ws, object, source, target).await?;
    if !d.is_empty() {
        let custom_changed = custom != keep.custom;
        records::update(
            &mut w.tx,
            w.ws,
            object,
            target,
            keep.version(),
            &set,
            custom_changed.then_some(&custom),
            Some(p.user_id),
            w.now,
        )
        .await?;
    }
    let batch = Uuid::now_v7();
    records::trash(
        &mut w.tx,
        w.ws,
        object,
        &[source],
        batch,
        Some(p.user_id),
        w.now,
    )
    .await?;
    w.audit(
        AuditAction::RecordMerged,
        object.as_str(),
        Some(target),
        audit_changes(d),
        Some(json!({"merged": source})),
    )
    .await?;
    w.audit(
        AuditAction::RecordTrashed,
        object.as_str(),
        Some(source),
        Vec::new(),
        Some(json!({"batch": batch, "merged_into": target})),
    )
    .await?;
    w.emit(
        &format!("{}.merged", object.as_str()),
        object.as_str(),
        target,
        json!({"id": target, "merged": source}),
    )
    .await?;
    let rec = records::get(&mut w.tx, w.ws, object, target, None, Trash::Live)
        .await?
        .ok_or(AppError::Internal)?;
    w.commit().await?;
    Ok(view(&ctx, &rec, None))
}

/// Records trashed longer than the workspace keeps them are deleted for good.
pub async fn purge_expired(app: &App, retention: std::time::Duration) -> AppResult<u64> {
    let before = app.now().saturating_sub(retention);
    let mut purged = 0;
    for object in ObjectType::ALL {
        let expired = {
            let mut c = app.db.read().await?;
            records::expired_trash(&mut c, object, before, 500).await?
        };
        for (ws, id) in expired {
            let mut w =
                Write::begin(app, ws, Actor::Operator, &crate::RequestMeta::default()).await?;
            records::purge(&mut w.tx, ws, object, id).await?;
            w.audit(
                AuditAction::RecordPurged,
                object.as_str(),
                Some(id),
                Vec::new(),
                None,
            )
            .await?;
            w.commit().await?;
            purged += 1;
        }
    }
    Ok(purged)
}

/// The access-checked views of `ids`, keeping their order; unreadable ones are left out.
pub async fn views(
    app: &App,
    caller: &Caller,
    object: ObjectType,
    ids: &[Uuid],
) -> AppResult<Vec<RecordView>> {
    let mut c = app.db.read().await?;
    let ctx = RecordContext::load(&mut c, &caller.principal, object).await?;
    let mut out = Vec::new();
    for id in ids {
        if let Some(rec) = records::get(
            &mut c,
            caller.principal.workspace_id,
            object,
            *id,
            Some(&ctx.viewer),
            Trash::Live,
        )
        .await?
        {
            out.push(view(&ctx, &rec, None));
        }
    }
    Ok(out)
}
