//! Collaboration teams (not personal data) and case conferences (personal data, through
//! [`Audited`]).

use crate::{Audited, Result, Tx, exec, fetch_all};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TeamRow {
    pub id: Uuid,
    /// The organisation that keeps the team.
    pub org_id: Uuid,
    pub name: String,
    pub project_id: Option<Uuid>,
    /// The people, one per line ("Name, title").
    pub members: String,
    pub created_at: OffsetDateTime,
    pub created_by: Option<Uuid>,
}

#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ConferenceRow {
    pub org_id: Uuid,
    pub id: Uuid,
    pub participant_id: Uuid,
    pub team_id: Option<Uuid>,
    pub held_on: Date,
    /// One attendee per line.
    pub attendees: String,
    pub minutes: String,
    pub created_at: OffsetDateTime,
    pub created_by: Option<Uuid>,
}

impl std::fmt::Debug for ConferenceRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConferenceRow")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl Tx {
    pub async fn insert_team(&mut self, t: &TeamRow, orgs: &[Uuid]) -> Result<()> {
        exec!(
            self,
            "INSERT INTO teams (id, org_id, name, project_id, members, created_at, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            t.id,
            t.org_id,
            &t.name,
            t.project_id,
            &t.members,
            t.created_at,
            t.created_by
        )?;
        for o in orgs {
            exec!(
                self,
                "INSERT INTO team_organisations (team_id, org_id) VALUES ($1, $2)
                 ON CONFLICT DO NOTHING",
                t.id,
                o
            )?;
        }
        Ok(())
    }

    /// The teams an organisation keeps or takes part in, by name.
    pub async fn teams_of(&mut self, org_id: Uuid) -> Result<Vec<TeamRow>> {
        Ok(fetch_all!(
            self,
            TeamRow,
            "SELECT id, org_id, name, project_id, members, created_at, created_by FROM teams
             WHERE org_id = $1
                OR id IN (SELECT team_id FROM team_organisations WHERE org_id = $1)
             ORDER BY name, id",
            org_id
        )?)
    }

    /// (team, organisation) for every member organisation of the given organisation's teams.
    pub async fn team_organisations_of(&mut self, org_id: Uuid) -> Result<Vec<(Uuid, Uuid)>> {
        Ok(fetch_all!(
            self,
            (Uuid, Uuid),
            "SELECT team_id, org_id FROM team_organisations WHERE team_id IN
                (SELECT id FROM teams WHERE org_id = $1
                 UNION SELECT team_id FROM team_organisations WHERE org_id = $1)",
            org_id
        )?)
    }
}

impl Audited {
    pub async fn insert_conference(&mut self, c: &ConferenceRow, steps: &[Uuid]) -> Result<()> {
        exec!(
            &mut self.tx,
            "INSERT INTO conferences (org_id, id, participant_id, team_id, held_on, attendees,
                minutes, created_at, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            c.org_id,
            c.id,
            c.participant_id,
            c.team_id,
            c.held_on,
            &c.attendees,
            &c.minutes,
            c.created_at,
            c.created_by
        )?;
        for s in steps {
            exec!(
                &mut self.tx,
                "INSERT INTO conference_steps (conference_id, plan_step_id) VALUES ($1, $2)",
                c.id,
                s
            )?;
        }
        Ok(())
    }

    pub async fn conferences_of(&mut self, participant_id: Uuid) -> Result<Vec<ConferenceRow>> {
        Ok(fetch_all!(
            &mut self.tx,
            ConferenceRow,
            "SELECT org_id, id, participant_id, team_id, held_on, attendees, minutes, created_at,
                    created_by
             FROM conferences WHERE participant_id = $1 ORDER BY held_on DESC, id DESC",
            participant_id
        )?)
    }

    /// (conference, plan step) for a participant's conferences.
    pub async fn conference_steps_of(&mut self, participant_id: Uuid) -> Result<Vec<(Uuid, Uuid)>> {
        Ok(fetch_all!(
            &mut self.tx,
            (Uuid, Uuid),
            "SELECT s.conference_id, s.plan_step_id FROM conference_steps s
             JOIN conferences c ON c.id = s.conference_id WHERE c.participant_id = $1",
            participant_id
        )?)
    }
}
