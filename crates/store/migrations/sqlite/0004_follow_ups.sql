-- Follow-ups after exit: the immediate result (4 weeks), 90 days and 6 months (180 days).
CREATE TABLE follow_ups (
    org_id BLOB NOT NULL,
    id BLOB NOT NULL UNIQUE,
    enrolment_id BLOB NOT NULL,
    participant_id BLOB NOT NULL,
    kind TEXT NOT NULL,
    due_on TEXT NOT NULL,
    done_on TEXT,
    job_searching TEXT,
    in_education TEXT,
    gained_qualification TEXT,
    employed TEXT,
    improved_situation TEXT,
    recorded_by BLOB,
    recorded_at TEXT,
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, participant_id) REFERENCES participants(org_id, id),
    UNIQUE (enrolment_id, kind)
);
CREATE INDEX follow_ups_due ON follow_ups(org_id, done_on, due_on);
CREATE INDEX follow_ups_participant ON follow_ups(participant_id);
