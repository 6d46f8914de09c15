//! The parts of the catalogue that `raw.rs` does not need for copying rows but a schema
//! comparison does: indexes and column defaults. The parity test reads both backends
//! through these and compares them, so a migration written for one backend and forgotten
//! (or written differently) for the other fails the suite.

use sqlx::Row as _;

use super::{Conn, Raw, map_err};
use crate::error::StoreError;

/// One index of a table, primary keys left out.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Index {
    pub name: String,
    /// Key columns in order; `<expr>` for an expression.
    pub columns: Vec<String>,
    pub unique: bool,
    /// Has a WHERE clause.
    pub partial: bool,
    /// Made by a UNIQUE constraint rather than CREATE INDEX (SQLite names those itself).
    pub from_constraint: bool,
}

fn sqlite_text(row: &sqlx::sqlite::SqliteRow, i: usize) -> Result<Option<String>, StoreError> {
    // pragma functions return names as TEXT, but an expression column's name is NULL.
    row.try_get::<Option<String>, _>(i).map_err(map_err)
}

impl Conn {
    pub async fn indexes(&mut self, table: &str) -> Result<Vec<Index>, StoreError> {
        let mut out = Vec::new();
        match self.raw() {
            Raw::Sqlite(c) => {
                let list = sqlx::query(
                    "SELECT name, \"unique\", partial, origin FROM pragma_index_list(?) \
                     WHERE origin <> 'pk' ORDER BY name",
                )
                .bind(table)
                .fetch_all(&mut *c)
                .await
                .map_err(map_err)?;
                for r in &list {
                    let name = sqlite_text(r, 0)?.unwrap_or_default();
                    let cols = sqlx::query(
                        "SELECT name FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno",
                    )
                    .bind(&name)
                    .fetch_all(&mut *c)
                    .await
                    .map_err(map_err)?;
                    let columns = cols
                        .iter()
                        .map(|c| Ok(sqlite_text(c, 0)?.unwrap_or_else(|| "<expr>".to_owned())))
                        .collect::<Result<Vec<_>, StoreError>>()?;
                    out.push(Index {
                        name,
                        columns,
                        unique: r.try_get::<i64, _>(1).map_err(map_err)? == 1,
                        partial: r.try_get::<i64, _>(2).map_err(map_err)? == 1,
                        from_constraint: sqlite_text(r, 3)?.as_deref() == Some("u"),
                    });
                }
            }
            Raw::Postgres(c) => {
                let rows = sqlx::query(
                    "SELECT i.relname::text, ix.indisunique, ix.indpred IS NOT NULL, \
                       EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid \
                               AND con.contype = 'u'), \
                       ARRAY(SELECT COALESCE(a.attname::text, '<expr>') \
                             FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
                             LEFT JOIN pg_attribute a \
                               ON a.attrelid = ix.indrelid AND a.attnum = k.attnum \
                             WHERE k.ord <= ix.indnkeyatts ORDER BY k.ord) \
                     FROM pg_index ix \
                     JOIN pg_class i ON i.oid = ix.indexrelid \
                     JOIN pg_class t ON t.oid = ix.indrelid \
                     JOIN pg_namespace n ON n.oid = t.relnamespace \
                     WHERE t.relname = $1 AND n.nspname = current_schema() \
                       AND NOT ix.indisprimary \
                     ORDER BY i.relname",
                )
                .bind(table)
                .fetch_all(c)
                .await
                .map_err(map_err)?;
                for r in &rows {
                    out.push(Index {
                        name: r.try_get(0).map_err(map_err)?,
                        unique: r.try_get(1).map_err(map_err)?,
                        partial: r.try_get(2).map_err(map_err)?,
                        from_constraint: r.try_get(3).map_err(map_err)?,
                        columns: r.try_get(4).map_err(map_err)?,
                    });
                }
            }
        }
        Ok(out)
    }

    /// Each column's default expression as the database spells it, `None` for no default.
    pub async fn column_defaults(
        &mut self,
        table: &str,
    ) -> Result<Vec<(String, Option<String>)>, StoreError> {
        match self.raw() {
            Raw::Sqlite(c) => {
                let rows =
                    sqlx::query("SELECT name, dflt_value FROM pragma_table_xinfo(?) ORDER BY cid")
                        .bind(table)
                        .fetch_all(c)
                        .await
                        .map_err(map_err)?;
                rows.iter()
                    .map(|r| Ok((sqlite_text(r, 0)?.unwrap_or_default(), sqlite_text(r, 1)?)))
                    .collect()
            }
            Raw::Postgres(c) => {
                let rows = sqlx::query(
                    "SELECT column_name::text, column_default::text FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name = $1 \
                     ORDER BY ordinal_position",
                )
                .bind(table)
                .fetch_all(c)
                .await
                .map_err(map_err)?;
                rows.iter()
                    .map(|r| {
                        Ok((
                            r.try_get(0).map_err(map_err)?,
                            r.try_get(1).map_err(map_err)?,
                        ))
                    })
                    .collect()
            }
        }
    }
}
