//! The key file and the database that was written with it.
//!
//! At every start ([`App::open`]) the database's recorded keys (`key_ids`: id and check value,
//! `key_state`: which key encrypts and which keys the search hash) are compared with the key
//! file BEFORE anything is written; a missing or different file is refused. Only a brand-new
//! database (no participants) creates a key file.
//!
//! Rotation (`stegvis keys rotate`) runs beside a running server. A server learns a new key
//! like this: every transaction that seals or looks up an identity number reads `key_state`
//! (on PostgreSQL `FOR SHARE`, so a rotation step waits for it and it sees no step halfway)
//! and, when the state names a key its ring lacks, reloads the key file; a value sealed under
//! a key the ring lacks makes it reload too. While a rotation runs, new values are sealed
//! under the new key and lookups try the number's hash under both keys.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use stegvis_crypto::{CryptoError, KeyRing, KeySource};
use stegvis_domain::IdentityNumber;
use stegvis_store::Audited;
use stegvis_store::Store;
use stegvis_store::keys::{KeyState, SealedRow};
use uuid::Uuid;

use crate::error::Text;
use crate::{App, AppError, Result};

/// Sealed values re-encrypted per transaction of a rotation.
pub const ROTATION_BATCH: i64 = 1_000;
/// Sealed values a pre-0028 database must open with the key file before adopting it.
const ADOPTION_SAMPLE: i64 = 100;

/// The process's key ring, reloadable from its file when the database names a new key.
pub(crate) struct Keys {
    path: Option<PathBuf>,
    ring: RwLock<Arc<KeyRing>>,
}

impl Keys {
    fn new(path: Option<PathBuf>, ring: KeyRing) -> Self {
        Keys {
            path,
            ring: RwLock::new(Arc::new(ring)),
        }
    }

    /// The ring as last loaded.
    pub(crate) fn ring(&self) -> Arc<KeyRing> {
        self.ring.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Reads the key file again (a fixed ring stays as it is).
    pub(crate) fn reload(&self) -> Result<Arc<KeyRing>> {
        let Some(path) = &self.path else {
            return Ok(self.ring());
        };
        let old = self.ring();
        let fresh = KeyRing::load(path).map_err(|e| file_error(path, e))?;
        // Keep the roles the database gave, where the file still has those keys.
        let fresh = fresh
            .with_roles(old.current_id(), old.index_id())
            .unwrap_or(fresh);
        let fresh = Arc::new(fresh);
        *self.ring.write().unwrap_or_else(|e| e.into_inner()) = fresh.clone();
        tracing::info!(keys = ?fresh.key_ids(), "key file reloaded");
        Ok(fresh)
    }

    /// Takes the database's key roles into the process's ring (another process rotated), so
    /// that what this process signs follows the database; reloads the file when needed.
    pub(crate) fn follow(&self, state: &KeyState) -> Result<()> {
        let (encrypt, index) = roles(state);
        let ring = self.ring();
        if ring.current_id() == encrypt && ring.index_id() == index && ring.has(encrypt) {
            return Ok(());
        }
        let fresh = Arc::new(self.for_state(state)?);
        *self.ring.write().unwrap_or_else(|e| e.into_inner()) = fresh;
        Ok(())
    }

    /// The ring holding every key `state` names (reloading the file once if needed), with the
    /// roles for sealing: during a rotation the new key encrypts and hashes.
    fn for_state(&self, state: &KeyState) -> Result<KeyRing> {
        let wanted = [
            Some(state.encrypt_key),
            Some(state.index_key),
            state.rotating_to,
        ];
        let has_all = |r: &KeyRing| wanted.iter().flatten().all(|id| r.has(*id as u8));
        let mut ring = self.ring();
        if !has_all(&ring) {
            ring = self.reload()?;
            if !has_all(&ring) {
                return Err(refusal(
                    "Nyckelfilen saknar en nyckel som databasen använder",
                    "The key file lacks a key the database uses",
                ));
            }
        }
        let (encrypt, index) = roles(state);
        ring.with_roles(encrypt, index)
            .map_err(|e| AppError::Internal(format!("key ring: {e}")))
    }
}

/// Which key seals new values and which keys their hash: the rotation's target for both while
/// one runs.
fn roles(state: &KeyState) -> (u8, u8) {
    match state.rotating_to {
        Some(to) => (to as u8, to as u8),
        None => (state.encrypt_key as u8, state.index_key as u8),
    }
}

/// Keys for one transaction that seals or looks up identity numbers.
pub(crate) struct SealingKeys {
    /// Encrypts and hashes new values.
    pub ring: KeyRing,
    /// Every key a stored hash may be under now (two during a rotation).
    lookup: Vec<u8>,
}

impl SealingKeys {
    /// The number's search hash under every key in use: the first is the one new values get.
    pub(crate) fn hashes(&self, number: &IdentityNumber) -> Vec<Vec<u8>> {
        let digits = number.normalised();
        self.lookup
            .iter()
            .filter_map(|id| self.ring.blind_index_with(*id, digits.as_bytes()))
            .map(|h| h.to_vec())
            .collect()
    }
}

fn refusal(sv: &str, en: &str) -> AppError {
    let t = Text::new(sv, en);
    AppError::Internal(format!("{} / {}", t.sv, t.en))
}

fn file_error(path: &Path, e: CryptoError) -> AppError {
    let p = path.display();
    match e {
        CryptoError::Missing(_) => refusal(
            &format!("Nyckelfilen {p} finns inte"),
            &format!("The key file {p} does not exist"),
        ),
        e => refusal(
            &format!("Nyckelfilen {p} kan inte läsas ({e})"),
            &format!("The key file {p} cannot be read ({e})"),
        ),
    }
}

/// What the start decided, before migrations: nothing has been written yet.
pub(crate) struct Checked {
    path: Option<PathBuf>,
    ring: Option<KeyRing>,
    plan: Plan,
}

enum Plan {
    /// The file matches the recorded keys.
    Verified,
    /// A brand-new database: record the ring's keys (creating the file first if there is none).
    New,
    /// A database from before the keys were recorded, whose sample opened with the file.
    Adopt { opened: usize },
}

/// Compares the key source with the database's recorded keys without writing anything.
pub(crate) async fn check(store: &Store, source: KeySource) -> Result<Checked> {
    let records = store.key_records().await?;
    let (path, loaded) = match source {
        KeySource::Fixed(ring) => (None, Ok(ring)),
        KeySource::File(path) => {
            let r = KeyRing::load(&path);
            (Some(path), r)
        }
    };
    let shown = path.as_ref().map_or_else(
        || "(fast nyckel / fixed key)".to_owned(),
        |p| p.display().to_string(),
    );
    let nothing_changed = (
        " Inget har ändrats och ingen nyckelfil har skapats. Starta med rätt nyckelfil (--key-file / STEGVIS_KEY_FILE).",
        " Nothing was changed and no key file was created. Start with the right key file (--key-file / STEGVIS_KEY_FILE).",
    );
    let ring = match loaded {
        Ok(r) => Some(r),
        Err(CryptoError::Missing(_)) => None,
        Err(e) => {
            return Err(refusal(
                &format!(
                    "Nyckelfilen {shown} kan inte läsas ({e}).{}",
                    nothing_changed.0
                ),
                &format!(
                    "The key file {shown} cannot be read ({e}).{}",
                    nothing_changed.1
                ),
            ));
        }
    };
    let brand_new = records.state.is_none() && !records.has_participants;
    let Some(ring) = ring else {
        if brand_new {
            return Ok(Checked {
                path,
                ring: None,
                plan: Plan::New,
            });
        }
        return Err(refusal(
            &format!(
                "Nyckelfilen {shown} finns inte, men databasen har redan uppgifter som är krypterade med en nyckel.{}",
                nothing_changed.0
            ),
            &format!(
                "The key file {shown} does not exist, but the database already holds data encrypted with a key.{}",
                nothing_changed.1
            ),
        ));
    };
    if let Some(state) = &records.state {
        for key in records.ids.iter().filter(|k| k.retired_at.is_none()) {
            let id = key.id as u8;
            let why = match ring.check_value(id) {
                None => Some(("saknas i filen", "is not in the file")),
                Some(c) if c[..] != key.check_value[..] => {
                    Some(("har fel kontrollvärde", "has the wrong check value"))
                }
                Some(_) => None,
            };
            if let Some((sv, en)) = why {
                return Err(refusal(
                    &format!(
                        "Nyckelfilen {shown} hör inte till databasen: nyckel {id} {sv}.{}",
                        nothing_changed.0
                    ),
                    &format!(
                        "The key file {shown} does not belong to this database: key {id} {en}.{}",
                        nothing_changed.1
                    ),
                ));
            }
        }
        let (encrypt, index) = roles(state);
        let ring = ring.with_roles(encrypt, index).map_err(|_| {
            refusal(
                &format!(
                    "Nyckelfilen {shown} saknar en nyckel som databasen använder.{}",
                    nothing_changed.0
                ),
                &format!(
                    "The key file {shown} lacks a key the database uses.{}",
                    nothing_changed.1
                ),
            )
        })?;
        return Ok(Checked {
            path,
            ring: Some(ring),
            plan: Plan::Verified,
        });
    }
    if brand_new {
        return Ok(Checked {
            path,
            ring: Some(ring),
            plan: Plan::New,
        });
    }
    // Written before the keys were recorded: the file must open what is stored.
    let sample = store.sealed_sample(ADOPTION_SAMPLE).await?;
    for row in &sample {
        if ring.decrypt(&row.identity_enc, row.id.as_bytes()).is_err() {
            return Err(refusal(
                &format!(
                    "Nyckelfilen {shown} kan inte öppna de krypterade uppgifterna i databasen.{}",
                    nothing_changed.0
                ),
                &format!(
                    "The key file {shown} cannot open the encrypted data in the database.{}",
                    nothing_changed.1
                ),
            ));
        }
    }
    Ok(Checked {
        path,
        ring: Some(ring),
        plan: Plan::Adopt {
            opened: sample.len(),
        },
    })
}

impl Checked {
    /// After migrations: creates the key file of a brand-new database, if it has none.
    pub(crate) fn into_keys(self) -> Result<(Keys, Option<PlanToRecord>)> {
        let (ring, record) = match (self.ring, &self.plan) {
            (Some(r), Plan::Verified) => (r, None),
            (Some(r), Plan::New) => (r, Some(PlanToRecord { adopted: None })),
            (Some(r), Plan::Adopt { opened }) => (
                r,
                Some(PlanToRecord {
                    adopted: Some(*opened),
                }),
            ),
            (None, _) => {
                let path = self
                    .path
                    .as_ref()
                    .expect("only a file source can be missing");
                let r = KeyRing::create_new(path).map_err(|e| file_error(path, e))?;
                tracing::info!(path = %path.display(), "new key file created for a new database");
                (r, Some(PlanToRecord { adopted: None }))
            }
        };
        Ok((Keys::new(self.path, ring), record))
    }
}

/// Keys to record in a database that has none recorded.
pub(crate) struct PlanToRecord {
    adopted: Option<usize>,
}

/// One key's line in `stegvis keys status`.
#[derive(Debug, Clone)]
pub struct KeyLine {
    pub id: u8,
    pub added_at: time::OffsetDateTime,
    pub retired_at: Option<time::OffsetDateTime>,
    pub in_file: bool,
    /// Sealed values (participants' numbers and earlier numbers) under this key.
    pub sealed: i64,
}

/// `stegvis keys status`.
#[derive(Debug, Clone)]
pub struct KeyStatus {
    pub keys: Vec<KeyLine>,
    pub encrypt_key: u8,
    pub index_key: u8,
    pub rotating_to: Option<u8>,
    pub sealed_total: i64,
}

/// How far a rotation got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RotationProgress {
    pub to: u8,
    /// Values re-encrypted by this call.
    pub done: i64,
    /// Sealed values in the database when it started.
    pub total: i64,
    pub finished: bool,
}

impl App {
    /// Records the keys of a new database, or of one adopting its key file, as a system job.
    pub(crate) async fn record_keys(&self, plan: Option<PlanToRecord>) -> Result<()> {
        let Some(plan) = plan else {
            return Ok(());
        };
        let ring = self.keys.ring();
        let detail = match plan.adopted {
            Some(n) => {
                format!("key file adopted after opening {n} sealed values; key ids recorded")
            }
            None => "key ids recorded for a new database".to_owned(),
        };
        let mut tx = self.system_job(&detail, None).await?;
        let now = self.now();
        for id in ring.key_ids() {
            let check = ring.check_value(id).expect("id from the ring");
            tx.insert_key_id(id.into(), &check, now).await?;
        }
        tx.insert_key_state(ring.current_id().into(), ring.index_id().into())
            .await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// The keys this transaction seals and looks up with, read from the database's key state
    /// (locked for share on PostgreSQL until the transaction ends).
    pub(crate) async fn sealing_keys(&self, tx: &mut Audited) -> Result<SealingKeys> {
        let Some(state) = tx.key_state(true).await? else {
            let ring = (*self.keys.ring()).clone();
            let lookup = vec![ring.index_id()];
            return Ok(SealingKeys { ring, lookup });
        };
        let ring = self.keys.for_state(&state)?;
        let mut lookup = vec![ring.index_id()];
        if state.index_key as u8 != ring.index_id() {
            lookup.push(state.index_key as u8);
        }
        Ok(SealingKeys { ring, lookup })
    }

    /// Keys for a search by identity number inside a read transaction: hashes under every
    /// key of the ring (after making sure it holds the state's), so a rotation step that
    /// commits meanwhile cannot hide a row.
    pub(crate) async fn lookup_keys(&self, tx: &mut Audited) -> Result<SealingKeys> {
        let ring = match tx.key_state(false).await? {
            Some(state) => self.keys.for_state(&state)?,
            None => (*self.keys.ring()).clone(),
        };
        let mut lookup = vec![ring.index_id()];
        lookup.extend(
            ring.key_ids()
                .into_iter()
                .filter(|id| *id != ring.index_id()),
        );
        Ok(SealingKeys { ring, lookup })
    }

    /// The participant in `org_id` with this identity number, if any: looks for its hash
    /// under every search key in use (two during a rotation). Call inside the writing
    /// transaction that is about to store the number (enrolment, correction).
    pub async fn participant_with_number(
        &self,
        tx: &mut Audited,
        org_id: Uuid,
        number: &IdentityNumber,
    ) -> Result<Option<Uuid>> {
        let keys = self.sealing_keys(tx).await?;
        Ok(tx
            .participant_by_identity(org_id, &keys.hashes(number))
            .await?)
    }

    /// Decrypts with the ring, reloading the key file once when the value names a key the
    /// ring lacks (a rotation started by another process).
    pub(crate) fn with_fresh_ring<T>(
        &self,
        blob: &[u8],
        f: impl Fn(&KeyRing) -> Option<T>,
    ) -> Option<T> {
        let ring = self.keys.ring();
        if let Some(v) = f(&ring) {
            return Some(v);
        }
        match blob.first() {
            Some(id) if !ring.has(*id) => self.keys.reload().ok().and_then(|r| f(&r)),
            _ => None,
        }
    }

    fn key_file(&self) -> Result<PathBuf> {
        self.keys.path.clone().ok_or_else(|| {
            AppError::Internal("key rotation needs a key file, not a fixed ring".into())
        })
    }

    /// Starts a rotation, or finds the one under way: appends a new key to the key file,
    /// records it and marks the rotation. Returns the key rotated to.
    pub async fn start_rotation(&self) -> Result<u8> {
        let path = self.key_file()?;
        {
            let mut tx = self.system_job("key rotation: state read", None).await?;
            let state = tx.key_state_for_update().await?.ok_or_else(no_state)?;
            self.commit(tx).await?;
            if let Some(to) = state.rotating_to {
                self.keys.for_state(&state)?;
                return Ok(to as u8);
            }
        }
        let id = KeyRing::append_key(&path).map_err(|e| file_error(&path, e))?;
        let ring = self.keys.reload()?;
        let check = ring.check_value(id).expect("just appended");
        let mut tx = self
            .system_job(&format!("key rotation to key {id} started"), None)
            .await?;
        let state = tx.key_state_for_update().await?.ok_or_else(no_state)?;
        if let Some(to) = state.rotating_to {
            // Another rotate won the race: go on with that one (the extra line is unused).
            self.commit(tx).await?;
            return Ok(to as u8);
        }
        tx.insert_key_id(id.into(), &check, self.now()).await?;
        tx.start_rotation(id.into()).await?;
        self.commit(tx).await?;
        Ok(id)
    }

    /// One batch of the running rotation, as an audited system job that also stores where
    /// to go on: re-encrypts up to `batch_size` ([`ROTATION_BATCH`]) sealed values under the new key (and
    /// re-hashes participants' numbers). The last batch moves the search hash to the new key.
    /// Returns the values re-encrypted and whether the rotation is finished.
    pub async fn rotation_step(&self, batch_size: i64) -> Result<(i64, bool)> {
        let mut tx = self
            .system_job("key rotation: identity numbers re-encrypted", None)
            .await?;
        // First, so the sealing transactions wait for this batch and never the other way.
        let state = tx.key_state_for_update().await?.ok_or_else(no_state)?;
        let Some(to) = state.rotating_to else {
            self.commit(tx).await?;
            return Ok((0, true));
        };
        let ring = self.keys.for_state(&state)?;
        let to8 = to as u8;
        let after = state.rotation_after.unwrap_or(Uuid::nil());
        let mut done = 0_i64;
        let finished = if state.rotation_phase <= 1 {
            let batch = tx.sealed_participants_after(after, batch_size).await?;
            for row in &batch {
                let (enc, hash) = reseal(&ring, row)?;
                tx.reseal_participant(row.id, &enc, &hash).await?;
            }
            done += batch.len() as i64;
            if (batch.len() as i64) < batch_size {
                tx.set_rotation_cursor(2, None).await?;
            } else {
                tx.set_rotation_cursor(1, batch.last().map(|r| r.id))
                    .await?;
            }
            false
        } else {
            let batch = tx.sealed_history_after(after, batch_size).await?;
            for row in &batch {
                let (enc, _) = reseal(&ring, row)?;
                tx.reseal_history(row.id, &enc).await?;
            }
            done += batch.len() as i64;
            if (batch.len() as i64) < batch_size {
                // A value sealed under an older key after the cursor passed it (none is
                // expected: sealers wait for each batch) is caught here before the flip.
                loop {
                    let rest = tx.sealed_participants_not_under(to, batch_size).await?;
                    for row in &rest {
                        let (enc, hash) = reseal(&ring, row)?;
                        tx.reseal_participant(row.id, &enc, &hash).await?;
                    }
                    done += rest.len() as i64;
                    if (rest.len() as i64) < batch_size {
                        break;
                    }
                }
                done += reseal_reminder_contacts(&ring, &mut tx, to, batch_size).await?;
                tx.finish_rotation(to).await?;
                true
            } else {
                tx.set_rotation_cursor(2, batch.last().map(|r| r.id))
                    .await?;
                false
            }
        };
        self.commit(tx).await?;
        if finished {
            self.keys.reload()?;
            let r = self.keys.ring();
            if let Ok(r) = r.with_roles(to8, to8) {
                *self.keys.ring.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(r);
            }
        }
        Ok((done, finished))
    }

    /// Starts (or resumes) a rotation and runs it to the end; `progress` gets
    /// (values done, values in all) after each batch.
    pub async fn rotate_keys(
        &self,
        mut progress: impl FnMut(i64, i64),
    ) -> Result<RotationProgress> {
        let to = self.start_rotation().await?;
        let total = self.key_status().await?.sealed_total;
        let mut done = 0;
        loop {
            let (n, finished) = self.rotation_step(ROTATION_BATCH).await?;
            done += n;
            progress(done, total);
            if finished {
                return Ok(RotationProgress {
                    to,
                    done,
                    total,
                    finished,
                });
            }
        }
    }

    /// Retires key `id`: refused while it encrypts, keys the search hash, is rotated to, or
    /// still opens any stored value; then marked retired and removed from the key file.
    pub async fn retire_key(&self, id: u8) -> Result<()> {
        let path = self.key_file()?;
        let mut tx = self.system_job(&format!("key {id} retired"), None).await?;
        let state = tx.key_state_for_update().await?.ok_or_else(no_state)?;
        let used = [
            Some(state.encrypt_key),
            Some(state.index_key),
            state.rotating_to,
        ]
        .contains(&Some(i32::from(id)));
        if state.rotating_to.is_some() || used {
            self.commit(tx).await?;
            return Err(AppError::Conflict(Text::new(
                format!(
                    "Nyckel {id} används fortfarande (den krypterar, nycklar sökningen eller en rotation pågår). Vänta tills `stegvis keys rotate` är klar."
                ),
                format!(
                    "Key {id} is still in use (it encrypts, keys the search, or a rotation is running). Wait until `stegvis keys rotate` has finished."
                ),
            )));
        }
        let (participants, history) = tx.sealed_under(id.into()).await?;
        let contacts = tx.reminder_contacts_under(id.into()).await?;
        let (participants, history) = (participants, history + contacts);
        if participants + history > 0 {
            self.commit(tx).await?;
            return Err(AppError::Conflict(Text::new(
                format!(
                    "Nyckel {id} öppnar fortfarande {} sparade värden. Kör `stegvis keys rotate` först.",
                    participants + history
                ),
                format!(
                    "Key {id} still opens {} stored values. Run `stegvis keys rotate` first.",
                    participants + history
                ),
            )));
        }
        tx.retire_key_id(id.into(), self.now()).await?;
        self.commit(tx).await?;
        // The trail's events that key signed stay proven by the chain: a checkpoint signed with
        // the current key vouches for everything sealed so far, before the key leaves the file.
        self.checkpoint_trail().await?;
        // After the commit: a crash here leaves a retired key in the file, which a second
        // `retire` removes; never a live key missing from it.
        match KeyRing::remove_key(&path, id) {
            Ok(()) | Err(CryptoError::UnknownKeyId(_)) => {}
            Err(e) => return Err(file_error(&path, e)),
        }
        self.keys.reload()?;
        Ok(())
    }

    /// Which keys the database knows, which is in use, and how far a rotation got.
    pub async fn key_status(&self) -> Result<KeyStatus> {
        let ring = self.keys.reload()?;
        let mut tx = self.system_job("key status read", None).await?;
        let state = tx.key_state(false).await?.ok_or_else(no_state)?;
        let ids = tx.key_ids().await?;
        let sealed_total = tx.sealed_total().await?;
        let mut keys = Vec::with_capacity(ids.len());
        for k in ids {
            let (p, h) = tx.sealed_under(k.id).await?;
            keys.push(KeyLine {
                id: k.id as u8,
                added_at: k.added_at,
                retired_at: k.retired_at,
                in_file: ring.has(k.id as u8),
                sealed: p + h,
            });
        }
        self.commit(tx).await?;
        Ok(KeyStatus {
            keys,
            encrypt_key: state.encrypt_key as u8,
            index_key: state.index_key as u8,
            rotating_to: state.rotating_to.map(|t| t as u8),
            sealed_total,
        })
    }
}

fn no_state() -> AppError {
    AppError::Internal("the database has no recorded keys".into())
}

/// Reseals every reminder agreement's address and number not yet under key `to` (few rows:
/// only those who agreed to reminders), in the rotation's last step; returns how many.
async fn reseal_reminder_contacts(
    ring: &KeyRing,
    tx: &mut Audited,
    to: i32,
    batch_size: i64,
) -> Result<i64> {
    let unreadable = || {
        AppError::Unreadable(Text::new(
            "En sparad kontaktuppgift för påminnelser kan inte läsas (fel nyckel eller skadat värde); rotationen har stannat.",
            "A stored contact detail for reminders cannot be read (wrong key or a damaged value); the rotation stopped.",
        ))
    };
    let mut done = 0;
    loop {
        let rows = tx.reminder_contacts_not_under(to, batch_size).await?;
        for r in &rows {
            let again = |field: &str, blob: &Option<Vec<u8>>| -> Result<Option<Vec<u8>>> {
                let aad = crate::reminders::aad(field, r.participant_id);
                blob.as_ref()
                    .map(|b| {
                        let plain = ring.decrypt(b, &aad).map_err(|_| unreadable())?;
                        Ok(ring.encrypt(&plain, &aad))
                    })
                    .transpose()
            };
            let email = again("email", &r.email_enc)?;
            let phone = again("phone", &r.phone_enc)?;
            tx.reseal_reminder_contacts(r.participant_id, email.as_deref(), phone.as_deref())
                .await?;
        }
        done += rows.len() as i64;
        if (rows.len() as i64) < batch_size {
            return Ok(done);
        }
    }
}

/// Opens a sealed value (AAD = its row id) and seals it under the ring's encryption key
/// (the rotation's target); returns the new ciphertext and the search hash under it.
fn reseal(ring: &KeyRing, row: &SealedRow) -> Result<(Vec<u8>, Vec<u8>)> {
    let plain = ring
        .decrypt(&row.identity_enc, row.id.as_bytes())
        .map_err(|_| {
            AppError::Unreadable(Text::new(
                "Ett sparat personnummer kan inte läsas (fel nyckel eller skadat värde); rotationen har stannat.",
                "A stored identity number cannot be read (wrong key or a damaged value); the rotation stopped.",
            ))
        })?;
    let enc = ring.encrypt(&plain, row.id.as_bytes());
    let hash = ring.blind_index(&plain).to_vec();
    Ok((enc, hash))
}

#[cfg(test)]
mod tests {
    use crate::{App, FixedClock, KeyRing};
    use std::sync::Arc;
    use stegvis_domain::{Gender, IdentityInput, IdentityNumber};
    use stegvis_store::organisation::OrganisationRow;
    use uuid::Uuid;

    /// A database written before its keys were recorded adopts the key file only when the
    /// file opens its sealed numbers; another file is refused and nothing is recorded.
    #[tokio::test]
    async fn a_database_without_recorded_keys_adopts_only_a_file_that_opens_it() {
        let now = time::macros::datetime!(2026-12-06 10:00 UTC);
        let dir = std::env::temp_dir().join(format!("stegvis-adopt-{}", Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}", dir.join("t.db").display());
        let clock = Arc::new(FixedClock::new(now));
        let app = App::open(&url, KeyRing::from_bytes([1; 32]), clock.clone())
            .await
            .unwrap();
        let org = Uuid::now_v7();
        let mut tx = app.store.begin().await.unwrap();
        tx.insert_organisation(&OrganisationRow {
            id: org,
            name: "Förr".into(),
            kind: "municipal_unit".into(),
            municipality_code: None,
            created_at: now,
        })
        .await
        .unwrap();
        // As before 0028: no recorded keys.
        tx.forget_recorded_keys().await.unwrap();
        tx.commit().await.unwrap();
        let number = IdentityNumber::parse("198112189876", app.today()).unwrap();
        let row = app.sealed_participant_row(
            Uuid::now_v7(),
            org,
            &IdentityInput::Number(number),
            "Åsa",
            "Öberg",
            Gender::Woman,
        );
        let mut tx = app
            .system_job("test: an old database", Some(org))
            .await
            .unwrap();
        tx.insert_participant(&row).await.unwrap();
        app.commit(tx).await.unwrap();
        app.close().await;

        let wrong = App::open(&url, KeyRing::from_bytes([2; 32]), clock.clone()).await;
        let Err(crate::AppError::Internal(msg)) = wrong else {
            panic!("a file that cannot open the data was adopted");
        };
        assert!(msg.contains("cannot open the encrypted data"), "{msg}");
        let right = App::open(&url, KeyRing::from_bytes([1; 32]), clock.clone())
            .await
            .unwrap();
        let status = right.key_status().await.unwrap();
        assert_eq!((status.encrypt_key, status.index_key), (1, 1));
        assert_eq!(status.keys.len(), 1);
        right.close().await;
        // Now recorded: the other key is refused by its check value.
        let wrong = App::open(&url, KeyRing::from_bytes([2; 32]), clock).await;
        let Err(crate::AppError::Internal(msg)) = wrong else {
            panic!("a different key was accepted");
        };
        assert!(msg.contains("wrong check value"), "{msg}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
