//! Checking one row on its own: its cells turned into typed values, or its problems. What needs
//! the database (who exists, what was imported before) is decided in `write`.

use stegvis_domain::attendance::{AbsenceReason, ActivityKind};
use stegvis_domain::baseline::{Baseline, LabourStatus};
use stegvis_domain::placement::{PlacementKind, PlacementStatus};
use stegvis_domain::{Answer, ExitStatus, Gender, IdentityNumber};
use time::{Date, Month};

use super::values::{
    ANSWER_FORMS, GENDER_FORMS, parse_code, parse_date, parse_decimal, parse_hours_minutes,
    parse_month, parse_whole,
};
use super::{Mapping, Problem, SheetRow};

/// A message in the user's language.
pub(super) fn say(lang: &str, sv: &str, en: &str) -> String {
    if lang == "en" { en } else { sv }.to_owned()
}

/// "Write one of: …" over a code list's labels (`sep` between them in Swedish).
fn one_of<'l>(lang: &str, labels: impl Iterator<Item = &'l str>, sep: &str) -> String {
    let labels: Vec<&str> = labels.collect();
    if lang == "en" {
        format!("Write one of: {}.", labels.join(", "))
    } else {
        format!("Skriv något av: {}.", labels.join(sep))
    }
}

/// Reads the cells of one row and collects its problems.
pub(super) struct RowReader<'a> {
    pub row: &'a SheetRow,
    pub mapping: &'a Mapping,
    pub headers: &'a [String],
    pub lang: &'a str,
    pub problems: Vec<Problem>,
}

impl<'a> RowReader<'a> {
    pub fn new(
        row: &'a SheetRow,
        mapping: &'a Mapping,
        headers: &'a [String],
        lang: &'a str,
    ) -> Self {
        RowReader {
            row,
            mapping,
            headers,
            lang,
            problems: Vec::new(),
        }
    }

    /// The trimmed cell of field `key` ("" when not mapped or empty).
    pub fn cell(&self, key: &str) -> &'a str {
        self.mapping.column(key).map_or("", |c| self.row.cell(c))
    }

    pub fn has(&self, key: &str) -> bool {
        !self.cell(key).is_empty()
    }

    /// Notes a problem with the cell of `key` (or with the row, when `key` is "").
    pub fn problem(&mut self, key: &str, message: String) {
        let (column, value) = match self.mapping.column(key) {
            Some(c) => (
                self.headers.get(c).cloned().unwrap_or_default(),
                self.row.cell(c).to_owned(),
            ),
            None => (String::new(), String::new()),
        };
        self.problems.push(Problem {
            row: self.row.number,
            column,
            value,
            message,
        });
    }

    fn say(&self, sv: &str, en: &str) -> String {
        say(self.lang, sv, en)
    }

    /// A required cell: its text, or a problem.
    pub fn required(&mut self, key: &str, sv: &str, en: &str) -> Option<&'a str> {
        let v = self.cell(key);
        if v.is_empty() {
            let m = self.say(sv, en);
            self.problem(key, m);
            None
        } else {
            Some(v)
        }
    }

    pub fn identity(&mut self, today: Date) -> Option<IdentityNumber> {
        let v = self.required(
            "identity_number",
            "Personnummer saknas.",
            "The identity number is missing.",
        )?;
        match IdentityNumber::parse(v, today) {
            Ok(n) => Some(n),
            Err(e) => {
                let m = e.message(self.lang).to_owned();
                self.problem("identity_number", m);
                None
            }
        }
    }

    /// A date in a cell (None when empty); a problem when it cannot be read or lies ahead.
    pub fn date(&mut self, key: &str, today: Date) -> Option<Date> {
        let v = self.cell(key);
        if v.is_empty() {
            return None;
        }
        match parse_date(v) {
            Some(d) if d > today => {
                let m = self.say("Datumet har inte varit än.", "The date is in the future.");
                self.problem(key, m);
                None
            }
            Some(d) => Some(d),
            None => {
                let m = self.say(
                    "Datumet går inte att läsa. Skriv det som 2025-02-03 eller 3/2 2025.",
                    "The date cannot be read. Write it as 2025-02-03 or 3/2 2025.",
                );
                self.problem(key, m);
                None
            }
        }
    }

    pub fn answer(&mut self, key: &str) -> Option<Answer> {
        let v = self.cell(key);
        if v.is_empty() {
            return None;
        }
        let a = parse_code(v, Answer::ALL, Answer::code, Answer::label, ANSWER_FORMS);
        if a.is_none() {
            let m = self.say(
                "Skriv Ja, Nej eller Vill inte svara.",
                "Write Yes, No or Declined to answer.",
            );
            self.problem(key, m);
        }
        a
    }

    pub fn gender(&mut self) -> Option<Gender> {
        let v = self.required("gender", "Kön saknas.", "Gender is missing.")?;
        let g = parse_code(v, Gender::ALL, Gender::code, Gender::label, GENDER_FORMS);
        if g.is_none() {
            let m = self.say(
                "Skriv Kvinna, Man eller Icke-binär (eller K, M).",
                "Write Woman, Man or Non-binary (or F, M).",
            );
            self.problem("gender", m);
        }
        g
    }

    /// A whole number in `min..=max` (None when empty).
    pub fn whole(&mut self, key: &str, min: i64, max: i64) -> Option<i64> {
        let v = self.cell(key);
        if v.is_empty() {
            return None;
        }
        let v = v.trim_start_matches(|c: char| c.is_alphabetic() || c == ' ');
        match parse_whole(v) {
            Some(n) if (min..=max).contains(&n) => Some(n),
            _ => {
                let m = if self.lang == "en" {
                    format!("Write a whole number from {min} to {max}.")
                } else {
                    format!("Skriv ett heltal från {min} till {max}.")
                };
                self.problem(key, m);
                None
            }
        }
    }

    /// The baseline answers of a participants row.
    pub fn baseline(&mut self) -> Baseline {
        let labour_status = {
            let v = self.cell("labour_status");
            if v.is_empty() {
                None
            } else {
                let s = parse_code(
                    v,
                    LabourStatus::ALL,
                    LabourStatus::code,
                    LabourStatus::label,
                    &[
                        ("arbetssökande", "unemployed"),
                        ("anställd", "employed"),
                        ("egenföretagare", "employed"),
                        ("i arbete", "employed"),
                        ("inaktiv", "inactive"),
                        ("employed", "employed"),
                    ],
                );
                if s.is_none() {
                    let m = self.say(
                        "Skriv Arbetslös, Utanför arbetskraften eller Anställd.",
                        "Write Unemployed, Inactive or Employed.",
                    );
                    self.problem("labour_status", m);
                }
                s
            }
        };
        Baseline {
            labour_status,
            long_term_unemployed: self.answer("long_term_unemployed"),
            months_without_work: self.whole("months_without_work", 0, 600).map(|n| n as u16),
            in_education: self.answer("in_education"),
            isced_level: self.whole("isced_level", 0, 8).map(|n| n as u8),
            born_abroad: self.answer("born_abroad"),
            foreign_background: self.answer("foreign_background"),
            disability: self.answer("disability"),
            homeless: self.answer("homeless"),
            jobless_household: self.answer("jobless_household"),
            dependent_children: self.answer("dependent_children"),
            single_adult_with_children: self.answer("single_adult_with_children"),
            social_assistance: self.answer("social_assistance"),
            sick_leave: self.answer("sick_leave"),
            activity_compensation: self.answer("activity_compensation"),
            registered_at_employment_service: self.answer("registered_at_employment_service"),
        }
    }

    /// Given and family name: from their own columns, or split from one name column
    /// ("Efternamn, Förnamn" or "Förnamn Efternamn").
    pub fn names(&mut self) -> Option<(String, String)> {
        let tidy = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let (given, family) = if self.has("given_name") || self.has("family_name") {
            (
                tidy(self.cell("given_name")),
                tidy(self.cell("family_name")),
            )
        } else {
            let full = tidy(self.cell("name"));
            match full.split_once(',') {
                Some((f, g)) => (tidy(g), tidy(f)),
                None => match full.rsplit_once(' ') {
                    Some((g, f)) => (g.to_owned(), f.to_owned()),
                    None => (String::new(), full),
                },
            }
        };
        let key = |k: &str| {
            if self.mapping.column(k).is_some() {
                k.to_owned()
            } else {
                "name".to_owned()
            }
        };
        let mut ok = true;
        if given.is_empty() {
            let m = self.say("Förnamn saknas.", "The given name is missing.");
            let k = key("given_name");
            self.problem(&k, m);
            ok = false;
        }
        if family.is_empty() {
            let m = self.say("Efternamn saknas.", "The family name is missing.");
            let k = key("family_name");
            self.problem(&k, m);
            ok = false;
        }
        for (k, v) in [("given_name", &given), ("family_name", &family)] {
            if v.chars().count() > 100 {
                let m = self.say(
                    "Namnet får vara högst 100 tecken.",
                    "The name can be at most 100 characters.",
                );
                let k = key(k);
                self.problem(&k, m);
                ok = false;
            }
        }
        ok.then_some((given, family))
    }

    pub fn exit_status(&mut self) -> Option<ExitStatus> {
        let v = self.cell("exit_status");
        if v.is_empty() {
            return None;
        }
        let s = parse_code(
            v,
            ExitStatus::ALL,
            ExitStatus::code,
            ExitStatus::label,
            &[
                ("arbete", "work"),
                ("jobb", "work"),
                ("studier", "studies"),
                ("flytt", "moved"),
            ],
        );
        if s.is_none() {
            let m = one_of(
                self.lang,
                ExitStatus::ALL.iter().map(|s| s.label(self.lang)),
                ", ",
            );
            self.problem("exit_status", m);
        }
        s
    }

    /// Attended minutes: from hours or minutes (None when neither is given).
    pub fn minutes(&mut self) -> Option<Option<i64>> {
        if self.has("hours") {
            let v = self.cell("hours");
            match parse_hours_minutes(v) {
                Some(m) if m >= 0 => Some(Some(m)),
                Some(_) => {
                    let m = self.say(
                        "Tiden kan inte vara negativ.",
                        "The time cannot be negative.",
                    );
                    self.problem("hours", m);
                    None
                }
                None => {
                    let m = self.say(
                        "Tiden går inte att läsa. Skriv timmar som 3, 3,5 eller 3:30.",
                        "The time cannot be read. Write hours as 3, 3.5 or 3:30.",
                    );
                    self.problem("hours", m);
                    None
                }
            }
        } else if self.has("minutes") {
            match parse_decimal(self.cell("minutes")) {
                Some(m) if m >= 0.0 => Some(Some(m.round() as i64)),
                _ => {
                    let m = self.say(
                        "Skriv minuterna som ett tal, t.ex. 90.",
                        "Write the minutes as a number, e.g. 90.",
                    );
                    self.problem("minutes", m);
                    None
                }
            }
        } else {
            Some(None)
        }
    }

    pub fn absence(&mut self) -> Option<Option<AbsenceReason>> {
        let v = self.cell("absence_reason");
        if v.is_empty() {
            return Some(None);
        }
        let r = parse_code(
            v,
            AbsenceReason::ALL,
            AbsenceReason::code,
            AbsenceReason::label,
            &[
                ("sjukdom", "sick"),
                ("vab", "care_of_child"),
                ("ogiltig", "unexcused"),
            ],
        );
        if r.is_none() {
            let m = one_of(
                self.lang,
                AbsenceReason::ALL.iter().map(|s| s.label(self.lang)),
                "; ",
            );
            self.problem("absence_reason", m);
            return None;
        }
        Some(r)
    }

    pub fn activity_kind(&mut self) -> ActivityKind {
        let v = self.cell("activity_kind");
        if v.is_empty() {
            return ActivityKind::GroupSession;
        }
        match parse_code(
            v,
            ActivityKind::ALL,
            ActivityKind::code,
            ActivityKind::label,
            &[],
        ) {
            Some(k) => k,
            None => {
                let m = one_of(
                    self.lang,
                    ActivityKind::ALL.iter().map(|s| s.label(self.lang)),
                    ", ",
                );
                self.problem("activity_kind", m);
                ActivityKind::GroupSession
            }
        }
    }

    /// The day, or the month, of an attendance row.
    pub fn day_or_month(&mut self, today: Date) -> Option<Span> {
        if self.has("date") {
            return self.date("date", today).map(Span::Day);
        }
        if self.has("month") {
            return match parse_month(self.cell("month")) {
                Some((y, m)) if Date::from_calendar_date(y, m, 1).is_ok_and(|d| d <= today) => {
                    Some(Span::Month(y, m))
                }
                Some(_) => {
                    let m = self.say("Månaden har inte börjat än.", "The month has not begun.");
                    self.problem("month", m);
                    None
                }
                None => {
                    let m = self.say(
                        "Månaden går inte att läsa. Skriv den som 2025-03 eller mars 2025.",
                        "The month cannot be read. Write it as 2025-03 or March 2025.",
                    );
                    self.problem("month", m);
                    None
                }
            };
        }
        let key = if self.mapping.column("date").is_some() {
            "date"
        } else {
            "month"
        };
        let m = self.say("Datum eller månad saknas.", "The date or month is missing.");
        self.problem(key, m);
        None
    }

    pub fn placement_kind(&mut self) -> Option<PlacementKind> {
        let v = self.required(
            "kind",
            "Typ av insats saknas.",
            "The kind of placement is missing.",
        )?;
        let k = parse_code(
            v,
            PlacementKind::ALL,
            PlacementKind::code,
            PlacementKind::label,
            &[
                ("arbetspraktik", "work_practice"),
                ("lönebidrag", "subsidised_employment"),
                ("nystartsjobb", "subsidised_employment"),
                ("introduktionsjobb", "subsidised_employment"),
                ("ips", "supported_employment"),
                ("supported employment", "supported_employment"),
                ("trygghetsanställning", "adapted_employment"),
            ],
        );
        if k.is_none() {
            let m = one_of(
                self.lang,
                PlacementKind::ALL.iter().map(|s| s.label(self.lang)),
                ", ",
            );
            self.problem("kind", m);
        }
        k
    }

    pub fn placement_status(&mut self) -> Option<Option<PlacementStatus>> {
        let v = self.cell("status");
        if v.is_empty() {
            return Some(None);
        }
        let s = parse_code(
            v,
            PlacementStatus::ALL,
            PlacementStatus::code,
            PlacementStatus::label,
            &[
                ("pågår", "started"),
                ("pågående", "started"),
                ("klar", "ended"),
            ],
        );
        if s.is_none() {
            let m = one_of(
                self.lang,
                PlacementStatus::ALL.iter().map(|s| s.label(self.lang)),
                ", ",
            );
            self.problem("status", m);
            return None;
        }
        Some(s)
    }
}

/// When attendance happened: a day, or a whole month (hours per month).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Span {
    Day(Date),
    Month(i32, Month),
}

impl Span {
    pub fn first(self) -> Date {
        match self {
            Span::Day(d) => d,
            Span::Month(y, m) => Date::from_calendar_date(y, m, 1).expect("first of month"),
        }
    }

    pub fn last(self) -> Date {
        match self {
            Span::Day(d) => d,
            Span::Month(y, m) => {
                Date::from_calendar_date(y, m, m.length(y)).expect("last of month")
            }
        }
    }

    /// Most minutes the span can hold.
    pub fn max_minutes(self) -> i64 {
        ((self.last() - self.first()).whole_days() + 1) * 24 * 60
    }
}
