-- The funder's report kept as running tallies (see stegvis_domain::report::tally): what each
-- enrolment adds to its project's counts, and the counts themselves, updated in the same
-- transaction as every audited write about a participant. A report reads the tallies instead
-- of every enrolment. Both are derived data: Stegvis rebuilds them when they do not match.
CREATE TABLE report_contributions (
    enrolment_id UUID PRIMARY KEY NOT NULL,
    participant_id UUID NOT NULL,
    project_id UUID NOT NULL,
    org_id UUID NOT NULL,
    gender TEXT NOT NULL,
    -- 1 when the enrolment meets the completeness rule.
    complete INTEGER NOT NULL,
    enrolled_on DATE NOT NULL,
    -- JSON object: key -> count.
    counts TEXT NOT NULL
);
CREATE INDEX report_contributions_participant ON report_contributions (participant_id);
CREATE INDEX report_contributions_incomplete
    ON report_contributions (project_id, org_id, complete, enrolled_on);

CREATE TABLE report_tallies (
    project_id UUID NOT NULL,
    org_id UUID NOT NULL,
    key TEXT NOT NULL,
    gender TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (project_id, org_id, key, gender)
);
