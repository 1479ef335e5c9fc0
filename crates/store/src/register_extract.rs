//! Reads for the register extract (everything Stegvis holds about one person) and for the
//! correction of their names and identity number. Rows are read column by column into text, so
//! that a column added later is in the extract without anyone remembering to add it here; sealed
//! values and hashes are never read out (the use case opens the identity numbers itself).

use crate::{Audited, Result, exec, fetch_all};
use sqlx::{Column, Row, TypeInfo, ValueRef};
use stegvis_domain::IdentityKind;
use time::OffsetDateTime;
use uuid::Uuid;

/// One row as (column, value) pairs in the table's column order; `None` is SQL NULL.
pub type ExtractRow = Vec<(String, Option<String>)>;

/// Columns that are never part of an extract: sealed numbers and hashes (their content is given
/// opened, or is a secret of the system, not data about the person), and the derived search key.
fn hidden(column: &str) -> bool {
    column.ends_with("_enc") || column.ends_with("_hash") || column == "search_name"
}

/// An earlier identity number, sealed with the row's id as its associated data.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IdentityHistoryRow {
    pub id: Uuid,
    pub participant_id: Uuid,
    pub identity_kind: Option<IdentityKind>,
    pub identity_enc: Vec<u8>,
    pub replaced_at: OffsetDateTime,
    pub replaced_by: Option<Uuid>,
}

fn sqlite_value(row: &sqlx::sqlite::SqliteRow, i: usize) -> Result<Option<String>> {
    let raw = row.try_get_raw(i)?;
    if raw.is_null() {
        return Ok(None);
    }
    let kind = raw.type_info().name().to_owned();
    Ok(Some(match kind.as_str() {
        "INTEGER" | "BOOLEAN" | "INT8" => row.try_get_unchecked::<i64, _>(i)?.to_string(),
        "REAL" => row.try_get_unchecked::<f64, _>(i)?.to_string(),
        "BLOB" => {
            let bytes = row.try_get_unchecked::<Vec<u8>, _>(i)?;
            match Uuid::from_slice(&bytes) {
                Ok(u) => u.to_string(),
                Err(_) => format!("({} bytes)", bytes.len()),
            }
        }
        _ => row.try_get_unchecked::<String, _>(i)?,
    }))
}

fn postgres_value(row: &sqlx::postgres::PgRow, i: usize) -> Result<Option<String>> {
    let raw = row.try_get_raw(i)?;
    if raw.is_null() {
        return Ok(None);
    }
    let kind = raw.type_info().name().to_owned();
    let rfc3339 = &time::format_description::well_known::Rfc3339;
    Ok(Some(match kind.as_str() {
        "UUID" => row.try_get::<Uuid, _>(i)?.to_string(),
        "INT2" => row.try_get::<i16, _>(i)?.to_string(),
        "INT4" => row.try_get::<i32, _>(i)?.to_string(),
        "INT8" => row.try_get::<i64, _>(i)?.to_string(),
        "FLOAT4" => row.try_get::<f32, _>(i)?.to_string(),
        "FLOAT8" => row.try_get::<f64, _>(i)?.to_string(),
        // As SQLite stores them: 1 and 0.
        "BOOL" => i64::from(row.try_get::<bool, _>(i)?).to_string(),
        "DATE" => row.try_get::<time::Date, _>(i)?.to_string(),
        "TIMESTAMPTZ" => row
            .try_get::<OffsetDateTime, _>(i)?
            .format(rfc3339)
            .unwrap_or_default(),
        "BYTEA" => format!("({} bytes)", row.try_get::<Vec<u8>, _>(i)?.len()),
        _ => row.try_get_unchecked::<String, _>(i)?,
    }))
}

impl Audited {
    /// The rows `sql` selects with the participant's id as `$1`, every visible column as text.
    /// `sql` is one of the extract's fixed statements.
    pub async fn extract_rows(
        &mut self,
        sql: &'static str,
        participant_id: Uuid,
    ) -> Result<Vec<ExtractRow>> {
        let mut out = Vec::new();
        match &mut self.tx {
            crate::Tx::Sqlite(t, _) => {
                let rows = sqlx::query(sql)
                    .bind(participant_id)
                    .fetch_all(&mut **t)
                    .await?;
                for row in &rows {
                    let mut fields = Vec::new();
                    for (i, c) in row.columns().iter().enumerate() {
                        if !hidden(c.name()) {
                            fields.push((c.name().to_owned(), sqlite_value(row, i)?));
                        }
                    }
                    out.push(fields);
                }
            }
            crate::Tx::Postgres(t) => {
                let rows = sqlx::query(sql)
                    .bind(participant_id)
                    .fetch_all(&mut **t)
                    .await?;
                for row in &rows {
                    let mut fields = Vec::new();
                    for (i, c) in row.columns().iter().enumerate() {
                        if !hidden(c.name()) {
                            fields.push((c.name().to_owned(), postgres_value(row, i)?));
                        }
                    }
                    out.push(fields);
                }
            }
        }
        Ok(out)
    }

    /// The participant's earlier identity numbers, oldest first.
    pub async fn identity_history(
        &mut self,
        participant_id: Uuid,
    ) -> Result<Vec<IdentityHistoryRow>> {
        Ok(fetch_all!(
            &mut self.tx,
            IdentityHistoryRow,
            "SELECT id, participant_id, identity_kind, identity_enc, replaced_at, replaced_by
             FROM identity_history WHERE participant_id = $1 ORDER BY replaced_at, id",
            participant_id,
        )?)
    }

    /// Keeps an earlier identity number, sealed by the caller with `row.id` as associated data.
    pub async fn insert_identity_history(
        &mut self,
        org_id: Uuid,
        row: &IdentityHistoryRow,
    ) -> Result<()> {
        exec!(
            &mut self.tx,
            "INSERT INTO identity_history (org_id, id, participant_id, identity_kind, identity_enc,
                replaced_at, replaced_by) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            org_id,
            row.id,
            row.participant_id,
            row.identity_kind.map(|k| k.code()),
            &row.identity_enc,
            row.replaced_at,
            row.replaced_by,
        )?;
        Ok(())
    }

    /// Corrects a participant's names, identity number (sealed, with its hash) and birth date.
    /// The caller keeps the earlier values in the history first.
    pub async fn correct_participant(
        &mut self,
        row: &crate::participant::ParticipantRow,
    ) -> Result<()> {
        let (kind, enc, hash) = match &row.identity {
            Some(s) => (Some(s.kind.code()), Some(&s.ciphertext), Some(&s.hash)),
            None => (None, None, None),
        };
        exec!(
            &mut self.tx,
            "UPDATE participants SET identity_mode = $1, identity_kind = $2, identity_enc = $3,
                identity_hash = $4, birth_date = $5, given_name = $6, family_name = $7,
                search_name = $8, updated_at = $9
             WHERE org_id = $10 AND id = $11",
            row.identity_mode.code(),
            kind,
            enc,
            hash,
            row.birth_date,
            &row.given_name,
            &row.family_name,
            &row.search_name,
            row.updated_at,
            row.org_id,
            row.id,
        )?;
        Ok(())
    }
}
