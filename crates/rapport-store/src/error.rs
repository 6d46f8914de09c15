use std::fmt;

/// What can go wrong in the store. Driver details are kept for the log and never shown to
/// clients; the app layer decides what each variant means to a caller.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("record not found")]
    NotFound,
    /// A unique constraint refused the write; the text names the constraint or columns.
    #[error("unique constraint violated: {0}")]
    Unique(String),
    /// A unique value (named by its API field) is already taken.
    #[error("{0} is already taken")]
    Duplicate(&'static str),
    /// A list cursor that does not fit the list it was used with.
    #[error("the cursor does not fit this list")]
    Cursor,
    #[error("foreign key constraint violated")]
    ForeignKey,
    /// The database cannot be reached or stayed locked past the timeout.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("the database storage is full")]
    StorageFull,
    #[error("unsafe database settings: {}", list(.0))]
    UnsafeSettings(Vec<UnsafeSetting>),
    #[error("{0}")]
    Migration(String),
    #[error("{0}")]
    Config(String),
    /// A backup file that cannot be restored, or a backup that could not be written; the
    /// text says where and why.
    #[error("{0}")]
    Backup(String),
    /// A restore was pointed at a database that already holds data.
    #[error("{0}")]
    NotEmpty(String),
    /// A copy read back from the target differs from its source; each entry names a table,
    /// both row counts and both checksums.
    #[error("the copy does not match its source: {}", mismatches(.0))]
    Mismatch(Vec<crate::backup::Mismatch>),
    /// A stored value does not decode into its type: corrupt data or a schema mismatch.
    #[error("cannot decode a stored value: {0}")]
    Decode(String),
    #[error("database error: {0}")]
    Internal(Box<dyn std::error::Error + Send + Sync>),
}

impl StoreError {
    /// Turns a unique violation on the constraint or column named `marker` into
    /// `Duplicate(field)`; other errors pass through. SQLite reports "table.column", PostgreSQL
    /// the constraint name, and both contain the column name used as marker.
    pub(crate) fn duplicate_on(self, marker: &str, field: &'static str) -> Self {
        match self {
            StoreError::Unique(what) if what.contains(marker) => StoreError::Duplicate(field),
            other => other,
        }
    }
}

fn mismatches(list: &[crate::backup::Mismatch]) -> String {
    list.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

fn list(settings: &[UnsafeSetting]) -> String {
    settings
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// A database setting under which acknowledged writes could be lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsafeSetting {
    pub setting: &'static str,
    pub actual: String,
    pub required: &'static str,
}

impl UnsafeSetting {
    pub(crate) fn new(setting: &'static str, actual: String, required: &'static str) -> Self {
        Self {
            setting,
            actual,
            required,
        }
    }
}

impl fmt::Display for UnsafeSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is {} (needs {})",
            self.setting, self.actual, self.required
        )
    }
}
