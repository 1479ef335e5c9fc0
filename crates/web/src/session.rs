//! Per-request context: who is calling (session cookie or bearer token), in which language, and
//! CSRF protection for every state-changing request. Also the security headers.

use crate::Lang;
use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use stegvis_app::auth::SessionInfo;
use stegvis_app::{Actor, App};

/// The session cookie: `__Host-` pins it to this host, path `/`, Secure.
pub const SESSION_COOKIE: &str = "__Host-stegvis-session";
/// The remembered language.
pub const LANG_COOKIE: &str = "__Host-stegvis-lang";
const MAX_FORM_BYTES: usize = 256 * 1024;
/// The largest file upload (a whole `multipart/form-data` request).
pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;
/// How much of a too-large upload is still read (and dropped), so that the browser, which
/// sends the whole file before it reads an answer, gets the page that says so.
const DRAIN_UPLOAD_BYTES: usize = 4 * MAX_UPLOAD_BYTES;

/// On a request whose upload was larger than [`MAX_UPLOAD_BYTES`]: its body was dropped (and its
/// CSRF token not read), so its handler may only say so.
#[derive(Debug, Clone, Copy)]
pub struct UploadTooLarge;

/// What handlers know about the caller.
#[derive(Clone)]
pub struct Ctx {
    pub lang: Lang,
    /// The participant portal's language (any of the four; staff pages use `lang`).
    pub language: crate::i18n::Language,
    pub session: Option<SessionInfo>,
    /// The raw session cookie (for log-out).
    pub session_token: Option<String>,
    /// Authenticated with an API bearer token.
    pub bearer: bool,
    pub client: String,
}

impl Ctx {
    pub fn actor(&self) -> Option<&Actor> {
        self.session.as_ref().map(|s| &s.actor)
    }

    pub fn csrf(&self) -> &str {
        self.session.as_ref().map_or("", |s| s.csrf.as_str())
    }
}

pub fn cookie_value(req_headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    req_headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

/// A `Set-Cookie` value with the attributes every Stegvis cookie has.
pub fn set_cookie(name: &str, value: &str, max_age: Option<time::Duration>) -> HeaderValue {
    let mut c = cookie::Cookie::build((name.to_owned(), value.to_owned()))
        .path("/")
        .secure(true)
        .http_only(true)
        .same_site(cookie::SameSite::Lax);
    if let Some(age) = max_age {
        c = c.max_age(age);
    }
    HeaderValue::from_str(&c.build().to_string()).expect("cookie is ASCII")
}

/// A refused write: on the portal in the participant's language.
fn forbidden(lang: Lang, portal: Option<crate::i18n::Language>) -> Response {
    if let Some(language) = portal {
        let body = stegvis_i18n::text(language, "error-csrf");
        return (StatusCode::FORBIDDEN, body).into_response();
    }
    let body = lang.t(
        "Förfrågan kunde inte kontrolleras (CSRF). Ladda om sidan och försök igen.",
        "The request could not be verified (CSRF). Reload the page and try again.",
    );
    (StatusCode::FORBIDDEN, body).into_response()
}

/// The client's address: the TCP peer, or, when the peer is a trusted proxy, the nearest
/// address in `X-Forwarded-For` that is not itself a trusted proxy.
fn client_address(parts: &axum::http::request::Parts) -> String {
    let Some(peer) = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
    else {
        return "unknown".to_owned();
    };
    let trusted = parts
        .extensions
        .get::<std::sync::Arc<crate::WebConfig>>()
        .map(|c| c.trusted_proxies.clone())
        .unwrap_or_default();
    if !trusted.contains(&peer) {
        return peer.to_string();
    }
    let forwarded: Vec<std::net::IpAddr> = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    forwarded
        .iter()
        .rev()
        .find(|a| !trusted.contains(a))
        .unwrap_or(&peer)
        .to_string()
}

/// Resolves the caller, checks CSRF on unsafe methods, and adds security headers.
pub async fn context(State(app): State<App>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let lang_cookie = cookie_value(&parts.headers, LANG_COOKIE);
    let lang = Lang::detect(lang_cookie.as_deref(), &parts.headers);
    let language = crate::i18n::detect_language(lang_cookie.as_deref(), &parts.headers);
    let portal = crate::pages::is_portal_path(parts.uri.path());
    let client = client_address(&parts);
    let bearer_token = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned());
    let mut ctx = Ctx {
        lang,
        language,
        session: None,
        session_token: None,
        bearer: false,
        client,
    };
    if let Some(token) = bearer_token {
        match app.token_actor(&token).await {
            Ok(Some(actor)) => {
                ctx.session = Some(SessionInfo {
                    actor,
                    csrf: String::new(),
                });
                ctx.bearer = true;
            }
            Ok(None) => {}
            Err(e) => {
                tracing::error!(error = %e, "token lookup failed");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        }
    } else if let Some(token) = cookie_value(&parts.headers, SESSION_COOKIE) {
        match app.session(&token).await {
            Ok(s) => ctx.session = s,
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        }
        ctx.session_token = Some(token);
    }

    let mut body = body;
    let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe {
        // Browsers say where a request comes from; a cross-site write is never ours.
        let site = parts
            .headers
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok());
        if site == Some("cross-site") {
            return forbidden(lang, portal.then_some(language));
        }
        // Log-in itself carries no token (there is no session yet); SameSite and the
        // cross-site check above cover it.
        let is_login = parts.uri.path() == "/login";
        if let (Some(session), false, false) = (&ctx.session, ctx.bearer, is_login) {
            let header_token = parts
                .headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let content_type = parts
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned();
            let is_form = content_type.starts_with("application/x-www-form-urlencoded");
            let is_upload = content_type.starts_with("multipart/form-data");
            let presented = match header_token {
                Some(t) => Some(t),
                None if is_upload => match read_upload(body).await {
                    Ok(bytes) => {
                        let token = multipart_csrf(&content_type, bytes.clone()).await;
                        body = Body::from(bytes);
                        token
                    }
                    Err(UploadTooLarge) => {
                        // Nothing of it reaches the handler, which can only say it was too large.
                        parts.extensions.insert(UploadTooLarge);
                        parts.extensions.insert(ctx);
                        return next.run(Request::from_parts(parts, Body::empty())).await;
                    }
                },
                None if is_form => {
                    let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
                        return (StatusCode::PAYLOAD_TOO_LARGE, "").into_response();
                    };
                    let token = form_urlencoded::parse(&bytes)
                        .find(|(k, _)| k == "csrf")
                        .map(|(_, v)| v.into_owned());
                    body = Body::from(bytes);
                    token
                }
                None => None,
            };
            if !presented.is_some_and(|t| {
                stegvis_app::auth::constant_time_eq(t.as_bytes(), session.csrf.as_bytes())
            }) {
                return forbidden(lang, portal.then_some(language));
            }
        }
    }
    parts.extensions.insert(ctx);
    let started = std::time::Instant::now();
    let method = parts.method.clone();
    // Only the path: query strings may hold a searched identity number.
    let path = parts.uri.path().to_owned();
    let response = next.run(Request::from_parts(parts, body)).await;
    tracing::info!(%method, path = %redact_path(&path), status = response.status().as_u16(), ms = started.elapsed().as_millis() as u64, "request");
    response
}

/// The body of an upload, or [`UploadTooLarge`] (after reading and dropping up to
/// [`DRAIN_UPLOAD_BYTES`] of it).
async fn read_upload(mut body: Body) -> Result<axum::body::Bytes, UploadTooLarge> {
    use axum::body::HttpBody;
    let mut bytes = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await
    {
        let Ok(frame) = frame else {
            return Err(UploadTooLarge);
        };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        seen += data.len();
        if seen <= MAX_UPLOAD_BYTES {
            bytes.extend_from_slice(&data);
        } else if seen > DRAIN_UPLOAD_BYTES {
            break;
        }
    }
    if seen > MAX_UPLOAD_BYTES {
        return Err(UploadTooLarge);
    }
    Ok(bytes.into())
}

/// The `csrf` field of a `multipart/form-data` body, if it has one.
async fn multipart_csrf(content_type: &str, bytes: axum::body::Bytes) -> Option<String> {
    let boundary = multer::parse_boundary(content_type).ok()?;
    let stream = Body::from(bytes).into_data_stream();
    let mut multipart = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("csrf") {
            return field.text().await.ok();
        }
    }
    None
}

/// Replaces ids in a path with `:id` so logs carry no record identifiers.
fn redact_path(path: &str) -> String {
    let mut previous = "";
    path.split('/')
        .map(|seg| {
            let out = if uuid::Uuid::parse_str(seg).is_ok() {
                ":id"
            } else if matches!(previous, "setup" | "activate") {
                // A one-time code is a secret: never in a log.
                ":code"
            } else {
                seg
            };
            previous = seg;
            out
        })
        .collect::<Vec<_>>()
        .join("/")
}

impl std::fmt::Debug for Ctx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Personal data never reaches logs: ids only.
        f.debug_struct("Ctx")
            .field("lang", &self.lang)
            .field("bearer", &self.bearer)
            .finish_non_exhaustive()
    }
}
