//! The audit trail (append-only) and [`Audited`], the only way to reach personal data.

use crate::{Result, Store, Tx, exec, fetch_all};
use stegvis_domain::access::{Action, Decision};
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
    /// The kind of record, or the function without personal data, the event is about.
    pub record_kind: String,
    pub action: Action,
    pub decision: Decision,
    /// Why: the rule or consent that allowed it, or why it was denied.
    pub ground: String,
    pub detail: Option<String>,
}

/// A transaction that already holds its audit event: personal data is read and written only
/// through one, so no code path can touch it without leaving a trace.
///
/// It is opened in the mode of its first event. A write (`Action::Write`) writes its events in
/// its own transaction, committed with the data. A read or search runs in a read transaction
/// that takes no write lock; on SQLite its events go to the audit writer at commit, and commit
/// returns only once they are durable, so nothing read is answered before its trace is on disk.
pub struct Audited {
    pub(crate) tx: Tx,
    /// The events so far: kept to be written again if the transaction is refused, and in read
    /// mode on SQLite the ones still to hand to the audit writer.
    events: Vec<AuditEvent>,
    /// How many of `events` the report tallies have been refreshed for.
    refreshed: usize,
    pub(crate) store: Store,
    /// Opened for a read: a write event is refused ([`StoreError::WriteInReadTransaction`]).
    read: bool,
    /// The connection's `total_changes()` when a SQLite read opened, to prove at commit that it
    /// wrote nothing (test builds: it costs two round trips).
    #[cfg(any(test, feature = "testing"))]
    changes_at_open: Option<i64>,
}

/// The statement that appends one event to the trail.
pub(crate) const INSERT_EVENT: &str = "INSERT INTO audit_events (id, at, actor_user_id, actor_role,
        actor_org_id, participant_id, record_kind, action, decision, ground, detail, mac, mac_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";

impl Store {
    /// Opens a transaction for `event`: a write writes the event in it first; a read or search
    /// opens a read transaction (see [`Audited`]).
    pub async fn begin_audited(&self, event: &AuditEvent) -> Result<Audited> {
        self.open_audited(event, false).await
    }

    /// [`Store::begin_audited`] for a read whose statements must all see one snapshot (the
    /// register extract): REPEATABLE READ on PostgreSQL.
    pub async fn begin_audited_snapshot(&self, event: &AuditEvent) -> Result<Audited> {
        self.open_audited(event, true).await
    }

    async fn open_audited(&self, event: &AuditEvent, snapshot: bool) -> Result<Audited> {
        let read = event.action != Action::Write;
        let sink = read && self.audit_sink.is_some();
        let mut tx = if read && snapshot {
            self.begin_snapshot().await?
        } else if read {
            self.begin_read().await?
        } else {
            self.begin().await?
        };
        if !sink {
            insert_event(&mut tx, self.signer(), event).await?;
        }
        #[cfg(any(test, feature = "testing"))]
        let changes_at_open = if sink {
            Some(total_changes(&mut tx).await?)
        } else {
            None
        };
        Ok(Audited {
            tx,
            events: vec![event.clone()],
            refreshed: 0,
            store: self.clone(),
            read,
            #[cfg(any(test, feature = "testing"))]
            changes_at_open,
        })
    }

    /// Records a denied or data-less decision on its own.
    pub async fn record_event(&self, event: &AuditEvent) -> Result<()> {
        self.record_events(vec![event.clone()]).await
    }

    /// Makes `events` durable on their own: through the audit writer on SQLite, in a
    /// transaction of their own on PostgreSQL.
    pub async fn record_events(&self, events: Vec<AuditEvent>) -> Result<()> {
        if let Some(sink) = &self.audit_sink {
            return sink.submit(events).await;
        }
        let mut tx = self.begin().await?;
        for e in &events {
            insert_event(&mut tx, self.signer(), e).await?;
        }
        tx.commit().await
    }

    /// How many transactions the SQLite audit writer has committed (`None` on PostgreSQL).
    pub fn audit_writer_commits(&self) -> Option<u64> {
        self.audit_sink.as_ref().map(|s| s.commits())
    }
}

/// Changes made by the transaction's connection since it was opened.
#[cfg(any(test, feature = "testing"))]
async fn total_changes(tx: &mut Tx) -> Result<i64> {
    Ok(crate::fetch_scalar!(tx, i64, "SELECT total_changes()")?)
}

impl Audited {
    /// Whether the events wait for the audit writer (a read on SQLite).
    fn via_sink(&self) -> bool {
        self.read && self.store.audit_sink.is_some()
    }

    /// Adds a further event to the same transaction (e.g. a read that follows a write). A write
    /// event on a transaction opened for a read is an error: open it for the write.
    pub async fn record(&mut self, event: &AuditEvent) -> Result<()> {
        if self.read && event.action == Action::Write {
            return Err(crate::StoreError::WriteInReadTransaction);
        }
        if !self.via_sink() {
            insert_event(&mut self.tx, self.store.signer(), event).await?;
        }
        self.events.push(event.clone());
        Ok(())
    }

    /// The participants whose records an allowed write among `events` was about.
    fn written(events: &[AuditEvent]) -> Vec<Uuid> {
        let mut ids: Vec<Uuid> = events
            .iter()
            .filter(|e| e.action == Action::Write && e.decision == Decision::Allowed)
            .filter_map(|e| e.participant_id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Brings the report tallies of every participant this transaction wrote about up to date,
    /// in the same transaction.
    pub async fn refresh_tallies(&mut self) -> Result<()> {
        let written = Self::written(&self.events[self.refreshed..]);
        if !written.is_empty() {
            self.tx.refresh_tallies(&written).await?;
        }
        self.refreshed = self.events.len();
        Ok(())
    }

    /// Commits the data and its audit events together. A transaction that wrote about a
    /// participant must have refreshed their report tallies first ([`Audited::refresh_tallies`]):
    /// committing without is refused, so no write path can leave the reports behind. A read on
    /// SQLite ends its read transaction and returns once the audit writer has its events on disk.
    pub async fn commit(self) -> Result<()> {
        let metrics = self.store.metrics.clone();
        let mode = if self.read { "read" } else { "write" };
        let started = std::time::Instant::now();
        let done = self.commit_untimed().await;
        if done.is_ok() {
            metrics
                .audit_commit
                .get_or_create(&[("mode", mode)])
                .observe(started.elapsed().as_secs_f64());
        }
        done
    }

    async fn commit_untimed(self) -> Result<()> {
        if !Self::written(&self.events[self.refreshed..]).is_empty() {
            return Err(crate::StoreError::TalliesNotRefreshed);
        }
        if !self.via_sink() {
            return self.tx.commit().await;
        }
        #[cfg(any(test, feature = "testing"))]
        let changes_at_open = self.changes_at_open;
        let Audited {
            tx, events, store, ..
        } = self;
        #[cfg(any(test, feature = "testing"))]
        let tx = {
            let mut tx = tx;
            if let Some(before) = changes_at_open
                && total_changes(&mut tx).await? != before
            {
                tx.rollback().await?;
                return Err(crate::StoreError::WriteInReadTransaction);
            }
            tx
        };
        tx.commit().await?;
        store.record_events(events).await
    }

    /// Refuses the transaction after it was opened: every data change is rolled back, and its
    /// audit events are written again on their own, an allowed write turned into a denial on
    /// `ground` (the write did not happen), reads as they were (they did).
    pub async fn refuse(self, ground: &str) -> Result<()> {
        let Audited {
            tx,
            mut events,
            store,
            ..
        } = self;
        tx.rollback().await?;
        for e in &mut events {
            if e.action == Action::Write && e.decision == Decision::Allowed {
                e.decision = Decision::Denied;
                e.ground = ground.to_owned();
            }
        }
        store.record_events(events).await
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
    pub action: Action,
    pub decision: Decision,
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

impl Store {
    /// Writes the allowed event of a change without personal data (a project's facts, its
    /// goals) in the change's own transaction `tx`: both are kept, or neither.
    pub async fn record_event_in(&self, tx: &mut Tx, event: &AuditEvent) -> Result<()> {
        insert_event(tx, self.signer(), event).await
    }
}

/// Writes `e` with its MAC, computed here, at the last moment, so an event rewritten before
/// (a refusal) is signed as it is stored.
async fn insert_event(
    tx: &mut Tx,
    signer: Option<&dyn crate::audit_chain::EventSigner>,
    e: &AuditEvent,
) -> Result<()> {
    let (mac, mac_key) = crate::audit_chain::sign(signer, e);
    exec!(
        tx,
        INSERT_EVENT,
        e.id,
        e.at,
        e.actor_user_id,
        &e.actor_role,
        e.actor_org_id,
        e.participant_id,
        &e.record_kind,
        e.action.code(),
        e.decision.code(),
        &e.ground,
        &e.detail,
        mac,
        mac_key,
    )?;
    Ok(())
}

impl Tx {
    /// Tries to change the trail; used by tests to prove the database refuses it.
    #[cfg(feature = "testing")]
    pub async fn tamper_with_audit(&mut self) -> Result<u64> {
        Ok(exec!(self, "UPDATE audit_events SET ground = 'tampered'")?)
    }

    /// Tries to delete from the trail; used by tests to prove the database refuses it.
    #[cfg(feature = "testing")]
    pub async fn delete_audit(&mut self) -> Result<u64> {
        Ok(exec!(self, "DELETE FROM audit_events")?)
    }

    /// Overwrites a participant's stored gender code and identity ciphertext as damage or a
    /// wrong key would leave them; used by tests to prove an unreadable value is an error.
    #[cfg(feature = "testing")]
    pub async fn damage_participant(
        &mut self,
        id: Uuid,
        gender: Option<&str>,
        identity_enc: Option<&[u8]>,
    ) -> Result<u64> {
        Ok(exec!(
            self,
            "UPDATE participants SET gender = COALESCE($1, gender),
                identity_enc = COALESCE($2, identity_enc) WHERE id = $3",
            gender,
            identity_enc,
            id
        )?)
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
