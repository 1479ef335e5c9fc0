//! Plan steps: personal data, reachable only through [`Audited`].

use crate::{Audited, Result, Store, exec, fetch_all, fetch_optional};
use stegvis_domain::plan::{StepOwner, StepStatus};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

#[derive(Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct PlanStepRow {
    pub org_id: Uuid,
    pub id: Uuid,
    pub participant_id: Uuid,
    pub goal: String,
    pub step: String,
    pub owner: StepOwner,
    pub due_on: Option<Date>,
    pub status: StepStatus,
    pub participant_words: Option<String>,
    pub staff_note: Option<String>,
    pub version: i64,
    pub created_at: OffsetDateTime,
    pub created_by: Option<Uuid>,
    pub updated_at: OffsetDateTime,
}

impl std::fmt::Debug for PlanStepRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlanStepRow")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

const SELECT: &str =
    "SELECT org_id, id, participant_id, goal, step, owner, due_on, status, participant_words,
        staff_note, version, created_at, created_by, updated_at
    FROM plan_steps";

impl Store {
    /// Participant of a plan step id, for the gate's decision.
    pub async fn plan_step_participant(&self, id: Uuid) -> Result<Option<Uuid>> {
        let mut tx = self.begin_read().await?;
        let row = fetch_optional!(
            &mut tx,
            (Uuid,),
            "SELECT participant_id FROM plan_steps WHERE id = $1",
            id
        )?;
        tx.commit().await?;
        Ok(row.map(|(p,)| p))
    }
}

impl Audited {
    pub async fn insert_plan_step(&mut self, p: &PlanStepRow) -> Result<()> {
        exec!(
            &mut self.tx,
            "INSERT INTO plan_steps (org_id, id, participant_id, goal, step, owner, due_on, status,
                participant_words, staff_note, version, created_at, created_by, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            p.org_id,
            p.id,
            p.participant_id,
            &p.goal,
            &p.step,
            p.owner.code(),
            p.due_on,
            p.status.code(),
            &p.participant_words,
            &p.staff_note,
            p.version,
            p.created_at,
            p.created_by,
            p.updated_at,
        )?;
        Ok(())
    }

    pub async fn plan_step(&mut self, id: Uuid) -> Result<Option<PlanStepRow>> {
        let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE id = $1"));
        Ok(fetch_optional!(&mut self.tx, PlanStepRow, sql, id)?)
    }

    pub async fn plan_of(&mut self, participant_id: Uuid) -> Result<Vec<PlanStepRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE participant_id = $1 ORDER BY created_at, id"
        ));
        Ok(fetch_all!(&mut self.tx, PlanStepRow, sql, participant_id)?)
    }

    /// Saves a step read at `p.version`; `Stale` if someone changed it meanwhile.
    pub async fn update_plan_step(&mut self, p: &PlanStepRow) -> Result<()> {
        let n = exec!(
            &mut self.tx,
            "UPDATE plan_steps SET goal = $1, step = $2, owner = $3, due_on = $4, status = $5,
                participant_words = $6, staff_note = $7, updated_at = $8, version = version + 1
             WHERE org_id = $9 AND id = $10 AND version = $11",
            &p.goal,
            &p.step,
            p.owner.code(),
            p.due_on,
            p.status.code(),
            &p.participant_words,
            &p.staff_note,
            p.updated_at,
            p.org_id,
            p.id,
            p.version,
        )?;
        if n == 0 {
            return Err(crate::StoreError::Stale);
        }
        Ok(())
    }
}
