//! An activity's weekly schedule: what it has, and a form to add a time.

use super::{Chrome, Id, PageResult, Viewer, after_post, render};
use crate::forms::{ChoiceField, ErrorView, PageForm, TextField, error_for, error_views, options};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use stegvis_app::schedules::ScheduleInput;
use stegvis_app::{App, FieldError};
use stegvis_domain::schedule::{weekday_from_number, weekday_label};
use uuid::Uuid;

#[derive(Template)]
#[template(path = "schedule_form.html")]
struct SchedulePage {
    c: Chrome,
    errors: Vec<ErrorView>,
    activity_id: Uuid,
    activity_name: String,
    project_id: Uuid,
    existing: Vec<String>,
    weekday: ChoiceField,
    fields: Vec<TextField>,
}

async fn page(
    app: &App,
    v: &Viewer,
    aid: Uuid,
    input: &ScheduleInput,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let l = v.lang;
    let (activity, schedules) = (
        app.activity(&v.actor, aid).await,
        app.schedules(&v.actor, aid).await,
    );
    let (activity, schedules) = (activity?, schedules?);
    let existing = schedules
        .iter()
        .map(|s| {
            let until = s
                .valid_to
                .map(|d| format!(" {} {d}", l.t("till och med", "until")))
                .unwrap_or_default();
            let place = s
                .place
                .as_deref()
                .map(|p| format!(", {p}"))
                .unwrap_or_default();
            format!(
                "{}{place} ({} {}{until})",
                s.describe(l.code()),
                l.t("från", "from"),
                s.valid_from
            )
        })
        .collect();
    let days: Vec<(String, String)> = (1..=7)
        .filter_map(|n| {
            let w = weekday_from_number(n)?;
            Some((n.to_string(), weekday_label(w, l.code()).to_owned()))
        })
        .collect();
    let field = |name: &str, label: &str, hint: &str, kind: &'static str, value: &str| {
        TextField::new(name, label, hint, kind, value.to_owned(), errors, l)
    };
    let p = SchedulePage {
        c: v.chrome("projects"),
        errors: error_views(errors, l),
        activity_id: aid,
        activity_name: activity.name,
        project_id: activity.project_id,
        existing,
        weekday: ChoiceField {
            options: options(
                days.iter().map(|(v, n)| (v.as_str(), n.clone())),
                &input.weekday,
            ),
            error: error_for(errors, "weekday", l),
        },
        fields: vec![
            field(
                "starts_at",
                l.t("Starttid", "Start time"),
                l.t("Till exempel 09:00.", "For example 09:00."),
                "time",
                &input.starts_at,
            ),
            field(
                "hours",
                l.t("Längd i timmar", "Length in hours"),
                l.t(
                    "Till exempel 3, 2,5 eller 2:30.",
                    "For example 3, 2.5 or 2:30.",
                ),
                "text",
                &input.hours,
            ),
            field(
                "valid_from",
                l.t("Första dagen", "First day"),
                l.t("Till exempel 2026-03-01.", "For example 2026-03-01."),
                "date",
                &input.valid_from,
            ),
            field(
                "valid_to",
                l.t("Sista dagen (valfritt)", "Last day (optional)"),
                l.t(
                    "Lämna tomt om det pågår tills vidare.",
                    "Leave empty if it runs until further notice.",
                ),
                "date",
                input.valid_to.as_deref().unwrap_or(""),
            ),
            field(
                "place",
                l.t("Plats (valfritt)", "Place (optional)"),
                "",
                "text",
                input.place.as_deref().unwrap_or(""),
            ),
        ],
    };
    Ok((status, render(&p)).into_response())
}

pub async fn form(State(app): State<App>, v: Viewer, Id(aid): Id) -> PageResult {
    let input = ScheduleInput {
        valid_from: app.today().to_string(),
        ..Default::default()
    };
    page(&app, &v, aid, &input, &[], StatusCode::OK).await
}

pub async fn submit(
    State(app): State<App>,
    v: Viewer,
    Id(aid): Id,
    PageForm(input): PageForm<ScheduleInput>,
) -> PageResult {
    let result = app.add_schedule(&v.actor, aid, &input).await;
    let again =
        async |errors: Vec<FieldError>, status| page(&app, &v, aid, &input, &errors, status).await;
    after_post(
        result,
        |_| format!("/activities/{aid}/schedule"),
        None,
        again,
    )
    .await
}
