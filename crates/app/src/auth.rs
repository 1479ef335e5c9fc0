//! Log-in: argon2id passwords, server-side sessions (idle 30 min, absolute 10 h, a new id at every
//! log-in), CSRF tokens bound to the session, a log-in rate limit, and API bearer tokens.

use crate::{Actor, App, AppError, Result};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use stegvis_domain::Role;
use stegvis_store::user::{SessionRow, UserRow};
use time::{Duration, OffsetDateTime};

/// A session ends after this long without a request.
pub const IDLE_TIMEOUT: Duration = Duration::minutes(30);
/// A session ends this long after log-in, however active.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(10);
const FAILURE_WINDOW: Duration = Duration::minutes(15);
const MAX_FAILURES_PER_ACCOUNT: usize = 5;
const MAX_FAILURES_PER_CLIENT: usize = 20;
const PRUNE_ABOVE: usize = 10_000;
/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Counts failed log-ins per account and per client address within a window.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, Vec<OffsetDateTime>>>,
}

impl LoginLimiter {
    fn recent(&self, key: &str, now: OffsetDateTime) -> usize {
        let mut map = self.failures.lock().expect("limiter lock");
        let Some(list) = map.get_mut(key) else {
            return 0;
        };
        list.retain(|t| now - *t < FAILURE_WINDOW);
        let n = list.len();
        if n == 0 {
            map.remove(key);
        }
        n
    }

    #[cfg(test)]
    fn keys(&self) -> usize {
        self.failures.lock().expect("limiter lock").len()
    }

    fn fail(&self, key: &str, now: OffsetDateTime) {
        let mut map = self.failures.lock().expect("limiter lock");
        // Sprayed user names must not grow memory without bound: forget quiet keys now and then.
        if map.len() >= PRUNE_ABOVE {
            map.retain(|_, list| list.iter().any(|t| now - *t < FAILURE_WINDOW));
        }
        map.entry(key.to_owned()).or_default().push(now);
    }

    fn clear(&self, key: &str) {
        self.failures.lock().expect("limiter lock").remove(key);
    }
}

/// What the browser gets at log-in: the cookie value and the form token.
#[derive(Clone)]
pub struct NewSession {
    pub token: String,
    pub csrf: String,
}

impl std::fmt::Debug for NewSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewSession(<redacted>)")
    }
}

/// A live session: who, and the CSRF token its forms must carry.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub actor: Actor,
    pub csrf: String,
}

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Session ids and API tokens are 256-bit random, so a fast hash is enough to store them.
fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Hashes a password with argon2id (the crate's default parameters follow OWASP's minimum).
pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("argon2: {e}")))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Verified against when the account does not exist, so timing does not reveal which e-mails exist.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("not a real password").expect("argon2 works"))
}

pub(crate) fn actor_of(u: &UserRow) -> Result<Actor> {
    Ok(Actor {
        user_id: u.id,
        org_id: u.org_id,
        role: Role::from_code(&u.role).map_err(|e| AppError::Internal(e.to_string()))?,
        name: u.name.clone(),
        participant_id: u.participant_id,
    })
}

impl App {
    /// Checks e-mail and password; on success starts a new session (a fresh id every time).
    pub async fn login(&self, email: &str, password: &str, client: &str) -> Result<NewSession> {
        let now = self.now();
        let email = email.trim().to_lowercase();
        let account_key = format!("account:{email}");
        let client_key = format!("client:{client}");
        if self.limiter.recent(&account_key, now) >= MAX_FAILURES_PER_ACCOUNT
            || self.limiter.recent(&client_key, now) >= MAX_FAILURES_PER_CLIENT
        {
            return Err(AppError::TooManyAttempts);
        }
        let mut tx = self.store.begin().await?;
        let user = tx.user_by_email(&email).await?;
        let hash = user.as_ref().and_then(|u| u.password_hash.clone());
        let ok = verify_password(password, hash.as_deref().unwrap_or(dummy_hash()))
            && hash.is_some()
            && user.as_ref().is_some_and(|u| u.disabled_at.is_none());
        let Some(user) = user.filter(|_| ok) else {
            self.limiter.fail(&account_key, now);
            self.limiter.fail(&client_key, now);
            return Err(AppError::Unauthenticated);
        };
        self.limiter.clear(&account_key);
        let session = NewSession {
            token: random_token(),
            csrf: random_token(),
        };
        tx.delete_expired_sessions(now - IDLE_TIMEOUT, now - ABSOLUTE_TIMEOUT)
            .await?;
        tx.insert_session(
            &token_hash(&session.token),
            &SessionRow {
                user_id: user.id,
                csrf_token: session.csrf.clone(),
                created_at: now,
                last_seen_at: now,
            },
        )
        .await?;
        tx.commit().await?;
        tracing::info!(user = %user.id, "login");
        Ok(session)
    }

    /// The live session behind a cookie value; expired sessions are removed.
    pub async fn session(&self, token: &str) -> Result<Option<SessionInfo>> {
        let now = self.now();
        let hash = token_hash(token);
        let mut tx = self.store.begin().await?;
        let Some(s) = tx.session(&hash).await? else {
            return Ok(None);
        };
        if now - s.last_seen_at > IDLE_TIMEOUT || now - s.created_at > ABSOLUTE_TIMEOUT {
            tx.delete_session(&hash).await?;
            tx.commit().await?;
            return Ok(None);
        }
        let user = tx
            .user(s.user_id)
            .await?
            .filter(|u| u.disabled_at.is_none());
        let Some(user) = user else {
            return Ok(None);
        };
        // Touch at most once a minute: a write per request would serialise SQLite for nothing.
        if now - s.last_seen_at > Duration::minutes(1) {
            tx.touch_session(&hash, now).await?;
        }
        tx.commit().await?;
        Ok(Some(SessionInfo {
            actor: actor_of(&user)?,
            csrf: s.csrf_token,
        }))
    }

    pub async fn logout(&self, token: &str) -> Result<()> {
        let mut tx = self.store.begin().await?;
        tx.delete_session(&token_hash(token)).await?;
        tx.commit().await.map_err(AppError::from)
    }

    /// The user behind an API bearer token.
    pub async fn token_actor(&self, token: &str) -> Result<Option<Actor>> {
        let mut tx = self.store.begin().await?;
        let user = tx.user_by_token(&token_hash(token)).await?;
        tx.commit().await?;
        user.filter(|u| u.disabled_at.is_none())
            .map(|u| actor_of(&u))
            .transpose()
    }

    /// Creates an API token for a user (CLI); the token is shown once and stored only as a hash.
    pub async fn create_api_token(&self, email: &str) -> Result<String> {
        let mut tx = self.store.begin().await?;
        let user = tx
            .user_by_email(&email.trim().to_lowercase())
            .await?
            .ok_or(AppError::NotFound)?;
        let token = format!("stv_{}", random_token());
        tx.insert_api_token(
            uuid::Uuid::now_v7(),
            user.id,
            &token_hash(&token),
            self.now(),
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_round_trip() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong horse battery", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn limiter_counts_within_the_window_only() {
        let l = LoginLimiter::default();
        let t0 = OffsetDateTime::UNIX_EPOCH;
        for _ in 0..5 {
            l.fail("k", t0);
        }
        assert_eq!(l.recent("k", t0 + Duration::minutes(14)), 5);
        assert_eq!(l.recent("k", t0 + Duration::minutes(16)), 0);
        assert_eq!(l.keys(), 0, "a quiet key is forgotten");
    }

    #[test]
    fn limiter_memory_stays_bounded_under_spraying() {
        let l = LoginLimiter::default();
        let t0 = OffsetDateTime::UNIX_EPOCH;
        for i in 0..PRUNE_ABOVE {
            l.fail(&format!("account:{i}"), t0);
        }
        l.fail("account:late", t0 + Duration::minutes(20));
        assert_eq!(l.keys(), 1, "old keys pruned once the map is large");
    }
}
