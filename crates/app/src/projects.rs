//! Projects: facts, partners and municipalities, phase and target group. Project facts are not
//! personal data. The project managers of the organisation that runs a project, and its
//! administrators, create and edit it; every edit keeps the earlier version.

use crate::enrolments::string_or_number;
use crate::error::{FieldError, Text};
use crate::input::parse_date;
use crate::policy::{Action, Function};
use crate::{Actor, App, AppError, Result};
use serde::{Deserialize, Deserializer, Serialize};
use stegvis_domain::eligibility::{ANSWER_CRITERIA, Eligibility, Requirement};
use stegvis_domain::project::ProjectError;
use stegvis_domain::{LabourStatus, ProjectFacts, ProjectPhase, Sek};
use stegvis_store::StoreError;
use stegvis_store::project::ProjectRow;
use time::OffsetDateTime;
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
    /// The partner and co-financing organisations' ids, and the municipalities' codes, in the
    /// same order as their names.
    pub partner_ids: Vec<Uuid>,
    pub cofinancier_ids: Vec<Uuid>,
    #[schema(value_type = Vec<crate::openapi::MunicipalityCode>)]
    pub municipality_codes: Vec<String>,
    #[schema(value_type = stegvis_domain::ProjectPhase)]
    pub phase: ProjectPhase,
    /// Who the project is for, checked at enrolment (no rule: everyone).
    pub target_group: Eligibility,
    /// Send it back with an edit to be told if someone else changed the project meanwhile.
    pub version: i64,
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

/// Accepts `true`/`false` from JSON, and a checkbox's `yes` (or `on`, `true`) or `no`/blank from
/// a form.
fn bool_or_text<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<bool>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        B(bool),
        S(String),
    }
    Ok(Option::<Raw>::deserialize(d)?.map(|r| match r {
        Raw::B(b) => b,
        Raw::S(s) => matches!(s.trim(), "yes" | "on" | "true"),
    }))
}

/// A project's target group as typed in a form or sent as JSON: the whole set of rules (a rule
/// left out is not set).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct TargetGroupInput {
    /// Age at entry, both ends included (0–120).
    #[serde(deserialize_with = "string_or_number")]
    #[schema(schema_with = crate::openapi::optional_count::<120>)]
    pub min_age: Option<String>,
    #[serde(deserialize_with = "string_or_number")]
    #[schema(schema_with = crate::openapi::optional_count::<120>)]
    pub max_age: Option<String>,
    /// The labour-market statuses the project takes (any when none).
    #[schema(schema_with = crate::openapi::codes_or_blank::<stegvis_domain::LabourStatus>)]
    pub labour_statuses: Vec<String>,
    /// At least this many months without work.
    #[serde(deserialize_with = "string_or_number")]
    #[schema(schema_with = crate::openapi::optional_count::<600>)]
    pub min_months_without_work: Option<String>,
    /// `any` (the default), `yes` (must apply) or `no` (must not apply), for each question.
    #[schema(schema_with = crate::openapi::optional_code::<stegvis_domain::eligibility::Requirement>)]
    pub social_assistance: Option<String>,
    #[schema(schema_with = crate::openapi::optional_code::<stegvis_domain::eligibility::Requirement>)]
    pub sick_leave: Option<String>,
    #[schema(schema_with = crate::openapi::optional_code::<stegvis_domain::eligibility::Requirement>)]
    pub activity_compensation: Option<String>,
    #[schema(schema_with = crate::openapi::optional_code::<stegvis_domain::eligibility::Requirement>)]
    pub disability: Option<String>,
    #[schema(schema_with = crate::openapi::optional_code::<stegvis_domain::eligibility::Requirement>)]
    pub foreign_background: Option<String>,
    #[schema(schema_with = crate::openapi::optional_code::<stegvis_domain::eligibility::Requirement>)]
    pub registered_at_employment_service: Option<String>,
    /// Whether someone outside the target group may be enrolled anyway, with a written reason.
    #[serde(deserialize_with = "bool_or_text")]
    #[schema(value_type = Option<bool>)]
    pub exceptions_allowed: Option<bool>,
}

impl TargetGroupInput {
    fn requirement(&self, field: stegvis_domain::BaselineField) -> &Option<String> {
        use stegvis_domain::BaselineField as F;
        match field {
            F::SocialAssistance => &self.social_assistance,
            F::SickLeave => &self.sick_leave,
            F::ActivityCompensation => &self.activity_compensation,
            F::Disability => &self.disability,
            F::ForeignBackground => &self.foreign_background,
            _ => &self.registered_at_employment_service,
        }
    }

    /// The rules as typed; one error per field that cannot be read or saved.
    pub fn parse(&self, errors: &mut Vec<FieldError>) -> Eligibility {
        let name = |f: &str| format!("target_group.{f}");
        let number = |field: &str, v: &Option<String>, max: i64, errors: &mut Vec<FieldError>| {
            let v = v.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
            match v.parse::<i64>() {
                Ok(n) if (0..=max).contains(&n) => Some(n),
                _ => {
                    errors.push(FieldError::new(
                        &name(field),
                        Text::new(
                            format!("Skriv ett heltal mellan 0 och {max}."),
                            format!("Write a whole number between 0 and {max}."),
                        ),
                    ));
                    None
                }
            }
        };
        let mut e = Eligibility {
            min_age: number("min_age", &self.min_age, 120, errors).map(|n| n as u8),
            max_age: number("max_age", &self.max_age, 120, errors).map(|n| n as u8),
            min_months_without_work: number(
                "min_months_without_work",
                &self.min_months_without_work,
                600,
                errors,
            )
            .map(|n| n as u16),
            exceptions_allowed: self.exceptions_allowed.unwrap_or(false),
            ..Default::default()
        };
        for s in self.labour_statuses.iter().map(|s| s.trim()) {
            match LabourStatus::from_code(s) {
                Ok(s) if !e.labour_statuses.contains(&s) => e.labour_statuses.push(s),
                Ok(_) => {}
                Err(_) if s.is_empty() => {}
                Err(_) => errors.push(FieldError::new(
                    &name("labour_statuses"),
                    Text::new("Välj bland alternativen.", "Choose among the options."),
                )),
            }
        }
        for &field in ANSWER_CRITERIA {
            match self
                .requirement(field)
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
            {
                None => {}
                Some(code) => match Requirement::from_code(code) {
                    Ok(r) => e.set_requirement(field, r),
                    Err(_) => errors.push(FieldError::new(
                        &name(field.code()),
                        Text::new("Välj ett av alternativen.", "Choose one of the options."),
                    )),
                },
            }
        }
        for err in e.validate() {
            let field = name(err.field());
            if !errors.iter().any(|x| x.field == field) {
                errors.push(FieldError::new(
                    &field,
                    Text::from_messages(|l| err.message(l)),
                ));
            }
        }
        e
    }

    /// The input that shows `e` in a form.
    pub fn of(e: &Eligibility) -> Self {
        let code = |r: Requirement| Some(r.code().to_owned());
        TargetGroupInput {
            min_age: e.min_age.map(|n| n.to_string()),
            max_age: e.max_age.map(|n| n.to_string()),
            labour_statuses: e
                .labour_statuses
                .iter()
                .map(|s| s.code().to_owned())
                .collect(),
            min_months_without_work: e.min_months_without_work.map(|n| n.to_string()),
            social_assistance: code(e.social_assistance),
            sick_leave: code(e.sick_leave),
            activity_compensation: code(e.activity_compensation),
            disability: code(e.disability),
            foreign_background: code(e.foreign_background),
            registered_at_employment_service: code(e.registered_at_employment_service),
            exceptions_allowed: Some(e.exceptions_allowed),
        }
    }
}

/// A new project, or changes to one, as typed in the form or sent as JSON. Creating needs the
/// name, region, period, budget and ESF support. When editing, a field left out (or `null`)
/// keeps its value and `""` clears an optional one; the lists and the target group, when given,
/// replace what the project had.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ProjectInput {
    /// The funder's case number, `YYYY/NNNNN` (e.g. `2019/00383`); blank: none yet.
    #[schema(schema_with = crate::openapi::optional_text::<20>)]
    pub number: Option<String>,
    #[schema(schema_with = crate::openapi::text_or_null::<200>)]
    pub name: Option<String>,
    /// The funder's region, e.g. `Sydsverige`.
    #[schema(schema_with = crate::openapi::text_or_null::<100>)]
    pub region: Option<String>,
    #[schema(schema_with = crate::openapi::optional_text::<100>)]
    pub programme_area: Option<String>,
    #[schema(schema_with = crate::openapi::optional_text::<100>)]
    pub specific_objective: Option<String>,
    #[schema(schema_with = crate::openapi::optional_text::<100>)]
    pub intervention_type: Option<String>,
    /// The union co-financing rate in whole percent, 0–100.
    #[serde(deserialize_with = "string_or_number")]
    #[schema(schema_with = crate::openapi::optional_count::<100>)]
    pub union_cofinancing_rate_pct: Option<String>,
    /// `YYYY-MM-DD`.
    #[schema(schema_with = crate::openapi::optional_date)]
    pub period_start: Option<String>,
    /// `YYYY-MM-DD`, not before the start.
    #[schema(schema_with = crate::openapi::optional_date)]
    pub period_end: Option<String>,
    /// Whole kronor (`9249253`, or as typed: `9 249 253`).
    #[serde(deserialize_with = "string_or_number")]
    #[schema(schema_with = crate::openapi::optional_count::<1_000_000_000_000>)]
    pub total_budget: Option<String>,
    /// Whole kronor, at most the total budget.
    #[serde(deserialize_with = "string_or_number")]
    #[schema(schema_with = crate::openapi::optional_count::<1_000_000_000_000>)]
    pub esf_support: Option<String>,
    #[serde(deserialize_with = "string_or_number")]
    #[schema(schema_with = crate::openapi::optional_count::<1_000_000>)]
    pub planned_participants: Option<String>,
    #[schema(schema_with = crate::openapi::optional_text::<100>)]
    pub contact_name: Option<String>,
    #[schema(schema_with = crate::openapi::optional_text::<100>)]
    pub contact_email: Option<String>,
    #[schema(schema_with = crate::openapi::optional_text::<100>)]
    pub contact_phone: Option<String>,
    /// The beneficiary's postcode, five digits (`28180` or `281 80`).
    #[schema(schema_with = crate::openapi::optional_text::<6>)]
    pub postcode: Option<String>,
    #[schema(schema_with = crate::openapi::optional_text::<10000>)]
    pub summary: Option<String>,
    /// `mobilisation` (the default for a new project), `implementation` or `closing`.
    #[schema(schema_with = crate::openapi::optional_code::<stegvis_domain::ProjectPhase>)]
    pub phase: Option<String>,
    /// Partner organisations' ids.
    #[schema(value_type = Option<Vec<Uuid>>)]
    pub partner_ids: Option<Vec<String>>,
    /// Co-financing organisations' ids.
    #[schema(value_type = Option<Vec<Uuid>>)]
    pub cofinancier_ids: Option<Vec<String>>,
    /// The municipalities the project works in: codes (`1293`) or names (`Hässleholm`); an
    /// entry may list several, separated by commas.
    pub municipalities: Option<Vec<String>>,
    pub target_group: Option<TargetGroupInput>,
    /// The `version` the edit was made from; a project changed since gets 409.
    pub version: Option<i64>,
}

/// A project as it was before an edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ProjectSnapshot {
    #[serde(flatten)]
    pub facts: ProjectFacts,
    #[schema(value_type = stegvis_domain::ProjectPhase)]
    pub phase: ProjectPhase,
    pub target_group: Eligibility,
    pub partners: Vec<String>,
    pub cofinanciers: Vec<String>,
    pub municipalities: Vec<String>,
    pub version: i64,
}

/// One earlier version of a project: what it was, and who replaced it when.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProjectVersion {
    #[serde(with = "time::serde::rfc3339")]
    pub changed_at: OffsetDateTime,
    pub changed_by: Option<String>,
    pub previous: ProjectSnapshot,
}

/// A text field: absent keeps (`None`), blank clears (`Some(None)`), else trimmed.
fn text(v: &Option<String>) -> Option<Option<String>> {
    v.as_deref().map(|v| {
        let t = v.trim();
        (!t.is_empty()).then(|| t.to_owned())
    })
}

/// Whole kronor as people type them: `9249253`, `9 249 253`, `9 249 253 kr`.
fn parse_kronor(field: &str, raw: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
    let digits: String = raw
        .trim()
        .trim_end_matches("kr")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    match digits.parse::<i64>() {
        Ok(n) if n.unsigned_abs() <= 1_000_000_000_000 => Some(n),
        _ => {
            errors.push(FieldError::new(
                field,
                Text::new(
                    "Skriv beloppet i hela kronor, till exempel 9 249 253.",
                    "Write the amount in whole kronor, for example 9 249 253.",
                ),
            ));
            None
        }
    }
}

/// A whole number field; `None` when blank, an error when not a number.
fn parse_whole(field: &str, raw: &str, errors: &mut Vec<FieldError>) -> Option<Option<i64>> {
    let t = raw.trim();
    if t.is_empty() {
        return Some(None);
    }
    match t.parse::<i64>() {
        Ok(n) => Some(Some(n)),
        Err(_) => {
            errors.push(FieldError::new(
                field,
                Text::new("Skriv ett heltal.", "Write a whole number."),
            ));
            None
        }
    }
}

fn required(field: &str) -> FieldError {
    let text = match field {
        "name" => Text::new("Skriv projektets namn.", "Enter the project's name."),
        "region" => Text::new(
            "Skriv regionen (till exempel Sydsverige).",
            "Enter the region (for example Sydsverige).",
        ),
        "period_start" | "period_end" => Text::new("Skriv ett datum.", "Enter a date."),
        _ => Text::new(
            "Skriv beloppet i hela kronor, till exempel 9 249 253.",
            "Write the amount in whole kronor, for example 9 249 253.",
        ),
    };
    FieldError::new(field, text)
}

/// The organisations and municipalities a project names, resolved.
struct Links {
    partners: Option<Vec<Uuid>>,
    cofinanciers: Option<Vec<Uuid>>,
    municipalities: Option<Vec<String>>,
}

impl App {
    /// Projects the actor's organisation runs: the ones it may enrol its participants in.
    pub async fn enrollable_projects(&self, actor: &Actor) -> Result<Vec<ProjectRef>> {
        Ok(self
            .own_projects(actor)
            .await?
            .into_iter()
            .map(|p| ProjectRef {
                id: p.id,
                name: p.name,
            })
            .collect())
    }

    /// The rows of the projects the actor's organisation runs.
    pub(crate) async fn own_projects(&self, actor: &Actor) -> Result<Vec<ProjectRow>> {
        let mut tx = self.store.begin_read().await?;
        let rows = tx.projects().await?;
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .filter(|p| p.owner_org_id == actor.org_id)
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
        let of = |rel: &'static str| orgs.iter().filter(move |o| o.relation == rel);
        let municipalities = tx.project_municipalities(row.id).await?;
        let counts = tx.project_counts(row.id).await?;
        Ok(ProjectView {
            id: row.id,
            owner_org_id: row.owner_org_id,
            owner_name: owner,
            partners: of("partner").map(|o| o.name.clone()).collect(),
            cofinanciers: of("cofinancier").map(|o| o.name.clone()).collect(),
            partner_ids: of("partner").map(|o| o.org_id).collect(),
            cofinancier_ids: of("cofinancier").map(|o| o.org_id).collect(),
            municipalities: municipalities.iter().map(|m| m.name.clone()).collect(),
            municipality_codes: municipalities.into_iter().map(|m| m.code).collect(),
            phase: row.phase,
            target_group: row.eligibility()?,
            version: row.version,
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

    /// Whether the actor may create projects for their organisation. For pages deciding what
    /// to offer.
    pub fn may_create_projects(actor: &Actor) -> bool {
        crate::policy::allows(&crate::policy::Request::Function {
            actor,
            function: Function::Projects,
            action: Action::Write,
            owner: None,
        })
    }

    /// Whether the actor may edit the project and its goals (their organisation runs it and
    /// their role keeps its projects). For pages deciding what to offer.
    pub fn manages_project(actor: &Actor, project: &ProjectView) -> bool {
        crate::policy::allows(&crate::policy::Request::Function {
            actor,
            function: Function::Projects,
            action: Action::Write,
            owner: Some(project.owner_org_id),
        })
    }

    /// Creates a project run by the actor's organisation.
    pub async fn create_project(&self, actor: &Actor, input: &ProjectInput) -> Result<ProjectView> {
        self.check_function(actor, Function::Projects, Action::Write)
            .await?;
        let blank = ProjectRow {
            id: Uuid::now_v7(),
            number: None,
            name: String::new(),
            owner_org_id: actor.org_id,
            region: String::new(),
            programme_area: None,
            specific_objective: None,
            intervention_type: None,
            union_cofinancing_rate_pct: None,
            period_start: self.today(),
            period_end: self.today(),
            total_budget: 0,
            esf_support: 0,
            planned_participants: None,
            contact_name: None,
            contact_email: None,
            contact_phone: None,
            postcode: None,
            summary: String::new(),
            created_at: self.now(),
            phase: ProjectPhase::Mobilisation,
            eligibility: None,
            version: 1,
        };
        let mut errors = Vec::new();
        for field in [
            "name",
            "region",
            "period_start",
            "period_end",
            "total_budget",
            "esf_support",
        ] {
            let given = match field {
                "name" => &input.name,
                "region" => &input.region,
                "period_start" => &input.period_start,
                "period_end" => &input.period_end,
                "total_budget" => &input.total_budget,
                _ => &input.esf_support,
            };
            if given.as_deref().is_none_or(|v| v.trim().is_empty()) {
                errors.push(required(field));
            }
        }
        let row = self.apply_input(&blank, input, true, &mut errors);
        let links = self.resolve_links(actor.org_id, input, &mut errors).await?;
        let mut tx = self.store.begin().await?;
        self.check_unique(&mut tx, &row, &mut errors).await?;
        if !errors.is_empty() {
            tx.rollback().await?;
            return Err(AppError::Invalid(errors));
        }
        tx.insert_project(&row).await?;
        self.write_links(&mut tx, row.id, &links).await?;
        let event = self.kept_event(
            actor,
            Function::Projects,
            format!("project created: {} ({})", row.name, row.id),
        );
        self.store.record_event_in(&mut tx, &event).await?;
        tx.commit().await?;
        self.project(actor, row.id).await
    }

    /// Changes a project's facts, phase, partners, municipalities or target group, keeping the
    /// earlier version. The report's tallies follow at once when the change moves the project to
    /// another programme period's indicators.
    pub async fn update_project(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &ProjectInput,
    ) -> Result<ProjectView> {
        self.check_project(actor, id, Function::Projects, Action::Write)
            .await?;
        let owner = self.project(actor, id).await?.owner_org_id;
        let mut errors = Vec::new();
        let links = self.resolve_links(owner, input, &mut errors).await?;
        let mut tx = self.store.begin().await?;
        tx.lock_project(id).await?;
        let row = tx.project(id).await?.ok_or(AppError::NotFound)?;
        if input.version.is_some_and(|v| v != row.version) {
            tx.rollback().await?;
            return Err(StoreError::Stale.into());
        }
        let before = self.project_view(&mut tx, row.clone()).await?;
        let updated = self.apply_input(&row, input, false, &mut errors);
        self.check_unique(&mut tx, &updated, &mut errors).await?;
        if !errors.is_empty() {
            tx.rollback().await?;
            return Err(AppError::Invalid(errors));
        }
        let previous = ProjectSnapshot {
            facts: before.facts,
            phase: before.phase,
            target_group: before.target_group,
            partners: before.partners,
            cofinanciers: before.cofinanciers,
            municipalities: before.municipalities,
            version: before.version,
        };
        let previous =
            serde_json::to_string(&previous).map_err(|e| AppError::Internal(e.to_string()))?;
        if !tx.update_project(&updated, row.version).await? {
            tx.rollback().await?;
            return Err(StoreError::Stale.into());
        }
        self.write_links(&mut tx, id, &links).await?;
        tx.insert_project_history(
            id,
            "project",
            id,
            Some(actor.user_id),
            self.now(),
            &previous,
        )
        .await?;
        use stegvis_domain::report::IndicatorSet;
        if IndicatorSet::for_project_start(row.period_start)
            != IndicatorSet::for_project_start(updated.period_start)
        {
            tx.refresh_project_tallies(id).await?;
        }
        let event = self.kept_event(
            actor,
            Function::Projects,
            format!(
                "project changed: {} ({id}), version {}",
                updated.name,
                row.version + 1
            ),
        );
        self.store.record_event_in(&mut tx, &event).await?;
        tx.commit().await?;
        self.project(actor, id).await
    }

    /// The earlier versions of a project, newest first.
    pub async fn project_history(&self, actor: &Actor, id: Uuid) -> Result<Vec<ProjectVersion>> {
        self.check_project(actor, id, Function::Projects, Action::Read)
            .await?;
        let mut tx = self.store.begin_read().await?;
        let rows = tx.project_history(id).await?;
        tx.commit().await?;
        rows.into_iter()
            .map(|h| {
                Ok(ProjectVersion {
                    changed_at: h.changed_at,
                    changed_by: h.changed_by_name,
                    previous: serde_json::from_str(&h.previous).map_err(|_| {
                        AppError::from(StoreError::Corrupt("project_history.previous".into()))
                    })?,
                })
            })
            .collect()
    }

    /// `base` with the input applied; every problem goes to `errors`.
    fn apply_input(
        &self,
        base: &ProjectRow,
        input: &ProjectInput,
        creating: bool,
        errors: &mut Vec<FieldError>,
    ) -> ProjectRow {
        let mut row = base.clone();
        let set = |slot: &mut Option<String>, v: &Option<String>| {
            if let Some(v) = text(v) {
                *slot = v;
            }
        };
        set(&mut row.number, &input.number);
        set(&mut row.programme_area, &input.programme_area);
        set(&mut row.specific_objective, &input.specific_objective);
        set(&mut row.intervention_type, &input.intervention_type);
        set(&mut row.contact_name, &input.contact_name);
        set(&mut row.contact_email, &input.contact_email);
        set(&mut row.contact_phone, &input.contact_phone);
        set(&mut row.postcode, &input.postcode);
        if let Some(v) = text(&input.name) {
            match v {
                Some(v) => row.name = v,
                None => errors.push(required("name")),
            }
        }
        if let Some(v) = text(&input.region) {
            match v {
                Some(v) => row.region = v,
                None => errors.push(required("region")),
            }
        }
        if let Some(v) = text(&input.summary) {
            row.summary = v.unwrap_or_default();
        }
        for (field, raw, slot) in [
            ("period_start", &input.period_start, &mut row.period_start),
            ("period_end", &input.period_end, &mut row.period_end),
        ] {
            match text(raw) {
                Some(Some(v)) => {
                    if let Some(d) = parse_date(field, &v, errors) {
                        *slot = d;
                    }
                }
                // Blank when creating is reported as required by the caller.
                Some(None) if !creating => errors.push(required(field)),
                _ => {}
            }
        }
        for (field, raw, slot) in [
            ("total_budget", &input.total_budget, &mut row.total_budget),
            ("esf_support", &input.esf_support, &mut row.esf_support),
        ] {
            match text(raw) {
                Some(Some(v)) => {
                    if let Some(n) = parse_kronor(field, &v, errors) {
                        *slot = n;
                    }
                }
                Some(None) if !creating => errors.push(required(field)),
                _ => {}
            }
        }
        if let Some(raw) = &input.union_cofinancing_rate_pct {
            match parse_whole("union_cofinancing_rate_pct", raw, errors) {
                Some(Some(n)) if (0..=100).contains(&n) => {
                    row.union_cofinancing_rate_pct = Some(n as i32)
                }
                Some(Some(_)) => errors.push(FieldError::new(
                    "union_cofinancing_rate_pct",
                    Text::from_messages(|l| ProjectError::Rate.message(l)),
                )),
                Some(None) => row.union_cofinancing_rate_pct = None,
                None => {}
            }
        }
        if let Some(raw) = &input.planned_participants {
            match parse_whole("planned_participants", raw, errors) {
                Some(Some(n)) if (1..=1_000_000).contains(&n) => {
                    row.planned_participants = Some(n as i32)
                }
                Some(Some(_)) => errors.push(FieldError::new(
                    "planned_participants",
                    Text::from_messages(|l| ProjectError::Planned.message(l)),
                )),
                Some(None) => row.planned_participants = None,
                None => {}
            }
        }
        if let Some(p) = text(&input.phase) {
            match p.map(|p| ProjectPhase::from_code(&p)) {
                Some(Ok(p)) => row.phase = p,
                // Blank: a new project starts in mobilisation; an edit keeps the phase.
                None => {}
                Some(Err(_)) => errors.push(FieldError::new(
                    "phase",
                    Text::new("Välj projektets fas.", "Choose the project's phase."),
                )),
            }
        }
        if let Some(tg) = &input.target_group {
            let rules = tg.parse(errors);
            row.eligibility = (!rules.is_open() || rules.exceptions_allowed)
                .then(|| serde_json::to_string(&rules).unwrap_or_default());
        }
        // The domain's rules, each at its field, unless a field it compares could not be read.
        for e in facts_of(&row).validate() {
            let depends: &[&str] = match e {
                ProjectError::Period => &["period_start", "period_end"],
                ProjectError::Support => &["total_budget", "esf_support"],
                _ => &[e.field()],
            };
            if !errors.iter().any(|x| depends.contains(&x.field.as_str())) {
                errors.push(FieldError::new(
                    e.field(),
                    Text::from_messages(|l| e.message(l)),
                ));
            }
        }
        row
    }

    /// A project number and, within the organisation, a name belong to one project only.
    async fn check_unique(
        &self,
        tx: &mut stegvis_store::Tx,
        row: &ProjectRow,
        errors: &mut Vec<FieldError>,
    ) -> Result<()> {
        if let Some(n) = &row.number
            && !errors.iter().any(|e| e.field == "number")
            && tx
                .project_by_number(n)
                .await?
                .is_some_and(|p| p.id != row.id)
        {
            errors.push(FieldError::new(
                "number",
                Text::new(
                    format!("Det finns redan ett projekt med numret {n}."),
                    format!("There is already a project numbered {n}."),
                ),
            ));
        }
        let same_name = tx.projects().await?.into_iter().any(|p| {
            p.id != row.id
                && p.owner_org_id == row.owner_org_id
                && p.name.to_lowercase() == row.name.to_lowercase()
        });
        if same_name && !errors.iter().any(|e| e.field == "name") {
            errors.push(FieldError::new(
                "name",
                Text::new(
                    "Er organisation har redan ett projekt med det namnet.",
                    "Your organisation already has a project with that name.",
                ),
            ));
        }
        Ok(())
    }

    /// The partner and co-financing organisations and the municipalities the input names:
    /// each must exist (and an organisation is not the project's own owner).
    async fn resolve_links(
        &self,
        owner: Uuid,
        input: &ProjectInput,
        errors: &mut Vec<FieldError>,
    ) -> Result<Links> {
        let mut tx = self.store.begin_read().await?;
        let orgs = tx.organisations().await?;
        let known = tx.municipalities().await?;
        tx.commit().await?;
        let mut org_list = |field: &str, ids: &Option<Vec<String>>| -> Option<Vec<Uuid>> {
            let ids = ids.as_ref()?;
            let mut out = Vec::new();
            for raw in ids.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
                match Uuid::parse_str(raw)
                    .ok()
                    .filter(|id| *id != owner && orgs.iter().any(|o| o.id == *id))
                {
                    Some(id) if !out.contains(&id) => out.push(id),
                    Some(_) => {}
                    None => {
                        errors.push(FieldError::new(
                            field,
                            Text::new(
                                "Välj bland organisationerna i listan.",
                                "Choose among the organisations in the list.",
                            ),
                        ));
                        return None;
                    }
                }
            }
            Some(out)
        };
        let partners = org_list("partner_ids", &input.partner_ids);
        let cofinanciers = org_list("cofinancier_ids", &input.cofinancier_ids);
        let municipalities = match &input.municipalities {
            None => None,
            Some(entries) => {
                let mut codes = Vec::new();
                let mut unknown = Vec::new();
                for name in entries
                    .iter()
                    .flat_map(|e| e.split([',', ';', '\n']))
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                {
                    let lower = name.to_lowercase();
                    match known
                        .iter()
                        .find(|m| m.code == name || m.name.to_lowercase() == lower)
                    {
                        Some(m) if !codes.contains(&m.code) => codes.push(m.code.clone()),
                        Some(_) => {}
                        None => unknown.push(name.to_owned()),
                    }
                }
                if !unknown.is_empty() {
                    let list = unknown.join(", ");
                    errors.push(FieldError::new(
                        "municipalities",
                        Text::new(
                            format!("Okänd kommun: {list}. Skriv kommunens namn eller kod, till exempel Hässleholm eller 1293."),
                            format!("Unknown municipality: {list}. Write the municipality's name or code, for example Hässleholm or 1293."),
                        ),
                    ));
                }
                Some(codes)
            }
        };
        Ok(Links {
            partners,
            cofinanciers,
            municipalities,
        })
    }

    async fn write_links(
        &self,
        tx: &mut stegvis_store::Tx,
        project_id: Uuid,
        links: &Links,
    ) -> Result<()> {
        if let Some(ids) = &links.partners {
            tx.set_project_organisations(project_id, "partner", ids)
                .await?;
        }
        if let Some(ids) = &links.cofinanciers {
            tx.set_project_organisations(project_id, "cofinancier", ids)
                .await?;
        }
        if let Some(codes) = &links.municipalities {
            tx.set_project_municipalities(project_id, codes).await?;
        }
        Ok(())
    }
}
