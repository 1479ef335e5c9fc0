//! Many rows per INSERT statement, on either backend. The report tallies' rebuild writes every
//! enrolment's contribution this way; an operator's batch load (`stegvis bench report`, later
//! imports) writes personal-data rows this way through [`Audited::insert_batch`], so only inside
//! a transaction that already holds its audit event. Everything else writes row by row.

use crate::{Audited, Tx};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// One value of a batch row.
#[derive(Debug, Clone)]
pub enum Value {
    Uuid(Uuid),
    Text(String),
    Date(Date),
    Time(OffsetDateTime),
    /// An INTEGER column (32 bits on PostgreSQL).
    Int(i64),
    NullText,
    NullDate,
    NullInt,
}

/// The personal-data tables a batch load may write: a participant with their enrolment,
/// placements, follow-ups and attendance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchTable {
    Participants,
    Enrolments,
    Placements,
    FollowUps,
    Attendance,
}

impl BatchTable {
    fn name(self) -> &'static str {
        match self {
            BatchTable::Participants => "participants",
            BatchTable::Enrolments => "enrolments",
            BatchTable::Placements => "placements",
            BatchTable::FollowUps => "follow_ups",
            BatchTable::Attendance => "attendance",
        }
    }
}

/// Most bound values in one statement (SQLite allows 32,766), and most rows: a statement of a
/// fixed shape is prepared once and reused, where a huge one costs more to parse than to run.
const MAX_PARAMS: usize = 30_000;
const MAX_ROWS: usize = 200;

macro_rules! bind_all {
    ($q:expr, $rows:expr) => {{
        let mut q = $q;
        for row in $rows {
            for v in row {
                q = match v {
                    Value::Uuid(u) => q.bind(*u),
                    Value::Text(s) => q.bind(s.as_str()),
                    Value::Date(d) => q.bind(*d),
                    Value::Time(t) => q.bind(*t),
                    Value::Int(i) => q.bind(*i as i32),
                    Value::NullText => q.bind(None::<String>),
                    Value::NullDate => q.bind(None::<Date>),
                    Value::NullInt => q.bind(None::<i32>),
                };
            }
        }
        q
    }};
}

impl Audited {
    /// Inserts `rows` into `table` (`columns` in order) in as few statements as the backend's
    /// parameter limit allows. The transaction's audit event covers them; a system job's event
    /// names no participant, so the report tallies are not refreshed here: rebuild them after.
    pub async fn insert_batch(
        &mut self,
        table: BatchTable,
        columns: &[&'static str],
        rows: &[Vec<Value>],
    ) -> crate::Result<()> {
        self.tx.insert_rows(table.name(), columns, rows).await
    }
}

impl Tx {
    /// Inserts `rows` into `table` (`columns` in order), in as few statements as the backend's
    /// parameter limit allows. Table and column names are the caller's constants.
    pub(crate) async fn insert_rows(
        &mut self,
        table: &str,
        columns: &[&str],
        rows: &[Vec<Value>],
    ) -> crate::Result<()> {
        let per_statement = (MAX_PARAMS / columns.len()).clamp(1, MAX_ROWS);
        for chunk in rows.chunks(per_statement) {
            let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
            let mut n = 0;
            for (r, _) in chunk.iter().enumerate() {
                if r > 0 {
                    sql.push(',');
                }
                sql.push('(');
                for c in 0..columns.len() {
                    if c > 0 {
                        sql.push(',');
                    }
                    n += 1;
                    sql.push_str(&format!("${n}"));
                }
                sql.push(')');
            }
            let sql = sqlx::AssertSqlSafe(sql);
            match self {
                Tx::Sqlite(t, _) => {
                    bind_all!(sqlx::query(sql), chunk).execute(&mut **t).await?;
                }
                Tx::Postgres(t) => {
                    bind_all!(sqlx::query(sql), chunk).execute(&mut **t).await?;
                }
            }
        }
        Ok(())
    }
}
