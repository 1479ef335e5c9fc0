//! API handlers for employers, workplaces, openings and placements.

use super::handlers::{ApiResult, created, ok};
use super::responses::{Conflict, Forbidden, Invalid, NotFound, Unauthorized};
use super::{ApiActor, ApiId, ApiJson};
use crate::error::ApiError;
use axum::extract::State;
use stegvis_app::App;
use stegvis_app::employers::{EmployerInput, OpeningInput, WorkplaceInput};
use stegvis_app::placements::{FeedbackInput, PlacementInput, PlacementMove, WeekInput};

#[utoipa::path(get, path = "/api/v1/employers", tag = "employers", responses((status = 200, body = Vec<stegvis_app::employers::EmployerView>), Unauthorized, Forbidden))]
pub async fn list_employers(State(app): State<App>, ApiActor(a, l): ApiActor) -> ApiResult {
    ok(app.employers(&a).await.map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(post, path = "/api/v1/employers", tag = "employers", request_body = EmployerInput, responses((status = 201, body = stegvis_app::employers::EmployerView), Unauthorized, Forbidden, Invalid))]
pub async fn register_employer(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiJson(input): ApiJson<EmployerInput>,
) -> ApiResult {
    created(
        app.register_employer(&a, &input)
            .await
            .map_err(|e| ApiError(e, l))?,
    )
}

#[utoipa::path(get, path = "/api/v1/employers/{id}", tag = "employers", params(("id" = Uuid, Path)), responses((status = 200, body = stegvis_app::employers::EmployerView), Unauthorized, Forbidden, NotFound))]
pub async fn get_employer(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
) -> ApiResult {
    ok(app.employer(&a, id).await.map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(post, path = "/api/v1/employers/{id}/workplaces", tag = "employers", params(("id" = Uuid, Path)), request_body = WorkplaceInput, responses((status = 201, body = stegvis_app::employers::WorkplaceView), Unauthorized, Forbidden, NotFound, Invalid))]
pub async fn add_workplace(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<WorkplaceInput>,
) -> ApiResult {
    created(
        app.add_workplace(&a, id, &input)
            .await
            .map_err(|e| ApiError(e, l))?,
    )
}

#[utoipa::path(post, path = "/api/v1/workplaces/{id}/openings", tag = "employers", params(("id" = Uuid, Path)), request_body = OpeningInput, responses((status = 201, body = stegvis_app::employers::OpeningView), Unauthorized, Forbidden, NotFound, Invalid))]
pub async fn add_opening(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<OpeningInput>,
) -> ApiResult {
    created(
        app.add_opening(&a, id, &input)
            .await
            .map_err(|e| ApiError(e, l))?,
    )
}

#[utoipa::path(get, path = "/api/v1/participants/{id}/placements", tag = "placements", params(("id" = Uuid, Path)), responses((status = 200, body = Vec<stegvis_app::placements::PlacementView>), Unauthorized, NotFound))]
pub async fn participant_placements(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
) -> ApiResult {
    ok(app
        .placements_of(&a, id)
        .await
        .map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(post, path = "/api/v1/participants/{id}/placements", tag = "placements", params(("id" = Uuid, Path)), request_body = PlacementInput, responses((status = 201, body = stegvis_app::placements::PlacementView), Unauthorized, NotFound, Invalid))]
pub async fn offer_placement(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<PlacementInput>,
) -> ApiResult {
    created(
        app.offer_placement(&a, id, &input)
            .await
            .map_err(|e| ApiError(e, l))?,
    )
}

#[utoipa::path(get, path = "/api/v1/placements/{id}", tag = "placements", params(("id" = Uuid, Path)), responses((status = 200, body = stegvis_app::placements::PlacementView), Unauthorized, NotFound))]
pub async fn get_placement(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
) -> ApiResult {
    ok(app.placement(&a, id).await.map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(post, path = "/api/v1/placements/{id}/status", tag = "placements", params(("id" = Uuid, Path)), request_body = PlacementMove, responses((status = 200, body = stegvis_app::placements::PlacementView), Unauthorized, NotFound, Conflict, Invalid))]
pub async fn move_placement(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<PlacementMove>,
) -> ApiResult {
    ok(app
        .move_placement(&a, id, &input)
        .await
        .map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(post, path = "/api/v1/placements/{id}/weeks", tag = "placements", params(("id" = Uuid, Path)), request_body = WeekInput, responses((status = 200, body = stegvis_app::placements::PlacementView), Unauthorized, NotFound, Conflict, Invalid))]
pub async fn confirm_week(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<WeekInput>,
) -> ApiResult {
    ok(app
        .confirm_week(&a, id, &input)
        .await
        .map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(post, path = "/api/v1/placements/{id}/feedback", tag = "placements", params(("id" = Uuid, Path)), request_body = FeedbackInput, responses((status = 200, body = stegvis_app::placements::PlacementView), Unauthorized, NotFound, Invalid))]
pub async fn add_feedback(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<FeedbackInput>,
) -> ApiResult {
    ok(app
        .add_placement_feedback(&a, id, &input)
        .await
        .map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(get, path = "/api/v1/supervised-placements", tag = "placements", responses((status = 200, body = Vec<stegvis_app::placements::SupervisedView>), Unauthorized, Forbidden))]
pub async fn supervised(State(app): State<App>, ApiActor(a, l): ApiActor) -> ApiResult {
    ok(app
        .supervised_placements(&a)
        .await
        .map_err(|e| ApiError(e, l))?)
}

/// How many matches.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams, utoipa::ToSchema)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct MatchParams {
    /// How many, default 10; 0 is taken as 1, and more than 100 as 100.
    #[param(minimum = 0, maximum = 18446744073709551615_u64)]
    pub n: Option<usize>,
}

#[utoipa::path(get, path = "/api/v1/participants/{id}/job-profile", tag = "matching", params(("id" = Uuid, Path)), responses((status = 200, body = Option<stegvis_app::matching::JobProfileView>), Unauthorized, NotFound))]
pub async fn get_job_profile(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
) -> ApiResult {
    ok(app.job_profile(&a, id).await.map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(put, path = "/api/v1/participants/{id}/job-profile", tag = "matching", params(("id" = Uuid, Path)), request_body = stegvis_app::matching::JobProfileInput, responses((status = 200, body = stegvis_app::matching::JobProfileView), Unauthorized, NotFound, Invalid))]
pub async fn put_job_profile(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<stegvis_app::matching::JobProfileInput>,
) -> ApiResult {
    ok(app
        .set_job_profile(&a, id, &input)
        .await
        .map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(get, path = "/api/v1/participants/{id}/matches", tag = "matching", params(("id" = Uuid, Path), MatchParams), responses((status = 200, body = Vec<stegvis_app::matching::OpeningMatch>), Unauthorized, NotFound, Invalid))]
pub async fn participant_matches(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    super::ApiQuery(p): super::ApiQuery<MatchParams>,
) -> ApiResult {
    ok(app
        .match_openings(&a, id, p.n.unwrap_or(10))
        .await
        .map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(get, path = "/api/v1/openings/{id}/candidates", tag = "matching", params(("id" = Uuid, Path), MatchParams), responses((status = 200, body = stegvis_app::matching::OpeningCandidates), Unauthorized, Forbidden, NotFound, Invalid))]
pub async fn opening_candidates(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    super::ApiQuery(p): super::ApiQuery<MatchParams>,
) -> ApiResult {
    ok(app
        .match_participants(&a, id, p.n.unwrap_or(10))
        .await
        .map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(post, path = "/api/v1/employers/{id}/clauses", tag = "employers", params(("id" = Uuid, Path)), request_body = stegvis_app::employers::ClauseInput, responses((status = 201, body = stegvis_app::employers::ClauseView), Unauthorized, Forbidden, NotFound, Invalid))]
pub async fn add_clause(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<stegvis_app::employers::ClauseInput>,
) -> ApiResult {
    created(
        app.add_clause(&a, id, &input)
            .await
            .map_err(|e| ApiError(e, l))?,
    )
}

#[utoipa::path(post, path = "/api/v1/employers/{id}/agreements", tag = "employers", params(("id" = Uuid, Path)), request_body = stegvis_app::employers::AgreementInput, responses((status = 201, body = stegvis_app::employers::AgreementView), Unauthorized, Forbidden, NotFound, Invalid))]
pub async fn add_agreement(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<stegvis_app::employers::AgreementInput>,
) -> ApiResult {
    created(
        app.add_agreement(&a, id, &input)
            .await
            .map_err(|e| ApiError(e, l))?,
    )
}

#[utoipa::path(get, path = "/api/v1/participants/{id}/consents", tag = "consents", params(("id" = Uuid, Path)), responses((status = 200, body = Vec<stegvis_app::consents::ConsentView>), Unauthorized, NotFound))]
pub async fn list_consents(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
) -> ApiResult {
    ok(app.consents(&a, id).await.map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(post, path = "/api/v1/participants/{id}/consents", tag = "consents", params(("id" = Uuid, Path)), request_body = stegvis_app::consents::ConsentInput, responses((status = 201, body = stegvis_app::consents::ConsentView), Unauthorized, NotFound, Invalid))]
pub async fn grant_consent(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<stegvis_app::consents::ConsentInput>,
) -> ApiResult {
    created(
        app.grant_consent(&a, id, &input)
            .await
            .map_err(|e| ApiError(e, l))?,
    )
}

#[utoipa::path(post, path = "/api/v1/consents/{id}/revoke", tag = "consents", params(("id" = Uuid, Path)), responses((status = 200, body = stegvis_app::consents::ConsentView), Unauthorized, NotFound, Conflict))]
pub async fn revoke_consent(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
) -> ApiResult {
    ok(app
        .revoke_consent(&a, id)
        .await
        .map_err(|e| ApiError(e, l))?)
}
