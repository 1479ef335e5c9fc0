//! The audit trail: every read and write is in it, with its ground, and it cannot be changed.

use crate::support::*;
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn other_organisation_gets_404_and_every_look_is_in_the_trail() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let created: Value = t
        .register(&coach, "701063-2391", "Samira", "Ödmark")
        .await
        .json()
        .await
        .unwrap();
    let id = created["participant"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        t.get(&coach, &format!("/api/v1/participants/{id}"))
            .await
            .status(),
        StatusCode::OK
    );

    let other = t.token(OTHER_COACH).await;
    let r = t.get(&other, &format!("/api/v1/participants/{id}")).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let unknown = uuid::Uuid::now_v7();
    let r2 = t
        .get(&other, &format!("/api/v1/participants/{unknown}"))
        .await;
    assert_eq!(r2.status(), StatusCode::NOT_FOUND);
    let (a, b): (Value, Value) = (r.json().await.unwrap(), r2.json().await.unwrap());
    assert_eq!(a, b, "a refused record and a missing one look the same");

    let events = t.audit_of(&id).await;
    assert!(
        has_event(&events, "participant", "write", "allowed"),
        "{events:#?}"
    );
    assert!(has_event(&events, "enrolment", "write", "allowed"));
    assert!(has_event(&events, "participant", "read", "allowed"));
    assert!(has_event(&events, "enrolment", "read", "allowed"));
    let denied = events
        .iter()
        .find(|e| e["decision"] == "denied")
        .expect("denied look logged");
    assert_eq!(denied["ground"], "denied:other_organisation");
    assert_eq!(denied["action"], "read");
    let allowed = events
        .iter()
        .find(|e| e["action"] == "read" && e["decision"] == "allowed")
        .unwrap();
    assert_eq!(allowed["ground"], "own_organisation:coach");
}

#[tokio::test]
async fn the_trail_cannot_be_changed_or_deleted() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let created: Value = t
        .register(&coach, "811218-9876", "A", "B")
        .await
        .json()
        .await
        .unwrap();
    let id = created["participant"]["id"].as_str().unwrap().to_owned();
    let before = t.audit_of(&id).await;
    let (update, delete) = t.app.try_tamper_with_audit_trail().await;
    assert!(update.is_err(), "UPDATE on the audit trail must fail");
    assert!(delete.is_err(), "DELETE on the audit trail must fail");
    let after = t.audit_of(&id).await;
    // The auditor's own reads were added; nothing earlier changed.
    for e in &before {
        assert!(after.contains(e), "event changed or lost: {e}");
    }
    assert!(after.iter().all(|e| e["ground"] != "tampered"));
}

#[tokio::test]
async fn searches_are_audited_without_the_search_term() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    t.get(&coach, "/api/v1/participants?q=198112189876").await;
    let auditor = t.token(AUDITOR).await;
    let events: Vec<Value> = t
        .get(&auditor, "/api/v1/audit?limit=1000")
        .await
        .json()
        .await
        .unwrap();
    let search = events
        .iter()
        .find(|e| {
            e["action"] == "search"
                && e["record_kind"] == "participant"
                && e["actor_role"] == "coach"
        })
        .expect("search audited");
    assert_eq!(search["detail"], "by identity number");
    assert!(
        !events
            .iter()
            .any(|e| e.to_string().contains("198112189876")),
        "the number never enters the trail"
    );
}

#[tokio::test]
async fn only_auditors_read_the_trail_and_their_reads_are_audited() {
    let t = spawn_app().await;
    for who in [COACH, ADMIN, PARTNER, PARTICIPANT] {
        let token = t.token(who).await;
        assert_eq!(
            t.get(&token, "/api/v1/audit").await.status(),
            StatusCode::FORBIDDEN,
            "{who}"
        );
    }
    let auditor = t.token(AUDITOR).await;
    t.get(&auditor, "/api/v1/audit").await;
    let events: Vec<Value> = t.get(&auditor, "/api/v1/audit").await.json().await.unwrap();
    assert!(events.iter().any(|e| e["record_kind"] == "audit_trail"
        && e["actor_role"] == "auditor"
        && e["decision"] == "allowed"));
    assert!(events.iter().any(|e| e["record_kind"] == "audit_trail"
        && e["actor_role"] == "coach"
        && e["decision"] == "denied"));
}

#[tokio::test]
async fn the_auditor_sees_system_imports_into_their_organisation() {
    let t = spawn_app().await;
    let auditor = t.token(AUDITOR).await;
    let events: Vec<Value> = t
        .get(&auditor, "/api/v1/audit?limit=1000")
        .await
        .json()
        .await
        .unwrap();
    let imports: Vec<&Value> = events
        .iter()
        .filter(|e| e["actor_role"] == "system")
        .collect();
    assert!(!imports.is_empty(), "the demo import is in the trail");
    assert!(
        imports
            .iter()
            .all(|e| e["ground"] == "system:operator_import")
    );
    assert!(
        imports
            .iter()
            .any(|e| e["detail"].as_str().unwrap().starts_with("demo seed:"))
    );
}

#[tokio::test]
async fn administrators_list_staff_but_not_participants_accounts() {
    let t = spawn_app().await;
    let admin = t.token(ADMIN).await;
    let users: Vec<Value> = t.get(&admin, "/api/v1/users").await.json().await.unwrap();
    assert!(users.iter().any(|u| u["email"] == COACH));
    assert!(
        !users.iter().any(|u| u["role"] == "participant"),
        "who takes part stays behind the gate"
    );
}

/// The auditor verifies the trail from their page and sees when, by whom, how many events and
/// the head; the verification is itself in the trail; nobody else may run it.
#[tokio::test]
async fn the_auditor_verifies_the_trail_on_their_page() {
    use crate::forms::{get_page, hidden, post_form, web_login};
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    t.register(&coach, "701063-2391", "Samira", "Ödmark").await;
    let cookie = web_login(&t, AUDITOR).await;
    let html = get_page(&t, "/audit", &cookie).await.text().await.unwrap();
    assert!(html.contains("Loggen har inte kontrollerats än."), "{html}");
    let csrf = hidden(&html, "csrf");
    let r = post_form(&t, "/audit/verify", &cookie, &[("csrf", &csrf)]).await;
    assert!(r.status().is_redirection(), "{}", r.status());
    let html = get_page(&t, "/audit", &cookie).await.text().await.unwrap();
    assert!(html.contains("<strong>Oförändrad</strong>"), "{html}");
    let head = html
        .split("<code>")
        .nth(1)
        .and_then(|s| s.split("</code>").next())
        .unwrap_or_else(|| panic!("{html}"));
    let (pos, hash) = head.split_once(' ').unwrap();
    assert!(pos.parse::<i64>().unwrap() > 0, "{head}");
    assert_eq!(hash.len(), 64, "{head}");

    let auditor = t.token(AUDITOR).await;
    let events: Vec<Value> = t
        .get(&auditor, "/api/v1/audit?limit=50")
        .await
        .json()
        .await
        .unwrap();
    assert!(
        events.iter().any(|e| e["detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("audit trail verified: "))),
        "{events:#?}"
    );
    let coach_cookie = web_login(&t, COACH).await;
    let coach_html = get_page(&t, "/caseload", &coach_cookie)
        .await
        .text()
        .await
        .unwrap();
    let coach_csrf = hidden(&coach_html, "csrf");
    let r = post_form(&t, "/audit/verify", &coach_cookie, &[("csrf", &coach_csrf)]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}
