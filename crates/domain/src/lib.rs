//! domain: Stegvis's pure types and rules — identity numbers, organisations and roles, projects,
//! enrolment baselines and their completeness for the funder. No I/O, no async, no database:
//! everything here can be tested with plain values.
#![forbid(unsafe_code)]

pub mod access;
pub mod account;
pub mod assessment;
pub mod attendance;
pub mod baseline;
pub mod codes;
pub mod eligibility;
pub mod enrolment;
pub mod follow_up;
pub mod identity;
pub mod matching;
pub mod money;
pub mod organisation;
pub mod participant;
pub mod placement;
pub mod plan;
pub mod project;
pub mod referral;
pub mod report;
pub mod role;
pub mod schedule;

pub use baseline::{Answer, Baseline, BaselineField, LabourStatus};
pub use codes::CodeError;
pub use enrolment::ExitStatus;
pub use identity::{FieldKeys, IdentityError, IdentityKind, IdentityNumber, SealedIdentity};
pub use money::Sek;
pub use organisation::OrganisationKind;
pub use participant::{Gender, IdentityInput};
pub use project::{ProjectFacts, ProjectPhase};
pub use role::Role;
