//! The coach's caseload through the API: who is on it, what it says needs doing, and moving a
//! participant between coaches.

use crate::support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn caseload(t: &TestApp, token: &str, unassigned: bool) -> Value {
    let r = t
        .get(token, &format!("/api/v1/caseload?unassigned={unassigned}"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

fn entry<'a>(c: &'a Value, participant_id: &str) -> Option<&'a Value> {
    c["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["participant_id"] == participant_id)
}

/// A participant without identity number, enrolled by `token` in `project` on 2026-01-15.
async fn enrolled(t: &TestApp, token: &str, project: &str, given: &str) -> Value {
    let project = t.project_id(token, project).await;
    let body = json!({"identity_mode": "none", "given_name": given, "family_name": "Karlsson", "gender": "woman", "project_id": project, "enrolled_on": "2026-01-15"});
    let r = t.post(token, "/api/v1/participants", &body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json().await.unwrap()
}

fn days_from_today(t: &TestApp, days: i64) -> String {
    (t.app.today() + time::Duration::days(days)).to_string()
}

#[tokio::test]
async fn the_caseload_shows_what_needs_doing_for_the_coachs_participants() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let created: Value = t
        .register(&coach, "811218-9876", "Kim", "Karlsson")
        .await
        .json()
        .await
        .unwrap();
    let pid = created["participant"]["id"].as_str().unwrap().to_owned();
    // Enrolled by a coach: that coach is responsible.
    assert!(created["enrolments"][0]["coach_id"].is_string());
    assert_eq!(created["enrolments"][0]["coach_name"], "Karin Lund");

    let c = caseload(&t, &coach, false).await;
    let e = entry(&c, &pid).expect("on the caseload");
    // The registration answered three baseline questions: the rest are missing.
    assert!(e["missing_answers"].as_u64().unwrap() > 0);
    assert!(e["next_step"].is_null());
    // Enrolled in January and no attendance since: a quiet participant worth a call.
    assert_eq!(e["quiet"], true);
    assert_eq!(e["recent_minutes"], 0);
    let quiet_before = c["quiet"].as_u64().unwrap();
    let overdue_before = c["with_overdue_steps"].as_u64().unwrap();

    // An overdue plan step and two and a half hours this week.
    let r = t
        .post(
            &coach,
            &format!("/api/v1/participants/{pid}/plan"),
            &json!({"goal": "Arbete", "step": "Skriv CV", "owner": "participant", "due_on": days_from_today(&t, -3)}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let project = t.project_id(&coach, "En väg in").await;
    let act: Value = t
        .post(
            &coach,
            &format!("/api/v1/projects/{project}/activities"),
            &json!({"kind": "group_session", "name": "Caseloadgrupp"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let yesterday = days_from_today(&t, -1);
    let r = t
        .post(
            &coach,
            &format!(
                "/api/v1/activities/{}/attendance",
                act["id"].as_str().unwrap()
            ),
            &json!({"date": yesterday, "entries": [{"participant_id": pid, "hours": "2,5"}]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);

    let c = caseload(&t, &coach, false).await;
    let e = entry(&c, &pid).unwrap();
    assert_eq!(e["next_step"], "Skriv CV");
    assert_eq!(e["next_step_overdue"], true);
    assert_eq!(e["recent_minutes"], 150);
    assert_eq!(e["last_attended"], yesterday.as_str());
    assert_eq!(e["quiet"], false);
    assert_eq!(c["quiet"].as_u64().unwrap(), quiet_before - 1);
    assert_eq!(
        c["with_overdue_steps"].as_u64().unwrap(),
        overdue_before + 1
    );

    // Another organisation's coach never sees them, on either list.
    let other = t.token(OTHER_COACH).await;
    assert!(entry(&caseload(&t, &other, false).await, &pid).is_none());
    assert!(entry(&caseload(&t, &other, true).await, &pid).is_none());
    // Roles without a caseload are refused.
    for who in [AUDITOR, PARTICIPANT, PARTNER] {
        let token = t.token(who).await;
        let r = t.get(&token, "/api/v1/caseload").await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{who}");
    }
}

#[tokio::test]
async fn a_participant_moves_between_coaches_and_a_bad_coach_changes_nothing() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let created: Value = t
        .register(&coach, "811218-9876", "Kim", "Karlsson")
        .await
        .json()
        .await
        .unwrap();
    let pid = created["participant"]["id"].as_str().unwrap().to_owned();
    let eid = created["enrolments"][0]["id"].as_str().unwrap().to_owned();
    let my_id = created["enrolments"][0]["coach_id"]
        .as_str()
        .unwrap()
        .to_owned();

    // A coach of another organisation cannot be made responsible: 422, nothing changed.
    let other = t.token(OTHER_COACH).await;
    let theirs = enrolled(&t, &other, "JagKan", "Lo").await;
    let their_coach = theirs["enrolments"][0]["coach_id"].as_str().unwrap();
    for bad in [their_coach, "not-a-user", &pid] {
        let r = t
            .patch(
                &coach,
                &format!("/api/v1/enrolments/{eid}"),
                &json!({"coach_id": bad}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let problem: Value = r.json().await.unwrap();
        assert!(problem.to_string().contains("coach_id"), "{problem}");
    }
    let now: Value = t
        .get(&coach, &format!("/api/v1/enrolments/{eid}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(now["coach_id"], my_id.as_str());
    assert_eq!(now["corrections"], 0);

    // Removing the coach moves them to the organisation's unassigned list; other edits keep it.
    let r = t
        .patch(
            &coach,
            &format!("/api/v1/enrolments/{eid}"),
            &json!({"coach_id": ""}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(entry(&caseload(&t, &coach, false).await, &pid).is_none());
    assert!(entry(&caseload(&t, &coach, true).await, &pid).is_some());
    let r = t
        .patch(
            &coach,
            &format!("/api/v1/enrolments/{eid}"),
            &json!({"coach_id": my_id}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = t
        .patch(
            &coach,
            &format!("/api/v1/enrolments/{eid}"),
            &json!({"baseline": {"isced_level": 3}}),
        )
        .await;
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["coach_id"], my_id.as_str());
    assert!(entry(&caseload(&t, &coach, false).await, &pid).is_some());
    assert!(entry(&caseload(&t, &coach, true).await, &pid).is_none());
}

#[tokio::test]
async fn a_participant_who_left_stays_while_a_follow_up_is_due() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let mut ids = Vec::new();
    // Left 20 days ago (4-week follow-up due in 8 days), 40 days ago (overdue by 12),
    // and 60 days ago with the follow-up done (nothing due for another month).
    for (n, days) in [(0, 20), (1, 40), (2, 60)] {
        let created = enrolled(&t, &coach, "En väg in", &format!("Avslut{n}")).await;
        let eid = created["enrolments"][0]["id"].as_str().unwrap().to_owned();
        let pid = created["participant"]["id"].as_str().unwrap().to_owned();
        let r = t
            .post(
                &coach,
                &format!("/api/v1/enrolments/{eid}/exit"),
                &json!({"exited_on": days_from_today(&t, -days), "exit_status": "work"}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        ids.push(pid);
    }
    let list: Vec<Value> = t
        .get(
            &coach,
            &format!("/api/v1/participants/{}/follow-ups", ids[2]),
        )
        .await
        .json()
        .await
        .unwrap();
    let first = list
        .iter()
        .find(|f| f["kind"] == "immediate_result")
        .unwrap();
    let r = t
        .post(
            &coach,
            &format!("/api/v1/follow-ups/{}", first["id"].as_str().unwrap()),
            &json!({"done_on": days_from_today(&t, -1), "job_searching": false, "in_education": false, "gained_qualification": false, "employed": true}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);

    let c = caseload(&t, &coach, false).await;
    let soon = entry(&c, &ids[0]).expect("follow-up due within two weeks");
    assert_eq!(soon["overdue_follow_ups"], 0);
    assert_eq!(soon["next_follow_up"], days_from_today(&t, 8).as_str());
    assert_eq!(
        soon["quiet"], false,
        "those who left are not chased for attendance"
    );
    let late = entry(&c, &ids[1]).expect("overdue follow-up");
    assert_eq!(late["overdue_follow_ups"], 1);
    assert!(entry(&c, &ids[2]).is_none(), "nothing due for a month");
}
