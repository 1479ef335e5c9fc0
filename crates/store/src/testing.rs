//! Test support (the `testing` feature): fresh PostgreSQL databases, empty or copied from a
//! template that a suite migrated and seeded once.

use sqlx::{Connection, Executor, PgConnection};

/// Creates an empty database on the server of `admin_url` and returns its URL.
pub async fn fresh_postgres_database(admin_url: &str) -> crate::Result<String> {
    create_database(admin_url, "stegvis_t", None).await
}

/// Creates an empty database to fill once and copy per test with
/// [`postgres_database_from_template`]; returns its URL.
pub async fn template_postgres_database(admin_url: &str) -> crate::Result<String> {
    create_database(admin_url, "stegvis_template", None).await
}

/// Creates a database as a copy of the one `template_url` names (`CREATE DATABASE … TEMPLATE`)
/// and returns its URL. No connection may be open on the template meanwhile.
pub async fn postgres_database_from_template(
    admin_url: &str,
    template_url: &str,
) -> crate::Result<String> {
    let (_, template, _) = split(template_url)?;
    create_database(admin_url, "stegvis_t", Some(template)).await
}

async fn create_database(
    admin_url: &str,
    prefix: &str,
    template: Option<&str>,
) -> crate::Result<String> {
    let name = format!("{prefix}_{}", uuid::Uuid::now_v7().simple());
    let mut sql = format!("CREATE DATABASE {name}");
    if let Some(t) = template {
        // Names made by this module only: a prefix and a UUID's hex digits.
        if !t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(crate::StoreError::UnsupportedUrl);
        }
        sql.push_str(&format!(" TEMPLATE {t}"));
    }
    let mut conn = PgConnection::connect(admin_url).await?;
    conn.execute(sqlx::AssertSqlSafe(sql)).await?;
    conn.close().await?;
    let (server, _, query) = split(admin_url)?;
    Ok(match query {
        Some(q) => format!("{server}/{name}?{q}"),
        None => format!("{server}/{name}"),
    })
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
