//! Explicit shares: one record granted to a user or a team, read or read-write.

use rapport_core::access::{Grant, Grantee, ShareAccess};
use rapport_core::object::ObjectType;
use rapport_core::{Id, Timestamp, UserId, WorkspaceId};
use sea_query::{Alias, Expr, ExprTrait, Order, Query};
use uuid::Uuid;

use crate::db::{Conn, Row, Tx, id, opt_uuid, ts};
use crate::error::StoreError;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Share {
    pub id: Uuid,
    pub object: ObjectType,
    pub record_id: Uuid,
    pub grantee: Grantee,
    pub access: ShareAccess,
    pub created_by: Option<UserId>,
    pub created_at: Timestamp,
}

fn t() -> Alias {
    Alias::new("shares")
}

fn c(name: &str) -> Alias {
    Alias::new(name)
}

fn decode(row: &Row) -> Result<Share, StoreError> {
    let object: ObjectType = row
        .string("object_type")?
        .parse()
        .map_err(|_| StoreError::Decode("bad object".into()))?;
    let grant = crate::records::grant(
        &row.string("grantee_type")?,
        row.uuid_col("grantee_id")?,
        &row.string("access")?,
    )
    .ok_or_else(|| StoreError::Decode("bad share".into()))?;
    Ok(Share {
        id: row.uuid_col("id")?,
        object,
        record_id: row.uuid_col("record_id")?,
        grantee: grant.grantee,
        access: grant.access,
        created_by: row.opt_id("created_by")?,
        created_at: row.ts("created_at")?,
    })
}

const COLUMNS: [&str; 8] = [
    "id",
    "object_type",
    "record_id",
    "grantee_type",
    "grantee_id",
    "access",
    "created_by",
    "created_at",
];

fn grantee_parts(g: Grantee) -> (&'static str, Uuid) {
    match g {
        Grantee::User(u) => ("user", u.as_uuid()),
        Grantee::Team(t) => ("team", t.as_uuid()),
    }
}

/// Grants or changes a share; a second share to the same grantee replaces the first.
pub async fn upsert(tx: &mut Tx, ws: WorkspaceId, share: &Share) -> Result<Share, StoreError> {
    let (gt, gid) = grantee_parts(share.grantee);
    let q = Query::insert()
        .into_table(t())
        .columns(
            [c("workspace_id")]
                .into_iter()
                .chain(COLUMNS.iter().map(|x| c(x))),
        )
        .values_panic([
            id(ws),
            opt_uuid(Some(share.id)),
            Expr::val(share.object.as_str()),
            opt_uuid(Some(share.record_id)),
            Expr::val(gt),
            opt_uuid(Some(gid)),
            Expr::val(share.access.as_str()),
            opt_uuid(share.created_by.map(|u| u.as_uuid())),
            ts(share.created_at),
        ])
        .on_conflict(
            sea_query::OnConflict::columns([
                c("workspace_id"),
                c("object_type"),
                c("record_id"),
                c("grantee_type"),
                c("grantee_id"),
            ])
            .update_column(c("access"))
            .to_owned(),
        )
        .to_owned();
    tx.execute(&q).await?;
    let q = Query::select()
        .columns(COLUMNS.iter().map(|x| c(x)))
        .from(t())
        .and_where(Expr::col(c("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(c("object_type")).eq(share.object.as_str()))
        .and_where(Expr::col(c("record_id")).eq(opt_uuid(Some(share.record_id))))
        .and_where(Expr::col(c("grantee_type")).eq(gt))
        .and_where(Expr::col(c("grantee_id")).eq(opt_uuid(Some(gid))))
        .to_owned();
    decode(&tx.fetch_one(&q).await?)
}

pub async fn get(c_: &mut Conn, ws: WorkspaceId, share: Uuid) -> Result<Option<Share>, StoreError> {
    let q = Query::select()
        .columns(COLUMNS.iter().map(|x| c(x)))
        .from(t())
        .and_where(Expr::col(c("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(c("id")).eq(opt_uuid(Some(share))))
        .to_owned();
    c_.fetch_optional(&q)
        .await?
        .as_ref()
        .map(decode)
        .transpose()
}

pub async fn of_record(
    c_: &mut Conn,
    ws: WorkspaceId,
    object: ObjectType,
    record: Uuid,
) -> Result<Vec<Share>, StoreError> {
    let q = Query::select()
        .columns(COLUMNS.iter().map(|x| c(x)))
        .from(t())
        .and_where(Expr::col(c("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(c("object_type")).eq(object.as_str()))
        .and_where(Expr::col(c("record_id")).eq(opt_uuid(Some(record))))
        .order_by(c("created_at"), Order::Asc)
        .to_owned();
    c_.fetch_all(&q).await?.iter().map(decode).collect()
}

pub(crate) async fn grants_of(
    c_: &mut Conn,
    ws: WorkspaceId,
    object: ObjectType,
    record: Uuid,
) -> Result<Vec<Grant>, StoreError> {
    Ok(of_record(c_, ws, object, record)
        .await?
        .into_iter()
        .map(|s| Grant {
            grantee: s.grantee,
            access: s.access,
        })
        .collect())
}

pub async fn delete(tx: &mut Tx, ws: WorkspaceId, share: Uuid) -> Result<bool, StoreError> {
    let q = Query::delete()
        .from_table(t())
        .and_where(Expr::col(c("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(c("id")).eq(opt_uuid(Some(share))))
        .to_owned();
    Ok(tx.execute(&q).await? > 0)
}

pub(crate) async fn purge_record(
    tx: &mut Tx,
    ws: WorkspaceId,
    object: ObjectType,
    record: Uuid,
) -> Result<(), StoreError> {
    let q = Query::delete()
        .from_table(t())
        .and_where(Expr::col(c("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(c("object_type")).eq(object.as_str()))
        .and_where(Expr::col(c("record_id")).eq(opt_uuid(Some(record))))
        .to_owned();
    tx.execute(&q).await.map(drop)
}
