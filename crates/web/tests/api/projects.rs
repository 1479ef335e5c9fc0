//! Projects kept in Stegvis: created and edited with every fact of the funder's project bank
//! and its phase (every change kept), the target group checked at enrolment (refused with the
//! reason at the field, or enrolled with a written reason where the project allows
//! exceptions), and goals created, edited and retired, with the report following at once.

use crate::support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

const PROJECT_MANAGER: &str = "projektledare@demo.stegvis.se";

/// The facts of the seed project *En väg in*, as the funder's project bank shows them.
pub(crate) fn en_vag_in() -> Value {
    json!({
        "number": "2019/00383",
        "name": "En väg in",
        "region": "Sydsverige",
        "programme_area": "2",
        "specific_objective": "2.1",
        "intervention_type": "102",
        "union_cofinancing_rate_pct": 50,
        "period_start": "2020-04-01",
        "period_end": "2022-03-31",
        "total_budget": "9 249 253",
        "esf_support": 4341993,
        "planned_participants": 100,
        "contact_name": "Margaretha Håkanssson",
        "contact_email": "margaretha.hakansson@hassleholm.se",
        "postcode": "28180",
        "summary": "Projektaktiviteterna är skapade för 100 deltagare som uppbär ekonomiskt bistånd som också kommer att djupkartläggas.",
        "phase": "implementation",
        "municipalities": ["Hässleholm"],
        "target_group": {
            "min_age": 18, "max_age": 64,
            "social_assistance": "yes",
            "exceptions_allowed": false
        }
    })
}

/// The seed goal: at least 75 % of participants offered a work trial, work training or work
/// practice.
pub(crate) fn offer_goal() -> Value {
    json!({
        "name": "Minst 75 % erbjuds arbetsprövning, arbetsträning eller praktik",
        "definition": {
            "measure": "share",
            "who": {"who": "offered", "kinds": ["work_trial", "work_training", "work_practice"]},
            "of": {"who": "enrolled"},
            "percent": 75
        },
        "deadline": "2022-03-31"
    })
}

pub(crate) async fn json_of(r: reqwest::Response, status: StatusCode) -> Value {
    let got = r.status();
    let body = r.text().await.unwrap();
    assert_eq!(got, status, "{body}");
    serde_json::from_str(&body).unwrap()
}

fn fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect()
}

pub(crate) fn message_at<'a>(problem: &'a Value, field: &str) -> &'a str {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == field)
        .unwrap_or_else(|| panic!("an error at {field}: {problem}"))["message"]
        .as_str()
        .unwrap()
}

async fn projects(t: &TestApp, token: &str) -> Vec<Value> {
    json_of(t.get(token, "/api/v1/projects").await, StatusCode::OK)
        .await
        .as_array()
        .unwrap()
        .clone()
}

/// The demo already runs *En väg in*: its copy is renamed first (numbers are unique), which is
/// an edit with history of its own.
async fn rename_demo_copy(t: &TestApp, pm: &str) {
    let demo = t.project_id(pm, "En väg in").await;
    let r = t
        .patch(
            pm,
            &format!("/api/v1/projects/{demo}"),
            &json!({"number": "2019/99383", "name": "En väg in (demokopia)"}),
        )
        .await;
    json_of(r, StatusCode::OK).await;
}

async fn create_en_vag_in(t: &TestApp, pm: &str) -> Value {
    rename_demo_copy(t, pm).await;
    json_of(
        t.post(pm, "/api/v1/projects", &en_vag_in()).await,
        StatusCode::CREATED,
    )
    .await
}

pub(crate) fn total(by_sex: &Value) -> u64 {
    ["women", "men", "non_binary"]
        .iter()
        .map(|k| by_sex[k].as_u64().unwrap())
        .sum()
}

pub(crate) async fn report_goal(
    t: &TestApp,
    token: &str,
    project: &str,
    name: &str,
) -> Option<Value> {
    let r = json_of(
        t.get(token, &format!("/api/v1/projects/{project}/report"))
            .await,
        StatusCode::OK,
    )
    .await;
    r["goals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == name)
        .cloned()
}

#[tokio::test]
async fn a_project_manager_creates_en_vag_in_with_its_facts_and_every_edit_keeps_history() {
    let t = spawn_app().await;
    let pm = t.token(PROJECT_MANAGER).await;
    let p = create_en_vag_in(&t, &pm).await;
    assert_eq!(p["number"], "2019/00383");
    assert_eq!(p["name"], "En väg in");
    assert_eq!(p["region"], "Sydsverige");
    assert_eq!(p["programme_area"], "2");
    assert_eq!(p["specific_objective"], "2.1");
    assert_eq!(p["intervention_type"], "102");
    assert_eq!(p["union_cofinancing_rate_pct"], 50);
    assert_eq!(p["period_start"], "2020-04-01");
    assert_eq!(p["period_end"], "2022-03-31");
    assert_eq!(p["total_budget"], 9_249_253);
    assert_eq!(p["esf_support"], 4_341_993);
    assert_eq!(p["planned_participants"], 100);
    assert_eq!(p["contact_name"], "Margaretha Håkanssson");
    assert_eq!(p["contact_email"], "margaretha.hakansson@hassleholm.se");
    assert_eq!(p["postcode"], "28180");
    assert_eq!(p["phase"], "implementation");
    assert_eq!(p["municipalities"], json!(["Hässleholm"]));
    assert_eq!(p["target_group"]["social_assistance"], "yes");
    assert_eq!(p["target_group"]["min_age"], 18);
    assert_eq!(p["owner_name"], "Hässleholms kommun, Arbetsmarknadsenheten");
    let id = p["id"].as_str().unwrap();

    // Everyone logged in sees it among the projects.
    let coach = t.token(COACH).await;
    assert!(
        projects(&t, &coach)
            .await
            .iter()
            .any(|x| x["number"] == "2019/00383")
    );

    // The phase moves on; the earlier version is kept, with who changed it.
    let r = t
        .patch(
            &pm,
            &format!("/api/v1/projects/{id}"),
            &json!({"phase": "closing", "partner_ids": [t.org_id("Arbetsförmedlingen").await], "version": p["version"]}),
        )
        .await;
    let edited = json_of(r, StatusCode::OK).await;
    assert_eq!(edited["phase"], "closing");
    assert_eq!(edited["partners"], json!(["Arbetsförmedlingen"]));
    assert_eq!(
        edited["name"], "En väg in",
        "a field left out keeps its value"
    );
    let history = json_of(
        t.get(&pm, &format!("/api/v1/projects/{id}/history")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(history.as_array().unwrap().len(), 1);
    assert_eq!(history[0]["previous"]["phase"], "implementation");
    assert_eq!(history[0]["previous"]["number"], "2019/00383");
    assert!(history[0]["changed_by"].is_string());

    // An edit made from the version before is refused, and changes nothing.
    let r = t
        .patch(
            &pm,
            &format!("/api/v1/projects/{id}"),
            &json!({"phase": "mobilisation", "version": p["version"]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let now = json_of(
        t.get(&pm, &format!("/api/v1/projects/{id}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(now["phase"], "closing");

    // A coach neither creates nor edits projects; the administrator does.
    let before = projects(&t, &coach).await.len();
    let mut other = en_vag_in();
    other["number"] = json!("2019/00999");
    other["name"] = json!("Coachens projekt");
    let r = t.post(&coach, "/api/v1/projects", &other).await;
    assert!(r.status() == StatusCode::FORBIDDEN || r.status() == StatusCode::NOT_FOUND);
    let r = t
        .patch(
            &coach,
            &format!("/api/v1/projects/{id}"),
            &json!({"phase": "mobilisation"}),
        )
        .await;
    assert!(r.status() == StatusCode::FORBIDDEN || r.status() == StatusCode::NOT_FOUND);
    assert_eq!(projects(&t, &coach).await.len(), before);
    let admin = t.token(ADMIN).await;
    other["name"] = json!("Administratörens projekt");
    json_of(
        t.post(&admin, "/api/v1/projects", &other).await,
        StatusCode::CREATED,
    )
    .await;
    // Another organisation's staff cannot edit it: not found.
    let helsingborg = t.token(OTHER_COACH).await;
    let r = t
        .patch(
            &helsingborg,
            &format!("/api/v1/projects/{id}"),
            &json!({"phase": "mobilisation"}),
        )
        .await;
    assert!(r.status() == StatusCode::NOT_FOUND || r.status() == StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn every_project_fact_is_checked_at_its_field_and_nothing_changes() {
    let t = spawn_app().await;
    let pm = t.token(PROJECT_MANAGER).await;
    let before = projects(&t, &pm).await;
    let mut bad = en_vag_in();
    bad["number"] = json!("2019-383");
    bad["period_end"] = json!("2019-03-31");
    bad["esf_support"] = json!(9_999_999);
    bad["union_cofinancing_rate_pct"] = json!(150);
    bad["municipalities"] = json!(["Hässleholm", "Atlantis"]);
    bad["target_group"] = json!({"min_age": 65, "max_age": 18, "social_assistance": "ofta"});
    bad["phase"] = json!("pausad");
    let problem = json_of(
        t.post(&pm, "/api/v1/projects", &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let got = fields(&problem);
    for field in [
        "number",
        "period_end",
        "esf_support",
        "union_cofinancing_rate_pct",
        "municipalities",
        "target_group.max_age",
        "target_group.social_assistance",
        "phase",
    ] {
        assert!(got.contains(&field.to_owned()), "{field}: {problem}");
    }
    assert!(message_at(&problem, "municipalities").contains("Atlantis"));
    assert!(message_at(&problem, "period_end").contains("sluta innan"));
    // In English too.
    let r = t
        .http
        .post(format!("{}/api/v1/projects", t.base))
        .bearer_auth(&pm)
        .header("accept-language", "en")
        .json(&bad)
        .send()
        .await
        .unwrap();
    let problem = json_of(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(message_at(&problem, "period_end").contains("end before"));
    // Required facts, when creating.
    let problem = json_of(
        t.post(&pm, "/api/v1/projects", &json!({})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let got = fields(&problem);
    for field in [
        "name",
        "region",
        "period_start",
        "period_end",
        "total_budget",
        "esf_support",
    ] {
        assert!(got.contains(&field.to_owned()), "{field}: {problem}");
    }
    // The seed's number is taken.
    let problem = json_of(
        t.post(&pm, "/api/v1/projects", &en_vag_in()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(fields(&problem).contains(&"number".to_owned()), "{problem}");
    assert_eq!(projects(&t, &pm).await, before, "nothing was created");

    // An edit with the same mistakes changes nothing either.
    let id = t.project_id(&pm, "En väg in").await;
    let path = format!("/api/v1/projects/{id}");
    let was = json_of(t.get(&pm, &path).await, StatusCode::OK).await;
    let problem = json_of(
        t.patch(
            &pm,
            &path,
            &json!({"name": "Ändrat namn", "period_end": "2001-01-01", "esf_support": "99 999 999", "union_cofinancing_rate_pct": -1, "number": "00383"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let got = fields(&problem);
    for field in [
        "period_end",
        "esf_support",
        "union_cofinancing_rate_pct",
        "number",
    ] {
        assert!(got.contains(&field.to_owned()), "{field}: {problem}");
    }
    assert_eq!(json_of(t.get(&pm, &path).await, StatusCode::OK).await, was);
    let history = json_of(t.get(&pm, &format!("{path}/history")).await, StatusCode::OK).await;
    assert!(history.as_array().unwrap().is_empty());
}

#[tokio::test]
async fn the_target_group_refuses_with_the_reason_or_takes_a_written_exception() {
    let t = spawn_app().await;
    let pm = t.token(PROJECT_MANAGER).await;
    let coach = t.token(COACH).await;
    let p = create_en_vag_in(&t, &pm).await;
    let project = p["id"].as_str().unwrap().to_owned();
    let register = |social_assistance: &str, birth: &str, reason: Option<&str>| {
        let mut body = json!({
            "identity_mode": "none", "birth_date": birth,
            "given_name": "Målgrupp", "family_name": "Prövad", "gender": "woman",
            "project_id": project, "enrolled_on": "2026-01-15",
            "baseline": {"labour_status": "unemployed", "social_assistance": social_assistance}
        });
        if let Some(r) = reason {
            body["eligibility_exception"] = json!(r);
        }
        body
    };
    let count = t.participant_count(&coach).await;

    // Without social assistance: refused, the reason at the question.
    let problem = json_of(
        t.post(
            &coach,
            "/api/v1/participants",
            &register("no", "1990-05-01", None),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let m = message_at(&problem, "baseline.social_assistance");
    assert!(m.contains("ekonomiskt bistånd"), "{m}");
    assert!(m.contains("svarat nej"), "{m}");
    // Too old: refused at the date of birth.
    let problem = json_of(
        t.post(
            &coach,
            "/api/v1/participants",
            &register("yes", "1950-05-01", None),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(
        message_at(&problem, "birth_date").contains("75 år"),
        "{problem}"
    );
    // A written reason is no help where the project allows no exceptions.
    let r = t
        .post(
            &coach,
            "/api/v1/participants",
            &register("no", "1990-05-01", Some("Remitterad av socialtjänsten")),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        t.participant_count(&coach).await,
        count,
        "nobody registered"
    );

    // Within the target group: enrolled.
    let inside = json_of(
        t.post(
            &coach,
            "/api/v1/participants",
            &register("yes", "1990-05-01", None),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert!(inside["enrolments"][0]["id"].is_string());
    assert!(inside["enrolments"][0]["eligibility_exception"].is_null());

    // The project manager allows exceptions: without a reason the form asks for one, with one
    // the participant is enrolled and the reason kept, and the audit trail names the exception.
    let r = t
        .patch(
            &pm,
            &format!("/api/v1/projects/{project}"),
            &json!({"target_group": {"min_age": 18, "max_age": 64, "social_assistance": "yes", "exceptions_allowed": true}}),
        )
        .await;
    json_of(r, StatusCode::OK).await;
    let problem = json_of(
        t.post(
            &coach,
            "/api/v1/participants",
            &register("no", "1990-05-01", None),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(fields(&problem).contains(&"eligibility_exception".to_owned()));
    assert!(fields(&problem).contains(&"baseline.social_assistance".to_owned()));
    let reason = "Remitterad av socialtjänsten: bidraget har just upphört";
    let outside = json_of(
        t.post(
            &coach,
            "/api/v1/participants",
            &register("no", "1990-05-01", Some(reason)),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(outside["enrolments"][0]["eligibility_exception"], reason);
    let enrolment = outside["enrolments"][0]["id"].as_str().unwrap();
    let read = json_of(
        t.get(&coach, &format!("/api/v1/enrolments/{enrolment}"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(read["eligibility_exception"], reason);
    let pid = outside["participant"]["id"].as_str().unwrap();
    let events = t.audit_of(pid).await;
    assert!(
        events.iter().any(|e| e["record_kind"] == "enrolment"
            && e["detail"]
                .as_str()
                .is_some_and(|d| d.contains("outside the target group")
                    && d.contains("social_assistance")
                    && !d.contains("socialtjänsten"))),
        "{events:?}"
    );

    // Enrolling an existing participant is checked the same way.
    let other = t.project_id(&coach, "Nästa steg (demoprojekt)").await;
    let someone = json_of(
        t.post(
            &coach,
            "/api/v1/participants",
            &json!({"identity_mode": "none", "birth_date": "1985-02-02", "given_name": "Redan", "family_name": "Inskriven", "gender": "man", "project_id": other, "enrolled_on": "2026-01-10", "baseline": {"labour_status": "unemployed"}}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let sid = someone["participant"]["id"].as_str().unwrap();
    let path = format!("/api/v1/participants/{sid}/enrolments");
    let problem = json_of(
        t.post(
            &coach,
            &path,
            &json!({"project_id": project, "enrolled_on": "2026-02-01", "baseline": {"social_assistance": "no"}}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(
        message_at(&problem, "baseline.social_assistance").contains("ekonomiskt bistånd"),
        "{problem}"
    );
    let e = json_of(
        t.post(
            &coach,
            &path,
            &json!({"project_id": project, "enrolled_on": "2026-02-01", "baseline": {"social_assistance": "no"}, "eligibility_exception": reason}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(e["eligibility_exception"], reason);
}

#[tokio::test]
async fn the_offer_goal_is_previewed_saved_and_moves_with_an_offer_at_once() {
    let t = spawn_app().await;
    let pm = t.token(PROJECT_MANAGER).await;
    let coach = t.token(COACH).await;
    let p = create_en_vag_in(&t, &pm).await;
    let project = p["id"].as_str().unwrap().to_owned();
    let goal = offer_goal();
    let name = goal["name"].as_str().unwrap().to_owned();

    // Two participants in the target group.
    let mut ids = Vec::new();
    for given in ["Anna", "Bodil"] {
        let r = json_of(
            t.post(
                &coach,
                "/api/v1/participants",
                &json!({"identity_mode": "none", "birth_date": "1990-05-01", "given_name": given, "family_name": "Mål", "gender": "woman", "project_id": project, "enrolled_on": "2026-01-15", "baseline": {"labour_status": "unemployed", "social_assistance": "yes"}}),
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
        ids.push(r["participant"]["id"].as_str().unwrap().to_owned());
    }

    // The preview counts today's value before saving.
    let preview = json_of(
        t.post(
            &pm,
            &format!("/api/v1/projects/{project}/goals/preview"),
            &json!({"definition": goal["definition"]}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(total(&preview["achieved"]), 0);
    assert_eq!(total(&preview["base"]), 2);
    assert_eq!(preview["needed"], 2);
    assert_eq!(preview["met"], false);
    assert!(report_goal(&t, &pm, &project, &name).await.is_none());

    // Saved, it is in the report at once.
    let saved = json_of(
        t.post(&pm, &format!("/api/v1/projects/{project}/goals"), &goal)
            .await,
        StatusCode::CREATED,
    )
    .await;
    let gid = saved["id"].as_str().unwrap().to_owned();
    let g = report_goal(&t, &pm, &project, &name)
        .await
        .expect("in the report");
    assert_eq!(total(&g["achieved"]), 0);
    assert_eq!(total(&g["base"]), 2);

    // The coach offers a work trial: the goal's progress moves.
    let employer = json_of(
        t.post(
            &coach,
            "/api/v1/employers",
            &json!({"name": "Målets AB", "kind": "employer", "workplace": {"name": "Verkstaden"}}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let workplace = employer["workplaces"][0]["id"].as_str().unwrap();
    json_of(
        t.post(
            &coach,
            &format!("/api/v1/participants/{}/placements", ids[0]),
            &json!({"workplace_id": workplace, "kind": "work_trial", "offered_on": "2026-02-01"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let g = report_goal(&t, &pm, &project, &name).await.unwrap();
    assert_eq!(total(&g["achieved"]), 1);
    assert_eq!(g["achieved"]["women"], 1);
    assert_eq!(g["progress_percent"], 50);
    assert_eq!(g["met"], false);

    // Edited to 50 %: met at once, and the earlier version is kept.
    let mut edit = goal.clone();
    edit["definition"]["percent"] = json!(50);
    edit["version"] = saved["version"].clone();
    let edited = json_of(
        t.put(&pm, &format!("/api/v1/goals/{gid}"), &edit).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        edited["history"][0]["previous"]["definition"]["percent"],
        75
    );
    let g = report_goal(&t, &pm, &project, &name).await.unwrap();
    assert_eq!(g["met"], true);
    assert_eq!(g["needed"], 1);
    // Stale: refused.
    let r = t.put(&pm, &format!("/api/v1/goals/{gid}"), &edit).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);

    // Retired: kept with its history, gone from the report at once.
    let retired = json_of(
        t.post(
            &pm,
            &format!("/api/v1/goals/{gid}/retire"),
            &json!({"version": edited["version"]}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(retired["retired_at"].is_string());
    assert!(report_goal(&t, &pm, &project, &name).await.is_none());
    let all = json_of(
        t.get(&pm, &format!("/api/v1/projects/{project}/goals"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(all.as_array().unwrap().len(), 1);

    // A coach keeps no goals.
    let r = t
        .post(&coach, &format!("/api/v1/projects/{project}/goals"), &goal)
        .await;
    assert!(r.status() == StatusCode::FORBIDDEN || r.status() == StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_goal_that_cannot_be_met_or_missed_is_refused_at_its_field() {
    let t = spawn_app().await;
    let pm = t.token(PROJECT_MANAGER).await;
    let project = t.project_id(&pm, "En väg in").await;
    let path = format!("/api/v1/projects/{project}/goals");
    let before = json_of(t.get(&pm, &path).await, StatusCode::OK).await;
    for (percent, field) in [(0, "definition.percent"), (101, "definition.percent")] {
        let mut g = offer_goal();
        g["name"] = json!(format!("Andel {percent}"));
        g["definition"]["percent"] = json!(percent);
        let problem = json_of(
            t.post(&pm, &path, &g).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert!(
            message_at(&problem, field).contains("mer än 0 %"),
            "{problem}"
        );
        // Nor can it be previewed.
        let r = t
            .post(
                &pm,
                &format!("{path}/preview"),
                &json!({"definition": g["definition"]}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    for target in [0, -3] {
        let g = json!({"name": "Antal", "definition": {"measure": "count", "who": {"who": "enrolled"}, "target": target}});
        let problem = json_of(
            t.post(&pm, &path, &g).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert!(
            message_at(&problem, "definition.target").contains("minst 1"),
            "{problem}"
        );
    }
    let g = json!({"name": "", "definition": {"measure": "count", "who": {"who": "enrolled"}, "target": 5, "filter": {"min_age": 30, "max_age": 18}}, "deadline": "2026-13-01"});
    let problem = json_of(
        t.post(&pm, &path, &g).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let got = fields(&problem);
    for field in ["name", "definition.filter.max_age", "deadline"] {
        assert!(got.contains(&field.to_owned()), "{field}: {problem}");
    }
    assert_eq!(
        json_of(t.get(&pm, &path).await, StatusCode::OK).await,
        before
    );
}
