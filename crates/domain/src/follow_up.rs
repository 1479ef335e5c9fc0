//! Follow-up (uppföljning) after a participant leaves: when each check is due and what it records.

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

crate::code_list!(
    /// The follow-ups after exit, in due order.
    FollowUpKind, "follow-up kind" {
        /// Status on leaving, collected within 4 weeks (ESF+ EECR01–04).
        ImmediateResult => "immediate_result", "Direkt resultat (inom 4 veckor)", "Immediate result (within 4 weeks)";
        Day90 => "day_90", "Uppföljning efter 90 dagar", "Follow-up after 90 days";
        /// The 6-month result (ESF+ EECR05/06), taken as 180 days so that it is one fixed date.
        Day180 => "day_180", "Resultat efter 6 månader (180 dagar)", "6-month result (180 days)";
    }
);

impl FollowUpKind {
    /// Days after the exit date on which the follow-up is due. 4 weeks is 28 days (the EU
    /// guidance); the Swedish memo's "within one month" would be later, so 28 is the safe side.
    pub fn days_after_exit(self) -> i64 {
        match self {
            Self::ImmediateResult => 28,
            Self::Day90 => 90,
            Self::Day180 => 180,
        }
    }

    pub fn due_on(self, exited_on: Date) -> Date {
        // Saturate rather than panic for dates near the end of `time`'s range.
        exited_on
            .checked_add(Duration::days(self.days_after_exit()))
            .unwrap_or(Date::MAX)
    }
}

/// Every follow-up with its due date.
pub fn due_dates(exited_on: Date) -> [(FollowUpKind, Date); 3] {
    [
        FollowUpKind::ImmediateResult,
        FollowUpKind::Day90,
        FollowUpKind::Day180,
    ]
    .map(|kind| (kind, kind.due_on(exited_on)))
}

/// A follow-up not yet done is overdue from the day after its due date; the due day itself is
/// still within the deadline.
pub fn is_overdue(kind: FollowUpKind, exited_on: Date, today: Date, done: bool) -> bool {
    !done && today > kind.due_on(exited_on)
}

/// Status on leaving (ESF+ immediate results). Several can hold at once, e.g. employed and
/// studying part-time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ImmediateResult {
    /// EECR01.
    pub job_searching: bool,
    /// EECR02.
    pub in_education_or_training: bool,
    /// EECR03.
    pub gained_qualification: bool,
    /// EECR04, including self-employment.
    pub employed: bool,
}

impl ImmediateResult {
    /// Whether any result holds (the basis of "participants with a result", CR05 in 2014–2020).
    pub fn any(&self) -> bool {
        self.job_searching
            || self.in_education_or_training
            || self.gained_qualification
            || self.employed
    }
}

/// Status six months after leaving (EECR05/06).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SixMonthStatus {
    pub employed: bool,
    /// Precarious → stable, underemployed → full-time, a higher-skill job, or promotion; a pay
    /// rise alone does not count.
    pub improved_situation: bool,
}

/// Why a follow-up answer cannot be accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FollowUpError {
    #[error("improved situation for a participant not employed at entry")]
    ImprovedWithoutEmploymentAtEntry,
    #[error("improved situation for a participant not employed now")]
    ImprovedWithoutEmployment,
}

impl FollowUpError {
    pub fn message(&self, lang: &str) -> &'static str {
        match (self, lang) {
            (Self::ImprovedWithoutEmploymentAtEntry, "en") => {
                "An improved labour-market situation only applies to participants who were employed at entry."
            }
            (Self::ImprovedWithoutEmploymentAtEntry, _) => {
                "Förbättrad arbetsmarknadssituation gäller bara deltagare som hade arbete vid inskrivningen."
            }
            (Self::ImprovedWithoutEmployment, "en") => {
                "An improved labour-market situation requires that the participant is employed."
            }
            (Self::ImprovedWithoutEmployment, _) => {
                "Förbättrad arbetsmarknadssituation kräver att deltagaren har arbete."
            }
        }
    }
}

impl SixMonthStatus {
    pub fn new(
        employed: bool,
        improved_situation: bool,
        employed_at_entry: bool,
    ) -> Result<Self, FollowUpError> {
        let status = Self {
            employed,
            improved_situation,
        };
        status.validate(employed_at_entry)?;
        Ok(status)
    }

    /// The indicator counts only people employed at entry, and every way of improving listed in
    /// its definition is a job, so an improvement also needs employment now.
    pub fn validate(&self, employed_at_entry: bool) -> Result<(), FollowUpError> {
        if self.improved_situation && !employed_at_entry {
            return Err(FollowUpError::ImprovedWithoutEmploymentAtEntry);
        }
        if self.improved_situation && !self.employed {
            return Err(FollowUpError::ImprovedWithoutEmployment);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn dues(exited_on: Date) -> [Date; 3] {
        due_dates(exited_on).map(|(_, d)| d)
    }

    #[test]
    fn due_dates_are_in_kind_order() {
        let kinds = due_dates(date!(2026 - 01 - 01)).map(|(k, _)| k);
        assert_eq!(kinds.as_slice(), FollowUpKind::ALL);
    }

    #[test]
    fn due_dates_cross_month_and_year_ends() {
        assert_eq!(
            dues(date!(2024 - 12 - 10)),
            [
                date!(2025 - 01 - 07),
                date!(2025 - 03 - 10),
                date!(2025 - 06 - 08)
            ]
        );
        assert_eq!(
            dues(date!(2025 - 12 - 20)),
            [
                date!(2026 - 01 - 17),
                date!(2026 - 03 - 20),
                date!(2026 - 06 - 18)
            ]
        );
    }

    #[test]
    fn due_dates_in_leap_and_common_years() {
        assert_eq!(
            dues(date!(2024 - 02 - 01)),
            [
                date!(2024 - 02 - 29),
                date!(2024 - 05 - 01),
                date!(2024 - 07 - 30)
            ]
        );
        assert_eq!(
            dues(date!(2023 - 02 - 01)),
            [
                date!(2023 - 03 - 01),
                date!(2023 - 05 - 02),
                date!(2023 - 07 - 31)
            ]
        );
        assert_eq!(dues(date!(2023 - 12 - 01))[1], date!(2024 - 02 - 29));
        assert_eq!(dues(date!(2022 - 12 - 01))[1], date!(2023 - 03 - 01));
    }

    #[test]
    fn overdue_from_the_day_after_the_due_date() {
        let exit = date!(2026 - 01 - 01);
        let kind = FollowUpKind::ImmediateResult;
        assert!(!is_overdue(kind, exit, date!(2026 - 01 - 28), false));
        assert!(!is_overdue(kind, exit, date!(2026 - 01 - 29), false));
        assert!(is_overdue(kind, exit, date!(2026 - 01 - 30), false));
        assert!(!is_overdue(kind, exit, date!(2026 - 01 - 30), true));
        assert!(!is_overdue(
            FollowUpKind::Day180,
            exit,
            date!(2026 - 06 - 30),
            false
        ));
        assert!(is_overdue(
            FollowUpKind::Day180,
            exit,
            date!(2026 - 07 - 01),
            false
        ));
        assert!(!is_overdue(
            FollowUpKind::Day90,
            exit,
            date!(2025 - 12 - 31),
            false
        ));
    }

    #[test]
    fn due_date_saturates_at_the_end_of_time() {
        assert_eq!(FollowUpKind::Day180.due_on(Date::MAX), Date::MAX);
    }

    #[test]
    fn improved_situation_needs_employment_at_entry_and_now() {
        assert_eq!(
            SixMonthStatus::new(true, true, false),
            Err(FollowUpError::ImprovedWithoutEmploymentAtEntry)
        );
        assert_eq!(
            SixMonthStatus::new(false, true, true),
            Err(FollowUpError::ImprovedWithoutEmployment)
        );
        assert!(SixMonthStatus::new(true, true, true).is_ok());
        assert!(SixMonthStatus::new(true, false, false).is_ok());
        assert!(SixMonthStatus::new(false, false, false).is_ok());
        let e = FollowUpError::ImprovedWithoutEmploymentAtEntry;
        assert!(e.message("sv").contains("inskrivningen"));
        assert!(e.message("en").contains("employed at entry"));
    }

    #[test]
    fn immediate_result_any_and_codes() {
        assert!(!ImmediateResult::default().any());
        assert!(
            ImmediateResult {
                gained_qualification: true,
                ..Default::default()
            }
            .any()
        );
        assert_eq!(FollowUpKind::from_code("day_90"), Ok(FollowUpKind::Day90));
        assert_eq!(
            FollowUpKind::Day180.label("en"),
            "6-month result (180 days)"
        );
    }
}
