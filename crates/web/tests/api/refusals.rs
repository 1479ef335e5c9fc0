//! Every kind of refusal the gate makes is written to the audit trail as a refusal: a record, a
//! search, an organisation's list, creating a participant, the caseload, a supervisor's list,
//! the audit trail, referrals, a function of the organisation or of a project, a group of
//! records, and a write refused after it was opened (bad input), which leaves nothing behind.

use crate::support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// The trail's events by one user, as the auditor of their organisation sees them.
async fn events_by(t: &TestApp, email: &str) -> Vec<Value> {
    let auditor = t.token(AUDITOR).await;
    let r = t
        .get(&auditor, &format!("/api/v1/audit?user={email}&limit=10000"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

/// Runs `call` as `email`, which must answer `status`, and checks that exactly one new event by
/// that user records the refusal of `kind`/`action` (with `ground`, when given).
async fn refused<F, Fut>(
    t: &TestApp,
    email: &str,
    kind: &str,
    action: &str,
    ground: Option<&str>,
    status: StatusCode,
    call: F,
) where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = StatusCode>,
{
    let before = events_by(t, email).await.len();
    assert_eq!(call().await, status, "{kind} {action} by {email}");
    let events = events_by(t, email).await;
    let new = &events[..events.len() - before];
    let found = new.iter().find(|e| {
        e["record_kind"] == kind
            && e["action"] == action
            && e["decision"] == "denied"
            && ground.is_none_or(|g| e["ground"] == g)
    });
    assert!(found.is_some(), "{kind} {action} by {email}: {new:#?}");
}

#[tokio::test]
async fn each_kind_of_refusal_writes_a_refusal_event() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let admin = t.token(ADMIN).await;
    let auditor = t.token(AUDITOR).await;
    let partner = t.token(PARTNER).await;
    let created: Value = t
        .register(&coach, "701063-2391", "Samira", "Ödmark")
        .await
        .json()
        .await
        .unwrap();
    let id = created["participant"]["id"].as_str().unwrap().to_owned();
    let project = t.project_id(&coach, "En väg in").await;
    let status = |r: reqwest::Response| r.status();

    // A record read and a record write.
    refused(
        &t,
        PARTNER,
        "participant",
        "read",
        Some("denied:other_organisation"),
        StatusCode::NOT_FOUND,
        || async { status(t.get(&partner, &format!("/api/v1/participants/{id}")).await) },
    )
    .await;
    let step = json!({"goal": "Arbete", "step": "Ringa", "owner": "staff"});
    refused(
        &t,
        AUDITOR,
        "plan",
        "write",
        Some("denied:role_not_allowed"),
        StatusCode::NOT_FOUND,
        || async {
            status(
                t.post(&auditor, &format!("/api/v1/participants/{id}/plan"), &step)
                    .await,
            )
        },
    )
    .await;
    // A search, creating a participant, the caseload, referrals, the users (a function).
    refused(
        &t,
        ADMIN,
        "participant",
        "search",
        None,
        StatusCode::FORBIDDEN,
        || async { status(t.get(&admin, "/api/v1/participants?q=berg").await) },
    )
    .await;
    refused(
        &t,
        ADMIN,
        "participant",
        "write",
        None,
        StatusCode::FORBIDDEN,
        || async { status(t.register(&admin, "811218-9876", "Ali", "Berg").await) },
    )
    .await;
    refused(
        &t,
        ADMIN,
        "enrolment",
        "search",
        None,
        StatusCode::FORBIDDEN,
        || async { status(t.get(&admin, "/api/v1/caseload").await) },
    )
    .await;
    refused(
        &t,
        ADMIN,
        "referral",
        "search",
        None,
        StatusCode::FORBIDDEN,
        || async { status(t.get(&admin, "/api/v1/referrals").await) },
    )
    .await;
    refused(
        &t,
        COACH,
        "users",
        "read",
        None,
        StatusCode::FORBIDDEN,
        || async { status(t.get(&coach, "/api/v1/users").await) },
    )
    .await;
    // A supervisor's list and the audit trail.
    refused(
        &t,
        COACH,
        "placement",
        "search",
        None,
        StatusCode::FORBIDDEN,
        || async { status(t.get(&coach, "/api/v1/supervised-placements").await) },
    )
    .await;
    refused(
        &t,
        COACH,
        "audit_trail",
        "search",
        None,
        StatusCode::FORBIDDEN,
        || async { status(t.get(&coach, "/api/v1/audit").await) },
    )
    .await;
    // A function of a project: the report, to someone whose role does not run projects.
    refused(
        &t,
        ADMIN,
        "project_reports",
        "read",
        None,
        StatusCode::NOT_FOUND,
        || async {
            status(
                t.get(&admin, &format!("/api/v1/projects/{project}/report"))
                    .await,
            )
        },
    )
    .await;
    // An organisation's list: the participants who fit an opening, to an administrator.
    let opening = any_opening(&t, &coach).await;
    refused(
        &t,
        ADMIN,
        "placement",
        "search",
        None,
        StatusCode::FORBIDDEN,
        || async {
            status(
                t.get(&admin, &format!("/api/v1/openings/{opening}/candidates"))
                    .await,
            )
        },
    )
    .await;
    // A group of records: attendance for one of the organisation's participants and one of
    // another organisation's refuses the group, and the refusal names the stranger.
    let other = t.token(OTHER_COACH).await;
    let theirs: Value = t
        .get(&other, "/api/v1/participants?limit=1")
        .await
        .json()
        .await
        .unwrap();
    let stranger = theirs["items"][0]["id"]
        .as_str()
        .expect("a participant of theirs");
    let activities: Value = t
        .get(&coach, &format!("/api/v1/projects/{project}/activities"))
        .await
        .json()
        .await
        .unwrap();
    let activity = activities[0]["id"]
        .as_str()
        .expect("an activity")
        .to_owned();
    let day = json!({"date": "2026-03-02", "entries": [
        {"participant_id": id, "hours": "2"},
        {"participant_id": stranger, "hours": "2"},
    ]});
    refused(
        &t,
        COACH,
        "attendance",
        "write",
        Some("denied:other_organisation"),
        StatusCode::NOT_FOUND,
        || async {
            status(
                t.post(
                    &coach,
                    &format!("/api/v1/activities/{activity}/attendance"),
                    &day,
                )
                .await,
            )
        },
    )
    .await;
    let report: Value = t
        .get(
            &coach,
            &format!("/api/v1/participants/{id}/time-report?month=2026-03"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        report["attended_minutes"], 0,
        "nothing of the group was recorded: {report}"
    );

    // A write refused after it was opened: bad input. The trail says refused, not allowed, and
    // nothing was saved.
    let consents_before = consent_count(&t, &coach, &id).await;
    refused(
        &t,
        COACH,
        "consent",
        "write",
        Some("denied:invalid_input"),
        StatusCode::UNPROCESSABLE_ENTITY,
        || async {
            status(
                t.post(
                    &coach,
                    &format!("/api/v1/participants/{id}/consents"),
                    &json!({"purpose": ""}),
                )
                .await,
            )
        },
    )
    .await;
    assert_eq!(consent_count(&t, &coach, &id).await, consents_before);
    let allowed_consent_writes = events_by(&t, COACH)
        .await
        .iter()
        .filter(|e| {
            e["record_kind"] == "consent" && e["action"] == "write" && e["decision"] == "allowed"
        })
        .count();
    assert_eq!(
        allowed_consent_writes, 0,
        "a refused write is never recorded as allowed"
    );
}

async fn consent_count(t: &TestApp, token: &str, participant: &str) -> usize {
    let r: Value = t
        .get(
            token,
            &format!("/api/v1/participants/{participant}/consents"),
        )
        .await
        .json()
        .await
        .unwrap();
    r.as_array().unwrap().len()
}

/// An opening at any employer of the network.
async fn any_opening(t: &TestApp, coach: &str) -> String {
    let employers: Value = t
        .get(coach, "/api/v1/employers")
        .await
        .json()
        .await
        .unwrap();
    for e in employers.as_array().unwrap() {
        let id = e["id"].as_str().unwrap();
        let detail: Value = t
            .get(coach, &format!("/api/v1/employers/{id}"))
            .await
            .json()
            .await
            .unwrap();
        if let Some(o) = detail["openings"].as_array().and_then(|o| o.first()) {
            return o["id"].as_str().unwrap().to_owned();
        }
    }
    panic!("the demo has openings");
}
