//! Placements: a participant offered a place at a workplace, who accepts or declines, starts and
//! ends, with a supervisor who confirms attendance week by week and gives feedback. An offer is
//! kept when declined: the seeds' goals count offers.

use crate::employers::optional;
use crate::error::{FieldError, Text};
use crate::gate::reject;
use crate::input::check_hours;
use crate::input::parse_date;
use crate::policy::{Action, RecordKind};
use crate::{Actor, App, AppError, Result};
use serde::{Deserialize, Serialize};
use stegvis_domain::attendance::Minutes;
use stegvis_domain::placement::{MAX_HOURS_PER_WEEK, PlacementKind, PlacementStatus};
use stegvis_store::placement::{FeedbackRow, PlacementRow, PlacementWeekRow};
use time::Date;
use utoipa::ToSchema;
use uuid::Uuid;

/// An offer of a place.
#[derive(Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct PlacementInput {
    /// The workplace; or give `opening_id` and the workplace and kind come from the opening.
    #[schema(schema_with = crate::openapi::optional_uuid)]
    pub workplace_id: Option<String>,
    #[schema(schema_with = crate::openapi::optional_uuid)]
    pub opening_id: Option<String>,
    /// A placement kind (see openings); may be left out with an opening.
    #[schema(schema_with = crate::openapi::optional_code::<stegvis_domain::placement::PlacementKind>)]
    pub kind: Option<String>,
    /// A supervisor (user of the employer's organisation).
    #[schema(schema_with = crate::openapi::optional_uuid)]
    pub supervisor_id: Option<String>,
    /// `YYYY-MM-DD`; default today.
    #[schema(schema_with = crate::openapi::optional_date)]
    pub offered_on: Option<String>,
    #[schema(schema_with = crate::openapi::optional_date)]
    pub starts_on: Option<String>,
    #[schema(schema_with = crate::openapi::optional_date)]
    pub ends_on: Option<String>,
    #[schema(minimum = 1, maximum = 60)]
    pub hours_per_week: Option<i64>,
    #[schema(schema_with = crate::openapi::optional_text::<4000>)]
    pub goals: Option<String>,
    /// Adaptations agreed (the supervisor sees these).
    #[schema(schema_with = crate::openapi::optional_text::<4000>)]
    pub adaptations: Option<String>,
}

/// A placement moving on: accepted, declined, started, ended.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct PlacementMove {
    /// `accepted`, `declined`, `started` or `ended`.
    #[schema(value_type = stegvis_domain::placement::PlacementStatus, required = true)]
    pub status: String,
    /// The day it happened (`YYYY-MM-DD`; default today): the start or end date.
    #[schema(schema_with = crate::openapi::optional_date)]
    pub on: Option<String>,
    /// The `version` read; a placement changed since gets 409.
    pub version: Option<i64>,
}

/// A week of attendance confirmed by the supervisor.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct WeekInput {
    /// Any day of the week (`YYYY-MM-DD`); the week is stored by its Monday.
    #[schema(schema_with = crate::openapi::date, required = true)]
    pub week_of: String,
    /// Hours attended that week: `16`, `16,5` or `16:30`.
    #[schema(schema_with = crate::openapi::hours, required = true)]
    pub hours: String,
}

#[derive(Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct FeedbackInput {
    #[schema(schema_with = crate::openapi::text::<4000>, required = true)]
    pub text: String,
}

impl std::fmt::Debug for PlacementInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PlacementInput(<redacted>)")
    }
}

impl std::fmt::Debug for FeedbackInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FeedbackInput(<redacted>)")
    }
}

#[derive(Clone, Serialize, ToSchema)]
pub struct PlacementView {
    pub id: Uuid,
    pub participant_id: Uuid,
    pub participant_name: String,
    pub workplace_id: Uuid,
    pub workplace_name: String,
    pub opening_id: Option<Uuid>,
    #[schema(value_type = stegvis_domain::placement::PlacementKind)]
    pub kind: String,
    #[schema(value_type = stegvis_domain::placement::PlacementStatus)]
    pub status: String,
    pub supervisor_id: Option<Uuid>,
    pub offered_on: Date,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    pub hours_per_week: Option<i32>,
    /// Absent for the supervisor.
    pub goals: Option<String>,
    pub adaptations: Option<String>,
    pub version: i64,
    pub weeks: Vec<WeekView>,
    pub feedback: Vec<FeedbackView>,
}

impl std::fmt::Debug for PlacementView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlacementView")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WeekView {
    pub week_of: Date,
    pub minutes: i32,
}

#[derive(Clone, Serialize, ToSchema)]
pub struct FeedbackView {
    pub text: String,
    #[serde(with = "time::serde::rfc3339")]
    pub written_at: time::OffsetDateTime,
}

impl std::fmt::Debug for FeedbackView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FeedbackView(<redacted>)")
    }
}

fn id_field(field: &str, v: &Option<String>, errors: &mut Vec<FieldError>) -> Option<Uuid> {
    let v = v.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
    match Uuid::parse_str(v) {
        Ok(id) => Some(id),
        Err(_) => {
            errors.push(FieldError::new(
                field,
                Text::new("Välj ur listan.", "Choose from the list."),
            ));
            None
        }
    }
}

fn date_field(field: &str, v: &Option<String>, errors: &mut Vec<FieldError>) -> Option<Date> {
    let v = v.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
    parse_date(field, v, errors)
}

impl App {
    async fn placement_view(
        &self,
        tx: &mut stegvis_store::Audited,
        row: &PlacementRow,
        as_supervisor: Option<Uuid>,
    ) -> Result<PlacementView> {
        let staff = as_supervisor.is_none();
        let participant = tx
            .participant(row.participant_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let workplace = tx
            .placement_workplace(row.workplace_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let weeks = tx.placement_weeks(row.id).await?;
        let mut feedback = tx.placement_feedback(row.id).await?;
        if let Some(me) = as_supervisor {
            // The supervisor reads their own feedback, not the coach's notes.
            feedback.retain(|f| f.written_by == Some(me));
        }
        Ok(PlacementView {
            id: row.id,
            // The supervisor gets what the placement needs: no identifiers of the case.
            participant_id: if staff {
                row.participant_id
            } else {
                Uuid::nil()
            },
            participant_name: format!("{} {}", participant.given_name, participant.family_name),
            workplace_id: row.workplace_id,
            workplace_name: workplace.name,
            opening_id: row.opening_id.filter(|_| staff),
            kind: row.kind.code().to_owned(),
            status: row.status.code().to_owned(),
            supervisor_id: row.supervisor_id.filter(|_| staff),
            offered_on: row.offered_on,
            starts_on: row.starts_on,
            ends_on: row.ends_on,
            hours_per_week: row.hours_per_week,
            goals: row.goals.clone().filter(|_| staff),
            adaptations: row.adaptations.clone(),
            version: row.version,
            weeks: weeks
                .into_iter()
                .map(|w| WeekView {
                    week_of: w.week_of,
                    minutes: w.minutes,
                })
                .collect(),
            feedback: feedback
                .into_iter()
                .map(|f| FeedbackView {
                    text: f.text,
                    written_at: f.written_at,
                })
                .collect(),
        })
    }

    /// Offers a place to a participant: status `offered`, kept even if declined.
    pub async fn offer_placement(
        &self,
        actor: &Actor,
        participant_id: Uuid,
        input: &PlacementInput,
    ) -> Result<PlacementView> {
        let mut errors = Vec::new();
        let opening_id = id_field("opening_id", &input.opening_id, &mut errors);
        let mut workplace_id = id_field("workplace_id", &input.workplace_id, &mut errors);
        let supervisor_id = id_field("supervisor_id", &input.supervisor_id, &mut errors);
        // The employer's data first, in its own short read: no second connection under the gate.
        let (opening, workplace, supervisor) = {
            let mut tx = self.store.begin_read().await?;
            let opening = match opening_id {
                Some(id) => tx.opening(id).await?,
                None => None,
            };
            if let Some(o) = &opening {
                workplace_id = Some(o.workplace_id);
            }
            let workplace = match workplace_id {
                Some(id) => tx.workplace(id).await?,
                None => None,
            };
            let supervisor = match supervisor_id {
                Some(id) => tx.user(id).await?,
                None => None,
            };
            tx.commit().await?;
            (opening, workplace, supervisor)
        };
        let (mut tx, subject) = self
            .open_record(
                actor,
                participant_id,
                RecordKind::Placement,
                Action::Write,
                Some("offer placement".into()),
            )
            .await?;
        if opening_id.is_some() && opening.is_none() {
            errors.push(FieldError::new(
                "opening_id",
                Text::new("Platsen finns inte.", "The opening does not exist."),
            ));
        }
        if opening.as_ref().is_some_and(|o| o.status != "open") {
            errors.push(FieldError::new(
                "opening_id",
                Text::new("Platsen är stängd.", "The opening is closed."),
            ));
        }
        if workplace.is_none() && opening_id.is_none() {
            errors.push(FieldError::new(
                "workplace_id",
                Text::new("Välj arbetsplats.", "Choose the workplace."),
            ));
        }
        let kind_code = input
            .kind
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .or(opening.as_ref().map(|o| o.kind.as_str()));
        let kind = kind_code.and_then(|k| PlacementKind::from_code(k).ok());
        if kind.is_none() {
            errors.push(FieldError::new(
                "kind",
                Text::new("Välj typ av plats.", "Choose the kind of placement."),
            ));
        }
        if supervisor_id.is_some() {
            let fits = match (&supervisor, &workplace) {
                (Some(u), Some(w)) => {
                    u.org_id == w.employer_org_id
                        && crate::policy::may_supervise(u.role)
                        && u.disabled_at.is_none()
                }
                _ => false,
            };
            if !fits {
                errors.push(FieldError::new(
                    "supervisor_id",
                    Text::new(
                        "Välj en handledare på arbetsplatsens arbetsgivare.",
                        "Choose a supervisor at the workplace's employer.",
                    ),
                ));
            }
        }
        let offered_on =
            date_field("offered_on", &input.offered_on, &mut errors).unwrap_or(self.today());
        if offered_on > self.today() {
            errors.push(FieldError::new(
                "offered_on",
                Text::new(
                    "Datumet kan inte ligga i framtiden.",
                    "The date cannot be in the future.",
                ),
            ));
        }
        let starts_on = date_field("starts_on", &input.starts_on, &mut errors);
        let ends_on = date_field("ends_on", &input.ends_on, &mut errors);
        if let (Some(s), Some(e)) = (starts_on, ends_on)
            && e < s
        {
            errors.push(FieldError::new(
                "ends_on",
                Text::new(
                    "Slutdatumet kan inte vara före startdatumet.",
                    "The end date cannot be before the start date.",
                ),
            ));
        }
        let hours = check_hours("hours_per_week", input.hours_per_week, &mut errors)
            .or(opening.as_ref().and_then(|o| o.hours_per_week));
        let goals = optional("goals", &input.goals, 4000, &mut errors);
        let adaptations = optional("adaptations", &input.adaptations, 4000, &mut errors)
            .or(opening.as_ref().and_then(|o| o.adaptations.clone()));
        let (Some(kind), Some(workplace), true) = (kind, workplace, errors.is_empty()) else {
            return reject(tx, AppError::Invalid(errors)).await;
        };
        let now = self.now();
        let row = PlacementRow {
            org_id: subject.org_id,
            id: Uuid::now_v7(),
            participant_id,
            workplace_id: workplace.id,
            opening_id: opening.map(|o| o.id),
            kind,
            supervisor_id,
            starts_on,
            ends_on,
            hours_per_week: hours,
            goals,
            adaptations,
            status: PlacementStatus::Offered,
            offered_on,
            version: 1,
            created_at: now,
            created_by: Some(actor.user_id),
            updated_at: now,
        };
        tx.insert_placement(&row).await?;
        let view = self.placement_view(&mut tx, &row, None).await?;
        self.commit(tx).await?;
        Ok(view)
    }

    /// A participant's placements, newest offer first.
    pub async fn placements_of(
        &self,
        actor: &Actor,
        participant_id: Uuid,
    ) -> Result<Vec<PlacementView>> {
        let (mut tx, _) = self
            .open_record(
                actor,
                participant_id,
                RecordKind::Placement,
                Action::Read,
                None,
            )
            .await?;
        let rows = tx.placements_of(participant_id).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(self.placement_view(&mut tx, r, None).await?);
        }
        self.commit(tx).await?;
        Ok(out)
    }

    /// One placement: staff see it all; its supervisor what the placement needs.
    pub async fn placement(&self, actor: &Actor, placement_id: Uuid) -> Result<PlacementView> {
        let (mut tx, _, as_supervisor) = self
            .open_placement(actor, placement_id, Action::Read, "read")
            .await?;
        let row = tx
            .placement(placement_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let view = self
            .placement_view(&mut tx, &row, as_supervisor.then_some(actor.user_id))
            .await?;
        self.commit(tx).await?;
        Ok(view)
    }

    /// Moves a placement on (staff): accepted or declined, started, ended.
    pub async fn move_placement(
        &self,
        actor: &Actor,
        placement_id: Uuid,
        input: &PlacementMove,
    ) -> Result<PlacementView> {
        let (mut tx, _, as_supervisor) = self
            .open_placement(actor, placement_id, Action::Write, "move")
            .await?;
        if as_supervisor {
            let err = AppError::field(
                "status",
                Text::new(
                    "Handledaren bekräftar närvaro och ger återkoppling; status ändras av coachen.",
                    "The supervisor confirms attendance and gives feedback; the coach changes the status.",
                ),
            );
            return reject(tx, err).await;
        }
        let row = tx
            .placement(placement_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if input.version.is_some_and(|v| v != row.version) {
            let err = AppError::Conflict(Text::new(
                "Någon annan har ändrat platsen sedan du öppnade den. Läs in den igen.",
                "Someone else changed the placement after you opened it. Reload it.",
            ));
            return reject(tx, err).await;
        }
        let mut errors = Vec::new();
        let to = PlacementStatus::from_code(input.status.trim()).ok();
        let from = Some(row.status);
        let on = date_field("on", &input.on, &mut errors).unwrap_or(self.today());
        let (Some(to), Some(from)) = (to, from) else {
            errors.push(FieldError::new(
                "status",
                Text::new("Välj en ny status.", "Choose a new status."),
            ));
            return reject(tx, AppError::Invalid(errors)).await;
        };
        if !from.can_move_to(to) {
            let err = AppError::Conflict(Text::new(
                format!(
                    "En plats som är {} kan inte bli {}.",
                    from.label("sv").to_lowercase(),
                    to.label("sv").to_lowercase()
                ),
                format!(
                    "A placement that is {} cannot become {}.",
                    from.label("en").to_lowercase(),
                    to.label("en").to_lowercase()
                ),
            ));
            return reject(tx, err).await;
        }
        let mut updated = row.clone();
        updated.status = to;
        match (from, to) {
            (_, PlacementStatus::Started) => {
                updated.starts_on = Some(on);
                // A planned end that has passed before the start no longer holds.
                if row.ends_on.is_some_and(|e| e < on) {
                    updated.ends_on = None;
                }
            }
            // Ended before it began (withdrawn): it never started, so it has no start date and
            // is not counted as delivered anywhere.
            (PlacementStatus::Accepted, PlacementStatus::Ended) => {
                updated.starts_on = None;
                updated.ends_on = Some(on);
            }
            (_, PlacementStatus::Ended) => {
                let last_week = tx
                    .placement_weeks(placement_id)
                    .await?
                    .iter()
                    .map(|w| w.week_of)
                    .max();
                if row.starts_on.is_some_and(|s| on < s) || last_week.is_some_and(|w| on < w) {
                    errors.push(FieldError::new(
                        "on",
                        Text::new(
                            "Platsen kan inte sluta före den började eller före en bekräftad vecka.",
                            "The placement cannot end before it started or before a confirmed week.",
                        ),
                    ));
                }
                updated.ends_on = Some(on);
            }
            _ => {}
        }
        if on > self.today() {
            errors.push(FieldError::new(
                "on",
                Text::new(
                    "Datumet kan inte ligga i framtiden.",
                    "The date cannot be in the future.",
                ),
            ));
        }
        if on < row.offered_on {
            errors.push(FieldError::new(
                "on",
                Text::new(
                    "Datumet kan inte vara före erbjudandet.",
                    "The date cannot be before the offer.",
                ),
            ));
        }
        if !errors.is_empty() {
            return reject(tx, AppError::Invalid(errors)).await;
        }
        updated.updated_at = self.now();
        if let Err(e) = tx.update_placement(&updated).await {
            return reject(tx, e.into()).await;
        }
        let owner = crate::history::Owner {
            org_id: row.org_id,
            participant_id: row.participant_id,
            record_id: row.id,
        };
        self.keep_history(&mut tx, actor, RecordKind::Placement, owner, &row)
            .await?;
        updated.version += 1;
        let view = self.placement_view(&mut tx, &updated, None).await?;
        self.commit(tx).await?;
        Ok(view)
    }

    /// The supervisor (or staff) confirms a week's attendance of a running placement.
    pub async fn confirm_week(
        &self,
        actor: &Actor,
        placement_id: Uuid,
        input: &WeekInput,
    ) -> Result<PlacementView> {
        let (mut tx, _, as_supervisor) = self
            .open_placement(actor, placement_id, Action::Write, "confirm week")
            .await?;
        let row = tx
            .placement(placement_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut errors = Vec::new();
        let day = parse_date("week_of", &input.week_of, &mut errors);
        // A week's hours: more than none, at most the most a placement may have.
        let max = MAX_HOURS_PER_WEEK * 60;
        let minutes = match Minutes::parse_unlimited(&input.hours) {
            Ok(m) if m > 0 && m <= max => Some(m),
            Ok(_) => {
                errors.push(FieldError::new(
                    "hours",
                    Text::new(
                        "Ange timmar i veckan mellan 0 och 60.",
                        "Give hours a week between 0 and 60.",
                    ),
                ));
                None
            }
            Err(e) => {
                errors.push(FieldError::new(
                    "hours",
                    Text::from_messages(|l| e.message(l)),
                ));
                None
            }
        };
        // Checked: the calendar ends (and begins) inside a week.
        let monday = day.and_then(|d| {
            d.checked_sub(time::Duration::days(i64::from(
                d.weekday().number_days_from_monday(),
            )))
        });
        if let Some(m) = monday {
            let sunday = m
                .checked_add(time::Duration::days(6))
                .unwrap_or(time::Date::MAX);
            let started = row.starts_on.is_some_and(|s| sunday >= s);
            let not_ended = row.ends_on.is_none_or(|e| m <= e);
            let begun = matches!(
                row.status,
                PlacementStatus::Started | PlacementStatus::Ended
            );
            if !begun || !started || !not_ended {
                errors.push(FieldError::new(
                    "week_of",
                    Text::new(
                        "Veckan ligger inte inom platsens period.",
                        "The week is not within the placement's period.",
                    ),
                ));
            }
            if m > self.today() {
                errors.push(FieldError::new(
                    "week_of",
                    Text::new("Veckan har inte börjat än.", "The week has not begun yet."),
                ));
            }
        }
        let (Some(monday), Some(minutes), true) = (monday, minutes, errors.is_empty()) else {
            return reject(tx, AppError::Invalid(errors)).await;
        };
        // Serialise confirmations of this participant's placements on PostgreSQL, so that two
        // confirmations of one week cannot both pass the check below.
        tx.lock_participants(&[row.participant_id]).await?;
        if tx
            .placement_weeks(placement_id)
            .await?
            .iter()
            .any(|w| w.week_of == monday)
        {
            let err = AppError::Conflict(Text::new(
                "Veckan är redan bekräftad.",
                "The week is already confirmed.",
            ));
            return reject(tx, err).await;
        }
        let week = PlacementWeekRow {
            org_id: row.org_id,
            id: Uuid::now_v7(),
            placement_id,
            week_of: monday,
            minutes: minutes as i32,
            confirmed_by: Some(actor.user_id),
            confirmed_at: self.now(),
        };
        tx.insert_placement_week(&week).await?;
        let view = self
            .placement_view(&mut tx, &row, as_supervisor.then_some(actor.user_id))
            .await?;
        self.commit(tx).await?;
        Ok(view)
    }

    /// The supervisor (or staff) writes feedback on a placement that has begun.
    pub async fn add_placement_feedback(
        &self,
        actor: &Actor,
        placement_id: Uuid,
        input: &FeedbackInput,
    ) -> Result<PlacementView> {
        let (mut tx, _, as_supervisor) = self
            .open_placement(actor, placement_id, Action::Write, "feedback")
            .await?;
        let row = tx
            .placement(placement_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let text = input.text.trim();
        if text.is_empty() || input.text.chars().count() > 4000 {
            let err = AppError::field(
                "text",
                Text::new(
                    "Skriv återkopplingen (högst 4 000 tecken).",
                    "Write the feedback (at most 4,000 characters).",
                ),
            );
            return reject(tx, err).await;
        }
        tx.insert_feedback(&FeedbackRow {
            org_id: row.org_id,
            id: Uuid::now_v7(),
            placement_id,
            text: text.to_owned(),
            written_by: Some(actor.user_id),
            written_at: self.now(),
        })
        .await?;
        let view = self
            .placement_view(&mut tx, &row, as_supervisor.then_some(actor.user_id))
            .await?;
        self.commit(tx).await?;
        Ok(view)
    }

    /// The placements the calling supervisor supervises.
    pub async fn supervised_placements(&self, actor: &Actor) -> Result<Vec<SupervisedView>> {
        let mut tx = self.open_supervised(actor).await?;
        let rows = tx.supervised_placements(actor.user_id).await?;
        self.commit(tx).await?;
        Ok(rows
            .into_iter()
            .map(|r| SupervisedView {
                id: r.id,
                participant_name: format!("{} {}", r.given_name, r.family_name),
                workplace_name: r.workplace_name,
                kind: r.kind.code().to_owned(),
                status: r.status.code().to_owned(),
                starts_on: r.starts_on,
                ends_on: r.ends_on,
                hours_per_week: r.hours_per_week,
                adaptations: r.adaptations,
            })
            .collect())
    }
}

/// A placement on a supervisor's list.
#[derive(Clone, Serialize, ToSchema)]
pub struct SupervisedView {
    pub id: Uuid,
    pub participant_name: String,
    pub workplace_name: String,
    #[schema(value_type = stegvis_domain::placement::PlacementKind)]
    pub kind: String,
    #[schema(value_type = stegvis_domain::placement::PlacementStatus)]
    pub status: String,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    pub hours_per_week: Option<i32>,
    pub adaptations: Option<String>,
}

impl std::fmt::Debug for SupervisedView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SupervisedView")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}
