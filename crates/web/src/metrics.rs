//! The operators' Prometheus endpoint: HTTP requests by method, route template and status
//! class, their latency, the database pool, audit-commit times and the background jobs. Served
//! only on its own address (`metrics_listen`), never beside the pages.

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::future::Future;
use std::sync::Arc;
use stegvis_app::App;

type RequestLabels = [(&'static str, String); 3];
type RouteLabels = [(&'static str, String); 2];
type StateLabel = [(&'static str, &'static str); 1];

/// The registry and the metrics the web layer counts itself.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    pool: Family<StateLabel, Gauge>,
    pool_max: Gauge,
    app: App,
}

impl Metrics {
    /// Registers every metric of `app` (its store's and its jobs') and the web layer's own.
    pub fn new(app: &App) -> Arc<Self> {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "stegvis_http_requests",
            "HTTP requests by method, route template and status class",
            requests.clone(),
        );
        // 1 ms to about 16 s.
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.001, 2.0, 15))
        });
        registry.register(
            "stegvis_http_request_duration_seconds",
            "Time from a request's arrival to its response, by method and route template",
            latency.clone(),
        );
        let pool = Family::<StateLabel, Gauge>::default();
        registry.register(
            "stegvis_db_pool_connections",
            "Database connections open now, idle or in use",
            pool.clone(),
        );
        let pool_max = Gauge::default();
        registry.register(
            "stegvis_db_pool_max_connections",
            "The most connections the pool opens",
            pool_max.clone(),
        );
        registry.register(
            "stegvis_audit_commit_duration_seconds",
            "Time to commit an audited transaction until its audit events are durable, by mode (read or write)",
            app.store_metrics().audit_commit.clone(),
        );
        let jobs = app.job_metrics();
        registry.register(
            "stegvis_job_runs",
            "Runs of a background job (reminders, audit_sealer)",
            jobs.runs.clone(),
        );
        registry.register(
            "stegvis_job_failures",
            "Failed runs of a background job",
            jobs.failures.clone(),
        );
        registry.register(
            "stegvis_job_last_success_timestamp_seconds",
            "When a background job last ran without error (Unix time)",
            jobs.last_success.clone(),
        );
        Arc::new(Metrics {
            registry,
            requests,
            latency,
            pool,
            pool_max,
            app: app.clone(),
        })
    }

    /// The metrics in the OpenMetrics text format, with the pool as it is now.
    pub fn render(&self) -> String {
        let stats = self.app.pool_stats();
        let in_use = stats.size.saturating_sub(stats.idle);
        self.pool
            .get_or_create(&[("state", "idle")])
            .set(i64::from(stats.idle));
        self.pool
            .get_or_create(&[("state", "in_use")])
            .set(i64::from(in_use));
        self.pool_max.set(i64::from(stats.max));
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = encode(&mut out, &self.registry);
        out
    }
}

/// The method as a label: the standard ones, anything else as `other` (bounded cardinality).
fn method_label(m: &Method) -> &'static str {
    match *m {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Counts and times a request under its route template (`/participants/{id}`, never the raw
/// path with ids); an unrouted request counts as `unmatched`.
pub(crate) async fn track(State(m): State<Arc<Metrics>>, req: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let method = method_label(req.method()).to_owned();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let response = next.run(req).await;
    let class = format!("{}xx", response.status().as_u16() / 100);
    m.latency
        .get_or_create(&[("method", method.clone()), ("route", route.clone())])
        .observe(started.elapsed().as_secs_f64());
    m.requests
        .get_or_create(&[("method", method), ("route", route), ("status", class)])
        .inc();
    response
}

async fn scrape(State(m): State<Arc<Metrics>>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        m.render(),
    )
        .into_response()
}

/// Serves `GET /metrics` (and nothing else) until `shutdown` completes.
pub async fn serve_metrics(
    metrics: Arc<Metrics>,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = Router::new()
        .route("/metrics", get(scrape))
        .with_state(metrics);
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
}
