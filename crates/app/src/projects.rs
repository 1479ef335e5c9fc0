//! Projects: facts, partners and municipalities. Project facts are not personal data.

use crate::{Actor, App, AppError, Result};
use serde::Serialize;
use stegvis_domain::{ProjectFacts, Sek};
use stegvis_store::project::ProjectRow;
use utoipa::ToSchema;
use uuid::Uuid;

/// A project with everything the funder's project bank lists.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProjectView {
    pub id: Uuid,
    pub owner_org_id: Uuid,
    pub owner_name: String,
    #[serde(flatten)]
    pub facts: ProjectFacts,
    pub partners: Vec<String>,
    pub cofinanciers: Vec<String>,
    pub municipalities: Vec<String>,
    /// Enrolments so far (all, and not yet exited).
    pub enrolled: i64,
    pub active: i64,
}

/// A project's id and name, for choosing one.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProjectRef {
    pub id: Uuid,
    pub name: String,
}

pub(crate) fn facts_of(r: &ProjectRow) -> ProjectFacts {
    ProjectFacts {
        number: r.number.clone(),
        name: r.name.clone(),
        region: r.region.clone(),
        programme_area: r.programme_area.clone(),
        specific_objective: r.specific_objective.clone(),
        intervention_type: r.intervention_type.clone(),
        union_cofinancing_rate_pct: r.union_cofinancing_rate_pct.map(|v| v as u8),
        period_start: r.period_start,
        period_end: r.period_end,
        total_budget: Sek(r.total_budget),
        esf_support: Sek(r.esf_support),
        planned_participants: r.planned_participants.map(|v| v as u32),
        contact_name: r.contact_name.clone(),
        contact_email: r.contact_email.clone(),
        contact_phone: r.contact_phone.clone(),
        postcode: r.postcode.clone(),
        summary: r.summary.clone(),
    }
}

impl App {
    /// Projects the actor's organisation runs: the ones it may enrol its participants in.
    pub async fn enrollable_projects(&self, actor: &Actor) -> Result<Vec<ProjectRef>> {
        let mut tx = self.store.begin_read().await?;
        let rows = tx.projects().await?;
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .filter(|p| p.owner_org_id == actor.org_id)
            .map(|p| ProjectRef {
                id: p.id,
                name: p.name,
            })
            .collect())
    }

    async fn project_view(
        &self,
        tx: &mut stegvis_store::Tx,
        row: ProjectRow,
    ) -> Result<ProjectView> {
        let owner = tx
            .organisation(row.owner_org_id)
            .await?
            .map(|o| o.name)
            .unwrap_or_default();
        let orgs = tx.project_organisations(row.id).await?;
        let names = |rel: &str| {
            orgs.iter()
                .filter(|o| o.relation == rel)
                .map(|o| o.name.clone())
                .collect()
        };
        let municipalities = tx
            .project_municipalities(row.id)
            .await?
            .into_iter()
            .map(|m| m.name)
            .collect();
        let counts = tx.project_counts(row.id).await?;
        Ok(ProjectView {
            id: row.id,
            owner_org_id: row.owner_org_id,
            owner_name: owner,
            partners: names("partner"),
            cofinanciers: names("cofinancier"),
            municipalities,
            enrolled: counts.enrolled,
            active: counts.active,
            facts: facts_of(&row),
        })
    }

    /// All projects (project facts are public in the funder's project bank).
    pub async fn projects(&self, _actor: &Actor) -> Result<Vec<ProjectView>> {
        let mut tx = self.store.begin_read().await?;
        let rows = tx.projects().await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(self.project_view(&mut tx, row).await?);
        }
        tx.commit().await?;
        Ok(out)
    }

    pub async fn project(&self, _actor: &Actor, id: Uuid) -> Result<ProjectView> {
        let mut tx = self.store.begin_read().await?;
        let row = tx.project(id).await?.ok_or(AppError::NotFound)?;
        let view = self.project_view(&mut tx, row).await?;
        tx.commit().await?;
        Ok(view)
    }
}
