//! For the operators: is the database ready for this binary, and how the background jobs
//! (reminders, the audit sealer) fare. Nothing here reads or tells personal data.

use crate::{App, Text};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use std::time::Duration;

/// The `job` label: `reminders` or `audit_sealer`.
pub type JobLabel = [(&'static str, &'static str); 1];

/// How long a readiness check waits for the database before it says "not ready".
const READY_TIMEOUT: Duration = Duration::from_secs(3);

/// The background jobs' runs, failures and last success (Unix seconds).
#[derive(Debug, Clone, Default)]
pub struct JobMetrics {
    pub runs: Family<JobLabel, Counter>,
    pub failures: Family<JobLabel, Counter>,
    pub last_success: Family<JobLabel, Gauge>,
}

impl JobMetrics {
    /// Counts one run of `job` and its outcome.
    pub(crate) fn record(&self, job: &'static str, ok: bool) {
        let label = [("job", job)];
        self.runs.get_or_create(&label).inc();
        if ok {
            let now = time::OffsetDateTime::now_utc().unix_timestamp();
            self.last_success.get_or_create(&label).set(now);
        } else {
            self.failures.get_or_create(&label).inc();
        }
    }
}

/// Why the server is not ready for requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotReady {
    /// The database does not answer (or not in time).
    Unreachable,
    /// Migrations this binary knows are not applied.
    Pending(usize),
    /// An applied migration differs from this binary's (a changed or foreign schema).
    Mismatch,
}

impl NotReady {
    /// The reason in plain words, Swedish and English (no personal data, no connection string).
    pub fn text(&self) -> Text {
        match self {
            NotReady::Unreachable => Text::new(
                "inte redo: databasen svarar inte",
                "not ready: the database does not answer",
            ),
            NotReady::Pending(n) => Text {
                sv: format!(
                    "inte redo: databasen saknar {n} migrering(ar) som den här versionen behöver (kör stegvis migrate)"
                ),
                en: format!(
                    "not ready: the database lacks {n} migration(s) this version needs (run stegvis migrate)"
                ),
            },
            NotReady::Mismatch => Text::new(
                "inte redo: databasens migreringar skiljer sig från den här versionens",
                "not ready: the database's migrations differ from this version's",
            ),
        }
    }
}

impl App {
    /// Ready when the database answers and holds every migration this binary knows.
    pub async fn readiness(&self) -> std::result::Result<(), NotReady> {
        match tokio::time::timeout(READY_TIMEOUT, self.store.pending_migrations()).await {
            Ok(Ok(0)) => Ok(()),
            Ok(Ok(n)) => Err(NotReady::Pending(n)),
            Ok(Err(stegvis_store::StoreError::Migrate(e))) => {
                tracing::warn!("readiness: {e}");
                Err(NotReady::Mismatch)
            }
            Ok(Err(e)) => {
                tracing::warn!("readiness: {e}");
                Err(NotReady::Unreachable)
            }
            Err(_) => Err(NotReady::Unreachable),
        }
    }

    /// The background jobs' metrics.
    pub fn job_metrics(&self) -> &JobMetrics {
        &self.jobs
    }

    /// Audit-commit times, counted by the store.
    pub fn store_metrics(&self) -> &stegvis_store::metrics::StoreMetrics {
        self.store.metrics()
    }

    /// The database connection pool now.
    pub fn pool_stats(&self) -> stegvis_store::metrics::PoolStats {
        self.store.pool_stats()
    }
}
