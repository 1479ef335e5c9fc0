//! The policy gate: the only place that answers "may this actor do this to this record of this
//! participant?", and the ground that goes into the audit event. List queries get the same rule as
//! a [`Visibility`] that the store applies in SQL.
//!
//! The rule today: role × organisation. Staff act on the participants their own organisation
//! controls, as their role allows; participants read their own record. The request already carries
//! the participant's live consents so that partner access under consent slots in here and nowhere
//! else.

use crate::Actor;
use stegvis_domain::Role;
pub use stegvis_domain::access::{Action, Decision, Function, RecordKind};
use stegvis_domain::placement::PlacementStatus;
use stegvis_store::AuditEvent;
use stegvis_store::participant::Visibility;
use time::OffsetDateTime;
use uuid::Uuid;

/// Whose record it is: the participant and the organisation that controls the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subject {
    pub participant_id: Uuid,
    pub org_id: Uuid,
}

/// A consent that is live at the time of the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveConsent {
    pub id: Uuid,
    pub participant_id: Uuid,
    pub recipient_org_id: Uuid,
    pub kinds: Vec<RecordKind>,
}

/// A question about one participant's record, with the facts the decision needs.
#[derive(Debug, Clone, Copy)]
pub struct AccessRequest<'a> {
    pub actor: &'a Actor,
    pub subject: Subject,
    pub kind: RecordKind,
    pub action: Action,
    pub consents: &'a [LiveConsent],
    /// The placement this request is about, when the actor supervises it (see [`supervises`]).
    pub supervised: Option<Uuid>,
    /// The consent a referral relies on, when the request is about a referral.
    pub referral_consent: Option<Uuid>,
    /// The organisation a joint assessment is opened to, when the request is about one.
    pub opened_to: Option<Uuid>,
}

impl<'a> AccessRequest<'a> {
    /// A request about one record, with no placement, referral or joint assessment in view
    /// (set those fields after, where they apply).
    pub fn new(
        actor: &'a Actor,
        subject: Subject,
        kind: RecordKind,
        action: Action,
        consents: &'a [LiveConsent],
    ) -> Self {
        AccessRequest {
            actor,
            subject,
            kind,
            action,
            consents,
            supervised: None,
            referral_consent: None,
            opened_to: None,
        }
    }
}

/// Every question the gate answers.
#[derive(Debug, Clone, Copy)]
pub enum Request<'a> {
    /// One participant's record.
    Record(AccessRequest<'a>),
    /// A search or list over the participants the actor may see (see [`visibility`]).
    Search(&'a Actor, RecordKind),
    /// The organisation's records of a kind, for a list or report its staff work from.
    Organisation(&'a Actor, RecordKind),
    /// The first record of a new participant in the actor's own organisation (the new id, once
    /// there is one).
    Create {
        actor: &'a Actor,
        kind: RecordKind,
        participant: Option<Uuid>,
    },
    /// The actor's caseload, or the organisation's participants without a coach.
    Caseload(&'a Actor),
    /// A supervisor's list of the placements they supervise.
    Supervised(&'a Actor),
    /// The audit trail of the actor's organisation, perhaps about one participant.
    AuditTrail(&'a Actor, Option<Uuid>),
    /// The organisation's referrals: those it sent, and those sent to it under a live consent.
    Referrals(&'a Actor),
    /// A function that holds no personal data, in `owner`'s organisation (the actor's own when
    /// `None`).
    Function {
        actor: &'a Actor,
        function: Function,
        action: Action,
        owner: Option<Uuid>,
    },
    /// The actor's own account: their password, their API tokens. A participant's account is
    /// about them, so its events show in their access log.
    OwnAccount {
        actor: &'a Actor,
        function: Function,
        action: Action,
    },
    /// An administrator's change to `user`'s account, of an organisation whose administrators
    /// are `owner`'s: a new role, or switching it off (`deactivate`) or on again.
    ChangeAccount {
        actor: &'a Actor,
        user: Uuid,
        owner: Uuid,
        role: Option<Role>,
        deactivate: bool,
    },
}

impl<'a> Request<'a> {
    pub fn actor(&self) -> &'a Actor {
        match *self {
            Request::Record(r) => r.actor,
            Request::Search(a, _)
            | Request::Organisation(a, _)
            | Request::Create { actor: a, .. }
            | Request::Caseload(a)
            | Request::Supervised(a)
            | Request::AuditTrail(a, _)
            | Request::Referrals(a)
            | Request::Function { actor: a, .. }
            | Request::OwnAccount { actor: a, .. }
            | Request::ChangeAccount { actor: a, .. } => a,
        }
    }

    /// The participant the request is about, if one.
    pub fn participant(&self) -> Option<Uuid> {
        match *self {
            Request::Record(r) => Some(r.subject.participant_id),
            Request::Create { participant, .. } | Request::AuditTrail(_, participant) => {
                participant
            }
            Request::OwnAccount { actor, .. } => actor.participant_id,
            _ => None,
        }
    }

    /// What the audit event names: the kind of record (or the function's code) and the action.
    pub fn audited_as(&self) -> (&'static str, Action) {
        match *self {
            Request::Record(r) => (r.kind.code(), r.action),
            Request::Search(_, kind) | Request::Organisation(_, kind) => {
                (kind.code(), Action::Search)
            }
            Request::Create { kind, .. } => (kind.code(), Action::Write),
            Request::Caseload(_) => (RecordKind::Enrolment.code(), Action::Search),
            Request::Supervised(_) => (RecordKind::Placement.code(), Action::Search),
            Request::AuditTrail(..) => (RecordKind::AuditTrail.code(), Action::Search),
            Request::Referrals(_) => (RecordKind::Referral.code(), Action::Search),
            Request::Function {
                function, action, ..
            }
            | Request::OwnAccount {
                function, action, ..
            } => (function.code(), action),
            Request::ChangeAccount { .. } => (Function::Users.code(), Action::Write),
        }
    }

    /// How a refusal answers: a record that may not be seen is not found (its existence is not
    /// told), and so is another organisation's project function; a function the actor may not
    /// use is forbidden.
    pub fn refusal(&self) -> crate::AppError {
        match self {
            Request::Record(_)
            | Request::Function { owner: Some(_), .. }
            | Request::ChangeAccount { .. } => crate::AppError::NotFound,
            _ => crate::AppError::Forbidden,
        }
    }
}

/// Why access was given or refused; written to the audit event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ground {
    /// The actor's organisation controls the record and the role allows the action.
    OwnOrganisation(Role),
    /// The participant's own record.
    OwnRecord,
    /// A live consent to the actor's organisation covers the record kind.
    Consent(Uuid),
    /// The actor supervises this placement at the workplace.
    Supervisor(Uuid),
    /// A supervisor's list of the placements they supervise.
    SupervisorsOwnPlacements,
    /// A partner's search or list, limited to the participants whose live consents allow it.
    ConsentedOnly,
    /// The actor's own account (password, API tokens).
    OwnAccount,
    /// Refused, with the reason.
    Denied(&'static str),
}

impl Ground {
    pub fn code(&self) -> String {
        match self {
            Ground::OwnOrganisation(role) => format!("own_organisation:{}", role.code()),
            Ground::OwnRecord => "own_record".to_owned(),
            Ground::Consent(id) => format!("consent:{id}"),
            Ground::Supervisor(id) => format!("supervisor:{id}"),
            Ground::SupervisorsOwnPlacements => "supervisor:own_placements".to_owned(),
            Ground::ConsentedOnly => "consent:search".to_owned(),
            Ground::OwnAccount => "own_account".to_owned(),
            Ground::Denied(why) => format!("denied:{why}"),
        }
    }

    pub fn is_allowed(&self) -> bool {
        !matches!(self, Ground::Denied(_))
    }

    pub fn decision(&self) -> Decision {
        if self.is_allowed() {
            Decision::Allowed
        } else {
            Decision::Denied
        }
    }
}

/// What the role may do to records its own organisation controls.
fn role_permits(role: Role, kind: RecordKind, action: Action) -> bool {
    use Action::*;
    use RecordKind::*;
    match (role, kind) {
        // The audit trail is the auditor's; everything else is the case, which staff who own
        // cases reach in full (a new kind of case record is theirs without a new rule).
        (Role::Auditor, AuditTrail) => matches!(action, Read | Search),
        (_, AuditTrail) => false,
        (Role::Coach | Role::ProjectManager, _) => true,
        // The data protection officer reads for subject access and audits; never edits a case.
        (Role::Auditor, _) => matches!(action, Read | Search),
        _ => false,
    }
}

/// Staff who hold cases: coaches and project managers.
fn holds_cases(role: Role) -> bool {
    matches!(role, Role::Coach | Role::ProjectManager)
}

/// Whether a user of `role` can be made responsible for participants (their coach).
pub fn may_coach(role: Role) -> bool {
    holds_cases(role)
}

/// Whether whoever enrols a participant becomes their coach: coaches do, project managers
/// enrolling on someone's behalf do not.
pub fn becomes_coach(actor: &Actor) -> bool {
    actor.role == Role::Coach
}

/// Whether a live consent lets `recipient` see the participant's records of `kind` (the store
/// reads consents with the one live-consent rule; this is the rest of it).
pub fn consent_covers(c: &LiveConsent, recipient: Uuid, kind: RecordKind) -> bool {
    c.recipient_org_id == recipient && c.kinds.contains(&kind)
}

/// Whether `actor` may move a referral on, as its sender's staff or, for a referral received by
/// their organisation, as the recipient under the consent it relies on (live: the list that
/// shows it read it with the live-consent rule). For pages deciding which buttons to offer.
pub fn may_move_referral(
    actor: &Actor,
    subject: Subject,
    to_org_id: Uuid,
    consent_id: Uuid,
) -> bool {
    let consents = [LiveConsent {
        id: consent_id,
        participant_id: subject.participant_id,
        recipient_org_id: to_org_id,
        kinds: Vec::new(),
    }];
    allows(&Request::Record(AccessRequest {
        referral_consent: Some(consent_id),
        ..AccessRequest::new(
            actor,
            subject,
            RecordKind::Referral,
            Action::Write,
            &consents,
        )
    }))
}

/// Whether a user of `role` shows in the organisation's list of users: participants' own
/// accounts would tell who takes part, so they stay behind the gate.
pub fn listed_as_user(role: Role) -> bool {
    role != Role::Participant
}

/// Whether a user of `role` reads participants' data in any way: staff who hold cases, auditors,
/// partner staff under consent, supervisors on their placements, participants their own. Only
/// an administrator reads none; the policy test below checks this against [`decide`].
pub fn reads_participant_data(role: Role) -> bool {
    !matches!(role, Role::Admin | Role::Pending)
}

/// Whether the actor signed in through a provider and waits for an administrator to give a role.
pub fn awaits_role(actor: &Actor) -> bool {
    actor.role == Role::Pending
}

/// The role of an account made at its first sign-in through a provider whose groups map to no
/// role: none, until an administrator gives one.
pub fn first_sign_in_role() -> Role {
    Role::Pending
}

/// Whether an administrator may give an account `role`: every role but a participant's, whose
/// account is made on their own page by the staff who hold their case.
pub fn assignable_by_administrator(role: Role) -> bool {
    !matches!(role, Role::Participant | Role::Pending)
}

/// The role of the first account, made at setup: it administers the new organisation.
pub fn first_account_role() -> Role {
    Role::Admin
}

/// The role of a participant's own account.
pub fn participant_account_role() -> Role {
    Role::Participant
}

/// Whether a user of `role` can supervise placements at their workplace.
pub fn may_supervise(role: Role) -> bool {
    role == Role::Supervisor
}

/// Whether the actor is a participant, who writes in the plan in their own words, owns the steps
/// they add, and never sees staff notes.
pub fn is_participant(actor: &Actor) -> bool {
    actor.role == Role::Participant
}

/// The placement `placement_id` when `actor` is its supervisor and it is theirs yet: accepted,
/// running or ended (an offer, or a declined one, is not the workplace's business).
pub fn supervises(
    actor: &Actor,
    placement_id: Uuid,
    supervisor: Option<Uuid>,
    status: PlacementStatus,
) -> Option<Uuid> {
    use PlacementStatus::*;
    (actor.role == Role::Supervisor
        && supervisor == Some(actor.user_id)
        && matches!(status, Accepted | Started | Ended))
    .then_some(placement_id)
}

/// The decision, with its ground, for any request.
pub fn decide(req: &Request<'_>) -> Ground {
    let ground = decide_by_role(req);
    // An account made at a first sign-in through a provider waits for an administrator's role:
    // whatever would be allowed is refused; other refusals keep their own ground.
    if awaits_role(req.actor()) && ground.is_allowed() {
        return Ground::Denied("no_role");
    }
    ground
}

fn decide_by_role(req: &Request<'_>) -> Ground {
    match *req {
        Request::Record(r) => decide_record(&r),
        Request::Search(actor, kind) => search_ground(actor, kind),
        Request::Organisation(actor, kind) => {
            if actor.role != Role::Participant && role_permits(actor.role, kind, Action::Search) {
                Ground::OwnOrganisation(actor.role)
            } else {
                Ground::Denied("role_not_allowed")
            }
        }
        Request::Create {
            actor,
            kind,
            participant,
        } => {
            let subject = Subject {
                participant_id: participant.unwrap_or_default(),
                org_id: actor.org_id,
            };
            decide_record(&AccessRequest::new(
                actor,
                subject,
                kind,
                Action::Write,
                &[],
            ))
        }
        Request::Caseload(actor) => allow_role(actor, holds_cases(actor.role)),
        Request::Supervised(actor) => {
            if actor.role == Role::Supervisor {
                Ground::SupervisorsOwnPlacements
            } else {
                Ground::Denied("role_not_allowed")
            }
        }
        Request::AuditTrail(actor, _) => allow_role(
            actor,
            role_permits(actor.role, RecordKind::AuditTrail, Action::Search),
        ),
        Request::Referrals(actor) => {
            if role_permits(actor.role, RecordKind::Referral, Action::Search) {
                Ground::OwnOrganisation(actor.role)
            } else if actor.role == Role::PartnerStaff {
                // Only what was sent to them, each under the consent it relies on.
                Ground::ConsentedOnly
            } else {
                Ground::Denied("role_not_allowed")
            }
        }
        Request::Function {
            actor,
            function,
            action,
            owner,
        } => {
            if owner.is_some_and(|o| o != actor.org_id) {
                return Ground::Denied("other_organisation");
            }
            allow_role(actor, function_permits(actor.role, function, action))
        }
        // Everyone keeps their own password and tokens.
        Request::OwnAccount { .. } => Ground::OwnAccount,
        Request::ChangeAccount {
            actor,
            user,
            owner,
            role,
            deactivate,
        } => {
            if owner != actor.org_id {
                return Ground::Denied("other_organisation");
            }
            if !function_permits(actor.role, Function::Users, Action::Write) {
                return Ground::Denied("role_not_allowed");
            }
            // Reading participants' data takes a second administrator's decision, which the
            // auditor sees; switching oneself off would leave nobody to switch one on again.
            if user == actor.user_id && role.is_some_and(reads_participant_data) {
                return Ground::Denied("own_role");
            }
            if user == actor.user_id && deactivate {
                return Ground::Denied("own_account");
            }
            Ground::OwnOrganisation(actor.role)
        }
    }
}

fn allow_role(actor: &Actor, allowed: bool) -> Ground {
    if allowed {
        Ground::OwnOrganisation(actor.role)
    } else {
        Ground::Denied("role_not_allowed")
    }
}

/// What each role may do with the organisation's functions.
fn function_permits(role: Role, function: Function, action: Action) -> bool {
    match function {
        Function::Users | Function::Organisations => role == Role::Admin,
        // Coaches and project managers keep the employer network and their collaboration teams.
        Function::Employers
        | Function::RollUp
        | Function::Activities
        | Function::ProjectReports => holds_cases(role),
        // The teams hold no participant data: every collaborating staff member sees them.
        Function::Teams => {
            holds_cases(role)
                || (action != Action::Write && matches!(role, Role::PartnerStaff | Role::Auditor))
        }
        Function::ParticipantHourValue => role == Role::ProjectManager,
        // Each user's own (asked as [`Request::OwnAccount`]).
        Function::Account | Function::ApiTokens => true,
        // A project's facts, target group and goals: its project managers, and the
        // organisation's administrators, who set it up (a new project is in the actor's own
        // organisation). Goals are definitions, not counts: evaluating one is a report.
        Function::Projects | Function::Goals => {
            matches!(role, Role::ProjectManager | Role::Admin)
        }
        // Every identity number of a project at once: its project managers only.
        Function::ParticipantFile => role == Role::ProjectManager && action == Action::Read,
        // The data protection officer answers a participant's rights: the register extract,
        // correction and the erasure run.
        Function::DataSubjectRights => role == Role::Auditor,
        // Administrators keep the retention rules; the auditor reads them before a run.
        Function::RetentionRules => {
            role == Role::Admin || (role == Role::Auditor && action == Action::Read)
        }
    }
}

/// Whether the gate would allow `req`: for pages deciding what to offer. Nothing is read, so
/// nothing is audited; the use case behind the offer asks again and is audited.
pub fn allows(req: &Request<'_>) -> bool {
    decide(req).is_allowed()
}

/// The decision for one record.
fn decide_record(req: &AccessRequest<'_>) -> Ground {
    let actor = req.actor;
    if actor.role == Role::Participant {
        let own = actor.participant_id == Some(req.subject.participant_id);
        return match (own, req.kind, req.action) {
            // Participants read everything recorded about them, including who looked at it.
            (true, _, Action::Read) => Ground::OwnRecord,
            // They co-write their own plan (which fields, the plan use case decides), and give
            // and revoke their own consents.
            (true, RecordKind::Plan | RecordKind::Consent, Action::Write) => Ground::OwnRecord,
            (true, _, _) => Ground::Denied("participant_action_not_allowed"),
            (false, _, _) => Ground::Denied("not_own_record"),
        };
    }
    if actor.role == Role::Supervisor {
        // A supervisor reaches their own placements, and nothing else of anyone's.
        return match (req.kind, req.supervised, req.action) {
            (RecordKind::Placement, Some(p), Action::Read | Action::Write) => Ground::Supervisor(p),
            _ => Ground::Denied("not_supervisor_of_placement"),
        };
    }
    if actor.org_id == req.subject.org_id {
        return if role_permits(actor.role, req.kind, req.action) {
            Ground::OwnOrganisation(actor.role)
        } else {
            Ground::Denied("role_not_allowed")
        };
    }
    // Partner staff never see the access log, whatever a consent says.
    if actor.role == Role::PartnerStaff && req.kind != RecordKind::AuditTrail {
        let live_to_actor = |c: &&LiveConsent| {
            c.participant_id == req.subject.participant_id && c.recipient_org_id == actor.org_id
        };
        let covering = |kind: RecordKind| {
            req.consents
                .iter()
                .filter(|c| c.participant_id == req.subject.participant_id)
                .find(|c| consent_covers(c, actor.org_id, kind))
        };
        // They read the kinds a live consent to their organisation covers.
        if req.action == Action::Read
            && let Some(c) = covering(req.kind)
        {
            return Ground::Consent(c.id);
        }
        // A referral to them is read and answered while the consent it relies on is live.
        if req.kind == RecordKind::Referral
            && req.action != Action::Search
            && let Some(c) = req
                .consents
                .iter()
                .filter(live_to_actor)
                .find(|c| Some(c.id) == req.referral_consent)
        {
            return Ground::Consent(c.id);
        }
        // A joint assessment opened to them: they record their part under a consent covering
        // assessments.
        if req.kind == RecordKind::Assessment
            && req.action == Action::Write
            && req.opened_to == Some(actor.org_id)
            && let Some(c) = covering(RecordKind::Assessment)
        {
            return Ground::Consent(c.id);
        }
    }
    Ground::Denied("other_organisation")
}

/// The ground of a search over participants' records of `kind`.
fn search_ground(actor: &Actor, kind: RecordKind) -> Ground {
    match actor.role {
        Role::Participant if actor.participant_id.is_some() => Ground::OwnRecord,
        Role::PartnerStaff if kind == RecordKind::Participant => Ground::ConsentedOnly,
        role if role != Role::Participant && role_permits(role, kind, Action::Search) => {
            Ground::OwnOrganisation(role)
        }
        _ => Ground::Denied("role_not_allowed"),
    }
}

/// Which participants a list or search may return: the same rule as [`decide`], as SQL input.
/// Partner staff find the participants whose consent to their organisation, live on `today`,
/// covers their personal details: the list they may open one by one.
pub fn visibility(actor: &Actor, kind: RecordKind, today: time::Date) -> Visibility {
    visibility_of(actor, &search_ground(actor, kind), kind, today)
}

/// What an allowed search's ground lets the actor see.
pub fn visibility_of(
    actor: &Actor,
    ground: &Ground,
    kind: RecordKind,
    today: time::Date,
) -> Visibility {
    match ground {
        Ground::OwnRecord => actor
            .participant_id
            .map_or(Visibility::Nothing, Visibility::Participant),
        Ground::ConsentedOnly => Visibility::Consented {
            recipient: actor.org_id,
            kind: kind.code(),
            today,
        },
        Ground::OwnOrganisation(_) => Visibility::Organisation(actor.org_id),
        _ => Visibility::Nothing,
    }
}

/// The audit event for a decision.
pub fn audit_event(
    req: &Request<'_>,
    ground: &Ground,
    at: OffsetDateTime,
    detail: Option<String>,
) -> AuditEvent {
    let actor = req.actor();
    let (kind, action) = req.audited_as();
    AuditEvent {
        id: Uuid::now_v7(),
        at,
        actor_user_id: Some(actor.user_id),
        actor_role: actor.role.code().to_owned(),
        actor_org_id: Some(actor.org_id),
        participant_id: req.participant(),
        record_kind: kind.to_owned(),
        action,
        decision: ground.decision(),
        ground: ground.code(),
        detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The record questions below, asked as the one request type.
    fn decide(r: &AccessRequest<'_>) -> Ground {
        super::decide(&Request::Record(*r))
    }

    const DAY: time::Date = time::macros::date!(2026 - 11 - 24);

    fn actor(role: Role, org: Uuid) -> Actor {
        Actor {
            user_id: Uuid::now_v7(),
            org_id: org,
            role,
            name: "T".into(),
            participant_id: None,
        }
    }

    fn req<'a>(
        a: &'a Actor,
        s: Subject,
        kind: RecordKind,
        action: Action,
        c: &'a [LiveConsent],
    ) -> AccessRequest<'a> {
        AccessRequest::new(a, s, kind, action, c)
    }

    #[test]
    fn coach_reaches_own_organisation_only() {
        let org = Uuid::now_v7();
        let subject = Subject {
            participant_id: Uuid::now_v7(),
            org_id: org,
        };
        let coach = actor(Role::Coach, org);
        assert_eq!(
            decide(&req(
                &coach,
                subject,
                RecordKind::Participant,
                Action::Write,
                &[]
            )),
            Ground::OwnOrganisation(Role::Coach)
        );
        let other = actor(Role::Coach, Uuid::now_v7());
        assert_eq!(
            decide(&req(
                &other,
                subject,
                RecordKind::Participant,
                Action::Read,
                &[]
            )),
            Ground::Denied("other_organisation")
        );
    }

    #[test]
    fn admin_and_supervisor_see_no_personal_data() {
        let org = Uuid::now_v7();
        let subject = Subject {
            participant_id: Uuid::now_v7(),
            org_id: org,
        };
        for role in [Role::Admin, Role::Supervisor, Role::PartnerStaff] {
            let a = actor(role, org);
            for action in Action::ALL {
                assert!(
                    !decide(&req(&a, subject, RecordKind::Participant, *action, &[])).is_allowed(),
                    "{role:?} {action:?}"
                );
            }
            let expected = if role == Role::PartnerStaff {
                // Only those whose live consent to the partner covers their details.
                Visibility::Consented {
                    recipient: org,
                    kind: "participant",
                    today: DAY,
                }
            } else {
                Visibility::Nothing
            };
            assert_eq!(visibility(&a, RecordKind::Participant, DAY), expected);
            assert_eq!(visibility(&a, RecordKind::Plan, DAY), Visibility::Nothing);
        }
    }

    #[test]
    fn auditor_reads_but_never_writes() {
        let org = Uuid::now_v7();
        let subject = Subject {
            participant_id: Uuid::now_v7(),
            org_id: org,
        };
        let a = actor(Role::Auditor, org);
        assert!(decide(&req(&a, subject, RecordKind::Enrolment, Action::Read, &[])).is_allowed());
        assert!(!decide(&req(&a, subject, RecordKind::Enrolment, Action::Write, &[])).is_allowed());
    }

    #[test]
    fn participant_reads_only_own_record() {
        let org = Uuid::now_v7();
        let me = Uuid::now_v7();
        let mut a = actor(Role::Participant, org);
        a.participant_id = Some(me);
        let mine = Subject {
            participant_id: me,
            org_id: org,
        };
        let theirs = Subject {
            participant_id: Uuid::now_v7(),
            org_id: org,
        };
        assert_eq!(
            decide(&req(&a, mine, RecordKind::Enrolment, Action::Read, &[])),
            Ground::OwnRecord
        );
        assert!(!decide(&req(&a, mine, RecordKind::Enrolment, Action::Write, &[])).is_allowed());
        assert!(!decide(&req(&a, theirs, RecordKind::Participant, Action::Read, &[])).is_allowed());
        for kind in [RecordKind::Assessment, RecordKind::Attendance] {
            assert_eq!(
                decide(&req(&a, mine, kind, Action::Read, &[])),
                Ground::OwnRecord,
                "{kind:?}"
            );
            assert!(
                !decide(&req(&a, mine, kind, Action::Write, &[])).is_allowed(),
                "{kind:?}"
            );
        }
        // Who looked at their own record: yes; at someone else's: no.
        assert_eq!(
            decide(&req(&a, mine, RecordKind::AuditTrail, Action::Read, &[])),
            Ground::OwnRecord
        );
        assert!(!decide(&req(&a, theirs, RecordKind::AuditTrail, Action::Read, &[])).is_allowed());
        assert_eq!(
            decide(&req(&a, mine, RecordKind::Plan, Action::Write, &[])),
            Ground::OwnRecord,
            "co-writes the plan"
        );
        assert!(!decide(&req(&a, theirs, RecordKind::Plan, Action::Write, &[])).is_allowed());
        assert_eq!(
            visibility(&a, RecordKind::Participant, DAY),
            Visibility::Participant(me)
        );
    }

    #[test]
    fn partner_reads_under_a_matching_consent_only() {
        let owner = Uuid::now_v7();
        let partner_org = Uuid::now_v7();
        let p = Uuid::now_v7();
        let subject = Subject {
            participant_id: p,
            org_id: owner,
        };
        let a = actor(Role::PartnerStaff, partner_org);
        let consent = LiveConsent {
            id: Uuid::now_v7(),
            participant_id: p,
            recipient_org_id: partner_org,
            kinds: vec![RecordKind::Enrolment],
        };
        let consents = [consent.clone()];
        assert_eq!(
            decide(&req(
                &a,
                subject,
                RecordKind::Enrolment,
                Action::Read,
                &consents
            )),
            Ground::Consent(consent.id)
        );
        assert!(
            !decide(&req(
                &a,
                subject,
                RecordKind::Participant,
                Action::Read,
                &consents
            ))
            .is_allowed()
        );
        assert!(
            !decide(&req(
                &a,
                subject,
                RecordKind::Enrolment,
                Action::Write,
                &consents
            ))
            .is_allowed()
        );
    }

    #[test]
    fn list_visibility_matches_single_record_rule() {
        let org = Uuid::now_v7();
        for role in Role::ALL
            .iter()
            .copied()
            .filter(|r| *r != Role::Participant)
        {
            let a = actor(role, org);
            let subject = Subject {
                participant_id: Uuid::now_v7(),
                org_id: org,
            };
            let may_read = decide(&req(
                &a,
                subject,
                RecordKind::Participant,
                Action::Search,
                &[],
            ))
            .is_allowed();
            assert_eq!(
                visibility(&a, RecordKind::Participant, DAY) == Visibility::Organisation(org),
                may_read,
                "{role:?}"
            );
        }
    }

    #[test]
    fn a_supervisor_reaches_their_own_placements_only() {
        let employer = Uuid::now_v7();
        let subject = Subject {
            participant_id: Uuid::now_v7(),
            org_id: Uuid::now_v7(),
        };
        let sup = actor(Role::Supervisor, employer);
        let placement = Uuid::now_v7();
        let mut r = req(&sup, subject, RecordKind::Placement, Action::Read, &[]);
        assert!(!decide(&r).is_allowed(), "not their placement");
        r.supervised = Some(placement);
        assert_eq!(decide(&r), Ground::Supervisor(placement));
        r.action = Action::Write;
        assert_eq!(decide(&r), Ground::Supervisor(placement));
        r.action = Action::Search;
        assert!(!decide(&r).is_allowed());
        for kind in RecordKind::ALL
            .iter()
            .filter(|k| **k != RecordKind::Placement)
        {
            let mut other = req(&sup, subject, *kind, Action::Read, &[]);
            other.supervised = Some(placement);
            assert!(!decide(&other).is_allowed(), "{kind:?}");
        }
        // Even in the participant's own organisation, a supervisor is only a supervisor.
        let inside = actor(Role::Supervisor, subject.org_id);
        let r = req(&inside, subject, RecordKind::Participant, Action::Read, &[]);
        assert!(!decide(&r).is_allowed());
        // Staff of the controlling organisation reach placements like any case record.
        let coach = actor(Role::Coach, subject.org_id);
        let r = req(&coach, subject, RecordKind::Placement, Action::Write, &[]);
        assert_eq!(decide(&r), Ground::OwnOrganisation(Role::Coach));
    }

    #[test]
    fn only_administrators_read_no_participant_data() {
        let org = Uuid::now_v7();
        let me = Uuid::now_v7();
        let subject = Subject {
            participant_id: me,
            org_id: org,
        };
        let other_org = Uuid::now_v7();
        for role in Role::ALL.iter().copied() {
            // Inside the organisation or outside it, under a consent covering everything, as the
            // placement's supervisor, or the participant themselves: any read allowed?
            let reads = [org, other_org].iter().any(|actor_org| {
                let mut a = actor(role, *actor_org);
                a.participant_id = Some(me).filter(|_| role == Role::Participant);
                let consents = [LiveConsent {
                    id: Uuid::now_v7(),
                    participant_id: me,
                    recipient_org_id: *actor_org,
                    kinds: RecordKind::ALL.to_vec(),
                }];
                RecordKind::ALL.iter().any(|kind| {
                    let mut r = req(&a, subject, *kind, Action::Read, &consents);
                    r.supervised = Some(Uuid::now_v7());
                    decide(&r).is_allowed()
                })
            });
            assert_eq!(reads, reads_participant_data(role), "{role:?}");
        }
    }

    #[test]
    fn an_administrator_cannot_give_themselves_a_reading_role_nor_switch_themselves_off() {
        let org = Uuid::now_v7();
        let admin = actor(Role::Admin, org);
        let change = |user, role, deactivate| {
            super::decide(&Request::ChangeAccount {
                actor: &admin,
                user,
                owner: org,
                role,
                deactivate,
            })
        };
        assert_eq!(
            change(admin.user_id, Some(Role::Coach), false),
            Ground::Denied("own_role")
        );
        assert_eq!(
            change(admin.user_id, None, true),
            Ground::Denied("own_account")
        );
        assert!(change(admin.user_id, Some(Role::Admin), false).is_allowed());
        let colleague = Uuid::now_v7();
        assert!(change(colleague, Some(Role::Auditor), false).is_allowed());
        assert!(change(colleague, None, true).is_allowed());
        let coach = actor(Role::Coach, org);
        assert!(
            !super::decide(&Request::ChangeAccount {
                actor: &coach,
                user: colleague,
                owner: org,
                role: Some(Role::Coach),
                deactivate: false,
            })
            .is_allowed()
        );
        assert_eq!(
            super::decide(&Request::ChangeAccount {
                actor: &admin,
                user: colleague,
                owner: Uuid::now_v7(),
                role: None,
                deactivate: true,
            }),
            Ground::Denied("other_organisation")
        );
    }

    #[test]
    fn project_managers_and_administrators_keep_their_own_projects_and_goals() {
        let org = Uuid::now_v7();
        for function in [Function::Projects, Function::Goals] {
            for role in Role::ALL.iter().copied() {
                let a = actor(role, org);
                let may = matches!(role, Role::ProjectManager | Role::Admin);
                for owner in [None, Some(org)] {
                    let req = Request::Function {
                        actor: &a,
                        function,
                        action: Action::Write,
                        owner,
                    };
                    assert_eq!(allows(&req), may, "{role:?} {function:?} {owner:?}");
                }
                let theirs = Request::Function {
                    actor: &a,
                    function,
                    action: Action::Write,
                    owner: Some(Uuid::now_v7()),
                };
                // Another organisation's project is not found, whatever the role.
                assert_eq!(super::decide(&theirs), Ground::Denied("other_organisation"));
                assert!(matches!(theirs.refusal(), crate::AppError::NotFound));
            }
        }
    }

    /// The rule in plain words, written again without the gate's structure: the property
    /// test below compares the two on random requests.
    fn reference(r: &AccessRequest<'_>) -> bool {
        let a = r.actor;
        let own_org = a.org_id == r.subject.org_id;
        let case_kind = r.kind != RecordKind::AuditTrail;
        match a.role {
            Role::Participant => {
                a.participant_id == Some(r.subject.participant_id)
                    && (r.action == Action::Read
                        || (r.action == Action::Write
                            && [RecordKind::Plan, RecordKind::Consent].contains(&r.kind)))
            }
            Role::Supervisor => {
                r.kind == RecordKind::Placement
                    && r.supervised.is_some()
                    && r.action != Action::Search
            }
            Role::Coach | Role::ProjectManager => own_org && case_kind,
            Role::Auditor => own_org && r.action != Action::Write,
            Role::PartnerStaff => {
                let live_to_me = |c: &&LiveConsent| {
                    c.participant_id == r.subject.participant_id && c.recipient_org_id == a.org_id
                };
                let covers = |k: RecordKind| {
                    r.consents
                        .iter()
                        .filter(live_to_me)
                        .any(|c| c.kinds.contains(&k))
                };
                let read = r.action == Action::Read && covers(r.kind);
                let referral = r.kind == RecordKind::Referral
                    && r.action != Action::Search
                    && r.consents
                        .iter()
                        .filter(live_to_me)
                        .any(|c| Some(c.id) == r.referral_consent);
                let joint = r.kind == RecordKind::Assessment
                    && r.action == Action::Write
                    && r.opened_to == Some(a.org_id)
                    && covers(RecordKind::Assessment);
                !own_org && case_kind && (read || referral || joint)
            }
            Role::Admin | Role::Pending => false,
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5000))]
        #[test]
        fn the_gate_agrees_with_the_plain_rule(
            role in 0usize..8,
            actor_org in 0usize..3,
            subject_org in 0usize..3,
            own_participant in proptest::bool::ANY,
            kind in 0usize..16,
            action in 0usize..3,
            supervised in proptest::bool::ANY,
            consents in proptest::collection::vec((0usize..2, 0usize..3, proptest::collection::vec(0usize..16, 0..4)), 0..4),
            referral in proptest::option::of(0usize..5),
            opened_to in proptest::option::of(0usize..3),
        ) {
            let orgs = [Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3)];
            let people = [Uuid::from_u128(10), Uuid::from_u128(11)];
            let role = Role::ALL[role % Role::ALL.len()];
            let kind = RecordKind::ALL[kind % RecordKind::ALL.len()];
            let action = Action::ALL[action];
            let subject = Subject { participant_id: people[0], org_id: orgs[subject_org] };
            let actor = Actor {
                user_id: Uuid::from_u128(99),
                org_id: orgs[actor_org],
                role,
                name: String::new(),
                participant_id: Some(if own_participant { people[0] } else { people[1] })
                    .filter(|_| role == Role::Participant),
            };
            let live: Vec<LiveConsent> = consents
                .iter()
                .enumerate()
                .map(|(i, (p, o, ks))| LiveConsent {
                    id: Uuid::from_u128(1000 + i as u128),
                    participant_id: people[*p],
                    recipient_org_id: orgs[*o],
                    kinds: ks.iter().map(|k| RecordKind::ALL[k % RecordKind::ALL.len()]).collect(),
                })
                .collect();
            let r = AccessRequest {
                actor: &actor,
                subject,
                kind,
                action,
                consents: &live,
                supervised: supervised.then_some(Uuid::from_u128(7)),
                referral_consent: referral.map(|i| Uuid::from_u128(1000 + i as u128)),
                opened_to: opened_to.map(|o| orgs[o]),
            };
            proptest::prop_assert_eq!(decide(&r).is_allowed(), reference(&r), "{:?}", r);
        }
    }
}
