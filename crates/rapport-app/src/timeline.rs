//! The timeline of a contact, company, lead or opportunity (DESIGN §4.6): activities and
//! audited changes (stage moves, conversion), newest first. Hidden fields are left out of
//! change entries as they are out of records.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rapport_core::object::ObjectType;
use rapport_core::query::QueryError;
use rapport_core::{Timestamp, UserId};
use rapport_store::audit;
use rapport_store::records::{self, Trash};
use rapport_store::timeline::{self, ItemKind};
use serde_json::{Value as Json, json};
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::records::RecordContext;
use crate::{App, Caller, PageRequest};

#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Activity {
        at: Timestamp,
        activity: Json,
    },
    Change {
        at: Timestamp,
        id: Uuid,
        action: String,
        actor_kind: String,
        actor_id: Option<UserId>,
        changes: Json,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct TimelinePage {
    pub items: Vec<Item>,
    pub next_cursor: Option<String>,
}

fn bad_cursor() -> AppError {
    AppError::BadQuery(QueryError {
        parameter: "cursor".into(),
        message: "is not a cursor of this timeline; start again without it".into(),
    })
}

fn decode(raw: Option<&str>) -> AppResult<Option<(Timestamp, Uuid)>> {
    let Some(raw) = raw.filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    let bytes = URL_SAFE_NO_PAD.decode(raw).map_err(|_| bad_cursor())?;
    let v: Json = serde_json::from_slice(&bytes).map_err(|_| bad_cursor())?;
    let at = v.get(0).and_then(Json::as_i64).ok_or_else(bad_cursor)?;
    let id = v
        .get(1)
        .and_then(Json::as_str)
        .and_then(|s| Uuid::try_parse(s).ok())
        .ok_or_else(bad_cursor)?;
    Ok(Some((Timestamp::from_micros(at), id)))
}

fn encode(at: Timestamp, id: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(json!([at.as_micros(), id.to_string()]).to_string())
}

pub async fn page(
    app: &App,
    caller: &Caller,
    object: ObjectType,
    id: Uuid,
    cursor: Option<&str>,
    limit: Option<u64>,
) -> AppResult<TimelinePage> {
    if object == ObjectType::Activity {
        return Err(AppError::NotFound);
    }
    let after = decode(cursor)?;
    let page = PageRequest::<()>::new(None, limit);
    let ws = caller.principal.workspace_id;
    let mut c = app.db.read().await?;
    let subject_ctx = RecordContext::load(&mut c, &caller.principal, object).await?;
    records::get(
        &mut c,
        ws,
        object,
        id,
        Some(&subject_ctx.viewer),
        Trash::Live,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    let activity_ctx = RecordContext::load(&mut c, &caller.principal, ObjectType::Activity).await?;
    let mut refs = timeline::page(
        &mut c,
        ws,
        object,
        id,
        &subject_ctx.viewer,
        after,
        page.limit + 1,
    )
    .await?;
    let more = refs.len() as u64 > page.limit;
    refs.truncate(usize::try_from(page.limit).unwrap_or(usize::MAX));
    let change_ids: Vec<Uuid> = refs
        .iter()
        .filter(|r| r.kind == ItemKind::Change)
        .map(|r| r.id)
        .collect();
    let entries = audit::by_ids(&mut c, ws, &change_ids).await?;
    let activity_ids: Vec<Uuid> = refs
        .iter()
        .filter(|r| r.kind == ItemKind::Activity)
        .map(|r| r.id)
        .collect();
    // One read for every activity of the page rather than a get (and its relation
    // queries) each.
    let activities = records::readable_many(
        &mut c,
        ws,
        ObjectType::Activity,
        &activity_ids,
        &activity_ctx.viewer,
    )
    .await?;
    let mut items = Vec::with_capacity(refs.len());
    for r in &refs {
        match r.kind {
            ItemKind::Activity => {
                if let Some(rec) = activities.iter().find(|a| a.id == r.id) {
                    items.push(Item::Activity {
                        at: r.at,
                        activity: rapport_core::record::render(
                            rec,
                            &|f| activity_ctx.visible(f),
                            None,
                        ),
                    });
                }
            }
            ItemKind::Change => {
                let Some(e) = entries.iter().find(|e| e.id.as_uuid() == r.id) else {
                    continue;
                };
                let changes = e
                    .changes
                    .as_ref()
                    .and_then(Json::as_array)
                    .map(|list| {
                        list.iter()
                            .filter(|c| {
                                c.get("field")
                                    .and_then(Json::as_str)
                                    .is_some_and(|f| subject_ctx.visible(f))
                            })
                            .cloned()
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default();
                items.push(Item::Change {
                    at: r.at,
                    id: r.id,
                    action: e.action.clone(),
                    actor_kind: e.actor_kind.clone(),
                    actor_id: e.actor_id,
                    changes: Json::Array(changes),
                });
            }
        }
    }
    let next_cursor = if more {
        refs.last().map(|r| encode(r.at, r.id))
    } else {
        None
    };
    Ok(TimelinePage { items, next_cursor })
}

use rapport_core::Id;
