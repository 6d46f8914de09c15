//! Storage for SQLite and PostgreSQL.
//!
//! Every query is written once with sea-query; `db` builds and binds it for the connected
//! backend and is the only module that touches sqlx. Every function that reads or writes
//! tenant data takes the caller's `WorkspaceId` and puts it in the WHERE clause; the only
//! exceptions are the workspace table itself, credential lookups (which learn the workspace
//! from the credential) and maintenance sweeps, each marked as such.
//!
//! This crate holds no business rules: it stores what the app layer decided.

pub mod audit;
pub mod backup;
mod db;
mod error;
pub mod exchange_rates;
pub mod idempotency;
pub mod jobs;
pub mod migrate;
pub mod orders;
pub mod outbox;
pub mod pipelines;
pub mod records;
mod schema;
pub mod search;
pub mod sessions;
pub mod settings;
pub mod shares;
pub mod tags;
pub mod teams;
#[cfg(feature = "testing")]
pub mod testing;
pub mod throttle;
pub mod timeline;
pub mod tokens;
pub mod users;
pub mod views;
pub mod workspaces;

pub use db::{Backend, Cell, Column, Conn, Db, DbOptions, ForeignKey, Index, Tx};
pub use error::{StoreError, UnsafeSetting};

/// A page of a keyset-paginated list: rows after the cursor, at most `limit` of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page<C> {
    pub after: Option<C>,
    pub limit: u64,
}
