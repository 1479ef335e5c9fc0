//! The coach's caseload: the page a coach opens every morning.

use super::{Chrome, chrome, fail, render, require};
use crate::session::Ctx;
use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::Uri;
use axum::response::Response;
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

pub async fn show(
    Extension(ctx): Extension<Ctx>,
    State(app): State<App>,
    uri: Uri,
    Query(q): Query<CaseloadQuery>,
) -> Response {
    let actor = match require(&ctx, &uri) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let unassigned = q.visa.as_deref() == Some("utan-coach");
    match app.caseload(actor, unassigned).await {
        Ok(caseload) => render(&CaseloadPage {
            c: chrome(&ctx, "caseload", &uri),
            unassigned,
            caseload,
        }),
        Err(e) => fail(&ctx, &uri, e),
    }
}
