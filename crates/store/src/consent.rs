//! Consents: personal data (through [`Audited`]), and the live ones the gate decides from.

use crate::{Audited, Result, Store, exec, fetch_all, fetch_optional};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ConsentRow {
    pub org_id: Uuid,
    pub id: Uuid,
    pub participant_id: Uuid,
    pub recipient_org_id: Uuid,
    /// Comma-separated record kind codes.
    pub kinds: String,
    pub purpose: String,
    /// `written`, `oral` or `digital`.
    pub form: String,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    pub recorded_by: Option<Uuid>,
    pub recorded_at: OffsetDateTime,
    pub revoked_at: Option<OffsetDateTime>,
    pub revoked_by: Option<Uuid>,
}

impl std::fmt::Debug for ConsentRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConsentRow")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// The consents of `$1` live on `$2`.
const LIVE: &str = "SELECT id, recipient_org_id, kinds FROM consents
    WHERE participant_id = $1 AND revoked_at IS NULL AND valid_from <= $2
      AND (valid_to IS NULL OR valid_to >= $2)";

const SELECT: &str = "SELECT org_id, id, participant_id, recipient_org_id, kinds, purpose, form,
        valid_from, valid_to, recorded_by, recorded_at, revoked_at, revoked_by
    FROM consents";

impl Store {
    /// The consents of a participant that are live on `today`: begun, not ended, not revoked.
    /// For the gate's decision, which happens before any record is opened.
    pub async fn live_consents(
        &self,
        participant_id: Uuid,
        today: Date,
    ) -> Result<Vec<(Uuid, Uuid, String)>> {
        let mut tx = self.begin_read().await?;
        let rows = fetch_all!(&mut tx, (Uuid, Uuid, String), LIVE, participant_id, today)?;
        tx.commit().await?;
        Ok(rows)
    }

    /// The participant a consent is about, for the gate.
    pub async fn consent_participant(&self, id: Uuid) -> Result<Option<Uuid>> {
        let mut tx = self.begin_read().await?;
        let row = fetch_optional!(
            &mut tx,
            (Uuid,),
            "SELECT participant_id FROM consents WHERE id = $1",
            id
        )?;
        tx.commit().await?;
        Ok(row.map(|r| r.0))
    }
}

impl Audited {
    /// [`Store::live_consents`] inside an open transaction: a further decision within a use case
    /// must not take a second connection (that would starve the pool).
    pub async fn live_consents(
        &mut self,
        participant_id: Uuid,
        today: Date,
    ) -> Result<Vec<(Uuid, Uuid, String)>> {
        Ok(fetch_all!(
            &mut self.tx,
            (Uuid, Uuid, String),
            LIVE,
            participant_id,
            today
        )?)
    }

    pub async fn insert_consent(&mut self, c: &ConsentRow) -> Result<()> {
        exec!(
            &mut self.tx,
            "INSERT INTO consents (org_id, id, participant_id, recipient_org_id, kinds, purpose,
                form, valid_from, valid_to, recorded_by, recorded_at, revoked_at, revoked_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            c.org_id,
            c.id,
            c.participant_id,
            c.recipient_org_id,
            &c.kinds,
            &c.purpose,
            &c.form,
            c.valid_from,
            c.valid_to,
            c.recorded_by,
            c.recorded_at,
            c.revoked_at,
            c.revoked_by
        )?;
        Ok(())
    }

    pub async fn consents_of(&mut self, participant_id: Uuid) -> Result<Vec<ConsentRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE participant_id = $1 ORDER BY recorded_at DESC, id"
        ));
        Ok(fetch_all!(&mut self.tx, ConsentRow, sql, participant_id)?)
    }

    pub async fn consent(&mut self, id: Uuid) -> Result<Option<ConsentRow>> {
        let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE id = $1"));
        Ok(fetch_optional!(&mut self.tx, ConsentRow, sql, id)?)
    }

    /// Revokes a consent not yet revoked; false if it already was.
    pub async fn revoke_consent(&mut self, id: Uuid, at: OffsetDateTime, by: Uuid) -> Result<bool> {
        let n = exec!(
            &mut self.tx,
            "UPDATE consents SET revoked_at = $1, revoked_by = $2 WHERE id = $3 AND revoked_at IS NULL",
            at,
            by,
            id
        )?;
        Ok(n == 1)
    }
}
