//! The search index: one document per live record holding its searchable fields folded in
//! Rust, queried by word prefixes. SQLite uses FTS5, PostgreSQL a `tsvector` with GIN; both
//! see the same folded text, so "Łukasz", "lukasz" and "ŁUKASZ" find each other on either.

use rapport_core::WorkspaceId;
use rapport_core::catalogue::{self, Kind};
use rapport_core::fold;
use rapport_core::object::ObjectType;
use rapport_core::record::Record;
use rapport_core::value::Value;
use sea_query::{Alias, Expr, ExprTrait, IntoTableRef, OnConflict, Query, SelectStatement};
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

/// How many of the newest matching documents a search ranks. Ranking every match of a
/// two-letter prefix over a million records cannot meet the 10 ms budget; ranking the
/// newest thousand can, and typing one more letter narrows the set (like Salesforce's SOSL,
/// which stops at 2,000).
pub const CANDIDATES: u64 = 1_000;

/// SQLite keeps one full-text index per object, so that a search of contacts never wades
/// through activities.
pub(crate) fn fts_table(object: ObjectType) -> &'static str {
    match object {
        ObjectType::Company => "search_fts_company",
        ObjectType::Contact => "search_fts_contact",
        ObjectType::Lead => "search_fts_lead",
        ObjectType::Opportunity => "search_fts_opportunity",
        ObjectType::Activity => "search_fts_activity",
    }
}

/// The object's name as an SQL literal (the values are fixed by the enum).
fn object_literal(object: ObjectType) -> &'static str {
    match object {
        ObjectType::Company => "'company'",
        ObjectType::Contact => "'contact'",
        ObjectType::Lead => "'lead'",
        ObjectType::Opportunity => "'opportunity'",
        ObjectType::Activity => "'activity'",
    }
}

/// `(record_id, rank)` of the newest [`CANDIDATES`] documents matching every term as a
/// word prefix; lower rank is better. Terms come from `fold::search_terms`, so they hold
/// letters and digits only. The caller must put this first in its FROM (see
/// `records::list_select`): SQLite's planner otherwise walks every record and runs the
/// full-text query once per row.
pub(crate) fn matching(
    backend: Backend,
    ws: WorkspaceId,
    object: ObjectType,
    terms: &[String],
) -> SelectStatement {
    let d = Alias::new("d");
    let c = Alias::new("c");
    match backend {
        Backend::Sqlite => {
            let expr: String = terms
                .iter()
                .map(|t| format!("\"{}\"*", t.replace('"', "")))
                .collect::<Vec<_>>()
                .join(" ");
            let fts = fts_table(object);
            // Newest first straight from the index, so only CANDIDATES rows are ranked.
            let candidates = Query::select()
                .expr_as(Expr::cust("rowid"), Alias::new("doc"))
                .expr_as(Expr::cust(format!("bm25({fts})")), Alias::new("rank"))
                .from(Alias::new(fts))
                .and_where(Expr::cust_with_values(format!("{fts} MATCH ?"), [expr]))
                .order_by_expr(Expr::cust("rowid"), sea_query::Order::Desc)
                .limit(CANDIDATES)
                .to_owned();
            Query::select()
                .column((d.clone(), Alias::new("record_id")))
                .column((c.clone(), Alias::new("rank")))
                .from_subquery(candidates, c.clone())
                // sea-query drops ON from CROSS JOIN; the join condition goes in WHERE.
                .cross_join(Alias::new("search_docs").into_table_ref().alias(d.clone()))
                .and_where(
                    Expr::col((d.clone(), Alias::new("doc_id"))).equals((c, Alias::new("doc"))),
                )
                .and_where(Expr::col((d, Alias::new("workspace_id"))).eq(id(ws)))
                .to_owned()
        }
        Backend::Postgres => {
            let expr: String = terms
                .iter()
                .map(|t| format!("{t}:*"))
                .collect::<Vec<_>>()
                .join(" & ");
            let candidates = Query::select()
                .column(Alias::new("record_id"))
                .column(Alias::new("tsv"))
                .from(Alias::new("search_docs"))
                .and_where(Expr::cust_with_values(
                    "\"tsv\" @@ to_tsquery('simple', $1)",
                    [expr.clone()],
                ))
                .and_where(Expr::col(Alias::new("workspace_id")).eq(id(ws)))
                // A literal, not a parameter: a generic plan for `object_type = $2` could
                // not use the per-object partial indexes (migration 0007).
                .and_where(
                    Expr::col(Alias::new("object_type")).eq(Expr::cust(object_literal(object))),
                )
                .limit(CANDIDATES)
                .to_owned();
            Query::select()
                .column((d.clone(), Alias::new("record_id")))
                .expr_as(
                    Expr::cust_with_values(
                        "-(ts_rank(\"d\".\"tsv\", to_tsquery('simple', $1)))::double precision",
                        [expr],
                    ),
                    Alias::new("rank"),
                )
                .from_subquery(candidates, d)
                .to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use rapport_core::object::ObjectType;

    #[test]
    fn object_literals_are_the_objects_names_quoted() {
        for o in ObjectType::ALL {
            assert_eq!(super::object_literal(o), format!("'{}'", o.as_str()));
        }
    }
}
