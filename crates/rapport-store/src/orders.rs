//! Orders (DESIGN §4.10) and the fitted analytics models that read them.
//!
//! Orders are written in bulk by imports (multi-row INSERTs in batches) and read back for
//! analytics as compact (customer, day, amount) triples, page by page in customer order, so
//! that no query result holds more than one page of rows.

use rapport_core::object::ObjectType;
use rapport_core::{Id, Timestamp, UserId, WorkspaceId};
use sea_query::{Alias, Expr, ExprTrait, Order, Query};
use serde_json::Value as Json;
use uuid::Uuid;

use crate::db::{Conn, Row, Tx, day, id, json, opt_uuid, ts};
use crate::error::StoreError;

fn a(c: &str) -> Alias {
    Alias::new(c)
}

/// Who an analytics report treats as the customer of an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CustomerType {
    Contact,
    Company,
}

impl CustomerType {
    pub fn as_str(self) -> &'static str {
        match self {
            CustomerType::Contact => "contact",
            CustomerType::Company => "company",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "contact" => Some(CustomerType::Contact),
            "company" => Some(CustomerType::Company),
            _ => None,
        }
    }

    fn column(self) -> &'static str {
        match self {
            CustomerType::Contact => "contact_id",
            CustomerType::Company => "company_id",
        }
    }
}

/// An order to insert.
#[derive(Clone, Debug, PartialEq)]
pub struct NewOrder {
    pub id: Uuid,
    pub contact_id: Option<Uuid>,
    pub company_id: Option<Uuid>,
    pub ordered_at: time::Date,
    pub amount_minor: i64,
    pub currency: String,
    pub quantity: Option<i64>,
    /// `import`, `manual` or `api`.
    pub source: &'static str,
    pub external_id: Option<String>,
}

const ORDER_COLUMNS: [&str; 12] = [
    "workspace_id",
    "id",
    "contact_id",
    "company_id",
    "ordered_at",
    "amount_minor",
    "currency",
    "quantity",
    "source",
    "external_id",
    "created_at",
    "created_by",
];

/// Rows per INSERT statement: 12 bound values each stays well below both backends' limit on
/// parameters (32,766 on SQLite, 65,535 on PostgreSQL).
pub const INSERT_BATCH: usize = 1_000;

/// Inserts `orders` with multi-row INSERTs of at most [`INSERT_BATCH`] rows. A duplicate
/// external id fails the whole call as `Duplicate("external_id")`.
pub async fn insert_many(
    tx: &mut Tx,
    ws: WorkspaceId,
    orders: &[NewOrder],
    created_at: Timestamp,
    created_by: Option<UserId>,
) -> Result<u64, StoreError> {
    let mut inserted = 0;
    for chunk in orders.chunks(INSERT_BATCH) {
        let mut q = Query::insert();
        q.into_table(a("orders")).columns(ORDER_COLUMNS.map(a));
        for o in chunk {
            q.values_panic([
                id(ws),
                opt_uuid(Some(o.id)),
                opt_uuid(o.contact_id),
                opt_uuid(o.company_id),
                day(o.ordered_at),
                Expr::val(o.amount_minor),
                Expr::val(o.currency.clone()),
                Expr::val(o.quantity),
                Expr::val(o.source),
                Expr::val(o.external_id.clone()),
                ts(created_at),
                opt_uuid(created_by.map(|u| u.as_uuid())),
            ]);
        }
        inserted += tx
            .execute(&q)
            .await
            .map_err(|e| e.duplicate_on("external_id", "external_id"))?;
    }
    Ok(inserted)
}

/// Which of `external_ids` orders of this workspace already carry.
pub async fn existing_external_ids(
    c: &mut Conn,
    ws: WorkspaceId,
    external_ids: &[String],
) -> Result<Vec<String>, StoreError> {
    let mut out = Vec::new();
    for chunk in external_ids.chunks(INSERT_BATCH) {
        let q = Query::select()
            .column(a("external_id"))
            .from(a("orders"))
            .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
            .and_where(Expr::col(a("external_id")).is_in(chunk.iter().map(|s| s.as_str())))
            .to_owned();
        for row in c.fetch_all(&q).await? {
            out.push(row.string("external_id")?);
        }
    }
    Ok(out)
}

/// How an import names the contact an order belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContactKey {
    ExternalId,
    /// Compared case-insensitively with the contact's primary e-mail.
    Email,
}

/// A live contact found by its key, with the company it belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyedContact {
    pub key: String,
    pub contact_id: Uuid,
    pub company_id: Option<Uuid>,
}

/// Live contacts whose external id (exactly) or e-mail (lower-cased) is one of `keys`. For
/// e-mails, pass the keys lower-cased. Engine bookkeeping for imports, which only admins run:
/// no viewer, every contact of the workspace is a candidate.
pub async fn contacts_by_key(
    c: &mut Conn,
    ws: WorkspaceId,
    key: ContactKey,
    keys: &[String],
) -> Result<Vec<KeyedContact>, StoreError> {
    let column = match key {
        ContactKey::ExternalId => "external_id",
        ContactKey::Email => "email_key",
    };
    let mut out = Vec::new();
    for chunk in keys.chunks(INSERT_BATCH) {
        let q = Query::select()
            .columns([column, "id", "company_id"].map(a))
            .from(a("contacts"))
            .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
            .and_where(Expr::col(a("deleted_at")).is_null())
            .and_where(Expr::col(a(column)).is_in(chunk.iter().map(|s| s.as_str())))
            .to_owned();
        for row in c.fetch_all(&q).await? {
            out.push(KeyedContact {
                key: row.string(column)?,
                contact_id: row.uuid_col("id")?,
                company_id: row.opt_uuid("company_id")?,
            });
        }
    }
    Ok(out)
}

/// One order as analytics sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Purchase {
    pub customer: Uuid,
    pub day: time::Date,
    pub amount_minor: i64,
    pub currency: String,
}

/// Where a page of purchases ends; pass it back for the next page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PurchaseCursor {
    customer: Uuid,
    day: time::Date,
    id: Uuid,
}

/// One page of the orders (in any currency) whose customer of type `customer` is set, in
/// (customer, day, id) order, with the cursor of the next page (`None` at the end). Orders
/// of trashed customers are left out. Engine bookkeeping for workspace-wide analytics, which
/// the app layer authorizes for roles that see every record.
pub async fn purchases(
    c: &mut Conn,
    ws: WorkspaceId,
    customer: CustomerType,
    after: Option<PurchaseCursor>,
    limit: u64,
) -> Result<(Vec<Purchase>, Option<PurchaseCursor>), StoreError> {
    let col = customer.column();
    let parent = match customer {
        CustomerType::Contact => "contacts",
        CustomerType::Company => "companies",
    };
    let mut live = Query::select();
    live.column(a("id"))
        .from(a(parent))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a("deleted_at")).is_null());
    let mut q = Query::select();
    q.columns([col, "ordered_at", "id", "amount_minor", "currency"].map(a))
        .from(a("orders"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a(col)).is_not_null())
        .and_where(Expr::col(a(col)).in_subquery(live.to_owned()));
    if let Some(after) = after {
        q.and_where(
            Expr::tuple([
                Expr::col(a(col)),
                Expr::col(a("ordered_at")),
                Expr::col(a("id")),
            ])
            .gt(Expr::tuple([
                opt_uuid(Some(after.customer)),
                day(after.day),
                opt_uuid(Some(after.id)),
            ])),
        );
    }
    q.order_by(a(col), Order::Asc)
        .order_by(a("ordered_at"), Order::Asc)
        .order_by(a("id"), Order::Asc)
        .limit(limit);
    let rows = c.fetch_all(&q).await?;
    let mut out = Vec::with_capacity(rows.len());
    let mut last = None;
    for row in &rows {
        let p = Purchase {
            customer: row.uuid_col(col)?,
            day: row.day("ordered_at")?,
            amount_minor: row.i64("amount_minor")?,
            currency: row.string("currency")?,
        };
        last = Some(PurchaseCursor {
            customer: p.customer,
            day: p.day,
            id: row.uuid_col("id")?,
        });
        out.push(p);
    }
    let next = if rows.len() as u64 == limit {
        last
    } else {
        None
    };
    Ok((out, next))
}

/// The orders (in any currency) of one customer, oldest first. The caller has checked that the
/// viewer may read the customer's record.
pub async fn purchases_of(
    c: &mut Conn,
    ws: WorkspaceId,
    customer: CustomerType,
    customer_id: Uuid,
) -> Result<Vec<Purchase>, StoreError> {
    let col = customer.column();
    let q = Query::select()
        .columns(["ordered_at", "amount_minor", "currency"].map(a))
        .from(a("orders"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a(col)).eq(opt_uuid(Some(customer_id))))
        .order_by(a("ordered_at"), Order::Asc)
        .to_owned();
    c.fetch_all(&q)
        .await?
        .iter()
        .map(|row| {
            Ok(Purchase {
                customer: customer_id,
                day: row.day("ordered_at")?,
                amount_minor: row.i64("amount_minor")?,
                currency: row.string("currency")?,
            })
        })
        .collect()
}

/// Number of orders in the workspace.
pub async fn count(c: &mut Conn, ws: WorkspaceId) -> Result<i64, StoreError> {
    let q = Query::select()
        .expr_as(Expr::col(a("id")).count(), a("n"))
        .from(a("orders"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .to_owned();
    c.fetch_one(&q).await?.i64("n")
}

/// Before a contact or company is purged: orders that also name the other kind of customer
/// lose the link; orders of that customer alone are deleted with it.
pub(crate) async fn purge_customer(
    tx: &mut Tx,
    ws: WorkspaceId,
    object: ObjectType,
    record: Uuid,
) -> Result<(), StoreError> {
    let (col, other) = match object {
        ObjectType::Contact => ("contact_id", "company_id"),
        ObjectType::Company => ("company_id", "contact_id"),
        _ => return Ok(()),
    };
    let unlink = Query::update()
        .table(a("orders"))
        .value(a(col), opt_uuid(None))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a(col)).eq(opt_uuid(Some(record))))
        .and_where(Expr::col(a(other)).is_not_null())
        .to_owned();
    tx.execute(&unlink).await?;
    let delete = Query::delete()
        .from_table(a("orders"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a(col)).eq(opt_uuid(Some(record))))
        .to_owned();
    tx.execute(&delete).await.map(drop)
}

/// When two contacts or companies are merged, the survivor takes over the orders.
pub(crate) async fn repoint_customer(
    tx: &mut Tx,
    ws: WorkspaceId,
    object: ObjectType,
    from: Uuid,
    to: Uuid,
) -> Result<(), StoreError> {
    let col = match object {
        ObjectType::Contact => "contact_id",
        ObjectType::Company => "company_id",
        _ => return Ok(()),
    };
    let q = Query::update()
        .table(a("orders"))
        .value(a(col), opt_uuid(Some(to)))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a(col)).eq(opt_uuid(Some(from))))
        .to_owned();
    tx.execute(&q).await.map(drop)
}

// ---- fitted models ----

/// A stored model fit.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredModel {
    pub id: Uuid,
    /// `bgnbd`, `paretonbd`, `gammagamma` or `rfm`.
    pub kind: String,
    pub customer_type: CustomerType,
    pub params: Json,
    pub calibration_end: time::Date,
    pub customers: i64,
    pub log_likelihood: Option<f64>,
    pub fitted_at: Timestamp,
    pub fitted_by: Option<UserId>,
}

const MODEL_COLUMNS: [&str; 10] = [
    "id",
    "kind",
    "customer_type",
    "params",
    "calibration_end",
    "customers",
    "log_likelihood",
    "fitted_at",
    "fitted_by",
    "workspace_id",
];

fn decode_model(r: &Row) -> Result<StoredModel, StoreError> {
    let customer_type = r.string("customer_type")?;
    Ok(StoredModel {
        id: r.uuid_col("id")?,
        kind: r.string("kind")?,
        customer_type: CustomerType::parse(&customer_type)
            .ok_or_else(|| StoreError::Decode(format!("customer_type {customer_type}")))?,
        params: r.opt_json("params")?.unwrap_or(Json::Null),
        calibration_end: r.day("calibration_end")?,
        customers: r.i64("customers")?,
        log_likelihood: r.opt_f64("log_likelihood")?,
        fitted_at: r.ts("fitted_at")?,
        fitted_by: r.opt_id("fitted_by")?,
    })
}

pub async fn insert_model(tx: &mut Tx, ws: WorkspaceId, m: &StoredModel) -> Result<(), StoreError> {
    let q = Query::insert()
        .into_table(a("analytics_models"))
        .columns(MODEL_COLUMNS.map(a))
        .values_panic([
            opt_uuid(Some(m.id)),
            Expr::val(m.kind.clone()),
            Expr::val(m.customer_type.as_str()),
            json(m.params.clone()),
            day(m.calibration_end),
            Expr::val(m.customers),
            Expr::val(m.log_likelihood),
            ts(m.fitted_at),
            opt_uuid(m.fitted_by.map(|u| u.as_uuid())),
            id(ws),
        ])
        .to_owned();
    tx.execute(&q).await.map(drop)
}

/// The newest fit of `kind` for `customer_type`.
pub async fn latest_model(
    c: &mut Conn,
    ws: WorkspaceId,
    customer_type: CustomerType,
    kind: &str,
) -> Result<Option<StoredModel>, StoreError> {
    let q = Query::select()
        .columns(MODEL_COLUMNS.map(a))
        .from(a("analytics_models"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a("customer_type")).eq(customer_type.as_str()))
        .and_where(Expr::col(a("kind")).eq(kind))
        .order_by(a("fitted_at"), Order::Desc)
        .order_by(a("id"), Order::Desc)
        .limit(1)
        .to_owned();
    c.fetch_optional(&q)
        .await?
        .as_ref()
        .map(decode_model)
        .transpose()
}

/// Every stored fit, newest first (at most `limit`).
pub async fn models(
    c: &mut Conn,
    ws: WorkspaceId,
    limit: u64,
) -> Result<Vec<StoredModel>, StoreError> {
    let q = Query::select()
        .columns(MODEL_COLUMNS.map(a))
        .from(a("analytics_models"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .order_by(a("fitted_at"), Order::Desc)
        .order_by(a("id"), Order::Desc)
        .limit(limit)
        .to_owned();
    c.fetch_all(&q).await?.iter().map(decode_model).collect()
}
