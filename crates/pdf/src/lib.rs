//! pdf: typesets a document written in typst markup into a PDF, in memory, with the fonts built
//! into the binary (typst-assets: Libertinus Serif, New Computer Modern, DejaVu Sans Mono). It
//! knows nothing of Stegvis's data: the caller writes the markup, escaping every piece of
//! user-provided text with [`escape`], and hands over named files such as SVG charts. It must
//! never read the disk, call the network or look at the system's fonts, so that the same input
//! gives the same bytes on any machine.

#![forbid(unsafe_code)]

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;

/// Why a document could not be made: the markup's errors, each with its line and column, or a
/// failed PDF export. Either way a programming error on the caller's side, never the user's.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("typst markup: {0}")]
    Markup(String),
    #[error("pdf export: {0}")]
    Export(String),
    #[error("file name {0:?} is not a valid path")]
    FileName(String),
}

/// The fonts, parsed once per process (about 6 MB of font data lives in the binary).
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// Where the main markup lives in the document's virtual file system.
const MAIN: &str = "/main.typ";

/// The in-memory world a document is typeset in: one source, some named files, the built-in
/// fonts, and no date (`datetime.today()` fails: the caller writes the date it means).
struct Memory {
    main: Source,
    files: HashMap<FileId, Bytes>,
}

fn file_id(path: &str) -> Result<FileId, PdfError> {
    let vpath = VirtualPath::new(path).map_err(|_| PdfError::FileName(path.to_owned()))?;
    // Interned for the life of the process: callers use a small fixed set of names.
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl World for Memory {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.clone()));
        }
        self.files
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(id.vpath().get_without_slash().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

/// Typesets `source` (typst markup) into PDF bytes. `files` are the files the markup may read by
/// name, for example `("goals.svg", svg)` for `#image("goals.svg")`.
pub fn render(source: &str, files: &[(&str, Vec<u8>)]) -> Result<Vec<u8>, PdfError> {
    let world = world(source, files)?;
    let document = typeset(&world)?;
    let options = typst_pdf::PdfOptions {
        // A fixed identifier and no timestamp: the same report gives the same bytes.
        ident: Smart::Custom("stegvis".into()),
        creator: Smart::Custom(Some("Stegvis".into())),
        ..typst_pdf::PdfOptions::default()
    };
    let pdf = typst_pdf::pdf(&document, &options)
        .map_err(|errors| PdfError::Export(describe(&world, &errors)));
    // Typst memoizes across compilations in a global cache; a server must let it shrink.
    typst::comemo::evict(2);
    pdf
}

fn world(source: &str, files: &[(&str, Vec<u8>)]) -> Result<Memory, PdfError> {
    let main = Source::new(file_id(MAIN)?, source.to_owned());
    let mut map = HashMap::new();
    for (name, bytes) in files {
        map.insert(file_id(name)?, Bytes::new(bytes.clone()));
    }
    Ok(Memory { main, files: map })
}

fn typeset(world: &Memory) -> Result<PagedDocument, PdfError> {
    typst::compile::<PagedDocument>(world)
        .output
        .map_err(|errors| PdfError::Markup(describe(world, &errors)))
}

/// The errors as one readable line each: `line 3, column 7: unknown variable: x (hint: …)`.
fn describe(world: &Memory, diagnostics: &[SourceDiagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics.iter().filter(|d| d.severity == Severity::Error) {
        if !out.is_empty() {
            out.push_str("; ");
        }
        let place = d
            .span
            .id()
            .filter(|id| *id == world.main.id())
            .and_then(|_| {
                let range = world.range(d.span)?;
                world.main.lines().byte_to_line_column(range.start)
            });
        if let Some((line, column)) = place {
            let _ = write!(out, "line {}, column {}: ", line + 1, column + 1);
        }
        out.push_str(&d.message);
        for hint in &d.hints {
            let _ = write!(out, " (hint: {})", hint.v);
        }
    }
    if out.is_empty() {
        out.push_str("failed without a message");
    }
    out
}

/// Text as typst markup that shows exactly that text: every ASCII punctuation character is
/// escaped with a backslash, so nothing in a name can start a heading, a list, emphasis, a
/// label, a reference, maths, a comment, a link or code (`#`). Line breaks and other control
/// characters become spaces: a name is one line.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
            out.push(c);
        } else if c.is_control() {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// Text as a typst string literal (`"…"`), for arguments such as an image's `alt`: quotes and
/// backslashes are escaped, control characters become spaces.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use typst::layout::{Frame, FrameItem};

    /// The text a document shows, in reading order, runs joined by nothing and pages by
    /// newlines: enough to see what markup made of a string.
    fn shown(source: &str) -> String {
        fn walk(frame: &Frame, out: &mut String) {
            for (_, item) in frame.items() {
                match item {
                    FrameItem::Group(g) => walk(&g.frame, out),
                    FrameItem::Text(t) => out.push_str(&t.text),
                    _ => {}
                }
            }
        }
        let world = world(source, &[]).unwrap();
        let document = typeset(&world).unwrap();
        let mut out = String::new();
        for page in document.pages() {
            walk(&page.frame, &mut out);
            out.push('\n');
        }
        out
    }

    #[test]
    fn a_tiny_document_becomes_a_pdf() {
        let pdf = render("= Rapport\n\nHej *världen*: 1 234 deltagare.", &[]).unwrap();
        assert!(pdf.starts_with(b"%PDF-"), "{:?}", &pdf[..8]);
        assert!(pdf.len() > 1000);
    }

    #[test]
    fn the_same_markup_gives_the_same_bytes() {
        let source = "#set document(title: [Samma])\nSamma text, samma fil.";
        assert_eq!(render(source, &[]).unwrap(), render(source, &[]).unwrap());
    }

    #[test]
    fn an_svg_file_is_embedded_by_name() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 20" width="100%"><rect width="50" height="20" fill="#005a8c"/><text x="55" y="15" font-size="12">Mål</text></svg>"##;
        let pdf = render(
            r#"#image("chart.svg", width: 8cm, alt: "Ett diagram")"#,
            &[("chart.svg", svg.as_bytes().to_vec())],
        )
        .unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
    }

    #[test]
    fn a_markup_error_is_an_error_with_its_place_not_a_panic() {
        let err = render("Första raden\n#tabell(1, 2)", &[]).unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, PdfError::Markup(_)), "{text}");
        assert!(text.contains("line 2, column 2"), "{text}");
        assert!(text.contains("unknown variable: tabell"), "{text}");
        let err = render(r#"#image("saknas.svg")"#, &[]).unwrap_err();
        assert!(err.to_string().contains("saknas.svg"), "{err}");
    }

    #[test]
    fn no_date_is_taken_from_the_clock() {
        let err = render("#datetime.today().display()", &[]).unwrap_err();
        assert!(matches!(err, PdfError::Markup(_)), "{err}");
    }

    #[test]
    fn escape_puts_a_backslash_before_punctuation_and_flattens_lines() {
        assert_eq!(escape("Nästa steg"), "Nästa steg");
        assert_eq!(escape("#let x = 1"), r"\#let x \= 1");
        assert_eq!(escape("a*b_c\nd"), r"a\*b\_c d");
        assert_eq!(escape("50 % (18–29)"), r"50 \% \(18–29\)");
    }

    #[test]
    fn escaped_text_is_shown_exactly_as_written() {
        let names = [
            "= Inte en rubrik",
            "- inte en lista",
            "+ inte heller",
            "1. Och inte numrerad",
            "*Fet* _kursiv_ `kod` $x^2$",
            "#panic(\"bom\") #import \"/etc/passwd\": *",
            "[Hakparentes] ] <etikett> @referens",
            "https://example.org // ingen kommentar /* heller */",
            "Åsa's \"citat\" ~ -- --- ... \\ slut\\",
            "Mål: minst 75 % (18–29 år) & mer",
        ];
        for name in names {
            let text = shown(&format!("#set page(width: 40cm)\n{}", escape(name)));
            assert_eq!(text.trim_end(), name, "{name}");
        }
    }

    #[test]
    fn a_string_literal_holds_quotes_and_backslashes() {
        assert_eq!(string(r#"Ett "citat" \ här"#), r#""Ett \"citat\" \\ här""#);
        assert_eq!(string("rad ett\nrad två"), r#""rad ett rad två""#);
        let text = shown(&format!(
            "#set page(width: 40cm)\n#text({})",
            string(r#"a "b" \ #c $d$"#)
        ));
        assert_eq!(text.trim_end(), r#"a "b" \ #c $d$"#);
    }

    #[test]
    fn unescaped_markup_would_have_run() {
        // The counterpart of the test above: without escaping, a name is code.
        assert!(render("#panic(\"bom\")", &[]).is_err());
        assert!(render(&escape("#panic(\"bom\")"), &[]).is_ok());
    }
}
