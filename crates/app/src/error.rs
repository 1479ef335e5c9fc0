//! The use-case error, with messages in Swedish and English for the web layer to pick from.

use stegvis_store::StoreError;

/// A message in both UI languages.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Text {
    pub sv: String,
    pub en: String,
}

impl Text {
    pub fn new(sv: impl Into<String>, en: impl Into<String>) -> Self {
        Text {
            sv: sv.into(),
            en: en.into(),
        }
    }

    /// From a domain error's `message(lang)`.
    pub fn from_messages(message: impl Fn(&str) -> &'static str) -> Self {
        Text::new(message("sv"), message("en"))
    }

    pub fn get(&self, lang: &str) -> &str {
        if lang == "en" { &self.en } else { &self.sv }
    }
}

/// One invalid input field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: Text,
}

impl FieldError {
    pub fn new(field: &str, message: Text) -> Self {
        FieldError {
            field: field.to_owned(),
            message,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Bad input: nothing was stored (422).
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// Unknown, or not visible to this actor (404): never tells which.
    #[error("not found")]
    NotFound,
    /// The actor may not use this function at all (403).
    #[error("forbidden")]
    Forbidden,
    #[error("not logged in")]
    Unauthenticated,
    #[error("too many attempts")]
    TooManyAttempts,
    /// The record exists already or changed meanwhile (409).
    #[error("conflict")]
    Conflict(Text),
    /// A stored value cannot be read (an unknown code, an identity number that does not
    /// decrypt): said plainly, never shown as a default (500).
    #[error("unreadable stored value: {0:?}")]
    Unreadable(Text),
    /// The database stayed busy for the whole wait (every connection taken): try again (503).
    #[error("busy")]
    Busy,
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn field(field: &str, message: Text) -> Self {
        AppError::Invalid(vec![FieldError::new(field, message)])
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Stale => AppError::Conflict(Text::new(
                "Någon annan ändrade uppgifterna samtidigt. Ladda om sidan och försök igen.",
                "Someone else changed the record at the same time. Reload and try again.",
            )),
            StoreError::Conflict(_) => AppError::Conflict(Text::new(
                "Uppgiften finns redan.",
                "The record already exists.",
            )),
            StoreError::Corrupt(what) => {
                tracing::error!(%what, "a stored value cannot be read");
                AppError::Unreadable(Text::new(
                    format!("En sparad uppgift kan inte läsas ({what})."),
                    format!("A stored value cannot be read ({what})."),
                ))
            }
            StoreError::Busy => AppError::Busy,
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<stegvis_crypto::CryptoError> for AppError {
    fn from(e: stegvis_crypto::CryptoError) -> Self {
        AppError::Internal(format!("crypto: {e}"))
    }
}
