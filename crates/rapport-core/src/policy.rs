//! Who may do what. Every authorization decision of the application is one of these
//! functions; the use cases call them before any side effect (SECURITY.md V12).
//!
//! Foundation I covers workspace administration: users, teams and tokens. Record access
//! (visibility, shares, field rules) joins here with the core objects.

use serde::{Deserialize, Serialize};

use crate::id::{TeamId, UserId, WorkspaceId};
use crate::role::Role;

/// What a credential allows, independent of the role behind it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Read,
    ReadWrite,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::ReadWrite => "read_write",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        match s {
            "read" => Some(Scope::Read),
            "read_write" => Some(Scope::ReadWrite),
            _ => None,
        }
    }
}

/// An authenticated user acting in their workspace through a session or a token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub workspace_id: WorkspaceId,
    pub user_id: UserId,
    pub role: Role,
    pub team_id: Option<TeamId>,
    /// A session always has `ReadWrite`; a token has the scope it was made with.
    pub scope: Scope,
}

/// Why a request that could read was refused a write (403). Requests that cannot even read
/// answer "not found" instead and never reach these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Forbidden {
    #[error("this token is read-only")]
    ReadOnlyScope,
    #[error("this needs the admin role")]
    AdminOnly,
    #[error("nobody can grant a role above their own")]
    RoleAboveOwn,
    #[error("a read-only user can only make read-only tokens")]
    ScopeAboveRole,
    #[error("only the owner or an admin can do this")]
    NotOwner,
    #[error("the read_only role cannot change records")]
    ReadOnlyRole,
}

pub fn require_write_scope(p: &Principal) -> Result<(), Forbidden> {
    match p.scope {
        Scope::ReadWrite => Ok(()),
        Scope::Read => Err(Forbidden::ReadOnlyScope),
    }
}

/// Creating, changing, enabling and disabling users, and managing teams.
pub fn authorize_workspace_admin(p: &Principal) -> Result<(), Forbidden> {
    require_write_scope(p)?;
    if p.role == Role::Admin {
        Ok(())
    } else {
        Err(Forbidden::AdminOnly)
    }
}

/// Giving `target` to a user, on creation or on a role change.
pub fn authorize_role_grant(p: &Principal, target: Role) -> Result<(), Forbidden> {
    authorize_workspace_admin(p)?;
    if p.role.can_grant(target) {
        Ok(())
    } else {
        Err(Forbidden::RoleAboveOwn)
    }
}

/// Changing one's own profile (name, language, time zone, password): every role may, with a
/// credential that can write.
pub fn authorize_own_profile(p: &Principal) -> Result<(), Forbidden> {
    require_write_scope(p)
}

/// Making a token for oneself. A token never exceeds the credential that made it, and the
/// read_only role only ever gets read tokens.
pub fn authorize_token_create(p: &Principal, requested: Scope) -> Result<(), Forbidden> {
    require_write_scope(p)?;
    if requested == Scope::ReadWrite && p.role == Role::ReadOnly {
        return Err(Forbidden::ScopeAboveRole);
    }
    Ok(())
}

/// Seeing a token's metadata (never its secret).
pub fn may_see_token(p: &Principal, owner: UserId) -> bool {
    p.user_id == owner || p.role == Role::Admin
}

/// Revoking a token: its owner or an admin.
pub fn authorize_token_revoke(p: &Principal, owner: UserId) -> Result<(), Forbidden> {
    require_write_scope(p)?;
    if may_see_token(p, owner) {
        Ok(())
    } else {
        Err(Forbidden::NotOwner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::Id;
    use uuid::Uuid;

    fn principal(role: Role, scope: Scope) -> Principal {
        Principal {
            workspace_id: WorkspaceId::from_uuid(Uuid::from_u128(1)),
            user_id: UserId::from_uuid(Uuid::from_u128(2)),
            role,
            team_id: None,
            scope,
        }
    }

    #[test]
    fn workspace_admin_needs_admin_and_write() {
        use Role::*;
        for role in Role::ALL {
            for scope in [Scope::Read, Scope::ReadWrite] {
                let expected = match (role, scope) {
                    (_, Scope::Read) => Err(Forbidden::ReadOnlyScope),
                    (Admin, _) => Ok(()),
                    _ => Err(Forbidden::AdminOnly),
                };
                assert_eq!(
                    authorize_workspace_admin(&principal(role, scope)),
                    expected,
                    "{role} {scope:?}"
                );
            }
        }
    }

    #[test]
    fn only_admins_grant_and_never_above_themselves() {
        let admin = principal(Role::Admin, Scope::ReadWrite);
        for target in Role::ALL {
            assert_eq!(authorize_role_grant(&admin, target), Ok(()));
        }
        let manager = principal(Role::Manager, Scope::ReadWrite);
        assert_eq!(
            authorize_role_grant(&manager, Role::Rep),
            Err(Forbidden::AdminOnly)
        );
    }

    #[test]
    fn token_rules() {
        let ro = principal(Role::ReadOnly, Scope::ReadWrite);
        assert_eq!(authorize_token_create(&ro, Scope::Read), Ok(()));
        assert_eq!(
            authorize_token_create(&ro, Scope::ReadWrite),
            Err(Forbidden::ScopeAboveRole)
        );
        let read_token = principal(Role::Admin, Scope::Read);
        assert_eq!(
            authorize_token_create(&read_token, Scope::Read),
            Err(Forbidden::ReadOnlyScope)
        );

        let rep = principal(Role::Rep, Scope::ReadWrite);
        let other = UserId::from_uuid(Uuid::from_u128(99));
        assert_eq!(authorize_token_revoke(&rep, rep.user_id), Ok(()));
        assert_eq!(
            authorize_token_revoke(&rep, other),
            Err(Forbidden::NotOwner)
        );
        assert_eq!(
            authorize_token_revoke(&principal(Role::Admin, Scope::ReadWrite), other),
            Ok(())
        );
    }
}
