//! Totals of open deals by stage, over exactly the records a list with the same query would
//! show (filters and the access policy included), so a board's figures match its cards.

use rapport_core::WorkspaceId;
use rapport_core::access::Viewer;
use rapport_core::object::ObjectType;
use rapport_core::query::ListQuery;
use sea_query::{Alias, Expr, Query};
use uuid::Uuid;

use super::list_select;
use crate::db::Conn;
use crate::error::StoreError;

/// One stage's deals in one currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageSum {
    pub stage_id: Uuid,
    /// `None` for deals without an amount.
    pub currency: Option<String>,
    pub count: i64,
    pub amount_minor: i64,
    /// Σ amount × probability (percent) over deals that have a probability.
    pub weighted_percent_minor: i64,
    /// Σ amount over deals without a probability: they take the stage's.
    pub unweighted_minor: i64,
}

pub async fn opportunity_sums(
    c: &mut Conn,
    ws: WorkspaceId,
    viewer: &Viewer,
    query: &ListQuery,
) -> Result<Vec<StageSum>, StoreError> {
    let terms_text = query
        .q
        .as_deref()
        .map(rapport_core::fold::search_terms)
        .unwrap_or_default();
    if query.q.is_some() && terms_text.is_empty() {
        return Ok(Vec::new());
    }
    let (inner, _) = list_select(
        c.backend(),
        ws,
        ObjectType::Opportunity,
        viewer,
        query,
        &terms_text,
    );
    let q = Query::select()
        .column(Alias::new("stage_id"))
        .column(Alias::new("amount_currency"))
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .expr_as(
            Expr::cust("CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT)"),
            Alias::new("total"),
        )
        .expr_as(
            Expr::cust("CAST(COALESCE(SUM(amount_minor * probability), 0) AS BIGINT)"),
            Alias::new("weighted"),
        )
        .expr_as(
            Expr::cust(
                "CAST(COALESCE(SUM(CASE WHEN probability IS NULL THEN amount_minor END), 0) AS BIGINT)",
            ),
            Alias::new("unweighted"),
        )
        .from_subquery(inner, Alias::new("o"))
        .group_by_col(Alias::new("stage_id"))
        .group_by_col(Alias::new("amount_currency"))
        .to_owned();
    let rows = c.fetch_all(&q).await?;
    rows.iter()
        .map(|row| {
            Ok(StageSum {
                stage_id: row
                    .opt_uuid("stage_id")?
                    .ok_or_else(|| StoreError::Decode("an opportunity without a stage".into()))?,
                currency: row.opt_string("amount_currency")?,
                count: row.i64("n")?,
                amount_minor: row.i64("total")?,
                weighted_percent_minor: row.i64("weighted")?,
                unweighted_minor: row.i64("unweighted")?,
            })
        })
        .collect()
}
