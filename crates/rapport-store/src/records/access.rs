//! The access policy of `rapport_core::access` as SQL conditions, so that lists, counts,
//! search and timelines filter in the database exactly as the policy decides per record.
//! A store test compares the two on random data.

use rapport_core::access::Viewer;
use rapport_core::object::ObjectType;
use rapport_core::{Role, WorkspaceId};
use sea_query::{Alias, Condition, Expr, ExprTrait, Query};

use crate::db::id;
use crate::schema::Users as U;

/// Owners who are members of any of `teams`.
fn owners_in(ws: WorkspaceId, owner: Expr, teams: &[rapport_core::TeamId]) -> Expr {
    let sub = Query::select()
        .column(U::Id)
        .from(U::Table)
        .and_where(Expr::col(U::WorkspaceId).eq(id(ws)))
        .and_where(Expr::col(U::TeamId).is_in(teams.iter().map(|t| id(*t))))
        .to_owned();
    owner.in_subquery(sub)
}

/// Records of `object` shared with the viewer (or their team) with at least `access`.
fn shared(ws: WorkspaceId, object: ObjectType, record: Expr, v: &Viewer, write: bool) -> Expr {
    let mut grantee = Condition::any().add(
        Expr::col((Alias::new("sh"), Alias::new("grantee_type")))
            .eq("user")
            .and(Expr::col((Alias::new("sh"), Alias::new("grantee_id"))).eq(id(v.user_id))),
    );
    if let Some(team) = v.team_id {
        grantee = grantee.add(
            Expr::col((Alias::new("sh"), Alias::new("grantee_type")))
                .eq("team")
                .and(Expr::col((Alias::new("sh"), Alias::new("grantee_id"))).eq(id(team))),
        );
    }
    let mut sub = Query::select();
    sub.column((Alias::new("sh"), Alias::new("record_id")))
        .from_as(Alias::new("shares"), Alias::new("sh"))
        .and_where(Expr::col((Alias::new("sh"), Alias::new("workspace_id"))).eq(id(ws)))
        .and_where(Expr::col((Alias::new("sh"), Alias::new("object_type"))).eq(object.as_str()))
        .cond_where(grantee);
    if write {
        sub.and_where(Expr::col((Alias::new("sh"), Alias::new("access"))).eq("read_write"));
    }
    record.in_subquery(sub.to_owned())
}

/// The condition under which the viewer may read a row of `object` aliased `r`; `None`
/// when every row qualifies (admins).
pub(crate) fn readable(
    ws: WorkspaceId,
    object: ObjectType,
    v: &Viewer,
    r: &Alias,
) -> Option<Condition> {
    if v.role == Role::Admin {
        return None;
    }
    let col = |c: &str| Expr::col((r.clone(), Alias::new(c)));
    let mut any = Condition::any()
        .add(col("visibility").eq("workspace"))
        .add(col("owner_id").eq(id(v.user_id)));
    if let Some(team) = v.team_id {
        any = any.add(
            col("visibility")
                .eq("team")
                .and(owners_in(ws, col("owner_id"), &[team])),
        );
    }
    if !v.managed_teams.is_empty() {
        any = any.add(owners_in(ws, col("owner_id"), &v.managed_teams));
    }
    any = any.add(shared(ws, object, col("id"), v, false));
    Some(any)
}

/// The condition under which the viewer may change a row; `None` for admins.
pub(crate) fn writable(
    ws: WorkspaceId,
    object: ObjectType,
    v: &Viewer,
    r: &Alias,
) -> Option<Condition> {
    if v.role == Role::Admin {
        return None;
    }
    if v.role == Role::ReadOnly {
        return Some(Condition::all().add(Expr::val(1).eq(0)));
    }
    let col = |c: &str| Expr::col((r.clone(), Alias::new(c)));
    let mut any = Condition::any().add(col("owner_id").eq(id(v.user_id)));
    if !v.managed_teams.is_empty() {
        any = any.add(owners_in(ws, col("owner_id"), &v.managed_teams));
    }
    any = any.add(shared(ws, object, col("id"), v, true));
    Some(any)
}
