//! Adding and changing steps of a participant's plan (staff, or the participant on their own
//! plan), with every earlier version of a step shown.

use super::{Chrome, Id, PageResult, Viewer, after_post, render};
use crate::forms::{ChoiceField, ErrorView, PageForm, TextField, error_for, error_views, options};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use stegvis_app::plans::{PlanStepInput, PlanStepUpdate};
use stegvis_app::{App, FieldError};
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
    app: &App,
    v: &Viewer,
    pid: Uuid,
    input: &PlanStepInput,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let actor = &v.actor;
    let l = v.lang;
    let d = app.participant(actor, pid).await?;
    let staff = !stegvis_app::policy::is_participant(actor);
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
        c: v.chrome("participants"),
        errors: error_views(errors, l),
        participant_id: pid,
        participant_name: format!("{} {}", d.participant.given_name, d.participant.family_name),
        text_fields,
        owner,
    };
    Ok((status, render(&p)).into_response())
}

pub async fn form(State(app): State<App>, v: Viewer, Id(pid): Id) -> PageResult {
    if let Some(r) = super::to_portal(&v.actor, pid, "/me/plan/new") {
        return Ok(r);
    }
    let input = PlanStepInput {
        owner: StepOwner::Participant.code().into(),
        ..Default::default()
    };
    page(&app, &v, pid, &input, &[], StatusCode::OK).await
}

pub async fn submit(
    State(app): State<App>,
    v: Viewer,
    Id(pid): Id,
    PageForm(input): PageForm<PlanStepInput>,
) -> PageResult {
    let result = app.add_plan_step(&v.actor, pid, &input).await;
    let again =
        async |errors: Vec<FieldError>, status| page(&app, &v, pid, &input, &errors, status).await;
    after_post(result, |_| format!("/participants/{pid}"), None, again).await
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
    app: &App,
    v: &Viewer,
    step_id: Uuid,
    posted: Option<&PlanStepUpdate>,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let actor = &v.actor;
    let l = v.lang;
    let code = l.code();
    let d = app.plan_step(actor, step_id).await?;
    let s = &d.step;
    let staff = !stegvis_app::policy::is_participant(actor);
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
        c: v.chrome("participants"),
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
    Ok((status, render(&p)).into_response())
}

pub async fn edit_form(State(app): State<App>, v: Viewer, Id(step_id): Id) -> PageResult {
    if stegvis_app::policy::is_participant(&v.actor) {
        // Read through the gate first: another participant's step stays not found.
        let d = app.plan_step(&v.actor, step_id).await?;
        let portal = format!("/me/plan-steps/{step_id}");
        if let Some(r) = super::to_portal(&v.actor, d.step.participant_id, &portal) {
            return Ok(r);
        }
    }
    edit_page(&app, &v, step_id, None, &[], StatusCode::OK).await
}

/// Only the fields this person's form has: absent ones are kept as they are, and a blank
/// one clears an optional text or date.
pub async fn update(
    State(app): State<App>,
    v: Viewer,
    Id(step_id): Id,
    PageForm(input): PageForm<PlanStepUpdate>,
) -> PageResult {
    let result = app.update_plan_step(&v.actor, step_id, &input).await;
    let again = async |errors: Vec<FieldError>, status| {
        edit_page(&app, &v, step_id, Some(&input), &errors, status).await
    };
    after_post(
        result,
        |s| format!("/participants/{}", s.participant_id),
        // Every step form has this field, the participant's too.
        Some("participant_words"),
        again,
    )
    .await
}
