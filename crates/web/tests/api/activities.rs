//! Activities, group attendance and the monthly time report through the API.

use crate::support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn activity(t: &TestApp, token: &str, project: &str) -> String {
    let pid = t.project_id(token, project).await;
    let r = t
        .post(
            token,
            &format!("/api/v1/projects/{pid}/activities"),
            // Unique: a project's activities have distinct names.
            &json!({"kind": "group_session", "name": format!("Testgrupp {}", uuid::Uuid::now_v7())}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// `n` new participants enrolled in En väg in on 2026-01-15 (no identity numbers needed here).
async fn participant_ids(t: &TestApp, token: &str, n: usize) -> Vec<String> {
    let project = t.project_id(token, "En väg in").await;
    let mut ids = Vec::new();
    for i in 0..n {
        let body = json!({"identity_mode": "none", "given_name": format!("Grupp{i}"), "family_name": "Deltagare", "gender": "woman", "project_id": project, "enrolled_on": "2026-01-15"});
        let r: Value = t
            .post(token, "/api/v1/participants", &body)
            .await
            .json()
            .await
            .unwrap();
        ids.push(r["participant"]["id"].as_str().unwrap().to_owned());
    }
    ids
}

#[tokio::test]
async fn a_group_of_ten_at_once_and_the_monthly_report_counts_whole_hours() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let act = activity(&t, &coach, "En väg in").await;
    let ids = participant_ids(&t, &coach, 10).await;
    assert_eq!(ids.len(), 10);
    let path = format!("/api/v1/activities/{act}/attendance");
    // 2 h 20 min on three days of March, one of them the 31st; April 1st belongs to April.
    for day in ["2026-03-02", "2026-03-16", "2026-03-31", "2026-04-01"] {
        let entries: Vec<Value> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                if i == 9 {
                    json!({"participant_id": id, "absence_reason": "sick"})
                } else {
                    json!({"participant_id": id, "hours": "2:20"})
                }
            })
            .collect();
        let r = t
            .post(&coach, &path, &json!({"date": day, "entries": entries}))
            .await;
        assert_eq!(r.status(), StatusCode::CREATED, "{day}");
        assert_eq!(r.json::<Value>().await.unwrap()["recorded"], 10);
    }
    let report: Value = t
        .get(
            &coach,
            &format!("/api/v1/participants/{}/time-report?month=2026-03", ids[0]),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(report["attended_minutes"], 420, "3 × 2 h 20 min");
    assert_eq!(report["whole_hours"], 7);
    assert_eq!(report["days_attended"], 3);
    let april: Value = t
        .get(
            &coach,
            &format!("/api/v1/participants/{}/time-report?month=2026-04", ids[0]),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            april["attended_minutes"].as_u64(),
            april["whole_hours"].as_u64()
        ),
        (Some(140), Some(2)),
        "2 h 20 min rounds down to 2"
    );
    let absent: Value = t
        .get(
            &coach,
            &format!("/api/v1/participants/{}/time-report?month=2026-03", ids[9]),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (absent["whole_hours"].as_u64(), absent["absences"].as_u64()),
        (Some(0), Some(3))
    );
    let csv = t
        .get(
            &coach,
            &format!(
                "/api/v1/participants/{}/time-report?month=2026-03&format=csv",
                ids[0]
            ),
        )
        .await;
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(
        csv.text()
            .await
            .unwrap()
            .ends_with(",2026-03,420,7,3,0\r\n")
    );

    // Registering the same group again would double the hours: refused, nothing stored.
    let again = t.post(&coach, &path, &json!({"date": "2026-03-02", "entries": [{"participant_id": ids[0], "hours": "2:20"}]})).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let report: Value = t
        .get(
            &coach,
            &format!("/api/v1/participants/{}/time-report?month=2026-03", ids[0]),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(report["whole_hours"], 7);
}

#[tokio::test]
async fn more_than_24_hours_a_day_or_bad_hours_store_nothing() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let act = activity(&t, &coach, "En väg in").await;
    let ids = participant_ids(&t, &coach, 2).await;
    let path = format!("/api/v1/activities/{act}/attendance");
    let ok = t
        .post(
            &coach,
            &path,
            &json!({"date": "2026-03-02", "entries": [{"participant_id": ids[0], "hours": "20"}]}),
        )
        .await;
    assert_eq!(ok.status(), StatusCode::CREATED);
    // The same day in another activity: 20 h + 4,5 h passes 24 h.
    let act2 = activity(&t, &coach, "En väg in").await;
    let path2 = format!("/api/v1/activities/{act2}/attendance");
    let r = t
        .post(
            &coach,
            &path2,
            &json!({"date": "2026-03-02", "entries": [
                {"participant_id": ids[1], "hours": "3"},
                {"participant_id": ids[0], "hours": "4,5"}
            ]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "entries[1].hours");
    let other: Value = t
        .get(
            &coach,
            &format!("/api/v1/participants/{}/time-report?month=2026-03", ids[1]),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        other["attended_minutes"], 0,
        "all or nothing: the valid line was not stored either"
    );
    let bad = t.post(&coach, &path, &json!({"date": "2099-01-01", "entries": [{"participant_id": ids[1], "hours": "tre"}, {"participant_id": ids[1], "hours": "1"}]})).await;
    let problem: Value = bad.json().await.unwrap();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        vec!["date", "entries[0].hours", "entries[1].participant_id"]
    );
}

#[tokio::test]
async fn another_organisations_participants_are_refused_and_the_refusal_is_audited() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let ours = participant_ids(&t, &coach, 1).await;
    let other = t.token(OTHER_COACH).await;
    let theirs = activity(&t, &other, "JagKan").await;
    let r = t
        .post(
            &other,
            &format!("/api/v1/activities/{theirs}/attendance"),
            &json!({"date": "2026-03-02", "entries": [{"participant_id": ours[0], "hours": "2"}]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let events = t.audit_of(&ours[0]).await;
    assert!(
        events
            .iter()
            .any(|e| e["record_kind"] == "attendance" && e["decision"] == "denied"),
        "{events:#?}"
    );
    // And their coach cannot use our activities at all.
    let our_activity = activity(&t, &coach, "En väg in").await;
    let r = t
        .post(
            &other,
            &format!("/api/v1/activities/{our_activity}/attendance"),
            &json!({"date": "2026-03-02", "entries": []}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn attendance_needs_an_enrolment_on_that_day_and_a_sane_group() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let act = activity(&t, &coach, "En väg in").await;
    let ids = participant_ids(&t, &coach, 1).await;
    let path = format!("/api/v1/activities/{act}/attendance");
    let before = t
        .post(
            &coach,
            &path,
            &json!({"date": "2026-01-14", "entries": [{"participant_id": ids[0], "hours": "1"}]}),
        )
        .await;
    assert_eq!(
        before.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "the day before enrolment"
    );
    let problem: Value = before.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "entries[0].participant_id");
    let too_many: Vec<Value> = (0..201)
        .map(|_| json!({"participant_id": uuid::Uuid::now_v7().to_string(), "hours": "1"}))
        .collect();
    let r = t
        .post(
            &coach,
            &path,
            &json!({"date": "2026-03-02", "entries": too_many}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // One unknown id in the group: refused, and the decision about the real one is audited.
    let r = t.post(&coach, &path, &json!({"date": "2026-03-02", "entries": [{"participant_id": ids[0], "hours": "1"}, {"participant_id": uuid::Uuid::now_v7().to_string(), "hours": "1"}]})).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_time_report_is_per_project() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let ids = participant_ids(&t, &coach, 1).await;
    let other_project = t.project_id(&coach, "Samverkan utan gränser").await;
    let r = t
        .post(
            &coach,
            &format!("/api/v1/participants/{}/enrolments", ids[0]),
            &json!({"project_id": other_project, "enrolled_on": "2026-01-15"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let (a1, a2) = (
        activity(&t, &coach, "En väg in").await,
        activity(&t, &coach, "Samverkan utan gränser").await,
    );
    for (act, hours) in [(&a1, "3"), (&a2, "5")] {
        let r = t.post(&coach, &format!("/api/v1/activities/{act}/attendance"), &json!({"date": "2026-03-02", "entries": [{"participant_id": ids[0], "hours": hours}]})).await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let ambiguous = t
        .get(
            &coach,
            &format!("/api/v1/participants/{}/time-report?month=2026-03", ids[0]),
        )
        .await;
    assert_eq!(
        ambiguous.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "two projects: say which"
    );
    let en_vag_in = t.project_id(&coach, "En väg in").await;
    let report: Value = t
        .get(
            &coach,
            &format!(
                "/api/v1/participants/{}/time-report?month=2026-03&project={en_vag_in}",
                ids[0]
            ),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(report["whole_hours"], 3);
}

/// Reads one sheet's XML out of an XLSX download.
fn sheet_xml(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut xml,
    )
    .unwrap();
    xml
}

#[tokio::test]
async fn the_project_time_report_rounds_each_participants_month_down_and_exports() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let act = activity(&t, &coach, "En väg in").await;
    let ids = participant_ids(&t, &coach, 3).await;
    let path = format!("/api/v1/activities/{act}/attendance");
    let day = |date: &str, entries: Value| json!({"date": date, "entries": entries});
    // Grupp0: 3 × 2 h 20 min in March = 7 h exactly. Grupp1: 1 h 45 min on 31 March and 2 h on
    // 1 April: March has 1 whole hour. Grupp2: only an absence in March.
    for d in ["2026-03-02", "2026-03-03", "2026-03-04"] {
        let r = t
            .post(
                &coach,
                &path,
                &day(d, json!([{"participant_id": ids[0], "hours": "2:20"}])),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    for (d, entry) in [
        (
            "2026-03-31",
            json!({"participant_id": ids[1], "hours": "1:45"}),
        ),
        (
            "2026-04-01",
            json!({"participant_id": ids[1], "hours": "2"}),
        ),
        (
            "2026-03-10",
            json!({"participant_id": ids[2], "absence_reason": "sick"}),
        ),
    ] {
        let r = t.post(&coach, &path, &day(d, json!([entry]))).await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let project = t.project_id(&coach, "En väg in").await;
    let url = format!("/api/v1/projects/{project}/time-report?month=2026-03");
    let report: Value = t.get(&coach, &url).await.json().await.unwrap();
    let rows = report["participants"].as_array().unwrap();
    let by_id = |id: &str| rows.iter().find(|r| r["participant_id"] == id).unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(
        (
            by_id(&ids[0])["whole_hours"].as_u64(),
            by_id(&ids[0])["attended_minutes"].as_u64()
        ),
        (Some(7), Some(420))
    );
    assert_eq!(
        (
            by_id(&ids[1])["whole_hours"].as_u64(),
            by_id(&ids[1])["attended_minutes"].as_u64()
        ),
        (Some(1), Some(105))
    );
    assert_eq!(
        (
            by_id(&ids[2])["whole_hours"].as_u64(),
            by_id(&ids[2])["absences"].as_u64()
        ),
        (Some(0), Some(1))
    );
    // The total is the sum of each participant's whole hours (525 minutes would round to 8 too,
    // so check against the per-participant certificates as well).
    assert_eq!(report["total_whole_hours"], 8);
    assert_eq!(report["total_minutes"], 525);
    for id in &ids {
        let one: Value = t
            .get(
                &coach,
                &format!("/api/v1/participants/{id}/time-report?month=2026-03&project={project}"),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(one["whole_hours"], by_id(id)["whole_hours"]);
    }
    // Each participant's month is rounded on its own: 2 h 30 + 1 h 30 on one day are 2 + 1 = 3
    // whole hours, not the 4 that rounding the project's 240 minutes once would give.
    for (id, hours) in [(&ids[0], "2:30"), (&ids[2], "1:30")] {
        let r = t
            .post(
                &coach,
                &path,
                &day(
                    "2026-05-05",
                    json!([{"participant_id": id, "hours": hours}]),
                ),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let may: Value = t
        .get(
            &coach,
            &format!("/api/v1/projects/{project}/time-report?month=2026-05"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            may["total_minutes"].as_u64(),
            may["total_whole_hours"].as_u64()
        ),
        (Some(240), Some(3))
    );
    // April holds Grupp1's two hours only.
    let april: Value = t
        .get(
            &coach,
            &format!("/api/v1/projects/{project}/time-report?month=2026-04"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(april["participants"].as_array().unwrap().len(), 1);
    assert_eq!(april["total_whole_hours"], 2);

    // CSV: the same figures, one line per participant and a total line.
    let r = t.get(&coach, &format!("{url}&format=csv")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("time-report-2026-03.csv")
    );
    let csv = r.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 5, "{csv}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Grupp0 Deltagare,") && l.contains(",7,420,3,0")),
        "{csv}"
    );
    assert!(lines[4].contains(",8,525,"), "{csv}");
    // XLSX: hours are numbers in the sheet, not text.
    let r = t.get(&coach, &format!("{url}&format=xlsx")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let xml = sheet_xml(&r.bytes().await.unwrap());
    for n in ["<v>7</v>", "<v>420</v>", "<v>8</v>", "<v>525</v>"] {
        assert!(xml.contains(n), "{n} in {xml}");
    }

    // A bad month is a clear error; another organisation cannot see the project's report.
    let bad = t
        .get(
            &coach,
            &format!("/api/v1/projects/{project}/time-report?month=2026-13"),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().await.unwrap().contains("month"));
    let other = t.token(OTHER_COACH).await;
    assert_eq!(t.get(&other, &url).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_activity_gets_a_weekly_schedule_and_bad_times_change_nothing() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let act = activity(&t, &coach, "En väg in").await;
    let url = format!("/api/v1/activities/{act}/schedules");
    let r = t
        .post(
            &coach,
            &url,
            &json!({"weekday": "2", "starts_at": "09:00", "hours": "3", "valid_from": "2026-03-01", "valid_to": "2026-06-30", "place": "Stadsbiblioteket"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let s: Value = r.json().await.unwrap();
    assert_eq!(
        (s["weekday"].as_u64(), s["minutes"].as_u64()),
        (Some(2), Some(180))
    );

    // Each bad field is named, and nothing is stored.
    for (body, field) in [
        (
            json!({"weekday": "8", "starts_at": "09:00", "hours": "3", "valid_from": "2026-03-01"}),
            "weekday",
        ),
        (
            json!({"weekday": "1", "starts_at": "25:00", "hours": "3", "valid_from": "2026-03-01"}),
            "starts_at",
        ),
        (
            json!({"weekday": "1", "starts_at": "09:00", "hours": "0:10", "valid_from": "2026-03-01"}),
            "hours",
        ),
        (
            json!({"weekday": "1", "starts_at": "22:00", "hours": "3", "valid_from": "2026-03-01"}),
            "hours",
        ),
        (
            json!({"weekday": "1", "starts_at": "09:00", "hours": "3", "valid_from": "2026-03-01", "valid_to": "2026-02-01"}),
            "valid_to",
        ),
        (
            json!({"weekday": "1", "starts_at": "09:00", "hours": "3", "valid_from": "1/3"}),
            "valid_from",
        ),
    ] {
        let r = t.post(&coach, &url, &body).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let problem: Value = r.json().await.unwrap();
        let fields: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, vec![field], "{body}");
    }
    let list: Vec<Value> = t.get(&coach, &url).await.json().await.unwrap();
    assert_eq!(list.len(), 1);
    // The project's activity list carries the schedule too.
    let project = t.project_id(&coach, "En väg in").await;
    let activities: Vec<Value> = t
        .get(&coach, &format!("/api/v1/projects/{project}/activities"))
        .await
        .json()
        .await
        .unwrap();
    let ours = activities.iter().find(|a| a["id"] == act.as_str()).unwrap();
    assert_eq!(ours["schedules"][0]["place"], "Stadsbiblioteket");
    // Another organisation can neither read nor add to it.
    let other = t.token(OTHER_COACH).await;
    assert_eq!(t.get(&other, &url).await.status(), StatusCode::NOT_FOUND);
    let r = t
        .post(
            &other,
            &url,
            &json!({"weekday": "1", "starts_at": "09:00", "hours": "1", "valid_from": "2026-03-01"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_project_cannot_have_two_activities_with_one_name() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let project = t.project_id(&coach, "En väg in").await;
    let url = format!("/api/v1/projects/{project}/activities");
    let body = json!({"kind": "motivation", "name": "Morgonmöte"});
    assert_eq!(
        t.post(&coach, &url, &body).await.status(),
        StatusCode::CREATED
    );
    let again = t
        .post(
            &coach,
            &url,
            &json!({"kind": "guidance", "name": " morgonmöte "}),
        )
        .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let list: Vec<Value> = t.get(&coach, &url).await.json().await.unwrap();
    assert_eq!(
        list.iter()
            .filter(|a| a["name"].as_str().unwrap().to_lowercase() == "morgonmöte")
            .count(),
        1
    );
}
