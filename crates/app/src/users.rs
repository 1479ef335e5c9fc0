//! User accounts: administrators invite people and keep their roles, switch accounts off and
//! on, and issue password resets; the CLI and the demo add accounts directly.
//!
//! An administrator keeps the accounts of their own organisation and of the organisations it
//! administers (those its administrators registered). Every change is audited with it.

use crate::accounts::{IssuedLink, duplicate_email, email_of, name_of, switch_off, user_view};
use crate::auth::{MIN_PASSWORD_CHARS, hash_password};
use crate::error::{FieldError, Text};
use crate::gate::reject;
use crate::policy::{self, Action, Function, Ground, Request};
use crate::{Actor, App, AppError, Result};
use serde::{Deserialize, Serialize};
use stegvis_domain::Role;
use stegvis_domain::account::{AccountStatus, LinkPurpose};
use stegvis_store::Tx;
use stegvis_store::account::AccountRow;
use stegvis_store::user::UserRow;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserView {
    pub id: Uuid,
    pub org_id: Uuid,
    pub email: String,
    pub name: String,
    #[schema(value_type = stegvis_domain::Role)]
    pub role: String,
    /// Invited (no password yet), active, or deactivated.
    pub status: AccountStatus,
    /// Send it back with a change, to get 409 instead of overwriting a newer one.
    pub version: i64,
}

#[derive(Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct UserInput {
    #[schema(pattern = "@", max_length = 254, required = true)]
    pub email: String,
    #[schema(schema_with = crate::openapi::name, required = true)]
    pub name: String,
    #[schema(min_length = 1, required = true)]
    pub org_id: String,
    /// `coach`, `partner_staff`, `supervisor`, `participant`, `project_manager`, `admin`, `auditor`.
    #[schema(value_type = stegvis_domain::Role, required = true)]
    pub role: String,
    /// At least 12 characters.
    #[schema(min_length = 12, required = true)]
    pub password: String,
}

impl std::fmt::Debug for UserInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "UserInput(role {:?}, <redacted>)", self.role)
    }
}

/// An invitation: a new account without a password, and the one-time link that sets it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct InviteInput {
    #[schema(pattern = "@", max_length = 254, required = true)]
    pub email: String,
    #[schema(schema_with = crate::openapi::text::<200>, required = true)]
    pub name: String,
    /// Any role but `participant` (a participant's account is opened on their page).
    #[schema(value_type = stegvis_domain::Role, required = true)]
    pub role: String,
    /// The organisation: the administrator's own (blank) or one it administers.
    #[schema(schema_with = crate::openapi::optional_uuid)]
    pub org_id: Option<String>,
}

/// A new account and the link to hand over.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Invitation {
    pub user: UserView,
    pub link: IssuedLink,
}

/// An administrator's change to an account; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct AccountChange {
    /// The version that was read: a change made meanwhile gives 409.
    #[schema(required = true)]
    pub version: Option<i64>,
    #[schema(value_type = Option<stegvis_domain::Role>)]
    pub role: Option<String>,
    /// `false` switches the account off (its sessions and tokens stop at the next request);
    /// `true` switches it on again.
    pub active: Option<bool>,
}

fn row_view(u: &UserRow) -> UserView {
    UserView {
        id: u.id,
        org_id: u.org_id,
        email: u.email.clone(),
        name: u.name.clone(),
        role: u.role.code().to_owned(),
        status: AccountStatus::of(u.password_hash.is_some(), u.disabled_at.is_some()),
        version: 1,
    }
}

/// A new account's facts, checked, with its password hashed.
struct NewAccount {
    email: String,
    name: String,
    role: Role,
    password_hash: Option<String>,
}

impl App {
    /// Staff accounts of the organisations the administrator keeps (their own and those it
    /// administers). Participants' own accounts would tell who takes part: they stay out.
    pub async fn users(&self, actor: &Actor) -> Result<Vec<UserView>> {
        self.check_function(actor, Function::Users, Action::Read)
            .await?;
        let mut tx = self.store.begin_read().await?;
        let rows = tx.accounts_administered_by(actor.org_id).await?;
        tx.commit().await?;
        Ok(rows
            .iter()
            .filter(|u| policy::listed_as_user(u.role))
            .map(user_view)
            .collect())
    }

    /// One staff account the administrator keeps.
    pub async fn user(&self, actor: &Actor, id: Uuid) -> Result<UserView> {
        let account = self.staff_account(id).await?;
        self.check(&Request::Function {
            actor,
            function: Function::Users,
            action: Action::Read,
            owner: Some(account.admin_org_id),
        })
        .await?;
        Ok(user_view(&account))
    }

    /// A staff account (participants' own accounts are not administered here).
    async fn staff_account(&self, id: Uuid) -> Result<AccountRow> {
        let mut tx = self.store.begin_read().await?;
        let account = tx.account(id).await?;
        tx.commit().await?;
        account
            .filter(|a| policy::listed_as_user(a.role))
            .ok_or(AppError::NotFound)
    }

    /// An administrator adds a user with a password to their own organisation.
    pub async fn create_user(&self, actor: &Actor, input: &UserInput) -> Result<UserView> {
        let req = Request::Function {
            actor,
            function: Function::Users,
            action: Action::Write,
            owner: None,
        };
        let event = self
            .permit_or_refuse(
                &req,
                format!(
                    "user created with a password: {} as {}",
                    short(&input.email),
                    Role::from_code(input.role.trim()).map_or("-", |r| r.code())
                ),
            )
            .await?;
        if input.org_id.trim() != actor.org_id.to_string() {
            return self
                .refuse_permitted(
                    event,
                    AppError::field(
                        "org_id",
                        Text::new(
                            "Du kan bara lägga till användare i din egen organisation.",
                            "You can only add users to your own organisation.",
                        ),
                    ),
                )
                .await;
        }
        // A participant's account belongs to a participant: it is opened on their page, never
        // here, where it would be linked to nobody and hidden from every administrator.
        let mut role_errors = Vec::new();
        if role_for_account(&input.role, &mut role_errors).is_none()
            && Role::from_code(input.role.trim()).is_ok()
        {
            return self
                .refuse_permitted(event, AppError::Invalid(role_errors))
                .await;
        }
        let new = match self.check_new_user(input, true).await {
            Ok(n) => n,
            Err(e) => return self.refuse_permitted(event, e).await,
        };
        let mut tx = self.open_permitted(&event, &[]).await?;
        match insert_account(tx.plain(), actor.org_id, new, None, self.now()).await {
            Ok(row) => {
                self.commit(tx).await?;
                Ok(row_view(&row))
            }
            Err(e) => reject(tx, e).await,
        }
    }

    /// Adds a user (the demo: no actor, no audit). `participant_id` links a participant's own
    /// account.
    pub async fn add_user(
        &self,
        input: &UserInput,
        participant_id: Option<Uuid>,
    ) -> Result<UserView> {
        let new = self.check_new_user(input, false).await?;
        let mut tx = self.store.begin().await?;
        let org = self.org_named(&mut tx, &input.org_id).await?;
        let row = insert_account(&mut tx, org, new, participant_id, self.now()).await?;
        tx.commit().await?;
        Ok(row_view(&row))
    }

    /// Adds many users of one organisation and role sharing one password (the demo's coaches:
    /// no actor, no audit, as [`App::add_user`]). The password is hashed once, since a hash per
    /// user would dominate a large demo. Returns the new users' ids.
    pub async fn add_users_sharing_password(
        &self,
        org_id: Uuid,
        role: Role,
        people: &[(String, String)],
        password: &str,
    ) -> Result<Vec<Uuid>> {
        let Some((email, name)) = people.first() else {
            return Ok(Vec::new());
        };
        let template = UserInput {
            email: email.clone(),
            name: name.clone(),
            org_id: org_id.to_string(),
            role: role.code().into(),
            password: password.into(),
        };
        let hash = self.check_new_user(&template, false).await?.password_hash;
        let mut tx = self.store.begin().await?;
        let mut ids = Vec::with_capacity(people.len());
        for (email, name) in people {
            let new = NewAccount {
                email: email.trim().to_lowercase(),
                name: name.trim().into(),
                role,
                password_hash: hash.clone(),
            };
            ids.push(
                insert_account(&mut tx, org_id, new, None, self.now())
                    .await?
                    .id,
            );
        }
        tx.commit().await?;
        Ok(ids)
    }

    /// Adds a user at the machine (`stegvis user add`), audited as the operator's job.
    pub async fn add_user_as_operator(&self, input: &UserInput) -> Result<UserView> {
        // As before setup existed: the length only (scripts that add users keep working).
        let new = self.check_new_user(input, false).await?;
        let org = {
            let mut tx = self.store.begin_read().await?;
            let org = self.org_named(&mut tx, &input.org_id).await;
            tx.commit().await?;
            org?
        };
        let event = self.operator_event(
            Function::Users,
            "user added from the command line".into(),
            Some(org),
        );
        let mut tx = self.open_permitted(&event, &[]).await?;
        match insert_account(tx.plain(), org, new, None, self.now()).await {
            Ok(row) => {
                self.commit(tx).await?;
                Ok(row_view(&row))
            }
            Err(e) => reject(tx, e).await,
        }
    }

    /// The organisation an input names, by id or by name.
    async fn org_named(&self, tx: &mut Tx, typed: &str) -> Result<Uuid> {
        let org = match Uuid::parse_str(typed.trim()) {
            Ok(id) => tx.organisation(id).await?,
            Err(_) => tx.organisation_by_name(typed.trim()).await?,
        };
        org.map(|o| o.id).ok_or_else(|| {
            AppError::field(
                "org_id",
                Text::new(
                    "Organisationen finns inte.",
                    "The organisation does not exist.",
                ),
            )
        })
    }

    /// Checks a new user with a password, and hashes it (before any write lock).
    /// `strict`: the password must not be easy to guess either (everyone but the demo, whose
    /// public password is the point).
    async fn check_new_user(&self, input: &UserInput, strict: bool) -> Result<NewAccount> {
        let mut errors = Vec::new();
        let email = input.email.trim().to_lowercase();
        if !email.contains('@') || email.len() > 254 || email.contains(char::is_whitespace) {
            errors.push(FieldError::new(
                "email",
                Text::new(
                    "Skriv en giltig e-postadress.",
                    "Enter a valid e-mail address.",
                ),
            ));
        }
        let name = input.name.trim();
        if name.is_empty() {
            errors.push(FieldError::new(
                "name",
                Text::new("Skriv namnet.", "Enter the name."),
            ));
        }
        let role = Role::from_code(input.role.trim()).ok();
        if role.is_none() {
            errors.push(FieldError::new(
                "role",
                Text::new("Välj en roll.", "Choose a role."),
            ));
        }
        let weakness = stegvis_domain::account::password_weakness(&input.password, &input.email);
        if let (true, true, Some((sv, en))) = (
            strict,
            input.password.chars().count() >= MIN_PASSWORD_CHARS,
            weakness,
        ) {
            errors.push(FieldError::new("password", Text::new(sv, en)));
        }
        if input.password.chars().count() < MIN_PASSWORD_CHARS {
            errors.push(FieldError::new(
                "password",
                Text::new(
                    "Lösenordet måste ha minst 12 tecken.",
                    "The password must have at least 12 characters.",
                ),
            ));
        }
        let (Some(role), true) = (role, errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        Ok(NewAccount {
            email,
            name: name.to_owned(),
            role,
            password_hash: Some(hash_password(&input.password)?),
        })
    }

    /// Invites someone: a new account without a password in an organisation the administrator
    /// keeps, and a one-time link (valid 7 days) that sets it, to hand over.
    pub async fn invite(&self, actor: &Actor, input: &InviteInput) -> Result<Invitation> {
        let mut errors = Vec::new();
        let email = email_of(&input.email, "email", &mut errors);
        let name = name_of(
            &input.name,
            "name",
            Text::new("Skriv personens namn.", "Enter the person's name."),
            &mut errors,
        );
        let role = role_for_account(input.role.as_str(), &mut errors);
        // The organisation: the administrator's own unless another is named.
        let org = match input
            .org_id
            .as_deref()
            .map(str::trim)
            .filter(|o| !o.is_empty())
        {
            None => Some(actor.org_id),
            Some(typed) => {
                let found = match Uuid::parse_str(typed) {
                    Ok(id) => {
                        let mut tx = self.store.begin_read().await?;
                        let o = tx.organisation_admin(id).await?;
                        tx.commit().await?;
                        o
                    }
                    Err(_) => None,
                };
                if found.is_none() {
                    errors.push(not_yours("org_id"));
                }
                found.map(|o| o.id)
            }
        };
        let owner = match org {
            Some(id) => self.admin_org_of(id).await?,
            None => actor.org_id,
        };
        let req = Request::Function {
            actor,
            function: Function::Users,
            action: Action::Write,
            owner: Some(owner),
        };
        // The role asked for, so that the auditor sees who was let in to read what.
        let asked = Role::from_code(input.role.trim()).map_or("-", |r| r.code());
        let event = match self
            .permit(
                &req,
                format!("user invited: {} as {asked}", short(&input.email)),
            )
            .await?
        {
            Ok(e) => e,
            // Another organisation's, named in the input: said at its field.
            Err(Ground::Denied("other_organisation")) => {
                return Err(AppError::Invalid(vec![not_yours("org_id")]));
            }
            // Not an administrator: the function is not theirs at all.
            Err(_) => return Err(AppError::Forbidden),
        };
        let (Some(org), Some(role), true) = (org, role, errors.is_empty()) else {
            return self
                .refuse_permitted(event, AppError::Invalid(errors))
                .await;
        };
        let mut tx = self.open_permitted(&event, &[]).await?;
        let new = NewAccount {
            email: email.clone(),
            name: name.clone(),
            role,
            password_hash: None,
        };
        let row = match insert_account(tx.plain(), org, new, None, self.now()).await {
            Ok(row) => row,
            Err(e) => return reject(tx, e).await,
        };
        let link = self
            .issue_account_link(
                tx.plain(),
                LinkPurpose::Invitation,
                &row,
                Some(actor.user_id),
            )
            .await?;
        let account = tx
            .plain()
            .account(row.id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.commit(tx).await?;
        Ok(Invitation {
            user: user_view(&account),
            link,
        })
    }

    /// Changes an account's role, or switches it off or on. An administrator cannot give
    /// themselves a role that reads participants' data, nor switch themselves off: another
    /// administrator must, and the auditor sees both the refusal and the change.
    pub async fn change_user(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &AccountChange,
    ) -> Result<UserView> {
        let account = self.staff_account(id).await?;
        let mut errors = Vec::new();
        let role = match input.role.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(typed) => role_for_account(typed, &mut errors),
        };
        let deactivate = input.active == Some(false);
        let req = Request::ChangeAccount {
            actor,
            user: id,
            owner: account.admin_org_id,
            role,
            deactivate,
        };
        let mut what = Vec::new();
        if let Some(r) = role {
            what.push(format!("role {} -> {}", account.role.code(), r.code()));
        }
        match input.active {
            Some(false) => what.push("deactivated".to_owned()),
            Some(true) => what.push("reactivated".to_owned()),
            None => {}
        }
        let detail = format!("account {id} changed: {}", what.join(", "));
        let event = match self.permit(&req, detail).await? {
            Ok(e) => e,
            Err(Ground::Denied("own_role")) => {
                return Err(AppError::field(
                    "role",
                    Text::new(
                        "Du kan inte ge dig själv en roll som läser deltagarnas uppgifter. En annan administratör måste göra det.",
                        "You cannot give yourself a role that reads participants' data. Another administrator must do it.",
                    ),
                ));
            }
            Err(Ground::Denied("own_account")) => {
                return Err(AppError::field(
                    "active",
                    Text::new(
                        "Du kan inte stänga av ditt eget konto. En annan administratör måste göra det.",
                        "You cannot deactivate your own account. Another administrator must do it.",
                    ),
                ));
            }
            Err(_) => return Err(req.refusal()),
        };
        let Some(version) = input.version else {
            errors.push(FieldError::new(
                "version",
                Text::new(
                    "Versionen saknas. Ladda om sidan och försök igen.",
                    "The version is missing. Reload the page and try again.",
                ),
            ));
            return self
                .refuse_permitted(event, AppError::Invalid(errors))
                .await;
        };
        if !errors.is_empty() {
            return self
                .refuse_permitted(event, AppError::Invalid(errors))
                .await;
        }
        let mut tx = self.open_permitted(&event, &[]).await?;
        let now = self.now();
        let db = tx.plain();
        let result = async {
            let current = db.account(id).await?.ok_or(AppError::NotFound)?;
            if current.version != version {
                return Err(stegvis_store::StoreError::Stale.into());
            }
            let mut version = version;
            if let Some(r) = role.filter(|r| *r != current.role) {
                db.set_account_role(id, r, version).await?;
                version += 1;
            }
            match input.active {
                Some(false) if current.disabled_at.is_none() => {
                    db.set_account_disabled(id, Some(now), version).await?;
                    switch_off(db, id, now).await?;
                }
                Some(true) if current.disabled_at.is_some() => {
                    db.set_account_disabled(id, None, version).await?;
                    // Whatever a log-in or a token made in the moment of switching off slipped
                    // past it stays ended: the account comes back with nothing open.
                    switch_off(db, id, now).await?;
                }
                _ => {}
            }
            Ok::<_, AppError>(())
        }
        .await;
        if let Err(e) = result {
            return reject(tx, e).await;
        }
        let account = tx.plain().account(id).await?.ok_or(AppError::NotFound)?;
        self.commit(tx).await?;
        Ok(user_view(&account))
    }

    /// A new one-time link that sets the account's password (valid 24 hours); earlier links
    /// stop working. The current password works until the link is used.
    pub async fn reset_password(&self, actor: &Actor, id: Uuid) -> Result<IssuedLink> {
        let account = self.staff_account(id).await?;
        let req = Request::Function {
            actor,
            function: Function::Users,
            action: Action::Write,
            owner: Some(account.admin_org_id),
        };
        let event = self
            .permit_or_refuse(&req, format!("password reset link for account {id}"))
            .await?;
        if account.disabled_at.is_some() {
            return self
                .refuse_permitted(
                    event,
                    AppError::Conflict(Text::new(
                        "Kontot är avstängt. Aktivera det först.",
                        "The account is deactivated. Reactivate it first.",
                    )),
                )
                .await;
        }
        let purpose = if account.has_password {
            LinkPurpose::PasswordReset
        } else {
            LinkPurpose::Invitation
        };
        let mut tx = self.open_permitted(&event, &[]).await?;
        let row = tx.plain().user(id).await?.ok_or(AppError::NotFound)?;
        let link = self
            .issue_account_link(tx.plain(), purpose, &row, Some(actor.user_id))
            .await?;
        self.commit(tx).await?;
        Ok(link)
    }

    /// The organisation whose administrators keep `org_id` (itself when none does).
    pub(crate) async fn admin_org_of(&self, org_id: Uuid) -> Result<Uuid> {
        let mut tx = self.store.begin_read().await?;
        let org = tx.organisation_admin(org_id).await?;
        tx.commit().await?;
        Ok(org.map_or(org_id, |o| o.admin_org_id))
    }

    pub(crate) async fn user_exists(&self, email: &str) -> Result<bool> {
        let mut tx = self.store.begin_read().await?;
        let found = tx.user_by_email(&email.to_lowercase()).await?.is_some();
        tx.commit().await?;
        Ok(found)
    }
}

/// Inserts a checked new account into `org_id`; an address already in use is an error at
/// `email`.
async fn insert_account(
    tx: &mut Tx,
    org_id: Uuid,
    new: NewAccount,
    participant_id: Option<Uuid>,
    now: time::OffsetDateTime,
) -> Result<UserRow> {
    if tx.user_by_email(&new.email).await?.is_some() {
        return Err(duplicate_email());
    }
    let row = UserRow {
        id: Uuid::now_v7(),
        org_id,
        email: new.email,
        name: new.name,
        role: new.role,
        password_hash: new.password_hash,
        participant_id,
        created_at: now,
        disabled_at: None,
    };
    tx.insert_user(&row).await?;
    Ok(row)
}

/// A role an administrator may give, or the reason at `role`.
/// Typed text as an audit detail shows it: trimmed, at most an e-mail address's length.
fn short(typed: &str) -> String {
    typed.trim().chars().take(254).collect()
}

fn role_for_account(typed: &str, errors: &mut Vec<FieldError>) -> Option<Role> {
    match Role::from_code(typed.trim()) {
        Ok(r) if policy::assignable_by_administrator(r) => Some(r),
        Ok(_) => {
            errors.push(FieldError::new(
                "role",
                Text::new(
                    "En deltagares konto skapas på deltagarens sida, av den som har ärendet.",
                    "A participant's account is opened on the participant's page, by the staff who hold the case.",
                ),
            ));
            None
        }
        Err(_) => {
            errors.push(FieldError::new(
                "role",
                Text::new("Välj en roll.", "Choose a role."),
            ));
            None
        }
    }
}

fn not_yours(field: &str) -> FieldError {
    FieldError::new(
        field,
        Text::new(
            "Välj din egen organisation eller en som den administrerar.",
            "Choose your own organisation or one it administers.",
        ),
    )
}

/// An active coach or project manager: someone who can be responsible for participants.
pub(crate) fn may_coach(u: &stegvis_store::user::UserRow) -> bool {
    u.disabled_at.is_none() && crate::policy::may_coach(u.role)
}
