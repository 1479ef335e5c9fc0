//! Security headers on every response, also those answered before a session is known (a refused
//! form, a too-large body, the style sheet, `/healthz`).

use axum::http::{HeaderName, HeaderValue, header};
use axum::response::Response;

const PERMISSIONS_POLICY: HeaderName = HeaderName::from_static("permissions-policy");

pub async fn secure(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Browsers honour HSTS only over HTTPS, which a municipal deployment terminates in front of
    // Stegvis; over plain loopback HTTP it is ignored, so it is always sent.
    h.insert(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static("max-age=31536000; includeSubDomains"),
    );
    // Stegvis uses no camera, microphone, position, payment or USB: no page may ask for them.
    h.insert(
        PERMISSIONS_POLICY,
        HeaderValue::from_static(
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
        ),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        // Pages and API answers hold personal data: never cached.
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
