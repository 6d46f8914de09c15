//! OpenAPI schemas of the record objects, generated from the field catalogue: the record as
//! returned, the body that creates one (strict: `required`, `additionalProperties: false`)
//! and the body that changes one, plus the `filter` parameter of their lists.

use std::borrow::Cow;

use rapport_core::catalogue::{self, Access, Field, Kind};
use rapport_core::object::ObjectType;
use serde_json::{Map, Value as Json, json};
use utoipa::openapi::{RefOr, Schema};

fn nullable(mut s: Json) -> Json {
    if let Some(t) = s.get("type").cloned() {
        match t {
            Json::String(t) => {
                s["type"] = json!([t, "null"]);
            }
            Json::Array(mut list) => {
                if !list.contains(&json!("null")) {
                    list.push(json!("null"));
                }
                s["type"] = Json::Array(list);
            }
            _ => {}
        }
    } else if let Some(e) = s.get_mut("enum").and_then(Json::as_array_mut) {
        e.push(Json::Null);
    }
    s
}

/// The JSON schema of one field's value.
pub fn kind_schema(kind: Kind) -> Json {
    match kind {
        Kind::Text { max } => json!({"type": "string", "maxLength": max}),
        Kind::LongText { max } => json!({"type": "string", "maxLength": max}),
        Kind::Email => json!({"type": "string", "format": "email", "maxLength": 254}),
        Kind::Url => json!({"type": "string", "format": "uri", "maxLength": 2000}),
        Kind::Domain => json!({"type": "string", "maxLength": 253, "examples": ["acme.example"]}),
        Kind::Phone => {
            json!({"type": "string", "description": "E.164, such as +48601234567", "maxLength": 32})
        }
        Kind::Integer { min, max } => {
            json!({"type": "integer", "format": "int64", "minimum": min, "maximum": max})
        }
        Kind::Money => json!({
            "type": "object",
            "required": ["amount"],
            "additionalProperties": false,
            "properties": {
                "amount": {"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$", "description": "A decimal amount"},
                "currency": {"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217; the workspace's base currency when left out"}
            }
        }),
        Kind::Date => json!({"type": "string", "format": "date"}),
        Kind::DateTime => json!({"type": "string", "format": "date-time"}),
        Kind::Bool => json!({"type": "boolean"}),
        Kind::Enum(options) => json!({"type": "string", "enum": options}),
        Kind::Visibility => json!({"type": "string", "enum": ["private", "team", "workspace"]}),
        Kind::Ref(_) | Kind::UserRef | Kind::Id => json!({"type": "string", "format": "uuid"}),
        Kind::Country => {
            json!({"type": "string", "pattern": "^[A-Za-z]{2}$", "description": "ISO 3166-1 alpha-2"})
        }
        Kind::Language => {
            json!({"type": "string", "pattern": "^[A-Za-z]{2}$", "description": "ISO 639-1"})
        }
        Kind::TimeZone => {
            json!({"type": "string", "description": "IANA time zone", "maxLength": 64})
        }
        Kind::Emails | Kind::Phones => json!({
            "type": "array",
            "maxItems": 20,
            "items": {
                "type": "object",
                "required": ["value"],
                "additionalProperties": false,
                "properties": {
                    "value": {"type": "string"},
                    "label": {"type": ["string", "null"], "maxLength": 50},
                    "primary": {"type": ["boolean", "null"]}
                }
            }
        }),
        Kind::Tags => {
            json!({"type": "array", "maxItems": 100, "items": {"type": "string", "format": "uuid"}})
        }
        Kind::Links => json!({
            "type": "array",
            "maxItems": 50,
            "items": {
                "type": "object",
                "required": ["type", "id"],
                "additionalProperties": false,
                "properties": {
                    "type": {"type": "string", "enum": ["company", "contact", "lead", "opportunity"]},
                    "id": {"type": "string", "format": "uuid"}
                }
            }
        }),
        Kind::Roles(_) => json!({
            "type": "array",
            "maxItems": 100,
            "items": {
                "type": "object",
                "required": ["id"],
                "additionalProperties": false,
                "properties": {
                    "id": {"type": "string", "format": "uuid"},
                    "role": {"type": ["string", "null"], "maxLength": 100}
                }
            }
        }),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Record,
    Create,
    Update,
}

fn include(shape: Shape, f: &Field) -> bool {
    match shape {
        Shape::Record => true,
        Shape::Create => f.access != Access::System,
        Shape::Update => f.access == Access::Write,
    }
}

/// Puts `value` at a dotted path inside `props`, creating nested objects.
fn insert(props: &mut Map<String, Json>, name: &str, value: Json, strict: bool) {
    match name.split_once('.') {
        Some((group, leaf)) => {
            let entry = props.entry(group.to_owned()).or_insert_with(|| {
                if strict {
                    json!({"type": ["object", "null"], "additionalProperties": false, "properties": {}})
                } else {
                    json!({"type": "object", "properties": {}})
                }
            });
            if let Some(p) = entry.get_mut("properties").and_then(Json::as_object_mut) {
                p.insert(leaf.to_owned(), value);
            }
        }
        None => {
            props.insert(name.to_owned(), value);
        }
    }
}

fn build(object: ObjectType, shape: Shape) -> Json {
    let mut props = Map::new();
    let mut required: Vec<&str> = Vec::new();
    for f in catalogue::all_fields(object).filter(|f| include(shape, f)) {
        let base = kind_schema(f.kind);
        let value = match shape {
            Shape::Create if f.required => base,
            Shape::Record
                if matches!(
                    f.kind,
                    Kind::Emails | Kind::Phones | Kind::Tags | Kind::Links | Kind::Roles(_)
                ) =>
            {
                base
            }
            Shape::Record
                if matches!(
                    f.name,
                    "id" | "owner_id" | "visibility" | "version" | "created_at" | "updated_at"
                ) =>
            {
                base
            }
            _ => nullable(base),
        };
        insert(&mut props, f.name, value, shape != Shape::Record);
        if shape == Shape::Create && f.required {
            required.push(f.name);
        }
    }
    props.insert(
        "custom".into(),
        json!({"type": "object", "description": "Values of the workspace's custom fields, by key", "additionalProperties": true}),
    );
    if shape == Shape::Record {
        props.insert("id".into(), json!({"type": "string", "format": "uuid"}));
        props.insert("deleted_at".into(), json!({"type": "string", "format": "date-time", "description": "Present on trashed records"}));
        let mut s = json!({"type": "object", "properties": props, "required": ["id"]});
        s["description"] = Json::String(format!(
            "A {}. Fields hidden from the caller's role are absent.",
            object.as_str()
        ));
        return s;
    }
    let mut s = json!({"type": "object", "additionalProperties": false, "properties": props});
    if !required.is_empty() {
        s["required"] = json!(required);
    }
    s
}

/// The `filter` parameter: `filter[field][op]=value` as an OpenAPI deepObject.
pub fn filter_schema(object: ObjectType) -> Json {
    let mut props = Map::new();
    for f in catalogue::all_fields(object).filter(|f| f.filter) {
        let ops: Map<String, Json> = f
            .operators()
            .iter()
            .map(|op| (op.as_str().to_owned(), json!({"type": "string"})))
            .collect();
        props.insert(
            f.name.to_owned(),
            json!({"type": "object", "additionalProperties": false, "properties": ops}),
        );
    }
    json!({
        "type": "object",
        "description": "filter[field][op]=value; ops eq, ne, lt, lte, gt, gte, in (comma-separated), contains, starts_with, is_null (true|false); custom fields as filter[custom.key][op]; at most 20.",
        "properties": props,
        "additionalProperties": true
    })
}

fn to_schema(v: Json) -> RefOr<Schema> {
    serde_json::from_value(v).unwrap_or_else(|e| {
        tracing::error!(error = %e, "a generated record schema does not deserialize");
        RefOr::T(Schema::default())
    })
}

pub fn record(object: ObjectType) -> RefOr<Schema> {
    to_schema(build(object, Shape::Record))
}

pub fn create(object: ObjectType) -> RefOr<Schema> {
    to_schema(build(object, Shape::Create))
}

pub fn update(object: ObjectType) -> RefOr<Schema> {
    to_schema(build(object, Shape::Update))
}

/// A page of records of `object`.
pub fn list(object: ObjectType, record_name: &str) -> RefOr<Schema> {
    to_schema(json!({
        "type": "object",
        "required": ["data", "next_cursor"],
        "properties": {
            "data": {"type": "array", "items": {"$ref": format!("#/components/schemas/{record_name}")}},
            "next_cursor": {"type": ["string", "null"], "description": "Pass as cursor for the next page; null on the last"},
            "total": {"type": "integer", "description": "With count=true: how many records match"}
        },
        "description": format!("A page of {}", object.plural())
    }))
}

/// Marker types that carry the generated schemas into `#[utoipa::path]` annotations.
macro_rules! schema_types {
    ($($object:expr => $record:ident $rname:literal, $new:ident $nname:literal, $patch:ident $pname:literal, $list:ident $lname:literal;)+) => {$(
        pub struct $list;
        impl utoipa::PartialSchema for $list {
            fn schema() -> RefOr<Schema> {
                list($object, $rname)
            }
        }
        impl utoipa::ToSchema for $list {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed($lname)
            }
            fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
                schemas.push(($rname.to_owned(), record($object)));
            }
        }
        pub struct $record;
        impl utoipa::PartialSchema for $record {
            fn schema() -> RefOr<Schema> {
                record($object)
            }
        }
        impl utoipa::ToSchema for $record {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed($rname)
            }
        }
        pub struct $new;
        impl utoipa::PartialSchema for $new {
            fn schema() -> RefOr<Schema> {
                create($object)
            }
        }
        impl utoipa::ToSchema for $new {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed($nname)
            }
        }
        pub struct $patch;
        impl utoipa::PartialSchema for $patch {
            fn schema() -> RefOr<Schema> {
                update($object)
            }
        }
        impl utoipa::ToSchema for $patch {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed($pname)
            }
        }
    )+};
}

schema_types! {
    ObjectType::Company => CompanySchema "Company", NewCompanySchema "NewCompany", CompanyPatchSchema "CompanyPatch", CompanyListSchema "CompanyList";
    ObjectType::Contact => ContactSchema "Contact", NewContactSchema "NewContact", ContactPatchSchema "ContactPatch", ContactListSchema "ContactList";
    ObjectType::Lead => LeadSchema "Lead", NewLeadSchema "NewLead", LeadPatchSchema "LeadPatch", LeadListSchema "LeadList";
    ObjectType::Opportunity => OpportunitySchema "Opportunity", NewOpportunitySchema "NewOpportunity", OpportunityPatchSchema "OpportunityPatch", OpportunityListSchema "OpportunityList";
    ObjectType::Activity => ActivitySchema "Activity", NewActivitySchema "NewActivity", ActivityPatchSchema "ActivityPatch", ActivityListSchema "ActivityList";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_generated_schema_deserializes() {
        for object in ObjectType::ALL {
            for shape in [Shape::Record, Shape::Create, Shape::Update] {
                let v = build(object, shape);
                assert!(
                    serde_json::from_value::<RefOr<Schema>>(v.clone()).is_ok(),
                    "{object}: {v}"
                );
            }
            assert!(serde_json::from_value::<RefOr<Schema>>(filter_schema(object)).is_ok());
        }
    }

    #[test]
    fn create_bodies_require_required_fields_and_refuse_system_ones() {
        let s = build(ObjectType::Opportunity, Shape::Create);
        assert_eq!(s["required"], json!(["name"]));
        assert!(s["properties"].get("stage_id").is_none());
        assert!(s["properties"].get("pipeline_id").is_some(), "create-only");
        let p = build(ObjectType::Opportunity, Shape::Update);
        assert!(p["properties"].get("pipeline_id").is_none());
        assert_eq!(p["additionalProperties"], json!(false));
        let c = build(ObjectType::Contact, Shape::Create);
        assert_eq!(
            c["properties"]["address"]["additionalProperties"],
            json!(false)
        );
    }
}
