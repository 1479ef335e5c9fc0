//! Connections, transactions and the backend-dispatching query macros.

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// Errors from the database, with the few cases callers must tell apart.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unique constraint violated: {0}")]
    Conflict(String),
    #[error("not found")]
    NotFound,
    #[error("changed by someone else since it was read")]
    Stale,
    #[error("unsupported database url (use sqlite: or postgres:)")]
    UnsupportedUrl,
    #[error("a write was committed without refreshing its report tallies")]
    TalliesNotRefreshed,
    /// A stored value that cannot be read as what its column holds (an unknown code, an
    /// unreadable identity number): said, never replaced by a default.
    #[error("a stored value cannot be read: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A read-mode transaction was asked to record a write: its event would reach the trail
    /// after the data, not with it. A programming error, said loudly.
    #[error("a write event was recorded on a read transaction")]
    WriteInReadTransaction,
    /// Every connection (or the write lane) stayed busy for the whole wait: the server is
    /// overloaded, and the client may try again.
    #[error("the database is busy")]
    Busy,
    /// The audit writer could not make events durable (or is gone): the request fails rather
    /// than answer unaudited.
    #[error("audit trail not written: {0}")]
    AuditSink(String),
    /// Migrations are pending and the connected (runtime) role may not apply them.
    #[error(
        "databasen är inte uppdaterad (väntande migreringar: {0}): kör `stegvis migrate` som \
         ägare (STEGVIS_OWNER_DATABASE_URL) / the database is not up to date (pending \
         migrations: {0}): run `stegvis migrate` as the owner"
    )]
    OwnerMustMigrate(usize),
    #[error("database error: {0}")]
    Database(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Conflict(db.message().to_owned())
            }
            sqlx::Error::ColumnDecode { index, source } => {
                StoreError::Corrupt(format!("column {index}: {source}"))
            }
            sqlx::Error::PoolTimedOut => StoreError::Busy,
            e => StoreError::Database(e),
        }
    }
}

/// Which database engine the store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The database, chosen once at start from the URL scheme.
#[derive(Clone)]
pub struct Store {
    pub(crate) pool: Pool,
    /// SQLite's writers queue here, first come first served, before `BEGIN IMMEDIATE`: waiting
    /// in order in-process instead of in SQLite's sleeping busy handler keeps the tail short.
    write_lane: Arc<tokio::sync::Mutex<()>>,
    /// Where read-mode audited transactions and refusals send their events (SQLite only; on
    /// PostgreSQL they stay in the request's own transaction).
    pub(crate) audit_sink: Option<crate::sink::AuditSink>,
    /// Signs every event written (set once by the app, which holds the key).
    pub(crate) signer: crate::audit_chain::SignerSlot,
    /// Audit-commit times, for the operators' metrics.
    pub(crate) metrics: Arc<crate::metrics::StoreMetrics>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Store({:?})", self.backend())
    }
}

pub(crate) static SQLITE_MIGRATIONS: sqlx::migrate::Migrator =
    sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// How long a request waits for a pooled connection or the write lane before it is answered
/// "busy, try again" instead of queueing without end.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);
/// Longer than any honest write transaction: the lane is held from `BEGIN` to `COMMIT`.
pub(crate) const LANE_TIMEOUT: Duration = Duration::from_secs(10);
/// PostgreSQL connections when `STEGVIS_DB_POOL` does not say: well below the server's
/// default `max_connections` of 100, so that a second process (the CLI) still gets in.
const DEFAULT_PG_POOL: u32 = 16;
/// SQLite page cache per connection, in KiB (negative: KiB, not pages). The hot pages (index
/// interiors) fit in far less; the rest comes from the OS page cache, which is shared. 9
/// connections at 16 MB brought the server to 325 MB at 1,000,000 participants; at 8 MB it
/// stays below the 300 MB the operators were promised (see README, Scale).
const SQLITE_CACHE_KIB: i64 = 8_000;

/// SQLite's connection options: WAL, durable commits, foreign keys, an explicit page cache.
pub(crate) fn sqlite_options(url: &str) -> crate::Result<SqliteConnectOptions> {
    Ok(SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // FULL: an acknowledged write survives a power cut, not only a crash.
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        // Freed pages are zeroed, so that an erased person's bytes leave the file.
        .pragma("secure_delete", "ON")
        .pragma("cache_size", format!("-{SQLITE_CACHE_KIB}")))
}

/// The PostgreSQL pool size: the caller's (`db_pool` in the configuration), `STEGVIS_DB_POOL`,
/// or [`DEFAULT_PG_POOL`].
fn pg_pool_size(configured: Option<u32>) -> crate::Result<u32> {
    if let Some(n) = configured.filter(|n| *n > 0) {
        return Ok(n);
    }
    match std::env::var("STEGVIS_DB_POOL") {
        Ok(v) => v
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| {
                StoreError::Database(sqlx::Error::Configuration(
                    format!("STEGVIS_DB_POOL must be a positive whole number, not {v:?}").into(),
                ))
            }),
        Err(_) => Ok(DEFAULT_PG_POOL),
    }
}

impl Store {
    /// Connects to `sqlite://path` (created when missing, WAL) or `postgres://…`.
    pub async fn connect(url: &str) -> crate::Result<Self> {
        Self::connect_with_pool(url, None).await
    }

    /// [`Store::connect`] with PostgreSQL's pool size given (`None`: `STEGVIS_DB_POOL` or the
    /// default; SQLite's pool is fixed).
    pub async fn connect_with_pool(url: &str, pg_pool: Option<u32>) -> crate::Result<Self> {
        let metrics = Arc::new(crate::metrics::StoreMetrics::default());
        let write_lane = Arc::new(tokio::sync::Mutex::new(()));
        let signer = crate::audit_chain::SignerSlot::default();
        if url.starts_with("sqlite:") {
            let options = sqlite_options(url)?;
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .connect_with(options.clone())
                .await?;
            // An in-memory database is one per connection: the writer's would be another.
            let in_memory = url.contains(":memory:") || url.contains("mode=memory");
            let sink = if in_memory {
                None
            } else {
                Some(
                    crate::sink::AuditSink::start(options, write_lane.clone(), signer.clone())
                        .await?,
                )
            };
            Ok(Store {
                pool: Pool::Sqlite(pool),
                write_lane,
                audit_sink: sink,
                signer,
                metrics,
            })
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let options = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(pg_pool_size(pg_pool)?)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .connect_with(options)
                .await?;
            Ok(Store {
                pool: Pool::Postgres(pool),
                write_lane,
                audit_sink: None,
                signer,
                metrics,
            })
        } else {
            Err(StoreError::UnsupportedUrl)
        }
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// The store's metrics (audit-commit times), for the operators' Prometheus endpoint.
    pub fn metrics(&self) -> &crate::metrics::StoreMetrics {
        &self.metrics
    }

    /// The connection pool now: open, idle, and the most it opens.
    pub fn pool_stats(&self) -> crate::metrics::PoolStats {
        let (size, idle, max) = match &self.pool {
            Pool::Sqlite(p) => (p.size(), p.num_idle(), p.options().get_max_connections()),
            Pool::Postgres(p) => (p.size(), p.num_idle(), p.options().get_max_connections()),
        };
        crate::metrics::PoolStats {
            size,
            idle: u32::try_from(idle).unwrap_or(u32::MAX),
            max,
        }
    }

    /// This backend's migration history (for `stegvis check`).
    pub(crate) fn migrator(&self) -> &'static sqlx::migrate::Migrator {
        match self.pool {
            Pool::Sqlite(_) => &SQLITE_MIGRATIONS,
            Pool::Postgres(_) => &POSTGRES_MIGRATIONS,
        }
    }

    /// Applies pending migrations of this backend's history.
    pub async fn migrate(&self) -> crate::Result<()> {
        match &self.pool {
            Pool::Sqlite(p) => SQLITE_MIGRATIONS.run(p).await?,
            Pool::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await?,
        }
        Ok(())
    }

    /// Takes SQLite's write lane, in arrival order; a wait past [`LANE_TIMEOUT`] is `Busy`.
    pub(crate) async fn take_lane(&self) -> crate::Result<Lane> {
        tokio::time::timeout(LANE_TIMEOUT, self.write_lane.clone().lock_owned())
            .await
            .map(Lane)
            .map_err(|_| StoreError::Busy)
    }

    /// Starts a transaction that may write. On SQLite it takes the write lane and then the
    /// write lock at once (`BEGIN IMMEDIATE`): a deferred transaction that reads and then writes
    /// fails with SQLITE_BUSY_SNAPSHOT when another write committed in between, which no
    /// timeout retries. Both are held until commit or rollback.
    pub async fn begin(&self) -> crate::Result<Tx> {
        Ok(match &self.pool {
            Pool::Sqlite(p) => {
                let lane = self.take_lane().await?;
                Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?, Some(lane))
            }
            Pool::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// Starts a transaction that reads one consistent snapshot across statements: SQLite's
    /// read transactions already do; on PostgreSQL it is REPEATABLE READ (the default READ
    /// COMMITTED lets each statement see writes committed in between).
    pub async fn begin_snapshot(&self) -> crate::Result<Tx> {
        Ok(match &self.pool {
            Pool::Sqlite(p) => Tx::Sqlite(p.begin().await?, None),
            Pool::Postgres(p) => Tx::Postgres(
                p.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ")
                    .await?,
            ),
        })
    }

    /// Starts a transaction that only reads: on SQLite it runs beside the writer (WAL).
    pub async fn begin_read(&self) -> crate::Result<Tx> {
        Ok(match &self.pool {
            Pool::Sqlite(p) => Tx::Sqlite(p.begin().await?, None),
            Pool::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    pub async fn close(&self) {
        if let Some(sink) = &self.audit_sink {
            sink.close().await;
        }
        match &self.pool {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }
}

/// A held place in SQLite's write lane; released when dropped.
pub struct Lane(#[allow(dead_code)] pub(crate) tokio::sync::OwnedMutexGuard<()>);

/// A transaction on either backend. A SQLite write transaction holds the write lane beside it.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>, Option<Lane>),
    Postgres(Transaction<'static, Postgres>),
}

impl Tx {
    pub async fn commit(self) -> crate::Result<()> {
        match self {
            // The lane is dropped after COMMIT returns.
            Tx::Sqlite(t, _lane) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }

    pub async fn rollback(self) -> crate::Result<()> {
        match self {
            Tx::Sqlite(t, _lane) => t.rollback().await?,
            Tx::Postgres(t) => t.rollback().await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        match self {
            Tx::Sqlite(..) => Backend::Sqlite,
            Tx::Postgres(_) => Backend::Postgres,
        }
    }
}

/// Runs a statement on the transaction's backend; returns rows affected.
#[macro_export]
macro_rules! exec {
    ($tx:expr, $sql:expr $(, $arg:expr)* $(,)?) => {
        match $tx {
            $crate::Tx::Sqlite(t, _) => sqlx::query($sql)$(.bind($arg))*.execute(&mut **t).await.map(|r| r.rows_affected()),
            $crate::Tx::Postgres(t) => sqlx::query($sql)$(.bind($arg))*.execute(&mut **t).await.map(|r| r.rows_affected()),
        }
    };
}

/// Fetches all rows as `$ty` (a `sqlx::FromRow` type).
#[macro_export]
macro_rules! fetch_all {
    ($tx:expr, $ty:ty, $sql:expr $(, $arg:expr)* $(,)?) => {
        match $tx {
            $crate::Tx::Sqlite(t, _) => sqlx::query_as::<_, $ty>($sql)$(.bind($arg))*.fetch_all(&mut **t).await,
            $crate::Tx::Postgres(t) => sqlx::query_as::<_, $ty>($sql)$(.bind($arg))*.fetch_all(&mut **t).await,
        }
    };
}

/// Fetches at most one row as `$ty`.
#[macro_export]
macro_rules! fetch_optional {
    ($tx:expr, $ty:ty, $sql:expr $(, $arg:expr)* $(,)?) => {
        match $tx {
            $crate::Tx::Sqlite(t, _) => sqlx::query_as::<_, $ty>($sql)$(.bind($arg))*.fetch_optional(&mut **t).await,
            $crate::Tx::Postgres(t) => sqlx::query_as::<_, $ty>($sql)$(.bind($arg))*.fetch_optional(&mut **t).await,
        }
    };
}

/// Fetches one scalar.
#[macro_export]
macro_rules! fetch_scalar {
    ($tx:expr, $ty:ty, $sql:expr $(, $arg:expr)* $(,)?) => {
        match $tx {
            $crate::Tx::Sqlite(t, _) => sqlx::query_scalar::<_, $ty>($sql)$(.bind($arg))*.fetch_one(&mut **t).await,
            $crate::Tx::Postgres(t) => sqlx::query_scalar::<_, $ty>($sql)$(.bind($arg))*.fetch_one(&mut **t).await,
        }
    };
}

/// Runs one statement on a pooled connection outside any transaction and fetches at most one
/// row: one round trip for a single lookup, where `BEGIN … COMMIT` would take three.
macro_rules! pool_fetch_optional {
    ($store:expr, $ty:ty, $sql:expr $(, $arg:expr)* $(,)?) => {
        match &$store.pool {
            $crate::db::Pool::Sqlite(p) => sqlx::query_as::<_, $ty>($sql)$(.bind($arg))*.fetch_optional(p).await,
            $crate::db::Pool::Postgres(p) => sqlx::query_as::<_, $ty>($sql)$(.bind($arg))*.fetch_optional(p).await,
        }
    };
}

/// [`pool_fetch_optional`] for all rows.
macro_rules! pool_fetch_all {
    ($store:expr, $ty:ty, $sql:expr $(, $arg:expr)* $(,)?) => {
        match &$store.pool {
            $crate::db::Pool::Sqlite(p) => sqlx::query_as::<_, $ty>($sql)$(.bind($arg))*.fetch_all(p).await,
            $crate::db::Pool::Postgres(p) => sqlx::query_as::<_, $ty>($sql)$(.bind($arg))*.fetch_all(p).await,
        }
    };
}

pub(crate) use {pool_fetch_all, pool_fetch_optional};
