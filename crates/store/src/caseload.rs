//! A coach's caseload: the enrolments they are responsible for, with what needs doing next.
//! Personal data, reachable only through [`Audited`].

use crate::enrolment::EnrolmentRow;
use crate::{Audited, Result, fetch_all};
use time::Date;
use uuid::Uuid;

/// Whose caseload: one coach's, or the organisation's enrolments that have no coach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseloadOf {
    Coach(Uuid),
    Unassigned,
}

/// One enrolment on the caseload, with the facts the morning overview shows.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CaseloadRow {
    pub enrolment_id: Uuid,
    pub participant_id: Uuid,
    pub given_name: String,
    pub family_name: String,
    pub project_name: String,
    pub enrolled_on: Date,
    pub exited_on: Option<Date>,
    /// The open plan step due first (undated steps last).
    pub next_step: Option<String>,
    pub next_step_due: Option<Date>,
    pub overdue_follow_ups: i64,
    pub next_follow_up: Option<Date>,
    /// Last day with attended time in the project's activities.
    pub last_attended: Option<Date>,
    /// Attended minutes since the `since` day of the query.
    pub recent_minutes: i64,
    /// The enrolment in full, for what the overview derives (missing baseline answers).
    #[sqlx(flatten)]
    pub enrolment: EnrolmentRow,
}

impl std::fmt::Debug for CaseloadRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaseloadRow")
            .field("enrolment_id", &self.enrolment_id)
            .finish_non_exhaustive()
    }
}

/// Most rows a caseload shows (the earliest enrolled first); a caseload bigger than this is a
/// staffing question.
pub const MAX_CASELOAD: i64 = 500;

/// Which enrolments are on the caseload: `$1` is the organisation, `$2` the day by which an
/// ended enrolment's open follow-up must fall due to keep it on the list, `$5` the coach.
/// One text per case, without `$n IS NULL OR …`, so that the planner walks
/// `enrolments_caseload (org_id, coach_id)` and never the whole organisation.
///
/// The follow-up test is a per-row lookup in `follow_ups_open (enrolment_id, due_on)`. On
/// PostgreSQL, once it expects a few thousand enrolments (a big unassigned list), the planner
/// would rather hash an `EXISTS` as `id IN (every open follow-up due by $2)`: a scan of the
/// whole installation's follow-ups. `OFFSET 0` keeps it from rewriting the subquery that way
/// (`LIMIT 1` too is needed by SQLite's syntax, and changes nothing in an `EXISTS`).
pub(crate) fn caseload_filter(of: CaseloadOf) -> &'static str {
    match of {
        CaseloadOf::Coach(_) => {
            "e.org_id = $1 AND e.coach_id = $5
            AND (e.exited_on IS NULL OR EXISTS (
                SELECT 1 FROM follow_ups f
                WHERE f.enrolment_id = e.id AND f.done_on IS NULL AND f.due_on <= $2
                LIMIT 1 OFFSET 0))"
        }
        CaseloadOf::Unassigned => {
            "e.org_id = $1 AND e.coach_id IS NULL
            AND (e.exited_on IS NULL OR EXISTS (
                SELECT 1 FROM follow_ups f
                WHERE f.enrolment_id = e.id AND f.done_on IS NULL AND f.due_on <= $2
                LIMIT 1 OFFSET 0))"
        }
    }
}

/// The caseload's SQL: `$3` is today (what is overdue), `$4` the first day of recent
/// attendance. The follow-up subqueries read the open follow-ups of one enrolment
/// (`follow_ups_open`; an enrolment id belongs to one organisation), the last attended day is
/// the first entry of `attendance_recent` walked backwards.
pub(crate) fn caseload_sql(of: CaseloadOf) -> String {
    let filter = caseload_filter(of);
    let columns = crate::enrolment::COLUMNS
        .split(',')
        .map(|c| format!("e.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    let open_steps = "FROM plan_steps s
        WHERE s.org_id = e.org_id AND s.participant_id = e.participant_id
          AND s.status IN ('planned', 'in_progress')
        ORDER BY s.due_on IS NULL, s.due_on, s.created_at, s.id LIMIT 1";
    let attended = "FROM attendance t JOIN activities a ON a.id = t.activity_id
        WHERE t.participant_id = e.participant_id AND t.org_id = e.org_id
          AND a.project_id = e.project_id AND t.minutes > 0";
    format!(
        "SELECT {columns}, e.id AS enrolment_id, p.given_name, p.family_name,
            pr.name AS project_name,
            (SELECT s.step {open_steps}) AS next_step,
            (SELECT s.due_on {open_steps}) AS next_step_due,
            (SELECT COUNT(*) FROM follow_ups f
                WHERE f.enrolment_id = e.id AND f.done_on IS NULL AND f.due_on < $3)
                AS overdue_follow_ups,
            (SELECT MIN(f.due_on) FROM follow_ups f
                WHERE f.enrolment_id = e.id AND f.done_on IS NULL) AS next_follow_up,
            (SELECT t.attended_on {attended} ORDER BY t.attended_on DESC LIMIT 1) AS last_attended,
            (SELECT COALESCE(SUM(t.minutes), 0) {attended} AND t.attended_on >= $4)
                AS recent_minutes
         FROM enrolments e
         JOIN participants p ON p.org_id = e.org_id AND p.id = e.participant_id
         JOIN projects pr ON pr.id = e.project_id
         WHERE e.id IN (SELECT e.id FROM enrolments e WHERE {filter}
                        ORDER BY e.enrolled_on, e.id LIMIT {MAX_CASELOAD})
         ORDER BY p.family_name, p.given_name, e.id"
    )
}

impl Audited {
    /// The caseload's enrolments (in full, for what the overview derives) with their next step,
    /// follow-ups and recent attendance. `today` decides what is overdue; attendance is summed
    /// from `since`.
    pub async fn caseload(
        &mut self,
        org_id: Uuid,
        of: CaseloadOf,
        follow_ups_due_by: Date,
        today: Date,
        since: Date,
    ) -> Result<Vec<CaseloadRow>> {
        let sql = sqlx::AssertSqlSafe(caseload_sql(of));
        Ok(match of {
            CaseloadOf::Coach(coach) => fetch_all!(
                &mut self.tx,
                CaseloadRow,
                sql,
                org_id,
                follow_ups_due_by,
                today,
                since,
                coach
            )?,
            CaseloadOf::Unassigned => fetch_all!(
                &mut self.tx,
                CaseloadRow,
                sql,
                org_id,
                follow_ups_due_by,
                today,
                since
            )?,
        })
    }
}
