//! The search index: one document per live record holding its searchable fields folded in
//! Rust, queried by word prefixes. SQLite uses FTS5, PostgreSQL a `tsvector` with GIN; both
//! see the same folded text, so "Łukasz", "lukasz" and "ŁUKASZ" find each other on either.

use rapport_core::WorkspaceId;
use rapport_core::catalogue::{self, Kind};
use rapport_core::fold;
use rapport_core::object::ObjectType;
use rapport_core::record::Record;
use rapport_core::value::Value;
use sea_query::{Alias, Expr, ExprTrait, OnConflict, Query, SelectStatement};
use uuid::Uuid;

use crate::db::{Backend, Tx, id, opt_uuid};
use crate::error::StoreError;

/// The folded text a record is found by.
pub fn document(record: &Record) -> String {
    let mut words: Vec<String> = Vec::new();
    for f in catalogue::all_fields(record.object).filter(|f| f.search) {
        match record.get(f.name) {
            Value::Text(s) => {
                words.extend(fold::search_terms(s));
                if f.kind == Kind::Phone {
                    words.push(s.trim_start_matches('+').to_owned());
                }
            }
            Value::Emails(list) => list
                .iter()
                .for_each(|e| words.extend(fold::search_terms(&e.value))),
            Value::Phones(list) => list
                .iter()
                .for_each(|p| words.push(p.value.trim_start_matches('+').to_owned())),
            _ => {}
        }
    }
    for v in record.custom.values() {
        if let Some(s) = v.as_str() {
            words.extend(fold::search_terms(s));
        }
    }
    words.join(" ")
}

pub(crate) async fn index(tx: &mut Tx, ws: WorkspaceId, record: &Record) -> Result<(), StoreError> {
    let body = document(record);
    let q = Query::insert()
        .into_table(Alias::new("search_docs"))
        .columns([
            Alias::new("workspace_id"),
            Alias::new("object_type"),
            Alias::new("record_id"),
            Alias::new("body"),
        ])
        .values_panic([
            id(ws),
            Expr::val(record.object.as_str()),
            opt_uuid(Some(record.id)),
            Expr::val(body),
        ])
        .on_conflict(
            OnConflict::columns([
                Alias::new("workspace_id"),
                Alias::new("object_type"),
                Alias::new("record_id"),
            ])
            .update_column(Alias::new("body"))
            .to_owned(),
        )
        .to_owned();
    tx.execute(&q).await.map(drop)
}

pub(crate) async fn remove(
    tx: &mut Tx,
    ws: WorkspaceId,
    object: ObjectType,
    record: Uuid,
) -> Result<(), StoreError> {
    let q = Query::delete()
        .from_table(Alias::new("search_docs"))
        .and_where(Expr::col(Alias::new("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(Alias::new("object_type")).eq(object.as_str()))
        .and_where(Expr::col(Alias::new("record_id")).eq(opt_uuid(Some(record))))
        .to_owned();
    tx.execute(&q).await.map(drop)
}

/// `(record_id, rank)` of documents matching every term as a word prefix; lower rank is
/// better. Terms come from `fold::search_terms`, so they hold letters and digits only.
pub(crate) fn matching(
    backend: Backend,
    ws: WorkspaceId,
    object: ObjectType,
    terms: &[String],
) -> SelectStatement {
    let d = Alias::new("d");
    match backend {
        Backend::Sqlite => {
            let expr: String = terms
                .iter()
                .map(|t| format!("\"{}\"*", t.replace('"', "")))
                .collect::<Vec<_>>()
                .join(" ");
            Query::select()
                .column((d.clone(), Alias::new("record_id")))
                .expr_as(Expr::cust("bm25(search_fts)"), Alias::new("rank"))
                .from(Alias::new("search_fts"))
                .join_as(
                    sea_query::JoinType::InnerJoin,
                    Alias::new("search_docs"),
                    d.clone(),
                    Expr::col((d.clone(), Alias::new("doc_id")))
                        .equals((Alias::new("search_fts"), Alias::new("rowid"))),
                )
                .and_where(Expr::cust_with_values("search_fts MATCH ?", [expr]))
                .and_where(Expr::col((d.clone(), Alias::new("workspace_id"))).eq(id(ws)))
                .and_where(Expr::col((d, Alias::new("object_type"))).eq(object.as_str()))
                .to_owned()
        }
        Backend::Postgres => {
            let expr: String = terms
                .iter()
                .map(|t| format!("{t}:*"))
                .collect::<Vec<_>>()
                .join(" & ");
            Query::select()
                .column((d.clone(), Alias::new("record_id")))
                .expr_as(
                    Expr::cust_with_values(
                        "-(ts_rank(\"d\".\"tsv\", to_tsquery('simple', $1)))::double precision",
                        [expr.clone()],
                    ),
                    Alias::new("rank"),
                )
                .from_as(Alias::new("search_docs"), d.clone())
                .and_where(Expr::cust_with_values(
                    "\"d\".\"tsv\" @@ to_tsquery('simple', $1)",
                    [expr],
                ))
                .and_where(Expr::col((d.clone(), Alias::new("workspace_id"))).eq(id(ws)))
                .and_where(Expr::col((d, Alias::new("object_type"))).eq(object.as_str()))
                .to_owned()
        }
    }
}
