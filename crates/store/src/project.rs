//! Projects with their facts, partner organisations and municipalities (not personal data).

use crate::{Result, Tx, exec, fetch_all, fetch_optional};
use stegvis_domain::ProjectPhase;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ProjectRow {
    pub id: Uuid,
    pub number: Option<String>,
    pub name: String,
    pub owner_org_id: Uuid,
    pub region: String,
    pub programme_area: Option<String>,
    pub specific_objective: Option<String>,
    pub intervention_type: Option<String>,
    pub union_cofinancing_rate_pct: Option<i32>,
    pub period_start: Date,
    pub period_end: Date,
    pub total_budget: i64,
    pub esf_support: i64,
    pub planned_participants: Option<i32>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub postcode: Option<String>,
    pub summary: String,
    pub created_at: OffsetDateTime,
    pub phase: ProjectPhase,
    /// The target group's rules (JSON of `stegvis_domain::eligibility::Eligibility`); none takes
    /// everyone.
    pub eligibility: Option<String>,
    /// Raised by every edit.
    pub version: i64,
}

impl ProjectRow {
    /// The target group's rules as stored (none: everyone).
    pub fn eligibility(&self) -> Result<stegvis_domain::eligibility::Eligibility> {
        match &self.eligibility {
            None => Ok(Default::default()),
            Some(json) => serde_json::from_str(json)
                .map_err(|_| crate::StoreError::Corrupt("projects.eligibility".into())),
        }
    }
}

/// One earlier version of a project or of one of its goals.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ProjectHistoryRow {
    pub record_id: Uuid,
    pub changed_at: OffsetDateTime,
    pub changed_by: Option<Uuid>,
    pub changed_by_name: Option<String>,
    /// The record as it was, as JSON.
    pub previous: String,
}

/// A project's link to another organisation: `partner` or `cofinancier`.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ProjectOrganisation {
    pub org_id: Uuid,
    pub name: String,
    pub kind: String,
    pub relation: String,
}

/// Project counts that need no personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct ProjectCounts {
    pub enrolled: i64,
    pub active: i64,
}

const SELECT: &str =
    "SELECT id, number, name, owner_org_id, region, programme_area, specific_objective,
        intervention_type, union_cofinancing_rate_pct, period_start, period_end, total_budget,
        esf_support, planned_participants, contact_name, contact_email, contact_phone, postcode,
        summary, created_at, phase, eligibility, version
    FROM projects";

impl Tx {
    pub async fn insert_project(&mut self, p: &ProjectRow) -> Result<()> {
        exec!(
            self,
            "INSERT INTO projects (id, number, name, owner_org_id, region, programme_area,
                specific_objective, intervention_type, union_cofinancing_rate_pct, period_start,
                period_end, total_budget, esf_support, planned_participants, contact_name,
                contact_email, contact_phone, postcode, summary, created_at, phase, eligibility, version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
                $19, $20, $21, $22, $23)",
            p.id,
            &p.number,
            &p.name,
            p.owner_org_id,
            &p.region,
            &p.programme_area,
            &p.specific_objective,
            &p.intervention_type,
            p.union_cofinancing_rate_pct,
            p.period_start,
            p.period_end,
            p.total_budget,
            p.esf_support,
            p.planned_participants,
            &p.contact_name,
            &p.contact_email,
            &p.contact_phone,
            &p.postcode,
            &p.summary,
            p.created_at,
            p.phase.code(),
            &p.eligibility,
            p.version,
        )?;
        Ok(())
    }

    /// Writes an edited project if it is still at `version` (its version is raised by one);
    /// false when someone changed it meanwhile.
    pub async fn update_project(&mut self, p: &ProjectRow, version: i64) -> Result<bool> {
        let n = exec!(
            self,
            "UPDATE projects SET number = $3, name = $4, region = $5, programme_area = $6,
                specific_objective = $7, intervention_type = $8, union_cofinancing_rate_pct = $9,
                period_start = $10, period_end = $11, total_budget = $12, esf_support = $13,
                planned_participants = $14, contact_name = $15, contact_email = $16,
                contact_phone = $17, postcode = $18, summary = $19, phase = $20,
                eligibility = $21, version = version + 1
             WHERE id = $1 AND version = $2",
            p.id,
            version,
            &p.number,
            &p.name,
            &p.region,
            &p.programme_area,
            &p.specific_objective,
            &p.intervention_type,
            p.union_cofinancing_rate_pct,
            p.period_start,
            p.period_end,
            p.total_budget,
            p.esf_support,
            p.planned_participants,
            &p.contact_name,
            &p.contact_email,
            &p.contact_phone,
            &p.postcode,
            &p.summary,
            p.phase.code(),
            &p.eligibility,
        )?;
        Ok(n == 1)
    }

    /// Holds the project still while its goals or rules change, so that no write about a
    /// participant computes the project's report tallies from rules about to be replaced
    /// (PostgreSQL; SQLite's single writer already does).
    pub async fn lock_project(&mut self, id: Uuid) -> Result<()> {
        if let Tx::Postgres(t) = self {
            sqlx::query("SELECT id FROM projects WHERE id = $1 FOR UPDATE")
                .bind(id)
                .execute(&mut **t)
                .await?;
        }
        Ok(())
    }

    /// A project by the funder's number.
    pub async fn project_by_number(&mut self, number: &str) -> Result<Option<ProjectRow>> {
        let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE number = $1"));
        Ok(fetch_optional!(self, ProjectRow, sql, number)?)
    }

    /// Replaces the project's links of one relation (`partner` or `cofinancier`).
    pub async fn set_project_organisations(
        &mut self,
        project_id: Uuid,
        relation: &str,
        org_ids: &[Uuid],
    ) -> Result<()> {
        exec!(
            self,
            "DELETE FROM project_organisations WHERE project_id = $1 AND relation = $2",
            project_id,
            relation
        )?;
        for org_id in org_ids {
            self.link_project_organisation(project_id, *org_id, relation)
                .await?;
        }
        Ok(())
    }

    /// Replaces the municipalities the project works in.
    pub async fn set_project_municipalities(
        &mut self,
        project_id: Uuid,
        codes: &[String],
    ) -> Result<()> {
        exec!(
            self,
            "DELETE FROM project_municipalities WHERE project_id = $1",
            project_id
        )?;
        for code in codes {
            self.link_project_municipality(project_id, code).await?;
        }
        Ok(())
    }

    /// Keeps an earlier version of a project (`record_kind` `project`) or of one of its goals
    /// (`goal`).
    pub async fn insert_project_history(
        &mut self,
        project_id: Uuid,
        record_kind: &str,
        record_id: Uuid,
        changed_by: Option<Uuid>,
        changed_at: OffsetDateTime,
        previous: &str,
    ) -> Result<()> {
        exec!(
            self,
            "INSERT INTO project_history (id, project_id, record_kind, record_id, changed_at,
                changed_by, previous)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            Uuid::now_v7(),
            project_id,
            record_kind,
            record_id,
            changed_at,
            changed_by,
            previous
        )?;
        Ok(())
    }

    /// The earlier versions of a project or goal, newest first.
    pub async fn project_history(&mut self, record_id: Uuid) -> Result<Vec<ProjectHistoryRow>> {
        Ok(fetch_all!(
            self,
            ProjectHistoryRow,
            "SELECT h.record_id, h.changed_at, h.changed_by, u.name AS changed_by_name, h.previous
             FROM project_history h LEFT JOIN users u ON u.id = h.changed_by
             WHERE h.record_id = $1
             ORDER BY h.changed_at DESC, h.id DESC",
            record_id
        )?)
    }

    pub async fn project(&mut self, id: Uuid) -> Result<Option<ProjectRow>> {
        let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE id = $1"));
        Ok(fetch_optional!(self, ProjectRow, sql, id)?)
    }

    pub async fn project_by_name(&mut self, name: &str) -> Result<Option<ProjectRow>> {
        let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE name = $1"));
        Ok(fetch_optional!(self, ProjectRow, sql, name)?)
    }

    pub async fn projects(&mut self) -> Result<Vec<ProjectRow>> {
        let sql = sqlx::AssertSqlSafe(format!("{SELECT} ORDER BY period_start DESC, number"));
        Ok(fetch_all!(self, ProjectRow, sql)?)
    }

    pub async fn link_project_organisation(
        &mut self,
        project_id: Uuid,
        org_id: Uuid,
        relation: &str,
    ) -> Result<()> {
        exec!(
            self,
            "INSERT INTO project_organisations (project_id, org_id, relation) VALUES ($1, $2, $3)
             ON CONFLICT (project_id, org_id, relation) DO NOTHING",
            project_id,
            org_id,
            relation
        )?;
        Ok(())
    }

    pub async fn project_organisations(
        &mut self,
        project_id: Uuid,
    ) -> Result<Vec<ProjectOrganisation>> {
        Ok(fetch_all!(
            self,
            ProjectOrganisation,
            "SELECT o.id AS org_id, o.name, o.kind, po.relation
             FROM project_organisations po JOIN organisations o ON o.id = po.org_id
             WHERE po.project_id = $1 ORDER BY po.relation, o.name",
            project_id
        )?)
    }

    pub async fn link_project_municipality(&mut self, project_id: Uuid, code: &str) -> Result<()> {
        exec!(
            self,
            "INSERT INTO project_municipalities (project_id, municipality_code) VALUES ($1, $2)
             ON CONFLICT (project_id, municipality_code) DO NOTHING",
            project_id,
            code
        )?;
        Ok(())
    }

    pub async fn project_municipalities(
        &mut self,
        project_id: Uuid,
    ) -> Result<Vec<crate::reference::Municipality>> {
        Ok(fetch_all!(
            self,
            crate::reference::Municipality,
            "SELECT m.code, m.name, m.county_code
             FROM project_municipalities pm JOIN municipalities m ON m.code = pm.municipality_code
             WHERE pm.project_id = $1 ORDER BY m.name",
            project_id
        )?)
    }

    /// The value of a participant hour the project reports as co-financing (öre), if set.
    pub async fn participant_hour_value(&mut self, project_id: Uuid) -> Result<Option<i64>> {
        Ok(fetch_optional!(
            self,
            (Option<i64>,),
            "SELECT participant_hour_value_ore FROM projects WHERE id = $1",
            project_id
        )?
        .and_then(|(v,)| v))
    }

    pub async fn set_participant_hour_value(
        &mut self,
        project_id: Uuid,
        ore: Option<i64>,
    ) -> Result<()> {
        crate::exec!(
            self,
            "UPDATE projects SET participant_hour_value_ore = $2 WHERE id = $1",
            project_id,
            ore
        )?;
        Ok(())
    }

    /// Enrolment counts of a project (every organisation's): aggregate numbers, no personal
    /// data. Read from the running tallies (`enrolled` and `exited`), so the cost does not grow
    /// with the project; [`Tx::project_counts_counted`] counts the same from the rows.
    pub async fn project_counts(&mut self, project_id: Uuid) -> Result<ProjectCounts> {
        let counts = crate::fetch_optional!(
            self,
            ProjectCounts,
            "SELECT CAST(COALESCE(SUM(CASE WHEN key = 'enrolled' THEN n ELSE 0 END), 0) AS BIGINT)
                        AS enrolled,
                    CAST(COALESCE(SUM(CASE WHEN key = 'enrolled' THEN n ELSE -n END), 0) AS BIGINT)
                        AS active
             FROM report_tallies WHERE project_id = $1 AND key IN ('enrolled', 'exited')",
            project_id
        )?
        .unwrap_or(ProjectCounts {
            enrolled: 0,
            active: 0,
        });
        #[cfg(debug_assertions)]
        {
            let counted = self.project_counts_counted(project_id).await?;
            if counted != counts {
                return Err(crate::StoreError::Corrupt(format!(
                    "the tallies of project {project_id} count {counts:?}, its enrolments {counted:?}"
                )));
            }
        }
        Ok(counts)
    }

    /// [`Tx::project_counts`] counted from the enrolments (the whole project): the debug
    /// build's cross-check of the tallies.
    pub async fn project_counts_counted(&mut self, project_id: Uuid) -> Result<ProjectCounts> {
        let rows = crate::fetch_optional!(
            self,
            ProjectCounts,
            "SELECT COUNT(*) AS enrolled,
                    COALESCE(SUM(CASE WHEN exited_on IS NULL THEN 1 ELSE 0 END), 0) AS active
             FROM enrolments WHERE project_id = $1",
            project_id
        )?
        .unwrap_or(ProjectCounts {
            enrolled: 0,
            active: 0,
        });
        // Enrolments erased under a retention rule count as their frozen contributions do.
        let (enrolled, exited) = self.erased_enrolment_counts(project_id).await?;
        Ok(ProjectCounts {
            enrolled: rows.enrolled + enrolled,
            active: rows.active + enrolled - exited,
        })
    }
}

impl crate::Audited {
    /// A project's name inside an audited transaction, so a use case never needs a second
    /// connection while it holds one (that would starve the pool and, on SQLite, the write lock).
    pub async fn project_name(&mut self, id: Uuid) -> Result<Option<String>> {
        let row = fetch_optional!(
            &mut self.tx,
            (String,),
            "SELECT name FROM projects WHERE id = $1",
            id
        )?;
        Ok(row.map(|(n,)| n))
    }
}
