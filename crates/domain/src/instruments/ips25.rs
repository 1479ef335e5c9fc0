//! IPS-25, the Supported Employment Fidelity Scale (2008 edition, described as public domain),
//! for reviewing a programme rather than a participant. The item-level criteria for each score
//! are in the IPS fidelity manual; the anchors here give the general reading of the scale.

use super::{domain, scale_1_5};
use crate::assessment::{Instrument, Licence, Subject};

crate::code_list!(
    /// The fidelity band of an IPS-25 total (25–125).
    FidelityBand, "IPS fidelity band" {
        Exemplary => "exemplary", "Exemplarisk programtrohet", "Exemplary fidelity";
        Good => "good", "God programtrohet", "Good fidelity";
        Fair => "fair", "Godtagbar programtrohet", "Fair fidelity";
        NotSupportedEmployment => "not_supported_employment", "Inte supported employment", "Not supported employment";
    }
);

/// The band for a total: 115–125 exemplary, 100–114 good, 74–99 fair, up to 73 not supported
/// employment. Totals outside 25–125 cannot come from a full sheet; they fall in the end bands.
pub fn fidelity_band(total: u32) -> FidelityBand {
    match total {
        115.. => FidelityBand::Exemplary,
        100..=114 => FidelityBand::Good,
        74..=99 => FidelityBand::Fair,
        _ => FidelityBand::NotSupportedEmployment,
    }
}

/// IPS-25 version 1 (the 2008 scale): Staffing 3, Organisation 8, Services 14 items, each 1–5.
pub fn ips25() -> Instrument {
    let scale = scale_1_5([
        ("Inte genomfört", "Not implemented"),
        ("I liten grad", "To a small extent"),
        ("Delvis", "Partly"),
        ("I stor grad", "Largely"),
        ("Fullt ut enligt modellen", "Fully, as the model describes"),
    ]);
    Instrument {
        key: "ips25".into(),
        version: 1,
        name_sv: "IPS-25, skala för programtrohet i supported employment".into(),
        name_en: "IPS-25 Supported Employment Fidelity Scale".into(),
        licence: Licence {
            note: "IPS-25 (2008), beskriven som allmän egendom".into(),
            scores_only: false,
        },
        subject: Subject::Programme,
        domains: vec![
            domain(
                "staffing",
                "Personal",
                "Staffing",
                &scale,
                &[
                    (
                        "caseload_size",
                        "Antal deltagare per arbetsspecialist (högst 20 ger 5)",
                        "Caseload size (20 or fewer per employment specialist scores 5)",
                    ),
                    (
                        "employment_services_staff",
                        "Arbetsspecialisterna arbetar bara med stöd till arbete",
                        "Employment services staff",
                    ),
                    (
                        "vocational_generalists",
                        "Arbetsspecialisten ger stöd i alla faser",
                        "Vocational generalists",
                    ),
                ],
            ),
            domain(
                "organisation",
                "Organisation",
                "Organisation",
                &scale,
                &[
                    (
                        "integration_team_assignment",
                        "Samordning med psykiatrisk behandling genom teamtillhörighet",
                        "Integration with mental-health treatment through team assignment",
                    ),
                    (
                        "integration_team_contact",
                        "Samordning med psykiatrisk behandling genom täta teamkontakter",
                        "Integration with mental-health treatment through frequent team contact",
                    ),
                    (
                        "vocational_rehabilitation_collaboration",
                        "Samarbete med handläggare för arbetslivsinriktad rehabilitering",
                        "Collaboration with vocational-rehabilitation counsellors",
                    ),
                    (
                        "vocational_unit",
                        "Arbetsspecialisterna bildar en egen enhet",
                        "Vocational unit",
                    ),
                    (
                        "supervisor_role",
                        "Arbetsledarens roll",
                        "Role of the employment supervisor",
                    ),
                    (
                        "zero_exclusion",
                        "Ingen utestängning: alla som vill arbeta får delta",
                        "Zero exclusion criteria",
                    ),
                    (
                        "competitive_employment_focus",
                        "Verksamhetens fokus på arbete på den öppna arbetsmarknaden",
                        "Agency focus on competitive employment",
                    ),
                    (
                        "executive_support",
                        "Ledningens stöd för supported employment",
                        "Executive team support for supported employment",
                    ),
                ],
            ),
            domain(
                "services",
                "Insatser",
                "Services",
                &scale,
                &[
                    (
                        "work_incentives_planning",
                        "Planering av ersättningar och inkomst vid arbete",
                        "Work-incentives planning",
                    ),
                    (
                        "disclosure",
                        "Stöd i att välja vad arbetsgivaren får veta",
                        "Disclosure",
                    ),
                    (
                        "work_based_assessment",
                        "Löpande kartläggning i arbetet",
                        "Ongoing work-based assessment",
                    ),
                    (
                        "rapid_job_search",
                        "Snabb jobbsökning (inom 30 dagar)",
                        "Rapid job search (within 30 days)",
                    ),
                    (
                        "individualised_job_search",
                        "Jobbsökning efter deltagarens val",
                        "Individualised job search",
                    ),
                    (
                        "job_development_frequency",
                        "Arbetsgivarkontakter: hur ofta",
                        "Job development: frequent employer contact",
                    ),
                    (
                        "job_development_quality",
                        "Arbetsgivarkontakter: kvalitet",
                        "Job development: quality of employer contact",
                    ),
                    (
                        "diversity_of_job_types",
                        "Olika slags arbeten",
                        "Diversity of job types",
                    ),
                    (
                        "diversity_of_employers",
                        "Olika arbetsgivare",
                        "Diversity of employers",
                    ),
                    (
                        "competitive_jobs",
                        "Arbeten på den öppna arbetsmarknaden",
                        "Competitive jobs",
                    ),
                    (
                        "individualised_follow_along",
                        "Stöd efter anställning efter deltagarens behov",
                        "Individualised follow-along support",
                    ),
                    (
                        "time_unlimited_follow_along",
                        "Stöd efter anställning utan tidsgräns",
                        "Time-unlimited follow-along support",
                    ),
                    (
                        "community_based_services",
                        "Stöd ute i samhället, inte på kontoret",
                        "Community-based services",
                    ),
                    (
                        "assertive_outreach",
                        "Uppsökande arbete från det samordnade teamet",
                        "Assertive engagement and outreach by the integrated team",
                    ),
                ],
            ),
        ],
    }
}
