//! My profile: name, language, time zone, password, and my API tokens.

use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::tokens::{self, NewTokenInput};
use rapport_app::users::{self, ProfilePatch};
use rapport_app::{AppError, PageRequest};
use rapport_core::Id;
use rapport_core::format;
use rapport_core::locale::Locale;
use uuid::Uuid;

use super::forms::error_for;
use super::lists::Choice;
use super::page::{
    Chrome, Page, Submission, app_error, form_pairs, form_status, form_value, render,
};
use crate::state::AppState;

pub struct TokenRow {
    pub id: String,
    pub name: String,
    pub hint: String,
    pub scope: String,
    pub created: String,
    pub last_used: String,
}

#[derive(askama::Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    c: Chrome,
    display_name: String,
    time_zone: String,
    languages: Vec<Choice>,
    name_error: Option<String>,
    zone_error: Option<String>,
    password_error: Option<String>,
    token_error: Option<String>,
    notice: Option<String>,
    new_token: Option<String>,
    tokens: Vec<TokenRow>,
}

#[derive(Default)]
struct Outcome {
    display_name: Option<String>,
    time_zone: Option<String>,
    errors: Vec<rapport_core::validation::FieldError>,
    notice: Option<String>,
    new_token: Option<String>,
}

async fn page_with(s: &AppState, page: &Page, o: Outcome) -> Response {
    let tr = page.tr;
    let caller = page.caller();
    let tokens = tokens::list(
        &s.app,
        &caller,
        Some(page.user.id),
        PageRequest::new(None, Some(100)),
    )
    .await
    .map(|p| p.items)
    .unwrap_or_default()
    .into_iter()
    .filter(|t| t.revoked_at.is_none())
    .map(|t| TokenRow {
        id: t.id.as_uuid().to_string(),
        name: t.name,
        hint: t.hint,
        scope: tr.get(&format!("profile-token-scope-{}", t.scope.as_str())),
        created: format::date_time(tr.locale, t.created_at, page.zone()),
        last_used: t
            .last_used_at
            .map(|at| format::date_time(tr.locale, at, page.zone()))
            .unwrap_or_else(|| tr.get("profile-token-never")),
    })
    .collect();
    let status = form_status(&o.errors);
    let view = ProfilePage {
        c: page.chrome("profile", tr.get("profile-title")),
        display_name: o
            .display_name
            .unwrap_or_else(|| page.user.display_name.clone()),
        time_zone: o.time_zone.unwrap_or_else(|| page.user.time_zone.clone()),
        languages: Locale::ALL
            .iter()
            .map(|l| Choice {
                value: l.as_str().to_owned(),
                label: tr.get(&format!("language-{}", l.as_str())),
                selected: tr.locale == *l,
            })
            .collect(),
        name_error: error_for(tr, "display_name", &o.errors),
        zone_error: error_for(tr, "time_zone", &o.errors),
        password_error: error_for(tr, "current_password", &o.errors)
            .or_else(|| error_for(tr, "new_password", &o.errors)),
        token_error: error_for(tr, "name", &o.errors).or_else(|| error_for(tr, "scope", &o.errors)),
        notice: o.notice,
        new_token: o.new_token,
        tokens,
    };
    (status, render(&view)).into_response()
}

pub async fn show(State(s): State<AppState>, page: Page, RawQuery(raw): RawQuery) -> Response {
    let query = form_pairs(raw.unwrap_or_default().as_bytes());
    let notice = match form_value(&query, "done") {
        Some("profile") => Some(page.tr.get("profile-saved")),
        Some("revoked") => Some(page.tr.get("profile-token-revoked")),
        _ => None,
    };
    page_with(
        &s,
        &page,
        Outcome {
            notice,
            ..Outcome::default()
        },
    )
    .await
}

/// A refused change: the profile again with each message by its field, or an error page.
async fn failed(s: &AppState, page: &Page, e: AppError) -> Response {
    match e {
        AppError::Invalid(errors) => {
            page_with(
                s,
                page,
                Outcome {
                    errors,
                    ..Outcome::default()
                },
            )
            .await
        }
        other => app_error(page.tr, other),
    }
}

pub async fn save(State(s): State<AppState>, sub: Submission) -> Response {
    let Submission { page, form } = sub;
    let field = |k: &str| form_value(&form, k).map(str::to_owned);
    let patch = ProfilePatch {
        display_name: field("display_name"),
        locale: field("locale"),
        time_zone: field("time_zone"),
    };
    match users::update_profile(&s.app, &page.caller(), &patch).await {
        // The new language shows on the next page, which the redirect loads.
        Ok(_) => Redirect::to("/profile?done=profile").into_response(),
        Err(AppError::Invalid(errors)) => {
            page_with(
                &s,
                &page,
                Outcome {
                    display_name: patch.display_name,
                    time_zone: patch.time_zone,
                    errors,
                    ..Outcome::default()
                },
            )
            .await
        }
        Err(e) => app_error(page.tr, e),
    }
}

pub async fn password(State(s): State<AppState>, sub: Submission) -> Response {
    let Submission { page, form } = sub;
    let current = form_value(&form, "current_password").unwrap_or_default();
    let new = form_value(&form, "new_password").unwrap_or_default();
    match users::change_own_password(&s.app, &page.caller(), current, new).await {
        // Every session of the user ended with the change, this one included.
        Ok(()) => Redirect::to("/login?next=/profile").into_response(),
        Err(AppError::Unauthenticated) => {
            let errors = vec![rapport_core::validation::FieldError::new(
                "current_password",
                rapport_core::ErrorCode::InvalidValue,
                page.tr.get("login-failed"),
            )];
            failed(&s, &page, AppError::Invalid(errors)).await
        }
        Err(e) => failed(&s, &page, e).await,
    }
}

pub async fn create_token(State(s): State<AppState>, sub: Submission) -> Response {
    let Submission { page, form } = sub;
    let input = NewTokenInput {
        name: form_value(&form, "name").unwrap_or_default().to_owned(),
        scope: form_value(&form, "scope").unwrap_or("read").to_owned(),
        expires_at: None,
    };
    match tokens::create(&s.app, &page.caller(), &input).await {
        Ok(issued) => {
            page_with(
                &s,
                &page,
                Outcome {
                    notice: Some(page.tr.get("profile-token-created")),
                    new_token: Some(issued.secret),
                    ..Outcome::default()
                },
            )
            .await
        }
        Err(e) => failed(&s, &page, e).await,
    }
}

pub async fn revoke_token(
    State(s): State<AppState>,
    Path(id): Path<String>,
    sub: Submission,
) -> Response {
    let Submission { page, .. } = sub;
    let Ok(id) = Uuid::try_parse(&id) else {
        return app_error(page.tr, AppError::NotFound);
    };
    match tokens::revoke(&s.app, &page.caller(), rapport_core::TokenId::from_uuid(id)).await {
        Ok(()) => Redirect::to("/profile?done=revoked").into_response(),
        Err(e) => app_error(page.tr, e),
    }
}
