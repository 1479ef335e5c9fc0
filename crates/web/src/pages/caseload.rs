//! The coach's caseload: the page a coach opens every morning.

use super::{Chrome, PageResult, Viewer, render};
use askama::Template;
use axum::extract::{Query, State};
use stegvis_app::App;
use stegvis_app::caseload::{Caseload, CaseloadEntry};

/// `?visa=utan-coach` shows the organisation's participants who have no coach.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CaseloadQuery {
    pub visa: Option<String>,
}

#[derive(Template)]
#[template(path = "caseload.html")]
struct CaseloadPage {
    c: Chrome,
    unassigned: bool,
    caseload: Caseload,
}

/// Attended time as hours and minutes, the way the time report counts it.
pub fn hours(minutes: i64) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    if m == 0 {
        format!("{h} h")
    } else {
        format!("{h} h {m} min")
    }
}

impl CaseloadPage {
    fn recent(&self, e: &CaseloadEntry) -> String {
        hours(e.recent_minutes)
    }
}

pub async fn show(State(app): State<App>, v: Viewer, Query(q): Query<CaseloadQuery>) -> PageResult {
    let unassigned = q.visa.as_deref() == Some("utan-coach");
    let caseload = app.caseload(&v.actor, unassigned).await?;
    Ok(render(&CaseloadPage {
        c: v.chrome("caseload"),
        unassigned,
        caseload,
    }))
}
