-- Retention rules (gallring) kept by an organisation's administrators, and the erasures they
-- led to. Not personal data: an erasure keeps only a keyed pseudonym and the bare id the
-- history trigger below needs.
CREATE TABLE retention_rules (
    id UUID PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL REFERENCES organisations(id),
    -- NULL: every project of the organisation.
    project_id UUID REFERENCES projects(id),
    -- 'participant': everything about the person (the only kind erased so far).
    record_kind TEXT NOT NULL,
    -- 'project_end', 'programme_end' or 'exit': years are counted from 31 December of its year.
    anchor TEXT NOT NULL,
    years INTEGER NOT NULL CHECK (years BETWEEN 0 AND 50),
    created_at TIMESTAMPTZ NOT NULL,
    created_by UUID,
    retired_at TIMESTAMPTZ
);
CREATE INDEX retention_rules_org ON retention_rules(org_id);

CREATE TABLE erasures (
    id UUID PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL,
    run_id UUID NOT NULL,
    pseudonym TEXT NOT NULL,
    participant_id UUID NOT NULL,
    -- The rule's id, or 'default'.
    rule TEXT NOT NULL,
    erased_at TIMESTAMPTZ NOT NULL,
    -- JSON: rows removed per table.
    counts TEXT NOT NULL
);
CREATE INDEX erasures_participant ON erasures(participant_id);

-- An erased enrolment's contribution stays as the frozen base of its project's report.
ALTER TABLE report_contributions ADD COLUMN erased INTEGER NOT NULL DEFAULT 0;

-- The history stays append-only, except for the rows of an erased participant: a row-level
-- trigger for UPDATE and DELETE, and the statement-level one kept for TRUNCATE.
CREATE FUNCTION stegvis_history_erasable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND EXISTS
        (SELECT 1 FROM erasures WHERE participant_id = OLD.participant_id) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
DROP TRIGGER record_history_append_only ON record_history;
CREATE TRIGGER record_history_append_only BEFORE UPDATE OR DELETE ON record_history
    FOR EACH ROW EXECUTE FUNCTION stegvis_history_erasable();
CREATE TRIGGER record_history_no_truncate BEFORE TRUNCATE ON record_history
    FOR EACH STATEMENT EXECUTE FUNCTION stegvis_append_only();
