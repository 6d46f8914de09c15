//! The first page of one list per stage, in one statement: what a pipeline board shows.
//!
//! Each stage is its own arm of a `UNION ALL`: the list's FROM and WHERE (search,
//! workspace, trash, access policy, filters) plus `stage_id = …`, ordered and limited as
//! the list orders and limits a page. A `ROW_NUMBER() OVER (PARTITION BY stage_id …)`
//! would be one arm shorter to write, but it numbers every deal of every stage before
//! keeping 51 of each; the won and lost columns grow for ever, so that cost grows with
//! them. An arm stops after its limit, walking `opportunities_stage_changed_idx` backwards.

use rapport_core::WorkspaceId;
use rapport_core::access::Viewer;
use rapport_core::object::ObjectType;
use sea_query::{Alias, Asterisk, Expr, ExprTrait, Query, SelectStatement, UnionType};
use uuid::Uuid;

use super::listing::{self, r};
use super::{ListSpec, Listed, list_select, listed, plan};
use crate::db::{Conn, opt_uuid};
use crate::error::StoreError;

/// The rows of one stage in list order, at most `spec.limit` of them.
#[derive(Debug)]
pub struct StageRows {
    pub stage_id: Uuid,
    pub rows: Vec<Listed>,
}

/// For each of `stages`, in that order, the first `spec.limit` opportunities that the list
/// of `spec.query` with `filter[stage_id][eq]=stage` would show, in the list's order. A
/// cursor (`spec.after`) has no meaning across stages and is refused.
pub async fn list_by_stage(
    c: &mut Conn,
    ws: WorkspaceId,
    viewer: &Viewer,
    spec: &ListSpec<'_>,
    stages: &[Uuid],
) -> Result<Vec<StageRows>, StoreError> {
    if spec.after.is_some() {
        return Err(StoreError::Cursor);
    }
    let object = ObjectType::Opportunity;
    let terms_text = spec
        .query
        .q
        .as_deref()
        .map(rapport_core::fold::search_terms)
        .unwrap_or_default();
    let mut out: Vec<StageRows> = stages
        .iter()
        .map(|s| StageRows {
            stage_id: *s,
            rows: Vec::new(),
        })
        .collect();
    if stages.is_empty() || (spec.query.q.is_some() && terms_text.is_empty()) {
        return Ok(out);
    }
    let backend = c.backend();
    let (terms, id_desc) = plan(backend, object, spec.query);
    // Rows go to their column by stage, whatever fields the records carry.
    let mut selected = spec.query.clone();
    if let Some(fields) = &mut selected.fields
        && !fields.iter().any(|f| f == "stage_id")
    {
        fields.push("stage_id".to_owned());
    }
    let arm = |stage: Uuid| -> SelectStatement {
        let (mut q, _) = list_select(backend, ws, object, viewer, &selected, &terms_text);
        q.and_where(Expr::col((r(), Alias::new("stage_id"))).eq(opt_uuid(Some(stage))));
        listing::order(&mut q, &terms, id_desc);
        q.limit(spec.limit);
        // ORDER BY and LIMIT bind to a whole compound statement unless the arm is a
        // subquery of its own.
        Query::select()
            .column(Asterisk)
            .from_subquery(q, Alias::new("arm"))
            .to_owned()
    };
    let mut distinct: Vec<Uuid> = Vec::with_capacity(stages.len());
    for s in stages {
        if !distinct.contains(s) {
            distinct.push(*s);
        }
    }
    let mut arms = distinct.into_iter().map(arm);
    let Some(mut union) = arms.next() else {
        return Ok(out);
    };
    for other in arms {
        union.union(UnionType::All, other);
    }
    // The order across arms is the database's to choose; sorting the few rows again by the
    // same keys (selected as `_s{i}`) keeps each stage in list order with its own collation.
    let mut q = Query::select()
        .column(Asterisk)
        .from_subquery(union, Alias::new("u"))
        .to_owned();
    listing::order_selected(&mut q, &Alias::new("u"), &terms, id_desc);
    let rows = c.fetch_all(&q).await?;
    let listed = listed(c, ws, object, &rows, &terms, spec).await?;
    // From the row: a sparse fieldset may leave the stage out of the record.
    for (row, l) in rows.iter().zip(listed) {
        let stage = row
            .opt_uuid("stage_id")?
            .ok_or_else(|| StoreError::Decode("an opportunity without a stage".into()))?;
        if let Some(slot) = out.iter_mut().find(|s| s.stage_id == stage) {
            slot.rows.push(l);
        }
    }
    Ok(out)
}
