//! Consents: personal data (through [`Audited`]), and the live ones the gate decides from.

use crate::{Audited, Result, Store, exec, fetch_all, fetch_optional};
use sqlx::AssertSqlSafe;
use std::sync::LazyLock;
use stegvis_domain::access::RecordKind;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ConsentRow {
    pub org_id: Uuid,
    pub id: Uuid,
    pub participant_id: Uuid,
    pub recipient_org_id: Uuid,
    /// The kinds of record it covers (stored as comma-separated codes).
    pub kinds: KindList,
    pub purpose: String,
    /// `written`, `oral` or `digital`.
    pub form: String,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    pub recorded_by: Option<Uuid>,
    pub recorded_at: OffsetDateTime,
    pub revoked_at: Option<OffsetDateTime>,
    pub revoked_by: Option<Uuid>,
    /// Live on the day the row was read for ([`live_on`]); not stored.
    #[sqlx(default)]
    pub live: bool,
}

impl std::fmt::Debug for ConsentRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConsentRow")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// The record kinds a consent covers, stored as their codes separated by commas. A stored code
/// that is not a record kind is a decoding error, never a kind left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KindList(pub Vec<RecordKind>);

impl std::fmt::Display for KindList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let codes: Vec<&str> = self.0.iter().map(|k| k.code()).collect();
        f.write_str(&codes.join(","))
    }
}

impl<DB: sqlx::Database> sqlx::Type<DB> for KindList
where
    String: sqlx::Type<DB>,
{
    fn type_info() -> DB::TypeInfo {
        <String as sqlx::Type<DB>>::type_info()
    }
    fn compatible(ty: &DB::TypeInfo) -> bool {
        <String as sqlx::Type<DB>>::compatible(ty)
    }
}

impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for KindList
where
    &'r str: sqlx::Decode<'r, DB>,
{
    fn decode(
        value: <DB as sqlx::Database>::ValueRef<'r>,
    ) -> std::result::Result<Self, sqlx::error::BoxDynError> {
        let codes = <&'r str as sqlx::Decode<'r, DB>>::decode(value)?;
        Ok(KindList(
            codes
                .split(',')
                .map(|c| RecordKind::from_code(c.trim()))
                .collect::<std::result::Result<_, _>>()?,
        ))
    }
}

/// The one rule of a live consent, as SQL over a row of `consents` named `c`: not revoked, begun
/// on or before the day in placeholder `$day`, not ended before it. Every query that depends on
/// consent uses it: the gate's live consents, partners' searches, received referrals, and the
/// consent's own "live" flag.
pub(crate) fn live_on(day: u8) -> String {
    format!(
        "(c.revoked_at IS NULL AND c.valid_from <= ${day} \
         AND (c.valid_to IS NULL OR c.valid_to >= ${day}))"
    )
}

/// Whether consent `c` covers the record kind whose `%,code,%` pattern is in `$pattern`.
pub(crate) fn covers(pattern: u8) -> String {
    format!("((',' || c.kinds || ',') LIKE ${pattern})")
}

/// The `%,code,%` pattern [`covers`] matches a record kind's code with.
pub(crate) fn kind_pattern(code: &str) -> String {
    format!("%,{code},%")
}

/// The consents of `$1` live on `$2`.
static LIVE: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT id, recipient_org_id, kinds FROM consents c WHERE c.participant_id = $1 AND {}",
        live_on(2)
    )
});

/// Every column, and whether the consent is live on `$1`.
static SELECT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT org_id, id, participant_id, recipient_org_id, kinds, purpose, form, valid_from,
                valid_to, recorded_by, recorded_at, revoked_at, revoked_by, {} AS live
         FROM consents c",
        live_on(1)
    )
});

impl Store {
    /// The consents of a participant that are live on `today`: begun, not ended, not revoked.
    /// For the gate's decision, which happens before any record is opened.
    pub async fn live_consents(
        &self,
        participant_id: Uuid,
        today: Date,
    ) -> Result<Vec<(Uuid, Uuid, KindList)>> {
        let rows = crate::db::pool_fetch_all!(
            self,
            (Uuid, Uuid, KindList),
            AssertSqlSafe(LIVE.as_str()),
            participant_id,
            today
        )?;
        Ok(rows)
    }

    /// The participant a consent is about, for the gate.
    pub async fn consent_participant(&self, id: Uuid) -> Result<Option<Uuid>> {
        let row = crate::db::pool_fetch_optional!(
            self,
            (Uuid,),
            "SELECT participant_id FROM consents WHERE id = $1",
            id
        )?;
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
    ) -> Result<Vec<(Uuid, Uuid, KindList)>> {
        Ok(fetch_all!(
            &mut self.tx,
            (Uuid, Uuid, KindList),
            AssertSqlSafe(LIVE.as_str()),
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
            c.kinds.to_string(),
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

    /// A participant's consents, newest first, each with whether it is live on `today`.
    pub async fn consents_of(
        &mut self,
        participant_id: Uuid,
        today: Date,
    ) -> Result<Vec<ConsentRow>> {
        let sql = AssertSqlSafe(format!(
            "{} WHERE c.participant_id = $2 ORDER BY c.recorded_at DESC, c.id",
            *SELECT
        ));
        Ok(fetch_all!(
            &mut self.tx,
            ConsentRow,
            sql,
            today,
            participant_id
        )?)
    }

    /// One consent, with whether it is live on `today`.
    pub async fn consent(&mut self, id: Uuid, today: Date) -> Result<Option<ConsentRow>> {
        let sql = AssertSqlSafe(format!("{} WHERE c.id = $2", *SELECT));
        Ok(fetch_optional!(&mut self.tx, ConsentRow, sql, today, id)?)
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
