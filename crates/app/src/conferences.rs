//! Collaboration teams (samverkansteam) and case conferences (samverkansmöten): a standing team
//! with members from several organisations, and a meeting about one participant whose decisions
//! become steps in the participant's plan.

use crate::error::{FieldError, Text};
use crate::gate::reject;
use crate::policy::{Action, Function, RecordKind};
use crate::{Actor, App, AppError, Result};
use serde::{Deserialize, Serialize};

use stegvis_domain::plan::{MAX_TEXT, MAX_TITLE, StepOwner, StepStatus};
use stegvis_store::collaboration::{ConferenceRow, TeamRow};
use stegvis_store::plan::PlanStepRow;
use time::Date;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct TeamInput {
    #[schema(schema_with = crate::openapi::text::<200>, required = true)]
    pub name: String,
    #[schema(schema_with = crate::openapi::optional_uuid)]
    pub project_id: Option<String>,
    /// The member organisations besides the keeping one.
    #[schema(value_type = Vec<Uuid>)]
    pub org_ids: Vec<String>,
    /// The people, one per line ("Name, title, organisation").
    #[schema(max_length = 4000)]
    pub members: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TeamView {
    pub id: Uuid,
    pub name: String,
    /// The organisation that keeps the team.
    pub org_id: Uuid,
    pub project_id: Option<Uuid>,
    /// Every member organisation, the keeping one first.
    pub organisations: Vec<Uuid>,
    pub members: Vec<String>,
}

/// A decision of a conference: it becomes a plan step.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct DecisionInput {
    #[schema(max_length = 500)]
    pub step: String,
    /// `participant` or `staff`.
    #[schema(schema_with = crate::openapi::code_or_blank::<stegvis_domain::plan::StepOwner>)]
    pub owner: String,
    #[schema(schema_with = crate::openapi::optional_date)]
    pub due_on: Option<String>,
}

#[derive(Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ConferenceInput {
    /// `YYYY-MM-DD`.
    #[schema(schema_with = crate::openapi::date, required = true)]
    pub held_on: String,
    #[schema(schema_with = crate::openapi::optional_uuid)]
    pub team_id: Option<String>,
    /// One entry per person: "Name, organisation".
    #[schema(min_items = 1, required = true)]
    pub attendees: Vec<String>,
    #[schema(schema_with = crate::openapi::text::<4000>, required = true)]
    pub minutes: String,
    #[schema(max_items = 20)]
    pub decisions: Vec<DecisionInput>,
}

impl std::fmt::Debug for ConferenceInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ConferenceInput(<redacted>)")
    }
}

#[derive(Clone, Serialize, ToSchema)]
pub struct ConferenceView {
    pub id: Uuid,
    pub participant_id: Uuid,
    pub team_id: Option<Uuid>,
    pub held_on: Date,
    pub attendees: Vec<String>,
    pub minutes: String,
    /// The plan steps its decisions became.
    pub plan_step_ids: Vec<Uuid>,
}

/// Most decisions one conference records.
const MAX_DECISIONS: usize = 20;

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn team_view(t: &TeamRow, orgs: &[(Uuid, Uuid)]) -> TeamView {
    let mut organisations = vec![t.org_id];
    organisations.extend(
        orgs.iter()
            .filter(|(team, o)| *team == t.id && *o != t.org_id)
            .map(|(_, o)| *o),
    );
    TeamView {
        id: t.id,
        name: t.name.clone(),
        org_id: t.org_id,
        project_id: t.project_id,
        organisations,
        members: lines(&t.members),
    }
}

fn conference_view(c: &ConferenceRow, steps: &[(Uuid, Uuid)]) -> ConferenceView {
    ConferenceView {
        id: c.id,
        participant_id: c.participant_id,
        team_id: c.team_id,
        held_on: c.held_on,
        attendees: lines(&c.attendees),
        minutes: c.minutes.clone(),
        plan_step_ids: steps
            .iter()
            .filter(|(conf, _)| *conf == c.id)
            .map(|(_, s)| *s)
            .collect(),
    }
}

impl App {
    /// Sets up a standing collaboration team kept by the actor's organisation.
    pub async fn create_team(&self, actor: &Actor, input: &TeamInput) -> Result<TeamView> {
        self.check_function(actor, Function::Teams, Action::Write)
            .await?;
        let mut errors = Vec::new();
        let name = input.name.trim();
        if name.is_empty() || input.name.chars().count() > 200 {
            errors.push(FieldError::new(
                "name",
                Text::new(
                    "Skriv teamets namn (högst 200 tecken).",
                    "Enter the team's name (at most 200 characters).",
                ),
            ));
        }
        if input.members.chars().count() > MAX_TEXT {
            errors.push(FieldError::new(
                "members",
                Text::new("Högst 4 000 tecken.", "At most 4,000 characters."),
            ));
        }
        let mut tx = self.store.begin().await?;
        let project_id = match input.project_id.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(p) => {
                let id = Uuid::parse_str(p).ok();
                let known = match id {
                    Some(id) => tx.project(id).await?.is_some(),
                    None => false,
                };
                if !known {
                    errors.push(FieldError::new(
                        "project_id",
                        Text::new("Okänt projekt.", "Unknown project."),
                    ));
                }
                id
            }
        };
        let mut orgs = Vec::new();
        for o in &input.org_ids {
            let id = Uuid::parse_str(o.trim()).ok();
            let known = match id {
                Some(id) => tx.organisation(id).await?.is_some(),
                None => false,
            };
            match id {
                Some(id) if known => orgs.push(id),
                _ => errors.push(FieldError::new(
                    "org_ids",
                    Text::new("Okänd organisation.", "Unknown organisation."),
                )),
            }
        }
        if !errors.is_empty() {
            drop(tx);
            return Err(AppError::Invalid(errors));
        }
        let row = TeamRow {
            id: Uuid::now_v7(),
            org_id: actor.org_id,
            name: name.to_owned(),
            project_id,
            members: lines(&input.members).join("\n"),
            created_at: self.now(),
            created_by: Some(actor.user_id),
        };
        tx.insert_team(&row, &orgs).await?;
        tx.commit().await?;
        let pairs: Vec<(Uuid, Uuid)> = orgs.iter().map(|o| (row.id, *o)).collect();
        Ok(team_view(&row, &pairs))
    }

    /// The teams the actor's organisation keeps or takes part in.
    pub async fn teams(&self, actor: &Actor) -> Result<Vec<TeamView>> {
        self.check_function(actor, Function::Teams, Action::Read)
            .await?;
        let mut tx = self.store.begin_read().await?;
        let rows = tx.teams_of(actor.org_id).await?;
        let orgs = tx.team_organisations_of(actor.org_id).await?;
        tx.commit().await?;
        Ok(rows.iter().map(|t| team_view(t, &orgs)).collect())
    }

    /// Records a case conference about a participant; its decisions become plan steps.
    pub async fn hold_conference(
        &self,
        actor: &Actor,
        participant_id: Uuid,
        input: &ConferenceInput,
    ) -> Result<ConferenceView> {
        let teams = match self.teams(actor).await {
            Ok(t) => t,
            Err(AppError::Forbidden) => Vec::new(),
            Err(e) => return Err(e),
        };
        let (mut tx, subject) = self
            .open_record(
                actor,
                participant_id,
                RecordKind::Conference,
                Action::Write,
                Some("case conference".into()),
            )
            .await?;
        let mut errors = Vec::new();
        let held_on = crate::input::parse_date("held_on", &input.held_on, &mut errors);
        if held_on.is_some_and(|d| d > self.today()) {
            errors.push(FieldError::new(
                "held_on",
                Text::new(
                    "Mötet kan inte ha hållits i framtiden.",
                    "The meeting cannot have been held in the future.",
                ),
            ));
        }
        let team_id = match input.team_id.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(t) => {
                let id = Uuid::parse_str(t)
                    .ok()
                    .filter(|id| teams.iter().any(|x| x.id == *id));
                if id.is_none() {
                    errors.push(FieldError::new(
                        "team_id",
                        Text::new("Välj ett av era team.", "Choose one of your teams."),
                    ));
                }
                id
            }
        };
        let attendees: Vec<String> = input.attendees.iter().flat_map(|a| lines(a)).collect();
        if attendees.is_empty() || attendees.iter().any(|a| a.chars().count() > MAX_TITLE) {
            errors.push(FieldError::new(
                "attendees",
                Text::new(
                    "Skriv vilka som deltog, en per rad.",
                    "Write who took part, one per line.",
                ),
            ));
        }
        let minutes = input.minutes.trim();
        if minutes.is_empty() || input.minutes.chars().count() > MAX_TEXT {
            errors.push(FieldError::new(
                "minutes",
                Text::new(
                    "Skriv minnesanteckningar (högst 4 000 tecken).",
                    "Write the minutes (at most 4,000 characters).",
                ),
            ));
        }
        let mut decisions = Vec::new();
        if input.decisions.len() > MAX_DECISIONS {
            errors.push(FieldError::new(
                "decisions",
                Text::new(
                    "Högst 20 beslut per möte.",
                    "At most 20 decisions per meeting.",
                ),
            ));
        }
        for (i, d) in input.decisions.iter().take(MAX_DECISIONS).enumerate() {
            let step = d.step.trim();
            if step.is_empty() {
                continue;
            }
            let field = |f: &str| format!("decisions.{i}.{f}");
            if d.step.chars().count() > MAX_TITLE {
                errors.push(FieldError::new(
                    &field("step"),
                    Text::new("Högst 500 tecken.", "At most 500 characters."),
                ));
            }
            let owner = match d.owner.trim() {
                "" => StepOwner::Staff,
                code => StepOwner::from_code(code).unwrap_or_else(|_| {
                    errors.push(FieldError::new(
                        &field("owner"),
                        Text::new("Välj vem som tar steget.", "Choose who takes the step."),
                    ));
                    StepOwner::Staff
                }),
            };
            let due_on = match d.due_on.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(v) => crate::input::parse_date(&field("due_on"), v, &mut errors),
            };
            decisions.push((step.to_owned(), owner, due_on));
        }
        let (Some(held_on), true) = (held_on, errors.is_empty()) else {
            return reject(tx, AppError::Invalid(errors)).await;
        };
        let now = self.now();
        let mut steps = Vec::with_capacity(decisions.len());
        if !decisions.is_empty() {
            // The decisions are written into the plan: a further, audited write.
            tx = self
                .audit_also(tx, actor, subject, RecordKind::Plan, Action::Write)
                .await?;
            for (step, owner, due_on) in decisions {
                let row = PlanStepRow {
                    org_id: subject.org_id,
                    id: Uuid::now_v7(),
                    participant_id,
                    goal: format!("Beslut på samverkansmöte {held_on}"),
                    step,
                    owner,
                    due_on,
                    status: StepStatus::Planned,
                    participant_words: None,
                    staff_note: None,
                    version: 1,
                    created_at: now,
                    created_by: Some(actor.user_id),
                    updated_at: now,
                };
                tx.insert_plan_step(&row).await?;
                steps.push(row.id);
            }
        }
        let row = ConferenceRow {
            org_id: subject.org_id,
            id: Uuid::now_v7(),
            participant_id,
            team_id,
            held_on,
            attendees: attendees.join("\n"),
            minutes: minutes.to_owned(),
            created_at: now,
            created_by: Some(actor.user_id),
        };
        tx.insert_conference(&row, &steps).await?;
        self.commit(tx).await?;
        let pairs: Vec<(Uuid, Uuid)> = steps.iter().map(|s| (row.id, *s)).collect();
        Ok(conference_view(&row, &pairs))
    }

    /// A participant's case conferences, newest first.
    pub async fn conferences(
        &self,
        actor: &Actor,
        participant_id: Uuid,
    ) -> Result<Vec<ConferenceView>> {
        let (mut tx, _) = self
            .open_record(
                actor,
                participant_id,
                RecordKind::Conference,
                Action::Read,
                None,
            )
            .await?;
        let rows = tx.conferences_of(participant_id).await?;
        let steps = tx.conference_steps_of(participant_id).await?;
        self.commit(tx).await?;
        Ok(rows.iter().map(|c| conference_view(c, &steps)).collect())
    }
}
