//! Users, server-side sessions and API tokens.

use crate::{Audited, Result, Store, Tx, exec, fetch_all, fetch_optional};
use time::OffsetDateTime;
use uuid::Uuid;

#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UserRow {
    pub id: Uuid,
    pub org_id: Uuid,
    pub email: String,
    pub name: String,
    pub role: stegvis_domain::Role,
    pub password_hash: Option<String>,
    pub participant_id: Option<Uuid>,
    pub created_at: OffsetDateTime,
    pub disabled_at: Option<OffsetDateTime>,
}

impl std::fmt::Debug for UserRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRow")
            .field("id", &self.id)
            .field("org_id", &self.org_id)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

/// A live session as stored: the id itself is kept only as a hash.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SessionRow {
    pub user_id: Uuid,
    pub csrf_token: String,
    pub created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
}

impl Tx {
    pub async fn insert_user(&mut self, u: &UserRow) -> Result<()> {
        exec!(
            self,
            "INSERT INTO users (id, org_id, email, name, role, password_hash, participant_id, created_at, disabled_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            u.id,
            u.org_id,
            &u.email,
            &u.name,
            u.role.code(),
            &u.password_hash,
            u.participant_id,
            u.created_at,
            u.disabled_at,
        )?;
        Ok(())
    }

    pub async fn user_by_email(&mut self, email: &str) -> Result<Option<UserRow>> {
        Ok(fetch_optional!(
            self,
            UserRow,
            "SELECT id, org_id, email, name, role, password_hash, participant_id, created_at, disabled_at
             FROM users WHERE email = $1",
            email
        )?)
    }

    pub async fn user(&mut self, id: Uuid) -> Result<Option<UserRow>> {
        Ok(fetch_optional!(
            self,
            UserRow,
            "SELECT id, org_id, email, name, role, password_hash, participant_id, created_at, disabled_at
             FROM users WHERE id = $1",
            id
        )?)
    }

    pub async fn users_of_org(&mut self, org_id: Uuid) -> Result<Vec<UserRow>> {
        Ok(fetch_all!(
            self,
            UserRow,
            "SELECT id, org_id, email, name, role, password_hash, participant_id, created_at, disabled_at
             FROM users WHERE org_id = $1 ORDER BY name",
            org_id
        )?)
    }

    /// The ids of an organisation's users with `role`, by name.
    pub async fn users_with_role(
        &mut self,
        org_id: Uuid,
        role: stegvis_domain::Role,
    ) -> Result<Vec<Uuid>> {
        let rows = fetch_all!(
            self,
            (Uuid,),
            "SELECT id FROM users WHERE org_id = $1 AND role = $2 ORDER BY name, id",
            org_id,
            role.code()
        )?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    pub async fn set_password_hash(&mut self, user_id: Uuid, hash: &str) -> Result<()> {
        exec!(
            self,
            "UPDATE users SET password_hash = $1 WHERE id = $2",
            hash,
            user_id
        )?;
        Ok(())
    }

    pub async fn insert_session(&mut self, id_hash: &[u8], s: &SessionRow) -> Result<()> {
        exec!(
            self,
            "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at)
             VALUES ($1, $2, $3, $4, $5)",
            id_hash,
            s.user_id,
            &s.csrf_token,
            s.created_at,
            s.last_seen_at,
        )?;
        Ok(())
    }

    pub async fn touch_session(&mut self, id_hash: &[u8], at: OffsetDateTime) -> Result<()> {
        exec!(
            self,
            "UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2",
            at,
            id_hash
        )?;
        Ok(())
    }

    pub async fn delete_session(&mut self, id_hash: &[u8]) -> Result<()> {
        exec!(self, "DELETE FROM sessions WHERE id_hash = $1", id_hash)?;
        Ok(())
    }

    /// Removes sessions idle since `idle_before` or created before `created_before`.
    pub async fn delete_expired_sessions(
        &mut self,
        idle_before: OffsetDateTime,
        created_before: OffsetDateTime,
    ) -> Result<u64> {
        Ok(exec!(
            self,
            "DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2",
            idle_before,
            created_before
        )?)
    }
}

impl Audited {
    /// A user, read inside a case transaction (a coach's name, a coach to assign).
    pub async fn staff_user(&mut self, id: Uuid) -> Result<Option<UserRow>> {
        self.tx.user(id).await
    }
}

impl Store {
    /// A session by the hash of its cookie, as one statement on the pool: a session lookup on
    /// every cookie request needs no transaction of its own.
    pub async fn lookup_session(&self, id_hash: &[u8]) -> Result<Option<SessionRow>> {
        Ok(crate::db::pool_fetch_optional!(
            self,
            SessionRow,
            "SELECT user_id, csrf_token, created_at, last_seen_at FROM sessions WHERE id_hash = $1",
            id_hash
        )?)
    }

    /// [`Tx::user`] as one statement on the pool.
    pub async fn lookup_user(&self, id: Uuid) -> Result<Option<UserRow>> {
        Ok(crate::db::pool_fetch_optional!(
            self,
            UserRow,
            "SELECT id, org_id, email, name, role, password_hash, participant_id, created_at, disabled_at
             FROM users WHERE id = $1",
            id
        )?)
    }

    /// The user behind a live API token (not revoked, not expired at `now`), as one statement on
    /// the pool (every API request asks it).
    pub async fn lookup_token_user(
        &self,
        token_hash: &[u8],
        now: OffsetDateTime,
    ) -> Result<Option<UserRow>> {
        Ok(crate::db::pool_fetch_optional!(
            self,
            UserRow,
            "SELECT u.id, u.org_id, u.email, u.name, u.role, u.password_hash, u.participant_id,
                    u.created_at, u.disabled_at
             FROM api_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL
               AND (t.expires_at IS NULL OR t.expires_at > $2)",
            token_hash,
            now
        )?)
    }
}
