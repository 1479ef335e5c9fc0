//! Injected time, so tests and demos are deterministic.

use std::sync::Mutex;
use time::OffsetDateTime;

/// Where use cases get "now".
pub trait Clock: Send + Sync {
    fn now(&self) -> OffsetDateTime;
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// A clock that stands still until moved (tests).
#[derive(Debug)]
pub struct FixedClock(Mutex<OffsetDateTime>);

impl FixedClock {
    pub fn new(at: OffsetDateTime) -> Self {
        FixedClock(Mutex::new(at))
    }

    pub fn advance(&self, by: time::Duration) {
        let mut t = self.0.lock().expect("clock lock");
        *t += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        *self.0.lock().expect("clock lock")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{App, KeyRing};
    use std::sync::Arc;

    #[tokio::test]
    async fn app_time_is_whole_seconds_so_sqlite_text_sorts() {
        let at = time::macros::datetime!(2026-11-24 10:00:05.5 UTC);
        let dir = std::env::temp_dir().join(format!("stegvis-clock-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}", dir.join("t.db").display());
        let app = App::open(
            &url,
            KeyRing::from_bytes([1; 32]),
            Arc::new(FixedClock::new(at)),
        )
        .await
        .unwrap();
        assert_eq!(app.now(), time::macros::datetime!(2026-11-24 10:00:05 UTC));
        // Text of equal width sorts like the times themselves.
        let a = app
            .now()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap();
        assert_eq!(a, "2026-11-24T10:00:05Z");
    }
}
