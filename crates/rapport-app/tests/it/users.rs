use rapport_app::users::{self, NewUserInput, ProfilePatch, UserPatch};
use rapport_app::{AppError, PageRequest, auth};
use rapport_core::policy::Forbidden;
use rapport_core::{ErrorCode, Id, Role, UserId};
use rapport_store::outbox;
use uuid::Uuid;

use crate::support::{Env, PASSWORD, audit_actions, read_only};

fn input(email: &str, role: &str) -> NewUserInput {
    NewUserInput {
        email: email.to_owned(),
        role: role.to_owned(),
        password: Some(PASSWORD.to_owned()),
        ..NewUserInput::default()
    }
}

#[tokio::test]
async fn an_admin_adds_users_and_only_an_admin_can() {
    for env in Env::each("add users").await {
        let (ws, admin) = env.workspace("acme").await;
        let created = users::add(&env.app, &admin, &input("rep@acme.example", "rep"))
            .await
            .unwrap();
        assert_eq!(created.user.role, Role::Rep);
        assert!(created.generated_password.is_none());
        let manager = env.user(ws, "m@acme.example", Role::Manager).await;
        let denied = users::add(&env.app, &manager, &input("x@acme.example", "rep")).await;
        assert!(
            matches!(denied, Err(AppError::Forbidden(Forbidden::AdminOnly))),
            "{denied:?}"
        );
        let read_token = users::add(
            &env.app,
            &read_only(&admin),
            &input("y@acme.example", "rep"),
        )
        .await;
        assert!(matches!(
            read_token,
            Err(AppError::Forbidden(Forbidden::ReadOnlyScope))
        ));
        let listed = users::list(&env.app, &manager, PageRequest::new(None, None))
            .await
            .unwrap();
        assert_eq!(listed.items.len(), 3, "{}", env.backend());
    }
}

#[tokio::test]
async fn without_a_password_one_is_generated_and_works() {
    for env in Env::each("generated password").await {
        let (_, admin) = env.workspace("acme").await;
        let mut i = input("new@acme.example", "rep");
        i.password = None;
        let created = users::add(&env.app, &admin, &i).await.unwrap();
        let password = created.generated_password.unwrap();
        let login = auth::LoginInput {
            workspace: Some("acme".to_owned()),
            email: "NEW@acme.example".to_owned(),
            password,
            previous_session: None,
        };
        assert!(
            auth::login(&env.app, &login, &Default::default())
                .await
                .is_ok()
        );
    }
}

#[tokio::test]
async fn bad_user_input_names_every_field() {
    for env in Env::each("user validation").await {
        let (_, admin) = env.workspace("acme").await;
        let bad = NewUserInput {
            email: "nobody".to_owned(),
            display_name: Some("x\u{0}y".to_owned()),
            role: "superuser".to_owned(),
            team_id: None,
            password: Some("password".to_owned()),
            locale: Some("de".to_owned()),
            time_zone: Some("Mars/Base".to_owned()),
        };
        let Err(AppError::Invalid(errors)) = users::add(&env.app, &admin, &bad).await else {
            panic!("expected validation errors");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["email", "display_name", "role", "locale", "time_zone"]
        );
        let mut dup = input("ADMIN@acme.example.com", "rep");
        dup.display_name = Some("Dup".to_owned());
        let taken = users::add(&env.app, &admin, &dup).await;
        assert!(
            matches!(&taken, Err(AppError::Invalid(e)) if e[0].code == ErrorCode::Taken && e[0].field == "email")
        );
        let mut weak = input("weak@acme.example", "rep");
        weak.password = Some("weak@acme.example".to_owned());
        let weak = users::add(&env.app, &admin, &weak).await;
        assert!(matches!(&weak, Err(AppError::Invalid(e)) if e[0].code == ErrorCode::WeakPassword));
        let mut ghost_team = input("t@acme.example", "rep");
        ghost_team.team_id = Some(Id::from_uuid(Uuid::now_v7()));
        let ghost = users::add(&env.app, &admin, &ghost_team).await;
        assert!(
            matches!(&ghost, Err(AppError::Invalid(e)) if e[0].code == ErrorCode::UnknownReference)
        );
    }
}

#[tokio::test]
async fn the_last_admin_cannot_be_demoted_or_disabled() {
    for env in Env::each("last admin").await {
        let (ws, admin) = env.workspace("acme").await;
        let me = admin.principal.user_id;
        let demote = UserPatch {
            role: Some("rep".to_owned()),
            ..UserPatch::default()
        };
        let refused = users::update(&env.app, &admin, me, &demote, None).await;
        assert!(
            matches!(
                refused,
                Err(AppError::Conflict {
                    code: "last_admin",
                    ..
                })
            ),
            "{refused:?}"
        );
        let disable = UserPatch {
            enabled: Some(false),
            ..UserPatch::default()
        };
        assert!(matches!(
            users::update(&env.app, &admin, me, &disable, None).await,
            Err(AppError::Conflict {
                code: "last_admin",
                ..
            })
        ));
        let second = env.user(ws, "second@acme.example", Role::Admin).await;
        let demoted = users::update(&env.app, &second, me, &demote, None)
            .await
            .unwrap();
        assert_eq!(demoted.role, Role::Rep);
        assert!(
            audit_actions(&env, &second)
                .await
                .contains(&"user.role_changed".to_owned())
        );
    }
}

#[tokio::test]
async fn disabling_a_user_ends_their_sessions_and_tokens_at_once() {
    for env in Env::each("disable ends credentials").await {
        let (ws, admin) = env.workspace("acme").await;
        let rep = env.user(ws, "rep@acme.example", Role::Rep).await;
        let login = auth::LoginInput {
            workspace: Some("acme".to_owned()),
            email: "rep@acme.example".to_owned(),
            password: PASSWORD.to_owned(),
            previous_session: None,
        };
        let session = auth::login(&env.app, &login, &Default::default())
            .await
            .unwrap();
        let token = rapport_app::tokens::create(
            &env.app,
            &rep,
            &rapport_app::tokens::NewTokenInput {
                name: "script".to_owned(),
                scope: "read".to_owned(),
                expires_at: None,
            },
        )
        .await
        .unwrap();
        assert!(
            auth::authenticate_token(&env.app, &token.secret)
                .await
                .is_ok()
        );
        let disable = UserPatch {
            enabled: Some(false),
            ..UserPatch::default()
        };
        users::update(&env.app, &admin, rep.principal.user_id, &disable, None)
            .await
            .unwrap();
        assert!(matches!(
            auth::authenticate_token(&env.app, &token.secret).await,
            Err(AppError::Unauthenticated)
        ));
        assert!(matches!(
            auth::authenticate_session(&env.app, &session.cookie_value).await,
            Err(AppError::Unauthenticated)
        ));
        let again = auth::login(&env.app, &login, &Default::default()).await;
        assert!(
            matches!(again, Err(AppError::Unauthenticated)),
            "a disabled user cannot sign in"
        );
        let enable = UserPatch {
            enabled: Some(true),
            ..UserPatch::default()
        };
        users::update(&env.app, &admin, rep.principal.user_id, &enable, None)
            .await
            .unwrap();
        assert!(
            auth::login(&env.app, &login, &Default::default())
                .await
                .is_ok()
        );
        let actions = audit_actions(&env, &admin).await;
        assert!(
            actions.contains(&"user.disabled".to_owned())
                && actions.contains(&"user.enabled".to_owned())
        );
    }
}

#[tokio::test]
async fn if_match_protects_against_lost_updates() {
    for env in Env::each("user if-match").await {
        let (ws, admin) = env.workspace("acme").await;
        let rep = env.user(ws, "rep@acme.example", Role::Rep).await;
        let id = rep.principal.user_id;
        let v1 = users::get(&env.app, &admin, id).await.unwrap().version;
        let rename = |n: &str| UserPatch {
            display_name: Some(n.to_owned()),
            ..UserPatch::default()
        };
        let v2 = users::update(&env.app, &admin, id, &rename("One"), Some(v1))
            .await
            .unwrap();
        assert_eq!(v2.version, v1 + 1);
        let stale = users::update(&env.app, &admin, id, &rename("Two"), Some(v1)).await;
        assert!(
            matches!(stale, Err(AppError::PreconditionFailed { expected, current }) if expected == v1 && current == v1 + 1)
        );
        let unchanged = users::update(&env.app, &admin, id, &rename("One"), Some(v2.version))
            .await
            .unwrap();
        assert_eq!(
            unchanged.version, v2.version,
            "a no-op change does not bump the version"
        );
    }
}

#[tokio::test]
async fn users_of_another_workspace_are_not_found() {
    for env in Env::each("cross-workspace users").await {
        let (_, admin_a) = env.workspace("alpha").await;
        let (ws_b, _) = env.workspace("beta").await;
        let bob = env.user(ws_b, "bob@beta.example", Role::Rep).await;
        let id = bob.principal.user_id;
        assert!(matches!(
            users::get(&env.app, &admin_a, id).await,
            Err(AppError::NotFound)
        ));
        let patch = UserPatch {
            display_name: Some("pwned".to_owned()),
            ..UserPatch::default()
        };
        assert!(matches!(
            users::update(&env.app, &admin_a, id, &patch, None).await,
            Err(AppError::NotFound)
        ));
        let random: UserId = Id::from_uuid(Uuid::now_v7());
        assert!(matches!(
            users::get(&env.app, &admin_a, random).await,
            Err(AppError::NotFound)
        ));
    }
}

#[tokio::test]
async fn a_profile_change_touches_only_profile_fields() {
    for env in Env::each("profile").await {
        let (ws, _) = env.workspace("acme").await;
        let rep = env.user(ws, "rep@acme.example", Role::ReadOnly).await;
        let patch = ProfilePatch {
            display_name: Some("Олена".to_owned()),
            locale: Some("uk".to_owned()),
            time_zone: Some("Europe/Kyiv".to_owned()),
        };
        let me = users::update_profile(&env.app, &rep, &patch).await.unwrap();
        assert_eq!(
            (me.display_name.as_str(), me.locale.as_str(), me.role),
            ("Олена", "uk", Role::ReadOnly)
        );
        let denied = users::update_profile(&env.app, &read_only(&rep), &patch).await;
        assert!(matches!(
            denied,
            Err(AppError::Forbidden(Forbidden::ReadOnlyScope))
        ));
    }
}

#[tokio::test]
async fn changing_ones_password_needs_the_old_one_and_ends_every_credential() {
    for env in Env::each("password change").await {
        let (ws, _) = env.workspace("acme").await;
        let rep = env.user(ws, "rep@acme.example", Role::Rep).await;
        let wrong =
            users::change_own_password(&env.app, &rep, "not it at all", "a brand new passphrase")
                .await;
        assert!(
            matches!(&wrong, Err(AppError::Invalid(e)) if e[0].field == "current_password"),
            "{wrong:?}"
        );
        let weak = users::change_own_password(&env.app, &rep, PASSWORD, "password123").await;
        assert!(matches!(&weak, Err(AppError::Invalid(e)) if e[0].code == ErrorCode::WeakPassword));
        let login = |password: &str| auth::LoginInput {
            workspace: Some("acme".to_owned()),
            email: "rep@acme.example".to_owned(),
            password: password.to_owned(),
            previous_session: None,
        };
        let session = auth::login(&env.app, &login(PASSWORD), &Default::default())
            .await
            .unwrap();
        users::change_own_password(&env.app, &rep, PASSWORD, "a brand new passphrase")
            .await
            .unwrap();
        assert!(
            auth::authenticate_session(&env.app, &session.cookie_value)
                .await
                .is_err()
        );
        assert!(
            auth::login(&env.app, &login(PASSWORD), &Default::default())
                .await
                .is_err()
        );
        assert!(
            auth::login(
                &env.app,
                &login("a brand new passphrase"),
                &Default::default()
            )
            .await
            .is_ok()
        );
    }
}

#[tokio::test]
async fn every_user_change_emits_an_event() {
    for env in Env::each("user events").await {
        let (ws, admin) = env.workspace("acme").await;
        let rep = env.user(ws, "rep@acme.example", Role::Rep).await;
        let patch = UserPatch {
            role: Some("manager".to_owned()),
            display_name: Some("Boss".to_owned()),
            ..UserPatch::default()
        };
        users::update(&env.app, &admin, rep.principal.user_id, &patch, None)
            .await
            .unwrap();
        let mut c = env.app.db.read().await.unwrap();
        let events = outbox::recent(&mut c, ws, 10).await.unwrap();
        let last = &events[0];
        assert_eq!(last.event_type, "user.updated");
        assert_eq!(
            last.payload["changed"],
            serde_json::json!(["display_name", "role"])
        );
    }
}
