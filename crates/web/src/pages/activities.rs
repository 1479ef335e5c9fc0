//! A project's activities, and attendance for a whole group on one day.

use super::{Chrome, Id, PageResult, Viewer, after_post, render};
use crate::forms::{
    ChoiceField, ErrorView, OptionView, PageForm, Posted, error_for, error_views, options,
};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use stegvis_app::activities::{ActivityInput, AttendanceLine, GroupAttendanceInput};
use stegvis_app::{App, FieldError};
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
    app: &App,
    v: &Viewer,
    pid: Uuid,
    input: &ActivityInput,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let l = v.lang;
    let (project, list) = (
        app.project(&v.actor, pid).await,
        app.activities(&v.actor, pid).await,
    );
    let (project, list) = (project?, list?);
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
        c: v.chrome("projects"),
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
    Ok((status, render(&page)).into_response())
}

pub async fn list(State(app): State<App>, v: Viewer, Id(pid): Id) -> PageResult {
    let input = ActivityInput::default();
    activities_page(&app, &v, pid, &input, &[], StatusCode::OK).await
}

pub async fn create(
    State(app): State<App>,
    v: Viewer,
    Id(pid): Id,
    PageForm(input): PageForm<ActivityInput>,
) -> PageResult {
    let result = app.create_activity(&v.actor, pid, &input).await;
    let again = async |errors: Vec<FieldError>, status| {
        activities_page(&app, &v, pid, &input, &errors, status).await
    };
    after_post(
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
    /// The rows as posted, by form row.
    posted: &'a [AttendanceLine],
    errors: &'a [FieldError],
    status: StatusCode,
}

async fn attendance_page(app: &App, v: &Viewer, aid: Uuid, shown: Shown<'_>) -> PageResult {
    let actor = &v.actor;
    let l = v.lang;
    let Shown {
        date,
        saved,
        posted,
        errors,
        status,
    } = shown;
    let activity = app.activity(actor, aid).await?;
    let mut date_errors = Vec::new();
    let day = stegvis_app::input::parse_date("date", &date, &mut date_errors)
        .unwrap_or_else(|| app.today());
    let roster = app.roster(actor, aid, day).await?;
    let schedules = app.schedules(actor, aid).await?;
    let session_note = session_note(&schedules, day, l);
    // What was typed in a row, to show it again.
    let typed = |i: usize, f: fn(&AttendanceLine) -> &Option<String>| {
        posted.get(i).and_then(|p| f(p).clone()).unwrap_or_default()
    };
    let rows = roster
        .into_iter()
        .enumerate()
        .map(|(i, r)| Row {
            index: i,
            hours: typed(i, |p| &p.hours),
            absence: options(
                AbsenceReason::ALL
                    .iter()
                    .map(|a| (a.code(), a.label(l.code()).to_owned())),
                &typed(i, |p| &p.absence_reason),
            ),
            error: error_for(errors, &format!("row{i}"), l),
            participant_id: r.participant_id,
            name: r.name,
        })
        .collect();
    let page = AttendancePage {
        c: v.chrome("projects"),
        errors: error_views(errors, l),
        activity_id: aid,
        activity_name: activity.name,
        project_id: activity.project_id,
        date: day.to_string(),
        saved,
        rows,
        session_note,
    };
    Ok((status, render(&page)).into_response())
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
async fn default_day(app: &App, v: &Viewer, activity_id: Uuid) -> String {
    let today = app.today();
    let latest = app
        .schedules(&v.actor, activity_id)
        .await
        .unwrap_or_default()
        .iter()
        .filter_map(|s| s.schedule()?.latest_on_or_before(today))
        // Only a session this past week: an ended schedule must not send the form years back.
        .filter(|d| *d > today - time::Duration::days(7))
        .max();
    latest.unwrap_or(today).to_string()
}

pub async fn form(
    State(app): State<App>,
    v: Viewer,
    Id(aid): Id,
    Query(q): Query<DateQuery>,
) -> PageResult {
    let date = match q.date {
        Some(d) => d,
        None => default_day(&app, &v, aid).await,
    };
    let shown = Shown {
        date,
        saved: q.saved,
        posted: &[],
        errors: &[],
        status: StatusCode::OK,
    };
    attendance_page(&app, &v, aid, shown).await
}

/// The roster's rows come as `entries.<row>.participant_id`, `.hours` and `.absence_reason`.
pub async fn submit(State(app): State<App>, v: Viewer, Id(aid): Id, form: Posted) -> PageResult {
    let mut input: GroupAttendanceInput = form.parse()?;
    let posted: Vec<AttendanceLine> = form.rows("entries")?;
    // Rows left empty are not recorded; remember which form row each entry came from.
    let rows: Vec<usize> = (0..posted.len())
        .filter(|&i| posted[i].hours.is_some() || posted[i].absence_reason.is_some())
        .collect();
    input.entries = rows.iter().map(|&i| posted[i].clone()).collect();
    let date = input.date.clone();
    let result = app.record_attendance(&v.actor, aid, &input).await;
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
            posted: &posted,
            errors: &mapped,
            status,
        };
        attendance_page(&app, &v, aid, shown).await
    };
    let next = |done: stegvis_app::activities::AttendanceRecorded| {
        format!(
            "/activities/{aid}/attendance?date={date}&saved={}",
            done.recorded
        )
    };
    after_post(result, next, None, again).await
}
