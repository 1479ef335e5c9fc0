//! Referrals: personal data (through [`Audited`]); the owner lookup the gate decides from.

use crate::{Audited, Result, Store, exec, fetch_all, fetch_optional};
use stegvis_domain::referral::ReferralStatus;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReferralRow {
    /// The sending organisation, which holds the case.
    pub org_id: Uuid,
    pub id: Uuid,
    pub participant_id: Uuid,
    pub to_org_id: Uuid,
    pub consent_id: Uuid,
    pub reason: String,
    pub status: ReferralStatus,
    pub sent_by: Option<Uuid>,
    pub sent_at: OffsetDateTime,
    pub answered_by: Option<Uuid>,
    pub answered_at: Option<OffsetDateTime>,
    pub answer_note: Option<String>,
    pub closed_at: Option<OffsetDateTime>,
}

impl std::fmt::Debug for ReferralRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReferralRow")
            .field("id", &self.id)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// A referral in an organisation's list, with the names the list shows.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReferralListRow {
    #[sqlx(flatten)]
    pub referral: ReferralRow,
    pub given_name: String,
    pub family_name: String,
    pub from_org_name: String,
    pub to_org_name: String,
}

/// Who a referral concerns, for the gate: (holding organisation, participant, recipient, consent).
pub type ReferralOwner = (Uuid, Uuid, Uuid, Uuid);

const COLUMNS: &str = "r.org_id, r.id, r.participant_id, r.to_org_id, r.consent_id, r.reason,
    r.status, r.sent_by, r.sent_at, r.answered_by, r.answered_at, r.answer_note, r.closed_at";

/// The SQL of [`Audited::referrals_for`], one page newest first (`sent_at DESC, id`): `$1` the
/// organisation, `$2` the most rows, `$3` the referral the page follows (only when `after`),
/// then today (only when `received`). Sent and received are two branches, each with its own
/// limit, so that each walks `referrals_sent (org_id, sent_at DESC, id)` or
/// `referrals_to_org (to_org_id, sent_at DESC, id)` in order from the cursor on.
pub(crate) fn referrals_for_sql(sent: bool, received: bool, after: bool) -> Option<String> {
    // The cursor is a referral id; its `sent_at` is read here, so it never round-trips
    // through the client (or through a time encoding).
    let keyset = if after {
        " AND r.sent_at <= (SELECT rk.sent_at FROM referrals rk WHERE rk.id = $3)
          AND (r.sent_at < (SELECT rk.sent_at FROM referrals rk WHERE rk.id = $3) OR r.id > $3)"
    } else {
        ""
    };
    let today = if after { 4 } else { 3 };
    let branch = |cond: &str| {
        format!(
            "SELECT * FROM (SELECT {COLUMNS}, p.given_name, p.family_name, f.name AS from_org_name,
                    t.name AS to_org_name
             FROM referrals r
             JOIN participants p ON p.id = r.participant_id
             JOIN organisations f ON f.id = r.org_id
             JOIN organisations t ON t.id = r.to_org_id
             JOIN consents c ON c.id = r.consent_id
             WHERE {cond}{keyset}
             ORDER BY r.sent_at DESC, r.id LIMIT $2) b"
        )
    };
    let sent_branch = branch("r.org_id = $1");
    let received_cond = |also: &str| {
        format!(
            "r.to_org_id = $1 AND {}{also}",
            crate::consent::live_on(today)
        )
    };
    let union = match (sent, received) {
        (false, false) => return None,
        (true, false) => sent_branch,
        (false, true) => branch(&received_cond("")),
        // A referral an organisation sent to itself is listed once, as sent.
        (true, true) => format!(
            "{sent_branch} UNION ALL {}",
            branch(&received_cond(" AND r.org_id <> $1"))
        ),
    };
    Some(format!(
        "SELECT * FROM ({union}) l ORDER BY l.sent_at DESC, l.id LIMIT $2"
    ))
}

impl Store {
    pub async fn referral_owner(&self, id: Uuid) -> Result<Option<ReferralOwner>> {
        let row = crate::db::pool_fetch_optional!(
            self,
            ReferralOwner,
            "SELECT org_id, participant_id, to_org_id, consent_id FROM referrals WHERE id = $1",
            id
        )?;
        Ok(row)
    }
}

impl Audited {
    pub async fn insert_referral(&mut self, r: &ReferralRow) -> Result<()> {
        exec!(
            &mut self.tx,
            "INSERT INTO referrals (org_id, id, participant_id, to_org_id, consent_id, reason,
                status, sent_by, sent_at, answered_by, answered_at, answer_note, closed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            r.org_id,
            r.id,
            r.participant_id,
            r.to_org_id,
            r.consent_id,
            &r.reason,
            r.status.code(),
            r.sent_by,
            r.sent_at,
            r.answered_by,
            r.answered_at,
            &r.answer_note,
            r.closed_at
        )?;
        Ok(())
    }

    pub async fn referral(&mut self, id: Uuid) -> Result<Option<ReferralRow>> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM referrals r WHERE r.id = $1"));
        Ok(fetch_optional!(&mut self.tx, ReferralRow, sql, id)?)
    }

    pub async fn referrals_of(&mut self, participant_id: Uuid) -> Result<Vec<ReferralRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM referrals r WHERE r.participant_id = $1
             ORDER BY r.sent_at DESC, r.id"
        ));
        Ok(fetch_all!(&mut self.tx, ReferralRow, sql, participant_id)?)
    }

    /// One page of an organisation's referrals: those it sent, and those sent to it whose
    /// consent is live on `today` (a revoked or expired consent takes the referral out of the
    /// recipient's list), newest first, at most `limit`, after the referral `after`. Each side
    /// walks its own index from the cursor and stops at the limit, so a page costs what it
    /// shows, not the organisation's whole history.
    #[allow(clippy::too_many_arguments)]
    pub async fn referrals_for(
        &mut self,
        org_id: Uuid,
        sent: bool,
        received: bool,
        today: Date,
        limit: i64,
        after: Option<Uuid>,
    ) -> Result<Vec<ReferralListRow>> {
        let Some(sql) = referrals_for_sql(sent, received, after.is_some()) else {
            return Ok(Vec::new());
        };
        let sql = sqlx::AssertSqlSafe(sql);
        Ok(match (after, received) {
            (None, false) => fetch_all!(&mut self.tx, ReferralListRow, sql, org_id, limit)?,
            (None, true) => fetch_all!(&mut self.tx, ReferralListRow, sql, org_id, limit, today)?,
            (Some(a), false) => fetch_all!(&mut self.tx, ReferralListRow, sql, org_id, limit, a)?,
            (Some(a), true) => {
                fetch_all!(&mut self.tx, ReferralListRow, sql, org_id, limit, a, today)?
            }
        })
    }

    /// Whether `id` can be a cursor in `org_id`'s referral list: a referral it sent or received.
    pub async fn referral_cursor_known(&mut self, org_id: Uuid, id: Uuid) -> Result<bool> {
        let row = fetch_optional!(
            &mut self.tx,
            (Uuid,),
            "SELECT id FROM referrals WHERE id = $1 AND (org_id = $2 OR to_org_id = $2)",
            id,
            org_id
        )?;
        Ok(row.is_some())
    }

    /// Moves a referral from `from` to `to`; false if it was no longer at `from` (a race).
    pub async fn move_referral(
        &mut self,
        id: Uuid,
        from: &str,
        to: &str,
        by: Uuid,
        at: OffsetDateTime,
        note: Option<&str>,
    ) -> Result<bool> {
        let answered = matches!(to, "accepted" | "declined");
        let n = exec!(
            &mut self.tx,
            "UPDATE referrals SET status = $1,
                answered_by = CASE WHEN $2 THEN $3 ELSE answered_by END,
                answered_at = CASE WHEN $2 THEN $4 ELSE answered_at END,
                answer_note = CASE WHEN $2 THEN $5 ELSE answer_note END,
                closed_at = CASE WHEN $1 = 'closed' THEN $4 ELSE closed_at END
             WHERE id = $6 AND status = $7",
            to,
            answered,
            by,
            at,
            note,
            id,
            from
        )?;
        Ok(n == 1)
    }
}
