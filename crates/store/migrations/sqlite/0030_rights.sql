-- Retention rules (gallring) kept by an organisation's administrators, and the erasures they
-- led to. Not personal data: an erasure keeps only a keyed pseudonym and the bare id the
-- history trigger below needs.
CREATE TABLE retention_rules (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES organisations(id),
    -- NULL: every project of the organisation.
    project_id BLOB REFERENCES projects(id),
    -- 'participant': everything about the person (the only kind erased so far).
    record_kind TEXT NOT NULL,
    -- 'project_end', 'programme_end' or 'exit': years are counted from 31 December of its year.
    anchor TEXT NOT NULL,
    years INTEGER NOT NULL CHECK (years BETWEEN 0 AND 50),
    created_at TEXT NOT NULL,
    created_by BLOB,
    retired_at TEXT
);
CREATE INDEX retention_rules_org ON retention_rules(org_id);

CREATE TABLE erasures (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL,
    run_id BLOB NOT NULL,
    pseudonym TEXT NOT NULL,
    participant_id BLOB NOT NULL,
    -- The rule's id, or 'default'.
    rule TEXT NOT NULL,
    erased_at TEXT NOT NULL,
    -- JSON: rows removed per table.
    counts TEXT NOT NULL
);
CREATE INDEX erasures_participant ON erasures(participant_id);

-- An erased enrolment's contribution stays as the frozen base of its project's report.
ALTER TABLE report_contributions ADD COLUMN erased INTEGER NOT NULL DEFAULT 0;

-- The history stays append-only, except for the rows of an erased participant.
DROP TRIGGER record_history_no_delete;
CREATE TRIGGER record_history_no_delete BEFORE DELETE ON record_history
WHEN NOT EXISTS (SELECT 1 FROM erasures WHERE participant_id = OLD.participant_id)
BEGIN SELECT RAISE(ABORT, 'record_history is append-only'); END;
