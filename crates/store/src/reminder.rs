//! Reminders (issue #15): a participant's agreement to be reminded, the reminders planned from
//! their schedule, plan and follow-ups, and the sending job's claims. The agreement's address and
//! number are personal data: reachable only through [`Audited`], stored sealed by the app.

use crate::{Audited, Result, Store, exec, fetch_all, fetch_optional, fetch_scalar};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// What a participant agreed to. `email_enc` and `phone_enc` are sealed by the app.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReminderAgreementRow {
    pub participant_id: Uuid,
    pub org_id: Uuid,
    pub by_email: bool,
    pub email_enc: Option<Vec<u8>>,
    pub by_sms: bool,
    pub phone_enc: Option<Vec<u8>>,
    pub lang: String,
    pub given_at: OffsetDateTime,
    pub withdrawn_at: Option<OffsetDateTime>,
    pub version: i32,
    pub updated_at: OffsetDateTime,
    pub updated_by: Option<Uuid>,
}

impl std::fmt::Debug for ReminderAgreementRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReminderAgreementRow")
            .field("participant_id", &self.participant_id)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

/// Something a participant who agreed has tomorrow: one row per occasion, before channels.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReminderCandidate {
    pub participant_id: Uuid,
    pub org_id: Uuid,
    /// `activity`, `plan_step` or `follow_up`.
    pub kind: String,
    pub source_id: Uuid,
    /// `HH:MM` for an activity occasion.
    pub at_time: Option<String>,
    pub by_email: bool,
    pub by_sms: bool,
}

/// A planned reminder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReminder {
    pub id: Uuid,
    pub org_id: Uuid,
    pub participant_id: Uuid,
    pub kind: String,
    pub source_id: Uuid,
    pub occasion: String,
    pub channel: String,
    pub next_attempt_at: OffsetDateTime,
    pub created_at: OffsetDateTime,
}

/// A reminder claimed for sending, with what the agreement says now.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ClaimedReminderRow {
    pub id: Uuid,
    pub org_id: Uuid,
    pub participant_id: Uuid,
    pub kind: String,
    pub occasion: String,
    pub channel: String,
    pub attempts: i32,
    pub by_email: Option<bool>,
    pub email_enc: Option<Vec<u8>>,
    pub by_sms: Option<bool>,
    pub phone_enc: Option<Vec<u8>>,
    pub lang: Option<String>,
    pub withdrawn_at: Option<OffsetDateTime>,
}

impl std::fmt::Debug for ClaimedReminderRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClaimedReminderRow")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("channel", &self.channel)
            .finish_non_exhaustive()
    }
}

/// A reminder's state, for tests and the operator.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReminderStateRow {
    pub id: Uuid,
    pub participant_id: Uuid,
    pub kind: String,
    pub occasion: String,
    pub channel: String,
    pub status: String,
    pub attempts: i32,
    pub error: Option<String>,
}

/// What a tick has to do, read without personal data (so an idle tick writes no audit event).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReminderWork {
    /// When `day` was last planned.
    pub planned_at: Option<OffsetDateTime>,
    /// Agreements changed since then.
    pub changed: bool,
    /// Pending reminders whose time has come.
    pub due: bool,
    /// Reminders left in `sending` since before the cut-off.
    pub stuck: bool,
}

impl Store {
    /// Whether a tick has work: cheap existence checks on indexed columns.
    pub async fn reminder_work(
        &self,
        day: Date,
        now: OffsetDateTime,
        stuck_before: OffsetDateTime,
    ) -> Result<ReminderWork> {
        let mut tx = self.begin_read().await?;
        let planned_at = fetch_scalar!(
            &mut tx,
            Option<OffsetDateTime>,
            "SELECT (SELECT planned_at FROM reminder_plans WHERE day = $1)",
            day
        )?;
        let changed = match planned_at {
            None => true,
            Some(at) => fetch_scalar!(
                &mut tx,
                bool,
                "SELECT EXISTS (SELECT 1 FROM reminder_agreements WHERE updated_at >= $1)",
                at
            )?,
        };
        let due = fetch_scalar!(
            &mut tx,
            bool,
            "SELECT EXISTS (SELECT 1 FROM reminders WHERE status = 'pending' AND next_attempt_at <= $1)",
            now
        )?;
        let stuck = fetch_scalar!(
            &mut tx,
            bool,
            "SELECT EXISTS (SELECT 1 FROM reminders WHERE status = 'sending' AND claimed_at < $1)",
            stuck_before
        )?;
        tx.commit().await?;
        Ok(ReminderWork {
            planned_at,
            changed,
            due,
            stuck,
        })
    }
}

impl Audited {
    pub async fn reminder_agreement(
        &mut self,
        participant_id: Uuid,
    ) -> Result<Option<ReminderAgreementRow>> {
        Ok(fetch_optional!(
            &mut self.tx,
            ReminderAgreementRow,
            "SELECT participant_id, org_id, by_email, email_enc, by_sms, phone_enc, lang, given_at,
                    withdrawn_at, version, updated_at, updated_by
             FROM reminder_agreements WHERE participant_id = $1",
            participant_id
        )?)
    }

    /// Writes the agreement if its stored version is still `expected` (0: none stored yet);
    /// false when someone changed it meanwhile.
    pub async fn put_reminder_agreement(
        &mut self,
        r: &ReminderAgreementRow,
        expected: i32,
    ) -> Result<bool> {
        let n = if expected == 0 {
            exec!(
                &mut self.tx,
                "INSERT INTO reminder_agreements (participant_id, org_id, by_email, email_enc,
                    by_sms, phone_enc, lang, given_at, withdrawn_at, version, updated_at, updated_by)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                 ON CONFLICT (participant_id) DO NOTHING",
                r.participant_id,
                r.org_id,
                r.by_email,
                &r.email_enc,
                r.by_sms,
                &r.phone_enc,
                &r.lang,
                r.given_at,
                r.withdrawn_at,
                r.version,
                r.updated_at,
                r.updated_by
            )?
        } else {
            exec!(
                &mut self.tx,
                "UPDATE reminder_agreements SET by_email = $3, email_enc = $4, by_sms = $5,
                    phone_enc = $6, lang = $7, given_at = $8, withdrawn_at = $9, version = $10,
                    updated_at = $11, updated_by = $12
                 WHERE participant_id = $1 AND version = $2",
                r.participant_id,
                expected,
                r.by_email,
                &r.email_enc,
                r.by_sms,
                &r.phone_enc,
                &r.lang,
                r.given_at,
                r.withdrawn_at,
                r.version,
                r.updated_at,
                r.updated_by
            )?
        };
        Ok(n == 1)
    }

    /// What participants with a live agreement have on `day` (ISO weekday `weekday`), while
    /// enrolled: activity occasions of their projects' schedules, their own plan steps due, and
    /// follow-ups due (the coach will contact them; they have left, so no enrolment is asked).
    /// With `changed_since`, only agreements changed since then (a top-up).
    pub async fn reminder_candidates(
        &mut self,
        day: Date,
        weekday: i32,
        changed_since: Option<OffsetDateTime>,
    ) -> Result<Vec<ReminderCandidate>> {
        // `changed_since` as a far-past time when absent: one query shape, one plan. Each
        // branch starts from the agreements (CROSS JOIN fixes SQLite's order; PostgreSQL plans
        // by its statistics): a top-up costs the agreements changed, the daily plan those given.
        let since = changed_since.unwrap_or(OffsetDateTime::UNIX_EPOCH);
        Ok(fetch_all!(
            &mut self.tx,
            ReminderCandidate,
            "SELECT a.participant_id, a.org_id, 'activity' AS kind, s.id AS source_id,
                    s.starts_at AS at_time, a.by_email, a.by_sms
             FROM reminder_agreements a
             CROSS JOIN enrolments e
             JOIN activities act ON act.project_id = e.project_id
             JOIN activity_schedules s ON s.activity_id = act.id
             WHERE e.participant_id = a.participant_id AND e.org_id = a.org_id
               AND a.withdrawn_at IS NULL AND a.updated_at >= $3
               AND e.enrolled_on <= $1 AND (e.exited_on IS NULL OR e.exited_on >= $1)
               AND s.weekday = $2 AND $1 >= s.valid_from AND (s.valid_to IS NULL OR s.valid_to >= $1)
             UNION ALL
             SELECT a.participant_id, a.org_id, 'plan_step', p.id, NULL, a.by_email, a.by_sms
             FROM reminder_agreements a
             CROSS JOIN plan_steps p
             WHERE p.participant_id = a.participant_id AND p.org_id = a.org_id
               AND a.withdrawn_at IS NULL AND a.updated_at >= $3
               AND p.due_on = $1 AND p.owner = 'participant'
               AND p.status IN ('planned', 'in_progress')
               AND EXISTS (SELECT 1 FROM enrolments e
                           WHERE e.participant_id = a.participant_id AND e.org_id = a.org_id
                             AND e.enrolled_on <= $1 AND (e.exited_on IS NULL OR e.exited_on >= $1))
             UNION ALL
             SELECT a.participant_id, a.org_id, 'follow_up', f.id, NULL, a.by_email, a.by_sms
             FROM reminder_agreements a
             CROSS JOIN follow_ups f
             WHERE f.participant_id = a.participant_id AND f.org_id = a.org_id
               AND a.withdrawn_at IS NULL AND a.updated_at >= $3
               AND f.due_on = $1 AND f.done_on IS NULL",
            day,
            weekday,
            since
        )?)
    }

    /// Plans a reminder; false when the same one (participant, kind, source, occasion,
    /// channel) already exists, whatever its state: never twice.
    pub async fn plan_reminder(&mut self, r: &NewReminder) -> Result<bool> {
        let n = exec!(
            &mut self.tx,
            "INSERT INTO reminders (id, org_id, participant_id, kind, source_id, occasion, channel,
                status, attempts, next_attempt_at, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, $8, $9)
             ON CONFLICT (participant_id, kind, source_id, occasion, channel) DO NOTHING",
            r.id,
            r.org_id,
            r.participant_id,
            &r.kind,
            r.source_id,
            &r.occasion,
            &r.channel,
            r.next_attempt_at,
            r.created_at
        )?;
        Ok(n == 1)
    }

    /// Records that `day` was planned at `at`.
    pub async fn mark_reminders_planned(&mut self, day: Date, at: OffsetDateTime) -> Result<()> {
        exec!(
            &mut self.tx,
            "INSERT INTO reminder_plans (day, planned_at) VALUES ($1, $2)
             ON CONFLICT (day) DO UPDATE SET planned_at = excluded.planned_at",
            day,
            at
        )?;
        Ok(())
    }

    /// Claims up to `limit` pending reminders that are due for `claim`. A conditional update:
    /// a second job racing for the same rows finds them no longer pending and skips them (on
    /// PostgreSQL it waits for the first's commit, then re-checks the condition).
    pub async fn claim_reminders(
        &mut self,
        claim: Uuid,
        now: OffsetDateTime,
        limit: i64,
    ) -> Result<Vec<ClaimedReminderRow>> {
        exec!(
            &mut self.tx,
            "UPDATE reminders SET status = 'sending', claim = $1, claimed_at = $2,
                attempts = attempts + 1
             WHERE status = 'pending' AND id IN (
                SELECT id FROM reminders WHERE status = 'pending' AND next_attempt_at <= $2
                ORDER BY next_attempt_at LIMIT $3)",
            claim,
            now,
            limit
        )?;
        Ok(fetch_all!(
            &mut self.tx,
            ClaimedReminderRow,
            "SELECT r.id, r.org_id, r.participant_id, r.kind, r.occasion, r.channel, r.attempts,
                    a.by_email, a.email_enc, a.by_sms, a.phone_enc, a.lang, a.withdrawn_at
             FROM reminders r
             LEFT JOIN reminder_agreements a ON a.participant_id = r.participant_id
             WHERE r.claim = $1 AND r.status = 'sending'
             ORDER BY r.id",
            claim
        )?)
    }

    /// Ends a claimed reminder: `sent`, `failed` or `skipped`.
    pub async fn finish_reminder(
        &mut self,
        id: Uuid,
        claim: Uuid,
        status: &str,
        error: Option<&str>,
        at: OffsetDateTime,
    ) -> Result<bool> {
        let sent_at = (status == "sent").then_some(at);
        let n = exec!(
            &mut self.tx,
            "UPDATE reminders SET status = $3, error = $4, sent_at = $5
             WHERE id = $1 AND claim = $2 AND status = 'sending'",
            id,
            claim,
            status,
            error,
            sent_at
        )?;
        Ok(n == 1)
    }

    /// Puts a claimed reminder back for a later try (the server refused it before accepting).
    pub async fn retry_reminder(
        &mut self,
        id: Uuid,
        claim: Uuid,
        next_attempt_at: OffsetDateTime,
        error: &str,
    ) -> Result<bool> {
        let n = exec!(
            &mut self.tx,
            "UPDATE reminders SET status = 'pending', claim = NULL, claimed_at = NULL,
                next_attempt_at = $3, error = $4
             WHERE id = $1 AND claim = $2 AND status = 'sending'",
            id,
            claim,
            next_attempt_at,
            error
        )?;
        Ok(n == 1)
    }

    /// Reminders left in `sending` (a crash between claim and result) become `failed`: the
    /// server may have accepted them, and never twice beats always.
    pub async fn fail_stuck_reminders(&mut self, claimed_before: OffsetDateTime) -> Result<u64> {
        Ok(exec!(
            &mut self.tx,
            "UPDATE reminders SET status = 'failed',
                error = 'interrupted while sending; not sent again'
             WHERE status = 'sending' AND claimed_at < $1",
            claimed_before
        )?)
    }

    /// A participant's reminders, newest occasion first (tests and the operator).
    pub async fn reminders_of(&mut self, participant_id: Uuid) -> Result<Vec<ReminderStateRow>> {
        Ok(fetch_all!(
            &mut self.tx,
            ReminderStateRow,
            "SELECT id, participant_id, kind, occasion, channel, status, attempts, error
             FROM reminders WHERE participant_id = $1 ORDER BY occasion DESC, id",
            participant_id
        )?)
    }
}
