//! Signing in and out, and turning a bearer token or a session cookie into a `Principal`.
//!
//! Failures answer alike: an unknown workspace, an unknown e-mail, a wrong password and a
//! disabled account all give `Unauthenticated` after the same amount of hashing work.

use std::time::Duration;

use rapport_core::audit::{Actor, AuditAction};
use rapport_core::policy::{Principal, Scope};
use rapport_core::rate_limit::Decision;
use rapport_core::secret::{Credential, csrf_token};
use rapport_core::session::{self, SessionState};
use rapport_core::{ErrorCode, FieldError, Id, SessionId, WorkspaceId};
use rapport_store::tokens::Holder;
use rapport_store::users::User;
use rapport_store::workspaces::{self, Workspace};
use rapport_store::{sessions, throttle, tokens, users};
use serde_json::json;

use crate::error::{AppError, AppResult};
use crate::ids::new_id;
use crate::secrets::random_secret;
use crate::write::Write;
use crate::{App, RequestMeta};

#[derive(Clone, Debug, Default)]
pub struct LoginInput {
    /// The workspace slug; may be left out when the database holds a single workspace.
    pub workspace: Option<String>,
    pub email: String,
    pub password: String,
    /// The cookie of a session the browser already had; it ends, so a session id never
    /// survives a sign-in (no session fixation).
    pub previous_session: Option<String>,
}

#[derive(Clone, Debug)]
pub struct LoggedIn {
    pub cookie_value: String,
    pub csrf_token: String,
    pub user: User,
    pub workspace: Workspace,
}

/// A live session and the user behind it.
#[derive(Clone, Debug)]
pub struct SessionAuth {
    pub principal: Principal,
    pub session_id: SessionId,
    pub csrf_token: String,
}

pub async fn login(app: &App, input: &LoginInput, meta: &RequestMeta) -> AppResult<LoggedIn> {
    let workspace = match resolve_workspace(app, input.workspace.as_deref()).await? {
        Some(w) => w,
        None => {
            app.hasher.verify(&input.password, None).await?;
            return Err(AppError::Unauthenticated);
        }
    };
    let ws = workspace.id;
    let email_key = input.email.trim().to_lowercase();
    check_limits(app, ws, &email_key, meta).await?;

    let found = {
        let mut c = app.db.read().await?;
        users::credentials(&mut c, ws, &email_key).await?
    };
    let (user, hash) = match found {
        Some((u, h)) => (Some(u), Some(h)),
        None => (None, None),
    };
    let password_ok = app.hasher.verify(&input.password, hash).await?;
    let mut user = match user {
        Some(u) if password_ok && u.enabled => u,
        other => {
            let reason = match &other {
                None => "unknown_user",
                Some(u) if !u.enabled => "disabled",
                Some(_) => "wrong_password",
            };
            let mut w = Write::begin(app, ws, Actor::Anonymous, meta).await?;
            w.audit(
                AuditAction::LoginFailed,
                "user",
                other.as_ref().map(|u| u.id.as_uuid()),
                Vec::new(),
                Some(json!({"email": email_key, "reason": reason})),
            )
            .await?;
            w.commit().await?;
            return Err(AppError::Unauthenticated);
        }
    };

    let credential = Credential::new(ws, random_secret()?);
    let csrf = csrf_token(random_secret()?);
    let mut w = Write::begin(app, ws, Actor::User(user.id), meta).await?;
    if let Some(previous) = input.previous_session.as_deref()
        && let Ok(old) = Credential::parse_cookie_value(previous)
        && old.workspace_id() == ws
        && let Some((s, _)) = sessions::find(&mut w.tx, ws, &old.hash()).await?
    {
        sessions::delete(&mut w.tx, ws, s.id).await?;
    }
    let session_id: SessionId = new_id();
    let new = sessions::NewSession {
        id: session_id,
        user_id: user.id,
        hash: credential.hash(),
        csrf_token: csrf.clone(),
        ip: meta.ip.clone(),
        user_agent: meta
            .user_agent
            .as_ref()
            .map(|a| a.chars().take(300).collect()),
        now: w.now,
    };
    sessions::insert(&mut w.tx, ws, &new).await?;
    users::record_login(&mut w.tx, ws, user.id, w.now).await?;
    user.last_login_at = Some(w.now);
    w.audit(
        AuditAction::Login,
        "user",
        Some(user.id.as_uuid()),
        Vec::new(),
        Some(json!({"session_id": session_id})),
    )
    .await?;
    w.commit().await?;
    Ok(LoggedIn {
        cookie_value: credential.to_cookie_value(),
        csrf_token: csrf,
        user,
        workspace,
    })
}

/// The named workspace; without a name, the only one there is. `Ok(None)` for a name that
/// does not exist, which the caller must not reveal.
async fn resolve_workspace(app: &App, slug: Option<&str>) -> AppResult<Option<Workspace>> {
    let mut c = app.db.read().await?;
    match slug.map(str::trim).filter(|s| !s.is_empty()) {
        Some(slug) => Ok(workspaces::by_slug(&mut c, &slug.to_lowercase()).await?),
        None => {
            let mut all = workspaces::list_all(&mut c).await?;
            if all.len() == 1 {
                Ok(all.pop())
            } else {
                Err(AppError::invalid(FieldError::new(
                    "workspace",
                    ErrorCode::Required,
                    "this server holds several workspaces; say which one",
                )))
            }
        }
    }
}

/// Counts the attempt per address and per e-mail, in the database so every node agrees.
async fn check_limits(
    app: &App,
    ws: WorkspaceId,
    email_key: &str,
    meta: &RequestMeta,
) -> AppResult<()> {
    let now = app.now();
    let quota = app.settings.login_quota;
    let ip_bucket = format!("ip:{}", meta.ip.as_deref().unwrap_or("unknown"));
    let email_bucket = format!("email:{email_key}");
    let mut tx = app.db.write().await?;
    let by_ip = throttle::take(&mut tx, ws, &ip_bucket, now, quota).await?;
    let by_email = throttle::take(&mut tx, ws, &email_bucket, now, quota).await?;
    tx.commit().await?;
    let wait = [by_ip, by_email]
        .into_iter()
        .filter_map(|d| match d {
            Decision::Deny { retry_after } => Some(retry_after),
            Decision::Allow { .. } => None,
        })
        .max();
    match wait {
        Some(retry_after) => Err(AppError::RateLimited {
            retry_after: retry_after.max(Duration::from_secs(1)),
        }),
        None => Ok(()),
    }
}

fn principal(ws: WorkspaceId, holder: &Holder, scope: Scope) -> Principal {
    Principal {
        workspace_id: ws,
        user_id: holder.user_id,
        role: holder.role,
        team_id: holder.team_id,
        scope,
    }
}

/// Resolves `Authorization: Bearer rpt_…`. Revoked, expired and malformed tokens, and
/// tokens of disabled users, are all `Unauthenticated`.
pub async fn authenticate_token(app: &App, bearer: &str) -> AppResult<Principal> {
    let credential =
        Credential::parse_api_token(bearer.trim()).map_err(|_| AppError::Unauthenticated)?;
    let ws = credential.workspace_id();
    let now = app.now();
    let found = {
        let mut c = app.db.read().await?;
        tokens::authenticate(&mut c, ws, &credential.hash(), now).await?
    };
    let Some((token, holder)) = found else {
        return Err(AppError::Unauthenticated);
    };
    if !holder.enabled {
        return Err(AppError::Unauthenticated);
    }
    let stale = token
        .last_used_at
        .is_none_or(|t| now.since(t) >= app.settings.token_touch_every);
    if stale {
        let mut tx = app.db.write().await?;
        tokens::touch(&mut tx, ws, token.id, now).await?;
        tx.commit().await?;
    }
    Ok(principal(ws, &holder, token.scope))
}

/// Resolves a session cookie, ending it when it has timed out.
pub async fn authenticate_session(app: &App, cookie_value: &str) -> AppResult<SessionAuth> {
    let credential =
        Credential::parse_cookie_value(cookie_value).map_err(|_| AppError::Unauthenticated)?;
    let ws = credential.workspace_id();
    let now = app.now();
    let found = {
        let mut c = app.db.read().await?;
        sessions::find(&mut c, ws, &credential.hash()).await?
    };
    let Some((session, holder)) = found else {
        return Err(AppError::Unauthenticated);
    };
    match session::evaluate(
        session.created_at,
        session.last_seen_at,
        now,
        app.settings.sessions,
    ) {
        SessionState::Expired => {
            let mut tx = app.db.write().await?;
            sessions::delete(&mut tx, ws, session.id).await?;
            tx.commit().await?;
            Err(AppError::Unauthenticated)
        }
        SessionState::Live { touch } => {
            if !holder.enabled {
                return Err(AppError::Unauthenticated);
            }
            if touch {
                let mut tx = app.db.write().await?;
                sessions::touch(&mut tx, ws, session.id, now).await?;
                tx.commit().await?;
            }
            Ok(SessionAuth {
                principal: principal(ws, &holder, Scope::ReadWrite),
                session_id: session.id,
                csrf_token: session.csrf_token,
            })
        }
    }
}

pub async fn logout(app: &App, auth: &SessionAuth, meta: &RequestMeta) -> AppResult<()> {
    let p = &auth.principal;
    let mut w = Write::begin(app, p.workspace_id, Actor::User(p.user_id), meta).await?;
    if sessions::delete(&mut w.tx, w.ws, auth.session_id).await? {
        w.audit(
            AuditAction::Logout,
            "user",
            Some(p.user_id.as_uuid()),
            Vec::new(),
            Some(json!({"session_id": auth.session_id})),
        )
        .await?;
    }
    w.commit().await
}
