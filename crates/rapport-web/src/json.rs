//! Request bodies in, JSON out.
//!
//! `ApiJson<T>` accepts only JSON content types, reads at most the configured number of
//! bytes, and turns every way a body can be wrong into a problem naming the field:
//! malformed JSON is 400; a field that is unknown, read-only, of the wrong type or missing
//! is 422. Read-only fields are refused even when the value would not change, so a client
//! learns at once that `role` or `workspace_id` cannot be set here (SECURITY.md S4).

use axum::body::Body;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rapport_core::{ErrorCode, FieldError};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::problem::{Kind, Problem};
use crate::state::AppState;

/// A request body type: which names it refuses as read-only.
pub trait RequestBody: DeserializeOwned {
    /// Fields clients may see in responses but not set with this body.
    const READ_ONLY: &'static [&'static str] = &[];
}

pub struct ApiJson<T>(pub T);

impl<T: RequestBody> FromRequest<AppState> for ApiJson<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Problem> {
        let limit = state.config.max_body_bytes;
        require_json(req.headers().get(header::CONTENT_TYPE))?;
        let bytes = read_limited(req.into_body(), limit).await?;
        parse(&bytes).map(ApiJson)
    }
}

pub(crate) fn require_json(content_type: Option<&HeaderValue>) -> Result<(), Problem> {
    let Some(ct) = content_type.and_then(|v| v.to_str().ok()) else {
        return Err(Problem::new(
            Kind::UnsupportedMediaType,
            "send the body as application/json (Content-Type header missing)",
        ));
    };
    let essence = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
    {
        Ok(())
    } else {
        Err(Problem::new(
            Kind::UnsupportedMediaType,
            format!("send the body as application/json, not {essence}"),
        ))
    }
}

pub(crate) async fn read_limited(body: Body, limit: usize) -> Result<axum::body::Bytes, Problem> {
    axum::body::to_bytes(body, limit).await.map_err(|_| {
        Problem::new(
            Kind::PayloadTooLarge,
            format!("the body is larger than {limit} bytes"),
        )
    })
}

/// Parses a JSON object into `T`, reporting problems by field.
pub fn parse<T: RequestBody>(bytes: &[u8]) -> Result<T, Problem> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Problem::bad_request(
            "the body is empty; send a JSON object",
        ));
    }
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| Problem::bad_request(format!("the body is not valid JSON: {e}")))?;
    let serde_json::Value::Object(map) = &value else {
        return Err(Problem::bad_request("the body must be a JSON object"));
    };
    let read_only: Vec<FieldError> = map
        .keys()
        .filter(|k| T::READ_ONLY.contains(&k.as_str()))
        .map(|k| FieldError::new(k.clone(), ErrorCode::ReadOnly, "cannot be set here"))
        .collect();
    if !read_only.is_empty() {
        return Err(Problem::validation(read_only));
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        Problem::validation(vec![field_error(&path, &inner)])
    })
}

/// Classifies a serde error message into a stable code.
fn field_error(path: &str, message: &str) -> FieldError {
    let backticked = || message.split('`').nth(1).unwrap_or_default().to_owned();
    let at = |name: String| {
        if path.is_empty() || path == "." {
            name
        } else {
            format!("{path}.{name}")
        }
    };
    if message.starts_with("unknown field") {
        // serde_path_to_error's path already ends at the unknown key.
        let name = backticked();
        let field = if path.ends_with(&name) {
            path.to_owned()
        } else {
            at(name)
        };
        return FieldError::new(
            field,
            ErrorCode::UnknownField,
            "is not a field of this object",
        );
    }
    if message.starts_with("missing field") {
        return FieldError::required(at(backticked()));
    }
    let field = if path.is_empty() || path == "." {
        "body".to_owned()
    } else {
        path.to_owned()
    };
    if message.starts_with("invalid type") {
        let expected = message.split("expected ").nth(1).unwrap_or("another type");
        return FieldError::new(field, ErrorCode::WrongType, format!("must be {expected}"));
    }
    if message.starts_with("invalid length") || message.contains("UUID") || message.contains("uuid")
    {
        return FieldError::new(field, ErrorCode::InvalidFormat, "must be an id (a UUID)");
    }
    if message.starts_with("unknown variant") {
        let expected = message
            .split("expected ")
            .nth(1)
            .unwrap_or("one of the listed values");
        return FieldError::new(
            field,
            ErrorCode::InvalidValue,
            format!("must be {expected}"),
        );
    }
    FieldError::new(field, ErrorCode::InvalidValue, message.to_owned())
}

/// A JSON answer with a status and extra headers.
pub struct JsonResponse<T> {
    pub status: StatusCode,
    pub body: T,
    pub headers: Vec<(header::HeaderName, HeaderValue)>,
}

impl<T: Serialize> JsonResponse<T> {
    pub fn ok(body: T) -> Self {
        Self {
            status: StatusCode::OK,
            body,
            headers: Vec::new(),
        }
    }

    pub fn created(body: T, location: String) -> Self {
        let mut r = Self {
            status: StatusCode::CREATED,
            body,
            headers: Vec::new(),
        };
        if let Ok(v) = HeaderValue::from_str(&location) {
            r.headers.push((header::LOCATION, v));
        }
        r
    }

    pub fn with_etag(mut self, version: i64) -> Self {
        if let Ok(v) = HeaderValue::from_str(&format!("\"{version}\"")) {
            self.headers.push((header::ETAG, v));
        }
        self
    }
}

impl<T: Serialize> IntoResponse for JsonResponse<T> {
    fn into_response(self) -> Response {
        let bytes = match serde_json::to_vec(&self.body) {
            Ok(b) => b,
            Err(e) => {
                tracing::error!(error = %e, "cannot serialise a response");
                return Problem::new(Kind::Internal, "cannot encode the answer").into_response();
            }
        };
        let mut response = (self.status, bytes).into_response();
        let h = response.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        for (k, v) in self.headers {
            h.insert(k, v);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        name: String,
        count: Option<u32>,
        id: Option<uuid::Uuid>,
    }

    impl RequestBody for Sample {
        const READ_ONLY: &'static [&'static str] = &["version", "workspace_id"];
    }

    fn err(body: &str) -> (Kind, Vec<(String, ErrorCode)>) {
        match parse::<Sample>(body.as_bytes()) {
            Ok(_) => panic!("{body} parsed"),
            Err(p) => (
                p.kind,
                p.errors.into_iter().map(|e| (e.field, e.code)).collect(),
            ),
        }
    }

    type Case = (&'static str, Kind, Vec<(String, ErrorCode)>);

    #[test]
    fn body_problem_table() {
        let f = |s: &str, c| vec![(s.to_owned(), c)];
        let cases: Vec<Case> = vec![
            ("", Kind::BadRequest, vec![]),
            ("{", Kind::BadRequest, vec![]),
            ("[1]", Kind::BadRequest, vec![]),
            ("\"name\"", Kind::BadRequest, vec![]),
            ("{}", Kind::Validation, f("name", ErrorCode::Required)),
            (
                r#"{"name": 5}"#,
                Kind::Validation,
                f("name", ErrorCode::WrongType),
            ),
            (
                r#"{"name": "a", "count": "many"}"#,
                Kind::Validation,
                f("count", ErrorCode::WrongType),
            ),
            (
                r#"{"name": "a", "count": -1}"#,
                Kind::Validation,
                f("count", ErrorCode::InvalidValue),
            ),
            (
                r#"{"name": "a", "id": "nope"}"#,
                Kind::Validation,
                f("id", ErrorCode::InvalidFormat),
            ),
            (
                r#"{"name": "a", "role": "admin"}"#,
                Kind::Validation,
                f("role", ErrorCode::UnknownField),
            ),
            (
                r#"{"name": "a", "version": 9, "workspace_id": "x"}"#,
                Kind::Validation,
                vec![
                    ("version".to_owned(), ErrorCode::ReadOnly),
                    ("workspace_id".to_owned(), ErrorCode::ReadOnly),
                ],
            ),
        ];
        for (body, kind, errors) in cases {
            assert_eq!(err(body), (kind, errors), "{body}");
        }
    }

    #[test]
    fn markup_and_sql_are_just_text() {
        let s: Sample = parse(br#"{"name": "'; DROP TABLE users; -- <script>alert(1)</script>"}"#)
            .unwrap_or_else(|p| panic!("{}", p.detail));
        assert!(s.name.contains("DROP TABLE"));
    }

    #[test]
    fn content_types() {
        for ok in [
            "application/json",
            "application/json; charset=utf-8",
            "application/merge-patch+json",
            "Application/JSON",
        ] {
            assert!(
                require_json(Some(&HeaderValue::from_static(ok))).is_ok(),
                "{ok}"
            );
        }
        for bad in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
        ] {
            assert!(
                require_json(Some(&HeaderValue::from_static(bad))).is_err(),
                "{bad}"
            );
        }
        assert!(require_json(None).is_err());
    }
}
