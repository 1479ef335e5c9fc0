-- A checkpoint vouches for the whole chain up to `pos` with a MAC under a key that stays in the
-- key file. `stegvis keys retire` writes one before a key leaves the file, so the events that key
-- signed stay verifiable: their chain, not their own MAC, then proves them unchanged.
CREATE TABLE audit_checkpoints (
    pos INTEGER NOT NULL PRIMARY KEY,
    link_hash BLOB NOT NULL,
    mac_key INTEGER NOT NULL,
    mac BLOB NOT NULL,
    at TEXT NOT NULL
);
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
