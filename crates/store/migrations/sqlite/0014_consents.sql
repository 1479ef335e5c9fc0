-- Consent (samtycke): the participant lets a recipient organisation see named kinds of record
-- for a purpose, from a day, until a day or until revoked. History is kept: a revoked consent
-- stays, with the time it was revoked.
CREATE TABLE consents (
    org_id BLOB NOT NULL,
    id BLOB NOT NULL UNIQUE,
    participant_id BLOB NOT NULL,
    recipient_org_id BLOB NOT NULL REFERENCES organisations(id),
    kinds TEXT NOT NULL,
    purpose TEXT NOT NULL,
    form TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    recorded_by BLOB,
    recorded_at TEXT NOT NULL,
    revoked_at TEXT,
    revoked_by BLOB,
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, participant_id) REFERENCES participants(org_id, id)
);
CREATE INDEX consents_participant ON consents(participant_id);
