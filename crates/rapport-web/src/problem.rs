//! RFC 9457 problem details: the one shape of every error answer.
//!
//! `type` is a stable URN per kind of problem (listed in docs/api/problems.md); clients
//! branch on it and on the `code` of each entry in `errors`, never on `detail`, which is
//! prose for humans and may change.

use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rapport_app::AppError;
use rapport_core::FieldError;
use serde::Serialize;
use utoipa::ToSchema;

pub const CONTENT_TYPE: &str = "application/problem+json";

/// Every kind of problem the server answers with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    BadRequest,
    Unauthenticated,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    Conflict,
    PreconditionFailed,
    PayloadTooLarge,
    UnsupportedMediaType,
    Validation,
    RateLimited,
    Internal,
    Unavailable,
    InsufficientStorage,
}

impl Kind {
    pub const ALL: [Kind; 14] = [
        Kind::BadRequest,
        Kind::Unauthenticated,
        Kind::Forbidden,
        Kind::NotFound,
        Kind::MethodNotAllowed,
        Kind::Conflict,
        Kind::PreconditionFailed,
        Kind::PayloadTooLarge,
        Kind::UnsupportedMediaType,
        Kind::Validation,
        Kind::RateLimited,
        Kind::Internal,
        Kind::Unavailable,
        Kind::InsufficientStorage,
    ];

    pub fn status(self) -> StatusCode {
        match self {
            Kind::BadRequest => StatusCode::BAD_REQUEST,
            Kind::Unauthenticated => StatusCode::UNAUTHORIZED,
            Kind::Forbidden => StatusCode::FORBIDDEN,
            Kind::NotFound => StatusCode::NOT_FOUND,
            Kind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Kind::Conflict => StatusCode::CONFLICT,
            Kind::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            Kind::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Kind::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Kind::Validation => StatusCode::UNPROCESSABLE_ENTITY,
            Kind::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Kind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Kind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Kind::InsufficientStorage => StatusCode::INSUFFICIENT_STORAGE,
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            Kind::BadRequest => "bad-request",
            Kind::Unauthenticated => "unauthenticated",
            Kind::Forbidden => "forbidden",
            Kind::NotFound => "not-found",
            Kind::MethodNotAllowed => "method-not-allowed",
            Kind::Conflict => "conflict",
            Kind::PreconditionFailed => "precondition-failed",
            Kind::PayloadTooLarge => "payload-too-large",
            Kind::UnsupportedMediaType => "unsupported-media-type",
            Kind::Validation => "validation-failed",
            Kind::RateLimited => "rate-limited",
            Kind::Internal => "internal-error",
            Kind::Unavailable => "unavailable",
            Kind::InsufficientStorage => "insufficient-storage",
        }
    }

    pub fn type_uri(self) -> String {
        format!("urn:rapport:problem:{}", self.slug())
    }

    pub fn title(self) -> &'static str {
        match self {
            Kind::BadRequest => "The request is malformed",
            Kind::Unauthenticated => "Authentication is required",
            Kind::Forbidden => "You may not do this",
            Kind::NotFound => "Not found",
            Kind::MethodNotAllowed => "Method not allowed",
            Kind::Conflict => "The request conflicts with the current state",
            Kind::PreconditionFailed => "The record has changed",
            Kind::PayloadTooLarge => "The request body is too large",
            Kind::UnsupportedMediaType => "Unsupported content type",
            Kind::Validation => "The input is invalid",
            Kind::RateLimited => "Too many requests",
            Kind::Internal => "Internal error",
            Kind::Unavailable => "Temporarily unavailable",
            Kind::InsufficientStorage => "Storage is full",
        }
    }
}

/// One problem answer.
#[derive(Debug, Clone)]
pub struct Problem {
    pub kind: Kind,
    pub detail: String,
    pub errors: Vec<FieldError>,
    /// A stable machine-readable reason for 403 and 409 answers.
    pub code: Option<&'static str>,
    pub retry_after: Option<Duration>,
}

/// The JSON body, documented in OpenAPI.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Problem)]
pub struct ProblemBody {
    /// A URN naming the kind of problem, such as `urn:rapport:problem:validation-failed`.
    #[serde(rename = "type")]
    pub type_: String,
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldErrorBody>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = FieldError)]
pub struct FieldErrorBody {
    /// The field as the client wrote it (`email`, `address.city`).
    pub field: String,
    /// A stable code: required, too_short, too_long, invalid_format, invalid_value,
    /// unknown_field, read_only, wrong_type, weak_password, taken, unknown_reference,
    /// not_allowed.
    pub code: &'static str,
    pub message: String,
}

impl Problem {
    pub fn new(kind: Kind, detail: impl Into<String>) -> Self {
        Self {
            kind,
            detail: detail.into(),
            errors: Vec::new(),
            code: None,
            retry_after: None,
        }
    }

    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(Kind::BadRequest, detail)
    }

    pub fn not_found() -> Self {
        Self::new(
            Kind::NotFound,
            "there is nothing here, or you may not see it",
        )
    }

    pub fn unauthenticated() -> Self {
        Self::new(
            Kind::Unauthenticated,
            "send a valid credential: Authorization: Bearer rpt_… for the API",
        )
    }

    pub fn validation(errors: Vec<FieldError>) -> Self {
        let detail = match errors.as_slice() {
            [one] => format!("{}: {}", one.field, one.message),
            many => format!("{} fields are invalid; see errors", many.len()),
        };
        Self {
            errors,
            ..Self::new(Kind::Validation, detail)
        }
    }

    pub fn body(&self) -> ProblemBody {
        ProblemBody {
            type_: self.kind.type_uri(),
            title: self.kind.title(),
            status: self.kind.status().as_u16(),
            detail: self.detail.clone(),
            code: self.code,
            errors: self
                .errors
                .iter()
                .map(|e| FieldErrorBody {
                    field: e.field.clone(),
                    code: e.code.as_str(),
                    message: e.message.clone(),
                })
                .collect(),
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.body()).unwrap_or_default();
        let mut response = (self.kind.status(), body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if self.kind == Kind::Unauthenticated {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"rapport\""),
            );
        }
        if let Some(wait) = self.retry_after {
            let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            if let Ok(v) = HeaderValue::from_str(&secs.max(1).to_string()) {
                headers.insert(header::RETRY_AFTER, v);
            }
        }
        response
    }
}

impl From<AppError> for Problem {
    fn from(e: AppError) -> Self {
        match e {
            AppError::NotFound => Problem::not_found(),
            AppError::Forbidden(reason) => Problem {
                code: Some(forbidden_code(reason)),
                ..Problem::new(Kind::Forbidden, reason.to_string())
            },
            AppError::Unauthenticated => Problem::unauthenticated(),
            AppError::Invalid(errors) => Problem::validation(errors),
            AppError::BadQuery(e) => Problem::bad_request(e.to_string()),
            AppError::Conflict { code, message } => Problem {
                code: Some(code),
                ..Problem::new(Kind::Conflict, message)
            },
            AppError::PreconditionFailed { expected, current } => Problem::new(
                Kind::PreconditionFailed,
                format!(
                    "If-Match named version {expected} but the record is at version {current}; reload it and try again"
                ),
            ),
            AppError::RateLimited { retry_after } => Problem {
                retry_after: Some(retry_after),
                ..Problem::new(
                    Kind::RateLimited,
                    "too many attempts; wait as Retry-After says",
                )
            },
            AppError::TooManyJobs { message } => Problem {
                code: Some("too_many_jobs"),
                retry_after: Some(std::time::Duration::from_secs(30)),
                ..Problem::new(Kind::RateLimited, message)
            },
            AppError::Unavailable => Problem::new(
                Kind::Unavailable,
                "the database is unavailable; try again shortly",
            ),
            AppError::StorageFull => Problem::new(
                Kind::InsufficientStorage,
                "the database storage is full; nothing was written",
            ),
            AppError::Internal => Problem::new(
                Kind::Internal,
                "something went wrong on our side; it has been logged",
            ),
        }
    }
}

fn forbidden_code(f: rapport_core::policy::Forbidden) -> &'static str {
    use rapport_core::policy::Forbidden::*;
    match f {
        ReadOnlyScope => "read_only_scope",
        AdminOnly => "admin_only",
        RoleAboveOwn => "role_above_own",
        ScopeAboveRole => "scope_above_role",
        NotOwner => "not_owner",
        ReadOnlyRole => "read_only_role",
    }
}

/// Lets handlers use `?` on app results.
pub type ApiResult<T> = Result<T, Problem>;
