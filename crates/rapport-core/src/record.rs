//! Records as the engine sees them: a map of catalogue fields to values plus custom fields,
//! parsed from client JSON and rendered back, both through the catalogue.

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json};
use uuid::Uuid;

use crate::catalogue::{self, Access, Kind, ParseContext};
use crate::custom::CustomFieldDef;
use crate::id::{Id, UserId};
use crate::object::{ObjectType, Visibility};
use crate::time::Timestamp;
use crate::validation::{ErrorCode, Errors, FieldError};
use crate::value::Value;

static NULL: Value = Value::Null;

#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    pub object: ObjectType,
    pub id: Uuid,
    pub values: BTreeMap<&'static str, Value>,
    pub custom: Map<String, Json>,
    pub deleted_at: Option<Timestamp>,
}

impl Record {
    pub fn get(&self, field: &str) -> &Value {
        self.values.get(field).unwrap_or(&NULL)
    }

    pub fn version(&self) -> i64 {
        match self.get("version") {
            Value::Int(v) => *v,
            _ => 0,
        }
    }

    pub fn owner(&self) -> Option<UserId> {
        self.get("owner_id").as_id().map(UserId::from_uuid)
    }

    pub fn visibility(&self) -> Visibility {
        self.get("visibility")
            .as_text()
            .and_then(|v| v.parse().ok())
            .unwrap_or(Visibility::Private)
    }
}

/// How the caller may treat one field, after field-level rules for their role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldAccess {
    Hidden,
    ReadOnly,
    ReadWrite,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Create,
    Update,
}

/// What a body asks to change. Custom values of `Json::Null` remove the key.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Changes {
    pub values: BTreeMap<&'static str, Value>,
    pub custom: BTreeMap<String, Json>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.values.is_empty() && self.custom.is_empty()
    }
}

/// Parses a create or update body. Every problem is reported, by field.
pub fn parse_body(
    object: ObjectType,
    body: &Map<String, Json>,
    mode: Mode,
    custom_defs: &[CustomFieldDef],
    ctx: &ParseContext,
    access: &dyn Fn(&str) -> FieldAccess,
) -> Result<Changes, Vec<FieldError>> {
    let mut errors = Errors::new();
    let mut changes = Changes::default();
    let mut flat: Vec<(String, &Json)> = Vec::new();
    for (key, value) in body {
        let group = catalogue::all_fields(object).any(|f| {
            f.name
                .strip_prefix(key.as_str())
                .is_some_and(|rest| rest.starts_with('.'))
        });
        match (key.as_str(), value) {
            ("custom", Json::Object(map)) => {
                for (k, v) in map {
                    let name = format!("custom.{k}");
                    if access(&name) != FieldAccess::ReadWrite {
                        errors.push(FieldError::new(
                            &name,
                            ErrorCode::ReadOnly,
                            "cannot be set here",
                        ));
                        continue;
                    }
                    match custom_defs.iter().find(|d| d.key == *k) {
                        Some(def) => {
                            if let Some(v) = errors.check(def.parse(v)) {
                                changes.custom.insert(k.clone(), v);
                            }
                        }
                        None => errors.push(FieldError::new(
                            &name,
                            ErrorCode::UnknownField,
                            "is not a custom field of this object",
                        )),
                    }
                }
            }
            ("custom", _) => errors.push(FieldError::new(
                "custom",
                ErrorCode::WrongType,
                "must be an object",
            )),
            (_, Json::Object(map)) if group => {
                for (k, v) in map {
                    flat.push((format!("{key}.{k}"), v));
                }
            }
            (_, Json::Null) if group => {
                for f in
                    catalogue::all_fields(object).filter(|f| f.name.starts_with(&format!("{key}.")))
                {
                    flat.push((f.name.to_owned(), value));
                }
            }
            (_, _) if group => errors.push(FieldError::new(
                key,
                ErrorCode::WrongType,
                "must be an object",
            )),
            _ => flat.push((key.clone(), value)),
        }
    }
    for (name, value) in flat {
        let Some(field) = catalogue::find(object, &name) else {
            errors.push(FieldError::new(
                &name,
                ErrorCode::UnknownField,
                format!("is not a field of {}", object.plural()),
            ));
            continue;
        };
        let writable = match field.access {
            Access::Write => true,
            Access::CreateOnly => mode == Mode::Create,
            Access::System => false,
        };
        if !writable || access(field.name) != FieldAccess::ReadWrite {
            errors.push(FieldError::new(
                &name,
                ErrorCode::ReadOnly,
                "cannot be set here",
            ));
            continue;
        }
        if let Some(v) = errors.check(field.parse(value, ctx)) {
            changes.values.insert(field.name, v);
        }
    }
    if mode == Mode::Create {
        for f in catalogue::all_fields(object) {
            let reported = errors.mentions(f.name);
            if f.required && !changes.values.contains_key(f.name) && !reported {
                errors.push(FieldError::required(f.name));
            }
        }
        for d in custom_defs.iter().filter(|d| d.required) {
            if !changes.custom.contains_key(&d.key) {
                errors.push(FieldError::required(format!("custom.{}", d.key)));
            }
        }
    }
    errors.into_result()?;
    Ok(changes)
}

/// Rules that involve several fields, checked on the record as it would be after a change.
pub fn validate(object: ObjectType, get: &dyn Fn(&str) -> Value) -> Vec<FieldError> {
    let present = |f: &str| !get(f).is_null();
    let mut out = Vec::new();
    match object {
        ObjectType::Contact => {
            let has_email = matches!(get("emails"), Value::Emails(ref l) if !l.is_empty());
            if !present("first_name") && !present("last_name") && !has_email {
                out.push(FieldError::new(
                    "last_name",
                    ErrorCode::Required,
                    "a contact needs a first name, a last name or an e-mail",
                ));
            }
        }
        ObjectType::Lead => {
            if !present("first_name")
                && !present("last_name")
                && !present("company_name")
                && !present("email")
            {
                out.push(FieldError::new(
                    "last_name",
                    ErrorCode::Required,
                    "a lead needs a name, a company name or an e-mail",
                ));
            }
        }
        ObjectType::Activity => {
            let note = get("kind").as_text() == Some("note");
            if note && !present("body") && !present("subject") {
                out.push(FieldError::new(
                    "body",
                    ErrorCode::Required,
                    "a note needs a body",
                ));
            } else if !note && !present("subject") {
                out.push(FieldError::required("subject"));
            }
        }
        ObjectType::Company | ObjectType::Opportunity => {}
    }
    out
}

/// Whether a sparse fieldset (`None`: every field) asks for `name`: by its name or by its
/// group (`address` asks for `address.city`).
pub fn wants_field(fields: Option<&[String]>, name: &str) -> bool {
    fields.is_none_or(|list| {
        list.iter().any(|w| {
            w == name
                || name
                    .strip_prefix(w.as_str())
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    })
}

/// Whether a sparse fieldset asks for any custom field.
pub fn wants_custom(fields: Option<&[String]>) -> bool {
    fields.is_none_or(|l| l.iter().any(|w| w == "custom" || w.starts_with("custom.")))
}

/// The record's JSON for a caller: hidden fields left out, dotted fields nested, only the
/// fields asked for when `fields` is given (the id always).
pub fn render(record: &Record, visible: &dyn Fn(&str) -> bool, fields: Option<&[String]>) -> Json {
    let wanted = |name: &str| wants_field(fields, name);
    let mut out = Map::new();
    out.insert("id".into(), Json::String(record.id.to_string()));
    for f in catalogue::all_fields(record.object) {
        if f.name == "id" || !visible(f.name) || !wanted(f.name) {
            continue;
        }
        let value = record.get(f.name).to_json();
        let value = match (&f.kind, value) {
            (
                Kind::Tags | Kind::Links | Kind::Roles(_) | Kind::Emails | Kind::Phones,
                Json::Null,
            ) => Json::Array(Vec::new()),
            (_, v) => v,
        };
        match f.name.split_once('.') {
            Some((group, leaf)) => {
                let entry = out
                    .entry(group.to_owned())
                    .or_insert_with(|| Json::Object(Map::new()));
                if let Json::Object(m) = entry {
                    m.insert(leaf.to_owned(), value);
                }
            }
            None => {
                out.insert(f.name.to_owned(), value);
            }
        }
    }
    if wants_custom(fields) {
        let mut custom = Map::new();
        for (k, v) in &record.custom {
            let name = format!("custom.{k}");
            if visible(&name) && (wanted("custom") || wanted(&name)) {
                custom.insert(k.clone(), v.clone());
            }
        }
        out.insert("custom".into(), Json::Object(custom));
    }
    if let Some(at) = record.deleted_at {
        out.insert("deleted_at".into(), Json::String(at.to_rfc3339()));
    }
    Json::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::custom::CustomKind;
    use crate::money::Currency;
    use serde_json::json;

    fn ctx() -> ParseContext {
        ParseContext {
            base_currency: Currency::parse("c", "EUR").unwrap_or_else(|e| panic!("{e}")),
        }
    }

    fn defs() -> Vec<CustomFieldDef> {
        vec![CustomFieldDef {
            key: "tier".into(),
            kind: CustomKind::Select,
            required: false,
            options: vec!["gold".into()],
        }]
    }

    fn parse(
        object: ObjectType,
        body: Json,
        mode: Mode,
    ) -> Result<Changes, Vec<(String, ErrorCode)>> {
        let Json::Object(map) = body else {
            panic!("not an object")
        };
        let hide = |f: &str| {
            if f == "birth_date" {
                FieldAccess::Hidden
            } else {
                FieldAccess::ReadWrite
            }
        };
        parse_body(object, &map, mode, &defs(), &ctx(), &hide)
            .map_err(|e| e.into_iter().map(|e| (e.field, e.code)).collect())
    }

    #[test]
    fn a_body_is_flattened_and_checked_field_by_field() {
        let ok = parse(
            ObjectType::Company,
            json!({"name": "Acme", "address": {"city": "Kraków", "country": "pl"}, "custom": {"tier": "gold"}}),
            Mode::Create,
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            ok.values.get("address.city"),
            Some(&Value::Text("Kraków".into()))
        );
        assert_eq!(
            ok.values.get("address.country"),
            Some(&Value::Text("PL".into()))
        );
        assert_eq!(ok.custom.get("tier"), Some(&json!("gold")));

        let bad = parse(
            ObjectType::Company,
            json!({"id": "x", "version": 4, "workspace_id": "y", "address": {"planet": "Mars"}, "custom": {"nope": 1},
                   "employee_count": "many"}),
            Mode::Create,
        );
        let mut got = bad.err().unwrap_or_default();
        got.sort();
        let mut want = vec![
            ("address.planet".to_owned(), ErrorCode::UnknownField),
            ("custom.nope".to_owned(), ErrorCode::UnknownField),
            ("employee_count".to_owned(), ErrorCode::WrongType),
            ("id".to_owned(), ErrorCode::ReadOnly),
            ("name".to_owned(), ErrorCode::Required),
            ("version".to_owned(), ErrorCode::ReadOnly),
            ("workspace_id".to_owned(), ErrorCode::UnknownField),
        ];
        want.sort();
        assert_eq!(got, want);
    }

    #[test]
    fn hidden_create_only_and_system_fields_cannot_be_written() {
        let got = parse(
            ObjectType::Contact,
            json!({"birth_date": "2000-01-01"}),
            Mode::Update,
        );
        assert_eq!(
            got.err(),
            Some(vec![("birth_date".to_owned(), ErrorCode::ReadOnly)])
        );
        let got = parse(
            ObjectType::Opportunity,
            json!({"pipeline_id": "00000000-0000-0000-0000-000000000001"}),
            Mode::Update,
        );
        assert_eq!(
            got.err(),
            Some(vec![("pipeline_id".to_owned(), ErrorCode::ReadOnly)])
        );
        let got = parse(
            ObjectType::Opportunity,
            json!({"stage_id": "00000000-0000-0000-0000-000000000001"}),
            Mode::Create,
        );
        assert!(
            got.err()
                .is_some_and(|e| e.contains(&("stage_id".to_owned(), ErrorCode::ReadOnly)))
        );
    }

    #[test]
    fn cross_field_rules() {
        let empty = |_: &str| Value::Null;
        assert_eq!(validate(ObjectType::Contact, &empty).len(), 1);
        let named = |f: &str| {
            if f == "last_name" {
                Value::Text("Nowak".into())
            } else {
                Value::Null
            }
        };
        assert!(validate(ObjectType::Contact, &named).is_empty());
        let note = |f: &str| {
            if f == "kind" {
                Value::Text("note".into())
            } else {
                Value::Null
            }
        };
        assert_eq!(validate(ObjectType::Activity, &note)[0].field, "body");
    }

    #[test]
    fn rendering_hides_fields_and_honours_sparse_sets() {
        let mut values = BTreeMap::new();
        values.insert("first_name", Value::Text("Anna".into()));
        values.insert("birth_date", Value::Text("1990-01-01".into()));
        values.insert("address.city", Value::Text("Kraków".into()));
        let mut custom = Map::new();
        custom.insert("tier".into(), json!("gold"));
        let r = Record {
            object: ObjectType::Contact,
            id: Uuid::nil(),
            values,
            custom,
            deleted_at: None,
        };
        let all = render(&r, &|f| f != "birth_date", None);
        assert!(all.get("birth_date").is_none());
        assert_eq!(all["address"]["city"], "Kraków");
        assert_eq!(all["custom"]["tier"], "gold");
        assert_eq!(all["emails"], json!([]));
        let sparse = render(&r, &|_| true, Some(&["first_name".to_owned()]));
        assert_eq!(
            sparse,
            json!({"id": Uuid::nil().to_string(), "first_name": "Anna"})
        );
    }

    #[test]
    fn a_sparse_fieldset_asks_for_fields_by_name_or_group_only() {
        let f = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let cases: &[(Option<&[&str]>, &str, bool)] = &[
            (None, "first_name", true),
            (None, "address.city", true),
            (Some(&["first_name"]), "first_name", true),
            (Some(&["first_name"]), "first_name_key", false),
            (Some(&["first"]), "first_name", false),
            (Some(&["address"]), "address.city", true),
            (Some(&["address.city"]), "address.city", true),
            (Some(&["address.city"]), "address.street", false),
            (Some(&["address.city"]), "address", false),
            (Some(&["amount"]), "amount", true),
            (Some(&["custom"]), "custom.tier", true),
            (Some(&[]), "first_name", false),
        ];
        for (fields, name, want) in cases {
            let list = fields.map(f);
            assert_eq!(
                wants_field(list.as_deref(), name),
                *want,
                "{fields:?} {name}"
            );
        }
        let custom: &[(Option<&[&str]>, bool)] = &[
            (None, true),
            (Some(&["custom"]), true),
            (Some(&["custom.tier", "name"]), true),
            (Some(&["name", "customer"]), false),
            (Some(&[]), false),
        ];
        for (fields, want) in custom {
            let list = fields.map(f);
            assert_eq!(wants_custom(list.as_deref()), *want, "{fields:?}");
        }
    }
}
