use rapport_app::AppError;
use rapport_app::workspaces::{NewWorkspaceInput, create, resolve};
use rapport_core::{ErrorCode, Role};

use crate::support::{Env, PASSWORD, audit_actions};

#[tokio::test]
async fn creating_a_workspace_makes_its_first_admin_and_audits_both() {
    for env in Env::each("workspace create").await {
        let (ws, admin) = env.workspace("acme").await;
        assert_eq!(admin.principal.role, Role::Admin);
        assert_eq!(admin.principal.workspace_id, ws);
        let actions = audit_actions(&env, &admin).await;
        assert!(
            actions.contains(&"workspace.created".to_owned()),
            "{actions:?}"
        );
        assert!(actions.contains(&"user.created".to_owned()), "{actions:?}");
    }
}

#[tokio::test]
async fn every_problem_of_a_workspace_form_is_reported_at_once() {
    for env in Env::each("workspace validation").await {
        let err = create(
            &env.app,
            &NewWorkspaceInput {
                name: "   ".to_owned(),
                slug: Some("Bad Slug".to_owned()),
                admin_email: "not-an-email".to_owned(),
                admin_password: Some("short".to_owned()),
                ..NewWorkspaceInput::default()
            },
        )
        .await;
        let Err(AppError::Invalid(errors)) = err else {
            panic!("{}: expected validation errors, got {err:?}", env.backend());
        };
        let fields: Vec<(&str, ErrorCode)> =
            errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            fields,
            vec![
                ("name", ErrorCode::Required),
                ("slug", ErrorCode::InvalidFormat),
                ("admin_email", ErrorCode::InvalidFormat),
            ],
            "{}",
            env.backend()
        );
        assert!(
            rapport_app::workspaces::list(&env.app)
                .await
                .unwrap()
                .is_empty(),
            "nothing may be stored"
        );
    }
}

#[tokio::test]
async fn derived_slugs_are_made_unique_and_explicit_ones_are_not() {
    for env in Env::each("workspace slugs").await {
        let input = |slug: Option<&str>| NewWorkspaceInput {
            name: "Kowalski & Syn".to_owned(),
            slug: slug.map(str::to_owned),
            admin_email: "boss@kowalski.example".to_owned(),
            admin_password: Some(PASSWORD.to_owned()),
            ..NewWorkspaceInput::default()
        };
        let a = create(&env.app, &input(None)).await.unwrap();
        let b = create(&env.app, &input(None)).await.unwrap();
        assert_eq!(a.workspace.slug, "kowalski-syn");
        assert_eq!(b.workspace.slug, "kowalski-syn-2");
        let taken = create(&env.app, &input(Some("kowalski-syn"))).await;
        assert!(
            matches!(&taken, Err(AppError::Invalid(e)) if e[0].field == "slug" && e[0].code == ErrorCode::Taken),
            "{taken:?}"
        );
        assert!(
            resolve(&env.app, None).await.is_err(),
            "two workspaces: the CLI must ask which"
        );
        assert_eq!(
            resolve(&env.app, Some("kowalski-syn-2")).await.unwrap().id,
            b.workspace.id
        );
    }
}
