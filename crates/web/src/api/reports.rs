//! API handlers for the funder's reports.

use super::handlers::{ApiResult, ok};
use super::responses::{Forbidden, NotFound, Unauthorized};
use super::{ApiActor, ApiId};
use crate::error::ApiError;
use axum::extract::State;
use stegvis_app::App;

/// The project's goals with progress by gender, the ESF+ common indicators and who is not yet
/// counted (the staff of the organisation that runs the project; exact numbers).
#[utoipa::path(get, path = "/api/v1/projects/{id}/report", tag = "reports", params(("id" = Uuid, Path)), responses((status = 200, body = stegvis_app::reports::ProjectReport), Unauthorized, Forbidden, NotFound))]
pub async fn project_report(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
) -> ApiResult {
    ok(app
        .project_report(&a, id)
        .await
        .map_err(|e| ApiError(e, l))?)
}
