//! Tamper evidence for the audit trail. Every event is written with a keyed MAC over its
//! canonical bytes (the key stays in the app: the store only holds an [`EventSigner`]), so an
//! event changed or inserted by hand fails its MAC. A sealer appends each written event to
//! `audit_chain`, a hash chain in the order it sealed them, so a removed event leaves a link
//! without its event. Writers only insert a row into `audit_pending` (a trigger), so
//! PostgreSQL's transactions take no shared lock; the sealer takes an advisory lock.
//! [`Store::verify_chain`] walks the chain and names the first problem.

use crate::audit::AuditEvent;
use crate::batch::Value;
use crate::{Audited, Result, Store, StoreError, Tx, exec, fetch_all, fetch_optional};
use sha2::{Digest, Sha256};
use stegvis_domain::access::{Action, Decision};
use time::OffsetDateTime;
use uuid::Uuid;

/// Computes MACs with a key the store never sees.
pub trait EventSigner: Send + Sync {
    /// The key new events are signed with.
    fn key_id(&self) -> i16;
    /// The MAC of `bytes` under `key_id`, or `None` when that key is not in the key file.
    fn mac(&self, key_id: i16, bytes: &[u8]) -> Option<[u8; 32]>;
}

/// Where the app's signer is kept, shared by the pool's writers and the audit writer.
pub(crate) type SignerSlot = std::sync::Arc<std::sync::OnceLock<std::sync::Arc<dyn EventSigner>>>;

/// Events chained in one sealer transaction at most.
pub const SEAL_BATCH: i64 = 10_000;
/// Links read per round trip while verifying.
const VERIFY_BATCH: i64 = 5_000;
/// The PostgreSQL advisory lock that keeps one sealer per database ("stegvis" + 1).
const SEALER_LOCK: i64 = 0x7374_6567_7669_7301;

/// The bytes an event's MAC and digest cover: version 1, id, time (unix seconds and whole
/// microseconds, which both databases keep exactly), then every field length-prefixed.
pub fn canonical(e: &AuditEvent) -> Vec<u8> {
    fn text(b: &mut Vec<u8>, s: &str) {
        b.extend_from_slice(&(s.len() as u32).to_be_bytes());
        b.extend_from_slice(s.as_bytes());
    }
    fn opt_id(b: &mut Vec<u8>, id: Option<Uuid>) {
        match id {
            None => b.push(0),
            Some(id) => {
                b.push(1);
                b.extend_from_slice(id.as_bytes());
            }
        }
    }
    let mut b = Vec::with_capacity(160);
    b.push(1);
    b.extend_from_slice(e.id.as_bytes());
    b.extend_from_slice(&e.at.unix_timestamp().to_be_bytes());
    b.extend_from_slice(&e.at.microsecond().to_be_bytes());
    opt_id(&mut b, e.actor_user_id);
    text(&mut b, &e.actor_role);
    opt_id(&mut b, e.actor_org_id);
    opt_id(&mut b, e.participant_id);
    text(&mut b, &e.record_kind);
    text(&mut b, e.action.code());
    text(&mut b, e.decision.code());
    text(&mut b, &e.ground);
    match &e.detail {
        None => b.push(0),
        Some(d) => {
            b.push(1);
            text(&mut b, d);
        }
    }
    b
}

/// The MAC and key id to store with `e`; none without a signer (then verify names the event).
pub(crate) fn sign(
    signer: Option<&dyn EventSigner>,
    e: &AuditEvent,
) -> (Option<Vec<u8>>, Option<i16>) {
    match signer {
        Some(s) => {
            let key = s.key_id();
            (s.mac(key, &canonical(e)).map(|m| m.to_vec()), Some(key))
        }
        None => (None, None),
    }
}

fn digest(e: &AuditEvent, mac: Option<&[u8]>, mac_key: Option<i16>) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(canonical(e));
    match (mac, mac_key) {
        (Some(m), Some(k)) => {
            h.update([1]);
            h.update(k.to_be_bytes());
            h.update(m);
        }
        _ => h.update([0]),
    }
    h.finalize().to_vec()
}

fn link_hash(prev: &[u8], pos: i64, kind: &str, event_id: Uuid, digest: &[u8]) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(b"stegvis chain v1");
    h.update(prev);
    h.update(pos.to_be_bytes());
    h.update(kind.as_bytes());
    h.update(event_id.as_bytes());
    h.update(digest);
    h.finalize().to_vec()
}

/// The chain's start: the hash before the first link.
const GENESIS: [u8; 32] = [0; 32];

/// An event as stored, with its MAC.
#[derive(sqlx::FromRow)]
struct StoredEvent {
    #[sqlx(flatten)]
    event: AuditEvent,
    mac: Option<Vec<u8>>,
    mac_key: Option<i16>,
}

const EVENT_COLUMNS: &str = "e.id, e.at, e.actor_user_id, e.actor_role, e.actor_org_id,
    e.participant_id, e.record_kind, e.action, e.decision, e.ground, e.detail, e.mac, e.mac_key";

#[derive(sqlx::FromRow)]
struct ChainState {
    legacy_until: Option<OffsetDateTime>,
    legacy_done: bool,
}

#[derive(sqlx::FromRow)]
struct Head {
    pos: i64,
    link_hash: Vec<u8>,
}

#[derive(sqlx::FromRow)]
struct Cursor {
    event_at: OffsetDateTime,
    event_id: Uuid,
}

/// A link read back with its event, if the event is still there.
#[derive(sqlx::FromRow)]
struct LinkRow {
    pos: i64,
    kind: String,
    event_id: Uuid,
    event_at: OffsetDateTime,
    event_digest: Vec<u8>,
    link_hash: Vec<u8>,
    e_id: Option<Uuid>,
    e_at: Option<OffsetDateTime>,
    actor_user_id: Option<Uuid>,
    actor_role: Option<String>,
    actor_org_id: Option<Uuid>,
    participant_id: Option<Uuid>,
    record_kind: Option<String>,
    action: Option<Action>,
    decision: Option<Decision>,
    ground: Option<String>,
    detail: Option<String>,
    mac: Option<Vec<u8>>,
    mac_key: Option<i16>,
}

impl LinkRow {
    fn event(&self) -> Option<AuditEvent> {
        Some(AuditEvent {
            id: self.e_id?,
            at: self.e_at?,
            actor_user_id: self.actor_user_id,
            actor_role: self.actor_role.clone()?,
            actor_org_id: self.actor_org_id,
            participant_id: self.participant_id,
            record_kind: self.record_kind.clone()?,
            action: self.action?,
            decision: self.decision?,
            ground: self.ground.clone()?,
            detail: self.detail.clone(),
        })
    }
}

/// What is wrong with the trail; the first one found is named.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChainProblem {
    /// The event's row is gone; its link remains.
    Removed {
        id: Uuid,
        pos: i64,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    /// The event's row differs from what was sealed.
    Changed {
        id: Uuid,
        pos: i64,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    /// The event's MAC is missing or wrong: not written by Stegvis with this key file.
    NotSigned {
        id: Uuid,
        pos: Option<i64>,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    /// The event was signed with a key the key file no longer holds.
    UnknownKey { id: Uuid, pos: i64, key: i16 },
    /// An event no sealer saw being written: inserted past the trigger.
    Inserted {
        id: Uuid,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    /// Written, then removed before it was sealed.
    RemovedBeforeSealing { id: Uuid },
    /// A link was changed (its hash does not follow from the one before).
    LinkChanged { pos: i64 },
    /// Links are missing from the chain.
    LinksRemoved { from: i64, to: i64 },
    /// The chain is shorter than at an earlier verification, or differs where it ended.
    HeadBehind { pos: i64 },
}

impl ChainProblem {
    /// The event the problem is about, if one.
    pub fn event_id(&self) -> Option<Uuid> {
        match self {
            ChainProblem::Removed { id, .. }
            | ChainProblem::Changed { id, .. }
            | ChainProblem::NotSigned { id, .. }
            | ChainProblem::UnknownKey { id, .. }
            | ChainProblem::Inserted { id, .. }
            | ChainProblem::RemovedBeforeSealing { id } => Some(*id),
            _ => None,
        }
    }
}

/// The outcome of one walk of the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    /// Links checked.
    pub events: i64,
    /// The last link's position (0 for an empty chain) and hash.
    pub head_pos: i64,
    pub head_hash: Option<Vec<u8>>,
    pub problems: i64,
    pub first_problem: Option<ChainProblem>,
}

impl ChainReport {
    fn problem(&mut self, p: ChainProblem) {
        self.problems += 1;
        if self.first_problem.is_none() {
            self.first_problem = Some(p);
        }
    }
}

/// One stored verification.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct VerificationRow {
    pub id: Uuid,
    pub at: OffsetDateTime,
    pub by_user_id: Option<Uuid>,
    pub by_name: String,
    pub ok: bool,
    pub head_pos: i64,
    pub head_hash: Option<Vec<u8>>,
    pub events: i64,
    pub problems: i64,
    /// [`ChainProblem`] as JSON.
    pub first_problem: Option<String>,
}

impl Store {
    /// Gives the store the signer for every event written from now on (once, at start).
    pub fn set_signer(&self, signer: std::sync::Arc<dyn EventSigner>) {
        let _ = self.signer.set(signer);
    }

    pub(crate) fn signer(&self) -> Option<&dyn EventSigner> {
        self.signer.get().map(|s| s.as_ref())
    }

    /// Whether the store was closed (the sealer then stops).
    pub fn is_closed(&self) -> bool {
        match &self.pool {
            crate::db::Pool::Sqlite(p) => p.is_closed(),
            crate::db::Pool::Postgres(p) => p.is_closed(),
        }
    }

    /// Chains up to `limit` events (first the ones from before tamper evidence, as legacy,
    /// then the written ones in time order) and returns how many. Another sealer holding the
    /// lock on PostgreSQL makes this one chain nothing.
    pub async fn seal(&self, limit: i64) -> Result<u64> {
        let mut tx = self.begin().await?;
        if let Tx::Postgres(t) = &mut tx {
            let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)")
                .bind(SEALER_LOCK)
                .fetch_one(&mut **t)
                .await?;
            if !got {
                tx.rollback().await?;
                return Ok(0);
            }
        }
        let now = OffsetDateTime::now_utc()
            .replace_nanosecond(0)
            .unwrap_or(OffsetDateTime::now_utc());
        let head = fetch_optional!(
            &mut tx,
            Head,
            "SELECT pos, link_hash FROM audit_chain ORDER BY pos DESC LIMIT 1"
        )?;
        let (mut pos, mut prev) = match head {
            Some(h) => (h.pos, h.link_hash),
            None => (0, GENESIS.to_vec()),
        };
        let mut sealed = 0u64;
        let state = fetch_optional!(
            &mut tx,
            ChainState,
            "SELECT legacy_until, legacy_done FROM audit_chain_state WHERE id = 1"
        )?;
        if let Some(ChainState {
            legacy_until: Some(until),
            legacy_done: false,
        }) = state
        {
            let cursor = fetch_optional!(
                &mut tx,
                Cursor,
                "SELECT event_at, event_id FROM audit_chain WHERE kind = 'legacy'
                 ORDER BY pos DESC LIMIT 1"
            )?;
            let (cur_at, cur_id) = match cursor {
                Some(c) => (Some(c.event_at), Some(c.event_id)),
                None => (None, None),
            };
            let sql = format!(
                "SELECT {EVENT_COLUMNS} FROM audit_events e
                 WHERE e.at <= $1 AND ($2 IS NULL OR e.at > $2 OR (e.at = $2 AND e.id > $3))
                   AND NOT EXISTS (SELECT 1 FROM audit_pending p WHERE p.event_id = e.id)
                   AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_id = e.id)
                 ORDER BY e.at, e.id LIMIT $4"
            );
            let rows = fetch_all!(
                &mut tx,
                StoredEvent,
                sqlx::AssertSqlSafe(sql),
                until,
                cur_at,
                cur_id,
                limit
            )?;
            if (rows.len() as i64) < limit {
                exec!(
                    &mut tx,
                    "UPDATE audit_chain_state SET legacy_done = TRUE WHERE id = 1"
                )?;
            }
            let mut links = Vec::with_capacity(rows.len());
            for r in &rows {
                pos += 1;
                let d = digest(&r.event, None, None);
                prev = link(&mut links, pos, "legacy", &r.event, d, &prev, now);
                sealed += 1;
            }
            append(&mut tx, links).await?;
        }
        let left = limit - sealed as i64;
        if left > 0 {
            let sql = format!(
                "SELECT {EVENT_COLUMNS} FROM audit_pending p JOIN audit_events e ON e.id = p.event_id
                 ORDER BY e.at, e.id LIMIT $1"
            );
            let rows = fetch_all!(&mut tx, StoredEvent, sqlx::AssertSqlSafe(sql), left)?;
            let mut links = Vec::with_capacity(rows.len());
            for r in &rows {
                pos += 1;
                let d = digest(&r.event, r.mac.as_deref(), r.mac_key);
                prev = link(&mut links, pos, "event", &r.event, d, &prev, now);
                sealed += 1;
            }
            append(&mut tx, links).await?;
            let ids: Vec<Uuid> = rows.iter().map(|r| r.event.id).collect();
            tx.delete_by_ids("audit_pending", "event_id", &ids).await?;
        }
        tx.commit().await?;
        Ok(sealed)
    }

    /// Seals until nothing is left (a verification starts with this).
    pub async fn seal_all(&self) -> Result<u64> {
        let mut n = 0;
        loop {
            let k = self.seal(SEAL_BATCH).await?;
            n += k;
            if (k as i64) < SEAL_BATCH {
                return Ok(n);
            }
        }
    }

    /// Seals what waits, then vouches for the whole chain up to its head with a MAC under the
    /// signer's current key: written before a key leaves the key file, so the events it signed
    /// stay proven by the chain. The head's position, or `None` for an empty chain.
    pub async fn add_checkpoint(
        &self,
        signer: &dyn EventSigner,
        at: OffsetDateTime,
    ) -> Result<Option<i64>> {
        self.seal_all().await?;
        let mut tx = self.begin().await?;
        let head = fetch_optional!(
            &mut tx,
            HeadLink,
            "SELECT pos, link_hash FROM audit_chain ORDER BY pos DESC LIMIT 1"
        )?;
        let Some(head) = head else {
            tx.commit().await?;
            return Ok(None);
        };
        let key = signer.key_id();
        let mac = signer
            .mac(key, &checkpoint_bytes(head.pos, &head.link_hash))
            .ok_or_else(|| StoreError::Corrupt("the current key cannot sign".into()))?;
        exec!(
            &mut tx,
            "INSERT INTO audit_checkpoints (pos, link_hash, mac_key, mac, at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (pos) DO NOTHING",
            head.pos,
            head.link_hash,
            key,
            mac.to_vec(),
            at
        )?;
        tx.commit().await?;
        Ok(Some(head.pos))
    }

    /// The checkpoints whose MAC a key of the key file confirms: position to link hash.
    async fn valid_checkpoints(
        &self,
        signer: &dyn EventSigner,
    ) -> Result<std::collections::BTreeMap<i64, Vec<u8>>> {
        let mut tx = self.begin_read().await?;
        let rows = fetch_all!(
            &mut tx,
            CheckpointRow,
            "SELECT pos, link_hash, mac_key, mac FROM audit_checkpoints ORDER BY pos"
        )?;
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .filter(|c| {
                signer
                    .mac(c.mac_key, &checkpoint_bytes(c.pos, &c.link_hash))
                    .is_some_and(|m| m.as_slice() == c.mac.as_slice())
            })
            .map(|c| (c.pos, c.link_hash))
            .collect())
    }

    /// Walks the chain to its head and checks each link, its event and the event's MAC, then
    /// looks for events no sealer saw written. `previous` is the head an earlier verification
    /// recorded: a chain now shorter, or different there, lost its end.
    pub async fn verify_chain(
        &self,
        signer: &dyn EventSigner,
        previous: Option<(i64, Option<Vec<u8>>)>,
    ) -> Result<ChainReport> {
        let mut report = ChainReport {
            events: 0,
            head_pos: 0,
            head_hash: None,
            problems: 0,
            first_problem: None,
        };
        let mut expected_pos = 1;
        let mut prev = GENESIS.to_vec();
        let mut after = 0i64;
        let mut hash_at_previous = None;
        // Events signed with a key no longer in the key file are proven by a later checkpoint.
        let checkpoints = self.valid_checkpoints(signer).await?;
        let attested_upto = checkpoints.keys().next_back().copied().unwrap_or(0);
        loop {
            let mut tx = self.begin_read().await?;
            let rows = fetch_all!(
                &mut tx,
                LinkRow,
                "SELECT c.pos, c.kind, c.event_id, c.event_at, c.event_digest, c.link_hash,
                        e.id AS e_id, e.at AS e_at, e.actor_user_id, e.actor_role, e.actor_org_id,
                        e.participant_id, e.record_kind, e.action, e.decision, e.ground,
                        e.detail, e.mac, e.mac_key
                 FROM audit_chain c LEFT JOIN audit_events e ON e.id = c.event_id
                 WHERE c.pos > $1 ORDER BY c.pos LIMIT $2",
                after,
                VERIFY_BATCH
            )?;
            tx.commit().await?;
            let Some(last) = rows.last() else { break };
            after = last.pos;
            for l in &rows {
                if l.pos != expected_pos {
                    report.problem(ChainProblem::LinksRemoved {
                        from: expected_pos,
                        to: l.pos - 1,
                    });
                }
                expected_pos = l.pos + 1;
                if link_hash(&prev, l.pos, &l.kind, l.event_id, &l.event_digest) != l.link_hash {
                    report.problem(ChainProblem::LinkChanged { pos: l.pos });
                }
                if checkpoints.get(&l.pos).is_some_and(|h| *h != l.link_hash) {
                    report.problem(ChainProblem::LinkChanged { pos: l.pos });
                }
                prev = l.link_hash.clone();
                report.events += 1;
                report.head_pos = l.pos;
                if let Some((p, _)) = &previous
                    && *p == l.pos
                {
                    hash_at_previous = Some(l.link_hash.clone());
                }
                let Some(e) = l.event() else {
                    report.problem(ChainProblem::Removed {
                        id: l.event_id,
                        pos: l.pos,
                        at: l.event_at,
                    });
                    continue;
                };
                // As the sealer computed it: a legacy link covers no MAC.
                let sealed = if l.kind == "legacy" {
                    digest(&e, None, None)
                } else {
                    digest(&e, l.mac.as_deref(), l.mac_key)
                };
                if sealed != l.event_digest {
                    report.problem(ChainProblem::Changed {
                        id: e.id,
                        pos: l.pos,
                        at: l.event_at,
                    });
                    continue;
                }
                if l.kind == "event" {
                    match check_mac(signer, &e, l.mac.as_deref(), l.mac_key) {
                        MacCheck::Good => {}
                        MacCheck::Bad => report.problem(ChainProblem::NotSigned {
                            id: e.id,
                            pos: Some(l.pos),
                            at: e.at,
                        }),
                        MacCheck::UnknownKey(_) if l.pos <= attested_upto => {}
                        MacCheck::UnknownKey(key) => report.problem(ChainProblem::UnknownKey {
                            id: e.id,
                            pos: l.pos,
                            key,
                        }),
                    }
                }
            }
        }
        report.head_hash = (report.events > 0).then(|| prev.clone());
        if attested_upto > report.head_pos {
            report.problem(ChainProblem::HeadBehind { pos: attested_upto });
        }
        if let Some((p, hash)) = previous
            && p > 0
            && (p > report.head_pos || hash.is_some() && hash_at_previous != hash)
        {
            report.problem(ChainProblem::HeadBehind { pos: p });
        }
        self.find_unsealed(signer, &mut report).await?;
        Ok(report)
    }

    /// Events that are neither chained nor waiting to be (inserted past the trigger), and
    /// waiting ones whose event is gone (removed before sealing) or whose MAC is wrong.
    async fn find_unsealed(
        &self,
        signer: &dyn EventSigner,
        report: &mut ChainReport,
    ) -> Result<()> {
        let mut tx = self.begin_read().await?;
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM audit_events e
             WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_id = e.id)
             ORDER BY e.at, e.id"
        );
        let unchained = fetch_all!(&mut tx, StoredEvent, sqlx::AssertSqlSafe(sql))?;
        let pending = fetch_all!(&mut tx, PendingRow, "SELECT event_id FROM audit_pending")?;
        tx.commit().await?;
        let pending: std::collections::HashSet<Uuid> =
            pending.into_iter().map(|p| p.event_id).collect();
        for r in &unchained {
            if !pending.contains(&r.event.id) {
                report.problem(ChainProblem::Inserted {
                    id: r.event.id,
                    at: r.event.at,
                });
            } else if check_mac(signer, &r.event, r.mac.as_deref(), r.mac_key) != MacCheck::Good {
                report.problem(ChainProblem::NotSigned {
                    id: r.event.id,
                    pos: None,
                    at: r.event.at,
                });
            }
        }
        let present: std::collections::HashSet<Uuid> =
            unchained.iter().map(|r| r.event.id).collect();
        let mut gone: Vec<Uuid> = pending
            .into_iter()
            .filter(|id| !present.contains(id))
            .collect();
        gone.sort_unstable();
        for id in gone {
            report.problem(ChainProblem::RemovedBeforeSealing { id });
        }
        Ok(())
    }

    /// The newest stored verification.
    pub async fn last_verification(&self) -> Result<Option<VerificationRow>> {
        let mut tx = self.begin_read().await?;
        let row = fetch_optional!(
            &mut tx,
            VerificationRow,
            "SELECT id, at, by_user_id, by_name, ok, head_pos, head_hash, events, problems,
                    first_problem
             FROM audit_verifications ORDER BY at DESC, id DESC LIMIT 1"
        )?;
        tx.commit().await?;
        Ok(row)
    }

    /// The longest chain an earlier verification saw (to notice a chain cut short).
    pub async fn longest_verified_head(&self) -> Result<Option<(i64, Option<Vec<u8>>)>> {
        let mut tx = self.begin_read().await?;
        let row = fetch_optional!(
            &mut tx,
            Head2,
            "SELECT head_pos, head_hash FROM audit_verifications
             ORDER BY head_pos DESC, at DESC LIMIT 1"
        )?;
        tx.commit().await?;
        Ok(row.map(|r| (r.head_pos, r.head_hash)))
    }
}

#[derive(sqlx::FromRow)]
struct HeadLink {
    pos: i64,
    link_hash: Vec<u8>,
}

#[derive(sqlx::FromRow)]
struct CheckpointRow {
    pos: i64,
    link_hash: Vec<u8>,
    mac_key: i16,
    mac: Vec<u8>,
}

/// What a checkpoint's MAC covers.
fn checkpoint_bytes(pos: i64, link_hash: &[u8]) -> Vec<u8> {
    let mut b = b"stegvis checkpoint v1".to_vec();
    b.extend_from_slice(&pos.to_be_bytes());
    b.extend_from_slice(link_hash);
    b
}

#[derive(sqlx::FromRow)]
struct Head2 {
    head_pos: i64,
    head_hash: Option<Vec<u8>>,
}

#[derive(sqlx::FromRow)]
struct PendingRow {
    event_id: Uuid,
}

#[derive(Debug, PartialEq, Eq)]
enum MacCheck {
    Good,
    Bad,
    UnknownKey(i16),
}

fn check_mac(
    signer: &dyn EventSigner,
    e: &AuditEvent,
    mac: Option<&[u8]>,
    key: Option<i16>,
) -> MacCheck {
    let (Some(mac), Some(key)) = (mac, key) else {
        return MacCheck::Bad;
    };
    match signer.mac(key, &canonical(e)) {
        None => MacCheck::UnknownKey(key),
        // Both are MACs the attacker cannot compute without the key; comparing them in
        // variable time leaks nothing useful.
        Some(expected) if expected.as_slice() == mac => MacCheck::Good,
        Some(_) => MacCheck::Bad,
    }
}

/// Adds the link of `e` at `pos` after `prev` to `links`; returns its hash.
fn link(
    links: &mut Vec<Vec<Value>>,
    pos: i64,
    kind: &str,
    e: &AuditEvent,
    digest: Vec<u8>,
    prev: &[u8],
    now: OffsetDateTime,
) -> Vec<u8> {
    let hash = link_hash(prev, pos, kind, e.id, &digest);
    links.push(vec![
        Value::Int(pos),
        Value::Text(kind.to_owned()),
        e.id.into(),
        e.at.into(),
        Value::Bytes(digest),
        Value::Bytes(hash.clone()),
        now.into(),
    ]);
    hash
}

/// Writes links made by [`link`], many per statement (COPY on PostgreSQL).
async fn append(tx: &mut Tx, links: Vec<Vec<Value>>) -> Result<()> {
    tx.insert_rows(
        "audit_chain",
        &[
            "pos",
            "kind",
            "event_id",
            "event_at",
            "event_digest",
            "link_hash",
            "sealed_at",
        ],
        &links,
    )
    .await
}

impl Audited {
    /// Stores a verification in the transaction of its audit event.
    pub async fn record_verification(&mut self, v: &VerificationRow) -> Result<()> {
        exec!(
            &mut self.tx,
            "INSERT INTO audit_verifications (id, at, by_user_id, by_name, ok, head_pos,
                head_hash, events, problems, first_problem)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            v.id,
            v.at,
            v.by_user_id,
            &v.by_name,
            v.ok,
            v.head_pos,
            &v.head_hash,
            v.events,
            v.problems,
            &v.first_problem
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    //! Tampering as someone with database access but no key file would: through a raw
    //! connection, past the append-only triggers (SQLite: dropped; PostgreSQL: disabled as
    //! the owner). SQLite by default; PostgreSQL when `STEGVIS_TEST_DATABASE_URL` names a server.
    use super::*;
    use sqlx::Connection;
    use stegvis_domain::access::RecordKind;

    struct TestSigner;

    impl EventSigner for TestSigner {
        fn key_id(&self) -> i16 {
            1
        }
        fn mac(&self, key_id: i16, bytes: &[u8]) -> Option<[u8; 32]> {
            (key_id == 1).then(|| {
                let mut h = Sha256::new();
                h.update(b"test key");
                h.update(bytes);
                h.finalize().into()
            })
        }
    }

    /// A fresh database (removed again by [`Fixture::drop_all`]).
    struct Fixture {
        store: Store,
        url: String,
        cleanup: Cleanup,
    }

    enum Cleanup {
        Dir(std::path::PathBuf),
        Database { admin: String, name: String },
    }

    async fn fixture() -> Fixture {
        let (url, cleanup) = match std::env::var("STEGVIS_TEST_DATABASE_URL") {
            Ok(admin) if !admin.is_empty() => {
                let name = format!("stegvis_trail_{}", Uuid::now_v7().simple());
                let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut conn)
                    .await
                    .unwrap();
                let server = admin.split('?').next().unwrap().rsplit_once('/').unwrap().0;
                (
                    format!("{server}/{name}"),
                    Cleanup::Database { admin, name },
                )
            }
            _ => {
                let dir = std::env::temp_dir().join(format!("trail-{}", Uuid::now_v7()));
                std::fs::create_dir_all(&dir).unwrap();
                let url = format!("sqlite://{}", dir.join("store.db").display());
                (url, Cleanup::Dir(dir))
            }
        };
        let store = Store::connect(&url).await.unwrap();
        store.migrate().await.unwrap();
        store.set_signer(std::sync::Arc::new(TestSigner));
        Fixture {
            store,
            url,
            cleanup,
        }
    }

    impl Fixture {
        async fn drop_all(self) {
            self.store.close().await;
            match self.cleanup {
                Cleanup::Dir(dir) => {
                    let _ = std::fs::remove_dir_all(dir);
                }
                Cleanup::Database { admin, name } => {
                    let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
                    sqlx::query(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE {name} WITH (FORCE)"
                    )))
                    .execute(&mut conn)
                    .await
                    .unwrap();
                }
            }
        }

        /// Runs `sql` (with `$1`, `$2` as uuids) on a raw connection past the triggers.
        async fn tamper(&self, sql: &str, ids: &[Uuid]) {
            if self.url.starts_with("sqlite:") {
                let mut c = sqlx::SqliteConnection::connect(&self.url).await.unwrap();
                for t in ["audit_events_no_update", "audit_events_no_delete"] {
                    sqlx::query(sqlx::AssertSqlSafe(format!("DROP TRIGGER IF EXISTS {t}")))
                        .execute(&mut c)
                        .await
                        .unwrap();
                }
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()));
                for id in ids {
                    q = q.bind(*id);
                }
                q.execute(&mut c).await.unwrap();
                c.close().await.unwrap();
            } else {
                let mut c = sqlx::PgConnection::connect(&self.url).await.unwrap();
                sqlx::query("ALTER TABLE audit_events DISABLE TRIGGER USER")
                    .execute(&mut c)
                    .await
                    .unwrap();
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()));
                for id in ids {
                    q = q.bind(*id);
                }
                q.execute(&mut c).await.unwrap();
                sqlx::query("ALTER TABLE audit_events ENABLE TRIGGER USER")
                    .execute(&mut c)
                    .await
                    .unwrap();
                c.close().await.unwrap();
            }
        }

        async fn verify(&self) -> ChainReport {
            self.store.seal_all().await.unwrap();
            self.store.verify_chain(&TestSigner, None).await.unwrap()
        }
    }

    fn event(n: u32, action: Action) -> AuditEvent {
        AuditEvent {
            id: Uuid::now_v7(),
            // Microseconds: both databases keep them, and the MAC covers them.
            at: OffsetDateTime::from_unix_timestamp(1_796_000_000 + i64::from(n)).unwrap()
                + time::Duration::microseconds(123_456),
            actor_user_id: Some(Uuid::now_v7()),
            actor_role: "coach".into(),
            actor_org_id: Some(Uuid::now_v7()),
            participant_id: None,
            record_kind: RecordKind::Participant.code().into(),
            action,
            decision: Decision::Allowed,
            ground: "own_organisation:coach".into(),
            detail: n.is_multiple_of(2).then(|| format!("event {n}")),
        }
    }

    /// Ten events, by every path an event takes: the audit writer (SQLite reads and lone
    /// events), a write transaction's own, and a refused one (rewritten before it is stored).
    async fn ten_events(store: &Store) -> Vec<Uuid> {
        let mut ids = Vec::new();
        let batch: Vec<AuditEvent> = (0..4).map(|n| event(n, Action::Read)).collect();
        ids.extend(batch.iter().map(|e| e.id));
        store.record_events(batch).await.unwrap();
        for n in 4..8 {
            let e = event(n, Action::Write);
            ids.push(e.id);
            let tx = store.begin_audited(&e).await.unwrap();
            tx.commit().await.unwrap();
        }
        let refused = event(8, Action::Write);
        ids.push(refused.id);
        let tx = store.begin_audited(&refused).await.unwrap();
        tx.refuse("denied:conflict").await.unwrap();
        let last = event(9, Action::Search);
        ids.push(last.id);
        store.record_event(&last).await.unwrap();
        ids
    }

    const COPY: &str = "INSERT INTO audit_events (id, at, actor_user_id, actor_role, actor_org_id,
            participant_id, record_kind, action, decision, ground, detail, mac, mac_key)
        SELECT $1, at, actor_user_id, actor_role, actor_org_id, participant_id, record_kind,
            action, decision, ground, detail, mac, mac_key FROM audit_events WHERE id = $2";

    #[tokio::test]
    async fn an_untouched_trail_verifies_and_each_tampering_is_named_with_its_event() {
        // Untouched: every event chained, MACs good, the head printed.
        let f = fixture().await;
        ten_events(&f.store).await;
        let r = f.verify().await;
        assert_eq!(r.first_problem, None, "{r:?}");
        assert_eq!((r.events, r.head_pos, r.problems), (10, 10, 0));
        assert_eq!(r.head_hash.as_ref().map(Vec::len), Some(32));
        // Verifying again changes nothing.
        assert_eq!(f.verify().await, r);
        f.drop_all().await;

        type Case = (&'static str, &'static str, fn(&[Uuid], Uuid) -> Vec<Uuid>);
        let cases: [Case; 5] = [
            (
                "changed",
                "UPDATE audit_events SET ground = 'consent:x' WHERE id = $1",
                |ids, _| vec![ids[4]],
            ),
            (
                "removed middle",
                "DELETE FROM audit_events WHERE id = $1",
                |ids, _| vec![ids[5]],
            ),
            (
                "removed last",
                "DELETE FROM audit_events WHERE id = $1",
                |ids, _| vec![ids[9]],
            ),
            ("copied", COPY, |ids, new| vec![new, ids[3]]),
            (
                "forged",
                "INSERT INTO audit_events (id, at, actor_role, record_kind, action, decision,
                    ground, mac, mac_key)
                 VALUES ($1, CURRENT_TIMESTAMP, 'coach', 'participant', 'read', 'allowed',
                    'own_organisation:coach', NULL, 1)",
                |_, new| vec![new],
            ),
        ];
        for (what, sql, binds) in cases {
            let f = fixture().await;
            let ids = ten_events(&f.store).await;
            assert_eq!(f.verify().await.problems, 0);
            let new = Uuid::now_v7();
            let binds = binds(&ids, new);
            f.tamper(sql, &binds).await;
            let r = f.verify().await;
            let expected = binds[0];
            assert_eq!(r.problems, 1, "{what}: {r:?}");
            let first = r.first_problem.clone().unwrap();
            assert_eq!(first.event_id(), Some(expected), "{what}: {first:?}");
            match (what, &first) {
                ("changed", ChainProblem::Changed { pos, .. }) => assert_eq!(*pos, 5),
                ("removed middle", ChainProblem::Removed { pos, at, .. }) => {
                    assert_eq!(*pos, 6);
                    assert_eq!(at.unix_timestamp(), 1_796_000_005);
                }
                ("removed last", ChainProblem::Removed { pos, .. }) => assert_eq!(*pos, 10),
                // SQLite's insert trigger saw it (then its MAC fails); PostgreSQL's was
                // disabled with the others (then no sealer saw it).
                (
                    "copied" | "forged",
                    ChainProblem::NotSigned { .. } | ChainProblem::Inserted { .. },
                ) => {}
                _ => panic!("{what}: {first:?}"),
            }
            f.drop_all().await;
        }
    }

    #[tokio::test]
    async fn concurrent_writers_and_the_sealer_leave_a_trail_that_verifies() {
        let f = fixture().await;
        let sealer = {
            let store = f.store.clone();
            tokio::spawn(async move {
                for _ in 0..20 {
                    store.seal(7).await.unwrap();
                    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                }
            })
        };
        let mut writers = Vec::new();
        for w in 0..8u32 {
            let store = f.store.clone();
            writers.push(tokio::spawn(async move {
                for n in 0..25u32 {
                    let action = if n.is_multiple_of(2) {
                        Action::Read
                    } else {
                        Action::Write
                    };
                    // Reads go through the audit writer on SQLite, writes in their own
                    // transaction; on PostgreSQL both in the request's transaction.
                    let e = event(w * 100 + n, action);
                    let tx = store.begin_audited(&e).await.unwrap();
                    tx.commit().await.unwrap();
                }
            }));
        }
        for w in writers {
            w.await.unwrap();
        }
        sealer.await.unwrap();
        let r = f.verify().await;
        assert_eq!((r.events, r.problems), (200, 0), "{r:?}");
        f.drop_all().await;
    }

    #[tokio::test]
    async fn events_from_before_tamper_evidence_are_chained_as_legacy_in_resumable_batches() {
        let f = fixture().await;
        // Events as an older Stegvis wrote them: no MAC, no trigger (copies of one event's
        // time, so the batches' cursor must break ties by id), then the upgrade's state.
        let anchor = event(0, Action::Read);
        f.store.record_event(&anchor).await.unwrap();
        for _ in 0..5 {
            f.tamper(
                "INSERT INTO audit_events (id, at, actor_role, record_kind, action, decision, ground)
                 SELECT $1, at, 'coach', 'participant', 'read', 'allowed', 'x'
                 FROM audit_events WHERE id = $2",
                &[Uuid::now_v7(), anchor.id],
            )
            .await;
        }
        let mut tx = f.store.begin().await.unwrap();
        exec!(&mut tx, "DELETE FROM audit_pending").unwrap();
        exec!(
            &mut tx,
            "UPDATE audit_chain_state SET legacy_done = FALSE,
                legacy_until = (SELECT MAX(at) FROM audit_events)"
        )
        .unwrap();
        tx.commit().await.unwrap();
        let new = event(50, Action::Search);
        f.store.record_event(&new).await.unwrap();
        // Two at a time, as if stopped after each batch: legacy first, then the new one.
        for _ in 0..3 {
            assert_eq!(f.store.seal(2).await.unwrap(), 2);
        }
        assert_eq!(f.store.seal(2).await.unwrap(), 1);
        let r = f.verify().await;
        assert_eq!((r.events, r.problems), (7, 0), "{r:?}");
        // Once legacy sealing is done, an unsigned event is never taken for a legacy one.
        let forged = Uuid::now_v7();
        f.tamper(
            COPY.replace("mac, mac_key FROM", "NULL, NULL FROM")
                .as_str(),
            &[forged, anchor.id],
        )
        .await;
        let r = f.verify().await;
        assert_eq!(r.first_problem.and_then(|p| p.event_id()), Some(forged));
        f.drop_all().await;
    }
}
