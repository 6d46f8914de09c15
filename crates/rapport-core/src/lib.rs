//! Rapport's domain: types that can only hold valid values, and the rules between them.
//!
//! Nothing in this crate performs IO, awaits, touches SQL or HTTP, or reads the clock: the
//! current time is always a parameter. That keeps every rule testable with tables and
//! proptest, and lets REST, UI, CLI and worker share one definition of "valid".

pub mod access;
pub mod analytics;
pub mod audit;
pub mod calendar;
pub mod catalogue;
pub mod csv;
pub mod custom;
pub mod demo;
pub mod email;
pub mod fold;
pub mod format;
pub mod fx;
pub mod id;
pub mod locale;
pub mod money;
pub mod object;
pub mod password;
pub mod phone;
pub mod pipeline;
pub mod policy;
pub mod query;
pub mod rate_limit;
pub mod record;
pub mod role;
pub mod secret;
pub mod session;
pub mod team_tree;
pub mod text;
pub mod time;
pub mod validation;
pub mod value;
pub mod vcard;

pub use email::EmailAddress;
pub use id::{AuditId, EventId, Id, SessionId, TeamId, TokenId, UserId, WorkspaceId};
pub use object::{ObjectType, Visibility};
pub use role::Role;
pub use time::Timestamp;
pub use validation::{ErrorCode, FieldError};
