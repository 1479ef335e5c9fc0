//! `stegvis check`: is the database whole after a crash? The engine's own checks (SQLite's
//! integrity and foreign-key checks, FTS5 indexes), the append-only triggers of the trail, the
//! report tallies counted again from the rows, and invariants that every use case keeps in one
//! transaction, so that a half-written write would break them. Only counts and ids leave: the
//! check reads no personal data out of the store.

use crate::{Backend, Result, Store, Tx, fetch_all};
use sqlx::Row;
use uuid::Uuid;

/// One thing checked, in plain words, and what was wrong with it (empty when it holds).
#[derive(Debug, Clone)]
pub struct Check {
    pub what: String,
    pub problems: Vec<String>,
}

impl Check {
    fn new(what: impl Into<String>, problems: Vec<String>) -> Self {
        Check {
            what: what.into(),
            problems,
        }
    }

    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Triggers that keep the trail and the histories append-only: (table, SQLite trigger names).
/// On PostgreSQL each table has a trigger for UPDATE and DELETE (record_history's is row-level
/// and lets an erasure delete an erased participant's rows, migration 0030), and one for
/// TRUNCATE; SQLite's `record_history_no_delete` has the same exception.
const APPEND_ONLY: &[(&str, &[&str])] = &[
    (
        "audit_events",
        &["audit_events_no_update", "audit_events_no_delete"],
    ),
    (
        "record_history",
        &["record_history_no_update", "record_history_no_delete"],
    ),
    (
        "project_history",
        &["project_history_no_update", "project_history_no_delete"],
    ),
    (
        "audit_chain",
        &["audit_chain_no_update", "audit_chain_no_delete"],
    ),
    (
        "audit_verifications",
        &[
            "audit_verifications_no_update",
            "audit_verifications_no_delete",
        ],
    ),
    (
        "audit_checkpoints",
        &["audit_checkpoints_no_update", "audit_checkpoints_no_delete"],
    ),
];

/// Invariants each write keeps in its own transaction: (what, SQL listing the ids that break
/// it). Portable SQL, run on both backends.
const INVARIANTS: &[(&str, &str)] = &[
    (
        "every participant has an enrolment (they are registered and enrolled in one write)",
        "SELECT p.id FROM participants p
         WHERE NOT EXISTS (SELECT 1 FROM enrolments e WHERE e.participant_id = p.id)",
    ),
    (
        "every enrolment has its report contribution",
        "SELECT e.id FROM enrolments e
         WHERE NOT EXISTS (SELECT 1 FROM report_contributions c WHERE c.enrolment_id = e.id)",
    ),
    (
        "every report contribution belongs to an enrolment (or to one erased by a retention rule)",
        "SELECT c.enrolment_id FROM report_contributions c WHERE c.erased = 0
         AND NOT EXISTS (SELECT 1 FROM enrolments e WHERE e.id = c.enrolment_id)",
    ),
    (
        "every ended enrolment has its three follow-ups (planned by the exit)",
        "SELECT e.id FROM enrolments e WHERE e.exited_on IS NOT NULL
         AND (SELECT COUNT(*) FROM follow_ups f WHERE f.enrolment_id = e.id) <> 3",
    ),
    (
        "every follow-up belongs to an ended enrolment",
        "SELECT f.id FROM follow_ups f
         WHERE NOT EXISTS (SELECT 1 FROM enrolments e
                           WHERE e.id = f.enrolment_id AND e.exited_on IS NOT NULL)",
    ),
    (
        "every corrected enrolment keeps each earlier version (version = 1 + history entries)",
        "SELECT x.id FROM enrolments x
         WHERE x.version - 1 <> (SELECT COUNT(*) FROM record_history h WHERE h.record_id = x.id)",
    ),
    (
        "every changed plan step keeps each earlier version (version = 1 + history entries)",
        "SELECT x.id FROM plan_steps x
         WHERE x.version - 1 <> (SELECT COUNT(*) FROM record_history h WHERE h.record_id = x.id)",
    ),
    (
        "every changed placement keeps each earlier version (version = 1 + history entries)",
        "SELECT x.id FROM placements x
         WHERE x.version - 1 <> (SELECT COUNT(*) FROM record_history h WHERE h.record_id = x.id)",
    ),
    (
        "no report tally is below zero",
        "SELECT project_id FROM report_tallies WHERE n < 0",
    ),
    (
        "no erased participant has rows left",
        "SELECT x.participant_id FROM erasures x
         WHERE EXISTS (SELECT 1 FROM participants p WHERE p.id = x.participant_id)",
    ),
];

/// At most this many ids are named per broken invariant.
const NAMED: usize = 5;

fn ids(what: &str, found: Vec<Uuid>) -> Vec<String> {
    if found.is_empty() {
        return Vec::new();
    }
    let named: Vec<String> = found.iter().take(NAMED).map(Uuid::to_string).collect();
    vec![format!(
        "{} found that do not hold ({what}), e.g. {}",
        found.len(),
        named.join(", ")
    )]
}

impl Store {
    /// Runs every check and says what each found. Errors only when the database cannot be
    /// asked at all; a check that fails to run is reported as that check's problem.
    pub async fn check(&self) -> Result<Vec<Check>> {
        let mut checks = Vec::new();
        if self.backend() == Backend::Sqlite {
            checks.extend(self.sqlite_engine_checks().await?);
        }
        checks.push(self.migrations_applied().await?);
        checks.push(self.append_only_triggers().await?);
        let mut tx = self.begin_snapshot().await?;
        for (what, sql) in INVARIANTS {
            let found = fetch_all!(&mut tx, (Uuid,), *sql);
            checks.push(Check::new(
                *what,
                match found {
                    Ok(rows) => ids("rows", rows.into_iter().map(|(id,)| id).collect()),
                    Err(e) => vec![format!("could not run: {e}")],
                },
            ));
        }
        checks.push(tally_check(&mut tx).await);
        tx.commit().await?;
        Ok(checks)
    }

    async fn sqlite_engine_checks(&self) -> Result<Vec<Check>> {
        let mut checks = Vec::new();
        let mut tx = self.begin_read().await?;
        let Tx::Sqlite(t, _) = &mut tx else {
            return Ok(checks);
        };
        let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&mut **t)
            .await?;
        checks.push(Check::new(
            "SQLite integrity_check (pages, indexes, constraints)",
            integrity.into_iter().filter(|l| l != "ok").collect(),
        ));
        let broken = sqlx::query("PRAGMA foreign_key_check")
            .fetch_all(&mut **t)
            .await?
            .into_iter()
            .map(|r| {
                let table: String = r.try_get(0).unwrap_or_default();
                let rowid: Option<i64> = r.try_get(1).unwrap_or_default();
                let parent: String = r.try_get(2).unwrap_or_default();
                format!(
                    "a row of {table} (rowid {}) refers to a missing row of {parent}",
                    rowid.map_or("-".into(), |r| r.to_string())
                )
            })
            .collect();
        checks.push(Check::new(
            "SQLite foreign_key_check (every reference points at a row)",
            broken,
        ));
        let fts: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master
             WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%' ORDER BY name",
        )
        .fetch_all(&mut **t)
        .await?;
        tx.commit().await?;
        // The FTS5 integrity check is an INSERT of a command: run in a transaction rolled back.
        // Rank 1 also compares an external-content index with its content table.
        for name in fts {
            let mut tx = self.begin().await?;
            let Tx::Sqlite(t, _) = &mut tx else {
                break;
            };
            let quoted = name.replace('"', "\"\"");
            let sql = format!(
                "INSERT INTO \"{quoted}\"(\"{quoted}\", rank) VALUES ('integrity-check', 1)"
            );
            let result = sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut **t)
                .await;
            tx.rollback().await?;
            checks.push(Check::new(
                format!("SQLite FTS5 index {name} matches its content (integrity-check)"),
                match result {
                    Ok(_) => Vec::new(),
                    Err(e) => vec![e.to_string()],
                },
            ));
        }
        Ok(checks)
    }

    async fn migrations_applied(&self) -> Result<Check> {
        let mut tx = self.begin_read().await?;
        let applied = fetch_all!(
            &mut tx,
            (i64,),
            "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version"
        );
        tx.commit().await?;
        let problems = match applied {
            Ok(rows) => self
                .migrator()
                .iter()
                .filter(|m| !rows.iter().any(|(v,)| *v == m.version))
                .map(|m| format!("migration {} ({}) is not applied", m.version, m.description))
                .collect(),
            Err(e) => vec![format!("could not read the migration history: {e}")],
        };
        Ok(Check::new(
            "every migration this version of Stegvis knows is applied",
            problems,
        ))
    }

    async fn append_only_triggers(&self) -> Result<Check> {
        let mut tx = self.begin_read().await?;
        let mut problems = Vec::new();
        match &mut tx {
            Tx::Sqlite(t, _) => {
                let present: Vec<(String, String)> = sqlx::query_as(
                    "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'",
                )
                .fetch_all(&mut **t)
                .await?;
                for (table, names) in APPEND_ONLY {
                    for name in *names {
                        if !present.iter().any(|(n, tb)| n == name && tb == table) {
                            problems.push(format!("trigger {name} on {table} is missing"));
                        }
                    }
                }
            }
            Tx::Postgres(t) => {
                for (table, _) in APPEND_ONLY {
                    // Enabled (not 'D'), BEFORE (2), firing on UPDATE (16) and DELETE (8).
                    let n: i64 = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM pg_trigger
                         WHERE tgrelid = to_regclass($1) AND NOT tgisinternal
                           AND tgenabled <> 'D' AND (tgtype & 2) = 2
                           AND (tgtype & 16) = 16 AND (tgtype & 8) = 8",
                    )
                    .bind(*table)
                    .fetch_one(&mut **t)
                    .await?;
                    if n == 0 {
                        problems.push(format!(
                            "no enabled trigger refuses UPDATE and DELETE on {table}"
                        ));
                    }
                }
            }
        }
        tx.commit().await?;
        let tables: Vec<&str> = APPEND_ONLY.iter().map(|(t, _)| *t).collect();
        Ok(Check::new(
            format!(
                "the append-only triggers of {} are in place",
                tables.join(", ")
            ),
            problems,
        ))
    }
}

/// The stored tallies of every project and organisation equal a count from the rows (the
/// check debug builds make at every report, here for all of them at once).
async fn tally_check(tx: &mut Tx) -> Check {
    let what = "the report tallies of every project and organisation equal a recount from the rows";
    let pairs = fetch_all!(
        &mut *tx,
        (Uuid, Uuid),
        "SELECT project_id, org_id FROM enrolments
         UNION SELECT project_id, org_id FROM report_tallies
         ORDER BY 1, 2"
    );
    let pairs = match pairs {
        Ok(p) => p,
        Err(e) => return Check::new(what, vec![format!("could not run: {e}")]),
    };
    let mut problems = Vec::new();
    for (project_id, org_id) in &pairs {
        let stored = tx.tallies(*project_id, *org_id).await;
        let counted = tx.recount_tallies(*project_id, *org_id).await;
        match (stored, counted) {
            (Ok(s), Ok(c)) if s == c => {}
            (Ok(s), Ok(c)) => {
                let keys: Vec<&String> =
                    s.0.keys()
                        .chain(c.0.keys())
                        .filter(|k| s.0.get(*k) != c.0.get(*k))
                        .collect::<std::collections::BTreeSet<_>>()
                        .into_iter()
                        .take(NAMED)
                        .collect();
                problems.push(format!(
                    "project {project_id}, organisation {org_id}: stored and counted differ at {}",
                    keys.iter()
                        .map(|k| format!(
                            "{k} (stored {:?}, counted {:?})",
                            s.0.get(*k),
                            c.0.get(*k)
                        ))
                        .collect::<Vec<_>>()
                        .join("; ")
                ));
            }
            (Err(e), _) | (_, Err(e)) => {
                problems.push(format!(
                    "project {project_id}, organisation {org_id}: could not count: {e}"
                ));
            }
        }
    }
    Check::new(format!("{what} ({} pairs)", pairs.len()), problems)
}

#[cfg(feature = "testing")]
impl Store {
    /// Test support: moves one stored tally of a project by one, as a lost or doubled write
    /// would.
    pub async fn damage_tally(&self, project_id: Uuid) -> Result<u64> {
        let mut tx = self.begin().await?;
        let n = crate::exec!(
            &mut tx,
            "UPDATE report_tallies SET n = n + 1
             WHERE (project_id, org_id, key, gender) =
                   (SELECT project_id, org_id, key, gender FROM report_tallies
                    WHERE project_id = $1 ORDER BY key, gender, org_id LIMIT 1)",
            project_id
        )?;
        tx.commit().await?;
        Ok(n)
    }
}
