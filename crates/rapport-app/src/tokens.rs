//! API tokens: made by their holder (or the operator), shown once, revocable.

use rapport_core::audit::{Actor, AuditAction};
use rapport_core::policy::{self, Scope};
use rapport_core::secret::{Credential, token_hint};
use rapport_core::text::TokenName;
use rapport_core::validation::Errors;
use rapport_core::{ErrorCode, FieldError, Id, Timestamp, TokenId, UserId, WorkspaceId};
use rapport_store::tokens::{self, ApiToken, NewToken};
use serde_json::json;

use crate::error::{AppError, AppResult};
use crate::ids::new_id;
use crate::secrets::random_secret;
use crate::write::Write;
use crate::{App, Caller, PageOf, PageRequest, RequestMeta};

#[derive(Clone, Debug)]
pub struct NewTokenInput {
    pub name: String,
    pub scope: String,
    pub expires_at: Option<Timestamp>,
}

/// A token just made. `secret` is the only copy of the bearer value there will ever be.
#[derive(Clone, Debug)]
pub struct IssuedToken {
    pub token: ApiToken,
    pub secret: String,
}

fn parse(input: &NewTokenInput, now: Timestamp) -> AppResult<(TokenName, Scope)> {
    let mut errors = Errors::new();
    let name = errors.check(TokenName::parse("name", &input.name));
    let scope = errors.check(Scope::parse(input.scope.trim()).ok_or_else(|| {
        FieldError::new(
            "scope",
            ErrorCode::InvalidValue,
            "must be read or read_write",
        )
    }));
    if let Some(at) = input.expires_at
        && at <= now
    {
        errors.push(FieldError::new(
            "expires_at",
            ErrorCode::InvalidValue,
            "must be in the future",
        ));
    }
    errors.into_result()?;
    match (name, scope) {
        (Some(n), Some(s)) => Ok((n, s)),
        _ => Err(AppError::Internal),
    }
}

/// A user makes a token for themselves.
pub async fn create(app: &App, caller: &Caller, input: &NewTokenInput) -> AppResult<IssuedToken> {
    let (name, scope) = parse(input, app.now())?;
    policy::authorize_token_create(&caller.principal, scope)?;
    let p = &caller.principal;
    issue(
        app,
        p.workspace_id,
        p.user_id,
        Actor::User(p.user_id),
        &caller.meta,
        name,
        scope,
        input.expires_at,
    )
    .await
}

/// The operator makes a token for a user (`rapport token create`).
pub async fn create_as_operator(
    app: &App,
    ws: WorkspaceId,
    user: UserId,
    input: &NewTokenInput,
) -> AppResult<IssuedToken> {
    let (name, scope) = parse(input, app.now())?;
    issue(
        app,
        ws,
        user,
        Actor::Operator,
        &RequestMeta::default(),
        name,
        scope,
        input.expires_at,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn issue(
    app: &App,
    ws: WorkspaceId,
    user: UserId,
    actor: Actor,
    meta: &RequestMeta,
    name: TokenName,
    scope: Scope,
    expires_at: Option<Timestamp>,
) -> AppResult<IssuedToken> {
    let credential = Credential::new(ws, random_secret()?);
    let secret = credential.to_api_token();
    let mut w = Write::begin(app, ws, actor, meta).await?;
    let new = NewToken {
        id: new_id(),
        user_id: user,
        name: name.into_string(),
        hash: credential.hash(),
        hint: token_hint(&secret),
        scope,
        expires_at,
        now: w.now,
    };
    let token = tokens::insert(&mut w.tx, ws, &new).await?;
    let tid = token.id.as_uuid();
    w.audit(
        AuditAction::TokenCreated,
        "api_token",
        Some(tid),
        Vec::new(),
        Some(json!({"user_id": user, "name": token.name, "scope": scope.as_str(), "expires_at": expires_at})),
    )
    .await?;
    w.emit(
        "api_token.created",
        "api_token",
        tid,
        json!({"id": token.id, "user_id": user}),
    )
    .await?;
    w.commit().await?;
    Ok(IssuedToken { token, secret })
}

/// The caller's own tokens; an admin may ask for anyone's (`user = Some`) or everyone's
/// (`all = true`).
pub async fn list(
    app: &App,
    caller: &Caller,
    user: Option<UserId>,
    page: PageRequest<TokenId>,
) -> AppResult<PageOf<ApiToken, TokenId>> {
    let p = &caller.principal;
    let filter = match user {
        Some(u) if policy::may_see_token(p, u) => Some(u),
        Some(_) => return Err(AppError::Forbidden(policy::Forbidden::AdminOnly)),
        None if p.role == rapport_core::Role::Admin => None,
        None => Some(p.user_id),
    };
    let mut c = app.db.read().await?;
    let rows = tokens::list(&mut c, p.workspace_id, filter, page.probe()).await?;
    Ok(PageOf::from_probe(rows, page.limit, |t| t.id))
}

/// Every token of one user, for the operator's CLI.
pub async fn list_as_operator(
    app: &App,
    ws: WorkspaceId,
    user: UserId,
) -> AppResult<Vec<ApiToken>> {
    let mut c = app.db.read().await?;
    Ok(tokens::list(
        &mut c,
        ws,
        Some(user),
        rapport_store::Page {
            after: None,
            limit: 10_000,
        },
    )
    .await?)
}

pub async fn get(app: &App, caller: &Caller, id: TokenId) -> AppResult<ApiToken> {
    let mut c = app.db.read().await?;
    let token = tokens::get(&mut c, caller.principal.workspace_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if policy::may_see_token(&caller.principal, token.user_id) {
        Ok(token)
    } else {
        Err(AppError::NotFound)
    }
}

pub async fn revoke(app: &App, caller: &Caller, id: TokenId) -> AppResult<()> {
    let p = &caller.principal;
    let mut w = Write::begin(app, p.workspace_id, Actor::User(p.user_id), &caller.meta).await?;
    let token = tokens::get(&mut w.tx, w.ws, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !policy::may_see_token(p, token.user_id) {
        return Err(AppError::NotFound);
    }
    policy::authorize_token_revoke(p, token.user_id)?;
    finish_revoke(w, token).await
}

pub async fn revoke_as_operator(app: &App, ws: WorkspaceId, id: TokenId) -> AppResult<()> {
    let mut w = Write::begin(app, ws, Actor::Operator, &RequestMeta::default()).await?;
    let token = tokens::get(&mut w.tx, w.ws, id)
        .await?
        .ok_or(AppError::NotFound)?;
    finish_revoke(w, token).await
}

async fn finish_revoke(mut w: Write, token: ApiToken) -> AppResult<()> {
    if !tokens::revoke(&mut w.tx, w.ws, token.id, w.now).await? {
        // Already revoked: the end state is what was asked for.
        return Ok(());
    }
    let tid = token.id.as_uuid();
    w.audit(
        AuditAction::TokenRevoked,
        "api_token",
        Some(tid),
        Vec::new(),
        Some(json!({"user_id": token.user_id, "name": token.name})),
    )
    .await?;
    w.emit(
        "api_token.revoked",
        "api_token",
        tid,
        json!({"id": token.id, "user_id": token.user_id}),
    )
    .await?;
    w.commit().await
}
