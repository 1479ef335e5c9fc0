//! Participants: personal data, reachable only through [`Audited`].

use crate::{Audited, Result, Store, StoreError, exec, fetch_all, fetch_optional, fetch_scalar};
use sqlx::AssertSqlSafe;
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
    /// The same number's hash under the other search keys in use (during a key rotation):
    /// a row matching any of them is found.
    pub other_identity_hashes: Vec<Vec<u8>>,
    pub limit: i64,
    pub offset: i64,
}

/// Counting matches stops here: the total is exact below it, and "more than" at it.
pub const TOTAL_CAP: i64 = 1000;

/// With at least this many trigram matches in the whole installation, walking the
/// organisation's list order (stopping after the page) costs less than sorting the matches.
const FTS_DENSE: i64 = 2000;

/// One bound value of a search, whose SQL depends on the visibility and the strategy.
enum Arg {
    Uuid(Uuid),
    Text(String),
    Bytes(Vec<u8>),
    Date(Date),
    Int(i64),
}

macro_rules! bind_args {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                Arg::Uuid(v) => q.bind(*v),
                Arg::Text(v) => q.bind(v.as_str()),
                Arg::Bytes(v) => q.bind(v.as_slice()),
                Arg::Date(v) => q.bind(*v),
                Arg::Int(v) => q.bind(*v),
            };
        }
        q
    }};
}

/// A search's SQL: its tables, its condition and the values bound to `$1…`.
struct SearchSql {
    from: String,
    cond: Vec<String>,
    args: Vec<Arg>,
}

impl SearchSql {
    fn bind(&mut self, arg: Arg) -> usize {
        self.args.push(arg);
        self.args.len()
    }

    /// Which participants the visibility allows, one SQL shape per kind (no `$n IS NULL OR`,
    /// which no index can serve). `None`: nothing.
    fn visibility(visibility: Visibility) -> Option<Self> {
        let mut sql = SearchSql {
            from: "participants p".into(),
            cond: Vec::new(),
            args: Vec::new(),
        };
        let cond = match visibility {
            Visibility::Organisation(org) => format!("p.org_id = ${}", sql.bind(Arg::Uuid(org))),
            Visibility::Participant(id) => format!("p.id = ${}", sql.bind(Arg::Uuid(id))),
            Visibility::Consented {
                recipient,
                kind,
                today,
            } => {
                let recipient = sql.bind(Arg::Uuid(recipient));
                let pattern = sql.bind(Arg::Text(crate::consent::kind_pattern(kind)));
                let day = sql.bind(Arg::Date(today));
                format!(
                    "p.id IN (SELECT c.participant_id FROM consents c
                              WHERE c.recipient_org_id = ${recipient} AND {} AND {})",
                    crate::consent::live_on(day as u8),
                    crate::consent::covers(pattern as u8),
                )
            }
            Visibility::Nothing => return None,
        };
        sql.cond.push(cond);
        Some(sql)
    }

    fn select(&self, columns: &str, tail: &str) -> String {
        format!(
            "SELECT {columns} FROM {} WHERE {} {tail}",
            self.from,
            self.cond.join(" AND ")
        )
    }
}

fn like_pattern(fragment: &str) -> String {
    let escaped = fragment
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// One page of a search.
#[derive(Debug)]
pub struct SearchPage {
    pub rows: Vec<ParticipantRow>,
    /// How many match, up to the cap.
    pub total: i64,
    /// There are more than `total`.
    pub more: bool,
}

/// A search's two statements (the page, and the capped count) and their values.
struct SearchStatements {
    args: Vec<Arg>,
    rows: String,
    page: [Arg; 2],
    count: String,
    stop: [Arg; 1],
    cap: i64,
}

impl SearchStatements {
    fn new(
        backend: crate::Backend,
        visibility: Visibility,
        query: &ParticipantQuery,
        trigram: bool,
    ) -> Option<Self> {
        let mut sql = SearchSql::visibility(visibility)?;
        if let Some(hash) = &query.identity_hash {
            let n = sql.bind(Arg::Bytes(hash.clone()));
            let mut list = format!("${n}");
            for other in &query.other_identity_hashes {
                let n = sql.bind(Arg::Bytes(other.clone()));
                list.push_str(&format!(", ${n}"));
            }
            sql.cond.push(format!("p.identity_hash IN ({list})"));
        }
        if let Some(name) = &query.name {
            if trigram && backend == crate::Backend::Sqlite {
                sql.from =
                    "participant_names n CROSS JOIN participants p ON p.rowid = n.rowid".into();
                let n = sql.bind(Arg::Text(fts_phrase(name)));
                sql.cond.push(format!("participant_names MATCH ${n}"));
            }
            // The recheck keeps the meaning exactly LIKE's, whatever served the candidates.
            let n = sql.bind(Arg::Text(like_pattern(name)));
            sql.cond
                .push(format!("p.search_name LIKE ${n} ESCAPE '\\'"));
            if trigram && backend == crate::Backend::Postgres {
                // OFFSET 0 keeps the planner from merging the subquery: it takes the matches
                // from pg_trgm and sorts those few, instead of walking the whole list order.
                sql.from = format!(
                    "(SELECT * FROM participants q
                      WHERE q.search_name LIKE ${n} ESCAPE '\\' OFFSET 0) p"
                );
            }
        }
        let first = sql.args.len();
        let rows = sql.select(
            COLUMNS,
            &format!(
                "ORDER BY p.family_name, p.given_name, p.id LIMIT ${} OFFSET ${}",
                first + 1,
                first + 2
            ),
        );
        // Counting stops after the cap, or after the page when that is further on.
        let cap = TOTAL_CAP.max(query.offset.saturating_add(query.limit));
        let count = format!(
            "SELECT COUNT(*) FROM ({}) counted",
            sql.select("1", &format!("LIMIT ${}", first + 1))
        );
        Some(SearchStatements {
            args: sql.args,
            rows,
            page: [Arg::Int(query.limit), Arg::Int(query.offset)],
            count,
            stop: [Arg::Int(cap.saturating_add(1))],
            cap,
        })
    }
}

/// The FTS5 query for a folded fragment: one phrase, which the trigram tokenizer matches as a
/// substring (spaces included).
fn fts_phrase(fragment: &str) -> String {
    format!("\"{}\"", fragment.replace('"', "\"\""))
}

/// A participant row's columns, as [`StoredParticipant`] reads them.
const COLUMNS: &str = "p.org_id, p.id, p.identity_mode, p.identity_kind, p.identity_enc,
    p.identity_hash, p.birth_date, p.given_name, p.family_name, p.search_name, p.gender,
    p.created_at, p.created_by, p.updated_at";

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

    /// Id of the participant in `org_id` with one of these identity hashes (the same number
    /// under each search key in use: two while a key rotation moves the hashes), if any.
    pub async fn participant_by_identity(
        &mut self,
        org_id: Uuid,
        hashes: &[Vec<u8>],
    ) -> Result<Option<Uuid>> {
        for hash in hashes {
            let row = fetch_optional!(
                &mut self.tx,
                (Uuid,),
                "SELECT id FROM participants WHERE org_id = $1 AND identity_hash = $2",
                org_id,
                hash.as_slice()
            )?;
            if let Some((id,)) = row {
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    /// Participants visible under `visibility` that match `query`, in list order, and how many
    /// match (counted up to [`TOTAL_CAP`]; see [`Audited::search_page`]).
    pub async fn search_participants(
        &mut self,
        visibility: Visibility,
        query: &ParticipantQuery,
    ) -> Result<(Vec<ParticipantRow>, i64)> {
        let page = self.search_page(visibility, query).await?;
        Ok((page.rows, page.total))
    }

    /// One page of a search, and how many match, counted up to [`TOTAL_CAP`] (or the end of
    /// the page, if further on).
    pub async fn search_page(
        &mut self,
        visibility: Visibility,
        query: &ParticipantQuery,
    ) -> Result<SearchPage> {
        let trigram = match &query.name {
            // A fragment of three or more letters that is not common goes through the trigram
            // index (FTS5, pg_trgm); the rest walks the list order (participants_by_name).
            // PostgreSQL's planner, left to itself, walks the order also for rare fragments.
            Some(name) if name.chars().count() >= 3 => {
                self.trigram_matches(name).await? < FTS_DENSE
            }
            _ => false,
        };
        let backend = self.tx.backend();
        let Some(s) = SearchStatements::new(backend, visibility, query, trigram) else {
            return Ok(SearchPage {
                rows: Vec::new(),
                total: 0,
                more: false,
            });
        };
        let rows = self
            .fetch_participants(s.rows, s.args.iter().chain(&s.page))
            .await?;
        let counted = self.count(s.count, s.args.iter().chain(&s.stop)).await?;
        Ok(SearchPage {
            rows,
            total: counted.min(s.cap),
            more: counted > s.cap,
        })
    }

    /// SQLite's plans for a search's two statements (tests pin them).
    #[cfg(test)]
    pub(crate) async fn search_plans(
        &mut self,
        visibility: Visibility,
        query: &ParticipantQuery,
        trigram: bool,
    ) -> Result<Vec<String>> {
        let s = SearchStatements::new(crate::Backend::Sqlite, visibility, query, trigram).unwrap();
        let mut plans = Vec::new();
        for (sql, extra) in [(s.rows, &s.page[..]), (s.count, &s.stop[..])] {
            let crate::Tx::Sqlite(t, _) = &mut self.tx else {
                unreachable!("SQLite only")
            };
            let rows: Vec<(i64, i64, i64, String)> = bind_args!(
                sqlx::query_as(AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}"))),
                s.args.iter().chain(extra)
            )
            .fetch_all(&mut **t)
            .await?;
            plans.push(rows.into_iter().map(|r| r.3).collect::<Vec<_>>().join("; "));
        }
        Ok(plans)
    }

    /// How many names in the whole installation hold the fragment, counted up to
    /// [`FTS_DENSE`]: a few index pages, no table rows.
    async fn trigram_matches(&mut self, fragment: &str) -> Result<i64> {
        Ok(match self.tx.backend() {
            crate::Backend::Sqlite => fetch_scalar!(
                &mut self.tx,
                i64,
                "SELECT COUNT(*) FROM (SELECT 1 FROM participant_names
                                       WHERE participant_names MATCH $1 LIMIT $2) matched",
                fts_phrase(fragment),
                FTS_DENSE
            )?,
            crate::Backend::Postgres => fetch_scalar!(
                &mut self.tx,
                i64,
                "SELECT COUNT(*) FROM (SELECT 1 FROM participants
                                       WHERE search_name LIKE $1 ESCAPE '\\' LIMIT $2) matched",
                like_pattern(fragment),
                FTS_DENSE
            )?,
        })
    }

    async fn fetch_participants(
        &mut self,
        sql: String,
        args: impl Iterator<Item = &Arg> + Clone,
    ) -> Result<Vec<ParticipantRow>> {
        let rows = match &mut self.tx {
            crate::Tx::Sqlite(t, _) => {
                bind_args!(
                    sqlx::query_as::<_, StoredParticipant>(AssertSqlSafe(sql)),
                    args
                )
                .fetch_all(&mut **t)
                .await
            }
            crate::Tx::Postgres(t) => {
                bind_args!(
                    sqlx::query_as::<_, StoredParticipant>(AssertSqlSafe(sql)),
                    args
                )
                .fetch_all(&mut **t)
                .await
            }
        }?;
        rows.into_iter().map(ParticipantRow::try_from).collect()
    }

    async fn count(
        &mut self,
        sql: String,
        args: impl Iterator<Item = &Arg> + Clone,
    ) -> Result<i64> {
        Ok(match &mut self.tx {
            crate::Tx::Sqlite(t, _) => {
                bind_args!(sqlx::query_scalar::<_, i64>(AssertSqlSafe(sql)), args)
                    .fetch_one(&mut **t)
                    .await
            }
            crate::Tx::Postgres(t) => {
                bind_args!(sqlx::query_scalar::<_, i64>(AssertSqlSafe(sql)), args)
                    .fetch_one(&mut **t)
                    .await
            }
        }?)
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

/// One participant's names and stored search form, for refolding.
#[derive(sqlx::FromRow)]
pub struct StoredNames {
    pub id: Uuid,
    pub given_name: String,
    pub family_name: String,
    pub search_name: String,
}

impl std::fmt::Debug for StoredNames {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredNames")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// The folding version the stored `search_name` values were made with.
    pub async fn search_folding_version(&self) -> Result<i64> {
        let mut tx = self.begin_read().await?;
        let v = fetch_scalar!(
            &mut tx,
            i64,
            "SELECT CAST(version AS BIGINT) FROM search_folding WHERE id = 1"
        )?;
        tx.commit().await?;
        Ok(v)
    }
}

impl Audited {
    /// Up to `limit` participants' names after `after`, in id order (a batch of a refolding).
    pub async fn names_after(&mut self, after: Uuid, limit: i64) -> Result<Vec<StoredNames>> {
        Ok(fetch_all!(
            &mut self.tx,
            StoredNames,
            "SELECT id, given_name, family_name, search_name FROM participants
             WHERE id > $1 ORDER BY id LIMIT $2",
            after,
            limit
        )?)
    }

    pub async fn set_search_name(&mut self, id: Uuid, search_name: &str) -> Result<()> {
        exec!(
            &mut self.tx,
            "UPDATE participants SET search_name = $1 WHERE id = $2",
            search_name,
            id
        )?;
        Ok(())
    }

    /// Records that every stored `search_name` is folded with `version`.
    pub async fn set_search_folding_version(&mut self, version: i64) -> Result<()> {
        exec!(
            &mut self.tx,
            "UPDATE search_folding SET version = $1 WHERE id = 1",
            version
        )?;
        Ok(())
    }
}
