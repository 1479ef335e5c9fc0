-- The plan (handlingsplan): goals broken into steps, each with an owner; the participant's own
-- words are kept apart from staff notes. Corrections keep the earlier version in record_history.
CREATE TABLE plan_steps (
    org_id BLOB NOT NULL,
    id BLOB NOT NULL UNIQUE,
    participant_id BLOB NOT NULL,
    goal TEXT NOT NULL,
    step TEXT NOT NULL,
    owner TEXT NOT NULL,
    due_on TEXT,
    status TEXT NOT NULL,
    participant_words TEXT,
    staff_note TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    created_by BLOB,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, participant_id) REFERENCES participants(org_id, id)
);
CREATE INDEX plan_steps_participant ON plan_steps(participant_id);
