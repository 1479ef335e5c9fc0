-- Administration (issue #12): first start, organisations' parents, partners and administrators,
-- accounts that can be deactivated, one-time links, named API tokens that expire, and where the
-- database came from. Keep in step with ../postgres/0022_administration.sql.

-- Where the database came from: `setup` (a real organisation's) or `demo`. One row at most; a
-- database without one holds nothing yet, or predates this migration.
CREATE TABLE installation (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    origin TEXT NOT NULL,
    created_at TEXT NOT NULL
);
-- A database the demo filled before this migration keeps being the demo's.
INSERT INTO installation (id, origin, created_at)
SELECT 1, 'demo', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
WHERE EXISTS (SELECT 1 FROM users WHERE email LIKE '%@demo.stegvis.se');

-- A regional roll-up's parent; the organisation whose administrators keep this one (its own
-- when none); a version for corrections that must not overwrite each other.
ALTER TABLE organisations ADD COLUMN parent_org_id BLOB REFERENCES organisations(id);
ALTER TABLE organisations ADD COLUMN managed_by BLOB REFERENCES organisations(id);
ALTER TABLE organisations ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- The organisations an organisation works with.
CREATE TABLE organisation_partners (
    org_id BLOB NOT NULL REFERENCES organisations(id),
    partner_org_id BLOB NOT NULL REFERENCES organisations(id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (org_id, partner_org_id)
);

ALTER TABLE users ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
CREATE UNIQUE INDEX users_participant ON users(participant_id) WHERE participant_id IS NOT NULL;

-- One-time links: the first start's setup, an invitation, a password reset, a participant's
-- activation. Only a hash of the code is kept.
CREATE TABLE account_links (
    id BLOB PRIMARY KEY NOT NULL,
    purpose TEXT NOT NULL,
    code_hash BLOB NOT NULL UNIQUE,
    user_id BLOB REFERENCES users(id),
    created_by BLOB REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    withdrawn_at TEXT
);
CREATE INDEX account_links_user ON account_links(user_id);

-- API tokens have a name and an expiry; those made before get one 90 days from now.
ALTER TABLE api_tokens ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
UPDATE api_tokens SET name = 'CLI', expires_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+90 days');
CREATE INDEX api_tokens_user ON api_tokens(user_id);
