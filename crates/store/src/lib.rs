//! store: persistence for SQLite (the embedded default) and PostgreSQL from one query code path.
//!
//! Every query is written once as portable SQL with `$N` placeholders and run by the
//! [`exec!`]/[`fetch_all!`]/[`fetch_optional!`] macros on whichever backend the URL chose at start.
//! The store never decides who may see what: that is `app::policy`. Personal data is reachable only
//! through [`Audited`], a transaction that cannot exist without its audit event.
#![forbid(unsafe_code)]

pub mod account;
pub mod activity;
pub mod archive;
pub mod assessment;
pub mod audit;
pub mod audit_chain;
pub mod backup;
pub mod batch;
pub mod bulk;
pub mod caseload;
pub mod check;
pub mod collaboration;
pub mod consent;
mod db;
pub mod enrolment;
pub mod follow_up;
pub mod identity_provider;
pub mod import;
pub mod job_profile;
pub mod keys;
pub mod metrics;
pub mod organisation;
pub mod participant;
pub mod placement;
pub mod plan;
#[cfg(test)]
mod plan_tests;
pub mod procurement;
pub mod project;
pub mod reference;
pub mod referral;
pub mod register_extract;
pub mod reminder;
pub mod report;
pub mod retention;
pub mod roles;
pub mod schedule;
mod sink;
pub mod tally;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
#[cfg(test)]
mod tests;
pub mod user;

pub use audit::{AuditEntry, AuditEvent, AuditFilter, Audited};
pub use db::{Backend, Store, StoreError, Tx};

/// Result of a store call.
pub type Result<T> = std::result::Result<T, StoreError>;
