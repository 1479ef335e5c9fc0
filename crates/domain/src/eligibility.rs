//! A project's target group as eligibility rules, checked when someone is enrolled: an age band
//! at entry, the labour-market statuses it takes, months without work, and yes/no criteria on the
//! baseline (social assistance, sick leave, activity compensation, disability, foreign
//! background, registered at the employment service). A rule that needs an answer the baseline
//! does not have is not met: eligibility is shown, never assumed.

use crate::baseline::{Answer, Baseline, BaselineField, LabourStatus};
use serde::{Deserialize, Serialize};
use time::Date;

crate::code_list!(
    /// What a yes/no criterion of a target group asks of the participant's answer.
    Requirement, "requirement" {
        Any => "any", "Spelar ingen roll", "Does not matter";
        Yes => "yes", "Måste gälla", "Must apply";
        No => "no", "Får inte gälla", "Must not apply";
    }
);

// The enum comes from `code_list!`, which cannot carry `#[default]`.
#[allow(clippy::derivable_impls)]
impl Default for Requirement {
    fn default() -> Self {
        Requirement::Any
    }
}

/// The baseline questions a target group can require or exclude, in display order.
pub const ANSWER_CRITERIA: &[BaselineField] = &[
    BaselineField::SocialAssistance,
    BaselineField::SickLeave,
    BaselineField::ActivityCompensation,
    BaselineField::Disability,
    BaselineField::ForeignBackground,
    BaselineField::RegisteredAtEmploymentService,
];

/// The oldest age a band may name: anything above is a typing error.
pub const MAX_AGE: u8 = 120;

/// The most months without work a rule may ask for (the baseline's own limit).
pub const MAX_MONTHS: u16 = 600;

/// Who a project is for. Every rule is optional; a project without rules takes everyone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Eligibility {
    /// Age at entry, both ends included.
    #[cfg_attr(feature = "openapi", schema(maximum = 120))]
    pub min_age: Option<u8>,
    #[cfg_attr(feature = "openapi", schema(maximum = 120))]
    pub max_age: Option<u8>,
    /// The labour-market statuses the project takes (any when empty).
    pub labour_statuses: Vec<LabourStatus>,
    /// At least this many months without work.
    #[cfg_attr(feature = "openapi", schema(maximum = 600))]
    pub min_months_without_work: Option<u16>,
    pub social_assistance: Requirement,
    pub sick_leave: Requirement,
    pub activity_compensation: Requirement,
    pub disability: Requirement,
    pub foreign_background: Requirement,
    pub registered_at_employment_service: Requirement,
    /// Whether someone outside the target group may be enrolled anyway, with a written reason.
    pub exceptions_allowed: bool,
}

/// One rule a participant does not meet, with what the participant's record says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shortfall {
    /// Outside the age band, or the age is not known.
    Age {
        age: Option<i32>,
        min: Option<u8>,
        max: Option<u8>,
    },
    /// Another labour-market status, or none recorded.
    LabourStatus {
        actual: Option<LabourStatus>,
        allowed: Vec<LabourStatus>,
    },
    /// Fewer months without work, or none recorded.
    MonthsWithoutWork { actual: Option<u16>, at_least: u16 },
    /// A yes/no criterion the answer does not meet (or no answer, or declined).
    Answer {
        field: BaselineField,
        required: Requirement,
        actual: Option<Answer>,
    },
}

/// A rule that cannot be saved, with the field of [`Eligibility`] it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EligibilityError {
    #[error("age above {MAX_AGE}")]
    AgeOutOfRange { max_field: bool },
    #[error("the lowest age is above the highest")]
    AgeBand,
    #[error("months without work above {MAX_MONTHS}")]
    MonthsOutOfRange,
}

impl EligibilityError {
    /// The field of [`Eligibility`] the error belongs to.
    pub fn field(&self) -> &'static str {
        match self {
            Self::AgeOutOfRange { max_field: false } => "min_age",
            Self::AgeOutOfRange { max_field: true } | Self::AgeBand => "max_age",
            Self::MonthsOutOfRange => "min_months_without_work",
        }
    }

    pub fn message(&self, lang: &str) -> &'static str {
        match (self, lang) {
            (Self::AgeOutOfRange { .. }, "en") => "Give an age between 0 and 120.",
            (Self::AgeOutOfRange { .. }, _) => "Skriv en ålder mellan 0 och 120.",
            (Self::AgeBand, "en") => "The highest age cannot be below the lowest.",
            (Self::AgeBand, _) => "Den högsta åldern kan inte vara lägre än den lägsta.",
            (Self::MonthsOutOfRange, "en") => "Give a number of months between 0 and 600.",
            (Self::MonthsOutOfRange, _) => "Skriv ett antal månader mellan 0 och 600.",
        }
    }
}

/// Age in whole years on `day` of someone born on `birth`.
pub fn age_on(birth: Date, day: Date) -> i32 {
    let mut age = day.year() - birth.year();
    if (day.month() as u8, day.day()) < (birth.month() as u8, birth.day()) {
        age -= 1;
    }
    age
}

impl Eligibility {
    /// The requirement set for a yes/no question (`Any` for a question that is no criterion).
    pub fn requirement(&self, field: BaselineField) -> Requirement {
        use BaselineField as F;
        match field {
            F::SocialAssistance => self.social_assistance,
            F::SickLeave => self.sick_leave,
            F::ActivityCompensation => self.activity_compensation,
            F::Disability => self.disability,
            F::ForeignBackground => self.foreign_background,
            F::RegisteredAtEmploymentService => self.registered_at_employment_service,
            _ => Requirement::Any,
        }
    }

    /// Sets the requirement of one of the [`ANSWER_CRITERIA`] (ignored for other questions).
    pub fn set_requirement(&mut self, field: BaselineField, r: Requirement) {
        use BaselineField as F;
        let slot = match field {
            F::SocialAssistance => &mut self.social_assistance,
            F::SickLeave => &mut self.sick_leave,
            F::ActivityCompensation => &mut self.activity_compensation,
            F::Disability => &mut self.disability,
            F::ForeignBackground => &mut self.foreign_background,
            F::RegisteredAtEmploymentService => &mut self.registered_at_employment_service,
            _ => return,
        };
        *slot = r;
    }

    /// Whether the project takes everyone (no rule set).
    pub fn is_open(&self) -> bool {
        Eligibility {
            exceptions_allowed: false,
            ..self.clone()
        } == Eligibility::default()
    }

    /// Every rule that cannot be saved.
    pub fn validate(&self) -> Vec<EligibilityError> {
        let mut errors = Vec::new();
        if self.min_age.is_some_and(|a| a > MAX_AGE) {
            errors.push(EligibilityError::AgeOutOfRange { max_field: false });
        }
        if self.max_age.is_some_and(|a| a > MAX_AGE) {
            errors.push(EligibilityError::AgeOutOfRange { max_field: true });
        } else if let (Some(lo), Some(hi)) = (self.min_age, self.max_age)
            && lo > hi
        {
            errors.push(EligibilityError::AgeBand);
        }
        if self.min_months_without_work.is_some_and(|m| m > MAX_MONTHS) {
            errors.push(EligibilityError::MonthsOutOfRange);
        }
        errors
    }

    /// What the participant, born on `birth_date` (if known) and enrolled on `enrolled_on` with
    /// `baseline`, does not meet: empty when they belong to the target group.
    pub fn check(
        &self,
        birth_date: Option<Date>,
        enrolled_on: Date,
        baseline: &Baseline,
    ) -> Vec<Shortfall> {
        let mut out = Vec::new();
        if self.min_age.is_some() || self.max_age.is_some() {
            let age = birth_date.map(|b| age_on(b, enrolled_on));
            let inside = age.is_some_and(|a| {
                self.min_age.is_none_or(|m| a >= i32::from(m))
                    && self.max_age.is_none_or(|m| a <= i32::from(m))
            });
            if !inside {
                out.push(Shortfall::Age {
                    age,
                    min: self.min_age,
                    max: self.max_age,
                });
            }
        }
        if !self.labour_statuses.is_empty()
            && !baseline
                .labour_status
                .is_some_and(|s| self.labour_statuses.contains(&s))
        {
            out.push(Shortfall::LabourStatus {
                actual: baseline.labour_status,
                allowed: self.labour_statuses.clone(),
            });
        }
        if let Some(at_least) = self.min_months_without_work
            && baseline.months_without_work.is_none_or(|m| m < at_least)
        {
            out.push(Shortfall::MonthsWithoutWork {
                actual: baseline.months_without_work,
                at_least,
            });
        }
        for &field in ANSWER_CRITERIA {
            let required = self.requirement(field);
            let actual = baseline.answer(field);
            let met = match required {
                Requirement::Any => true,
                Requirement::Yes => actual == Some(Answer::Yes),
                Requirement::No => actual == Some(Answer::No),
            };
            if !met {
                out.push(Shortfall::Answer {
                    field,
                    required,
                    actual,
                });
            }
        }
        out
    }
}

/// How a yes/no criterion reads in a sentence: "for people who …".
fn phrase(field: BaselineField, lang: &str) -> &'static str {
    use BaselineField as F;
    match (field, lang) {
        (F::SocialAssistance, "en") => "receive social assistance",
        (F::SocialAssistance, _) => "får ekonomiskt bistånd",
        (F::SickLeave, "en") => "are on sick leave",
        (F::SickLeave, _) => "är sjukskrivna",
        (F::ActivityCompensation, "en") => "receive activity compensation",
        (F::ActivityCompensation, _) => "har aktivitetsersättning",
        (F::Disability, "en") => "have a disability",
        (F::Disability, _) => "har en funktionsnedsättning",
        (F::ForeignBackground, "en") => "have a foreign background",
        (F::ForeignBackground, _) => "har utländsk bakgrund",
        (F::RegisteredAtEmploymentService, "en") => "are registered at the employment service",
        (F::RegisteredAtEmploymentService, _) => "är inskrivna på Arbetsförmedlingen",
        (other, _) => other.label(lang),
    }
}

/// An age band as words: `18–29 år`, `minst 18 år`, `högst 29 år`.
fn band(min: Option<u8>, max: Option<u8>, lang: &str) -> String {
    match (min, max, lang) {
        (Some(lo), Some(hi), "en") => format!("aged {lo}–{hi}"),
        (Some(lo), Some(hi), _) => format!("{lo}–{hi} år"),
        (Some(lo), None, "en") => format!("aged {lo} or over"),
        (Some(lo), None, _) => format!("minst {lo} år"),
        (None, Some(hi), "en") => format!("aged {hi} or under"),
        (None, Some(hi), _) => format!("högst {hi} år"),
        (None, None, _) => String::new(),
    }
}

/// A code list label as it reads inside a sentence.
fn lower(label: &str) -> String {
    let mut c = label.chars();
    c.next()
        .map(|f| f.to_lowercase().chain(c).collect())
        .unwrap_or_default()
}

impl Shortfall {
    /// The baseline question the shortfall is about (none for the age).
    pub fn field(&self) -> Option<BaselineField> {
        match self {
            Shortfall::Age { .. } => None,
            Shortfall::LabourStatus { .. } => Some(BaselineField::LabourStatus),
            Shortfall::MonthsWithoutWork { .. } => Some(BaselineField::MonthsWithoutWork),
            Shortfall::Answer { field, .. } => Some(*field),
        }
    }

    /// The criterion's code: `age`, or the baseline question's.
    pub fn code(&self) -> &'static str {
        self.field().map_or("age", BaselineField::code)
    }

    /// Why the participant is outside the target group, in plain words.
    pub fn message(&self, lang: &str) -> String {
        let en = lang == "en";
        match self {
            Shortfall::Age { age, min, max } => {
                let band = band(*min, *max, lang);
                match (age, en) {
                    (None, true) => format!(
                        "The project is for people {band}, and the participant's age is not known."
                    ),
                    (None, false) => {
                        format!(
                            "Projektet är för den som är {band}, och deltagarens ålder är okänd."
                        )
                    }
                    (Some(a), true) => format!(
                        "The project is for people {band}. The participant is {a} at enrolment."
                    ),
                    (Some(a), false) => format!(
                        "Projektet är för den som är {band}. Deltagaren är {a} år vid inskrivningen."
                    ),
                }
            }
            Shortfall::LabourStatus { actual, allowed } => {
                let or = if en { " or " } else { " eller " };
                let list = allowed
                    .iter()
                    .map(|s| lower(s.label(lang)))
                    .collect::<Vec<_>>()
                    .join(or);
                match (actual, en) {
                    (None, true) => format!(
                        "The project is for people who are {list}. Answer the question first."
                    ),
                    (None, false) => {
                        format!("Projektet är för den som är {list}. Svara på frågan först.")
                    }
                    (Some(s), true) => format!(
                        "The project is for people who are {list}. The participant is {}.",
                        lower(s.label(lang))
                    ),
                    (Some(s), false) => format!(
                        "Projektet är för den som är {list}. Deltagaren är {}.",
                        lower(s.label(lang))
                    ),
                }
            }
            Shortfall::MonthsWithoutWork { actual, at_least } => match (actual, en) {
                (None, true) => format!(
                    "The project is for people at least {at_least} months without work. Answer the question first."
                ),
                (None, false) => format!(
                    "Projektet är för den som har varit utan arbete i minst {at_least} månader. Svara på frågan först."
                ),
                (Some(m), true) => format!(
                    "The project is for people at least {at_least} months without work. The participant has been {m}."
                ),
                (Some(m), false) => format!(
                    "Projektet är för den som har varit utan arbete i minst {at_least} månader. Deltagaren har varit det i {m}."
                ),
            },
            Shortfall::Answer {
                field,
                required,
                actual,
            } => {
                let what = phrase(*field, lang);
                let rule = match (required, en) {
                    (Requirement::No, true) => format!("The project is not for people who {what}."),
                    (Requirement::No, false) => format!("Projektet är inte för den som {what}."),
                    (_, true) => format!("The project is for people who {what}."),
                    (_, false) => format!("Projektet är för den som {what}."),
                };
                let said = match (actual, en) {
                    (None, true) => "Answer the question first.",
                    (None, false) => "Svara på frågan först.",
                    (Some(Answer::Declined), true) => "The participant has declined to answer.",
                    (Some(Answer::Declined), false) => "Deltagaren har valt att inte svara.",
                    (Some(Answer::Yes), true) => "The participant answered yes.",
                    (Some(Answer::Yes), false) => "Deltagaren har svarat ja.",
                    (Some(Answer::No), true) => "The participant answered no.",
                    (Some(Answer::No), false) => "Deltagaren har svarat nej.",
                };
                format!("{rule} {said}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const DAY: Date = date!(2026 - 03 - 01);

    /// En väg in's target group: people on social assistance.
    fn social_assistance_only() -> Eligibility {
        Eligibility {
            social_assistance: Requirement::Yes,
            ..Default::default()
        }
    }

    fn on_assistance() -> Baseline {
        Baseline {
            labour_status: Some(LabourStatus::Unemployed),
            months_without_work: Some(14),
            social_assistance: Some(Answer::Yes),
            ..Default::default()
        }
    }

    #[test]
    fn a_project_without_rules_takes_everyone() {
        let open = Eligibility::default();
        assert!(open.is_open());
        assert!(open.check(None, DAY, &Baseline::default()).is_empty());
        let mut exceptions = open.clone();
        exceptions.exceptions_allowed = true;
        assert!(exceptions.is_open(), "allowing exceptions sets no rule");
    }

    #[test]
    fn a_required_answer_must_be_yes_and_given() {
        let rules = social_assistance_only();
        assert!(rules.check(None, DAY, &on_assistance()).is_empty());
        let mut no = on_assistance();
        no.social_assistance = Some(Answer::No);
        let short = rules.check(None, DAY, &no);
        assert_eq!(short.len(), 1);
        assert_eq!(short[0].code(), "social_assistance");
        assert_eq!(
            short[0].message("sv"),
            "Projektet är för den som får ekonomiskt bistånd. Deltagaren har svarat nej."
        );
        no.social_assistance = None;
        assert_eq!(
            rules.check(None, DAY, &no)[0].message("en"),
            "The project is for people who receive social assistance. Answer the question first."
        );
    }

    #[test]
    fn an_excluding_rule_refuses_yes_and_a_declined_answer() {
        let rules = Eligibility {
            disability: Requirement::No,
            ..Default::default()
        };
        let mut b = on_assistance();
        b.disability = Some(Answer::No);
        assert!(rules.check(None, DAY, &b).is_empty());
        b.disability = Some(Answer::Declined);
        let short = rules.check(None, DAY, &b);
        assert_eq!(short[0].field(), Some(BaselineField::Disability));
        assert!(short[0].message("sv").ends_with("valt att inte svara."));
    }

    #[test]
    fn the_age_band_counts_whole_years_at_enrolment() {
        let rules = Eligibility {
            min_age: Some(18),
            max_age: Some(29),
            ..Default::default()
        };
        let b = Baseline::default();
        // 30 on the day after enrolment: still 29.
        assert!(rules.check(Some(date!(1996 - 03 - 02)), DAY, &b).is_empty());
        let short = rules.check(Some(date!(1996 - 03 - 01)), DAY, &b);
        assert_eq!(
            short,
            vec![Shortfall::Age {
                age: Some(30),
                min: Some(18),
                max: Some(29)
            }]
        );
        assert_eq!(
            short[0].message("sv"),
            "Projektet är för den som är 18–29 år. Deltagaren är 30 år vid inskrivningen."
        );
        // Unknown age cannot show that the participant belongs.
        assert_eq!(rules.check(None, DAY, &b)[0].code(), "age");
    }

    #[test]
    fn labour_status_and_months_without_work() {
        let rules = Eligibility {
            labour_statuses: vec![LabourStatus::Unemployed, LabourStatus::Inactive],
            min_months_without_work: Some(12),
            ..Default::default()
        };
        assert!(rules.check(None, DAY, &on_assistance()).is_empty());
        let employed = Baseline {
            labour_status: Some(LabourStatus::Employed),
            months_without_work: Some(3),
            ..Default::default()
        };
        let codes: Vec<_> = rules
            .check(None, DAY, &employed)
            .iter()
            .map(Shortfall::code)
            .collect();
        assert_eq!(codes, ["labour_status", "months_without_work"]);
        assert_eq!(
            rules.check(None, DAY, &employed)[0].message("sv"),
            "Projektet är för den som är arbetslös eller utanför arbetskraften. Deltagaren är anställd (även egenföretagare)."
        );
    }

    #[test]
    fn rules_that_cannot_be_saved() {
        let bad = Eligibility {
            min_age: Some(30),
            max_age: Some(18),
            min_months_without_work: Some(601),
            ..Default::default()
        };
        let fields: Vec<_> = bad.validate().iter().map(EligibilityError::field).collect();
        assert_eq!(fields, ["max_age", "min_months_without_work"]);
        let old = Eligibility {
            min_age: Some(121),
            ..Default::default()
        };
        assert_eq!(old.validate()[0].field(), "min_age");
        assert!(social_assistance_only().validate().is_empty());
    }

    #[test]
    fn rules_round_trip_as_json_with_defaults() {
        let rules: Eligibility =
            serde_json::from_str(r#"{"social_assistance":"yes","exceptions_allowed":true}"#)
                .unwrap();
        assert_eq!(rules.social_assistance, Requirement::Yes);
        assert_eq!(rules.sick_leave, Requirement::Any);
        let again: Eligibility =
            serde_json::from_str(&serde_json::to_string(&rules).unwrap()).unwrap();
        assert_eq!(again, rules);
    }

    // Property tests: the check against a plain restatement of the rules, and loosening a rule
    // never makes anyone less eligible.

    use proptest::prelude::*;

    fn answer() -> impl Strategy<Value = Option<Answer>> {
        proptest::option::of(proptest::sample::select(Answer::ALL.to_vec()))
    }

    fn requirement() -> impl Strategy<Value = Requirement> {
        proptest::sample::select(Requirement::ALL.to_vec())
    }

    fn rules() -> impl Strategy<Value = Eligibility> {
        (
            proptest::option::of(0u8..70),
            proptest::option::of(0u8..70),
            proptest::sample::subsequence(LabourStatus::ALL.to_vec(), 0..=3),
            proptest::option::of(0u16..40),
            proptest::collection::vec(requirement(), 6),
            any::<bool>(),
        )
            .prop_map(|(min_age, max_age, statuses, months, reqs, exceptions)| {
                let mut e = Eligibility {
                    min_age,
                    max_age,
                    labour_statuses: statuses,
                    min_months_without_work: months,
                    exceptions_allowed: exceptions,
                    ..Default::default()
                };
                for (f, r) in ANSWER_CRITERIA.iter().zip(reqs) {
                    e.set_requirement(*f, r);
                }
                e
            })
    }

    fn person() -> impl Strategy<Value = (Option<Date>, Baseline)> {
        (
            proptest::option::of(0i64..80 * 366),
            proptest::option::of(proptest::sample::select(LabourStatus::ALL.to_vec())),
            proptest::option::of(0u16..40),
            proptest::collection::vec(answer(), 6),
        )
            .prop_map(|(days_old, status, months, answers)| {
                let birth = days_old.map(|d| DAY - time::Duration::days(d));
                let mut b = Baseline {
                    labour_status: status,
                    months_without_work: months,
                    ..Default::default()
                };
                for (f, a) in ANSWER_CRITERIA.iter().zip(answers) {
                    b.set_answer(*f, a);
                }
                (birth, b)
            })
    }

    /// The rules in plain words: the codes of the criteria a person does not meet.
    fn plain(e: &Eligibility, birth: Option<Date>, b: &Baseline) -> Vec<&'static str> {
        let mut out = Vec::new();
        if e.min_age.is_some() || e.max_age.is_some() {
            let ok = match birth {
                None => false,
                Some(birth) => {
                    // Age by counting birthdays passed.
                    let mut age = 0;
                    let birthday = |year: i32| {
                        // A 29 February birthday falls on 1 March in other years.
                        birth.replace_year(year).unwrap_or_else(|_| {
                            Date::from_calendar_date(year, time::Month::March, 1).unwrap()
                        })
                    };
                    while birthday(birth.year() + age + 1) <= DAY {
                        age += 1;
                    }
                    e.min_age.is_none_or(|m| age >= i32::from(m))
                        && e.max_age.is_none_or(|m| age <= i32::from(m))
                }
            };
            if !ok {
                out.push("age");
            }
        }
        if !e.labour_statuses.is_empty()
            && !b
                .labour_status
                .is_some_and(|s| e.labour_statuses.contains(&s))
        {
            out.push("labour_status");
        }
        if let Some(m) = e.min_months_without_work
            && b.months_without_work.is_none_or(|have| have < m)
        {
            out.push("months_without_work");
        }
        for f in ANSWER_CRITERIA {
            let want = e.requirement(*f);
            let have = b.answer(*f);
            if (want == Requirement::Yes && have != Some(Answer::Yes))
                || (want == Requirement::No && have != Some(Answer::No))
            {
                out.push(f.code());
            }
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn the_check_agrees_with_the_plain_rule(e in rules(), (birth, b) in person()) {
            let got: Vec<_> = e.check(birth, DAY, &b).iter().map(Shortfall::code).collect();
            prop_assert_eq!(got, plain(&e, birth, &b));
        }

        #[test]
        fn loosening_a_rule_never_adds_a_shortfall(
            e in rules(),
            (birth, b) in person(),
            which in 0usize..10,
        ) {
            let before: Vec<_> = e.check(birth, DAY, &b).iter().map(Shortfall::code).collect();
            let mut looser = e.clone();
            match which {
                0 => looser.min_age = None,
                1 => looser.max_age = None,
                2 => looser.labour_statuses.clear(),
                3 => looser.min_months_without_work = None,
                n => looser.set_requirement(ANSWER_CRITERIA[n - 4], Requirement::Any),
            }
            let after: Vec<_> = looser.check(birth, DAY, &b).iter().map(Shortfall::code).collect();
            prop_assert!(after.iter().all(|c| before.contains(c)), "{:?} ⊄ {:?}", after, before);
            prop_assert!(after.len() <= before.len());
        }

        #[test]
        fn every_shortfall_says_why_in_both_languages(e in rules(), (birth, b) in person()) {
            for s in e.check(birth, DAY, &b) {
                prop_assert!(s.message("sv").starts_with("Projektet"));
                prop_assert!(s.message("en").starts_with("The project"));
            }
        }
    }
}
