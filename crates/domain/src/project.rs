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

/// A project fact that cannot be accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProjectError {
    #[error("number must look like 2019/00383")]
    Number,
    #[error("name is required")]
    Name,
    #[error("period ends before it starts")]
    Period,
    #[error("ESF support exceeds the total budget")]
    Support,
    #[error("co-financing rate must be 0-100")]
    Rate,
}

impl ProjectFacts {
    /// Checks the facts; returns every problem.
    pub fn validate(&self) -> Vec<ProjectError> {
        let mut errors = Vec::new();
        let valid_number = self.number.as_deref().is_none_or(|number| {
            number.split_once('/').is_some_and(|(y, n)| {
                y.len() == 4
                    && n.len() == 5
                    && y.bytes().chain(n.bytes()).all(|b| b.is_ascii_digit())
            })
        });
        if !valid_number {
            errors.push(ProjectError::Number);
        }
        if self.name.trim().is_empty() {
            errors.push(ProjectError::Name);
        }
        if self.period_end < self.period_start {
            errors.push(ProjectError::Period);
        }
        if self.esf_support > self.total_budget || self.esf_support.0 < 0 {
            errors.push(ProjectError::Support);
        }
        if self.union_cofinancing_rate_pct.is_some_and(|r| r > 100) {
            errors.push(ProjectError::Rate);
        }
        errors
    }
}
