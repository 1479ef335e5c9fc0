//! The plan (handlingsplan), co-written: staff and the participant add and follow up steps; the
//! participant's own words stay apart from staff notes, which the participant does not see.

use crate::error::{FieldError, Text};
use crate::gate::reject;
use crate::policy::{Action, RecordKind};
use crate::{Actor, App, AppError, Result};
use serde::{Deserialize, Serialize};

use stegvis_domain::plan::{MAX_TEXT, MAX_TITLE, StepOwner, StepStatus};
use stegvis_store::plan::PlanStepRow;
use time::Date;
use utoipa::ToSchema;
use uuid::Uuid;

/// A new step.
#[derive(Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct PlanStepInput {
    #[schema(schema_with = crate::openapi::text::<500>, required = true)]
    pub goal: String,
    #[schema(schema_with = crate::openapi::text::<500>, required = true)]
    pub step: String,
    /// `participant` or `staff`: required from staff; a participant's own step is theirs.
    #[schema(value_type = stegvis_domain::plan::StepOwner)]
    pub owner: String,
    /// `YYYY-MM-DD`, optional.
    #[schema(schema_with = crate::openapi::optional_date)]
    pub due_on: Option<String>,
    /// In the participant's own words.
    #[schema(schema_with = crate::openapi::optional_text::<4000>)]
    pub participant_words: Option<String>,
    /// Staff only; never shown to the participant.
    #[schema(schema_with = crate::openapi::optional_text::<4000>)]
    pub staff_note: Option<String>,
}

/// Changes to a step: absent (or null) keeps, `""` clears an optional text or date.
#[derive(Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct PlanStepUpdate {
    #[schema(schema_with = crate::openapi::text_or_null::<500>)]
    pub goal: Option<String>,
    #[schema(schema_with = crate::openapi::text_or_null::<500>)]
    pub step: Option<String>,
    #[schema(value_type = Option<stegvis_domain::plan::StepOwner>)]
    pub owner: Option<String>,
    #[schema(schema_with = crate::openapi::optional_date)]
    pub due_on: Option<String>,
    /// `planned`, `in_progress`, `done` or `dropped`.
    #[schema(value_type = Option<stegvis_domain::plan::StepStatus>)]
    pub status: Option<String>,
    #[schema(schema_with = crate::openapi::optional_text::<4000>)]
    pub participant_words: Option<String>,
    #[schema(schema_with = crate::openapi::optional_text::<4000>)]
    pub staff_note: Option<String>,
    /// The `version` the change was made from; a step changed since gets 409.
    pub version: Option<i64>,
}

impl std::fmt::Debug for PlanStepInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PlanStepInput(<redacted>)")
    }
}

impl std::fmt::Debug for PlanStepUpdate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PlanStepUpdate(<redacted>)")
    }
}

#[derive(Clone, Serialize, ToSchema)]
pub struct PlanStepView {
    pub id: Uuid,
    pub participant_id: Uuid,
    pub goal: String,
    pub step: String,
    #[schema(value_type = stegvis_domain::plan::StepOwner)]
    pub owner: String,
    pub due_on: Option<Date>,
    #[schema(value_type = stegvis_domain::plan::StepStatus)]
    pub status: String,
    pub participant_words: Option<String>,
    /// Absent for the participant's own account.
    pub staff_note: Option<String>,
    /// How many times the step was changed; every earlier version is kept.
    pub changes: i64,
    /// Send it back with a change to be told if someone else changed the step meanwhile.
    pub version: i64,
}

/// One earlier version of a step: what it said before someone changed it.
#[derive(Clone, Serialize, ToSchema)]
pub struct PlanStepChange {
    #[serde(with = "time::serde::rfc3339")]
    pub changed_at: time::OffsetDateTime,
    pub changed_by: Option<String>,
    pub goal: String,
    pub step: String,
    #[schema(value_type = stegvis_domain::plan::StepOwner)]
    pub owner: String,
    pub due_on: Option<Date>,
    #[schema(value_type = stegvis_domain::plan::StepStatus)]
    pub status: String,
    pub participant_words: Option<String>,
    /// Absent for the participant's own account.
    pub staff_note: Option<String>,
}

impl std::fmt::Debug for PlanStepChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlanStepChange")
            .field("changed_at", &self.changed_at)
            .finish_non_exhaustive()
    }
}

/// A step with its history, newest change first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanStepDetail {
    pub step: PlanStepView,
    pub history: Vec<PlanStepChange>,
}

impl std::fmt::Debug for PlanStepView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlanStepView")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

fn title(field: &str, raw: &str, errors: &mut Vec<FieldError>) -> String {
    let v = raw.trim();
    if v.is_empty() || raw.chars().count() > MAX_TITLE {
        errors.push(FieldError::new(
            field,
            Text::new(
                "Skriv en text på högst 500 tecken.",
                "Write a text of at most 500 characters.",
            ),
        ));
    }
    v.to_owned()
}

fn text(field: &str, raw: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    let v = raw.trim();
    if raw.chars().count() > MAX_TEXT {
        errors.push(FieldError::new(
            field,
            Text::new(
                "Texten får vara högst 4 000 tecken.",
                "The text can be at most 4,000 characters.",
            ),
        ));
    }
    Some(v.to_owned()).filter(|v| !v.is_empty())
}

fn owner(v: &str, errors: &mut Vec<FieldError>) -> Option<StepOwner> {
    let owner = StepOwner::from_code(v.trim()).ok();
    if owner.is_none() {
        errors.push(FieldError::new(
            "owner",
            Text::new("Välj vem som äger steget.", "Choose who owns the step."),
        ));
    }
    owner
}

fn due(v: &str, errors: &mut Vec<FieldError>) -> Option<Date> {
    if v.trim().is_empty() {
        None
    } else {
        crate::input::parse_date("due_on", v, errors)
    }
}

impl App {
    async fn step_view(
        &self,
        tx: &mut stegvis_store::Audited,
        row: &PlanStepRow,
        actor: &Actor,
    ) -> Result<PlanStepView> {
        Ok(PlanStepView {
            id: row.id,
            participant_id: row.participant_id,
            goal: row.goal.clone(),
            step: row.step.clone(),
            owner: row.owner.code().to_owned(),
            due_on: row.due_on,
            status: row.status.code().to_owned(),
            participant_words: row.participant_words.clone(),
            staff_note: if crate::policy::is_participant(actor) {
                None
            } else {
                row.staff_note.clone()
            },
            changes: tx.history_count(row.id).await?,
            version: row.version,
        })
    }

    /// The gate for one step, then the step.
    async fn open_plan_step(
        &self,
        actor: &Actor,
        step_id: Uuid,
        action: Action,
    ) -> Result<(stegvis_store::Audited, PlanStepRow)> {
        let participant_id = self
            .store
            .plan_step_participant(step_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (mut tx, _) = self
            .open_record(
                actor,
                participant_id,
                RecordKind::Plan,
                action,
                Some(format!("plan step {step_id}")),
            )
            .await?;
        let row = tx.plan_step(step_id).await?.ok_or(AppError::NotFound)?;
        Ok((tx, row))
    }

    /// One step and every earlier version of it.
    pub async fn plan_step(&self, actor: &Actor, step_id: Uuid) -> Result<PlanStepDetail> {
        let (mut tx, row) = self.open_plan_step(actor, step_id, Action::Read).await?;
        let step = self.step_view(&mut tx, &row, actor).await?;
        let history = tx
            .history_of(step_id)
            .await?
            .into_iter()
            .filter_map(|h| {
                let was: PlanStepRow = serde_json::from_str(&h.previous)
                    .inspect_err(|e| tracing::warn!(error = %e, "unreadable plan step history"))
                    .ok()?;
                Some(PlanStepChange {
                    changed_at: h.changed_at,
                    changed_by: h.changed_by_name,
                    goal: was.goal,
                    step: was.step,
                    owner: was.owner.code().to_owned(),
                    due_on: was.due_on,
                    status: was.status.code().to_owned(),
                    participant_words: was.participant_words,
                    staff_note: was
                        .staff_note
                        .filter(|_| !crate::policy::is_participant(actor)),
                })
            })
            .collect();
        self.commit(tx).await?;
        Ok(PlanStepDetail { step, history })
    }

    pub async fn plan(&self, actor: &Actor, participant_id: Uuid) -> Result<Vec<PlanStepView>> {
        let (mut tx, _) = self
            .open_record(actor, participant_id, RecordKind::Plan, Action::Read, None)
            .await?;
        let rows = tx.plan_of(participant_id).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(self.step_view(&mut tx, r, actor).await?);
        }
        self.commit(tx).await?;
        Ok(out)
    }

    /// Adds a step. A participant adds steps they own themselves, without staff notes.
    pub async fn add_plan_step(
        &self,
        actor: &Actor,
        participant_id: Uuid,
        input: &PlanStepInput,
    ) -> Result<PlanStepView> {
        let (mut tx, subject) = self
            .open_record(
                actor,
                participant_id,
                RecordKind::Plan,
                Action::Write,
                Some("add plan step".into()),
            )
            .await?;
        let mut errors = Vec::new();
        let goal = title("goal", &input.goal, &mut errors);
        let step = title("step", &input.step, &mut errors);
        let by_participant = crate::policy::is_participant(actor);
        // What is sent is checked whoever sends it (the API document promises a 422 for a bad
        // value); a participant's own step is theirs and carries no staff note.
        let owner = if by_participant {
            if !input.owner.trim().is_empty() {
                owner(&input.owner, &mut errors);
            }
            Some(StepOwner::Participant)
        } else {
            owner(&input.owner, &mut errors)
        };
        let due_on = due(input.due_on.as_deref().unwrap_or(""), &mut errors);
        let participant_words = text(
            "participant_words",
            input.participant_words.as_deref().unwrap_or(""),
            &mut errors,
        );
        let staff_note = text(
            "staff_note",
            input.staff_note.as_deref().unwrap_or(""),
            &mut errors,
        )
        .filter(|_| !by_participant);
        let (Some(owner), true) = (owner, errors.is_empty()) else {
            return reject(tx, AppError::Invalid(errors)).await;
        };
        let now = self.now();
        let row = PlanStepRow {
            org_id: subject.org_id,
            id: Uuid::now_v7(),
            participant_id,
            goal,
            step,
            owner,
            due_on,
            status: StepStatus::Planned,
            participant_words,
            staff_note,
            version: 1,
            created_at: now,
            created_by: Some(actor.user_id),
            updated_at: now,
        };
        tx.insert_plan_step(&row).await?;
        let view = self.step_view(&mut tx, &row, actor).await?;
        self.commit(tx).await?;
        Ok(view)
    }

    /// Changes a step; the earlier version is kept. A participant may change only their own
    /// words, and the status of steps they own.
    pub async fn update_plan_step(
        &self,
        actor: &Actor,
        step_id: Uuid,
        input: &PlanStepUpdate,
    ) -> Result<PlanStepView> {
        let (mut tx, row) = self.open_plan_step(actor, step_id, Action::Write).await?;
        let participant_id = row.participant_id;
        if input.version.is_some_and(|v| v != row.version) {
            let err = AppError::Conflict(Text::new(
                "Någon annan har ändrat steget sedan du öppnade det. Läs den nya versionen och gör din ändring igen.",
                "Someone else changed the step after you opened it. Read the new version and make your change again.",
            ));
            return reject(tx, err).await;
        }
        let mut errors = Vec::new();
        let mut updated = row.clone();
        if crate::policy::is_participant(actor) {
            let owns = row.owner == StepOwner::Participant;
            let staff_fields = input.goal.is_some()
                || input.step.is_some()
                || input.owner.is_some()
                || input.due_on.is_some()
                || input.staff_note.is_some();
            if staff_fields || (input.status.is_some() && !owns) {
                errors.push(FieldError::new("step", Text::new(
                    "Du kan skriva med dina egna ord, och ändra status på steg som du själv äger.",
                    "You can write in your own words, and change the status of steps you own.",
                )));
            }
        }
        if let Some(v) = &input.goal {
            updated.goal = title("goal", v, &mut errors);
        }
        if let Some(v) = &input.step {
            updated.step = title("step", v, &mut errors);
        }
        if let Some(o) = input.owner.as_deref().and_then(|v| owner(v, &mut errors)) {
            updated.owner = o;
        }
        if let Some(v) = &input.due_on {
            updated.due_on = due(v, &mut errors);
        }
        if let Some(v) = &input.status {
            match StepStatus::from_code(v.trim()) {
                Ok(s) => updated.status = s,
                Err(_) => errors.push(FieldError::new(
                    "status",
                    Text::new("Välj en status.", "Choose a status."),
                )),
            }
        }
        if let Some(v) = &input.participant_words {
            updated.participant_words = text("participant_words", v, &mut errors);
        }
        if let Some(v) = &input.staff_note {
            updated.staff_note = text("staff_note", v, &mut errors);
        }
        if !errors.is_empty() {
            return reject(tx, AppError::Invalid(errors)).await;
        }
        updated.updated_at = self.now();
        if let Err(e) = tx.update_plan_step(&updated).await {
            return reject(tx, e.into()).await;
        }
        let owner = crate::history::Owner {
            org_id: row.org_id,
            participant_id,
            record_id: row.id,
        };
        self.keep_history(&mut tx, actor, RecordKind::Plan, owner, &row)
            .await?;
        let view = self.step_view(&mut tx, &updated, actor).await?;
        self.commit(tx).await?;
        Ok(view)
    }
}
