//! Stegvis's own work-readiness instrument, for self-rating and staff rating alike. Its domains
//! are the ones project applications name when they describe a kartläggning.

use super::{domain, scale_1_5};
use crate::assessment::{Instrument, Licence, Subject};

/// Stegvis work readiness, version 1. Every item scores 1–5, higher meaning closer to work.
pub fn work_readiness() -> Instrument {
    // Conditions are rated as barriers, resources as how well a statement fits: both read
    // naturally that way, and both run from 1 (far from work) to 5 (close to work).
    let barrier = scale_1_5([
        ("Stort hinder", "A major barrier"),
        ("Ganska stort hinder", "Quite a big barrier"),
        ("Visst hinder", "Some barrier"),
        ("Litet hinder", "A small barrier"),
        ("Inget hinder", "No barrier"),
    ]);
    let fit = scale_1_5([
        ("Stämmer inte alls", "Not true at all"),
        ("Stämmer lite", "A little true"),
        ("Stämmer delvis", "Partly true"),
        ("Stämmer till stor del", "Mostly true"),
        ("Stämmer helt", "Completely true"),
    ]);
    Instrument {
        key: "stegvis_work_readiness".into(),
        version: 1,
        name_sv: "Stegvis kartläggning: steg mot arbete".into(),
        name_en: "Stegvis work-readiness assessment".into(),
        licence: Licence {
            note: "Stegvis, fri att använda (AGPL-3.0)".into(),
            scores_only: false,
        },
        subject: Subject::Participant,
        domains: vec![
            domain(
                "health",
                "Hälsa",
                "Health",
                &barrier,
                &[
                    ("physical_health", "Fysisk hälsa", "Physical health"),
                    (
                        "mental_health",
                        "Psykisk hälsa och mående",
                        "Mental health and well-being",
                    ),
                    (
                        "energy_routines",
                        "Sömn, ork och dagliga rutiner",
                        "Sleep, energy and daily routines",
                    ),
                ],
            ),
            domain(
                "education_language",
                "Utbildning och språk",
                "Education and language",
                &barrier,
                &[
                    (
                        "education",
                        "Utbildning och betyg",
                        "Education and qualifications",
                    ),
                    (
                        "spoken_swedish",
                        "Att prata och förstå svenska",
                        "Speaking and understanding Swedish",
                    ),
                    (
                        "reading_writing",
                        "Att läsa och skriva",
                        "Reading and writing",
                    ),
                    (
                        "digital_skills",
                        "Att använda dator och digitala tjänster",
                        "Using computers and digital services",
                    ),
                ],
            ),
            domain(
                "work_experience",
                "Arbetslivserfarenhet",
                "Work experience",
                &barrier,
                &[
                    (
                        "work_history",
                        "Tidigare arbete eller praktik",
                        "Earlier work or placements",
                    ),
                    (
                        "time_since_work",
                        "Tid sedan senaste arbete eller praktik",
                        "Time since the last work or placement",
                    ),
                    (
                        "employer_contacts",
                        "Referenser och kontakter med arbetsgivare",
                        "References and contacts with employers",
                    ),
                ],
            ),
            domain(
                "social_housing",
                "Social situation och boende",
                "Social situation and housing",
                &barrier,
                &[
                    ("housing", "Boende", "Housing"),
                    ("finances", "Ekonomi och skulder", "Money and debts"),
                    (
                        "network",
                        "Stöd från familj, vänner och andra",
                        "Support from family, friends and others",
                    ),
                ],
            ),
            domain(
                "motivation_goals",
                "Motivation och mål",
                "Motivation and goals",
                &fit,
                &[
                    (
                        "wants_work",
                        "Vill arbeta eller studera",
                        "Wants to work or study",
                    ),
                    (
                        "has_goal",
                        "Har ett mål för arbete eller studier",
                        "Has a goal for work or studies",
                    ),
                    (
                        "believes_possible",
                        "Tror att målet går att nå",
                        "Believes the goal can be reached",
                    ),
                ],
            ),
            domain(
                "strengths_resources",
                "Styrkor och resurser",
                "Strengths and resources",
                &fit,
                &[
                    (
                        "knows_strengths",
                        "Vet vad hen är bra på",
                        "Knows what they are good at",
                    ),
                    (
                        "interests",
                        "Har intressen eller erfarenheter att bygga vidare på",
                        "Has interests or experience to build on",
                    ),
                    (
                        "cooperation",
                        "Kan samarbeta och be om hjälp",
                        "Can work with others and ask for help",
                    ),
                ],
            ),
            domain(
                "practical_conditions",
                "Praktiska förutsättningar",
                "Practical conditions",
                &barrier,
                &[
                    (
                        "transport",
                        "Resor till arbete eller aktivitet",
                        "Getting to work or activities",
                    ),
                    (
                        "care_duties",
                        "Barnomsorg och ansvar för andra",
                        "Childcare and caring for others",
                    ),
                    (
                        "phone_internet",
                        "Tillgång till telefon, dator och internet",
                        "Access to a phone, computer and internet",
                    ),
                ],
            ),
        ],
    }
}
