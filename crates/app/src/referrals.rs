//! Referrals (remisser): the organisation holding a participant's case asks another to take
//! part, relying on a live consent to that organisation which covers the person's details. The
//! recipient reads and answers it while that consent is live; a revocation hides it at once.

use crate::error::{FieldError, Text};
use crate::gate::reject;
use crate::keyset::{Keyset, PageRequest, unknown_cursor};
use crate::policy::{Action, RecordKind};
use crate::{Actor, App, AppError, Result};
use serde::{Deserialize, Serialize};
use stegvis_domain::referral::{ReferralStatus, Side};
use stegvis_store::referral::{ReferralListRow, ReferralRow};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ReferralInput {
    #[schema(schema_with = crate::openapi::uuid, required = true)]
    pub to_org_id: String,
    /// The consent the referral relies on; default: a live consent to the recipient that covers
    /// the participant's details.
    #[schema(schema_with = crate::openapi::optional_uuid)]
    pub consent_id: Option<String>,
    #[schema(schema_with = crate::openapi::text::<2000>, required = true)]
    pub reason: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ReferralMove {
    /// `accepted` or `declined` (the recipient), `closed` (either side).
    #[schema(value_type = stegvis_domain::referral::ReferralStatus, required = true)]
    pub status: String,
    #[schema(schema_with = crate::openapi::optional_text::<2000>)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReferralView {
    pub id: Uuid,
    pub participant_id: Uuid,
    /// In lists: the participant's name, and the two organisations' names.
    pub participant_name: Option<String>,
    pub from_org_id: Uuid,
    pub from_org_name: Option<String>,
    pub to_org_id: Uuid,
    pub to_org_name: Option<String>,
    pub consent_id: Uuid,
    pub reason: String,
    /// `sent`, `accepted`, `declined` or `closed`.
    #[schema(value_type = stegvis_domain::referral::ReferralStatus)]
    pub status: String,
    #[serde(with = "time::serde::rfc3339")]
    pub sent_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub answered_at: Option<OffsetDateTime>,
    pub answer_note: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub closed_at: Option<OffsetDateTime>,
}

fn view(r: &ReferralRow) -> ReferralView {
    ReferralView {
        id: r.id,
        participant_id: r.participant_id,
        participant_name: None,
        from_org_id: r.org_id,
        from_org_name: None,
        to_org_id: r.to_org_id,
        to_org_name: None,
        consent_id: r.consent_id,
        reason: r.reason.clone(),
        status: r.status.code().to_owned(),
        sent_at: r.sent_at,
        answered_at: r.answered_at,
        answer_note: r.answer_note.clone(),
        closed_at: r.closed_at,
    }
}

fn list_view(r: &ReferralListRow) -> ReferralView {
    ReferralView {
        participant_name: Some(format!("{} {}", r.given_name, r.family_name)),
        from_org_name: Some(r.from_org_name.clone()),
        to_org_name: Some(r.to_org_name.clone()),
        ..view(&r.referral)
    }
}

fn text_len_error(
    field: &str,
    value: &str,
    max: usize,
    message: Text,
    errors: &mut Vec<FieldError>,
) {
    if value.trim().is_empty() || value.chars().count() > max {
        errors.push(FieldError::new(field, message));
    }
}

impl App {
    /// Sends a referral for a participant of the actor's organisation.
    pub async fn send_referral(
        &self,
        actor: &Actor,
        participant_id: Uuid,
        input: &ReferralInput,
    ) -> Result<ReferralView> {
        let (mut tx, subject) = self
            .open_record(
                actor,
                participant_id,
                RecordKind::Referral,
                Action::Write,
                Some("send referral".into()),
            )
            .await?;
        let mut errors = Vec::new();
        let to = Uuid::parse_str(input.to_org_id.trim()).ok();
        let today = self.today();
        let consents = tx.live_consents(participant_id, today).await?;
        let wanted = input
            .consent_id
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(Uuid::parse_str);
        // A live consent to the recipient that covers who the participant is.
        let consent = crate::gate::live(participant_id, consents)
            .into_iter()
            .find(|c| {
                to.is_some_and(|to| crate::policy::consent_covers(c, to, RecordKind::Participant))
                    && match &wanted {
                        Some(Ok(w)) => *w == c.id,
                        Some(Err(_)) => false,
                        None => true,
                    }
            });
        match (to, &consent) {
            (None, _) => errors.push(FieldError::new(
                "to_org_id",
                Text::new(
                    "Välj organisationen som remissen går till.",
                    "Choose the organisation the referral goes to.",
                ),
            )),
            (Some(_), None) => errors.push(FieldError::new(
                "consent_id",
                Text::new(
                    "Det finns inget gällande samtycke till den organisationen som omfattar personuppgifter. Anteckna samtycket först.",
                    "There is no consent in force to that organisation covering personal details. Note the consent first.",
                ),
            )),
            _ => {}
        }
        let reason = input.reason.trim();
        text_len_error(
            "reason",
            reason,
            2000,
            Text::new(
                "Skriv varför remissen skickas (högst 2 000 tecken).",
                "Write why the referral is sent (at most 2,000 characters).",
            ),
            &mut errors,
        );
        let (Some(to), Some(consent), true) = (to, consent, errors.is_empty()) else {
            return reject(tx, AppError::Invalid(errors)).await;
        };
        let row = ReferralRow {
            org_id: subject.org_id,
            id: Uuid::now_v7(),
            participant_id,
            to_org_id: to,
            consent_id: consent.id,
            reason: reason.to_owned(),
            status: ReferralStatus::Sent,
            sent_by: Some(actor.user_id),
            sent_at: self.now(),
            answered_by: None,
            answered_at: None,
            answer_note: None,
            closed_at: None,
        };
        tx.insert_referral(&row).await?;
        self.commit(tx).await?;
        Ok(view(&row))
    }

    /// A participant's referrals (the holding organisation, the participant, the auditor).
    pub async fn referrals_of(
        &self,
        actor: &Actor,
        participant_id: Uuid,
    ) -> Result<Vec<ReferralView>> {
        let (mut tx, _) = self
            .open_record(
                actor,
                participant_id,
                RecordKind::Referral,
                Action::Read,
                None,
            )
            .await?;
        let rows = tx.referrals_of(participant_id).await?;
        self.commit(tx).await?;
        Ok(rows.iter().map(view).collect())
    }

    /// One referral: the sender's side, and the recipient's while its consent is live.
    pub async fn referral(&self, actor: &Actor, id: Uuid) -> Result<ReferralView> {
        let (mut tx, _, _) = self.open_referral(actor, id, Action::Read, "read").await?;
        let row = tx.referral(id).await?.ok_or(AppError::NotFound)?;
        self.commit(tx).await?;
        Ok(view(&row))
    }

    /// One page of the referrals the actor's organisation sent, and those sent to it under a
    /// live consent, newest first. Only the rows of the page are read and audited.
    pub async fn referral_list(
        &self,
        actor: &Actor,
        page: &PageRequest,
    ) -> Result<Keyset<ReferralView>> {
        let (mut tx, sent, received) = self.open_referral_list(actor).await?;
        // A cursor from elsewhere ends the request before anything is read or written.
        if let Some(after) = page.after
            && !tx.referral_cursor_known(actor.org_id, after).await?
        {
            return Err(unknown_cursor());
        }
        let mut rows = tx
            .referrals_for(
                actor.org_id,
                sent,
                received,
                self.today(),
                page.fetch(),
                page.after,
            )
            .await?;
        let next = page.cut(&mut rows, |r| r.referral.id);
        // Each received referral shown is a look at that participant, on the consent's ground.
        let mut shown = Vec::with_capacity(rows.len());
        for r in rows {
            let received = r.referral.to_org_id == actor.org_id;
            let subject = crate::policy::Subject {
                participant_id: r.referral.participant_id,
                org_id: r.referral.org_id,
            };
            let detail = format!("referral list {}", r.referral.id);
            if !received
                || self
                    .admit_received_referral(&mut tx, actor, subject, r.referral.consent_id, detail)
                    .await?
            {
                shown.push(r);
            }
        }
        self.commit(tx).await?;
        Ok(Keyset {
            items: shown.iter().map(list_view).collect(),
            next,
        })
    }

    /// Answers (recipient), withdraws (sender) or closes (either) a referral.
    pub async fn move_referral(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &ReferralMove,
    ) -> Result<ReferralView> {
        let (mut tx, subject, to_org) =
            self.open_referral(actor, id, Action::Write, "move").await?;
        let side = if actor.org_id == subject.org_id {
            Side::Sender
        } else if actor.org_id == to_org {
            Side::Recipient
        } else {
            return reject(tx, AppError::NotFound).await;
        };
        let row = tx.referral(id).await?.ok_or(AppError::NotFound)?;
        let from = row.status;
        let to = ReferralStatus::from_code(input.status.trim()).ok();
        let note = input
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty());
        let mut errors = Vec::new();
        if input
            .note
            .as_deref()
            .is_some_and(|n| n.chars().count() > 2000)
        {
            errors.push(FieldError::new(
                "note",
                Text::new("Högst 2 000 tecken.", "At most 2,000 characters."),
            ));
        }
        match to {
            Some(to) if from.may_move(to, side) => {}
            _ => errors.push(FieldError::new(
                "status",
                Text::new(
                    "Remissen kan inte få den statusen nu.",
                    "The referral cannot take that status now.",
                ),
            )),
        }
        let (Some(to), true) = (to, errors.is_empty()) else {
            return reject(tx, AppError::Invalid(errors)).await;
        };
        let note = note.filter(|_| side == Side::Recipient && to != ReferralStatus::Closed);
        if !tx
            .move_referral(id, from.code(), to.code(), actor.user_id, self.now(), note)
            .await?
        {
            let err = AppError::Conflict(Text::new(
                "Remissen har ändrats av någon annan. Ladda om sidan.",
                "The referral was changed by someone else. Reload the page.",
            ));
            return reject(tx, err).await;
        }
        let row = tx.referral(id).await?.ok_or(AppError::NotFound)?;
        self.commit(tx).await?;
        Ok(view(&row))
    }
}
