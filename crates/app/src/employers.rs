//! Employers (arbetsgivare, sociala företag), their workplaces and the openings they offer. An
//! employer network is shared by the projects: not personal data, kept by coaches and project
//! managers.

use crate::error::{FieldError, Text};
use crate::input::check_hours;
use crate::policy::{Action, Function};
use crate::{Actor, App, AppError, Result};
use serde::{Deserialize, Serialize};
use stegvis_domain::OrganisationKind;
use stegvis_domain::placement::PlacementKind;
use stegvis_store::organisation::OrganisationRow;
use stegvis_store::placement::{OpeningRow, WorkplaceRow};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct WorkplaceInput {
    #[schema(schema_with = crate::openapi::text::<200>, required = true)]
    pub name: String,
    #[schema(schema_with = crate::openapi::optional_text::<300>)]
    pub address: Option<String>,
    /// Four-digit municipality code, e.g. `1293` (Hässleholm).
    #[schema(schema_with = crate::openapi::optional_municipality)]
    pub municipality_code: Option<String>,
    /// Accessibility: entrance, lift, toilet, quiet room…
    #[schema(schema_with = crate::openapi::optional_text::<2000>)]
    pub accessibility: Option<String>,
    #[schema(schema_with = crate::openapi::optional_text::<200>)]
    pub contact_name: Option<String>,
    #[schema(schema_with = crate::openapi::optional_text::<50>)]
    pub contact_phone: Option<String>,
    #[schema(schema_with = crate::openapi::optional_text::<200>)]
    pub contact_email: Option<String>,
}

/// A new employer with its first workplace.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct EmployerInput {
    #[schema(schema_with = crate::openapi::text::<200>, required = true)]
    pub name: String,
    /// `employer` or `social_enterprise`.
    #[schema(schema_with = crate::openapi::employer_kind, required = true)]
    pub kind: String,
    #[schema(required = true)]
    pub workplace: WorkplaceInput,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct OpeningInput {
    #[schema(schema_with = crate::openapi::text::<200>, required = true)]
    pub title: String,
    /// A placement kind: `work_practice`, `work_training`, `work_trial`, `subsidised_employment`,
    /// `adapted_employment`, `regular_employment` or `supported_employment`.
    #[schema(value_type = stegvis_domain::placement::PlacementKind, required = true)]
    pub kind: String,
    /// SSYK 2012 unit group, four digits.
    #[schema(schema_with = crate::openapi::optional_ssyk)]
    pub ssyk_code: Option<String>,
    #[schema(minimum = 1, maximum = 60)]
    pub hours_per_week: Option<i64>,
    #[schema(schema_with = crate::openapi::optional_text::<2000>)]
    pub requirements: Option<String>,
    /// Adaptations the workplace can make, in words.
    #[schema(schema_with = crate::openapi::optional_text::<2000>)]
    pub adaptations: Option<String>,
    /// The Swedish the work needs: `basic`, `good` or `fluent`.
    #[schema(schema_with = crate::openapi::optional_code::<stegvis_domain::matching::SwedishLevel>)]
    pub min_swedish: Option<String>,
    /// Adaptations the workplace can make, as codes (`short_days_at_first`, `quiet_place`,
    /// `no_heavy_lifting`, `seated_work`, `easy_swedish`, `step_free_access`): used by matching.
    #[schema(schema_with = crate::openapi::codes_or_blank::<stegvis_domain::matching::Adaptation>)]
    pub can_adapt: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkplaceView {
    pub id: Uuid,
    pub employer_id: Uuid,
    pub name: String,
    pub address: Option<String>,
    #[schema(value_type = Option<crate::openapi::MunicipalityCode>)]
    pub municipality_code: Option<String>,
    pub accessibility: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OpeningView {
    pub id: Uuid,
    pub workplace_id: Uuid,
    pub title: String,
    #[schema(value_type = stegvis_domain::placement::PlacementKind)]
    pub kind: String,
    #[schema(value_type = Option<crate::openapi::SsykCode>)]
    pub ssyk_code: Option<String>,
    pub occupation: Option<String>,
    pub hours_per_week: Option<i32>,
    pub requirements: Option<String>,
    pub adaptations: Option<String>,
    #[schema(value_type = Option<stegvis_domain::matching::SwedishLevel>)]
    pub min_swedish: Option<String>,
    #[schema(value_type = Vec<stegvis_domain::matching::Adaptation>)]
    pub can_adapt: Vec<String>,
    #[schema(schema_with = crate::openapi::opening_status)]
    pub status: String,
    #[schema(schema_with = crate::openapi::opening_source)]
    pub source: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EmployerView {
    pub id: Uuid,
    pub name: String,
    #[schema(schema_with = crate::openapi::employer_kind)]
    pub kind: String,
    pub workplaces: Vec<WorkplaceView>,
    pub openings: Vec<OpeningView>,
    /// Social procurement clauses binding the employer, with what has been delivered.
    pub clauses: Vec<ClauseView>,
    pub agreements: Vec<AgreementView>,
}

stegvis_domain::code_list!(
    /// What an agreement with an employer is about.
    AgreementKind, "agreement kind" {
        Cooperation => "cooperation", "Samarbetsavtal", "Cooperation agreement";
        Placement => "placement", "Avtal om praktikplatser", "Placement agreement";
    }
);

/// An agreement with the employer.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct AgreementInput {
    /// `cooperation` (samarbetsavtal) or `placement` (avtal om praktikplatser).
    #[schema(value_type = AgreementKind, required = true)]
    pub kind: String,
    /// `YYYY-MM-DD`.
    #[schema(schema_with = crate::openapi::date, required = true)]
    pub signed_on: String,
    #[schema(schema_with = crate::openapi::optional_date)]
    pub valid_to: Option<String>,
    #[schema(schema_with = crate::openapi::optional_text::<2000>)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgreementView {
    pub id: Uuid,
    #[schema(value_type = AgreementKind)]
    pub kind: String,
    pub signed_on: time::Date,
    pub valid_to: Option<time::Date>,
    pub note: Option<String>,
}

/// A social procurement clause (social hänsyn i upphandling).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ClauseInput {
    /// Who bought: e.g. `Hässleholms kommun`.
    #[schema(schema_with = crate::openapi::text::<200>, required = true)]
    pub buyer: String,
    /// The contract: e.g. `Städtjänster 2025–2027`.
    #[schema(schema_with = crate::openapi::text::<200>, required = true)]
    pub contract: String,
    #[schema(minimum = 0, maximum = 10000)]
    pub promised_placements: i64,
    #[schema(minimum = 0, maximum = 10000)]
    pub promised_jobs: i64,
    /// `YYYY-MM-DD`.
    #[schema(schema_with = crate::openapi::date, required = true)]
    pub valid_from: String,
    #[schema(schema_with = crate::openapi::optional_date)]
    pub valid_to: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClauseView {
    pub id: Uuid,
    pub buyer: String,
    pub contract: String,
    pub promised_placements: i32,
    pub promised_jobs: i32,
    pub valid_from: time::Date,
    pub valid_to: Option<time::Date>,
    /// Work practice, training and trials that the caller's organisation's participants started
    /// at the employer in the period.
    pub delivered_placements: i64,
    /// Employments (with or without support) they started there in the period.
    pub delivered_jobs: i64,
}

fn workplace_view(w: WorkplaceRow) -> WorkplaceView {
    WorkplaceView {
        id: w.id,
        employer_id: w.employer_org_id,
        name: w.name,
        address: w.address,
        municipality_code: w.municipality_code,
        accessibility: w.accessibility,
        contact_name: w.contact_name,
        contact_phone: w.contact_phone,
        contact_email: w.contact_email,
    }
}

pub(crate) fn opening_view(o: OpeningRow) -> OpeningView {
    OpeningView {
        occupation: o
            .ssyk_code
            .as_deref()
            .and_then(crate::reference::occupation)
            .map(|x| x.label_sv.clone()),
        id: o.id,
        workplace_id: o.workplace_id,
        title: o.title,
        kind: o.kind,
        ssyk_code: o.ssyk_code,
        hours_per_week: o.hours_per_week,
        requirements: o.requirements,
        adaptations: o.adaptations,
        min_swedish: o.min_swedish,
        can_adapt: crate::matching::split(&o.can_adapt),
        status: o.status,
        source: o.source,
    }
}

/// Trimmed optional text, at most `max` characters.
pub(crate) fn optional(
    field: &str,
    v: &Option<String>,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let raw = v.as_deref()?;
    // The limit counts what was sent, as the API document's maxLength does.
    if raw.chars().count() > max {
        errors.push(FieldError::new(
            field,
            Text::new(
                format!("Skriv högst {max} tecken."),
                format!("Write at most {max} characters."),
            ),
        ));
    }
    Some(raw.trim())
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// A code from a reference list: blank means not given; the list decides the rest.
fn code(v: &Option<String>) -> Option<String> {
    Some(v.as_deref()?.trim())
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn required(field: &str, raw: &str, errors: &mut Vec<FieldError>) -> String {
    let v = raw.trim();
    if v.is_empty() || raw.chars().count() > 200 {
        errors.push(FieldError::new(
            field,
            Text::new(
                "Skriv ett namn på högst 200 tecken.",
                "Enter a name of at most 200 characters.",
            ),
        ));
    }
    v.to_owned()
}

fn workplace_row(
    employer_org_id: Uuid,
    input: &WorkplaceInput,
    actor: &Actor,
    now: time::OffsetDateTime,
    errors: &mut Vec<FieldError>,
) -> WorkplaceRow {
    let municipality_code = code(&input.municipality_code);
    if let Some(code) = &municipality_code
        && !crate::reference::municipalities()
            .iter()
            .any(|m| &m.code == code)
    {
        errors.push(FieldError::new(
            "workplace.municipality_code",
            Text::new("Okänd kommunkod.", "Unknown municipality code."),
        ));
    }
    WorkplaceRow {
        id: Uuid::now_v7(),
        employer_org_id,
        name: required("workplace.name", &input.name, errors),
        address: optional("workplace.address", &input.address, 300, errors),
        municipality_code,
        accessibility: optional(
            "workplace.accessibility",
            &input.accessibility,
            2000,
            errors,
        ),
        contact_name: optional("workplace.contact_name", &input.contact_name, 200, errors),
        contact_phone: optional("workplace.contact_phone", &input.contact_phone, 50, errors),
        contact_email: optional("workplace.contact_email", &input.contact_email, 200, errors),
        created_at: now,
        created_by: Some(actor.user_id),
    }
}

impl App {
    /// Employers and social enterprises, by name.
    pub async fn employers(&self, actor: &Actor) -> Result<Vec<EmployerView>> {
        self.check_function(actor, Function::Employers, Action::Read)
            .await?;
        let mut tx = self.store.begin_read().await?;
        let orgs = tx.organisations().await?;
        tx.commit().await?;
        let mut out: Vec<EmployerView> = orgs
            .into_iter()
            .filter(is_employer)
            .map(|o| EmployerView {
                id: o.id,
                name: o.name,
                kind: o.kind,
                workplaces: Vec::new(),
                openings: Vec::new(),
                clauses: Vec::new(),
                agreements: Vec::new(),
            })
            .collect();
        out.sort_by_key(|e| e.name.to_lowercase());
        Ok(out)
    }

    /// One employer with its workplaces and openings.
    pub async fn employer(&self, actor: &Actor, id: Uuid) -> Result<EmployerView> {
        self.check_function(actor, Function::Employers, Action::Read)
            .await?;
        let mut tx = self.store.begin_read().await?;
        let org = tx
            .organisation(id)
            .await?
            .filter(is_employer)
            .ok_or(AppError::NotFound)?;
        let workplaces = tx.workplaces_of(id).await?;
        let openings = tx.openings_of_employer(id).await?;
        let mut clauses = Vec::new();
        for c in tx.clauses_of(id).await? {
            let delivered_placements = tx
                .placements_started_at(id, actor.org_id, false, c.valid_from, c.valid_to)
                .await?;
            let delivered_jobs = tx
                .placements_started_at(id, actor.org_id, true, c.valid_from, c.valid_to)
                .await?;
            clauses.push(ClauseView {
                id: c.id,
                buyer: c.buyer,
                contract: c.contract,
                promised_placements: c.promised_placements,
                promised_jobs: c.promised_jobs,
                valid_from: c.valid_from,
                valid_to: c.valid_to,
                delivered_placements,
                delivered_jobs,
            });
        }
        let agreements = tx
            .agreements_of(id)
            .await?
            .into_iter()
            .map(|a| AgreementView {
                id: a.id,
                kind: a.kind,
                signed_on: a.signed_on,
                valid_to: a.valid_to,
                note: a.note,
            })
            .collect();
        tx.commit().await?;
        Ok(EmployerView {
            id: org.id,
            name: org.name,
            kind: org.kind,
            workplaces: workplaces.into_iter().map(workplace_view).collect(),
            openings: openings.into_iter().map(opening_view).collect(),
            clauses,
            agreements,
        })
    }

    /// Registers an employer and its first workplace.
    pub async fn register_employer(
        &self,
        actor: &Actor,
        input: &EmployerInput,
    ) -> Result<EmployerView> {
        self.check_function(actor, Function::Employers, Action::Write)
            .await?;
        let mut errors = Vec::new();
        let name = required("name", &input.name, &mut errors);
        let kind = match OrganisationKind::from_code(input.kind.trim()) {
            Ok(k @ (OrganisationKind::Employer | OrganisationKind::SocialEnterprise)) => Some(k),
            _ => {
                errors.push(FieldError::new(
                    "kind",
                    Text::new(
                        "Välj arbetsgivare eller socialt företag.",
                        "Choose employer or social enterprise.",
                    ),
                ));
                None
            }
        };
        let now = self.now();
        let org_id = Uuid::now_v7();
        let workplace = workplace_row(org_id, &input.workplace, actor, now, &mut errors);
        let (Some(kind), true) = (kind, errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let mut tx = self.store.begin().await?;
        if tx.organisation_by_name(&name).await?.is_some() {
            tx.commit().await?;
            return Err(AppError::field(
                "name",
                Text::new(
                    "Det finns redan en organisation med det namnet.",
                    "An organisation with that name already exists.",
                ),
            ));
        }
        let org = OrganisationRow {
            id: org_id,
            name,
            kind: kind.code().to_owned(),
            municipality_code: workplace.municipality_code.clone(),
            created_at: now,
        };
        tx.insert_organisation(&org).await?;
        tx.insert_workplace(&workplace).await?;
        tx.commit().await?;
        self.employer(actor, org_id).await
    }

    /// Adds a workplace to an employer.
    pub async fn add_workplace(
        &self,
        actor: &Actor,
        employer_id: Uuid,
        input: &WorkplaceInput,
    ) -> Result<WorkplaceView> {
        self.employer(actor, employer_id).await?;
        let mut errors = Vec::new();
        let row = workplace_row(employer_id, input, actor, self.now(), &mut errors);
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let mut tx = self.store.begin().await?;
        tx.insert_workplace(&row).await?;
        tx.commit().await?;
        Ok(workplace_view(row))
    }

    /// Adds an opening (a placement or a job) at a workplace.
    pub async fn add_opening(
        &self,
        actor: &Actor,
        workplace_id: Uuid,
        input: &OpeningInput,
    ) -> Result<OpeningView> {
        self.check_function(actor, Function::Employers, Action::Write)
            .await?;
        let mut tx = self.store.begin_read().await?;
        let found = tx.workplace(workplace_id).await?;
        tx.commit().await?;
        found.ok_or(AppError::NotFound)?;
        let mut errors = Vec::new();
        let title = required("title", &input.title, &mut errors);
        let kind = PlacementKind::from_code(input.kind.trim()).map_err(|_| {
            errors.push(FieldError::new(
                "kind",
                Text::new("Välj typ av plats.", "Choose the kind of opening."),
            ));
        });
        let ssyk_code = code(&input.ssyk_code);
        if let Some(code) = &ssyk_code
            && crate::reference::occupation(code).is_none()
        {
            errors.push(FieldError::new(
                "ssyk_code",
                Text::new(
                    "Okänd yrkeskod. Ange en yrkesgrupp i SSYK 2012 med fyra siffror, till exempel 5223.",
                    "Unknown occupation code. Give an SSYK 2012 unit group of four digits, for example 5223.",
                ),
            ));
        }
        let hours = check_hours("hours_per_week", input.hours_per_week, &mut errors);
        let row = OpeningRow {
            id: Uuid::now_v7(),
            workplace_id,
            title,
            kind: kind.map(|k| k.code().to_owned()).unwrap_or_default(),
            ssyk_code,
            hours_per_week: hours,
            requirements: optional("requirements", &input.requirements, 2000, &mut errors),
            adaptations: optional("adaptations", &input.adaptations, 2000, &mut errors),
            min_swedish: crate::matching::swedish_code(
                "min_swedish",
                &input.min_swedish,
                &mut errors,
            ),
            can_adapt: crate::matching::adaptation_codes(
                "can_adapt",
                &input.can_adapt,
                &mut errors,
            ),
            status: "open".into(),
            source: "manual".into(),
            external_id: None,
            created_at: self.now(),
            created_by: Some(actor.user_id),
        };
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let mut tx = self.store.begin().await?;
        tx.insert_opening(&row).await?;
        tx.commit().await?;
        Ok(opening_view(row))
    }
}

fn is_employer(o: &OrganisationRow) -> bool {
    [
        OrganisationKind::Employer.code(),
        OrganisationKind::SocialEnterprise.code(),
    ]
    .contains(&o.kind.as_str())
}

/// An opening to choose on an offer: "title – employer, workplace".
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OpeningChoice {
    pub id: Uuid,
    pub label: String,
    #[schema(value_type = stegvis_domain::placement::PlacementKind)]
    pub kind: String,
}

/// A supervisor to choose on an offer: "name (employer)".
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SupervisorChoice {
    pub id: Uuid,
    pub label: String,
}

impl App {
    /// The open openings and the supervisors, for the offer form.
    pub async fn offer_choices(
        &self,
        actor: &Actor,
    ) -> Result<(Vec<OpeningChoice>, Vec<SupervisorChoice>)> {
        self.check_function(actor, Function::Employers, Action::Read)
            .await?;
        let mut tx = self.store.begin_read().await?;
        let openings = tx.open_openings(2_000).await?;
        let supervisors = tx.supervisors().await?;
        tx.commit().await?;
        Ok((
            openings
                .into_iter()
                .map(|o| OpeningChoice {
                    id: o.id,
                    label: format!("{} – {}, {}", o.title, o.employer_name, o.workplace_name),
                    kind: o.kind,
                })
                .collect(),
            supervisors
                .into_iter()
                .map(|s| SupervisorChoice {
                    id: s.id,
                    label: format!("{} ({})", s.name, s.employer_name),
                })
                .collect(),
        ))
    }
}

impl App {
    /// Records a social procurement clause binding an employer.
    pub async fn add_clause(
        &self,
        actor: &Actor,
        employer_id: Uuid,
        input: &ClauseInput,
    ) -> Result<ClauseView> {
        self.employer(actor, employer_id).await?;
        let mut errors = Vec::new();
        let buyer = required("buyer", &input.buyer, &mut errors);
        let contract = required("contract", &input.contract, &mut errors);
        let count = |field: &str, n: i64, errors: &mut Vec<FieldError>| -> i32 {
            if !(0..=10_000).contains(&n) {
                errors.push(FieldError::new(
                    field,
                    Text::new(
                        "Ange ett antal mellan 0 och 10 000.",
                        "Give a number from 0 to 10,000.",
                    ),
                ));
                return 0;
            }
            n as i32
        };
        let promised_placements = count(
            "promised_placements",
            input.promised_placements,
            &mut errors,
        );
        let promised_jobs = count("promised_jobs", input.promised_jobs, &mut errors);
        if promised_placements == 0 && promised_jobs == 0 && errors.is_empty() {
            errors.push(FieldError::new(
                "promised_placements",
                Text::new(
                    "Ange hur många platser eller jobb avtalet lovar.",
                    "Give how many placements or jobs the contract promises.",
                ),
            ));
        }
        let from = crate::input::parse_date("valid_from", &input.valid_from, &mut errors);
        let to = match input.valid_to.as_deref().map(str::trim) {
            Some(v) if !v.is_empty() => crate::input::parse_date("valid_to", v, &mut errors),
            _ => None,
        };
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            errors.push(FieldError::new(
                "valid_to",
                Text::new(
                    "Slutdatumet kan inte vara före startdatumet.",
                    "The end date cannot be before the start date.",
                ),
            ));
        }
        let (Some(valid_from), true) = (from, errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let row = stegvis_store::procurement::ClauseRow {
            id: Uuid::now_v7(),
            employer_org_id: employer_id,
            buyer,
            contract,
            promised_placements,
            promised_jobs,
            valid_from,
            valid_to: to,
            created_at: self.now(),
            created_by: Some(actor.user_id),
        };
        let mut tx = self.store.begin().await?;
        tx.insert_clause(&row).await?;
        tx.commit().await?;
        self.employer(actor, employer_id)
            .await?
            .clauses
            .into_iter()
            .find(|c| c.id == row.id)
            .ok_or(AppError::NotFound)
    }
}

impl App {
    /// Records an agreement with an employer.
    pub async fn add_agreement(
        &self,
        actor: &Actor,
        employer_id: Uuid,
        input: &AgreementInput,
    ) -> Result<AgreementView> {
        self.employer(actor, employer_id).await?;
        let mut errors = Vec::new();
        let kind = input.kind.trim();
        if !["cooperation", "placement"].contains(&kind) {
            errors.push(FieldError::new(
                "kind",
                Text::new("Välj typ av avtal.", "Choose the kind of agreement."),
            ));
        }
        let signed_on = crate::input::parse_date("signed_on", &input.signed_on, &mut errors);
        let valid_to = match input.valid_to.as_deref().map(str::trim) {
            Some(v) if !v.is_empty() => crate::input::parse_date("valid_to", v, &mut errors),
            _ => None,
        };
        if let (Some(s), Some(t)) = (signed_on, valid_to)
            && t < s
        {
            errors.push(FieldError::new(
                "valid_to",
                Text::new(
                    "Slutdatumet kan inte vara före datumet då avtalet skrevs.",
                    "The end date cannot be before the agreement was signed.",
                ),
            ));
        }
        let note = optional("note", &input.note, 2000, &mut errors);
        let (Some(signed_on), true) = (signed_on, errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let row = stegvis_store::procurement::AgreementRow {
            id: Uuid::now_v7(),
            employer_org_id: employer_id,
            kind: kind.to_owned(),
            signed_on,
            valid_to,
            note,
            created_at: self.now(),
            created_by: Some(actor.user_id),
        };
        let mut tx = self.store.begin().await?;
        tx.insert_agreement(&row).await?;
        tx.commit().await?;
        Ok(AgreementView {
            id: row.id,
            kind: row.kind,
            signed_on: row.signed_on,
            valid_to: row.valid_to,
            note: row.note,
        })
    }
}
