//! Deterministic synthetic participants for demos and load tests.
//!
//! Pure: no I/O and no clock (`today` is passed in). The same `(seed, n, projects, today)` gives
//! the same people on every platform and run, because the only randomness is a ChaCha8 stream
//! (value-stable by contract) read through integer arithmetic of our own (no floats, no
//! `usize`-width sampling, no library distributions whose algorithms may change).

use std::collections::HashSet;

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::{Date, Duration, Weekday};

use stegvis_domain::baseline::{Answer, Baseline, BaselineField, LabourStatus};
use stegvis_domain::enrolment::ExitStatus;
use stegvis_domain::identity::IdentityNumber;
use stegvis_domain::participant::{Gender, IdentityInput};

/// What the generator needs to know about one project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoProject {
    /// The caller's handle for the project, copied into [`SyntheticParticipant::project`].
    pub key: usize,
    pub period_start: Date,
    pub period_end: Date,
    pub profile: TargetProfile,
    /// Planned participants; participants are shared out in proportion to it.
    pub weight: u32,
}

/// The target group a project describes, which shapes ages and baseline answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TargetProfile {
    /// Long-term unemployed, often with mental ill-health (JagKan, Samverkan utan gränser).
    LongTermUnemployedMentalHealth,
    /// Everyone on social assistance (En väg in).
    SocialAssistance,
    /// Furthest from the labour market: many women born outside the EU with short education,
    /// disabilities, long unemployment (Vägar till egenförsörjning).
    FarFromLabourMarket,
    /// Complex needs: LTU over 12 months, not registered at the employment service, disability,
    /// return from sick leave, young people on activity compensation; mostly over 30
    /// (Skåne Stadsmission).
    ComplexNeeds,
}

/// How a synthetic participant is identified.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SyntheticIdentity {
    /// `YYYYMMDDNNNC` with a valid check digit; ~3% are coordination numbers (day + 60).
    Number(String),
    Protected,
    NoNumber,
}

impl SyntheticIdentity {
    /// The identity as the enrolment form would accept it; `today` must be the generator's.
    pub fn input(&self, today: Date) -> IdentityInput {
        match self {
            Self::Number(digits) => IdentityInput::Number(
                IdentityNumber::parse(digits, today).expect("generated numbers are valid"),
            ),
            Self::Protected => IdentityInput::Protected,
            Self::NoNumber => IdentityInput::NoNumber,
        }
    }
}

/// One generated participant with their enrolment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticParticipant {
    /// [`DemoProject::key`] of the project enrolled in.
    pub project: usize,
    pub given_name: String,
    pub family_name: String,
    pub gender: Gender,
    pub identity: SyntheticIdentity,
    pub birth_date: Date,
    /// Within the project period and not after `today`; aged 18–64 on that day.
    pub enrolled_on: Date,
    pub baseline: Baseline,
    /// On or after `enrolled_on`, not after `min(period_end, today)`.
    pub exit: Option<(Date, ExitStatus)>,
}

/// `n` synthetic participants over `projects`, in proportion to their weights.
///
/// Projects that have not started by `today` get nobody; if no project has started (or all
/// weights are zero, in which case started projects share equally) and `n > 0`, this panics.
/// Identity numbers are unique across the population; memory grows by one `u64` per number.
pub fn population(
    seed: u64,
    n: usize,
    projects: &[DemoProject],
    today: Date,
) -> impl ExactSizeIterator<Item = SyntheticParticipant> + use<> {
    let mut slots: Vec<Slot> = projects
        .iter()
        .filter_map(|p| {
            let first = p.period_start.to_julian_day();
            let last = p.period_end.min(today).to_julian_day();
            (first <= last).then_some(Slot {
                key: p.key,
                profile: p.profile,
                first,
                last,
                ended: p.period_end < today,
                weight: i64::from(p.weight),
                credit: 0,
            })
        })
        .collect();
    if slots.iter().all(|s| s.weight == 0) {
        slots.iter_mut().for_each(|s| s.weight = 1);
    }
    assert!(
        n == 0 || !slots.is_empty(),
        "demo population: no project has started by {today}"
    );
    Population {
        rng: ChaCha8Rng::seed_from_u64(seed),
        total: slots.iter().map(|s| s.weight).sum(),
        slots,
        remaining: n,
        used: HashSet::with_capacity(n.min(1 << 20)),
    }
}

#[derive(Clone, Copy)]
struct Slot {
    key: usize,
    profile: TargetProfile,
    /// Julian days of the enrolment window: period start to `min(period_end, today)`.
    first: i32,
    last: i32,
    /// The period ended before today, so everyone has left.
    ended: bool,
    weight: i64,
    /// Smooth weighted round-robin credit: exact proportions over every prefix, no randomness.
    credit: i64,
}

struct Population {
    rng: ChaCha8Rng,
    slots: Vec<Slot>,
    total: i64,
    remaining: usize,
    /// Every identity number handed out, as its 12-digit value.
    used: HashSet<u64>,
}

impl Iterator for Population {
    type Item = SyntheticParticipant;

    fn next(&mut self) -> Option<SyntheticParticipant> {
        self.remaining = self.remaining.checked_sub(1)?;
        let slot = self.next_slot();
        Some(participant(&mut self.rng, &mut self.used, slot))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl ExactSizeIterator for Population {}

impl Population {
    fn next_slot(&mut self) -> Slot {
        let mut best = 0;
        for i in 0..self.slots.len() {
            self.slots[i].credit += self.slots[i].weight;
            if self.slots[i].credit > self.slots[best].credit {
                best = i;
            }
        }
        self.slots[best].credit -= self.total;
        self.slots[best]
    }
}

/// Uniform in `0..n` by multiply-shift: exact enough (bias < 2^-32) and platform-independent.
fn below(rng: &mut ChaCha8Rng, n: u32) -> u32 {
    ((u64::from(rng.next_u32()) * u64::from(n)) >> 32) as u32
}

/// Skewed towards 0: uniform in `0..=below(n+1)`, so small values are the most common.
fn skewed(rng: &mut ChaCha8Rng, n: u32) -> u32 {
    let top = below(rng, n + 1);
    below(rng, top + 1)
}

fn chance(rng: &mut ChaCha8Rng, per_mille: u32) -> bool {
    below(rng, 1000) < per_mille
}

fn yes_no(rng: &mut ChaCha8Rng, per_mille: u32) -> Option<Answer> {
    known(chance(rng, per_mille))
}

/// The answer to a question whose truth is already decided.
fn known(yes: bool) -> Option<Answer> {
    Some(if yes { Answer::Yes } else { Answer::No })
}

/// Index drawn with the given weights.
fn pick(rng: &mut ChaCha8Rng, weights: &[u32]) -> usize {
    let mut x = below(rng, weights.iter().sum());
    weights
        .iter()
        .position(|&w| {
            let hit = x < w;
            x = x.wrapping_sub(w);
            hit
        })
        .expect("x is below the sum")
}

fn from_julian(day: i32) -> Date {
    Date::from_julian_day(day).expect("generated dates are near the given ones")
}

/// Moves a weekend day to the nearest weekday inside `lo..=hi`, as staff enrol and exit on
/// working days; keeps it if the window allows no weekday.
fn working_day(day: i32, lo: i32, hi: i32) -> i32 {
    let steps: &[i32] = match from_julian(day).weekday() {
        Weekday::Saturday => &[-1, 2],
        Weekday::Sunday => &[1, -2],
        _ => &[],
    };
    steps
        .iter()
        .map(|s| day + s)
        .find(|d| (lo..=hi).contains(d))
        .unwrap_or(day)
}

/// Luhn check digit over the nine digits `YYMMDDNNN` (weights 2,1,2,… from the left).
fn luhn(nine: u64) -> u64 {
    let sum: u64 = (0..9)
        .map(|i| {
            let d = nine / 10u64.pow(i) % 10;
            // `i` counts from the right; the rightmost of nine digits has weight 2.
            let v = if i % 2 == 0 { 2 * d } else { d };
            v / 10 + v % 10
        })
        .sum();
    (10 - sum % 10) % 10
}

/// Per-mille shares of one target profile; illustrative, not statistics.
struct Params {
    /// Ages 18–24, 25–29, 30–39, 40–49, 50–59, 60–64.
    ages: [u32; 6],
    /// Unemployed, inactive, employed (for people neither on sick leave nor activity comp.).
    status: [u32; 3],
    /// Long-term unemployed among the unemployed.
    ltu: u32,
    /// ISCED 0–8.
    isced: [u32; 9],
    born_abroad_women: u32,
    born_abroad_men: u32,
    disability: u32,
    homeless: u32,
    jobless_household: u32,
    children: u32,
    /// Single adults among those with dependent children.
    single_parent: u32,
    social_assistance: u32,
    sick_leave: u32,
    /// Activity compensation among 19–29-year-olds (the only ages it is paid to).
    activity_compensation: u32,
    registered_at_af: u32,
}

const AGE_BANDS: [(i32, u32); 6] = [(18, 7), (25, 5), (30, 10), (40, 10), (50, 10), (60, 5)];

fn params(profile: TargetProfile) -> &'static Params {
    match profile {
        TargetProfile::LongTermUnemployedMentalHealth => &Params {
            ages: [150, 150, 250, 220, 170, 60],
            status: [850, 130, 20],
            ltu: 800,
            isced: [60, 100, 300, 320, 60, 60, 70, 29, 1],
            born_abroad_women: 350,
            born_abroad_men: 350,
            disability: 400,
            homeless: 40,
            jobless_household: 650,
            children: 300,
            single_parent: 400,
            social_assistance: 550,
            sick_leave: 200,
            activity_compensation: 250,
            registered_at_af: 750,
        },
        TargetProfile::SocialAssistance => &Params {
            ages: [120, 160, 280, 220, 160, 60],
            status: [880, 110, 10],
            ltu: 750,
            isced: [100, 140, 300, 280, 40, 50, 60, 29, 1],
            born_abroad_women: 550,
            born_abroad_men: 550,
            disability: 200,
            homeless: 60,
            jobless_household: 800,
            children: 450,
            single_parent: 400,
            social_assistance: 1000,
            sick_leave: 100,
            activity_compensation: 50,
            registered_at_af: 850,
        },
        TargetProfile::FarFromLabourMarket => &Params {
            ages: [80, 120, 280, 260, 200, 60],
            status: [780, 200, 20],
            ltu: 850,
            isced: [200, 180, 270, 200, 40, 40, 50, 19, 1],
            born_abroad_women: 750,
            born_abroad_men: 550,
            disability: 350,
            homeless: 30,
            jobless_household: 700,
            children: 550,
            single_parent: 350,
            social_assistance: 600,
            sick_leave: 120,
            activity_compensation: 100,
            registered_at_af: 800,
        },
        TargetProfile::ComplexNeeds => &Params {
            ages: [70, 80, 250, 280, 240, 80],
            status: [650, 330, 20],
            ltu: 850,
            isced: [80, 100, 320, 320, 50, 50, 60, 19, 1],
            born_abroad_women: 400,
            born_abroad_men: 400,
            disability: 550,
            homeless: 120,
            jobless_household: 700,
            children: 250,
            single_parent: 450,
            social_assistance: 500,
            sick_leave: 300,
            activity_compensation: 600,
            registered_at_af: 400,
        },
    }
}

/// Exit statuses in `ExitStatus::ALL` order, per mille.
const EXIT_MIX: [u32; 9] = [180, 120, 120, 100, 150, 180, 70, 30, 50];

fn participant(rng: &mut ChaCha8Rng, used: &mut HashSet<u64>, slot: Slot) -> SyntheticParticipant {
    let p = params(slot.profile);
    let gender = match below(rng, 1000) {
        0..510 => Gender::Woman,
        510..980 => Gender::Man,
        _ => Gender::NonBinary,
    };
    let span = (slot.last - slot.first) as u32;
    let enrolled = working_day(
        slot.first + below(rng, span + 1) as i32,
        slot.first,
        slot.last,
    );
    let enrolled_on = from_julian(enrolled);
    let (lowest, width) = AGE_BANDS[pick(rng, &p.ages)];
    let age = lowest + below(rng, width) as i32;
    let (birth_date, identity) = identity(rng, used, enrolled_on, age, gender);
    let (baseline, foreign) = baseline(rng, p, slot.profile, gender, age);
    let (given_name, family_name) = name(rng, gender, foreign);
    let exit = (slot.ended || chance(rng, 400)).then(|| {
        let stay = enrolled + 30 + skewed(rng, 720) as i32;
        let day = if stay <= slot.last {
            stay
        } else if slot.ended {
            // Projects close everyone still enrolled on their last day.
            slot.last
        } else {
            enrolled + below(rng, (slot.last - enrolled) as u32 + 1) as i32
        };
        let status = ExitStatus::ALL[pick(rng, &EXIT_MIX)];
        (from_julian(working_day(day, enrolled, slot.last)), status)
    });
    SyntheticParticipant {
        project: slot.key,
        given_name: given_name.to_owned(),
        family_name: family_name.to_owned(),
        gender,
        identity,
        birth_date,
        enrolled_on,
        baseline,
        exit,
    }
}

/// A birth date making the person `age` on `enrolled_on`, and an identity to go with it.
fn identity(
    rng: &mut ChaCha8Rng,
    used: &mut HashSet<u64>,
    enrolled_on: Date,
    age: i32,
    gender: Gender,
) -> (Date, SyntheticIdentity) {
    let year = enrolled_on.year() - age;
    // The latest birth date of that age; a 29 February birthday falls back to the 28th.
    let anniversary = Date::from_calendar_date(year, enrolled_on.month(), enrolled_on.day())
        .or_else(|_| Date::from_calendar_date(year, enrolled_on.month(), 28))
        .expect("valid calendar date");
    let mode = below(rng, 1000);
    let coordination = chance(rng, 30);
    // A fresh birth day and serial on each try, so collisions spread over ~180,000 numbers per
    // age year and the loop ends quickly even for millions of people.
    for _ in 0..10_000 {
        let birth = anniversary - Duration::days(i64::from(below(rng, 365)));
        match mode {
            0..5 => return (birth, SyntheticIdentity::Protected),
            5..10 => return (birth, SyntheticIdentity::NoNumber),
            _ => {}
        }
        // The third serial digit is odd for men and even for women, as Skatteverket issues them.
        let serial = u64::from(match gender {
            Gender::Woman => 2 + 2 * below(rng, 499),
            Gender::Man => 1 + 2 * below(rng, 500),
            Gender::NonBinary => 1 + below(rng, 999),
        });
        let day = u64::from(birth.day()) + if coordination { 60 } else { 0 };
        let date = birth.year() as u64 * 10_000 + u64::from(birth.month() as u8) * 100 + day;
        let nine = date % 1_000_000 * 1000 + serial;
        let value = date * 10_000 + serial * 10 + luhn(nine);
        if used.insert(value) {
            return (birth, SyntheticIdentity::Number(format!("{value:012}")));
        }
    }
    panic!("demo population: identity numbers for age {age} on {enrolled_on} are exhausted");
}

/// A consistent baseline, and whether the person truly has a foreign background (for names).
fn baseline(
    rng: &mut ChaCha8Rng,
    p: &Params,
    profile: TargetProfile,
    gender: Gender,
    age: i32,
) -> (Baseline, bool) {
    use LabourStatus::*;
    let abroad_share = match gender {
        Gender::Woman => p.born_abroad_women,
        _ => p.born_abroad_men,
    };
    let born_abroad = chance(rng, abroad_share);
    // Foreign background (both parents born abroad) nearly always holds for those born abroad.
    let foreign = chance(rng, if born_abroad { 950 } else { 120 });
    let activity_comp = (19..=29).contains(&age) && chance(rng, p.activity_compensation);
    // Activity compensation and sickness benefit exclude each other.
    let sick = !activity_comp && chance(rng, p.sick_leave);
    let status = if activity_comp {
        [Unemployed, Inactive][pick(rng, &[200, 800])]
    } else if sick {
        [Unemployed, Inactive, Employed][pick(rng, &[350, 550, 100])]
    } else {
        [Unemployed, Inactive, Employed][pick(rng, &p.status)]
    };
    // Work history cannot start before 16; young people count as LTU after six months (ESF).
    let cap = ((age - 16) * 12).min(120) as u32;
    let threshold = if age < 25 { 6 } else { 12 };
    let (ltu, months) = match status {
        Unemployed if chance(rng, p.ltu) => (Answer::Yes, threshold + skewed(rng, cap - threshold)),
        Unemployed => (Answer::No, 1 + below(rng, threshold - 1)),
        Inactive => (Answer::No, 6 + skewed(rng, cap - 6)),
        Employed => (Answer::No, 0),
    };
    let children = yes_no(rng, if age < 20 { 30 } else { p.children });
    let single = children == Some(Answer::Yes) && chance(rng, p.single_parent);
    let mut b = Baseline {
        labour_status: Some(status),
        long_term_unemployed: (status == Unemployed).then_some(ltu),
        months_without_work: (status != Employed).then_some(months as u16),
        in_education: yes_no(rng, if status == Inactive { 120 } else { 40 }),
        // Under 22 nobody has finished a degree yet.
        isced_level: Some((pick(rng, &p.isced) as u8).min(if age < 22 { 3 } else { 8 })),
        born_abroad: known(born_abroad),
        foreign_background: known(foreign),
        // Activity compensation needs a lasting reduced work capacity, usually a disability.
        disability: yes_no(rng, if activity_comp { 850 } else { p.disability }),
        homeless: yes_no(rng, p.homeless),
        // A single adult without work is a jobless household by definition.
        jobless_household: match status {
            Employed => Some(Answer::No),
            _ if single => Some(Answer::Yes),
            _ => yes_no(rng, p.jobless_household),
        },
        dependent_children: children,
        single_adult_with_children: known(single),
        social_assistance: yes_no(rng, p.social_assistance),
        sick_leave: known(sick),
        activity_compensation: known(activity_comp),
        registered_at_employment_service: yes_no(
            rng,
            match status {
                Unemployed => p.registered_at_af,
                _ => p.registered_at_af / 2,
            },
        ),
    };
    // Some people decline a sensitive question (only those allow it)…
    if chance(rng, 40) {
        let sensitive = [
            BaselineField::Disability,
            BaselineField::ForeignBackground,
            BaselineField::BornAbroad,
            BaselineField::Homeless,
        ];
        b.set_answer(
            sensitive[pick(rng, &[400, 250, 200, 150])],
            Some(Answer::Declined),
        );
    }
    // …and some baselines have gaps, so the completeness check has something to show. Never
    // social assistance in a project where it is the entry criterion.
    if chance(rng, 70) {
        let mut gaps = if chance(rng, 300) { 2 } else { 1 };
        while gaps > 0 {
            let field = BaselineField::ALL[below(rng, BaselineField::ALL.len() as u32) as usize];
            let keep = field == BaselineField::SocialAssistance
                && profile == TargetProfile::SocialAssistance;
            if !keep && clear(&mut b, field) {
                gaps -= 1;
            }
        }
    }
    (b, foreign)
}

/// Unanswers a question; false if it had no answer or was declined (which counts as answered).
fn clear(b: &mut Baseline, field: BaselineField) -> bool {
    match field {
        BaselineField::LabourStatus => b.labour_status.take().is_some(),
        BaselineField::MonthsWithoutWork => b.months_without_work.take().is_some(),
        BaselineField::IscedLevel => b.isced_level.take().is_some(),
        _ => match b.answer(field) {
            Some(Answer::Yes | Answer::No) => {
                b.set_answer(field, None);
                true
            }
            _ => false,
        },
    }
}

fn name(rng: &mut ChaCha8Rng, gender: Gender, foreign: bool) -> (&'static str, &'static str) {
    let list = match gender {
        Gender::Woman => WOMEN,
        Gender::Man => MEN,
        Gender::NonBinary => [WOMEN, MEN][below(rng, 2) as usize],
    };
    // Names follow background most of the time, but families and names mix.
    let mut from = |list: &'static [&'static str], swedish: usize| {
        let foreign_name = chance(rng, if foreign { 850 } else { 80 });
        let (lo, hi) = if foreign_name {
            (swedish, list.len())
        } else {
            (0, swedish)
        };
        list[lo + below(rng, (hi - lo) as u32) as usize]
    };
    let given = from(list, SWEDISH_GIVEN);
    (given, from(FAMILY, SWEDISH_FAMILY))
}

/// Given-name lists: the first `SWEDISH_GIVEN` are common Swedish names, the rest common among
/// people born in Syria, Somalia, Iraq, Afghanistan, Eritrea, Poland and Bosnia.
const SWEDISH_GIVEN: usize = 30;
#[rustfmt::skip]
pub(crate) const WOMEN: &[&str] = &[
    "Anna", "Maria", "Eva", "Karin", "Sara", "Emma", "Elin", "Johanna", "Linnea", "Ida", "Malin",
    "Sofia", "Jenny", "Camilla", "Lena", "Kristina", "Helena", "Annika", "Susanne", "Ulrika",
    "Frida", "Hanna", "Matilda", "Åsa", "Ingrid", "Birgitta", "Marie", "Therese", "Jessica",
    "Petra", //
    "Fatima", "Amina", "Hodan", "Fadumo", "Ifrah", "Hibo", "Rasha", "Nour", "Hala", "Rima",
    "Zainab", "Layla", "Mariam", "Aya", "Zahra", "Fereshta", "Parwana", "Shabnam", "Semhar",
    "Selam", "Ruta", "Winta", "Agnieszka", "Katarzyna", "Magdalena", "Joanna", "Amra", "Selma",
    "Lejla", "Emina",
];
#[rustfmt::skip]
pub(crate) const MEN: &[&str] = &[
    "Erik", "Lars", "Karl", "Anders", "Johan", "Per", "Mikael", "Nils", "Jan", "Lennart", "Magnus",
    "Fredrik", "Daniel", "Andreas", "Marcus", "Oskar", "Emil", "Viktor", "Jonas", "Patrik",
    "Mattias", "Björn", "Göran", "Stefan", "Thomas", "Kent", "Håkan", "Simon", "Anton", "Linus", //
    "Mohammed", "Ahmed", "Ali", "Omar", "Hassan", "Abdi", "Abdullahi", "Mahad", "Yusuf", "Khaled",
    "Mustafa", "Samir", "Karim", "Hussein", "Mahmoud", "Ammar", "Haider", "Ahmad", "Farid", "Jawad",
    "Yonas", "Dawit", "Filmon", "Tesfay", "Piotr", "Tomasz", "Krzysztof", "Adnan", "Emir", "Haris",
];
/// Family names: the first `SWEDISH_FAMILY` Swedish, the rest from the same countries as above
/// (Polish names chosen among those that do not change with gender).
const SWEDISH_FAMILY: usize = 40;
#[rustfmt::skip]
pub(crate) const FAMILY: &[&str] = &[
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
    "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Jönsson",
    "Lindberg", "Jakobsson", "Magnusson", "Olofsson", "Lindström", "Lindqvist", "Lindgren", "Berg",
    "Axelsson", "Bergström", "Lundberg", "Lind", "Lundgren", "Lundqvist", "Mattsson", "Berglund",
    "Fredriksson", "Sandberg", "Henriksson", "Forsberg", "Sjöberg", "Wallin", "Engström",
    "Håkansson", //
    "Ali", "Ahmed", "Hassan", "Hussein", "Abdullahi", "Mohamud", "Farah", "Warsame", "Osman",
    "Jama", "Haddad", "Khalil", "Ibrahim", "Saleh", "Hamad", "Al-Jaburi", "Abbas", "Kadhim",
    "Younes", "Aziz", "Ahmadi", "Hosseini", "Rahimi", "Mohammadi", "Karimi", "Sultani", "Noori",
    "Tesfamariam", "Habte", "Gebremedhin", "Berhane", "Kidane", "Tekle", "Nowak", "Wójcik", "Mazur",
    "Hodžić", "Mehmedović", "Begić", "Kovačević",
];

#[cfg(test)]
mod tests {
    use super::*;
    use stegvis_domain::identity::IdentityKind;
    use time::macros::date;

    const TODAY: Date = date!(2025 - 06 - 15);

    /// The five seed projects (all ended by `TODAY`) and one still running.
    fn projects() -> Vec<DemoProject> {
        let p = |key, period_start, period_end, profile, weight| DemoProject {
            key,
            period_start,
            period_end,
            profile,
            weight,
        };
        use TargetProfile::*;
        vec![
            p(
                0,
                date!(2017 - 09 - 01),
                date!(2020 - 08 - 31),
                LongTermUnemployedMentalHealth,
                115,
            ),
            p(
                1,
                date!(2012 - 02 - 01),
                date!(2014 - 12 - 31),
                LongTermUnemployedMentalHealth,
                150,
            ),
            p(
                2,
                date!(2020 - 04 - 01),
                date!(2022 - 03 - 31),
                SocialAssistance,
                100,
            ),
            p(
                3,
                date!(2020 - 02 - 01),
                date!(2022 - 06 - 30),
                FarFromLabourMarket,
                210,
            ),
            p(
                4,
                date!(2016 - 09 - 01),
                date!(2019 - 08 - 31),
                ComplexNeeds,
                145,
            ),
            p(
                5,
                date!(2024 - 01 - 01),
                date!(2027 - 12 - 31),
                ComplexNeeds,
                80,
            ),
        ]
    }

    fn generate(seed: u64, n: usize) -> Vec<SyntheticParticipant> {
        population(seed, n, &projects(), TODAY).collect()
    }

    fn share(people: &[SyntheticParticipant], f: impl Fn(&SyntheticParticipant) -> bool) -> f64 {
        people.iter().filter(|p| f(p)).count() as f64 / people.len() as f64
    }

    #[test]
    fn deterministic_per_seed() {
        assert_eq!(generate(7, 2_000), generate(7, 2_000));
        assert_ne!(generate(7, 2_000), generate(8, 2_000));
        // A prefix of a longer run is the shorter run.
        assert_eq!(generate(7, 3_000)[..2_000], generate(7, 2_000)[..]);
    }

    /// Pins the stream so a change of algorithm or platform cannot slip by unnoticed; update the
    /// constant only on purpose (every existing demo database changes with it).
    #[test]
    fn stream_is_pinned() {
        let mut hash = 0xcbf2_9ce4_8422_2325_u64;
        for p in generate(42, 500) {
            let b = &p.baseline;
            let fields = format!(
                "{} {} {} {} {:?} {} {} {:?} {:?} {:?} {:?}",
                p.project,
                p.given_name,
                p.family_name,
                p.gender.code(),
                p.identity,
                p.birth_date.to_julian_day(),
                p.enrolled_on.to_julian_day(),
                p.exit.map(|(d, s)| (d.to_julian_day(), s.code())),
                b.labour_status.map(LabourStatus::code),
                (b.months_without_work, b.isced_level),
                BaselineField::ALL
                    .iter()
                    .map(|&f| b.answer(f).map(Answer::code))
                    .collect::<Vec<_>>(),
            );
            for byte in fields.bytes() {
                hash = (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3);
            }
        }
        assert_eq!(hash, 1_924_608_509_276_368_033);
    }

    #[test]
    fn yields_exactly_n() {
        for n in [0, 1, 6, 1_234] {
            let it = population(1, n, &projects(), TODAY);
            assert_eq!(it.len(), n);
            assert_eq!(it.count(), n);
        }
        assert_eq!(population(1, 0, &[], TODAY).count(), 0);
    }

    #[test]
    fn identity_numbers_are_unique() {
        let mut seen = HashSet::new();
        for p in population(3, 200_000, &projects(), TODAY) {
            if let SyntheticIdentity::Number(s) = p.identity {
                assert!(seen.insert(s));
            }
        }
        assert!(seen.len() > 195_000);
    }

    #[test]
    fn people_are_valid_and_within_bounds() {
        let projects = projects();
        let people = generate(11, 20_000);
        for p in &people {
            let project = &projects[p.project];
            assert!(p.baseline.validate().is_empty(), "{:?}", p.baseline);
            assert!(project.period_start <= p.enrolled_on);
            assert!(p.enrolled_on <= project.period_end.min(TODAY));
            let (y, m, d) = (
                p.birth_date.year(),
                p.birth_date.month(),
                p.birth_date.day(),
            );
            let birthday_passed = (p.enrolled_on.month(), p.enrolled_on.day()) >= (m, d);
            let age = p.enrolled_on.year() - y - i32::from(!birthday_passed);
            assert!((18..=64).contains(&age), "{age}");
            if let Some((exited, _)) = p.exit {
                assert!(p.enrolled_on <= exited && exited <= project.period_end.min(TODAY));
            }
            if project.period_end < TODAY {
                assert!(p.exit.is_some());
            }
            match (&p.identity, p.identity.input(TODAY)) {
                (SyntheticIdentity::Number(s), IdentityInput::Number(id)) => {
                    assert_eq!(s.len(), 12);
                    assert_eq!(id.normalised(), s);
                    assert_eq!(id.birth_date(), p.birth_date);
                }
                (SyntheticIdentity::Protected, IdentityInput::Protected)
                | (SyntheticIdentity::NoNumber, IdentityInput::NoNumber) => {}
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn shares_are_plausible() {
        let people = generate(5, 20_000);
        let near = |x: f64, want: f64, tol: f64| assert!((x - want).abs() < tol, "{x} vs {want}");
        near(share(&people, |p| p.gender == Gender::Woman), 0.51, 0.02);
        near(share(&people, |p| p.gender == Gender::Man), 0.47, 0.02);
        near(
            share(&people, |p| p.gender == Gender::NonBinary),
            0.02,
            0.006,
        );
        near(
            share(&people, |p| p.identity == SyntheticIdentity::Protected),
            0.005,
            0.003,
        );
        let coordination = share(&people, |p| {
            matches!(p.identity.input(TODAY), IdentityInput::Number(id)
                if id.kind() == IdentityKind::Samordningsnummer)
        });
        near(coordination, 0.03, 0.008);
        near(share(&people, |p| !p.baseline.is_complete()), 0.07, 0.015);
        let declined = share(&people, |p| {
            BaselineField::ALL
                .iter()
                .any(|&f| p.baseline.answer(f) == Some(Answer::Declined))
        });
        near(declined, 0.04, 0.01);
        // Participants follow the weights exactly: 115 of every 800.
        near(share(&people, |p| p.project == 0), 115.0 / 800.0, 0.001);

        let assisted: Vec<_> = people.iter().filter(|p| p.project == 2).collect();
        assert!(
            assisted
                .iter()
                .all(|p| p.baseline.social_assistance == Some(Answer::Yes))
        );
        let running: Vec<_> = people.iter().filter(|p| p.project == 5).cloned().collect();
        near(share(&running, |p| p.exit.is_some()), 0.40, 0.04);
        let far: Vec<_> = people.iter().filter(|p| p.project == 3).cloned().collect();
        near(
            share(&far, |p| p.baseline.born_abroad == Some(Answer::Yes)),
            0.64,
            0.05,
        );
        let stadsmission: Vec<_> = people.iter().filter(|p| p.project == 4).cloned().collect();
        assert!(
            share(&stadsmission, |p| p.enrolled_on.year()
                - p.birth_date.year()
                > 30)
                > 0.75
        );
    }

    #[test]
    fn name_lists_are_split_in_halves() {
        assert_eq!(
            (WOMEN.len(), MEN.len()),
            (2 * SWEDISH_GIVEN, 2 * SWEDISH_GIVEN)
        );
        assert_eq!(FAMILY.len(), 2 * SWEDISH_FAMILY);
        assert_eq!(
            (WOMEN[SWEDISH_GIVEN], MEN[SWEDISH_GIVEN]),
            ("Fatima", "Mohammed")
        );
        assert_eq!(FAMILY[SWEDISH_FAMILY], "Ali");
    }

    #[test]
    fn unstarted_projects_get_nobody() {
        let mut projects = projects();
        projects[5].period_start = date!(2026 - 01 - 01);
        assert!(population(2, 5_000, &projects, TODAY).all(|p| p.project != 5));
    }
}
