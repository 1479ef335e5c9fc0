//! `stegvis demo`: the five seed projects with their facts, their organisations, one user per role,
//! and a deterministic synthetic population. Idempotent: running it again changes nothing.
//!
//! The five seed projects have all ended, so a sixth, clearly marked as made up, runs today: it
//! gives the coaches a current caseload, plans and a year of attendance to work with.

mod collaboration;
mod goals;
mod journey;

use collaboration::{demo_participant_consent, demo_teams};
use goals::seed_goals;

use crate::population::{
    DemoProject, SyntheticIdentity, SyntheticParticipant, TargetProfile, population,
};
use std::time::{Duration, Instant};
use stegvis_app::operator;
use stegvis_app::reference::municipality_code;
use stegvis_app::users::UserInput;
use stegvis_app::{App, AppError, Result};
use stegvis_domain::placement::PlacementStatus;
use stegvis_domain::{IdentityInput, IdentityNumber, Role};
use stegvis_store::project::ProjectRow;
use time::Date;
use time::macros::date;
use uuid::Uuid;

/// Password of every demo user; the demo only listens on loopback.
pub const DEMO_PASSWORD: &str = "stegvis-demo";

struct SeedProject {
    number: Option<&'static str>,
    name: &'static str,
    owner: &'static str,
    region: &'static str,
    programme_area: Option<&'static str>,
    specific_objective: Option<&'static str>,
    intervention_type: Option<&'static str>,
    rate: Option<i32>,
    period: (Date, Date),
    total_budget: i64,
    esf_support: i64,
    planned: Option<i32>,
    contact: (&'static str, &'static str, Option<&'static str>),
    postcode: Option<&'static str>,
    partners: &'static [&'static str],
    cofinanciers: &'static [&'static str],
    municipalities: &'static [&'static str],
    profile: TargetProfile,
    summary: &'static str,
}

/// Organisations of the seeds: (name, kind, municipality).
const ORGANISATIONS: &[(&str, &str, Option<&str>)] = &[
    (
        "Hässleholms kommun, Arbetsmarknadsenheten",
        "municipality_unit",
        Some("Hässleholm"),
    ),
    (
        "Helsingborgs stad, arbetsmarknadsförvaltningen",
        "municipality_unit",
        Some("Helsingborg"),
    ),
    (
        "Region Jämtland Härjedalen, Välfärd och klimat",
        "region",
        None,
    ),
    ("Skåne Stadsmission", "ngo", Some("Malmö")),
    ("Arbetsförmedlingen", "state_agency", None),
    ("Försäkringskassan", "state_agency", None),
    (
        "Hässleholms kommun, Socialförvaltningen",
        "municipality_unit",
        Some("Hässleholm"),
    ),
    (
        "Hässleholms kommun, SFI",
        "municipality_unit",
        Some("Hässleholm"),
    ),
    ("Region Skåne, primärvård och psykiatri", "region", None),
    (
        "Helsingborgs stad, skol- och fritidsförvaltningen",
        "municipality_unit",
        Some("Helsingborg"),
    ),
    (
        "Helsingborgs stad, socialförvaltningen",
        "municipality_unit",
        Some("Helsingborg"),
    ),
    (
        "Arbete och välfärdsförvaltningen",
        "municipality_unit",
        None,
    ),
    (
        "Arbetsmarknad- och Kompetensutv/Socialförvaltningen",
        "municipality_unit",
        None,
    ),
    (
        "Arbetsförmedlingen Hässleholm",
        "state_agency",
        Some("Hässleholm"),
    ),
    ("Demo Trädgård AB", "employer", Some("Hässleholm")),
    ("Demo Butik i Hässleholm AB", "employer", Some("Hässleholm")),
    ("Demo Café Gemenskap", "social_enterprise", Some("Malmö")),
    (
        "Demo Second hand Malmö (socialt företag)",
        "social_enterprise",
        Some("Malmö"),
    ),
    (
        "Demo Verkstad Helsingborg AB",
        "employer",
        Some("Helsingborg"),
    ),
    (
        "Demo Skog och Service Östersund AB",
        "employer",
        Some("Östersund"),
    ),
];

const HASSLEHOLM: &str = "Hässleholms kommun, Arbetsmarknadsenheten";

const FAMILJEN_HELSINGBORG: &[&str] = &[
    "Helsingborg",
    "Bjuv",
    "Båstad",
    "Höganäs",
    "Klippan",
    "Landskrona",
    "Perstorp",
    "Svalöv",
    "Åstorp",
    "Ängelholm",
    "Örkelljunga",
];

const JAMTLAND_EXCEPT_HARJEDALEN: &[&str] = &[
    "Berg",
    "Bräcke",
    "Krokom",
    "Ragunda",
    "Strömsund",
    "Åre",
    "Östersund",
];

fn seeds() -> Vec<SeedProject> {
    vec![
        SeedProject {
            number: Some("2017/00127"),
            name: "JagKan",
            owner: "Helsingborgs stad, arbetsmarknadsförvaltningen",
            region: "Sydsverige",
            programme_area: None,
            specific_objective: Some("2.3"),
            intervention_type: None,
            rate: None,
            period: (date!(2017 - 09 - 01), date!(2020 - 08 - 31)),
            total_budget: 14_810_023,
            esf_support: 9_848_401,
            planned: Some(115),
            contact: (
                "Pernille Brabrand",
                "pernille.brabrand@helsingborg.se",
                None,
            ),
            postcode: None,
            partners: &[
                "Helsingborgs stad, skol- och fritidsförvaltningen",
                "Helsingborgs stad, socialförvaltningen",
                "Arbetsförmedlingen",
                "Försäkringskassan",
                "Region Skåne, primärvård och psykiatri",
            ],
            cofinanciers: &[],
            municipalities: FAMILJEN_HELSINGBORG,
            profile: TargetProfile::LongTermUnemployedMentalHealth,
            summary: "Projektet JagKan riktar sig till långtidsarbetslösa invånare. För en del av målgruppen kan psykisk ohälsa eller annan problematik utgöra ett hinder för att komma in på eller närma sig arbetsmarknaden. Invånarna ska vara medskapare av metoderna samt äga och driva sin egen process. Projektet utvecklar befintliga samverkansteam i Helsingborgs stad, stödjer kommunerna i Familjen Helsingborg och inför Supported education samt ett hälso- och fritidsspår. Transnationell partner: Hanze University i Groningen.",
        },
        SeedProject {
            number: None,
            name: "Samverkan utan gränser",
            owner: HASSLEHOLM,
            region: "Sydsverige",
            programme_area: Some("Programområde 2 Ökat arbetskraftsutbud"),
            specific_objective: None,
            intervention_type: None,
            rate: None,
            period: (date!(2012 - 02 - 01), date!(2014 - 12 - 31)),
            total_budget: 25_397_159,
            esf_support: 10_638_862,
            planned: None,
            contact: (
                "Margaretha Håkansson",
                "margaretha.hakansson@hassleholm.se",
                Some("0451-267064"),
            ),
            postcode: None,
            partners: &[
                "Arbete och välfärdsförvaltningen",
                "Arbetsförmedlingen Hässleholm",
                "Arbetsmarknad- och Kompetensutv/Socialförvaltningen",
            ],
            cofinanciers: &[
                "Arbete och välfärdsförvaltningen",
                "Arbetsmarknad- och Kompetensutv/Socialförvaltningen",
            ],
            municipalities: &["Hässleholm", "Kristianstad"],
            profile: TargetProfile::LongTermUnemployedMentalHealth,
            summary: "Projekt för långtidsarbetslösa som på grund av psykisk ohälsa har svårt att ta sig in på den reguljära arbetsmarknaden samt långtidsarbetslösa invandrare, i samarbete mellan Hässleholms kommun och Kristianstads kommun (cirka 150 personer i målgruppen). Målgruppens behov och förutsättningar ska kartläggas, metoder för samverkan mellan offentliga och privata aktörer utvecklas, och individanpassade insatser för självutveckling, hälsa, praktik och lärande samt en aktiv utsluss ska ge förutsättningar för arbete eller annan aktiv sysselsättning. Projektfas: Genomförande.",
        },
        SeedProject {
            number: Some("2019/00383"),
            name: "En väg in",
            owner: HASSLEHOLM,
            region: "Sydsverige",
            programme_area: Some("2"),
            specific_objective: Some("2.1"),
            intervention_type: Some("102"),
            rate: Some(50),
            period: (date!(2020 - 04 - 01), date!(2022 - 03 - 31)),
            total_budget: 9_249_253,
            esf_support: 4_341_993,
            planned: Some(100),
            // The project bank spells the contact's name with three s; kept as published.
            contact: (
                "Margaretha Håkanssson",
                "margaretha.hakansson@hassleholm.se",
                None,
            ),
            postcode: Some("28180"),
            partners: &[
                "Arbetsförmedlingen",
                "Försäkringskassan",
                "Hässleholms kommun, Socialförvaltningen",
                "Region Skåne, primärvård och psykiatri",
                "Hässleholms kommun, SFI",
            ],
            cofinanciers: &[],
            municipalities: &["Hässleholm"],
            profile: TargetProfile::SocialAssistance,
            summary: "Projektaktiviteterna är skapade för 100 deltagare som uppbär ekonomiskt bistånd och som också kommer att djupkartläggas. Minst 75 procent av de 100 projektdeltagarna ska efter att ha deltagit i kompetensutveckling ha erbjudits arbetsprövning, arbetsträning eller praktik. Tre pelare: en Hässleholmsmodell för socialt ansvarstagande vid upphandlingar, effektiviserad samverkan med AF, FK, SFV, psykiatrin och SFI med en gemensam kartläggningsstruktur, och metodutveckling kring de verksamma faktorerna.",
        },
        SeedProject {
            number: Some("2019/00419"),
            name: "Vägar till egenförsörjning",
            owner: "Region Jämtland Härjedalen, Välfärd och klimat",
            region: "Mellersta Norrland",
            programme_area: Some("2"),
            specific_objective: Some("2.1"),
            intervention_type: Some("102"),
            rate: Some(50),
            period: (date!(2020 - 02 - 01), date!(2022 - 06 - 30)),
            total_budget: 29_815_599,
            esf_support: 19_895_809,
            planned: Some(210),
            contact: ("Ulrika Winberg", "ulrika.winberg@regionjh.se", None),
            postcode: Some("83127"),
            partners: &[],
            cofinanciers: &[],
            municipalities: JAMTLAND_EXCEPT_HARJEDALEN,
            profile: TargetProfile::FarFromLabourMarket,
            summary: "Projekt 14 45 87 Vägar till egenförsörjning (i projektbanken: 144587Vägartillegenförsörjning) utvecklar formerna för att stödja dem som står längst ifrån arbetsmarknaden i en process mot arbete och egen försörjning, bland annat kvinnor födda utanför EU med kort utbildning, långtidsarbetslösa, personer med funktionsnedsättning och personer med psykisk ohälsa. Alla kommuner i länet utom Härjedalen arbetar med kartläggningar, stöttade arbetstränings- och praktikplatser i lågtröskelarenor och normkritisk matchning. Målet är att 210 personer går igenom projektet och att minst 125 av dem lämnar projektet på god väg mot egenförsörjning, till exempel i en anpassad anställning eller en arbetsmarknadsutbildning.",
        },
        SeedProject {
            number: Some("2016/00112"),
            name: "Samverkan mot utanförskap",
            owner: "Skåne Stadsmission",
            region: "Sydsverige",
            programme_area: None,
            specific_objective: Some("2.3"),
            intervention_type: None,
            rate: None,
            period: (date!(2016 - 09 - 01), date!(2019 - 08 - 31)),
            total_budget: 12_116_639,
            esf_support: 5_683_594,
            planned: Some(145),
            contact: ("Dorota Calus", "dorota.calus@skanestadsmission.se", None),
            postcode: None,
            partners: &[],
            cofinanciers: &[],
            municipalities: &["Malmö", "Kristianstad", "Skurup"],
            profile: TargetProfile::ComplexNeeds,
            summary: "Målet är att kvinnor och män som står särskilt långt från arbetsmarknaden ska komma i arbete, utbildning, arbetsmarknadspolitiska program eller närmare arbetsmarknaden, och att utveckla samordnade insatser för individer med sammansatt problematik. Målgrupper: långtidsarbetslösa (mer än 12 månader), personer som inte är inskrivna på AF, personer med funktionsnedsättning som medför nedsatt arbetsförmåga, personer som varit sjukskrivna och unga med aktivitetsersättning. Arbetsträning och praktik i Skåne Stadsmissions sju sociala företag i Malmö; en metodbok tas fram.",
        },
        // Made up, and says so: the seed projects have ended, and a demo needs one that runs today.
        SeedProject {
            number: None,
            name: ONGOING,
            owner: HASSLEHOLM,
            region: "Sydsverige",
            programme_area: None,
            specific_objective: None,
            intervention_type: None,
            rate: None,
            period: (date!(2025 - 08 - 01), date!(2027 - 07 - 31)),
            total_budget: 6_000_000,
            esf_support: 3_000_000,
            planned: Some(120),
            contact: ("Johan Berg", "projektledare@demo.stegvis.se", None),
            postcode: None,
            partners: &[
                "Arbetsförmedlingen",
                "Hässleholms kommun, Socialförvaltningen",
                "Hässleholms kommun, SFI",
            ],
            cofinanciers: &[],
            municipalities: &["Hässleholm"],
            profile: TargetProfile::SocialAssistance,
            summary: "Påhittat demoprojekt, inte ett verkligt ESF-projekt. Det fortsätter arbetssättet från En väg in så att demon har ett pågående projekt: deltagare med försörjningsstöd får kartläggning, en handlingsplan de skriver själva, gruppaktiviteter, arbetsträning och SFI.",
        },
    ]
}

/// The made-up project that runs today.
pub const ONGOING: &str = "Nästa steg (demoprojekt)";

/// Demo users: (e-mail, name, role, organisation).
const USERS: &[(&str, &str, Role, &str)] = &[
    (
        "coach@demo.stegvis.se",
        "Karin Lund",
        Role::Coach,
        HASSLEHOLM,
    ),
    (
        "coach2@demo.stegvis.se",
        "Ahmed Yusuf",
        Role::Coach,
        HASSLEHOLM,
    ),
    (
        "projektledare@demo.stegvis.se",
        "Johan Berg",
        Role::ProjectManager,
        HASSLEHOLM,
    ),
    ("admin@demo.stegvis.se", "Eva Holm", Role::Admin, HASSLEHOLM),
    (
        "dataskydd@demo.stegvis.se",
        "Sara Nyström",
        Role::Auditor,
        HASSLEHOLM,
    ),
    (
        "af@demo.stegvis.se",
        "Ali Hassan",
        Role::PartnerStaff,
        "Arbetsförmedlingen",
    ),
    (
        "handledare@demo.stegvis.se",
        "Per Ek",
        Role::Supervisor,
        "Demo Trädgård AB",
    ),
    (
        "coach.helsingborg@demo.stegvis.se",
        "Lina Persson",
        Role::Coach,
        "Helsingborgs stad, arbetsmarknadsförvaltningen",
    ),
    (
        "coach.jamtland@demo.stegvis.se",
        "Anders Olsson",
        Role::Coach,
        "Region Jämtland Härjedalen, Välfärd och klimat",
    ),
    (
        "coach.stadsmission@demo.stegvis.se",
        "Maria Jovanović",
        Role::Coach,
        "Skåne Stadsmission",
    ),
];

/// The participant's own demo account.
pub const PARTICIPANT_EMAIL: &str = "deltagare@demo.stegvis.se";

/// What `demo` did, for printing.
#[derive(Debug, Default)]
pub struct DemoReport {
    pub projects_created: usize,
    pub participants_created: usize,
    pub users: Vec<(String, String)>,
}

/// Creates the seed projects, organisations, users and `participants` synthetic participants.
pub async fn seed_demo(
    app: &App,
    participants: usize,
    seed: u64,
    progress: &dyn Fn(usize, usize),
) -> Result<DemoReport> {
    app.claim_for_demo().await?;
    // A seed that stopped half-way left its indexes to be built: build them first.
    app.bulk_load_finish().await?;
    let mut report = DemoReport::default();
    for (name, kind, muni) in ORGANISATIONS {
        let code = muni.and_then(municipality_code);
        app.ensure_organisation(name, kind, code.as_deref()).await?;
    }
    let mut projects = Vec::new();
    for s in seeds() {
        let (id, owner, created) = ensure_seed_project(app, &s).await?;
        report.projects_created += usize::from(created);
        projects.push((id, owner, s));
    }
    for (email, name, role, org) in USERS {
        if !app.has_user(email).await? {
            let org_id = app
                .organisation_named(org)
                .await?
                .map(|o| o.id.to_string())
                .unwrap_or_default();
            let input = UserInput {
                email: (*email).into(),
                name: (*name).into(),
                org_id,
                role: role.code().into(),
                password: DEMO_PASSWORD.into(),
            };
            app.add_user(&input, None).await?;
        }
        report
            .users
            .push(((*email).into(), role.label("sv").into()));
    }
    let goals_added = seed_goals(app, &projects).await?;
    seed_employers(app).await?;
    // Real job ads from the shipped JobTech sample (imported once: they carry their ids).
    app.import_job_ads(include_str!("../../../../data/jobtech_ads_sample.jsonl"))
        .await?;
    if !any_participants(app).await? {
        report.participants_created =
            seed_population(app, &projects, participants, seed, progress).await?;
    }
    if !app.has_user(PARTICIPANT_EMAIL).await? {
        let hassleholm = app
            .organisation_named(HASSLEHOLM)
            .await?
            .ok_or(AppError::NotFound)?;
        let own = first_participant_of(app, hassleholm.id).await?;
        let input = UserInput {
            email: PARTICIPANT_EMAIL.into(),
            name: "Demodeltagare".into(),
            org_id: hassleholm.id.to_string(),
            role: Role::Participant.code().into(),
            password: DEMO_PASSWORD.into(),
        };
        app.add_user(&input, own).await?;
        if let Some(own) = own {
            demo_participant_consent(app, own, hassleholm.id).await?;
        }
    }
    report.users.push((
        PARTICIPANT_EMAIL.into(),
        Role::Participant.label("sv").into(),
    ));
    // The population and goals were written directly, not through audited use cases.
    let started = Instant::now();
    app.ensure_report_tallies(goals_added || report.participants_created > 0)
        .await?;
    tracing::info!("demo: tallies in {:.1} s", started.elapsed().as_secs_f64());
    Ok(report)
}

/// A workplace with openings at each demo employer (once: only where none exists).
async fn seed_employers(app: &App) -> Result<()> {
    for (employer, workplace, accessibility, openings) in journey::EMPLOYERS {
        let Some(org) = app.organisation_named(employer).await? else {
            continue;
        };
        let mut tx = app.catalogue().await?;
        if !tx.workplaces_of(org.id).await?.is_empty() {
            tx.commit().await?;
            continue;
        }
        let now = app.now();
        let w = stegvis_store::placement::WorkplaceRow {
            id: Uuid::now_v7(),
            employer_org_id: org.id,
            name: (*workplace).into(),
            address: None,
            municipality_code: org.municipality_code.clone(),
            accessibility: Some((*accessibility).into()),
            contact_name: None,
            contact_phone: None,
            contact_email: None,
            created_at: now,
            created_by: None,
        };
        tx.insert_workplace(&w).await?;
        for (title, kind, ssyk, hours, adaptations) in *openings {
            tx.insert_opening(&stegvis_store::placement::OpeningRow {
                id: Uuid::now_v7(),
                workplace_id: w.id,
                title: (*title).into(),
                kind: kind.code().into(),
                ssyk_code: Some((*ssyk).into()),
                hours_per_week: Some(*hours),
                requirements: None,
                adaptations: Some((*adaptations).into()),
                min_swedish: Some("basic".into()),
                can_adapt: "short_days_at_first,quiet_place,easy_swedish".into(),
                status: "open".into(),
                source: "manual".into(),
                external_id: None,
                created_at: now,
                created_by: None,
            })
            .await?;
        }
        // A cooperation agreement with each demo employer.
        tx.insert_agreement(&stegvis_store::procurement::AgreementRow {
            id: Uuid::now_v7(),
            employer_org_id: org.id,
            kind: "cooperation".into(),
            signed_on: date!(2025 - 08 - 15),
            valid_to: Some(date!(2027 - 07 - 31)),
            note: Some("Demoavtal: handledare utses per plats.".into()),
            created_at: now,
            created_by: None,
        })
        .await?;
        // Hässleholm's procurement with social clauses binds the demo shop.
        if *employer == "Demo Butik i Hässleholm AB" {
            tx.insert_clause(&stegvis_store::procurement::ClauseRow {
                id: Uuid::now_v7(),
                employer_org_id: org.id,
                buyer: "Hässleholms kommun".into(),
                contract: "Lokalvård och butikstjänster 2025–2027 (demoavtal)".into(),
                promised_placements: 6,
                promised_jobs: 2,
                valid_from: date!(2025 - 08 - 01),
                valid_to: Some(date!(2027 - 07 - 31)),
                created_at: now,
                created_by: None,
            })
            .await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

async fn ensure_seed_project(app: &App, s: &SeedProject) -> Result<(Uuid, Uuid, bool)> {
    let mut tx = app.catalogue().await?;
    let owner = tx
        .organisation_by_name(s.owner)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(p) = tx.project_by_name(s.name).await? {
        tx.commit().await?;
        return Ok((p.id, p.owner_org_id, false));
    }
    let row = ProjectRow {
        id: Uuid::now_v7(),
        number: s.number.map(str::to_owned),
        name: s.name.into(),
        owner_org_id: owner.id,
        region: s.region.into(),
        programme_area: s.programme_area.map(str::to_owned),
        specific_objective: s.specific_objective.map(str::to_owned),
        intervention_type: s.intervention_type.map(str::to_owned),
        union_cofinancing_rate_pct: s.rate,
        period_start: s.period.0,
        period_end: s.period.1,
        total_budget: s.total_budget,
        esf_support: s.esf_support,
        planned_participants: s.planned,
        contact_name: Some(s.contact.0.into()),
        contact_email: Some(s.contact.1.into()),
        contact_phone: s.contact.2.map(str::to_owned),
        postcode: s.postcode.map(str::to_owned),
        summary: s.summary.into(),
        created_at: app.now(),
        phase: stegvis_domain::ProjectPhase::Implementation,
        eligibility: None,
        version: 1,
    };
    tx.insert_project(&row).await?;
    for (names, relation) in [(s.partners, "partner"), (s.cofinanciers, "cofinancier")] {
        for name in names {
            let org = tx
                .organisation_by_name(name)
                .await?
                .ok_or(AppError::NotFound)?;
            tx.link_project_organisation(row.id, org.id, relation)
                .await?;
        }
    }
    for m in s.municipalities {
        let code = municipality_code(m)
            .ok_or_else(|| AppError::Internal(format!("unknown municipality {m}")))?;
        tx.link_project_municipality(row.id, &code).await?;
    }
    for (kind, name, minutes, weekday, hour) in journey::CATALOGUE {
        let activity = stegvis_store::activity::ActivityRow {
            id: Uuid::now_v7(),
            project_id: row.id,
            kind: *kind,
            name: (*name).into(),
            created_at: row.created_at,
        };
        tx.insert_activity(&activity).await?;
        let schedule = stegvis_store::schedule::ScheduleRow {
            id: Uuid::now_v7(),
            activity_id: activity.id,
            weekday: i32::from(weekday.number_from_monday()),
            starts_at: format!("{hour:02}:00"),
            minutes: *minutes as i32,
            valid_from: row.period_start,
            valid_to: Some(row.period_end),
            place: None,
            created_at: row.created_at,
        };
        tx.insert_schedule(&schedule).await?;
    }
    tx.commit().await?;
    Ok((row.id, owner.id, true))
}

async fn seed_population(
    app: &App,
    projects: &[(Uuid, Uuid, SeedProject)],
    n: usize,
    seed: u64,
    progress: &dyn Fn(usize, usize),
) -> Result<usize> {
    let today = app.today();
    let demo: Vec<DemoProject> = projects
        .iter()
        .enumerate()
        .map(|(key, (_, _, s))| DemoProject {
            key,
            period_start: s.period.0,
            period_end: s.period.1,
            profile: s.profile,
            weight: s.planned.unwrap_or(150) as u32,
        })
        .collect();
    let mut context = Context::default();
    for (project, owner, _) in projects {
        let mut tx = app.catalogue_read().await?;
        let activities = tx.activities_of(*project).await?;
        tx.commit().await?;
        // In catalogue order; a project without the catalogue gets no attendance.
        let ids: Option<Vec<Uuid>> = journey::CATALOGUE
            .iter()
            .map(|(_, name, ..)| activities.iter().find(|a| a.name == *name).map(|a| a.id))
            .collect();
        context.activities.insert(*project, ids.unwrap_or_default());
        let mut tx = app.catalogue_read().await?;
        let home = tx
            .organisation(*owner)
            .await?
            .and_then(|o| o.municipality_code);
        tx.commit().await?;
        context.homes.insert(*owner, home);
    }
    demo_teams(app, projects, &mut context).await?;
    // The demo employers' openings, and their supervisors, for demo placements.
    {
        let mut tx = app.catalogue_read().await?;
        let demo: Vec<&str> = journey::EMPLOYERS.iter().map(|e| e.0).collect();
        let supervisors = tx.supervisors().await?;
        for o in tx.open_openings(2_000).await? {
            if demo.contains(&o.employer_name.as_str()) {
                let sup = supervisors
                    .iter()
                    .find(|s| s.employer_id == o.employer_id)
                    .map(|s| s.id);
                context.openings.push((o.id, o.workplace_id, o.kind, sup));
            }
        }
        tx.commit().await?;
    }
    // A dry pass over the deterministic stream (cheap): how many each organisation holds, and
    // how many of them are still enrolled, decides how many coaches it needs.
    let mut sizes: std::collections::BTreeMap<Uuid, (usize, usize)> = Default::default();
    for p in population(seed, n, &demo, today) {
        let size = sizes.entry(projects[p.project].1).or_default();
        size.0 += usize::from(p.exit.is_none());
        size.1 += 1;
    }
    context.coaches = ensure_coaches(app, &sizes).await?;

    // One thread generates (sealing identities, building rows) while this task writes.
    let owners: Vec<(Uuid, Uuid)> = projects
        .iter()
        .map(|(id, owner, _)| (*id, *owner))
        .collect();
    let (send, mut receive) = tokio::sync::mpsc::channel::<Result<Batch>>(2);
    let generator = {
        let app = app.clone();
        std::thread::spawn(move || {
            let now = app.now();
            let mut assign = Assigner::default();
            let mut batch = Batch::default();
            for p in population(seed, n, &demo, today) {
                let added = add_participant(
                    &app,
                    &owners,
                    &context,
                    &mut assign,
                    &p,
                    today,
                    now,
                    &mut batch,
                );
                if let Err(e) = added {
                    let _ = send.blocking_send(Err(e));
                    return;
                }
                // A closed channel means the writer failed: it reports why.
                if batch.participants == BATCH
                    && send.blocking_send(Ok(std::mem::take(&mut batch))).is_err()
                {
                    return;
                }
            }
            if batch.participants > 0 {
                let _ = send.blocking_send(Ok(batch));
            }
        })
    };
    let mut done = 0;
    progress(0, n);
    // Into empty tables, building their indexes once at the end is cheaper than row by row.
    app.bulk_load_start().await?;
    // Where the time goes: waiting for the generator, or writing.
    let (mut waited, mut wrote) = (Duration::ZERO, Duration::ZERO);
    let mut mark = Instant::now();
    while let Some(batch) = receive.recv().await {
        waited += mark.elapsed();
        mark = Instant::now();
        done += write_batch(app, &batch?).await?;
        wrote += mark.elapsed();
        mark = Instant::now();
        progress(done, n);
    }
    tracing::info!(
        "demo: waited {:.1} s for the generator, wrote for {:.1} s",
        waited.as_secs_f64(),
        wrote.as_secs_f64()
    );
    generator
        .join()
        .map_err(|_| AppError::Internal("demo: the generator stopped".into()))?;
    let started = Instant::now();
    app.bulk_load_finish().await?;
    tracing::info!(
        "demo: indexes built in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(done)
}

/// Participants per bulk transaction: enough that statements, not commits, set the pace.
const BATCH: usize = 4_000;
/// Current participants per coach, the caseload the issue describes.
const CASELOAD: usize = 40;
/// Participants per coach over the years, history included, at most.
const HISTORY_PER_COACH: usize = 400;
/// One current participant in this many has no coach yet, at most `UNASSIGNED_MAX` per
/// organisation: the list of participants without a coach has something, not thousands.
const UNASSIGNED_EVERY: usize = 50;
const UNASSIGNED_MAX: usize = 50;

/// How many of an organisation's `current` participants the demo leaves without a coach.
fn unassigned_of(current: usize) -> usize {
    ((current + UNASSIGNED_EVERY / 2) / UNASSIGNED_EVERY).min(UNASSIGNED_MAX)
}

/// One bulk transaction's rows, and how many participants of each organisation it holds.
#[derive(Default)]
struct Batch {
    rows: stegvis_store::batch::BatchRows,
    participants: usize,
    per_org: std::collections::BTreeMap<Uuid, usize>,
}

/// Writes one batch as a system job, audited for every organisation it loads into.
async fn write_batch(app: &App, batch: &Batch) -> Result<usize> {
    let detail = |n: &usize| format!("demo seed: {n} participants");
    let mut orgs = batch.per_org.iter();
    let Some((org, n)) = orgs.next() else {
        return Ok(0);
    };
    let mut tx = app.system_job(&detail(n), Some(*org)).await?;
    for (org, n) in orgs {
        app.system_job_also(&mut tx, &detail(n), Some(*org)).await?;
    }
    tx.insert_rows_of(&batch.rows).await?;
    tx.commit().await?;
    Ok(batch.participants)
}

/// Enough coaches in each organisation for about `CASELOAD` current participants each and at
/// most `HISTORY_PER_COACH` over the years; the demo's named coaches count, the rest are made
/// as `coach.<organisation>.<k>@demo.stegvis.se` with the demo password (hashed once).
async fn ensure_coaches(
    app: &App,
    sizes: &std::collections::BTreeMap<Uuid, (usize, usize)>,
) -> Result<Coaches> {
    let mut coaches = Coaches::new();
    for (org, &(current, total)) in sizes {
        let mut tx = app.catalogue_read().await?;
        let mut list = tx.staff_of(*org, Role::Coach).await?;
        let name = tx.organisation(*org).await?.map(|o| o.name);
        tx.commit().await?;
        let assigned = current - unassigned_of(current);
        let want = ((assigned + CASELOAD / 2) / CASELOAD)
            .max(total.div_ceil(HISTORY_PER_COACH))
            .max(1);
        if want > list.len() {
            let slug = slug(name.as_deref().unwrap_or("demo"));
            let people: Vec<(String, String)> = (list.len() + 1..=want)
                .map(|k| (format!("coach.{slug}.{k}@demo.stegvis.se"), coach_name(k)))
                .collect();
            list.extend(
                app.add_users_sharing_password(*org, Role::Coach, &people, DEMO_PASSWORD)
                    .await?,
            );
        }
        coaches.insert(*org, list);
    }
    Ok(coaches)
}

/// The first two words of an organisation's name, folded to ASCII: `hassleholms-kommun`.
fn slug(name: &str) -> String {
    name.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .take(2)
        .map(|w| {
            w.to_lowercase()
                .chars()
                .map(|c| match c {
                    'å' | 'ä' | 'á' | 'à' => 'a',
                    'ö' | 'ó' => 'o',
                    'é' | 'è' => 'e',
                    c => c,
                })
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// A made-up coach's name, from the demo's name lists.
fn coach_name(k: usize) -> String {
    use crate::population::{FAMILY, MEN, WOMEN};
    let given = if k.is_multiple_of(2) { WOMEN } else { MEN };
    format!(
        "{} {}",
        given[(k / 2 * 7) % given.len()],
        FAMILY[(k * 13) % FAMILY.len()]
    )
}

/// Everything one synthetic participant brings, added to `batch`.
#[allow(clippy::too_many_arguments)]
fn add_participant(
    app: &App,
    owners: &[(Uuid, Uuid)],
    context: &Context,
    assign: &mut Assigner,
    p: &SyntheticParticipant,
    today: Date,
    now: time::OffsetDateTime,
    batch: &mut Batch,
) -> Result<()> {
    let (project_id, org_id) = &owners[p.project];
    let rows = &mut batch.rows;
    let identity = match &p.identity {
        SyntheticIdentity::Number(digits) => IdentityInput::Number(
            IdentityNumber::parse(digits, today)
                .map_err(|e| AppError::Internal(format!("demo identity: {e}")))?,
        ),
        SyntheticIdentity::Protected => IdentityInput::Protected,
        SyntheticIdentity::NoNumber => IdentityInput::NoNumber,
    };
    let id = Uuid::now_v7();
    let mut row = app.sealed_participant_row(
        id,
        *org_id,
        &identity,
        &p.given_name,
        &p.family_name,
        p.gender,
    );
    if row.birth_date.is_none() {
        row.birth_date = Some(p.birth_date);
    }
    rows.participant(&row);
    let mut e = operator::enrolment_row(*org_id, id, *project_id, p.enrolled_on, &p.baseline, now);
    e.coach_id = assign.coach(&context.coaches, *org_id, p);
    if let Some((on, status)) = p.exit {
        e.exited_on = Some(on);
        e.exit_status = Some(status);
    }
    rows.enrolment(&e);
    if let Some((exited_on, status)) = p.exit {
        for mut f in operator::planned_follow_ups(&e, exited_on) {
            // Past follow-ups were made on their day, with results that fit the exit.
            if f.due_on <= today {
                use stegvis_domain::ExitStatus as S;
                let yes = |b: bool| Some(if b { "yes" } else { "no" }.to_owned());
                let employed = matches!(status, S::Work | S::SubsidisedWork);
                f.done_on = Some(f.due_on);
                f.employed = yes(employed);
                if f.kind == stegvis_domain::follow_up::FollowUpKind::ImmediateResult {
                    f.job_searching = yes(status == S::JobSeeking);
                    f.in_education = yes(matches!(status, S::Studies | S::LabourMarketProgramme));
                    f.gained_qualification = yes(false);
                } else {
                    f.improved_situation = yes(false);
                }
                f.recorded_at = Some(now);
            }
            rows.follow_up(&f);
        }
    }
    let h = participant_hash(p);
    for (row, scores) in demo_assessments(p, h, *org_id, id, today, now) {
        rows.assessment(&row, &scores);
    }
    for s in journey::plan(p, h, today) {
        rows.plan_step(&stegvis_store::plan::PlanStepRow {
            org_id: *org_id,
            id: Uuid::now_v7(),
            participant_id: id,
            goal: s.goal.into(),
            step: s.step.into(),
            owner: s.owner,
            due_on: s.due_on,
            status: s.status,
            participant_words: s.participant_words.map(str::to_owned),
            staff_note: None,
            version: 1,
            created_at: now,
            created_by: None,
            updated_at: now,
        });
    }
    demo_job(context, p, id, *org_id, h, today, now, assign, rows)?;
    collaboration::demo_collaboration(rows, context, p, id, *org_id, *project_id, h, today, now)?;
    let activities = &context.activities[project_id];
    if !activities.is_empty() {
        for a in journey::attendance(p, h, today) {
            rows.attendance(&stegvis_store::activity::AttendanceRow {
                org_id: *org_id,
                id: Uuid::now_v7(),
                participant_id: id,
                activity_id: activities[a.activity],
                attended_on: a.on,
                minutes: a.minutes as i32,
                absence_reason: a.absence,
                recorded_at: now,
                recorded_by: None,
            });
        }
    }
    batch.participants += 1;
    *batch.per_org.entry(*org_id).or_default() += 1;
    Ok(())
}

async fn any_participants(app: &App) -> Result<bool> {
    app.has_participants().await
}

/// The participant whose own account the demo creates: one still enrolled on the demo
/// coach's caseload (so the portal has a current plan), else the organisation's first.
async fn first_participant_of(app: &App, org_id: Uuid) -> Result<Option<Uuid>> {
    let coach = {
        let mut tx = app.catalogue_read().await?;
        let id = tx.user_id("coach@demo.stegvis.se").await?;
        tx.commit().await?;
        id
    };
    let mut tx = app
        .system_job("demo: link the participant's own account", Some(org_id))
        .await?;
    let today = app.today();
    if let Some(coach) = coach {
        let of = stegvis_store::caseload::CaseloadOf::Coach(coach);
        let rows = tx.caseload(org_id, of, today, today, today).await?;
        if let Some(r) = rows.iter().find(|r| r.exited_on.is_none()) {
            let id = r.participant_id;
            tx.commit().await?;
            return Ok(Some(id));
        }
    }
    let query = stegvis_store::participant::ParticipantQuery {
        limit: 1,
        ..Default::default()
    };
    let (rows, _) = tx
        .search_participants(
            stegvis_store::participant::Visibility::Organisation(org_id),
            &query,
        )
        .await?;
    tx.commit().await?;
    Ok(rows.first().map(|r| r.id))
}

/// A job profile for someone still enrolled, and an offer for four in ten: declined, waiting,
/// or started (and ended when they left).
#[allow(clippy::too_many_arguments)]
fn demo_job(
    context: &Context,
    p: &SyntheticParticipant,
    participant_id: Uuid,
    org_id: Uuid,
    h: u64,
    today: Date,
    now: time::OffsetDateTime,
    assign: &mut Assigner,
    rows: &mut stegvis_store::batch::BatchRows,
) -> Result<()> {
    let running = p.exit.is_none();
    let codes = journey::JOB_CODES;
    if running {
        rows.job_profile(&stegvis_store::job_profile::JobProfileRow {
            org_id,
            participant_id,
            wanted: codes[(h % codes.len() as u64) as usize].into(),
            experience: codes[((h >> 8) % codes.len() as u64) as usize].into(),
            hours_per_week: Some(10 + ((h >> 16) % 31) as i32),
            municipality_code: context.homes.get(&org_id).cloned().flatten(),
            can_travel: (h >> 24).is_multiple_of(2),
            swedish: Some(["basic", "good", "fluent"][((h >> 40) % 3) as usize].into()),
            needs: if (h >> 44).is_multiple_of(3) {
                "short_days_at_first".into()
            } else {
                String::new()
            },
            updated_at: now,
            updated_by: None,
        });
    }
    if context.openings.is_empty() || (h >> 28) % 10 >= 4 {
        return Ok(());
    }
    let (opening, workplace, kind, supervisor) =
        &context.openings[((h >> 32) % context.openings.len() as u64) as usize];
    // A supervisor looks after a handful of placements, not every one at their employer.
    let supervisor = supervisor.filter(|s| assign.supervise(*s));
    let end = p.exit.map_or(today, |(on, _)| on).min(today);
    let offered_on = (p.enrolled_on + time::Duration::days(30)).min(end);
    let starts_on = (offered_on + time::Duration::days(14)).min(end);
    let roll = (h >> 36) % 10;
    let (status, starts, ends) = match (roll, running) {
        (0..=1, _) | (2, false) => (PlacementStatus::Declined, None, None),
        (2, true) => (PlacementStatus::Offered, None, None),
        (_, true) => (PlacementStatus::Started, Some(starts_on), None),
        (_, false) => (PlacementStatus::Ended, Some(starts_on), Some(end)),
    };
    rows.placement(&stegvis_store::placement::PlacementRow {
        org_id,
        id: Uuid::now_v7(),
        participant_id,
        workplace_id: *workplace,
        opening_id: Some(*opening),
        kind: stegvis_domain::placement::PlacementKind::from_code(kind)
            .map_err(|e| AppError::Internal(e.to_string()))?,
        supervisor_id: supervisor,
        starts_on: starts,
        ends_on: ends,
        hours_per_week: Some(20),
        goals: None,
        adaptations: None,
        status,
        offered_on,
        version: 1,
        created_at: now,
        created_by: None,
        updated_at: now,
    });
    Ok(())
}

/// The coaches of each organisation that runs a seed project.
type Coaches = std::collections::HashMap<Uuid, Vec<Uuid>>;

/// What the import looks up: coaches per organisation, catalogue activity ids per project.
#[derive(Default)]
struct Context {
    coaches: Coaches,
    activities: std::collections::HashMap<Uuid, Vec<Uuid>>,
    /// The municipality of each project owner: the demo's home municipality for job profiles.
    homes: std::collections::HashMap<Uuid, Option<String>>,
    /// Demo openings: id, workplace, kind and the employer's supervisor.
    openings: Vec<(Uuid, Uuid, String, Option<Uuid>)>,
    /// The employment service, which the demo's consents and referrals go to.
    employment_service: Option<Uuid>,
    /// Each project's collaboration team and the owner's name (for minutes).
    teams: std::collections::HashMap<Uuid, (Uuid, String)>,
}

/// A stable hash of who the synthetic participant is, for the choices that follow from it.
fn participant_hash(p: &SyntheticParticipant) -> u64 {
    stable_hash(&[
        &p.given_name,
        &p.family_name,
        &p.birth_date.to_string(),
        &p.enrolled_on.to_string(),
    ])
}

/// Chooses each participant's coach as the demo goes: those still enrolled are dealt out in
/// turn among the organisation's coaches (so each has about `CASELOAD`), every
/// `UNASSIGNED_EVERY`th (up to `UNASSIGNED_MAX`) to nobody yet; those who have left keep a coach
/// chosen by a stable hash, their history.
#[derive(Default)]
struct Assigner {
    /// Per organisation: current participants seen, dealt out, and left without a coach.
    seen: std::collections::HashMap<Uuid, (usize, usize, usize)>,
    /// Placements given to each supervisor so far.
    supervised: std::collections::HashMap<Uuid, usize>,
}

/// Demo placements one supervisor looks after, at most.
const SUPERVISED_MAX: usize = 20;

impl Assigner {
    /// Whether `supervisor` takes one more placement.
    fn supervise(&mut self, supervisor: Uuid) -> bool {
        let n = self.supervised.entry(supervisor).or_default();
        *n += 1;
        *n <= SUPERVISED_MAX
    }

    fn coach(&mut self, coaches: &Coaches, org_id: Uuid, p: &SyntheticParticipant) -> Option<Uuid> {
        let list = coaches.get(&org_id).filter(|c| !c.is_empty())?;
        if p.exit.is_some() {
            let h = stable_hash(&[&p.given_name, &p.family_name, &p.birth_date.to_string()]);
            return Some(list[(h % list.len() as u64) as usize]);
        }
        let (seen, dealt, unassigned) = self.seen.entry(org_id).or_default();
        *seen += 1;
        if *seen % UNASSIGNED_EVERY == UNASSIGNED_EVERY / 2 && *unassigned < UNASSIGNED_MAX {
            *unassigned += 1;
            return None;
        }
        *dealt += 1;
        Some(list[(*dealt - 1) % list.len()])
    }
}

/// FNV-1a: a stable hash, so demo assessments follow from the generated facts (and the seed).
fn stable_hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in parts
        .iter()
        .flat_map(|p| p.bytes().chain(std::iter::once(0)))
    {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// About 60 % of demo participants were assessed (self-rated) a week after enrolment and again
/// about four months later or at exit; most moved a little closer to work.
fn demo_assessments(
    p: &SyntheticParticipant,
    h: u64,
    org_id: Uuid,
    participant_id: Uuid,
    today: Date,
    now: time::OffsetDateTime,
) -> Vec<(stegvis_store::assessment::AssessmentRow, Vec<(String, u8)>)> {
    if h % 10 >= 6 {
        return Vec::new();
    }
    let instrument = stegvis_domain::assessment::instruments::work_readiness();
    let end = p.exit.map_or(today, |(on, _)| on).min(today);
    let first_on = (p.enrolled_on + time::Duration::days(7)).min(end);
    let second_on = (p.enrolled_on + time::Duration::days(120)).min(end);
    let items: Vec<&str> = instrument
        .domains
        .iter()
        .flat_map(|d| d.items.iter().map(|i| i.key.as_str()))
        .collect();
    let first: Vec<(String, u8)> = items
        .iter()
        .enumerate()
        .map(|(k, item)| ((*item).to_owned(), 1 + ((h >> (k % 60)) % 3) as u8))
        .collect();
    let second: Vec<(String, u8)> = first
        .iter()
        .enumerate()
        .map(|(k, (item, v))| {
            (
                item.clone(),
                (v + ((h.rotate_left(k as u32 * 7) % 4) as u8).saturating_sub(1)).min(5),
            )
        })
        .collect();
    let row = |on: Date| stegvis_store::assessment::AssessmentRow {
        org_id,
        id: Uuid::now_v7(),
        participant_id,
        instrument_key: instrument.key.clone(),
        instrument_version: instrument.version as i32,
        assessed_on: on,
        rater: "self".into(),
        rater_org_id: None,
        created_at: now,
        created_by: None,
    };
    let mut out = vec![(row(first_on), first)];
    if second_on > first_on {
        out.push((row(second_on), second));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape the demo promises at scale: about `CASELOAD` current participants per coach,
    /// a small unassigned share, most people in the past, about 20 attendance rows each.
    #[test]
    fn the_population_has_a_believable_shape() {
        let today = date!(2026 - 12 - 06);
        let seeds = seeds();
        let demo: Vec<DemoProject> = seeds
            .iter()
            .enumerate()
            .map(|(key, s)| DemoProject {
                key,
                period_start: s.period.0,
                period_end: s.period.1,
                profile: s.profile,
                weight: s.planned.unwrap_or(150) as u32,
            })
            .collect();
        let n = 20_000;
        let (mut current, mut attendance, mut exited_with_follow_ups) = (0, 0, 0);
        for p in population(2026, n, &demo, today) {
            current += usize::from(p.exit.is_none());
            exited_with_follow_ups += usize::from(p.exit.is_some());
            attendance += journey::attendance(&p, participant_hash(&p), today).len();
        }
        let per_participant = attendance as f64 / n as f64;
        assert!(
            (15.0..=25.0).contains(&per_participant),
            "{per_participant}"
        );
        assert!(
            exited_with_follow_ups > n * 3 / 4,
            "{exited_with_follow_ups}"
        );
        let unassigned = unassigned_of(current);
        assert!((1..=UNASSIGNED_MAX).contains(&unassigned));
        let coaches = (current - unassigned + CASELOAD / 2) / CASELOAD;
        let per_coach = (current - unassigned) as f64 / coaches as f64;
        assert!((36.0..=44.0).contains(&per_coach), "{per_coach}");
    }

    #[test]
    fn slugs_and_names() {
        assert_eq!(slug(HASSLEHOLM), "hassleholms-kommun");
        assert_eq!(slug("Skåne Stadsmission"), "skane-stadsmission");
        assert_eq!(
            slug("Region Jämtland Härjedalen, Välfärd och klimat"),
            "region-jamtland"
        );
        assert!(!coach_name(3).is_empty());
    }

    #[test]
    fn current_participants_are_dealt_out_evenly() {
        let org = Uuid::now_v7();
        let list: Vec<Uuid> = (0..3).map(|_| Uuid::now_v7()).collect();
        let coaches: Coaches = [(org, list.clone())].into();
        let today = date!(2026 - 12 - 06);
        let demo = [DemoProject {
            key: 0,
            period_start: date!(2026 - 01 - 01),
            period_end: date!(2027 - 12 - 31),
            profile: TargetProfile::SocialAssistance,
            weight: 1,
        }];
        let mut assign = Assigner::default();
        let mut counts = std::collections::HashMap::new();
        let mut none = 0;
        for p in population(1, 400, &demo, today).filter(|p| p.exit.is_none()) {
            match assign.coach(&coaches, org, &p) {
                Some(c) => *counts.entry(c).or_insert(0) += 1,
                None => none += 1,
            }
        }
        let (lo, hi) = (counts.values().min(), counts.values().max());
        assert_eq!(counts.len(), 3);
        assert!(hi.unwrap() - lo.unwrap() <= 1, "{counts:?}");
        assert!(none >= 1, "{none}");
    }
}
