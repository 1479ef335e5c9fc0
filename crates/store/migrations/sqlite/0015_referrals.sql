-- Referrals (remisser): the organisation holding the case asks another to take part, relying on
-- a consent to that organisation. The recipient sees the referral while the consent is live.
CREATE TABLE referrals (
    org_id BLOB NOT NULL,
    id BLOB NOT NULL UNIQUE,
    participant_id BLOB NOT NULL,
    to_org_id BLOB NOT NULL REFERENCES organisations(id),
    consent_id BLOB NOT NULL REFERENCES consents(id),
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    sent_by BLOB,
    sent_at TEXT NOT NULL,
    answered_by BLOB,
    answered_at TEXT,
    answer_note TEXT,
    closed_at TEXT,
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, participant_id) REFERENCES participants(org_id, id)
);
CREATE INDEX referrals_participant ON referrals(participant_id);
CREATE INDEX referrals_to_org ON referrals(to_org_id);
