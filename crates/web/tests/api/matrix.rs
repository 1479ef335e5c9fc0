//! The authorisation matrix: every route (UI and API) × every role × own/other organisation ×
//! consent absent/present, each cell a real HTTP request, compared with the rule the route
//! states in [`RULES`].
//!
//! The rule in plain words (written here again, independently of `stegvis_app::policy`):
//!
//! * A participant's records (the case) are reached in full by the coaches and project managers
//!   of the organisation that controls them; its auditor reads and searches but never writes.
//! * The participant reads everything recorded about them, and writes only their plan and their
//!   consents.
//! * Partner staff of another organisation read a record only while a live consent to their
//!   organisation covers every kind of record the route shows; they never write. Their
//!   participant list holds only those whose consent covers personal details.
//! * Administrators and supervisors never see a case; a supervisor reaches the placements they
//!   supervise once accepted (the status stays the coach's).
//! * Lists and searches are filtered, so every role that may search gets through and sees only
//!   its own; roles that may not search are refused.
//! * The employer network (employers, workplaces, openings) is kept by coaches and project
//!   managers of every organisation; a project's activities, schedules and time reports by those
//!   of the organisation that runs it; users and organisations by administrators; the audit
//!   trail by auditors. Project and organisation facts are for every logged-in user.
//! * Nothing but the public routes answers an anonymous caller.
//!
//! A GET form for a write is shown to those who may write; to those who may only read what the
//! form shows it may be shown or refused (it changes nothing); everyone else is refused.
//!
//! Routes are enumerated, never listed by hand: the API from `/api/v1/openapi.json` and from the
//! router in `src/api/mod.rs`, the pages from the router in `src/pages/mod.rs`, and the rest from
//! `src/lib.rs`. A route without a rule here, or a rule without its route, fails the test.
//! Adding a route's rule is one line in [`RULES`]; a new kind of path parameter needs one line
//! in [`Fixture::id_for`].
//!
//! What a cell's answer means: 401, 403, 404 and (pages) a redirect to the log-in page are a
//! refusal; 409 and 422 mean the request got past the gate to the use case's own checks; any
//! other 2xx/3xx is a grant; a 5xx always fails. Writes are sent with invalid or stale bodies so
//! that they change nothing, except registering (valid: it checks its input first) and the
//! supervisor's status move (valid: the use case must refuse it). Log-in and log-out run in a
//! session of their own.
//!
//! The callers: anonymous; coach, project manager, auditor and administrator of the case's own
//! organisation and of another; partner staff of the own organisation and of the employment
//! service; the placement's own supervisor and another; the participant and another one. The
//! consents: none; all shareable kinds to every caller's other organisation; and, for the
//! employment service's partner, exactly the kinds each read route shows, then every other kind.
//! `STEGVIS_MATRIX_DUMP=file` appends every cell's answer to `file`.

use crate::support::*;
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use stegvis_app::users::UserInput;

/// The kinds of personal record, as a consent names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum K {
    Participant,
    Enrolment,
    Assessment,
    Attendance,
    FollowUp,
    Plan,
    Placement,
    Consent,
    Referral,
    Conference,
}

impl K {
    fn code(self) -> &'static str {
        match self {
            K::Participant => "participant",
            K::Enrolment => "enrolment",
            K::Assessment => "assessment",
            K::Attendance => "attendance",
            K::FollowUp => "follow_up",
            K::Plan => "plan",
            K::Placement => "placement",
            K::Consent => "consent",
            K::Referral => "referral",
            K::Conference => "conference",
        }
    }
}

/// What a consent can cover (consents themselves are never shared).
const SHAREABLE: &[K] = &[
    K::Participant,
    K::Enrolment,
    K::Assessment,
    K::Attendance,
    K::FollowUp,
    K::Plan,
    K::Placement,
    K::Conference,
];

/// Who may get through a route.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// Anyone, logged in or not (nothing to check but that it answers).
    Public,
    /// Any logged-in user: no personal data.
    AnyUser,
    /// Coaches and project managers of any organisation: the shared employer network.
    Network,
    /// Coaches and project managers of the organisation that runs the project.
    ProjectStaff,
    /// Project managers of the organisation that runs the project (its settings).
    ProjectManagerOf,
    /// Project managers and administrators create projects in their own organisation.
    ProjectCreate,
    /// Project managers and administrators of the organisation that runs the project keep its
    /// facts, target group and goals.
    ProjectKeeper,
    /// Coaches and project managers register participants in their own organisation.
    Register,
    /// Coaches and project managers: their own caseload.
    Caseload,
    /// A filtered list of one kind: staff and auditors (their organisation's), participants
    /// (their own), partner staff only for personal details (the consented ones).
    Search(K),
    /// A search only organisation-wide visibility can make (an opening's candidates: staff
    /// and auditors, each of their own organisation).
    OrgSearch,
    /// One participant's records of these kinds, read.
    Read(&'static [K]),
    /// One participant's record of this kind, written.
    Write(K),
    /// A GET form for writing `write`, showing the records `shows`.
    Form { write: K, shows: &'static [K] },
    /// One placement, read: the case rule, or its own supervisor once accepted.
    PlacementRead,
    /// One placement, written (weeks, feedback): the case rule, or its own supervisor.
    PlacementWrite,
    /// A placement's status: staff only; its supervisor reaches the use case, which refuses.
    PlacementStatus,
    /// A supervisor's own list of placements.
    Supervised,
    /// The audit trail: auditors (of their own organisation).
    AuditorOnly,
    /// Users and organisations: administrators.
    AdminOnly,
    /// Who read or changed a participant's data: the participant and their organisation's
    /// auditor; never partner staff, whatever a consent says.
    AccessLog,
    /// The participant's rights (the register extract, the correction): their organisation's
    /// auditor only.
    SubjectRights,
    /// An organisation's referrals (sent, and received under live consents): staff, auditors
    /// and partner staff.
    ReferralList,
    /// One referral, read or answered: the case rule for the holding organisation; its
    /// recipient only while the consent it relies on is live (the fixture's is revoked, so the
    /// recipient is refused here; referrals.rs covers the live case).
    ReferralOne { write: bool },
    /// The collaboration teams: staff, auditors and partner staff (no participant data).
    Teams,
    /// One account or organisation administered by the own organisation: its administrators.
    AdminOf,
    /// One API token: its holder only (the fixture's belongs to the own organisation's coach).
    TokenHolder,
    /// Retention: the rules and the dry run, for administrators and auditors.
    Retention,
    /// The participant's portal (`/me`): every participant, each on their own records; staff
    /// are refused (they have their own pages).
    Portal,
    /// A record in the portal named by its id: its own participant only.
    PortalOwn,
    /// One spreadsheet upload (`/import/{id}`): it belongs to the user who uploaded it, in the
    /// server's memory; no caller here holds the fixture's id, so every one is refused (404 for
    /// staff who may import, 403 for the rest). api/import.rs covers the owner.
    OwnUpload,
}

use K::*;
use Rule::*;

/// Every route and its rule. Methods are lower case; paths as the router writes them.
#[rustfmt::skip]
const RULES: &[(&str, &str, Rule)] = &[
    // Outside the routers.
    ("get", "/healthz", Public),
    ("get", "/readyz", Public),
    ("get", "/static/style.css", Public),
    ("get", "/api/v1/openapi.json", Public),
    // API: no personal data.
    ("get", "/api/v1/organisations", AnyUser),
    ("post", "/api/v1/organisations", AdminOnly),
    ("get", "/api/v1/organisations/{id}", AnyUser),
    ("get", "/api/v1/users", AdminOnly),
    ("post", "/api/v1/users", AdminOnly),
    ("get", "/api/v1/projects", AnyUser),
    ("get", "/api/v1/projects/{id}", AnyUser),
    ("post", "/api/v1/projects", ProjectCreate),
    ("patch", "/api/v1/projects/{id}", ProjectKeeper),
    ("get", "/api/v1/projects/{id}/history", ProjectKeeper),
    ("get", "/api/v1/projects/{id}/goals", ProjectKeeper),
    ("post", "/api/v1/projects/{id}/goals", ProjectKeeper),
    ("post", "/api/v1/projects/{id}/goals/preview", ProjectStaff),
    ("get", "/api/v1/goals/{id}", ProjectKeeper),
    ("put", "/api/v1/goals/{id}", ProjectKeeper),
    ("post", "/api/v1/goals/{id}/retire", ProjectKeeper),
    ("get", "/api/v1/projects/{id}/activities", ProjectStaff),
    ("post", "/api/v1/projects/{id}/activities", ProjectStaff),
    ("get", "/api/v1/activities/{id}/schedules", ProjectStaff),
    ("post", "/api/v1/activities/{id}/schedules", ProjectStaff),
    ("post", "/api/v1/activities/{id}/attendance", ProjectStaff),
    ("get", "/api/v1/projects/{id}/time-report", ProjectStaff),
    ("get", "/api/v1/projects/{id}/report", ProjectStaff),
    ("get", "/api/v1/employers", Network),
    ("post", "/api/v1/employers", Network),
    ("get", "/api/v1/employers/{id}", Network),
    ("post", "/api/v1/employers/{id}/workplaces", Network),
    ("post", "/api/v1/employers/{id}/clauses", Network),
    ("post", "/api/v1/employers/{id}/agreements", Network),
    ("post", "/api/v1/workplaces/{id}/openings", Network),
    // API: the case.
    ("get", "/api/v1/participants", Search(Participant)),
    ("post", "/api/v1/participants", Register),
    // Enrolments come with it where a consent covers them too.
    ("get", "/api/v1/participants/{id}", Read(&[Participant])),
    ("get", "/api/v1/caseload", Caseload),
    ("get", "/api/v1/participants/{id}/enrolments", Read(&[Enrolment])),
    ("post", "/api/v1/participants/{id}/enrolments", Write(Enrolment)),
    ("get", "/api/v1/enrolments/{id}", Read(&[Enrolment])),
    ("patch", "/api/v1/enrolments/{id}", Write(Enrolment)),
    ("post", "/api/v1/enrolments/{id}/exit", Write(Enrolment)),
    ("get", "/api/v1/participants/{id}/assessments", Read(&[Assessment])),
    ("post", "/api/v1/participants/{id}/assessments", Write(Assessment)),
    ("post", "/api/v1/assessments/{id}/parts", Write(Assessment)),
    ("get", "/api/v1/participants/{id}/time-report", Read(&[Attendance])),
    ("get", "/api/v1/follow-ups", Search(FollowUp)),
    ("post", "/api/v1/follow-ups/{id}", Write(FollowUp)),
    ("get", "/api/v1/participants/{id}/follow-ups", Read(&[FollowUp])),
    ("get", "/api/v1/participants/{id}/plan", Read(&[Plan])),
    ("post", "/api/v1/participants/{id}/plan", Write(Plan)),
    ("get", "/api/v1/plan-steps/{id}", Read(&[Plan])),
    ("patch", "/api/v1/plan-steps/{id}", Write(Plan)),
    ("get", "/api/v1/participants/{id}/placements", Read(&[Placement])),
    ("post", "/api/v1/participants/{id}/placements", Write(Placement)),
    ("get", "/api/v1/placements/{id}", PlacementRead),
    ("post", "/api/v1/placements/{id}/status", PlacementStatus),
    ("post", "/api/v1/placements/{id}/weeks", PlacementWrite),
    ("post", "/api/v1/placements/{id}/feedback", PlacementWrite),
    ("get", "/api/v1/supervised-placements", Supervised),
    ("get", "/api/v1/participants/{id}/consents", Read(&[Consent])),
    ("post", "/api/v1/participants/{id}/consents", Write(Consent)),
    ("post", "/api/v1/consents/{id}/revoke", Write(Consent)),
    ("get", "/api/v1/participants/{id}/job-profile", Read(&[Placement])),
    ("put", "/api/v1/participants/{id}/job-profile", Write(Placement)),
    ("get", "/api/v1/participants/{id}/reminders", Read(&[Consent])),
    ("put", "/api/v1/participants/{id}/reminders", Write(Consent)),
    ("get", "/api/v1/participants/{id}/matches", Read(&[Placement])),
    ("get", "/api/v1/openings/{id}/candidates", OrgSearch),
    ("get", "/api/v1/audit", AuditorOnly),
    ("get", "/api/v1/participants/{id}/access-log", AccessLog),
    ("get", "/api/v1/participants/{id}/extract", SubjectRights),
    ("post", "/api/v1/assessments/{id}/partners", Write(Assessment)),
    ("get", "/api/v1/participants/{id}/referrals", Read(&[Referral])),
    ("post", "/api/v1/participants/{id}/referrals", Write(Referral)),
    ("get", "/api/v1/referrals", ReferralList),
    ("get", "/api/v1/referrals/{id}", ReferralOne { write: false }),
    ("post", "/api/v1/referrals/{id}/status", ReferralOne { write: true }),
    ("get", "/api/v1/teams", Teams),
    ("post", "/api/v1/teams", Network),
    ("get", "/api/v1/participants/{id}/conferences", Read(&[Conference])),
    ("post", "/api/v1/participants/{id}/conferences", Write(Conference)),
    // API: accounts and administration.
    ("post", "/api/v1/setup", Public),
    ("post", "/api/v1/activate", Public),
    ("get", "/api/v1/account", AnyUser),
    ("post", "/api/v1/account/password", AnyUser),
    ("get", "/api/v1/tokens", AnyUser),
    ("post", "/api/v1/tokens", AnyUser),
    ("post", "/api/v1/tokens/{id}/revoke", TokenHolder),
    ("post", "/api/v1/invitations", AdminOnly),
    ("get", "/api/v1/users/{id}", AdminOf),
    ("patch", "/api/v1/users/{id}", AdminOf),
    ("post", "/api/v1/users/{id}/password-reset", AdminOf),
    ("patch", "/api/v1/organisations/{id}", AdminOf),
    // The participant's own account: opened and closed like their record is written.
    ("get", "/api/v1/participants/{id}/account", Read(&[Participant])),
    ("post", "/api/v1/participants/{id}/account", Write(Participant)),
    ("post", "/api/v1/participants/{id}/account/close", Write(Participant)),
    // Pages: no personal data.
    ("get", "/", Public),
    ("get", "/login", Public),
    ("post", "/login", Public),
    ("post", "/logout", Public),
    ("get", "/lang/{code}", Public),
    ("get", "/oidc/{id}/start", Public),
    ("get", "/oidc/callback", Public),
    ("get", "/awaiting-role", AnyUser),
    ("get", "/projects", AnyUser),
    ("get", "/projects/{id}", AnyUser),
    ("get", "/projects/new", ProjectCreate),
    ("post", "/projects", ProjectCreate),
    ("get", "/projects/{id}/edit", ProjectKeeper),
    ("post", "/projects/{id}/edit", ProjectKeeper),
    ("get", "/projects/{id}/goals", ProjectKeeper),
    ("get", "/projects/{id}/goals/new", ProjectKeeper),
    ("post", "/projects/{id}/goals/new", ProjectKeeper),
    ("get", "/goals/{id}/edit", ProjectKeeper),
    ("post", "/goals/{id}/edit", ProjectKeeper),
    ("post", "/goals/{id}/retire", ProjectKeeper),
    ("get", "/projects/{id}/activities", ProjectStaff),
    ("post", "/projects/{id}/activities", ProjectStaff),
    ("get", "/activities/{id}/schedule", ProjectStaff),
    ("post", "/activities/{id}/schedule", ProjectStaff),
    ("get", "/activities/{id}/attendance", ProjectStaff),
    ("post", "/activities/{id}/attendance", ProjectStaff),
    ("get", "/projects/{id}/time-report", ProjectStaff),
    ("get", "/projects/{id}/time-report/export", ProjectStaff),
    ("get", "/projects/{id}/report", ProjectStaff),
    ("get", "/projects/{id}/report/export", ProjectStaff),
    ("get", "/projects/{id}/goals/{goal}", ProjectStaff),
    ("get", "/projects/{id}/report/participants", ProjectManagerOf),
    ("get", "/projects/{id}/report/pseudonymised", ProjectManagerOf),
    ("get", "/retention", Retention),
    ("post", "/retention/rules", AdminOnly),
    ("post", "/retention/rules/{id}/retire", AdminOnly),
    ("post", "/retention/run", AuditorOnly),
    ("get", "/projects/{id}/participant-time", ProjectManagerOf),
    ("post", "/projects/{id}/participant-time", ProjectManagerOf),
    // Every project the caller's own organisation runs: coaches and project managers of any.
    ("get", "/reports/rollup", Network),
    ("get", "/employers", Network),
    ("post", "/employers", Network),
    ("get", "/employers/{id}", Network),
    ("post", "/employers/{id}/openings", Network),
    ("post", "/employers/{id}/clauses", Network),
    ("post", "/employers/{id}/agreements", Network),
    // Pages: the case.
    ("get", "/caseload", Caseload),
    ("get", "/participants", Search(Participant)),
    ("post", "/participants/search", Search(Participant)),
    ("post", "/participants", Register),
    ("get", "/participants/new", Register),
    ("get", "/import/{id}", OwnUpload),
    ("post", "/import/{id}", OwnUpload),
    ("get", "/import/{id}/check", OwnUpload),
    // A bookmark of the import's POST: only a redirect to its dry run, which decides.
    ("get", "/import/{id}/run", Public),
    ("post", "/import/{id}/run", OwnUpload),
    ("get", "/import/{id}/done", OwnUpload),
    ("get", "/import/{id}/rejected.csv", OwnUpload),
    ("get", "/participants/{id}", Read(&[Participant])),
    ("get", "/participants/{id}/assess", Form { write: Assessment, shows: &[Participant, Enrolment] }),
    ("post", "/participants/{id}/assess", Write(Assessment)),
    ("get", "/assessments/{id}/part", Form { write: Assessment, shows: &[Assessment, Participant, Enrolment] }),
    ("post", "/assessments/{id}/part", Write(Assessment)),
    ("get", "/participants/{id}/enrol", Form { write: Enrolment, shows: &[Participant, Enrolment] }),
    ("post", "/participants/{id}/enrol", Write(Enrolment)),
    ("get", "/enrolments/{id}/edit", Form { write: Enrolment, shows: &[Participant, Enrolment] }),
    ("post", "/enrolments/{id}/edit", Write(Enrolment)),
    ("get", "/enrolments/{id}/exit", Form { write: Enrolment, shows: &[Participant, Enrolment] }),
    ("post", "/enrolments/{id}/exit", Write(Enrolment)),
    ("get", "/participants/{id}/plan/new", Form { write: Plan, shows: &[Participant, Enrolment] }),
    ("post", "/participants/{id}/plan", Write(Plan)),
    ("get", "/plan-steps/{id}/edit", Form { write: Plan, shows: &[Plan] }),
    ("post", "/plan-steps/{id}/edit", Write(Plan)),
    ("get", "/participants/{id}/placements/new", Form { write: Placement, shows: &[Participant, Enrolment] }),
    ("post", "/participants/{id}/placements", Write(Placement)),
    ("get", "/placements/{id}", PlacementRead),
    // `{what}` is sent as `feedback`; the status is the API's cell above.
    ("post", "/placements/{id}/{what}", PlacementWrite),
    ("get", "/supervised", Supervised),
    ("get", "/participants/{id}/job-profile", Form { write: Placement, shows: &[Participant, Enrolment, Placement] }),
    ("post", "/participants/{id}/job-profile", Write(Placement)),
    ("get", "/openings/{id}/candidates", OrgSearch),
    ("get", "/follow-ups", Search(FollowUp)),
    ("get", "/follow-ups/{id}", Form { write: FollowUp, shows: &[FollowUp] }),
    ("post", "/follow-ups/{id}", Write(FollowUp)),
    ("get", "/participants/{id}/access-log", AccessLog),
    ("get", "/participants/{id}/extract.json", SubjectRights),
    ("get", "/participants/{id}/extract.pdf", SubjectRights),
    ("get", "/participants/{id}/correct", SubjectRights),
    ("post", "/participants/{id}/correct", SubjectRights),
    ("get", "/audit", AuditorOnly),
    ("get", "/audit/export", AuditorOnly),
    ("post", "/audit/verify", AuditorOnly),
    ("get", "/participants/{id}/consents/new", Form { write: Consent, shows: &[Participant] }),
    ("post", "/participants/{id}/consents", Write(Consent)),
    ("post", "/consents/{id}/revoke", Write(Consent)),
    ("post", "/assessments/{id}/partners", Write(Assessment)),
    ("get", "/participants/{id}/referrals/new", Form { write: Referral, shows: &[Consent] }),
    ("post", "/participants/{id}/referrals", Write(Referral)),
    ("get", "/referrals", ReferralList),
    ("post", "/referrals/{id}/status", ReferralOne { write: true }),
    ("get", "/teams", Teams),
    ("post", "/teams", Network),
    ("get", "/participants/{id}/conferences/new", Form { write: Conference, shows: &[Participant] }),
    ("post", "/participants/{id}/conferences", Write(Conference)),
    // Pages: the first start, one-time links, accounts and administration.
    ("get", "/setup/{code}", Public),
    ("post", "/setup/{code}", Public),
    ("get", "/activate", Public),
    ("post", "/activate", Public),
    ("get", "/activate/{code}", Public),
    ("get", "/account", AnyUser),
    ("post", "/account/password", AnyUser),
    ("post", "/account/tokens", AnyUser),
    ("post", "/account/tokens/{id}/revoke", TokenHolder),
    ("get", "/admin/users", AdminOnly),
    ("post", "/admin/users", AdminOnly),
    ("get", "/admin/identity-providers", AdminOnly),
    ("post", "/admin/identity-providers", AdminOnly),
    ("post", "/admin/identity-providers/local-passwords", AdminOnly),
    ("get", "/admin/users/{id}", AdminOf),
    ("post", "/admin/users/{id}", AdminOf),
    ("post", "/admin/users/{id}/password-reset", AdminOf),
    ("get", "/admin/organisations", AdminOnly),
    ("post", "/admin/organisations", AdminOnly),
    ("get", "/admin/organisations/{id}", AdminOf),
    ("post", "/admin/organisations/{id}", AdminOf),
    ("post", "/participants/{id}/account", Write(Participant)),
    ("post", "/participants/{id}/account/close", Write(Participant)),
    // A form's answer asked for again with GET leads back to the form's page: a redirect that
    // reads nothing.
    ("get", "/account/password", Public),
    ("get", "/account/tokens", Public),
    ("get", "/admin/users/{id}/password-reset", Public),
    ("get", "/employers/{id}/openings", Public),
    ("get", "/employers/{id}/clauses", Public),
    ("get", "/employers/{id}/agreements", Public),
    ("get", "/participants/{id}/account", Public),
    ("get", "/participants/{id}/account/close", Public),
    // The participant's portal (issue 15), the language chooser and the accessibility statement.
    ("get", "/me", Portal),
    ("get", "/me/plan", Portal),
    ("post", "/me/plan", Portal),
    ("get", "/me/plan/new", Portal),
    ("get", "/me/plan-steps/{id}", PortalOwn),
    ("post", "/me/plan-steps/{id}", PortalOwn),
    ("post", "/me/plan-steps/{id}/done", PortalOwn),
    ("get", "/me/activities", Portal),
    ("get", "/me/placements", Portal),
    ("get", "/me/consents", Portal),
    ("post", "/me/consents", Portal),
    ("get", "/me/consents/new", Portal),
    ("post", "/me/consents/{id}/revoke", PortalOwn),
    ("get", "/me/access-log", Portal),
    ("get", "/me/reminders", Portal),
    ("post", "/me/reminders", Portal),
    ("get", "/language/{code}", Public),
    ("get", "/tillganglighet", Public),
];

// ---------------------------------------------------------------------------------------------
// The reference rule.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Coach,
    ProjectManager,
    Auditor,
    Admin,
    PartnerStaff,
    Supervisor,
    Participant,
}

/// Where the caller stands to the case: staff of the controlling organisation or another; for a
/// participant, their own record or someone else's; for a supervisor, the placement's own
/// supervisor or another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Org {
    Own,
    Other,
}

/// What the cell must answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Allow,
    Deny,
    /// Either is right (a public route; a write form to someone who may read what it shows).
    Either,
    /// It may reach the use case, which must refuse it (a supervisor moving a placement's status,
    /// sent with a body that would otherwise succeed).
    NoEffect,
}

/// The expected answer for a caller (`None`: anonymous) whose organisation holds a live consent
/// covering `consent` (empty: none).
fn expect(rule: Rule, who: Option<(Role, Org)>, consent: &[K]) -> Expect {
    use Expect::*;
    let allow = |b: bool| if b { Allow } else { Deny };
    let Some((role, org)) = who else {
        return if matches!(rule, Public) { Either } else { Deny };
    };
    let own = org == Org::Own;
    let staff = matches!(role, Role::Coach | Role::ProjectManager);
    let reads = |kinds: &[K]| match role {
        Role::Coach | Role::ProjectManager | Role::Auditor | Role::Participant => own,
        Role::PartnerStaff => !own && kinds.iter().all(|k| consent.contains(k)),
        Role::Admin | Role::Supervisor => false,
    };
    let writes = |kind: K| {
        (staff && own) || (role == Role::Participant && own && matches!(kind, Plan | Consent))
    };
    let supervises = role == Role::Supervisor && own;
    match rule {
        Public => Either,
        AnyUser => Allow,
        Network | Register | Caseload => allow(staff),
        OwnUpload => Deny,
        ProjectStaff => allow(staff && own),
        ProjectManagerOf => allow(role == Role::ProjectManager && own),
        ProjectCreate => allow(matches!(role, Role::ProjectManager | Role::Admin)),
        ProjectKeeper => allow(matches!(role, Role::ProjectManager | Role::Admin) && own),
        Search(kind) => allow(match role {
            Role::Coach | Role::ProjectManager | Role::Auditor | Role::Participant => true,
            Role::PartnerStaff => kind == Participant,
            Role::Admin | Role::Supervisor => false,
        }),
        OrgSearch => allow(staff || role == Role::Auditor),
        Read(kinds) => allow(reads(kinds)),
        Write(kind) => allow(writes(kind)),
        Form { write, shows } => match (writes(write), reads(shows)) {
            (true, _) => Allow,
            (false, true) => Either,
            (false, false) => Deny,
        },
        PlacementRead => allow(reads(&[Placement]) || supervises),
        PlacementWrite => allow(writes(Placement) || supervises),
        PlacementStatus => match (writes(Placement), supervises) {
            (true, _) => Allow,
            (false, true) => NoEffect,
            (false, false) => Deny,
        },
        Supervised => allow(role == Role::Supervisor),
        AuditorOnly => allow(role == Role::Auditor),
        AdminOnly => allow(role == Role::Admin),
        AdminOf => allow(role == Role::Admin && own),
        Retention => allow(matches!(role, Role::Admin | Role::Auditor)),
        Portal => allow(role == Role::Participant),
        PortalOwn => allow(role == Role::Participant && own),
        TokenHolder => allow(role == Role::Coach && own),
        AccessLog => allow(own && matches!(role, Role::Participant | Role::Auditor)),
        SubjectRights => allow(own && role == Role::Auditor),
        ReferralList | Teams => allow(matches!(
            role,
            Role::Coach | Role::ProjectManager | Role::Auditor | Role::PartnerStaff
        )),
        ReferralOne { write } => allow(if write {
            staff && own
        } else {
            own && matches!(
                role,
                Role::Coach | Role::ProjectManager | Role::Auditor | Role::Participant
            )
        }),
    }
}

/// The record kinds a read rule shows (what a consent must cover).
fn read_kinds(rule: Rule) -> Option<&'static [K]> {
    match rule {
        Read(kinds) | Form { shows: kinds, .. } => Some(kinds),
        PlacementRead => Some(&[Placement]),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Route enumeration.

type Route = (String, String);

/// The `.route("PATH", get(..).post(..))` calls inside the function that starts at `start`.
fn routes_in_source(source: &str, start: &str, prefix: &str) -> BTreeSet<Route> {
    let from = source
        .find(start)
        .unwrap_or_else(|| panic!("`{start}` in the source"));
    let body = &source[from..];
    let body = &body[..body.find("\n}\n").unwrap_or(body.len())];
    let mut out = BTreeSet::new();
    for call in body.split(".route(").skip(1) {
        let mut quoted = call.splitn(3, '"');
        quoted.next();
        let path = quoted.next().expect("a quoted path");
        let handlers = quoted.next().unwrap_or_default();
        for method in ["get", "post", "put", "patch", "delete"] {
            let needle = format!("{method}(");
            let found = handlers.match_indices(&needle).any(|(i, _)| {
                // Handlers are passed by name, so any `get(` not inside a longer name is the
                // routing function (`get(`, `.post(`, `routing::get(`).
                i == 0
                    || !handlers.as_bytes()[i - 1].is_ascii_alphanumeric()
                        && handlers.as_bytes()[i - 1] != b'_'
            });
            if found {
                out.insert((method.to_owned(), format!("{prefix}{path}")));
            }
        }
    }
    assert!(!out.is_empty(), "no routes found after `{start}`");
    out
}

fn source(file: &str) -> String {
    let path = format!("{}/{file}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every route the server has: the OpenAPI document's and the three routers'.
async fn enumerate_routes(t: &TestApp) -> BTreeSet<Route> {
    let doc: Value = t
        .http
        .get(format!("{}/api/v1/openapi.json", t.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut routes = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().unwrap().keys() {
            routes.insert((method.clone(), path.clone()));
        }
    }
    routes.extend(routes_in_source(
        &source("src/api/mod.rs"),
        "pub fn routes()",
        "/api/v1",
    ));
    routes.extend(routes_in_source(
        &source("src/pages/mod.rs"),
        "pub fn routes()",
        "",
    ));
    routes.extend(routes_in_source(
        &source("src/lib.rs"),
        "pub fn router_with(",
        "",
    ));
    routes
}

// ---------------------------------------------------------------------------------------------
// Callers and fixtures.

const OWN_ORG: &str = "Hässleholms kommun, Arbetsmarknadsenheten";
const OTHER_ORG: &str = "Helsingborgs stad, arbetsmarknadsförvaltningen";
const PARTNER_ORG: &str = "Arbetsförmedlingen";

/// A caller: how they authenticate on the API (bearer) and the pages (session cookie + CSRF).
struct Caller {
    label: &'static str,
    who: Option<(Role, Org)>,
    email: Option<String>,
    /// The organisation a consent would be given to (for partner and other-organisation staff).
    org_id: Option<String>,
    token: String,
    cookie: String,
    csrf: String,
}

/// The records every `{id}` stands for: one case of the own organisation.
#[derive(Default)]
struct Fixture {
    ids: BTreeMap<&'static str, String>,
    participant: String,
    project: String,
    today: String,
}

impl Fixture {
    /// The id a path parameter stands for, by the path segment before it.
    fn id_for(&self, segment: &str, param: &str) -> Option<String> {
        let key = match (segment, param) {
            ("lang" | "language", "{code}") => return Some("en".into()),
            // No link works: the pages say so (a working one is administration.rs's).
            ("setup" | "activate", "{code}") => return Some("ABCDE-FGHJK".into()),
            // No provider is configured in the fixture: an unknown one is not found.
            ("oidc", "{id}") => return Some("00000000-0000-7000-8000-000000000000".into()),
            // An upload nobody made: uploads live in the server's memory, bound to their user.
            ("import", "{id}") => return Some("00000000-0000-4000-8000-000000000000".into()),
            // Not a rule's id: retiring it passes the gate and changes nothing.
            ("rules", _) => "goal",
            ("users", _) => "user",
            ("tokens", _) => "token",
            (_, "{what}") => return Some("feedback".into()),
            ("participants", _) => "participant",
            ("enrolments", _) => "enrolment",
            ("assessments", _) => "assessment",
            ("plan-steps", _) => "plan_step",
            ("follow-ups", _) => "follow_up",
            ("placements", _) => "placement",
            ("consents", _) => "consent",
            ("referrals", _) => "referral",
            ("goals", _) => "goal",
            ("projects", _) => "project",
            ("activities", _) => "activity",
            ("employers", _) => "employer",
            ("workplaces", _) => "workplace",
            ("openings", _) => "opening",
            ("organisations", _) => "organisation",
            _ => return None,
        };
        self.ids.get(key).cloned()
    }

    /// The concrete URL for a route, or `None` when a parameter has no fixture.
    fn url(&self, path: &str) -> Option<String> {
        let mut out = Vec::new();
        let mut previous = "";
        for segment in path.split('/') {
            if segment.starts_with('{') {
                out.push(self.id_for(previous, segment)?);
            } else {
                out.push(segment.to_owned());
            }
            previous = segment;
        }
        let mut url = out.join("/");
        let query = match path {
            "/api/v1/participants/{id}/time-report" => {
                format!("?month=2026-01&project={}", self.project)
            }
            "/api/v1/projects/{id}/time-report" => "?month=2026-01".into(),
            "/projects/{id}/time-report/export" => "?format=csv&month=2026-01".into(),
            "/audit/export" => "?format=csv".into(),
            "/projects/{id}/report/export" => "?format=csv".into(),
            "/projects/{id}/report/participants" => "?format=csv".into(),
            "/projects/{id}/report/pseudonymised" => "?format=csv".into(),
            _ => String::new(),
        };
        url.push_str(&query);
        Some(url)
    }

    /// The JSON body of an API write: invalid or stale, so that passing the gate changes nothing
    /// (except registering, which checks its input before the gate).
    fn api_body(&self, method: &str, path: &str) -> Value {
        match (method, path) {
            ("post", "/api/v1/participants") => json!({
                "identity_mode": "none", "given_name": "Matris", "family_name": "Cell",
                "gender": "woman", "project_id": self.project, "enrolled_on": self.today
            }),
            ("patch", _) => json!({"version": -1}),
            ("put", "/api/v1/participants/{id}/job-profile") => json!({"hours_per_week": 999}),
            ("put", "/api/v1/participants/{id}/reminders") => {
                json!({"agreed": true, "email": "not an address", "language": "sv"})
            }
            // A goal that cannot be saved (a share of 0 %), and a stale retirement.
            ("post", "/api/v1/projects/{id}/goals")
            | ("put", "/api/v1/goals/{id}")
            | ("post", "/api/v1/projects/{id}/goals/preview") => json!({
                "name": "Matris",
                "definition": {"measure": "share", "who": {"who": "enrolled"}, "of": {"who": "enrolled"}, "percent": 0}
            }),
            ("post", "/api/v1/goals/{id}/retire") => json!({"version": -1}),
            _ => json!({}),
        }
    }

    /// The form of a page post (the CSRF token travels in a header).
    fn form(&self, path: &str, caller: &Caller) -> Vec<(String, String)> {
        let pairs: Vec<(&str, String)> = match path {
            "/participants" => vec![
                ("identity_mode", "none".into()),
                ("given_name", "Matris".into()),
                ("family_name", "Sida".into()),
                ("gender", "man".into()),
                ("project_id", self.project.clone()),
                ("enrolled_on", self.today.clone()),
            ],
            "/login" => vec![
                (
                    "email",
                    caller.email.clone().unwrap_or_else(|| COACH.into()),
                ),
                ("password", PASSWORD.into()),
                ("next", "/projects".into()),
            ],
            "/participants/{id}/job-profile" => vec![("hours_per_week", "999".into())],
            _ => vec![("version", "-1".into())],
        };
        pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
    }
}

fn days_ago(t: &TestApp, n: i64) -> String {
    (t.app.today() - time::Duration::days(n)).to_string()
}

async fn created(r: reqwest::Response, what: &str) -> Value {
    let status = r.status();
    let body = r.text().await.unwrap();
    assert!(status.is_success(), "{what}: {status} {body}");
    serde_json::from_str(&body).unwrap()
}

fn id_of(v: &Value) -> String {
    v["id"].as_str().expect("an id").to_owned()
}

async fn add_user(t: &TestApp, email: &str, role: &str, org_id: &str, pid: Option<&str>) {
    t.app
        .add_user(
            &UserInput {
                email: email.into(),
                name: format!("Matris {role}"),
                org_id: org_id.into(),
                role: role.into(),
                password: PASSWORD.into(),
            },
            pid.map(|p| p.parse().unwrap()),
        )
        .await
        .unwrap_or_else(|e| panic!("{email}: {e:?}"));
}

/// A caller to be: label, role and standing, e-mail, organisation a consent would go to.
type Person = (
    &'static str,
    Option<(Role, Org)>,
    Option<&'static str>,
    Option<String>,
);

/// One case of the own organisation with a record of every kind, and the accounts that stand
/// around it.
async fn build_fixture(t: &TestApp) -> (Fixture, Vec<Caller>) {
    let coach = t.token(COACH).await;
    let own_org = t.org_id(OWN_ORG).await;
    let other_org = t.org_id(OTHER_ORG).await;
    let partner_org = t.org_id(PARTNER_ORG).await;
    let project = t.project_id(&coach, "En väg in").await;
    let second = t.project_id(&coach, "Samverkan utan gränser").await;
    let mut f = Fixture {
        project: project.clone(),
        today: t.app.today().to_string(),
        ..Default::default()
    };

    let case = created(
        t.register(&coach, "811218-9876", "Matris", "Matrisson")
            .await,
        "register",
    )
    .await;
    let pid = case["participant"]["id"].as_str().unwrap().to_owned();
    let eid = case["enrolments"][0]["id"].as_str().unwrap().to_owned();
    let p = |rest: &str| format!("/api/v1/participants/{pid}/{rest}");

    // A second, ended enrolment: its exit plans the follow-ups.
    let e2 = created(
        t.post(
            &coach,
            &p("enrolments"),
            &json!({"project_id": second, "enrolled_on": days_ago(t, 30)}),
        )
        .await,
        "enrol",
    )
    .await;
    created(
        t.post(
            &coach,
            &format!("/api/v1/enrolments/{}/exit", id_of(&e2)),
            &json!({"exited_on": days_ago(t, 3), "exit_status": "work"}),
        )
        .await,
        "exit",
    )
    .await;
    let follow_ups = created(t.get(&coach, &p("follow-ups")).await, "follow-ups").await;
    let follow_up = follow_ups
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "immediate_result")
        .map(id_of)
        .expect("the exit planned follow-ups");

    let item = stegvis_domain::assessment::instruments::work_readiness().domains[0].items[0]
        .key
        .clone();
    let assessment = created(
        t.post(
            &coach,
            &p("assessments"),
            &json!({"assessed_on": days_ago(t, 1), "rater": "staff", "scores": {item: 3}}),
        )
        .await,
        "assessment",
    )
    .await;
    let step = created(
        t.post(
            &coach,
            &p("plan"),
            &json!({"goal": "Arbete", "step": "Skriv CV", "owner": "participant"}),
        )
        .await,
        "plan step",
    )
    .await;

    let employer = created(
        t.post(
            &coach,
            "/api/v1/employers",
            &json!({"name": "Matrisens AB", "kind": "employer", "workplace": {"name": "Matrisen"}}),
        )
        .await,
        "employer",
    )
    .await;
    let employer_id = id_of(&employer);
    let workplace = employer["workplaces"][0]["id"].as_str().unwrap().to_owned();
    let opening = created(
        t.post(
            &coach,
            &format!("/api/v1/workplaces/{workplace}/openings"),
            &json!({"title": "Kassa", "kind": "work_trial", "ssyk_code": "5230"}),
        )
        .await,
        "opening",
    )
    .await;

    // The accounts the demo does not have.
    const SUPERVISOR_OWN: &str = "handledare.matris@example.se";
    add_user(t, SUPERVISOR_OWN, "supervisor", &employer_id, None).await;
    let supervisor_id = t
        .app
        .token_actor(&t.token(SUPERVISOR_OWN).await)
        .await
        .unwrap()
        .unwrap()
        .user_id
        .to_string();
    const PARTICIPANT_OWN: &str = "deltagare.matris@example.se";
    add_user(t, PARTICIPANT_OWN, "participant", &own_org, Some(&pid)).await;
    const PM_OTHER: &str = "projektledare.matris@example.se";
    add_user(t, PM_OTHER, "project_manager", &other_org, None).await;
    const AUDITOR_OTHER: &str = "dataskydd.matris@example.se";
    add_user(t, AUDITOR_OTHER, "auditor", &other_org, None).await;
    const ADMIN_OTHER: &str = "admin.matris@example.se";
    add_user(t, ADMIN_OTHER, "admin", &other_org, None).await;
    const PARTNER_OWN: &str = "partner.matris@example.se";
    add_user(t, PARTNER_OWN, "partner_staff", &own_org, None).await;

    // A placement its supervisor has reached: accepted, then started.
    let placement = created(
        t.post(
            &coach,
            &p("placements"),
            &json!({"workplace_id": workplace, "kind": "work_practice", "supervisor_id": supervisor_id, "offered_on": days_ago(t, 30)}),
        )
        .await,
        "placement",
    )
    .await;
    let placement_id = id_of(&placement);
    for (status, n) in [("accepted", 28), ("started", 21)] {
        created(
            t.post(
                &coach,
                &format!("/api/v1/placements/{placement_id}/status"),
                &json!({"status": status, "on": days_ago(t, n)}),
            )
            .await,
            status,
        )
        .await;
    }

    let activity = created(
        t.post(
            &coach,
            &format!("/api/v1/projects/{project}/activities"),
            &json!({"kind": "group_session", "name": "Matrisgruppen"}),
        )
        .await,
        "activity",
    )
    .await;

    // A consent already revoked: revoking it again is 409 past the gate, 404 before it.
    let consent = grant(t, &coach, &pid, &partner_org, &[Plan]).await;
    revoke(t, &coach, &consent).await;
    // A referral to the employment service whose consent is revoked since.
    let relied_on = grant(t, &coach, &pid, &partner_org, &[Participant]).await;
    let referral = created(
        t.post(
            &coach,
            &p("referrals"),
            &json!({"to_org_id": partner_org, "consent_id": relied_on, "reason": "Matris"}),
        )
        .await,
        "referral",
    )
    .await;
    revoke(t, &coach, &relied_on).await;

    let goal = created(
        t.get(&coach, &format!("/api/v1/projects/{project}/report"))
            .await,
        "report",
    )
    .await["goals"][0]["id"]
        .as_str()
        .expect("a seed goal")
        .to_owned();
    // An account the own organisation's administrators keep, and a token its holder revokes.
    let coach_user = t
        .app
        .token_actor(&coach)
        .await
        .unwrap()
        .unwrap()
        .user_id
        .to_string();
    let coach_token = t
        .app
        .create_api_token_as_operator(COACH, "matrix", 90)
        .await
        .unwrap()
        .id
        .to_string();
    f.ids = BTreeMap::from([
        ("goal", goal),
        ("participant", pid.clone()),
        ("enrolment", eid),
        ("assessment", id_of(&assessment)),
        ("plan_step", id_of(&step)),
        ("follow_up", follow_up),
        ("placement", placement_id),
        ("consent", consent),
        ("referral", id_of(&referral)),
        ("project", project),
        ("activity", id_of(&activity)),
        ("employer", employer_id.clone()),
        ("workplace", workplace),
        ("opening", id_of(&opening)),
        ("organisation", own_org.clone()),
        ("user", coach_user),
        ("token", coach_token),
    ]);
    f.participant = pid;

    use Org::*;
    use Role as R;
    let people: Vec<Person> = vec![
        ("anonymous", None, None, None),
        ("coach", Some((R::Coach, Own)), Some(COACH), None),
        (
            "coach",
            Some((R::Coach, Other)),
            Some(OTHER_COACH),
            Some(other_org.clone()),
        ),
        (
            "project_manager",
            Some((R::ProjectManager, Own)),
            Some("projektledare@demo.stegvis.se"),
            None,
        ),
        (
            "project_manager",
            Some((R::ProjectManager, Other)),
            Some(PM_OTHER),
            Some(other_org.clone()),
        ),
        ("auditor", Some((R::Auditor, Own)), Some(AUDITOR), None),
        (
            "auditor",
            Some((R::Auditor, Other)),
            Some(AUDITOR_OTHER),
            Some(other_org.clone()),
        ),
        ("admin", Some((R::Admin, Own)), Some(ADMIN), None),
        (
            "admin",
            Some((R::Admin, Other)),
            Some(ADMIN_OTHER),
            Some(other_org.clone()),
        ),
        (
            "partner_staff",
            Some((R::PartnerStaff, Own)),
            Some(PARTNER_OWN),
            None,
        ),
        (
            "partner_staff",
            Some((R::PartnerStaff, Other)),
            Some(PARTNER),
            Some(partner_org.clone()),
        ),
        (
            "supervisor",
            Some((R::Supervisor, Own)),
            Some(SUPERVISOR_OWN),
            Some(employer_id.clone()),
        ),
        (
            "supervisor",
            Some((R::Supervisor, Other)),
            Some("handledare@demo.stegvis.se"),
            None,
        ),
        (
            "participant",
            Some((R::Participant, Own)),
            Some(PARTICIPANT_OWN),
            None,
        ),
        (
            "participant",
            Some((R::Participant, Other)),
            Some(PARTICIPANT),
            None,
        ),
    ];
    let mut callers = Vec::new();
    for (label, who, email, org_id) in people {
        let (token, cookie, csrf) = match email {
            Some(e) => {
                let (cookie, csrf) = session(t, e).await;
                (t.token(e).await, cookie, csrf)
            }
            None => Default::default(),
        };
        callers.push(Caller {
            label,
            who,
            email: email.map(str::to_owned),
            org_id,
            token,
            cookie,
            csrf,
        });
    }
    (f, callers)
}

/// A fresh browser session: the cookie header value and its CSRF token.
async fn session(t: &TestApp, email: &str) -> (String, String) {
    let s = t
        .app
        .login(email, PASSWORD, "matrix-test")
        .await
        .unwrap_or_else(|e| panic!("log in {email}: {e:?}"));
    (
        format!("{}={}", stegvis_web::SESSION_COOKIE, s.token),
        s.csrf,
    )
}

async fn grant(t: &TestApp, coach: &str, pid: &str, org: &str, kinds: &[K]) -> String {
    let kinds: Vec<&str> = kinds.iter().map(|k| k.code()).collect();
    let c = created(
        t.post(
            coach,
            &format!("/api/v1/participants/{pid}/consents"),
            &json!({"recipient_org_id": org, "kinds": kinds, "purpose": "Matristest", "form": "written"}),
        )
        .await,
        "consent",
    )
    .await;
    id_of(&c)
}

async fn revoke(t: &TestApp, coach: &str, consent: &str) {
    created(
        t.post(
            coach,
            &format!("/api/v1/consents/{consent}/revoke"),
            &json!({}),
        )
        .await,
        "revoke",
    )
    .await;
}

// ---------------------------------------------------------------------------------------------
// Cells.

/// One request of the matrix, owned so that it can run on its own task.
struct Cell {
    method: String,
    route: String,
    caller: usize,
    consent: String,
    expected: Expect,
    url: String,
    api: bool,
    /// Bearer token (API) or cookie and CSRF (pages); empty for anonymous.
    token: String,
    cookie: String,
    csrf: String,
    json: Value,
    form: Vec<(String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Refused,
    /// Past the gate, refused by the use case's own checks (409, 422).
    Passed,
    Granted,
    Error,
}

fn outcome(status: StatusCode, location: Option<&str>) -> Outcome {
    match status.as_u16() {
        401 | 403 | 404 => Outcome::Refused,
        409 | 422 => Outcome::Passed,
        300..=399 if location.is_some_and(|l| l.starts_with("/login")) => Outcome::Refused,
        200..=399 => Outcome::Granted,
        _ => Outcome::Error,
    }
}

fn agrees(expected: Expect, got: Outcome) -> bool {
    match (expected, got) {
        (_, Outcome::Error) => false,
        (Expect::Either, _) => true,
        (Expect::Allow, o) => o != Outcome::Refused,
        (Expect::Deny, o) => o == Outcome::Refused,
        (Expect::NoEffect, o) => o != Outcome::Granted,
    }
}

async fn send(http: reqwest::Client, base: String, c: &Cell) -> (StatusCode, Option<String>) {
    let url = format!("{base}{}", c.url);
    let method = reqwest::Method::from_bytes(c.method.to_uppercase().as_bytes()).unwrap();
    let mut req = http.request(method.clone(), url);
    if c.api {
        if !c.token.is_empty() {
            req = req.bearer_auth(&c.token);
        }
        if method != reqwest::Method::GET {
            req = req.json(&c.json);
        }
    } else {
        if !c.cookie.is_empty() {
            req = req
                .header(COOKIE, &c.cookie)
                .header("x-csrf-token", &c.csrf);
        }
        if method != reqwest::Method::GET {
            req = req.form(&c.form);
        }
    }
    let r = req.send().await.expect("request");
    let location = r
        .headers()
        .get(LOCATION)
        .and_then(|l| l.to_str().ok())
        .map(str::to_owned);
    (r.status(), location)
}

struct Mismatch {
    line: String,
}

/// Runs the cells a few at a time and returns the ones whose answer disagrees with the rule.
async fn run(t: &TestApp, callers: &[Caller], cells: Vec<Cell>) -> Vec<Mismatch> {
    let limit = Arc::new(tokio::sync::Semaphore::new(6));
    let mut set = tokio::task::JoinSet::new();
    for (i, cell) in cells.into_iter().enumerate() {
        let (http, base, limit) = (t.http.clone(), t.base.clone(), limit.clone());
        set.spawn(async move {
            let _permit = limit.acquire_owned().await.unwrap();
            let (status, location) = send(http, base, &cell).await;
            (i, cell, status, location)
        });
    }
    let mut answers = Vec::new();
    while let Some(done) = set.join_next().await {
        answers.push(done.expect("cell task"));
    }
    answers.sort_by_key(|a| a.0);
    // `STEGVIS_MATRIX_DUMP=file` appends every cell's answer, for reading the matrix itself.
    if let Ok(file) = std::env::var("STEGVIS_MATRIX_DUMP") {
        use std::io::Write;
        let mut out = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(file)
            .unwrap();
        for (_, c, status, location) in &answers {
            let caller = &callers[c.caller];
            writeln!(
                out,
                "{}\t{}\t{}\t{:?}\t{}\t{:?}\t{}\t{}",
                c.method,
                c.route,
                caller.label,
                caller.who.map(|w| w.1),
                c.consent,
                c.expected,
                status.as_u16(),
                location.as_deref().unwrap_or("")
            )
            .unwrap();
        }
    }
    answers
        .into_iter()
        .filter_map(|(_, c, status, location)| {
            let got = outcome(status, location.as_deref());
            if agrees(c.expected, got) {
                return None;
            }
            let caller = &callers[c.caller];
            let org = match caller.who {
                None => "-",
                Some((_, Org::Own)) => "own",
                Some((_, Org::Other)) => "other",
            };
            Some(Mismatch {
                line: format!(
                    "{:<6} {:<45} {:<16} {:<5} {:<28} {:<7} {} {}",
                    c.method.to_uppercase(),
                    c.route,
                    caller.label,
                    org,
                    c.consent,
                    format!("{:?}", c.expected),
                    status.as_u16(),
                    location.map(|l| format!("-> {l}")).unwrap_or_default(),
                ),
            })
        })
        .collect()
}

/// The cells of these routes for these callers: `label` names the consent state, `consent_of`
/// the kinds a live consent to each caller's organisation covers in it.
#[allow(clippy::too_many_arguments)]
async fn cells_for(
    t: &TestApp,
    f: &Fixture,
    callers: &[Caller],
    which: &[usize],
    routes: &[(&str, &str, Rule)],
    label: &str,
    consent_of: &dyn Fn(&Caller) -> Vec<K>,
    missing: &mut BTreeSet<String>,
) -> Vec<Cell> {
    let mut cells = Vec::new();
    for &(method, route, rule) in routes {
        let Some(url) = f.url(route) else {
            missing.insert(format!("{method} {route}"));
            continue;
        };
        let api = route.starts_with("/api/");
        for &i in which {
            let caller = &callers[i];
            let covered = consent_of(caller);
            // Log-in and log-out end the session they run in: they get their own.
            let fresh = !api && matches!(route, "/login" | "/logout") && method == "post";
            let (cookie, csrf) = match (&caller.email, fresh) {
                (Some(e), true) => session(t, e).await,
                _ => (caller.cookie.clone(), caller.csrf.clone()),
            };
            cells.push(Cell {
                method: method.to_owned(),
                route: route.to_owned(),
                caller: i,
                consent: label.to_owned(),
                expected: expect(rule, caller.who, &covered),
                url: url.clone(),
                api,
                token: caller.token.clone(),
                cookie,
                csrf,
                json: match (rule, caller.who) {
                    // A move that would succeed, were the supervisor allowed to make it.
                    (PlacementStatus, Some((Role::Supervisor, Org::Own))) => {
                        json!({"status": "ended", "on": f.today})
                    }
                    _ => f.api_body(method, route),
                },
                form: f.form(route, caller),
            });
        }
    }
    cells
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_role_organisation_and_consent_gets_what_its_rule_allows() {
    let started = std::time::Instant::now();
    let t = spawn_app().await;

    // 1. Every route has a rule, and every rule a route.
    let routes = enumerate_routes(&t).await;
    let ruled: BTreeMap<Route, Rule> = RULES
        .iter()
        .map(|(m, p, r)| ((m.to_string(), p.to_string()), *r))
        .collect();
    assert_eq!(ruled.len(), RULES.len(), "a route has two rules");
    let unruled: Vec<String> = routes
        .iter()
        .filter(|r| !ruled.contains_key(*r))
        .map(|(m, p)| format!("  {} {p}", m.to_uppercase()))
        .collect();
    let stale: Vec<String> = ruled
        .keys()
        .filter(|r| !routes.contains(*r))
        .map(|(m, p)| format!("  {} {p}", m.to_uppercase()))
        .collect();

    // 2. The case and the people around it.
    let (f, callers) = build_fixture(&t).await;
    let coach = t.token(COACH).await;
    let live: Vec<(&str, &str, Rule)> = RULES
        .iter()
        .filter(|(m, p, _)| routes.contains(&(m.to_string(), p.to_string())))
        .copied()
        .collect();
    let everyone: Vec<usize> = (0..callers.len()).collect();
    let partner = callers
        .iter()
        .position(|c| c.who == Some((Role::PartnerStaff, Org::Other)))
        .unwrap();
    let mut missing = BTreeSet::new();
    let mut mismatches = Vec::new();
    let mut count = 0;

    // 3. No consent.
    let cells = cells_for(
        &t,
        &f,
        &callers,
        &everyone,
        &live,
        "none",
        &|_| Vec::new(),
        &mut missing,
    )
    .await;
    count += cells.len();
    mismatches.extend(run(&t, &callers, cells).await);

    // 4. Live consents covering everything shareable, to every other organisation that stands
    //    around the case: only partner staff may read under them.
    let mut consents = Vec::new();
    for org in callers.iter().filter_map(|c| c.org_id.clone()) {
        if !consents.iter().any(|(o, _)| *o == org) {
            let id = grant(&t, &coach, &f.participant, &org, SHAREABLE).await;
            consents.push((org, id));
        }
    }
    let cells = cells_for(
        &t,
        &f,
        &callers,
        &everyone,
        &live,
        "all kinds, to caller's org",
        &|c| {
            if c.org_id.is_some() {
                SHAREABLE.to_vec()
            } else {
                Vec::new()
            }
        },
        &mut missing,
    )
    .await;
    count += cells.len();
    mismatches.extend(run(&t, &callers, cells).await);
    for (_, id) in &consents {
        revoke(&t, &coach, id).await;
    }

    // 5. The partner under a consent covering exactly what a read route shows, then under one
    //    covering everything else.
    let mut kind_sets: BTreeMap<Vec<K>, Vec<(&str, &str, Rule)>> = BTreeMap::new();
    for &(m, p, rule) in &live {
        if let Some(kinds) = read_kinds(rule) {
            kind_sets
                .entry(kinds.to_vec())
                .or_default()
                .push((m, p, rule));
        }
    }
    for (kinds, routes) in &kind_sets {
        let others: Vec<K> = SHAREABLE
            .iter()
            .copied()
            .filter(|k| !kinds.contains(k))
            .collect();
        let exact = kinds.iter().all(|k| SHAREABLE.contains(k));
        for covered in [exact.then(|| kinds.clone()), Some(others)]
            .into_iter()
            .flatten()
            .filter(|c| !c.is_empty())
        {
            let id = grant(
                &t,
                &coach,
                &f.participant,
                callers[partner].org_id.as_deref().unwrap(),
                &covered,
            )
            .await;
            let label = covered
                .iter()
                .map(|k| k.code())
                .collect::<Vec<_>>()
                .join(",");
            let cells = cells_for(
                &t,
                &f,
                &callers,
                &[partner],
                routes,
                &label,
                &|_| covered.clone(),
                &mut missing,
            )
            .await;
            count += cells.len();
            mismatches.extend(run(&t, &callers, cells).await);
            revoke(&t, &coach, &id).await;
        }
    }

    let elapsed = started.elapsed();
    println!(
        "authorisation matrix: {} routes ({} with a rule), {} callers, {} cells in {:.1} s",
        routes.len(),
        live.len(),
        callers.len(),
        count,
        elapsed.as_secs_f64()
    );
    let mut report = String::new();
    if !unruled.is_empty() {
        report += &format!(
            "\nRoutes without a rule in matrix.rs RULES:\n{}\n",
            unruled.join("\n")
        );
    }
    if !stale.is_empty() {
        report += &format!(
            "\nRules whose route no longer exists:\n{}\n",
            stale.join("\n")
        );
    }
    if !missing.is_empty() {
        report += &format!(
            "\nRoutes with a path parameter the fixture has no id for (Fixture::id_for):\n  {}\n",
            missing.into_iter().collect::<Vec<_>>().join("\n  ")
        );
    }
    if !mismatches.is_empty() {
        report += &format!(
            "\n{} cells disagree with their rule:\n{:<6} {:<45} {:<16} {:<5} {:<28} {:<7} {}\n{}\n",
            mismatches.len(),
            "METHOD",
            "ROUTE",
            "ROLE",
            "ORG",
            "CONSENT",
            "EXPECT",
            "GOT",
            mismatches
                .iter()
                .map(|m| m.line.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    assert!(report.is_empty(), "{report}");
}
