//! The register extract (registerutdrag): everything Stegvis holds about one person, for the
//! data protection officer answering a subject access request. One snapshot read, one audit
//! event; the JSON and the PDF are both made from [`RegisterExtract`].

use crate::policy::Action;
use crate::{Actor, App, Result};
use serde::Serialize;
use stegvis_domain::SealedIdentity;
use stegvis_store::AuditFilter;
use stegvis_store::register_extract::ExtractRow;
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

/// Everything held about one participant, in fixed sections.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RegisterExtract {
    pub participant_id: Uuid,
    /// When the extract was made (RFC 3339).
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub made_at: OffsetDateTime,
    /// Who made it (the auditor's name).
    pub made_by: String,
    /// In this order: person, history, enrolments, consents, assessments, plans, attendance,
    /// placements, follow_ups, referrals, conferences, job_profile, account, access_log.
    pub sections: Vec<ExtractSection>,
}

/// One section: a kind of record and every row of it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExtractSection {
    pub key: String,
    pub title_sv: String,
    pub title_en: String,
    pub items: Vec<ExtractItem>,
}

/// One record (a row) of a section.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExtractItem {
    /// What kind of row it is, in Swedish (a section may hold several kinds: a placement, its
    /// weeks, its feedback).
    pub title_sv: String,
    pub fields: Vec<ExtractField>,
}

/// One value of a record.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExtractField {
    /// The column's name.
    pub key: String,
    /// The value's name in Swedish.
    pub label_sv: String,
    /// The value as text; `null` when nothing is recorded.
    pub value: Option<String>,
}

/// A section's rows: `(row title, statement with the participant's id as $1)`.
type Source = (&'static str, &'static str);

/// The sections in their fixed order: key, Swedish and English title, and where the rows come
/// from. `person`, `history` and `access_log` get more rows in [`App::register_extract`].
const SECTIONS: &[(&str, &str, &str, &[Source])] = &[
    (
        "person",
        "Personuppgifter",
        "Personal details",
        &[("Person", "SELECT * FROM participants WHERE id = $1")],
    ),
    (
        "history",
        "Tidigare uppgifter (historik)",
        "Earlier values (history)",
        &[(
            "Tidigare version",
            "SELECT * FROM record_history WHERE participant_id = $1 ORDER BY changed_at, id",
        )],
    ),
    (
        "enrolments",
        "Inskrivningar och bakgrundsfrågor",
        "Enrolments and baseline answers",
        &[
            (
                "Inskrivning",
                "SELECT * FROM enrolments WHERE participant_id = $1 ORDER BY enrolled_on, id",
            ),
            (
                "Undantag från målgruppen",
                "SELECT * FROM enrolment_exceptions WHERE enrolment_id IN
                   (SELECT id FROM enrolments WHERE participant_id = $1) ORDER BY created_at",
            ),
        ],
    ),
    (
        "consents",
        "Samtycken",
        "Consents",
        &[(
            "Samtycke",
            "SELECT * FROM consents WHERE participant_id = $1 ORDER BY recorded_at, id",
        )],
    ),
    (
        "assessments",
        "Kartläggningar",
        "Assessments",
        &[
            (
                "Kartläggning",
                "SELECT * FROM assessments WHERE participant_id = $1 ORDER BY assessed_on, id",
            ),
            (
                "Svar",
                "SELECT * FROM assessment_scores WHERE assessment_id IN
                   (SELECT id FROM assessments WHERE participant_id = $1)
                 ORDER BY assessment_id, item_key",
            ),
            (
                "Öppnad för samverkanspart",
                "SELECT * FROM assessment_partners WHERE assessment_id IN
                   (SELECT id FROM assessments WHERE participant_id = $1)
                 ORDER BY assessment_id, opened_at",
            ),
        ],
    ),
    (
        "plans",
        "Handlingsplan",
        "Plan",
        &[(
            "Steg i planen",
            "SELECT * FROM plan_steps WHERE participant_id = $1 ORDER BY created_at, id",
        )],
    ),
    (
        "attendance",
        "Närvaro",
        "Attendance",
        &[(
            "Närvaro",
            "SELECT a.*, act.name AS activity_name FROM attendance a
             JOIN activities act ON act.id = a.activity_id
             WHERE a.participant_id = $1 ORDER BY a.attended_on, a.id",
        )],
    ),
    (
        "placements",
        "Praktik och anställning",
        "Placements",
        &[
            (
                "Praktik eller anställning",
                "SELECT p.*, w.name AS workplace_name FROM placements p
                 JOIN workplaces w ON w.id = p.workplace_id
                 WHERE p.participant_id = $1 ORDER BY p.offered_on, p.id",
            ),
            (
                "Bekräftad vecka",
                "SELECT * FROM placement_weeks WHERE placement_id IN
                   (SELECT id FROM placements WHERE participant_id = $1)
                 ORDER BY placement_id, week_of",
            ),
            (
                "Återkoppling",
                "SELECT * FROM placement_feedback WHERE placement_id IN
                   (SELECT id FROM placements WHERE participant_id = $1)
                 ORDER BY placement_id, written_at",
            ),
        ],
    ),
    (
        "follow_ups",
        "Uppföljningar",
        "Follow-ups",
        &[(
            "Uppföljning",
            "SELECT * FROM follow_ups WHERE participant_id = $1 ORDER BY due_on, id",
        )],
    ),
    (
        "referrals",
        "Remisser",
        "Referrals",
        &[(
            "Remiss",
            "SELECT * FROM referrals WHERE participant_id = $1 ORDER BY sent_at, id",
        )],
    ),
    (
        "conferences",
        "Samverkansmöten",
        "Case conferences",
        &[
            (
                "Samverkansmöte",
                "SELECT * FROM conferences WHERE participant_id = $1 ORDER BY held_on, id",
            ),
            (
                "Beslut som blev steg i planen",
                "SELECT * FROM conference_steps WHERE conference_id IN
                   (SELECT id FROM conferences WHERE participant_id = $1)
                 ORDER BY conference_id, plan_step_id",
            ),
        ],
    ),
    (
        "job_profile",
        "Jobbprofil",
        "Job profile",
        &[(
            "Jobbprofil",
            "SELECT * FROM job_profiles WHERE participant_id = $1",
        )],
    ),
    (
        "account",
        "Konto i Stegvis",
        "Account in Stegvis",
        &[
            (
                "Konto",
                "SELECT * FROM users WHERE participant_id = $1 ORDER BY created_at",
            ),
            (
                "Aktiveringskod (själva koden sparas inte)",
                "SELECT * FROM account_links WHERE user_id IN
                   (SELECT id FROM users WHERE participant_id = $1) ORDER BY created_at",
            ),
        ],
    ),
    ("access_log", "Åtkomstlogg", "Access log", &[]),
];

/// The access log is read this many events at a time (it is never cut off).
const LOG_PAGE: i64 = 1_000;

/// The Swedish name of a column; a column without one keeps its own name.
fn label(key: &str) -> &str {
    match key {
        "id" => "Id",
        "org_id" => "Organisation (id)",
        "participant_id" => "Deltagare (id)",
        "identity_mode" => "Identitet",
        "identity_kind" => "Typ av nummer",
        "identity_number" => "Personnummer eller samordningsnummer",
        "birth_date" => "Födelsedatum",
        "given_name" => "Förnamn",
        "family_name" => "Efternamn",
        "gender" => "Kön",
        "created_at" => "Skapad",
        "created_by" => "Skapad av (id)",
        "updated_at" => "Ändrad",
        "updated_by" => "Ändrad av (id)",
        "record_kind" => "Slag av uppgift",
        "record_id" => "Uppgiftens id",
        "changed_at" => "Ändrad",
        "changed_by" => "Ändrad av (id)",
        "previous" => "Tidigare värde",
        "replaced_at" => "Ersatt",
        "replaced_by" => "Ersatt av (id)",
        "project_id" => "Projekt (id)",
        "enrolled_on" => "Inskriven",
        "labour_status" => "Ställning på arbetsmarknaden",
        "long_term_unemployed" => "Långtidsarbetslös",
        "months_without_work" => "Månader utan arbete",
        "in_education" => "I utbildning",
        "isced_level" => "Utbildningsnivå (ISCED)",
        "born_abroad" => "Född utomlands",
        "foreign_background" => "Utländsk bakgrund",
        "disability" => "Funktionsnedsättning",
        "homeless" => "Hemlös",
        "jobless_household" => "Hushåll utan arbete",
        "dependent_children" => "Försörjer barn",
        "single_adult_with_children" => "Ensamstående med barn",
        "social_assistance" => "Ekonomiskt bistånd",
        "sick_leave" => "Sjukskriven",
        "activity_compensation" => "Aktivitetsersättning",
        "registered_at_employment_service" => "Inskriven på Arbetsförmedlingen",
        "exited_on" => "Avslutad",
        "exit_status" => "Avslutsorsak",
        "coach_id" => "Coach (id)",
        "version" => "Version",
        "reason" => "Skäl",
        "criteria" => "Villkor som inte uppfylldes",
        "recipient_org_id" => "Mottagande organisation (id)",
        "kinds" => "Omfattar",
        "purpose" => "Syfte",
        "form" => "Hur samtycket gavs",
        "valid_from" => "Gäller från",
        "valid_to" => "Gäller till",
        "recorded_by" => "Antecknad av (id)",
        "recorded_at" => "Antecknad",
        "revoked_at" => "Återkallad",
        "revoked_by" => "Återkallad av (id)",
        "instrument_key" => "Instrument",
        "instrument_version" => "Instrumentets version",
        "assessed_on" => "Datum",
        "rater" => "Bedömd av",
        "rater_org_id" => "Bedömande organisation (id)",
        "assessment_id" => "Kartläggning (id)",
        "item_key" => "Fråga",
        "value" => "Svar",
        "rated_by_org_id" => "Svar från organisation (id)",
        "rated_by" => "Svar av (id)",
        "rated_at" => "Besvarad",
        "opened_by" => "Öppnad av (id)",
        "opened_at" => "Öppnad",
        "goal" => "Mål",
        "step" => "Steg",
        "owner" => "Vem gör steget",
        "due_on" => "Senast",
        "status" => "Läge",
        "participant_words" => "Deltagarens egna ord",
        "staff_note" => "Personalens anteckning",
        "activity_id" => "Aktivitet (id)",
        "activity_name" => "Aktivitet",
        "attended_on" => "Dag",
        "minutes" => "Minuter",
        "absence_reason" => "Skäl till frånvaro",
        "workplace_id" => "Arbetsplats (id)",
        "workplace_name" => "Arbetsplats",
        "opening_id" => "Plats (id)",
        "kind" => "Slag",
        "supervisor_id" => "Handledare (id)",
        "starts_on" => "Börjar",
        "ends_on" => "Slutar",
        "hours_per_week" => "Timmar per vecka",
        "goals" => "Mål",
        "adaptations" => "Anpassningar",
        "offered_on" => "Erbjuden",
        "placement_id" => "Praktik (id)",
        "week_of" => "Vecka från",
        "confirmed_by" => "Bekräftad av (id)",
        "confirmed_at" => "Bekräftad",
        "text" => "Text",
        "written_by" => "Skriven av (id)",
        "written_at" => "Skriven",
        "enrolment_id" => "Inskrivning (id)",
        "done_on" => "Gjord",
        "job_searching" => "Söker arbete",
        "gained_qualification" => "Fick en kvalifikation",
        "employed" => "Har arbete",
        "improved_situation" => "Bättre situation",
        "to_org_id" => "Till organisation (id)",
        "consent_id" => "Samtycke (id)",
        "sent_by" => "Skickad av (id)",
        "sent_at" => "Skickad",
        "answered_by" => "Besvarad av (id)",
        "answered_at" => "Besvarad",
        "answer_note" => "Svar",
        "closed_at" => "Stängd",
        "team_id" => "Samverkansteam (id)",
        "held_on" => "Datum",
        "attendees" => "Deltog",
        "conference_id" => "Samverkansmöte (id)",
        "plan_step_id" => "Steg i planen (id)",
        "wanted" => "Önskat arbete",
        "experience" => "Erfarenhet",
        "municipality_code" => "Kommun",
        "can_travel" => "Kan resa i länet (1 = ja)",
        "swedish" => "Svenska",
        "needs" => "Behov av anpassning",
        "email" => "E-post",
        "name" => "Namn",
        "role" => "Roll",
        "disabled_at" => "Stängt",
        "user_id" => "Konto (id)",
        "expires_at" => "Gäller till",
        "used_at" => "Använd",
        "withdrawn_at" => "Återkallad",
        "at" => "Tid",
        "actor" => "Vem",
        "actor_org" => "Organisation",
        "actor_role" => "Roll",
        "action" => "Vad",
        "decision" => "Beslut",
        "ground" => "Grund",
        "detail" => "Detalj",
        other => other,
    }
}

fn field(key: &str, value: Option<String>) -> ExtractField {
    ExtractField {
        key: key.to_owned(),
        label_sv: label(key).to_owned(),
        value,
    }
}

fn item(title: &str, row: ExtractRow) -> ExtractItem {
    let mut fields = Vec::with_capacity(row.len());
    for (k, v) in row {
        match (
            k.as_str(),
            v.as_deref().map(serde_json::from_str::<serde_json::Value>),
        ) {
            // A history row's earlier version, value by value: readable, and each value short
            // enough for a line of the PDF.
            ("previous", Some(Ok(serde_json::Value::Object(map)))) => {
                for (key, value) in map {
                    let value = match value {
                        serde_json::Value::Null => None,
                        serde_json::Value::String(s) => Some(s),
                        other => Some(other.to_string()),
                    };
                    fields.push(ExtractField {
                        key: format!("previous.{key}"),
                        label_sv: format!("Tidigare: {}", label(&key)),
                        value,
                    });
                }
            }
            _ => fields.push(field(&k, v)),
        }
    }
    ExtractItem {
        title_sv: title.to_owned(),
        fields,
    }
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

impl App {
    /// Everything Stegvis holds about participant `id`, for the auditor of their organisation.
    /// Reading it all is one audit event, and every statement sees the same snapshot.
    pub async fn register_extract(&self, actor: &Actor, id: Uuid) -> Result<RegisterExtract> {
        let (mut tx, _, own_event) = self
            .open_subject_rights(actor, id, Action::Read, "register extract")
            .await?;
        let made_at = self.now();
        let mut sections = Vec::with_capacity(SECTIONS.len());
        for (key, title_sv, title_en, sources) in SECTIONS {
            let mut items = Vec::new();
            for (title, sql) in *sources {
                for row in tx.extract_rows(sql, id).await? {
                    items.push(item(title, row));
                }
            }
            match *key {
                "person" => {
                    if let Some(row) = tx.participant(id).await?
                        && let Some(sealed) = &row.identity
                        && let Some(person) = items.first_mut()
                    {
                        let number = self.open_identity(sealed, id)?.formatted();
                        person.fields.push(field("identity_number", Some(number)));
                    }
                }
                "history" => {
                    for h in tx.identity_history(id).await? {
                        let sealed = SealedIdentity {
                            kind: h
                                .identity_kind
                                .unwrap_or(stegvis_domain::IdentityKind::Personnummer),
                            ciphertext: h.identity_enc,
                            hash: Vec::new(),
                        };
                        let number = self.open_identity(&sealed, h.id)?.formatted();
                        items.push(ExtractItem {
                            title_sv: "Tidigare personnummer eller samordningsnummer".into(),
                            fields: vec![
                                field("id", Some(h.id.to_string())),
                                field(
                                    "identity_kind",
                                    h.identity_kind.map(|k| k.code().to_owned()),
                                ),
                                field("identity_number", Some(number)),
                                field("replaced_at", Some(rfc3339(h.replaced_at))),
                                field("replaced_by", h.replaced_by.map(|u| u.to_string())),
                            ],
                        });
                    }
                }
                "access_log" => {
                    let mut offset = 0;
                    loop {
                        let filter = AuditFilter {
                            participant_id: Some(id),
                            limit: LOG_PAGE,
                            offset,
                            ..AuditFilter::default()
                        };
                        let page = tx.audit_events(&filter).await?;
                        let n = page.len() as i64;
                        // The extract's own event is written at commit on SQLite and at
                        // once on PostgreSQL: leave it out, so both answer the same.
                        for e in page.into_iter().filter(|e| e.id != own_event) {
                            items.push(ExtractItem {
                                title_sv: "Händelse".into(),
                                fields: vec![
                                    field("at", Some(rfc3339(e.at))),
                                    field("actor", e.actor_name),
                                    field("actor_org", e.actor_org_name),
                                    field("actor_role", Some(e.actor_role)),
                                    field("record_kind", Some(e.record_kind)),
                                    field("action", Some(e.action.code().to_owned())),
                                    field("decision", Some(e.decision.code().to_owned())),
                                    field("ground", Some(e.ground)),
                                    field("detail", e.detail),
                                ],
                            });
                        }
                        if n < LOG_PAGE {
                            break;
                        }
                        offset += LOG_PAGE;
                    }
                }
                _ => {}
            }
            sections.push(ExtractSection {
                key: (*key).to_owned(),
                title_sv: (*title_sv).to_owned(),
                title_en: (*title_en).to_owned(),
                items,
            });
        }
        self.commit(tx).await?;
        Ok(RegisterExtract {
            participant_id: id,
            made_at,
            made_by: actor.name.clone(),
            sections,
        })
    }
}
