//! The command line, run as a real process: demo, migrate, user add, token create.

use std::path::PathBuf;
use std::process::{Command, Output};

fn data_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "stegvis-cli-{}-{}",
        std::process::id(),
        uuid_like()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn uuid_like() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

fn stegvis(dir: &PathBuf, args: &[&str], password: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_stegvis"));
    cmd.args(args)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("DATABASE_URL")
        .env_remove("STEGVIS_PASSWORD");
    if let Some(p) = password {
        cmd.env("STEGVIS_PASSWORD", p);
    }
    cmd.output().expect("run stegvis")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn demo_seeds_once_and_prints_its_users() {
    let dir = data_dir();
    let first = stegvis(&dir, &["demo", "--no-serve", "--participants", "25"], None);
    assert!(first.status.success(), "{}", text(&first));
    let out = text(&first);
    assert!(out.contains("6 nya projekt, 25 nya deltagare"), "{out}");
    assert!(
        out.contains("coach@demo.stegvis.se") && out.contains("stegvis-demo"),
        "{out}"
    );
    let second = stegvis(&dir, &["demo", "--no-serve", "--participants", "25"], None);
    assert!(
        text(&second).contains("0 nya projekt, 0 nya deltagare"),
        "{}",
        text(&second)
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("keys/stegvis.keys"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the key file is private");
    }
}

#[test]
fn demo_refuses_to_listen_beyond_loopback() {
    let dir = data_dir();
    let o = stegvis(
        &dir,
        &["demo", "--listen", "0.0.0.0:18181", "--participants", "1"],
        None,
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("loopback"), "{}", text(&o));
}

#[test]
fn users_and_tokens_from_the_command_line() {
    let dir = data_dir();
    assert!(
        stegvis(&dir, &["demo", "--no-serve", "--participants", "1"], None)
            .status
            .success()
    );
    let org = "Hässleholms kommun, Arbetsmarknadsenheten";
    let add = [
        "user",
        "add",
        "--email",
        "Ny.Coach@Example.se",
        "--name",
        "Ny Coach",
        "--org",
        org,
        "--role",
        "coach",
    ];
    let ok = stegvis(&dir, &add, Some("ett långt lösenord"));
    assert!(ok.status.success(), "{}", text(&ok));
    let again = stegvis(&dir, &add, Some("ett långt lösenord"));
    assert!(!again.status.success(), "the same e-mail twice");
    let bad_role = stegvis(
        &dir,
        &[
            "user",
            "add",
            "--email",
            "x@example.se",
            "--name",
            "X",
            "--org",
            org,
            "--role",
            "boss",
        ],
        Some("ett långt lösenord"),
    );
    assert!(!bad_role.status.success());
    assert!(
        text(&bad_role).contains("Välj en roll"),
        "{}",
        text(&bad_role)
    );
    let short = stegvis(
        &dir,
        &[
            "user",
            "add",
            "--email",
            "y@example.se",
            "--name",
            "Y",
            "--org",
            org,
            "--role",
            "coach",
        ],
        Some("kort"),
    );
    assert!(text(&short).contains("minst 12 tecken"), "{}", text(&short));
    let generated = stegvis(
        &dir,
        &[
            "user",
            "add",
            "--email",
            "z@example.se",
            "--name",
            "Z",
            "--org",
            org,
            "--role",
            "auditor",
        ],
        None,
    );
    assert!(generated.status.success());
    assert_eq!(
        String::from_utf8_lossy(&generated.stdout).trim().len(),
        24,
        "a generated password is printed once"
    );

    let token = stegvis(
        &dir,
        &["token", "create", "--email", "ny.coach@example.se"],
        None,
    );
    assert!(token.status.success(), "{}", text(&token));
    assert!(
        String::from_utf8_lossy(&token.stdout)
            .trim()
            .starts_with("stv_")
    );
    let unknown = stegvis(
        &dir,
        &["token", "create", "--email", "nobody@example.se"],
        None,
    );
    assert!(!unknown.status.success());
}

#[test]
fn migrate_creates_the_database() {
    let dir = data_dir();
    let o = stegvis(&dir, &["migrate"], None);
    assert!(o.status.success(), "{}", text(&o));
    assert!(dir.join("stegvis.db").exists());
}

#[test]
fn job_ads_import_once_and_removals_close_them() {
    let dir = data_dir();
    let sample = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/jobtech_ads_sample.jsonl"
    );
    let first = stegvis(&dir, &["jobs", "import", sample], None);
    assert!(first.status.success(), "{}", text(&first));
    // The sample holds 10 ads and 14 removals of ads that were never imported here.
    assert!(
        text(&first).contains("10 nya platser, 0 fanns redan, 0 stängda, 0 rader kunde inte läsas"),
        "{}",
        text(&first)
    );
    let again = stegvis(&dir, &["jobs", "import", sample], None);
    assert!(
        text(&again).contains("0 nya platser, 10 fanns redan"),
        "{}",
        text(&again)
    );
    // A removal of an imported ad closes it; a broken line is named and changes nothing.
    let removal = dir.join("removal.jsonl");
    std::fs::write(
        &removal,
        "{\"id\": \"23905080\", \"removed\": true}\n{broken\n",
    )
    .unwrap();
    let closed = stegvis(&dir, &["jobs", "import", removal.to_str().unwrap()], None);
    assert!(closed.status.success(), "{}", text(&closed));
    assert!(
        text(&closed).contains("1 stängda, 1 rader kunde inte läsas"),
        "{}",
        text(&closed)
    );
    assert!(
        text(&closed).contains("rad / line 2: not JSON"),
        "{}",
        text(&closed)
    );
    let missing = stegvis(&dir, &["jobs", "import", "/no/such/file.jsonl"], None);
    assert!(!missing.status.success());
    assert!(
        text(&missing).contains("/no/such/file.jsonl"),
        "{}",
        text(&missing)
    );
}

/// The reporting benchmark's loader and report on a small population: the totals it prints
/// account for every generated participant, and the CSV files for DuckDB hold the same rows.
#[test]
fn bench_report_loads_a_population_and_reports_on_it() {
    let dir = data_dir();
    let csv = dir.join("csv");
    let out = stegvis(
        &dir,
        &[
            "bench",
            "report",
            "--participants",
            "120",
            "--attendance",
            "3",
            "--csv-dir",
            csv.to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out)));
    assert_eq!(json["participants"], 120);
    assert_eq!(json["attendance_rows"], 360);
    let totals = json["totals"].as_array().unwrap();
    assert_eq!(totals.len(), 6, "every project");
    // The planned-participants goal counts everyone enrolled: 20 per project.
    for t in totals
        .iter()
        .filter(|t| !t[4].as_array().unwrap().is_empty())
    {
        assert_eq!(t[4][0], 20, "{t}");
    }
    // 360 lines of 30 minutes to 3 h 29 min, each month rounded down per participant.
    let hours: u64 = totals.iter().map(|t| t[3].as_u64().unwrap()).sum();
    assert!(hours > 100 && hours < 360 * 4, "whole hours: {hours}");
    assert!(json["tally_seconds"].as_f64().is_some());
    let counted: u64 = totals.iter().map(|t| t[1].as_u64().unwrap()).sum();
    assert!(
        counted > 60 && counted < 120,
        "one in ten is incomplete: {counted}"
    );
    let lines = |f: &str| {
        std::fs::read_to_string(csv.join(f))
            .unwrap()
            .lines()
            .count()
    };
    assert_eq!(lines("enrolments.csv"), 121);
    assert_eq!(lines("attendance.csv"), 361);
    assert_eq!(lines("projects.csv"), 7);
}

#[test]
fn serve_on_an_empty_database_prints_a_one_time_setup_link() {
    use std::io::{BufRead, BufReader};
    let dir = data_dir();
    let port = 20000 + (std::process::id() % 20000) as u16;
    let mut child = Command::new(env!("CARGO_BIN_EXE_stegvis"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(&dir)
        .env_remove("DATABASE_URL")
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start serve");
    let stderr = child.stderr.take().unwrap();
    let mut link = None;
    for line in BufReader::new(stderr).lines() {
        let line = line.unwrap();
        if let Some(at) = line.find("/setup/") {
            link = Some(line[at..].trim().to_owned());
            break;
        }
        if line.contains("listens on") {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let link = link.expect("a setup link on an empty database");
    assert!(link.len() > "/setup/".len() + 10, "{link}");
}

#[test]
fn setup_from_the_command_line_then_tokens_listed_and_revoked() {
    let dir = data_dir();
    let setup = [
        "setup",
        "--org",
        "Arbetsmarknadsenheten i Exempelby",
        "--kind",
        "municipality_unit",
        "--municipality",
        "1293",
        "--admin-email",
        "Ada@Exempelby.se",
        "--admin-name",
        "Ada Admin",
    ];
    // A weak password is refused, and nothing is set up.
    let weak = stegvis(&dir, &setup, Some("stegvis-demo"));
    assert!(!weak.status.success());
    assert!(text(&weak).contains("password"), "{}", text(&weak));
    // A bad kind is named.
    let mut bad = setup;
    bad[4] = "kommun";
    let o = stegvis(&dir, &bad, Some("tre gröna tåg i regnet"));
    assert!(!o.status.success());
    assert!(text(&o).contains("kind"), "{}", text(&o));
    // The password generated and printed once.
    let ok = stegvis(&dir, &setup, None);
    assert!(ok.status.success(), "{}", text(&ok));
    assert_eq!(String::from_utf8_lossy(&ok.stdout).trim().len(), 24);
    // Only once.
    let again = stegvis(&dir, &setup, Some("tre gröna tåg i regnet"));
    assert!(!again.status.success(), "{}", text(&again));
    // The demo keeps away from it, and says so.
    let demo = stegvis(&dir, &["demo", "--no-serve", "--participants", "1"], None);
    assert!(!demo.status.success());
    assert!(
        text(&demo).contains("demot inte har skapat"),
        "{}",
        text(&demo)
    );

    // Tokens: made, listed (never the token itself), revoked.
    let made = stegvis(
        &dir,
        &[
            "token",
            "create",
            "--email",
            "ada@exempelby.se",
            "--name",
            "Rapportskript",
            "--days",
            "30",
        ],
        None,
    );
    assert!(made.status.success(), "{}", text(&made));
    let token = String::from_utf8_lossy(&made.stdout).trim().to_owned();
    assert!(token.starts_with("stv_"));
    let list = stegvis(&dir, &["token", "list"], None);
    assert!(list.status.success(), "{}", text(&list));
    let listed = String::from_utf8_lossy(&list.stdout).to_string();
    assert!(!listed.contains(&token), "never the token itself");
    let line = listed
        .lines()
        .find(|l| l.contains("Rapportskript"))
        .expect("the token is listed");
    assert!(
        line.contains("ada@exempelby.se") && line.contains("live"),
        "{line}"
    );
    let id = line.split('\t').next().unwrap().to_owned();
    let revoke = stegvis(&dir, &["token", "revoke", &id], None);
    assert!(revoke.status.success(), "{}", text(&revoke));
    let list = stegvis(
        &dir,
        &["token", "list", "--email", "ada@exempelby.se"],
        None,
    );
    assert!(
        String::from_utf8_lossy(&list.stdout).contains("revoked"),
        "{}",
        text(&list)
    );
    let twice = stegvis(&dir, &["token", "revoke", &id], None);
    assert!(!twice.status.success());
    let unknown = stegvis(
        &dir,
        &["token", "revoke", "01234567-89ab-7def-8123-456789abcdef"],
        None,
    );
    assert!(!unknown.status.success());
}

#[test]
fn check_passes_on_the_demo_and_refuses_a_missing_database() {
    let dir = data_dir();
    let demo = stegvis(&dir, &["demo", "--no-serve", "--participants", "20"], None);
    assert!(demo.status.success(), "{}", text(&demo));
    let o = stegvis(&dir, &["check"], None);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("ok    SQLite integrity_check"), "{out}");
    assert!(out.contains("report tallies"), "{out}");
    assert!(!out.contains("FAIL"), "{out}");

    let empty = data_dir();
    let o = stegvis(&empty, &["check"], None);
    assert!(!o.status.success(), "{}", text(&o));
    assert!(
        !empty.join("stegvis.db").exists(),
        "check creates no database"
    );
}

#[test]
fn a_missing_or_different_key_file_is_refused_and_nothing_is_written() {
    let dir = data_dir();
    let seeded = stegvis(&dir, &["demo", "--no-serve", "--participants", "5"], None);
    assert!(seeded.status.success(), "{}", text(&seeded));
    let key_file = dir.join("keys/stegvis.keys");
    let moved = dir.join("elsewhere.keys");
    std::fs::rename(&key_file, &moved).unwrap();
    let db = dir.join("stegvis.db");
    let before = std::fs::read(&db).unwrap();

    for args in [
        &["keys", "status"][..],
        &["token", "list"][..],
        &["keys", "rotate"][..],
    ] {
        let o = stegvis(&dir, args, None);
        let out = text(&o);
        assert!(!o.status.success(), "{args:?}: {out}");
        assert!(
            out.contains("finns inte") && out.contains("does not exist"),
            "{args:?}: {out}"
        );
        assert!(out.contains("no key file was created"), "{out}");
        assert!(!key_file.exists(), "{args:?} created a key file");
        assert_eq!(
            std::fs::read(&db).unwrap(),
            before,
            "{args:?} changed the database"
        );
    }

    let other = dir.join("other.keys");
    std::fs::write(&other, "1:AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=\n").unwrap();
    let o = stegvis(
        &dir,
        &["keys", "status", "--key-file", other.to_str().unwrap()],
        None,
    );
    let out = text(&o);
    assert!(!o.status.success(), "{out}");
    assert!(
        out.contains("hör inte till databasen") && out.contains("does not belong to this database"),
        "{out}"
    );
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "a wrong key changed the database"
    );

    // The right file, wherever it lives, opens it.
    let o = stegvis(
        &dir,
        &["keys", "status", "--key-file", moved.to_str().unwrap()],
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("krypterar / encrypts"), "{}", text(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The data folder is the owner's only (0700), the database file too (0600), from the first
/// start; a folder or file someone loosened is tightened at the next start, with a log line.
#[test]
fn the_data_folder_and_database_are_the_owners_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let parent = data_dir();
    let dir = parent.join("data");
    let o = stegvis(&dir, &["migrate"], None);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(mode(&dir), 0o700);
    for name in ["stegvis.db", "stegvis.db-wal", "stegvis.db-shm"] {
        let path = dir.join(name);
        if name == "stegvis.db" || path.exists() {
            assert_eq!(mode(&path), 0o600, "{name}");
        }
    }

    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let db = dir.join("stegvis.db");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let o = stegvis(&dir, &["migrate"], None);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&db), 0o600);
    let log = text(&o);
    assert!(
        log.matches("tightened permissions").count() >= 2,
        "one line per tightened path: {log}"
    );

    // Already tight: nothing to say.
    let o = stegvis(&dir, &["migrate"], None);
    assert!(!text(&o).contains("tightened"), "{}", text(&o));
    let _ = std::fs::remove_dir_all(&parent);
}

#[test]
fn a_runtime_role_is_refused_on_sqlite() {
    let dir = data_dir();
    let o = stegvis(&dir, &["migrate", "--runtime-role", "stegvis_app"], None);
    assert!(!o.status.success());
    assert!(text(&o).contains("PostgreSQL"), "{}", text(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn audit_verify_prints_the_head_and_names_a_changed_event() {
    use sqlx::Connection;
    let dir = data_dir();
    let setup = [
        "setup",
        "--org",
        "Arbetsmarknadsenheten i Exempelby",
        "--kind",
        "municipality_unit",
        "--municipality",
        "1293",
        "--admin-email",
        "ada@exempelby.se",
        "--admin-name",
        "Ada Admin",
    ];
    let o = stegvis(&dir, &setup, Some("tre gröna tåg i regnet"));
    assert!(o.status.success(), "{}", text(&o));
    let ok = stegvis(&dir, &["audit", "verify"], None);
    assert!(ok.status.success(), "{}", text(&ok));
    let out = text(&ok);
    assert!(out.contains("the audit trail is intact"), "{out}");
    let head = out
        .lines()
        .find(|l| l.starts_with("Huvud / head: nr / number "))
        .unwrap_or_else(|| panic!("{out}"));
    let hash = head.rsplit(' ').next().unwrap();
    assert_eq!(hash.len(), 64, "{head}");

    // Someone with the database file but not the key file changes the first event.
    let id = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let url = format!("sqlite://{}", dir.join("stegvis.db").display());
        let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query("DROP TRIGGER audit_events_no_update")
            .execute(&mut c)
            .await
            .unwrap();
        let id: uuid::Uuid = sqlx::query_scalar("SELECT event_id FROM audit_chain WHERE pos = 1")
            .fetch_one(&mut c)
            .await
            .unwrap();
        sqlx::query("UPDATE audit_events SET detail = 'nothing to see' WHERE id = $1")
            .bind(id)
            .execute(&mut c)
            .await
            .unwrap();
        c.close().await.unwrap();
        id
    });
    let bad = stegvis(&dir, &["audit", "verify"], None);
    assert_eq!(bad.status.code(), Some(1), "{}", text(&bad));
    let out = text(&bad);
    assert!(out.contains(&format!("Händelse {id} (nr 1, ")), "{out}");
    assert!(out.contains(&format!("Event {id} (number 1, ")), "{out}");
    assert!(
        out.contains("har ändrats") && out.contains("was changed"),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
