use rapport_app::tokens::{self, NewTokenInput};
use rapport_app::{AppError, PageRequest, auth};
use rapport_core::policy::{Forbidden, Scope};
use rapport_core::{ErrorCode, Role, Timestamp};

use crate::support::{Env, audit_actions, read_only};

fn input(scope: &str, expires_at: Option<Timestamp>) -> NewTokenInput {
    NewTokenInput {
        name: "ci".to_owned(),
        scope: scope.to_owned(),
        expires_at,
    }
}

#[tokio::test]
async fn a_token_is_shown_once_and_then_authenticates_with_its_scope() {
    for env in Env::each("token issue").await {
        let (ws, admin) = env.workspace("acme").await;
        let issued = tokens::create(&env.app, &admin, &input("read", None))
            .await
            .unwrap();
        assert!(issued.secret.starts_with("rpt_"));
        assert!(
            issued
                .token
                .hint
                .ends_with(&issued.secret[issued.secret.len() - 4..])
        );
        let p = auth::authenticate_token(&env.app, &issued.secret)
            .await
            .unwrap();
        assert_eq!(
            (p.workspace_id, p.user_id, p.scope),
            (ws, admin.principal.user_id, Scope::Read)
        );
        assert!(
            audit_actions(&env, &admin)
                .await
                .contains(&"token.created".to_owned())
        );
    }
}

#[tokio::test]
async fn tokens_expire_and_revoked_ones_stop_at_once() {
    for env in Env::each("token expiry").await {
        let (_, admin) = env.workspace("acme").await;
        let soon = env
            .app
            .now()
            .saturating_add(std::time::Duration::from_secs(60));
        let issued = tokens::create(&env.app, &admin, &input("read_write", Some(soon)))
            .await
            .unwrap();
        assert!(
            auth::authenticate_token(&env.app, &issued.secret)
                .await
                .is_ok()
        );
        env.clock.advance(std::time::Duration::from_secs(61));
        assert!(matches!(
            auth::authenticate_token(&env.app, &issued.secret).await,
            Err(AppError::Unauthenticated)
        ));

        let other = tokens::create(&env.app, &admin, &input("read_write", None))
            .await
            .unwrap();
        tokens::revoke(&env.app, &admin, other.token.id)
            .await
            .unwrap();
        assert!(
            auth::authenticate_token(&env.app, &other.secret)
                .await
                .is_err()
        );
        // Revoking twice is not an error: the token is revoked either way.
        tokens::revoke(&env.app, &admin, other.token.id)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn bad_token_requests_are_explained() {
    for env in Env::each("token validation").await {
        let (_, admin) = env.workspace("acme").await;
        let past = env
            .app
            .now()
            .saturating_sub(std::time::Duration::from_secs(1));
        let bad = NewTokenInput {
            name: " ".to_owned(),
            scope: "admin".to_owned(),
            expires_at: Some(past),
        };
        let Err(AppError::Invalid(errors)) = tokens::create(&env.app, &admin, &bad).await else {
            panic!("expected validation errors");
        };
        let got: Vec<(&str, ErrorCode)> =
            errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            got,
            [
                ("name", ErrorCode::Required),
                ("scope", ErrorCode::InvalidValue),
                ("expires_at", ErrorCode::InvalidValue)
            ]
        );
    }
}

#[tokio::test]
async fn a_token_never_exceeds_the_credential_or_role_that_made_it() {
    for env in Env::each("token scope").await {
        let (ws, admin) = env.workspace("acme").await;
        let viewer = env.user(ws, "viewer@acme.example", Role::ReadOnly).await;
        assert!(matches!(
            tokens::create(&env.app, &viewer, &input("read_write", None)).await,
            Err(AppError::Forbidden(Forbidden::ScopeAboveRole))
        ));
        assert!(
            tokens::create(&env.app, &viewer, &input("read", None))
                .await
                .is_ok()
        );
        assert!(matches!(
            tokens::create(&env.app, &read_only(&admin), &input("read", None)).await,
            Err(AppError::Forbidden(Forbidden::ReadOnlyScope))
        ));
    }
}

#[tokio::test]
async fn users_see_and_revoke_only_their_own_tokens_admins_all() {
    for env in Env::each("token ownership").await {
        let (ws, admin) = env.workspace("acme").await;
        let anna = env.user(ws, "anna@acme.example", Role::Rep).await;
        let ben = env.user(ws, "ben@acme.example", Role::Rep).await;
        let annas = tokens::create(&env.app, &anna, &input("read", None))
            .await
            .unwrap();
        tokens::create(&env.app, &ben, &input("read", None))
            .await
            .unwrap();
        let page = PageRequest::new(None, None);
        assert_eq!(
            tokens::list(&env.app, &ben, None, page)
                .await
                .unwrap()
                .items
                .len(),
            1
        );
        assert_eq!(
            tokens::list(&env.app, &admin, None, page)
                .await
                .unwrap()
                .items
                .len(),
            2
        );
        assert_eq!(
            tokens::list(&env.app, &admin, Some(anna.principal.user_id), page)
                .await
                .unwrap()
                .items
                .len(),
            1
        );
        assert!(matches!(
            tokens::list(&env.app, &ben, Some(anna.principal.user_id), page).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            tokens::get(&env.app, &ben, annas.token.id).await,
            Err(AppError::NotFound)
        ));
        assert!(matches!(
            tokens::revoke(&env.app, &ben, annas.token.id).await,
            Err(AppError::NotFound)
        ));
        assert!(
            auth::authenticate_token(&env.app, &annas.secret)
                .await
                .is_ok(),
            "ben's attempt changed nothing"
        );
        tokens::revoke(&env.app, &admin, annas.token.id)
            .await
            .unwrap();
        assert!(
            auth::authenticate_token(&env.app, &annas.secret)
                .await
                .is_err()
        );
    }
}

#[tokio::test]
async fn last_use_is_recorded_without_a_write_per_request() {
    for env in Env::each("token last use").await {
        let (_, admin) = env.workspace("acme").await;
        let issued = tokens::create(&env.app, &admin, &input("read", None))
            .await
            .unwrap();
        auth::authenticate_token(&env.app, &issued.secret)
            .await
            .unwrap();
        let first = tokens::get(&env.app, &admin, issued.token.id)
            .await
            .unwrap()
            .last_used_at;
        assert_eq!(first, Some(env.app.now()));
        env.clock.advance(std::time::Duration::from_secs(10));
        auth::authenticate_token(&env.app, &issued.secret)
            .await
            .unwrap();
        assert_eq!(
            tokens::get(&env.app, &admin, issued.token.id)
                .await
                .unwrap()
                .last_used_at,
            first
        );
        env.clock.advance(std::time::Duration::from_secs(60));
        auth::authenticate_token(&env.app, &issued.secret)
            .await
            .unwrap();
        assert_eq!(
            tokens::get(&env.app, &admin, issued.token.id)
                .await
                .unwrap()
                .last_used_at,
            Some(env.app.now())
        );
    }
}
