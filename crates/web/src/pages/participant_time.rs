//! The value of a participant hour that the project reports as co-financing: a one-field form
//! for the project manager, linked from the report's money and time.

use super::{Chrome, Id, PageResult, Viewer, after_post, render};
use crate::forms::{ErrorView, PageForm, TextField, error_views};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use stegvis_app::policy::{self, Action, Function, Request};
use stegvis_app::{App, AppError, FieldError};
use uuid::Uuid;

#[derive(Template)]
#[template(path = "participant_time.html")]
struct ParticipantTimePage {
    c: Chrome,
    errors: Vec<ErrorView>,
    project_id: uuid::Uuid,
    project_name: String,
    fields: Vec<TextField>,
}

async fn page(
    app: &App,
    v: &Viewer,
    pid: Uuid,
    value: Option<String>,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let actor = &v.actor;
    let l = v.lang;
    let (project, current) = (
        app.project(actor, pid).await,
        app.participant_hour_value(actor, pid).await,
    );
    let (project, current) = (project?, current?);
    if !sets_hour_value(actor, &project) {
        return Err(AppError::NotFound.into());
    }
    let value = value.unwrap_or_else(|| {
        current
            .map(|v| format!("{},{:02}", v.0 / 100, v.0 % 100))
            .unwrap_or_default()
    });
    let p = ParticipantTimePage {
        c: v.chrome("projects"),
        errors: error_views(errors, l),
        project_id: pid,
        project_name: project.facts.name,
        fields: vec![TextField::new(
            "value",
            l.t("Värde per deltagartimme (kr)", "Value per participant hour (SEK)"),
            l.t(
                "Till exempel aktivitetsstödet per timme: 113,75. Lämna tomt för att ta bort värdet.",
                "For example the activity support per hour: 113.75. Leave empty to remove the value.",
            ),
            "text",
            value,
            errors,
            l,
        )],
    };
    Ok((status, render(&p)).into_response())
}

/// `GET /projects/{id}/participant-time`
pub async fn form(State(app): State<App>, v: Viewer, Id(pid): Id) -> PageResult {
    page(&app, &v, pid, None, &[], StatusCode::OK).await
}

/// The one field, as typed.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ValueForm {
    value: String,
}

/// `POST /projects/{id}/participant-time`
pub async fn submit(
    State(app): State<App>,
    v: Viewer,
    Id(pid): Id,
    PageForm(ValueForm { value }): PageForm<ValueForm>,
) -> PageResult {
    let result = app.set_participant_hour_value(&v.actor, pid, &value).await;
    let again = async |errors: Vec<FieldError>, status| {
        page(&app, &v, pid, Some(value.clone()), &errors, status).await
    };
    after_post(
        result,
        |_| format!("/projects/{pid}/report#money"),
        None,
        again,
    )
    .await
}

/// Whether the actor sets the value of a participant hour for the project (its project managers).
pub(super) fn sets_hour_value(
    actor: &stegvis_app::Actor,
    project: &stegvis_app::projects::ProjectView,
) -> bool {
    may(
        actor,
        project,
        Function::ParticipantHourValue,
        Action::Write,
    )
}

/// Whether the gate would let `actor` use `function` of `project`: for what a page offers.
pub(super) fn may(
    actor: &stegvis_app::Actor,
    project: &stegvis_app::projects::ProjectView,
    function: Function,
    action: Action,
) -> bool {
    policy::allows(&Request::Function {
        actor,
        function,
        action,
        owner: Some(project.owner_org_id),
    })
}
