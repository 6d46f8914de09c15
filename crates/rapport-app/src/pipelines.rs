//! Pipelines and stages, placing new opportunities, and the stage-move command.

use std::collections::BTreeMap;

use rapport_core::audit::{Actor, AuditAction, Diff};
use rapport_core::object::ObjectType;
use rapport_core::pipeline::{DEFAULT_STAGES, MoveRequest, StageKind, check_move};
use rapport_core::policy;
use rapport_core::text::single_line;
use rapport_core::validation::Errors;
use rapport_core::value::{Date, Value};
use rapport_core::{ErrorCode, FieldError};
use rapport_store::pipelines::{self, Pipeline, StageChange};
use rapport_store::records::{self, Trash};
use serde_json::{Value as Json, json};
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::records::{RecordContext, RecordView};
use crate::write::Write;
use crate::{App, Caller};

/// Creates the default pipeline of a new workspace (inside its creating transaction).
pub(crate) async fn create_default(w: &mut Write) -> AppResult<Uuid> {
    let pipeline = Uuid::now_v7();
    pipelines::insert_pipeline(&mut w.tx, w.ws, pipeline, "Sales", true, 0, w.now).await?;
    for (i, (name, kind, probability)) in DEFAULT_STAGES.iter().enumerate() {
        let position = i64::try_from(i).unwrap_or(0);
        pipelines::insert_stage(
            &mut w.tx,
            w.ws,
            Uuid::now_v7(),
            pipeline,
            name,
            *kind,
            *probability,
            position,
            w.now,
        )
        .await?;
    }
    Ok(pipeline)
}

/// Sets pipeline, first open stage, stage kind and probability of a new opportunity.
pub(crate) async fn place_new_opportunity(
    _app: &App,
    w: &mut Write,
    values: &mut BTreeMap<&'static str, Value>,
) -> AppResult<()> {
    let pipeline = match values.get("pipeline_id").and_then(Value::as_id) {
        Some(id) => pipelines::get(&mut w.tx, w.ws, id).await?.ok_or_else(|| {
            AppError::invalid(FieldError::new(
                "pipeline_id",
                ErrorCode::UnknownReference,
                "no such pipeline",
            ))
        })?,
        None => match pipelines::default(&mut w.tx, w.ws).await? {
            Some(p) => p,
            None => {
                let id = create_default(w).await?;
                pipelines::get(&mut w.tx, w.ws, id)
                    .await?
                    .ok_or(AppError::Internal)?
            }
        },
    };
    let first = pipeline
        .stages
        .iter()
        .find(|s| s.kind == StageKind::Open)
        .ok_or_else(|| {
            AppError::invalid(FieldError::new(
                "pipeline_id",
                ErrorCode::NotAllowed,
                "the pipeline has no open stage",
            ))
        })?;
    values.insert("pipeline_id", Value::Id(pipeline.id));
    values.insert("stage_id", Value::Id(first.id));
    values.insert("stage_kind", Value::Text(first.kind.as_str().into()));
    values
        .entry("probability")
        .or_insert(Value::Int(first.probability));
    values.insert("stage_changed_at", Value::DateTime(w.now));
    Ok(())
}

/// Body of `POST /opportunities/{id}/stage`.
#[derive(Clone, Debug, Default)]
pub struct StageMoveInput {
    pub stage_id: Uuid,
    /// Client JSON for the amount (`{"amount": "…", "currency": "…"}`), parsed like the field.
    pub amount: Option<Json>,
    pub close_date: Option<String>,
    pub lost_reason: Option<String>,
}

pub async fn move_stage(
    app: &App,
    caller: &Caller,
    id: Uuid,
    input: &StageMoveInput,
    if_match: Option<i64>,
) -> AppResult<RecordView> {
    let p = &caller.principal;
    policy::require_write_scope(p)?;
    let ctx = {
        let mut c = app.db.read().await?;
        RecordContext::load(&mut c, p, ObjectType::Opportunity).await?
    };
    let mut errors = Errors::new();
    let amount = match &input.amount {
        Some(v) => rapport_core::catalogue::find(ObjectType::Opportunity, "amount")
            .and_then(|f| errors.check(f.parse(v, &ctx.parse)))
            .and_then(|v| match v {
                Value::Money(m) => Some(m),
                _ => None,
            }),
        None => None,
    };
    let close_date = input
        .close_date
        .as_deref()
        .and_then(|d| errors.check(Date::parse("close_date", d)));
    errors.into_result()?;
    let mut w = Write::begin(
        app,
        p.workspace_id,
        rapport_core::audit::Actor::User(p.user_id),
        &caller.meta,
    )
    .await?;
    let current = crate::records::load_writable(&mut w, &ctx, id).await?;
    if let Some(expected) = if_match
        && expected != current.version()
    {
        return Err(AppError::PreconditionFailed {
            expected,
            current: current.version(),
        });
    }
    let stage = pipelines::stage(&mut w.tx, w.ws, input.stage_id).await?;
    let stage = match stage {
        Some(s) if Some(s.pipeline_id) == current.get("pipeline_id").as_id() => s,
        _ => {
            return Err(AppError::invalid(FieldError::new(
                "stage_id",
                ErrorCode::UnknownReference,
                "no such stage in this opportunity's pipeline",
            )));
        }
    };
    let current_amount = match current.get("amount") {
        Value::Money(m) => Some(*m),
        _ => None,
    };
    let current_close = match current.get("close_date") {
        Value::Date(d) => Some(*d),
        _ => None,
    };
    let request = MoveRequest {
        amount,
        close_date,
        lost_reason: input.lost_reason.clone(),
    };
    let outcome = check_move(
        stage.kind,
        stage.probability,
        current_amount,
        current_close,
        &request,
    )?;
    let from = current.get("stage_id").as_id();
    let mut set: BTreeMap<&'static str, Value> = BTreeMap::new();
    set.insert("stage_id", Value::Id(stage.id));
    set.insert("stage_kind", Value::Text(stage.kind.as_str().into()));
    set.insert("probability", Value::Int(outcome.probability));
    set.insert("amount", outcome.amount.map_or(Value::Null, Value::Money));
    set.insert(
        "close_date",
        outcome.close_date.map_or(Value::Null, Value::Date),
    );
    set.insert(
        "lost_reason",
        outcome.lost_reason.clone().map_or(Value::Null, Value::Text),
    );
    if from != Some(stage.id) {
        set.insert("stage_changed_at", Value::DateTime(w.now));
    }
    set.insert(
        "closed_at",
        if stage.kind == StageKind::Open {
            Value::Null
        } else {
            Value::DateTime(w.now)
        },
    );
    let mut diff = Diff::new();
    for (k, v) in &set {
        diff.field(k, &current.get(k).to_json(), &v.to_json());
    }
    set.retain(|k, v| current.get(k) != v);
    if !set.is_empty() {
        let applied = records::update(
            &mut w.tx,
            w.ws,
            ObjectType::Opportunity,
            id,
            current.version(),
            &set,
            None,
            Some(p.user_id),
            w.now,
        )
        .await?;
        if !applied {
            return Err(AppError::PreconditionFailed {
                expected: current.version(),
                current: current.version() + 1,
            });
        }
    }
    if from != Some(stage.id) {
        let change = StageChange {
            id: Uuid::now_v7(),
            from_stage_id: from,
            to_stage_id: stage.id,
            at: w.now,
            actor_id: Some(p.user_id),
            amount_minor: outcome.amount.map(|m| m.minor),
            amount_currency: outcome.amount.map(|m| m.currency.code().to_owned()),
            probability: Some(outcome.probability),
        };
        pipelines::record_change(&mut w.tx, w.ws, id, &change).await?;
    }
    if !diff.is_empty() {
        let detail =
            json!({"from_stage_id": from, "to_stage_id": stage.id, "kind": stage.kind.as_str()});
        w.audit(
            AuditAction::StageChanged,
            "opportunity",
            Some(id),
            diff.into_vec(),
            Some(detail.clone()),
        )
        .await?;
        w.emit(
            "opportunity.stage_changed",
            "opportunity",
            id,
            json!({"id": id, "from": from, "to": stage.id, "kind": stage.kind.as_str()}),
        )
        .await?;
    }
    let rec = records::get(
        &mut w.tx,
        w.ws,
        ObjectType::Opportunity,
        id,
        None,
        Trash::Live,
    )
    .await?
    .ok_or(AppError::Internal)?;
    w.commit().await?;
    Ok(crate::records::view_of(&ctx, &rec))
}

pub async fn history(app: &App, caller: &Caller, id: Uuid) -> AppResult<Vec<StageChange>> {
    crate::records::get(
        app,
        caller,
        ObjectType::Opportunity,
        id,
        Some(&["id".to_owned()]),
    )
    .await?;
    let mut c = app.db.read().await?;
    Ok(pipelines::history(&mut c, caller.principal.workspace_id, id).await?)
}

/// A stage as written by an admin: an existing one keeps its id.
#[derive(Clone, Debug)]
pub struct StageInput {
    pub id: Option<Uuid>,
    pub name: String,
    pub kind: String,
    pub probability: Option<i64>,
}

#[derive(Clone, Debug)]
pub struct PipelineInput {
    pub name: Option<String>,
    pub is_default: Option<bool>,
    pub stages: Option<Vec<StageInput>>,
}

pub async fn list(app: &App, caller: &Caller) -> AppResult<Vec<Pipeline>> {
    let mut c = app.db.read().await?;
    Ok(pipelines::list(&mut c, caller.principal.workspace_id).await?)
}

pub async fn get(app: &App, caller: &Caller, id: Uuid) -> AppResult<Pipeline> {
    let mut c = app.db.read().await?;
    pipelines::get(&mut c, caller.principal.workspace_id, id)
        .await?
        .ok_or(AppError::NotFound)
}

struct ParsedStage {
    id: Option<Uuid>,
    name: String,
    kind: StageKind,
    probability: i64,
}

fn parse_stages(stages: &[StageInput]) -> AppResult<Vec<ParsedStage>> {
    let mut errors = Errors::new();
    let mut out = Vec::new();
    if stages.is_empty() || stages.len() > 30 {
        errors.push(FieldError::new(
            "stages",
            ErrorCode::InvalidValue,
            "a pipeline has 1 to 30 stages",
        ));
    }
    for (i, s) in stages.iter().enumerate() {
        let at = |f: &str| format!("stages[{i}].{f}");
        let name = errors.check(single_line(&at("name"), &s.name, 1, 100));
        let kind = errors.check(StageKind::parse(s.kind.trim()).ok_or_else(|| {
            FieldError::new(
                at("kind"),
                ErrorCode::InvalidValue,
                "must be open, won or lost",
            )
        }));
        let default_probability = match kind {
            Some(StageKind::Won) => 100,
            _ => 0,
        };
        let probability = s.probability.unwrap_or(default_probability);
        if !(0..=100).contains(&probability) {
            errors.push(FieldError::new(
                at("probability"),
                ErrorCode::InvalidValue,
                "must be between 0 and 100",
            ));
        }
        if let (Some(name), Some(kind)) = (name, kind) {
            if out
                .iter()
                .any(|p: &ParsedStage| p.name.to_lowercase() == name.to_lowercase())
            {
                errors.push(FieldError::new(
                    at("name"),
                    ErrorCode::Taken,
                    "two stages have this name",
                ));
            }
            out.push(ParsedStage {
                id: s.id,
                name,
                kind,
                probability,
            });
        }
    }
    for kind in [StageKind::Open, StageKind::Won, StageKind::Lost] {
        if !out.iter().any(|s| s.kind == kind) && !stages.is_empty() {
            errors.push(FieldError::new(
                "stages",
                ErrorCode::InvalidValue,
                format!("needs at least one {} stage", kind.as_str()),
            ));
        }
    }
    errors.into_result()?;
    Ok(out)
}

pub async fn create(app: &App, caller: &Caller, input: &PipelineInput) -> AppResult<Pipeline> {
    policy::authorize_workspace_admin(&caller.principal)?;
    let name = single_line("name", input.name.as_deref().unwrap_or(""), 1, 100)?;
    let stages = parse_stages(input.stages.as_deref().unwrap_or(&[]))?;
    if stages.iter().any(|s| s.id.is_some()) {
        return Err(AppError::invalid(FieldError::new(
            "stages",
            ErrorCode::ReadOnly,
            "new stages get their ids from the server",
        )));
    }
    let p = &caller.principal;
    let mut w = Write::begin(app, p.workspace_id, Actor::User(p.user_id), &caller.meta).await?;
    let id = Uuid::now_v7();
    let position = i64::try_from(pipelines::list(&mut w.tx, w.ws).await?.len()).unwrap_or(0);
    pipelines::insert_pipeline(&mut w.tx, w.ws, id, &name, false, position, w.now).await?;
    for (i, s) in stages.iter().enumerate() {
        pipelines::insert_stage(
            &mut w.tx,
            w.ws,
            Uuid::now_v7(),
            id,
            &s.name,
            s.kind,
            s.probability,
            i64::try_from(i).unwrap_or(0),
            w.now,
        )
        .await?;
    }
    if input.is_default == Some(true) {
        pipelines::update_pipeline(&mut w.tx, w.ws, id, 1, &name, true, w.now).await?;
    }
    w.audit(
        AuditAction::SettingsChanged,
        "pipeline",
        Some(id),
        Vec::new(),
        Some(json!({"created": name})),
    )
    .await?;
    w.emit("pipeline.created", "pipeline", id, json!({"id": id}))
        .await?;
    let created = pipelines::get(&mut w.tx, w.ws, id)
        .await?
        .ok_or(AppError::Internal)?;
    w.commit().await?;
    Ok(created)
}

pub async fn update(
    app: &App,
    caller: &Caller,
    id: Uuid,
    input: &PipelineInput,
    if_match: Option<i64>,
) -> AppResult<Pipeline> {
    policy::authorize_workspace_admin(&caller.principal)?;
    let p = &caller.principal;
    let mut w = Write::begin(app, p.workspace_id, Actor::User(p.user_id), &caller.meta).await?;
    let current = pipelines::get(&mut w.tx, w.ws, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(expected) = if_match
        && expected != current.version
    {
        return Err(AppError::PreconditionFailed {
            expected,
            current: current.version,
        });
    }
    let name = match &input.name {
        Some(n) => single_line("name", n, 1, 100)?,
        None => current.name.clone(),
    };
    if input.is_default == Some(false) && current.is_default {
        return Err(AppError::invalid(FieldError::new(
            "is_default",
            ErrorCode::NotAllowed,
            "make another pipeline the default instead",
        )));
    }
    let is_default = input.is_default.unwrap_or(current.is_default);
    if !pipelines::update_pipeline(
        &mut w.tx,
        w.ws,
        id,
        current.version,
        &name,
        is_default,
        w.now,
    )
    .await?
    {
        return Err(AppError::PreconditionFailed {
            expected: current.version,
            current: current.version + 1,
        });
    }
    if let Some(stages) = &input.stages {
        let parsed = parse_stages(stages)?;
        for (i, s) in parsed.iter().enumerate() {
            if let Some(sid) = s.id
                && !current.stages.iter().any(|c| c.id == sid)
            {
                return Err(AppError::invalid(FieldError::new(
                    format!("stages[{i}].id"),
                    ErrorCode::UnknownReference,
                    "no such stage in this pipeline",
                )));
            }
        }
        for old in &current.stages {
            if !parsed.iter().any(|s| s.id == Some(old.id)) {
                if pipelines::opportunities_in(&mut w.tx, w.ws, id, Some(old.id)).await? > 0 {
                    return Err(AppError::Conflict {
                        code: "stage_in_use",
                        message: format!(
                            "the stage {} still holds opportunities; move them first",
                            old.name
                        ),
                    });
                }
                pipelines::delete_stage(&mut w.tx, w.ws, old.id).await?;
            }
        }
        for (i, s) in parsed.iter().enumerate() {
            let position = i64::try_from(i).unwrap_or(0);
            match s.id {
                Some(sid) => {
                    pipelines::update_stage(
                        &mut w.tx,
                        w.ws,
                        sid,
                        &s.name,
                        s.kind,
                        s.probability,
                        position,
                        w.now,
                    )
                    .await?;
                }
                None => {
                    pipelines::insert_stage(
                        &mut w.tx,
                        w.ws,
                        Uuid::now_v7(),
                        id,
                        &s.name,
                        s.kind,
                        s.probability,
                        position,
                        w.now,
                    )
                    .await?;
                }
            }
        }
    }
    w.audit(
        AuditAction::SettingsChanged,
        "pipeline",
        Some(id),
        Vec::new(),
        Some(json!({"updated": name})),
    )
    .await?;
    w.emit("pipeline.updated", "pipeline", id, json!({"id": id}))
        .await?;
    let updated = pipelines::get(&mut w.tx, w.ws, id)
        .await?
        .ok_or(AppError::Internal)?;
    w.commit().await?;
    Ok(updated)
}

pub async fn delete(app: &App, caller: &Caller, id: Uuid) -> AppResult<()> {
    policy::authorize_workspace_admin(&caller.principal)?;
    let p = &caller.principal;
    let mut w = Write::begin(app, p.workspace_id, Actor::User(p.user_id), &caller.meta).await?;
    let current = pipelines::get(&mut w.tx, w.ws, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if current.is_default {
        return Err(AppError::Conflict {
            code: "default_pipeline",
            message: "the default pipeline cannot be deleted".into(),
        });
    }
    if pipelines::opportunities_in(&mut w.tx, w.ws, id, None).await? > 0 {
        return Err(AppError::Conflict {
            code: "pipeline_in_use",
            message: "the pipeline still holds opportunities".into(),
        });
    }
    pipelines::delete_pipeline(&mut w.tx, w.ws, id).await?;
    w.audit(
        AuditAction::SettingsChanged,
        "pipeline",
        Some(id),
        Vec::new(),
        Some(json!({"deleted": current.name})),
    )
    .await?;
    w.emit("pipeline.deleted", "pipeline", id, json!({"id": id}))
        .await?;
    w.commit().await
}
