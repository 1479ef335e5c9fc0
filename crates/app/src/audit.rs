//! Reading the audit trail (auditors of the controlling organisation); the read is itself audited.

use crate::{Actor, App, Result};
use serde::{Deserialize, Serialize};
use stegvis_store::{AuditEvent, AuditFilter};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Filters for the trail.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema, IntoParams)]
#[serde(default)]
pub struct AuditQuery {
    pub participant_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

impl App {
    /// Events by the auditor's organisation's users or about its participants, newest first.
    pub async fn audit_trail(&self, actor: &Actor, q: &AuditQuery) -> Result<Vec<AuditEvent>> {
        let mut tx = self.open_audit_trail(actor, q.participant_id).await?;
        let filter = AuditFilter {
            participant_id: q.participant_id,
            actor_user_id: q.user_id,
            org_id: Some(actor.org_id),
            limit: q.limit.unwrap_or(100).clamp(1, 1000),
            offset: q.offset.unwrap_or(0).max(0),
        };
        let events = tx.audit_events(&filter).await?;
        tx.commit().await?;
        Ok(events)
    }
}
