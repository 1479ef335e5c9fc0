//! The co-written plan through the API.

use crate::support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn coach_writes_a_plan_where_the_participant_owns_a_step_and_the_participant_co_writes() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let me = t.token(PARTICIPANT).await;
    let mine: Value = t
        .get(&me, "/api/v1/participants")
        .await
        .json()
        .await
        .unwrap();
    let pid = mine["items"][0]["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/participants/{pid}/plan");
    // The demo already wrote a plan for them; the steps below come on top.
    let demo_steps = t
        .get(&me, &path)
        .await
        .json::<Vec<Value>>()
        .await
        .unwrap()
        .len();

    let bad = t
        .post(
            &coach,
            &path,
            &json!({"goal": " ", "step": "x", "owner": "boss", "due_on": "31/12"}),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = bad.json().await.unwrap();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["goal", "owner", "due_on"]);

    let r = t.post(&coach, &path, &json!({"goal": "Arbete inom handel", "step": "Besöka två butiker", "owner": "participant", "due_on": "2026-12-15", "staff_note": "Behöver stöd med resor"})).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let step: Value = r.json().await.unwrap();
    assert_eq!(step["owner"], "participant");
    let sid = step["id"].as_str().unwrap().to_owned();
    let staff_step: Value = t.post(&coach, &path, &json!({"goal": "Arbete inom handel", "step": "Kontakta arbetsgivare", "owner": "staff"})).await.json().await.unwrap();

    // The participant reads the plan without staff notes, writes in their own words and moves
    // their own step along; staff fields and staff-owned steps stay out of reach.
    let seen: Vec<Value> = t.get(&me, &path).await.json().await.unwrap();
    assert_eq!(seen.len(), demo_steps + 2);
    assert!(
        seen.iter().all(|s| s["staff_note"].is_null()),
        "staff notes are not shown to the participant"
    );
    let own = t
        .patch(
            &me,
            &format!("/api/v1/plan-steps/{sid}"),
            &json!({"participant_words": "Jag vill börja med Lidl", "status": "in_progress"}),
        )
        .await;
    assert_eq!(own.status(), StatusCode::OK);
    let own: Value = own.json().await.unwrap();
    assert_eq!(
        (own["status"].as_str(), own["changes"].as_i64()),
        (Some("in_progress"), Some(1))
    );
    // Their step's history shows what it said before, never the staff note.
    let detail: Value = t
        .get(&me, &format!("/api/v1/plan-steps/{sid}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["history"][0]["step"], "Besöka två butiker");
    assert!(detail["history"][0]["staff_note"].is_null());
    assert!(detail["step"]["staff_note"].is_null());
    let denied = t
        .patch(
            &me,
            &format!("/api/v1/plan-steps/{sid}"),
            &json!({"staff_note": "x"}),
        )
        .await;
    assert_eq!(denied.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let not_theirs = t
        .patch(
            &me,
            &format!("/api/v1/plan-steps/{}", staff_step["id"].as_str().unwrap()),
            &json!({"status": "done"}),
        )
        .await;
    assert_eq!(not_theirs.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let added: Value = t.post(&me, &path, &json!({"goal": "Hälsa", "step": "Promenera varje dag", "owner": "staff", "staff_note": "x"})).await.json().await.unwrap();
    assert_eq!(added["owner"], "participant", "a participant's own step");

    // Staff still see their note, and the participant's words.
    let staff_view: Vec<Value> = t.get(&coach, &path).await.json().await.unwrap();
    let s = staff_view.iter().find(|s| s["id"] == sid.as_str()).unwrap();
    assert_eq!(s["staff_note"], "Behöver stöd med resor");
    assert_eq!(s["participant_words"], "Jag vill börja med Lidl");
    // Another organisation cannot read it.
    let other = t.token(OTHER_COACH).await;
    assert_eq!(t.get(&other, &path).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_change_to_a_step_is_kept_and_a_stale_change_is_refused() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let created: Value = t
        .register(&coach, "811218-9876", "Vera", "Versionsson")
        .await
        .json()
        .await
        .unwrap();
    let pid = created["participant"]["id"].as_str().unwrap().to_owned();
    let step: Value = t
        .post(
            &coach,
            &format!("/api/v1/participants/{pid}/plan"),
            &json!({"goal": "Arbete", "step": "Skriv CV", "owner": "participant", "staff_note": "Hemligt"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let url = format!("/api/v1/plan-steps/{}", step["id"].as_str().unwrap());
    let v1 = step["version"].as_i64().unwrap();

    let r = t
        .patch(
            &coach,
            &url,
            &json!({"step": "Skriv CV och personligt brev", "version": v1}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    // A change made from the first version, after the second exists: 409, nothing changed.
    let stale = t
        .patch(&coach, &url, &json!({"status": "done", "version": v1}))
        .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let r = t.patch(&coach, &url, &json!({"status": "done"})).await;
    assert_eq!(r.status(), StatusCode::OK);

    let detail: Value = t.get(&coach, &url).await.json().await.unwrap();
    assert_eq!(detail["step"]["status"], "done");
    assert_eq!(detail["step"]["changes"], 2);
    let history = detail["history"].as_array().unwrap();
    // Newest first: before the status change, then the original.
    assert_eq!(history.len(), 2);
    assert_eq!(
        (history[0]["step"].as_str(), history[0]["status"].as_str()),
        (Some("Skriv CV och personligt brev"), Some("planned"))
    );
    assert_eq!(history[1]["step"], "Skriv CV");
    assert_eq!(history[1]["changed_by"], "Karin Lund");
    assert_eq!(history[1]["staff_note"], "Hemligt");
    // Another organisation gets 404 for the step and its history.
    let other = t.token(OTHER_COACH).await;
    assert_eq!(t.get(&other, &url).await.status(), StatusCode::NOT_FOUND);
}
