//! Accounts as administrators and their holders keep them: roles, deactivation, one-time links
//! that set a password, named API tokens, and where the database came from (set up for real, or
//! the demo's). None of it is participants' data, except which participant an account belongs to.

use crate::{Audited, Result, StoreError, Tx, exec, fetch_all, fetch_optional, fetch_scalar};
use stegvis_domain::Role;
use stegvis_domain::account::LinkPurpose;
use time::OffsetDateTime;
use uuid::Uuid;

/// A user account as administration shows it: no password hash, only whether there is one.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AccountRow {
    pub id: Uuid,
    pub org_id: Uuid,
    pub org_name: String,
    /// The organisation whose administrators keep the account's organisation.
    pub admin_org_id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub participant_id: Option<Uuid>,
    pub has_password: bool,
    pub created_at: OffsetDateTime,
    pub disabled_at: Option<OffsetDateTime>,
    pub version: i64,
}

impl std::fmt::Debug for AccountRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountRow")
            .field("id", &self.id)
            .field("org_id", &self.org_id)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

/// A one-time link as stored: its code only as a hash.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LinkRow {
    pub id: Uuid,
    pub purpose: LinkPurpose,
    pub code_hash: Vec<u8>,
    pub user_id: Option<Uuid>,
    pub created_by: Option<Uuid>,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub used_at: Option<OffsetDateTime>,
    pub withdrawn_at: Option<OffsetDateTime>,
}

/// An API token as its holder sees it (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TokenRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub email: String,
    pub name: String,
    pub created_at: OffsetDateTime,
    pub expires_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
}

/// An account's columns, then `$rest` (a fixed query: no text is ever spliced in).
macro_rules! account_query {
    ($rest:literal) => {
        concat!(
            "SELECT u.id, u.org_id, o.name AS org_name,
                COALESCE(o.managed_by, o.id) AS admin_org_id, u.email, u.name, u.role,
                u.participant_id, (u.password_hash IS NOT NULL) AS has_password, u.created_at,
                u.disabled_at, u.version
             FROM users u JOIN organisations o ON o.id = u.org_id ",
            $rest
        )
    };
}

/// A token's columns, then `$rest`.
macro_rules! token_query {
    ($rest:literal) => {
        concat!(
            "SELECT t.id, t.user_id, u.email, t.name, t.created_at, t.expires_at, t.revoked_at
             FROM api_tokens t JOIN users u ON u.id = t.user_id ",
            $rest
        )
    };
}

fn stale_unless_one(rows: u64) -> Result<()> {
    if rows == 1 {
        Ok(())
    } else {
        Err(StoreError::Stale)
    }
}

impl Tx {
    /// The accounts of every organisation `admin_org` administers (itself and those it keeps),
    /// by name.
    pub async fn accounts_administered_by(&mut self, admin_org: Uuid) -> Result<Vec<AccountRow>> {
        Ok(fetch_all!(
            self,
            AccountRow,
            account_query!(
                "WHERE COALESCE(o.managed_by, o.id) = $1 ORDER BY u.name, u.email, u.id"
            ),
            admin_org
        )?)
    }

    pub async fn account(&mut self, id: Uuid) -> Result<Option<AccountRow>> {
        Ok(fetch_optional!(
            self,
            AccountRow,
            account_query!("WHERE u.id = $1"),
            id
        )?)
    }

    /// Whether any user account exists at all (a database nobody can log in to needs setting up).
    pub async fn any_user(&mut self) -> Result<bool> {
        Ok(fetch_optional!(self, (Uuid,), "SELECT id FROM users LIMIT 1")?.is_some())
    }

    /// Whether the database holds any organisation, user, project or participant.
    pub async fn holds_data(&mut self) -> Result<bool> {
        let n = fetch_scalar!(
            self,
            i64,
            "SELECT (SELECT COUNT(*) FROM organisations) + (SELECT COUNT(*) FROM users)
                  + (SELECT COUNT(*) FROM projects) + (SELECT COUNT(*) FROM participants)"
        )?;
        Ok(n > 0)
    }

    /// Where the database came from: `setup` or `demo`, or nothing yet.
    pub async fn installation_origin(&mut self) -> Result<Option<String>> {
        let row = fetch_optional!(
            self,
            (String,),
            "SELECT origin FROM installation WHERE id = 1"
        )?;
        Ok(row.map(|(o,)| o))
    }

    /// Records where the database came from; `Conflict` when that is already recorded.
    pub async fn set_installation_origin(
        &mut self,
        origin: &str,
        at: OffsetDateTime,
    ) -> Result<()> {
        exec!(
            self,
            "INSERT INTO installation (id, origin, created_at) VALUES (1, $1, $2)",
            origin,
            at
        )?;
        Ok(())
    }

    /// Gives an account `role`, if it is still at `version`.
    pub async fn set_account_role(&mut self, id: Uuid, role: Role, version: i64) -> Result<()> {
        stale_unless_one(exec!(
            self,
            "UPDATE users SET role = $1, version = version + 1 WHERE id = $2 AND version = $3",
            role.code(),
            id,
            version
        )?)
    }

    /// Switches an account off (`Some`) or on again (`None`), if it is still at `version`.
    pub async fn set_account_disabled(
        &mut self,
        id: Uuid,
        disabled_at: Option<OffsetDateTime>,
        version: i64,
    ) -> Result<()> {
        stale_unless_one(exec!(
            self,
            "UPDATE users SET disabled_at = $1, version = version + 1 WHERE id = $2 AND version = $3",
            disabled_at,
            id,
            version
        )?)
    }

    /// Sets an account's password hash (`None`: no password until a link sets one).
    pub async fn set_account_password(&mut self, id: Uuid, hash: Option<&str>) -> Result<()> {
        stale_unless_one(exec!(
            self,
            "UPDATE users SET password_hash = $1, version = version + 1 WHERE id = $2",
            hash,
            id
        )?)
    }

    /// A participant's account opened again: a new address, switched on, no password until the
    /// new activation.
    pub async fn reopen_account(&mut self, id: Uuid, email: &str) -> Result<()> {
        stale_unless_one(exec!(
            self,
            "UPDATE users SET email = $1, password_hash = NULL, disabled_at = NULL,
                version = version + 1 WHERE id = $2",
            email,
            id
        )?)
    }

    /// Ends every session of a user but the one whose id hashes to `keep`.
    pub async fn end_sessions_of(&mut self, user_id: Uuid, keep: Option<&[u8]>) -> Result<u64> {
        Ok(exec!(
            self,
            "DELETE FROM sessions WHERE user_id = $1 AND ($2 IS NULL OR id_hash <> $2)",
            user_id,
            keep
        )?)
    }

    pub async fn insert_link(&mut self, l: &LinkRow) -> Result<()> {
        exec!(
            self,
            "INSERT INTO account_links (id, purpose, code_hash, user_id, created_by, created_at,
                 expires_at, used_at, withdrawn_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            l.id,
            l.purpose.code(),
            &l.code_hash,
            l.user_id,
            l.created_by,
            l.created_at,
            l.expires_at,
            l.used_at,
            l.withdrawn_at,
        )?;
        Ok(())
    }

    pub async fn link_by_hash(&mut self, code_hash: &[u8]) -> Result<Option<LinkRow>> {
        Ok(fetch_optional!(
            self,
            LinkRow,
            "SELECT id, purpose, code_hash, user_id, created_by, created_at, expires_at, used_at,
                    withdrawn_at
             FROM account_links WHERE code_hash = $1",
            code_hash
        )?)
    }

    /// The newest link of an account that is neither used nor withdrawn (it may have expired).
    pub async fn open_link_of(&mut self, user_id: Uuid) -> Result<Option<LinkRow>> {
        Ok(fetch_optional!(
            self,
            LinkRow,
            "SELECT id, purpose, code_hash, user_id, created_by, created_at, expires_at, used_at,
                    withdrawn_at
             FROM account_links
             WHERE user_id = $1 AND used_at IS NULL AND withdrawn_at IS NULL
             ORDER BY created_at DESC, id DESC LIMIT 1",
            user_id
        )?)
    }

    /// Marks a link used; `Stale` when it was used or withdrawn meanwhile.
    pub async fn use_link(&mut self, id: Uuid, at: OffsetDateTime) -> Result<()> {
        stale_unless_one(exec!(
            self,
            "UPDATE account_links SET used_at = $1
             WHERE id = $2 AND used_at IS NULL AND withdrawn_at IS NULL",
            at,
            id
        )?)
    }

    /// Withdraws an account's open links (a newer one replaces them, or the account closes).
    pub async fn withdraw_links_of(&mut self, user_id: Uuid, at: OffsetDateTime) -> Result<u64> {
        Ok(exec!(
            self,
            "UPDATE account_links SET withdrawn_at = $1
             WHERE user_id = $2 AND used_at IS NULL AND withdrawn_at IS NULL",
            at,
            user_id
        )?)
    }

    /// Withdraws the open setup links (a newer one replaces them, or setup is done).
    pub async fn withdraw_setup_links(&mut self, at: OffsetDateTime) -> Result<u64> {
        Ok(exec!(
            self,
            "UPDATE account_links SET withdrawn_at = $1
             WHERE purpose = 'setup' AND used_at IS NULL AND withdrawn_at IS NULL",
            at
        )?)
    }

    pub async fn insert_named_token(
        &mut self,
        id: Uuid,
        user_id: Uuid,
        token_hash: &[u8],
        name: &str,
        created_at: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> Result<()> {
        exec!(
            self,
            "INSERT INTO api_tokens (id, user_id, token_hash, name, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
            id,
            user_id,
            token_hash,
            name,
            created_at,
            expires_at
        )?;
        Ok(())
    }

    /// A user's API tokens (`None`: every user's), newest first.
    pub async fn tokens(&mut self, user_id: Option<Uuid>) -> Result<Vec<TokenRow>> {
        Ok(fetch_all!(
            self,
            TokenRow,
            token_query!(
                "WHERE ($1 IS NULL OR t.user_id = $1) ORDER BY u.email, t.created_at DESC, t.id DESC"
            ),
            user_id
        )?)
    }

    pub async fn token(&mut self, id: Uuid) -> Result<Option<TokenRow>> {
        Ok(fetch_optional!(
            self,
            TokenRow,
            token_query!("WHERE t.id = $1"),
            id
        )?)
    }

    /// Revokes a token that is not revoked yet; returns whether it was.
    pub async fn revoke_token(&mut self, id: Uuid, at: OffsetDateTime) -> Result<bool> {
        Ok(exec!(
            self,
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
            at,
            id
        )? == 1)
    }

    /// Revokes every live token of a user (a deactivated account).
    pub async fn revoke_tokens_of(&mut self, user_id: Uuid, at: OffsetDateTime) -> Result<u64> {
        Ok(exec!(
            self,
            "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
            at,
            user_id
        )?)
    }
}

impl Audited {
    /// The transaction itself, for writes that hold no personal data (accounts, organisations,
    /// tokens): they are audited by this transaction's events and committed with them.
    pub fn plain(&mut self) -> &mut Tx {
        &mut self.tx
    }

    /// The account of a participant, read inside their record's transaction.
    pub async fn participant_account(
        &mut self,
        participant_id: Uuid,
    ) -> Result<Option<AccountRow>> {
        Ok(fetch_optional!(
            &mut self.tx,
            AccountRow,
            account_query!("WHERE u.participant_id = $1"),
            participant_id
        )?)
    }
}
