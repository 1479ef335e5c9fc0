//! What the funder's reports are computed from: one row per enrolment in a project, with its
//! placements, follow-ups and attendance (personal data, through [`Audited`]); and the
//! project's goals (not personal data).

use crate::enrolment::EnrolmentRow;
use crate::follow_up::FollowUpRow;
use crate::{Audited, Result, Tx, exec, fetch_all};
use std::collections::{BTreeMap, HashMap};
use stegvis_domain::participant::IdentityMode;
use stegvis_domain::placement::{PlacementKind, PlacementStatus};
use stegvis_domain::report::{AfterSixMonths, GoalDefinition, OnLeaving, ReportRow};
use stegvis_domain::{Gender, IdentityKind, SealedIdentity};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// An enrolment with the person's gender and birth date.
#[derive(Clone, sqlx::FromRow)]
pub struct ReportEnrolment {
    #[sqlx(flatten)]
    pub enrolment: EnrolmentRow,
    pub gender: Gender,
    pub birth_date: Option<Date>,
    pub given_name: String,
    pub family_name: String,
    pub identity_mode: IdentityMode,
    identity_kind: Option<IdentityKind>,
    identity_enc: Option<Vec<u8>>,
    identity_hash: Option<Vec<u8>>,
}

impl ReportEnrolment {
    /// The participant's sealed identity number, if they have one.
    pub fn identity(&self) -> Result<Option<SealedIdentity>> {
        crate::participant::sealed_identity(
            self.identity_kind,
            self.identity_enc.clone(),
            self.identity_hash.clone(),
        )
    }
}

/// A placement as the reports see it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReportPlacement {
    pub participant_id: Uuid,
    pub kind: PlacementKind,
    pub status: PlacementStatus,
    pub offered_on: Date,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct GoalRow {
    pub id: Uuid,
    pub project_id: Uuid,
    pub name: String,
    pub definition: String,
    pub deadline: Option<Date>,
    pub position: i32,
    pub created_at: OffsetDateTime,
    /// Raised by every edit.
    pub version: i64,
    /// A retired goal is kept but no longer counted.
    pub retired_at: Option<OffsetDateTime>,
}

impl GoalRow {
    /// The goal's definition, as stored (JSON).
    pub fn definition(&self) -> Result<GoalDefinition> {
        serde_json::from_str(&self.definition)
            .map_err(|_| crate::StoreError::Corrupt("goals.definition".into()))
    }
}

/// Everything a report needs about some enrolments.
pub struct ReportData {
    pub enrolments: Vec<ReportEnrolment>,
    pub placements: Vec<ReportPlacement>,
    pub follow_ups: Vec<FollowUpRow>,
    /// (enrolment, month `YYYY-MM`, minutes attended in its project's activities during it)
    pub attendance: Vec<(Uuid, String, i64)>,
}

/// Which enrolments: those of an organisation in a project, or those of one participant (of
/// the organisation that holds their record).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scope {
    Project { project_id: Uuid, org_id: Uuid },
    Participant { participant_id: Uuid, org_id: Uuid },
}

impl Scope {
    fn binds(self) -> (Uuid, Uuid) {
        match self {
            Scope::Project { project_id, org_id } => (project_id, org_id),
            Scope::Participant {
                participant_id,
                org_id,
            } => (participant_id, org_id),
        }
    }

    /// The condition on `enrolments e` ($1, $2).
    fn enrolments(self) -> &'static str {
        match self {
            Scope::Project { .. } => "e.project_id = $1 AND e.org_id = $2",
            Scope::Participant { .. } => "e.participant_id = $1 AND e.org_id = $2",
        }
    }
}

impl Audited {
    /// The enrolments of `org_id` in a project, with what the reports need.
    pub async fn report_data(&mut self, project_id: Uuid, org_id: Uuid) -> Result<ReportData> {
        self.tx
            .report_data(Scope::Project { project_id, org_id })
            .await
    }
}

impl Tx {
    /// Read without an audit event only to keep the derived tallies (crate::tally) up to date.
    pub(crate) async fn report_data(&mut self, scope: Scope) -> Result<ReportData> {
        let (a, b) = scope.binds();
        let [enrolments, placements, follow_ups, attendance] =
            report_data_sql(scope, self.backend()).map(sqlx::AssertSqlSafe);
        let enrolments = fetch_all!(self, ReportEnrolment, enrolments, a, b)?;
        let placements = fetch_all!(self, ReportPlacement, placements, a, b)?;
        let follow_ups = fetch_all!(self, FollowUpRow, follow_ups, a, b)?;
        let attendance = fetch_all!(self, (Uuid, String, i64), attendance, a, b)?;
        Ok(ReportData {
            enrolments,
            placements,
            follow_ups,
            attendance,
        })
    }
}

fn yes(v: &Option<String>) -> bool {
    v.as_deref() == Some("yes")
}

impl ReportData {
    /// The domain's rows, one per enrolment in the order read (grouped by key first: a
    /// national roll-up has a million enrolments).
    pub fn rows(&self) -> Vec<ReportRow> {
        let mut placements: HashMap<Uuid, Vec<&ReportPlacement>> = HashMap::new();
        for p in &self.placements {
            placements.entry(p.participant_id).or_default().push(p);
        }
        let mut follow_ups: HashMap<(Uuid, &str), &FollowUpRow> = HashMap::new();
        for f in self.follow_ups.iter().filter(|f| f.done_on.is_some()) {
            follow_ups.insert((f.enrolment_id, f.kind.code()), f);
        }
        let mut attendance: HashMap<Uuid, BTreeMap<String, u64>> = HashMap::new();
        for (e, month, minutes) in &self.attendance {
            *attendance
                .entry(*e)
                .or_default()
                .entry(month.clone())
                .or_default() += (*minutes).max(0) as u64;
        }
        self.enrolments
            .iter()
            .map(|e| {
                let en = &e.enrolment;
                let within = |d: Date| d >= en.enrolled_on && en.exited_on.is_none_or(|x| d <= x);
                let mine: Vec<_> = placements
                    .get(&en.participant_id)
                    .map(|v| v.iter().filter(|p| within(p.offered_on)).collect())
                    .unwrap_or_default();
                let follow = |k: &str| follow_ups.get(&(en.id, k)).copied();
                ReportRow {
                    gender: e.gender,
                    birth_date: e.birth_date,
                    enrolled_on: en.enrolled_on,
                    exited_on: en.exited_on,
                    exit_status: en.exit_status,
                    baseline: en.baseline(),
                    offered: mine.iter().map(|p| p.kind).collect(),
                    started: mine
                        .iter()
                        .filter(|p| {
                            matches!(p.status, PlacementStatus::Started | PlacementStatus::Ended)
                        })
                        .map(|p| p.kind)
                        .collect(),
                    on_leaving: follow("immediate_result").and_then(|f| {
                        Some(OnLeaving {
                            done_on: f.done_on?,
                            job_searching: yes(&f.job_searching),
                            in_education: yes(&f.in_education),
                            gained_qualification: yes(&f.gained_qualification),
                            employed: yes(&f.employed),
                        })
                    }),
                    after_six_months: follow("day_180").and_then(|f| {
                        Some(AfterSixMonths {
                            done_on: f.done_on?,
                            employed: yes(&f.employed),
                            improved_situation: yes(&f.improved_situation),
                            social_assistance: f.social_assistance.as_deref().map(|v| v == "yes"),
                        })
                    }),
                    attended_by_month: attendance.get(&en.id).cloned().unwrap_or_default(),
                }
            })
            .collect()
    }
}

const GOAL_SELECT: &str = "SELECT id, project_id, name, definition, deadline, position, created_at,
    version, retired_at FROM goals";

impl Tx {
    /// The goals a project counts today (retired ones left out), in their order.
    pub async fn goals_of(&mut self, project_id: Uuid) -> Result<Vec<GoalRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{GOAL_SELECT} WHERE project_id = $1 AND retired_at IS NULL ORDER BY position, id"
        ));
        Ok(fetch_all!(self, GoalRow, sql, project_id)?)
    }

    /// Every goal of a project, retired ones included, in their order.
    pub async fn all_goals_of(&mut self, project_id: Uuid) -> Result<Vec<GoalRow>> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{GOAL_SELECT} WHERE project_id = $1 ORDER BY position, id"
        ));
        Ok(fetch_all!(self, GoalRow, sql, project_id)?)
    }

    pub async fn goal(&mut self, id: Uuid) -> Result<Option<GoalRow>> {
        let sql = sqlx::AssertSqlSafe(format!("{GOAL_SELECT} WHERE id = $1"));
        Ok(crate::fetch_optional!(self, GoalRow, sql, id)?)
    }

    /// A goal of the project with this name, retired or not (names are unique per project).
    pub async fn goal_named(&mut self, project_id: Uuid, name: &str) -> Result<Option<GoalRow>> {
        let sql = sqlx::AssertSqlSafe(format!("{GOAL_SELECT} WHERE project_id = $1 AND name = $2"));
        Ok(crate::fetch_optional!(
            self, GoalRow, sql, project_id, name
        )?)
    }

    /// The position after the project's last goal.
    pub async fn next_goal_position(&mut self, project_id: Uuid) -> Result<i32> {
        Ok(crate::fetch_scalar!(
            self,
            i64,
            "SELECT CAST(COALESCE(MAX(position), -1) + 1 AS BIGINT) FROM goals WHERE project_id = $1",
            project_id
        )? as i32)
    }

    /// Writes an edited or retired goal if it is still at `version` (its version is raised by
    /// one); false when someone changed it meanwhile.
    pub async fn update_goal(&mut self, g: &GoalRow, version: i64) -> Result<bool> {
        let n = exec!(
            self,
            "UPDATE goals SET name = $3, definition = $4, deadline = $5, retired_at = $6,
                version = version + 1
             WHERE id = $1 AND version = $2",
            g.id,
            version,
            &g.name,
            &g.definition,
            g.deadline,
            g.retired_at
        )?;
        Ok(n == 1)
    }

    /// Adds a goal unless the project has one of that name; true if added.
    pub async fn insert_goal(&mut self, g: &GoalRow) -> Result<bool> {
        let n = exec!(
            self,
            "INSERT INTO goals (id, project_id, name, definition, deadline, position, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
            g.id,
            g.project_id,
            &g.name,
            &g.definition,
            g.deadline,
            g.position,
            g.created_at
        )?;
        Ok(n == 1)
    }
}

/// The four queries of [`Tx::report_data`] (enrolments, placements, follow-ups done, attendance
/// by month), on `$1`, `$2` of the scope. For one participant (the tally refresh on every
/// write) they start from `enrolments_participant` and `placements_participant`.
pub(crate) fn report_data_sql(scope: Scope, backend: crate::Backend) -> [String; 4] {
    let cond = scope.enrolments();
    let month = match backend {
        crate::Backend::Sqlite => "substr(a.attended_on, 1, 7)",
        crate::Backend::Postgres => "to_char(a.attended_on, 'YYYY-MM')",
    };
    [
        format!(
            "SELECT e.org_id, e.id, e.participant_id, e.project_id, e.enrolled_on, e.labour_status,
                e.long_term_unemployed, e.months_without_work, e.in_education, e.isced_level,
                e.born_abroad, e.foreign_background, e.disability, e.homeless,
                e.jobless_household, e.dependent_children, e.single_adult_with_children,
                e.social_assistance, e.sick_leave, e.activity_compensation,
                e.registered_at_employment_service, e.exited_on, e.exit_status, e.coach_id,
                e.version, e.created_at, e.created_by, e.updated_at, p.gender, p.birth_date,
                p.given_name, p.family_name, p.identity_mode, p.identity_kind, p.identity_enc,
                p.identity_hash
             FROM enrolments e JOIN participants p ON p.id = e.participant_id
             WHERE {cond}
             ORDER BY e.enrolled_on, e.id"
        ),
        format!(
            "SELECT pl.participant_id, pl.kind, pl.status, pl.offered_on FROM placements pl
             WHERE pl.org_id = $2 AND pl.participant_id IN
                (SELECT e.participant_id FROM enrolments e WHERE {cond})"
        ),
        format!(
            "SELECT f.org_id, f.id, f.enrolment_id, f.participant_id, f.kind, f.due_on, f.done_on,
                f.job_searching, f.in_education, f.gained_qualification, f.employed,
                f.improved_situation, f.social_assistance, f.recorded_by, f.recorded_at
             FROM follow_ups f JOIN enrolments e ON e.id = f.enrolment_id
             WHERE {cond} AND f.done_on IS NOT NULL"
        ),
        format!(
            "SELECT e.id, {month}, CAST(SUM(a.minutes) AS BIGINT) FROM attendance a
             JOIN activities act ON act.id = a.activity_id
             JOIN enrolments e ON e.participant_id = a.participant_id
                AND e.project_id = act.project_id AND e.org_id = a.org_id
                AND a.attended_on >= e.enrolled_on
                AND (e.exited_on IS NULL OR a.attended_on <= e.exited_on)
             WHERE {cond}
             GROUP BY e.id, {month}"
        ),
    ]
}
