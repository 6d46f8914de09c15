use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use rapport_app::clock::ManualClock;
use rapport_app::tokens::{NewTokenInput, create_as_operator};
use rapport_app::users::{NewUserInput, add_as_operator};
use rapport_app::workspaces::{NewWorkspaceInput, create};
use rapport_app::{App, Settings};
use rapport_core::{Role, Timestamp, UserId, WorkspaceId};
use rapport_store::testing::TestDb;
use rapport_web::{AppState, WebConfig};
use serde_json::Value;
use tower::ServiceExt;

pub const PASSWORD: &str = "a calm river at dawn";

pub struct Server {
    pub router: Router,
    pub app: App,
    pub clock: Arc<ManualClock>,
    _db: TestDb,
}

impl Server {
    pub async fn each(test: &str) -> Vec<Server> {
        Self::each_with(
            test,
            WebConfig {
                trust_proxy: true,
                ..WebConfig::default()
            },
        )
        .await
    }

    pub async fn each_with(test: &str, config: WebConfig) -> Vec<Server> {
        TestDb::each(test)
            .await
            .into_iter()
            .map(|tdb| {
                let clock = Arc::new(ManualClock::new(Timestamp::from_secs(1_800_000_000)));
                let app = App::new(tdb.db.clone(), clock.clone(), Settings::default());
                let state = AppState {
                    app: app.clone(),
                    config: Arc::new(config.clone()),
                    metrics: rapport_web::metrics::Metrics::install(),
                };
                Server {
                    router: rapport_web::router(state),
                    app,
                    clock,
                    _db: tdb,
                }
            })
            .collect()
    }

    pub fn backend(&self) -> &'static str {
        self.app.db.backend().as_str()
    }

    pub fn req(&self, method: Method, path: &str) -> Req<'_> {
        Req {
            server: self,
            builder: Request::builder().method(method).uri(path),
            body: Body::empty(),
        }
    }

    pub fn get(&self, path: &str) -> Req<'_> {
        self.req(Method::GET, path)
    }

    pub fn post(&self, path: &str) -> Req<'_> {
        self.req(Method::POST, path)
    }

    pub fn patch(&self, path: &str) -> Req<'_> {
        self.req(Method::PATCH, path)
    }

    pub fn delete(&self, path: &str) -> Req<'_> {
        self.req(Method::DELETE, path)
    }

    /// A workspace with an admin; returns its id and the admin's read-write token.
    pub async fn workspace(&self, slug: &str) -> (WorkspaceId, Actor) {
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
        let admin = created.admin.user;
        let token = self.token(ws, admin.id, "read_write").await;
        (
            ws,
            Actor {
                id: admin.id,
                email: admin.email,
                token,
            },
        )
    }

    pub async fn user(&self, ws: WorkspaceId, email: &str, role: Role) -> Actor {
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
        let scope = if role == Role::ReadOnly {
            "read"
        } else {
            "read_write"
        };
        let token = self.token(ws, created.user.id, scope).await;
        Actor {
            id: created.user.id,
            email: created.user.email,
            token,
        }
    }

    pub async fn token(&self, ws: WorkspaceId, user: UserId, scope: &str) -> String {
        let input = NewTokenInput {
            name: "test".to_owned(),
            scope: scope.to_owned(),
            expires_at: None,
        };
        create_as_operator(&self.app, ws, user, &input)
            .await
            .unwrap()
            .secret
    }
}

#[derive(Clone, Debug)]
pub struct Actor {
    pub id: UserId,
    pub email: String,
    pub token: String,
}

pub struct Req<'a> {
    server: &'a Server,
    builder: axum::http::request::Builder,
    body: Body,
}

impl Req<'_> {
    pub fn bearer(mut self, token: &str) -> Self {
        self.builder = self
            .builder
            .header(header::AUTHORIZATION, format!("Bearer {token}"));
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.builder = self.builder.header(name, value);
        self
    }

    pub fn json(mut self, body: &Value) -> Self {
        self.builder = self
            .builder
            .header(header::CONTENT_TYPE, "application/json");
        self.body = Body::from(body.to_string());
        self
    }

    pub fn raw(mut self, content_type: &str, body: impl Into<Body>) -> Self {
        self.builder = self.builder.header(header::CONTENT_TYPE, content_type);
        self.body = body.into();
        self
    }

    pub async fn send(self) -> Res {
        let request = self.builder.body(self.body).unwrap();
        let response = self.server.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Res {
            status,
            headers,
            json,
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }
}

#[derive(Debug)]
pub struct Res {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub json: Value,
    pub text: String,
}

impl Res {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts a problem answer of this status and returns its body.
    pub fn problem(&self, status: u16) -> &Value {
        assert_eq!(self.status.as_u16(), status, "{}", self.text);
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "{}",
            self.text
        );
        assert_eq!(self.json["status"], status);
        assert!(
            self.json["type"]
                .as_str()
                .is_some_and(|t| t.starts_with("urn:rapport:problem:"))
        );
        &self.json
    }

    /// The (field, code) pairs of a 422 answer.
    pub fn field_errors(&self) -> Vec<(String, String)> {
        self.problem(422);
        self.json["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["field"].as_str().unwrap().to_owned(),
                    e["code"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }

    /// Asserts the status and returns the whole answer, for reading fields of it.
    pub fn ok_json(&self, status: u16) -> &Self {
        assert_eq!(self.status.as_u16(), status, "{}", self.text);
        self
    }

    pub fn ok(&self, status: u16) -> &Value {
        assert_eq!(self.status.as_u16(), status, "{}", self.text);
        &self.json
    }
}

pub fn fe(field: &str, code: &str) -> (String, String) {
    (field.to_owned(), code.to_owned())
}
