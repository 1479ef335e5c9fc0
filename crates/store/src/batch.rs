//! Bulk loading for the reporting benchmark: many rows per statement, on either backend.
//! Nothing else uses it; the application writes row by row through [`crate::Audited`].

use crate::Tx;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// One value of a bulk row.
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

impl Tx {
    /// Inserts `rows` into `table` (`columns` in order), in as few statements as the backend's
    /// parameter limit allows.
    pub async fn bulk_insert(
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
                Tx::Sqlite(t) => {
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
