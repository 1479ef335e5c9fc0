//! Integration suite: the real server over real HTTP, a database of its own per test, copied
//! from a template migrated and seeded once per run. SQLite by default; PostgreSQL when
//! `STEGVIS_TEST_DATABASE_URL` names a server (the template and every test's copy are created
//! on it).

mod access_log;
mod activities;
mod administration;
mod assessments;
mod audit;
mod auth;
mod caseload;
mod check;
mod collaboration;
mod consents;
mod contract;
mod enrolments;
mod follow_ups;
mod forms;
mod gate;
mod headers;
mod health;
mod import;
mod journey;
mod keys;
mod long_lists;
mod matching;
mod matrix;
mod oidc;
mod participants;
mod placements;
mod plans;
mod portal;
mod project_pages;
mod projects;
mod referrals;
mod refusals;
mod register_extract;
mod reminders;
mod report_pdf;
mod reports;
mod retention;
mod scale_queries;
mod search;
mod support;
mod unreadable;
