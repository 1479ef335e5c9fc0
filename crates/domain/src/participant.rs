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

/// Lower-cased, whitespace-folded form of a name for case-insensitive search in SQL (SQLite's
/// `lower()` only folds ASCII, so we fold in Rust for å, ä, ö and the rest).
pub fn search_key(given_name: &str, family_name: &str) -> String {
    format!("{given_name} {family_name}")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_key_folds_swedish_letters() {
        assert_eq!(search_key(" Åsa ", "Öberg  Ek"), "åsa öberg ek");
    }

    #[test]
    fn gender_codes_round_trip() {
        for g in Gender::ALL {
            assert_eq!(Gender::from_code(g.code()).unwrap(), *g);
        }
        assert!(Gender::from_code("female").is_err());
    }
}
