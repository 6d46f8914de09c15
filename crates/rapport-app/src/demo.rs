//! The demo workspace behind `rapport serve --demo`: created on an empty database, reused
//! afterwards. The admin's password is shown once, when it is made.

use rapport_store::workspaces::Workspace;

use crate::App;
use crate::error::{AppError, AppResult};
use crate::workspaces::{self, NewWorkspaceInput};

pub const DEMO_NAME: &str = "Rapport Demo";
pub const DEMO_SLUG: &str = "demo";
pub const DEMO_ADMIN_EMAIL: &str = "admin@rapport.test";

#[derive(Debug, Clone)]
pub enum DemoOutcome {
    Created {
        workspace: Workspace,
        email: String,
        password: String,
    },
    Existing {
        workspace: Workspace,
        email: String,
    },
}

pub async fn ensure(app: &App) -> AppResult<DemoOutcome> {
    let all = workspaces::list(app).await?;
    if let Some(existing) = all.iter().find(|w| w.is_demo) {
        return Ok(DemoOutcome::Existing {
            workspace: existing.clone(),
            email: DEMO_ADMIN_EMAIL.to_owned(),
        });
    }
    if !all.is_empty() {
        return Err(AppError::Conflict {
            code: "not_empty",
            message: "this database already holds workspaces; --demo only seeds an empty database \
                      (use another --database-url for the demo)"
                .to_owned(),
        });
    }
    let created = workspaces::create(
        app,
        &NewWorkspaceInput {
            name: DEMO_NAME.to_owned(),
            slug: Some(DEMO_SLUG.to_owned()),
            admin_email: DEMO_ADMIN_EMAIL.to_owned(),
            admin_name: Some("Demo Admin".to_owned()),
            admin_password: None,
            is_demo: true,
        },
    )
    .await?;
    let password = created.admin.generated_password.ok_or(AppError::Internal)?;
    Ok(DemoOutcome::Created {
        workspace: created.workspace,
        email: DEMO_ADMIN_EMAIL.to_owned(),
        password,
    })
}
