-- Stegvis foundation schema (SQLite). Keep in step with ../postgres/0001_foundation.sql.
-- Personal-data tables carry the controlling organisation (tenant) first in their keys.

CREATE TABLE counties (
    code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL
);

CREATE TABLE municipalities (
    code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    county_code TEXT NOT NULL REFERENCES counties(code)
);

CREATE TABLE organisations (
    id BLOB PRIMARY KEY NOT NULL,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    municipality_code TEXT REFERENCES municipalities(code),
    created_at TEXT NOT NULL
);

CREATE TABLE users (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES organisations(id),
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT,
    participant_id BLOB,
    created_at TEXT NOT NULL,
    disabled_at TEXT
);

CREATE TABLE sessions (
    id_hash BLOB PRIMARY KEY NOT NULL,
    user_id BLOB NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id BLOB PRIMARY KEY NOT NULL,
    user_id BLOB NOT NULL REFERENCES users(id),
    token_hash BLOB NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE TABLE projects (
    id BLOB PRIMARY KEY NOT NULL,
    number TEXT UNIQUE,
    name TEXT NOT NULL,
    owner_org_id BLOB NOT NULL REFERENCES organisations(id),
    region TEXT NOT NULL,
    programme_area TEXT,
    specific_objective TEXT,
    intervention_type TEXT,
    union_cofinancing_rate_pct INTEGER,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    total_budget INTEGER NOT NULL,
    esf_support INTEGER NOT NULL,
    planned_participants INTEGER,
    contact_name TEXT,
    contact_email TEXT,
    contact_phone TEXT,
    postcode TEXT,
    summary TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE project_organisations (
    project_id BLOB NOT NULL REFERENCES projects(id),
    org_id BLOB NOT NULL REFERENCES organisations(id),
    relation TEXT NOT NULL,
    PRIMARY KEY (project_id, org_id, relation)
);

CREATE TABLE project_municipalities (
    project_id BLOB NOT NULL REFERENCES projects(id),
    municipality_code TEXT NOT NULL REFERENCES municipalities(code),
    PRIMARY KEY (project_id, municipality_code)
);

CREATE TABLE participants (
    org_id BLOB NOT NULL REFERENCES organisations(id),
    id BLOB NOT NULL UNIQUE,
    identity_mode TEXT NOT NULL,
    identity_kind TEXT,
    identity_enc BLOB,
    identity_hash BLOB,
    birth_date TEXT,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    search_name TEXT NOT NULL,
    gender TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by BLOB,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (org_id, id)
);
CREATE UNIQUE INDEX participants_identity ON participants(org_id, identity_hash) WHERE identity_hash IS NOT NULL;
CREATE INDEX participants_search ON participants(org_id, search_name);

CREATE TABLE enrolments (
    org_id BLOB NOT NULL,
    id BLOB NOT NULL UNIQUE,
    participant_id BLOB NOT NULL,
    project_id BLOB NOT NULL REFERENCES projects(id),
    enrolled_on TEXT NOT NULL,
    labour_status TEXT,
    long_term_unemployed TEXT,
    months_without_work INTEGER,
    in_education TEXT,
    isced_level INTEGER,
    born_abroad TEXT,
    foreign_background TEXT,
    disability TEXT,
    homeless TEXT,
    jobless_household TEXT,
    dependent_children TEXT,
    single_adult_with_children TEXT,
    social_assistance TEXT,
    sick_leave TEXT,
    activity_compensation TEXT,
    registered_at_employment_service TEXT,
    exited_on TEXT,
    exit_status TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    created_by BLOB,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, participant_id) REFERENCES participants(org_id, id),
    UNIQUE (participant_id, project_id)
);
CREATE INDEX enrolments_project ON enrolments(project_id);

-- Earlier values of corrected personal records: nothing is overwritten silently.
CREATE TABLE record_history (
    org_id BLOB NOT NULL,
    id BLOB NOT NULL,
    participant_id BLOB NOT NULL,
    record_kind TEXT NOT NULL,
    record_id BLOB NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by BLOB,
    previous TEXT NOT NULL,
    PRIMARY KEY (org_id, id)
);
CREATE INDEX record_history_record ON record_history(record_id);

CREATE TABLE audit_events (
    id BLOB PRIMARY KEY NOT NULL,
    at TEXT NOT NULL,
    actor_user_id BLOB,
    actor_role TEXT NOT NULL,
    actor_org_id BLOB,
    participant_id BLOB,
    record_kind TEXT NOT NULL,
    action TEXT NOT NULL,
    decision TEXT NOT NULL,
    ground TEXT NOT NULL,
    detail TEXT
);
CREATE INDEX audit_events_participant ON audit_events(participant_id, at);
CREATE INDEX audit_events_at ON audit_events(at);

-- The audit trail and the history are append-only.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER record_history_no_update BEFORE UPDATE ON record_history
BEGIN SELECT RAISE(ABORT, 'record_history is append-only'); END;
CREATE TRIGGER record_history_no_delete BEFORE DELETE ON record_history
BEGIN SELECT RAISE(ABORT, 'record_history is append-only'); END;
