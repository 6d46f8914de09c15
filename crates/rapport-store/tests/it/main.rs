//! Store tests: each runs on a real SQLite file and, with RAPPORT_TEST_PG_URL, on a real
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]
//! PostgreSQL database.

mod audit_outbox;
mod backup;
mod credentials;
mod migrations;
mod parity;
mod records;
mod settings;
mod support;
mod teams;
mod throttle;
mod users;
