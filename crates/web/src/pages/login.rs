//! Log in, log out, choose language.

use super::{Chrome, PageResult, Visitor, render};
use crate::Lang;
use crate::forms::{ErrorView, PageForm};
use crate::session::{LANG_COOKIE, SESSION_COOKIE, set_cookie};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use stegvis_app::{App, AppError};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    c: Chrome,
    errors: Vec<ErrorView>,
    email: String,
    next: String,
    /// One button per enabled staff identity provider, then the participants' e-legitimation.
    providers: Vec<stegvis_app::oidc::SignInButton>,
    participant_providers: Vec<stegvis_app::oidc::SignInButton>,
    /// Every organisation has local passwords off: no password form.
    passwords: bool,
}

/// The log-in page in a language staff pages do not have (Arabic, Somali): the portal's
/// layout and texts, for the participant who chose it.
#[derive(Template)]
#[template(path = "portal_login.html")]
struct PortalLoginPage {
    p: super::portal::PortalChrome,
    error: Option<String>,
    email: String,
    next: String,
    providers: Vec<stegvis_app::oidc::SignInButton>,
    participant_providers: Vec<stegvis_app::oidc::SignInButton>,
    passwords: bool,
}

/// Renders the log-in page in the visitor's language: Swedish and English as staff see it,
/// Arabic and Somali in the portal's layout (a participant who chose it; staff sign in the
/// same way whatever the page says).
fn login_page(v: &Visitor, page: LoginPage, error_key: Option<&str>) -> Response {
    if matches!(
        v.ctx.language,
        crate::i18n::Language::Ar | crate::i18n::Language::So
    ) {
        let p = super::portal::portal_chrome(&v.ctx, &axum::http::Uri::from_static("/login"));
        let error = error_key.map(|k| p.tr.t(k));
        return render(&PortalLoginPage {
            p,
            error,
            email: page.email,
            next: page.next,
            providers: page.providers,
            participant_providers: page.participant_providers,
            passwords: page.passwords,
        });
    }
    render(&page)
}

/// The log-in page's sign-in choices.
async fn choices(
    app: &App,
) -> Result<
    (
        Vec<stegvis_app::oidc::SignInButton>,
        Vec<stegvis_app::oidc::SignInButton>,
        bool,
    ),
    AppError,
> {
    Ok((
        app.sign_in_buttons(stegvis_app::oidc::PURPOSE_STAFF)
            .await?,
        app.sign_in_buttons(stegvis_app::oidc::PURPOSE_PARTICIPANTS)
            .await?,
        !app.local_passwords_off_everywhere().await?,
    ))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct NextQuery {
    next: Option<String>,
}

/// Only local paths: never an open redirect. Browsers drop tabs and newlines and read `\` as
/// `/`, so anything but visible ASCII, and any `//` or `\` start, falls back to the start page
/// (the caseload for coaches, the projects for everyone else).
pub(super) fn safe_next(next: &str) -> String {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && next.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    if local {
        next.to_owned()
    } else {
        "/".to_owned()
    }
}

pub async fn form(State(app): State<App>, v: Visitor, Query(q): Query<NextQuery>) -> PageResult {
    if v.ctx.actor().is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    let next = safe_next(q.next.as_deref().unwrap_or("/"));
    let (providers, participant_providers, passwords) = choices(&app).await?;
    let page = LoginPage {
        c: v.chrome(""),
        errors: Vec::new(),
        email: String::new(),
        next,
        providers,
        participant_providers,
        passwords,
    };
    Ok(login_page(&v, page, None))
}

/// The log-in form as posted.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    email: String,
    password: String,
    next: String,
}

pub async fn submit(
    State(app): State<App>,
    v: Visitor,
    PageForm(form): PageForm<LoginForm>,
) -> PageResult {
    let ctx = &v.ctx;
    let LoginForm {
        email,
        password,
        next,
    } = form;
    let next = safe_next(&next);
    match app.login(&email, &password, &ctx.client).await {
        Ok(session) => {
            if let Some(old) = &ctx.session_token {
                let _ = app.logout(old).await;
            }
            let mut headers = HeaderMap::new();
            headers.insert(
                header::SET_COOKIE,
                set_cookie(SESSION_COOKIE, &session.token, None),
            );
            Ok((headers, Redirect::to(&next)).into_response())
        }
        Err(e) => {
            let l = ctx.lang;
            let (status, key, message) = match e {
                AppError::TooManyAttempts => (
                    StatusCode::TOO_MANY_REQUESTS,
                    "login-too-many",
                    l.t(
                        "För många misslyckade inloggningar. Vänta en kvart och försök igen.",
                        "Too many failed log-ins. Wait fifteen minutes and try again.",
                    )
                    .to_owned(),
                ),
                AppError::Unauthenticated => (
                    StatusCode::UNAUTHORIZED,
                    "login-wrong",
                    l.t(
                        "E-postadressen eller lösenordet stämmer inte.",
                        "The e-mail address or the password is wrong.",
                    )
                    .to_owned(),
                ),
                // The organisation signs in through its identity provider only.
                AppError::Conflict(t) => (
                    StatusCode::FORBIDDEN,
                    "login-passwords-off",
                    if l.code() == "sv" { t.sv } else { t.en },
                ),
                other => return Err(other.into()),
            };
            let errors = vec![ErrorView {
                anchor: "email".into(),
                message,
            }];
            let (providers, participant_providers, passwords) = choices(&app).await?;
            let page = LoginPage {
                c: v.chrome(""),
                errors,
                email,
                next,
                providers,
                participant_providers,
                passwords,
            };
            Ok((status, login_page(&v, page, Some(key))).into_response())
        }
    }
}

pub async fn logout(
    State(app): State<App>,
    v: Visitor,
    axum::Extension(config): axum::Extension<std::sync::Arc<crate::WebConfig>>,
    req_headers: HeaderMap,
) -> Response {
    let mut to = "/login".to_owned();
    if let Some(token) = &v.ctx.session_token {
        // A session begun at a provider ends there too, where the provider supports it.
        let back = format!("{}/login", super::oidc::public_base(&config, &req_headers));
        if let Ok(Some(url)) = app.provider_logout_url(token, &back).await {
            to = url;
        }
        let _ = app.logout(token).await;
    }
    let mut headers = HeaderMap::new();
    headers.insert(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", Some(time::Duration::ZERO)),
    );
    (headers, Redirect::to(&to)).into_response()
}

pub async fn language(Path(code): Path<String>, Query(q): Query<NextQuery>) -> Response {
    let lang = Lang::from_code(&code).unwrap_or_default();
    let next = safe_next(q.next.as_deref().unwrap_or("/"));
    let mut headers = HeaderMap::new();
    headers.insert(
        header::SET_COOKIE,
        set_cookie(LANG_COOKIE, lang.code(), Some(time::Duration::days(365))),
    );
    (headers, Redirect::to(&next)).into_response()
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_must_be_a_plain_local_path() {
        assert_eq!(safe_next("/participants?q=berg"), "/participants?q=berg");
        for evil in [
            "//evil.example/",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n",
            "https://evil.example",
            "",
            "/\\/x",
            "/ä",
        ] {
            assert_eq!(safe_next(evil), "/", "{evil:?}");
        }
    }
}
