//! Organisations: project owners, partner agencies, employers.

use crate::error::{FieldError, Text};
use crate::policy::{Action, Function};
use crate::{Actor, App, AppError, Result};
use serde::{Deserialize, Serialize};
use stegvis_domain::OrganisationKind;
use stegvis_store::organisation::OrganisationRow;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrganisationView {
    pub id: Uuid,
    pub name: String,
    /// `municipality_unit`, `region`, `ngo`, `state_agency`, `employer` or `social_enterprise`.
    #[schema(value_type = stegvis_domain::OrganisationKind)]
    pub kind: String,
    #[schema(value_type = Option<crate::openapi::MunicipalityCode>)]
    pub municipality_code: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct OrganisationInput {
    #[schema(schema_with = crate::openapi::name, required = true)]
    pub name: String,
    #[schema(value_type = stegvis_domain::OrganisationKind, required = true)]
    pub kind: String,
    #[schema(schema_with = crate::openapi::optional_municipality)]
    pub municipality_code: Option<String>,
}

fn view(o: OrganisationRow) -> OrganisationView {
    OrganisationView {
        id: o.id,
        name: o.name,
        kind: o.kind,
        municipality_code: o.municipality_code,
    }
}

impl App {
    pub async fn organisations(&self, _actor: &Actor) -> Result<Vec<OrganisationView>> {
        let mut tx = self.store.begin_read().await?;
        let rows = tx.organisations().await?;
        tx.commit().await?;
        Ok(rows.into_iter().map(view).collect())
    }

    pub async fn organisation(&self, _actor: &Actor, id: Uuid) -> Result<OrganisationView> {
        let mut tx = self.store.begin_read().await?;
        let row = tx.organisation(id).await?.ok_or(AppError::NotFound)?;
        tx.commit().await?;
        Ok(view(row))
    }

    /// Creates an organisation (administrators).
    pub async fn create_organisation(
        &self,
        actor: &Actor,
        input: &OrganisationInput,
    ) -> Result<OrganisationView> {
        self.check_function(actor, Function::Organisations, Action::Write)
            .await?;
        self.ensure_organisation(&input.name, &input.kind, input.municipality_code.as_deref())
            .await
    }

    /// Finds an organisation by name or creates it (demo, CLI).
    pub async fn ensure_organisation(
        &self,
        name: &str,
        kind: &str,
        municipality_code: Option<&str>,
    ) -> Result<OrganisationView> {
        let mut errors = Vec::new();
        let name = name.trim();
        if name.is_empty() {
            errors.push(FieldError::new(
                "name",
                Text::new(
                    "Skriv organisationens namn.",
                    "Enter the organisation's name.",
                ),
            ));
        }
        let kind = OrganisationKind::from_code(kind.trim()).map_err(|_| {
            errors.push(FieldError::new(
                "kind",
                Text::new(
                    "Välj typ av organisation.",
                    "Choose the kind of organisation.",
                ),
            ));
        });
        let municipality_code = municipality_code.map(str::trim).filter(|c| !c.is_empty());
        let mut tx = self.store.begin().await?;
        if let Some(code) = municipality_code
            && !tx.municipalities().await?.iter().any(|m| m.code == code)
        {
            errors.push(FieldError::new(
                "municipality_code",
                Text::new("Okänd kommunkod.", "Unknown municipality code."),
            ));
        }
        let Ok(kind) = kind else {
            return Err(AppError::Invalid(errors));
        };
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        if let Some(existing) = tx.organisation_by_name(name).await? {
            tx.commit().await?;
            return Ok(view(existing));
        }
        let row = OrganisationRow {
            id: Uuid::now_v7(),
            name: name.to_owned(),
            kind: kind.code().to_owned(),
            municipality_code: municipality_code.map(str::to_owned),
            created_at: self.now(),
        };
        tx.insert_organisation(&row).await?;
        tx.commit().await?;
        Ok(view(row))
    }

    pub(crate) async fn organisation_by_name(
        &self,
        name: &str,
    ) -> Result<Option<OrganisationView>> {
        let mut tx = self.store.begin_read().await?;
        let row = tx.organisation_by_name(name).await?;
        tx.commit().await?;
        Ok(row.map(view))
    }
}
