-- Employers' workplaces and the openings they offer (not personal data), and placements:
-- a participant at a workplace with a supervisor (personal data, controlled by the participant's
-- organisation). Weekly attendance confirmed by the supervisor, and the supervisor's feedback.
CREATE TABLE workplaces (
    id UUID PRIMARY KEY NOT NULL,
    employer_org_id UUID NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    address TEXT,
    municipality_code TEXT,
    accessibility TEXT,
    contact_name TEXT,
    contact_phone TEXT,
    contact_email TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    created_by UUID
);
CREATE INDEX workplaces_employer ON workplaces(employer_org_id);

CREATE TABLE openings (
    id UUID PRIMARY KEY NOT NULL,
    workplace_id UUID NOT NULL REFERENCES workplaces(id),
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    ssyk_code TEXT,
    hours_per_week INTEGER,
    requirements TEXT,
    adaptations TEXT,
    status TEXT NOT NULL,
    source TEXT NOT NULL,
    external_id TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    created_by UUID
);
CREATE INDEX openings_workplace ON openings(workplace_id);
CREATE UNIQUE INDEX openings_external ON openings(source, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE placements (
    org_id UUID NOT NULL,
    id UUID NOT NULL UNIQUE,
    participant_id UUID NOT NULL,
    workplace_id UUID NOT NULL REFERENCES workplaces(id),
    opening_id UUID REFERENCES openings(id),
    kind TEXT NOT NULL,
    supervisor_id UUID REFERENCES users(id),
    starts_on DATE,
    ends_on DATE,
    hours_per_week INTEGER,
    goals TEXT,
    adaptations TEXT,
    status TEXT NOT NULL,
    offered_on DATE NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL,
    created_by UUID,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, participant_id) REFERENCES participants(org_id, id)
);
CREATE INDEX placements_participant ON placements(participant_id);
CREATE INDEX placements_supervisor ON placements(supervisor_id);

CREATE TABLE placement_weeks (
    org_id UUID NOT NULL,
    id UUID NOT NULL UNIQUE,
    placement_id UUID NOT NULL,
    week_of DATE NOT NULL,
    minutes INTEGER NOT NULL,
    confirmed_by UUID,
    confirmed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, placement_id) REFERENCES placements(org_id, id),
    UNIQUE (placement_id, week_of)
);

CREATE TABLE placement_feedback (
    org_id UUID NOT NULL,
    id UUID NOT NULL UNIQUE,
    placement_id UUID NOT NULL,
    text TEXT NOT NULL,
    written_by UUID,
    written_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, placement_id) REFERENCES placements(org_id, id)
);
