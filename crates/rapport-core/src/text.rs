//! Bounded, cleaned text: names, titles and slugs.
//!
//! Lengths count Unicode scalar values, not bytes, so a Ukrainian name gets the same room as
//! an English one. Control characters are refused outright: they break CSV, logs and
//! terminals and never belong in a name.

use serde::Serialize;

use crate::validation::{ErrorCode, FieldError};

/// Trims and checks one line of text: no control characters, `min..=max` characters.
pub fn single_line(field: &str, input: &str, min: usize, max: usize) -> Result<String, FieldError> {
    let trimmed = input.trim();
    if trimmed.chars().any(char::is_control) {
        return Err(FieldError::new(
            field,
            ErrorCode::InvalidFormat,
            "must not contain control characters or line breaks",
        ));
    }
    let count = trimmed.chars().count();
    if count == 0 && min > 0 {
        return Err(FieldError::required(field));
    }
    if count < min {
        return Err(FieldError::new(
            field,
            ErrorCode::TooShort,
            format!("must be at least {min} characters"),
        ));
    }
    if count > max {
        return Err(FieldError::new(
            field,
            ErrorCode::TooLong,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(trimmed.to_owned())
}

macro_rules! bounded_text {
    ($(#[$meta:meta])* $name:ident, $min:expr, $max:expr) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub const MAX_CHARS: usize = $max;

            pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
                single_line(field, input, $min, $max).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

bounded_text!(
    /// A person's name as shown in the UI (users, later contacts).
    DisplayName, 1, 200
);
bounded_text!(TeamName, 1, 100);
bounded_text!(WorkspaceName, 1, 100);
bounded_text!(
    /// A label the user gives to an API token so they recognise it later.
    TokenName, 1, 100
);

/// A URL-safe workspace handle: lowercase ASCII letters, digits and single hyphens,
/// starting with a letter, 2 to 40 characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let s = input.trim();
        let invalid =
            |message: &str| Err(FieldError::new(field, ErrorCode::InvalidFormat, message));
        if s.is_empty() {
            return Err(FieldError::required(field));
        }
        if s.len() < 2 {
            return Err(FieldError::new(
                field,
                ErrorCode::TooShort,
                "must be at least 2 characters",
            ));
        }
        if s.len() > 40 {
            return Err(FieldError::new(
                field,
                ErrorCode::TooLong,
                "must be at most 40 characters",
            ));
        }
        if !s.starts_with(|c: char| c.is_ascii_lowercase()) {
            return invalid("must start with a lowercase letter");
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return invalid("may contain only lowercase letters, digits and hyphens");
        }
        if s.ends_with('-') || s.contains("--") {
            return invalid("must not end with a hyphen or contain two in a row");
        }
        Ok(Self(s.to_owned()))
    }

    /// Derives a slug from a free-text name ("Kowalski & Syn" → "kowalski-syn"), falling back
    /// to `workspace` when nothing usable is left.
    pub fn from_name(name: &str) -> Self {
        let mut out = String::new();
        for c in name.chars().flat_map(char::to_lowercase) {
            if c.is_ascii_alphanumeric() {
                out.push(c);
            } else if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
            if out.len() >= 40 {
                break;
            }
        }
        let trimmed = out.trim_end_matches('-');
        let candidate = if trimmed.starts_with(|c: char| c.is_ascii_lowercase()) {
            trimmed.to_owned()
        } else {
            format!("w-{trimmed}")
        };
        Slug::parse("slug", &candidate).unwrap_or_else(|_| Self("workspace".to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Slug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_line_table() {
        let cases: &[(&str, Result<&str, ErrorCode>)] = &[
            ("  Anna  ", Ok("Anna")),
            ("Łukasz Żółć", Ok("Łukasz Żółć")),
            ("Олена", Ok("Олена")),
            ("", Err(ErrorCode::Required)),
            ("   ", Err(ErrorCode::Required)),
            ("a\nb", Err(ErrorCode::InvalidFormat)),
            ("tab\there", Err(ErrorCode::InvalidFormat)),
            ("nul\0", Err(ErrorCode::InvalidFormat)),
            ("<script>alert(1)</script>", Ok("<script>alert(1)</script>")),
        ];
        for (input, expected) in cases {
            let got = single_line("name", input, 1, 30).map_err(|e| e.code);
            assert_eq!(
                got.as_deref(),
                expected.as_ref().map(|s| *s),
                "input {input:?}"
            );
        }
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        let ukrainian = "ї".repeat(200);
        assert!(DisplayName::parse("n", &ukrainian).is_ok());
        let too_long = "ї".repeat(201);
        assert_eq!(
            DisplayName::parse("n", &too_long).map_err(|e| e.code),
            Err(ErrorCode::TooLong)
        );
    }

    #[test]
    fn slug_table() {
        let cases: &[(&str, bool)] = &[
            ("acme", true),
            ("acme-2", true),
            ("a1", true),
            ("Acme", false),
            ("1acme", false),
            ("acme-", false),
            ("ac--me", false),
            ("a", false),
            ("acme corp", false),
            ("acme_corp", false),
            ("żółw", false),
        ];
        for (input, ok) in cases {
            assert_eq!(Slug::parse("slug", input).is_ok(), *ok, "input {input:?}");
        }
    }

    #[test]
    fn slug_from_name_is_always_valid() {
        for name in [
            "Kowalski & Syn",
            "  ",
            "123 Ltd",
            "Żółta Łódź",
            "A",
            "---",
            &"x".repeat(90),
        ] {
            let slug = Slug::from_name(name);
            assert!(
                Slug::parse("slug", slug.as_str()).is_ok(),
                "{name:?} gave {slug}"
            );
        }
        assert_eq!(Slug::from_name("Kowalski & Syn").as_str(), "kowalski-syn");
        assert_eq!(Slug::from_name("123 Ltd").as_str(), "w-123-ltd");
    }
}
