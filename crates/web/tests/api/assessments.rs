//! Assessments (kartläggning) and distance travelled through the API.

use crate::support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use stegvis_domain::assessment::instruments::work_readiness;

#[tokio::test]
async fn two_assessments_give_distance_travelled_per_domain() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let created: Value = t
        .register(&coach, "811218-9876", "Kim", "Steg")
        .await
        .json()
        .await
        .unwrap();
    let pid = created["participant"]["id"].as_str().unwrap().to_owned();
    let wr = work_readiness();
    let (d0, d1) = (&wr.domains[0], &wr.domains[1]);
    // Domain 0: every item 2 → 4 (+2,0). Domain 1: first item 4 → 3 (−1,0), others unscored.
    let mut first = serde_json::Map::new();
    let mut later = serde_json::Map::new();
    for item in &d0.items {
        first.insert(item.key.clone(), json!(2));
        later.insert(item.key.clone(), json!(4));
    }
    first.insert(d1.items[0].key.clone(), json!(4));
    later.insert(d1.items[0].key.clone(), json!(3));
    let path = format!("/api/v1/participants/{pid}/assessments");
    assert_eq!(
        t.post(
            &coach,
            &path,
            &json!({"assessed_on": "2026-01-20", "rater": "self", "scores": first})
        )
        .await
        .status(),
        StatusCode::CREATED
    );
    assert_eq!(
        t.post(
            &coach,
            &path,
            &json!({"assessed_on": "2026-05-20", "rater": "self", "scores": later})
        )
        .await
        .status(),
        StatusCode::CREATED
    );
    let view: Value = t.get(&coach, &path).await.json().await.unwrap();
    assert_eq!(view["assessments"].as_array().unwrap().len(), 2);
    let distance = &view["distances"][0];
    assert_eq!(distance["rater"], "self");
    assert_eq!(
        (distance["from"].as_str(), distance["to"].as_str()),
        (Some("2026-01-20"), Some("2026-05-20"))
    );
    let by_key = |k: &str| {
        distance["domains"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["domain"] == k)
            .unwrap()
            .clone()
    };
    assert_eq!(by_key(&d0.key)["change_sv"], "+2,0");
    assert_eq!(by_key(&d1.key)["change_sv"], "−1,0");
    assert_eq!(by_key(&d1.key)["items_compared"], 1);
    assert!(
        by_key(&wr.domains[2].key)["change"].is_null(),
        "unscored domains are not comparable, not zero"
    );
    assert_eq!(distance["overall_en"], "+0.5");
}

#[tokio::test]
async fn invalid_scores_are_refused_naming_each_item_and_store_nothing() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let created: Value = t
        .register(&coach, "811218-9876", "Kim", "Steg")
        .await
        .json()
        .await
        .unwrap();
    let pid = created["participant"]["id"].as_str().unwrap().to_owned();
    let item = work_readiness().domains[0].items[0].key.clone();
    let path = format!("/api/v1/participants/{pid}/assessments");
    let r = t.post(&coach, &path, &json!({"assessed_on": "2099-01-01", "rater": "boss", "scores": {item.clone(): 9, "no_such_item": 3}})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().await.unwrap();
    let mut fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        vec!["assessed_on", "rater"],
        "rater unknown: scores cannot be checked yet"
    );
    let r = t.post(&coach, &path, &json!({"assessed_on": "2026-02-01", "rater": "staff", "scores": {item.clone(): 9, "no_such_item": 3}})).await;
    let problem: Value = r.json().await.unwrap();
    let mut fields: Vec<String> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect();
    fields.sort();
    let mut expected = vec![format!("scores.{item}"), "scores.no_such_item".to_owned()];
    expected.sort();
    assert_eq!(fields, expected, "each bad item is named");
    let early = t
        .post(
            &coach,
            &path,
            &json!({"assessed_on": "2026-01-14", "rater": "self", "scores": {item.clone(): 3}}),
        )
        .await;
    assert_eq!(
        early.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "before the first enrolment (2026-01-15)"
    );
    let view: Value = t.get(&coach, &path).await.json().await.unwrap();
    assert_eq!(view["assessments"], json!([]), "nothing stored");
}

#[tokio::test]
async fn the_demo_has_assessed_participants_with_distance() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let page: Value = t
        .get(&coach, "/api/v1/participants?limit=200")
        .await
        .json()
        .await
        .unwrap();
    let mut with_distance = 0;
    for p in page["items"].as_array().unwrap() {
        let view: Value = t
            .get(
                &coach,
                &format!(
                    "/api/v1/participants/{}/assessments",
                    p["id"].as_str().unwrap()
                ),
            )
            .await
            .json()
            .await
            .unwrap();
        with_distance += usize::from(!view["distances"].as_array().unwrap().is_empty());
    }
    assert!(
        with_distance > 0,
        "some demo participants were assessed twice"
    );
}

#[tokio::test]
async fn a_staff_assessment_is_completed_in_parts_each_recording_who_rated() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let colleague = t.token("coach2@demo.stegvis.se").await;
    let created: Value = t
        .register(&coach, "811218-9876", "Gun", "Gemensam")
        .await
        .json()
        .await
        .unwrap();
    let pid = created["participant"]["id"].as_str().unwrap().to_owned();
    let wr = work_readiness();
    let (a, b) = (&wr.domains[0].items[0].key, &wr.domains[1].items[0].key);
    let path = format!("/api/v1/participants/{pid}/assessments");
    let staff: Value = t
        .post(
            &coach,
            &path,
            &json!({"assessed_on": "2026-02-01", "rater": "staff", "scores": {a: 2}}),
        )
        .await
        .json()
        .await
        .unwrap();
    let parts = format!(
        "/api/v1/assessments/{}/parts",
        staff["id"].as_str().unwrap()
    );
    assert_eq!(staff["contributors"][0]["items"], json!([a]));

    // A colleague adds what they know; an item already rated, or off the scale, is refused.
    let r = t.post(&colleague, &parts, &json!({"scores": {b: 4}})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let joint: Value = r.json().await.unwrap();
    assert_eq!(joint["scores"], json!({a: 2, b: 4}));
    let contributors = joint["contributors"].as_array().unwrap();
    assert_eq!(contributors.len(), 1, "one organisation so far");
    assert_eq!(
        contributors[0]["organisation"],
        "Hässleholms kommun, Arbetsmarknadsenheten"
    );
    for (body, field) in [
        (json!({"scores": {a: 3}}), format!("scores.{a}")),
        (
            json!({"scores": {"no_such_item": 3}}),
            "scores.no_such_item".to_owned(),
        ),
        (
            json!({"scores": {wr.domains[2].items[0].key.clone(): 9}}),
            format!("scores.{}", wr.domains[2].items[0].key),
        ),
    ] {
        let r = t.post(&colleague, &parts, &body).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(r.text().await.unwrap().contains(&field), "{body}");
    }
    let after: Value = t.get(&coach, &path).await.json().await.unwrap();
    assert_eq!(after["assessments"][0]["scores"], json!({a: 2, b: 4}));

    // A self-rating is the participant's own; other organisations cannot add without consent.
    let own: Value = t
        .post(
            &coach,
            &path,
            &json!({"assessed_on": "2026-02-02", "rater": "self", "scores": {a: 3}}),
        )
        .await
        .json()
        .await
        .unwrap();
    let r = t
        .post(
            &coach,
            &format!("/api/v1/assessments/{}/parts", own["id"].as_str().unwrap()),
            &json!({"scores": {b: 1}}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    for who in [OTHER_COACH, PARTNER] {
        let token = t.token(who).await;
        let r = t
            .post(
                &token,
                &parts,
                &json!({"scores": {wr.domains[3].items[0].key.clone(): 3}}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{who}");
    }
}
