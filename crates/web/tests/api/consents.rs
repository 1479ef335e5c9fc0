//! Consent drives partner access: the employment service sees a participant's plan only while
//! a consent covering plans to it is live; after revocation the next request is 404; both looks
//! are in the participant's trail with their ground.

use crate::support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn a_partner_sees_the_plan_only_while_a_consent_is_live() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let partner = t.token(PARTNER).await;
    let created: Value = t
        .register(&coach, "811218-9876", "Sam", "Samtycke")
        .await
        .json()
        .await
        .unwrap();
    let pid = created["participant"]["id"].as_str().unwrap().to_owned();
    let plan = format!("/api/v1/participants/{pid}/plan");
    let r = t
        .post(
            &coach,
            &plan,
            &json!({"goal": "Arbete", "step": "Skriv CV", "owner": "participant"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(
        t.get(&partner, &plan).await.status(),
        StatusCode::NOT_FOUND,
        "no consent yet"
    );

    let af = t.org_id("Arbetsförmedlingen").await;
    let consents = format!("/api/v1/participants/{pid}/consents");
    // Bad input changes nothing.
    let bad = t
        .post(&coach, &consents, &json!({"recipient_org_id": "x", "kinds": ["secrets"], "purpose": "", "form": "telepathy"}))
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = bad.text().await.unwrap();
    for field in ["recipient_org_id", "kinds", "purpose", "form"] {
        assert!(text.contains(field), "{field}: {text}");
    }
    let r = t
        .post(&coach, &consents, &json!({"recipient_org_id": af, "kinds": ["plan"], "purpose": "Gemensam planering", "form": "written"}))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let consent: Value = r.json().await.unwrap();
    assert_eq!(consent["live"], true);

    // Live: the plan, and nothing the consent does not cover.
    let seen = t.get(&partner, &plan).await;
    assert_eq!(seen.status(), StatusCode::OK);
    assert_eq!(
        seen.json::<Vec<Value>>().await.unwrap()[0]["step"],
        "Skriv CV"
    );
    assert_eq!(
        t.get(&partner, &format!("/api/v1/participants/{pid}/assessments"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // The partner cannot write the plan even with consent.
    let r = t
        .post(
            &partner,
            &plan,
            &json!({"goal": "x", "step": "y", "owner": "staff"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // Revoked: the next request is 404; revoking twice is a conflict.
    let revoke = format!(
        "/api/v1/consents/{}/revoke",
        consent["id"].as_str().unwrap()
    );
    assert_eq!(
        t.post(&coach, &revoke, &json!({})).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        t.post(&coach, &revoke, &json!({})).await.status(),
        StatusCode::CONFLICT
    );
    assert_eq!(t.get(&partner, &plan).await.status(), StatusCode::NOT_FOUND);
    let list: Vec<Value> = t.get(&coach, &consents).await.json().await.unwrap();
    assert_eq!(
        (list[0]["revoked"].as_bool(), list[0]["live"].as_bool()),
        (Some(true), Some(false)),
        "history kept"
    );

    // Both looks are in the trail, with their ground.
    let events = t.audit_of(&pid).await;
    let partner_plan: Vec<&Value> = events
        .iter()
        .filter(|e| {
            e["actor_role"] == "partner_staff"
                && e["record_kind"] == "plan"
                && e["action"] == "read"
        })
        .collect();
    let ground = format!("consent:{}", consent["id"].as_str().unwrap());
    assert!(
        partner_plan
            .iter()
            .any(|e| e["decision"] == "allowed" && e["ground"] == ground.as_str())
    );
    assert!(partner_plan.iter().any(|e| e["decision"] == "denied"));
}

#[tokio::test]
async fn a_consent_not_yet_begun_or_already_ended_opens_nothing() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let partner = t.token(PARTNER).await;
    let created: Value = t
        .register(&coach, "811218-9876", "Tid", "Gräns")
        .await
        .json()
        .await
        .unwrap();
    let pid = created["participant"]["id"].as_str().unwrap().to_owned();
    let af = t.org_id("Arbetsförmedlingen").await;
    let day = |n: i64| (t.app.today() + time::Duration::days(n)).to_string();
    let consents = format!("/api/v1/participants/{pid}/consents");
    for (from, to) in [(day(1), None), (day(-30), Some(day(-1)))] {
        let r = t
            .post(&coach, &consents, &json!({"recipient_org_id": af, "kinds": ["participant"], "purpose": "Test", "form": "oral", "valid_from": from, "valid_to": to}))
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    assert_eq!(
        t.get(&partner, &format!("/api/v1/participants/{pid}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_partner_finds_only_those_whose_live_consent_covers_their_details() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let partner = t.token(PARTNER).await;
    let af = t.org_id("Arbetsförmedlingen").await;
    let mut ids = Vec::new();
    for (given, kinds) in [
        ("Lista", vec!["participant", "plan"]),
        ("Plan", vec!["plan"]),
    ] {
        let project = t.project_id(&coach, "En väg in").await;
        let created: Value = t
            .post(
                &coach,
                "/api/v1/participants",
                &json!({"identity_mode": "none", "given_name": given, "family_name": "Sökbar", "gender": "man", "project_id": project, "enrolled_on": "2026-01-15"}),
            )
            .await
            .json()
            .await
            .unwrap();
        let pid = created["participant"]["id"].as_str().unwrap().to_owned();
        let r = t
            .post(
                &coach,
                &format!("/api/v1/participants/{pid}/consents"),
                &json!({"recipient_org_id": af, "kinds": kinds, "purpose": "Matchning", "form": "digital"}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
        ids.push((
            pid,
            r.json::<Value>().await.unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        ));
    }
    // Only the one whose consent covers personal details; the plan-only consent does not list.
    assert_eq!(found(&t, &partner).await, vec![ids[0].0.clone()]);
    let r = t
        .post(
            &coach,
            &format!("/api/v1/consents/{}/revoke", ids[0].1),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        found(&t, &partner).await.is_empty(),
        "revoked: gone from the list at once"
    );
    // The coach's own list is unchanged.
    assert_eq!(found(&t, &coach).await.len(), 2);
}

async fn found(t: &TestApp, token: &str) -> Vec<String> {
    let page: Value = t
        .get(token, "/api/v1/participants?q=Sökbar")
        .await
        .json()
        .await
        .unwrap();
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect()
}
