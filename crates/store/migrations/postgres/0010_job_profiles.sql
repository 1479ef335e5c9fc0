-- What matching may know of a participant: occupations wanted and done (SSYK 2012 unit groups,
-- comma-separated), hours a week, home municipality and whether they can travel. Nothing else.
CREATE TABLE job_profiles (
    org_id UUID NOT NULL,
    participant_id UUID NOT NULL,
    wanted TEXT NOT NULL,
    experience TEXT NOT NULL,
    hours_per_week INTEGER,
    municipality_code TEXT,
    can_travel BOOLEAN NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by UUID,
    PRIMARY KEY (org_id, participant_id),
    FOREIGN KEY (org_id, participant_id) REFERENCES participants(org_id, id)
);
