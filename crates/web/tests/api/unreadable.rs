//! A stored value that cannot be read is an error that says so, on the page, in the API and in
//! the funder's participant file: never "no number", an empty cell, or a non-binary count.

use crate::forms::{get_page, web_login};
use crate::support::*;
use reqwest::StatusCode;
use serde_json::Value;

async fn registered(t: &TestApp, coach: &str) -> String {
    let created: Value = t
        .register(coach, "701063-2391", "Samira", "Ödmark")
        .await
        .json()
        .await
        .unwrap();
    created["participant"]["id"].as_str().unwrap().to_owned()
}

/// The participant's page, the API and the funder's file all refuse with a clear message.
async fn every_view_says_unreadable(t: &TestApp, id: &str, project: &str) {
    let coach = t.token(COACH).await;
    let r = t.get(&coach, &format!("/api/v1/participants/{id}")).await;
    assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let problem: Value = r.json().await.unwrap();
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("kan inte läsas"),
        "{problem}"
    );

    let cookie = web_login(t, COACH).await;
    let page = get_page(t, &format!("/participants/{id}"), &cookie).await;
    assert_eq!(page.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let html = page.text().await.unwrap();
    assert!(html.contains("En sparad uppgift kan inte läsas"), "{html}");
    assert!(!html.contains("Samira"), "nothing of the record is shown");

    let manager = web_login(t, PROJECT_MANAGER).await;
    let file = get_page(
        t,
        &format!("/projects/{project}/report/participants?format=csv"),
        &manager,
    )
    .await;
    assert_eq!(file.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body = file.text().await.unwrap();
    assert!(body.contains("En sparad uppgift kan inte läsas"), "{body}");
    assert!(!body.contains("non_binary"), "no row with a made-up gender");
}

#[tokio::test]
async fn a_damaged_identity_number_is_an_error_not_no_number() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let id = registered(&t, &coach).await;
    let project = t.project_id(&coach, "En väg in").await;
    // Readable first: the file carries the number.
    let cookie = web_login(&t, PROJECT_MANAGER).await;
    let file = get_page(
        &t,
        &format!("/projects/{project}/report/participants?format=csv"),
        &cookie,
    )
    .await;
    assert_eq!(file.status(), StatusCode::OK);
    assert!(file.text().await.unwrap().contains("19701063-2391"));

    let pid = uuid::Uuid::parse_str(&id).unwrap();
    t.app
        .damage_participant(pid, None, Some(&[1u8; 40]))
        .await
        .unwrap();
    every_view_says_unreadable(&t, &id, &project).await;
}

#[tokio::test]
async fn a_damaged_gender_is_an_error_not_a_non_binary_count() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let id = registered(&t, &coach).await;
    let project = t.project_id(&coach, "En väg in").await;
    let pid = uuid::Uuid::parse_str(&id).unwrap();
    t.app
        .damage_participant(pid, Some("female"), None)
        .await
        .unwrap();
    every_view_says_unreadable(&t, &id, &project).await;
    // The project's report recounts from the rows in this (debug) build, and refuses too.
    let r = t
        .get(&coach, &format!("/api/v1/projects/{project}/report"))
        .await;
    assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
}
