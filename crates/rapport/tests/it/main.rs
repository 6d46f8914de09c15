//! The `rapport` binary, run as a user would run it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

mod admin;
mod analytics;
mod browser;
mod copy;
mod nodes;
mod serve;
mod support;
mod transfer;
