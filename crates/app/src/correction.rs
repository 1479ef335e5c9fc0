//! Correction of a participant's names and identity number by the data protection officer (the
//! right to rectification). The earlier names go to the record history; an earlier number is
//! kept sealed in `identity_history` (never as plain text in the history); the new number is
//! checked exactly as at enrolment and for a duplicate, and the report tallies follow the birth
//! date it gives.

use crate::error::{FieldError, Text};
use crate::gate::reject;
use crate::history::Owner;
use crate::participants::name_field;
use crate::policy::{Action, RecordKind};
use crate::{Actor, App, AppError, Result};
use serde::{Deserialize, Serialize};
use stegvis_domain::participant::{IdentityMode, search_key};
use stegvis_domain::{IdentityInput, IdentityNumber, SealedIdentity};
use stegvis_store::register_extract::IdentityHistoryRow;
use uuid::Uuid;

/// The corrected values, as typed in the form. An empty identity number keeps the one stored.
#[derive(Clone, Default, Deserialize)]
#[serde(default)]
pub struct CorrectionInput {
    pub given_name: String,
    pub family_name: String,
    pub identity_number: String,
}

impl std::fmt::Debug for CorrectionInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Names and numbers never reach logs.
        write!(f, "CorrectionInput(<redacted>)")
    }
}

/// The names as they were, kept in the record history (the number goes to `identity_history`).
#[derive(Serialize)]
struct EarlierNames<'a> {
    given_name: &'a str,
    family_name: &'a str,
    /// Whether the identity number was corrected too (the earlier one is kept sealed).
    identity_number_corrected: bool,
}

impl App {
    /// Corrects participant `id`'s names and, when one is typed, identity number. Bad input and
    /// a number another participant of the organisation already has change nothing.
    pub async fn correct_participant_identity(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &CorrectionInput,
    ) -> Result<()> {
        let (mut tx, subject, _) = self
            .open_subject_rights(actor, id, Action::Write, "correction of names and identity")
            .await?;
        // The key state first: it orders this write after (or before) a rotation batch.
        let keys = self.sealing_keys(&mut tx).await?;
        let mut errors = Vec::new();
        let given = name_field("given_name", &input.given_name, &mut errors);
        let family = name_field("family_name", &input.family_name, &mut errors);
        let typed = input.identity_number.trim();
        let number = if typed.is_empty() {
            None
        } else {
            match IdentityInput::parse(IdentityMode::Number, typed, self.today()) {
                Ok(IdentityInput::Number(n)) => Some(n),
                Ok(_) => None,
                Err(e) => {
                    errors.push(FieldError::new(
                        "identity_number",
                        Text::from_messages(|l| e.message(l)),
                    ));
                    None
                }
            }
        };
        if !errors.is_empty() {
            return reject(tx, AppError::Invalid(errors)).await;
        }
        let Some(mut row) = tx.participant(id).await? else {
            return reject(tx, AppError::NotFound).await;
        };
        let old_number = match &row.identity {
            Some(sealed) => Some(self.open_identity(sealed, id)?),
            None => None,
        };
        // Typing the number already stored changes nothing about it.
        let number = number.filter(|n| old_number.as_ref() != Some(n));
        if given == row.given_name && family == row.family_name && number.is_none() {
            return self.commit(tx).await;
        }
        let sealed = number
            .as_ref()
            .map(|n| SealedIdentity::seal(&keys.ring, n, id));
        if let Some(n) = &number
            && tx
                .participant_by_identity(subject.org_id, &keys.hashes(n))
                .await?
                .is_some_and(|other| other != id)
        {
            let err = AppError::field(
                "identity_number",
                Text::new(
                    "En annan deltagare har redan det här numret. Kontrollera numret; inget har ändrats.",
                    "Another participant already has this number. Check the number; nothing was changed.",
                ),
            );
            return reject(tx, err).await;
        }
        let owner = Owner {
            org_id: subject.org_id,
            participant_id: id,
            record_id: id,
        };
        let earlier = EarlierNames {
            given_name: &row.given_name,
            family_name: &row.family_name,
            identity_number_corrected: number.is_some(),
        };
        self.keep_history(&mut tx, actor, RecordKind::Participant, owner, &earlier)
            .await?;
        if let (Some(old), Some(_)) = (&old_number, &number) {
            let history_id = Uuid::now_v7();
            // Sealed again with the history row's own id as its associated data.
            let kept = SealedIdentity::seal(&keys.ring, old, history_id);
            tx.insert_identity_history(
                subject.org_id,
                &IdentityHistoryRow {
                    id: history_id,
                    participant_id: id,
                    identity_kind: Some(kept.kind),
                    identity_enc: kept.ciphertext,
                    replaced_at: self.now(),
                    replaced_by: Some(actor.user_id),
                },
            )
            .await?;
        }
        if let (Some(n), Some(s)) = (&number, sealed) {
            row.identity_mode = IdentityMode::Number;
            row.identity = Some(s);
            row.birth_date = Some(IdentityNumber::birth_date(n));
        }
        row.search_name = search_key(&given, &family);
        row.given_name = given;
        row.family_name = family;
        row.updated_at = self.now();
        tx.correct_participant(&row).await?;
        // The commit refreshes this participant's report tallies: the birth date, and with it
        // the age band, may have changed.
        self.commit(tx).await
    }
}
