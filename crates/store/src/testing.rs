//! Test support (the `testing` feature): a fresh, empty PostgreSQL database per test.

use sqlx::{Connection, Executor, PgConnection};

/// Creates an empty database on the server of `admin_url` and returns its URL.
pub async fn fresh_postgres_database(admin_url: &str) -> crate::Result<String> {
    let name = format!("stegvis_t_{}", uuid::Uuid::now_v7().simple());
    let mut conn = PgConnection::connect(admin_url).await?;
    conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await?;
    conn.close().await?;
    let (base, query) = admin_url
        .split_once('?')
        .map_or((admin_url, None), |(b, q)| (b, Some(q)));
    let (server, _) = base
        .rsplit_once('/')
        .ok_or(crate::StoreError::UnsupportedUrl)?;
    Ok(match query {
        Some(q) => format!("{server}/{name}?{q}"),
        None => format!("{server}/{name}"),
    })
}
