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
use std::path::Path;

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
    #[error("key file I/O: {0}")]
    Io(#[from] std::io::Error),
}

/// Keys for field encryption and blind indexing.
///
/// Only derived keys are kept, never the master keys themselves, and all of
/// them are wiped from memory on drop.
///
/// * Encryption: each master key `k` with id `n` yields
///   `HMAC-SHA256(k, "stegvis field encryption v1")`; new values use the key
///   on the last line, old values name their key id so any key in the file
///   can still decrypt them (rotation).
/// * Blind index: `HMAC-SHA256(first_key, "stegvis blind index v1")`, from
///   the FIRST key in the file, not the current one. Stored hashes must stay
///   comparable forever, so appending a rotation key must not change the
///   search key. Rotating the search key means re-hashing every row and is a
///   separate, deliberate migration.
#[derive(Clone)]
pub struct KeyRing {
    current: u8,
    /// Encryption keys in file order.
    keys: Vec<(u8, DerivedKey)>,
    index_key: DerivedKey,
}

impl fmt::Debug for KeyRing {
    // Hand-written so key material can never reach logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids: Vec<u8> = self.keys.iter().map(|(id, _)| *id).collect();
        f.debug_struct("KeyRing")
            .field("current", &self.current)
            .field("keys", &ids)
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

    /// Parses key-file text: one line per key `<id>:<base64 of 32 bytes>`,
    /// ids 1..=255, `#` comments and blank lines allowed. The LAST key is the
    /// current one used for new encryptions; all keys are kept for decryption.
    /// The FIRST key also keys the blind index (see [`KeyRing`]).
    pub fn from_key_file(text: &str) -> Result<Self, CryptoError> {
        let masters = keyfile::parse(text)?;
        let current = masters
            .last()
            .map(|(id, _)| *id)
            .expect("parse rejects empty files");
        let index_key = derive(&masters[0].1, LABEL_BLIND_INDEX);
        let keys = masters
            .iter()
            .map(|(id, master)| (*id, derive(master, LABEL_ENCRYPTION)))
            .collect();
        Ok(Self {
            current,
            keys,
            index_key,
        })
    }

    /// Reads the key file at `path`, creating it (with
    /// [`generate_key_file`](Self::generate_key_file), mode 0600 on unix,
    /// parent directories created) when it does not exist.
    pub fn load_or_create(path: &Path) -> Result<Self, CryptoError> {
        if !path.exists() {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)?;
            }
            let mut options = std::fs::OpenOptions::new();
            // create_new: never overwrite a key file another process just wrote.
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            match options.open(path) {
                Ok(mut file) => {
                    let text = Zeroizing::new(Self::generate_key_file());
                    file.write_all(text.as_bytes())?;
                    file.sync_all()?;
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(e.into()),
            }
        }
        let text = Zeroizing::new(std::fs::read_to_string(path)?);
        Self::from_key_file(&text)
    }

    /// Deterministic ring for tests and demos from a 32-byte seed (key id 1).
    pub fn from_bytes(master: [u8; 32]) -> Self {
        let master = Zeroizing::new(master);
        Self {
            current: 1,
            keys: vec![(1, derive(&master, LABEL_ENCRYPTION))],
            index_key: derive(&master, LABEL_BLIND_INDEX),
        }
    }

    fn cipher(&self, id: u8) -> Option<Aes256GcmSiv> {
        let (_, key) = self.keys.iter().find(|(k, _)| *k == id)?;
        Some(Aes256GcmSiv::new(key[..].into()))
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
    /// numbers. Keyed from the FIRST key in the file, so it is stable across
    /// rotation (see [`KeyRing`]). Callers should normalise `value` first
    /// (e.g. strip separators), since only identical bytes match.
    pub fn blind_index(&self, value: &[u8]) -> [u8; 32] {
        hmac_sha256(&self.index_key, value)
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
