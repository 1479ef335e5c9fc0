-- Tamper evidence for the audit trail (issue #14): every event carries a keyed MAC, and a
-- sealer chains events in the order it sees them (audit_chain), so a changed, inserted or
-- removed event is named by `stegvis audit verify`. Rows from before this migration are
-- chained later as "legacy" in background batches, never here.
ALTER TABLE audit_events ADD COLUMN mac BLOB;
ALTER TABLE audit_events ADD COLUMN mac_key INTEGER;

-- Events written but not yet chained; the trigger makes every insert land here, whoever
-- writes it, so the sealer needs no scan of the whole trail.
CREATE TABLE audit_pending (event_id BLOB NOT NULL PRIMARY KEY);
CREATE TRIGGER audit_events_pending AFTER INSERT ON audit_events
BEGIN INSERT INTO audit_pending (event_id) VALUES (NEW.id); END;

CREATE TABLE audit_chain (
    pos INTEGER NOT NULL PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('event', 'legacy')),
    event_id BLOB NOT NULL UNIQUE,
    event_at TEXT NOT NULL,
    event_digest BLOB NOT NULL,
    link_hash BLOB NOT NULL,
    sealed_at TEXT NOT NULL
);
CREATE TRIGGER audit_chain_no_update BEFORE UPDATE ON audit_chain
BEGIN SELECT RAISE(ABORT, 'audit_chain is append-only'); END;
CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain
BEGIN SELECT RAISE(ABORT, 'audit_chain is append-only'); END;

-- Where legacy sealing stops: the newest event at upgrade (an index lookup, not a scan), and
-- whether it has finished (then no unsigned event is ever chained again).
CREATE TABLE audit_chain_state (
    id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    legacy_until TEXT,
    legacy_done INTEGER NOT NULL
);
INSERT INTO audit_chain_state (id, legacy_until, legacy_done)
SELECT 1, MAX(at), CASE WHEN MAX(at) IS NULL THEN 1 ELSE 0 END FROM audit_events;

CREATE TABLE audit_verifications (
    id BLOB NOT NULL PRIMARY KEY,
    at TEXT NOT NULL,
    by_user_id BLOB,
    by_name TEXT NOT NULL,
    ok INTEGER NOT NULL,
    head_pos INTEGER NOT NULL,
    head_hash BLOB,
    events INTEGER NOT NULL,
    problems INTEGER NOT NULL,
    first_problem TEXT
);
CREATE INDEX audit_verifications_at ON audit_verifications(at);
CREATE TRIGGER audit_verifications_no_update BEFORE UPDATE ON audit_verifications
BEGIN SELECT RAISE(ABORT, 'audit_verifications is append-only'); END;
CREATE TRIGGER audit_verifications_no_delete BEFORE DELETE ON audit_verifications
BEGIN SELECT RAISE(ABORT, 'audit_verifications is append-only'); END;
