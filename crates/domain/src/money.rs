//! Money in whole Swedish kronor.

use serde::{Deserialize, Serialize};

/// An amount in whole SEK (the funder reports whole kronor).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Sek(pub i64);

impl Sek {
    /// Swedish formatting with a space as thousands separator: `4 341 993 kr`.
    pub fn display_sv(self) -> String {
        let digits = self.0.unsigned_abs().to_string();
        let mut out = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push('\u{a0}');
            }
            out.push(ch);
        }
        let sign = if self.0 < 0 { "−" } else { "" };
        format!("{sign}{out}\u{a0}kr")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_thousand_separators() {
        assert_eq!(Sek(4_341_993).display_sv(), "4\u{a0}341\u{a0}993\u{a0}kr");
        assert_eq!(Sek(100).display_sv(), "100\u{a0}kr");
        assert_eq!(Sek(0).display_sv(), "0\u{a0}kr");
        assert_eq!(Sek(-1000).display_sv(), "−1\u{a0}000\u{a0}kr");
    }
}
