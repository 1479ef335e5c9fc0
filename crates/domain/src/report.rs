//! The funder's numbers from one row per enrolment: ESF+ common indicators split by gender
//! (women / men / non-binary) with the EU completeness rule, project goals evaluated from their
//! definitions, and small-cell suppression for anything that leaves the organisation.
//!
//! Pure: the store gathers [`ReportRow`]s, this module counts.

use crate::baseline::{Answer, Baseline, LabourStatus};
use crate::enrolment::ExitStatus;
use crate::participant::Gender;
use crate::placement::PlacementKind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::{Date, Duration};

/// What the reports know of one enrolment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    pub gender: Gender,
    pub birth_date: Option<Date>,
    pub enrolled_on: Date,
    pub exited_on: Option<Date>,
    pub exit_status: Option<ExitStatus>,
    pub baseline: Baseline,
    /// Placements offered during the enrolment (declined ones included), and those started.
    pub offered: Vec<PlacementKind>,
    pub started: Vec<PlacementKind>,
    /// The follow-up made on leaving, and the one six months after.
    pub on_leaving: Option<OnLeaving>,
    pub after_six_months: Option<AfterSixMonths>,
    /// Attendance during the enrolment in the project's activities: minutes per month
    /// (`YYYY-MM`).
    pub attended_by_month: BTreeMap<String, u64>,
}

/// The answers of the follow-up made on leaving.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OnLeaving {
    pub done_on: Date,
    pub job_searching: bool,
    pub in_education: bool,
    pub gained_qualification: bool,
    pub employed: bool,
}

/// The answers of the follow-up six months after leaving.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AfterSixMonths {
    pub done_on: Date,
    pub employed: bool,
    pub improved_situation: bool,
    /// Still receiving social assistance, where asked.
    pub social_assistance: Option<bool>,
}

/// A date's month, `YYYY-MM`.
pub fn month_of(d: Date) -> String {
    format!("{:04}-{:02}", d.year(), d.month() as u8)
}

/// The immediate results count when the follow-up was made within four weeks of leaving.
pub const ON_LEAVING_WINDOW: Duration = Duration::days(28);

/// The six-month results count when the follow-up was made from 180 days after leaving (the
/// follow-up's fixed due date, see [`crate::follow_up`]) until four weeks later.
pub fn six_month_window(exited_on: Date) -> (Date, Date) {
    // Saturating: a stored exit date near the calendar's end must not stop every report.
    let from = exited_on.saturating_add(Duration::days(180));
    (from, from.saturating_add(ON_LEAVING_WINDOW))
}

impl ReportRow {
    /// Age in whole years on the day of entry.
    pub fn age_at_entry(&self) -> Option<i32> {
        let b = self.birth_date?;
        let e = self.enrolled_on;
        let mut age = e.year() - b.year();
        if (e.month() as u8, e.day()) < (b.month() as u8, b.day()) {
            age -= 1;
        }
        Some(age)
    }

    /// The EU completeness rule: a participant counts only when the baseline the funder requires
    /// is answered (and the age is known).
    pub fn is_complete(&self) -> bool {
        self.baseline.is_complete() && self.birth_date.is_some()
    }

    /// The follow-up on leaving, when it was made within its window.
    pub fn on_leaving_in_window(&self) -> Option<OnLeaving> {
        let exited = self.exited_on?;
        self.on_leaving
            .filter(|f| f.done_on >= exited && f.done_on <= exited + ON_LEAVING_WINDOW)
    }

    /// The six-month follow-up, when it was made within its window.
    pub fn six_months_in_window(&self) -> Option<AfterSixMonths> {
        let (from, to) = six_month_window(self.exited_on?);
        self.after_six_months
            .filter(|f| f.done_on >= from && f.done_on <= to)
    }

    /// Attendance in whole hours as the funder counts it: each month rounded down, summed.
    pub fn whole_hours(&self) -> u64 {
        self.attended_by_month.values().map(|m| m / 60).sum()
    }

    /// The month of entry, `YYYY-MM`.
    pub fn entry_month(&self) -> String {
        month_of(self.enrolled_on)
    }

    fn yes(a: Option<Answer>) -> bool {
        a == Some(Answer::Yes)
    }
}

crate::code_list!(
    /// ESF+ common indicators (Reg. 2021/1057 Annex I) that Stegvis can count.
    Indicator, "indicator" {
        Eeco01 => "EECO01", "Deltagare totalt", "Total participants";
        Eeco02 => "EECO02", "Arbetslösa, även långtidsarbetslösa", "Unemployed, incl. long-term unemployed";
        Eeco03 => "EECO03", "Långtidsarbetslösa", "Long-term unemployed";
        Eeco04 => "EECO04", "Utanför arbetskraften", "Inactive";
        Eeco05 => "EECO05", "Anställda, även egenföretagare", "Employed, incl. self-employed";
        Eeco06 => "EECO06", "Under 18 år", "Below 18 years";
        Eeco07 => "EECO07", "18–29 år", "18–29 years";
        Eeco08 => "EECO08", "55 år och äldre", "55 years and above";
        Eeco09 => "EECO09", "Högst ISCED 2", "ISCED 0–2";
        Eeco10 => "EECO10", "ISCED 3–4", "ISCED 3–4";
        Eeco11 => "EECO11", "ISCED 5–8", "ISCED 5–8";
        Eeco12 => "EECO12", "Med funktionsnedsättning", "With disabilities";
        Eeco14 => "EECO14", "Utländsk bakgrund", "Foreign background";
        Eeco16 => "EECO16", "Hemlösa eller utestängda från bostadsmarknaden", "Homeless or excluded from housing";
        Eecr01 => "EECR01", "Arbetssökande vid avslut", "Job searching on leaving";
        Eecr02 => "EECR02", "I utbildning vid avslut", "In education or training on leaving";
        Eecr03 => "EECR03", "Fått en kvalifikation vid avslut", "Gained a qualification on leaving";
        Eecr04 => "EECR04", "I arbete vid avslut", "Employed on leaving";
        Eecr05 => "EECR05", "I arbete sex månader efter avslut", "Employed six months after leaving";
        Eecr06 => "EECR06", "Bättre situation sex månader efter avslut", "Improved labour-market situation six months after leaving";
    }
);

impl Indicator {
    /// Output indicators describe entry; result indicators leaving.
    pub fn is_result(self) -> bool {
        self.code().starts_with("EECR")
    }

    /// Whether the (complete) row counts for this indicator.
    pub fn counts(self, r: &ReportRow) -> bool {
        use Indicator::*;
        let b = &r.baseline;
        let age = r.age_at_entry().unwrap_or(-1);
        let isced = b.isced_level;
        match self {
            Eeco01 => true,
            Eeco02 => b.labour_status == Some(LabourStatus::Unemployed),
            Eeco03 => {
                b.labour_status == Some(LabourStatus::Unemployed)
                    && ReportRow::yes(b.long_term_unemployed)
            }
            Eeco04 => b.labour_status == Some(LabourStatus::Inactive),
            Eeco05 => b.labour_status == Some(LabourStatus::Employed),
            Eeco06 => (0..18).contains(&age),
            Eeco07 => (18..30).contains(&age),
            Eeco08 => age >= 55,
            Eeco09 => isced.is_some_and(|l| l <= 2),
            Eeco10 => isced.is_some_and(|l| (3..=4).contains(&l)),
            Eeco11 => isced.is_some_and(|l| l >= 5),
            Eeco12 => ReportRow::yes(b.disability),
            Eeco14 => ReportRow::yes(b.foreign_background),
            Eeco16 => ReportRow::yes(b.homeless),
            Eecr01 => r.on_leaving_in_window().is_some_and(|f| {
                f.job_searching && b.labour_status == Some(LabourStatus::Inactive)
            }),
            Eecr02 => r.on_leaving_in_window().is_some_and(|f| f.in_education),
            Eecr03 => r
                .on_leaving_in_window()
                .is_some_and(|f| f.gained_qualification),
            Eecr04 => r.on_leaving_in_window().is_some_and(|f| f.employed),
            Eecr05 => r.six_months_in_window().is_some_and(|f| f.employed),
            Eecr06 => r.six_months_in_window().is_some_and(|f| {
                f.improved_situation && b.labour_status == Some(LabourStatus::Employed)
            }),
        }
    }
}

/// A count split by gender, women / men / non-binary, and its total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BySex {
    pub women: u64,
    pub men: u64,
    pub non_binary: u64,
}

impl BySex {
    pub fn total(&self) -> u64 {
        self.women + self.men + self.non_binary
    }

    pub fn add(&mut self, g: Gender) {
        self.add_n(g, 1);
    }

    pub fn add_n(&mut self, g: Gender, n: u64) {
        match g {
            Gender::Woman => self.women += n,
            Gender::Man => self.men += n,
            Gender::NonBinary => self.non_binary += n,
        }
    }

    /// Adds another count, gender by gender.
    pub fn add_all(&mut self, o: &BySex) {
        self.women += o.women;
        self.men += o.men;
        self.non_binary += o.non_binary;
    }

    pub fn get(&self, g: Gender) -> u64 {
        match g {
            Gender::Woman => self.women,
            Gender::Man => self.men,
            Gender::NonBinary => self.non_binary,
        }
    }

    pub fn cells(&self) -> [u64; 4] {
        [self.women, self.men, self.non_binary, self.total()]
    }
}

/// The indicator report: each indicator's count over complete participants, and how many
/// participants could not be counted because their baseline is incomplete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorReport {
    pub rows: Vec<(Indicator, BySex)>,
    pub incomplete: BySex,
}

/// Counts every indicator of `all` over the complete rows, and the incomplete ones by gender.
pub fn count_all<I: Copy>(
    all: &[I],
    counts: impl Fn(I, &ReportRow) -> bool,
    rows: &[ReportRow],
) -> (Vec<(I, BySex)>, BySex) {
    let mut out: Vec<(I, BySex)> = all.iter().map(|i| (*i, BySex::default())).collect();
    let mut incomplete = BySex::default();
    for r in rows {
        if !r.is_complete() {
            incomplete.add(r.gender);
            continue;
        }
        for (i, c) in out.iter_mut() {
            if counts(*i, r) {
                c.add(r.gender);
            }
        }
    }
    (out, incomplete)
}

/// Counts every ESF+ indicator. Result indicators count the participants who have left.
pub fn indicators(rows: &[ReportRow]) -> IndicatorReport {
    let (rows, incomplete) = count_all(Indicator::ALL, Indicator::counts, rows);
    IndicatorReport { rows, incomplete }
}

crate::code_list!(
    /// ESF 2014–2020 common indicators (Reg. 1304/2013 Annex I), for the projects of that
    /// programme period.
    Indicator2014, "indicator 2014–2020" {
        Co01 => "CO01", "Arbetslösa, även långtidsarbetslösa", "Unemployed, incl. long-term unemployed";
        Co02 => "CO02", "Långtidsarbetslösa", "Long-term unemployed";
        Co03 => "CO03", "Utanför arbetskraften", "Inactive";
        Co04 => "CO04", "Utanför arbetskraften, ej i utbildning", "Inactive, not in education or training";
        Co05 => "CO05", "Anställda, även egenföretagare", "Employed, incl. self-employed";
        Co06 => "CO06", "Under 25 år", "Below 25 years";
        Co07 => "CO07", "Över 54 år", "Above 54 years";
        Co08 => "CO08", "Över 54 år, arbetslösa eller utanför arbetskraften och ej i utbildning", "Above 54, unemployed or inactive not in education";
        Co09 => "CO09", "Högst grundskola (ISCED 1–2)", "ISCED 1–2";
        Co10 => "CO10", "Gymnasium eller eftergymnasial (ISCED 3–4)", "ISCED 3–4";
        Co11 => "CO11", "Högre utbildning (ISCED 5–8)", "ISCED 5–8";
        Co15 => "CO15", "Utrikes födda eller utländsk bakgrund", "Migrants, foreign background";
        Co16 => "CO16", "Med funktionsnedsättning", "With disabilities";
        Co17 => "CO17", "Andra missgynnade (hemlösa, hushåll utan arbete)", "Other disadvantaged (homeless, jobless household)";
        Cr01 => "CR01", "Från utanför arbetskraften till arbetssökande vid avslut", "Inactive, job searching on leaving";
        Cr02 => "CR02", "I utbildning vid avslut", "In education or training on leaving";
        Cr03 => "CR03", "Fått en kvalifikation vid avslut", "Gained a qualification on leaving";
        Cr04 => "CR04", "I arbete vid avslut", "Employed on leaving";
        Cr05 => "CR05", "Missgynnade med något resultat vid avslut", "Disadvantaged with a result on leaving";
        Cr06 => "CR06", "I arbete sex månader efter avslut", "Employed six months after leaving";
        Cr07 => "CR07", "Bättre situation sex månader efter avslut", "Improved labour-market situation six months after leaving";
        Cr08 => "CR08", "Över 54 år och i arbete sex månader efter avslut", "Above 54 and employed six months after leaving";
        Cr09 => "CR09", "Missgynnade i arbete sex månader efter avslut", "Disadvantaged and employed six months after leaving";
    }
);

impl Indicator2014 {
    /// Disadvantaged as CO15–CO17 count it.
    fn disadvantaged(r: &ReportRow) -> bool {
        let b = &r.baseline;
        ReportRow::yes(b.foreign_background)
            || ReportRow::yes(b.born_abroad)
            || ReportRow::yes(b.disability)
            || ReportRow::yes(b.homeless)
            || ReportRow::yes(b.jobless_household)
    }

    pub fn counts(self, r: &ReportRow) -> bool {
        use Indicator2014::*;
        let b = &r.baseline;
        let age = r.age_at_entry().unwrap_or(-1);
        let status = b.labour_status;
        let inactive_not_in_education =
            status == Some(LabourStatus::Inactive) && !ReportRow::yes(b.in_education);
        let leaving = r.on_leaving_in_window();
        let later = r.six_months_in_window();
        match self {
            Co01 => status == Some(LabourStatus::Unemployed),
            Co02 => {
                status == Some(LabourStatus::Unemployed) && ReportRow::yes(b.long_term_unemployed)
            }
            Co03 => status == Some(LabourStatus::Inactive),
            Co04 => inactive_not_in_education,
            Co05 => status == Some(LabourStatus::Employed),
            Co06 => (0..25).contains(&age),
            Co07 => age > 54,
            Co08 => {
                age > 54 && (status == Some(LabourStatus::Unemployed) || inactive_not_in_education)
            }
            Co09 => b.isced_level.is_some_and(|l| l <= 2),
            Co10 => b.isced_level.is_some_and(|l| (3..=4).contains(&l)),
            Co11 => b.isced_level.is_some_and(|l| l >= 5),
            Co15 => ReportRow::yes(b.foreign_background) || ReportRow::yes(b.born_abroad),
            Co16 => ReportRow::yes(b.disability),
            Co17 => ReportRow::yes(b.homeless) || ReportRow::yes(b.jobless_household),
            Cr01 => {
                leaving.is_some_and(|f| f.job_searching && status == Some(LabourStatus::Inactive))
            }
            Cr02 => leaving.is_some_and(|f| f.in_education),
            Cr03 => leaving.is_some_and(|f| f.gained_qualification),
            Cr04 => leaving.is_some_and(|f| f.employed),
            Cr05 => {
                Self::disadvantaged(r)
                    && leaving.is_some_and(|f| {
                        f.job_searching || f.in_education || f.gained_qualification || f.employed
                    })
            }
            Cr06 => later.is_some_and(|f| f.employed),
            Cr07 => later
                .is_some_and(|f| f.improved_situation && status == Some(LabourStatus::Employed)),
            Cr08 => age > 54 && later.is_some_and(|f| f.employed),
            Cr09 => Self::disadvantaged(r) && later.is_some_and(|f| f.employed),
        }
    }
}

/// Which set of common indicators a project reports: the one of its programme period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndicatorSet {
    Esf2014,
    EsfPlus,
}

impl IndicatorSet {
    /// Projects that started before 2021 belong to the 2014–2020 programme.
    pub fn for_project_start(start: Date) -> Self {
        if start.year() < 2021 {
            IndicatorSet::Esf2014
        } else {
            IndicatorSet::EsfPlus
        }
    }

    /// Each indicator of the set: code, Swedish and English names, and its count.
    pub fn count(
        self,
        rows: &[ReportRow],
    ) -> (
        Vec<(&'static str, &'static str, &'static str, BySex)>,
        BySex,
    ) {
        match self {
            IndicatorSet::EsfPlus => {
                let (v, inc) = count_all(Indicator::ALL, Indicator::counts, rows);
                (
                    v.into_iter()
                        .map(|(i, c)| (i.code(), i.label("sv"), i.label("en"), c))
                        .collect(),
                    inc,
                )
            }
            IndicatorSet::Esf2014 => {
                let (v, inc) = count_all(Indicator2014::ALL, Indicator2014::counts, rows);
                (
                    v.into_iter()
                        .map(|(i, c)| (i.code(), i.label("sv"), i.label("en"), c))
                        .collect(),
                    inc,
                )
            }
        }
    }
}

/// Social assistance before and after: those receiving it at entry, those of them asked again
/// six months after leaving, and those still receiving it then.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SocialAssistance {
    pub at_entry: BySex,
    pub asked_after: BySex,
    pub still_after: BySex,
}

pub fn social_assistance(rows: &[ReportRow]) -> SocialAssistance {
    let mut s = SocialAssistance::default();
    for r in rows
        .iter()
        .filter(|r| ReportRow::yes(r.baseline.social_assistance))
    {
        s.at_entry.add(r.gender);
        if let Some(still) = r.six_months_in_window().and_then(|f| f.social_assistance) {
            s.asked_after.add(r.gender);
            if still {
                s.still_after.add(r.gender);
            }
        }
    }
    s
}

// ---------------------------------------------------------------------------------------------
// Goals.

/// Who a goal counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "who", rename_all = "snake_case")]
pub enum Population {
    /// Everyone enrolled.
    Enrolled,
    /// Offered at least one placement of these kinds (all kinds when empty).
    Offered { kinds: Vec<PlacementKind> },
    /// Started at least one placement of these kinds (all kinds when empty).
    Started { kinds: Vec<PlacementKind> },
    /// Left with one of these exit statuses (any when empty).
    Left { statuses: Vec<ExitStatus> },
    /// Employed at the follow-up six months after leaving.
    EmployedAfterSixMonths,
    /// At least this many whole hours of attendance.
    AttendedHours { at_least: u64 },
}

impl Population {
    pub fn includes(&self, r: &ReportRow) -> bool {
        let any = |list: &[PlacementKind], of: &[PlacementKind]| {
            of.iter().any(|k| list.is_empty() || list.contains(k))
        };
        match self {
            Population::Enrolled => true,
            Population::Offered { kinds } => any(kinds, &r.offered),
            Population::Started { kinds } => any(kinds, &r.started),
            Population::Left { statuses } => {
                r.exited_on.is_some()
                    && r.exit_status
                        .is_some_and(|s| statuses.is_empty() || statuses.contains(&s))
            }
            Population::EmployedAfterSixMonths => {
                r.six_months_in_window().is_some_and(|f| f.employed)
            }
            Population::AttendedHours { at_least } => r.whole_hours() >= *at_least,
        }
    }
}

crate::code_list!(
    /// Target groups a goal can be limited to, from the baseline.
    TargetGroup, "target group" {
        LongTermUnemployed => "long_term_unemployed", "Långtidsarbetslösa", "Long-term unemployed";
        ForeignBackground => "foreign_background", "Utländsk bakgrund", "Foreign background";
        Disability => "disability", "Med funktionsnedsättning", "With disabilities";
        SocialAssistance => "social_assistance", "Med ekonomiskt bistånd", "On social assistance";
        LowEducation => "low_education", "Högst ISCED 2", "ISCED 0–2";
    }
);

impl TargetGroup {
    pub fn includes(self, r: &ReportRow) -> bool {
        let b = &r.baseline;
        match self {
            TargetGroup::LongTermUnemployed => ReportRow::yes(b.long_term_unemployed),
            TargetGroup::ForeignBackground => ReportRow::yes(b.foreign_background),
            TargetGroup::Disability => ReportRow::yes(b.disability),
            TargetGroup::SocialAssistance => ReportRow::yes(b.social_assistance),
            TargetGroup::LowEducation => b.isced_level.is_some_and(|l| l <= 2),
        }
    }
}

/// Whom a goal is about: everyone, or only some genders, an age band at entry, a target group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct GoalFilter {
    /// Empty: every gender.
    pub genders: Vec<Gender>,
    /// Age at entry, both ends included.
    pub min_age: Option<u8>,
    pub max_age: Option<u8>,
    pub target_group: Option<TargetGroup>,
}

impl GoalFilter {
    pub fn includes(&self, r: &ReportRow) -> bool {
        let age = r.age_at_entry();
        (self.genders.is_empty() || self.genders.contains(&r.gender))
            && self
                .min_age
                .is_none_or(|m| age.is_some_and(|a| a >= i32::from(m)))
            && self
                .max_age
                .is_none_or(|m| age.is_some_and(|a| a <= i32::from(m)))
            && self.target_group.is_none_or(|g| g.includes(r))
    }

    pub fn is_everyone(&self) -> bool {
        *self == GoalFilter::default()
    }
}

/// What a goal measures and aims for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "measure", rename_all = "snake_case")]
pub enum GoalDefinition {
    /// At least `target` people in `who`.
    Count {
        who: Population,
        target: u64,
        #[serde(default, skip_serializing_if = "GoalFilter::is_everyone")]
        filter: GoalFilter,
    },
    /// At least `percent` % of `of` also in `who`.
    Share {
        who: Population,
        of: Population,
        percent: u8,
        #[serde(default, skip_serializing_if = "GoalFilter::is_everyone")]
        filter: GoalFilter,
    },
}

/// How far a goal has come, by gender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalProgress {
    /// Those the goal counts.
    pub achieved: BySex,
    /// The base of a share (everyone counted for a count goal).
    pub base: BySex,
    /// The number needed to meet the goal today.
    pub needed: u64,
    pub met: bool,
}

impl GoalDefinition {
    /// Whether the goal counts this row (for a share: it is in the base and in the share).
    pub fn counts(&self, r: &ReportRow) -> bool {
        self.filter().includes(r)
            && match self {
                GoalDefinition::Count { who, .. } => who.includes(r),
                GoalDefinition::Share { who, of, .. } => of.includes(r) && who.includes(r),
            }
    }

    pub fn filter(&self) -> &GoalFilter {
        match self {
            GoalDefinition::Count { filter, .. } | GoalDefinition::Share { filter, .. } => filter,
        }
    }

    pub fn evaluate(&self, rows: &[ReportRow]) -> GoalProgress {
        let mut achieved = BySex::default();
        let mut base = BySex::default();
        let (who, of) = match self {
            GoalDefinition::Count { who, .. } => (who, None),
            GoalDefinition::Share { who, of, .. } => (who, Some(of)),
        };
        for r in rows.iter().filter(|r| self.filter().includes(r)) {
            if of.is_none_or(|o| o.includes(r)) {
                base.add(r.gender);
                if who.includes(r) {
                    achieved.add(r.gender);
                }
            }
        }
        self.progress(achieved, base)
    }

    /// Whether the row is in the goal's base (everyone the filter lets in, for a count goal).
    pub fn in_base(&self, r: &ReportRow) -> bool {
        self.filter().includes(r)
            && match self {
                GoalDefinition::Count { .. } => true,
                GoalDefinition::Share { of, .. } => of.includes(r),
            }
    }

    /// The progress from what is achieved and the base.
    pub fn progress(&self, achieved: BySex, base: BySex) -> GoalProgress {
        let needed = match self {
            GoalDefinition::Count { target, .. } => *target,
            // Round up: 75 % of 10 is 8 people.
            GoalDefinition::Share { percent, .. } => {
                (base.total() * u64::from(*percent)).div_ceil(100)
            }
        };
        GoalProgress {
            met: achieved.total() >= needed && (needed > 0 || base.total() > 0),
            achieved,
            base,
            needed,
        }
    }
}

/// A goal definition that cannot be saved, with the field (of the definition) it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GoalError {
    #[error("a share must be 1-100 %")]
    Percent,
    #[error("a count must be at least 1")]
    Target,
    #[error("the lowest age is above the highest")]
    AgeBand,
    #[error("hours must be at least 1")]
    Hours { of: bool },
}

impl GoalError {
    /// The field of the definition, as the API names it.
    pub fn field(&self) -> &'static str {
        match self {
            Self::Percent => "definition.percent",
            Self::Target => "definition.target",
            Self::AgeBand => "definition.filter.max_age",
            Self::Hours { of: false } => "definition.who.at_least",
            Self::Hours { of: true } => "definition.of.at_least",
        }
    }

    pub fn message(&self, lang: &str) -> &'static str {
        match (self, lang) {
            (Self::Percent, "en") => "A share must be more than 0 % and at most 100 %.",
            (Self::Percent, _) => "En andel måste vara mer än 0 % och högst 100 %.",
            (Self::Target, "en") => "A number of people must be at least 1.",
            (Self::Target, _) => "Ett antal personer måste vara minst 1.",
            (Self::AgeBand, "en") => "The highest age cannot be below the lowest.",
            (Self::AgeBand, _) => "Den högsta åldern kan inte vara lägre än den lägsta.",
            (Self::Hours { .. }, "en") => "Give at least 1 hour.",
            (Self::Hours { .. }, _) => "Ange minst 1 timme.",
        }
    }
}

impl GoalDefinition {
    /// Every reason the definition cannot be a goal: a share of 0 % or over 100 %, a count of
    /// nobody, an age band upside down, a number of hours of none.
    pub fn validate(&self) -> Vec<GoalError> {
        let mut errors = Vec::new();
        let hours = |p: &Population| matches!(p, Population::AttendedHours { at_least: 0 });
        match self {
            GoalDefinition::Count { who, target, .. } => {
                if hours(who) {
                    errors.push(GoalError::Hours { of: false });
                }
                if *target == 0 {
                    errors.push(GoalError::Target);
                }
            }
            GoalDefinition::Share {
                who, of, percent, ..
            } => {
                if hours(who) {
                    errors.push(GoalError::Hours { of: false });
                }
                if hours(of) {
                    errors.push(GoalError::Hours { of: true });
                }
                if *percent == 0 || *percent > 100 {
                    errors.push(GoalError::Percent);
                }
            }
        }
        let f = self.filter();
        if let (Some(lo), Some(hi)) = (f.min_age, f.max_age)
            && lo > hi
        {
            errors.push(GoalError::AgeBand);
        }
        errors
    }
}

// ---------------------------------------------------------------------------------------------
// Small-cell protection.

/// Cells of fewer people than this are not shown outside the organisation.
pub const MIN_CELL: u64 = 5;

/// A published cell: a number, suppressed as too small ("<5"), or suppressed so that a small
/// one cannot be worked out from the total ("..", as Statistics Sweden writes it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    Shown(u64),
    Suppressed,
    Secondary,
}

impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cell::Shown(n) => write!(f, "{n}"),
            Cell::Suppressed => write!(f, "<{MIN_CELL}"),
            Cell::Secondary => write!(f, ".."),
        }
    }
}

/// What a suppressed quasi-identifier reads in a pseudonymised export.
pub const SUPPRESSED: &str = "<5";

/// Protects the quasi-identifiers of a pseudonymised export (the columns `qi` of each row; the
/// first of them a birth year) so that every combination of them is shared by at least
/// [`MIN_CELL`] rows: rows in a smaller group first get their birth year as a five-year band,
/// then lose one quasi-identifier after another in `qi`'s order (written [`SUPPRESSED`]), and
/// rows still in a smaller group when none is left are dropped. Deterministic; rows in groups
/// large enough are never changed.
pub fn protect_quasi_identifiers(rows: &mut Vec<Vec<String>>, qi: &[usize]) {
    use std::collections::HashMap;
    fn small(rows: &[Vec<String>], qi: &[usize]) -> Vec<bool> {
        let key = |r: &Vec<String>| qi.iter().map(|&c| r[c].clone()).collect::<Vec<_>>();
        let mut n: HashMap<Vec<String>, u64> = HashMap::new();
        for r in rows {
            *n.entry(key(r)).or_default() += 1;
        }
        rows.iter().map(|r| n[&key(r)] < MIN_CELL).collect()
    }
    let Some(&year) = qi.first() else {
        return;
    };
    let first = small(rows, qi);
    for (r, s) in rows.iter_mut().zip(first) {
        if s && let Ok(y) = r[year].parse::<i32>() {
            let from = y - y.rem_euclid(5);
            r[year] = format!("{from}–{}", from + 4);
        }
    }
    for &c in qi {
        let now = small(rows, qi);
        for (r, s) in rows.iter_mut().zip(now) {
            if s {
                r[c] = SUPPRESSED.to_owned();
            }
        }
    }
    let keep = small(rows, qi);
    let mut i = 0;
    rows.retain(|_| {
        let k = !keep[i];
        i += 1;
        k
    });
}

/// Suppresses a row of parts and their total (`[women, men, non-binary, total]`): every part
/// of 1–4 people, and, so that no suppressed part can be recovered by subtracting the shown ones
/// from the total, the smallest other non-zero part as well when only one part is suppressed
/// (or the total, when there is no other part to suppress). A total under 5 is suppressed too.
pub fn suppress(parts: &[u64], total: u64) -> (Vec<Cell>, Cell) {
    let small = |n: u64| n > 0 && n < MIN_CELL;
    let mut cells: Vec<Cell> = parts
        .iter()
        .map(|&n| {
            if small(n) {
                Cell::Suppressed
            } else {
                Cell::Shown(n)
            }
        })
        .collect();
    let mut total_cell = if small(total) {
        Cell::Suppressed
    } else {
        Cell::Shown(total)
    };
    let hidden = cells.iter().filter(|c| **c == Cell::Suppressed).count();
    if hidden == 1 && matches!(total_cell, Cell::Shown(_)) {
        let other = parts
            .iter()
            .enumerate()
            .filter(|(i, n)| matches!(cells[*i], Cell::Shown(_)) && **n > 0)
            .min_by_key(|(_, n)| **n)
            .map(|(i, _)| i);
        match other {
            Some(i) => cells[i] = Cell::Secondary,
            None => total_cell = Cell::Secondary,
        }
    }
    (cells, total_cell)
}

pub mod tally;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod quasi_identifier_tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever the rows, every combination of quasi-identifiers left is shared by at least
        /// MIN_CELL rows, and a row in a group large enough to begin with is kept unchanged.
        #[test]
        fn no_group_is_smaller_than_min_cell(
            input in proptest::collection::vec(
                (0u8..3, 1940i32..2008, 0u8..3, 0u8..3, 0u8..4), 0..200)
        ) {
            let mut rows: Vec<Vec<String>> = input
                .iter()
                .map(|(g, y, f, d, x)| {
                    vec![g.to_string(), y.to_string(), f.to_string(), d.to_string(), x.to_string()]
                })
                .collect();
            let original = rows.clone();
            // Birth year first, then disability, foreign background, gender.
            let qi = [1, 3, 2, 0];
            protect_quasi_identifiers(&mut rows, &qi);
            let key = |r: &Vec<String>| qi.iter().map(|&c| r[c].clone()).collect::<Vec<_>>();
            for r in &rows {
                let n = rows.iter().filter(|o| key(o) == key(r)).count() as u64;
                prop_assert!(n >= MIN_CELL, "{r:?} is in a group of {n}");
            }
            for r in &original {
                let n = original.iter().filter(|o| key(o) == key(r)).count() as u64;
                if n >= MIN_CELL {
                    prop_assert!(rows.contains(r));
                }
            }
            // Columns that are not quasi-identifiers are never changed.
            for r in &rows {
                prop_assert!(original.iter().any(|o| o[4] == r[4]));
            }
        }
    }
}
