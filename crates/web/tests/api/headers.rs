//! Every response carries the security headers: pages, the API, the style sheet, health, and a
//! form refused before any session is known.

use crate::support::*;
use reqwest::StatusCode;

fn assert_secure(r: &reqwest::Response, what: &str) {
    let h = r.headers();
    let get = |name: &str| {
        h.get(name)
            .unwrap_or_else(|| panic!("{what}: no {name}"))
            .to_str()
            .unwrap()
            .to_owned()
    };
    assert!(
        get("strict-transport-security").contains("max-age=31536000"),
        "{what}"
    );
    let permissions = get("permissions-policy");
    for feature in ["camera=()", "microphone=()", "geolocation=()"] {
        assert!(permissions.contains(feature), "{what}: {permissions}");
    }
    assert!(
        get("content-security-policy").contains("frame-ancestors 'none'"),
        "{what}"
    );
    assert_eq!(get("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(get("x-frame-options"), "DENY", "{what}");
}

#[tokio::test]
async fn every_kind_of_response_carries_the_security_headers() {
    let t = spawn_app().await;
    let token = t.token(COACH).await;
    let api = t.get(&token, "/api/v1/caseload").await;
    assert_eq!(api.status(), StatusCode::OK);
    assert_secure(&api, "API");
    assert_eq!(api.headers()["cache-control"], "no-store");

    for path in ["/login", "/static/style.css", "/healthz"] {
        let r = t
            .http
            .get(format!("{}{path}", t.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert_secure(&r, path);
    }
    // The style sheet keeps its own caching; everything else is never cached.
    let css = t
        .http
        .get(format!("{}/static/style.css", t.base))
        .send()
        .await
        .unwrap();
    assert!(
        css.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age")
    );

    // A form without its CSRF token is refused in the session layer, before any handler.
    let cookie = crate::forms::web_login(&t, COACH).await;
    let refused = t
        .http
        .post(format!("{}/participants", t.base))
        .header("cookie", cookie)
        .form(&[("given_name", "X")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_secure(&refused, "refused form");
}
