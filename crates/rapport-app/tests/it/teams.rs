use rapport_app::teams::{self, NewTeamInput, TeamPatch};
use rapport_app::users::{self, UserPatch};
use rapport_app::{AppError, PageRequest};
use rapport_core::policy::Forbidden;
use rapport_core::{ErrorCode, Id, Role, TeamId};
use uuid::Uuid;

use crate::support::Env;

fn named(name: &str, parent: Option<TeamId>) -> NewTeamInput {
    NewTeamInput {
        name: name.to_owned(),
        parent_id: parent,
    }
}

#[tokio::test]
async fn admins_build_a_team_tree_and_nobody_else_can() {
    for env in Env::each("team tree").await {
        let (ws, admin) = env.workspace("acme").await;
        let sales = teams::create(&env.app, &admin, &named("Sales", None))
            .await
            .unwrap();
        let east = teams::create(&env.app, &admin, &named("East", Some(sales.id)))
            .await
            .unwrap();
        assert_eq!(east.parent_id, Some(sales.id));
        let rep = env.user(ws, "rep@acme.example", Role::Rep).await;
        assert!(matches!(
            teams::create(&env.app, &rep, &named("Mine", None)).await,
            Err(AppError::Forbidden(Forbidden::AdminOnly))
        ));
        assert_eq!(
            teams::list(&env.app, &rep, PageRequest::new(None, None))
                .await
                .unwrap()
                .items
                .len(),
            2
        );
    }
}

#[tokio::test]
async fn a_team_cannot_move_under_itself_or_its_descendants() {
    for env in Env::each("team cycles").await {
        let (_, admin) = env.workspace("acme").await;
        let a = teams::create(&env.app, &admin, &named("A", None))
            .await
            .unwrap();
        let b = teams::create(&env.app, &admin, &named("B", Some(a.id)))
            .await
            .unwrap();
        let c = teams::create(&env.app, &admin, &named("C", Some(b.id)))
            .await
            .unwrap();
        for target in [a.id, c.id] {
            let patch = TeamPatch {
                parent_id: Some(Some(target)),
                ..TeamPatch::default()
            };
            let refused = teams::update(&env.app, &admin, a.id, &patch, None).await;
            assert!(
                matches!(&refused, Err(AppError::Invalid(e)) if e[0].code == ErrorCode::NotAllowed),
                "{refused:?}"
            );
        }
        let to_root = TeamPatch {
            parent_id: Some(None),
            ..TeamPatch::default()
        };
        let moved = teams::update(&env.app, &admin, c.id, &to_root, Some(c.version))
            .await
            .unwrap();
        assert_eq!(moved.parent_id, None);
        let ghost = TeamPatch {
            parent_id: Some(Some(Id::from_uuid(Uuid::now_v7()))),
            ..TeamPatch::default()
        };
        assert!(matches!(
            teams::update(&env.app, &admin, c.id, &ghost, None).await,
            Err(AppError::Invalid(e)) if e[0].code == ErrorCode::UnknownReference
        ));
    }
}

#[tokio::test]
async fn only_empty_teams_can_be_deleted() {
    for env in Env::each("team delete").await {
        let (ws, admin) = env.workspace("acme").await;
        let sales = teams::create(&env.app, &admin, &named("Sales", None))
            .await
            .unwrap();
        let rep = env.user(ws, "rep@acme.example", Role::Rep).await;
        let join = UserPatch {
            team_id: Some(Some(sales.id)),
            ..UserPatch::default()
        };
        users::update(&env.app, &admin, rep.principal.user_id, &join, None)
            .await
            .unwrap();
        let refused = teams::delete(&env.app, &admin, sales.id, None).await;
        assert!(
            matches!(
                refused,
                Err(AppError::Conflict {
                    code: "team_not_empty",
                    ..
                })
            ),
            "{refused:?}"
        );
        let leave = UserPatch {
            team_id: Some(None),
            ..UserPatch::default()
        };
        users::update(&env.app, &admin, rep.principal.user_id, &leave, None)
            .await
            .unwrap();
        assert!(matches!(
            teams::delete(&env.app, &admin, sales.id, Some(sales.version + 7)).await,
            Err(AppError::PreconditionFailed { .. })
        ));
        teams::delete(&env.app, &admin, sales.id, Some(sales.version))
            .await
            .unwrap();
        assert!(matches!(
            teams::get(&env.app, &admin, sales.id).await,
            Err(AppError::NotFound)
        ));
    }
}
