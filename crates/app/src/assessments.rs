//! Assessment use cases (kartläggning): record an occasion's scores, list them, and the distance
//! travelled between the first and the latest assessment of the same kind of rater.

use crate::error::{FieldError, Text};
use crate::gate::reject;
use crate::policy::{Action, RecordKind};
use crate::{Actor, App, AppError, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use stegvis_domain::assessment::{Instrument, Rater, ScoreSheet, distance, instruments};
use stegvis_store::assessment::{AssessmentRow, ScoreRow};
use time::Date;
use utoipa::ToSchema;
use uuid::Uuid;

/// The instruments a participant can be assessed with, by key.
pub fn participant_instrument(key: &str) -> Option<Instrument> {
    let wr = instruments::work_readiness();
    (wr.key == key).then_some(wr)
}

stegvis_domain::code_list!(
    /// Who rated an assessment: the participant, or staff.
    RatedBy, "rater" {
        SelfRated => "self", "Deltagaren själv", "The participant";
        Staff => "staff", "Personal", "Staff";
    }
);

/// One occasion's scores as sent by a form or as JSON.
#[derive(Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct AssessmentInput {
    /// Instrument key; default `stegvis_work_readiness`.
    #[schema(schema_with = crate::openapi::participant_instrument)]
    pub instrument: Option<String>,
    /// `YYYY-MM-DD`.
    #[schema(schema_with = crate::openapi::date, required = true)]
    pub assessed_on: String,
    /// `self` (the participant's own rating) or `staff`.
    #[schema(value_type = RatedBy, required = true)]
    pub rater: String,
    /// Item key → score. Items left out were not scored on this occasion.
    #[schema(schema_with = crate::openapi::scores, required = true)]
    pub scores: BTreeMap<String, i64>,
}

impl std::fmt::Debug for AssessmentInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "AssessmentInput({} scores, <redacted>)",
            self.scores.len()
        )
    }
}

/// A recorded assessment.
#[derive(Clone, Serialize, ToSchema)]
pub struct AssessmentView {
    pub id: Uuid,
    pub participant_id: Uuid,
    pub instrument: String,
    pub instrument_version: i32,
    pub assessed_on: Date,
    #[schema(value_type = RatedBy)]
    pub rater: String,
    pub scores: BTreeMap<String, u8>,
    /// Who rated which items: one entry per organisation (a joint assessment has several).
    pub contributors: Vec<Contributor>,
    /// Partner organisations the assessment is opened to: each records its part under the
    /// participant's consent covering assessments.
    pub opened_to: Vec<Uuid>,
}

/// An organisation's part of an assessment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Contributor {
    pub org_id: Uuid,
    pub organisation: String,
    pub items: Vec<String>,
}

/// The partner organisation to open an assessment to.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct OpenToInput {
    #[schema(schema_with = crate::openapi::uuid, required = true)]
    pub org_id: String,
}

/// Scores another organisation (or colleague) adds to a staff assessment: items not yet rated.
#[derive(Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct AssessmentPartInput {
    /// Item key → score.
    #[schema(schema_with = crate::openapi::scores, required = true)]
    pub scores: BTreeMap<String, i64>,
}

impl std::fmt::Debug for AssessmentPartInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AssessmentPartInput({} scores)", self.scores.len())
    }
}

fn view_of(r: &AssessmentRow, scores: &[ScoreRow], partners: &[(Uuid, Uuid)]) -> AssessmentView {
    let mine: Vec<&ScoreRow> = scores.iter().filter(|s| s.assessment_id == r.id).collect();
    let mut contributors: Vec<Contributor> = Vec::new();
    for s in &mine {
        let Some(org) = s.rated_by_org_id else {
            continue;
        };
        match contributors.iter_mut().find(|c| c.org_id == org) {
            Some(c) => c.items.push(s.item_key.clone()),
            None => contributors.push(Contributor {
                org_id: org,
                organisation: s.rated_by_org_name.clone().unwrap_or_default(),
                items: vec![s.item_key.clone()],
            }),
        }
    }
    AssessmentView {
        id: r.id,
        participant_id: r.participant_id,
        instrument: r.instrument_key.clone(),
        instrument_version: r.instrument_version,
        assessed_on: r.assessed_on,
        rater: r.rater.clone(),
        scores: mine
            .iter()
            .map(|s| (s.item_key.clone(), s.value as u8))
            .collect(),
        contributors,
        opened_to: partners
            .iter()
            .filter(|(a, _)| *a == r.id)
            .map(|(_, o)| *o)
            .collect(),
    }
}

/// Checks scores against the instrument; collects an error per bad item.
fn checked_scores(
    instrument: &Instrument,
    rater: Rater,
    scores: &BTreeMap<String, i64>,
    errors: &mut Vec<FieldError>,
) -> ScoreSheet {
    let mut s = ScoreSheet::new(instrument, rater);
    for (item, value) in scores {
        match u8::try_from(*value) {
            Ok(v) => s.scores.push((item.clone(), v)),
            Err(_) => errors.push(FieldError::new(
                &format!("scores.{item}"),
                Text::new(
                    "Värdet ligger utanför skalan.",
                    "The value is outside the scale.",
                ),
            )),
        }
    }
    if let Err(bad) = instrument.check(&s) {
        for e in bad {
            let field = e
                .item()
                .map_or_else(|| "instrument".to_owned(), |i| format!("scores.{i}"));
            errors.push(FieldError::new(
                &field,
                Text::new(e.message("sv"), e.message("en")),
            ));
        }
    }
    s
}

/// Change in one domain between two assessments.
#[derive(Clone, Serialize, ToSchema)]
pub struct DomainChange {
    pub domain: String,
    pub label_sv: String,
    pub label_en: String,
    pub items_compared: u32,
    /// Mean score change, `null` when no item was scored both times ("not comparable").
    pub change: Option<f64>,
    /// The change with one decimal and a sign, Swedish style (`+1,5`).
    pub change_sv: Option<String>,
    pub change_en: Option<String>,
}

/// Distance travelled (stegförflyttning) between the first and the latest assessment.
#[derive(Clone, Serialize, ToSchema)]
pub struct DistanceView {
    #[schema(value_type = RatedBy)]
    pub rater: String,
    pub from: Date,
    pub to: Date,
    pub domains: Vec<DomainChange>,
    pub overall: Option<f64>,
    pub overall_sv: Option<String>,
    pub overall_en: Option<String>,
}

/// A participant's assessments with their distance travelled, per kind of rater.
#[derive(Clone, Serialize, ToSchema)]
pub struct AssessmentsView {
    pub assessments: Vec<AssessmentView>,
    pub distances: Vec<DistanceView>,
}

impl std::fmt::Debug for AssessmentsView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AssessmentsView({} assessments)", self.assessments.len())
    }
}

fn sheet_of(row: &AssessmentRow, scores: &[ScoreRow]) -> ScoreSheet {
    ScoreSheet {
        instrument_key: row.instrument_key.clone(),
        instrument_version: row.instrument_version as u32,
        scores: scores
            .iter()
            .filter(|s| s.assessment_id == row.id)
            .map(|s| (s.item_key.clone(), s.value as u8))
            .collect(),
        rater: if row.rater == "self" {
            Rater::SelfRated
        } else {
            Rater::Staff {
                organisation: row.rater_org_id,
            }
        },
    }
}

fn distances(rows: &[AssessmentRow], scores: &[ScoreRow]) -> Vec<DistanceView> {
    let mut out = Vec::new();
    for rater in ["self", "staff"] {
        let same: Vec<&AssessmentRow> = rows.iter().filter(|r| r.rater == rater).collect();
        let (Some(first), Some(last)) = (same.first(), same.last()) else {
            continue;
        };
        if first.id == last.id || first.instrument_key != last.instrument_key {
            continue;
        }
        let Some(instrument) = participant_instrument(&first.instrument_key) else {
            continue;
        };
        let d = distance(
            &instrument,
            &sheet_of(first, scores),
            &sheet_of(last, scores),
        );
        let domains = d
            .domains
            .iter()
            .map(|dd| {
                let label = instrument.domains.iter().find(|x| x.key == dd.domain);
                let change = dd.change();
                DomainChange {
                    domain: dd.domain.clone(),
                    label_sv: label.map(|l| l.label_sv.clone()).unwrap_or_default(),
                    label_en: label.map(|l| l.label_en.clone()).unwrap_or_default(),
                    items_compared: dd.items_compared,
                    change: change.map(|c| c.to_f64()),
                    change_sv: change.map(|c| c.display("sv")),
                    change_en: change.map(|c| c.display("en")),
                }
            })
            .collect();
        out.push(DistanceView {
            rater: rater.to_owned(),
            from: first.assessed_on,
            to: last.assessed_on,
            domains,
            overall: d.overall.map(|c| c.to_f64()),
            overall_sv: d.overall.map(|c| c.display("sv")),
            overall_en: d.overall.map(|c| c.display("en")),
        });
    }
    out
}

impl App {
    /// Records one assessment occasion for a participant.
    pub async fn record_assessment(
        &self,
        actor: &Actor,
        participant_id: Uuid,
        input: &AssessmentInput,
    ) -> Result<AssessmentView> {
        let (mut tx, subject) = self
            .open_record(
                actor,
                participant_id,
                RecordKind::Assessment,
                Action::Write,
                Some("assessment".into()),
            )
            .await?;
        let mut errors = Vec::new();
        let key = input
            .instrument
            .clone()
            .filter(|k| !k.trim().is_empty())
            .unwrap_or_else(|| "stegvis_work_readiness".into());
        let instrument = participant_instrument(key.trim());
        if instrument.is_none() {
            errors.push(FieldError::new(
                "instrument",
                Text::new("Okänt instrument.", "Unknown instrument."),
            ));
        }
        let assessed_on = crate::input::parse_date("assessed_on", &input.assessed_on, &mut errors);
        let first_enrolment = tx
            .enrolments_of(participant_id)
            .await?
            .iter()
            .map(|e| e.enrolled_on)
            .min();
        if let (Some(d), Some(first)) = (assessed_on, first_enrolment)
            && d < first
        {
            errors.push(FieldError::new(
                "assessed_on",
                Text::new(
                    "Kartläggningen kan inte vara gjord före den första inskrivningen.",
                    "The assessment cannot be before the first enrolment.",
                ),
            ));
        }
        if assessed_on.is_some_and(|d| d > self.today()) {
            errors.push(FieldError::new(
                "assessed_on",
                Text::new(
                    "Datumet kan inte ligga i framtiden.",
                    "The date cannot be in the future.",
                ),
            ));
        }
        let rater = match input.rater.trim() {
            "self" => Some(Rater::SelfRated),
            "staff" => Some(Rater::Staff {
                organisation: Some(actor.org_id),
            }),
            _ => {
                errors.push(FieldError::new(
                    "rater",
                    Text::new(
                        "Välj vem som skattade: deltagaren eller personal.",
                        "Choose who rated: the participant or staff.",
                    ),
                ));
                None
            }
        };
        if input.scores.is_empty() {
            errors.push(FieldError::new(
                "scores",
                Text::new("Fyll i minst en fråga.", "Answer at least one question."),
            ));
        }
        let sheet = match (&instrument, rater) {
            (Some(instrument), Some(rater)) => Some(checked_scores(
                instrument,
                rater,
                &input.scores,
                &mut errors,
            )),
            _ => None,
        };
        let (Some(instrument), Some(assessed_on), Some(sheet), true) =
            (instrument, assessed_on, sheet, errors.is_empty())
        else {
            return reject(tx, AppError::Invalid(errors)).await;
        };
        let row = AssessmentRow {
            org_id: subject.org_id,
            id: Uuid::now_v7(),
            participant_id,
            instrument_key: instrument.key.clone(),
            instrument_version: instrument.version as i32,
            assessed_on,
            rater: if sheet.rater == Rater::SelfRated {
                "self"
            } else {
                "staff"
            }
            .to_owned(),
            rater_org_id: match sheet.rater {
                Rater::Staff { organisation } => organisation,
                Rater::SelfRated => None,
            },
            created_at: self.now(),
            created_by: Some(actor.user_id),
        };
        tx.insert_assessment(&row, &sheet.scores).await?;
        let scores = tx.scores_of(participant_id).await?;
        self.commit(tx).await?;
        Ok(view_of(&row, &scores, &[]))
    }

    /// Adds a part to a staff assessment: scores for items nobody has rated yet, recorded as
    /// rated by the caller's organisation. This is how a joint assessment is built: each
    /// organisation allowed to write the participant's assessments records what it knows.
    pub async fn add_assessment_part(
        &self,
        actor: &Actor,
        assessment_id: Uuid,
        input: &AssessmentPartInput,
    ) -> Result<AssessmentView> {
        let (mut tx, row) = self
            .open_assessment(actor, assessment_id, Action::Write, "assessment part")
            .await?;
        let participant_id = row.participant_id;
        if row.rater != "staff" {
            let err = AppError::Conflict(Text::new(
                "En självskattning är deltagarens egen och kompletteras inte av personal.",
                "A self-rating is the participant's own and is not added to by staff.",
            ));
            return reject(tx, err).await;
        }
        let Some(instrument) = participant_instrument(&row.instrument_key) else {
            return reject(tx, AppError::Internal("unknown instrument".into())).await;
        };
        let mut errors = Vec::new();
        if input.scores.is_empty() {
            errors.push(FieldError::new(
                "scores",
                Text::new("Fyll i minst en fråga.", "Answer at least one question."),
            ));
        }
        let rater = Rater::Staff {
            organisation: Some(actor.org_id),
        };
        let sheet = checked_scores(&instrument, rater, &input.scores, &mut errors);
        // Two parts at once must not both pass the check below (PostgreSQL reads committed).
        tx.lock_participants(&[participant_id]).await?;
        let existing = tx.scores_of(participant_id).await?;
        for (item, _) in &sheet.scores {
            let taken = existing
                .iter()
                .any(|s| s.assessment_id == row.id && &s.item_key == item);
            if taken {
                errors.push(FieldError::new(
                    &format!("scores.{item}"),
                    Text::new(
                        "Frågan är redan bedömd i den här kartläggningen.",
                        "The question is already rated in this assessment.",
                    ),
                ));
            }
        }
        if !errors.is_empty() {
            return reject(tx, AppError::Invalid(errors)).await;
        }
        let part = stegvis_store::assessment::Part {
            org_id: Some(actor.org_id),
            user_id: Some(actor.user_id),
            at: self.now(),
        };
        tx.insert_scores(&row, &sheet.scores, &part).await?;
        let scores = tx.scores_of(participant_id).await?;
        let partners = tx.assessment_partners_of(participant_id).await?;
        self.commit(tx).await?;
        Ok(view_of(&row, &scores, &partners))
    }

    /// Opens a staff assessment to a partner organisation (the holding organisation's staff).
    /// The partner records its part only while a consent to it covers assessments.
    pub async fn open_assessment_to(
        &self,
        actor: &Actor,
        assessment_id: Uuid,
        input: &OpenToInput,
    ) -> Result<AssessmentView> {
        let org = Uuid::parse_str(input.org_id.trim()).ok();
        let org_exists = match org {
            Some(id) => {
                let mut tx = self.store.begin_read().await?;
                let found = tx.organisation(id).await?.is_some();
                tx.commit().await?;
                found
            }
            None => false,
        };
        // The holding organisation's rule only: a partner records its part, it does not open
        // the assessment to others (so not through the joint gate).
        let participant_id = self
            .store
            .assessment_participant(assessment_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (mut tx, _) = self
            .open_record(
                actor,
                participant_id,
                RecordKind::Assessment,
                Action::Write,
                Some(format!("open assessment {assessment_id}")),
            )
            .await?;
        let row = tx
            .assessment(assessment_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let Some(org) = org.filter(|o| org_exists && *o != row.org_id) else {
            let err = AppError::field(
                "org_id",
                Text::new(
                    "Välj en annan organisation.",
                    "Choose another organisation.",
                ),
            );
            return reject(tx, err).await;
        };
        if row.rater != "staff" {
            let err = AppError::Conflict(Text::new(
                "En självskattning är deltagarens egen och öppnas inte för andra.",
                "A self-rating is the participant's own and is not opened to others.",
            ));
            return reject(tx, err).await;
        }
        tx.open_assessment_to(assessment_id, org, actor.user_id, self.now())
            .await?;
        let scores = tx.scores_of(row.participant_id).await?;
        let partners = tx.assessment_partners_of(row.participant_id).await?;
        self.commit(tx).await?;
        Ok(view_of(&row, &scores, &partners))
    }

    /// The gate for one assessment, then the assessment.
    async fn open_assessment(
        &self,
        actor: &Actor,
        assessment_id: Uuid,
        action: Action,
        detail: &str,
    ) -> Result<(stegvis_store::Audited, AssessmentRow)> {
        let participant_id = self
            .store
            .assessment_participant(assessment_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let detail = format!("{detail} {assessment_id}");
        let (mut tx, _) = if action == Action::Write {
            // A partner the assessment is opened to may record its part.
            let partners = self.store.assessment_partners(assessment_id).await?;
            self.open_joint_assessment(actor, participant_id, &partners, detail)
                .await?
        } else {
            self.open_record(
                actor,
                participant_id,
                RecordKind::Assessment,
                action,
                Some(detail),
            )
            .await?
        };
        let row = tx
            .assessment(assessment_id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok((tx, row))
    }

    /// One assessment and the participant it is about.
    pub async fn assessment(
        &self,
        actor: &Actor,
        assessment_id: Uuid,
    ) -> Result<(Uuid, AssessmentView)> {
        let (mut tx, row) = self
            .open_assessment(actor, assessment_id, Action::Read, "assessment")
            .await?;
        let scores = tx.scores_of(row.participant_id).await?;
        let partners = tx.assessment_partners_of(row.participant_id).await?;
        self.commit(tx).await?;
        Ok((row.participant_id, view_of(&row, &scores, &partners)))
    }

    /// A participant's assessments, oldest first, with distance travelled.
    pub async fn assessments(
        &self,
        actor: &Actor,
        participant_id: Uuid,
    ) -> Result<AssessmentsView> {
        let (mut tx, _) = self
            .open_record(
                actor,
                participant_id,
                RecordKind::Assessment,
                Action::Read,
                None,
            )
            .await?;
        let rows = tx.assessments_of(participant_id).await?;
        let scores = tx.scores_of(participant_id).await?;
        let partners = tx.assessment_partners_of(participant_id).await?;
        self.commit(tx).await?;
        let assessments = rows
            .iter()
            .map(|r| view_of(r, &scores, &partners))
            .collect();
        Ok(AssessmentsView {
            assessments,
            distances: distances(&rows, &scores),
        })
    }
}
