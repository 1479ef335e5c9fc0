//! Retention (gallring): rules per project kept by the organisation's administrators, a dry run
//! of what they make due, and the erasure run by the organisation's auditor (or the operator at
//! the machine), which must confirm exactly the dry run it saw. The funder's reports do not
//! change: an erased person's contribution stays in the tallies as a frozen base.

use crate::policy::{Action, Function, RecordKind, Request, Subject};
use crate::{Actor, App, AppError, Result, Text};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use stegvis_store::retention::{EnrolmentDates, Erasure, RuleRow};
use stegvis_store::{AuditEvent, Audited};
use time::{Date, Month};
use utoipa::ToSchema;
use uuid::Uuid;

/// Participants erased per audited transaction.
pub const BATCH: usize = 100;

/// The default when an organisation has kept no rule: DOMAIN.md's retention for ESF projects,
/// five years from 31 December of the year the programme ends (the last payment comes no
/// later), for everything about the person.
pub const DEFAULT_YEARS: i64 = 5;
pub const DEFAULT_ANCHOR: Anchor = Anchor::ProgrammeEnd;

/// What a rule's years are counted from (from 31 December of its year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Anchor {
    ProjectEnd,
    ProgrammeEnd,
    Exit,
}

impl Anchor {
    pub const ALL: [Anchor; 3] = [Anchor::ProjectEnd, Anchor::ProgrammeEnd, Anchor::Exit];

    pub fn code(self) -> &'static str {
        match self {
            Anchor::ProjectEnd => "project_end",
            Anchor::ProgrammeEnd => "programme_end",
            Anchor::Exit => "exit",
        }
    }

    pub fn parse(s: &str) -> Option<Anchor> {
        Anchor::ALL.into_iter().find(|a| a.code() == s)
    }

    pub fn label(self) -> Text {
        match self {
            Anchor::ProjectEnd => Text::new("projektets slut", "the project's end"),
            Anchor::ProgrammeEnd => Text::new("programperiodens slut", "the programme's end"),
            Anchor::Exit => Text::new("deltagarens avslut", "the participant's exit"),
        }
    }

    /// The date counted from, for one enrolment (none: not yet known, so never due).
    fn date(self, e: &EnrolmentDates) -> Option<Date> {
        match self {
            Anchor::ProjectEnd => Some(e.period_end),
            Anchor::ProgrammeEnd => Some(programme_end(e.period_start)),
            Anchor::Exit => e.exited_on,
        }
    }
}

/// The last day of the ESF programme period a project that starts on `start` belongs to.
pub fn programme_end(start: Date) -> Date {
    let year = match start.year() {
        ..=2013 => 2015,
        2014..=2020 => 2023,
        _ => 2029,
    };
    dec31(year)
}

fn dec31(year: i32) -> Date {
    Date::from_calendar_date(year, Month::December, 31).unwrap_or(Date::MAX)
}

/// A rule in force, or the default shown as such.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RetentionRule {
    /// None for the default.
    pub id: Option<Uuid>,
    /// None: every project of the organisation.
    pub project_id: Option<Uuid>,
    pub project_name: Option<String>,
    pub record_kind: String,
    pub anchor: Anchor,
    pub years: i64,
    pub is_default: bool,
}

impl RetentionRule {
    fn default_rule() -> Self {
        RetentionRule {
            id: None,
            project_id: None,
            project_name: None,
            record_kind: "participant".into(),
            anchor: DEFAULT_ANCHOR,
            years: DEFAULT_YEARS,
            is_default: true,
        }
    }

    fn key(&self) -> String {
        self.id
            .map_or_else(|| "default".to_owned(), |id| id.to_string())
    }

    /// The day after which an enrolment is due under this rule.
    fn due_on(&self, e: &EnrolmentDates) -> Option<Date> {
        let from = self.anchor.date(e)?;
        let year = from.year().saturating_add(self.years as i32);
        Some(dec31(year))
    }
}

/// One group of a dry run: the participants one rule makes due in one project.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanGroup {
    pub org_id: Uuid,
    pub project_id: Uuid,
    pub project_name: String,
    pub rule: RetentionRule,
    /// Due after this day.
    pub due_after: Date,
    pub participants: u64,
    /// Names, only for those who handle erasure (the auditor); empty for others.
    pub names: Vec<String>,
    /// Rows per table the run would remove.
    pub rows: BTreeMap<String, u64>,
}

/// What a run on `today` would erase, with the token a run must confirm.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RetentionPlan {
    pub today: Date,
    pub groups: Vec<PlanGroup>,
    pub participants: u64,
    pub token: String,
    #[serde(skip)]
    due: Vec<Due>,
}

#[derive(Debug, Clone)]
struct Due {
    participant_id: Uuid,
    org_id: Uuid,
    project_id: Uuid,
    /// The rule's key (its id, or `default`).
    rule: String,
}

/// What a run did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RetentionRunOutcome {
    pub run_id: Uuid,
    pub participants: u64,
    pub rows: BTreeMap<String, u64>,
}

/// A new rule as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct RuleInput {
    /// Empty: every project.
    #[serde(default)]
    pub project_id: String,
    #[serde(default)]
    pub anchor: String,
    #[serde(default)]
    pub years: String,
}

fn rule_view(r: &RuleRow, names: &HashMap<Uuid, String>) -> RetentionRule {
    RetentionRule {
        id: Some(r.id),
        project_id: r.project_id,
        project_name: r.project_id.and_then(|p| names.get(&p).cloned()),
        record_kind: r.record_kind.clone(),
        anchor: Anchor::parse(&r.anchor).unwrap_or(DEFAULT_ANCHOR),
        years: r.years,
        is_default: false,
    }
}

/// The rules that apply to an enrolment: the organisation's for its project and for every
/// project; the default when the organisation has none at all.
fn applying<'a>(
    rules: &'a [RetentionRule],
    default: &'a RetentionRule,
    project_id: Uuid,
) -> Vec<&'a RetentionRule> {
    if rules.is_empty() {
        return vec![default];
    }
    rules
        .iter()
        .filter(|r| r.project_id.is_none_or(|p| p == project_id))
        .collect()
}

impl App {
    async fn project_names(&self) -> Result<HashMap<Uuid, String>> {
        let mut tx = self.store.begin_read().await?;
        let rows = tx.projects().await?;
        tx.commit().await?;
        Ok(rows.into_iter().map(|p| (p.id, p.name)).collect())
    }

    async fn rules_of(&self, org_id: Option<Uuid>) -> Result<Vec<RuleRow>> {
        let mut tx = self.store.begin_read().await?;
        let rows = tx.retention_rules(org_id).await?;
        tx.commit().await?;
        Ok(rows)
    }

    /// The organisation's rules in force, or the default (marked as such) when it keeps none.
    pub async fn retention_rules(&self, actor: &Actor) -> Result<Vec<RetentionRule>> {
        self.check_retention_reader(actor).await?;
        let names = self.project_names().await?;
        let rows = self.rules_of(Some(actor.org_id)).await?;
        if rows.is_empty() {
            return Ok(vec![RetentionRule::default_rule()]);
        }
        Ok(rows.iter().map(|r| rule_view(r, &names)).collect())
    }

    /// Administrators keep the rules; the auditor reads them (and erases by them).
    async fn check_retention_reader(&self, actor: &Actor) -> Result<Function> {
        let function = self.retention_function(actor, Action::Read);
        self.check_function(actor, function, Action::Read).await?;
        Ok(function)
    }

    fn retention_function(&self, actor: &Actor, action: Action) -> Function {
        let req = Request::Function {
            actor,
            function: Function::DataSubjectRights,
            action,
            owner: None,
        };
        if crate::policy::allows(&req) {
            Function::DataSubjectRights
        } else {
            Function::RetentionRules
        }
    }

    /// Adds a rule (administrators): a project of the organisation or every project, the
    /// anchor and 0–50 years.
    pub async fn add_retention_rule(&self, actor: &Actor, input: &RuleInput) -> Result<Uuid> {
        self.check_function(actor, Function::RetentionRules, Action::Write)
            .await?;
        let project_id = match input.project_id.trim() {
            "" => None,
            s => {
                let id = Uuid::parse_str(s).ok();
                let own = self.projects(actor).await?;
                Some(
                    id.filter(|id| {
                        own.iter()
                            .any(|p| p.id == *id && p.owner_org_id == actor.org_id)
                    })
                    .ok_or_else(|| {
                        AppError::field(
                            "project_id",
                            Text::new(
                                "Välj ett av organisationens projekt.",
                                "Choose one of the organisation's projects.",
                            ),
                        )
                    })?,
                )
            }
        };
        let anchor = Anchor::parse(input.anchor.trim()).ok_or_else(|| {
            AppError::field(
                "anchor",
                Text::new(
                    "Välj vad tiden räknas från.",
                    "Choose what the time is counted from.",
                ),
            )
        })?;
        let years = input
            .years
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|y| (0..=50).contains(y))
            .ok_or_else(|| {
                AppError::field(
                    "years",
                    Text::new(
                        "Skriv ett antal år mellan 0 och 50.",
                        "Enter a number of years from 0 to 50.",
                    ),
                )
            })?;
        let id = Uuid::now_v7();
        let mut tx = self.store.begin().await?;
        self.store
            .record_event_in(
                &mut tx,
                &self.kept_event(
                    actor,
                    Function::RetentionRules,
                    format!("retention rule {id} added"),
                ),
            )
            .await?;
        tx.insert_retention_rule(&RuleRow {
            id,
            org_id: actor.org_id,
            project_id,
            record_kind: "participant".into(),
            anchor: anchor.code().into(),
            years,
            created_at: self.now(),
            created_by: Some(actor.user_id),
        })
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Retires a rule of the organisation (administrators). One already retired, or unknown,
    /// changes nothing (the end is the same: it is not in force).
    pub async fn retire_retention_rule(&self, actor: &Actor, id: Uuid) -> Result<()> {
        self.check_function(actor, Function::RetentionRules, Action::Write)
            .await?;
        let mut tx = self.store.begin().await?;
        self.store
            .record_event_in(
                &mut tx,
                &self.kept_event(
                    actor,
                    Function::RetentionRules,
                    format!("retention rule {id} retired"),
                ),
            )
            .await?;
        if tx
            .retire_retention_rule(actor.org_id, id, self.now())
            .await?
        {
            tx.commit().await?;
        } else {
            tx.rollback().await?;
        }
        Ok(())
    }

    /// The dry run for the actor's organisation (administrators and the auditor; names only
    /// for the auditor, each name read audited in the participant's access log).
    pub async fn retention_plan(&self, actor: &Actor, today: Date) -> Result<RetentionPlan> {
        let function = self.retention_function(actor, Action::Read);
        let event = self
            .permit_or_refuse(
                &Request::Function {
                    actor,
                    function,
                    action: Action::Read,
                    owner: None,
                },
                format!("retention plan {today}"),
            )
            .await?;
        let tx = self.open_permitted(&event, &[]).await?;
        let (mut tx, mut plan) = self.plan_in(tx, Some(actor.org_id), today).await?;
        if function == Function::DataSubjectRights {
            let subjects: Vec<Subject> = plan
                .due
                .iter()
                .map(|d| Subject {
                    participant_id: d.participant_id,
                    org_id: d.org_id,
                })
                .collect();
            tx = self
                .audit_each(
                    tx,
                    actor,
                    subjects,
                    RecordKind::Participant,
                    "retention plan",
                )
                .await?;
            let due = plan.due.clone();
            for d in &due {
                if let Some((given, family)) = tx.participant_name(d.participant_id).await?
                    && let Some(g) = plan.groups.iter_mut().find(|g| {
                        g.org_id == d.org_id
                            && g.project_id == d.project_id
                            && g.rule.key() == d.rule
                    })
                {
                    g.names.push(format!("{given} {family}"));
                }
            }
            for g in &mut plan.groups {
                g.names.sort();
            }
        }
        self.commit(tx).await?;
        Ok(plan)
    }

    /// The dry run for every organisation (the operator at the machine: counts only).
    pub async fn operator_retention_plan(&self, today: Date) -> Result<RetentionPlan> {
        let tx = self
            .system_job(&format!("retention plan {today}"), None)
            .await?;
        let (tx, plan) = self.plan_in(tx, None, today).await?;
        self.commit(tx).await?;
        Ok(plan)
    }

    /// Computes the plan inside an audited transaction (dates and counts only).
    async fn plan_in(
        &self,
        mut tx: Audited,
        org_id: Option<Uuid>,
        today: Date,
    ) -> Result<(Audited, RetentionPlan)> {
        let names = self.project_names().await?;
        let rows = {
            let mut t = self.store.begin_read().await?;
            let r = t.retention_rules(org_id).await?;
            t.commit().await?;
            r
        };
        let mut rules_by_org: HashMap<Uuid, Vec<RetentionRule>> = HashMap::new();
        for r in &rows {
            rules_by_org
                .entry(r.org_id)
                .or_default()
                .push(rule_view(r, &names));
        }
        let default = RetentionRule::default_rule();
        let none = Vec::new();
        let candidates = tx.retention_candidates(org_id).await?;
        // Per participant: due only when every enrolment is due under every rule that applies
        // to it (the longest wins); the binding enrolment and rule name the group.
        let mut by_participant: BTreeMap<Uuid, Vec<&EnrolmentDates>> = BTreeMap::new();
        for c in &candidates {
            by_participant.entry(c.participant_id).or_default().push(c);
        }
        // (org, project, rule key) -> group
        let mut groups: BTreeMap<(Uuid, Uuid, String), PlanGroup> = BTreeMap::new();
        let mut due = Vec::new();
        for (participant_id, enrolments) in by_participant {
            let org = enrolments[0].org_id;
            let rules = rules_by_org.get(&org).unwrap_or(&none);
            let mut latest: Option<(Date, &EnrolmentDates, &RetentionRule)> = None;
            let mut never = false;
            for e in &enrolments {
                for r in applying(rules, &default, e.project_id) {
                    match r.due_on(e) {
                        None => never = true,
                        Some(d) if latest.is_none_or(|(l, _, _)| d > l) => {
                            latest = Some((d, e, r));
                        }
                        Some(_) => {}
                    }
                }
            }
            let Some((due_after, e, rule)) = latest else {
                continue;
            };
            if never || today <= due_after {
                continue;
            }
            let rows = tx.erasure_rows(participant_id).await?;
            let g = groups
                .entry((org, e.project_id, rule.key()))
                .or_insert_with(|| PlanGroup {
                    org_id: org,
                    project_id: e.project_id,
                    project_name: names.get(&e.project_id).cloned().unwrap_or_default(),
                    rule: rule.clone(),
                    due_after,
                    participants: 0,
                    names: Vec::new(),
                    rows: BTreeMap::new(),
                });
            g.participants += 1;
            g.due_after = g.due_after.max(due_after);
            for (t, n) in rows {
                *g.rows.entry(t).or_default() += n;
            }
            due.push(Due {
                participant_id,
                org_id: org,
                project_id: e.project_id,
                rule: rule.key(),
            });
        }
        let token = plan_token(today, &due);
        let participants = due.len() as u64;
        Ok((
            tx,
            RetentionPlan {
                today,
                groups: groups.into_values().collect(),
                participants,
                token,
                due,
            },
        ))
    }

    /// The erasure run for the actor's organisation (its auditor), confirming the dry run's
    /// token: if anything changed since (a token that no longer matches), nothing is erased.
    pub async fn retention_run(
        &self,
        actor: &Actor,
        today: Date,
        token: &str,
    ) -> Result<RetentionRunOutcome> {
        let event = self
            .permit_or_refuse(
                &Request::Function {
                    actor,
                    function: Function::DataSubjectRights,
                    action: Action::Write,
                    owner: None,
                },
                format!("retention run {today}"),
            )
            .await?;
        let tx = self.open_permitted(&event, &[]).await?;
        let (tx, plan) = self.plan_in(tx, Some(actor.org_id), today).await?;
        if plan.token != token.trim() {
            crate::gate::reject::<()>(tx, stale_plan()).await?;
            unreachable!("reject always errs");
        }
        self.commit(tx).await?;
        let template = event;
        self.erase(&plan, |detail, _org| {
            let mut e = template.clone();
            e.id = Uuid::now_v7();
            e.at = self.now();
            e.detail = Some(detail.to_owned());
            e
        })
        .await
    }

    /// The erasure run for every organisation (the operator at the machine), confirming the
    /// dry run's token.
    pub async fn operator_retention_run(
        &self,
        today: Date,
        token: &str,
    ) -> Result<RetentionRunOutcome> {
        let plan = self.operator_retention_plan(today).await?;
        if plan.token != token.trim() {
            return Err(stale_plan());
        }
        self.erase(&plan, |detail, org| self.system_event(detail, Some(org)))
            .await
    }

    /// Erases the plan's participants in batches, each one audited transaction: one event per
    /// erased person, naming only its keyed pseudonym and the rule.
    async fn erase(
        &self,
        plan: &RetentionPlan,
        event: impl Fn(&str, Uuid) -> AuditEvent,
    ) -> Result<RetentionRunOutcome> {
        let run_id = Uuid::now_v7();
        let mut rows: BTreeMap<String, u64> = BTreeMap::new();
        // One organisation per transaction, so each event is its auditor's.
        let mut by_org: BTreeMap<Uuid, Vec<&Due>> = BTreeMap::new();
        for d in &plan.due {
            by_org.entry(d.org_id).or_default().push(d);
        }
        for (org, due) in by_org {
            for batch in due.chunks(BATCH) {
                let mut tx = self
                    .open_permitted(
                        &event(
                            &format!("retention run {run_id}: {} erased", batch.len()),
                            org,
                        ),
                        &[],
                    )
                    .await?;
                for d in batch {
                    let pseudonym = self.pseudonym(b"erasure", d.participant_id);
                    let rule = d.rule.clone();
                    let counts = tx
                        .erase_participant(&Erasure {
                            participant_id: d.participant_id,
                            org_id: d.org_id,
                            run_id,
                            pseudonym: pseudonym.clone(),
                            rule: rule.clone(),
                            at: self.now(),
                        })
                        .await?;
                    tx.record(&event(
                        &format!("gallrad / erased: pseudonym {pseudonym}, rule {rule}"),
                        org,
                    ))
                    .await?;
                    for (t, n) in counts {
                        *rows.entry(t).or_default() += n;
                    }
                }
                self.commit(tx).await?;
            }
        }
        self.store.after_erasure().await?;
        Ok(RetentionRunOutcome {
            run_id,
            participants: plan.due.len() as u64,
            rows,
        })
    }

    /// A keyed pseudonym of a participant within `scope`: stable for the same key file, no way
    /// back to the person without it. The one place retention and the pseudonymised export use
    /// the key ring (a keyed hash with its own label, beside the search index's).
    pub(crate) fn pseudonym(&self, scope: &[u8], participant_id: Uuid) -> String {
        let mut msg = b"stegvis pseudonym v1:".to_vec();
        msg.extend_from_slice(scope);
        msg.push(b':');
        msg.extend_from_slice(participant_id.as_bytes());
        let mac = self.keys.ring().blind_index(&msg);
        mac[..10].iter().map(|b| format!("{b:02x}")).collect()
    }
}

fn stale_plan() -> AppError {
    AppError::Conflict(Text::new(
        "Gallringen har ändrats sedan provkörningen. Gör en ny provkörning och bekräfta den.",
        "What is due has changed since the dry run. Make a new dry run and confirm it.",
    ))
}

/// A short hash of exactly who would be erased on which day, under which rule.
fn plan_token(today: Date, due: &[Due]) -> String {
    let mut h = Sha256::new();
    h.update(today.to_string().as_bytes());
    for d in due {
        h.update(d.participant_id.as_bytes());
        h.update(d.org_id.as_bytes());
        h.update(d.project_id.as_bytes());
        h.update(d.rule.as_bytes());
    }
    h.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(feature = "testing")]
impl App {
    /// Test support: see [`stegvis_store::Store::every_value`].
    pub async fn every_stored_value(&self) -> Result<Vec<(String, String, Vec<u8>)>> {
        Ok(self.store.every_value().await?)
    }

    /// Test support: see [`stegvis_store::Store::participant_plaintext`].
    pub async fn participant_plaintext(
        &self,
        id: Uuid,
    ) -> Result<Option<(String, String, String, Option<String>)>> {
        Ok(self.store.participant_plaintext(id).await?)
    }

    /// Test support: the participants a dry run lists (ids, in order).
    pub fn planned_participants(plan: &RetentionPlan) -> Vec<Uuid> {
        plan.due.iter().map(|d| d.participant_id).collect()
    }
}
