//! Enrolments with their ESF+ baseline and exit: personal data, reachable only through [`Audited`].

use crate::{Audited, Result, Store, exec, fetch_all, fetch_optional};
use stegvis_domain::baseline::{Answer, Baseline, LabourStatus};
use stegvis_domain::enrolment::ExitStatus;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

#[derive(Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct EnrolmentRow {
    pub org_id: Uuid,
    pub id: Uuid,
    pub participant_id: Uuid,
    pub project_id: Uuid,
    pub enrolled_on: Date,
    pub labour_status: Option<LabourStatus>,
    pub long_term_unemployed: Option<Answer>,
    pub months_without_work: Option<i32>,
    pub in_education: Option<Answer>,
    pub isced_level: Option<i32>,
    pub born_abroad: Option<Answer>,
    pub foreign_background: Option<Answer>,
    pub disability: Option<Answer>,
    pub homeless: Option<Answer>,
    pub jobless_household: Option<Answer>,
    pub dependent_children: Option<Answer>,
    pub single_adult_with_children: Option<Answer>,
    pub social_assistance: Option<Answer>,
    pub sick_leave: Option<Answer>,
    pub activity_compensation: Option<Answer>,
    pub registered_at_employment_service: Option<Answer>,
    pub exited_on: Option<Date>,
    pub exit_status: Option<ExitStatus>,
    /// The coach responsible (a user of the same organisation).
    pub coach_id: Option<Uuid>,
    /// Bumped by every update; an update names the version it read (optimistic locking).
    pub version: i64,
    pub created_at: OffsetDateTime,
    pub created_by: Option<Uuid>,
    pub updated_at: OffsetDateTime,
}

/// The columns of [`EnrolmentRow`].
macro_rules! enrolment_columns {
    () => {
        "org_id, id, participant_id, project_id, enrolled_on, labour_status,
        long_term_unemployed, months_without_work, in_education, isced_level, born_abroad,
        foreign_background, disability, homeless, jobless_household, dependent_children,
        single_adult_with_children, social_assistance, sick_leave, activity_compensation,
        registered_at_employment_service, exited_on, exit_status, coach_id, version, created_at,
        created_by, updated_at"
    };
}

pub(crate) const COLUMNS: &str = enrolment_columns!();
pub(crate) const SELECT: &str = concat!("SELECT ", enrolment_columns!(), " FROM enrolments");

impl EnrolmentRow {
    /// The ESF+ baseline, as the domain knows it.
    pub fn baseline(&self) -> Baseline {
        Baseline {
            labour_status: self.labour_status,
            long_term_unemployed: self.long_term_unemployed,
            months_without_work: self.months_without_work.map(|m| m as u16),
            in_education: self.in_education,
            isced_level: self.isced_level.map(|l| l as u8),
            born_abroad: self.born_abroad,
            foreign_background: self.foreign_background,
            disability: self.disability,
            homeless: self.homeless,
            jobless_household: self.jobless_household,
            dependent_children: self.dependent_children,
            single_adult_with_children: self.single_adult_with_children,
            social_assistance: self.social_assistance,
            sick_leave: self.sick_leave,
            activity_compensation: self.activity_compensation,
            registered_at_employment_service: self.registered_at_employment_service,
        }
    }
}

impl Store {
    /// Controlling organisation and participant of an enrolment id, for the gate's decision.
    pub async fn enrolment_owner(&self, id: Uuid) -> Result<Option<(Uuid, Uuid)>> {
        let mut tx = self.begin_read().await?;
        let row = fetch_optional!(
            &mut tx,
            (Uuid, Uuid),
            "SELECT org_id, participant_id FROM enrolments WHERE id = $1",
            id
        )?;
        tx.commit().await?;
        Ok(row)
    }
}

impl Audited {
    pub async fn insert_enrolment(&mut self, e: &EnrolmentRow) -> Result<()> {
        exec!(
            &mut self.tx,
            "INSERT INTO enrolments (org_id, id, participant_id, project_id, enrolled_on,
                labour_status, long_term_unemployed, months_without_work, in_education, isced_level,
                born_abroad, foreign_background, disability, homeless, jobless_household,
                dependent_children, single_adult_with_children, social_assistance, sick_leave,
                activity_compensation, registered_at_employment_service, exited_on, exit_status,
                version, created_at, created_by, updated_at, coach_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28)",
            e.org_id,
            e.id,
            e.participant_id,
            e.project_id,
            e.enrolled_on,
            e.labour_status.map(LabourStatus::code),
            e.long_term_unemployed.map(Answer::code),
            e.months_without_work,
            e.in_education.map(Answer::code),
            e.isced_level,
            e.born_abroad.map(Answer::code),
            e.foreign_background.map(Answer::code),
            e.disability.map(Answer::code),
            e.homeless.map(Answer::code),
            e.jobless_household.map(Answer::code),
            e.dependent_children.map(Answer::code),
            e.single_adult_with_children.map(Answer::code),
            e.social_assistance.map(Answer::code),
            e.sick_leave.map(Answer::code),
            e.activity_compensation.map(Answer::code),
            e.registered_at_employment_service.map(Answer::code),
            e.exited_on,
            e.exit_status.map(ExitStatus::code),
            e.version,
            e.created_at,
            e.created_by,
            e.updated_at,
            e.coach_id,
        )?;
        Ok(())
    }

    pub async fn enrolment(&mut self, id: Uuid) -> Result<Option<EnrolmentRow>> {
        let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE id = $1"));
        Ok(fetch_optional!(&mut self.tx, EnrolmentRow, sql, id)?)
    }

    pub async fn enrolments_of(&mut self, participant_id: Uuid) -> Result<Vec<EnrolmentRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE participant_id = $1 ORDER BY enrolled_on DESC, id"
        ));
        Ok(fetch_all!(&mut self.tx, EnrolmentRow, sql, participant_id)?)
    }

    /// Replaces the baseline answers, enrolment date and exit of an enrolment read at
    /// `e.version` (the caller keeps the earlier value in the history first).
    pub async fn update_enrolment(&mut self, e: &EnrolmentRow) -> Result<()> {
        let n = exec!(
            &mut self.tx,
            "UPDATE enrolments SET enrolled_on = $1, labour_status = $2, long_term_unemployed = $3,
                months_without_work = $4, in_education = $5, isced_level = $6, born_abroad = $7,
                foreign_background = $8, disability = $9, homeless = $10, jobless_household = $11,
                dependent_children = $12, single_adult_with_children = $13, social_assistance = $14,
                sick_leave = $15, activity_compensation = $16,
                registered_at_employment_service = $17, exited_on = $18, exit_status = $19,
                updated_at = $20, coach_id = $24, version = version + 1
             WHERE org_id = $21 AND id = $22 AND version = $23",
            e.enrolled_on,
            e.labour_status.map(LabourStatus::code),
            e.long_term_unemployed.map(Answer::code),
            e.months_without_work,
            e.in_education.map(Answer::code),
            e.isced_level,
            e.born_abroad.map(Answer::code),
            e.foreign_background.map(Answer::code),
            e.disability.map(Answer::code),
            e.homeless.map(Answer::code),
            e.jobless_household.map(Answer::code),
            e.dependent_children.map(Answer::code),
            e.single_adult_with_children.map(Answer::code),
            e.social_assistance.map(Answer::code),
            e.sick_leave.map(Answer::code),
            e.activity_compensation.map(Answer::code),
            e.registered_at_employment_service.map(Answer::code),
            e.exited_on,
            e.exit_status.map(ExitStatus::code),
            e.updated_at,
            e.org_id,
            e.id,
            e.version,
            e.coach_id,
        )?;
        if n == 0 {
            // Changed by someone else since it was read: refuse rather than overwrite.
            return Err(crate::StoreError::Stale);
        }
        Ok(())
    }
}

impl std::fmt::Debug for EnrolmentRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Personal data never reaches logs: ids only.
        f.debug_struct("EnrolmentRow")
            .field("org_id", &self.org_id)
            .field("id", &self.id)
            .field("participant_id", &self.participant_id)
            .field("project_id", &self.project_id)
            .finish_non_exhaustive()
    }
}

/// The written reason an enrolment was made outside the project's target group.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EnrolmentException {
    pub org_id: Uuid,
    pub enrolment_id: Uuid,
    pub reason: String,
    /// The rules not met, as codes (`age`, `labour_status`, …), comma-separated.
    pub criteria: String,
    pub created_at: time::OffsetDateTime,
    pub created_by: Option<Uuid>,
}

impl std::fmt::Debug for EnrolmentException {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The reason is about a person: never in logs.
        f.debug_struct("EnrolmentException")
            .field("enrolment_id", &self.enrolment_id)
            .field("criteria", &self.criteria)
            .finish_non_exhaustive()
    }
}

impl Audited {
    pub async fn insert_enrolment_exception(&mut self, x: &EnrolmentException) -> Result<()> {
        crate::exec!(
            &mut self.tx,
            "INSERT INTO enrolment_exceptions (org_id, enrolment_id, reason, criteria, created_at,
                created_by)
             VALUES ($1, $2, $3, $4, $5, $6)",
            x.org_id,
            x.enrolment_id,
            &x.reason,
            &x.criteria,
            x.created_at,
            x.created_by
        )?;
        Ok(())
    }

    /// The exception an enrolment was made under, if it was.
    pub async fn enrolment_exception(
        &mut self,
        enrolment_id: Uuid,
    ) -> Result<Option<EnrolmentException>> {
        Ok(crate::fetch_optional!(
            &mut self.tx,
            EnrolmentException,
            "SELECT org_id, enrolment_id, reason, criteria, created_at, created_by
             FROM enrolment_exceptions WHERE enrolment_id = $1",
            enrolment_id
        )?)
    }
}
