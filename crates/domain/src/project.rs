//! Project facts as the funder's project bank lists them.

use crate::money::Sek;
use serde::{Deserialize, Serialize};
use time::Date;

/// Everything the seeds tell about a project, apart from its organisations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectFacts {
    /// The funder's case number, e.g. `2019/00383` (older project-bank pages may not give one).
    pub number: Option<String>,
    pub name: String,
    pub region: String,
    pub programme_area: Option<String>,
    pub specific_objective: Option<String>,
    pub intervention_type: Option<String>,
    /// Union co-financing rate in whole percent.
    pub union_cofinancing_rate_pct: Option<u8>,
    pub period_start: Date,
    pub period_end: Date,
    pub total_budget: Sek,
    pub esf_support: Sek,
    pub planned_participants: Option<u32>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    /// The beneficiary's postcode.
    pub postcode: Option<String>,
    pub summary: String,
}

crate::code_list!(
    /// Where an ESF project stands: mobilising (planning and recruiting partners), implementing
    /// (participants take part), closing (reporting and spreading the results).
    ProjectPhase, "project phase" {
        Mobilisation => "mobilisation", "Mobilisering", "Mobilisation";
        Implementation => "implementation", "Genomförande", "Implementation";
        Closing => "closing", "Avslutning", "Closing";
    }
);

/// The longest text each fact may hold (characters).
pub const MAX_NAME: usize = 200;
pub const MAX_SHORT: usize = 100;
pub const MAX_SUMMARY: usize = 10_000;

/// A project fact that cannot be accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProjectError {
    #[error("number must look like 2019/00383")]
    Number,
    #[error("name is required")]
    Name,
    #[error("region is required")]
    Region,
    #[error("period ends before it starts")]
    Period,
    #[error("ESF support exceeds the total budget")]
    Support,
    #[error("the total budget is negative")]
    Budget,
    #[error("co-financing rate must be 0-100")]
    Rate,
    #[error("planned participants must be at least 1")]
    Planned,
    #[error("not an e-mail address")]
    Email,
    #[error("not a postcode")]
    Postcode,
    #[error("{0} is too long")]
    TooLong(&'static str),
}

impl ProjectError {
    /// The fact (field) the error belongs to.
    pub fn field(&self) -> &'static str {
        match self {
            Self::Number => "number",
            Self::Name => "name",
            Self::Region => "region",
            Self::Period => "period_end",
            Self::Support => "esf_support",
            Self::Budget => "total_budget",
            Self::Rate => "union_cofinancing_rate_pct",
            Self::Planned => "planned_participants",
            Self::Email => "contact_email",
            Self::Postcode => "postcode",
            Self::TooLong(field) => field,
        }
    }

    pub fn message(&self, lang: &str) -> &'static str {
        let en = lang == "en";
        match (self, en) {
            (Self::Number, true) => {
                "Write the project number as year/five digits, for example 2019/00383."
            }
            (Self::Number, false) => {
                "Skriv projektnumret som år/fem siffror, till exempel 2019/00383."
            }
            (Self::Name, true) => "Enter the project's name.",
            (Self::Name, false) => "Skriv projektets namn.",
            (Self::Region, true) => "Enter the region (for example Sydsverige).",
            (Self::Region, false) => "Skriv regionen (till exempel Sydsverige).",
            (Self::Period, true) => "The project cannot end before it starts.",
            (Self::Period, false) => "Projektet kan inte sluta innan det börjar.",
            (Self::Support, true) => {
                "The ESF support cannot be larger than the total budget, nor below zero."
            }
            (Self::Support, false) => {
                "ESF-stödet kan inte vara större än den totala budgeten, och inte under noll."
            }
            (Self::Budget, true) => "The total budget cannot be below zero.",
            (Self::Budget, false) => "Den totala budgeten kan inte vara under noll.",
            (Self::Rate, true) => "Give the co-financing rate as a whole percentage from 0 to 100.",
            (Self::Rate, false) => "Ange medfinansieringsgraden i hela procent från 0 till 100.",
            (Self::Planned, true) => "Give at least 1 planned participant, or leave it empty.",
            (Self::Planned, false) => "Ange minst 1 planerad deltagare, eller lämna tomt.",
            (Self::Email, true) => "Write an e-mail address, for example name@kommun.se.",
            (Self::Email, false) => "Skriv en e-postadress, till exempel namn@kommun.se.",
            (Self::Postcode, true) => "Write the postcode as five digits, for example 281 80.",
            (Self::Postcode, false) => "Skriv postnumret med fem siffror, till exempel 281 80.",
            (Self::TooLong("summary"), true) => "The summary can be at most 10,000 characters.",
            (Self::TooLong("summary"), false) => "Sammanfattningen får vara högst 10 000 tecken.",
            (Self::TooLong("name"), true) => "The name can be at most 200 characters.",
            (Self::TooLong("name"), false) => "Namnet får vara högst 200 tecken.",
            (Self::TooLong(_), true) => "The text can be at most 100 characters.",
            (Self::TooLong(_), false) => "Texten får vara högst 100 tecken.",
        }
    }
}

/// Whether `number` has the funder's form: four digits, a slash, five digits (`2019/00383`).
pub fn is_project_number(number: &str) -> bool {
    number.split_once('/').is_some_and(|(y, n)| {
        y.len() == 4 && n.len() == 5 && y.bytes().chain(n.bytes()).all(|b| b.is_ascii_digit())
    })
}

/// A plausible e-mail address: something, one `@`, a domain with a dot, no spaces.
fn is_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// A Swedish postcode: five digits, optionally written `281 80`.
fn is_postcode(s: &str) -> bool {
    let digits: String = s.chars().filter(|c| *c != ' ').collect();
    digits.len() == 5 && digits.bytes().all(|b| b.is_ascii_digit()) && s.len() <= 6
}

impl ProjectFacts {
    /// Checks the facts; returns every problem.
    pub fn validate(&self) -> Vec<ProjectError> {
        let mut errors = Vec::new();
        if !self.number.as_deref().is_none_or(is_project_number) {
            errors.push(ProjectError::Number);
        }
        if self.name.trim().is_empty() {
            errors.push(ProjectError::Name);
        } else if self.name.chars().count() > MAX_NAME {
            errors.push(ProjectError::TooLong("name"));
        }
        if self.region.trim().is_empty() {
            errors.push(ProjectError::Region);
        }
        let short = [
            ("region", Some(&self.region)),
            ("programme_area", self.programme_area.as_ref()),
            ("specific_objective", self.specific_objective.as_ref()),
            ("intervention_type", self.intervention_type.as_ref()),
            ("contact_name", self.contact_name.as_ref()),
            ("contact_phone", self.contact_phone.as_ref()),
        ];
        for (field, value) in short {
            if value.is_some_and(|v| v.chars().count() > MAX_SHORT) {
                errors.push(ProjectError::TooLong(field));
            }
        }
        if self.period_end < self.period_start {
            errors.push(ProjectError::Period);
        }
        if self.total_budget.0 < 0 {
            errors.push(ProjectError::Budget);
        }
        if self.esf_support > self.total_budget || self.esf_support.0 < 0 {
            errors.push(ProjectError::Support);
        }
        if self.union_cofinancing_rate_pct.is_some_and(|r| r > 100) {
            errors.push(ProjectError::Rate);
        }
        if self.planned_participants == Some(0) {
            errors.push(ProjectError::Planned);
        }
        if self
            .contact_email
            .as_deref()
            .is_some_and(|e| !is_email(e) || e.chars().count() > MAX_SHORT)
        {
            errors.push(ProjectError::Email);
        }
        if self.postcode.as_deref().is_some_and(|p| !is_postcode(p)) {
            errors.push(ProjectError::Postcode);
        }
        if self.summary.chars().count() > MAX_SUMMARY {
            errors.push(ProjectError::TooLong("summary"));
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    /// En väg in as the funder's project bank shows it.
    fn en_vag_in() -> ProjectFacts {
        ProjectFacts {
            number: Some("2019/00383".into()),
            name: "En väg in".into(),
            region: "Sydsverige".into(),
            programme_area: Some("2".into()),
            specific_objective: Some("2.1".into()),
            intervention_type: Some("102".into()),
            union_cofinancing_rate_pct: Some(50),
            period_start: date!(2020 - 04 - 01),
            period_end: date!(2022 - 03 - 31),
            total_budget: Sek(9_249_253),
            esf_support: Sek(4_341_993),
            planned_participants: Some(100),
            contact_name: Some("Margaretha Håkanssson".into()),
            contact_email: Some("margaretha.hakansson@hassleholm.se".into()),
            contact_phone: None,
            postcode: Some("28180".into()),
            summary: "Projektaktiviteterna är skapade för 100 deltagare.".into(),
        }
    }

    #[test]
    fn the_seed_facts_are_valid() {
        assert_eq!(en_vag_in().validate(), vec![]);
    }

    #[test]
    fn each_bad_fact_is_named_at_its_field() {
        let mut f = en_vag_in();
        f.number = Some("2019-383".into());
        f.period_end = date!(2020 - 03 - 31);
        f.esf_support = Sek(10_000_000);
        f.union_cofinancing_rate_pct = Some(101);
        f.contact_email = Some("margaretha.hassleholm.se".into());
        f.postcode = Some("2818".into());
        f.planned_participants = Some(0);
        let fields: Vec<_> = f.validate().iter().map(ProjectError::field).collect();
        assert_eq!(
            fields,
            [
                "number",
                "period_end",
                "esf_support",
                "union_cofinancing_rate_pct",
                "planned_participants",
                "contact_email",
                "postcode"
            ]
        );
        for e in f.validate() {
            assert!(!e.message("sv").is_empty() && !e.message("en").is_empty());
        }
    }

    #[test]
    fn numbers_postcodes_and_addresses() {
        assert!(is_project_number("2019/00383"));
        for bad in ["19/00383", "2019/383", "2019/0038a", "2019 00383", ""] {
            assert!(!is_project_number(bad), "{bad}");
        }
        assert!(is_postcode("281 80") && is_postcode("28180"));
        assert!(!is_postcode("2 8 1 8 0") && !is_postcode("281800"));
        assert!(is_email("a@b.se"));
        for bad in ["a@b", "@b.se", "a b@c.se", "a@@b.se", "a@b.se."] {
            assert!(!is_email(bad), "{bad}");
        }
    }
}
