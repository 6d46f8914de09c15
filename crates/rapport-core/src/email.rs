//! E-mail addresses, parsed once at the edge.
//!
//! The accepted shape is the practical one that mail systems deliver to: `local@domain`,
//! no quoting, no comments, no IP literals. Unicode is allowed on both sides (RFC 6531) so
//! that `łukasz@przykład.pl` is a valid login. Comparison uses a lowercased key: the local
//! part is case-sensitive in theory and case-insensitive in every mailbox anyone uses.

use std::fmt;

use serde::Serialize;

use crate::validation::{ErrorCode, FieldError};

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct EmailAddress(String);

const MAX_LEN: usize = 254;
const MAX_LOCAL: usize = 64;
const MAX_LABEL: usize = 63;

impl EmailAddress {
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let invalid = |why: &str| {
            Err(FieldError::new(
                field,
                ErrorCode::InvalidFormat,
                format!("is not a valid e-mail address: {why}"),
            ))
        };
        let s = input.trim();
        if s.is_empty() {
            return Err(FieldError::required(field));
        }
        if s.chars().count() > MAX_LEN {
            return Err(FieldError::new(
                field,
                ErrorCode::TooLong,
                format!("must be at most {MAX_LEN} characters"),
            ));
        }
        let Some((local, domain)) = s.rsplit_once('@') else {
            return invalid("it has no @");
        };
        if local.is_empty() || local.contains('@') {
            return invalid("it needs exactly one @ with a name before it");
        }
        if local.chars().count() > MAX_LOCAL {
            return invalid("the part before @ is longer than 64 characters");
        }
        if !local.chars().all(is_local_char) {
            return invalid("the part before @ contains a character that is not allowed");
        }
        if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
            return invalid("dots in the part before @ must separate words");
        }
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2 {
            return invalid("the domain needs a dot, as in example.com");
        }
        for label in &labels {
            if label.is_empty() || label.chars().count() > MAX_LABEL {
                return invalid("a part of the domain is empty or too long");
            }
            if !label.chars().all(|c| c.is_alphanumeric() || c == '-') {
                return invalid("the domain contains a character that is not allowed");
            }
            if label.starts_with('-') || label.ends_with('-') {
                return invalid("a part of the domain starts or ends with a hyphen");
            }
        }
        let tld = labels.last().copied().unwrap_or_default();
        if tld.chars().all(|c| c.is_ascii_digit()) {
            return invalid("the domain must be a name, not an address");
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key used for uniqueness and lookups.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }

    pub fn local_part(&self) -> &str {
        self.0
            .rsplit_once('@')
            .map(|(local, _)| local)
            .unwrap_or(&self.0)
    }
}

fn is_local_char(c: char) -> bool {
    c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c)
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_real_addresses() {
        for ok in [
            "anna@example.com",
            "Anna.Nowak+crm@sub.example.co.uk",
            "łukasz@przykład.pl",
            "олена@приклад.укр",
            "o'brien@example.ie",
            "  padded@example.com  ",
            "x@xn--80ak6aa92e.com",
        ] {
            assert!(EmailAddress::parse("email", ok).is_ok(), "{ok:?} refused");
        }
    }

    #[test]
    fn refuses_what_cannot_be_delivered_or_is_dangerous() {
        for (bad, code) in [
            ("", ErrorCode::Required),
            ("anna", ErrorCode::InvalidFormat),
            ("anna@", ErrorCode::InvalidFormat),
            ("@example.com", ErrorCode::InvalidFormat),
            ("anna@example", ErrorCode::InvalidFormat),
            ("anna@@example.com", ErrorCode::InvalidFormat),
            ("an na@example.com", ErrorCode::InvalidFormat),
            ("anna@exa mple.com", ErrorCode::InvalidFormat),
            (".anna@example.com", ErrorCode::InvalidFormat),
            ("an..na@example.com", ErrorCode::InvalidFormat),
            ("anna@-example.com", ErrorCode::InvalidFormat),
            ("anna@127.0.0.1", ErrorCode::InvalidFormat),
            ("anna@example..com", ErrorCode::InvalidFormat),
            ("\"><img src=x>@example.com", ErrorCode::InvalidFormat),
            ("anna@example.com\r\nBcc: x@y.z", ErrorCode::InvalidFormat),
            ("anna\0@example.com", ErrorCode::InvalidFormat),
        ] {
            let got = EmailAddress::parse("email", bad).map_err(|e| e.code);
            assert_eq!(got, Err(code), "{bad:?}");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(
            EmailAddress::parse("email", &long).map_err(|e| e.code),
            Err(ErrorCode::TooLong)
        );
    }

    #[test]
    fn key_ignores_case_in_every_script() {
        let a = EmailAddress::parse("e", "ŁUKASZ@Example.COM")
            .ok()
            .map(|e| e.key());
        let b = EmailAddress::parse("e", "łukasz@example.com")
            .ok()
            .map(|e| e.key());
        assert_eq!(a, b);
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_accepted_values_reparse(s in "\\PC{0,80}") {
            if let Ok(email) = EmailAddress::parse("e", &s) {
                prop_assert_eq!(EmailAddress::parse("e", email.as_str()).ok(), Some(email));
            }
        }
    }
}
