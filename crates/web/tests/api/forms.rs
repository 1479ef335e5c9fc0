//! The HTML forms over real HTTP with a session: what a person sees after a conflict, and the
//! defaults the forms open with.

use crate::support::*;
use reqwest::StatusCode;
use reqwest::header::{COOKIE, SET_COOKIE};
use serde_json::{Value, json};

pub(crate) async fn web_login(t: &TestApp, email: &str) -> String {
    web_login_with(t, email, PASSWORD).await
}

/// Logs in over the login form with `password`; the session cookie's `name=value`.
pub(crate) async fn web_login_with(t: &TestApp, email: &str, password: &str) -> String {
    let r = t
        .http
        .post(format!("{}/login", t.base))
        .form(&[
            ("email", email),
            ("password", password),
            ("next", "/projects"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let h = r.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    h.split(';').next().unwrap().to_owned()
}

pub(crate) fn hidden(html: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let start = html.find(&key).unwrap_or_else(|| panic!("{name} in form")) + key.len();
    html[start..].split('"').next().unwrap().to_owned()
}

pub(crate) async fn get_page(t: &TestApp, path: &str, cookie: &str) -> reqwest::Response {
    t.http
        .get(format!("{}{path}", t.base))
        .header(COOKIE, cookie)
        .send()
        .await
        .unwrap()
}

pub(crate) async fn post_form(
    t: &TestApp,
    path: &str,
    cookie: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    t.http
        .post(format!("{}{path}", t.base))
        .header(COOKIE, cookie)
        .form(form)
        .send()
        .await
        .unwrap()
}

/// After a 409 the edit form must let the user save again (it should carry the new version).
#[tokio::test]
async fn the_plan_step_form_can_be_saved_again_after_a_conflict() {
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
            &json!({"goal": "Arbete", "step": "Skriv CV", "owner": "participant"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let sid = step["id"].as_str().unwrap().to_owned();
    let edit = format!("/plan-steps/{sid}/edit");

    let cookie = web_login(&t, COACH).await;
    let html = get_page(&t, &edit, &cookie).await.text().await.unwrap();
    let csrf = hidden(&html, "csrf");
    let v1 = hidden(&html, "version");

    // Someone else changes the step meanwhile.
    let r = t
        .patch(
            &coach,
            &format!("/api/v1/plan-steps/{sid}"),
            &json!({"status": "in_progress"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);

    let form = |version: String| {
        vec![
            ("csrf".to_owned(), csrf.clone()),
            ("version".to_owned(), version),
            ("goal".to_owned(), "Arbete".to_owned()),
            ("step".to_owned(), "Skriv CV och brev".to_owned()),
            ("due_on".to_owned(), String::new()),
            ("participant_words".to_owned(), String::new()),
            ("staff_note".to_owned(), String::new()),
            ("status".to_owned(), "planned".to_owned()),
            ("owner".to_owned(), "participant".to_owned()),
        ]
    };
    let f1 = form(v1.clone());
    let f1: Vec<(&str, &str)> = f1.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let r = post_form(&t, &edit, &cookie, &f1).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let html = r.text().await.unwrap();
    let v_again = hidden(&html, "version");
    // The user read the message and saves again from the re-rendered form.
    let f2 = form(v_again.clone());
    let f2: Vec<(&str, &str)> = f2.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let r = post_form(&t, &edit, &cookie, &f2).await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "the re-rendered form still carries version {v_again} (read {v1}); every retry is 409"
    );
}

/// A baseline correction from a form opened before the participant moved to another coach must
/// not move them back: 409, the reassignment kept, and the form again with the current version.
#[tokio::test]
async fn a_stale_enrolment_form_cannot_undo_a_coach_reassignment() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let colleague = t.token("coach2@demo.stegvis.se").await;
    let created: Value = t
        .register(&coach, "811218-9876", "Kim", "Karlsson")
        .await
        .json()
        .await
        .unwrap();
    let eid = created["enrolments"][0]["id"].as_str().unwrap().to_owned();
    let karin = created["enrolments"][0]["coach_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let other: Value = t
        .register(&colleague, "850709-9805", "Lo", "Larsson")
        .await
        .json()
        .await
        .unwrap();
    let ahmed = other["enrolments"][0]["coach_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(karin, ahmed);

    let cookie = web_login(&t, COACH).await;
    let html = get_page(&t, &format!("/enrolments/{eid}/edit"), &cookie)
        .await
        .text()
        .await
        .unwrap();
    let csrf = hidden(&html, "csrf");
    let version = hidden(&html, "version");
    let enrolled_on = {
        let k = "type=\"date\" value=\"";
        let i = html.find(k).expect("date") + k.len();
        html[i..].split('"').next().unwrap().to_owned()
    };
    assert!(
        html.contains(&format!("value=\"{karin}\" selected")),
        "form shows Karin"
    );

    // Meanwhile the participant is moved to Ahmed.
    let r = t
        .patch(
            &coach,
            &format!("/api/v1/enrolments/{eid}"),
            &json!({"coach_id": ahmed}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);

    // Karin saves an unrelated baseline correction from the form she opened before.
    let form = |version: String| {
        vec![
            ("csrf".to_owned(), csrf.clone()),
            ("version".to_owned(), version),
            ("enrolled_on".to_owned(), enrolled_on.clone()),
            ("coach_id".to_owned(), karin.clone()),
            ("baseline.isced_level".to_owned(), "3".to_owned()),
        ]
    };
    let as_refs = |f: &[(String, String)]| -> Vec<(String, String)> { f.to_vec() };
    let first = as_refs(&form(version.clone()));
    let first: Vec<(&str, &str)> = first
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let r = post_form(&t, &format!("/enrolments/{eid}/edit"), &cookie, &first).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let html = r.text().await.unwrap();
    assert!(html.contains("error-summary"), "the conflict is explained");
    let now: Value = t
        .get(&coach, &format!("/api/v1/enrolments/{eid}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(now["coach_id"], ahmed.as_str(), "the reassignment is kept");
    assert_eq!(
        now["baseline"]["isced_level"],
        Value::Null,
        "nothing of the stale form saved"
    );
    // Having read the note, she saves again on purpose: now it goes through.
    let again = form(hidden(&html, "version"));
    let again: Vec<(&str, &str)> = again
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let r = post_form(&t, &format!("/enrolments/{eid}/edit"), &cookie, &again).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

/// An activity whose schedule ended long ago opens its attendance form on that old day.
#[tokio::test]
async fn an_ended_schedule_does_not_send_the_attendance_form_back_in_time() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let project = t.project_id(&coach, "En väg in").await;
    let act: Value = t
        .post(
            &coach,
            &format!("/api/v1/projects/{project}/activities"),
            &json!({"kind": "group_session", "name": "Gammal grupp"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let act = act["id"].as_str().unwrap().to_owned();
    let r = t
        .post(&coach, &format!("/api/v1/activities/{act}/schedules"), &json!({"weekday": "2", "starts_at": "09:00", "hours": "3", "valid_from": "2025-01-01", "valid_to": "2025-03-31"}))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let cookie = web_login(&t, COACH).await;
    let html = get_page(&t, &format!("/activities/{act}/attendance"), &cookie)
        .await
        .text()
        .await
        .unwrap();
    let today = t.app.today().to_string();
    let k = "type=\"date\" value=\"";
    let shown = html
        .find(k)
        .map(|i| html[i + k.len()..].split('"').next().unwrap().to_owned());
    assert_eq!(
        shown.as_deref(),
        Some(today.as_str()),
        "the form opens on an old session day"
    );
}
