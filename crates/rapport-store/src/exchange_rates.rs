//! Dated exchange rates into the workspace's base currency (migration 0010).

use rapport_core::value::Date;
use rapport_core::{Timestamp, UserId, WorkspaceId};
use sea_query::{Alias, Cond, Expr, ExprTrait, Order, Query, SelectStatement};
use uuid::Uuid;

use crate::db::{Conn, Row, Tx, date, id, opt_id, ts};
use crate::error::StoreError;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredRate {
    pub currency: String,
    pub valid_from: Date,
    pub rate_nanos: i64,
    pub updated_by: Option<Uuid>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

const COLUMNS: [&str; 6] = [
    "currency",
    "valid_from",
    "rate_nanos",
    "updated_by",
    "created_at",
    "updated_at",
];

fn a(c: &str) -> Alias {
    Alias::new(c)
}

fn decode(r: &Row) -> Result<StoredRate, StoreError> {
    Ok(StoredRate {
        currency: r.string("currency")?,
        valid_from: r
            .opt_date("valid_from")?
            .ok_or_else(|| StoreError::Decode("column valid_from: null".to_owned()))?,
        rate_nanos: r.i64("rate_nanos")?,
        updated_by: r.opt_uuid("updated_by")?,
        created_at: r.ts("created_at")?,
        updated_at: r.ts("updated_at")?,
    })
}

fn select(ws: WorkspaceId) -> SelectStatement {
    Query::select()
        .columns(COLUMNS.map(a))
        .from(a("exchange_rates"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .to_owned()
}

/// Where a page of rates starts: after this currency and day (days run newest first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct After {
    pub currency: String,
    pub valid_from: Date,
}

/// Rates by currency, then newest first; `currency` narrows to one.
pub async fn list(
    c: &mut Conn,
    ws: WorkspaceId,
    currency: Option<&str>,
    after: Option<&After>,
    limit: u64,
) -> Result<Vec<StoredRate>, StoreError> {
    let mut q = select(ws);
    if let Some(code) = currency {
        q.and_where(Expr::col(a("currency")).eq(code));
    }
    if let Some(after) = after {
        q.cond_where(
            Cond::any()
                .add(Expr::col(a("currency")).gt(after.currency.as_str()))
                .add(
                    Cond::all()
                        .add(Expr::col(a("currency")).eq(after.currency.as_str()))
                        .add(Expr::col(a("valid_from")).lt(date(Some(after.valid_from)))),
                ),
        );
    }
    q.order_by(a("currency"), Order::Asc)
        .order_by(a("valid_from"), Order::Desc)
        .limit(limit);
    c.fetch_all(&q).await?.iter().map(decode).collect()
}

pub async fn get(
    c: &mut Conn,
    ws: WorkspaceId,
    currency: &str,
    valid_from: Date,
) -> Result<Option<StoredRate>, StoreError> {
    let q = select(ws)
        .and_where(Expr::col(a("currency")).eq(currency))
        .and_where(Expr::col(a("valid_from")).eq(date(Some(valid_from))))
        .to_owned();
    c.fetch_optional(&q).await?.as_ref().map(decode).transpose()
}

/// The rate of each currency in force on `day`: its latest one that started by then. One
/// index probe per currency, however long each currency's history is.
pub async fn in_force(
    c: &mut Conn,
    ws: WorkspaceId,
    day: Date,
) -> Result<Vec<StoredRate>, StoreError> {
    let latest = Query::select()
        .expr(Expr::col((a("l"), a("valid_from"))).max())
        .from_as(a("exchange_rates"), a("l"))
        .and_where(Expr::col((a("l"), a("workspace_id"))).eq(id(ws)))
        .and_where(Expr::col((a("l"), a("currency"))).equals((a("exchange_rates"), a("currency"))))
        .and_where(Expr::col((a("l"), a("valid_from"))).lte(date(Some(day))))
        .to_owned();
    let mut q = select(ws);
    q.and_where(Expr::col(a("valid_from")).in_subquery(latest))
        .order_by(a("currency"), Order::Asc);
    c.fetch_all(&q).await?.iter().map(decode).collect()
}

/// Sets the rate of `currency` from `valid_from`; with it, the rate it replaced, if any.
pub async fn put(
    tx: &mut Tx,
    ws: WorkspaceId,
    currency: &str,
    valid_from: Date,
    rate_nanos: i64,
    by: UserId,
    now: Timestamp,
) -> Result<(StoredRate, Option<StoredRate>), StoreError> {
    let before = get(tx, ws, currency, valid_from).await?;
    if before.is_some() {
        let q = Query::update()
            .table(a("exchange_rates"))
            .value(a("rate_nanos"), rate_nanos)
            .value(a("updated_by"), opt_id(Some(by)))
            .value(a("updated_at"), ts(now))
            .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
            .and_where(Expr::col(a("currency")).eq(currency))
            .and_where(Expr::col(a("valid_from")).eq(date(Some(valid_from))))
            .to_owned();
        tx.execute(&q).await?;
    } else {
        let q = Query::insert()
            .into_table(a("exchange_rates"))
            .columns(
                [
                    "workspace_id",
                    "currency",
                    "valid_from",
                    "rate_nanos",
                    "updated_by",
                    "created_at",
                    "updated_at",
                ]
                .map(a),
            )
            .values_panic([
                id(ws),
                Expr::val(currency),
                date(Some(valid_from)),
                Expr::val(rate_nanos),
                opt_id(Some(by)),
                ts(now),
                ts(now),
            ])
            .to_owned();
        tx.execute(&q).await?;
    }
    let stored = get(tx, ws, currency, valid_from)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok((stored, before))
}

/// Removes one rate; `false` when there was none.
pub async fn delete(
    tx: &mut Tx,
    ws: WorkspaceId,
    currency: &str,
    valid_from: Date,
) -> Result<bool, StoreError> {
    let q = Query::delete()
        .from_table(a("exchange_rates"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .and_where(Expr::col(a("currency")).eq(currency))
        .and_where(Expr::col(a("valid_from")).eq(date(Some(valid_from))))
        .to_owned();
    Ok(tx.execute(&q).await? > 0)
}

/// Every currency that has at least one rate, in code order.
pub async fn currencies(c: &mut Conn, ws: WorkspaceId) -> Result<Vec<String>, StoreError> {
    let q = Query::select()
        .distinct()
        .column(a("currency"))
        .from(a("exchange_rates"))
        .and_where(Expr::col(a("workspace_id")).eq(id(ws)))
        .order_by(a("currency"), Order::Asc)
        .to_owned();
    c.fetch_all(&q)
        .await?
        .iter()
        .map(|r| r.string("currency"))
        .collect()
}

/// Every rate of the workspace (analytics converts each order at its own day).
pub async fn all(c: &mut Conn, ws: WorkspaceId) -> Result<Vec<StoredRate>, StoreError> {
    let mut q = select(ws);
    q.order_by(a("currency"), Order::Asc)
        .order_by(a("valid_from"), Order::Asc);
    c.fetch_all(&q).await?.iter().map(decode).collect()
}
