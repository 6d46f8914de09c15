//! HTTP tests: the real router in process, on real databases (SQLite file, and PostgreSQL
//! with RAPPORT_TEST_PG_URL).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

mod analytics;
mod bad_input;
mod cross_workspace;
mod exchange_rates;
mod headers;
mod jobs;
mod openapi;
mod records;
mod routes;
mod session;
mod support;
mod ui;
mod ui_settings;
mod ui_text;
mod users_teams_tokens;
mod views;
