//! Times as the people reading them live them: Swedish local time (CET/CEST), from the bundled
//! time-zone database, so a machine without tzdata shows the same.

use time::OffsetDateTime;

/// `2026-11-24 14:05` in Europe/Stockholm.
pub fn stockholm(at: OffsetDateTime) -> String {
    let zone = jiff::tz::TimeZone::get("Europe/Stockholm").unwrap_or(jiff::tz::TimeZone::UTC);
    match jiff::Timestamp::from_second(at.unix_timestamp()) {
        Ok(ts) => ts
            .to_zoned_datetime(zone)
            .strftime("%Y-%m-%d %H:%M")
            .to_string(),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn winter_is_one_hour_ahead_and_summer_two() {
        assert_eq!(
            stockholm(datetime!(2026-11-24 10:00 UTC)),
            "2026-11-24 11:00"
        );
        assert_eq!(
            stockholm(datetime!(2026-07-01 10:00 UTC)),
            "2026-07-01 12:00"
        );
        // The last Sunday of March 2026 is the 29th: clocks go forward at 01:00 UTC.
        assert_eq!(
            stockholm(datetime!(2026-03-29 00:59 UTC)),
            "2026-03-29 01:59"
        );
        assert_eq!(
            stockholm(datetime!(2026-03-29 01:00 UTC)),
            "2026-03-29 03:00"
        );
        // Late at night in UTC is already the next day in Sweden.
        assert_eq!(
            stockholm(datetime!(2026-12-31 23:30 UTC)),
            "2027-01-01 00:30"
        );
    }
}
