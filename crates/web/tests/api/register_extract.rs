//! The participant's rights, for the data protection officer: the register extract holds every
//! section of a demo participant's record, the PDF carries every value of the JSON, making it is
//! one audit event and nobody else may; the correction of names and number keeps the earlier
//! number sealed in the history, makes the new one searchable, refuses a duplicate and keeps the
//! report tallies equal to a recount.

use crate::forms::{get_page, hidden, post_form, web_login};
use crate::support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use stegvis_app::users::UserInput;

const SECTIONS: [&str; 14] = [
    "person",
    "history",
    "enrolments",
    "consents",
    "assessments",
    "plans",
    "attendance",
    "placements",
    "follow_ups",
    "referrals",
    "conferences",
    "job_profile",
    "account",
    "access_log",
];

/// The demo participant's id, as they see it.
async fn demo_participant(t: &TestApp) -> String {
    let me = t.token(PARTICIPANT).await;
    let page: Value = t
        .get(&me, "/api/v1/participants")
        .await
        .json()
        .await
        .unwrap();
    page["items"][0]["id"].as_str().unwrap().to_owned()
}

/// A Swedish identity number `YYMMDD-NNN` with its check digit (Luhn over the ten digits).
fn with_check_digit(first9: &str) -> String {
    let digits: Vec<u32> = first9.chars().filter_map(|c| c.to_digit(10)).collect();
    assert_eq!(digits.len(), 9);
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let p = d * if i % 2 == 0 { 2 } else { 1 };
            p / 10 + p % 10
        })
        .sum();
    format!("{}-{}{}", &first9[..6], &first9[6..], (10 - sum % 10) % 10)
}

fn days_ago(t: &TestApp, n: i64) -> String {
    (t.app.today() - time::Duration::days(n)).to_string()
}

async fn extract(t: &TestApp, token: &str, pid: &str) -> Value {
    let r = t
        .get(token, &format!("/api/v1/participants/{pid}/extract"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

fn section<'a>(x: &'a Value, key: &str) -> &'a Vec<Value> {
    x["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == key)
        .unwrap_or_else(|| panic!("section {key}"))["items"]
        .as_array()
        .unwrap()
}

fn value<'a>(item: &'a Value, key: &str) -> Option<&'a str> {
    item["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == key)
        .and_then(|f| f["value"].as_str())
}

/// Corrects through the auditor's form; the response.
async fn correct(
    t: &TestApp,
    cookie: &str,
    pid: &str,
    given: &str,
    family: &str,
    number: &str,
) -> reqwest::Response {
    let form = get_page(t, &format!("/participants/{pid}/correct"), cookie).await;
    assert_eq!(form.status(), StatusCode::OK);
    let csrf = hidden(&form.text().await.unwrap(), "csrf");
    post_form(
        t,
        &format!("/participants/{pid}/correct"),
        cookie,
        &[
            ("csrf", csrf.as_str()),
            ("given_name", given),
            ("family_name", family),
            ("identity_number", number),
        ],
    )
    .await
}

/// Fills what the demo participant's record lacks: a placement with a confirmed week and
/// feedback, a referral, a case conference, an exit (which plans the follow-ups), and a
/// correction by the auditor (the history).
async fn fill_every_section(t: &TestApp, pid: &str) {
    let coach = t.token(COACH).await;
    let r = t
        .post(
            &coach,
            "/api/v1/employers",
            &json!({"name": "Utdragsbutiken AB", "kind": "employer", "workplace": {"name": "Utdragsbutiken Centrum"}}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let employer: Value = r.json().await.unwrap();
    let workplace = employer["workplaces"][0]["id"].as_str().unwrap().to_owned();
    let sup = t
        .app
        .add_user(
            &UserInput {
                email: "handledare.utdrag@example.se".into(),
                name: "Handledare Utdrag".into(),
                org_id: employer["id"].as_str().unwrap().into(),
                role: "supervisor".into(),
                password: PASSWORD.into(),
            },
            None,
        )
        .await
        .unwrap();
    let sup_token = t.token("handledare.utdrag@example.se").await;
    let r = t
        .post(
            &coach,
            &format!("/api/v1/participants/{pid}/placements"),
            &json!({"workplace_id": workplace, "kind": "work_practice", "supervisor_id": sup.id.to_string(), "hours_per_week": 16, "goals": "Pröva kassaarbete", "offered_on": days_ago(t, 30)}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let placement: Value = r.json().await.unwrap();
    let url = format!("/api/v1/placements/{}", placement["id"].as_str().unwrap());
    for (to, on) in [("accepted", 28), ("started", 21)] {
        let r = t
            .post(
                &coach,
                &format!("{url}/status"),
                &json!({"status": to, "on": days_ago(t, on)}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK, "{to}");
    }
    let r = t
        .post(
            &sup_token,
            &format!("{url}/weeks"),
            &json!({"week_of": days_ago(t, 14), "hours": "15,5"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = t
        .post(
            &sup_token,
            &format!("{url}/feedback"),
            &json!({"text": "Punktlig och glad."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);

    let af = t.org_id("Arbetsförmedlingen").await;
    let r = t
        .post(
            &coach,
            &format!("/api/v1/participants/{pid}/consents"),
            &json!({"recipient_org_id": af, "kinds": ["participant"], "purpose": "Remiss", "form": "written"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = t
        .post(
            &coach,
            &format!("/api/v1/participants/{pid}/referrals"),
            &json!({"to_org_id": af, "reason": "Behöver stöd i jobbsökandet"}),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "{}",
        r.text().await.unwrap()
    );
    let r = t
        .post(
            &coach,
            &format!("/api/v1/participants/{pid}/conferences"),
            &json!({"held_on": days_ago(t, 2), "attendees": ["Karin Lund, AME", "Deltagaren"], "minutes": "Vill prova lagerarbete.", "decisions": [{"step": "Besöka lagret", "owner": "participant"}]}),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "{}",
        r.text().await.unwrap()
    );

    let detail: Value = t
        .get(&coach, &format!("/api/v1/participants/{pid}"))
        .await
        .json()
        .await
        .unwrap();
    let open = detail["enrolments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["exited_on"].is_null())
        .expect("an open enrolment");
    let r = t
        .post(
            &coach,
            &format!("/api/v1/enrolments/{}/exit", open["id"].as_str().unwrap()),
            &json!({"exited_on": days_ago(t, 1), "exit_status": "job_seeking"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());

    let cookie = web_login(t, AUDITOR).await;
    let r = correct(
        t,
        &cookie,
        pid,
        "Joanna Maria",
        "Mohamud",
        &with_check_digit("000101123"),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

fn data_subject_reads(events: &[Value]) -> usize {
    events
        .iter()
        .filter(|e| e["record_kind"] == "data_subject_rights" && e["action"] == "read")
        .count()
}

#[tokio::test]
async fn the_extract_holds_every_section_is_one_event_and_the_pdf_carries_every_value() {
    let t = spawn_app().await;
    let pid = demo_participant(&t).await;
    fill_every_section(&t, &pid).await;
    let auditor = t.token(AUDITOR).await;

    let before = t.audit_of(&pid).await;
    assert_eq!(data_subject_reads(&before), 0);
    let x = extract(&t, &auditor, &pid).await;
    let after = t.audit_of(&pid).await;
    // The first search's own event, and the extract's: one event for the whole extract.
    assert_eq!(after.len(), before.len() + 2);
    assert_eq!(data_subject_reads(&after), 1);

    let keys: Vec<&str> = x["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, SECTIONS, "every section, in order");
    for key in SECTIONS {
        assert!(!section(&x, key).is_empty(), "section {key} is empty");
    }
    let person = &section(&x, "person")[0];
    assert_eq!(value(person, "given_name"), Some("Joanna Maria"));
    assert!(value(person, "identity_number").is_some());
    let text = x.to_string();
    for secret in [
        "identity_enc",
        "identity_hash",
        "password_hash",
        "code_hash",
    ] {
        assert!(!text.contains(secret), "{secret} is never in an extract");
    }
    // Paged internally, never cut off: every event about the person is there.
    assert!(section(&x, "access_log").len() >= before.len());

    #[cfg(feature = "pdf")]
    {
        // The PDF made after the JSON holds everything the JSON holds (and the JSON's own
        // event in the access log, one more).
        let cookie = web_login(&t, AUDITOR).await;
        let r = get_page(&t, &format!("/participants/{pid}/extract.pdf"), &cookie).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        let text = squeeze(&pdf_text(&r.bytes().await.unwrap()));
        let mut leaves = 0;
        for s in x["sections"].as_array().unwrap() {
            assert!(
                text.contains(&squeeze(s["title_sv"].as_str().unwrap())),
                "{}",
                s["title_sv"]
            );
            for item in s["items"].as_array().unwrap() {
                assert!(text.contains(&squeeze(item["title_sv"].as_str().unwrap())));
                for f in item["fields"].as_array().unwrap() {
                    assert!(text.contains(&squeeze(f["label_sv"].as_str().unwrap())));
                    if let Some(v) = f["value"].as_str() {
                        assert!(
                            text.contains(&squeeze(v)),
                            "{}.{} = {v:?} is not in the PDF",
                            s["key"],
                            f["key"]
                        );
                        leaves += 1;
                    }
                }
            }
        }
        assert!(leaves > 100, "{leaves}");
    }
}

/// Text without any whitespace (nor the zero-width spaces the PDF may break a long value at):
/// a value wrapped over two lines still matches.
#[cfg(feature = "pdf")]
fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{200B}')
        .collect()
}

#[cfg(feature = "pdf")]
fn pdf_text(pdf: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("stegvis-extract-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("extract.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&file)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("pdftotext (Debian's poppler-utils): {e}"));
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn only_the_auditor_of_the_participants_organisation_gets_the_extract_or_corrects() {
    let t = spawn_app().await;
    let pid = demo_participant(&t).await;
    let af = t.org_id("Arbetsförmedlingen").await;
    t.app
        .add_user(
            &UserInput {
                email: "dataskydd.af@example.se".into(),
                name: "Annat Dataskydd".into(),
                org_id: af,
                role: "auditor".into(),
                password: PASSWORD.into(),
            },
            None,
        )
        .await
        .unwrap();
    let path = format!("/api/v1/participants/{pid}/extract");
    for who in [
        COACH,
        PROJECT_MANAGER,
        PARTNER,
        OTHER_COACH,
        ADMIN,
        "dataskydd.af@example.se",
    ] {
        let token = t.token(who).await;
        assert_eq!(
            t.get(&token, &path).await.status(),
            StatusCode::NOT_FOUND,
            "{who}"
        );
        let cookie = web_login(&t, who).await;
        for page in ["extract.json", "extract.pdf", "correct"] {
            let r = get_page(&t, &format!("/participants/{pid}/{page}"), &cookie).await;
            assert_eq!(r.status(), StatusCode::NOT_FOUND, "{who} {page}");
        }
    }
    // The refusals are in the trail.
    let events = t.audit_of(&pid).await;
    assert!(has_event(&events, "data_subject_rights", "read", "denied"));
    // The participant's page offers the auditor the extract and the correction, nobody else.
    let coach = web_login(&t, COACH).await;
    let html = get_page(&t, &format!("/participants/{pid}"), &coach)
        .await
        .text()
        .await
        .unwrap();
    assert!(!html.contains("extract.pdf"));
    let auditor = web_login(&t, AUDITOR).await;
    let html = get_page(&t, &format!("/participants/{pid}"), &auditor)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(&format!("/participants/{pid}/extract.pdf")));
    assert!(html.contains(&format!("/participants/{pid}/correct")));
}

#[tokio::test]
async fn a_correction_keeps_the_old_number_sealed_finds_the_new_refuses_a_duplicate_and_moves_the_tallies()
 {
    let t = spawn_app().await;
    let pid = demo_participant(&t).await;
    let coach = t.token(COACH).await;
    let auditor = t.token(AUDITOR).await;
    let cookie = web_login(&t, AUDITOR).await;
    let x = extract(&t, &auditor, &pid).await;
    let old = value(&section(&x, "person")[0], "identity_number")
        .unwrap()
        .to_owned();
    let project = value(&section(&x, "enrolments")[0], "project_id")
        .unwrap()
        .to_owned();
    let report = async |t: &TestApp| -> Value {
        t.get(&coach, &format!("/api/v1/projects/{project}/report"))
            .await
            .json()
            .await
            .unwrap()
    };
    let report_before = report(&t).await;

    // Bad input: an error at each field, in Swedish, and nothing changed.
    let r = correct(&t, &cookie, &pid, "", "Mohamud", "000101-1234").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Skriv förnamnet."), "{html}");
    assert!(html.contains("identity_number"));
    // A number another participant has: refused, nothing changed.
    let taken = "701063-2391";
    assert_eq!(
        t.register(&coach, taken, "Samira", "Ödmark").await.status(),
        StatusCode::CREATED
    );
    let r = correct(&t, &cookie, &pid, "Joanna", "Mohamud", taken).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("En annan deltagare har redan det här numret")
    );
    let unchanged = extract(&t, &auditor, &pid).await;
    assert_eq!(
        value(&section(&unchanged, "person")[0], "identity_number"),
        Some(old.as_str())
    );
    assert!(section(&unchanged, "history").is_empty());

    // The correction: born in 2000 instead, and a second given name.
    let new = with_check_digit("000101123");
    let r = correct(&t, &cookie, &pid, "Joanna Maria", "Mohamud", &new).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let x = extract(&t, &auditor, &pid).await;
    let person = &section(&x, "person")[0];
    assert_eq!(value(person, "given_name"), Some("Joanna Maria"));
    assert_eq!(value(person, "birth_date"), Some("2000-01-01"));
    let history = section(&x, "history");
    let numbers: Vec<&str> = history
        .iter()
        .filter_map(|h| value(h, "identity_number"))
        .collect();
    assert_eq!(numbers, [old.as_str()], "the earlier number, opened");
    let earlier: Vec<&str> = history
        .iter()
        .filter_map(|h| value(h, "previous.given_name"))
        .collect();
    assert_eq!(earlier, ["Joanna"], "the earlier names");
    let digits: String = old.chars().filter(char::is_ascii_digit).collect();
    for h in history.iter().filter(|h| value(h, "record_kind").is_some()) {
        assert!(
            !h.to_string().contains(&digits[2..]),
            "never the number in plain text in the record history: {h}"
        );
    }

    // The new number finds the person; the old one does not.
    let found = |q: String| {
        let (t, coach) = (&t, coach.clone());
        async move {
            let page: Value = t
                .get(&coach, &format!("/api/v1/participants?q={q}"))
                .await
                .json()
                .await
                .unwrap();
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["id"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        found(new.replace('-', "")).await,
        std::slice::from_ref(&pid)
    );
    assert!(found(digits.clone()).await.is_empty());
    assert!(found("Maria".into()).await.contains(&pid));

    // The report moved with the birth date, and equals a recount from the rows.
    let report_after = report(&t).await;
    assert_ne!(report_before, report_after);
    let checks = t.app.check_database().await.unwrap();
    let failed: Vec<_> = checks.iter().filter(|c| !c.ok()).map(|c| &c.what).collect();
    assert!(failed.is_empty(), "{failed:?}");
    t.app.ensure_report_tallies(true).await.unwrap();
    assert_eq!(report(&t).await, report_after);
}
