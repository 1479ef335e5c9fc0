//! Collaboration teams and case conferences on the pages.

use super::{Chrome, actor_and_id, after_post, chrome, fail, render, require};
use crate::forms::{ErrorView, FormData, OptionView, TextField, error_for, error_views};
use crate::session::Ctx;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use stegvis_app::conferences::{ConferenceInput, DecisionInput, TeamInput};
use stegvis_app::{App, FieldError};
use uuid::Uuid;

/// A team as the page lists it.
pub struct TeamLine {
    pub name: String,
    pub project: String,
    pub organisations: String,
    pub members: Vec<String>,
}

#[derive(Template)]
#[template(path = "teams.html")]
struct TeamsPage {
    c: Chrome,
    errors: Vec<ErrorView>,
    teams: Vec<TeamLine>,
    can_create: bool,
    name: TextField,
    projects: Vec<OptionView>,
    orgs: Vec<OptionView>,
    members: String,
    members_error: Option<String>,
}

async fn teams_page(
    ctx: &Ctx,
    app: &App,
    uri: &Uri,
    input: &TeamInput,
    errors: &[FieldError],
    status: StatusCode,
) -> Response {
    let actor = match require(ctx, uri) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let l = ctx.lang;
    let teams = match app.teams(actor).await {
        Ok(t) => t,
        Err(e) => return fail(ctx, uri, e),
    };
    let (orgs, projects) = match (app.organisations(actor).await, app.projects(actor).await) {
        (Ok(o), Ok(p)) => (o, p),
        (Err(e), _) | (_, Err(e)) => return fail(ctx, uri, e),
    };
    let org_name = |id: &Uuid| {
        orgs.iter()
            .find(|o| o.id == *id)
            .map(|o| o.name.clone())
            .unwrap_or_default()
    };
    let lines = teams
        .iter()
        .map(|t| TeamLine {
            name: t.name.clone(),
            project: t
                .project_id
                .and_then(|p| projects.iter().find(|x| x.id == p))
                .map(|p| p.facts.name.clone())
                .unwrap_or_default(),
            organisations: t
                .organisations
                .iter()
                .map(org_name)
                .collect::<Vec<_>>()
                .join(", "),
            members: t.members.clone(),
        })
        .collect();
    let chosen = input.project_id.clone().unwrap_or_default();
    let page = TeamsPage {
        c: chrome(ctx, "teams", uri),
        errors: error_views(errors, l),
        teams: lines,
        can_create: matches!(
            actor.role,
            stegvis_domain::Role::Coach | stegvis_domain::Role::ProjectManager
        ),
        name: TextField::new(
            "name",
            l.t("Teamets namn", "The team's name"),
            l.t(
                "Till exempel ”Samverkansteam Hässleholm”.",
                "For example “Collaboration team Hässleholm”.",
            ),
            "text",
            input.name.clone(),
            errors,
            l,
        ),
        projects: projects
            .iter()
            .filter(|p| p.owner_org_id == actor.org_id)
            .map(|p| OptionView {
                value: p.id.to_string(),
                label: p.facts.name.clone(),
                checked: p.id.to_string() == chosen,
            })
            .collect(),
        orgs: orgs
            .iter()
            .filter(|o| {
                o.id != actor.org_id && !matches!(o.kind.as_str(), "employer" | "social_enterprise")
            })
            .map(|o| OptionView {
                value: o.id.to_string(),
                label: o.name.clone(),
                checked: input.org_ids.iter().any(|x| *x == o.id.to_string()),
            })
            .collect(),
        members: input.members.clone(),
        members_error: error_for(errors, "members", l),
    };
    (status, render(&page)).into_response()
}

/// `GET /teams`
pub async fn teams(Extension(ctx): Extension<Ctx>, State(app): State<App>, uri: Uri) -> Response {
    teams_page(&ctx, &app, &uri, &TeamInput::default(), &[], StatusCode::OK).await
}

/// `POST /teams`
pub async fn create_team(
    Extension(ctx): Extension<Ctx>,
    State(app): State<App>,
    uri: Uri,
    Form(form): Form<FormData>,
) -> Response {
    let actor = match require(&ctx, &uri) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let input = TeamInput {
        name: form.get("name"),
        project_id: form.opt("project_id"),
        org_ids: form.all("org_ids"),
        members: form.get("members"),
    };
    let result = app.create_team(actor, &input).await;
    let again = async |errors: Vec<FieldError>, status| {
        teams_page(&ctx, &app, &uri, &input, &errors, status).await
    };
    after_post(&ctx, &uri, result, |_| "/teams".into(), None, again).await
}

/// One decision row of the conference form.
pub struct DecisionRow {
    pub n: usize,
    pub step: String,
    pub participant_owns: bool,
    pub due: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "conference_form.html")]
struct ConferencePage {
    c: Chrome,
    errors: Vec<ErrorView>,
    participant_id: Uuid,
    participant_name: String,
    held_on: TextField,
    teams: Vec<OptionView>,
    attendees: String,
    attendees_error: Option<String>,
    minutes: String,
    minutes_error: Option<String>,
    decisions: Vec<DecisionRow>,
}

/// Rows the form offers for decisions.
const DECISION_ROWS: usize = 3;

async fn conference_page(
    ctx: &Ctx,
    app: &App,
    uri: &Uri,
    participant_id: Uuid,
    input: &ConferenceInput,
    errors: &[FieldError],
    status: StatusCode,
) -> Response {
    let actor = match require(ctx, uri) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let l = ctx.lang;
    let d = match app.participant(actor, participant_id).await {
        Ok(d) => d,
        Err(e) => return fail(ctx, uri, e),
    };
    let teams = match app.teams(actor).await {
        Ok(t) => t,
        Err(e) => return fail(ctx, uri, e),
    };
    let chosen = input.team_id.clone().unwrap_or_default();
    let decisions = (0..DECISION_ROWS)
        .map(|n| {
            let d = input.decisions.get(n).cloned().unwrap_or_default();
            let error = error_for(errors, &format!("decisions.{n}.step"), l)
                .or_else(|| error_for(errors, &format!("decisions.{n}.due_on"), l));
            DecisionRow {
                n,
                participant_owns: d.owner == "participant",
                step: d.step,
                due: d.due_on.unwrap_or_default(),
                error,
            }
        })
        .collect();
    let page = ConferencePage {
        c: chrome(ctx, "participants", uri),
        errors: error_views(errors, l),
        participant_id,
        participant_name: format!("{} {}", d.participant.given_name, d.participant.family_name),
        held_on: TextField::new(
            "held_on",
            l.t("Datum för mötet", "Date of the meeting"),
            l.t("ÅÅÅÅ-MM-DD", "YYYY-MM-DD"),
            "date",
            input.held_on.clone(),
            errors,
            l,
        ),
        teams: teams
            .iter()
            .map(|t| OptionView {
                value: t.id.to_string(),
                label: t.name.clone(),
                checked: t.id.to_string() == chosen,
            })
            .collect(),
        attendees: input.attendees.join("\n"),
        attendees_error: error_for(errors, "attendees", l),
        minutes: input.minutes.clone(),
        minutes_error: error_for(errors, "minutes", l),
        decisions,
    };
    (status, render(&page)).into_response()
}

/// `GET /participants/{id}/conferences/new`
pub async fn form(
    Extension(ctx): Extension<Ctx>,
    State(app): State<App>,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    let (_, pid) = match actor_and_id(&ctx, &uri, &id) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let input = ConferenceInput {
        held_on: app.today().to_string(),
        ..ConferenceInput::default()
    };
    conference_page(&ctx, &app, &uri, pid, &input, &[], StatusCode::OK).await
}

/// `POST /participants/{id}/conferences`
pub async fn hold(
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
    let input = ConferenceInput {
        held_on: form.get("held_on"),
        team_id: form.opt("team_id"),
        attendees: vec![form.get("attendees")],
        minutes: form.get("minutes"),
        decisions: (0..DECISION_ROWS)
            .map(|n| DecisionInput {
                step: form.get(&format!("decisions.{n}.step")),
                owner: form.get(&format!("decisions.{n}.owner")),
                due_on: form.opt(&format!("decisions.{n}.due_on")),
            })
            .collect(),
    };
    let result = app.hold_conference(actor, pid, &input).await;
    let again = async |errors: Vec<FieldError>, status| {
        conference_page(&ctx, &app, &uri, pid, &input, &errors, status).await
    };
    after_post(
        &ctx,
        &uri,
        result,
        |c| format!("/participants/{}#conferences", c.participant_id),
        None,
        again,
    )
    .await
}
