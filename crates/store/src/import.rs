//! Import (issue #16): the remembered column mappings (no personal data), and the lookups an
//! import makes many rows at a time.

use crate::{Result, Store, exec, fetch_optional};
use time::OffsetDateTime;
use uuid::Uuid;

impl Store {
    /// The mapping (JSON) the organisation last used for files of `kind`.
    pub async fn import_mapping(&self, org_id: Uuid, kind: &str) -> Result<Option<String>> {
        let mut tx = self.begin_read().await?;
        let row = fetch_optional!(
            &mut tx,
            (String,),
            "SELECT columns FROM import_mappings WHERE org_id = $1 AND kind = $2",
            org_id,
            kind
        )?;
        tx.commit().await?;
        Ok(row.map(|r| r.0))
    }

    /// Remembers `columns` (JSON) as the organisation's mapping for files of `kind`.
    pub async fn remember_import_mapping(
        &self,
        org_id: Uuid,
        kind: &str,
        columns: &str,
        at: OffsetDateTime,
        by: Uuid,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        exec!(
            &mut tx,
            "INSERT INTO import_mappings (org_id, kind, columns, updated_at, updated_by)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (org_id, kind) DO UPDATE
             SET columns = excluded.columns, updated_at = excluded.updated_at,
                 updated_by = excluded.updated_by",
            org_id,
            kind,
            columns,
            at,
            by
        )?;
        tx.commit().await
    }
}
