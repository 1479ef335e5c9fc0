//! Log-in, sessions, CSRF and tokens over real HTTP.

use crate::support::*;
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};

async fn login(
    t: &TestApp,
    email: &str,
    password: &str,
    cookie: Option<&str>,
) -> reqwest::Response {
    let mut req = t.http.post(format!("{}/login", t.base)).form(&[
        ("email", email),
        ("password", password),
        ("next", "/projects"),
    ]);
    if let Some(c) = cookie {
        req = req.header(COOKIE, c);
    }
    req.send().await.unwrap()
}

/// `name=value` of the session cookie a response sets.
fn session_cookie(r: &reqwest::Response) -> String {
    let header = r
        .headers()
        .get(SET_COOKIE)
        .expect("set-cookie")
        .to_str()
        .unwrap()
        .to_owned();
    header.split(';').next().unwrap().to_owned()
}

async fn page(t: &TestApp, path: &str, cookie: &str) -> reqwest::Response {
    t.http
        .get(format!("{}{path}", t.base))
        .header(COOKIE, cookie)
        .send()
        .await
        .unwrap()
}

async fn csrf_of(t: &TestApp, cookie: &str) -> String {
    let html = page(t, "/participants/new", cookie)
        .await
        .text()
        .await
        .unwrap();
    let start =
        html.find("name=\"csrf\" value=\"").expect("csrf field") + "name=\"csrf\" value=\"".len();
    html[start..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn login_sets_a_host_only_secure_cookie_and_rotates_the_session() {
    let t = spawn_app().await;
    let r = login(&t, COACH, PASSWORD, None).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()[LOCATION], "/projects");
    let header = r.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    assert!(header.starts_with("__Host-stegvis-session="), "{header}");
    for attr in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(header.contains(attr), "{attr} missing in {header}");
    }
    assert!(!header.contains("Domain"), "{header}");
    let first = session_cookie(&r);
    assert_eq!(page(&t, "/projects", &first).await.status(), StatusCode::OK);

    let again = login(&t, COACH, PASSWORD, Some(&first)).await;
    let second = session_cookie(&again);
    assert_ne!(first, second, "a new session id at every log-in");
    assert_eq!(
        page(&t, "/projects", &first).await.status(),
        StatusCode::SEE_OTHER,
        "the old session ended"
    );
    assert_eq!(
        page(&t, "/projects", &second).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn wrong_password_shows_an_error_and_too_many_attempts_lock_the_account() {
    let t = spawn_app().await;
    let r = login(&t, COACH, "fel-lösenord", None).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r.headers().get(SET_COOKIE).is_none());
    let html = r.text().await.unwrap();
    assert!(html.contains("Det finns fel i formuläret"));
    assert!(html.contains("E-postadressen eller lösenordet stämmer inte."));
    for _ in 0..4 {
        login(&t, COACH, "fel-lösenord", None).await;
    }
    let locked = login(&t, COACH, PASSWORD, None).await;
    assert_eq!(
        locked.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    t.clock.advance(time::Duration::minutes(16));
    assert_eq!(
        login(&t, COACH, PASSWORD, None).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn sessions_end_after_30_idle_minutes_and_10_hours_in_all() {
    let t = spawn_app().await;
    let idle = session_cookie(&login(&t, COACH, PASSWORD, None).await);
    t.clock.advance(time::Duration::minutes(29));
    assert_eq!(page(&t, "/projects", &idle).await.status(), StatusCode::OK);
    t.clock.advance(time::Duration::minutes(31));
    let r = page(&t, "/projects", &idle).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()[LOCATION], "/login?next=%2Fprojects");

    let busy = session_cookie(&login(&t, COACH, PASSWORD, None).await);
    for _ in 0..29 {
        t.clock.advance(time::Duration::minutes(20));
        assert_eq!(page(&t, "/projects", &busy).await.status(), StatusCode::OK);
    }
    t.clock.advance(time::Duration::minutes(21));
    assert_eq!(
        page(&t, "/projects", &busy).await.status(),
        StatusCode::SEE_OTHER,
        "absolute limit of 10 hours"
    );
}

#[tokio::test]
async fn state_changing_requests_need_the_csrf_token() {
    let t = spawn_app().await;
    let cookie = session_cookie(&login(&t, COACH, PASSWORD, None).await);
    let form = [
        ("identity_number", "811218-9876"),
        ("given_name", "Csrf"),
        ("family_name", "Test"),
        ("gender", "man"),
    ];
    let without = t
        .http
        .post(format!("{}/participants", t.base))
        .header(COOKIE, &cookie)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(without.status(), StatusCode::FORBIDDEN);
    let mut with_wrong = form.to_vec();
    with_wrong.push(("csrf", "not-the-token"));
    let wrong = t
        .http
        .post(format!("{}/participants", t.base))
        .header(COOKIE, &cookie)
        .form(&with_wrong)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    let token = csrf_of(&t, &cookie).await;
    let mut with_token = form.to_vec();
    with_token.push(("csrf", &token));
    let ok = t
        .http
        .post(format!("{}/participants", t.base))
        .header(COOKIE, &cookie)
        .form(&with_token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        ok.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "past CSRF, the form is checked (no project chosen)"
    );
    // A JSON call on the browser session needs the token in a header.
    let api = t
        .http
        .post(format!("{}/api/v1/participants", t.base))
        .header(COOKIE, &cookie)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::FORBIDDEN);
    let api = t
        .http
        .post(format!("{}/api/v1/participants", t.base))
        .header(COOKIE, &cookie)
        .header("x-csrf-token", &token)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Cross-site writes are refused outright.
    let bearer = t.token(COACH).await;
    let cross = t
        .http
        .post(format!("{}/api/v1/participants", t.base))
        .bearer_auth(&bearer)
        .header("sec-fetch-site", "cross-site")
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_api_needs_a_valid_token_and_answers_in_the_callers_language() {
    let t = spawn_app().await;
    let none = t
        .http
        .get(format!("{}/api/v1/participants", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(none.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(none.headers()["content-type"], "application/problem+json");
    let bad = t.get("stv_not-a-token", "/api/v1/participants").await;
    assert_eq!(bad.status(), StatusCode::UNAUTHORIZED);
    let en = t
        .http
        .get(format!("{}/api/v1/participants", t.base))
        .header("accept-language", "en-GB")
        .send()
        .await
        .unwrap();
    let problem: serde_json::Value = en.json().await.unwrap();
    assert_eq!(problem["title"], "Not logged in");
}

#[tokio::test]
async fn logout_ends_the_session_and_pages_need_login() {
    let t = spawn_app().await;
    let r = page(&t, "/participants?q=x", "").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()[LOCATION],
        "/login?next=%2Fparticipants",
        "no search term travels into the log-in URL"
    );
    let cookie = session_cookie(&login(&t, COACH, PASSWORD, None).await);
    let token = csrf_of(&t, &cookie).await;
    let out = t
        .http
        .post(format!("{}/logout", t.base))
        .header(COOKIE, &cookie)
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        page(&t, "/projects", &cookie).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn open_redirects_are_refused_after_login() {
    let t = spawn_app().await;
    let r = t
        .http
        .post(format!("{}/login", t.base))
        .form(&[
            ("email", COACH),
            ("password", PASSWORD),
            ("next", "//evil.example/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()[LOCATION], "/");
}

#[tokio::test]
async fn control_characters_cannot_smuggle_a_redirect() {
    let t = spawn_app().await;
    for next in ["/%09/evil.example/", "/%0a", "/%5Cevil.example"] {
        let r = t
            .http
            .get(format!("{}/lang/sv?next={next}", t.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{next}");
        assert_eq!(r.headers()[LOCATION], "/", "{next}");
    }
}

#[tokio::test]
async fn the_search_page_posts_so_no_number_lands_in_a_url() {
    let t = spawn_app().await;
    let cookie = session_cookie(&login(&t, COACH, PASSWORD, None).await);
    let token = csrf_of(&t, &cookie).await;
    let html = page(&t, "/participants", &cookie)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"<form method="post" action="/participants/search""#));
    let r = t
        .http
        .post(format!("{}/participants/search", t.base))
        .header(COOKIE, &cookie)
        .form(&[("csrf", token.as_str()), ("q", "198112189876")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("Ingen deltagare matchar sökningen."));
    assert!(
        !html.contains("next=%2Fparticipants%3F"),
        "language links carry no query"
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_login_limit() {
    // The test server trusts 127.0.0.1 as its proxy, so X-Forwarded-For names the client.
    // Every attempt names another account, so only the per-client limit can stop them.
    let t = spawn_app().await;
    let attempt = |client: &'static str, n: usize| {
        let t = &t;
        async move {
            t.http
                .post(format!("{}/login", t.base))
                .header("x-forwarded-for", format!("10.9.9.9, {client}"))
                .form(&[
                    ("email", format!("nobody{n}@example.se")),
                    ("password", "x".into()),
                ])
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    for n in 0..20 {
        assert_eq!(attempt("203.0.113.7", n).await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        attempt("203.0.113.7", 99).await,
        StatusCode::TOO_MANY_REQUESTS,
        "one noisy client is stopped"
    );
    assert_eq!(
        attempt("198.51.100.23", 100).await,
        StatusCode::UNAUTHORIZED,
        "another client is not locked out"
    );
}

#[tokio::test]
async fn the_start_page_depends_on_who_logs_in() {
    let t = spawn_app().await;
    // The participant starts at their own pages, the portal (issue 15).
    for (who, start) in [
        (COACH, "/caseload"),
        ("projektledare@demo.stegvis.se", "/caseload"),
        (PARTICIPANT, "/me"),
        (AUDITOR, "/projects"),
    ] {
        let cookie = session_cookie(&login(&t, who, PASSWORD, None).await);
        let r = page(&t, "/", &cookie).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{who}");
        assert_eq!(r.headers()[LOCATION], start, "{who}");
        // And the page itself opens.
        assert_eq!(
            page(&t, start, &cookie).await.status(),
            StatusCode::OK,
            "{who}"
        );
    }
}
