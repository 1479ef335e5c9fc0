//! What the store measures for the operators' Prometheus endpoint: how long an audited
//! transaction's commit takes, and the connection pool's state. Counted here, served by web.

use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};

/// The `mode` label: `write` (data and events in one transaction) or `read` (the events go to
/// the audit writer, SQLite, or into the read's own transaction, PostgreSQL).
pub type ModeLabel = [(&'static str, &'static str); 1];

/// The store's own metrics, shared by every clone of a [`crate::Store`].
#[derive(Debug, Clone)]
pub struct StoreMetrics {
    /// Seconds from an audited transaction's commit call until its events are durable.
    pub audit_commit: Family<ModeLabel, Histogram>,
}

impl Default for StoreMetrics {
    fn default() -> Self {
        StoreMetrics {
            // 0.5 ms to about 4 s.
            audit_commit: Family::new_with_constructor(|| {
                Histogram::new(exponential_buckets(0.0005, 2.0, 14))
            }),
        }
    }
}

/// The connection pool at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStats {
    /// Open connections, idle or in use.
    pub size: u32,
    pub idle: u32,
    /// The most the pool opens.
    pub max: u32,
}
