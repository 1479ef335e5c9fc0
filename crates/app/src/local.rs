//! Swedish time for dates: what day it is, and when a day begins, in Europe/Stockholm (from
//! jiff's bundled time-zone data, so a machine without tzdata agrees). Times are stored in UTC.

use time::{Date, OffsetDateTime};

fn zone() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get("Europe/Stockholm").unwrap_or(jiff::tz::TimeZone::UTC)
}

/// `2026-11-24 14:05`: `at` as a clock in Sweden shows it.
pub fn swedish_time(at: OffsetDateTime) -> String {
    match jiff::Timestamp::from_second(at.unix_timestamp()) {
        Ok(ts) => ts
            .to_zoned_datetime(zone())
            .strftime("%Y-%m-%d %H:%M")
            .to_string(),
        Err(_) => String::new(),
    }
}

/// The date in Sweden at `at`.
pub fn swedish_date(at: OffsetDateTime) -> Date {
    let fallback = at.date();
    let Ok(ts) = jiff::Timestamp::from_second(at.unix_timestamp()) else {
        return fallback;
    };
    let d = ts.to_zoned_datetime(zone()).date();
    time::Month::try_from(d.month() as u8)
        .ok()
        .and_then(|m| Date::from_calendar_date(i32::from(d.year()), m, d.day() as u8).ok())
        .unwrap_or(fallback)
}

/// The moment a Swedish day begins (midnight in Sweden), in UTC.
pub fn swedish_midnight(d: Date) -> OffsetDateTime {
    let utc = d.midnight().assume_utc();
    let Ok(civil) = jiff::civil::Date::new(d.year() as i16, d.month() as i8, d.day() as i8) else {
        return utc;
    };
    civil
        .to_zoned_datetime(zone())
        .ok()
        .and_then(|z| OffsetDateTime::from_unix_timestamp(z.timestamp().as_second()).ok())
        .unwrap_or(utc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn late_evening_in_utc_is_already_tomorrow_in_sweden() {
        assert_eq!(
            swedish_date(datetime!(2026-11-24 22:59 UTC)),
            date!(2026 - 11 - 24)
        );
        assert_eq!(
            swedish_date(datetime!(2026-11-24 23:00 UTC)),
            date!(2026 - 11 - 25)
        );
        assert_eq!(
            swedish_date(datetime!(2026-06-30 22:00 UTC)),
            date!(2026 - 07 - 01),
            "summer time"
        );
    }

    #[test]
    fn winter_is_one_hour_ahead_and_summer_two() {
        assert_eq!(
            swedish_time(datetime!(2026-11-24 10:00 UTC)),
            "2026-11-24 11:00"
        );
        assert_eq!(
            swedish_time(datetime!(2026-07-01 10:00 UTC)),
            "2026-07-01 12:00"
        );
        // The last Sunday of March 2026 is the 29th: clocks go forward at 01:00 UTC.
        assert_eq!(
            swedish_time(datetime!(2026-03-29 00:59 UTC)),
            "2026-03-29 01:59"
        );
        assert_eq!(
            swedish_time(datetime!(2026-03-29 01:00 UTC)),
            "2026-03-29 03:00"
        );
        assert_eq!(
            swedish_time(datetime!(2026-12-31 23:30 UTC)),
            "2027-01-01 00:30"
        );
    }

    #[test]
    fn a_swedish_day_begins_an_hour_or_two_before_utc_midnight() {
        assert_eq!(
            swedish_midnight(date!(2026 - 11 - 25)),
            datetime!(2026-11-24 23:00 UTC)
        );
        assert_eq!(
            swedish_midnight(date!(2026 - 07 - 01)),
            datetime!(2026-06-30 22:00 UTC)
        );
    }
}
