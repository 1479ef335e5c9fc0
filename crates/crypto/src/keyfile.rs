//! Key-file text format: one `<id>:<base64 of 32 bytes>` per line.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use rand::RngCore as _;
use rand::rngs::OsRng;
use std::io::Write as _;
use std::path::Path;
use zeroize::Zeroizing;

use crate::CryptoError;

/// A master key as read from the file; wiped when dropped.
pub(crate) type MasterKey = Zeroizing<[u8; 32]>;

const HEADER: &str = "\
# Stegvis master keys. Keep this file secret (mode 0600), outside the data
# folder and its backups, and back it up separately: losing it makes all
# encrypted fields unreadable.
# Do not edit by hand. The database records which key encrypts and which
# keys the search index: `stegvis keys rotate` adds a key and re-encrypts,
# `stegvis keys retire <id>` removes a key nothing uses any more, and
# `stegvis keys status` shows them.
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

fn new_line(id: u8) -> Zeroizing<String> {
    let mut key: MasterKey = Zeroizing::new([0; 32]);
    OsRng.fill_bytes(&mut key[..]);
    Zeroizing::new(format!("{id}:{}\n", B64.encode(&key[..])))
}

/// Appends a key with the next free id; returns the id.
pub(crate) fn append(path: &Path) -> Result<u8, CryptoError> {
    let text = Zeroizing::new(std::fs::read_to_string(path)?);
    let keys = parse(&text)?;
    let max = keys.iter().map(|(id, _)| *id).max().unwrap_or(0);
    let id = max
        .checked_add(1)
        .ok_or_else(|| CryptoError::BadKeyFile("no free key id left (255 used)".into()))?;
    let mut out = Zeroizing::new(String::with_capacity(text.len() + 64));
    out.push_str(&text);
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&new_line(id));
    replace(path, &out)?;
    Ok(id)
}

/// Rewrites the file without key `id`, keeping every other line (comments too).
pub(crate) fn remove(path: &Path, id: u8) -> Result<(), CryptoError> {
    let text = Zeroizing::new(std::fs::read_to_string(path)?);
    let keys = parse(&text)?;
    if !keys.iter().any(|(k, _)| *k == id) {
        return Err(CryptoError::UnknownKeyId(id));
    }
    if keys.len() == 1 {
        return Err(CryptoError::BadKeyFile(
            "cannot remove the only key in the file".into(),
        ));
    }
    let mut out = Zeroizing::new(String::with_capacity(text.len()));
    for line in text.lines() {
        let is_it = line
            .trim()
            .split_once(':')
            .and_then(|(k, _)| k.trim().parse::<u8>().ok())
            == Some(id)
            && !line.trim().starts_with('#');
        if !is_it {
            out.push_str(line);
            out.push('\n');
        }
    }
    replace(path, &out)
}

/// Replaces `path` atomically: a private temporary file beside it, fsync, rename, fsync of
/// the folder. A crash leaves either the old or the new file, never half of one.
fn replace(path: &Path, text: &str) -> Result<(), CryptoError> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp_name = format!(".{name}.tmp-{}", std::process::id());
    let tmp = match dir {
        Some(d) => d.join(tmp_name),
        None => Path::new(&tmp_name).to_path_buf(),
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let result = (|| {
        let mut file = options.open(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e.into());
    }
    sync_dir(path);
    Ok(())
}

/// Makes a new or renamed directory entry durable (best effort: not every platform can).
pub(crate) fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && let Ok(d) = std::fs::File::open(dir)
    {
        let _ = d.sync_all();
    }
}
