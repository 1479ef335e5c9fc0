//! The project's monthly time report: one line per participant with whole hours (the ESF rule:
//! each participant's month rounded down), the figures the funder's time certificates need.

use crate::activities::parse_month;
use crate::error::Text;
use crate::policy::{Action, Function, RecordKind};
use crate::{Actor, App, AppError, Result};
use serde::Serialize;
use stegvis_domain::attendance::{AttendanceEntry, Minutes, monthly_report};
use time::Date;
use utoipa::ToSchema;
use uuid::Uuid;

/// One participant's month.
#[derive(Clone, Serialize, ToSchema)]
pub struct ParticipantHours {
    pub participant_id: Uuid,
    pub participant_name: String,
    pub attended_minutes: u64,
    /// Whole hours, rounded down from the month's total.
    pub whole_hours: u64,
    pub days_attended: u32,
    pub absences: u32,
}

impl std::fmt::Debug for ParticipantHours {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParticipantHours")
            .field("participant_id", &self.participant_id)
            .finish_non_exhaustive()
    }
}

/// A project's month, for the caller's organisation's participants.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProjectTimeReport {
    pub project_id: Uuid,
    pub project_name: String,
    /// `YYYY-MM`.
    #[schema(pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$")]
    pub month: String,
    pub participants: Vec<ParticipantHours>,
    /// The sum of the participants' whole hours (not the month's minutes rounded once).
    pub total_whole_hours: u64,
    pub total_minutes: u64,
}

fn month_error() -> AppError {
    AppError::field(
        "month",
        Text::new(
            "Skriv månaden som ÅÅÅÅ-MM, till exempel 2026-03.",
            "Write the month as YYYY-MM, for example 2026-03.",
        ),
    )
}

impl App {
    /// The month's hours per participant in one of the caller's organisation's projects.
    pub async fn project_time_report(
        &self,
        actor: &Actor,
        project_id: Uuid,
        month: &str,
    ) -> Result<ProjectTimeReport> {
        let project = self.project(actor, project_id).await?;
        self.check_project(actor, project_id, Function::ProjectReports, Action::Read)
            .await?;
        let (year, m) = parse_month(month).ok_or_else(month_error)?;
        let first = Date::from_calendar_date(year, m, 1).map_err(|_| month_error())?;
        let last = Date::from_calendar_date(year, m, m.length(year)).map_err(|_| month_error())?;
        let label = format!("{year:04}-{:02}", m as u8);
        let (mut tx, org) = self
            .open_organisation_records(
                actor,
                RecordKind::Attendance,
                format!("time report {project_id} {label}"),
            )
            .await?;
        let rows = tx
            .project_attendance_between(org, project_id, first, last)
            .await?;
        self.commit(tx).await?;
        // Rows come ordered by participant: summarise each run of one participant's lines.
        let mut participants = Vec::new();
        let mut start = 0;
        while start < rows.len() {
            let id = rows[start].participant_id;
            let end = rows[start..]
                .iter()
                .position(|r| r.participant_id != id)
                .map_or(rows.len(), |n| start + n);
            let entries: Vec<AttendanceEntry> = rows[start..end]
                .iter()
                .map(|r| AttendanceEntry {
                    date: r.attended_on,
                    minutes: Minutes::new(r.minutes.max(0) as u32).unwrap_or(Minutes::ZERO),
                    absence: r.absence_reason,
                })
                .collect();
            let hours = monthly_report(&entries, (year, m));
            participants.push(ParticipantHours {
                participant_id: id,
                participant_name: format!("{} {}", rows[start].given_name, rows[start].family_name),
                attended_minutes: hours.attended_minutes,
                whole_hours: hours.whole_hours,
                days_attended: hours.days_attended,
                absences: hours.absences,
            });
            start = end;
        }
        Ok(ProjectTimeReport {
            project_id,
            project_name: project.facts.name,
            month: label,
            total_whole_hours: participants.iter().map(|p| p.whole_hours).sum(),
            total_minutes: participants.iter().map(|p| p.attended_minutes).sum(),
            participants,
        })
    }
}
