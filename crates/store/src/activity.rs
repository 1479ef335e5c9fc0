//! Activities (a project's catalogue) and attendance (personal data, only through [`Audited`]).

use crate::{Audited, Result, Tx, exec, fetch_all, fetch_optional, fetch_scalar};
use stegvis_domain::attendance::{AbsenceReason, ActivityKind};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ActivityRow {
    pub id: Uuid,
    pub project_id: Uuid,
    pub kind: ActivityKind,
    pub name: String,
    pub created_at: OffsetDateTime,
}

#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AttendanceRow {
    pub org_id: Uuid,
    pub id: Uuid,
    pub participant_id: Uuid,
    pub activity_id: Uuid,
    pub attended_on: Date,
    pub minutes: i32,
    pub absence_reason: Option<AbsenceReason>,
    pub recorded_at: OffsetDateTime,
    pub recorded_by: Option<Uuid>,
}

impl std::fmt::Debug for AttendanceRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // An absence reason can be health data ("sick"): ids only.
        f.debug_struct("AttendanceRow")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl Tx {
    pub async fn insert_activity(&mut self, a: &ActivityRow) -> Result<()> {
        exec!(
            self,
            "INSERT INTO activities (id, project_id, kind, name, created_at) VALUES ($1, $2, $3, $4, $5)",
            a.id,
            a.project_id,
            a.kind.code(),
            &a.name,
            a.created_at
        )?;
        Ok(())
    }

    pub async fn activity(&mut self, id: Uuid) -> Result<Option<ActivityRow>> {
        Ok(fetch_optional!(
            self,
            ActivityRow,
            "SELECT id, project_id, kind, name, created_at FROM activities WHERE id = $1",
            id
        )?)
    }

    pub async fn activities_of(&mut self, project_id: Uuid) -> Result<Vec<ActivityRow>> {
        Ok(fetch_all!(
            self,
            ActivityRow,
            "SELECT id, project_id, kind, name, created_at FROM activities WHERE project_id = $1 ORDER BY name, id",
            project_id
        )?)
    }
}

impl Audited {
    pub async fn insert_attendance(&mut self, a: &AttendanceRow) -> Result<()> {
        exec!(
            &mut self.tx,
            "INSERT INTO attendance (org_id, id, participant_id, activity_id, attended_on, minutes,
                absence_reason, recorded_at, recorded_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            a.org_id,
            a.id,
            a.participant_id,
            a.activity_id,
            a.attended_on,
            a.minutes,
            a.absence_reason.map(AbsenceReason::code),
            a.recorded_at,
            a.recorded_by,
        )?;
        Ok(())
    }

    /// Minutes already recorded for a participant on a day, over all activities.
    pub async fn minutes_on(&mut self, participant_id: Uuid, day: Date) -> Result<i64> {
        Ok(fetch_scalar!(
            &mut self.tx,
            i64,
            "SELECT COALESCE(SUM(minutes), 0) FROM attendance WHERE participant_id = $1 AND attended_on = $2",
            participant_id,
            day
        )?)
    }

    /// A participant's attendance between two dates, inclusive, in one project's activities.
    pub async fn attendance_between(
        &mut self,
        participant_id: Uuid,
        project_id: Uuid,
        from: Date,
        to: Date,
    ) -> Result<Vec<AttendanceRow>> {
        Ok(fetch_all!(
            &mut self.tx,
            AttendanceRow,
            "SELECT t.org_id, t.id, t.participant_id, t.activity_id, t.attended_on, t.minutes, t.absence_reason,
                    t.recorded_at, t.recorded_by
             FROM attendance t JOIN activities a ON a.id = t.activity_id
             WHERE t.participant_id = $1 AND a.project_id = $2 AND t.attended_on >= $3 AND t.attended_on <= $4
             ORDER BY t.attended_on, t.id",
            participant_id,
            project_id,
            from,
            to
        )?)
    }

    /// Whether this participant already has a line for this activity and day.
    pub async fn attendance_exists(
        &mut self,
        participant_id: Uuid,
        activity_id: Uuid,
        day: Date,
    ) -> Result<bool> {
        let n = fetch_scalar!(
            &mut self.tx,
            i64,
            "SELECT COUNT(*) FROM attendance WHERE participant_id = $1 AND activity_id = $2 AND attended_on = $3",
            participant_id,
            activity_id,
            day
        )?;
        Ok(n > 0)
    }

    /// Serialises concurrent writes about these participants. SQLite's `BEGIN IMMEDIATE`
    /// already does; PostgreSQL's READ COMMITTED needs row locks, so that a check such as
    /// "at most 24 hours a day" cannot be passed by two writers at once. Locked in id order,
    /// so two groups never deadlock.
    pub async fn lock_participants(&mut self, ids: &[Uuid]) -> Result<()> {
        if let crate::Tx::Postgres(t) = &mut self.tx {
            let mut sorted = ids.to_vec();
            sorted.sort();
            for id in sorted {
                sqlx::query("SELECT id FROM participants WHERE id = $1 FOR UPDATE")
                    .bind(id)
                    .fetch_optional(&mut **t)
                    .await?;
            }
        }
        Ok(())
    }
}

/// A participant enrolled in a project on a given day, for the attendance form.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RosterRow {
    pub participant_id: Uuid,
    pub given_name: String,
    pub family_name: String,
}

impl std::fmt::Debug for RosterRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RosterRow")
            .field("participant_id", &self.participant_id)
            .finish_non_exhaustive()
    }
}

impl Audited {
    /// Participants of `org_id` enrolled in the project on `day`, by name.
    pub async fn project_roster(
        &mut self,
        org_id: Uuid,
        project_id: Uuid,
        day: Date,
    ) -> Result<Vec<RosterRow>> {
        Ok(fetch_all!(
            &mut self.tx,
            RosterRow,
            "SELECT p.id AS participant_id, p.given_name, p.family_name
             FROM enrolments e JOIN participants p ON p.org_id = e.org_id AND p.id = e.participant_id
             WHERE e.org_id = $1 AND e.project_id = $2 AND e.enrolled_on <= $3
               AND (e.exited_on IS NULL OR e.exited_on >= $3)
             ORDER BY p.family_name, p.given_name, p.id
             LIMIT 500",
            org_id,
            project_id,
            day
        )?)
    }
}

/// One attendance line in a project's month, with the participant's name for the report.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ProjectAttendanceRow {
    pub participant_id: Uuid,
    pub given_name: String,
    pub family_name: String,
    pub attended_on: Date,
    pub minutes: i32,
    pub absence_reason: Option<AbsenceReason>,
}

impl std::fmt::Debug for ProjectAttendanceRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProjectAttendanceRow")
            .field("participant_id", &self.participant_id)
            .finish_non_exhaustive()
    }
}

impl Audited {
    /// Attendance of `org_id`'s participants in the project's activities between two dates,
    /// inclusive, by participant name and day.
    pub async fn project_attendance_between(
        &mut self,
        org_id: Uuid,
        project_id: Uuid,
        from: Date,
        to: Date,
    ) -> Result<Vec<ProjectAttendanceRow>> {
        Ok(fetch_all!(
            &mut self.tx,
            ProjectAttendanceRow,
            "SELECT t.participant_id, p.given_name, p.family_name, t.attended_on, t.minutes, t.absence_reason
             FROM attendance t
             JOIN activities a ON a.id = t.activity_id
             JOIN participants p ON p.org_id = t.org_id AND p.id = t.participant_id
             WHERE t.org_id = $1 AND a.project_id = $2 AND t.attended_on >= $3 AND t.attended_on <= $4
             ORDER BY p.family_name, p.given_name, t.participant_id, t.attended_on, t.id",
            org_id,
            project_id,
            from,
            to
        )?)
    }
}
