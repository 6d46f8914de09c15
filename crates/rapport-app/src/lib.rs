//! Use cases. REST handlers, UI pages, the CLI and the worker all call these functions, so a
//! rule is enforced the same way whichever door a request came through.
//!
//! Every write use case follows DESIGN §4.3: authorize first (before any side effect), parse
//! the input into domain types, then one transaction that writes, appends the audit entry and
//! the outbox event, and commits before anything is acknowledged.

pub mod analytics;
pub mod audit_log;
pub mod auth;
pub mod backup;
pub mod clock;
pub mod commands;
pub mod demo;
mod error;
pub mod exchange_rates;
pub mod exports;
pub mod idempotency;
mod ids;
pub mod imports;
pub mod jobs;
pub mod maintenance;
pub mod overview;
pub mod pipelines;
pub mod record_settings;
pub mod records;
pub mod saved_views;
pub mod search;
pub mod secrets;
pub mod sharing;
pub mod tags;
pub mod teams;
pub mod timeline;
pub mod tokens;
pub mod transactions;
pub mod users;
pub mod workspaces;
mod write;

/// The store records use cases return, re-exported so that callers need not depend on the store.
pub mod model {
    pub use rapport_store::audit::{Entry as AuditEntry, Filter as AuditFilter};
    pub use rapport_store::pipelines::{Pipeline, Stage, StageChange};
    pub use rapport_store::settings::CustomField;
    pub use rapport_store::shares::Share;
    pub use rapport_store::tags::Tag;
    pub use rapport_store::teams::Team;
    pub use rapport_store::tokens::ApiToken;
    pub use rapport_store::users::User;
    pub use rapport_store::views::SavedView;
    pub use rapport_store::workspaces::Workspace;
}

use std::sync::Arc;
use std::time::Duration;

pub use error::{AppError, AppResult};
pub use rapport_core::policy::Principal;
use rapport_core::rate_limit::Quota;
use rapport_core::session::SessionTimeouts;
use rapport_store::Db;

use crate::clock::Clock;
use crate::secrets::PasswordHasher;

/// Tunable behaviour; the defaults are the documented product behaviour.
#[derive(Clone, Debug)]
pub struct Settings {
    pub sessions: SessionTimeouts,
    pub login_quota: Quota,
    /// Write a token's `last_used_at` at most this often.
    pub token_touch_every: Duration,
    /// How many password hashes may be computed at once.
    pub hashing_parallelism: usize,
    /// How long trashed records are kept before they are deleted for good (DESIGN §4.8).
    pub trash_retention: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            sessions: SessionTimeouts::default(),
            login_quota: Quota::LOGIN,
            token_touch_every: Duration::from_secs(60),
            hashing_parallelism: std::thread::available_parallelism().map_or(2, |n| n.get()),
            trash_retention: Duration::from_secs(30 * 24 * 60 * 60),
        }
    }
}

/// Everything a use case needs, shared by all requests.
#[derive(Clone)]
pub struct App {
    pub db: Db,
    clock: Arc<dyn Clock>,
    pub settings: Settings,
    hasher: PasswordHasher,
}

impl App {
    pub fn new(db: Db, clock: Arc<dyn Clock>, settings: Settings) -> Self {
        let hasher = PasswordHasher::new(settings.hashing_parallelism);
        Self {
            db,
            clock,
            settings,
            hasher,
        }
    }

    pub fn now(&self) -> rapport_core::Timestamp {
        self.clock.now()
    }
}

/// Facts about the request that the audit log keeps.
#[derive(Clone, Debug, Default)]
pub struct RequestMeta {
    pub request_id: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// An authenticated user and the request they made.
#[derive(Clone, Debug)]
pub struct Caller {
    pub principal: Principal,
    pub meta: RequestMeta,
}

/// A page request: rows after `after` (exclusive), at most `limit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest<C> {
    pub after: Option<C>,
    pub limit: u64,
}

impl<C> PageRequest<C> {
    pub const DEFAULT_LIMIT: u64 = 50;
    pub const MAX_LIMIT: u64 = 200;

    /// Clamps the limit to 1..=200 (DESIGN §6: larger values are clamped, not refused).
    pub fn new(after: Option<C>, limit: Option<u64>) -> Self {
        Self {
            after,
            limit: limit
                .unwrap_or(Self::DEFAULT_LIMIT)
                .clamp(1, Self::MAX_LIMIT),
        }
    }

    /// Asks the store for one row more than the page, to know whether another page follows.
    pub(crate) fn probe(&self) -> rapport_store::Page<C>
    where
        C: Copy,
    {
        rapport_store::Page {
            after: self.after,
            limit: self.limit + 1,
        }
    }
}

/// One page of results and the key to continue after it.
#[derive(Clone, Debug, PartialEq)]
pub struct PageOf<T, C> {
    pub items: Vec<T>,
    pub next: Option<C>,
}

impl<T, C> PageOf<T, C> {
    /// Trims the probe row and derives the cursor from the last row kept.
    pub(crate) fn from_probe(mut rows: Vec<T>, limit: u64, key: impl Fn(&T) -> C) -> Self {
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next = if more { rows.last().map(key) } else { None };
        Self { items: rows, next }
    }
}
