//! The project's report to the funder: its goals evaluated live by gender, and the ESF+ common
//! indicators with the completeness rule. Counted over the enrolments of the caller's
//! organisation in a project it runs (a search, audited as one).

use crate::policy::{Action, Function, RecordKind, Request, Subject};
use crate::{Actor, App, AppError, Result};
use serde::Serialize;
use stegvis_domain::money::{AmountError, Ore};
use stegvis_domain::report::tally::Tally;
use stegvis_domain::report::{BySex, IndicatorSet};
use stegvis_store::report::{GoalRow, ReportData};
use stegvis_store::tally::IncompleteRow;
use time::Date;
use utoipa::ToSchema;
use uuid::Uuid;

/// A goal and how far it has come.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GoalView {
    pub id: Uuid,
    pub name: String,
    /// The definition (`measure`: `count` or `share`, `who`, `of`, `target` or `percent`).
    #[schema(value_type = stegvis_domain::report::GoalDefinition)]
    pub definition: serde_json::Value,
    pub deadline: Option<Date>,
    pub achieved: BySex,
    /// The base of a share goal: those it is a share of.
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
    /// Attendance in the project's activities in whole hours: each participant's month rounded
    /// down, summed (the funder's rule), in all and per month (`YYYY-MM`).
    pub whole_hours: u64,
    pub hours_by_month: Vec<LabelledCount>,
    /// The value of one participant hour the project reports as co-financing (öre), once the
    /// project manager has set it.
    pub participant_hour_value_ore: Option<i64>,
    /// Whole hours times that value, in whole kronor rounded down.
    pub participant_time_value_sek: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProjectReport {
    pub project_id: Uuid,
    pub project_name: String,
    pub goals: Vec<GoalView>,
    /// `esf_plus` (2021–2027) or `esf_2014_2020`: the common indicators of the project's
    /// programme period.
    #[schema(schema_with = crate::openapi::indicator_set)]
    pub indicator_set: String,
    pub indicators: Vec<IndicatorLine>,
    /// Enrolments counted, and those left out by the completeness rule.
    pub counted: BySex,
    pub incomplete: BySex,
    /// Those not yet counted, the longest enrolled first (at most [`INCOMPLETE_LISTED`]).
    pub incomplete_participants: Vec<IncompleteParticipant>,
    /// Enrolments per month (`YYYY-MM`), and exits per exit status.
    pub enrolments_by_month: Vec<LabelledCount>,
    pub exits_by_status: Vec<LabelledCount>,
    pub money: MoneyAndTime,
    /// Receiving social assistance at entry, asked again six months after leaving, and still
    /// receiving it then (the seeds' goal of fewer costs of social assistance).
    pub social_assistance: stegvis_domain::report::SocialAssistance,
}

fn goal_view(g: &GoalRow, tally: &Tally) -> Result<GoalView> {
    let def = g.definition()?;
    let p = tally.goal(&g.id.to_string(), &def);
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
    #[schema(value_type = stegvis_domain::Gender)]
    pub gender: String,
}

/// One line of the funder's participant file: the ESF+ participant fields of one enrolment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ParticipantFileRow {
    /// The personnummer or samordningsnummer (`YYYYMMDD-NNNN`); empty for protected identity
    /// or none.
    pub identity_number: String,
    #[schema(value_type = stegvis_domain::participant::IdentityMode)]
    pub identity_mode: String,
    #[schema(value_type = stegvis_domain::Gender)]
    pub gender: String,
    pub birth_date: Option<Date>,
    pub entry_date: Date,
    pub exit_date: Option<Date>,
    #[schema(value_type = Option<stegvis_domain::ExitStatus>)]
    pub exit_status: Option<String>,
    #[schema(value_type = Option<stegvis_domain::LabourStatus>)]
    pub labour_status: Option<String>,
    #[schema(value_type = Option<stegvis_domain::Answer>)]
    pub long_term_unemployed: Option<String>,
    #[schema(value_type = Option<stegvis_domain::Answer>)]
    pub in_education: Option<String>,
    pub isced_level: Option<u8>,
    #[schema(value_type = Option<stegvis_domain::Answer>)]
    pub disability: Option<String>,
    #[schema(value_type = Option<stegvis_domain::Answer>)]
    pub foreign_background: Option<String>,
    #[schema(value_type = Option<stegvis_domain::Answer>)]
    pub homeless: Option<String>,
    /// Counted in the indicators (the completeness rule).
    pub complete: bool,
    /// Results on leaving (within 4 weeks) and six months after, where recorded in time.
    pub on_leaving: Option<[bool; 4]>,
    pub after_six_months: Option<[bool; 2]>,
}

impl App {
    /// A project's rows, one per enrolment, for a file that leaves the report: project
    /// managers only, and every participant in it gets an audit event of their own (`what`
    /// names the file in the trail).
    async fn enrolment_rows_audited(
        &self,
        actor: &Actor,
        project_id: Uuid,
        what: &str,
    ) -> Result<ReportData> {
        self.project(actor, project_id).await?;
        self.check_project(actor, project_id, Function::ParticipantFile, Action::Read)
            .await?;
        let detail = format!("{what} {project_id}");
        let (mut tx, org) = self
            .open_organisation_records(actor, RecordKind::Enrolment, detail.clone())
            .await?;
        let data = tx.report_data(project_id, org).await?;
        let mut seen = std::collections::HashSet::new();
        let shown = data
            .enrolments
            .iter()
            .map(|e| e.enrolment.participant_id)
            .filter(|p| seen.insert(*p))
            .map(|participant_id| Subject {
                participant_id,
                org_id: org,
            })
            .collect::<Vec<_>>();
        let tx = self
            .audit_each(tx, actor, shown, RecordKind::Participant, &detail)
            .await?;
        self.commit(tx).await?;
        Ok(data)
    }

    /// The funder's participant file for a project: one line per enrolment of the caller's
    /// organisation, identity numbers included. Every participant in it gets an audit event of
    /// their own, so that the export shows in their access log.
    pub async fn participant_file(
        &self,
        actor: &Actor,
        project_id: Uuid,
    ) -> Result<Vec<ParticipantFileRow>> {
        let data = self
            .enrolment_rows_audited(actor, project_id, "participant file")
            .await?;
        let rows = data.rows();
        let mut out = Vec::with_capacity(rows.len());
        for (e, r) in data.enrolments.iter().zip(&rows) {
            let id = e.enrolment.participant_id;
            let identity_number = match e.identity()? {
                Some(sealed) => self.open_identity(&sealed, id)?.formatted(),
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
                identity_mode: e.identity_mode.code().to_owned(),
                gender: e.gender.code().to_owned(),
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

    /// The pseudonymised export for evaluators: one row per enrolment of the caller's
    /// organisation in the project, with a keyed pseudonym per participant (stable for the key
    /// file, different per project), birth year instead of date, the baseline, the exit status
    /// and the results; no names, numbers or dates. The quasi-identifiers (gender, birth year,
    /// foreign background, disability) are protected so that no combination is shared by fewer
    /// than five rows ([`stegvis_domain::report::protect_quasi_identifiers`]). Audited per
    /// participant like the participant file.
    pub async fn pseudonymised_export(
        &self,
        actor: &Actor,
        project_id: Uuid,
    ) -> Result<Vec<Vec<String>>> {
        let data = self
            .enrolment_rows_audited(actor, project_id, "pseudonymised export")
            .await?;
        let flag = |b: Option<bool>| match b {
            Some(true) => "1".to_owned(),
            Some(false) => "0".to_owned(),
            None => String::new(),
        };
        let code = |a: Option<stegvis_domain::baseline::Answer>| {
            a.map(|a| a.code().to_owned()).unwrap_or_default()
        };
        let rows = data.rows();
        let mut out: Vec<Vec<String>> = data
            .enrolments
            .iter()
            .zip(&rows)
            .map(|(e, r)| {
                let b = &r.baseline;
                let leaving = r.on_leaving_in_window();
                let six = r.six_months_in_window();
                vec![
                    self.pseudonym(project_id.as_bytes(), e.enrolment.participant_id),
                    e.gender.code().to_owned(),
                    r.birth_date
                        .map(|d| d.year().to_string())
                        .unwrap_or_default(),
                    code(b.foreign_background),
                    code(b.disability),
                    b.labour_status
                        .map(|s| s.code().to_owned())
                        .unwrap_or_default(),
                    code(b.long_term_unemployed),
                    code(b.in_education),
                    b.isced_level.map(|i| i.to_string()).unwrap_or_default(),
                    code(b.homeless),
                    r.exit_status
                        .map(|s| s.code().to_owned())
                        .unwrap_or_default(),
                    flag(Some(r.is_complete())),
                    flag(leaving.map(|f| f.job_searching)),
                    flag(leaving.map(|f| f.in_education)),
                    flag(leaving.map(|f| f.gained_qualification)),
                    flag(leaving.map(|f| f.employed)),
                    flag(six.map(|f| f.employed)),
                    flag(six.map(|f| f.improved_situation)),
                ]
            })
            .collect();
        // Birth year first (it is generalised to a band before anything is blanked), then
        // disability, foreign background, gender.
        stegvis_domain::report::protect_quasi_identifiers(
            &mut out,
            &PSEUDONYMISED_QUASI_IDENTIFIERS,
        );
        out.sort();
        Ok(out)
    }

    /// The rows of the caller's organisation in a project it runs, read as an audited search.
    async fn report_data(
        &self,
        actor: &Actor,
        project_id: Uuid,
        detail: String,
    ) -> Result<ReportData> {
        let (mut tx, org) = self
            .open_organisation_records(actor, RecordKind::Enrolment, detail)
            .await?;
        let data = tx.report_data(project_id, org).await?;
        self.commit(tx).await?;
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
        self.check_project(actor, project_id, Function::ProjectReports, Action::Read)
            .await?;
        let goal = {
            let mut tx = self.store.begin_read().await?;
            let g = tx.goals_of(project_id).await?;
            tx.commit().await?;
            g.into_iter()
                .find(|g| g.id == goal_id)
                .ok_or(AppError::NotFound)?
        };
        let def = goal.definition()?;
        let data = self
            .report_data(actor, project_id, format!("goal participants {goal_id}"))
            .await?;
        let rows = data.rows();
        let mut list: Vec<GoalParticipant> = data
            .enrolments
            .iter()
            .zip(&rows)
            .filter(|(_, r)| def.counts(r))
            .map(|(e, _)| GoalParticipant {
                participant_id: e.enrolment.participant_id,
                name: format!("{} {}", e.given_name, e.family_name),
                gender: e.gender.code().to_owned(),
            })
            .collect();
        list.sort_by(|a, b| {
            a.name
                .cmp(&b.name)
                .then(a.participant_id.cmp(&b.participant_id))
        });
        Ok((goal.name, list))
    }

    /// The project's goals and indicators, for the staff of the organisation that runs it:
    /// read from the tallies kept up to date on every write, so its cost does not grow with the
    /// number of participants (only the list of those not yet counted is personal data, read as
    /// an audited search).
    pub async fn project_report(&self, actor: &Actor, project_id: Uuid) -> Result<ProjectReport> {
        let project = self.project(actor, project_id).await?;
        self.check_project(actor, project_id, Function::ProjectReports, Action::Read)
            .await?;
        let (mut tx, org) = self
            .open_organisation_records(
                actor,
                RecordKind::Enrolment,
                format!("project report {project_id}"),
            )
            .await?;
        let incomplete = tx
            .incomplete_participants(project_id, org, INCOMPLETE_LISTED)
            .await?;
        // Goals, tallies and the hour value in the same transaction: one connection, one
        // snapshot.
        let (goals, tally, hour_value) = tx.report_facts(project_id, org).await?;
        let hour_value = hour_value.map(Ore);
        self.commit(tx).await?;
        let set = IndicatorSet::for_project_start(project.facts.period_start);
        #[cfg(debug_assertions)]
        self.check_tally(project_id, org).await?;
        let enrolled = tally.get("enrolled").total() as i64;
        let f = &project.facts;
        let hours_by_month: Vec<LabelledCount> = tally
            .hours_by_month()
            .into_iter()
            .map(|(label, count)| LabelledCount { label, count })
            .collect();
        let whole_hours = hours_by_month.iter().map(|m| m.count.total()).sum();
        let money = MoneyAndTime {
            total_budget_sek: f.total_budget.0,
            esf_support_sek: f.esf_support.0,
            cofinancing_sek: f.total_budget.0 - f.esf_support.0,
            cost_per_participant_sek: f.total_budget.0.checked_div(enrolled),
            whole_hours,
            hours_by_month,
            participant_hour_value_ore: hour_value.map(|v| v.0),
            participant_time_value_sek: hour_value.map(|v| v.times(whole_hours).0),
        };
        Ok(ProjectReport {
            social_assistance: tally.social_assistance(),
            enrolments_by_month: tally
                .entries_by_month()
                .into_iter()
                .map(|(label, count)| LabelledCount { label, count })
                .collect(),
            exits_by_status: tally
                .exits_by_status()
                .into_iter()
                .map(|(s, count)| LabelledCount {
                    label: s.code().to_owned(),
                    count,
                })
                .collect(),
            money,
            project_id,
            project_name: project.facts.name,
            goals: goals
                .iter()
                .map(|g| goal_view(g, &tally))
                .collect::<Result<_>>()?,
            indicator_set: match set {
                IndicatorSet::EsfPlus => "esf_plus",
                IndicatorSet::Esf2014 => "esf_2014_2020",
            }
            .to_owned(),
            indicators: tally
                .indicators(set)
                .into_iter()
                .map(|(code, sv, en, count)| IndicatorLine {
                    code: code.to_owned(),
                    name_sv: sv.to_owned(),
                    name_en: en.to_owned(),
                    count,
                })
                .collect(),
            counted: tally.get("counted"),
            incomplete: tally.get("incomplete"),
            incomplete_participants: incomplete
                .into_iter()
                .map(|r: IncompleteRow| IncompleteParticipant {
                    participant_id: r.participant_id,
                    enrolment_id: r.enrolment_id,
                    name: format!("{} {}", r.given_name, r.family_name),
                })
                .collect(),
        })
    }

    /// Debug builds (every test) count the tallies again from the rows, in one snapshot with
    /// the stored ones, and refuse to answer if they disagree: a write path that forgot its
    /// audit event would show here. Only counts leave the store.
    #[cfg(debug_assertions)]
    async fn check_tally(&self, project_id: Uuid, org: Uuid) -> Result<()> {
        let mut tx = self.store.begin_snapshot().await?;
        let stored = tx.tallies(project_id, org).await?;
        let counted = tx.recount_tallies(project_id, org).await?;
        tx.commit().await?;
        if counted != stored {
            return Err(AppError::Internal(format!(
                "report tallies of project {project_id} disagree with its rows: {:?} vs {:?}",
                stored.0, counted.0
            )));
        }
        Ok(())
    }

    /// Makes sure the tallies cover every enrolment (a database from before them, or one
    /// loaded in bulk), rebuilding them from the rows when not, or always when `force`.
    pub async fn ensure_report_tallies(&self, force: bool) -> Result<()> {
        let mut tx = self.store.begin().await?;
        if force || !tx.tallies_match_enrolments().await? {
            tracing::info!("rebuilding the report tallies");
            tx.rebuild_tallies().await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

impl App {
    /// The value of one participant hour that the project reports as co-financing (such as the
    /// activity support paid per hour), written as kronor (`113,75`); empty clears it. Only the
    /// project managers of the organisation that runs the project may set it.
    pub async fn set_participant_hour_value(
        &self,
        actor: &Actor,
        project_id: Uuid,
        input: &str,
    ) -> Result<Option<Ore>> {
        self.check_project(
            actor,
            project_id,
            Function::ParticipantHourValue,
            Action::Write,
        )
        .await?;
        let value = match input.trim() {
            "" => None,
            s => Some(Ore::parse_sv(s).map_err(|e| {
                AppError::field(
                    "value",
                    match e {
                        AmountError::TooPrecise => crate::Text::new(
                            "Skriv högst två decimaler (öre), till exempel 113,75.",
                            "Use at most two decimals (öre), for example 113.75.",
                        ),
                        AmountError::OutOfRange => crate::Text::new(
                            "Skriv ett belopp över 0 och högst 10 000 kr per timme.",
                            "Enter an amount above 0 and at most 10,000 kr per hour.",
                        ),
                        AmountError::NotAnAmount => crate::Text::new(
                            "Skriv beloppet i kronor, till exempel 113,75.",
                            "Enter the amount in kronor, for example 113.75.",
                        ),
                    },
                )
            })?),
        };
        let mut tx = self.store.begin().await?;
        tx.set_participant_hour_value(project_id, value.map(|v| v.0))
            .await?;
        tx.commit().await?;
        Ok(value)
    }

    /// The value set for a project's participant hour, for the staff who run it.
    pub async fn participant_hour_value(
        &self,
        actor: &Actor,
        project_id: Uuid,
    ) -> Result<Option<Ore>> {
        self.check_project(actor, project_id, Function::ProjectReports, Action::Read)
            .await?;
        let mut tx = self.store.begin_read().await?;
        let v = tx.participant_hour_value(project_id).await?;
        tx.commit().await?;
        Ok(v.map(Ore))
    }
}

/// The columns of [`App::pseudonymised_export`] (English codes; the page gives Swedish titles).
pub const PSEUDONYMISED_COLUMNS: [&str; 18] = [
    "pseudonym",
    "gender",
    "birth_year",
    "foreign_background",
    "disability",
    "labour_status",
    "long_term_unemployed",
    "in_education",
    "isced_level",
    "homeless",
    "exit_status",
    "complete",
    "job_searching_on_leaving",
    "in_education_on_leaving",
    "qualification_on_leaving",
    "employed_on_leaving",
    "employed_after_six_months",
    "improved_after_six_months",
];

/// The quasi-identifier columns of the pseudonymised export, in the order they give way.
pub const PSEUDONYMISED_QUASI_IDENTIFIERS: [usize; 4] = [2, 4, 3, 1];

/// How many of those not yet counted the report names (the longest enrolled first).
pub const INCOMPLETE_LISTED: i64 = 200;

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
    pub incomplete: BySex,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RollUpProject {
    pub project_id: Uuid,
    pub name: String,
    pub indicators: Vec<IndicatorLine>,
    pub incomplete: BySex,
}

impl App {
    /// The regional roll-up: every project the caller's organisation runs (in `municipality`,
    /// when given), each as in its own report, and their sum.
    pub async fn rollup(&self, actor: &Actor, municipality: Option<&str>) -> Result<RollUp> {
        self.check(&Request::Function {
            actor,
            function: Function::RollUp,
            action: Action::Read,
            owner: None,
        })
        .await?;
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
                    Some(t) => t.count.add_all(&i.count),
                    None => total.push(i.clone()),
                }
            }
            incomplete.add_all(&r.incomplete);
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
