//! The operator's own jobs: `stegvis demo`, `stegvis bench report` (crate `stegvis-demo`), and
//! later imports at the machine. No user makes these writes, so no use case fits them; this is
//! their one door into the data, and it is narrow:
//! - personal data only in a system-audited transaction ([`App::system_job`]), opened by the
//!   gate: each one holds a `system:operator_import` event per organisation it writes to, in
//!   the same commit as the rows;
//! - identity numbers are sealed here ([`App::sealed_participant_row`]), so the key ring never
//!   leaves this crate;
//! - catalogue data (organisations, projects, activities, employers, goals, teams: no personal
//!   data) through [`Catalogue`], which offers the reads and writes these jobs need and never a
//!   raw transaction.

use crate::organisations::OrganisationView;
use crate::participants::Person;
use crate::{App, AppError, Result};
use stegvis_domain::{Baseline, Gender, IdentityInput, Role};
use stegvis_store::activity::ActivityRow;
use stegvis_store::collaboration::TeamRow;
use stegvis_store::enrolment::EnrolmentRow;
use stegvis_store::follow_up::FollowUpRow;
use stegvis_store::organisation::OrganisationRow;
use stegvis_store::participant::ParticipantRow;
use stegvis_store::placement::{OpenOpeningRow, OpeningRow, SupervisorRow, WorkplaceRow};
use stegvis_store::procurement::{AgreementRow, ClauseRow};
use stegvis_store::project::ProjectRow;
use stegvis_store::report::GoalRow;
use stegvis_store::schedule::ScheduleRow;
use stegvis_store::{Audited, Tx};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

impl App {
    /// Opens a system job's transaction on personal data, audited with the job's description
    /// (`detail`) as a write by the system into `org_id`'s data.
    pub async fn system_job(&self, detail: &str, org_id: Option<Uuid>) -> Result<Audited> {
        self.open_system_import(detail, org_id).await
    }

    /// Records in `job` that it also writes `org_id`'s data, so that organisation's auditor
    /// sees it too.
    pub async fn system_job_also(
        &self,
        job: &mut Audited,
        detail: &str,
        org_id: Option<Uuid>,
    ) -> Result<()> {
        job.record(&self.system_event(detail, org_id)).await?;
        Ok(())
    }

    /// A new participant's row as registration builds it (identity number encrypted and
    /// hashed), created by no user.
    pub fn sealed_participant_row(
        &self,
        id: Uuid,
        org_id: Uuid,
        identity: &IdentityInput,
        given_name: &str,
        family_name: &str,
        gender: Gender,
    ) -> ParticipantRow {
        let person = Person {
            identity,
            given_name,
            family_name,
            gender,
        };
        self.participant_row(&self.keys.ring(), id, org_id, &person, None)
    }

    /// An organisation by its name (the jobs know their organisations by name).
    pub async fn organisation_named(&self, name: &str) -> Result<Option<OrganisationView>> {
        self.organisation_by_name(name).await
    }

    /// Claims the database for the demo before it seeds anything: an empty database becomes
    /// the demo's, and one the demo made before stays so. A database set up for real, or one
    /// holding organisations, users, projects or participants the demo did not make, is
    /// refused, so demo accounts with their public password never land among real ones.
    pub async fn claim_for_demo(&self) -> Result<()> {
        let mut tx = self.store.begin().await?;
        let origin = tx.installation_origin().await?;
        let refused = match origin.as_deref() {
            Some("demo") => false,
            Some(_) => true,
            None => tx.holds_data().await?,
        };
        if refused {
            tx.rollback().await?;
            return Err(AppError::Conflict(crate::Text::new(
                "Databasen innehåller uppgifter som demot inte har skapat, så demot fyller den inte. \
                 Demot använder bara en tom databas eller en som demot själv har skapat. \
                 Välj en annan datamapp, till exempel --data-dir ./stegvis-demo.",
                "The database holds data the demo did not create, so the demo will not seed it. \
                 The demo uses only an empty database or one it created itself. \
                 Choose another data folder, for example --data-dir ./stegvis-demo.",
            )));
        }
        if origin.is_none() {
            tx.set_installation_origin("demo", self.now()).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Whether a user with this e-mail address exists.
    pub async fn has_user(&self, email: &str) -> Result<bool> {
        self.user_exists(email).await
    }

    /// Whether any participant exists (a job that seeds people runs on an empty database only).
    pub async fn has_participants(&self) -> Result<bool> {
        Ok(self.store.has_participants().await?)
    }

    /// Before a bulk load into an empty population: SQLite's indexes on it wait for the end
    /// (see [`stegvis_store::Store::bulk_load_start`]).
    pub async fn bulk_load_start(&self) -> Result<()> {
        Ok(self.store.bulk_load_start().await?)
    }

    /// After a bulk load, or at the start of one that may follow a load that stopped: creates
    /// the indexes the migrations make that are missing. Returns how many.
    pub async fn bulk_load_finish(&self) -> Result<usize> {
        Ok(self.store.bulk_load_finish().await?)
    }

    /// Where SQLite's schema differs from the one the migrations make, in words.
    pub async fn schema_differences(&self) -> Result<Vec<String>> {
        Ok(self.store.schema_differences().await?)
    }

    /// A transaction on catalogue data that may write.
    pub async fn catalogue(&self) -> Result<Catalogue> {
        Ok(Catalogue {
            tx: self.store.begin().await?,
        })
    }

    /// A transaction on catalogue data that only reads.
    pub async fn catalogue_read(&self) -> Result<Catalogue> {
        Ok(Catalogue {
            tx: self.store.begin_read().await?,
        })
    }
}

/// A new enrolment's row as enrolment builds it, with `baseline`, made by no user and with no
/// coach yet.
pub fn enrolment_row(
    org_id: Uuid,
    participant_id: Uuid,
    project_id: Uuid,
    enrolled_on: Date,
    baseline: &Baseline,
    now: OffsetDateTime,
) -> EnrolmentRow {
    let mut row =
        crate::enrolments::blank_row(org_id, participant_id, project_id, enrolled_on, now);
    crate::enrolments::set_baseline(&mut row, baseline);
    row
}

/// The follow-ups an exit on `exited_on` plans, as the exit use case plans them.
pub fn planned_follow_ups(enrolment: &EnrolmentRow, exited_on: Date) -> Vec<FollowUpRow> {
    crate::follow_ups::planned(enrolment, exited_on)
}

/// A transaction on catalogue data: organisations, projects and their activities, employers'
/// workplaces and openings, agreements, goals and teams. Nothing in it reads or writes a
/// participant's records.
pub struct Catalogue {
    tx: Tx,
}

impl Catalogue {
    pub async fn commit(self) -> Result<()> {
        Ok(self.tx.commit().await?)
    }

    pub async fn organisation(&mut self, id: Uuid) -> Result<Option<OrganisationRow>> {
        Ok(self.tx.organisation(id).await?)
    }

    pub async fn organisation_by_name(&mut self, name: &str) -> Result<Option<OrganisationRow>> {
        Ok(self.tx.organisation_by_name(name).await?)
    }

    /// The id of the user with this e-mail address (in any case).
    pub async fn user_id(&mut self, email: &str) -> Result<Option<Uuid>> {
        let user = self.tx.user_by_email(&email.to_lowercase()).await?;
        Ok(user.map(|u| u.id))
    }

    /// The ids of an organisation's users with `role`, by name.
    pub async fn staff_of(&mut self, org_id: Uuid, role: Role) -> Result<Vec<Uuid>> {
        Ok(self.tx.users_with_role(org_id, role).await?)
    }

    pub async fn projects(&mut self) -> Result<Vec<ProjectRow>> {
        Ok(self.tx.projects().await?)
    }

    pub async fn project_by_name(&mut self, name: &str) -> Result<Option<ProjectRow>> {
        Ok(self.tx.project_by_name(name).await?)
    }

    pub async fn insert_project(&mut self, p: &ProjectRow) -> Result<()> {
        Ok(self.tx.insert_project(p).await?)
    }

    /// Links a partner or co-financier (`relation`) to a project.
    pub async fn link_project_organisation(
        &mut self,
        project_id: Uuid,
        org_id: Uuid,
        relation: &str,
    ) -> Result<()> {
        Ok(self
            .tx
            .link_project_organisation(project_id, org_id, relation)
            .await?)
    }

    pub async fn link_project_municipality(&mut self, project_id: Uuid, code: &str) -> Result<()> {
        Ok(self.tx.link_project_municipality(project_id, code).await?)
    }

    pub async fn activities_of(&mut self, project_id: Uuid) -> Result<Vec<ActivityRow>> {
        Ok(self.tx.activities_of(project_id).await?)
    }

    pub async fn insert_activity(&mut self, a: &ActivityRow) -> Result<()> {
        Ok(self.tx.insert_activity(a).await?)
    }

    pub async fn insert_schedule(&mut self, s: &ScheduleRow) -> Result<()> {
        Ok(self.tx.insert_schedule(s).await?)
    }

    /// Adds a goal unless the project has one of that name; true if added.
    pub async fn insert_goal(&mut self, g: &GoalRow) -> Result<bool> {
        Ok(self.tx.insert_goal(g).await?)
    }

    pub async fn insert_team(&mut self, t: &TeamRow, orgs: &[Uuid]) -> Result<()> {
        Ok(self.tx.insert_team(t, orgs).await?)
    }

    pub async fn workplaces_of(&mut self, employer_org_id: Uuid) -> Result<Vec<WorkplaceRow>> {
        Ok(self.tx.workplaces_of(employer_org_id).await?)
    }

    pub async fn insert_workplace(&mut self, w: &WorkplaceRow) -> Result<()> {
        Ok(self.tx.insert_workplace(w).await?)
    }

    pub async fn open_openings(&mut self, limit: i64) -> Result<Vec<OpenOpeningRow>> {
        Ok(self.tx.open_openings(limit).await?)
    }

    pub async fn insert_opening(&mut self, o: &OpeningRow) -> Result<()> {
        Ok(self.tx.insert_opening(o).await?)
    }

    pub async fn supervisors(&mut self) -> Result<Vec<SupervisorRow>> {
        Ok(self.tx.supervisors().await?)
    }

    pub async fn insert_agreement(&mut self, a: &AgreementRow) -> Result<()> {
        Ok(self.tx.insert_agreement(a).await?)
    }

    pub async fn insert_clause(&mut self, c: &ClauseRow) -> Result<()> {
        Ok(self.tx.insert_clause(c).await?)
    }
}
