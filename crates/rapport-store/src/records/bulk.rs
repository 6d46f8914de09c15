//! Bulk paths for imports: multi-row INSERTs of records, their tags and search documents,
//! match-key lookups for a whole batch at once, and many records read in one query.

use std::collections::BTreeMap;

use rapport_core::WorkspaceId;
use rapport_core::object::ObjectType;
use rapport_core::record::Record;
use rapport_core::value::Value;
use sea_query::{Alias, Expr, ExprTrait, Query};
use uuid::Uuid;

use super::columns::table;
use super::listing::r;
use super::{
    NewRecord, Trash, column_values, custom_keys, decode_row, relations, scope, select_all,
};
use crate::db::{Conn, Tx, id, json, opt_uuid, ts};
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
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(5_000) {
        let mut q = select_all(object);
        scope(&mut q, ws, Trash::Live);
        q.and_where(
            Expr::col((r(), Alias::new("id"))).is_in(chunk.iter().map(|u| opt_uuid(Some(*u)))),
        );
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

/// Inserts many new records with multi-row INSERTs: rows, tags, role links and search
/// documents. Records with the same set of columns share statements.
pub async fn insert_many(
    tx: &mut Tx,
    ws: WorkspaceId,
    object: ObjectType,
    recs: &[NewRecord<'_>],
) -> Result<(), StoreError> {
    let mut rows: Vec<(Vec<String>, Vec<Expr>)> = Vec::with_capacity(recs.len());
    for rec in recs {
        let mut cols = vec![
            ("workspace_id".to_owned(), id(ws)),
            ("id".to_owned(), opt_uuid(Some(rec.id))),
            (
                "custom".to_owned(),
                json(serde_json::Value::Object(rec.custom.clone())),
            ),
            ("custom_keys".to_owned(), json(custom_keys(rec.custom))),
            ("created_at".to_owned(), ts(rec.created_at)),
            ("updated_at".to_owned(), ts(rec.updated_at)),
            (
                "created_by".to_owned(),
                opt_uuid(rec.actor.map(|a| rapport_core::Id::as_uuid(&a))),
            ),
            (
                "updated_by".to_owned(),
                opt_uuid(rec.actor.map(|a| rapport_core::Id::as_uuid(&a))),
            ),
            ("version".to_owned(), Expr::val(1i64)),
        ];
        cols.extend(column_values(object, rec.values)?);
        let (names, values): (Vec<String>, Vec<Expr>) = cols.into_iter().unzip();
        rows.push((names, values));
    }
    let mut start = 0;
    while start < rows.len() {
        let names = rows[start].0.clone();
        let per = (MAX_PARAMS / names.len().max(1)).max(1);
        let mut end = start;
        while end < rows.len() && end - start < per && rows[end].0 == names {
            end += 1;
        }
        let mut q = Query::insert();
        q.into_table(table(object))
            .columns(names.iter().map(Alias::new));
        for (_, values) in &mut rows[start..end] {
            q.values_panic(std::mem::take(values));
        }
        tx.execute(&q)
            .await
            .map_err(|e| e.duplicate_on("external_id", "external_id"))?;
        start = end;
    }
    insert_tags(tx, ws, object, recs).await?;
    for rec in recs {
        // Role links (companies of a contact, contacts of an opportunity) are rare in
        // imports; they take the ordinary path.
        if rec
            .values
            .keys()
            .any(|k| matches!(*k, "companies" | "contacts"))
        {
            let roles: BTreeMap<&'static str, Value> = rec
                .values
                .iter()
                .filter(|(k, _)| matches!(**k, "companies" | "contacts"))
                .map(|(k, v)| (*k, v.clone()))
                .collect();
            relations::write(tx, ws, object, rec.id, &roles, rec.created_at).await?;
        }
    }
    insert_documents(tx, ws, object, recs).await
}

async fn insert_tags(
    tx: &mut Tx,
    ws: WorkspaceId,
    object: ObjectType,
    recs: &[NewRecord<'_>],
) -> Result<(), StoreError> {
    let pairs: Vec<(Uuid, Uuid)> = recs
        .iter()
        .flat_map(|rec| match rec.values.get("tag_ids") {
            Some(Value::Ids(tags)) => tags.iter().map(|t| (rec.id, *t)).collect(),
            _ => Vec::new(),
        })
        .collect();
    for chunk in pairs.chunks(MAX_PARAMS / 4) {
        let mut q = Query::insert();
        q.into_table(Alias::new("record_tags")).columns([
            Alias::new("workspace_id"),
            Alias::new("object_type"),
            Alias::new("record_id"),
            Alias::new("tag_id"),
        ]);
        for (record, tag) in chunk {
            q.values_panic([
                id(ws),
                Expr::val(object.as_str()),
                opt_uuid(Some(*record)),
                opt_uuid(Some(*tag)),
            ]);
        }
        tx.execute(&q).await?;
    }
    Ok(())
}

async fn insert_documents(
    tx: &mut Tx,
    ws: WorkspaceId,
    object: ObjectType,
    recs: &[NewRecord<'_>],
) -> Result<(), StoreError> {
    for chunk in recs.chunks(MAX_PARAMS / 4) {
        let mut q = Query::insert();
        q.into_table(Alias::new("search_docs")).columns([
            Alias::new("workspace_id"),
            Alias::new("object_type"),
            Alias::new("record_id"),
            Alias::new("body"),
        ]);
        for rec in chunk {
            let mut values = rec.values.clone();
            values.extend(super::derived(object, rec.values));
            let body = search::document(&Record {
                object,
                id: rec.id,
                values,
                custom: rec.custom.clone(),
                deleted_at: None,
            });
            q.values_panic([
                id(ws),
                Expr::val(object.as_str()),
                opt_uuid(Some(rec.id)),
                Expr::val(body),
            ]);
        }
        tx.execute(&q).await?;
    }
    Ok(())
}
