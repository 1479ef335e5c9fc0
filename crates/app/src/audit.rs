//! Reading the audit trail: the auditor searches their organisation's trail; a participant reads
//! who looked at their own record (partner staff never see the trail). Each read is audited.

use crate::error::{FieldError, Text};
use crate::policy::{Action, RecordKind};
use crate::{Actor, App, AppError, Result};
use serde::{Deserialize, Serialize};
pub use stegvis_store::AuditEntry;
use stegvis_store::AuditFilter;
use stegvis_store::audit_chain::{ChainProblem, EventSigner, VerificationRow};
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

/// Signs audit events with the key file's audit key; the store holds only this.
/// It follows the process's key ring, which a key rotation reloads.
pub(crate) struct KeySigner(pub(crate) std::sync::Arc<crate::keys::Keys>);

impl EventSigner for KeySigner {
    fn key_id(&self) -> i16 {
        i16::from(self.0.ring().audit_key_id())
    }

    fn mac(&self, key_id: i16, bytes: &[u8]) -> Option<[u8; 32]> {
        let k = u8::try_from(key_id).ok()?;
        // A key another process added since this one loaded the file: read it again once.
        self.0.ring().audit_mac(k, bytes).or_else(|| {
            self.0
                .reload()
                .ok()
                .and_then(|ring| ring.audit_mac(k, bytes))
        })
    }
}

/// How often the sealer looks for events to chain.
const SEAL_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// A verification of the trail, as the auditor and the operator see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub by_name: String,
    pub ok: bool,
    /// Events (links) the walk covered.
    pub events: i64,
    pub problems: i64,
    pub head_pos: i64,
    /// The head's hash, hex: for the data protection officer to keep outside the system.
    pub head_hash: Option<String>,
    pub first_problem: Option<Text>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The first problem in words, Swedish and English.
pub fn problem_text(p: &ChainProblem) -> Text {
    let when = |at: &OffsetDateTime| {
        at.format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default()
    };
    match p {
        ChainProblem::Removed { id, pos, at } => Text::new(
            format!("Händelse {id} (nr {pos}, {}) har tagits bort.", when(at)),
            format!("Event {id} (number {pos}, {}) was removed.", when(at)),
        ),
        ChainProblem::Changed { id, pos, at } => Text::new(
            format!("Händelse {id} (nr {pos}, {}) har ändrats.", when(at)),
            format!("Event {id} (number {pos}, {}) was changed.", when(at)),
        ),
        ChainProblem::NotSigned { id, pos, at } => {
            let (nr, number) = match pos {
                Some(p) => (format!("nr {p}, "), format!("number {p}, ")),
                None => (String::new(), String::new()),
            };
            Text::new(
                format!(
                    "Händelse {id} ({nr}{}) är inte skriven av Stegvis: ändrad eller infogad.",
                    when(at)
                ),
                format!(
                    "Event {id} ({number}{}) was not written by Stegvis: changed or inserted.",
                    when(at)
                ),
            )
        }
        ChainProblem::UnknownKey { id, pos, key } => Text::new(
            format!(
                "Händelse {id} (nr {pos}) är signerad med nyckel {key}, som saknas i nyckelfilen."
            ),
            format!(
                "Event {id} (number {pos}) is signed with key {key}, which the key file lacks."
            ),
        ),
        ChainProblem::Inserted { id, at } => Text::new(
            format!(
                "Händelse {id} ({}) har infogats direkt i databasen.",
                when(at)
            ),
            format!(
                "Event {id} ({}) was inserted directly into the database.",
                when(at)
            ),
        ),
        ChainProblem::RemovedBeforeSealing { id } => Text::new(
            format!("Händelse {id} togs bort innan den förseglades."),
            format!("Event {id} was removed before it was sealed."),
        ),
        ChainProblem::LinkChanged { pos } => Text::new(
            format!("Länk nr {pos} i kedjan har ändrats."),
            format!("Link number {pos} of the chain was changed."),
        ),
        ChainProblem::LinksRemoved { from, to } => Text::new(
            format!("Länkarna nr {from}–{to} har tagits bort ur kedjan."),
            format!("Links number {from}–{to} were removed from the chain."),
        ),
        ChainProblem::HeadBehind { pos } => Text::new(
            format!(
                "Händelser fram till nr {pos} fanns vid en tidigare kontroll men saknas eller är ändrade nu."
            ),
            format!(
                "Events up to number {pos} were there at an earlier verification but are missing or changed now."
            ),
        ),
    }
}

fn verification(row: VerificationRow) -> Verification {
    Verification {
        at: row.at,
        by_name: row.by_name,
        ok: row.ok,
        events: row.events,
        problems: row.problems,
        head_pos: row.head_pos,
        head_hash: row.head_hash.as_deref().map(hex),
        first_problem: row
            .first_problem
            .as_deref()
            .and_then(|j| serde_json::from_str::<ChainProblem>(j).ok())
            .map(|p| problem_text(&p)),
    }
}

impl App {
    /// Gives the store the signer, so every event from now on carries its MAC.
    pub(crate) fn install_signer(&self) {
        self.store
            .set_signer(std::sync::Arc::new(KeySigner(self.keys.clone())));
    }

    /// Starts the background sealer: first the events from before tamper evidence (legacy, in
    /// resumable batches), then every written event, about once a second. It stops when the
    /// store is closed.
    pub(crate) fn start_sealer(&self) {
        let store = self.store.clone();
        let keys = self.keys.clone();
        let jobs = self.jobs.clone();
        tokio::spawn(async move {
            loop {
                if store.is_closed() {
                    return;
                }
                // A rotation run by another process: sign and seal with its key from now on.
                if let Ok(stegvis_store::keys::KeyRecords {
                    state: Some(state), ..
                }) = store.key_records().await
                    && let Err(e) = keys.follow(&state)
                {
                    tracing::warn!("the key state cannot be followed: {e}");
                }
                let sealed = store.seal(stegvis_store::audit_chain::SEAL_BATCH).await;
                if !(sealed.is_err() && store.is_closed()) {
                    jobs.record("audit_sealer", sealed.is_ok());
                }
                match sealed {
                    Ok(n) if n as i64 == stegvis_store::audit_chain::SEAL_BATCH => continue,
                    Ok(_) => {}
                    Err(e) if store.is_closed() => {
                        tracing::debug!("sealer stops: {e}");
                        return;
                    }
                    Err(e) => tracing::warn!("the audit sealer will try again: {e}"),
                }
                tokio::time::sleep(SEAL_EVERY).await;
            }
        });
    }

    /// Verifies the trail (seals what is waiting, then walks the whole chain), stores the
    /// verification and audits it. `by` is the auditor who asked; `None` is the operator at
    /// the machine (`stegvis audit verify`).
    /// Seals the trail and signs its head with the current key (see `Store::add_checkpoint`).
    pub(crate) async fn checkpoint_trail(&self) -> Result<Option<i64>> {
        let signer = KeySigner(self.keys.clone());
        Ok(self.store.add_checkpoint(&signer, self.now()).await?)
    }

    pub async fn verify_trail(&self, by: Option<&Actor>) -> Result<Verification> {
        if let Some(actor) = by {
            // The gate decides, and the look is in the trail whatever the outcome.
            let tx = self.open_audit_trail(actor, None).await?;
            self.commit(tx).await?;
        }
        self.store.seal_all().await?;
        let previous = self.store.longest_verified_head().await?;
        let signer = KeySigner(self.keys.clone());
        let report = self.store.verify_chain(&signer, previous).await?;
        let row = VerificationRow {
            id: Uuid::now_v7(),
            at: self.now(),
            by_user_id: by.map(|a| a.user_id),
            by_name: by.map_or_else(|| "operator".to_owned(), |a| a.name.clone()),
            ok: report.problems == 0,
            head_pos: report.head_pos,
            head_hash: report.head_hash.clone(),
            events: report.events,
            problems: report.problems,
            first_problem: report
                .first_problem
                .as_ref()
                .map(|p| serde_json::to_string(p).unwrap_or_default()),
        };
        let detail = format!(
            "audit trail verified: {} events, {} problems, head {}",
            row.events, row.problems, row.head_pos
        );
        // The operator's event shape, about the trail itself (no function code fits it; the
        // record kind is overwritten), and the auditor's identity when one asked.
        let mut event =
            self.operator_event(crate::policy::Function::Users, detail, by.map(|a| a.org_id));
        event.record_kind = RecordKind::AuditTrail.code().into();
        if let Some(actor) = by {
            event.actor_user_id = Some(actor.user_id);
            event.actor_role = actor.role.code().into();
            event.ground = format!("own_organisation:{}", actor.role.code());
        }
        let mut tx = self.open_permitted(&event, &[]).await?;
        tx.record_verification(&row).await?;
        self.commit(tx).await?;
        Ok(verification(row))
    }

    /// The latest verification, for the auditor's page (auditors only; a refusal is audited).
    pub async fn last_verification(&self, actor: &Actor) -> Result<Option<Verification>> {
        self.check(&crate::policy::Request::AuditTrail(actor, None))
            .await?;
        Ok(self.store.last_verification().await?.map(verification))
    }
}
