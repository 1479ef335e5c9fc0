//! Opening personal data through the policy gate: decide, audit, and only then touch the store.
//! This module is the only caller of `Store::begin_audited` (a test checks that).

use crate::policy::{self, AccessRequest, Action, Ground, LiveConsent, RecordKind, Subject};
use crate::{Actor, App, AppError, Result};
use stegvis_store::Audited;
use stegvis_store::participant::Visibility;
use uuid::Uuid;

impl App {
    /// The participant's consents that are live today: begun, not ended, not revoked. Read
    /// fresh for every decision, so a revocation or an expiry closes access at once.
    async fn live_consents(&self, participant_id: Uuid) -> Result<Vec<LiveConsent>> {
        let rows = self
            .store
            .live_consents(participant_id, self.today())
            .await?;
        Ok(live(participant_id, rows))
    }

    /// The sequence every opening follows: a refusal is audited on its own and answered with
    /// `refusal`; an allowance opens the transaction that already holds its event.
    async fn admit(
        &self,
        event: &stegvis_store::AuditEvent,
        allowed: bool,
        refusal: AppError,
    ) -> Result<Audited> {
        if !allowed {
            self.store.record_event(event).await?;
            return Err(refusal);
        }
        Ok(self.store.begin_audited(event).await?)
    }

    /// Decides `req`, audits the decision with `detail`, and opens the transaction if allowed;
    /// unknown and refused both give `NotFound`.
    async fn admit_request(
        &self,
        req: &AccessRequest<'_>,
        detail: Option<String>,
    ) -> Result<Audited> {
        let ground = policy::decide(req);
        let event = policy::audit_event(
            req.actor,
            Some(req.subject.participant_id),
            req.kind,
            req.action,
            &ground,
            self.now(),
            detail,
        );
        self.admit(&event, ground.is_allowed(), AppError::NotFound)
            .await
    }

    /// The subject and live consents of a participant whose organisation is `org_id`.
    async fn subject_of(
        &self,
        participant_id: Uuid,
        org_id: Uuid,
    ) -> Result<(Subject, Vec<LiveConsent>)> {
        let consents = self.live_consents(participant_id).await?;
        Ok((
            Subject {
                participant_id,
                org_id,
            },
            consents,
        ))
    }

    /// The subject and live consents of a participant (unknown: `NotFound`).
    async fn participant_subject(
        &self,
        participant_id: Uuid,
    ) -> Result<(Subject, Vec<LiveConsent>)> {
        let org_id = self
            .store
            .participant_org(participant_id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.subject_of(participant_id, org_id).await
    }

    /// Opens one referral: for the participant's own organisation as any record of theirs, and
    /// for the recipient's staff while the consent the referral relies on is live. Returns the
    /// referral's recipient organisation.
    pub(crate) async fn open_referral(
        &self,
        actor: &Actor,
        referral_id: Uuid,
        action: Action,
        detail: &str,
    ) -> Result<(Audited, Subject, Uuid)> {
        let (org_id, participant_id, to_org_id, consent_id) = self
            .store
            .referral_owner(referral_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (subject, consents) = self.subject_of(participant_id, org_id).await?;
        let req = AccessRequest {
            referral_consent: Some(consent_id),
            ..AccessRequest::new(actor, subject, RecordKind::Referral, action, &consents)
        };
        let tx = self
            .admit_request(&req, Some(format!("{detail} {referral_id}")))
            .await?;
        Ok((tx, subject, to_org_id))
    }

    /// Opens an assessment for a partner's part: the holding organisation as usual, and a
    /// partner organisation the assessment is opened to under a consent covering assessments.
    pub(crate) async fn open_joint_assessment(
        &self,
        actor: &Actor,
        participant_id: Uuid,
        opened_to: &[Uuid],
        detail: String,
    ) -> Result<(Audited, Subject)> {
        let (subject, consents) = self.participant_subject(participant_id).await?;
        let req = AccessRequest {
            opened_to: opened_to.iter().copied().find(|o| *o == actor.org_id),
            ..AccessRequest::new(
                actor,
                subject,
                RecordKind::Assessment,
                Action::Write,
                &consents,
            )
        };
        let tx = self.admit_request(&req, Some(detail)).await?;
        Ok((tx, subject))
    }

    /// Opens an organisation's list of referrals (sent and received): staff of the holding
    /// organisation see what they sent; partner staff what was sent to them under a live consent.
    pub(crate) async fn open_referral_list(&self, actor: &Actor) -> Result<(Audited, bool, bool)> {
        let sent = policy::role_permits(actor.role, RecordKind::Referral, Action::Search);
        // Only partner staff read referrals sent to their organisation (under the consent each
        // relies on; the use case audits every one it shows).
        let received = actor.role == stegvis_domain::Role::PartnerStaff;
        let ground = match (sent, received) {
            (true, _) => Ground::OwnOrganisation(actor.role),
            (false, true) => Ground::ConsentedOnly,
            _ => Ground::Denied("role_not_allowed"),
        };
        let event = policy::audit_event(
            actor,
            None,
            RecordKind::Referral,
            Action::Search,
            &ground,
            self.now(),
            Some("referral list".into()),
        );
        let tx = self
            .admit(&event, ground.is_allowed(), AppError::Forbidden)
            .await?;
        Ok((tx, sent, received))
    }

    /// Opens one participant's record of `kind` for `action`. Unknown and refused both give
    /// `NotFound`; a refusal is audited on its own.
    pub(crate) async fn open_record(
        &self,
        actor: &Actor,
        participant_id: Uuid,
        kind: RecordKind,
        action: Action,
        detail: Option<String>,
    ) -> Result<(Audited, Subject)> {
        let (subject, consents) = self.participant_subject(participant_id).await?;
        let req = AccessRequest::new(actor, subject, kind, action, &consents);
        let tx = self.admit_request(&req, detail).await?;
        Ok((tx, subject))
    }

    /// Opens the same kind of record for several participants at once (group attendance), all or
    /// nothing: every decision is audited; one refusal refuses the whole group with `NotFound`.
    pub(crate) async fn open_records(
        &self,
        actor: &Actor,
        participant_ids: &[Uuid],
        kind: RecordKind,
        action: Action,
        detail: &str,
    ) -> Result<(Audited, Vec<Subject>)> {
        let mut events = Vec::with_capacity(participant_ids.len());
        let mut subjects = Vec::with_capacity(participant_ids.len());
        let mut all_allowed = true;
        for &participant_id in participant_ids {
            // An unknown id refuses the group like a forbidden one, after the decisions already
            // made are recorded: probing must leave a trace.
            let Some(org_id) = self.store.participant_org(participant_id).await? else {
                all_allowed = false;
                continue;
            };
            let consents = self.live_consents(participant_id).await?;
            let subject = Subject {
                participant_id,
                org_id,
            };
            subjects.push(subject);
            let ground =
                policy::decide(&AccessRequest::new(actor, subject, kind, action, &consents));
            all_allowed &= ground.is_allowed();
            events.push(policy::audit_event(
                actor,
                Some(participant_id),
                kind,
                action,
                &ground,
                self.now(),
                Some(detail.to_owned()),
            ));
        }
        let Some((first, rest)) = events.split_first() else {
            return Err(AppError::NotFound);
        };
        if !all_allowed {
            for e in events.iter().filter(|e| e.decision == "denied") {
                self.store.record_event(e).await?;
            }
            return Err(AppError::NotFound);
        }
        let mut tx = self.admit(first, true, AppError::NotFound).await?;
        for e in rest {
            tx.record(e).await?;
        }
        Ok((tx, subjects))
    }

    /// Opens one placement: as any record of the participant for staff, and for the
    /// placement's own supervisor (the use case limits what a supervisor sees and writes).
    /// Returns whether the actor came in as the supervisor.
    pub(crate) async fn open_placement(
        &self,
        actor: &Actor,
        placement_id: Uuid,
        action: Action,
        detail: &str,
    ) -> Result<(Audited, Subject, bool)> {
        let (org_id, participant_id, supervisor, status) = self
            .store
            .placement_owner(placement_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (subject, consents) = self.subject_of(participant_id, org_id).await?;
        // A supervisor comes in once the placement is theirs: accepted, running or ended; an
        // offer (or a declined one) is not yet the workplace's business.
        let supervised = (actor.role == stegvis_domain::Role::Supervisor
            && supervisor == Some(actor.user_id)
            && ["accepted", "started", "ended"].contains(&status.as_str()))
        .then_some(placement_id);
        let req = AccessRequest {
            supervised,
            ..AccessRequest::new(actor, subject, RecordKind::Placement, action, &consents)
        };
        let tx = self
            .admit_request(&req, Some(format!("{detail} {placement_id}")))
            .await?;
        Ok((tx, subject, supervised.is_some()))
    }

    /// Opens a supervisor's list of their own placements (no other role has one).
    pub(crate) async fn open_supervised(&self, actor: &Actor) -> Result<Audited> {
        let ground = if actor.role == stegvis_domain::Role::Supervisor {
            Ground::SupervisorsOwnPlacements
        } else {
            Ground::Denied("role_not_allowed")
        };
        let event = policy::audit_event(
            actor,
            None,
            RecordKind::Placement,
            Action::Search,
            &ground,
            self.now(),
            Some("supervised placements".into()),
        );
        self.admit(&event, ground.is_allowed(), AppError::Forbidden)
            .await
    }

    /// Opens a new participant record for the actor's own organisation.
    pub(crate) async fn open_new_record(
        &self,
        actor: &Actor,
        participant_id: Uuid,
        kind: RecordKind,
    ) -> Result<Audited> {
        let subject = Subject {
            participant_id,
            org_id: actor.org_id,
        };
        let ground = policy::decide(&AccessRequest::new(
            actor,
            subject,
            kind,
            Action::Write,
            &[],
        ));
        let event = policy::audit_event(
            actor,
            Some(participant_id),
            kind,
            Action::Write,
            &ground,
            self.now(),
            Some("create".into()),
        );
        self.admit(&event, ground.is_allowed(), AppError::Forbidden)
            .await
    }

    /// Opens a search over the participants the actor may see; refused roles get `Forbidden`.
    pub(crate) async fn open_search(
        &self,
        actor: &Actor,
        kind: RecordKind,
        detail: Option<String>,
    ) -> Result<(Audited, Visibility)> {
        let visibility = policy::visibility(actor, kind, self.today());
        let ground = match visibility {
            Visibility::Nothing => Ground::Denied("role_not_allowed"),
            Visibility::Participant(_) => Ground::OwnRecord,
            Visibility::Organisation(_) => Ground::OwnOrganisation(actor.role),
            Visibility::Consented { .. } => Ground::ConsentedOnly,
        };
        let event = policy::audit_event(
            actor,
            None,
            kind,
            Action::Search,
            &ground,
            self.now(),
            detail,
        );
        let tx = self
            .admit(&event, ground.is_allowed(), AppError::Forbidden)
            .await?;
        Ok((tx, visibility))
    }

    /// Opens the audit trail of the actor's organisation (auditors only).
    pub(crate) async fn open_audit_trail(
        &self,
        actor: &Actor,
        participant_id: Option<Uuid>,
    ) -> Result<Audited> {
        let kind = RecordKind::AuditTrail;
        let ground = if policy::role_permits(actor.role, kind, Action::Search) {
            Ground::OwnOrganisation(actor.role)
        } else {
            Ground::Denied("role_not_allowed")
        };
        let event = policy::audit_event(
            actor,
            participant_id,
            kind,
            Action::Search,
            &ground,
            self.now(),
            None,
        );
        self.admit(&event, ground.is_allowed(), AppError::Forbidden)
            .await
    }

    /// Opens a bulk write by the system itself (the operator's `stegvis demo` or an import at the
    /// machine) into `org_id`'s data, audited with the job's description instead of a user.
    pub(crate) async fn open_system_import(
        &self,
        detail: &str,
        org_id: Option<Uuid>,
    ) -> Result<Audited> {
        Ok(self
            .store
            .begin_audited(&self.system_event(detail, org_id))
            .await?)
    }

    /// The audit event of a system job touching `org_id`'s participants; the organisation makes
    /// it visible to that organisation's auditor.
    pub(crate) fn system_event(
        &self,
        detail: &str,
        org_id: Option<Uuid>,
    ) -> stegvis_store::AuditEvent {
        stegvis_store::AuditEvent {
            id: Uuid::now_v7(),
            at: self.now(),
            actor_user_id: None,
            actor_role: "system".into(),
            actor_org_id: org_id,
            participant_id: None,
            record_kind: RecordKind::Participant.code().into(),
            action: Action::Write.code().into(),
            decision: "allowed".into(),
            ground: "system:operator_import".into(),
            detail: Some(detail.to_owned()),
        }
    }

    /// Which of `kinds` the gate would let `actor` read of the participant's records: decisions
    /// only, from one read of the live consents, recorded nowhere (nothing is read). Pages use it
    /// to leave out sections instead of asking for each and filling the participant's access
    /// log with refusals.
    pub async fn readable_kinds(
        &self,
        actor: &Actor,
        participant_id: Uuid,
        org_id: Uuid,
        kinds: &[RecordKind],
    ) -> Result<Vec<RecordKind>> {
        let (subject, consents) = self.subject_of(participant_id, org_id).await?;
        Ok(kinds
            .iter()
            .copied()
            .filter(|k| {
                policy::decide(&AccessRequest::new(
                    actor,
                    subject,
                    *k,
                    Action::Read,
                    &consents,
                ))
                .is_allowed()
            })
            .collect())
    }

    /// Refuses at once, audited, an actor who may not create `kind` records at all: before any
    /// input is validated, so that a refusal never looks like a validation error.
    pub(crate) async fn check_may_create(&self, actor: &Actor, kind: RecordKind) -> Result<()> {
        let subject = Subject {
            participant_id: Uuid::nil(),
            org_id: actor.org_id,
        };
        let ground = policy::decide(&AccessRequest::new(
            actor,
            subject,
            kind,
            Action::Write,
            &[],
        ));
        if ground.is_allowed() {
            return Ok(());
        }
        let event = policy::audit_event(
            actor,
            None,
            kind,
            Action::Write,
            &ground,
            self.now(),
            Some("create".into()),
        );
        self.store.record_event(&event).await?;
        Err(AppError::Forbidden)
    }

    /// Like [`App::audit_also`], but a refusal leaves the further record out instead of failing
    /// the whole request (a partner whose consent covers personal details but not enrolments).
    pub(crate) async fn audit_also_if_allowed(
        &self,
        tx: &mut Audited,
        actor: &Actor,
        subject: Subject,
        kind: RecordKind,
        action: Action,
    ) -> Result<bool> {
        match self.audit_also(tx, actor, subject, kind, action).await {
            Ok(()) => Ok(true),
            Err(AppError::NotFound) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Audits a further read in the same transaction (e.g. enrolments shown with a participant).
    pub(crate) async fn audit_also(
        &self,
        tx: &mut Audited,
        actor: &Actor,
        subject: Subject,
        kind: RecordKind,
        action: Action,
    ) -> Result<()> {
        // Inside the open transaction: never a second connection while one is held.
        let rows = tx
            .live_consents(subject.participant_id, self.today())
            .await?;
        let consents = live(subject.participant_id, rows);
        let ground = policy::decide(&AccessRequest::new(actor, subject, kind, action, &consents));
        if !ground.is_allowed() {
            return Err(AppError::NotFound);
        }
        let event = policy::audit_event(
            actor,
            Some(subject.participant_id),
            kind,
            action,
            &ground,
            self.now(),
            None,
        );
        tx.record(&event).await?;
        Ok(())
    }
}

fn live(participant_id: Uuid, rows: Vec<(Uuid, Uuid, String)>) -> Vec<LiveConsent> {
    rows.into_iter()
        .map(|(id, recipient_org_id, kinds)| LiveConsent {
            id,
            participant_id,
            recipient_org_id,
            kinds: kinds
                .split(',')
                .filter_map(|k| RecordKind::from_code(k.trim()).ok())
                .collect(),
        })
        .collect()
}

/// Refuses after personal data was opened: the audit event of the look is still committed.
pub(crate) async fn reject<T>(tx: Audited, err: AppError) -> Result<T> {
    tx.commit().await?;
    Err(err)
}
