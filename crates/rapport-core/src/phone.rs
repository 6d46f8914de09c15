//! Phone numbers in E.164: `+` and 8 to 15 digits, the country code first.
//!
//! Input may carry the usual separators (`+48 601-234 567`, `(+1) 555.123.4567`) and the
//! international prefix `00`. A number without a country code is refused with a message
//! saying so, rather than guessed: a wrong guess would send calls and texts to a stranger.

use crate::validation::{ErrorCode, FieldError};

pub fn parse_e164(field: &str, input: &str) -> Result<String, FieldError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(FieldError::required(field));
    }
    let mut digits = String::new();
    let mut plus = false;
    for c in trimmed.chars() {
        match c {
            '+' if !plus && digits.is_empty() => plus = true,
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' | '/' | '\u{a0}' => {}
            _ => {
                return Err(FieldError::new(
                    field,
                    ErrorCode::InvalidFormat,
                    "may contain only digits, spaces, dashes, dots, brackets and a leading +",
                ));
            }
        }
    }
    if !plus {
        if let Some(rest) = digits.strip_prefix("00") {
            digits = rest.to_owned();
        } else {
            return Err(FieldError::new(
                field,
                ErrorCode::InvalidFormat,
                "needs the country code, as in +48 601 234 567",
            ));
        }
    }
    if digits.starts_with('0') {
        return Err(FieldError::new(
            field,
            ErrorCode::InvalidFormat,
            "a country code never starts with 0",
        ));
    }
    if !(8..=15).contains(&digits.len()) {
        return Err(FieldError::new(
            field,
            ErrorCode::InvalidFormat,
            "must have 8 to 15 digits including the country code",
        ));
    }
    Ok(format!("+{digits}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn phone_table() {
        let ok = [
            ("+48 601 234 567", "+48601234567"),
            ("+48-601-234-567", "+48601234567"),
            ("0048 601 234 567", "+48601234567"),
            ("(+1) 555.123.4567", "+15551234567"),
            ("+380 44 123 4567", "+380441234567"),
            ("+34 912 345 678", "+34912345678"),
        ];
        for (input, expected) in ok {
            assert_eq!(
                parse_e164("phone", input).ok().as_deref(),
                Some(expected),
                "{input}"
            );
        }
        let bad = [
            ("", ErrorCode::Required),
            ("601 234 567", ErrorCode::InvalidFormat),
            ("+48 601 234 567 ext 5", ErrorCode::InvalidFormat),
            ("+0 123 456 789", ErrorCode::InvalidFormat),
            ("+123", ErrorCode::InvalidFormat),
            ("+1234567890123456", ErrorCode::InvalidFormat),
            ("48+601234567", ErrorCode::InvalidFormat),
            ("<script>", ErrorCode::InvalidFormat),
        ];
        for (input, code) in bad {
            assert_eq!(
                parse_e164("phone", input).err().map(|e| e.code),
                Some(code),
                "{input}"
            );
        }
    }

    proptest! {
        #[test]
        fn accepted_numbers_are_canonical_and_stable(s in "\\PC{0,30}") {
            if let Ok(n) = parse_e164("p", &s) {
                prop_assert!(n.starts_with('+'));
                prop_assert!(n[1..].chars().all(|c| c.is_ascii_digit()));
                prop_assert_eq!(parse_e164("p", &n).ok(), Some(n.clone()));
            }
        }
    }
}
