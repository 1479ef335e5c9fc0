//! Key-file text format: one `<id>:<base64 of 32 bytes>` per line.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use rand::RngCore as _;
use rand::rngs::OsRng;
use zeroize::Zeroizing;

use crate::CryptoError;

/// A master key as read from the file; wiped when dropped.
pub(crate) type MasterKey = Zeroizing<[u8; 32]>;

const HEADER: &str = "\
# Stegvis master keys. Keep this file secret (mode 0600) and back it up:
# losing it makes all encrypted fields unreadable.
# To rotate, append a new line with a higher id. Never remove or reorder
# lines: the last line encrypts new values, the first keys the search index.
";

pub(crate) fn generate() -> String {
    let mut key: MasterKey = Zeroizing::new([0; 32]);
    OsRng.fill_bytes(&mut key[..]);
    format!("{HEADER}1:{}\n", B64.encode(&key[..]))
}

/// Returns the keys in file order. Error messages name the line but never
/// echo its content, since that content is key material.
pub(crate) fn parse(text: &str) -> Result<Vec<(u8, MasterKey)>, CryptoError> {
    let mut keys: Vec<(u8, MasterKey)> = Vec::new();
    for (idx, raw) in text.lines().enumerate() {
        let line_no = idx + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |why: &str| CryptoError::BadKeyFile(format!("line {line_no}: {why}"));
        let (id, b64) = line
            .split_once(':')
            .ok_or_else(|| bad("expected `<id>:<base64 key>`"))?;
        let id: u8 = id
            .trim()
            .parse()
            .map_err(|_| bad("key id must be a number from 1 to 255"))?;
        if id == 0 {
            return Err(bad("key id 0 is not allowed (use 1 to 255)"));
        }
        if keys.iter().any(|(k, _)| *k == id) {
            return Err(bad(&format!("duplicate key id {id}")));
        }
        let bytes = Zeroizing::new(
            B64.decode(b64.trim())
                .map_err(|_| bad("key is not valid base64"))?,
        );
        let key: [u8; 32] = bytes[..].try_into().map_err(|_| {
            bad(&format!(
                "key must be 32 bytes, got {} bytes after base64 decoding",
                bytes.len()
            ))
        })?;
        keys.push((id, Zeroizing::new(key)));
    }
    if keys.is_empty() {
        return Err(CryptoError::BadKeyFile(
            "no keys found (expected at least one `<id>:<base64 key>` line)".into(),
        ));
    }
    Ok(keys)
}
