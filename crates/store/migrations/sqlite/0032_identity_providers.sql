-- Sign-in through OpenID Connect (issue #15). Keep in step with ../postgres/0032_identity_providers.sql.

-- An organisation's identity providers: its staff's (`staff`) or an e-legitimation broker for
-- its participants (`participants`). The client secret is never stored: only where it is read
-- (the name of an environment variable, or a file path).
CREATE TABLE identity_providers (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    issuer TEXT NOT NULL,
    client_id TEXT NOT NULL,
    secret_env TEXT,
    secret_file TEXT,
    scopes TEXT NOT NULL,
    purpose TEXT NOT NULL CHECK (purpose IN ('staff', 'participants')),
    groups_claim TEXT NOT NULL,
    identity_claim TEXT NOT NULL,
    created_at TEXT NOT NULL,
    disabled_at TEXT
);
CREATE INDEX identity_providers_org ON identity_providers(org_id);

-- A provider's group -> role mappings, tried in `position` order; the first match wins.
CREATE TABLE identity_provider_roles (
    provider_id BLOB NOT NULL REFERENCES identity_providers(id),
    position INTEGER NOT NULL,
    group_name TEXT NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (provider_id, position)
);

-- Staff of an organisation with local passwords off sign in through a provider only.
ALTER TABLE organisations ADD COLUMN local_passwords_off_at TEXT;

-- A user signed in through a provider is known by the provider's issuer and subject.
ALTER TABLE users ADD COLUMN oidc_issuer TEXT;
ALTER TABLE users ADD COLUMN oidc_subject TEXT;
CREATE UNIQUE INDEX users_oidc ON users(oidc_issuer, oidc_subject) WHERE oidc_subject IS NOT NULL;

-- A session begun through a provider keeps its ID token, for signing out at the provider too.
ALTER TABLE sessions ADD COLUMN provider_id BLOB;
ALTER TABLE sessions ADD COLUMN id_token TEXT;

-- Sign-ins under way: keyed by the hash of a random id held in a short-lived cookie; used once.
CREATE TABLE oidc_pending (
    id_hash BLOB PRIMARY KEY NOT NULL,
    provider_id BLOB NOT NULL REFERENCES identity_providers(id),
    state TEXT NOT NULL,
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    created_at TEXT NOT NULL
);
