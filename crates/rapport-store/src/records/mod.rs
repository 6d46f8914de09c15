//! Records of every object through one code path: insert, update, get, list, count, trash,
//! restore. Columns come from the field catalogue; reads filter by the access policy in SQL.

mod access;
mod bulk;
mod by_stage;
mod columns;
mod listing;
mod relations;
mod sums;

use std::collections::{BTreeMap, HashMap};

use rapport_core::access::{Grant, Grantee, RecordFacts, ShareAccess, Viewer};
use rapport_core::catalogue::Field;
use rapport_core::object::{ObjectType, Visibility};
use rapport_core::query::ListQuery;
use rapport_core::record::{self, Record};
use rapport_core::value::Value;
use rapport_core::{Id, TeamId, Timestamp, UserId, WorkspaceId};
use sea_query::{
    Alias, Asterisk, Expr, ExprTrait, IntoTableRef, Query, SelectStatement, UnionType,
};
use serde_json::{Map, Value as Json};
use uuid::Uuid;

pub use self::bulk::{MatchKey, get_many, insert_many, match_keys, readable_many};
pub use self::by_stage::{StageRows, list_by_stage};
use self::columns::{decode, encode, stored_fields, table};
use self::listing::KeyKind;
use self::listing::{SortTerm, r};
pub use self::sums::{StageSum, opportunity_sums};
use crate::db::{Backend, Conn, Row, Tx, id, json, opt_ts, opt_uuid, ts};
use crate::error::StoreError;
use crate::schema::Users as U;
use crate::search;

pub(crate) use self::bulk::insert_rows;

/// A record to insert. `values` holds every field the caller sets, `owner_id` and
/// `visibility` included.
#[derive(Debug)]
pub struct NewRecord<'a> {
    pub id: Uuid,
    pub values: &'a BTreeMap<&'static str, Value>,
    pub custom: &'a Map<String, Json>,
    pub actor: Option<UserId>,
    pub created_at: Timestamp,
    /// Later than `created_at` only for records that arrive with a history (demo data).
    pub updated_at: Timestamp,
}

/// Which rows a read considers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trash {
    Live,
    Trashed,
    Any,
}

/// A page request in store terms: the parsed query, the cursor's key values and a limit.
#[derive(Debug)]
pub struct ListSpec<'a> {
    pub query: &'a ListQuery,
    pub after: Option<&'a [Json]>,
    pub limit: u64,
    /// Load relations (tags, links, roles) too.
    pub relations: bool,
}

/// A listed record and the values of its sort keys, for the next cursor.
#[derive(Debug)]
pub struct Listed {
    pub record: Record,
    pub keys: Vec<Json>,
}

fn custom_keys(custom: &Map<String, Json>) -> Json {
    Json::Object(
        custom
            .iter()
            .filter_map(|(k, v)| {
                v.as_str()
                    .map(|s| (k.clone(), Json::String(rapport_core::fold::fold(s))))
            })
            .collect(),
    )
}

/// Values derived from others: the primary e-mail and phone of a contact.
fn derived(
    object: ObjectType,
    values: &BTreeMap<&'static str, Value>,
) -> Vec<(&'static str, Value)> {
    let mut out = Vec::new();
    if object == ObjectType::Contact {
        if let Some(Value::Emails(list)) = values.get("emails") {
            let primary = list.iter().find(|e| e.primary).or(list.first());
            out.push((
                "email",
                primary.map_or(Value::Null, |e| Value::Text(e.value.clone())),
            ));
        }
        if let Some(Value::Phones(list)) = values.get("phones") {
            let primary = list.iter().find(|e| e.primary).or(list.first());
            out.push((
                "phone",
                primary.map_or(Value::Null, |e| Value::Text(e.value.clone())),
            ));
        }
    }
    out
}

fn field(object: ObjectType, name: &str) -> Result<&'static Field, StoreError> {
    rapport_core::catalogue::find(object, name)
        .ok_or_else(|| StoreError::Decode(format!("no field {name}")))
}

/// Columns and values of the writable fields in `values`, with their keys and derivations.
fn column_values(
    object: ObjectType,
    values: &BTreeMap<&'static str, Value>,
) -> Result<Vec<(String, Expr)>, StoreError> {
    let mut out = Vec::new();
    let mut all: Vec<(&'static str, Value)> = values.iter().map(|(k, v)| (*k, v.clone())).collect();
    all.extend(derived(object, values));
    for (name, value) in &all {
        if matches!(
            *name,
            "id" | "version" | "created_at" | "updated_at" | "created_by" | "updated_by"
        ) {
            continue;
        }
        out.extend(encode(field(object, name)?, value));
    }
    Ok(out)
}

fn timeline_at(
    object: ObjectType,
    values: &BTreeMap<&'static str, Value>,
    created: Timestamp,
) -> Option<Timestamp> {
    (object == ObjectType::Activity).then(|| {
        for f in ["completed_at", "due_at"] {
            if let Some(Value::DateTime(t)) = values.get(f) {
                return *t;
            }
        }
        created
    })
}

pub async fn insert(
    tx: &mut Tx,
    ws: WorkspaceId,
    object: ObjectType,
    rec: &NewRecord<'_>,
) -> Result<(), StoreError> {
    let cols = insert_columns(ws, object, rec)?;
    let q = Query::insert()
        .into_table(table(object))
        .columns(cols.iter().map(|(c, _)| Alias::new(c)))
        .values_panic(cols.into_iter().map(|(_, v)| v))
        .to_owned();
    tx.execute(&q)
        .await
        .map_err(|e| e.duplicate_on("external_id", "external_id"))?;
    relations::write(tx, ws, object, rec.id, rec.values, rec.created_at).await?;
    // Built from the values rather than read back: three statements fewer per create, and
    // the same document the bulk path writes.
    search::index(tx, ws, &as_stored(object, rec)).await
}

/// A new record as the search index sees it once stored: its values plus the columns the
/// store derives from them (the primary e-mail and phone).
fn as_stored(object: ObjectType, rec: &NewRecord<'_>) -> Record {
    let mut values = rec.values.clone();
    values.extend(derived(object, rec.values));
    Record {
        object,
        id: rec.id,
        values,
        custom: rec.custom.clone(),
        deleted_at: None,
    }
}

/// The columns and values of a new record's row.
fn insert_columns(
    ws: WorkspaceId,
    object: ObjectType,
    rec: &NewRecord<'_>,
) -> Result<Vec<(String, Expr)>, StoreError> {
    let mut cols = vec![
        ("workspace_id".to_owned(), id(ws)),
        ("id".to_owned(), opt_uuid(Some(rec.id))),
        ("custom".to_owned(), json(Json::Object(rec.custom.clone()))),
        ("custom_keys".to_owned(), json(custom_keys(rec.custom))),
        ("created_at".to_owned(), ts(rec.created_at)),
        ("updated_at".to_owned(), ts(rec.updated_at)),
        (
            "created_by".to_owned(),
            opt_uuid(rec.actor.map(|a| a.as_uuid())),
        ),
        (
            "updated_by".to_owned(),
            opt_uuid(rec.actor.map(|a| a.as_uuid())),
        ),
        ("version".to_owned(), Expr::val(1i64)),
    ];
    cols.extend(column_values(object, rec.values)?);
    if let Some(at) = timeline_at(object, rec.values, rec.created_at) {
        cols.push(("timeline_at".to_owned(), ts(at)));
    }
    Ok(cols)
}

/// Applies `set` (and a new `custom` object) if the stored version is `expected_version`;
/// `false` when the record changed meanwhile or does not exist.
#[allow(clippy::too_many_arguments)]
pub async fn update(
    tx: &mut Tx,
    ws: WorkspaceId,
    object: ObjectType,
    record: Uuid,
    expected_version: i64,
    set: &BTreeMap<&'static str, Value>,
    custom: Option<&Map<String, Json>>,
    actor: Option<UserId>,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let mut cols = column_values(object, set)?;
    if let Some(custom) = custom {
        cols.push(("custom".to_owned(), json(Json::Object(custom.clone()))));
        cols.push(("custom_keys".to_owned(), json(custom_keys(custom))));
    }
    cols.push(("updated_at".to_owned(), ts(now)));
    cols.push((
        "updated_by".to_owned(),
        opt_uuid(actor.map(|a| a.as_uuid())),
    ));
    let mut q = Query::update();
    q.table(table(object))
        .values(cols.into_iter().map(|(c, v)| (Alias::new(c), v)))
        .value(
            Alias::new("version"),
            Expr::col(Alias::new("version")).add(1),
        )
        .and_where(Expr::col(Alias::new("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(Alias::new("id")).eq(opt_uuid(Some(record))))
        .and_where(Expr::col(Alias::new("version")).eq(expected_version));
    if tx
        .execute(&q)
        .await
        .map_err(|e| e.duplicate_on("external_id", "external_id"))?
        == 0
    {
        return Ok(false);
    }
    relations::write(tx, ws, object, record, set, now).await?;
    if object == ObjectType::Activity {
        refresh_timeline(tx, ws, record).await?;
    }
    reindex(tx, ws, object, record).await?;
    Ok(true)
}

async fn refresh_timeline(tx: &mut Tx, ws: WorkspaceId, activity: Uuid) -> Result<(), StoreError> {
    let expr = Expr::cust("COALESCE(completed_at, due_at, created_at)");
    let q = Query::update()
        .table(Alias::new("activities"))
        .value(Alias::new("timeline_at"), expr)
        .and_where(Expr::col(Alias::new("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(Alias::new("id")).eq(opt_uuid(Some(activity))))
        .to_owned();
    tx.execute(&q).await.map(drop)
}

/// Rebuilds the search document of a record (or removes it when the record is trashed).
async fn reindex(
    tx: &mut Tx,
    ws: WorkspaceId,
    object: ObjectType,
    record: Uuid,
) -> Result<(), StoreError> {
    match get(tx, ws, object, record, None, Trash::Any).await? {
        Some(rec) if rec.deleted_at.is_none() => search::index(tx, ws, &rec).await,
        _ => search::remove(tx, ws, object, record).await,
    }
}

fn select_all(object: ObjectType) -> SelectStatement {
    let mut q = Query::select();
    q.from_as(table(object), r());
    select_columns(&mut q, object, None);
    q
}

/// The columns of the fields a sparse fieldset asks for (`None`: all), with the id and the
/// trash mark always: a row of a wide table costs its every column to copy out of the
/// database, so a list of names or cards selects a few.
fn select_columns(q: &mut SelectStatement, object: ObjectType, fields: Option<&[String]>) {
    q.column((r(), Alias::new("id")));
    q.column((r(), Alias::new("deleted_at")));
    if record::wants_custom(fields) {
        q.column((r(), Alias::new("custom")));
    }
    for f in decoded_fields(object, fields) {
        for (c, _) in encode(f, &Value::Null) {
            q.column((r(), Alias::new(c)));
        }
    }
}

/// The stored fields a sparse fieldset asks for, but the id (always selected and read).
fn decoded_fields(
    object: ObjectType,
    fields: Option<&[String]>,
) -> impl Iterator<Item = &'static Field> {
    stored_fields(object).filter(move |f| f.name != "id" && record::wants_field(fields, f.name))
}

fn decode_row(object: ObjectType, row: &Row) -> Result<Record, StoreError> {
    decode_fields(object, row, None)
}

/// A row as a record holding only the fields a sparse fieldset asks for (`None`: all): a
/// list of cards or names decodes a few columns of each row, not every one.
fn decode_fields(
    object: ObjectType,
    row: &Row,
    fields: Option<&[String]>,
) -> Result<Record, StoreError> {
    let id = row
        .opt_uuid("id")?
        .ok_or_else(|| StoreError::Decode("id is null".into()))?;
    let mut values = BTreeMap::new();
    values.insert("id", Value::Id(id));
    for f in decoded_fields(object, fields) {
        let v = decode(f, row)?;
        if !v.is_null() {
            values.insert(f.name, v);
        }
    }
    let custom = if record::wants_custom(fields) {
        match row.opt_json("custom")? {
            Some(Json::Object(m)) => m,
            _ => Map::new(),
        }
    } else {
        Map::new()
    };
    Ok(Record {
        object,
        id,
        values,
        custom,
        deleted_at: row.opt_ts("deleted_at")?,
    })
}

fn scope(q: &mut SelectStatement, ws: WorkspaceId, trash: Trash) {
    q.and_where(Expr::col((r(), Alias::new("workspace_id"))).eq(id(ws)));
    match trash {
        Trash::Live => {
            q.and_where(Expr::col((r(), Alias::new("deleted_at"))).is_null());
        }
        Trash::Trashed => {
            q.and_where(Expr::col((r(), Alias::new("deleted_at"))).is_not_null());
        }
        Trash::Any => {}
    }
}

/// The policy as a condition on rows aliased `r`, for queries built elsewhere in the store.
pub(crate) fn readable_condition(
    ws: WorkspaceId,
    object: ObjectType,
    viewer: &Viewer,
) -> Option<sea_query::Condition> {
    access::readable(ws, object, viewer, &r())
}

/// One record, if it exists and (with a viewer) the viewer may read it.
pub async fn get(
    c: &mut Conn,
    ws: WorkspaceId,
    object: ObjectType,
    record: Uuid,
    viewer: Option<&Viewer>,
    trash: Trash,
) -> Result<Option<Record>, StoreError> {
    let mut q = select_all(object);
    scope(&mut q, ws, trash);
    q.and_where(Expr::col((r(), Alias::new("id"))).eq(opt_uuid(Some(record))));
    if let Some(v) = viewer
        && let Some(cond) = access::readable(ws, object, v, &r())
    {
        q.cond_where(cond);
    }
    let Some(row) = c.fetch_optional(&q).await? else {
        return Ok(None);
    };
    let mut rec = decode_row(object, &row)?;
    relations::load(c, ws, std::slice::from_mut(&mut rec)).await?;
    Ok(Some(rec))
}

/// The ids of readable records among `ids`: the policy check for references and links.
pub async fn readable_ids(
    c: &mut Conn,
    ws: WorkspaceId,
    object: ObjectType,
    ids: &[Uuid],
    viewer: &Viewer,
) -> Result<Vec<Uuid>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::select();
    q.column((r(), Alias::new("id")))
        .from_as(table(object), r());
    scope(&mut q, ws, Trash::Live);
    q.and_where(Expr::col((r(), Alias::new("id"))).is_in(ids.iter().map(|u| opt_uuid(Some(*u)))));
    if let Some(cond) = access::readable(ws, object, viewer, &r()) {
        q.cond_where(cond);
    }
    c.fetch_all(&q)
        .await?
        .iter()
        .map(|row| row.uuid_col("id"))
        .collect()
}

/// The ids among `ids` the viewer may change: bulk actions check every record at once.
pub async fn writable_ids(
    c: &mut Conn,
    ws: WorkspaceId,
    object: ObjectType,
    ids: &[Uuid],
    viewer: &Viewer,
) -> Result<Vec<Uuid>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::select();
    q.column((r(), Alias::new("id")))
        .from_as(table(object), r());
    scope(&mut q, ws, Trash::Any);
    q.and_where(Expr::col((r(), Alias::new("id"))).is_in(ids.iter().map(|u| opt_uuid(Some(*u)))));
    if let Some(cond) = access::writable(ws, object, viewer, &r()) {
        q.cond_where(cond);
    }
    c.fetch_all(&q)
        .await?
        .iter()
        .map(|row| row.uuid_col("id"))
        .collect()
}

fn list_select(
    backend: Backend,
    ws: WorkspaceId,
    object: ObjectType,
    viewer: &Viewer,
    query: &ListQuery,
    search_terms: &[String],
) -> (SelectStatement, bool) {
    let mut q = list_rows(backend, ws, object, viewer, query, search_terms);
    select_columns(&mut q, object, query.fields.as_deref());
    (q, !search_terms.is_empty())
}

/// FROM and WHERE of a list (search, workspace, trash, access policy, filters) with no
/// columns yet, so that aggregates over a list read only the columns they need and an
/// index can cover them, while counting exactly the rows the list shows.
fn list_rows(
    backend: Backend,
    ws: WorkspaceId,
    object: ObjectType,
    viewer: &Viewer,
    query: &ListQuery,
    search_terms: &[String],
) -> SelectStatement {
    let mut q = Query::select();
    if search_terms.is_empty() {
        q.from_as(table(object), r());
    } else {
        // The search comes first in FROM: SQLite joins in FROM order when told CROSS JOIN,
        // and its planner otherwise runs the full-text query once per record.
        q.from_subquery(
            search::matching(backend, ws, object, search_terms),
            Alias::new("s"),
        );
        let on =
            Expr::col((Alias::new("s"), Alias::new("record_id"))).equals((r(), Alias::new("id")));
        match backend {
            // sea-query drops ON from CROSS JOIN; the join condition goes in WHERE.
            Backend::Sqlite => {
                q.cross_join(table(object).into_table_ref().alias(r()))
                    .and_where(on);
            }
            Backend::Postgres => {
                q.join_as(sea_query::JoinType::InnerJoin, table(object), r(), on);
            }
        }
    }
    scope(
        &mut q,
        ws,
        if query.trashed {
            Trash::Trashed
        } else {
            Trash::Live
        },
    );
    if let Some(cond) = access::readable(ws, object, viewer, &r()) {
        q.cond_where(cond);
    }
    for f in &query.filters {
        q.cond_where(listing::filter(backend, ws, object, f));
    }
    q
}

/// The ORDER BY of a list: the requested keys; by relevance when searching without them;
/// newest first otherwise.
fn plan(backend: Backend, object: ObjectType, query: &ListQuery) -> (Vec<SortTerm>, bool) {
    if !query.sort.is_empty() {
        let terms = listing::sort_terms(backend, object, &query.sort);
        let desc = terms.last().is_some_and(|t| t.descending);
        return (terms, desc);
    }
    if query.q.is_some() {
        let rank = SortTerm {
            expr: Expr::col((Alias::new("s"), Alias::new("rank"))),
            kind: KeyKind::Float,
            nullable: false,
            descending: false,
        };
        return (vec![rank], false);
    }
    (Vec::new(), true)
}

pub async fn list(
    c: &mut Conn,
    ws: WorkspaceId,
    object: ObjectType,
    viewer: &Viewer,
    spec: &ListSpec<'_>,
) -> Result<Vec<Listed>, StoreError> {
    let terms_text = spec
        .query
        .q
        .as_deref()
        .map(rapport_core::fold::search_terms)
        .unwrap_or_default();
    if spec.query.q.is_some() && terms_text.is_empty() {
        return Ok(Vec::new());
    }
    let backend = c.backend();
    let (mut q, _) = list_select(backend, ws, object, viewer, spec.query, &terms_text);
    let (terms, id_desc) = plan(backend, object, spec.query);
    let page = |mut q: SelectStatement, limit: u64| {
        listing::order(&mut q, &terms, id_desc);
        q.limit(limit);
        q
    };
    let rows = match spec.after {
        Some(after) => match listing::after_in_parts(&terms, id_desc, after)? {
            // Rows with the first key set come first, then NULLs: each part seeks in its
            // index and stops at the page size, and one statement reads both from the same
            // snapshot (two could return a row twice whose key was cleared in between).
            Some((set, unset)) => {
                let arm = |cond: sea_query::Condition| {
                    let mut part = q.clone();
                    part.cond_where(cond);
                    // ORDER BY and LIMIT bind to the whole UNION unless each arm is a
                    // subquery of its own.
                    Query::select()
                        .column(Asterisk)
                        .from_subquery(page(part, spec.limit), Alias::new("arm"))
                        .to_owned()
                };
                let mut both = arm(set);
                both.union(UnionType::All, arm(unset));
                let mut outer = Query::select()
                    .column(Asterisk)
                    .from_subquery(both, Alias::new("u"))
                    .to_owned();
                listing::order_selected(&mut outer, &Alias::new("u"), &terms, id_desc);
                outer.limit(spec.limit);
                c.fetch_all(&outer).await?
            }
            None => {
                q.cond_where(listing::after(&terms, id_desc, after)?);
                c.fetch_all(&page(q, spec.limit)).await?
            }
        },
        None => c.fetch_all(&page(q, spec.limit)).await?,
    };
    listed(c, ws, object, &rows, &terms, spec).await
}

/// Decodes listed rows with their sort keys (selected as `_s{i}` by `listing::order`) and,
/// if asked, loads their relations in one go.
async fn listed(
    c: &mut Conn,
    ws: WorkspaceId,
    object: ObjectType,
    rows: &[Row],
    terms: &[SortTerm],
    spec: &ListSpec<'_>,
) -> Result<Vec<Listed>, StoreError> {
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let record = decode_fields(object, row, spec.query.fields.as_deref())?;
        let mut keys = Vec::with_capacity(terms.len() + 1);
        for (i, t) in terms.iter().enumerate() {
            keys.push(listing::read_key(row, i, t.kind)?);
        }
        keys.push(Json::String(record.id.to_string()));
        out.push(Listed { record, keys });
    }
    if spec.relations {
        let mut recs: Vec<Record> = out.iter().map(|l| l.record.clone()).collect();
        relations::load(c, ws, &mut recs).await?;
        for (l, rec) in out.iter_mut().zip(recs) {
            l.record = rec;
        }
    }
    Ok(out)
}

pub async fn count(
    c: &mut Conn,
    ws: WorkspaceId,
    object: ObjectType,
    viewer: &Viewer,
    query: &ListQuery,
) -> Result<i64, StoreError> {
    let terms_text = query
        .q
        .as_deref()
        .map(rapport_core::fold::search_terms)
        .unwrap_or_default();
    if query.q.is_some() && terms_text.is_empty() {
        return Ok(0);
    }
    let (inner, _) = list_select(c.backend(), ws, object, viewer, query, &terms_text);
    let q = Query::select()
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .from_subquery(inner, Alias::new("c"))
        .to_owned();
    c.fetch_one(&q).await?.i64("n")
}

/// What the policy needs to decide a write: owner, the owner's team, visibility, shares.
pub async fn facts(
    c: &mut Conn,
    ws: WorkspaceId,
    object: ObjectType,
    record: Uuid,
) -> Result<Option<RecordFacts>, StoreError> {
    let q = Query::select()
        .column((r(), Alias::new("owner_id")))
        .column((r(), Alias::new("visibility")))
        .expr_as(Expr::col((U::Table, U::TeamId)), Alias::new("owner_team"))
        .from_as(table(object), r())
        .left_join(
            U::Table,
            Expr::col((U::Table, U::WorkspaceId))
                .equals((r(), Alias::new("workspace_id")))
                .and(Expr::col((U::Table, U::Id)).equals((r(), Alias::new("owner_id")))),
        )
        .and_where(Expr::col((r(), Alias::new("workspace_id"))).eq(id(ws)))
        .and_where(Expr::col((r(), Alias::new("id"))).eq(opt_uuid(Some(record))))
        .to_owned();
    let Some(row) = c.fetch_optional(&q).await? else {
        return Ok(None);
    };
    let visibility: Visibility = row
        .string("visibility")?
        .parse()
        .map_err(|_| StoreError::Decode("bad visibility".into()))?;
    let grants = crate::shares::grants_of(c, ws, object, record).await?;
    Ok(Some(RecordFacts {
        owner: row.id("owner_id")?,
        owner_team: row.opt_id::<TeamId>("owner_team")?,
        visibility,
        grants,
    }))
}

/// Live records of `object` whose `field` (a reference) is `target`: children of a company.
pub async fn referencing(
    c: &mut Conn,
    ws: WorkspaceId,
    object: ObjectType,
    field_name: &str,
    target: Uuid,
) -> Result<Vec<Uuid>, StoreError> {
    let f = field(object, field_name)?;
    let column = columns::column_name(f);
    let q = Query::select()
        .column((r(), Alias::new("id")))
        .from_as(table(object), r())
        .and_where(Expr::col((r(), Alias::new("workspace_id"))).eq(id(ws)))
        .and_where(Expr::col((r(), Alias::new("deleted_at"))).is_null())
        .and_where(Expr::col((r(), Alias::new(column))).eq(opt_uuid(Some(target))))
        .to_owned();
    c.fetch_all(&q)
        .await?
        .iter()
        .map(|row| row.uuid_col("id"))
        .collect()
}

/// Moves records to the trash under one batch id, so they can be restored together.
pub async fn trash(
    tx: &mut Tx,
    ws: WorkspaceId,
    object: ObjectType,
    ids: &[Uuid],
    batch: Uuid,
    actor: Option<UserId>,
    now: Timestamp,
) -> Result<u64, StoreError> {
    if ids.is_empty() {
        return Ok(0);
    }
    let q = Query::update()
        .table(table(object))
        .values([
            (Alias::new("deleted_at"), opt_ts(Some(now))),
            (
                Alias::new("deleted_by"),
                opt_uuid(actor.map(|a| a.as_uuid())),
            ),
            (Alias::new("deleted_batch"), opt_uuid(Some(batch))),
            (Alias::new("updated_at"), ts(now)),
        ])
        .value(
            Alias::new("version"),
            Expr::col(Alias::new("version")).add(1),
        )
        .and_where(Expr::col(Alias::new("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(Alias::new("id")).is_in(ids.iter().map(|u| opt_uuid(Some(*u)))))
        .and_where(Expr::col(Alias::new("deleted_at")).is_null())
        .to_owned();
    let n = tx.execute(&q).await?;
    for record in ids {
        search::remove(tx, ws, object, *record).await?;
    }
    Ok(n)
}

/// The trash batch a trashed record belongs to.
pub async fn batch_of(
    c: &mut Conn,
    ws: WorkspaceId,
    object: ObjectType,
    record: Uuid,
) -> Result<Option<Uuid>, StoreError> {
    let q = Query::select()
        .column(Alias::new("deleted_batch"))
        .from(table(object))
        .and_where(Expr::col(Alias::new("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(Alias::new("id")).eq(opt_uuid(Some(record))))
        .to_owned();
    Ok(c.fetch_optional(&q)
        .await?
        .map(|row| row.opt_uuid("deleted_batch"))
        .transpose()?
        .flatten())
}

/// Records of `object` trashed in `batch`.
pub async fn in_batch(
    c: &mut Conn,
    ws: WorkspaceId,
    object: ObjectType,
    batch: Uuid,
) -> Result<Vec<Uuid>, StoreError> {
    let q = Query::select()
        .column(Alias::new("id"))
        .from(table(object))
        .and_where(Expr::col(Alias::new("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(Alias::new("deleted_batch")).eq(opt_uuid(Some(batch))))
        .and_where(Expr::col(Alias::new("deleted_at")).is_not_null())
        .to_owned();
    c.fetch_all(&q)
        .await?
        .iter()
        .map(|row| row.uuid_col("id"))
        .collect()
}

/// Brings records back from the trash.
pub async fn restore(
    tx: &mut Tx,
    ws: WorkspaceId,
    object: ObjectType,
    ids: &[Uuid],
    actor: Option<UserId>,
    now: Timestamp,
) -> Result<u64, StoreError> {
    if ids.is_empty() {
        return Ok(0);
    }
    let q = Query::update()
        .table(table(object))
        .values([
            (Alias::new("deleted_at"), opt_ts(None)),
            (Alias::new("deleted_by"), opt_uuid(None)),
            (Alias::new("deleted_batch"), opt_uuid(None)),
            (Alias::new("updated_at"), ts(now)),
            (
                Alias::new("updated_by"),
                opt_uuid(actor.map(|a| a.as_uuid())),
            ),
        ])
        .value(
            Alias::new("version"),
            Expr::col(Alias::new("version")).add(1),
        )
        .and_where(Expr::col(Alias::new("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(Alias::new("id")).is_in(ids.iter().map(|u| opt_uuid(Some(*u)))))
        .and_where(Expr::col(Alias::new("deleted_at")).is_not_null())
        .to_owned();
    let n = tx
        .execute(&q)
        .await
        .map_err(|e| e.duplicate_on("external_id", "external_id"))?;
    for record in ids {
        reindex(tx, ws, object, *record).await?;
    }
    Ok(n)
}

/// Maintenance across workspaces: the ids of records trashed before `before`.
pub async fn expired_trash(
    c: &mut Conn,
    object: ObjectType,
    before: Timestamp,
    limit: u64,
) -> Result<Vec<(WorkspaceId, Uuid)>, StoreError> {
    let q = Query::select()
        .columns([Alias::new("workspace_id"), Alias::new("id")])
        .from(table(object))
        .and_where(Expr::col(Alias::new("deleted_at")).lt(ts(before)))
        .limit(limit)
        .to_owned();
    c.fetch_all(&q)
        .await?
        .iter()
        .map(|row| Ok((row.id("workspace_id")?, row.uuid_col("id")?)))
        .collect()
}

/// Deletes a trashed record for good, with its relations, shares and search document.
pub async fn purge(
    tx: &mut Tx,
    ws: WorkspaceId,
    object: ObjectType,
    record: Uuid,
) -> Result<(), StoreError> {
    relations::purge(tx, ws, object, record).await?;
    crate::orders::purge_customer(tx, ws, object, record).await?;
    crate::shares::purge_record(tx, ws, object, record).await?;
    if object == ObjectType::Company {
        // Records restored on their own may still point at the company; they lose the link.
        for (referrer, column) in [
            (ObjectType::Contact, "company_id"),
            (ObjectType::Opportunity, "company_id"),
            (ObjectType::Company, "parent_id"),
        ] {
            let q = Query::update()
                .table(table(referrer))
                .value(Alias::new(column), opt_uuid(None))
                .and_where(Expr::col(Alias::new("workspace_id")).eq(id(ws)))
                .and_where(Expr::col(Alias::new(column)).eq(opt_uuid(Some(record))))
                .to_owned();
            tx.execute(&q).await?;
        }
    }
    search::remove(tx, ws, object, record).await?;
    let q = Query::delete()
        .from_table(table(object))
        .and_where(Expr::col(Alias::new("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(Alias::new("id")).eq(opt_uuid(Some(record))))
        .and_where(Expr::col(Alias::new("deleted_at")).is_not_null())
        .to_owned();
    tx.execute(&q).await.map(drop)
}

/// A link table: the column holding the record, an extra equality, and the other key column
/// that with the record column makes a row unique.
struct LinkTable<'a> {
    table: &'a str,
    column: &'a str,
    extra: Option<(&'a str, &'a str)>,
    other: &'a str,
}

/// Moves every reference from record `from` to record `to` (merging duplicates): links,
/// role links, tags and, for companies, the records that point at them. Links the survivor
/// already has are dropped rather than doubled.
pub async fn repoint(
    tx: &mut Tx,
    ws: WorkspaceId,
    object: ObjectType,
    from: Uuid,
    to: Uuid,
) -> Result<(), StoreError> {
    let a = |name: &str| Alias::new(name);
    let kind = Some(("object_type", object.as_str()));
    let mut tables = vec![
        LinkTable {
            table: "record_tags",
            column: "record_id",
            extra: kind,
            other: "tag_id",
        },
        LinkTable {
            table: "activity_links",
            column: "record_id",
            extra: kind,
            other: "activity_id",
        },
    ];
    match object {
        ObjectType::Contact => {
            tables.push(LinkTable {
                table: "opportunity_contacts",
                column: "contact_id",
                extra: None,
                other: "opportunity_id",
            });
            tables.push(LinkTable {
                table: "contact_companies",
                column: "contact_id",
                extra: None,
                other: "company_id",
            });
        }
        ObjectType::Company => {
            tables.push(LinkTable {
                table: "contact_companies",
                column: "company_id",
                extra: None,
                other: "contact_id",
            });
        }
        _ => {}
    }
    for LinkTable {
        table,
        column,
        extra,
        other,
    } in tables
    {
        let mut dup = Query::select();
        dup.column(a(other))
            .from(a(table))
            .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
            .and_where(Expr::col(a(column)).eq(opt_uuid(Some(to))));
        if let Some((c, v)) = extra {
            dup.and_where(Expr::col(a(c)).eq(v));
        }
        let mut q = Query::update();
        q.table(a(table))
            .value(a(column), opt_uuid(Some(to)))
            .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
            .and_where(Expr::col(a(column)).eq(opt_uuid(Some(from))))
            .and_where(Expr::col(a(other)).not_in_subquery(dup.to_owned()));
        if let Some((c, v)) = extra {
            q.and_where(Expr::col(a(c)).eq(v));
        }
        tx.execute(&q).await?;
        let mut rest = Query::delete();
        rest.from_table(a(table))
            .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
            .and_where(Expr::col(a(column)).eq(opt_uuid(Some(from))));
        if let Some((c, v)) = extra {
            rest.and_where(Expr::col(a(c)).eq(v));
        }
        tx.execute(&rest).await?;
    }
    if object == ObjectType::Company {
        for (referrer, column) in [
            (ObjectType::Contact, "company_id"),
            (ObjectType::Opportunity, "company_id"),
            (ObjectType::Company, "parent_id"),
            (ObjectType::Lead, "converted_company_id"),
        ] {
            let q = Query::update()
                .table(table(referrer))
                .value(a(column), opt_uuid(Some(to)))
                .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
                .and_where(Expr::col(a(column)).eq(opt_uuid(Some(from))))
                .and_where(Expr::col(a("id")).ne(opt_uuid(Some(to))))
                .to_owned();
            tx.execute(&q).await?;
        }
    }
    crate::orders::repoint_customer(tx, ws, object, from, to).await?;
    if object == ObjectType::Contact {
        let q = Query::update()
            .table(table(ObjectType::Lead))
            .value(a("converted_contact_id"), opt_uuid(Some(to)))
            .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
            .and_where(Expr::col(a("converted_contact_id")).eq(opt_uuid(Some(from))))
            .to_owned();
        tx.execute(&q).await?;
    }
    Ok(())
}

/// Which of these users exist and what team each is in.
pub async fn user_teams(
    c: &mut Conn,
    ws: WorkspaceId,
    users: &[UserId],
) -> Result<HashMap<UserId, Option<TeamId>>, StoreError> {
    if users.is_empty() {
        return Ok(HashMap::new());
    }
    let q = Query::select()
        .columns([U::Id, U::TeamId])
        .from(U::Table)
        .and_where(Expr::col(U::WorkspaceId).eq(id(ws)))
        .and_where(Expr::col(U::Id).is_in(users.iter().map(|u| id(*u))))
        .to_owned();
    c.fetch_all(&q)
        .await?
        .iter()
        .map(|row| Ok((row.id("id")?, row.opt_id("team_id")?)))
        .collect()
}

/// Shares of a record as grants (used by `facts`).
pub(crate) fn grant(grantee_type: &str, grantee: Uuid, access: &str) -> Option<Grant> {
    let grantee = match grantee_type {
        "user" => Grantee::User(UserId::from_uuid(grantee)),
        "team" => Grantee::Team(TeamId::from_uuid(grantee)),
        _ => return None,
    };
    Some(Grant {
        grantee,
        access: ShareAccess::parse(access)?,
    })
}
