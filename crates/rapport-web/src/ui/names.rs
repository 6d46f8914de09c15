//! The names a page shows for ids: users, referenced records and pipeline stages, fetched
//! once per page, and a record typed by name in a form, looked up under the policy.

use rapport_app::model::User;
use rapport_app::{App, AppError, Caller, PageRequest, pipelines, records, users};
use rapport_core::Id;
use rapport_core::object::ObjectType;
use rapport_core::validation::{ErrorCode, FieldError};
use serde_json::Value as Json;
use uuid::Uuid;

use super::lists::Choice;
use super::show::{self, Names};

/// The workspace's users, for names and owner choices (a failed read shows ids instead).
pub async fn workspace_users(app: &App, caller: &Caller) -> Vec<User> {
    users::list(app, caller, PageRequest::new(None, Some(200)))
        .await
        .map(|p| p.items)
        .unwrap_or_default()
}

/// Every user of the workspace, page by page (settings pages count and list them all).
pub async fn all_users(app: &App, caller: &Caller) -> Result<Vec<User>, AppError> {
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let batch = users::list(app, caller, PageRequest::new(after, Some(200))).await?;
        out.extend(batch.items);
        match batch.next {
            Some(n) => after = Some(n),
            None => return Ok(out),
        }
    }
}

/// The users a record or a calendar may be assigned to: enabled ones, by name.
pub fn user_choices(users: &[User], selected: Option<Uuid>) -> Vec<Choice> {
    let mut list: Vec<Choice> = users
        .iter()
        .filter(|u| u.enabled)
        .map(|u| Choice {
            selected: Some(u.id.as_uuid()) == selected,
            value: u.id.as_uuid().to_string(),
            label: u.display_name.clone(),
        })
        .collect();
    list.sort_by(|a, b| a.label.cmp(&b.label));
    list
}

/// Adds the titles of the records that `fields` of `items` refer to (a failed read leaves
/// ids in their place, as for users).
pub async fn add_references<'a>(
    app: &App,
    caller: &Caller,
    object: ObjectType,
    fields: impl Iterator<Item = &'a str>,
    items: &[Json],
    names: &mut Names,
) {
    for (target, ids) in show::references(object, fields, items) {
        let ids: Vec<Uuid> = ids.iter().filter_map(|i| Uuid::try_parse(i).ok()).collect();
        match records::titles(app, caller, target, &ids).await {
            Ok(found) => {
                for (id, title) in found {
                    names.records.insert(id.to_string(), title);
                }
            }
            Err(e) => tracing::warn!(error = %e, "reference names could not be read"),
        }
    }
}

/// Everything `fields` of `items` name: users, referenced records and, for deals, the
/// pipelines and stages.
pub async fn names<'a>(
    app: &App,
    caller: &Caller,
    object: ObjectType,
    fields: impl Iterator<Item = &'a str>,
    items: &[Json],
) -> Result<Names, AppError> {
    let mut names = Names::with_users(&workspace_users(app, caller).await);
    add_references(app, caller, object, fields, items, &mut names).await;
    if object == ObjectType::Opportunity {
        for p in pipelines::list(app, caller).await? {
            names.records.insert(p.id.to_string(), p.name.clone());
            for s in p.stages {
                names.records.insert(s.id.to_string(), s.name);
            }
        }
    }
    Ok(names)
}

/// A record typed by name where an id belongs: exactly one readable match is taken;
/// none, several or nothing typed is a message by the field.
pub async fn find_by_name(
    app: &App,
    caller: &Caller,
    object: ObjectType,
    field: &str,
    typed: &str,
) -> Result<Uuid, FieldError> {
    if let Ok(id) = Uuid::try_parse(typed) {
        return Ok(id);
    }
    let params = vec![
        ("q".to_owned(), typed.to_owned()),
        ("limit".to_owned(), "2".to_owned()),
    ];
    match records::list(app, caller, object, &params).await {
        Ok(page) if page.items.len() == 1 => Uuid::try_parse(&show::id_of(&page.items[0]))
            .map_err(|_| FieldError::new(field, ErrorCode::UnknownReference, "no such record")),
        Ok(page) => Err(FieldError::new(
            field,
            if typed.is_empty() {
                ErrorCode::Required
            } else {
                ErrorCode::UnknownReference
            },
            if typed.is_empty() {
                format!("type the name of the {}", object.as_str())
            } else if page.items.is_empty() {
                format!("no {} matches “{typed}”", object.as_str())
            } else {
                format!("several records match “{typed}”; type more of the name")
            },
        )),
        Err(e) => {
            tracing::warn!(error = %e, "reference lookup failed");
            Err(FieldError::new(
                field,
                ErrorCode::UnknownReference,
                "could not be looked up",
            ))
        }
    }
}
