//! The four fixed roles and their order.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Roles from least to most powerful. The derived order is the grant order: nobody may give
/// a role greater than their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Reads workspace-visible records; writes nothing but their own profile.
    ReadOnly,
    /// Reads workspace-visible records; writes own records and those shared with them.
    Rep,
    /// Everything their team and sub-teams can see, with write access to it.
    Manager,
    /// Everything in the workspace, including settings and users.
    Admin,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role (expected admin, manager, rep or read_only)")]
pub struct UnknownRole;

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Manager, Role::Rep, Role::ReadOnly];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Rep => "rep",
            Role::ReadOnly => "read_only",
        }
    }

    /// May a holder of `self` give `target` to someone?
    pub fn can_grant(self, target: Role) -> bool {
        target <= self
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "admin" => Ok(Role::Admin),
            "manager" => Ok(Role::Manager),
            "rep" => Ok(Role::Rep),
            "read_only" => Ok(Role::ReadOnly),
            _ => Err(UnknownRole),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_fills_the_width_a_table_gives_it() {
        // The CLI's user list aligns its columns with `{:<10}`.
        assert_eq!(format!("[{:<10}]", Role::Rep), "[rep       ]");
        assert_eq!(format!("[{:>7}]", Role::Admin), "[  admin]");
        assert_eq!(Role::ReadOnly.to_string(), "read_only");
    }

    #[test]
    fn grant_table() {
        use Role::*;
        let expected = [
            (Admin, [true, true, true, true]),
            (Manager, [false, true, true, true]),
            (Rep, [false, false, true, true]),
            (ReadOnly, [false, false, false, true]),
        ];
        for (granter, row) in expected {
            for (target, allowed) in Role::ALL.iter().zip(row) {
                assert_eq!(granter.can_grant(*target), allowed, "{granter} → {target}");
            }
        }
    }

    #[test]
    fn round_trips_through_text() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().ok(), Some(role));
        }
        assert!("Admin".parse::<Role>().is_err());
        assert!("superuser".parse::<Role>().is_err());
    }
}
