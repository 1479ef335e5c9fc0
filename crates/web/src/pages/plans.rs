//! Adding and changing steps of a participant's plan (staff, or the participant on their own
//! plan), with every earlier version of a step shown.

use super::{Chrome, actor_and_id, after_post, chrome, fail, render};
use crate::forms::{ChoiceField, ErrorView, FormData, TextField, error_for, error_views, options};
use crate::session::Ctx;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use stegvis_app::plans::{PlanStepInput, PlanStepUpdate};
use stegvis_app::{App, FieldError};
use stegvis_domain::Role;
use stegvis_domain::plan::{StepOwner, StepStatus};
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
    let input = PlanStepInput {
        goal: form.get("goal"),
        step: form.get("step"),
        owner: form.get("owner"),
        due_on: form.opt("due_on"),
        participant_words: form.opt("participant_words"),
        staff_note: form.opt("staff_note"),
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

/// An earlier version of a step as the history table shows it.
pub struct ChangeRow {
    pub changed_at: String,
    pub changed_by: String,
    pub step: String,
    pub status: String,
    pub due: String,
    pub words: String,
}

#[derive(Template)]
#[template(path = "plan_step_edit.html")]
struct EditPage {
    c: Chrome,
    errors: Vec<ErrorView>,
    step_id: Uuid,
    participant_id: Uuid,
    version: i64,
    /// Staff edit every field; the participant their own words and their own steps' status.
    staff: bool,
    goal: String,
    step: String,
    text_fields: Vec<TextField>,
    owner: Option<ChoiceField>,
    status: Option<ChoiceField>,
    history: Vec<ChangeRow>,
}

async fn edit_page(
    ctx: &Ctx,
    app: &App,
    uri: &Uri,
    id: &str,
    posted: Option<&PlanStepUpdate>,
    errors: &[FieldError],
    status: StatusCode,
) -> Response {
    let (actor, step_id) = match actor_and_id(ctx, uri, id) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let l = ctx.lang;
    let code = l.code();
    let d = match app.plan_step(actor, step_id).await {
        Ok(d) => d,
        Err(e) => return fail(ctx, uri, e),
    };
    let s = &d.step;
    let staff = actor.role != Role::Participant;
    let owns = s.owner == StepOwner::Participant.code();
    // What the form shows: what was posted (when it comes back with errors), else the step.
    let value = |posted_field: Option<&Option<String>>, current: Option<String>| -> String {
        match posted_field {
            Some(Some(v)) => v.clone(),
            _ => current.unwrap_or_default(),
        }
    };
    let mut text_fields = Vec::new();
    if staff {
        text_fields.push(TextField::new(
            "goal",
            l.t("Mål", "Goal"),
            "",
            "text",
            value(posted.map(|p| &p.goal), Some(s.goal.clone())),
            errors,
            l,
        ));
        text_fields.push(TextField::new(
            "step",
            l.t("Steg", "Step"),
            "",
            "text",
            value(posted.map(|p| &p.step), Some(s.step.clone())),
            errors,
            l,
        ));
        text_fields.push(TextField::new(
            "due_on",
            l.t("Senast (valfritt)", "Due (optional)"),
            l.t("Till exempel 2026-12-15.", "For example 2026-12-15."),
            "date",
            value(posted.map(|p| &p.due_on), s.due_on.map(|d| d.to_string())),
            errors,
            l,
        ));
    }
    text_fields.push(TextField::new(
        "participant_words",
        l.t("Med deltagarens egna ord", "In the participant's own words"),
        "",
        "text",
        value(
            posted.map(|p| &p.participant_words),
            s.participant_words.clone(),
        ),
        errors,
        l,
    ));
    if staff {
        text_fields.push(TextField::new(
            "staff_note",
            l.t(
                "Anteckning för personal (visas inte för deltagaren)",
                "Staff note (not shown to the participant)",
            ),
            "",
            "text",
            value(posted.map(|p| &p.staff_note), s.staff_note.clone()),
            errors,
            l,
        ));
    }
    let current_status = value(posted.map(|p| &p.status), Some(s.status.clone()));
    let status_field = (staff || owns).then(|| ChoiceField {
        options: options(
            StepStatus::ALL
                .iter()
                .map(|o| (o.code(), o.label(code).to_owned())),
            &current_status,
        ),
        error: error_for(errors, "status", l),
    });
    let current_owner = value(posted.map(|p| &p.owner), Some(s.owner.clone()));
    let owner = staff.then(|| ChoiceField {
        options: options(
            StepOwner::ALL
                .iter()
                .map(|o| (o.code(), o.label(code).to_owned())),
            &current_owner,
        ),
        error: error_for(errors, "owner", l),
    });
    let history = d
        .history
        .iter()
        .map(|h| ChangeRow {
            changed_at: crate::local_time::stockholm(h.changed_at),
            changed_by: h.changed_by.clone().unwrap_or_default(),
            step: format!("{}: {}", h.goal, h.step),
            status: StepStatus::from_code(&h.status)
                .map_or(h.status.clone(), |v| v.label(code).to_owned()),
            due: h.due_on.map(|d| d.to_string()).unwrap_or_default(),
            words: h.participant_words.clone().unwrap_or_default(),
        })
        .collect();
    let p = EditPage {
        c: chrome(ctx, "participants", uri),
        errors: error_views(errors, l),
        step_id,
        participant_id: s.participant_id,
        // After a conflict the form carries the step as it is now, so the change can be made
        // again; after other errors, the version it was opened at.
        version: if status == StatusCode::CONFLICT {
            s.version
        } else {
            posted.and_then(|p| p.version).unwrap_or(s.version)
        },
        staff,
        goal: s.goal.clone(),
        step: s.step.clone(),
        text_fields,
        owner,
        status: status_field,
        history,
    };
    (status, render(&p)).into_response()
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
    let (actor, step_id) = match actor_and_id(&ctx, &uri, &id) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    // Only the fields this person's form has: absent ones are kept as they are.
    let field = |name: &str| {
        form.0
            .iter()
            .any(|(k, _)| k == name)
            .then(|| form.get(name))
    };
    let input = PlanStepUpdate {
        goal: field("goal"),
        step: field("step"),
        owner: field("owner"),
        due_on: field("due_on"),
        status: field("status"),
        participant_words: field("participant_words"),
        staff_note: field("staff_note"),
        version: form.get("version").parse().ok(),
    };
    let result = app.update_plan_step(actor, step_id, &input).await;
    let again = async |errors: Vec<FieldError>, status| {
        edit_page(&ctx, &app, &uri, &id, Some(&input), &errors, status).await
    };
    after_post(
        &ctx,
        &uri,
        result,
        |s| format!("/participants/{}", s.participant_id),
        // Every step form has this field, the participant's too.
        Some("participant_words"),
        again,
    )
    .await
}
