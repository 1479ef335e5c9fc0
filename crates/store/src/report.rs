//! What the funder's reports are computed from: one row per enrolment in a project, with its
//! placements, follow-ups and attendance (personal data, through [`Audited`]); and the
//! project's goals (not personal data).

use crate::enrolment::EnrolmentRow;
use crate::follow_up::FollowUpRow;
use crate::{Audited, Result, Tx, exec, fetch_all};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// An enrolment with the person's gender and birth date.
#[derive(Clone, sqlx::FromRow)]
pub struct ReportEnrolment {
    #[sqlx(flatten)]
    pub enrolment: EnrolmentRow,
    pub gender: String,
    pub birth_date: Option<Date>,
    pub given_name: String,
    pub family_name: String,
    pub identity_mode: String,
    pub identity_enc: Option<Vec<u8>>,
}

/// A placement as the reports see it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReportPlacement {
    pub participant_id: Uuid,
    pub kind: String,
    pub status: String,
    pub offered_on: Date,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct GoalRow {
    pub id: Uuid,
    pub project_id: Uuid,
    pub name: String,
    pub definition: String,
    pub deadline: Option<Date>,
    pub position: i32,
    pub created_at: OffsetDateTime,
}

/// Everything one project's reports need, for the enrolments of `org_id` in it.
pub struct ReportData {
    pub enrolments: Vec<ReportEnrolment>,
    pub placements: Vec<ReportPlacement>,
    pub follow_ups: Vec<FollowUpRow>,
    /// (participant, attended minutes in the project's activities)
    pub minutes: Vec<(Uuid, i64)>,
}

impl Audited {
    pub async fn report_data(&mut self, project_id: Uuid, org_id: Uuid) -> Result<ReportData> {
        let enrolments = fetch_all!(
            &mut self.tx,
            ReportEnrolment,
            "SELECT e.org_id, e.id, e.participant_id, e.project_id, e.enrolled_on, e.labour_status,
                e.long_term_unemployed, e.months_without_work, e.in_education, e.isced_level,
                e.born_abroad, e.foreign_background, e.disability, e.homeless,
                e.jobless_household, e.dependent_children, e.single_adult_with_children,
                e.social_assistance, e.sick_leave, e.activity_compensation,
                e.registered_at_employment_service, e.exited_on, e.exit_status, e.coach_id,
                e.version, e.created_at, e.created_by, e.updated_at, p.gender, p.birth_date,
                p.given_name, p.family_name, p.identity_mode, p.identity_enc
             FROM enrolments e JOIN participants p ON p.id = e.participant_id
             WHERE e.project_id = $1 AND e.org_id = $2
             ORDER BY e.enrolled_on, e.id",
            project_id,
            org_id
        )?;
        let placements = fetch_all!(
            &mut self.tx,
            ReportPlacement,
            "SELECT pl.participant_id, pl.kind, pl.status, pl.offered_on FROM placements pl
             WHERE pl.org_id = $2 AND pl.participant_id IN
                (SELECT participant_id FROM enrolments WHERE project_id = $1 AND org_id = $2)",
            project_id,
            org_id
        )?;
        let follow_ups = fetch_all!(
            &mut self.tx,
            FollowUpRow,
            "SELECT f.org_id, f.id, f.enrolment_id, f.participant_id, f.kind, f.due_on, f.done_on,
                f.job_searching, f.in_education, f.gained_qualification, f.employed,
                f.improved_situation, f.social_assistance, f.recorded_by, f.recorded_at
             FROM follow_ups f JOIN enrolments e ON e.id = f.enrolment_id
             WHERE e.project_id = $1 AND e.org_id = $2",
            project_id,
            org_id
        )?;
        let minutes = fetch_all!(
            &mut self.tx,
            (Uuid, i64),
            "SELECT a.participant_id, CAST(SUM(a.minutes) AS BIGINT) FROM attendance a
             JOIN activities act ON act.id = a.activity_id
             WHERE act.project_id = $1 AND a.org_id = $2
             GROUP BY a.participant_id",
            project_id,
            org_id
        )?;
        Ok(ReportData {
            enrolments,
            placements,
            follow_ups,
            minutes,
        })
    }
}

impl Tx {
    pub async fn goals_of(&mut self, project_id: Uuid) -> Result<Vec<GoalRow>> {
        Ok(fetch_all!(
            self,
            GoalRow,
            "SELECT id, project_id, name, definition, deadline, position, created_at FROM goals
             WHERE project_id = $1 ORDER BY position, id",
            project_id
        )?)
    }

    /// Adds a goal unless the project has one of that name; true if added.
    pub async fn insert_goal(&mut self, g: &GoalRow) -> Result<bool> {
        let n = exec!(
            self,
            "INSERT INTO goals (id, project_id, name, definition, deadline, position, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
            g.id,
            g.project_id,
            &g.name,
            &g.definition,
            g.deadline,
            g.position,
            g.created_at
        )?;
        Ok(n == 1)
    }
}
