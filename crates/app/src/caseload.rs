//! The coach's caseload: the page a coach opens every morning. Their participants with the next
//! plan step, missing baseline answers, overdue follow-ups and recent attendance.

use crate::policy::Request;
use crate::{Actor, App, Result};
use serde::Serialize;
use stegvis_store::caseload::CaseloadOf;
use time::{Date, Duration};
use utoipa::ToSchema;
use uuid::Uuid;

/// How far back "recent attendance" looks.
pub const RECENT_DAYS: i64 = 30;
/// Ended enrolments stay on the caseload while a follow-up falls due within this many days.
pub const FOLLOW_UP_HORIZON_DAYS: i64 = 14;

/// One participant on the caseload.
#[derive(Clone, Serialize, ToSchema)]
pub struct CaseloadEntry {
    pub enrolment_id: Uuid,
    pub participant_id: Uuid,
    pub participant_name: String,
    pub project_name: String,
    pub enrolled_on: Date,
    pub exited_on: Option<Date>,
    /// The open plan step due first.
    pub next_step: Option<String>,
    pub next_step_due: Option<Date>,
    pub next_step_overdue: bool,
    /// Baseline questions the funder still needs answered.
    pub missing_answers: usize,
    pub overdue_follow_ups: i64,
    pub next_follow_up: Option<Date>,
    pub last_attended: Option<Date>,
    /// Attended time in the last 30 days, in minutes.
    pub recent_minutes: i64,
    /// Running, but no attended time in the last 30 days: worth a call.
    pub quiet: bool,
}

impl std::fmt::Debug for CaseloadEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaseloadEntry")
            .field("enrolment_id", &self.enrolment_id)
            .finish_non_exhaustive()
    }
}

/// A caseload with the counts its summary shows.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Caseload {
    /// Whose caseload: the coach's name, or none for the unassigned list.
    pub coach_name: Option<String>,
    pub entries: Vec<CaseloadEntry>,
    pub with_missing_answers: usize,
    pub with_overdue_follow_ups: usize,
    pub with_overdue_steps: usize,
    pub quiet: usize,
    /// The list stopped at its limit (the earliest enrolled are shown): more are not listed.
    pub truncated: bool,
}

/// Someone who can be responsible for participants.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CoachRef {
    pub id: Uuid,
    pub name: String,
}

impl App {
    /// The caller's caseload, or (`unassigned`) their organisation's participants with no coach.
    pub async fn caseload(&self, actor: &Actor, unassigned: bool) -> Result<Caseload> {
        let (of, detail) = if unassigned {
            (CaseloadOf::Unassigned, "caseload unassigned")
        } else {
            (CaseloadOf::Coach(actor.user_id), "caseload")
        };
        let mut tx = self.open_caseload(actor, detail).await?;
        let org = actor.org_id;
        let today = self.today();
        let due_by = today + Duration::days(FOLLOW_UP_HORIZON_DAYS);
        let since = today - Duration::days(RECENT_DAYS - 1);
        let rows = tx.caseload(org, of, due_by, today, since).await?;
        self.commit(tx).await?;
        let entries: Vec<CaseloadEntry> = rows
            .into_iter()
            .map(|r| {
                let running = r.exited_on.is_none();
                CaseloadEntry {
                    missing_answers: r.enrolment.baseline().missing().len(),
                    next_step_overdue: r.next_step_due.is_some_and(|d| d < today),
                    quiet: running && r.recent_minutes == 0 && r.enrolled_on < since,
                    enrolment_id: r.enrolment_id,
                    participant_id: r.participant_id,
                    participant_name: format!("{} {}", r.given_name, r.family_name),
                    project_name: r.project_name,
                    enrolled_on: r.enrolled_on,
                    exited_on: r.exited_on,
                    next_step: r.next_step,
                    next_step_due: r.next_step_due,
                    overdue_follow_ups: r.overdue_follow_ups,
                    next_follow_up: r.next_follow_up,
                    last_attended: r.last_attended,
                    recent_minutes: r.recent_minutes,
                }
            })
            .collect();
        let count = |f: fn(&CaseloadEntry) -> bool| entries.iter().filter(|e| f(e)).count();
        Ok(Caseload {
            coach_name: (!unassigned).then(|| actor.name.clone()),
            with_missing_answers: count(|e| e.missing_answers > 0),
            with_overdue_follow_ups: count(|e| e.overdue_follow_ups > 0),
            with_overdue_steps: count(|e| e.next_step_overdue),
            quiet: count(|e| e.quiet),
            truncated: entries.len() as i64 >= stegvis_store::caseload::MAX_CASELOAD,
            entries,
        })
    }

    /// Staff of the caller's organisation who can be responsible for participants.
    pub async fn coaches(&self, actor: &Actor) -> Result<Vec<CoachRef>> {
        self.check(&Request::Caseload(actor)).await?;
        let mut tx = self.store.begin_read().await?;
        let rows = tx.users_of_org(actor.org_id).await?;
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .filter(crate::users::may_coach)
            .map(|u| CoachRef {
                id: u.id,
                name: u.name,
            })
            .collect())
    }
}
