//! Sign-in through a real OpenID provider (npm `oidc-provider`, tests/oidc/provider.mjs) started
//! on loopback: staff and participants, and each refusal.

use crate::support::*;
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use serde_json::{Value, json};
use std::io::BufRead;
use std::process::{Child, Command, Stdio};
use stegvis_app::oidc::ProviderInput;
use uuid::Uuid;

const SECRET: &str = "test-secret-that-is-long-enough-0123456789";

/// The provider as a child process, killed when the test ends.
struct Idp {
    child: Child,
    issuer: String,
    dir: std::path::PathBuf,
}

impl Drop for Idp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::env::var("STEGVIS_KEEP_OIDC").is_err() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn node() -> String {
    let out = Command::new("which").arg("node").output().expect("which");
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn start_idp(base: &str) -> Idp {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = std::env::temp_dir().join(format!("oidc-idp-{}", Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let client = |id: &str, tamper: Value| {
        json!({
            "client_id": id, "client_secret": SECRET, "tamper": tamper,
            "redirect_uris": [format!("{base}/oidc/callback")],
            "post_logout_redirect_uris": [format!("{base}/login")],
        })
    };
    let config = json!({
        "clients": [client("stegvis", Value::Null), client("tamper-aud", json!("aud")),
                    client("tamper-iss", json!("iss")), client("tamper-nonce", json!("nonce"))],
        "accounts": [
            { "sub": "coach-1", "email": "oidc.coach@demo.stegvis.se", "groups": ["stegvis-coach"] },
            { "sub": "nobody-1", "email": "oidc.new@demo.stegvis.se", "groups": [] },
            { "sub": "existing-coach", "email": COACH, "groups": [] },
            { "sub": "pin-1", "email": "p@example.se", "personal_identity_number": "198112189876" },
            { "sub": "pin-unknown", "email": "q@example.se", "personal_identity_number": "199001012385" }
        ]
    });
    let cfg = dir.join("config.json");
    std::fs::write(&cfg, config.to_string()).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/oidc/provider.mjs");
    let mut child = Command::new(node())
        .arg(script)
        .arg(port.to_string())
        .arg(&cfg)
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(dir.join("provider.log")).unwrap())
        .spawn()
        .expect("node runs tests/oidc/provider.mjs (npm ci in tests/oidc)");
    // Read on a thread to the end: a closed pipe would kill the provider at its next log line.
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            let _ = tx.send(line);
        }
    });
    let line = rx
        .recv_timeout(std::time::Duration::from_secs(30))
        .unwrap_or_default();
    assert!(
        line.starts_with("listening"),
        "provider did not start: {line}"
    );
    Idp {
        child,
        issuer: format!("http://127.0.0.1:{port}"),
        dir,
    }
}

async fn admin(t: &TestApp) -> stegvis_app::Actor {
    let token = t.token(ADMIN).await;
    t.app.token_actor(&token).await.unwrap().unwrap()
}

async fn add_provider(t: &TestApp, idp: &Idp, client_id: &str, purpose: &str) -> Uuid {
    let secret = idp.dir.join(format!("{client_id}.secret"));
    std::fs::write(&secret, SECRET).unwrap();
    let input = ProviderInput {
        name: format!("Test {client_id}"),
        issuer: idp.issuer.clone(),
        client_id: client_id.into(),
        secret_file: secret.display().to_string(),
        scopes: if purpose == "staff" {
            "openid email profile groups".into()
        } else {
            "openid pin".into()
        },
        purpose: purpose.into(),
        enabled: true,
        mappings: "stegvis-coach = coach\nstegvis-admin = admin".into(),
        ..ProviderInput::default()
    };
    t.app
        .save_identity_provider(&admin(t).await, None, &input)
        .await
        .unwrap()
        .id
}

fn cookie_of(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap().to_owned())
        .find(|c| c.starts_with(&format!("{name}=")) && c.len() > name.len() + 1)
}

/// Starts a sign-in and lets the provider sign `who` in: the pending cookie and the callback URL.
async fn authorize(t: &TestApp, provider: Uuid, who: &str) -> (String, String) {
    let r = t
        .http
        .get(format!("{}/oidc/{provider}/start", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let pending = cookie_of(&r, "__Host-stegvis-oidc").expect("pending cookie");
    let mut url = format!(
        "{}&login_hint={who}",
        r.headers()[LOCATION].to_str().unwrap()
    );
    let mut jar: Vec<String> = Vec::new();
    for _ in 0..10 {
        let r = t
            .http
            .get(&url)
            .header(COOKIE, jar.join("; "))
            .send()
            .await
            .unwrap();
        for c in r.headers().get_all(SET_COOKIE) {
            let c = c.to_str().unwrap().split(';').next().unwrap().to_owned();
            let name = c.split('=').next().unwrap().to_owned();
            jar.retain(|x| !x.starts_with(&format!("{name}=")));
            jar.push(c);
        }
        let next = r.headers()[LOCATION].to_str().unwrap().to_owned();
        let next = if next.starts_with('/') {
            format!(
                "{}{next}",
                url.split('/').take(3).collect::<Vec<_>>().join("/")
            )
        } else {
            next
        };
        if next.starts_with(&format!("{}/oidc/callback", t.base)) {
            return (pending, next);
        }
        url = next;
    }
    panic!("the provider never came back");
}

async fn callback(t: &TestApp, pending: &str, url: &str) -> reqwest::Response {
    t.http
        .get(url)
        .header(COOKIE, pending)
        .send()
        .await
        .unwrap()
}

async fn sign_in(t: &TestApp, provider: Uuid, who: &str) -> reqwest::Response {
    let (pending, url) = authorize(t, provider, who).await;
    callback(t, &pending, &url).await
}

async fn page(t: &TestApp, path: &str, cookie: &str) -> reqwest::Response {
    t.http
        .get(format!("{}{path}", t.base))
        .header(COOKIE, cookie)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn staff_sign_in_maps_the_group_to_the_role_and_logs_out_at_the_provider() {
    let t = spawn_app().await;
    let idp = start_idp(&t.base);
    let p = add_provider(&t, &idp, "stegvis", "staff").await;
    let login = page(&t, "/login", "").await.text().await.unwrap();
    assert!(
        login.contains(&format!("/oidc/{p}/start")),
        "a button per provider"
    );
    let r = sign_in(&t, p, "coach-1").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let session = cookie_of(&r, "__Host-stegvis-session").expect("signed in");
    let home = page(&t, "/", &session).await;
    assert_eq!(
        home.headers()[LOCATION],
        "/caseload",
        "the coach group gives a coach"
    );
    assert_eq!(
        page(&t, "/caseload", &session).await.status(),
        StatusCode::OK
    );
    // An existing user is found by (verified) e-mail and keeps their role.
    let r = sign_in(&t, p, "existing-coach").await;
    let existing = cookie_of(&r, "__Host-stegvis-session").expect("signed in");
    assert_eq!(
        page(&t, "/", &existing).await.headers()[LOCATION],
        "/caseload"
    );
    // Log-out ends the provider's session too.
    let html = page(&t, "/caseload", &session).await.text().await.unwrap();
    let csrf = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let r = t
        .http
        .post(format!("{}/logout", t.base))
        .header(COOKIE, &session)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    let to = r.headers()[LOCATION].to_str().unwrap();
    assert!(
        to.starts_with(&format!("{}/session/end?", idp.issuer)) && to.contains("id_token_hint="),
        "{to}"
    );
}

#[tokio::test]
async fn a_new_user_without_a_mapped_group_waits_for_a_role_and_reads_nothing() {
    let t = spawn_app().await;
    let idp = start_idp(&t.base);
    let p = add_provider(&t, &idp, "stegvis", "staff").await;
    let r = sign_in(&t, p, "nobody-1").await;
    let session = cookie_of(&r, "__Host-stegvis-session").expect("signed in");
    assert_eq!(
        page(&t, "/", &session).await.headers()[LOCATION],
        "/awaiting-role"
    );
    assert_eq!(
        page(&t, "/awaiting-role", &session).await.status(),
        StatusCode::OK
    );
    // (The project list holds no personal data and is open to everyone signed in.)
    for path in ["/participants", "/caseload", "/admin/users", "/referrals"] {
        let s = page(&t, path, &session).await.status();
        assert!(
            s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND,
            "{path}: {s}"
        );
    }
}

#[tokio::test]
async fn a_deactivated_user_is_refused() {
    let t = spawn_app().await;
    let idp = start_idp(&t.base);
    let p = add_provider(&t, &idp, "stegvis", "staff").await;
    let r = sign_in(&t, p, "coach-1").await;
    assert!(cookie_of(&r, "__Host-stegvis-session").is_some());
    let admin_token = t.token(ADMIN).await;
    let users: Value = t
        .get(&admin_token, "/api/v1/users")
        .await
        .json()
        .await
        .unwrap();
    let user = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "oidc.coach@demo.stegvis.se")
        .expect("the user made at sign-in")
        .clone();
    let r = t
        .patch(
            &admin_token,
            &format!("/api/v1/users/{}", user["id"].as_str().unwrap()),
            &json!({ "active": false, "version": user["version"] }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let r = sign_in(&t, p, "coach-1").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(cookie_of(&r, "__Host-stegvis-session").is_none());
}

#[tokio::test]
async fn wrong_state_nonce_audience_and_issuer_are_refused() {
    let t = spawn_app().await;
    let idp = start_idp(&t.base);
    let p = add_provider(&t, &idp, "stegvis", "staff").await;
    // A state that is not the one this browser's sign-in began.
    let (pending, url) = authorize(&t, p, "coach-1").await;
    let forged = url.replace("state=", "state=x");
    let r = callback(&t, &pending, &forged).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(cookie_of(&r, "__Host-stegvis-session").is_none());
    // A code presented with another browser's cookie: refused, and the pending sign-in is used up.
    let (_, url) = authorize(&t, p, "coach-1").await;
    let r = callback(&t, &pending, &url).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // ID tokens re-signed with the provider's own key, one claim changed.
    for client in ["tamper-aud", "tamper-iss", "tamper-nonce"] {
        let q = add_provider(&t, &idp, client, "staff").await;
        let r = sign_in(&t, q, "coach-1").await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{client}");
        assert!(
            cookie_of(&r, "__Host-stegvis-session").is_none(),
            "{client}"
        );
    }
    // An issuer whose discovery document names another issuer.
    let mut wrong = ProviderInput {
        name: "Wrong issuer".into(),
        issuer: idp.issuer.replace("127.0.0.1", "localhost"),
        client_id: "stegvis".into(),
        purpose: "staff".into(),
        enabled: true,
        ..ProviderInput::default()
    };
    wrong.secret_file = idp.dir.join("stegvis.secret").display().to_string();
    let w = t
        .app
        .save_identity_provider(&admin(&t).await, None, &wrong)
        .await
        .unwrap()
        .id;
    let r = t
        .http
        .get(format!("{}/oidc/{w}/start", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_participant_signs_in_with_the_identity_number_claim() {
    let t = spawn_app().await;
    let idp = start_idp(&t.base);
    let coach = t.token(COACH).await;
    let r = t
        .register(&coach, "811218-9876", "Eva", "Legitimation")
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let pid = r.json::<Value>().await.unwrap()["participant"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let p = add_provider(&t, &idp, "stegvis", "participants").await;
    let before = t.participant_count(&coach).await;
    // An unknown number: a clear page, and nothing made.
    let r = sign_in(&t, p, "pin-unknown").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("Kontakta din coach"));
    assert_eq!(t.participant_count(&coach).await, before);
    let r = sign_in(&t, p, "pin-1").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{:?}", r.headers());
    let session = cookie_of(&r, "__Host-stegvis-session").expect("signed in");
    assert_eq!(
        page(&t, "/", &session).await.headers()[LOCATION]
            .to_str()
            .unwrap(),
        "/me"
    );
    // The broker's ID token (with the identity number) is kept for log-out, but sealed: no
    // JWT in the clear in the database file or its log.
    if let Some(dir) = t.sqlite_dir() {
        let mut raw = std::fs::read(dir.join("stegvis.db")).unwrap();
        if let Ok(wal) = std::fs::read(dir.join("stegvis.db-wal")) {
            raw.extend(wal);
        }
        assert!(
            !raw.windows(8).any(|w| w == b"eyJhbGci"),
            "an ID token in the clear"
        );
    }
    // Their own page, and the log of who has looked, sign-in included.
    assert_eq!(page(&t, "/me", &session).await.status(), StatusCode::OK);
    let log = page(&t, "/me/access-log", &session).await;
    assert_eq!(log.status(), StatusCode::OK);
    let events = t.audit_of(&pid).await;
    assert!(
        events.iter().any(|e| e["detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("sign-in through Test stegvis"))
            && e["decision"] == "allowed"),
        "{events:?}"
    );
}

#[tokio::test]
async fn local_passwords_off_refuses_the_password_form() {
    let t = spawn_app().await;
    let idp = start_idp(&t.base);
    let a = admin(&t).await;
    // Refused while no staff provider is enabled: nobody could sign in.
    assert!(t.app.set_local_passwords_off(&a, true).await.is_err());
    add_provider(&t, &idp, "stegvis", "staff").await;
    t.app.set_local_passwords_off(&a, true).await.unwrap();
    let r = t
        .http
        .post(format!("{}/login", t.base))
        .form(&[("email", COACH), ("password", PASSWORD), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(cookie_of(&r, "__Host-stegvis-session").is_none());
    assert!(r.text().await.unwrap().contains("inloggningstjänst"));
}
