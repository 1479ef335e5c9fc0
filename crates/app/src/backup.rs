//! The use cases behind `stegvis backup` and `stegvis restore`: an online copy, and the checks a
//! restored database must pass before it is used (whole, and every identity number opens with
//! the key file at hand).

use crate::{App, Result};
use stegvis_store::Store;
use uuid::Uuid;

/// Identity numbers opened per transaction when a restore checks them.
const OPEN_BATCH: i64 = 2_000;

/// What opening every sealed identity number found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct IdentityCheck {
    pub opened: u64,
    pub unreadable: u64,
}

/// What a backup's manifest records about the database it copied.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct DatabaseFacts {
    pub backend: String,
    pub schema_version: i64,
    pub rows: Vec<(String, i64)>,
}

impl App {
    /// SQLite: copies the database, online, into `path` (an absent or empty file).
    pub async fn copy_database_into(&self, path: &std::path::Path) -> Result<()> {
        Ok(self.store.copy_into(path).await?)
    }

    /// The facts a backup's manifest carries.
    pub async fn database_facts(&self) -> Result<DatabaseFacts> {
        facts(&self.store).await
    }

    /// Opens every sealed identity number with this key ring, in batches, as one audited system
    /// job per batch: a restore's proof that the key file fits. The numbers are never shown.
    pub async fn open_every_identity(&self) -> Result<IdentityCheck> {
        let mut check = IdentityCheck {
            opened: 0,
            unreadable: 0,
        };
        let today = self.today();
        let mut after = Uuid::nil();
        loop {
            let mut tx = self
                .system_job("identity numbers opened to check a restore", None)
                .await?;
            let batch = tx.sealed_identities_after(after, OPEN_BATCH).await?;
            for (id, sealed) in &batch {
                let opened = self.with_fresh_ring(&sealed.ciphertext, |ring| {
                    sealed.open(ring, *id, today).ok()
                });
                match opened {
                    Some(_) => check.opened += 1,
                    None => check.unreadable += 1,
                }
            }
            self.commit(tx).await?;
            match batch.last() {
                Some((id, _)) if batch.len() as i64 == OPEN_BATCH => after = *id,
                _ => break,
            }
        }
        Ok(check)
    }
}

/// Whether the database at `url` holds no tables: the only kind a restore writes into.
pub async fn database_is_blank(url: &str) -> Result<bool> {
    let store = Store::connect(url).await?;
    let blank = store.is_blank().await;
    store.close().await;
    Ok(blank?)
}

/// After an SQLite copy: rebuilds the copy's name index (VACUUM may renumber the rowids it is
/// keyed by) and closes it, so that the file stands alone.
pub async fn finish_copy(url: &str) -> Result<()> {
    let store = Store::connect(url).await?;
    let rebuilt = store.rebuild_name_index().await;
    store.close().await;
    Ok(rebuilt?)
}

/// The facts of the database at `url` (a backup's copy), read without migrating it.
pub async fn facts_of(url: &str) -> Result<DatabaseFacts> {
    let store = Store::connect(url).await?;
    let found = facts(&store).await;
    store.close().await;
    found
}

async fn facts(store: &Store) -> Result<DatabaseFacts> {
    Ok(DatabaseFacts {
        backend: format!("{:?}", store.backend()).to_lowercase(),
        schema_version: store.schema_version().await?,
        rows: store.row_counts().await?,
    })
}
