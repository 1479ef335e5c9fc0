//! The project, goal and enrolment pages a project manager and a coach use: creating *En väg in*
//! with its target group, adding its offer goal with a preview, and a refusal at enrolment.

use crate::forms::{get_page, hidden, post_form, web_login};
use crate::support::*;
use reqwest::StatusCode;
use reqwest::header::LOCATION;
use serde_json::json;

const PROJECT_MANAGER: &str = "projektledare@demo.stegvis.se";

fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

async fn post(
    t: &TestApp,
    path: &str,
    cookie: &str,
    form: &[(String, String)],
) -> reqwest::Response {
    let f: Vec<(&str, &str)> = form.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    post_form(t, path, cookie, &f).await
}

#[tokio::test]
async fn a_project_manager_creates_a_project_and_its_goal_in_the_pages_and_a_coach_is_refused_outside_its_target_group()
 {
    let t = spawn_app().await;
    let pm_token = t.token(PROJECT_MANAGER).await;
    // The demo runs En väg in already: its copy gets another number first.
    let demo = t.project_id(&pm_token, "En väg in").await;
    let r = t
        .patch(
            &pm_token,
            &format!("/api/v1/projects/{demo}"),
            &json!({"number": "2019/99383", "name": "En väg in (demokopia)"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);

    let pm = web_login(&t, PROJECT_MANAGER).await;
    let list = get_page(&t, "/projects", &pm).await.text().await.unwrap();
    assert!(list.contains("href=\"/projects/new\""));
    let html = get_page(&t, "/projects/new", &pm)
        .await
        .text()
        .await
        .unwrap();
    let csrf = hidden(&html, "csrf");
    for name in [
        "number",
        "name",
        "region",
        "programme_area",
        "specific_objective",
        "intervention_type",
        "union_cofinancing_rate_pct",
        "period_start",
        "period_end",
        "total_budget",
        "esf_support",
        "planned_participants",
        "contact_name",
        "contact_email",
        "contact_phone",
        "postcode",
        "summary",
        "phase",
        "partner_ids",
        "cofinancier_ids",
        "municipalities",
        "target_group.min_age",
        "target_group.max_age",
        "target_group.labour_statuses",
        "target_group.min_months_without_work",
        "target_group.social_assistance",
        "target_group.exceptions_allowed",
    ] {
        assert!(html.contains(&format!("name=\"{name}\"")), "{name}");
    }
    let mut facts = owned(&[
        ("csrf", &csrf),
        ("number", "2019/00383"),
        ("name", "En väg in"),
        ("region", "Sydsverige"),
        ("programme_area", "2"),
        ("specific_objective", "2.1"),
        ("intervention_type", "102"),
        ("union_cofinancing_rate_pct", "50"),
        ("period_start", "2020-04-01"),
        ("period_end", "2022-03-31"),
        ("total_budget", "9 249 253"),
        ("esf_support", "4 341 993"),
        ("planned_participants", "100"),
        ("contact_name", "Margaretha Håkanssson"),
        ("contact_email", "margaretha.hakansson@hassleholm.se"),
        ("contact_phone", ""),
        ("postcode", "28180"),
        (
            "summary",
            "Projektaktiviteterna är skapade för 100 deltagare som uppbär ekonomiskt bistånd.",
        ),
        ("phase", "implementation"),
        ("municipalities", "Hässleholm"),
        ("target_group.min_age", "18"),
        ("target_group.max_age", "64"),
        ("target_group.social_assistance", "yes"),
        ("target_group.sick_leave", "any"),
    ]);
    // Mistakes come back at their fields, and nothing is created.
    let mut bad = facts.clone();
    for (k, v) in bad.iter_mut() {
        match k.as_str() {
            "number" => *v = "2019-383".into(),
            "period_end" => *v = "2019-01-01".into(),
            "esf_support" => *v = "99 999 999".into(),
            "municipalities" => *v = "Hässleholm, Atlantis".into(),
            _ => {}
        }
    }
    let r = post(&t, "/projects", &pm, &bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    for id in [
        "number-error",
        "period_end-error",
        "esf_support-error",
        "municipalities-error",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert!(html.contains("Atlantis"));
    assert!(
        html.contains("value=\"2019-383\""),
        "what was typed is kept"
    );

    let r = post(&t, "/projects", &pm, &facts).await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap()
    );
    let page = r.headers()[LOCATION].to_str().unwrap().to_owned();
    let project = page.trim_start_matches("/projects/").to_owned();
    let html = get_page(&t, &page, &pm).await.text().await.unwrap();
    assert!(html.contains("2019/00383"));
    assert!(html.contains("Genomförande"));
    assert!(html.contains("id=\"target-group\""));
    assert!(html.contains(&format!("href=\"/projects/{project}/edit\"")));

    // Editing: the form opens with the project as it is, and the phase moves on.
    let html = get_page(&t, &format!("/projects/{project}/edit"), &pm)
        .await
        .text()
        .await
        .unwrap();
    let version = hidden(&html, "version");
    assert!(html.contains("value=\"2019/00383\""));
    facts.push(("version".into(), version));
    for (k, v) in facts.iter_mut() {
        if k == "phase" {
            *v = "closing".into();
        }
    }
    let r = post(&t, &format!("/projects/{project}/edit"), &pm, &facts).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let p: serde_json::Value = t
        .get(&pm_token, &format!("/api/v1/projects/{project}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(p["phase"], "closing");
    // The same form again is stale: 409, and the form comes back with the version it has now,
    // so that saving once more succeeds.
    let r = post(&t, &format!("/projects/{project}/edit"), &pm, &facts).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let now = hidden(&r.text().await.unwrap(), "version");
    assert_eq!(now, p["version"].to_string());
    for (k, v) in facts.iter_mut() {
        if k == "version" {
            *v = now.clone();
        }
    }
    let r = post(&t, &format!("/projects/{project}/edit"), &pm, &facts).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(p["target_group"]["social_assistance"], "yes");
    assert_eq!(p["municipalities"], json!(["Hässleholm"]));

    // The edit page lists the earlier versions.
    let html = get_page(&t, &format!("/projects/{project}/edit"), &pm)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Tidigare versioner"));
    assert!(html.contains("fas: Genomförande"), "{html}");

    // The goal: previewed, refused at 0 %, saved, and shown on the project page.
    let new_goal = format!("/projects/{project}/goals/new");
    let html = get_page(&t, &new_goal, &pm).await.text().await.unwrap();
    let csrf = hidden(&html, "csrf");
    let goal = |percent: &str, action: &str| {
        owned(&[
            ("csrf", &csrf),
            (
                "name",
                "Minst 75 % erbjuds arbetsprövning, arbetsträning eller praktik",
            ),
            ("measure", "share"),
            ("who", "offered"),
            ("who_kinds", "work_trial"),
            ("who_kinds", "work_training"),
            ("who_kinds", "work_practice"),
            ("of", "enrolled"),
            ("definition.percent", percent),
            ("deadline", "2022-03-31"),
            ("action", action),
        ])
    };
    let r = post(&t, &new_goal, &pm, &goal("75", "preview")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"preview-achieved\""), "{html}");
    let r = post(&t, &new_goal, &pm, &goal("0", "save")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"definition-percent-error\""));
    assert!(html.contains("mer än 0 %"));
    let r = post(&t, &new_goal, &pm, &goal("75", "save")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = get_page(&t, &page, &pm).await.text().await.unwrap();
    assert!(html.contains("Minst 75 % erbjuds arbetsprövning"));
    let goals = get_page(&t, &format!("/projects/{project}/goals"), &pm)
        .await
        .text()
        .await
        .unwrap();
    assert!(goals.contains("/edit\""));

    // The coach: someone without social assistance is refused, with the reason at the question.
    let coach = web_login(&t, COACH).await;
    let html = get_page(&t, "/participants/new", &coach)
        .await
        .text()
        .await
        .unwrap();
    let csrf = hidden(&html, "csrf");
    let form = owned(&[
        ("csrf", &csrf),
        ("identity_mode", "none"),
        ("birth_date", "1990-05-01"),
        ("given_name", "Utanför"),
        ("family_name", "Målgruppen"),
        ("gender", "woman"),
        ("project_id", &project),
        ("enrolled_on", "2026-01-15"),
        ("baseline.labour_status", "unemployed"),
        ("baseline.social_assistance", "no"),
        ("eligibility_exception", ""),
    ]);
    let r = post(&t, "/participants", &coach, &form).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("id=\"baseline-social_assistance-error\""),
        "{html}"
    );
    assert!(html.contains("Projektet är för den som"));
    assert!(html.contains("id=\"eligibility_exception\""));
}
