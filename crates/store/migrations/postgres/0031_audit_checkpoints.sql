-- A checkpoint vouches for the whole chain up to `pos` with a MAC under a key that stays in the
-- key file. `stegvis keys retire` writes one before a key leaves the file, so the events that key
-- signed stay verifiable: their chain, not their own MAC, then proves them unchanged.
CREATE TABLE audit_checkpoints (
    pos BIGINT NOT NULL PRIMARY KEY,
    link_hash BYTEA NOT NULL,
    mac_key SMALLINT NOT NULL,
    mac BYTEA NOT NULL,
    at TIMESTAMPTZ NOT NULL
);
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION stegvis_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_checkpoints FROM PUBLIC;
