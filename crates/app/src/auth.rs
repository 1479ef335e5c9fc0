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
    /// Reserves an attempt for every key, or refuses when any key is at its limit. Checking and
    /// counting under one lock means parallel guesses cannot slip past the limit.
    fn reserve(&self, keys: &[(&str, usize)], now: OffsetDateTime) -> bool {
        let mut map = self.failures.lock().expect("limiter lock");
        if map.len() >= PRUNE_ABOVE {
            // Sprayed user names must not grow memory without bound.
            map.retain(|_, list| list.iter().any(|t| now - *t < FAILURE_WINDOW));
        }
        let over = keys.iter().any(|(key, max)| {
            map.get(*key).is_some_and(|list| {
                list.iter().filter(|t| now - **t < FAILURE_WINDOW).count() >= *max
            })
        });
        if over {
            return false;
        }
        for (key, _) in keys {
            let list = map.entry((*key).to_owned()).or_default();
            list.retain(|t| now - *t < FAILURE_WINDOW);
            list.push(now);
        }
        true
    }

    /// A successful log-in: the account starts afresh and the client's attempt is given back.
    fn succeeded(&self, account_key: &str, client_key: &str) {
        let mut map = self.failures.lock().expect("limiter lock");
        map.remove(account_key);
        if let Some(list) = map.get_mut(client_key) {
            list.pop();
            if list.is_empty() {
                map.remove(client_key);
            }
        }
    }

    #[cfg(test)]
    fn keys(&self) -> usize {
        self.failures.lock().expect("limiter lock").len()
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
#[derive(Clone)]
pub struct SessionInfo {
    pub actor: Actor,
    pub csrf: String,
}

pub(crate) fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Session ids and API tokens are 256-bit random, so a fast hash is enough to store them.
/// Compares secrets (CSRF tokens, OpenID state) in time independent of where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub(crate) fn token_hash(token: &str) -> Vec<u8> {
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

pub(crate) fn verify_password(password: &str, hash: &str) -> bool {
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
        role: u.role,
        name: u.name.clone(),
        participant_id: u.participant_id,
    })
}

impl App {
    /// Reserves an attempt at a password under `key` (an account), as log-ins do.
    pub(crate) fn limiter_reserve(&self, key: &str) -> bool {
        self.limiter
            .reserve(&[(key, MAX_FAILURES_PER_ACCOUNT)], self.now())
    }

    /// The password was right: the account's attempts start afresh.
    pub(crate) fn limiter_clear(&self, key: &str) {
        self.limiter.succeeded(key, "");
    }

    /// Checks e-mail and password; on success starts a new session (a fresh id every time).
    pub async fn login(&self, email: &str, password: &str, client: &str) -> Result<NewSession> {
        let now = self.now();
        let email = email.trim().to_lowercase();
        let account_key = format!("account:{email}");
        let client_key = format!("client:{client}");
        let keys = [
            (account_key.as_str(), MAX_FAILURES_PER_ACCOUNT),
            (client_key.as_str(), MAX_FAILURES_PER_CLIENT),
        ];
        if !self.limiter.reserve(&keys, now) {
            return Err(AppError::TooManyAttempts);
        }
        let mut tx = self.store.begin_read().await?;
        let user = tx.user_by_email(&email).await?;
        tx.commit().await?;
        let hash = user.as_ref().and_then(|u| u.password_hash.clone());
        let password = password.to_owned();
        let checked = hash.clone().unwrap_or_else(|| dummy_hash().to_owned());
        // Argon2 takes tens of milliseconds of CPU: off the async workers, and no connection held.
        let verified = tokio::task::spawn_blocking(move || verify_password(&password, &checked))
            .await
            .map_err(|e| AppError::Internal(format!("password check: {e}")))?;
        let ok =
            verified && hash.is_some() && user.as_ref().is_some_and(|u| u.disabled_at.is_none());
        let Some(user) = user.filter(|_| ok) else {
            return Err(AppError::Unauthenticated);
        };
        self.limiter.succeeded(&account_key, &client_key);
        if self.password_refused_for(&user).await? {
            return Err(AppError::Conflict(crate::Text::new(
                "Din organisation loggar in via sin inloggningstjänst, inte med lösenord. Välj knappen för din organisation.",
                "Your organisation signs in through its identity provider, not with a password. Choose your organisation's button.",
            )));
        }
        let session = NewSession {
            token: random_token(),
            csrf: random_token(),
        };
        let mut tx = self.store.begin().await?;
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

    /// The live session behind a cookie value; expired sessions are removed. A plain read:
    /// only an expiry, or a touch at most once a minute, writes, in a short transaction of
    /// its own, so page views do not queue for the write lock.
    pub async fn session(&self, token: &str) -> Result<Option<SessionInfo>> {
        let now = self.now();
        let hash = token_hash(token);
        let Some(s) = self.store.lookup_session(&hash).await? else {
            return Ok(None);
        };
        if now - s.last_seen_at > IDLE_TIMEOUT || now - s.created_at > ABSOLUTE_TIMEOUT {
            let mut tx = self.store.begin().await?;
            tx.delete_session(&hash).await?;
            tx.commit().await?;
            return Ok(None);
        }
        let user = self
            .store
            .lookup_user(s.user_id)
            .await?
            .filter(|u| u.disabled_at.is_none());
        let Some(user) = user else {
            return Ok(None);
        };
        // Touch at most once a minute: a write per request would serialise SQLite for nothing.
        if now - s.last_seen_at > Duration::minutes(1) {
            let mut tx = self.store.begin().await?;
            tx.touch_session(&hash, now).await?;
            tx.commit().await?;
        }
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

    /// The user behind an API bearer token (one statement, no transaction).
    pub async fn token_actor(&self, token: &str) -> Result<Option<Actor>> {
        let user = self
            .store
            .lookup_token_user(&token_hash(token), self.now())
            .await?;
        user.filter(|u| u.disabled_at.is_none())
            .map(|u| actor_of(&u))
            .transpose()
    }

    /// Creates an API token for a user, named `CLI` and valid for the default 90 days, without
    /// an audit event: for the test suite and the demo's tooling. The command line's
    /// `token create` uses [`App::create_api_token_as_operator`], which is audited. The token is
    /// shown once and stored only as a hash.
    pub async fn create_api_token(&self, email: &str) -> Result<String> {
        let mut tx = self.store.begin().await?;
        let user = tx
            .user_by_email(&email.trim().to_lowercase())
            .await?
            .ok_or(AppError::NotFound)?;
        let token = format!("stv_{}", random_token());
        let expires_at = crate::local::swedish_midnight(
            self.today() + time::Duration::days(crate::accounts::TOKEN_DAYS + 1),
        );
        tx.insert_named_token(
            uuid::Uuid::now_v7(),
            user.id,
            &token_hash(&token),
            "CLI",
            self.now(),
            expires_at,
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }
}

impl std::fmt::Debug for SessionInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Personal data never reaches logs: ids only.
        f.debug_struct("SessionInfo")
            .field("actor", &self.actor)
            .finish_non_exhaustive()
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
            assert!(l.reserve(&[("k", 5)], t0));
        }
        assert!(!l.reserve(&[("k", 5)], t0 + Duration::minutes(14)));
        assert!(l.reserve(&[("k", 5)], t0 + Duration::minutes(16)));
    }

    #[test]
    fn parallel_guesses_cannot_pass_the_limit() {
        let l = std::sync::Arc::new(LoginLimiter::default());
        let t0 = OffsetDateTime::UNIX_EPOCH;
        let granted: usize = (0..30)
            .map(|_| {
                let l = l.clone();
                std::thread::spawn(move || l.reserve(&[("account:a", 5)], t0))
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|h| usize::from(h.join().unwrap()))
            .sum();
        assert_eq!(granted, 5);
    }

    #[test]
    fn success_clears_the_account_and_gives_back_the_clients_attempt() {
        let l = LoginLimiter::default();
        let t0 = OffsetDateTime::UNIX_EPOCH;
        assert!(l.reserve(&[("account:a", 5), ("client:c", 20)], t0));
        l.succeeded("account:a", "client:c");
        assert_eq!(l.keys(), 0);
    }

    #[test]
    fn limiter_memory_stays_bounded_under_spraying() {
        let l = LoginLimiter::default();
        let t0 = OffsetDateTime::UNIX_EPOCH;
        for i in 0..PRUNE_ABOVE {
            l.reserve(&[(&format!("account:{i}"), 5)], t0);
        }
        l.reserve(&[("account:late", 5)], t0 + Duration::minutes(20));
        assert_eq!(l.keys(), 1, "old keys pruned once the map is large");
    }
}
