-- Tamper evidence for the audit trail (issue #14): every event carries a keyed MAC, and a
-- sealer chains events in the order it sees them (audit_chain), so a changed, inserted or
-- removed event is named by `stegvis audit verify`. Rows from before this migration are
-- chained later as "legacy" in background batches, never here. Nullable columns without a
-- default: no table rewrite.
ALTER TABLE audit_events ADD COLUMN mac BYTEA;
ALTER TABLE audit_events ADD COLUMN mac_key SMALLINT;

-- Events written but not yet chained. A statement trigger (one insert per statement, not per
-- row) makes every insert land here, whoever writes it; writers take no shared lock, so
-- PostgreSQL's concurrent transactions stay concurrent. The sealer takes an advisory lock.
CREATE TABLE audit_pending (event_id UUID NOT NULL PRIMARY KEY);
CREATE FUNCTION stegvis_audit_pending() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit_pending (event_id) SELECT id FROM new_events;
    RETURN NULL;
END;
$$;
CREATE TRIGGER audit_events_pending AFTER INSERT ON audit_events
    REFERENCING NEW TABLE AS new_events
    FOR EACH STATEMENT EXECUTE FUNCTION stegvis_audit_pending();

CREATE TABLE audit_chain (
    pos BIGINT NOT NULL PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('event', 'legacy')),
    event_id UUID NOT NULL UNIQUE,
    event_at TIMESTAMPTZ NOT NULL,
    event_digest BYTEA NOT NULL,
    link_hash BYTEA NOT NULL,
    sealed_at TIMESTAMPTZ NOT NULL
);
CREATE TRIGGER audit_chain_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_chain
    FOR EACH STATEMENT EXECUTE FUNCTION stegvis_append_only();

-- Where legacy sealing stops: the newest event at upgrade (an index lookup, not a scan), and
-- whether it has finished (then no unsigned event is ever chained again).
CREATE TABLE audit_chain_state (
    id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    legacy_until TIMESTAMPTZ,
    legacy_done BOOLEAN NOT NULL
);
INSERT INTO audit_chain_state (id, legacy_until, legacy_done)
SELECT 1, MAX(at), MAX(at) IS NULL FROM audit_events;

CREATE TABLE audit_verifications (
    id UUID NOT NULL PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    by_user_id UUID,
    by_name TEXT NOT NULL,
    ok BOOLEAN NOT NULL,
    head_pos BIGINT NOT NULL,
    head_hash BYTEA,
    events BIGINT NOT NULL,
    problems BIGINT NOT NULL,
    first_problem TEXT
);
CREATE INDEX audit_verifications_at ON audit_verifications(at);
CREATE TRIGGER audit_verifications_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_verifications
    FOR EACH STATEMENT EXECUTE FUNCTION stegvis_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_chain, audit_verifications FROM PUBLIC;
