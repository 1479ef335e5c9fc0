//! The configuration file, `config example|check`, `*_file` secrets, and the operators'
//! endpoints (`/healthz`, `/readyz`, `/metrics` on its own address), with the real binary over
//! real HTTP. The serving test runs on PostgreSQL when `STEGVIS_TEST_DATABASE_URL` names a
//! server (its database URL then comes from a `database_url_file`), else on SQLite.

mod common;
use common::create_database;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stegvis-config-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The binary, run in `dir`, with none of this environment's settings.
fn stegvis(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_stegvis"));
    cmd.current_dir(dir).env("RUST_BACKTRACE", "0");
    for (key, _) in std::env::vars_os() {
        let k = key.to_string_lossy();
        if k.starts_with("STEGVIS_") || k == "DATABASE_URL" {
            cmd.env_remove(&key);
        }
    }
    cmd
}

/// Killed (SIGKILL) and waited for when dropped.
struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `cmd` (a `serve`) and waits until `/healthz` answers on `port`.
async fn serve(mut cmd: Command, port: u16, log: &Path) -> Proc {
    let log_file = std::fs::File::create(log).unwrap();
    #[allow(clippy::zombie_processes)]
    let child = cmd
        .stdout(Stdio::null())
        .stderr(log_file)
        .spawn()
        .expect("start serve");
    let mut proc = Proc(child);
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
        if let Ok(Some(status)) = proc.0.try_wait() {
            panic!(
                "serve ended ({status}):\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "the server did not start on {port}:\n{}",
        std::fs::read_to_string(log).unwrap_or_default()
    );
}

async fn admin_sql(admin: &str, sql: String) {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(admin).await.unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(&mut conn)
        .await
        .unwrap();
}

/// Forgets the newest migration, as if the binary were newer than the database.
async fn unmigrate(url: &str) {
    let sql =
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)";
    if url.starts_with("sqlite:") {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
        sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
        conn.close().await.unwrap();
    } else {
        admin_sql(url, sql.to_owned()).await;
    }
}

async fn get(url: &str) -> (u16, String) {
    let r = reqwest::get(url).await.unwrap();
    let status = r.status().as_u16();
    (status, r.text().await.unwrap())
}

/// The example, with the settings that have a default uncommented (so each documented default
/// is read back as a value, not only as a comment).
fn example_with_defaults(dir: &Path) -> String {
    let out = stegvis(dir).args(["config", "example"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let example = String::from_utf8(out.stdout).unwrap();
    for key in [
        "data_dir",
        "database_url",
        "listen",
        "metrics_listen",
        "smtp_url_file",
        "log",
    ] {
        assert!(
            example.contains(&format!("# {key} = ")),
            "{key}:\n{example}"
        );
    }
    assert!(example.contains("STEGVIS_METRICS_LISTEN") && example.contains("DATABASE_URL"));
    example
        .lines()
        .map(|l| {
            let with_default = [
                "data_dir",
                "listen",
                "mail_from",
                "reminder_interval",
                "reminder_hours",
                "log",
            ]
            .iter()
            .any(|k| l.starts_with(&format!("# {k} = ")));
            if with_default { &l[2..] } else { l }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn the_example_read_back_serves_and_the_operators_endpoints_answer() {
    let dir = scratch("serve");
    let admin = std::env::var("STEGVIS_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty());
    let port = free_port();
    let metrics_port = free_port();
    let mut file = example_with_defaults(&dir);
    file.push_str(&format!(
        "\nmetrics_listen = \"127.0.0.1:{metrics_port}\"\n"
    ));
    let pg_name = format!("stegvis_config_{}", std::process::id());
    let database_url = match &admin {
        Some(admin) => {
            let url = create_database(admin, &pg_name).await;
            // The secret from a file, with the newline an editor leaves.
            std::fs::write(dir.join("database-url"), format!("{url}\n")).unwrap();
            file.push_str("database_url_file = \"database-url\"\n");
            url
        }
        // The uncommented default: ./stegvis-data in the working folder.
        None => format!("sqlite://{}", dir.join("stegvis-data/stegvis.db").display()),
    };
    std::fs::write(dir.join("stegvis.toml"), &file).unwrap();

    let check = stegvis(&dir)
        .args(["--config", "stegvis.toml", "config", "check"])
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", text(&check));
    assert!(!text(&check).contains(&database_url), "{}", text(&check));

    // The flag beats the file's listen (127.0.0.1:8080).
    let mut cmd = stegvis(&dir);
    cmd.args(["--config", "stegvis.toml", "serve", "--listen"])
        .arg(format!("127.0.0.1:{port}"));
    let _server = serve(cmd, port, &dir.join("serve.log")).await;
    let base = format!("http://127.0.0.1:{port}");
    let log = std::fs::read_to_string(dir.join("serve.log")).unwrap();
    assert!(!log.contains(&database_url), "{log}");
    if admin.is_none() {
        assert!(dir.join("stegvis-data/stegvis.db").exists());
    }

    let (status, page) = get(&format!("{base}/login")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Logga in"), "{page}");
    assert_eq!(get(&format!("{base}/healthz")).await, (200, "ok".into()));
    assert_eq!(get(&format!("{base}/readyz")).await, (200, "ready".into()));

    // Metrics on their own address, none on the public one.
    assert_eq!(get(&format!("{base}/metrics")).await.0, 404);
    let scrape = format!("http://127.0.0.1:{metrics_port}/metrics");
    let mut metrics = String::new();
    for _ in 0..50 {
        let (status, body) = get(&scrape).await;
        assert_eq!(status, 200);
        metrics = body;
        if metrics.contains("stegvis_job_runs_total{job=\"audit_sealer\"}") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for line in [
        r#"stegvis_http_requests_total{method="GET",route="/login",status="2xx"} 1"#,
        r#"stegvis_http_requests_total{method="GET",route="/readyz",status="2xx"} 1"#,
        r#"stegvis_http_request_duration_seconds_count{method="GET",route="/login"} 1"#,
        r#"stegvis_db_pool_connections{state="idle"}"#,
        r#"stegvis_job_runs_total{job="audit_sealer"}"#,
        r#"stegvis_job_last_success_timestamp_seconds{job="audit_sealer"}"#,
    ] {
        assert!(metrics.contains(line), "{line} missing in:\n{metrics}");
    }

    // A database older than the binary: alive, not ready, and why.
    unmigrate(&database_url).await;
    let (status, why) = get(&format!("{base}/readyz")).await;
    assert_eq!(status, 503, "{why}");
    assert!(
        why.contains("migrering") && why.contains("stegvis migrate"),
        "{why}"
    );

    if let Some(admin) = &admin {
        // The database gone.
        admin_sql(admin, format!("DROP DATABASE {pg_name} WITH (FORCE)")).await;
        let (status, why) = get(&format!("{base}/readyz")).await;
        assert_eq!(status, 503, "{why}");
        assert!(why.contains("databasen svarar inte"), "{why}");
        assert_eq!(get(&format!("{base}/healthz")).await, (200, "ok".into()));
    }
    drop(_server);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_file_is_below_the_environment_which_is_below_the_flags() {
    let dir = scratch("precedence");
    let [from_file, from_env, from_flag] = [free_port(), free_port(), free_port()];
    std::fs::write(
        dir.join("stegvis.toml"),
        format!("data_dir = \"data\"\nlisten = \"127.0.0.1:{from_file}\"\n"),
    )
    .unwrap();
    let log = dir.join("serve.log");
    let base = |cmd: &mut Command| {
        cmd.env("STEGVIS_CONFIG", "stegvis.toml").arg("serve");
    };
    let mut cmd = stegvis(&dir);
    base(&mut cmd);
    drop(serve(cmd, from_file, &log).await);
    assert!(
        dir.join("data/stegvis.db").exists(),
        "data_dir from the file"
    );

    let mut cmd = stegvis(&dir);
    base(&mut cmd);
    cmd.env("STEGVIS_LISTEN", format!("127.0.0.1:{from_env}"));
    drop(serve(cmd, from_env, &log).await);

    let mut cmd = stegvis(&dir);
    base(&mut cmd);
    cmd.env("STEGVIS_LISTEN", format!("127.0.0.1:{from_env}"))
        .arg("--listen")
        .arg(format!("127.0.0.1:{from_flag}"));
    drop(serve(cmd, from_flag, &log).await);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_wrong_value_or_an_unknown_key_is_named_with_its_line() {
    let dir = scratch("wrong");
    std::fs::write(
        dir.join("stegvis.toml"),
        "# Stegvis\ndata_dir = \"data\"\nlisten = \"localhost:80x\"\ndatabse_url = \"sqlite://x.db\"\nreminder_hours = \"20-8\"\n",
    )
    .unwrap();
    let serve = stegvis(&dir)
        .args(["--config", "stegvis.toml", "serve"])
        .output()
        .unwrap();
    assert_eq!(serve.status.code(), Some(1), "{}", text(&serve));
    let out = text(&serve);
    for expected in [
        "stegvis.toml rad 3: listen = \"localhost:80x\" är ingen adress",
        "is not an address",
        "stegvis.toml rad 4: databse_url är ingen inställning (menade du database_url?)",
        "stegvis.toml rad 5: reminder_hours = \"20-8\"",
    ] {
        assert!(out.contains(expected), "{expected}:\n{out}");
    }
    assert!(!dir.join("data").exists(), "nothing started");

    // `config check` says the same, with --config after the subcommand too.
    let check = stegvis(&dir)
        .args(["config", "check", "--config", "stegvis.toml"])
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1), "{}", text(&check));
    let out = text(&check);
    assert!(
        out.contains("rad 3: listen") && out.contains("rad 4: databse_url"),
        "{out}"
    );
    assert!(out.contains("3 problem"), "{out}");

    // Broken TOML: the line of the error.
    std::fs::write(dir.join("broken.toml"), "data_dir = \"data\"\nlisten = \n").unwrap();
    let out = stegvis(&dir)
        .args(["--config", "broken.toml", "serve"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("broken.toml rad 2: filen är ingen giltig TOML"),
        "{}",
        text(&out)
    );

    // A file that is not there, named by the environment.
    let out = stegvis(&dir)
        .env("STEGVIS_CONFIG", "missing.toml")
        .arg("serve")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("missing.toml: filen kan inte läsas (finns inte)"),
        "{}",
        text(&out)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn secrets_come_from_files_and_are_never_printed() {
    let dir = scratch("secrets");
    let elsewhere = dir.join("elsewhere.db");
    std::fs::write(
        dir.join("db-url"),
        format!("  sqlite://{}\n", elsewhere.display()),
    )
    .unwrap();
    std::fs::write(
        dir.join("stegvis.toml"),
        "data_dir = \"data\"\ndatabase_url_file = \"db-url\"\n",
    )
    .unwrap();
    let out = stegvis(&dir)
        .args(["--config", "stegvis.toml", "migrate"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(elsewhere.exists(), "the URL from the file was used");
    assert!(
        !dir.join("data/stegvis.db").exists(),
        "not the data folder's"
    );

    // The environment's *_FILE, beside the file's: the environment wins.
    let other = dir.join("other.db");
    std::fs::write(
        dir.join("other-url"),
        format!("sqlite://{}", other.display()),
    )
    .unwrap();
    let out = stegvis(&dir)
        .args(["--config", "stegvis.toml", "migrate"])
        .env("STEGVIS_DATABASE_URL_FILE", "other-url")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(other.exists());

    // A secret and its file together, a wrong secret, a missing secret file: named, not shown.
    std::fs::write(
        dir.join("bad.toml"),
        "database_url = \"mysql://stegvis:hemligt-lösen@db/stegvis\"\ndatabase_url_file = \"db-url\"\nsmtp_url_file = \"no-such-file\"\nowner_database_url = \"postgres://ägare:annat-hemligt@db:nope/x\"\n",
    )
    .unwrap();
    let check = stegvis(&dir)
        .args(["--config", "bad.toml", "config", "check"])
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1), "{}", text(&check));
    let out = text(&check);
    for expected in [
        "rad 1: database_url = \"…\" är ingen databasadress",
        "rad 2: både database_url och database_url_file är satta",
        "rad 3: smtp_url_file = \"no-such-file\": filen kan inte läsas (finns inte)",
        "rad 4: owner_database_url = \"…\" är ingen databasadress",
    ] {
        assert!(out.contains(expected), "{expected}:\n{out}");
    }
    assert!(!out.contains("hemligt"), "{out}");

    // The environment's plain value and its *_FILE together.
    let out = stegvis(&dir)
        .args(["migrate"])
        .env("DATABASE_URL", "sqlite://x.db")
        .env("STEGVIS_DATABASE_URL_FILE", "db-url")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("både DATABASE_URL och STEGVIS_DATABASE_URL_FILE är satta"),
        "{}",
        text(&out)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn config_check_looks_at_the_files_and_folders_too() {
    let dir = scratch("check");
    std::fs::create_dir_all(dir.join("keys")).unwrap();
    std::fs::write(
        dir.join("good.toml"),
        "data_dir = \"data\"\nkey_file = \"keys/stegvis.keys\"\nlisten = \"127.0.0.1:8080\"\nmetrics_listen = \"127.0.0.1:9464\"\ntrusted_proxies = [\"127.0.0.1\", \"::1\"]\nreminder_interval = 60\n",
    )
    .unwrap();
    let good = stegvis(&dir)
        .args(["--config", "good.toml", "config", "check"])
        .output()
        .unwrap();
    assert!(good.status.success(), "{}", text(&good));
    assert!(text(&good).contains("Inga problem"), "{}", text(&good));
    // A check creates nothing.
    assert!(!dir.join("data").exists());

    std::fs::write(
        dir.join("bad.toml"),
        "data_dir = \"data\"\nkey_file = \"no-folder/stegvis.keys\"\nsmtp_password_file = \"no-password\"\nlisten = \"127.0.0.1:8080\"\nmetrics_listen = \"127.0.0.1:8080\"\n",
    )
    .unwrap();
    let bad = stegvis(&dir)
        .args(["--config", "bad.toml", "config", "check"])
        .env("STEGVIS_REMINDER_INTERVAL", "0")
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1), "{}", text(&bad));
    let out = text(&bad);
    for expected in [
        "key_file no-folder/stegvis.keys: nyckelfilen finns inte",
        "smtp_password_file no-password: filen kan inte läsas",
        "metrics_listen 127.0.0.1:8080 är samma adress som listen",
        "STEGVIS_REMINDER_INTERVAL = \"0\" (för reminder_interval) ska vara minst 1",
        "4 problem",
    ] {
        assert!(out.contains(expected), "{expected}:\n{out}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
