//! The audit trail (append-only) and [`Audited`], the only way to reach personal data.

use crate::{Result, Store, Tx, exec, fetch_all};
use time::OffsetDateTime;
use uuid::Uuid;

/// One decision of the policy gate: who did what to whose record, and on what ground.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct AuditEvent {
    pub id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub actor_user_id: Option<Uuid>,
    pub actor_role: String,
    pub actor_org_id: Option<Uuid>,
    pub participant_id: Option<Uuid>,
    pub record_kind: String,
    /// `read`, `write` or `search`.
    pub action: String,
    /// `allowed` or `denied`.
    pub decision: String,
    /// Why: the rule or consent that allowed it, or why it was denied.
    pub ground: String,
    pub detail: Option<String>,
}

/// A transaction that already holds its audit event: personal data is read and written only
/// through one, so no code path can touch it without leaving a trace in the same commit.
pub struct Audited {
    pub(crate) tx: Tx,
    /// The participants whose records an allowed write was about: their report tallies are
    /// refreshed before commit.
    written: std::collections::BTreeSet<Uuid>,
}

impl Store {
    /// Opens a transaction and writes `event` in it first.
    pub async fn begin_audited(&self, event: &AuditEvent) -> Result<Audited> {
        let mut tx = self.begin().await?;
        insert_event(&mut tx, event).await?;
        let mut audited = Audited {
            tx,
            written: Default::default(),
        };
        audited.note_write(event);
        Ok(audited)
    }

    /// Records a denied or data-less decision on its own.
    pub async fn record_event(&self, event: &AuditEvent) -> Result<()> {
        let mut tx = self.begin().await?;
        insert_event(&mut tx, event).await?;
        tx.commit().await
    }
}

impl Audited {
    /// Adds a further event to the same transaction (e.g. a read that follows a write).
    pub async fn record(&mut self, event: &AuditEvent) -> Result<()> {
        insert_event(&mut self.tx, event).await?;
        self.note_write(event);
        Ok(())
    }

    fn note_write(&mut self, event: &AuditEvent) {
        if event.action == "write"
            && event.decision == "allowed"
            && let Some(p) = event.participant_id
        {
            self.written.insert(p);
        }
    }

    /// Commits, after bringing the report tallies of every participant written about up to
    /// date in the same transaction.
    pub async fn commit(mut self) -> Result<()> {
        if !self.written.is_empty() {
            let written: Vec<Uuid> = self.written.iter().copied().collect();
            self.tx.refresh_tallies(&written).await?;
        }
        self.tx.commit().await
    }

    /// Search the trail (auditors), newest first, with the names of the actor and their
    /// organisation.
    pub async fn audit_events(&mut self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let rows = fetch_all!(
            &mut self.tx,
            AuditEntry,
            "SELECT e.id, e.at, e.actor_user_id, e.actor_role, e.actor_org_id, e.participant_id,
                    e.record_kind, e.action, e.decision, e.ground, e.detail,
                    u.name AS actor_name, o.name AS actor_org_name
             FROM audit_events e
             LEFT JOIN users u ON u.id = e.actor_user_id
             LEFT JOIN organisations o ON o.id = e.actor_org_id
             WHERE ($1 IS NULL OR e.participant_id = $1)
               AND ($2 IS NULL OR e.actor_user_id = $2)
               AND ($3 IS NULL OR e.actor_org_id = $3 OR e.participant_id IN
                    (SELECT id FROM participants WHERE org_id = $3))
               AND ($4 IS NULL OR e.at >= $4)
               AND ($5 IS NULL OR e.at < $5)
             ORDER BY e.at DESC, e.id DESC
             LIMIT $6 OFFSET $7",
            filter.participant_id,
            filter.actor_user_id,
            filter.org_id,
            filter.from,
            filter.until,
            filter.limit,
            filter.offset,
        )?;
        Ok(rows)
    }
}

/// An audit event with the names a reader needs: who acted, and for which organisation.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct AuditEntry {
    pub id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub actor_user_id: Option<Uuid>,
    pub actor_role: String,
    pub actor_org_id: Option<Uuid>,
    pub participant_id: Option<Uuid>,
    pub record_kind: String,
    pub action: String,
    pub decision: String,
    pub ground: String,
    pub detail: Option<String>,
    pub actor_name: Option<String>,
    pub actor_org_name: Option<String>,
}

/// Which audit events to list.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub participant_id: Option<Uuid>,
    pub actor_user_id: Option<Uuid>,
    /// Events by this organisation's users or about its participants.
    pub org_id: Option<Uuid>,
    /// From this time (inclusive) until that one (exclusive).
    pub from: Option<OffsetDateTime>,
    pub until: Option<OffsetDateTime>,
    pub limit: i64,
    pub offset: i64,
}

async fn insert_event(tx: &mut Tx, e: &AuditEvent) -> Result<()> {
    exec!(
        tx,
        "INSERT INTO audit_events (id, at, actor_user_id, actor_role, actor_org_id, participant_id,
             record_kind, action, decision, ground, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        e.id,
        e.at,
        e.actor_user_id,
        &e.actor_role,
        e.actor_org_id,
        e.participant_id,
        &e.record_kind,
        &e.action,
        &e.decision,
        &e.ground,
        &e.detail,
    )?;
    Ok(())
}

impl Tx {
    /// Tries to change the trail; used by tests to prove the database refuses it.
    pub async fn tamper_with_audit(&mut self) -> Result<u64> {
        Ok(exec!(self, "UPDATE audit_events SET ground = 'tampered'")?)
    }

    /// Tries to delete from the trail; used by tests to prove the database refuses it.
    pub async fn delete_audit(&mut self) -> Result<u64> {
        Ok(exec!(self, "DELETE FROM audit_events")?)
    }

    /// Number of events in the trail.
    pub async fn count_audit_events(&mut self) -> Result<i64> {
        Ok(crate::fetch_scalar!(
            self,
            i64,
            "SELECT COUNT(*) FROM audit_events"
        )?)
    }
}
