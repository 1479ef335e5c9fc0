//! What every page handler starts from: the signed-in viewer, the record id in the path, and an
//! error that renders itself as a page, so that handlers read like the API's and use `?`.

use super::{Chrome, MessagePage, chrome, render};
use crate::Lang;
use crate::error::{describe, status_of};
use crate::session::Ctx;
use axum::extract::{FromRequestParts, RawPathParams, Request};
use axum::http::Uri;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use std::sync::Arc;
use stegvis_app::{Actor, AppError};
use uuid::Uuid;

/// What a page handler answers: the page, or an error that becomes the error page.
pub type PageResult = Result<Response, PageError>;

/// A use-case error on a page: the error page in the user's language with the status the API
/// would give; not logged in sends the visitor to log in.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError(e)
    }
}

/// The error a response carries until [`render_errors`] makes it a page.
#[derive(Clone)]
struct Failed(Arc<AppError>);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        // The page needs the request (language, chrome, path), which a response does not have:
        // the error travels on the response to the layer that has both.
        let mut response = status_of(&self.0).into_response();
        response.extensions_mut().insert(Failed(Arc::new(self.0)));
        response
    }
}

/// Layer over the pages: turns a [`PageError`] into the error page for this request.
pub async fn render_errors(req: Request, next: Next) -> Response {
    let ctx = req.extensions().get::<Ctx>().cloned();
    let uri = req.uri().clone();
    let mut response = next.run(req).await;
    match (response.extensions_mut().remove::<Failed>(), ctx) {
        (Some(Failed(e)), Some(ctx)) => error_page(&ctx, &uri, &e),
        _ => response,
    }
}

/// Sends a visitor who is not logged in to the log-in page, then back.
fn login_redirect(uri: &Uri) -> Response {
    // The path only, for the same reason as in `chrome`.
    let next = uri.path();
    let target: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("next", next)
        .finish();
    Redirect::to(&format!("/login?{target}")).into_response()
}

/// An error page in the user's language.
fn error_page(ctx: &Ctx, uri: &Uri, e: &AppError) -> Response {
    if matches!(e, AppError::Unauthenticated) {
        return login_redirect(uri);
    }
    if let AppError::Internal(msg) = e {
        tracing::error!(error = %msg, "internal error");
    }
    // The portal, and any page a participant opens, speak the participant's language.
    if super::is_portal_path(uri.path()) || ctx.actor().is_some_and(|a| a.participant_id.is_some())
    {
        return super::portal::error_page(ctx, uri, e);
    }
    let (title, body) = describe(e, ctx.lang);
    let page = MessagePage {
        c: chrome(ctx, "", uri),
        title: title.to_owned(),
        body,
        link_href: "/".into(),
        link_text: ctx.lang.t("Till startsidan", "To the start page").into(),
    };
    let mut response = (status_of(e), render(&page)).into_response();
    if matches!(e, AppError::Busy) {
        response.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            axum::http::HeaderValue::from_static(crate::error::RETRY_AFTER_SECONDS),
        );
    }
    response
}

/// Anyone on a page, logged in or not, with what rendering the page needs.
pub struct Visitor {
    pub ctx: Ctx,
    uri: Uri,
}

impl Visitor {
    pub fn lang(&self) -> Lang {
        self.ctx.lang
    }

    pub fn chrome(&self, section: &'static str) -> Chrome {
        chrome(&self.ctx, section, &self.uri)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        // The session layer puts the context on every request.
        let ctx = parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| AppError::Internal("no request context".into()))?;
        Ok(Visitor {
            ctx,
            uri: parts.uri.clone(),
        })
    }
}

/// The signed-in person viewing a page, and what rendering it needs. A visitor who is not
/// logged in is sent to log in and back.
pub struct Viewer {
    pub actor: Actor,
    pub lang: Lang,
    visit: Visitor,
}

impl Viewer {
    pub fn chrome(&self, section: &'static str) -> Chrome {
        self.visit.chrome(section)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let visit = Visitor::from_request_parts(parts, state).await?;
        let actor = visit
            .ctx
            .actor()
            .cloned()
            .ok_or(AppError::Unauthenticated)?;
        Ok(Viewer {
            actor,
            lang: visit.lang(),
            visit,
        })
    }
}

/// The record id of the path (`{id}`): one that is not a UUID is not found. Put it after
/// [`Viewer`], so that a visitor is asked to log in before anything is said about the id.
pub struct Id(pub Uuid);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        params
            .iter()
            .find(|(name, _)| *name == "id")
            .and_then(|(_, value)| Uuid::parse_str(value).ok())
            .map(Id)
            .ok_or(PageError(AppError::NotFound))
    }
}
