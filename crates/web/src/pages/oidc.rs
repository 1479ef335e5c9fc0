//! Sign-in through an identity provider (OpenID Connect): the start, the provider's answer, the
//! page of an account that waits for a role, and the administrators' page of providers.

use super::{MessagePage, PageResult, Viewer, Visitor, render};
use crate::Lang;
use crate::forms::PageForm;
use crate::session::{SESSION_COOKIE, cookie_value, set_cookie};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use stegvis_app::oidc::{ProviderInput, ProviderView, SignInError};
use stegvis_app::{App, AppError};
use uuid::Uuid;

/// Binds the provider's answer to the browser that began the sign-in: ten minutes, then gone.
pub const PENDING_COOKIE: &str = "__Host-stegvis-oidc";

/// This server's address as the provider sees it: the configured `public_url` (or
/// `STEGVIS_PUBLIC_URL`) when set, otherwise the request's host (https, or http on loopback).
/// The provider accepts only the redirect URIs registered for the client, so a forged host gets
/// nowhere.
pub fn public_base(config: &crate::WebConfig, headers: &HeaderMap) -> String {
    let configured = config
        .public_url
        .clone()
        .or_else(|| std::env::var("STEGVIS_PUBLIC_URL").ok());
    if let Some(url) = configured
        && !url.trim().is_empty()
    {
        return url.trim().trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let name = host.rsplit_once(':').map_or(host, |(h, _)| h);
    let scheme = if matches!(name, "127.0.0.1" | "localhost" | "[::1]") {
        "http"
    } else {
        "https"
    };
    format!("{scheme}://{host}")
}

fn redirect_uri(config: &crate::WebConfig, headers: &HeaderMap) -> String {
    format!("{}/oidc/callback", public_base(config, headers))
}

fn message(
    v: &Visitor,
    status: StatusCode,
    title: (&'static str, &'static str),
    body: (&'static str, &'static str),
) -> Response {
    let l = v.lang();
    let page = MessagePage {
        c: v.chrome(""),
        title: l.t(title.0, title.1).into(),
        body: l.t(body.0, body.1).into(),
        link_href: "/login".into(),
        link_text: l.t("Till inloggningen", "To the log-in page").into(),
    };
    (status, render(&page)).into_response()
}

pub async fn start(
    State(app): State<App>,
    v: Visitor,
    axum::Extension(config): axum::Extension<std::sync::Arc<crate::WebConfig>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = Uuid::parse_str(&id) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match app.oidc_start(id, &redirect_uri(&config, &headers)).await {
        Ok(started) => {
            let mut h = HeaderMap::new();
            h.insert(
                header::SET_COOKIE,
                set_cookie(
                    PENDING_COOKIE,
                    &started.cookie,
                    Some(time::Duration::minutes(10)),
                ),
            );
            (h, Redirect::to(&started.url)).into_response()
        }
        Err(SignInError::App(AppError::NotFound)) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => refusal(&v, e),
    }
}

fn refusal(v: &Visitor, e: SignInError) -> Response {
    match e {
        // Someone signing in with an e-legitimation: answered in the language they chose.
        SignInError::NoParticipant => super::portal::message(
            &v.ctx,
            StatusCode::FORBIDDEN,
            "signin-not-found-title",
            "signin-not-found",
        ),
        SignInError::Deactivated => message(
            v,
            StatusCode::FORBIDDEN,
            ("Kontot är avstängt", "The account is switched off"),
            (
                "Ditt konto i Stegvis är avstängt. Kontakta din administratör eller din coach.",
                "Your Stegvis account is switched off. Contact your administrator or your coach.",
            ),
        ),
        // Refused: the answer could not be tied to this browser or verified.
        SignInError::Failed(_) => message(
            v,
            StatusCode::FORBIDDEN,
            ("Inloggningen misslyckades", "The sign-in failed"),
            (
                "Inloggningen kunde inte kontrolleras. Börja om från inloggningssidan.",
                "The sign-in could not be verified. Start again from the log-in page.",
            ),
        ),
        SignInError::App(e) => super::PageError(e).into_response(),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct CallbackQuery {
    state: String,
    code: String,
    error: Option<String>,
}

pub async fn callback(
    State(app): State<App>,
    v: Visitor,
    axum::Extension(config): axum::Extension<std::sync::Arc<crate::WebConfig>>,
    headers: HeaderMap,
    Query(q): Query<CallbackQuery>,
) -> Response {
    let pending = cookie_value(&headers, PENDING_COOKIE);
    let mut h = HeaderMap::new();
    h.append(
        header::SET_COOKIE,
        set_cookie(PENDING_COOKIE, "", Some(time::Duration::ZERO)),
    );
    if q.error.is_some() || q.code.is_empty() {
        return (
            h,
            message(
                &v,
                StatusCode::FORBIDDEN,
                ("Inloggningen avbröts", "The sign-in was cancelled"),
                (
                    "Inloggningstjänsten loggade inte in dig. Börja om från inloggningssidan.",
                    "The identity provider did not sign you in. Start again from the log-in page.",
                ),
            ),
        )
            .into_response();
    }
    match app
        .oidc_callback(
            pending.as_deref(),
            &q.state,
            &q.code,
            &redirect_uri(&config, &headers),
        )
        .await
    {
        Ok(signed_in) => {
            if let Some(old) = &v.ctx.session_token {
                let _ = app.logout(old).await;
            }
            h.append(
                header::SET_COOKIE,
                set_cookie(SESSION_COOKIE, &signed_in.session.token, None),
            );
            (h, Redirect::to("/")).into_response()
        }
        Err(e) => (h, refusal(&v, e)).into_response(),
    }
}

/// An account made at its first sign-in, before an administrator gave it a role.
pub async fn awaiting_role(v: Viewer) -> Response {
    let l = v.lang;
    let page = MessagePage {
        c: v.chrome(""),
        title: l.t("Du väntar på en roll", "You are waiting for a role").into(),
        body: l
            .t(
                "Du är inloggad, men en administratör i din organisation måste ge dig en roll innan du kan se något i Stegvis.",
                "You are signed in, but an administrator of your organisation must give you a role before you can see anything in Stegvis.",
            )
            .into(),
        link_href: "/account".into(),
        link_text: l.t("Mitt konto", "My account").into(),
    };
    render(&page)
}

// ---- Administration. -------------------------------------------------------------------

#[derive(Template)]
#[template(path = "admin_identity_providers.html")]
struct ProvidersPage {
    c: super::Chrome,
    providers: Vec<ProviderView>,
    local_passwords_off: bool,
    form: ProviderInput,
    editing: Option<Uuid>,
    error: String,
}

fn mappings_text(p: &ProviderView) -> String {
    p.mappings
        .iter()
        .map(|m| format!("{} = {}", m.group_name, m.role.code()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn input_of(p: &ProviderView) -> ProviderInput {
    ProviderInput {
        name: p.name.clone(),
        issuer: p.issuer.clone(),
        client_id: p.client_id.clone(),
        secret_env: p.secret_env.clone().unwrap_or_default(),
        secret_file: p.secret_file.clone().unwrap_or_default(),
        scopes: p.scopes.clone(),
        purpose: p.purpose.clone(),
        groups_claim: p.groups_claim.clone(),
        identity_claim: p.identity_claim.clone(),
        enabled: p.enabled,
        mappings: mappings_text(p),
    }
}

fn pick(l: Lang, sv: &str, en: &str) -> String {
    if l.code() == "sv" { sv } else { en }.to_owned()
}

fn error_text(e: &AppError, l: Lang) -> Option<String> {
    match e {
        AppError::Invalid(errors) => Some(
            errors
                .iter()
                .map(|f| pick(l, &f.message.sv, &f.message.en))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        AppError::Conflict(t) => Some(pick(l, &t.sv, &t.en)),
        _ => None,
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct EditQuery {
    edit: Option<Uuid>,
}

async fn providers_page(
    app: &App,
    v: &Viewer,
    form: Option<ProviderInput>,
    editing: Option<Uuid>,
    error: String,
) -> PageResult {
    let settings = app.sign_in_settings(&v.actor).await?;
    let form = match (form, editing) {
        (Some(f), _) => f,
        (None, Some(id)) => settings
            .providers
            .iter()
            .find(|p| p.id == id)
            .map(input_of)
            .ok_or(AppError::NotFound)?,
        (None, None) => ProviderInput {
            enabled: true,
            purpose: stegvis_app::oidc::PURPOSE_STAFF.into(),
            scopes: "openid email profile".into(),
            groups_claim: stegvis_app::oidc::DEFAULT_GROUPS_CLAIM.into(),
            identity_claim: stegvis_app::oidc::DEFAULT_IDENTITY_CLAIM.into(),
            ..ProviderInput::default()
        },
    };
    let status = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((
        status,
        render(&ProvidersPage {
            c: v.chrome("admin"),
            providers: settings.providers,
            local_passwords_off: settings.local_passwords_off,
            form,
            editing,
            error,
        }),
    )
        .into_response())
}

pub async fn admin(State(app): State<App>, v: Viewer, Query(q): Query<EditQuery>) -> PageResult {
    providers_page(&app, &v, None, q.edit, String::new()).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ProviderForm {
    id: Option<Uuid>,
    name: String,
    issuer: String,
    client_id: String,
    secret_env: String,
    secret_file: String,
    scopes: String,
    purpose: String,
    groups_claim: String,
    identity_claim: String,
    enabled: Option<String>,
    mappings: String,
}

pub async fn admin_save(
    State(app): State<App>,
    v: Viewer,
    PageForm(f): PageForm<ProviderForm>,
) -> PageResult {
    let input = ProviderInput {
        name: f.name,
        issuer: f.issuer,
        client_id: f.client_id,
        secret_env: f.secret_env,
        secret_file: f.secret_file,
        scopes: f.scopes,
        purpose: f.purpose,
        groups_claim: f.groups_claim,
        identity_claim: f.identity_claim,
        enabled: f.enabled.is_some(),
        mappings: f.mappings,
    };
    match app.save_identity_provider(&v.actor, f.id, &input).await {
        Ok(_) => Ok(Redirect::to("/admin/identity-providers").into_response()),
        Err(e) => match error_text(&e, v.lang) {
            Some(text) => providers_page(&app, &v, Some(input), f.id, text).await,
            None => Err(e.into()),
        },
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SwitchForm {
    off: Option<String>,
}

pub async fn admin_local_passwords(
    State(app): State<App>,
    v: Viewer,
    PageForm(f): PageForm<SwitchForm>,
) -> PageResult {
    match app
        .set_local_passwords_off(&v.actor, f.off.as_deref() == Some("true"))
        .await
    {
        Ok(()) => Ok(Redirect::to("/admin/identity-providers").into_response()),
        Err(e) => match error_text(&e, v.lang) {
            Some(text) => providers_page(&app, &v, None, None, text).await,
            None => Err(e.into()),
        },
    }
}
