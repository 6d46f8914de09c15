//! Record forms: the inputs a field gets, the value a record shows in them, and the JSON
//! body a submitted form becomes. The body goes to the same use case as the API's, so every
//! rule is checked once, on the server, and its messages come back next to their fields.

use rapport_app::model::CustomField;
use rapport_app::record_settings::FieldsForCaller;
use rapport_core::catalogue::{self, Access, Field, Kind};
use rapport_core::custom::CustomKind;
use rapport_core::format;
use rapport_core::object::ObjectType;
use rapport_core::record::FieldAccess;
use rapport_core::time::Timestamp;
use rapport_core::validation::FieldError;
use serde_json::{Map, Value as Json, json};

use super::i18n::Tr;
use super::lists::Choice;
use super::show::raw;

/// One input of a form, with what was typed and what is wrong with it.
pub struct Input {
    pub name: String,
    pub id: String,
    pub label: String,
    /// `text`, `textarea`, `select`, `checkbox`, `date`, `datetime-local`, `number`,
    /// `email`, `url`, `tel`, `money`.
    pub control: &'static str,
    pub value: String,
    pub currency: String,
    pub options: Vec<Choice>,
    pub required: bool,
    /// Shown but not sent: the reader's role may not change this field.
    pub readonly: bool,
    pub error: Option<String>,
}

/// Whether a form offers `field` (system fields and relation lists are set elsewhere).
fn editable(field: &Field, creating: bool) -> bool {
    let settable = match field.access {
        Access::Write => true,
        Access::CreateOnly => creating,
        Access::System => false,
    };
    settable
        && !matches!(
            field.kind,
            Kind::Tags | Kind::Links | Kind::Roles(_) | Kind::Id
        )
}

/// The built-in fields a form offers the reader: hidden ones left out.
pub fn form_fields(
    object: ObjectType,
    creating: bool,
    fields: &FieldsForCaller,
) -> Vec<&'static Field> {
    catalogue::all_fields(object)
        .filter(|f| editable(f, creating) && fields.access(f.name) != FieldAccess::Hidden)
        .collect()
}

/// The custom fields a form offers the reader.
fn custom_fields(fields: &FieldsForCaller) -> impl Iterator<Item = &CustomField> {
    fields
        .custom
        .iter()
        .filter(|d| fields.access(&custom_name(d)) != FieldAccess::Hidden)
}

pub fn custom_name(d: &CustomField) -> String {
    format!("custom.{}", d.key)
}

fn custom_control(kind: CustomKind) -> &'static str {
    match kind {
        CustomKind::Text => "text",
        CustomKind::Number => "decimal",
        CustomKind::Date => "date",
        CustomKind::Bool => "checkbox",
        CustomKind::Select => "select",
    }
}

/// The text a custom field's input shows for a stored value.
fn custom_input_value(v: &Json) -> String {
    match v {
        Json::Null => String::new(),
        Json::Bool(true) => "true".to_owned(),
        Json::Bool(false) => String::new(),
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A custom field's JSON from what the form sent. A number that does not parse goes as
/// typed so that the server names what is wrong with it.
fn custom_json(kind: CustomKind, value: &str) -> Json {
    let v = value.trim();
    match kind {
        CustomKind::Bool => json!(v == "true"),
        _ if v.is_empty() => Json::Null,
        CustomKind::Number => v
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| json!(v), Json::Number),
        _ => json!(v),
    }
}

fn control(kind: Kind) -> &'static str {
    match kind {
        Kind::LongText { .. } | Kind::Emails | Kind::Phones => "textarea",
        Kind::Enum(_) | Kind::UserRef | Kind::Visibility => "select",
        Kind::Bool => "checkbox",
        Kind::Date => "date",
        Kind::DateTime => "datetime-local",
        Kind::Integer { .. } => "number",
        Kind::Email => "email",
        Kind::Url => "url",
        Kind::Phone => "tel",
        Kind::Money => "money",
        _ => "text",
    }
}

/// The text a field's input shows for a stored value.
pub fn input_value(field: &Field, v: &Json, zone: &str) -> (String, String) {
    match (field.kind, v) {
        (_, Json::Null) => (String::new(), String::new()),
        (Kind::Money, m) => (
            m.get("amount")
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_owned(),
            m.get("currency")
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_owned(),
        ),
        (Kind::DateTime, Json::String(s)) => (
            Timestamp::parse_rfc3339(s)
                .map(|t| format::timestamp_to_local_input(t, zone))
                .unwrap_or_else(|_| s.clone()),
            String::new(),
        ),
        (Kind::Emails | Kind::Phones, Json::Array(items)) => (
            items
                .iter()
                .filter_map(|i| i.get("value").and_then(Json::as_str))
                .collect::<Vec<_>>()
                .join("\n"),
            String::new(),
        ),
        (Kind::Bool, b) => (
            if b.as_bool() == Some(true) {
                "true"
            } else {
                ""
            }
            .to_owned(),
            String::new(),
        ),
        (_, Json::String(s)) => (s.clone(), String::new()),
        (_, other) => (other.to_string(), String::new()),
    }
}

fn submitted<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    // A checkbox sends its hidden "false" first and "true" after it when ticked.
    form.iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The inputs of a form: stored values, or what was typed when the form comes back.
#[allow(clippy::too_many_arguments)]
pub fn inputs(
    tr: Tr,
    object: ObjectType,
    creating: bool,
    record: Option<&Json>,
    typed: Option<&[(String, String)]>,
    errors: &[FieldError],
    users: &[Choice],
    base_currency: &str,
    zone: &str,
    fields: &FieldsForCaller,
) -> Vec<Input> {
    let mut out: Vec<Input> = form_fields(object, creating, fields)
        .into_iter()
        .map(|f| {
            let (stored, stored_currency) = record
                .map(|r| input_value(f, raw(r, f.name), zone))
                .unwrap_or_default();
            let (value, currency) = match typed {
                Some(form) => (
                    submitted(form, f.name).unwrap_or_default().to_owned(),
                    submitted(form, &format!("{}__currency", f.name))
                        .unwrap_or_default()
                        .to_owned(),
                ),
                None => (stored, stored_currency),
            };
            let options = match f.kind {
                Kind::Enum(values) => std::iter::once(Choice {
                    value: String::new(),
                    label: String::new(),
                    selected: value.is_empty(),
                })
                .chain(values.iter().map(|v| Choice {
                    value: (*v).to_owned(),
                    label: tr.enum_value(f.name, v),
                    selected: *v == value,
                }))
                .collect(),
                // Empty on a new record: the workspace's default visibility applies.
                Kind::Visibility => ["", "private", "team", "workspace"]
                    .iter()
                    .map(|v| Choice {
                        value: (*v).to_owned(),
                        label: tr.enum_value("visibility", v),
                        selected: *v == value,
                    })
                    .collect(),
                Kind::UserRef => users
                    .iter()
                    .map(|u| Choice {
                        value: u.value.clone(),
                        label: u.label.clone(),
                        selected: u.value == value,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            Input {
                name: f.name.to_owned(),
                id: format!("f-{}", f.name.replace('.', "-")),
                label: tr.field(f.name),
                control: control(f.kind),
                value,
                currency: if currency.is_empty() {
                    base_currency.to_owned()
                } else {
                    currency
                },
                options,
                required: f.required,
                readonly: fields.access(f.name) == FieldAccess::ReadOnly,
                error: error_for(tr, f.name, errors),
            }
        })
        .collect();
    for d in custom_fields(fields) {
        let name = custom_name(d);
        let value = match typed {
            Some(form) => submitted(form, &name).unwrap_or_default().to_owned(),
            None => record
                .map(|r| custom_input_value(raw(r, &name)))
                .unwrap_or_default(),
        };
        let options = if d.kind == CustomKind::Select {
            std::iter::once(String::new())
                .chain(d.options.iter().cloned())
                .map(|o| Choice {
                    selected: o == value,
                    label: o.clone(),
                    value: o,
                })
                .collect()
        } else {
            Vec::new()
        };
        out.push(Input {
            id: format!("f-custom-{}", d.key),
            label: d.label.clone(),
            control: custom_control(d.kind),
            value,
            currency: String::new(),
            options,
            required: d.required,
            readonly: fields.access(&name) == FieldAccess::ReadOnly,
            error: error_for(tr, &name, errors),
            name,
        });
    }
    out
}

/// The message for a field, in the reader's language: the server's own words in English
/// (they say exactly what is wrong), the localized meaning of its code otherwise.
pub fn error_for(tr: Tr, field: &str, errors: &[FieldError]) -> Option<String> {
    errors
        .iter()
        .find(|e| belongs_to(&e.field, field))
        .map(|e| message(tr, e))
}

/// One error's message in the reader's language (see [`error_for`]).
pub fn message(tr: Tr, e: &FieldError) -> String {
    match tr.locale {
        rapport_core::locale::Locale::En => e.message.clone(),
        _ => tr.get(&format!("error-code-{}", e.code.as_str())),
    }
}

fn belongs_to(error_field: &str, field: &str) -> bool {
    error_field == field
        || error_field
            .strip_prefix(field)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

/// Errors about fields the form does not show, to list above it.
pub fn unplaced<'e>(
    object: ObjectType,
    creating: bool,
    errors: &'e [FieldError],
    fields: &FieldsForCaller,
) -> Vec<&'e FieldError> {
    let built_in = form_fields(object, creating, fields);
    let custom: Vec<String> = custom_fields(fields).map(custom_name).collect();
    errors
        .iter()
        .filter(|e| {
            !built_in.iter().any(|f| belongs_to(&e.field, f.name))
                && !custom.iter().any(|c| belongs_to(&e.field, c))
        })
        .collect()
}

/// A field's JSON from what the form sent; `None` when nothing usable was sent.
fn json_of(field: &Field, value: &str, currency: &str, zone: &str) -> Json {
    let v = value.trim();
    if v.is_empty() && field.kind != Kind::Bool {
        return match field.kind {
            Kind::Emails | Kind::Phones => json!([]),
            _ => Json::Null,
        };
    }
    match field.kind {
        Kind::Integer { .. } => v.parse::<i64>().map_or_else(|_| json!(v), |n| json!(n)),
        Kind::Money => json!({"amount": v, "currency": currency.trim()}),
        Kind::Bool => json!(v == "true"),
        Kind::DateTime => match format::local_input_to_timestamp(v, zone) {
            Some(t) => json!(t.to_rfc3339()),
            None => json!(v),
        },
        Kind::Emails | Kind::Phones => Json::Array(
            value
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| json!({"value": l}))
                .collect(),
        ),
        _ => json!(v),
    }
}

/// The body of a create (every filled field) or an update (only the fields whose input
/// differs from what the record shows, so a save never overwrites what it did not touch).
pub fn body(
    object: ObjectType,
    creating: bool,
    form: &[(String, String)],
    current: Option<&Json>,
    zone: &str,
    fields: &FieldsForCaller,
) -> Map<String, Json> {
    let mut out = Map::new();
    for f in form_fields(object, creating, fields) {
        if fields.access(f.name) != FieldAccess::ReadWrite {
            continue;
        }
        let value = submitted(form, f.name).unwrap_or_default();
        let currency = submitted(form, &format!("{}__currency", f.name)).unwrap_or_default();
        if submitted(form, f.name).is_none() && f.kind != Kind::Bool {
            continue;
        }
        let json = json_of(f, value, currency, zone);
        match current {
            Some(r) => {
                let (shown, shown_currency) = input_value(f, raw(r, f.name), zone);
                let unchanged = shown.trim() == value.trim()
                    && (f.kind != Kind::Money
                        || value.trim().is_empty()
                        || shown_currency == currency.trim());
                if unchanged {
                    continue;
                }
            }
            None => {
                if json.is_null() || json == json!([]) || json == json!(false) {
                    continue;
                }
            }
        }
        insert_path(&mut out, f.name, json);
    }
    let mut custom = Map::new();
    for d in custom_fields(fields) {
        let name = custom_name(d);
        if fields.access(&name) != FieldAccess::ReadWrite {
            continue;
        }
        let Some(value) = submitted(form, &name) else {
            continue;
        };
        let unchanged = match current {
            Some(r) => custom_input_value(raw(r, &name)).trim() == value.trim(),
            None => value.trim().is_empty() || (d.kind == CustomKind::Bool && value != "true"),
        };
        if !unchanged {
            custom.insert(d.key.clone(), custom_json(d.kind, value));
        }
    }
    if !custom.is_empty() {
        out.insert("custom".into(), Json::Object(custom));
    }
    out
}

/// `address.city` goes into `{"address": {"city": …}}`.
fn insert_path(out: &mut Map<String, Json>, name: &str, value: Json) {
    match name.split_once('.') {
        Some((outer, inner)) => {
            let entry = out
                .entry(outer.to_owned())
                .or_insert_with(|| Json::Object(Map::new()));
            if let Json::Object(m) = entry {
                m.insert(inner.to_owned(), value);
            }
        }
        None => {
            out.insert(name.to_owned(), value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn a_create_sends_only_what_was_filled_in_the_shape_the_api_takes() {
        let b = body(
            ObjectType::Opportunity,
            true,
            &form(&[
                ("name", " Big deal "),
                ("amount", "1200.50"),
                ("amount__currency", "EUR"),
                ("probability", "40"),
                ("close_date", ""),
                ("next_step", ""),
            ]),
            None,
            "UTC",
            &FieldsForCaller::unrestricted(),
        );
        assert_eq!(
            Json::Object(b),
            json!({"name": "Big deal", "amount": {"amount": "1200.50", "currency": "EUR"}, "probability": 40})
        );
    }

    #[test]
    fn an_update_sends_only_changed_fields_and_clears_emptied_ones() {
        let current = json!({"first_name": "Ada", "last_name": "Lovelace", "title": "Countess",
            "address": {"city": "London"}, "do_not_contact": false});
        let b = body(
            ObjectType::Contact,
            false,
            &form(&[
                ("first_name", "Ada"),
                ("last_name", "King"),
                ("title", ""),
                ("address.city", "London"),
                ("do_not_contact", "false"),
                ("do_not_contact", "true"),
            ]),
            Some(&current),
            "UTC",
            &FieldsForCaller::unrestricted(),
        );
        assert_eq!(
            Json::Object(b),
            json!({"last_name": "King", "title": null, "do_not_contact": true})
        );
    }

    #[test]
    fn local_times_are_sent_as_utc_instants() {
        let b = body(
            ObjectType::Activity,
            true,
            &form(&[("subject", "Call"), ("due_at", "2026-11-23T14:05")]),
            None,
            "Europe/Warsaw",
            &FieldsForCaller::unrestricted(),
        );
        assert_eq!(b.get("due_at"), Some(&json!("2026-11-23T13:05:00Z")));
    }

    #[test]
    fn nested_and_indexed_errors_land_on_their_field() {
        let errors = vec![
            FieldError::new(
                "amount.amount",
                rapport_core::ErrorCode::InvalidFormat,
                "bad",
            ),
            FieldError::new(
                "emails[1]",
                rapport_core::ErrorCode::InvalidFormat,
                "bad mail",
            ),
        ];
        let tr = Tr::new(rapport_core::locale::Locale::En);
        assert_eq!(error_for(tr, "amount", &errors).as_deref(), Some("bad"));
        assert_eq!(
            error_for(tr, "emails", &errors).as_deref(),
            Some("bad mail")
        );
        assert_eq!(error_for(tr, "email", &errors), None);
        let pl = Tr::new(rapport_core::locale::Locale::Pl);
        assert_ne!(error_for(pl, "amount", &errors).as_deref(), Some("bad"));
    }
}
