//! Reminders: the agreement through the API (validation, who may read and set it), and the job
//! in process with recording providers (planning, sending once, withdrawal, claims).

use crate::support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use stegvis_app::reminders::{
    LogSms, Mailer, ReminderConfig, SendError, SmsProvider, TickReport, mask_number,
};
use uuid::Uuid;

type Sent = Arc<Mutex<Vec<(String, String, String)>>>;

/// Keeps what would have been sent.
#[derive(Default, Clone)]
struct Recorder(Sent);

impl Mailer for Recorder {
    fn send<'a>(
        &'a self,
        to: &'a str,
        subject: &'a str,
        body: &'a str,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), SendError>> + Send + 'a>>
    {
        Box::pin(async move {
            self.0
                .lock()
                .unwrap()
                .push((to.to_owned(), subject.to_owned(), body.to_owned()));
            Ok(())
        })
    }
}

impl SmsProvider for Recorder {
    fn send<'a>(
        &'a self,
        to: &'a str,
        text: &'a str,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), SendError>> + Send + 'a>>
    {
        Box::pin(async move {
            self.0
                .lock()
                .unwrap()
                .push((to.to_owned(), "sms".into(), text.to_owned()));
            Ok(())
        })
    }
}

fn config(rec: &Recorder, sending: bool) -> ReminderConfig {
    ReminderConfig {
        mailer: Some(Arc::new(rec.clone())),
        sms: Some(Arc::new(rec.clone())),
        interval: std::time::Duration::from_secs(1),
        public_url: None,
        // Outside these hours the job plans but does not send.
        hours: if sending { (0, 24) } else { (0, 1) },
    }
}

/// A participant of the coach's organisation with an activity occasion tomorrow at 09:00
/// whose name must never reach a reminder.
async fn participant_with_an_occasion(t: &TestApp, coach: &str, identity: &str) -> String {
    let r = t.register(coach, identity, "Påmin", "Mig").await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: Value = r.json().await.unwrap();
    let pid = created["participant"]["id"].as_str().unwrap().to_owned();
    let project = t.project_id(coach, "En väg in").await;
    let r = t
        .post(
            coach,
            &format!("/api/v1/projects/{project}/activities"),
            &json!({"kind": "guidance", "name": format!("Hemlig vägledning {identity}")}),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "{}",
        r.text().await.unwrap()
    );
    let activity: Value = r.json().await.unwrap();
    let tomorrow = t.app.today().next_day().unwrap();
    let r = t
        .post(
            coach,
            &format!(
                "/api/v1/activities/{}/schedules",
                activity["id"].as_str().unwrap()
            ),
            &json!({
                "weekday": tomorrow.weekday().number_from_monday().to_string(),
                "starts_at": "09:00", "hours": "1", "valid_from": "2026-01-15"
            }),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "{}",
        r.text().await.unwrap()
    );
    pid
}

#[tokio::test]
async fn bad_input_is_refused_at_its_field_and_changes_nothing() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let r = t.register(&coach, "811218-9876", "Val", "Idering").await;
    let pid = r.json::<Value>().await.unwrap()["participant"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/participants/{pid}/reminders");
    for (body, field, sv) in [
        (
            json!({"agreed": true, "email": "inte en adress", "language": "sv"}),
            "email",
            "Skriv en e-postadress",
        ),
        (
            json!({"agreed": true, "phone": "08-123 456 78", "language": "sv"}),
            "phone",
            "svenskt mobilnummer",
        ),
        (
            json!({"agreed": true, "email": "a@example.se", "language": "de"}),
            "language",
            "Välj språk",
        ),
        (
            json!({"agreed": true, "language": "sv"}),
            "email",
            "e-postadress eller ett mobilnummer",
        ),
        // Refused when withdrawing too: bad input is never quietly dropped.
        (
            json!({"agreed": false, "phone": "0".repeat(41), "language": "sv"}),
            "phone",
            "högst 40 tecken",
        ),
        (
            json!({"agreed": false, "email": "inte en adress", "language": "sv"}),
            "email",
            "Skriv en e-postadress",
        ),
    ] {
        let r = t.put(&coach, &path, &body).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let text = r.text().await.unwrap();
        assert!(text.contains(field) && text.contains(sv), "{body}: {text}");
    }
    let now: Value = t.get(&coach, &path).await.json().await.unwrap();
    assert_eq!(now["version"], 0, "nothing stored: {now}");
    assert_eq!(now["agreed"], false);

    // English errors for an English caller.
    let r = t
        .http
        .put(format!("{}{path}", t.base))
        .bearer_auth(&coach)
        .header("accept-language", "en")
        .json(&json!({"agreed": true, "phone": "12345", "language": "sv"}))
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("Swedish mobile number"));

    let ok: Value = t
        .put(&coach, &path, &json!({"agreed": true, "email": " val@example.se ", "phone": "070-123 45 67", "language": "so", "version": 0}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ok["email"], "val@example.se");
    assert_eq!(ok["phone"], "+46701234567");
    assert_eq!(ok["language"], "so");
    assert_eq!(ok["version"], 1);
    // A stale version is a conflict.
    let r = t
        .put(
            &coach,
            &path,
            &json!({"agreed": false, "language": "sv", "version": 0}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let withdrawn: Value = t
        .put(
            &coach,
            &path,
            &json!({"agreed": false, "language": "so", "version": 1}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(withdrawn["agreed"], false);
    assert!(withdrawn["withdrawn_at"].is_string());
    assert_eq!(withdrawn["email"], Value::Null, "the address is forgotten");
    let trail = t.audit_of(&pid).await;
    assert!(
        has_event(&trail, "consent", "write", "allowed"),
        "{trail:#?}"
    );
}

#[tokio::test]
async fn only_the_participant_and_their_organisation_reach_the_agreement() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let other = t.token(OTHER_COACH).await;
    let participant = t.token(PARTICIPANT).await;
    let r = t
        .register(&coach, "811218-9876", "Egen", "Organisation")
        .await;
    let pid = r.json::<Value>().await.unwrap()["participant"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/participants/{pid}/reminders");
    let body = json!({"agreed": true, "email": "x@example.se", "language": "sv"});
    assert_eq!(t.get(&other, &path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        t.put(&other, &path, &body).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.get(&participant, &path).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.put(&participant, &path, &body).await.status(),
        StatusCode::NOT_FOUND
    );
    let trail = t.audit_of(&pid).await;
    assert!(
        has_event(&trail, "consent", "write", "denied"),
        "{trail:#?}"
    );

    // The participant sets their own.
    let page: Value = t
        .get(&participant, "/api/v1/participants")
        .await
        .json()
        .await
        .unwrap();
    let own = format!(
        "/api/v1/participants/{}/reminders",
        page["items"][0]["id"].as_str().unwrap()
    );
    let r = t
        .put(
            &participant,
            &own,
            &json!({"agreed": true, "phone": "+46 73 123 45 67", "language": "ar"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let mine: Value = t.get(&participant, &own).await.json().await.unwrap();
    assert_eq!(mine["phone"], "+46731234567");
    assert_eq!(mine["language"], "ar");
}

#[tokio::test]
async fn only_who_agreed_is_planned_claims_are_exclusive_and_an_interrupted_send_is_not_repeated() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let agreed = participant_with_an_occasion(&t, &coach, "811218-9876").await;
    let declined = participant_with_an_occasion(&t, &coach, "850709-9805").await;
    let withdraws = participant_with_an_occasion(&t, &coach, "640823-3234").await;
    for (pid, body) in [
        (
            &agreed,
            json!({"agreed": true, "email": "a@example.se", "phone": "0701234567", "language": "en"}),
        ),
        (
            &withdraws,
            json!({"agreed": true, "email": "w@example.se", "language": "sv"}),
        ),
    ] {
        let r = t
            .put(
                &coach,
                &format!("/api/v1/participants/{pid}/reminders"),
                &body,
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    }
    let rec = Recorder::default();
    // Planned (outside sending hours): e-mail and SMS for one, e-mail for the other; each
    // has three occasions tomorrow (the other two participants' activities meet too, in the
    // same project), so 3 × 2 + 3 × 1.
    let r = t.app.reminder_tick(&config(&rec, false)).await.unwrap();
    assert_eq!(r.planned, 9, "{r:?}");
    assert_eq!(r.sent, 0);
    assert!(
        t.app
            .reminders_of(Uuid::parse_str(&declined).unwrap())
            .await
            .unwrap()
            .is_empty()
    );

    // A claim made by one job is not claimed again by a second.
    let first = t.app.claim_due_reminders(Uuid::now_v7(), 1).await.unwrap();
    assert_eq!(first.len(), 1);
    let second = t
        .app
        .claim_due_reminders(Uuid::now_v7(), 100)
        .await
        .unwrap();
    assert_eq!(second.len(), 8);
    assert!(second.iter().all(|r| r.id != first[0].id));
    assert!(
        t.app
            .claim_due_reminders(Uuid::now_v7(), 100)
            .await
            .unwrap()
            .is_empty()
    );
    // Claimed and never finished (a crash): after half an hour they are failed, never resent.
    t.clock.advance(time::Duration::minutes(29));
    let r = t.app.reminder_tick(&config(&rec, true)).await.unwrap();
    assert_eq!(r, TickReport::default(), "not yet");
    t.clock.advance(time::Duration::minutes(2));
    let r = t.app.reminder_tick(&config(&rec, true)).await.unwrap();
    assert_eq!(r.interrupted, 9, "{r:?}");
    assert_eq!(r.sent, 0);
    assert!(rec.0.lock().unwrap().is_empty());
    let states = t
        .app
        .reminders_of(Uuid::parse_str(&agreed).unwrap())
        .await
        .unwrap();
    assert!(states.iter().all(|s| s.status == "failed"), "{states:?}");
}

#[tokio::test]
async fn a_reminder_goes_once_in_the_language_chosen_and_not_after_withdrawal() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let agreed = participant_with_an_occasion(&t, &coach, "811218-9876").await;
    let withdraws = participant_with_an_occasion(&t, &coach, "850709-9805").await;
    for (pid, body) in [
        (
            &agreed,
            json!({"agreed": true, "email": "a@example.se", "phone": "0701234567", "language": "en"}),
        ),
        (
            &withdraws,
            json!({"agreed": true, "email": "w@example.se", "language": "sv"}),
        ),
    ] {
        let r = t
            .put(
                &coach,
                &format!("/api/v1/participants/{pid}/reminders"),
                &body,
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    let rec = Recorder::default();
    // Planned outside sending hours; then the second withdraws.
    let r = t.app.reminder_tick(&config(&rec, false)).await.unwrap();
    assert_eq!(
        r.planned, 6,
        "two occasions each; e-mail and SMS, e-mail: {r:?}"
    );
    let path = format!("/api/v1/participants/{withdraws}/reminders");
    let r = t
        .put(&coach, &path, &json!({"agreed": false, "language": "sv"}))
        .await;
    assert_eq!(r.status(), StatusCode::OK);

    let r = t.app.reminder_tick(&config(&rec, true)).await.unwrap();
    assert_eq!(
        r,
        TickReport {
            planned: 0,
            sent: 4,
            skipped: 2,
            ..TickReport::default()
        },
    );
    let sent = rec.0.lock().unwrap().clone();
    assert_eq!(sent.len(), 4);
    for (to, subject, body) in &sent {
        assert!(to == "a@example.se" || to == "+46701234567", "{to}");
        assert!(
            body.starts_with("Hello! You have an appointment tomorrow"),
            "{body}"
        );
        assert!(body.contains("at 09:00"), "{body}");
        assert!(
            !body.contains("Hemlig") && !body.contains("En väg in"),
            "{body}"
        );
        if to.contains('@') {
            assert_eq!(subject, "Reminder from Stegvis");
        }
    }
    // Later ticks send nothing again.
    for _ in 0..3 {
        let r = t.app.reminder_tick(&config(&rec, true)).await.unwrap();
        assert_eq!(r, TickReport::default());
    }
    assert_eq!(rec.0.lock().unwrap().len(), 4);
    // Each sent reminder is an event in the participant's trail.
    let trail = t.audit_of(&agreed).await;
    let sent_events = trail
        .iter()
        .filter(|e| {
            e["detail"]
                .as_str()
                .is_some_and(|d| d.starts_with("reminder sent"))
        })
        .count();
    assert_eq!(sent_events, 4, "{trail:#?}");
}

#[test]
fn the_log_only_sms_provider_masks_the_number() {
    let line = LogSms::line("+46701234567", "Hej!");
    assert!(
        !line.contains("+46701234567") && !line.contains("1234"),
        "{line}"
    );
    assert!(line.contains(&mask_number("+46701234567")), "{line}");
}
