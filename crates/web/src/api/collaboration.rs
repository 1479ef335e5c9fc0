//! API handlers for collaboration (samverkan): referrals, collaboration teams and conferences.

use super::handlers::{ApiResult, KeysetParams, created, keyset_page, ok};
use super::responses::{Conflict, Forbidden, Invalid, NotFound, Unauthorized};
use super::{ApiActor, ApiId, ApiJson, ApiQuery};
use crate::error::ApiError;
use axum::extract::State;
use stegvis_app::App;
use stegvis_app::conferences::{ConferenceInput, ConferenceView, TeamInput, TeamView};
use stegvis_app::keyset::PageRequest;
use stegvis_app::referrals::{ReferralInput, ReferralMove, ReferralView};

#[utoipa::path(get, path = "/api/v1/participants/{id}/referrals", tag = "referrals", params(("id" = Uuid, Path)), responses((status = 200, body = Vec<ReferralView>), Unauthorized, NotFound))]
pub async fn participant_referrals(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
) -> ApiResult {
    ok(app.referrals_of(&a, id).await.map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(post, path = "/api/v1/participants/{id}/referrals", tag = "referrals", params(("id" = Uuid, Path)), request_body = ReferralInput, responses((status = 201, body = ReferralView), Unauthorized, NotFound, Invalid))]
pub async fn send_referral(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<ReferralInput>,
) -> ApiResult {
    created(
        app.send_referral(&a, id, &input)
            .await
            .map_err(|e| ApiError(e, l))?,
    )
}

/// One page of the referrals the caller's organisation sent, and those sent to it under a live
/// consent, newest first.
#[utoipa::path(get, path = "/api/v1/referrals", tag = "referrals", params(KeysetParams), responses((status = 200, body = Vec<ReferralView>, headers(("Link" = String, description = "`<URL>; rel=\"next\"`: the next page (the same parameters, with `after`); absent on the last page."))), Unauthorized, Forbidden, Invalid))]
pub async fn list_referrals(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiQuery(p): ApiQuery<KeysetParams>,
) -> ApiResult {
    let page = PageRequest::parse(p.limit, p.after.as_deref()).map_err(|e| ApiError(e, l))?;
    let list = app
        .referral_list(&a, &page)
        .await
        .map_err(|e| ApiError(e, l))?;
    keyset_page(list, page.limit, "/api/v1/referrals", &[])
}

#[utoipa::path(get, path = "/api/v1/referrals/{id}", tag = "referrals", params(("id" = Uuid, Path)), responses((status = 200, body = ReferralView), Unauthorized, NotFound))]
pub async fn get_referral(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
) -> ApiResult {
    ok(app.referral(&a, id).await.map_err(|e| ApiError(e, l))?)
}

/// The recipient accepts or declines; the sender withdraws (closes) one not yet answered;
/// either closes an accepted one.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/status", tag = "referrals", params(("id" = Uuid, Path)), request_body = ReferralMove, responses((status = 200, body = ReferralView), Unauthorized, NotFound, Conflict, Invalid))]
pub async fn move_referral(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<ReferralMove>,
) -> ApiResult {
    ok(app
        .move_referral(&a, id, &input)
        .await
        .map_err(|e| ApiError(e, l))?)
}

/// Opens a staff assessment to a partner organisation, which then records its part (with
/// `POST /api/v1/assessments/{id}/parts`) while a consent to it covers assessments.
#[utoipa::path(post, path = "/api/v1/assessments/{id}/partners", tag = "assessments", params(("id" = Uuid, Path)), request_body = stegvis_app::assessments::OpenToInput, responses((status = 200, body = stegvis_app::assessments::AssessmentView), Unauthorized, NotFound, Conflict, Invalid))]
pub async fn open_assessment_to(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<stegvis_app::assessments::OpenToInput>,
) -> ApiResult {
    ok(app
        .open_assessment_to(&a, id, &input)
        .await
        .map_err(|e| ApiError(e, l))?)
}

/// The collaboration teams the caller's organisation keeps or takes part in.
#[utoipa::path(get, path = "/api/v1/teams", tag = "collaboration", responses((status = 200, body = Vec<TeamView>), Unauthorized, Forbidden))]
pub async fn list_teams(State(app): State<App>, ApiActor(a, l): ApiActor) -> ApiResult {
    ok(app.teams(&a).await.map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(post, path = "/api/v1/teams", tag = "collaboration", request_body = TeamInput, responses((status = 201, body = TeamView), Unauthorized, Forbidden, Invalid))]
pub async fn create_team(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiJson(input): ApiJson<TeamInput>,
) -> ApiResult {
    created(
        app.create_team(&a, &input)
            .await
            .map_err(|e| ApiError(e, l))?,
    )
}

#[utoipa::path(get, path = "/api/v1/participants/{id}/conferences", tag = "collaboration", params(("id" = Uuid, Path)), responses((status = 200, body = Vec<ConferenceView>), Unauthorized, NotFound))]
pub async fn participant_conferences(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
) -> ApiResult {
    ok(app.conferences(&a, id).await.map_err(|e| ApiError(e, l))?)
}

/// Records a case conference; its decisions become plan steps.
#[utoipa::path(post, path = "/api/v1/participants/{id}/conferences", tag = "collaboration", params(("id" = Uuid, Path)), request_body = ConferenceInput, responses((status = 201, body = ConferenceView), Unauthorized, NotFound, Invalid))]
pub async fn hold_conference(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<ConferenceInput>,
) -> ApiResult {
    created(
        app.hold_conference(&a, id, &input)
            .await
            .map_err(|e| ApiError(e, l))?,
    )
}
