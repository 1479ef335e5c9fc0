//! User accounts: created by administrators or the CLI.

use crate::auth::{MIN_PASSWORD_CHARS, hash_password};
use crate::error::{FieldError, Text};
use crate::policy::{Action, Function};
use crate::{Actor, App, AppError, Result};
use serde::{Deserialize, Serialize};
use stegvis_domain::Role;
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

fn view(u: &UserRow) -> UserView {
    UserView {
        id: u.id,
        org_id: u.org_id,
        email: u.email.clone(),
        name: u.name.clone(),
        role: u.role.code().to_owned(),
    }
}

impl App {
    /// Staff accounts of the administrator's organisation.
    pub async fn users(&self, actor: &Actor) -> Result<Vec<UserView>> {
        self.check_function(actor, Function::Users, Action::Read)
            .await?;
        let mut tx = self.store.begin_read().await?;
        let rows = tx.users_of_org(actor.org_id).await?;
        tx.commit().await?;
        // Participants' own accounts would tell who takes part: they stay behind the gate.
        Ok(rows
            .iter()
            .filter(|u| crate::policy::listed_as_user(u.role))
            .map(view)
            .collect())
    }

    /// An administrator adds a user to their own organisation.
    pub async fn create_user(&self, actor: &Actor, input: &UserInput) -> Result<UserView> {
        self.check_function(actor, Function::Users, Action::Write)
            .await?;
        if input.org_id.trim() != actor.org_id.to_string() {
            return Err(AppError::field(
                "org_id",
                Text::new(
                    "Du kan bara lägga till användare i din egen organisation.",
                    "You can only add users to your own organisation.",
                ),
            ));
        }
        self.add_user(input, None).await
    }

    /// Adds a user (CLI and demo: no actor). `participant_id` links a participant's own account.
    pub async fn add_user(
        &self,
        input: &UserInput,
        participant_id: Option<Uuid>,
    ) -> Result<UserView> {
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
        let role = Role::from_code(input.role.trim()).map_err(|_| {
            errors.push(FieldError::new(
                "role",
                Text::new("Välj en roll.", "Choose a role."),
            ));
        });
        if input.password.chars().count() < MIN_PASSWORD_CHARS {
            errors.push(FieldError::new(
                "password",
                Text::new(
                    "Lösenordet måste ha minst 12 tecken.",
                    "The password must have at least 12 characters.",
                ),
            ));
        }
        // Hash before the transaction: argon2 is slow and must not hold the write lock.
        let password_hash = if errors.is_empty() {
            Some(hash_password(&input.password)?)
        } else {
            None
        };
        let mut tx = self.store.begin().await?;
        let org = match Uuid::parse_str(input.org_id.trim()) {
            Ok(id) => tx.organisation(id).await?,
            Err(_) => tx.organisation_by_name(input.org_id.trim()).await?,
        };
        if org.is_none() {
            errors.push(FieldError::new(
                "org_id",
                Text::new(
                    "Organisationen finns inte.",
                    "The organisation does not exist.",
                ),
            ));
        }
        let (Some(org), Ok(role), true) = (org, role, errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        if tx.user_by_email(&email).await?.is_some() {
            return Err(AppError::Conflict(Text::new(
                "Det finns redan en användare med den e-postadressen.",
                "A user with that e-mail address already exists.",
            )));
        }
        let row = UserRow {
            id: Uuid::now_v7(),
            org_id: org.id,
            email,
            name: name.to_owned(),
            role,
            password_hash,
            participant_id,
            created_at: self.now(),
            disabled_at: None,
        };
        tx.insert_user(&row).await?;
        tx.commit().await?;
        Ok(view(&row))
    }

    pub(crate) async fn user_exists(&self, email: &str) -> Result<bool> {
        let mut tx = self.store.begin_read().await?;
        let found = tx.user_by_email(&email.to_lowercase()).await?.is_some();
        tx.commit().await?;
        Ok(found)
    }
}

/// An active coach or project manager: someone who can be responsible for participants.
pub(crate) fn may_coach(u: &stegvis_store::user::UserRow) -> bool {
    u.disabled_at.is_none() && crate::policy::may_coach(u.role)
}
