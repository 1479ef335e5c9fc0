//! Reading the typed fields that many use cases share: dates and hours a week. A value that does
//! not parse becomes a field error in plain Swedish and English.

use crate::error::{FieldError, Text};
use stegvis_domain::placement::MAX_HOURS_PER_WEEK;
use time::Date;

/// The dates Stegvis accepts: a birth date to a follow-up years ahead. Outside them a typo such
/// as 20266-01-01 would reach date arithmetic near the calendar's end and fail there.
const EARLIEST: Date = time::macros::date!(1900 - 01 - 01);
const LATEST: Date = time::macros::date!(2199 - 12 - 31);

/// Parses a `YYYY-MM-DD` date field.
pub fn parse_date(field: &str, value: &str, errors: &mut Vec<FieldError>) -> Option<Date> {
    let value = value.trim();
    if value.is_empty() {
        errors.push(FieldError::new(
            field,
            Text::new("Skriv ett datum.", "Enter a date."),
        ));
        return None;
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    match Date::parse(value, &format) {
        Ok(d) if (EARLIEST..=LATEST).contains(&d) => Some(d),
        Ok(_) => {
            errors.push(FieldError::new(
                field,
                Text::new(
                    "Datumet måste ligga mellan år 1900 och 2199.",
                    "The date must lie between the years 1900 and 2199.",
                ),
            ));
            None
        }
        Err(_) => {
            errors.push(FieldError::new(
                field,
                Text::new(
                    "Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-01.",
                    "Write the date as YYYY-MM-DD, for example 2026-03-01.",
                ),
            ));
            None
        }
    }
}

/// Hours a week: 1 to 60.
pub(crate) fn check_hours(
    field: &str,
    v: Option<i64>,
    errors: &mut Vec<FieldError>,
) -> Option<i32> {
    let v = v?;
    if !(1..=i64::from(MAX_HOURS_PER_WEEK)).contains(&v) {
        errors.push(FieldError::new(
            field,
            Text::new(
                "Ange timmar i veckan mellan 1 och 60.",
                "Give hours a week between 1 and 60.",
            ),
        ));
        return None;
    }
    Some(v as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Any text: a date in range, or a field error; never a panic, never both.
        #[test]
        fn any_text_is_a_date_in_range_or_a_field_error(text in "[-+0-9]{0,12}") {
            let mut errors = Vec::new();
            match parse_date("d", &text, &mut errors) {
                Some(d) => {
                    proptest::prop_assert!((EARLIEST..=LATEST).contains(&d));
                    proptest::prop_assert!(errors.is_empty());
                }
                None => proptest::prop_assert_eq!(errors.len(), 1),
            }
        }
    }

    #[test]
    fn the_far_future_is_refused_with_its_own_message() {
        let mut errors = Vec::new();
        assert_eq!(parse_date("week_of", "9999-12-31", &mut errors), None);
        assert_eq!(errors[0].field, "week_of");
        let mut errors = Vec::new();
        assert!(parse_date("d", "2199-12-31", &mut errors).is_some());
    }
}
