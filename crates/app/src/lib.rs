//! app: Stegvis's use cases ("enrol participant", "search participants"). Every use case takes an
//! [`Actor`], asks the policy gate ([`policy`]) and writes the audit event in the same transaction
//! as the data. The web layer calls only this crate; it never sees the store.
#![forbid(unsafe_code)]

pub mod accounts;
pub mod activities;
pub mod actor;
pub mod archive;
pub mod assessments;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod caseload;
pub mod check;
pub mod clock;
pub mod conferences;
pub mod consents;
pub mod correction;
pub mod eligibility;
pub mod employers;
pub mod enrolments;
pub mod error;
pub mod follow_ups;
pub mod gate;
pub mod goals;
pub mod health;
mod history;
pub mod import;
pub mod input;
pub mod job_ads;
pub mod keys;
pub mod keyset;
pub mod local;
pub mod matching;
pub mod oidc;
pub mod openapi;
pub mod operator;
pub mod organisations;
pub mod participants;
pub mod placements;
pub mod plans;
pub mod policy;
pub mod projects;
pub mod reference;
pub mod referrals;
pub mod register_extract;
pub mod reminders;
pub mod reports;
pub mod retention;
pub mod schedules;
pub mod time_reports;
/// Test support (fresh and template databases), re-exported for the integration suites.
#[cfg(feature = "testing")]
pub use stegvis_store::testing;
pub mod users;

pub use actor::Actor;
pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{AppError, FieldError, Text};
pub use stegvis_crypto::{KeyRing, KeySource};
pub use stegvis_store::Backend;

use std::sync::Arc;
use stegvis_store::Store;

/// Result of a use case.
pub type Result<T> = std::result::Result<T, AppError>;

/// Everything a use case needs: the store, the keys, the clock and the login limiter.
#[derive(Clone)]
pub struct App {
    store: Store,
    keys: Arc<keys::Keys>,
    clock: Arc<dyn Clock>,
    limiter: Arc<auth::LoginLimiter>,
    jobs: Arc<health::JobMetrics>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

impl App {
    /// Connects to the database URL, checks the keys against the ones the database records
    /// (refusing a missing or different key file before anything is written), migrates it and
    /// loads the reference data.
    pub async fn open(
        database_url: &str,
        keys: impl Into<KeySource>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self> {
        Self::open_with_pool(database_url, keys, clock, None).await
    }

    /// [`App::open`] with PostgreSQL's connection pool size (`None`: `STEGVIS_DB_POOL` or the
    /// default).
    pub async fn open_with_pool(
        database_url: &str,
        keys: impl Into<KeySource>,
        clock: Arc<dyn Clock>,
        db_pool: Option<u32>,
    ) -> Result<Self> {
        let store = Store::connect_with_pool(database_url, db_pool).await?;
        let checked = match keys::check(&store, keys.into()).await {
            Ok(c) => c,
            Err(e) => {
                store.close().await;
                return Err(e);
            }
        };
        // A runtime role without the owner's rights refuses an outdated schema (roles.rs).
        store.migrate_or_refuse().await?;
        let (keys, to_record) = checked.into_keys()?;
        let app = App {
            store,
            keys: Arc::new(keys),
            clock,
            limiter: Arc::new(auth::LoginLimiter::default()),
            jobs: Arc::default(),
        };
        app.install_signer();
        app.record_keys(to_record).await?;
        reference::load(&app).await?;
        app.ensure_report_tallies(false).await?;
        app.ensure_search_keys().await?;
        app.start_sealer();
        Ok(app)
    }

    /// Applies pending migrations only, connected as the owner; then, when a runtime role is
    /// named (PostgreSQL), gives it its rights again (idempotent; new tables need them).
    pub async fn migrate_only(owner_url: &str, runtime_role: Option<&str>) -> Result<()> {
        let store = Store::connect(owner_url).await?;
        let done = async {
            store.migrate().await?;
            if let Some(role) = runtime_role {
                store.grant_runtime_role(role).await?;
            }
            Ok(())
        }
        .await;
        store.close().await;
        done
    }

    pub fn backend(&self) -> Backend {
        self.store.backend()
    }

    /// Now, in whole seconds. SQLite keeps times as RFC 3339 text, which drops a zero fraction
    /// ("…05Z" but "…05.5Z"), so sub-second values would sort wrongly as text; whole seconds
    /// keep one width, and ties are broken by the time-ordered UUIDv7 ids.
    pub fn now(&self) -> time::OffsetDateTime {
        let now = self.clock.now();
        now.replace_nanosecond(0).unwrap_or(now)
    }

    /// Today in Sweden (a coach at 00:30 works on the new day, though UTC has not turned).
    pub fn today(&self) -> time::Date {
        local::swedish_date(self.now())
    }

    pub async fn close(&self) {
        self.store.close().await
    }

    /// Test support: damages a participant's stored gender code or identity ciphertext.
    #[cfg(feature = "testing")]
    pub async fn damage_participant(
        &self,
        id: uuid::Uuid,
        gender: Option<&str>,
        identity_enc: Option<&[u8]>,
    ) -> Result<()> {
        let mut tx = self.store.begin().await?;
        tx.damage_participant(id, gender, identity_enc).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Test support: how many events the audit trail holds.
    #[cfg(feature = "testing")]
    pub async fn audit_event_count(&self) -> Result<i64> {
        let mut tx = self.store.begin_read().await?;
        let n = tx.count_audit_events().await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Test support: proves the database itself refuses to change the audit trail.
    #[cfg(feature = "testing")]
    pub async fn try_tamper_with_audit_trail(&self) -> (Result<u64>, Result<u64>) {
        let update = async {
            let mut tx = self.store.begin().await?;
            let n = tx.tamper_with_audit().await?;
            tx.commit().await?;
            Ok(n)
        }
        .await;
        let delete = async {
            let mut tx = self.store.begin().await?;
            let n = tx.delete_audit().await?;
            tx.commit().await?;
            Ok(n)
        }
        .await;
        (update, delete)
    }
}
