//! Participant time (deltagartid): attendance entries and the ESF monthly time report.
//!
//! Time is kept in whole minutes so that sums are exact; hours with decimals only exist at the
//! edges (what the user types, what the funder is told).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use time::{Date, Month};

const MINUTES_PER_DAY: u32 = 24 * 60;

crate::code_list!(
    /// The kinds of activity a project offers (the seeds' catalogue).
    ActivityKind, "activity kind" {
        Guidance => "guidance", "Vägledning", "Guidance";
        HealthAndLeisure => "health_and_leisure", "Hälsa och fritid", "Health and leisure";
        SupportedEducation => "supported_education", "Supported education", "Supported education";
        Studies => "studies", "Studier", "Studies";
        Sfi => "sfi", "SFI", "Swedish for immigrants";
        Motivation => "motivation", "Motivation", "Motivation";
        GroupSession => "group_session", "Gruppträff", "Group session";
        WorkOriented => "work_oriented", "Arbetsinriktad aktivitet", "Work-oriented activity";
    }
);

crate::code_list!(
    /// Why a participant was absent from a scheduled activity.
    AbsenceReason, "absence reason" {
        Sick => "sick", "Sjuk", "Sick";
        CareOfChild => "care_of_child", "Vård av barn", "Care of child";
        /// E.g. a meeting with the employment service or a health-care visit.
        OtherAppointment => "other_appointment", "Annan bokad tid (t.ex. Arbetsförmedlingen, vården)", "Other appointment (e.g. employment service, health care)";
        Unexcused => "unexcused", "Ogiltig frånvaro", "Unexcused";
        Other => "other", "Annat", "Other";
    }
);

/// Why attendance input or a set of entries cannot be accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AttendanceError {
    #[error("not a time in hours")]
    InvalidFormat,
    #[error("negative time")]
    Negative,
    #[error("more than 24 hours in one entry")]
    OverDay,
    #[error("more than 24 hours on one day")]
    DayOverLimit,
    #[error("no time and no absence reason")]
    MissingAbsenceReason,
    #[error("absence reason given with attended time")]
    AbsenceWithTime,
    #[error("entries from different days")]
    MixedDates,
}

impl AttendanceError {
    pub fn message(&self, lang: &str) -> &'static str {
        match (self, lang) {
            (Self::InvalidFormat, "en") => "Enter the time in hours, e.g. 3, 3.5 or 3:30.",
            (Self::InvalidFormat, _) => "Ange tiden i timmar, t.ex. 3, 3,5 eller 3:30.",
            (Self::Negative, "en") => "The time cannot be negative.",
            (Self::Negative, _) => "Tiden kan inte vara negativ.",
            (Self::OverDay, "en") => "One entry cannot be more than 24 hours.",
            (Self::OverDay, _) => "En registrering kan inte vara mer än 24 timmar.",
            (Self::DayOverLimit, "en") => "The time for one day adds up to more than 24 hours.",
            (Self::DayOverLimit, _) => "Tiden för en dag blir sammanlagt mer än 24 timmar.",
            (Self::MissingAbsenceReason, "en") => "Enter a time, or a reason for the absence.",
            (Self::MissingAbsenceReason, _) => "Ange en tid eller ett skäl till frånvaron.",
            (Self::AbsenceWithTime, "en") => "An absence cannot have attended time.",
            (Self::AbsenceWithTime, _) => "Frånvaro kan inte ha närvarotid.",
            (Self::MixedDates, "en") => "The entries must be from the same day.",
            (Self::MixedDates, _) => "Registreringarna måste gälla samma dag.",
        }
    }
}

/// Attended time in whole minutes, at most 24 hours.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(try_from = "u32", into = "u32")]
pub struct Minutes(u32);

impl Minutes {
    pub const ZERO: Minutes = Minutes(0);

    pub fn new(minutes: u32) -> Result<Self, AttendanceError> {
        if minutes > MINUTES_PER_DAY {
            return Err(AttendanceError::OverDay);
        }
        Ok(Minutes(minutes))
    }

    pub fn get(self) -> u32 {
        self.0
    }

    /// Parses what a coach types: `3`, `3,5` / `3.5` (decimal hours, at most two decimals,
    /// rounded to the nearest minute) or `3:30` (hours and exactly two minute digits, so that
    /// `3:5` is not silently read as either 3:05 or 3:50).
    pub fn parse(input: &str) -> Result<Self, AttendanceError> {
        let s = input.trim();
        if let Some(rest) = s.strip_prefix('-').or_else(|| s.strip_prefix('−')) {
            // Only call it negative when the rest is a time; "-abc" is just garbage.
            return Err(match Self::parse_unsigned(rest) {
                Err(AttendanceError::InvalidFormat) => AttendanceError::InvalidFormat,
                _ => AttendanceError::Negative,
            });
        }
        Self::parse_unsigned(s)
    }

    fn parse_unsigned(s: &str) -> Result<Self, AttendanceError> {
        Self::new(Self::minutes_of(s)?)
    }

    /// Minutes in what a person types, without the 24-hour limit: for a week's hours, which the
    /// caller limits itself. Same forms as [`Minutes::parse`].
    pub fn parse_unlimited(input: &str) -> Result<u32, AttendanceError> {
        let s = input.trim();
        if s.starts_with(['-', '−']) {
            return Err(AttendanceError::Negative);
        }
        Self::minutes_of(s)
    }

    fn minutes_of(s: &str) -> Result<u32, AttendanceError> {
        let minutes = if let Some((h, m)) = s.split_once(':') {
            if m.len() != 2 {
                return Err(AttendanceError::InvalidFormat);
            }
            let m = digits(m)?;
            if m >= 60 {
                return Err(AttendanceError::InvalidFormat);
            }
            digits(h)?.saturating_mul(60).saturating_add(m)
        } else if let Some((h, d)) = s.split_once([',', '.']) {
            if d.is_empty() || d.len() > 2 {
                return Err(AttendanceError::InvalidFormat);
            }
            // Hundredths of an hour; "3,5" is 350. 0.6 min per hundredth never ties, so
            // "+ 50" rounds to the nearest minute.
            let frac = if d.len() == 1 {
                digits(d)? * 10
            } else {
                digits(d)?
            };
            let hundredths = digits(h)?.saturating_mul(100).saturating_add(frac);
            hundredths.saturating_mul(60).saturating_add(50) / 100
        } else {
            digits(s)?.saturating_mul(60)
        };
        Ok(minutes)
    }
}

/// A non-empty run of ASCII digits; saturates instead of overflowing, which the 24 h limit then
/// rejects.
fn digits(s: &str) -> Result<u32, AttendanceError> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AttendanceError::InvalidFormat);
    }
    Ok(s.bytes().fold(0u32, |acc, b| {
        acc.saturating_mul(10).saturating_add(u32::from(b - b'0'))
    }))
}

impl TryFrom<u32> for Minutes {
    type Error = AttendanceError;
    fn try_from(value: u32) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<Minutes> for u32 {
    fn from(value: Minutes) -> Self {
        value.0
    }
}

impl fmt::Display for Minutes {
    /// `H:MM`, the same form the parser accepts.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{:02}", self.0 / 60, self.0 % 60)
    }
}

/// One participant's attendance at one activity on one day: either attended time (minutes > 0,
/// no reason) or an absence (zero minutes with a reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceEntry {
    pub date: Date,
    pub minutes: Minutes,
    pub absence: Option<AbsenceReason>,
}

impl AttendanceEntry {
    pub fn attended(date: Date, minutes: Minutes) -> Result<Self, AttendanceError> {
        let entry = Self {
            date,
            minutes,
            absence: None,
        };
        entry.validate()?;
        Ok(entry)
    }

    pub fn absent(date: Date, reason: AbsenceReason) -> Self {
        Self {
            date,
            minutes: Minutes::ZERO,
            absence: Some(reason),
        }
    }

    pub fn validate(&self) -> Result<(), AttendanceError> {
        match (self.minutes.get(), self.absence) {
            (0, None) => Err(AttendanceError::MissingAbsenceReason),
            (1.., Some(_)) => Err(AttendanceError::AbsenceWithTime),
            _ => Ok(()),
        }
    }
}

/// Checks one participant's entries for one day: each entry is valid, all share a date, and the
/// time adds up to at most 24 h (several activities on one day add up).
pub fn check_day(entries: &[AttendanceEntry]) -> Result<(), AttendanceError> {
    let mut total = 0u32;
    for entry in entries {
        entry.validate()?;
        if entry.date != entries[0].date {
            return Err(AttendanceError::MixedDates);
        }
        total += entry.minutes.get();
    }
    if total > MINUTES_PER_DAY {
        return Err(AttendanceError::DayOverLimit);
    }
    Ok(())
}

/// One participant's time for one calendar month, as it goes on the ESF time certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MonthlyHours {
    /// Exact attended time in the month.
    pub attended_minutes: u64,
    /// Hours that may be reported: `floor(attended_minutes / 60)`.
    pub whole_hours: u64,
    /// Distinct days with attended time.
    pub days_attended: u32,
    /// Absence entries (one per missed activity, so two on one day count twice).
    pub absences: u32,
}

/// The ESF monthly time report for one participant: only entries dated inside `month` count.
///
/// ESF-rådet's rule is "only whole hours count, rounded down". We apply the rounding once, to the
/// participant's total for the month, because the certificate that is signed and claimed is per
/// participant per month; rounding there loses at most 59 minutes a month. The alternative
/// reading, rounding each entry (or each day) down before adding, would lose up to 59 minutes per
/// entry, e.g. 3 × 2 h 20 min gives 6 h instead of 7 h. If the funder confirms that reading,
/// change only how `whole_hours` is computed here.
pub fn monthly_report(entries: &[AttendanceEntry], month: (i32, Month)) -> MonthlyHours {
    summarise(
        entries
            .iter()
            .filter(|e| (e.date.year(), e.date.month()) == month),
    )
}

/// [`monthly_report`] for every month that has at least one entry.
pub fn report_by_month(entries: &[AttendanceEntry]) -> BTreeMap<(i32, Month), MonthlyHours> {
    let mut by_month: BTreeMap<(i32, Month), Vec<&AttendanceEntry>> = BTreeMap::new();
    for e in entries {
        by_month
            .entry((e.date.year(), e.date.month()))
            .or_default()
            .push(e);
    }
    by_month
        .into_iter()
        .map(|(month, es)| (month, summarise(es.into_iter())))
        .collect()
}

fn summarise<'a>(entries: impl Iterator<Item = &'a AttendanceEntry>) -> MonthlyHours {
    let mut attended_minutes = 0u64;
    let mut days = BTreeSet::new();
    let mut absences = 0u32;
    for e in entries {
        attended_minutes += u64::from(e.minutes.get());
        if e.minutes.get() > 0 {
            days.insert(e.date);
        }
        if e.absence.is_some() {
            absences += 1;
        }
    }
    MonthlyHours {
        attended_minutes,
        whole_hours: attended_minutes / 60,
        days_attended: days.len() as u32,
        absences,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn m(minutes: u32) -> Minutes {
        Minutes::new(minutes).unwrap()
    }

    fn at(date: Date, minutes: u32) -> AttendanceEntry {
        AttendanceEntry::attended(date, m(minutes)).unwrap()
    }

    #[test]
    fn parses_accepted_formats() {
        let cases = [
            ("3", 180),
            (" 3 ", 180),
            ("0", 0),
            ("03", 180),
            ("3,5", 210),
            ("3.5", 210),
            ("3,25", 195),
            ("0,01", 1),  // 0.6 min rounds up
            ("0,02", 1),  // 1.2 min rounds down
            ("1,33", 80), // 79.8 min
            ("3:30", 210),
            ("0:05", 5),
            ("24", 1440),
            ("24,00", 1440),
            ("24:00", 1440),
        ];
        for (input, minutes) in cases {
            assert_eq!(Minutes::parse(input), Ok(m(minutes)), "{input}");
        }
    }

    #[test]
    fn rejects_bad_input() {
        use AttendanceError::*;
        let cases = [
            ("", InvalidFormat),
            ("abc", InvalidFormat),
            ("3h", InvalidFormat),
            ("2 h 15 min", InvalidFormat),
            ("3,", InvalidFormat),
            (",5", InvalidFormat),
            ("3,125", InvalidFormat),
            ("3,5,1", InvalidFormat),
            ("3:5", InvalidFormat),
            ("3:60", InvalidFormat),
            (":30", InvalidFormat),
            ("3:30:00", InvalidFormat),
            ("+3", InvalidFormat),
            ("-abc", InvalidFormat),
            ("-3", Negative),
            ("−1,5", Negative),
            ("-0:30", Negative),
            ("24,01", OverDay),
            ("24:01", OverDay),
            ("25", OverDay),
            ("99999999999999", OverDay),
        ];
        for (input, err) in cases {
            assert_eq!(Minutes::parse(input), Err(err), "{input}");
        }
        assert_eq!(Minutes::new(1441), Err(OverDay));
        assert_ne!(InvalidFormat.message("sv"), InvalidFormat.message("en"));
    }

    #[test]
    fn deserialising_keeps_the_24_hour_limit() {
        use serde::de::IntoDeserializer;
        use serde::de::value::{Error, U32Deserializer};
        let ok: U32Deserializer<Error> = 90u32.into_deserializer();
        let bad: U32Deserializer<Error> = 1441u32.into_deserializer();
        assert_eq!(Minutes::deserialize(ok), Ok(m(90)));
        assert!(Minutes::deserialize(bad).is_err());
    }

    #[test]
    fn displays_as_hours_and_minutes() {
        assert_eq!(m(210).to_string(), "3:30");
        assert_eq!(Minutes::parse(&m(65).to_string()), Ok(m(65)));
    }

    #[test]
    fn entry_is_attendance_or_absence() {
        let d = date!(2026 - 03 - 02);
        assert_eq!(
            AttendanceEntry::attended(d, Minutes::ZERO),
            Err(AttendanceError::MissingAbsenceReason)
        );
        let wrong = AttendanceEntry {
            date: d,
            minutes: m(60),
            absence: Some(AbsenceReason::Sick),
        };
        assert_eq!(wrong.validate(), Err(AttendanceError::AbsenceWithTime));
        assert_eq!(
            AttendanceEntry::absent(d, AbsenceReason::Sick).validate(),
            Ok(())
        );
        assert_eq!(
            AbsenceReason::from_code("care_of_child"),
            Ok(AbsenceReason::CareOfChild)
        );
        assert_eq!(AbsenceReason::CareOfChild.label("sv"), "Vård av barn");
    }

    #[test]
    fn day_over_24_hours_is_refused_across_entries() {
        let d = date!(2026 - 03 - 02);
        assert_eq!(check_day(&[at(d, 600), at(d, 600), at(d, 240)]), Ok(()));
        assert_eq!(
            check_day(&[at(d, 600), at(d, 600), at(d, 241)]),
            Err(AttendanceError::DayOverLimit)
        );
        assert_eq!(
            check_day(&[at(d, 60), at(date!(2026 - 03 - 03), 60)]),
            Err(AttendanceError::MixedDates)
        );
        assert_eq!(
            check_day(&[
                at(d, 1440),
                AttendanceEntry::absent(d, AbsenceReason::Other)
            ]),
            Ok(())
        );
        assert_eq!(check_day(&[]), Ok(()));
    }

    #[test]
    fn monthly_hours_round_the_total_down() {
        let jan = (2026, Month::January);
        let report = |entries: &[AttendanceEntry]| monthly_report(entries, jan).whole_hours;
        let d = |day| Date::from_calendar_date(2026, Month::January, day).unwrap();
        // 3 × 2 h 20 min = 7 h exactly: per-entry rounding would give 6.
        assert_eq!(report(&[at(d(5), 140), at(d(6), 140), at(d(7), 140)]), 7);
        assert_eq!(report(&[at(d(5), 179)]), 2);
        assert_eq!(report(&[at(d(5), 59), at(d(6), 59)]), 1);
        assert_eq!(report(&[at(d(5), 59)]), 0);
    }

    #[test]
    fn entries_go_to_their_own_month() {
        let entries = [
            at(date!(2026 - 01 - 31), 120),
            at(date!(2026 - 02 - 01), 90),
            at(date!(2025 - 01 - 15), 600), // same month, other year
        ];
        let jan = monthly_report(&entries, (2026, Month::January));
        assert_eq!(
            (jan.attended_minutes, jan.whole_hours, jan.days_attended),
            (120, 2, 1)
        );
        let feb = monthly_report(&entries, (2026, Month::February));
        assert_eq!(
            (feb.attended_minutes, feb.whole_hours, feb.days_attended),
            (90, 1, 1)
        );
        let all = report_by_month(&entries);
        assert_eq!(all.len(), 3);
        assert_eq!(all[&(2026, Month::January)], jan);
        assert_eq!(all[&(2026, Month::February)], feb);
        assert_eq!(all[&(2025, Month::January)].whole_hours, 10);
    }

    #[test]
    fn leap_year_february_includes_the_29th() {
        let entries = [
            at(date!(2024 - 02 - 28), 60),
            at(date!(2024 - 02 - 29), 60),
            at(date!(2024 - 03 - 01), 60),
        ];
        let feb = monthly_report(&entries, (2024, Month::February));
        assert_eq!((feb.whole_hours, feb.days_attended), (2, 2));
    }

    #[test]
    fn empty_month_is_zero() {
        let entries = [at(date!(2026 - 01 - 31), 120)];
        assert_eq!(
            monthly_report(&entries, (2026, Month::March)),
            MonthlyHours::default()
        );
        assert_eq!(
            monthly_report(&[], (2026, Month::March)),
            MonthlyHours::default()
        );
        assert!(report_by_month(&[]).is_empty());
    }

    #[test]
    fn absences_are_counted_separately() {
        let d = date!(2026 - 04 - 07);
        let entries = [
            at(d, 120),
            AttendanceEntry::absent(d, AbsenceReason::OtherAppointment),
            AttendanceEntry::absent(date!(2026 - 04 - 08), AbsenceReason::Sick),
        ];
        let r = monthly_report(&entries, (2026, Month::April));
        assert_eq!(
            r,
            MonthlyHours {
                attended_minutes: 120,
                whole_hours: 2,
                days_attended: 1,
                absences: 2
            }
        );
    }

    proptest! {
        #[test]
        fn whole_hours_bound_and_months_add_up(
            raw in proptest::collection::vec((0i64..800, 0u32..=1440, any::<bool>()), 0..60)
        ) {
            let base = date!(2023 - 11 - 15);
            let entries: Vec<_> = raw
                .into_iter()
                .map(|(offset, minutes, absent)| {
                    let date = base + time::Duration::days(offset);
                    if absent || minutes == 0 {
                        AttendanceEntry::absent(date, AbsenceReason::Other)
                    } else {
                        at(date, minutes)
                    }
                })
                .collect();
            let by_month = report_by_month(&entries);
            for (&month, r) in &by_month {
                prop_assert!(r.whole_hours * 60 <= r.attended_minutes);
                prop_assert!(r.attended_minutes < (r.whole_hours + 1) * 60);
                prop_assert_eq!(*r, monthly_report(&entries, month));
            }
            let total: u64 = entries.iter().map(|e| u64::from(e.minutes.get())).sum();
            prop_assert_eq!(by_month.values().map(|r| r.attended_minutes).sum::<u64>(), total);
            let absences = entries.iter().filter(|e| e.absence.is_some()).count() as u32;
            prop_assert_eq!(by_month.values().map(|r| r.absences).sum::<u32>(), absences);
        }
    }
}
