//! The relation tables behind list-valued fields: tags of any record, links of activities,
//! the companies of a contact and the contacts of an opportunity.

use std::collections::{BTreeMap, HashMap};

use rapport_core::object::ObjectType;
use rapport_core::value::{Link, RoleLink, Value};
use rapport_core::{Timestamp, WorkspaceId};
use sea_query::{Alias, Expr, ExprTrait, Order, Query};
use uuid::Uuid;

use crate::db::{Conn, Tx, id, opt_uuid, ts};
use crate::error::StoreError;

/// A role table: (table, owning column, related column).
pub(super) fn role_table(
    object: ObjectType,
) -> Option<(&'static str, &'static str, &'static str, &'static str)> {
    match object {
        ObjectType::Contact => Some(("contact_companies", "contact_id", "company_id", "companies")),
        ObjectType::Opportunity => Some((
            "opportunity_contacts",
            "opportunity_id",
            "contact_id",
            "contacts",
        )),
        _ => None,
    }
}

async fn delete_where(
    tx: &mut Tx,
    table: &str,
    ws: WorkspaceId,
    conds: Vec<(&str, Expr)>,
) -> Result<(), StoreError> {
    let mut q = Query::delete();
    q.from_table(Alias::new(table))
        .and_where(Expr::col(Alias::new("workspace_id")).eq(id(ws)));
    for (c, v) in conds {
        q.and_where(Expr::col(Alias::new(c)).eq(v));
    }
    tx.execute(&q).await.map(drop)
}

/// Replaces the relations named in `values` (fields absent from `values` stay as they are).
pub(crate) async fn write(
    tx: &mut Tx,
    ws: WorkspaceId,
    object: ObjectType,
    record: Uuid,
    values: &BTreeMap<&'static str, Value>,
    now: Timestamp,
) -> Result<(), StoreError> {
    if let Some(Value::Ids(tags)) = values.get("tag_ids") {
        delete_where(
            tx,
            "record_tags",
            ws,
            vec![
                ("object_type", Expr::val(object.as_str())),
                ("record_id", opt_uuid(Some(record))),
            ],
        )
        .await?;
        for tag in tags {
            let q = Query::insert()
                .into_table(Alias::new("record_tags"))
                .columns([
                    Alias::new("workspace_id"),
                    Alias::new("object_type"),
                    Alias::new("record_id"),
                    Alias::new("tag_id"),
                ])
                .values_panic([
                    id(ws),
                    Expr::val(object.as_str()),
                    opt_uuid(Some(record)),
                    opt_uuid(Some(*tag)),
                ])
                .to_owned();
            tx.execute(&q).await?;
        }
    }
    if object == ObjectType::Activity
        && let Some(Value::Links(links)) = values.get("links")
    {
        delete_where(
            tx,
            "activity_links",
            ws,
            vec![("activity_id", opt_uuid(Some(record)))],
        )
        .await?;
        for l in links {
            let q = Query::insert()
                .into_table(Alias::new("activity_links"))
                .columns([
                    Alias::new("workspace_id"),
                    Alias::new("activity_id"),
                    Alias::new("object_type"),
                    Alias::new("record_id"),
                ])
                .values_panic([
                    id(ws),
                    opt_uuid(Some(record)),
                    Expr::val(l.object.as_str()),
                    opt_uuid(Some(l.id)),
                ])
                .to_owned();
            tx.execute(&q).await?;
        }
    }
    if let Some((table, own, other, field)) = role_table(object)
        && let Some(Value::Roles(roles)) = values.get(field)
    {
        delete_where(tx, table, ws, vec![(own, opt_uuid(Some(record)))]).await?;
        for r in roles {
            let q = Query::insert()
                .into_table(Alias::new(table))
                .columns([
                    Alias::new("workspace_id"),
                    Alias::new(own),
                    Alias::new(other),
                    Alias::new("role"),
                    Alias::new("created_at"),
                ])
                .values_panic([
                    id(ws),
                    opt_uuid(Some(record)),
                    opt_uuid(Some(r.id)),
                    Expr::val(r.role.clone()),
                    ts(now),
                ])
                .to_owned();
            tx.execute(&q).await?;
        }
    }
    Ok(())
}

/// Fills the list-valued fields of `records` (all of one object) with two or three queries.
pub(crate) async fn load(
    c: &mut Conn,
    ws: WorkspaceId,
    records: &mut [rapport_core::record::Record],
) -> Result<(), StoreError> {
    let Some(first) = records.first() else {
        return Ok(());
    };
    let object = first.object;
    let ids: Vec<Uuid> = records.iter().map(|r| r.id).collect();
    let in_ids =
        |col: &str| Expr::col(Alias::new(col)).is_in(ids.iter().map(|u| opt_uuid(Some(*u))));

    let q = Query::select()
        .columns([Alias::new("record_id"), Alias::new("tag_id")])
        .from(Alias::new("record_tags"))
        .and_where(Expr::col(Alias::new("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(Alias::new("object_type")).eq(object.as_str()))
        .and_where(in_ids("record_id"))
        .to_owned();
    // Sorted here rather than by ORDER BY, which tempts SQLite's planner into walking the
    // tag index over every tagged record instead of looking up these few.
    let mut tags: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for row in c.fetch_all(&q).await? {
        tags.entry(row.uuid_col("record_id")?)
            .or_default()
            .push(row.uuid_col("tag_id")?);
    }
    tags.values_mut().for_each(|v| v.sort_unstable());

    let mut links: HashMap<Uuid, Vec<Link>> = HashMap::new();
    if object == ObjectType::Activity {
        let q = Query::select()
            .columns([
                Alias::new("activity_id"),
                Alias::new("object_type"),
                Alias::new("record_id"),
            ])
            .from(Alias::new("activity_links"))
            .and_where(Expr::col(Alias::new("workspace_id")).eq(id(ws)))
            .and_where(in_ids("activity_id"))
            .to_owned();
        for row in c.fetch_all(&q).await? {
            let object: ObjectType = row
                .string("object_type")?
                .parse()
                .map_err(|_| StoreError::Decode("bad link type".into()))?;
            links
                .entry(row.uuid_col("activity_id")?)
                .or_default()
                .push(Link {
                    object,
                    id: row.uuid_col("record_id")?,
                });
        }
        links.values_mut().for_each(|v| v.sort_unstable());
    }

    let mut roles: HashMap<Uuid, Vec<RoleLink>> = HashMap::new();
    if let Some((table, own, other, _)) = role_table(object) {
        let q = Query::select()
            .columns([Alias::new(own), Alias::new(other), Alias::new("role")])
            .from(Alias::new(table))
            .and_where(Expr::col(Alias::new("workspace_id")).eq(id(ws)))
            .and_where(in_ids(own))
            .order_by(Alias::new("created_at"), Order::Asc)
            .order_by(Alias::new(other), Order::Asc)
            .to_owned();
        for row in c.fetch_all(&q).await? {
            roles.entry(row.uuid_col(own)?).or_default().push(RoleLink {
                id: row.uuid_col(other)?,
                role: row.opt_string("role")?,
            });
        }
    }

    for r in records.iter_mut() {
        r.values.insert(
            "tag_ids",
            Value::Ids(tags.remove(&r.id).unwrap_or_default()),
        );
        if object == ObjectType::Activity {
            r.values.insert(
                "links",
                Value::Links(links.remove(&r.id).unwrap_or_default()),
            );
        }
        if let Some((_, _, _, field)) = role_table(object) {
            r.values
                .insert(field, Value::Roles(roles.remove(&r.id).unwrap_or_default()));
        }
    }
    Ok(())
}

/// Removes every relation row of a record, in both directions.
pub(crate) async fn purge(
    tx: &mut Tx,
    ws: WorkspaceId,
    object: ObjectType,
    record: Uuid,
) -> Result<(), StoreError> {
    let rec = opt_uuid(Some(record));
    delete_where(
        tx,
        "record_tags",
        ws,
        vec![
            ("object_type", Expr::val(object.as_str())),
            ("record_id", rec.clone()),
        ],
    )
    .await?;
    match object {
        ObjectType::Activity => {
            delete_where(tx, "activity_links", ws, vec![("activity_id", rec)]).await?
        }
        other => {
            delete_where(
                tx,
                "activity_links",
                ws,
                vec![
                    ("object_type", Expr::val(other.as_str())),
                    ("record_id", rec.clone()),
                ],
            )
            .await?;
            match other {
                ObjectType::Contact => {
                    delete_where(
                        tx,
                        "contact_companies",
                        ws,
                        vec![("contact_id", rec.clone())],
                    )
                    .await?;
                    delete_where(tx, "opportunity_contacts", ws, vec![("contact_id", rec)]).await?;
                }
                ObjectType::Company => {
                    delete_where(tx, "contact_companies", ws, vec![("company_id", rec)]).await?
                }
                ObjectType::Opportunity => {
                    delete_where(
                        tx,
                        "opportunity_contacts",
                        ws,
                        vec![("opportunity_id", rec.clone())],
                    )
                    .await?;
                    delete_where(
                        tx,
                        "opportunity_stage_history",
                        ws,
                        vec![("opportunity_id", rec)],
                    )
                    .await?;
                }
                _ => {}
            }
        }
    }
    Ok(())
}
