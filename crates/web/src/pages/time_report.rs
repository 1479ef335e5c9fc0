//! The project's monthly time report: whole hours per participant, on screen and as CSV or XLSX.

use super::{Chrome, Id, PageResult, Viewer, download_format, render};
use crate::Lang;
use crate::export::{Cell, Sheet, download};
use crate::forms::{ErrorView, TextField, error_views};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use stegvis_app::time_reports::ProjectTimeReport;
use stegvis_app::{App, AppError};
use time::{Date, Month};
use uuid::Uuid;

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ReportQuery {
    pub month: Option<String>,
    pub format: Option<String>,
}

#[derive(Template)]
#[template(path = "time_report.html")]
struct ReportPage {
    c: Chrome,
    errors: Vec<ErrorView>,
    project_id: Uuid,
    project_name: String,
    month: TextField,
    report: Option<ProjectTimeReport>,
    previous: String,
    next: String,
}

impl ReportPage {
    fn hours(&self, minutes: &u64) -> String {
        super::caseload::hours(*minutes as i64)
    }
}

/// The month before the one `today` is in: the month a report is usually due for.
fn last_month(today: Date) -> String {
    let (y, m) = match today.month() {
        Month::January => (today.year() - 1, Month::December),
        m => (today.year(), m.previous()),
    };
    format!("{y:04}-{:02}", m as u8)
}

fn shift(month: &str, by: i32) -> String {
    let Some((y, m)) = stegvis_app::activities::parse_month(month) else {
        return month.to_owned();
    };
    let n = y * 12 + (m as i32 - 1) + by;
    format!("{:04}-{:02}", n.div_euclid(12), n.rem_euclid(12) + 1)
}

/// The sheet the downloads carry: the page's table with the ESF figures as numbers.
pub fn sheet(r: &ProjectTimeReport, l: Lang) -> Sheet {
    let mut rows: Vec<Vec<Cell>> = r
        .participants
        .iter()
        .map(|p| {
            vec![
                Cell::Text(p.participant_name.clone()),
                Cell::Text(p.participant_id.to_string()),
                Cell::Number(p.whole_hours as f64),
                Cell::Number(p.attended_minutes as f64),
                Cell::Number(f64::from(p.days_attended)),
                Cell::Number(f64::from(p.absences)),
            ]
        })
        .collect();
    rows.push(vec![
        Cell::Text(l.t("Summa", "Total").into()),
        Cell::Text(String::new()),
        Cell::Number(r.total_whole_hours as f64),
        Cell::Number(r.total_minutes as f64),
        Cell::Text(String::new()),
        Cell::Text(String::new()),
    ]);
    Sheet {
        title: format!("{} {}", l.t("Tidrapport", "Time report"), r.month),
        headers: vec![
            l.t("Deltagare", "Participant").into(),
            l.t("Deltagar-id", "Participant id").into(),
            l.t("Hela timmar", "Whole hours").into(),
            l.t("Minuter", "Minutes").into(),
            l.t("Dagar med närvaro", "Days attended").into(),
            l.t("Frånvarotillfällen", "Absences").into(),
        ],
        rows,
    }
}

pub async fn show(
    State(app): State<App>,
    v: Viewer,
    Id(project_id): Id,
    Query(q): Query<ReportQuery>,
) -> PageResult {
    let actor = &v.actor;
    let l = v.lang;
    let month = q
        .month
        .clone()
        .filter(|m| !m.trim().is_empty())
        .unwrap_or_else(|| last_month(app.today()));
    let (report, errors, status) = match app.project_time_report(actor, project_id, &month).await {
        Ok(r) => (Some(r), Vec::new(), StatusCode::OK),
        Err(AppError::Invalid(errors)) => (None, errors, StatusCode::UNPROCESSABLE_ENTITY),
        Err(e) => return Err(e.into()),
    };
    let project_name = match &report {
        Some(r) => r.project_name.clone(),
        None => app.project(actor, project_id).await?.facts.name,
    };
    let page = ReportPage {
        c: v.chrome("projects"),
        errors: error_views(&errors, l),
        project_id,
        project_name,
        month: TextField::new(
            "month",
            l.t("Månad", "Month"),
            l.t(
                "Som ÅÅÅÅ-MM, till exempel 2026-03.",
                "As YYYY-MM, for example 2026-03.",
            ),
            "text",
            month.clone(),
            &errors,
            l,
        ),
        previous: shift(&month, -1),
        next: shift(&month, 1),
        report,
    };
    Ok((status, render(&page)).into_response())
}

pub async fn export(
    State(app): State<App>,
    v: Viewer,
    Id(project_id): Id,
    Query(q): Query<ReportQuery>,
) -> PageResult {
    let format = download_format(q.format.as_deref())?;
    let month = q.month.unwrap_or_default();
    let r = app
        .project_time_report(&v.actor, project_id, &month)
        .await?;
    let l = v.lang;
    Ok(download(
        &sheet(&r, l),
        format,
        &format!("{}-{}", l.t("tidrapport", "time-report"), r.month),
    ))
}
