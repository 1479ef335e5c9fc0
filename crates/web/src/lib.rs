//! web: the HTML pages and the JSON API, both thin over `stegvis_app`. Handlers never touch the
//! store (this crate does not even depend on it): every read and write goes through an app use
//! case and so through the policy gate.
#![forbid(unsafe_code)]

pub mod api;
mod charts;
mod error;
mod export;
mod forms;
mod headers;
mod i18n;
mod local_time;
mod pages;
mod session;
mod uploads;

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use std::future::Future;
use std::net::SocketAddr;
use stegvis_app::App;

pub use i18n::Lang;
pub use session::{LANG_COOKIE, SESSION_COOKIE};

const STYLE: &str = include_str!("../static/style.css");

async fn style() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLE,
    )
}

async fn healthz() -> &'static str {
    "ok"
}

/// How the server is deployed.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Reverse proxies (TLS terminators) whose `X-Forwarded-For` names the real client. Without
    /// them every user behind the proxy would share one address in the log-in limit.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

/// All routes with the default configuration.
pub fn router(app: App) -> Router {
    router_with(app, WebConfig::default())
}

/// All routes: pages, API, static assets, health.
pub fn router_with(app: App, config: WebConfig) -> Router {
    Router::new()
        .merge(pages::routes())
        .nest("/api/v1", api::routes())
        .route("/static/style.css", get(style))
        .route("/healthz", get(healthz))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            session::context,
        ))
        .layer(axum::Extension(std::sync::Arc::new(config)))
        .layer(axum::Extension(std::sync::Arc::new(
            uploads::Uploads::default(),
        )))
        .layer(axum::extract::DefaultBodyLimit::max(1024 * 1024))
        .layer(axum::middleware::map_response(headers::secure))
        .with_state(app)
}

/// Serves until `shutdown` completes.
pub async fn serve(
    app: App,
    config: WebConfig,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router_with(app, config).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
