//! Follow-ups after exit: the coach's list of what is due, and recording one.

use super::{Chrome, Id, PageResult, Viewer, after_post, render};
use crate::forms::{ErrorView, OptionView, PageForm, error_for, error_views, options};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use stegvis_app::follow_ups::FollowUpInput;
use stegvis_app::keyset::PageRequest;
use stegvis_app::{App, FieldError};
use stegvis_domain::follow_up::FollowUpKind;
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
    /// The cursor of the next page ("Visa fler"), if more follow.
    next: Option<Uuid>,
    /// A page after the first (it links back to the start).
    later: bool,
    list_path: &'static str,
}

/// Which page of a long list: after the row `after` (its link's cursor).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct MoreQuery {
    pub after: Option<String>,
}

pub async fn list(State(app): State<App>, v: Viewer, Query(q): Query<MoreQuery>) -> PageResult {
    let l = v.lang.code();
    let page = PageRequest::parse(None, q.after.as_deref())?;
    let list = app.due_follow_ups(&v.actor, 14, &page).await?;
    let items = list
        .items
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
    Ok(render(&ListPage {
        c: v.chrome("follow-ups"),
        items,
        next: list.next,
        later: page.after.is_some(),
        list_path: "/follow-ups",
    }))
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
    app: &App,
    v: &Viewer,
    id: Uuid,
    posted: &FollowUpInput,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let l = v.lang;
    // Found through the due list: only a follow-up the actor may see can be opened.
    let due = app.due_follow_up(&v.actor, id).await?;
    let kind = FollowUpKind::from_code(&due.kind).unwrap_or(FollowUpKind::Day90);
    let yes_no = |current: Option<bool>| {
        options(
            [
                ("true", l.t("Ja", "Yes").to_owned()),
                ("false", l.t("Nej", "No").to_owned()),
            ],
            current.map_or("", |b| if b { "true" } else { "false" }),
        )
    };
    let q =
        |name: &'static str, current: Option<bool>, sv: &'static str, en: &'static str| Question {
            name,
            label: l.t(sv, en),
            options: yes_no(current),
            error: error_for(errors, name, l),
        };
    let p = posted;
    let questions = match kind {
        FollowUpKind::ImmediateResult => vec![
            q(
                "job_searching",
                p.job_searching,
                "Söker arbete",
                "Job searching",
            ),
            q(
                "in_education",
                p.in_education,
                "Studerar eller är i utbildning",
                "In education or training",
            ),
            q(
                "gained_qualification",
                p.gained_qualification,
                "Har fått en kvalifikation",
                "Gained a qualification",
            ),
            q(
                "employed",
                p.employed,
                "Har arbete (även eget företag)",
                "Employed (incl. self-employed)",
            ),
        ],
        _ => vec![
            q(
                "employed",
                p.employed,
                "Har arbete (även eget företag)",
                "Employed (incl. self-employed)",
            ),
            q(
                "improved_situation",
                p.improved_situation,
                "Förbättrad situation på arbetsmarknaden (för den som hade arbete vid inskrivningen)",
                "Improved labour-market situation (for those employed at entry)",
            ),
        ],
    };
    // Not an ESF question: whether the costs of social assistance fell (a seed goal).
    let mut questions = questions;
    questions.push(q(
        "social_assistance",
        p.social_assistance,
        "Får ekonomiskt bistånd (frivillig fråga)",
        "Receives social assistance (optional)",
    ));
    let done_on = Some(posted.done_on.clone())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| app.today().to_string());
    let page = FormPage {
        c: v.chrome("follow-ups"),
        errors: error_views(errors, l),
        id,
        kind_label: kind.label(l.code()).to_owned(),
        participant_name: due.participant_name,
        due_on: due.due_on.to_string(),
        done_on,
        date_error: error_for(errors, "done_on", l),
        questions,
    };
    Ok((status, render(&page)).into_response())
}

pub async fn form(State(app): State<App>, v: Viewer, Id(fid): Id) -> PageResult {
    let blank = FollowUpInput::default();
    form_page(&app, &v, fid, &blank, &[], StatusCode::OK).await
}

pub async fn submit(
    State(app): State<App>,
    v: Viewer,
    Id(fid): Id,
    PageForm(input): PageForm<FollowUpInput>,
) -> PageResult {
    let result = app.record_follow_up(&v.actor, fid, &input).await;
    let again = async |errors: Vec<FieldError>, status| {
        form_page(&app, &v, fid, &input, &errors, status).await
    };
    after_post(
        result,
        |f| format!("/participants/{}", f.participant_id),
        None,
        again,
    )
    .await
}
