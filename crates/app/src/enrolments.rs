//! Enrolment use cases: enrol, correct the baseline (keeping history), exit.

use crate::error::{FieldError, Text};
use crate::gate::reject;
use crate::input::parse_date;
use crate::policy::{Action, RecordKind};
use crate::projects::ProjectRef;
use crate::{Actor, App, AppError, Result};
use serde::{Deserialize, Deserializer, Serialize};
use stegvis_domain::baseline::BaselineError;
use stegvis_domain::enrolment::{check_enrolment_date, check_exit_date};
use stegvis_domain::{Answer, Baseline, BaselineField, ExitStatus, LabourStatus};
use stegvis_store::enrolment::EnrolmentRow;
use stegvis_store::{Audited, StoreError};
use time::Date;
use utoipa::ToSchema;
use uuid::Uuid;

/// Accepts `"12"`, `12` or `null` for numeric form and JSON fields alike.
pub(crate) fn string_or_number<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        S(String),
        N(i64),
    }
    Ok(Option::<Raw>::deserialize(d)?.map(|r| match r {
        Raw::S(s) => s,
        Raw::N(n) => n.to_string(),
    }))
}

/// Baseline answers as typed in a form or sent as JSON. Every field is optional: when
/// correcting, an absent or null field keeps its answer and an empty string clears it.
#[derive(Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct BaselineInput {
    /// `unemployed`, `inactive` or `employed`.
    #[schema(schema_with = crate::openapi::optional_code::<stegvis_domain::LabourStatus>)]
    pub labour_status: Option<String>,
    /// `yes`, `no` (and `declined` for sensitive questions) for the answers below.
    #[schema(schema_with = crate::openapi::optional_yes_no)]
    pub long_term_unemployed: Option<String>,
    #[serde(deserialize_with = "string_or_number")]
    #[schema(schema_with = crate::openapi::optional_count::<600>)]
    pub months_without_work: Option<String>,
    #[schema(schema_with = crate::openapi::optional_yes_no)]
    pub in_education: Option<String>,
    /// ISCED 2011 level 0–8.
    #[serde(deserialize_with = "string_or_number")]
    #[schema(schema_with = crate::openapi::optional_count::<8>)]
    pub isced_level: Option<String>,
    #[schema(schema_with = crate::openapi::optional_code::<stegvis_domain::Answer>)]
    pub born_abroad: Option<String>,
    #[schema(schema_with = crate::openapi::optional_code::<stegvis_domain::Answer>)]
    pub foreign_background: Option<String>,
    #[schema(schema_with = crate::openapi::optional_code::<stegvis_domain::Answer>)]
    pub disability: Option<String>,
    #[schema(schema_with = crate::openapi::optional_code::<stegvis_domain::Answer>)]
    pub homeless: Option<String>,
    #[schema(schema_with = crate::openapi::optional_yes_no)]
    pub jobless_household: Option<String>,
    #[schema(schema_with = crate::openapi::optional_yes_no)]
    pub dependent_children: Option<String>,
    #[schema(schema_with = crate::openapi::optional_yes_no)]
    pub single_adult_with_children: Option<String>,
    #[schema(schema_with = crate::openapi::optional_yes_no)]
    pub social_assistance: Option<String>,
    #[schema(schema_with = crate::openapi::optional_yes_no)]
    pub sick_leave: Option<String>,
    #[schema(schema_with = crate::openapi::optional_yes_no)]
    pub activity_compensation: Option<String>,
    #[schema(schema_with = crate::openapi::optional_yes_no)]
    pub registered_at_employment_service: Option<String>,
}

fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn choose_message() -> Text {
    Text::new("Välj ett av alternativen.", "Choose one of the options.")
}

impl BaselineInput {
    fn raw_answer(&self, field: BaselineField) -> &Option<String> {
        use BaselineField as F;
        match field {
            F::LongTermUnemployed => &self.long_term_unemployed,
            F::InEducation => &self.in_education,
            F::BornAbroad => &self.born_abroad,
            F::ForeignBackground => &self.foreign_background,
            F::Disability => &self.disability,
            F::Homeless => &self.homeless,
            F::JoblessHousehold => &self.jobless_household,
            F::DependentChildren => &self.dependent_children,
            F::SingleAdultWithChildren => &self.single_adult_with_children,
            F::SocialAssistance => &self.social_assistance,
            F::SickLeave => &self.sick_leave,
            F::ActivityCompensation => &self.activity_compensation,
            F::RegisteredAtEmploymentService => &self.registered_at_employment_service,
            F::LabourStatus => &self.labour_status,
            F::MonthsWithoutWork => &self.months_without_work,
            F::IscedLevel => &self.isced_level,
        }
    }

    /// Parses every answer; collects an error per bad field (names prefixed with `prefix`).
    pub fn parse(&self, prefix: &str, errors: &mut Vec<FieldError>) -> Baseline {
        self.parse_onto(&Baseline::default(), prefix, errors)
    }

    /// Applies the answers to `base`: an absent (or null) answer keeps its value, an empty one
    /// clears it, any other is parsed. So a PATCH never erases what it does not mention.
    pub fn parse_onto(
        &self,
        base: &Baseline,
        prefix: &str,
        errors: &mut Vec<FieldError>,
    ) -> Baseline {
        let name = |f: BaselineField| format!("{prefix}{}", f.code());
        let mut b = base.clone();
        // None: keep; Some(None): clear; Some(Some(v)): parse v.
        let given = |field: BaselineField| {
            self.raw_answer(field)
                .as_deref()
                .map(|v| Some(v.trim()).filter(|v| !v.is_empty()))
        };
        match given(BaselineField::LabourStatus) {
            None => {}
            Some(None) => b.labour_status = None,
            Some(Some(v)) => match LabourStatus::from_code(v) {
                Ok(s) => b.labour_status = Some(s),
                Err(_) => errors.push(FieldError::new(
                    &name(BaselineField::LabourStatus),
                    choose_message(),
                )),
            },
        }
        for field in BaselineField::ALL.iter().copied().filter(|f| f.is_answer()) {
            match given(field) {
                None => {}
                Some(None) => b.set_answer(field, None),
                Some(Some(v)) => match Answer::from_code(v) {
                    Ok(a) => b.set_answer(field, Some(a)),
                    Err(_) => errors.push(FieldError::new(&name(field), choose_message())),
                },
            }
        }
        let number = |field: BaselineField,
                      max: u16,
                      current: Option<u16>,
                      errors: &mut Vec<FieldError>|
         -> Option<u16> {
            let v = match given(field) {
                None => return current,
                Some(None) => return None,
                Some(Some(v)) => v,
            };
            match v.parse::<u16>() {
                Ok(n) if n <= max => Some(n),
                _ => {
                    let err = if field == BaselineField::IscedLevel {
                        BaselineError::IscedOutOfRange
                    } else {
                        BaselineError::MonthsOutOfRange
                    };
                    errors.push(FieldError::new(
                        &name(field),
                        Text::from_messages(|l| err.message(l)),
                    ));
                    None
                }
            }
        };
        b.months_without_work = number(
            BaselineField::MonthsWithoutWork,
            600,
            b.months_without_work,
            errors,
        );
        b.isced_level = number(
            BaselineField::IscedLevel,
            8,
            b.isced_level.map(u16::from),
            errors,
        )
        .map(|n| n as u8);
        for e in b.validate() {
            let field = name(e.field());
            if !errors.iter().any(|x| x.field == field) {
                errors.push(FieldError::new(
                    &field,
                    Text::from_messages(|l| e.message(l)),
                ));
            }
        }
        b
    }
}

/// An enrolment as shown to those allowed to see it.
#[derive(Clone, Serialize, ToSchema)]
pub struct EnrolmentView {
    pub id: Uuid,
    pub participant_id: Uuid,
    pub project_id: Uuid,
    pub project_name: String,
    pub enrolled_on: Date,
    pub baseline: Baseline,
    /// Baseline questions the funder still needs answered.
    #[schema(value_type = Vec<stegvis_domain::BaselineField>)]
    pub missing_answers: Vec<BaselineField>,
    pub exited_on: Option<Date>,
    #[schema(value_type = Option<stegvis_domain::ExitStatus>)]
    pub exit_status: Option<ExitStatus>,
    /// How many times the enrolment was corrected; every earlier version is kept.
    pub corrections: i64,
    /// The coach responsible, if one is assigned.
    pub coach_id: Option<Uuid>,
    pub coach_name: Option<String>,
    /// Send it back with a correction to be told if someone else changed the enrolment meanwhile.
    pub version: i64,
    /// Why the participant was enrolled outside the project's target group, if they were.
    pub eligibility_exception: Option<String>,
}

pub(crate) fn set_baseline(row: &mut EnrolmentRow, b: &Baseline) {
    row.labour_status = b.labour_status;
    row.long_term_unemployed = b.long_term_unemployed;
    row.months_without_work = b.months_without_work.map(i32::from);
    row.in_education = b.in_education;
    row.isced_level = b.isced_level.map(i32::from);
    row.born_abroad = b.born_abroad;
    row.foreign_background = b.foreign_background;
    row.disability = b.disability;
    row.homeless = b.homeless;
    row.jobless_household = b.jobless_household;
    row.dependent_children = b.dependent_children;
    row.single_adult_with_children = b.single_adult_with_children;
    row.social_assistance = b.social_assistance;
    row.sick_leave = b.sick_leave;
    row.activity_compensation = b.activity_compensation;
    row.registered_at_employment_service = b.registered_at_employment_service;
}

/// A new enrolment row made by `actor` (baseline filled in by the caller).
pub(crate) fn new_row(
    org_id: Uuid,
    participant_id: Uuid,
    project_id: Uuid,
    enrolled_on: Date,
    actor: &Actor,
    now: time::OffsetDateTime,
) -> EnrolmentRow {
    EnrolmentRow {
        // Whoever enrols as a coach becomes the participant's coach in the project.
        coach_id: crate::policy::becomes_coach(actor).then_some(actor.user_id),
        created_by: Some(actor.user_id),
        ..blank_row(org_id, participant_id, project_id, enrolled_on, now)
    }
}

/// A new enrolment row with no answers, no coach and no author.
pub(crate) fn blank_row(
    org_id: Uuid,
    participant_id: Uuid,
    project_id: Uuid,
    enrolled_on: Date,
    now: time::OffsetDateTime,
) -> EnrolmentRow {
    EnrolmentRow {
        org_id,
        id: Uuid::now_v7(),
        participant_id,
        project_id,
        enrolled_on,
        labour_status: None,
        long_term_unemployed: None,
        months_without_work: None,
        in_education: None,
        isced_level: None,
        born_abroad: None,
        foreign_background: None,
        disability: None,
        homeless: None,
        jobless_household: None,
        dependent_children: None,
        single_adult_with_children: None,
        social_assistance: None,
        sick_leave: None,
        activity_compensation: None,
        registered_at_employment_service: None,
        exited_on: None,
        exit_status: None,
        coach_id: None,
        version: 1,
        created_at: now,
        created_by: None,
        updated_at: now,
    }
}

/// Input for enrolling an existing participant in a project.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct EnrolInput {
    #[schema(schema_with = crate::openapi::uuid, required = true)]
    pub project_id: String,
    /// `YYYY-MM-DD`.
    #[schema(schema_with = crate::openapi::date, required = true)]
    pub enrolled_on: String,
    pub baseline: BaselineInput,
    /// Why someone outside the project's target group is enrolled anyway, where the project
    /// allows exceptions.
    #[schema(schema_with = crate::openapi::optional_text::<2000>)]
    pub eligibility_exception: Option<String>,
}

/// Changes to an enrolment: the enrolment date and the baseline answers.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct EnrolmentUpdate {
    #[schema(schema_with = crate::openapi::optional_date)]
    pub enrolled_on: Option<String>,
    pub baseline: BaselineInput,
    /// The responsible coach's user id; absent keeps, `""` removes.
    #[schema(schema_with = crate::openapi::optional_uuid)]
    pub coach_id: Option<String>,
    /// The `version` the correction was made from; an enrolment changed since gets 409.
    pub version: Option<i64>,
}

/// Input for leaving a project.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ExitInput {
    /// `YYYY-MM-DD`.
    #[schema(schema_with = crate::openapi::date, required = true)]
    pub exited_on: String,
    /// One of the exit statuses (`work`, `studies`, …).
    #[schema(value_type = stegvis_domain::ExitStatus, required = true)]
    pub exit_status: String,
}

impl App {
    pub(crate) async fn enrolment_view(
        &self,
        tx: &mut stegvis_store::Audited,
        row: EnrolmentRow,
    ) -> Result<EnrolmentView> {
        let project_name = tx
            .project_name(row.project_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let corrections = tx.history_count(row.id).await?;
        let coach_name = match row.coach_id {
            Some(id) => tx.staff_user(id).await?.map(|u| u.name),
            None => None,
        };
        let baseline = row.baseline();
        let eligibility_exception = tx.enrolment_exception(row.id).await?.map(|x| x.reason);
        Ok(EnrolmentView {
            eligibility_exception,
            id: row.id,
            participant_id: row.participant_id,
            project_id: row.project_id,
            project_name,
            enrolled_on: row.enrolled_on,
            missing_answers: baseline.missing(),
            baseline,
            exited_on: row.exited_on,
            exit_status: row.exit_status,
            corrections,
            coach_id: row.coach_id,
            coach_name,
            version: row.version,
        })
    }

    /// Checks project and date of a new enrolment; collects field errors.
    pub(crate) fn check_enrolment(
        &self,
        projects: &[ProjectRef],
        project_id: &str,
        enrolled_on: &str,
        errors: &mut Vec<FieldError>,
    ) -> Option<(Uuid, Date)> {
        let project = match Uuid::parse_str(project_id.trim()) {
            Ok(id) if projects.iter().any(|p| p.id == id) => Some(id),
            _ => {
                errors.push(FieldError::new(
                    "project_id",
                    Text::new(
                        "Välj ett av de projekt som din organisation driver.",
                        "Choose one of the projects your organisation runs.",
                    ),
                ));
                None
            }
        };
        let date = parse_date("enrolled_on", enrolled_on, errors);
        if let Some(d) = date
            && let Err(e) = check_enrolment_date(d, self.today())
        {
            errors.push(FieldError::new(
                "enrolled_on",
                Text::from_messages(|l| e.message(l)),
            ));
            return None;
        }
        project.zip(date)
    }

    /// Enrols an existing participant in another project.
    pub async fn enrol(
        &self,
        actor: &Actor,
        participant_id: Uuid,
        input: &EnrolInput,
    ) -> Result<EnrolmentView> {
        // Projects first (no personal data, its own short transaction), then the gate: a record
        // the caller may not see is 404 whatever the body says.
        let projects = self.enrollable_projects(actor).await?;
        let rules = self
            .target_group_of(actor, Uuid::parse_str(input.project_id.trim()).ok())
            .await?
            .unwrap_or_default();
        let (mut tx, subject) = self
            .open_record(
                actor,
                participant_id,
                RecordKind::Enrolment,
                Action::Write,
                Some("enrol".into()),
            )
            .await?;
        let mut errors = Vec::new();
        let checked = self.check_enrolment(
            &projects,
            &input.project_id,
            &input.enrolled_on,
            &mut errors,
        );
        let baseline = input.baseline.parse("baseline.", &mut errors);
        let mut exception = None;
        if let Some((_, enrolled_on)) = checked {
            let birth = match tx.participant(participant_id).await? {
                Some(p) => p.birth_date,
                None => return reject(tx, AppError::NotFound).await,
            };
            exception = crate::eligibility::check(
                &rules,
                birth,
                enrolled_on,
                &baseline,
                input.eligibility_exception.as_deref(),
                "project_id",
                &mut errors,
            );
        }
        let Some((project_id, enrolled_on)) = checked.filter(|_| errors.is_empty()) else {
            return reject(tx, AppError::Invalid(errors)).await;
        };
        if tx
            .enrolments_of(participant_id)
            .await?
            .iter()
            .any(|e| e.project_id == project_id)
        {
            return reject(tx, already_enrolled()).await;
        }
        let mut row = new_row(
            subject.org_id,
            participant_id,
            project_id,
            enrolled_on,
            actor,
            self.now(),
        );
        set_baseline(&mut row, &baseline);
        tx.insert_enrolment(&row).await?;
        let mut tx = self
            .keep_exception(tx, actor, subject, row.id, exception)
            .await?;
        let view = self.enrolment_view(&mut tx, row).await?;
        self.commit(tx).await?;
        Ok(view)
    }

    async fn open_enrolment(
        &self,
        actor: &Actor,
        enrolment_id: Uuid,
        action: Action,
        detail: &str,
    ) -> Result<(stegvis_store::Audited, EnrolmentRow)> {
        let (_, participant_id) = self
            .store
            .enrolment_owner(enrolment_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (mut tx, _) = self
            .open_record(
                actor,
                participant_id,
                RecordKind::Enrolment,
                action,
                Some(format!("{detail} {enrolment_id}")),
            )
            .await?;
        let row = tx
            .enrolment(enrolment_id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok((tx, row))
    }

    pub async fn enrolment(&self, actor: &Actor, enrolment_id: Uuid) -> Result<EnrolmentView> {
        let (mut tx, row) = self
            .open_enrolment(actor, enrolment_id, Action::Read, "read")
            .await?;
        let view = self.enrolment_view(&mut tx, row).await?;
        self.commit(tx).await?;
        Ok(view)
    }

    pub async fn enrolments_of(
        &self,
        actor: &Actor,
        participant_id: Uuid,
    ) -> Result<Vec<EnrolmentView>> {
        let (mut tx, _) = self
            .open_record(
                actor,
                participant_id,
                RecordKind::Enrolment,
                Action::Read,
                None,
            )
            .await?;
        let rows = tx.enrolments_of(participant_id).await?;
        let mut views = Vec::with_capacity(rows.len());
        for row in rows {
            views.push(self.enrolment_view(&mut tx, row).await?);
        }
        self.commit(tx).await?;
        Ok(views)
    }

    /// Corrects the enrolment date or baseline; the earlier value is kept in the history.
    pub async fn update_enrolment(
        &self,
        actor: &Actor,
        enrolment_id: Uuid,
        input: &EnrolmentUpdate,
    ) -> Result<EnrolmentView> {
        let (mut tx, row) = self
            .open_enrolment(actor, enrolment_id, Action::Write, "update")
            .await?;
        if input.version.is_some_and(|v| v != row.version) {
            return reject(tx, StoreError::Stale.into()).await;
        }
        let mut errors = Vec::new();
        let baseline = input
            .baseline
            .parse_onto(&row.baseline(), "baseline.", &mut errors);
        let date = match present(&input.enrolled_on) {
            Some(v) => parse_date("enrolled_on", v, &mut errors),
            None => None,
        };
        if let Some(d) = date
            && let Err(e) = check_enrolment_date(d, self.today())
        {
            errors.push(FieldError::new(
                "enrolled_on",
                Text::from_messages(|l| e.message(l)),
            ));
        }
        let coach = match &input.coach_id {
            None => row.coach_id,
            Some(raw) => check_coach(&mut tx, row.org_id, raw, &mut errors).await?,
        };
        if !errors.is_empty() {
            return reject(tx, AppError::Invalid(errors)).await;
        }
        let mut updated = row.clone();
        updated.coach_id = coach;
        set_baseline(&mut updated, &baseline);
        if let Some(d) = date {
            updated.enrolled_on = d;
        }
        if let Some(exit) = updated.exited_on
            && exit < updated.enrolled_on
        {
            let err = AppError::field(
                "enrolled_on",
                Text::new(
                    "Inskrivningsdatumet kan inte vara efter avslutsdatumet.",
                    "The enrolment date cannot be after the exit date.",
                ),
            );
            return reject(tx, err).await;
        }
        updated.updated_at = self.now();
        if let Err(e) = tx.update_enrolment(&updated).await {
            return reject(tx, e.into()).await;
        }
        self.keep_history_of(&mut tx, actor, &row).await?;
        let view = self.enrolment_view(&mut tx, updated).await?;
        self.commit(tx).await?;
        Ok(view)
    }

    /// Keeps the enrolment as it was before a correction.
    async fn keep_history_of(
        &self,
        tx: &mut Audited,
        actor: &Actor,
        row: &EnrolmentRow,
    ) -> Result<()> {
        let owner = crate::history::Owner {
            org_id: row.org_id,
            participant_id: row.participant_id,
            record_id: row.id,
        };
        self.keep_history(tx, actor, RecordKind::Enrolment, owner, row)
            .await
    }

    /// Ends an enrolment with a date and an exit status.
    pub async fn exit(
        &self,
        actor: &Actor,
        enrolment_id: Uuid,
        input: &ExitInput,
    ) -> Result<EnrolmentView> {
        let (mut tx, row) = self
            .open_enrolment(actor, enrolment_id, Action::Write, "exit")
            .await?;
        let mut errors = Vec::new();
        let date = parse_date("exited_on", &input.exited_on, &mut errors);
        let status = match ExitStatus::from_code(input.exit_status.trim()) {
            Ok(s) => Some(s),
            Err(_) => {
                errors.push(FieldError::new(
                    "exit_status",
                    Text::new(
                        "Välj hur deltagaren avslutade.",
                        "Choose how the participant left.",
                    ),
                ));
                None
            }
        };
        let (Some(date), Some(status)) = (date, status) else {
            return reject(tx, AppError::Invalid(errors)).await;
        };
        if row.exited_on.is_some() {
            let err = AppError::Conflict(Text::new(
                "Inskrivningen är redan avslutad.",
                "The enrolment has already ended.",
            ));
            return reject(tx, err).await;
        }
        if let Err(e) = check_exit_date(row.enrolled_on, date, self.today()) {
            return reject(
                tx,
                AppError::field("exited_on", Text::from_messages(|l| e.message(l))),
            )
            .await;
        }
        let mut updated = row.clone();
        updated.exited_on = Some(date);
        updated.exit_status = Some(status);
        updated.updated_at = self.now();
        if let Err(e) = tx.update_enrolment(&updated).await {
            return reject(tx, e.into()).await;
        }
        self.keep_history_of(&mut tx, actor, &row).await?;
        // The follow-ups the exit sets in motion: the immediate result, 90 and 180 days.
        let subject = crate::policy::Subject {
            participant_id: row.participant_id,
            org_id: row.org_id,
        };
        tx = self
            .audit_also(tx, actor, subject, RecordKind::FollowUp, Action::Write)
            .await?;
        for f in crate::follow_ups::planned(&row, date) {
            tx.insert_follow_up(&f).await?;
        }
        let view = self.enrolment_view(&mut tx, updated).await?;
        self.commit(tx).await?;
        Ok(view)
    }
}

/// A coach to assign: empty for none, else an active coach or project manager of `org_id`.
async fn check_coach(
    tx: &mut Audited,
    org_id: Uuid,
    raw: &str,
    errors: &mut Vec<FieldError>,
) -> Result<Option<Uuid>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let user = match Uuid::parse_str(raw) {
        Ok(id) => tx.staff_user(id).await?,
        Err(_) => None,
    };
    let fits = user
        .as_ref()
        .is_some_and(|u| u.org_id == org_id && crate::users::may_coach(u));
    if !fits {
        errors.push(FieldError::new(
            "coach_id",
            Text::new(
                "Välj en coach i din organisation.",
                "Choose a coach in your organisation.",
            ),
        ));
        return Ok(None);
    }
    Ok(user.map(|u| u.id))
}

fn already_enrolled() -> AppError {
    AppError::Conflict(Text::new(
        "Deltagaren är redan inskriven i projektet.",
        "The participant is already enrolled in the project.",
    ))
}

impl std::fmt::Debug for EnrolmentView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Personal data never reaches logs: ids only.
        f.debug_struct("EnrolmentView")
            .field("id", &self.id)
            .field("participant_id", &self.participant_id)
            .field("project_id", &self.project_id)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for BaselineInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Personal data never reaches logs: ids only.
        f.debug_struct("BaselineInput").finish_non_exhaustive()
    }
}
