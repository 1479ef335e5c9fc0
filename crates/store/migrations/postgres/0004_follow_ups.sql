-- Follow-ups after exit: the immediate result (4 weeks), 90 days and 6 months (180 days).
CREATE TABLE follow_ups (
    org_id UUID NOT NULL,
    id UUID NOT NULL UNIQUE,
    enrolment_id UUID NOT NULL,
    participant_id UUID NOT NULL,
    kind TEXT NOT NULL,
    due_on DATE NOT NULL,
    done_on DATE,
    job_searching TEXT,
    in_education TEXT,
    gained_qualification TEXT,
    employed TEXT,
    improved_situation TEXT,
    recorded_by UUID,
    recorded_at TIMESTAMPTZ,
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, participant_id) REFERENCES participants(org_id, id),
    UNIQUE (enrolment_id, kind)
);
CREATE INDEX follow_ups_due ON follow_ups(org_id, done_on, due_on);
CREATE INDEX follow_ups_participant ON follow_ups(participant_id);
