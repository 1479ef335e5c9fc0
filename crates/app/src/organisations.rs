//! Organisations: project owners, partner agencies, employers. Administrators register new ones
//! (which their organisation then administers) and keep the facts of those they administer:
//! name, kind, municipality, the parent a regional roll-up counts them under, and the partner
//! organisations they work with. Every change is audited with it.

use crate::accounts::duplicate_organisation;
use crate::error::{FieldError, Text};
use crate::gate::reject;
use crate::policy::{Action, Function, Request};
use crate::{Actor, App, AppError, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use stegvis_domain::OrganisationKind;
use stegvis_store::Tx;
use stegvis_store::organisation::{OrganisationAdminRow, OrganisationRow};
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
    /// The organisation a regional roll-up counts this one under.
    pub parent_org_id: Option<Uuid>,
    /// The organisations it works with.
    pub partner_org_ids: Vec<Uuid>,
    /// The organisation whose administrators keep this one (itself, unless another registered
    /// it).
    pub administered_by: Uuid,
    /// Send it back with a correction, to get 409 instead of overwriting a newer one.
    pub version: i64,
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
    /// The organisation a regional roll-up counts it under.
    #[schema(schema_with = crate::openapi::optional_uuid)]
    pub parent_org_id: Option<String>,
}

/// A correction of an organisation's facts; absent fields stay as they are, `""` clears the
/// municipality and the parent.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct OrganisationUpdate {
    /// The version that was read: a change made meanwhile gives 409.
    #[schema(required = true)]
    pub version: Option<i64>,
    #[schema(schema_with = crate::openapi::text_or_null::<200>)]
    pub name: Option<String>,
    #[schema(value_type = Option<stegvis_domain::OrganisationKind>)]
    pub kind: Option<String>,
    #[schema(schema_with = crate::openapi::optional_municipality)]
    pub municipality_code: Option<String>,
    #[schema(schema_with = crate::openapi::optional_uuid)]
    pub parent_org_id: Option<String>,
    /// Every partner organisation (replaces the list): ids of other organisations.
    #[schema(value_type = Option<Vec<Uuid>>)]
    pub partner_org_ids: Option<Vec<String>>,
}

fn view(o: OrganisationAdminRow, partners: Vec<Uuid>) -> OrganisationView {
    OrganisationView {
        id: o.id,
        name: o.name,
        kind: o.kind,
        municipality_code: o.municipality_code,
        parent_org_id: o.parent_org_id,
        partner_org_ids: partners,
        administered_by: o.admin_org_id,
        version: o.version,
    }
}

/// Every organisation's view, by name.
async fn all_views(tx: &mut Tx) -> Result<Vec<OrganisationView>> {
    let rows = tx.organisations_admin().await?;
    let mut partners: BTreeMap<Uuid, Vec<Uuid>> = BTreeMap::new();
    for (org, partner) in tx.partner_links().await? {
        partners.entry(org).or_default().push(partner);
    }
    Ok(rows
        .into_iter()
        .map(|o| {
            let p = partners.remove(&o.id).unwrap_or_default();
            view(o, p)
        })
        .collect())
}

/// One organisation's view.
async fn one_view(tx: &mut Tx, id: Uuid) -> Result<Option<OrganisationView>> {
    let Some(row) = tx.organisation_admin(id).await? else {
        return Ok(None);
    };
    let partners = tx
        .partner_links()
        .await?
        .into_iter()
        .filter(|(o, _)| *o == id)
        .map(|(_, p)| p)
        .collect();
    Ok(Some(view(row, partners)))
}

impl App {
    /// Every organisation (no personal data: any logged-in user).
    pub async fn organisations(&self, _actor: &Actor) -> Result<Vec<OrganisationView>> {
        let mut tx = self.store.begin_read().await?;
        let views = all_views(&mut tx).await?;
        tx.commit().await?;
        Ok(views)
    }

    pub async fn organisation(&self, _actor: &Actor, id: Uuid) -> Result<OrganisationView> {
        self.organisation_view(id).await
    }

    pub(crate) async fn organisation_view(&self, id: Uuid) -> Result<OrganisationView> {
        let mut tx = self.store.begin_read().await?;
        let view = one_view(&mut tx, id).await?;
        tx.commit().await?;
        view.ok_or(AppError::NotFound)
    }

    /// Whether the actor administers the organisation: for pages deciding what to offer.
    pub fn administers(&self, actor: &Actor, org: &OrganisationView) -> bool {
        crate::policy::allows(&Request::Function {
            actor,
            function: Function::Organisations,
            action: Action::Write,
            owner: Some(org.administered_by),
        })
    }

    /// Registers an organisation (administrators); the administrator's organisation then
    /// administers it, and may invite its people. A name already taken is an error at `name`.
    pub async fn create_organisation(
        &self,
        actor: &Actor,
        input: &OrganisationInput,
    ) -> Result<OrganisationView> {
        let req = Request::Function {
            actor,
            function: Function::Organisations,
            action: Action::Write,
            owner: None,
        };
        let event = self
            .permit_or_refuse(
                &req,
                format!("organisation registered: {}", input.name.trim()),
            )
            .await?;
        let mut errors = Vec::new();
        let name = crate::accounts::name_of(
            &input.name,
            "name",
            Text::new(
                "Skriv organisationens namn.",
                "Enter the organisation's name.",
            ),
            &mut errors,
        );
        let kind = kind_of(&input.kind, &mut errors);
        let municipality = self
            .municipality_of(input.municipality_code.as_deref(), &mut errors)
            .await?;
        let parent = optional_id(input.parent_org_id.as_deref(), "parent_org_id", &mut errors);
        let (Some(kind), true) = (kind, errors.is_empty()) else {
            return self
                .refuse_permitted(event, AppError::Invalid(errors))
                .await;
        };
        let mut tx = self.open_permitted(&event, &[]).await?;
        let db = tx.plain();
        let id = Uuid::now_v7();
        let result = async {
            if db.organisation_by_name(&name).await?.is_some() {
                return Err(duplicate_organisation("name"));
            }
            if let Some(p) = parent
                && db.organisation(p).await?.is_none()
            {
                return Err(unknown_org("parent_org_id"));
            }
            db.insert_organisation(&OrganisationRow {
                id,
                name: name.clone(),
                kind: kind.code().to_owned(),
                municipality_code: municipality.clone(),
                created_at: self.now(),
            })
            .await?;
            db.set_organisation_keeping(id, Some(actor.org_id), parent)
                .await?;
            Ok(())
        }
        .await;
        if let Err(e) = result {
            return reject(tx, e).await;
        }
        let view = one_view(tx.plain(), id).await?.ok_or(AppError::NotFound)?;
        self.commit(tx).await?;
        Ok(view)
    }

    /// Corrects the facts of an organisation the administrator keeps: name, kind,
    /// municipality, roll-up parent (never itself or one under it) and partners.
    pub async fn update_organisation(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &OrganisationUpdate,
    ) -> Result<OrganisationView> {
        let current = {
            let mut tx = self.store.begin_read().await?;
            let row = tx.organisation_admin(id).await?;
            tx.commit().await?;
            row.ok_or(AppError::NotFound)?
        };
        let req = Request::Function {
            actor,
            function: Function::Organisations,
            action: Action::Write,
            owner: Some(current.admin_org_id),
        };
        let event = self
            .permit_or_refuse(&req, format!("organisation {id} corrected"))
            .await?;
        let mut errors = Vec::new();
        let name = match input.name.as_deref() {
            None => current.name.clone(),
            Some(typed) => crate::accounts::name_of(
                typed,
                "name",
                Text::new(
                    "Skriv organisationens namn.",
                    "Enter the organisation's name.",
                ),
                &mut errors,
            ),
        };
        let kind = match input.kind.as_deref() {
            None => OrganisationKind::from_code(&current.kind).ok(),
            Some(typed) => kind_of(typed, &mut errors),
        };
        let municipality = match input.municipality_code.as_deref() {
            None => current.municipality_code.clone(),
            Some(typed) => self.municipality_of(Some(typed), &mut errors).await?,
        };
        let parent = match input.parent_org_id.as_deref() {
            None => current.parent_org_id,
            Some(typed) => optional_id(Some(typed), "parent_org_id", &mut errors),
        };
        if parent == Some(id) {
            errors.push(FieldError::new(
                "parent_org_id",
                Text::new(
                    "En organisation kan inte ligga under sig själv.",
                    "An organisation cannot be under itself.",
                ),
            ));
        }
        let partners: Option<Vec<Uuid>> = input.partner_org_ids.as_ref().map(|list| {
            let mut ids: Vec<Uuid> = list
                .iter()
                .filter(|p| !p.trim().is_empty())
                .filter_map(|p| match Uuid::parse_str(p.trim()) {
                    Ok(u) => Some(u),
                    Err(_) => {
                        errors.push(unknown_org_field("partner_org_ids"));
                        None
                    }
                })
                .collect();
            ids.sort_unstable();
            ids.dedup();
            if ids.contains(&id) {
                errors.push(FieldError::new(
                    "partner_org_ids",
                    Text::new(
                        "En organisation kan inte vara sin egen samverkanspartner.",
                        "An organisation cannot be its own partner.",
                    ),
                ));
            }
            ids
        });
        let version = input.version;
        if version.is_none() {
            errors.push(FieldError::new(
                "version",
                Text::new(
                    "Versionen saknas. Ladda om sidan och försök igen.",
                    "The version is missing. Reload the page and try again.",
                ),
            ));
        }
        let (Some(kind), Some(version), true) = (kind, version, errors.is_empty()) else {
            errors.dedup();
            return self
                .refuse_permitted(event, AppError::Invalid(errors))
                .await;
        };
        let mut tx = self.open_permitted(&event, &[]).await?;
        let db = tx.plain();
        let now = self.now();
        let result = async {
            // Point lookups: the check costs what the change names, not how many organisations
            // there are.
            if db
                .organisation_by_name(&name)
                .await?
                .is_some_and(|o| o.id != id)
            {
                return Err(duplicate_organisation("name"));
            }
            if let Some(p) = parent {
                // Up from the new parent, the chain must never come back here (it has no loop
                // already: every change of a parent went through this check).
                let mut at = Some(p);
                while let Some(o) = at {
                    if o == id {
                        return Err(AppError::field(
                            "parent_org_id",
                            Text::new(
                                "Den organisationen ligger redan under den här. Välj en annan.",
                                "That organisation is already under this one. Choose another.",
                            ),
                        ));
                    }
                    at = match db.organisation_admin(o).await? {
                        Some(row) => row.parent_org_id,
                        None if o == p => return Err(unknown_org("parent_org_id")),
                        None => None,
                    };
                }
            }
            if let Some(ps) = &partners {
                for p in ps {
                    if db.organisation(*p).await?.is_none() {
                        return Err(unknown_org("partner_org_ids"));
                    }
                }
            }
            db.update_organisation(
                &OrganisationAdminRow {
                    id,
                    name: name.clone(),
                    kind: kind.code().to_owned(),
                    municipality_code: municipality.clone(),
                    parent_org_id: parent,
                    admin_org_id: current.admin_org_id,
                    version,
                },
                version,
            )
            .await?;
            if let Some(ps) = &partners {
                db.set_partners(id, ps, now).await?;
            }
            Ok(())
        }
        .await;
        if let Err(e) = result {
            return reject(tx, e).await;
        }
        let view = one_view(tx.plain(), id).await?.ok_or(AppError::NotFound)?;
        self.commit(tx).await?;
        Ok(view)
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
        let kind = kind_of(kind, &mut errors);
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
        let (Some(kind), true) = (kind, errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let id = match tx.organisation_by_name(name).await? {
            Some(existing) => existing.id,
            None => {
                let row = OrganisationRow {
                    id: Uuid::now_v7(),
                    name: name.to_owned(),
                    kind: kind.code().to_owned(),
                    municipality_code: municipality_code.map(str::to_owned),
                    created_at: self.now(),
                };
                tx.insert_organisation(&row).await?;
                row.id
            }
        };
        let view = one_view(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        tx.commit().await?;
        Ok(view)
    }

    pub(crate) async fn organisation_by_name(
        &self,
        name: &str,
    ) -> Result<Option<OrganisationView>> {
        let mut tx = self.store.begin_read().await?;
        let view = match tx.organisation_by_name(name).await? {
            Some(row) => one_view(&mut tx, row.id).await?,
            None => None,
        };
        tx.commit().await?;
        Ok(view)
    }
}

fn kind_of(typed: &str, errors: &mut Vec<FieldError>) -> Option<OrganisationKind> {
    let kind = OrganisationKind::from_code(typed.trim()).ok();
    if kind.is_none() {
        errors.push(FieldError::new(
            "kind",
            Text::new(
                "Välj typ av organisation.",
                "Choose the kind of organisation.",
            ),
        ));
    }
    kind
}

/// An id typed into a form or sent: blank is none.
fn optional_id(typed: Option<&str>, field: &str, errors: &mut Vec<FieldError>) -> Option<Uuid> {
    let typed = typed.map(str::trim).filter(|t| !t.is_empty())?;
    let id = Uuid::parse_str(typed).ok();
    if id.is_none() {
        errors.push(unknown_org_field(field));
    }
    id
}

fn unknown_org_field(field: &str) -> FieldError {
    FieldError::new(
        field,
        Text::new(
            "Välj en organisation som finns i Stegvis.",
            "Choose an organisation that is in Stegvis.",
        ),
    )
}

fn unknown_org(field: &str) -> AppError {
    AppError::Invalid(vec![unknown_org_field(field)])
}
