//! OpenID Connect identity providers, their group -> role mappings, sign-ins under way, and the
//! organisations' "local passwords off" switch. No personal data: the participant a sign-in
//! finds is looked up through [`crate::Audited`].

use crate::db::{pool_fetch_all, pool_fetch_optional};
use crate::user::UserRow;
use crate::{Result, Store, Tx, exec, fetch_all, fetch_optional, fetch_scalar};
use stegvis_domain::Role;
use time::OffsetDateTime;
use uuid::Uuid;

/// An identity provider as stored; the client secret is only named (environment or file).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ProviderRow {
    pub id: Uuid,
    pub org_id: Uuid,
    pub name: String,
    pub issuer: String,
    pub client_id: String,
    pub secret_env: Option<String>,
    pub secret_file: Option<String>,
    pub scopes: String,
    /// `staff` or `participants`.
    pub purpose: String,
    pub groups_claim: String,
    pub identity_claim: String,
    pub created_at: OffsetDateTime,
    pub disabled_at: Option<OffsetDateTime>,
}

/// One group -> role mapping of a provider.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RoleMapping {
    pub group_name: String,
    pub role: Role,
}

/// A sign-in under way.
#[derive(Clone, sqlx::FromRow)]
pub struct PendingRow {
    pub provider_id: Uuid,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub created_at: OffsetDateTime,
}

impl std::fmt::Debug for PendingRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingRow")
            .field("provider_id", &self.provider_id)
            .finish_non_exhaustive()
    }
}

const PROVIDER_COLUMNS: &str = "id, org_id, name, issuer, client_id, secret_env, secret_file, scopes, purpose, groups_claim, identity_claim, created_at, disabled_at";

impl Tx {
    pub async fn insert_provider(&mut self, p: &ProviderRow) -> Result<()> {
        exec!(
            self,
            "INSERT INTO identity_providers (id, org_id, name, issuer, client_id, secret_env, secret_file,
                 scopes, purpose, groups_claim, identity_claim, created_at, disabled_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            p.id,
            p.org_id,
            &p.name,
            &p.issuer,
            &p.client_id,
            &p.secret_env,
            &p.secret_file,
            &p.scopes,
            &p.purpose,
            &p.groups_claim,
            &p.identity_claim,
            p.created_at,
            p.disabled_at,
        )?;
        Ok(())
    }

    /// Everything but the id, the organisation and the creation time.
    pub async fn update_provider(&mut self, p: &ProviderRow) -> Result<u64> {
        Ok(exec!(
            self,
            "UPDATE identity_providers SET name = $1, issuer = $2, client_id = $3, secret_env = $4,
                 secret_file = $5, scopes = $6, purpose = $7, groups_claim = $8, identity_claim = $9,
                 disabled_at = $10
             WHERE id = $11 AND org_id = $12",
            &p.name,
            &p.issuer,
            &p.client_id,
            &p.secret_env,
            &p.secret_file,
            &p.scopes,
            &p.purpose,
            &p.groups_claim,
            &p.identity_claim,
            p.disabled_at,
            p.id,
            p.org_id,
        )?)
    }

    pub async fn provider(&mut self, id: Uuid) -> Result<Option<ProviderRow>> {
        let sql = format!("SELECT {PROVIDER_COLUMNS} FROM identity_providers WHERE id = $1");
        Ok(fetch_optional!(
            self,
            ProviderRow,
            sqlx::AssertSqlSafe(sql),
            id
        )?)
    }

    pub async fn providers_of_org(&mut self, org_id: Uuid) -> Result<Vec<ProviderRow>> {
        let sql = format!(
            "SELECT {PROVIDER_COLUMNS} FROM identity_providers WHERE org_id = $1 ORDER BY name, id"
        );
        Ok(fetch_all!(
            self,
            ProviderRow,
            sqlx::AssertSqlSafe(sql),
            org_id
        )?)
    }

    pub async fn role_mappings(&mut self, provider_id: Uuid) -> Result<Vec<RoleMapping>> {
        Ok(fetch_all!(
            self,
            RoleMapping,
            "SELECT group_name, role FROM identity_provider_roles WHERE provider_id = $1 ORDER BY position",
            provider_id
        )?)
    }

    /// Replaces a provider's mappings, in order.
    pub async fn set_role_mappings(
        &mut self,
        provider_id: Uuid,
        mappings: &[RoleMapping],
    ) -> Result<()> {
        exec!(
            self,
            "DELETE FROM identity_provider_roles WHERE provider_id = $1",
            provider_id
        )?;
        for (i, m) in mappings.iter().enumerate() {
            exec!(
                self,
                "INSERT INTO identity_provider_roles (provider_id, position, group_name, role)
                 VALUES ($1, $2, $3, $4)",
                provider_id,
                i as i64,
                &m.group_name,
                m.role.code(),
            )?;
        }
        Ok(())
    }

    pub async fn local_passwords_off(&mut self, org_id: Uuid) -> Result<bool> {
        let n = fetch_scalar!(
            self,
            i64,
            "SELECT COUNT(*) FROM organisations WHERE id = $1 AND local_passwords_off_at IS NOT NULL",
            org_id
        )?;
        Ok(n > 0)
    }

    pub async fn set_local_passwords_off(
        &mut self,
        org_id: Uuid,
        off_since: Option<OffsetDateTime>,
    ) -> Result<()> {
        exec!(
            self,
            "UPDATE organisations SET local_passwords_off_at = $1 WHERE id = $2",
            off_since,
            org_id
        )?;
        Ok(())
    }

    pub async fn insert_pending(&mut self, id_hash: &[u8], p: &PendingRow) -> Result<()> {
        exec!(
            self,
            "INSERT INTO oidc_pending (id_hash, provider_id, state, nonce, pkce_verifier, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
            id_hash,
            p.provider_id,
            &p.state,
            &p.nonce,
            &p.pkce_verifier,
            p.created_at,
        )?;
        Ok(())
    }

    /// Takes a sign-in under way out of the table: a second callback with the same cookie finds
    /// nothing, even when two arrive at once (only the one whose delete counts gets it).
    pub async fn take_pending(&mut self, id_hash: &[u8]) -> Result<Option<PendingRow>> {
        let row = fetch_optional!(
            self,
            PendingRow,
            "SELECT provider_id, state, nonce, pkce_verifier, created_at FROM oidc_pending WHERE id_hash = $1",
            id_hash
        )?;
        let deleted = exec!(self, "DELETE FROM oidc_pending WHERE id_hash = $1", id_hash)?;
        Ok(row.filter(|_| deleted == 1))
    }

    pub async fn delete_expired_pending(&mut self, created_before: OffsetDateTime) -> Result<u64> {
        Ok(exec!(
            self,
            "DELETE FROM oidc_pending WHERE created_at < $1",
            created_before
        )?)
    }

    pub async fn user_by_subject(
        &mut self,
        issuer: &str,
        subject: &str,
    ) -> Result<Option<UserRow>> {
        Ok(fetch_optional!(
            self,
            UserRow,
            "SELECT id, org_id, email, name, role, password_hash, participant_id, created_at, disabled_at
             FROM users WHERE oidc_issuer = $1 AND oidc_subject = $2",
            issuer,
            subject
        )?)
    }

    /// A participant's own account, whatever its state.
    pub async fn participant_account_user(
        &mut self,
        participant_id: Uuid,
    ) -> Result<Option<UserRow>> {
        Ok(fetch_optional!(
            self,
            UserRow,
            "SELECT id, org_id, email, name, role, password_hash, participant_id, created_at, disabled_at
             FROM users WHERE participant_id = $1",
            participant_id
        )?)
    }

    pub async fn bind_subject(&mut self, user_id: Uuid, issuer: &str, subject: &str) -> Result<()> {
        exec!(
            self,
            "UPDATE users SET oidc_issuer = $1, oidc_subject = $2 WHERE id = $3",
            issuer,
            subject,
            user_id
        )?;
        Ok(())
    }

    /// A role from the provider's groups: the account's version moves, as an administrator's
    /// change would move it.
    pub async fn set_role_from_provider(&mut self, user_id: Uuid, role: Role) -> Result<()> {
        exec!(
            self,
            "UPDATE users SET role = $1, version = version + 1 WHERE id = $2 AND role <> $1",
            role.code(),
            user_id
        )?;
        Ok(())
    }

    /// Marks a new session as begun through `provider_id`, with the ID token for signing out.
    pub async fn set_session_provider(
        &mut self,
        id_hash: &[u8],
        provider_id: Uuid,
        id_token: &str,
    ) -> Result<()> {
        exec!(
            self,
            "UPDATE sessions SET provider_id = $1, id_token = $2 WHERE id_hash = $3",
            provider_id,
            id_token,
            id_hash
        )?;
        Ok(())
    }

    /// The provider and ID token of a session begun through a provider.
    pub async fn session_provider(&mut self, id_hash: &[u8]) -> Result<Option<(Uuid, String)>> {
        Ok(fetch_optional!(
            self,
            (Uuid, String),
            "SELECT provider_id, id_token FROM sessions
             WHERE id_hash = $1 AND provider_id IS NOT NULL AND id_token IS NOT NULL",
            id_hash
        )?)
    }
}

impl Store {
    /// Every enabled provider of `purpose`, for the log-in page's buttons.
    pub async fn enabled_providers(&self, purpose: &str) -> Result<Vec<ProviderRow>> {
        Ok(pool_fetch_all!(
            self,
            ProviderRow,
            "SELECT id, org_id, name, issuer, client_id, secret_env, secret_file, scopes, purpose,
                    groups_claim, identity_claim, created_at, disabled_at
             FROM identity_providers WHERE disabled_at IS NULL AND purpose = $1 ORDER BY name, id",
            purpose
        )?)
    }

    /// Whether there are organisations and every one has local passwords off.
    pub async fn local_passwords_off_everywhere(&self) -> Result<bool> {
        let row = pool_fetch_optional!(
            self,
            (i64, i64),
            "SELECT COUNT(*), COUNT(local_passwords_off_at) FROM organisations",
        )?;
        Ok(row.is_some_and(|(all, off)| all > 0 && all == off))
    }
}
