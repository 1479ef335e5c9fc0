//! The ESF+ baseline recorded at enrolment, and which answers the funder still needs.
//!
//! Every answer is optional while the coach works; `missing()` says what the funder requires.
//! Sensitive answers (art. 9 data) may be "declined to answer", which counts as answered.

use serde::{Deserialize, Serialize};

crate::code_list!(
    /// A yes/no answer where sensitive questions may also be declined.
    Answer, "answer" {
        Yes => "yes", "Ja", "Yes";
        No => "no", "Nej", "No";
        Declined => "declined", "Vill inte svara", "Declined to answer";
    }
);

crate::code_list!(
    /// Employment status at entry; each participant has exactly one (ESF+ EECO02/04/05).
    LabourStatus, "labour-market status" {
        Unemployed => "unemployed", "Arbetslös", "Unemployed";
        Inactive => "inactive", "Utanför arbetskraften", "Inactive";
        Employed => "employed", "Anställd (även egenföretagare)", "Employed (incl. self-employed)";
    }
);

/// The answers gathered at enrolment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Baseline {
    pub labour_status: Option<LabourStatus>,
    pub long_term_unemployed: Option<Answer>,
    #[cfg_attr(feature = "openapi", schema(maximum = 600))]
    pub months_without_work: Option<u16>,
    pub in_education: Option<Answer>,
    /// ISCED 2011 level 0–8.
    #[cfg_attr(feature = "openapi", schema(maximum = 8))]
    pub isced_level: Option<u8>,
    pub born_abroad: Option<Answer>,
    pub foreign_background: Option<Answer>,
    pub disability: Option<Answer>,
    pub homeless: Option<Answer>,
    pub jobless_household: Option<Answer>,
    pub dependent_children: Option<Answer>,
    pub single_adult_with_children: Option<Answer>,
    pub social_assistance: Option<Answer>,
    pub sick_leave: Option<Answer>,
    pub activity_compensation: Option<Answer>,
    pub registered_at_employment_service: Option<Answer>,
}

crate::code_list!(
    /// One question of the baseline, named as in forms, API and errors.
    BaselineField, "baseline field" {
        LabourStatus => "labour_status", "Situation på arbetsmarknaden", "Labour-market status";
        LongTermUnemployed => "long_term_unemployed", "Långtidsarbetslös", "Long-term unemployed";
        MonthsWithoutWork => "months_without_work", "Månader utan arbete", "Months without work";
        InEducation => "in_education", "Studerar", "In education or training";
        IscedLevel => "isced_level", "Utbildningsnivå (ISCED)", "Education level (ISCED)";
        BornAbroad => "born_abroad", "Född utomlands", "Born abroad";
        ForeignBackground => "foreign_background", "Utländsk bakgrund", "Foreign background";
        Disability => "disability", "Funktionsnedsättning", "Disability";
        Homeless => "homeless", "Hemlös eller utestängd från bostadsmarknaden", "Homeless or excluded from housing";
        JoblessHousehold => "jobless_household", "Hushåll där ingen arbetar", "Jobless household";
        DependentChildren => "dependent_children", "Hemmavarande barn", "Dependent children";
        SingleAdultWithChildren => "single_adult_with_children", "Ensamstående med barn", "Single adult with children";
        SocialAssistance => "social_assistance", "Ekonomiskt bistånd", "On social assistance";
        SickLeave => "sick_leave", "Sjukskriven", "On sick leave";
        ActivityCompensation => "activity_compensation", "Aktivitetsersättning", "On activity compensation";
        RegisteredAtEmploymentService => "registered_at_employment_service", "Inskriven på Arbetsförmedlingen", "Registered at the employment service";
    }
);

impl BaselineField {
    /// Special-category questions where "declined to answer" is allowed and counts as answered.
    pub fn is_sensitive(self) -> bool {
        matches!(
            self,
            Self::BornAbroad | Self::ForeignBackground | Self::Disability | Self::Homeless
        )
    }

    /// Yes/no questions (the others are status, months and ISCED).
    pub fn is_answer(self) -> bool {
        !matches!(
            self,
            Self::LabourStatus | Self::MonthsWithoutWork | Self::IscedLevel
        )
    }
}

/// A baseline answer that cannot be accepted, with the field it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BaselineError {
    #[error("{0:?}: declined is only allowed for sensitive questions")]
    DeclinedNotAllowed(BaselineField),
    #[error("isced level must be 0-8")]
    IscedOutOfRange,
    #[error("months without work must be at most 600")]
    MonthsOutOfRange,
    #[error("long-term unemployed only applies to unemployed participants")]
    LongTermButNotUnemployed,
}

impl BaselineError {
    pub fn field(&self) -> BaselineField {
        match self {
            Self::DeclinedNotAllowed(f) => *f,
            Self::IscedOutOfRange => BaselineField::IscedLevel,
            Self::MonthsOutOfRange => BaselineField::MonthsWithoutWork,
            Self::LongTermButNotUnemployed => BaselineField::LongTermUnemployed,
        }
    }

    pub fn message(&self, lang: &str) -> &'static str {
        match (self, lang) {
            (Self::DeclinedNotAllowed(_), "en") => {
                "“Declined to answer” is not possible for this question."
            }
            (Self::DeclinedNotAllowed(_), _) => {
                "Den här frågan går inte att avstå från. Välj ja eller nej."
            }
            (Self::IscedOutOfRange, "en") => "Choose an education level between 0 and 8.",
            (Self::IscedOutOfRange, _) => "Välj en utbildningsnivå mellan 0 och 8.",
            (Self::MonthsOutOfRange, "en") => "Write a number of months between 0 and 600.",
            (Self::MonthsOutOfRange, _) => "Skriv ett antal månader mellan 0 och 600.",
            (Self::LongTermButNotUnemployed, "en") => {
                "Only unemployed participants can be long-term unemployed."
            }
            (Self::LongTermButNotUnemployed, _) => {
                "Bara den som är arbetslös kan vara långtidsarbetslös."
            }
        }
    }
}

impl Baseline {
    /// The yes/no answer stored for a field, if it is a yes/no field.
    pub fn answer(&self, field: BaselineField) -> Option<Answer> {
        use BaselineField as F;
        match field {
            F::LongTermUnemployed => self.long_term_unemployed,
            F::InEducation => self.in_education,
            F::BornAbroad => self.born_abroad,
            F::ForeignBackground => self.foreign_background,
            F::Disability => self.disability,
            F::Homeless => self.homeless,
            F::JoblessHousehold => self.jobless_household,
            F::DependentChildren => self.dependent_children,
            F::SingleAdultWithChildren => self.single_adult_with_children,
            F::SocialAssistance => self.social_assistance,
            F::SickLeave => self.sick_leave,
            F::ActivityCompensation => self.activity_compensation,
            F::RegisteredAtEmploymentService => self.registered_at_employment_service,
            F::LabourStatus | F::MonthsWithoutWork | F::IscedLevel => None,
        }
    }

    /// Sets the yes/no answer of a field; ignored for non-answer fields.
    pub fn set_answer(&mut self, field: BaselineField, value: Option<Answer>) {
        use BaselineField as F;
        let slot = match field {
            F::LongTermUnemployed => &mut self.long_term_unemployed,
            F::InEducation => &mut self.in_education,
            F::BornAbroad => &mut self.born_abroad,
            F::ForeignBackground => &mut self.foreign_background,
            F::Disability => &mut self.disability,
            F::Homeless => &mut self.homeless,
            F::JoblessHousehold => &mut self.jobless_household,
            F::DependentChildren => &mut self.dependent_children,
            F::SingleAdultWithChildren => &mut self.single_adult_with_children,
            F::SocialAssistance => &mut self.social_assistance,
            F::SickLeave => &mut self.sick_leave,
            F::ActivityCompensation => &mut self.activity_compensation,
            F::RegisteredAtEmploymentService => &mut self.registered_at_employment_service,
            F::LabourStatus | F::MonthsWithoutWork | F::IscedLevel => return,
        };
        *slot = value;
    }

    /// Every rule violation, so a form can show all of them at once.
    pub fn validate(&self) -> Vec<BaselineError> {
        let mut errors = Vec::new();
        for field in BaselineField::ALL.iter().copied().filter(|f| f.is_answer()) {
            if self.answer(field) == Some(Answer::Declined) && !field.is_sensitive() {
                errors.push(BaselineError::DeclinedNotAllowed(field));
            }
        }
        if self.isced_level.is_some_and(|l| l > 8) {
            errors.push(BaselineError::IscedOutOfRange);
        }
        if self.months_without_work.is_some_and(|m| m > 600) {
            errors.push(BaselineError::MonthsOutOfRange);
        }
        if self.long_term_unemployed == Some(Answer::Yes)
            && self
                .labour_status
                .is_some_and(|s| s != LabourStatus::Unemployed)
        {
            errors.push(BaselineError::LongTermButNotUnemployed);
        }
        errors
    }

    /// The questions the funder still needs answered before this participant counts in the
    /// indicators (EU completeness rule). Conditional questions are required only when they apply.
    pub fn missing(&self) -> Vec<BaselineField> {
        use BaselineField as F;
        let status = self.labour_status;
        F::ALL
            .iter()
            .copied()
            .filter(|&field| match field {
                F::LabourStatus => status.is_none(),
                F::IscedLevel => self.isced_level.is_none(),
                F::MonthsWithoutWork => {
                    status == Some(LabourStatus::Unemployed) && self.months_without_work.is_none()
                }
                F::LongTermUnemployed => {
                    status == Some(LabourStatus::Unemployed) && self.long_term_unemployed.is_none()
                }
                F::InEducation => {
                    status == Some(LabourStatus::Inactive) && self.in_education.is_none()
                }
                other => self.answer(other).is_none(),
            })
            .collect()
    }

    pub fn is_complete(&self) -> bool {
        self.missing().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete_unemployed() -> Baseline {
        let mut b = Baseline {
            labour_status: Some(LabourStatus::Unemployed),
            months_without_work: Some(30),
            isced_level: Some(2),
            ..Baseline::default()
        };
        for f in BaselineField::ALL.iter().copied().filter(|f| f.is_answer()) {
            if f != BaselineField::InEducation {
                b.set_answer(f, Some(Answer::No));
            }
        }
        b.long_term_unemployed = Some(Answer::Yes);
        b
    }

    #[test]
    fn empty_baseline_misses_every_unconditional_question() {
        let missing = Baseline::default().missing();
        assert!(missing.contains(&BaselineField::LabourStatus));
        assert!(missing.contains(&BaselineField::Disability));
        // Conditional questions are not demanded before the status is known.
        assert!(!missing.contains(&BaselineField::MonthsWithoutWork));
        assert!(!missing.contains(&BaselineField::InEducation));
    }

    #[test]
    fn complete_baseline_has_nothing_missing() {
        let b = complete_unemployed();
        assert_eq!(b.missing(), vec![]);
        assert!(b.validate().is_empty());
    }

    #[test]
    fn declined_counts_as_answered_for_sensitive_questions_only() {
        let mut b = complete_unemployed();
        b.disability = Some(Answer::Declined);
        assert!(b.is_complete());
        assert!(b.validate().is_empty());
        b.social_assistance = Some(Answer::Declined);
        assert_eq!(
            b.validate(),
            vec![BaselineError::DeclinedNotAllowed(
                BaselineField::SocialAssistance
            )]
        );
    }

    #[test]
    fn conditional_questions_follow_the_status() {
        let mut b = complete_unemployed();
        b.months_without_work = None;
        assert_eq!(b.missing(), vec![BaselineField::MonthsWithoutWork]);
        b.labour_status = Some(LabourStatus::Inactive);
        b.long_term_unemployed = None;
        assert_eq!(b.missing(), vec![BaselineField::InEducation]);
    }

    #[test]
    fn out_of_range_values_are_errors() {
        let mut b = complete_unemployed();
        b.isced_level = Some(9);
        b.months_without_work = Some(601);
        b.labour_status = Some(LabourStatus::Employed);
        let fields: Vec<_> = b.validate().iter().map(BaselineError::field).collect();
        assert_eq!(
            fields,
            vec![
                BaselineField::IscedLevel,
                BaselineField::MonthsWithoutWork,
                BaselineField::LongTermUnemployed
            ]
        );
    }
}
