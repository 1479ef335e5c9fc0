//! Follow-ups after exit: planned at exit (4 weeks, 90 and 180 days), listed when due, recorded
//! with the ESF+ result questions.

use crate::error::{FieldError, Text};
use crate::gate::reject;
use crate::keyset::{Keyset, PageRequest, unknown_cursor};
use crate::policy::{Action, RecordKind};
use crate::{Actor, App, AppError, Result};
use serde::{Deserialize, Serialize};
use stegvis_domain::LabourStatus;
use stegvis_domain::follow_up::{FollowUpKind, SixMonthStatus, due_dates};
use stegvis_store::enrolment::EnrolmentRow;
use stegvis_store::follow_up::FollowUpRow;
use time::Date;
use utoipa::ToSchema;
use uuid::Uuid;

/// The three follow-ups an exit on `exited_on` plans.
pub(crate) fn planned(e: &EnrolmentRow, exited_on: Date) -> Vec<FollowUpRow> {
    due_dates(exited_on)
        .into_iter()
        .map(|(kind, due_on)| FollowUpRow {
            org_id: e.org_id,
            id: Uuid::now_v7(),
            enrolment_id: e.id,
            participant_id: e.participant_id,
            kind,
            due_on,
            done_on: None,
            job_searching: None,
            in_education: None,
            gained_qualification: None,
            employed: None,
            improved_situation: None,
            social_assistance: None,
            recorded_by: None,
            recorded_at: None,
        })
        .collect()
}

/// A follow-up as shown.
#[derive(Clone, Serialize, ToSchema)]
pub struct FollowUpView {
    pub id: Uuid,
    pub enrolment_id: Uuid,
    pub participant_id: Uuid,
    /// `immediate_result`, `day_90` or `day_180`.
    #[schema(value_type = stegvis_domain::follow_up::FollowUpKind)]
    pub kind: String,
    pub due_on: Date,
    pub done_on: Option<Date>,
    pub overdue: bool,
    pub job_searching: Option<bool>,
    pub in_education: Option<bool>,
    pub gained_qualification: Option<bool>,
    pub employed: Option<bool>,
    pub improved_situation: Option<bool>,
    /// Still receiving social assistance (asked at every follow-up; optional).
    pub social_assistance: Option<bool>,
}

impl std::fmt::Debug for FollowUpView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FollowUpView")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// A follow-up on the coach's to-do list.
#[derive(Clone, Serialize, ToSchema)]
pub struct DueFollowUpView {
    pub id: Uuid,
    pub participant_id: Uuid,
    pub participant_name: String,
    pub project_name: String,
    #[schema(value_type = stegvis_domain::follow_up::FollowUpKind)]
    pub kind: String,
    pub due_on: Date,
    pub overdue: bool,
}

impl std::fmt::Debug for DueFollowUpView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DueFollowUpView")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// The answers of a follow-up. The immediate result asks the first four; 90 and 180 days ask
/// `employed` and `improved_situation` (the latter only for people employed at entry).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct FollowUpInput {
    /// `YYYY-MM-DD`; the day the follow-up was made.
    #[schema(schema_with = crate::openapi::date, required = true)]
    pub done_on: String,
    pub job_searching: Option<bool>,
    pub in_education: Option<bool>,
    pub gained_qualification: Option<bool>,
    pub employed: Option<bool>,
    pub improved_situation: Option<bool>,
    /// Still receiving social assistance (ekonomiskt bistånd); optional at every follow-up.
    pub social_assistance: Option<bool>,
}

fn yes_no(v: Option<bool>) -> Option<String> {
    v.map(|b| if b { "yes" } else { "no" }.to_owned())
}

fn flag(v: &Option<String>) -> Option<bool> {
    v.as_deref().map(|s| s == "yes")
}

fn due_view(r: stegvis_store::follow_up::DueFollowUp, today: Date) -> DueFollowUpView {
    DueFollowUpView {
        id: r.id,
        participant_id: r.participant_id,
        participant_name: format!("{} {}", r.given_name, r.family_name),
        project_name: r.project_name,
        kind: r.kind.code().to_owned(),
        overdue: r.due_on < today,
        due_on: r.due_on,
    }
}

fn view(f: &FollowUpRow, today: Date) -> FollowUpView {
    FollowUpView {
        id: f.id,
        enrolment_id: f.enrolment_id,
        participant_id: f.participant_id,
        kind: f.kind.code().to_owned(),
        due_on: f.due_on,
        done_on: f.done_on,
        overdue: f.done_on.is_none() && f.due_on < today,
        job_searching: flag(&f.job_searching),
        in_education: flag(&f.in_education),
        gained_qualification: flag(&f.gained_qualification),
        employed: flag(&f.employed),
        improved_situation: flag(&f.improved_situation),
        social_assistance: flag(&f.social_assistance),
    }
}

impl App {
    /// One page of the follow-ups not yet done that fall due within `days` days (overdue ones
    /// first).
    pub async fn due_follow_ups(
        &self,
        actor: &Actor,
        days: i64,
        page: &PageRequest,
    ) -> Result<Keyset<DueFollowUpView>> {
        let today = self.today();
        let due_by = today + time::Duration::days(days.clamp(0, 366));
        let (mut tx, visibility) = self
            .open_search(actor, RecordKind::FollowUp, Some("due follow-ups".into()))
            .await?;
        // A cursor from elsewhere ends the request before anything is read or written.
        if let Some(after) = page.after
            && !tx.follow_up_cursor_known(visibility, after).await?
        {
            return Err(unknown_cursor());
        }
        let mut rows = tx
            .due_follow_ups(visibility, due_by, page.fetch(), page.after)
            .await?;
        let next = page.cut(&mut rows, |r| r.id);
        self.commit(tx).await?;
        Ok(Keyset {
            items: rows.into_iter().map(|r| due_view(r, today)).collect(),
            next,
        })
    }

    /// One follow-up of the due list (due within a year, or overdue), wherever it falls in the
    /// list's pages; `NotFound` if it is done or not the actor's to see.
    pub async fn due_follow_up(&self, actor: &Actor, id: Uuid) -> Result<DueFollowUpView> {
        let today = self.today();
        let due_by = today + time::Duration::days(366);
        let (mut tx, visibility) = self
            .open_search(actor, RecordKind::FollowUp, Some("due follow-ups".into()))
            .await?;
        let row = tx.due_follow_up(visibility, due_by, id).await?;
        self.commit(tx).await?;
        row.map(|r| due_view(r, today)).ok_or(AppError::NotFound)
    }

    pub async fn follow_ups_of(
        &self,
        actor: &Actor,
        participant_id: Uuid,
    ) -> Result<Vec<FollowUpView>> {
        let (mut tx, _) = self
            .open_record(
                actor,
                participant_id,
                RecordKind::FollowUp,
                Action::Read,
                None,
            )
            .await?;
        let rows = tx.follow_ups_of(participant_id).await?;
        self.commit(tx).await?;
        let today = self.today();
        Ok(rows.iter().map(|f| view(f, today)).collect())
    }

    /// Records the answers of a follow-up.
    pub async fn record_follow_up(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &FollowUpInput,
    ) -> Result<FollowUpView> {
        let (_, participant_id) = self
            .store
            .follow_up_owner(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (mut tx, _) = self
            .open_record(
                actor,
                participant_id,
                RecordKind::FollowUp,
                Action::Write,
                Some(format!("follow-up {id}")),
            )
            .await?;
        let row = tx.follow_up(id).await?.ok_or(AppError::NotFound)?;
        let enrolment = tx
            .enrolment(row.enrolment_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut errors = Vec::new();
        let done_on = crate::input::parse_date("done_on", &input.done_on, &mut errors);
        let exited_on = enrolment.exited_on.unwrap_or(Date::MIN);
        if done_on.is_some_and(|d| d > self.today() || d < exited_on) {
            errors.push(FieldError::new(
                "done_on",
                Text::new(
                    "Datumet ska ligga mellan avslutet och i dag.",
                    "The date must be between the exit and today.",
                ),
            ));
        }
        let kind = row.kind;
        let need = |field: &str, v: Option<bool>, errors: &mut Vec<FieldError>| {
            if v.is_none() {
                errors.push(FieldError::new(
                    field,
                    Text::new("Svara ja eller nej.", "Answer yes or no."),
                ));
            }
        };
        match kind {
            FollowUpKind::ImmediateResult => {
                need("job_searching", input.job_searching, &mut errors);
                need("in_education", input.in_education, &mut errors);
                need(
                    "gained_qualification",
                    input.gained_qualification,
                    &mut errors,
                );
                need("employed", input.employed, &mut errors);
            }
            FollowUpKind::Day90 | FollowUpKind::Day180 => {
                need("employed", input.employed, &mut errors);
                let employed_at_entry = enrolment.labour_status == Some(LabourStatus::Employed);
                if let (Some(employed), Some(improved)) = (input.employed, input.improved_situation)
                    && let Err(e) = SixMonthStatus::new(employed, improved, employed_at_entry)
                {
                    errors.push(FieldError::new(
                        "improved_situation",
                        Text::from_messages(|l| e.message(l)),
                    ));
                }
            }
        }
        let Some(done_on) = done_on.filter(|_| errors.is_empty()) else {
            return reject(tx, AppError::Invalid(errors)).await;
        };
        let mut done = row.clone();
        done.done_on = Some(done_on);
        done.job_searching = yes_no(input.job_searching);
        done.in_education = yes_no(input.in_education);
        done.gained_qualification = yes_no(input.gained_qualification);
        done.employed = yes_no(input.employed);
        done.improved_situation = yes_no(input.improved_situation);
        done.social_assistance = yes_no(input.social_assistance);
        done.recorded_by = Some(actor.user_id);
        done.recorded_at = Some(self.now());
        if !tx.complete_follow_up(&done).await? {
            let err = AppError::Conflict(Text::new(
                "Uppföljningen är redan gjord.",
                "The follow-up has already been made.",
            ));
            return reject(tx, err).await;
        }
        self.commit(tx).await?;
        Ok(view(&done, self.today()))
    }
}
