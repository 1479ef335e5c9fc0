//! Test support (the `testing` feature): fresh PostgreSQL databases, empty or copied from a
//! template that a suite migrated and seeded once.
//!
//! When the server has the roles `scripts/postgres-start` makes, each database is owned by
//! [`OWNER_ROLE`], migrated as it, and the URLs handed out connect as [`RUNTIME_ROLE`]: the
//! suites run as the server runs at a two-role site. [`owner_url`] gives the owner's URL.

use crate::Store;
use sqlx::{Connection, Executor, PgConnection};

/// Owns the test databases and runs their migrations.
pub const OWNER_ROLE: &str = "stegvis_owner";
/// What the suites' applications connect as.
pub const RUNTIME_ROLE: &str = "stegvis_app";
/// Both roles' password on the test server.
const ROLE_PASSWORD: &str = "stegvis";

/// Creates a database on the server of `admin_url`, migrated, and returns its (runtime) URL.
pub async fn fresh_postgres_database(admin_url: &str) -> crate::Result<String> {
    create_database(admin_url, "stegvis_t", None).await
}

/// Creates a migrated database to fill once and copy per test with
/// [`postgres_database_from_template`]; returns its (runtime) URL.
pub async fn template_postgres_database(admin_url: &str) -> crate::Result<String> {
    create_database(admin_url, "stegvis_template", None).await
}

/// Creates a database as a copy of the one `template_url` names (`CREATE DATABASE … TEMPLATE`,
/// which copies the grants too) and returns its URL. No connection may be open on the template.
pub async fn postgres_database_from_template(
    admin_url: &str,
    template_url: &str,
) -> crate::Result<String> {
    let (_, template, _) = split(template_url)?;
    create_database(admin_url, "stegvis_t", Some(template)).await
}

/// Whether the server has the owner and runtime roles (else everything runs as the admin).
pub async fn has_roles(admin_url: &str) -> crate::Result<bool> {
    let mut conn = PgConnection::connect(admin_url).await?;
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_roles WHERE rolname = ANY($1)")
        .bind([OWNER_ROLE, RUNTIME_ROLE])
        .fetch_one(&mut conn)
        .await?;
    conn.close().await?;
    Ok(n == 2)
}

/// The owner's URL for a URL handed out here (the same database; the admin's URL when the
/// server has no roles, in which case it is the URL itself).
pub fn owner_url(url: &str) -> crate::Result<String> {
    if user_of(url)? == RUNTIME_ROLE {
        with_user(url, OWNER_ROLE)
    } else {
        Ok(url.to_owned())
    }
}

/// Runs one statement as the database's owner (what a test needs that the runtime role may
/// not do, such as disabling a trigger).
pub async fn owner_exec(url: &str, sql: &str) -> crate::Result<()> {
    let mut conn = PgConnection::connect(&owner_url(url)?).await?;
    conn.execute(sqlx::AssertSqlSafe(sql.to_owned())).await?;
    conn.close().await?;
    Ok(())
}

async fn create_database(
    admin_url: &str,
    prefix: &str,
    template: Option<&str>,
) -> crate::Result<String> {
    let roles = has_roles(admin_url).await?;
    let name = format!("{prefix}_{}", uuid::Uuid::now_v7().simple());
    let mut sql = format!("CREATE DATABASE {name}");
    if let Some(t) = template {
        // Names made by this module only: a prefix and a UUID's hex digits.
        if !t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(crate::StoreError::UnsupportedUrl);
        }
        sql.push_str(&format!(" TEMPLATE {t}"));
    }
    if roles {
        sql.push_str(&format!(" OWNER {OWNER_ROLE}"));
    }
    let mut conn = PgConnection::connect(admin_url).await?;
    conn.execute(sqlx::AssertSqlSafe(sql)).await?;
    conn.close().await?;
    let (server, _, query) = split(admin_url)?;
    let admin_db_url = match query {
        Some(q) => format!("{server}/{name}?{q}"),
        None => format!("{server}/{name}"),
    };
    if !roles {
        return Ok(admin_db_url);
    }
    let owner = with_user(&admin_db_url, OWNER_ROLE)?;
    if template.is_none() {
        let store = Store::connect(&owner).await?;
        let done = async {
            store.migrate().await?;
            store.grant_runtime_role(RUNTIME_ROLE).await
        }
        .await;
        store.close().await;
        done?;
    }
    with_user(&admin_db_url, RUNTIME_ROLE)
}

/// A URL's server part, database name and query.
fn split(url: &str) -> crate::Result<(&str, &str, Option<&str>)> {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let (server, name) = base
        .rsplit_once('/')
        .ok_or(crate::StoreError::UnsupportedUrl)?;
    Ok((server, name, query))
}

/// `scheme://user:password@rest` → (`scheme://`, `user`, `rest`).
fn parts(url: &str) -> crate::Result<(&str, &str, &str)> {
    let start = url.find("://").ok_or(crate::StoreError::UnsupportedUrl)? + 3;
    let (userinfo, rest) = url[start..]
        .split_once('@')
        .ok_or(crate::StoreError::UnsupportedUrl)?;
    let user = userinfo.split(':').next().unwrap_or_default();
    Ok((&url[..start], user, rest))
}

fn user_of(url: &str) -> crate::Result<&str> {
    parts(url).map(|(_, user, _)| user)
}

/// The same URL (database, TLS settings) for another test role.
fn with_user(url: &str, user: &str) -> crate::Result<String> {
    let (scheme, _, rest) = parts(url)?;
    Ok(format!("{scheme}{user}:{ROLE_PASSWORD}@{rest}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_urls_keep_the_database_and_the_tls_settings() {
        let app = with_user(
            "postgres://stegvis:stegvis@127.0.0.1:5432/db?sslmode=verify-full&sslrootcert=/x/ca.crt",
            RUNTIME_ROLE,
        )
        .unwrap();
        assert_eq!(
            app,
            "postgres://stegvis_app:stegvis@127.0.0.1:5432/db?sslmode=verify-full&sslrootcert=/x/ca.crt"
        );
        assert_eq!(
            owner_url(&app).unwrap(),
            "postgres://stegvis_owner:stegvis@127.0.0.1:5432/db?sslmode=verify-full&sslrootcert=/x/ca.crt"
        );
        let admin = "postgres://stegvis:stegvis@127.0.0.1:5432/db";
        assert_eq!(owner_url(admin).unwrap(), admin);
    }
}
