//! Demo journeys: the plan steps and a year of attendance that follow from each synthetic
//! participant (deterministic, like the rest of the demo).

use crate::population::SyntheticParticipant;
use stegvis_domain::Answer;
use stegvis_domain::attendance::{AbsenceReason, ActivityKind};
use stegvis_domain::placement::PlacementKind;
use stegvis_domain::plan::{StepOwner, StepStatus};
use time::{Date, Duration, Weekday};

/// The activity catalogue every demo project offers: kind, name, the session's length, and
/// when it meets (weekday, hour); the demo's attendance follows the same week.
pub(super) const CATALOGUE: &[(ActivityKind, &str, u32, Weekday, u8)] = &[
    (
        ActivityKind::Guidance,
        "Individuell vägledning",
        60,
        Weekday::Friday,
        10,
    ),
    (
        ActivityKind::GroupSession,
        "Jobbsökargrupp",
        180,
        Weekday::Tuesday,
        9,
    ),
    (
        ActivityKind::WorkOriented,
        "Arbetsträning",
        240,
        Weekday::Wednesday,
        8,
    ),
    (
        ActivityKind::HealthAndLeisure,
        "Hälsa och friskvård",
        120,
        Weekday::Thursday,
        13,
    ),
    (
        ActivityKind::Sfi,
        "SFI – svenska för invandrare",
        180,
        Weekday::Monday,
        9,
    ),
    (
        ActivityKind::Motivation,
        "Motivationsgrupp",
        120,
        Weekday::Thursday,
        13,
    ),
];

/// Demo employers' workplace, its accessibility, and its openings (title, kind, SSYK 2012,
/// hours a week, adaptations possible).
#[allow(clippy::type_complexity)]
pub(super) const EMPLOYERS: &[(&str, &str, &str, &[(&str, PlacementKind, &str, i32, &str)])] = &[
    (
        "Demo Trädgård AB",
        "Handelsträdgården",
        "Marknivå hela vägen, grusgångar, personalrum med ramp.",
        &[
            (
                "Trädgårdsarbete",
                PlacementKind::WorkTraining,
                "6113",
                20,
                "Korta pass i början, arbete i lugn takt.",
            ),
            (
                "Växthusarbete",
                PlacementKind::WorkTrial,
                "6112",
                16,
                "Sittande arbete går att ordna.",
            ),
        ],
    ),
    (
        "Demo Butik i Hässleholm AB",
        "Butiken vid torget",
        "Hiss till lagret, hörselslinga i kassan.",
        &[
            (
                "Butiksbiträde",
                PlacementKind::WorkPractice,
                "5222",
                20,
                "Start efter klockan tio.",
            ),
            (
                "Lagerarbete",
                PlacementKind::WorkTrial,
                "4322",
                24,
                "Tunga lyft kan undvikas.",
            ),
        ],
    ),
    (
        "Demo Café Gemenskap",
        "Caféet",
        "Entré utan trappsteg, lugnt rum för pauser.",
        &[(
            "Café- och köksbiträde",
            PlacementKind::WorkTraining,
            "9412",
            15,
            "Instruktioner på lätt svenska.",
        )],
    ),
    (
        "Demo Second hand Malmö (socialt företag)",
        "Butiken och sorteringen",
        "Hiss, sittplatser vid sorteringen.",
        &[
            (
                "Sortering av skänkta varor",
                PlacementKind::WorkTraining,
                "9629",
                20,
                "Sittande arbete, egen takt.",
            ),
            (
                "Butiksarbete second hand",
                PlacementKind::WorkPractice,
                "5223",
                20,
                "Korta pass i början.",
            ),
        ],
    ),
    (
        "Demo Verkstad Helsingborg AB",
        "Verkstaden i hamnen",
        "Ramp, hörselskydd finns.",
        &[(
            "Verkstadsarbete",
            PlacementKind::WorkTrial,
            "8219",
            30,
            "Handledare på plats hela dagen.",
        )],
    ),
    (
        "Demo Skog och Service Östersund AB",
        "Förrådet i Lugnvik",
        "Marknivå, bil behövs till arbetsplatserna.",
        &[(
            "Fastighetsskötsel",
            PlacementKind::WorkTraining,
            "5152",
            25,
            "Arbete i par.",
        )],
    ),
];

/// Occupations demo participants want or have done (SSYK 2012 unit groups).
pub(super) const JOB_CODES: &[&str] = &[
    "5222", "5223", "5230", "4322", "6112", "6113", "9111", "9412", "5120", "5321",
];

/// Days of attendance kept at the end of an enrolment that ended over a year ago.
const HISTORY_DAYS: i64 = 21;

/// One demo attendance line: catalogue index, day, minutes attended or the absence.
pub(super) struct DemoAttendance {
    pub activity: usize,
    pub on: Date,
    pub minutes: u32,
    pub absence: Option<AbsenceReason>,
}

/// One demo plan step.
pub(super) struct DemoStep {
    pub goal: &'static str,
    pub step: &'static str,
    pub owner: StepOwner,
    pub status: StepStatus,
    pub due_on: Option<Date>,
    pub participant_words: Option<&'static str>,
}

/// SplitMix64: a small deterministic generator for per-day draws.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The participant's week: which catalogue activities (each on its own weekday).
fn week(p: &SyntheticParticipant, h: u64) -> Vec<(Weekday, usize)> {
    let mut chosen = vec![1, 0];
    if p.baseline.born_abroad == Some(Answer::Yes) {
        chosen.push(4);
    }
    if !h.is_multiple_of(3) {
        chosen.push(2);
    }
    chosen.push(if h.is_multiple_of(2) { 3 } else { 5 });
    chosen.into_iter().map(|i| (CATALOGUE[i].3, i)).collect()
}

/// Attendance over the last year (up to `today`), and the last weeks of older enrolments (so
/// years of history carry some, about 20 rows a participant on average): a weekly pattern,
/// individual guidance every other week, a summer break in July, and about one absence in eight.
pub(super) fn attendance(p: &SyntheticParticipant, h: u64, today: Date) -> Vec<DemoAttendance> {
    let end = p
        .exit
        .map_or(today, |(on, _)| on)
        .min(today - Duration::days(1));
    let year_ago = today - Duration::days(365);
    let start = p.enrolled_on.max(if end >= year_ago {
        year_ago
    } else {
        end - Duration::days(HISTORY_DAYS)
    });
    let pattern = week(p, h);
    let mut out = Vec::new();
    let mut day = start;
    while day <= end {
        let weekly = pattern.iter().find(|(w, _)| *w == day.weekday());
        let guidance_week = day.iso_week().is_multiple_of(2);
        if let Some(&(_, activity)) = weekly
            && day.month() != time::Month::July
            && (activity != 0 || guidance_week)
        {
            let draw = mix(h ^ (day.to_julian_day() as u64).wrapping_mul(31));
            let usual = CATALOGUE[activity].2;
            let (minutes, absence) = match draw % 100 {
                0..=4 => (0, Some(AbsenceReason::Sick)),
                5..=6 => (0, Some(AbsenceReason::CareOfChild)),
                7..=9 => (0, Some(AbsenceReason::OtherAppointment)),
                10..=11 => (0, Some(AbsenceReason::Unexcused)),
                // Some leave early: whole and partial hours both occur.
                12..=21 => (usual - 45, None),
                _ => (usual, None),
            };
            out.push(DemoAttendance {
                activity,
                on: day,
                minutes,
                absence,
            });
        }
        day += Duration::days(1);
    }
    out
}

/// Goals and steps of the kind the seeds describe, with the participant's own words for some.
const STEPS: &[(&str, &str, StepOwner, Option<&str>)] = &[
    (
        "Arbete inom handel",
        "Skriva ett CV tillsammans med coachen",
        StepOwner::Staff,
        None,
    ),
    (
        "Arbete inom handel",
        "Söka tre jobb i veckan",
        StepOwner::Participant,
        Some("Jag vill jobba i en butik nära hemmet."),
    ),
    (
        "Bättre hälsa",
        "Gå på promenadgruppen två gånger i veckan",
        StepOwner::Participant,
        Some("Jag mår bättre när jag rör på mig."),
    ),
    (
        "Bättre svenska",
        "Börja på SFI kurs C",
        StepOwner::Participant,
        Some("Jag vill kunna prata med kunder."),
    ),
    (
        "Arbetsträning",
        "Boka studiebesök på en arbetsplats",
        StepOwner::Staff,
        None,
    ),
    (
        "Arbetsträning",
        "Prova arbetsträning fyra timmar om dagen",
        StepOwner::Participant,
        Some("Jag vill börja lugnt."),
    ),
    (
        "Körkort",
        "Läsa teori till körkortet",
        StepOwner::Participant,
        Some("Körkort gör att jag kan ta fler jobb."),
    ),
    (
        "Stabil ekonomi",
        "Möte med budget- och skuldrådgivningen",
        StepOwner::Staff,
        None,
    ),
];

/// Three steps: the first done, the second under way, the third ahead. For someone who has
/// left, all are settled; for someone still enrolled the second is sometimes overdue.
pub(super) fn plan(p: &SyntheticParticipant, h: u64, today: Date) -> Vec<DemoStep> {
    let first = (h % STEPS.len() as u64) as usize;
    let running = p.exit.is_none();
    let base = p.enrolled_on + Duration::days(30);
    (0..3)
        .map(|k| {
            let (goal, step, owner, words) = STEPS[(first + k * 3) % STEPS.len()];
            let due = base + Duration::days(45 * k as i64 + (h >> (8 + k)) as i64 % 20);
            let status = match (running, k) {
                (_, 0) => StepStatus::Done,
                (false, _) if (h >> k).is_multiple_of(4) => StepStatus::Dropped,
                (false, _) => StepStatus::Done,
                (true, 1) => StepStatus::InProgress,
                (true, _) => StepStatus::Planned,
            };
            // Someone still enrolled: keep the open steps near today, one in five overdue.
            let due_on = if running && k > 0 {
                let ahead = if (h >> 20).is_multiple_of(5) && k == 1 {
                    -6
                } else {
                    10 + 20 * k as i64
                };
                Some(today + Duration::days(ahead))
            } else {
                Some(due)
            };
            DemoStep {
                goal,
                step,
                owner,
                status,
                due_on,
                participant_words: words,
            }
        })
        .collect()
}
