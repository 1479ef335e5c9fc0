-- What matching may know of a participant: occupations wanted and done (SSYK 2012 unit groups,
-- comma-separated), hours a week, home municipality and whether they can travel. Nothing else.
CREATE TABLE job_profiles (
    org_id BLOB NOT NULL,
    participant_id BLOB NOT NULL,
    wanted TEXT NOT NULL,
    experience TEXT NOT NULL,
    hours_per_week INTEGER,
    municipality_code TEXT,
    can_travel INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by BLOB,
    PRIMARY KEY (org_id, participant_id),
    FOREIGN KEY (org_id, participant_id) REFERENCES participants(org_id, id)
);
