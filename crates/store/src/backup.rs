//! What `stegvis backup` and `stegvis restore` ask of the database: an online copy (SQLite),
//! whether a target is blank, and the sealed identity numbers a restore opens to prove the key
//! file fits.

use crate::db::Pool;
use crate::participant::sealed_identity;
use crate::{Audited, Result, Store, StoreError, fetch_all};
use stegvis_domain::{IdentityKind, SealedIdentity};
use uuid::Uuid;

/// A participant's sealed identity number, by id.
#[derive(sqlx::FromRow)]
struct StoredIdentity {
    id: Uuid,
    identity_kind: Option<IdentityKind>,
    identity_enc: Option<Vec<u8>>,
    identity_hash: Option<Vec<u8>>,
}

impl Store {
    /// SQLite: a consistent copy of the whole database into `path` (which must not exist or be
    /// an empty file), beside running writers: `VACUUM INTO` reads one snapshot. The copy's
    /// name index must then be rebuilt ([`Store::rebuild_name_index`]): VACUUM may renumber the
    /// rowids it is keyed by.
    pub async fn copy_into(&self, path: &std::path::Path) -> Result<()> {
        let Pool::Sqlite(pool) = &self.pool else {
            return Err(StoreError::UnsupportedUrl);
        };
        let path = path
            .to_str()
            .ok_or_else(|| StoreError::Corrupt("the backup path is not UTF-8".into()))?;
        sqlx::query("VACUUM INTO ?")
            .bind(path)
            .execute(pool)
            .await?;
        Ok(())
    }

    /// SQLite: rebuilds the participants' name index from the table (after a copy).
    pub async fn rebuild_name_index(&self) -> Result<()> {
        if let Pool::Sqlite(pool) = &self.pool {
            sqlx::query("INSERT INTO participant_names(participant_names) VALUES('rebuild')")
                .execute(pool)
                .await?;
        }
        Ok(())
    }

    /// Whether the database holds no tables at all: the only target a restore writes into.
    pub async fn is_blank(&self) -> Result<bool> {
        let tables: i64 = match &self.pool {
            Pool::Sqlite(p) => {
                sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'")
                    .fetch_one(p)
                    .await?
            }
            Pool::Postgres(p) => {
                sqlx::query_scalar(
                    "SELECT COUNT(*) FROM information_schema.tables
                     WHERE table_schema = current_schema()",
                )
                .fetch_one(p)
                .await?
            }
        };
        Ok(tables == 0)
    }

    /// The newest migration applied, for the backup's manifest (0: none).
    pub async fn schema_version(&self) -> Result<i64> {
        let sql = "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success";
        Ok(match &self.pool {
            Pool::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await?,
            Pool::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await?,
        })
    }

    /// Row counts the manifest carries, so a restore can be compared with what was saved.
    pub async fn row_counts(&self) -> Result<Vec<(String, i64)>> {
        let mut tx = self.begin_snapshot().await?;
        let mut counts = Vec::new();
        for (table, sql) in COUNTED {
            let n: i64 = match &mut tx {
                crate::Tx::Sqlite(t, _) => sqlx::query_scalar(*sql).fetch_one(&mut **t).await?,
                crate::Tx::Postgres(t) => sqlx::query_scalar(*sql).fetch_one(&mut **t).await?,
            };
            counts.push(((*table).to_owned(), n));
        }
        tx.commit().await?;
        Ok(counts)
    }
}

/// The tables whose size a backup's manifest records.
const COUNTED: &[(&str, &str)] = &[
    ("organisations", "SELECT COUNT(*) FROM organisations"),
    ("users", "SELECT COUNT(*) FROM users"),
    ("projects", "SELECT COUNT(*) FROM projects"),
    ("participants", "SELECT COUNT(*) FROM participants"),
    ("enrolments", "SELECT COUNT(*) FROM enrolments"),
    ("attendance", "SELECT COUNT(*) FROM attendance"),
    ("audit_events", "SELECT COUNT(*) FROM audit_events"),
];

impl Audited {
    /// Up to `limit` sealed identity numbers after participant `after`, in id order.
    pub async fn sealed_identities_after(
        &mut self,
        after: Uuid,
        limit: i64,
    ) -> Result<Vec<(Uuid, SealedIdentity)>> {
        let rows = fetch_all!(
            &mut self.tx,
            StoredIdentity,
            "SELECT id, identity_kind, identity_enc, identity_hash FROM participants
             WHERE id > $1 AND identity_enc IS NOT NULL ORDER BY id LIMIT $2",
            after,
            limit
        )?;
        rows.into_iter()
            .map(|r| {
                let sealed = sealed_identity(r.identity_kind, r.identity_enc, r.identity_hash)?
                    .ok_or_else(|| StoreError::Corrupt("participants.identity_*".into()))?;
                Ok((r.id, sealed))
            })
            .collect()
    }
}
