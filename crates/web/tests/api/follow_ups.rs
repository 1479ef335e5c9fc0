//! Follow-ups after exit through the API: planned at exit, listed when due, recorded once.

use crate::support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn exited(t: &TestApp, coach: &str, days_ago: i64) -> (String, String) {
    let created: Value = t
        .register(coach, "811218-9876", "Ulla", "Uppfölj")
        .await
        .json()
        .await
        .unwrap();
    let pid = created["participant"]["id"].as_str().unwrap().to_owned();
    let eid = created["enrolments"][0]["id"].as_str().unwrap().to_owned();
    let exit_on = (t.app.today() - time::Duration::days(days_ago)).to_string();
    let r = t
        .post(
            coach,
            &format!("/api/v1/enrolments/{eid}/exit"),
            &json!({"exited_on": exit_on, "exit_status": "job_seeking"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    (pid, exit_on)
}

#[tokio::test]
async fn an_exit_plans_follow_ups_at_4_weeks_90_and_180_days() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let (pid, exit_on) = exited(&t, &coach, 20).await;
    let list: Vec<Value> = t
        .get(&coach, &format!("/api/v1/participants/{pid}/follow-ups"))
        .await
        .json()
        .await
        .unwrap();
    let exit = time::Date::parse(
        &exit_on,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .unwrap();
    let due = |kind: &str| {
        list.iter().find(|f| f["kind"] == kind).unwrap()["due_on"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(
        due("immediate_result"),
        (exit + time::Duration::days(28)).to_string()
    );
    assert_eq!(due("day_90"), (exit + time::Duration::days(90)).to_string());
    assert_eq!(
        due("day_180"),
        (exit + time::Duration::days(180)).to_string()
    );

    // The coach's list: the immediate result is due within two weeks, the 90-day one later.
    let soon: Vec<Value> = t
        .get(&coach, "/api/v1/follow-ups")
        .await
        .json()
        .await
        .unwrap();
    let mine: Vec<&Value> = soon
        .iter()
        .filter(|f| f["participant_id"] == pid.as_str())
        .collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["kind"], "immediate_result");
    let later: Vec<Value> = t
        .get(&coach, "/api/v1/follow-ups?within_days=90")
        .await
        .json()
        .await
        .unwrap();
    assert!(
        later
            .iter()
            .any(|f| f["participant_id"] == pid.as_str() && f["kind"] == "day_90"),
        "found 90 days later"
    );
}

#[tokio::test]
async fn a_follow_up_is_recorded_once_with_its_required_answers() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let (pid, exit_on) = exited(&t, &coach, 20).await;
    let list: Vec<Value> = t
        .get(&coach, &format!("/api/v1/participants/{pid}/follow-ups"))
        .await
        .json()
        .await
        .unwrap();
    let id = |kind: &str| {
        list.iter().find(|f| f["kind"] == kind).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let path = format!("/api/v1/follow-ups/{}", id("immediate_result"));
    let r = t
        .post(
            &coach,
            &path,
            &json!({"done_on": exit_on, "employed": true}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().await.unwrap();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        vec!["job_searching", "in_education", "gained_qualification"]
    );
    let body = json!({"done_on": exit_on, "job_searching": true, "in_education": false, "gained_qualification": false, "employed": false});
    let ok = t.post(&coach, &path, &body).await;
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(ok.json::<Value>().await.unwrap()["job_searching"], true);
    assert_eq!(
        t.post(&coach, &path, &body).await.status(),
        StatusCode::CONFLICT,
        "recorded once"
    );
    let soon: Vec<Value> = t
        .get(&coach, "/api/v1/follow-ups")
        .await
        .json()
        .await
        .unwrap();
    assert!(
        !soon.iter().any(|f| f["participant_id"] == pid.as_str()),
        "done follow-ups leave the list"
    );

    // Improved situation applies only to people employed at entry (this one was unemployed).
    let six = format!("/api/v1/follow-ups/{}", id("day_180"));
    let r = t.post(&coach, &six, &json!({"done_on": t.app.today().to_string(), "employed": true, "improved_situation": true})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let other = t.token(OTHER_COACH).await;
    assert_eq!(
        t.post(&other, &six, &json!({"done_on": exit_on, "employed": true}))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}
