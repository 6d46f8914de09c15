//! Table and column names, checked by the compiler. Queries name columns only through
//! these enums, never through strings assembled at run time.

use sea_query::Iden;

#[derive(Iden, Clone, Copy)]
pub(crate) enum Workspaces {
    Table,
    Id,
    Name,
    Slug,
    BaseCurrency,
    IsDemo,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Teams {
    Table,
    WorkspaceId,
    Id,
    Name,
    NameKey,
    ParentId,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Users {
    Table,
    WorkspaceId,
    Id,
    Email,
    EmailKey,
    DisplayName,
    Role,
    TeamId,
    PasswordHash,
    Enabled,
    Locale,
    TimeZone,
    CredentialsChangedAt,
    LastLoginAt,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum ApiTokens {
    Table,
    WorkspaceId,
    Id,
    UserId,
    Name,
    TokenHash,
    Hint,
    Scope,
    ExpiresAt,
    LastUsedAt,
    RevokedAt,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Sessions {
    Table,
    WorkspaceId,
    Id,
    UserId,
    TokenHash,
    CsrfToken,
    CreatedAt,
    LastSeenAt,
    Ip,
    UserAgent,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum LoginThrottle {
    Table,
    WorkspaceId,
    Bucket,
    Tat,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum AuditLog {
    Table,
    WorkspaceId,
    Id,
    At,
    ActorKind,
    ActorId,
    Action,
    ObjectType,
    ObjectId,
    Changes,
    Detail,
    RequestId,
    Ip,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Outbox {
    Table,
    WorkspaceId,
    Id,
    EventType,
    ObjectType,
    ObjectId,
    Payload,
    CreatedAt,
}
