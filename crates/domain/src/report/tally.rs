//! The report as running tallies. Each enrolment adds a few named counts to its project's
//! totals ([`contribution`]); the store keeps those totals up to date on every write, so a
//! report reads a few hundred numbers instead of every enrolment. [`Tally::of_rows`] sums the
//! same contributions from rows, which is how the totals are rebuilt and checked.
//!
//! Keys: `enrolled`, `counted`, `incomplete`, `ind:<code>`, `month:<YYYY-MM>` (entries),
//! `exited` (every ended enrolment, for the project's count of those still active),
//! `exit:<status>`, `sa:at_entry`, `sa:asked`, `sa:still`, `hours:<YYYY-MM>` (whole hours),
//! `goal:<id>:achieved`, `goal:<id>:base`.

use super::{BySex, GoalDefinition, GoalProgress, Indicator, Indicator2014, IndicatorSet};
use super::{ReportRow, SocialAssistance};
use crate::enrolment::ExitStatus;
use crate::participant::Gender;
use std::collections::BTreeMap;

/// What one enrolment adds to its project's counts (all of the enrolment's gender).
pub type Contribution = BTreeMap<String, u64>;

/// A goal as the tallies know it: the key it counts under (its id) and its definition.
pub type TalliedGoal<'a> = (&'a str, &'a GoalDefinition);

/// The named counts of one enrolment, for the indicator set of its project and its goals.
pub fn contribution(r: &ReportRow, set: IndicatorSet, goals: &[TalliedGoal]) -> Contribution {
    let mut c = Contribution::new();
    let mut one = |k: String| *c.entry(k).or_default() += 1;
    one("enrolled".into());
    one(format!("month:{}", r.entry_month()));
    if r.is_complete() {
        one("counted".into());
        match set {
            IndicatorSet::EsfPlus => {
                for i in Indicator::ALL.iter().filter(|i| i.counts(r)) {
                    one(format!("ind:{}", i.code()));
                }
            }
            IndicatorSet::Esf2014 => {
                for i in Indicator2014::ALL.iter().filter(|i| i.counts(r)) {
                    one(format!("ind:{}", i.code()));
                }
            }
        }
    } else {
        one("incomplete".into());
    }
    if r.exited_on.is_some() {
        one("exited".into());
    }
    if let (Some(_), Some(s)) = (r.exited_on, r.exit_status) {
        one(format!("exit:{}", s.code()));
    }
    if ReportRow::yes(r.baseline.social_assistance) {
        one("sa:at_entry".into());
        if let Some(still) = r.six_months_in_window().and_then(|f| f.social_assistance) {
            one("sa:asked".into());
            if still {
                one("sa:still".into());
            }
        }
    }
    for (id, g) in goals {
        if g.in_base(r) {
            one(format!("goal:{id}:base"));
            if g.counts(r) {
                one(format!("goal:{id}:achieved"));
            }
        }
    }
    for (month, minutes) in &r.attended_by_month {
        if minutes / 60 > 0 {
            *c.entry(format!("hours:{month}")).or_default() += minutes / 60;
        }
    }
    c
}

/// A project's counts by key, split by gender.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally(pub BTreeMap<String, BySex>);

impl Tally {
    /// Adds one enrolment's contribution (of its gender).
    pub fn add(&mut self, gender: Gender, c: &Contribution) {
        for (k, n) in c {
            self.0.entry(k.clone()).or_default().add_n(gender, *n);
        }
    }

    /// The tally of rows, counted from scratch.
    pub fn of_rows(rows: &[ReportRow], set: IndicatorSet, goals: &[TalliedGoal]) -> Tally {
        let mut t = Tally::default();
        for r in rows {
            t.add(r.gender, &contribution(r, set, goals));
        }
        t
    }

    /// Leaves out keys that count nobody (a counter that went back to zero).
    pub fn without_zeros(mut self) -> Tally {
        self.0.retain(|_, v| v.total() > 0);
        self
    }

    pub fn get(&self, key: &str) -> BySex {
        self.0.get(key).copied().unwrap_or_default()
    }

    /// `(suffix, count)` of every key that starts with `prefix`, in key order.
    fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, BySex)> + 'a {
        self.0
            .range(prefix.to_owned()..)
            .take_while(move |(k, _)| k.starts_with(prefix))
            .map(move |(k, v)| (&k[prefix.len()..], *v))
    }

    /// Each indicator of the set: code, Swedish and English names, and its count.
    pub fn indicators(
        &self,
        set: IndicatorSet,
    ) -> Vec<(&'static str, &'static str, &'static str, BySex)> {
        let line = |code: &'static str, sv, en| (code, sv, en, self.get(&format!("ind:{code}")));
        match set {
            IndicatorSet::EsfPlus => Indicator::ALL
                .iter()
                .map(|i| line(i.code(), i.label("sv"), i.label("en")))
                .collect(),
            IndicatorSet::Esf2014 => Indicator2014::ALL
                .iter()
                .map(|i| line(i.code(), i.label("sv"), i.label("en")))
                .collect(),
        }
    }

    /// Entries per month, oldest first.
    pub fn entries_by_month(&self) -> Vec<(String, BySex)> {
        self.with_prefix("month:")
            .map(|(m, c)| (m.to_owned(), c))
            .collect()
    }

    /// Whole hours of attendance per month, oldest first.
    pub fn hours_by_month(&self) -> Vec<(String, BySex)> {
        self.with_prefix("hours:")
            .map(|(m, c)| (m.to_owned(), c))
            .collect()
    }

    /// Exits per exit status, in the statuses' order, leaving out those nobody left with.
    pub fn exits_by_status(&self) -> Vec<(ExitStatus, BySex)> {
        ExitStatus::ALL
            .iter()
            .map(|s| (*s, self.get(&format!("exit:{}", s.code()))))
            .filter(|(_, c)| c.total() > 0)
            .collect()
    }

    pub fn social_assistance(&self) -> SocialAssistance {
        SocialAssistance {
            at_entry: self.get("sa:at_entry"),
            asked_after: self.get("sa:asked"),
            still_after: self.get("sa:still"),
        }
    }

    /// A goal's progress from its counts.
    pub fn goal(&self, id: &str, g: &GoalDefinition) -> GoalProgress {
        g.progress(
            self.get(&format!("goal:{id}:achieved")),
            self.get(&format!("goal:{id}:base")),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::data;
    use crate::report::{Population, social_assistance};

    fn goals() -> Vec<(String, GoalDefinition)> {
        vec![
            (
                "a".into(),
                GoalDefinition::Share {
                    who: Population::Offered { kinds: vec![] },
                    of: Population::Enrolled,
                    percent: 75,
                    filter: Default::default(),
                },
            ),
            (
                "b".into(),
                GoalDefinition::Count {
                    who: Population::AttendedHours { at_least: 125 },
                    target: 1,
                    filter: crate::report::GoalFilter {
                        min_age: Some(30),
                        ..Default::default()
                    },
                },
            ),
        ]
    }

    /// The tally gives what counting the rows directly gives, for every part of the report.
    #[test]
    fn tally_equals_direct_counts() {
        let rows = data();
        let goals = goals();
        let g: Vec<TalliedGoal> = goals.iter().map(|(k, d)| (k.as_str(), d)).collect();
        for set in [IndicatorSet::EsfPlus, IndicatorSet::Esf2014] {
            let t = Tally::of_rows(&rows, set, &g);
            let (direct, incomplete) = set.count(&rows);
            assert_eq!(t.indicators(set), direct);
            assert_eq!(t.get("incomplete"), incomplete);
            assert_eq!(
                t.get("counted").total() + incomplete.total(),
                rows.len() as u64
            );
            assert_eq!(t.social_assistance(), social_assistance(&rows));
            for (id, d) in &goals {
                assert_eq!(t.goal(id, d), d.evaluate(&rows), "goal {id}");
            }
        }
    }

    /// Whole hours are rounded down per month, then summed (the funder's rule), in the tally as
    /// in goals.
    #[test]
    fn hours_round_down_per_month() {
        let mut r = data().remove(0);
        r.attended_by_month = [("2025-02".to_owned(), 61), ("2025-03".to_owned(), 119)].into();
        assert_eq!(r.whole_hours(), 2, "1 h + 1 h, not 3 h from 180 min");
        let t = Tally::of_rows(&[r.clone()], IndicatorSet::EsfPlus, &[]);
        assert_eq!(
            t.hours_by_month(),
            vec![
                (
                    "2025-02".to_owned(),
                    BySex {
                        women: 1,
                        ..Default::default()
                    }
                ),
                (
                    "2025-03".to_owned(),
                    BySex {
                        women: 1,
                        ..Default::default()
                    }
                ),
            ]
        );
    }

    /// Adding contributions and taking them away again leaves nothing behind: what the store
    /// does when an enrolment changes.
    #[test]
    fn contributions_subtract_to_zero() {
        let rows = data();
        let mut t = Tally::default();
        for r in &rows {
            t.add(r.gender, &contribution(r, IndicatorSet::EsfPlus, &[]));
        }
        for r in &rows {
            for (k, n) in contribution(r, IndicatorSet::EsfPlus, &[]) {
                let c = t.0.get_mut(&k).expect("key added before");
                match r.gender {
                    Gender::Woman => c.women -= n,
                    Gender::Man => c.men -= n,
                    Gender::NonBinary => c.non_binary -= n,
                }
            }
        }
        assert_eq!(t.without_zeros(), Tally::default());
    }
}
