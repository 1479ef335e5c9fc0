//! Sign-in through OpenID Connect providers: staff through their organisation's provider, and
//! participants through an e-legitimation broker. Authorization code flow with PKCE, state and
//! nonce; the provider is found by discovery; `openidconnect` verifies the ID token (signature,
//! issuer, audience, nonce, expiry). The sign-in under way is kept server-side, keyed by the
//! hash of a random id that only the browser's short-lived cookie holds, and is used once.

use crate::auth::{NewSession, random_token, token_hash};
use crate::error::Text;
use crate::policy::{self, Action, Function, RecordKind};
use crate::{Actor, App, AppError, FieldError, Result};
use base64::Engine as _;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken,
    IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    TokenResponse,
};
use serde_json::Value;
use stegvis_domain::{IdentityNumber, Role};
use stegvis_store::AuditEvent;
use stegvis_store::identity_provider::{PendingRow, ProviderRow, RoleMapping};
use stegvis_store::user::{SessionRow, UserRow};
use time::Duration;
use uuid::Uuid;

/// A sign-in must come back from the provider within this time.
pub const PENDING_TIMEOUT: Duration = Duration::minutes(10);
/// The claim that carries groups unless the provider says otherwise.
pub const DEFAULT_GROUPS_CLAIM: &str = "groups";
/// The claim that carries a participant's identity number unless the provider says otherwise
/// (the Swedish OIDC profile names it `https://id.oidc.se/claim/personalIdentityNumber`).
pub const DEFAULT_IDENTITY_CLAIM: &str = "personal_identity_number";
pub const PURPOSE_STAFF: &str = "staff";
pub const PURPOSE_PARTICIPANTS: &str = "participants";

/// A button on the log-in page.
#[derive(Debug, Clone)]
pub struct SignInButton {
    pub id: Uuid,
    pub name: String,
}

/// Where to send the browser to sign in, and the cookie that binds the answer to it.
pub struct Started {
    pub cookie: String,
    pub url: String,
}

impl std::fmt::Debug for Started {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Started(<redacted>)")
    }
}

/// What a finished sign-in gives.
#[derive(Debug)]
pub struct SignedIn {
    pub session: NewSession,
    /// A participant's own sign-in.
    pub participant: bool,
}

/// Why a sign-in was refused: the audit event's reason, and what the person is told.
#[derive(Debug)]
pub enum SignInError {
    /// The flow failed (state, token, ID token checks, provider unreachable): `reason` is audited.
    Failed(&'static str),
    /// The account is switched off.
    Deactivated,
    /// No participant of the broker's organisation has the number: nothing was created.
    NoParticipant,
    /// Something else went wrong (a database error).
    App(AppError),
}

impl From<AppError> for SignInError {
    fn from(e: AppError) -> Self {
        SignInError::App(e)
    }
}

impl From<stegvis_store::StoreError> for SignInError {
    fn from(e: stegvis_store::StoreError) -> Self {
        SignInError::App(e.into())
    }
}

/// A provider as an administrator sees it.
#[derive(Debug, Clone)]
pub struct ProviderView {
    pub id: Uuid,
    pub name: String,
    pub issuer: String,
    pub client_id: String,
    pub secret_env: Option<String>,
    pub secret_file: Option<String>,
    pub scopes: String,
    pub purpose: String,
    pub groups_claim: String,
    pub identity_claim: String,
    pub enabled: bool,
    pub mappings: Vec<RoleMapping>,
}

/// A provider as an administrator enters it. `mappings`: one `group = role` per line.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ProviderInput {
    pub name: String,
    pub issuer: String,
    pub client_id: String,
    pub secret_env: String,
    pub secret_file: String,
    pub scopes: String,
    pub purpose: String,
    pub groups_claim: String,
    pub identity_claim: String,
    pub enabled: bool,
    pub mappings: String,
}

/// The organisation's providers and its switch.
#[derive(Debug, Clone)]
pub struct SignInSettings {
    pub providers: Vec<ProviderView>,
    pub local_passwords_off: bool,
}

fn http_client() -> std::result::Result<openidconnect::reqwest::Client, &'static str> {
    openidconnect::reqwest::ClientBuilder::new()
        // Following redirects would open the server to SSRF through a provider's answers.
        .redirect(openidconnect::reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(15))
        .build()
        .map_err(|_| "http_client")
}

/// The client secret, read where the provider's row says: never from the database.
fn client_secret(p: &ProviderRow) -> std::result::Result<Option<ClientSecret>, &'static str> {
    if let Some(var) = p.secret_env.as_deref().filter(|v| !v.is_empty()) {
        return std::env::var(var)
            .map(|s| Some(ClientSecret::new(s.trim().to_owned())))
            .map_err(|_| "secret_missing");
    }
    if let Some(path) = p.secret_file.as_deref().filter(|v| !v.is_empty()) {
        return std::fs::read_to_string(path)
            .map(|s| Some(ClientSecret::new(s.trim().to_owned())))
            .map_err(|_| "secret_missing");
    }
    Ok(None)
}

type Client = openidconnect::core::CoreClient<
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

/// Discovery: the issuer in the document must be the configured one (the crate checks it).
async fn client_for(
    p: &ProviderRow,
    redirect_uri: &str,
    http: &openidconnect::reqwest::Client,
) -> std::result::Result<Client, &'static str> {
    let issuer = IssuerUrl::new(p.issuer.clone()).map_err(|_| "issuer_url")?;
    let meta = CoreProviderMetadata::discover_async(issuer, http)
        .await
        .map_err(|e| {
            tracing::warn!(provider = %p.id, error = %e, "discovery failed");
            match e {
                openidconnect::DiscoveryError::Validation(_) => "wrong_issuer",
                _ => "discovery",
            }
        })?;
    let redirect = RedirectUrl::new(redirect_uri.to_owned()).map_err(|_| "redirect_uri")?;
    Ok(CoreClient::from_provider_metadata(
        meta,
        ClientId::new(p.client_id.clone()),
        client_secret(p)?,
    )
    .set_redirect_uri(redirect))
}

fn claims_reason(e: &ClaimsVerificationError) -> &'static str {
    match e {
        ClaimsVerificationError::InvalidAudience(_) => "wrong_audience",
        ClaimsVerificationError::InvalidIssuer(_) => "wrong_issuer",
        ClaimsVerificationError::InvalidNonce(_) => "wrong_nonce",
        ClaimsVerificationError::Expired(_) => "expired",
        ClaimsVerificationError::SignatureVerification(_) => "bad_signature",
        _ => "invalid_id_token",
    }
}

/// The ID token's own claims as JSON, read after the crate verified the token: groups and
/// the identity number live under names each provider chooses.
fn raw_claims(token: &str) -> serde_json::Map<String, Value> {
    use base64::Engine;
    token
        .split('.')
        .nth(1)
        .and_then(|p| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(p.trim_end_matches('='))
                .ok()
        })
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        .and_then(|v| match v {
            Value::Object(m) => Some(m),
            _ => None,
        })
        .unwrap_or_default()
}

/// A claim's groups: a list of strings, or one string.
fn groups_of(claims: &serde_json::Map<String, Value>, name: &str) -> Vec<String> {
    match claims.get(name) {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// The first mapping whose group the person is in.
pub fn mapped_role(mappings: &[RoleMapping], groups: &[String]) -> Option<Role> {
    mappings
        .iter()
        .find(|m| groups.iter().any(|g| g == &m.group_name))
        .map(|m| m.role)
}

fn view(p: ProviderRow, mappings: Vec<RoleMapping>) -> ProviderView {
    ProviderView {
        id: p.id,
        name: p.name,
        issuer: p.issuer,
        client_id: p.client_id,
        secret_env: p.secret_env,
        secret_file: p.secret_file,
        scopes: p.scopes,
        purpose: p.purpose,
        groups_claim: p.groups_claim,
        identity_claim: p.identity_claim,
        enabled: p.disabled_at.is_none(),
        mappings,
    }
}

impl App {
    /// The enabled staff providers of every organisation, for the log-in page.
    pub async fn sign_in_buttons(&self, purpose: &str) -> Result<Vec<SignInButton>> {
        Ok(self
            .store
            .enabled_providers(purpose)
            .await?
            .into_iter()
            .map(|p| SignInButton {
                id: p.id,
                name: p.name,
            })
            .collect())
    }

    /// Whether every organisation has switched local passwords off (the log-in page then
    /// shows no password form).
    pub async fn local_passwords_off_everywhere(&self) -> Result<bool> {
        Ok(self.store.local_passwords_off_everywhere().await?)
    }

    /// Whether `user`'s organisation has switched local passwords off for its staff.
    pub(crate) async fn password_refused_for(&self, user: &UserRow) -> Result<bool> {
        // Participants' own accounts keep the activation code and their password.
        if user.participant_id.is_some() {
            return Ok(false);
        }
        let mut tx = self.store.begin_read().await?;
        let off = tx.local_passwords_off(user.org_id).await?;
        tx.commit().await?;
        Ok(off)
    }

    /// The audit event of a sign-in through a provider, allowed or refused.
    fn sign_in_event(
        &self,
        p: &ProviderRow,
        user: Option<&UserRow>,
        participant_id: Option<Uuid>,
        refused: Option<&str>,
    ) -> AuditEvent {
        let (decision, ground) = match refused {
            Some(r) => (policy::Decision::Denied, format!("denied:{r}")),
            None => (policy::Decision::Allowed, format!("provider:{}", p.id)),
        };
        AuditEvent {
            id: Uuid::now_v7(),
            at: self.now(),
            actor_user_id: user.map(|u| u.id),
            actor_role: user.map_or("anonymous", |u| u.role.code()).into(),
            actor_org_id: Some(p.org_id),
            participant_id,
            record_kind: Function::Account.code().into(),
            action: Action::Write,
            decision,
            ground,
            detail: Some(format!("sign-in through {} ({})", p.name, p.id)),
        }
    }

    async fn refuse_sign_in<T>(
        &self,
        p: Option<&ProviderRow>,
        user: Option<&UserRow>,
        reason: &'static str,
    ) -> std::result::Result<T, SignInError> {
        tracing::info!(reason, "sign-in through a provider refused");
        if let Some(p) = p {
            self.store
                .record_event(&self.sign_in_event(p, user, None, Some(reason)))
                .await?;
        } else {
            let mut e = self.system_event("sign-in through a provider refused", None);
            e.record_kind = Function::Account.code().into();
            e.decision = policy::Decision::Denied;
            e.ground = format!("denied:{reason}");
            self.store.record_event(&e).await?;
        }
        Err(match reason {
            "deactivated" => SignInError::Deactivated,
            "no_participant" => SignInError::NoParticipant,
            r => SignInError::Failed(r),
        })
    }

    /// Begins a sign-in through an enabled provider: the provider's address to send the
    /// browser to, and the cookie value that binds the answer to this browser.
    pub async fn oidc_start(
        &self,
        provider_id: Uuid,
        redirect_uri: &str,
    ) -> std::result::Result<Started, SignInError> {
        let mut tx = self.store.begin_read().await?;
        let p = tx.provider(provider_id).await?;
        tx.commit().await?;
        let p = p
            .filter(|p| p.disabled_at.is_none())
            .ok_or(SignInError::App(AppError::NotFound))?;
        let http = http_client().map_err(SignInError::Failed)?;
        let client = match client_for(&p, redirect_uri, &http).await {
            Ok(c) => c,
            Err(reason) => return self.refuse_sign_in(Some(&p), None, reason).await,
        };
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client.authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        );
        for scope in p.scopes.split_whitespace().filter(|s| *s != "openid") {
            request = request.add_scope(Scope::new(scope.to_owned()));
        }
        let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
        let cookie = random_token();
        let now = self.now();
        let mut tx = self.store.begin().await?;
        tx.delete_expired_pending(now - PENDING_TIMEOUT).await?;
        tx.insert_pending(
            &token_hash(&cookie),
            &PendingRow {
                provider_id: p.id,
                state: state.secret().clone(),
                nonce: nonce.secret().clone(),
                pkce_verifier: verifier.secret().clone(),
                created_at: now,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Started {
            cookie,
            url: url.to_string(),
        })
    }

    /// Finishes a sign-in: the answer's `state` must be the one this browser's cookie began;
    /// the code is exchanged with the PKCE verifier and the ID token verified before anyone is
    /// signed in. Every sign-in and every refusal is audited, with the provider and why.
    pub async fn oidc_callback(
        &self,
        cookie: Option<&str>,
        state: &str,
        code: &str,
        redirect_uri: &str,
    ) -> std::result::Result<SignedIn, SignInError> {
        let Some(cookie) = cookie else {
            return self
                .refuse_sign_in(None, None, "no_sign_in_under_way")
                .await;
        };
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let pending = tx.take_pending(&token_hash(cookie)).await?;
        let provider = match &pending {
            Some(pe) => tx.provider(pe.provider_id).await?,
            None => None,
        };
        tx.commit().await?;
        let (Some(pending), Some(p)) = (pending, provider) else {
            return self
                .refuse_sign_in(None, None, "no_sign_in_under_way")
                .await;
        };
        let p = &p;
        if now - pending.created_at > PENDING_TIMEOUT {
            return self.refuse_sign_in(Some(p), None, "expired_sign_in").await;
        }
        if !crate::auth::constant_time_eq(state.as_bytes(), pending.state.as_bytes()) {
            return self.refuse_sign_in(Some(p), None, "wrong_state").await;
        }
        if p.disabled_at.is_some() {
            return self
                .refuse_sign_in(Some(p), None, "provider_disabled")
                .await;
        }
        let http = http_client().map_err(SignInError::Failed)?;
        let client = match client_for(p, redirect_uri, &http).await {
            Ok(c) => c,
            Err(reason) => return self.refuse_sign_in(Some(p), None, reason).await,
        };
        let Ok(exchange) = client.exchange_code(AuthorizationCode::new(code.to_owned())) else {
            return self
                .refuse_sign_in(Some(p), None, "no_token_endpoint")
                .await;
        };
        let token = match exchange
            .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
            .request_async(&http)
            .await
        {
            Ok(t) => t,
            Err(e) => {
                tracing::warn!(provider = %p.id, error = %e, "code exchange failed");
                return self.refuse_sign_in(Some(p), None, "code_exchange").await;
            }
        };
        let Some(id_token) = token.id_token() else {
            return self.refuse_sign_in(Some(p), None, "no_id_token").await;
        };
        let verifier = client.id_token_verifier();
        let claims = match id_token.claims(&verifier, &Nonce::new(pending.nonce.clone())) {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(provider = %p.id, error = %e, "ID token refused");
                return self.refuse_sign_in(Some(p), None, claims_reason(&e)).await;
            }
        };
        // The access token belongs to this ID token (at_hash), when the provider says so.
        if let Some(expected) = claims.access_token_hash() {
            let actual = id_token
                .signing_alg()
                .ok()
                .zip(id_token.signing_key(&verifier).ok())
                .and_then(|(alg, key)| {
                    AccessTokenHash::from_token(token.access_token(), alg, key).ok()
                });
            if actual.as_ref() != Some(expected) {
                return self
                    .refuse_sign_in(Some(p), None, "wrong_access_token")
                    .await;
            }
        }
        let raw_token = id_token.to_string();
        let raw = raw_claims(&raw_token);
        let subject = claims.subject().as_str().to_owned();
        let email = claims
            .email()
            .filter(|_| claims.email_verified() == Some(true))
            .map(|e| e.as_str().trim().to_lowercase());
        let name = claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_owned());
        if p.purpose == PURPOSE_PARTICIPANTS {
            return self.participant_sign_in(p, &raw, &raw_token).await;
        }
        self.staff_sign_in(p, &subject, email, name, &raw, &raw_token)
            .await
    }

    async fn staff_sign_in(
        &self,
        p: &ProviderRow,
        subject: &str,
        email: Option<String>,
        name: Option<String>,
        raw: &serde_json::Map<String, Value>,
        id_token: &str,
    ) -> std::result::Result<SignedIn, SignInError> {
        let groups = groups_of(raw, &p.groups_claim);
        let mut tx = self.store.begin().await?;
        let mappings = tx.role_mappings(p.id).await?;
        let role = mapped_role(&mappings, &groups);
        let mut user = tx.user_by_subject(&p.issuer, subject).await?;
        if user.is_none()
            && let Some(email) = &email
        {
            match tx.user_by_email(email).await? {
                // Only the provider's own organisation's staff are bound to its subjects.
                Some(u) if u.org_id == p.org_id && u.participant_id.is_none() => {
                    tx.bind_subject(u.id, &p.issuer, subject).await?;
                    user = Some(u);
                }
                Some(u) => {
                    tx.rollback().await?;
                    return self
                        .refuse_sign_in(Some(p), Some(&u), "email_of_another_account")
                        .await;
                }
                None => {}
            }
        }
        let user = match user {
            Some(u) => u,
            None => {
                let Some(email) = email else {
                    tx.rollback().await?;
                    return self
                        .refuse_sign_in(Some(p), None, "no_verified_email")
                        .await;
                };
                let row = UserRow {
                    id: Uuid::now_v7(),
                    org_id: p.org_id,
                    name: name.unwrap_or_else(|| email.clone()),
                    email,
                    role: role.unwrap_or_else(policy::first_sign_in_role),
                    password_hash: None,
                    participant_id: None,
                    created_at: self.now(),
                    disabled_at: None,
                };
                tx.insert_user(&row).await?;
                tx.bind_subject(row.id, &p.issuer, subject).await?;
                row
            }
        };
        if user.org_id != p.org_id || user.participant_id.is_some() {
            tx.rollback().await?;
            return self
                .refuse_sign_in(Some(p), Some(&user), "other_organisation")
                .await;
        }
        if user.disabled_at.is_some() {
            tx.rollback().await?;
            return self
                .refuse_sign_in(Some(p), Some(&user), "deactivated")
                .await;
        }
        let mut user = user;
        if let Some(role) = role
            && role != user.role
        {
            tx.set_role_from_provider(user.id, role).await?;
            user.role = role;
        }
        let session = self.session_in(&mut tx, &user, p, id_token).await?;
        self.store
            .record_event_in(&mut tx, &self.sign_in_event(p, Some(&user), None, None))
            .await?;
        tx.commit().await?;
        tracing::info!(user = %user.id, provider = %p.id, "sign-in through a provider");
        Ok(SignedIn {
            session,
            participant: false,
        })
    }

    async fn participant_sign_in(
        &self,
        p: &ProviderRow,
        raw: &serde_json::Map<String, Value>,
        id_token: &str,
    ) -> std::result::Result<SignedIn, SignInError> {
        let number = raw
            .get(&p.identity_claim)
            .and_then(Value::as_str)
            .and_then(|v| IdentityNumber::parse(v, self.today()).ok());
        let Some(number) = number else {
            return self
                .refuse_sign_in(Some(p), None, "no_identity_number")
                .await;
        };
        let detail = format!(
            "sign-in through {} ({}): identity number looked up (the participant's account made if missing)",
            p.name, p.id
        );
        let mut tx = self.open_sign_in_lookup(&detail, p.org_id).await?;
        let Some(participant_id) = self
            .participant_with_number(&mut tx, p.org_id, &number)
            .await?
        else {
            // The lookup's event stays (it happened); nothing else is written.
            self.commit(tx).await?;
            return self.refuse_sign_in(Some(p), None, "no_participant").await;
        };
        let account = tx.plain().participant_account_user(participant_id).await?;
        let user = match account {
            Some(u) if u.disabled_at.is_some() => {
                self.commit(tx).await?;
                return self.refuse_sign_in(Some(p), Some(&u), "deactivated").await;
            }
            Some(u) => u,
            None => {
                let person = tx
                    .participant(participant_id)
                    .await?
                    .ok_or(AppError::NotFound)?;
                let row = UserRow {
                    id: Uuid::now_v7(),
                    org_id: p.org_id,
                    // Participants signing in with an e-legitimation need no address; the
                    // reserved `.invalid` domain never receives mail. Staff who later open an
                    // account with an activation code set a real one.
                    email: format!("{participant_id}@e-legitimation.invalid"),
                    name: format!("{} {}", person.given_name, person.family_name),
                    role: policy::participant_account_role(),
                    password_hash: None,
                    participant_id: Some(participant_id),
                    created_at: self.now(),
                    disabled_at: None,
                };
                tx.plain().insert_user(&row).await?;
                let mut made = self.sign_in_event(p, Some(&row), Some(participant_id), None);
                made.detail = Some(format!(
                    "participant account made at sign-in through {} ({})",
                    p.name, p.id
                ));
                tx.record(&made).await?;
                row
            }
        };
        self.commit(tx).await?;
        let actor = crate::auth::actor_of(&user)?;
        // The sign-in itself, decided by the gate as the participant reading their own record:
        // in their access log, where they see who looked at their data.
        let (tx, _) = self
            .open_record(
                &actor,
                participant_id,
                RecordKind::Participant,
                Action::Read,
                Some(format!("sign-in through {} ({})", p.name, p.id)),
            )
            .await?;
        self.commit(tx).await?;
        let mut tx = self.store.begin().await?;
        let session = self.session_in(&mut tx, &user, p, id_token).await?;
        tx.commit().await?;
        Ok(SignedIn {
            session,
            participant: true,
        })
    }

    async fn session_in(
        &self,
        tx: &mut stegvis_store::Tx,
        user: &UserRow,
        p: &ProviderRow,
        id_token: &str,
    ) -> Result<NewSession> {
        let now = self.now();
        let session = NewSession {
            token: random_token(),
            csrf: random_token(),
        };
        let hash = token_hash(&session.token);
        tx.delete_expired_sessions(
            now - crate::auth::IDLE_TIMEOUT,
            now - crate::auth::ABSOLUTE_TIMEOUT,
        )
        .await?;
        tx.insert_session(
            &hash,
            &SessionRow {
                user_id: user.id,
                csrf_token: session.csrf.clone(),
                created_at: now,
                last_seen_at: now,
            },
        )
        .await?;
        // Sealed: a broker's ID token carries the participant's identity number.
        let sealed = base64::engine::general_purpose::STANDARD.encode(
            self.keys
                .ring()
                .encrypt(id_token.as_bytes(), &id_token_aad(&hash)),
        );
        tx.set_session_provider(&hash, p.id, &sealed).await?;
        Ok(session)
    }

    /// Where to send the browser at log-out to end the provider's session too: the provider's
    /// `end_session_endpoint` with the ID token as hint, when the session began through a
    /// provider that has one. Call before [`App::logout`].
    pub async fn provider_logout_url(
        &self,
        session_token: &str,
        post_logout_redirect_uri: &str,
    ) -> Result<Option<String>> {
        let mut tx = self.store.begin_read().await?;
        let hash = token_hash(session_token);
        let found = tx.session_provider(&hash).await?;
        let provider = match &found {
            Some((id, _)) => tx.provider(*id).await?,
            None => None,
        };
        tx.commit().await?;
        let (Some((_, sealed)), Some(p)) = (found, provider) else {
            return Ok(None);
        };
        let blob = base64::engine::general_purpose::STANDARD
            .decode(sealed.as_bytes())
            .unwrap_or_default();
        let aad = id_token_aad(&hash);
        // Unreadable (a key retired since): the provider's session is left to expire.
        let Some(id_token) = self.with_fresh_ring(&blob, |ring| {
            ring.decrypt(&blob, &aad)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
        }) else {
            return Ok(None);
        };
        let Ok(http) = http_client() else {
            return Ok(None);
        };
        let doc = format!(
            "{}/.well-known/openid-configuration",
            p.issuer.trim_end_matches('/')
        );
        let meta: Option<Value> = match http.get(&doc).send().await {
            Ok(r) if r.status().is_success() => r
                .bytes()
                .await
                .ok()
                .and_then(|b| serde_json::from_slice(&b).ok()),
            _ => None,
        };
        let endpoint = meta
            .as_ref()
            .filter(|m| m.get("issuer").and_then(Value::as_str) == Some(p.issuer.as_str()))
            .and_then(|m| m.get("end_session_endpoint"))
            .and_then(Value::as_str)
            .and_then(|e| url_with(e, &id_token, post_logout_redirect_uri, &p.client_id));
        Ok(endpoint)
    }

    // ---- Administration. -------------------------------------------------------------------

    /// The organisation's providers and its "local passwords off" switch: its administrators.
    pub async fn sign_in_settings(&self, actor: &Actor) -> Result<SignInSettings> {
        self.check_function(actor, Function::Users, Action::Read)
            .await?;
        let mut tx = self.store.begin_read().await?;
        let rows = tx.providers_of_org(actor.org_id).await?;
        let mut providers = Vec::new();
        for p in rows {
            let m = tx.role_mappings(p.id).await?;
            providers.push(view(p, m));
        }
        let local_passwords_off = tx.local_passwords_off(actor.org_id).await?;
        tx.commit().await?;
        Ok(SignInSettings {
            providers,
            local_passwords_off,
        })
    }

    /// One of the organisation's providers.
    pub async fn identity_provider(&self, actor: &Actor, id: Uuid) -> Result<ProviderView> {
        self.sign_in_settings(actor)
            .await?
            .providers
            .into_iter()
            .find(|p| p.id == id)
            .ok_or(AppError::NotFound)
    }

    /// Adds (`id` none) or changes one of the organisation's providers.
    pub async fn save_identity_provider(
        &self,
        actor: &Actor,
        id: Option<Uuid>,
        input: &ProviderInput,
    ) -> Result<ProviderView> {
        self.check_function(actor, Function::Users, Action::Write)
            .await?;
        let (row, mappings) = checked_provider(input, actor.org_id, id, self.now())?;
        let detail = format!(
            "identity provider {} {} ({})",
            if id.is_some() { "changed" } else { "added" },
            row.name,
            row.id
        );
        let event = self.kept_event(actor, Function::Users, detail);
        let mut tx = self.store.begin().await?;
        match id {
            Some(_) => {
                let existing = tx.provider(row.id).await?;
                let Some(existing) = existing.filter(|e| e.org_id == actor.org_id) else {
                    tx.rollback().await?;
                    return Err(AppError::NotFound);
                };
                let row = ProviderRow {
                    created_at: existing.created_at,
                    ..row.clone()
                };
                tx.update_provider(&row).await?;
                if row.disabled_at.is_some() && tx.local_passwords_off(actor.org_id).await? {
                    let left = tx
                        .providers_of_org(actor.org_id)
                        .await?
                        .into_iter()
                        .filter(|p| p.disabled_at.is_none() && p.purpose == PURPOSE_STAFF)
                        .count();
                    if left == 0 {
                        tx.rollback().await?;
                        return Err(lockout());
                    }
                }
            }
            None => tx.insert_provider(&row).await?,
        }
        tx.set_role_mappings(row.id, &mappings).await?;
        self.store.record_event_in(&mut tx, &event).await?;
        tx.commit().await?;
        self.identity_provider(actor, row.id).await
    }

    /// Switches local passwords off (or on again) for the organisation's staff. Off is refused
    /// while the organisation has no enabled staff provider: nobody could sign in.
    pub async fn set_local_passwords_off(&self, actor: &Actor, off: bool) -> Result<()> {
        self.check_function(actor, Function::Users, Action::Write)
            .await?;
        let detail = format!("local passwords {}", if off { "off" } else { "on" });
        let event = self.kept_event(actor, Function::Users, detail);
        let mut tx = self.store.begin().await?;
        if off {
            let staff = tx
                .providers_of_org(actor.org_id)
                .await?
                .into_iter()
                .filter(|p| p.disabled_at.is_none() && p.purpose == PURPOSE_STAFF)
                .count();
            if staff == 0 {
                tx.rollback().await?;
                return Err(lockout());
            }
        }
        let since = off.then(|| self.now());
        if off && tx.local_passwords_off(actor.org_id).await? {
            tx.rollback().await?;
            return Ok(());
        }
        tx.set_local_passwords_off(actor.org_id, since).await?;
        self.store.record_event_in(&mut tx, &event).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The associated data sealing a session's ID token to that session.
fn id_token_aad(session_hash: &[u8]) -> Vec<u8> {
    let mut a = b"sessions.id_token:".to_vec();
    a.extend_from_slice(session_hash);
    a
}

fn lockout() -> AppError {
    AppError::Conflict(Text::new(
        "Lokala lösenord kan inte stängas av utan en aktiverad inloggningstjänst för personal: då kan ingen logga in.",
        "Local passwords cannot be switched off without an enabled staff identity provider: nobody could sign in.",
    ))
}

fn url_with(endpoint: &str, id_token: &str, post_logout: &str, client_id: &str) -> Option<String> {
    let mut url = url::Url::parse(endpoint).ok()?;
    url.query_pairs_mut()
        .append_pair("id_token_hint", id_token)
        .append_pair("post_logout_redirect_uri", post_logout)
        .append_pair("client_id", client_id);
    Some(url.to_string())
}

/// Parses `group = role` lines.
fn parse_mappings(text: &str, errors: &mut Vec<FieldError>) -> Vec<RoleMapping> {
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let parsed = line.rsplit_once('=').and_then(|(g, r)| {
            let role = Role::from_code(r.trim())
                .ok()
                .filter(|r| policy::assignable_by_administrator(*r))?;
            Some(RoleMapping {
                group_name: g.trim().to_owned(),
                role,
            })
        });
        match parsed.filter(|m| !m.group_name.is_empty()) {
            Some(m) => out.push(m),
            None => errors.push(FieldError::new(
                "mappings",
                Text::new(
                    format!("Raden \"{line}\" ska vara grupp = roll, med en rollkod som coach eller admin."),
                    format!("The line \"{line}\" must be group = role, with a role code such as coach or admin."),
                ),
            )),
        }
    }
    out
}

fn checked_provider(
    input: &ProviderInput,
    org_id: Uuid,
    id: Option<Uuid>,
    now: time::OffsetDateTime,
) -> Result<(ProviderRow, Vec<RoleMapping>)> {
    let mut errors = Vec::new();
    let need = |v: &str, field: &str, sv: &str, en: &str, errors: &mut Vec<FieldError>| {
        if v.trim().is_empty() {
            errors.push(FieldError::new(field, Text::new(sv, en)));
        }
    };
    need(
        &input.name,
        "name",
        "Ange ett namn för knappen.",
        "Enter a name for the button.",
        &mut errors,
    );
    need(
        &input.client_id,
        "client_id",
        "Ange klient-id.",
        "Enter the client id.",
        &mut errors,
    );
    let issuer = input.issuer.trim();
    let issuer_ok = url::Url::parse(issuer).is_ok_and(|u| {
        u.scheme() == "https"
            || (u.scheme() == "http"
                && matches!(u.host_str(), Some("127.0.0.1" | "localhost" | "[::1]")))
    });
    if !issuer_ok {
        errors.push(FieldError::new(
            "issuer",
            Text::new(
                "Utfärdaren ska vara en https-adress (http bara på den egna datorn).",
                "The issuer must be an https address (http only on this machine).",
            ),
        ));
    }
    let purpose = input.purpose.trim();
    if purpose != PURPOSE_STAFF && purpose != PURPOSE_PARTICIPANTS {
        errors.push(FieldError::new(
            "purpose",
            Text::new("Välj vem som loggar in.", "Choose who signs in."),
        ));
    }
    let env = input.secret_env.trim();
    let file = input.secret_file.trim();
    if !env.is_empty() && !file.is_empty() {
        errors.push(FieldError::new(
            "secret_env",
            Text::new(
                "Ange hemligheten antingen som miljövariabel eller som fil, inte båda.",
                "Give the secret either as an environment variable or as a file, not both.",
            ),
        ));
    }
    if !env.is_empty() && !env.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        errors.push(FieldError::new(
            "secret_env",
            Text::new(
                "Miljövariabelns namn: bara bokstäver A–Z, siffror och _.",
                "The environment variable's name: only letters A–Z, digits and _.",
            ),
        ));
    }
    let mappings = parse_mappings(&input.mappings, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let or = |v: &str, d: &str| {
        let v = v.trim();
        if v.is_empty() {
            d.to_owned()
        } else {
            v.to_owned()
        }
    };
    Ok((
        ProviderRow {
            id: id.unwrap_or_else(Uuid::now_v7),
            org_id,
            name: input.name.trim().to_owned(),
            issuer: issuer.to_owned(),
            client_id: input.client_id.trim().to_owned(),
            secret_env: Some(env.to_owned()).filter(|v| !v.is_empty()),
            secret_file: Some(file.to_owned()).filter(|v| !v.is_empty()),
            scopes: or(&input.scopes, "openid email profile"),
            purpose: purpose.to_owned(),
            groups_claim: or(&input.groups_claim, DEFAULT_GROUPS_CLAIM),
            identity_claim: or(&input.identity_claim, DEFAULT_IDENTITY_CLAIM),
            created_at: now,
            disabled_at: (!input.enabled).then_some(now),
        },
        mappings,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_matching_mapping_gives_the_role() {
        // Roles by code: role checks by variant live in the policy only.
        let admin = Role::from_code("admin").unwrap();
        let coach = Role::from_code("coach").unwrap();
        let m = vec![
            RoleMapping {
                group_name: "stegvis-admin".into(),
                role: admin,
            },
            RoleMapping {
                group_name: "stegvis-coach".into(),
                role: coach,
            },
        ];
        let g = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            mapped_role(&m, &g(&["stegvis-coach", "stegvis-admin"])),
            Some(admin)
        );
        assert_eq!(mapped_role(&m, &g(&["stegvis-coach"])), Some(coach));
        assert_eq!(mapped_role(&m, &g(&["other"])), None);
    }

    #[test]
    fn mappings_name_assignable_roles_only() {
        let mut errors = Vec::new();
        let m = parse_mappings("a = coach\n\nb=admin\n", &mut errors);
        assert!(errors.is_empty());
        assert_eq!(m.len(), 2);
        parse_mappings("c = participant\nd = pending\ne", &mut errors);
        assert_eq!(errors.len(), 3);
    }
}
