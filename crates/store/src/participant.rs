//! Participants: personal data, reachable only through [`Audited`].

use crate::{Audited, Result, Store, StoreError, exec, fetch_all, fetch_optional, fetch_scalar};
use sqlx::AssertSqlSafe;
use std::sync::LazyLock;
use stegvis_domain::participant::IdentityMode;
use stegvis_domain::{Gender, IdentityKind, SealedIdentity};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

#[derive(Clone, PartialEq, Eq)]
pub struct ParticipantRow {
    pub org_id: Uuid,
    pub id: Uuid,
    pub identity_mode: IdentityMode,
    /// The identity number, sealed: present exactly when the mode is `number`.
    pub identity: Option<SealedIdentity>,
    pub birth_date: Option<Date>,
    pub given_name: String,
    pub family_name: String,
    pub search_name: String,
    pub gender: Gender,
    pub created_at: OffsetDateTime,
    pub created_by: Option<Uuid>,
    pub updated_at: OffsetDateTime,
}

/// A participant as the table holds it: the sealed identity number in three columns.
#[derive(sqlx::FromRow)]
struct StoredParticipant {
    org_id: Uuid,
    id: Uuid,
    identity_mode: IdentityMode,
    identity_kind: Option<IdentityKind>,
    identity_enc: Option<Vec<u8>>,
    identity_hash: Option<Vec<u8>>,
    birth_date: Option<Date>,
    given_name: String,
    family_name: String,
    search_name: String,
    gender: Gender,
    created_at: OffsetDateTime,
    created_by: Option<Uuid>,
    updated_at: OffsetDateTime,
}

/// The three columns of a sealed identity number, read together: all present or none.
pub(crate) fn sealed_identity(
    kind: Option<IdentityKind>,
    ciphertext: Option<Vec<u8>>,
    hash: Option<Vec<u8>>,
) -> Result<Option<SealedIdentity>> {
    match (kind, ciphertext, hash) {
        (Some(kind), Some(ciphertext), Some(hash)) => Ok(Some(SealedIdentity {
            kind,
            ciphertext,
            hash,
        })),
        (None, None, None) => Ok(None),
        _ => Err(StoreError::Corrupt(
            "participants.identity_*: an identity number is stored in part".into(),
        )),
    }
}

impl TryFrom<StoredParticipant> for ParticipantRow {
    type Error = StoreError;

    fn try_from(p: StoredParticipant) -> Result<Self> {
        let identity = sealed_identity(p.identity_kind, p.identity_enc, p.identity_hash)?;
        if identity.is_some() != (p.identity_mode == IdentityMode::Number) {
            return Err(StoreError::Corrupt(
                "participants.identity_mode does not match the stored identity number".into(),
            ));
        }
        Ok(ParticipantRow {
            org_id: p.org_id,
            id: p.id,
            identity_mode: p.identity_mode,
            identity,
            birth_date: p.birth_date,
            given_name: p.given_name,
            family_name: p.family_name,
            search_name: p.search_name,
            gender: p.gender,
            created_at: p.created_at,
            created_by: p.created_by,
            updated_at: p.updated_at,
        })
    }
}

impl std::fmt::Debug for ParticipantRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Personal data never reaches logs.
        f.debug_struct("ParticipantRow")
            .field("org_id", &self.org_id)
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// Which participants a query may return: decided by `app::policy`, applied here in SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// Participants controlled by this organisation.
    Organisation(Uuid),
    /// Only this participant (the participant's own account).
    Participant(Uuid),
    /// Participants with a consent to `recipient`, live on `today`, covering record kind `kind`.
    Consented {
        recipient: Uuid,
        kind: &'static str,
        today: time::Date,
    },
    Nothing,
}

/// The earlier value of a personal record, kept when it is corrected.
#[derive(Debug, Clone)]
pub struct HistoryEntry {
    pub org_id: Uuid,
    pub participant_id: Uuid,
    pub record_kind: String,
    pub record_id: Uuid,
    pub changed_by: Option<Uuid>,
    pub changed_at: OffsetDateTime,
    /// The record as it was, as JSON.
    pub previous: String,
}

/// One kept earlier version of a record, with who replaced it and when.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct HistoryRow {
    pub changed_at: OffsetDateTime,
    pub changed_by: Option<Uuid>,
    pub changed_by_name: Option<String>,
    /// The record as it was, as JSON.
    pub previous: String,
}

impl std::fmt::Debug for HistoryRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HistoryRow")
            .field("changed_at", &self.changed_at)
            .finish_non_exhaustive()
    }
}

/// What to look for in a participant search.
#[derive(Debug, Clone, Default)]
pub struct ParticipantQuery {
    /// Lower-case fragment of the name.
    pub name: Option<String>,
    /// Exact keyed hash of an identity number.
    pub identity_hash: Option<Vec<u8>>,
    pub limit: i64,
    pub offset: i64,
}

impl Visibility {
    /// Organisation, single participant, and consent filter (recipient, kind pattern, day).
    #[allow(clippy::type_complexity)]
    fn binds(
        self,
    ) -> Option<(
        Option<Uuid>,
        Option<Uuid>,
        Option<(Uuid, String, time::Date)>,
    )> {
        match self {
            Visibility::Organisation(org) => Some((Some(org), None, None)),
            Visibility::Participant(id) => Some((None, Some(id), None)),
            Visibility::Consented {
                recipient,
                kind,
                today,
            } => Some((
                None,
                None,
                Some((recipient, crate::consent::kind_pattern(kind), today)),
            )),
            Visibility::Nothing => None,
        }
    }
}

fn like_pattern(fragment: &str) -> String {
    let escaped = fragment
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// Which participants a search may return: `$1` the organisation, `$2` one participant, or the
/// consent filter (`$7` recipient, `$8` kind pattern, `$9` day); then `$3` a name pattern and
/// `$4` an identity hash. `$5`/`$6` are the page.
fn search_filter(recipient: u8, pattern: u8, day: u8) -> String {
    format!(
        "($1 IS NULL OR org_id = $1) AND ($2 IS NULL OR id = $2)
           AND ($3 IS NULL OR search_name LIKE $3 ESCAPE '\\')
           AND ($4 IS NULL OR identity_hash = $4)
           AND (${recipient} IS NULL OR EXISTS (
               SELECT 1 FROM consents c
               WHERE c.participant_id = participants.id AND c.recipient_org_id = ${recipient}
                 AND {} AND {}))",
        crate::consent::live_on(day),
        crate::consent::covers(pattern),
    )
}

static SEARCH: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT org_id, id, identity_mode, identity_kind, identity_enc, identity_hash, birth_date,
                given_name, family_name, search_name, gender, created_at, created_by, updated_at
         FROM participants WHERE {}
         ORDER BY family_name, given_name, id
         LIMIT $5 OFFSET $6",
        search_filter(7, 8, 9)
    )
});

static SEARCH_COUNT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT COUNT(*) FROM participants WHERE {}",
        search_filter(5, 6, 7)
    )
});

impl Store {
    /// The controlling organisation of a participant id, so the gate can decide before any
    /// personal data is read. An id alone is not personal data.
    pub async fn participant_org(&self, id: Uuid) -> Result<Option<Uuid>> {
        let org = crate::db::pool_fetch_optional!(
            self,
            (Uuid,),
            "SELECT org_id FROM participants WHERE id = $1",
            id
        )?;
        Ok(org.map(|(o,)| o))
    }
}

impl Store {
    /// Whether any participant exists (an existence check: no personal data leaves the store).
    pub async fn has_participants(&self) -> Result<bool> {
        let mut tx = self.begin_read().await?;
        let any =
            fetch_optional!(&mut tx, (Uuid,), "SELECT id FROM participants LIMIT 1")?.is_some();
        tx.commit().await?;
        Ok(any)
    }
}

impl Audited {
    pub async fn insert_participant(&mut self, p: &ParticipantRow) -> Result<()> {
        exec!(
            &mut self.tx,
            "INSERT INTO participants (org_id, id, identity_mode, identity_kind, identity_enc,
                identity_hash, birth_date, given_name, family_name, search_name, gender,
                created_at, created_by, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            p.org_id,
            p.id,
            p.identity_mode.code(),
            p.identity.as_ref().map(|i| i.kind.code()),
            p.identity.as_ref().map(|i| &i.ciphertext),
            p.identity.as_ref().map(|i| &i.hash),
            p.birth_date,
            &p.given_name,
            &p.family_name,
            &p.search_name,
            p.gender.code(),
            p.created_at,
            p.created_by,
            p.updated_at,
        )?;
        Ok(())
    }

    pub async fn participant(&mut self, id: Uuid) -> Result<Option<ParticipantRow>> {
        fetch_optional!(
            &mut self.tx,
            StoredParticipant,
            "SELECT org_id, id, identity_mode, identity_kind, identity_enc, identity_hash, birth_date,
                    given_name, family_name, search_name, gender, created_at, created_by, updated_at
             FROM participants WHERE id = $1",
            id
        )?
        .map(ParticipantRow::try_from)
        .transpose()
    }

    /// Id of the participant in `org_id` with this identity hash, if any.
    pub async fn participant_by_identity(
        &mut self,
        org_id: Uuid,
        hash: &[u8],
    ) -> Result<Option<Uuid>> {
        let row = fetch_optional!(
            &mut self.tx,
            (Uuid,),
            "SELECT id FROM participants WHERE org_id = $1 AND identity_hash = $2",
            org_id,
            hash
        )?;
        Ok(row.map(|(id,)| id))
    }

    /// Participants visible under `visibility` that match `query`, by name, and the total count.
    pub async fn search_participants(
        &mut self,
        visibility: Visibility,
        query: &ParticipantQuery,
    ) -> Result<(Vec<ParticipantRow>, i64)> {
        let Some((org, only, consent)) = visibility.binds() else {
            return Ok((Vec::new(), 0));
        };
        let (recipient, pattern, today) = match consent {
            Some((r, p, d)) => (Some(r), Some(p), Some(d)),
            None => (None, None, None),
        };
        let name = query.name.as_deref().map(like_pattern);
        let rows = fetch_all!(
            &mut self.tx,
            StoredParticipant,
            AssertSqlSafe(SEARCH.as_str()),
            org,
            only,
            &name,
            &query.identity_hash,
            query.limit,
            query.offset,
            recipient,
            &pattern,
            today,
        )?;
        let total = fetch_scalar!(
            &mut self.tx,
            i64,
            AssertSqlSafe(SEARCH_COUNT.as_str()),
            org,
            only,
            &name,
            &query.identity_hash,
            recipient,
            &pattern,
            today,
        )?;
        let rows = rows
            .into_iter()
            .map(ParticipantRow::try_from)
            .collect::<Result<_>>()?;
        Ok((rows, total))
    }

    /// Keeps the earlier value of a corrected record.
    pub async fn insert_history(&mut self, h: &HistoryEntry) -> Result<()> {
        exec!(
            &mut self.tx,
            "INSERT INTO record_history (org_id, id, participant_id, record_kind, record_id, changed_at, changed_by, previous)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            h.org_id,
            Uuid::now_v7(),
            h.participant_id,
            &h.record_kind,
            h.record_id,
            h.changed_at,
            h.changed_by,
            &h.previous,
        )?;
        Ok(())
    }

    /// The earlier versions of a record, newest first.
    pub async fn history_of(&mut self, record_id: Uuid) -> Result<Vec<HistoryRow>> {
        Ok(fetch_all!(
            &mut self.tx,
            HistoryRow,
            "SELECT h.changed_at, h.changed_by, u.name AS changed_by_name, h.previous
             FROM record_history h LEFT JOIN users u ON u.id = h.changed_by
             WHERE h.record_id = $1
             ORDER BY h.changed_at DESC, h.id DESC",
            record_id
        )?)
    }

    /// Number of history entries kept for a record.
    pub async fn history_count(&mut self, record_id: Uuid) -> Result<i64> {
        Ok(fetch_scalar!(
            &mut self.tx,
            i64,
            "SELECT COUNT(*) FROM record_history WHERE record_id = $1",
            record_id
        )?)
    }
}
