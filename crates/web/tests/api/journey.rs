//! Taking Stegvis into use, the whole way over the API (issue #12), from an empty database:
//! setup → the administrator invites a project manager, a coach and an auditor → the project
//! manager creates *En väg in* with its goal "at least 75 % offered a work trial, work training
//! or work practice" → the coach enrols a participant (one outside the target group is refused
//! with the reason) and opens the participant's account → the participant activates it and adds
//! a step to their plan → the coach offers a work trial → the goal's progress moves. Every
//! token is one its holder made with their own password; the auditor sees every administrative
//! step. The browser walks the same way in tests/browser/journey.test.mjs.

use crate::administration::{STRONG, anon_post, csrf_in, field_of, login_cookie, page};
use crate::projects::{en_vag_in, json_of, message_at, offer_goal, report_goal, total};
use crate::support::*;
use reqwest::StatusCode;
use reqwest::header::COOKIE;
use serde_json::{Value, json};

const ADMIN_EMAIL: &str = "asa.admin@hassleholm.example";
const PM_EMAIL: &str = "margaretha.pl@hassleholm.example";
const COACH_EMAIL: &str = "karim.coach@hassleholm.example";
const AUDITOR_EMAIL: &str = "dpo@hassleholm.example";
const PARTICIPANT_EMAIL: &str = "lina.deltagare@example.se";

/// A bearer token made the way a user makes one: log in with the password, then
/// `POST /api/v1/tokens` on that session (with its CSRF token).
async fn own_token(t: &TestApp, email: &str) -> String {
    let cookie = login_cookie(t, email, STRONG)
        .await
        .unwrap_or_else(|| panic!("{email} logs in with their password"));
    let html = page(t, "/account", &cookie).await.text().await.unwrap();
    let r = t
        .http
        .post(format!("{}/api/v1/tokens", t.base))
        .header(COOKIE, &cookie)
        .header("x-csrf-token", csrf_in(&html))
        .json(&json!({"name": "resan"}))
        .send()
        .await
        .unwrap();
    json_of(r, StatusCode::CREATED).await["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The administrator invites a person; the person sets their password with the code.
async fn invite(t: &TestApp, admin: &str, email: &str, name: &str, role: &str) {
    let invited = json_of(
        t.post(
            admin,
            "/api/v1/invitations",
            &json!({"email": email, "name": name, "role": role}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let code = invited["link"]["code"].as_str().unwrap();
    json_of(
        anon_post(
            t,
            "/api/v1/activate",
            &json!({"code": code, "password": STRONG, "password_again": STRONG}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
}

fn register(project: &str, identity: &str, given: &str, social_assistance: &str) -> Value {
    json!({
        "identity_number": identity,
        "given_name": given,
        "family_name": "Resenär",
        "gender": "woman",
        "project_id": project,
        "enrolled_on": "2026-01-15",
        "baseline": {"labour_status": "unemployed", "months_without_work": 14,
                     "social_assistance": social_assistance}
    })
}

#[tokio::test]
async fn from_an_empty_database_to_a_goal_that_moves() {
    let t = spawn_empty_app().await;

    // First start: the setup link makes the organisation and its administrator, once.
    let link = t
        .app
        .first_start_link()
        .await
        .unwrap()
        .expect("a setup link");
    let code = link.path.trim_start_matches("/setup/").to_owned();
    let setup = json!({
        "token": code,
        "organisation_name": "Arbetsmarknadsavdelningen Hässleholm",
        "kind": "municipality_unit",
        "municipality_code": "1293",
        "name": "Åsa Admin",
        "email": ADMIN_EMAIL,
        "password": STRONG,
        "password_again": STRONG,
    });
    json_of(
        anon_post(&t, "/api/v1/setup", &setup).await,
        StatusCode::CREATED,
    )
    .await;
    let reused = anon_post(&t, "/api/v1/setup", &setup).await;
    assert_eq!(reused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_of(&reused.json().await.unwrap()), vec!["token"]);
    let admin = own_token(&t, ADMIN_EMAIL).await;

    // The administrator invites the project manager, the coach and the auditor.
    invite(
        &t,
        &admin,
        PM_EMAIL,
        "Margaretha Håkansson",
        "project_manager",
    )
    .await;
    invite(&t, &admin, COACH_EMAIL, "Karim Coach", "coach").await;
    invite(&t, &admin, AUDITOR_EMAIL, "Dana Dataskydd", "auditor").await;
    let duplicate = t
        .post(
            &admin,
            "/api/v1/invitations",
            &json!({"email": COACH_EMAIL, "name": "Karim igen", "role": "coach"}),
        )
        .await;
    assert_eq!(duplicate.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_of(&duplicate.json().await.unwrap()), vec!["email"]);
    let pm = own_token(&t, PM_EMAIL).await;
    let coach = own_token(&t, COACH_EMAIL).await;
    let auditor = own_token(&t, AUDITOR_EMAIL).await;

    // The project manager creates En väg in; a number in the wrong form changes nothing.
    let mut wrong = en_vag_in();
    wrong["number"] = json!("19/383");
    let problem = json_of(
        t.post(&pm, "/api/v1/projects", &wrong).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(!message_at(&problem, "number").is_empty());
    let projects = json_of(t.get(&pm, "/api/v1/projects").await, StatusCode::OK).await;
    assert_eq!(projects.as_array().unwrap().len(), 0, "nothing was made");
    let project = json_of(
        t.post(&pm, "/api/v1/projects", &en_vag_in()).await,
        StatusCode::CREATED,
    )
    .await;
    let project_id = project["id"].as_str().unwrap().to_owned();
    assert_eq!(project["number"], "2019/00383");

    // Its goal: a target of 0 % is refused at its field, 75 % is saved.
    let mut zero = offer_goal();
    zero["definition"]["percent"] = json!(0);
    let goals = format!("/api/v1/projects/{project_id}/goals");
    let problem = json_of(
        t.post(&pm, &goals, &zero).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(!message_at(&problem, "definition.percent").is_empty());
    let goal = json_of(
        t.post(&pm, &goals, &offer_goal()).await,
        StatusCode::CREATED,
    )
    .await;
    let goal_name = goal["name"].as_str().unwrap().to_owned();

    // The coach enrols a participant; one without social assistance is refused with the reason.
    let outside = json_of(
        t.post(
            &coach,
            "/api/v1/participants",
            &register(&project_id, "790305-1238", "Utanför", "no"),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(
        message_at(&outside, "baseline.social_assistance").contains("ekonomiskt bistånd"),
        "{outside}"
    );
    let case = json_of(
        t.post(
            &coach,
            "/api/v1/participants",
            &register(&project_id, "811218-9876", "Lina", "yes"),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let pid = case["participant"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        t.participant_count(&coach).await,
        1,
        "only Lina is enrolled"
    );

    // The coach opens Lina's own account; she sets her password with the activation code.
    let opened = json_of(
        t.post(
            &coach,
            &format!("/api/v1/participants/{pid}/account"),
            &json!({"email": PARTICIPANT_EMAIL}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let activation = json!({
        "code": opened["link"]["code"],
        "password": STRONG,
        "password_again": STRONG,
    });
    json_of(
        anon_post(&t, "/api/v1/activate", &activation).await,
        StatusCode::OK,
    )
    .await;
    let reused = anon_post(&t, "/api/v1/activate", &activation).await;
    assert_eq!(reused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let lina = own_token(&t, PARTICIPANT_EMAIL).await;

    // Lina adds a step to her plan, and the coach sees it.
    let plan = format!("/api/v1/participants/{pid}/plan");
    json_of(
        t.post(
            &lina,
            &plan,
            &json!({"goal": "Jobba i ett kök", "step": "Prova på en restaurang", "owner": "participant"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let seen = json_of(t.get(&coach, &plan).await, StatusCode::OK).await;
    assert!(
        seen.to_string().contains("Prova på en restaurang"),
        "{seen}"
    );

    // The coach offers a work trial: the goal's progress moves at once.
    let before = report_goal(&t, &pm, &project_id, &goal_name)
        .await
        .expect("the goal in the report");
    assert_eq!(total(&before["achieved"]), 0);
    assert_eq!(before["met"], false);
    let employer = json_of(
        t.post(
            &coach,
            "/api/v1/employers",
            &json!({"name": "Restaurang Lyktan", "kind": "employer", "workplace": {"name": "Köket"}}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    json_of(
        t.post(
            &coach,
            &format!("/api/v1/participants/{pid}/placements"),
            &json!({"workplace_id": employer["workplaces"][0]["id"], "kind": "work_trial",
                    "offered_on": "2026-02-01"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let after = report_goal(&t, &pm, &project_id, &goal_name).await.unwrap();
    assert_eq!(total(&after["achieved"]), 1);
    assert_eq!(after["met"], true, "{after}");

    // The auditor's trail shows every administrative step, each by whom it was taken.
    let trail = json_of(
        t.get(&auditor, "/api/v1/audit?limit=1000").await,
        StatusCode::OK,
    )
    .await;
    let trail = trail.as_array().unwrap();
    let by = |name: &str, needle: &str| {
        trail.iter().any(|e| {
            e["decision"] == "allowed"
                && e["actor_name"] == name
                && e["detail"].as_str().unwrap_or_default().contains(needle)
        })
    };
    for (name, needle) in [
        ("Åsa Admin", "first start: organisation"),
        (
            "Åsa Admin",
            "user invited: margaretha.pl@hassleholm.example as project_manager",
        ),
        (
            "Åsa Admin",
            "user invited: dpo@hassleholm.example as auditor",
        ),
        ("Åsa Admin", "API token created"),
        ("Margaretha Håkansson", "password set with a one-time link"),
        ("Margaretha Håkansson", "project created: En väg in"),
        ("Margaretha Håkansson", "goal created"),
        ("Karim Coach", "participant account opened"),
        ("Lina Resenär", "password set with a one-time link"),
    ] {
        assert!(by(name, needle), "{name}: {needle}");
    }
    let refused = |ground: &str| trail.iter().any(|e| e["ground"] == ground);
    assert!(refused("denied:invalid_input"), "the duplicate invitation");
}

/// A participant's activation code that expired, or that a newer one replaced, is refused at
/// the code with the reason, and changes nothing; the newest code works.
#[tokio::test]
async fn an_expired_or_replaced_activation_code_changes_nothing() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let case = json_of(
        t.register(&coach, "811218-9876", "Sara", "Sen").await,
        StatusCode::CREATED,
    )
    .await;
    let pid = case["participant"]["id"].as_str().unwrap().to_owned();
    let account = format!("/api/v1/participants/{pid}/account");
    let open = |email: &'static str| {
        let t = &t;
        let coach = &coach;
        let account = &account;
        async move {
            json_of(
                t.post(coach, account, &json!({ "email": email })).await,
                StatusCode::CREATED,
            )
            .await["link"]["code"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let activate =
        |code: String| json!({"code": code, "password": STRONG, "password_again": STRONG});

    // Expired after seven days.
    let first = open("sara@exempel.se").await;
    t.clock.advance(time::Duration::days(8));
    let problem = json_of(
        anon_post(&t, "/api/v1/activate", &activate(first.clone())).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(
        message_at(&problem, "code").contains("gick ut"),
        "{problem}"
    );
    let waiting = json_of(t.get(&coach, &account).await, StatusCode::OK).await;
    assert_ne!(waiting["status"], "active", "nothing changed: {waiting}");
    assert!(login_cookie(&t, "sara@exempel.se", STRONG).await.is_none());

    // A new code replaces the old one, which now says so.
    let second = open("sara@exempel.se").await;
    let problem = json_of(
        anon_post(&t, "/api/v1/activate", &activate(first)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(
        message_at(&problem, "code").contains("gäller inte längre"),
        "{problem}"
    );
    json_of(
        anon_post(&t, "/api/v1/activate", &activate(second)).await,
        StatusCode::OK,
    )
    .await;
    assert!(login_cookie(&t, "sara@exempel.se", STRONG).await.is_some());
}

/// What the review of #12 found: an administrator cannot make a participant's account that is
/// linked to nobody (and so hidden from every administrator), and a budget of the smallest
/// number there is gets a message, not a crash.
#[tokio::test]
async fn no_hidden_participant_accounts_and_no_crash_on_a_huge_budget() {
    let t = spawn_app().await;
    let admin = t.token(ADMIN).await;
    let me: Value = json_of(t.get(&admin, "/api/v1/account").await, StatusCode::OK).await;
    let problem = json_of(
        t.post(
            &admin,
            "/api/v1/users",
            &json!({"email": "gömd@exempel.se", "name": "Gömd", "role": "participant",
                    "org_id": me["org_id"], "password": STRONG}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(
        message_at(&problem, "role").contains("deltagarens sida"),
        "{problem}"
    );
    assert!(login_cookie(&t, "gömd@exempel.se", STRONG).await.is_none());

    let pm = t.token("projektledare@demo.stegvis.se").await;
    let mut project = en_vag_in();
    project["number"] = json!("2099/00001");
    project["name"] = json!("Stora budgeten");
    project["total_budget"] = json!("-9223372036854775808");
    let problem = json_of(
        t.post(&pm, "/api/v1/projects", &project).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(!message_at(&problem, "total_budget").is_empty());
}
