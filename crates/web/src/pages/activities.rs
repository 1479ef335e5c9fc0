//! A project's activities, and attendance for a whole group on one day.

use super::{Chrome, actor_and_id, after_post, chrome, fail, render, require};
use crate::forms::{ChoiceField, ErrorView, FormData, OptionView, error_for, error_views, options};
use crate::session::Ctx;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use stegvis_app::activities::{ActivityInput, AttendanceLine, GroupAttendanceInput};
use stegvis_app::{App, AppError, FieldError};
use stegvis_domain::attendance::{AbsenceReason, ActivityKind};
use uuid::Uuid;

#[derive(Template)]
#[template(path = "activities.html")]
struct ActivitiesPage {
    c: Chrome,
    errors: Vec<ErrorView>,
    project_id: Uuid,
    project_name: String,
    /// Name, kind, id and when it meets.
    activities: Vec<(String, String, Uuid, String)>,
    kind: ChoiceField,
    name: String,
    name_error: Option<String>,
}

async fn activities_page(
    ctx: &Ctx,
    app: &App,
    uri: &Uri,
    id: &str,
    input: &ActivityInput,
    errors: &[FieldError],
    status: StatusCode,
) -> Response {
    let (actor, pid) = match actor_and_id(ctx, uri, id) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let l = ctx.lang;
    let (project, list) = match (
        app.project(actor, pid).await,
        app.activities(actor, pid).await,
    ) {
        (Ok(p), Ok(a)) => (p, a),
        (Err(e), _) | (_, Err(e)) => return fail(ctx, uri, e),
    };
    let activities = list
        .into_iter()
        .map(|a| {
            (
                a.name,
                ActivityKind::from_code(&a.kind)
                    .map_or(a.kind.clone(), |k| k.label(l.code()).to_owned()),
                a.id,
                a.schedules
                    .iter()
                    .map(|s| s.describe(l.code()))
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })
        .collect();
    let page = ActivitiesPage {
        c: chrome(ctx, "projects", uri),
        errors: error_views(errors, l),
        project_id: pid,
        project_name: project.facts.name,
        activities,
        kind: ChoiceField {
            options: options(
                ActivityKind::ALL
                    .iter()
                    .map(|k| (k.code(), k.label(l.code()).to_owned())),
                &input.kind,
            ),
            error: error_for(errors, "kind", l),
        },
        name: input.name.clone(),
        name_error: error_for(errors, "name", l),
    };
    (status, render(&page)).into_response()
}

pub async fn list(
    Extension(ctx): Extension<Ctx>,
    State(app): State<App>,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    activities_page(
        &ctx,
        &app,
        &uri,
        &id,
        &ActivityInput::default(),
        &[],
        StatusCode::OK,
    )
    .await
}

pub async fn create(
    Extension(ctx): Extension<Ctx>,
    State(app): State<App>,
    uri: Uri,
    Path(id): Path<String>,
    Form(form): Form<FormData>,
) -> Response {
    let (actor, pid) = match actor_and_id(&ctx, &uri, &id) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let input = ActivityInput {
        kind: form.get("kind"),
        name: form.get("name"),
    };
    let result = app.create_activity(actor, pid, &input).await;
    let again = async |errors: Vec<FieldError>, status| {
        activities_page(&ctx, &app, &uri, &id, &input, &errors, status).await
    };
    after_post(
        &ctx,
        &uri,
        result,
        |_| format!("/projects/{pid}/activities"),
        None,
        again,
    )
    .await
}

/// One participant's row on the attendance form.
pub struct Row {
    pub index: usize,
    pub participant_id: Uuid,
    pub name: String,
    pub hours: String,
    pub absence: Vec<OptionView>,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "attendance.html")]
struct AttendancePage {
    c: Chrome,
    errors: Vec<ErrorView>,
    activity_id: Uuid,
    activity_name: String,
    project_id: Uuid,
    date: String,
    saved: Option<usize>,
    rows: Vec<Row>,
    /// What the schedule says about the day, if the activity has one.
    session_note: Option<String>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DateQuery {
    date: Option<String>,
    saved: Option<usize>,
}

/// What the attendance page shows besides the roster.
struct Shown<'a> {
    date: String,
    saved: Option<usize>,
    posted: &'a FormData,
    errors: &'a [FieldError],
    status: StatusCode,
}

async fn attendance_page(ctx: &Ctx, app: &App, uri: &Uri, id: &str, shown: Shown<'_>) -> Response {
    let actor = match require(ctx, uri) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let l = ctx.lang;
    let Shown {
        date,
        saved,
        posted,
        errors,
        status,
    } = shown;
    let Ok(aid) = Uuid::parse_str(id) else {
        return fail(ctx, uri, AppError::NotFound);
    };
    let activity = match app.activity(actor, aid).await {
        Ok(a) => a,
        Err(e) => return fail(ctx, uri, e),
    };
    let mut date_errors = Vec::new();
    let day = stegvis_app::enrolments::parse_date("date", &date, &mut date_errors)
        .unwrap_or_else(|| app.today());
    let roster = match app.roster(actor, aid, day).await {
        Ok(r) => r,
        Err(e) => return fail(ctx, uri, e),
    };
    let schedules = match app.schedules(actor, aid).await {
        Ok(s) => s,
        Err(e) => return fail(ctx, uri, e),
    };
    let session_note = session_note(&schedules, day, l);
    let rows = roster
        .into_iter()
        .enumerate()
        .map(|(i, r)| Row {
            index: i,
            hours: posted.get(&format!("h{i}")),
            absence: options(
                AbsenceReason::ALL
                    .iter()
                    .map(|a| (a.code(), a.label(l.code()).to_owned())),
                &posted.get(&format!("a{i}")),
            ),
            error: error_for(errors, &format!("row{i}"), l),
            participant_id: r.participant_id,
            name: r.name,
        })
        .collect();
    let page = AttendancePage {
        c: chrome(ctx, "projects", uri),
        errors: error_views(errors, l),
        activity_id: aid,
        activity_name: activity.name,
        project_id: activity.project_id,
        date: day.to_string(),
        saved,
        rows,
        session_note,
    };
    (status, render(&page)).into_response()
}

/// "Enligt schemat: tisdagar 09:00–12:00 (3 h)" for a day with a session.
fn session_note(
    schedules: &[stegvis_app::schedules::ScheduleView],
    day: time::Date,
    l: crate::Lang,
) -> Option<String> {
    if schedules.is_empty() {
        return None;
    }
    let today: Vec<String> = schedules
        .iter()
        .filter(|s| s.schedule().is_some_and(|x| x.occurs_on(day)))
        .map(|s| {
            let place = s
                .place
                .as_deref()
                .map(|p| format!(", {p}"))
                .unwrap_or_default();
            format!(
                "{} ({}){place}",
                s.describe(l.code()),
                super::caseload::hours(i64::from(s.minutes))
            )
        })
        .collect();
    Some(if today.is_empty() {
        l.t(
            "Aktiviteten har inget pass enligt schemat den här dagen.",
            "The activity has no session on this day according to its schedule.",
        )
        .to_owned()
    } else {
        format!(
            "{} {}",
            l.t("Enligt schemat:", "Scheduled:"),
            today.join("; ")
        )
    })
}

/// The latest scheduled session up to today, or today: the day a coach most likely records.
async fn default_day(app: &App, ctx: &Ctx, activity_id: Uuid) -> String {
    let today = app.today();
    let latest = match ctx.actor() {
        Some(actor) => app
            .schedules(actor, activity_id)
            .await
            .unwrap_or_default()
            .iter()
            .filter_map(|s| s.schedule()?.latest_on_or_before(today))
            // Only a session this past week: an ended schedule must not send the form years back.
            .filter(|d| *d > today - time::Duration::days(7))
            .max(),
        None => None,
    };
    latest.unwrap_or(today).to_string()
}

pub async fn form(
    Extension(ctx): Extension<Ctx>,
    State(app): State<App>,
    uri: Uri,
    Path(id): Path<String>,
    Query(q): Query<DateQuery>,
) -> Response {
    let date = match q.date {
        Some(d) => d,
        None => default_day(&app, &ctx, id.parse().unwrap_or_default()).await,
    };
    attendance_page(
        &ctx,
        &app,
        &uri,
        &id,
        Shown {
            date,
            saved: q.saved,
            posted: &FormData::default(),
            errors: &[],
            status: StatusCode::OK,
        },
    )
    .await
}

pub async fn submit(
    Extension(ctx): Extension<Ctx>,
    State(app): State<App>,
    uri: Uri,
    Path(id): Path<String>,
    Form(form): Form<FormData>,
) -> Response {
    let (actor, aid) = match actor_and_id(&ctx, &uri, &id) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    // Rows left empty are not recorded; remember which form row each line came from.
    let mut rows = Vec::new();
    let mut entries = Vec::new();
    for i in 0.. {
        let pid = form.get(&format!("p{i}"));
        if pid.is_empty() {
            break;
        }
        let (hours, absence) = (form.get(&format!("h{i}")), form.get(&format!("a{i}")));
        if hours.trim().is_empty() && absence.is_empty() {
            continue;
        }
        rows.push(i);
        entries.push(AttendanceLine {
            participant_id: pid,
            hours: Some(hours).filter(|h| !h.trim().is_empty()),
            absence_reason: Some(absence).filter(|a| !a.is_empty()),
        });
    }
    let date = form.get("date");
    let input = GroupAttendanceInput {
        date: date.clone(),
        entries,
    };
    let result = app.record_attendance(actor, aid, &input).await;
    let again = async |errors: Vec<FieldError>, status| {
        // `entries[k].x` names the k-th submitted line: point it at its form row.
        let mapped: Vec<FieldError> = errors
            .into_iter()
            .map(|e| {
                let row = e
                    .field
                    .strip_prefix("entries[")
                    .and_then(|r| r.split(']').next())
                    .and_then(|k| k.parse::<usize>().ok())
                    .and_then(|k| rows.get(k));
                match row {
                    Some(i) => FieldError {
                        field: format!("row{i}"),
                        message: e.message,
                    },
                    None => e,
                }
            })
            .collect();
        let shown = Shown {
            date: date.clone(),
            saved: None,
            posted: &form,
            errors: &mapped,
            status,
        };
        attendance_page(&ctx, &app, &uri, &id, shown).await
    };
    let next = |done: stegvis_app::activities::AttendanceRecorded| {
        format!(
            "/activities/{aid}/attendance?date={date}&saved={}",
            done.recorded
        )
    };
    after_post(&ctx, &uri, result, next, None, again).await
}
