use super::*;
use fluent_syntax::ast;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn locales() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("locales")
}

/// Every message and term of every file of one language, as `file: key`.
fn keys(lang: Language) -> BTreeSet<String> {
    let dir = locales().join(lang.code());
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("ftl") {
            continue;
        }
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let source = std::fs::read_to_string(&path).unwrap();
        let resource = fluent_syntax::parser::parse(source.as_str())
            .unwrap_or_else(|(_, errors)| panic!("{}: {errors:?}", path.display()));
        for entry in resource.body {
            match entry {
                ast::Entry::Message(m) => {
                    out.insert(format!("{file}: {}", m.id.name));
                    for a in m.attributes {
                        out.insert(format!("{file}: {}.{}", m.id.name, a.id.name));
                    }
                }
                ast::Entry::Term(t) => {
                    out.insert(format!("{file}: -{}", t.id.name));
                }
                _ => {}
            }
        }
    }
    out
}

#[test]
fn every_key_exists_in_every_language() {
    let swedish = keys(Language::Sv);
    assert!(swedish.len() > 1, "Swedish has texts");
    for lang in Language::ALL {
        let other = keys(lang);
        let missing: Vec<_> = swedish.difference(&other).collect();
        let extra: Vec<_> = other.difference(&swedish).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{}: missing {missing:?}, not in Swedish {extra:?}",
            lang.code()
        );
    }
}

#[test]
fn every_language_has_a_folder_and_nothing_else_does() {
    let folders: BTreeSet<String> = std::fs::read_dir(locales())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let known: BTreeSet<String> = Language::ALL.iter().map(|l| l.code().to_owned()).collect();
    assert_eq!(folders, known);
}

#[test]
fn lookups_answer_in_the_language_asked() {
    assert_eq!(text(Language::Sv, "language-name"), "Svenska");
    assert_eq!(text(Language::Ar, "language-name"), "العربية");
    assert_eq!(Language::Ar.dir(), "rtl");
    assert_eq!(Language::So.dir(), "ltr");
    assert_eq!(text(Language::En, "no-such-key"), "no-such-key");
}

#[test]
fn accept_language_picks_the_first_supported() {
    assert_eq!(
        Language::from_accept_language("de-DE, ar-SE;q=0.9, sv;q=0.5"),
        Some(Language::Ar)
    );
    assert_eq!(Language::from_accept_language("de, fr"), None);
}
