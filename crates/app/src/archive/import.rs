//! `stegvis import-archive`: an archive into an empty Stegvis, whole or not at all.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use sha2::{Digest, Sha256};
use stegvis_domain::access::Action;
use stegvis_domain::{IdentityKind, IdentityNumber, SealedIdentity};
use stegvis_store::archive::{ColType, PAGE, TABLES, Table, Value};
use uuid::Uuid;

use super::{FORMAT_NAME, FORMAT_VERSION, Manifest, broken, field_name, file_of, from_json, hex};
use crate::error::Text;
use crate::keys::SealingKeys;
use crate::{App, AppError, Result};

/// What an import wrote.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ImportSummary {
    pub manifest: Manifest,
    /// Audit events chained under this instance's key (the imported ones and the import's own).
    pub events_chained: u64,
}

type Zip = zip::ZipArchive<File>;

fn open_zip(path: &Path) -> Result<Zip> {
    let file = File::open(path).map_err(|e| {
        broken(
            &format!("filen {} kan inte öppnas ({e})", path.display()),
            &format!("cannot open {} ({e})", path.display()),
        )
    })?;
    zip::ZipArchive::new(file).map_err(|e| {
        broken(
            &format!("det är inte en hel ZIP-fil ({e}); den kan vara avkortad"),
            &format!("it is not a whole ZIP file ({e}); it may be truncated"),
        )
    })
}

/// Reads and checks `manifest.json`, then every table file against it (size and SHA-256),
/// before anything is written.
fn verified_manifest(zip: &mut Zip, schema_version: i64) -> Result<Manifest> {
    let mut text = String::new();
    zip.by_name("manifest.json")
        .map_err(|_| broken("manifest.json saknas", "manifest.json is missing"))?
        .read_to_string(&mut text)
        .map_err(|_| {
            broken(
                "manifest.json kan inte läsas",
                "manifest.json cannot be read",
            )
        })?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| {
        broken(
            &format!("manifest.json är inte giltig ({e})"),
            &format!("manifest.json is not valid ({e})"),
        )
    })?;
    if manifest.format != FORMAT_NAME || manifest.format_version != FORMAT_VERSION {
        return Err(broken(
            &format!(
                "formatet {} version {} känns inte igen",
                manifest.format, manifest.format_version
            ),
            &format!(
                "the format {} version {} is not known",
                manifest.format, manifest.format_version
            ),
        ));
    }
    if manifest.schema_version > schema_version {
        return Err(broken(
            "det skrevs av en nyare Stegvis: uppdatera först",
            "it was written by a newer Stegvis: upgrade first",
        ));
    }
    for table in TABLES {
        let Some(entry) = manifest.tables.iter().find(|e| e.table == table.name) else {
            return Err(broken(
                &format!("tabellen {} saknas i manifestet", table.name),
                &format!("the table {} is missing from the manifest", table.name),
            ));
        };
        if entry.file != file_of(table.name) {
            return Err(broken(
                &format!("{} har fel filnamn", table.name),
                &format!("{} has the wrong file name", table.name),
            ));
        }
        let mut file = zip.by_name(&entry.file).map_err(|_| {
            broken(
                &format!("{} saknas", entry.file),
                &format!("{} is missing", entry.file),
            )
        })?;
        let mut hasher = Sha256::new();
        let mut lines = 0u64;
        let mut buf = [0u8; 64 * 1024];
        loop {
            let n = file.read(&mut buf).map_err(|e| {
                broken(
                    &format!("{} kan inte läsas ({e})", entry.file),
                    &format!("{} cannot be read ({e})", entry.file),
                )
            })?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            lines += buf[..n].iter().filter(|b| **b == b'\n').count() as u64;
        }
        if hex(&hasher.finalize()) != entry.sha256 || lines != entry.rows {
            return Err(broken(
                &format!(
                    "{} stämmer inte med manifestet (kontrollsumma eller antal rader): filen är ändrad eller skadad",
                    entry.file
                ),
                &format!(
                    "{} does not match the manifest (checksum or row count): the file was changed or damaged",
                    entry.file
                ),
            ));
        }
    }
    if let Some(extra) = manifest
        .tables
        .iter()
        .find(|e| !TABLES.iter().any(|t| t.name == e.table))
    {
        return Err(broken(
            &format!("tabellen {} känns inte igen", extra.table),
            &format!("the table {} is not known", extra.table),
        ));
    }
    Ok(manifest)
}

/// A line that cannot be imported, named by file, line and field.
fn bad_line(table: &Table, line: u64, field: &str, why: &str) -> AppError {
    broken(
        &format!("{}, rad {line}, fältet {field}: {why}", file_of(table.name)),
        &format!("{}, line {line}, field {field}: {why}", file_of(table.name)),
    )
}

impl App {
    /// Imports the archive at `path` into this Stegvis, which must hold no organisation's data:
    /// in one transaction; sealed values are sealed again under this instance's key, keyed hashes
    /// and the audit events' MACs computed again; then the audit chain and the report tallies
    /// are built.
    pub async fn import_archive(
        &self,
        path: &Path,
        progress: super::ExportProgress<'_>,
    ) -> Result<ImportSummary> {
        let mut zip = open_zip(path)?;
        let manifest = verified_manifest(&mut zip, self.store.schema_version().await?)?;
        let detail = format!(
            "archive imported (exported {} from {}, Stegvis {})",
            manifest
                .exported_at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            manifest.source_backend,
            manifest.stegvis_version
        );
        let mut tx = self
            .open_archive_import(&self.archive_event(Action::Write, None, &detail))
            .await?;
        if tx.archive_target_has_data().await? {
            // Dropped: rolled back, nothing written.
            return Err(AppError::Conflict(Text::new(
                "Databasen har redan data (organisationer, användare, projekt eller deltagare). Ett arkiv läses bara in i en tom Stegvis: migrerad, utan organisationer.",
                "The database already holds data (organisations, users, projects or participants). An archive is imported only into an empty Stegvis: migrated, with no organisations.",
            )));
        }
        let keys = self.sealing_keys(&mut tx).await?;
        let today = self.today();
        let mut org_links = Vec::new();
        for table in TABLES {
            let mut file = BufReader::new(zip.by_name(&file_of(table.name)).map_err(|_| {
                broken(
                    &format!("{} saknas", table.name),
                    &format!("{} is missing", table.name),
                )
            })?);
            let mut batch = Vec::new();
            let mut line_no = 0u64;
            let mut text = String::new();
            loop {
                text.clear();
                let n = file.read_line(&mut text).map_err(|e| {
                    broken(
                        &format!("{} ({e})", table.name),
                        &format!("{} ({e})", table.name),
                    )
                })?;
                if n > 0 {
                    line_no += 1;
                    let mut row = row_of(table, line_no, &text)?;
                    self.reseal(table, line_no, &mut row, &keys, today)?;
                    if table.name == "organisations" {
                        org_links.push(unlink_organisation(table, &mut row));
                    }
                    batch.push(row);
                }
                if batch.len() as i64 >= PAGE || (n == 0 && !batch.is_empty()) {
                    tx.archive_insert(table, &batch).await?;
                    batch.clear();
                    progress(table.name, line_no);
                }
                if n == 0 {
                    break;
                }
            }
            if table.name == "organisations" {
                tx.archive_link_organisations(&org_links).await?;
                for (org, _, _) in &org_links {
                    tx.record(&self.archive_event(Action::Write, Some(*org), &detail))
                        .await?;
                }
            }
            progress(table.name, line_no);
        }
        self.commit(tx).await?;
        let events_chained = self.store.seal_all().await?;
        self.ensure_report_tallies(true).await?;
        Ok(ImportSummary {
            manifest,
            events_chained,
        })
    }

    /// Seals a row's opened values under this instance's key and computes its keyed hashes.
    fn reseal(
        &self,
        table: &Table,
        line: u64,
        row: &mut [Value],
        keys: &SealingKeys,
        today: time::Date,
    ) -> Result<()> {
        let index = |name: &str| table.columns.iter().position(|c| c.name == name);
        let id = |row: &[Value], name: &str| match index(name).map(|i| &row[i]) {
            Some(Value::Uuid(u)) => Some(*u),
            _ => None,
        };
        for (i, c) in table.columns.iter().enumerate() {
            if c.ty != ColType::Sealed {
                continue;
            }
            let Value::Text(plain) = &row[i] else {
                continue;
            };
            let field = field_name(table, c).unwrap_or(c.name);
            if c.name == "identity_enc" {
                let row_id = id(row, "id").unwrap_or_else(Uuid::nil);
                let number = IdentityNumber::parse(plain, today).map_err(|e| {
                    bad_line(
                        table,
                        line,
                        field,
                        &format!(
                            "inte ett giltigt personnummer / not a valid identity number ({e})"
                        ),
                    )
                })?;
                let kind = match index("identity_kind").map(|k| &row[k]) {
                    Some(Value::Text(k)) => IdentityKind::from_code(k).ok(),
                    _ => None,
                };
                if kind != Some(number.kind()) || number.normalised() != plain.as_str() {
                    return Err(bad_line(
                        table,
                        line,
                        field,
                        "stämmer inte med identity_kind eller är inte skrivet med 12 siffror / does not match identity_kind or is not 12 digits",
                    ));
                }
                let sealed = SealedIdentity::seal(&keys.ring, &number, row_id);
                row[i] = Value::Bytes(sealed.ciphertext);
                if let Some(h) = index("identity_hash") {
                    row[h] = Value::Bytes(sealed.hash);
                }
            } else {
                let participant = id(row, "participant_id").unwrap_or_else(Uuid::nil);
                let aad = crate::reminders::aad(c.name.trim_end_matches("_enc"), participant);
                row[i] = Value::Bytes(keys.ring.encrypt(plain.as_bytes(), &aad));
            }
        }
        Ok(())
    }
}

/// One archive line as the table's values (sealed ones still as text, keyed hashes empty).
fn row_of(table: &Table, line: u64, text: &str) -> Result<Vec<Value>> {
    let object: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(text).map_err(|e| {
            bad_line(
                table,
                line,
                "-",
                &format!("inte ett JSON-objekt / not a JSON object ({e})"),
            )
        })?;
    let mut fields: HashMap<&str, &serde_json::Value> =
        object.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let mut row = Vec::with_capacity(table.columns.len());
    for c in table.columns {
        let Some(name) = field_name(table, c) else {
            row.push(Value::Null);
            continue;
        };
        let v = fields.remove(name).unwrap_or(&serde_json::Value::Null);
        row.push(from_json(c, v).map_err(|why| bad_line(table, line, name, &why))?);
    }
    if let Some(extra) = fields.keys().next() {
        return Err(bad_line(table, line, extra, "okänt fält / unknown field"));
    }
    Ok(row)
}

/// Takes an organisation's parent and keeper out of its row, to be set when all are written.
fn unlink_organisation(table: &Table, row: &mut [Value]) -> (Uuid, Option<Uuid>, Option<Uuid>) {
    let mut take = |name: &str| {
        let i = table.columns.iter().position(|c| c.name == name)?;
        match std::mem::replace(&mut row[i], Value::Null) {
            Value::Uuid(u) => Some(u),
            _ => None,
        }
    };
    let parent = take("parent_org_id");
    let managed_by = take("managed_by");
    let id = match row.first() {
        Some(Value::Uuid(u)) => *u,
        _ => Uuid::nil(),
    };
    (id, parent, managed_by)
}
