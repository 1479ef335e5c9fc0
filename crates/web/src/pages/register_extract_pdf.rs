//! The register extract as a readable PDF in Swedish, made from the same [`RegisterExtract`] as
//! the JSON by one loop over its sections and items: every value of the JSON is in the PDF.

use stegvis_app::register_extract::RegisterExtract;
use stegvis_pdf::escape;

/// The extract, typeset: PDF bytes, or why typst refused (a bug in the markup below).
pub fn render(x: &RegisterExtract) -> Result<Vec<u8>, stegvis_pdf::PdfError> {
    stegvis_pdf::render(&markup(x), &[])
}

/// Typst markup: a heading per section, and per record its values one to a line (no tables, so
/// that a long value is never split between columns).
pub fn markup(x: &RegisterExtract) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let title = "Registerutdrag";
    let _ = writeln!(
        out,
        "#set document(title: [{}], author: \"Stegvis\")",
        escape(title)
    );
    // No hyphenation and straight quotes: a value reads back exactly as it was recorded.
    out.push_str("#set text(lang: \"sv\", size: 9.5pt, hyphenate: false)\n");
    out.push_str("#set smartquote(enabled: false)\n");
    let _ = writeln!(
        out,
        "#set page(paper: \"a4\", margin: (x: 2cm, y: 2.2cm), footer: context [#set text(8pt); {} #h(1fr) #counter(page).display(\"1 / 1\", both: true)])",
        escape(&format!("Registerutdrag {}", x.participant_id))
    );
    out.push_str("#set par(justify: false)\n\n");
    let _ = writeln!(out, "= {}\n", escape(title));
    let made_at = x
        .made_at
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{}\n",
        escape(&format!(
            "Allt som Stegvis har registrerat om deltagaren {}, gjort {} av {}. Tider anges i UTC. Ett id är en uppgifts nummer i Stegvis.",
            x.participant_id, made_at, x.made_by
        ))
    );
    for s in &x.sections {
        let _ = writeln!(out, "== {}\n", escape(&s.title_sv));
        if s.items.is_empty() {
            let _ = writeln!(out, "{}\n", escape("Inget registrerat."));
        }
        for item in &s.items {
            let _ = writeln!(
                out,
                "#block(breakable: true, below: 1em)[*{}* \\",
                escape(&item.title_sv)
            );
            for f in &item.fields {
                let value = f.value.as_deref().unwrap_or("–");
                let _ = writeln!(
                    out,
                    "{}: {} \\",
                    escape(&f.label_sv),
                    escape(&breakable(value))
                );
            }
            out.push_str("]\n\n");
        }
    }
    out
}

/// A zero-width space after each comma and within any long run without one, so that a value
/// such as a list of codes wraps at the margin instead of running off the page.
fn breakable(value: &str) -> String {
    const RUN: usize = 48;
    let mut out = String::with_capacity(value.len());
    let mut run = 0;
    for c in value.chars() {
        out.push(c);
        run = if c.is_whitespace() { 0 } else { run + 1 };
        if (c == ',' || run >= RUN) && run > 0 {
            out.push('\u{200B}');
            run = 0;
        }
    }
    out
}
