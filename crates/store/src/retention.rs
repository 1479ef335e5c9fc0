//! Retention (gallring): the rules an organisation keeps, which enrolments they make due, and
//! the erasure of a participant's personal data. The report's tallies keep an erased person's
//! contribution as a frozen base (`report_contributions.erased`, see `tally.rs`), so the
//! funder's numbers do not change when the rows behind them go.

use crate::{Audited, Result, Store, Tx, exec, fetch_all, fetch_optional, fetch_scalar};
use std::collections::BTreeMap;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// A retention rule as stored (no personal data).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RuleRow {
    pub id: Uuid,
    pub org_id: Uuid,
    pub project_id: Option<Uuid>,
    pub record_kind: String,
    pub anchor: String,
    pub years: i64,
    pub created_at: OffsetDateTime,
    pub created_by: Option<Uuid>,
}

/// One enrolment, with what a rule's anchor is counted from (dates only, no names).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EnrolmentDates {
    pub participant_id: Uuid,
    pub org_id: Uuid,
    pub project_id: Uuid,
    pub period_start: Date,
    pub period_end: Date,
    pub exited_on: Option<Date>,
}

impl Tx {
    /// The organisation's rules in force (every organisation's when `org_id` is none).
    pub async fn retention_rules(&mut self, org_id: Option<Uuid>) -> Result<Vec<RuleRow>> {
        const COLS: &str = "SELECT id, org_id, project_id, record_kind, anchor, CAST(years AS BIGINT) AS years, created_at,
             created_by FROM retention_rules WHERE retired_at IS NULL";
        Ok(match org_id {
            Some(o) => fetch_all!(
                self,
                RuleRow,
                sqlx::AssertSqlSafe(format!("{COLS} AND org_id = $1 ORDER BY created_at, id")),
                o
            )?,
            None => fetch_all!(
                self,
                RuleRow,
                sqlx::AssertSqlSafe(format!("{COLS} ORDER BY org_id, created_at, id"))
            )?,
        })
    }

    pub async fn insert_retention_rule(&mut self, r: &RuleRow) -> Result<()> {
        exec!(
            self,
            "INSERT INTO retention_rules (id, org_id, project_id, record_kind, anchor, years,
                created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            r.id,
            r.org_id,
            r.project_id,
            &r.record_kind,
            &r.anchor,
            r.years,
            r.created_at,
            r.created_by
        )?;
        Ok(())
    }

    /// Retires a rule of the organisation; whether there was one.
    pub async fn retire_retention_rule(
        &mut self,
        org_id: Uuid,
        id: Uuid,
        at: OffsetDateTime,
    ) -> Result<bool> {
        Ok(exec!(
            self,
            "UPDATE retention_rules SET retired_at = $3
             WHERE org_id = $1 AND id = $2 AND retired_at IS NULL",
            org_id,
            id,
            at
        )? == 1)
    }

    /// How many participants have been erased, per organisation (counts only).
    pub async fn erasure_count(&mut self, org_id: Uuid) -> Result<i64> {
        Ok(fetch_scalar!(
            self,
            i64,
            "SELECT COUNT(*) FROM erasures WHERE org_id = $1",
            org_id
        )?)
    }
}

/// The tables an erasure empties of one participant, children first, each with the statement
/// that deletes their rows (`$1` the participant). `report_contributions` is not among them:
/// it keeps the frozen base.
const ERASE: &[(&str, &str)] = &[
    (
        "assessment_scores",
        "DELETE FROM assessment_scores WHERE assessment_id IN
            (SELECT id FROM assessments WHERE participant_id = $1)",
    ),
    (
        "assessment_partners",
        "DELETE FROM assessment_partners WHERE assessment_id IN
            (SELECT id FROM assessments WHERE participant_id = $1)",
    ),
    (
        "assessments",
        "DELETE FROM assessments WHERE participant_id = $1",
    ),
    (
        "conference_steps",
        "DELETE FROM conference_steps WHERE conference_id IN
            (SELECT id FROM conferences WHERE participant_id = $1)
            OR plan_step_id IN (SELECT id FROM plan_steps WHERE participant_id = $1)",
    ),
    (
        "conferences",
        "DELETE FROM conferences WHERE participant_id = $1",
    ),
    (
        "plan_steps",
        "DELETE FROM plan_steps WHERE participant_id = $1",
    ),
    (
        "attendance",
        "DELETE FROM attendance WHERE participant_id = $1",
    ),
    (
        "follow_ups",
        "DELETE FROM follow_ups WHERE participant_id = $1",
    ),
    (
        "placement_weeks",
        "DELETE FROM placement_weeks WHERE placement_id IN
            (SELECT id FROM placements WHERE participant_id = $1)",
    ),
    (
        "placement_feedback",
        "DELETE FROM placement_feedback WHERE placement_id IN
            (SELECT id FROM placements WHERE participant_id = $1)",
    ),
    (
        "placements",
        "DELETE FROM placements WHERE participant_id = $1",
    ),
    (
        "referrals",
        "DELETE FROM referrals WHERE participant_id = $1",
    ),
    ("consents", "DELETE FROM consents WHERE participant_id = $1"),
    (
        "reminders",
        "DELETE FROM reminders WHERE participant_id = $1",
    ),
    (
        "reminder_agreements",
        "DELETE FROM reminder_agreements WHERE participant_id = $1",
    ),
    (
        "job_profiles",
        "DELETE FROM job_profiles WHERE participant_id = $1",
    ),
    (
        "enrolment_exceptions",
        "DELETE FROM enrolment_exceptions WHERE enrolment_id IN
            (SELECT id FROM enrolments WHERE participant_id = $1)",
    ),
    (
        "enrolments",
        "DELETE FROM enrolments WHERE participant_id = $1",
    ),
    (
        "identity_history",
        "DELETE FROM identity_history WHERE participant_id = $1",
    ),
    (
        "record_history",
        "DELETE FROM record_history WHERE participant_id = $1",
    ),
    (
        "sessions",
        "DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE participant_id = $1)",
    ),
    (
        "api_tokens",
        "DELETE FROM api_tokens WHERE user_id IN (SELECT id FROM users WHERE participant_id = $1)",
    ),
    (
        "account_links",
        "DELETE FROM account_links WHERE user_id IN
            (SELECT id FROM users WHERE participant_id = $1)",
    ),
    ("users", "DELETE FROM users WHERE participant_id = $1"),
    ("participants", "DELETE FROM participants WHERE id = $1"),
];

/// What one erasure leaves behind: a keyed pseudonym, never a name or a number.
#[derive(Debug, Clone)]
pub struct Erasure {
    pub participant_id: Uuid,
    pub org_id: Uuid,
    pub run_id: Uuid,
    pub pseudonym: String,
    /// The rule's id, or `default`.
    pub rule: String,
    pub at: OffsetDateTime,
}

impl Audited {
    /// Every enrolment of the organisation's participants (all organisations' when none), with
    /// the dates the retention rules count from. Dates only: a plan of what is due.
    pub async fn retention_candidates(
        &mut self,
        org_id: Option<Uuid>,
    ) -> Result<Vec<EnrolmentDates>> {
        const Q: &str = "SELECT e.participant_id, e.org_id, e.project_id, p.period_start,
                p.period_end, e.exited_on
             FROM enrolments e JOIN projects p ON p.id = e.project_id";
        Ok(match org_id {
            Some(o) => fetch_all!(
                &mut self.tx,
                EnrolmentDates,
                sqlx::AssertSqlSafe(format!(
                    "{Q} WHERE e.org_id = $1 ORDER BY e.participant_id, e.project_id"
                )),
                o
            )?,
            None => fetch_all!(
                &mut self.tx,
                EnrolmentDates,
                sqlx::AssertSqlSafe(format!("{Q} ORDER BY e.participant_id, e.project_id"))
            )?,
        })
    }

    /// A participant's name (for the auditor's list of who a run would erase).
    pub async fn participant_name(&mut self, id: Uuid) -> Result<Option<(String, String)>> {
        Ok(fetch_optional!(
            &mut self.tx,
            (String, String),
            "SELECT given_name, family_name FROM participants WHERE id = $1",
            id
        )?)
    }

    /// Rows per table a participant's erasure would remove (for the dry run).
    pub async fn erasure_rows(&mut self, participant_id: Uuid) -> Result<BTreeMap<String, u64>> {
        let mut out = BTreeMap::new();
        for (table, delete) in ERASE {
            let count = format!(
                "SELECT COUNT(*) FROM {table} {}",
                &delete[delete.find("WHERE").unwrap_or(0)..]
            );
            let n = fetch_scalar!(
                &mut self.tx,
                i64,
                sqlx::AssertSqlSafe(count),
                participant_id
            )?;
            if n > 0 {
                out.insert((*table).to_owned(), n as u64);
            }
        }
        Ok(out)
    }

    /// Erases one participant: their report contributions become the frozen base, an erasure
    /// row keeps the pseudonym, and every row about them is deleted (the history trigger lets
    /// record_history go once the erasure row exists). Returns rows removed per table.
    pub async fn erase_participant(&mut self, e: &Erasure) -> Result<BTreeMap<String, u64>> {
        exec!(
            &mut self.tx,
            "UPDATE report_contributions SET erased = 1 WHERE participant_id = $1",
            e.participant_id
        )?;
        let id = Uuid::now_v7();
        exec!(
            &mut self.tx,
            "INSERT INTO erasures (id, org_id, run_id, pseudonym, participant_id, rule, erased_at,
                counts) VALUES ($1, $2, $3, $4, $5, $6, $7, '{}')",
            id,
            e.org_id,
            e.run_id,
            &e.pseudonym,
            e.participant_id,
            &e.rule,
            e.at
        )?;
        let mut counts = BTreeMap::new();
        for (table, delete) in ERASE {
            let n = exec!(&mut self.tx, *delete, e.participant_id)?;
            if n > 0 {
                counts.insert((*table).to_owned(), n);
            }
        }
        exec!(
            &mut self.tx,
            "UPDATE erasures SET counts = $2 WHERE id = $1",
            id,
            serde_json::to_string(&counts).unwrap_or_default()
        )?;
        Ok(counts)
    }
}

impl Store {
    /// After an erasure run, so that the erased bytes leave the files too (SQLite; freed pages
    /// are already zeroed by `secure_delete`): the name index merges away deleted tokens, and
    /// the write-ahead log is copied back and emptied. On PostgreSQL dead rows are not readable
    /// through SQL; `VACUUM` reclaims them (see README).
    pub async fn after_erasure(&self) -> Result<()> {
        if let crate::db::Pool::Sqlite(p) = &self.pool {
            sqlx::query("INSERT INTO participant_names(participant_names) VALUES ('optimize')")
                .execute(p)
                .await?;
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(p)
                .await?;
        }
        Ok(())
    }
}

#[cfg(feature = "testing")]
impl Store {
    /// Test support: every text and binary value of every table (views and the FTS index's own
    /// tables included on SQLite), as (table, column, bytes), to prove an erasure left nothing.
    pub async fn every_value(&self) -> Result<Vec<(String, String, Vec<u8>)>> {
        let mut out = Vec::new();
        match &self.pool {
            crate::db::Pool::Sqlite(p) => {
                let cols: Vec<(String, String)> = sqlx::query_as(
                    "SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c
                     WHERE m.type = 'table' ORDER BY 1, 2",
                )
                .fetch_all(p)
                .await?;
                for (table, column) in cols {
                    let sql = format!(
                        "SELECT CAST(\"{column}\" AS BLOB) FROM \"{table}\" WHERE \"{column}\" IS NOT NULL"
                    );
                    let rows: Vec<(Vec<u8>,)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                        .fetch_all(p)
                        .await?;
                    out.extend(
                        rows.into_iter()
                            .map(|(v,)| (table.clone(), column.clone(), v)),
                    );
                }
            }
            crate::db::Pool::Postgres(p) => {
                let tables: Vec<(String,)> = sqlx::query_as(
                    "SELECT table_name::text FROM information_schema.tables
                     WHERE table_schema = current_schema() ORDER BY 1",
                )
                .fetch_all(p)
                .await?;
                for (table,) in tables {
                    // The whole row as text: every column, whatever its type.
                    let sql = format!("SELECT t::text FROM \"{table}\" t");
                    let rows: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                        .fetch_all(p)
                        .await?;
                    out.extend(
                        rows.into_iter()
                            .map(|(v,)| (table.clone(), "*".to_owned(), v.into_bytes())),
                    );
                }
            }
        }
        Ok(out)
    }

    /// Test support: a participant's plain-text personal data as stored (given name, family
    /// name, search name, birth date as text).
    pub async fn participant_plaintext(
        &self,
        id: Uuid,
    ) -> Result<Option<(String, String, String, Option<String>)>> {
        let mut tx = self.begin_read().await?;
        let row = fetch_optional!(
            &mut tx,
            (String, String, String, Option<Date>),
            "SELECT given_name, family_name, search_name, birth_date FROM participants
             WHERE id = $1",
            id
        )?;
        tx.commit().await?;
        Ok(row.map(|(g, f, s, b)| (g, f, s, b.map(|b| b.to_string()))))
    }
}
