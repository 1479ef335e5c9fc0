-- The keys this database was written with: ids and a check value derived from each key (never
-- the key), so a start with another key file is refused before anything is written.
CREATE TABLE key_ids (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id BETWEEN 1 AND 255),
    check_value BLOB NOT NULL,
    added_at TEXT NOT NULL,
    -- Set by `stegvis keys retire`: nothing is sealed under it any more, the line left the file.
    retired_at TEXT
);
-- One row (none until the keys are first recorded). While rotating_to is set, new values are
-- sealed under it and lookups try both the index key's hash and its hash.
CREATE TABLE key_state (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    encrypt_key INTEGER NOT NULL REFERENCES key_ids(id),
    index_key INTEGER NOT NULL REFERENCES key_ids(id),
    rotating_to INTEGER REFERENCES key_ids(id),
    -- Where a rotation goes on: 1 = participants, 2 = identity_history, after this id.
    rotation_phase INTEGER NOT NULL DEFAULT 0,
    rotation_after BLOB
);
