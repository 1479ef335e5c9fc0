//! Cryptography for Stegvis: a [`KeyRing`] loaded from a key file, authenticated
//! encryption of individual database fields (AES-256-GCM-SIV, bound to their row
//! through associated data), and keyed hashing ([`KeyRing::blind_index`]) so that
//! encrypted values such as identity numbers can still be found by exact match.
//! This crate only turns bytes into bytes: it must not talk to a database, know
//! about tables or decide who may read what; storage and access policy belong
//! to the calling crates.
#![forbid(unsafe_code)]

mod audit_mac;
mod keyfile;
#[cfg(test)]
mod tests;

use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use aes_gcm_siv::aead::{Aead, AeadInPlace, KeyInit, Payload};
use aes_gcm_siv::{Aes256GcmSiv, Nonce};
use hmac::{Hmac, Mac};
use rand::RngCore as _;
use rand::rngs::OsRng;
use sha2::Sha256;
use zeroize::Zeroizing;

type HmacSha256 = Hmac<Sha256>;
type DerivedKey = Zeroizing<[u8; 32]>;

const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
const HEADER_LEN: usize = 1 + NONCE_LEN;

/// Domain-separation labels: each purpose gets its own key derived from the
/// master key, so one master never serves two algorithms directly.
const LABEL_ENCRYPTION: &[u8] = b"stegvis field encryption v1";
const LABEL_BLIND_INDEX: &[u8] = b"stegvis blind index v1";
const LABEL_KEY_CHECK: &[u8] = b"stegvis key check v1";

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("bad key file: {0}")]
    BadKeyFile(String),
    #[error("value was encrypted with key id {0}, which is not in the key file")]
    UnknownKeyId(u8),
    /// Deliberately carries no detail: truncated, tampered, wrong key and
    /// wrong row all look the same to the caller.
    #[error("decryption failed (corrupt value, wrong key or wrong row)")]
    Decrypt,
    #[error("key file {0} does not exist")]
    Missing(PathBuf),
    #[error("key file I/O: {0}")]
    Io(#[from] std::io::Error),
}

/// Keys for field encryption and blind indexing.
///
/// Master keys stay in memory only as long as the ring (wiped on drop): the audit MAC
/// derives its own key from them ([`KeyRing::master`]). Every purpose uses a derived key.
///
/// * Encryption: each master key `k` with id `n` yields
///   `HMAC-SHA256(k, "stegvis field encryption v1")`; new values use the *encryption key*
///   ([`current_id`](Self::current_id)), old values name their key id so any key in the
///   ring can still decrypt them.
/// * Blind index: `HMAC-SHA256(k, "stegvis blind index v1")` of the *index key*
///   ([`index_id`](Self::index_id)); [`blind_index_with`](Self::blind_index_with) hashes
///   under any key, which a rotation needs while the stored hashes move.
///
/// Which key encrypts and which indexes is recorded in the database (`key_state`), and a ring
/// is set to it with [`with_roles`](Self::with_roles). A ring read from a file without roles
/// encrypts with the last line and indexes with the first (how files were read before the
/// database recorded its keys).
#[derive(Clone)]
pub struct KeyRing {
    current: u8,
    index: u8,
    /// In file order: (id, master, encryption key, index key).
    keys: Vec<RingKey>,
}

#[derive(Clone)]
struct RingKey {
    id: u8,
    master: DerivedKey,
    encryption: DerivedKey,
    index: DerivedKey,
}

/// Where a process gets its keys: a key file (the binary), or a fixed ring (tests).
#[derive(Debug, Clone)]
pub enum KeySource {
    File(PathBuf),
    Fixed(KeyRing),
}

impl From<KeyRing> for KeySource {
    fn from(ring: KeyRing) -> Self {
        KeySource::Fixed(ring)
    }
}

impl fmt::Debug for KeyRing {
    // Hand-written so key material can never reach logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyRing")
            .field("current", &self.current)
            .field("keys", &self.key_ids())
            .finish_non_exhaustive()
    }
}

fn hmac_sha256(key: &[u8; 32], msg: &[u8]) -> [u8; 32] {
    // Fully qualified: aes-gcm-siv's `KeyInit` also offers `new_from_slice`.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(msg);
    mac.finalize().into_bytes().into()
}

fn derive(master: &[u8; 32], label: &[u8]) -> DerivedKey {
    Zeroizing::new(hmac_sha256(master, label))
}

impl KeyRing {
    /// Generates a new random master key (32 bytes) and returns the key-file
    /// text (a short comment header plus `1:<base64>`).
    pub fn generate_key_file() -> String {
        keyfile::generate()
    }

    fn from_masters(masters: Vec<(u8, keyfile::MasterKey)>) -> Self {
        let current = masters
            .last()
            .map(|(id, _)| *id)
            .expect("parse rejects empty files");
        let index = masters[0].0;
        let keys = masters
            .iter()
            .map(|(id, master)| RingKey {
                id: *id,
                master: Zeroizing::new(**master),
                encryption: derive(master, LABEL_ENCRYPTION),
                index: derive(master, LABEL_BLIND_INDEX),
            })
            .collect();
        Self {
            current,
            index,
            keys,
        }
    }

    /// Parses key-file text: one line per key `<id>:<base64 of 32 bytes>`,
    /// ids 1..=255, `#` comments and blank lines allowed. Until
    /// [`with_roles`](Self::with_roles) says otherwise, the LAST key encrypts and
    /// the FIRST keys the blind index.
    pub fn from_key_file(text: &str) -> Result<Self, CryptoError> {
        Ok(Self::from_masters(keyfile::parse(text)?))
    }

    /// Reads the key file at `path`. A missing file is an error
    /// ([`CryptoError::Missing`]): nothing here creates keys behind the caller's back.
    pub fn load(path: &Path) -> Result<Self, CryptoError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => Zeroizing::new(t),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(CryptoError::Missing(path.to_path_buf()));
            }
            Err(e) => return Err(e.into()),
        };
        Self::from_key_file(&text)
    }

    /// Creates a new key file at `path` (mode 0600 on unix, parent directories created)
    /// with one new key, and returns its ring. Refuses when a file is there already.
    /// Only for a brand-new database: the caller decides that.
    pub fn create_new(path: &Path) -> Result<Self, CryptoError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        let mut options = std::fs::OpenOptions::new();
        // create_new: never overwrite a key file another process just wrote.
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(path)?;
        let text = Zeroizing::new(Self::generate_key_file());
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        keyfile::sync_dir(path);
        Self::from_key_file(&text)
    }

    /// Appends a new key (the next free id) to the key file at `path`, atomically
    /// (temporary file 0600, fsync, rename), and returns its id.
    pub fn append_key(path: &Path) -> Result<u8, CryptoError> {
        keyfile::append(path)
    }

    /// Rewrites the key file at `path` without key `id` (atomically, as
    /// [`append_key`](Self::append_key)). Refuses to remove the last key.
    pub fn remove_key(path: &Path, id: u8) -> Result<(), CryptoError> {
        keyfile::remove(path, id)
    }

    /// Deterministic ring for tests and demos from a 32-byte seed (key id 1).
    pub fn from_bytes(master: [u8; 32]) -> Self {
        let master = Zeroizing::new(master);
        Self::from_masters(vec![(1, master)])
    }

    /// The same keys with `encrypt` encrypting new values and `index` keying the blind
    /// index; an id the ring lacks is [`CryptoError::UnknownKeyId`].
    pub fn with_roles(&self, encrypt: u8, index: u8) -> Result<Self, CryptoError> {
        for id in [encrypt, index] {
            if !self.has(id) {
                return Err(CryptoError::UnknownKeyId(id));
            }
        }
        let mut ring = self.clone();
        ring.current = encrypt;
        ring.index = index;
        Ok(ring)
    }

    /// Key ids in file order.
    pub fn key_ids(&self) -> Vec<u8> {
        self.keys.iter().map(|k| k.id).collect()
    }

    pub fn has(&self, id: u8) -> bool {
        self.keys.iter().any(|k| k.id == id)
    }

    /// The key new values are encrypted with.
    pub fn current_id(&self) -> u8 {
        self.current
    }

    /// The key the blind index is keyed with.
    pub fn index_id(&self) -> u8 {
        self.index
    }

    /// A value that identifies key `id` without revealing it: the first 16 bytes of
    /// `HMAC-SHA256(master, "stegvis key check v1")`. The database keeps it to recognise the
    /// key file it was written with.
    pub fn check_value(&self, id: u8) -> Option<[u8; 16]> {
        let key = self.keys.iter().find(|k| k.id == id)?;
        let full = hmac_sha256(&key.master, LABEL_KEY_CHECK);
        let mut out = [0; 16];
        out.copy_from_slice(&full[..16]);
        Some(out)
    }

    /// The master key `id`, for purposes that derive their own key from it (the audit MAC).
    pub fn master(&self, id: u8) -> Option<&[u8; 32]> {
        self.keys.iter().find(|k| k.id == id).map(|k| &*k.master)
    }

    fn cipher(&self, id: u8) -> Option<Aes256GcmSiv> {
        let key = self.keys.iter().find(|k| k.id == id)?;
        Some(Aes256GcmSiv::new(key.encryption[..].into()))
    }

    /// AES-256-GCM-SIV under the current key. Output layout:
    /// `[key id: 1 byte][nonce: 12 bytes][ciphertext + 16-byte tag]`.
    ///
    /// `aad` binds the value to its row (callers pass e.g. the row id bytes),
    /// so a value copied to another row fails to decrypt. Nonces are random;
    /// GCM-SIV keeps a rare nonce collision from leaking more than equality.
    pub fn encrypt(&self, plaintext: &[u8], aad: &[u8]) -> Vec<u8> {
        let cipher = self
            .cipher(self.current)
            .expect("current key is in the ring");
        let mut out = Vec::with_capacity(HEADER_LEN + plaintext.len() + TAG_LEN);
        out.push(self.current);
        let mut nonce = [0u8; NONCE_LEN];
        OsRng.fill_bytes(&mut nonce);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(plaintext);
        let tag = cipher
            .encrypt_in_place_detached(Nonce::from_slice(&nonce), aad, &mut out[HEADER_LEN..])
            .expect("field values are far below the AES-GCM-SIV length limit");
        out.extend_from_slice(&tag);
        out
    }

    /// Reverses [`encrypt`](Self::encrypt) with whichever key the blob names.
    pub fn decrypt(&self, blob: &[u8], aad: &[u8]) -> Result<Vec<u8>, CryptoError> {
        if blob.len() < HEADER_LEN + TAG_LEN {
            return Err(CryptoError::Decrypt);
        }
        let id = blob[0];
        let cipher = self.cipher(id).ok_or(CryptoError::UnknownKeyId(id))?;
        let payload = Payload {
            msg: &blob[HEADER_LEN..],
            aad,
        };
        cipher
            .decrypt(Nonce::from_slice(&blob[1..HEADER_LEN]), payload)
            .map_err(|_| CryptoError::Decrypt)
    }

    /// Keyed hash (HMAC-SHA-256) for exact-match search, e.g. of identity
    /// numbers, under the index key (see [`KeyRing`]). Callers should normalise
    /// `value` first (e.g. strip separators), since only identical bytes match.
    pub fn blind_index(&self, value: &[u8]) -> [u8; 32] {
        self.blind_index_with(self.index, value)
            .expect("the index key is in the ring")
    }

    /// The blind index under key `id` (`None` when the ring lacks it).
    pub fn blind_index_with(&self, id: u8, value: &[u8]) -> Option<[u8; 32]> {
        let key = self.keys.iter().find(|k| k.id == id)?;
        Some(hmac_sha256(&key.index, value))
    }
}

impl stegvis_domain::FieldKeys for KeyRing {
    fn encrypt(&self, plaintext: &[u8], aad: &[u8]) -> Vec<u8> {
        KeyRing::encrypt(self, plaintext, aad)
    }

    fn decrypt(&self, blob: &[u8], aad: &[u8]) -> Option<Vec<u8>> {
        KeyRing::decrypt(self, blob, aad).ok()
    }

    fn blind_index(&self, value: &[u8]) -> [u8; 32] {
        KeyRing::blind_index(self, value)
    }
}
