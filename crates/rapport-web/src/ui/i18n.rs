//! Fluent messages of the four shipped languages, compiled into the binary, and the choice
//! of a reader's language: the profile's, else the browser's `Accept-Language`, else English.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use rapport_core::locale::Locale;

/// The message files, by language; English is the source.
pub const SOURCES: [(Locale, &str); 4] = [
    (Locale::En, include_str!("../../locales/en.ftl")),
    (Locale::Pl, include_str!("../../locales/pl.ftl")),
    (Locale::Es, include_str!("../../locales/es.ftl")),
    (Locale::Uk, include_str!("../../locales/uk.ftl")),
];

type Bundle = FluentBundle<FluentResource>;

fn bundles() -> &'static [(Locale, Bundle)] {
    static BUNDLES: OnceLock<Vec<(Locale, Bundle)>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        SOURCES
            .iter()
            .map(|(locale, source)| (*locale, bundle(*locale, source)))
            .collect()
    })
}

fn bundle(locale: Locale, source: &str) -> Bundle {
    let lang: unic_langid::LanguageIdentifier = locale
        .as_str()
        .parse()
        .unwrap_or_else(|_| unic_langid::LanguageIdentifier::default());
    let mut b = FluentBundle::new_concurrent(vec![lang]);
    // Isolation marks around arguments would show as stray characters in form values and
    // titles; every argument here is a name or a number in the page's own direction.
    b.set_use_isolating(false);
    let resource = match FluentResource::try_new(source.to_owned()) {
        Ok(r) => r,
        Err((r, errors)) => {
            tracing::error!(%locale, ?errors, "message file has syntax errors");
            r
        }
    };
    if let Err(errors) = b.add_resource(resource) {
        tracing::error!(%locale, ?errors, "message file has duplicate ids");
    }
    b
}

/// The messages of one language, for one page.
#[derive(Clone, Copy, Debug)]
pub struct Tr {
    pub locale: Locale,
}

impl Tr {
    pub fn new(locale: Locale) -> Self {
        Self { locale }
    }

    pub fn lang(&self) -> &'static str {
        self.locale.as_str()
    }

    /// A message without arguments. A missing id shows itself, so a gap is visible and the
    /// key test names it, rather than the page failing.
    pub fn get(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// A message with one argument.
    pub fn arg(&self, id: &str, name: &str, value: impl std::fmt::Display) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_owned(), FluentValue::from(value.to_string()));
        self.format(id, Some(&args))
    }

    /// A message with a count, chosen by the language's plural rules.
    pub fn count(&self, id: &str, count: i64) -> String {
        let mut args = FluentArgs::new();
        args.set("count", FluentValue::from(count));
        self.format(id, Some(&args))
    }

    /// A message with two arguments.
    pub fn args2(&self, id: &str, (n1, v1): (&str, &str), (n2, v2): (&str, &str)) -> String {
        let mut args = FluentArgs::new();
        args.set(n1.to_owned(), FluentValue::from(v1.to_owned()));
        args.set(n2.to_owned(), FluentValue::from(v2.to_owned()));
        self.format(id, Some(&args))
    }

    fn format(&self, id: &str, args: Option<&FluentArgs>) -> String {
        let Some((_, bundle)) = bundles().iter().find(|(l, _)| *l == self.locale) else {
            return id.to_owned();
        };
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            return id.to_owned();
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::warn!(id, locale = %self.locale, ?errors, "message formatting failed");
        }
        text.into_owned()
    }

    /// The label of a catalogue field (`address.city` → `field-address-city`).
    pub fn field(&self, name: &str) -> String {
        self.get(&field_key(name))
    }

    /// The label of one value of a field with a fixed list.
    pub fn enum_value(&self, field: &str, value: &str) -> String {
        let key = enum_key(field, value);
        let text = self.get(&key);
        if text == key { value.to_owned() } else { text }
    }
}

pub fn field_key(name: &str) -> String {
    format!("field-{}", name.replace('.', "-"))
}

pub fn enum_key(field: &str, value: &str) -> String {
    format!("enum-{}-{}", field.replace('.', "-"), value)
}

/// The best shipped language for an `Accept-Language` header, by quality then order.
pub fn negotiate(accept_language: &str) -> Option<Locale> {
    let mut best: Option<(f32, usize, Locale)> = None;
    for (i, part) in accept_language.split(',').enumerate().take(32) {
        let mut pieces = part.trim().split(';');
        let tag = pieces.next().unwrap_or_default().trim();
        let q = pieces
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        let primary = tag
            .split('-')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let Ok(locale) = primary.parse::<Locale>() else {
            continue;
        };
        if q <= 0.0 {
            continue;
        }
        if best.is_none_or(|(bq, bi, _)| q > bq || (q == bq && i < bi)) {
            best = Some((q, i, locale));
        }
    }
    best.map(|(_, _, l)| l)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browsers_best_shipped_language_wins() {
        let cases = [
            ("pl-PL,pl;q=0.9,en;q=0.8", Some(Locale::Pl)),
            ("de-DE,de;q=0.9,es;q=0.5,en;q=0.4", Some(Locale::Es)),
            ("en;q=0.3,uk;q=0.7", Some(Locale::Uk)),
            ("de, fr", None),
            ("", None),
            ("pl;q=0", None),
            ("*", None),
        ];
        for (header, want) in cases {
            assert_eq!(negotiate(header), want, "{header}");
        }
    }

    #[test]
    fn plural_messages_follow_each_languages_rules() {
        assert_eq!(Tr::new(Locale::En).count("list-total", 1), "One record");
        assert_eq!(Tr::new(Locale::En).count("list-total", 5), "5 records");
        let pl = Tr::new(Locale::Pl);
        assert_ne!(pl.count("list-total", 2), pl.count("list-total", 5));
    }

    #[test]
    fn a_missing_message_shows_its_id() {
        assert_eq!(Tr::new(Locale::Es).get("no-such-key"), "no-such-key");
    }
}
