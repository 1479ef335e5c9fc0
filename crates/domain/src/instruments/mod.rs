//! Built-in instruments, shipped as constructors so every installation starts with the same
//! definitions (key and version identify them in stored score sheets).

mod ips25;
mod work_readiness;

pub use ips25::{FidelityBand, fidelity_band, ips25};
pub use work_readiness::work_readiness;

use super::{Anchor, Domain, Item, Scale};

/// A 1–5 scale with a Swedish and English label on every step.
fn scale_1_5(labels: [(&str, &str); 5]) -> Scale {
    Scale {
        min: 1,
        max: 5,
        anchors: (1..=5)
            .zip(labels)
            .map(|(value, (sv, en))| Anchor {
                value,
                label_sv: sv.into(),
                label_en: en.into(),
            })
            .collect(),
    }
}

/// A domain whose items, given as (key, Swedish, English), share one scale.
fn domain(key: &str, sv: &str, en: &str, scale: &Scale, items: &[(&str, &str, &str)]) -> Domain {
    Domain {
        key: key.into(),
        label_sv: sv.into(),
        label_en: en.into(),
        items: items
            .iter()
            .map(|(key, sv, en)| Item {
                key: (*key).into(),
                label_sv: (*sv).into(),
                label_en: (*en).into(),
                scale: scale.clone(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::Subject;

    #[test]
    fn assessment_builtin_instruments_validate() {
        assert_eq!(work_readiness().validate(), Ok(()));
        assert_eq!(ips25().validate(), Ok(()));
    }

    #[test]
    fn assessment_work_readiness_covers_the_seed_domains() {
        let inst = work_readiness();
        assert_eq!(inst.subject, Subject::Participant);
        assert!(!inst.licence.scores_only);
        let keys: Vec<_> = inst.domains.iter().map(|d| d.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "health",
                "education_language",
                "work_experience",
                "social_housing",
                "motivation_goals",
                "strengths_resources",
                "practical_conditions"
            ]
        );
        for d in &inst.domains {
            assert!((2..=4).contains(&d.items.len()), "{}", d.key);
            for i in &d.items {
                assert_eq!((i.scale.min, i.scale.max, i.scale.anchors.len()), (1, 5, 5));
            }
        }
    }

    #[test]
    fn assessment_ips25_has_25_items_in_three_sections() {
        let inst = ips25();
        assert_eq!(inst.subject, Subject::Programme);
        let sections: Vec<_> = inst
            .domains
            .iter()
            .map(|d| (d.key.as_str(), d.items.len()))
            .collect();
        assert_eq!(
            sections,
            [("staffing", 3), ("organisation", 8), ("services", 14)]
        );
        assert_eq!(inst.items().count(), 25);
        assert!(inst.items().all(|i| (i.scale.min, i.scale.max) == (1, 5)));
    }

    #[test]
    fn assessment_ips25_fidelity_bands_at_boundaries() {
        use FidelityBand::*;
        let cases = [
            (25, NotSupportedEmployment),
            (73, NotSupportedEmployment),
            (74, Fair),
            (99, Fair),
            (100, Good),
            (114, Good),
            (115, Exemplary),
            (125, Exemplary),
        ];
        for (total, band) in cases {
            assert_eq!(fidelity_band(total), band, "{total}");
        }
        assert_eq!(Good.label("sv"), "God programtrohet");
        assert_eq!(Good.label("en"), "Good fidelity");
    }

    #[test]
    fn assessment_ips25_total_from_a_full_review() {
        use crate::assessment::{Rater, ScoreSheet};
        let inst = ips25();
        let mut sheet = ScoreSheet::new(&inst, Rater::Staff { organisation: None });
        sheet.scores = inst.items().map(|i| (i.key.clone(), 4)).collect();
        assert_eq!(inst.check(&sheet), Ok(()));
        let total = inst.total(&sheet).unwrap();
        assert_eq!((total, fidelity_band(total)), (100, FidelityBand::Good));
    }
}
