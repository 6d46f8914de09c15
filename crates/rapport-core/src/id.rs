//! Typed identifiers. Every id is a UUIDv7 made by the application (never by the database),
//! wrapped so that a `UserId` can never be passed where a `TeamId` is expected.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What every typed id can do; lets storage code decode and bind any of them generically.
pub trait Id: Copy {
    fn from_uuid(uuid: Uuid) -> Self;
    fn as_uuid(&self) -> Uuid;
}

macro_rules! id_type {
    ($($(#[$meta:meta])* $name:ident;)+) => {$(
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl Id for $name {
            fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.as_hyphenated().fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::try_parse(s).map(Self)
            }
        }
    )+};
}

id_type! {
    /// A tenant. Every row of every tenant table carries one.
    WorkspaceId;
    UserId;
    TeamId;
    /// An API token (the id, not the secret).
    TokenId;
    /// A UI session (the id, not the cookie secret).
    SessionId;
    AuditId;
    /// An outbox event.
    EventId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_print_and_parse_as_hyphenated_uuids() {
        let uuid = Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001);
        let id = UserId::from_uuid(uuid);
        let printed = id.to_string();
        assert_eq!(printed, "01900000-0000-7000-8000-000000000001");
        assert_eq!(printed.parse::<UserId>().ok(), Some(id));
    }

    #[test]
    fn garbage_does_not_parse_as_an_id() {
        for bad in [
            "",
            "1",
            "not-a-uuid",
            "01900000-0000-7000-8000-00000000000g",
            "' OR 1=1 --",
        ] {
            assert!(bad.parse::<TeamId>().is_err(), "{bad:?} parsed");
        }
    }
}
