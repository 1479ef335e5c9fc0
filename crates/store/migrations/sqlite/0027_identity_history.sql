-- Earlier identity numbers of a participant, kept when a number is corrected (the register's
-- history). Sealed like participants.identity_enc (AAD = this row's id) so that a key rotation
-- re-encrypts them and an erasure removes them; never in record_history as plain text.
CREATE TABLE identity_history (
    org_id BLOB NOT NULL,
    id BLOB NOT NULL PRIMARY KEY,
    participant_id BLOB NOT NULL,
    identity_kind TEXT,
    identity_enc BLOB NOT NULL,
    replaced_at TEXT NOT NULL,
    replaced_by BLOB,
    FOREIGN KEY (org_id, participant_id) REFERENCES participants(org_id, id)
);
CREATE INDEX identity_history_participant ON identity_history(participant_id);
