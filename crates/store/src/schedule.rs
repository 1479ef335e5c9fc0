//! Activity schedules: catalogue data, not personal data.

use crate::{Result, Tx, exec, fetch_all};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ScheduleRow {
    pub id: Uuid,
    pub activity_id: Uuid,
    /// ISO weekday, 1 = Monday.
    pub weekday: i32,
    /// `HH:MM`.
    pub starts_at: String,
    pub minutes: i32,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    pub place: Option<String>,
    pub created_at: OffsetDateTime,
}

const SELECT: &str = "SELECT s.id, s.activity_id, s.weekday, s.starts_at, s.minutes, s.valid_from,
        s.valid_to, s.place, s.created_at
    FROM activity_schedules s";

impl Tx {
    pub async fn insert_schedule(&mut self, s: &ScheduleRow) -> Result<()> {
        exec!(
            self,
            "INSERT INTO activity_schedules (id, activity_id, weekday, starts_at, minutes,
                valid_from, valid_to, place, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            s.id,
            s.activity_id,
            s.weekday,
            &s.starts_at,
            s.minutes,
            s.valid_from,
            s.valid_to,
            &s.place,
            s.created_at
        )?;
        Ok(())
    }

    /// The schedules of every activity of a project, by weekday and start.
    pub async fn schedules_of_project(&mut self, project_id: Uuid) -> Result<Vec<ScheduleRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{SELECT} JOIN activities a ON a.id = s.activity_id
             WHERE a.project_id = $1 ORDER BY s.weekday, s.starts_at, s.id"
        ));
        Ok(fetch_all!(self, ScheduleRow, sql, project_id)?)
    }

    pub async fn schedules_of_activity(&mut self, activity_id: Uuid) -> Result<Vec<ScheduleRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE s.activity_id = $1 ORDER BY s.weekday, s.starts_at, s.id"
        ));
        Ok(fetch_all!(self, ScheduleRow, sql, activity_id)?)
    }
}
