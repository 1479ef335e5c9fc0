//! Schedules: when an activity meets, week by week. The attendance form uses them to suggest
//! the day and show the session's length; the activities page shows them.

use time::{Date, Duration, Time, Weekday};

/// Shortest and longest session.
pub const MIN_MINUTES: u32 = 15;
pub const MAX_MINUTES: u32 = 10 * 60;

/// A weekly session of an activity: weekday, start, length, and the period it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    pub weekday: Weekday,
    pub starts_at: Time,
    pub minutes: u32,
    pub from: Date,
    /// The last day it may meet; open-ended when absent.
    pub to: Option<Date>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("length out of range")]
    Length,
    #[error("ends after midnight")]
    PastMidnight,
    #[error("ends before it starts")]
    EndBeforeStart,
}

impl ScheduleError {
    /// The field the error belongs to.
    pub fn field(&self) -> &'static str {
        match self {
            Self::Length | Self::PastMidnight => "hours",
            Self::EndBeforeStart => "valid_to",
        }
    }

    pub fn message(&self, lang: &str) -> &'static str {
        match (self, lang) {
            (Self::Length, "en") => "A session is between 15 minutes and 10 hours.",
            (Self::Length, _) => "Ett pass är mellan 15 minuter och 10 timmar.",
            (Self::PastMidnight, "en") => "The session must end by midnight.",
            (Self::PastMidnight, _) => "Passet måste sluta senast vid midnatt.",
            (Self::EndBeforeStart, "en") => "The last day cannot be before the first day.",
            (Self::EndBeforeStart, _) => "Sista dagen kan inte vara före första dagen.",
        }
    }
}

/// ISO weekday number, 1 = Monday … 7 = Sunday (as stored).
pub fn weekday_from_number(n: u8) -> Option<Weekday> {
    (1..=7).contains(&n).then(|| Weekday::Sunday.nth_next(n))
}

/// The weekday in Swedish (plural, as in "tisdagar") or English.
pub fn weekday_label(w: Weekday, lang: &str) -> &'static str {
    use Weekday::*;
    match (w, lang) {
        (Monday, "en") => "Mondays",
        (Tuesday, "en") => "Tuesdays",
        (Wednesday, "en") => "Wednesdays",
        (Thursday, "en") => "Thursdays",
        (Friday, "en") => "Fridays",
        (Saturday, "en") => "Saturdays",
        (Sunday, "en") => "Sundays",
        (Monday, _) => "måndagar",
        (Tuesday, _) => "tisdagar",
        (Wednesday, _) => "onsdagar",
        (Thursday, _) => "torsdagar",
        (Friday, _) => "fredagar",
        (Saturday, _) => "lördagar",
        (Sunday, _) => "söndagar",
    }
}

impl Schedule {
    pub fn new(
        weekday: Weekday,
        starts_at: Time,
        minutes: u32,
        from: Date,
        to: Option<Date>,
    ) -> Result<Self, ScheduleError> {
        if !(MIN_MINUTES..=MAX_MINUTES).contains(&minutes) {
            return Err(ScheduleError::Length);
        }
        let start = u32::from(starts_at.hour()) * 60 + u32::from(starts_at.minute());
        if start + minutes > 24 * 60 {
            return Err(ScheduleError::PastMidnight);
        }
        if to.is_some_and(|to| to < from) {
            return Err(ScheduleError::EndBeforeStart);
        }
        Ok(Self {
            weekday,
            starts_at,
            minutes,
            from,
            to,
        })
    }

    /// Start and end as clock times, `09:00–12:00` (a session ending at midnight ends `24:00`).
    pub fn clock_range(&self) -> String {
        let start = u32::from(self.starts_at.hour()) * 60 + u32::from(self.starts_at.minute());
        let end = start + self.minutes;
        format!(
            "{:02}:{:02}–{:02}:{:02}",
            start / 60,
            start % 60,
            end / 60,
            end % 60
        )
    }

    pub fn occurs_on(&self, day: Date) -> bool {
        day.weekday() == self.weekday && day >= self.from && self.to.is_none_or(|to| day <= to)
    }

    /// The latest session on or before `day`, if the schedule had begun by then.
    pub fn latest_on_or_before(&self, day: Date) -> Option<Date> {
        let day = self.to.map_or(day, |to| day.min(to));
        let back = (7 + day.weekday().number_days_from_monday()
            - self.weekday.number_days_from_monday())
            % 7;
        let session = day - Duration::days(i64::from(back));
        (session >= self.from).then_some(session)
    }

    /// Every session from `a` to `b`, inclusive.
    pub fn sessions_between(&self, a: Date, b: Date) -> Vec<Date> {
        let mut out = Vec::new();
        let mut day = a.max(self.from);
        let ahead = (7 + self.weekday.number_days_from_monday()
            - day.weekday().number_days_from_monday())
            % 7;
        day += Duration::days(i64::from(ahead));
        let last = self.to.map_or(b, |to| b.min(to));
        while day <= last {
            out.push(day);
            day += Duration::days(7);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::{date, time};

    fn tuesdays() -> Schedule {
        Schedule::new(
            Weekday::Tuesday,
            time!(09:00),
            180,
            date!(2026 - 03 - 01),
            Some(date!(2026 - 06 - 30)),
        )
        .unwrap()
    }

    #[test]
    fn a_weekly_session_has_a_day_an_end_and_a_period() {
        let s = tuesdays();
        assert_eq!(s.clock_range(), "09:00–12:00");
        assert!(s.occurs_on(date!(2026 - 03 - 03)));
        assert!(!s.occurs_on(date!(2026 - 03 - 04)), "a Wednesday");
        assert!(!s.occurs_on(date!(2026 - 02 - 24)), "before it starts");
        assert!(!s.occurs_on(date!(2026 - 07 - 07)), "after it ends");
        assert_eq!(
            s.sessions_between(date!(2026 - 03 - 01), date!(2026 - 03 - 31)),
            vec![
                date!(2026 - 03 - 03),
                date!(2026 - 03 - 10),
                date!(2026 - 03 - 17),
                date!(2026 - 03 - 24),
                date!(2026 - 03 - 31)
            ]
        );
        assert_eq!(
            s.latest_on_or_before(date!(2026 - 03 - 09)),
            Some(date!(2026 - 03 - 03))
        );
        assert_eq!(
            s.latest_on_or_before(date!(2026 - 03 - 03)),
            Some(date!(2026 - 03 - 03))
        );
        assert_eq!(s.latest_on_or_before(date!(2026 - 03 - 02)), None);
        assert_eq!(
            s.latest_on_or_before(date!(2026 - 12 - 24)),
            Some(date!(2026 - 06 - 30))
        );
    }

    #[test]
    fn bad_schedules_are_refused() {
        let d = date!(2026 - 03 - 01);
        let new = |start, minutes, to| Schedule::new(Weekday::Monday, start, minutes, d, to);
        assert_eq!(new(time!(09:00), 10, None), Err(ScheduleError::Length));
        assert_eq!(new(time!(09:00), 601, None), Err(ScheduleError::Length));
        assert_eq!(
            new(time!(22:00), 150, None),
            Err(ScheduleError::PastMidnight)
        );
        assert_eq!(
            new(time!(22:00), 120, None).unwrap().clock_range(),
            "22:00–24:00"
        );
        assert_eq!(
            new(time!(09:00), 60, Some(date!(2026 - 02 - 28))),
            Err(ScheduleError::EndBeforeStart)
        );
        assert_eq!(weekday_from_number(1), Some(Weekday::Monday));
        assert_eq!(weekday_from_number(7), Some(Weekday::Sunday));
        assert_eq!(weekday_from_number(0), None);
        assert_eq!(weekday_from_number(8), None);
    }

    proptest! {
        #[test]
        fn sessions_fall_on_the_weekday_inside_the_period(
            wd in 1u8..=7, from in 0i32..2000, len in 0i32..400, a in 0i32..2500, span in 0i32..200,
        ) {
            let base = date!(2024 - 01 - 01);
            let from = base + Duration::days(i64::from(from));
            let to = from + Duration::days(i64::from(len));
            let s = Schedule::new(weekday_from_number(wd).unwrap(), time!(10:00), 60, from, Some(to)).unwrap();
            let a = base + Duration::days(i64::from(a));
            let b = a + Duration::days(i64::from(span));
            let sessions = s.sessions_between(a, b);
            // Exactly the days in a..=b on which it occurs.
            let mut day = a;
            let mut expected = Vec::new();
            while day <= b {
                if s.occurs_on(day) { expected.push(day); }
                day += Duration::days(1);
            }
            prop_assert_eq!(&sessions, &expected);
            if let Some(latest) = s.latest_on_or_before(b) {
                prop_assert!(s.occurs_on(latest) && latest <= b);
                prop_assert!(!s.occurs_on(latest + Duration::days(7)) || latest + Duration::days(7) > b);
            }
        }
    }
}
