//! `stegvis export` and `stegvis import-archive`: a demo population leaves one Stegvis and
//! arrives in an empty one (SQLite, and PostgreSQL and back when the suite has a server) with
//! the same reports and pages for every staff user; `check` and `audit verify` pass; an archive
//! is refused by a database that holds data, and a damaged one leaves the target empty.

mod common;
use common::create_database;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stegvis-archive-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the binary on the data folder `dir` (and on `database` when given: PostgreSQL).
fn stegvis(dir: &Path, database: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_stegvis"));
    cmd.env_remove("DATABASE_URL")
        .env_remove("STEGVIS_KEY_FILE");
    if let Some(url) = database {
        cmd.env("DATABASE_URL", url);
    }
    cmd.args(args)
        .arg("--data-dir")
        .arg(dir)
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("run stegvis")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn ok(o: Output) -> String {
    assert!(o.status.success(), "{}", text(&o));
    text(&o)
}

/// One Stegvis: its data folder (key file inside) and, on PostgreSQL, its database.
struct Instance {
    dir: PathBuf,
    database: Option<String>,
}

impl Instance {
    fn run(&self, args: &[&str]) -> Output {
        stegvis(&self.dir, self.database.as_deref(), args)
    }

    /// Row counts of the tables a refused import must leave alone.
    async fn counts(&self) -> Vec<i64> {
        let sql =
            "SELECT (SELECT COUNT(*) FROM organisations), (SELECT COUNT(*) FROM participants),
                          (SELECT COUNT(*) FROM attendance), (SELECT COUNT(*) FROM audit_events)";
        match &self.database {
            Some(url) => {
                use sqlx::Connection;
                let mut c = sqlx::PgConnection::connect(url).await.unwrap();
                let r: (i64, i64, i64, i64) = sqlx::query_as(sql).fetch_one(&mut c).await.unwrap();
                vec![r.0, r.1, r.2, r.3]
            }
            None => {
                use sqlx::Connection;
                let url = format!("sqlite://{}", self.dir.join("stegvis.db").display());
                let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
                let r: (i64, i64, i64, i64) = sqlx::query_as(sql).fetch_one(&mut c).await.unwrap();
                vec![r.0, r.1, r.2, r.3]
            }
        }
    }
}

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn serve(i: &Instance, port: u16) -> Server {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_stegvis"));
    cmd.env_remove("DATABASE_URL")
        .env_remove("STEGVIS_KEY_FILE");
    if let Some(url) = &i.database {
        cmd.env("DATABASE_URL", url);
    }
    // Killed and waited for when the server is dropped.
    #[allow(clippy::zombie_processes)]
    let child = cmd
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(&i.dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start serve");
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    for _ in 0..300 {
        if http.get(format!("{base}/healthz")).send().await.is_ok() {
            return Server { child, base };
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the server did not start on {port}");
}

/// The demo's staff: every role and organisation, so every project's reports are seen.
const USERS: &[&str] = &[
    "coach@demo.stegvis.se",
    "coach2@demo.stegvis.se",
    "projektledare@demo.stegvis.se",
    "admin@demo.stegvis.se",
    "dataskydd@demo.stegvis.se",
    "af@demo.stegvis.se",
    "handledare@demo.stegvis.se",
    "coach.helsingborg@demo.stegvis.se",
    "coach.jamtland@demo.stegvis.se",
    "coach.stadsmission@demo.stegvis.se",
];

async fn log_in(http: &reqwest::Client, base: &str, email: &str) -> String {
    let r = http
        .post(format!("{base}/login"))
        .form(&[
            ("email", email),
            ("password", "stegvis-demo"),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    assert!(r.status().is_redirection(), "{email}: {}", r.status());
    let cookie = r.headers()[reqwest::header::SET_COOKIE].to_str().unwrap();
    cookie.split(';').next().unwrap().to_owned()
}

/// The body with what differs per session or per key file masked: CSRF tokens, and the
/// pseudonyms of the pseudonymised export (keyed by the key file: the receiving instance has
/// its own), which are replaced by their order of first appearance.
fn masked(path: &str, body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    let marker = "name=\"csrf\" value=\"";
    while let Some(at) = rest.find(marker) {
        out.push_str(&rest[..at + marker.len()]);
        rest = &rest[at + marker.len()..];
        let end = rest.find('"').unwrap_or(0);
        out.push_str("CSRF");
        rest = &rest[end..];
    }
    out.push_str(rest);
    if path.contains("/pseudonymised") {
        // Sorted by pseudonym, which the key file decides: compared as each pseudonym's rows,
        // the groups in a canonical order, so the linkage of rows is kept and the key is not.
        let mut lines = out.lines();
        let header = lines.next().unwrap_or_default().to_owned();
        let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for line in lines {
            let (first, tail) = line.split_once([';', ',']).unwrap_or((line, ""));
            groups
                .entry(first.to_owned())
                .or_default()
                .push(tail.to_owned());
        }
        let mut groups: Vec<Vec<String>> = groups.into_values().collect();
        for g in &mut groups {
            g.sort();
        }
        groups.sort();
        out = format!("{header}\n{groups:#?}");
    }
    out
}

fn links(body: &str, prefix: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = body;
    while let Some(at) = rest.find("href=\"") {
        rest = &rest[at + 6..];
        let end = rest.find('"').unwrap_or(0);
        let link = rest[..end].replace("&amp;", "&");
        if link.starts_with(prefix) && !found.contains(&link) {
            found.push(link);
        }
        rest = &rest[end..];
    }
    found
}

/// Whether `link` is `/projects/<uuid>` (nothing after).
fn is_project(link: &str) -> bool {
    link.strip_prefix("/projects/")
        .is_some_and(|id| uuid::Uuid::parse_str(id).is_ok())
}

/// Every staff user's view: their lists, every project's pages, reports (the funder's report,
/// the time report of every month with attendance, the pseudonymised export, goals), a few
/// participants' pages. Keyed by user and path; status and masked body.
async fn pages(base: &str, months: &[String]) -> BTreeMap<String, String> {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut seen = BTreeMap::new();
    for user in USERS {
        let cookie = log_in(&http, base, user).await;
        let get = |path: String| {
            let http = http.clone();
            let cookie = cookie.clone();
            async move {
                let r = http
                    .get(format!("{base}{path}"))
                    .header(reqwest::header::COOKIE, cookie)
                    .send()
                    .await
                    .unwrap();
                let status = r.status().as_u16();
                let body = r.text().await.unwrap();
                (status, body)
            }
        };
        let mut paths: Vec<String> = [
            "/projects",
            "/caseload",
            "/reports/rollup",
            "/follow-ups",
            "/referrals",
            "/employers",
            "/supervised",
            "/admin/users",
        ]
        .iter()
        .map(|p| (*p).to_owned())
        .collect();
        let (_, list) = get("/projects".into()).await;
        for p in links(&list, "/projects/")
            .into_iter()
            .filter(|l| is_project(l))
        {
            for tail in [
                "",
                "/report",
                "/goals",
                "/history",
                "/report/export?format=csv",
                "/report/pseudonymised?format=csv",
            ] {
                paths.push(format!("{p}{tail}"));
            }
            for m in months {
                paths.push(format!("{p}/time-report?month={m}"));
                paths.push(format!("{p}/time-report/export?month={m}&format=csv"));
            }
        }
        let (_, caseload) = get("/caseload".into()).await;
        for p in links(&caseload, "/participants/")
            .into_iter()
            .filter(|l| l.len() == "/participants/".len() + 36)
            .take(4)
        {
            for tail in [
                "",
                "/plan",
                "/placements",
                "/consents",
                "/referrals",
                "/conferences",
                "/time-report",
            ] {
                paths.push(format!("{p}{tail}"));
            }
        }
        for path in paths {
            let (status, body) = get(path.clone()).await;
            seen.insert(
                format!("{user} {path}"),
                format!("{status}\n{}", masked(&path, &body)),
            );
        }
    }
    seen
}

/// Asserts two views are the same page for page, naming the first difference.
fn assert_same(what: &str, a: &BTreeMap<String, String>, b: &BTreeMap<String, String>) {
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{what}: the same pages"
    );
    for (k, x) in a {
        let y = &b[k];
        if x != y {
            let at = x
                .bytes()
                .zip(y.bytes())
                .position(|(p, q)| p != q)
                .unwrap_or(x.len().min(y.len()));
            let from = at.saturating_sub(200);
            panic!(
                "{what}: {k} differs at byte {at}:\n--- before\n{}\n--- after\n{}",
                x.get(from..(at + 200).min(x.len())).unwrap_or(""),
                y.get(from..(at + 200).min(y.len())).unwrap_or("")
            );
        }
    }
}

/// The months in which the source recorded attendance.
async fn attendance_months(src: &Instance) -> Vec<String> {
    use sqlx::Connection;
    let url = format!("sqlite://{}", src.dir.join("stegvis.db").display());
    let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query_scalar("SELECT DISTINCT substr(attended_on, 1, 7) FROM attendance ORDER BY 1")
        .fetch_all(&mut c)
        .await
        .unwrap()
}

fn port(offset: u16) -> u16 {
    23000 + (std::process::id() % 15000) as u16 + offset
}

/// `check` and `audit verify` pass on an imported instance.
fn whole(i: &Instance) {
    ok(i.run(&["check"]));
    let verified = ok(i.run(&["audit", "verify"]));
    assert!(verified.contains("oförändrat"), "{verified}");
}

/// Rewrites the archive with `change` applied to one file's bytes (the manifest kept).
fn tampered(archive: &Path, to: &Path, file: &str, change: impl Fn(&mut Vec<u8>)) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(archive).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if name == file {
            change(&mut bytes);
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap();
}

async fn round_trip(pg_admin: Option<&str>) {
    let tag = if pg_admin.is_some() { "pg" } else { "sqlite" };
    let src = Instance {
        dir: scratch(&format!("{tag}-src")),
        database: None,
    };
    ok(src.run(&["demo", "--no-serve", "--participants", "150"]));
    let months = attendance_months(&src).await;
    assert!(!months.is_empty(), "the demo records attendance");
    let before = {
        let server = serve(&src, port(0)).await;
        pages(&server.base, &months).await
    };
    assert!(
        before
            .keys()
            .filter(|k| k.contains("/time-report?"))
            .count()
            >= months.len(),
        "time reports were compared"
    );

    let archive = src.dir.join("export.zip");
    let said = ok(src.run(&["export", "--to", archive.to_str().unwrap()]));
    assert!(said.contains("klartext"), "{said}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&archive).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the archive is the owner's");
    }
    // What it holds: the manifest, the schema, the description, one file per table; identity
    // numbers in the clear, no keyed hash.
    {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&archive).unwrap()).unwrap();
        let mut manifest = String::new();
        zip.by_name("manifest.json")
            .unwrap()
            .read_to_string(&mut manifest)
            .unwrap();
        let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
        assert_eq!(manifest["format"], "stegvis-archive");
        let rows = |t: &str| {
            manifest["tables"]
                .as_array()
                .unwrap()
                .iter()
                .find(|e| e["table"] == t)
                .unwrap()["rows"]
                .as_u64()
                .unwrap()
        };
        assert!(rows("participants") >= 150 && rows("attendance") > 0 && rows("audit_events") > 0);
        assert!(manifest["audit_chain_head"]["position"].as_i64().unwrap() > 0);
        assert!(zip.by_name("schema.json").is_ok());
        assert!(zip.by_name("FORMAT.md").is_ok());
        let mut lines = String::new();
        zip.by_name("tables/participants.jsonl")
            .unwrap()
            .read_to_string(&mut lines)
            .unwrap();
        let first: serde_json::Value = serde_json::from_str(lines.lines().next().unwrap()).unwrap();
        let number = first["identity_number"].as_str().unwrap_or_default();
        assert!(
            number.len() == 12 && number.bytes().all(|b| b.is_ascii_digit()),
            "{first}"
        );
        assert!(first.get("identity_hash").is_none() && first.get("identity_enc").is_none());
    }

    // Into an empty Stegvis (SQLite here; PostgreSQL, then back to SQLite, in the PG run).
    let mut chain = Vec::new();
    let mut databases = Vec::new();
    if let Some(admin) = pg_admin {
        let name = format!("stegvis_archive_{}", std::process::id());
        let url = create_database(admin, &name).await;
        databases.push(name);
        chain.push(Instance {
            dir: scratch("pg-dst"),
            database: Some(url),
        });
        chain.push(Instance {
            dir: scratch("pg-back"),
            database: None,
        });
    } else {
        chain.push(Instance {
            dir: scratch("sqlite-dst"),
            database: None,
        });
    }
    let mut from = archive.clone();
    for (n, dst) in chain.iter().enumerate() {
        let said = ok(dst.run(&["import-archive", from.to_str().unwrap()]));
        assert!(said.contains("inläst"), "{said}");
        whole(dst);
        let after = {
            let server = serve(dst, port(1 + n as u16)).await;
            pages(&server.base, &months).await
        };
        assert_same(&format!("after import {n}"), &before, &after);
        // Once more into the same database: refused, nothing changes.
        let counts = dst.counts().await;
        let again = dst.run(&["import-archive", from.to_str().unwrap()]);
        assert!(!again.status.success(), "{}", text(&again));
        assert!(text(&again).contains("redan data"), "{}", text(&again));
        assert_eq!(
            dst.counts().await,
            counts,
            "a refused import changes nothing"
        );
        // Its export is the next leg's archive (PostgreSQL, then back to SQLite).
        let next = dst.dir.join("export.zip");
        ok(dst.run(&["export", "--to", next.to_str().unwrap()]));
        from = next;
    }

    // A damaged archive (a line changed, the manifest kept; or cut short) is refused and
    // leaves the empty target empty.
    let empty = Instance {
        dir: scratch(&format!("{tag}-empty")),
        database: None,
    };
    ok(empty.run(&["migrate"]));
    // Opened once, so that the instance records its new key file (its own event) first.
    ok(empty.run(&["audit", "verify"]));
    let blank = empty.counts().await;
    assert_eq!(blank[..3], [0, 0, 0]);
    let changed = empty.dir.join("changed.zip");
    tampered(&archive, &changed, "tables/attendance.jsonl", |b| {
        let at = b.iter().position(|c| *c == b'1').unwrap();
        b[at] = b'2';
    });
    let refused = empty.run(&["import-archive", changed.to_str().unwrap()]);
    assert!(!refused.status.success(), "{}", text(&refused));
    assert!(
        text(&refused).contains("stämmer inte med manifestet"),
        "{}",
        text(&refused)
    );
    assert_eq!(
        empty.counts().await,
        blank,
        "nothing of the archive is written"
    );
    let cut = empty.dir.join("cut.zip");
    let bytes = std::fs::read(&archive).unwrap();
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let refused = empty.run(&["import-archive", cut.to_str().unwrap()]);
    assert!(!refused.status.success(), "{}", text(&refused));
    assert!(text(&refused).contains("avkortad"), "{}", text(&refused));
    assert_eq!(
        empty.counts().await,
        blank,
        "nothing of the archive is written"
    );

    for d in [&src.dir, &empty.dir] {
        let _ = std::fs::remove_dir_all(d);
    }
    for i in &chain {
        let _ = std::fs::remove_dir_all(&i.dir);
    }
    if let Some(admin) = pg_admin {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(admin).await.unwrap();
        for name in databases {
            let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(drop))
                .execute(&mut conn)
                .await;
        }
    }
}

/// The two round trips one at a time: each serves two instances and fetches every page of ten
/// users; together on 2 cores a server dropped connections under the load.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_imported_into_an_empty_stegvis_gives_the_same_reports_and_pages() {
    let _one = ONE_AT_A_TIME.lock().await;
    round_trip(None).await;
}

/// SQLite → PostgreSQL → SQLite, when the suite has a server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn from_sqlite_to_postgresql_and_back() {
    let Ok(admin) = std::env::var("STEGVIS_TEST_DATABASE_URL") else {
        eprintln!("skipped: STEGVIS_TEST_DATABASE_URL names no PostgreSQL server");
        return;
    };
    let _one = ONE_AT_A_TIME.lock().await;
    round_trip(Some(&admin)).await;
}
