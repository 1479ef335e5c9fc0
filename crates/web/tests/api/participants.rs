//! Registering, reading and searching participants through the API.

use crate::support::*;
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn invalid_identity_number_is_422_naming_the_field_and_stores_nothing() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let before = t.participant_count(&coach).await;
    let r = t.register(&coach, "811218-9875", "Testa", "Testsson").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let problem: Value = r.json().await.unwrap();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["identity_number"]);
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Kontrollsiffran")
    );
    assert_eq!(t.participant_count(&coach).await, before, "nothing stored");
}

#[tokio::test]
async fn every_invalid_field_is_named_at_once() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let body = serde_json::json!({
        "identity_number": "19811318-9876", "given_name": " ", "family_name": "X", "gender": "female",
        "project_id": "nope", "enrolled_on": "2026-13-01",
        "baseline": { "isced_level": 9, "social_assistance": "declined", "labour_status": "retired" }
    });
    let r = t.post(&coach, "/api/v1/participants", &body).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().await.unwrap();
    let mut fields: Vec<String> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        vec![
            "baseline.isced_level",
            "baseline.labour_status",
            "baseline.social_assistance",
            "enrolled_on",
            "gender",
            "given_name",
            "identity_number",
            "project_id"
        ]
    );
}

#[tokio::test]
async fn valid_samordningsnummer_is_201_and_reads_back_normalised() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let r = t.register(&coach, "701063-2391", "Samira", "Ödmark").await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: Value = r.json().await.unwrap();
    let id = created["participant"]["id"].as_str().unwrap();
    let read: Value = t
        .get(&coach, &format!("/api/v1/participants/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read["participant"]["identity_number"], "19701063-2391");
    assert_eq!(read["participant"]["identity_kind"], "samordningsnummer");
    assert_eq!(read["participant"]["birth_date"], "1970-10-03");
    assert_eq!(read["enrolments"][0]["project_name"], "En väg in");
    // Declined counts as answered; what the funder still needs is listed.
    let missing: Vec<&str> = read["enrolments"][0]["missing_answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(!missing.contains(&"disability"));
    assert!(missing.contains(&"isced_level"));
    assert!(missing.contains(&"long_term_unemployed"));
}

#[tokio::test]
async fn the_same_number_twice_in_one_organisation_is_refused() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    assert_eq!(
        t.register(&coach, "811218-9876", "A", "B").await.status(),
        StatusCode::CREATED
    );
    let before = t.participant_count(&coach).await;
    let r = t.register(&coach, "19811218-9876", "A", "B").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "identity_number");
    assert_eq!(t.participant_count(&coach).await, before);
}

#[tokio::test]
async fn search_by_name_ignores_case_and_by_identity_number_is_exact() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    assert_eq!(
        t.register(&coach, "811218-9876", "Åsa", "Öberg")
            .await
            .status(),
        StatusCode::CREATED
    );
    let by_name: Value = t
        .get(&coach, "/api/v1/participants?q=%C3%85sa%20%C3%B6BERG")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(by_name["total"], 1, "{by_name}");
    assert_eq!(by_name["items"][0]["family_name"], "Öberg");
    let by_number: Value = t
        .get(&coach, "/api/v1/participants?q=198112189876")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(by_number["total"], 1);
    let wildcard: Value = t
        .get(&coach, "/api/v1/participants?q=%25")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(wildcard["total"], 0, "a % is a character, not a wildcard");
    // Lists never show identity numbers.
    assert!(by_name["items"][0]["identity_number"].is_null());
}

#[tokio::test]
async fn lists_page_and_stay_within_the_organisation() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let all: Value = t
        .get(&coach, "/api/v1/participants?limit=200")
        .await
        .json()
        .await
        .unwrap();
    let total = all["total"].as_i64().unwrap();
    assert!(total > 0);
    let org = all["items"][0]["org_id"].clone();
    assert!(
        all["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["org_id"] == org),
        "only own organisation"
    );
    let page2: Value = t
        .get(&coach, "/api/v1/participants?limit=2&offset=2")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        page2["items"].as_array().unwrap().len(),
        2.min((total - 2).max(0)) as usize
    );
    assert_eq!(page2["items"][0]["id"], all["items"][2]["id"]);
}

#[tokio::test]
async fn a_participant_sees_only_their_own_record() {
    let t = spawn_app().await;
    let me = t.token(PARTICIPANT).await;
    let page: Value = t
        .get(&me, "/api/v1/participants")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"], 1);
    let own = page["items"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        t.get(&me, &format!("/api/v1/participants/{own}"))
            .await
            .status(),
        StatusCode::OK
    );
    let coach = t.token(COACH).await;
    let other: Value = t
        .get(&coach, "/api/v1/participants?limit=5")
        .await
        .json()
        .await
        .unwrap();
    let other_id = other["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .find(|id| *id != own)
        .unwrap();
    assert_eq!(
        t.get(&me, &format!("/api/v1/participants/{other_id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // Reading is allowed; writing is not.
    let enrolments: Value = t
        .get(&me, &format!("/api/v1/participants/{own}/enrolments"))
        .await
        .json()
        .await
        .unwrap();
    let eid = enrolments[0]["id"].as_str().unwrap();
    let r = t
        .patch(
            &me,
            &format!("/api/v1/enrolments/{eid}"),
            &serde_json::json!({"baseline": {}}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn malformed_json_is_a_problem_not_a_crash() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let r = t
        .http
        .post(format!("{}/api/v1/participants", t.base))
        .bearer_auth(&coach)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "body");
}

#[tokio::test]
async fn parallel_reads_writes_and_logins_all_succeed() {
    // Regression: audited reads used to take a second pooled connection while holding the first
    // (starving the pool), and SQLite read-then-write transactions failed with BUSY_SNAPSHOT.
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let page: Value = t
        .get(&coach, "/api/v1/participants?limit=12")
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<String> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect();
    let mut enrolments = Vec::new();
    for id in &ids {
        let list: Value = t
            .get(&coach, &format!("/api/v1/participants/{id}/enrolments"))
            .await
            .json()
            .await
            .unwrap();
        enrolments.push(list[0]["id"].as_str().unwrap().to_owned());
    }
    // Browser sessions a few minutes old: each request reads the session, then touches it.
    let mut cookies = Vec::new();
    for _ in 0..4 {
        let r = t
            .http
            .post(format!("{}/login", t.base))
            .form(&[("email", COACH), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        cookies.push(
            r.headers()["set-cookie"]
                .to_str()
                .unwrap()
                .split(';')
                .next()
                .unwrap()
                .to_owned(),
        );
    }
    t.clock.advance(time::Duration::minutes(5));
    let mut tasks = tokio::task::JoinSet::new();
    for (n, cookie) in cookies.iter().cycle().take(16).enumerate() {
        let (http, base, cookie) = (t.http.clone(), t.base.clone(), cookie.clone());
        tasks.spawn(async move {
            (
                100 + n,
                http.get(format!("{base}/projects"))
                    .header("cookie", cookie)
                    .send()
                    .await
                    .unwrap()
                    .status(),
            )
        });
    }
    for i in 0..36 {
        let (http, base, coach) = (t.http.clone(), t.base.clone(), coach.clone());
        let (id, eid) = (
            ids[i % ids.len()].clone(),
            enrolments[i % enrolments.len()].clone(),
        );
        tasks.spawn(async move {
            let r = match i % 9 {
                // Four log-ins: within the account's limit even when they overlap.
                0 => {
                    http.post(format!("{base}/login"))
                        .form(&[("email", COACH), ("password", PASSWORD)])
                        .send()
                        .await
                }
                1..=3 => {
                    http.patch(format!("{base}/api/v1/enrolments/{eid}"))
                        .bearer_auth(&coach)
                        .json(&serde_json::json!({"baseline": {"isced_level": i % 9}}))
                        .send()
                        .await
                }
                _ => {
                    http.get(format!("{base}/api/v1/participants/{id}"))
                        .bearer_auth(&coach)
                        .send()
                        .await
                }
            };
            (i, r.unwrap().status())
        });
    }
    while let Some(done) = tasks.join_next().await {
        let (i, status) = done.unwrap();
        match i % 9 {
            _ if i >= 100 => assert_eq!(status, StatusCode::OK, "page with session {i}"),
            0 => assert_eq!(status, StatusCode::SEE_OTHER, "log-in {i}"),
            // Two corrections of one enrolment may meet: the later one is told, never lost.
            1..=3 => assert!(
                status == StatusCode::OK || status == StatusCode::CONFLICT,
                "write {i}: {status}"
            ),
            _ => assert_eq!(status, StatusCode::OK, "read {i}"),
        }
    }
}
