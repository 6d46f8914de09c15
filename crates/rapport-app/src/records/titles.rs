//! The names a page shows for the records its rows refer to (a deal's company, an
//! activity's contact): read under the access policy, with only the fields a title needs,
//! one record context for all and one statement per hundred ids, instead of a full list call
//! (every field, every relation, a fresh context) per hundred ids.

use std::collections::HashMap;

use rapport_core::object::ObjectType;
use rapport_core::query::MAX_IN_VALUES;
use rapport_store::records::{self, ListSpec};
use uuid::Uuid;

use super::{RecordContext, parse_list, view};
use crate::error::AppResult;
use crate::search::{describe, title_fields};
use crate::{App, Caller};

/// Ids per statement: as many as an `in` filter takes.
const IDS_PER_QUERY: usize = MAX_IN_VALUES;

/// The title of each record of `object` among `ids` that the caller may read, as search
/// and record pages show it (hidden fields left out of it). Ids the caller may not read,
/// in the trash or unknown are simply absent, so a page cannot tell them apart.
pub async fn titles(
    app: &App,
    caller: &Caller,
    object: ObjectType,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, String>> {
    let mut out = HashMap::with_capacity(ids.len());
    if ids.is_empty() {
        return Ok(out);
    }
    let mut c = app.db.read().await?;
    let ctx = RecordContext::load(&mut c, &caller.principal, object).await?;
    // A field the caller may not see is not asked for: the list would refuse it.
    let fields: Vec<&str> = title_fields(object)
        .iter()
        .copied()
        .filter(|f| ctx.visible(f))
        .collect();
    let ws = caller.principal.workspace_id;
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let wanted: Vec<String> = chunk.iter().map(Uuid::to_string).collect();
        let mut params = vec![("filter[id][in]".to_owned(), wanted.join(","))];
        if !fields.is_empty() {
            params.push(("fields".to_owned(), fields.join(",")));
        }
        let q = parse_list(&ctx, &params)?;
        let spec = ListSpec {
            query: &q,
            after: None,
            limit: chunk.len() as u64,
            relations: false,
        };
        for row in records::list(&mut c, ws, object, &ctx.viewer, &spec).await? {
            let json = view(&ctx, &row.record, q.fields.as_deref()).json;
            out.insert(row.record.id, describe(object, &json).0);
        }
    }
    Ok(out)
}
