//! Enrolments: exit rules, corrections with history, enrolling in another project.

use crate::support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn registered(t: &TestApp, coach: &str) -> (String, String) {
    let created: Value = t
        .register(coach, "811218-9876", "Nora", "Lind")
        .await
        .json()
        .await
        .unwrap();
    (
        created["participant"]["id"].as_str().unwrap().to_owned(),
        created["enrolments"][0]["id"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn exit_before_enrolment_is_refused_and_changes_nothing() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let (_, eid) = registered(&t, &coach).await;
    let r = t
        .post(
            &coach,
            &format!("/api/v1/enrolments/{eid}/exit"),
            &json!({"exited_on": "2026-01-14", "exit_status": "work"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "exited_on");
    let e: Value = t
        .get(&coach, &format!("/api/v1/enrolments/{eid}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(e["exited_on"].is_null());

    let bad_status = t
        .post(
            &coach,
            &format!("/api/v1/enrolments/{eid}/exit"),
            &json!({"exited_on": "2026-02-01", "exit_status": "vacation"}),
        )
        .await;
    assert_eq!(bad_status.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let ok = t
        .post(
            &coach,
            &format!("/api/v1/enrolments/{eid}/exit"),
            &json!({"exited_on": "2026-02-01", "exit_status": "studies"}),
        )
        .await;
    assert_eq!(ok.status(), StatusCode::OK);
    let e: Value = ok.json().await.unwrap();
    assert_eq!(e["exit_status"], "studies");
    assert_eq!(e["corrections"], 1, "the exit kept the enrolment as it was");
    let again = t
        .post(
            &coach,
            &format!("/api/v1/enrolments/{eid}/exit"),
            &json!({"exited_on": "2026-02-02", "exit_status": "work"}),
        )
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn correcting_the_baseline_updates_completeness() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let (_, eid) = registered(&t, &coach).await;
    let full = json!({"baseline": {
        "labour_status": "unemployed", "long_term_unemployed": "yes", "months_without_work": "14",
        "isced_level": 2, "born_abroad": "no", "foreign_background": "declined", "disability": "declined",
        "homeless": "no", "jobless_household": "yes", "dependent_children": "no",
        "single_adult_with_children": "no", "social_assistance": "yes", "sick_leave": "no",
        "activity_compensation": "no", "registered_at_employment_service": "yes"
    }});
    let r = t
        .patch(&coach, &format!("/api/v1/enrolments/{eid}"), &full)
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["missing_answers"], json!([]));
    assert_eq!(e["baseline"]["months_without_work"], 14);
    assert_eq!(e["corrections"], 1, "the earlier version is kept");

    let bad = t
        .patch(
            &coach,
            &format!("/api/v1/enrolments/{eid}"),
            &json!({"enrolled_on": "2099-01-01", "baseline": {}}),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let still: Value = t
        .get(&coach, &format!("/api/v1/enrolments/{eid}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        still["missing_answers"],
        json!([]),
        "a refused change leaves the record as it was"
    );
}

#[tokio::test]
async fn enrolling_twice_in_one_project_is_a_conflict_and_other_organisations_projects_are_refused()
{
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let (pid, _) = registered(&t, &coach).await;
    let en_vag_in = t.project_id(&coach, "En väg in").await;
    let r = t
        .post(
            &coach,
            &format!("/api/v1/participants/{pid}/enrolments"),
            &json!({"project_id": en_vag_in, "enrolled_on": "2026-02-01"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let jagkan = t.project_id(&coach, "JagKan").await;
    let r = t
        .post(
            &coach,
            &format!("/api/v1/participants/{pid}/enrolments"),
            &json!({"project_id": jagkan, "enrolled_on": "2026-02-01"}),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "JagKan is run by Helsingborg"
    );
    let other_hassleholm = t.project_id(&coach, "Samverkan utan gränser").await;
    let r = t
        .post(
            &coach,
            &format!("/api/v1/participants/{pid}/enrolments"),
            &json!({"project_id": other_hassleholm, "enrolled_on": "2026-02-01"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let list: Value = t
        .get(&coach, &format!("/api/v1/participants/{pid}/enrolments"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn demo_seed_is_idempotent_and_has_the_seed_facts() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let before: Value = t
        .get(&coach, "/api/v1/projects")
        .await
        .json()
        .await
        .unwrap();
    let count = t.participant_count(&coach).await;
    let report = stegvis_demo::seed_demo(&t.app, 30, 7, &|_, _| {})
        .await
        .unwrap();
    assert_eq!(
        (report.projects_created, report.participants_created),
        (0, 0)
    );
    let after: Value = t
        .get(&coach, "/api/v1/projects")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(before, after);
    assert_eq!(t.participant_count(&coach).await, count);
    let projects = after.as_array().unwrap();
    // The five seed projects and the made-up one that runs today.
    assert_eq!(projects.len(), 6);
    let en_vag_in = projects.iter().find(|p| p["name"] == "En väg in").unwrap();
    assert_eq!(en_vag_in["number"], "2019/00383");
    assert_eq!(en_vag_in["esf_support"], 4_341_993);
    assert_eq!(en_vag_in["total_budget"], 9_249_253);
    assert_eq!(en_vag_in["planned_participants"], 100);
    assert_eq!(en_vag_in["union_cofinancing_rate_pct"], 50);
    assert_eq!(en_vag_in["intervention_type"], "102");
    assert_eq!(en_vag_in["period_start"], "2020-04-01");
    let vagar = projects
        .iter()
        .find(|p| p["name"] == "Vägar till egenförsörjning")
        .unwrap();
    assert_eq!(
        vagar["municipalities"].as_array().unwrap().len(),
        7,
        "Jämtland except Härjedalen"
    );
    assert_eq!(vagar["planned_participants"], 210);
}

#[tokio::test]
async fn concurrent_corrections_never_lose_one_silently() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let (_, eid) = registered(&t, &coach).await;
    let path = format!("/api/v1/enrolments/{eid}");
    let bodies: Vec<Value> = (0..8)
        .map(|i| json!({"baseline": {"months_without_work": 20 + i}}))
        .collect();
    let results = futures_join(bodies.iter().map(|b| t.patch(&coach, &path, b))).await;
    let ok = results.iter().filter(|s| **s == StatusCode::OK).count();
    let conflicts = results
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!(ok + conflicts, 8, "{results:?}");
    let e: Value = t.get(&coach, &path).await.json().await.unwrap();
    assert_eq!(
        e["corrections"].as_i64().unwrap(),
        ok as i64,
        "one history entry per accepted correction"
    );
}

async fn futures_join<F: std::future::Future<Output = reqwest::Response>>(
    futures: impl Iterator<Item = F>,
) -> Vec<StatusCode> {
    let handles: Vec<_> = futures.collect();
    let mut out = Vec::new();
    // Drive them concurrently on this task.
    let all = async {
        let mut pinned: Vec<_> = handles.into_iter().map(Box::pin).collect();
        let mut statuses = vec![None; pinned.len()];
        std::future::poll_fn(|cx| {
            let mut pending = false;
            for (i, f) in pinned.iter_mut().enumerate() {
                if statuses[i].is_none() {
                    match f.as_mut().poll(cx) {
                        std::task::Poll::Ready(r) => statuses[i] = Some(r.status()),
                        std::task::Poll::Pending => pending = true,
                    }
                }
            }
            if pending {
                std::task::Poll::Pending
            } else {
                std::task::Poll::Ready(())
            }
        })
        .await;
        statuses.into_iter().map(Option::unwrap).collect::<Vec<_>>()
    };
    out.extend(all.await);
    out
}
