//! Assessments (kartläggning): configurable instruments, score sheets and distance travelled
//! (stegförflyttning) between two assessments.
//!
//! An instrument is versioned data, not code, so administrators can add their own; the built-in
//! ones live in [`instruments`]. A score sheet may be partial: a joint assessment is filled in by
//! several organisations, each scoring its part, and every score must still be valid.

use std::collections::HashSet;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

// The folder sits beside this file (src/instruments/) so each built-in instrument has its own file.
#[path = "instruments/mod.rs"]
pub mod instruments;

/// Upper bounds checked by `validate`. They keep the exact distance arithmetic (denominators up
/// to a multiple of lcm(1..=64)) far inside `i128`, and no real instrument comes near them.
pub const MAX_DOMAINS: usize = 64;
pub const MAX_ITEMS_PER_DOMAIN: usize = 64;

/// A versioned questionnaire: domains of items, each scored on an integer scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instrument {
    pub key: String,
    pub version: u32,
    pub name_sv: String,
    pub name_en: String,
    pub licence: Licence,
    pub subject: Subject,
    pub domains: Vec<Domain>,
}

/// Terms of use. A licensed instrument (DOA, AWP) is stored as keys and scores only: its item
/// texts are the publisher's, so they must not be copied into our database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Licence {
    pub note: String,
    pub scores_only: bool,
}

crate::code_list!(
    /// What an instrument assesses.
    Subject, "assessment subject" {
        Participant => "participant", "Deltagare", "Participant";
        Programme => "programme", "Verksamhet", "Programme";
    }
);

/// A life area, and the unit in which distance travelled is reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Domain {
    pub key: String,
    pub label_sv: String,
    pub label_en: String,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub key: String,
    pub label_sv: String,
    pub label_en: String,
    pub scale: Scale,
}

/// An integer scale `min..=max`; anchors name some or all of its steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scale {
    pub min: u8,
    pub max: u8,
    pub anchors: Vec<Anchor>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    pub value: u8,
    pub label_sv: String,
    pub label_en: String,
}

impl Scale {
    pub fn contains(&self, value: u8) -> bool {
        (self.min..=self.max).contains(&value)
    }
}

/// Why an instrument definition cannot be used, naming the key concerned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InstrumentError {
    #[error(
        "'{0}' is not a key: use a-z, 0-9 and _, starting with a letter, at most 64 characters"
    )]
    BadKey(String),
    #[error("key '{0}' is used more than once")]
    DuplicateKey(String),
    #[error("the instrument has no domains, or more than {MAX_DOMAINS}")]
    DomainCount,
    #[error("domain '{0}' has no items, or more than {MAX_ITEMS_PER_DOMAIN}")]
    ItemCount(String),
    #[error("item '{0}': the scale minimum must be below its maximum")]
    ScaleRange(String),
    #[error("item '{item}': anchor {value} is outside the scale or repeated")]
    BadAnchor { item: String, value: u8 },
    #[error("item '{0}': a scores-only licence allows no item or anchor texts")]
    LicensedText(String),
}

fn is_key(key: &str) -> bool {
    key.len() <= 64
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl Instrument {
    /// Every item, in order, across domains.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.domains.iter().flat_map(|d| d.items.iter())
    }

    pub fn item(&self, key: &str) -> Option<&Item> {
        self.items().find(|i| i.key == key)
    }

    pub fn name(&self, lang: &str) -> &str {
        if lang == "en" {
            &self.name_en
        } else {
            &self.name_sv
        }
    }

    /// Every problem at once, so an administrator can fix a definition in one pass. Item keys
    /// are unique across the whole instrument because score sheets name items without domains.
    pub fn validate(&self) -> Result<(), Vec<InstrumentError>> {
        let mut errors = Vec::new();
        let mut bad_key = |key: &str| {
            if !is_key(key) {
                errors.push(InstrumentError::BadKey(key.to_owned()));
            }
        };
        bad_key(&self.key);
        for domain in &self.domains {
            bad_key(&domain.key);
            for item in &domain.items {
                bad_key(&item.key);
            }
        }
        if self.domains.is_empty() || self.domains.len() > MAX_DOMAINS {
            errors.push(InstrumentError::DomainCount);
        }
        let mut domain_keys = HashSet::new();
        let mut item_keys = HashSet::new();
        for domain in &self.domains {
            if !domain_keys.insert(&domain.key) {
                errors.push(InstrumentError::DuplicateKey(domain.key.clone()));
            }
            if domain.items.is_empty() || domain.items.len() > MAX_ITEMS_PER_DOMAIN {
                errors.push(InstrumentError::ItemCount(domain.key.clone()));
            }
            for item in &domain.items {
                if !item_keys.insert(&item.key) {
                    errors.push(InstrumentError::DuplicateKey(item.key.clone()));
                }
                errors.extend(self.item_errors(item));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    fn item_errors(&self, item: &Item) -> Vec<InstrumentError> {
        let mut errors = Vec::new();
        let scale = &item.scale;
        if scale.min >= scale.max {
            errors.push(InstrumentError::ScaleRange(item.key.clone()));
        }
        let mut values = HashSet::new();
        for anchor in &scale.anchors {
            if !scale.contains(anchor.value) || !values.insert(anchor.value) {
                errors.push(InstrumentError::BadAnchor {
                    item: item.key.clone(),
                    value: anchor.value,
                });
            }
        }
        let has_text = !item.label_sv.is_empty()
            || !item.label_en.is_empty()
            || scale
                .anchors
                .iter()
                .any(|a| !a.label_sv.is_empty() || !a.label_en.is_empty());
        if self.licence.scores_only && has_text {
            errors.push(InstrumentError::LicensedText(item.key.clone()));
        }
        errors
    }

    /// Checks a (possibly partial) sheet: right instrument and version, and every score names a
    /// known item once, within its scale. Returns every bad score, each naming its item.
    pub fn check(&self, sheet: &ScoreSheet) -> Result<(), Vec<ScoreError>> {
        if !sheet.is_for(self) {
            // Item checks against another instrument would only add noise.
            return Err(vec![ScoreError::WrongInstrument {
                key: sheet.instrument_key.clone(),
                version: sheet.instrument_version,
            }]);
        }
        let mut seen = HashSet::new();
        let mut errors = Vec::new();
        for (key, value) in &sheet.scores {
            let item = key.clone();
            if !seen.insert(key) {
                errors.push(ScoreError::DuplicateItem { item });
                continue;
            }
            match self.item(key) {
                None => errors.push(ScoreError::UnknownItem { item }),
                Some(i) if !i.scale.contains(*value) => errors.push(ScoreError::OutOfScale {
                    item,
                    value: *value,
                    min: i.scale.min,
                    max: i.scale.max,
                }),
                Some(_) => {}
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The sum of all item scores, only when every item has a valid score (fidelity totals such
    /// as IPS-25's are defined on complete sheets only).
    pub fn total(&self, sheet: &ScoreSheet) -> Option<u32> {
        self.items()
            .map(|item| sheet.valid_score(self, item).map(u32::from))
            .sum()
    }
}

/// Who filled in a sheet. Self-ratings and staff ratings are kept apart because they are usually
/// compared only with their own kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Rater {
    SelfRated,
    Staff { organisation: Option<Uuid> },
}

impl Rater {
    pub fn label(self, lang: &str) -> &'static str {
        match (self, lang) {
            (Self::SelfRated, "en") => "Self-rated",
            (Self::SelfRated, _) => "Självskattning",
            (Self::Staff { .. }, "en") => "Staff assessment",
            (Self::Staff { .. }, _) => "Personalens bedömning",
        }
    }
}

/// The scores one rater gave on one occasion; items left out were not scored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreSheet {
    pub instrument_key: String,
    pub instrument_version: u32,
    pub scores: Vec<(String, u8)>,
    pub rater: Rater,
}

impl ScoreSheet {
    /// An empty sheet for an instrument.
    pub fn new(instrument: &Instrument, rater: Rater) -> Self {
        Self {
            instrument_key: instrument.key.clone(),
            instrument_version: instrument.version,
            scores: Vec::new(),
            rater,
        }
    }

    pub fn is_for(&self, instrument: &Instrument) -> bool {
        self.instrument_key == instrument.key && self.instrument_version == instrument.version
    }

    /// The first score given for an item.
    pub fn score(&self, item: &str) -> Option<u8> {
        self.scores.iter().find(|(k, _)| k == item).map(|(_, v)| *v)
    }

    /// A score that counts: the sheet is for this instrument and the value is within the scale.
    /// Keeps totals and distances defined even for sheets that skipped `check`.
    fn valid_score(&self, instrument: &Instrument, item: &Item) -> Option<u8> {
        self.score(&item.key)
            .filter(|v| self.is_for(instrument) && item.scale.contains(*v))
    }
}

/// A score that cannot be accepted, naming its item.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    #[error("sheet is for instrument '{key}' version {version}")]
    WrongInstrument { key: String, version: u32 },
    #[error("unknown item '{item}'")]
    UnknownItem { item: String },
    #[error("item '{item}': {value} is outside {min}-{max}")]
    OutOfScale {
        item: String,
        value: u8,
        min: u8,
        max: u8,
    },
    #[error("item '{item}' is scored more than once")]
    DuplicateItem { item: String },
}

impl ScoreError {
    /// The item concerned, for showing the message beside it.
    pub fn item(&self) -> Option<&str> {
        match self {
            Self::WrongInstrument { .. } => None,
            Self::UnknownItem { item }
            | Self::OutOfScale { item, .. }
            | Self::DuplicateItem { item } => Some(item),
        }
    }

    pub fn message(&self, lang: &str) -> String {
        let en = lang == "en";
        match self {
            Self::WrongInstrument { key, version } if en => format!(
                "These answers belong to the form “{key}” version {version}, not to this one."
            ),
            Self::WrongInstrument { key, version } => {
                format!("Svaren hör till formuläret ”{key}” version {version}, inte till det här.")
            }
            Self::UnknownItem { item } if en => {
                format!("The question “{item}” is not part of this form.")
            }
            Self::UnknownItem { item } => format!("Frågan ”{item}” finns inte i formuläret."),
            Self::OutOfScale { item, min, max, .. } if en => {
                format!("The answer to “{item}” must be between {min} and {max}.")
            }
            Self::OutOfScale { item, min, max, .. } => {
                format!("Svaret på ”{item}” måste vara mellan {min} och {max}.")
            }
            Self::DuplicateItem { item } if en => {
                format!("The question “{item}” has more than one answer.")
            }
            Self::DuplicateItem { item } => format!("Frågan ”{item}” har fått mer än ett svar."),
        }
    }
}

/// An exact fraction in lowest terms with a positive denominator.
///
/// Distance travelled is a mean of means; in floating point 0.15 shows as "0.1" and a tiny
/// negative error as "-0.0". Keeping the integer sums and counts and dividing exactly makes the
/// one-decimal figure reproducible, symmetric (b→a shows exactly minus a→b) and truly zero when
/// nothing changed. `to_f64` is for charts only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Rational {
    numer: i128,
    denom: i128,
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl Rational {
    pub const ZERO: Rational = Rational { numer: 0, denom: 1 };

    /// `numer / denom` in lowest terms; `None` when `denom` is zero.
    pub fn new(numer: i128, denom: i128) -> Option<Self> {
        if denom == 0 {
            return None;
        }
        let sign = if denom < 0 { -1 } else { 1 };
        // Both fit in i128 again: g ≥ 1 and the magnitudes only shrink.
        let g = gcd(numer.unsigned_abs(), denom.unsigned_abs()).max(1) as i128;
        Some(Self {
            numer: sign * numer / g,
            denom: sign * denom / g,
        })
    }

    pub fn numer(self) -> i128 {
        self.numer
    }

    pub fn denom(self) -> i128 {
        self.denom
    }

    pub fn is_zero(self) -> bool {
        self.numer == 0
    }

    pub fn to_f64(self) -> f64 {
        self.numer as f64 / self.denom as f64
    }

    /// The value in tenths, rounded half away from zero so that x and −x round alike.
    pub fn tenths(self) -> i128 {
        let n = self.numer.unsigned_abs() * 10;
        let d = self.denom.unsigned_abs();
        let t = ((2 * n + d) / (2 * d)) as i128;
        if self.numer < 0 { -t } else { t }
    }

    /// One decimal with an explicit sign, as shown for a change: "+1,5", "−0,5", "0,0"
    /// (Swedish decimal comma; "en" uses a point). The true minus sign reads well aloud.
    pub fn display(self, lang: &str) -> String {
        let t = self.tenths();
        let sign = match t.signum() {
            1 => "+",
            -1 => "−",
            _ => "",
        };
        let sep = if lang == "en" { '.' } else { ',' };
        let mut out = String::new();
        let _ = write!(out, "{sign}{}{sep}{}", t.abs() / 10, t.abs() % 10);
        out
    }

    fn add(self, other: Self) -> Self {
        Self::new(
            self.numer * other.denom + other.numer * self.denom,
            self.denom * other.denom,
        )
        .unwrap_or(Self::ZERO) // denominators are positive, so their product is never zero
    }
}

impl std::ops::Neg for Rational {
    type Output = Rational;
    fn neg(self) -> Rational {
        Rational {
            numer: -self.numer,
            denom: self.denom,
        }
    }
}

/// Change in one domain, from the items scored in both sheets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DomainDistance {
    pub domain: String,
    /// Items scored (validly) in both sheets; 0 means "not comparable".
    pub items_compared: u32,
    pub sum_earlier: u32,
    pub sum_later: u32,
}

impl DomainDistance {
    /// Mean later − mean earlier over the compared items; `None` when not comparable, which is
    /// not the same as "no change".
    pub fn change(&self) -> Option<Rational> {
        // Same items on both sides, so the difference of means is the difference of sums / n.
        Rational::new(
            i128::from(self.sum_later) - i128::from(self.sum_earlier),
            i128::from(self.items_compared),
        )
    }
}

/// Distance travelled between two sheets of one instrument.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Distance {
    /// One entry per domain, in the instrument's order.
    pub domains: Vec<DomainDistance>,
    /// Mean of the comparable domains' changes, each domain weighing the same however many items
    /// it has; `None` when no domain is comparable.
    pub overall: Option<Rational>,
}

impl Distance {
    pub fn domain(&self, key: &str) -> Option<&DomainDistance> {
        self.domains.iter().find(|d| d.domain == key)
    }
}

/// Distance travelled (stegförflyttning) from `earlier` to `later`.
///
/// Only items validly scored in both sheets count, so partial sheets compare on what they share.
/// A sheet for another instrument or version contributes nothing: scores across versions do not
/// mean the same. Which sheets to compare (usually the same kind of rater) is the caller's choice.
pub fn distance(instrument: &Instrument, earlier: &ScoreSheet, later: &ScoreSheet) -> Distance {
    let domains: Vec<DomainDistance> = instrument
        .domains
        .iter()
        .map(|domain| {
            let mut d = DomainDistance {
                domain: domain.key.clone(),
                items_compared: 0,
                sum_earlier: 0,
                sum_later: 0,
            };
            for item in &domain.items {
                if let (Some(a), Some(b)) = (
                    earlier.valid_score(instrument, item),
                    later.valid_score(instrument, item),
                ) {
                    d.items_compared += 1;
                    d.sum_earlier += u32::from(a);
                    d.sum_later += u32::from(b);
                }
            }
            d
        })
        .collect();
    let changes: Vec<Rational> = domains.iter().filter_map(DomainDistance::change).collect();
    let overall = changes
        .iter()
        .copied()
        .reduce(Rational::add)
        .and_then(|sum| Rational::new(sum.numer, sum.denom * changes.len() as i128));
    Distance { domains, overall }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn scale() -> Scale {
        Scale {
            min: 1,
            max: 5,
            anchors: vec![],
        }
    }

    fn item(key: &str) -> Item {
        Item {
            key: key.into(),
            label_sv: key.into(),
            label_en: key.into(),
            scale: scale(),
        }
    }

    fn domain(key: &str, items: &[&str]) -> Domain {
        Domain {
            key: key.into(),
            label_sv: key.into(),
            label_en: key.into(),
            items: items.iter().map(|k| item(k)).collect(),
        }
    }

    /// Three domains: a (2 items), b (2 items), c (1 item).
    fn small() -> Instrument {
        Instrument {
            key: "small".into(),
            version: 1,
            name_sv: "Liten".into(),
            name_en: "Small".into(),
            licence: Licence {
                note: "test".into(),
                scores_only: false,
            },
            subject: Subject::Participant,
            domains: vec![
                domain("a", &["a1", "a2"]),
                domain("b", &["b1", "b2"]),
                domain("c", &["c1"]),
            ],
        }
    }

    fn sheet(inst: &Instrument, rater: Rater, scores: &[(&str, u8)]) -> ScoreSheet {
        ScoreSheet {
            scores: scores.iter().map(|(k, v)| ((*k).into(), *v)).collect(),
            ..ScoreSheet::new(inst, rater)
        }
    }

    fn r(n: i128, d: i128) -> Rational {
        Rational::new(n, d).unwrap()
    }

    #[test]
    fn assessment_validate_reports_every_definition_error() {
        let mut inst = small();
        inst.domains[1].items[0].key = "a1".into();
        inst.domains[0].items[1].scale.min = 5;
        inst.domains[2].items[0].scale.anchors.push(Anchor {
            value: 6,
            label_sv: "x".into(),
            label_en: "x".into(),
        });
        inst.domains.push(domain("Bad Key", &[]));
        assert_eq!(
            inst.validate(),
            Err(vec![
                InstrumentError::BadKey("Bad Key".into()),
                InstrumentError::ScaleRange("a2".into()),
                InstrumentError::DuplicateKey("a1".into()),
                InstrumentError::BadAnchor {
                    item: "c1".into(),
                    value: 6
                },
                InstrumentError::ItemCount("Bad Key".into()),
            ])
        );
    }

    #[test]
    fn assessment_scores_only_licence_forbids_item_texts() {
        let mut inst = small();
        inst.licence.scores_only = true;
        assert_eq!(inst.validate().unwrap_err().len(), 5);
        for d in &mut inst.domains {
            for i in &mut d.items {
                i.label_sv.clear();
                i.label_en.clear();
            }
        }
        assert_eq!(inst.validate(), Ok(()));
    }

    #[test]
    fn assessment_check_names_each_bad_item() {
        let inst = small();
        let s = sheet(
            &inst,
            Rater::SelfRated,
            &[("a1", 3), ("a2", 6), ("zz", 2), ("a1", 4), ("b1", 0)],
        );
        let errors = inst.check(&s).unwrap_err();
        assert_eq!(
            errors,
            vec![
                ScoreError::OutOfScale {
                    item: "a2".into(),
                    value: 6,
                    min: 1,
                    max: 5
                },
                ScoreError::UnknownItem { item: "zz".into() },
                ScoreError::DuplicateItem { item: "a1".into() },
                ScoreError::OutOfScale {
                    item: "b1".into(),
                    value: 0,
                    min: 1,
                    max: 5
                },
            ]
        );
        let items: Vec<_> = errors.iter().filter_map(ScoreError::item).collect();
        assert_eq!(items, ["a2", "zz", "a1", "b1"]);
        assert_eq!(
            errors[0].message("sv"),
            "Svaret på ”a2” måste vara mellan 1 och 5."
        );
        assert_eq!(
            errors[1].message("en"),
            "The question “zz” is not part of this form."
        );
    }

    #[test]
    fn assessment_check_rejects_wrong_instrument_or_version() {
        let inst = small();
        let mut s = sheet(&inst, Rater::SelfRated, &[("a1", 3)]);
        s.instrument_version = 2;
        assert_eq!(
            inst.check(&s),
            Err(vec![ScoreError::WrongInstrument {
                key: "small".into(),
                version: 2
            }])
        );
        assert_eq!(s.rater.label("sv"), "Självskattning");
    }

    #[test]
    fn assessment_partial_sheets_from_two_raters() {
        let inst = small();
        let org = Some(Uuid::from_u128(7));
        // A joint assessment: the coach's organisation scores a and b, the participant scores c.
        let staff = sheet(
            &inst,
            Rater::Staff { organisation: org },
            &[("a1", 2), ("b1", 3)],
        );
        let own = sheet(&inst, Rater::SelfRated, &[("c1", 4)]);
        assert_eq!(inst.check(&staff), Ok(()));
        assert_eq!(inst.check(&own), Ok(()));
        assert_eq!(inst.total(&staff), None);

        // Later the staff member scores a and c: only a is shared with the earlier staff sheet.
        let later = sheet(
            &inst,
            Rater::Staff { organisation: org },
            &[("a1", 4), ("a2", 5), ("c1", 5)],
        );
        let d = distance(&inst, &staff, &later);
        assert_eq!(d.domain("a").unwrap().items_compared, 1);
        assert_eq!(d.domain("a").unwrap().change(), Some(r(2, 1)));
        assert_eq!(d.domain("b").unwrap().change(), None);
        assert_eq!(d.domain("c").unwrap().change(), None);
        assert_eq!(d.overall, Some(r(2, 1)));
        // And the participant's own view of c, compared with itself.
        let c = distance(&inst, &own, &sheet(&inst, Rater::SelfRated, &[("c1", 3)]));
        assert_eq!(c.overall.map(|o| o.display("sv")), Some("−1,0".into()));
    }

    #[test]
    fn assessment_distance_hand_computed() {
        let inst = small();
        let earlier = sheet(
            &inst,
            Rater::SelfRated,
            &[("a1", 2), ("a2", 1), ("b1", 4), ("b2", 4), ("c1", 3)],
        );
        // a: (2+1)/2 → (4+2)/2 = +1.5; b: 4 → 3.5 = −0.5; c not scored later.
        let later = sheet(
            &inst,
            Rater::SelfRated,
            &[("a1", 4), ("a2", 2), ("b1", 3), ("b2", 4)],
        );
        let d = distance(&inst, &earlier, &later);
        let a = d.domain("a").unwrap();
        assert_eq!((a.items_compared, a.sum_earlier, a.sum_later), (2, 3, 6));
        assert_eq!(a.change(), Some(r(3, 2)));
        assert_eq!(d.domain("b").unwrap().change(), Some(r(-1, 2)));
        let c = d.domain("c").unwrap();
        assert_eq!((c.items_compared, c.change()), (0, None));
        assert_eq!(d.overall, Some(r(1, 2)));
        assert_eq!(d.overall.unwrap().display("sv"), "+0,5");
        assert_eq!(a.change().unwrap().display("en"), "+1.5");
        assert_eq!(
            d.domain("b").unwrap().change().unwrap().display("sv"),
            "−0,5"
        );
    }

    #[test]
    fn assessment_distance_nothing_comparable() {
        let inst = small();
        let earlier = sheet(&inst, Rater::SelfRated, &[("a1", 2)]);
        let later = sheet(&inst, Rater::SelfRated, &[("a2", 2)]);
        let d = distance(&inst, &earlier, &later);
        assert!(d.domains.iter().all(|x| x.change().is_none()));
        assert_eq!(d.overall, None);
        // A sheet of another version never compares, even with matching item keys.
        let mut old = sheet(&inst, Rater::SelfRated, &[("a1", 2)]);
        old.instrument_version = 0;
        assert_eq!(distance(&inst, &old, &earlier).overall, None);
    }

    #[test]
    fn assessment_rational_rounds_symmetrically() {
        assert_eq!(r(3, 20).display("sv"), "+0,2");
        assert_eq!(r(-3, 20).display("sv"), "−0,2");
        assert_eq!(r(-1, 30).display("en"), "0.0");
        assert_eq!(r(7, 3).display("en"), "+2.3");
        assert_eq!(r(2, -4), r(-1, 2));
        assert_eq!(Rational::new(1, 0), None);
        assert_eq!(Rational::ZERO.display("sv"), "0,0");
    }

    #[test]
    fn assessment_total_needs_every_item() {
        let inst = small();
        let full = [("a1", 1), ("a2", 2), ("b1", 3), ("b2", 4), ("c1", 5)];
        assert_eq!(inst.total(&sheet(&inst, Rater::SelfRated, &full)), Some(15));
        let mut bad = full;
        bad[4].1 = 9;
        assert_eq!(inst.total(&sheet(&inst, Rater::SelfRated, &bad)), None);
    }

    fn arb_sheet() -> impl Strategy<Value = ScoreSheet> {
        let inst = instruments::work_readiness();
        let keys: Vec<String> = inst.items().map(|i| i.key.clone()).collect();
        proptest::collection::vec(proptest::option::of(1u8..=5), keys.len()).prop_map(
            move |values| ScoreSheet {
                scores: keys
                    .iter()
                    .zip(values)
                    .filter_map(|(k, v)| Some((k.clone(), v?)))
                    .collect(),
                ..ScoreSheet::new(&inst, Rater::SelfRated)
            },
        )
    }

    proptest! {
        #[test]
        fn assessment_distance_to_itself_is_zero(a in arb_sheet()) {
            let inst = instruments::work_readiness();
            let d = distance(&inst, &a, &a);
            for dom in &d.domains {
                prop_assert!(dom.change().is_none_or(Rational::is_zero));
            }
            prop_assert!(d.overall.is_none_or(Rational::is_zero));
        }

        #[test]
        fn assessment_distance_is_antisymmetric(a in arb_sheet(), b in arb_sheet()) {
            let inst = instruments::work_readiness();
            let ab = distance(&inst, &a, &b);
            let ba = distance(&inst, &b, &a);
            for (x, y) in ab.domains.iter().zip(&ba.domains) {
                prop_assert_eq!(x.items_compared, y.items_compared);
                prop_assert_eq!(x.change(), y.change().map(|c| -c));
            }
            prop_assert_eq!(ab.overall, ba.overall.map(|c| -c));
            if let (Some(x), Some(y)) = (ab.overall, ba.overall) {
                prop_assert_eq!(x.tenths(), -y.tenths());
            }
        }
    }
}
