//! Field-level validation results with stable codes.
//!
//! The codes are part of the public API (`errors[].code` in a 422 answer); clients branch on
//! them, so a code is never renamed once released.

use std::fmt;

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A required field is missing or empty.
    Required,
    TooShort,
    TooLong,
    /// The text has the wrong shape (an e-mail without `@`, a malformed id …).
    InvalidFormat,
    /// Well formed but not one of the allowed values.
    InvalidValue,
    /// The body names a field the object does not have.
    UnknownField,
    /// The field exists but the caller may not set it.
    ReadOnly,
    /// A JSON value of the wrong type (a number where text belongs …).
    WrongType,
    /// The password breaks the password policy.
    WeakPassword,
    /// The value must be unique and another record has it.
    Taken,
    /// The value refers to a record that does not exist or cannot be seen.
    UnknownReference,
    /// The change is valid in shape but a business rule forbids it.
    NotAllowed,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::TooShort => "too_short",
            Self::TooLong => "too_long",
            Self::InvalidFormat => "invalid_format",
            Self::InvalidValue => "invalid_value",
            Self::UnknownField => "unknown_field",
            Self::ReadOnly => "read_only",
            Self::WrongType => "wrong_type",
            Self::WeakPassword => "weak_password",
            Self::Taken => "taken",
            Self::UnknownReference => "unknown_reference",
            Self::NotAllowed => "not_allowed",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// One thing wrong with one field. `field` is the path as the client wrote it
/// (`email`, `address.city`, `emails[2].value`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: ErrorCode,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code,
            message: message.into(),
        }
    }

    pub fn required(field: impl Into<String>) -> Self {
        Self::new(field, ErrorCode::Required, "this field is required")
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({})", self.field, self.message, self.code)
    }
}

/// Collects every problem of a form or body so the client sees all of them at once rather
/// than one per round trip.
#[derive(Debug, Default)]
pub struct Errors(Vec<FieldError>);

impl Errors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, error: FieldError) {
        self.0.push(error);
    }

    /// Keeps the value of a successful parse, records the error of a failed one.
    pub fn check<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.0.push(error);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether a problem with this field is already recorded.
    pub fn mentions(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }

    pub fn into_result(self) -> Result<(), Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }

    pub fn into_vec(self) -> Vec<FieldError> {
        self.0
    }
}
