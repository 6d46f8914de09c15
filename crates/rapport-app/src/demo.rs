//! The demo workspace behind `rapport demo` and `rapport serve --demo`: created and filled
//! on an empty database, reused afterwards. The admin's password is shown once, when it is
//! made; the other demo users share it, so every role can be tried from the sign-in page.
//!
//! What the records contain is decided in `rapport_core::demo`; this module writes them.
//! The standard workspace is written in the transaction that creates it, so an interrupted
//! run leaves an empty database rather than half a demo. Bench-sized datasets commit in
//! batches instead, because one transaction of millions of rows would balloon the WAL.

use std::collections::BTreeMap;

use rapport_core::audit::{Actor, AuditAction};
use rapport_core::demo::{
    self, DemoMove, DemoRecord, DemoSize, DemoSpec, EmailBook, TAGS, TEAMS, USER_DOMAIN, USERS,
};
use rapport_core::password::NewPassword;
use rapport_core::pipeline::DEFAULT_STAGES;
use rapport_core::value::{Date, Value};
use rapport_core::{EmailAddress, Id, ObjectType, TeamId, Timestamp, UserId, WorkspaceId};
use rapport_store::pipelines::{self, StageChange};
use rapport_store::records::{self, NewRecord};
use rapport_store::workspaces::Workspace;
use rapport_store::{tags, teams, users};
use serde_json::{Map, json};
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::ids::new_id;
use crate::workspaces::{self, NewWorkspaceInput};
use crate::write::Write;
use crate::{App, RequestMeta};

pub const DEMO_NAME: &str = "Rapport Demo";
pub const DEMO_SLUG: &str = "demo";
pub const DEMO_ADMIN_EMAIL: &str = "admin@rapport.test";

/// Above this many records, seeding commits in batches of this size.
const BATCH: u64 = 10_000;

/// What demo to make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DemoOptions {
    pub seed: u64,
    /// "Today" in the data; the clock's date when absent.
    pub reference: Option<Date>,
    pub size: DemoSize,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            seed: demo::DEFAULT_SEED,
            reference: None,
            size: DemoSize::STANDARD,
        }
    }
}

/// How many of each were written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SeedCounts {
    pub users: u64,
    pub teams: u64,
    pub companies: u64,
    pub contacts: u64,
    pub leads: u64,
    pub opportunities: u64,
    pub activities: u64,
}

impl SeedCounts {
    pub fn records(&self) -> u64 {
        self.companies + self.contacts + self.leads + self.opportunities + self.activities
    }
}

#[derive(Clone, Debug)]
pub enum DemoOutcome {
    Created {
        workspace: Workspace,
        email: String,
        password: String,
        counts: SeedCounts,
        /// The other demo users' e-mail addresses and roles; they sign in with `password`.
        users: Vec<(String, &'static str)>,
    },
    Existing {
        workspace: Workspace,
        email: String,
    },
}

/// Creates and fills the demo workspace on an empty database, or finds the one made before.
/// `progress` hears (records written, records to write) as seeding goes.
pub async fn ensure(
    app: &App,
    options: &DemoOptions,
    progress: &mut (dyn FnMut(u64, u64) + Send),
) -> AppResult<DemoOutcome> {
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
            message: "this database already holds workspaces; the demo only seeds an empty \
                      database (use another --database-url for the demo)"
                .to_owned(),
        });
    }
    let ws: WorkspaceId = new_id();
    let mut w = Write::begin(app, ws, Actor::Operator, &RequestMeta::default()).await?;
    let created = workspaces::create_in(
        app,
        &mut w,
        &NewWorkspaceInput {
            name: DEMO_NAME.to_owned(),
            slug: Some(DEMO_SLUG.to_owned()),
            admin_email: DEMO_ADMIN_EMAIL.to_owned(),
            admin_name: Some(USERS[0].name.to_owned()),
            admin_password: None,
            is_demo: true,
        },
    )
    .await?;
    let password = created
        .admin
        .generated_password
        .clone()
        .ok_or(AppError::Internal)?;
    let spec = DemoSpec {
        seed: options.seed,
        reference: options.reference.unwrap_or_else(|| Date::of(app.now())),
        size: options.size,
    };
    let (w, counts) = seed(app, w, created.admin.user.id, &password, &spec, progress).await?;
    w.commit().await?;
    app.db.optimize().await?;
    let users = USERS[1..]
        .iter()
        .map(|u| (format!("{}@{USER_DOMAIN}", u.login), u.role.as_str()))
        .collect();
    Ok(DemoOutcome::Created {
        workspace: created.workspace,
        email: DEMO_ADMIN_EMAIL.to_owned(),
        password,
        counts,
        users,
    })
}

/// The users, teams and tags of the demo, then its records, in `w`'s workspace. Returns the
/// open write (a later one when seeding committed batches) for the caller to commit.
async fn seed(
    app: &App,
    mut w: Write,
    admin: UserId,
    password: &str,
    spec: &DemoSpec,
    progress: &mut (dyn FnMut(u64, u64) + Send),
) -> AppResult<(Write, SeedCounts)> {
    let mut counts = SeedCounts::default();
    let team_ids = add_teams(&mut w, &mut counts).await?;
    let user_ids = add_users(app, &mut w, admin, password, &team_ids, &mut counts).await?;
    for (i, (name, color)) in TAGS.iter().enumerate() {
        tags::insert(&mut w.tx, w.ws, spec.tag_id(i), name, Some(color), w.now).await?;
    }
    let pipeline = pipelines::default(&mut w.tx, w.ws)
        .await?
        .ok_or(AppError::Internal)?;
    let stage_ids: Vec<Uuid> = pipeline.stages.iter().map(|s| s.id).collect();
    if stage_ids.len() != DEFAULT_STAGES.len() {
        return Err(AppError::Internal);
    }

    let total = spec.size.total();
    let batched = total > BATCH;
    let mut writer = Seeder {
        app,
        w: Some(w),
        users: &user_ids,
        pending: Vec::new(),
        moves: Vec::new(),
        written: 0,
        in_batch: 0,
        batched,
        total,
    };
    for i in 0..spec.size.companies {
        writer.put(&demo::company(spec, i), progress).await?;
        counts.companies += 1;
    }
    let mut book = EmailBook::new();
    for i in 0..spec.size.contacts {
        let mut c = demo::contact(spec, i);
        book.claim(&mut c);
        writer.put(&c, progress).await?;
        counts.contacts += 1;
    }
    for i in 0..spec.size.leads {
        writer.put(&demo::lead(spec, i), progress).await?;
        counts.leads += 1;
    }
    for i in 0..spec.size.opportunities {
        let o = demo::opportunity(spec, i);
        let mut rec = o.record.clone();
        rec.values.insert("pipeline_id", Value::Id(pipeline.id));
        rec.values.insert("stage_id", Value::Id(stage_ids[o.stage]));
        writer.put(&rec, progress).await?;
        writer.history(rec.id, &o.moves, &stage_ids);
        counts.opportunities += 1;
    }
    for i in 0..spec.size.activities {
        if let Some(a) = demo::activity(spec, i) {
            writer.put(&a, progress).await?;
            counts.activities += 1;
        }
    }
    let mut w = writer.finish().await?;
    w.audit(
        AuditAction::RecordsBulkCreated,
        "workspace",
        Some(w.ws.as_uuid()),
        Vec::new(),
        Some(json!({
            "source": "demo",
            "seed": spec.seed,
            "reference_date": spec.reference.to_string(),
            "companies": counts.companies,
            "contacts": counts.contacts,
            "leads": counts.leads,
            "opportunities": counts.opportunities,
            "activities": counts.activities,
        })),
    )
    .await?;
    progress(total, total);
    Ok((w, counts))
}

async fn add_teams(w: &mut Write, counts: &mut SeedCounts) -> AppResult<Vec<TeamId>> {
    let mut ids = Vec::new();
    for t in TEAMS {
        let id: TeamId = new_id();
        teams::insert(&mut w.tx, w.ws, id, t.name, None, w.now).await?;
        w.audit(
            AuditAction::TeamCreated,
            "team",
            Some(id.as_uuid()),
            Vec::new(),
            Some(json!({"name": t.name})),
        )
        .await?;
        ids.push(id);
        counts.teams += 1;
    }
    Ok(ids)
}

/// Users after the admin; all share the admin's password, hashed once.
async fn add_users(
    app: &App,
    w: &mut Write,
    admin: UserId,
    password: &str,
    team_ids: &[TeamId],
    counts: &mut SeedCounts,
) -> AppResult<Vec<UserId>> {
    let admin_email = EmailAddress::parse("email", DEMO_ADMIN_EMAIL)?;
    let password = NewPassword::parse("password", password, &admin_email)?;
    let hash = app.hasher.hash(&password).await?;
    let mut ids = vec![admin];
    counts.users = 1;
    for u in &USERS[1..] {
        let email = EmailAddress::parse("email", &format!("{}@{USER_DOMAIN}", u.login))?;
        let new = users::NewUser {
            id: new_id(),
            email: email.as_str().to_owned(),
            email_key: email.key(),
            display_name: u.name.to_owned(),
            role: u.role,
            team_id: u.team.map(|t| team_ids[t]),
            password_hash: hash.clone(),
            locale: u.locale.to_owned(),
            time_zone: u.time_zone.to_owned(),
            now: w.now,
        };
        let user = users::insert(&mut w.tx, w.ws, &new).await?;
        w.audit(
            AuditAction::UserCreated,
            "user",
            Some(user.id.as_uuid()),
            Vec::new(),
            Some(json!({"email": user.email, "role": user.role, "team_id": user.team_id})),
        )
        .await?;
        ids.push(user.id);
        counts.users += 1;
    }
    Ok(ids)
}

/// Writes demo records in multi-row statements, committing every [`BATCH`] when the dataset
/// is large.
struct Seeder<'a> {
    app: &'a App,
    /// Absent only between committing one batch and beginning the next.
    w: Option<Write>,
    users: &'a [UserId],
    /// Records waiting for one multi-row insert; all of one object.
    pending: Vec<Pending>,
    /// Stage changes of pending opportunities, written after them.
    moves: Vec<(Uuid, StageChange)>,
    written: u64,
    in_batch: u64,
    batched: bool,
    total: u64,
}

struct Pending {
    object: ObjectType,
    id: Uuid,
    owner: UserId,
    values: BTreeMap<&'static str, Value>,
    created_at: Timestamp,
    updated_at: Timestamp,
}

/// Records per multi-row insert: large enough to amortise the round trips, small enough
/// that the statement stays a few megabytes.
const FLUSH: usize = 2_000;

impl Seeder<'_> {
    fn w(&mut self) -> AppResult<&mut Write> {
        self.w.as_mut().ok_or(AppError::Internal)
    }

    async fn put(
        &mut self,
        rec: &DemoRecord,
        progress: &mut (dyn FnMut(u64, u64) + Send),
    ) -> AppResult<()> {
        let owner = self
            .users
            .get(rec.owner)
            .copied()
            .ok_or(AppError::Internal)?;
        if self.pending.first().is_some_and(|p| p.object != rec.object) {
            self.flush().await?;
        }
        let mut values: BTreeMap<&'static str, Value> = rec.values.clone();
        values.insert("owner_id", Value::Id(owner.as_uuid()));
        self.pending.push(Pending {
            object: rec.object,
            id: rec.id,
            owner,
            values,
            created_at: rec.created_at,
            updated_at: rec.updated_at,
        });
        if self.pending.len() >= FLUSH {
            self.flush().await?;
        }
        self.written += 1;
        self.in_batch += 1;
        if self.batched && self.in_batch >= BATCH {
            self.commit_batch().await?;
            progress(self.written, self.total);
        }
        Ok(())
    }

    fn history(&mut self, opportunity: Uuid, moves: &[DemoMove], stages: &[Uuid]) {
        for m in moves {
            let (_, _, probability) = DEFAULT_STAGES[m.to];
            self.moves.push((
                opportunity,
                StageChange {
                    id: Uuid::now_v7(),
                    from_stage_id: m.from.map(|s| stages[s]),
                    to_stage_id: stages[m.to],
                    at: m.at,
                    actor_id: None,
                    amount_minor: None,
                    amount_currency: None,
                    probability: Some(probability),
                },
            ));
        }
    }

    /// Writes the pending records, then the stage changes that refer to them.
    async fn flush(&mut self) -> AppResult<()> {
        let pending = std::mem::take(&mut self.pending);
        let moves = std::mem::take(&mut self.moves);
        let Some(object) = pending.first().map(|p| p.object) else {
            return Ok(());
        };
        let custom = Map::new();
        let new: Vec<NewRecord<'_>> = pending
            .iter()
            .map(|p| NewRecord {
                id: p.id,
                values: &p.values,
                custom: &custom,
                actor: Some(p.owner),
                created_at: p.created_at,
                updated_at: p.updated_at,
            })
            .collect();
        let w = self.w()?;
        records::insert_many(&mut w.tx, w.ws, object, &new).await?;
        pipelines::record_changes(&mut w.tx, w.ws, &moves).await?;
        Ok(())
    }

    /// Flushes and hands back the open write.
    async fn finish(mut self) -> AppResult<Write> {
        self.flush().await?;
        self.w.ok_or(AppError::Internal)
    }

    async fn commit_batch(&mut self) -> AppResult<()> {
        self.flush().await?;
        let done = self.w.take().ok_or(AppError::Internal)?;
        let ws = done.ws;
        // SQLite has one writer connection: the next batch can begin only after this commit.
        done.commit().await?;
        self.w = Some(Write::begin(self.app, ws, Actor::Operator, &RequestMeta::default()).await?);
        self.in_batch = 0;
        Ok(())
    }
}
