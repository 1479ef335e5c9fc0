//! demo: everything Stegvis ships for showing and measuring it, kept out of the production
//! crates. `stegvis demo` seeds the five seed projects, their organisations, one user per role
//! and a deterministic synthetic population ([`seed_demo`]); `stegvis bench report` loads a
//! national-scale population in batches and times the reports ([`bench`]). The binary and the
//! integration suites use it.
//!
//! It writes through `stegvis_app`: public use cases where one fits, otherwise the operator's
//! door ([`stegvis_app::operator`]), where every write of personal data is audited as a system
//! job.
#![forbid(unsafe_code)]

pub mod bench;
pub mod population;
mod seed;

pub use seed::{DEMO_PASSWORD, DemoReport, ONGOING, PARTICIPANT_EMAIL, seed_demo};
