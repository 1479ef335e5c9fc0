//! Opening personal data through the policy gate: decide, audit, and only then touch the store.
//! This module is the only caller of `Store::begin_audited` (and its snapshot variant; a test checks that). Every refusal
//! leaves an audit event that says so; an allowed write that does not happen (bad input, a
//! conflict) is recorded as refused, and nothing it wrote stays.

use crate::policy::{
    self, AccessRequest, Action, Ground, LiveConsent, RecordKind, Request, Subject,
};
use crate::{Actor, App, AppError, Result};
use stegvis_store::consent::KindList;
use stegvis_store::participant::Visibility;
use stegvis_store::{AuditEvent, Audited};
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

    /// Asks the gate. A refusal is audited on its own and answered as the request says (a
    /// record is "not found", a function "forbidden"); an allowance returns its ground and the
    /// event to write with the data.
    async fn authorize(
        &self,
        req: &Request<'_>,
        detail: Option<String>,
    ) -> Result<(Ground, AuditEvent)> {
        let ground = policy::decide(req);
        let event = policy::audit_event(req, &ground, self.now(), detail);
        if !ground.is_allowed() {
            self.store.record_event(&event).await?;
            return Err(req.refusal());
        }
        Ok((ground, event))
    }

    /// Asks the gate about a function that holds no personal data; a refusal is audited.
    pub(crate) async fn check(&self, req: &Request<'_>) -> Result<()> {
        self.authorize(req, None).await.map(|_| ())
    }

    /// Asks the gate about one of the actor's own organisation's functions; a refusal is audited.
    pub(crate) async fn check_function(
        &self,
        actor: &Actor,
        function: policy::Function,
        action: Action,
    ) -> Result<()> {
        self.check(&Request::Function {
            actor,
            function,
            action,
            owner: None,
        })
        .await
    }

    /// The event of an allowed change to what a project keeps (its facts, target group and
    /// goals: no personal data), for [`stegvis_store::Tx::record_event`] in the change's own
    /// transaction. The actor was already permitted, so the owner is their organisation.
    pub(crate) fn kept_event(
        &self,
        actor: &Actor,
        function: policy::Function,
        detail: String,
    ) -> AuditEvent {
        let req = Request::Function {
            actor,
            function,
            action: Action::Write,
            owner: Some(actor.org_id),
        };
        policy::audit_event(&req, &policy::decide(&req), self.now(), Some(detail))
    }

    /// Decides an administrative or account request (no personal data): when allowed, returns
    /// the event to open its transaction with ([`App::open_permitted`]), so that slow work
    /// (hashing a password) happens between the decision and the write lock; a refusal is
    /// audited and answered with its ground, for a use case that explains it at a field.
    pub(crate) async fn permit(
        &self,
        req: &Request<'_>,
        detail: String,
    ) -> Result<std::result::Result<AuditEvent, Ground>> {
        let ground = policy::decide(req);
        let event = policy::audit_event(req, &ground, self.now(), Some(detail));
        if !ground.is_allowed() {
            self.store.record_event(&event).await?;
            return Ok(Err(ground));
        }
        Ok(Ok(event))
    }

    /// [`App::permit`], a refusal answered as the request says (not found, or forbidden).
    pub(crate) async fn permit_or_refuse(
        &self,
        req: &Request<'_>,
        detail: String,
    ) -> Result<AuditEvent> {
        self.permit(req, detail).await?.map_err(|_| req.refusal())
    }

    /// Opens the transaction of a permitted request, its event written first; `also` are
    /// further events of the same change (the organisation and the account made at setup).
    pub(crate) async fn open_permitted(
        &self,
        event: &AuditEvent,
        also: &[AuditEvent],
    ) -> Result<Audited> {
        let mut tx = self.store.begin_audited(event).await?;
        for e in also {
            tx.record(e).await?;
        }
        Ok(tx)
    }

    /// Refuses a permitted request before its transaction was opened (its input was wrong):
    /// the event is recorded as refused, with why.
    pub(crate) async fn refuse_permitted<T>(
        &self,
        mut event: AuditEvent,
        err: AppError,
    ) -> Result<T> {
        let why = match &err {
            AppError::Invalid(_) => "invalid_input",
            AppError::Conflict(_) => "conflict",
            _ => "error",
        };
        event.decision = policy::Decision::Denied;
        event.ground = Ground::Denied(why).code();
        self.store.record_event(&event).await?;
        Err(err)
    }

    /// The event of an operator's administrative job at the machine (`stegvis setup`,
    /// `stegvis token revoke`): no user made it; `org_id`'s auditor sees it.
    pub(crate) fn operator_event(
        &self,
        function: policy::Function,
        detail: String,
        org_id: Option<Uuid>,
    ) -> AuditEvent {
        AuditEvent {
            id: Uuid::now_v7(),
            at: self.now(),
            actor_user_id: None,
            // The person at the machine, not a system job: apart from the demo's imports.
            actor_role: "operator".into(),
            actor_org_id: org_id,
            participant_id: None,
            record_kind: function.code().into(),
            action: Action::Write,
            decision: policy::Decision::Allowed,
            ground: "operator:command_line".into(),
            detail: Some(detail),
        }
    }

    /// Commits a use case's audited transaction in two steps: the report tallies of every
    /// participant it wrote about are brought up to date in the same transaction (the funder's
    /// numbers move with the data), then the data and its audit events are committed together.
    pub(crate) async fn commit(&self, mut tx: Audited) -> Result<()> {
        tx.refresh_tallies().await?;
        tx.commit().await?;
        Ok(())
    }

    /// Decides `req` and, if allowed, opens the transaction that already holds its event.
    pub(crate) async fn open_request(
        &self,
        req: &Request<'_>,
        detail: Option<String>,
    ) -> Result<(Audited, Ground)> {
        let (ground, event) = self.authorize(req, detail).await?;
        Ok((self.store.begin_audited(&event).await?, ground))
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
        let (tx, _) = self
            .open_request(
                &Request::Record(req),
                Some(format!("{detail} {referral_id}")),
            )
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
        let (tx, _) = self
            .open_request(&Request::Record(req), Some(detail))
            .await?;
        Ok((tx, subject))
    }

    /// Opens an organisation's list of referrals: staff of the holding organisation see what
    /// they sent (`sent`); partner staff what was sent to them under a live consent
    /// (`received`; each one shown is decided with [`App::admit_received_referral`]).
    pub(crate) async fn open_referral_list(&self, actor: &Actor) -> Result<(Audited, bool, bool)> {
        let (tx, ground) = self
            .open_request(&Request::Referrals(actor), Some("referral list".into()))
            .await?;
        let received = ground == Ground::ConsentedOnly;
        Ok((tx, !received, received))
    }

    /// Decides, and audits in the open list transaction, showing a referral received by the
    /// actor's organisation: found by a list whose SQL already required the consent it relies on
    /// to be live, so that consent is the fact the gate decides from. A refusal is recorded and
    /// the referral left out.
    pub(crate) async fn admit_received_referral(
        &self,
        tx: &mut Audited,
        actor: &Actor,
        subject: Subject,
        consent_id: Uuid,
        detail: String,
    ) -> Result<bool> {
        let consents = [LiveConsent {
            id: consent_id,
            participant_id: subject.participant_id,
            recipient_org_id: actor.org_id,
            kinds: Vec::new(),
        }];
        let req = Request::Record(AccessRequest {
            referral_consent: Some(consent_id),
            ..AccessRequest::new(
                actor,
                subject,
                RecordKind::Referral,
                Action::Read,
                &consents,
            )
        });
        let ground = policy::decide(&req);
        tx.record(&policy::audit_event(
            &req,
            &ground,
            self.now(),
            Some(detail),
        ))
        .await?;
        Ok(ground.is_allowed())
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
        let (tx, _) = self.open_request(&Request::Record(req), detail).await?;
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
            let (subject, consents) = self.subject_of(participant_id, org_id).await?;
            subjects.push(subject);
            let req = Request::Record(AccessRequest::new(actor, subject, kind, action, &consents));
            let ground = policy::decide(&req);
            all_allowed &= ground.is_allowed();
            events.push((
                ground.is_allowed(),
                policy::audit_event(&req, &ground, self.now(), Some(detail.to_owned())),
            ));
        }
        let Some(((_, first), rest)) = events.split_first() else {
            return Err(AppError::NotFound);
        };
        if !all_allowed {
            for (_, e) in events.iter().filter(|(allowed, _)| !allowed) {
                self.store.record_event(e).await?;
            }
            return Err(AppError::NotFound);
        }
        let mut tx = self.store.begin_audited(first).await?;
        for (_, e) in rest {
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
        let req = AccessRequest {
            supervised: policy::supervises(actor, placement_id, supervisor, status),
            ..AccessRequest::new(actor, subject, RecordKind::Placement, action, &consents)
        };
        let (tx, ground) = self
            .open_request(
                &Request::Record(req),
                Some(format!("{detail} {placement_id}")),
            )
            .await?;
        Ok((tx, subject, matches!(ground, Ground::Supervisor(_))))
    }

    /// Opens a supervisor's list of their own placements (no other role has one).
    pub(crate) async fn open_supervised(&self, actor: &Actor) -> Result<Audited> {
        let (tx, _) = self
            .open_request(
                &Request::Supervised(actor),
                Some("supervised placements".into()),
            )
            .await?;
        Ok(tx)
    }

    /// Opens a new participant record for the actor's own organisation.
    pub(crate) async fn open_new_record(
        &self,
        actor: &Actor,
        participant_id: Uuid,
        kind: RecordKind,
    ) -> Result<Audited> {
        let req = Request::Create {
            actor,
            kind,
            participant: Some(participant_id),
        };
        let (tx, _) = self.open_request(&req, Some("create".into())).await?;
        Ok(tx)
    }

    /// Refuses at once, audited, an actor who may not create `kind` records at all: before any
    /// input is validated, so that a refusal never looks like a validation error.
    pub(crate) async fn check_may_create(&self, actor: &Actor, kind: RecordKind) -> Result<()> {
        let req = Request::Create {
            actor,
            kind,
            participant: None,
        };
        self.authorize(&req, Some("create".into()))
            .await
            .map(|_| ())
    }

    /// Opens a search over the participants the actor may see; refused roles get `Forbidden`.
    pub(crate) async fn open_search(
        &self,
        actor: &Actor,
        kind: RecordKind,
        detail: Option<String>,
    ) -> Result<(Audited, Visibility)> {
        let (tx, ground) = self
            .open_request(&Request::Search(actor, kind), detail)
            .await?;
        let visibility = policy::visibility_of(actor, &ground, kind, self.today());
        Ok((tx, visibility))
    }

    /// Opens the records of `kind` that the actor's organisation holds, for a list or report its
    /// staff work from; returns the organisation. Refused roles get `Forbidden`.
    pub(crate) async fn open_organisation_records(
        &self,
        actor: &Actor,
        kind: RecordKind,
        detail: String,
    ) -> Result<(Audited, Uuid)> {
        let (tx, _) = self
            .open_request(&Request::Organisation(actor, kind), Some(detail))
            .await?;
        Ok((tx, actor.org_id))
    }

    /// Opens the actor's caseload (or the organisation's participants without a coach).
    pub(crate) async fn open_caseload(&self, actor: &Actor, detail: &str) -> Result<Audited> {
        let (tx, _) = self
            .open_request(&Request::Caseload(actor), Some(detail.to_owned()))
            .await?;
        Ok(tx)
    }

    /// Opens the audit trail of the actor's organisation (auditors only).
    pub(crate) async fn open_audit_trail(
        &self,
        actor: &Actor,
        participant_id: Option<Uuid>,
    ) -> Result<Audited> {
        let (tx, _) = self
            .open_request(&Request::AuditTrail(actor, participant_id), None)
            .await?;
        Ok(tx)
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

    /// Opens the transaction in which a participant's sign-in through an e-legitimation broker
    /// looks up the identity number the broker vouched for: nobody is signed in yet, so the
    /// lookup is the sign-in's own system event, visible to the organisation's auditor. A write:
    /// the participant's own account is made in it when they have none.
    pub(crate) async fn open_sign_in_lookup(&self, detail: &str, org_id: Uuid) -> Result<Audited> {
        let mut event = self.system_event(detail, Some(org_id));
        event.ground = "system:sign_in".into();
        Ok(self.store.begin_audited(&event).await?)
    }

    /// Opens a system job's transaction about one participant (a reminder sent), with the
    /// event in their access log.
    pub(crate) async fn open_system_job_about(
        &self,
        detail: &str,
        org_id: Uuid,
        participant_id: Uuid,
        kind: RecordKind,
        ground: &str,
    ) -> Result<Audited> {
        let mut event = self.system_event(detail, Some(org_id));
        event.participant_id = Some(participant_id);
        event.record_kind = kind.code().into();
        event.ground = ground.into();
        Ok(self.store.begin_audited(&event).await?)
    }

    /// The audit event of a system job touching `org_id`'s participants; the organisation makes
    /// it visible to that organisation's auditor.
    pub(crate) fn system_event(&self, detail: &str, org_id: Option<Uuid>) -> AuditEvent {
        AuditEvent {
            id: Uuid::now_v7(),
            at: self.now(),
            actor_user_id: None,
            actor_role: "system".into(),
            actor_org_id: org_id,
            participant_id: None,
            record_kind: RecordKind::Participant.code().into(),
            action: Action::Write,
            decision: policy::Decision::Allowed,
            ground: "system:operator_import".into(),
            detail: Some(detail.to_owned()),
        }
    }

    /// Which of `asks` the gate would allow `actor` on the participant's records: decisions
    /// only, from one read of the live consents, recorded nowhere (nothing is read). Pages use it
    /// to offer only what may be done, and to leave out sections instead of asking for each and
    /// filling the participant's access log with refusals.
    pub async fn permitted(
        &self,
        actor: &Actor,
        participant_id: Uuid,
        org_id: Uuid,
        asks: &[(RecordKind, Action)],
    ) -> Result<Vec<(RecordKind, Action)>> {
        let (subject, consents) = self.subject_of(participant_id, org_id).await?;
        Ok(asks
            .iter()
            .copied()
            .filter(|(kind, action)| {
                policy::allows(&Request::Record(AccessRequest::new(
                    actor, subject, *kind, *action, &consents,
                )))
            })
            .collect())
    }

    /// [`App::permitted`] for a participant whose organisation is looked up.
    pub async fn permitted_for(
        &self,
        actor: &Actor,
        participant_id: Uuid,
        asks: &[(RecordKind, Action)],
    ) -> Result<Vec<(RecordKind, Action)>> {
        let org_id = self
            .store
            .participant_org(participant_id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.permitted(actor, participant_id, org_id, asks).await
    }

    /// Which of `kinds` the gate would let `actor` read (see [`App::permitted`]).
    pub async fn readable_kinds(
        &self,
        actor: &Actor,
        participant_id: Uuid,
        org_id: Uuid,
        kinds: &[RecordKind],
    ) -> Result<Vec<RecordKind>> {
        let asks: Vec<_> = kinds.iter().map(|k| (*k, Action::Read)).collect();
        let allowed = self.permitted(actor, participant_id, org_id, &asks).await?;
        Ok(allowed.into_iter().map(|(k, _)| k).collect())
    }

    /// Includes a further record in an open transaction when the gate allows it (a partner whose
    /// consent covers personal details but not enrolments): decided before anything of it is
    /// read, so a record left out was never attempted, and only an inclusion is audited.
    pub(crate) async fn audit_also_if_allowed(
        &self,
        tx: &mut Audited,
        actor: &Actor,
        subject: Subject,
        kind: RecordKind,
        action: Action,
    ) -> Result<bool> {
        let (req_ground, event) = self.decide_in(tx, actor, subject, kind, action).await?;
        if !req_ground.is_allowed() {
            return Ok(false);
        }
        tx.record(&event).await?;
        Ok(true)
    }

    /// Audits a further record in the same transaction (an enrolment written with a new
    /// participant). A refusal is recorded, and refuses the whole transaction: nothing it wrote
    /// stays.
    pub(crate) async fn audit_also(
        &self,
        mut tx: Audited,
        actor: &Actor,
        subject: Subject,
        kind: RecordKind,
        action: Action,
    ) -> Result<Audited> {
        let (ground, event) = self
            .decide_in(&mut tx, actor, subject, kind, action)
            .await?;
        tx.record(&event).await?;
        if !ground.is_allowed() {
            return reject(tx, AppError::NotFound).await;
        }
        Ok(tx)
    }

    /// Audits a further write in the same transaction, saying what it was (`detail`): an
    /// enrolment made outside the project's target group, under an exception. Decided like any
    /// record; a refusal refuses the whole transaction.
    pub(crate) async fn audit_also_noted(
        &self,
        mut tx: Audited,
        actor: &Actor,
        subject: Subject,
        kind: RecordKind,
        detail: String,
    ) -> Result<Audited> {
        let (ground, mut event) = self
            .decide_in(&mut tx, actor, subject, kind, Action::Write)
            .await?;
        event.detail = Some(detail);
        tx.record(&event).await?;
        if !ground.is_allowed() {
            return reject(tx, AppError::NotFound).await;
        }
        Ok(tx)
    }

    /// Audits reading `kind` of every participant a list of the actor's own organisation shows
    /// (the funder's participant file), in the open transaction. Each is decided like any record
    /// (the list's query already kept to the organisation, so no consent is consulted); a
    /// refusal refuses the whole list.
    pub(crate) async fn audit_each(
        &self,
        mut tx: Audited,
        actor: &Actor,
        subjects: impl IntoIterator<Item = Subject>,
        kind: RecordKind,
        detail: &str,
    ) -> Result<Audited> {
        let now = self.now();
        for subject in subjects {
            let req = Request::Record(AccessRequest::new(actor, subject, kind, Action::Read, &[]));
            let ground = policy::decide(&req);
            tx.record(&policy::audit_event(
                &req,
                &ground,
                now,
                Some(detail.to_owned()),
            ))
            .await?;
            if !ground.is_allowed() {
                return reject(tx, AppError::NotFound).await;
            }
        }
        Ok(tx)
    }

    /// Decides a further record inside an open transaction (never a second connection while
    /// one is held).
    async fn decide_in(
        &self,
        tx: &mut Audited,
        actor: &Actor,
        subject: Subject,
        kind: RecordKind,
        action: Action,
    ) -> Result<(Ground, AuditEvent)> {
        let rows = tx
            .live_consents(subject.participant_id, self.today())
            .await?;
        let consents = live(subject.participant_id, rows);
        let req = Request::Record(AccessRequest::new(actor, subject, kind, action, &consents));
        let ground = policy::decide(&req);
        let event = policy::audit_event(&req, &ground, self.now(), None);
        Ok((ground, event))
    }

    /// Opens one participant's data for their rights (the register extract, a correction): the
    /// function decides (the auditor of the participant's organisation), and its one event names
    /// the participant, so it is in their access log. Unknown and refused both give `NotFound`;
    /// a refusal is audited. A read sees one snapshot of everything it reads. Returns the
    /// event's id too.
    pub(crate) async fn open_subject_rights(
        &self,
        actor: &Actor,
        participant_id: Uuid,
        action: Action,
        detail: &str,
    ) -> Result<(Audited, Subject, Uuid)> {
        let org_id = self
            .store
            .participant_org(participant_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let req = Request::Function {
            actor,
            function: policy::Function::DataSubjectRights,
            action,
            owner: Some(org_id),
        };
        let ground = policy::decide(&req);
        let mut event = policy::audit_event(&req, &ground, self.now(), Some(detail.to_owned()));
        event.participant_id = Some(participant_id);
        if !ground.is_allowed() {
            self.store.record_event(&event).await?;
            return Err(AppError::NotFound);
        }
        let tx = if action == Action::Write {
            self.store.begin_audited(&event).await?
        } else {
            self.store.begin_audited_snapshot(&event).await?
        };
        Ok((
            tx,
            Subject {
                participant_id,
                org_id,
            },
            event.id,
        ))
    }
}

/// The live consents the store read, as the gate decides from them.
pub(crate) fn live(participant_id: Uuid, rows: Vec<(Uuid, Uuid, KindList)>) -> Vec<LiveConsent> {
    rows.into_iter()
        .map(|(id, recipient_org_id, kinds)| LiveConsent {
            id,
            participant_id,
            recipient_org_id,
            kinds: kinds.0,
        })
        .collect()
}

/// Refuses after personal data was opened: whatever the transaction wrote is undone, its reads
/// stay in the trail, and a write it was opened for is recorded as refused, with why.
pub(crate) async fn reject<T>(tx: Audited, err: AppError) -> Result<T> {
    let why = match &err {
        AppError::Invalid(_) => "invalid_input",
        AppError::Conflict(_) => "conflict",
        AppError::NotFound => "not_found",
        AppError::Forbidden => "forbidden",
        _ => "error",
    };
    tx.refuse(&Ground::Denied(why).code()).await?;
    Err(err)
}

impl App {
    /// Opens an import's transaction: the gate decides as for registering a participant, and
    /// the opening event (`detail` names the file) is returned as the pattern for the event of
    /// each participant the import writes about.
    pub(crate) async fn open_import(
        &self,
        actor: &Actor,
        detail: String,
    ) -> Result<(Audited, AuditEvent)> {
        let req = Request::Create {
            actor,
            kind: stegvis_domain::access::RecordKind::Participant,
            participant: None,
        };
        let (_, event) = self.authorize(&req, Some(detail)).await?;
        Ok((self.store.begin_audited(&event).await?, event))
    }
}

impl App {
    /// Opens the transaction of an archive's import into an empty Stegvis: the operator's job at
    /// the machine (`stegvis import-archive`), audited as such with `event`.
    pub(crate) async fn open_archive_import(&self, event: &AuditEvent) -> Result<Audited> {
        Ok(self.store.begin_audited(event).await?)
    }
}
