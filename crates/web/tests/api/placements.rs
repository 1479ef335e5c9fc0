//! Employers, openings and placements through the API: an offer declined and kept, another
//! started and ended, and a supervisor who confirms attendance and gives feedback, seeing only
//! their own placements.

use crate::support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use stegvis_app::users::UserInput;

fn days_ago(t: &TestApp, n: i64) -> String {
    (t.app.today() - time::Duration::days(n)).to_string()
}

/// A supervisor account at an employer, and its API token.
async fn supervisor_of(t: &TestApp, employer_id: &str, email: &str) -> (String, String) {
    let user = t
        .app
        .add_user(
            &UserInput {
                email: email.into(),
                name: "Handledare Test".into(),
                org_id: employer_id.into(),
                role: "supervisor".into(),
                password: PASSWORD.into(),
            },
            None,
        )
        .await
        .expect("supervisor");
    (user.id.to_string(), t.token(email).await)
}

#[tokio::test]
async fn offer_decline_offer_start_end_and_the_supervisor_confirms_and_gives_feedback() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;

    // The employer, with a workplace and an opening.
    let r = t
        .post(
            &coach,
            "/api/v1/employers",
            &json!({"name": "Testbutiken AB", "kind": "employer", "workplace": {"name": "Testbutiken Centrum", "municipality_code": "1293", "accessibility": "Ramp vid entrén"}}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let employer: Value = r.json().await.unwrap();
    let employer_id = employer["id"].as_str().unwrap().to_owned();
    let workplace = employer["workplaces"][0]["id"].as_str().unwrap().to_owned();
    let openings = format!("/api/v1/workplaces/{workplace}/openings");
    let bad = t
        .post(
            &coach,
            &openings,
            &json!({"title": "Butiksbiträde", "kind": "work_trial", "ssyk_code": "9999", "hours_per_week": 80}),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = bad.text().await.unwrap();
    assert!(
        text.contains("ssyk_code") && text.contains("hours_per_week"),
        "{text}"
    );
    let r = t
        .post(
            &coach,
            &openings,
            &json!({"title": "Butiksbiträde", "kind": "work_trial", "ssyk_code": "5223", "hours_per_week": 20, "adaptations": "Kortare pass i början"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let opening: Value = r.json().await.unwrap();
    assert_eq!(opening["occupation"], "Butikssäljare, fackhandel");
    let (sup_id, sup) = supervisor_of(&t, &employer_id, "handledare.test@example.se").await;

    let created: Value = t
        .register(&coach, "811218-9876", "Pia", "Praktiksson")
        .await
        .json()
        .await
        .unwrap();
    let pid = created["participant"]["id"].as_str().unwrap().to_owned();
    let list = format!("/api/v1/participants/{pid}/placements");

    // First offer: declined, and kept.
    let r = t
        .post(
            &coach,
            &list,
            &json!({"opening_id": opening["id"], "supervisor_id": sup_id, "offered_on": days_ago(&t, 40)}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let first: Value = r.json().await.unwrap();
    assert_eq!(
        (first["status"].as_str(), first["kind"].as_str()),
        (Some("offered"), Some("work_trial"))
    );
    let status = |p: &Value| format!("/api/v1/placements/{}/status", p["id"].as_str().unwrap());
    let r = t
        .post(
            &coach,
            &status(&first),
            &json!({"status": "declined", "on": days_ago(&t, 38)}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = t
        .post(&coach, &status(&first), &json!({"status": "accepted"}))
        .await;
    assert_eq!(
        r.status(),
        StatusCode::CONFLICT,
        "a declined offer stays declined"
    );

    // Second offer: accepted, started, confirmed by the supervisor, ended.
    let r = t
        .post(
            &coach,
            &list,
            &json!({"workplace_id": workplace, "kind": "work_practice", "supervisor_id": sup_id, "hours_per_week": 16, "goals": "Pröva kassaarbete", "adaptations": "Start kl 10", "offered_on": days_ago(&t, 30)}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let second: Value = r.json().await.unwrap();
    for (to, on) in [("accepted", 28), ("started", 21)] {
        let r = t
            .post(
                &coach,
                &status(&second),
                &json!({"status": to, "on": days_ago(&t, on)}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK, "{to}");
    }
    let url = format!("/api/v1/placements/{}", second["id"].as_str().unwrap());
    let seen: Value = t.get(&sup, &url).await.json().await.unwrap();
    assert_eq!(seen["participant_name"], "Pia Praktiksson");
    assert_eq!(seen["adaptations"], "Start kl 10");
    assert!(
        seen["goals"].is_null(),
        "the supervisor sees what the placement needs"
    );
    let weeks = format!("{url}/weeks");
    let r = t
        .post(
            &sup,
            &weeks,
            &json!({"week_of": days_ago(&t, 14), "hours": "15,5"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let confirmed: Value = r.json().await.unwrap();
    assert_eq!(confirmed["weeks"][0]["minutes"], 930);
    let r = t
        .post(
            &sup,
            &weeks,
            &json!({"week_of": days_ago(&t, 14), "hours": "3"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "a week is confirmed once");
    for body in [
        json!({"week_of": days_ago(&t, -14), "hours": "3"}),
        json!({"week_of": days_ago(&t, 60), "hours": "3"}),
        json!({"week_of": days_ago(&t, 7), "hours": "lots"}),
        // The calendar's ends: a field error, not a failed request.
        json!({"week_of": "9999-12-31", "hours": "3"}),
        json!({"week_of": "-9999-01-01", "hours": "3"}),
    ] {
        let r = t.post(&sup, &weeks, &body).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
    let r = t
        .post(
            &sup,
            &format!("{url}/feedback"),
            &json!({"text": "Punktlig och glad."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    // The supervisor neither moves the placement nor sees the participant's record.
    let r = t
        .post(&sup, &status(&second), &json!({"status": "ended"}))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        t.get(&sup, &format!("/api/v1/participants/{pid}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(t.get(&sup, &list).await.status(), StatusCode::NOT_FOUND);
    let mine: Vec<Value> = t
        .get(&sup, "/api/v1/supervised-placements")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        mine.len(),
        1,
        "the declined offer is not on the supervisor's list"
    );
    // That list is audited in the employer's own trail.
    t.app
        .add_user(
            &UserInput {
                email: "dpo@testbutiken.se".into(),
                name: "DPO".into(),
                org_id: employer_id.clone(),
                role: "auditor".into(),
                password: PASSWORD.into(),
            },
            None,
        )
        .await
        .unwrap();
    let dpo = t.token("dpo@testbutiken.se").await;
    let trail: Vec<Value> = t
        .get(&dpo, "/api/v1/audit?limit=100")
        .await
        .json()
        .await
        .unwrap();
    assert!(
        trail
            .iter()
            .any(|e| e["ground"] == "supervisor:own_placements"
                && e["action"] == "search"
                && e["decision"] == "allowed"),
        "the supervisor's list in the employer's trail"
    );

    let r = t
        .post(
            &coach,
            &status(&second),
            &json!({"status": "ended", "on": days_ago(&t, 1)}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    // An agreement with the employer, and a bad one that changes nothing.
    let agreements = format!("/api/v1/employers/{employer_id}/agreements");
    let r = t
        .post(
            &coach,
            &agreements,
            &json!({"kind": "handshake", "signed_on": "2026-02-30"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text().await.unwrap();
    assert!(
        text.contains("kind") && text.contains("signed_on"),
        "{text}"
    );
    let r = t
        .post(&coach, &agreements, &json!({"kind": "cooperation", "signed_on": days_ago(&t, 90), "note": "Två platser per termin"}))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let e: Value = t
        .get(&coach, &format!("/api/v1/employers/{employer_id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(e["agreements"].as_array().unwrap().len(), 1);
    // A procurement clause counts the placements started at the employer in its period.
    let clauses = format!("/api/v1/employers/{employer_id}/clauses");
    let bad = t
        .post(&coach, &clauses, &json!({"buyer": "", "contract": "Städ", "promised_placements": -1, "valid_from": "2026-13-01"}))
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = bad.text().await.unwrap();
    for field in ["buyer", "promised_placements", "valid_from"] {
        assert!(text.contains(field), "{field}: {text}");
    }
    let r = t
        .post(
            &coach,
            &clauses,
            &json!({"buyer": "Hässleholms kommun", "contract": "Butikstjänster", "promised_placements": 4, "promised_jobs": 1, "valid_from": days_ago(&t, 100)}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let clause: Value = r.json().await.unwrap();
    assert_eq!(
        (
            clause["delivered_placements"].as_i64(),
            clause["delivered_jobs"].as_i64()
        ),
        (Some(1), Some(0)),
        "the work practice started counts; the declined work trial does not"
    );
    let all: Vec<Value> = t.get(&coach, &list).await.json().await.unwrap();
    let statuses: Vec<&str> = all.iter().map(|p| p["status"].as_str().unwrap()).collect();
    assert_eq!(
        statuses,
        vec!["ended", "declined"],
        "the declined offer is kept"
    );
    assert_eq!(all[0]["feedback"][0]["text"], "Punktlig och glad.");

    // The supervisor's looks are in the participant's trail, on the ground of supervision.
    let events = t.audit_of(&pid).await;
    assert!(
        events.iter().any(|e| e["ground"]
            .as_str()
            .unwrap_or("")
            .starts_with("supervisor:")),
        "supervisor ground in the trail"
    );
}

#[tokio::test]
async fn a_supervisor_of_another_employer_gets_404() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let employer: Value = t
        .post(
            &coach,
            "/api/v1/employers",
            &json!({"name": "Annat AB", "kind": "social_enterprise", "workplace": {"name": "Caféet"}}),
        )
        .await
        .json()
        .await
        .unwrap();
    let workplace = employer["workplaces"][0]["id"].as_str().unwrap().to_owned();
    let (sup_id, _) = supervisor_of(&t, employer["id"].as_str().unwrap(), "sup.a@example.se").await;
    let created: Value = t
        .register(&coach, "811218-9876", "Ola", "Annanstans")
        .await
        .json()
        .await
        .unwrap();
    let pid = created["participant"]["id"].as_str().unwrap().to_owned();
    let placed: Value = t
        .post(
            &coach,
            &format!("/api/v1/participants/{pid}/placements"),
            &json!({"workplace_id": workplace, "kind": "work_training", "supervisor_id": sup_id}),
        )
        .await
        .json()
        .await
        .unwrap();
    let url = format!("/api/v1/placements/{}", placed["id"].as_str().unwrap());
    // The demo's supervisor works at another employer.
    let other = t.token("handledare@demo.stegvis.se").await;
    for path in [
        url.clone(),
        format!("/api/v1/participants/{pid}"),
        format!("/api/v1/participants/{pid}/placements"),
    ] {
        assert_eq!(
            t.get(&other, &path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let r = t
        .post(&other, &format!("{url}/feedback"), &json!({"text": "x"}))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let theirs: Vec<Value> = t
        .get(&other, "/api/v1/supervised-placements")
        .await
        .json()
        .await
        .unwrap();
    assert!(
        theirs.iter().all(|p| p["id"] != placed["id"]),
        "their list has their own placements only"
    );
    // A supervisor of another employer cannot be named on the offer either.
    let elsewhere: Value = t
        .post(
            &coach,
            "/api/v1/employers",
            &json!({"name": "Tredje AB", "kind": "employer", "workplace": {"name": "Lagret"}}),
        )
        .await
        .json()
        .await
        .unwrap();
    let (demo_sup, _) =
        supervisor_of(&t, elsewhere["id"].as_str().unwrap(), "sup.b@example.se").await;
    let r = t
        .post(
            &coach,
            &format!("/api/v1/participants/{pid}/placements"),
            &json!({"workplace_id": workplace, "kind": "work_training", "supervisor_id": demo_sup}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // And another organisation's coach cannot offer or read.
    let other_coach = t.token(OTHER_COACH).await;
    assert_eq!(
        t.get(&other_coach, &url).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_supervisor_comes_in_when_the_placement_is_theirs_and_sees_only_their_part() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let employer: Value = t
        .post(
            &coach,
            "/api/v1/employers",
            &json!({"name": "Heltid AB", "kind": "employer", "workplace": {"name": "Fabriken"}}),
        )
        .await
        .json()
        .await
        .unwrap();
    let employer_id = employer["id"].as_str().unwrap().to_owned();
    let workplace = employer["workplaces"][0]["id"].as_str().unwrap().to_owned();
    let (sup_id, sup) = supervisor_of(&t, &employer_id, "heltid.sup@example.se").await;
    let created: Value = t
        .register(&coach, "811218-9876", "Hel", "Tidsson")
        .await
        .json()
        .await
        .unwrap();
    let pid = created["participant"]["id"].as_str().unwrap().to_owned();
    let offer = |extra: Value| {
        let (t, coach, pid) = (&t, coach.clone(), pid.clone());
        let mut body = json!({"workplace_id": workplace, "kind": "work_training", "supervisor_id": sup_id, "hours_per_week": 30, "offered_on": days_ago(t, 40)});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        async move {
            let r = t
                .post(
                    &coach,
                    &format!("/api/v1/participants/{pid}/placements"),
                    &body,
                )
                .await;
            assert_eq!(r.status(), StatusCode::CREATED);
            r.json::<Value>().await.unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let move_to = |id: String, to: &'static str, on: String| {
        let (t, coach) = (&t, coach.clone());
        async move {
            t.post(
                &coach,
                &format!("/api/v1/placements/{id}/status"),
                &json!({"status": to, "on": on}),
            )
            .await
        }
    };

    // An offer is not yet the workplace's business.
    let id = offer(json!({"starts_on": days_ago(&t, 30), "ends_on": days_ago(&t, 25)})).await;
    let url = format!("/api/v1/placements/{id}");
    assert_eq!(t.get(&sup, &url).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        move_to(id.clone(), "accepted", days_ago(&t, 35))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(t.get(&sup, &url).await.status(), StatusCode::OK);
    // Accepted but not started: no week to confirm.
    let r = t
        .post(
            &sup,
            &format!("{url}/weeks"),
            &json!({"week_of": days_ago(&t, 14), "hours": "30"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Started after its planned end: the passed planned end is dropped, dates stay in order.
    assert_eq!(
        move_to(id.clone(), "started", days_ago(&t, 21))
            .await
            .status(),
        StatusCode::OK
    );
    let p: Value = t.get(&coach, &url).await.json().await.unwrap();
    assert!(p["ends_on"].is_null(), "{p}");
    // A full-time week of 30 hours is confirmed; more than 60 is not.
    let r = t
        .post(
            &sup,
            &format!("{url}/weeks"),
            &json!({"week_of": days_ago(&t, 7), "hours": "30"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = t
        .post(
            &sup,
            &format!("{url}/weeks"),
            &json!({"week_of": days_ago(&t, 14), "hours": "61"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // The coach's notes are not the supervisor's to read; the supervisor's own feedback is.
    t.post(
        &coach,
        &format!("{url}/feedback"),
        &json!({"text": "Coachens anteckning"}),
    )
    .await;
    t.post(
        &sup,
        &format!("{url}/feedback"),
        &json!({"text": "Handledarens ord"}),
    )
    .await;
    let seen: Value = t.get(&sup, &url).await.json().await.unwrap();
    let texts: Vec<&str> = seen["feedback"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, vec!["Handledarens ord"]);
    assert_eq!(
        seen["participant_id"],
        "00000000-0000-0000-0000-000000000000"
    );
    assert!(seen["supervisor_id"].is_null() && seen["goals"].is_null());
    // Ending before a confirmed week (its Monday is 7 to 13 days ago) is refused.
    assert_eq!(
        move_to(id.clone(), "ended", days_ago(&t, 16))
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // Withdrawn before it began: no start date, not delivered on a clause.
    let withdrawn = offer(json!({"kind": "work_practice", "starts_on": days_ago(&t, 10)})).await;
    assert_eq!(
        move_to(withdrawn.clone(), "accepted", days_ago(&t, 39))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        move_to(withdrawn.clone(), "ended", days_ago(&t, 20))
            .await
            .status(),
        StatusCode::OK
    );
    let w: Value = t
        .get(&coach, &format!("/api/v1/placements/{withdrawn}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(w["starts_on"].is_null());
    let clause: Value = t
        .post(
            &coach,
            &format!("/api/v1/employers/{employer_id}/clauses"),
            &json!({"buyer": "Kommunen", "contract": "Städ", "promised_placements": 3, "promised_jobs": 0, "valid_from": days_ago(&t, 100)}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        clause["delivered_placements"], 1,
        "the work training started; the withdrawn one never did"
    );
    // Another organisation's coach counts only their own participants there.
    let other = t.token(OTHER_COACH).await;
    let theirs: Value = t
        .get(&other, &format!("/api/v1/employers/{employer_id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["clauses"][0]["delivered_placements"], 0);
}

#[tokio::test]
async fn job_ads_go_to_employers_and_to_the_workplace_in_their_municipality() {
    let t = spawn_app().await;
    let ad = |id: &str, employer: &str, workplace: &str, muni: &str| {
        format!(
            r#"{{"id": "{id}", "headline": "Jobb {id}", "employer": {{"name": "{employer}", "workplace": "{workplace}"}}, "workplace_address": {{"municipality_code": "{muni}"}}, "scope_of_work": {{"min": 50, "max": null}}}}"#
        )
    };
    let file = [
        ad("1", "Arbetsförmedlingen", "Arbetsförmedlingen", "0180"),
        ad("2", "Kedjan AB", "Kedjan", "1293"),
        ad("3", "Kedjan AB", "Kedjan", "2380"),
    ]
    .join("\n");
    let report = t.app.import_job_ads(&file).await.unwrap();
    assert_eq!(report.imported, 3);
    let coach = t.token(COACH).await;
    let employers: Vec<Value> = t
        .get(&coach, "/api/v1/employers")
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = employers
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"Arbetsförmedlingen (arbetsgivare)"),
        "{names:?}"
    );
    let kedjan = employers.iter().find(|e| e["name"] == "Kedjan AB").unwrap();
    let k: Value = t
        .get(
            &coach,
            &format!("/api/v1/employers/{}", kedjan["id"].as_str().unwrap()),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        k["workplaces"].as_array().unwrap().len(),
        2,
        "one per municipality"
    );
    assert_eq!(
        k["openings"][0]["hours_per_week"], 20,
        "a null max falls back to min"
    );
}
