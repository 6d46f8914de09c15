//! Bulk paths for imports and seeding: multi-row INSERTs of records with their relations and
//! search documents, match-key lookups for a whole batch at once, and many records read in
//! one query. One statement per record and relation costs a round trip each; at millions of
//! records that is the whole run time.

use rapport_core::WorkspaceId;
use rapport_core::access::Viewer;
use rapport_core::object::ObjectType;
use rapport_core::record::Record;
use rapport_core::value::Value;
use sea_query::{Alias, Expr, ExprTrait, IntoTableRef, Query, TableRef};
use uuid::Uuid;

use super::columns::table;
use super::listing::r;
use super::{NewRecord, Trash, decode_row, insert_columns, relations, scope, select_all};
use crate::db::{Conn, Tx, id, opt_uuid, ts};
use crate::error::StoreError;
use crate::search;

/// Bound parameters per statement: below SQLite's 32,766 and PostgreSQL's 65,535.
const MAX_PARAMS: usize = 30_000;

/// A key records are matched on when importing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchKey {
    Id,
    ExternalId,
    /// The (primary) e-mail of contacts and leads, compared lowercase.
    Email,
    /// The domain of companies.
    Domain,
}

impl MatchKey {
    fn column(self) -> &'static str {
        match self {
            MatchKey::Id => "id",
            MatchKey::ExternalId => "external_id",
            MatchKey::Email => "email_key",
            MatchKey::Domain => "domain",
        }
    }
}

/// Live records whose `key` is one of `values` (ids as UUID text; e-mails lowercase):
/// (value, record id) pairs. The caller checks the policy on the ids it gets.
pub async fn match_keys(
    c: &mut Conn,
    ws: WorkspaceId,
    object: ObjectType,
    key: MatchKey,
    values: &[String],
) -> Result<Vec<(String, Uuid)>, StoreError> {
    let mut out = Vec::new();
    for chunk in values.chunks(5_000) {
        let mut q = Query::select();
        q.column((r(), Alias::new("id")))
            .from_as(table(object), r());
        scope(&mut q, ws, Trash::Live);
        match key {
            MatchKey::Id => {
                let ids: Vec<Uuid> = chunk
                    .iter()
                    .filter_map(|v| Uuid::parse_str(v).ok())
                    .collect();
                if ids.is_empty() {
                    continue;
                }
                q.and_where(
                    Expr::col((r(), Alias::new("id")))
                        .is_in(ids.into_iter().map(|u| opt_uuid(Some(u)))),
                );
            }
            _ => {
                q.expr_as(
                    Expr::col((r(), Alias::new(key.column()))),
                    Alias::new("match_value"),
                );
                q.and_where(
                    Expr::col((r(), Alias::new(key.column()))).is_in(chunk.iter().cloned()),
                );
            }
        }
        for row in c.fetch_all(&q).await? {
            let record = row.uuid_col("id")?;
            let value = match key {
                MatchKey::Id => record.to_string(),
                _ => row.string("match_value")?,
            };
            out.push((value, record));
        }
    }
    Ok(out)
}

/// Many records by id (relations loaded), in one query per few thousand.
pub async fn get_many(
    c: &mut Conn,
    ws: WorkspaceId,
    object: ObjectType,
    ids: &[Uuid],
) -> Result<Vec<Record>, StoreError> {
    fetch_many(c, ws, object, ids, None).await
}

/// The live records among `ids` the viewer may read, with their relations, in one query
/// per 5,000 ids (in no particular order): a page that shows many records by id, such as
/// a timeline, reads them at once instead of one by one.
pub async fn readable_many(
    c: &mut Conn,
    ws: WorkspaceId,
    object: ObjectType,
    ids: &[Uuid],
    viewer: &Viewer,
) -> Result<Vec<Record>, StoreError> {
    fetch_many(c, ws, object, ids, Some(viewer)).await
}

async fn fetch_many(
    c: &mut Conn,
    ws: WorkspaceId,
    object: ObjectType,
    ids: &[Uuid],
    viewer: Option<&Viewer>,
) -> Result<Vec<Record>, StoreError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(5_000) {
        let mut q = select_all(object);
        scope(&mut q, ws, Trash::Live);
        q.and_where(
            Expr::col((r(), Alias::new("id"))).is_in(chunk.iter().map(|u| opt_uuid(Some(*u)))),
        );
        if let Some(v) = viewer
            && let Some(cond) = super::access::readable(ws, object, v, &r())
        {
            q.cond_where(cond);
        }
        let mut recs = c
            .fetch_all(&q)
            .await?
            .iter()
            .map(|row| decode_row(object, row))
            .collect::<Result<Vec<_>, _>>()?;
        relations::load(c, ws, &mut recs).await?;
        out.extend(recs);
    }
    Ok(out)
}

/// Inserts new records of one object with their relations and search documents. Rows that
/// set different columns go in separate statements, so a column left out keeps its default.
pub async fn insert_many(
    tx: &mut Tx,
    ws: WorkspaceId,
    object: ObjectType,
    records: &[NewRecord<'_>],
) -> Result<(), StoreError> {
    // Consecutive rows that set the same columns share a statement. Rows keep their order:
    // a record may refer to one before it (a company's parent), and PostgreSQL checks each
    // statement's foreign keys when it ends.
    let mut run: Option<(Vec<String>, Vec<Vec<Expr>>)> = None;
    for rec in records {
        let (names, values): (Vec<String>, Vec<Expr>) =
            insert_columns(ws, object, rec)?.into_iter().unzip();
        match &mut run {
            Some((same, rows)) if *same == names => rows.push(values),
            _ => {
                if let Some((names, rows)) = run.replace((names, vec![values])) {
                    insert_run(tx, object, &names, rows).await?;
                }
            }
        }
    }
    if let Some((names, rows)) = run {
        insert_run(tx, object, &names, rows).await?;
    }

    let mut tags = Vec::new();
    let mut links = Vec::new();
    let mut roles = Vec::new();
    let mut docs = Vec::new();
    for rec in records {
        if let Some(Value::Ids(ids)) = rec.values.get("tag_ids") {
            for tag in ids {
                tags.push(vec![
                    id(ws),
                    Expr::val(object.as_str()),
                    opt_uuid(Some(rec.id)),
                    opt_uuid(Some(*tag)),
                ]);
            }
        }
        if object == ObjectType::Activity
            && let Some(Value::Links(list)) = rec.values.get("links")
        {
            for l in list {
                links.push(vec![
                    id(ws),
                    opt_uuid(Some(rec.id)),
                    Expr::val(l.object.as_str()),
                    opt_uuid(Some(l.id)),
                ]);
            }
        }
        if let Some((_, _, _, field)) = relations::role_table(object)
            && let Some(Value::Roles(list)) = rec.values.get(field)
        {
            for r in list {
                roles.push(vec![
                    id(ws),
                    opt_uuid(Some(rec.id)),
                    opt_uuid(Some(r.id)),
                    Expr::val(r.role.clone()),
                    ts(rec.created_at),
                ]);
            }
        }
        docs.push(vec![
            id(ws),
            Expr::val(object.as_str()),
            opt_uuid(Some(rec.id)),
            Expr::val(search::document(&super::as_stored(object, rec))),
        ]);
    }
    let t = |name: &str| Alias::new(name).into_table_ref();
    insert_rows(
        tx,
        t("record_tags"),
        &["workspace_id", "object_type", "record_id", "tag_id"],
        tags,
    )
    .await?;
    insert_rows(
        tx,
        t("activity_links"),
        &["workspace_id", "activity_id", "object_type", "record_id"],
        links,
    )
    .await?;
    if let Some((name, own, other, _)) = relations::role_table(object) {
        insert_rows(
            tx,
            t(name),
            &["workspace_id", own, other, "role", "created_at"],
            roles,
        )
        .await?;
    }
    insert_rows(
        tx,
        t("search_docs"),
        &["workspace_id", "object_type", "record_id", "body"],
        docs,
    )
    .await
}

async fn insert_run(
    tx: &mut Tx,
    object: ObjectType,
    names: &[String],
    rows: Vec<Vec<Expr>>,
) -> Result<(), StoreError> {
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    insert_rows(tx, table(object).into_table_ref(), &names, rows)
        .await
        .map_err(|e| e.duplicate_on("external_id", "external_id"))
}

/// One INSERT per chunk of rows, each chunk as large as the parameter limit allows.
pub(crate) async fn insert_rows(
    tx: &mut Tx,
    into: TableRef,
    columns: &[&str],
    rows: Vec<Vec<Expr>>,
) -> Result<(), StoreError> {
    let per_statement = (MAX_PARAMS / columns.len().max(1)).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut q = Query::insert();
        q.into_table(into.clone())
            .columns(columns.iter().map(|c| Alias::new(*c)));
        for row in rows.by_ref().take(per_statement) {
            q.values(row)
                .map_err(|e| StoreError::Internal(Box::new(e)))?;
        }
        tx.execute(&q).await?;
    }
    Ok(())
}
