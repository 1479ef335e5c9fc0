//! Cell values as Swedish offices write them: dates such as `3/2 2025` or `2025-02-03`, months
//! such as `mars 2025`, numbers such as `1 234,5`, hours such as `3:30`, and the code lists by
//! their code, Swedish or English label, or a common short form.

use time::{Date, Month};

const MONTHS: [(&str, &str, Month); 12] = [
    ("januari", "january", Month::January),
    ("februari", "february", Month::February),
    ("mars", "march", Month::March),
    ("april", "april", Month::April),
    ("maj", "may", Month::May),
    ("juni", "june", Month::June),
    ("juli", "july", Month::July),
    ("augusti", "august", Month::August),
    ("september", "september", Month::September),
    ("oktober", "october", Month::October),
    ("november", "november", Month::November),
    ("december", "december", Month::December),
];

/// A month by its Swedish or English name, or the first three letters of either.
fn month_name(s: &str) -> Option<Month> {
    let s = s.trim().trim_end_matches('.').to_lowercase();
    if s.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .find(|(sv, en, _)| *sv == s || *en == s || sv.starts_with(&s) || en.starts_with(&s))
        .map(|m| m.2)
}

fn year_of(s: &str) -> Option<i32> {
    let y: i32 = s.parse().ok()?;
    match s.len() {
        4 if (1900..=2200).contains(&y) => Some(y),
        2 => Some(2000 + y),
        _ => None,
    }
}

fn date(y: i32, m: u8, d: u8) -> Option<Date> {
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}

/// A date: `2025-02-03` (also with a time after it), `20250203`, `3/2 2025`, `3/2-2025`,
/// `03/02/2025`, `3.2.2025` (day first, as in Sweden), `3 feb 2025`, `3 februari 2025`, or an
/// Excel serial day number.
pub fn parse_date(value: &str) -> Option<Date> {
    let v = value.trim();
    // A time of day after the date (`2025-02-03 00:00`, `2025-02-03T08:00:00`).
    let v = v
        .split_once(['T', ' '])
        .filter(|(d, t)| d.contains('-') && t.contains(':'))
        .map_or(v, |(d, _)| d);
    if v.len() == 8 && v.bytes().all(|b| b.is_ascii_digit()) {
        return date(
            v[..4].parse().ok()?,
            v[4..6].parse().ok()?,
            v[6..].parse().ok()?,
        );
    }
    if v.len() == 5 && v.bytes().all(|b| b.is_ascii_digit()) {
        // An Excel serial day (a date cell that lost its format): 1954 to 2119.
        let n: i64 = v.parse().ok()?;
        if (20_000..80_000).contains(&n) {
            let base = date(1899, 12, 30)?;
            return base.checked_add(time::Duration::days(n));
        }
        return None;
    }
    let parts: Vec<&str> = v
        .split(['-', '/', '.', ' ', ','])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() != 3 {
        return None;
    }
    let num = |s: &str| -> Option<u8> {
        (s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    if parts[0].len() == 4 {
        // Year first: 2025-02-03, 2025/2/3, 2025.02.03.
        return date(year_of(parts[0])?, num(parts[1])?, num(parts[2])?);
    }
    let day = num(parts[0])?;
    let year = year_of(parts[2])?;
    let month = match num(parts[1]) {
        Some(m) => m,
        None => month_name(parts[1])? as u8,
    };
    date(year, month, day)
}

/// A month: `2025-03`, `2025-3`, `202503`, `03/2025`, `3-2025`, `mars 2025`, `Mar 2025`, or a
/// date in it.
pub fn parse_month(value: &str) -> Option<(i32, Month)> {
    let v = value.trim();
    if let Some(d) = parse_date(v) {
        return Some((d.year(), d.month()));
    }
    if v.len() == 6 && v.bytes().all(|b| b.is_ascii_digit()) {
        let m = Month::try_from(v[4..].parse::<u8>().ok()?).ok()?;
        return Some((year_of(&v[..4])?, m));
    }
    let parts: Vec<&str> = v
        .split(['-', '/', '.', ' '])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() != 2 {
        return None;
    }
    let (y, m) = if parts[0].len() == 4 && parts[0].bytes().all(|b| b.is_ascii_digit()) {
        (parts[0], parts[1])
    } else {
        (parts[1], parts[0])
    };
    let year = year_of(y).filter(|_| y.len() == 4)?;
    let month = match m.parse::<u8>() {
        Ok(n) => Month::try_from(n).ok()?,
        Err(_) => month_name(m)?,
    };
    Some((year, month))
}

/// A decimal number: `1 234,5` (spaces, also non-breaking, between thousands; decimal comma),
/// `1234.5`, `1.234,5`, `1,234.5`.
pub fn parse_decimal(value: &str) -> Option<f64> {
    let v: String = value
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\''))
        .collect();
    if v.is_empty() {
        return None;
    }
    let v = match (v.rfind(','), v.rfind('.')) {
        (Some(c), Some(d)) if c > d => v.replace('.', "").replace(',', "."),
        (Some(_), Some(_)) => v.replace(',', ""),
        (Some(_), None) if v.matches(',').count() == 1 => v.replace(',', "."),
        (Some(_), None) => return None,
        _ => v,
    };
    let mut chars = v.chars().peekable();
    if chars.peek() == Some(&'-') || chars.peek() == Some(&'+') {
        chars.next();
    }
    if !chars.all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    v.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Hours as minutes: a decimal number of hours (`3`, `3,5`, `1 234,5`) or `H:MM`.
pub fn parse_hours_minutes(value: &str) -> Option<i64> {
    let v = value.trim();
    if let Some((h, m)) = v.split_once(':') {
        let h: i64 = h.trim().parse().ok()?;
        let m: i64 = m.trim().parse().ok().filter(|m| (0..60).contains(m))?;
        return (h >= 0).then_some(h * 60 + m);
    }
    let hours = parse_decimal(v)?;
    Some((hours * 60.0).round() as i64)
}

/// A whole number (`12`, `12,0`, `1 200`).
pub fn parse_whole(value: &str) -> Option<i64> {
    let f = parse_decimal(value)?;
    (f.fract() == 0.0 && f.abs() < 1e15).then_some(f as i64)
}

/// A value of a code list: its code, or its Swedish or English label, in any case; `extra`
/// gives further short forms (`("k", "woman")`).
pub fn parse_code<T: Copy>(
    value: &str,
    all: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T, &str) -> &'static str,
    extra: &[(&str, &str)],
) -> Option<T> {
    let v = super::columns::fold(value);
    if v.is_empty() {
        return None;
    }
    let by_code = |c: &str| all.iter().copied().find(|t| code(*t) == c);
    if let Some(t) = all.iter().copied().find(|t| {
        super::columns::fold(code(*t)) == v
            || super::columns::fold(label(*t, "sv")) == v
            || super::columns::fold(label(*t, "en")) == v
    }) {
        return Some(t);
    }
    extra
        .iter()
        .find(|(short, _)| super::columns::fold(short) == v)
        .and_then(|(_, c)| by_code(c))
}

/// Short forms of yes/no answers.
pub const ANSWER_FORMS: &[(&str, &str)] = &[
    ("j", "yes"),
    ("y", "yes"),
    ("x", "yes"),
    ("1", "yes"),
    ("sant", "yes"),
    ("true", "yes"),
    ("n", "no"),
    ("0", "no"),
    ("falskt", "no"),
    ("false", "no"),
    ("vill ej svara", "declined"),
    ("avstår", "declined"),
    ("vill inte uppge", "declined"),
    ("declined to answer", "declined"),
];

/// Short forms of genders.
pub const GENDER_FORMS: &[(&str, &str)] = &[
    ("k", "woman"),
    ("kv", "woman"),
    ("f", "woman"),
    ("female", "woman"),
    ("w", "woman"),
    ("m", "man"),
    ("male", "man"),
    ("icke binär", "non_binary"),
    ("ickebinär", "non_binary"),
    ("non binary", "non_binary"),
    ("nb", "non_binary"),
    ("annat", "non_binary"),
    ("other", "non_binary"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn swedish_dates() {
        assert_eq!(parse_date("3/2 2025"), Some(date!(2025 - 02 - 03)));
        assert_eq!(parse_date("3/2-2025"), Some(date!(2025 - 02 - 03)));
        assert_eq!(parse_date("03/02/2025"), Some(date!(2025 - 02 - 03)));
        assert_eq!(parse_date("2025-02-03"), Some(date!(2025 - 02 - 03)));
        assert_eq!(parse_date("2025-02-03 00:00"), Some(date!(2025 - 02 - 03)));
        assert_eq!(parse_date("20250203"), Some(date!(2025 - 02 - 03)));
        assert_eq!(parse_date("3 feb 2025"), Some(date!(2025 - 02 - 03)));
        assert_eq!(parse_date("3 februari 2025"), Some(date!(2025 - 02 - 03)));
        assert_eq!(parse_date("3.2.2025"), Some(date!(2025 - 02 - 03)));
        assert_eq!(parse_date("45691"), Some(date!(2025 - 02 - 03)));
        assert_eq!(parse_date("31/2 2025"), None);
        assert_eq!(parse_date("igår"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn months() {
        assert_eq!(parse_month("2025-03"), Some((2025, Month::March)));
        assert_eq!(parse_month("mars 2025"), Some((2025, Month::March)));
        assert_eq!(parse_month("Mar 2025"), Some((2025, Month::March)));
        assert_eq!(parse_month("03/2025"), Some((2025, Month::March)));
        assert_eq!(parse_month("202503"), Some((2025, Month::March)));
        assert_eq!(parse_month("2025-13"), None);
    }

    #[test]
    fn swedish_numbers() {
        assert_eq!(parse_decimal("1 234,5"), Some(1234.5));
        assert_eq!(parse_decimal("1\u{a0}234,5"), Some(1234.5));
        assert_eq!(parse_decimal("1.234,5"), Some(1234.5));
        assert_eq!(parse_decimal("1,234.5"), Some(1234.5));
        assert_eq!(parse_decimal("3,5"), Some(3.5));
        assert_eq!(parse_decimal("3.5"), Some(3.5));
        assert_eq!(parse_decimal("tre"), None);
        assert_eq!(parse_decimal("1,2,3"), None);
        assert_eq!(parse_hours_minutes("3:30"), Some(210));
        assert_eq!(parse_hours_minutes("2,25"), Some(135));
        assert_eq!(parse_whole("12,0"), Some(12));
        assert_eq!(parse_whole("12,5"), None);
    }

    #[test]
    fn code_lists() {
        use stegvis_domain::{Answer, Gender};
        let g = |v| parse_code(v, Gender::ALL, Gender::code, Gender::label, GENDER_FORMS);
        assert_eq!(g("K"), Some(Gender::Woman));
        assert_eq!(g("kvinna"), Some(Gender::Woman));
        assert_eq!(g("Man"), Some(Gender::Man));
        assert_eq!(g("Icke-binär"), Some(Gender::NonBinary));
        assert_eq!(g("?"), None);
        let a = |v| parse_code(v, Answer::ALL, Answer::code, Answer::label, ANSWER_FORMS);
        assert_eq!(a("Ja"), Some(Answer::Yes));
        assert_eq!(a("nej"), Some(Answer::No));
        assert_eq!(a("Vill inte svara"), Some(Answer::Declined));
    }
}
