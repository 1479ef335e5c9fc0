//! A project's goals: created, edited and retired by its project managers (and the
//! organisation's administrators) in the definition language the report evaluates, with a
//! preview of today's value before saving. A change recomputes the project's report tallies in
//! the same transaction, so the report shows it at once. Goals are not personal data; the
//! preview counts participants and is decided like the report.

use crate::error::{FieldError, Text};
use crate::input::parse_date;
use crate::policy::{Action, Function};
use crate::{Actor, App, AppError, Result};
use serde::{Deserialize, Serialize};
use stegvis_domain::enrolment::ExitStatus;
use stegvis_domain::participant::Gender;
use stegvis_domain::placement::PlacementKind;
use stegvis_domain::report::{BySex, GoalDefinition, GoalFilter, Population, TargetGroup};
use stegvis_store::StoreError;
use stegvis_store::report::GoalRow;
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

/// Who a goal counts, as sent (numbers checked by the use case, with a message at the field).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(tag = "who", rename_all = "snake_case")]
pub enum PopulationInput {
    /// Everyone enrolled.
    Enrolled,
    /// Offered at least one placement of these kinds (all kinds when empty).
    Offered {
        #[serde(default)]
        kinds: Vec<PlacementKind>,
    },
    /// Started at least one placement of these kinds (all kinds when empty).
    Started {
        #[serde(default)]
        kinds: Vec<PlacementKind>,
    },
    /// Left with one of these exit statuses (any when empty).
    Left {
        #[serde(default)]
        statuses: Vec<ExitStatus>,
    },
    /// Employed at the follow-up six months after leaving.
    EmployedAfterSixMonths,
    /// At least this many whole hours of attendance.
    AttendedHours {
        #[schema(minimum = 1)]
        at_least: i64,
    },
}

/// Whom a goal is about, as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct FilterInput {
    /// Empty: every gender.
    pub genders: Vec<Gender>,
    /// Age at entry, both ends included.
    #[schema(minimum = 0, maximum = 120)]
    pub min_age: Option<i64>,
    #[schema(minimum = 0, maximum = 120)]
    pub max_age: Option<i64>,
    pub target_group: Option<TargetGroup>,
}

/// What a goal measures and aims for, as sent: the report's goal definition.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(tag = "measure", rename_all = "snake_case")]
pub enum DefinitionInput {
    /// At least `target` people in `who`.
    Count {
        who: PopulationInput,
        #[schema(minimum = 1)]
        target: i64,
        #[serde(default)]
        filter: FilterInput,
    },
    /// At least `percent` % of `of` also in `who`: more than 0 and at most 100.
    Share {
        who: PopulationInput,
        of: PopulationInput,
        #[schema(minimum = 1, maximum = 100)]
        percent: i64,
        #[serde(default)]
        filter: FilterInput,
    },
}

/// A goal as typed in the form or sent as JSON.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct GoalInput {
    #[schema(schema_with = crate::openapi::text::<200>)]
    pub name: String,
    pub definition: DefinitionInput,
    /// `YYYY-MM-DD`; blank or null: none.
    #[serde(default)]
    #[schema(schema_with = crate::openapi::optional_date)]
    pub deadline: Option<String>,
    /// Changing a goal: the `version` it was read at (a goal changed since gets 409).
    #[serde(default)]
    pub version: Option<i64>,
}

/// A definition to preview: today's value, before saving.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct GoalPreviewInput {
    pub definition: DefinitionInput,
}

/// Retiring a goal: the `version` it was read at.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct RetireInput {
    pub version: i64,
}

/// What a goal would count today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct GoalPreview {
    pub achieved: BySex,
    /// The base of a share goal: those it is a share of (everyone counted for a count goal).
    pub base: BySex,
    /// How many it takes to meet the goal today.
    pub needed: u64,
    pub met: bool,
    /// Achieved as a percentage of what is needed (capped at 100).
    pub progress_percent: u8,
}

/// A goal as its project managers keep it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GoalDetail {
    pub id: Uuid,
    pub project_id: Uuid,
    pub name: String,
    pub definition: GoalDefinition,
    pub deadline: Option<Date>,
    /// Send it back with a change to be told if someone else changed the goal meanwhile.
    pub version: i64,
    /// When the goal was retired: it is kept, but no longer counted.
    #[serde(with = "time::serde::rfc3339::option")]
    pub retired_at: Option<OffsetDateTime>,
    /// Earlier versions, newest first (only when one goal is read).
    pub history: Vec<GoalVersion>,
}

/// A goal as it was before a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct GoalSnapshot {
    pub name: String,
    pub definition: GoalDefinition,
    pub deadline: Option<Date>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub retired_at: Option<OffsetDateTime>,
    pub version: i64,
}

/// One earlier version of a goal, and who replaced it when.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GoalVersion {
    #[serde(with = "time::serde::rfc3339")]
    pub changed_at: OffsetDateTime,
    pub changed_by: Option<String>,
    pub previous: GoalSnapshot,
}

/// A whole number that must fit `max`, or a message at `field`.
fn bounded(field: &str, n: i64, min: i64, max: i64, errors: &mut Vec<FieldError>) -> i64 {
    if (min..=max).contains(&n) {
        return n;
    }
    errors.push(FieldError::new(
        field,
        Text::new(
            format!("Skriv ett heltal mellan {min} och {max}."),
            format!("Write a whole number between {min} and {max}."),
        ),
    ));
    min
}

impl PopulationInput {
    fn parse(&self, field: &str, errors: &mut Vec<FieldError>) -> Population {
        match self {
            PopulationInput::Enrolled => Population::Enrolled,
            PopulationInput::Offered { kinds } => Population::Offered {
                kinds: kinds.clone(),
            },
            PopulationInput::Started { kinds } => Population::Started {
                kinds: kinds.clone(),
            },
            PopulationInput::Left { statuses } => Population::Left {
                statuses: statuses.clone(),
            },
            PopulationInput::EmployedAfterSixMonths => Population::EmployedAfterSixMonths,
            PopulationInput::AttendedHours { at_least } => {
                // Zero is the domain's own error (a number of hours of none).
                let n = if *at_least == 0 {
                    0
                } else {
                    bounded(&format!("{field}.at_least"), *at_least, 1, 100_000, errors)
                };
                Population::AttendedHours { at_least: n as u64 }
            }
        }
    }

    /// The input that shows `p`.
    pub fn of(p: &Population) -> Self {
        match p {
            Population::Enrolled => Self::Enrolled,
            Population::Offered { kinds } => Self::Offered {
                kinds: kinds.clone(),
            },
            Population::Started { kinds } => Self::Started {
                kinds: kinds.clone(),
            },
            Population::Left { statuses } => Self::Left {
                statuses: statuses.clone(),
            },
            Population::EmployedAfterSixMonths => Self::EmployedAfterSixMonths,
            Population::AttendedHours { at_least } => Self::AttendedHours {
                at_least: *at_least as i64,
            },
        }
    }
}

impl DefinitionInput {
    /// The definition the report evaluates; every problem at its field (`definition.…`).
    pub fn parse(&self, errors: &mut Vec<FieldError>) -> GoalDefinition {
        let filter = |f: &FilterInput, errors: &mut Vec<FieldError>| GoalFilter {
            genders: {
                let mut g = f.genders.clone();
                g.sort();
                g.dedup();
                g
            },
            min_age: f
                .min_age
                .map(|n| bounded("definition.filter.min_age", n, 0, 120, errors) as u8),
            max_age: f
                .max_age
                .map(|n| bounded("definition.filter.max_age", n, 0, 120, errors) as u8),
            target_group: f.target_group,
        };
        let def = match self {
            DefinitionInput::Count {
                who,
                target,
                filter: f,
            } => GoalDefinition::Count {
                who: who.parse("definition.who", errors),
                // Zero or below is the domain's error: a count of nobody.
                target: if *target <= 0 {
                    0
                } else {
                    bounded("definition.target", *target, 1, 10_000_000, errors) as u64
                },
                filter: filter(f, errors),
            },
            DefinitionInput::Share {
                who,
                of,
                percent,
                filter: f,
            } => GoalDefinition::Share {
                who: who.parse("definition.who", errors),
                of: of.parse("definition.of", errors),
                // Out of 1–100 is the domain's error, said at the field.
                percent: (*percent).clamp(0, 101) as u8,
                filter: filter(f, errors),
            },
        };
        for e in def.validate() {
            if !errors.iter().any(|x| x.field == e.field()) {
                errors.push(FieldError::new(
                    e.field(),
                    Text::from_messages(|l| e.message(l)),
                ));
            }
        }
        def
    }

    /// The input that shows `d`.
    pub fn of(d: &GoalDefinition) -> Self {
        let filter = |f: &GoalFilter| FilterInput {
            genders: f.genders.clone(),
            min_age: f.min_age.map(i64::from),
            max_age: f.max_age.map(i64::from),
            target_group: f.target_group,
        };
        match d {
            GoalDefinition::Count {
                who,
                target,
                filter: f,
            } => Self::Count {
                who: PopulationInput::of(who),
                target: *target as i64,
                filter: filter(f),
            },
            GoalDefinition::Share {
                who,
                of,
                percent,
                filter: f,
            } => Self::Share {
                who: PopulationInput::of(who),
                of: PopulationInput::of(of),
                percent: i64::from(*percent),
                filter: filter(f),
            },
        }
    }
}

/// The preview's numbers from a definition's progress.
pub(crate) fn preview_of(p: stegvis_domain::report::GoalProgress) -> GoalPreview {
    let progress_percent = (p.achieved.total() * 100)
        .checked_div(p.needed)
        .map_or(100, |v| v.min(100) as u8);
    GoalPreview {
        achieved: p.achieved,
        base: p.base,
        needed: p.needed,
        met: p.met,
        progress_percent,
    }
}

fn detail(g: &GoalRow, history: Vec<GoalVersion>) -> Result<GoalDetail> {
    Ok(GoalDetail {
        id: g.id,
        project_id: g.project_id,
        name: g.name.clone(),
        definition: g.definition()?,
        deadline: g.deadline,
        version: g.version,
        retired_at: g.retired_at,
        history,
    })
}

fn name_field(name: &str, errors: &mut Vec<FieldError>) -> String {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() || name.chars().count() > 200 {
        errors.push(FieldError::new(
            "name",
            Text::new(
                "Skriv målets namn (högst 200 tecken), till exempel: Minst 75 % erbjuds praktik.",
                "Enter the goal's name (at most 200 characters), for example: At least 75 % offered a work practice.",
            ),
        ));
    }
    name
}

fn deadline_field(raw: &Option<String>, errors: &mut Vec<FieldError>) -> Option<Date> {
    let raw = raw.as_deref().map(str::trim).filter(|d| !d.is_empty())?;
    parse_date("deadline", raw, errors)
}

fn taken_name() -> FieldError {
    FieldError::new(
        "name",
        Text::new(
            "Projektet har redan ett mål med det namnet (avslutade mål räknas också).",
            "The project already has a goal with that name (retired goals count too).",
        ),
    )
}

impl App {
    /// Every goal of a project, retired ones too, for those who keep them.
    pub async fn goals(&self, actor: &Actor, project_id: Uuid) -> Result<Vec<GoalDetail>> {
        self.check_project(actor, project_id, Function::Goals, Action::Read)
            .await?;
        let mut tx = self.store.begin_read().await?;
        let rows = tx.all_goals_of(project_id).await?;
        tx.commit().await?;
        rows.iter().map(|g| detail(g, Vec::new())).collect()
    }

    /// One goal with its earlier versions.
    pub async fn goal(&self, actor: &Actor, goal_id: Uuid) -> Result<GoalDetail> {
        let g = self.goal_row(goal_id).await?;
        self.check_project(actor, g.project_id, Function::Goals, Action::Read)
            .await?;
        let mut tx = self.store.begin_read().await?;
        let rows = tx.project_history(goal_id).await?;
        tx.commit().await?;
        let history = rows
            .into_iter()
            .map(|h| {
                Ok(GoalVersion {
                    changed_at: h.changed_at,
                    changed_by: h.changed_by_name,
                    previous: serde_json::from_str(&h.previous).map_err(|_| {
                        AppError::from(StoreError::Corrupt("project_history.previous".into()))
                    })?,
                })
            })
            .collect::<Result<_>>()?;
        detail(&g, history)
    }

    async fn goal_row(&self, goal_id: Uuid) -> Result<GoalRow> {
        let mut tx = self.store.begin_read().await?;
        let g = tx.goal(goal_id).await?;
        tx.commit().await?;
        g.ok_or(AppError::NotFound)
    }

    /// Today's value of a definition over the project's participants of the actor's
    /// organisation, without saving it: counted from the rows, as the report would, and read as
    /// the report is (an audited search by those who may read the project's reports).
    pub async fn preview_goal(
        &self,
        actor: &Actor,
        project_id: Uuid,
        input: &GoalPreviewInput,
    ) -> Result<GoalPreview> {
        self.check_project(actor, project_id, Function::ProjectReports, Action::Read)
            .await?;
        let mut errors = Vec::new();
        let def = input.definition.parse(&mut errors);
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let (mut tx, org) = self
            .open_organisation_records(
                actor,
                crate::policy::RecordKind::Enrolment,
                format!("goal preview {project_id}"),
            )
            .await?;
        let data = tx.report_data(project_id, org).await?;
        self.commit(tx).await?;
        Ok(preview_of(def.evaluate(&data.rows())))
    }

    /// Adds a goal to a project; the report counts it at once.
    pub async fn create_goal(
        &self,
        actor: &Actor,
        project_id: Uuid,
        input: &GoalInput,
    ) -> Result<GoalDetail> {
        self.check_project(actor, project_id, Function::Goals, Action::Write)
            .await?;
        let mut errors = Vec::new();
        let name = name_field(&input.name, &mut errors);
        let def = input.definition.parse(&mut errors);
        let deadline = deadline_field(&input.deadline, &mut errors);
        let mut tx = self.store.begin().await?;
        tx.lock_project(project_id).await?;
        if !name.is_empty() && tx.goal_named(project_id, &name).await?.is_some() {
            errors.push(taken_name());
        }
        if !errors.is_empty() {
            tx.rollback().await?;
            return Err(AppError::Invalid(errors));
        }
        let row = GoalRow {
            id: Uuid::now_v7(),
            project_id,
            name,
            definition: serde_json::to_string(&def)
                .map_err(|e| AppError::Internal(e.to_string()))?,
            deadline,
            position: tx.next_goal_position(project_id).await?,
            created_at: self.now(),
            version: 1,
            retired_at: None,
        };
        if !tx.insert_goal(&row).await? {
            tx.rollback().await?;
            return Err(AppError::Invalid(vec![taken_name()]));
        }
        tx.refresh_project_tallies(project_id).await?;
        let event = self.kept_event(
            actor,
            Function::Goals,
            format!(
                "goal created: {} ({}) in project {project_id}",
                row.name, row.id
            ),
        );
        self.store.record_event_in(&mut tx, &event).await?;
        tx.commit().await?;
        detail(&row, Vec::new())
    }

    /// Changes a goal's name, definition or deadline, keeping the earlier version; the report
    /// counts the new definition at once.
    pub async fn update_goal(
        &self,
        actor: &Actor,
        goal_id: Uuid,
        input: &GoalInput,
    ) -> Result<GoalDetail> {
        let g = self.goal_row(goal_id).await?;
        self.check_project(actor, g.project_id, Function::Goals, Action::Write)
            .await?;
        let mut errors = Vec::new();
        let name = name_field(&input.name, &mut errors);
        let def = input.definition.parse(&mut errors);
        let deadline = deadline_field(&input.deadline, &mut errors);
        let definition =
            serde_json::to_string(&def).map_err(|e| AppError::Internal(e.to_string()))?;
        self.change_goal(actor, goal_id, input.version, errors, "changed", |row| {
            row.name = name;
            row.definition = definition;
            row.deadline = deadline;
        })
        .await
    }

    /// Retires a goal: kept with its history, no longer counted in the report.
    pub async fn retire_goal(
        &self,
        actor: &Actor,
        goal_id: Uuid,
        input: &RetireInput,
    ) -> Result<GoalDetail> {
        let g = self.goal_row(goal_id).await?;
        self.check_project(actor, g.project_id, Function::Goals, Action::Write)
            .await?;
        if g.retired_at.is_some() {
            return Err(AppError::Conflict(Text::new(
                "Målet är redan avslutat.",
                "The goal is already retired.",
            )));
        }
        let now = self.now();
        self.change_goal(
            actor,
            goal_id,
            Some(input.version),
            Vec::new(),
            "retired",
            |row| {
                row.retired_at = Some(now);
            },
        )
        .await
    }

    /// Applies `change` to the goal at `version` (any, when none is given) under the project's
    /// lock, keeps the version before, and recomputes the project's tallies in the same
    /// transaction.
    async fn change_goal(
        &self,
        actor: &Actor,
        goal_id: Uuid,
        version: Option<i64>,
        mut errors: Vec<FieldError>,
        what: &str,
        change: impl FnOnce(&mut GoalRow),
    ) -> Result<GoalDetail> {
        let project_id = self.goal_row(goal_id).await?.project_id;
        let mut tx = self.store.begin().await?;
        tx.lock_project(project_id).await?;
        let row = tx.goal(goal_id).await?.ok_or(AppError::NotFound)?;
        if version.is_some_and(|v| v != row.version) {
            tx.rollback().await?;
            return Err(StoreError::Stale.into());
        }
        let mut updated = row.clone();
        change(&mut updated);
        if updated.name != row.name
            && tx
                .goal_named(project_id, &updated.name)
                .await?
                .is_some_and(|other| other.id != goal_id)
            && !errors.iter().any(|e| e.field == "name")
        {
            errors.push(taken_name());
        }
        if !errors.is_empty() {
            tx.rollback().await?;
            return Err(AppError::Invalid(errors));
        }
        let previous = GoalSnapshot {
            name: row.name.clone(),
            definition: row.definition()?,
            deadline: row.deadline,
            retired_at: row.retired_at,
            version: row.version,
        };
        let previous =
            serde_json::to_string(&previous).map_err(|e| AppError::Internal(e.to_string()))?;
        if !tx.update_goal(&updated, row.version).await? {
            tx.rollback().await?;
            return Err(StoreError::Stale.into());
        }
        tx.insert_project_history(
            project_id,
            "goal",
            goal_id,
            Some(actor.user_id),
            self.now(),
            &previous,
        )
        .await?;
        tx.refresh_project_tallies(project_id).await?;
        let event = self.kept_event(
            actor,
            Function::Goals,
            format!(
                "goal {what}: {} ({goal_id}), version {}",
                updated.name,
                row.version + 1
            ),
        );
        self.store.record_event_in(&mut tx, &event).await?;
        tx.commit().await?;
        self.goal(actor, goal_id).await
    }
}
