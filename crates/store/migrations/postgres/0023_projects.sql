-- Projects and goals are kept in Stegvis, not only seeded. A project gets its phase, its target
-- group (eligibility rules as JSON of stegvis_domain::eligibility::Eligibility; NULL takes
-- everyone) and a version, so that two edits made from the same version never overwrite each
-- other. Goals get a version and can be retired (kept, no longer counted). Not personal data.
ALTER TABLE projects ADD COLUMN phase TEXT NOT NULL DEFAULT 'implementation';
ALTER TABLE projects ADD COLUMN eligibility TEXT;
ALTER TABLE projects ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE goals ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE goals ADD COLUMN retired_at TIMESTAMPTZ;

-- Every earlier version of a project's facts and of its goals (JSON), with who changed it and
-- when. Append-only, like record_history.
CREATE TABLE project_history (
    id UUID PRIMARY KEY NOT NULL,
    project_id UUID NOT NULL REFERENCES projects(id),
    -- 'project' or 'goal'
    record_kind TEXT NOT NULL,
    record_id UUID NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL,
    changed_by UUID,
    previous TEXT NOT NULL
);
CREATE INDEX project_history_record ON project_history(record_id, changed_at);
CREATE TRIGGER project_history_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON project_history
    FOR EACH STATEMENT EXECUTE FUNCTION stegvis_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON project_history FROM PUBLIC;

-- An enrolment of someone outside the project's target group, where the project allows
-- exceptions: the written reason and the rules not met (codes, comma-separated). Personal data.
CREATE TABLE enrolment_exceptions (
    org_id UUID NOT NULL,
    enrolment_id UUID NOT NULL,
    reason TEXT NOT NULL,
    criteria TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by UUID,
    PRIMARY KEY (org_id, enrolment_id),
    FOREIGN KEY (org_id, enrolment_id) REFERENCES enrolments(org_id, id)
);
