//! The keys a database was written with (`key_ids`, `key_state`) and the batches of a key
//! rotation. The store never sees a key: it keeps ids, check values and sealed bytes.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Audited, Backend, Result, Store, Tx, exec, fetch_all, fetch_optional, fetch_scalar};

/// A key the database records.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct KeyIdRow {
    pub id: i32,
    pub check_value: Vec<u8>,
    pub added_at: OffsetDateTime,
    pub retired_at: Option<OffsetDateTime>,
}

/// Which key encrypts, which keys the search hash, and a rotation's progress.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct KeyState {
    pub encrypt_key: i32,
    pub index_key: i32,
    pub rotating_to: Option<i32>,
    /// 1: participants, 2: identity_history (0 when no rotation runs).
    pub rotation_phase: i32,
    pub rotation_after: Option<Uuid>,
}

/// What a start needs to decide about the key file, read without writing anything.
#[derive(Debug, Clone, Default)]
pub struct KeyRecords {
    /// The keys recorded (empty before 0028, or before the first start recorded them).
    pub ids: Vec<KeyIdRow>,
    pub state: Option<KeyState>,
    /// Any participant at all (a database with people in it is never "brand new").
    pub has_participants: bool,
}

/// A reminder agreement's sealed address and number (AAD: field and participant id).
#[derive(Clone, sqlx::FromRow)]
pub struct SealedContacts {
    pub participant_id: Uuid,
    pub email_enc: Option<Vec<u8>>,
    pub phone_enc: Option<Vec<u8>>,
}

/// One sealed identity number (participant or earlier number), by row id.
#[derive(Clone, sqlx::FromRow)]
pub struct SealedRow {
    pub id: Uuid,
    pub identity_kind: Option<String>,
    pub identity_enc: Vec<u8>,
}

impl std::fmt::Debug for SealedRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SealedRow")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

const STATE_COLUMNS: &str = "SELECT encrypt_key, index_key, rotating_to, rotation_phase, rotation_after FROM key_state WHERE id = 1";

async fn table_exists(tx: &mut Tx, name: &str) -> Result<bool> {
    let n = match tx.backend() {
        Backend::Sqlite => fetch_scalar!(
            tx,
            i64,
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $1",
            name
        )?,
        Backend::Postgres => fetch_scalar!(
            tx,
            i64,
            "SELECT COUNT(*) FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_name = $1",
            name
        )?,
    };
    Ok(n > 0)
}

impl Store {
    /// The recorded keys and whether the database holds people, in one read-only transaction:
    /// safe before migrations (a table not there yet reads as empty).
    pub async fn key_records(&self) -> Result<KeyRecords> {
        let mut tx = self.begin_read().await?;
        let mut out = KeyRecords::default();
        if table_exists(&mut tx, "participants").await? {
            out.has_participants = fetch_scalar!(
                &mut tx,
                i64,
                "SELECT COUNT(*) FROM (SELECT 1 FROM participants LIMIT 1) x"
            )? > 0;
        }
        if table_exists(&mut tx, "key_state").await? {
            out.ids = fetch_all!(
                &mut tx,
                KeyIdRow,
                "SELECT id, check_value, added_at, retired_at FROM key_ids ORDER BY id"
            )?;
            out.state = fetch_optional!(&mut tx, KeyState, STATE_COLUMNS)?;
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Up to `limit` sealed identity numbers, to prove a key file opens them before it is
    /// adopted by a database that never recorded its keys. Read-only (it runs before
    /// migrations, when nothing may be written); the adoption itself is audited.
    pub async fn sealed_sample(&self, limit: i64) -> Result<Vec<SealedRow>> {
        let mut tx = self.begin_read().await?;
        let rows = fetch_all!(
            &mut tx,
            SealedRow,
            "SELECT id, identity_kind, identity_enc FROM participants
             WHERE identity_enc IS NOT NULL ORDER BY id LIMIT $1",
            limit
        )?;
        tx.commit().await?;
        Ok(rows)
    }
}

impl Audited {
    /// The key state. `share`: on PostgreSQL the row is locked FOR SHARE until commit, so a
    /// rotation's state change waits for this transaction and this one sees no change halfway
    /// (SQLite's writers are serialised anyway).
    pub async fn key_state(&mut self, share: bool) -> Result<Option<KeyState>> {
        Ok(match (self.tx.backend(), share) {
            (Backend::Postgres, true) => fetch_optional!(
                &mut self.tx,
                KeyState,
                "SELECT encrypt_key, index_key, rotating_to, rotation_phase, rotation_after
                 FROM key_state WHERE id = 1 FOR SHARE"
            )?,
            _ => fetch_optional!(&mut self.tx, KeyState, STATE_COLUMNS)?,
        })
    }

    /// The key state, locked against every sealing transaction until commit (PostgreSQL).
    pub async fn key_state_for_update(&mut self) -> Result<Option<KeyState>> {
        Ok(match self.tx.backend() {
            Backend::Postgres => fetch_optional!(
                &mut self.tx,
                KeyState,
                "SELECT encrypt_key, index_key, rotating_to, rotation_phase, rotation_after
                 FROM key_state WHERE id = 1 FOR UPDATE"
            )?,
            Backend::Sqlite => fetch_optional!(&mut self.tx, KeyState, STATE_COLUMNS)?,
        })
    }

    pub async fn key_ids(&mut self) -> Result<Vec<KeyIdRow>> {
        Ok(fetch_all!(
            &mut self.tx,
            KeyIdRow,
            "SELECT id, check_value, added_at, retired_at FROM key_ids ORDER BY id"
        )?)
    }

    /// Records a key (id and check value); an id recorded already is left as it is.
    pub async fn insert_key_id(&mut self, id: i32, check: &[u8], at: OffsetDateTime) -> Result<()> {
        exec!(
            &mut self.tx,
            "INSERT INTO key_ids (id, check_value, added_at) VALUES ($1, $2, $3)
             ON CONFLICT (id) DO NOTHING",
            id,
            check,
            at
        )?;
        Ok(())
    }

    /// Records the first key state (a new database, or one adopting its key file).
    pub async fn insert_key_state(&mut self, encrypt: i32, index: i32) -> Result<()> {
        exec!(
            &mut self.tx,
            "INSERT INTO key_state (id, encrypt_key, index_key) VALUES (1, $1, $2)",
            encrypt,
            index
        )?;
        Ok(())
    }

    /// Starts a rotation to key `to`: new values are sealed under it from the next transaction.
    pub async fn start_rotation(&mut self, to: i32) -> Result<()> {
        exec!(
            &mut self.tx,
            "UPDATE key_state SET rotating_to = $1, rotation_phase = 1, rotation_after = NULL
             WHERE id = 1",
            to
        )?;
        Ok(())
    }

    /// Where the rotation goes on next time (written in the batch's own transaction).
    pub async fn set_rotation_cursor(&mut self, phase: i32, after: Option<Uuid>) -> Result<()> {
        exec!(
            &mut self.tx,
            "UPDATE key_state SET rotation_phase = $1, rotation_after = $2 WHERE id = 1",
            phase,
            after
        )?;
        Ok(())
    }

    /// Ends the rotation: `to` encrypts and keys the search hash.
    pub async fn finish_rotation(&mut self, to: i32) -> Result<()> {
        exec!(
            &mut self.tx,
            "UPDATE key_state SET encrypt_key = $1, index_key = $1, rotating_to = NULL,
                rotation_phase = 0, rotation_after = NULL
             WHERE id = 1",
            to
        )?;
        Ok(())
    }

    pub async fn retire_key_id(&mut self, id: i32, at: OffsetDateTime) -> Result<()> {
        exec!(
            &mut self.tx,
            "UPDATE key_ids SET retired_at = $1 WHERE id = $2 AND retired_at IS NULL",
            at,
            id
        )?;
        Ok(())
    }

    /// Participants' sealed numbers after `after`, in id order (a rotation batch). On
    /// PostgreSQL the rows are locked until commit.
    pub async fn sealed_participants_after(
        &mut self,
        after: Uuid,
        limit: i64,
    ) -> Result<Vec<SealedRow>> {
        Ok(match self.tx.backend() {
            Backend::Sqlite => fetch_all!(
                &mut self.tx,
                SealedRow,
                "SELECT id, identity_kind, identity_enc FROM participants
                 WHERE id > $1 AND identity_enc IS NOT NULL ORDER BY id LIMIT $2",
                after,
                limit
            )?,
            Backend::Postgres => fetch_all!(
                &mut self.tx,
                SealedRow,
                "SELECT id, identity_kind, identity_enc FROM participants
                 WHERE id > $1 AND identity_enc IS NOT NULL ORDER BY id LIMIT $2 FOR UPDATE",
                after,
                limit
            )?,
        })
    }

    /// Participants whose number is not sealed under `key` (the sweep that ends a rotation).
    pub async fn sealed_participants_not_under(
        &mut self,
        key: i32,
        limit: i64,
    ) -> Result<Vec<SealedRow>> {
        Ok(match self.tx.backend() {
            Backend::Sqlite => fetch_all!(
                &mut self.tx,
                SealedRow,
                "SELECT id, identity_kind, identity_enc FROM participants
                 WHERE identity_enc IS NOT NULL AND hex(substr(identity_enc, 1, 1)) <> $1
                 ORDER BY id LIMIT $2",
                format!("{key:02X}"),
                limit
            )?,
            Backend::Postgres => fetch_all!(
                &mut self.tx,
                SealedRow,
                "SELECT id, identity_kind, identity_enc FROM participants
                 WHERE identity_enc IS NOT NULL AND get_byte(identity_enc, 0) <> $1
                 ORDER BY id LIMIT $2 FOR UPDATE",
                key,
                limit
            )?,
        })
    }

    pub async fn reseal_participant(&mut self, id: Uuid, enc: &[u8], hash: &[u8]) -> Result<()> {
        exec!(
            &mut self.tx,
            "UPDATE participants SET identity_enc = $1, identity_hash = $2 WHERE id = $3",
            enc,
            hash,
            id
        )?;
        Ok(())
    }

    /// Earlier identity numbers after `after`, in id order (a rotation batch).
    pub async fn sealed_history_after(
        &mut self,
        after: Uuid,
        limit: i64,
    ) -> Result<Vec<SealedRow>> {
        Ok(fetch_all!(
            &mut self.tx,
            SealedRow,
            "SELECT id, identity_kind, identity_enc FROM identity_history
             WHERE id > $1 ORDER BY id LIMIT $2",
            after,
            limit
        )?)
    }

    pub async fn reseal_history(&mut self, id: Uuid, enc: &[u8]) -> Result<()> {
        exec!(
            &mut self.tx,
            "UPDATE identity_history SET identity_enc = $1 WHERE id = $2",
            enc,
            id
        )?;
        Ok(())
    }

    /// How many sealed values (participants, earlier numbers) name key `key`.
    pub async fn sealed_under(&mut self, key: i32) -> Result<(i64, i64)> {
        let hex = format!("{key:02X}");
        Ok(match self.tx.backend() {
            Backend::Sqlite => (
                fetch_scalar!(
                    &mut self.tx,
                    i64,
                    "SELECT COUNT(*) FROM participants
                     WHERE identity_enc IS NOT NULL AND hex(substr(identity_enc, 1, 1)) = $1",
                    hex.as_str()
                )?,
                fetch_scalar!(
                    &mut self.tx,
                    i64,
                    "SELECT COUNT(*) FROM identity_history WHERE hex(substr(identity_enc, 1, 1)) = $1",
                    hex.as_str()
                )?,
            ),
            Backend::Postgres => (
                fetch_scalar!(
                    &mut self.tx,
                    i64,
                    "SELECT COUNT(*) FROM participants
                     WHERE identity_enc IS NOT NULL AND get_byte(identity_enc, 0) = $1",
                    key
                )?,
                fetch_scalar!(
                    &mut self.tx,
                    i64,
                    "SELECT COUNT(*) FROM identity_history WHERE get_byte(identity_enc, 0) = $1",
                    key
                )?,
            ),
        })
    }

    /// How many sealed values there are (for progress).
    pub async fn sealed_total(&mut self) -> Result<i64> {
        Ok(fetch_scalar!(
            &mut self.tx,
            i64,
            "SELECT (SELECT COUNT(*) FROM participants WHERE identity_enc IS NOT NULL)
                  + (SELECT COUNT(*) FROM identity_history)"
        )?)
    }

    /// Reminder agreements whose address or number is sealed under another key than `key`.
    pub async fn reminder_contacts_not_under(
        &mut self,
        key: i32,
        limit: i64,
    ) -> Result<Vec<SealedContacts>> {
        Ok(match self.tx.backend() {
            Backend::Sqlite => fetch_all!(
                &mut self.tx,
                SealedContacts,
                "SELECT participant_id, email_enc, phone_enc FROM reminder_agreements
                 WHERE (email_enc IS NOT NULL AND hex(substr(email_enc, 1, 1)) <> $1)
                    OR (phone_enc IS NOT NULL AND hex(substr(phone_enc, 1, 1)) <> $1)
                 ORDER BY participant_id LIMIT $2",
                format!("{key:02X}"),
                limit
            )?,
            Backend::Postgres => fetch_all!(
                &mut self.tx,
                SealedContacts,
                "SELECT participant_id, email_enc, phone_enc FROM reminder_agreements
                 WHERE (email_enc IS NOT NULL AND get_byte(email_enc, 0) <> $1)
                    OR (phone_enc IS NOT NULL AND get_byte(phone_enc, 0) <> $1)
                 ORDER BY participant_id LIMIT $2 FOR UPDATE",
                key,
                limit
            )?,
        })
    }

    pub async fn reseal_reminder_contacts(
        &mut self,
        participant_id: Uuid,
        email_enc: Option<&[u8]>,
        phone_enc: Option<&[u8]>,
    ) -> Result<()> {
        exec!(
            &mut self.tx,
            "UPDATE reminder_agreements SET email_enc = $1, phone_enc = $2 WHERE participant_id = $3",
            email_enc,
            phone_enc,
            participant_id
        )?;
        Ok(())
    }

    /// Reminder agreements with an address or number sealed under `key`.
    pub async fn reminder_contacts_under(&mut self, key: i32) -> Result<i64> {
        Ok(match self.tx.backend() {
            Backend::Sqlite => fetch_scalar!(
                &mut self.tx,
                i64,
                "SELECT COUNT(*) FROM reminder_agreements
                 WHERE hex(substr(email_enc, 1, 1)) = $1 OR hex(substr(phone_enc, 1, 1)) = $1",
                format!("{key:02X}")
            )?,
            Backend::Postgres => fetch_scalar!(
                &mut self.tx,
                i64,
                "SELECT COUNT(*) FROM reminder_agreements
                 WHERE get_byte(email_enc, 0) = $1 OR get_byte(phone_enc, 0) = $1",
                key
            )?,
        })
    }
}

impl Tx {
    /// Test support: makes the database look as it did before its keys were recorded (0028).
    #[doc(hidden)]
    pub async fn forget_recorded_keys(&mut self) -> Result<()> {
        exec!(self, "DELETE FROM key_state")?;
        exec!(self, "DELETE FROM key_ids")?;
        Ok(())
    }
}
