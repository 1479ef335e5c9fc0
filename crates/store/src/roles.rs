//! Owner and runtime roles on PostgreSQL. Migrations run as the role that owns the tables; the
//! server runs as a runtime role that may read and write the data but only append to the audit
//! trail: it cannot drop or disable the trail's triggers (only an owner can), nor delete, change
//! or truncate its rows. The grants are runtime code, not a migration: the role's name is the
//! site's. SQLite has no roles; there the trail's triggers and `stegvis check` stand guard.

use crate::db::Pool;
use crate::{Backend, Store, StoreError};
use sqlx::Executor;

/// The trail's tables: the runtime role may INSERT and SELECT them, nothing else. Tables that
/// do not exist (yet) are skipped, so the list may name tables a later migration adds.
pub const TRAIL_TABLES: &[&str] = &[
    "audit_events",
    "audit_chain",
    "audit_verifications",
    "audit_checkpoints",
];

/// The table whose owner is "the owner" (it holds the append-only trigger).
const OWNER_PROBE: &str = "audit_events";

/// A role name we put into SQL: letters, digits and underscores only (it cannot be bound).
fn checked_role(role: &str) -> crate::Result<&str> {
    let ok = !role.is_empty()
        && role.len() <= 63
        && role
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !role.as_bytes()[0].is_ascii_digit();
    if ok {
        Ok(role)
    } else {
        Err(StoreError::Database(sqlx::Error::Configuration(
            format!("a runtime role is lower-case letters, digits and _, not {role:?}").into(),
        )))
    }
}

/// The statements that give `role` the runtime role's rights, in order; idempotent.
fn grant_statements(role: &str, existing_trail: &[String]) -> Vec<String> {
    let mut sql = vec![
        // The runtime role creates nothing (PostgreSQL 15 already says so; older ones do not).
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC".to_owned(),
        format!("GRANT USAGE ON SCHEMA public TO {role}"),
        format!("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"),
        format!("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"),
        // The migration history is the owner's to write.
        format!("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON _sqlx_migrations FROM {role}"),
    ];
    for table in existing_trail {
        sql.push(format!(
            "REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {table} FROM {role}"
        ));
    }
    sql
}

impl Store {
    /// Gives `role` the runtime role's rights on this (migrated) database; run as the owner.
    /// Idempotent: `stegvis migrate --runtime-role` runs it after every migration.
    pub async fn grant_runtime_role(&self, role: &str) -> crate::Result<()> {
        let role = checked_role(role)?;
        let Pool::Postgres(pool) = &self.pool else {
            return Err(StoreError::Database(sqlx::Error::Configuration(
                "roles exist only on PostgreSQL".into(),
            )));
        };
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)")
                .bind(role)
                .fetch_one(pool)
                .await?;
        if !exists {
            return Err(StoreError::Database(sqlx::Error::Configuration(
                format!("the role {role} does not exist (CREATE ROLE {role} LOGIN PASSWORD …)")
                    .into(),
            )));
        }
        let names: Vec<String> = TRAIL_TABLES.iter().map(|t| (*t).to_owned()).collect();
        let existing: Vec<String> = sqlx::query_scalar(
            "SELECT tablename::text FROM pg_tables
             WHERE schemaname = 'public' AND tablename = ANY($1) ORDER BY tablename",
        )
        .bind(&names)
        .fetch_all(pool)
        .await?;
        let mut tx = pool.begin().await?;
        for statement in grant_statements(role, &existing) {
            tx.execute(sqlx::AssertSqlSafe(statement)).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Whether the connected role may change the schema and the trail: a superuser, a member of
    /// the trail's owner, or (on a database not yet migrated) a role that may create tables.
    /// Always true on SQLite (one file, one owner).
    pub async fn owns_trail(&self) -> crate::Result<bool> {
        let Pool::Postgres(pool) = &self.pool else {
            return Ok(true);
        };
        Ok(sqlx::query_scalar(
            "SELECT CASE
                 WHEN (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN true
                 WHEN to_regclass($1) IS NULL
                     THEN has_schema_privilege(current_user, 'public', 'CREATE')
                 ELSE pg_has_role(current_user,
                                  (SELECT relowner FROM pg_class WHERE oid = to_regclass($1)),
                                  'USAGE')
             END",
        )
        .bind(OWNER_PROBE)
        .fetch_one(pool)
        .await?)
    }

    /// How many of this backend's migrations the database has not applied. An applied one whose
    /// checksum differs is an error, as sqlx's own run would say.
    pub async fn pending_migrations(&self) -> crate::Result<usize> {
        let migrator = self.migrator();
        let applied: Vec<(i64, Vec<u8>)> = match &self.pool {
            Pool::Postgres(p) => {
                let table: Option<String> =
                    sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations')::text")
                        .fetch_one(p)
                        .await?;
                if table.is_none() {
                    return Ok(migrator
                        .iter()
                        .filter(|m| m.migration_type.is_up_migration())
                        .count());
                }
                sqlx::query_as("SELECT version, checksum FROM _sqlx_migrations WHERE success")
                    .fetch_all(p)
                    .await?
            }
            Pool::Sqlite(p) => {
                let table: Option<String> = sqlx::query_scalar(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
                )
                .fetch_optional(p)
                .await?;
                if table.is_none() {
                    return Ok(migrator
                        .iter()
                        .filter(|m| m.migration_type.is_up_migration())
                        .count());
                }
                sqlx::query_as("SELECT version, checksum FROM _sqlx_migrations WHERE success")
                    .fetch_all(p)
                    .await?
            }
        };
        let mut pending = 0;
        for m in migrator
            .iter()
            .filter(|m| m.migration_type.is_up_migration())
        {
            match applied.iter().find(|(v, _)| *v == m.version) {
                Some((_, sum)) if sum.as_slice() != &*m.checksum => {
                    return Err(sqlx::migrate::MigrateError::VersionMismatch(m.version).into());
                }
                Some(_) => {}
                None => pending += 1,
            }
        }
        Ok(pending)
    }

    /// At the server's start: migrates when the connected role owns the schema (SQLite, a
    /// one-role site); otherwise refuses to run on an outdated database, since only the owner
    /// may migrate it.
    pub async fn migrate_or_refuse(&self) -> crate::Result<()> {
        if self.backend() == Backend::Sqlite {
            return self.migrate().await;
        }
        let pending = self.pending_migrations().await?;
        if pending == 0 {
            return Ok(());
        }
        if self.owns_trail().await? {
            return self.migrate().await;
        }
        Err(StoreError::OwnerMustMigrate(pending))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_are_checked_before_they_reach_sql() {
        assert!(checked_role("stegvis_app").is_ok());
        for bad in ["", "app; DROP TABLE x", "App", "1app", "a-b", "\"x\""] {
            assert!(checked_role(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn every_existing_trail_table_loses_update_delete_and_truncate() {
        let sql = grant_statements("r", &["audit_events".into(), "audit_chain".into()]);
        for t in ["audit_events", "audit_chain"] {
            assert!(
                sql.iter()
                    .any(|s| s.starts_with("REVOKE UPDATE, DELETE, TRUNCATE")
                        && s.contains(&format!(" ON {t} "))),
                "{t}: {sql:?}"
            );
        }
        // The revokes come after the blanket grant, or the grant would give them back.
        let grant = sql.iter().position(|s| s.contains("ALL TABLES")).unwrap();
        let revoke = sql
            .iter()
            .position(|s| s.contains("ON audit_events"))
            .unwrap();
        assert!(grant < revoke);
    }
}
