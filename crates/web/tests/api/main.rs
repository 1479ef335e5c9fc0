//! Integration suite: the real server over real HTTP, a fresh database per test. SQLite by
//! default; PostgreSQL when `STEGVIS_TEST_DATABASE_URL` names a server (a fresh database is
//! created on it for every test).

mod access_log;
mod activities;
mod assessments;
mod audit;
mod auth;
mod caseload;
mod collaboration;
mod consents;
mod contract;
mod enrolments;
mod followups;
mod forms;
mod gate;
mod matching;
mod matrix;
mod participants;
mod placements;
mod plans;
mod referrals;
mod report_pdf;
mod reports;
mod support;
