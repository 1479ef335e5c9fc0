//! The JSON API under `/api/v1`: bearer tokens or the browser session, problem+json errors,
//! OpenAPI at `/api/v1/openapi.json`.

mod administration;
mod collaboration;
mod handlers;
mod placements;
mod projects;
mod reminders;
mod reports;
pub mod responses;

use crate::Lang;
use crate::error::{ApiError, Problem, ProblemField};
use crate::session::Ctx;
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::routing::{get, post};
use stegvis_app::{Actor, App, AppError, FieldError, Text};
use utoipa::OpenApi;

pub use handlers::*;

/// The caller of an API route.
pub struct ApiActor(pub Actor, pub Lang);

impl FromRequestParts<App> for ApiActor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &App) -> Result<Self, Self::Rejection> {
        let ctx = parts.extensions.get::<Ctx>().cloned();
        let lang = ctx.as_ref().map_or(Lang::Sv, |c| c.lang);
        match ctx.and_then(|c| c.session) {
            Some(s) => Ok(ApiActor(s.actor, lang)),
            None => Err(ApiError(AppError::Unauthenticated, lang)),
        }
    }
}

/// The record id in the path. What is no UUID names no record: 404, like a record the caller
/// may not see; that includes a segment that is not UTF-8, which `Path<String>` answered with a
/// plain-text 400 the document does not know.
pub struct ApiId(pub uuid::Uuid);

impl<S: Send + Sync> FromRequestParts<S> for ApiId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let lang = parts.extensions.get::<Ctx>().map_or(Lang::Sv, |c| c.lang);
        axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .ok()
            .and_then(|axum::extract::Path(raw)| uuid::Uuid::parse_str(&raw).ok())
            .map(ApiId)
            .ok_or(ApiError(AppError::NotFound, lang))
    }
}

/// A JSON body whose errors come back as problem+json (422 naming the body), as the document
/// promises. The body must be a JSON object (serde would also read a struct from an array), and
/// a whole number written with a fraction (`2.0`) counts as the integer it is: JSON Schema's
/// `integer` allows it, so a client may send it.
pub struct ApiJson<T>(pub T);

impl<T: serde::de::DeserializeOwned> FromRequest<App> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &App) -> Result<Self, Self::Rejection> {
        let lang = req.extensions().get::<Ctx>().map_or(Lang::Sv, |c| c.lang);
        let invalid = |detail: String| {
            let text = Text::new(
                format!("Felaktig JSON: {detail}"),
                format!("Malformed JSON: {detail}"),
            );
            ApiError(AppError::Invalid(vec![FieldError::new("body", text)]), lang)
        };
        let mut value = match axum::Json::<serde_json::Value>::from_request(req, state).await {
            Ok(axum::Json(v)) => v,
            Err(JsonRejection::MissingJsonContentType(_)) => {
                return Err(invalid("Content-Type must be application/json".to_owned()));
            }
            Err(other) => return Err(invalid(other.body_text())),
        };
        if !value.is_object() {
            return Err(invalid("the body must be a JSON object".to_owned()));
        }
        if let Some(field) = nul_in(&value, "") {
            return Err(nul_error(&field, lang));
        }
        whole_numbers_as_integers(&mut value);
        serde_path_to_error::deserialize(value)
            .map(ApiJson)
            .map_err(|e| invalid(format!("{}: {}", e.path(), e.inner())))
    }
}

/// Where a text holds the NUL character, which PostgreSQL cannot store in text: the path of the
/// first such string (or key), `body` at the top.
fn nul_in(value: &serde_json::Value, path: &str) -> Option<String> {
    use serde_json::Value;
    let here = || Some(if path.is_empty() { "body" } else { path }.to_owned());
    let join = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        Value::String(s) if s.contains('\0') => here(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| nul_in(v, &join(&i.to_string()))),
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            if k.contains('\0') {
                here()
            } else {
                nul_in(v, &join(k))
            }
        }),
        _ => None,
    }
}

/// The answer to a text with the NUL character: the same on SQLite and PostgreSQL.
fn nul_error(field: &str, lang: Lang) -> ApiError {
    let text = Text::new(
        "Texten får inte innehålla tecknet NUL (U+0000).",
        "The text may not contain the NUL character (U+0000).",
    );
    ApiError(AppError::Invalid(vec![FieldError::new(field, text)]), lang)
}

/// Turns every number with a zero fraction that fits an `i64` (`2.0`) into that integer.
fn whole_numbers_as_integers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64()
                && f.fract() == 0.0
                && f >= i64::MIN as f64
                && f < i64::MAX as f64
            {
                *value = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        Value::Object(map) => map.values_mut().for_each(whole_numbers_as_integers),
        _ => {}
    }
}

/// Query parameters whose errors come back as problem+json (422 naming the parameter), as
/// the document promises, instead of axum's plain-text 400.
pub struct ApiQuery<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let lang = parts.extensions.get::<Ctx>().map_or(Lang::Sv, |c| c.lang);
        let query = parts.uri.query().unwrap_or_default();
        if let Some((name, _)) = form_urlencoded::parse(query.as_bytes())
            .find(|(k, v)| k.contains('\0') || v.contains('\0'))
        {
            return Err(nul_error(&name.replace('\0', ""), lang));
        }
        let params = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(params)
            .map(ApiQuery)
            .map_err(|e| {
                // The path names the parameter; a missing one is only named in the message.
                let field = match e.path().to_string() {
                    root if root == "." => "query".to_owned(),
                    name => name,
                };
                let detail = e.into_inner().to_string();
                let text = Text::new(
                    format!("Ogiltig parameter: {detail}"),
                    format!("Invalid parameter: {detail}"),
                );
                ApiError(AppError::Invalid(vec![FieldError::new(&field, text)]), lang)
            })
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Stegvis API", version = "1", description = "Participants, enrolments and projects of labour-market inclusion projects. Every read and write of personal data is authorised by role, organisation and consent, and written to the audit trail.\n\nTimes (`*_at`) are RFC 3339 date-times, dates `YYYY-MM-DD`. Errors are RFC 9457 problems (`application/problem+json`) in the caller's language; 422 names each invalid field. No text may contain the NUL character (U+0000): a body or query parameter with one is answered 422."),
    paths(
        handlers::list_organisations, handlers::create_organisation, handlers::get_organisation,
        handlers::list_users, handlers::create_user,
        handlers::list_projects, handlers::get_project,
        projects::create_project, projects::update_project, projects::project_history,
        projects::list_goals, projects::create_goal, projects::preview_goal, projects::get_goal, projects::update_goal, projects::retire_goal,
        handlers::list_participants, handlers::create_participant, handlers::get_participant, handlers::caseload,
        handlers::list_enrolments, handlers::create_enrolment, handlers::get_enrolment, handlers::update_enrolment, handlers::exit_enrolment,
        handlers::list_audit,
        handlers::access_log,
        handlers::register_extract,
        reports::project_report,
        collaboration::participant_referrals, collaboration::send_referral, collaboration::list_referrals, collaboration::get_referral, collaboration::move_referral, collaboration::open_assessment_to, collaboration::list_teams, collaboration::create_team, collaboration::participant_conferences, collaboration::hold_conference,
        handlers::list_assessments, handlers::create_assessment, handlers::add_assessment_part,
        handlers::list_activities, handlers::create_activity, handlers::record_attendance, handlers::list_schedules, handlers::add_schedule, handlers::time_report, handlers::project_time_report,
        handlers::due_follow_ups, handlers::record_follow_up, handlers::participant_follow_ups,
        handlers::get_plan, handlers::add_plan_step, handlers::update_plan_step, handlers::get_plan_step,
        placements::list_employers, placements::register_employer, placements::get_employer, placements::add_workplace, placements::add_opening,
        placements::participant_placements, placements::offer_placement, placements::get_placement, placements::move_placement,
        placements::confirm_week, placements::add_feedback, placements::supervised,
        administration::setup, administration::activate, administration::own_account, administration::change_password,
        administration::list_tokens, administration::create_token, administration::revoke_token,
        administration::invite, administration::get_user, administration::change_user, administration::reset_password,
        administration::update_organisation,
        administration::participant_account, administration::open_participant_account, administration::close_participant_account,
        placements::add_clause, placements::add_agreement, placements::list_consents, placements::grant_consent, placements::revoke_consent, placements::get_job_profile, placements::put_job_profile, placements::participant_matches, placements::opening_candidates,
        reminders::get_reminders, reminders::put_reminders,
    ),
    components(schemas(
        Problem, ProblemField,
        // Code lists that inputs name through `stegvis_app::openapi` (blank allowed), which
        // cannot register them itself.
        stegvis_domain::Answer, stegvis_domain::LabourStatus, stegvis_domain::participant::IdentityMode,
        stegvis_domain::attendance::AbsenceReason, stegvis_domain::plan::StepOwner,
        stegvis_domain::placement::PlacementKind, stegvis_domain::matching::SwedishLevel,
        stegvis_domain::matching::Adaptation,
        stegvis_app::openapi::MunicipalityCode, stegvis_app::openapi::SsykCode,
        // Named only by query parameters, which register nothing either.
        handlers::ReportFormat,
    )),
    modifiers(&BearerAuth, &RequiredHaveNoDefault, &AnswersBusy),
    security(("bearer" = []))
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Every operation reads or writes the database (an authenticated one at least its session or
/// token), so each can answer 503 when the pool or the audit writer is busy: the shared
/// [`responses::Busy`] on all of them, rather than on each `#[utoipa::path]` by hand.
struct AnswersBusy;

impl utoipa::Modify for AnswersBusy {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::IntoResponses;
        let busy = responses::Busy::responses();
        for item in openapi.paths.paths.values_mut() {
            for operation in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                for (status, response) in &busy {
                    operation
                        .responses
                        .responses
                        .entry(status.clone())
                        .or_insert_with(|| response.clone());
                }
            }
        }
    }
}

/// `#[serde(default)]` on an input makes utoipa give every field its `Default` value as
/// `default`, even where that value is no valid input: a field the use case requires, or `""`
/// for a code. The document drops those defaults, and the `oneOf` wrapper that carried one.
struct RequiredHaveNoDefault;

impl utoipa::Modify for RequiredHaveNoDefault {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::RefOr;
        use utoipa::openapi::schema::Schema;
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        for schema in components.schemas.values_mut() {
            let RefOr::T(Schema::Object(object)) = schema else {
                continue;
            };
            for (name, property) in object.properties.iter_mut() {
                let required = object.required.contains(name);
                match property {
                    RefOr::T(Schema::Object(o)) if required => o.default = None,
                    RefOr::T(Schema::Array(a)) if required => a.default = None,
                    // A code list under a default: `""`, or the `Default` of its struct.
                    RefOr::T(Schema::OneOf(o))
                        if o.items.len() == 1 && matches!(o.items[0], RefOr::Ref(_)) =>
                    {
                        *property = o.items.remove(0);
                    }
                    RefOr::T(Schema::OneOf(o)) if required => o.default = None,
                    _ => {}
                }
            }
        }
    }
}

async fn openapi_json() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}

pub fn routes() -> Router<App> {
    Router::new()
        .route("/openapi.json", get(openapi_json))
        .route(
            "/organisations",
            get(handlers::list_organisations).post(handlers::create_organisation),
        )
        .route(
            "/organisations/{id}",
            get(handlers::get_organisation).patch(administration::update_organisation),
        )
        .route(
            "/users",
            get(handlers::list_users).post(handlers::create_user),
        )
        .route(
            "/users/{id}",
            get(administration::get_user).patch(administration::change_user),
        )
        .route(
            "/users/{id}/password-reset",
            post(administration::reset_password),
        )
        .route("/invitations", post(administration::invite))
        .route("/setup", post(administration::setup))
        .route("/activate", post(administration::activate))
        .route("/account", get(administration::own_account))
        .route("/account/password", post(administration::change_password))
        .route(
            "/tokens",
            get(administration::list_tokens).post(administration::create_token),
        )
        .route("/tokens/{id}/revoke", post(administration::revoke_token))
        .route(
            "/participants/{id}/account",
            get(administration::participant_account).post(administration::open_participant_account),
        )
        .route(
            "/participants/{id}/account/close",
            post(administration::close_participant_account),
        )
        .route(
            "/projects",
            get(handlers::list_projects).post(projects::create_project),
        )
        .route(
            "/projects/{id}",
            get(handlers::get_project).patch(projects::update_project),
        )
        .route("/projects/{id}/history", get(projects::project_history))
        .route(
            "/projects/{id}/goals",
            get(projects::list_goals).post(projects::create_goal),
        )
        .route("/projects/{id}/goals/preview", post(projects::preview_goal))
        .route(
            "/goals/{id}",
            get(projects::get_goal).put(projects::update_goal),
        )
        .route("/goals/{id}/retire", post(projects::retire_goal))
        .route(
            "/participants",
            get(handlers::list_participants).post(handlers::create_participant),
        )
        .route("/participants/{id}", get(handlers::get_participant))
        .route("/caseload", get(handlers::caseload))
        .route(
            "/participants/{id}/enrolments",
            get(handlers::list_enrolments).post(handlers::create_enrolment),
        )
        .route(
            "/participants/{id}/assessments",
            get(handlers::list_assessments).post(handlers::create_assessment),
        )
        .route(
            "/assessments/{id}/parts",
            post(handlers::add_assessment_part),
        )
        .route(
            "/projects/{id}/activities",
            get(handlers::list_activities).post(handlers::create_activity),
        )
        .route(
            "/activities/{id}/attendance",
            post(handlers::record_attendance),
        )
        .route(
            "/activities/{id}/schedules",
            get(handlers::list_schedules).post(handlers::add_schedule),
        )
        .route("/participants/{id}/time-report", get(handlers::time_report))
        .route(
            "/projects/{id}/time-report",
            get(handlers::project_time_report),
        )
        .route("/follow-ups", get(handlers::due_follow_ups))
        .route("/follow-ups/{id}", post(handlers::record_follow_up))
        .route(
            "/participants/{id}/follow-ups",
            get(handlers::participant_follow_ups),
        )
        .route(
            "/participants/{id}/plan",
            get(handlers::get_plan).post(handlers::add_plan_step),
        )
        .route(
            "/plan-steps/{id}",
            get(handlers::get_plan_step).patch(handlers::update_plan_step),
        )
        .route(
            "/enrolments/{id}",
            get(handlers::get_enrolment).patch(handlers::update_enrolment),
        )
        .route("/enrolments/{id}/exit", post(handlers::exit_enrolment))
        .route(
            "/employers",
            get(placements::list_employers).post(placements::register_employer),
        )
        .route("/employers/{id}", get(placements::get_employer))
        .route(
            "/employers/{id}/workplaces",
            post(placements::add_workplace),
        )
        .route("/workplaces/{id}/openings", post(placements::add_opening))
        .route("/employers/{id}/clauses", post(placements::add_clause))
        .route(
            "/employers/{id}/agreements",
            post(placements::add_agreement),
        )
        .route(
            "/participants/{id}/placements",
            get(placements::participant_placements).post(placements::offer_placement),
        )
        .route("/placements/{id}", get(placements::get_placement))
        .route("/placements/{id}/status", post(placements::move_placement))
        .route("/placements/{id}/weeks", post(placements::confirm_week))
        .route("/placements/{id}/feedback", post(placements::add_feedback))
        .route("/supervised-placements", get(placements::supervised))
        .route(
            "/participants/{id}/consents",
            get(placements::list_consents).post(placements::grant_consent),
        )
        .route("/consents/{id}/revoke", post(placements::revoke_consent))
        .route(
            "/participants/{id}/referrals",
            get(collaboration::participant_referrals).post(collaboration::send_referral),
        )
        .route("/referrals", get(collaboration::list_referrals))
        .route("/projects/{id}/report", get(reports::project_report))
        .route(
            "/teams",
            get(collaboration::list_teams).post(collaboration::create_team),
        )
        .route(
            "/participants/{id}/conferences",
            get(collaboration::participant_conferences).post(collaboration::hold_conference),
        )
        .route(
            "/assessments/{id}/partners",
            post(collaboration::open_assessment_to),
        )
        .route("/referrals/{id}", get(collaboration::get_referral))
        .route("/referrals/{id}/status", post(collaboration::move_referral))
        .route(
            "/participants/{id}/job-profile",
            get(placements::get_job_profile).put(placements::put_job_profile),
        )
        .route(
            "/participants/{id}/reminders",
            get(reminders::get_reminders).put(reminders::put_reminders),
        )
        .route(
            "/participants/{id}/matches",
            get(placements::participant_matches),
        )
        .route(
            "/openings/{id}/candidates",
            get(placements::opening_candidates),
        )
        .route("/audit", get(handlers::list_audit))
        .route("/participants/{id}/access-log", get(handlers::access_log))
        .route(
            "/participants/{id}/extract",
            get(handlers::register_extract),
        )
        .fallback(|ctx: Option<axum::Extension<Ctx>>| async move {
            ApiError(AppError::NotFound, ctx.map_or(Lang::Sv, |c| c.lang))
        })
}
