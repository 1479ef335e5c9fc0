//! Swedish personal identity numbers (personnummer) and coordination numbers (samordningsnummer),
//! validated by Skatteverket's rules. The digits are sensitive personal data, so nothing here
//! prints them by accident: there is no `Display`, and `Debug` is redacted.

use time::{Date, Month};

/// Which kind of number a parsed [`IdentityNumber`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum IdentityKind {
    Personnummer,
    Samordningsnummer,
}

/// A validated identity number, normalised to 12 digits. Its `Debug` never shows the digits.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdentityNumber {
    /// `YYYYMMDDNNNC`; for coordination numbers DD is the day plus 60, as issued.
    digits: String,
    kind: IdentityKind,
    birth: Date,
}

/// Why an identity number was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdentityError {
    #[error("no identity number given")]
    Empty,
    #[error("identity number has the wrong format")]
    Format,
    #[error("the date in the identity number does not exist")]
    InvalidDate,
    #[error("the check digit of the identity number is wrong")]
    CheckDigit,
    #[error("the birth date of the identity number is in the future")]
    InFuture,
}

impl IdentityError {
    /// Plain-language message for the user: English for `en`, Swedish otherwise.
    pub fn message(&self, lang: &str) -> &'static str {
        use IdentityError::*;
        if lang == "en" {
            match self {
                Empty => "Enter a personal identity number or coordination number.",
                Format => {
                    "Write the personal identity number with 10 or 12 digits, for example YYMMDD-NNNN or YYYYMMDDNNNN."
                }
                InvalidDate => "The date in the number does not exist.",
                CheckDigit => {
                    "The check digit does not match. Check that you have typed the personal identity number correctly."
                }
                InFuture => "The date of birth is in the future.",
            }
        } else {
            match self {
                Empty => "Skriv personnummer eller samordningsnummer.",
                Format => {
                    "Skriv personnumret med 10 eller 12 siffror, till exempel ÅÅMMDD-NNNN eller ÅÅÅÅMMDDNNNN."
                }
                InvalidDate => "Datumet i numret finns inte.",
                CheckDigit => {
                    "Kontrollsiffran stämmer inte. Kontrollera att du har skrivit rätt personnummer."
                }
                InFuture => "Födelsedatumet ligger i framtiden.",
            }
        }
    }
}

/// Luhn (mod 10) check digit over digit values, weights 2,1,2,1,... from the left.
fn luhn(digits: &[u8]) -> u8 {
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(i, &d)| {
            let v = u32::from(d) * if i % 2 == 0 { 2 } else { 1 };
            v / 10 + v % 10
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

/// Decimal value of a run of digit values.
fn number(digits: &[u8]) -> i32 {
    digits.iter().fold(0, |n, &d| n * 10 + i32::from(d))
}

impl IdentityNumber {
    /// Parses `YYMMDD-NNNC`, `YYMMDD+NNNC`, `YYMMDDNNNC`, `YYYYMMDDNNNC`, `YYYYMMDD-NNNC`.
    /// `today` is injected so the century of 10-digit forms and the future check are testable.
    ///
    /// Century of the 10-digit forms, by calendar year as Skatteverket writes it: with `-` (or
    /// no separator) the birth year is the one ending in YY within `today.year() - 99 ..=
    /// today.year()`; with `+` it is within `today.year() - 199 ..= today.year() - 100`.
    /// Any form whose year falls outside `1800..=today.year()` is [`IdentityError::InvalidDate`];
    /// a birth date later in the current year is [`IdentityError::InFuture`].
    pub fn parse(input: &str, today: Date) -> Result<Self, IdentityError> {
        use IdentityError::*;
        let s = input.trim().as_bytes();
        if s.is_empty() {
            return Err(Empty);
        }
        // The separator position is fixed by the length; a `+` only makes sense without a century.
        let (raw, plus) = match (s.len(), s.get(6), s.get(8)) {
            (10 | 12, _, _) => (s.to_vec(), false),
            (11, Some(&sep @ (b'-' | b'+')), _) => ([&s[..6], &s[7..]].concat(), sep == b'+'),
            (13, _, Some(b'-')) => ([&s[..8], &s[9..]].concat(), false),
            _ => return Err(Format),
        };
        if !raw.iter().all(u8::is_ascii_digit) {
            return Err(Format);
        }
        let d: Vec<u8> = raw.iter().map(|b| b - b'0').collect();
        // `rest` is MMDDNNNC, the last 10 digits are YYMMDDNNNC whatever the input form.
        let rest = &d[d.len() - 8..];
        let short = &d[d.len() - 10..];
        let (month, raw_day) = (number(&rest[..2]), number(&rest[2..4]));
        if number(&rest[4..7]) == 0 {
            return Err(Format);
        }
        let (kind, day) = if raw_day > 60 {
            (IdentityKind::Samordningsnummer, raw_day - 60)
        } else {
            (IdentityKind::Personnummer, raw_day)
        };

        // Skatteverket: `-` becomes `+` in the calendar year the person turns 100, so the century
        // of a 10-digit form follows from calendar years alone, never from the birthday.
        let ty = today.year();
        let year = if d.len() == 12 {
            number(&d[..4])
        } else {
            // Latest year ending in YY that is not after this year: `ty - year` is 0..=99.
            let mut year = ty - ty.rem_euclid(100) + number(&d[..2]);
            if year > ty {
                year -= 100;
            }
            // `+`: the latest such year with `ty - year` 100..=199.
            if plus {
                year -= 100;
            }
            year
        };

        // From 1800 (century 18) to this year: anything else is
        // `InvalidDate` (a date later this year is `InFuture` below). Only 12-digit forms, or an
        // absurd `today`, can reach the bounds.
        let birth = u8::try_from(month)
            .ok()
            .and_then(|m| Month::try_from(m).ok())
            .filter(|_| (1800..=ty).contains(&year))
            .and_then(|m| Date::from_calendar_date(year, m, day as u8).ok())
            .ok_or(InvalidDate)?;
        if luhn(&short[..9]) != short[9] {
            return Err(CheckDigit);
        }
        if birth > today {
            return Err(InFuture);
        }
        let tail: String = rest.iter().map(|&v| char::from(b'0' + v)).collect();
        Ok(Self {
            digits: format!("{year:04}{tail}"),
            kind,
            birth,
        })
    }

    /// The 12 normalised digits, for encryption and keyed hashing only.
    pub fn normalised(&self) -> &str {
        &self.digits
    }

    pub fn kind(&self) -> IdentityKind {
        self.kind
    }

    /// The real birth date (day - 60 for coordination numbers).
    pub fn birth_date(&self) -> Date {
        self.birth
    }

    /// `YYYYMMDD-NNNC`, for showing to authorised staff.
    pub fn formatted(&self) -> String {
        format!("{}-{}", &self.digits[..8], &self.digits[8..])
    }
}

impl std::fmt::Debug for IdentityNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IdentityNumber({:?}, <redacted>)", self.kind)
    }
}

#[cfg(test)]
mod tests {
    use super::IdentityError::*;
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    const TODAY: Date = date!(2025 - 06 - 15);

    fn parse(s: &str) -> Result<IdentityNumber, IdentityError> {
        IdentityNumber::parse(s, TODAY)
    }

    /// Appends the correct check digit to nine or eleven digits (the century is not checked).
    fn with_check(s: &str) -> String {
        let d: Vec<u8> = s.bytes().map(|b| b - b'0').collect();
        format!("{s}{}", luhn(&d[d.len() - 9..]))
    }

    #[test]
    fn known_personnummer() {
        let id = parse("811218-9876").unwrap();
        assert_eq!(id.normalised(), "198112189876");
        assert_eq!(id.kind(), IdentityKind::Personnummer);
        assert_eq!(id.birth_date(), date!(1981 - 12 - 18));
        assert_eq!(id.formatted(), "19811218-9876");
    }

    #[test]
    fn known_samordningsnummer() {
        let id = parse("701063-2391").unwrap();
        assert_eq!(id.normalised(), "197010632391");
        assert_eq!(id.kind(), IdentityKind::Samordningsnummer);
        assert_eq!(id.birth_date(), date!(1970 - 10 - 03));
        assert_eq!(id.formatted(), "19701063-2391");
        let last = parse(&with_check("811291123")).unwrap();
        assert_eq!(last.birth_date(), date!(1981 - 12 - 31));
    }

    #[test]
    fn all_forms_normalise_alike() {
        for s in [
            "811218-9876",
            "8112189876",
            "198112189876",
            "19811218-9876",
            " 811218-9876\n",
        ] {
            assert_eq!(parse(s).unwrap().normalised(), "198112189876", "{s:?}");
        }
    }

    #[test]
    fn century_and_plus() {
        assert_eq!(parse("121212-1212").unwrap().normalised(), "201212121212");
        assert_eq!(parse("121212+1212").unwrap().normalised(), "191212121212");
        assert_eq!(parse("811218+9876").unwrap().normalised(), "188112189876");
        // The century follows the calendar year, not the birthday: `25…-` is always 2025.
        assert_eq!(parse("250615-1238").unwrap().birth_date(), TODAY);
        assert_eq!(parse("20250615-1238").unwrap().birth_date(), TODAY);
        assert_eq!(parse("250616-1237"), Err(InFuture));
        assert_eq!(parse("2506161237"), Err(InFuture));
        assert_eq!(parse("250616+1237").unwrap().normalised(), "192506161237");
        assert_eq!(parse("20250616-1237"), Err(InFuture));
    }

    /// `YYMMDD`, separator, `NNN` and the correct check digit.
    fn ten(yymmdd: &str, sep: &str, nnn: &str) -> String {
        let all = with_check(&format!("{yymmdd}{nnn}"));
        format!("{}{sep}{}", &all[..6], &all[6..])
    }

    fn born(s: &str, today: Date) -> Result<Date, IdentityError> {
        IdentityNumber::parse(s, today).map(|id| id.birth_date())
    }

    #[test]
    fn plus_from_the_calendar_year_of_the_hundredth_birthday() {
        // Turns 100 in 2025, though not until December: already `+`.
        assert_eq!(ten("251231", "+", "123"), "251231+1230");
        let id = parse("251231+1230").unwrap();
        assert_eq!(id.birth_date(), date!(1925 - 12 - 31));
        assert_eq!(id.normalised(), "192512311230");
        assert_eq!(parse(&ten("251231", "-", "123")), Err(InFuture));
        assert_eq!(parse(&ten("251231", "", "123")), Err(InFuture));
        assert_eq!(
            born(&ten("250101", "-", "123"), TODAY),
            Ok(date!(2025 - 01 - 01))
        );
        assert_eq!(
            born(&ten("260101", "-", "123"), TODAY),
            Ok(date!(1926 - 01 - 01))
        );
        assert_eq!(
            born(&ten("260101", "", "123"), TODAY),
            Ok(date!(1926 - 01 - 01))
        );
        assert_eq!(
            born(&ten("260101", "+", "123"), TODAY),
            Ok(date!(1826 - 01 - 01))
        );
    }

    #[test]
    fn century_boundary_years() {
        // `-`: today.year() - 99 is the earliest year, all of it, whatever the date today.
        for today in [date!(2025 - 01 - 01), TODAY, date!(2025 - 12 - 31)] {
            assert_eq!(
                born(&ten("260101", "-", "123"), today),
                Ok(date!(1926 - 01 - 01))
            );
            assert_eq!(
                born(&ten("261231", "-", "123"), today),
                Ok(date!(1926 - 12 - 31))
            );
            // `+`: today.year() - 100 is the latest year, all of it, whatever the date today.
            assert_eq!(
                born(&ten("250101", "+", "123"), today),
                Ok(date!(1925 - 01 - 01))
            );
            assert_eq!(
                born(&ten("251231", "+", "123"), today),
                Ok(date!(1925 - 12 - 31))
            );
            // And today.year() - 199 is the earliest with `+`.
            assert_eq!(
                born(&ten("260101", "+", "123"), today),
                Ok(date!(1826 - 01 - 01))
            );
        }
        // One day earlier, in 2024, the same people are 99 at most in their year: `-`.
        let new_years_eve = date!(2024 - 12 - 31);
        assert_eq!(
            born(&ten("251231", "-", "123"), new_years_eve),
            Ok(date!(1925 - 12 - 31))
        );
        assert_eq!(
            born(&ten("251231", "+", "123"), new_years_eve),
            Ok(date!(1825 - 12 - 31))
        );
        assert_eq!(
            born(&ten("241231", "-", "123"), new_years_eve),
            Ok(new_years_eve)
        );
        assert_eq!(
            born(&ten("241231", "+", "123"), new_years_eve),
            Ok(date!(1924 - 12 - 31))
        );
        // Born on New Year's Day of today's year, parsed that very day.
        let new_year = date!(2025 - 01 - 01);
        assert_eq!(born(&ten("250101", "-", "123"), new_year), Ok(new_year));
        assert_eq!(born(&ten("250102", "-", "123"), new_year), Err(InFuture));
    }

    #[test]
    fn twelve_digit_years_from_1800_to_this_year() {
        let twelve = |yyyymmdd: &str, sep: &str| {
            let all = with_check(&format!("{yyyymmdd}123"));
            format!("{}{sep}{}", &all[..8], &all[8..])
        };
        for sep in ["", "-"] {
            assert_eq!(
                born(&twelve("18000101", sep), TODAY),
                Ok(date!(1800 - 01 - 01))
            );
            assert_eq!(
                born(&twelve("19251231", sep), TODAY),
                Ok(date!(1925 - 12 - 31))
            );
            assert_eq!(
                born(&twelve("20250101", sep), TODAY),
                Ok(date!(2025 - 01 - 01))
            );
            assert_eq!(born(&twelve("20251231", sep), TODAY), Err(InFuture));
            for bad in [
                "17991231", "17000101", "00000101", "20260101", "21000101", "99991231",
            ] {
                assert_eq!(born(&twelve(bad, sep), TODAY), Err(InvalidDate), "{bad}");
            }
        }
        // The year range is checked before the check digit, like any other date error.
        assert_eq!(parse("17991231-1234"), Err(InvalidDate));
    }

    #[test]
    fn leap_days() {
        assert_eq!(
            parse("000229-1235").unwrap().birth_date(),
            date!(2000 - 02 - 29)
        );
        assert_eq!(parse("000229+1235"), Err(InvalidDate)); // 1900 was no leap year
        assert_eq!(parse("19000229-1235"), Err(InvalidDate));
        assert_eq!(parse("010229-1234"), Err(InvalidDate));
        assert_eq!(
            parse(&with_check("000289123")).unwrap().birth_date(),
            date!(2000 - 02 - 29)
        );
    }

    #[test]
    fn refusals() {
        assert_eq!(parse("811218-9875"), Err(CheckDigit));
        assert_eq!(parse(&with_check("811232123")), Err(InvalidDate));
        assert_eq!(parse(&with_check("811260123")), Err(InvalidDate));
        assert_eq!(parse(&with_check("811292123")), Err(InvalidDate));
        assert_eq!(parse(&with_check("811300123")), Err(InvalidDate));
        assert_eq!(parse(&with_check("811200123")), Err(InvalidDate));
        assert_eq!(parse(&with_check("811218000")), Err(Format));
        assert_eq!(parse("19811218+9876"), Err(Format));
        for s in [
            "81121A-9876",
            "abcdefghij",
            "811218 9876",
            "811218- 9876",
            "1981 1218-9876",
        ] {
            assert_eq!(parse(s), Err(Format), "{s:?}");
        }
        for s in [
            "81121-89876",
            "811218--9876",
            "811218-987",
            "1981121898761",
            "８１１２１８９８７６",
        ] {
            assert_eq!(parse(s), Err(Format), "{s:?}");
        }
        assert_eq!(parse(""), Err(Empty));
        assert_eq!(parse(" \t "), Err(Empty));
    }

    #[test]
    fn debug_hides_digits() {
        for s in ["811218-9876", "701063-2391"] {
            let shown = format!("{:?} {:#?}", parse(s).unwrap(), parse(s).unwrap());
            assert!(!shown.chars().any(|c| c.is_ascii_digit()), "{shown}");
            assert!(shown.contains("<redacted>"));
        }
    }

    #[test]
    fn messages_in_both_languages() {
        assert_eq!(
            CheckDigit.message("sv"),
            "Kontrollsiffran stämmer inte. Kontrollera att du har skrivit rätt personnummer."
        );
        assert_eq!(Empty.message("de"), Empty.message("sv"));
        for e in [Empty, Format, InvalidDate, CheckDigit, InFuture] {
            assert_ne!(e.message("en"), e.message("sv"));
        }
    }

    /// A valid number as 12 digits, born between 1800-01-01 and `TODAY`.
    fn valid_twelve() -> impl Strategy<Value = (String, Date)> {
        let span = (TODAY - date!(1800 - 01 - 01)).whole_days();
        (0..=span, 1u16..=999, any::<bool>()).prop_map(|(offset, nnn, coord)| {
            let birth = date!(1800 - 01 - 01) + time::Duration::days(offset);
            let day = birth.day() + if coord { 60 } else { 0 };
            let body = format!(
                "{:04}{:02}{day:02}{nnn:03}",
                birth.year(),
                birth.month() as u8
            );
            (with_check(&body), birth)
        })
    }

    /// Every accepted input form of a 12-digit number, relative to `TODAY`: `+` from the
    /// calendar year of the 100th birthday, and no 10-digit form from the 200th.
    fn forms(twelve: &str, birth: Date) -> Vec<String> {
        let age_this_year = TODAY.year() - birth.year();
        let (date, tail) = (&twelve[2..8], &twelve[8..]);
        let mut all = vec![twelve.to_string(), format!("{}-{tail}", &twelve[..8])];
        match age_this_year {
            0..=99 => {
                all.push(format!("{date}-{tail}"));
                all.push(format!("{date}{tail}"));
            }
            100..=199 => all.push(format!("{date}+{tail}")),
            _ => {}
        }
        all
    }

    proptest! {
        #[test]
        fn valid_numbers_round_trip((twelve, birth) in valid_twelve()) {
            for form in forms(&twelve, birth) {
                let id = parse(&form).unwrap();
                prop_assert_eq!(id.normalised(), twelve.as_str());
                prop_assert_eq!(id.birth_date(), birth);
            }
        }

        #[test]
        fn any_other_check_digit_fails((twelve, birth) in valid_twelve(), bump in 1u8..=9) {
            let last = twelve.as_bytes()[11] - b'0';
            let wrong = format!("{}{}", &twelve[..11], (last + bump) % 10);
            for form in forms(&wrong, birth) {
                prop_assert_eq!(parse(&form), Err(CheckDigit));
            }
        }

        #[test]
        fn never_panics(s in "\\PC*", t in "[0-9+ -]{0,14}") {
            let _ = parse(&s);
            let _ = parse(&t);
            let _ = IdentityNumber::parse(&t, Date::MIN);
            let _ = IdentityNumber::parse(&t, Date::MAX);
        }
    }
}
