//! Corrections keep the earlier version: one history entry per change, in the change's own
//! transaction.

use crate::policy::RecordKind;
use crate::{Actor, App, AppError, Result};
use stegvis_store::Audited;
use stegvis_store::participant::HistoryEntry;
use uuid::Uuid;

/// Whose record a history entry belongs to.
pub(crate) struct Owner {
    pub org_id: Uuid,
    pub participant_id: Uuid,
    pub record_id: Uuid,
}

impl App {
    /// Keeps `previous` (the record as it was) as a history entry of `kind`.
    pub(crate) async fn keep_history(
        &self,
        tx: &mut Audited,
        actor: &Actor,
        kind: RecordKind,
        owner: Owner,
        previous: &impl serde::Serialize,
    ) -> Result<()> {
        let previous =
            serde_json::to_string(previous).map_err(|e| AppError::Internal(e.to_string()))?;
        tx.insert_history(&HistoryEntry {
            org_id: owner.org_id,
            participant_id: owner.participant_id,
            record_kind: kind.code().to_owned(),
            record_id: owner.record_id,
            changed_by: Some(actor.user_id),
            changed_at: self.now(),
            previous,
        })
        .await?;
        Ok(())
    }
}
