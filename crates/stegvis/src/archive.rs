//! `stegvis export` and `stegvis import-archive`: everything an instance holds, into one
//! archive and out of it into an empty Stegvis (see the app's `archive` module and FORMAT.md).

use crate::Storage;
use anyhow::{Result, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::Path;

/// The app's error in both languages (an unreadable archive included).
fn explain(e: stegvis_app::AppError) -> anyhow::Error {
    match e {
        stegvis_app::AppError::Unreadable(t) => anyhow::anyhow!("{} / {}", t.sv, t.en),
        e => crate::explain(e),
    }
}

/// A spinner on a terminal naming the table and its rows so far; nothing elsewhere.
fn progress_bar() -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar
}

pub(crate) async fn export(storage: &Storage, to: &Path) -> Result<()> {
    if to.exists() {
        bail!("{} finns redan / already exists", to.display());
    }
    let app = storage.open().await?;
    let bar = progress_bar();
    let shown = |table: &str, rows: u64| bar.set_message(format!("{table}: {rows}"));
    let manifest = app.export_archive(to, &shown).await.map_err(explain)?;
    bar.finish_and_clear();
    app.close().await;
    let rows: u64 = manifest.tables.iter().map(|t| t.rows).sum();
    let count = |name: &str| {
        manifest
            .tables
            .iter()
            .find(|t| t.table == name)
            .map_or(0, |t| t.rows)
    };
    eprintln!(
        "Arkivet är skrivet / archive written: {} ({} tabeller / tables, {rows} rader / rows; {} organisationer / organisations, {} deltagare / participants).",
        to.display(),
        manifest.tables.len(),
        count("organisations"),
        count("participants"),
    );
    eprintln!(
        "Det innehåller personnummer i klartext: förvara det som databasen / it holds identity numbers in the clear: keep it like the database."
    );
    Ok(())
}

pub(crate) async fn import(storage: &Storage, file: &Path) -> Result<()> {
    let app = storage.open().await?;
    let bar = progress_bar();
    let shown = |table: &str, rows: u64| bar.set_message(format!("{table}: {rows}"));
    let done = app.import_archive(file, &shown).await;
    bar.finish_and_clear();
    app.close().await;
    let summary = done.map_err(explain)?;
    let rows: u64 = summary.manifest.tables.iter().map(|t| t.rows).sum();
    eprintln!(
        "Arkivet är inläst / archive imported: {rows} rader / rows; åtkomstloggen är signerad och kedjad med den här instansens nyckel / the audit trail is signed and chained under this instance's key."
    );
    if let Some(head) = &summary.manifest.audit_chain_head {
        eprintln!(
            "Källans kedjehuvud / the source's chain head: {} {}",
            head.position, head.link_hash
        );
    }
    Ok(())
}
