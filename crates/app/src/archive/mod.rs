//! An organisation's way out of Stegvis, and into another: `stegvis export` writes every table
//! that holds organisations' data into one ZIP archive of JSON Lines with a manifest, a JSON
//! Schema and a description (FORMAT.md); `stegvis import-archive` reads it into an empty
//! Stegvis in one transaction. Sealed values travel opened (the archive must be readable
//! without the key file) and are sealed again under the receiving instance's key.

mod export;
mod import;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json, json};
use stegvis_store::archive::{ColType, Column, LEFT_OUT, LEFT_OUT_COLUMNS, TABLES, Table, Value};
use time::format_description::well_known::Rfc3339;

use crate::AppError;
use crate::error::Text;

pub use export::ExportProgress;

/// The archive format's name in its manifest.
pub const FORMAT_NAME: &str = "stegvis-archive";
/// Bumped when a reader of version N could misread a newer archive.
pub const FORMAT_VERSION: u32 = 1;

/// `manifest.json`: what the archive holds and how to check it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    pub stegvis_version: String,
    /// The newest database migration of the instance that wrote it.
    pub schema_version: i64,
    /// `sqlite` or `postgres`: for the record only; the archive is the same for both.
    pub source_backend: String,
    #[serde(with = "time::serde::rfc3339")]
    pub exported_at: time::OffsetDateTime,
    /// The head of the source's audit chain when the export began.
    pub audit_chain_head: Option<ChainHead>,
    pub tables: Vec<TableEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChainHead {
    pub position: i64,
    /// Hex.
    pub link_hash: String,
}

/// One table's file in the archive.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TableEntry {
    pub table: String,
    pub file: String,
    pub rows: u64,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
}

/// The file a table's rows are written to.
fn file_of(table: &str) -> String {
    format!("tables/{table}.jsonl")
}

/// The field a column is written as: a sealed column under its plain name; `None` for a keyed
/// hash, which is left out.
fn field_name(table: &Table, column: &Column) -> Option<&'static str> {
    match (table.name, column.name, column.ty) {
        (_, _, ColType::Keyed) => None,
        (_, "identity_enc", _) => Some("identity_number"),
        ("reminder_agreements", "email_enc", _) => Some("email"),
        ("reminder_agreements", "phone_enc", _) => Some("phone"),
        _ => Some(column.name),
    }
}

/// A stored value as JSON (sealed values are opened before this).
fn to_json(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Uuid(u) => Json::String(u.to_string()),
        Value::Text(s) => Json::String(s.clone()),
        Value::Int(n) => json!(n),
        Value::Bool(b) => Json::Bool(*b),
        Value::Date(d) => Json::String(d.to_string()),
        Value::Time(t) => Json::String(t.format(&Rfc3339).unwrap_or_default()),
        Value::Bytes(b) => Json::String(hex(b)),
    }
}

const DATE: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// A JSON field as a value of `column` (sealed columns come back as their plain text).
fn from_json(column: &Column, v: &Json) -> std::result::Result<Value, String> {
    if v.is_null() {
        return if column.nullable {
            Ok(Value::Null)
        } else {
            Err("saknas / missing".into())
        };
    }
    let text = || {
        v.as_str()
            .ok_or_else(|| "ska vara text / must be a string".to_owned())
    };
    Ok(match column.ty {
        ColType::Uuid => Value::Uuid(
            uuid::Uuid::parse_str(text()?).map_err(|_| "inte ett id / not a UUID".to_owned())?,
        ),
        ColType::Text | ColType::Sealed => Value::Text(text()?.to_owned()),
        ColType::Int2 | ColType::Int4 | ColType::Int8 => Value::Int(
            v.as_i64()
                .ok_or_else(|| "ska vara ett heltal / must be an integer".to_owned())?,
        ),
        ColType::Bool => Value::Bool(
            v.as_bool()
                .ok_or_else(|| "ska vara true/false / must be a boolean".to_owned())?,
        ),
        ColType::Date => Value::Date(
            time::Date::parse(text()?, DATE)
                .map_err(|_| "inte ett datum ÅÅÅÅ-MM-DD / not a date".to_owned())?,
        ),
        ColType::Time => Value::Time(
            time::OffsetDateTime::parse(text()?, &Rfc3339)
                .map_err(|_| "inte en tidpunkt (RFC 3339) / not a date-time".to_owned())?,
        ),
        ColType::Bytes => {
            Value::Bytes(unhex(text()?).ok_or_else(|| "inte hex / not hex".to_owned())?)
        }
        ColType::Keyed => return Err("ska inte finnas / must not be present".into()),
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// `schema.json`: a JSON Schema (2020-12) for each table's lines.
pub fn json_schema() -> Json {
    let mut defs = Map::new();
    for table in TABLES {
        let mut properties = Map::new();
        let mut required = Vec::new();
        for c in table.columns {
            let Some(name) = field_name(table, c) else {
                continue;
            };
            let (ty, format) = match c.ty {
                ColType::Uuid => ("string", Some("uuid")),
                ColType::Text | ColType::Sealed | ColType::Bytes => ("string", None),
                ColType::Int2 | ColType::Int4 | ColType::Int8 => ("integer", None),
                ColType::Bool => ("boolean", None),
                ColType::Date => ("string", Some("date")),
                ColType::Time => ("string", Some("date-time")),
                ColType::Keyed => continue,
            };
            let mut p = Map::new();
            p.insert(
                "type".into(),
                if c.nullable {
                    json!([ty, "null"])
                } else {
                    json!(ty)
                },
            );
            if let Some(f) = format {
                p.insert("format".into(), json!(f));
            }
            if c.ty == ColType::Sealed {
                p.insert(
                    "description".into(),
                    json!("Opened from its encrypted column: personal data in the clear."),
                );
            }
            properties.insert(name.into(), Json::Object(p));
            required.push(json!(name));
        }
        defs.insert(
            table.name.into(),
            json!({
                "type": "object",
                "description": format!("One line of {}; primary key: {}.", file_of(table.name), table.key.join(", ")),
                "properties": properties,
                "required": required,
                "additionalProperties": false,
            }),
        );
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://stegvis.se/archive/1/schema.json",
        "title": "Stegvis archive, format version 1: one definition per table, for each line of tables/<table>.jsonl",
        "$defs": defs,
    })
}

/// `FORMAT.md`: the written description, with the tables and what is left out listed from the
/// same definitions the export uses.
pub fn format_description() -> String {
    let mut s = include_str!("FORMAT.md").to_owned();
    s.push_str("\n## Tables, in the order an import writes them\n\n");
    for t in TABLES {
        let fields: Vec<&str> = t.columns.iter().filter_map(|c| field_name(t, c)).collect();
        s.push_str(&format!(
            "- `{}` (key: {}{}): {}\n",
            t.name,
            t.key.join(", "),
            t.only
                .map(|o| format!("; only rows where `{o}`"))
                .unwrap_or_default(),
            fields.join(", ")
        ));
    }
    s.push_str("\n## Left out: tables of the instance, not of the data\n\n");
    for (t, why) in LEFT_OUT {
        s.push_str(&format!("- `{t}`: {why}\n"));
    }
    s.push_str("\n## Left out: columns\n\n");
    for (t, c, why) in LEFT_OUT_COLUMNS {
        s.push_str(&format!("- `{t}.{c}`: {why}\n"));
    }
    s
}

/// An archive that cannot be read or trusted: nothing is written.
fn broken(sv: &str, en: &str) -> AppError {
    AppError::Unreadable(Text::new(
        format!("Arkivet kan inte läsas in: {sv}"),
        format!("The archive cannot be imported: {en}"),
    ))
}
