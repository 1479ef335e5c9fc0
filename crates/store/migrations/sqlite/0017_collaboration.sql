-- Collaboration teams (samverkansteam): a standing team kept by one organisation with members
-- from several. Not personal data about participants.
CREATE TABLE teams (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    project_id BLOB REFERENCES projects(id),
    members TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by BLOB
);
CREATE TABLE team_organisations (
    team_id BLOB NOT NULL REFERENCES teams(id),
    org_id BLOB NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (team_id, org_id)
);

-- Case conferences (samverkansmöten) about one participant: attendees, minutes, and the
-- decisions that became plan steps.
CREATE TABLE conferences (
    org_id BLOB NOT NULL,
    id BLOB NOT NULL UNIQUE,
    participant_id BLOB NOT NULL,
    team_id BLOB REFERENCES teams(id),
    held_on TEXT NOT NULL,
    attendees TEXT NOT NULL,
    minutes TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by BLOB,
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, participant_id) REFERENCES participants(org_id, id)
);
CREATE INDEX conferences_participant ON conferences(participant_id, held_on);
CREATE TABLE conference_steps (
    conference_id BLOB NOT NULL REFERENCES conferences(id),
    plan_step_id BLOB NOT NULL,
    PRIMARY KEY (conference_id, plan_step_id)
);
