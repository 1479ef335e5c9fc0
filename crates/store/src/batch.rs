//! Many rows per INSERT statement, on either backend. The report tallies' rebuild writes every
//! enrolment's contribution this way; an operator's batch load (`stegvis bench report`, later
//! imports) writes personal-data rows this way through [`Audited::insert_batch`], so only inside
//! a transaction that already holds its audit event. Everything else writes row by row.

use crate::{Audited, Tx};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// One value of a batch row.
#[derive(Debug, Clone)]
pub enum Value {
    Uuid(Uuid),
    Text(String),
    Date(Date),
    Time(OffsetDateTime),
    /// An INTEGER column (32 bits on PostgreSQL).
    Int(i64),
    Bool(bool),
    Bytes(Vec<u8>),
    NullText,
    NullDate,
    NullInt,
    NullUuid,
    NullTime,
    NullBytes,
}

impl From<Uuid> for Value {
    fn from(v: Uuid) -> Self {
        Value::Uuid(v)
    }
}
impl From<Option<Uuid>> for Value {
    fn from(v: Option<Uuid>) -> Self {
        v.map_or(Value::NullUuid, Value::Uuid)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_owned())
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}
impl From<Option<&str>> for Value {
    fn from(v: Option<&str>) -> Self {
        v.map_or(Value::NullText, Value::from)
    }
}
impl From<&Option<String>> for Value {
    fn from(v: &Option<String>) -> Self {
        v.as_deref().into()
    }
}
impl From<Date> for Value {
    fn from(v: Date) -> Self {
        Value::Date(v)
    }
}
impl From<Option<Date>> for Value {
    fn from(v: Option<Date>) -> Self {
        v.map_or(Value::NullDate, Value::Date)
    }
}
impl From<OffsetDateTime> for Value {
    fn from(v: OffsetDateTime) -> Self {
        Value::Time(v)
    }
}
impl From<Option<OffsetDateTime>> for Value {
    fn from(v: Option<OffsetDateTime>) -> Self {
        v.map_or(Value::NullTime, Value::Time)
    }
}
impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<Option<i32>> for Value {
    fn from(v: Option<i32>) -> Self {
        v.map_or(Value::NullInt, |i| Value::Int(i.into()))
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}

/// The personal-data tables a batch load may write: a participant with their enrolment,
/// placements, follow-ups and attendance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchTable {
    Participants,
    Enrolments,
    Placements,
    FollowUps,
    Attendance,
    Assessments,
    AssessmentScores,
    PlanSteps,
    JobProfiles,
    Consents,
    Referrals,
    Conferences,
    ConferenceSteps,
}

impl BatchTable {
    fn name(self) -> &'static str {
        match self {
            BatchTable::Participants => "participants",
            BatchTable::Enrolments => "enrolments",
            BatchTable::Placements => "placements",
            BatchTable::FollowUps => "follow_ups",
            BatchTable::Attendance => "attendance",
            BatchTable::Assessments => "assessments",
            BatchTable::AssessmentScores => "assessment_scores",
            BatchTable::PlanSteps => "plan_steps",
            BatchTable::JobProfiles => "job_profiles",
            BatchTable::Consents => "consents",
            BatchTable::Referrals => "referrals",
            BatchTable::Conferences => "conferences",
            BatchTable::ConferenceSteps => "conference_steps",
        }
    }
}

/// Most bound values in one statement (SQLite allows 32,766), and most rows: a statement of a
/// fixed shape is prepared once and reused, where a huge one costs more to parse than to run.
const MAX_PARAMS: usize = 30_000;
const MAX_ROWS: usize = 200;

/// Most ids one statement names (see [`ids_sql`]).
pub(crate) const IDS_PER_STATEMENT: usize = 500;

/// `sql` with its `IN ({})` made the backend's list of `n` ids: `IN (?, …)` on SQLite (each id
/// bound on its own), `= ANY($1)` on PostgreSQL (the ids bound as one array, so the statement
/// does not change with `n`).
pub(crate) fn ids_sql(sql: &str, backend: crate::Backend, n: usize) -> String {
    let list = match backend {
        crate::Backend::Sqlite => format!("IN ({})", vec!["?"; n].join(", ")),
        crate::Backend::Postgres => "= ANY($1)".to_owned(),
    };
    sql.replace("IN ({})", &list)
}

macro_rules! bind_all {
    ($q:expr, $rows:expr) => {{
        let mut q = $q;
        for row in $rows {
            for v in row {
                q = match v {
                    Value::Uuid(u) => q.bind(*u),
                    Value::Text(s) => q.bind(s.as_str()),
                    Value::Date(d) => q.bind(*d),
                    Value::Time(t) => q.bind(*t),
                    Value::Int(i) => q.bind(*i as i32),
                    Value::Bool(b) => q.bind(*b),
                    Value::Bytes(b) => q.bind(b.as_slice()),
                    Value::NullText => q.bind(None::<String>),
                    Value::NullDate => q.bind(None::<Date>),
                    Value::NullInt => q.bind(None::<i32>),
                    Value::NullUuid => q.bind(None::<Uuid>),
                    Value::NullTime => q.bind(None::<OffsetDateTime>),
                    Value::NullBytes => q.bind(None::<Vec<u8>>),
                };
            }
        }
        q
    }};
}

impl Audited {
    /// Inserts `rows` into `table` (`columns` in order) in as few statements as the backend's
    /// parameter limit allows. The transaction's audit event covers them; a system job's event
    /// names no participant, so the report tallies are not refreshed here: rebuild them after.
    pub async fn insert_batch(
        &mut self,
        table: BatchTable,
        columns: &[&'static str],
        rows: &[Vec<Value>],
    ) -> crate::Result<()> {
        self.tx.insert_rows(table.name(), columns, rows).await
    }
}

impl Tx {
    /// Deletes the rows of `table` whose `column` is one of `ids`, many per statement. Table
    /// and column names are the caller's constants.
    pub(crate) async fn delete_by_ids(
        &mut self,
        table: &str,
        column: &str,
        ids: &[Uuid],
    ) -> crate::Result<()> {
        let template = format!("DELETE FROM {table} WHERE {column} IN ({{}})");
        for chunk in ids.chunks(IDS_PER_STATEMENT) {
            let sql = sqlx::AssertSqlSafe(ids_sql(&template, self.backend(), chunk.len()));
            match self {
                Tx::Sqlite(t, _) => {
                    let mut q = sqlx::query(sql);
                    for id in chunk {
                        q = q.bind(*id);
                    }
                    q.execute(&mut **t).await?;
                }
                Tx::Postgres(t) => {
                    sqlx::query(sql).bind(chunk).execute(&mut **t).await?;
                }
            }
        }
        Ok(())
    }

    /// Inserts `rows` into `table` (`columns` in order), in as few statements as the backend's
    /// parameter limit allows. Table and column names are the caller's constants.
    pub(crate) async fn insert_rows(
        &mut self,
        table: &str,
        columns: &[&str],
        rows: &[Vec<Value>],
    ) -> crate::Result<()> {
        if let Tx::Postgres(t) = self {
            return copy_rows(t, table, columns, rows).await;
        }
        let per_statement = (MAX_PARAMS / columns.len()).clamp(1, MAX_ROWS);
        let sqlite = self.backend() == crate::Backend::Sqlite;
        for chunk in rows.chunks(per_statement) {
            let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
            let mut n = 0;
            for (r, _) in chunk.iter().enumerate() {
                if r > 0 {
                    sql.push(',');
                }
                sql.push('(');
                for c in 0..columns.len() {
                    if c > 0 {
                        sql.push(',');
                    }
                    n += 1;
                    // SQLite: anonymous `?`. sqlx looks up every parameter's name, and SQLite
                    // finds a name by a linear scan: `$n` made binding quadratic in the
                    // statement's size (two thirds of a demo seed's time went there).
                    if sqlite {
                        sql.push('?');
                    } else {
                        sql.push_str(&format!("${n}"));
                    }
                }
                sql.push(')');
            }
            let sql = sqlx::AssertSqlSafe(sql);
            match self {
                Tx::Sqlite(t, _) => {
                    bind_all!(sqlx::query(sql), chunk).execute(&mut **t).await?;
                }
                Tx::Postgres(t) => {
                    bind_all!(sqlx::query(sql), chunk).execute(&mut **t).await?;
                }
            }
        }
        Ok(())
    }
}

/// Bytes of COPY data sent per message.
const COPY_SEND: usize = 1 << 20;

/// PostgreSQL: the rows through `COPY … FROM STDIN` (text format), a third of the server's
/// time of multi-row INSERTs, which each parse, plan and bind thousands of parameters.
async fn copy_rows(
    conn: &mut sqlx::PgConnection,
    table: &str,
    columns: &[&str],
    rows: &[Vec<Value>],
) -> crate::Result<()> {
    let mut copy = conn
        .copy_in_raw(&format!(
            "COPY {table} ({}) FROM STDIN (FORMAT text)",
            columns.join(", ")
        ))
        .await?;
    let mut buf = String::with_capacity(COPY_SEND + 4096);
    for row in rows {
        for (c, v) in row.iter().enumerate() {
            if c > 0 {
                buf.push('\t');
            }
            copy_text(&mut buf, v);
        }
        buf.push('\n');
        if buf.len() >= COPY_SEND {
            copy.send(std::mem::take(&mut buf).into_bytes()).await?;
        }
    }
    if !buf.is_empty() {
        copy.send(buf.into_bytes()).await?;
    }
    copy.finish().await?;
    Ok(())
}

/// One value in COPY's text format: `\N` for NULL, backslash escapes in text.
fn copy_text(buf: &mut String, v: &Value) {
    use std::fmt::Write;
    match v {
        Value::Uuid(u) => {
            let _ = write!(buf, "{u}");
        }
        Value::Text(t) => {
            for ch in t.chars() {
                match ch {
                    '\\' => buf.push_str("\\\\"),
                    '\t' => buf.push_str("\\t"),
                    '\n' => buf.push_str("\\n"),
                    '\r' => buf.push_str("\\r"),
                    c => buf.push(c),
                }
            }
        }
        Value::Date(d) => {
            let _ = write!(buf, "{d}");
        }
        Value::Time(t) => {
            let f = t
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default();
            buf.push_str(&f);
        }
        Value::Int(i) => {
            let _ = write!(buf, "{i}");
        }
        Value::Bool(b) => buf.push(if *b { 't' } else { 'f' }),
        Value::Bytes(b) => {
            buf.push_str("\\\\x");
            for byte in b {
                let _ = write!(buf, "{byte:02x}");
            }
        }
        Value::NullText
        | Value::NullDate
        | Value::NullInt
        | Value::NullUuid
        | Value::NullTime
        | Value::NullBytes => buf.push_str("\\N"),
    }
}

use crate::activity::AttendanceRow;
use crate::assessment::AssessmentRow;
use crate::collaboration::ConferenceRow;
use crate::consent::ConsentRow;
use crate::enrolment::EnrolmentRow;
use crate::follow_up::FollowUpRow;
use crate::job_profile::JobProfileRow;
use crate::participant::ParticipantRow;
use crate::placement::PlacementRow;
use crate::plan::PlanStepRow;
use crate::referral::ReferralRow;

/// Rows of many participants gathered for one bulk write, each with the columns its `insert_*`
/// writes row by row (keep the two in step). Built anywhere (a generator thread), written by
/// [`Audited::insert_rows_of`] in foreign-key order.
#[derive(Debug)]
pub struct BatchRows {
    tables: Vec<TableRows>,
}

/// One table's columns and the rows gathered for it.
type TableRows = (BatchTable, &'static [&'static str], Vec<Vec<Value>>);

const PARTICIPANTS: &[&str] = &[
    "org_id",
    "id",
    "identity_mode",
    "identity_kind",
    "identity_enc",
    "identity_hash",
    "birth_date",
    "given_name",
    "family_name",
    "search_name",
    "gender",
    "created_at",
    "created_by",
    "updated_at",
];
const ENROLMENTS: &[&str] = &[
    "org_id",
    "id",
    "participant_id",
    "project_id",
    "enrolled_on",
    "labour_status",
    "long_term_unemployed",
    "months_without_work",
    "in_education",
    "isced_level",
    "born_abroad",
    "foreign_background",
    "disability",
    "homeless",
    "jobless_household",
    "dependent_children",
    "single_adult_with_children",
    "social_assistance",
    "sick_leave",
    "activity_compensation",
    "registered_at_employment_service",
    "exited_on",
    "exit_status",
    "version",
    "created_at",
    "created_by",
    "updated_at",
    "coach_id",
];
const FOLLOW_UPS: &[&str] = &[
    "org_id",
    "id",
    "enrolment_id",
    "participant_id",
    "kind",
    "due_on",
    "done_on",
    "job_searching",
    "in_education",
    "gained_qualification",
    "employed",
    "improved_situation",
    "social_assistance",
    "recorded_by",
    "recorded_at",
];
const ASSESSMENTS: &[&str] = &[
    "org_id",
    "id",
    "participant_id",
    "instrument_key",
    "instrument_version",
    "assessed_on",
    "rater",
    "rater_org_id",
    "created_at",
    "created_by",
];
const ASSESSMENT_SCORES: &[&str] = &[
    "org_id",
    "assessment_id",
    "item_key",
    "value",
    "rated_by_org_id",
    "rated_by",
    "rated_at",
];
const PLAN_STEPS: &[&str] = &[
    "org_id",
    "id",
    "participant_id",
    "goal",
    "step",
    "owner",
    "due_on",
    "status",
    "participant_words",
    "staff_note",
    "version",
    "created_at",
    "created_by",
    "updated_at",
];
const JOB_PROFILES: &[&str] = &[
    "org_id",
    "participant_id",
    "wanted",
    "experience",
    "hours_per_week",
    "municipality_code",
    "can_travel",
    "updated_at",
    "updated_by",
    "swedish",
    "needs",
];
const PLACEMENTS: &[&str] = &[
    "org_id",
    "id",
    "participant_id",
    "workplace_id",
    "opening_id",
    "kind",
    "supervisor_id",
    "starts_on",
    "ends_on",
    "hours_per_week",
    "goals",
    "adaptations",
    "status",
    "offered_on",
    "version",
    "created_at",
    "created_by",
    "updated_at",
];
const CONSENTS: &[&str] = &[
    "org_id",
    "id",
    "participant_id",
    "recipient_org_id",
    "kinds",
    "purpose",
    "form",
    "valid_from",
    "valid_to",
    "recorded_by",
    "recorded_at",
    "revoked_at",
    "revoked_by",
];
const REFERRALS: &[&str] = &[
    "org_id",
    "id",
    "participant_id",
    "to_org_id",
    "consent_id",
    "reason",
    "status",
    "sent_by",
    "sent_at",
    "answered_by",
    "answered_at",
    "answer_note",
    "closed_at",
];
const CONFERENCES: &[&str] = &[
    "org_id",
    "id",
    "participant_id",
    "team_id",
    "held_on",
    "attendees",
    "minutes",
    "created_at",
    "created_by",
];
const CONFERENCE_STEPS: &[&str] = &["conference_id", "plan_step_id"];
const ATTENDANCE: &[&str] = &[
    "org_id",
    "id",
    "participant_id",
    "activity_id",
    "attended_on",
    "minutes",
    "absence_reason",
    "recorded_at",
    "recorded_by",
];

/// The order a batch is written in: every row after the rows it refers to.
const ORDER: &[(BatchTable, &[&str])] = &[
    (BatchTable::Participants, PARTICIPANTS),
    (BatchTable::Enrolments, ENROLMENTS),
    (BatchTable::FollowUps, FOLLOW_UPS),
    (BatchTable::Assessments, ASSESSMENTS),
    (BatchTable::AssessmentScores, ASSESSMENT_SCORES),
    (BatchTable::PlanSteps, PLAN_STEPS),
    (BatchTable::JobProfiles, JOB_PROFILES),
    (BatchTable::Placements, PLACEMENTS),
    (BatchTable::Consents, CONSENTS),
    (BatchTable::Referrals, REFERRALS),
    (BatchTable::Conferences, CONFERENCES),
    (BatchTable::ConferenceSteps, CONFERENCE_STEPS),
    (BatchTable::Attendance, ATTENDANCE),
];

impl Default for BatchRows {
    fn default() -> Self {
        Self::new()
    }
}

impl BatchRows {
    pub fn new() -> Self {
        BatchRows {
            tables: ORDER.iter().map(|(t, c)| (*t, *c, Vec::new())).collect(),
        }
    }

    fn push(&mut self, table: BatchTable, row: Vec<Value>) {
        let (_, columns, rows) = self
            .tables
            .iter_mut()
            .find(|(t, ..)| *t == table)
            .expect("every table is in ORDER");
        debug_assert_eq!(columns.len(), row.len(), "{table:?}");
        rows.push(row);
    }

    /// Rows gathered, over all tables.
    pub fn len(&self) -> usize {
        self.tables.iter().map(|(.., r)| r.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn participant(&mut self, p: &ParticipantRow) {
        let sealed = p.identity.as_ref();
        self.push(
            BatchTable::Participants,
            vec![
                p.org_id.into(),
                p.id.into(),
                p.identity_mode.code().into(),
                sealed.map(|i| i.kind.code()).into(),
                sealed.map_or(Value::NullBytes, |i| Value::Bytes(i.ciphertext.clone())),
                sealed.map_or(Value::NullBytes, |i| Value::Bytes(i.hash.clone())),
                p.birth_date.into(),
                (&p.given_name).into(),
                (&p.family_name).into(),
                (&p.search_name).into(),
                p.gender.code().into(),
                p.created_at.into(),
                p.created_by.into(),
                p.updated_at.into(),
            ],
        );
    }

    pub fn enrolment(&mut self, e: &EnrolmentRow) {
        use stegvis_domain::{Answer, ExitStatus, LabourStatus};
        let a = |x: Option<Answer>| Value::from(x.map(Answer::code));
        self.push(
            BatchTable::Enrolments,
            vec![
                e.org_id.into(),
                e.id.into(),
                e.participant_id.into(),
                e.project_id.into(),
                e.enrolled_on.into(),
                e.labour_status.map(LabourStatus::code).into(),
                a(e.long_term_unemployed),
                e.months_without_work.into(),
                a(e.in_education),
                e.isced_level.into(),
                a(e.born_abroad),
                a(e.foreign_background),
                a(e.disability),
                a(e.homeless),
                a(e.jobless_household),
                a(e.dependent_children),
                a(e.single_adult_with_children),
                a(e.social_assistance),
                a(e.sick_leave),
                a(e.activity_compensation),
                a(e.registered_at_employment_service),
                e.exited_on.into(),
                e.exit_status.map(ExitStatus::code).into(),
                e.version.into(),
                e.created_at.into(),
                e.created_by.into(),
                e.updated_at.into(),
                e.coach_id.into(),
            ],
        );
    }

    pub fn follow_up(&mut self, f: &FollowUpRow) {
        self.push(
            BatchTable::FollowUps,
            vec![
                f.org_id.into(),
                f.id.into(),
                f.enrolment_id.into(),
                f.participant_id.into(),
                f.kind.code().into(),
                f.due_on.into(),
                f.done_on.into(),
                (&f.job_searching).into(),
                (&f.in_education).into(),
                (&f.gained_qualification).into(),
                (&f.employed).into(),
                (&f.improved_situation).into(),
                (&f.social_assistance).into(),
                f.recorded_by.into(),
                f.recorded_at.into(),
            ],
        );
    }

    /// An assessment with its scores, all rated by the assessment's creator.
    pub fn assessment(&mut self, a: &AssessmentRow, scores: &[(String, u8)]) {
        self.push(
            BatchTable::Assessments,
            vec![
                a.org_id.into(),
                a.id.into(),
                a.participant_id.into(),
                (&a.instrument_key).into(),
                Some(a.instrument_version).into(),
                a.assessed_on.into(),
                (&a.rater).into(),
                a.rater_org_id.into(),
                a.created_at.into(),
                a.created_by.into(),
            ],
        );
        for (item, value) in scores {
            self.push(
                BatchTable::AssessmentScores,
                vec![
                    a.org_id.into(),
                    a.id.into(),
                    item.into(),
                    i64::from(*value).into(),
                    a.rater_org_id.into(),
                    a.created_by.into(),
                    a.created_at.into(),
                ],
            );
        }
    }

    pub fn plan_step(&mut self, p: &PlanStepRow) {
        self.push(
            BatchTable::PlanSteps,
            vec![
                p.org_id.into(),
                p.id.into(),
                p.participant_id.into(),
                (&p.goal).into(),
                (&p.step).into(),
                p.owner.code().into(),
                p.due_on.into(),
                p.status.code().into(),
                (&p.participant_words).into(),
                (&p.staff_note).into(),
                p.version.into(),
                p.created_at.into(),
                p.created_by.into(),
                p.updated_at.into(),
            ],
        );
    }

    /// A new job profile (the batch never replaces one).
    pub fn job_profile(&mut self, p: &JobProfileRow) {
        self.push(
            BatchTable::JobProfiles,
            vec![
                p.org_id.into(),
                p.participant_id.into(),
                (&p.wanted).into(),
                (&p.experience).into(),
                p.hours_per_week.into(),
                (&p.municipality_code).into(),
                p.can_travel.into(),
                p.updated_at.into(),
                p.updated_by.into(),
                (&p.swedish).into(),
                (&p.needs).into(),
            ],
        );
    }

    pub fn placement(&mut self, p: &PlacementRow) {
        self.push(
            BatchTable::Placements,
            vec![
                p.org_id.into(),
                p.id.into(),
                p.participant_id.into(),
                p.workplace_id.into(),
                p.opening_id.into(),
                p.kind.code().into(),
                p.supervisor_id.into(),
                p.starts_on.into(),
                p.ends_on.into(),
                p.hours_per_week.into(),
                (&p.goals).into(),
                (&p.adaptations).into(),
                p.status.code().into(),
                p.offered_on.into(),
                p.version.into(),
                p.created_at.into(),
                p.created_by.into(),
                p.updated_at.into(),
            ],
        );
    }

    pub fn consent(&mut self, c: &ConsentRow) {
        self.push(
            BatchTable::Consents,
            vec![
                c.org_id.into(),
                c.id.into(),
                c.participant_id.into(),
                c.recipient_org_id.into(),
                Value::Text(c.kinds.to_string()),
                (&c.purpose).into(),
                (&c.form).into(),
                c.valid_from.into(),
                c.valid_to.into(),
                c.recorded_by.into(),
                c.recorded_at.into(),
                c.revoked_at.into(),
                c.revoked_by.into(),
            ],
        );
    }

    pub fn referral(&mut self, r: &ReferralRow) {
        self.push(
            BatchTable::Referrals,
            vec![
                r.org_id.into(),
                r.id.into(),
                r.participant_id.into(),
                r.to_org_id.into(),
                r.consent_id.into(),
                (&r.reason).into(),
                r.status.code().into(),
                r.sent_by.into(),
                r.sent_at.into(),
                r.answered_by.into(),
                r.answered_at.into(),
                (&r.answer_note).into(),
                r.closed_at.into(),
            ],
        );
    }

    /// A case conference and the plan steps it decided (written before it in the batch).
    pub fn conference(&mut self, c: &ConferenceRow, steps: &[Uuid]) {
        self.push(
            BatchTable::Conferences,
            vec![
                c.org_id.into(),
                c.id.into(),
                c.participant_id.into(),
                c.team_id.into(),
                c.held_on.into(),
                (&c.attendees).into(),
                (&c.minutes).into(),
                c.created_at.into(),
                c.created_by.into(),
            ],
        );
        for s in steps {
            self.push(BatchTable::ConferenceSteps, vec![c.id.into(), (*s).into()]);
        }
    }

    pub fn attendance(&mut self, a: &AttendanceRow) {
        self.push(
            BatchTable::Attendance,
            vec![
                a.org_id.into(),
                a.id.into(),
                a.participant_id.into(),
                a.activity_id.into(),
                a.attended_on.into(),
                Some(a.minutes).into(),
                a.absence_reason
                    .map(stegvis_domain::attendance::AbsenceReason::code)
                    .into(),
                a.recorded_at.into(),
                a.recorded_by.into(),
            ],
        );
    }
}

impl Audited {
    /// Writes every row of `rows`, table by table in foreign-key order, under this
    /// transaction's audit event (see [`Audited::insert_batch`]).
    pub async fn insert_rows_of(&mut self, rows: &BatchRows) -> crate::Result<()> {
        for (table, columns, rows) in &rows.tables {
            if !rows.is_empty() {
                self.insert_batch(*table, columns, rows).await?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Connection;

    fn awkward_row() -> Vec<Value> {
        vec![
            Value::Uuid(Uuid::from_u128(7)),
            Value::Text("tab\there, new\nline, cr\r, back\\slash \\N, Åsa".into()),
            Value::Date(time::macros::date!(2025 - 02 - 03)),
            Value::Time(time::macros::datetime!(2025-02-03 10:11:12.5 +01:00)),
            Value::Int(-42),
            Value::Bool(true),
            Value::Bytes(vec![0, 0x5c, 0xff]),
            Value::NullText,
        ]
    }

    #[test]
    fn copy_text_escapes_what_copy_reads_as_syntax() {
        let mut buf = String::new();
        for v in awkward_row() {
            copy_text(&mut buf, &v);
            buf.push('|');
        }
        assert_eq!(
            buf,
            "00000000-0000-0000-0000-000000000007|\
             tab\\there, new\\nline, cr\\r, back\\\\slash \\\\N, Åsa|\
             2025-02-03|2025-02-03T10:11:12.5+01:00|-42|t|\\\\x005cff|\\N|"
        );
    }

    /// PostgreSQL reads back exactly what was written (with STEGVIS_TEST_DATABASE_URL).
    #[tokio::test]
    async fn copy_rows_round_trip_on_postgresql() {
        let Some(url) = std::env::var("STEGVIS_TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())
        else {
            return;
        };
        let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
        sqlx::query(
            "CREATE TEMP TABLE copy_probe (u uuid, t text, d date, at timestamptz, i integer,
             b boolean, by bytea, n text)",
        )
        .execute(&mut conn)
        .await
        .unwrap();
        let cols = ["u", "t", "d", "at", "i", "b", "by", "n"];
        copy_rows(
            &mut conn,
            "copy_probe",
            &cols,
            &[awkward_row(), awkward_row()],
        )
        .await
        .unwrap();
        type Probe = (
            Uuid,
            String,
            Date,
            OffsetDateTime,
            i32,
            bool,
            Vec<u8>,
            Option<String>,
        );
        let rows: Vec<Probe> = sqlx::query_as("SELECT u, t, d, at, i, b, by, n FROM copy_probe")
            .fetch_all(&mut conn)
            .await
            .unwrap();
        assert_eq!(rows.len(), 2);
        let (u, t, d, at, i, b, by, n) = rows[0].clone();
        assert_eq!(u, Uuid::from_u128(7));
        assert_eq!(t, "tab\there, new\nline, cr\r, back\\slash \\N, Åsa");
        assert_eq!(d, time::macros::date!(2025 - 02 - 03));
        assert_eq!(at, time::macros::datetime!(2025-02-03 10:11:12.5 +01:00));
        assert_eq!((i, b, by, n), (-42, true, vec![0, 0x5c, 0xff], None));
    }
}
