//! Follow-ups after exit: the coach's list of what is due, and recording one.

use super::{Chrome, actor_and_id, after_post, chrome, fail, render, require};
use crate::forms::{ErrorView, FormData, OptionView, error_for, error_views, options};
use crate::session::Ctx;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use stegvis_app::followups::FollowUpInput;
use stegvis_app::{App, AppError, FieldError};
use stegvis_domain::followup::FollowUpKind;
use uuid::Uuid;

pub struct DueItem {
    pub id: Uuid,
    pub participant_id: Uuid,
    pub participant_name: String,
    pub project_name: String,
    pub kind_label: String,
    pub due_on: String,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "follow_ups.html")]
struct ListPage {
    c: Chrome,
    items: Vec<DueItem>,
}

pub async fn list(Extension(ctx): Extension<Ctx>, State(app): State<App>, uri: Uri) -> Response {
    let actor = match require(&ctx, &uri) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let l = ctx.lang.code();
    match app.due_follow_ups(actor, 14).await {
        Ok(rows) => {
            let items = rows
                .into_iter()
                .map(|f| DueItem {
                    kind_label: FollowUpKind::from_code(&f.kind)
                        .map_or(f.kind.clone(), |k| k.label(l).to_owned()),
                    id: f.id,
                    participant_id: f.participant_id,
                    participant_name: f.participant_name,
                    project_name: f.project_name,
                    due_on: f.due_on.to_string(),
                    overdue: f.overdue,
                })
                .collect();
            render(&ListPage {
                c: chrome(&ctx, "follow-ups", &uri),
                items,
            })
        }
        Err(e) => fail(&ctx, &uri, e),
    }
}

/// One yes/no question of the form.
pub struct Question {
    pub name: &'static str,
    pub label: &'static str,
    pub options: Vec<OptionView>,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "follow_up_form.html")]
struct FormPage {
    c: Chrome,
    errors: Vec<ErrorView>,
    id: Uuid,
    kind_label: String,
    participant_name: String,
    due_on: String,
    done_on: String,
    date_error: Option<String>,
    questions: Vec<Question>,
}

async fn form_page(
    ctx: &Ctx,
    app: &App,
    uri: &Uri,
    id: &str,
    posted: &FormData,
    errors: &[FieldError],
    status: StatusCode,
) -> Response {
    let (actor, id) = match actor_and_id(ctx, uri, id) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let l = ctx.lang;
    // Found through the due list: only a follow-up the actor may see can be opened.
    let due = match app.due_follow_ups(actor, 366).await {
        Ok(list) => list.into_iter().find(|f| f.id == id),
        Err(e) => return fail(ctx, uri, e),
    };
    let Some(due) = due else {
        return fail(ctx, uri, AppError::NotFound);
    };
    let kind = FollowUpKind::from_code(&due.kind).unwrap_or(FollowUpKind::Day90);
    let yes_no = |name: &str| {
        let current = posted.get(name);
        options(
            [
                ("true", l.t("Ja", "Yes").to_owned()),
                ("false", l.t("Nej", "No").to_owned()),
            ],
            &current,
        )
    };
    let q = |name: &'static str, sv: &'static str, en: &'static str| Question {
        name,
        label: l.t(sv, en),
        options: yes_no(name),
        error: error_for(errors, name, l),
    };
    let questions = match kind {
        FollowUpKind::ImmediateResult => vec![
            q("job_searching", "Söker arbete", "Job searching"),
            q(
                "in_education",
                "Studerar eller är i utbildning",
                "In education or training",
            ),
            q(
                "gained_qualification",
                "Har fått en kvalifikation",
                "Gained a qualification",
            ),
            q(
                "employed",
                "Har arbete (även eget företag)",
                "Employed (incl. self-employed)",
            ),
        ],
        _ => vec![
            q(
                "employed",
                "Har arbete (även eget företag)",
                "Employed (incl. self-employed)",
            ),
            q(
                "improved_situation",
                "Förbättrad situation på arbetsmarknaden (för den som hade arbete vid inskrivningen)",
                "Improved labour-market situation (for those employed at entry)",
            ),
        ],
    };
    // Not an ESF question: whether the costs of social assistance fell (a seed goal).
    let mut questions = questions;
    questions.push(q(
        "social_assistance",
        "Får ekonomiskt bistånd (frivillig fråga)",
        "Receives social assistance (optional)",
    ));
    let done_on = Some(posted.get("done_on"))
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| app.today().to_string());
    let page = FormPage {
        c: chrome(ctx, "follow-ups", uri),
        errors: error_views(errors, l),
        id,
        kind_label: kind.label(l.code()).to_owned(),
        participant_name: due.participant_name,
        due_on: due.due_on.to_string(),
        done_on,
        date_error: error_for(errors, "done_on", l),
        questions,
    };
    (status, render(&page)).into_response()
}

pub async fn form(
    Extension(ctx): Extension<Ctx>,
    State(app): State<App>,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    form_page(
        &ctx,
        &app,
        &uri,
        &id,
        &FormData::default(),
        &[],
        StatusCode::OK,
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
    let (actor, fid) = match actor_and_id(&ctx, &uri, &id) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let b = |name: &str| match form.get(name).as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    };
    let input = FollowUpInput {
        done_on: form.get("done_on"),
        job_searching: b("job_searching"),
        in_education: b("in_education"),
        gained_qualification: b("gained_qualification"),
        employed: b("employed"),
        improved_situation: b("improved_situation"),
        social_assistance: b("social_assistance"),
    };
    let result = app.record_follow_up(actor, fid, &input).await;
    let again = async |errors: Vec<FieldError>, status| {
        form_page(&ctx, &app, &uri, &id, &form, &errors, status).await
    };
    after_post(
        &ctx,
        &uri,
        result,
        |f| format!("/participants/{}", f.participant_id),
        None,
        again,
    )
    .await
}
