//! Issue #13: the lists and the report give the same answers however their SQL is written.
//! A fixed data set (a few hundred participants with exits, follow-ups due and done,
//! attendance, plan steps, placements, consents and referrals) is built through the API on an
//! empty database at a fixed day, and each list's answer is snapshotted with its ids replaced by
//! stable labels. The snapshots were taken on the SQL before the rewrite; the same snapshot
//! holds on SQLite and PostgreSQL. Not built from the demo, whose seeding changes on its own.

use crate::administration::STRONG;
use crate::projects::json_of;
use crate::support::*;
use reqwest::StatusCode;
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use stegvis_app::accounts::SetupInput;
use stegvis_app::users::UserInput;
use time::{Date, Duration, macros::date};

/// The fixed "today" of the data set (a Monday).
const TODAY: Date = date!(2026 - 11 - 16);
const PARTICIPANTS: usize = 240;
const LABOUR: [&str; 3] = ["unemployed", "employed", "inactive"];
const HOURS: [&str; 4] = ["1", "2,5", "3", "0,5"];
const KINDS: [&str; 3] = ["work_trial", "work_practice", "work_training"];

const GIVEN: [&str; 12] = [
    "Anna", "Bo", "Cecilia", "David", "Elin", "Fredrik", "Greta", "Hassan", "Ida", "Jonas",
    "Karin", "Leo",
];
const FAMILY: [&str; 10] = [
    "Andersson",
    "Berg",
    "Carlsson",
    "Dahl",
    "Ek",
    "Forsberg",
    "Gustafsson",
    "Holm",
    "Isaksson",
    "Jansson",
];

/// Replaces every id in an answer with a stable label: the labels given when the data was made,
/// else the order of first sight (deterministic, since every answer is ordered).
struct Labels(HashMap<String, String>);

impl Labels {
    fn name(&mut self, id: &str, label: String) {
        self.0.insert(id.to_owned(), label);
    }

    fn apply(&mut self, v: &Value) -> Value {
        match v {
            Value::String(s) if uuid::Uuid::parse_str(s).is_ok() => {
                let n = self.0.len();
                Value::String(
                    self.0
                        .entry(s.clone())
                        .or_insert_with(|| format!("id#{n}"))
                        .clone(),
                )
            }
            Value::Array(a) => Value::Array(a.iter().map(|x| self.apply(x)).collect()),
            Value::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, x)| (k.clone(), self.apply(x)))
                    .collect::<Map<_, _>>(),
            ),
            other => other.clone(),
        }
    }
}

fn day(d: Date) -> String {
    d.to_string()
}

async fn ok(r: reqwest::Response) -> Value {
    let got = r.status();
    let body = r.text().await.unwrap();
    assert!(got.is_success(), "{got}: {body}");
    serde_json::from_str(&body).unwrap_or(Value::Null)
}

fn project(number: &str, name: &str) -> Value {
    json!({
        "number": number, "name": name, "region": "Sydsverige", "programme_area": "2",
        "specific_objective": "2.1", "intervention_type": "102",
        "union_cofinancing_rate_pct": 50, "period_start": "2024-01-01", "period_end": "2027-12-31",
        "total_budget": "9 249 253", "esf_support": 4341993, "planned_participants": 200,
        "contact_name": "Margaretha Håkansson", "contact_email": "pl@fixby.example",
        "postcode": "28180", "summary": "Ett påhittat projekt för testerna.",
        "phase": "implementation", "municipalities": ["Hässleholm"],
        "target_group": {"min_age": 16, "max_age": 70, "exceptions_allowed": false}
    })
}

#[tokio::test]
async fn lists_and_report_answer_the_same_on_a_fixed_data_set() {
    let t = spawn_empty_app().await;
    let noon = TODAY.with_hms(9, 0, 0).unwrap().assume_utc();
    t.clock.advance(noon - t.app.now());
    assert_eq!(t.app.today(), TODAY);

    // The organisation, its people, a partner agency and an employer.
    let code = t.app.first_start_link().await.unwrap().unwrap().path;
    t.app
        .setup(&SetupInput {
            token: code.trim_start_matches("/setup/").into(),
            organisation_name: "Arbetsmarknadsenheten Fixby".into(),
            kind: "municipality_unit".into(),
            municipality_code: Some("1293".into()),
            name: "Ada Admin".into(),
            email: "admin@fixby.example".into(),
            password: STRONG.into(),
            password_again: None,
        })
        .await
        .expect("setup");
    let admin = t.token("admin@fixby.example").await;
    let org = ok(t.get(&admin, "/api/v1/organisations").await).await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let user = |email: &str, name: &str, org: &str, role: &str| UserInput {
        email: email.into(),
        name: name.into(),
        org_id: org.into(),
        role: role.into(),
        password: STRONG.into(),
    };
    for (email, name, role) in [
        ("karin@fixby.example", "Karin Coach", "coach"),
        ("kim@fixby.example", "Kim Coach", "coach"),
        ("pl@fixby.example", "Pia Projektledare", "project_manager"),
    ] {
        t.app
            .add_user(&user(email, name, &org, role), None)
            .await
            .unwrap();
    }
    let partner_org = ok(t
        .post(
            &admin,
            "/api/v1/organisations",
            &json!({"name": "Fixby arbetsförmedling", "kind": "state_agency", "municipality_code": "1293"}),
        )
        .await)
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    t.app
        .add_user(
            &user(
                "af@fixby.example",
                "Per Partner",
                &partner_org,
                "partner_staff",
            ),
            None,
        )
        .await
        .unwrap();
    let coaches = [
        t.token("karin@fixby.example").await,
        t.token("kim@fixby.example").await,
    ];
    let pm = t.token("pl@fixby.example").await;
    let partner = t.token("af@fixby.example").await;

    let p1 = ok(t
        .post(
            &pm,
            "/api/v1/projects",
            &project("2024/00001", "Fixprojektet"),
        )
        .await)
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let p2 = ok(t
        .post(
            &pm,
            "/api/v1/projects",
            &project("2024/00002", "Andra projektet"),
        )
        .await)
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let employer = ok(t
        .post(
            &coaches[0],
            "/api/v1/employers",
            &json!({"name": "Fixbutiken AB", "kind": "employer", "workplace": {"name": "Fixbutiken Centrum", "municipality_code": "1293"}}),
        )
        .await)
    .await;
    let employer_id = employer["id"].as_str().unwrap().to_owned();
    let workplace = employer["workplaces"][0]["id"].as_str().unwrap().to_owned();
    let supervisor = t
        .app
        .add_user(
            &user(
                "handledare@fixbutiken.example",
                "Hanna Handledare",
                &employer_id,
                "supervisor",
            ),
            None,
        )
        .await
        .unwrap()
        .id
        .to_string();
    let sup = t.token("handledare@fixbutiken.example").await;
    let mut activities = HashMap::new();
    for (project, name) in [(&p1, "Fixgruppen"), (&p2, "Andragruppen")] {
        let act = ok(t
            .post(
                &coaches[0],
                &format!("/api/v1/projects/{project}/activities"),
                &json!({"kind": "group_session", "name": name}),
            )
            .await)
        .await;
        activities.insert(project.clone(), act["id"].as_str().unwrap().to_owned());
    }

    // The participants: one in three enrolled by the project manager, so without a coach.
    let mut labels = Labels(HashMap::new());
    struct Case {
        pid: String,
        eid: String,
        project: String,
        enrolled_on: Date,
        exited_on: Option<Date>,
        token: String,
    }
    let mut cases = Vec::new();
    let first_day = date!(2025 - 01 - 06);
    for i in 0..PARTICIPANTS {
        let token = match i % 3 {
            0 | 1 => coaches[i % 3].clone(),
            _ => pm.clone(),
        };
        let project = if i % 5 == 4 { &p2 } else { &p1 };
        let enrolled_on = first_day + Duration::days((i as i64 * 7) % 670);
        let gender = ["woman", "man", "non_binary", "woman", "man"][i % 5];
        let mut baseline = json!({
            "labour_status": LABOUR[i % 3],
            "months_without_work": (i % 30).to_string(),
            "social_assistance": if i % 2 == 0 { "yes" } else { "no" },
        });
        if i % 4 == 0 {
            baseline["disability"] = json!("declined");
            baseline["isced_level"] = json!(["0", "2", "3"][i % 3]);
        }
        let body = json!({
            "identity_mode": "none",
            "birth_date": day(date!(1970 - 01 - 01) + Duration::days(i as i64 * 53)),
            "given_name": GIVEN[i % GIVEN.len()],
            "family_name": format!("{}{}", FAMILY[(i * 7) % FAMILY.len()], ["", "s", "ström"][i % 3]),
            "gender": gender,
            "project_id": project,
            "enrolled_on": day(enrolled_on),
            "baseline": baseline,
        });
        let created = ok(t.post(&token, "/api/v1/participants", &body).await).await;
        let pid = created["participant"]["id"].as_str().unwrap().to_owned();
        let eid = created["enrolments"][0]["id"].as_str().unwrap().to_owned();
        labels.name(&pid, format!("participant#{i}"));
        labels.name(&eid, format!("enrolment#{i}"));
        cases.push(Case {
            pid,
            eid,
            project: project.clone(),
            enrolled_on,
            exited_on: None,
            token,
        });
    }

    // Exits: about half have left, some long ago (follow-ups done), some lately (due).
    let statuses = ["job_seeking", "work", "studies", "subsidised_work", "other"];
    for (i, c) in cases.iter_mut().enumerate() {
        if i % 2 == 1 {
            continue;
        }
        let exited_on = c.enrolled_on + Duration::days(30 + (i as i64 * 11) % 300);
        if exited_on >= TODAY {
            continue;
        }
        ok(t.post(
            &c.token,
            &format!("/api/v1/enrolments/{}/exit", c.eid),
            &json!({"exited_on": day(exited_on), "exit_status": statuses[i % statuses.len()]}),
        )
        .await)
        .await;
        c.exited_on = Some(exited_on);
    }
    for (i, c) in cases.iter().enumerate() {
        let Some(exited_on) = c.exited_on else {
            continue;
        };
        let list = ok(t
            .get(
                &c.token,
                &format!("/api/v1/participants/{}/follow-ups", c.pid),
            )
            .await)
        .await;
        for f in list.as_array().unwrap() {
            let due: Date = Date::parse(
                f["due_on"].as_str().unwrap(),
                &time::format_description::well_known::Iso8601::DATE,
            )
            .unwrap();
            // Most follow-ups that fell due were made; those of one participant in three were not.
            if due <= TODAY && (i / 3) % 3 != 0 {
                let done_on = std::cmp::min(due, TODAY).max(exited_on);
                ok(t.post(
                    &c.token,
                    &format!("/api/v1/follow-ups/{}", f["id"].as_str().unwrap()),
                    &json!({"done_on": day(done_on), "job_searching": i % 2 == 0, "in_education": false,
                            "gained_qualification": i % 5 == 0, "employed": i % 4 == 0,
                            "improved_situation": false}),
                )
                .await)
                .await;
            }
        }
    }

    // Plan steps: some overdue, some coming, some undated.
    for (i, c) in cases.iter().enumerate().filter(|(i, _)| i % 4 == 1) {
        let due = match i % 3 {
            0 => Some(day(TODAY - Duration::days(3 + i as i64 % 20))),
            1 => Some(day(TODAY + Duration::days(2 + i as i64 % 20))),
            _ => None,
        };
        ok(t.post(
            &c.token,
            &format!("/api/v1/participants/{}/plan", c.pid),
            &json!({"goal": "Arbete", "step": format!("Steg {i}"), "owner": "participant", "due_on": due}),
        )
        .await)
        .await;
    }

    // Attendance: one day a week for forty weeks, for those enrolled that day.
    for week in 0..40 {
        let on = TODAY - Duration::days(1 + 7 * week);
        for (project, act) in &activities {
            let entries: Vec<Value> = cases
                .iter()
                .enumerate()
                .filter(|(i, c)| {
                    &c.project == project
                        && c.enrolled_on <= on
                        && c.exited_on.is_none_or(|x| x >= on)
                        && !(i + week as usize).is_multiple_of(3)
                })
                .map(|(i, c)| json!({"participant_id": c.pid, "hours": HOURS[i % 4]}))
                .collect();
            if entries.is_empty() {
                continue;
            }
            ok(t.post(
                &coaches[0],
                &format!("/api/v1/activities/{act}/attendance"),
                &json!({"date": day(on), "entries": entries}),
            )
            .await)
            .await;
        }
    }

    // Placements: offered to some still enrolled, moved on to accepted, started or declined.
    for (i, c) in cases
        .iter()
        .enumerate()
        .filter(|(i, c)| i % 6 == 1 && c.exited_on.is_none())
    {
        let offered_on = std::cmp::max(c.enrolled_on, TODAY - Duration::days(60));
        let placed = ok(t.post(
            &c.token,
            &format!("/api/v1/participants/{}/placements", c.pid),
            &json!({"workplace_id": workplace, "kind": KINDS[i % 3],
                    "supervisor_id": supervisor, "hours_per_week": 10 + i % 20, "offered_on": day(offered_on),
                    "adaptations": format!("Anpassning {i}")}),
        )
        .await)
        .await;
        let status = format!(
            "/api/v1/placements/{}/status",
            placed["id"].as_str().unwrap()
        );
        let moves: &[&str] = match i % 4 {
            0 => &["declined"],
            1 => &["accepted"],
            _ => &["accepted", "started"],
        };
        for to in moves {
            ok(t.post(
                &c.token,
                &status,
                &json!({"status": to, "on": day(offered_on + Duration::days(1))}),
            )
            .await)
            .await;
        }
    }

    // Consents to the partner agency and referrals on them; some answered, some revoked.
    for (i, c) in cases.iter().enumerate().filter(|(i, _)| i % 5 == 2) {
        t.clock.advance(Duration::minutes(1));
        let consent = ok(t
            .post(
                &c.token,
                &format!("/api/v1/participants/{}/consents", c.pid),
                &json!({"recipient_org_id": partner_org, "kinds": ["participant", "enrolment"],
                    "purpose": "Samverkan", "form": "written"}),
            )
            .await)
        .await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let referral = ok(t
            .post(
                &c.token,
                &format!("/api/v1/participants/{}/referrals", c.pid),
                &json!({"to_org_id": partner_org, "reason": format!("Remiss {i}")}),
            )
            .await)
        .await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let status = format!("/api/v1/referrals/{referral}/status");
        match i % 4 {
            0 => {
                ok(t.post(
                    &partner,
                    &status,
                    &json!({"status": "accepted", "note": "Välkommen"}),
                )
                .await)
                .await;
            }
            1 => {
                ok(t.post(&partner, &status, &json!({"status": "declined"}))
                    .await)
                .await;
            }
            _ => {}
        }
        if i % 3 == 0 {
            ok(t.post(
                &c.token,
                &format!("/api/v1/consents/{consent}/revoke"),
                &json!({}),
            )
            .await)
            .await;
        }
    }
    t.clock.advance(Duration::minutes(1));

    // One participant with an account, who left with follow-ups due.
    let (own_i, own) = cases
        .iter()
        .enumerate()
        .find(|(i, c)| i % 3 == 0 && c.exited_on.is_some_and(|x| x > TODAY - Duration::days(170)))
        .expect("a participant with follow-ups due");
    let own_pid = uuid::Uuid::parse_str(&own.pid).unwrap();
    t.app
        .add_user(
            &user(
                "deltagare@fixby.example",
                &format!("Deltagare {own_i}"),
                &org,
                "participant",
            ),
            Some(own_pid),
        )
        .await
        .unwrap();
    let participant = t.token("deltagare@fixby.example").await;

    // What the lists and the report answer.
    let get = |token: String, path: String| {
        let t = &t;
        async move { json_of(t.get(&token, &path).await, StatusCode::OK).await }
    };
    // The long lists come a page at a time: their whole answer is every page, in order.
    let all = |token: String, path: String| {
        let t = &t;
        async move { Value::Array(t.walk(&token, &path).await.concat()) }
    };
    let snap = |labels: &mut Labels, v: Value| labels.apply(&v);
    let answers = [
        (
            "caseload_karin",
            get(coaches[0].clone(), "/api/v1/caseload".into()).await,
        ),
        (
            "caseload_kim",
            get(coaches[1].clone(), "/api/v1/caseload".into()).await,
        ),
        (
            "caseload_unassigned",
            get(
                coaches[0].clone(),
                "/api/v1/caseload?unassigned=true".into(),
            )
            .await,
        ),
        (
            "follow_ups_due_org",
            all(pm.clone(), "/api/v1/follow-ups".into()).await,
        ),
        (
            "follow_ups_due_org_60_days",
            all(
                coaches[1].clone(),
                "/api/v1/follow-ups?within_days=60".into(),
            )
            .await,
        ),
        (
            "follow_ups_due_participant",
            all(
                participant.clone(),
                "/api/v1/follow-ups?within_days=200".into(),
            )
            .await,
        ),
        (
            "supervised_placements",
            get(sup.clone(), "/api/v1/supervised-placements".into()).await,
        ),
        (
            "referrals_sender",
            all(coaches[0].clone(), "/api/v1/referrals".into()).await,
        ),
        (
            "referrals_partner",
            all(partner.clone(), "/api/v1/referrals".into()).await,
        ),
        (
            "project",
            get(pm.clone(), format!("/api/v1/projects/{p1}")).await,
        ),
        ("projects", get(pm.clone(), "/api/v1/projects".into()).await),
        (
            "report",
            get(pm.clone(), format!("/api/v1/projects/{p1}/report")).await,
        ),
    ];
    for (name, answer) in answers {
        assert!(
            !answer.is_null() && answer != json!([]),
            "{name} is not empty"
        );
        let v = snap(&mut labels, answer);
        insta::assert_json_snapshot!(name, v);
    }

    // Walked in small pages, the same lists give the same rows; each page audits its own.
    for (token, path, per_row) in [
        (&pm, "/api/v1/follow-ups", false),
        (&coaches[1], "/api/v1/follow-ups?within_days=60", false),
        (&participant, "/api/v1/follow-ups?within_days=200", false),
        (&coaches[0], "/api/v1/referrals", false),
        (&partner, "/api/v1/referrals", true),
    ] {
        crate::long_lists::pages_match_the_whole_list(&t, token, path, per_row).await;
    }
    // The HTML lists: more than one page of follow-ups due, one page of referrals.
    crate::long_lists::html_pages_show_more(
        &t,
        ("pl@fixby.example", STRONG),
        "/follow-ups",
        "/api/v1/follow-ups",
        "href=\"/follow-ups/",
    )
    .await;
    crate::long_lists::html_pages_show_more(
        &t,
        ("af@fixby.example", STRONG),
        "/referrals",
        "/api/v1/referrals",
        "<li class=\"card\">",
    )
    .await;
}
