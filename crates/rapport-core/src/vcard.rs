//! vCard 4.0 (RFC 6350) of a contact, made from the contact's JSON as one caller may see it,
//! so hidden fields never reach a card.
//!
//! Text values escape `\`, `,`, `;` and line breaks (§3.4); lines are folded so that no
//! line exceeds 75 octets, never inside a UTF-8 character (§3.2); lines end with CRLF.

use serde_json::Value as Json;

/// Escapes a text value (RFC 6350 §3.4).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            other => out.push(other),
        }
    }
    out
}

/// Folds one content line: at most 75 octets per physical line, continuation lines begin
/// with one space, and no UTF-8 character is split. Ends with CRLF.
pub fn fold_line(line: &str) -> String {
    const MAX: usize = 75;
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > MAX {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
    out
}

fn text<'a>(v: &'a Json, path: &[&str]) -> Option<&'a str> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_str().filter(|s| !s.is_empty())
}

/// The vCard of a contact. `json` is the contact as rendered for the caller; `org` the name
/// of its company, if the caller may see it.
pub fn contact(json: &Json, org: Option<&str>) -> String {
    let mut lines: Vec<String> = vec!["BEGIN:VCARD".into(), "VERSION:4.0".into()];
    let first = text(json, &["first_name"]).unwrap_or("");
    let last = text(json, &["last_name"]).unwrap_or("");
    let emails: Vec<&Json> = json
        .get("emails")
        .and_then(Json::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let full = match (first, last) {
        ("", "") => emails
            .first()
            .and_then(|e| e.get("value"))
            .and_then(Json::as_str)
            .unwrap_or("")
            .to_owned(),
        (f, "") => f.to_owned(),
        ("", l) => l.to_owned(),
        (f, l) => format!("{f} {l}"),
    };
    if let Some(id) = text(json, &["id"]) {
        lines.push(format!("UID:urn:uuid:{id}"));
    }
    lines.push(format!("FN:{}", escape(&full)));
    if json.get("first_name").is_some() || json.get("last_name").is_some() {
        lines.push(format!("N:{};{};;;", escape(last), escape(first)));
    }
    for list in ["emails", "phones"] {
        let Some(items) = json.get(list).and_then(Json::as_array) else {
            continue;
        };
        for item in items {
            let Some(value) = item.get("value").and_then(Json::as_str) else {
                continue;
            };
            let mut params = String::new();
            if let Some(label) = item.get("label").and_then(Json::as_str) {
                let t: String = label
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect();
                if !t.is_empty() {
                    params.push_str(&format!(";TYPE={}", t.to_ascii_lowercase()));
                }
            }
            if item.get("primary").and_then(Json::as_bool) == Some(true) {
                params.push_str(";PREF=1");
            }
            if list == "emails" {
                lines.push(format!("EMAIL{params}:{}", escape(value)));
            } else {
                lines.push(format!("TEL{params};VALUE=uri:tel:{value}"));
            }
        }
    }
    if let Some(title) = text(json, &["title"]) {
        lines.push(format!("TITLE:{}", escape(title)));
    }
    if let Some(org) = org.filter(|o| !o.is_empty()) {
        lines.push(format!("ORG:{}", escape(org)));
    }
    if let Some(addr) = json.get("address").filter(|a| a.is_object()) {
        let part = |k: &str| escape(text(addr, &[k]).unwrap_or(""));
        let parts = [
            part("street"),
            part("city"),
            part("region"),
            part("postal_code"),
            part("country"),
        ];
        if parts.iter().any(|p| !p.is_empty()) {
            lines.push(format!(
                "ADR:;;{};{};{};{};{}",
                parts[0], parts[1], parts[2], parts[3], parts[4]
            ));
        }
    }
    if let Some(bday) = text(json, &["birth_date"]) {
        lines.push(format!("BDAY:{}", bday.replace('-', "")));
    }
    if let Some(lang) = text(json, &["language"]) {
        lines.push(format!("LANG:{}", escape(lang)));
    }
    if let Some(tz) = text(json, &["time_zone"]) {
        lines.push(format!("TZ:{}", escape(tz)));
    }
    if let Some(note) = text(json, &["description"]) {
        lines.push(format!("NOTE:{}", escape(note)));
    }
    if let Some(rev) = text(json, &["updated_at"]) {
        let basic: String = rev
            .chars()
            .filter(|c| !matches!(c, '-' | ':'))
            .take_while(|c| *c != '.' && *c != 'Z')
            .collect();
        lines.push(format!("REV:{basic}Z"));
    }
    lines.push("END:VCARD".into());
    lines.iter().map(|l| fold_line(l)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn text_values_escape_commas_semicolons_backslashes_and_line_breaks() {
        let cases = [
            ("plain", "plain"),
            ("a,b;c", "a\\,b\\;c"),
            ("back\\slash", "back\\\\slash"),
            ("two\nlines\r\nthree", "two\\nlines\\nthree"),
        ];
        for (input, want) in cases {
            assert_eq!(escape(input), want);
        }
    }

    #[test]
    fn long_lines_fold_at_75_octets() {
        let line = format!("NOTE:{}", "x".repeat(200));
        let folded = fold_line(&line);
        let parts: Vec<&str> = folded.trim_end_matches("\r\n").split("\r\n").collect();
        assert_eq!(parts.len(), 3);
        assert!(parts.iter().all(|p| p.len() <= 75));
        assert!(parts[1].starts_with(' ') && parts[2].starts_with(' '));
        let unfolded: String = parts
            .iter()
            .enumerate()
            .map(|(i, p)| if i == 0 { *p } else { &p[1..] })
            .collect();
        assert_eq!(unfolded, line);
    }

    #[test]
    fn a_contact_card_holds_what_the_caller_sees() {
        let card = contact(
            &json!({
                "id": "0190a000-0000-7000-8000-000000000001",
                "first_name": "Łucja",
                "last_name": "Nowak, Jr.",
                "emails": [{"value": "l@acme.example", "label": "work", "primary": true}],
                "phones": [{"value": "+48601234567", "label": null, "primary": true}],
                "address": {"street": "Rynek 1", "city": "Kraków", "region": null, "postal_code": "31-001", "country": "PL"},
                "birth_date": "1990-04-12",
                "description": "line one\nline two",
                "updated_at": "2024-05-01T10:20:30.123456Z"
            }),
            Some("Acme; Sp. z o.o."),
        );
        let want = "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:0190a000-0000-7000-8000-000000000001\r\n\
            FN:Łucja Nowak\\, Jr.\r\nN:Nowak\\, Jr.;Łucja;;;\r\nEMAIL;TYPE=work;PREF=1:l@acme.example\r\n\
            TEL;PREF=1;VALUE=uri:tel:+48601234567\r\nORG:Acme\\; Sp. z o.o.\r\n\
            ADR:;;Rynek 1;Kraków;;31-001;PL\r\nBDAY:19900412\r\nNOTE:line one\\nline two\r\n\
            REV:20240501T102030Z\r\nEND:VCARD\r\n";
        assert_eq!(card, want);
    }

    #[test]
    fn hidden_fields_are_absent_from_the_card() {
        let card = contact(&json!({"id": "x", "first_name": "A"}), None);
        assert!(!card.contains("BDAY") && !card.contains("EMAIL"));
    }

    proptest! {
        #[test]
        fn folding_never_splits_a_character_or_exceeds_75_octets(s in "\\PC{0,300}") {
            let folded = fold_line(&format!("NOTE:{}", escape(&s)));
            for part in folded.trim_end_matches("\r\n").split("\r\n") {
                prop_assert!(part.len() <= 75);
            }
            // Unfolding restores the line exactly.
            let unfolded = folded.trim_end_matches("\r\n").replace("\r\n ", "");
            prop_assert_eq!(unfolded, format!("NOTE:{}", escape(&s)));
        }
    }
}
