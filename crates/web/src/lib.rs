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
mod metrics;
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
pub use metrics::{Metrics, serve_metrics};
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

/// Alive: answers while the process serves, without touching the database.
async fn healthz() -> &'static str {
    "ok"
}

/// Ready: the database answers and holds every migration this binary knows; else 503 with
/// the reason in plain words (for load balancers and the package's checks; no personal data).
async fn readyz(axum::extract::State(app): axum::extract::State<App>) -> axum::response::Response {
    match app.readiness().await {
        Ok(()) => "ready".into_response(),
        Err(why) => {
            let t = why.text();
            (
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                format!("{} / {}", t.sv, t.en),
            )
                .into_response()
        }
    }
}

/// How the server is deployed.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Reverse proxies (TLS terminators) whose `X-Forwarded-For` names the real client. Without
    /// them every user behind the proxy would share one address in the log-in limit.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The address users open Stegvis at (`https://stegvis.kommun.se`): the sign-in providers'
    /// redirect address. Without it, `STEGVIS_PUBLIC_URL`, then the request's host.
    pub public_url: Option<String>,
    /// The e-mail address for accessibility feedback on the accessibility statement. Without
    /// it, `STEGVIS_ACCESSIBILITY_CONTACT`.
    pub accessibility_contact: Option<String>,
    /// Request metrics, counted when given (served apart by [`serve_metrics`]).
    pub metrics: Option<std::sync::Arc<Metrics>>,
}

/// All routes with the default configuration.
pub fn router(app: App) -> Router {
    router_with(app, WebConfig::default())
}

/// All routes: pages, API, static assets, health.
pub fn router_with(app: App, config: WebConfig) -> Router {
    let metrics = config.metrics.clone();
    let router = Router::new()
        .merge(pages::routes())
        .nest("/api/v1", api::routes())
        .route("/static/style.css", get(style))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            session::context,
        ))
        // Health needs no caller: outside the session middleware, so no cookie reaches it.
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .layer(axum::Extension(std::sync::Arc::new(config)))
        .layer(axum::Extension(std::sync::Arc::new(
            uploads::Uploads::default(),
        )))
        .layer(axum::extract::DefaultBodyLimit::max(1024 * 1024))
        .layer(axum::middleware::map_response(headers::secure));
    let router = match metrics {
        Some(m) => router.layer(axum::middleware::from_fn_with_state(m, metrics::track)),
        None => router,
    };
    router.with_state(app)
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
