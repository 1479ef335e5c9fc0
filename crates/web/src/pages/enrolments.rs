//! Enrol an existing participant in another project, correct the baseline, end an enrolment.

use super::participants::{baseline_input, date_field, project_choice};
use super::{Chrome, actor_and_id, after_post, chrome, fail, render, require};
use crate::forms::{
    BaselineFieldView, ChoiceField, ErrorView, FormData, OptionView, TextField, baseline_fields,
    error_for, error_views, options,
};
use crate::session::Ctx;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use stegvis_app::enrolments::{
    BaselineInput, EnrolInput, EnrolmentUpdate, EnrolmentView, ExitInput,
};
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

fn parse_id(s: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(s).map_err(|_| AppError::NotFound)
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

pub async fn enrol_form(
    Extension(ctx): Extension<Ctx>,
    State(app): State<App>,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    let input = EnrolInput {
        enrolled_on: app.today().to_string(),
        ..Default::default()
    };
    enrol_page(&ctx, &app, &uri, &id, &input, &[], StatusCode::OK).await
}

async fn enrol_page(
    ctx: &Ctx,
    app: &App,
    uri: &Uri,
    id: &str,
    input: &EnrolInput,
    errors: &[FieldError],
    status: StatusCode,
) -> Response {
    let actor = match require(ctx, uri) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let l = ctx.lang;
    let page = async {
        let d = app.participant(actor, parse_id(id)?).await?;
        Ok::<_, AppError>(EnrolmentFormPage {
            c: chrome(ctx, "participants", uri),
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
        })
    };
    match page.await {
        Ok(p) => (status, render(&p)).into_response(),
        Err(e) => fail(ctx, uri, e),
    }
}

pub async fn enrol(
    Extension(ctx): Extension<Ctx>,
    State(app): State<App>,
    uri: Uri,
    Path(id): Path<String>,
    Form(form): Form<FormData>,
) -> Response {
    let (actor, participant_id) = match actor_and_id(&ctx, &uri, &id) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let input = EnrolInput {
        project_id: form.get("project_id"),
        enrolled_on: form.get("enrolled_on"),
        baseline: form.baseline(),
    };
    let result = app.enrol(actor, participant_id, &input).await;
    let again = async |errors: Vec<FieldError>, status| {
        enrol_page(&ctx, &app, &uri, &id, &input, &errors, status).await
    };
    after_post(
        &ctx,
        &uri,
        result,
        |_| format!("/participants/{participant_id}"),
        Some("project_id"),
        again,
    )
    .await
}

async fn edit_page(
    ctx: &Ctx,
    app: &App,
    uri: &Uri,
    id: &str,
    posted: Option<(String, String, BaselineInput, Option<i64>)>,
    errors: &[FieldError],
    status: StatusCode,
) -> Response {
    let actor = match require(ctx, uri) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let l = ctx.lang;
    let page = async {
        let (d, e) = load(app, actor, parse_id(id)?).await?;
        let (date, coach, baseline, posted_version) = posted.unwrap_or_else(|| {
            let coach = e.coach_id.map(|c| c.to_string()).unwrap_or_default();
            (e.enrolled_on.to_string(), coach, baseline_input(&e), None)
        });
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
        Ok::<_, AppError>(EnrolmentFormPage {
            c: chrome(ctx, "participants", uri),
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
        })
    };
    match page.await {
        Ok(p) => (status, render(&p)).into_response(),
        Err(e) => fail(ctx, uri, e),
    }
}

pub async fn edit_form(
    Extension(ctx): Extension<Ctx>,
    State(app): State<App>,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    edit_page(&ctx, &app, &uri, &id, None, &[], StatusCode::OK).await
}

pub async fn update(
    Extension(ctx): Extension<Ctx>,
    State(app): State<App>,
    uri: Uri,
    Path(id): Path<String>,
    Form(form): Form<FormData>,
) -> Response {
    let (actor, enrolment_id) = match actor_and_id(&ctx, &uri, &id) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let input = EnrolmentUpdate {
        enrolled_on: Some(form.get("enrolled_on")),
        baseline: form.baseline(),
        coach_id: Some(form.get("coach_id")),
        version: form.get("version").parse().ok(),
    };
    let result = app.update_enrolment(actor, enrolment_id, &input).await;
    let posted = (
        form.get("enrolled_on"),
        form.get("coach_id"),
        input.baseline.clone(),
        input.version,
    );
    let again = async |errors: Vec<FieldError>, status| {
        edit_page(&ctx, &app, &uri, &id, Some(posted), &errors, status).await
    };
    after_post(
        &ctx,
        &uri,
        result,
        |e| format!("/participants/{}", e.participant_id),
        // Someone else changed it meanwhile: the form again, with what was typed and a note.
        Some("enrolled_on"),
        again,
    )
    .await
}

async fn exit_page(
    ctx: &Ctx,
    app: &App,
    uri: &Uri,
    id: &str,
    posted: &ExitInput,
    errors: &[FieldError],
    status: StatusCode,
) -> Response {
    let actor = match require(ctx, uri) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let l = ctx.lang;
    let page = async {
        let (d, e) = load(app, actor, parse_id(id)?).await?;
        if e.exited_on.is_some() {
            return Err(AppError::Conflict(stegvis_app::Text::new(
                "Inskrivningen är redan avslutad.",
                "The enrolment has already ended.",
            )));
        }
        Ok::<_, AppError>(ExitPage {
            c: chrome(ctx, "participants", uri),
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
        })
    };
    match page.await {
        Ok(p) => (status, render(&p)).into_response(),
        Err(e) => fail(ctx, uri, e),
    }
}

pub async fn exit_form(
    Extension(ctx): Extension<Ctx>,
    State(app): State<App>,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    let input = ExitInput {
        exited_on: app.today().to_string(),
        exit_status: String::new(),
    };
    exit_page(&ctx, &app, &uri, &id, &input, &[], StatusCode::OK).await
}

pub async fn exit(
    Extension(ctx): Extension<Ctx>,
    State(app): State<App>,
    uri: Uri,
    Path(id): Path<String>,
    Form(form): Form<FormData>,
) -> Response {
    let (actor, enrolment_id) = match actor_and_id(&ctx, &uri, &id) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let input = ExitInput {
        exited_on: form.get("exited_on"),
        exit_status: form.get("exit_status"),
    };
    let result = app.exit(actor, enrolment_id, &input).await;
    let again = async |errors: Vec<FieldError>, status| {
        exit_page(&ctx, &app, &uri, &id, &input, &errors, status).await
    };
    after_post(
        &ctx,
        &uri,
        result,
        |e| format!("/participants/{}", e.participant_id),
        None,
        again,
    )
    .await
}
