//! What `stegvis export` and `stegvis import-archive` ask of the database: every table that
//! holds an organisation's data, described once ([`TABLES`]), read in pages by its key inside
//! an [`Audited`] snapshot and written back in batches inside one [`Audited`] write. Values
//! travel as [`Value`]s, so the same rows go from SQLite to PostgreSQL and back. Sealed columns
//! are handed over as they are stored: opening and sealing them is the app's (it holds the key).

use crate::audit::AuditEvent;
use crate::{Audited, Result, StoreError, Tx};
use sqlx::Row;
use stegvis_domain::access::{Action, Decision};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// A column's type, the same on both databases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    Uuid,
    Text,
    Int2,
    Int4,
    Int8,
    Bool,
    Date,
    /// A moment (`timestamptz`).
    Time,
    Bytes,
    /// Encrypted under the instance's key: the app opens it for the archive and seals it again.
    Sealed,
    /// A keyed hash under the instance's key: left out of the archive, computed again on import.
    Keyed,
}

#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub ty: ColType,
    pub nullable: bool,
}

/// A table that holds organisations' data, in the order an import must write them (a table
/// comes after those its rows refer to).
#[derive(Debug, Clone, Copy)]
pub struct Table {
    pub name: &'static str,
    /// The primary key: rows are read in its order, a page at a time.
    pub key: &'static [&'static str],
    /// Only these rows (the rest is derived and rebuilt).
    pub only: Option<&'static str>,
    pub columns: &'static [Column],
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// One stored value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Uuid(Uuid),
    Text(String),
    Int(i64),
    Bool(bool),
    Date(Date),
    Time(OffsetDateTime),
    Bytes(Vec<u8>),
}

impl Value {
    /// Whether the value can be written into a column of type `ty`.
    fn fits(&self, column: &Column) -> bool {
        match (self, column.ty) {
            (Value::Null, _) => column.nullable,
            (Value::Uuid(_), ColType::Uuid)
            | (Value::Text(_), ColType::Text)
            | (Value::Bool(_), ColType::Bool)
            | (Value::Date(_), ColType::Date)
            | (Value::Time(_), ColType::Time)
            | (Value::Bytes(_), ColType::Bytes | ColType::Sealed | ColType::Keyed) => true,
            (Value::Int(n), ColType::Int2) => i16::try_from(*n).is_ok(),
            (Value::Int(n), ColType::Int4) => i32::try_from(*n).is_ok(),
            (Value::Int(_), ColType::Int8) => true,
            _ => false,
        }
    }
}

/// Rows read per page while exporting.
pub const PAGE: i64 = 1_000;
/// Most values bound in one insert (SQLite allows 32,766; PostgreSQL 65,535).
const MAX_BOUND: usize = 30_000;

/// Tables of the instance rather than its data, left out of an archive, and why.
pub const LEFT_OUT: &[(&str, &str)] = &[
    ("sessions", "sign-ins in progress on this instance"),
    (
        "api_tokens",
        "hashes of API tokens: secrets of this instance; new tokens are made after a move",
    ),
    (
        "account_links",
        "hashes of one-time links (invitations, resets): secrets of this instance",
    ),
    (
        "oidc_pending",
        "sign-ins through an identity provider in progress",
    ),
    ("key_ids", "the check values of this instance's key file"),
    ("key_state", "which of this instance's keys encrypts"),
    ("audit_pending", "the audit sealer's queue on this instance"),
    (
        "audit_chain",
        "the hash chain under this instance's audit key; rebuilt on import (its head is in manifest.json)",
    ),
    (
        "audit_chain_state",
        "the audit sealer's progress on this instance",
    ),
    (
        "audit_verifications",
        "runs of `stegvis audit verify` on this instance",
    ),
    ("audit_checkpoints", "MACs under this instance's keys"),
    (
        "report_tallies",
        "derived counts, rebuilt from the enrolments",
    ),
    (
        "search_folding",
        "the version of this instance's name folding",
    ),
    ("reminder_plans", "the reminder scheduler's bookkeeping"),
    ("counties", "reference data that every Stegvis carries"),
    (
        "municipalities",
        "reference data that every Stegvis carries",
    ),
];

/// Columns of exported tables left out of an archive, and why.
pub const LEFT_OUT_COLUMNS: &[(&str, &str, &str)] = &[
    (
        "participants",
        "identity_hash",
        "a keyed hash under this instance's key; recomputed on import",
    ),
    (
        "audit_events",
        "mac",
        "a MAC under this instance's audit key; recomputed on import",
    ),
    ("audit_events", "mac_key", "which key made the MAC"),
];

const fn col(name: &'static str, ty: ColType, nullable: bool) -> Column {
    Column { name, ty, nullable }
}

use ColType::*;

/// Every table an archive holds, in import order.
pub const TABLES: &[Table] = &[
    Table {
        name: "organisations",
        key: &["id"],
        only: None,
        columns: &[
            col("id", Uuid, false),
            col("name", Text, false),
            col("kind", Text, false),
            col("municipality_code", Text, true),
            col("created_at", Time, false),
            col("parent_org_id", Uuid, true),
            col("managed_by", Uuid, true),
            col("version", Int8, false),
            col("local_passwords_off_at", Time, true),
        ],
    },
    Table {
        name: "users",
        key: &["id"],
        only: None,
        columns: &[
            col("id", Uuid, false),
            col("org_id", Uuid, false),
            col("email", Text, false),
            col("name", Text, false),
            col("role", Text, false),
            col("password_hash", Text, true),
            col("participant_id", Uuid, true),
            col("created_at", Time, false),
            col("disabled_at", Time, true),
            col("version", Int8, false),
            col("oidc_issuer", Text, true),
            col("oidc_subject", Text, true),
        ],
    },
    Table {
        name: "projects",
        key: &["id"],
        only: None,
        columns: &[
            col("id", Uuid, false),
            col("number", Text, true),
            col("name", Text, false),
            col("owner_org_id", Uuid, false),
            col("region", Text, false),
            col("programme_area", Text, true),
            col("specific_objective", Text, true),
            col("intervention_type", Text, true),
            col("union_cofinancing_rate_pct", Int4, true),
            col("period_start", Date, false),
            col("period_end", Date, false),
            col("total_budget", Int8, false),
            col("esf_support", Int8, false),
            col("planned_participants", Int4, true),
            col("contact_name", Text, true),
            col("contact_email", Text, true),
            col("contact_phone", Text, true),
            col("postcode", Text, true),
            col("summary", Text, false),
            col("created_at", Time, false),
            col("participant_hour_value_ore", Int8, true),
            col("phase", Text, false),
            col("eligibility", Text, true),
            col("version", Int8, false),
        ],
    },
    Table {
        name: "project_organisations",
        key: &["project_id", "org_id", "relation"],
        only: None,
        columns: &[
            col("project_id", Uuid, false),
            col("org_id", Uuid, false),
            col("relation", Text, false),
        ],
    },
    Table {
        name: "project_municipalities",
        key: &["project_id", "municipality_code"],
        only: None,
        columns: &[
            col("project_id", Uuid, false),
            col("municipality_code", Text, false),
        ],
    },
    Table {
        name: "project_history",
        key: &["id"],
        only: None,
        columns: &[
            col("id", Uuid, false),
            col("project_id", Uuid, false),
            col("record_kind", Text, false),
            col("record_id", Uuid, false),
            col("changed_at", Time, false),
            col("changed_by", Uuid, true),
            col("previous", Text, false),
        ],
    },
    Table {
        name: "participants",
        key: &["org_id", "id"],
        only: None,
        columns: &[
            col("org_id", Uuid, false),
            col("id", Uuid, false),
            col("identity_mode", Text, false),
            col("identity_kind", Text, true),
            col("identity_enc", Sealed, true),
            col("identity_hash", Keyed, true),
            col("birth_date", Date, true),
            col("given_name", Text, false),
            col("family_name", Text, false),
            col("search_name", Text, false),
            col("gender", Text, false),
            col("created_at", Time, false),
            col("created_by", Uuid, true),
            col("updated_at", Time, false),
        ],
    },
    Table {
        name: "identity_history",
        key: &["id"],
        only: None,
        columns: &[
            col("org_id", Uuid, false),
            col("id", Uuid, false),
            col("participant_id", Uuid, false),
            col("identity_kind", Text, true),
            col("identity_enc", Sealed, false),
            col("replaced_at", Time, false),
            col("replaced_by", Uuid, true),
        ],
    },
    Table {
        name: "enrolments",
        key: &["org_id", "id"],
        only: None,
        columns: &[
            col("org_id", Uuid, false),
            col("id", Uuid, false),
            col("participant_id", Uuid, false),
            col("project_id", Uuid, false),
            col("enrolled_on", Date, false),
            col("labour_status", Text, true),
            col("long_term_unemployed", Text, true),
            col("months_without_work", Int4, true),
            col("in_education", Text, true),
            col("isced_level", Int4, true),
            col("born_abroad", Text, true),
            col("foreign_background", Text, true),
            col("disability", Text, true),
            col("homeless", Text, true),
            col("jobless_household", Text, true),
            col("dependent_children", Text, true),
            col("single_adult_with_children", Text, true),
            col("social_assistance", Text, true),
            col("sick_leave", Text, true),
            col("activity_compensation", Text, true),
            col("registered_at_employment_service", Text, true),
            col("exited_on", Date, true),
            col("exit_status", Text, true),
            col("version", Int8, false),
            col("created_at", Time, false),
            col("created_by", Uuid, true),
            col("updated_at", Time, false),
            col("coach_id", Uuid, true),
        ],
    },
    Table {
        name: "enrolment_exceptions",
        key: &["org_id", "enrolment_id"],
        only: None,
        columns: &[
            col("org_id", Uuid, false),
            col("enrolment_id", Uuid, false),
            col("reason", Text, false),
            col("criteria", Text, false),
            col("created_at", Time, false),
            col("created_by", Uuid, true),
        ],
    },
    Table {
        name: "record_history",
        key: &["org_id", "id"],
        only: None,
        columns: &[
            col("org_id", Uuid, false),
            col("id", Uuid, false),
            col("participant_id", Uuid, false),
            col("record_kind", Text, false),
            col("record_id", Uuid, false),
            col("changed_at", Time, false),
            col("changed_by", Uuid, true),
            col("previous", Text, false),
        ],
    },
    Table {
        name: "assessments",
        key: &["org_id", "id"],
        only: None,
        columns: &[
            col("org_id", Uuid, false),
            col("id", Uuid, false),
            col("participant_id", Uuid, false),
            col("instrument_key", Text, false),
            col("instrument_version", Int4, false),
            col("assessed_on", Date, false),
            col("rater", Text, false),
            col("rater_org_id", Uuid, true),
            col("created_at", Time, false),
            col("created_by", Uuid, true),
        ],
    },
    Table {
        name: "assessment_scores",
        key: &["org_id", "assessment_id", "item_key"],
        only: None,
        columns: &[
            col("org_id", Uuid, false),
            col("assessment_id", Uuid, false),
            col("item_key", Text, false),
            col("value", Int4, false),
            col("rated_by_org_id", Uuid, true),
            col("rated_by", Uuid, true),
            col("rated_at", Time, true),
        ],
    },
    Table {
        name: "assessment_partners",
        key: &["assessment_id", "org_id"],
        only: None,
        columns: &[
            col("assessment_id", Uuid, false),
            col("org_id", Uuid, false),
            col("opened_by", Uuid, true),
            col("opened_at", Time, false),
        ],
    },
    Table {
        name: "activities",
        key: &["id"],
        only: None,
        columns: &[
            col("id", Uuid, false),
            col("project_id", Uuid, false),
            col("kind", Text, false),
            col("name", Text, false),
            col("created_at", Time, false),
        ],
    },
    Table {
        name: "activity_schedules",
        key: &["id"],
        only: None,
        columns: &[
            col("id", Uuid, false),
            col("activity_id", Uuid, false),
            col("weekday", Int4, false),
            col("starts_at", Text, false),
            col("minutes", Int4, false),
            col("valid_from", Date, false),
            col("valid_to", Date, true),
            col("place", Text, true),
            col("created_at", Time, false),
        ],
    },
    Table {
        name: "attendance",
        key: &["org_id", "id"],
        only: None,
        columns: &[
            col("org_id", Uuid, false),
            col("id", Uuid, false),
            col("participant_id", Uuid, false),
            col("activity_id", Uuid, false),
            col("attended_on", Date, false),
            col("minutes", Int4, false),
            col("absence_reason", Text, true),
            col("recorded_at", Time, false),
            col("recorded_by", Uuid, true),
        ],
    },
    Table {
        name: "follow_ups",
        key: &["org_id", "id"],
        only: None,
        columns: &[
            col("org_id", Uuid, false),
            col("id", Uuid, false),
            col("enrolment_id", Uuid, false),
            col("participant_id", Uuid, false),
            col("kind", Text, false),
            col("due_on", Date, false),
            col("done_on", Date, true),
            col("job_searching", Text, true),
            col("in_education", Text, true),
            col("gained_qualification", Text, true),
            col("employed", Text, true),
            col("improved_situation", Text, true),
            col("recorded_by", Uuid, true),
            col("recorded_at", Time, true),
            col("social_assistance", Text, true),
        ],
    },
    Table {
        name: "plan_steps",
        key: &["org_id", "id"],
        only: None,
        columns: &[
            col("org_id", Uuid, false),
            col("id", Uuid, false),
            col("participant_id", Uuid, false),
            col("goal", Text, false),
            col("step", Text, false),
            col("owner", Text, false),
            col("due_on", Date, true),
            col("status", Text, false),
            col("participant_words", Text, true),
            col("staff_note", Text, true),
            col("version", Int8, false),
            col("created_at", Time, false),
            col("created_by", Uuid, true),
            col("updated_at", Time, false),
        ],
    },
    Table {
        name: "workplaces",
        key: &["id"],
        only: None,
        columns: &[
            col("id", Uuid, false),
            col("employer_org_id", Uuid, false),
            col("name", Text, false),
            col("address", Text, true),
            col("municipality_code", Text, true),
            col("accessibility", Text, true),
            col("contact_name", Text, true),
            col("contact_phone", Text, true),
            col("contact_email", Text, true),
            col("created_at", Time, false),
            col("created_by", Uuid, true),
        ],
    },
    Table {
        name: "openings",
        key: &["id"],
        only: None,
        columns: &[
            col("id", Uuid, false),
            col("workplace_id", Uuid, false),
            col("title", Text, false),
            col("kind", Text, false),
            col("ssyk_code", Text, true),
            col("hours_per_week", Int4, true),
            col("requirements", Text, true),
            col("adaptations", Text, true),
            col("status", Text, false),
            col("source", Text, false),
            col("external_id", Text, true),
            col("created_at", Time, false),
            col("created_by", Uuid, true),
            col("min_swedish", Text, true),
            col("can_adapt", Text, false),
        ],
    },
    Table {
        name: "placements",
        key: &["org_id", "id"],
        only: None,
        columns: &[
            col("org_id", Uuid, false),
            col("id", Uuid, false),
            col("participant_id", Uuid, false),
            col("workplace_id", Uuid, false),
            col("opening_id", Uuid, true),
            col("kind", Text, false),
            col("supervisor_id", Uuid, true),
            col("starts_on", Date, true),
            col("ends_on", Date, true),
            col("hours_per_week", Int4, true),
            col("goals", Text, true),
            col("adaptations", Text, true),
            col("status", Text, false),
            col("offered_on", Date, false),
            col("version", Int8, false),
            col("created_at", Time, false),
            col("created_by", Uuid, true),
            col("updated_at", Time, false),
        ],
    },
    Table {
        name: "placement_weeks",
        key: &["org_id", "id"],
        only: None,
        columns: &[
            col("org_id", Uuid, false),
            col("id", Uuid, false),
            col("placement_id", Uuid, false),
            col("week_of", Date, false),
            col("minutes", Int4, false),
            col("confirmed_by", Uuid, true),
            col("confirmed_at", Time, false),
        ],
    },
    Table {
        name: "placement_feedback",
        key: &["org_id", "id"],
        only: None,
        columns: &[
            col("org_id", Uuid, false),
            col("id", Uuid, false),
            col("placement_id", Uuid, false),
            col("text", Text, false),
            col("written_by", Uuid, true),
            col("written_at", Time, false),
        ],
    },
    Table {
        name: "job_profiles",
        key: &["org_id", "participant_id"],
        only: None,
        columns: &[
            col("org_id", Uuid, false),
            col("participant_id", Uuid, false),
            col("wanted", Text, false),
            col("experience", Text, false),
            col("hours_per_week", Int4, true),
            col("municipality_code", Text, true),
            col("can_travel", Bool, false),
            col("updated_at", Time, false),
            col("updated_by", Uuid, true),
            col("swedish", Text, true),
            col("needs", Text, false),
        ],
    },
    Table {
        name: "procurement_clauses",
        key: &["id"],
        only: None,
        columns: &[
            col("id", Uuid, false),
            col("employer_org_id", Uuid, false),
            col("buyer", Text, false),
            col("contract", Text, false),
            col("promised_placements", Int4, false),
            col("promised_jobs", Int4, false),
            col("valid_from", Date, false),
            col("valid_to", Date, true),
            col("created_at", Time, false),
            col("created_by", Uuid, true),
        ],
    },
    Table {
        name: "employer_agreements",
        key: &["id"],
        only: None,
        columns: &[
            col("id", Uuid, false),
            col("employer_org_id", Uuid, false),
            col("kind", Text, false),
            col("signed_on", Date, false),
            col("valid_to", Date, true),
            col("note", Text, true),
            col("created_at", Time, false),
            col("created_by", Uuid, true),
        ],
    },
    Table {
        name: "consents",
        key: &["org_id", "id"],
        only: None,
        columns: &[
            col("org_id", Uuid, false),
            col("id", Uuid, false),
            col("participant_id", Uuid, false),
            col("recipient_org_id", Uuid, false),
            col("kinds", Text, false),
            col("purpose", Text, false),
            col("form", Text, false),
            col("valid_from", Date, false),
            col("valid_to", Date, true),
            col("recorded_by", Uuid, true),
            col("recorded_at", Time, false),
            col("revoked_at", Time, true),
            col("revoked_by", Uuid, true),
        ],
    },
    Table {
        name: "referrals",
        key: &["org_id", "id"],
        only: None,
        columns: &[
            col("org_id", Uuid, false),
            col("id", Uuid, false),
            col("participant_id", Uuid, false),
            col("to_org_id", Uuid, false),
            col("consent_id", Uuid, false),
            col("reason", Text, false),
            col("status", Text, false),
            col("sent_by", Uuid, true),
            col("sent_at", Time, false),
            col("answered_by", Uuid, true),
            col("answered_at", Time, true),
            col("answer_note", Text, true),
            col("closed_at", Time, true),
        ],
    },
    Table {
        name: "teams",
        key: &["id"],
        only: None,
        columns: &[
            col("id", Uuid, false),
            col("org_id", Uuid, false),
            col("name", Text, false),
            col("project_id", Uuid, true),
            col("members", Text, false),
            col("created_at", Time, false),
            col("created_by", Uuid, true),
        ],
    },
    Table {
        name: "team_organisations",
        key: &["team_id", "org_id"],
        only: None,
        columns: &[col("team_id", Uuid, false), col("org_id", Uuid, false)],
    },
    Table {
        name: "conferences",
        key: &["org_id", "id"],
        only: None,
        columns: &[
            col("org_id", Uuid, false),
            col("id", Uuid, false),
            col("participant_id", Uuid, false),
            col("team_id", Uuid, true),
            col("held_on", Date, false),
            col("attendees", Text, false),
            col("minutes", Text, false),
            col("created_at", Time, false),
            col("created_by", Uuid, true),
        ],
    },
    Table {
        name: "conference_steps",
        key: &["conference_id", "plan_step_id"],
        only: None,
        columns: &[
            col("conference_id", Uuid, false),
            col("plan_step_id", Uuid, false),
        ],
    },
    Table {
        name: "goals",
        key: &["id"],
        only: None,
        columns: &[
            col("id", Uuid, false),
            col("project_id", Uuid, false),
            col("name", Text, false),
            col("definition", Text, false),
            col("deadline", Date, true),
            col("position", Int4, false),
            col("created_at", Time, false),
            col("version", Int8, false),
            col("retired_at", Time, true),
        ],
    },
    Table {
        name: "organisation_partners",
        key: &["org_id", "partner_org_id"],
        only: None,
        columns: &[
            col("org_id", Uuid, false),
            col("partner_org_id", Uuid, false),
            col("created_at", Time, false),
        ],
    },
    Table {
        name: "retention_rules",
        key: &["id"],
        only: None,
        columns: &[
            col("id", Uuid, false),
            col("org_id", Uuid, false),
            col("project_id", Uuid, true),
            col("record_kind", Text, false),
            col("anchor", Text, false),
            col("years", Int4, false),
            col("created_at", Time, false),
            col("created_by", Uuid, true),
            col("retired_at", Time, true),
        ],
    },
    Table {
        name: "erasures",
        key: &["id"],
        only: None,
        columns: &[
            col("id", Uuid, false),
            col("org_id", Uuid, false),
            col("run_id", Uuid, false),
            col("pseudonym", Text, false),
            col("participant_id", Uuid, false),
            col("rule", Text, false),
            col("erased_at", Time, false),
            col("counts", Text, false),
        ],
    },
    Table {
        name: "report_contributions",
        key: &["enrolment_id"],
        only: Some("erased = 1"),
        columns: &[
            col("enrolment_id", Uuid, false),
            col("participant_id", Uuid, false),
            col("project_id", Uuid, false),
            col("org_id", Uuid, false),
            col("gender", Text, false),
            col("complete", Int4, false),
            col("enrolled_on", Date, false),
            col("counts", Text, false),
            col("erased", Int4, false),
        ],
    },
    Table {
        name: "identity_providers",
        key: &["id"],
        only: None,
        columns: &[
            col("id", Uuid, false),
            col("org_id", Uuid, false),
            col("name", Text, false),
            col("issuer", Text, false),
            col("client_id", Text, false),
            col("secret_env", Text, true),
            col("secret_file", Text, true),
            col("scopes", Text, false),
            col("purpose", Text, false),
            col("groups_claim", Text, false),
            col("identity_claim", Text, false),
            col("created_at", Time, false),
            col("disabled_at", Time, true),
        ],
    },
    Table {
        name: "identity_provider_roles",
        key: &["provider_id", "position"],
        only: None,
        columns: &[
            col("provider_id", Uuid, false),
            col("position", Int4, false),
            col("group_name", Text, false),
            col("role", Text, false),
        ],
    },
    Table {
        name: "reminder_agreements",
        key: &["participant_id"],
        only: None,
        columns: &[
            col("participant_id", Uuid, false),
            col("org_id", Uuid, false),
            col("by_email", Bool, false),
            col("email_enc", Sealed, true),
            col("by_sms", Bool, false),
            col("phone_enc", Sealed, true),
            col("lang", Text, false),
            col("given_at", Time, false),
            col("withdrawn_at", Time, true),
            col("version", Int4, false),
            col("updated_at", Time, false),
            col("updated_by", Uuid, true),
        ],
    },
    Table {
        name: "reminders",
        key: &["id"],
        only: None,
        columns: &[
            col("id", Uuid, false),
            col("org_id", Uuid, false),
            col("participant_id", Uuid, false),
            col("kind", Text, false),
            col("source_id", Uuid, false),
            col("occasion", Text, false),
            col("channel", Text, false),
            col("status", Text, false),
            col("attempts", Int4, false),
            col("next_attempt_at", Time, false),
            col("claimed_at", Time, true),
            col("claim", Uuid, true),
            col("sent_at", Time, true),
            col("error", Text, true),
            col("created_at", Time, false),
        ],
    },
    Table {
        name: "import_mappings",
        key: &["org_id", "kind"],
        only: None,
        columns: &[
            col("org_id", Uuid, false),
            col("kind", Text, false),
            col("columns", Text, false),
            col("updated_at", Time, false),
            col("updated_by", Uuid, true),
        ],
    },
    Table {
        name: "installation",
        key: &["id"],
        only: None,
        columns: &[
            col("id", Int4, false),
            col("origin", Text, false),
            col("created_at", Time, false),
        ],
    },
    Table {
        name: "audit_events",
        key: &["id"],
        only: None,
        columns: &[
            col("id", Uuid, false),
            col("at", Time, false),
            col("actor_user_id", Uuid, true),
            col("actor_role", Text, false),
            col("actor_org_id", Uuid, true),
            col("participant_id", Uuid, true),
            col("record_kind", Text, false),
            col("action", Text, false),
            col("decision", Text, false),
            col("ground", Text, false),
            col("detail", Text, true),
        ],
    },
];

/// A table by name.
pub fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.name == name)
}

fn quoted(names: impl IntoIterator<Item = &'static str>) -> String {
    names
        .into_iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

macro_rules! decode_row {
    ($row:expr, $table:expr) => {{
        let row = $row;
        let mut values = Vec::with_capacity($table.columns.len());
        for (i, c) in $table.columns.iter().enumerate() {
            let v = match c.ty {
                ColType::Uuid => row.try_get::<Option<Uuid>, _>(i)?.map(Value::Uuid),
                ColType::Text => row.try_get::<Option<String>, _>(i)?.map(Value::Text),
                ColType::Int2 => row
                    .try_get::<Option<i16>, _>(i)?
                    .map(|n| Value::Int(n.into())),
                ColType::Int4 => row
                    .try_get::<Option<i32>, _>(i)?
                    .map(|n| Value::Int(n.into())),
                ColType::Int8 => row.try_get::<Option<i64>, _>(i)?.map(Value::Int),
                ColType::Bool => row.try_get::<Option<bool>, _>(i)?.map(Value::Bool),
                ColType::Date => row.try_get::<Option<Date>, _>(i)?.map(Value::Date),
                ColType::Time => row
                    .try_get::<Option<OffsetDateTime>, _>(i)?
                    .map(Value::Time),
                ColType::Bytes | ColType::Sealed | ColType::Keyed => {
                    row.try_get::<Option<Vec<u8>>, _>(i)?.map(Value::Bytes)
                }
            };
            values.push(v.unwrap_or(Value::Null));
        }
        values
    }};
}

macro_rules! bind_value {
    ($q:expr, $column:expr, $value:expr) => {{
        let q = $q;
        match ($column.ty, $value) {
            (_, Value::Uuid(u)) => q.bind(*u),
            (_, Value::Text(s)) => q.bind(s.clone()),
            (ColType::Int2, Value::Int(n)) => q.bind(*n as i16),
            (ColType::Int4, Value::Int(n)) => q.bind(*n as i32),
            (_, Value::Int(n)) => q.bind(*n),
            (_, Value::Bool(b)) => q.bind(*b),
            (_, Value::Date(d)) => q.bind(*d),
            (_, Value::Time(t)) => q.bind(*t),
            (_, Value::Bytes(b)) => q.bind(b.clone()),
            (ColType::Uuid, Value::Null) => q.bind(None::<Uuid>),
            (ColType::Text, Value::Null) => q.bind(None::<String>),
            (ColType::Int2, Value::Null) => q.bind(None::<i16>),
            (ColType::Int4, Value::Null) => q.bind(None::<i32>),
            (ColType::Int8, Value::Null) => q.bind(None::<i64>),
            (ColType::Bool, Value::Null) => q.bind(None::<bool>),
            (ColType::Date, Value::Null) => q.bind(None::<Date>),
            (ColType::Time, Value::Null) => q.bind(None::<OffsetDateTime>),
            (ColType::Bytes | ColType::Sealed | ColType::Keyed, Value::Null) => {
                q.bind(None::<Vec<u8>>)
            }
        }
    }};
}

impl Audited {
    /// Up to [`PAGE`] rows of `table` after the key `after` (from the start when `None`), in
    /// key order; each row's values in the order of `table.columns`.
    pub async fn archive_page(
        &mut self,
        table: &Table,
        after: Option<&[Value]>,
    ) -> Result<Vec<Vec<Value>>> {
        let key = quoted(table.key.iter().copied());
        let mut conditions = Vec::new();
        if after.is_some() {
            let params = (1..=table.key.len())
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ");
            conditions.push(format!("({key}) > ({params})"));
        }
        if let Some(only) = table.only {
            conditions.push(format!("({only})"));
        }
        let sql = format!(
            "SELECT {} FROM \"{}\"{} ORDER BY {key} LIMIT {PAGE}",
            quoted(table.columns.iter().map(|c| c.name)),
            table.name,
            if conditions.is_empty() {
                String::new()
            } else {
                format!(" WHERE {}", conditions.join(" AND "))
            }
        );
        let key_columns: Vec<&Column> = table
            .key
            .iter()
            .map(|k| {
                table.column(k).ok_or_else(|| {
                    StoreError::Corrupt(format!("{}: no key column {k}", table.name))
                })
            })
            .collect::<Result<_>>()?;
        let rows = match &mut self.tx {
            Tx::Sqlite(t, _) => {
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for (c, v) in key_columns.iter().zip(after.unwrap_or_default()) {
                    q = bind_value!(q, c, v);
                }
                let mut out = Vec::new();
                for row in q.fetch_all(&mut **t).await? {
                    out.push(decode_row!(&row, table));
                }
                out
            }
            Tx::Postgres(t) => {
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for (c, v) in key_columns.iter().zip(after.unwrap_or_default()) {
                    q = bind_value!(q, c, v);
                }
                let mut out = Vec::new();
                for row in q.fetch_all(&mut **t).await? {
                    out.push(decode_row!(&row, table));
                }
                out
            }
        };
        Ok(rows)
    }

    /// The key of a row read by [`Audited::archive_page`], to read the next page after it.
    pub fn archive_key(table: &Table, row: &[Value]) -> Vec<Value> {
        table
            .key
            .iter()
            .filter_map(|k| table.columns.iter().position(|c| c.name == *k))
            .map(|i| row[i].clone())
            .collect()
    }

    /// Writes `rows` (values in the order of `table.columns`) into `table`. Audit events are
    /// signed under this instance's audit key as they are written, like every other event.
    pub async fn archive_insert(&mut self, table: &Table, rows: &[Vec<Value>]) -> Result<()> {
        for row in rows {
            if row.len() != table.columns.len() {
                return Err(StoreError::Corrupt(format!(
                    "{}: a row of the wrong width",
                    table.name
                )));
            }
            if let Some((c, _)) = table.columns.iter().zip(row).find(|(c, v)| !v.fits(c)) {
                return Err(StoreError::Corrupt(format!(
                    "{}.{}: a value of the wrong type",
                    table.name, c.name
                )));
            }
        }
        if table.name == "audit_events" {
            for row in rows {
                let event = audit_event(table, row)?;
                self.store
                    .clone()
                    .record_event_in(&mut self.tx, &event)
                    .await?;
            }
            return Ok(());
        }
        let width = table.columns.len();
        let per_insert = (MAX_BOUND / width).clamp(1, 500);
        let columns = quoted(table.columns.iter().map(|c| c.name));
        for chunk in rows.chunks(per_insert) {
            let mut n = 0;
            let tuples = chunk
                .iter()
                .map(|_| {
                    let params = (0..width)
                        .map(|_| {
                            n += 1;
                            format!("${n}")
                        })
                        .collect::<Vec<_>>()
                        .join(", ");
                    format!("({params})")
                })
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!("INSERT INTO \"{}\" ({columns}) VALUES {tuples}", table.name);
            match &mut self.tx {
                Tx::Sqlite(t, _) => {
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                    for row in chunk {
                        for (c, v) in table.columns.iter().zip(row) {
                            q = bind_value!(q, c, v);
                        }
                    }
                    q.execute(&mut **t).await?;
                }
                Tx::Postgres(t) => {
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                    for row in chunk {
                        for (c, v) in table.columns.iter().zip(row) {
                            q = bind_value!(q, c, v);
                        }
                    }
                    q.execute(&mut **t).await?;
                }
            }
        }
        Ok(())
    }

    /// Sets organisations' parent and keeper after all of them are written (they refer to
    /// each other, in no order an import can rely on).
    pub async fn archive_link_organisations(
        &mut self,
        links: &[(Uuid, Option<Uuid>, Option<Uuid>)],
    ) -> Result<()> {
        for (id, parent, managed_by) in links {
            crate::exec!(
                &mut self.tx,
                "UPDATE organisations SET parent_org_id = $1, managed_by = $2 WHERE id = $3",
                *parent,
                *managed_by,
                *id
            )?;
        }
        Ok(())
    }

    /// Whether the database holds any organisation's data: an archive is imported only into
    /// an empty Stegvis.
    pub async fn archive_target_has_data(&mut self) -> Result<bool> {
        let n = crate::fetch_scalar!(
            &mut self.tx,
            i64,
            "SELECT (SELECT COUNT(*) FROM organisations) + (SELECT COUNT(*) FROM users)
                  + (SELECT COUNT(*) FROM projects) + (SELECT COUNT(*) FROM participants)"
        )?;
        Ok(n > 0)
    }

    /// The audit chain's head (position and link hash), if any event is chained.
    pub async fn archive_chain_head(&mut self) -> Result<Option<(i64, Vec<u8>)>> {
        #[derive(sqlx::FromRow)]
        struct Head {
            pos: i64,
            link_hash: Vec<u8>,
        }
        let head = crate::fetch_optional!(
            &mut self.tx,
            Head,
            "SELECT pos, link_hash FROM audit_chain ORDER BY pos DESC LIMIT 1"
        )?;
        Ok(head.map(|h| (h.pos, h.link_hash)))
    }
}

/// An audit event from its archived row.
fn audit_event(table: &Table, row: &[Value]) -> Result<AuditEvent> {
    let get = |name: &str| -> &Value {
        table
            .columns
            .iter()
            .position(|c| c.name == name)
            .map(|i| &row[i])
            .unwrap_or(&Value::Null)
    };
    let id = |name: &str| match get(name) {
        Value::Uuid(u) => Some(*u),
        _ => None,
    };
    let text = |name: &str| match get(name) {
        Value::Text(s) => Some(s.clone()),
        _ => None,
    };
    let bad = |what: &str| StoreError::Corrupt(format!("audit_events.{what}"));
    Ok(AuditEvent {
        id: id("id").ok_or_else(|| bad("id"))?,
        at: match get("at") {
            Value::Time(t) => *t,
            _ => return Err(bad("at")),
        },
        actor_user_id: id("actor_user_id"),
        actor_role: text("actor_role").ok_or_else(|| bad("actor_role"))?,
        actor_org_id: id("actor_org_id"),
        participant_id: id("participant_id"),
        record_kind: text("record_kind").ok_or_else(|| bad("record_kind"))?,
        action: Action::from_code(&text("action").unwrap_or_default())
            .map_err(|_| bad("action"))?,
        decision: Decision::from_code(&text("decision").unwrap_or_default())
            .map_err(|_| bad("decision"))?,
        ground: text("ground").ok_or_else(|| bad("ground"))?,
        detail: text("detail"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;
    use crate::db::Pool;

    /// The table and column names of the migrated schema (SQLite's search index left aside:
    /// it is built from `participants`).
    async fn schema(store: &Store) -> Vec<(String, String)> {
        let Pool::Sqlite(pool) = &store.pool else {
            unreachable!()
        };
        sqlx::query_as(
            "SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c
             WHERE m.type = 'table' AND m.name NOT LIKE 'participant_names%'
               AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'
             ORDER BY m.name, c.cid",
        )
        .fetch_all(pool)
        .await
        .unwrap()
    }

    /// Every table is either archived or left out with a reason, and every column of an archived
    /// table is in the archive or left out with a reason: a migration that adds one must say.
    #[tokio::test]
    async fn every_table_and_column_is_archived_or_left_out_on_purpose() {
        let path =
            std::env::temp_dir().join(format!("stegvis-archive-schema-{}.db", Uuid::now_v7()));
        let store = Store::connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        store.migrate().await.unwrap();
        let columns = schema(&store).await;
        let mut tables: Vec<&str> = columns.iter().map(|(t, _)| t.as_str()).collect();
        tables.dedup();
        for t in &tables {
            let archived = table(t).is_some();
            let left_out = LEFT_OUT.iter().any(|(l, _)| l == t);
            assert!(
                archived != left_out,
                "{t}: archived or left out, exactly one"
            );
        }
        for t in TABLES {
            assert!(tables.contains(&t.name), "{} is not a table", t.name);
            for c in t.columns {
                assert!(
                    columns.iter().any(|(tt, cc)| tt == t.name && cc == c.name),
                    "{}.{} is not a column",
                    t.name,
                    c.name
                );
            }
            for k in t.key {
                assert!(t.column(k).is_some(), "{}: key {k}", t.name);
            }
        }
        for (t, c) in &columns {
            let Some(archived) = table(t) else { continue };
            let left_out = LEFT_OUT_COLUMNS
                .iter()
                .any(|(lt, lc, _)| lt == t && lc == c);
            assert!(
                archived.column(c).is_some() || left_out,
                "{t}.{c} is neither archived nor left out"
            );
        }
        // Written after what they refer to: organisations first, the audit trail last.
        let at = |name: &str| TABLES.iter().position(|t| t.name == name).unwrap();
        assert!(at("organisations") < at("users") && at("users") < at("enrolments"));
        assert!(at("participants") < at("enrolments") && at("consents") < at("referrals"));
        assert_eq!(at("audit_events"), TABLES.len() - 1);
        store.close().await;
        let _ = std::fs::remove_file(path);
    }
}
