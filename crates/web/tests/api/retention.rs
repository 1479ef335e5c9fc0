//! Retention (issue #14, item 4) on the demo data: the dry run lists exactly the participants
//! of the organisation's ended projects, a run with a stale token changes nothing, the run
//! erases them from every table (and on SQLite from the file's bytes), and every report of the
//! erased projects stays byte for byte the same, also after the tallies are rebuilt as at a
//! start.

use crate::forms::{get_page, hidden, post_form, web_login};
use crate::support::*;
use reqwest::StatusCode;
use serde_json::Value;
use std::collections::BTreeSet;
use stegvis_app::App;
use time::macros::date;

const ENDED: [&str; 2] = ["Samverkan utan gränser", "En väg in"];
const RUNNING: &str = "Nästa steg (demoprojekt)";
/// Far enough ahead that the ended ESF projects are due under the default rule (five years from
/// the end of the 2014–2020 programme: after 2028-12-31), while the running ESF+ project is not
/// (after 2034-12-31).
const TODAY: time::Date = date!(2030 - 01 - 01);

/// Everything the organisation's reports say (the report JSON minus the list of names, the
/// exact and published CSV and XLSX, the PDF when built, the roll-up), per project.
async fn reports(t: &TestApp, projects: &[String]) -> Vec<(String, Vec<u8>)> {
    let pm = t.token(PROJECT_MANAGER).await;
    let cookie = web_login(t, PROJECT_MANAGER).await;
    let mut out = Vec::new();
    for p in projects {
        let r = t.get(&pm, &format!("/api/v1/projects/{p}/report")).await;
        assert_eq!(r.status(), StatusCode::OK);
        let mut json: Value = r.json().await.unwrap();
        json.as_object_mut()
            .unwrap()
            .remove("incomplete_participants");
        out.push((format!("{p} json"), serde_json::to_vec(&json).unwrap()));
        let mut formats = vec!["csv", "xlsx"];
        if cfg!(feature = "pdf") {
            formats.push("pdf");
        }
        for format in formats {
            for published in ["", "&published=1"] {
                let path = format!("/projects/{p}/report/export?format={format}{published}");
                let r = get_page(t, &path, &cookie).await;
                assert_eq!(r.status(), StatusCode::OK, "{path}");
                out.push((path, comparable(format, r.bytes().await.unwrap().to_vec())));
            }
        }
    }
    for path in [
        "/reports/rollup?format=csv",
        "/reports/rollup?format=csv&published=1",
        "/reports/rollup?format=xlsx",
    ] {
        let r = get_page(t, path, &cookie).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let format = if path.contains("xlsx") { "xlsx" } else { "csv" };
        out.push((
            path.to_owned(),
            comparable(format, r.bytes().await.unwrap().to_vec()),
        ));
    }
    out
}

/// The bytes to compare: the file itself, except that a workbook is compared entry by entry
/// without its document properties, where the XLSX writer stamps the time of writing (the
/// sheets, strings and styles are compared byte for byte).
fn comparable(format: &str, bytes: Vec<u8>) -> Vec<u8> {
    if format != "xlsx" {
        return bytes;
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = Vec::new();
    let mut names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    names.sort();
    for name in names.iter().filter(|n| *n != "docProps/core.xml") {
        let mut entry = zip.by_name(name).unwrap();
        out.extend(name.as_bytes());
        std::io::Read::read_to_end(&mut entry, &mut out).unwrap();
    }
    out
}

/// The identity numbers (digits only) of a project's participant file.
async fn identity_numbers(t: &TestApp, cookie: &str, project: &str) -> BTreeSet<String> {
    let r = get_page(
        t,
        &format!("/projects/{project}/report/participants?format=csv"),
        cookie,
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let body = r.text().await.unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(body.trim_start_matches('\u{feff}').as_bytes());
    reader
        .records()
        .map(|r| {
            r.unwrap()[0]
                .chars()
                .filter(char::is_ascii_digit)
                .collect::<String>()
        })
        .filter(|n| n.len() >= 10)
        .collect()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// A valid personnummer of someone born in 1980 (a serial, the Luhn check digit added).
fn personnummer(serial: u32) -> String {
    let body = format!("800101{:03}", 100 + serial);
    let sum: u32 = body
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let d = c.to_digit(10).unwrap() * if i % 2 == 0 { 2 } else { 1 };
            d / 10 + d % 10
        })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

/// Every stored value but the audit trail's (which records refusals too).
async fn data_values(t: &TestApp) -> Vec<(String, String, Vec<u8>)> {
    let mut v: Vec<_> = t
        .app
        .every_stored_value()
        .await
        .unwrap()
        .into_iter()
        // The trail (events, their chain and its queue) records refusals too.
        .filter(|(table, _, _)| !table.starts_with("audit_") && !table.starts_with("_sqlx"))
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn erasure_removes_the_ended_projects_people_and_keeps_every_report() {
    let t = spawn_app().await;
    let pm = t.token(PROJECT_MANAGER).await;
    let mut ended = Vec::new();
    for name in ENDED {
        ended.push(t.project_id(&pm, name).await);
    }
    let running = t.project_id(&pm, RUNNING).await;
    let all: Vec<String> = ended.iter().cloned().chain([running.clone()]).collect();
    let before = reports(&t, &all).await;

    // Who the ended projects hold (and the running one, which must stay).
    let cookie = web_login(&t, PROJECT_MANAGER).await;
    let mut numbers = BTreeSet::new();
    for p in &ended {
        numbers.extend(identity_numbers(&t, &cookie, p).await);
    }
    let kept_numbers = identity_numbers(&t, &cookie, &running).await;
    numbers.retain(|n| !kept_numbers.contains(n));
    assert!(!numbers.is_empty());

    // The dry run: the auditor sees names, the administrator counts only.
    let auditor = t
        .app
        .token_actor(&t.token(AUDITOR).await)
        .await
        .unwrap()
        .unwrap();
    let admin = t
        .app
        .token_actor(&t.token(ADMIN).await)
        .await
        .unwrap()
        .unwrap();
    let plan = t.app.retention_plan(&auditor, TODAY).await.unwrap();
    let admin_plan = t.app.retention_plan(&admin, TODAY).await.unwrap();
    assert_eq!(plan.token, admin_plan.token);
    assert!(admin_plan.groups.iter().all(|g| g.names.is_empty()));
    let projects: BTreeSet<String> = plan
        .groups
        .iter()
        .map(|g| g.project_id.to_string())
        .collect();
    assert_eq!(
        projects,
        ended.iter().cloned().collect(),
        "only the ended projects are due"
    );
    assert!(plan.groups.iter().all(|g| g.rule.is_default));
    let due = App::planned_participants(&plan);
    assert_eq!(due.len() as u64, plan.participants);
    assert_eq!(
        due.len(),
        numbers.len(),
        "every ended project's participant, no one else"
    );
    let names: usize = plan.groups.iter().map(|g| g.names.len()).sum();
    assert_eq!(names, due.len());
    // A day before the default rule makes En väg in (2014–2020 programme) due, only the project
    // of the 2007–2013 programme is.
    let early = t
        .app
        .retention_plan(&auditor, date!(2028 - 12 - 31))
        .await
        .unwrap();
    assert!(early.participants > 0 && early.participants < plan.participants);
    assert!(
        early
            .groups
            .iter()
            .all(|g| g.project_id.to_string() == ended[0])
    );

    let mut people = Vec::new();
    for id in &due {
        people.push(t.app.participant_plaintext(*id).await.unwrap().unwrap());
    }

    // A stale token erases nothing, and a coach may not run it at all.
    let coach = t
        .app
        .token_actor(&t.token(COACH).await)
        .await
        .unwrap()
        .unwrap();
    let data_before = data_values(&t).await;
    let stale = t
        .app
        .retention_run(&auditor, TODAY, "0000000000000000")
        .await;
    assert!(
        matches!(stale, Err(stegvis_app::AppError::Conflict(_))),
        "{stale:?}"
    );
    assert!(
        t.app
            .retention_run(&coach, TODAY, &plan.token)
            .await
            .is_err()
    );
    assert!(
        t.app
            .retention_run(&admin, TODAY, &plan.token)
            .await
            .is_err()
    );
    let data_after = data_values(&t).await;
    let changed: BTreeSet<&String> = data_before
        .iter()
        .filter(|v| !data_after.contains(v))
        .chain(data_after.iter().filter(|v| !data_before.contains(v)))
        .map(|(table, _, _)| table)
        .collect();
    assert!(changed.is_empty(), "a refused run changed {changed:?}");

    // The run.
    let out = t
        .app
        .retention_run(&auditor, TODAY, &plan.token)
        .await
        .unwrap();
    assert_eq!(out.participants, due.len() as u64);
    assert_eq!(out.rows["participants"], due.len() as u64);
    for id in &due {
        assert!(t.app.participant_plaintext(*id).await.unwrap().is_none());
    }
    // Nothing is due any more; the running project's people are untouched.
    let again = t.app.retention_plan(&auditor, TODAY).await.unwrap();
    assert_eq!(again.participants, 0);
    assert_eq!(identity_numbers(&t, &cookie, &running).await, kept_numbers);

    // Every report the same, byte for byte; again after the tallies are checked and rebuilt as
    // a start does.
    let after = reports(&t, &all).await;
    for ((what, a), (_, b)) in before.iter().zip(&after) {
        assert!(a == b, "{what} changed after the erasure");
    }
    t.app.ensure_report_tallies(false).await.unwrap();
    t.app.ensure_report_tallies(true).await.unwrap();
    let rebuilt = reports(&t, &all).await;
    for ((what, a), (_, b)) in before.iter().zip(&rebuilt) {
        assert!(a == b, "{what} changed after a rebuild of the tallies");
    }

    // Gone from every table: names (as a pair), search name, identity number digits.
    let values = t.app.every_stored_value().await.unwrap();
    // A name shared with someone who stays (their row is in participants, the erased rows are
    // gone by id) is not evidence either way.
    let shared = |search: &str| {
        values
            .iter()
            .any(|(table, _, b)| table == "participants" && contains(b, search.as_bytes()))
    };
    for (given, family, search, _birth) in &people {
        if shared(search) {
            continue;
        }
        for (table, column, bytes) in &values {
            assert!(
                !contains(bytes, search.as_bytes()),
                "{given} {family}'s search name is still in {table}.{column}"
            );
        }
    }
    for n in &numbers {
        for (table, column, bytes) in &values {
            assert!(
                !contains(bytes, n.as_bytes()),
                "an identity number in {table}.{column}"
            );
        }
    }
    // The trail keeps one pseudonymised line per erased person, without a name.
    let erasure_lines = values
        .iter()
        .filter(|(table, _, b)| table == "audit_events" && contains(b, b"erased: pseudonym"))
        .count();
    assert_eq!(erasure_lines, due.len());

    // The file's bytes (SQLite): the database and its write-ahead log.
    if let Some(dir) = t.sqlite_dir() {
        let mut raw = std::fs::read(dir.join("stegvis.db")).unwrap();
        if let Ok(wal) = std::fs::read(dir.join("stegvis.db-wal")) {
            raw.extend(wal);
        }
        for (given, family, search, _) in &people {
            if shared(search) {
                continue;
            }
            assert!(
                !contains(&raw, search.as_bytes()),
                "{given} {family} is still in the file's bytes"
            );
        }
    }
}

#[tokio::test]
async fn the_pseudonymised_export_has_no_small_group_and_no_name_or_number() {
    let t = spawn_app().await;
    let pm = t.token(PROJECT_MANAGER).await;
    let cookie = web_login(&t, PROJECT_MANAGER).await;
    // Twelve alike (women born in 1980, the same answers) make one group large enough.
    let coach = t.token(COACH).await;
    for serial in 0..12 {
        let r = t
            .register(
                &coach,
                &personnummer(serial),
                "Pseudo",
                &format!("Nym{serial}"),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let mut exported = 0;
    for name in ENDED.into_iter().chain([RUNNING]) {
        let p = t.project_id(&pm, name).await;
        let numbers = identity_numbers(&t, &cookie, &p).await;
        let path = format!("/projects/{p}/report/pseudonymised?format=csv");
        let body = get_page(&t, &path, &cookie).await.text().await.unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(body.trim_start_matches('\u{feff}').as_bytes());
        let rows: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect();
        // A project with too few people to form a group of five exports no rows at all.
        exported += rows.len();
        // Gender, birth year, foreign background, disability: no combination under 5.
        let key = |r: &Vec<String>| r[1..5].to_vec();
        for r in &rows {
            let n = rows.iter().filter(|o| key(o) == key(r)).count();
            assert!(n >= 5, "{name}: {:?} is shared by {n}", key(r));
        }
        // Codes, years, flags and hex pseudonyms only: no name, no number, no date.
        for cell in rows.iter().flatten() {
            assert!(
                cell.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_<–".contains(c)),
                "{name}: {cell:?}"
            );
            assert!(!cell.contains('-'), "a date in {cell:?}");
            assert!(!numbers.iter().any(|n| cell.contains(n.as_str())));
        }
        // The same pseudonyms every time.
        let again = get_page(&t, &path, &cookie).await.text().await.unwrap();
        assert_eq!(body, again);
        let xlsx = get_page(&t, &path.replace("csv", "xlsx"), &cookie).await;
        assert_eq!(xlsx.status(), StatusCode::OK);
    }
    assert!(exported >= 12, "the twelve alike are exported");
    // Only project managers (the participant file's function).
    let coach = web_login(&t, COACH).await;
    let p = t.project_id(&pm, RUNNING).await;
    let r = get_page(
        &t,
        &format!("/projects/{p}/report/pseudonymised?format=csv"),
        &coach,
    )
    .await;
    assert_ne!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_retention_page_keeps_rules_and_erases_what_the_dry_run_showed() {
    let t = spawn_app().await;
    let admin = web_login(&t, ADMIN).await;
    let page = get_page(&t, "/retention", &admin).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("standardregel"),
        "the default is shown as such"
    );
    assert!(
        !html.contains("Gallra exakt detta"),
        "the administrator does not erase"
    );
    // A rule out of range is refused at its field; a good one replaces the default.
    let csrf = hidden(&html, "csrf");
    let bad = post_form(
        &t,
        "/retention/rules",
        &admin,
        &[
            ("csrf", &csrf),
            ("project_id", ""),
            ("anchor", "exit"),
            ("years", "51"),
        ],
    )
    .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let ok = post_form(
        &t,
        "/retention/rules",
        &admin,
        &[
            ("csrf", &csrf),
            ("project_id", ""),
            ("anchor", "project_end"),
            ("years", "6"),
        ],
    )
    .await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    let html = get_page(&t, "/retention", &admin)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !html.contains("standardregel") && html.contains("6 år"),
        "{html}"
    );
    let at = html.find("/retention/rules/").unwrap() + "/retention/rules/".len();
    let rule = &html[at..at + 36];
    let retire = post_form(
        &t,
        &format!("/retention/rules/{rule}/retire"),
        &admin,
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(
        retire.status(),
        StatusCode::SEE_OTHER,
        "{}",
        retire.text().await.unwrap()
    );
    let html = get_page(&t, "/retention", &admin)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("standardregel"), "back to the default");
    let ok = post_form(
        &t,
        "/retention/rules",
        &admin,
        &[
            ("csrf", &csrf),
            ("project_id", ""),
            ("anchor", "project_end"),
            ("years", "6"),
        ],
    )
    .await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);

    // The auditor's dry run names the people and offers the run; a stale token erases nothing.
    let auditor = web_login(&t, AUDITOR).await;
    let html = get_page(&t, "/retention?today=2030-01-01", &auditor)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Gallra exakt detta"));
    let csrf = hidden(&html, "csrf");
    let token = hidden(&html, "token");
    let stale = post_form(
        &t,
        "/retention/run",
        &auditor,
        &[("csrf", &csrf), ("today", "2030-01-01"), ("token", "0000")],
    )
    .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let run = post_form(
        &t,
        "/retention/run",
        &auditor,
        &[("csrf", &csrf), ("today", "2030-01-01"), ("token", &token)],
    )
    .await;
    assert_eq!(run.status(), StatusCode::SEE_OTHER);
    let html = get_page(&t, "/retention?today=2030-01-01", &auditor)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Ingenting ska gallras"));
    // A coach has no retention page.
    let coach = web_login(&t, COACH).await;
    assert_ne!(
        get_page(&t, "/retention", &coach).await.status(),
        StatusCode::OK
    );
}
