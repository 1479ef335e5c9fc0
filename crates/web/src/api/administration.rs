//! API handlers for the first start, accounts and their keys, administration of people and
//! organisations, and participants' own accounts.

use super::handlers::{ApiResult, created, ok};
use super::responses::{Conflict, Forbidden, Invalid, NotFound, TooManyAttempts, Unauthorized};
use super::{ApiActor, ApiId, ApiJson};
use crate::Lang;
use crate::error::ApiError;
use crate::session::Ctx;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use stegvis_app::accounts::{
    ActivateInput, CloseAccountInput, IssuedLink, NewToken, OpenedAccount, ParticipantAccountInput,
    ParticipantAccountView, PasswordChange, SetupInput, SetupView, TokenInput, TokenView,
};
use stegvis_app::organisations::{OrganisationUpdate, OrganisationView};
use stegvis_app::users::{AccountChange, Invitation, InviteInput, UserView};
use stegvis_app::{App, AppError};

/// Anyone, logged in or not, for the routes that take a one-time code instead of a log-in. A
/// bearer token that is not valid is still 401, as everywhere.
pub struct ApiAnyone(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for ApiAnyone {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ctx = parts.extensions.get::<Ctx>();
        let lang = ctx.map_or(Lang::Sv, |c| c.lang);
        let presented = parts.headers.contains_key(header::AUTHORIZATION);
        if presented && ctx.is_none_or(|c| c.session.is_none()) {
            return Err(ApiError(AppError::Unauthenticated, lang));
        }
        Ok(ApiAnyone(lang))
    }
}

/// The first start: the code `stegvis serve` printed (valid one hour, once) creates the first
/// organisation and its administrator. Needs no log-in; a used, expired or unknown code is 422
/// at `token`, and so is a Stegvis that is set up already.
#[utoipa::path(post, path = "/api/v1/setup", tag = "administration", security(()), request_body = SetupInput, responses((status = 201, body = SetupView), Unauthorized, Invalid))]
pub async fn setup(
    State(app): State<App>,
    ApiAnyone(l): ApiAnyone,
    ApiJson(input): ApiJson<SetupInput>,
) -> ApiResult {
    created(app.setup(&input).await.map_err(|e| ApiError(e, l))?)
}

/// Chooses the password of the account a one-time code was made for (an invitation, a password
/// reset, a participant's activation); every session of the account ends. Needs no log-in: log
/// in afterwards with the account's e-mail and the new password. A used, expired or unknown code
/// is 422 at `code`.
#[utoipa::path(post, path = "/api/v1/activate", tag = "administration", security(()), request_body = ActivateInput, responses((status = 200, body = UserView), Unauthorized, Invalid))]
pub async fn activate(
    State(app): State<App>,
    ApiAnyone(l): ApiAnyone,
    ApiJson(input): ApiJson<ActivateInput>,
) -> ApiResult {
    ok(app.activate(&input).await.map_err(|e| ApiError(e, l))?)
}

/// The caller's own account.
#[utoipa::path(get, path = "/api/v1/account", tag = "account", responses((status = 200, body = UserView), Unauthorized))]
pub async fn own_account(State(app): State<App>, ApiActor(a, l): ApiActor) -> ApiResult {
    ok(app.own_account(&a).await.map_err(|e| ApiError(e, l))?)
}

/// Changes the caller's password (the current one is asked, and counted like a log-in); the
/// caller's other sessions end.
#[utoipa::path(post, path = "/api/v1/account/password", tag = "account", request_body = PasswordChange, responses((status = 204, description = "Changed."), Unauthorized, Invalid, TooManyAttempts))]
pub async fn change_password(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ctx: axum::Extension<Ctx>,
    ApiJson(input): ApiJson<PasswordChange>,
) -> ApiResult {
    let keep = ctx.session_token.clone().filter(|_| !ctx.bearer);
    app.change_own_password(&a, &input, keep.as_deref())
        .await
        .map_err(|e| ApiError(e, l))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The caller's API tokens (never the tokens themselves), newest first.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "account", responses((status = 200, body = Vec<TokenView>), Unauthorized))]
pub async fn list_tokens(State(app): State<App>, ApiActor(a, l): ApiActor) -> ApiResult {
    ok(app.api_tokens(&a).await.map_err(|e| ApiError(e, l))?)
}

/// A new API token for the caller, valid through `expires_on` (90 days when blank). The token
/// is in this answer only.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "account", request_body = TokenInput, responses((status = 201, body = NewToken), Unauthorized, Invalid))]
pub async fn create_token(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiJson(input): ApiJson<TokenInput>,
) -> ApiResult {
    created(
        app.create_token(&a, &input)
            .await
            .map_err(|e| ApiError(e, l))?,
    )
}

/// Revokes one of the caller's tokens: it gets 401 from the next request on.
#[utoipa::path(post, path = "/api/v1/tokens/{id}/revoke", tag = "account", params(("id" = Uuid, Path)), responses((status = 200, body = TokenView), Unauthorized, NotFound, Conflict))]
pub async fn revoke_token(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
) -> ApiResult {
    ok(app.revoke_token(&a, id).await.map_err(|e| ApiError(e, l))?)
}

/// Invites someone into the administrator's organisation (or one it administers): a new
/// account without a password, and the one-time link (valid 7 days) that sets it, to hand over.
#[utoipa::path(post, path = "/api/v1/invitations", tag = "users", request_body = InviteInput, responses((status = 201, body = Invitation), Unauthorized, Forbidden, Invalid))]
pub async fn invite(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiJson(input): ApiJson<InviteInput>,
) -> ApiResult {
    created(app.invite(&a, &input).await.map_err(|e| ApiError(e, l))?)
}

/// One staff account the administrator keeps.
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", params(("id" = Uuid, Path)), responses((status = 200, body = UserView), Unauthorized, NotFound))]
pub async fn get_user(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
) -> ApiResult {
    ok(app.user(&a, id).await.map_err(|e| ApiError(e, l))?)
}

/// Changes an account's role, or switches it off (`active: false`: its sessions and tokens
/// stop at the next request) or on again. Administrators cannot give themselves a role that
/// reads participants' data, nor switch themselves off (422 at `role` or `active`): another
/// administrator must.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", params(("id" = Uuid, Path)), request_body = AccountChange, responses((status = 200, body = UserView), Unauthorized, NotFound, Conflict, Invalid))]
pub async fn change_user(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<AccountChange>,
) -> ApiResult {
    ok(app
        .change_user(&a, id, &input)
        .await
        .map_err(|e| ApiError(e, l))?)
}

/// A new one-time link that sets the account's password (valid 24 hours; an invitation's 7
/// days when none was set yet). Earlier links stop working; the current password works until
/// it is used.
#[utoipa::path(post, path = "/api/v1/users/{id}/password-reset", tag = "users", params(("id" = Uuid, Path)), responses((status = 201, body = IssuedLink), Unauthorized, NotFound, Conflict))]
pub async fn reset_password(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
) -> ApiResult {
    created(
        app.reset_password(&a, id)
            .await
            .map_err(|e| ApiError(e, l))?,
    )
}

/// Corrects an organisation the administrator keeps: name, kind, municipality, roll-up parent
/// and partners.
#[utoipa::path(patch, path = "/api/v1/organisations/{id}", tag = "organisations", params(("id" = Uuid, Path)), request_body = OrganisationUpdate, responses((status = 200, body = OrganisationView), Unauthorized, NotFound, Conflict, Invalid))]
pub async fn update_organisation(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<OrganisationUpdate>,
) -> ApiResult {
    ok(app
        .update_organisation(&a, id, &input)
        .await
        .map_err(|e| ApiError(e, l))?)
}

/// The participant's own account: whether there is one, and its state.
#[utoipa::path(get, path = "/api/v1/participants/{id}/account", tag = "participants", params(("id" = Uuid, Path)), responses((status = 200, body = ParticipantAccountView), Unauthorized, NotFound))]
pub async fn participant_account(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
) -> ApiResult {
    ok(app
        .participant_account(&a, id)
        .await
        .map_err(|e| ApiError(e, l))?)
}

/// Opens the participant's own account (or a closed one again, or gives one that waits a new
/// code): the answer holds the one-time activation code (valid 7 days) to hand over. 409 while
/// the participant has an account in use.
#[utoipa::path(post, path = "/api/v1/participants/{id}/account", tag = "participants", params(("id" = Uuid, Path)), request_body = ParticipantAccountInput, responses((status = 201, body = OpenedAccount), Unauthorized, NotFound, Conflict, Invalid))]
pub async fn open_participant_account(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<ParticipantAccountInput>,
) -> ApiResult {
    created(
        app.open_participant_account(&a, id, &input)
            .await
            .map_err(|e| ApiError(e, l))?,
    )
}

/// Closes the participant's own account (`account_id`: the one that was read): its sessions and
/// tokens stop at the next request.
#[utoipa::path(post, path = "/api/v1/participants/{id}/account/close", tag = "participants", params(("id" = Uuid, Path)), request_body = CloseAccountInput, responses((status = 200, body = ParticipantAccountView), Unauthorized, NotFound, Conflict, Invalid))]
pub async fn close_participant_account(
    State(app): State<App>,
    ApiActor(a, l): ApiActor,
    ApiId(id): ApiId,
    ApiJson(input): ApiJson<CloseAccountInput>,
) -> ApiResult {
    ok(app
        .close_participant_account(&a, id, &input)
        .await
        .map_err(|e| ApiError(e, l))?)
}
