//! Joint assessments and case conferences: partner organisations take part under consent.

use crate::support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn item(domain: usize) -> String {
    stegvis_domain::assessment::instruments::work_readiness().domains[domain].items[0]
        .key
        .clone()
}

#[tokio::test]
async fn a_partner_records_its_part_of_an_assessment_opened_to_it_under_consent() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let partner = t.token(PARTNER).await;
    let created: Value = t
        .register(&coach, "811218-9876", "Ge", "Mensam")
        .await
        .json()
        .await
        .unwrap();
    let pid = created["participant"]["id"].as_str().unwrap().to_owned();
    let af = t.org_id("Arbetsförmedlingen").await;
    let r = t
        .post(
            &coach,
            &format!("/api/v1/participants/{pid}/assessments"),
            &json!({"assessed_on": t.app.today().to_string(), "rater": "staff", "scores": {item(0): 3}}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let aid = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let part = format!("/api/v1/assessments/{aid}/parts");
    let open = format!("/api/v1/assessments/{aid}/partners");
    let their_part = json!({"scores": {item(1): 4}});

    // Neither opened nor consented: nothing.
    assert_eq!(
        t.post(&partner, &part, &their_part).await.status(),
        StatusCode::NOT_FOUND
    );
    // Bad input changes nothing.
    let r = t.post(&coach, &open, &json!({"org_id": "x"})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = t.post(&coach, &open, &json!({"org_id": af})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let opened: Value = r.json().await.unwrap();
    assert_eq!(opened["opened_to"], json!([af]));
    // Opened, but no consent yet: still nothing.
    assert_eq!(
        t.post(&partner, &part, &their_part).await.status(),
        StatusCode::NOT_FOUND
    );
    // A consent that does not cover assessments does not do.
    let consents = format!("/api/v1/participants/{pid}/consents");
    let grant = |kinds: Value| {
        let (t, coach, consents, af) = (&t, coach.clone(), consents.clone(), af.clone());
        async move {
            let r = t
                .post(&coach, &consents, &json!({"recipient_org_id": af, "kinds": kinds, "purpose": "Gemensam kartläggning", "form": "written"}))
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
        t.post(&partner, &part, &their_part).await.status(),
        StatusCode::NOT_FOUND
    );
    let consent = grant(json!(["participant", "assessment"])).await;
    // The partner rates its part; it cannot change the coach's answer.
    let r = t
        .post(&partner, &part, &json!({"scores": {item(0): 1}}))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = t.post(&partner, &part, &their_part).await;
    assert_eq!(r.status(), StatusCode::OK);
    let view: Value = r.json().await.unwrap();
    let by: Vec<&str> = view["contributors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["organisation"].as_str().unwrap())
        .collect();
    assert_eq!(by.len(), 2, "{view}");
    assert!(by.contains(&"Arbetsförmedlingen"));
    // A partner does not open the assessment to others, and the refusal is recorded as one.
    let other_org = t.org_id("Hässleholms kommun, Socialförvaltningen").await;
    assert_eq!(
        t.post(&partner, &open, &json!({"org_id": other_org}))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let events = t.audit_of(&pid).await;
    let tried = events
        .iter()
        .find(|e| {
            e["actor_role"] == "partner_staff"
                && e["detail"]
                    .as_str()
                    .is_some_and(|d| d.starts_with("open assessment"))
        })
        .expect("the partner's attempt");
    assert_eq!(tried["decision"], "denied");
    // The part was written on the consent's ground.
    let events = t.audit_of(&pid).await;
    assert!(events.iter().any(|e| e["actor_role"] == "partner_staff"
        && e["record_kind"] == "assessment"
        && e["action"] == "write"
        && e["ground"] == format!("consent:{consent}")));
    // Revoked: the next part is refused.
    t.post(
        &coach,
        &format!("/api/v1/consents/{consent}/revoke"),
        &json!({}),
    )
    .await;
    assert_eq!(
        t.post(&partner, &part, &json!({"scores": {item(2): 2}}))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_team_holds_a_conference_whose_decisions_become_plan_steps() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let partner = t.token(PARTNER).await;
    let af = t.org_id("Arbetsförmedlingen").await;
    let social = t.org_id("Hässleholms kommun, Socialförvaltningen").await;

    // A standing team with members from several organisations.
    let r = t
        .post(
            &coach,
            "/api/v1/teams",
            &json!({"name": " ", "org_ids": ["x"]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text().await.unwrap();
    assert!(
        text.contains("\"name\"") && text.contains("\"org_ids\""),
        "{text}"
    );
    let r = t
        .post(&coach, "/api/v1/teams", &json!({"name": "Samverkansteam Test", "org_ids": [af, social], "members": "Karin Lund, coach\nOla Berg, handläggare, Arbetsförmedlingen"}))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let team: Value = r.json().await.unwrap();
    assert_eq!(team["organisations"].as_array().unwrap().len(), 3);
    let tid = team["id"].as_str().unwrap().to_owned();
    let listed = |token: String| {
        let (t, tid) = (&t, tid.clone());
        async move {
            let r = t.get(&token, "/api/v1/teams").await;
            if r.status() != StatusCode::OK {
                return None;
            }
            let list: Vec<Value> = r.json().await.unwrap();
            Some(list.iter().any(|x| x["id"] == tid.as_str()))
        }
    };
    assert_eq!(
        listed(partner.clone()).await,
        Some(true),
        "a member organisation sees it"
    );
    assert_eq!(listed(t.token(OTHER_COACH).await).await, Some(false));
    assert_eq!(
        listed(t.token("handledare@demo.stegvis.se").await).await,
        None
    );

    let created: Value = t
        .register(&coach, "811218-9876", "Kon", "Ferens")
        .await
        .json()
        .await
        .unwrap();
    let pid = created["participant"]["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/participants/{pid}/conferences");
    let today = t.app.today();
    // Bad input: nothing saved, not even a plan step.
    let r = t
        .post(&coach, &path, &json!({"held_on": (today + time::Duration::days(1)).to_string(), "attendees": [], "minutes": "", "decisions": [{"step": "Boka möte", "owner": "staff"}]}))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text().await.unwrap();
    for f in ["held_on", "attendees", "minutes"] {
        assert!(text.contains(f), "{f}: {text}");
    }
    let plan = format!("/api/v1/participants/{pid}/plan");
    assert!(
        t.get(&coach, &plan)
            .await
            .json::<Vec<Value>>()
            .await
            .unwrap()
            .is_empty()
    );
    let r = t
        .post(&coach, &path, &json!({
            "held_on": today.to_string(),
            "team_id": tid,
            "attendees": ["Karin Lund, AME", "Ola Berg, Arbetsförmedlingen", "Deltagaren"],
            "minutes": "Deltagaren vill prova arbetsträning i lager.",
            "decisions": [
                {"step": "Kontakta lagret om arbetsträning", "owner": "staff", "due_on": (today + time::Duration::days(14)).to_string()},
                {"step": "Besöka lagret", "owner": "participant"},
                {"step": "", "owner": "staff"}
            ]
        }))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let conference: Value = r.json().await.unwrap();
    assert_eq!(conference["plan_step_ids"].as_array().unwrap().len(), 2);
    let steps: Vec<Value> = t.get(&coach, &plan).await.json().await.unwrap();
    assert_eq!(steps.len(), 2);
    assert!(
        steps
            .iter()
            .all(|s| s["goal"] == format!("Beslut på samverkansmöte {today}"))
    );
    assert!(
        steps
            .iter()
            .any(|s| s["owner"] == "participant" && s["step"] == "Besöka lagret")
    );

    // The employment service sees the meeting only under a consent that covers conferences.
    assert_eq!(t.get(&partner, &path).await.status(), StatusCode::NOT_FOUND);
    let r = t
        .post(&coach, &format!("/api/v1/participants/{pid}/consents"), &json!({"recipient_org_id": af, "kinds": ["conference"], "purpose": "Samverkan", "form": "oral"}))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let seen = t.get(&partner, &path).await;
    assert_eq!(seen.status(), StatusCode::OK);
    assert_eq!(
        seen.json::<Vec<Value>>().await.unwrap()[0]["minutes"],
        "Deltagaren vill prova arbetsträning i lager."
    );
    // ... and writes none.
    let r = t
        .post(
            &partner,
            &path,
            &json!({"held_on": today.to_string(), "attendees": ["x"], "minutes": "y"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
