//! `spawn_app()`: the server on a random port over a database of its own, copied from a template
//! that was migrated and seeded with the demo once per test process.

use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use stegvis_app::{App, FixedClock, KeyRing};
use time::OffsetDateTime;
use uuid::Uuid;

pub const PASSWORD: &str = "stegvis-demo";
pub const COACH: &str = "coach@demo.stegvis.se";
pub const PROJECT_MANAGER: &str = "projektledare@demo.stegvis.se";
pub const OTHER_COACH: &str = "coach.helsingborg@demo.stegvis.se";
pub const AUDITOR: &str = "dataskydd@demo.stegvis.se";
pub const ADMIN: &str = "admin@demo.stegvis.se";
pub const PARTNER: &str = "af@demo.stegvis.se";
pub const PARTICIPANT: &str = "deltagare@demo.stegvis.se";

pub struct TestApp {
    pub base: String,
    pub app: App,
    pub clock: Arc<FixedClock>,
    pub http: Client,
    /// The SQLite copy's folder, removed when the test ends (a run leaves no databases behind).
    scratch: Option<PathBuf>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(dir) = &self.scratch {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// The database every test starts from: migrated and seeded with the demo once per test
/// process, then copied for each test (a file copy on SQLite, `CREATE DATABASE … TEMPLATE` on
/// PostgreSQL), which is much faster than migrating and seeding each time.
enum Template {
    Sqlite(PathBuf),
    Postgres { admin: String, url: String },
}

static TEMPLATE: OnceLock<Template> = OnceLock::new();

/// The suite's "now", read once: the template is seeded at it and every test's clock starts at
/// it, so each test sees the data as if seeded on its own clock.
static NOW: OnceLock<OffsetDateTime> = OnceLock::new();

fn suite_now() -> OffsetDateTime {
    *NOW.get_or_init(test_now)
}

/// The suite's key (id 1), as a key file's text.
pub fn key_file_text() -> String {
    // base64 of [7; 32], the master of `keys()`.
    "1:BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n".to_owned()
}

fn keys() -> KeyRing {
    KeyRing::from_bytes([7; 32])
}

fn template() -> &'static Template {
    // Each test has a runtime of its own, which ends with it: the template is built on a thread
    // with its own runtime, and every connection to it is closed before anything copies it.
    TEMPLATE.get_or_init(|| {
        std::thread::spawn(build_template)
            .join()
            .expect("template database")
    })
}

fn build_template() -> Template {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let template = match std::env::var("STEGVIS_TEST_DATABASE_URL") {
            Ok(admin) if !admin.is_empty() => {
                let url = stegvis_app::testing::template_postgres_database(&admin)
                    .await
                    .expect("template postgres database");
                Template::Postgres { admin, url }
            }
            _ => {
                let dir = std::env::temp_dir().join(format!("stegvis-template-{}", Uuid::now_v7()));
                std::fs::create_dir_all(&dir).unwrap();
                Template::Sqlite(dir.join("stegvis.db"))
            }
        };
        let url = match &template {
            Template::Sqlite(path) => format!("sqlite://{}", path.display()),
            Template::Postgres { url, .. } => url.clone(),
        };
        let clock = Arc::new(FixedClock::new(suite_now()));
        let app = App::open(&url, keys(), clock).await.expect("open template");
        stegvis_demo::seed_demo(&app, 30, 7, &|_, _| {})
            .await
            .expect("seed demo");
        // Closing the last connection also checkpoints SQLite's write-ahead log into the file.
        app.close().await;
        template
    })
}

/// A database of the test's own, copied from the template.
pub async fn database_url() -> String {
    match template() {
        Template::Postgres { admin, url } => {
            stegvis_app::testing::postgres_database_from_template(admin, url)
                .await
                .expect("postgres database from the template")
        }
        Template::Sqlite(path) => {
            let dir = std::env::temp_dir().join(format!("stegvis-test-{}", Uuid::now_v7()));
            std::fs::create_dir_all(&dir).unwrap();
            let db = dir.join("stegvis.db");
            std::fs::copy(path, &db).unwrap();
            // A log left behind holds committed pages too: copy it with the file.
            let wal = path.with_extension("db-wal");
            if wal.exists() {
                std::fs::copy(&wal, dir.join("stegvis.db-wal")).unwrap();
            }
            format!("sqlite://{}", db.display())
        }
    }
}

/// Now, or noon UTC on `STEGVIS_TEST_TODAY` (YYYY-MM-DD) to run the suite on another weekday
/// or at a month's turn.
fn test_now() -> OffsetDateTime {
    let Ok(day) = std::env::var("STEGVIS_TEST_TODAY") else {
        return OffsetDateTime::now_utc();
    };
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(&day, format).expect("STEGVIS_TEST_TODAY is YYYY-MM-DD");
    date.with_hms(12, 0, 0).unwrap().assume_utc()
}

pub async fn spawn_app() -> TestApp {
    spawn_on(database_url().await).await
}

/// The server over a new, empty database (migrated, nothing in it): the first start.
pub async fn spawn_empty_app() -> TestApp {
    let url = match std::env::var("STEGVIS_TEST_DATABASE_URL") {
        Ok(admin) if !admin.is_empty() => stegvis_app::testing::fresh_postgres_database(&admin)
            .await
            .expect("fresh postgres database"),
        _ => {
            let dir = std::env::temp_dir().join(format!("stegvis-empty-{}", Uuid::now_v7()));
            std::fs::create_dir_all(&dir).unwrap();
            format!("sqlite://{}", dir.join("stegvis.db").display())
        }
    };
    spawn_on(url).await
}

async fn spawn_on(url: String) -> TestApp {
    spawn_with_keys(url, keys().into()).await
}

/// The server over `url` with keys from `source` (a key file, for the key tests).
pub async fn spawn_with_keys(url: String, source: stegvis_app::KeySource) -> TestApp {
    let clock = Arc::new(FixedClock::new(suite_now()));
    let app = App::open(&url, source, clock.clone())
        .await
        .expect("open app");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let config = stegvis_web::WebConfig {
        trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
        ..Default::default()
    };
    tokio::spawn(stegvis_web::serve(
        app.clone(),
        config,
        listener,
        std::future::pending(),
    ));
    let http = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let scratch = url
        .strip_prefix("sqlite://")
        .and_then(|path| std::path::Path::new(path).parent())
        .map(PathBuf::from);
    TestApp {
        base,
        app,
        clock,
        http,
        scratch,
    }
}

impl TestApp {
    /// The folder of the test's SQLite database (none on PostgreSQL).
    pub fn sqlite_dir(&self) -> Option<&std::path::Path> {
        self.scratch.as_deref()
    }

    pub async fn token(&self, email: &str) -> String {
        self.app.create_api_token(email).await.expect("token")
    }

    pub async fn get(&self, token: &str, path: &str) -> Response {
        self.http
            .get(format!("{}{path}", self.base))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn post(&self, token: &str, path: &str, body: &Value) -> Response {
        self.http
            .post(format!("{}{path}", self.base))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn patch(&self, token: &str, path: &str, body: &Value) -> Response {
        self.http
            .patch(format!("{}{path}", self.base))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn put(&self, token: &str, path: &str, body: &Value) -> Response {
        self.http
            .put(format!("{}{path}", self.base))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// The id of an organisation by name.
    pub async fn org_id(&self, name: &str) -> String {
        let token = self.token(COACH).await;
        let orgs: Value = self
            .get(&token, "/api/v1/organisations")
            .await
            .json()
            .await
            .unwrap();
        orgs.as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == name)
            .expect("organisation")["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// The id of a project the coach's organisation runs ("En väg in").
    pub async fn project_id(&self, token: &str, name: &str) -> String {
        let projects: Value = self
            .get(token, "/api/v1/projects")
            .await
            .json()
            .await
            .unwrap();
        projects
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .expect("project")["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Registers a participant through the API and returns the response.
    pub async fn register(
        &self,
        token: &str,
        identity: &str,
        given: &str,
        family: &str,
    ) -> Response {
        let project = self.project_id(token, "En väg in").await;
        let body = json!({
            "identity_number": identity,
            "given_name": given,
            "family_name": family,
            "gender": "woman",
            "project_id": project,
            "enrolled_on": "2026-01-15",
            "baseline": { "labour_status": "unemployed", "months_without_work": 14, "disability": "declined" }
        });
        self.post(token, "/api/v1/participants", &body).await
    }

    /// Every page of a keyset list from `path` on, following each `Link: <…>; rel="next"`:
    /// each page's rows, in order.
    pub async fn walk(&self, token: &str, path: &str) -> Vec<Vec<Value>> {
        let mut pages = Vec::new();
        let mut next = Some(path.to_owned());
        while let Some(path) = next {
            let r = self.get(token, &path).await;
            assert_eq!(r.status(), StatusCode::OK, "{path}");
            next = next_link(&r);
            pages.push(r.json::<Vec<Value>>().await.unwrap());
            assert!(pages.len() < 1000, "the pages of {path} never end");
        }
        pages
    }

    /// Audit events about one participant, as the auditor sees them.
    pub async fn audit_of(&self, participant_id: &str) -> Vec<Value> {
        let auditor = self.token(AUDITOR).await;
        let r = self
            .get(
                &auditor,
                &format!("/api/v1/audit?participant_id={participant_id}&limit=1000"),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        r.json::<Vec<Value>>().await.unwrap()
    }

    pub async fn participant_count(&self, token: &str) -> i64 {
        let page: Value = self
            .get(token, "/api/v1/participants?limit=1")
            .await
            .json()
            .await
            .unwrap();
        page["total"].as_i64().unwrap()
    }
}

/// Whether an audit list holds an event of this kind, action and decision.
pub fn has_event(events: &[Value], kind: &str, action: &str, decision: &str) -> bool {
    events
        .iter()
        .any(|e| e["record_kind"] == kind && e["action"] == action && e["decision"] == decision)
}

/// The URL of a page's `Link: <URL>; rel="next"` header, if more follow.
pub fn next_link(r: &Response) -> Option<String> {
    let link = r.headers().get(reqwest::header::LINK)?.to_str().ok()?;
    let (url, rel) = link.split_once(';')?;
    assert_eq!(rel.trim(), "rel=\"next\"", "{link}");
    Some(url.trim().strip_prefix('<')?.strip_suffix('>')?.to_owned())
}
