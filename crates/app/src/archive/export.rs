//! `stegvis export`: every table, a page at a time, from one snapshot into one ZIP file.

use std::io::Write;
use std::path::Path;

use sha2::{Digest, Sha256};
use stegvis_domain::access::{Action, Decision, RecordKind};
use stegvis_domain::{IdentityKind, SealedIdentity};
use stegvis_store::Audited;
use stegvis_store::archive::{ColType, PAGE, TABLES, Table, Value};
use stegvis_store::audit::AuditEvent;
use uuid::Uuid;

use super::{
    ChainHead, FORMAT_NAME, FORMAT_VERSION, Manifest, TableEntry, field_name, file_of, hex, to_json,
};
use crate::error::Text;
use crate::{App, AppError, Result};

/// Told after every page: the table and how many of its rows are written.
pub type ExportProgress<'a> = &'a dyn Fn(&str, u64);

fn io(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(format!("writing the archive: {e}"))
}

impl App {
    /// Writes every organisation's data into a new archive at `path` (written beside it first
    /// and renamed when whole, so a broken-off export leaves no archive). One audited read, as
    /// the operator, with an event for each organisation so that its auditor sees the export.
    pub async fn export_archive(
        &self,
        path: &Path,
        progress: ExportProgress<'_>,
    ) -> Result<Manifest> {
        let partial = path.with_extension("partial");
        let written = self.write_archive(&partial, progress).await;
        match written {
            Ok(manifest) => {
                std::fs::rename(&partial, path).map_err(io)?;
                Ok(manifest)
            }
            Err(e) => {
                let _ = std::fs::remove_file(&partial);
                Err(e)
            }
        }
    }

    async fn write_archive(&self, path: &Path, progress: ExportProgress<'_>) -> Result<Manifest> {
        // Owner-only: the archive holds identity numbers in the clear.
        let mut open = std::fs::OpenOptions::new();
        open.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
        let file = open.open(path).map_err(|e| {
            AppError::Conflict(Text::new(
                format!("Filen {} kan inte skapas: {e}", path.display()),
                format!("Cannot create {}: {e}", path.display()),
            ))
        })?;
        let mut zip = zip::ZipWriter::new(file);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        let schema_version = self.store.schema_version().await?;
        let mut tx = self
            .store
            .begin_audited_snapshot(&self.archive_event(Action::Read, None, "archive exported"))
            .await?;
        let head = tx.archive_chain_head().await?;
        let mut tables = Vec::new();
        for table in TABLES {
            zip.start_file(file_of(table.name), options).map_err(io)?;
            let mut hasher = Sha256::new();
            let mut rows = 0u64;
            let mut after: Option<Vec<Value>> = None;
            loop {
                let page = tx.archive_page(table, after.as_deref()).await?;
                for row in &page {
                    if table.name == "organisations"
                        && let Value::Uuid(org) = row[0]
                    {
                        tx.record(&self.archive_event(Action::Read, Some(org), "archive exported"))
                            .await?;
                    }
                    let mut line =
                        serde_json::to_string(&self.archive_line(table, row)?).map_err(io)?;
                    line.push('\n');
                    hasher.update(line.as_bytes());
                    zip.write_all(line.as_bytes()).map_err(io)?;
                    rows += 1;
                }
                progress(table.name, rows);
                if (page.len() as i64) < PAGE {
                    break;
                }
                after = page.last().map(|r| Audited::archive_key(table, r));
            }
            tables.push(TableEntry {
                table: table.name.into(),
                file: file_of(table.name),
                rows,
                sha256: hex(&hasher.finalize()),
            });
        }
        let manifest = Manifest {
            format: FORMAT_NAME.into(),
            format_version: FORMAT_VERSION,
            stegvis_version: env!("CARGO_PKG_VERSION").into(),
            schema_version,
            source_backend: format!("{:?}", self.store.backend()).to_lowercase(),
            exported_at: self.now(),
            audit_chain_head: head.map(|(position, hash)| ChainHead {
                position,
                link_hash: hex(&hash),
            }),
            tables,
        };
        // The export is recorded before the archive is declared whole.
        tx.commit().await?;
        let pretty = |v: &serde_json::Value| serde_json::to_vec_pretty(v).map_err(io);
        zip.start_file("manifest.json", options).map_err(io)?;
        zip.write_all(&pretty(&serde_json::to_value(&manifest).map_err(io)?)?)
            .map_err(io)?;
        zip.start_file("schema.json", options).map_err(io)?;
        zip.write_all(&pretty(&super::json_schema())?).map_err(io)?;
        zip.start_file("FORMAT.md", options).map_err(io)?;
        zip.write_all(super::format_description().as_bytes())
            .map_err(io)?;
        let file = zip.finish().map_err(io)?;
        file.sync_all().map_err(io)?;
        Ok(manifest)
    }

    /// One row as its archive line: sealed values opened, keyed hashes left out.
    fn archive_line(
        &self,
        table: &Table,
        row: &[Value],
    ) -> Result<serde_json::Map<String, serde_json::Value>> {
        let mut line = serde_json::Map::new();
        for (c, v) in table.columns.iter().zip(row) {
            let Some(name) = field_name(table, c) else {
                continue;
            };
            let json = match (c.ty, v) {
                (ColType::Sealed, Value::Bytes(blob)) => {
                    serde_json::Value::String(self.open_archived(table, c.name, row, blob)?)
                }
                _ => to_json(v),
            };
            line.insert(name.into(), json);
        }
        Ok(line)
    }

    /// Opens a sealed value of `row` with the key file.
    fn open_archived(
        &self,
        table: &Table,
        column: &str,
        row: &[Value],
        blob: &[u8],
    ) -> Result<String> {
        let get = |name: &str| {
            table
                .columns
                .iter()
                .position(|c| c.name == name)
                .map(|i| &row[i])
        };
        let id_of = |name: &str| match get(name) {
            Some(Value::Uuid(u)) => Ok(*u),
            _ => Err(AppError::Internal(format!(
                "{}.{name} is not an id",
                table.name
            ))),
        };
        let unreadable = || {
            AppError::Unreadable(Text::new(
                format!(
                    "Ett krypterat värde i {}.{column} kan inte öppnas med nyckelfilen; inget arkiv skrevs.",
                    table.name
                ),
                format!(
                    "An encrypted value in {}.{column} cannot be opened with the key file; no archive was written.",
                    table.name
                ),
            ))
        };
        if column == "identity_enc" {
            let id = id_of("id")?;
            let kind = match get("identity_kind") {
                Some(Value::Text(k)) => IdentityKind::from_code(k).map_err(|_| unreadable())?,
                _ => return Err(unreadable()),
            };
            let sealed = SealedIdentity {
                kind,
                ciphertext: blob.to_vec(),
                hash: Vec::new(),
            };
            let today = self.today();
            return self
                .with_fresh_ring(blob, |ring| sealed.open(ring, id, today).ok())
                .map(|n| n.normalised().to_owned())
                .ok_or_else(unreadable);
        }
        let field = column.trim_end_matches("_enc");
        let aad = crate::reminders::aad(field, id_of("participant_id")?);
        self.with_fresh_ring(blob, |ring| ring.decrypt(blob, &aad).ok())
            .and_then(|plain| String::from_utf8(plain).ok())
            .ok_or_else(unreadable)
    }

    /// The event of an export or import of an archive: the operator at the machine, about the
    /// personal data of `org_id` (all organisations when `None`).
    pub(super) fn archive_event(
        &self,
        action: Action,
        org_id: Option<Uuid>,
        detail: &str,
    ) -> AuditEvent {
        AuditEvent {
            id: Uuid::now_v7(),
            at: self.now(),
            actor_user_id: None,
            actor_role: "operator".into(),
            actor_org_id: org_id,
            participant_id: None,
            record_kind: RecordKind::Participant.code().into(),
            action,
            decision: Decision::Allowed,
            ground: "operator:command_line".into(),
            detail: Some(detail.into()),
        }
    }
}
