//! Tables leaving Stegvis as files: CSV (RFC 4180, UTF-8) and XLSX with real numbers.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// One cell: text, or a number a spreadsheet can add up.
pub enum Cell {
    Text(String),
    Number(f64),
}

/// A titled table with a header row.
pub struct Sheet {
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// The formats a table can be downloaded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "csv" => Some(Self::Csv),
            "xlsx" => Some(Self::Xlsx),
            _ => None,
        }
    }
}

/// What makes a spreadsheet read a field as a formula when it comes first.
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];
/// Where a spreadsheet may start a new field: a Swedish Excel splits a CSV on `;`, others on `,`
/// or tab, and a quoted cell may hold line breaks.
const SEPARATORS: [char; 5] = [';', ',', '\t', '\n', '\r'];

/// A name such as `=HYPERLINK(…)` or `Berg;=1+1` must stay text (CSV injection): wherever a field
/// may start, after leading spaces and quotes, a trigger character gets an apostrophe before it,
/// which the spreadsheet shows as text and hides.
fn defuse(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 1);
    let mut field_start = true;
    for c in text.chars() {
        if field_start && !matches!(c, ' ' | '"') {
            if TRIGGERS.contains(&c) {
                out.push('\'');
            }
            field_start = false;
        }
        out.push(c);
        if SEPARATORS.contains(&c) {
            field_start = true;
        }
    }
    out
}

/// UTF-8 with a byte-order mark (so that Excel reads å, ä and ö) and CRLF line ends.
pub fn to_csv(sheet: &Sheet) -> Result<Vec<u8>, String> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(&sheet.headers).map_err(|e| e.to_string())?;
    for row in &sheet.rows {
        let fields: Vec<String> = row
            .iter()
            .map(|c| match c {
                Cell::Text(t) => defuse(t),
                Cell::Number(n) => n.to_string(),
            })
            .collect();
        w.write_record(&fields).map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

pub fn to_xlsx(sheet: &Sheet) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format as CellFormat, Workbook};
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    // Sheet names: at most 31 characters, none of []:*?/\
    let name: String = sheet
        .title
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    ws.set_name(if name.is_empty() { "Stegvis" } else { &name })
        .map_err(e)?;
    let bold = CellFormat::new().set_bold();
    for (col, h) in sheet.headers.iter().enumerate() {
        ws.write_string_with_format(0, col as u16, h, &bold)
            .map_err(e)?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (col, cell) in row.iter().enumerate() {
            match cell {
                Cell::Text(t) => ws.write_string(r, col as u16, t).map_err(e)?,
                Cell::Number(n) => ws.write_number(r, col as u16, *n).map_err(e)?,
            };
        }
    }
    ws.set_freeze_panes(1, 0).map_err(e)?;
    ws.autofit();
    book.save_to_buffer().map_err(e)
}

/// The table as a download named `stem.csv` or `stem.xlsx`.
pub fn download(sheet: &Sheet, format: Format, stem: &str) -> Response {
    let (bytes, mime, ext) = match format {
        Format::Csv => (to_csv(sheet), "text/csv; charset=utf-8", "csv"),
        Format::Xlsx => (
            to_xlsx(sheet),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    };
    match bytes {
        Ok(bytes) => {
            let disposition = format!("attachment; filename=\"{stem}.{ext}\"");
            let mut r = bytes.into_response();
            let h = r.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
            if let Ok(v) = HeaderValue::from_str(&disposition) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            r
        }
        Err(err) => {
            tracing::error!(error = %err, "export");
            (StatusCode::INTERNAL_SERVER_ERROR, "export failed").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet() -> Sheet {
        Sheet {
            title: "Tid: 2026-03".into(),
            headers: vec!["Namn".into(), "Timmar".into()],
            rows: vec![
                vec![Cell::Text("Åsa, \"Lill\" Öberg".into()), Cell::Number(7.0)],
                vec![Cell::Text("=HYPERLINK(\"x\")".into()), Cell::Number(0.5)],
            ],
        }
    }

    #[test]
    fn csv_quotes_commas_and_defuses_formulas() {
        let text = String::from_utf8(to_csv(&sheet()).unwrap()).unwrap();
        assert_eq!(
            text,
            "\u{feff}Namn,Timmar\r\n\"Åsa, \"\"Lill\"\" Öberg\",7\r\n\"'=HYPERLINK(\"\"x\"\")\",0.5\r\n"
        );
    }

    /// Every place a spreadsheet could start a field, in any of the separators it might use.
    fn field_starts(text: &str) -> Vec<&str> {
        text.split(SEPARATORS)
            .map(|f| f.trim_start_matches([' ', '"']))
            .collect()
    }

    #[test]
    fn a_formula_after_a_separator_or_spaces_is_defused_too() {
        for (raw, safe) in [
            ("Berg;=1+1", "Berg;'=1+1"),
            ("  =1+1", "  '=1+1"),
            ("\"@SUM(A1)", "\"'@SUM(A1)"),
            ("rad ett\n+46 70", "rad ett\n'+46 70"),
            ("Anna-Karin 2026-03", "Anna-Karin 2026-03"),
            ("-5", "'-5"),
        ] {
            assert_eq!(defuse(raw), safe);
        }
    }

    proptest::proptest! {
        #[test]
        fn no_field_of_a_defused_cell_starts_a_formula(text in "[ ;,=+@\\-\"\t\r\na-zå0-9]{0,24}") {
            let safe = defuse(&text);
            for field in field_starts(&safe) {
                proptest::prop_assert!(!field.starts_with(['=', '+', '-', '@']), "{safe:?}");
            }
            // Nothing is lost: only apostrophes are added.
            proptest::prop_assert_eq!(safe.replace('\'', ""), text.replace('\'', ""));
        }
    }

    #[test]
    fn xlsx_is_a_zip_with_numbers_as_numbers() {
        let bytes = to_xlsx(&sheet()).unwrap();
        assert_eq!(&bytes[..2], b"PK");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
            &mut xml,
        )
        .unwrap();
        // Numbers are <v> values of numeric cells, not shared strings.
        assert!(xml.contains("<v>7</v>"), "{xml}");
        assert!(xml.contains("<v>0.5</v>"), "{xml}");
    }
}
