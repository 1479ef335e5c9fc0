//! Adding a step to a participant's plan (staff, or the participant on their own plan).

use super::{Chrome, actor_and_id, after_post, chrome, fail, render};
use crate::forms::{ChoiceField, ErrorView, FormData, TextField, error_for, error_views, options};
use crate::session::Ctx;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use stegvis_app::plans::PlanStepInput;
use stegvis_app::{App, FieldError};
use stegvis_domain::Role;
use stegvis_domain::plan::StepOwner;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "plan_step_form.html")]
struct StepPage {
    c: Chrome,
    errors: Vec<ErrorView>,
    participant_id: Uuid,
    participant_name: String,
    text_fields: Vec<TextField>,
    owner: Option<ChoiceField>,
}

async fn page(
    ctx: &Ctx,
    app: &App,
    uri: &Uri,
    id: &str,
    input: &PlanStepInput,
    errors: &[FieldError],
    status: StatusCode,
) -> Response {
    let (actor, pid) = match actor_and_id(ctx, uri, id) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let l = ctx.lang;
    let d = match app.participant(actor, pid).await {
        Ok(d) => d,
        Err(e) => return fail(ctx, uri, e),
    };
    let staff = actor.role != Role::Participant;
    let mut text_fields = vec![
        TextField::new(
            "goal",
            l.t("Mål", "Goal"),
            l.t(
                "Vad vill deltagaren nå? Till exempel arbete inom handel.",
                "What does the participant want to reach? For example work in retail.",
            ),
            "text",
            input.goal.clone(),
            errors,
            l,
        ),
        TextField::new(
            "step",
            l.t("Steg", "Step"),
            l.t(
                "Ett konkret steg mot målet.",
                "A concrete step towards the goal.",
            ),
            "text",
            input.step.clone(),
            errors,
            l,
        ),
        TextField::new(
            "due_on",
            l.t("Senast (valfritt)", "Due (optional)"),
            l.t("Till exempel 2026-12-15.", "For example 2026-12-15."),
            "date",
            input.due_on.clone().unwrap_or_default(),
            errors,
            l,
        ),
        TextField::new(
            "participant_words",
            l.t(
                "Med deltagarens egna ord (valfritt)",
                "In the participant's own words (optional)",
            ),
            "",
            "text",
            input.participant_words.clone().unwrap_or_default(),
            errors,
            l,
        ),
    ];
    if staff {
        text_fields.push(TextField::new(
            "staff_note",
            l.t(
                "Anteckning för personal (visas inte för deltagaren)",
                "Staff note (not shown to the participant)",
            ),
            "",
            "text",
            input.staff_note.clone().unwrap_or_default(),
            errors,
            l,
        ));
    }
    let owner = staff.then(|| ChoiceField {
        options: options(
            StepOwner::ALL
                .iter()
                .map(|o| (o.code(), o.label(l.code()).to_owned())),
            &input.owner,
        ),
        error: error_for(errors, "owner", l),
    });
    let p = StepPage {
        c: chrome(ctx, "participants", uri),
        errors: error_views(errors, l),
        participant_id: pid,
        participant_name: format!("{} {}", d.participant.given_name, d.participant.family_name),
        text_fields,
        owner,
    };
    (status, render(&p)).into_response()
}

pub async fn form(
    Extension(ctx): Extension<Ctx>,
    State(app): State<App>,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    let input = PlanStepInput {
        owner: StepOwner::Participant.code().into(),
        ..Default::default()
    };
    page(&ctx, &app, &uri, &id, &input, &[], StatusCode::OK).await
}

pub async fn submit(
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
    let opt = |name: &str| Some(form.get(name)).filter(|v| !v.trim().is_empty());
    let input = PlanStepInput {
        goal: form.get("goal"),
        step: form.get("step"),
        owner: form.get("owner"),
        due_on: opt("due_on"),
        participant_words: opt("participant_words"),
        staff_note: opt("staff_note"),
    };
    let result = app.add_plan_step(actor, pid, &input).await;
    let again = async |errors: Vec<FieldError>, status| {
        page(&ctx, &app, &uri, &id, &input, &errors, status).await
    };
    after_post(
        &ctx,
        &uri,
        result,
        |_| format!("/participants/{pid}"),
        None,
        again,
    )
    .await
}
