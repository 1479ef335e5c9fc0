//! The project report over real HTTP: the counts move exactly with what is recorded, the
//! exports carry the page's numbers, and the published export hides small cells.

use crate::forms::{get_page, web_login};
use crate::support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn full_baseline() -> Value {
    let mut b = json!({"labour_status": "unemployed", "long_term_unemployed": "yes", "months_without_work": 14, "isced_level": 2});
    for f in [
        "born_abroad",
        "foreign_background",
        "disability",
        "homeless",
        "jobless_household",
        "dependent_children",
        "single_adult_with_children",
        "social_assistance",
        "sick_leave",
        "activity_compensation",
        "registered_at_employment_service",
    ] {
        b[f] = json!("no");
    }
    b
}

async fn report(t: &TestApp, token: &str, project: &str) -> Value {
    let r = t
        .get(token, &format!("/api/v1/projects/{project}/report"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

/// [women, men, non-binary, total] of an indicator.
fn indicator(r: &Value, code: &str) -> [u64; 4] {
    let c = &r["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == code)
        .unwrap()["count"];
    let w = c["women"].as_u64().unwrap();
    let m = c["men"].as_u64().unwrap();
    let nb = c["non_binary"].as_u64().unwrap();
    [w, m, nb, w + m + nb]
}

fn goal<'a>(r: &'a Value, starts: &str) -> &'a Value {
    r["goals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"].as_str().unwrap().starts_with(starts))
        .unwrap_or_else(|| panic!("goal {starts}: {r}"))
}

fn minus(a: [u64; 4], b: [u64; 4]) -> [u64; 4] {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2], a[3] - b[3]]
}

#[tokio::test]
async fn the_report_moves_exactly_with_what_is_recorded() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let project = t.project_id(&coach, "Nästa steg (demoprojekt)").await;
    let before = report(&t, &coach, &project).await;
    assert!(
        before["goals"].as_array().unwrap().len() >= 2,
        "the seed goals are loaded"
    );

    // A woman with a complete baseline, offered a work trial; a man with an incomplete one.
    let register = |given: &str, gender: &str, baseline: Value| {
        let (t, coach, project) = (&t, coach.clone(), project.clone());
        let body = json!({"identity_mode": "none", "given_name": given, "family_name": "Rapport", "gender": gender, "project_id": project, "enrolled_on": "2026-01-15", "baseline": baseline});
        async move {
            let r = t.post(&coach, "/api/v1/participants", &body).await;
            assert_eq!(r.status(), StatusCode::CREATED);
            r.json::<Value>().await.unwrap()["participant"]["id"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let woman = register("Hel", "woman", full_baseline()).await;
    register("Halv", "man", json!({"labour_status": "unemployed"})).await;
    // Without a birth date (no identity number) the age is unknown: incomplete. Give one.
    let mut with_age = full_baseline();
    with_age["labour_status"] = json!("inactive");
    with_age["in_education"] = json!("no");
    with_age["long_term_unemployed"] = Value::Null;
    with_age["months_without_work"] = Value::Null;
    let created: Value = t
        .post(
            &coach,
            "/api/v1/participants",
            &json!({"identity_number": "811218-9876", "given_name": "Ålder", "family_name": "Rapport", "gender": "non_binary", "project_id": project, "enrolled_on": "2026-01-15", "baseline": with_age}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(created["participant"]["id"].is_string(), "{created}");
    let employer: Value = t
        .post(
            &coach,
            "/api/v1/employers",
            &json!({"name": "Rapportens AB", "kind": "employer", "workplace": {"name": "Lagret"}}),
        )
        .await
        .json()
        .await
        .unwrap();
    let workplace = employer["workplaces"][0]["id"].as_str().unwrap();
    let r = t
        .post(
            &coach,
            &format!("/api/v1/participants/{woman}/placements"),
            &json!({"workplace_id": workplace, "kind": "work_trial", "offered_on": "2026-02-01"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);

    let after = report(&t, &coach, &project).await;
    // Only the non-binary participant is complete (the woman has no birth date: no number).
    assert_eq!(
        minus(indicator(&after, "EECO01"), indicator(&before, "EECO01")),
        [0, 0, 1, 1]
    );
    assert_eq!(
        minus(indicator(&after, "EECO04"), indicator(&before, "EECO04")),
        [0, 0, 1, 1]
    );
    assert_eq!(
        minus(indicator(&after, "EECO03"), indicator(&before, "EECO03")),
        [0, 0, 0, 0]
    );
    let inc = |r: &Value| {
        let c = &r["incomplete"];
        [
            c["women"].as_u64().unwrap(),
            c["men"].as_u64().unwrap(),
            c["non_binary"].as_u64().unwrap(),
            0,
        ]
    };
    assert_eq!(minus(inc(&after), inc(&before)), [1, 1, 0, 0]);
    let names: Vec<&str> = after["incomplete_participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Hel Rapport") && names.contains(&"Halv Rapport"));
    // The goal counts everyone enrolled, complete or not: the offer moved the women by one.
    let g = |r: &Value| {
        let g = goal(r, "Minst 75 %");
        (
            g["achieved"]["women"].as_u64().unwrap(),
            g["base"]["women"].as_u64().unwrap()
                + g["base"]["men"].as_u64().unwrap()
                + g["base"]["non_binary"].as_u64().unwrap(),
        )
    };
    let (w0, b0) = g(&before);
    let (w1, b1) = g(&after);
    assert_eq!((w1 - w0, b1 - b0), (1, 3));
    let needed = goal(&after, "Minst 75 %")["needed"].as_u64().unwrap();
    assert_eq!(
        needed,
        (b1 * 75).div_ceil(100),
        "75 % of everyone enrolled, rounded up"
    );

    // Enrolments over time: the three were enrolled in January 2026.
    let month = |r: &Value| {
        r["enrolments_by_month"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["label"] == "2026-01")
            .map_or(0, |m| {
                ["women", "men", "non_binary"]
                    .iter()
                    .map(|g| m["count"][g].as_u64().unwrap())
                    .sum::<u64>()
            })
    };
    assert_eq!(month(&after) - month(&before), 3);
    // Money: the budget per participant follows the enrolments.
    let facts: Value = t
        .get(&coach, &format!("/api/v1/projects/{project}"))
        .await
        .json()
        .await
        .unwrap();
    let budget = facts["total_budget"]
        .as_i64()
        .unwrap_or_else(|| panic!("{facts}"));
    let m = &after["money"];
    assert_eq!(m["total_budget_sek"].as_i64().unwrap(), budget);
    assert_eq!(
        m["cofinancing_sek"].as_i64().unwrap(),
        budget - m["esf_support_sek"].as_i64().unwrap()
    );
    assert_eq!(
        m["cost_per_participant_sek"].as_i64().unwrap(),
        budget / b1 as i64
    );

    // The people behind the goal's number, one click away, for those who run the project.
    let gid = goal(&after, "Minst 75 %")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let cookie = web_login(&t, COACH).await;
    let page = get_page(&t, &format!("/projects/{project}/goals/{gid}"), &cookie).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Hel Rapport"), "offered a work trial");
    assert!(!html.contains("Halv Rapport"), "offered nothing");
    let other_cookie = web_login(&t, OTHER_COACH).await;
    let page = get_page(
        &t,
        &format!("/projects/{project}/goals/{gid}"),
        &other_cookie,
    )
    .await;
    assert_eq!(page.status(), StatusCode::NOT_FOUND);

    // The funder's participant file: one line per enrolment, the number formatted, and every
    // participant in it sees the export in their access log. Only the project manager gets it:
    // a coach would otherwise hold every identity number of the project.
    let refused = get_page(
        &t,
        &format!("/projects/{project}/report/participants?format=csv"),
        &cookie,
    )
    .await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    let cookie = web_login(&t, PROJECT_MANAGER).await;
    let file = get_page(
        &t,
        &format!("/projects/{project}/report/participants?format=csv"),
        &cookie,
    )
    .await;
    assert_eq!(file.status(), StatusCode::OK);
    let body = file.text().await.unwrap();
    let lines: Vec<&str> = body.trim_end().split("\r\n").collect();
    assert_eq!(lines.len() as u64 - 1, b1, "a line per enrolment");
    let line = lines
        .iter()
        .find(|l| l.contains("non_binary") && l.contains("19811218"))
        .expect("the participant with a number");
    assert!(
        line.starts_with("19811218-9876,number,non_binary,1981-12-18,2026-01-15"),
        "{line}"
    );
    let events = t.audit_of(&woman).await;
    assert!(
        events
            .iter()
            .any(|e| e["detail"] == format!("participant file {project}"))
    );

    // Another organisation's coach gets nothing of it.
    let other = t.token(OTHER_COACH).await;
    assert_eq!(
        t.get(&other, &format!("/api/v1/projects/{project}/report"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_exports_carry_the_pages_numbers_and_the_published_one_hides_small_cells() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let project = t.project_id(&coach, "Nästa steg (demoprojekt)").await;
    let json = report(&t, &coach, &project).await;
    let cookie = web_login(&t, COACH).await;
    let page = get_page(&t, &format!("/projects/{project}/report"), &cookie).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("EECO01") && html.contains(r#"role="img""#));

    let csv = |published: bool| {
        let (t, cookie, project) = (&t, cookie.clone(), project.clone());
        async move {
            let q = if published { "&published=1" } else { "" };
            let r = get_page(
                t,
                &format!("/projects/{project}/report/export?format=csv{q}"),
                &cookie,
            )
            .await;
            assert_eq!(r.status(), StatusCode::OK);
            let body = r.text().await.unwrap();
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(true)
                .from_reader(body.trim_start_matches('\u{feff}').as_bytes());
            reader
                .records()
                .map(|r| r.unwrap().iter().map(str::to_owned).collect::<Vec<_>>())
                .collect::<Vec<Vec<String>>>()
        }
    };
    let exact = csv(false).await;
    for code in ["EECO01", "EECO02", "EECO09", "EECR04"] {
        let row = exact.iter().find(|r| r[0] == code).unwrap();
        let want = indicator(&json, code);
        let got: Vec<u64> = row[2..6].iter().map(|c| c.parse().unwrap()).collect();
        assert_eq!(got, want.to_vec(), "{code}");
    }
    let published = csv(true).await;
    let mut suppressed = 0;
    for row in &published {
        for cell in &row[2..6] {
            match cell.parse::<u64>() {
                Ok(n) => assert!(n == 0 || n >= 5, "a small cell was published: {row:?}"),
                Err(_) => {
                    assert!(cell == "<5" || cell == "..", "{cell}");
                    suppressed += 1;
                }
            }
        }
    }
    assert!(
        suppressed > 0,
        "the demo's 30 participants make small cells"
    );
}

#[tokio::test]
async fn the_rollup_sums_the_organisations_projects_and_filters_by_municipality() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let cookie = web_login(&t, COACH).await;
    let csv = |query: &str| {
        let (t, cookie) = (&t, cookie.clone());
        let url = format!("/reports/rollup?{query}&format=csv");
        async move {
            let r = get_page(t, &url, &cookie).await;
            assert_eq!(r.status(), StatusCode::OK);
            let body = r.text().await.unwrap();
            body.trim_end()
                .split("\r\n")
                .skip(1)
                .map(|l| l.split(',').map(str::to_owned).collect::<Vec<_>>())
                .collect::<Vec<_>>()
        }
    };
    let all = csv("").await;
    let eeco01 = |rows: &[Vec<String>]| -> u64 {
        rows.iter().find(|r| r[0] == "EECO01").unwrap()[5]
            .parse()
            .unwrap()
    };
    // The sum equals the organisation's projects' own reports, one by one.
    let projects: Vec<Value> = t
        .get(&coach, "/api/v1/projects")
        .await
        .json()
        .await
        .unwrap();
    let own = "Hässleholms kommun, Arbetsmarknadsenheten";
    let page = get_page(&t, "/reports/rollup", &cookie)
        .await
        .text()
        .await
        .unwrap();
    let mut by_project = 0;
    for p in &projects {
        let name = p["name"].as_str().unwrap();
        if p["owner_name"] == own {
            let r = report(&t, &coach, p["id"].as_str().unwrap()).await;
            // Projects of 2014–2020 report CO codes; EECO01 sums over the ESF+ ones.
            if r["indicator_set"] == "esf_plus" {
                by_project += indicator(&r, "EECO01")[3];
            } else {
                assert!(
                    r["indicators"][0]["code"] == "CO01",
                    "{}",
                    r["indicators"][0]
                );
            }
            assert!(page.contains(name), "{name}");
        } else {
            assert!(
                !page.contains(&format!(">{name}<")),
                "another organisation's {name}"
            );
        }
    }
    assert!(by_project > 0);
    assert_eq!(eeco01(&all), by_project);
    // One municipality: only the projects working there.
    let here = csv("municipality=H%C3%A4ssleholm").await;
    assert!(eeco01(&here) > 0 && eeco01(&here) <= eeco01(&all));
    // A municipality none of the projects works in is named as an error, not silently empty.
    let bad = get_page(&t, "/reports/rollup?municipality=Atlantis", &cookie)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        bad.contains("aria-invalid=\"true\""),
        "the error at the field"
    );
    // The published roll-up has no cell of 1–4.
    for row in csv("published=1").await {
        for c in &row[2..6] {
            if let Ok(n) = c.parse::<u64>() {
                assert!(n == 0 || n >= 5, "{row:?}");
            }
        }
    }
    // Supervisors and participants have no roll-up.
    let sup = web_login(&t, "handledare@demo.stegvis.se").await;
    assert_eq!(
        get_page(&t, "/reports/rollup", &sup).await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn someone_without_a_number_counts_once_their_date_of_birth_is_given() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let project = t.project_id(&coach, "Nästa steg (demoprojekt)").await;
    let body = |birth: &str| json!({"identity_mode": "none", "birth_date": birth, "given_name": "Född", "family_name": "Utan", "gender": "woman", "project_id": project, "enrolled_on": "2026-01-15", "baseline": full_baseline()});
    let r = t
        .post(&coach, "/api/v1/participants", &body("2990-01-01"))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("birth_date"));
    let r = t
        .post(&coach, "/api/v1/participants", &body("1990-05-05"))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: Value = r.json().await.unwrap();
    assert_eq!(created["participant"]["birth_date"], "1990-05-05");
    let after = report(&t, &coach, &project).await;
    let names: Vec<&str> = after["incomplete_participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(!names.contains(&"Född Utan"), "counted: {names:?}");
    // With a number, the date comes from the number.
    let r = t
        .post(
            &coach,
            "/api/v1/participants",
            &json!({"identity_number": "811218-9876", "birth_date": "1990-05-05", "given_name": "Nummer", "family_name": "Först", "gender": "man", "project_id": project, "enrolled_on": "2026-01-15"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(
        r.json::<Value>().await.unwrap()["participant"]["birth_date"],
        "1981-12-18"
    );
}

#[tokio::test]
async fn social_assistance_is_followed_from_entry_to_six_months_after_leaving() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let project = t.project_id(&coach, "Nästa steg (demoprojekt)").await;
    let sa = |r: &Value, k: &str| r["social_assistance"][k]["women"].as_u64().unwrap();
    let before = report(&t, &coach, &project).await;
    let mut baseline = full_baseline();
    baseline["social_assistance"] = json!("yes");
    let day = |n: i64| (t.app.today() - time::Duration::days(n)).to_string();
    let created: Value = t
        .post(
            &coach,
            "/api/v1/participants",
            &json!({"identity_mode": "none", "birth_date": "1985-02-02", "given_name": "Bi", "family_name": "Stånd", "gender": "woman", "project_id": project, "enrolled_on": day(400), "baseline": baseline}),
        )
        .await
        .json()
        .await
        .unwrap();
    let pid = created["participant"]["id"].as_str().unwrap().to_owned();
    let eid = created["enrolments"][0]["id"].as_str().unwrap().to_owned();
    let r = t
        .post(
            &coach,
            &format!("/api/v1/enrolments/{eid}/exit"),
            &json!({"exited_on": day(200), "exit_status": "job_seeking"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let list: Vec<Value> = t
        .get(&coach, &format!("/api/v1/participants/{pid}/follow-ups"))
        .await
        .json()
        .await
        .unwrap();
    let later = list.iter().find(|f| f["kind"] == "day_180").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = t
        .post(
            &coach,
            &format!("/api/v1/follow-ups/{later}"),
            &json!({"done_on": day(15), "employed": false, "social_assistance": true}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let after = report(&t, &coach, &project).await;
    for k in ["at_entry", "asked_after", "still_after"] {
        assert_eq!(sa(&after, k) - sa(&before, k), 1, "{k}");
    }
}

/// The report is read from tallies kept up to date in the same transaction as each write: the
/// hours follow attendance (each month rounded down), the exits and results follow an exit and
/// its follow-up, and rebuilding every tally from the rows gives the same report. (Debug builds
/// also count every report again from the rows and fail if the tallies disagree.)
#[tokio::test]
async fn the_tallies_follow_every_write_and_a_rebuild_gives_the_same_report() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let project = t.project_id(&coach, "En väg in").await;
    let act: Value = t
        .post(
            &coach,
            &format!("/api/v1/projects/{project}/activities"),
            &json!({"kind": "group_session", "name": "Tallygruppen"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let act = act["id"].as_str().unwrap().to_owned();
    let mut baseline = full_baseline();
    baseline["labour_status"] = json!("inactive");
    baseline["in_education"] = json!("no");
    baseline["long_term_unemployed"] = Value::Null;
    baseline["months_without_work"] = Value::Null;
    let created: Value = t
        .post(
            &coach,
            "/api/v1/participants",
            &json!({"identity_number": "811218-9876", "given_name": "Tally", "family_name": "Räknad", "gender": "woman", "project_id": project, "enrolled_on": "2026-01-15", "baseline": baseline}),
        )
        .await
        .json()
        .await
        .unwrap();
    let pid = created["participant"]["id"].as_str().unwrap().to_owned();
    let eid = created["enrolments"][0]["id"].as_str().unwrap().to_owned();
    let before = report(&t, &coach, &project).await;
    let hours = |r: &Value, month: &str| {
        r["money"]["hours_by_month"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["label"] == month)
            .map_or(0, |m| m["count"]["women"].as_u64().unwrap())
    };
    let whole = |r: &Value| r["money"]["whole_hours"].as_u64().unwrap();

    // 50 min on two days of February is 1 whole hour (100 min); 50 min in March is none.
    for (day, h) in [
        ("2026-02-02", "0:50"),
        ("2026-02-03", "0:50"),
        ("2026-03-02", "0:50"),
    ] {
        let r = t
            .post(
                &coach,
                &format!("/api/v1/activities/{act}/attendance"),
                &json!({"date": day, "entries": [{"participant_id": pid, "hours": h}]}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED, "{day}");
    }
    let attended = report(&t, &coach, &project).await;
    assert_eq!(hours(&attended, "2026-02") - hours(&before, "2026-02"), 1);
    assert_eq!(hours(&attended, "2026-03"), hours(&before, "2026-03"));
    assert_eq!(whole(&attended) - whole(&before), 1, "not 2 from 150 min");

    // She leaves for work, and the follow-up on leaving says she is employed.
    let exit_on = "2026-03-31";
    let r = t
        .post(
            &coach,
            &format!("/api/v1/enrolments/{eid}/exit"),
            &json!({"exited_on": exit_on, "exit_status": "work"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let follow_ups: Vec<Value> = t
        .get(&coach, &format!("/api/v1/participants/{pid}/follow-ups"))
        .await
        .json()
        .await
        .unwrap();
    let immediate = follow_ups
        .iter()
        .find(|f| f["kind"] == "immediate_result")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = t
        .post(
            &coach,
            &format!("/api/v1/follow-ups/{immediate}"),
            &json!({"done_on": "2026-04-10", "job_searching": false, "in_education": false, "gained_qualification": false, "employed": true}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let left = report(&t, &coach, &project).await;
    let exits = |r: &Value| {
        r["exits_by_status"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["label"] == "work")
            .map_or(0, |e| e["count"]["women"].as_u64().unwrap())
    };
    assert_eq!(exits(&left) - exits(&attended), 1);
    let employed_on_leaving = |r: &Value| {
        let set = r["indicator_set"].as_str().unwrap();
        indicator(r, if set == "esf_plus" { "EECR04" } else { "CR04" })[0]
    };
    assert_eq!(
        employed_on_leaving(&left) - employed_on_leaving(&attended),
        1
    );

    // Every tally rebuilt from the rows: the same report.
    t.app.ensure_report_tallies(true).await.unwrap();
    let rebuilt = report(&t, &coach, &project).await;
    assert_eq!(rebuilt, left);
}

/// The project manager sets the value of a participant hour; the report then shows the whole
/// hours times that value as co-financing. A bad amount is named at its field and changes
/// nothing; a coach cannot set it.
#[tokio::test]
async fn participant_time_is_valued_as_co_financing_at_the_rate_the_project_manager_sets() {
    use crate::forms::{hidden, post_form};
    let t = spawn_app().await;
    let pm = t.token("projektledare@demo.stegvis.se").await;
    let project = t.project_id(&pm, "Nästa steg (demoprojekt)").await;
    let path = format!("/projects/{project}/participant-time");
    let before = report(&t, &pm, &project).await;
    assert!(before["money"]["participant_time_value_sek"].is_null());
    let hours = before["money"]["whole_hours"].as_u64().unwrap();
    assert!(hours > 0, "the demo has attendance");

    let cookie = web_login(&t, "projektledare@demo.stegvis.se").await;
    let html = get_page(&t, &path, &cookie).await.text().await.unwrap();
    let csrf = hidden(&html, "csrf");
    let bad = post_form(&t, &path, &cookie, &[("csrf", &csrf), ("value", "12,345")]).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.unwrap();
    assert!(html.contains("högst två decimaler"), "{html}");
    assert!(html.contains("12,345"), "what was typed is kept");
    assert!(report(&t, &pm, &project).await["money"]["participant_hour_value_ore"].is_null());

    let ok = post_form(&t, &path, &cookie, &[("csrf", &csrf), ("value", "113,75")]).await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    let after = report(&t, &pm, &project).await;
    assert_eq!(after["money"]["participant_hour_value_ore"], 11_375);
    assert_eq!(
        after["money"]["participant_time_value_sek"]
            .as_u64()
            .unwrap(),
        hours * 11_375 / 100,
        "whole hours × 113,75 kr, rounded down to whole kronor"
    );
    let page = get_page(&t, &format!("/projects/{project}/report"), &cookie)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("113,75\u{a0}kr"), "the page shows the value");
    let monthly: u64 = after["money"]["hours_by_month"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            ["women", "men", "non_binary"]
                .iter()
                .map(|g| m["count"][g].as_u64().unwrap())
                .sum::<u64>()
        })
        .sum();
    assert_eq!(monthly, hours, "the months add up to the whole hours");

    // A coach runs the project too, but the value is the project manager's to set.
    let coach_cookie = web_login(&t, COACH).await;
    let r = get_page(&t, &path, &coach_cookie).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
