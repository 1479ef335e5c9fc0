//! `stegvis backup` and `stegvis restore`: an online, consistent copy of the database into a
//! folder of its own (owner-only), and its restore into an empty instance, checked before use.
//! The key file is never part of a backup: it is kept apart, and a restore needs it.

use crate::Storage;
use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use stegvis_app::Backend;
use stegvis_app::backup::{DatabaseFacts, IdentityCheck};

const MANIFEST: &str = "manifest.json";
const SQLITE_FILE: &str = "stegvis.db";
const PG_FILE: &str = "stegvis.pgdump";

/// What a backup folder holds besides the data, and what a restore checks against.
#[derive(serde::Serialize, serde::Deserialize)]
struct Manifest {
    format: u32,
    stegvis_version: String,
    #[serde(with = "time::serde::rfc3339")]
    created_at: time::OffsetDateTime,
    /// The data file in the folder.
    file: String,
    sha256: String,
    database: DatabaseFacts,
}

pub(crate) async fn backup(storage: &Storage, to: &Path) -> Result<()> {
    if storage.database_url.is_none() && !storage.data_dir.join(SQLITE_FILE).exists() {
        bail!(
            "det finns ingen databas i / there is no database at {}",
            storage.data_dir.display()
        );
    }
    private_empty_dir(to)?;
    let app = storage.open().await?;
    let (file, facts) = match app.backend() {
        Backend::Sqlite => {
            let copy = to.join(SQLITE_FILE);
            // Created empty and owner-only first: `VACUUM INTO` keeps the file's mode.
            private_file(&copy)?;
            app.copy_database_into(&copy)
                .await
                .context("kopian kunde inte skrivas / the copy could not be written")?;
            app.close().await;
            let url = format!("sqlite://{}", copy.display());
            stegvis_app::backup::finish_copy(&url).await?;
            let failed: Vec<String> = stegvis_app::check::check_database(&url)
                .await?
                .into_iter()
                .filter(|c| !c.ok())
                .map(|c| c.what)
                .collect();
            if !failed.is_empty() {
                bail!(
                    "kopian klarar inte kontrollen / the copy fails its check: {}",
                    failed.join("; ")
                );
            }
            let facts = stegvis_app::backup::facts_of(&url).await?;
            (copy, facts)
        }
        Backend::Postgres => {
            let facts = app.database_facts().await?;
            app.close().await;
            let dump = to.join(PG_FILE);
            private_file(&dump)?;
            let url = storage.database_url.as_deref().unwrap_or_default();
            pg_tool("pg_dump", url, &["--format=custom", "--file"], &dump)?;
            (dump, facts)
        }
    };
    let manifest = Manifest {
        format: 1,
        stegvis_version: env!("CARGO_PKG_VERSION").into(),
        created_at: time::OffsetDateTime::now_utc(),
        file: file_name(&file),
        sha256: sha256_of(&file)?,
        database: facts,
    };
    let path = to.join(MANIFEST);
    private_file(&path)?;
    let mut out = std::fs::OpenOptions::new().write(true).open(&path)?;
    out.write_all(serde_json::to_string_pretty(&manifest)?.as_bytes())?;
    out.sync_all()?;
    std::fs::File::open(to)?.sync_all()?;
    eprintln!(
        "Säkerhetskopian är klar i / the backup is ready in {} ({}).\n\
         Nyckelfilen ingår inte: förvara den på ett annat ställe än kopian / \
         the key file is not included: keep it somewhere else than the backup.",
        to.display(),
        manifest.file
    );
    Ok(())
}

pub(crate) async fn restore(storage: &Storage, from: &Path) -> Result<()> {
    let manifest: Manifest = serde_json::from_slice(
        &std::fs::read(from.join(MANIFEST))
            .with_context(|| format!("ingen säkerhetskopia / no backup in {}", from.display()))?,
    )
    .context("manifest.json kan inte läsas / cannot be read")?;
    let data = from.join(&manifest.file);
    if sha256_of(&data)? != manifest.sha256 {
        bail!(
            "{} stämmer inte med manifestet (ändrad eller trasig) / does not match the manifest (changed or damaged)",
            data.display()
        );
    }
    let url = storage.url()?;
    let sqlite = url.starts_with("sqlite:");
    if sqlite != (manifest.database.backend == "sqlite") {
        bail!(
            "kopian är från {} men målet är en annan databas / the backup is from {} but the target is another database",
            manifest.database.backend,
            manifest.database.backend
        );
    }
    let restored: Option<PathBuf> = if sqlite {
        let target = sqlite_path(&url)?;
        if target.exists() && !stegvis_app::backup::database_is_blank(&url).await? {
            bail!(
                "{} innehåller redan data: återställ till en tom mapp / already holds data: restore into an empty folder",
                target.display()
            );
        }
        let partial = target.with_extension("db.restoring");
        let _ = std::fs::remove_file(&partial);
        private_file(&partial)?;
        std::fs::copy(&data, &partial)?;
        std::fs::File::open(&partial)?.sync_all()?;
        for stale in ["db-wal", "db-shm"] {
            let _ = std::fs::remove_file(target.with_extension(stale));
        }
        std::fs::rename(&partial, &target)?;
        Some(target)
    } else {
        if !stegvis_app::backup::database_is_blank(&url).await? {
            bail!(
                "måldatabasen innehåller redan tabeller: återställ till en tom databas / the target database already holds tables: restore into an empty database"
            );
        }
        pg_tool(
            "pg_restore",
            &url,
            &[
                "--no-owner",
                "--no-acl",
                "--exit-on-error",
                "--single-transaction",
            ],
            &data,
        )?;
        None
    };
    match verify(storage).await {
        Ok(check) => {
            eprintln!(
                "Återställd och kontrollerad / restored and checked: {} personnummer öppnade / identity numbers opened.",
                check.opened
            );
            Ok(())
        }
        Err(e) => {
            // Nothing half-restored is left to be used by mistake.
            if let Some(target) = restored {
                for f in [
                    target.clone(),
                    target.with_extension("db-wal"),
                    target.with_extension("db-shm"),
                ] {
                    let _ = std::fs::remove_file(f);
                }
                Err(e.context("återställningen togs bort / the restore was removed"))
            } else {
                Err(e.context(
                    "databasen innehåller den återställda kopian: töm den innan du försöker igen / the database holds the restored copy: empty it before trying again",
                ))
            }
        }
    }
}

/// Opens the restored database as the server would, checks it, and opens every identity
/// number with the key file.
async fn verify(storage: &Storage) -> Result<IdentityCheck> {
    let app = storage.open().await?;
    let failed: Vec<String> = app
        .check_database()
        .await?
        .into_iter()
        .filter(|c| !c.ok())
        .map(|c| c.what)
        .collect();
    if !failed.is_empty() {
        bail!(
            "den återställda databasen klarar inte kontrollen / the restored database fails its check: {}",
            failed.join("; ")
        );
    }
    let check = app.open_every_identity().await?;
    app.close().await;
    if check.unreadable > 0 {
        bail!(
            "{} av {} personnummer går inte att öppna med nyckelfilen: fel nyckelfil? / {} of {} identity numbers do not open with the key file: the wrong key file?",
            check.unreadable,
            check.opened + check.unreadable,
            check.unreadable,
            check.opened + check.unreadable
        );
    }
    Ok(check)
}

/// Creates `dir` owner-only, or accepts it when it exists empty; refuses one with content.
fn private_empty_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        if std::fs::read_dir(dir)?.next().is_some() {
            bail!(
                "{} är inte tom: välj en ny mapp för kopian / is not empty: choose a new folder for the backup",
                dir.display()
            );
        }
    } else {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    restrict(dir, 0o700)
}

/// Creates an empty owner-only file (refusing one that exists).
fn private_file(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    Ok(())
}

#[cfg(unix)]
fn restrict(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    Ok(())
}

#[cfg(not(unix))]
fn restrict(_: &Path, _: u32) -> Result<()> {
    Ok(())
}

fn sha256_of(path: &Path) -> Result<String> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut hash = Sha256::new();
    std::io::copy(&mut file, &mut hash)?;
    Ok(hash.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The file of a `sqlite://path[?options]` URL.
fn sqlite_path(url: &str) -> Result<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let path = rest.split('?').next().unwrap_or(rest);
    if path.is_empty() || path.contains(":memory:") {
        bail!(
            "en databas i minnet kan inte återställas / an in-memory database cannot be restored"
        );
    }
    Ok(PathBuf::from(path))
}

/// Runs `pg_dump`/`pg_restore` on `file` against `url`. The password goes by environment,
/// never in the arguments (other local users can read those in /proc).
fn pg_tool(tool: &str, url: &str, args: &[&str], file: &Path) -> Result<()> {
    let mut parsed = url::Url::parse(url).context("DATABASE_URL")?;
    let password = parsed.password().map(|p| {
        percent_encoding::percent_decode_str(p)
            .decode_utf8_lossy()
            .into_owned()
    });
    let _ = parsed.set_password(None);
    let mut cmd = std::process::Command::new(tool);
    cmd.arg("--no-password")
        .arg(format!("--dbname={parsed}"))
        .args(args)
        .arg(file);
    if let Some(p) = password {
        cmd.env("PGPASSWORD", p);
    }
    let out = cmd
        .output()
        .with_context(|| format!("{tool} kunde inte startas (installera postgresql-client) / could not be started (install postgresql-client)"))?;
    if !out.status.success() {
        bail!(
            "{tool} misslyckades / failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}
