//! Commands on records beyond create-update-delete: converting a lead and completing an
//! activity. Each is one transaction with its audit entries and events.

use std::collections::BTreeMap;

use rapport_core::audit::{Actor, AuditAction, Diff};
use rapport_core::object::ObjectType;
use rapport_core::record::{self, Mode};
use rapport_core::text::single_line;
use rapport_core::value::{Labeled, RoleLink, Value};
use rapport_core::{ErrorCode, FieldError, Timestamp};
use rapport_store::records::{self, Trash};
use serde_json::{Map, Value as Json, json};
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::records::{RecordContext, RecordView, insert_in, load_writable, view_of};
use crate::write::Write;
use crate::{App, Caller};

#[derive(Clone, Debug, Default)]
pub struct ConvertInput {
    /// Link this existing company instead of creating one from the lead's company name.
    pub company_id: Option<Uuid>,
    /// Link this existing contact instead of creating one from the lead.
    pub contact_id: Option<Uuid>,
    /// Create an opportunity with these fields (`name` defaults from the company or contact).
    pub opportunity: Option<Map<String, Json>>,
}

#[derive(Clone, Debug)]
pub struct Converted {
    pub lead: RecordView,
    pub company_id: Option<Uuid>,
    pub contact_id: Uuid,
    pub opportunity_id: Option<Uuid>,
}

fn text(rec: &rapport_core::record::Record, f: &str) -> Option<String> {
    rec.get(f).as_text().map(str::to_owned)
}

async fn ctx_for(app: &App, caller: &Caller, object: ObjectType) -> AppResult<RecordContext> {
    let mut c = app.db.read().await?;
    RecordContext::load(&mut c, &caller.principal, object).await
}

async fn must_read(
    w: &mut Write,
    ctx: &RecordContext,
    object: ObjectType,
    id: Uuid,
    field: &str,
) -> AppResult<()> {
    if records::readable_ids(&mut w.tx, w.ws, object, &[id], &ctx.viewer)
        .await?
        .is_empty()
    {
        return Err(AppError::invalid(FieldError::new(
            field,
            ErrorCode::UnknownReference,
            format!("no such {}", object.as_str()),
        )));
    }
    Ok(())
}

/// Converts a lead: links or creates its company and contact, optionally an opportunity, and
/// marks the lead converted with links to all three. A lead converts once (409 after).
pub async fn convert_lead(
    app: &App,
    caller: &Caller,
    id: Uuid,
    input: &ConvertInput,
    if_match: Option<i64>,
) -> AppResult<Converted> {
    let p = &caller.principal;
    let lead_ctx = ctx_for(app, caller, ObjectType::Lead).await?;
    let company_ctx = ctx_for(app, caller, ObjectType::Company).await?;
    let contact_ctx = ctx_for(app, caller, ObjectType::Contact).await?;
    let opp_ctx = ctx_for(app, caller, ObjectType::Opportunity).await?;
    let opp_changes = match &input.opportunity {
        Some(body) => {
            // The name may be left out: it then defaults from the company or contact.
            let mut body = body.clone();
            let named = body.contains_key("name");
            if !named {
                body.insert("name".into(), Json::String("-".into()));
            }
            let mut changes = record::parse_body(
                ObjectType::Opportunity,
                &body,
                Mode::Create,
                &opp_ctx.custom,
                &opp_ctx.parse,
                &|f| opp_ctx.access(f),
            )
            .map_err(|errs| {
                AppError::Invalid(
                    errs.into_iter()
                        .map(|mut e| {
                            e.field = format!("opportunity.{}", e.field);
                            e
                        })
                        .collect(),
                )
            })?;
            if !named {
                changes.values.remove("name");
            }
            Some(changes)
        }
        None => None,
    };
    let mut w = Write::begin(app, p.workspace_id, Actor::User(p.user_id), &caller.meta).await?;
    let lead = load_writable(&mut w, &lead_ctx, id).await?;
    if let Some(expected) = if_match
        && expected != lead.version()
    {
        return Err(AppError::PreconditionFailed {
            expected,
            current: lead.version(),
        });
    }
    if lead.get("status").as_text() == Some("converted") {
        return Err(AppError::Conflict {
            code: "already_converted",
            message: "this lead was converted already; see converted_contact_id".into(),
        });
    }
    // New records belong to the lead's owner when the caller may assign to them.
    let owner = match lead.owner() {
        Some(o) if o != p.user_id => {
            let teams = records::user_teams(&mut w.tx, w.ws, &[o]).await?;
            teams
                .get(&o)
                .filter(|team| {
                    rapport_core::access::authorize_owner(&lead_ctx.viewer, o, **team).is_ok()
                })
                .map(|_| o)
        }
        other => other,
    };
    let owner_value = |values: &mut BTreeMap<&'static str, Value>| {
        if let Some(o) = owner {
            values.insert("owner_id", Value::Id(rapport_core::Id::as_uuid(&o)));
        }
    };

    let company_id = match input.company_id {
        Some(cid) => {
            must_read(&mut w, &company_ctx, ObjectType::Company, cid, "company_id").await?;
            Some(cid)
        }
        None => match text(&lead, "company_name") {
            Some(name) => {
                let mut values = BTreeMap::new();
                values.insert("name", Value::Text(name));
                if let Some(site) = text(&lead, "website") {
                    values.insert("website", Value::Text(site));
                }
                owner_value(&mut values);
                Some(insert_in(app, &mut w, &company_ctx, values, Map::new()).await?)
            }
            None => None,
        },
    };

    let contact_id = match input.contact_id {
        Some(cid) => {
            must_read(&mut w, &contact_ctx, ObjectType::Contact, cid, "contact_id").await?;
            cid
        }
        None => {
            let mut values = BTreeMap::new();
            for f in ["first_name", "last_name", "title", "source", "description"] {
                if let Some(v) = text(&lead, f) {
                    values.insert(f, Value::Text(v));
                }
            }
            if let Some(email) = text(&lead, "email") {
                values.insert(
                    "emails",
                    Value::Emails(vec![Labeled {
                        value: email,
                        label: None,
                        primary: true,
                    }]),
                );
            }
            if let Some(phone) = text(&lead, "phone") {
                values.insert(
                    "phones",
                    Value::Phones(vec![Labeled {
                        value: phone,
                        label: None,
                        primary: true,
                    }]),
                );
            }
            if let Some(cid) = company_id {
                values.insert("company_id", Value::Id(cid));
            }
            if !values.contains_key("first_name")
                && !values.contains_key("last_name")
                && !values.contains_key("emails")
            {
                let name = text(&lead, "company_name").unwrap_or_else(|| "Contact".into());
                values.insert("last_name", Value::Text(name));
            }
            owner_value(&mut values);
            insert_in(app, &mut w, &contact_ctx, values, Map::new()).await?
        }
    };

    let opportunity_id = match opp_changes {
        Some(changes) => {
            let mut values = changes.values;
            if !values.contains_key("name") {
                let base = match company_id {
                    Some(cid) => {
                        records::get(&mut w.tx, w.ws, ObjectType::Company, cid, None, Trash::Live)
                            .await?
                            .and_then(|c| text(&c, "name"))
                    }
                    None => None,
                }
                .or_else(|| {
                    let parts: Vec<String> = ["first_name", "last_name"]
                        .iter()
                        .filter_map(|f| text(&lead, f))
                        .collect();
                    (!parts.is_empty()).then(|| parts.join(" "))
                })
                .unwrap_or_else(|| "New".into());
                values.insert(
                    "name",
                    Value::Text(single_line(
                        "opportunity.name",
                        &format!("{base} deal"),
                        1,
                        200,
                    )?),
                );
            }
            if let Some(cid) = company_id {
                values.entry("company_id").or_insert(Value::Id(cid));
            }
            values
                .entry("contacts")
                .or_insert(Value::Roles(vec![RoleLink {
                    id: contact_id,
                    role: None,
                }]));
            owner_value(&mut values);
            let custom = changes
                .custom
                .into_iter()
                .filter(|(_, v)| !v.is_null())
                .collect();
            Some(insert_in(app, &mut w, &opp_ctx, values, custom).await?)
        }
        None => None,
    };

    let mut set = BTreeMap::new();
    set.insert("status", Value::Text("converted".into()));
    set.insert("converted_at", Value::DateTime(w.now));
    set.insert("converted_contact_id", Value::Id(contact_id));
    if let Some(cid) = company_id {
        set.insert("converted_company_id", Value::Id(cid));
    }
    if let Some(oid) = opportunity_id {
        set.insert("converted_opportunity_id", Value::Id(oid));
    }
    let mut diff = Diff::new();
    for (k, v) in &set {
        diff.field(k, &lead.get(k).to_json(), &v.to_json());
    }
    if !records::update(
        &mut w.tx,
        w.ws,
        ObjectType::Lead,
        id,
        lead.version(),
        &set,
        None,
        Some(p.user_id),
        w.now,
    )
    .await?
    {
        return Err(AppError::PreconditionFailed {
            expected: lead.version(),
            current: lead.version() + 1,
        });
    }
    let detail = json!({"company_id": company_id, "contact_id": contact_id, "opportunity_id": opportunity_id});
    w.audit(
        AuditAction::LeadConverted,
        "lead",
        Some(id),
        diff.into_vec(),
        Some(detail.clone()),
    )
    .await?;
    w.emit("lead.converted", "lead", id, json!({"id": id, "company_id": company_id, "contact_id": contact_id, "opportunity_id": opportunity_id}))
        .await?;
    let rec = records::get(&mut w.tx, w.ws, ObjectType::Lead, id, None, Trash::Live)
        .await?
        .ok_or(AppError::Internal)?;
    w.commit().await?;
    Ok(Converted {
        lead: view_of(&lead_ctx, &rec),
        company_id,
        contact_id,
        opportunity_id,
    })
}

#[derive(Clone, Debug, Default)]
pub struct CompleteInput {
    pub outcome: Option<String>,
    pub completed_at: Option<Timestamp>,
}

/// Marks an activity done (409 when it already is).
pub async fn complete_activity(
    app: &App,
    caller: &Caller,
    id: Uuid,
    input: &CompleteInput,
    if_match: Option<i64>,
) -> AppResult<RecordView> {
    let p = &caller.principal;
    let ctx = ctx_for(app, caller, ObjectType::Activity).await?;
    let outcome = input
        .outcome
        .as_deref()
        .map(|o| single_line("outcome", o, 0, 200))
        .transpose()?;
    let mut w = Write::begin(app, p.workspace_id, Actor::User(p.user_id), &caller.meta).await?;
    let current = load_writable(&mut w, &ctx, id).await?;
    if let Some(expected) = if_match
        && expected != current.version()
    {
        return Err(AppError::PreconditionFailed {
            expected,
            current: current.version(),
        });
    }
    if current.get("status").as_text() == Some("done") {
        return Err(AppError::Conflict {
            code: "already_done",
            message: "this activity is done already".into(),
        });
    }
    let mut set = BTreeMap::new();
    set.insert("status", Value::Text("done".into()));
    set.insert(
        "completed_at",
        Value::DateTime(input.completed_at.unwrap_or(w.now)),
    );
    if let Some(o) = outcome.filter(|o| !o.is_empty()) {
        set.insert("outcome", Value::Text(o));
    }
    let mut diff = Diff::new();
    for (k, v) in &set {
        diff.field(k, &current.get(k).to_json(), &v.to_json());
    }
    if !records::update(
        &mut w.tx,
        w.ws,
        ObjectType::Activity,
        id,
        current.version(),
        &set,
        None,
        Some(p.user_id),
        w.now,
    )
    .await?
    {
        return Err(AppError::PreconditionFailed {
            expected: current.version(),
            current: current.version() + 1,
        });
    }
    w.audit(
        AuditAction::ActivityCompleted,
        "activity",
        Some(id),
        diff.into_vec(),
        None,
    )
    .await?;
    w.emit("activity.completed", "activity", id, json!({"id": id}))
        .await?;
    let rec = records::get(&mut w.tx, w.ws, ObjectType::Activity, id, None, Trash::Live)
        .await?
        .ok_or(AppError::Internal)?;
    w.commit().await?;
    Ok(view_of(&ctx, &rec))
}
