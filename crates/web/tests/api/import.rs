//! The spreadsheet import in the browser, over real HTTP with a session: upload, which column
//! holds what, the dry run, the import, the rejected rows as a file; another user's upload and a
//! role that may not import are refused.

use crate::forms::{get_page, hidden, post_form, web_login};
use crate::support::*;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE, COOKIE, LOCATION};

const BOUNDARY: &str = "----stegvis-test-boundary-7d3f";

/// A `multipart/form-data` body as a browser posts the upload form (the CSRF token first).
fn upload_body(csrf: &str, file_name: &str, bytes: &[u8], kind: &str, project: &str) -> Vec<u8> {
    let mut body = Vec::new();
    let mut text = |name: &str, value: &str| {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    };
    if !csrf.is_empty() {
        text("csrf", csrf);
    }
    text("kind", kind);
    text("project_id", project);
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn post_upload(t: &TestApp, cookie: &str, body: Vec<u8>) -> reqwest::Response {
    t.http
        .post(format!("{}/import", t.base))
        .header(COOKIE, cookie)
        .header(
            CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
        .send()
        .await
        .unwrap()
}

/// Logs in as `email`, opens the upload form and uploads `bytes`: the response.
async fn upload_as(
    t: &TestApp,
    email: &str,
    file_name: &str,
    bytes: &[u8],
) -> (String, String, reqwest::Response) {
    let cookie = web_login(t, email).await;
    let form = get_page(t, "/import", &cookie).await;
    assert_eq!(form.status(), StatusCode::OK);
    let csrf = hidden(&form.text().await.unwrap(), "csrf");
    let r = post_upload(t, &cookie, upload_body(&csrf, file_name, bytes, "", "")).await;
    (cookie, csrf, r)
}

fn location(r: &reqwest::Response) -> String {
    r.headers()[LOCATION].to_str().unwrap().to_owned()
}

/// Participants as a Swedish office writes them: semicolons, Swedish headers, a date as `3/2 2025`.
fn participants_csv(identity_of_second: &str) -> Vec<u8> {
    format!(
        "Personnummer;Förnamn;Efternamn;Kön;Projekt;Inskrivningsdatum\n\
         900101-1239;Ada;Importsson;kvinna;En väg in;2025-02-03\n\
         {identity_of_second};Bo;Importsson;man;En väg in;3/2 2025\n"
    )
    .into_bytes()
}

/// The column of `field` is preselected on the mapping page.
fn selected(html: &str, field: &str) -> bool {
    html.contains(&format!("value=\"{field}\" selected"))
}

#[tokio::test]
async fn the_upload_form_is_offered_to_those_who_may_register_participants() {
    let t = spawn_app().await;
    let coach = web_login(&t, COACH).await;
    let html = get_page(&t, "/participants", &coach)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("href=\"/import\""),
        "the coach is shown the import"
    );
    let form = get_page(&t, "/import", &coach).await;
    assert_eq!(form.status(), StatusCode::OK);
    let html = form.text().await.unwrap();
    assert!(html.contains("enctype=\"multipart/form-data\""));
    assert!(html.contains("Låt Stegvis gissa"));
    assert!(
        html.contains("En väg in"),
        "the coach's projects are offered"
    );

    for who in [AUDITOR, PARTNER] {
        let cookie = web_login(&t, who).await;
        let html = get_page(&t, "/projects", &cookie)
            .await
            .text()
            .await
            .unwrap();
        assert!(!html.contains("href=\"/import\""), "{who} is not shown it");
        let r = get_page(&t, "/import", &cookie).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{who}");
    }
}

#[tokio::test]
async fn a_role_that_may_not_import_cannot_upload() {
    let t = spawn_app().await;
    let cookie = web_login(&t, AUDITOR).await;
    // The auditor's CSRF token, from a page they may open.
    let html = get_page(&t, "/projects", &cookie)
        .await
        .text()
        .await
        .unwrap();
    let csrf = hidden(&html, "csrf");
    let body = upload_body(&csrf, "p.csv", &participants_csv("920315-2344"), "", "");
    let r = post_upload(&t, &cookie, body).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_upload_without_the_csrf_token_is_refused() {
    let t = spawn_app().await;
    let cookie = web_login(&t, COACH).await;
    let body = upload_body("", "p.csv", &participants_csv("920315-2344"), "", "");
    let r = post_upload(&t, &cookie, body).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let body = upload_body(
        "not-the-token",
        "p.csv",
        &participants_csv("920315-2344"),
        "",
        "",
    );
    let r = post_upload(&t, &cookie, body).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_unreadable_or_too_large_file_is_named_on_the_form() {
    let t = spawn_app().await;
    let (cookie, csrf, r) = upload_as(&t, COACH, "lista.xlsx", b"this is not a workbook").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Det finns fel i formuläret"), "{html}");
    assert!(html.contains("Filen gick inte att läsa"), "{html}");
    assert!(
        html.contains("href=\"#file\""),
        "the summary leads to the field"
    );

    let r = post_upload(&t, &cookie, upload_body(&csrf, "tom.csv", b"", "", "")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Filen är tom"));

    // 21 MB of rows: refused before anything is read, in plain Swedish.
    let big = "900101-1239;Ada;Importsson\n".repeat(21 * 1024 * 1024 / 27 + 1);
    let r = post_upload(
        &t,
        &cookie,
        upload_body(&csrf, "stor.csv", big.as_bytes(), "", ""),
    )
    .await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let html = r.text().await.unwrap();
    assert!(html.contains("Filen är för stor"), "{html}");
    assert!(html.contains("högst 20 MB"), "{html}");
}

#[tokio::test]
async fn the_mapping_is_guessed_from_the_headers_and_another_users_upload_is_not_found() {
    let t = spawn_app().await;
    let (cookie, csrf, r) =
        upload_as(&t, COACH, "deltagare.csv", &participants_csv("920315-2344")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let mapping = location(&r);
    assert!(mapping.starts_with("/import/"), "{mapping}");

    let html = get_page(&t, &mapping, &cookie).await.text().await.unwrap();
    for field in [
        "identity_number",
        "given_name",
        "family_name",
        "gender",
        "project",
        "enrolled_on",
    ] {
        assert!(
            selected(&html, field),
            "{field} guessed from its Swedish header"
        );
    }
    assert!(html.contains("Används inte"));
    assert!(html.contains("3/2 2025"), "the first values are shown");

    // A field chosen for two columns is named at the second.
    let id = mapping.trim_start_matches("/import/").to_owned();
    let form = [
        ("csrf", csrf.as_str()),
        ("sheet", "0"),
        ("kind", "participants"),
        ("project_id", ""),
        ("column.0", "identity_number"),
        ("column.1", "given_name"),
        ("column.2", "given_name"),
    ];
    let r = post_form(&t, &mapping, &cookie, &form).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Kolumn C: ”Förnamn” är redan valt för kolumn B"),
        "{html}"
    );
    assert!(html.contains("href=\"#column-2\""));

    // Another coach of the same organisation knows the address: not found, on every step.
    let other = web_login(&t, "coach2@demo.stegvis.se").await;
    let other_csrf = hidden(
        &get_page(&t, "/import", &other).await.text().await.unwrap(),
        "csrf",
    );
    for path in [
        format!("/import/{id}"),
        format!("/import/{id}/check"),
        format!("/import/{id}/done"),
        format!("/import/{id}/rejected.csv"),
    ] {
        let r = get_page(&t, &path, &other).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
    for path in [format!("/import/{id}"), format!("/import/{id}/run")] {
        let r = post_form(
            &t,
            &path,
            &other,
            &[("csrf", &other_csrf), ("mode", "good_rows")],
        )
        .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
    // An id that was never given out, and one that is not an id.
    let r = get_page(&t, "/import/0190a4c6-0000-7000-8000-000000000000", &cookie).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = get_page(&t, "/import/nothing", &cookie).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

/// The whole way: upload, mapping, a dry run with a problem at its row and column, the good rows
/// imported and the rejected one downloaded, the corrected file imported, and again: nothing new.
#[tokio::test]
async fn a_file_is_checked_imported_in_part_then_whole_and_again_adds_nothing() {
    let t = spawn_app().await;
    let api = t.token(COACH).await;
    let before = t.participant_count(&api).await;

    // Row 3 has a wrong check digit (…-2345 instead of …-2344).
    let (cookie, csrf, r) =
        upload_as(&t, COACH, "deltagare.csv", &participants_csv("920315-2345")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let mapping = location(&r);
    let html = get_page(&t, &mapping, &cookie).await.text().await.unwrap();
    let mut form: Vec<(String, String)> = vec![
        ("csrf".into(), csrf.clone()),
        ("sheet".into(), hidden(&html, "sheet")),
        ("kind".into(), hidden(&html, "kind")),
        ("project_id".into(), String::new()),
    ];
    let fields = [
        "identity_number",
        "given_name",
        "family_name",
        "gender",
        "project",
        "enrolled_on",
    ];
    for (i, f) in fields.iter().enumerate() {
        form.push((format!("column.{i}"), (*f).to_owned()));
    }
    let form: Vec<(&str, &str)> = form.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let r = post_form(&t, &mapping, &cookie, &form).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let check = location(&r);
    assert!(check.ends_with("/check"));

    let html = get_page(&t, &check, &cookie).await.text().await.unwrap();
    assert!(html.contains("<caption>Alla fel (1)</caption>"), "{html}");
    assert!(
        html.contains("<th scope=\"row\" class=\"num\">3</th>\n      <td>Personnummer</td>\n      <td>920315-2345</td>"),
        "the problem at row 3, column Personnummer: {html}"
    );
    assert!(html.contains("Importera bara raderna utan fel"));
    assert_eq!(
        t.participant_count(&api).await,
        before,
        "a dry run writes nothing"
    );

    // The whole file is refused while it has a problem.
    let id_path = check.trim_end_matches("/check").to_owned();
    let run = format!("{id_path}/run");
    let r = post_form(
        &t,
        &run,
        &cookie,
        &[("csrf", &csrf), ("mode", "whole_or_nothing")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let done = location(&r);
    let html = get_page(&t, &done, &cookie).await.text().await.unwrap();
    assert!(html.contains("Ingenting importerades"), "{html}");
    assert_eq!(t.participant_count(&api).await, before);

    // The good rows: Ada is imported, Bo comes back as a file to fix.
    let r = post_form(&t, &run, &cookie, &[("csrf", &csrf), ("mode", "good_rows")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = get_page(&t, &done, &cookie).await.text().await.unwrap();
    assert!(html.contains("Importen är klar"), "{html}");
    assert!(html.contains("rejected.csv"));
    assert_eq!(t.participant_count(&api).await, before + 1);

    let r = get_page(&t, &format!("{id_path}/rejected.csv"), &cookie).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()[CONTENT_TYPE], "text/csv; charset=utf-8");
    let disposition = r.headers()[CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(disposition.contains(".csv"), "{disposition}");
    let csv = r.text().await.unwrap();
    assert!(csv.contains("920315-2345"), "{csv}");
    assert!(!csv.contains("900101-1239"), "only the rejected row: {csv}");

    // The corrected file, whole: Bo is added, Ada is already there.
    let fixed = participants_csv("920315-2344");
    let r = post_upload(
        &t,
        &cookie,
        upload_body(&csrf, "deltagare.csv", &fixed, "", ""),
    )
    .await;
    let mapping = location(&r);
    let r = post_form(&t, &mapping, &cookie, &form).await;
    let check = location(&r);
    let html = get_page(&t, &check, &cookie).await.text().await.unwrap();
    assert!(html.contains("Inga fel hittades"), "{html}");
    let run = check.replace("/check", "/run");
    let r = post_form(
        &t,
        &run,
        &cookie,
        &[("csrf", &csrf), ("mode", "whole_or_nothing")],
    )
    .await;
    let html = get_page(&t, &location(&r), &cookie)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Importen är klar"), "{html}");
    assert_eq!(t.participant_count(&api).await, before + 2);

    // The same file again: nothing new, and the pages say so.
    let r = post_upload(
        &t,
        &cookie,
        upload_body(&csrf, "deltagare.csv", &fixed, "", ""),
    )
    .await;
    let mapping = location(&r);
    // The organisation's mapping is remembered.
    let html = get_page(&t, &mapping, &cookie).await.text().await.unwrap();
    assert!(selected(&html, "enrolled_on"));
    let r = post_form(&t, &mapping, &cookie, &form).await;
    let check = location(&r);
    let html = get_page(&t, &check, &cookie).await.text().await.unwrap();
    assert!(html.contains("en import lägger inte till något"), "{html}");
    let run = check.replace("/check", "/run");
    let r = post_form(
        &t,
        &run,
        &cookie,
        &[("csrf", &csrf), ("mode", "whole_or_nothing")],
    )
    .await;
    let html = get_page(&t, &location(&r), &cookie)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("ingenting nytt lades till"), "{html}");
    assert_eq!(t.participant_count(&api).await, before + 2);
}
