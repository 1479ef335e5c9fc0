//! Reading the audit trail: the auditor searches their organisation's trail; a participant reads
//! who looked at their own record (partner staff never see the trail). Each read is audited.

use crate::error::{FieldError, Text};
use crate::policy::{Action, RecordKind};
use crate::{Actor, App, AppError, Result};
use serde::{Deserialize, Serialize};
pub use stegvis_store::AuditEntry;
use stegvis_store::AuditFilter;
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Filters for the trail.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct AuditQuery {
    pub participant_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
    /// The acting user's e-mail address (instead of `user_id`).
    pub user: Option<String>,
    /// First day, `YYYY-MM-DD` (inclusive).
    #[param(value_type = Option<String>, format = Date)]
    #[schema(value_type = Option<String>, format = Date)]
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (inclusive).
    #[param(value_type = Option<String>, format = Date)]
    #[schema(value_type = Option<String>, format = Date)]
    pub to: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// At most this many events in one answer (an export asks for all of them).
pub const MAX_EVENTS: i64 = 10_000;

/// When a Swedish day begins, as the trail's UTC times count it.
fn day_start(d: Date) -> OffsetDateTime {
    crate::local::swedish_midnight(d)
}

fn optional_date(field: &str, v: Option<&str>, errors: &mut Vec<FieldError>) -> Option<Date> {
    match v.map(str::trim) {
        Some(v) if !v.is_empty() => crate::input::parse_date(field, v, errors),
        _ => None,
    }
}

impl App {
    /// Events by the auditor's organisation's users or about its participants, newest first.
    pub async fn audit_trail(&self, actor: &Actor, q: &AuditQuery) -> Result<Vec<AuditEntry>> {
        let mut errors = Vec::new();
        let from = optional_date("from", q.from.as_deref(), &mut errors);
        let to = optional_date("to", q.to.as_deref(), &mut errors);
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            errors.push(FieldError::new(
                "to",
                Text::new(
                    "Slutdatumet kan inte vara före startdatumet.",
                    "The end date cannot be before the start date.",
                ),
            ));
        }
        let mut user_id = q.user_id;
        if let Some(email) = q.user.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
            let mut tx = self.store.begin_read().await?;
            let found = tx.user_by_email(&email.to_lowercase()).await?;
            tx.commit().await?;
            match found {
                Some(u) => user_id = Some(u.id),
                None => errors.push(FieldError::new(
                    "user",
                    Text::new(
                        "Det finns ingen användare med den e-postadressen.",
                        "There is no user with that e-mail address.",
                    ),
                )),
            }
        }
        let mut tx = self.open_audit_trail(actor, q.participant_id).await?;
        if !errors.is_empty() {
            return crate::gate::reject(tx, AppError::Invalid(errors)).await;
        }
        let filter = AuditFilter {
            participant_id: q.participant_id,
            actor_user_id: user_id,
            org_id: Some(actor.org_id),
            from: from.map(day_start),
            until: to.and_then(|t| t.next_day()).map(day_start),
            limit: q.limit.unwrap_or(100).clamp(1, MAX_EVENTS),
            offset: q.offset.unwrap_or(0).max(0),
        };
        let events = tx.audit_events(&filter).await?;
        self.commit(tx).await?;
        Ok(events)
    }

    /// Who read or changed a participant's data, when and on what ground, newest first: for the
    /// participant themselves and for the controlling organisation's auditor.
    pub async fn access_log(&self, actor: &Actor, participant_id: Uuid) -> Result<Vec<AuditEntry>> {
        let (mut tx, _) = self
            .open_record(
                actor,
                participant_id,
                RecordKind::AuditTrail,
                Action::Read,
                Some("access log".into()),
            )
            .await?;
        let filter = AuditFilter {
            participant_id: Some(participant_id),
            limit: MAX_EVENTS,
            ..AuditFilter::default()
        };
        let mut events = tx.audit_events(&filter).await?;
        self.commit(tx).await?;
        // Another participant who tried to open this record stays anonymous: their name would
        // tell that they, too, are in a programme.
        for e in events
            .iter_mut()
            .filter(|e| e.actor_role == "participant" && e.ground != "own_record")
        {
            e.actor_user_id = None;
            e.actor_name = None;
            e.actor_org_id = None;
            e.actor_org_name = None;
        }
        Ok(events)
    }
}

/// What a ground means, in words a participant understands (`to_participant`), or in neutral
/// words for the auditor.
pub fn ground_text(ground: &str, to_participant: bool) -> Text {
    let (kind, rest) = ground.split_once(':').unwrap_or((ground, ""));
    if !to_participant {
        return match (kind, rest) {
            ("own_organisation", _) => {
                Text::new("Egen organisations ärende", "The own organisation's case")
            }
            ("own_record", _) => Text::new("Deltagaren själv", "The participant themselves"),
            ("consent", "search") => Text::new(
                "Sökning bland dem som samtyckt",
                "Search among the consented",
            ),
            ("consent", _) => Text::new("Deltagarens samtycke", "The participant's consent"),
            ("supervisor", _) => Text::new("Handledare på praktikplatsen", "Placement supervisor"),
            ("system", _) => Text::new("Systemet (import)", "The system (import)"),
            ("own_account", _) => Text::new(
                "Eget konto (lösenord, API-nycklar)",
                "Own account (password, API tokens)",
            ),
            ("operator", _) => Text::new(
                "Driftpersonal vid servern (kommandorad)",
                "Operator at the server (command line)",
            ),
            ("denied", "own_role") => Text::new(
                "Nekad: en administratör kan inte ge sig själv en roll som läser deltagares uppgifter",
                "Denied: an administrator cannot give themselves a role that reads participants' data",
            ),
            ("denied", "own_account") => Text::new(
                "Nekad: en administratör kan inte stänga av sitt eget konto",
                "Denied: an administrator cannot deactivate their own account",
            ),
            ("denied", "invalid_input") => Text::new(
                "Avvisad: felaktiga uppgifter, inget sparades",
                "Rejected: invalid input, nothing saved",
            ),
            ("denied", "conflict") => Text::new(
                "Avvisad: krock med en annan ändring, inget sparades",
                "Rejected: conflict with another change, nothing saved",
            ),
            ("denied", _) => Text::new("Nekad", "Denied"),
            _ => Text::new("Annan grund", "Other ground"),
        };
    }
    match (kind, rest) {
        ("own_organisation", _) => Text::new(
            "Personal i organisationen som har ditt ärende",
            "Staff of the organisation that holds your case",
        ),
        ("own_record", _) => Text::new("Du själv", "You yourself"),
        ("consent", "search") => Text::new(
            "Sökning bland dem som gett samtycke",
            "A search among those who consented",
        ),
        ("consent", _) => Text::new("Ditt samtycke", "Your consent"),
        ("supervisor", _) => Text::new(
            "Handledare på din praktikplats",
            "Supervisor at your placement",
        ),
        ("system", _) => Text::new("Systemet (import)", "The system (import)"),
        ("own_account", _) => Text::new(
            "Du själv, på ditt konto (lösenord, API-nycklar)",
            "You yourself, on your account (password, API tokens)",
        ),
        ("denied", "invalid_input" | "conflict") => Text::new(
            "En ändring som inte sparades (uppgifterna behövde rättas)",
            "A change that was not saved (the input needed correcting)",
        ),
        ("denied", _) => Text::new("Nekades: ingen rätt att se", "Refused: no right to see"),
        _ => Text::new("Annan grund", "Other ground"),
    }
}
