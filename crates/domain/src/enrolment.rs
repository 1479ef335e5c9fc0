//! Enrolment in a project, and how a participant leaves it.

use time::Date;

crate::code_list!(
    /// Where the participant goes on leaving (DESIGN.md).
    ExitStatus, "exit status" {
        Work => "work", "Arbete", "Work";
        SubsidisedWork => "subsidised_work", "Anställning med stöd", "Subsidised work";
        Studies => "studies", "Studier", "Studies";
        LabourMarketProgramme => "labour_market_programme", "Arbetsmarknadspolitiskt program", "Labour-market programme";
        JobSeeking => "job_seeking", "Arbetssökande", "Job seeking";
        CloserToLabourMarket => "closer_to_labour_market", "Närmare arbetsmarknaden", "Closer to the labour market";
        SickLeave => "sick_leave", "Sjukskrivning", "Sick leave";
        Moved => "moved", "Flyttat", "Moved";
        Other => "other", "Annat", "Other";
    }
);

/// Why an enrolment or exit date cannot be accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateRuleError {
    #[error("exit before enrolment")]
    ExitBeforeEnrolment,
    #[error("date in the future")]
    InFuture,
    #[error("outside the project period")]
    OutsideProjectPeriod,
}

impl DateRuleError {
    pub fn message(&self, lang: &str) -> &'static str {
        match (self, lang) {
            (Self::ExitBeforeEnrolment, "en") => {
                "The exit date cannot be before the enrolment date."
            }
            (Self::ExitBeforeEnrolment, _) => {
                "Avslutsdatumet kan inte vara före inskrivningsdatumet."
            }
            (Self::InFuture, "en") => "The date cannot be in the future.",
            (Self::InFuture, _) => "Datumet kan inte ligga i framtiden.",
            (Self::OutsideProjectPeriod, "en") => "The date must be within the project period.",
            (Self::OutsideProjectPeriod, _) => "Datumet måste ligga inom projektperioden.",
        }
    }
}

/// An enrolment date must not be in the future; projects may enrol outside their formal period
/// (demo data and late registrations), so that rule is left to the caller.
pub fn check_enrolment_date(enrolled_on: Date, today: Date) -> Result<(), DateRuleError> {
    if enrolled_on > today {
        return Err(DateRuleError::InFuture);
    }
    Ok(())
}

/// An exit is on or after the enrolment and not in the future.
pub fn check_exit_date(
    enrolled_on: Date,
    exited_on: Date,
    today: Date,
) -> Result<(), DateRuleError> {
    if exited_on < enrolled_on {
        return Err(DateRuleError::ExitBeforeEnrolment);
    }
    if exited_on > today {
        return Err(DateRuleError::InFuture);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn exit_rules() {
        let today = date!(2026 - 11 - 24);
        assert_eq!(
            check_exit_date(date!(2026 - 01 - 10), date!(2026 - 01 - 09), today),
            Err(DateRuleError::ExitBeforeEnrolment)
        );
        assert_eq!(
            check_exit_date(date!(2026 - 01 - 10), date!(2026 - 01 - 10), today),
            Ok(())
        );
        assert_eq!(
            check_exit_date(date!(2026 - 01 - 10), date!(2026 - 11 - 25), today),
            Err(DateRuleError::InFuture)
        );
        assert_eq!(
            check_enrolment_date(date!(2026 - 11 - 25), today),
            Err(DateRuleError::InFuture)
        );
    }
}
