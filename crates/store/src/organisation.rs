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

/// An organisation as its administrators keep it: with its roll-up parent, who administers it,
/// and the version a correction was made from.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OrganisationAdminRow {
    pub id: Uuid,
    pub name: String,
    pub kind: String,
    pub municipality_code: Option<String>,
    pub parent_org_id: Option<Uuid>,
    /// The organisation whose administrators keep this one (itself when none).
    pub admin_org_id: Uuid,
    pub version: i64,
}

impl Tx {
    /// Every organisation with its administrative facts, by name.
    pub async fn organisations_admin(&mut self) -> Result<Vec<OrganisationAdminRow>> {
        Ok(fetch_all!(
            self,
            OrganisationAdminRow,
            "SELECT id, name, kind, municipality_code, parent_org_id,
                    COALESCE(managed_by, id) AS admin_org_id, version
             FROM organisations ORDER BY name"
        )?)
    }

    pub async fn organisation_admin(&mut self, id: Uuid) -> Result<Option<OrganisationAdminRow>> {
        Ok(fetch_optional!(
            self,
            OrganisationAdminRow,
            "SELECT id, name, kind, municipality_code, parent_org_id,
                    COALESCE(managed_by, id) AS admin_org_id, version
             FROM organisations WHERE id = $1",
            id
        )?)
    }

    /// Corrects an organisation's facts made from `version`; `Stale` if it changed meanwhile.
    pub async fn update_organisation(
        &mut self,
        o: &OrganisationAdminRow,
        version: i64,
    ) -> Result<()> {
        let n = exec!(
            self,
            "UPDATE organisations SET name = $1, kind = $2, municipality_code = $3,
                 parent_org_id = $4, version = version + 1
             WHERE id = $5 AND version = $6",
            &o.name,
            &o.kind,
            &o.municipality_code,
            o.parent_org_id,
            o.id,
            version
        )?;
        if n == 1 {
            Ok(())
        } else {
            Err(crate::StoreError::Stale)
        }
    }

    /// Records who administers a new organisation and its roll-up parent.
    pub async fn set_organisation_keeping(
        &mut self,
        id: Uuid,
        managed_by: Option<Uuid>,
        parent_org_id: Option<Uuid>,
    ) -> Result<()> {
        exec!(
            self,
            "UPDATE organisations SET managed_by = $1, parent_org_id = $2 WHERE id = $3",
            managed_by,
            parent_org_id,
            id
        )?;
        Ok(())
    }

    /// Every partner link: (organisation, partner).
    pub async fn partner_links(&mut self) -> Result<Vec<(Uuid, Uuid)>> {
        Ok(fetch_all!(
            self,
            (Uuid, Uuid),
            "SELECT org_id, partner_org_id FROM organisation_partners ORDER BY org_id"
        )?)
    }

    /// Replaces an organisation's partners.
    pub async fn set_partners(
        &mut self,
        org_id: Uuid,
        partners: &[Uuid],
        at: OffsetDateTime,
    ) -> Result<()> {
        exec!(
            self,
            "DELETE FROM organisation_partners WHERE org_id = $1",
            org_id
        )?;
        for p in partners {
            exec!(
                self,
                "INSERT INTO organisation_partners (org_id, partner_org_id, created_at)
                 VALUES ($1, $2, $3)",
                org_id,
                p,
                at
            )?;
        }
        Ok(())
    }
}
