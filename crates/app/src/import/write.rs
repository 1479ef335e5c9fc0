//! Running an import: rows read in chunks, each chunk checked against what the database holds
//! and what earlier rows of the file did, and written in the one transaction of the whole file.
//! A whole-file import stops writing at the first problem and rolls back at the end (after
//! listing every problem); a dry run writes nothing.

use std::collections::{BTreeSet, HashMap, HashSet};

use stegvis_domain::access::RecordKind;
use stegvis_domain::enrolment::{check_enrolment_date, check_exit_date};
use stegvis_domain::placement::PlacementStatus;
use stegvis_domain::{IdentityInput, IdentityNumber};
use stegvis_store::activity::{ActivityRow, AttendanceRow};
use stegvis_store::batch::BatchRows;
use stegvis_store::organisation::OrganisationRow;
use stegvis_store::placement::{PlacementRow, WorkplaceRow};
use stegvis_store::project::ProjectRow;
use stegvis_store::{AuditEvent, Audited};
use time::{Date, OffsetDateTime};

use super::columns::{field, fold};
use super::plan::{RowReader, Span, say};
use super::*;
use crate::keys::SealingKeys;
use crate::participants::Person;
use crate::{Actor, App};

/// Rows checked and written together.
const CHUNK: usize = 5_000;
/// Most problems listed (the count goes on).
const MAX_LISTED: usize = 10_000;

/// The fields a kind of file cannot do without: each alternative names fields of which one
/// must be mapped.
fn required_fields(kind: ImportKind, has_default_project: bool) -> Vec<&'static [&'static str]> {
    let mut r: Vec<&'static [&'static str]> = vec![&["identity_number"]];
    match kind {
        ImportKind::Participants => {
            r.push(&["given_name", "name"]);
            r.push(&["family_name", "name"]);
            r.push(&["gender"]);
            r.push(&["enrolled_on"]);
            if !has_default_project {
                r.push(&["project"]);
            }
        }
        ImportKind::Attendance => {
            r.push(&["activity"]);
            r.push(&["date", "month"]);
            r.push(&["hours", "minutes", "absence_reason"]);
            if !has_default_project {
                r.push(&["project"]);
            }
        }
        ImportKind::Placements => {
            r.push(&["employer"]);
            r.push(&["kind"]);
        }
    }
    r
}

/// Problems with the mapping itself (row 0: the file's columns).
fn mapping_problems(mapping: &Mapping, options: &ImportOptions, lang: &str) -> Vec<Problem> {
    let mut out = Vec::new();
    for alternatives in required_fields(mapping.kind, options.project_id.is_some()) {
        if alternatives.iter().any(|k| mapping.column(k).is_some()) {
            continue;
        }
        let names: Vec<&str> = alternatives
            .iter()
            .filter_map(|k| field(mapping.kind, k))
            .map(|f| f.label(lang))
            .collect();
        let names = names.join(if lang == "en" { " or " } else { " eller " });
        out.push(Problem {
            row: 0,
            column: names.clone(),
            value: String::new(),
            message: if lang == "en" {
                format!("Choose the column that holds {names}.")
            } else {
                format!("Välj vilken kolumn som innehåller {names}.")
            },
        });
    }
    for key in mapping.columns.keys() {
        if field(mapping.kind, key).is_none() {
            out.push(Problem {
                row: 0,
                column: key.clone(),
                value: String::new(),
                message: say(lang, "Okänt fält.", "Unknown field."),
            });
        }
    }
    out
}

/// What one good row does.
enum Act {
    /// Already in the database (or earlier in the file): nothing to do.
    Unchanged,
    Participant {
        id: Uuid,
        number: IdentityNumber,
        given: String,
        family: String,
        gender: stegvis_domain::Gender,
        enrolment: Box<stegvis_store::enrolment::EnrolmentRow>,
    },
    Enrolment(Box<stegvis_store::enrolment::EnrolmentRow>),
    Attendance(AttendanceRow),
    Placement(Box<PlacementRow>),
}

/// An attendance row's activity: known, or to be created by this import.
struct NewActivity {
    row: ActivityRow,
    written: bool,
}

struct NewEmployer {
    org: OrganisationRow,
    workplace: WorkplaceRow,
    written: bool,
}

/// An employer's id and its workplaces by folded name.
type Employer = (Uuid, HashMap<String, Uuid>);

struct Ctx<'a> {
    app: &'a App,
    actor: &'a Actor,
    mapping: &'a Mapping,
    headers: &'a [String],
    options: &'a ImportOptions,
    lang: &'a str,
    today: Date,
    now: OffsetDateTime,
    keys: SealingKeys,
    projects: Vec<ProjectRow>,
    /// Each project's folded name and number, and its id: what a row's project is matched by.
    project_keys: Vec<(String, Option<String>, Uuid)>,
    /// Staff of the organisation by lower-case e-mail (loaded when a coach column is mapped).
    staff: Option<HashMap<String, Uuid>>,
    /// Participants by normalised identity number: in the database, or created by this file.
    known: HashMap<String, Uuid>,
    /// Enrolments known: participant -> (project, enrolled on, exited on).
    enrolments: HashMap<Uuid, Vec<(Uuid, Date, Option<Date>)>>,
    /// Natural keys of the file's rows so far -> the row that had it first.
    seen: HashMap<(Uuid, Uuid, Date), usize>,
    seen_people: HashMap<(String, Uuid), usize>,
    /// Rows already in the database (attendance and placements) for the chunk's participants.
    stored: HashSet<(Uuid, Uuid, Option<Date>)>,
    activities: HashMap<Uuid, HashMap<String, Uuid>>,
    new_activities: Vec<NewActivity>,
    /// Workplaces by folded employer name, then folded workplace name.
    workplaces: Option<HashMap<String, Employer>>,
    new_employers: Vec<NewEmployer>,
    new_workplaces: Vec<(WorkplaceRow, bool)>,
    may_add_employers: Option<bool>,
    /// Participants this import has written an event about.
    audited: HashSet<Uuid>,
    touched_projects: BTreeSet<Uuid>,
    event: AuditEvent,
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn run(
    app: &App,
    actor: &Actor,
    headers: &[String],
    mut rows: RowSource<'_>,
    mapping: &Mapping,
    options: &ImportOptions,
    lang: &str,
    dry_run: bool,
    progress: &(dyn Fn(usize) + Sync),
) -> crate::Result<ImportSummary> {
    let mut summary = ImportSummary::default();
    let problems = mapping_problems(mapping, options, lang);
    if !problems.is_empty() {
        summary.problems = problems;
        return Ok(summary);
    }
    let detail = format!(
        "import {} ({}{})",
        mapping.kind.code(),
        if dry_run { "dry run, " } else { "" },
        match options.mode {
            ImportMode::WholeOrNothing => "whole file",
            ImportMode::GoodRows => "good rows",
        }
    );
    let (mut tx, event) = app.open_import(actor, detail).await?;
    tx.prepare_bulk().await?;
    let keys = app.sealing_keys(&mut tx).await?;
    let projects = app.own_projects(actor).await?;
    if let Some(p) = options.project_id
        && !projects.iter().any(|r| r.id == p)
    {
        return Err(crate::AppError::field(
            "project_id",
            crate::Text::new(
                "Välj ett av de projekt som din organisation driver.",
                "Choose one of the projects your organisation runs.",
            ),
        ));
    }
    let mut ctx = Ctx {
        app,
        actor,
        mapping,
        headers,
        options,
        lang,
        today: app.today(),
        now: app.now(),
        keys,
        project_keys: projects
            .iter()
            .map(|p| (fold(&p.name), p.number.as_deref().map(fold), p.id))
            .collect(),
        projects,
        staff: None,
        known: HashMap::new(),
        enrolments: HashMap::new(),
        seen: HashMap::new(),
        seen_people: HashMap::new(),
        stored: HashSet::new(),
        activities: HashMap::new(),
        new_activities: Vec::new(),
        workplaces: None,
        new_employers: Vec::new(),
        new_workplaces: Vec::new(),
        may_add_employers: None,
        audited: HashSet::new(),
        touched_projects: BTreeSet::new(),
        event,
    };
    let mut problem_count = 0usize;
    let mut read = 0usize;
    loop {
        let mut chunk = Vec::with_capacity(CHUNK);
        for r in rows.by_ref() {
            match r {
                Ok(row) => chunk.push(row),
                Err(e) => {
                    tx.refuse("import: the file could not be read").await?;
                    return Err(crate::AppError::field(
                        "file",
                        crate::Text::new(e.message("sv"), e.message("en")),
                    ));
                }
            }
            if chunk.len() == CHUNK {
                break;
            }
        }
        if chunk.is_empty() {
            break;
        }
        read += chunk.len();
        let acts = ctx.check_chunk(&mut tx, &chunk).await?;
        let mut batch = BatchRows::new();
        let mut events = Vec::new();
        for (row, result) in chunk.iter().zip(acts) {
            summary.rows += 1;
            match result {
                Err(problems) => {
                    problem_count += problems.len();
                    summary.rejected.push(row.number);
                    for p in problems {
                        if summary.problems.len() < MAX_LISTED {
                            summary.problems.push(p);
                        }
                    }
                }
                Ok(act) => {
                    summary.good_rows += 1;
                    ctx.count(&act, &mut summary);
                    ctx.stage(act, &mut batch, &mut events);
                }
            }
        }
        let writing = !dry_run && (options.mode == ImportMode::GoodRows || problem_count == 0);
        if writing {
            ctx.write_catalogue(&mut tx).await?;
            tx.insert_rows_of(&batch).await?;
            if !events.is_empty() {
                tx.import_record_events(&events).await?;
            }
        }
        progress(read);
    }
    summary.problems_total = problem_count;
    summary.new_activities = ctx
        .new_activities
        .iter()
        .map(|a| a.row.name.clone())
        .collect();
    summary.new_employers = ctx
        .new_employers
        .iter()
        .map(|e| e.org.name.clone())
        .chain(ctx.new_workplaces.iter().map(|(w, _)| w.name.clone()))
        .collect();
    let commit = !dry_run
        && (options.mode == ImportMode::GoodRows || problem_count == 0)
        && summary.changed_rows() + summary.new_activities.len() + summary.new_employers.len() > 0;
    if commit {
        let projects: Vec<Uuid> = ctx.touched_projects.iter().copied().collect();
        tx.import_refresh_projects(&projects).await?;
        tx.commit().await?;
        summary.written = true;
    } else {
        // Nothing written (a dry run, a refused whole file, or nothing new): the opening event
        // stays in the trail, as the matching of numbers read personal data.
        tx.refuse(if dry_run {
            "import: dry run, nothing written"
        } else if problem_count > 0 {
            "import: problems in the file, nothing written"
        } else {
            "import: nothing new"
        })
        .await?;
    }
    Ok(summary)
}

impl Ctx<'_> {
    fn say(&self, sv: &str, en: &str) -> String {
        say(self.lang, sv, en)
    }

    fn project_for(&self, r: &mut RowReader<'_>) -> Option<Uuid> {
        let v = r.cell("project");
        if v.is_empty() {
            if let Some(p) = self.options.project_id {
                return Some(p);
            }
            let m = self.say("Projekt saknas.", "The project is missing.");
            r.problem("project", m);
            return None;
        }
        let f = fold(v);
        let found = self
            .project_keys
            .iter()
            .find(|(name, number, _)| *name == f || number.as_deref() == Some(f.as_str()));
        match found {
            Some((_, _, id)) => Some(*id),
            None => {
                let names: Vec<&str> = self.projects.iter().map(|p| p.name.as_str()).collect();
                let m = if self.lang == "en" {
                    format!(
                        "No project of your organisation is called that. Projects: {}.",
                        names.join(", ")
                    )
                } else {
                    format!(
                        "Din organisation har inget projekt med det namnet. Projekten heter: {}.",
                        names.join(", ")
                    )
                };
                r.problem("project", m);
                None
            }
        }
    }

    /// Checks a chunk: first each row on its own, then against the database and the file.
    async fn check_chunk(
        &mut self,
        tx: &mut Audited,
        chunk: &[SheetRow],
    ) -> crate::Result<Vec<Result<Act, Vec<Problem>>>> {
        // Participants this chunk names that the import has not met yet.
        let column = self.mapping.column("identity_number");
        let parsed: Vec<Option<IdentityNumber>> = chunk
            .iter()
            .map(|row| IdentityNumber::parse(column.map_or("", |c| row.cell(c)), self.today).ok())
            .collect();
        let mut numbers: HashMap<Vec<u8>, String> = HashMap::new();
        for n in parsed.iter().flatten() {
            if !self.known.contains_key(n.normalised()) {
                for h in self.keys.hashes(n) {
                    numbers.insert(h, n.normalised().to_owned());
                }
            }
        }
        if !numbers.is_empty() {
            let hashes: Vec<Vec<u8>> = numbers.keys().cloned().collect();
            for (hash, id) in tx
                .import_participants_by_hash(self.actor.org_id, &hashes)
                .await?
            {
                if let Some(n) = numbers.get(&hash) {
                    self.known.insert(n.clone(), id);
                }
            }
        }
        // What the database holds for the chunk's participants.
        let all_ids: Vec<Uuid> = parsed
            .iter()
            .flatten()
            .filter_map(|n| self.known.get(n.normalised()).copied())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let ids: Vec<Uuid> = all_ids
            .iter()
            .copied()
            .filter(|id| !self.enrolments.contains_key(id))
            .collect();
        if !ids.is_empty() {
            for id in &ids {
                self.enrolments.entry(*id).or_default();
            }
            for (p, project, on, exit) in tx.import_enrolments_of(&ids).await? {
                self.enrolments
                    .entry(p)
                    .or_default()
                    .push((project, on, exit));
            }
        }
        self.stored.clear();
        match self.mapping.kind {
            ImportKind::Attendance if !all_ids.is_empty() => {
                for (p, a, d) in tx.import_attendance_of(&all_ids).await? {
                    self.stored.insert((p, a, Some(d)));
                }
            }
            ImportKind::Placements if !all_ids.is_empty() => {
                for (p, w, d) in tx.import_placements_of(&all_ids).await? {
                    self.stored.insert((p, w, d));
                }
            }
            _ => {}
        }
        if self.mapping.kind == ImportKind::Participants
            && self.mapping.column("coach").is_some()
            && self.staff.is_none()
        {
            self.staff = Some(
                tx.import_staff_of(self.actor.org_id)
                    .await?
                    .into_iter()
                    .collect(),
            );
        }
        if self.mapping.kind == ImportKind::Placements && self.workplaces.is_none() {
            let mut map: HashMap<String, Employer> = HashMap::new();
            for (eid, ename, wid, wname) in tx.import_workplaces().await? {
                map.entry(fold(&ename))
                    .or_insert_with(|| (eid, HashMap::new()))
                    .1
                    .entry(fold(&wname))
                    .or_insert(wid);
            }
            self.workplaces = Some(map);
        }
        let mut out = Vec::with_capacity(chunk.len());
        for row in chunk {
            let act = match self.mapping.kind {
                ImportKind::Participants => self.participant_row(row),
                ImportKind::Attendance => self.attendance_row(tx, row).await?,
                ImportKind::Placements => self.placement_row(tx, row).await?,
            };
            out.push(act);
        }
        Ok(out)
    }

    fn participant_row(&mut self, row: &SheetRow) -> Result<Act, Vec<Problem>> {
        let (mapping, headers, lang) = (self.mapping, self.headers, self.lang);
        let mut r = RowReader::new(row, mapping, headers, lang);
        let number = r.identity(self.today);
        let names = r.names();
        let gender = r.gender();
        let project = self.project_for(&mut r);
        let enrolled_on = match r.required(
            "enrolled_on",
            "Inskrivningsdatum saknas.",
            "The enrolment date is missing.",
        ) {
            Some(_) => r.date("enrolled_on", self.today),
            None => None,
        };
        if let Some(d) = enrolled_on
            && let Err(e) = check_enrolment_date(d, self.today)
        {
            let m = e.message(lang).to_owned();
            r.problem("enrolled_on", m);
        }
        let baseline = r.baseline();
        let exited_on = r.date("exited_on", self.today);
        let exit_status = r.exit_status();
        if exited_on.is_some() != exit_status.is_some() {
            let (key, m) = if exited_on.is_some() {
                (
                    "exit_status",
                    self.say("Avslutsorsak saknas.", "The exit status is missing."),
                )
            } else {
                (
                    "exited_on",
                    self.say("Avslutsdatum saknas.", "The exit date is missing."),
                )
            };
            r.problem(key, m);
        }
        if let (Some(on), Some(exit)) = (enrolled_on, exited_on)
            && let Err(e) = check_exit_date(on, exit, self.today)
        {
            let m = e.message(lang).to_owned();
            r.problem("exited_on", m);
        }
        let coach = match r.cell("coach") {
            "" => None,
            email => match self
                .staff
                .as_ref()
                .and_then(|s| s.get(&email.to_lowercase()))
            {
                Some(id) => Some(*id),
                None => {
                    let m = self.say(
                        "Ingen i din organisation har den e-postadressen.",
                        "No one in your organisation has that e-mail address.",
                    );
                    r.problem("coach", m);
                    None
                }
            },
        };
        // Eligibility: the project's target group, as at registration (no exceptions here).
        if let (Some(n), Some(p), Some(on)) = (&number, project, enrolled_on)
            && let Some(rules) = self
                .projects
                .iter()
                .find(|x| x.id == p)
                .and_then(|x| x.eligibility().ok())
        {
            let mut errors = Vec::new();
            crate::eligibility::check(
                &rules,
                Some(n.birth_date()),
                on,
                &baseline,
                None,
                "identity_number",
                &mut errors,
            );
            for e in errors {
                let key = if e.field.starts_with("baseline.") {
                    e.field.trim_start_matches("baseline.").to_owned()
                } else if mapping.column(&e.field).is_some() {
                    e.field.clone()
                } else {
                    String::new()
                };
                let m = if lang == "en" {
                    e.message.en
                } else {
                    e.message.sv
                };
                r.problem(&key, m);
            }
        }
        let (Some(number), Some((given, family)), Some(gender), Some(project), Some(enrolled_on)) =
            (number, names, gender, project, enrolled_on)
        else {
            return Err(r.problems);
        };
        if !r.problems.is_empty() {
            return Err(r.problems);
        }
        let key = (number.normalised().to_owned(), project);
        if let Some(first) = self.seen_people.get(&key) {
            let m = if lang == "en" {
                format!("The same person and project as row {first}.")
            } else {
                format!("Samma person och projekt som rad {first}.")
            };
            r.problem("identity_number", m);
            return Err(r.problems);
        }
        self.seen_people.insert(key, row.number);
        let existing = self.known.get(number.normalised()).copied();
        let enrolment = |pid: Uuid| {
            let mut e = crate::enrolments::blank_row(
                self.actor.org_id,
                pid,
                project,
                enrolled_on,
                self.now,
            );
            e.created_by = Some(self.actor.user_id);
            e.coach_id = coach
                .or_else(|| crate::policy::becomes_coach(self.actor).then_some(self.actor.user_id));
            crate::enrolments::set_baseline(&mut e, &baseline);
            e.exited_on = exited_on;
            e.exit_status = exit_status;
            Box::new(e)
        };
        match existing {
            Some(pid) => {
                let list = self.enrolments.entry(pid).or_default();
                if list.iter().any(|(p, _, _)| *p == project) {
                    return Ok(Act::Unchanged);
                }
                list.push((project, enrolled_on, exited_on));
                Ok(Act::Enrolment(enrolment(pid)))
            }
            None => {
                let id = Uuid::now_v7();
                self.known.insert(number.normalised().to_owned(), id);
                self.enrolments
                    .insert(id, vec![(project, enrolled_on, exited_on)]);
                let e = enrolment(id);
                Ok(Act::Participant {
                    id,
                    number,
                    given,
                    family,
                    gender,
                    enrolment: e,
                })
            }
        }
    }

    /// The participant a row names, who must already be in Stegvis.
    fn existing_participant(&self, r: &mut RowReader<'_>) -> Option<Uuid> {
        let n = r.identity(self.today)?;
        match self.known.get(n.normalised()) {
            Some(id) => Some(*id),
            None => {
                let m = self.say(
                    "Det finns ingen deltagare med det här personnumret. Importera deltagarna först.",
                    "There is no participant with this identity number. Import the participants first.",
                );
                r.problem("identity_number", m);
                None
            }
        }
    }

    async fn attendance_row(
        &mut self,
        tx: &mut Audited,
        row: &SheetRow,
    ) -> crate::Result<Result<Act, Vec<Problem>>> {
        let (mapping, headers, lang) = (self.mapping, self.headers, self.lang);
        let mut r = RowReader::new(row, mapping, headers, lang);
        let participant = self.existing_participant(&mut r);
        let project = self.project_for(&mut r);
        let activity_name = r
            .required("activity", "Aktivitet saknas.", "The activity is missing.")
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "));
        let kind = r.activity_kind();
        let span = r.day_or_month(self.today);
        let minutes = r.minutes();
        let absence = r.absence();
        let (Some(pid), Some(project), Some(name), Some(span), Some(minutes), Some(absence)) =
            (participant, project, activity_name, span, minutes, absence)
        else {
            return Ok(Err(r.problems));
        };
        let minutes = minutes.unwrap_or(0);
        let time_key = if mapping.column("hours").is_some() {
            "hours"
        } else {
            "minutes"
        };
        if minutes == 0 && absence.is_none() {
            let m = self.say(
                "Ange en tid eller ett skäl till frånvaron.",
                "Enter a time, or a reason for the absence.",
            );
            r.problem(time_key, m);
        } else if minutes > 0 && absence.is_some() {
            let m = self.say(
                "Frånvaro kan inte ha närvarotid.",
                "An absence cannot have attended time.",
            );
            r.problem(time_key, m);
        } else if minutes > span.max_minutes() {
            let hours = span.max_minutes() / 60;
            let m = match (span, lang) {
                (Span::Day(_), "en") => "One day cannot hold more than 24 hours.".to_owned(),
                (Span::Day(_), _) => "En dag kan inte ha mer än 24 timmar.".to_owned(),
                (_, "en") => format!("The month has at most {hours} hours."),
                _ => format!("Månaden har högst {hours} timmar."),
            };
            r.problem(time_key, m);
        }
        if name.chars().count() > 200 {
            let m = self.say(
                "Aktivitetens namn får vara högst 200 tecken.",
                "The activity's name can be at most 200 characters.",
            );
            r.problem("activity", m);
        }
        // The enrolment the time belongs to.
        let enrolment = self
            .enrolments
            .get(&pid)
            .and_then(|l| l.iter().find(|(p, _, _)| *p == project).copied());
        let day = match enrolment {
            None => {
                let m = self.say(
                    "Personen är inte inskriven i projektet.",
                    "The person is not enrolled in the project.",
                );
                r.problem("identity_number", m);
                None
            }
            Some((_, on, exit)) => {
                // A month's hours are kept as one entry on the month's first day in the
                // enrolment (the reports count time inside the enrolment).
                let day = span.first().max(on);
                let last = exit.map_or(span.last(), |x| span.last().min(x));
                if day > last {
                    let key = if matches!(span, Span::Day(_)) {
                        "date"
                    } else {
                        "month"
                    };
                    let m = self.say(
                        "Tiden ligger utanför personens inskrivning i projektet.",
                        "The time lies outside the person's enrolment in the project.",
                    );
                    r.problem(key, m);
                    None
                } else {
                    Some(day)
                }
            }
        };
        let Some(day) = day else {
            return Ok(Err(r.problems));
        };
        if !r.problems.is_empty() {
            return Ok(Err(r.problems));
        }
        let activity = self.activity_id(tx, project, &name, kind).await?;
        if let Some(first) = self.seen.get(&(pid, activity, day)) {
            let m = if lang == "en" {
                format!("The same person, activity and day as row {first}.")
            } else {
                format!("Samma person, aktivitet och dag som rad {first}.")
            };
            r.problem("", m);
            return Ok(Err(r.problems));
        }
        self.seen.insert((pid, activity, day), row.number);
        if self.stored.contains(&(pid, activity, Some(day))) {
            return Ok(Ok(Act::Unchanged));
        }
        self.touched_projects.insert(project);
        Ok(Ok(Act::Attendance(AttendanceRow {
            org_id: self.actor.org_id,
            id: Uuid::now_v7(),
            participant_id: pid,
            activity_id: activity,
            attended_on: day,
            minutes: minutes as i32,
            absence_reason: absence,
            recorded_at: self.now,
            recorded_by: Some(self.actor.user_id),
        })))
    }

    /// The activity of `project` named `name` (folded), created by this import if new.
    async fn activity_id(
        &mut self,
        tx: &mut Audited,
        project: Uuid,
        name: &str,
        kind: stegvis_domain::attendance::ActivityKind,
    ) -> crate::Result<Uuid> {
        #[allow(clippy::map_entry)] // the insert waits for a query
        if !self.activities.contains_key(&project) {
            let known = tx
                .import_activities_of(project)
                .await?
                .into_iter()
                .map(|a| (fold(&a.name), a.id))
                .collect();
            self.activities.insert(project, known);
        }
        let map = self.activities.get_mut(&project).expect("loaded");
        let key = fold(name);
        if let Some(id) = map.get(&key) {
            return Ok(*id);
        }
        let row = ActivityRow {
            id: Uuid::now_v7(),
            project_id: project,
            kind,
            name: name.to_owned(),
            created_at: self.now,
        };
        map.insert(key, row.id);
        let id = row.id;
        self.new_activities.push(NewActivity {
            row,
            written: false,
        });
        Ok(id)
    }

    async fn placement_row(
        &mut self,
        tx: &mut Audited,
        row: &SheetRow,
    ) -> crate::Result<Result<Act, Vec<Problem>>> {
        let (mapping, headers, lang) = (self.mapping, self.headers, self.lang);
        let mut r = RowReader::new(row, mapping, headers, lang);
        let participant = self.existing_participant(&mut r);
        let employer = r
            .required(
                "employer",
                "Arbetsgivare saknas.",
                "The employer is missing.",
            )
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "));
        let workplace = match r.cell("workplace") {
            "" => employer.clone(),
            w => Some(w.split_whitespace().collect::<Vec<_>>().join(" ")),
        };
        let kind = r.placement_kind();
        let starts_on = r.date(
            "starts_on",
            self.today.saturating_add(time::Duration::days(3650)),
        );
        let ends_on = r.date(
            "ends_on",
            self.today.saturating_add(time::Duration::days(3650)),
        );
        if let (Some(s), Some(e)) = (starts_on, ends_on)
            && e < s
        {
            let m = self.say(
                "Slutdatumet är före startdatumet.",
                "The end date is before the start date.",
            );
            r.problem("ends_on", m);
        }
        let hours = r.whole("hours_per_week", 1, 60);
        let status = r.placement_status();
        for (key, v) in [("employer", &employer), ("workplace", &workplace)] {
            if v.as_ref().is_some_and(|v| v.chars().count() > 200) {
                let m = self.say(
                    "Namnet får vara högst 200 tecken.",
                    "The name can be at most 200 characters.",
                );
                r.problem(key, m);
            }
        }
        let (Some(pid), Some(employer), Some(workplace), Some(kind), Some(status)) =
            (participant, employer, workplace, kind, status)
        else {
            return Ok(Err(r.problems));
        };
        if !r.problems.is_empty() {
            return Ok(Err(r.problems));
        }
        let Some(workplace_id) = self.workplace_id(tx, &employer, &workplace, &mut r).await? else {
            return Ok(Err(r.problems));
        };
        let natural = (pid, workplace_id, starts_on.unwrap_or(Date::MIN));
        if let Some(first) = self.seen.get(&natural) {
            let m = if lang == "en" {
                format!("The same person, workplace and start as row {first}.")
            } else {
                format!("Samma person, arbetsplats och startdatum som rad {first}.")
            };
            r.problem("", m);
            return Ok(Err(r.problems));
        }
        self.seen.insert(natural, row.number);
        if self.stored.contains(&(pid, workplace_id, starts_on)) {
            return Ok(Ok(Act::Unchanged));
        }
        let status = status.unwrap_or(match (starts_on, ends_on) {
            (_, Some(e)) if e < self.today => PlacementStatus::Ended,
            (Some(s), _) if s <= self.today => PlacementStatus::Started,
            _ => PlacementStatus::Accepted,
        });
        for p in self
            .enrolments
            .get(&pid)
            .into_iter()
            .flatten()
            .map(|(p, _, _)| *p)
            .collect::<Vec<_>>()
        {
            self.touched_projects.insert(p);
        }
        Ok(Ok(Act::Placement(Box::new(PlacementRow {
            org_id: self.actor.org_id,
            id: Uuid::now_v7(),
            participant_id: pid,
            workplace_id,
            opening_id: None,
            kind,
            supervisor_id: None,
            starts_on,
            ends_on,
            hours_per_week: hours.map(|h| h as i32),
            goals: None,
            adaptations: None,
            status,
            offered_on: starts_on.unwrap_or(self.today).min(self.today),
            version: 1,
            created_at: self.now,
            created_by: Some(self.actor.user_id),
            updated_at: self.now,
        }))))
    }

    /// The workplace named, created (with its employer) by this import if new and allowed.
    async fn workplace_id(
        &mut self,
        tx: &mut Audited,
        employer: &str,
        workplace: &str,
        r: &mut RowReader<'_>,
    ) -> crate::Result<Option<Uuid>> {
        let (fe, fw) = (fold(employer), fold(workplace));
        let known = self.workplaces.as_ref().and_then(|m| m.get(&fe)).cloned();
        if let Some((_, wps)) = &known
            && let Some(id) = wps.get(&fw)
        {
            return Ok(Some(*id));
        }
        if self.may_add_employers.is_none() {
            let ok = self
                .app
                .check_function(
                    self.actor,
                    stegvis_domain::access::Function::Employers,
                    stegvis_domain::access::Action::Write,
                )
                .await
                .is_ok();
            self.may_add_employers = Some(ok);
        }
        if self.may_add_employers != Some(true) {
            let m = self.say(
                "Arbetsplatsen finns inte i Stegvis, och du får inte lägga upp arbetsgivare. Be den som administrerar arbetsgivare att lägga upp den först.",
                "The workplace is not in Stegvis, and you may not add employers. Ask whoever manages employers to add it first.",
            );
            r.problem("employer", m);
            return Ok(None);
        }
        let wp = |employer_org_id: Uuid, name: &str| WorkplaceRow {
            id: Uuid::now_v7(),
            employer_org_id,
            name: name.to_owned(),
            address: None,
            municipality_code: None,
            accessibility: None,
            contact_name: None,
            contact_phone: None,
            contact_email: None,
            created_at: self.now,
            created_by: Some(self.actor.user_id),
        };
        let employer_id = match known {
            Some((id, _)) => id,
            None => {
                // Organisation names are unique: another kind of organisation may hold it.
                if tx.import_organisation_named(employer).await?.is_some() {
                    let m = self.say(
                        "Det namnet har redan en organisation som inte är en arbetsgivare.",
                        "An organisation that is not an employer already has that name.",
                    );
                    r.problem("employer", m);
                    return Ok(None);
                }
                let org = OrganisationRow {
                    id: Uuid::now_v7(),
                    name: employer.to_owned(),
                    kind: stegvis_domain::OrganisationKind::Employer.code().to_owned(),
                    municipality_code: None,
                    created_at: self.now,
                };
                let w = wp(org.id, workplace);
                let ids = (org.id, w.id);
                self.workplaces
                    .get_or_insert_default()
                    .insert(fe, (org.id, HashMap::from([(fw, w.id)])));
                self.new_employers.push(NewEmployer {
                    org,
                    workplace: w,
                    written: false,
                });
                return Ok(Some(ids.1));
            }
        };
        let w = wp(employer_id, workplace);
        let id = w.id;
        if let Some(m) = self.workplaces.as_mut().and_then(|m| m.get_mut(&fe)) {
            m.1.insert(fw, id);
        }
        self.new_workplaces.push((w, false));
        Ok(Some(id))
    }

    fn count(&self, act: &Act, s: &mut ImportSummary) {
        match act {
            Act::Unchanged => s.unchanged_rows += 1,
            Act::Participant { .. } => {
                s.new_participants += 1;
                s.new_enrolments += 1;
            }
            Act::Enrolment(_) => s.new_enrolments += 1,
            Act::Attendance(_) => s.new_attendance += 1,
            Act::Placement(_) => s.new_placements += 1,
        }
    }

    /// Puts a good row's writes into the chunk's batch, with the participant's event the first
    /// time the import writes about them.
    fn stage(&mut self, act: Act, batch: &mut BatchRows, events: &mut Vec<AuditEvent>) {
        let (pid, kind) = match act {
            Act::Unchanged => return,
            Act::Participant {
                id,
                number,
                given,
                family,
                gender,
                enrolment,
            } => {
                let identity = IdentityInput::Number(number);
                let person = Person {
                    identity: &identity,
                    given_name: &given,
                    family_name: &family,
                    gender,
                };
                let row = self.app.participant_row(
                    &self.keys.ring,
                    id,
                    self.actor.org_id,
                    &person,
                    Some(self.actor.user_id),
                );
                batch.participant(&row);
                batch.enrolment(&enrolment);
                self.touched_projects.insert(enrolment.project_id);
                (id, RecordKind::Participant)
            }
            Act::Enrolment(e) => {
                batch.enrolment(&e);
                self.touched_projects.insert(e.project_id);
                (e.participant_id, RecordKind::Enrolment)
            }
            Act::Attendance(a) => {
                batch.attendance(&a);
                (a.participant_id, RecordKind::Attendance)
            }
            Act::Placement(p) => {
                batch.placement(&p);
                (p.participant_id, RecordKind::Placement)
            }
        };
        if self.audited.insert(pid) {
            events.push(AuditEvent {
                id: Uuid::now_v7(),
                at: self.now,
                participant_id: Some(pid),
                record_kind: kind.code().to_owned(),
                ..self.event.clone()
            });
        }
    }

    /// Writes the catalogue rows (activities, employers, workplaces) new since the last chunk.
    async fn write_catalogue(&mut self, tx: &mut Audited) -> crate::Result<()> {
        for a in self.new_activities.iter_mut().filter(|a| !a.written) {
            tx.import_insert_activity(&a.row).await?;
            a.written = true;
        }
        for e in self.new_employers.iter_mut().filter(|e| !e.written) {
            tx.import_insert_employer(&e.org, &e.workplace).await?;
            e.written = true;
        }
        for (w, written) in self.new_workplaces.iter_mut().filter(|w| !w.1) {
            tx.import_insert_workplace(w).await?;
            *written = true;
        }
        Ok(())
    }
}

/// The rejected rows as a CSV file to fix (see [`super::rejected_csv`]).
pub(super) fn rejected_csv(sheet: &Sheet, summary: &ImportSummary, lang: &str) -> Vec<u8> {
    rejected_rows_csv(&sheet.headers, sheet.rows.iter().cloned(), summary, lang)
}

/// [`rejected_csv`] over any rows of the file (the command line reads a large file again).
pub fn rejected_rows_csv(
    headers: &[String],
    rows: impl Iterator<Item = SheetRow>,
    summary: &ImportSummary,
    lang: &str,
) -> Vec<u8> {
    let rejected: HashSet<usize> = summary.rejected.iter().copied().collect();
    let mut why: HashMap<usize, Vec<String>> = HashMap::new();
    for p in &summary.problems {
        let text = if p.column.is_empty() {
            p.message.clone()
        } else {
            format!("{}: {}", p.column, p.message)
        };
        why.entry(p.row).or_default().push(text);
    }
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .flexible(true)
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        let mut header: Vec<String> = headers.iter().map(|h| guard(h)).collect();
        header.push(say(lang, "Fel att rätta", "What to fix"));
        let _ = w.write_record(&header);
        for row in rows.filter(|r| rejected.contains(&r.number)) {
            let mut cells: Vec<String> = (0..headers.len())
                .map(|i| guard(row.cells.get(i).map_or("", String::as_str)))
                .collect();
            cells.push(
                why.get(&row.number)
                    .map(|v| v.join(" | "))
                    .unwrap_or_default(),
            );
            let _ = w.write_record(&cells);
        }
        let _ = w.flush();
    }
    out
}

/// A cell that a spreadsheet program would run as a formula, kept as text.
fn guard(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && parse_number_like(cell).is_none() {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

fn parse_number_like(cell: &str) -> Option<f64> {
    super::values::parse_decimal(cell)
}
