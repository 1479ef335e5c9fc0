//! Which column holds what: the fields of each kind of file, and a guess from the headers in
//! Swedish or English that the user may correct.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use stegvis_domain::baseline::BaselineField;

use super::ImportKind;

/// One thing a column may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The field's name in mappings, the API and the command line.
    pub key: &'static str,
    pub label_sv: &'static str,
    pub label_en: &'static str,
    /// Headers that name it (folded: lower case, å/ä/ö kept, other signs as spaces).
    aliases: &'static [&'static str],
}

impl Field {
    pub fn label(&self, lang: &str) -> &'static str {
        if lang == "en" {
            self.label_en
        } else {
            self.label_sv
        }
    }
}

macro_rules! field {
    ($key:literal, $sv:literal, $en:literal, [$($a:literal),* $(,)?]) => {
        Field { key: $key, label_sv: $sv, label_en: $en, aliases: &[$($a),*] }
    };
}

const IDENTITY: Field = field!(
    "identity_number",
    "Personnummer eller samordningsnummer",
    "Identity number",
    [
        "personnummer",
        "pnr",
        "personnr",
        "person nr",
        "samordningsnummer",
        "personnummer samordningsnummer",
        "identity number",
        "personal identity number",
        "personal number",
        "id nummer",
        "ssn"
    ]
);
const NAME: Field = field!(
    "name",
    "Namn (för- och efternamn)",
    "Name (given and family)",
    [
        "namn",
        "name",
        "deltagare",
        "participant",
        "full name",
        "för och efternamn",
        "deltagarens namn",
        "fullständigt namn"
    ]
);
const PROJECT: Field = field!(
    "project",
    "Projekt (namn eller nummer)",
    "Project (name or number)",
    [
        "projekt",
        "project",
        "projektnamn",
        "projektnummer",
        "project name",
        "project number",
        "projekt id"
    ]
);

const PARTICIPANTS: &[Field] = &[
    IDENTITY,
    field!(
        "given_name",
        "Förnamn",
        "Given name",
        [
            "förnamn",
            "tilltalsnamn",
            "first name",
            "given name",
            "firstname"
        ]
    ),
    field!(
        "family_name",
        "Efternamn",
        "Family name",
        [
            "efternamn",
            "last name",
            "surname",
            "family name",
            "lastname"
        ]
    ),
    NAME,
    field!(
        "gender",
        "Kön",
        "Gender",
        ["kön", "gender", "sex", "juridiskt kön"]
    ),
    PROJECT,
    field!(
        "enrolled_on",
        "Inskrivningsdatum",
        "Enrolment date",
        [
            "inskrivningsdatum",
            "inskriven",
            "inskrivningsdag",
            "datum för inskrivning",
            "startdatum",
            "start",
            "inskriven datum",
            "enrolment date",
            "enrollment date",
            "enrolled",
            "enrolled on",
            "start date",
            "deltagare från"
        ]
    ),
    field!(
        "coach",
        "Coach (e-post)",
        "Coach (e-mail)",
        [
            "coach",
            "handläggare",
            "kontaktperson",
            "ansvarig",
            "ansvarig coach",
            "coach e post",
            "coach email"
        ]
    ),
    field!(
        "exited_on",
        "Avslutsdatum",
        "Exit date",
        [
            "avslutsdatum",
            "avslutad",
            "utskrivningsdatum",
            "utskriven",
            "slutdatum",
            "datum för avslut",
            "exit date",
            "exited on",
            "end date",
            "exited"
        ]
    ),
    field!(
        "exit_status",
        "Avslutsorsak",
        "Exit status",
        [
            "avslutsorsak",
            "orsak till avslut",
            "utskrivningsorsak",
            "avslut till",
            "avslutsstatus",
            "exit reason",
            "exit status",
            "status vid avslut"
        ]
    ),
    field!(
        "labour_status",
        "Situation på arbetsmarknaden",
        "Labour-market status",
        [
            "situation på arbetsmarknaden",
            "arbetsmarknadsstatus",
            "status på arbetsmarknaden",
            "sysselsättning",
            "labour market status",
            "labor market status",
            "employment status"
        ]
    ),
    field!(
        "long_term_unemployed",
        "Långtidsarbetslös",
        "Long-term unemployed",
        [
            "långtidsarbetslös",
            "long term unemployed",
            "långtidsarbetslöshet"
        ]
    ),
    field!(
        "months_without_work",
        "Månader utan arbete",
        "Months without work",
        [
            "månader utan arbete",
            "antal månader utan arbete",
            "tid utan arbete månader",
            "months without work",
            "months unemployed"
        ]
    ),
    field!(
        "in_education",
        "Studerar",
        "In education",
        [
            "studerar",
            "i utbildning",
            "in education",
            "in education or training"
        ]
    ),
    field!(
        "isced_level",
        "Utbildningsnivå (ISCED)",
        "Education level (ISCED)",
        [
            "utbildningsnivå",
            "utbildningsnivå isced",
            "isced",
            "isced nivå",
            "education level",
            "education level isced",
            "högsta utbildning"
        ]
    ),
    field!(
        "born_abroad",
        "Född utomlands",
        "Born abroad",
        ["född utomlands", "born abroad"]
    ),
    field!(
        "foreign_background",
        "Utländsk bakgrund",
        "Foreign background",
        [
            "utländsk bakgrund",
            "foreign background",
            "utländsk härkomst"
        ]
    ),
    field!(
        "disability",
        "Funktionsnedsättning",
        "Disability",
        ["funktionsnedsättning", "funktionsvariation", "disability"]
    ),
    field!(
        "homeless",
        "Hemlös",
        "Homeless",
        ["hemlös", "bostadslös", "homeless"]
    ),
    field!(
        "jobless_household",
        "Hushåll utan arbete",
        "Jobless household",
        [
            "hushåll utan arbete",
            "arbetslöst hushåll",
            "jobless household"
        ]
    ),
    field!(
        "dependent_children",
        "Hemmaboende barn",
        "Dependent children",
        [
            "hemmaboende barn",
            "barn i hushållet",
            "har barn",
            "dependent children"
        ]
    ),
    field!(
        "single_adult_with_children",
        "Ensamstående med barn",
        "Single adult with children",
        [
            "ensamstående med barn",
            "ensamstående förälder",
            "single adult with children",
            "single parent"
        ]
    ),
    field!(
        "social_assistance",
        "Ekonomiskt bistånd",
        "Social assistance",
        [
            "ekonomiskt bistånd",
            "försörjningsstöd",
            "socialbidrag",
            "social assistance"
        ]
    ),
    field!(
        "sick_leave",
        "Sjukskriven",
        "Sick leave",
        [
            "sjukskriven",
            "sjukskrivning",
            "sick leave",
            "on sick leave"
        ]
    ),
    field!(
        "activity_compensation",
        "Aktivitetsersättning",
        "Activity compensation",
        [
            "aktivitetsersättning",
            "sjukersättning",
            "activity compensation"
        ]
    ),
    field!(
        "registered_at_employment_service",
        "Inskriven på Arbetsförmedlingen",
        "Registered at the employment service",
        [
            "inskriven på arbetsförmedlingen",
            "inskriven af",
            "arbetsförmedlingen",
            "registered at employment service",
            "registered at the employment service"
        ]
    ),
];

const ATTENDANCE: &[Field] = &[
    IDENTITY,
    NAME,
    PROJECT,
    field!(
        "activity",
        "Aktivitet",
        "Activity",
        [
            "aktivitet",
            "activity",
            "insats",
            "aktivitetens namn",
            "aktivitetsnamn",
            "activity name"
        ]
    ),
    field!(
        "activity_kind",
        "Typ av aktivitet",
        "Kind of activity",
        [
            "typ av aktivitet",
            "aktivitetstyp",
            "activity kind",
            "activity type",
            "kind of activity"
        ]
    ),
    field!(
        "date",
        "Datum",
        "Date",
        ["datum", "date", "dag", "närvarodatum", "day"]
    ),
    field!(
        "month",
        "Månad",
        "Month",
        ["månad", "month", "period", "år månad", "redovisningsmånad"]
    ),
    field!(
        "hours",
        "Timmar",
        "Hours",
        [
            "timmar",
            "tid",
            "närvarotimmar",
            "antal timmar",
            "närvaro timmar",
            "närvaro",
            "hours",
            "hours attended",
            "tid timmar",
            "deltagartid"
        ]
    ),
    field!(
        "minutes",
        "Minuter",
        "Minutes",
        ["minuter", "antal minuter", "minutes"]
    ),
    field!(
        "absence_reason",
        "Frånvaroorsak",
        "Absence reason",
        [
            "frånvaroorsak",
            "frånvaro",
            "orsak till frånvaro",
            "absence reason",
            "absence"
        ]
    ),
];

const PLACEMENTS: &[Field] = &[
    IDENTITY,
    NAME,
    field!(
        "employer",
        "Arbetsgivare",
        "Employer",
        [
            "arbetsgivare",
            "employer",
            "företag",
            "company",
            "praktikplats",
            "organisation"
        ]
    ),
    field!(
        "org_number",
        "Organisationsnummer",
        "Organisation number",
        [
            "organisationsnummer",
            "orgnr",
            "org nr",
            "organisationsnr",
            "organisation number",
            "organization number",
            "corporate id"
        ]
    ),
    field!(
        "workplace",
        "Arbetsplats",
        "Workplace",
        [
            "arbetsplats",
            "workplace",
            "enhet",
            "avdelning",
            "arbetsställe",
            "site"
        ]
    ),
    field!(
        "kind",
        "Typ av insats",
        "Kind of placement",
        [
            "typ",
            "typ av insats",
            "insats",
            "praktiktyp",
            "form",
            "placement type",
            "kind",
            "type",
            "kind of placement"
        ]
    ),
    field!(
        "starts_on",
        "Startdatum",
        "Start date",
        [
            "startdatum",
            "start",
            "från",
            "från och med",
            "fr o m",
            "from",
            "start date",
            "starts on"
        ]
    ),
    field!(
        "ends_on",
        "Slutdatum",
        "End date",
        [
            "slutdatum",
            "slut",
            "till",
            "till och med",
            "t o m",
            "to",
            "end date",
            "ends on"
        ]
    ),
    field!(
        "hours_per_week",
        "Timmar per vecka",
        "Hours per week",
        [
            "timmar per vecka",
            "tim vecka",
            "h v",
            "timmar vecka",
            "omfattning",
            "hours per week",
            "weekly hours"
        ]
    ),
    field!(
        "status",
        "Status",
        "Status",
        ["status", "läge", "placement status"]
    ),
];

/// The fields a file of `kind` may hold, in the order a form shows them.
pub fn fields(kind: ImportKind) -> &'static [Field] {
    match kind {
        ImportKind::Participants => PARTICIPANTS,
        ImportKind::Attendance => ATTENDANCE,
        ImportKind::Placements => PLACEMENTS,
    }
}

/// The field named `key` of `kind`.
pub fn field(kind: ImportKind, key: &str) -> Option<&'static Field> {
    fields(kind).iter().find(|f| f.key == key)
}

// Every baseline question of the domain has a column (a new question must be added here).
const _: () = assert!(BaselineField::ALL.len() == 16);

/// Which column (0-based) holds which field (by key). A column holds at most one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    pub kind: ImportKind,
    pub columns: BTreeMap<String, usize>,
}

impl Mapping {
    /// The column of `key`, if mapped.
    pub fn column(&self, key: &str) -> Option<usize> {
        self.columns.get(key).copied()
    }

    /// The field mapped to `column`, if any.
    pub fn field_of(&self, column: usize) -> Option<&'static Field> {
        let key = self.columns.iter().find(|(_, c)| **c == column)?.0;
        field(self.kind, key)
    }
}

/// A header folded for comparison: lower case, each run of other signs a single space.
pub fn fold(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    let mut space = false;
    for ch in header.trim().chars().flat_map(char::to_lowercase) {
        if ch.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(ch);
        } else {
            space = true;
        }
    }
    out
}

/// The same without å, ä, ö, é (files saved by systems that drop them).
fn plain(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'å' | 'ä' | 'á' | 'à' => 'a',
            'ö' | 'ó' | 'ø' => 'o',
            'é' | 'è' | 'ë' => 'e',
            c => c,
        })
        .collect()
}

/// How well `header` names `field`: 3 exact, 2 exact without å/ä/ö, 1 contains an alias, 0 no.
fn score(header: &str, field: &Field) -> u8 {
    let h = fold(header);
    if h.is_empty() {
        return 0;
    }
    let hp = plain(&h);
    let names = field
        .aliases
        .iter()
        .copied()
        .chain([field.key, field.label_sv, field.label_en]);
    let mut best = 0;
    for alias in names {
        let a = fold(alias);
        let s = if a == h {
            3
        } else if plain(&a) == hp {
            2
        } else if a.len() >= 4 && format!(" {hp} ").contains(&format!(" {} ", plain(&a))) {
            1
        } else {
            0
        };
        best = best.max(s);
    }
    best
}

/// Guesses the mapping of `headers` for `kind`: best matches first, each column and field used
/// once.
pub fn guess_mapping(kind: ImportKind, headers: &[String]) -> Mapping {
    guess_rest(kind, headers, BTreeMap::new())
}

fn guess_rest(
    kind: ImportKind,
    headers: &[String],
    mut columns: BTreeMap<String, usize>,
) -> Mapping {
    let mut candidates = Vec::new();
    for (c, h) in headers.iter().enumerate() {
        for f in fields(kind) {
            let s = score(h, f);
            if s > 0 {
                candidates.push((s, c, f.key));
            }
        }
    }
    // Best score first; among equals, the earlier column and the earlier field.
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, c, key) in candidates {
        if columns.contains_key(key) || columns.values().any(|v| *v == c) {
            continue;
        }
        columns.insert(key.to_owned(), c);
    }
    Mapping { kind, columns }
}

/// The kind of file `headers` most look like.
pub fn guess_kind(headers: &[String]) -> ImportKind {
    let distinctive = |kind: ImportKind| {
        let common = ["identity_number", "name", "project"];
        let m = guess_mapping(kind, headers);
        m.columns
            .keys()
            .filter(|k| !common.contains(&k.as_str()))
            .count()
    };
    let mut best = (ImportKind::Participants, 0);
    for kind in [ImportKind::Attendance, ImportKind::Placements] {
        let n = distinctive(kind);
        if n > best.1 {
            best = (kind, n);
        }
    }
    // A participants file must beat the others on its own columns.
    if distinctive(ImportKind::Participants) >= best.1 {
        ImportKind::Participants
    } else {
        best.0
    }
}

/// A remembered mapping (field key -> header) applied to `headers`; the rest guessed.
pub fn apply_remembered(kind: ImportKind, headers: &[String], remembered: Option<&str>) -> Mapping {
    let saved: BTreeMap<String, String> = remembered
        .and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or_default();
    let mut columns = BTreeMap::new();
    for (key, header) in saved {
        if field(kind, &key).is_none() {
            continue;
        }
        if let Some(c) = headers.iter().position(|h| fold(h) == fold(&header))
            && !columns.values().any(|v| *v == c)
        {
            columns.insert(key, c);
        }
    }
    guess_rest(kind, headers, columns)
}

/// The mapping as remembered: field key -> the header of its column.
pub fn remembered_json(mapping: &Mapping, headers: &[String]) -> String {
    let named: BTreeMap<&str, &str> = mapping
        .columns
        .iter()
        .filter_map(|(k, c)| Some((k.as_str(), headers.get(*c)?.as_str())))
        .collect();
    serde_json::to_string(&named).unwrap_or_else(|_| "{}".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn swedish_and_english_headers() {
        let m = guess_mapping(
            ImportKind::Participants,
            &h(&[
                "Personnummer",
                "Förnamn",
                "Efternamn",
                "Kön",
                "Projekt",
                "Inskrivningsdatum",
                "Född utomlands",
            ]),
        );
        assert_eq!(m.column("identity_number"), Some(0));
        assert_eq!(m.column("given_name"), Some(1));
        assert_eq!(m.column("family_name"), Some(2));
        assert_eq!(m.column("gender"), Some(3));
        assert_eq!(m.column("project"), Some(4));
        assert_eq!(m.column("enrolled_on"), Some(5));
        assert_eq!(m.column("born_abroad"), Some(6));
        let m = guess_mapping(
            ImportKind::Participants,
            &h(&[
                "Personal identity number",
                "First name",
                "Last name",
                "Gender",
                "Enrolment date",
            ]),
        );
        assert_eq!(m.column("enrolled_on"), Some(4));
        assert_eq!(m.column("given_name"), Some(1));
    }

    #[test]
    fn kinds_are_told_apart() {
        assert_eq!(
            guess_kind(&h(&["Personnummer", "Aktivitet", "Datum", "Timmar"])),
            ImportKind::Attendance
        );
        assert_eq!(
            guess_kind(&h(&[
                "Pnr",
                "Arbetsgivare",
                "Organisationsnummer",
                "Startdatum",
                "Typ"
            ])),
            ImportKind::Placements
        );
        assert_eq!(
            guess_kind(&h(&[
                "Personnummer",
                "Förnamn",
                "Efternamn",
                "Kön",
                "Inskrivningsdatum"
            ])),
            ImportKind::Participants
        );
    }

    #[test]
    fn remembered_mapping_wins() {
        let headers = h(&["Pnr", "Kolumn X", "Kön"]);
        let json = r#"{"given_name":"Kolumn X"}"#;
        let m = apply_remembered(ImportKind::Participants, &headers, Some(json));
        assert_eq!(m.column("given_name"), Some(1));
        assert_eq!(m.column("identity_number"), Some(0));
        assert!(remembered_json(&m, &headers).contains("Kolumn X"));
    }
}
