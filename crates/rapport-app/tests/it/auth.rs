use std::time::Duration;

use rapport_app::auth::{self, LoginInput};
use rapport_app::{AppError, RequestMeta};
use rapport_core::{ErrorCode, Role};

use crate::support::{Env, PASSWORD, audit_actions};

fn login(workspace: Option<&str>, email: &str, password: &str) -> LoginInput {
    LoginInput {
        workspace: workspace.map(str::to_owned),
        email: email.to_owned(),
        password: password.to_owned(),
        previous_session: None,
    }
}

fn from(ip: &str) -> RequestMeta {
    RequestMeta {
        ip: Some(ip.to_owned()),
        ..RequestMeta::default()
    }
}

#[tokio::test]
async fn unknown_users_wrong_passwords_and_unknown_workspaces_fail_alike() {
    for env in Env::each("login failures").await {
        let (ws, admin) = env.workspace("acme").await;
        env.user(ws, "rep@acme.example", Role::Rep).await;
        let cases = [
            login(Some("acme"), "rep@acme.example", "wrong password!"),
            login(Some("acme"), "nobody@acme.example", PASSWORD),
            login(Some("nowhere"), "rep@acme.example", PASSWORD),
            login(Some("acme"), "", ""),
        ];
        for (i, case) in cases.iter().enumerate() {
            let got = auth::login(&env.app, case, &from(&format!("198.51.100.{i}"))).await;
            assert!(
                matches!(got, Err(AppError::Unauthenticated)),
                "case {i}: {got:?}"
            );
        }
        let actions = audit_actions(&env, &admin).await;
        assert_eq!(
            actions.iter().filter(|a| *a == "auth.login_failed").count(),
            3,
            "{actions:?}"
        );
    }
}

#[tokio::test]
async fn the_workspace_may_be_omitted_only_when_there_is_one() {
    for env in Env::each("login workspace").await {
        env.workspace("acme").await;
        assert!(
            auth::login(
                &env.app,
                &login(None, "admin@acme.example.com", PASSWORD),
                &from("192.0.2.1")
            )
            .await
            .is_ok()
        );
        env.workspace("other").await;
        let got = auth::login(
            &env.app,
            &login(None, "admin@acme.example.com", PASSWORD),
            &from("192.0.2.1"),
        )
        .await;
        assert!(
            matches!(&got, Err(AppError::Invalid(e)) if e[0].field == "workspace" && e[0].code == ErrorCode::Required)
        );
    }
}

#[tokio::test]
async fn after_a_burst_of_ten_attempts_per_address_logins_are_limited() {
    for env in Env::each("login limiter per address").await {
        env.workspace("acme").await;
        let mut limited = 0;
        for i in 0..15 {
            // A different e-mail each time: only the address bucket can trip.
            let case = login(
                Some("acme"),
                &format!("guess{i}@acme.example"),
                "wrong password!",
            );
            match auth::login(&env.app, &case, &from("203.0.113.50")).await {
                Err(AppError::RateLimited { retry_after }) => {
                    assert!(retry_after >= Duration::from_secs(1));
                    limited += 1;
                }
                Err(AppError::Unauthenticated) => {}
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(limited, 5, "{}", env.backend());
        // Even the right password waits now: the limit comes before the check.
        let right = auth::login(
            &env.app,
            &login(Some("acme"), "admin@acme.example.com", PASSWORD),
            &from("203.0.113.50"),
        )
        .await;
        assert!(matches!(right, Err(AppError::RateLimited { .. })));
        env.clock.advance(Duration::from_secs(6));
        let right = auth::login(
            &env.app,
            &login(Some("acme"), "admin@acme.example.com", PASSWORD),
            &from("203.0.113.50"),
        )
        .await;
        assert!(right.is_ok(), "{right:?}");
    }
}

#[tokio::test]
async fn attempts_on_one_account_are_limited_across_addresses() {
    for env in Env::each("login limiter per e-mail").await {
        env.workspace("acme").await;
        let mut limited = 0;
        for i in 0..12 {
            let case = login(Some("acme"), "admin@acme.example.com", "wrong password!");
            if matches!(
                auth::login(&env.app, &case, &from(&format!("10.0.0.{i}"))).await,
                Err(AppError::RateLimited { .. })
            ) {
                limited += 1;
            }
        }
        assert_eq!(limited, 2);
    }
}

#[tokio::test]
async fn a_session_rotates_on_login_and_ends_on_logout() {
    for env in Env::each("session rotation").await {
        env.workspace("acme").await;
        let meta = from("192.0.2.9");
        let first = auth::login(
            &env.app,
            &login(Some("acme"), "admin@acme.example.com", PASSWORD),
            &meta,
        )
        .await
        .unwrap();
        let mut again = login(Some("acme"), "admin@acme.example.com", PASSWORD);
        again.previous_session = Some(first.cookie_value.clone());
        let second = auth::login(&env.app, &again, &meta).await.unwrap();
        assert_ne!(first.cookie_value, second.cookie_value);
        assert_ne!(first.csrf_token, second.csrf_token);
        assert!(
            auth::authenticate_session(&env.app, &first.cookie_value)
                .await
                .is_err(),
            "old session must end"
        );
        let live = auth::authenticate_session(&env.app, &second.cookie_value)
            .await
            .unwrap();
        assert_eq!(live.csrf_token, second.csrf_token);
        auth::logout(&env.app, &live, &meta).await.unwrap();
        assert!(
            auth::authenticate_session(&env.app, &second.cookie_value)
                .await
                .is_err(),
            "replay after logout"
        );
    }
}

#[tokio::test]
async fn sessions_expire_when_idle_and_after_the_absolute_limit() {
    for env in Env::each("session timeouts").await {
        env.workspace("acme").await;
        let t = env.app.settings.sessions;
        let s = auth::login(
            &env.app,
            &login(Some("acme"), "admin@acme.example.com", PASSWORD),
            &from("192.0.2.2"),
        )
        .await
        .unwrap();
        env.clock.advance(t.idle - Duration::from_secs(1));
        assert!(
            auth::authenticate_session(&env.app, &s.cookie_value)
                .await
                .is_ok(),
            "use refreshes it"
        );
        env.clock.advance(t.idle - Duration::from_secs(1));
        assert!(
            auth::authenticate_session(&env.app, &s.cookie_value)
                .await
                .is_ok()
        );
        env.clock.advance(t.idle);
        assert!(
            auth::authenticate_session(&env.app, &s.cookie_value)
                .await
                .is_err(),
            "idle too long"
        );

        let s = auth::login(
            &env.app,
            &login(Some("acme"), "admin@acme.example.com", PASSWORD),
            &from("192.0.2.3"),
        )
        .await
        .unwrap();
        let step = t.idle / 2;
        let mut used = Duration::ZERO;
        while used + step < t.absolute {
            env.clock.advance(step);
            used += step;
            assert!(
                auth::authenticate_session(&env.app, &s.cookie_value)
                    .await
                    .is_ok(),
                "at {used:?}"
            );
        }
        env.clock.advance(step);
        assert!(
            auth::authenticate_session(&env.app, &s.cookie_value)
                .await
                .is_err(),
            "past the absolute limit"
        );
    }
}

#[tokio::test]
async fn garbage_credentials_are_unauthenticated_not_errors() {
    for env in Env::each("garbage credentials").await {
        env.workspace("acme").await;
        for bad in [
            "",
            "rpt_",
            "Bearer x",
            "rpt_AAAA",
            &"rpt_".repeat(40),
            "' OR 1=1 --",
            "\u{0}",
        ] {
            assert!(
                matches!(
                    auth::authenticate_token(&env.app, bad).await,
                    Err(AppError::Unauthenticated)
                ),
                "{bad:?}"
            );
            assert!(
                matches!(
                    auth::authenticate_session(&env.app, bad).await,
                    Err(AppError::Unauthenticated)
                ),
                "{bad:?}"
            );
        }
    }
}
