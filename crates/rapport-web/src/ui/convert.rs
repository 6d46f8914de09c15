//! Converting a lead: link or create its company and contact, optionally open a deal.
//! The rules (what is created from what, converting once) belong to `convert_lead`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::commands::{self, ConvertInput};
use rapport_app::{App, AppError, Caller, records};
use rapport_core::object::ObjectType;
use rapport_core::validation::FieldError;
use serde_json::{Map, Value as Json, json};
use uuid::Uuid;

use super::forms;
use super::page::{Chrome, Page, Submission, app_error, form_value, render};
use super::show::{self, record_href};
use crate::state::AppState;

#[derive(askama::Template)]
#[template(path = "convert.html")]
struct ConvertPage {
    c: Chrome,
    heading: String,
    action: String,
    lead_href: String,
    lead_company: String,
    company_mode: String,
    company: String,
    contact_mode: String,
    contact: String,
    make_opportunity: bool,
    opportunity_name: String,
    opportunity_amount: String,
    opportunity_currency: String,
    company_error: Option<String>,
    contact_error: Option<String>,
    opportunity_name_error: Option<String>,
    opportunity_amount_error: Option<String>,
    summary: Option<String>,
    /// Errors that belong to no field of this form.
    others: Vec<String>,
    /// The contact the lead became, when it was converted already.
    converted: Option<String>,
}

fn text(record: &Json, field: &str) -> String {
    show::raw(record, field)
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn base_currency(app: &App, caller: &Caller) -> String {
    rapport_app::workspaces::get(app, caller.principal.workspace_id)
        .await
        .map(|w| w.base_currency)
        .unwrap_or_else(|_| "EUR".to_owned())
}

/// The page for `lead`, from what was typed (`form`) or from the lead alone.
async fn view(
    s: &AppState,
    page: &Page,
    id: Uuid,
    lead: &Json,
    form: Option<&[(String, String)]>,
    errors: &[FieldError],
) -> ConvertPage {
    let tr = page.tr;
    let name = show::title(ObjectType::Lead, lead);
    let lead_company = text(lead, "company_name");
    let typed = |k: &str| form.and_then(|f| form_value(f, k)).map(str::to_owned);
    let default_mode = if lead_company.is_empty() {
        "none"
    } else {
        "new"
    };
    let err = |f: &str| forms::error_for(tr, f, errors);
    let placed = [
        "company_id",
        "contact_id",
        "opportunity.name",
        "opportunity.amount",
    ];
    let others = errors
        .iter()
        .filter(|e| !placed.iter().any(|p| e.field.starts_with(p)))
        .map(|e| format!("{}: {}", tr.field(&e.field), e.message))
        .collect();
    let converted = (text(lead, "status") == "converted").then(|| {
        let contact = text(lead, "converted_contact_id");
        if contact.is_empty() {
            record_href(ObjectType::Lead, &id.to_string())
        } else {
            record_href(ObjectType::Contact, &contact)
        }
    });
    ConvertPage {
        c: page.chrome("lead", tr.arg("convert-title", "name", &name)),
        heading: tr.arg("convert-title", "name", &name),
        action: format!("/leads/{id}/convert"),
        lead_href: record_href(ObjectType::Lead, &id.to_string()),
        company_mode: typed("company_mode").unwrap_or_else(|| default_mode.to_owned()),
        company: typed("company").unwrap_or_default(),
        contact_mode: typed("contact_mode").unwrap_or_else(|| "new".to_owned()),
        contact: typed("contact").unwrap_or_default(),
        make_opportunity: form
            .is_some_and(|f| f.iter().any(|(k, v)| k == "opportunity" && v == "true")),
        opportunity_name: typed("opportunity_name").unwrap_or_else(|| {
            if lead_company.is_empty() {
                name.clone()
            } else {
                lead_company.clone()
            }
        }),
        opportunity_amount: typed("opportunity_amount").unwrap_or_default(),
        opportunity_currency: match typed("opportunity_amount__currency") {
            Some(c) => c,
            None => base_currency(&s.app, &page.caller()).await,
        },
        company_error: err("company_id"),
        contact_error: err("contact_id"),
        opportunity_name_error: err("opportunity.name"),
        opportunity_amount_error: err("opportunity.amount"),
        summary: (!errors.is_empty()).then(|| tr.count("record-errors", errors.len() as i64)),
        others,
        converted,
        lead_company,
    }
}

async fn load(s: &AppState, page: &Page, raw_id: &str) -> Result<(Uuid, Json), AppError> {
    let id = Uuid::try_parse(raw_id).map_err(|_| AppError::NotFound)?;
    let lead = records::get(&s.app, &page.caller(), ObjectType::Lead, id, None).await?;
    Ok((id, lead.json))
}

pub async fn form(s: AppState, page: Page, raw_id: String) -> Response {
    if let Some(r) = page.writer_refusal() {
        return r;
    }
    match load(&s, &page, &raw_id).await {
        Ok((id, lead)) => render(&view(&s, &page, id, &lead, None, &[]).await),
        Err(e) => app_error(page.tr, e),
    }
}

pub async fn submit(s: AppState, sub: Submission, raw_id: String) -> Response {
    let Submission { page, form } = sub;
    if let Some(r) = page.writer_refusal() {
        return r;
    }
    let tr = page.tr;
    let caller = page.caller();
    let (id, lead) = match load(&s, &page, &raw_id).await {
        Ok(found) => found,
        Err(e) => return app_error(tr, e),
    };
    let mut errors = Vec::new();
    let mut input = ConvertInput::default();
    let typed = |k: &str| form_value(&form, k).unwrap_or_default().trim().to_owned();
    if form_value(&form, "company_mode") == Some("existing") {
        match super::names::find_by_name(
            &s.app,
            &caller,
            ObjectType::Company,
            "company_id",
            &typed("company"),
        )
        .await
        {
            Ok(cid) => input.company_id = Some(cid),
            Err(e) => errors.push(e),
        }
    }
    if form_value(&form, "contact_mode") == Some("existing") {
        match super::names::find_by_name(
            &s.app,
            &caller,
            ObjectType::Contact,
            "contact_id",
            &typed("contact"),
        )
        .await
        {
            Ok(cid) => input.contact_id = Some(cid),
            Err(e) => errors.push(e),
        }
    }
    if form.iter().any(|(k, v)| k == "opportunity" && v == "true") {
        let mut body = Map::new();
        let name = typed("opportunity_name");
        if !name.is_empty() {
            body.insert("name".into(), json!(name));
        }
        let amount = typed("opportunity_amount");
        if !amount.is_empty() {
            body.insert(
                "amount".into(),
                json!({"amount": amount, "currency": typed("opportunity_amount__currency")}),
            );
        }
        input.opportunity = Some(body);
    }
    let result = if errors.is_empty() {
        commands::convert_lead(&s.app, &caller, id, &input, None).await
    } else {
        Err(AppError::Invalid(errors))
    };
    match result {
        Ok(done) => {
            let to = match done.opportunity_id {
                Some(o) => record_href(ObjectType::Opportunity, &o.to_string()),
                None => record_href(ObjectType::Contact, &done.contact_id.to_string()),
            };
            Redirect::to(&to).into_response()
        }
        Err(AppError::Invalid(errors)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&view(&s, &page, id, &lead, Some(&form), &errors).await),
        )
            .into_response(),
        // Converted meanwhile (or twice): the page says so and links what it became.
        Err(AppError::Conflict { .. }) => {
            let lead = match load(&s, &page, &raw_id).await {
                Ok((_, l)) => l,
                Err(e) => return app_error(tr, e),
            };
            (
                StatusCode::CONFLICT,
                render(&view(&s, &page, id, &lead, Some(&form), &[]).await),
            )
                .into_response()
        }
        Err(e) => app_error(tr, e),
    }
}
