//! References from a record to other records, users and tags are checked through the same
//! policy as reads: pointing at something the caller cannot see is "no such record" (422),
//! never a way to learn that it exists.

use std::collections::BTreeMap;

use rapport_core::access::authorize_owner;
use rapport_core::catalogue::{self, Kind};
use rapport_core::object::ObjectType;
use rapport_core::record::Record;
use rapport_core::value::Value;
use rapport_core::{ErrorCode, FieldError, Id, UserId};
use rapport_store::{records, tags};
use uuid::Uuid;

use super::RecordContext;
use crate::error::{AppError, AppResult};
use crate::write::Write;

fn unknown(field: &str, what: &str) -> FieldError {
    FieldError::new(
        field,
        ErrorCode::UnknownReference,
        format!("no such {what}"),
    )
}

/// The owner must be a user of the workspace the caller may assign records to.
pub(super) async fn check_owner(
    w: &mut Write,
    ctx: &RecordContext,
    owner: UserId,
) -> AppResult<()> {
    let teams = records::user_teams(&mut w.tx, w.ws, &[owner]).await?;
    let Some(team) = teams.get(&owner) else {
        return Err(AppError::invalid(unknown("owner_id", "user")));
    };
    authorize_owner(&ctx.viewer, owner, *team).map_err(AppError::Forbidden)
}

async fn readable(
    w: &mut Write,
    ctx: &RecordContext,
    object: ObjectType,
    ids: &[Uuid],
) -> AppResult<Vec<Uuid>> {
    Ok(records::readable_ids(&mut w.tx, w.ws, object, ids, &ctx.viewer).await?)
}

/// Checks every reference in `values`. `current` is the record before the change, whose own
/// references need no second check.
pub(super) async fn check(
    w: &mut Write,
    ctx: &RecordContext,
    values: &BTreeMap<&'static str, Value>,
    current: Option<&Record>,
) -> AppResult<()> {
    let mut errors = Vec::new();
    for (name, value) in values {
        let Some(field) = catalogue::find(ctx.object, name) else {
            continue;
        };
        if current.is_some_and(|c| c.get(name) == value) {
            continue;
        }
        match (field.kind, value) {
            (Kind::Ref(target), Value::Id(id)) => {
                if target == ctx.object && current.is_some_and(|c| c.id == *id) {
                    errors.push(FieldError::new(
                        *name,
                        ErrorCode::NotAllowed,
                        "cannot point at itself",
                    ));
                } else if readable(w, ctx, target, &[*id]).await?.is_empty() {
                    errors.push(unknown(name, target.as_str()));
                } else if ctx.object == ObjectType::Company
                    && *name == "parent_id"
                    && let Some(c) = current
                    && would_cycle(w, c.id, *id).await?
                {
                    errors.push(FieldError::new(
                        *name,
                        ErrorCode::NotAllowed,
                        "a company cannot be its own parent or ancestor",
                    ));
                }
            }
            (Kind::Roles(target), Value::Roles(list)) => {
                let ids: Vec<Uuid> = list.iter().map(|r| r.id).collect();
                let ok = readable(w, ctx, target, &ids).await?;
                for (i, r) in list.iter().enumerate() {
                    if !ok.contains(&r.id) {
                        errors.push(unknown(&format!("{name}[{i}].id"), target.as_str()));
                    }
                }
            }
            (Kind::Links, Value::Links(links)) => {
                for (i, l) in links.iter().enumerate() {
                    if readable(w, ctx, l.object, &[l.id]).await?.is_empty() {
                        errors.push(unknown(&format!("{name}[{i}].id"), l.object.as_str()));
                    }
                }
            }
            (Kind::Tags, Value::Ids(ids)) => {
                let existing = tags::existing(&mut w.tx, w.ws, ids).await?;
                for (i, t) in ids.iter().enumerate() {
                    if !existing.contains(t) {
                        errors.push(unknown(&format!("{name}[{i}]"), "tag"));
                    }
                }
            }
            (Kind::UserRef, Value::Id(id))
                if *name != "owner_id"
                    && records::user_teams(&mut w.tx, w.ws, &[UserId::from_uuid(*id)])
                        .await?
                        .is_empty() =>
            {
                errors.push(unknown(name, "user"));
            }
            _ => {}
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(errors))
    }
}

/// Would making `parent` the parent of `company` close a loop?
async fn would_cycle(w: &mut Write, company: Uuid, parent: Uuid) -> AppResult<bool> {
    let mut seen = vec![company];
    let mut next = Some(parent);
    while let Some(id) = next {
        if seen.contains(&id) {
            return Ok(true);
        }
        seen.push(id);
        if seen.len() > 1000 {
            return Ok(true);
        }
        let rec = records::get(
            &mut w.tx,
            w.ws,
            ObjectType::Company,
            id,
            None,
            records::Trash::Any,
        )
        .await?;
        next = rec.and_then(|r| r.get("parent_id").as_id());
    }
    Ok(false)
}
