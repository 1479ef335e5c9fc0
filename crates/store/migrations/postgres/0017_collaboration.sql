-- Collaboration teams (samverkansteam): a standing team kept by one organisation with members
-- from several. Not personal data about participants.
CREATE TABLE teams (
    id UUID PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    project_id UUID REFERENCES projects(id),
    members TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by UUID
);
CREATE TABLE team_organisations (
    team_id UUID NOT NULL REFERENCES teams(id),
    org_id UUID NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (team_id, org_id)
);

-- Case conferences (samverkansmöten) about one participant: attendees, minutes, and the
-- decisions that became plan steps.
CREATE TABLE conferences (
    org_id UUID NOT NULL,
    id UUID NOT NULL UNIQUE,
    participant_id UUID NOT NULL,
    team_id UUID REFERENCES teams(id),
    held_on DATE NOT NULL,
    attendees TEXT NOT NULL,
    minutes TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by UUID,
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, participant_id) REFERENCES participants(org_id, id)
);
CREATE INDEX conferences_participant ON conferences(participant_id, held_on);
CREATE TABLE conference_steps (
    conference_id UUID NOT NULL REFERENCES conferences(id),
    plan_step_id UUID NOT NULL,
    PRIMARY KEY (conference_id, plan_step_id)
);
