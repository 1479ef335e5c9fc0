-- Activities offered by a project (a catalogue, not personal data) and attendance in minutes.
CREATE TABLE activities (
    id UUID PRIMARY KEY NOT NULL,
    project_id UUID NOT NULL REFERENCES projects(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX activities_project ON activities(project_id);

CREATE TABLE attendance (
    org_id UUID NOT NULL,
    id UUID NOT NULL UNIQUE,
    participant_id UUID NOT NULL,
    activity_id UUID NOT NULL REFERENCES activities(id),
    attended_on DATE NOT NULL,
    minutes INTEGER NOT NULL,
    absence_reason TEXT,
    recorded_at TIMESTAMPTZ NOT NULL,
    recorded_by UUID,
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, participant_id) REFERENCES participants(org_id, id),
    -- One line per participant, activity and day: registering a group twice must not double hours.
    UNIQUE (org_id, participant_id, activity_id, attended_on)
);
CREATE INDEX attendance_participant ON attendance(participant_id, attended_on);
