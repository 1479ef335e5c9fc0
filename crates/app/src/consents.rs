//! Consent (samtycke): the participant lets a partner organisation see named kinds of record,
//! for a purpose and a period. The gate reads the live ones for every decision; a revocation or
//! an expiry closes access at once. History is kept: nothing is deleted.

use crate::error::{FieldError, Text};
use crate::gate::reject;
use crate::policy::{Action, RecordKind};
use crate::{Actor, App, AppError, Result};
use serde::{Deserialize, Serialize};
use stegvis_store::consent::{ConsentRow, KindList};
use time::Date;
use utoipa::ToSchema;
use uuid::Uuid;

/// The record kinds a consent can cover.
pub const SHAREABLE: &[RecordKind] = &[
    RecordKind::Participant,
    RecordKind::Enrolment,
    RecordKind::Assessment,
    RecordKind::Plan,
    RecordKind::Attendance,
    RecordKind::Placement,
    RecordKind::FollowUp,
    RecordKind::Conference,
];

stegvis_domain::code_list!(
    /// How a consent was given.
    ConsentForm, "consent form" {
        Written => "written", "Skriftligt", "Written";
        Oral => "oral", "Muntligt (antecknat av personal)", "Oral (noted by staff)";
        Digital => "digital", "Digitalt", "Digital";
    }
);

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ConsentInput {
    #[schema(schema_with = crate::openapi::uuid, required = true)]
    pub recipient_org_id: String,
    /// Record kinds: `participant`, `enrolment`, `assessment`, `plan`, `attendance`,
    /// `placement`, `follow_up`, `conference`.
    #[schema(schema_with = crate::openapi::shareable_kinds, required = true)]
    pub kinds: Vec<String>,
    #[schema(schema_with = crate::openapi::text::<500>, required = true)]
    pub purpose: String,
    /// `written`, `oral` (noted by staff) or `digital`.
    #[schema(value_type = ConsentForm, required = true)]
    pub form: String,
    /// `YYYY-MM-DD`; default today.
    #[schema(schema_with = crate::openapi::optional_date)]
    pub valid_from: Option<String>,
    #[schema(schema_with = crate::openapi::optional_date)]
    pub valid_to: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConsentView {
    pub id: Uuid,
    pub participant_id: Uuid,
    pub recipient_org_id: Uuid,
    #[schema(value_type = Vec<crate::policy::RecordKind>)]
    pub kinds: Vec<String>,
    pub purpose: String,
    #[schema(value_type = ConsentForm)]
    pub form: String,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    pub revoked: bool,
    /// Live today: begun, not ended, not revoked.
    pub live: bool,
}

fn view(c: &ConsentRow) -> ConsentView {
    let revoked = c.revoked_at.is_some();
    ConsentView {
        id: c.id,
        participant_id: c.participant_id,
        recipient_org_id: c.recipient_org_id,
        kinds: c.kinds.0.iter().map(|k| k.code().to_owned()).collect(),
        purpose: c.purpose.clone(),
        form: c.form.clone(),
        valid_from: c.valid_from,
        valid_to: c.valid_to,
        revoked,
        live: c.live,
    }
}

impl App {
    /// Records a consent given by the participant (by them, or noted by staff).
    pub async fn grant_consent(
        &self,
        actor: &Actor,
        participant_id: Uuid,
        input: &ConsentInput,
    ) -> Result<ConsentView> {
        let recipient = Uuid::parse_str(input.recipient_org_id.trim()).ok();
        let recipient_exists = match recipient {
            Some(id) => {
                let mut tx = self.store.begin_read().await?;
                let found = tx.organisation(id).await?.is_some();
                tx.commit().await?;
                found
            }
            None => false,
        };
        let (mut tx, subject) = self
            .open_record(
                actor,
                participant_id,
                RecordKind::Consent,
                Action::Write,
                Some("grant consent".into()),
            )
            .await?;
        let mut errors = Vec::new();
        if !recipient_exists || recipient == Some(subject.org_id) {
            errors.push(FieldError::new(
                "recipient_org_id",
                Text::new(
                    "Välj organisationen som får ta del av uppgifterna.",
                    "Choose the organisation that may see the records.",
                ),
            ));
        }
        let mut kinds: Vec<RecordKind> = Vec::new();
        for k in &input.kinds {
            match RecordKind::from_code(k.trim()) {
                Ok(kind) if SHAREABLE.contains(&kind) => {
                    if !kinds.contains(&kind) {
                        kinds.push(kind);
                    }
                }
                _ => errors.push(FieldError::new(
                    "kinds",
                    Text::new("Okänd sorts uppgift.", "Unknown kind of record."),
                )),
            }
        }
        if kinds.is_empty() {
            errors.push(FieldError::new(
                "kinds",
                Text::new(
                    "Välj vilka uppgifter samtycket gäller.",
                    "Choose which records the consent covers.",
                ),
            ));
        }
        let purpose = input.purpose.trim();
        if purpose.is_empty() || input.purpose.chars().count() > 500 {
            errors.push(FieldError::new(
                "purpose",
                Text::new(
                    "Skriv syftet med samtycket (högst 500 tecken).",
                    "Write the purpose of the consent (at most 500 characters).",
                ),
            ));
        }
        let form = input.form.trim();
        if !["written", "oral", "digital"].contains(&form) {
            errors.push(FieldError::new(
                "form",
                Text::new(
                    "Välj hur samtycket gavs: skriftligt, muntligt eller digitalt.",
                    "Choose how the consent was given: written, oral or digital.",
                ),
            ));
        }
        let today = self.today();
        let valid_from = match input.valid_from.as_deref().map(str::trim) {
            Some(v) if !v.is_empty() => crate::input::parse_date("valid_from", v, &mut errors),
            _ => Some(today),
        };
        let valid_to = match input.valid_to.as_deref().map(str::trim) {
            Some(v) if !v.is_empty() => crate::input::parse_date("valid_to", v, &mut errors),
            _ => None,
        };
        if let (Some(f), Some(t)) = (valid_from, valid_to)
            && t < f
        {
            errors.push(FieldError::new(
                "valid_to",
                Text::new(
                    "Slutdatumet kan inte vara före startdatumet.",
                    "The end date cannot be before the start date.",
                ),
            ));
        }
        let (Some(recipient), Some(valid_from), true) = (recipient, valid_from, errors.is_empty())
        else {
            return reject(tx, AppError::Invalid(errors)).await;
        };
        let row = ConsentRow {
            org_id: subject.org_id,
            id: Uuid::now_v7(),
            participant_id,
            recipient_org_id: recipient,
            kinds: KindList(kinds),
            purpose: purpose.to_owned(),
            form: form.to_owned(),
            valid_from,
            valid_to,
            recorded_by: Some(actor.user_id),
            recorded_at: self.now(),
            revoked_at: None,
            revoked_by: None,
            live: false,
        };
        tx.insert_consent(&row).await?;
        let row = tx.consent(row.id, today).await?.ok_or(AppError::NotFound)?;
        self.commit(tx).await?;
        Ok(view(&row))
    }

    /// A participant's consents, live and past.
    pub async fn consents(&self, actor: &Actor, participant_id: Uuid) -> Result<Vec<ConsentView>> {
        let (mut tx, _) = self
            .open_record(
                actor,
                participant_id,
                RecordKind::Consent,
                Action::Read,
                None,
            )
            .await?;
        let rows = tx.consents_of(participant_id, self.today()).await?;
        self.commit(tx).await?;
        Ok(rows.iter().map(view).collect())
    }

    /// Revokes a consent: access closes with the next request.
    pub async fn revoke_consent(&self, actor: &Actor, consent_id: Uuid) -> Result<ConsentView> {
        let participant_id = self
            .store
            .consent_participant(consent_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (mut tx, _) = self
            .open_record(
                actor,
                participant_id,
                RecordKind::Consent,
                Action::Write,
                Some(format!("revoke consent {consent_id}")),
            )
            .await?;
        if !tx
            .revoke_consent(consent_id, self.now(), actor.user_id)
            .await?
        {
            let err = AppError::Conflict(Text::new(
                "Samtycket är redan återkallat.",
                "The consent is already revoked.",
            ));
            return reject(tx, err).await;
        }
        let row = tx
            .consent(consent_id, self.today())
            .await?
            .ok_or(AppError::NotFound)?;
        self.commit(tx).await?;
        Ok(view(&row))
    }
}
