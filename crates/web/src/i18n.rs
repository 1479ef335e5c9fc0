//! The UI language: Swedish first, English by choice (remembered in a cookie) or Accept-Language.

use axum::http::HeaderMap;
pub use stegvis_i18n::Language;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Sv,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    /// Picks the Swedish or the English text; both stand side by side where they are used.
    pub fn t(self, sv: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Sv => sv,
            Lang::En => en,
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "sv" => Some(Lang::Sv),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The remembered choice, else the first of sv/en in Accept-Language, else Swedish.
    pub fn detect(cookie: Option<&str>, headers: &HeaderMap) -> Lang {
        if let Some(l) = cookie.and_then(Lang::from_code) {
            return l;
        }
        // A participant's choice of Arabic or Somali: staff pages are Swedish and English only,
        // so they show Swedish, the default.
        if cookie.and_then(Language::from_code).is_some() {
            return Lang::Sv;
        }
        let accept = headers
            .get("accept-language")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        for part in accept.split(',') {
            let tag = part
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if tag.starts_with("sv") {
                return Lang::Sv;
            }
            if tag.starts_with("en") {
                return Lang::En;
            }
        }
        Lang::Sv
    }
}

/// The participant's language on the portal: the remembered choice (any of the four), else the
/// first supported in Accept-Language, else Swedish.
pub fn detect_language(cookie: Option<&str>, headers: &HeaderMap) -> Language {
    if let Some(l) = cookie.and_then(Language::from_code) {
        return l;
    }
    headers
        .get("accept-language")
        .and_then(|v| v.to_str().ok())
        .and_then(Language::from_accept_language)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_wins_then_accept_language_then_swedish() {
        let mut h = HeaderMap::new();
        assert_eq!(Lang::detect(None, &h), Lang::Sv);
        h.insert(
            "accept-language",
            "de-DE, en-GB;q=0.8, sv;q=0.5".parse().unwrap(),
        );
        assert_eq!(Lang::detect(None, &h), Lang::En);
        assert_eq!(Lang::detect(Some("sv"), &h), Lang::Sv);
        assert_eq!(Lang::detect(Some("xx"), &h), Lang::En);
        // Staff pages show Swedish to someone who chose Arabic or Somali on the portal.
        assert_eq!(Lang::detect(Some("ar"), &h), Lang::Sv);
        assert_eq!(detect_language(Some("ar"), &h), Language::Ar);
        assert_eq!(detect_language(None, &h), Language::En);
        assert_eq!(detect_language(None, &HeaderMap::new()), Language::Sv);
    }
}
