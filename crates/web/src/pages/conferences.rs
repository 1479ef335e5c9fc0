//! Collaboration teams and case conferences on the pages.

use super::{Chrome, Id, PageResult, Viewer, after_post, render};
use crate::forms::{ErrorView, OptionView, PageForm, Posted, TextField, error_for, error_views};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use stegvis_app::conferences::{ConferenceInput, TeamInput};
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
    app: &App,
    v: &Viewer,
    input: &TeamInput,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let actor = &v.actor;
    let l = v.lang;
    let teams = app.teams(actor).await?;
    let (orgs, projects) = (app.organisations(actor).await, app.projects(actor).await);
    let (orgs, projects) = (orgs?, projects?);
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
        c: v.chrome("teams"),
        errors: error_views(errors, l),
        teams: lines,
        can_create: stegvis_app::policy::allows(&stegvis_app::policy::Request::Function {
            actor,
            function: stegvis_app::policy::Function::Teams,
            action: stegvis_app::policy::Action::Write,
            owner: None,
        }),
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
    Ok((status, render(&page)).into_response())
}

/// `GET /teams`
pub async fn teams(State(app): State<App>, v: Viewer) -> PageResult {
    teams_page(&app, &v, &TeamInput::default(), &[], StatusCode::OK).await
}

/// `POST /teams`
pub async fn create_team(
    State(app): State<App>,
    v: Viewer,
    PageForm(input): PageForm<TeamInput>,
) -> PageResult {
    let result = app.create_team(&v.actor, &input).await;
    let again =
        async |errors: Vec<FieldError>, status| teams_page(&app, &v, &input, &errors, status).await;
    after_post(result, |_| "/teams".into(), None, again).await
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
    app: &App,
    v: &Viewer,
    participant_id: Uuid,
    input: &ConferenceInput,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let l = v.lang;
    let d = app.participant(&v.actor, participant_id).await?;
    let teams = app.teams(&v.actor).await?;
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
        c: v.chrome("participants"),
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
    Ok((status, render(&page)).into_response())
}

/// `GET /participants/{id}/conferences/new`
pub async fn form(State(app): State<App>, v: Viewer, Id(pid): Id) -> PageResult {
    let input = ConferenceInput {
        held_on: app.today().to_string(),
        ..ConferenceInput::default()
    };
    conference_page(&app, &v, pid, &input, &[], StatusCode::OK).await
}

/// `POST /participants/{id}/conferences`: the attendees in one text field, a line each, and
/// the decisions as rows `decisions.<n>.step`, `.owner` and `.due_on`.
pub async fn hold(State(app): State<App>, v: Viewer, Id(pid): Id, form: Posted) -> PageResult {
    let input = ConferenceInput {
        decisions: form.rows("decisions")?,
        ..form.parse()?
    };
    let result = app.hold_conference(&v.actor, pid, &input).await;
    let again = async |errors: Vec<FieldError>, status| {
        conference_page(&app, &v, pid, &input, &errors, status).await
    };
    after_post(
        result,
        |c| format!("/participants/{}#conferences", c.participant_id),
        None,
        again,
    )
    .await
}
