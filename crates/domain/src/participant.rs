//! Participants: gender as ESF+ records it, and how a person is identified.

use crate::identity::{IdentityError, IdentityNumber};
use time::Date;

crate::code_list!(
    /// Gender as the participant states it (ESF+: women / men / non-binary). Never derived from the
    /// identity number.
    Gender, "gender" {
        Woman => "woman", "Kvinna", "Woman";
        Man => "man", "Man", "Man";
        NonBinary => "non_binary", "Icke-binär", "Non-binary";
    }
);

crate::code_list!(
    /// How a participant is identified.
    IdentityMode, "identity mode" {
        Number => "number", "Personnummer eller samordningsnummer", "Identity number";
        Protected => "protected", "Skyddad identitet", "Protected identity";
        NoNumber => "none", "Saknar nummer", "No number";
    }
);

/// A participant's identity as entered: a checked number, protected identity, or no number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdentityInput {
    Number(IdentityNumber),
    Protected,
    NoNumber,
}

impl IdentityInput {
    /// Parses the form's mode and number; the number is required only in `Number` mode.
    pub fn parse(mode: IdentityMode, number: &str, today: Date) -> Result<Self, IdentityError> {
        match mode {
            IdentityMode::Number => IdentityNumber::parse(number, today).map(Self::Number),
            IdentityMode::Protected => Ok(Self::Protected),
            IdentityMode::NoNumber => Ok(Self::NoNumber),
        }
    }

    pub fn mode(&self) -> IdentityMode {
        match self {
            Self::Number(_) => IdentityMode::Number,
            Self::Protected => IdentityMode::Protected,
            Self::NoNumber => IdentityMode::NoNumber,
        }
    }
}

/// The stored search form of a name: given and family name, folded by [`fold_for_search`].
pub fn search_key(given_name: &str, family_name: &str) -> String {
    fold_for_search(&format!("{given_name} {family_name}"))
}

/// Folds a name, or a search for one, so that both compare as plain strings in SQL (SQLite's
/// `lower()` only folds ASCII): lower case, accents dropped (é → e, ü → u, ñ → n) except on
/// å, ä and ö, which are letters of their own in Swedish; æ → ä and ø → ö, their Danish and
/// Norwegian spellings; whitespace collapsed. The same function serves the stored
/// `search_name` and the query, so the two cannot drift. Changing it changes what existing rows
/// must hold: raise [`SEARCH_KEY_VERSION`].
pub fn fold_for_search(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.to_lowercase().nfd() {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if is_combining_mark(c) {
            // Only ring above on a, and diaeresis on a and o, make a letter of their own.
            let letter = match (out.chars().last(), c) {
                (Some('a'), '\u{30a}') => 'å',
                (Some('a'), '\u{308}') => 'ä',
                (Some('o'), '\u{308}') => 'ö',
                _ => continue,
            };
            out.pop();
            out.push(letter);
            continue;
        }
        if std::mem::take(&mut space) {
            out.push(' ');
        }
        out.push(match c {
            'æ' => 'ä',
            'ø' => 'ö',
            c => c,
        });
    }
    out
}

/// The version of [`fold_for_search`] that stored `search_name` values were made with; the
/// store refolds older rows at start.
pub const SEARCH_KEY_VERSION: i64 = 2;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_key_folds_swedish_letters() {
        assert_eq!(search_key(" Åsa ", "Öberg  Ek"), "åsa öberg ek");
    }

    #[test]
    fn folding_keeps_a_ring_and_dots_and_drops_other_accents() {
        assert_eq!(fold_for_search("  Åsa   öBERG "), "åsa öberg");
        assert_eq!(
            fold_for_search("A\u{30a}sa O\u{308}st a\u{308}"),
            "åsa öst ä"
        );
        assert_eq!(
            fold_for_search("Renée Müller José Núñez"),
            "renee muller jose nunez"
        );
        assert_eq!(fold_for_search("Søren Ærø"), "sören ärö");
        assert_eq!(fold_for_search("Zoë Ü É ÿ"), "zoe u e y");
        assert_eq!(fold_for_search("100%_x\t\ny"), "100%_x y");
        assert_eq!(fold_for_search("İstanbul"), "istanbul");
        assert_eq!(fold_for_search(""), "");
    }

    proptest::proptest! {
        /// Folding twice changes nothing, so a folded query matches a folded name.
        #[test]
        fn folding_is_idempotent(s in "\\PC{0,20}") {
            let once = fold_for_search(&s);
            proptest::prop_assert_eq!(fold_for_search(&once), once);
        }
    }

    #[test]
    fn gender_codes_round_trip() {
        for g in Gender::ALL {
            assert_eq!(Gender::from_code(g.code()).unwrap(), *g);
        }
        assert!(Gender::from_code("female").is_err());
    }
}
