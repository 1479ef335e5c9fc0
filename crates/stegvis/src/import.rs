//! `stegvis import`: a spreadsheet of participants, attendance or placements, checked and
//! imported in a user's name, as the browser does it. A CSV file is read as it goes (any size);
//! a workbook is read whole.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Args;
use stegvis_app::App;
use stegvis_app::import::{
    ImportKind, ImportMode, ImportOptions, ImportSummary, Mapping, RowSource, SheetRow, fields,
    guess_kind, read, rejected_rows_csv,
};

#[derive(Args)]
pub struct ImportArgs {
    /// The file: .xlsx (or .xls, .ods) or .csv.
    pub file: PathBuf,
    /// The staff user (e-mail) the import is made as; the gate decides as for that user.
    #[arg(long = "as", value_name = "EMAIL")]
    pub as_user: String,
    /// participants, attendance or placements (guessed from the headers when not given).
    #[arg(long)]
    pub kind: Option<String>,
    /// The workbook's sheet (the first when not given).
    #[arg(long)]
    pub sheet: Option<String>,
    /// The project (name or number) for rows without a project column.
    #[arg(long)]
    pub project: Option<String>,
    /// A column for a field, over the remembered mapping and the guess: `field=Header`
    /// (repeatable), e.g. `--map identity_number=Pnr`.
    #[arg(long = "map", value_name = "FIELD=HEADER")]
    pub map: Vec<String>,
    /// Check only: list the problems, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Import the good rows even when others have problems (the default is all or nothing).
    #[arg(long)]
    pub good_rows: bool,
    /// Write the rejected rows, with what to fix, to this CSV file.
    #[arg(long)]
    pub rejected_to: Option<PathBuf>,
    /// The language of the problems: sv or en.
    #[arg(long, default_value = "sv")]
    pub lang: String,
}

/// A CSV file opened for reading as it goes, decoded from its encoding.
fn open_csv(path: &Path) -> Result<(Vec<String>, RowSource<'static>)> {
    let mut head = Vec::new();
    std::fs::File::open(path)?
        .take(1 << 20)
        .read_to_end(&mut head)?;
    let encoding = match encoding_rs::Encoding::for_bom(&head) {
        Some((enc, _)) => enc,
        None => {
            // Valid UTF-8 at the start (a cut last character allowed) is taken for UTF-8.
            let valid = match std::str::from_utf8(&head) {
                Ok(_) => true,
                Err(e) => e.error_len().is_none(),
            };
            if valid {
                encoding_rs::UTF_8
            } else {
                encoding_rs::WINDOWS_1252
            }
        }
    };
    let file = std::fs::File::open(path)?;
    let decoded = encoding_rs_io::DecodeReaderBytesBuilder::new()
        .encoding(Some(encoding))
        .bom_override(true)
        .utf8_passthru(true)
        .build(file);
    let mut reader = BufReader::with_capacity(1 << 20, decoded);
    reader.fill_buf()?;
    let (headers, _, rows) =
        read::csv_reader_rows(reader, None).map_err(|e| anyhow::anyhow!("{}", e.message("sv")))?;
    Ok((headers, rows))
}

fn is_csv(path: &Path) -> bool {
    let name = path.to_string_lossy().to_lowercase();
    name.ends_with(".csv") || name.ends_with(".txt") || name.ends_with(".tsv")
}

pub async fn run(app: &App, args: &ImportArgs) -> Result<bool> {
    let lang = if args.lang == "en" { "en" } else { "sv" };
    let actor = app.actor_by_email(&args.as_user).await.map_err(|_| {
        anyhow::anyhow!(
            "ingen aktiv användare med e-postadressen {} / no active user with that e-mail",
            args.as_user
        )
    })?;
    let sheet_in_memory = if is_csv(&args.file) {
        None
    } else {
        let bytes =
            std::fs::read(&args.file).with_context(|| format!("{}", args.file.display()))?;
        let name = args.file.file_name().unwrap_or_default().to_string_lossy();
        let sheets =
            read::read_file(&name, &bytes).map_err(|e| anyhow::anyhow!("{}", e.message(lang)))?;
        let sheet = match &args.sheet {
            Some(s) => sheets
                .into_iter()
                .find(|x| x.name == *s)
                .with_context(|| format!("bladet {s} finns inte / no sheet {s}"))?,
            None => sheets.into_iter().next().expect("a sheet"),
        };
        Some(sheet)
    };
    let headers = match &sheet_in_memory {
        Some(s) => s.headers.clone(),
        None => open_csv(&args.file)?.0,
    };
    let kind = match &args.kind {
        Some(k) => ImportKind::from_code(k).with_context(|| {
            format!("okänd sort {k} / unknown kind (participants, attendance, placements)")
        })?,
        None => guess_kind(&headers),
    };
    let mut mapping: Mapping = app.import_mapping(&actor, kind, &headers).await?;
    for m in &args.map {
        let (field, header) = m
            .split_once('=')
            .with_context(|| format!("--map {m}: skriv fält=Rubrik / write field=Header"))?;
        if !fields(kind).iter().any(|f| f.key == field) {
            let keys: Vec<&str> = fields(kind).iter().map(|f| f.key).collect();
            bail!(
                "okänt fält {field} / unknown field; fält / fields: {}",
                keys.join(", ")
            );
        }
        let column = headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(header.trim()))
            .with_context(|| format!("kolumnen {header} finns inte / no column {header}"))?;
        mapping.columns.retain(|_, c| *c != column);
        mapping.columns.insert(field.to_owned(), column);
    }
    let project_id = match &args.project {
        None => None,
        Some(p) => Some(
            app.enrollable_projects(&actor)
                .await?
                .into_iter()
                .find(|x| x.name.eq_ignore_ascii_case(p.trim()) || x.id.to_string() == p.trim())
                .with_context(|| format!("inget projekt {p} / no project {p}"))?
                .id,
        ),
    };
    eprintln!("{} ({}):", kind.label(lang), kind.code());
    for f in fields(kind) {
        if let Some(c) = mapping.column(f.key) {
            eprintln!("  {:<36} <- {}", f.label(lang), headers[c]);
        }
    }
    let options = ImportOptions {
        project_id,
        mode: if args.good_rows {
            ImportMode::GoodRows
        } else {
            ImportMode::WholeOrNothing
        },
    };
    let rows: RowSource<'_> = match &sheet_in_memory {
        Some(s) => Box::new(s.rows.iter().cloned().map(Ok)),
        None => open_csv(&args.file)?.1,
    };
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {pos} rader / rows ({per_sec}) {elapsed}",
        )
        .expect("template"),
    );
    // Without a terminal (logs, tests): a plain line every 100,000 rows.
    let plain = bar.is_hidden();
    let last = std::sync::atomic::AtomicUsize::new(0);
    let progress = |n: usize| {
        bar.set_position(n as u64);
        if plain && n / 100_000 > last.load(std::sync::atomic::Ordering::Relaxed) {
            last.store(n / 100_000, std::sync::atomic::Ordering::Relaxed);
            eprintln!("progress: {n} rows");
        }
    };
    let summary = app
        .import_rows(
            &actor,
            &headers,
            rows,
            &mapping,
            &options,
            lang,
            args.dry_run,
            &progress,
        )
        .await
        .map_err(crate::explain)?;
    bar.finish_and_clear();
    app.remember_import_mapping(&actor, &mapping, &headers)
        .await?;
    print_summary(&summary, lang, args.dry_run);
    if let Some(path) = &args.rejected_to
        && !summary.rejected.is_empty()
    {
        let bytes = match &sheet_in_memory {
            Some(s) => rejected_rows_csv(&s.headers, s.rows.iter().cloned(), &summary, lang),
            None => {
                let rows = open_csv(&args.file)?
                    .1
                    .filter_map(|r: std::result::Result<SheetRow, _>| r.ok());
                rejected_rows_csv(&headers, rows, &summary, lang)
            }
        };
        std::fs::write(path, bytes).with_context(|| format!("{}", path.display()))?;
        eprintln!(
            "{}: {}",
            if lang == "en" {
                "Rejected rows"
            } else {
                "Rader att rätta"
            },
            path.display()
        );
    }
    Ok(summary.problems_total == 0 || (args.good_rows && !args.dry_run))
}

fn print_summary(s: &ImportSummary, lang: &str, dry_run: bool) {
    let en = lang == "en";
    for p in s.problems.iter().take(200) {
        let (row, col) = match (p.row, p.column.is_empty(), en) {
            (0, _, _) => (String::new(), String::new()),
            (r, true, true) => (format!("row {r}: "), String::new()),
            (r, true, false) => (format!("rad {r}: "), String::new()),
            (r, false, true) => (
                format!("row {r}, "),
                format!("{} \"{}\": ", p.column, p.value),
            ),
            (r, false, false) => (
                format!("rad {r}, "),
                format!("{} \"{}\": ", p.column, p.value),
            ),
        };
        eprintln!("  {row}{col}{}", p.message);
    }
    if s.problems_total > 200 {
        eprintln!(
            "  … {} {}",
            s.problems_total - 200,
            if en { "more" } else { "till" }
        );
    }
    let outcome = match (dry_run, s.written, en) {
        (true, _, true) => "Dry run, nothing written. Would create",
        (true, _, false) => "Provkörning, inget sparat. Skulle skapa",
        (false, true, true) => "Imported. Created",
        (false, true, false) => "Importerat. Skapade",
        (false, false, true) => "Nothing written. Would have created",
        (false, false, false) => "Inget sparat. Skulle ha skapat",
    };
    if en {
        println!(
            "{} rows read, {} problems. {outcome}: {} participants, {} enrolments, {} attendance entries, {} placements, {} activities, {} employers/workplaces; {} rows already in Stegvis.",
            s.rows,
            s.problems_total,
            s.new_participants,
            s.new_enrolments,
            s.new_attendance,
            s.new_placements,
            s.new_activities.len(),
            s.new_employers.len(),
            s.unchanged_rows
        );
    } else {
        println!(
            "{} rader lästa, {} fel. {outcome}: {} deltagare, {} inskrivningar, {} närvarorader, {} praktikplatser, {} aktiviteter, {} arbetsgivare/arbetsplatser; {} rader fanns redan i Stegvis.",
            s.rows,
            s.problems_total,
            s.new_participants,
            s.new_enrolments,
            s.new_attendance,
            s.new_placements,
            s.new_activities.len(),
            s.new_employers.len(),
            s.unchanged_rows
        );
    }
}
