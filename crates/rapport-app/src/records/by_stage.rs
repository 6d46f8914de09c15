//! A pipeline board's columns: the first page of the opportunity list in each stage, read
//! with one record context and one statement for every column instead of a list call (and
//! its context, query and relation lookups) per stage.

use rapport_core::catalogue;
use rapport_core::object::ObjectType;
use rapport_core::query::QueryError;
use rapport_store::records::{self, ListSpec};
use serde_json::Value as Json;
use uuid::Uuid;

use super::{RecordContext, parse_list, view, wants_relations};
use crate::error::{AppError, AppResult};
use crate::{App, Caller, PageRequest};

/// The fields an opportunity keeps in relation tables (tags, contacts): not read for cards,
/// so left out of them rather than shown empty.
fn relation_fields() -> impl Iterator<Item = &'static str> {
    catalogue::all_fields(ObjectType::Opportunity)
        .filter(|f| f.kind.is_relation())
        .map(|f| f.name)
}

/// One stage's first page: what `list` with `filter[stage_id][eq]=stage_id` would show.
#[derive(Clone, Debug, PartialEq)]
pub struct StagePage {
    pub stage_id: Uuid,
    pub items: Vec<Json>,
    /// More records follow in this stage (the list would give a next cursor).
    pub more: bool,
}

/// For each of `stages`, in that order, the first page of the opportunity list with
/// `params` (filters, search, `sort`, `limit`, `fields`, as for [`super::list`]) narrowed
/// to that stage: the same access policy, filters, order and field rules, without a
/// total. A cursor continues one list, not several, so it is refused. Without `fields`
/// the items carry every field but the relations (tags, links, contacts): a board shows
/// none of them, and reading them would cost a query per kind over every card.
pub async fn list_by_stage(
    app: &App,
    caller: &Caller,
    params: &[(String, String)],
    stages: &[Uuid],
) -> AppResult<Vec<StagePage>> {
    pages_by_stage(app, caller, params, stages, None).await
}

/// [`list_by_stage`] for a board's cards: each item carries `id` and those of `shown` that
/// the caller may see. A field hidden from the caller is left out rather than refused, as
/// a board shows whatever of a card its reader may see; `fields` in `params` is replaced.
pub async fn cards_by_stage(
    app: &App,
    caller: &Caller,
    params: &[(String, String)],
    stages: &[Uuid],
    shown: &[&str],
) -> AppResult<Vec<StagePage>> {
    pages_by_stage(app, caller, params, stages, Some(shown)).await
}

async fn pages_by_stage(
    app: &App,
    caller: &Caller,
    params: &[(String, String)],
    stages: &[Uuid],
    shown: Option<&[&str]>,
) -> AppResult<Vec<StagePage>> {
    let mut c = app.db.read().await?;
    let ctx = RecordContext::load(&mut c, &caller.principal, ObjectType::Opportunity).await?;
    let mut q = parse_list(&ctx, params)?;
    if let Some(shown) = shown {
        q.fields = Some(
            shown
                .iter()
                .filter(|f| ctx.visible(f))
                .map(|f| (*f).to_owned())
                .collect(),
        );
    }
    if q.cursor.is_some() {
        return Err(AppError::BadQuery(QueryError {
            parameter: "cursor".to_owned(),
            message: "a page per stage has no cursor; list one stage to page on".to_owned(),
        }));
    }
    let page = PageRequest::<()>::new(None, q.limit);
    let fields = q.fields.as_deref();
    let spec = ListSpec {
        query: &q,
        after: None,
        limit: page.limit + 1,
        relations: fields.is_some() && wants_relations(fields),
    };
    let ws = caller.principal.workspace_id;
    let found = records::list_by_stage(&mut c, ws, &ctx.viewer, &spec, stages).await?;
    let shown = usize::try_from(page.limit).unwrap_or(usize::MAX);
    Ok(found
        .into_iter()
        .map(|s| StagePage {
            stage_id: s.stage_id,
            more: s.rows.len() > shown,
            items: s
                .rows
                .iter()
                .take(shown)
                .map(|l| {
                    let mut json = view(&ctx, &l.record, fields).json;
                    if fields.is_none()
                        && let Some(m) = json.as_object_mut()
                    {
                        for f in relation_fields() {
                            m.remove(f);
                        }
                    }
                    json
                })
                .collect(),
        })
        .collect())
}
