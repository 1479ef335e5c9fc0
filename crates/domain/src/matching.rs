//! Norm-critical matching of participants and openings.
//!
//! The score is computed from a [`Candidate`] and an [`Opening`] only. A candidate has no field
//! for gender, origin, age or health, so none of them can enter the score: the type is the
//! guarantee, and a property test checks it from the full profile down. Every point comes with
//! its reason, so each rank can be explained in plain words.

use std::cmp::Reverse;

crate::code_list!(
    /// How well someone speaks Swedish, or how well a workplace needs it spoken.
    SwedishLevel, "Swedish level" {
        Basic => "basic", "Grundläggande", "Basic";
        Good => "good", "God", "Good";
        Fluent => "fluent", "Flytande", "Fluent";
    }
);

crate::code_list!(
    /// Adaptations a participant needs and a workplace can make.
    Adaptation, "adaptation" {
        ShortDaysAtFirst => "short_days_at_first", "Korta dagar i början", "Short days at first";
        QuietPlace => "quiet_place", "Lugn miljö", "A quiet place";
        NoHeavyLifting => "no_heavy_lifting", "Inga tunga lyft", "No heavy lifting";
        SeatedWork => "seated_work", "Sittande arbete", "Seated work";
        EasySwedish => "easy_swedish", "Instruktioner på lätt svenska", "Instructions in easy Swedish";
        StepFreeAccess => "step_free_access", "Tillgänglig entré", "Step-free access";
    }
);

impl SwedishLevel {
    fn rank(self) -> u8 {
        match self {
            Self::Basic => 1,
            Self::Good => 2,
            Self::Fluent => 3,
        }
    }
}

/// What matching may know of a participant: occupations wanted and done, hours, place.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Candidate {
    /// SSYK 2012 unit groups (four digits) the participant wants to work in.
    pub wanted: Vec<String>,
    /// SSYK 2012 unit groups the participant has worked in.
    pub experience: Vec<String>,
    /// Hours a week the participant can work; none when unknown.
    pub hours_per_week: Option<u32>,
    /// Home municipality (four digits).
    pub municipality: Option<String>,
    /// Willing and able to travel to another municipality in the county.
    pub can_travel: bool,
    /// Swedish as assessed with the participant.
    pub swedish: Option<SwedishLevel>,
    /// Adaptations the participant needs at work.
    pub needs: Vec<Adaptation>,
}

/// What matching knows of an opening.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Opening {
    pub ssyk: Option<String>,
    pub hours_per_week: Option<u32>,
    pub municipality: Option<String>,
    /// The Swedish the work needs.
    pub swedish: Option<SwedishLevel>,
    /// Adaptations the workplace can make.
    pub can_adapt: Vec<Adaptation>,
}

/// Why a match got points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    WantedOccupation,
    WantedOccupationArea,
    ExperienceOccupation,
    ExperienceOccupationArea,
    HoursFit,
    HoursPartly,
    SameMunicipality,
    SameCounty,
    SwedishEnough,
    AdaptationsAll,
    AdaptationsSome,
}

impl Reason {
    pub fn points(self) -> u32 {
        match self {
            Self::WantedOccupation => 40,
            Self::WantedOccupationArea => 20,
            Self::ExperienceOccupation => 20,
            Self::ExperienceOccupationArea => 10,
            Self::HoursFit => 20,
            Self::HoursPartly => 10,
            Self::SameMunicipality => 20,
            Self::SameCounty => 10,
            Self::SwedishEnough => 10,
            // Needed adaptations are health information: they explain, they never score.
            Self::AdaptationsAll | Self::AdaptationsSome => 0,
        }
    }

    pub fn label(self, lang: &str) -> &'static str {
        match (self, lang) {
            (Self::WantedOccupation, "en") => "the occupation the participant wants",
            (Self::WantedOccupation, _) => "yrket som deltagaren vill arbeta med",
            (Self::WantedOccupationArea, "en") => "close to an occupation the participant wants",
            (Self::WantedOccupationArea, _) => "nära ett yrke som deltagaren vill arbeta med",
            (Self::ExperienceOccupation, "en") => "the participant has worked in the occupation",
            (Self::ExperienceOccupation, _) => "deltagaren har arbetat i yrket",
            (Self::ExperienceOccupationArea, "en") => {
                "the participant has worked in a nearby occupation"
            }
            (Self::ExperienceOccupationArea, _) => "deltagaren har arbetat i ett närliggande yrke",
            (Self::HoursFit, "en") => "the hours fit",
            (Self::HoursFit, _) => "timmarna passar",
            (Self::HoursPartly, "en") => "the hours fit partly",
            (Self::HoursPartly, _) => "timmarna passar delvis",
            (Self::SameMunicipality, "en") => "in the participant's municipality",
            (Self::SameMunicipality, _) => "i deltagarens kommun",
            (Self::SameCounty, "en") => "in the county, and the participant can travel",
            (Self::SameCounty, _) => "i länet, och deltagaren kan resa",
            (Self::SwedishEnough, "en") => "the participant's Swedish is enough for the work",
            (Self::SwedishEnough, _) => "deltagarens svenska räcker för arbetet",
            (Self::AdaptationsAll, "en") => {
                "the workplace can make every adaptation the participant needs"
            }
            (Self::AdaptationsAll, _) => {
                "arbetsplatsen kan göra alla anpassningar som deltagaren behöver"
            }
            (Self::AdaptationsSome, "en") => {
                "the workplace can make some of the adaptations the participant needs"
            }
            (Self::AdaptationsSome, _) => {
                "arbetsplatsen kan göra några av anpassningarna som deltagaren behöver"
            }
        }
    }
}

/// A score with its reasons, highest points first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Score {
    pub points: u32,
    pub reasons: Vec<Reason>,
}

/// SSYK minor group (first three digits) of a unit group.
fn area(code: &str) -> &str {
    code.get(..3).unwrap_or(code)
}

/// The county of a municipality code: its first two digits.
fn county(code: &str) -> &str {
    code.get(..2).unwrap_or(code)
}

/// Calls `found` with every reason the candidate and opening give.
fn reasons(c: &Candidate, o: &Opening, mut found: impl FnMut(Reason)) {
    if let Some(code) = &o.ssyk {
        if c.wanted.iter().any(|w| w == code) {
            found(Reason::WantedOccupation);
        } else if c.wanted.iter().any(|w| area(w) == area(code)) {
            found(Reason::WantedOccupationArea);
        }
        if c.experience.iter().any(|w| w == code) {
            found(Reason::ExperienceOccupation);
        } else if c.experience.iter().any(|w| area(w) == area(code)) {
            found(Reason::ExperienceOccupationArea);
        }
    }
    if let (Some(can), Some(needs)) = (c.hours_per_week, o.hours_per_week) {
        if needs <= can {
            found(Reason::HoursFit);
        } else if needs <= can + can / 2 {
            found(Reason::HoursPartly);
        }
    }
    if let (Some(home), Some(at)) = (&c.municipality, &o.municipality) {
        if home == at {
            found(Reason::SameMunicipality);
        } else if c.can_travel && county(home) == county(at) {
            found(Reason::SameCounty);
        }
    }
    if let (Some(has), Some(needs)) = (c.swedish, o.swedish)
        && has.rank() >= needs.rank()
    {
        found(Reason::SwedishEnough);
    }
    if !c.needs.is_empty() {
        let met = c.needs.iter().filter(|n| o.can_adapt.contains(n)).count();
        if met == c.needs.len() {
            found(Reason::AdaptationsAll);
        } else if met > 0 {
            found(Reason::AdaptationsSome);
        }
    }
}

/// The points alone, without allocating: what ranking compares.
pub fn points(c: &Candidate, o: &Opening) -> u32 {
    let mut sum = 0;
    reasons(c, o, |r| sum += r.points());
    sum
}

/// Scores one candidate against one opening, with the reasons, highest points first.
pub fn score(c: &Candidate, o: &Opening) -> Score {
    let mut found = Vec::with_capacity(4);
    reasons(c, o, |r| found.push(r));
    found.sort_by_key(|r| Reverse(r.points()));
    Score {
        points: found.iter().map(|r| r.points()).sum(),
        reasons: found,
    }
}

/// The `n` best openings for a candidate: index into `openings` and score, best first; ties
/// keep the openings' order. Openings with no points are left out. Only the `n` kept get their
/// reasons worked out.
pub fn rank(c: &Candidate, openings: &[Opening], n: usize) -> Vec<(usize, Score)> {
    let mut top: Vec<(Reverse<u32>, usize)> = Vec::with_capacity(n + 1);
    for (i, o) in openings.iter().enumerate() {
        let p = points(c, o);
        if p == 0 || (top.len() == n && (Reverse(p), i) >= *top.last().unwrap_or(&(Reverse(0), 0)))
        {
            continue;
        }
        let at = top.partition_point(|x| *x < (Reverse(p), i));
        top.insert(at, (Reverse(p), i));
        top.truncate(n);
    }
    top.into_iter()
        .map(|(_, i)| (i, score(c, &openings[i])))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opening(ssyk: &str, hours: u32, muni: &str) -> Opening {
        Opening {
            ssyk: Some(ssyk.into()),
            hours_per_week: Some(hours),
            municipality: Some(muni.into()),
            ..Opening::default()
        }
    }

    #[test]
    fn each_point_has_its_reason() {
        let c = Candidate {
            wanted: vec!["5222".into()],
            experience: vec!["5223".into()],
            hours_per_week: Some(20),
            municipality: Some("1293".into()),
            can_travel: true,
            ..Candidate::default()
        };
        let s = score(&c, &opening("5222", 20, "1293"));
        assert_eq!(
            s.reasons,
            vec![
                Reason::WantedOccupation,
                Reason::HoursFit,
                Reason::SameMunicipality,
                Reason::ExperienceOccupationArea
            ]
        );
        assert_eq!(s.points, 40 + 20 + 20 + 10);
        // Kristianstad is in the same county: travel counts; without travel it does not.
        let far = score(&c, &opening("9111", 30, "1290"));
        assert_eq!(far.reasons, vec![Reason::HoursPartly, Reason::SameCounty]);
        let stay = Candidate {
            can_travel: false,
            ..c.clone()
        };
        assert_eq!(score(&stay, &opening("9111", 40, "1290")).points, 0);
    }

    #[test]
    fn swedish_and_adaptations_count_when_they_fit() {
        let c = Candidate {
            swedish: Some(SwedishLevel::Basic),
            needs: vec![Adaptation::QuietPlace, Adaptation::SeatedWork],
            ..Candidate::default()
        };
        let o = |swedish, can_adapt: Vec<Adaptation>| Opening {
            swedish,
            can_adapt,
            ..Opening::default()
        };
        let all = score(
            &c,
            &o(
                Some(SwedishLevel::Basic),
                vec![Adaptation::SeatedWork, Adaptation::QuietPlace],
            ),
        );
        assert_eq!(
            all.reasons,
            vec![Reason::SwedishEnough, Reason::AdaptationsAll]
        );
        assert_eq!(all.points, 10, "needs explain, they do not score");
        // Someone with no needs scores exactly as someone whose needs are met.
        let without = Candidate {
            needs: Vec::new(),
            ..c.clone()
        };
        let both = o(
            Some(SwedishLevel::Basic),
            vec![Adaptation::QuietPlace, Adaptation::SeatedWork],
        );
        assert_eq!(points(&without, &both), points(&c, &both));
        let some = score(
            &c,
            &o(Some(SwedishLevel::Good), vec![Adaptation::QuietPlace]),
        );
        assert_eq!(
            some.reasons,
            vec![Reason::AdaptationsSome],
            "basic Swedish is not good"
        );
        assert_eq!(score(&c, &o(None, vec![])).points, 0);
    }

    #[test]
    fn the_ranking_is_best_first_and_leaves_out_no_match() {
        let c = Candidate {
            wanted: vec!["6113".into()],
            hours_per_week: Some(20),
            municipality: Some("1293".into()),
            ..Candidate::default()
        };
        let openings = vec![
            opening("9111", 40, "0180"),
            opening("6113", 40, "1293"),
            opening("6113", 16, "1293"),
            opening("6112", 16, "0180"),
        ];
        let ranked: Vec<usize> = rank(&c, &openings, 10).iter().map(|(i, _)| *i).collect();
        assert_eq!(ranked, vec![2, 1, 3]);
    }

    proptest::proptest! {
        /// The top-n ranking equals scoring everything and sorting.
        #[test]
        fn ranking_equals_the_plain_sort(
            wanted in proptest::collection::vec(0usize..4, 0..3),
            hours in proptest::option::of(5u32..40),
            home in 0usize..3,
            travel in proptest::bool::ANY,
            raw in proptest::collection::vec((0usize..4, 5u32..40, 0usize..3), 0..60),
            n in 0usize..12,
        ) {
            let codes = ["5222", "5223", "6113", "9111"];
            let munis = ["1293", "1290", "0180"];
            let c = Candidate {
                wanted: wanted.iter().map(|i| codes[*i].to_owned()).collect(),
                experience: Vec::new(),
                hours_per_week: hours,
                municipality: Some(munis[home].to_owned()),
                can_travel: travel,
                ..Candidate::default()
            };
            let openings: Vec<Opening> = raw
                .iter()
                .map(|(k, h, m)| opening(codes[*k], *h, munis[*m]))
                .collect();
            let mut plain: Vec<(usize, Score)> = openings
                .iter()
                .enumerate()
                .map(|(i, o)| (i, score(&c, o)))
                .filter(|(_, s)| s.points > 0)
                .collect();
            plain.sort_by_key(|(i, s)| (Reverse(s.points), *i));
            plain.truncate(n);
            proptest::prop_assert_eq!(rank(&c, &openings, n), plain);
        }
    }
}
