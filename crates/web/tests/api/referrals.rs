//! Referrals between organisations: they rely on a live consent, the recipient answers while it
//! is live, and a revocation takes the referral away from the recipient at once.

use crate::forms::{get_page, hidden, post_form, web_login};
use crate::support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn a_referral_relies_on_a_consent_and_the_recipient_answers_while_it_is_live() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let partner = t.token(PARTNER).await;
    let created: Value = t
        .register(&coach, "811218-9876", "Remi", "Ssonsson")
        .await
        .json()
        .await
        .unwrap();
    let pid = created["participant"]["id"].as_str().unwrap().to_owned();
    let af = t.org_id("Arbetsförmedlingen").await;
    let send = format!("/api/v1/participants/{pid}/referrals");
    let body = json!({"to_org_id": af, "reason": "Behöver stöd i jobbsökandet"});

    // No consent: refused, with the reason at its field; nothing is sent.
    let r = t.post(&coach, &send, &body).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("consent_id"));
    // A consent covering only plans is not enough: the recipient must see who it is about.
    let consents = format!("/api/v1/participants/{pid}/consents");
    let grant = |kinds: Value| {
        let (t, coach, consents, af) = (&t, coach.clone(), consents.clone(), af.clone());
        async move {
            let r = t
                .post(&coach, &consents, &json!({"recipient_org_id": af, "kinds": kinds, "purpose": "Samverkan", "form": "written"}))
                .await;
            assert_eq!(r.status(), StatusCode::CREATED);
            r.json::<Value>().await.unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    grant(json!(["plan"])).await;
    assert_eq!(
        t.post(&coach, &send, &body).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let consent = grant(json!(["participant"])).await;
    let r = t.post(&coach, &send, &body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let referral: Value = r.json().await.unwrap();
    assert_eq!(
        (referral["status"].as_str(), referral["consent_id"].as_str()),
        (Some("sent"), Some(consent.as_str()))
    );
    let rid = referral["id"].as_str().unwrap().to_owned();
    let one = format!("/api/v1/referrals/{rid}");
    let status = format!("{one}/status");

    // The recipient finds it, with the name, and answers.
    let list: Vec<Value> = t
        .get(&partner, "/api/v1/referrals")
        .await
        .json()
        .await
        .unwrap();
    let mine: Vec<&Value> = list.iter().filter(|r| r["id"] == rid.as_str()).collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["participant_name"], "Remi Ssonsson");
    assert_eq!(t.get(&partner, &one).await.status(), StatusCode::OK);
    // The sender cannot accept their own referral; the recipient cannot withdraw it.
    let r = t
        .post(&coach, &status, &json!({"status": "accepted"}))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .post(&partner, &status, &json!({"status": "closed"}))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .post(
            &partner,
            &status,
            &json!({"status": "accepted", "note": "Välkommen på möte tisdag"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let seen: Value = t.get(&coach, &one).await.json().await.unwrap();
    assert_eq!(
        (seen["status"].as_str(), seen["answer_note"].as_str()),
        (Some("accepted"), Some("Välkommen på möte tisdag"))
    );
    // Answering twice: the referral is no longer "sent".
    let r = t
        .post(&partner, &status, &json!({"status": "declined"}))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Showing it in the recipient's list is a look at the participant, on the consent's ground.
    let events = t.audit_of(&pid).await;
    assert!(events.iter().any(|e| {
        e["actor_role"] == "partner_staff"
            && e["record_kind"] == "referral"
            && e["action"] == "read"
            && e["detail"]
                .as_str()
                .is_some_and(|d| d.starts_with("referral list"))
            && e["ground"] == format!("consent:{consent}")
    }));
    // Another organisation sees nothing of it.
    let other = t.token(OTHER_COACH).await;
    assert_eq!(t.get(&other, &one).await.status(), StatusCode::NOT_FOUND);
    let theirs: Vec<Value> = t
        .get(&other, "/api/v1/referrals")
        .await
        .json()
        .await
        .unwrap();
    assert!(theirs.iter().all(|r| r["id"] != rid.as_str()));

    // Revoked: gone from the recipient's list, and closed to them, at once.
    let r = t
        .post(
            &coach,
            &format!("/api/v1/consents/{consent}/revoke"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let list: Vec<Value> = t
        .get(&partner, "/api/v1/referrals")
        .await
        .json()
        .await
        .unwrap();
    assert!(list.iter().all(|r| r["id"] != rid.as_str()));
    assert_eq!(t.get(&partner, &one).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        t.post(&partner, &status, &json!({"status": "closed"}))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // The sender still closes it; the history stays on the participant.
    let r = t.post(&coach, &status, &json!({"status": "closed"})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let all: Vec<Value> = t.get(&coach, &send).await.json().await.unwrap();
    assert_eq!(all[0]["status"], "closed");
    // The recipient's looks are in the trail on the consent's ground, and the refusal too.
    let events = t.audit_of(&pid).await;
    let partner_events: Vec<&Value> = events
        .iter()
        .filter(|e| e["actor_role"] == "partner_staff" && e["record_kind"] == "referral")
        .collect();
    assert!(
        partner_events
            .iter()
            .any(|e| e["ground"] == format!("consent:{consent}"))
    );
    assert!(partner_events.iter().any(|e| e["decision"] == "denied"));
}

#[tokio::test]
async fn the_partner_answers_a_referral_on_the_page() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let created: Value = t
        .register(&coach, "811218-9876", "Sida", "Remiss")
        .await
        .json()
        .await
        .unwrap();
    let pid = created["participant"]["id"].as_str().unwrap().to_owned();
    let af = t.org_id("Arbetsförmedlingen").await;
    // The coach's form offers only organisations with a consent; first there is none.
    let coach_cookie = web_login(&t, COACH).await;
    let html = get_page(
        &t,
        &format!("/participants/{pid}/referrals/new"),
        &coach_cookie,
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(html.contains(&format!("/participants/{pid}/consents/new")));
    let r = t
        .post(&coach, &format!("/api/v1/participants/{pid}/consents"), &json!({"recipient_org_id": af, "kinds": ["participant"], "purpose": "Samverkan", "form": "written"}))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let html = get_page(
        &t,
        &format!("/participants/{pid}/referrals/new"),
        &coach_cookie,
    )
    .await
    .text()
    .await
    .unwrap();
    let csrf = hidden(&html, "csrf");
    let path = format!("/participants/{pid}/referrals");
    let r = post_form(
        &t,
        &path,
        &coach_cookie,
        &[("csrf", &csrf), ("to_org_id", &af)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "no reason");
    let r = post_form(
        &t,
        &path,
        &coach_cookie,
        &[
            ("csrf", &csrf),
            ("to_org_id", &af),
            ("reason", "Arbetsträning"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // The partner lands on their referrals and accepts.
    let cookie = web_login(&t, PARTNER).await;
    let html = get_page(&t, "/referrals", &cookie)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Sida Remiss") && html.contains("Arbetsträning"));
    let start = html.find("action=\"/referrals/").unwrap() + "action=\"".len();
    let action = html[start..].split('"').next().unwrap().to_owned();
    let csrf = hidden(&html, "csrf");
    let r = post_form(
        &t,
        &action,
        &cookie,
        &[("csrf", &csrf), ("status", "accepted"), ("note", "Vi ses")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = get_page(&t, &format!("/participants/{pid}"), &coach_cookie)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Accepterad"), "the coach sees the answer");
}
