//! Workplaces and openings (employers' data, not personal), and placements with the supervisor's
//! weekly confirmations and feedback (personal data, reachable only through [`Audited`]).

use crate::{Audited, Result, Store, Tx, exec, fetch_all, fetch_optional};
use stegvis_domain::placement::{PlacementKind, PlacementStatus};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct WorkplaceRow {
    pub id: Uuid,
    pub employer_org_id: Uuid,
    pub name: String,
    pub address: Option<String>,
    pub municipality_code: Option<String>,
    pub accessibility: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub created_at: OffsetDateTime,
    pub created_by: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OpeningRow {
    pub id: Uuid,
    pub workplace_id: Uuid,
    pub title: String,
    pub kind: String,
    pub ssyk_code: Option<String>,
    pub hours_per_week: Option<i32>,
    pub requirements: Option<String>,
    pub adaptations: Option<String>,
    /// The Swedish the work needs: `basic`, `good` or `fluent`.
    pub min_swedish: Option<String>,
    /// Comma-separated adaptation codes the workplace can make.
    pub can_adapt: String,
    /// `open` or `closed`.
    pub status: String,
    /// `manual` or `jobtech`.
    pub source: String,
    pub external_id: Option<String>,
    pub created_at: OffsetDateTime,
    pub created_by: Option<Uuid>,
}

#[derive(Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct PlacementRow {
    pub org_id: Uuid,
    pub id: Uuid,
    pub participant_id: Uuid,
    pub workplace_id: Uuid,
    pub opening_id: Option<Uuid>,
    pub kind: PlacementKind,
    pub supervisor_id: Option<Uuid>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    pub hours_per_week: Option<i32>,
    pub goals: Option<String>,
    pub adaptations: Option<String>,
    pub status: PlacementStatus,
    pub offered_on: Date,
    pub version: i64,
    pub created_at: OffsetDateTime,
    pub created_by: Option<Uuid>,
    pub updated_at: OffsetDateTime,
}

impl std::fmt::Debug for PlacementRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlacementRow")
            .field("id", &self.id)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// A placement as a supervisor's list shows it: only what the placement needs.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SupervisedRow {
    pub id: Uuid,
    pub given_name: String,
    pub family_name: String,
    pub workplace_name: String,
    pub kind: PlacementKind,
    pub status: PlacementStatus,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    pub hours_per_week: Option<i32>,
    pub adaptations: Option<String>,
}

impl std::fmt::Debug for SupervisedRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SupervisedRow")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PlacementWeekRow {
    pub org_id: Uuid,
    pub id: Uuid,
    pub placement_id: Uuid,
    /// The Monday of the week.
    pub week_of: Date,
    pub minutes: i32,
    pub confirmed_by: Option<Uuid>,
    pub confirmed_at: OffsetDateTime,
}

#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FeedbackRow {
    pub org_id: Uuid,
    pub id: Uuid,
    pub placement_id: Uuid,
    pub text: String,
    pub written_by: Option<Uuid>,
    pub written_at: OffsetDateTime,
}

impl std::fmt::Debug for FeedbackRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FeedbackRow")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

const WORKPLACE: &str =
    "SELECT id, employer_org_id, name, address, municipality_code, accessibility,
        contact_name, contact_phone, contact_email, created_at, created_by
    FROM workplaces";
const OPENING: &str =
    "SELECT id, workplace_id, title, kind, ssyk_code, hours_per_week, requirements,
        adaptations, min_swedish, can_adapt, status, source, external_id, created_at, created_by
    FROM openings";
const PLACEMENT: &str = "SELECT org_id, id, participant_id, workplace_id, opening_id, kind,
        supervisor_id, starts_on, ends_on, hours_per_week, goals, adaptations, status, offered_on,
        version, created_at, created_by, updated_at
    FROM placements";

impl Tx {
    pub async fn insert_workplace(&mut self, w: &WorkplaceRow) -> Result<()> {
        exec!(
            self,
            "INSERT INTO workplaces (id, employer_org_id, name, address, municipality_code,
                accessibility, contact_name, contact_phone, contact_email, created_at, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            w.id,
            w.employer_org_id,
            &w.name,
            &w.address,
            &w.municipality_code,
            &w.accessibility,
            &w.contact_name,
            &w.contact_phone,
            &w.contact_email,
            w.created_at,
            w.created_by
        )?;
        Ok(())
    }

    pub async fn workplace(&mut self, id: Uuid) -> Result<Option<WorkplaceRow>> {
        let sql = sqlx::AssertSqlSafe(format!("{WORKPLACE} WHERE id = $1"));
        Ok(fetch_optional!(self, WorkplaceRow, sql, id)?)
    }

    pub async fn workplaces_of(&mut self, employer_org_id: Uuid) -> Result<Vec<WorkplaceRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{WORKPLACE} WHERE employer_org_id = $1 ORDER BY name, id"
        ));
        Ok(fetch_all!(self, WorkplaceRow, sql, employer_org_id)?)
    }

    pub async fn insert_opening(&mut self, o: &OpeningRow) -> Result<()> {
        exec!(
            self,
            "INSERT INTO openings (id, workplace_id, title, kind, ssyk_code, hours_per_week,
                requirements, adaptations, status, source, external_id, created_at, created_by,
                min_swedish, can_adapt)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
            o.id,
            o.workplace_id,
            &o.title,
            &o.kind,
            &o.ssyk_code,
            o.hours_per_week,
            &o.requirements,
            &o.adaptations,
            &o.status,
            &o.source,
            &o.external_id,
            o.created_at,
            o.created_by,
            &o.min_swedish,
            &o.can_adapt
        )?;
        Ok(())
    }

    /// Closes an opening (an ad removed at its source).
    pub async fn close_opening(&mut self, id: Uuid) -> Result<()> {
        exec!(
            self,
            "UPDATE openings SET status = 'closed' WHERE id = $1",
            id
        )?;
        Ok(())
    }

    /// An opening imported before, by its source and the source's id.
    pub async fn opening_by_external(
        &mut self,
        source: &str,
        external_id: &str,
    ) -> Result<Option<OpeningRow>> {
        let sql = sqlx::AssertSqlSafe(format!("{OPENING} WHERE source = $1 AND external_id = $2"));
        Ok(fetch_optional!(self, OpeningRow, sql, source, external_id)?)
    }

    pub async fn opening(&mut self, id: Uuid) -> Result<Option<OpeningRow>> {
        let sql = sqlx::AssertSqlSafe(format!("{OPENING} WHERE id = $1"));
        Ok(fetch_optional!(self, OpeningRow, sql, id)?)
    }

    pub async fn openings_of_employer(&mut self, employer_org_id: Uuid) -> Result<Vec<OpeningRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{OPENING} WHERE workplace_id IN (SELECT id FROM workplaces WHERE employer_org_id = $1)
             ORDER BY created_at DESC, id"
        ));
        Ok(fetch_all!(self, OpeningRow, sql, employer_org_id)?)
    }
}

/// An open opening with where it is, for choosing one on an offer.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OpenOpeningRow {
    pub id: Uuid,
    pub title: String,
    pub kind: String,
    pub workplace_id: Uuid,
    pub workplace_name: String,
    pub employer_id: Uuid,
    pub employer_name: String,
    pub ssyk_code: Option<String>,
    pub hours_per_week: Option<i32>,
    pub municipality_code: Option<String>,
    pub min_swedish: Option<String>,
    pub can_adapt: String,
}

/// A supervisor with their employer, for choosing one on an offer.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SupervisorRow {
    pub id: Uuid,
    pub name: String,
    pub employer_id: Uuid,
    pub employer_name: String,
}

impl Tx {
    /// Every open opening, by employer and title.
    pub async fn open_openings(&mut self, limit: i64) -> Result<Vec<OpenOpeningRow>> {
        Ok(fetch_all!(
            self,
            OpenOpeningRow,
            "SELECT o.id, o.title, o.kind, w.id AS workplace_id, w.name AS workplace_name,
                    g.id AS employer_id, g.name AS employer_name, o.ssyk_code, o.hours_per_week,
                    w.municipality_code, o.min_swedish, o.can_adapt
             FROM openings o
             JOIN workplaces w ON w.id = o.workplace_id
             JOIN organisations g ON g.id = w.employer_org_id
             WHERE o.status = 'open'
             ORDER BY g.name, o.title, o.id
             LIMIT $1",
            limit
        )?)
    }

    /// Every active supervisor, by employer and name.
    pub async fn supervisors(&mut self) -> Result<Vec<SupervisorRow>> {
        Ok(fetch_all!(
            self,
            SupervisorRow,
            "SELECT u.id, u.name, g.id AS employer_id, g.name AS employer_name
             FROM users u JOIN organisations g ON g.id = u.org_id
             WHERE u.role = 'supervisor' AND u.disabled_at IS NULL
             ORDER BY g.name, u.name, u.id"
        )?)
    }
}

impl Store {
    /// Controlling organisation, participant, supervisor and status of a placement, for the gate.
    pub async fn placement_owner(
        &self,
        id: Uuid,
    ) -> Result<Option<(Uuid, Uuid, Option<Uuid>, PlacementStatus)>> {
        let row = crate::db::pool_fetch_optional!(
            self,
            (Uuid, Uuid, Option<Uuid>, PlacementStatus),
            "SELECT org_id, participant_id, supervisor_id, status FROM placements WHERE id = $1",
            id
        )?;
        Ok(row)
    }
}

impl Audited {
    pub async fn insert_placement(&mut self, p: &PlacementRow) -> Result<()> {
        exec!(
            &mut self.tx,
            "INSERT INTO placements (org_id, id, participant_id, workplace_id, opening_id, kind,
                supervisor_id, starts_on, ends_on, hours_per_week, goals, adaptations, status,
                offered_on, version, created_at, created_by, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
            p.org_id,
            p.id,
            p.participant_id,
            p.workplace_id,
            p.opening_id,
            p.kind.code(),
            p.supervisor_id,
            p.starts_on,
            p.ends_on,
            p.hours_per_week,
            &p.goals,
            &p.adaptations,
            p.status.code(),
            p.offered_on,
            p.version,
            p.created_at,
            p.created_by,
            p.updated_at
        )?;
        Ok(())
    }

    pub async fn placement(&mut self, id: Uuid) -> Result<Option<PlacementRow>> {
        let sql = sqlx::AssertSqlSafe(format!("{PLACEMENT} WHERE id = $1"));
        Ok(fetch_optional!(&mut self.tx, PlacementRow, sql, id)?)
    }

    pub async fn placements_of(&mut self, participant_id: Uuid) -> Result<Vec<PlacementRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{PLACEMENT} WHERE participant_id = $1 ORDER BY offered_on DESC, created_at DESC, id"
        ));
        Ok(fetch_all!(&mut self.tx, PlacementRow, sql, participant_id)?)
    }

    /// Status, dates and supervisor of a placement read at `p.version`.
    pub async fn update_placement(&mut self, p: &PlacementRow) -> Result<()> {
        let n = exec!(
            &mut self.tx,
            "UPDATE placements SET status = $1, starts_on = $2, ends_on = $3, supervisor_id = $4,
                hours_per_week = $5, goals = $6, adaptations = $7, updated_at = $8,
                version = version + 1
             WHERE org_id = $9 AND id = $10 AND version = $11",
            p.status.code(),
            p.starts_on,
            p.ends_on,
            p.supervisor_id,
            p.hours_per_week,
            &p.goals,
            &p.adaptations,
            p.updated_at,
            p.org_id,
            p.id,
            p.version
        )?;
        if n == 0 {
            return Err(crate::StoreError::Stale);
        }
        Ok(())
    }

    /// The placements a supervisor supervises, with what the placement needs of the participant.
    pub async fn supervised_placements(
        &mut self,
        supervisor_id: Uuid,
    ) -> Result<Vec<SupervisedRow>> {
        Ok(fetch_all!(
            &mut self.tx,
            SupervisedRow,
            SUPERVISED,
            supervisor_id
        )?)
    }

    pub async fn insert_placement_week(&mut self, w: &PlacementWeekRow) -> Result<()> {
        exec!(
            &mut self.tx,
            "INSERT INTO placement_weeks (org_id, id, placement_id, week_of, minutes, confirmed_by, confirmed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            w.org_id,
            w.id,
            w.placement_id,
            w.week_of,
            w.minutes,
            w.confirmed_by,
            w.confirmed_at
        )?;
        Ok(())
    }

    pub async fn placement_weeks(&mut self, placement_id: Uuid) -> Result<Vec<PlacementWeekRow>> {
        Ok(fetch_all!(
            &mut self.tx,
            PlacementWeekRow,
            "SELECT org_id, id, placement_id, week_of, minutes, confirmed_by, confirmed_at
             FROM placement_weeks WHERE placement_id = $1 ORDER BY week_of",
            placement_id
        )?)
    }

    pub async fn insert_feedback(&mut self, f: &FeedbackRow) -> Result<()> {
        exec!(
            &mut self.tx,
            "INSERT INTO placement_feedback (org_id, id, placement_id, text, written_by, written_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
            f.org_id,
            f.id,
            f.placement_id,
            &f.text,
            f.written_by,
            f.written_at
        )?;
        Ok(())
    }

    pub async fn placement_feedback(&mut self, placement_id: Uuid) -> Result<Vec<FeedbackRow>> {
        Ok(fetch_all!(
            &mut self.tx,
            FeedbackRow,
            "SELECT org_id, id, placement_id, text, written_by, written_at
             FROM placement_feedback WHERE placement_id = $1 ORDER BY written_at, id",
            placement_id
        )?)
    }

    /// A workplace, read inside a case transaction (its name on a placement).
    pub async fn placement_workplace(&mut self, id: Uuid) -> Result<Option<WorkplaceRow>> {
        self.tx.workplace(id).await
    }
}

/// A supervisor's placements once accepted (`$1`), walking `placements_supervised`.
pub(crate) const SUPERVISED: &str =
    "SELECT pl.id, p.given_name, p.family_name, w.name AS workplace_name, pl.kind, pl.status,
                    pl.starts_on, pl.ends_on, pl.hours_per_week, pl.adaptations
             FROM placements pl
             JOIN participants p ON p.org_id = pl.org_id AND p.id = pl.participant_id
             JOIN workplaces w ON w.id = pl.workplace_id
             WHERE pl.supervisor_id = $1 AND pl.status IN ('accepted', 'started', 'ended')
             ORDER BY CASE pl.status WHEN 'started' THEN 0 WHEN 'accepted' THEN 1 ELSE 2 END,
                      COALESCE(pl.starts_on, pl.offered_on) DESC, pl.id
             LIMIT 500";
