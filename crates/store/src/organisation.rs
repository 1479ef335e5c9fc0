//! Organisations (not personal data).

use crate::{Result, Tx, exec, fetch_all, fetch_optional};
use time::OffsetDateTime;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OrganisationRow {
    pub id: Uuid,
    pub name: String,
    pub kind: String,
    pub municipality_code: Option<String>,
    pub created_at: OffsetDateTime,
}

impl Tx {
    pub async fn insert_organisation(&mut self, o: &OrganisationRow) -> Result<()> {
        exec!(
            self,
            "INSERT INTO organisations (id, name, kind, municipality_code, created_at)
             VALUES ($1, $2, $3, $4, $5)",
            o.id,
            &o.name,
            &o.kind,
            &o.municipality_code,
            o.created_at,
        )?;
        Ok(())
    }

    pub async fn organisation(&mut self, id: Uuid) -> Result<Option<OrganisationRow>> {
        Ok(fetch_optional!(
            self,
            OrganisationRow,
            "SELECT id, name, kind, municipality_code, created_at FROM organisations WHERE id = $1",
            id
        )?)
    }

    pub async fn organisation_by_name(&mut self, name: &str) -> Result<Option<OrganisationRow>> {
        Ok(fetch_optional!(
            self,
            OrganisationRow,
            "SELECT id, name, kind, municipality_code, created_at FROM organisations WHERE name = $1",
            name
        )?)
    }

    pub async fn organisations(&mut self) -> Result<Vec<OrganisationRow>> {
        Ok(fetch_all!(
            self,
            OrganisationRow,
            "SELECT id, name, kind, municipality_code, created_at FROM organisations ORDER BY name"
        )?)
    }
}
