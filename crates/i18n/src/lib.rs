//! The texts a participant reads, in their own language: Fluent files under `locales/<lang>/`,
//! built into the binary. Staff pages stay Swedish and English (`Lang::t` in the web crate).
//!
//! Every key exists in every language (the test below fails otherwise), so a lookup that misses
//! is a bug; it shows the key rather than a blank.

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};
use std::borrow::Cow;
use std::collections::HashMap;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "sv",
        // No Unicode isolation marks around arguments: they show as boxes in some fonts and
        // break copy-paste of dates and numbers; the pages set `dir` themselves.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A language a participant can choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Language {
    #[default]
    Sv,
    En,
    Ar,
    So,
}

impl Language {
    /// Every language, in the order the chooser lists them.
    pub const ALL: [Language; 4] = [Language::Sv, Language::En, Language::Ar, Language::So];

    pub fn code(self) -> &'static str {
        match self {
            Language::Sv => "sv",
            Language::En => "en",
            Language::Ar => "ar",
            Language::So => "so",
        }
    }

    pub fn from_code(code: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The first supported language in an `Accept-Language` header.
    pub fn from_accept_language(header: &str) -> Option<Language> {
        header.split(',').find_map(|part| {
            let tag = part.split(';').next()?.trim().to_ascii_lowercase();
            let primary = tag.split('-').next()?;
            Language::from_code(primary)
        })
    }

    /// Writing direction for the `dir` attribute.
    pub fn dir(self) -> &'static str {
        match self {
            Language::Ar => "rtl",
            _ => "ltr",
        }
    }

    /// The language's name in itself, for the chooser.
    pub fn native_name(self) -> String {
        text(self, "language-name")
    }

    fn id(self) -> LanguageIdentifier {
        match self {
            Language::Sv => langid!("sv"),
            Language::En => langid!("en"),
            Language::Ar => langid!("ar"),
            Language::So => langid!("so"),
        }
    }
}

/// The text for `key`.
pub fn text(lang: Language, key: &str) -> String {
    LOCALES
        .try_lookup(&lang.id(), key)
        .unwrap_or_else(|| key.to_owned())
}

/// The text for `key` with its arguments (`{ $name }` in the Fluent file).
pub fn text_with(lang: Language, key: &str, args: &[(&'static str, Arg)]) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue<'_>> = args
        .iter()
        .map(|(name, value)| {
            let v = match value {
                Arg::Text(s) => FluentValue::from(s.as_str()),
                Arg::Number(n) => FluentValue::from(*n),
            };
            (Cow::Borrowed(*name), v)
        })
        .collect();
    LOCALES
        .try_lookup_with_args(&lang.id(), key, &args)
        .unwrap_or_else(|| key.to_owned())
}

/// An argument to a text.
#[derive(Debug, Clone)]
pub enum Arg {
    Text(String),
    Number(f64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_owned())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Arg::Number(n as f64)
    }
}

impl From<f64> for Arg {
    fn from(n: f64) -> Self {
        Arg::Number(n)
    }
}

#[cfg(test)]
mod tests;
