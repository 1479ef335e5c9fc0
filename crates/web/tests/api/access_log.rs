//! The access log: the participant reads who looked at their data and on what ground (the
//! issue's "Done when", end to end in the demo); the auditor searches and exports the trail;
//! nobody else reads either.

use crate::forms::{get_page, hidden, post_form, web_login};
use crate::support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// The demo participant's own id, as they see it.
async fn own_id(t: &TestApp, token: &str) -> String {
    let page: Value = t
        .get(token, "/api/v1/participants")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1, "{page}");
    page["items"][0]["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_participant_sees_the_allowed_and_the_denied_look_with_their_ground() {
    let t = spawn_app().await;
    let partner = t.token(PARTNER).await;
    let me = t.token(PARTICIPANT).await;
    let pid = own_id(&t, &me).await;
    let af = t.org_id("Arbetsförmedlingen").await;
    let plan = format!("/api/v1/participants/{pid}/plan");
    let log = format!("/api/v1/participants/{pid}/access-log");
    // The demo gives the employment service a consent; the participant takes it back first.
    let mine: Vec<Value> = t
        .get(&me, &format!("/api/v1/participants/{pid}/consents"))
        .await
        .json()
        .await
        .unwrap();
    assert!(mine.iter().any(|c| c["live"] == true), "the demo's consent");
    for c in mine.iter().filter(|c| c["live"] == true) {
        let r = t
            .post(
                &me,
                &format!("/api/v1/consents/{}/revoke", c["id"].as_str().unwrap()),
                &json!({}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    assert_eq!(t.get(&partner, &plan).await.status(), StatusCode::NOT_FOUND);

    // The participant gives the consent themselves.
    let r = t
        .post(
            &me,
            &format!("/api/v1/participants/{pid}/consents"),
            &json!({"recipient_org_id": af, "kinds": ["plan"], "purpose": "Planera tillsammans", "form": "digital"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let consent = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(t.get(&partner, &plan).await.status(), StatusCode::OK);
    let r = t
        .post(
            &me,
            &format!("/api/v1/consents/{consent}/revoke"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(t.get(&partner, &plan).await.status(), StatusCode::NOT_FOUND);

    let r = t.get(&me, &log).await;
    assert_eq!(r.status(), StatusCode::OK);
    let events: Vec<Value> = r.json().await.unwrap();
    let partner_plan: Vec<&Value> = events
        .iter()
        .filter(|e| e["actor_role"] == "partner_staff" && e["record_kind"] == "plan")
        .collect();
    assert_eq!(partner_plan.len(), 3, "{partner_plan:#?}");
    // Newest first: the refusal after the revocation, then the look under the consent.
    assert_eq!(partner_plan[0]["decision"], "denied");
    assert_eq!(partner_plan[0]["ground"], "denied:other_organisation");
    assert_eq!(partner_plan[1]["decision"], "allowed");
    assert_eq!(partner_plan[1]["ground"], format!("consent:{consent}"));
    assert_eq!(partner_plan[1]["ground_text"], "Ditt samtycke");
    assert_eq!(partner_plan[1]["actor_org_name"], "Arbetsförmedlingen");
    assert!(
        partner_plan[1]["actor_name"]
            .as_str()
            .is_some_and(|n| !n.is_empty())
    );

    // The same on the participant's own pages (the portal), in words.
    let cookie = web_login(&t, PARTICIPANT).await;
    let page = get_page(&t, "/me", &cookie).await;
    let html = page.text().await.unwrap();
    assert!(html.contains("href=\"/me/access-log\""));
    let page = get_page(&t, "/me/access-log", &cookie).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Vem har sett mina uppgifter"));
    assert!(html.contains("Ditt samtycke") && html.contains("Nekades: ingen rätt att se"));
}

#[tokio::test]
async fn only_the_participant_and_the_auditor_read_the_access_log() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let partner = t.token(PARTNER).await;
    let created: Value = t
        .register(&coach, "811218-9876", "Logg", "Läsare")
        .await
        .json()
        .await
        .unwrap();
    let pid = created["participant"]["id"].as_str().unwrap().to_owned();
    let af = t.org_id("Arbetsförmedlingen").await;
    let consents = format!("/api/v1/participants/{pid}/consents");
    // A consent cannot cover the access log ...
    let r = t
        .post(&coach, &consents, &json!({"recipient_org_id": af, "kinds": ["audit_trail"], "purpose": "x", "form": "written"}))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // ... and a consent covering everything else does not open it.
    let all = [
        "participant",
        "enrolment",
        "assessment",
        "plan",
        "attendance",
        "placement",
        "follow_up",
    ];
    let r = t
        .post(
            &coach,
            &consents,
            &json!({"recipient_org_id": af, "kinds": all, "purpose": "Allt", "form": "written"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let log = format!("/api/v1/participants/{pid}/access-log");
    assert_eq!(t.get(&partner, &log).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(t.get(&coach, &log).await.status(), StatusCode::NOT_FOUND);
    for other in [t.token(OTHER_COACH).await, t.token(PARTICIPANT).await] {
        assert_eq!(t.get(&other, &log).await.status(), StatusCode::NOT_FOUND);
    }
    let auditor = t.token(AUDITOR).await;
    let r = t.get(&auditor, &log).await;
    assert_eq!(r.status(), StatusCode::OK);
    let events: Vec<Value> = r.json().await.unwrap();
    assert!(
        events
            .iter()
            .any(|e| e["ground"] == "denied:role_not_allowed"
                && e["record_kind"] == "audit_trail"
                && e["actor_role"] == "coach")
    );
}

#[tokio::test]
async fn the_auditor_searches_by_user_participant_and_period_and_exports() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let created: Value = t
        .register(&coach, "811218-9876", "Sök", "Spår")
        .await
        .json()
        .await
        .unwrap();
    let pid = created["participant"]["id"].as_str().unwrap().to_owned();
    let other = t.token(OTHER_COACH).await;
    t.get(&other, &format!("/api/v1/participants/{pid}")).await;
    let auditor = t.token(AUDITOR).await;
    let today = t.app.today();
    let q = |extra: &str| format!("/api/v1/audit?participant_id={pid}{extra}");

    let by_user: Vec<Value> = t
        .get(&auditor, &q(&format!("&user={OTHER_COACH}")))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(by_user.len(), 1, "{by_user:#?}");
    assert_eq!(by_user[0]["decision"], "denied");
    let today_only: Vec<Value> = t
        .get(&auditor, &q(&format!("&from={today}&to={today}")))
        .await
        .json()
        .await
        .unwrap();
    assert!(today_only.len() > by_user.len());
    let yesterday = today - time::Duration::days(1);
    let before: Vec<Value> = t
        .get(&auditor, &q(&format!("&to={yesterday}")))
        .await
        .json()
        .await
        .unwrap();
    assert!(before.is_empty(), "{before:#?}");
    // Bad filters are named, not ignored.
    let r = t
        .get(
            &auditor,
            &q(&format!(
                "&from={today}&to={yesterday}&user=nobody@example.se"
            )),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text().await.unwrap();
    assert!(
        text.contains("\"to\"") && text.contains("\"user\""),
        "{text}"
    );
    // The coach may not search the trail.
    assert_eq!(t.get(&coach, &q("")).await.status(), StatusCode::FORBIDDEN);

    // The page and its CSV export.
    let cookie = web_login(&t, AUDITOR).await;
    let page = get_page(
        &t,
        &format!("/audit?participant={pid}&user={OTHER_COACH}"),
        &cookie,
    )
    .await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Nekad") && html.contains("format=csv"));
    let csv = get_page(
        &t,
        &format!("/audit/export?participant={pid}&user={OTHER_COACH}&format=csv"),
        &cookie,
    )
    .await;
    assert_eq!(csv.status(), StatusCode::OK);
    let body = csv.text().await.unwrap();
    let lines: Vec<&str> = body.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 2, "header and the one refusal: {body}");
    assert!(lines[1].contains("denied:other_organisation"), "{body}");
    let bad = get_page(&t, "/audit?participant=not-an-id", &cookie).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // A coach gets no audit page.
    let coach_cookie = web_login(&t, COACH).await;
    let r = get_page(&t, "/audit", &coach_cookie).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_participant_gives_and_revokes_a_consent_on_their_page() {
    let t = spawn_app().await;
    let me = t.token(PARTICIPANT).await;
    let partner = t.token(PARTNER).await;
    let pid = own_id(&t, &me).await;
    let af = t.org_id("Arbetsförmedlingen").await;
    let cookie = web_login(&t, PARTICIPANT).await;
    let consents: Vec<Value> = t
        .get(&me, &format!("/api/v1/participants/{pid}/consents"))
        .await
        .json()
        .await
        .unwrap();
    for c in consents {
        t.post(
            &me,
            &format!("/api/v1/consents/{}/revoke", c["id"].as_str().unwrap()),
            &json!({}),
        )
        .await;
    }
    let form = get_page(&t, "/me/consents/new", &cookie).await;
    assert_eq!(form.status(), StatusCode::OK);
    let html = form.text().await.unwrap();
    assert!(html.contains("Arbetsförmedlingen"));
    let csrf = hidden(&html, "csrf");
    let path = format!("/participants/{pid}/consents");
    // Nothing chosen: the form again with its errors, nothing saved.
    let r = post_form(&t, &path, &cookie, &[("csrf", &csrf), ("purpose", "Hjälp")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("href=\"#recipient_org_id\"") && html.contains("value=\"Hjälp\""));
    let r = post_form(
        &t,
        &path,
        &cookie,
        &[
            ("csrf", &csrf),
            ("recipient_org_id", &af),
            ("kinds", "participant"),
            ("kinds", "plan"),
            ("purpose", "Hjälp att hitta jobb"),
            ("form", "digital"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let plan = format!("/api/v1/participants/{pid}/plan");
    assert_eq!(t.get(&partner, &plan).await.status(), StatusCode::OK);
    let page = get_page(&t, "/me/consents", &cookie).await;
    let html = page.text().await.unwrap();
    assert!(html.contains("Hjälp att hitta jobb") && html.contains("Gäller"));
    let start = html
        .find("action=\"/me/consents/")
        .expect("a revoke button")
        + "action=\"/me/consents/".len();
    let consent = &html[start..start + 36];
    let r = post_form(
        &t,
        &format!("/consents/{consent}/revoke"),
        &cookie,
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(t.get(&partner, &plan).await.status(), StatusCode::NOT_FOUND);
    let html = get_page(&t, "/me/consents", &cookie)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Återkallat") && !html.contains("/revoke\""));
}

#[tokio::test]
async fn a_partner_opening_the_page_leaves_no_refusals_and_another_participant_stays_anonymous() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let created: Value = t
        .register(&coach, "811218-9876", "Tyst", "Logg")
        .await
        .json()
        .await
        .unwrap();
    let pid = created["participant"]["id"].as_str().unwrap().to_owned();
    let af = t.org_id("Arbetsförmedlingen").await;
    let r = t
        .post(&coach, &format!("/api/v1/participants/{pid}/consents"), &json!({"recipient_org_id": af, "kinds": ["participant", "plan"], "purpose": "Planering", "form": "written"}))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    // The partner opens the page: the sections the consent does not cover are left out
    // without being asked for, so the log holds no refusals of that visit.
    let cookie = web_login(&t, PARTNER).await;
    let page = get_page(&t, &format!("/participants/{pid}"), &cookie).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Handlingsplan") && !html.contains("Kartläggning och stegförflyttning"));
    let auditor = t.token(AUDITOR).await;
    let log: Vec<Value> = t
        .get(&auditor, &format!("/api/v1/participants/{pid}/access-log"))
        .await
        .json()
        .await
        .unwrap();
    let partner: Vec<&Value> = log
        .iter()
        .filter(|e| e["actor_role"] == "partner_staff")
        .collect();
    assert!(!partner.is_empty());
    assert!(
        partner.iter().all(|e| e["decision"] == "allowed"),
        "{partner:#?}"
    );
    // Another participant who tries the record is refused, and stays anonymous in the log.
    let other = t.token(PARTICIPANT).await;
    assert_eq!(
        t.get(&other, &format!("/api/v1/participants/{pid}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let log: Vec<Value> = t
        .get(&auditor, &format!("/api/v1/participants/{pid}/access-log"))
        .await
        .json()
        .await
        .unwrap();
    let tried = log
        .iter()
        .find(|e| e["actor_role"] == "participant")
        .expect("the refused look");
    assert_eq!(tried["decision"], "denied");
    assert!(
        tried["actor_name"].is_null() && tried["actor_user_id"].is_null(),
        "{tried}"
    );
    assert_eq!(
        tried["ground_text"], "Nekad",
        "neutral words for the auditor"
    );
}
