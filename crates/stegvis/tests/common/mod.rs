//! Helpers shared by the binary's test suites (each suite uses some of them).
#![allow(dead_code)]

/// A fresh database on the admin URL's server, with the admin URL's settings (TLS).
pub async fn create_database(admin: &str, name: &str) -> String {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(admin).await.unwrap();
    for sql in [
        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        format!("CREATE DATABASE {name}"),
    ] {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&mut conn)
            .await
            .unwrap();
    }
    let (base, query) = admin.split_once('?').unwrap_or((admin, ""));
    let at = base.rfind('/').unwrap();
    let mut url = format!("{}/{name}", &base[..at]);
    if !query.is_empty() {
        url = format!("{url}?{query}");
    }
    url
}

pub async fn drop_database(admin: &str, name: &str) {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(admin).await.unwrap();
    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(&mut conn)
        .await;
}
