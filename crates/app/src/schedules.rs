//! Activity schedules: when an activity meets each week. Catalogue data, managed by the staff of
//! the organisation that runs the project.

use crate::error::{FieldError, Text};
use crate::input::parse_date;
use crate::{Actor, App, AppError, Result};
use serde::{Deserialize, Serialize};
use stegvis_domain::attendance::Minutes;
use stegvis_domain::schedule::{Schedule, weekday_from_number, weekday_label};
use stegvis_store::schedule::ScheduleRow;
use time::{Date, Time};
use utoipa::ToSchema;
use uuid::Uuid;

/// A new weekly session.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ScheduleInput {
    /// ISO weekday: `1` Monday … `7` Sunday.
    #[schema(pattern = "^\\s*\\+?0*[1-7]\\s*$", required = true)]
    pub weekday: String,
    /// `HH:MM`.
    #[schema(pattern = "^\\s*[0-9]{1,2}[:.][0-9]{2}\\s*$", required = true)]
    pub starts_at: String,
    /// Length: `3`, `2,5` or `2:30`.
    #[schema(schema_with = crate::openapi::hours, required = true)]
    pub hours: String,
    /// `YYYY-MM-DD`; the first day it may meet.
    #[schema(schema_with = crate::openapi::date, required = true)]
    pub valid_from: String,
    /// `YYYY-MM-DD`, optional; the last day it may meet.
    #[schema(schema_with = crate::openapi::optional_date)]
    pub valid_to: Option<String>,
    #[schema(schema_with = crate::openapi::optional_text::<200>)]
    pub place: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScheduleView {
    pub id: Uuid,
    pub activity_id: Uuid,
    /// ISO weekday, 1 = Monday.
    #[schema(minimum = 1, maximum = 7)]
    pub weekday: u8,
    /// `HH:MM`.
    #[schema(pattern = "^[0-9]{2}:[0-9]{2}$")]
    pub starts_at: String,
    pub minutes: u32,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    pub place: Option<String>,
}

impl ScheduleView {
    pub fn schedule(&self) -> Option<Schedule> {
        let weekday = weekday_from_number(self.weekday)?;
        let start = parse_clock(&self.starts_at)?;
        Schedule::new(weekday, start, self.minutes, self.valid_from, self.valid_to).ok()
    }

    /// "tisdagar 09:00–12:00", or in English.
    pub fn describe(&self, lang: &str) -> String {
        match self.schedule() {
            Some(s) => format!("{} {}", weekday_label(s.weekday, lang), s.clock_range()),
            None => String::new(),
        }
    }
}

pub(crate) fn view(r: &ScheduleRow) -> ScheduleView {
    ScheduleView {
        id: r.id,
        activity_id: r.activity_id,
        weekday: r.weekday.clamp(1, 7) as u8,
        starts_at: r.starts_at.clone(),
        minutes: r.minutes.max(0) as u32,
        valid_from: r.valid_from,
        valid_to: r.valid_to,
        place: r.place.clone(),
    }
}

/// `HH:MM` (or `H:MM`, `HH.MM`) on a 24-hour clock.
fn parse_clock(v: &str) -> Option<Time> {
    let (h, m) = v.trim().split_once([':', '.'])?;
    if m.len() != 2 || h.is_empty() || h.len() > 2 {
        return None;
    }
    Time::from_hms(h.parse().ok()?, m.parse().ok()?, 0).ok()
}

impl App {
    /// Adds a weekly session to one of the organisation's activities.
    pub async fn add_schedule(
        &self,
        actor: &Actor,
        activity_id: Uuid,
        input: &ScheduleInput,
    ) -> Result<ScheduleView> {
        self.activity(actor, activity_id).await?;
        let mut errors = Vec::new();
        let weekday = input
            .weekday
            .trim()
            .parse::<u8>()
            .ok()
            .and_then(weekday_from_number);
        if weekday.is_none() {
            errors.push(FieldError::new(
                "weekday",
                Text::new("Välj veckodag.", "Choose the day of the week."),
            ));
        }
        let start = parse_clock(&input.starts_at);
        if start.is_none() {
            errors.push(FieldError::new(
                "starts_at",
                Text::new(
                    "Skriv starttiden som TT:MM, till exempel 09:00.",
                    "Write the start time as HH:MM, for example 09:00.",
                ),
            ));
        }
        let minutes = match Minutes::parse(&input.hours) {
            Ok(m) => Some(m.get()),
            Err(e) => {
                errors.push(FieldError::new(
                    "hours",
                    Text::from_messages(|l| e.message(l)),
                ));
                None
            }
        };
        let from = parse_date("valid_from", &input.valid_from, &mut errors);
        let to = match input.valid_to.as_deref().map(str::trim) {
            Some(v) if !v.is_empty() => parse_date("valid_to", v, &mut errors),
            _ => None,
        };
        let place = input
            .place
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned);
        if input
            .place
            .as_deref()
            .is_some_and(|p| p.chars().count() > 200)
        {
            errors.push(FieldError::new(
                "place",
                Text::new("Skriv högst 200 tecken.", "Write at most 200 characters."),
            ));
        }
        let (Some(weekday), Some(start), Some(minutes), Some(from)) =
            (weekday, start, minutes, from)
        else {
            return Err(AppError::Invalid(errors));
        };
        let schedule = match Schedule::new(weekday, start, minutes, from, to) {
            Ok(s) if errors.is_empty() => s,
            Ok(_) => return Err(AppError::Invalid(errors)),
            Err(e) => {
                errors.push(FieldError::new(
                    e.field(),
                    Text::from_messages(|l| e.message(l)),
                ));
                return Err(AppError::Invalid(errors));
            }
        };
        let row = ScheduleRow {
            id: Uuid::now_v7(),
            activity_id,
            weekday: i32::from(schedule.weekday.number_from_monday()),
            starts_at: format!("{:02}:{:02}", start.hour(), start.minute()),
            minutes: schedule.minutes as i32,
            valid_from: schedule.from,
            valid_to: schedule.to,
            place,
            created_at: self.now(),
        };
        let mut tx = self.store.begin().await?;
        tx.insert_schedule(&row).await?;
        tx.commit().await?;
        Ok(view(&row))
    }

    /// The activity's weekly sessions.
    pub async fn schedules(&self, actor: &Actor, activity_id: Uuid) -> Result<Vec<ScheduleView>> {
        self.activity(actor, activity_id).await?;
        let mut tx = self.store.begin_read().await?;
        let rows = tx.schedules_of_activity(activity_id).await?;
        tx.commit().await?;
        Ok(rows.iter().map(view).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::parse_clock;
    use time::macros::time;

    #[test]
    fn clock_times() {
        assert_eq!(parse_clock("09:00"), Some(time!(09:00)));
        assert_eq!(parse_clock("9:30"), Some(time!(09:30)));
        assert_eq!(parse_clock("13.15"), Some(time!(13:15)));
        for bad in ["24:00", "9", "9:5", "09:60", "", "ab:cd", "123:00"] {
            assert_eq!(parse_clock(bad), None, "{bad}");
        }
    }
}
