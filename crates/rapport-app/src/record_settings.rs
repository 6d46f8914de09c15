//! Per-workspace settings of the record objects: custom fields, field-level rules and the
//! default visibility. Admins write them; everyone reads the custom field definitions (forms
//! and filters need them).

use rapport_core::access::{FieldRule, field_access};
use rapport_core::audit::{Actor, AuditAction};
use rapport_core::catalogue;
use rapport_core::custom::{CustomKind, parse_key};
use rapport_core::object::{ObjectType, Visibility};
use rapport_core::policy;
use rapport_core::record::FieldAccess;
use rapport_core::text::single_line;
use rapport_core::validation::Errors;
use rapport_core::{ErrorCode, FieldError, Role};
use rapport_store::settings::{self, CustomField};
use serde_json::json;
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::write::Write;
use crate::{App, Caller};

pub fn parse_object(field: &str, raw: &str) -> Result<ObjectType, FieldError> {
    raw.trim().parse().map_err(|_| {
        FieldError::new(
            field,
            ErrorCode::InvalidValue,
            "must be company, contact, lead, opportunity or activity",
        )
    })
}

#[derive(Clone, Debug, Default)]
pub struct CustomFieldInput {
    pub object_type: Option<String>,
    pub key: Option<String>,
    pub label: Option<String>,
    pub kind: Option<String>,
    pub required: Option<bool>,
    pub options: Option<Vec<String>>,
    pub position: Option<i64>,
}

fn parse_options(kind: CustomKind, options: &[String]) -> Result<Vec<String>, FieldError> {
    if kind != CustomKind::Select {
        return if options.is_empty() {
            Ok(Vec::new())
        } else {
            Err(FieldError::new(
                "options",
                ErrorCode::NotAllowed,
                "only select fields have options",
            ))
        };
    }
    if options.is_empty() || options.len() > 100 {
        return Err(FieldError::new(
            "options",
            ErrorCode::InvalidValue,
            "a select field has 1 to 100 options",
        ));
    }
    let mut out: Vec<String> = Vec::new();
    for (i, o) in options.iter().enumerate() {
        let o = single_line(&format!("options[{i}]"), o, 1, 100)?;
        if out.contains(&o) {
            return Err(FieldError::new(
                format!("options[{i}]"),
                ErrorCode::InvalidValue,
                "appears twice",
            ));
        }
        out.push(o);
    }
    Ok(out)
}

pub async fn list_custom_fields(
    app: &App,
    caller: &Caller,
    object: Option<ObjectType>,
) -> AppResult<Vec<CustomField>> {
    let mut c = app.db.read().await?;
    Ok(settings::custom_fields(&mut c, caller.principal.workspace_id, object).await?)
}

pub async fn get_custom_field(app: &App, caller: &Caller, id: Uuid) -> AppResult<CustomField> {
    let mut c = app.db.read().await?;
    settings::custom_field(&mut c, caller.principal.workspace_id, id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn create_custom_field(
    app: &App,
    caller: &Caller,
    input: &CustomFieldInput,
) -> AppResult<CustomField> {
    policy::authorize_workspace_admin(&caller.principal)?;
    let mut errors = Errors::new();
    let object = errors.check(parse_object(
        "object_type",
        input.object_type.as_deref().unwrap_or(""),
    ));
    let key = errors.check(parse_key("key", input.key.as_deref().unwrap_or("")));
    let label = errors.check(single_line(
        "label",
        input.label.as_deref().unwrap_or(""),
        1,
        100,
    ));
    let kind = errors.check(
        CustomKind::parse(input.kind.as_deref().unwrap_or("").trim()).ok_or_else(|| {
            FieldError::new(
                "kind",
                ErrorCode::InvalidValue,
                "must be text, number, date, bool or select",
            )
        }),
    );
    let options = match kind {
        Some(k) => errors.check(parse_options(k, input.options.as_deref().unwrap_or(&[]))),
        None => None,
    };
    errors.into_result()?;
    let (Some(object), Some(key), Some(label), Some(kind), Some(options)) =
        (object, key, label, kind, options)
    else {
        return Err(AppError::Internal);
    };
    let p = &caller.principal;
    let mut w = Write::begin(app, p.workspace_id, Actor::User(p.user_id), &caller.meta).await?;
    let field = CustomField {
        id: Uuid::now_v7(),
        object,
        key,
        label,
        kind,
        required: input.required.unwrap_or(false),
        options,
        position: input.position.unwrap_or(0),
        version: 1,
        created_at: w.now,
        updated_at: w.now,
    };
    settings::insert_custom_field(&mut w.tx, w.ws, &field).await?;
    w.audit(
        AuditAction::SettingsChanged,
        "custom_field",
        Some(field.id),
        Vec::new(),
        Some(json!({"created": field.key, "object": object.as_str()})),
    )
    .await?;
    w.emit(
        "custom_field.created",
        "custom_field",
        field.id,
        json!({"id": field.id, "object": object.as_str(), "key": field.key}),
    )
    .await?;
    w.commit().await?;
    Ok(field)
}

pub async fn update_custom_field(
    app: &App,
    caller: &Caller,
    id: Uuid,
    input: &CustomFieldInput,
    if_match: Option<i64>,
) -> AppResult<CustomField> {
    policy::authorize_workspace_admin(&caller.principal)?;
    let p = &caller.principal;
    let mut w = Write::begin(app, p.workspace_id, Actor::User(p.user_id), &caller.meta).await?;
    let mut field = settings::custom_field(&mut w.tx, w.ws, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(expected) = if_match
        && expected != field.version
    {
        return Err(AppError::PreconditionFailed {
            expected,
            current: field.version,
        });
    }
    let mut errors = Errors::new();
    if let Some(l) = &input.label
        && let Some(l) = errors.check(single_line("label", l, 1, 100))
    {
        field.label = l;
    }
    if let Some(o) = &input.options
        && let Some(o) = errors.check(parse_options(field.kind, o))
    {
        field.options = o;
    }
    errors.into_result()?;
    if let Some(r) = input.required {
        field.required = r;
    }
    if let Some(pos) = input.position {
        field.position = pos;
    }
    field.updated_at = w.now;
    let version = field.version;
    if !settings::update_custom_field(&mut w.tx, w.ws, &field, version).await? {
        return Err(AppError::PreconditionFailed {
            expected: version,
            current: version + 1,
        });
    }
    w.audit(
        AuditAction::SettingsChanged,
        "custom_field",
        Some(id),
        Vec::new(),
        Some(json!({"updated": field.key})),
    )
    .await?;
    w.emit(
        "custom_field.updated",
        "custom_field",
        id,
        json!({"id": id}),
    )
    .await?;
    let updated = settings::custom_field(&mut w.tx, w.ws, id)
        .await?
        .ok_or(AppError::Internal)?;
    w.commit().await?;
    Ok(updated)
}

/// Deletes a definition. Stored values stay in the records (a definition made again brings
/// them back) but are no longer shown, filtered or validated.
pub async fn delete_custom_field(app: &App, caller: &Caller, id: Uuid) -> AppResult<()> {
    policy::authorize_workspace_admin(&caller.principal)?;
    let p = &caller.principal;
    let mut w = Write::begin(app, p.workspace_id, Actor::User(p.user_id), &caller.meta).await?;
    let field = settings::custom_field(&mut w.tx, w.ws, id)
        .await?
        .ok_or(AppError::NotFound)?;
    settings::delete_custom_field(&mut w.tx, w.ws, id).await?;
    w.audit(
        AuditAction::SettingsChanged,
        "custom_field",
        Some(id),
        Vec::new(),
        Some(json!({"deleted": field.key})),
    )
    .await?;
    w.emit(
        "custom_field.deleted",
        "custom_field",
        id,
        json!({"id": id}),
    )
    .await?;
    w.commit().await
}

/// What a form or list of one object needs to know about its reader: the workspace's custom
/// fields and how the reader's role may treat each field.
#[derive(Clone, Debug)]
pub struct FieldsForCaller {
    pub custom: Vec<CustomField>,
    role: Role,
    rules: Vec<FieldRule>,
}

impl FieldsForCaller {
    pub(crate) fn new(custom: Vec<CustomField>, role: Role, rules: Vec<FieldRule>) -> Self {
        FieldsForCaller {
            custom,
            role,
            rules,
        }
    }

    pub fn access(&self, field: &str) -> FieldAccess {
        field_access(self.role, &self.rules, field)
    }

    /// Everything open, no custom fields: for code paths that have no workspace settings.
    pub fn unrestricted() -> Self {
        FieldsForCaller {
            custom: Vec::new(),
            role: Role::Admin,
            rules: Vec::new(),
        }
    }
}

/// The caller's own view of an object's fields. Anyone may know their own access; the
/// rules for other roles stay behind [`field_rules`].
pub async fn fields_for(
    app: &App,
    caller: &Caller,
    object: ObjectType,
) -> AppResult<FieldsForCaller> {
    let ws = caller.principal.workspace_id;
    let mut c = app.db.read().await?;
    Ok(FieldsForCaller::new(
        settings::custom_fields(&mut c, ws, Some(object)).await?,
        caller.principal.role,
        settings::field_rules(&mut c, ws, object).await?,
    ))
}

/// A rule as written: hide a field from a role, or make it read-only.
#[derive(Clone, Debug)]
pub struct RuleInput {
    pub field: String,
    pub role: String,
    pub access: String,
}

pub async fn field_rules(
    app: &App,
    caller: &Caller,
    object: ObjectType,
) -> AppResult<Vec<FieldRule>> {
    if caller.principal.role != Role::Admin {
        return Err(AppError::Forbidden(
            rapport_core::policy::Forbidden::AdminOnly,
        ));
    }
    let mut c = app.db.read().await?;
    Ok(settings::field_rules(&mut c, caller.principal.workspace_id, object).await?)
}

/// Replaces the field rules of an object.
pub async fn set_field_rules(
    app: &App,
    caller: &Caller,
    object: ObjectType,
    rules: &[RuleInput],
) -> AppResult<Vec<FieldRule>> {
    policy::authorize_workspace_admin(&caller.principal)?;
    let p = &caller.principal;
    let custom = {
        let mut c = app.db.read().await?;
        settings::custom_fields(&mut c, p.workspace_id, Some(object)).await?
    };
    let mut errors = Errors::new();
    let mut parsed: Vec<FieldRule> = Vec::new();
    for (i, r) in rules.iter().enumerate() {
        let at = |f: &str| format!("rules[{i}].{f}");
        let name = r.field.trim();
        let known = catalogue::find(object, name).is_some_and(|f| f.name != "id")
            || catalogue::all_fields(object)
                .any(|f| f.name.split_once('.').is_some_and(|(g, _)| g == name))
            || name
                .strip_prefix("custom.")
                .is_some_and(|k| custom.iter().any(|c| c.key == k));
        if !known {
            errors.push(FieldError::new(
                at("field"),
                ErrorCode::UnknownReference,
                format!("{name} is not a field of {}", object.plural()),
            ));
        }
        let role = match r.role.trim().parse::<Role>() {
            Ok(Role::Admin) => {
                errors.push(FieldError::new(
                    at("role"),
                    ErrorCode::NotAllowed,
                    "admins are never restricted",
                ));
                None
            }
            Ok(role) => Some(role),
            Err(_) => {
                errors.push(FieldError::new(
                    at("role"),
                    ErrorCode::InvalidValue,
                    "must be manager, rep or read_only",
                ));
                None
            }
        };
        let hidden = match r.access.trim() {
            "hidden" => Some(true),
            "read_only" => Some(false),
            _ => {
                errors.push(FieldError::new(
                    at("access"),
                    ErrorCode::InvalidValue,
                    "must be hidden or read_only",
                ));
                None
            }
        };
        if let (Some(role), Some(hidden), true) = (role, hidden, known) {
            if parsed.iter().any(|p| p.role == role && p.field == name) {
                errors.push(FieldError::new(
                    at("field"),
                    ErrorCode::InvalidValue,
                    "two rules for the same field and role",
                ));
            }
            parsed.push(FieldRule {
                role,
                field: name.to_owned(),
                hidden,
            });
        }
    }
    errors.into_result()?;
    let mut w = Write::begin(app, p.workspace_id, Actor::User(p.user_id), &caller.meta).await?;
    let before = settings::field_rules(&mut w.tx, w.ws, object).await?;
    settings::set_field_rules(&mut w.tx, w.ws, object, &parsed, w.now).await?;
    let show = |rules: &[FieldRule]| {
        rules
            .iter()
            .map(|r| json!({"field": r.field, "role": r.role.as_str(), "access": if r.hidden { "hidden" } else { "read_only" }}))
            .collect::<Vec<_>>()
    };
    w.audit(
        AuditAction::SettingsChanged,
        "field_rules",
        None,
        Vec::new(),
        Some(json!({"object": object.as_str(), "before": show(&before), "after": show(&parsed)})),
    )
    .await?;
    w.commit().await?;
    Ok(parsed)
}

pub async fn default_visibility(
    app: &App,
    caller: &Caller,
    object: ObjectType,
) -> AppResult<Visibility> {
    let mut c = app.db.read().await?;
    Ok(
        settings::default_visibility(&mut c, caller.principal.workspace_id, object)
            .await?
            .unwrap_or(object.default_visibility()),
    )
}

pub async fn set_default_visibility(
    app: &App,
    caller: &Caller,
    object: ObjectType,
    raw: &str,
) -> AppResult<Visibility> {
    policy::authorize_workspace_admin(&caller.principal)?;
    let v: Visibility = raw.trim().parse().map_err(|_| {
        AppError::invalid(FieldError::new(
            "default_visibility",
            ErrorCode::InvalidValue,
            "must be private, team or workspace",
        ))
    })?;
    let p = &caller.principal;
    let mut w = Write::begin(app, p.workspace_id, Actor::User(p.user_id), &caller.meta).await?;
    settings::set_default_visibility(&mut w.tx, w.ws, object, v, w.now).await?;
    w.audit(
        AuditAction::SettingsChanged,
        "object_settings",
        None,
        Vec::new(),
        Some(json!({"object": object.as_str(), "default_visibility": v.as_str()})),
    )
    .await?;
    w.commit().await?;
    Ok(v)
}
