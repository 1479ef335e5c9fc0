//! Reading the typed fields that many use cases share: dates and hours a week. A value that does
//! not parse becomes a field error in plain Swedish and English.

use crate::error::{FieldError, Text};
use stegvis_domain::placement::MAX_HOURS_PER_WEEK;
use time::Date;

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
        Ok(d) => Some(d),
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
