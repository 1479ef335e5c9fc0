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

use crate::audit::AuditEvent;
use crate::batch::{IDS_PER_STATEMENT, Value, ids_sql};
use crate::{Audited, fetch_all};
use time::Date;

impl Audited {
    /// Prepares this transaction for a bulk import's key lookups (PostgreSQL). The planner
    /// has no statistics for the rows the open transaction wrote (ANALYZE has not seen them),
    /// so it takes 250 ids to match most of a table, and scanned the whole of it per lookup:
    /// a chunk's attendance lookup grew from 1 ms to 100 ms over 1,000,000 rows, and the
    /// identity lookups of 1,000,000 participants took minutes. Every lookup an import makes
    /// is by an indexed key, so: custom plans for the values at hand, index scans, and no JIT
    /// (which the inflated estimates set off). [`Audited::import_refresh_projects`] restores
    /// the defaults for the recount, which does read whole projects.
    pub async fn prepare_bulk(&mut self) -> Result<()> {
        self.pg_set_local(&[
            "plan_cache_mode = force_custom_plan",
            "enable_seqscan = off",
            "jit = off",
        ])
        .await
    }

    /// `SET LOCAL` each of `settings` on PostgreSQL (SQLite has no planner settings to change).
    async fn pg_set_local(&mut self, settings: &[&str]) -> Result<()> {
        if let crate::Tx::Postgres(t) = &mut self.tx {
            for s in settings {
                let sql = sqlx::AssertSqlSafe(format!("SET LOCAL {s}"));
                sqlx::query(sql).execute(&mut **t).await?;
            }
        }
        Ok(())
    }

    /// The participants of `org_id` whose identity hash is one of `hashes`: (hash, id).
    pub async fn import_participants_by_hash(
        &mut self,
        org_id: Uuid,
        hashes: &[Vec<u8>],
    ) -> Result<Vec<(Vec<u8>, Uuid)>> {
        let mut out = Vec::new();
        for chunk in hashes.chunks(IDS_PER_STATEMENT) {
            let rows: Vec<(Vec<u8>, Uuid)> = match &mut self.tx {
                crate::Tx::Sqlite(t, _) => {
                    let sql = sqlx::AssertSqlSafe(format!(
                        "SELECT identity_hash, id FROM participants
                         WHERE org_id = ? AND identity_hash IS NOT NULL AND identity_hash IN ({})",
                        vec!["?"; chunk.len()].join(", ")
                    ));
                    let mut q = sqlx::query_as(sql).bind(org_id);
                    for h in chunk {
                        q = q.bind(h.as_slice());
                    }
                    q.fetch_all(&mut **t).await?
                }
                // One array parameter: the plan does not depend on the chunk's size, and the
                // partial index on (org_id, identity_hash) serves it.
                crate::Tx::Postgres(t) => {
                    sqlx::query_as(
                        "SELECT identity_hash, id FROM participants
                         WHERE org_id = $1 AND identity_hash IS NOT NULL
                           AND identity_hash = ANY($2)",
                    )
                    .bind(org_id)
                    .bind(chunk)
                    .fetch_all(&mut **t)
                    .await?
                }
            };
            out.extend(rows);
        }
        Ok(out)
    }

    /// The enrolments of `participants`: (participant, project, enrolled on, exited on).
    pub async fn import_enrolments_of(
        &mut self,
        participants: &[Uuid],
    ) -> Result<Vec<(Uuid, Uuid, Date, Option<Date>)>> {
        self.rows_for_ids(
            "SELECT participant_id, project_id, enrolled_on, exited_on FROM enrolments
             WHERE participant_id IN ({})",
            participants,
        )
        .await
    }

    /// The attendance of `participants`: (participant, activity, day).
    pub async fn import_attendance_of(
        &mut self,
        participants: &[Uuid],
    ) -> Result<Vec<(Uuid, Uuid, Date)>> {
        self.rows_for_ids(
            "SELECT participant_id, activity_id, attended_on FROM attendance
             WHERE participant_id IN ({})",
            participants,
        )
        .await
    }

    /// The placements of `participants`: (participant, workplace, start).
    pub async fn import_placements_of(
        &mut self,
        participants: &[Uuid],
    ) -> Result<Vec<(Uuid, Uuid, Option<Date>)>> {
        self.rows_for_ids(
            "SELECT participant_id, workplace_id, starts_on FROM placements
             WHERE participant_id IN ({})",
            participants,
        )
        .await
    }

    async fn rows_for_ids<T>(&mut self, sql: &str, ids: &[Uuid]) -> Result<Vec<T>>
    where
        T: Send + Unpin,
        for<'r> T:
            sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> + sqlx::FromRow<'r, sqlx::postgres::PgRow>,
    {
        let mut out = Vec::new();
        for chunk in ids.chunks(IDS_PER_STATEMENT) {
            let sql = sqlx::AssertSqlSafe(ids_sql(sql, self.tx.backend(), chunk.len()));
            let rows: Vec<T> = match &mut self.tx {
                crate::Tx::Sqlite(t, _) => {
                    let mut q = sqlx::query_as(sql);
                    for id in chunk {
                        q = q.bind(*id);
                    }
                    q.fetch_all(&mut **t).await?
                }
                crate::Tx::Postgres(t) => {
                    sqlx::query_as(sql).bind(chunk).fetch_all(&mut **t).await?
                }
            };
            out.extend(rows);
        }
        Ok(out)
    }

    /// The catalogue an import matches names against, read in its own transaction.
    pub async fn import_activities_of(
        &mut self,
        project_id: Uuid,
    ) -> Result<Vec<crate::activity::ActivityRow>> {
        self.tx.activities_of(project_id).await
    }

    pub async fn import_insert_activity(&mut self, a: &crate::activity::ActivityRow) -> Result<()> {
        self.tx.insert_activity(a).await
    }

    /// Employers (organisations of kind employer or social enterprise) and their workplaces:
    /// (employer id, employer name, workplace id, workplace name).
    pub async fn import_workplaces(&mut self) -> Result<Vec<(Uuid, String, Uuid, String)>> {
        fetch_all!(
            &mut self.tx,
            (Uuid, String, Uuid, String),
            "SELECT o.id, o.name, w.id, w.name FROM organisations o
             JOIN workplaces w ON w.employer_org_id = o.id
             ORDER BY w.created_at"
        )
        .map_err(Into::into)
    }

    /// Whether an organisation is named `name` (names are unique across organisations).
    pub async fn import_organisation_named(&mut self, name: &str) -> Result<Option<Uuid>> {
        Ok(self.tx.organisation_by_name(name).await?.map(|o| o.id))
    }

    pub async fn import_insert_employer(
        &mut self,
        org: &crate::organisation::OrganisationRow,
        workplace: &crate::placement::WorkplaceRow,
    ) -> Result<()> {
        self.tx.insert_organisation(org).await?;
        self.tx.insert_workplace(workplace).await
    }

    pub async fn import_insert_workplace(
        &mut self,
        workplace: &crate::placement::WorkplaceRow,
    ) -> Result<()> {
        self.tx.insert_workplace(workplace).await
    }

    /// Staff of `org_id` by e-mail: (lower-case e-mail, id).
    pub async fn import_staff_of(&mut self, org_id: Uuid) -> Result<Vec<(String, Uuid)>> {
        Ok(self
            .tx
            .users_of_org(org_id)
            .await?
            .into_iter()
            .map(|u| (u.email.to_lowercase(), u.id))
            .collect())
    }

    /// Appends `events` (one per participant an import wrote about) to the trail, many per
    /// statement, each with its MAC. Their participants' report tallies are brought up to date
    /// by project ([`Audited::import_refresh_projects`]), not one by one.
    pub async fn import_record_events(&mut self, events: &[AuditEvent]) -> Result<()> {
        let signer = self.store.signer();
        let rows: Vec<Vec<Value>> = events
            .iter()
            .map(|e| {
                let (mac, key) = crate::audit_chain::sign(signer, e);
                vec![
                    e.id.into(),
                    e.at.into(),
                    e.actor_user_id.into(),
                    Value::Text(e.actor_role.clone()),
                    e.actor_org_id.into(),
                    e.participant_id.into(),
                    Value::Text(e.record_kind.clone()),
                    Value::Text(e.action.code().to_owned()),
                    Value::Text(e.decision.code().to_owned()),
                    Value::Text(e.ground.clone()),
                    e.detail.as_deref().into(),
                    mac.map_or(Value::NullBytes, Value::Bytes),
                    key.map_or(Value::NullInt, |k| Value::Int(k.into())),
                ]
            })
            .collect();
        self.tx
            .insert_rows(
                "audit_events",
                &[
                    "id",
                    "at",
                    "actor_user_id",
                    "actor_role",
                    "actor_org_id",
                    "participant_id",
                    "record_kind",
                    "action",
                    "decision",
                    "ground",
                    "detail",
                    "mac",
                    "mac_key",
                ],
                &rows,
            )
            .await
    }

    /// Recounts the report tallies of `projects` (an import's bulk write) in this transaction.
    pub async fn import_refresh_projects(&mut self, projects: &[Uuid]) -> Result<()> {
        self.pg_set_local(&["enable_seqscan TO DEFAULT", "jit TO DEFAULT"])
            .await?;
        for p in projects {
            self.tx.lock_project(*p).await?;
            self.tx.refresh_project_tallies(*p).await?;
        }
        Ok(())
    }
}

impl Store {
    /// A user by e-mail (case as stored, compared without case), as one statement on the pool.
    pub async fn lookup_user_by_email(&self, email: &str) -> Result<Option<crate::user::UserRow>> {
        Ok(crate::db::pool_fetch_optional!(
            self,
            crate::user::UserRow,
            "SELECT id, org_id, email, name, role, password_hash, participant_id, created_at, disabled_at
             FROM users WHERE lower(email) = lower($1)",
            email
        )?)
    }
}
