//! Assessments and their item scores: personal data, reachable only through [`Audited`].

use crate::{Audited, Result, Store, exec, fetch_all, fetch_optional};
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

/// Who recorded a part of an assessment, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    pub org_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
    pub at: OffsetDateTime,
}

/// One item's score in one assessment.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ScoreRow {
    pub assessment_id: Uuid,
    pub item_key: String,
    pub value: i32,
    /// The organisation that rated the item (none for the participant's self-rating).
    pub rated_by_org_id: Option<Uuid>,
    pub rated_by_org_name: Option<String>,
}

impl std::fmt::Debug for ScoreRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScoreRow")
            .field("assessment_id", &self.assessment_id)
            .finish_non_exhaustive()
    }
}

const SELECT: &str = "SELECT org_id, id, participant_id, instrument_key, instrument_version,
        assessed_on, rater, rater_org_id, created_at, created_by
    FROM assessments";

impl Store {
    /// The participant an assessment is about, for the gate's decision.
    pub async fn assessment_participant(&self, id: Uuid) -> Result<Option<Uuid>> {
        let mut tx = self.begin_read().await?;
        let row = fetch_optional!(
            &mut tx,
            (Uuid,),
            "SELECT participant_id FROM assessments WHERE id = $1",
            id
        )?;
        tx.commit().await?;
        Ok(row.map(|r| r.0))
    }
}

impl Store {
    /// The organisations an assessment is opened to, for the gate's decision on a partner's part.
    pub async fn assessment_partners(&self, assessment_id: Uuid) -> Result<Vec<Uuid>> {
        let mut tx = self.begin_read().await?;
        let rows = fetch_all!(
            &mut tx,
            (Uuid,),
            "SELECT org_id FROM assessment_partners WHERE assessment_id = $1",
            assessment_id
        )?;
        tx.commit().await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }
}

impl Audited {
    /// Opens an assessment to a partner organisation (once; again is a no-op).
    pub async fn open_assessment_to(
        &mut self,
        assessment_id: Uuid,
        org_id: Uuid,
        by: Uuid,
        at: OffsetDateTime,
    ) -> Result<()> {
        exec!(
            &mut self.tx,
            "INSERT INTO assessment_partners (assessment_id, org_id, opened_by, opened_at)
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            assessment_id,
            org_id,
            by,
            at
        )?;
        Ok(())
    }

    /// (assessment, organisation) for every opening of a participant's assessments.
    pub async fn assessment_partners_of(
        &mut self,
        participant_id: Uuid,
    ) -> Result<Vec<(Uuid, Uuid)>> {
        Ok(fetch_all!(
            &mut self.tx,
            (Uuid, Uuid),
            "SELECT p.assessment_id, p.org_id FROM assessment_partners p
             JOIN assessments a ON a.id = p.assessment_id
             WHERE a.participant_id = $1 ORDER BY p.opened_at, p.org_id",
            participant_id
        )?)
    }

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
        let part = Part {
            org_id: a.rater_org_id,
            user_id: a.created_by,
            at: a.created_at,
        };
        self.insert_scores(a, scores, &part).await
    }

    /// Adds scores to an assessment, rated by `part`'s organisation and person.
    pub async fn insert_scores(
        &mut self,
        a: &AssessmentRow,
        scores: &[(String, u8)],
        part: &Part,
    ) -> Result<()> {
        for (item, value) in scores {
            exec!(
                &mut self.tx,
                "INSERT INTO assessment_scores (org_id, assessment_id, item_key, value,
                    rated_by_org_id, rated_by, rated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                a.org_id,
                a.id,
                item,
                i32::from(*value),
                part.org_id,
                part.user_id,
                part.at,
            )?;
        }
        Ok(())
    }

    pub async fn assessment(&mut self, id: Uuid) -> Result<Option<AssessmentRow>> {
        let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE id = $1"));
        Ok(fetch_optional!(&mut self.tx, AssessmentRow, sql, id)?)
    }

    /// A participant's assessments, oldest first.
    pub async fn assessments_of(&mut self, participant_id: Uuid) -> Result<Vec<AssessmentRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE participant_id = $1 ORDER BY assessed_on, created_at, id"
        ));
        Ok(fetch_all!(
            &mut self.tx,
            AssessmentRow,
            sql,
            participant_id
        )?)
    }

    /// Every score of a participant's assessments.
    pub async fn scores_of(&mut self, participant_id: Uuid) -> Result<Vec<ScoreRow>> {
        Ok(fetch_all!(
            &mut self.tx,
            ScoreRow,
            "SELECT s.assessment_id, s.item_key, s.value,
                    COALESCE(s.rated_by_org_id, a.rater_org_id) AS rated_by_org_id,
                    o.name AS rated_by_org_name
             FROM assessment_scores s
             JOIN assessments a ON a.org_id = s.org_id AND a.id = s.assessment_id
             LEFT JOIN organisations o ON o.id = COALESCE(s.rated_by_org_id, a.rater_org_id)
             WHERE a.participant_id = $1 ORDER BY s.assessment_id, s.item_key",
            participant_id
        )?)
    }
}
