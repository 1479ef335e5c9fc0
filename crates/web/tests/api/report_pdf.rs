//! The project report as PDF over real HTTP: the numbers read back out of the file (with
//! poppler's `pdftotext`) are the JSON report's, the published one hides exactly what the
//! published CSV hides, and no name leaves in it. Without the `pdf` feature the download
//! explains itself instead.

use crate::forms::{get_page, web_login};
use crate::support::*;
use reqwest::StatusCode;

const PROJECT: &str = "Nästa steg (demoprojekt)";

#[cfg(feature = "pdf")]
mod with_pdf {
    use super::*;
    use serde_json::Value;

    /// The text of a PDF, laid out as on the page (a table row stays on one line), by
    /// poppler's `pdftotext`: an extractor that knows nothing of how the file was made.
    fn pdf_text(pdf: &[u8]) -> String {
        let dir = std::env::temp_dir().join(format!("stegvis-pdf-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("report.pdf");
        std::fs::write(&file, pdf).unwrap();
        let out = std::process::Command::new("pdftotext")
            .args(["-layout", "-enc", "UTF-8"])
            .arg(&file)
            .arg("-")
            .output()
            .unwrap_or_else(|e| {
                panic!("pdftotext (Debian's poppler-utils; see scripts/install-deps): {e}")
            });
        let _ = std::fs::remove_dir_all(&dir);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// The PDF of the report, checked as a download: status, type, file name.
    async fn download(
        t: &TestApp,
        project: &str,
        cookie: &str,
        query: &str,
        lang: &str,
        filename: &str,
    ) -> Vec<u8> {
        let r = t
            .http
            .get(format!(
                "{}/projects/{project}/report/export?format=pdf{query}",
                t.base
            ))
            .header(reqwest::header::COOKIE, cookie)
            .header(reqwest::header::ACCEPT_LANGUAGE, lang)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        assert_eq!(
            r.headers()["content-disposition"],
            format!("attachment; filename=\"{filename}\"").as_str()
        );
        let bytes = r.bytes().await.unwrap().to_vec();
        assert!(bytes.starts_with(b"%PDF-"));
        bytes
    }

    /// The words of the first line under the table captioned `caption` that starts with
    /// `start` (after indentation): a table's row, not a chart's label above it.
    fn row<'a>(text: &'a str, caption: &str, start: &str) -> Vec<&'a str> {
        text.lines()
            .skip_while(|l| l.trim() != caption)
            .map(str::trim_start)
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("no {start:?} under {caption:?} in:\n{text}"))
            .split_whitespace()
            .collect()
    }

    const INDICATORS: &str = "Gemensamma indikatorer per kön";
    const COUNTED: &str = "Inskrivningar som räknas och som inte räknas än, per kön";

    /// The last four words of a row: women, men, non-binary, total.
    fn last_four<'a>(words: &[&'a str]) -> Vec<&'a str> {
        words[words.len() - 4..].to_vec()
    }

    /// [women, men, non-binary, total] of a count in the JSON report, as text.
    fn by_gender(c: &Value) -> Vec<String> {
        let n = |k: &str| c[k].as_u64().unwrap();
        let (w, m, nb) = (n("women"), n("men"), n("non_binary"));
        [w, m, nb, w + m + nb].map(|n| n.to_string()).to_vec()
    }

    #[tokio::test]
    async fn the_pdf_report_carries_the_numbers_of_the_json_report_and_no_names() {
        let t = spawn_app().await;
        let coach = t.token(COACH).await;
        let project = t.project_id(&coach, PROJECT).await;
        // Someone not counted yet (no date of birth, baseline not answered), by name.
        let r = t
            .post(
                &coach,
                "/api/v1/participants",
                &serde_json::json!({"identity_mode": "none", "given_name": "Hemliga", "family_name": "Namnsdotter", "gender": "woman", "project_id": project, "enrolled_on": t.app.today().to_string()}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
        let json: Value = t
            .get(&coach, &format!("/api/v1/projects/{project}/report"))
            .await
            .json()
            .await
            .unwrap();
        let cookie = web_login(&t, COACH).await;
        let page = get_page(&t, &format!("/projects/{project}/report"), &cookie)
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("report/export?format=pdf\""), "the link");
        assert!(page.contains("Ladda ner som PDF"));

        let text = pdf_text(&download(&t, &project, &cookie, "", "sv", "rapport.pdf").await);
        assert!(
            text.contains(&format!("Mål och indikatorer: {PROJECT}")),
            "{text}"
        );
        assert!(text.contains(&format!("Gjord i Stegvis den {}", t.app.today())));
        assert!(!text.contains("Publicerad rapport"));

        // Every indicator, and the participants not counted yet, as in the JSON report.
        let indicators = json["indicators"].as_array().unwrap();
        assert!(indicators.len() > 10);
        for i in indicators {
            let code = i["code"].as_str().unwrap();
            let words = row(&text, INDICATORS, &format!("{code} "));
            assert_eq!(last_four(&words), by_gender(&i["count"]), "{code}");
        }
        let eeco01 = indicators.iter().find(|i| i["code"] == "EECO01").unwrap();
        assert_ne!(
            by_gender(&eeco01["count"])[3],
            "0",
            "the demo counts someone"
        );
        assert_eq!(
            last_four(&row(&text, COUNTED, "Ej räknade")),
            by_gender(&json["incomplete"])
        );
        assert_eq!(
            last_four(&row(&text, COUNTED, "Räknade:")),
            by_gender(&json["counted"])
        );
        // Each goal's achieved by gender, in its row.
        for g in json["goals"].as_array().unwrap() {
            let name = g["name"].as_str().unwrap();
            let start: String = name.chars().take(10).collect();
            let words = row(&text, "Mål, uppnått per kön", &start);
            let want = by_gender(&g["achieved"]);
            assert!(
                words.windows(4).any(|w| w == want),
                "{name}: {want:?} in {words:?}"
            );
        }
        // Enrolments by month: every month's row.
        for m in json["enrolments_by_month"].as_array().unwrap() {
            let label = m["label"].as_str().unwrap();
            assert_eq!(
                last_four(&row(
                    &text,
                    "Inskrivningar per månad och kön",
                    &format!("{label} ")
                )),
                by_gender(&m["count"]),
                "{label}"
            );
        }
        // The file leaves the organisation: the people not counted yet are not named in it.
        let names: Vec<&str> = json["incomplete_participants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert!(names.contains(&"Hemliga Namnsdotter"), "{names:?}");
        for name in names {
            assert!(!text.contains(name), "{name} is in the PDF");
        }

        // In English when the browser asks for English.
        let english = pdf_text(&download(&t, &project, &cookie, "", "en", "report.pdf").await);
        assert!(english.contains(&format!("Goals and indicators: {PROJECT}")));
        assert_eq!(
            last_four(&row(&english, "Common indicators by gender", "EECO01 ")),
            by_gender(&eeco01["count"])
        );

        // Another organisation's coach gets the report's 404, not a PDF.
        let other = web_login(&t, OTHER_COACH).await;
        let r = get_page(
            &t,
            &format!("/projects/{project}/report/export?format=pdf"),
            &other,
        )
        .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn the_published_pdf_hides_the_same_small_cells_as_the_published_csv() {
        let t = spawn_app().await;
        let coach = t.token(COACH).await;
        let project = t.project_id(&coach, PROJECT).await;
        let cookie = web_login(&t, COACH).await;
        let page = get_page(
            &t,
            &format!("/projects/{project}/report?published=1"),
            &cookie,
        )
        .await
        .text()
        .await
        .unwrap();
        assert!(page.contains("report/export?format=pdf&amp;published=1\""));

        let text = pdf_text(
            &download(
                &t,
                &project,
                &cookie,
                "&published=1",
                "sv",
                "rapport-publicerad.pdf",
            )
            .await,
        );
        assert!(text.contains("Publicerad rapport"));
        let csv = get_page(
            &t,
            &format!("/projects/{project}/report/export?format=csv&published=1"),
            &cookie,
        )
        .await
        .text()
        .await
        .unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
        let mut small = 0;
        for record in reader.records() {
            let record = record.unwrap();
            let code = &record[0];
            if code.is_empty() || code.starts_with("Mål") {
                continue;
            }
            let want: Vec<&str> = (2..6).map(|i| &record[i]).collect();
            small += want.iter().filter(|c| **c == "<5").count();
            assert_eq!(
                last_four(&row(&text, INDICATORS, &format!("{code} "))),
                want,
                "{code}"
            );
        }
        assert!(small > 0, "the demo's 30 participants make cells under 5");
        assert!(text.contains("<5"));
        // No cell of 1–4 is printed anywhere in an indicator row.
        for line in text.lines().map(str::trim_start) {
            if line.starts_with("EEC") {
                for w in last_four(&line.split_whitespace().collect::<Vec<_>>()) {
                    if let Ok(n) = w.parse::<u64>() {
                        assert!(n == 0 || n >= 5, "{line}");
                    }
                }
            }
        }
    }
}

#[cfg(not(feature = "pdf"))]
#[tokio::test]
async fn without_the_pdf_feature_the_download_explains_itself_and_the_page_has_no_link() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let project = t.project_id(&coach, PROJECT).await;
    let cookie = web_login(&t, COACH).await;
    let r = get_page(
        &t,
        &format!("/projects/{project}/report/export?format=pdf"),
        &cookie,
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let html = r.text().await.unwrap();
    assert!(html.contains("PDF finns inte här"), "{html}");
    assert!(html.contains(&format!("/projects/{project}/report")));
    let page = get_page(&t, &format!("/projects/{project}/report"), &cookie)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("format=xlsx") && !page.contains("format=pdf"));
}
