//! Case and diacritic folding for search and sorting, done in Rust so that both databases
//! agree and non-ASCII names work (SQLite's NOCASE and LIKE fold ASCII only).
//!
//! "Łukasz", "lukasz" and "ŁUKASZ" fold to the same key; so do "Müller" and "muller". Marks
//! are stripped from Latin letters only: in Cyrillic, й and ї are letters of their own, and
//! folding them to и and і would merge different names.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Latin letters that do not decompose into a base letter and a mark.
fn special(c: char) -> Option<&'static str> {
    Some(match c {
        'ł' => "l",
        'ø' => "o",
        'đ' | 'ð' => "d",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ı' => "i",
        'þ' => "th",
        'ħ' => "h",
        'ŀ' => "l",
        _ => return None,
    })
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}')
}

/// Lowercases and strips marks from Latin letters, keeping everything else.
pub fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut after_latin = false;
    for c in input.nfd().flat_map(char::to_lowercase) {
        if is_combining_mark(c) {
            if !after_latin {
                out.push(c);
            }
            continue;
        }
        if let Some(s) = special(c) {
            out.push_str(s);
            after_latin = true;
            continue;
        }
        after_latin = is_latin(c);
        out.push(c);
    }
    out.nfc().collect()
}

/// The folded words of a text, for the search index and for queries: letters and digits
/// only, separated by single spaces.
pub fn search_terms(input: &str) -> Vec<String> {
    fold(input)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A key that sorts like a person expects: folded, punctuation-insensitive, spaces kept
/// between words so "van der Berg" sorts by its words.
pub fn sort_key(input: &str) -> String {
    search_terms(input).join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folding_table() {
        let cases = [
            ("Łukasz", "lukasz"),
            ("ŁUKASZ", "lukasz"),
            ("Żółć", "zolc"),
            ("Müller", "muller"),
            ("Straße", "strasse"),
            ("Ærø", "aero"),
            ("José Núñez", "jose nunez"),
            ("Олена", "олена"),
            ("ОЛЕНА", "олена"),
            ("Андрій Їжак", "андрій їжак"),
            ("Ўрта", "ўрта"),
            ("e\u{301}cole", "ecole"),
        ];
        for (input, expected) in cases {
            assert_eq!(fold(input), expected, "{input:?}");
        }
    }

    #[test]
    fn search_terms_drop_punctuation() {
        assert_eq!(
            search_terms("O'Brien-Kowalski, Ltd."),
            ["o", "brien", "kowalski", "ltd"]
        );
        assert_eq!(search_terms("  "), Vec::<String>::new());
        assert_eq!(sort_key("van der  Berg"), "van der berg");
    }

    proptest! {
        #[test]
        fn folding_is_idempotent(s in "\\PC{0,40}") {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once.clone());
        }

        #[test]
        fn case_never_matters(s in "[a-zA-ZąćęłńóśźżĄĆĘŁŃÓŚŹŻа-яА-ЯіїєІЇЄ ]{0,30}") {
            prop_assert_eq!(fold(&s.to_uppercase()), fold(&s.to_lowercase()));
        }
    }
}
