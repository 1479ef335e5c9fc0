//! The value of a participant hour that the project reports as co-financing: a one-field form
//! for the project manager, linked from the report's money and time.

use super::{Chrome, actor_and_id, after_post, chrome, fail, render};
use crate::forms::{ErrorView, FormData, TextField, error_views};
use crate::session::Ctx;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use stegvis_app::{App, FieldError};

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
    ctx: &Ctx,
    app: &App,
    uri: &Uri,
    id: &str,
    value: Option<String>,
    errors: &[FieldError],
    status: StatusCode,
) -> Response {
    let (actor, pid) = match actor_and_id(ctx, uri, id) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let l = ctx.lang;
    let (project, current) = match (
        app.project(actor, pid).await,
        app.participant_hour_value(actor, pid).await,
    ) {
        (Ok(p), Ok(v)) => (p, v),
        (Err(e), _) | (_, Err(e)) => return fail(ctx, uri, e),
    };
    if actor.role != stegvis_domain::Role::ProjectManager {
        return fail(ctx, uri, stegvis_app::AppError::NotFound);
    }
    let value = value.unwrap_or_else(|| {
        current
            .map(|v| format!("{},{:02}", v.0 / 100, v.0 % 100))
            .unwrap_or_default()
    });
    let p = ParticipantTimePage {
        c: chrome(ctx, "projects", uri),
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
    (status, render(&p)).into_response()
}

/// `GET /projects/{id}/participant-time`
pub async fn form(
    Extension(ctx): Extension<Ctx>,
    State(app): State<App>,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    page(&ctx, &app, &uri, &id, None, &[], StatusCode::OK).await
}

/// `POST /projects/{id}/participant-time`
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
    let value = form.get("value");
    let result = app.set_participant_hour_value(actor, pid, &value).await;
    let again = async |errors: Vec<FieldError>, status| {
        page(&ctx, &app, &uri, &id, Some(value.clone()), &errors, status).await
    };
    after_post(
        &ctx,
        &uri,
        result,
        |_| format!("/projects/{pid}/report#money"),
        None,
        again,
    )
    .await
}
