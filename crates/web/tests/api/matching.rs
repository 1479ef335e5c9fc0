//! Norm-critical matching through the API: reasons for every rank, and scores that do not move
//! when gender, birth year or country of birth do.

use crate::support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn enrol(t: &TestApp, token: &str, body: Value) -> String {
    let r = t.post(token, "/api/v1/participants", &body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    v["participant"]["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_score_ignores_gender_birth_year_and_country_of_birth_and_explains_each_rank() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let project = t.project_id(&coach, "En väg in").await;
    let employer: Value = t
        .post(
            &coach,
            "/api/v1/employers",
            &json!({"name": "Matchbutiken AB", "kind": "employer", "workplace": {"name": "Torget", "municipality_code": "1293"}}),
        )
        .await
        .json()
        .await
        .unwrap();
    let workplace = employer["workplaces"][0]["id"].as_str().unwrap().to_owned();
    let mut openings = Vec::new();
    for (title, ssyk, hours) in [
        ("Kassa", "5230", 30),
        ("Butik", "5222", 20),
        ("Städ", "9111", 20),
    ] {
        let o: Value = t
            .post(
                &coach,
                &format!("/api/v1/workplaces/{workplace}/openings"),
                &json!({"title": title, "kind": "work_practice", "ssyk_code": ssyk, "hours_per_week": hours}),
            )
            .await
            .json()
            .await
            .unwrap();
        openings.push(o["id"].as_str().unwrap().to_owned());
    }
    // Two people who differ in gender, birth year and country of birth only.
    let a = enrol(
        &t,
        &coach,
        json!({"identity_number": "811218-9876", "given_name": "Alva", "family_name": "Ett", "gender": "woman", "project_id": project, "enrolled_on": "2026-01-15", "baseline": {"born_abroad": "no"}}),
    )
    .await;
    let b = enrol(
        &t,
        &coach,
        json!({"identity_number": "701063-2391", "given_name": "Bilal", "family_name": "Två", "gender": "man", "project_id": project, "enrolled_on": "2026-01-15", "baseline": {"born_abroad": "yes"}}),
    )
    .await;
    let profile = json!({"wanted": ["5222"], "experience": ["5223"], "hours_per_week": 20, "municipality_code": "1293", "can_travel": false});
    for p in [&a, &b] {
        let r = t
            .put(
                &coach,
                &format!("/api/v1/participants/{p}/job-profile"),
                &profile,
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    let matches = |p: String| {
        let (t, coach) = (&t, coach.clone());
        async move {
            t.get(&coach, &format!("/api/v1/participants/{p}/matches"))
                .await
                .json::<Vec<Value>>()
                .await
                .unwrap()
        }
    };
    let (ma, mb) = (matches(a.clone()).await, matches(b.clone()).await);
    assert_eq!(ma, mb, "same job facts, same ranks and reasons");
    // Best first, each point explained: Butik is wanted, with fitting hours, in the home town.
    let ours: Vec<&Value> = ma
        .iter()
        .filter(|m| m["employer"] == "Matchbutiken AB")
        .collect();
    assert_eq!(ours[0]["title"], "Butik");
    assert_eq!(ours[0]["points"], 40 + 20 + 20 + 10);
    let reasons: u64 = ours[0]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["points"].as_u64().unwrap())
        .sum();
    assert_eq!(
        reasons,
        ours[0]["points"].as_u64().unwrap(),
        "the reasons add up"
    );
    assert!(
        ours[0]["reasons"][0]["sv"]
            .as_str()
            .unwrap()
            .contains("yrket")
    );

    // For the opening: both ranked alike, and the fairness report counts each gender.
    let c: Value = t
        .get(
            &coach,
            &format!("/api/v1/openings/{}/candidates", openings[1]),
        )
        .await
        .json()
        .await
        .unwrap();
    let pts: Vec<&Value> = c["matches"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["participant_id"] == a.as_str() || m["participant_id"] == b.as_str())
        .map(|m| &m["points"])
        .collect();
    assert_eq!(pts.len(), 2);
    assert_eq!(pts[0], pts[1]);
    assert!(c["candidates"]["women"].as_u64().unwrap() >= 1);
    assert!(c["candidates"]["men"].as_u64().unwrap() >= 1);
    assert!(
        c["recommended"]["women"].as_u64().unwrap() + c["recommended"]["men"].as_u64().unwrap()
            >= 2
    );

    // Bad profiles change nothing; others get 404.
    for (body, field) in [
        (json!({"wanted": ["12"]}), "wanted"),
        (json!({"municipality_code": "9999"}), "municipality_code"),
        (json!({"hours_per_week": 0}), "hours_per_week"),
    ] {
        let r = t
            .put(
                &coach,
                &format!("/api/v1/participants/{a}/job-profile"),
                &body,
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(r.text().await.unwrap().contains(field));
    }
    let kept: Value = t
        .get(&coach, &format!("/api/v1/participants/{a}/job-profile"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(kept["wanted"], json!(["5222"]));
    let other = t.token(OTHER_COACH).await;
    assert_eq!(
        t.get(&other, &format!("/api/v1/participants/{a}/matches"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let theirs: Value = t
        .get(
            &other,
            &format!("/api/v1/openings/{}/candidates", openings[1]),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        theirs["matches"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["participant_id"] != a.as_str() && m["participant_id"] != b.as_str()),
        "another organisation's candidates are their own"
    );
}

#[tokio::test]
async fn swedish_and_adaptations_enter_the_match_as_conditions() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let employer: Value = t
        .post(
            &coach,
            "/api/v1/employers",
            &json!({"name": "Villkor AB", "kind": "employer", "workplace": {"name": "Lagret", "municipality_code": "0180"}}),
        )
        .await
        .json()
        .await
        .unwrap();
    let workplace = employer["workplaces"][0]["id"].as_str().unwrap().to_owned();
    let url = format!("/api/v1/workplaces/{workplace}/openings");
    let bad = t
        .post(&coach, &url, &json!({"title": "Lager", "kind": "work_trial", "min_swedish": "perfect", "can_adapt": ["jetpack"]}))
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = bad.text().await.unwrap();
    assert!(
        text.contains("min_swedish") && text.contains("can_adapt"),
        "{text}"
    );
    let r = t
        .post(
            &coach,
            &url,
            &json!({"title": "Lager", "kind": "work_trial", "ssyk_code": "4322", "min_swedish": "basic", "can_adapt": ["quiet_place", "no_heavy_lifting"]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let pid = enrol(
        &t,
        &coach,
        json!({"identity_mode": "none", "given_name": "Vera", "family_name": "Villkor", "gender": "woman", "project_id": t.project_id(&coach, "En väg in").await, "enrolled_on": "2026-01-15"}),
    )
    .await;
    let profile = format!("/api/v1/participants/{pid}/job-profile");
    let r = t
        .put(
            &coach,
            &profile,
            &json!({"wanted": ["4322"], "swedish": "none-at-all", "needs": ["quiet_place"]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .put(
            &coach,
            &profile,
            &json!({"wanted": ["4322"], "swedish": "good", "needs": ["quiet_place"]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let m: Vec<Value> = t
        .get(&coach, &format!("/api/v1/participants/{pid}/matches"))
        .await
        .json()
        .await
        .unwrap();
    let lager = m
        .iter()
        .find(|x| x["employer"] == "Villkor AB")
        .expect("the opening");
    let reasons: Vec<&str> = lager["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["sv"].as_str().unwrap())
        .collect();
    // Wanted occupation and enough Swedish score; the met need explains but never scores.
    assert_eq!(lager["points"], 40 + 10, "{reasons:?}");
    assert!(
        reasons.iter().any(|r| r.contains("svenska räcker")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.contains("alla anpassningar")),
        "{reasons:?}"
    );
}
