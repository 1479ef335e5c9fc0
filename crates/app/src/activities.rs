//! Activities and attendance: a project's catalogue, attendance for a whole group at once, and
//! the participant's monthly time report with whole hours (the ESF rule).

use crate::error::{FieldError, Text};
use crate::gate::reject;
use crate::input::parse_date;
use crate::policy::{Action, Function, RecordKind, Request};
use crate::{Actor, App, AppError, Result};
use serde::{Deserialize, Serialize};
use stegvis_domain::attendance::{
    AbsenceReason, ActivityKind, AttendanceEntry, Minutes, monthly_report,
};
use stegvis_store::activity::{ActivityRow, AttendanceRow};
use time::{Date, Month};
use utoipa::ToSchema;
use uuid::Uuid;

/// Most entries one group registration may carry.
const MAX_GROUP: usize = 200;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ActivityView {
    pub id: Uuid,
    pub project_id: Uuid,
    /// `guidance`, `health_and_leisure`, `supported_education`, `studies`, `sfi`, `motivation`, `group_session`, `work_oriented`.
    #[schema(value_type = stegvis_domain::attendance::ActivityKind)]
    pub kind: String,
    pub name: String,
    /// When it meets each week.
    pub schedules: Vec<crate::schedules::ScheduleView>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ActivityInput {
    #[schema(value_type = stegvis_domain::attendance::ActivityKind, required = true)]
    pub kind: String,
    #[schema(schema_with = crate::openapi::text::<200>, required = true)]
    pub name: String,
}

/// One participant's line in a group registration: hours, or an absence with its reason.
#[derive(Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct AttendanceLine {
    #[schema(schema_with = crate::openapi::uuid, required = true)]
    pub participant_id: String,
    /// `3`, `2,5`, `2.5` or `2:30`; leave out for an absence.
    #[schema(schema_with = crate::openapi::optional_hours)]
    pub hours: Option<String>,
    /// `sick`, `care_of_child`, `other_appointment`, `unexcused` or `other`.
    #[schema(schema_with = crate::openapi::optional_code::<stegvis_domain::attendance::AbsenceReason>)]
    pub absence_reason: Option<String>,
}

/// Attendance for a whole group on one day.
#[derive(Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct GroupAttendanceInput {
    /// `YYYY-MM-DD`.
    #[schema(schema_with = crate::openapi::date, required = true)]
    pub date: String,
    #[schema(min_items = 1, max_items = 200, required = true)]
    pub entries: Vec<AttendanceLine>,
}

impl std::fmt::Debug for AttendanceLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AttendanceLine(<redacted>)")
    }
}

impl std::fmt::Debug for GroupAttendanceInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "GroupAttendanceInput({} lines, <redacted>)",
            self.entries.len()
        )
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttendanceRecorded {
    pub recorded: usize,
}

/// The funder's monthly figures for one participant.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TimeReport {
    pub participant_id: Uuid,
    pub project_id: Uuid,
    /// `YYYY-MM`.
    #[schema(pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$")]
    pub month: String,
    pub attended_minutes: u64,
    /// Whole hours, rounded down from the month's total (the ESF rule).
    pub whole_hours: u64,
    pub days_attended: u32,
    pub absences: u32,
}

fn view(a: ActivityRow) -> ActivityView {
    ActivityView {
        id: a.id,
        project_id: a.project_id,
        kind: a.kind.code().to_owned(),
        name: a.name,
        schedules: Vec::new(),
    }
}

/// Parses `YYYY-MM`.
pub fn parse_month(value: &str) -> Option<(i32, Month)> {
    let (y, m) = value.trim().split_once('-')?;
    let year: i32 = y.parse().ok().filter(|y| (1900..=9999).contains(y))?;
    let month = Month::try_from(m.parse::<u8>().ok()?).ok()?;
    Some((year, month))
}

impl App {
    /// The project's activities (staff of the organisation that runs it).
    pub async fn activities(&self, actor: &Actor, project_id: Uuid) -> Result<Vec<ActivityView>> {
        self.project_of_own_org(actor, project_id, Action::Read)
            .await?;
        let mut tx = self.store.begin_read().await?;
        let rows = tx.activities_of(project_id).await?;
        let schedules = tx.schedules_of_project(project_id).await?;
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .map(|a| {
                let mut v = view(a);
                v.schedules = schedules
                    .iter()
                    .filter(|s| s.activity_id == v.id)
                    .map(crate::schedules::view)
                    .collect();
                v
            })
            .collect())
    }

    /// The gate's question about a function of a project: its owner is the organisation that
    /// runs it (an unknown project: `NotFound`).
    async fn project_function<'a>(
        &self,
        project_id: Uuid,
        actor: &'a Actor,
        function: Function,
        action: Action,
    ) -> Result<Request<'a>> {
        let mut tx = self.store.begin_read().await?;
        let project = tx.project(project_id).await?.ok_or(AppError::NotFound)?;
        tx.commit().await?;
        Ok(Request::Function {
            actor,
            function,
            action,
            owner: Some(project.owner_org_id),
        })
    }

    /// Whether the actor manages the project's activities, and the reports made from them: their
    /// organisation runs it and their role keeps its activities. For pages deciding what to offer.
    pub async fn manages_activities(&self, actor: &Actor, project_id: Uuid) -> Result<bool> {
        let req = self
            .project_function(project_id, actor, Function::Activities, Action::Write)
            .await?;
        Ok(crate::policy::allows(&req))
    }

    /// Asks the gate about a function of a project; a refusal is audited and answers
    /// `NotFound`, as for an unknown project.
    pub(crate) async fn check_project(
        &self,
        actor: &Actor,
        project_id: Uuid,
        function: Function,
        action: Action,
    ) -> Result<()> {
        let req = self
            .project_function(project_id, actor, function, action)
            .await?;
        self.check(&req).await
    }

    async fn project_of_own_org(
        &self,
        actor: &Actor,
        project_id: Uuid,
        action: Action,
    ) -> Result<()> {
        self.check_project(actor, project_id, Function::Activities, action)
            .await
    }

    pub async fn create_activity(
        &self,
        actor: &Actor,
        project_id: Uuid,
        input: &ActivityInput,
    ) -> Result<ActivityView> {
        self.project_of_own_org(actor, project_id, Action::Write)
            .await?;
        let mut errors = Vec::new();
        let kind = ActivityKind::from_code(input.kind.trim()).map_err(|_| {
            errors.push(FieldError::new(
                "kind",
                Text::new("Välj typ av aktivitet.", "Choose the kind of activity."),
            ));
        });
        let name = input.name.trim();
        if name.is_empty() || input.name.chars().count() > 200 {
            errors.push(FieldError::new(
                "name",
                Text::new(
                    "Skriv aktivitetens namn (högst 200 tecken).",
                    "Enter the activity's name (at most 200 characters).",
                ),
            ));
        }
        let (Ok(kind), true) = (kind, errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let row = ActivityRow {
            id: Uuid::now_v7(),
            project_id,
            kind,
            name: name.into(),
            created_at: self.now(),
        };
        let mut tx = self.store.begin().await?;
        // Two activities with one name would make attendance lists ambiguous.
        let taken = tx
            .activities_of(project_id)
            .await?
            .iter()
            .any(|a| a.name.to_lowercase() == name.to_lowercase());
        if taken {
            tx.commit().await?;
            return Err(AppError::field(
                "name",
                Text::new(
                    "Projektet har redan en aktivitet med det namnet.",
                    "The project already has an activity with that name.",
                ),
            ));
        }
        tx.insert_activity(&row).await?;
        tx.commit().await?;
        Ok(view(row))
    }

    /// Records a day's attendance for a whole group, all or nothing.
    pub async fn record_attendance(
        &self,
        actor: &Actor,
        activity_id: Uuid,
        input: &GroupAttendanceInput,
    ) -> Result<AttendanceRecorded> {
        let mut tx = self.store.begin_read().await?;
        let activity = tx.activity(activity_id).await?.ok_or(AppError::NotFound)?;
        tx.commit().await?;
        self.project_of_own_org(actor, activity.project_id, Action::Write)
            .await?;

        let mut errors = Vec::new();
        let date = parse_date("date", &input.date, &mut errors);
        if date.is_some_and(|d| d > self.today()) {
            errors.push(FieldError::new(
                "date",
                Text::new(
                    "Datumet kan inte ligga i framtiden.",
                    "The date cannot be in the future.",
                ),
            ));
        }
        if input.entries.is_empty() || input.entries.len() > MAX_GROUP {
            // Refused before the gate: a huge list must not cost a gate decision per line.
            errors.push(FieldError::new(
                "entries",
                Text::new(
                    "Registrera närvaro för 1–200 deltagare åt gången.",
                    "Record attendance for 1–200 participants at a time.",
                ),
            ));
            return Err(AppError::Invalid(errors));
        }
        let mut lines: Vec<(Uuid, AttendanceEntry)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (i, line) in input.entries.iter().enumerate() {
            let field = |name: &str| format!("entries[{i}].{name}");
            let Ok(pid) = Uuid::parse_str(line.participant_id.trim()) else {
                errors.push(FieldError::new(
                    &field("participant_id"),
                    Text::new("Okänd deltagare.", "Unknown participant."),
                ));
                continue;
            };
            if !seen.insert(pid) {
                errors.push(FieldError::new(
                    &field("participant_id"),
                    Text::new(
                        "Deltagaren finns redan i listan.",
                        "The participant is already in the list.",
                    ),
                ));
                continue;
            }
            let day = date.unwrap_or(Date::MIN);
            let hours = line
                .hours
                .as_deref()
                .map(str::trim)
                .filter(|h| !h.is_empty());
            let reason = line
                .absence_reason
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty());
            let entry = match (hours, reason) {
                (Some(h), None) => Minutes::parse(h)
                    .and_then(|m| AttendanceEntry::attended(day, m))
                    .map_err(|e| (field("hours"), Text::from_messages(|l| e.message(l)))),
                (None, Some(r)) => AbsenceReason::from_code(r)
                    .map(|r| AttendanceEntry::absent(day, r))
                    .map_err(|_| {
                        (
                            field("absence_reason"),
                            Text::new(
                                "Välj orsak till frånvaron.",
                                "Choose the reason for the absence.",
                            ),
                        )
                    }),
                _ => Err((
                    field("hours"),
                    Text::new(
                        "Skriv antal timmar, eller välj orsak till frånvaro.",
                        "Enter hours, or choose a reason for absence.",
                    ),
                )),
            };
            match entry {
                Ok(e) => lines.push((pid, e)),
                Err((f, t)) => errors.push(FieldError::new(&f, t)),
            }
        }
        // The gate decides for every participant before anything else is said about them.
        let ids: Vec<Uuid> = lines.iter().map(|(p, _)| *p).collect();
        if ids.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let (mut tx, subjects) = self
            .open_records(
                actor,
                &ids,
                RecordKind::Attendance,
                Action::Write,
                &format!("group attendance {activity_id}"),
            )
            .await?;
        let Some(date) = date.filter(|_| errors.is_empty()) else {
            return reject(tx, AppError::Invalid(errors)).await;
        };
        tx.lock_participants(&ids).await?;
        for (i, (pid, entry)) in lines.iter().enumerate() {
            let field = format!("entries[{i}].participant_id");
            let enrolled = tx.enrolments_of(*pid).await?.iter().any(|e| {
                e.project_id == activity.project_id
                    && e.enrolled_on <= date
                    && e.exited_on.is_none_or(|x| date <= x)
            });
            if !enrolled {
                errors.push(FieldError::new(
                    &field,
                    Text::new(
                        "Deltagaren var inte inskriven i projektet den dagen.",
                        "The participant was not enrolled in the project on that day.",
                    ),
                ));
                continue;
            }
            if tx.attendance_exists(*pid, activity_id, date).await? {
                errors.push(FieldError::new(
                    &field,
                    Text::new(
                        "Närvaron för den här aktiviteten och dagen är redan registrerad.",
                        "Attendance for this activity and day is already recorded.",
                    ),
                ));
                continue;
            }
            let before = tx.minutes_on(*pid, date).await?;
            if before + i64::from(entry.minutes.get()) > 24 * 60 {
                errors.push(FieldError::new(
                    &format!("entries[{i}].hours"),
                    Text::new(
                        "Deltagaren får inte ha mer än 24 timmar samma dag.",
                        "A participant cannot have more than 24 hours on one day.",
                    ),
                ));
            }
        }
        if !errors.is_empty() {
            return reject(tx, AppError::Invalid(errors)).await;
        }
        let now = self.now();
        for (pid, entry) in &lines {
            // The organisations the gate resolved: no second connection while the write is open.
            let org_id = subjects
                .iter()
                .find(|s| s.participant_id == *pid)
                .map(|s| s.org_id)
                .ok_or(AppError::NotFound)?;
            let row = AttendanceRow {
                org_id,
                id: Uuid::now_v7(),
                participant_id: *pid,
                activity_id,
                attended_on: date,
                minutes: entry.minutes.get() as i32,
                absence_reason: entry.absence,
                recorded_at: now,
                recorded_by: Some(actor.user_id),
            };
            tx.insert_attendance(&row).await?;
        }
        self.commit(tx).await?;
        Ok(AttendanceRecorded {
            recorded: lines.len(),
        })
    }

    /// The month's figures for the funder: whole hours rounded down from the month's total.
    pub async fn time_report(
        &self,
        actor: &Actor,
        participant_id: Uuid,
        project_id: Option<Uuid>,
        month: &str,
    ) -> Result<TimeReport> {
        let Some((year, m)) = parse_month(month) else {
            return Err(AppError::field(
                "month",
                Text::new(
                    "Skriv månaden som ÅÅÅÅ-MM, till exempel 2026-03.",
                    "Write the month as YYYY-MM, for example 2026-03.",
                ),
            ));
        };
        let (mut tx, _) = self
            .open_record(
                actor,
                participant_id,
                RecordKind::Attendance,
                Action::Read,
                Some(format!("time report {month}")),
            )
            .await?;
        // The certificate is per project: the one named, or the participant's only project.
        let projects: Vec<Uuid> = tx
            .enrolments_of(participant_id)
            .await?
            .iter()
            .map(|e| e.project_id)
            .collect();
        let project_id = match project_id {
            Some(p) if projects.contains(&p) => p,
            None if projects.len() == 1 => projects[0],
            _ => {
                let err = AppError::field(
                    "project",
                    Text::new(
                        "Välj ett av deltagarens projekt.",
                        "Choose one of the participant's projects.",
                    ),
                );
                return reject(tx, err).await;
            }
        };
        let first =
            Date::from_calendar_date(year, m, 1).map_err(|e| AppError::Internal(e.to_string()))?;
        let last = Date::from_calendar_date(year, m, m.length(year))
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let rows = tx
            .attendance_between(participant_id, project_id, first, last)
            .await?;
        self.commit(tx).await?;
        let entries: Vec<AttendanceEntry> = rows
            .iter()
            .map(|r| AttendanceEntry {
                date: r.attended_on,
                minutes: Minutes::new(r.minutes.max(0) as u32).unwrap_or(Minutes::ZERO),
                absence: r.absence_reason,
            })
            .collect();
        let report = monthly_report(&entries, (year, m));
        Ok(TimeReport {
            participant_id,
            project_id,
            month: format!("{year:04}-{:02}", m as u8),
            attended_minutes: report.attended_minutes,
            whole_hours: report.whole_hours,
            days_attended: report.days_attended,
            absences: report.absences,
        })
    }
}

/// Someone on the attendance form.
#[derive(Clone, Serialize, ToSchema)]
pub struct RosterEntry {
    pub participant_id: Uuid,
    pub name: String,
}

impl std::fmt::Debug for RosterEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RosterEntry")
            .field("participant_id", &self.participant_id)
            .finish_non_exhaustive()
    }
}

impl App {
    /// One activity, for its attendance page.
    pub async fn activity(&self, actor: &Actor, activity_id: Uuid) -> Result<ActivityView> {
        let mut tx = self.store.begin_read().await?;
        let row = tx.activity(activity_id).await?.ok_or(AppError::NotFound)?;
        tx.commit().await?;
        self.project_of_own_org(actor, row.project_id, Action::Read)
            .await?;
        Ok(view(row))
    }

    /// The project's participants (of the actor's organisation) enrolled on `day`: the people an
    /// attendance form lists. A search, audited as such.
    pub async fn roster(
        &self,
        actor: &Actor,
        activity_id: Uuid,
        day: Date,
    ) -> Result<Vec<RosterEntry>> {
        let activity = self.activity(actor, activity_id).await?;
        let (mut tx, org) = self
            .open_organisation_records(
                actor,
                RecordKind::Attendance,
                format!("roster {activity_id} {day}"),
            )
            .await?;
        let rows = tx.project_roster(org, activity.project_id, day).await?;
        self.commit(tx).await?;
        Ok(rows
            .into_iter()
            .map(|r| RosterEntry {
                participant_id: r.participant_id,
                name: format!("{} {}", r.given_name, r.family_name),
            })
            .collect())
    }
}

/// One scheduled session of an activity, as the participant's week lists it.
#[derive(Debug, Clone)]
pub struct WeekSession {
    pub date: Date,
    /// `09:00–12:00`.
    pub clock: String,
    pub activity: String,
    /// The activity's kind code.
    pub kind: String,
    pub place: Option<String>,
}

/// The participant's week: the sessions of the activities of the projects they are enrolled in,
/// and the hours they attended.
#[derive(Debug, Clone)]
pub struct MyWeek {
    /// Monday of the week.
    pub monday: Date,
    pub sessions: Vec<WeekSession>,
    pub week_minutes: u64,
    pub month_minutes: u64,
}

impl App {
    /// The week of `day` for one participant (the participant themselves, or staff who may read
    /// their attendance): scheduled sessions of their current projects, minutes attended this week
    /// and this month. Reading the attendance is one audited read.
    pub async fn week_of(&self, actor: &Actor, participant_id: Uuid, day: Date) -> Result<MyWeek> {
        let monday = day - time::Duration::days(i64::from(day.weekday().number_days_from_monday()));
        let sunday = monday + time::Duration::days(6);
        let first = day
            .replace_day(1)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let last = first
            .replace_day(first.month().length(first.year()))
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let (mut tx, _) = self
            .open_record(
                actor,
                participant_id,
                RecordKind::Attendance,
                Action::Read,
                Some(format!("week of {monday}")),
            )
            .await?;
        // Projects the participant is enrolled in during the week.
        let enrolments = tx.enrolments_of(participant_id).await?;
        let projects: Vec<Uuid> = enrolments
            .iter()
            .filter(|e| e.enrolled_on <= sunday && e.exited_on.is_none_or(|x| x >= monday))
            .map(|e| e.project_id)
            .collect();
        let mut projects = projects;
        projects.sort();
        projects.dedup();
        // Each project once: a second enrolment in the same project must not count hours twice.
        let mut all_projects: Vec<Uuid> = enrolments.iter().map(|e| e.project_id).collect();
        all_projects.sort();
        all_projects.dedup();
        let (from, to) = (monday.min(first), sunday.max(last));
        let mut attended = Vec::new();
        for p in &all_projects {
            attended.extend(tx.attendance_between(participant_id, *p, from, to).await?);
        }
        self.commit(tx).await?;
        let sum = |a: Date, b: Date| -> u64 {
            attended
                .iter()
                .filter(|r| r.attended_on >= a && r.attended_on <= b)
                .map(|r| r.minutes.max(0) as u64)
                .sum()
        };
        let (week_minutes, month_minutes) = (sum(monday, sunday), sum(first, last));
        // The catalogue (activities and their schedules) holds no personal data.
        let mut tx = self.store.begin_read().await?;
        let mut sessions = Vec::new();
        for p in &projects {
            let activities = tx.activities_of(*p).await?;
            for s in tx.schedules_of_project(*p).await? {
                let view = crate::schedules::view(&s);
                let (Some(schedule), Some(a)) = (
                    view.schedule(),
                    activities.iter().find(|a| a.id == s.activity_id),
                ) else {
                    continue;
                };
                for date in schedule.sessions_between(monday, sunday) {
                    sessions.push(WeekSession {
                        date,
                        clock: schedule.clock_range(),
                        activity: a.name.clone(),
                        kind: a.kind.code().to_owned(),
                        place: s.place.clone(),
                    });
                }
            }
        }
        tx.commit().await?;
        sessions.sort_by(|a, b| (a.date, &a.clock).cmp(&(b.date, &b.clock)));
        Ok(MyWeek {
            monday,
            sessions,
            week_minutes,
            month_minutes,
        })
    }
}
