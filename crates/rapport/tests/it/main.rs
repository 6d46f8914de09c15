//! The `rapport` binary, run as a user would run it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod admin;
mod serve;
mod support;
