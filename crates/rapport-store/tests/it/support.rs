use rapport_core::{Id, Role, Timestamp, UserId, WorkspaceId};
use rapport_store::users::{self, NewUser, User};
use rapport_store::workspaces::{self, Workspace};
use rapport_store::{Db, Page};
use uuid::Uuid;

pub fn t(secs: i64) -> Timestamp {
    Timestamp::from_secs(1_800_000_000 + secs)
}

pub fn page<C>(limit: u64) -> Page<C> {
    Page { after: None, limit }
}

pub async fn workspace(db: &Db, slug: &str) -> WorkspaceId {
    let w = Workspace {
        id: WorkspaceId::from_uuid(Uuid::now_v7()),
        name: slug.to_uppercase(),
        slug: slug.to_owned(),
        base_currency: "EUR".to_owned(),
        is_demo: false,
        created_at: t(0),
        updated_at: t(0),
        version: 1,
    };
    let mut tx = db.write().await.expect("begin");
    workspaces::insert(&mut tx, &w)
        .await
        .expect("insert workspace");
    tx.commit().await.expect("commit");
    w.id
}

pub fn new_user(email: &str, role: Role) -> NewUser {
    NewUser {
        id: UserId::from_uuid(Uuid::now_v7()),
        email: email.to_owned(),
        email_key: email.to_lowercase(),
        display_name: email.split('@').next().unwrap_or("x").to_owned(),
        role,
        team_id: None,
        password_hash: "$argon2id$placeholder-not-checked-by-the-store".to_owned(),
        locale: "en".to_owned(),
        time_zone: "UTC".to_owned(),
        now: t(1),
    }
}

pub async fn user(db: &Db, ws: WorkspaceId, email: &str, role: Role) -> User {
    let mut tx = db.write().await.expect("begin");
    let u = users::insert(&mut tx, ws, &new_user(email, role))
        .await
        .expect("insert user");
    tx.commit().await.expect("commit");
    u
}
