//! Follow-ups after exit: personal data, reachable only through [`Audited`].

use crate::participant::Visibility;
use crate::{Audited, Result, Store, exec, fetch_all, fetch_optional};
use stegvis_domain::follow_up::FollowUpKind;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FollowUpRow {
    pub org_id: Uuid,
    pub id: Uuid,
    pub enrolment_id: Uuid,
    pub participant_id: Uuid,
    pub kind: FollowUpKind,
    pub due_on: Date,
    pub done_on: Option<Date>,
    pub job_searching: Option<String>,
    pub in_education: Option<String>,
    pub gained_qualification: Option<String>,
    pub employed: Option<String>,
    pub improved_situation: Option<String>,
    /// Still receiving social assistance: `yes` or `no` (not an ESF question; optional).
    pub social_assistance: Option<String>,
    pub recorded_by: Option<Uuid>,
    pub recorded_at: Option<OffsetDateTime>,
}

/// A follow-up still to do, with what the coach needs to see to act on it.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DueFollowUp {
    pub id: Uuid,
    pub participant_id: Uuid,
    pub given_name: String,
    pub family_name: String,
    pub project_name: String,
    pub kind: FollowUpKind,
    pub due_on: Date,
}

impl std::fmt::Debug for DueFollowUp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DueFollowUp")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

const SELECT: &str =
    "SELECT org_id, id, enrolment_id, participant_id, kind, due_on, done_on, job_searching,
        in_education, gained_qualification, employed, improved_situation, social_assistance,
        recorded_by, recorded_at
    FROM follow_ups";

impl Store {
    /// Controlling organisation and participant of a follow-up id, for the gate's decision.
    pub async fn follow_up_owner(&self, id: Uuid) -> Result<Option<(Uuid, Uuid)>> {
        let mut tx = self.begin_read().await?;
        let row = fetch_optional!(
            &mut tx,
            (Uuid, Uuid),
            "SELECT org_id, participant_id FROM follow_ups WHERE id = $1",
            id
        )?;
        tx.commit().await?;
        Ok(row)
    }
}

impl Audited {
    pub async fn insert_follow_up(&mut self, f: &FollowUpRow) -> Result<()> {
        exec!(
            &mut self.tx,
            "INSERT INTO follow_ups (org_id, id, enrolment_id, participant_id, kind, due_on, done_on,
                job_searching, in_education, gained_qualification, employed, improved_situation,
                social_assistance, recorded_by, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
            f.org_id,
            f.id,
            f.enrolment_id,
            f.participant_id,
            f.kind.code(),
            f.due_on,
            f.done_on,
            &f.job_searching,
            &f.in_education,
            &f.gained_qualification,
            &f.employed,
            &f.improved_situation,
            &f.social_assistance,
            f.recorded_by,
            f.recorded_at,
        )?;
        Ok(())
    }

    pub async fn follow_up(&mut self, id: Uuid) -> Result<Option<FollowUpRow>> {
        let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE id = $1"));
        Ok(fetch_optional!(&mut self.tx, FollowUpRow, sql, id)?)
    }

    pub async fn follow_ups_of(&mut self, participant_id: Uuid) -> Result<Vec<FollowUpRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE participant_id = $1 ORDER BY due_on, kind"
        ));
        Ok(fetch_all!(&mut self.tx, FollowUpRow, sql, participant_id)?)
    }

    /// Records the result of a follow-up that is not yet done; false if it was done meanwhile.
    pub async fn complete_follow_up(&mut self, f: &FollowUpRow) -> Result<bool> {
        let n = exec!(
            &mut self.tx,
            "UPDATE follow_ups SET done_on = $1, job_searching = $2, in_education = $3,
                gained_qualification = $4, employed = $5, improved_situation = $6, recorded_by = $7,
                recorded_at = $8, social_assistance = $11
             WHERE org_id = $9 AND id = $10 AND done_on IS NULL",
            f.done_on,
            &f.job_searching,
            &f.in_education,
            &f.gained_qualification,
            &f.employed,
            &f.improved_situation,
            f.recorded_by,
            f.recorded_at,
            f.org_id,
            f.id,
            &f.social_assistance,
        )?;
        Ok(n == 1)
    }

    /// One page of the follow-ups not yet done and due on or before `due_by`, among the visible
    /// participants, in the list's order (`due_on, family_name, id`), at most `limit`, after the
    /// follow-up `after`. One text per visibility, so that the organisation's list walks
    /// `follow_ups_open_org` (only its open follow-ups that are due) and a participant's walks
    /// their own, from the cursor on.
    pub async fn due_follow_ups(
        &mut self,
        visibility: Visibility,
        due_by: Date,
        limit: i64,
        after: Option<Uuid>,
    ) -> Result<Vec<DueFollowUp>> {
        let Some((of, who)) = due_of(visibility) else {
            return Ok(Vec::new());
        };
        Ok(match after {
            None => {
                let sql = sqlx::AssertSqlSafe(due_follow_ups_sql(of, DuePage::First));
                fetch_all!(&mut self.tx, DueFollowUp, sql, due_by, who, limit)?
            }
            Some(a) => {
                let sql = sqlx::AssertSqlSafe(due_follow_ups_sql(of, DuePage::After));
                fetch_all!(&mut self.tx, DueFollowUp, sql, due_by, who, limit, a)?
            }
        })
    }

    /// One follow-up of the due list, wherever it falls in the list's pages.
    pub async fn due_follow_up(
        &mut self,
        visibility: Visibility,
        due_by: Date,
        id: Uuid,
    ) -> Result<Option<DueFollowUp>> {
        let Some((of, who)) = due_of(visibility) else {
            return Ok(None);
        };
        let sql = sqlx::AssertSqlSafe(due_follow_ups_sql(of, DuePage::One));
        Ok(fetch_optional!(
            &mut self.tx,
            DueFollowUp,
            sql,
            due_by,
            who,
            id
        )?)
    }

    /// Whether `id` can be a cursor in the due list: a follow-up of the visible participants
    /// (done since or not: it still marks a place in the order).
    pub async fn follow_up_cursor_known(
        &mut self,
        visibility: Visibility,
        id: Uuid,
    ) -> Result<bool> {
        let Some((of, who)) = due_of(visibility) else {
            return Ok(false);
        };
        let sql = match of {
            DueOf::Organisation => "SELECT id FROM follow_ups WHERE id = $1 AND org_id = $2",
            DueOf::Participant => "SELECT id FROM follow_ups WHERE id = $1 AND participant_id = $2",
        };
        let row = fetch_optional!(&mut self.tx, (Uuid,), sql, id, who)?;
        Ok(row.is_some())
    }
}

fn due_of(visibility: Visibility) -> Option<(DueOf, Uuid)> {
    match visibility {
        Visibility::Organisation(org) => Some((DueOf::Organisation, org)),
        Visibility::Participant(id) => Some((DueOf::Participant, id)),
        Visibility::Nothing | Visibility::Consented { .. } => None,
    }
}

/// Whose follow-ups are due: an organisation's (`$2`) or one participant's (`$2`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum DueOf {
    Organisation,
    Participant,
}

/// Which part of the due list: the first page (`$3` rows), the page after the follow-up `$4`
/// (`$3` rows), or the one follow-up `$3`.
#[derive(Debug, Clone, Copy)]
pub(crate) enum DuePage {
    First,
    After,
    One,
}

pub(crate) fn due_follow_ups_sql(of: DueOf, page: DuePage) -> String {
    let who = match of {
        DueOf::Organisation => "f.org_id = $2",
        DueOf::Participant => "f.participant_id = $2",
    };
    // The cursor's sort key is read from its row, so no name travels in a URL. The
    // organisation's list also starts its index range at the cursor's date; a participant's own
    // list is short, and that range would draw the planner to the organisation's index.
    let from = match of {
        DueOf::Organisation => {
            "AND f.due_on >= (SELECT fk.due_on FROM follow_ups fk WHERE fk.id = $4)"
        }
        DueOf::Participant => "",
    };
    let rest = match page {
        DuePage::First => "ORDER BY f.due_on, p.family_name, f.id LIMIT $3".to_owned(),
        DuePage::After => format!(
            "{from}
             AND (f.due_on, p.family_name, f.id) > (
                SELECT fk.due_on, fkp.family_name, fk.id FROM follow_ups fk
                JOIN participants fkp ON fkp.org_id = fk.org_id AND fkp.id = fk.participant_id
                WHERE fk.id = $4)
             ORDER BY f.due_on, p.family_name, f.id LIMIT $3"
        ),
        DuePage::One => "AND f.id = $3".to_owned(),
    };
    format!(
        "SELECT f.id, f.participant_id, p.given_name, p.family_name, pr.name AS project_name, f.kind, f.due_on
         FROM follow_ups f
         JOIN participants p ON p.org_id = f.org_id AND p.id = f.participant_id
         JOIN enrolments e ON e.org_id = f.org_id AND e.id = f.enrolment_id
         JOIN projects pr ON pr.id = e.project_id
         WHERE {who} AND f.done_on IS NULL AND f.due_on <= $1
         {rest}"
    )
}
