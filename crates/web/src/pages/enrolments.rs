//! Enrol an existing participant in another project, correct the baseline, end an enrolment.

use super::participants::{baseline_input, date_field, project_choice};
use super::{Chrome, Id, PageResult, Viewer, after_post, render};
use crate::forms::{
    BaselineFieldView, ChoiceField, ErrorView, OptionView, PageForm, Posted, TextField,
    baseline_fields, error_for, error_views, options,
};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use stegvis_app::enrolments::{EnrolInput, EnrolmentUpdate, EnrolmentView, ExitInput};
use stegvis_app::participants::ParticipantDetail;
use stegvis_app::{Actor, App, AppError, FieldError};
use stegvis_domain::ExitStatus;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "enrolment_form.html")]
struct EnrolmentFormPage {
    c: Chrome,
    errors: Vec<ErrorView>,
    heading: String,
    submit: String,
    action: String,
    participant_id: Uuid,
    participant_name: String,
    project_field: Option<ChoiceField>,
    coach_field: Option<ChoiceField>,
    /// The version the edit form was opened at (absent on the enrol form).
    version: Option<i64>,
    enrolled_on: TextField,
    baseline: Vec<BaselineFieldView>,
    /// Enrolling: the reason for an exception from the project's target group, and its error.
    show_exception: bool,
    exception: String,
    exception_error: Option<String>,
}

#[derive(Template)]
#[template(path = "exit_form.html")]
struct ExitPage {
    c: Chrome,
    errors: Vec<ErrorView>,
    participant_id: Uuid,
    participant_name: String,
    enrolment_id: Uuid,
    project_name: String,
    enrolled_on: String,
    exited_on: String,
    date_error: Option<String>,
    status_error: Option<String>,
    statuses: Vec<OptionView>,
}

fn name(d: &ParticipantDetail) -> String {
    format!("{} {}", d.participant.given_name, d.participant.family_name)
}

/// The participant and the enrolment behind an enrolment id (both reads go through the gate).
async fn load(
    app: &App,
    actor: &Actor,
    enrolment_id: Uuid,
) -> Result<(ParticipantDetail, EnrolmentView), AppError> {
    let e = app.enrolment(actor, enrolment_id).await?;
    let d = app.participant(actor, e.participant_id).await?;
    Ok((d, e))
}

pub async fn enrol_form(State(app): State<App>, v: Viewer, Id(pid): Id) -> PageResult {
    let input = EnrolInput {
        enrolled_on: app.today().to_string(),
        ..Default::default()
    };
    enrol_page(&app, &v, pid, &input, &[], StatusCode::OK).await
}

async fn enrol_page(
    app: &App,
    v: &Viewer,
    participant_id: Uuid,
    input: &EnrolInput,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let (actor, l) = (&v.actor, v.lang);
    let d = app.participant(actor, participant_id).await?;
    let page = EnrolmentFormPage {
        c: v.chrome("participants"),
        errors: error_views(errors, l),
        heading: l.t("Skriv in i ett projekt", "Enrol in a project").into(),
        submit: l.t("Skriv in", "Enrol").into(),
        action: format!("/participants/{}/enrol", d.participant.id),
        participant_id: d.participant.id,
        participant_name: name(&d),
        project_field: Some(project_choice(app, actor, &input.project_id, errors, l).await?),
        coach_field: None,
        version: None,
        enrolled_on: date_field(
            "enrolled_on",
            l.t("Inskrivningsdatum", "Enrolment date"),
            input.enrolled_on.clone(),
            errors,
            l,
        ),
        baseline: baseline_fields(&input.baseline, errors, l),
        show_exception: true,
        exception: input.eligibility_exception.clone().unwrap_or_default(),
        exception_error: error_for(errors, "eligibility_exception", l),
    };
    Ok((status, render(&page)).into_response())
}

/// The baseline questions come as `baseline.<field>`.
pub async fn enrol(State(app): State<App>, v: Viewer, Id(pid): Id, form: Posted) -> PageResult {
    let input = EnrolInput {
        baseline: form.baseline()?,
        ..form.parse()?
    };
    let result = app.enrol(&v.actor, pid, &input).await;
    let again = async |errors: Vec<FieldError>, status| {
        enrol_page(&app, &v, pid, &input, &errors, status).await
    };
    after_post(
        result,
        |_| format!("/participants/{pid}"),
        Some("project_id"),
        again,
    )
    .await
}

async fn edit_page(
    app: &App,
    v: &Viewer,
    enrolment_id: Uuid,
    posted: Option<&EnrolmentUpdate>,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let (actor, l) = (&v.actor, v.lang);
    let (d, e) = load(app, actor, enrolment_id).await?;
    let (date, coach, baseline, posted_version) = match posted {
        Some(p) => (
            p.enrolled_on.clone().unwrap_or_default(),
            p.coach_id.clone().unwrap_or_default(),
            p.baseline.clone(),
            p.version,
        ),
        None => {
            let coach = e.coach_id.map(|c| c.to_string()).unwrap_or_default();
            (e.enrolled_on.to_string(), coach, baseline_input(&e), None)
        }
    };
    let mut coaches: Vec<(String, String)> = app
        .coaches(actor)
        .await?
        .into_iter()
        .map(|c| (c.id.to_string(), c.name))
        .collect();
    // The current coach stays a choice even when no longer on the list (left, or another
    // role), so that saving the baseline never removes them by accident.
    if let (Some(id), Some(name)) = (e.coach_id, &e.coach_name)
        && !coaches.iter().any(|(v, _)| *v == id.to_string())
    {
        coaches.push((id.to_string(), name.clone()));
    }
    let coach_field = ChoiceField {
        options: options(coaches.iter().map(|(v, n)| (v.as_str(), n.clone())), &coach),
        error: error_for(errors, "coach_id", l),
    };
    let page = EnrolmentFormPage {
        c: v.chrome("participants"),
        errors: error_views(errors, l),
        heading: format!(
            "{} – {}",
            l.t("Bakgrundsfrågor", "Baseline answers"),
            e.project_name
        ),
        submit: l.t("Spara", "Save").into(),
        action: format!("/enrolments/{}/edit", e.id),
        participant_id: d.participant.id,
        participant_name: name(&d),
        project_field: None,
        coach_field: Some(coach_field),
        // After a conflict the form shows the enrolment as it is now.
        version: Some(if status == StatusCode::CONFLICT {
            e.version
        } else {
            posted_version.unwrap_or(e.version)
        }),
        enrolled_on: date_field(
            "enrolled_on",
            l.t("Inskrivningsdatum", "Enrolment date"),
            date,
            errors,
            l,
        ),
        baseline: baseline_fields(&baseline, errors, l),
        show_exception: false,
        exception: String::new(),
        exception_error: None,
    };
    Ok((status, render(&page)).into_response())
}

pub async fn edit_form(State(app): State<App>, v: Viewer, Id(eid): Id) -> PageResult {
    edit_page(&app, &v, eid, None, &[], StatusCode::OK).await
}

/// The baseline questions come as `baseline.<field>`; a blank one keeps its answer.
pub async fn update(State(app): State<App>, v: Viewer, Id(eid): Id, form: Posted) -> PageResult {
    let input = EnrolmentUpdate {
        baseline: form.baseline()?,
        ..form.parse()?
    };
    let result = app.update_enrolment(&v.actor, eid, &input).await;
    let again = async |errors: Vec<FieldError>, status| {
        edit_page(&app, &v, eid, Some(&input), &errors, status).await
    };
    after_post(
        result,
        |e| format!("/participants/{}", e.participant_id),
        // Someone else changed it meanwhile: the form again, with what was typed and a note.
        Some("enrolled_on"),
        again,
    )
    .await
}

async fn exit_page(
    app: &App,
    v: &Viewer,
    enrolment_id: Uuid,
    posted: &ExitInput,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let l = v.lang;
    let (d, e) = load(app, &v.actor, enrolment_id).await?;
    if e.exited_on.is_some() {
        return Err(AppError::Conflict(stegvis_app::Text::new(
            "Inskrivningen är redan avslutad.",
            "The enrolment has already ended.",
        ))
        .into());
    }
    let page = ExitPage {
        c: v.chrome("participants"),
        errors: error_views(errors, l),
        participant_id: d.participant.id,
        participant_name: name(&d),
        enrolment_id: e.id,
        project_name: e.project_name.clone(),
        enrolled_on: e.enrolled_on.to_string(),
        exited_on: posted.exited_on.clone(),
        date_error: error_for(errors, "exited_on", l),
        status_error: error_for(errors, "exit_status", l),
        statuses: options(
            ExitStatus::ALL
                .iter()
                .map(|s| (s.code(), s.label(l.code()).to_owned())),
            &posted.exit_status,
        ),
    };
    Ok((status, render(&page)).into_response())
}

pub async fn exit_form(State(app): State<App>, v: Viewer, Id(eid): Id) -> PageResult {
    let input = ExitInput {
        exited_on: app.today().to_string(),
        exit_status: String::new(),
    };
    exit_page(&app, &v, eid, &input, &[], StatusCode::OK).await
}

pub async fn exit(
    State(app): State<App>,
    v: Viewer,
    Id(eid): Id,
    PageForm(input): PageForm<ExitInput>,
) -> PageResult {
    let result = app.exit(&v.actor, eid, &input).await;
    let again = async |errors: Vec<FieldError>, status| {
        exit_page(&app, &v, eid, &input, &errors, status).await
    };
    after_post(
        result,
        |e| format!("/participants/{}", e.participant_id),
        None,
        again,
    )
    .await
}
