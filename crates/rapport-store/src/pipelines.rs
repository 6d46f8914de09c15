//! Pipelines, their stages, and the stage history of opportunities.

use rapport_core::pipeline::StageKind;
use rapport_core::{Id, Timestamp, UserId, WorkspaceId};
use sea_query::{Alias, Expr, ExprTrait, IntoTableRef, Order, Query};
use uuid::Uuid;

use crate::db::{Conn, Row, Tx, id, opt_uuid, ts};
use crate::error::StoreError;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stage {
    pub id: Uuid,
    pub pipeline_id: Uuid,
    pub name: String,
    pub kind: StageKind,
    pub probability: i64,
    pub position: i64,
    pub version: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pipeline {
    pub id: Uuid,
    pub name: String,
    pub is_default: bool,
    pub position: i64,
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub stages: Vec<Stage>,
}

fn a(c: &str) -> Alias {
    Alias::new(c)
}

fn decode_stage(r: &Row) -> Result<Stage, StoreError> {
    let kind = r.string("kind")?;
    Ok(Stage {
        id: r.uuid_col("id")?,
        pipeline_id: r.uuid_col("pipeline_id")?,
        name: r.string("name")?,
        kind: StageKind::parse(&kind)
            .ok_or_else(|| StoreError::Decode(format!("stage kind {kind}")))?,
        probability: r.i64("probability")?,
        position: r.i64("position")?,
        version: r.i64("version")?,
    })
}

fn decode_pipeline(r: &Row) -> Result<Pipeline, StoreError> {
    Ok(Pipeline {
        id: r.uuid_col("id")?,
        name: r.string("name")?,
        is_default: r.bool("is_default")?,
        position: r.i64("position")?,
        version: r.i64("version")?,
        created_at: r.ts("created_at")?,
        updated_at: r.ts("updated_at")?,
        stages: Vec::new(),
    })
}

pub async fn insert_pipeline(
    tx: &mut Tx,
    ws: WorkspaceId,
    pipeline: Uuid,
    name: &str,
    is_default: bool,
    position: i64,
    now: Timestamp,
) -> Result<(), StoreError> {
    let q = Query::insert()
        .into_table(a("pipelines"))
        .columns(
            [
                "workspace_id",
                "id",
                "name",
                "name_key",
                "is_default",
                "position",
                "created_at",
                "updated_at",
                "version",
            ]
            .map(a),
        )
        .values_panic([
            id(ws),
            opt_uuid(Some(pipeline)),
            Expr::val(name),
            Expr::val(rapport_core::fold::sort_key(name)),
            Expr::val(is_default),
            Expr::val(position),
            ts(now),
            ts(now),
            Expr::val(1i64),
        ])
        .to_owned();
    tx.execute(&q)
        .await
        .map_err(|e| e.duplicate_on("name_key", "name"))
        .map(drop)
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_stage(
    tx: &mut Tx,
    ws: WorkspaceId,
    stage: Uuid,
    pipeline: Uuid,
    name: &str,
    kind: StageKind,
    probability: i64,
    position: i64,
    now: Timestamp,
) -> Result<(), StoreError> {
    let q = Query::insert()
        .into_table(a("stages"))
        .columns(
            [
                "workspace_id",
                "id",
                "pipeline_id",
                "name",
                "kind",
                "probability",
                "position",
                "created_at",
                "updated_at",
                "version",
            ]
            .map(a),
        )
        .values_panic([
            id(ws),
            opt_uuid(Some(stage)),
            opt_uuid(Some(pipeline)),
            Expr::val(name),
            Expr::val(kind.as_str()),
            Expr::val(probability),
            Expr::val(position),
            ts(now),
            ts(now),
            Expr::val(1i64),
        ])
        .to_owned();
    tx.execute(&q).await.map(drop)
}

async fn stages_of(
    c: &mut Conn,
    ws: WorkspaceId,
    pipelines: &[Uuid],
) -> Result<Vec<Stage>, StoreError> {
    if pipelines.is_empty() {
        return Ok(Vec::new());
    }
    let q = Query::select()
        .columns(
            [
                "id",
                "pipeline_id",
                "name",
                "kind",
                "probability",
                "position",
                "version",
            ]
            .map(a),
        )
        .from(a("stages"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a("pipeline_id")).is_in(pipelines.iter().map(|p| opt_uuid(Some(*p)))))
        .order_by(a("position"), Order::Asc)
        .order_by(a("id"), Order::Asc)
        .to_owned();
    c.fetch_all(&q).await?.iter().map(decode_stage).collect()
}

/// Every pipeline with its stages, default first, then by position.
pub async fn list(c: &mut Conn, ws: WorkspaceId) -> Result<Vec<Pipeline>, StoreError> {
    let q = Query::select()
        .columns(
            [
                "id",
                "name",
                "is_default",
                "position",
                "version",
                "created_at",
                "updated_at",
            ]
            .map(a),
        )
        .from(a("pipelines"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .order_by(a("is_default"), Order::Desc)
        .order_by(a("position"), Order::Asc)
        .order_by(a("id"), Order::Asc)
        .to_owned();
    let mut pipelines: Vec<Pipeline> = c
        .fetch_all(&q)
        .await?
        .iter()
        .map(decode_pipeline)
        .collect::<Result<_, _>>()?;
    let ids: Vec<Uuid> = pipelines.iter().map(|p| p.id).collect();
    let stages = stages_of(c, ws, &ids).await?;
    for p in &mut pipelines {
        p.stages = stages
            .iter()
            .filter(|s| s.pipeline_id == p.id)
            .cloned()
            .collect();
    }
    Ok(pipelines)
}

pub async fn get(
    c: &mut Conn,
    ws: WorkspaceId,
    pipeline: Uuid,
) -> Result<Option<Pipeline>, StoreError> {
    Ok(list(c, ws).await?.into_iter().find(|p| p.id == pipeline))
}

pub async fn default(c: &mut Conn, ws: WorkspaceId) -> Result<Option<Pipeline>, StoreError> {
    Ok(list(c, ws).await?.into_iter().next())
}

pub async fn stage(
    c: &mut Conn,
    ws: WorkspaceId,
    stage: Uuid,
) -> Result<Option<Stage>, StoreError> {
    let q = Query::select()
        .columns(
            [
                "id",
                "pipeline_id",
                "name",
                "kind",
                "probability",
                "position",
                "version",
            ]
            .map(a),
        )
        .from(a("stages"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a("id")).eq(opt_uuid(Some(stage))))
        .to_owned();
    c.fetch_optional(&q)
        .await?
        .as_ref()
        .map(decode_stage)
        .transpose()
}

pub async fn update_pipeline(
    tx: &mut Tx,
    ws: WorkspaceId,
    pipeline: Uuid,
    expected_version: i64,
    name: &str,
    is_default: bool,
    now: Timestamp,
) -> Result<bool, StoreError> {
    if is_default {
        let clear = Query::update()
            .table(a("pipelines"))
            .value(a("is_default"), Expr::val(false))
            .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
            .and_where(Expr::col(a("id")).ne(opt_uuid(Some(pipeline))))
            .to_owned();
        tx.execute(&clear).await?;
    }
    let q = Query::update()
        .table(a("pipelines"))
        .values([
            (a("name"), Expr::val(name)),
            (a("name_key"), Expr::val(rapport_core::fold::sort_key(name))),
            (a("is_default"), Expr::val(is_default)),
            (a("updated_at"), ts(now)),
        ])
        .value(a("version"), Expr::col(a("version")).add(1))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a("id")).eq(opt_uuid(Some(pipeline))))
        .and_where(Expr::col(a("version")).eq(expected_version))
        .to_owned();
    Ok(tx
        .execute(&q)
        .await
        .map_err(|e| e.duplicate_on("name_key", "name"))?
        > 0)
}

#[allow(clippy::too_many_arguments)]
pub async fn update_stage(
    tx: &mut Tx,
    ws: WorkspaceId,
    stage: Uuid,
    name: &str,
    kind: StageKind,
    probability: i64,
    position: i64,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let q = Query::update()
        .table(a("stages"))
        .values([
            (a("name"), Expr::val(name)),
            (a("kind"), Expr::val(kind.as_str())),
            (a("probability"), Expr::val(probability)),
            (a("position"), Expr::val(position)),
            (a("updated_at"), ts(now)),
        ])
        .value(a("version"), Expr::col(a("version")).add(1))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a("id")).eq(opt_uuid(Some(stage))))
        .to_owned();
    Ok(tx.execute(&q).await? > 0)
}

/// Opportunities (live or trashed) in a stage or, with `stage = None`, in the pipeline.
pub async fn opportunities_in(
    c: &mut Conn,
    ws: WorkspaceId,
    pipeline: Uuid,
    stage: Option<Uuid>,
) -> Result<i64, StoreError> {
    let mut q = Query::select();
    q.expr_as(Expr::cust("COUNT(*)"), a("n"))
        .from(a("opportunities"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a("pipeline_id")).eq(opt_uuid(Some(pipeline))));
    if let Some(s) = stage {
        q.and_where(Expr::col(a("stage_id")).eq(opt_uuid(Some(s))));
    }
    c.fetch_one(&q).await?.i64("n")
}

pub async fn delete_stage(tx: &mut Tx, ws: WorkspaceId, stage: Uuid) -> Result<bool, StoreError> {
    let q = Query::delete()
        .from_table(a("stages"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a("id")).eq(opt_uuid(Some(stage))))
        .to_owned();
    Ok(tx.execute(&q).await? > 0)
}

pub async fn delete_pipeline(
    tx: &mut Tx,
    ws: WorkspaceId,
    pipeline: Uuid,
) -> Result<bool, StoreError> {
    let stages = Query::delete()
        .from_table(a("stages"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a("pipeline_id")).eq(opt_uuid(Some(pipeline))))
        .to_owned();
    tx.execute(&stages).await?;
    let q = Query::delete()
        .from_table(a("pipelines"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a("id")).eq(opt_uuid(Some(pipeline))))
        .to_owned();
    Ok(tx.execute(&q).await? > 0)
}

/// One move of an opportunity between stages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageChange {
    pub id: Uuid,
    pub from_stage_id: Option<Uuid>,
    pub to_stage_id: Uuid,
    pub at: Timestamp,
    pub actor_id: Option<UserId>,
    pub amount_minor: Option<i64>,
    pub amount_currency: Option<String>,
    pub probability: Option<i64>,
}

const CHANGE_COLUMNS: [&str; 10] = [
    "workspace_id",
    "id",
    "opportunity_id",
    "from_stage_id",
    "to_stage_id",
    "at",
    "actor_id",
    "amount_minor",
    "amount_currency",
    "probability",
];

fn change_row(ws: WorkspaceId, opportunity: Uuid, change: &StageChange) -> Vec<Expr> {
    vec![
        id(ws),
        opt_uuid(Some(change.id)),
        opt_uuid(Some(opportunity)),
        opt_uuid(change.from_stage_id),
        opt_uuid(Some(change.to_stage_id)),
        ts(change.at),
        opt_uuid(change.actor_id.map(|u| u.as_uuid())),
        Expr::val(change.amount_minor),
        Expr::val(change.amount_currency.clone()),
        Expr::val(change.probability),
    ]
}

pub async fn record_change(
    tx: &mut Tx,
    ws: WorkspaceId,
    opportunity: Uuid,
    change: &StageChange,
) -> Result<(), StoreError> {
    let q = Query::insert()
        .into_table(a("opportunity_stage_history"))
        .columns(CHANGE_COLUMNS.map(a))
        .values_panic(change_row(ws, opportunity, change))
        .to_owned();
    tx.execute(&q).await.map(drop)
}

/// Many stage changes at once (imported or generated histories), one statement per chunk.
pub async fn record_changes(
    tx: &mut Tx,
    ws: WorkspaceId,
    changes: &[(Uuid, StageChange)],
) -> Result<(), StoreError> {
    let rows = changes
        .iter()
        .map(|(opportunity, change)| change_row(ws, *opportunity, change))
        .collect();
    crate::records::insert_rows(
        tx,
        a("opportunity_stage_history").into_table_ref(),
        &CHANGE_COLUMNS,
        rows,
    )
    .await
}

pub async fn history(
    c: &mut Conn,
    ws: WorkspaceId,
    opportunity: Uuid,
) -> Result<Vec<StageChange>, StoreError> {
    let q = Query::select()
        .columns(
            [
                "id",
                "from_stage_id",
                "to_stage_id",
                "at",
                "actor_id",
                "amount_minor",
                "amount_currency",
                "probability",
            ]
            .map(a),
        )
        .from(a("opportunity_stage_history"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a("opportunity_id")).eq(opt_uuid(Some(opportunity))))
        .order_by(a("at"), Order::Asc)
        .order_by(a("id"), Order::Asc)
        .to_owned();
    c.fetch_all(&q)
        .await?
        .iter()
        .map(|r| {
            Ok(StageChange {
                id: r.uuid_col("id")?,
                from_stage_id: r.opt_uuid("from_stage_id")?,
                to_stage_id: r.uuid_col("to_stage_id")?,
                at: r.ts("at")?,
                actor_id: r.opt_id("actor_id")?,
                amount_minor: r.opt_i64("amount_minor")?,
                amount_currency: r.opt_string("amount_currency")?,
                probability: r.opt_i64("probability")?,
            })
        })
        .collect()
}
