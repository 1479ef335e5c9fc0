//! The project's report to the funder: its goals evaluated live by gender, and the ESF+ common
//! indicators with the completeness rule. Counted over the enrolments of the caller's
//! organisation in a project it runs (a search, audited as one).

use crate::policy::RecordKind;
use crate::{Actor, App, AppError, Result};
use serde::Serialize;
use stegvis_domain::Gender;
use stegvis_domain::enrolment::ExitStatus;
use stegvis_domain::placement::PlacementKind;
use stegvis_domain::report::{
    AfterSixMonths, BySex, GoalDefinition, IndicatorSet, OnLeaving, ReportRow,
};
use stegvis_store::participant::Visibility;
use stegvis_store::report::{GoalRow, ReportData};
use time::Date;
use utoipa::ToSchema;
use uuid::Uuid;

/// A goal and how far it has come.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GoalView {
    pub id: Uuid,
    pub name: String,
    /// The definition (`measure`: `count` or `share`, `who`, `of`, `target` or `percent`).
    #[schema(value_type = Object)]
    pub definition: serde_json::Value,
    #[schema(value_type = Option<String>, format = Date)]
    pub deadline: Option<Date>,
    #[schema(value_type = Object)]
    pub achieved: BySex,
    /// The base of a share goal: those it is a share of.
    #[schema(value_type = Object)]
    pub base: BySex,
    /// How many it takes to meet the goal today.
    pub needed: u64,
    pub met: bool,
    /// Achieved as a percentage of what is needed (capped at 100).
    pub progress_percent: u8,
}

/// One indicator's count.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorLine {
    pub code: String,
    pub name_sv: String,
    pub name_en: String,
    #[schema(value_type = Object)]
    pub count: BySex,
}

/// A participant left out of the indicators until their baseline is complete.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IncompleteParticipant {
    pub participant_id: Uuid,
    pub enrolment_id: Uuid,
    pub name: String,
}

/// A count by gender under a label (a month, an exit status).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LabelledCount {
    pub label: String,
    #[schema(value_type = Object)]
    pub count: BySex,
}

/// The project's money and time: budget, ESF support and co-financing (from the project's
/// facts), cost per participant enrolled, and attendance in whole hours.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MoneyAndTime {
    pub total_budget_sek: i64,
    pub esf_support_sek: i64,
    /// The budget not covered by ESF support.
    pub cofinancing_sek: i64,
    /// The budget per participant enrolled so far (none before the first).
    pub cost_per_participant_sek: Option<i64>,
    /// Attendance in the project's activities: each participant's time rounded down to whole
    /// hours, summed.
    pub whole_hours: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProjectReport {
    pub project_id: Uuid,
    pub project_name: String,
    pub goals: Vec<GoalView>,
    /// `esf_plus` (2021–2027) or `esf_2014_2020`: the common indicators of the project's
    /// programme period.
    pub indicator_set: String,
    pub indicators: Vec<IndicatorLine>,
    /// Enrolments counted, and those left out by the completeness rule.
    #[schema(value_type = Object)]
    pub counted: BySex,
    #[schema(value_type = Object)]
    pub incomplete: BySex,
    pub incomplete_participants: Vec<IncompleteParticipant>,
    /// Enrolments per month (`YYYY-MM`), and exits per exit status.
    pub enrolments_by_month: Vec<LabelledCount>,
    pub exits_by_status: Vec<LabelledCount>,
    pub money: MoneyAndTime,
    /// Receiving social assistance at entry, asked again six months after leaving, and still
    /// receiving it then (the seeds' goal of fewer costs of social assistance).
    #[schema(value_type = Object)]
    pub social_assistance: stegvis_domain::report::SocialAssistance,
}

fn yes(v: &Option<String>) -> bool {
    v.as_deref() == Some("yes")
}

/// The domain's rows from the store's, one per enrolment (grouped by key first: a national
/// roll-up has a million enrolments).
fn rows(data: &ReportData) -> Vec<ReportRow> {
    use std::collections::HashMap;
    let mut placements: HashMap<Uuid, Vec<&stegvis_store::report::ReportPlacement>> =
        HashMap::new();
    for p in &data.placements {
        placements.entry(p.participant_id).or_default().push(p);
    }
    let mut follow_ups: HashMap<(Uuid, &str), &stegvis_store::follow_up::FollowUpRow> =
        HashMap::new();
    for f in data.follow_ups.iter().filter(|f| f.done_on.is_some()) {
        follow_ups.insert((f.enrolment_id, f.kind.as_str()), f);
    }
    let minutes: HashMap<Uuid, i64> = data.minutes.iter().copied().collect();
    data.enrolments
        .iter()
        .map(|e| {
            let en = &e.enrolment;
            let within = |d: Date| d >= en.enrolled_on && en.exited_on.is_none_or(|x| d <= x);
            let mine: Vec<_> = placements
                .get(&en.participant_id)
                .map(|v| v.iter().filter(|p| within(p.offered_on)).collect())
                .unwrap_or_default();
            let kind = |k: &str| PlacementKind::from_code(k).ok();
            let follow = |k: &str| follow_ups.get(&(en.id, k)).copied();
            ReportRow {
                gender: Gender::from_code(&e.gender).unwrap_or(Gender::NonBinary),
                birth_date: e.birth_date,
                enrolled_on: en.enrolled_on,
                exited_on: en.exited_on,
                exit_status: en
                    .exit_status
                    .as_deref()
                    .and_then(|s| ExitStatus::from_code(s).ok()),
                baseline: crate::enrolments::baseline_of(en),
                offered: mine.iter().filter_map(|p| kind(&p.kind)).collect(),
                started: mine
                    .iter()
                    .filter(|p| matches!(p.status.as_str(), "started" | "ended"))
                    .filter_map(|p| kind(&p.kind))
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
                attended_minutes: minutes
                    .get(&en.participant_id)
                    .map_or(0, |m| (*m).max(0) as u64),
            }
        })
        .collect()
}

fn goal_view(g: &GoalRow, rows: &[ReportRow]) -> Result<GoalView> {
    let def: GoalDefinition = serde_json::from_str(&g.definition)
        .map_err(|e| AppError::Internal(format!("goal {}: {e}", g.id)))?;
    let p = def.evaluate(rows);
    let progress_percent = (p.achieved.total() * 100)
        .checked_div(p.needed)
        .map_or(100, |v| v.min(100) as u8);
    Ok(GoalView {
        id: g.id,
        name: g.name.clone(),
        definition: serde_json::to_value(&def).unwrap_or_default(),
        deadline: g.deadline,
        achieved: p.achieved,
        base: p.base,
        needed: p.needed,
        met: p.met,
        progress_percent,
    })
}

/// One participant a goal counts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GoalParticipant {
    pub participant_id: Uuid,
    pub name: String,
    pub gender: String,
}

/// One line of the funder's participant file: the ESF+ participant fields of one enrolment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ParticipantFileRow {
    /// The personnummer or samordningsnummer (`YYYYMMDD-NNNN`); empty for protected identity
    /// or none.
    pub identity_number: String,
    pub identity_mode: String,
    pub gender: String,
    #[schema(value_type = Option<String>, format = Date)]
    pub birth_date: Option<Date>,
    #[schema(value_type = String, format = Date)]
    pub entry_date: Date,
    #[schema(value_type = Option<String>, format = Date)]
    pub exit_date: Option<Date>,
    pub exit_status: Option<String>,
    pub labour_status: Option<String>,
    pub long_term_unemployed: Option<String>,
    pub in_education: Option<String>,
    pub isced_level: Option<u8>,
    pub disability: Option<String>,
    pub foreign_background: Option<String>,
    pub homeless: Option<String>,
    /// Counted in the indicators (the completeness rule).
    pub complete: bool,
    /// Results on leaving (within 4 weeks) and six months after, where recorded in time.
    pub on_leaving: Option<[bool; 4]>,
    pub after_six_months: Option<[bool; 2]>,
}

impl App {
    /// The funder's participant file for a project: one line per enrolment of the caller's
    /// organisation, identity numbers included. Every participant in it gets an audit event of
    /// their own, so that the export shows in their access log.
    pub async fn participant_file(
        &self,
        actor: &Actor,
        project_id: Uuid,
    ) -> Result<Vec<ParticipantFileRow>> {
        self.project(actor, project_id).await?;
        if !self.manages_activities(actor, project_id).await? {
            return Err(AppError::NotFound);
        }
        let (mut tx, visibility) = self
            .open_search(
                actor,
                RecordKind::Enrolment,
                Some(format!("participant file {project_id}")),
            )
            .await?;
        let Visibility::Organisation(org) = visibility else {
            tx.commit().await?;
            return Err(AppError::Forbidden);
        };
        let data = tx.report_data(project_id, org).await?;
        let now = self.now();
        let mut seen = std::collections::HashSet::new();
        for e in &data.enrolments {
            if seen.insert(e.enrolment.participant_id) {
                let event = crate::policy::audit_event(
                    actor,
                    Some(e.enrolment.participant_id),
                    RecordKind::Participant,
                    crate::policy::Action::Read,
                    &crate::policy::Ground::OwnOrganisation(actor.role),
                    now,
                    Some(format!("participant file {project_id}")),
                );
                tx.record(&event).await?;
            }
        }
        tx.commit().await?;
        let rows = rows(&data);
        let mut out = Vec::with_capacity(rows.len());
        for (e, r) in data.enrolments.iter().zip(&rows) {
            let id = e.enrolment.participant_id;
            let identity_number = match &e.identity_enc {
                Some(enc) => {
                    let digits = self.keys.decrypt(enc, id.as_bytes())?;
                    let digits = String::from_utf8(digits)
                        .map_err(|_| AppError::Internal("identity not utf-8".into()))?;
                    stegvis_domain::IdentityNumber::parse(&digits, self.today())
                        .map(|n| n.formatted())
                        .unwrap_or_default()
                }
                None => String::new(),
            };
            let b = &r.baseline;
            let code = |a: Option<stegvis_domain::baseline::Answer>| a.map(|a| a.code().to_owned());
            let on_leaving = r.on_leaving_in_window().map(|f| {
                [
                    f.job_searching,
                    f.in_education,
                    f.gained_qualification,
                    f.employed,
                ]
            });
            let after_six_months = r
                .six_months_in_window()
                .map(|f| [f.employed, f.improved_situation]);
            out.push(ParticipantFileRow {
                identity_number,
                identity_mode: e.identity_mode.clone(),
                gender: e.gender.clone(),
                birth_date: r.birth_date,
                entry_date: r.enrolled_on,
                exit_date: r.exited_on,
                exit_status: r.exit_status.map(|s| s.code().to_owned()),
                labour_status: b.labour_status.map(|s| s.code().to_owned()),
                long_term_unemployed: code(b.long_term_unemployed),
                in_education: code(b.in_education),
                isced_level: b.isced_level,
                disability: code(b.disability),
                foreign_background: code(b.foreign_background),
                homeless: code(b.homeless),
                complete: r.is_complete(),
                on_leaving,
                after_six_months,
            });
        }
        Ok(out)
    }

    /// The rows of the caller's organisation in a project it runs, read as an audited search.
    async fn report_data(
        &self,
        actor: &Actor,
        project_id: Uuid,
        detail: String,
    ) -> Result<ReportData> {
        let (mut tx, visibility) = self
            .open_search(actor, RecordKind::Enrolment, Some(detail))
            .await?;
        let Visibility::Organisation(org) = visibility else {
            tx.commit().await?;
            return Err(AppError::Forbidden);
        };
        let data = tx.report_data(project_id, org).await?;
        tx.commit().await?;
        Ok(data)
    }

    /// The participants behind a goal's number: those it counts (the goal's name too).
    pub async fn goal_participants(
        &self,
        actor: &Actor,
        project_id: Uuid,
        goal_id: Uuid,
    ) -> Result<(String, Vec<GoalParticipant>)> {
        self.project(actor, project_id).await?;
        if !self.manages_activities(actor, project_id).await? {
            return Err(AppError::NotFound);
        }
        let goal = {
            let mut tx = self.store.begin_read().await?;
            let g = tx.goals_of(project_id).await?;
            tx.commit().await?;
            g.into_iter()
                .find(|g| g.id == goal_id)
                .ok_or(AppError::NotFound)?
        };
        let def: GoalDefinition = serde_json::from_str(&goal.definition)
            .map_err(|e| AppError::Internal(format!("goal {}: {e}", goal.id)))?;
        let data = self
            .report_data(actor, project_id, format!("goal participants {goal_id}"))
            .await?;
        let rows = rows(&data);
        let mut list: Vec<GoalParticipant> = data
            .enrolments
            .iter()
            .zip(&rows)
            .filter(|(_, r)| def.counts(r))
            .map(|(e, _)| GoalParticipant {
                participant_id: e.enrolment.participant_id,
                name: format!("{} {}", e.given_name, e.family_name),
                gender: e.gender.clone(),
            })
            .collect();
        list.sort_by(|a, b| {
            a.name
                .cmp(&b.name)
                .then(a.participant_id.cmp(&b.participant_id))
        });
        Ok((goal.name, list))
    }

    /// The project's goals and indicators, for the staff of the organisation that runs it.
    pub async fn project_report(&self, actor: &Actor, project_id: Uuid) -> Result<ProjectReport> {
        let project = self.project(actor, project_id).await?;
        if !self.manages_activities(actor, project_id).await? {
            return Err(AppError::NotFound);
        }
        let goals = {
            let mut tx = self.store.begin_read().await?;
            let g = tx.goals_of(project_id).await?;
            tx.commit().await?;
            g
        };
        let data = self
            .report_data(actor, project_id, format!("project report {project_id}"))
            .await?;
        let rows = rows(&data);
        let set = IndicatorSet::for_project_start(project.facts.period_start);
        let (counts, incomplete) = set.count(&rows);
        let mut counted = BySex::default();
        for r in rows.iter().filter(|r| r.is_complete()) {
            counted.add(r.gender);
        }
        let incomplete_participants = data
            .enrolments
            .iter()
            .zip(&rows)
            .filter(|(_, r)| !r.is_complete())
            .map(|(e, _)| IncompleteParticipant {
                participant_id: e.enrolment.participant_id,
                enrolment_id: e.enrolment.id,
                name: format!("{} {}", e.given_name, e.family_name),
            })
            .collect();
        let mut months: std::collections::BTreeMap<String, BySex> = Default::default();
        let mut exits: Vec<LabelledCount> = ExitStatus::ALL
            .iter()
            .map(|s| LabelledCount {
                label: s.code().to_owned(),
                count: BySex::default(),
            })
            .collect();
        for r in &rows {
            let m = format!(
                "{:04}-{:02}",
                r.enrolled_on.year(),
                r.enrolled_on.month() as u8
            );
            months.entry(m).or_default().add(r.gender);
            if let (Some(_), Some(s)) = (r.exited_on, r.exit_status)
                && let Some(e) = exits.iter_mut().find(|e| e.label == s.code())
            {
                e.count.add(r.gender);
            }
        }
        let enrolled = rows.len() as i64;
        let f = &project.facts;
        let money = MoneyAndTime {
            total_budget_sek: f.total_budget.0,
            esf_support_sek: f.esf_support.0,
            cofinancing_sek: f.total_budget.0 - f.esf_support.0,
            cost_per_participant_sek: f.total_budget.0.checked_div(enrolled),
            whole_hours: rows.iter().map(|r| r.attended_minutes / 60).sum(),
        };
        Ok(ProjectReport {
            social_assistance: stegvis_domain::report::social_assistance(&rows),
            enrolments_by_month: months
                .into_iter()
                .map(|(label, count)| LabelledCount { label, count })
                .collect(),
            exits_by_status: exits.into_iter().filter(|e| e.count.total() > 0).collect(),
            money,
            project_id,
            project_name: project.facts.name,
            goals: goals
                .iter()
                .map(|g| goal_view(g, &rows))
                .collect::<Result<_>>()?,
            indicator_set: match set {
                IndicatorSet::EsfPlus => "esf_plus",
                IndicatorSet::Esf2014 => "esf_2014_2020",
            }
            .to_owned(),
            indicators: counts
                .into_iter()
                .map(|(code, sv, en, count)| IndicatorLine {
                    code: code.to_owned(),
                    name_sv: sv.to_owned(),
                    name_en: en.to_owned(),
                    count,
                })
                .collect(),
            counted,
            incomplete,
            incomplete_participants,
        })
    }
}

/// The same report over several projects: those the caller's organisation runs, optionally only
/// those working in one municipality.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RollUp {
    pub municipality: Option<String>,
    /// Every municipality the organisation's projects name (for choosing).
    pub municipalities: Vec<String>,
    /// Per project: id, name, and its indicators.
    pub projects: Vec<RollUpProject>,
    /// The indicators summed over the projects (a person enrolled in two counts twice, as in
    /// the funder's per-project reporting).
    pub indicators: Vec<IndicatorLine>,
    #[schema(value_type = Object)]
    pub incomplete: BySex,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RollUpProject {
    pub project_id: Uuid,
    pub name: String,
    pub indicators: Vec<IndicatorLine>,
    #[schema(value_type = Object)]
    pub incomplete: BySex,
}

fn add(a: &mut BySex, b: &BySex) {
    a.women += b.women;
    a.men += b.men;
    a.non_binary += b.non_binary;
}

impl App {
    /// The regional roll-up: every project the caller's organisation runs (in `municipality`,
    /// when given), each as in its own report, and their sum.
    pub async fn rollup(&self, actor: &Actor, municipality: Option<&str>) -> Result<RollUp> {
        if !matches!(
            actor.role,
            stegvis_domain::Role::Coach | stegvis_domain::Role::ProjectManager
        ) {
            return Err(AppError::Forbidden);
        }
        // The projects its organisation runs, read once.
        let own: Vec<Uuid> = self
            .enrollable_projects(actor)
            .await?
            .iter()
            .map(|p| p.id)
            .collect();
        let ours: Vec<_> = self
            .projects(actor)
            .await?
            .into_iter()
            .filter(|p| own.contains(&p.id))
            .collect();
        let mut municipalities: Vec<String> =
            ours.iter().flat_map(|p| p.municipalities.clone()).collect();
        municipalities.sort();
        municipalities.dedup();
        let municipality = municipality.map(str::trim).filter(|m| !m.is_empty());
        if let Some(m) = municipality
            && !municipalities.iter().any(|x| x == m)
        {
            return Err(AppError::field(
                "municipality",
                crate::Text::new(
                    "Välj en kommun som något av era projekt arbetar i.",
                    "Choose a municipality one of your projects works in.",
                ),
            ));
        }
        let mut projects = Vec::new();
        let mut total: Vec<IndicatorLine> = Vec::new();
        let mut incomplete = BySex::default();
        for p in ours
            .iter()
            .filter(|p| municipality.is_none_or(|m| p.municipalities.iter().any(|x| x == m)))
        {
            let r = self.project_report(actor, p.id).await?;
            // Projects of both programme periods: each indicator sums where it is reported.
            for i in &r.indicators {
                match total.iter_mut().find(|t| t.code == i.code) {
                    Some(t) => add(&mut t.count, &i.count),
                    None => total.push(i.clone()),
                }
            }
            add(&mut incomplete, &r.incomplete);
            projects.push(RollUpProject {
                project_id: p.id,
                name: r.project_name,
                indicators: r.indicators,
                incomplete: r.incomplete,
            });
        }
        Ok(RollUp {
            municipality: municipality.map(str::to_owned),
            municipalities,
            projects,
            indicators: total,
            incomplete,
        })
    }
}
