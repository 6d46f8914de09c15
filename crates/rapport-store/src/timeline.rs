//! The timeline of a record: its activities and its audited changes, newest first, from one
//! query (a UNION), paged by (time, id). Activities are filtered by the access policy; a
//! company's timeline also holds the activities of its contacts.

use rapport_core::access::Viewer;
use rapport_core::object::ObjectType;
use rapport_core::{Timestamp, WorkspaceId};
use sea_query::{Alias, Condition, Expr, ExprTrait, Order, Query, UnionType};
use uuid::Uuid;

use crate::db::{Conn, id, opt_uuid, ts};
use crate::error::StoreError;
use crate::records::readable_condition;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    Activity,
    Change,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ItemRef {
    pub kind: ItemKind,
    pub id: Uuid,
    pub at: Timestamp,
}

fn a(c: &str) -> Alias {
    Alias::new(c)
}

pub async fn page(
    c: &mut Conn,
    ws: WorkspaceId,
    subject: ObjectType,
    subject_id: Uuid,
    viewer: &Viewer,
    after: Option<(Timestamp, Uuid)>,
    limit: u64,
) -> Result<Vec<ItemRef>, StoreError> {
    let l = a("l");
    let mut linked = Condition::any().add(
        Expr::col((l.clone(), a("object_type")))
            .eq(subject.as_str())
            .and(Expr::col((l.clone(), a("record_id"))).eq(opt_uuid(Some(subject_id)))),
    );
    if subject == ObjectType::Company {
        let contacts = Query::select()
            .column(a("id"))
            .from(a("contacts"))
            .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
            .and_where(Expr::col(a("company_id")).eq(opt_uuid(Some(subject_id))))
            .and_where(Expr::col(a("deleted_at")).is_null())
            .to_owned();
        linked = linked.add(
            Expr::col((l.clone(), a("object_type")))
                .eq("contact")
                .and(Expr::col((l.clone(), a("record_id"))).in_subquery(contacts)),
        );
    }
    let links = Query::select()
        .column((l.clone(), a("activity_id")))
        .from_as(a("activity_links"), l.clone())
        .and_where(Expr::col((l.clone(), a("workspace_id"))).eq(id(ws)))
        .cond_where(linked)
        .to_owned();
    let act = a("r");
    let mut activities = Query::select();
    activities
        .expr_as(Expr::cust("'activity'"), a("kind"))
        .expr_as(Expr::col((act.clone(), a("id"))), a("item_id"))
        .expr_as(Expr::col((act.clone(), a("timeline_at"))), a("at"))
        .from_as(a("activities"), act.clone())
        .and_where(Expr::col((act.clone(), a("workspace_id"))).eq(id(ws)))
        .and_where(Expr::col((act.clone(), a("deleted_at"))).is_null())
        .and_where(Expr::col((act.clone(), a("id"))).in_subquery(links));
    if let Some(cond) = readable_condition(ws, ObjectType::Activity, viewer) {
        activities.cond_where(cond);
    }
    let changes = Query::select()
        .expr_as(Expr::cust("'change'"), a("kind"))
        .expr_as(Expr::col(a("id")), a("item_id"))
        .expr_as(Expr::col(a("at")), a("at"))
        .from(a("audit_log"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a("object_type")).eq(subject.as_str()))
        .and_where(Expr::col(a("object_id")).eq(opt_uuid(Some(subject_id))))
        .to_owned();
    let union = activities.union(UnionType::All, changes).to_owned();
    let t = a("t");
    let mut q = Query::select();
    q.columns([
        (t.clone(), a("kind")),
        (t.clone(), a("item_id")),
        (t.clone(), a("at")),
    ])
    .from_subquery(union, t.clone());
    if let Some((at, last)) = after {
        q.cond_where(
            Condition::any()
                .add(Expr::col((t.clone(), a("at"))).lt(ts(at)))
                .add(
                    Expr::col((t.clone(), a("at")))
                        .eq(ts(at))
                        .and(Expr::col((t.clone(), a("item_id"))).lt(opt_uuid(Some(last)))),
                ),
        );
    }
    q.order_by((t.clone(), a("at")), Order::Desc)
        .order_by((t, a("item_id")), Order::Desc)
        .limit(limit);
    c.fetch_all(&q)
        .await?
        .iter()
        .map(|row| {
            let kind = match row.string("kind")?.as_str() {
                "activity" => ItemKind::Activity,
                _ => ItemKind::Change,
            };
            Ok(ItemRef {
                kind,
                id: row.uuid_col("item_id")?,
                at: row.ts("at")?,
            })
        })
        .collect()
}
