//! Mapping use-case errors to problem+json (API) and to pages in the user's language (UI).

use crate::Lang;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use stegvis_app::AppError;
use utoipa::ToSchema;

/// One invalid field in a problem response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemField {
    pub field: String,
    pub message: String,
}

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
}

/// What a 503 (busy) asks the client to wait, in seconds.
pub const RETRY_AFTER_SECONDS: &str = "2";

pub fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
        AppError::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
        AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::Internal(_) | AppError::Unreadable(_) => StatusCode::INTERNAL_SERVER_ERROR,
        AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// Title and detail of an error for people.
pub fn describe(e: &AppError, lang: Lang) -> (&'static str, String) {
    let l = lang;
    match e {
        AppError::Invalid(_) => (
            l.t("Ogiltiga uppgifter", "Invalid input"),
            l.t(
                "Rätta de markerade fälten. Inget har sparats.",
                "Correct the marked fields. Nothing was saved.",
            )
            .into(),
        ),
        AppError::NotFound => (
            l.t("Hittades inte", "Not found"),
            l.t(
                "Uppgiften finns inte, eller så har du inte behörighet att se den.",
                "The record does not exist, or you may not see it.",
            )
            .into(),
        ),
        AppError::Forbidden => (
            l.t("Ingen behörighet", "Forbidden"),
            l.t(
                "Din roll får inte använda den här funktionen.",
                "Your role may not use this function.",
            )
            .into(),
        ),
        AppError::Unauthenticated => (
            l.t("Inte inloggad", "Not logged in"),
            l.t("Logga in för att fortsätta.", "Log in to continue.")
                .into(),
        ),
        AppError::TooManyAttempts => (
            l.t("För många försök", "Too many attempts"),
            l.t(
                "Vänta en kvart och försök igen.",
                "Wait fifteen minutes and try again.",
            )
            .into(),
        ),
        AppError::Conflict(t) => (l.t("Konflikt", "Conflict"), t.get(l.code()).to_owned()),
        AppError::Unreadable(t) => (
            l.t(
                "En sparad uppgift kan inte läsas",
                "A stored value cannot be read",
            ),
            format!(
                "{} {}",
                t.get(l.code()),
                l.t(
                    "Inget har visats eller ändrats. Kontakta den som förvaltar Stegvis hos er.",
                    "Nothing was shown or changed. Contact whoever runs Stegvis for you.",
                )
            ),
        ),
        AppError::Busy => (
            l.t("Hög belastning", "Busy"),
            l.t(
                "Stegvis har många förfrågningar just nu. Inget har sparats. Försök igen om några sekunder.",
                "Stegvis is handling many requests right now. Nothing was saved. Try again in a few seconds.",
            )
            .into(),
        ),
        AppError::Internal(_) => (
            l.t("Något gick fel", "Something went wrong"),
            l.t(
                "Ett fel uppstod hos oss. Inget har sparats. Försök igen om en stund.",
                "An error occurred on our side. Nothing was saved. Try again in a while.",
            )
            .into(),
        ),
    }
}

/// An API error in the caller's language.
pub struct ApiError(pub AppError, pub Lang);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let ApiError(e, lang) = self;
        if let AppError::Internal(msg) = &e {
            tracing::error!(error = %msg, "internal error");
        }
        let status = status_of(&e);
        let (title, detail) = describe(&e, lang);
        let errors = match &e {
            AppError::Invalid(fields) => fields
                .iter()
                .map(|f| ProblemField {
                    field: f.field.clone(),
                    message: f.message.get(lang.code()).to_owned(),
                })
                .collect(),
            _ => Vec::new(),
        };
        let problem = Problem {
            kind: "about:blank".into(),
            title: title.into(),
            status: status.as_u16(),
            detail,
            errors,
        };
        let mut response = (status, axum::Json(problem)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from_static(RETRY_AFTER_SECONDS),
            );
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_database_is_503_with_retry_after() {
        let response = ApiError(AppError::Busy, Lang::En).into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            response.headers().get(header::RETRY_AFTER).unwrap(),
            RETRY_AFTER_SECONDS
        );
    }
}
