-- Assessments (kartläggning): one row per occasion and rater, scores per item.
CREATE TABLE assessments (
    org_id UUID NOT NULL,
    id UUID NOT NULL UNIQUE,
    participant_id UUID NOT NULL,
    instrument_key TEXT NOT NULL,
    instrument_version INTEGER NOT NULL,
    assessed_on DATE NOT NULL,
    rater TEXT NOT NULL,
    rater_org_id UUID,
    created_at TIMESTAMPTZ NOT NULL,
    created_by UUID,
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, participant_id) REFERENCES participants(org_id, id)
);
CREATE INDEX assessments_participant ON assessments(participant_id, assessed_on);

CREATE TABLE assessment_scores (
    org_id UUID NOT NULL,
    assessment_id UUID NOT NULL,
    item_key TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (org_id, assessment_id, item_key),
    FOREIGN KEY (org_id, assessment_id) REFERENCES assessments(org_id, id)
);
