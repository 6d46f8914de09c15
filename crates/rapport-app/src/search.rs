//! Global search (Ctrl-K): the best matches of each object the caller can read. Titles are
//! built from visible fields only, so a hidden field never shows in a snippet.

use rapport_core::object::ObjectType;
use serde_json::Value as Json;
use uuid::Uuid;

use crate::error::AppResult;
use crate::records;
use crate::{App, Caller};

#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub object: ObjectType,
    pub id: Uuid,
    pub title: String,
    pub subtitle: Option<String>,
}

fn s(v: &Json, path: &[&str]) -> Option<String> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_str().map(str::to_owned).filter(|x| !x.is_empty())
}

fn person(v: &Json) -> Option<String> {
    let parts: Vec<String> = [s(v, &["first_name"]), s(v, &["last_name"])]
        .into_iter()
        .flatten()
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// The fields [`describe`] reads a title from: all a page needs to name a record.
pub fn title_fields(object: ObjectType) -> &'static [&'static str] {
    match object {
        ObjectType::Company => &["name"],
        ObjectType::Contact => &["first_name", "last_name", "emails"],
        ObjectType::Lead => &["first_name", "last_name", "company_name", "email"],
        ObjectType::Opportunity => &["name"],
        ObjectType::Activity => &["subject"],
    }
}

/// The title and subtitle of a search hit from the record as the caller sees it.
pub fn describe(object: ObjectType, v: &Json) -> (String, Option<String>) {
    let primary_email = || {
        v.get("emails")
            .and_then(|e| e.get(0))
            .and_then(|e| s(e, &["value"]))
    };
    let (title, subtitle) = match object {
        ObjectType::Company => (
            s(v, &["name"]),
            s(v, &["domain"]).or_else(|| s(v, &["address", "city"])),
        ),
        ObjectType::Contact => (
            person(v).or_else(primary_email),
            s(v, &["title"]).or_else(primary_email),
        ),
        ObjectType::Lead => (
            person(v)
                .or_else(|| s(v, &["company_name"]))
                .or_else(|| s(v, &["email"])),
            s(v, &["company_name"]),
        ),
        ObjectType::Opportunity => (
            s(v, &["name"]),
            s(v, &["amount", "amount"])
                .map(|a| format!("{a} {}", s(v, &["amount", "currency"]).unwrap_or_default())),
        ),
        ObjectType::Activity => (s(v, &["subject"]), s(v, &["kind"])),
    };
    (title.unwrap_or_else(|| "—".to_owned()), subtitle)
}

pub async fn search(
    app: &App,
    caller: &Caller,
    q: &str,
    objects: &[ObjectType],
    per_object: u64,
) -> AppResult<Vec<Hit>> {
    let mut hits = Vec::new();
    for object in objects {
        let params = vec![
            ("q".to_owned(), q.to_owned()),
            ("limit".to_owned(), per_object.to_string()),
        ];
        let page = records::list(app, caller, *object, &params).await?;
        for item in page.items {
            let Some(id) = item
                .get("id")
                .and_then(Json::as_str)
                .and_then(|i| Uuid::try_parse(i).ok())
            else {
                continue;
            };
            let (title, subtitle) = describe(*object, &item);
            hits.push(Hit {
                object: *object,
                id,
                title,
                subtitle,
            });
        }
    }
    Ok(hits)
}
