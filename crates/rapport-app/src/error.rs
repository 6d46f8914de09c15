use std::time::Duration;

use rapport_core::FieldError;
use rapport_core::policy::Forbidden;
use rapport_store::StoreError;

/// Outcomes a caller can act on. The web layer maps each to one HTTP status; internal causes
/// are logged where they happen and never travel further than `Internal`'s opaque message.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Missing, or not visible to the caller: the two are indistinguishable on purpose.
    #[error("not found")]
    NotFound,
    /// Visible but not writable by the caller.
    #[error("forbidden: {0}")]
    Forbidden(Forbidden),
    /// No valid credential, or one that no longer works.
    #[error("authentication required")]
    Unauthenticated,
    /// A malformed list query, cursor included (400).
    #[error("bad query: {0}")]
    BadQuery(rapport_core::query::QueryError),
    /// The input parses but breaks a rule; every problem is listed.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// The request conflicts with the state of things (`code` is stable, for clients).
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// `If-Match` named a version that is no longer current.
    #[error("the record changed since version {expected}; it is now at {current}")]
    PreconditionFailed { expected: i64, current: i64 },
    #[error("too many attempts")]
    RateLimited { retry_after: Duration },
    /// The workspace has as many imports and exports under way as it may (429).
    #[error("{message}")]
    TooManyJobs { message: String },
    #[error("the database is unavailable")]
    Unavailable,
    #[error("the database storage is full")]
    StorageFull,
    #[error("internal error")]
    Internal,
}

impl AppError {
    pub fn invalid(error: FieldError) -> Self {
        AppError::Invalid(vec![error])
    }
}

impl From<Forbidden> for AppError {
    fn from(f: Forbidden) -> Self {
        AppError::Forbidden(f)
    }
}

impl From<FieldError> for AppError {
    fn from(error: FieldError) -> Self {
        AppError::Invalid(vec![error])
    }
}

impl From<Vec<FieldError>> for AppError {
    fn from(errors: Vec<FieldError>) -> Self {
        AppError::Invalid(errors)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Duplicate(field) => AppError::invalid(FieldError::new(
                field,
                rapport_core::ErrorCode::Taken,
                "is already in use",
            )),
            StoreError::Unavailable(cause) => {
                tracing::warn!(%cause, "database unavailable");
                AppError::Unavailable
            }
            StoreError::StorageFull => {
                tracing::error!("database storage is full");
                AppError::StorageFull
            }
            other => {
                tracing::error!(error = %other, "store error");
                AppError::Internal
            }
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
