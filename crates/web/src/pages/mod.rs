//! HTML pages: server-rendered, no JavaScript needed, Swedish first.

mod activities;
mod admin;
mod assessments;
mod audit;
mod caseload;
mod conferences;
mod consents;
mod employers;
mod enrolments;
mod extract;
mod follow_ups;
mod import;
mod login;
mod matching;
mod oidc;
mod participant_time;
mod participants;
mod placements;
mod plans;
mod portal;
mod portal_reminders;
mod project_forms;
mod projects;
mod referrals;
mod register_extract;
#[cfg(feature = "pdf")]
mod register_extract_pdf;
mod reports;
mod retention;
mod schedules;
mod time_report;

pub use extract::{Id, PageError, PageResult, Viewer, Visitor};
pub use portal::is_portal_path;
pub use time_report::sheet as time_report_sheet;

use crate::Lang;
use crate::session::Ctx;
use askama::Template;
use axum::Router;
use axum::http::{StatusCode, Uri};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use stegvis_app::policy::{self, Request};
use stegvis_app::{Actor, App, AppError, FieldError};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/", get(home))
        .route("/caseload", get(caseload::show))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/oidc/{id}/start", get(oidc::start))
        .route("/oidc/callback", get(oidc::callback))
        .route("/awaiting-role", get(oidc::awaiting_role))
        .route(
            "/admin/identity-providers",
            get(oidc::admin).post(oidc::admin_save),
        )
        .route(
            "/admin/identity-providers/local-passwords",
            post(oidc::admin_local_passwords),
        )
        .route("/lang/{code}", get(login::language))
        .route("/projects", get(projects::list).post(project_forms::create))
        .route("/projects/new", get(project_forms::new_form))
        .route("/projects/{id}", get(projects::show))
        .route(
            "/projects/{id}/edit",
            get(project_forms::edit_form).post(project_forms::update),
        )
        .route("/projects/{id}/goals", get(project_forms::goal_list))
        .route(
            "/projects/{id}/goals/new",
            get(project_forms::goal_new).post(project_forms::goal_create),
        )
        .route(
            "/goals/{id}/edit",
            get(project_forms::goal_edit).post(project_forms::goal_update),
        )
        .route("/goals/{id}/retire", post(project_forms::goal_retire))
        .route(
            "/participants",
            get(participants::list).post(participants::create),
        )
        .route("/participants/new", get(participants::new_form))
        .route("/participants/search", post(participants::search))
        .route("/participants/{id}", get(participants::show))
        .route(
            "/participants/{id}/assess",
            get(assessments::form).post(assessments::submit),
        )
        .route(
            "/assessments/{id}/part",
            get(assessments::part_form).post(assessments::part_submit),
        )
        .route("/assessments/{id}/partners", post(assessments::open_to))
        .route(
            "/participants/{id}/enrol",
            get(enrolments::enrol_form).post(enrolments::enrol),
        )
        .route(
            "/enrolments/{id}/edit",
            get(enrolments::edit_form).post(enrolments::update),
        )
        .route(
            "/enrolments/{id}/exit",
            get(enrolments::exit_form).post(enrolments::exit),
        )
        .route("/participants/{id}/plan", post(plans::submit))
        .route("/participants/{id}/plan/new", get(plans::form))
        .route(
            "/plan-steps/{id}/edit",
            get(plans::edit_form).post(plans::update),
        )
        .route(
            "/projects/{id}/activities",
            get(activities::list).post(activities::create),
        )
        .route(
            "/activities/{id}/schedule",
            get(schedules::form).post(schedules::submit),
        )
        .route("/projects/{id}/time-report", get(time_report::show))
        .route("/projects/{id}/report", get(reports::show))
        .route(
            "/projects/{id}/participant-time",
            get(participant_time::form).post(participant_time::submit),
        )
        .route("/reports/rollup", get(reports::rollup))
        .route(
            "/projects/{id}/report/participants",
            get(reports::participant_file),
        )
        .route(
            "/projects/{id}/goals/{goal}",
            get(reports::goal_participants),
        )
        .route("/projects/{id}/report/export", get(reports::export))
        .route(
            "/projects/{id}/report/pseudonymised",
            get(retention::pseudonymised),
        )
        .route("/retention", get(retention::show))
        .route("/retention/rules", post(retention::add_rule))
        .route("/retention/rules/{id}/retire", post(retention::retire_rule))
        .route("/retention/run", post(retention::run))
        .route(
            "/projects/{id}/time-report/export",
            get(time_report::export),
        )
        .route(
            "/activities/{id}/attendance",
            get(activities::form).post(activities::submit),
        )
        .route("/participants/{id}/placements", post(placements::offer))
        .route(
            "/participants/{id}/placements/new",
            get(placements::offer_form),
        )
        .route("/placements/{id}", get(placements::show))
        .route("/placements/{id}/{what}", post(placements::act))
        .route("/supervised", get(placements::supervised))
        .route("/participants/{id}/consents", post(consents::grant))
        .route("/participants/{id}/consents/new", get(consents::form))
        .route("/consents/{id}/revoke", post(consents::revoke))
        .route("/participants/{id}/referrals", post(referrals::send))
        .route("/participants/{id}/referrals/new", get(referrals::form))
        .route("/referrals", get(referrals::list))
        .route(
            "/teams",
            get(conferences::teams).post(conferences::create_team),
        )
        .route("/participants/{id}/conferences", post(conferences::hold))
        .route("/participants/{id}/conferences/new", get(conferences::form))
        .route("/referrals/{id}/status", post(referrals::answer))
        .route("/audit", get(audit::trail))
        .route("/audit/export", get(audit::export))
        .route("/audit/verify", post(audit::verify))
        .route("/participants/{id}/access-log", get(audit::access_log))
        .route(
            "/participants/{id}/extract.json",
            get(register_extract::json),
        )
        .route("/participants/{id}/extract.pdf", get(register_extract::pdf))
        .route(
            "/participants/{id}/correct",
            get(register_extract::correction_form).post(register_extract::correct),
        )
        .route(
            "/participants/{id}/job-profile",
            get(matching::profile_form).post(matching::profile_submit),
        )
        .route("/openings/{id}/candidates", get(matching::candidates))
        .route("/import", import::routes_upload())
        .route("/import/{id}", get(import::mapping).post(import::check))
        .route("/import/{id}/check", get(import::checked))
        .route(
            "/import/{id}/run",
            get(import::back_to_check).post(import::run),
        )
        .route("/import/{id}/done", get(import::done))
        .route("/import/{id}/rejected.csv", get(import::rejected))
        .route("/employers", get(employers::list).post(employers::create))
        .route("/employers/{id}", get(employers::show))
        .route(
            "/employers/{id}/openings",
            get(back_to_employer).post(employers::add_opening),
        )
        .route(
            "/employers/{id}/clauses",
            get(back_to_employer).post(employers::add_clause),
        )
        .route(
            "/employers/{id}/agreements",
            get(back_to_employer).post(employers::add_agreement),
        )
        .route("/follow-ups", get(follow_ups::list))
        .route(
            "/follow-ups/{id}",
            get(follow_ups::form).post(follow_ups::submit),
        )
        .route(
            "/setup/{code}",
            get(admin::setup_form).post(admin::setup_submit),
        )
        .route(
            "/activate",
            get(admin::activate_blank).post(admin::activate_submit),
        )
        .route("/activate/{code}", get(admin::activate_form))
        .route("/account", get(admin::account))
        .route(
            "/account/password",
            get(back_to_account).post(admin::change_password),
        )
        .route(
            "/account/tokens",
            get(back_to_account).post(admin::create_token),
        )
        .route("/account/tokens/{id}/revoke", post(admin::revoke_token))
        .route("/admin/users", get(admin::users).post(admin::invite))
        .route(
            "/admin/users/{id}",
            get(admin::user).post(admin::change_user),
        )
        .route(
            "/admin/users/{id}/password-reset",
            get(back_to_user).post(admin::reset_password),
        )
        .route(
            "/admin/organisations",
            get(admin::organisations).post(admin::create_organisation),
        )
        .route(
            "/admin/organisations/{id}",
            get(admin::organisation).post(admin::update_organisation),
        )
        .route(
            "/participants/{id}/account",
            get(back_to_participant).post(admin::open_participant_account),
        )
        .route(
            "/participants/{id}/account/close",
            get(back_to_participant).post(admin::close_participant_account),
        )
        // The participant's portal, the language chooser and the accessibility statement.
        .route("/me", get(portal::home))
        .route("/me/plan", get(portal::plan).post(portal::step_add))
        .route("/me/plan/new", get(portal::step_form))
        .route(
            "/me/plan-steps/{id}",
            get(portal::words_form).post(portal::words_submit),
        )
        .route("/me/plan-steps/{id}/done", post(portal::step_done))
        .route("/me/activities", get(portal::activities))
        .route("/me/placements", get(portal::placements))
        .route(
            "/me/consents",
            get(portal::consents).post(portal::consent_give),
        )
        .route("/me/consents/new", get(portal::consent_form))
        .route("/me/consents/{id}/revoke", post(portal::revoke))
        .route("/me/access-log", get(portal::access_log))
        .route(
            "/me/reminders",
            get(portal_reminders::show).post(portal_reminders::submit),
        )
        .route("/language/{code}", get(portal::language))
        .route("/tillganglighet", get(portal::accessibility))
        .layer(axum::middleware::from_fn(extract::render_errors))
}

// A page that answers a form (a one-time code, a new token) has no address of its own: asked for
// again with GET (the language switch, a reload, a bookmark), it leads back to where the form was.
async fn back_to_participant(axum::extract::Path(id): axum::extract::Path<uuid::Uuid>) -> Redirect {
    Redirect::to(&format!("/participants/{id}"))
}

async fn back_to_employer(axum::extract::Path(id): axum::extract::Path<uuid::Uuid>) -> Redirect {
    Redirect::to(&format!("/employers/{id}"))
}

async fn back_to_user(axum::extract::Path(id): axum::extract::Path<uuid::Uuid>) -> Redirect {
    Redirect::to(&format!("/admin/users/{id}"))
}

async fn back_to_account() -> Redirect {
    Redirect::to("/account")
}

/// The logged-in user as the header shows them.
pub struct UserChrome {
    pub name: String,
    pub role: String,
    /// Coaches and project managers have a caseload.
    pub has_caseload: bool,
    /// Supervisors have their placements.
    pub supervises: bool,
    /// Auditors search the access log.
    pub audits: bool,
    /// Staff who send or receive referrals.
    pub refers: bool,
    /// Administrators keep users and organisations.
    pub administers: bool,
    /// Staff who may register participants, and so import them from a file.
    pub imports: bool,
}

/// Coaches start the day at their caseload, participants at their portal (`/me`),
/// everyone else at the projects.
async fn home(v: Visitor) -> Redirect {
    let ctx = v.ctx;
    let target = match ctx.actor() {
        Some(a) if policy::awaits_role(a) => "/awaiting-role".to_owned(),
        Some(a) if has_caseload(a) => "/caseload".to_owned(),
        Some(a) if policy::allows(&Request::Supervised(a)) => "/supervised".to_owned(),
        Some(a) if receives_referrals(a) => "/referrals".to_owned(),
        Some(a) if administers(a) => "/admin/users".to_owned(),
        Some(Actor {
            participant_id: Some(_),
            ..
        }) => "/me".to_owned(),
        _ => "/projects".to_owned(),
    };
    Redirect::to(&target)
}

/// Administrators, who keep the organisation's people.
fn administers(a: &Actor) -> bool {
    policy::allows(&Request::Function {
        actor: a,
        function: policy::Function::Users,
        action: policy::Action::Write,
        owner: None,
    })
}

/// Staff who may register participants may import them (the app's gate has the last word).
pub fn imports(a: &Actor) -> bool {
    policy::allows(&Request::Create {
        actor: a,
        kind: policy::RecordKind::Participant,
        participant: None,
    })
}

fn has_caseload(a: &Actor) -> bool {
    policy::allows(&Request::Caseload(a))
}

/// Partner staff, whose referrals are those sent to them.
fn receives_referrals(a: &Actor) -> bool {
    policy::decide(&Request::Referrals(a)) == policy::Ground::ConsentedOnly
}

/// What the base layout needs on every page.
pub struct Chrome {
    pub lang: Lang,
    pub user: Option<UserChrome>,
    pub csrf: String,
    pub section: &'static str,
    pub path: String,
}

pub fn chrome(ctx: &Ctx, section: &'static str, uri: &Uri) -> Chrome {
    Chrome {
        lang: ctx.lang,
        user: ctx.actor().map(|a| UserChrome {
            name: a.name.clone(),
            role: a.role.label(ctx.lang.code()).to_owned(),
            has_caseload: has_caseload(a),
            supervises: policy::allows(&Request::Supervised(a)),
            audits: policy::allows(&Request::AuditTrail(a, None)),
            refers: has_caseload(a) || receives_referrals(a),
            administers: administers(a),
            imports: imports(a),
        }),
        csrf: ctx.csrf().to_owned(),
        section,
        // The path only: a query may hold a search term, which must not travel into links.
        path: uri.path().to_owned(),
    }
}

pub fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template");
            (
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "template error",
            )
                .into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    c: Chrome,
    title: String,
    body: String,
    link_href: String,
    link_text: String,
}

/// The file format a download asks for (`?format=`): one not offered is not found.
pub fn download_format(asked: Option<&str>) -> Result<crate::export::Format, AppError> {
    asked
        .and_then(crate::export::Format::parse)
        .ok_or(AppError::NotFound)
}

/// The end of every form post: on success, go where `next` says; invalid input shows the form
/// again (422) with its errors, and so does a conflict when the form has a field to show it at
/// (409); anything else gets the error page.
pub async fn after_post<T>(
    result: Result<T, AppError>,
    next: impl FnOnce(T) -> String,
    conflict_field: Option<&str>,
    again: impl AsyncFnOnce(Vec<FieldError>, StatusCode) -> PageResult,
) -> PageResult {
    match (result, conflict_field) {
        (Ok(v), _) => Ok(Redirect::to(&next(v)).into_response()),
        (Err(AppError::Invalid(errors)), _) => {
            again(errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        (Err(AppError::Conflict(text)), Some(field)) => {
            again(vec![FieldError::new(field, text)], StatusCode::CONFLICT).await
        }
        (Err(e), _) => Err(e.into()),
    }
}

/// A participant opening a staff page of their own record is sent to the portal's page for the
/// same task (staff pages are wide tables made for a desk).
pub fn to_portal(actor: &Actor, participant_id: uuid::Uuid, portal_path: &str) -> Option<Response> {
    (actor.participant_id == Some(participant_id))
        .then(|| Redirect::to(portal_path).into_response())
}
