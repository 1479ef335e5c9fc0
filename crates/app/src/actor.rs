//! Who is acting: a logged-in user with one role in one organisation.

use stegvis_domain::Role;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Uuid,
    pub org_id: Uuid,
    pub role: Role,
    pub name: String,
    /// For participants' own accounts: their participant record.
    pub participant_id: Option<Uuid>,
}
