//! API handlers for keeping projects and their goals: the project managers of the organisation
//! that runs a project, and its administrators.

use super::handlers::{ApiResult, created, ok};
use super::responses::{Conflict, Forbidden, Invalid, NotFound, Unauthorized};
use super::{ApiActor, ApiId, ApiJson};
use crate::error::ApiError;
use axum::extract::State;
use stegvis_app::App;
use stegvis_app::goals::{GoalDetail, GoalInput, GoalPreview, GoalPreviewInput, RetireInput};
use stegvis_app::projects::{ProjectInput, ProjectVersion, ProjectView};

/// Creates a project run by the caller's organisation (project managers and administrators):
/// the facts of the funder's project bank, its phase, partners, municipalities and target group.
#[utoipa::path(post, path = "/api/v1/projects", tag = "projects", request_body = ProjectInput, responses((status = 201, body = ProjectView), Unauthorized, Forbidden, Invalid))]
pub async fn create_project(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiJson(input): ApiJson<ProjectInput>,
) -> ApiResult {
    created(
        app.create_project(&a, &input)
            .await
            .map_err(|e| ApiError(e, l))?,
    )
}

/// Changes a project: a field left out (or `null`) keeps its value, `""` clears an optional
/// one; the lists and the target group, when given, replace the project's. The earlier version
/// is kept (see `history`).
#[utoipa::path(patch, path = "/api/v1/projects/{id}", tag = "projects", params(("id" = Uuid, Path)), request_body = ProjectInput, responses((status = 200, body = ProjectView), Unauthorized, NotFound, Conflict, Invalid))]
pub async fn update_project(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<ProjectInput>,
) -> ApiResult {
    ok(app
        .update_project(&a, id, &input)
        .await
        .map_err(|e| ApiError(e, l))?)
}

/// Every earlier version of a project, newest first, with who changed it and when.
#[utoipa::path(get, path = "/api/v1/projects/{id}/history", tag = "projects", params(("id" = Uuid, Path)), responses((status = 200, body = Vec<ProjectVersion>), Unauthorized, NotFound))]
pub async fn project_history(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
) -> ApiResult {
    ok(app
        .project_history(&a, id)
        .await
        .map_err(|e| ApiError(e, l))?)
}

/// The project's goals, retired ones included.
#[utoipa::path(get, path = "/api/v1/projects/{id}/goals", tag = "goals", params(("id" = Uuid, Path)), responses((status = 200, body = Vec<GoalDetail>), Unauthorized, NotFound))]
pub async fn list_goals(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
) -> ApiResult {
    ok(app.goals(&a, id).await.map_err(|e| ApiError(e, l))?)
}

/// Adds a goal: the report counts it at once. A share must be more than 0 % and at most 100 %,
/// a count at least 1.
#[utoipa::path(post, path = "/api/v1/projects/{id}/goals", tag = "goals", params(("id" = Uuid, Path)), request_body = GoalInput, responses((status = 201, body = GoalDetail), Unauthorized, NotFound, Invalid))]
pub async fn create_goal(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<GoalInput>,
) -> ApiResult {
    created(
        app.create_goal(&a, id, &input)
            .await
            .map_err(|e| ApiError(e, l))?,
    )
}

/// What a goal definition would count today over the project's participants, without saving
/// it (those who may read the project's report).
#[utoipa::path(post, path = "/api/v1/projects/{id}/goals/preview", tag = "goals", params(("id" = Uuid, Path)), request_body = GoalPreviewInput, responses((status = 200, body = GoalPreview), Unauthorized, NotFound, Invalid))]
pub async fn preview_goal(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<GoalPreviewInput>,
) -> ApiResult {
    ok(app
        .preview_goal(&a, id, &input)
        .await
        .map_err(|e| ApiError(e, l))?)
}

/// One goal, with every earlier version.
#[utoipa::path(get, path = "/api/v1/goals/{id}", tag = "goals", params(("id" = Uuid, Path)), responses((status = 200, body = GoalDetail), Unauthorized, NotFound))]
pub async fn get_goal(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
) -> ApiResult {
    ok(app.goal(&a, id).await.map_err(|e| ApiError(e, l))?)
}

/// Changes a goal's name, definition and deadline (all given); the earlier version is kept and
/// the report counts the new definition at once.
#[utoipa::path(put, path = "/api/v1/goals/{id}", tag = "goals", params(("id" = Uuid, Path)), request_body = GoalInput, responses((status = 200, body = GoalDetail), Unauthorized, NotFound, Conflict, Invalid))]
pub async fn update_goal(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<GoalInput>,
) -> ApiResult {
    ok(app
        .update_goal(&a, id, &input)
        .await
        .map_err(|e| ApiError(e, l))?)
}

/// Retires a goal: it is kept, with its history, and no longer counted in the report.
#[utoipa::path(post, path = "/api/v1/goals/{id}/retire", tag = "goals", params(("id" = Uuid, Path)), request_body = RetireInput, responses((status = 200, body = GoalDetail), Unauthorized, NotFound, Conflict, Invalid))]
pub async fn retire_goal(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<RetireInput>,
) -> ApiResult {
    ok(app
        .retire_goal(&a, id, &input)
        .await
        .map_err(|e| ApiError(e, l))?)
}
