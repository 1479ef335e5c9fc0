//! The project's report: goals with live progress by gender (with a chart), the ESF+ indicators
//! and who is not yet counted; downloads as XLSX, CSV or (with the `pdf` feature) PDF, exact or
//! with small cells suppressed for publication.

use super::{Chrome, Id, PageResult, Viewer, download_format, render};
use crate::Lang;
use crate::charts::{Bar, bars};
use crate::export::{Cell, Format, Sheet, download};
use askama::Template;
use axum::extract::{Path, Query, State};
use stegvis_app::reports::ProjectReport;
use stegvis_app::{App, AppError};
use stegvis_domain::report::{BySex, suppress};

#[cfg(feature = "pdf")]
mod pdf;

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ReportQuery {
    pub format: Option<String>,
    /// Small cells suppressed, for a report that leaves the organisation.
    pub published: Option<String>,
}

/// A row of four numbers as shown: exact, or suppressed for publication.
fn cells(n: &BySex, published: bool) -> Vec<String> {
    let exact = n.cells();
    if !published {
        return exact.iter().map(u64::to_string).collect();
    }
    let (parts, total) = suppress(&exact[..3], exact[3]);
    parts
        .iter()
        .chain(std::iter::once(&total))
        .map(ToString::to_string)
        .collect()
}

pub struct GoalLine {
    pub name: String,
    /// The participants behind the number.
    pub href: String,
    pub target: String,
    pub achieved: Vec<String>,
    pub status: String,
    pub deadline: String,
}

pub struct IndicatorRow {
    pub code: String,
    pub name: String,
    pub cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    c: Chrome,
    /// The funder's participant file is offered to project managers only.
    participant_file: bool,
    r: ProjectReport,
    published: bool,
    goals: Vec<GoalLine>,
    chart: String,
    indicators: Vec<IndicatorRow>,
    incomplete: Vec<String>,
    /// Enrolments per month and exits per status: (label, cells), with their charts.
    months: Vec<(String, Vec<String>)>,
    months_chart: String,
    exits: Vec<(String, Vec<String>)>,
    exits_chart: String,
    money: Vec<(&'static str, String)>,
    /// Social assistance: (label, cells) for at entry, asked after six months, still then.
    assistance: Vec<(&'static str, Vec<String>)>,
    /// Whether this build makes PDFs (the cargo feature `pdf`).
    pdf: bool,
    /// Project managers set the value of a participant hour.
    sets_hour_value: bool,
}

/// The goals' chart and table rows, as the project page and the report page show them.
pub fn goals_view(r: &ProjectReport, l: Lang, published: bool) -> (String, Vec<GoalLine>) {
    (goal_chart(r, l), goal_lines(r, l, published))
}

fn goal_chart(r: &ProjectReport, l: Lang) -> String {
    bars(
        "goal-chart",
        l.t(
            "Måluppfyllelse i procent av det som krävs. Samma siffror finns i tabellen.",
            "Goal progress as a percentage of what is needed. The table has the same numbers.",
        ),
        &r.goals
            .iter()
            .map(|g| Bar {
                label: g.name.clone(),
                percent: g.progress_percent,
                value: format!("{} {} {}", g.achieved.total(), l.t("av", "of"), g.needed),
            })
            .collect::<Vec<_>>(),
    )
}

fn goal_lines(r: &ProjectReport, l: Lang, published: bool) -> Vec<GoalLine> {
    r.goals
        .iter()
        .map(|g| GoalLine {
            href: format!("/projects/{}/goals/{}", r.project_id, g.id),
            name: g.name.clone(),
            target: if g.definition["measure"] == "share" {
                format!(
                    "{} % {} {} = {}",
                    g.definition["percent"],
                    l.t("av", "of"),
                    g.base.total(),
                    g.needed
                )
            } else {
                g.needed.to_string()
            },
            achieved: cells(&g.achieved, published),
            status: if g.met {
                l.t("Uppnått", "Met")
            } else {
                l.t("Inte än", "Not yet")
            }
            .to_owned(),
            deadline: g.deadline.map(|d| d.to_string()).unwrap_or_default(),
        })
        .collect()
}

fn indicator_rows(
    lines: &[stegvis_app::reports::IndicatorLine],
    l: Lang,
    published: bool,
) -> Vec<IndicatorRow> {
    lines
        .iter()
        .map(|i| IndicatorRow {
            code: i.code.clone(),
            name: if l == Lang::En {
                i.name_en.clone()
            } else {
                i.name_sv.clone()
            },
            cells: cells(&i.count, published),
        })
        .collect()
}

/// The report's sections below the indicators, as the page shows them and the PDF prints them:
/// the same cells, so that every copy of the report carries the same numbers.
struct Sections {
    /// Enrolments per month and exits per status: (label, cells), with their charts.
    months: Vec<(String, Vec<String>)>,
    months_chart: String,
    exits: Vec<(String, Vec<String>)>,
    exits_chart: String,
    money: Vec<(&'static str, String)>,
    /// Social assistance: (label, cells) for at entry, asked after six months, still then.
    assistance: Vec<(&'static str, Vec<String>)>,
}

fn sections(r: &ProjectReport, l: Lang, published: bool) -> Sections {
    let months = r
        .enrolments_by_month
        .iter()
        .map(|m| (m.label.clone(), cells(&m.count, published)))
        .collect();
    let months_chart = crate::charts::columns(
        "months-chart",
        l.t(
            "Inskrivningar per månad. Samma siffror finns i tabellen.",
            "Enrolments per month. The table has the same numbers.",
        ),
        &r.enrolments_by_month
            .iter()
            .map(|m| (m.label.clone(), m.count.total()))
            .collect::<Vec<_>>(),
    );
    let exit_label = |code: &str| {
        stegvis_domain::enrolment::ExitStatus::from_code(code)
            .map_or(code.to_owned(), |s| s.label(l.code()).to_owned())
    };
    let exits = r
        .exits_by_status
        .iter()
        .map(|e| (exit_label(&e.label), cells(&e.count, published)))
        .collect();
    let max = r
        .exits_by_status
        .iter()
        .map(|e| e.count.total())
        .max()
        .unwrap_or(0)
        .max(1);
    let exits_chart = bars(
        "exits-chart",
        l.t(
            "Avslut per status. Samma siffror, per kön, finns i tabellen.",
            "Exits by status. The table has the same numbers, by gender.",
        ),
        &r.exits_by_status
            .iter()
            .map(|e| Bar {
                label: exit_label(&e.label),
                percent: (e.count.total() * 100 / max) as u8,
                value: e.count.total().to_string(),
            })
            .collect::<Vec<_>>(),
    );
    let sek = |n: i64| stegvis_domain::money::Sek(n).display_sv();
    let m = &r.money;
    let money = vec![
        (l.t("Total budget", "Total budget"), sek(m.total_budget_sek)),
        (
            l.t("Beviljat ESF-stöd", "Granted ESF support"),
            sek(m.esf_support_sek),
        ),
        (
            l.t(
                "Medfinansiering (budget utöver ESF-stödet)",
                "Co-financing (budget beyond the ESF support)",
            ),
            sek(m.cofinancing_sek),
        ),
        (
            l.t(
                "Budget per inskriven deltagare",
                "Budget per participant enrolled",
            ),
            m.cost_per_participant_sek.map_or_else(
                || l.t("ingen inskriven än", "none enrolled yet").to_owned(),
                sek,
            ),
        ),
        (
            l.t("Närvaro, hela timmar", "Attendance, whole hours"),
            m.whole_hours.to_string(),
        ),
        (
            l.t("Värde per deltagartimme", "Value per participant hour"),
            m.participant_hour_value_ore.map_or_else(
                || l.t("inte angivet", "not set").to_owned(),
                |v| stegvis_domain::money::Ore(v).display_sv(),
            ),
        ),
        (
            l.t(
                "Deltagartid som medfinansiering (hela timmar × värdet)",
                "Participant time as co-financing (whole hours × the value)",
            ),
            m.participant_time_value_sek.map_or_else(
                || {
                    l.t("ange värdet per timme", "set the value per hour")
                        .to_owned()
                },
                sek,
            ),
        ),
    ];
    let assistance = vec![
        (
            l.t(
                "Med ekonomiskt bistånd vid inskrivning",
                "On social assistance at entry",
            ),
            cells(&r.social_assistance.at_entry, published),
        ),
        (
            l.t(
                "Av dem: tillfrågade 6 månader efter avslut",
                "Of them: asked six months after leaving",
            ),
            cells(&r.social_assistance.asked_after, published),
        ),
        (
            l.t(
                "Av dem: har fortfarande ekonomiskt bistånd",
                "Of them: still on social assistance",
            ),
            cells(&r.social_assistance.still_after, published),
        ),
    ];
    Sections {
        months,
        months_chart,
        exits,
        exits_chart,
        money,
        assistance,
    }
}

/// `GET /projects/{id}/report[?published=1]`
pub async fn show(
    State(app): State<App>,
    v: Viewer,
    Id(project_id): Id,
    Query(q): Query<ReportQuery>,
) -> PageResult {
    let actor = &v.actor;
    let l = v.lang;
    let published = q.published.is_some_and(|p| p == "1");
    let (r, project) = (
        app.project_report(actor, project_id).await,
        app.project(actor, project_id).await,
    );
    let (r, project) = (r?, project?);
    let s = sections(&r, l, published);
    Ok(render(&ReportPage {
        c: v.chrome("projects"),
        goals: goal_lines(&r, l, published),
        indicators: indicator_rows(&r.indicators, l, published),
        incomplete: cells(&r.incomplete, published),
        chart: goal_chart(&r, l),
        months: s.months,
        months_chart: s.months_chart,
        exits: s.exits,
        exits_chart: s.exits_chart,
        money: s.money,
        assistance: s.assistance,
        pdf: cfg!(feature = "pdf"),
        sets_hour_value: super::participant_time::sets_hour_value(actor, &project),
        participant_file: super::participant_time::may(
            actor,
            &project,
            stegvis_app::policy::Function::ParticipantFile,
            stegvis_app::policy::Action::Read,
        ),
        published,
        r,
    }))
}

/// The sheet the downloads carry: goals, then indicators, then who is not yet counted; the
/// numbers as numbers, except suppressed cells.
fn sheet(r: &ProjectReport, l: Lang, published: bool) -> Sheet {
    let num = |s: &String| match s.parse::<f64>() {
        Ok(n) => Cell::Number(n),
        Err(_) => Cell::Text(s.clone()),
    };
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for g in goal_lines(r, l, published) {
        let mut row = vec![Cell::Text(l.t("Mål", "Goal").into()), Cell::Text(g.name)];
        row.extend(g.achieved.iter().map(num));
        row.push(Cell::Text(g.target));
        rows.push(row);
    }
    for i in indicator_rows(&r.indicators, l, published) {
        let mut row = vec![Cell::Text(i.code), Cell::Text(i.name)];
        row.extend(i.cells.iter().map(num));
        row.push(Cell::Text(String::new()));
        rows.push(row);
    }
    let mut row = vec![
        Cell::Text(String::new()),
        Cell::Text(
            l.t(
                "Ej räknade: bakgrundsfrågor saknas",
                "Not counted: baseline incomplete",
            )
            .into(),
        ),
    ];
    row.extend(cells(&r.incomplete, published).iter().map(num));
    row.push(Cell::Text(String::new()));
    rows.push(row);
    Sheet {
        title: format!("{} {}", l.t("Rapport", "Report"), r.project_name),
        headers: [
            l.t("Kod", "Code"),
            l.t("Mål eller indikator", "Goal or indicator"),
            l.t("Kvinnor", "Women"),
            l.t("Män", "Men"),
            l.t("Icke-binära", "Non-binary"),
            l.t("Totalt", "Total"),
            l.t("Målvärde", "Target"),
        ]
        .map(str::to_owned)
        .to_vec(),
        rows,
    }
}

/// `GET /projects/{id}/report/export?format=csv|xlsx|pdf[&published=1]`
pub async fn export(
    State(app): State<App>,
    v: Viewer,
    Id(project_id): Id,
    Query(q): Query<ReportQuery>,
) -> PageResult {
    let actor = &v.actor;
    let l = v.lang;
    let published = q.published.is_some_and(|p| p == "1");
    if q.format.as_deref() == Some("pdf") {
        let r = app.project_report(actor, project_id).await?;
        return pdf_download(&v, r, app.today(), published).await;
    }
    let format = download_format(q.format.as_deref())?;
    let r = app.project_report(actor, project_id).await?;
    Ok(download(
        &sheet(&r, l, published),
        format,
        &format!(
            "{}{}",
            l.t("rapport", "report"),
            if published { "-publicerad" } else { "" }
        ),
    ))
}

/// The report as a PDF, made off the async threads (typesetting takes a moment of CPU).
#[cfg(feature = "pdf")]
async fn pdf_download(
    v: &Viewer,
    r: ProjectReport,
    today: time::Date,
    published: bool,
) -> PageResult {
    use axum::http::{HeaderValue, header};
    use axum::response::IntoResponse;
    let l = v.lang;
    let made = tokio::task::spawn_blocking(move || pdf::render(&r, l, published, today)).await;
    match made {
        Ok(Ok(bytes)) => {
            let stem = if published {
                l.t("rapport-publicerad", "report-published")
            } else {
                l.t("rapport", "report")
            };
            let mut response = bytes.into_response();
            let h = response.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/pdf"),
            );
            if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{stem}.pdf\"")) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            Ok(response)
        }
        Ok(Err(e)) => Err(AppError::Internal(format!("report pdf: {e}")).into()),
        Err(e) => Err(AppError::Internal(format!("report pdf task: {e}")).into()),
    }
}

/// Without the `pdf` feature the binary has no typesetter: say so, and point back to the page
/// and its other downloads, instead of failing.
#[cfg(not(feature = "pdf"))]
async fn pdf_download(
    v: &Viewer,
    r: ProjectReport,
    _today: time::Date,
    _published: bool,
) -> PageResult {
    use axum::response::IntoResponse;
    let l = v.lang;
    let page = super::MessagePage {
        c: v.chrome("projects"),
        title: l
            .t("PDF finns inte här", "PDF is not available here")
            .to_owned(),
        body: l
            .t(
                "Den här installationen av Stegvis är byggd utan PDF-rapporter. Ladda ner rapporten som Excel (XLSX) eller CSV i stället, eller be IT-avdelningen bygga Stegvis med funktionen pdf.",
                "This installation of Stegvis was built without PDF reports. Download the report as Excel (XLSX) or CSV instead, or ask the IT department to build Stegvis with the pdf feature.",
            )
            .to_owned(),
        link_href: format!("/projects/{}/report", r.project_id),
        link_text: l
            .t("Tillbaka till rapporten", "Back to the report")
            .to_owned(),
    };
    // 404: this build has no PDF of the report, as it has none for an unknown format.
    Ok((axum::http::StatusCode::NOT_FOUND, render(&page)).into_response())
}

#[derive(Template)]
#[template(path = "goal_participants.html")]
struct GoalPeoplePage {
    c: Chrome,
    project_id: uuid::Uuid,
    goal: String,
    people: Vec<(uuid::Uuid, String, String)>,
}

/// `GET /projects/{id}/goals/{goal}`: the participants a goal counts.
pub async fn goal_participants(
    State(app): State<App>,
    v: Viewer,
    Id(project_id): Id,
    Path((_, goal)): Path<(String, String)>,
) -> PageResult {
    let goal_id = uuid::Uuid::parse_str(goal.trim()).map_err(|_| AppError::NotFound)?;
    let l = v.lang;
    let (goal, list) = app.goal_participants(&v.actor, project_id, goal_id).await?;
    Ok(render(&GoalPeoplePage {
        c: v.chrome("projects"),
        project_id,
        goal,
        people: list
            .into_iter()
            .map(|p| {
                let gender = stegvis_domain::Gender::from_code(&p.gender)
                    .map_or(p.gender.clone(), |g| g.label(l.code()).to_owned());
                (p.participant_id, p.name, gender)
            })
            .collect(),
    }))
}

/// `GET /projects/{id}/report/participants?format=csv|xlsx`: the funder's participant file.
pub async fn participant_file(
    State(app): State<App>,
    v: Viewer,
    Id(project_id): Id,
    Query(q): Query<ReportQuery>,
) -> PageResult {
    let format = download_format(q.format.as_deref())?;
    let l = v.lang;
    let rows = app.participant_file(&v.actor, project_id).await?;
    let text = |s: &str| Cell::Text(s.to_owned());
    let opt = |s: &Option<String>| Cell::Text(s.clone().unwrap_or_default());
    let yes = |b: Option<bool>| {
        Cell::Text(match b {
            Some(true) => l.t("ja", "yes").into(),
            Some(false) => l.t("nej", "no").into(),
            None => String::new(),
        })
    };
    let sheet = Sheet {
        title: l.t("Deltagarfil", "Participant file").into(),
        headers: [
            l.t("Personnummer", "Identity number"),
            l.t("Identitet", "Identity"),
            l.t("Kön", "Gender"),
            l.t("Födelsedatum", "Date of birth"),
            l.t("Startdatum", "Entry date"),
            l.t("Slutdatum", "Exit date"),
            l.t("Avslutsorsak", "Exit status"),
            l.t("Status vid start", "Status at entry"),
            l.t("Långtidsarbetslös", "Long-term unemployed"),
            l.t("Studerar", "In education"),
            l.t("ISCED", "ISCED"),
            l.t("Funktionsnedsättning", "Disability"),
            l.t("Utländsk bakgrund", "Foreign background"),
            l.t("Hemlös", "Homeless"),
            l.t("Räknas (fullständig)", "Counted (complete)"),
            l.t("Arbetssökande vid avslut", "Job searching on leaving"),
            l.t("Utbildning vid avslut", "In education on leaving"),
            l.t("Kvalifikation vid avslut", "Qualification on leaving"),
            l.t("Arbete vid avslut", "Employed on leaving"),
            l.t("Arbete efter 6 mån", "Employed after 6 months"),
            l.t("Bättre situation efter 6 mån", "Improved after 6 months"),
        ]
        .map(str::to_owned)
        .to_vec(),
        rows: rows
            .iter()
            .map(|r| {
                let date =
                    |d: Option<time::Date>| text(&d.map(|d| d.to_string()).unwrap_or_default());
                vec![
                    text(&r.identity_number),
                    text(&r.identity_mode),
                    text(&r.gender),
                    date(r.birth_date),
                    text(&r.entry_date.to_string()),
                    date(r.exit_date),
                    opt(&r.exit_status),
                    opt(&r.labour_status),
                    opt(&r.long_term_unemployed),
                    opt(&r.in_education),
                    r.isced_level
                        .map_or(text(""), |i| Cell::Number(f64::from(i))),
                    opt(&r.disability),
                    opt(&r.foreign_background),
                    opt(&r.homeless),
                    yes(Some(r.complete)),
                    yes(r.on_leaving.map(|a| a[0])),
                    yes(r.on_leaving.map(|a| a[1])),
                    yes(r.on_leaving.map(|a| a[2])),
                    yes(r.on_leaving.map(|a| a[3])),
                    yes(r.after_six_months.map(|a| a[0])),
                    yes(r.after_six_months.map(|a| a[1])),
                ]
            })
            .collect(),
    };
    Ok(download(
        &sheet,
        format,
        l.t("deltagarfil", "participant-file"),
    ))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RollUpQuery {
    pub municipality: Option<String>,
    pub published: Option<String>,
    pub format: Option<String>,
}

#[derive(Template)]
#[template(path = "rollup.html")]
struct RollUpPage {
    c: Chrome,
    published: bool,
    municipality: String,
    municipalities: Vec<crate::forms::OptionView>,
    error: Option<String>,
    /// (code, name, cells) summed over the projects.
    indicators: Vec<IndicatorRow>,
    incomplete: Vec<String>,
    /// (project id, name, counted, employed on leaving, employed after six months, not counted)
    projects: Vec<(uuid::Uuid, String, String, String, String, String)>,
    query: String,
}

/// `GET /reports/rollup[?municipality=…][&published=1][&format=csv|xlsx]`: every project the
/// organisation runs, or those in one municipality, summed.
pub async fn rollup(State(app): State<App>, v: Viewer, Query(q): Query<RollUpQuery>) -> PageResult {
    let actor = &v.actor;
    let l = v.lang;
    let published = q.published.as_deref() == Some("1");
    let chosen = q.municipality.clone().unwrap_or_default();
    let (r, error) = match app.rollup(actor, Some(&chosen)).await {
        Ok(r) => (r, None),
        Err(AppError::Invalid(errors)) => (
            app.rollup(actor, None).await?,
            errors.first().map(|e| e.message.get(l.code()).to_owned()),
        ),
        Err(e) => return Err(e.into()),
    };
    if let Some(format) = q.format.as_deref().and_then(Format::parse) {
        let num = |s: &String| match s.parse::<f64>() {
            Ok(n) => Cell::Number(n),
            Err(_) => Cell::Text(s.clone()),
        };
        let sheet = Sheet {
            title: l.t("Sammanställning", "Roll-up").into(),
            headers: [
                l.t("Kod", "Code"),
                l.t("Indikator", "Indicator"),
                l.t("Kvinnor", "Women"),
                l.t("Män", "Men"),
                l.t("Icke-binära", "Non-binary"),
                l.t("Totalt", "Total"),
            ]
            .map(str::to_owned)
            .to_vec(),
            rows: indicator_rows(&r.indicators, l, published)
                .into_iter()
                .map(|i| {
                    let mut row = vec![Cell::Text(i.code), Cell::Text(i.name)];
                    row.extend(i.cells.iter().map(num));
                    row
                })
                .collect(),
        };
        return Ok(download(&sheet, format, l.t("sammanstallning", "roll-up")));
    }
    let total = |lines: &[stegvis_app::reports::IndicatorLine], code: &str| {
        lines
            .iter()
            .find(|i| i.code == code)
            .map(|i| cells(&i.count, published)[3].clone())
            .unwrap_or_default()
    };
    let page = RollUpPage {
        c: v.chrome("projects"),
        published,
        municipality: r.municipality.clone().unwrap_or_default(),
        municipalities: r
            .municipalities
            .iter()
            .map(|m| crate::forms::OptionView {
                value: m.clone(),
                label: m.clone(),
                checked: r.municipality.as_deref() == Some(m.as_str()),
            })
            .collect(),
        error,
        indicators: indicator_rows(&r.indicators, l, published),
        incomplete: cells(&r.incomplete, published),
        projects: r
            .projects
            .iter()
            .map(|p| {
                (
                    p.project_id,
                    p.name.clone(),
                    total(&p.indicators, "EECO01"),
                    total(&p.indicators, "EECR04"),
                    total(&p.indicators, "EECR05"),
                    cells(&p.incomplete, published)[3].clone(),
                )
            })
            .collect(),
        query: form_urlencoded::Serializer::new(String::new())
            .append_pair(
                "municipality",
                r.municipality.as_deref().unwrap_or_default(),
            )
            .finish(),
    };
    Ok(render(&page))
}
