//! API handlers for a participant's agreement to reminders.

use super::handlers::{ApiResult, ok};
use super::responses::{Conflict, Invalid, NotFound, Unauthorized};
use super::{ApiActor, ApiId, ApiJson};
use crate::error::ApiError;
use axum::extract::State;
use stegvis_app::App;
use stegvis_app::reminders::ReminderInput;

#[utoipa::path(get, path = "/api/v1/participants/{id}/reminders", tag = "reminders", params(("id" = Uuid, Path)), responses((status = 200, body = stegvis_app::reminders::ReminderAgreementView), Unauthorized, NotFound))]
pub async fn get_reminders(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
) -> ApiResult {
    ok(app
        .reminder_agreement(&a, id)
        .await
        .map_err(|e| ApiError(e, l))?)
}

#[utoipa::path(put, path = "/api/v1/participants/{id}/reminders", tag = "reminders", params(("id" = Uuid, Path)), request_body = ReminderInput, responses((status = 200, body = stegvis_app::reminders::ReminderAgreementView), Unauthorized, NotFound, Conflict, Invalid))]
pub async fn put_reminders(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<ReminderInput>,
) -> ApiResult {
    ok(app
        .set_reminder_agreement(&a, id, &input)
        .await
        .map_err(|e| ApiError(e, l))?)
}
