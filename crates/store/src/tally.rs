//! The report's running tallies (derived data, see `stegvis_domain::report::tally`): each
//! enrolment's contribution, and per project and organisation the sum of them by key and
//! gender. [`Audited::commit`] refreshes the participants its writes were about, in the same
//! transaction, so the tallies never disagree with an acknowledged write.

use crate::batch::Value;
use crate::report::Scope;
use crate::{Audited, Result, Tx, exec, fetch_all, fetch_optional, fetch_scalar};
use std::collections::{BTreeMap, HashMap};
use stegvis_domain::Gender;
use stegvis_domain::report::tally::{Contribution, TalliedGoal, Tally, contribution};
use stegvis_domain::report::{BySex, GoalDefinition, IndicatorSet};
use time::Date;
use uuid::Uuid;

/// A participant left out of the indicators until their baseline is complete.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IncompleteRow {
    pub participant_id: Uuid,
    pub enrolment_id: Uuid,
    pub given_name: String,
    pub family_name: String,
}

#[derive(sqlx::FromRow)]
struct StoredContribution {
    project_id: Uuid,
    org_id: Uuid,
    gender: Gender,
    counts: String,
}

/// What the contributions of a project are computed with: its indicator set and its goals.
struct ProjectRules {
    set: IndicatorSet,
    goals: Vec<(String, GoalDefinition)>,
}

impl ProjectRules {
    fn contribution(&self, r: &stegvis_domain::report::ReportRow) -> Contribution {
        let goals: Vec<TalliedGoal> = self.goals.iter().map(|(k, g)| (k.as_str(), g)).collect();
        contribution(r, self.set, &goals)
    }
}

/// Per (project, organisation, gender): key -> change.
type Deltas = BTreeMap<(Uuid, Uuid, Gender), BTreeMap<String, i64>>;

impl Tx {
    async fn project_rules(&mut self, project_id: Uuid) -> Result<ProjectRules> {
        let project = self
            .project(project_id)
            .await?
            .ok_or(crate::StoreError::NotFound)?;
        let goals = self
            .goals_of(project_id)
            .await?
            .into_iter()
            .map(|g| Ok((g.id.to_string(), g.definition()?)))
            .collect::<Result<_>>()?;
        Ok(ProjectRules {
            set: IndicatorSet::for_project_start(project.period_start),
            goals,
        })
    }

    /// A project's rules, read once per refresh.
    async fn rules_for<'a>(
        &mut self,
        rules: &'a mut HashMap<Uuid, ProjectRules>,
        project_id: Uuid,
    ) -> Result<&'a ProjectRules> {
        if let std::collections::hash_map::Entry::Vacant(v) = rules.entry(project_id) {
            v.insert(self.project_rules(project_id).await?);
        }
        Ok(&rules[&project_id])
    }

    /// Recomputes the contributions of these participants' enrolments and moves the tallies by
    /// the difference.
    pub(crate) async fn refresh_tallies(&mut self, participants: &[Uuid]) -> Result<()> {
        self.share_lock_projects_of(participants).await?;
        let mut rules: HashMap<Uuid, ProjectRules> = HashMap::new();
        let mut deltas = Deltas::new();
        for &participant_id in participants {
            let Some((org_id,)) = fetch_optional!(
                self,
                (Uuid,),
                "SELECT org_id FROM participants WHERE id = $1",
                participant_id
            )?
            else {
                continue;
            };
            let old = fetch_all!(
                self,
                StoredContribution,
                "SELECT project_id, org_id, gender, counts FROM report_contributions
                 WHERE participant_id = $1",
                participant_id
            )?;
            for o in &old {
                let counts = parse_counts(&o.counts)?;
                let d = deltas
                    .entry((o.project_id, o.org_id, o.gender))
                    .or_default();
                for (k, n) in counts {
                    *d.entry(k).or_default() -= n as i64;
                }
            }
            exec!(
                self,
                "DELETE FROM report_contributions WHERE participant_id = $1",
                participant_id
            )?;
            let data = self
                .report_data(Scope::Participant {
                    participant_id,
                    org_id,
                })
                .await?;
            self.store_contributions(&data, &mut rules, &mut deltas)
                .await?;
        }
        self.apply_deltas(deltas).await
    }

    /// Waits for a change to the goals or rules of these participants' projects to commit, and
    /// keeps them from changing until this transaction ends, so that their contributions are
    /// computed with the rules the project has when it commits ([`Tx::lock_project`] is the
    /// other side; PostgreSQL only: SQLite has one writer at a time).
    async fn share_lock_projects_of(&mut self, participants: &[Uuid]) -> Result<()> {
        if let Tx::Postgres(t) = self {
            sqlx::query(
                "SELECT id FROM projects WHERE id IN
                    (SELECT project_id FROM enrolments WHERE participant_id = ANY($1))
                 ORDER BY id FOR SHARE",
            )
            .bind(participants)
            .execute(&mut **t)
            .await?;
        }
        Ok(())
    }

    /// Recomputes the contributions of every enrolment in one project and its tallies, after its
    /// goals or the rules they are counted by changed (call [`Tx::lock_project`] first).
    pub async fn refresh_project_tallies(&mut self, project_id: Uuid) -> Result<()> {
        // Erased enrolments have no rows to count again: their contributions stay as they were.
        exec!(
            self,
            "DELETE FROM report_contributions WHERE project_id = $1 AND erased = 0",
            project_id
        )?;
        exec!(
            self,
            "DELETE FROM report_tallies WHERE project_id = $1",
            project_id
        )?;
        let orgs = fetch_all!(
            self,
            (Uuid,),
            "SELECT DISTINCT org_id FROM enrolments WHERE project_id = $1 ORDER BY org_id",
            project_id
        )?;
        let mut rules: HashMap<Uuid, ProjectRules> = HashMap::new();
        let mut deltas = Deltas::new();
        for (org_id,) in orgs {
            let data = self
                .report_data(Scope::Project { project_id, org_id })
                .await?;
            self.store_contributions(&data, &mut rules, &mut deltas)
                .await?;
        }
        self.add_erased_base(Some(project_id), &mut deltas).await?;
        self.apply_deltas(deltas).await
    }

    /// Adds the frozen contributions of erased enrolments (of one project, or all) to `deltas`:
    /// the report keeps counting people whose data was erased under a retention rule.
    async fn add_erased_base(
        &mut self,
        project_id: Option<Uuid>,
        deltas: &mut Deltas,
    ) -> Result<()> {
        let erased = match project_id {
            Some(p) => fetch_all!(
                self,
                StoredContribution,
                "SELECT project_id, org_id, gender, counts FROM report_contributions
                 WHERE erased = 1 AND project_id = $1",
                p
            )?,
            None => fetch_all!(
                self,
                StoredContribution,
                "SELECT project_id, org_id, gender, counts FROM report_contributions
                 WHERE erased = 1"
            )?,
        };
        for o in erased {
            let d = deltas
                .entry((o.project_id, o.org_id, o.gender))
                .or_default();
            for (k, n) in parse_counts(&o.counts)? {
                *d.entry(k).or_default() += n as i64;
            }
        }
        Ok(())
    }

    async fn apply_deltas(&mut self, deltas: Deltas) -> Result<()> {
        // In key order, so that concurrent writers lock tally rows in the same order.
        for ((project_id, org_id, gender), keys) in deltas {
            for (key, n) in keys.into_iter().filter(|(_, n)| *n != 0) {
                exec!(
                    self,
                    "INSERT INTO report_tallies (project_id, org_id, key, gender, n)
                     VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (project_id, org_id, key, gender)
                     DO UPDATE SET n = report_tallies.n + excluded.n",
                    project_id,
                    org_id,
                    &key,
                    gender.code(),
                    n
                )?;
            }
        }
        Ok(())
    }

    /// Recomputes every tally from the rows (after a bulk load, a new goal, or when they do
    /// not match the enrolments).
    pub async fn rebuild_tallies(&mut self) -> Result<()> {
        exec!(self, "DELETE FROM report_contributions WHERE erased = 0")?;
        exec!(self, "DELETE FROM report_tallies")?;
        let pairs = fetch_all!(
            self,
            (Uuid, Uuid),
            "SELECT DISTINCT project_id, org_id FROM enrolments ORDER BY project_id, org_id"
        )?;
        let mut rules: HashMap<Uuid, ProjectRules> = HashMap::new();
        let mut deltas = Deltas::new();
        for (project_id, org_id) in pairs {
            let data = self
                .report_data(Scope::Project { project_id, org_id })
                .await?;
            self.store_contributions(&data, &mut rules, &mut deltas)
                .await?;
        }
        self.add_erased_base(None, &mut deltas).await?;
        self.apply_deltas(deltas).await
    }

    /// Computes the contribution of every enrolment in `data`, stores it, and adds it to
    /// `deltas`.
    async fn store_contributions(
        &mut self,
        data: &crate::report::ReportData,
        rules: &mut HashMap<Uuid, ProjectRules>,
        deltas: &mut Deltas,
    ) -> Result<()> {
        let rows = data.rows();
        let mut new = Vec::with_capacity(rows.len());
        for (e, r) in data.enrolments.iter().zip(&rows) {
            let en = &e.enrolment;
            let c = self.rules_for(rules, en.project_id).await?.contribution(r);
            let d = deltas
                .entry((en.project_id, en.org_id, e.gender))
                .or_default();
            for (k, n) in &c {
                *d.entry(k.clone()).or_default() += *n as i64;
            }
            new.push(contribution_row(e, r, &c));
        }
        self.insert_rows("report_contributions", CONTRIBUTION_COLUMNS, &new)
            .await
    }

    /// A project's tallies for one organisation counted again from its rows, as a rebuild
    /// would store them (counts only).
    pub async fn recount_tallies(&mut self, project_id: Uuid, org_id: Uuid) -> Result<Tally> {
        let rules = self.project_rules(project_id).await?;
        let data = self
            .report_data(Scope::Project { project_id, org_id })
            .await?;
        let mut t = Tally::default();
        for (e, r) in data.enrolments.iter().zip(&data.rows()) {
            t.add(e.gender, &rules.contribution(r));
        }
        // The frozen base of erased enrolments, which no row counts any more.
        let erased = fetch_all!(
            self,
            StoredContribution,
            "SELECT project_id, org_id, gender, counts FROM report_contributions
             WHERE erased = 1 AND project_id = $1 AND org_id = $2",
            project_id,
            org_id
        )?;
        for o in erased {
            t.add(o.gender, &parse_counts(&o.counts)?);
        }
        Ok(t.without_zeros())
    }

    /// How many of a project's enrolments were erased, and how many of those had ended (from
    /// their frozen contributions).
    pub(crate) async fn erased_enrolment_counts(&mut self, project_id: Uuid) -> Result<(i64, i64)> {
        let rows = fetch_all!(
            self,
            (String,),
            "SELECT counts FROM report_contributions WHERE erased = 1 AND project_id = $1",
            project_id
        )?;
        let mut enrolled = 0;
        let mut exited = 0;
        for (counts,) in rows {
            let c = parse_counts(&counts)?;
            enrolled += c.get("enrolled").copied().unwrap_or(0) as i64;
            exited += c.get("exited").copied().unwrap_or(0) as i64;
        }
        Ok((enrolled, exited))
    }

    /// Whether the tallies cover the enrolments there are. Enrolments are deleted only by an
    /// erasure, which marks their contributions erased, and a live contribution exists only for
    /// an enrolment, so equal counts mean the same enrolments.
    pub async fn tallies_match_enrolments(&mut self) -> Result<bool> {
        // One statement, one snapshot: a writer committing between two counts would look like
        // a mismatch and start a rebuild beside it (PostgreSQL, READ COMMITTED).
        let equal = fetch_scalar!(
            self,
            i64,
            "SELECT CAST(CASE WHEN (SELECT COUNT(*) FROM enrolments)
                    = (SELECT COUNT(*) FROM report_contributions WHERE erased = 0)
                    THEN 1 ELSE 0 END AS BIGINT)"
        )?;
        Ok(equal == 1)
    }

    /// A project's tallies for one organisation (not personal data: counts only).
    pub async fn tallies(&mut self, project_id: Uuid, org_id: Uuid) -> Result<Tally> {
        let rows = fetch_all!(
            self,
            (String, Gender, i64),
            "SELECT key, gender, n FROM report_tallies WHERE project_id = $1 AND org_id = $2",
            project_id,
            org_id
        )?;
        let mut t: BTreeMap<String, BySex> = BTreeMap::new();
        for (key, gender, n) in rows {
            t.entry(key).or_default().add_n(gender, n.max(0) as u64);
        }
        Ok(Tally(t).without_zeros())
    }
}

impl Audited {
    /// The participants not yet counted in a project, the longest enrolled first, at most
    /// `limit` of them.
    pub async fn incomplete_participants(
        &mut self,
        project_id: Uuid,
        org_id: Uuid,
        limit: i64,
    ) -> Result<Vec<IncompleteRow>> {
        Ok(fetch_all!(
            &mut self.tx,
            IncompleteRow,
            "SELECT c.participant_id, c.enrolment_id, p.given_name, p.family_name
             FROM report_contributions c JOIN participants p ON p.id = c.participant_id
             WHERE c.project_id = $1 AND c.org_id = $2 AND c.complete = 0
             ORDER BY c.enrolled_on, c.enrolment_id
             LIMIT $3",
            project_id,
            org_id,
            limit
        )?)
    }
}

fn parse_counts(counts: &str) -> Result<Contribution> {
    serde_json::from_str(counts)
        .map_err(|_| crate::StoreError::Corrupt("report_contributions.counts".into()))
}

const CONTRIBUTION_COLUMNS: &[&str] = &[
    "enrolment_id",
    "participant_id",
    "project_id",
    "org_id",
    "gender",
    "complete",
    "enrolled_on",
    "counts",
];

fn contribution_row(
    e: &crate::report::ReportEnrolment,
    r: &stegvis_domain::report::ReportRow,
    c: &Contribution,
) -> Vec<Value> {
    let en = &e.enrolment;
    let enrolled_on: Date = en.enrolled_on;
    vec![
        Value::Uuid(en.id),
        Value::Uuid(en.participant_id),
        Value::Uuid(en.project_id),
        Value::Uuid(en.org_id),
        Value::Text(e.gender.code().to_owned()),
        Value::Int(i64::from(r.is_complete())),
        Value::Date(enrolled_on),
        Value::Text(serde_json::to_string(c).unwrap_or_default()),
    ]
}

impl Audited {
    /// What a project's report reads besides its personal data (goals, tallies, the value of a
    /// participant hour: no personal data), inside the report's audited transaction, so that
    /// the report holds one connection and reads one snapshot.
    pub async fn report_facts(
        &mut self,
        project_id: Uuid,
        org_id: Uuid,
    ) -> Result<(Vec<crate::report::GoalRow>, Tally, Option<i64>)> {
        let goals = self.tx.goals_of(project_id).await?;
        let tally = self.tx.tallies(project_id, org_id).await?;
        let hour_value = self.tx.participant_hour_value(project_id).await?;
        Ok((goals, tally, hour_value))
    }
}
