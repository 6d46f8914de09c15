//! What the audit log records. Actions are stable strings: auditors filter on them.

use serde::Serialize;
use serde_json::Value;

use crate::id::UserId;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum AuditAction {
    #[serde(rename = "workspace.created")]
    WorkspaceCreated,
    /// The workspace came back from a backup (`rapport restore`).
    #[serde(rename = "workspace.restored")]
    WorkspaceRestored,
    /// The workspace arrived from another database (`rapport copy`).
    #[serde(rename = "workspace.copied")]
    WorkspaceCopied,
    #[serde(rename = "user.created")]
    UserCreated,
    #[serde(rename = "user.updated")]
    UserUpdated,
    #[serde(rename = "user.role_changed")]
    UserRoleChanged,
    #[serde(rename = "user.enabled")]
    UserEnabled,
    #[serde(rename = "user.disabled")]
    UserDisabled,
    #[serde(rename = "user.password_changed")]
    UserPasswordChanged,
    #[serde(rename = "team.created")]
    TeamCreated,
    #[serde(rename = "team.updated")]
    TeamUpdated,
    #[serde(rename = "team.deleted")]
    TeamDeleted,
    #[serde(rename = "token.created")]
    TokenCreated,
    #[serde(rename = "token.revoked")]
    TokenRevoked,
    #[serde(rename = "auth.login")]
    Login,
    #[serde(rename = "auth.login_failed")]
    LoginFailed,
    #[serde(rename = "auth.logout")]
    Logout,
    #[serde(rename = "record.created")]
    RecordCreated,
    #[serde(rename = "record.updated")]
    RecordUpdated,
    #[serde(rename = "record.trashed")]
    RecordTrashed,
    #[serde(rename = "record.restored")]
    RecordRestored,
    #[serde(rename = "record.purged")]
    RecordPurged,
    #[serde(rename = "record.merged")]
    RecordMerged,
    #[serde(rename = "lead.converted")]
    LeadConverted,
    #[serde(rename = "opportunity.stage_changed")]
    StageChanged,
    #[serde(rename = "activity.completed")]
    ActivityCompleted,
    #[serde(rename = "share.granted")]
    ShareGranted,
    #[serde(rename = "share.revoked")]
    ShareRevoked,
    #[serde(rename = "settings.changed")]
    SettingsChanged,
    /// Records written in bulk (demo data, imports): one entry per batch, not per record.
    #[serde(rename = "records.bulk_created")]
    RecordsBulkCreated,
    /// A batch of an import: counts and the ids created and updated.
    #[serde(rename = "records.imported")]
    RecordsImported,
    /// An export: the object, the filter and how many records left.
    #[serde(rename = "records.exported")]
    RecordsExported,
}

impl AuditAction {
    /// Every action, for filters and labels.
    pub const ALL: [AuditAction; 32] = [
        Self::WorkspaceCreated,
        Self::WorkspaceRestored,
        Self::WorkspaceCopied,
        Self::UserCreated,
        Self::UserUpdated,
        Self::UserRoleChanged,
        Self::UserEnabled,
        Self::UserDisabled,
        Self::UserPasswordChanged,
        Self::TeamCreated,
        Self::TeamUpdated,
        Self::TeamDeleted,
        Self::TokenCreated,
        Self::TokenRevoked,
        Self::Login,
        Self::LoginFailed,
        Self::Logout,
        Self::RecordCreated,
        Self::RecordUpdated,
        Self::RecordTrashed,
        Self::RecordRestored,
        Self::RecordPurged,
        Self::RecordMerged,
        Self::LeadConverted,
        Self::StageChanged,
        Self::ActivityCompleted,
        Self::ShareGranted,
        Self::ShareRevoked,
        Self::SettingsChanged,
        Self::RecordsBulkCreated,
        Self::RecordsImported,
        Self::RecordsExported,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::WorkspaceCreated => "workspace.created",
            Self::WorkspaceRestored => "workspace.restored",
            Self::WorkspaceCopied => "workspace.copied",
            Self::UserCreated => "user.created",
            Self::UserUpdated => "user.updated",
            Self::UserRoleChanged => "user.role_changed",
            Self::UserEnabled => "user.enabled",
            Self::UserDisabled => "user.disabled",
            Self::UserPasswordChanged => "user.password_changed",
            Self::TeamCreated => "team.created",
            Self::TeamUpdated => "team.updated",
            Self::TeamDeleted => "team.deleted",
            Self::TokenCreated => "token.created",
            Self::TokenRevoked => "token.revoked",
            Self::Login => "auth.login",
            Self::LoginFailed => "auth.login_failed",
            Self::Logout => "auth.logout",
            Self::RecordCreated => "record.created",
            Self::RecordUpdated => "record.updated",
            Self::RecordTrashed => "record.trashed",
            Self::RecordRestored => "record.restored",
            Self::RecordPurged => "record.purged",
            Self::RecordMerged => "record.merged",
            Self::LeadConverted => "lead.converted",
            Self::StageChanged => "opportunity.stage_changed",
            Self::ActivityCompleted => "activity.completed",
            Self::ShareGranted => "share.granted",
            Self::ShareRevoked => "share.revoked",
            Self::SettingsChanged => "settings.changed",
            Self::RecordsBulkCreated => "records.bulk_created",
            Self::RecordsImported => "records.imported",
            Self::RecordsExported => "records.exported",
        }
    }
}

/// Who did it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    User(UserId),
    /// The `rapport` command line, run by whoever has access to the database.
    Operator,
    /// Nobody signed in: a failed login names no user.
    Anonymous,
}

impl Actor {
    pub fn kind(self) -> &'static str {
        match self {
            Actor::User(_) => "user",
            Actor::Operator => "operator",
            Actor::Anonymous => "anonymous",
        }
    }

    pub fn user_id(self) -> Option<UserId> {
        match self {
            Actor::User(id) => Some(id),
            _ => None,
        }
    }
}

/// One changed field, before and after. Secrets are never recorded, only that they changed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldChange {
    pub field: &'static str,
    pub before: Value,
    pub after: Value,
}

/// Collects the fields that really changed between two versions of a record.
#[derive(Debug, Default)]
pub struct Diff(Vec<FieldChange>);

impl Diff {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn field<T: Serialize + PartialEq>(&mut self, field: &'static str, before: &T, after: &T) {
        if before != after {
            self.0.push(FieldChange {
                field,
                before: serde_json::to_value(before).unwrap_or(Value::Null),
                after: serde_json::to_value(after).unwrap_or(Value::Null),
            });
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn changes(&self) -> &[FieldChange] {
        &self.0
    }

    pub fn fields(&self) -> Vec<&'static str> {
        self.0.iter().map(|c| c.field).collect()
    }

    pub fn into_vec(self) -> Vec<FieldChange> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_keeps_only_real_changes() {
        let mut d = Diff::new();
        d.field("name", &"Anna", &"Anna");
        d.field("role", &"rep", &"manager");
        d.field("team_id", &None::<String>, &Some("t".to_owned()));
        assert_eq!(d.fields(), vec!["role", "team_id"]);
        assert_eq!(d.changes()[0].before, Value::from("rep"));
        assert_eq!(d.changes()[1].before, Value::Null);
    }

    #[test]
    fn action_names_match_their_serialisation() {
        for a in [
            AuditAction::Login,
            AuditAction::UserRoleChanged,
            AuditAction::TokenRevoked,
        ] {
            assert_eq!(serde_json::to_value(a).ok(), Some(Value::from(a.as_str())));
        }
    }
}
