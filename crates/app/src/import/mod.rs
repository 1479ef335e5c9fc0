//! Moving in: participants with their enrolment and baseline, attendance and placements from the
//! spreadsheets projects keep (XLSX, or CSV as Swedish offices write it).
//!
//! The flow is the same in the browser and on the command line: [`read_file`] gives the file's
//! sheets as text cells (a formula is read as its text, never evaluated); a [`Mapping`] says which
//! column holds which [`Field`] ([`guess_mapping`] from Swedish and English headers, corrected by
//! the user and remembered per organisation); [`App::import_dry_run`] lists every problem as row,
//! column, value and what is wrong; [`App::import_sheet`] writes the file whole or not at all (or,
//! by choice, only its good rows), in one transaction, with an audit event per participant.
//! Importing the same file again creates nothing: participants are matched by the keyed hash of
//! their identity number, rows by their natural keys.

pub mod columns;
mod plan;
pub mod read;
pub mod values;
mod write;

pub use columns::{Field, Mapping, fields, guess_kind, guess_mapping};
pub use read::{ReadError, Sheet, SheetRow, read_file};
pub use write::rejected_rows_csv;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a file (or sheet) holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    /// Participants with their enrolment in a project and the baseline asked at entry.
    Participants,
    /// Attendance per day, or monthly hours per activity.
    Attendance,
    /// Placements (work practice, work training …) at employers.
    Placements,
}

impl ImportKind {
    pub const ALL: [ImportKind; 3] = [
        ImportKind::Participants,
        ImportKind::Attendance,
        ImportKind::Placements,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ImportKind::Participants => "participants",
            ImportKind::Attendance => "attendance",
            ImportKind::Placements => "placements",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self, lang: &str) -> &'static str {
        match (self, lang) {
            (ImportKind::Participants, "en") => "Participants with enrolment and baseline",
            (ImportKind::Participants, _) => "Deltagare med inskrivning och utgångsläge",
            (ImportKind::Attendance, "en") => "Attendance (per day or hours per month)",
            (ImportKind::Attendance, _) => "Närvaro (per dag eller timmar per månad)",
            (ImportKind::Placements, "en") => "Placements at employers",
            (ImportKind::Placements, _) => "Praktik och arbetsträning hos arbetsgivare",
        }
    }
}

/// One thing wrong with one cell (or a whole row: `column` empty), in the user's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The row as the spreadsheet program numbers it (the header is row 1).
    pub row: usize,
    /// The column's header as written in the file ("" for the row as a whole).
    pub column: String,
    /// The cell's value as read (an identity number shown in full only to the importer).
    pub value: String,
    pub message: String,
}

/// How an import treats rows with problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportMode {
    /// Any problem stops the import; nothing is written.
    #[default]
    WholeOrNothing,
    /// The good rows are imported; the rejected ones are given back as a file to fix.
    GoodRows,
}

/// Choices that apply to the whole file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ImportOptions {
    /// The project for rows whose file has no project column (or an empty cell).
    pub project_id: Option<Uuid>,
    pub mode: ImportMode,
}

/// What an import did, or (a dry run) would do.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportSummary {
    /// Data rows read (empty lines not counted).
    pub rows: usize,
    /// Rows with no problem.
    pub good_rows: usize,
    /// The problems, in row order (the first 10,000).
    pub problems: Vec<Problem>,
    /// How many problems there were in all.
    pub problems_total: usize,
    pub new_participants: usize,
    /// Rows that match what the database already holds: written before, nothing to do.
    pub unchanged_rows: usize,
    pub new_enrolments: usize,
    pub new_attendance: usize,
    pub new_placements: usize,
    /// Activities, employers and workplaces the import creates (catalogues, no personal data).
    pub new_activities: Vec<String>,
    pub new_employers: Vec<String>,
    /// Whether anything was written (false for a dry run, or a refused whole-file import).
    pub written: bool,
    /// The file rows rejected (mode `GoodRows`): give them back with [`rejected_csv`].
    #[serde(skip)]
    pub rejected: Vec<usize>,
}

impl ImportSummary {
    /// Rows that would be (or were) written.
    pub fn changed_rows(&self) -> usize {
        self.good_rows.saturating_sub(self.unchanged_rows)
    }
}

/// The rejected rows of `sheet` as a CSV file to fix and import again: the header, then each
/// rejected row with what was wrong in a last column. Semicolons and a UTF-8 BOM, as Excel in
/// Swedish opens it.
pub fn rejected_csv(sheet: &Sheet, summary: &ImportSummary, lang: &str) -> Vec<u8> {
    write::rejected_csv(sheet, summary, lang)
}

/// Where a file's data rows come from: a sheet in memory, or a large CSV read as it goes.
pub type RowSource<'a> = Box<dyn Iterator<Item = Result<SheetRow, ReadError>> + Send + 'a>;

impl crate::App {
    /// The mapping for a file of `kind` with `headers`: the organisation's remembered one where
    /// its headers are in this file, the guess from the headers for the rest.
    pub async fn import_mapping(
        &self,
        actor: &crate::Actor,
        kind: ImportKind,
        headers: &[String],
    ) -> crate::Result<Mapping> {
        self.check_may_import(actor).await?;
        let remembered = self.store.import_mapping(actor.org_id, kind.code()).await?;
        Ok(columns::apply_remembered(
            kind,
            headers,
            remembered.as_deref(),
        ))
    }

    /// Remembers `mapping` (by the headers it names) for the organisation's next file of its kind.
    pub async fn remember_import_mapping(
        &self,
        actor: &crate::Actor,
        mapping: &Mapping,
        headers: &[String],
    ) -> crate::Result<()> {
        self.check_may_import(actor).await?;
        let json = columns::remembered_json(mapping, headers);
        self.store
            .remember_import_mapping(
                actor.org_id,
                mapping.kind.code(),
                &json,
                self.now(),
                actor.user_id,
            )
            .await?;
        Ok(())
    }

    /// Checks every row of `sheet` as the import would, and writes nothing.
    pub async fn import_dry_run(
        &self,
        actor: &crate::Actor,
        sheet: &Sheet,
        mapping: &Mapping,
        options: &ImportOptions,
        lang: &str,
    ) -> crate::Result<ImportSummary> {
        self.import_in_memory(actor, sheet, mapping, options, lang, true)
            .await
    }

    /// Imports `sheet`: whole or not at all, or its good rows only (`options.mode`).
    pub async fn import_sheet(
        &self,
        actor: &crate::Actor,
        sheet: &Sheet,
        mapping: &Mapping,
        options: &ImportOptions,
        lang: &str,
    ) -> crate::Result<ImportSummary> {
        self.import_in_memory(actor, sheet, mapping, options, lang, false)
            .await
    }

    async fn import_in_memory(
        &self,
        actor: &crate::Actor,
        sheet: &Sheet,
        mapping: &Mapping,
        options: &ImportOptions,
        lang: &str,
        dry_run: bool,
    ) -> crate::Result<ImportSummary> {
        let rows: RowSource<'_> = Box::new(sheet.rows.iter().cloned().map(Ok));
        self.import_rows(
            actor,
            &sheet.headers,
            rows,
            mapping,
            options,
            lang,
            dry_run,
            &|_| {},
        )
        .await
    }

    /// The import of any row source (the command line streams large CSV files through this):
    /// `dry_run` checks only. `progress` is told the data rows read so far.
    #[allow(clippy::too_many_arguments)]
    pub async fn import_rows(
        &self,
        actor: &crate::Actor,
        headers: &[String],
        rows: RowSource<'_>,
        mapping: &Mapping,
        options: &ImportOptions,
        lang: &str,
        dry_run: bool,
        progress: &(dyn Fn(usize) + Sync),
    ) -> crate::Result<ImportSummary> {
        self.check_may_import(actor).await?;
        write::run(
            self, actor, headers, rows, mapping, options, lang, dry_run, progress,
        )
        .await
    }
}

impl crate::App {
    /// Whoever may register participants may import them (the gate decides, and logs a refusal).
    pub(crate) async fn check_may_import(&self, actor: &crate::Actor) -> crate::Result<()> {
        self.check_may_create(actor, stegvis_domain::access::RecordKind::Participant)
            .await
    }
}

impl crate::App {
    /// The actor for an import run at the machine in a user's name (`stegvis import --as`): an
    /// active staff account, which the gate then judges like any other request of theirs.
    pub async fn actor_by_email(&self, email: &str) -> crate::Result<crate::Actor> {
        let user = self
            .store
            .lookup_user_by_email(email.trim())
            .await?
            .filter(|u| u.disabled_at.is_none() && u.participant_id.is_none())
            .ok_or(crate::AppError::NotFound)?;
        Ok(crate::Actor {
            user_id: user.id,
            org_id: user.org_id,
            role: user.role,
            name: user.name,
            participant_id: None,
        })
    }
}
