//! The data folder and the SQLite files are the owner's only: the folder 0700, the database
//! and its -wal/-shm 0600. Created so before sqlx opens them (create-then-open, no umask), and
//! an existing looser folder or file is tightened at every start, with a log line.

use anyhow::{Context, Result};
use std::fs::{DirBuilder, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

const DIR_MODE: u32 = 0o700;
const FILE_MODE: u32 = 0o600;

/// Makes `dir` (0700) and `dir/stegvis.db` (0600, empty when new; SQLite gives its -wal and
/// -shm the database file's mode), tightening what exists.
pub(crate) fn prepare(dir: &Path) -> Result<std::path::PathBuf> {
    DirBuilder::new()
        .recursive(true)
        .mode(DIR_MODE)
        .create(dir)
        .with_context(|| format!("cannot create {}", dir.display()))?;
    tighten(dir, DIR_MODE)?;
    let db = dir.join("stegvis.db");
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .mode(FILE_MODE)
        .open(&db)
        .with_context(|| format!("cannot create {}", db.display()))?;
    for name in ["stegvis.db", "stegvis.db-wal", "stegvis.db-shm"] {
        let path = dir.join(name);
        if path.exists() {
            tighten(&path, FILE_MODE)?;
        }
    }
    Ok(db)
}

/// Removes every permission beyond `mode` (group and others), saying so when it changes one.
fn tighten(path: &Path, mode: u32) -> Result<()> {
    let meta = std::fs::metadata(path).with_context(|| format!("{}", path.display()))?;
    let now = meta.permissions().mode() & 0o777;
    if now & !mode != 0 {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(now & mode))
            .with_context(|| format!("cannot tighten {}", path.display()))?;
        tracing::warn!(
            path = %path.display(),
            from = format_args!("{now:o}"),
            to = format_args!("{:o}", now & mode),
            "tightened permissions to the owner only"
        );
    }
    Ok(())
}
