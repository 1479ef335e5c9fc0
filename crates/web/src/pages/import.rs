//! Import from a spreadsheet in the browser: upload → which column holds what → a dry run that
//! names every problem at its row and column → import, the whole file or only its good rows, and
//! the rejected rows back as a file to fix. The file stays in memory ([`crate::uploads`]).

use super::{Chrome, Id, PageResult, Viewer, render};
use crate::Lang;
use crate::forms::{ErrorView, OptionView, Posted, error_for, error_views, options};
use crate::session::{MAX_UPLOAD_BYTES, UploadTooLarge};
use crate::uploads::{Outcome, Upload, Uploads};
use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{MethodRouter, get};
use axum::{Extension, body::Bytes};
use std::collections::BTreeMap;
use std::sync::Arc;
use stegvis_app::import::{
    self, ImportKind, ImportMode, ImportOptions, ImportSummary, Mapping, Sheet,
};
use stegvis_app::{Actor, App, AppError, FieldError, Text};
use uuid::Uuid;

/// Sample values shown under each column on the mapping page.
const SAMPLES: usize = 3;

/// `/import`: the upload form and the upload, which may be large.
pub fn routes_upload() -> MethodRouter<App> {
    get(form)
        .post(upload)
        .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES))
}

type SharedUploads = Extension<Arc<Uploads>>;

/// The upload of `id`, if it is the viewer's (another user's is not found) and the viewer may
/// still import (the gate is asked at every step).
async fn own_upload(
    app: &App,
    uploads: &Uploads,
    id: Uuid,
    actor: &Actor,
) -> Result<Upload, AppError> {
    check_may_import(app, actor).await?;
    uploads.get(id, actor.user_id).ok_or(AppError::NotFound)
}

fn to(path: String) -> PageResult {
    Ok(Redirect::to(&path).into_response())
}

/// The spreadsheet's name of column `index` (A, B, … Z, AA …).
fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        letters.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Upload
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "import_upload.html")]
struct UploadPage {
    c: Chrome,
    errors: Vec<ErrorView>,
    file_error: Option<String>,
    kind_error: Option<String>,
    project_error: Option<String>,
    kinds: Vec<OptionView>,
    projects: Vec<OptionView>,
    max_mb: usize,
}

async fn upload_page(
    app: &App,
    v: &Viewer,
    kind: &str,
    project: &str,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let l = v.lang;
    let kinds = options(
        std::iter::once(("", l.t("Låt Stegvis gissa", "Let Stegvis guess").to_owned())).chain(
            ImportKind::ALL
                .iter()
                .map(|k| (k.code(), k.label(l.code()).to_owned())),
        ),
        kind,
    );
    let projects = project_options(app, &v.actor, project, l).await?;
    let page = UploadPage {
        c: v.chrome("import"),
        errors: error_views(errors, l),
        file_error: error_for(errors, "file", l),
        kind_error: error_for(errors, "kind", l),
        project_error: error_for(errors, "project_id", l),
        kinds,
        projects,
        max_mb: MAX_UPLOAD_BYTES / (1024 * 1024),
    };
    Ok((status, render(&page)).into_response())
}

/// The projects the viewer may enrol in, after "none: the file names them".
async fn project_options(
    app: &App,
    actor: &Actor,
    current: &str,
    l: Lang,
) -> Result<Vec<OptionView>, AppError> {
    let projects = app.enrollable_projects(actor).await?;
    let items: Vec<(String, String)> = std::iter::once((
        String::new(),
        l.t(
            "Inget – filen har en kolumn med projekt",
            "None – the file has a project column",
        )
        .to_owned(),
    ))
    .chain(projects.into_iter().map(|p| (p.id.to_string(), p.name)))
    .collect();
    Ok(options(
        items.iter().map(|(v, l)| (v.as_str(), l.clone())),
        current,
    ))
}

/// Whether the viewer may import at all: the app's gate decides (and logs a refusal).
async fn check_may_import(app: &App, actor: &Actor) -> Result<(), AppError> {
    app.import_mapping(actor, ImportKind::Participants, &[])
        .await
        .map(|_| ())
}

pub async fn form(State(app): State<App>, v: Viewer) -> PageResult {
    check_may_import(&app, &v.actor).await?;
    upload_page(&app, &v, "", "", &[], StatusCode::OK).await
}

fn field_error(field: &str, sv: impl Into<String>, en: impl Into<String>) -> Vec<FieldError> {
    vec![FieldError::new(field, Text::new(sv, en))]
}

fn too_large() -> Vec<FieldError> {
    let mb = MAX_UPLOAD_BYTES / (1024 * 1024);
    field_error(
        "file",
        format!(
            "Filen är för stor. Den får vara högst {mb} MB. Dela upp den i flera filer, eller be den som sköter servern att importera den med kommandot stegvis import."
        ),
        format!(
            "The file is too large. It may be at most {mb} MB. Split it into several files, or ask whoever runs the server to import it with the command stegvis import."
        ),
    )
}

/// What the upload form posted.
#[derive(Default)]
struct UploadForm {
    file_name: String,
    bytes: Bytes,
    kind: String,
    project_id: String,
}

/// Why an upload could not be read: the status and the error at the file field.
type Unread = (StatusCode, Vec<FieldError>);

fn not_whole() -> Unread {
    (
        StatusCode::BAD_REQUEST,
        field_error(
            "file",
            "Filen kom inte fram hela. Försök igen.",
            "The file did not arrive whole. Try again.",
        ),
    )
}

async fn read_form(mut multipart: Multipart) -> Result<UploadForm, Unread> {
    let mut form = UploadForm::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err((StatusCode::PAYLOAD_TOO_LARGE, too_large()));
            }
            Err(_) => return Err(not_whole()),
        };
        let name = field.name().unwrap_or("").to_owned();
        if name == "file" {
            form.file_name = field.file_name().unwrap_or("").to_owned();
        }
        let data = match field.bytes().await {
            Ok(d) => d,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err((StatusCode::PAYLOAD_TOO_LARGE, too_large()));
            }
            Err(_) => return Err(not_whole()),
        };
        let text = || String::from_utf8_lossy(&data).trim().to_owned();
        match name.as_str() {
            "file" => form.bytes = data.clone(),
            "kind" => form.kind = text(),
            "project_id" => form.project_id = text(),
            _ => {}
        }
    }
    Ok(form)
}

/// `POST /import`: reads the file and keeps it in memory for the next steps.
pub async fn upload(
    State(app): State<App>,
    Extension(uploads): SharedUploads,
    too_big: Option<Extension<UploadTooLarge>>,
    v: Viewer,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> PageResult {
    check_may_import(&app, &v.actor).await?;
    if too_big.is_some() {
        return upload_page(
            &app,
            &v,
            "",
            "",
            &too_large(),
            StatusCode::PAYLOAD_TOO_LARGE,
        )
        .await;
    }
    let Ok(multipart) = multipart else {
        let errors = field_error(
            "file",
            "Välj en fil att ladda upp.",
            "Choose a file to upload.",
        );
        return upload_page(&app, &v, "", "", &errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let form = match read_form(multipart).await {
        Ok(f) => f,
        Err((status, errors)) => return upload_page(&app, &v, "", "", &errors, status).await,
    };
    let again = async |errors: Vec<FieldError>| {
        upload_page(
            &app,
            &v,
            &form.kind,
            &form.project_id,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await
    };
    let chosen_kind = match form.kind.as_str() {
        "" => None,
        code => match ImportKind::from_code(code) {
            Some(k) => Some(k),
            None => {
                return again(field_error(
                    "kind",
                    "Välj vad filen innehåller.",
                    "Choose what the file holds.",
                ))
                .await;
            }
        },
    };
    let project_id = match form.project_id.as_str() {
        "" => None,
        text => {
            let allowed = app.enrollable_projects(&v.actor).await?;
            match Uuid::parse_str(text)
                .ok()
                .filter(|id| allowed.iter().any(|p| p.id == *id))
            {
                Some(id) => Some(id),
                None => {
                    return again(field_error(
                        "project_id",
                        "Välj ett av projekten i listan.",
                        "Choose one of the projects in the list.",
                    ))
                    .await;
                }
            }
        }
    };
    if form.file_name.is_empty() && form.bytes.is_empty() {
        return again(field_error(
            "file",
            "Välj en fil att ladda upp.",
            "Choose a file to upload.",
        ))
        .await;
    }
    let (name, bytes) = (form.file_name.clone(), form.bytes.clone());
    // Reading a large workbook takes a while: not on the threads that serve requests.
    let read = tokio::task::spawn_blocking(move || import::read_file(&name, &bytes))
        .await
        .map_err(|e| AppError::Internal(format!("reading the upload: {e}")))?;
    let sheets = match read {
        Ok(sheets) if !sheets.is_empty() => sheets,
        Ok(_) => {
            let e = import::ReadError::NoHeader;
            return again(field_error("file", e.message("sv"), e.message("en"))).await;
        }
        Err(e) => {
            return again(field_error("file", e.message("sv"), e.message("en"))).await;
        }
    };
    let file_name = if form.file_name.is_empty() {
        "fil".to_owned()
    } else {
        form.file_name.clone()
    };
    let id = uploads.insert(Upload::new(
        v.actor.user_id,
        file_name,
        sheets,
        chosen_kind,
        project_id,
    ));
    to(format!("/import/{id}"))
}

// ---------------------------------------------------------------------------------------------
// Mapping
// ---------------------------------------------------------------------------------------------

/// One column of the file and the field chosen for it.
struct ColumnView {
    letter: String,
    name: String,
    id: String,
    header: String,
    samples: Vec<String>,
    options: Vec<OptionView>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "import_mapping.html")]
struct MappingPage {
    c: Chrome,
    id: Uuid,
    errors: Vec<ErrorView>,
    file_name: String,
    sheet: usize,
    sheet_name: String,
    sheets: Vec<OptionView>,
    kind: &'static str,
    kind_label: &'static str,
    kinds: Vec<OptionView>,
    projects: Vec<OptionView>,
    project_error: Option<String>,
    rows: usize,
    columns: Vec<ColumnView>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct MappingQuery {
    sheet: String,
    kind: String,
    /// The sheet shown when the chooser was sent: a new sheet has its kind guessed anew.
    from: String,
}

/// The sheet and kind asked for, else the upload's, else guessed from the sheet's headers.
fn sheet_and_kind(
    upload: &Upload,
    sheet: &str,
    kind: &str,
) -> Result<(usize, ImportKind), AppError> {
    let sheet = match sheet {
        "" => upload.sheet,
        s => s
            .parse()
            .ok()
            .filter(|i| *i < upload.sheets.len())
            .ok_or(AppError::NotFound)?,
    };
    let kind = match kind {
        "" => match (&upload.mapping, upload.chosen_kind) {
            (Some(m), _) if sheet == upload.sheet => m.kind,
            (_, Some(k)) => k,
            _ => import::guess_kind(&upload.sheets[sheet].headers),
        },
        code => ImportKind::from_code(code).ok_or(AppError::NotFound)?,
    };
    Ok((sheet, kind))
}

#[allow(clippy::too_many_arguments)]
async fn mapping_page(
    app: &App,
    v: &Viewer,
    id: Uuid,
    upload: &Upload,
    sheet_index: usize,
    mapping: &Mapping,
    project: &str,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let l = v.lang;
    let sheet = &upload.sheets[sheet_index];
    let kind = mapping.kind;
    let columns = sheet
        .headers
        .iter()
        .enumerate()
        .map(|(i, header)| {
            let name = format!("column.{i}");
            let current = mapping.field_of(i).map_or("", |f| f.key);
            let choices = std::iter::once(("", l.t("Används inte", "Not used").to_owned())).chain(
                import::fields(kind)
                    .iter()
                    .map(|f| (f.key, f.label(l.code()).to_owned())),
            );
            ColumnView {
                letter: column_letter(i),
                id: format!("column-{i}"),
                header: header.clone(),
                samples: sheet
                    .rows
                    .iter()
                    .take(SAMPLES)
                    .map(|r| r.cell(i).to_owned())
                    .collect(),
                options: options(choices, current),
                error: error_for(errors, &name, l),
                name,
            }
        })
        .collect();
    let sheets = options(
        upload
            .sheets
            .iter()
            .enumerate()
            .map(|(i, s)| (i.to_string(), s.name.clone()))
            .collect::<Vec<_>>()
            .iter()
            .map(|(i, n)| (i.as_str(), n.clone())),
        &sheet_index.to_string(),
    );
    let kinds = options(
        ImportKind::ALL
            .iter()
            .map(|k| (k.code(), k.label(l.code()).to_owned())),
        kind.code(),
    );
    let page = MappingPage {
        c: v.chrome("import"),
        id,
        errors: error_views(errors, l),
        file_name: upload.file_name.clone(),
        sheet: sheet_index,
        sheet_name: sheet.name.clone(),
        sheets,
        kind: kind.code(),
        kind_label: kind.label(l.code()),
        kinds,
        projects: project_options(app, &v.actor, project, l).await?,
        project_error: error_for(errors, "project_id", l),
        rows: sheet.rows.len(),
        columns,
    };
    Ok((status, render(&page)).into_response())
}

/// `GET /import/{id}`: which column holds what, remembered for the organisation or guessed.
pub async fn mapping(
    State(app): State<App>,
    Extension(uploads): SharedUploads,
    v: Viewer,
    Id(id): Id,
    Query(q): Query<MappingQuery>,
) -> PageResult {
    let upload = own_upload(&app, &uploads, id, &v.actor).await?;
    let kind = if !q.from.is_empty() && q.from != q.sheet {
        ""
    } else {
        q.kind.as_str()
    };
    let (sheet, kind) = sheet_and_kind(&upload, &q.sheet, kind)?;
    let mapping = match &upload.mapping {
        Some(m) if m.kind == kind && sheet == upload.sheet => m.clone(),
        _ => {
            app.import_mapping(&v.actor, kind, &upload.sheets[sheet].headers)
                .await?
        }
    };
    let project = upload.project_id.map(|p| p.to_string()).unwrap_or_default();
    mapping_page(
        &app,
        &v,
        id,
        &upload,
        sheet,
        &mapping,
        &project,
        &[],
        StatusCode::OK,
    )
    .await
}

/// The mapping posted as `column.<index>` = field key ("" not used); a field chosen for two
/// columns is an error at the second.
fn posted_mapping(form: &Posted, kind: ImportKind, columns: usize) -> (Mapping, Vec<FieldError>) {
    let mut chosen: BTreeMap<usize, String> = BTreeMap::new();
    for (name, value) in form.pairs() {
        if let Some(i) = name
            .strip_prefix("column.")
            .and_then(|i| i.parse::<usize>().ok())
            .filter(|i| *i < columns)
        {
            chosen.insert(i, value.trim().to_owned());
        }
    }
    let mut mapping = Mapping {
        kind,
        columns: BTreeMap::new(),
    };
    let mut errors = Vec::new();
    for (i, key) in chosen {
        if key.is_empty() {
            continue;
        }
        let Some(field) = import::columns::field(kind, &key) else {
            errors.push(FieldError::new(
                &format!("column.{i}"),
                Text::new(
                    "Välj ett av fälten i listan.",
                    "Choose one of the fields in the list.",
                ),
            ));
            continue;
        };
        if let Some(first) = mapping.column(&key) {
            let (a, b) = (column_letter(first), column_letter(i));
            errors.push(FieldError::new(
                &format!("column.{i}"),
                Text::new(
                    format!(
                        "Kolumn {b}: ”{}” är redan valt för kolumn {a}. Välj det för en kolumn bara.",
                        field.label_sv
                    ),
                    format!(
                        "Column {b}: “{}” is already chosen for column {a}. Choose it for one column only.",
                        field.label_en
                    ),
                ),
            ));
            continue;
        }
        mapping.columns.insert(key, i);
    }
    (mapping, errors)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct CheckForm {
    sheet: String,
    kind: String,
    project_id: String,
}

/// `POST /import/{id}`: remembers the mapping for the organisation and runs the dry run.
pub async fn check(
    State(app): State<App>,
    Extension(uploads): SharedUploads,
    v: Viewer,
    Id(id): Id,
    form: Posted,
) -> PageResult {
    let upload = own_upload(&app, &uploads, id, &v.actor).await?;
    let f: CheckForm = form.parse()?;
    let (sheet_index, kind) = sheet_and_kind(&upload, &f.sheet, &f.kind)?;
    let sheet: &Sheet = &upload.sheets[sheet_index];
    let (mapping, mut errors) = posted_mapping(&form, kind, sheet.headers.len());
    let allowed = app.enrollable_projects(&v.actor).await?;
    let project_id = match f.project_id.as_str() {
        "" => None,
        text => {
            let id = Uuid::parse_str(text)
                .ok()
                .filter(|id| allowed.iter().any(|p| p.id == *id));
            if id.is_none() {
                errors.push(FieldError::new(
                    "project_id",
                    Text::new(
                        "Välj ett av projekten i listan.",
                        "Choose one of the projects in the list.",
                    ),
                ));
            }
            id
        }
    };
    if !errors.is_empty() {
        return mapping_page(
            &app,
            &v,
            id,
            &upload,
            sheet_index,
            &mapping,
            &f.project_id,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    app.remember_import_mapping(&v.actor, &mapping, &sheet.headers)
        .await?;
    let options = ImportOptions {
        project_id,
        mode: ImportMode::WholeOrNothing,
    };
    let summary = app
        .import_dry_run(&v.actor, sheet, &mapping, &options, v.lang.code())
        .await?;
    let lang = v.lang.code();
    uploads.update(id, v.actor.user_id, |u| {
        u.sheet = sheet_index;
        u.project_id = project_id;
        u.mapping = Some(mapping);
        u.dry_run = Some(Outcome {
            summary,
            lang,
            mode: ImportMode::WholeOrNothing,
        });
        u.result = None;
    });
    to(format!("/import/{id}/check"))
}

// ---------------------------------------------------------------------------------------------
// Dry run, import, result
// ---------------------------------------------------------------------------------------------

/// A problem as the table shows it.
struct ProblemRow {
    row: usize,
    column: String,
    value: String,
    message: String,
}

/// What an import did or would do, as the pages show it.
struct Counts {
    rows: usize,
    good_rows: usize,
    problem_rows: usize,
    unchanged_rows: usize,
    changed_rows: usize,
    new_participants: usize,
    new_enrolments: usize,
    new_attendance: usize,
    new_placements: usize,
    new_activities: Vec<String>,
    new_employers: Vec<String>,
    problems: Vec<ProblemRow>,
    /// All problems, of which `problems` holds the first (the engine keeps 10,000).
    problems_total: usize,
}

impl Counts {
    fn of(s: &ImportSummary, l: Lang) -> Self {
        Counts {
            rows: s.rows,
            good_rows: s.good_rows,
            problem_rows: s.rows.saturating_sub(s.good_rows),
            unchanged_rows: s.unchanged_rows,
            changed_rows: s.changed_rows(),
            new_participants: s.new_participants,
            new_enrolments: s.new_enrolments,
            new_attendance: s.new_attendance,
            new_placements: s.new_placements,
            new_activities: s.new_activities.clone(),
            new_employers: s.new_employers.clone(),
            problems_total: s.problems_total.max(s.problems.len()),
            problems: s
                .problems
                .iter()
                .map(|p| ProblemRow {
                    row: p.row,
                    column: if p.column.is_empty() {
                        l.t("Hela raden", "The whole row").to_owned()
                    } else {
                        p.column.clone()
                    },
                    value: p.value.clone(),
                    message: p.message.clone(),
                })
                .collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "import_check.html")]
struct CheckPage {
    c: Chrome,
    id: Uuid,
    file_name: String,
    sheet_name: String,
    kind_label: &'static str,
    project_name: Option<String>,
    s: Counts,
}

async fn project_name(
    app: &App,
    actor: &Actor,
    project: Option<Uuid>,
) -> Result<Option<String>, AppError> {
    let Some(id) = project else {
        return Ok(None);
    };
    Ok(app
        .enrollable_projects(actor)
        .await?
        .into_iter()
        .find(|p| p.id == id)
        .map(|p| p.name))
}

/// `GET /import/{id}/check`: the dry run's result (run again when the language changed).
pub async fn checked(
    State(app): State<App>,
    Extension(uploads): SharedUploads,
    v: Viewer,
    Id(id): Id,
) -> PageResult {
    let upload = own_upload(&app, &uploads, id, &v.actor).await?;
    let (Some(mapping), Some(mut dry)) = (upload.mapping.clone(), upload.dry_run.clone()) else {
        return to(format!("/import/{id}"));
    };
    let sheet = &upload.sheets[upload.sheet];
    if dry.lang != v.lang.code() {
        let options = ImportOptions {
            project_id: upload.project_id,
            mode: ImportMode::WholeOrNothing,
        };
        dry.summary = app
            .import_dry_run(&v.actor, sheet, &mapping, &options, v.lang.code())
            .await?;
        dry.lang = v.lang.code();
        let stored = dry.clone();
        uploads.update(id, v.actor.user_id, |u| u.dry_run = Some(stored));
    }
    let page = CheckPage {
        c: v.chrome("import"),
        id,
        file_name: upload.file_name.clone(),
        sheet_name: sheet.name.clone(),
        kind_label: mapping.kind.label(v.lang.code()),
        project_name: project_name(&app, &v.actor, upload.project_id).await?,
        s: Counts::of(&dry.summary, v.lang),
    };
    Ok(render(&page))
}

/// `GET /import/{id}/run` (a reload after the import): back to the dry run.
pub async fn back_to_check(axum::extract::Path(id): axum::extract::Path<Uuid>) -> Redirect {
    Redirect::to(&format!("/import/{id}/check"))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct RunForm {
    mode: String,
}

/// `POST /import/{id}/run`: imports the sheet, whole or its good rows only.
pub async fn run(
    State(app): State<App>,
    Extension(uploads): SharedUploads,
    v: Viewer,
    Id(id): Id,
    form: Posted,
) -> PageResult {
    let upload = own_upload(&app, &uploads, id, &v.actor).await?;
    let Some(mapping) = upload.mapping.clone() else {
        return to(format!("/import/{id}"));
    };
    let f: RunForm = form.parse()?;
    let mode = match f.mode.as_str() {
        "good_rows" => ImportMode::GoodRows,
        _ => ImportMode::WholeOrNothing,
    };
    let options = ImportOptions {
        project_id: upload.project_id,
        mode,
    };
    let sheet = &upload.sheets[upload.sheet];
    let summary = app
        .import_sheet(&v.actor, sheet, &mapping, &options, v.lang.code())
        .await?;
    let lang = v.lang.code();
    uploads.update(id, v.actor.user_id, |u| {
        u.result = Some(Outcome {
            summary,
            lang,
            mode,
        });
    });
    to(format!("/import/{id}/done"))
}

#[derive(Template)]
#[template(path = "import_done.html")]
struct DonePage {
    c: Chrome,
    id: Uuid,
    file_name: String,
    sheet_name: String,
    /// Refused: the whole file was asked for and it has problems.
    refused: bool,
    s: Counts,
    rejected: usize,
    other_sheets: Vec<(usize, String)>,
}

/// `GET /import/{id}/done`: what the import did.
pub async fn done(
    State(app): State<App>,
    Extension(uploads): SharedUploads,
    v: Viewer,
    Id(id): Id,
) -> PageResult {
    let upload = own_upload(&app, &uploads, id, &v.actor).await?;
    let Some(result) = upload.result.clone() else {
        return to(format!("/import/{id}/check"));
    };
    let s = &result.summary;
    let refused = result.mode == ImportMode::WholeOrNothing && !s.problems.is_empty();
    let page = DonePage {
        c: v.chrome("import"),
        id,
        file_name: upload.file_name.clone(),
        sheet_name: upload.sheets[upload.sheet].name.clone(),
        refused,
        rejected: if refused { 0 } else { s.rejected.len() },
        s: Counts::of(s, v.lang),
        other_sheets: upload
            .sheets
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != upload.sheet)
            .map(|(i, sh)| (i, sh.name.clone()))
            .collect(),
    };
    Ok(render(&page))
}

/// `GET /import/{id}/rejected.csv`: the rows the import left out, with what was wrong, to fix.
pub async fn rejected(
    State(app): State<App>,
    Extension(uploads): SharedUploads,
    v: Viewer,
    Id(id): Id,
) -> PageResult {
    let upload = own_upload(&app, &uploads, id, &v.actor).await?;
    let result = upload
        .result
        .as_ref()
        .filter(|r| !r.summary.rejected.is_empty())
        .ok_or(AppError::NotFound)?;
    let sheet = &upload.sheets[upload.sheet];
    let body = import::rejected_csv(sheet, &result.summary, result.lang);
    let stem = upload
        .file_name
        .rsplit_once('.')
        .map_or(upload.file_name.as_str(), |(s, _)| s);
    let stem: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let suffix = if result.lang == "en" {
        "rejected-rows"
    } else {
        "rader-med-fel"
    };
    let disposition = format!("attachment; filename=\"{stem}-{suffix}.csv\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::column_letter;

    #[test]
    fn columns_are_named_as_spreadsheets_name_them() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }
}
