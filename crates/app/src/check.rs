//! `stegvis check`: whether the database is whole (see `stegvis_store::check`).

use crate::{App, Result};
use stegvis_store::Store;
pub use stegvis_store::check::Check;

/// Checks the database at `url` as it is. It connects without [`App::open`], which migrates and
/// rebuilds tallies that do not cover every enrolment: that would hide what is looked for.
pub async fn check_database(url: &str) -> Result<Vec<Check>> {
    let store = Store::connect(url).await?;
    let checks = store.check().await;
    store.close().await;
    Ok(checks?)
}

/// Whether the role of the PostgreSQL `url` owns the audit trail, i.e. could drop its trigger:
/// a one-role site, which works, but the trail then rests on the server's good behaviour.
/// Always false on SQLite, which has no roles.
pub async fn server_owns_trail(url: &str) -> Result<bool> {
    let store = Store::connect(url).await?;
    let owns = match store.backend() {
        stegvis_store::Backend::Sqlite => Ok(false),
        stegvis_store::Backend::Postgres => store.owns_trail().await,
    };
    store.close().await;
    Ok(owns?)
}

impl App {
    /// Every check of `stegvis check`, on this application's database.
    pub async fn check_database(&self) -> Result<Vec<Check>> {
        Ok(self.store.check().await?)
    }

    /// Test support: moves one stored tally of a project by one.
    #[cfg(feature = "testing")]
    pub async fn damage_tally(&self, project_id: uuid::Uuid) -> Result<u64> {
        Ok(self.store.damage_tally(project_id).await?)
    }
}
