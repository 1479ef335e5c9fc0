//! For the operators: `/healthz` (alive), `/readyz` (the database answers and is migrated) and
//! the Prometheus metrics on their own address, over real HTTP.

use crate::support::{COACH, spawn_app};
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn health_and_readiness_answer_and_readiness_follows_the_database() {
    let t = spawn_app().await;
    let r = t
        .http
        .get(format!("{}/healthz", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.text().await.unwrap(), "ok");
    let r = t
        .http
        .get(format!("{}/readyz", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.text().await.unwrap(), "ready");

    // The database gone (its pool closed): alive, but not ready, and says why.
    t.app.close().await;
    let r = t
        .http
        .get(format!("{}/readyz", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    let why = r.text().await.unwrap();
    assert!(why.contains("databasen svarar inte"), "{why}");
    assert!(why.contains("the database does not answer"), "{why}");
    let r = t
        .http
        .get(format!("{}/healthz", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn metrics_count_requests_by_route_template_on_their_own_address_only() {
    let t = spawn_app().await;
    let metrics = stegvis_web::Metrics::new(&t.app);
    let public = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", public.local_addr().unwrap());
    let private = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let scrape = format!("http://{}/metrics", private.local_addr().unwrap());
    let config = stegvis_web::WebConfig {
        metrics: Some(metrics.clone()),
        ..Default::default()
    };
    tokio::spawn(stegvis_web::serve(
        t.app.clone(),
        config,
        public,
        std::future::pending(),
    ));
    tokio::spawn(stegvis_web::serve_metrics(
        metrics,
        private,
        std::future::pending(),
    ));

    // An audited read of a participant, by id: counted under the route's template.
    let coach = t.token(COACH).await;
    let list: Value = t
        .http
        .get(format!("{base}/api/v1/participants?limit=1"))
        .bearer_auth(&coach)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = list["items"][0]["id"]
        .as_str()
        .expect("a participant")
        .to_owned();
    let r = t
        .http
        .get(format!("{base}/api/v1/participants/{id}"))
        .bearer_auth(&coach)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = t
        .http
        .get(format!(
            "{base}/api/v1/participants/{}",
            uuid::Uuid::now_v7()
        ))
        .bearer_auth(&coach)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // The public address has no metrics.
    let r = t.http.get(format!("{base}/metrics")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    let r = t.http.get(&scrape).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let text = r.text().await.unwrap();
    for line in [
        r#"stegvis_http_requests_total{method="GET",route="/api/v1/participants/{id}",status="2xx"} 1"#,
        r#"stegvis_http_requests_total{method="GET",route="/api/v1/participants/{id}",status="4xx"} 1"#,
        r#"stegvis_http_requests_total{method="GET",route="/api/v1/participants",status="2xx"} 1"#,
        r#"stegvis_http_request_duration_seconds_count{method="GET",route="/api/v1/participants/{id}"} 2"#,
        r#"stegvis_http_requests_total{method="GET",route="unmatched",status="4xx"} 1"#,
    ] {
        assert!(text.contains(line), "{line} missing in:\n{text}");
    }
    // Never a raw path with an id.
    assert!(!text.contains(&id), "{text}");
    for name in [
        "stegvis_db_pool_connections{state=\"idle\"}",
        "stegvis_db_pool_connections{state=\"in_use\"}",
        "stegvis_db_pool_max_connections ",
        "stegvis_audit_commit_duration_seconds_count{mode=\"read\"}",
    ] {
        assert!(text.contains(name), "{name} missing in:\n{text}");
    }
}
