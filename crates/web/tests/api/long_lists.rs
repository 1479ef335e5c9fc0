//! Issue #13: the long lists (referrals, follow-ups due) come a page at a time by keyset. Walked
//! page by page they give the rows of the whole list, in order, each once; a page audits only
//! the rows it shows; a bad cursor or limit is refused at its name before anything is written.

use crate::forms::{get_page, web_login_with};
use crate::support::*;
use reqwest::StatusCode;
use serde_json::Value;
use std::collections::HashSet;

/// Walks `path` in small pages and compares with the whole list in one page (the list as it
/// was before paging; the data sets here hold fewer than 200 rows) and with the default pages.
/// `per_row`: every row shown is audited on its own (received referrals), else one event a page.
pub async fn pages_match_the_whole_list(t: &TestApp, token: &str, path: &str, per_row: bool) {
    let sep = if path.contains('?') { '&' } else { '?' };
    let r = t.get(token, &format!("{path}{sep}limit=200")).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    assert_eq!(next_link(&r), None, "{path}: one page holds it all");
    let whole: Vec<Value> = r.json().await.unwrap();
    assert!(!whole.is_empty(), "{path}");

    let default = t.walk(token, path).await;
    assert!(default.iter().all(|p| p.len() <= 50), "{path}: 50 a page");
    assert_eq!(default.concat(), whole, "{path}: the default pages");

    let small = if whole.len() > 14 { 7 } else { 1 };
    let mut rows: Vec<Value> = Vec::new();
    let mut pages = 0;
    let mut next = Some(format!("{path}{sep}limit={small}"));
    while let Some(page_path) = next {
        let before = t.app.audit_event_count().await.unwrap();
        let r = t.get(token, &page_path).await;
        assert_eq!(r.status(), StatusCode::OK, "{page_path}");
        next = next_link(&r);
        let page: Vec<Value> = r.json().await.unwrap();
        let written = t.app.audit_event_count().await.unwrap() - before;
        let expected = 1 + if per_row { page.len() as i64 } else { 0 };
        assert_eq!(written, expected, "{page_path}: events for the rows shown");
        if next.is_some() {
            assert_eq!(
                page.len(),
                small,
                "{page_path}: a full page before the last"
            );
        }
        assert!(page.len() <= small, "{page_path}");
        rows.extend(page);
        pages += 1;
    }
    assert_eq!(rows, whole, "{path}: the small pages, in order");
    assert_eq!(
        pages,
        whole.len().div_ceil(small),
        "{path}: no empty last page"
    );
    let ids: HashSet<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), rows.len(), "{path}: each row once");
}

#[tokio::test]
async fn a_bad_cursor_or_limit_is_refused_at_its_name_and_writes_nothing() {
    let t = spawn_app().await;
    let coach = t.token(COACH).await;
    let partner = t.token(PARTNER).await;
    let other = t.token(OTHER_COACH).await;
    let unknown = uuid::Uuid::now_v7();
    let mut cases = vec![
        (
            coach.clone(),
            "/api/v1/follow-ups?after=nonsense".to_owned(),
            "after",
        ),
        (
            coach.clone(),
            format!("/api/v1/follow-ups?after={unknown}"),
            "after",
        ),
        (
            partner.clone(),
            "/api/v1/referrals?after=nonsense".to_owned(),
            "after",
        ),
        // The document says a uuid: an empty cursor is no cursor, not the first page.
        (
            coach.clone(),
            "/api/v1/follow-ups?after=".to_owned(),
            "after",
        ),
        (
            partner.clone(),
            "/api/v1/referrals?after=".to_owned(),
            "after",
        ),
        (
            partner.clone(),
            format!("/api/v1/referrals?after={unknown}"),
            "after",
        ),
        (
            coach.clone(),
            "/api/v1/referrals?limit=0".to_owned(),
            "limit",
        ),
        (
            coach.clone(),
            "/api/v1/follow-ups?limit=201".to_owned(),
            "limit",
        ),
        (
            coach.clone(),
            "/api/v1/referrals?limit=many".to_owned(),
            "limit",
        ),
    ];
    // A row of one organisation's list is no cursor in another's.
    let due: Vec<Value> = t
        .get(&coach, "/api/v1/follow-ups?within_days=366&limit=1")
        .await
        .json()
        .await
        .unwrap();
    if let Some(f) = due.first() {
        let id = f["id"].as_str().unwrap();
        cases.push((
            other.clone(),
            format!("/api/v1/follow-ups?after={id}"),
            "after",
        ));
        cases.push((
            coach.clone(),
            format!("/api/v1/referrals?after={id}"),
            "after",
        ));
    }
    for (token, path, field) in cases {
        let before = t.app.audit_event_count().await.unwrap();
        let r = t.get(&token, &path).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        let problem: Value = r.json().await.unwrap();
        assert_eq!(problem["errors"][0]["field"], field, "{path}: {problem}");
        assert_eq!(
            t.app.audit_event_count().await.unwrap(),
            before,
            "{path}: nothing written"
        );
    }
}

/// The URL of a page's "Visa fler" link, if it has one.
fn more_link(html: &str, list: &str) -> Option<String> {
    let key = format!("href=\"{list}?after=");
    let start = html.find(&key)? + key.len() - "?after=".len() - list.len();
    Some(html[start..].split('"').next().unwrap().to_owned())
}

/// The HTML list at `list` shows 50 a page with "Visa fler" to the next and "Till första
/// sidan" back, and its pages together show every row the API's pages at `api` give.
/// `row` marks one row in the page's HTML.
pub async fn html_pages_show_more(
    t: &TestApp,
    (email, password): (&str, &str),
    list: &str,
    api: &str,
    row: &str,
) {
    let token = t.token(email).await;
    let rows: usize = t.walk(&token, api).await.iter().map(Vec::len).sum();
    let cookie = web_login_with(t, email, password).await;
    let (mut seen, mut pages) = (0, 0);
    let mut next = Some(list.to_owned());
    while let Some(path) = next {
        let r = get_page(t, &path, &cookie).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let html = r.text().await.unwrap();
        pages += 1;
        assert_eq!(
            html.contains("Till första sidan"),
            pages > 1,
            "{path}: the way back from a later page"
        );
        next = more_link(&html, list);
        assert_eq!(html.contains("Visa fler"), next.is_some(), "{path}");
        seen += html.matches(row).count();
    }
    assert_eq!(seen, rows, "{list}: every row once over {pages} pages");
    assert_eq!(pages, rows.div_ceil(50).max(1), "{list}");
}
