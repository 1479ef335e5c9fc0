//! The UI language: Swedish first, English by choice (remembered in a cookie) or Accept-Language.

use axum::http::HeaderMap;

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
    }
}
