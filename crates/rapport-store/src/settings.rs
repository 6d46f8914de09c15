//! Per-workspace record settings: custom field definitions, field-level rules and the
//! default visibility of each object.

use rapport_core::access::FieldRule;
use rapport_core::custom::{CustomFieldDef, CustomKind};
use rapport_core::object::{ObjectType, Visibility};
use rapport_core::{Role, Timestamp, WorkspaceId};
use sea_query::{Alias, Expr, ExprTrait, OnConflict, Order, Query};
use serde_json::Value as Json;
use uuid::Uuid;

use crate::db::{Conn, Row, Tx, id, json, opt_uuid, ts};
use crate::error::StoreError;

fn a(c: &str) -> Alias {
    Alias::new(c)
}

/// A custom field as administered.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomField {
    pub id: Uuid,
    pub object: ObjectType,
    pub key: String,
    pub label: String,
    pub kind: CustomKind,
    pub required: bool,
    pub options: Vec<String>,
    pub position: i64,
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl CustomField {
    pub fn def(&self) -> CustomFieldDef {
        CustomFieldDef {
            key: self.key.clone(),
            kind: self.kind,
            required: self.required,
            options: self.options.clone(),
        }
    }
}

const CF: [&str; 11] = [
    "id",
    "object_type",
    "key",
    "label",
    "kind",
    "required",
    "options",
    "position",
    "version",
    "created_at",
    "updated_at",
];

fn decode_cf(r: &Row) -> Result<CustomField, StoreError> {
    let object: ObjectType = r
        .string("object_type")?
        .parse()
        .map_err(|_| StoreError::Decode("object".into()))?;
    let kind = CustomKind::parse(&r.string("kind")?)
        .ok_or_else(|| StoreError::Decode("custom kind".into()))?;
    let options = r
        .opt_json("options")?
        .and_then(|j| j.as_array().cloned())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    Ok(CustomField {
        id: r.uuid_col("id")?,
        object,
        key: r.string("key")?,
        label: r.string("label")?,
        kind,
        required: r.bool("required")?,
        options,
        position: r.i64("position")?,
        version: r.i64("version")?,
        created_at: r.ts("created_at")?,
        updated_at: r.ts("updated_at")?,
    })
}

pub async fn insert_custom_field(
    tx: &mut Tx,
    ws: WorkspaceId,
    f: &CustomField,
) -> Result<(), StoreError> {
    let q = Query::insert()
        .into_table(a("custom_fields"))
        .columns(std::iter::once(a("workspace_id")).chain(CF.iter().map(|c| a(c))))
        .values_panic([
            id(ws),
            opt_uuid(Some(f.id)),
            Expr::val(f.object.as_str()),
            Expr::val(f.key.clone()),
            Expr::val(f.label.clone()),
            Expr::val(f.kind.as_str()),
            Expr::val(f.required),
            json(Json::from(f.options.clone())),
            Expr::val(f.position),
            Expr::val(f.version),
            ts(f.created_at),
            ts(f.updated_at),
        ])
        .to_owned();
    tx.execute(&q)
        .await
        .map_err(|e| e.duplicate_on("key", "key"))
        .map(drop)
}

pub async fn custom_fields(
    c: &mut Conn,
    ws: WorkspaceId,
    object: Option<ObjectType>,
) -> Result<Vec<CustomField>, StoreError> {
    let mut q = Query::select();
    q.columns(CF.map(a))
        .from(a("custom_fields"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)));
    if let Some(o) = object {
        q.and_where(Expr::col(a("object_type")).eq(o.as_str()));
    }
    q.order_by(a("object_type"), Order::Asc)
        .order_by(a("position"), Order::Asc)
        .order_by(a("id"), Order::Asc);
    c.fetch_all(&q).await?.iter().map(decode_cf).collect()
}

pub async fn custom_field(
    c: &mut Conn,
    ws: WorkspaceId,
    field: Uuid,
) -> Result<Option<CustomField>, StoreError> {
    let q = Query::select()
        .columns(CF.map(a))
        .from(a("custom_fields"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a("id")).eq(opt_uuid(Some(field))))
        .to_owned();
    c.fetch_optional(&q)
        .await?
        .as_ref()
        .map(decode_cf)
        .transpose()
}

pub async fn update_custom_field(
    tx: &mut Tx,
    ws: WorkspaceId,
    f: &CustomField,
    expected_version: i64,
) -> Result<bool, StoreError> {
    let q = Query::update()
        .table(a("custom_fields"))
        .values([
            (a("label"), Expr::val(f.label.clone())),
            (a("required"), Expr::val(f.required)),
            (a("options"), json(Json::from(f.options.clone()))),
            (a("position"), Expr::val(f.position)),
            (a("updated_at"), ts(f.updated_at)),
        ])
        .value(a("version"), Expr::col(a("version")).add(1))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a("id")).eq(opt_uuid(Some(f.id))))
        .and_where(Expr::col(a("version")).eq(expected_version))
        .to_owned();
    Ok(tx.execute(&q).await? > 0)
}

pub async fn delete_custom_field(
    tx: &mut Tx,
    ws: WorkspaceId,
    field: Uuid,
) -> Result<bool, StoreError> {
    let q = Query::delete()
        .from_table(a("custom_fields"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a("id")).eq(opt_uuid(Some(field))))
        .to_owned();
    Ok(tx.execute(&q).await? > 0)
}

pub async fn field_rules(
    c: &mut Conn,
    ws: WorkspaceId,
    object: ObjectType,
) -> Result<Vec<FieldRule>, StoreError> {
    let q = Query::select()
        .columns(["field", "role", "hidden"].map(a))
        .from(a("field_rules"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a("object_type")).eq(object.as_str()))
        .order_by(a("field"), Order::Asc)
        .order_by(a("role"), Order::Asc)
        .to_owned();
    c.fetch_all(&q)
        .await?
        .iter()
        .map(|r| {
            let role: Role = r
                .string("role")?
                .parse()
                .map_err(|_| StoreError::Decode("role".into()))?;
            Ok(FieldRule {
                role,
                field: r.string("field")?,
                hidden: r.bool("hidden")?,
            })
        })
        .collect()
}

/// Replaces every field rule of an object.
pub async fn set_field_rules(
    tx: &mut Tx,
    ws: WorkspaceId,
    object: ObjectType,
    rules: &[FieldRule],
    now: Timestamp,
) -> Result<(), StoreError> {
    let clear = Query::delete()
        .from_table(a("field_rules"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a("object_type")).eq(object.as_str()))
        .to_owned();
    tx.execute(&clear).await?;
    for r in rules {
        let q = Query::insert()
            .into_table(a("field_rules"))
            .columns(
                [
                    "workspace_id",
                    "object_type",
                    "field",
                    "role",
                    "hidden",
                    "updated_at",
                ]
                .map(a),
            )
            .values_panic([
                id(ws),
                Expr::val(object.as_str()),
                Expr::val(r.field.clone()),
                Expr::val(r.role.as_str()),
                Expr::val(r.hidden),
                ts(now),
            ])
            .to_owned();
        tx.execute(&q).await?;
    }
    Ok(())
}

/// The default visibility of new records of `object`, when the workspace set one.
pub async fn default_visibility(
    c: &mut Conn,
    ws: WorkspaceId,
    object: ObjectType,
) -> Result<Option<Visibility>, StoreError> {
    let q = Query::select()
        .column(a("default_visibility"))
        .from(a("object_settings"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a("object_type")).eq(object.as_str()))
        .to_owned();
    match c.fetch_optional(&q).await? {
        Some(r) => Ok(r.string("default_visibility")?.parse().ok()),
        None => Ok(None),
    }
}

pub async fn set_default_visibility(
    tx: &mut Tx,
    ws: WorkspaceId,
    object: ObjectType,
    v: Visibility,
    now: Timestamp,
) -> Result<(), StoreError> {
    let q = Query::insert()
        .into_table(a("object_settings"))
        .columns(
            [
                "workspace_id",
                "object_type",
                "default_visibility",
                "updated_at",
            ]
            .map(a),
        )
        .values_panic([
            id(ws),
            Expr::val(object.as_str()),
            Expr::val(v.as_str()),
            ts(now),
        ])
        .on_conflict(
            OnConflict::columns([a("workspace_id"), a("object_type")])
                .update_columns([a("default_visibility"), a("updated_at")])
                .to_owned(),
        )
        .to_owned();
    tx.execute(&q).await.map(drop)
}
