//! Social procurement clauses and what has been delivered on them (counts, not people).

use crate::{Result, Tx, exec, fetch_all, fetch_scalar};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ClauseRow {
    pub id: Uuid,
    pub employer_org_id: Uuid,
    pub buyer: String,
    pub contract: String,
    pub promised_placements: i32,
    pub promised_jobs: i32,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    pub created_at: OffsetDateTime,
    pub created_by: Option<Uuid>,
}

impl Tx {
    pub async fn insert_clause(&mut self, c: &ClauseRow) -> Result<()> {
        exec!(
            self,
            "INSERT INTO procurement_clauses (id, employer_org_id, buyer, contract,
                promised_placements, promised_jobs, valid_from, valid_to, created_at, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            c.id,
            c.employer_org_id,
            &c.buyer,
            &c.contract,
            c.promised_placements,
            c.promised_jobs,
            c.valid_from,
            c.valid_to,
            c.created_at,
            c.created_by
        )?;
        Ok(())
    }

    pub async fn clauses_of(&mut self, employer_org_id: Uuid) -> Result<Vec<ClauseRow>> {
        Ok(fetch_all!(
            self,
            ClauseRow,
            "SELECT id, employer_org_id, buyer, contract, promised_placements, promised_jobs,
                    valid_from, valid_to, created_at, created_by
             FROM procurement_clauses WHERE employer_org_id = $1 ORDER BY valid_from, id",
            employer_org_id
        )?)
    }

    /// How many of one organisation's participants really started a placement (`jobs`: an
    /// employment) at the employer's workplaces between two days (the end open when absent).
    /// A count of the caller's own organisation only: other organisations' placements are
    /// theirs to report.
    pub async fn placements_started_at(
        &mut self,
        employer_org_id: Uuid,
        org_id: Uuid,
        jobs: bool,
        from: Date,
        to: Option<Date>,
    ) -> Result<i64> {
        Ok(fetch_scalar!(
            self,
            i64,
            "SELECT COUNT(*) FROM placements pl JOIN workplaces w ON w.id = pl.workplace_id
             WHERE w.employer_org_id = $1 AND pl.org_id = $2 AND pl.status IN ('started', 'ended')
               AND pl.starts_on IS NOT NULL
               AND ((pl.kind IN ('work_practice', 'work_training', 'work_trial')) <> $3)
               AND pl.starts_on >= $4 AND ($5 IS NULL OR pl.starts_on <= $5)",
            employer_org_id,
            org_id,
            jobs,
            from,
            to
        )?)
    }
}

/// An agreement with an employer.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AgreementRow {
    pub id: Uuid,
    pub employer_org_id: Uuid,
    /// `cooperation` or `placement`.
    pub kind: String,
    pub signed_on: Date,
    pub valid_to: Option<Date>,
    pub note: Option<String>,
    pub created_at: OffsetDateTime,
    pub created_by: Option<Uuid>,
}

impl Tx {
    pub async fn insert_agreement(&mut self, a: &AgreementRow) -> Result<()> {
        exec!(
            self,
            "INSERT INTO employer_agreements (id, employer_org_id, kind, signed_on, valid_to, note,
                created_at, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            a.id,
            a.employer_org_id,
            &a.kind,
            a.signed_on,
            a.valid_to,
            &a.note,
            a.created_at,
            a.created_by
        )?;
        Ok(())
    }

    pub async fn agreements_of(&mut self, employer_org_id: Uuid) -> Result<Vec<AgreementRow>> {
        Ok(fetch_all!(
            self,
            AgreementRow,
            "SELECT id, employer_org_id, kind, signed_on, valid_to, note, created_at, created_by
             FROM employer_agreements WHERE employer_org_id = $1 ORDER BY signed_on, id",
            employer_org_id
        )?)
    }
}
