//! Custom fields: per-workspace definitions, values kept in each record's `custom` object.

use serde_json::Value as Json;

use crate::text::single_line;
use crate::validation::{ErrorCode, FieldError};
use crate::value::Date;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CustomKind {
    Text,
    Number,
    Date,
    Bool,
    Select,
}

impl CustomKind {
    pub const ALL: [CustomKind; 5] = [
        CustomKind::Text,
        CustomKind::Number,
        CustomKind::Date,
        CustomKind::Bool,
        CustomKind::Select,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CustomKind::Text => "text",
            CustomKind::Number => "number",
            CustomKind::Date => "date",
            CustomKind::Bool => "bool",
            CustomKind::Select => "select",
        }
    }

    pub fn parse(s: &str) -> Option<CustomKind> {
        CustomKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A custom field as the record engine needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomFieldDef {
    pub key: String,
    pub kind: CustomKind,
    pub required: bool,
    pub options: Vec<String>,
}

pub const MAX_TEXT: usize = 2000;

/// A key is what appears in `custom.<key>`: lowercase letters, digits and underscores,
/// starting with a letter, at most 40 characters.
pub fn parse_key(field: &str, input: &str) -> Result<String, FieldError> {
    let s = input.trim();
    let ok = (1..=40).contains(&s.len())
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(s.to_owned())
    } else {
        Err(FieldError::new(
            field,
            ErrorCode::InvalidFormat,
            "must be 1-40 lowercase letters, digits or underscores, starting with a letter",
        ))
    }
}

impl CustomFieldDef {
    /// Parses a client value into its stored JSON form: text trimmed, numbers as numbers,
    /// dates as YYYY-MM-DD, select values checked against the options.
    pub fn parse(&self, v: &Json) -> Result<Json, FieldError> {
        let name = format!("custom.{}", self.key);
        if v.is_null() {
            return if self.required {
                Err(FieldError::required(name))
            } else {
                Ok(Json::Null)
            };
        }
        let wrong =
            |what: &str| FieldError::new(&name, ErrorCode::WrongType, format!("must be {what}"));
        match self.kind {
            CustomKind::Text => {
                let s = v.as_str().ok_or_else(|| wrong("a string"))?;
                let s = single_line(&name, s, usize::from(self.required), MAX_TEXT)?;
                Ok(if s.is_empty() {
                    Json::Null
                } else {
                    Json::String(s)
                })
            }
            CustomKind::Number => {
                let n = v
                    .as_f64()
                    .filter(|n| n.is_finite())
                    .ok_or_else(|| wrong("a number"))?;
                Ok(serde_json::Number::from_f64(n)
                    .map(Json::Number)
                    .unwrap_or(Json::Null))
            }
            CustomKind::Date => {
                let s = v.as_str().ok_or_else(|| wrong("a date as YYYY-MM-DD"))?;
                Date::parse(&name, s).map(|d| Json::String(d.to_string()))
            }
            CustomKind::Bool => v
                .as_bool()
                .map(Json::Bool)
                .ok_or_else(|| wrong("true or false")),
            CustomKind::Select => {
                let s = v.as_str().ok_or_else(|| wrong("a string"))?.trim();
                if self.options.iter().any(|o| o == s) {
                    Ok(Json::String(s.to_owned()))
                } else {
                    Err(FieldError::new(
                        &name,
                        ErrorCode::InvalidValue,
                        format!("must be one of {}", self.options.join(", ")),
                    ))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn def(kind: CustomKind) -> CustomFieldDef {
        CustomFieldDef {
            key: "k".into(),
            kind,
            required: false,
            options: vec!["gold".into(), "silver".into()],
        }
    }

    #[test]
    fn custom_value_table() {
        let cases = [
            (CustomKind::Text, json!(" x "), Ok(json!("x"))),
            (CustomKind::Text, json!(5), Err(ErrorCode::WrongType)),
            (CustomKind::Number, json!(2.5), Ok(json!(2.5))),
            (CustomKind::Number, json!("2.5"), Err(ErrorCode::WrongType)),
            (
                CustomKind::Date,
                json!("2026-02-29"),
                Err(ErrorCode::InvalidFormat),
            ),
            (
                CustomKind::Date,
                json!("2028-02-29"),
                Ok(json!("2028-02-29")),
            ),
            (CustomKind::Bool, json!(true), Ok(json!(true))),
            (CustomKind::Select, json!("gold"), Ok(json!("gold"))),
            (
                CustomKind::Select,
                json!("bronze"),
                Err(ErrorCode::InvalidValue),
            ),
            (CustomKind::Select, json!(null), Ok(json!(null))),
        ];
        for (kind, input, expected) in cases {
            assert_eq!(
                def(kind).parse(&input).map_err(|e| e.code),
                expected,
                "{kind:?} {input}"
            );
        }
    }

    #[test]
    fn keys_are_plain_identifiers() {
        for ok in ["tier", "contract_end", "a1"] {
            assert!(parse_key("key", ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "Tier",
            "1st",
            "a-b",
            "a.b",
            "a b",
            "ł",
            &"x".repeat(41),
            "'); DROP",
        ] {
            assert!(parse_key("key", bad).is_err(), "{bad}");
        }
    }
}
