//! The password policy (NIST SP 800-63B style): length, not the e-mail, not a common password.
//! No composition rules: they push people to `Password1!` and add nothing.

use crate::email::EmailAddress;
use crate::validation::{ErrorCode, FieldError};

pub const MIN_CHARS: usize = 10;
/// Long enough for any passphrase, short enough that hashing cannot be used to burn CPU.
pub const MAX_CHARS: usize = 128;

/// A password that passed the policy. Holding one is proof the check ran.
#[derive(Clone)]
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

impl NewPassword {
    pub fn parse(field: &str, candidate: &str, email: &EmailAddress) -> Result<Self, FieldError> {
        let weak = |message: String| Err(FieldError::new(field, ErrorCode::WeakPassword, message));
        let count = candidate.chars().count();
        if count == 0 {
            return Err(FieldError::required(field));
        }
        if count < MIN_CHARS {
            return weak(format!("must be at least {MIN_CHARS} characters"));
        }
        if count > MAX_CHARS {
            return Err(FieldError::new(
                field,
                ErrorCode::TooLong,
                format!("must be at most {MAX_CHARS} characters"),
            ));
        }
        if candidate.chars().any(|c| c.is_control()) {
            return Err(FieldError::new(
                field,
                ErrorCode::InvalidFormat,
                "must not contain control characters",
            ));
        }
        let folded = candidate.to_lowercase();
        let local = email.local_part().to_lowercase();
        if folded == email.key()
            || folded == local
            || (local.chars().count() >= 4 && folded.contains(&local))
        {
            return weak("must not be or contain your e-mail address".to_owned());
        }
        if is_common(&folded) {
            return weak("is too common; choose a longer phrase of unrelated words".to_owned());
        }
        Ok(Self(candidate.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// True for the passwords attackers try first: list entries, a list word padded with digits
/// and symbols (`Password2024!`), one repeated character, or a keyboard or digit run.
fn is_common(folded: &str) -> bool {
    if COMMON.contains(&folded) {
        return true;
    }
    let core = folded
        .trim_end_matches(|c: char| !c.is_alphabetic())
        .trim_start_matches(|c: char| !c.is_alphabetic());
    if !core.is_empty() && COMMON_WORDS.contains(&core) {
        return true;
    }
    let mut chars = folded.chars();
    if let Some(first) = chars.next()
        && chars.all(|c| c == first)
    {
        return true;
    }
    RUNS.iter()
        .any(|run| run.contains(folded) || folded.contains(run))
}

/// Keyboard and alphabet runs; a password that is or contains one of these long runs is weak.
const RUNS: &[&str] = &[
    "01234567890",
    "1234567890",
    "0987654321",
    "qwertyuiop",
    "asdfghjkl;",
    "zxcvbnm,./",
    "abcdefghijklmnopqrstuvwxyz",
    "qwertzuiop",
    "azertyuiop",
    "1q2w3e4r5t",
    "1qaz2wsx3edc",
    "йцукенгшщз",
];

/// Words that, padded with digits or symbols, make up most breached passwords.
const COMMON_WORDS: &[&str] = &[
    "password",
    "passwort",
    "haslo",
    "hasło",
    "contraseña",
    "contrasena",
    "пароль",
    "qwerty",
    "letmein",
    "welcome",
    "admin",
    "administrator",
    "iloveyou",
    "monkey",
    "dragon",
    "football",
    "baseball",
    "sunshine",
    "princess",
    "shadow",
    "master",
    "superman",
    "batman",
    "trustno",
    "starwars",
    "whatever",
    "freedom",
    "michael",
    "jennifer",
    "jordan",
    "charlie",
    "computer",
    "changeme",
    "secret",
    "login",
    "rapport",
    "crm",
    "default",
    "summer",
    "winter",
    "spring",
    "autumn",
    "december",
    "november",
    "january",
    "hello",
    "football",
    "soccer",
    "pokemon",
    "samsung",
    "google",
    "facebook",
    "linkedin",
    "microsoft",
    "zaq",
    "xsw",
    "asdf",
    "zxcv",
    "qazwsx",
    "polska",
    "espana",
    "ukraine",
    "україна",
    "kochamcie",
    "teamo",
    "tequiero",
];

/// Frequent breached passwords that are at least ten characters long; shorter ones fail the
/// length rule first.
const COMMON: &[&str] = &[
    "1234567890",
    "12345678910",
    "123456789a",
    "1234567890a",
    "qwertyuiop",
    "1q2w3e4r5t",
    "1qaz2wsx3edc",
    "1qazxsw23edc",
    "password123",
    "password1234",
    "password12",
    "passw0rd123",
    "iloveyou123",
    "qwerty1234",
    "qwerty12345",
    "qwerty123456",
    "abc1234567",
    "abcd123456",
    "a123456789",
    "q1w2e3r4t5",
    "q1w2e3r4t5y6",
    "zaq12wsxcde3",
    "1234qwerasdf",
    "asdfghjkl1",
    "zxcvbnm123",
    "11111111111",
    "0000000000",
    "1111111111",
    "1234512345",
    "5555555555",
    "9876543210",
    "987654321a",
    "123123123123",
    "123qweasdzxc",
    "qweasdzxc123",
    "trustno1234",
    "letmein123",
    "welcome123",
    "welcome2024",
    "welcome2025",
    "welcome2026",
    "admin12345",
    "administrator",
    "adminadmin",
    "changeme123",
    "football123",
    "baseball123",
    "sunshine123",
    "princess123",
    "iloveyou12",
    "superman123",
    "starwars123",
    "michael123",
    "jennifer123",
    "computer123",
    "internet123",
    "whatever123",
    "pokemon123",
    "samsung123",
    "monkey12345",
    "dragon12345",
    "shadow12345",
    "master12345",
    "mustang123",
    "liverpool1",
    "chelsea123",
    "arsenal123",
    "barcelona1",
    "realmadrid",
    "manchester",
    "basketball",
    "superstar1",
    "blink18218",
    "1q2w3e4r5t6y",
    "passwordpassword",
    "qwertyqwerty",
    "aaaaaaaaaa",
    "abcdefghij",
    "abcdefg123",
    "mypassword",
    "mypassword1",
    "secret1234",
    "haslo12345",
    "kochamcie1",
    "zaq1xsw2cde3",
    "polska123",
    "polska1234",
    "contraseña1",
    "contrasena1",
    "teamo12345",
    "пароль1234",
    "йцукенгшщз",
    "qazwsxedcrfv",
    "1q2w3e4r5t6y7u",
    "asdfasdfasdf",
    "zxcvbnmasdf",
    "loveyou1234",
    "iloveyou1234",
    "sunflower1",
    "butterfly1",
    "chocolate1",
    "princesa123",
    "estrella12",
    "tequiero12",
    "rapport123",
    "rapportcrm",
    "crmpassword",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn email() -> EmailAddress {
        EmailAddress::parse("email", "anna.nowak@example.com").unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn policy_table() {
        let cases: &[(&str, Option<ErrorCode>)] = &[
            ("correct horse battery staple", None),
            ("Zielony-Słoń-Tańczy", None),
            ("тихий вечір над Дніпром", None),
            ("", Some(ErrorCode::Required)),
            ("short", Some(ErrorCode::WeakPassword)),
            ("nine_char", Some(ErrorCode::WeakPassword)),
            ("anna.nowak@example.com", Some(ErrorCode::WeakPassword)),
            ("ANNA.NOWAK@EXAMPLE.COM", Some(ErrorCode::WeakPassword)),
            ("my-anna.nowak-secret", Some(ErrorCode::WeakPassword)),
            ("password123", Some(ErrorCode::WeakPassword)),
            ("Password2024!", Some(ErrorCode::WeakPassword)),
            ("!!Welcome!!2026", Some(ErrorCode::WeakPassword)),
            ("qwertyuiop", Some(ErrorCode::WeakPassword)),
            ("my1234567890pass", Some(ErrorCode::WeakPassword)),
            ("zzzzzzzzzzzz", Some(ErrorCode::WeakPassword)),
            ("line\nbreak in it", Some(ErrorCode::InvalidFormat)),
        ];
        for (candidate, expected) in cases {
            let got = NewPassword::parse("password", candidate, &email())
                .err()
                .map(|e| e.code);
            assert_eq!(got, *expected, "{candidate:?}");
        }
        let long = "x".repeat(40) + &"y".repeat(MAX_CHARS);
        assert_eq!(
            NewPassword::parse("password", &long, &email())
                .err()
                .map(|e| e.code),
            Some(ErrorCode::TooLong)
        );
    }

    #[test]
    fn short_local_parts_do_not_ban_ordinary_passwords() {
        let short =
            EmailAddress::parse("email", "al@example.com").unwrap_or_else(|e| panic!("{e}"));
        assert!(NewPassword::parse("password", "totally calm river", &short).is_ok());
    }

    #[test]
    fn debug_never_prints_the_password() {
        let p = NewPassword::parse("password", "correct horse battery staple", &email());
        assert_eq!(format!("{p:?}"), "Ok(NewPassword(***))");
    }
}
