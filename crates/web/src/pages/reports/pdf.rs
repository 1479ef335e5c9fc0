//! The project report as a PDF: the page's sections with the page's cells (exact, or suppressed
//! for publication), written as typst markup and typeset by `stegvis-pdf`.
//!
//! The PDF is made to leave the organisation (to the funder, the steering group, a web site), so
//! it carries counts only: the participants not yet counted are a number here, never names.

use super::{
    GoalLine, IndicatorRow, ProjectReport, Sections, cells, goal_chart, goal_lines, indicator_rows,
    sections,
};
use crate::Lang;
use std::fmt::Write as _;
use stegvis_pdf::{escape, string};

/// The report, typeset: PDF bytes, or why typst refused (a bug in the markup below).
pub fn render(
    r: &ProjectReport,
    l: Lang,
    published: bool,
    today: time::Date,
) -> Result<Vec<u8>, stegvis_pdf::PdfError> {
    let (source, files) = markup(&shown(r, l, published), l, published, today);
    stegvis_pdf::render(&source, &files)
}

/// What the report page shows, cell for cell: the same builders make both.
struct Shown {
    project_name: String,
    /// The ESF+ set (2021–2027), else the ESF set (2014–2020).
    esf_plus: bool,
    goals: Vec<GoalLine>,
    goal_chart: String,
    indicators: Vec<IndicatorRow>,
    counted: Vec<String>,
    incomplete: Vec<String>,
    sections: Sections,
}

fn shown(r: &ProjectReport, l: Lang, published: bool) -> Shown {
    Shown {
        project_name: r.project_name.clone(),
        esf_plus: r.indicator_set == "esf_plus",
        goals: goal_lines(r, l, published),
        goal_chart: goal_chart(r, l),
        indicators: indicator_rows(&r.indicators, l, published),
        counted: cells(&r.counted, published),
        incomplete: cells(&r.incomplete, published),
        sections: sections(r, l, published),
    }
}

/// A table cell holding text as written.
fn cell(text: &str) -> String {
    format!("[{}]", escape(text))
}

/// A header cell.
fn head(text: &str) -> String {
    format!("[*{}*]", escape(text))
}

/// `#table(...)` with a header row that repeats on each page, the first `left` columns left
/// aligned and the others (numbers) right aligned.
fn table(
    out: &mut String,
    caption: &str,
    columns: &str,
    left: usize,
    heads: &[&str],
    rows: &[Vec<String>],
) {
    let align: Vec<&str> = (0..heads.len())
        .map(|i| if i < left { "left" } else { "right" })
        .collect();
    let _ = writeln!(
        out,
        "#figure(numbering: none, caption: figure.caption(position: top)[{}], table(columns: {columns}, align: ({},),",
        escape(caption),
        align.join(", ")
    );
    let heads: Vec<String> = heads.iter().map(|h| head(h)).collect();
    let _ = writeln!(out, "  table.header({}),", heads.join(", "));
    for row in rows {
        let _ = writeln!(out, "  {},", row.join(", "));
    }
    out.push_str("))\n\n");
}

/// A row of a label and four cells (women, men, non-binary, total).
fn by_gender(label: &str, ns: &[String]) -> Vec<String> {
    std::iter::once(cell(label))
        .chain(ns.iter().map(|n| cell(n)))
        .collect()
}

fn paragraph(out: &mut String, text: &str) {
    out.push_str(&escape(text));
    out.push_str("\n\n");
}

fn heading(out: &mut String, level: usize, text: &str) {
    let _ = writeln!(out, "{} {}\n", "=".repeat(level), escape(text));
}

fn chart(out: &mut String, name: &str, size: &str, alt: &str) {
    let _ = writeln!(
        out,
        "#figure(numbering: none, image({}, {size}, alt: {}))\n",
        string(name),
        string(alt)
    );
}

/// The typst source of the report and the charts it shows (none when published: a bar would
/// show what the table hides, as on the page).
fn markup(
    r: &Shown,
    l: Lang,
    published: bool,
    today: time::Date,
) -> (String, Vec<(&'static str, Vec<u8>)>) {
    let s = &r.sections;
    let mut files: Vec<(&'static str, Vec<u8>)> = Vec::new();
    let mut out = String::new();
    let gender_heads = [
        l.t("Kvinnor", "Women"),
        l.t("Män", "Men"),
        l.t("Icke-binära", "Non-binary"),
        l.t("Totalt", "Total"),
    ];
    let with = |first: &'static str| -> Vec<&'static str> {
        std::iter::once(first).chain(gender_heads).collect()
    };
    let title = format!(
        "{}: {}",
        l.t("Mål och indikatorer", "Goals and indicators"),
        r.project_name
    );
    let published_note = l.t("Publicerad rapport", "Published report");

    let _ = writeln!(
        out,
        "#set document(title: [{}], author: \"Stegvis\")",
        escape(&title)
    );
    let _ = writeln!(
        out,
        "#set text(lang: \"{}\", size: 10pt, number-width: \"tabular\")",
        l.code()
    );
    let footer = if published {
        format!("{} · {}", r.project_name, published_note)
    } else {
        r.project_name.clone()
    };
    let _ = writeln!(
        out,
        "#set page(paper: \"a4\", margin: (x: 2cm, y: 2.2cm), footer: context [#set text(8pt); {} #h(1fr) #counter(page).display(\"1 / 1\", both: true)])",
        escape(&footer)
    );
    out.push_str("#set table(stroke: 0.5pt + luma(170), inset: 4pt)\n");
    out.push_str("#set par(justify: false)\n");
    out.push_str("#show figure: set block(breakable: true)\n\n");

    heading(&mut out, 1, &title);
    let made = format!(
        "{} {today}. {}",
        l.t("Gjord i Stegvis den", "Made in Stegvis on"),
        l.t(
            "Räknat ur det som är registrerat, för organisationens deltagare i projektet.",
            "Counted from what is recorded, for the organisation's participants in the project.",
        )
    );
    paragraph(&mut out, &made);
    if published {
        let _ = writeln!(
            out,
            "#block(fill: luma(235), inset: 8pt, radius: 2pt, width: 100%)[*{}.* {}]\n",
            escape(published_note),
            escape(l.t(
                "Grupper med färre än 5 personer visas som <5, och ytterligare en siffra döljs (..) där den annars kunde räknas fram ur totalen. Diagrammen är utelämnade: en stapel skulle visa det som tabellen döljer.",
                "Groups of fewer than 5 people are shown as <5, and one more number is hidden (..) where it could otherwise be worked out from the total. The charts are left out: a bar would show what the table hides.",
            ))
        );
    }

    // Goals: the chart, then its table by gender.
    heading(&mut out, 2, l.t("Projektets mål", "The project's goals"));
    if r.goals.is_empty() {
        paragraph(
            &mut out,
            l.t(
                "Projektet har inga mål registrerade.",
                "The project has no goals recorded.",
            ),
        );
    } else {
        if !published {
            files.push(("goals.svg", r.goal_chart.clone().into_bytes()));
            chart(
                &mut out,
                "goals.svg",
                "width: 100%",
                l.t(
                    "Måluppfyllelse i procent av det som krävs. Samma siffror finns i tabellen.",
                    "Goal progress as a percentage of what is needed. The table has the same numbers.",
                ),
            );
        }
        let rows: Vec<Vec<String>> = r
            .goals
            .iter()
            .map(|g| {
                std::iter::once(cell(&g.name))
                    .chain(g.achieved.iter().map(|n| cell(n)))
                    .chain([cell(&g.target), cell(&g.status), cell(&g.deadline)])
                    .collect()
            })
            .collect();
        let mut heads = with(l.t("Mål", "Goal"));
        heads.extend([
            l.t("Krävs", "Needed"),
            l.t("Status", "Status"),
            l.t("Senast", "By"),
        ]);
        table(
            &mut out,
            l.t("Mål, uppnått per kön", "Goals, achieved by gender"),
            "(1fr, auto, auto, auto, auto, auto, auto, auto)",
            1,
            &heads,
            &rows,
        );
    }

    // The common indicators of the project's programme period.
    heading(
        &mut out,
        2,
        if r.esf_plus {
            l.t(
                "ESF+-indikatorer (2021–2027)",
                "ESF+ indicators (2021–2027)",
            )
        } else {
            l.t("ESF-indikatorer (2014–2020)", "ESF indicators (2014–2020)")
        },
    );
    paragraph(
        &mut out,
        l.t(
            "En deltagare räknas när alla bakgrundsfrågor som ESF kräver är besvarade (EU:s fullständighetsregel). Resultat vid avslut räknas när uppföljningen gjordes inom 4 veckor, resultat efter 6 månader när den gjordes 180 dagar efter avslut eller upp till 4 veckor senare.",
            "A participant counts when every baseline question the ESF requires is answered (the EU completeness rule). Results on leaving count when the follow-up was made within 4 weeks, results after 6 months when it was made 180 days after leaving or up to 4 weeks later.",
        ),
    );
    let rows: Vec<Vec<String>> = r
        .indicators
        .iter()
        .map(|i| {
            [cell(&i.code), cell(&i.name)]
                .into_iter()
                .chain(i.cells.iter().map(|n| cell(n)))
                .collect()
        })
        .collect();
    let mut heads = vec![l.t("Kod", "Code")];
    heads.extend(with(l.t("Indikator", "Indicator")));
    table(
        &mut out,
        l.t(
            "Gemensamma indikatorer per kön",
            "Common indicators by gender",
        ),
        "(auto, 1fr, auto, auto, auto, auto)",
        2,
        &heads,
        &rows,
    );

    // Counted and not counted: numbers only (see the module's comment).
    heading(
        &mut out,
        2,
        l.t("Räknade och ej räknade", "Counted and not counted"),
    );
    table(
        &mut out,
        l.t(
            "Inskrivningar som räknas och som inte räknas än, per kön",
            "Enrolments counted and not counted yet, by gender",
        ),
        "(1fr, auto, auto, auto, auto)",
        1,
        &with(l.t("Deltagare", "Participants")),
        &[
            by_gender(
                l.t(
                    "Räknade: alla bakgrundsfrågor besvarade",
                    "Counted: baseline complete",
                ),
                &r.counted,
            ),
            by_gender(
                l.t(
                    "Ej räknade: bakgrundsfrågor saknas",
                    "Not counted: baseline incomplete",
                ),
                &r.incomplete,
            ),
        ],
    );
    paragraph(
        &mut out,
        l.t(
            "Vilka som inte räknas än visas bara i Stegvis: den här filen innehåller inga namn.",
            "Who is not counted yet is shown only in Stegvis: this file holds no names.",
        ),
    );

    // Enrolments by month.
    heading(
        &mut out,
        2,
        l.t("Inskrivningar över tid", "Enrolments over time"),
    );
    if s.months.is_empty() {
        paragraph(
            &mut out,
            l.t("Ingen är inskriven än.", "Nobody is enrolled yet."),
        );
    } else {
        if !published {
            files.push(("months.svg", s.months_chart.clone().into_bytes()));
            chart(
                &mut out,
                "months.svg",
                "height: 4.5cm",
                l.t(
                    "Inskrivningar per månad. Samma siffror finns i tabellen.",
                    "Enrolments per month. The table has the same numbers.",
                ),
            );
        }
        let rows: Vec<Vec<String>> = s.months.iter().map(|(m, ns)| by_gender(m, ns)).collect();
        table(
            &mut out,
            l.t(
                "Inskrivningar per månad och kön",
                "Enrolments by month and gender",
            ),
            "(1fr, auto, auto, auto, auto)",
            1,
            &with(l.t("Månad", "Month")),
            &rows,
        );
    }

    // Exits by status.
    heading(
        &mut out,
        2,
        l.t("Avslut per status och kön", "Exits by status and gender"),
    );
    if s.exits.is_empty() {
        paragraph(
            &mut out,
            l.t("Ingen har avslutats än.", "Nobody has left yet."),
        );
    } else {
        if !published {
            files.push(("exits.svg", s.exits_chart.clone().into_bytes()));
            chart(
                &mut out,
                "exits.svg",
                "width: 100%",
                l.t(
                    "Avslut per status. Samma siffror, per kön, finns i tabellen.",
                    "Exits by status. The table has the same numbers, by gender.",
                ),
            );
        }
        let rows: Vec<Vec<String>> = s.exits.iter().map(|(e, ns)| by_gender(e, ns)).collect();
        table(
            &mut out,
            l.t("Avslut per status och kön", "Exits by status and gender"),
            "(1fr, auto, auto, auto, auto)",
            1,
            &with(l.t("Status", "Status")),
            &rows,
        );
    }

    // Social assistance before and after.
    heading(
        &mut out,
        2,
        l.t(
            "Ekonomiskt bistånd före och efter",
            "Social assistance before and after",
        ),
    );
    paragraph(
        &mut out,
        l.t(
            "För målet om minskade kostnader för försörjningsstöd: de som hade ekonomiskt bistånd vid inskrivningen, och hur många av dem som fortfarande har det vid uppföljningen sex månader efter avslut (frivillig fråga i uppföljningen).",
            "For the goal of lower costs of social assistance: those on social assistance at entry, and how many of them still receive it at the follow-up six months after leaving (an optional question in the follow-up).",
        ),
    );
    let rows: Vec<Vec<String>> = s
        .assistance
        .iter()
        .map(|(k, ns)| by_gender(k, ns))
        .collect();
    table(
        &mut out,
        l.t("Ekonomiskt bistånd per kön", "Social assistance by gender"),
        "(1fr, auto, auto, auto, auto)",
        1,
        &with(l.t("Grupp", "Group")),
        &rows,
    );

    // Money and time.
    heading(&mut out, 2, l.t("Pengar och tid", "Money and time"));
    let rows: Vec<Vec<String>> = s
        .money
        .iter()
        .map(|(k, v)| vec![cell(k), cell(v)])
        .collect();
    table(
        &mut out,
        l.t("Pengar och tid", "Money and time"),
        "(1fr, auto)",
        1,
        &[
            l.t("Vad", "What"),
            l.t("Belopp eller tid", "Amount or time"),
        ],
        &rows,
    );
    (out, files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn four(ns: [&str; 4]) -> Vec<String> {
        ns.map(str::to_owned).to_vec()
    }

    /// A report as shown, with names that would be markup if they were not escaped.
    fn shown(published: bool) -> Shown {
        let small = |exact: [&'static str; 4]| {
            if published {
                four(["<5", "..", "0", "<5"])
            } else {
                four(exact)
            }
        };
        Shown {
            project_name: "#Test [projekt] *1* = <a> @b $c$".into(),
            esf_plus: true,
            goals: vec![GoalLine {
                name: "Minst 75 % _erbjuds_ #praktik".into(),
                href: String::new(),
                target: "75 % av 21 = 16".into(),
                achieved: small(["3", "1", "0", "4"]),
                status: "Inte än".into(),
                deadline: String::new(),
            }],
            goal_chart: crate::charts::bars(
                "g",
                "Mål",
                &[crate::charts::Bar {
                    label: "Minst 75 % <praktik>".into(),
                    percent: 25,
                    value: "4 av 16".into(),
                }],
            ),
            indicators: vec![IndicatorRow {
                code: "EECO01".into(),
                name: "Deltagare".into(),
                cells: four(["11", "6", "0", "17"]),
            }],
            counted: four(["11", "6", "0", "17"]),
            incomplete: small(["1", "2", "0", "3"]),
            sections: Sections {
                months: vec![("2026-01".into(), four(["12", "8", "0", "20"]))],
                months_chart: crate::charts::columns("m", "Månader", &[("2026-01".into(), 20)]),
                exits: vec![("Arbete".into(), four(["5", "5", "0", "10"]))],
                exits_chart: crate::charts::bars("e", "Avslut", &[]),
                money: vec![("Total budget", "1\u{a0}000\u{a0}000\u{a0}kr".into())],
                assistance: vec![("Vid inskrivning", four(["0", "0", "0", "0"]))],
            },
        }
    }

    #[test]
    fn names_are_escaped_and_the_published_report_has_no_charts() {
        let day = time::macros::date!(2026 - 11 - 20);
        let (exact, files) = markup(&shown(false), Lang::Sv, false, day);
        assert!(exact.contains(r"\#Test \[projekt\] \*1\* \= \<a\> \@b \$c\$"));
        assert!(exact.contains(r"Minst 75 \% \_erbjuds\_ \#praktik"));
        assert!(
            exact.contains("Gjord i Stegvis den 2026\\-11\\-20"),
            "{exact}"
        );
        let names: Vec<&str> = files.iter().map(|f| f.0).collect();
        assert_eq!(names, ["goals.svg", "months.svg", "exits.svg"]);
        let (public, files) = markup(&shown(true), Lang::Sv, true, day);
        assert!(files.is_empty() && !public.contains("image("), "{public}");
        assert!(public.contains("Publicerad rapport"));
        assert!(public.contains(r"[\<5], [\.\.]"), "{public}");
    }

    #[test]
    fn the_report_typesets_in_both_languages_exact_and_published() {
        let day = time::macros::date!(2026 - 11 - 20);
        for l in [Lang::Sv, Lang::En] {
            for published in [false, true] {
                let (source, files) = markup(&shown(published), l, published, day);
                let pdf = stegvis_pdf::render(&source, &files)
                    .unwrap_or_else(|e| panic!("{l:?} {published}: {e}\n{source}"));
                assert!(pdf.starts_with(b"%PDF-"));
            }
        }
    }
}
