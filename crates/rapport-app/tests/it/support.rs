use std::sync::Arc;

use rapport_app::clock::ManualClock;
use rapport_app::users::{NewUserInput, add_as_operator};
use rapport_app::workspaces::{NewWorkspaceInput, create};
use rapport_app::{App, Caller, Principal, RequestMeta, Settings};
use rapport_core::policy::Scope;
use rapport_core::{Role, Timestamp, WorkspaceId};
use rapport_store::testing::{self, TestDb};
use rapport_store::users::User;

pub const PASSWORD: &str = "a calm river at dawn";

pub struct Env {
    pub app: App,
    pub clock: Arc<ManualClock>,
    _db: TestDb,
}

impl Env {
    pub async fn each(test: &str) -> Vec<Env> {
        TestDb::each(test).await.into_iter().map(Env::on).collect()
    }

    /// A fresh PostgreSQL database, or a SKIPPED line (a failure under RAPPORT_REQUIRE_ALL).
    pub async fn postgres(test: &str) -> Option<Env> {
        match TestDb::postgres().await.unwrap() {
            Some(tdb) => Some(Env::on(tdb)),
            None => {
                testing::skip(
                    &format!("{test} on PostgreSQL"),
                    &format!("{} is not set", testing::PG_URL_VAR),
                );
                None
            }
        }
    }

    pub async fn sqlite() -> Env {
        Env::on(TestDb::sqlite().await.unwrap())
    }

    pub fn on(tdb: TestDb) -> Env {
        let clock = Arc::new(ManualClock::new(Timestamp::from_secs(1_800_000_000)));
        let app = App::new(tdb.db.clone(), clock.clone(), Settings::default());
        Env {
            app,
            clock,
            _db: tdb,
        }
    }

    pub fn backend(&self) -> &'static str {
        self.app.db.backend().as_str()
    }

    /// A workspace and its admin, acting through a read-write credential.
    pub async fn workspace(&self, slug: &str) -> (WorkspaceId, Caller) {
        let created = create(
            &self.app,
            &NewWorkspaceInput {
                name: slug.to_uppercase(),
                slug: Some(slug.to_owned()),
                admin_email: format!("admin@{slug}.example.com"),
                admin_password: Some(PASSWORD.to_owned()),
                ..NewWorkspaceInput::default()
            },
        )
        .await
        .unwrap();
        let ws = created.workspace.id;
        (ws, caller(&created.admin.user, Scope::ReadWrite))
    }

    pub async fn user(&self, ws: WorkspaceId, email: &str, role: Role) -> Caller {
        let created = add_as_operator(
            &self.app,
            ws,
            &NewUserInput {
                email: email.to_owned(),
                role: role.as_str().to_owned(),
                password: Some(PASSWORD.to_owned()),
                ..NewUserInput::default()
            },
        )
        .await
        .unwrap();
        caller(&created.user, Scope::ReadWrite)
    }
}

pub fn caller(user: &User, scope: Scope) -> Caller {
    Caller {
        principal: Principal {
            workspace_id: user.workspace_id,
            user_id: user.id,
            role: user.role,
            team_id: user.team_id,
            scope,
        },
        meta: RequestMeta {
            request_id: Some("test".to_owned()),
            ip: Some("203.0.113.7".to_owned()),
            user_agent: None,
        },
    }
}

pub fn read_only(c: &Caller) -> Caller {
    let mut c = c.clone();
    c.principal.scope = Scope::Read;
    c
}

pub async fn audit_actions(env: &Env, admin: &Caller) -> Vec<String> {
    let page = rapport_app::PageRequest::new(None, Some(200));
    rapport_app::audit_log::list(&env.app, admin, &Default::default(), page)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|e| e.action)
        .collect()
}

/// Every record of `object` the caller may see, page by page.
pub async fn list_all(
    env: &Env,
    who: &Caller,
    object: rapport_core::object::ObjectType,
) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut params = vec![("limit".to_owned(), "200".to_owned())];
        if let Some(c) = &cursor {
            params.push(("cursor".to_owned(), c.clone()));
        }
        let page = rapport_app::records::list(&env.app, who, object, &params)
            .await
            .unwrap();
        out.extend(page.items);
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => return out,
        }
    }
}

/// A JSON object literal as a record body.
pub fn body(v: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    match v {
        serde_json::Value::Object(m) => m,
        other => panic!("not an object: {other}"),
    }
}

/// Creates a record and returns its id.
pub async fn make(
    env: &Env,
    who: &Caller,
    object: rapport_core::object::ObjectType,
    v: serde_json::Value,
) -> uuid::Uuid {
    rapport_app::records::create(&env.app, who, object, &body(v))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .id
}

/// Creates a tag with no colour.
pub async fn tag(env: &Env, who: &Caller, name: &str) -> rapport_app::model::Tag {
    rapport_app::tags::create(
        &env.app,
        who,
        &rapport_app::tags::TagInput {
            name: Some(name.to_owned()),
            color: None,
        },
    )
    .await
    .unwrap()
}
