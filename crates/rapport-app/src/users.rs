//! Users: adding, reading, changing, enabling and disabling them, and passwords.

use rapport_core::audit::{Actor, AuditAction, Diff};
use rapport_core::locale::{Locale, TimeZoneName};
use rapport_core::password::NewPassword;
use rapport_core::policy::{self, Principal};
use rapport_core::rate_limit::Decision;
use rapport_core::secret::csrf_token;
use rapport_core::text::DisplayName;
use rapport_core::validation::Errors;
use rapport_core::{EmailAddress, ErrorCode, FieldError, Id, Role, TeamId, UserId, WorkspaceId};
use rapport_store::users::{self, NewUser, User, UserChanges};
use rapport_store::{sessions, teams, throttle, tokens};
use serde_json::json;

use crate::error::{AppError, AppResult};
use crate::ids::new_id;
use crate::secrets::random_secret;
use crate::write::Write;
use crate::{App, Caller, PageOf, PageRequest, RequestMeta};

/// What a client sends to add a user. Text is parsed here so that REST, UI and CLI share
/// one set of rules and messages.
#[derive(Clone, Debug, Default)]
pub struct NewUserInput {
    pub email: String,
    pub display_name: Option<String>,
    pub role: String,
    pub team_id: Option<TeamId>,
    /// When absent a strong password is generated and returned once.
    pub password: Option<String>,
    pub locale: Option<String>,
    pub time_zone: Option<String>,
}

#[derive(Clone, Debug)]
pub struct CreatedUser {
    pub user: User,
    /// Present only when the server chose the password; shown once, never stored in clear.
    pub generated_password: Option<String>,
}

/// A partial change: `None` leaves a field alone; for `team_id`, `Some(None)` removes it.
#[derive(Clone, Debug, Default)]
pub struct UserPatch {
    pub display_name: Option<String>,
    pub role: Option<String>,
    pub team_id: Option<Option<TeamId>>,
    pub enabled: Option<bool>,
    pub locale: Option<String>,
    pub time_zone: Option<String>,
}

/// What a user may change about themselves.
#[derive(Clone, Debug, Default)]
pub struct ProfilePatch {
    pub display_name: Option<String>,
    pub locale: Option<String>,
    pub time_zone: Option<String>,
}

pub(crate) struct ParsedNewUser {
    email: EmailAddress,
    display_name: DisplayName,
    role: Role,
    team_id: Option<TeamId>,
    password: NewPassword,
    generated: bool,
    locale: Locale,
    time_zone: TimeZoneName,
}

pub(crate) fn parse_role(field: &str, raw: &str) -> Result<Role, FieldError> {
    raw.trim().parse().map_err(|_| {
        FieldError::new(
            field,
            ErrorCode::InvalidValue,
            "must be one of admin, manager, rep, read_only",
        )
    })
}

pub(crate) fn parse_new_user(input: &NewUserInput) -> Result<ParsedNewUser, AppError> {
    let mut errors = Errors::new();
    let email = errors.check(EmailAddress::parse("email", &input.email));
    let display_name = match (&input.display_name, &email) {
        (Some(name), _) => errors.check(DisplayName::parse("display_name", name)),
        (None, Some(email)) => errors.check(DisplayName::parse("display_name", email.local_part())),
        (None, None) => None,
    };
    let role = errors.check(parse_role("role", &input.role));
    let locale = match &input.locale {
        Some(l) => errors.check(Locale::parse("locale", l)),
        None => Some(Locale::default()),
    };
    let time_zone = match &input.time_zone {
        Some(z) => errors.check(TimeZoneName::parse("time_zone", z)),
        None => Some(TimeZoneName::utc()),
    };
    let password = match (&input.password, &email) {
        (Some(p), Some(email)) => errors
            .check(NewPassword::parse("password", p, email))
            .map(|p| (p, false)),
        (None, Some(email)) => Some((generate_password(email)?, true)),
        (_, None) => None,
    };
    errors.into_result()?;
    match (email, display_name, role, locale, time_zone, password) {
        (
            Some(email),
            Some(display_name),
            Some(role),
            Some(locale),
            Some(time_zone),
            Some((password, generated)),
        ) => Ok(ParsedNewUser {
            email,
            display_name,
            role,
            team_id: input.team_id,
            password,
            generated,
            locale,
            time_zone,
        }),
        _ => Err(AppError::Internal),
    }
}

/// 24 characters from 144 random bits: strong, and typeable from a screen.
fn generate_password(email: &EmailAddress) -> AppResult<NewPassword> {
    loop {
        let raw = csrf_token(random_secret()?);
        let candidate: String = raw.chars().take(24).collect();
        if let Ok(p) = NewPassword::parse("password", &candidate, email) {
            return Ok(p);
        }
    }
}

/// Inserts a parsed user inside an open write, with its audit entry and event.
pub(crate) async fn insert_parsed(
    app: &App,
    w: &mut Write,
    p: ParsedNewUser,
) -> AppResult<CreatedUser> {
    if let Some(team) = p.team_id {
        ensure_team(w, team).await?;
    }
    let hash = app.hasher.hash(&p.password).await?;
    let new = NewUser {
        id: new_id(),
        email: p.email.as_str().to_owned(),
        email_key: p.email.key(),
        display_name: p.display_name.into_string(),
        role: p.role,
        team_id: p.team_id,
        password_hash: hash,
        locale: p.locale.as_str().to_owned(),
        time_zone: p.time_zone.as_str().to_owned(),
        now: w.now,
    };
    let user = users::insert(&mut w.tx, w.ws, &new).await?;
    let uid = user.id.as_uuid();
    w.audit(
        AuditAction::UserCreated,
        "user",
        Some(uid),
        Vec::new(),
        Some(json!({"email": user.email, "role": user.role, "team_id": user.team_id})),
    )
    .await?;
    w.emit(
        "user.created",
        "user",
        uid,
        json!({"id": user.id, "email": user.email, "role": user.role}),
    )
    .await?;
    Ok(CreatedUser {
        user,
        generated_password: p.generated.then(|| p.password.expose().to_owned()),
    })
}

async fn ensure_team(w: &mut Write, team: TeamId) -> AppResult<()> {
    match teams::get(&mut w.tx, w.ws, team).await? {
        Some(_) => Ok(()),
        None => Err(AppError::invalid(FieldError::new(
            "team_id",
            ErrorCode::UnknownReference,
            "no such team",
        ))),
    }
}

/// An admin adds a user to their workspace.
pub async fn add(app: &App, caller: &Caller, input: &NewUserInput) -> AppResult<CreatedUser> {
    policy::authorize_workspace_admin(&caller.principal)?;
    let parsed = parse_new_user(input)?;
    policy::authorize_role_grant(&caller.principal, parsed.role)?;
    let mut w = Write::begin(
        app,
        caller.principal.workspace_id,
        Actor::User(caller.principal.user_id),
        &caller.meta,
    )
    .await?;
    let created = insert_parsed(app, &mut w, parsed).await?;
    w.commit().await?;
    Ok(created)
}

/// The operator adds a user from the command line.
pub async fn add_as_operator(
    app: &App,
    ws: WorkspaceId,
    input: &NewUserInput,
) -> AppResult<CreatedUser> {
    let parsed = parse_new_user(input)?;
    let mut w = Write::begin(app, ws, Actor::Operator, &RequestMeta::default()).await?;
    let created = insert_parsed(app, &mut w, parsed).await?;
    w.commit().await?;
    Ok(created)
}

/// Every role may see the users of its workspace (to assign owners and mention people).
pub async fn list(
    app: &App,
    caller: &Caller,
    page: PageRequest<UserId>,
) -> AppResult<PageOf<User, UserId>> {
    let mut c = app.db.read().await?;
    let rows = users::list(&mut c, caller.principal.workspace_id, page.probe()).await?;
    Ok(PageOf::from_probe(rows, page.limit, |u| u.id))
}

/// Every user of a workspace, for the operator's CLI.
pub async fn list_as_operator(app: &App, ws: WorkspaceId) -> AppResult<Vec<User>> {
    let mut c = app.db.read().await?;
    let mut all = Vec::new();
    let mut after = None;
    loop {
        let batch = users::list(&mut c, ws, rapport_store::Page { after, limit: 500 }).await?;
        let Some(last) = batch.last() else { break };
        after = Some(last.id);
        all.extend(batch);
    }
    Ok(all)
}

pub async fn get(app: &App, caller: &Caller, id: UserId) -> AppResult<User> {
    let mut c = app.db.read().await?;
    users::get(&mut c, caller.principal.workspace_id, id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn find_by_email(app: &App, ws: WorkspaceId, email: &str) -> AppResult<User> {
    let mut c = app.db.read().await?;
    users::by_email_key(&mut c, ws, &email.trim().to_lowercase())
        .await?
        .ok_or(AppError::NotFound)
}

/// An admin changes a user: name, role, team, enabled, language, time zone.
pub async fn update(
    app: &App,
    caller: &Caller,
    id: UserId,
    patch: &UserPatch,
    if_match: Option<i64>,
) -> AppResult<User> {
    policy::authorize_workspace_admin(&caller.principal)?;
    let w = Write::begin(
        app,
        caller.principal.workspace_id,
        Actor::User(caller.principal.user_id),
        &caller.meta,
    )
    .await?;
    apply_update(w, Some(&caller.principal), id, patch, if_match).await
}

/// The operator changes a user (`rapport user enable|disable|set-role`).
pub async fn update_as_operator(
    app: &App,
    ws: WorkspaceId,
    id: UserId,
    patch: &UserPatch,
) -> AppResult<User> {
    let w = Write::begin(app, ws, Actor::Operator, &RequestMeta::default()).await?;
    apply_update(w, None, id, patch, None).await
}

async fn apply_update(
    mut w: Write,
    granter: Option<&Principal>,
    id: UserId,
    patch: &UserPatch,
    if_match: Option<i64>,
) -> AppResult<User> {
    let current = users::get(&mut w.tx, w.ws, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(expected) = if_match
        && expected != current.version
    {
        return Err(AppError::PreconditionFailed {
            expected,
            current: current.version,
        });
    }
    let mut errors = Errors::new();
    let display_name = match &patch.display_name {
        Some(n) => errors
            .check(DisplayName::parse("display_name", n))
            .map(DisplayName::into_string),
        None => Some(current.display_name.clone()),
    };
    let role = match &patch.role {
        Some(r) => errors.check(parse_role("role", r)),
        None => Some(current.role),
    };
    let locale = match &patch.locale {
        Some(l) => errors
            .check(Locale::parse("locale", l))
            .map(|l| l.as_str().to_owned()),
        None => Some(current.locale.clone()),
    };
    let time_zone = match &patch.time_zone {
        Some(z) => errors
            .check(TimeZoneName::parse("time_zone", z))
            .map(|z| z.as_str().to_owned()),
        None => Some(current.time_zone.clone()),
    };
    errors.into_result()?;
    let (Some(display_name), Some(role), Some(locale), Some(time_zone)) =
        (display_name, role, locale, time_zone)
    else {
        return Err(AppError::Internal);
    };
    if let Some(p) = granter
        && role != current.role
    {
        policy::authorize_role_grant(p, role)?;
    }
    let team_id = patch.team_id.unwrap_or(current.team_id);
    if let Some(team) = team_id
        && Some(team) != current.team_id
    {
        ensure_team(&mut w, team).await?;
    }
    let enabled = patch.enabled.unwrap_or(current.enabled);
    let loses_admin =
        current.role == Role::Admin && current.enabled && (role != Role::Admin || !enabled);
    if loses_admin && users::count_enabled_admins(&mut w.tx, w.ws).await? <= 1 {
        return Err(AppError::Conflict {
            code: "last_admin",
            message:
                "this is the last enabled admin of the workspace; make someone else admin first"
                    .to_owned(),
        });
    }
    let changes = UserChanges {
        display_name,
        role,
        team_id,
        enabled,
        locale,
        time_zone,
    };
    let before = UserChanges {
        display_name: current.display_name.clone(),
        role: current.role,
        team_id: current.team_id,
        enabled: current.enabled,
        locale: current.locale.clone(),
        time_zone: current.time_zone.clone(),
    };
    if changes == before {
        return Ok(current);
    }
    let updated = users::update(&mut w.tx, w.ws, id, current.version, &changes, w.now)
        .await?
        .ok_or(AppError::PreconditionFailed {
            expected: current.version,
            current: current.version + 1,
        })?;
    let uid = id.as_uuid();
    let mut role_diff = Diff::new();
    role_diff.field("role", &before.role, &changes.role);
    if !role_diff.is_empty() {
        w.audit(
            AuditAction::UserRoleChanged,
            "user",
            Some(uid),
            role_diff.into_vec(),
            None,
        )
        .await?;
    }
    if before.enabled != changes.enabled {
        let action = if changes.enabled {
            AuditAction::UserEnabled
        } else {
            AuditAction::UserDisabled
        };
        let mut d = Diff::new();
        d.field("enabled", &before.enabled, &changes.enabled);
        w.audit(action, "user", Some(uid), d.into_vec(), None)
            .await?;
    }
    let mut rest = Diff::new();
    rest.field("display_name", &before.display_name, &changes.display_name);
    rest.field("team_id", &before.team_id, &changes.team_id);
    rest.field("locale", &before.locale, &changes.locale);
    rest.field("time_zone", &before.time_zone, &changes.time_zone);
    let mut changed: Vec<&str> = rest.fields();
    if !rest.is_empty() {
        w.audit(
            AuditAction::UserUpdated,
            "user",
            Some(uid),
            rest.into_vec(),
            None,
        )
        .await?;
    }
    if before.role != changes.role {
        changed.push("role");
    }
    if before.enabled != changes.enabled {
        changed.push("enabled");
    }
    if !changes.enabled {
        end_credentials(&mut w, id).await?;
    }
    w.emit(
        "user.updated",
        "user",
        uid,
        json!({"id": id, "changed": changed, "version": updated.version}),
    )
    .await?;
    w.commit().await?;
    Ok(updated)
}

/// Ends every session and revokes every token of a user, inside the caller's transaction.
async fn end_credentials(w: &mut Write, user: UserId) -> AppResult<()> {
    sessions::delete_all_of(&mut w.tx, w.ws, user).await?;
    tokens::revoke_all_of(&mut w.tx, w.ws, user, w.now).await?;
    Ok(())
}

/// A user changes their own name, language or time zone.
pub async fn update_profile(app: &App, caller: &Caller, patch: &ProfilePatch) -> AppResult<User> {
    policy::authorize_own_profile(&caller.principal)?;
    let w = Write::begin(
        app,
        caller.principal.workspace_id,
        Actor::User(caller.principal.user_id),
        &caller.meta,
    )
    .await?;
    let as_patch = UserPatch {
        display_name: patch.display_name.clone(),
        locale: patch.locale.clone(),
        time_zone: patch.time_zone.clone(),
        ..UserPatch::default()
    };
    apply_update(w, None, caller.principal.user_id, &as_patch, None).await
}

/// A user changes their own password, proving they know the current one. Ends all their
/// sessions and tokens, the one used for this request included.
pub async fn change_own_password(
    app: &App,
    caller: &Caller,
    current: &str,
    new: &str,
) -> AppResult<()> {
    policy::authorize_own_profile(&caller.principal)?;
    let ws = caller.principal.workspace_id;
    let me = {
        let mut c = app.db.read().await?;
        users::get(&mut c, ws, caller.principal.user_id)
            .await?
            .ok_or(AppError::Unauthenticated)?
    };
    let email = EmailAddress::parse("email", &me.email).map_err(|_| AppError::Internal)?;
    let new = NewPassword::parse("new_password", new, &email)?;
    // Guessing the current password through a stolen session is limited like a login.
    let mut limiter = app.db.write().await?;
    let decision = throttle::take(
        &mut limiter,
        ws,
        &format!("email:{}", email.key()),
        app.now(),
        app.settings.login_quota,
    )
    .await?;
    limiter.commit().await?;
    if let Decision::Deny { retry_after } = decision {
        return Err(AppError::RateLimited { retry_after });
    }
    let stored = {
        let mut c = app.db.read().await?;
        users::credentials(&mut c, ws, &email.key())
            .await?
            .map(|(_, h)| h)
    };
    if !app.hasher.verify(current, stored).await? {
        return Err(AppError::invalid(FieldError::new(
            "current_password",
            ErrorCode::InvalidValue,
            "is not your current password",
        )));
    }
    let hash = app.hasher.hash(&new).await?;
    let mut w = Write::begin(app, ws, Actor::User(me.id), &caller.meta).await?;
    store_password(&mut w, me.id, &hash).await?;
    w.commit().await
}

/// The operator sets a user's password (`rapport user set-password`).
pub async fn set_password_as_operator(
    app: &App,
    ws: WorkspaceId,
    id: UserId,
    new: &str,
) -> AppResult<()> {
    let user = {
        let mut c = app.db.read().await?;
        users::get(&mut c, ws, id)
            .await?
            .ok_or(AppError::NotFound)?
    };
    let email = EmailAddress::parse("email", &user.email).map_err(|_| AppError::Internal)?;
    let new = NewPassword::parse("password", new, &email)?;
    let hash = app.hasher.hash(&new).await?;
    let mut w = Write::begin(app, ws, Actor::Operator, &RequestMeta::default()).await?;
    store_password(&mut w, id, &hash).await?;
    w.commit().await
}

async fn store_password(w: &mut Write, user: UserId, hash: &str) -> AppResult<()> {
    users::set_password(&mut w.tx, w.ws, user, hash, w.now).await?;
    end_credentials(w, user).await?;
    w.audit(
        AuditAction::UserPasswordChanged,
        "user",
        Some(user.as_uuid()),
        Vec::new(),
        None,
    )
    .await?;
    w.emit(
        "user.password_changed",
        "user",
        user.as_uuid(),
        json!({"id": user}),
    )
    .await
}
