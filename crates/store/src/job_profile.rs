//! Job profiles for matching: personal data, reachable only through [`Audited`].

use crate::{Audited, Result, exec, fetch_all, fetch_optional};
use time::OffsetDateTime;
use uuid::Uuid;

#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct JobProfileRow {
    pub org_id: Uuid,
    pub participant_id: Uuid,
    /// Comma-separated SSYK 2012 unit groups.
    pub wanted: String,
    pub experience: String,
    pub hours_per_week: Option<i32>,
    pub municipality_code: Option<String>,
    pub can_travel: bool,
    /// `basic`, `good` or `fluent`.
    pub swedish: Option<String>,
    /// Comma-separated adaptation codes.
    pub needs: String,
    pub updated_at: OffsetDateTime,
    pub updated_by: Option<Uuid>,
}

impl std::fmt::Debug for JobProfileRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobProfileRow")
            .field("participant_id", &self.participant_id)
            .finish_non_exhaustive()
    }
}

/// A job profile with the participant's name and gender: the name to show, the gender for the
/// fairness report only (never for the score).
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CandidateRow {
    #[sqlx(flatten)]
    pub profile: JobProfileRow,
    pub given_name: String,
    pub family_name: String,
    pub gender: stegvis_domain::Gender,
}

impl std::fmt::Debug for CandidateRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CandidateRow")
            .field("participant_id", &self.profile.participant_id)
            .finish_non_exhaustive()
    }
}

impl Audited {
    /// Creates or replaces a participant's job profile.
    pub async fn put_job_profile(&mut self, p: &JobProfileRow) -> Result<()> {
        exec!(
            &mut self.tx,
            "INSERT INTO job_profiles (org_id, participant_id, wanted, experience, hours_per_week,
                municipality_code, can_travel, updated_at, updated_by, swedish, needs)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             ON CONFLICT (org_id, participant_id) DO UPDATE SET wanted = excluded.wanted,
                experience = excluded.experience, hours_per_week = excluded.hours_per_week,
                municipality_code = excluded.municipality_code, can_travel = excluded.can_travel,
                updated_at = excluded.updated_at, updated_by = excluded.updated_by,
                swedish = excluded.swedish, needs = excluded.needs",
            p.org_id,
            p.participant_id,
            &p.wanted,
            &p.experience,
            p.hours_per_week,
            &p.municipality_code,
            p.can_travel,
            p.updated_at,
            p.updated_by,
            &p.swedish,
            &p.needs
        )?;
        Ok(())
    }

    pub async fn job_profile(&mut self, participant_id: Uuid) -> Result<Option<JobProfileRow>> {
        Ok(fetch_optional!(
            &mut self.tx,
            JobProfileRow,
            "SELECT org_id, participant_id, wanted, experience, hours_per_week, municipality_code,
                    can_travel, swedish, needs, updated_at, updated_by
             FROM job_profiles WHERE participant_id = $1",
            participant_id
        )?)
    }

    /// Every job profile of an organisation's participants still enrolled somewhere.
    pub async fn candidates_of(&mut self, org_id: Uuid) -> Result<Vec<CandidateRow>> {
        Ok(fetch_all!(
            &mut self.tx,
            CandidateRow,
            "SELECT j.org_id, j.participant_id, j.wanted, j.experience, j.hours_per_week,
                    j.municipality_code, j.can_travel, j.swedish, j.needs, j.updated_at, j.updated_by,
                    p.given_name, p.family_name, p.gender
             FROM job_profiles j
             JOIN participants p ON p.org_id = j.org_id AND p.id = j.participant_id
             WHERE j.org_id = $1 AND EXISTS (
                SELECT 1 FROM enrolments e
                WHERE e.org_id = j.org_id AND e.participant_id = j.participant_id AND e.exited_on IS NULL)
             ORDER BY p.family_name, p.given_name, j.participant_id
             LIMIT 20000",
            org_id
        )?)
    }
}
