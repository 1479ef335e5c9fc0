//! Money in whole Swedish kronor.

use serde::{Deserialize, Serialize};

/// An amount in whole SEK (the funder reports whole kronor).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// A rate in öre (hundredths of a krona), such as the value of a participant's hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Ore(pub i64);

/// Why an amount could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("not an amount in kronor")]
    NotAnAmount,
    #[error("more than two decimals")]
    TooPrecise,
    #[error("out of range")]
    OutOfRange,
}

impl Ore {
    /// The highest hourly value accepted (10 000 kr): anything above is a typing error.
    pub const MAX: Ore = Ore(1_000_000);

    /// Reads kronor as people write them: `113,75`, `113.75`, `1 200`, `113,75 kr`. Must be
    /// above zero and at most [`Ore::MAX`].
    pub fn parse_sv(input: &str) -> Result<Ore, AmountError> {
        let s: String = input
            .trim()
            .trim_end_matches("kr")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let (whole, frac) = match s.split_once([',', '.']) {
            Some((w, f)) => (w, f),
            None => (s.as_str(), ""),
        };
        let digits = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
        if !digits(whole) || !(frac.is_empty() || digits(frac)) {
            return Err(AmountError::NotAnAmount);
        }
        if frac.len() > 2 {
            return Err(AmountError::TooPrecise);
        }
        let kr: i64 = whole.parse().map_err(|_| AmountError::OutOfRange)?;
        let ore: i64 = format!("{frac:0<2}").parse().unwrap_or(0);
        let v = kr
            .checked_mul(100)
            .and_then(|k| k.checked_add(ore))
            .ok_or(AmountError::OutOfRange)?;
        if v <= 0 || v > Ore::MAX.0 {
            return Err(AmountError::OutOfRange);
        }
        Ok(Ore(v))
    }

    /// `113,75 kr`, or `113 kr` for whole kronor.
    pub fn display_sv(self) -> String {
        let kr = Sek(self.0 / 100).display_sv();
        match self.0 % 100 {
            0 => kr,
            o => kr.replacen("\u{a0}kr", &format!(",{o:02}\u{a0}kr"), 1),
        }
    }

    /// The value of `hours` at this rate, in whole kronor rounded down (never more than the
    /// time is worth).
    pub fn times(self, hours: u64) -> Sek {
        Sek((i128::from(self.0) * i128::from(hours) / 100).min(i128::from(i64::MAX)) as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hourly_values_are_read_as_people_write_them() {
        assert_eq!(Ore::parse_sv("113,75"), Ok(Ore(11_375)));
        assert_eq!(Ore::parse_sv(" 113.7 kr"), Ok(Ore(11_370)));
        assert_eq!(Ore::parse_sv("1 200"), Ok(Ore(120_000)));
        assert_eq!(Ore::parse_sv("0"), Err(AmountError::OutOfRange));
        assert_eq!(Ore::parse_sv("10000,01"), Err(AmountError::OutOfRange));
        assert_eq!(Ore::parse_sv("12,345"), Err(AmountError::TooPrecise));
        assert_eq!(Ore::parse_sv("tolv"), Err(AmountError::NotAnAmount));
        assert_eq!(Ore::parse_sv("-5"), Err(AmountError::NotAnAmount));
        assert_eq!(Ore::parse_sv(""), Err(AmountError::NotAnAmount));
        assert_eq!(Ore(11_375).display_sv(), "113,75\u{a0}kr");
        assert_eq!(Ore(120_000).display_sv(), "1\u{a0}200\u{a0}kr");
        assert_eq!(Ore(11_375).times(3), Sek(341), "341,25 kr rounded down");
    }

    #[test]
    fn formats_with_thousand_separators() {
        assert_eq!(Sek(4_341_993).display_sv(), "4\u{a0}341\u{a0}993\u{a0}kr");
        assert_eq!(Sek(100).display_sv(), "100\u{a0}kr");
        assert_eq!(Sek(0).display_sv(), "0\u{a0}kr");
        assert_eq!(Sek(-1000).display_sv(), "−1\u{a0}000\u{a0}kr");
    }
}
