//! Reading a file into text cells: XLSX (and the older XLS/ODS calamine reads) sheet by sheet,
//! or CSV as Swedish offices write it (semicolons or commas or tabs; UTF-8 with or without BOM,
//! UTF-16 from Excel's "Unicode text", or Windows-1252).

use std::io::{Cursor, Read};

use calamine::{Data, Reader};
use serde::Serialize;

/// Most data rows one file may hold in the browser (the command line streams any size).
pub const MAX_ROWS_IN_MEMORY: usize = 200_000;

/// One sheet: its header row and its data rows (empty lines left out).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Sheet {
    pub name: String,
    /// The first non-empty row's cells, trimmed.
    pub headers: Vec<String>,
    /// The header's row number (1-based, as the spreadsheet program shows it).
    pub header_row: usize,
    pub rows: Vec<SheetRow>,
}

/// A data row: its number in the file (1-based, as the spreadsheet program shows it) and its
/// cells as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SheetRow {
    pub number: usize,
    pub cells: Vec<String>,
}

impl SheetRow {
    /// The cell in column `index`, trimmed ("" past the row's end).
    pub fn cell(&self, index: usize) -> &str {
        self.cells.get(index).map_or("", |c| c.trim())
    }

    fn is_empty(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}

/// Why a file cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("the file is empty")]
    Empty,
    #[error("not a spreadsheet: {0}")]
    NotASpreadsheet(String),
    #[error("no header row")]
    NoHeader,
    #[error("more than {MAX_ROWS_IN_MEMORY} rows")]
    TooManyRows,
    #[error("row {row}: {message}")]
    Csv { row: usize, message: String },
}

impl ReadError {
    pub fn message(&self, lang: &str) -> String {
        let en = lang == "en";
        match self {
            ReadError::Empty if en => "The file is empty.".into(),
            ReadError::Empty => "Filen är tom.".into(),
            ReadError::NotASpreadsheet(_) if en => {
                "The file could not be read. Save it as Excel (.xlsx) or CSV and try again.".into()
            }
            ReadError::NotASpreadsheet(_) => {
                "Filen gick inte att läsa. Spara den som Excel (.xlsx) eller CSV och försök igen."
                    .into()
            }
            ReadError::NoHeader if en => "The file has no row with column headings.".into(),
            ReadError::NoHeader => "Filen har ingen rad med kolumnrubriker.".into(),
            ReadError::TooManyRows if en => format!(
                "The file has more than {MAX_ROWS_IN_MEMORY} rows. Split it, or import it with `stegvis import` on the server."
            ),
            ReadError::TooManyRows => format!(
                "Filen har fler än {MAX_ROWS_IN_MEMORY} rader. Dela upp den, eller importera den med `stegvis import` på servern."
            ),
            ReadError::Csv { row, .. } if en => format!("Row {row} could not be read."),
            ReadError::Csv { row, .. } => format!("Rad {row} gick inte att läsa."),
        }
    }
}

/// Reads `bytes` (named `file_name`, whose extension only breaks ties): every sheet of a
/// workbook that has a header, or the one table of a CSV file.
pub fn read_file(file_name: &str, bytes: &[u8]) -> Result<Vec<Sheet>, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    let lower = file_name.to_lowercase();
    let workbook = bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
        || lower.ends_with(".xlsx")
        || lower.ends_with(".xls")
        || lower.ends_with(".ods");
    if workbook {
        read_workbook(bytes)
    } else {
        let (headers, header_row, rows) = csv_rows(decode(bytes))?;
        let mut sheet = Sheet {
            name: file_name.to_owned(),
            headers,
            header_row,
            rows: Vec::new(),
        };
        for row in rows {
            sheet.rows.push(row?);
            if sheet.rows.len() > MAX_ROWS_IN_MEMORY {
                return Err(ReadError::TooManyRows);
            }
        }
        Ok(vec![sheet])
    }
}

fn read_workbook(bytes: &[u8]) -> Result<Vec<Sheet>, ReadError> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| ReadError::NotASpreadsheet(e.to_string()))?;
    let names = book.sheet_names().to_vec();
    let mut sheets = Vec::new();
    for name in names {
        let Ok(range) = book.worksheet_range(&name) else {
            continue;
        };
        // A formula is taken as its text, never its computed value.
        let formulas = book.worksheet_formula(&name).ok();
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let mut lines = Vec::new();
        for (r, row) in range.rows().enumerate() {
            let abs_row = row0 as usize + r;
            let mut cells: Vec<String> = Vec::with_capacity(col0 as usize + row.len());
            cells.resize(col0 as usize, String::new());
            for (c, value) in row.iter().enumerate() {
                let abs_col = col0 as usize + c;
                let formula = formulas.as_ref().and_then(|f| {
                    f.get_value((abs_row as u32, abs_col as u32))
                        .filter(|s| !s.trim().is_empty())
                        .map(|s| {
                            if s.starts_with('=') {
                                s.clone()
                            } else {
                                format!("={s}")
                            }
                        })
                });
                cells.push(formula.unwrap_or_else(|| cell_text(value)));
            }
            if lines.len() > MAX_ROWS_IN_MEMORY {
                return Err(ReadError::TooManyRows);
            }
            lines.push(SheetRow {
                number: abs_row + 1,
                cells,
            });
        }
        if let Some(sheet) = into_sheet(&name, lines.into_iter()) {
            sheets.push(sheet);
        }
    }
    if sheets.is_empty() {
        return Err(ReadError::NoHeader);
    }
    Ok(sheets)
}

/// The first non-empty row is the header; empty rows are left out.
fn into_sheet(name: &str, mut lines: impl Iterator<Item = SheetRow>) -> Option<Sheet> {
    let header = lines.by_ref().find(|r| !r.is_empty())?;
    Some(Sheet {
        name: name.to_owned(),
        headers: header.cells.iter().map(|c| c.trim().to_owned()).collect(),
        header_row: header.number,
        rows: lines.filter(|r| !r.is_empty()).collect(),
    })
}

/// A cell as text: numbers as written without exponent ("198501011234", "1234.5"), dates as
/// ISO dates, errors as their code.
fn cell_text(value: &Data) -> String {
    match value {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Data::DateTime(d) => excel_date_text(d.as_f64(), d.is_datetime()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e17 {
        format!("{}", f as i64)
    } else {
        // Shortest text that reads back as the same number.
        let s = format!("{f}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// An Excel serial date (days since 1899-12-30) as `YYYY-MM-DD`, with ` HH:MM` when it has a
/// time of day.
fn excel_date_text(serial: f64, with_time: bool) -> String {
    let base = time::Date::from_calendar_date(1899, time::Month::December, 30).expect("date");
    let days = serial.floor() as i64;
    let Some(date) = base.checked_add(time::Duration::days(days)) else {
        return float_text(serial);
    };
    let minutes = ((serial - serial.floor()) * 1440.0).round() as i64;
    if with_time && minutes > 0 && minutes < 1440 {
        format!("{date} {:02}:{:02}", minutes / 60, minutes % 60)
    } else {
        date.to_string()
    }
}

/// Text of a CSV file in any of the encodings Swedish offices produce.
pub fn decode(bytes: &[u8]) -> String {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return text.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            text.into_owned()
        }
    }
}

/// The separator the header line uses most: semicolon, tab or comma.
fn separator(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut best = (b';', 0);
    for sep in [b';', b'\t', b','] {
        let n = first.bytes().filter(|b| *b == sep).count();
        if n > best.1 {
            best = (sep, n);
        }
    }
    best.0
}

/// Rows of CSV text as they are read: the header, its row number, then the data rows (empty
/// lines left out).
#[allow(clippy::type_complexity)]
pub fn csv_rows(
    text: String,
) -> Result<
    (
        Vec<String>,
        usize,
        Box<dyn Iterator<Item = Result<SheetRow, ReadError>> + Send>,
    ),
    ReadError,
> {
    csv_reader_rows(Cursor::new(text.into_bytes()), None)
}

/// [`csv_rows`] over a reader of UTF-8 text; `sep` as found by the caller, or sniffed from the
/// first line otherwise.
#[allow(clippy::type_complexity)]
pub fn csv_reader_rows<R: Read + Send + 'static>(
    reader: R,
    sep: Option<u8>,
) -> Result<
    (
        Vec<String>,
        usize,
        Box<dyn Iterator<Item = Result<SheetRow, ReadError>> + Send>,
    ),
    ReadError,
> {
    let mut reader = std::io::BufReader::with_capacity(1 << 16, reader);
    let sep = match sep {
        Some(s) => s,
        None => {
            use std::io::BufRead;
            let head = reader
                .fill_buf()
                .map_err(|e| ReadError::NotASpreadsheet(e.to_string()))?;
            separator(&String::from_utf8_lossy(head))
        }
    };
    let marked = BlankLines {
        inner: reader,
        at_line_start: true,
        pending: std::collections::VecDeque::new(),
        chunk: Vec::new(),
    };
    let csv = csv::ReaderBuilder::new()
        .delimiter(sep)
        .has_headers(false)
        .flexible(true)
        .from_reader(marked);
    // Rows numbered as a spreadsheet program shows the file: one per record, empty lines
    // included (marked, since the csv crate leaves them out).
    let mut records = csv.into_records().enumerate().map(|(i, r)| match r {
        Ok(rec) => Ok(SheetRow {
            number: i + 1,
            cells: rec.iter().map(|c| c.replace('\0', "")).collect(),
        }),
        Err(e) => Err(ReadError::Csv {
            row: i + 1,
            message: e.to_string(),
        }),
    });
    let header = loop {
        match records.next() {
            None => return Err(ReadError::NoHeader),
            Some(Err(e)) => return Err(e),
            Some(Ok(r)) if r.is_empty() => continue,
            Some(Ok(r)) => break r,
        }
    };
    let headers = header
        .cells
        .iter()
        .map(|c| c.trim().trim_start_matches('\u{feff}').to_owned())
        .collect();
    let rest = records.filter(|r| !matches!(r, Ok(row) if row.is_empty()));
    Ok((headers, header.number, Box::new(rest)))
}

/// A reader that puts a NUL on each empty line, so the csv crate reads it as a (blank) record
/// and the records keep the file's row numbers. NULs are taken out of the cells again (one
/// inside a quoted cell that spans an empty line too).
struct BlankLines<R> {
    inner: R,
    at_line_start: bool,
    pending: std::collections::VecDeque<u8>,
    chunk: Vec<u8>,
}

impl<R: Read> Read for BlankLines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pending.is_empty() {
            self.chunk.resize(buf.len().max(1), 0);
            let n = self.inner.read(&mut self.chunk)?;
            for &b in &self.chunk[..n] {
                if self.at_line_start && (b == b'\n' || b == b'\r') {
                    self.pending.push_back(0);
                }
                self.at_line_start = b == b'\n';
                self.pending.push_back(b);
            }
        }
        let n = buf.len().min(self.pending.len());
        for (slot, b) in buf.iter_mut().zip(self.pending.drain(..n)) {
            *slot = b;
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_with_semicolons() {
        let bytes = b"Personnummer;F\xf6rnamn;Timmar\r\n19850101-1234;\xc5sa;1 234,5\r\n\r\n;;\r\n";
        let sheets = read_file("x.csv", bytes).unwrap();
        assert_eq!(sheets[0].headers, vec!["Personnummer", "Förnamn", "Timmar"]);
        assert_eq!(sheets[0].rows.len(), 1);
        assert_eq!(sheets[0].rows[0].cells[1], "Åsa");
        assert_eq!(sheets[0].rows[0].number, 2);
    }

    #[test]
    fn rows_are_numbered_by_their_line() {
        let bytes = b"h;a\r\nx;1\r\n\r\ny;2\r\n\r\n\r\nz;3\r\n";
        let rows = &read_file("x.csv", bytes).unwrap()[0].rows;
        let numbers: Vec<usize> = rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, vec![2, 4, 7]);
    }

    #[test]
    fn utf8_bom_and_commas() {
        let bytes = "\u{feff}Namn,Datum\n\"Öberg, Li\",2025-02-03\n".as_bytes();
        let sheets = read_file("x.csv", bytes).unwrap();
        assert_eq!(sheets[0].headers, vec!["Namn", "Datum"]);
        assert_eq!(sheets[0].rows[0].cells[0], "Öberg, Li");
    }

    #[test]
    fn numbers_and_dates_from_cells() {
        assert_eq!(float_text(198501011234.0), "198501011234");
        assert_eq!(float_text(1234.5), "1234.5");
        assert_eq!(excel_date_text(45691.0, false), "2025-02-03");
    }
}
