//! The API contract: the OpenAPI document as served, pinned by a snapshot (a changed contract
//! shows up in review as a diff of `snapshots/api__contract__openapi.snap`), and the rules every
//! operation keeps. `scripts/contract-test` checks the server against it with schemathesis.
//!
//! After an intended change: `INSTA_UPDATE=always cargo test -p stegvis-web --test api contract`
//! (or `cargo insta review`), then review and commit the snapshot.

use crate::support::*;
use reqwest::StatusCode;
use serde_json::Value;
use std::collections::BTreeSet;

async fn document() -> Value {
    let t = spawn_app().await;
    let r = t
        .http
        .get(format!("{}/api/v1/openapi.json", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

#[tokio::test]
async fn the_openapi_document_is_the_reviewed_one() {
    insta::assert_json_snapshot!("openapi", document().await);
}

fn operations(doc: &Value) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            out.push((format!("{} {path}", method.to_uppercase()), op));
        }
    }
    out
}

/// Every `$ref` in `v`, as the schema name it points at.
fn refs(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v.as_str()) {
                    ("$ref", Some(r)) => {
                        out.insert(r.trim_start_matches("#/components/schemas/").to_owned());
                    }
                    _ => refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn every_operation_documents_the_answers_it_can_give() {
    let doc = document().await;
    let mut problems = Vec::new();
    for (name, op) in operations(&doc) {
        let responses = op["responses"].as_object().unwrap();
        let has = |status: &str| responses.contains_key(status);
        if !has("401") {
            problems.push(format!("{name}: no 401 (every operation needs a token)"));
        }
        if name.contains("{id}") && !has("404") {
            problems.push(format!("{name}: an id in the path but no 404"));
        }
        let queried = op["parameters"]
            .as_array()
            .is_some_and(|ps| ps.iter().any(|p| p["in"] == "query"));
        if (op.get("requestBody").is_some() || queried) && !has("422") {
            problems.push(format!("{name}: input but no 422"));
        }
        for (status, response) in responses {
            if status.starts_with('4') {
                let content = response["content"].as_object().unwrap();
                let types: Vec<&String> = content.keys().collect();
                if types != ["application/problem+json"]
                    || content["application/problem+json"]["schema"]["$ref"]
                        != "#/components/schemas/Problem"
                {
                    problems.push(format!("{name}: {status} is not a problem+json Problem"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test]
async fn every_schema_is_declared_and_every_code_and_time_is_typed() {
    let doc = document().await;
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let mut named = BTreeSet::new();
    refs(&doc, &mut named);
    let missing: Vec<&String> = named.iter().filter(|n| !schemas.contains_key(*n)).collect();
    assert!(
        missing.is_empty(),
        "references without a schema: {missing:?}"
    );

    // A bare string where a code list belongs would let a client send any text.
    const CODES: &[&str] = &[
        "kind",
        "status",
        "gender",
        "role",
        "rater",
        "form",
        "owner",
        "decision",
        "action",
        "record_kind",
        "actor_role",
        "exit_status",
        "labour_status",
        "identity_mode",
        "identity_kind",
        "swedish",
        "min_swedish",
        "absence_reason",
    ];
    let mut problems = Vec::new();
    for (schema, body) in schemas {
        let Some(properties) = body["properties"].as_object() else {
            continue;
        };
        for (name, property) in properties {
            let text = property.to_string();
            let bare_string = property.get("enum").is_none()
                && !text.contains("$ref")
                && !text.contains("\"enum\"")
                && text.contains("\"string\"");
            if CODES.contains(&name.as_str()) && bare_string {
                problems.push(format!("{schema}.{name}: a code as a free string"));
            }
            if name.ends_with("_at") && name != "starts_at" && !text.contains("date-time") {
                problems.push(format!("{schema}.{name}: a time without format date-time"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test]
async fn times_are_sent_as_rfc_3339() {
    let t = spawn_app().await;
    let auditor = t.token(AUDITOR).await;
    // Reading a participant writes an event to the trail, so the trail is never empty.
    let coach = t.token(COACH).await;
    let page = t.get(&coach, "/api/v1/participants?limit=1").await;
    assert_eq!(page.status(), 200);
    let r = t.get(&auditor, "/api/v1/audit?limit=5").await;
    assert_eq!(r.status(), 200);
    let events: Vec<Value> = r.json().await.unwrap();
    assert!(!events.is_empty());
    for e in events {
        let at = e["at"].as_str().unwrap();
        time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
            .unwrap_or_else(|err| panic!("{at} is not RFC 3339: {err}"));
    }
}

#[tokio::test]
async fn a_nul_character_is_refused_by_name_on_every_database() {
    // PostgreSQL cannot store U+0000 in text: it was a 500 there and stored on SQLite.
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let r = t.get(&coach, "/api/v1/participants?q=a%00b").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "q");

    let body =
        serde_json::json!({"name": "a\u{0}b", "kind": "employer", "workplace": {"name": "Ett"}});
    let r = t.post(&coach, "/api/v1/employers", &body).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "name");
}

#[tokio::test]
async fn an_id_that_is_no_uuid_is_not_found() {
    // A path segment that is not UTF-8 was axum's plain-text 400, which the document lacks.
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    for path in ["/api/v1/participants/%FF", "/api/v1/participants/nope/plan"] {
        let r = t.get(&coach, path).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(r.headers()["content-type"], "application/problem+json");
    }
}
