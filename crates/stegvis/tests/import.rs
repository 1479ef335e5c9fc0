//! `stegvis import` end to end with the real binary, on SQLite and (when
//! STEGVIS_TEST_DATABASE_URL is set) PostgreSQL:
//! - the same spreadsheet as XLSX (made here, with a formula and real date cells) and as CSV in
//!   Windows-1252 with semicolons imports the same participants, enrolments and attendance;
//! - importing it again adds nothing;
//! - an import killed (SIGKILL) halfway through leaves nothing of the file in the database.

mod common;
use common::{create_database, drop_database};

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stegvis-import-{}-{name}", std::process::id()));
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

/// A valid Swedish identity number `YYYYMMDD-NNNC` (Luhn check digit).
fn pnr(y: i32, m: u32, d: u32, n: u32) -> String {
    let base = format!("{:02}{m:02}{d:02}{n:03}", y % 100);
    let sum: u32 = base
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            let v = u32::from(b - b'0') * if i % 2 == 0 { 2 } else { 1 };
            v / 10 + v % 10
        })
        .sum();
    format!("{y}{m:02}{d:02}-{n:03}{}", (10 - sum % 10) % 10)
}

/// A demo instance (the seed projects and users, no participants) on SQLite in `dir`, or on a
/// fresh PostgreSQL database.
struct Instance {
    dir: PathBuf,
    database_url: Option<String>,
}

impl Instance {
    async fn new(name: &str, pg_admin: Option<&str>) -> Instance {
        // The SQLite and PostgreSQL variants run at once: each its own folder.
        let dir = scratch(&format!(
            "{name}-{}",
            if pg_admin.is_some() { "pg" } else { "sqlite" }
        ));
        let database_url = match pg_admin {
            Some(admin) => Some(
                create_database(
                    admin,
                    &format!("stegvis_import_{}_{name}", std::process::id()),
                )
                .await,
            ),
            None => None,
        };
        let i = Instance { dir, database_url };
        let out = i.run(&["demo", "--no-serve", "--participants", "0"]);
        assert!(out.status.success(), "demo: {}", text(&out));
        i
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_stegvis"));
        cmd.env_remove("DATABASE_URL")
            .env_remove("STEGVIS_KEY_FILE")
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

    fn import(&self, file: &Path, extra: &[&str]) -> Output {
        let mut args = vec![
            "import",
            file.to_str().unwrap(),
            "--as",
            "coach@demo.stegvis.se",
        ];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    async fn query(&self, sql: &str) -> Vec<String> {
        use sqlx::{Connection, Row};
        let rows: Vec<String> = match &self.database_url {
            Some(url) => {
                let mut c = sqlx::PgConnection::connect(url).await.unwrap();
                sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
                    .fetch_all(&mut c)
                    .await
                    .unwrap()
                    .iter()
                    .map(|r| r.get::<String, _>(0))
                    .collect()
            }
            None => {
                let url = format!("sqlite://{}", self.dir.join("stegvis.db").display());
                let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
                sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
                    .fetch_all(&mut c)
                    .await
                    .unwrap()
                    .iter()
                    .map(|r| r.get::<String, _>(0))
                    .collect()
            }
        };
        rows
    }

    async fn count(&self, table: &str) -> i64 {
        let sql = format!("SELECT CAST(COUNT(*) AS TEXT) FROM {table}");
        self.query(&sql).await[0].parse().unwrap()
    }

    /// What the imports wrote, without ids and times (which differ between instances).
    async fn contents(&self) -> Vec<String> {
        let cat = "||";
        let mut out = Vec::new();
        for sql in [
            format!(
                "SELECT p.given_name {cat} '|' {cat} p.family_name {cat} '|' {cat} p.gender {cat} '|' {cat} CAST(p.birth_date AS TEXT)
                 {cat} '|' {cat} pr.name {cat} '|' {cat} CAST(e.enrolled_on AS TEXT) {cat} '|' {cat} COALESCE(e.labour_status, '-')
                 {cat} '|' {cat} COALESCE(e.born_abroad, '-') {cat} '|' {cat} COALESCE(CAST(e.months_without_work AS TEXT), '-')
                 {cat} '|' {cat} COALESCE(CAST(e.exited_on AS TEXT), '-') {cat} '|' {cat} COALESCE(e.exit_status, '-')
                 FROM participants p JOIN enrolments e ON e.participant_id = p.id
                 JOIN projects pr ON pr.id = e.project_id ORDER BY 1"
            ),
            format!(
                "SELECT p.family_name {cat} '|' {cat} act.name {cat} '|' {cat} act.kind {cat} '|' {cat} CAST(a.attended_on AS TEXT)
                 {cat} '|' {cat} CAST(a.minutes AS TEXT) {cat} '|' {cat} COALESCE(a.absence_reason, '-')
                 FROM attendance a JOIN participants p ON p.id = a.participant_id
                 JOIN activities act ON act.id = a.activity_id ORDER BY 1"
            ),
        ] {
            out.extend(self.query(&sql).await);
        }
        out
    }

    async fn drop(self, pg_admin: Option<&str>) {
        if let (Some(admin), Some(url)) = (pg_admin, &self.database_url) {
            let name = url.split('?').next().unwrap().rsplit('/').next().unwrap();
            drop_database(admin, name).await;
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

const PROJECT: &str = "Nästa steg (demoprojekt)";

/// The participants sheet: (identity, given, family, gender, project, enrolled, born abroad,
/// labour status, months without work, exited, exit status).
fn participants() -> Vec<[String; 11]> {
    let s = |v: &str| v.to_owned();
    vec![
        [
            pnr(1985, 3, 4, 123),
            s("Åsa"),
            s("Öberg"),
            s("K"),
            s(PROJECT),
            s("3/2 2025"),
            s("Ja"),
            s("Arbetslös"),
            s("14"),
            s(""),
            s(""),
        ],
        [
            pnr(1990, 5, 6, 241),
            s("Ali"),
            s("Hassan"),
            s("Man"),
            s(PROJECT),
            s("2025-02-10"),
            s("nej"),
            s("arbetslös"),
            s("7"),
            s(""),
            s(""),
        ],
        [
            pnr(1979, 12, 1, 312),
            s("=\"Li\"&\"sa\""),
            s("Ek"),
            s("kvinna"),
            s(PROJECT),
            s("10/2-2025"),
            s("Vill inte svara"),
            s("Utanför arbetskraften"),
            s(""),
            s("2025-06-30"),
            s("Arbete"),
        ],
    ]
}

/// The attendance sheet: (identity, project, activity, date, month, hours, minutes).
fn attendance() -> Vec<[String; 7]> {
    let p = participants();
    let s = |v: &str| v.to_owned();
    let row = |who: usize, activity: &str, day: &str, month: &str, hours: &str, minutes: &str| {
        [
            p[who][0].clone(),
            s(PROJECT),
            s(activity),
            s(day),
            s(month),
            s(hours),
            s(minutes),
        ]
    };
    vec![
        row(0, "Studiecirkel", "4/2 2025", "", "2,5", ""),
        row(0, "Studiecirkel", "2025-02-05", "", "3:30", ""),
        row(1, "Praktikförberedelse", "", "mars 2025", "123,5", ""),
        row(1, "Praktikförberedelse", "", "2025-04", "", "2 070"),
        row(2, "Studiecirkel", "11/2 2025", "", "1", ""),
    ]
}

const P_HEADERS: [&str; 11] = [
    "Personnummer",
    "Förnamn",
    "Efternamn",
    "Kön",
    "Projekt",
    "Inskrivningsdatum",
    "Född utomlands",
    "Situation på arbetsmarknaden",
    "Månader utan arbete",
    "Avslutsdatum",
    "Avslutsorsak",
];
const A_HEADERS: [&str; 7] = [
    "Personnummer",
    "Projekt",
    "Aktivitet",
    "Datum",
    "Månad",
    "Timmar",
    "Minuter",
];

fn csv_cp1252(headers: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut text = headers.join(";");
    text.push_str("\r\n");
    for r in rows {
        text.push_str(&r.join(";"));
        text.push_str("\r\n\r\n"); // an empty line after each row, as exports often have
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err(), "really Windows-1252");
    bytes.into_owned()
}

/// The same sheets as a workbook: dates written as real date cells where the CSV has ISO
/// dates, numbers as numbers, the formula as a formula.
fn xlsx(path: &Path) {
    let mut book = Workbook::new();
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    let iso = |v: &str| -> Option<ExcelDateTime> {
        let b: Vec<u16> = v.split('-').filter_map(|x| x.parse().ok()).collect();
        (v.len() == 10 && b.len() == 3)
            .then(|| ExcelDateTime::from_ymd(b[0], b[1] as u8, b[2] as u8).unwrap())
    };
    type Sheet<'a> = (&'a str, Vec<&'a str>, Vec<Vec<String>>);
    let sheets: [Sheet<'_>; 2] = [
        (
            "Deltagare",
            P_HEADERS.to_vec(),
            participants().into_iter().map(Vec::from).collect(),
        ),
        (
            "Närvaro",
            A_HEADERS.to_vec(),
            attendance().into_iter().map(Vec::from).collect(),
        ),
    ];
    for (name, headers, rows) in sheets {
        let ws = book.add_worksheet();
        ws.set_name(name).unwrap();
        for (c, h) in headers.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for (r, row) in rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, v) in row.iter().enumerate() {
                let c = c as u16;
                if let Some(f) = v.strip_prefix('=') {
                    ws.write_formula(r, c, format!("={f}").as_str()).unwrap();
                } else if let Some(d) = iso(v) {
                    ws.write_datetime_with_format(r, c, &d, &date_format)
                        .unwrap();
                } else if let Ok(n) = v.parse::<f64>() {
                    ws.write_number(r, c, n).unwrap();
                } else {
                    ws.write_string(r, c, v).unwrap();
                }
            }
        }
    }
    book.save(path).unwrap();
}

async fn xlsx_and_csv_import_the_same(pg_admin: Option<&str>) {
    let from_xlsx = Instance::new("xlsx", pg_admin).await;
    let from_csv = Instance::new("csv", pg_admin).await;
    let book = from_xlsx.dir.join("deltagare.xlsx");
    xlsx(&book);
    let p_csv = from_csv.dir.join("deltagare.csv");
    let a_csv = from_csv.dir.join("närvaro.csv");
    let rows = |v: Vec<Vec<String>>| v;
    std::fs::write(
        &p_csv,
        csv_cp1252(
            &P_HEADERS,
            &rows(participants().into_iter().map(Vec::from).collect()),
        ),
    )
    .unwrap();
    std::fs::write(
        &a_csv,
        csv_cp1252(
            &A_HEADERS,
            &rows(attendance().into_iter().map(Vec::from).collect()),
        ),
    )
    .unwrap();

    // A dry run writes nothing.
    let out = from_xlsx.import(&book, &["--sheet", "Deltagare", "--dry-run"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(from_xlsx.count("participants").await, 0);

    for (inst, p, a) in [
        (
            &from_xlsx,
            (book.clone(), vec!["--sheet", "Deltagare"]),
            (book.clone(), vec!["--sheet", "Närvaro"]),
        ),
        (&from_csv, (p_csv.clone(), vec![]), (a_csv.clone(), vec![])),
    ] {
        let out = inst.import(&p.0, &p.1);
        assert!(out.status.success(), "{}", text(&out));
        assert!(text(&out).contains("3 deltagare"), "{}", text(&out));
        let out = inst.import(&a.0, &a.1);
        assert!(out.status.success(), "{}", text(&out));
        assert!(text(&out).contains("5 närvarorader"), "{}", text(&out));
    }
    let a = from_xlsx.contents().await;
    let b = from_csv.contents().await;
    assert_eq!(a.len(), 3 + 5, "{a:#?}");
    assert_eq!(a, b, "the XLSX and the CSV imported differently");
    // The formula is kept as its text, never evaluated to "Lisa".
    assert!(
        a.iter()
            .any(|l| l.starts_with("=\"Li\"&\"sa\"|Ek|woman|1979-12-01")),
        "{a:#?}"
    );
    // Swedish dates, a space as thousands separator, a decimal comma, H:MM.
    assert!(
        a.iter().any(|l| l.contains(
            "Öberg|woman|1985-03-04|Nästa steg (demoprojekt)|2025-02-03|unemployed|yes|14"
        )),
        "{a:#?}"
    );
    assert!(
        a.iter().any(|l| l
            .contains("Hassan|man|1990-05-06|Nästa steg (demoprojekt)|2025-02-10|unemployed|no|7")),
        "{a:#?}"
    );
    assert!(a.iter().any(|l| l.ends_with("2025-06-30|work")), "{a:#?}");
    assert!(
        a.contains(&"Öberg|Studiecirkel|group_session|2025-02-05|210|-".to_owned()),
        "{a:#?}"
    );
    // A month's hours: one entry on the month's first day in the enrolment.
    assert!(
        a.contains(&"Hassan|Praktikförberedelse|group_session|2025-03-01|7410|-".to_owned()),
        "{a:#?}"
    );
    assert!(
        a.contains(&"Hassan|Praktikförberedelse|group_session|2025-04-01|2070|-".to_owned()),
        "{a:#?}"
    );
    // Every participant imported has an audit event of their own.
    let per_participant = from_csv
        .query("SELECT CAST(COUNT(DISTINCT participant_id) AS TEXT) FROM audit_events WHERE detail LIKE 'import participants%' AND participant_id IS NOT NULL AND decision = 'allowed'")
        .await;
    assert_eq!(per_participant, vec!["3".to_owned()]);

    // Again: nothing new, in either format.
    let before = from_xlsx.contents().await;
    let out = from_xlsx.import(&book, &["--sheet", "Deltagare"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("3 rader fanns redan"), "{}", text(&out));
    let out = from_csv.import(&a_csv, &[]);
    assert!(text(&out).contains("5 rader fanns redan"), "{}", text(&out));
    assert_eq!(from_xlsx.contents().await, before);
    assert_eq!(from_csv.contents().await, b);

    // A file with problems is refused whole by default, and names each at row and column.
    let bad = from_csv.dir.join("fel.csv");
    let mut rows: Vec<Vec<String>> = vec![participants()[0].to_vec(), participants()[0].to_vec()];
    rows[0][0] = pnr(1970, 1, 1, 101);
    rows[1][0] = "19700101-1012".into(); // wrong check digit
    rows.push(rows[0].clone()); // a duplicate
    let mut unknown = rows[0].clone();
    unknown[0] = pnr(1971, 2, 2, 202);
    unknown[4] = "Inget sådant projekt".into();
    rows.push(unknown);
    std::fs::write(&bad, csv_cp1252(&P_HEADERS, &rows)).unwrap();
    let before = from_csv.count("participants").await;
    let out = from_csv.import(&bad, &[]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    // Data rows 1..4 are file rows 2, 4, 6, 8 (an empty line after each).
    assert!(
        t.contains("rad 4, Personnummer \"19700101-1012\": Kontrollsiffran"),
        "{t}"
    );
    assert!(
        t.contains("rad 6, Personnummer") && t.contains("Samma person och projekt som rad 2"),
        "{t}"
    );
    assert!(t.contains("rad 8, Projekt \"Inget sådant projekt\""), "{t}");
    assert_eq!(
        from_csv.count("participants").await,
        before,
        "nothing of a refused file"
    );
    // Good rows only: the one good row is imported, the rest come back to fix.
    let rejected = from_csv.dir.join("att-rätta.csv");
    let out = from_csv.import(
        &bad,
        &["--good-rows", "--rejected-to", rejected.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(from_csv.count("participants").await, before + 1);
    let back = String::from_utf8(std::fs::read(&rejected).unwrap()).unwrap();
    assert_eq!(back.lines().count(), 4, "{back}");
    assert!(
        back.contains("Kontrollsiffran") && back.contains("Fel att rätta"),
        "{back}"
    );

    from_xlsx.drop(pg_admin).await;
    from_csv.drop(pg_admin).await;
}

/// An import killed halfway leaves nothing of the file: it is one transaction.
async fn killed_import_leaves_nothing(pg_admin: Option<&str>) {
    let inst = Instance::new("kill", pg_admin).await;
    let file = inst.dir.join("stor.csv");
    let mut text_out = String::from("Personnummer;Förnamn;Efternamn;Kön;Inskrivningsdatum\n");
    let mut n = 0;
    'outer: for year in 1960..2004 {
        for day in 1..=28 {
            for serial in 1..=400 {
                text_out.push_str(&format!(
                    "{};Test;Person{n};K;2025-01-02\n",
                    pnr(year, 1 + (n % 12) as u32, day, serial)
                ));
                n += 1;
                if n == 300_000 {
                    break 'outer;
                }
            }
        }
    }
    std::fs::write(&file, text_out).unwrap();
    let mut child = inst
        .command()
        .args([
            "import",
            file.to_str().unwrap(),
            "--as",
            "coach@demo.stegvis.se",
        ])
        .args(["--project", PROJECT])
        .arg("--data-dir")
        .arg(&inst.dir)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut seen = false;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if line.starts_with("progress: ") {
            seen = true;
            break;
        }
    }
    assert!(seen, "the import reported no progress");
    assert!(
        child.try_wait().unwrap().is_none(),
        "still importing when killed"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(inst.count("participants").await, 0);
    assert_eq!(inst.count("enrolments").await, 0);
    let out = inst.run(&["check"]);
    assert!(out.status.success(), "check after the kill: {}", text(&out));
    // The rows were good (so the killed import was writing them): its first 2,000 import.
    let head: String = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .take(2_001)
        .map(|l| format!("{l}\n"))
        .collect();
    let small = inst.dir.join("liten.csv");
    std::fs::write(&small, head).unwrap();
    let out = inst.import(&small, &["--project", PROJECT]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(inst.count("participants").await, 2_000);
    inst.drop(pg_admin).await;
}

#[tokio::test]
async fn xlsx_and_windows_1252_csv_import_the_same_on_sqlite() {
    xlsx_and_csv_import_the_same(None).await;
}

#[tokio::test]
async fn killed_import_leaves_nothing_on_sqlite() {
    killed_import_leaves_nothing(None).await;
}

#[tokio::test]
async fn xlsx_and_windows_1252_csv_import_the_same_on_postgresql() {
    let Ok(admin) = std::env::var("STEGVIS_TEST_DATABASE_URL") else {
        eprintln!("skipped: STEGVIS_TEST_DATABASE_URL names no PostgreSQL server");
        return;
    };
    xlsx_and_csv_import_the_same(Some(&admin)).await;
}

#[tokio::test]
async fn killed_import_leaves_nothing_on_postgresql() {
    let Ok(admin) = std::env::var("STEGVIS_TEST_DATABASE_URL") else {
        eprintln!("skipped: STEGVIS_TEST_DATABASE_URL names no PostgreSQL server");
        return;
    };
    killed_import_leaves_nothing(Some(&admin)).await;
}
