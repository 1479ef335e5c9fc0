//! The audit writer on SQLite: read-mode transactions and refusals hand their events to one
//! task with a connection of its own, which commits whatever has queued in one transaction
//! (group commit: while one fsync runs, the next batch gathers). A caller is answered only once
//! its events are on disk, so no response leaves before its trace.

use crate::audit_chain::SignerSlot;
use crate::db::Lane;
use crate::{AuditEvent, Result, StoreError};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// At most this many events in one commit; more wait for the next.
const MAX_BATCH_EVENTS: usize = 1000;
/// Requests waiting for the writer before senders wait too (backpressure, not a limit).
const QUEUE: usize = 4096;

/// Events in one INSERT: 13 values each stays under SQLite's oldest bind limit (999), and a
/// full batch (1,000 events) takes 14 statements.
const ROWS_PER_INSERT: usize = 76;

/// `INSERT INTO audit_events … VALUES (…), (…)` for `rows` events (the columns of
/// [`crate::audit::INSERT_EVENT`]).
fn insert_rows_sql(rows: usize) -> String {
    const ROW: &str = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    let mut sql = String::from(
        "INSERT INTO audit_events (id, at, actor_user_id, actor_role, actor_org_id,
            participant_id, record_kind, action, decision, ground, detail, mac, mac_key) VALUES ",
    );
    for i in 0..rows {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(ROW);
    }
    sql
}

type Reply = oneshot::Sender<Result<()>>;

enum Msg {
    Events(Vec<AuditEvent>, Reply),
    Close(oneshot::Sender<()>),
}

/// The sending side of the writer; cheap to clone with the store.
#[derive(Clone)]
pub(crate) struct AuditSink {
    queue: mpsc::Sender<Msg>,
    commits: Arc<std::sync::atomic::AtomicU64>,
}

impl AuditSink {
    /// Opens the writer's own connection (same pragmas as the pool) and starts its task.
    pub(crate) async fn start(
        options: SqliteConnectOptions,
        lane: Arc<tokio::sync::Mutex<()>>,
        signer: SignerSlot,
    ) -> Result<Self> {
        let conn = SqliteConnection::connect_with(&options).await?;
        let (queue, rx) = mpsc::channel(QUEUE);
        let commits = Arc::new(std::sync::atomic::AtomicU64::new(0));
        tokio::spawn(run(conn, lane, signer, rx, commits.clone()));
        Ok(AuditSink { queue, commits })
    }

    /// Returns once `events` are durable, or with the error that kept them from it.
    pub(crate) async fn submit(&self, events: Vec<AuditEvent>) -> Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(Msg::Events(events, reply))
            .await
            .map_err(|_| StoreError::AuditSink("the audit writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| StoreError::AuditSink("the audit writer stopped mid-batch".into()))?
    }

    /// How many transactions the writer has committed (for tests of group commit).
    pub(crate) fn commits(&self) -> u64 {
        self.commits.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Writes what is queued, then stops the writer and closes its connection.
    pub(crate) async fn close(&self) {
        let (done, wait) = oneshot::channel();
        if self.queue.send(Msg::Close(done)).await.is_ok() {
            let _ = wait.await;
        }
    }
}

async fn run(
    mut conn: SqliteConnection,
    lane: Arc<tokio::sync::Mutex<()>>,
    signer: SignerSlot,
    mut rx: mpsc::Receiver<Msg>,
    commits: Arc<std::sync::atomic::AtomicU64>,
) {
    while let Some(first) = rx.recv().await {
        let mut batch: Vec<(Vec<AuditEvent>, Reply)> = Vec::new();
        let mut close = None;
        match first {
            Msg::Events(events, reply) => batch.push((events, reply)),
            Msg::Close(done) => close = Some(done),
        }
        // Whatever queued during the last commit goes into this one.
        let mut n: usize = batch.iter().map(|(e, _)| e.len()).sum();
        while close.is_none() && n < MAX_BATCH_EVENTS {
            match rx.try_recv() {
                Ok(Msg::Events(events, reply)) => {
                    n += events.len();
                    batch.push((events, reply));
                }
                Ok(Msg::Close(done)) => close = Some(done),
                Err(_) => break,
            }
        }
        if !batch.is_empty() {
            write_batch(&mut conn, &lane, &signer, batch, &commits).await;
        }
        if let Some(done) = close {
            rx.close();
            // Requests that slipped in behind the close are answered with an error when
            // `rx` is dropped; none is left waiting.
            let _ = conn.close().await;
            let _ = done.send(());
            return;
        }
    }
    let _ = conn.close().await;
}

/// Commits the batch in one transaction; if that fails, each request alone, so one bad event
/// fails only its own request.
async fn write_batch(
    conn: &mut SqliteConnection,
    lane: &Arc<tokio::sync::Mutex<()>>,
    signer: &SignerSlot,
    batch: Vec<(Vec<AuditEvent>, Reply)>,
    commits: &std::sync::atomic::AtomicU64,
) {
    let all: Vec<&AuditEvent> = batch.iter().flat_map(|(e, _)| e.iter()).collect();
    let together = write(conn, lane, signer, &all, commits).await;
    if together.is_ok() || batch.len() == 1 {
        let mut result = Some(together);
        for (_, reply) in batch {
            let r = match result.take() {
                Some(Err(e)) => Err(e),
                _ => Ok(()),
            };
            let _ = reply.send(r);
        }
        return;
    }
    for (events, reply) in batch {
        let refs: Vec<&AuditEvent> = events.iter().collect();
        let _ = reply.send(write(conn, lane, signer, &refs, commits).await);
    }
}

async fn write(
    conn: &mut SqliteConnection,
    lane: &Arc<tokio::sync::Mutex<()>>,
    signer: &SignerSlot,
    events: &[&AuditEvent],
    commits: &std::sync::atomic::AtomicU64,
) -> Result<()> {
    // Signed before the lane is taken: the MACs need no database.
    let signer = signer.get().map(|s| s.as_ref());
    let macs: Vec<_> = events
        .iter()
        .map(|e| crate::audit_chain::sign(signer, e))
        .collect();
    // In the lane like any writer, so the pool's writers and this one take turns in order.
    let _lane: Lane = Lane(
        tokio::time::timeout(crate::db::LANE_TIMEOUT, lane.clone().lock_owned())
            .await
            .map_err(|_| StoreError::Busy)?,
    );
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    // Many rows to a statement: one step through SQLite's VM per chunk instead of per event.
    for (chunk, macs) in events
        .chunks(ROWS_PER_INSERT)
        .zip(macs.chunks(ROWS_PER_INSERT))
    {
        let sql = insert_rows_sql(chunk.len());
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (e, (mac, mac_key)) in chunk.iter().zip(macs) {
            q = q
                .bind(e.id)
                .bind(e.at)
                .bind(e.actor_user_id)
                .bind(&e.actor_role)
                .bind(e.actor_org_id)
                .bind(e.participant_id)
                .bind(&e.record_kind)
                .bind(e.action.code())
                .bind(e.decision.code())
                .bind(&e.ground)
                .bind(&e.detail)
                .bind(mac)
                .bind(mac_key);
        }
        q.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    commits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    Ok(())
}
