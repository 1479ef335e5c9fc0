//! API handlers: each parses, calls one use case, and maps the answer.

use super::responses::{Binary, Conflict, Forbidden, Invalid, NotFound, Unauthorized};
use super::{ApiActor, ApiId, ApiJson, ApiQuery};
use crate::error::ApiError;
use crate::export::{Cell, Format, Sheet, download};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use stegvis_app::App;
use stegvis_app::audit::AuditQuery;
use stegvis_app::enrolments::{EnrolInput, EnrolmentUpdate, EnrolmentView, ExitInput};
use stegvis_app::keyset::{Keyset, PageRequest};
use stegvis_app::organisations::{OrganisationInput, OrganisationView};
use stegvis_app::participants::{ParticipantDetail, ParticipantView, RegisterInput};
use stegvis_app::projects::ProjectView;
use stegvis_app::users::{UserInput, UserView};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

pub(super) type ApiResult = Result<Response, ApiError>;

pub(super) fn ok<T: serde::Serialize>(v: T) -> ApiResult {
    Ok(Json(v).into_response())
}

pub(super) fn created<T: serde::Serialize>(v: T) -> ApiResult {
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

/// One page of a long list by keyset (the referrals, the follow-ups due).
#[derive(Debug, Default, serde::Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct KeysetParams {
    /// Rows on the page, 1–200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// The cursor: the page starts after this row. Take it from the `Link` header
    /// (`rel="next"`) of the page before.
    #[param(value_type = Option<String>, format = Uuid)]
    pub after: Option<String>,
}

/// The answer for one page: its rows as an array, and while more follow a `Link` header with
/// the URL of the next (`path` with `query` and the page's `limit` and `after`).
pub(super) fn keyset_page<T: serde::Serialize>(
    page: Keyset<T>,
    limit: i64,
    path: &str,
    query: &[(&str, String)],
) -> ApiResult {
    let mut response = Json(page.items).into_response();
    if let Some(next) = page.next {
        let mut url = form_urlencoded::Serializer::new(String::new());
        for (k, v) in query {
            url.append_pair(k, v);
        }
        url.append_pair("limit", &limit.to_string());
        url.append_pair("after", &next.to_string());
        let link = format!("<{path}?{}>; rel=\"next\"", url.finish());
        if let Ok(value) = axum::http::HeaderValue::from_str(&link) {
            response
                .headers_mut()
                .insert(axum::http::header::LINK, value);
        }
    }
    Ok(response)
}

/// Paging of list endpoints.
#[derive(Debug, serde::Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ListParams {
    /// Name fragment or an exact identity number.
    pub q: String,
    /// 1–200, default 50.
    pub limit: i64,
    pub offset: i64,
}

impl Default for ListParams {
    fn default() -> Self {
        ListParams {
            q: String::new(),
            limit: 50,
            offset: 0,
        }
    }
}

/// A page of participants.
#[derive(serde::Serialize, ToSchema)]
pub struct ParticipantPage {
    pub items: Vec<ParticipantView>,
    /// How many match; counting stops after 1,000 (or after this page, if further on).
    pub total: i64,
    /// There are more matches than `total`: show "more than 1,000".
    pub total_is_lower_bound: bool,
    pub limit: i64,
    pub offset: i64,
}

#[utoipa::path(get, path = "/api/v1/organisations", tag = "organisations", responses((status = 200, body = Vec<OrganisationView>), Unauthorized))]
pub async fn list_organisations(State(app): State<App>, ApiActor(a, l): ApiActor) -> ApiResult {
    ok(app.organisations(&a).await.map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(post, path = "/api/v1/organisations", tag = "organisations", request_body = OrganisationInput, responses((status = 201, body = OrganisationView), Unauthorized, Forbidden, Invalid))]
pub async fn create_organisation(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiJson(input): ApiJson<OrganisationInput>,
) -> ApiResult {
    created(
        app.create_organisation(&a, &input)
            .await
            .map_err(|e| ApiError(e, l))?,
    )
}

#[utoipa::path(get, path = "/api/v1/organisations/{id}", tag = "organisations", params(("id" = Uuid, Path)), responses((status = 200, body = OrganisationView), Unauthorized, NotFound))]
pub async fn get_organisation(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
) -> ApiResult {
    ok(app.organisation(&a, id).await.map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(get, path = "/api/v1/users", tag = "users", responses((status = 200, body = Vec<UserView>), Unauthorized, Forbidden))]
pub async fn list_users(State(app): State<App>, ApiActor(a, l): ApiActor) -> ApiResult {
    ok(app.users(&a).await.map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = UserInput, responses((status = 201, body = UserView), Unauthorized, Forbidden, Conflict, Invalid))]
pub async fn create_user(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiJson(input): ApiJson<UserInput>,
) -> ApiResult {
    created(
        app.create_user(&a, &input)
            .await
            .map_err(|e| ApiError(e, l))?,
    )
}

#[utoipa::path(get, path = "/api/v1/projects", tag = "projects", responses((status = 200, body = Vec<ProjectView>), Unauthorized))]
pub async fn list_projects(State(app): State<App>, ApiActor(a, l): ApiActor) -> ApiResult {
    ok(app.projects(&a).await.map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "projects", params(("id" = Uuid, Path)), responses((status = 200, body = ProjectView), Unauthorized, NotFound))]
pub async fn get_project(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
) -> ApiResult {
    ok(app.project(&a, id).await.map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(get, path = "/api/v1/participants", tag = "participants", params(ListParams), responses((status = 200, body = ParticipantPage), Unauthorized, Forbidden, Invalid))]
pub async fn list_participants(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiQuery(p): ApiQuery<ListParams>,
) -> ApiResult {
    let page = app
        .search_participants(&a, &p.q, p.limit, p.offset)
        .await
        .map_err(|e| ApiError(e, l))?;
    ok(ParticipantPage {
        items: page.items,
        total: page.total,
        total_is_lower_bound: page.total_is_lower_bound,
        limit: page.limit,
        offset: page.offset,
    })
}

#[utoipa::path(post, path = "/api/v1/participants", tag = "participants", request_body = RegisterInput, responses((status = 201, body = ParticipantDetail), Unauthorized, Forbidden, Conflict, Invalid))]
pub async fn create_participant(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiJson(input): ApiJson<RegisterInput>,
) -> ApiResult {
    created(
        app.register_participant(&a, &input)
            .await
            .map_err(|e| ApiError(e, l))?,
    )
}

#[utoipa::path(get, path = "/api/v1/participants/{id}", tag = "participants", params(("id" = Uuid, Path)), responses((status = 200, body = ParticipantDetail), Unauthorized, NotFound))]
pub async fn get_participant(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
) -> ApiResult {
    ok(app.participant(&a, id).await.map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(get, path = "/api/v1/participants/{id}/enrolments", tag = "enrolments", params(("id" = Uuid, Path)), responses((status = 200, body = Vec<EnrolmentView>), Unauthorized, NotFound))]
pub async fn list_enrolments(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
) -> ApiResult {
    ok(app
        .enrolments_of(&a, id)
        .await
        .map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(post, path = "/api/v1/participants/{id}/enrolments", tag = "enrolments", params(("id" = Uuid, Path)), request_body = EnrolInput, responses((status = 201, body = EnrolmentView), Unauthorized, NotFound, Conflict, Invalid))]
pub async fn create_enrolment(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<EnrolInput>,
) -> ApiResult {
    created(
        app.enrol(&a, id, &input)
            .await
            .map_err(|e| ApiError(e, l))?,
    )
}

#[utoipa::path(get, path = "/api/v1/enrolments/{id}", tag = "enrolments", params(("id" = Uuid, Path)), responses((status = 200, body = EnrolmentView), Unauthorized, NotFound))]
pub async fn get_enrolment(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
) -> ApiResult {
    ok(app.enrolment(&a, id).await.map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(patch, path = "/api/v1/enrolments/{id}", tag = "enrolments", params(("id" = Uuid, Path)), request_body = EnrolmentUpdate, responses((status = 200, body = EnrolmentView), Unauthorized, NotFound, Conflict, Invalid))]
pub async fn update_enrolment(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<EnrolmentUpdate>,
) -> ApiResult {
    ok(app
        .update_enrolment(&a, id, &input)
        .await
        .map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(post, path = "/api/v1/enrolments/{id}/exit", tag = "enrolments", params(("id" = Uuid, Path)), request_body = ExitInput, responses((status = 200, body = EnrolmentView), Unauthorized, NotFound, Conflict, Invalid))]
pub async fn exit_enrolment(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<ExitInput>,
) -> ApiResult {
    ok(app.exit(&a, id, &input).await.map_err(|e| ApiError(e, l))?)
}

/// The role an audit event was recorded under: a user's role, or `system` for work no user did.
fn actor_role_schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    let codes = stegvis_domain::Role::ALL
        .iter()
        .map(|r| r.code())
        .chain(["system"]);
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(codes))
        .into()
}

/// What an audit event is about: a kind of personal record, or a function without personal data.
fn record_kind_schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use stegvis_app::policy::{Function, RecordKind};
    let codes = RecordKind::ALL
        .iter()
        .map(|k| k.code())
        .chain(Function::ALL.iter().map(|f| f.code()));
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(codes))
        .into()
}

/// One event of the audit trail.
#[derive(serde::Serialize, ToSchema)]
pub struct AuditEventView {
    pub id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub at: time::OffsetDateTime,
    pub actor_user_id: Option<Uuid>,
    pub actor_name: Option<String>,
    #[schema(schema_with = actor_role_schema)]
    pub actor_role: String,
    pub actor_org_id: Option<Uuid>,
    pub actor_org_name: Option<String>,
    pub participant_id: Option<Uuid>,
    #[schema(schema_with = record_kind_schema)]
    pub record_kind: String,
    #[schema(value_type = stegvis_app::policy::Action)]
    pub action: String,
    #[schema(value_type = stegvis_app::policy::Decision)]
    pub decision: String,
    /// The code: `own_organisation:<role>`, `consent:<id>`, `own_record`, `denied:<why>`, …
    pub ground: String,
    /// The ground in words, in the caller's language.
    pub ground_text: String,
    pub detail: Option<String>,
}

fn audit_views(
    events: Vec<stegvis_app::audit::AuditEntry>,
    l: crate::Lang,
    to_participant: bool,
) -> Vec<AuditEventView> {
    events
        .into_iter()
        .map(|e| AuditEventView {
            id: e.id,
            at: e.at,
            actor_user_id: e.actor_user_id,
            actor_name: e.actor_name,
            actor_role: e.actor_role,
            actor_org_id: e.actor_org_id,
            actor_org_name: e.actor_org_name,
            participant_id: e.participant_id,
            record_kind: e.record_kind,
            action: e.action.code().to_owned(),
            decision: e.decision.code().to_owned(),
            ground_text: stegvis_app::audit::ground_text(&e.ground, to_participant)
                .get(l.code())
                .to_owned(),
            ground: e.ground,
            detail: e.detail,
        })
        .collect()
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery), responses((status = 200, body = Vec<AuditEventView>), Unauthorized, Forbidden, Invalid))]
pub async fn list_audit(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult {
    let events = app.audit_trail(&a, &q).await.map_err(|e| ApiError(e, l))?;
    ok(audit_views(events, l, false))
}

/// Who read or changed the participant's data: for the participant and the auditor only.
#[utoipa::path(get, path = "/api/v1/participants/{id}/access-log", tag = "audit", params(("id" = Uuid, Path)), responses((status = 200, body = Vec<AuditEventView>), Unauthorized, NotFound))]
pub async fn access_log(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
) -> ApiResult {
    let events = app.access_log(&a, id).await.map_err(|e| ApiError(e, l))?;
    let to_participant = a.participant_id.is_some();
    ok(audit_views(events, l, to_participant))
}

/// Everything Stegvis holds about the participant (the register extract), for the data
/// protection officer of their organisation; making it is one event in the audit trail.
#[utoipa::path(get, path = "/api/v1/participants/{id}/extract", tag = "audit", params(("id" = Uuid, Path)), responses((status = 200, body = stegvis_app::register_extract::RegisterExtract), Unauthorized, NotFound))]
pub async fn register_extract(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
) -> ApiResult {
    let x = app
        .register_extract(&a, id)
        .await
        .map_err(|e| ApiError(e, l))?;
    ok(x)
}

#[utoipa::path(get, path = "/api/v1/participants/{id}/assessments", tag = "assessments", params(("id" = Uuid, Path)), responses((status = 200, body = stegvis_app::assessments::AssessmentsView), Unauthorized, NotFound))]
pub async fn list_assessments(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
) -> ApiResult {
    ok(app.assessments(&a, id).await.map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(post, path = "/api/v1/participants/{id}/assessments", tag = "assessments", params(("id" = Uuid, Path)), request_body = stegvis_app::assessments::AssessmentInput, responses((status = 201, body = stegvis_app::assessments::AssessmentView), Unauthorized, NotFound, Invalid))]
pub async fn create_assessment(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<stegvis_app::assessments::AssessmentInput>,
) -> ApiResult {
    created(
        app.record_assessment(&a, id, &input)
            .await
            .map_err(|e| ApiError(e, l))?,
    )
}

#[utoipa::path(get, path = "/api/v1/projects/{id}/activities", tag = "activities", params(("id" = Uuid, Path)), responses((status = 200, body = Vec<stegvis_app::activities::ActivityView>), Unauthorized, NotFound))]
pub async fn list_activities(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
) -> ApiResult {
    ok(app.activities(&a, id).await.map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(post, path = "/api/v1/projects/{id}/activities", tag = "activities", params(("id" = Uuid, Path)), request_body = stegvis_app::activities::ActivityInput, responses((status = 201, body = stegvis_app::activities::ActivityView), Unauthorized, NotFound, Invalid))]
pub async fn create_activity(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<stegvis_app::activities::ActivityInput>,
) -> ApiResult {
    created(
        app.create_activity(&a, id, &input)
            .await
            .map_err(|e| ApiError(e, l))?,
    )
}

#[utoipa::path(post, path = "/api/v1/activities/{id}/attendance", tag = "activities", params(("id" = Uuid, Path)), request_body = stegvis_app::activities::GroupAttendanceInput, responses((status = 201, body = stegvis_app::activities::AttendanceRecorded), Unauthorized, NotFound, Invalid))]
pub async fn record_attendance(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<stegvis_app::activities::GroupAttendanceInput>,
) -> ApiResult {
    created(
        app.record_attendance(&a, id, &input)
            .await
            .map_err(|e| ApiError(e, l))?,
    )
}

/// How a report answers: JSON, or a file to download.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    #[default]
    Json,
    Csv,
    Xlsx,
}

impl ReportFormat {
    /// The file format, or none for JSON.
    fn download(self) -> Option<Format> {
        match self {
            ReportFormat::Json => None,
            ReportFormat::Csv => Some(Format::Csv),
            ReportFormat::Xlsx => Some(Format::Xlsx),
        }
    }
}

/// The month of a time report.
#[derive(Debug, serde::Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct MonthParams {
    /// `YYYY-MM` (years 1900–9999).
    #[param(pattern = "^(19|[2-9][0-9])[0-9]{2}-(0[1-9]|1[0-2])$")]
    pub month: String,
    /// `json` (default), `csv` or `xlsx`.
    pub format: Option<ReportFormat>,
    /// The project the certificate is for; may be left out when the participant has one.
    pub project: Option<Uuid>,
}

#[utoipa::path(get, path = "/api/v1/participants/{id}/time-report", tag = "activities", params(("id" = Uuid, Path), MonthParams), responses((status = 200, description = "The month's figures as JSON, or with `format` a CSV or XLSX file to download.", content((stegvis_app::activities::TimeReport = "application/json"), (String = "text/csv"), (Binary = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), Unauthorized, NotFound, Invalid))]
pub async fn time_report(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiQuery(p): ApiQuery<MonthParams>,
) -> ApiResult {
    let r = app
        .time_report(&a, id, p.project, &p.month)
        .await
        .map_err(|e| ApiError(e, l))?;
    if let Some(format) = p.format.unwrap_or_default().download() {
        // One line per participant and month, as the funder's time certificate needs it.
        let sheet = Sheet {
            title: format!("Time report {}", r.month),
            headers: [
                "participant_id",
                "project_id",
                "month",
                "attended_minutes",
                "whole_hours",
                "days_attended",
                "absences",
            ]
            .map(String::from)
            .to_vec(),
            rows: vec![vec![
                Cell::Text(r.participant_id.to_string()),
                Cell::Text(r.project_id.to_string()),
                Cell::Text(r.month.clone()),
                Cell::Number(r.attended_minutes as f64),
                Cell::Number(r.whole_hours as f64),
                Cell::Number(f64::from(r.days_attended)),
                Cell::Number(f64::from(r.absences)),
            ]],
        };
        return Ok(download(
            &sheet,
            format,
            &format!("time-report-{}", r.month),
        ));
    }
    ok(r)
}

/// The month of a project's time report.
#[derive(Debug, serde::Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct ProjectMonthParams {
    /// `YYYY-MM` (years 1900–9999).
    #[param(pattern = "^(19|[2-9][0-9])[0-9]{2}-(0[1-9]|1[0-2])$")]
    pub month: String,
    /// `json` (default), `csv` or `xlsx`.
    pub format: Option<ReportFormat>,
}

#[utoipa::path(get, path = "/api/v1/projects/{id}/time-report", tag = "activities", params(("id" = Uuid, Path), ProjectMonthParams), responses((status = 200, description = "The month's figures as JSON, or with `format` a CSV or XLSX file to download.", content((stegvis_app::time_reports::ProjectTimeReport = "application/json"), (String = "text/csv"), (Binary = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), Unauthorized, Forbidden, NotFound, Invalid))]
pub async fn project_time_report(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiQuery(p): ApiQuery<ProjectMonthParams>,
) -> ApiResult {
    let r = app
        .project_time_report(&a, id, &p.month)
        .await
        .map_err(|e| ApiError(e, l))?;
    if let Some(format) = p.format.unwrap_or_default().download() {
        let sheet = crate::pages::time_report_sheet(&r, l);
        return Ok(download(
            &sheet,
            format,
            &format!("time-report-{}", r.month),
        ));
    }
    ok(r)
}

/// How far ahead the due list looks, and which page.
#[derive(Debug, Default, serde::Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct DueParams {
    /// Days ahead of today, default 14; overdue ones are always included.
    pub within_days: Option<i64>,
    /// Rows on the page, 1–200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// The cursor: the page starts after this follow-up. Take it from the `Link` header
    /// (`rel="next"`) of the page before.
    #[param(value_type = Option<String>, format = Uuid)]
    pub after: Option<String>,
}

/// One page of the follow-ups due, in due order (then the participant's family name).
#[utoipa::path(get, path = "/api/v1/follow-ups", tag = "follow-ups", params(DueParams), responses((status = 200, body = Vec<stegvis_app::follow_ups::DueFollowUpView>, headers(("Link" = String, description = "`<URL>; rel=\"next\"`: the next page (the same parameters, with `after`); absent on the last page."))), Unauthorized, Forbidden, Invalid))]
pub async fn due_follow_ups(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiQuery(p): ApiQuery<DueParams>,
) -> ApiResult {
    let page = PageRequest::parse(p.limit, p.after.as_deref()).map_err(|e| ApiError(e, l))?;
    let days = p.within_days.unwrap_or(14);
    let list = app
        .due_follow_ups(&a, days, &page)
        .await
        .map_err(|e| ApiError(e, l))?;
    let query: Vec<(&str, String)> = match p.within_days {
        Some(d) => vec![("within_days", d.to_string())],
        None => Vec::new(),
    };
    keyset_page(list, page.limit, "/api/v1/follow-ups", &query)
}

/// Whose caseload.
#[derive(Debug, Default, serde::Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct CaseloadParams {
    /// `true` lists the organisation's participants who have no coach.
    pub unassigned: Option<bool>,
}

#[utoipa::path(get, path = "/api/v1/caseload", tag = "participants", params(CaseloadParams), responses((status = 200, body = stegvis_app::caseload::Caseload), Unauthorized, Forbidden, Invalid))]
pub async fn caseload(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiQuery(p): ApiQuery<CaseloadParams>,
) -> ApiResult {
    ok(app
        .caseload(&a, p.unassigned.unwrap_or(false))
        .await
        .map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(post, path = "/api/v1/follow-ups/{id}", tag = "follow-ups", params(("id" = Uuid, Path)), request_body = stegvis_app::follow_ups::FollowUpInput, responses((status = 200, body = stegvis_app::follow_ups::FollowUpView), Unauthorized, NotFound, Conflict, Invalid))]
pub async fn record_follow_up(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<stegvis_app::follow_ups::FollowUpInput>,
) -> ApiResult {
    ok(app
        .record_follow_up(&a, id, &input)
        .await
        .map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(get, path = "/api/v1/participants/{id}/follow-ups", tag = "follow-ups", params(("id" = Uuid, Path)), responses((status = 200, body = Vec<stegvis_app::follow_ups::FollowUpView>), Unauthorized, NotFound))]
pub async fn participant_follow_ups(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
) -> ApiResult {
    ok(app
        .follow_ups_of(&a, id)
        .await
        .map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(get, path = "/api/v1/participants/{id}/plan", tag = "plan", params(("id" = Uuid, Path)), responses((status = 200, body = Vec<stegvis_app::plans::PlanStepView>), Unauthorized, NotFound))]
pub async fn get_plan(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
) -> ApiResult {
    ok(app.plan(&a, id).await.map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(post, path = "/api/v1/participants/{id}/plan", tag = "plan", params(("id" = Uuid, Path)), request_body = stegvis_app::plans::PlanStepInput, responses((status = 201, body = stegvis_app::plans::PlanStepView), Unauthorized, NotFound, Invalid))]
pub async fn add_plan_step(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<stegvis_app::plans::PlanStepInput>,
) -> ApiResult {
    created(
        app.add_plan_step(&a, id, &input)
            .await
            .map_err(|e| ApiError(e, l))?,
    )
}

#[utoipa::path(patch, path = "/api/v1/plan-steps/{id}", tag = "plan", params(("id" = Uuid, Path)), request_body = stegvis_app::plans::PlanStepUpdate, responses((status = 200, body = stegvis_app::plans::PlanStepView), Unauthorized, NotFound, Conflict, Invalid))]
pub async fn update_plan_step(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<stegvis_app::plans::PlanStepUpdate>,
) -> ApiResult {
    ok(app
        .update_plan_step(&a, id, &input)
        .await
        .map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(get, path = "/api/v1/plan-steps/{id}", tag = "plan", params(("id" = Uuid, Path)), responses((status = 200, body = stegvis_app::plans::PlanStepDetail), Unauthorized, NotFound))]
pub async fn get_plan_step(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
) -> ApiResult {
    ok(app.plan_step(&a, id).await.map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(get, path = "/api/v1/activities/{id}/schedules", tag = "activities", params(("id" = Uuid, Path)), responses((status = 200, body = Vec<stegvis_app::schedules::ScheduleView>), Unauthorized, NotFound))]
pub async fn list_schedules(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
) -> ApiResult {
    ok(app.schedules(&a, id).await.map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(post, path = "/api/v1/activities/{id}/schedules", tag = "activities", params(("id" = Uuid, Path)), request_body = stegvis_app::schedules::ScheduleInput, responses((status = 201, body = stegvis_app::schedules::ScheduleView), Unauthorized, NotFound, Invalid))]
pub async fn add_schedule(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<stegvis_app::schedules::ScheduleInput>,
) -> ApiResult {
    created(
        app.add_schedule(&a, id, &input)
            .await
            .map_err(|e| ApiError(e, l))?,
    )
}

#[utoipa::path(post, path = "/api/v1/assessments/{id}/parts", tag = "assessments", params(("id" = Uuid, Path)), request_body = stegvis_app::assessments::AssessmentPartInput, responses((status = 200, body = stegvis_app::assessments::AssessmentView), Unauthorized, NotFound, Conflict, Invalid))]
pub async fn add_assessment_part(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<stegvis_app::assessments::AssessmentPartInput>,
) -> ApiResult {
    ok(app
        .add_assessment_part(&a, id, &input)
        .await
        .map_err(|e| ApiError(e, l))?)
}
