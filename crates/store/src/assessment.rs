//! Assessments and their item scores: personal data, reachable only through [`Audited`].

use crate::{Audited, Result, exec, fetch_all};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AssessmentRow {
    pub org_id: Uuid,
    pub id: Uuid,
    pub participant_id: Uuid,
    pub instrument_key: String,
    pub instrument_version: i32,
    pub assessed_on: Date,
    /// `self` or `staff`.
    pub rater: String,
    pub rater_org_id: Option<Uuid>,
    pub created_at: OffsetDateTime,
    pub created_by: Option<Uuid>,
}

impl std::fmt::Debug for AssessmentRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AssessmentRow")
            .field("id", &self.id)
            .field("participant_id", &self.participant_id)
            .finish_non_exhaustive()
    }
}

/// One item's score in one assessment.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ScoreRow {
    pub assessment_id: Uuid,
    pub item_key: String,
    pub value: i32,
}

impl std::fmt::Debug for ScoreRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScoreRow")
            .field("assessment_id", &self.assessment_id)
            .finish_non_exhaustive()
    }
}

impl Audited {
    pub async fn insert_assessment(
        &mut self,
        a: &AssessmentRow,
        scores: &[(String, u8)],
    ) -> Result<()> {
        exec!(
            &mut self.tx,
            "INSERT INTO assessments (org_id, id, participant_id, instrument_key, instrument_version,
                assessed_on, rater, rater_org_id, created_at, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            a.org_id,
            a.id,
            a.participant_id,
            &a.instrument_key,
            a.instrument_version,
            a.assessed_on,
            &a.rater,
            a.rater_org_id,
            a.created_at,
            a.created_by,
        )?;
        for (item, value) in scores {
            exec!(
                &mut self.tx,
                "INSERT INTO assessment_scores (org_id, assessment_id, item_key, value) VALUES ($1, $2, $3, $4)",
                a.org_id,
                a.id,
                item,
                i32::from(*value),
            )?;
        }
        Ok(())
    }

    /// A participant's assessments, oldest first.
    pub async fn assessments_of(&mut self, participant_id: Uuid) -> Result<Vec<AssessmentRow>> {
        Ok(fetch_all!(
            &mut self.tx,
            AssessmentRow,
            "SELECT org_id, id, participant_id, instrument_key, instrument_version, assessed_on, rater,
                    rater_org_id, created_at, created_by
             FROM assessments WHERE participant_id = $1 ORDER BY assessed_on, created_at, id",
            participant_id
        )?)
    }

    /// Every score of a participant's assessments.
    pub async fn scores_of(&mut self, participant_id: Uuid) -> Result<Vec<ScoreRow>> {
        Ok(fetch_all!(
            &mut self.tx,
            ScoreRow,
            "SELECT s.assessment_id, s.item_key, s.value
             FROM assessment_scores s JOIN assessments a ON a.org_id = s.org_id AND a.id = s.assessment_id
             WHERE a.participant_id = $1 ORDER BY s.assessment_id, s.item_key",
            participant_id
        )?)
    }
}
