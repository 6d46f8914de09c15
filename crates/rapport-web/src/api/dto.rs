//! API types. Store and core types are never serialised to clients directly: these structs
//! are the contract, and the OpenAPI document is generated from them.

use rapport_core::Timestamp;
use rapport_core::policy::Scope;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// For optional body fields that may be left out but not set to null.
pub fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// For optional body fields where null means "clear it": absent → None, null → Some(None).
pub fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// The four roles, least to most powerful.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[schema(as = Role)]
pub enum RoleDto {
    Admin,
    Manager,
    Rep,
    ReadOnly,
}

impl From<rapport_core::Role> for RoleDto {
    fn from(r: rapport_core::Role) -> Self {
        match r {
            rapport_core::Role::Admin => RoleDto::Admin,
            rapport_core::Role::Manager => RoleDto::Manager,
            rapport_core::Role::Rep => RoleDto::Rep,
            rapport_core::Role::ReadOnly => RoleDto::ReadOnly,
        }
    }
}

impl RoleDto {
    pub fn as_str(self) -> &'static str {
        match self {
            RoleDto::Admin => "admin",
            RoleDto::Manager => "manager",
            RoleDto::Rep => "rep",
            RoleDto::ReadOnly => "read_only",
        }
    }
}

/// What a token may do: `read`, or `read_write`.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
#[schema(as = TokenScope)]
pub enum ScopeDto {
    Read,
    ReadWrite,
}

impl From<Scope> for ScopeDto {
    fn from(s: Scope) -> Self {
        match s {
            Scope::Read => ScopeDto::Read,
            Scope::ReadWrite => ScopeDto::ReadWrite,
        }
    }
}

impl ScopeDto {
    pub fn as_str(self) -> &'static str {
        match self {
            ScopeDto::Read => "read",
            ScopeDto::ReadWrite => "read_write",
        }
    }
}

/// A page of results. `next_cursor` is null on the last page.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListOf<T: ToSchema> {
    pub data: Vec<T>,
    pub next_cursor: Option<String>,
}

/// A user of the workspace.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = User)]
pub struct UserDto {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: RoleDto,
    pub team_id: Option<Uuid>,
    pub enabled: bool,
    /// en, pl, es or uk.
    pub locale: String,
    /// An IANA time zone such as Europe/Warsaw.
    pub time_zone: String,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub last_login_at: Option<Timestamp>,
    pub version: i64,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

impl From<rapport_app::model::User> for UserDto {
    fn from(u: rapport_app::model::User) -> Self {
        use rapport_core::Id;
        Self {
            id: u.id.as_uuid(),
            email: u.email,
            display_name: u.display_name,
            role: u.role.into(),
            team_id: u.team_id.map(|t| t.as_uuid()),
            enabled: u.enabled,
            locale: u.locale,
            time_zone: u.time_zone,
            last_login_at: u.last_login_at,
            version: u.version,
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

/// A team; teams form a tree through `parent_id`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Team)]
pub struct TeamDto {
    pub id: Uuid,
    pub name: String,
    pub parent_id: Option<Uuid>,
    pub version: i64,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

impl From<rapport_app::model::Team> for TeamDto {
    fn from(t: rapport_app::model::Team) -> Self {
        use rapport_core::Id;
        Self {
            id: t.id.as_uuid(),
            name: t.name,
            parent_id: t.parent_id.map(|p| p.as_uuid()),
            version: t.version,
            created_at: t.created_at,
            updated_at: t.updated_at,
        }
    }
}

/// An API token's metadata. The secret itself is shown once, when the token is made.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ApiToken)]
pub struct TokenDto {
    pub id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    /// The last characters of the secret, to tell tokens apart.
    pub hint: String,
    pub scope: ScopeDto,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub expires_at: Option<Timestamp>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub last_used_at: Option<Timestamp>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub revoked_at: Option<Timestamp>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

impl From<rapport_app::model::ApiToken> for TokenDto {
    fn from(t: rapport_app::model::ApiToken) -> Self {
        use rapport_core::Id;
        Self {
            id: t.id.as_uuid(),
            user_id: t.user_id.as_uuid(),
            name: t.name,
            hint: t.hint,
            scope: t.scope.into(),
            expires_at: t.expires_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
            created_at: t.created_at,
        }
    }
}
