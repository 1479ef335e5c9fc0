//! Reminders end to end, with the real binary and a real SMTP server on loopback (aiosmtpd,
//! tests/smtp-sink, installed into target/venv-smtp by scripts/install-deps): of two
//! participants with an activity tomorrow, only the one who agreed gets one e-mail, in their
//! language and without the activity's name; after a SIGKILL and a restart, still exactly one.

mod common;
use common::{create_database, drop_database};

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stegvis-reminders-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Killed (SIGKILL) and waited for when dropped.
struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct Setup {
    dir: PathBuf,
    database_url: Option<String>,
}

impl Setup {
    fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_stegvis"));
        cmd.env_remove("DATABASE_URL")
            .env_remove("STEGVIS_KEY_FILE")
            .env_remove("STEGVIS_SMTP_URL")
            .env_remove("STEGVIS_SMS_PROVIDER")
            .env("RUST_BACKTRACE", "0");
        if let Some(url) = &self.database_url {
            cmd.env("DATABASE_URL", url);
        }
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command()
            .args(args)
            .arg("--data-dir")
            .arg(&self.dir)
            .output()
            .expect("run stegvis")
    }

    async fn serve(&self, port: u16, smtp_port: u16) -> Proc {
        let log = std::fs::File::create(self.dir.join(format!("serve-{port}.log"))).unwrap();
        #[allow(clippy::zombie_processes)]
        let child = self
            .command()
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .arg("--data-dir")
            .arg(&self.dir)
            .env("STEGVIS_SMTP_URL", format!("smtp://127.0.0.1:{smtp_port}"))
            .env("STEGVIS_MAIL_FROM", "Stegvis <stegvis@example.se>")
            .env("STEGVIS_REMINDER_INTERVAL", "1")
            .env("STEGVIS_REMINDER_HOURS", "0-24")
            .env("STEGVIS_PUBLIC_URL", "https://stegvis.example.se")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start serve");
        let proc = Proc(child);
        let http = reqwest::Client::new();
        for _ in 0..600 {
            if http
                .get(format!("http://127.0.0.1:{port}/healthz"))
                .send()
                .await
                .is_ok()
            {
                return proc;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the server did not start on {port}");
    }
}

fn sink(port: u16, out: &Path) -> Proc {
    let python = repo_root().join("target/venv-smtp/bin/python");
    assert!(
        python.exists(),
        "no aiosmtpd virtualenv at {}: run scripts/install-deps",
        python.display()
    );
    let mut child = Command::new(python)
        .arg(repo_root().join("tests/smtp-sink/sink.py"))
        .arg(port.to_string())
        .arg(out)
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the SMTP sink");
    let mut line = String::new();
    use std::io::BufRead;
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "ready", "the SMTP sink did not start");
    Proc(child)
}

fn messages(out: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(out)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    v.sort();
    v
}

/// Today in Sweden, as the server counts days.
fn swedish_today() -> time::Date {
    let now = time::OffsetDateTime::now_utc();
    // Sweden is UTC+1 or UTC+2: the later offset decides the date only near midnight, where
    // the test would race the server anyway; +1 h in winter, +2 h in summer (last Sunday in
    // March to last Sunday in October), close enough for the day.
    let summer = (4..=9).contains(&(now.month() as u8));
    (now + time::Duration::hours(if summer { 2 } else { 1 })).date()
}

async fn call(
    http: &reqwest::Client,
    method: &str,
    url: String,
    token: &str,
    body: Value,
) -> Value {
    let req = match method {
        "post" => http.post(&url),
        "put" => http.put(&url),
        _ => http.get(&url),
    };
    let r = req.bearer_auth(token).json(&body).send().await.unwrap();
    let status = r.status();
    let v: Value = r.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{method} {url}: {status} {v}");
    v
}

async fn reminders_reach_the_sink_once(pg_admin: Option<&str>) {
    let tag = if pg_admin.is_some() { "pg" } else { "sqlite" };
    let dir = scratch(tag);
    let out = dir.join("mail");
    let database_url = match pg_admin {
        Some(admin) => {
            Some(create_database(admin, &format!("stegvis_reminders_{}", std::process::id())).await)
        }
        None => None,
    };
    let setup = Setup { dir, database_url };
    let seeded = setup.run(&["demo", "--no-serve", "--participants", "1"]);
    assert!(seeded.status.success(), "{}", text(&seeded));
    let token = setup.run(&[
        "token",
        "create",
        "--email",
        "projektledare@demo.stegvis.se",
    ]);
    assert!(token.status.success(), "{}", text(&token));
    let token = String::from_utf8_lossy(&token.stdout).trim().to_owned();

    let base_port =
        23000 + (std::process::id() % 15000) as u16 + if pg_admin.is_some() { 3 } else { 0 };
    let (port, smtp_port) = (base_port, base_port + 1);
    let _sink = sink(smtp_port, &out);
    let server = setup.serve(port, smtp_port).await;
    let api = |p: &str| format!("http://127.0.0.1:{port}/api/v1{p}");
    let http = reqwest::Client::new();

    // A project of its own, so that only this activity meets tomorrow.
    let today = swedish_today();
    let tomorrow = today.next_day().unwrap();
    let project = call(
        &http,
        "post",
        api("/projects"),
        &token,
        json!({
            "number": "2026/09876",
            "name": "Påminnelseprojektet",
            "region": "Sydsverige",
            "programme_area": "2",
            "specific_objective": "2.1",
            "intervention_type": "102",
            "union_cofinancing_rate_pct": 50,
            "period_start": (today - time::Duration::days(30)).to_string(),
            "period_end": (today + time::Duration::days(300)).to_string(),
            "total_budget": "1 000 000",
            "esf_support": 500000,
            "planned_participants": 10,
            "contact_name": "Johan Berg",
            "contact_email": "projektledare@demo.stegvis.se",
            "postcode": "28180",
            "summary": "Ett projekt för testet av påminnelser.",
            "phase": "implementation",
            "municipalities": ["Hässleholm"]
        }),
    )
    .await;
    let project = project["id"].as_str().unwrap().to_owned();
    let secret = "Samtal på beroendemottagningen";
    let activity = call(
        &http,
        "post",
        api(&format!("/projects/{project}/activities")),
        &token,
        json!({"kind": "guidance", "name": secret}),
    )
    .await;
    let activity = activity["id"].as_str().unwrap().to_owned();
    call(
        &http,
        "post",
        api(&format!("/activities/{activity}/schedules")),
        &token,
        json!({
            "weekday": tomorrow.weekday().number_from_monday().to_string(),
            "starts_at": "09:00",
            "hours": "1",
            "valid_from": (today - time::Duration::days(1)).to_string()
        }),
    )
    .await;
    let mut ids = Vec::new();
    for (given, family) in [("Amina", "Samtycker"), ("Bo", "Avstår")] {
        let p = call(
            &http,
            "post",
            api("/participants"),
            &token,
            json!({
                "identity_mode": "none", "birth_date": "1990-05-01",
                "given_name": given, "family_name": family, "gender": "woman",
                "project_id": project, "enrolled_on": (today - time::Duration::days(1)).to_string()
            }),
        )
        .await;
        ids.push(p["participant"]["id"].as_str().unwrap().to_owned());
    }
    let agreed = call(
        &http,
        "put",
        api(&format!("/participants/{}/reminders", ids[0])),
        &token,
        json!({"agreed": true, "email": "amina@example.se", "language": "en", "version": 0}),
    )
    .await;
    assert_eq!(agreed["agreed"], true, "{agreed}");
    assert_eq!(agreed["version"], 1, "{agreed}");
    let declined = call(
        &http,
        "get",
        api(&format!("/participants/{}/reminders", ids[1])),
        &token,
        Value::Null,
    )
    .await;
    assert_eq!(declined["agreed"], false, "{declined}");

    // The 1-second job plans and sends; wait for the message, then a few more ticks.
    for _ in 0..300 {
        if !messages(&out).is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let got = messages(&out);
    assert_eq!(got.len(), 1, "exactly one e-mail: {got:#?}");
    let mail = &got[0];
    assert!(mail.contains("X-Envelope-To: amina@example.se"), "{mail}");
    assert!(mail.contains("Reminder from Stegvis"), "in English: {mail}");
    assert!(
        mail.contains("You have an appointment tomorrow") && mail.contains("at 09:00"),
        "{mail}"
    );
    assert!(mail.contains("https://stegvis.example.se"), "{mail}");
    for secret in [
        secret,
        "beroende",
        "Påminnelseprojektet",
        "Amina",
        "Samtycker",
    ] {
        assert!(
            !mail.contains(secret),
            "no sensitive data ({secret}): {mail}"
        );
    }

    // SIGKILL, start again: several ticks later, still one.
    drop(server);
    let server = setup.serve(port, smtp_port).await;
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(messages(&out).len(), 1, "no second e-mail after a restart");
    let log = std::fs::read_to_string(setup.dir.join(format!("serve-{port}.log"))).unwrap();
    assert!(
        !log.contains("amina@example.se"),
        "the address is not logged: {log}"
    );
    drop(server);
    if let (Some(admin), Some(_)) = (pg_admin, &setup.database_url) {
        drop_database(admin, &format!("stegvis_reminders_{}", std::process::id())).await;
    }
    let _ = std::fs::remove_dir_all(&setup.dir);
}

#[tokio::test]
async fn on_sqlite() {
    reminders_reach_the_sink_once(None).await;
}

#[tokio::test]
async fn on_postgresql_too() {
    let Ok(admin) = std::env::var("STEGVIS_TEST_DATABASE_URL") else {
        eprintln!("skipped: STEGVIS_TEST_DATABASE_URL names no PostgreSQL server");
        return;
    };
    reminders_reach_the_sink_once(Some(&admin)).await;
}
