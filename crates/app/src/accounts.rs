//! Accounts and their keys: the first start (setup), one-time links that set a password
//! (invitation, password reset, a participant's activation), each user's own password and API
//! tokens, and participants' own accounts, which the staff who hold their case open and close.
//!
//! Every change is decided by the policy and written with its audit event in one transaction.
//! Link codes and tokens are shown once and kept only as hashes.

use crate::auth::{actor_of, hash_password, random_token, token_hash, verify_password};
use crate::error::{FieldError, Text};
use crate::gate::reject;
use crate::organisations::OrganisationView;
use crate::policy::{self, Action, Function, RecordKind, Request};
use crate::users::UserView;
use crate::{Actor, App, AppError, Result};
use serde::{Deserialize, Serialize};
use stegvis_domain::OrganisationKind;
use stegvis_domain::account::{
    AccountStatus, LinkPurpose, TokenStatus, code_from, grouped, link_lifetime, normalise_code,
    password_weakness,
};
use stegvis_store::account::{AccountRow, LinkRow, TokenRow};
use stegvis_store::organisation::OrganisationRow;
use stegvis_store::user::UserRow;
use stegvis_store::{Audited, Tx};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

/// Days an API token lives unless its holder says otherwise.
pub const TOKEN_DAYS: i64 = 90;
/// The longest life a token may be given.
pub const MAX_TOKEN_DAYS: i64 = 366;

/// A one-time link, issued to be handed over (shown once: only its hash is kept).
#[derive(Clone, Serialize, ToSchema)]
pub struct IssuedLink {
    pub purpose: LinkPurpose,
    /// The account it sets a password for (none for the first start's link).
    pub user_id: Option<Uuid>,
    pub email: Option<String>,
    pub name: Option<String>,
    /// The code in groups of five, to type at `/activate` (or the end of the setup link).
    pub code: String,
    /// The page that takes it: `/activate/{code}`, or `/setup/{code}` at the first start.
    pub path: String,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

impl std::fmt::Debug for IssuedLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IssuedLink({:?}, <redacted>)", self.purpose)
    }
}

/// What a valid link is for, shown to whoever holds its code before they choose a password.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LinkInfo {
    pub purpose: LinkPurpose,
    pub email: Option<String>,
    pub name: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

/// The first start: the organisation and its first administrator.
#[derive(Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct SetupInput {
    /// The code at the end of the setup link that `stegvis serve` printed.
    #[schema(min_length = 1, required = true)]
    pub token: String,
    #[schema(schema_with = crate::openapi::text::<200>, required = true)]
    pub organisation_name: String,
    #[schema(value_type = OrganisationKind, required = true)]
    pub kind: String,
    #[schema(schema_with = crate::openapi::optional_municipality)]
    pub municipality_code: Option<String>,
    /// The administrator's name.
    #[schema(schema_with = crate::openapi::text::<200>, required = true)]
    pub name: String,
    #[schema(pattern = "@", max_length = 254, required = true)]
    pub email: String,
    /// At least 12 characters, not easy to guess.
    #[schema(min_length = 12, max_length = 200, required = true)]
    pub password: String,
    /// Forms ask twice; when given, it must be the same.
    pub password_again: Option<String>,
}

impl std::fmt::Debug for SetupInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SetupInput(kind {:?}, <redacted>)", self.kind)
    }
}

/// What setup made.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SetupView {
    pub organisation: OrganisationView,
    pub user: UserView,
}

/// A password chosen with a one-time link's code.
#[derive(Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ActivateInput {
    /// The code, as printed (`ABCDE-FGHJK-…`) or as in the link.
    #[schema(min_length = 1, required = true)]
    pub code: String,
    /// At least 12 characters, not easy to guess.
    #[schema(min_length = 12, max_length = 200, required = true)]
    pub password: String,
    /// Forms ask twice; when given, it must be the same.
    pub password_again: Option<String>,
}

impl std::fmt::Debug for ActivateInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ActivateInput(<redacted>)")
    }
}

/// A new password for the caller's own account.
#[derive(Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct PasswordChange {
    #[schema(min_length = 1, required = true)]
    pub current_password: String,
    /// At least 12 characters, not easy to guess.
    #[schema(min_length = 12, max_length = 200, required = true)]
    pub new_password: String,
    /// Forms ask twice; when given, it must be the same.
    pub new_password_again: Option<String>,
}

impl std::fmt::Debug for PasswordChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordChange(<redacted>)")
    }
}

/// A new API token.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct TokenInput {
    /// What it is for, such as the script that uses it.
    #[schema(schema_with = crate::openapi::text::<100>, required = true)]
    pub name: String,
    /// The last day it works, `YYYY-MM-DD`: after today, at most a year ahead. Blank: 90 days.
    #[schema(schema_with = crate::openapi::optional_date)]
    pub expires_on: Option<String>,
}

/// An API token as its holder sees it: never the token itself.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TokenView {
    pub id: Uuid,
    pub name: String,
    pub status: TokenStatus,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub expires_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
    /// The holder's e-mail address (the operator's list names everyone's).
    pub email: String,
}

/// A token just made: shown this once.
#[derive(Clone, Serialize, ToSchema)]
pub struct NewToken {
    pub id: Uuid,
    pub name: String,
    /// The bearer token: `Authorization: Bearer <token>`. Shown only now.
    pub token: String,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

impl std::fmt::Debug for NewToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NewToken({}, <redacted>)", self.id)
    }
}

/// A participant's own account, as the staff who hold their case see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ParticipantAccountView {
    pub participant_id: Uuid,
    /// None: the participant has no account.
    pub account_id: Option<Uuid>,
    pub email: Option<String>,
    pub status: Option<AccountStatus>,
    /// Until when the activation code handed over works (while the account waits for it).
    #[serde(with = "time::serde::rfc3339::option")]
    pub activation_expires_at: Option<OffsetDateTime>,
    /// Send it back when closing the account, so that a page left open closes the account it
    /// showed and no newer one.
    pub version: Option<i64>,
}

/// Opening a participant's account: the address they will log in with.
#[derive(Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ParticipantAccountInput {
    #[schema(pattern = "@", max_length = 254, required = true)]
    pub email: String,
}

impl std::fmt::Debug for ParticipantAccountInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A participant's address is personal data: never in a log.
        f.write_str("ParticipantAccountInput(<redacted>)")
    }
}

/// Closing a participant's account: the one that was shown.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct CloseAccountInput {
    #[schema(schema_with = crate::openapi::uuid, required = true)]
    pub account_id: String,
}

/// A participant's account just opened, with the code to hand over.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OpenedAccount {
    pub account: ParticipantAccountView,
    pub link: IssuedLink,
}

/// Where a link stands.
enum LinkState {
    Valid(LinkRow),
    Unknown,
    Used,
    Expired(OffsetDateTime),
    Withdrawn,
}

fn link_problem(state: &LinkState) -> Text {
    match state {
        LinkState::Valid(_) => Text::new("", ""),
        LinkState::Unknown => Text::new(
            "Koden eller länken stämmer inte. Kontrollera att den är rätt avskriven, hela koden.",
            "The code or link is not right. Check that all of it was copied correctly.",
        ),
        LinkState::Used => Text::new(
            "Länken har redan använts. Den fungerar bara en gång. Be om en ny om du behöver.",
            "The link has been used already. It works only once. Ask for a new one if you need to.",
        ),
        LinkState::Expired(at) => Text::new(
            format!(
                "Länken gick ut {}. Be om en ny.",
                crate::local::swedish_time(*at)
            ),
            format!(
                "The link expired at {} (Swedish time). Ask for a new one.",
                crate::local::swedish_time(*at)
            ),
        ),
        LinkState::Withdrawn => Text::new(
            "Länken gäller inte längre: en nyare har ersatt den, eller kontot har stängts. Använd den senaste länken.",
            "The link no longer works: a newer one replaced it, or the account was closed. Use the latest link.",
        ),
    }
}

/// A new link code and its row (to be stored as a hash).
fn new_link(
    purpose: LinkPurpose,
    user_id: Option<Uuid>,
    created_by: Option<Uuid>,
    now: OffsetDateTime,
) -> (String, LinkRow) {
    use rand::RngCore;
    let mut bytes = [0u8; stegvis_domain::account::CODE_LEN];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let code = code_from(&bytes);
    let row = LinkRow {
        id: Uuid::now_v7(),
        purpose,
        code_hash: token_hash(&code),
        user_id,
        created_by,
        created_at: now,
        expires_at: now + link_lifetime(purpose),
        used_at: None,
        withdrawn_at: None,
    };
    (code, row)
}

/// The page a link opens.
pub fn link_path(purpose: LinkPurpose, code: &str) -> String {
    match purpose {
        LinkPurpose::Setup => format!("/setup/{code}"),
        _ => format!("/activate/{code}"),
    }
}

fn issued(code: &str, row: &LinkRow, account: Option<(&str, &str)>) -> IssuedLink {
    IssuedLink {
        purpose: row.purpose,
        user_id: row.user_id,
        email: account.map(|a| a.0.to_owned()),
        name: account.map(|a| a.1.to_owned()),
        code: grouped(code),
        path: link_path(row.purpose, code),
        expires_at: row.expires_at,
    }
}

pub(crate) fn user_view(a: &AccountRow) -> UserView {
    UserView {
        id: a.id,
        org_id: a.org_id,
        email: a.email.clone(),
        name: a.name.clone(),
        role: a.role.code().to_owned(),
        status: AccountStatus::of(a.has_password, a.disabled_at.is_some()),
        version: a.version,
    }
}

fn token_view(t: TokenRow, now: OffsetDateTime) -> TokenView {
    let status = match (t.revoked_at, t.expires_at) {
        (Some(_), _) => TokenStatus::Revoked,
        (None, Some(e)) if e <= now => TokenStatus::Expired,
        _ => TokenStatus::Live,
    };
    TokenView {
        id: t.id,
        name: t.name,
        status,
        created_at: t.created_at,
        expires_at: t.expires_at,
        revoked_at: t.revoked_at,
        email: t.email,
    }
}

/// A typed e-mail address, normalised, or the reason it is not one.
pub(crate) fn email_of(typed: &str, field: &str, errors: &mut Vec<FieldError>) -> String {
    let email = typed.trim().to_lowercase();
    let ok = email.len() <= 254
        && !email.contains(char::is_whitespace)
        && email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'));
    if !ok {
        errors.push(FieldError::new(
            field,
            Text::new(
                "Skriv en giltig e-postadress, till exempel namn@kommun.se.",
                "Enter a valid e-mail address, for example name@municipality.se.",
            ),
        ));
    }
    email
}

/// A required name of at most 200 characters.
pub(crate) fn name_of(
    typed: &str,
    field: &str,
    what: Text,
    errors: &mut Vec<FieldError>,
) -> String {
    let name = typed.trim();
    if name.is_empty() {
        errors.push(FieldError::new(field, what));
    } else if name.chars().count() > 200 {
        errors.push(FieldError::new(
            field,
            Text::new("Skriv högst 200 tecken.", "Use at most 200 characters."),
        ));
    }
    name.to_owned()
}

/// A new password's problems: too weak for the account's address, or typed differently twice.
pub(crate) fn check_new_password(
    password: &str,
    again: Option<&str>,
    email: &str,
    field: &str,
    again_field: &str,
    errors: &mut Vec<FieldError>,
) {
    if let Some((sv, en)) = password_weakness(password, email) {
        errors.push(FieldError::new(field, Text::new(sv, en)));
    } else if again.is_some_and(|a| a != password) {
        errors.push(FieldError::new(
            again_field,
            Text::new(
                "Lösenorden är inte likadana. Skriv samma lösenord två gånger.",
                "The passwords differ. Type the same password twice.",
            ),
        ));
    }
}

/// Argon2 takes tens of milliseconds: off the async workers, and before any write lock.
async fn hash_off_thread(password: &str) -> Result<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(format!("password hash: {e}")))?
}

impl App {
    /// Where a link's code stands, read in `tx`.
    async fn link_state(&self, tx: &mut Tx, code: &str) -> Result<LinkState> {
        let Some(code) = normalise_code(code) else {
            return Ok(LinkState::Unknown);
        };
        let Some(link) = tx.link_by_hash(&token_hash(&code)).await? else {
            return Ok(LinkState::Unknown);
        };
        Ok(if link.used_at.is_some() {
            LinkState::Used
        } else if link.withdrawn_at.is_some() {
            LinkState::Withdrawn
        } else if link.expires_at <= self.now() {
            LinkState::Expired(link.expires_at)
        } else {
            LinkState::Valid(link)
        })
    }

    /// Issues a link in an open transaction: the account's earlier open links are withdrawn,
    /// so only the newest works.
    async fn issue_link(
        &self,
        tx: &mut Tx,
        purpose: LinkPurpose,
        account: Option<(Uuid, &str, &str)>,
        created_by: Option<Uuid>,
    ) -> Result<IssuedLink> {
        let now = self.now();
        match account {
            Some((id, ..)) => tx.withdraw_links_of(id, now).await?,
            None => tx.withdraw_setup_links(now).await?,
        };
        let (code, row) = new_link(purpose, account.map(|a| a.0), created_by, now);
        tx.insert_link(&row).await?;
        Ok(issued(&code, &row, account.map(|a| (a.1, a.2))))
    }

    /// Issues a link for an account in an open transaction (see [`App::issue_link`]).
    pub(crate) async fn issue_account_link(
        &self,
        tx: &mut Tx,
        purpose: LinkPurpose,
        account: &UserRow,
        created_by: Option<Uuid>,
    ) -> Result<IssuedLink> {
        self.issue_link(
            tx,
            purpose,
            Some((account.id, &account.email, &account.name)),
            created_by,
        )
        .await
    }

    // ---- The first start. ----------------------------------------------------------------

    /// Whether nobody can log in yet: the database has no account at all.
    pub async fn needs_setup(&self) -> Result<bool> {
        let mut tx = self.store.begin_read().await?;
        let any = tx.any_user().await?;
        tx.commit().await?;
        Ok(!any)
    }

    /// At a server's start on a database nobody can log in to: a new setup link (valid one
    /// hour, single use; earlier ones stop working), or `None` when there are accounts.
    pub async fn first_start_link(&self) -> Result<Option<IssuedLink>> {
        let mut tx = self.store.begin().await?;
        if tx.any_user().await? {
            tx.commit().await?;
            return Ok(None);
        }
        let link = self
            .issue_link(&mut tx, LinkPurpose::Setup, None, None)
            .await?;
        tx.commit().await?;
        Ok(Some(link))
    }

    /// Whether a setup link's code still works; the reason when not (at `token`).
    pub async fn check_setup_link(&self, code: &str) -> Result<()> {
        let mut tx = self.store.begin_read().await?;
        let state = self.link_state(&mut tx, code).await?;
        let done = tx.any_user().await?;
        tx.commit().await?;
        match state {
            LinkState::Valid(l) if l.purpose == LinkPurpose::Setup && !done => Ok(()),
            LinkState::Valid(l) if l.purpose == LinkPurpose::Setup => Err(already_set_up()),
            LinkState::Valid(_) => Err(AppError::field("token", link_problem(&LinkState::Unknown))),
            other => Err(AppError::field("token", link_problem(&other))),
        }
    }

    /// The first start through its link: creates the organisation and its first administrator,
    /// and marks the database as set up for real (the demo will not seed it).
    pub async fn setup(&self, input: &SetupInput) -> Result<SetupView> {
        let mut errors = Vec::new();
        let link = {
            let mut tx = self.store.begin_read().await?;
            let state = self.link_state(&mut tx, &input.token).await?;
            tx.commit().await?;
            match state {
                LinkState::Valid(l) if l.purpose == LinkPurpose::Setup => Some(l),
                LinkState::Valid(_) => {
                    errors.push(FieldError::new("token", link_problem(&LinkState::Unknown)));
                    None
                }
                other => {
                    errors.push(FieldError::new("token", link_problem(&other)));
                    None
                }
            }
        };
        let checked = self.check_setup_input(input, errors).await?;
        self.complete_setup(checked, link, false).await
    }

    /// The first start at the machine (`stegvis setup`): as through the link, audited as the
    /// operator's job.
    pub async fn setup_as_operator(&self, input: &SetupInput) -> Result<SetupView> {
        let checked = self.check_setup_input(input, Vec::new()).await?;
        self.complete_setup(checked, None, true).await
    }

    /// Validates what setup needs, and hashes the password; every problem at its field.
    async fn check_setup_input(
        &self,
        input: &SetupInput,
        mut errors: Vec<FieldError>,
    ) -> Result<CheckedSetup> {
        let org_name = name_of(
            &input.organisation_name,
            "organisation_name",
            Text::new(
                "Skriv organisationens namn.",
                "Enter the organisation's name.",
            ),
            &mut errors,
        );
        let kind = OrganisationKind::from_code(input.kind.trim()).ok();
        if kind.is_none() {
            errors.push(FieldError::new(
                "kind",
                Text::new(
                    "Välj typ av organisation.",
                    "Choose the kind of organisation.",
                ),
            ));
        }
        let municipality = self
            .municipality_of(input.municipality_code.as_deref(), &mut errors)
            .await?;
        let name = name_of(
            &input.name,
            "name",
            Text::new("Skriv ditt namn.", "Enter your name."),
            &mut errors,
        );
        let email = email_of(&input.email, "email", &mut errors);
        check_new_password(
            &input.password,
            input.password_again.as_deref(),
            &email,
            "password",
            "password_again",
            &mut errors,
        );
        let (Some(kind), true) = (kind, errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        Ok(CheckedSetup {
            org_name,
            kind,
            municipality,
            name,
            email,
            hash: hash_off_thread(&input.password).await?,
        })
    }

    /// A typed municipality code: blank is none; one not in the list is an error at its field.
    pub(crate) async fn municipality_of(
        &self,
        typed: Option<&str>,
        errors: &mut Vec<FieldError>,
    ) -> Result<Option<String>> {
        let Some(code) = typed.map(str::trim).filter(|c| !c.is_empty()) else {
            return Ok(None);
        };
        let mut tx = self.store.begin_read().await?;
        let known = tx.municipalities().await?.iter().any(|m| m.code == code);
        tx.commit().await?;
        if !known {
            errors.push(FieldError::new(
                "municipality_code",
                Text::new(
                    "Okänd kommunkod. Skriv kommunens fyrsiffriga kod, till exempel 1293.",
                    "Unknown municipality code. Enter the municipality's four-digit code, for example 1293.",
                ),
            ));
        }
        Ok(Some(code.to_owned()))
    }

    /// Writes what setup makes, audited as the new administrator's (through the link) or as
    /// the operator's job.
    async fn complete_setup(
        &self,
        c: CheckedSetup,
        link: Option<LinkRow>,
        operator: bool,
    ) -> Result<SetupView> {
        let now = self.now();
        let org = OrganisationRow {
            id: Uuid::now_v7(),
            name: c.org_name.clone(),
            kind: c.kind.code().to_owned(),
            municipality_code: c.municipality.clone(),
            created_at: now,
        };
        let user = UserRow {
            id: Uuid::now_v7(),
            org_id: org.id,
            email: c.email.clone(),
            name: c.name.clone(),
            role: policy::first_account_role(),
            password_hash: Some(c.hash.clone()),
            participant_id: None,
            created_at: now,
            disabled_at: None,
        };
        let detail_org = format!("first start: organisation {} created", org.id);
        let detail_user = format!("first start: administrator {} created", user.id);
        let (first, also) = match operator {
            true => (
                self.operator_event(Function::Organisations, detail_org, Some(org.id)),
                self.operator_event(Function::Users, detail_user, Some(org.id)),
            ),
            false => {
                // The new administrator makes both: the gate decides as for any administrator.
                let actor = actor_of(&user)?;
                let org_req = Request::Function {
                    actor: &actor,
                    function: Function::Organisations,
                    action: Action::Write,
                    owner: None,
                };
                let user_req = Request::Function {
                    actor: &actor,
                    function: Function::Users,
                    action: Action::Write,
                    owner: None,
                };
                (
                    self.permit_or_refuse(&org_req, detail_org).await?,
                    self.permit_or_refuse(&user_req, detail_user).await?,
                )
            }
        };
        let mut tx = self.open_permitted(&first, &[also]).await?;
        let db = tx.plain();
        if db.any_user().await? {
            return reject(tx, already_set_up()).await;
        }
        match db.installation_origin().await?.as_deref() {
            None => db.set_installation_origin("setup", now).await?,
            Some("setup") => {}
            Some(_) => return reject(tx, made_for_the_demo()).await,
        }
        if let Some(l) = &link
            && db.use_link(l.id, now).await.is_err()
        {
            return reject(tx, AppError::field("token", link_problem(&LinkState::Used))).await;
        }
        if db.organisation_by_name(&org.name).await?.is_some() {
            return reject(tx, duplicate_organisation("organisation_name")).await;
        }
        db.insert_organisation(&org).await?;
        db.insert_user(&user).await?;
        db.withdraw_setup_links(now).await?;
        let account = db.account(user.id).await?.ok_or(AppError::NotFound)?;
        self.commit(tx).await?;
        Ok(SetupView {
            organisation: self.organisation_view(org.id).await?,
            user: user_view(&account),
        })
    }

    // ---- One-time links. -----------------------------------------------------------------

    /// Whose account a link's code sets a password for, while it works; otherwise why not
    /// (at `code`).
    pub async fn link_info(&self, code: &str) -> Result<LinkInfo> {
        let mut tx = self.store.begin_read().await?;
        let state = self.link_state(&mut tx, code).await?;
        let info = match state {
            LinkState::Valid(l) if l.purpose != LinkPurpose::Setup => {
                let account = match l.user_id {
                    Some(id) => tx.account(id).await?,
                    None => None,
                };
                match account {
                    Some(a) if a.disabled_at.is_none() => Ok(LinkInfo {
                        purpose: l.purpose,
                        email: Some(a.email),
                        name: Some(a.name),
                        expires_at: l.expires_at,
                    }),
                    _ => Err(AppError::field("code", link_problem(&LinkState::Withdrawn))),
                }
            }
            LinkState::Valid(_) => Err(AppError::field("code", link_problem(&LinkState::Unknown))),
            other => Err(AppError::field("code", link_problem(&other))),
        };
        tx.commit().await?;
        info
    }

    /// Sets the password of the account a one-time link was made for (an invitation, a reset,
    /// a participant's activation): the link is used up, and every session of the account ends.
    /// Returns the account, for logging in.
    pub async fn activate(&self, input: &ActivateInput) -> Result<UserView> {
        let mut errors = Vec::new();
        let (state, account) = {
            let mut tx = self.store.begin_read().await?;
            let state = self.link_state(&mut tx, &input.code).await?;
            let account = match &state {
                LinkState::Valid(l) if l.purpose != LinkPurpose::Setup => match l.user_id {
                    Some(id) => tx.user(id).await?,
                    None => None,
                },
                _ => None,
            };
            tx.commit().await?;
            (state, account)
        };
        let link = match (state, &account) {
            (LinkState::Valid(l), Some(u)) if u.disabled_at.is_none() => Some(l),
            (LinkState::Valid(l), _) if l.purpose == LinkPurpose::Setup => {
                errors.push(FieldError::new("code", link_problem(&LinkState::Unknown)));
                None
            }
            (LinkState::Valid(_), _) => {
                errors.push(FieldError::new("code", link_problem(&LinkState::Withdrawn)));
                None
            }
            (other, _) => {
                errors.push(FieldError::new("code", link_problem(&other)));
                None
            }
        };
        let email = account.as_ref().map_or("", |u| u.email.as_str());
        check_new_password(
            &input.password,
            input.password_again.as_deref(),
            email,
            "password",
            "password_again",
            &mut errors,
        );
        let (Some(link), Some(user), true) = (link, account, errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let hash = hash_off_thread(&input.password).await?;
        let actor = actor_of(&user)?;
        let req = Request::OwnAccount {
            actor: &actor,
            function: Function::Account,
            action: Action::Write,
        };
        let event = self
            .permit_or_refuse(
                &req,
                format!(
                    "password set with a one-time link ({})",
                    link.purpose.code()
                ),
            )
            .await?;
        let mut tx = self.open_permitted(&event, &[]).await?;
        let now = self.now();
        let db = tx.plain();
        if db.use_link(link.id, now).await.is_err() {
            return reject(tx, AppError::field("code", link_problem(&LinkState::Used))).await;
        }
        db.set_account_password(user.id, Some(&hash)).await?;
        db.end_sessions_of(user.id, None).await?;
        db.withdraw_links_of(user.id, now).await?;
        let account = db.account(user.id).await?.ok_or(AppError::NotFound)?;
        self.commit(tx).await?;
        Ok(user_view(&account))
    }

    // ---- The caller's own account. -------------------------------------------------------

    /// The caller's own account.
    pub async fn own_account(&self, actor: &Actor) -> Result<UserView> {
        self.check(&Request::OwnAccount {
            actor,
            function: Function::Account,
            action: Action::Read,
        })
        .await?;
        let mut tx = self.store.begin_read().await?;
        let account = tx.account(actor.user_id).await?.ok_or(AppError::NotFound)?;
        tx.commit().await?;
        Ok(user_view(&account))
    }

    /// Changes the caller's own password; their other sessions end (`session` names the one
    /// to keep, the browser's own). The current password is counted like a log-in.
    pub async fn change_own_password(
        &self,
        actor: &Actor,
        input: &PasswordChange,
        session: Option<&str>,
    ) -> Result<()> {
        let req = Request::OwnAccount {
            actor,
            function: Function::Account,
            action: Action::Write,
        };
        let event = self
            .permit_or_refuse(&req, "own password changed".into())
            .await?;
        let user = {
            let mut tx = self.store.begin_read().await?;
            let user = tx.user(actor.user_id).await?.ok_or(AppError::NotFound)?;
            tx.commit().await?;
            user
        };
        let mut errors = Vec::new();
        // Nothing typed is no guess: it is said at the field without counting as an attempt.
        let current_ok = !input.current_password.is_empty()
            && self
                .check_current_password(&user, &input.current_password)
                .await?;
        if input.current_password.is_empty() {
            errors.push(FieldError::new(
                "current_password",
                Text::new(
                    "Skriv ditt nuvarande lösenord.",
                    "Enter your current password.",
                ),
            ));
        } else if !current_ok {
            errors.push(FieldError::new(
                "current_password",
                Text::new(
                    "Det nuvarande lösenordet stämmer inte.",
                    "The current password is wrong.",
                ),
            ));
        }
        check_new_password(
            &input.new_password,
            input.new_password_again.as_deref(),
            &user.email,
            "new_password",
            "new_password_again",
            &mut errors,
        );
        if errors.is_empty() && input.new_password == input.current_password {
            errors.push(FieldError::new(
                "new_password",
                Text::new(
                    "Välj ett annat lösenord än det du har nu.",
                    "Choose a password other than the one you have now.",
                ),
            ));
        }
        if !errors.is_empty() {
            return self
                .refuse_permitted(event, AppError::Invalid(errors))
                .await;
        }
        let hash = hash_off_thread(&input.new_password).await?;
        let mut tx = self.open_permitted(&event, &[]).await?;
        let db = tx.plain();
        db.set_account_password(user.id, Some(&hash)).await?;
        let keep = session.map(token_hash);
        db.end_sessions_of(user.id, keep.as_deref()).await?;
        self.commit(tx).await
    }

    /// Checks a password typed to confirm a change, under the same limit as log-ins.
    async fn check_current_password(&self, user: &UserRow, typed: &str) -> Result<bool> {
        let key = format!("account:{}", user.email);
        if !self.limiter_reserve(&key) {
            return Err(AppError::TooManyAttempts);
        }
        let Some(hash) = user.password_hash.clone() else {
            return Ok(false);
        };
        let typed = typed.to_owned();
        let ok = tokio::task::spawn_blocking(move || verify_password(&typed, &hash))
            .await
            .map_err(|e| AppError::Internal(format!("password check: {e}")))?;
        if ok {
            self.limiter_clear(&key);
        }
        Ok(ok)
    }

    /// The caller's API tokens, newest first.
    pub async fn api_tokens(&self, actor: &Actor) -> Result<Vec<TokenView>> {
        self.check(&Request::OwnAccount {
            actor,
            function: Function::ApiTokens,
            action: Action::Read,
        })
        .await?;
        let mut tx = self.store.begin_read().await?;
        let rows = tx.tokens(Some(actor.user_id)).await?;
        tx.commit().await?;
        let now = self.now();
        Ok(rows.into_iter().map(|t| token_view(t, now)).collect())
    }

    /// A new API token for the caller, named, valid until the end of `expires_on` (90 days by
    /// default); shown once, kept as a hash.
    pub async fn create_token(&self, actor: &Actor, input: &TokenInput) -> Result<NewToken> {
        let req = Request::OwnAccount {
            actor,
            function: Function::ApiTokens,
            action: Action::Write,
        };
        let event = self
            .permit_or_refuse(&req, "API token created".into())
            .await?;
        let mut errors = Vec::new();
        let name = name_of(
            &input.name,
            "name",
            Text::new(
                "Ge nyckeln ett namn, till exempel vad den används till.",
                "Give the token a name, for example what it is used for.",
            ),
            &mut errors,
        );
        if name.chars().count() > 100 {
            errors.push(FieldError::new(
                "name",
                Text::new("Skriv högst 100 tecken.", "Use at most 100 characters."),
            ));
        }
        let expires_at = self.token_expiry(input.expires_on.as_deref(), &mut errors);
        if !errors.is_empty() {
            return self
                .refuse_permitted(event, AppError::Invalid(errors))
                .await;
        }
        let mut tx = self.open_permitted(&event, &[]).await?;
        let token = format!("stv_{}", random_token());
        let id = Uuid::now_v7();
        tx.plain()
            .insert_named_token(
                id,
                actor.user_id,
                &token_hash(&token),
                &name,
                self.now(),
                expires_at,
            )
            .await?;
        self.commit(tx).await?;
        Ok(NewToken {
            id,
            name,
            token,
            expires_at,
        })
    }

    /// When a token made today with `expires_on` stops working: at the end of that Swedish day.
    fn token_expiry(
        &self,
        expires_on: Option<&str>,
        errors: &mut Vec<FieldError>,
    ) -> OffsetDateTime {
        let today = self.today();
        let last_day = match expires_on.map(str::trim).filter(|d| !d.is_empty()) {
            None => today + time::Duration::days(TOKEN_DAYS),
            Some(typed) => {
                let day = crate::input::parse_date("expires_on", typed, errors);
                match day {
                    Some(d) if d <= today => {
                        errors.push(FieldError::new(
                            "expires_on",
                            Text::new(
                                "Sista dagen måste vara efter i dag.",
                                "The last day must be after today.",
                            ),
                        ));
                        today
                    }
                    Some(d) if d > today + time::Duration::days(MAX_TOKEN_DAYS) => {
                        errors.push(FieldError::new(
                            "expires_on",
                            Text::new(
                                "En nyckel kan gälla högst ett år.",
                                "A token can be valid for at most a year.",
                            ),
                        ));
                        today
                    }
                    Some(d) => d,
                    None => today,
                }
            }
        };
        end_of(last_day)
    }

    /// Revokes one of the caller's tokens: it gets 401 from the next request on.
    pub async fn revoke_token(&self, actor: &Actor, token_id: Uuid) -> Result<TokenView> {
        let req = Request::OwnAccount {
            actor,
            function: Function::ApiTokens,
            action: Action::Write,
        };
        let event = self
            .permit_or_refuse(&req, format!("API token revoked {token_id}"))
            .await?;
        let mut tx = self.open_permitted(&event, &[]).await?;
        let view = self.revoke_in(&mut tx, token_id, Some(actor.user_id)).await;
        match view {
            Ok(v) => {
                self.commit(tx).await?;
                Ok(v)
            }
            Err(e) => reject(tx, e).await,
        }
    }

    async fn revoke_in(
        &self,
        tx: &mut Audited,
        token_id: Uuid,
        holder: Option<Uuid>,
    ) -> Result<TokenView> {
        let db = tx.plain();
        db.token(token_id)
            .await?
            .filter(|t| holder.is_none_or(|h| h == t.user_id))
            .ok_or(AppError::NotFound)?;
        if !db.revoke_token(token_id, self.now()).await? {
            return Err(AppError::Conflict(Text::new(
                "Nyckeln är redan återkallad.",
                "The token is revoked already.",
            )));
        }
        let token = db.token(token_id).await?.ok_or(AppError::NotFound)?;
        Ok(token_view(token, self.now()))
    }

    /// The operator's list of tokens (`stegvis token list`): one user's, or everyone's.
    pub async fn tokens_as_operator(&self, email: Option<&str>) -> Result<Vec<TokenView>> {
        let mut tx = self.store.begin_read().await?;
        let user = match email {
            Some(e) => Some(
                tx.user_by_email(&e.trim().to_lowercase())
                    .await?
                    .ok_or(AppError::NotFound)?
                    .id,
            ),
            None => None,
        };
        let rows = tx.tokens(user).await?;
        tx.commit().await?;
        let now = self.now();
        Ok(rows.into_iter().map(|t| token_view(t, now)).collect())
    }

    /// The operator revokes a token (`stegvis token revoke`), audited as their job; the
    /// holder's organisation's auditor sees it.
    pub async fn revoke_token_as_operator(&self, token_id: Uuid) -> Result<TokenView> {
        let org = {
            let mut tx = self.store.begin_read().await?;
            let token = tx.token(token_id).await?.ok_or(AppError::NotFound)?;
            let org = tx.user(token.user_id).await?.map(|u| u.org_id);
            tx.commit().await?;
            org
        };
        let event = self.operator_event(
            Function::ApiTokens,
            format!("API token revoked {token_id} from the command line"),
            org,
        );
        let mut tx = self.open_permitted(&event, &[]).await?;
        match self.revoke_in(&mut tx, token_id, None).await {
            Ok(v) => {
                self.commit(tx).await?;
                Ok(v)
            }
            Err(e) => reject(tx, e).await,
        }
    }

    /// The operator makes a token for a user (`stegvis token create`), audited as their job.
    pub async fn create_api_token_as_operator(
        &self,
        email: &str,
        name: &str,
        days: i64,
    ) -> Result<NewToken> {
        let user = {
            let mut tx = self.store.begin_read().await?;
            let u = tx
                .user_by_email(&email.trim().to_lowercase())
                .await?
                .ok_or(AppError::NotFound)?;
            tx.commit().await?;
            u
        };
        if !(1..=MAX_TOKEN_DAYS).contains(&days) {
            return Err(AppError::field(
                "days",
                Text::new(
                    "En nyckel kan gälla 1 till 366 dagar.",
                    "A token can be valid for 1 to 366 days.",
                ),
            ));
        }
        let event = self.operator_event(
            Function::ApiTokens,
            format!(
                "API token created for user {} from the command line",
                user.id
            ),
            Some(user.org_id),
        );
        let mut tx = self.open_permitted(&event, &[]).await?;
        let token = format!("stv_{}", random_token());
        let id = Uuid::now_v7();
        let expires_at = end_of(self.today() + time::Duration::days(days));
        tx.plain()
            .insert_named_token(
                id,
                user.id,
                &token_hash(&token),
                name,
                self.now(),
                expires_at,
            )
            .await?;
        self.commit(tx).await?;
        Ok(NewToken {
            id,
            name: name.to_owned(),
            token,
            expires_at,
        })
    }

    // ---- Participants' own accounts. -----------------------------------------------------

    /// A participant's own account, for the staff who may read their record (and the
    /// participant themselves).
    pub async fn participant_account(
        &self,
        actor: &Actor,
        participant_id: Uuid,
    ) -> Result<ParticipantAccountView> {
        let (mut tx, _) = self
            .open_record(
                actor,
                participant_id,
                RecordKind::Participant,
                Action::Read,
                Some("participant account".into()),
            )
            .await?;
        let view = self.account_in(&mut tx, participant_id).await?;
        self.commit(tx).await?;
        Ok(view)
    }

    async fn account_in(
        &self,
        tx: &mut Audited,
        participant_id: Uuid,
    ) -> Result<ParticipantAccountView> {
        let account = tx.participant_account(participant_id).await?;
        let link = match &account {
            Some(a) if !a.has_password && a.disabled_at.is_none() => {
                tx.plain().open_link_of(a.id).await?
            }
            _ => None,
        };
        Ok(ParticipantAccountView {
            participant_id,
            account_id: account.as_ref().map(|a| a.id),
            email: account.as_ref().map(|a| a.email.clone()),
            status: account
                .as_ref()
                .map(|a| AccountStatus::of(a.has_password, a.disabled_at.is_some())),
            activation_expires_at: link.map(|l| l.expires_at),
            version: account.as_ref().map(|a| a.version),
        })
    }

    /// Opens a participant's own account (or a closed one again, or gives one still waiting a
    /// new code): returns the one-time activation code to hand over. Staff who may write the
    /// participant's record do it, and it is in the participant's access log.
    pub async fn open_participant_account(
        &self,
        actor: &Actor,
        participant_id: Uuid,
        input: &ParticipantAccountInput,
    ) -> Result<OpenedAccount> {
        let mut errors = Vec::new();
        let email = email_of(&input.email, "email", &mut errors);
        let (mut tx, subject) = self
            .open_record(
                actor,
                participant_id,
                RecordKind::Participant,
                Action::Write,
                Some("participant account opened".into()),
            )
            .await?;
        if !errors.is_empty() {
            return reject(tx, AppError::Invalid(errors)).await;
        }
        let existing = tx.participant_account(participant_id).await?;
        if existing
            .as_ref()
            .is_some_and(|a| a.has_password && a.disabled_at.is_none())
        {
            return reject(
                tx,
                AppError::Conflict(Text::new(
                    "Deltagaren har redan ett konto som används. Stäng det först om deltagaren behöver ett nytt.",
                    "The participant already has an account in use. Close it first if they need a new one.",
                )),
            )
            .await;
        }
        let taken = tx.plain().user_by_email(&email).await?;
        if taken.is_some_and(|u| existing.as_ref().is_none_or(|a| a.id != u.id)) {
            return reject(tx, duplicate_email()).await;
        }
        let person = tx
            .participant(participant_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let name = format!("{} {}", person.given_name, person.family_name);
        let account_id = match &existing {
            Some(a) => {
                tx.plain().reopen_account(a.id, &email).await?;
                a.id
            }
            None => {
                let row = UserRow {
                    id: Uuid::now_v7(),
                    org_id: subject.org_id,
                    email: email.clone(),
                    name: name.clone(),
                    role: policy::participant_account_role(),
                    password_hash: None,
                    participant_id: Some(participant_id),
                    created_at: self.now(),
                    disabled_at: None,
                };
                tx.plain().insert_user(&row).await?;
                row.id
            }
        };
        let link = self
            .issue_link(
                tx.plain(),
                LinkPurpose::Activation,
                Some((account_id, &email, &name)),
                Some(actor.user_id),
            )
            .await?;
        let account = self.account_in(&mut tx, participant_id).await?;
        self.commit(tx).await?;
        Ok(OpenedAccount { account, link })
    }

    /// Closes a participant's own account: its sessions and tokens stop at the next request,
    /// and a code not yet used stops working.
    pub async fn close_participant_account(
        &self,
        actor: &Actor,
        participant_id: Uuid,
        input: &CloseAccountInput,
    ) -> Result<ParticipantAccountView> {
        let (mut tx, _) = self
            .open_record(
                actor,
                participant_id,
                RecordKind::Participant,
                Action::Write,
                Some("participant account closed".into()),
            )
            .await?;
        let account = tx.participant_account(participant_id).await?;
        let shown = Uuid::parse_str(input.account_id.trim()).ok();
        let Some(account) = account.filter(|a| Some(a.id) == shown) else {
            return reject(
                tx,
                AppError::field(
                    "account_id",
                    Text::new(
                        "Kontot finns inte längre som det visades. Ladda om sidan.",
                        "The account is no longer as it was shown. Reload the page.",
                    ),
                ),
            )
            .await;
        };
        if account.disabled_at.is_some() {
            return reject(
                tx,
                AppError::Conflict(Text::new(
                    "Kontot är redan stängt.",
                    "The account is closed already.",
                )),
            )
            .await;
        }
        let now = self.now();
        let db = tx.plain();
        db.set_account_disabled(account.id, Some(now), account.version)
            .await?;
        switch_off(db, account.id, now).await?;
        let view = self.account_in(&mut tx, participant_id).await?;
        self.commit(tx).await?;
        Ok(view)
    }
}

/// Everything that lets a switched-off account in stops: sessions, tokens, links.
pub(crate) async fn switch_off(db: &mut Tx, user_id: Uuid, now: OffsetDateTime) -> Result<()> {
    db.end_sessions_of(user_id, None).await?;
    db.revoke_tokens_of(user_id, now).await?;
    db.withdraw_links_of(user_id, now).await?;
    Ok(())
}

/// The moment a day ends in Sweden: when a token valid through it stops.
fn end_of(day: Date) -> OffsetDateTime {
    crate::local::swedish_midnight(day.next_day().unwrap_or(day))
}

/// Setup's input, checked.
struct CheckedSetup {
    org_name: String,
    kind: OrganisationKind,
    municipality: Option<String>,
    name: String,
    email: String,
    hash: String,
}

fn already_set_up() -> AppError {
    AppError::field(
        "token",
        Text::new(
            "Stegvis är redan konfigurerat här. Logga in, eller be en administratör om ett konto.",
            "Stegvis is set up here already. Log in, or ask an administrator for an account.",
        ),
    )
}

fn made_for_the_demo() -> AppError {
    AppError::field(
        "token",
        Text::new(
            "Databasen är skapad för demot. Starta Stegvis med en ny, tom datamapp för riktig användning.",
            "This database was made for the demo. Start Stegvis with a new, empty data folder for real use.",
        ),
    )
}

pub(crate) fn duplicate_email() -> AppError {
    AppError::field(
        "email",
        Text::new(
            "Det finns redan ett konto med den e-postadressen.",
            "An account with that e-mail address already exists.",
        ),
    )
}

pub(crate) fn duplicate_organisation(field: &str) -> AppError {
    AppError::field(
        field,
        Text::new(
            "Det finns redan en organisation med det namnet.",
            "An organisation with that name already exists.",
        ),
    )
}
