-- Consent (samtycke): the participant lets a recipient organisation see named kinds of record
-- for a purpose, from a day, until a day or until revoked. History is kept: a revoked consent
-- stays, with the time it was revoked.
CREATE TABLE consents (
    org_id UUID NOT NULL,
    id UUID NOT NULL UNIQUE,
    participant_id UUID NOT NULL,
    recipient_org_id UUID NOT NULL REFERENCES organisations(id),
    kinds TEXT NOT NULL,
    purpose TEXT NOT NULL,
    form TEXT NOT NULL,
    valid_from DATE NOT NULL,
    valid_to DATE,
    recorded_by UUID,
    recorded_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ,
    revoked_by UUID,
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, participant_id) REFERENCES participants(org_id, id)
);
CREATE INDEX consents_participant ON consents(participant_id);
