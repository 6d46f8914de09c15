//! Use-case tests on real databases (SQLite file, and PostgreSQL with RAPPORT_TEST_PG_URL).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

mod analytics;
mod auth;
mod backup;
mod board;
mod copy;
mod demo;
mod exchange_rates;
mod imports;
mod overview;
mod records;
mod support;
mod teams;
mod titles;
mod tokens;
mod users;
mod workspaces;
