//! The participant's portal (`/me`, issue 15): the participant's own data only, through the same
//! gate; every page in each of the four languages (Arabic right to left); refusals and form
//! errors in the participant's language; staff refused; the participant's own staff pages lead
//! to the portal.

use crate::forms::{get_page, hidden, post_form, web_login};
use crate::support::*;
use reqwest::StatusCode;
use reqwest::header::LOCATION;
use serde_json::{Value, json};
use stegvis_app::users::UserInput;
use stegvis_i18n::{Language, text};

const LANG_COOKIE: &str = "__Host-stegvis-lang";

fn with_lang(cookie: &str, lang: Language) -> String {
    format!("{cookie}; {LANG_COOKIE}={}", lang.code())
}

/// The demo participant's own id, as they see it.
async fn own_id(t: &TestApp, token: &str) -> String {
    let page: Value = t
        .get(token, "/api/v1/participants")
        .await
        .json()
        .await
        .unwrap();
    page["items"][0]["id"].as_str().unwrap().to_owned()
}

/// Text as askama writes it into HTML.
fn escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

/// A step of the plan by id, as staff read it.
async fn step_status(t: &TestApp, token: &str, step: &str) -> String {
    let v: Value = t
        .get(token, &format!("/api/v1/plan-steps/{step}"))
        .await
        .json()
        .await
        .unwrap();
    v["step"]["status"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn every_portal_page_answers_in_each_language_and_arabic_is_right_to_left() {
    let t = spawn_app().await;
    let cookie = web_login(&t, PARTICIPANT).await;
    let pages = [
        ("/me", "home-title"),
        ("/me/plan", "plan-title"),
        ("/me/plan/new", "step-new-title"),
        ("/me/activities", "activities-title"),
        ("/me/placements", "placements-title"),
        ("/me/consents", "consents-title"),
        ("/me/consents/new", "consent-new-title"),
        ("/me/access-log", "log-title"),
        ("/me/reminders", "reminders-title"),
        ("/tillganglighet", "a11y-title"),
    ];
    for lang in Language::ALL {
        let c = with_lang(&cookie, lang);
        for (path, title) in pages {
            let r = get_page(&t, path, &c).await;
            assert_eq!(r.status(), StatusCode::OK, "{path} in {}", lang.code());
            let html = r.text().await.unwrap();
            let root = format!("<html lang=\"{}\" dir=\"{}\">", lang.code(), lang.dir());
            assert!(html.contains(&root), "{path} in {}: {root}", lang.code());
            let expected = text(lang, title);
            assert_ne!(expected, title, "{title} has a text in {}", lang.code());
            let h1 = format!("<h1>{}</h1>", escaped(&expected));
            assert!(html.contains(&h1), "{path} in {}: {h1}", lang.code());
            // The chooser offers every language on every page, and the statement is linked.
            for other in Language::ALL {
                assert!(html.contains(&format!("href=\"/language/{}?next=", other.code())));
            }
            assert!(html.contains("href=\"/tillganglighet\""));
        }
    }
    // The accessibility statement needs no log-in.
    let r = t
        .http
        .get(format!("{}/tillganglighet", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("2018:1937") && html.contains("WCAG 2.1") && html.contains("DIGG"));
}

#[tokio::test]
async fn the_language_cookie_holds_four_languages_and_staff_pages_show_swedish_for_the_others() {
    let t = spawn_app().await;
    let r = t
        .http
        .get(format!("{}/language/ar?next=/me", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()[LOCATION], "/me");
    let set = r.headers()["set-cookie"].to_str().unwrap();
    assert!(set.starts_with(&format!("{LANG_COOKIE}=ar")), "{set}");
    // Never to another site.
    let r = t
        .http
        .get(format!("{}/language/so?next=//evil.example/", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()[LOCATION], "/");

    let coach = web_login(&t, COACH).await;
    let html = get_page(&t, "/caseload", &with_lang(&coach, Language::Ar))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("<html lang=\"sv\">"),
        "staff pages stay Swedish"
    );
    assert!(
        html.contains("href=\"/tillganglighet\""),
        "linked from staff pages"
    );
    let html = get_page(&t, "/login", &format!("{LANG_COOKIE}=so"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("href=\"/tillganglighet\""),
        "linked from the login page"
    );
}

#[tokio::test]
async fn the_participant_lands_on_the_portal_and_their_staff_pages_lead_there() {
    let t = spawn_app().await;
    let me = t.token(PARTICIPANT).await;
    let pid = own_id(&t, &me).await;
    let cookie = web_login(&t, PARTICIPANT).await;
    let r = get_page(&t, "/", &cookie).await;
    assert_eq!(r.headers()[LOCATION], "/me");
    for (staff, portal) in [
        (format!("/participants/{pid}"), "/me"),
        (format!("/participants/{pid}/plan/new"), "/me/plan/new"),
        (
            format!("/participants/{pid}/consents/new"),
            "/me/consents/new",
        ),
        (format!("/participants/{pid}/access-log"), "/me/access-log"),
    ] {
        let r = get_page(&t, &staff, &cookie).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{staff}");
        assert_eq!(r.headers()[LOCATION], portal, "{staff}");
    }
    // A step of their own plan: its portal page.
    let step: Value = t
        .post(
            &me,
            &format!("/api/v1/participants/{pid}/plan"),
            &json!({"goal": "Jobb", "step": "Ringa tre arbetsgivare"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let sid = step["id"].as_str().unwrap();
    let r = get_page(&t, &format!("/plan-steps/{sid}/edit"), &cookie).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()[LOCATION],
        format!("/me/plan-steps/{sid}").as_str()
    );

    // Staff are refused from the portal, in words.
    let coach = web_login(&t, COACH).await;
    let r = get_page(&t, "/me", &coach).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("för deltagare"));
    let r = get_page(&t, "/me/plan", &coach).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Not logged in: asked to log in.
    let r = t
        .http
        .get(format!("{}/me/plan", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(
        r.headers()[LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/login")
    );
}

#[tokio::test]
async fn the_participant_co_writes_their_plan_and_never_reaches_another_participants() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let me = t.token(PARTICIPANT).await;
    let pid = own_id(&t, &me).await;
    let cookie = web_login(&t, PARTICIPANT).await;

    // Another participant with a step of their own, and an account.
    let other: Value = t
        .register(&coach, "811218-9876", "Annan", "Deltagare")
        .await
        .json()
        .await
        .unwrap();
    let other_id = other["participant"]["id"].as_str().unwrap().to_owned();
    let theirs: Value = t
        .post(
            &coach,
            &format!("/api/v1/participants/{other_id}/plan"),
            &json!({"goal": "Utbildning", "step": "Hemligt steg för en annan", "owner": "participant"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let their_step = theirs["id"].as_str().unwrap().to_owned();
    let org = other["participant"]["org_id"].as_str().unwrap().to_owned();
    t.app
        .add_user(
            &UserInput {
                email: "annan.deltagare@example.se".into(),
                name: "Annan Deltagare".into(),
                org_id: org,
                role: "participant".into(),
                password: PASSWORD.into(),
            },
            Some(other_id.parse().unwrap()),
        )
        .await
        .unwrap();

    // The participant adds a step of their own; a blank form comes back with its errors.
    let form = get_page(&t, "/me/plan/new", &cookie)
        .await
        .text()
        .await
        .unwrap();
    let csrf = hidden(&form, "csrf");
    let somali = with_lang(&cookie, Language::So);
    let r = post_form(
        &t,
        "/me/plan",
        &somali,
        &[("csrf", &csrf), ("step", "Bara ett steg")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(&escaped(&text(Language::So, "error-field-goal"))));
    assert!(
        html.contains("value=\"Bara ett steg\""),
        "what was typed is kept"
    );
    let r = post_form(
        &t,
        "/me/plan",
        &cookie,
        &[
            ("csrf", &csrf),
            ("goal", "Jobb i butik"),
            ("step", "Besöka två butiker"),
            ("due_on", "2030-01-31"),
            // Never taken from this form: the step is the participant's own.
            ("owner", "staff"),
            ("staff_note", "smyg"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()[LOCATION], "/me/plan");
    let plan: Vec<Value> = t
        .get(&coach, &format!("/api/v1/participants/{pid}/plan"))
        .await
        .json()
        .await
        .unwrap();
    let mine = plan
        .iter()
        .find(|s| s["step"] == "Besöka två butiker")
        .expect("the new step");
    assert_eq!(mine["owner"], "participant");
    assert!(mine["staff_note"].is_null());
    let sid = mine["id"].as_str().unwrap().to_owned();

    // The plan shows their steps, never the other participant's.
    let html = get_page(&t, "/me/plan", &cookie)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Besöka två butiker"));
    assert!(!html.contains("Hemligt steg"));
    let version = mine["version"].as_i64().unwrap().to_string();
    assert!(html.contains(&format!("action=\"/me/plan-steps/{sid}/done\"")));

    // Own words, then done.
    let r = post_form(
        &t,
        &format!("/me/plan-steps/{sid}"),
        &cookie,
        &[
            ("csrf", &csrf),
            ("participant_words", "Jag har ringt en."),
            ("version", &version),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // The form opened before that change is stale now: refused, nothing changed.
    let r = post_form(
        &t,
        &format!("/me/plan-steps/{sid}/done"),
        &cookie,
        &[("csrf", &csrf), ("version", &version)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(step_status(&t, &coach, &sid).await, "planned");
    let html = get_page(&t, "/me/plan", &cookie)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Jag har ringt en."));
    let version = (version.parse::<i64>().unwrap() + 1).to_string();
    let r = post_form(
        &t,
        &format!("/me/plan-steps/{sid}/done"),
        &cookie,
        &[("csrf", &csrf), ("version", &version)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(step_status(&t, &coach, &sid).await, "done");

    // Another participant's step: not found through every portal form, and unchanged.
    let arabic = with_lang(&cookie, Language::Ar);
    for path in [
        format!("/me/plan-steps/{their_step}/done"),
        format!("/me/plan-steps/{their_step}"),
    ] {
        let r = post_form(
            &t,
            &path,
            &arabic,
            &[
                ("csrf", &csrf),
                ("version", "1"),
                ("participant_words", "x"),
            ],
        )
        .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
        let html = r.text().await.unwrap();
        assert!(html.contains("dir=\"rtl\""));
        assert!(html.contains(&escaped(&text(Language::Ar, "error-not-found-title"))));
    }
    let r = get_page(&t, &format!("/me/plan-steps/{their_step}"), &cookie).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(step_status(&t, &coach, &their_step).await, "planned");
    let theirs: Value = t
        .get(&coach, &format!("/api/v1/plan-steps/{their_step}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(theirs["step"]["participant_words"].is_null());

    // The other participant sees only their own.
    let other_cookie = web_login(&t, "annan.deltagare@example.se").await;
    let html = get_page(&t, "/me/plan", &other_cookie)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Hemligt steg") && !html.contains("Besöka två butiker"));
    // A staff step is not theirs to mark done.
    let staff_step: Value = t
        .post(
            &coach,
            &format!("/api/v1/participants/{pid}/plan"),
            &json!({"goal": "Jobb", "step": "Coachen bokar möte", "owner": "staff"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let staff_sid = staff_step["id"].as_str().unwrap();
    let html = get_page(&t, "/me/plan", &cookie)
        .await
        .text()
        .await
        .unwrap();
    assert!(!html.contains(&format!("action=\"/me/plan-steps/{staff_sid}/done\"")));
    let r = post_form(
        &t,
        &format!("/me/plan-steps/{staff_sid}/done"),
        &cookie,
        &[("csrf", &csrf), ("version", "1")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(step_status(&t, &coach, staff_sid).await, "planned");
}

#[tokio::test]
async fn consents_are_revoked_with_one_button_and_refusals_speak_the_participants_language() {
    let t = spawn_app().await;
    let me = t.token(PARTICIPANT).await;
    let partner = t.token(PARTNER).await;
    let pid = own_id(&t, &me).await;
    let cookie = web_login(&t, PARTICIPANT).await;
    let html = get_page(&t, "/me/consents", &cookie)
        .await
        .text()
        .await
        .unwrap();
    let csrf = hidden(&html, "csrf");
    let start = html
        .find("action=\"/me/consents/")
        .expect("a revoke button")
        + "action=\"/me/consents/".len();
    let consent = html[start..start + 36].to_owned();
    // Without the form's token: refused, in Arabic, and nothing changes.
    let r = post_form(
        &t,
        &format!("/me/consents/{consent}/revoke"),
        &with_lang(&cookie, Language::Ar),
        &[],
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(r.text().await.unwrap(), text(Language::Ar, "error-csrf"));
    let live: Vec<Value> = t
        .get(&me, &format!("/api/v1/participants/{pid}/consents"))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        live.iter()
            .any(|c| c["id"] == consent.as_str() && c["live"] == true)
    );
    let plan = format!("/api/v1/participants/{pid}/plan");
    assert_eq!(t.get(&partner, &plan).await.status(), StatusCode::OK);

    let r = post_form(
        &t,
        &format!("/me/consents/{consent}/revoke"),
        &cookie,
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()[LOCATION], "/me/consents");
    assert_eq!(t.get(&partner, &plan).await.status(), StatusCode::NOT_FOUND);
    let html = get_page(&t, "/me/consents", &cookie)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Återkallat"));

    // The refused look is in their access log, in plain words, a page at a time.
    let html = get_page(&t, "/me/access-log", &with_lang(&cookie, Language::En))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Your consent") && html.contains("You yourself"));
    assert!(html.contains(&escaped(&text(Language::En, "log-denied"))));
    assert_eq!(
        get_page(&t, "/me/access-log?page=999", &cookie)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

/// The hours this week and this month on the activities page (Swedish), in tenths.
fn hours_shown(html: &str) -> (i64, i64) {
    let value = |label: &str| -> i64 {
        let key = format!("<dt>{label}</dt><dd>");
        let start = html.find(&key).unwrap_or_else(|| panic!("{label}")) + key.len();
        let text = html[start..].split(' ').next().unwrap();
        let (whole, tenth) = text.split_once(',').unwrap_or((text, "0"));
        whole.parse::<i64>().unwrap() * 10 + tenth.parse::<i64>().unwrap()
    };
    (value("Den här veckan"), value("Den här månaden"))
}

#[tokio::test]
async fn the_week_shows_scheduled_activities_and_hours() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let me = t.token(PARTICIPANT).await;
    let pid = own_id(&t, &me).await;
    let cookie = web_login(&t, PARTICIPANT).await;
    // An activity of the participant's current project, meeting today's weekday, and two and
    // a half hours attended today.
    let enrolments: Vec<Value> = t
        .get(&coach, &format!("/api/v1/participants/{pid}/enrolments"))
        .await
        .json()
        .await
        .unwrap();
    let project = enrolments
        .iter()
        .find(|e| e["exited_on"].is_null())
        .expect("a current enrolment")["project_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let activity: Value = t
        .post(
            &coach,
            &format!("/api/v1/projects/{project}/activities"),
            &json!({"kind": "group_session", "name": "Portalens gruppträff"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let aid = activity["id"].as_str().expect("an activity").to_owned();
    let today = t.app.today();
    let r = t
        .post(
            &coach,
            &format!("/api/v1/activities/{aid}/schedules"),
            &json!({
                "weekday": today.weekday().number_from_monday().to_string(),
                "starts_at": "09:00", "hours": "3",
                "valid_from": (today - time::Duration::days(30)).to_string(),
                "place": "Rum 4"
            }),
        )
        .await;
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    let before = hours_shown(
        &get_page(&t, "/me/activities", &cookie)
            .await
            .text()
            .await
            .unwrap(),
    );
    let r = t
        .post(
            &coach,
            &format!("/api/v1/activities/{aid}/attendance"),
            &json!({"date": today.to_string(), "entries": [{"participant_id": pid, "hours": "2,5"}]}),
        )
        .await;
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());

    let html = get_page(&t, "/me/activities", &cookie)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Portalens gruppträff") && html.contains("Rum 4"));
    assert!(html.contains("09:00–12:00") && html.contains(&today.to_string()));
    let after = hours_shown(&html);
    assert_eq!(
        (after.0 - before.0, after.1 - before.1),
        (25, 25),
        "two and a half hours more this week and this month"
    );
    let html = get_page(&t, "/me/activities", &with_lang(&cookie, Language::En))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(" hours</dd>")
            && html.contains(&text(Language::En, "activity-group-session"))
    );
    // And on the start page, as the next activity today.
    let html = get_page(&t, "/me", &cookie).await.text().await.unwrap();
    assert!(html.contains("Portalens gruppträff"));
    // The read is in the participant's access log.
    let log: Vec<Value> = t
        .get(&me, &format!("/api/v1/participants/{pid}/access-log"))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        log.iter()
            .any(|e| e["record_kind"] == "attendance" && e["ground"] == "own_record")
    );
}

/// The participant's agreement to reminders as the API gives it.
async fn stored(t: &TestApp, token: &str, pid: &str) -> Value {
    t.get(token, &format!("/api/v1/participants/{pid}/reminders"))
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_participant_agrees_to_reminders_on_their_page_and_stops_them() {
    let t = spawn_app().await;
    let cookie = web_login(&t, PARTICIPANT).await;
    let token = t.token(PARTICIPANT).await;
    let pid = own_id(&t, &token).await;
    let html = get_page(&t, "/me/reminders", &cookie)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(&escaped(&text(Language::Sv, "reminders-off"))));
    let csrf = hidden(&html, "csrf");
    // A bad number, in Arabic: the error at the field, what was typed kept, nothing stored.
    let arabic = with_lang(&cookie, Language::Ar);
    let r = post_form(
        &t,
        "/me/reminders",
        &arabic,
        &[
            ("csrf", &csrf),
            ("version", "0"),
            ("agreed", "on"),
            ("phone", "12345"),
            ("language", "ar"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(&escaped(&text(Language::Ar, "error-field-phone"))));
    assert!(html.contains("value=\"12345\""));
    assert_eq!(stored(&t, &token, &pid).await["agreed"], false);
    // Agreed: by SMS, in Somali.
    let r = post_form(
        &t,
        "/me/reminders",
        &cookie,
        &[
            ("csrf", &csrf),
            ("version", "0"),
            ("agreed", "on"),
            ("phone", "070-123 45 67"),
            ("language", "so"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let v = stored(&t, &token, &pid).await;
    assert_eq!(v["agreed"], true);
    assert_eq!(v["phone"], "+46701234567");
    assert_eq!(v["language"], "so");
    let html = get_page(&t, "/me/reminders", &cookie)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(&escaped(&text(Language::Sv, "reminders-on"))));
    assert!(html.contains("+46701234567"));
    // A stale version changes nothing; the current one stops them.
    let r = post_form(
        &t,
        "/me/reminders",
        &cookie,
        &[("csrf", &csrf), ("version", "0")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(stored(&t, &token, &pid).await["agreed"], true);
    let version = v["version"].as_i64().unwrap().to_string();
    let r = post_form(
        &t,
        "/me/reminders",
        &cookie,
        &[("csrf", &csrf), ("version", &version)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let v = stored(&t, &token, &pid).await;
    assert_eq!(v["agreed"], false);
    assert!(v["phone"].is_null(), "the number is forgotten: {v}");
}

#[tokio::test]
async fn the_log_in_page_speaks_arabic_and_somali_to_who_chose_them() {
    let t = spawn_app().await;
    // Staff's Swedish page offers the other languages.
    let html = get_page(&t, "/login", "").await.text().await.unwrap();
    assert!(html.contains("<html lang=\"sv\""));
    assert!(html.contains("href=\"/language/ar?next=/login\""));
    for lang in [Language::Ar, Language::So] {
        let cookie = format!("{LANG_COOKIE}={}", lang.code());
        let html = get_page(&t, "/login", &cookie).await.text().await.unwrap();
        let root = format!("<html lang=\"{}\" dir=\"{}\">", lang.code(), lang.dir());
        assert!(html.contains(&root), "{root}");
        let h1 = format!("<h1>{}</h1>", escaped(&text(lang, "login-title")));
        assert!(html.contains(&h1), "{h1}");
        // A wrong password: told in that language, at the form.
        let r = post_form(
            &t,
            "/login",
            &cookie,
            &[
                ("email", PARTICIPANT),
                ("password", "fel-lösenord"),
                ("next", "/"),
            ],
        )
        .await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        let html = r.text().await.unwrap();
        assert!(html.contains(&escaped(&text(lang, "login-wrong"))));
        assert!(html.contains(&format!("value=\"{PARTICIPANT}\"")));
    }
    // The right one signs in whatever the language; the participant lands on their pages.
    let cookie = format!("{LANG_COOKIE}=ar");
    let r = post_form(
        &t,
        "/login",
        &cookie,
        &[
            ("email", PARTICIPANT),
            ("password", PASSWORD),
            ("next", "/"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(r.headers().get("set-cookie").is_some());
}
