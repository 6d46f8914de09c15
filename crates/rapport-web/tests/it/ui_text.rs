//! The UI's words (DESIGN §7): every message in every language, no untranslated English
//! copies, every key the code and templates use exists, and templates hold no raw text.

use std::collections::BTreeSet;
use std::path::Path;

use rapport_core::catalogue::{self, Kind};
use rapport_core::object::ObjectType;
use rapport_web::ui::i18n::{SOURCES, enum_key, field_key};

fn ids(source: &str) -> Vec<String> {
    source
        .lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
        .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim().to_owned()))
        .collect()
}

/// Values by id, a multi-line value (a plural select) with all its lines.
fn values(source: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in source.lines() {
        if line.starts_with(' ') {
            if let Some((_, v)) = out.last_mut() {
                v.push('\n');
                v.push_str(line.trim());
            }
        } else if line.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && let Some((k, v)) = line.split_once(" =")
        {
            out.push((k.trim().to_owned(), v.trim().to_owned()));
        }
    }
    out
}

fn english() -> &'static str {
    SOURCES[0].1
}

#[test]
fn every_message_exists_in_every_language_once() {
    let en = ids(english());
    let unique: BTreeSet<&String> = en.iter().collect();
    assert_eq!(unique.len(), en.len(), "duplicate ids in en.ftl");
    for (locale, source) in SOURCES {
        let theirs = ids(source);
        let missing: Vec<_> = en.iter().filter(|k| !theirs.contains(k)).collect();
        let extra: Vec<_> = theirs.iter().filter(|k| !en.contains(k)).collect();
        assert!(missing.is_empty(), "{locale}.ftl lacks {missing:?}");
        assert!(
            extra.is_empty(),
            "{locale}.ftl has ids English lacks: {extra:?}"
        );
    }
}

/// Values that are the same word in every language, by design.
const SAME_EVERYWHERE: &[&str] = &[
    "app-name",
    "language-en",
    "language-pl",
    "language-es",
    "language-uk",
    "record-empty-value",
    "enum-kind-sms",
    "enum-preferred_channel-sms",
    // Only values and punctuation: "Talk (20%)".
    "settings-stage-summary",
];

#[test]
fn translations_are_not_english_copies() {
    let en = values(english());
    for (locale, source) in SOURCES.iter().skip(1) {
        let theirs = values(source);
        let copies: Vec<&String> = en
            .iter()
            .filter(|(k, v)| {
                !SAME_EVERYWHERE.contains(&k.as_str())
                    && !v.is_empty()
                    && theirs.iter().any(|(tk, tv)| tk == k && tv == v)
                    // "No" is Spanish for no.
                    && (*locale != rapport_core::locale::Locale::Es || k != "record-no")
            })
            .map(|(k, _)| k)
            .collect();
        assert!(
            copies.is_empty(),
            "{locale}.ftl copies English for {copies:?}"
        );
    }
}

#[test]
fn every_catalogue_field_and_fixed_value_has_a_label() {
    let en = ids(english());
    for object in [
        ObjectType::Company,
        ObjectType::Contact,
        ObjectType::Lead,
        ObjectType::Opportunity,
        ObjectType::Activity,
    ] {
        for f in catalogue::all_fields(object) {
            assert!(en.contains(&field_key(f.name)), "no label for {}", f.name);
            if let Kind::Enum(values) = f.kind {
                for v in values {
                    assert!(
                        en.contains(&enum_key(f.name, v)),
                        "no label for {}={v}",
                        f.name
                    );
                }
            }
        }
    }
    for v in ["private", "team", "workspace"] {
        assert!(en.contains(&enum_key("visibility", v)));
    }
}

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn files(dir: &Path, ext: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path, ext));
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push((
                path.display().to_string(),
                std::fs::read_to_string(&path).unwrap(),
            ));
        }
    }
    out
}

/// String literals shaped like message ids (`home-title`, `error-code-required`) with the
/// prefix of a message group; ids built with `format!` are covered by the label tests.
fn used_keys(text: &str, template: bool) -> Vec<String> {
    const GROUPS: &[&str] = &[
        "nav-",
        "cal-",
        "login-",
        "home-",
        "list-",
        "op-",
        "record-",
        "profile-",
        "language-",
        "search-",
        "error-",
        "board-",
        "convert-",
        "settings-",
        "audit-",
    ];
    // In templates only arguments count: element ids may look like message ids.
    let pieces: Vec<&str> = if template {
        text.split("(\"")
            .skip(1)
            .filter_map(|p| p.split('"').next())
            .collect()
    } else {
        text.split('"').skip(1).step_by(2).collect()
    };
    pieces
        .into_iter()
        .filter(|lit| {
            GROUPS.iter().any(|g| lit.starts_with(g))
                && lit
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c == '_')
        })
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_message_the_code_and_templates_use_exists() {
    let en = ids(english());
    let mut sources = files(&crate_dir().join("templates"), "html");
    sources.extend(files(&crate_dir().join("src/ui"), "rs"));
    let mut missing = Vec::new();
    for (path, text) in &sources {
        for key in used_keys(text, path.ends_with(".html")) {
            if !en.contains(&key) {
                missing.push(format!("{key} in {path}"));
            }
        }
    }
    assert!(missing.is_empty(), "unknown message ids: {missing:#?}");
}

/// What is left of a template once tags, expressions and statements are gone.
fn raw_text(template: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while !rest.is_empty() {
        let next = ["{{", "{%", "{#", "<"]
            .iter()
            .filter_map(|open| rest.find(open).map(|i| (i, *open)))
            .min_by_key(|(i, _)| *i);
        match next {
            None => {
                out.push_str(rest);
                break;
            }
            Some((i, open)) => {
                out.push_str(&rest[..i]);
                let close = match open {
                    "{{" => "}}",
                    "{%" => "%}",
                    "{#" => "#}",
                    _ => ">",
                };
                rest = match rest[i + open.len()..].find(close) {
                    Some(j) => &rest[i + open.len() + j + close.len()..],
                    None => "",
                };
            }
        }
    }
    out
}

#[test]
fn templates_hold_no_words_of_their_own() {
    for (path, text) in files(&crate_dir().join("templates"), "html") {
        let left: String = raw_text(&text)
            .chars()
            .filter(|c| c.is_alphabetic())
            .collect();
        assert!(left.is_empty(), "{path} has raw text: {left:?}");
        assert!(!text.contains("|safe"), "{path} turns escaping off");
        assert!(!text.contains(" style="), "{path} has an inline style");
        assert!(
            !text.contains("hx-on"),
            "{path} uses hx-on, which evaluates code"
        );
        assert!(
            !text.contains("<script>") && !text.contains("<script\n"),
            "{path} has an inline script"
        );
    }
}

#[test]
fn the_raw_text_check_finds_words_between_tags() {
    let left = raw_text("<p>{{ c.t(\"x\") }} Hello {% if a %}<b>x</b>{% endif %}</p>");
    assert_eq!(left.trim(), "Hello x");
}

/// Keys the settings pages build with `format!` from the core's own lists, so a new role,
/// audit action, situation, stage kind or custom field type cannot ship without a label.
#[test]
fn every_settings_value_built_from_the_core_has_a_label() {
    use rapport_core::Role;
    use rapport_core::access::{Reach, Situation};
    use rapport_core::audit::AuditAction;
    use rapport_core::custom::CustomKind;
    use rapport_core::pipeline::StageKind;
    let en = ids(english());
    let mut wanted: Vec<String> = Vec::new();
    for a in AuditAction::ALL {
        wanted.push(format!("audit-action-{}", a.as_str().replace('.', "-")));
    }
    for r in Role::ALL {
        wanted.push(format!("settings-role-{}", r.as_str()));
        wanted.push(format!("settings-role-{}-summary", r.as_str()));
    }
    for s in Situation::ALL {
        wanted.push(format!("settings-situation-{}", s.as_str()));
    }
    for r in [Reach::None, Reach::Read, Reach::ReadWrite] {
        wanted.push(format!("settings-reach-{}", r.as_str()));
    }
    for k in CustomKind::ALL {
        wanted.push(format!("settings-field-kind-{}", k.as_str()));
    }
    for k in [StageKind::Open, StageKind::Won, StageKind::Lost] {
        wanted.push(format!("settings-stage-kind-{}", k.as_str()));
        wanted.push(format!("settings-stage-default-{}", k.as_str()));
    }
    for k in ["user", "operator", "anonymous"] {
        wanted.push(format!("audit-actor-{k}"));
    }
    let missing: Vec<&String> = wanted.iter().filter(|k| !en.contains(k)).collect();
    assert!(missing.is_empty(), "no label for {missing:?}");
}
