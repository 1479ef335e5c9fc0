//! A bulk load into an empty population (the demo at scale). On SQLite, keeping the population
//! tables' secondary indexes and the trigram index of names up to date row by row costs more
//! than building them once after the load: [`Store::bulk_load_start`] drops them and
//! [`Store::bulk_load_finish`] creates them again from the migrations' own statements, so the
//! schema ends exactly as migrated ([`Store::schema_differences`]). A load that stops in
//! between leaves them missing until `bulk_load_finish` runs, which the demo does on every
//! start. PostgreSQL keeps its indexes: both calls do nothing there.

use crate::db::{Pool, SQLITE_MIGRATIONS};
use crate::{Result, Store, Tx};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use std::str::FromStr;

/// The tables a demo seed fills in bulk: their indexes and triggers wait for the load's end.
const POPULATION: &str = "'participants', 'enrolments', 'follow_ups', 'assessments', \
     'assessment_scores', 'plan_steps', 'job_profiles', 'placements', 'consents', 'referrals', \
     'conferences', 'conference_steps', 'attendance'";

/// One schema object as `sqlite_master` holds it: (type, name, table, statement).
pub type SchemaObject = (String, String, String, String);

impl Store {
    /// Drops the population tables' own indexes (not those of their keys and UNIQUE
    /// constraints, which SQLite names `sqlite_autoindex_…` and keeps) and their triggers,
    /// which keep the trigram index of names. SQLite only; only for a load into empty tables.
    pub async fn bulk_load_start(&self) -> Result<()> {
        let Pool::Sqlite(_) = &self.pool else {
            return Ok(());
        };
        let mut tx = self.begin().await?;
        let Tx::Sqlite(t, _) = &mut tx else {
            return Ok(());
        };
        let sql = format!(
            "SELECT type, name FROM sqlite_master WHERE type IN ('index', 'trigger')
             AND sql IS NOT NULL AND tbl_name IN ({POPULATION}) ORDER BY name"
        );
        let objects: Vec<(String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(&mut **t)
            .await?;
        for (kind, name) in objects {
            let kind = if kind == "index" { "INDEX" } else { "TRIGGER" };
            let quoted = name.replace('"', "\"\"");
            sqlx::query(sqlx::AssertSqlSafe(format!("DROP {kind} \"{quoted}\"")))
                .execute(&mut **t)
                .await?;
        }
        tx.commit().await
    }

    /// Creates every index and trigger the migrations make that this database lacks, with the
    /// migrations' own statements, and rebuilds the trigram index of names when its triggers
    /// were missing. Returns how many it created (0 when the schema is whole; SQLite only).
    pub async fn bulk_load_finish(&self) -> Result<usize> {
        let Pool::Sqlite(_) = &self.pool else {
            return Ok(0);
        };
        let reference = migrated_schema().await?;
        let mut tx = self.begin().await?;
        let Tx::Sqlite(t, _) = &mut tx else {
            return Ok(0);
        };
        // Read in the transaction that creates them: no other writer comes in between.
        let live = schema_of(&mut **t).await?;
        let missing: Vec<SchemaObject> = reference
            .into_iter()
            .filter(|(kind, ..)| kind == "index" || kind == "trigger")
            .filter(|(_, name, ..)| !live.iter().any(|(_, n, ..)| n == name))
            .collect();
        for (.., sql) in &missing {
            sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                .execute(&mut **t)
                .await?;
        }
        if missing
            .iter()
            .any(|(_, name, ..)| name == "participant_names_insert")
        {
            sqlx::query("INSERT INTO participant_names(participant_names) VALUES ('rebuild')")
                .execute(&mut **t)
                .await?;
        }
        tx.commit().await?;
        Ok(missing.len())
    }

    /// Where this database's schema differs from the one its migrations make: each object
    /// missing, extra or defined otherwise, in words (SQLite only).
    pub async fn schema_differences(&self) -> Result<Vec<String>> {
        let Pool::Sqlite(_) = &self.pool else {
            return Ok(Vec::new());
        };
        let reference = migrated_schema().await?;
        // A write transaction reads the newest schema: a pooled connection read outright was
        // seen to answer from an older one right after another connection changed it.
        let mut tx = self.begin().await?;
        let Tx::Sqlite(t, _) = &mut tx else {
            return Ok(Vec::new());
        };
        let live = schema_of(&mut **t).await?;
        tx.rollback().await?;
        let mut found = Vec::new();
        for r in &reference {
            match live.iter().find(|l| l.1 == r.1) {
                None => found.push(format!("{} {} is missing", r.0, r.1)),
                Some(l) if l != r => found.push(format!("{} {} differs", r.0, r.1)),
                Some(_) => {}
            }
        }
        for l in &live {
            if !reference.iter().any(|r| r.1 == l.1) {
                found.push(format!("{} {} is not in the migrations", l.0, l.1));
            }
        }
        Ok(found)
    }
}

/// Every named object of a SQLite database, by name (its page numbers left out).
async fn schema_of<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Sqlite>,
) -> Result<Vec<SchemaObject>> {
    Ok(sqlx::query_as(
        "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master ORDER BY name",
    )
    .fetch_all(db)
    .await?)
}

/// The schema the migrations make, from an empty database in memory.
async fn migrated_schema() -> Result<Vec<SchemaObject>> {
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(SqliteConnectOptions::from_str("sqlite::memory:")?.foreign_keys(true))
        .await?;
    SQLITE_MIGRATIONS.run(&pool).await?;
    let schema = schema_of(&pool).await;
    pool.close().await;
    schema
}
