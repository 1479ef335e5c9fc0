//! Taking Stegvis into use (issue #12): the first start, invitations and one-time links,
//! changing roles and switching accounts off, own passwords and API tokens, organisations,
//! participants' own accounts, and the demo kept apart. Over the API and the pages.

use crate::support::*;
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use serde_json::{Value, json};

pub(crate) const STRONG: &str = "tre gröna tåg i regnet";
const STRONG_2: &str = "fyra blå båtar på sjön";

/// A post without any log-in (the routes that take a one-time code).
pub(crate) async fn anon_post(t: &TestApp, path: &str, body: &Value) -> reqwest::Response {
    t.http
        .post(format!("{}{path}", t.base))
        .json(body)
        .send()
        .await
        .unwrap()
}

fn code_of(link: &Value) -> String {
    link["code"].as_str().expect("a code").to_owned()
}

/// Logs in over the page; the session cookie (`name=value`).
pub(crate) async fn login_cookie(t: &TestApp, email: &str, password: &str) -> Option<String> {
    let r = t
        .http
        .post(format!("{}/login", t.base))
        .form(&[("email", email), ("password", password), ("next", "/")])
        .send()
        .await
        .unwrap();
    if r.status() != StatusCode::SEE_OTHER {
        return None;
    }
    r.headers()
        .get(SET_COOKIE)
        .map(|h| h.to_str().unwrap().split(';').next().unwrap().to_owned())
}

pub(crate) async fn page(t: &TestApp, path: &str, cookie: &str) -> reqwest::Response {
    let mut req = t.http.get(format!("{}{path}", t.base));
    if !cookie.is_empty() {
        req = req.header(COOKIE, cookie);
    }
    req.send().await.unwrap()
}

pub(crate) fn csrf_in(html: &str) -> String {
    let key = "name=\"csrf\" value=\"";
    let start = html.find(key).expect("csrf field") + key.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// The trail as the organisation's auditor reads it, for one acting user.
async fn trail_of(t: &TestApp, user_email: &str) -> Vec<Value> {
    let auditor = t.token(AUDITOR).await;
    let r = t
        .get(
            &auditor,
            &format!("/api/v1/audit?user={user_email}&limit=1000"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

pub(crate) fn field_of(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["field"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

async fn setup_body(code: &str, password: &str) -> Value {
    json!({
        "token": code,
        "organisation_name": "Arbetsmarknadsenheten i Exempelby",
        "kind": "municipality_unit",
        "municipality_code": "1293",
        "name": "Ada Admin",
        "email": "ada@exempelby.se",
        "password": password,
        "password_again": password,
    })
}

#[tokio::test]
async fn the_first_start_link_sets_up_once_and_then_never_again() {
    let t = spawn_empty_app().await;
    assert!(t.app.needs_setup().await.unwrap());
    let link = t
        .app
        .first_start_link()
        .await
        .unwrap()
        .expect("a setup link");
    assert!(link.path.starts_with("/setup/"));
    let code = link.path.trim_start_matches("/setup/").to_owned();

    // The page shows the form while the link works.
    let form = page(&t, &link.path, "").await;
    assert_eq!(form.status(), StatusCode::OK);
    let html = form.text().await.unwrap();
    for name in [
        "organisation_name",
        "kind",
        "municipality_code",
        "name",
        "email",
        "password",
        "password_again",
    ] {
        assert!(html.contains(&format!("name=\"{name}\"")), "{name}");
    }

    // A weak password is refused at its field, and nothing is made.
    let weak = anon_post(
        &t,
        "/api/v1/setup",
        &setup_body(&code, "stegvis-demo").await,
    )
    .await;
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_of(&weak.json().await.unwrap()),
        vec!["password".to_owned()]
    );
    assert!(t.app.needs_setup().await.unwrap(), "nothing changed");

    // The page's form, with the password typed differently twice: said at the field.
    let r = t
        .http
        .post(format!("{}{}", t.base, link.path))
        .form(&[
            ("organisation_name", "Arbetsmarknadsenheten i Exempelby"),
            ("kind", "municipality_unit"),
            ("municipality_code", "1293"),
            ("name", "Ada Admin"),
            ("email", "ada@exempelby.se"),
            ("password", STRONG),
            ("password_again", STRONG_2),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("password_again-error"));
    assert!(t.app.needs_setup().await.unwrap(), "nothing changed");

    // The page's form, right: the administrator is logged in and lands on the users.
    let r = t
        .http
        .post(format!("{}{}", t.base, link.path))
        .form(&[
            ("organisation_name", "Arbetsmarknadsenheten i Exempelby"),
            ("kind", "municipality_unit"),
            ("municipality_code", "1293"),
            ("name", "Ada Admin"),
            ("email", "ada@exempelby.se"),
            ("password", STRONG),
            ("password_again", STRONG),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()[LOCATION], "/admin/users");
    let cookie = r.headers()[SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let users = page(&t, "/admin/users", &cookie).await;
    assert_eq!(users.status(), StatusCode::OK);
    assert!(users.text().await.unwrap().contains("ada@exempelby.se"));
    assert!(!t.app.needs_setup().await.unwrap());

    // Used: the link says so, over the page and the API, and changes nothing.
    let used = page(&t, &link.path, "").await;
    assert_eq!(used.status(), StatusCode::NOT_FOUND);
    assert!(used.text().await.unwrap().contains("redan använts"));
    let again = anon_post(&t, "/api/v1/setup", &setup_body(&code, STRONG).await).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_of(&again.json().await.unwrap()),
        vec!["token".to_owned()]
    );
    // No new link once anyone can log in.
    assert!(t.app.first_start_link().await.unwrap().is_none());

    // The trail of the first start: the organisation and the administrator, allowed.
    let admin_token = t.app.create_api_token("ada@exempelby.se").await.unwrap();
    let me: Value = t
        .get(&admin_token, "/api/v1/account")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "admin");

    // The demo never fills a database set up for real.
    let refused = stegvis_demo::seed_demo(&t.app, 1, 1, &|_, _| {}).await;
    assert!(refused.is_err(), "the demo refuses a real database");
    assert!(!t.app.has_user("coach@demo.stegvis.se").await.unwrap());
}

#[tokio::test]
async fn an_expired_setup_link_is_refused_and_a_new_start_replaces_it() {
    let t = spawn_empty_app().await;
    let first = t.app.first_start_link().await.unwrap().unwrap();
    let code = first.path.trim_start_matches("/setup/").to_owned();
    t.clock.advance(time::Duration::minutes(61));
    let r = anon_post(&t, "/api/v1/setup", &setup_body(&code, STRONG).await).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(field_of(&problem), vec!["token".to_owned()]);
    assert!(problem.to_string().contains("gick ut"), "{problem}");
    let expired = page(&t, &first.path, "").await;
    assert_eq!(expired.status(), StatusCode::NOT_FOUND);
    // A restart prints a new link; the old one stays dead.
    let second = t.app.first_start_link().await.unwrap().unwrap();
    let code2 = second.path.trim_start_matches("/setup/").to_owned();
    let ok = anon_post(&t, "/api/v1/setup", &setup_body(&code2, STRONG).await).await;
    assert_eq!(ok.status(), StatusCode::CREATED);
    let made: Value = ok.json().await.unwrap();
    assert_eq!(made["user"]["role"], "admin");
    assert_eq!(made["organisation"]["kind"], "municipality_unit");
}

#[tokio::test]
async fn the_demo_refuses_a_database_with_data_it_did_not_create() {
    let t = spawn_empty_app().await;
    t.app
        .setup_as_operator(&stegvis_app::accounts::SetupInput {
            organisation_name: "Riktiga kommunen".into(),
            kind: "municipality_unit".into(),
            name: "Riktig Admin".into(),
            email: "admin@riktiga.se".into(),
            password: STRONG.into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let err = t.app.claim_for_demo().await.unwrap_err();
    let stegvis_app::AppError::Conflict(text) = err else {
        panic!("a conflict")
    };
    assert!(text.sv.contains("demot inte har skapat"), "{}", text.sv);
    // The demo's own database stays the demo's.
    let demo = spawn_app().await;
    demo.app.claim_for_demo().await.unwrap();
}

#[tokio::test]
async fn an_invited_user_sets_a_password_once_and_the_administrator_keeps_the_account() {
    let t = spawn_app().await;
    let admin = t.token(ADMIN).await;
    let invite = json!({"email": "Ny.Coach@Exempel.se", "name": "Ny Coach", "role": "coach"});
    let r = t.post(&admin, "/api/v1/invitations", &invite).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let inv: Value = r.json().await.unwrap();
    assert_eq!(inv["user"]["status"], "invited");
    assert_eq!(inv["user"]["email"], "ny.coach@exempel.se");
    let user_id = inv["user"]["id"].as_str().unwrap().to_owned();
    let code = code_of(&inv["link"]);
    assert!(
        inv["link"]["path"]
            .as_str()
            .unwrap()
            .starts_with("/activate/")
    );

    // A duplicate e-mail is refused at its field and makes nothing.
    let before = t
        .get(&admin, "/api/v1/users")
        .await
        .json::<Vec<Value>>()
        .await
        .unwrap()
        .len();
    let dup = t.post(&admin, "/api/v1/invitations", &invite).await;
    assert_eq!(dup.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_of(&dup.json().await.unwrap()),
        vec!["email".to_owned()]
    );
    let after = t
        .get(&admin, "/api/v1/users")
        .await
        .json::<Vec<Value>>()
        .await
        .unwrap()
        .len();
    assert_eq!(before, after);
    // Not a participant's account, and not by a coach.
    let p = t
        .post(
            &admin,
            "/api/v1/invitations",
            &json!({"email": "d@exempel.se", "name": "D", "role": "participant"}),
        )
        .await;
    assert_eq!(p.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let coach = t.token(COACH).await;
    let by_coach = t
        .post(
            &coach,
            "/api/v1/invitations",
            &json!({"email": "e@exempel.se", "name": "E", "role": "coach"}),
        )
        .await;
    assert_eq!(by_coach.status(), StatusCode::FORBIDDEN);

    // The page for the link shows whose account it is.
    let link_page = page(&t, &format!("/activate/{code}"), "").await;
    assert_eq!(link_page.status(), StatusCode::OK);
    assert!(
        link_page
            .text()
            .await
            .unwrap()
            .contains("ny.coach@exempel.se")
    );

    // A weak password: refused at its field; the link still works.
    let weak = anon_post(
        &t,
        "/api/v1/activate",
        &json!({"code": code, "password": "kort"}),
    )
    .await;
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_of(&weak.json().await.unwrap()),
        vec!["password".to_owned()]
    );
    // Through the page: logged in at once.
    let r = t
        .http
        .post(format!("{}/activate", t.base))
        .form(&[
            ("code", code.as_str()),
            ("password", STRONG),
            ("password_again", STRONG),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let cookie = r.headers()[SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(
        page(&t, "/caseload", &cookie).await.status(),
        StatusCode::OK
    );
    // Reused: refused, and says so.
    let reused = anon_post(
        &t,
        "/api/v1/activate",
        &json!({"code": code, "password": STRONG_2}),
    )
    .await;
    assert_eq!(reused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = reused.json().await.unwrap();
    assert_eq!(field_of(&problem), vec!["code".to_owned()]);
    assert!(problem.to_string().contains("redan använts"), "{problem}");
    assert!(
        login_cookie(&t, "ny.coach@exempel.se", STRONG_2)
            .await
            .is_none()
    );

    // A new role, from the version that was read; a stale version is 409.
    let u: Value = t
        .get(&admin, &format!("/api/v1/users/{user_id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(u["status"], "active");
    let version = u["version"].as_i64().unwrap();
    let stale = t
        .patch(
            &admin,
            &format!("/api/v1/users/{user_id}"),
            &json!({"version": version - 1, "role": "project_manager"}),
        )
        .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let r = t
        .patch(
            &admin,
            &format!("/api/v1/users/{user_id}"),
            &json!({"version": version, "role": "project_manager"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let u: Value = r.json().await.unwrap();
    assert_eq!(u["role"], "project_manager");

    // Switched off: the open session and a token stop at the next request.
    let token = t.app.create_api_token("ny.coach@exempel.se").await.unwrap();
    assert_eq!(
        t.get(&token, "/api/v1/caseload").await.status(),
        StatusCode::OK
    );
    let r = t
        .patch(
            &admin,
            &format!("/api/v1/users/{user_id}"),
            &json!({"version": u["version"], "active": false}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let u: Value = r.json().await.unwrap();
    assert_eq!(u["status"], "deactivated");
    assert_eq!(
        t.get(&token, "/api/v1/caseload").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let after = page(&t, "/caseload", &cookie).await;
    assert_eq!(after.status(), StatusCode::SEE_OTHER);
    assert!(
        after.headers()[LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/login")
    );
    assert!(
        login_cookie(&t, "ny.coach@exempel.se", STRONG)
            .await
            .is_none()
    );

    // On again: logging in works; the old token stays revoked.
    let r = t
        .patch(
            &admin,
            &format!("/api/v1/users/{user_id}"),
            &json!({"version": u["version"], "active": true}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        login_cookie(&t, "ny.coach@exempel.se", STRONG)
            .await
            .is_some()
    );
    assert_eq!(
        t.get(&token, "/api/v1/caseload").await.status(),
        StatusCode::UNAUTHORIZED
    );

    // A password reset: a new link; the old password works until it is used.
    let r = t
        .post(
            &admin,
            &format!("/api/v1/users/{user_id}/password-reset"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let reset: Value = r.json().await.unwrap();
    assert_eq!(reset["purpose"], "password_reset");
    assert!(
        login_cookie(&t, "ny.coach@exempel.se", STRONG)
            .await
            .is_some()
    );
    let r = anon_post(
        &t,
        "/api/v1/activate",
        &json!({"code": code_of(&reset), "password": STRONG_2}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        login_cookie(&t, "ny.coach@exempel.se", STRONG)
            .await
            .is_none()
    );
    assert!(
        login_cookie(&t, "ny.coach@exempel.se", STRONG_2)
            .await
            .is_some()
    );

    // The administrator cannot give themselves a role that reads participants' data, nor
    // switch themselves off; the auditor sees the refusal and every change.
    let me: Value = t.get(&admin, "/api/v1/account").await.json().await.unwrap();
    let my_id = me["id"].as_str().unwrap();
    let own = t
        .patch(
            &admin,
            &format!("/api/v1/users/{my_id}"),
            &json!({"version": me["version"], "role": "coach"}),
        )
        .await;
    assert_eq!(own.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_of(&own.json().await.unwrap()),
        vec!["role".to_owned()]
    );
    let off = t
        .patch(
            &admin,
            &format!("/api/v1/users/{my_id}"),
            &json!({"version": me["version"], "active": false}),
        )
        .await;
    assert_eq!(off.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let me_after: Value = t.get(&admin, "/api/v1/account").await.json().await.unwrap();
    assert_eq!(me_after["role"], "admin", "nothing changed");

    let trail = trail_of(&t, ADMIN).await;
    let detail = |e: &Value| e["detail"].as_str().unwrap_or_default().to_owned();
    let allowed = |needle: &str| {
        trail.iter().any(|e| {
            e["record_kind"] == "users" && e["decision"] == "allowed" && detail(e).contains(needle)
        })
    };
    assert!(allowed("user invited"));
    assert!(allowed("role coach -> project_manager"));
    assert!(allowed("deactivated"));
    assert!(allowed("reactivated"));
    assert!(allowed("password reset link"));
    assert!(
        trail
            .iter()
            .any(|e| e["decision"] == "denied" && e["ground"] == "denied:own_role"),
        "the refused self-promotion is in the trail"
    );
    assert!(
        trail
            .iter()
            .any(|e| e["decision"] == "denied" && e["ground"] == "denied:invalid_input"),
        "the duplicate e-mail is in the trail as refused"
    );
}

#[tokio::test]
async fn the_administration_pages_invite_and_show_the_link_to_hand_over() {
    let t = spawn_app().await;
    let cookie = login_cookie(&t, ADMIN, PASSWORD).await.unwrap();
    let list = page(&t, "/admin/users", &cookie).await;
    assert_eq!(list.status(), StatusCode::OK);
    let html = list.text().await.unwrap();
    let csrf = csrf_in(&html);
    // A duplicate e-mail: the form again, with the message at the field.
    let dup = t
        .http
        .post(format!("{}/admin/users", t.base))
        .header(COOKIE, &cookie)
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", COACH),
            ("name", "Dubbel"),
            ("role", "coach"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(dup.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(dup.text().await.unwrap().contains("id=\"email-error\""));
    let r = t
        .http
        .post(format!("{}/admin/users", t.base))
        .header(COOKIE, &cookie)
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", "pm@exempel.se"),
            ("name", "Pia Projektledare"),
            ("role", "project_manager"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"link-code\""));
    let start = html.find("id=\"link-url\" href=\"").unwrap() + "id=\"link-url\" href=\"".len();
    let path = html[start..].split('"').next().unwrap().to_owned();
    assert!(path.starts_with("/activate/"));
    assert_eq!(page(&t, &path, "").await.status(), StatusCode::OK);
    // The account page and the organisations page answer.
    assert_eq!(page(&t, "/account", &cookie).await.status(), StatusCode::OK);
    assert_eq!(
        page(&t, "/admin/organisations", &cookie).await.status(),
        StatusCode::OK
    );
    // A coach gets no administration.
    let coach = login_cookie(&t, COACH, PASSWORD).await.unwrap();
    assert_eq!(
        page(&t, "/admin/users", &coach).await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn own_password_and_named_tokens_that_expire_or_are_revoked() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    // A token with a name and the default 90 days.
    let r = t
        .post(&coach, "/api/v1/tokens", &json!({"name": "Rapportskript"}))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let made: Value = r.json().await.unwrap();
    let token = made["token"].as_str().unwrap().to_owned();
    let id = made["id"].as_str().unwrap().to_owned();
    assert_eq!(
        t.get(&token, "/api/v1/caseload").await.status(),
        StatusCode::OK
    );
    let list: Vec<Value> = t.get(&coach, "/api/v1/tokens").await.json().await.unwrap();
    let listed = list.iter().find(|x| x["id"] == id.as_str()).unwrap();
    assert_eq!(listed["name"], "Rapportskript");
    assert_eq!(listed["status"], "live");
    assert!(listed.get("token").is_none(), "never the token itself");
    // Bad input: no name, a day already gone.
    let bad = t
        .post(
            &coach,
            "/api/v1/tokens",
            &json!({"name": "", "expires_on": "2001-01-01"}),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let mut fields = field_of(&bad.json().await.unwrap());
    fields.sort();
    assert_eq!(fields, vec!["expires_on".to_owned(), "name".to_owned()]);

    // Revoked: 401 at the next request; another user cannot revoke it.
    let other = t.token(OTHER_COACH).await;
    let foreign = t
        .post(&other, &format!("/api/v1/tokens/{id}/revoke"), &json!({}))
        .await;
    assert_eq!(foreign.status(), StatusCode::NOT_FOUND);
    let r = t
        .post(&coach, &format!("/api/v1/tokens/{id}/revoke"), &json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "revoked");
    assert_eq!(
        t.get(&token, "/api/v1/caseload").await.status(),
        StatusCode::UNAUTHORIZED
    );

    // Expired: a token valid through tomorrow stops the day after.
    let tomorrow = (t.app.today() + time::Duration::days(1)).to_string();
    let r = t
        .post(
            &coach,
            "/api/v1/tokens",
            &json!({"name": "Kort", "expires_on": tomorrow}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let short = r.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        t.get(&short, "/api/v1/caseload").await.status(),
        StatusCode::OK
    );
    t.clock.advance(time::Duration::days(3));
    assert_eq!(
        t.get(&short, "/api/v1/caseload").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let coach = t.token(COACH).await;

    // The own password: the current one is asked; a weak new one is refused at its field.
    let wrong = t
        .post(
            &coach,
            "/api/v1/account/password",
            &json!({"current_password": "fel lösenord", "new_password": STRONG}),
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_of(&wrong.json().await.unwrap()),
        vec!["current_password".to_owned()]
    );
    let weak = t
        .post(
            &coach,
            "/api/v1/account/password",
            &json!({"current_password": PASSWORD, "new_password": "kort"}),
        )
        .await;
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        login_cookie(&t, COACH, PASSWORD).await.is_some(),
        "unchanged"
    );
    let open = login_cookie(&t, COACH, PASSWORD).await.unwrap();
    let r = t
        .post(
            &coach,
            "/api/v1/account/password",
            &json!({"current_password": PASSWORD, "new_password": STRONG, "new_password_again": STRONG}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert!(login_cookie(&t, COACH, PASSWORD).await.is_none());
    assert!(login_cookie(&t, COACH, STRONG).await.is_some());
    // Other sessions ended.
    let after = page(&t, "/caseload", &open).await;
    assert_eq!(after.status(), StatusCode::SEE_OTHER);
    // In the trail, allowed.
    let trail = trail_of(&t, COACH).await;
    for needle in [
        "API token created",
        "API token revoked",
        "own password changed",
    ] {
        assert!(
            trail.iter().any(|e| e["decision"] == "allowed"
                && e["detail"].as_str().unwrap_or_default().contains(needle)),
            "{needle}"
        );
    }
}

#[tokio::test]
async fn organisations_get_a_parent_and_partners_from_their_administrators() {
    let t = spawn_app().await;
    let admin = t.token(ADMIN).await;
    let r = t
        .post(
            &admin,
            "/api/v1/organisations",
            &json!({"name": "Exempelby socialtjänst", "kind": "municipality_unit", "municipality_code": "1293"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let org: Value = r.json().await.unwrap();
    let id = org["id"].as_str().unwrap().to_owned();
    let dup = t
        .post(
            &admin,
            "/api/v1/organisations",
            &json!({"name": "Exempelby socialtjänst", "kind": "ngo"}),
        )
        .await;
    assert_eq!(dup.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let parent = t
        .org_id("Region Jämtland Härjedalen, Välfärd och klimat")
        .await;
    let partner = t.org_id("Arbetsförmedlingen").await;
    let r = t
        .patch(
            &admin,
            &format!("/api/v1/organisations/{id}"),
            &json!({"version": org["version"], "parent_org_id": parent, "partner_org_ids": [partner]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let got: Value = t
        .get(&admin, &format!("/api/v1/organisations/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(got["parent_org_id"], parent.as_str());
    assert_eq!(got["partner_org_ids"], json!([partner]));
    // Under itself: refused at the field.
    let r = t
        .patch(
            &admin,
            &format!("/api/v1/organisations/{id}"),
            &json!({"version": got["version"], "parent_org_id": id}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Another organisation's administrator: not found.
    let helsingborg = t
        .org_id("Helsingborgs stad, arbetsmarknadsförvaltningen")
        .await;
    t.app
        .add_user(
            &stegvis_app::users::UserInput {
                email: "admin.hbg@exempel.se".into(),
                name: "Annan Admin".into(),
                org_id: helsingborg,
                role: "admin".into(),
                password: STRONG.into(),
            },
            None,
        )
        .await
        .unwrap();
    let other = t.token("admin.hbg@exempel.se").await;
    let r = t
        .patch(
            &other,
            &format!("/api/v1/organisations/{id}"),
            &json!({"version": got["version"], "name": "Kapad"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let trail = trail_of(&t, ADMIN).await;
    assert!(trail.iter().any(|e| {
        e["record_kind"] == "organisations"
            && e["decision"] == "allowed"
            && e["detail"]
                .as_str()
                .unwrap_or_default()
                .contains("corrected")
    }));
}

#[tokio::test]
async fn a_participant_activates_their_own_account_and_staff_can_close_it() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let case: Value = t
        .register(&coach, "811218-9876", "Sara", "Egen")
        .await
        .json()
        .await
        .unwrap();
    let pid = case["participant"]["id"].as_str().unwrap().to_owned();
    let acc: Value = t
        .get(&coach, &format!("/api/v1/participants/{pid}/account"))
        .await
        .json()
        .await
        .unwrap();
    assert!(acc["account_id"].is_null());
    // Bad e-mail, and one already in use: refused at the field, nothing made.
    for email in ["inte en adress", COACH] {
        let r = t
            .post(
                &coach,
                &format!("/api/v1/participants/{pid}/account"),
                &json!({"email": email}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{email}");
        assert_eq!(field_of(&r.json().await.unwrap()), vec!["email".to_owned()]);
    }
    // Another organisation's coach: not found.
    let other = t.token(OTHER_COACH).await;
    let r = t
        .post(
            &other,
            &format!("/api/v1/participants/{pid}/account"),
            &json!({"email": "sara@exempel.se"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // Over the page: the printable code and link.
    let cookie = login_cookie(&t, COACH, PASSWORD).await.unwrap();
    let html = page(&t, &format!("/participants/{pid}"), &cookie)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"account-heading\""));
    let csrf = csrf_in(&html);
    let r = t
        .http
        .post(format!("{}/participants/{pid}/account", t.base))
        .header(COOKIE, &cookie)
        .form(&[("csrf", csrf.as_str()), ("email", "Sara@Exempel.se")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let html = r.text().await.unwrap();
    let code_start =
        html.find("id=\"activation-code\">").unwrap() + "id=\"activation-code\">".len();
    let code = html[code_start..].split('<').next().unwrap().to_owned();
    assert!(html.contains("id=\"activation-link\" href=\"/activate/"));

    // The participant types the code at /activate and lands on their own page.
    let r = t
        .http
        .post(format!("{}/activate", t.base))
        .form(&[
            ("code", code.to_lowercase().as_str()),
            ("password", STRONG),
            ("password_again", STRONG),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let own = r.headers()[SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    // Their own pages are the portal (issue 15): the staff page of their record leads there.
    let home = page(&t, "/", &own).await;
    assert_eq!(home.headers()[LOCATION], "/me");
    assert_eq!(page(&t, "/me", &own).await.status(), StatusCode::OK);
    let staff_page = page(&t, &format!("/participants/{pid}"), &own).await;
    assert_eq!(staff_page.status(), StatusCode::SEE_OTHER);
    assert_eq!(staff_page.headers()[LOCATION], "/me");
    // Reused code: refused.
    let again = anon_post(
        &t,
        "/api/v1/activate",
        &json!({"code": code, "password": STRONG_2}),
    )
    .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // In use: a second account is a conflict.
    let r = t
        .post(
            &coach,
            &format!("/api/v1/participants/{pid}/account"),
            &json!({"email": "sara2@exempel.se"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);

    // Closed: the participant's session stops at the next request.
    let acc: Value = t
        .get(&coach, &format!("/api/v1/participants/{pid}/account"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(acc["status"], "active");
    let r = t
        .post(
            &coach,
            &format!("/api/v1/participants/{pid}/account/close"),
            &json!({"account_id": acc["account_id"]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "deactivated");
    let after = page(&t, &format!("/participants/{pid}"), &own).await;
    assert_eq!(after.status(), StatusCode::SEE_OTHER);
    assert!(login_cookie(&t, "sara@exempel.se", STRONG).await.is_none());

    // The participant's access log shows the account opened and closed.
    let events = t.audit_of(&pid).await;
    for needle in ["participant account opened", "participant account closed"] {
        assert!(
            events.iter().any(|e| e["decision"] == "allowed"
                && e["detail"].as_str().unwrap_or_default().contains(needle)),
            "{needle}"
        );
    }
}

#[tokio::test]
async fn administrators_invite_into_the_organisations_they_keep_and_no_other() {
    let t = spawn_app().await;
    let admin = t.token(ADMIN).await;
    let org: Value = t
        .post(
            &admin,
            "/api/v1/organisations",
            &json!({"name": "Exempelby vuxenutbildning", "kind": "municipality_unit"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        org["administered_by"],
        t.org_id("Hässleholms kommun, Arbetsmarknadsenheten")
            .await
            .as_str()
    );
    let r = t
        .post(
            &admin,
            "/api/v1/invitations",
            &json!({"email": "lärare@exempel.se", "name": "Lärare", "role": "coach", "org_id": org["id"]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let inv: Value = r.json().await.unwrap();
    assert_eq!(inv["user"]["org_id"], org["id"]);
    // An organisation it does not keep: refused at the field, nothing made.
    let foreign = t.org_id("Arbetsförmedlingen").await;
    let r = t
        .post(
            &admin,
            "/api/v1/invitations",
            &json!({"email": "x@exempel.se", "name": "X", "role": "coach", "org_id": foreign}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_of(&r.json().await.unwrap()),
        vec!["org_id".to_owned()]
    );
    assert!(!t.app.has_user("x@exempel.se").await.unwrap());
    // The administrator's list holds the new account, which they keep.
    let users: Vec<Value> = t.get(&admin, "/api/v1/users").await.json().await.unwrap();
    assert!(users.iter().any(|u| u["email"] == "lärare@exempel.se"));

    // Through the page: a new role, and switching the account off.
    let cookie = login_cookie(&t, ADMIN, PASSWORD).await.unwrap();
    let id = inv["user"]["id"].as_str().unwrap();
    let html = page(&t, &format!("/admin/users/{id}"), &cookie)
        .await
        .text()
        .await
        .unwrap();
    let csrf = csrf_in(&html);
    let version = inv["user"]["version"].to_string();
    let r = t
        .http
        .post(format!("{}/admin/users/{id}", t.base))
        .header(COOKIE, &cookie)
        .form(&[
            ("csrf", csrf.as_str()),
            ("version", version.as_str()),
            ("role", "auditor"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let u: Value = t
        .get(&admin, &format!("/api/v1/users/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(u["role"], "auditor");
    // The same version again: someone changed it meanwhile, said on the page (409).
    let r = t
        .http
        .post(format!("{}/admin/users/{id}", t.base))
        .header(COOKIE, &cookie)
        .form(&[
            ("csrf", csrf.as_str()),
            ("version", version.as_str()),
            ("active", "false"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains("Ladda om"));
}
