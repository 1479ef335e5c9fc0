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

/// One occasion's scores as sent by a form or as JSON.
#[derive(Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct AssessmentInput {
    /// Instrument key; default `stegvis_work_readiness`.
    pub instrument: Option<String>,
    /// `YYYY-MM-DD`.
    pub assessed_on: String,
    /// `self` (the participant's own rating) or `staff`.
    pub rater: String,
    /// Item key → score. Items left out were not scored on this occasion.
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
    pub instrument: String,
    pub instrument_version: i32,
    #[schema(value_type = String, format = Date)]
    pub assessed_on: Date,
    pub rater: String,
    pub scores: BTreeMap<String, u8>,
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
    pub rater: String,
    #[schema(value_type = String, format = Date)]
    pub from: Date,
    #[schema(value_type = String, format = Date)]
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
        let assessed_on =
            crate::enrolments::parse_date("assessed_on", &input.assessed_on, &mut errors);
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
        let mut sheet = None;
        if let (Some(instrument), Some(rater)) = (&instrument, rater) {
            let mut s = ScoreSheet::new(instrument, rater);
            for (item, value) in &input.scores {
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
            sheet = Some(s);
        }
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
        tx.commit().await?;
        Ok(AssessmentView {
            id: row.id,
            instrument: row.instrument_key,
            instrument_version: row.instrument_version,
            assessed_on: row.assessed_on,
            rater: row.rater,
            scores: sheet.scores.into_iter().collect(),
        })
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
        tx.commit().await?;
        let assessments = rows
            .iter()
            .map(|r| AssessmentView {
                id: r.id,
                instrument: r.instrument_key.clone(),
                instrument_version: r.instrument_version,
                assessed_on: r.assessed_on,
                rater: r.rater.clone(),
                scores: scores
                    .iter()
                    .filter(|s| s.assessment_id == r.id)
                    .map(|s| (s.item_key.clone(), s.value as u8))
                    .collect(),
            })
            .collect();
        Ok(AssessmentsView {
            assessments,
            distances: distances(&rows, &scores),
        })
    }
}
