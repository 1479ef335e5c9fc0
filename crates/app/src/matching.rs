//! Matching participants and openings (norm-critical): the job profile a coach keeps with the
//! participant, the openings ranked for a participant, the participants ranked for an opening,
//! and a fairness report that compares the gender mix of recommendations with the candidates'.
//! The score sees only [`Candidate`]: occupations, hours and place.

use crate::error::{FieldError, Text};
use crate::gate::reject;
use crate::input::check_hours;
use crate::policy::{Action, RecordKind};
use crate::{Actor, App, AppError, Result};
use serde::{Deserialize, Serialize};
use stegvis_domain::Gender;
use stegvis_domain::matching::{
    Adaptation, Candidate, Opening, Reason, Score, SwedishLevel, rank, score,
};
use stegvis_store::job_profile::JobProfileRow;
use utoipa::ToSchema;
use uuid::Uuid;

/// What matching may know of a participant.
#[derive(Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct JobProfileInput {
    /// SSYK 2012 unit groups (four digits) the participant wants to work in.
    #[schema(schema_with = crate::openapi::codes_or_blank::<crate::openapi::SsykCode>)]
    pub wanted: Vec<String>,
    /// SSYK 2012 unit groups the participant has worked in.
    #[schema(schema_with = crate::openapi::codes_or_blank::<crate::openapi::SsykCode>)]
    pub experience: Vec<String>,
    #[schema(minimum = 1, maximum = 60)]
    pub hours_per_week: Option<i64>,
    #[schema(schema_with = crate::openapi::optional_municipality)]
    pub municipality_code: Option<String>,
    pub can_travel: bool,
    /// `basic`, `good` or `fluent`.
    #[schema(schema_with = crate::openapi::optional_code::<stegvis_domain::matching::SwedishLevel>)]
    pub swedish: Option<String>,
    /// Adaptation codes the participant needs (see openings' `can_adapt`).
    #[schema(schema_with = crate::openapi::codes_or_blank::<stegvis_domain::matching::Adaptation>)]
    pub needs: Vec<String>,
}

#[derive(Clone, Serialize, ToSchema)]
pub struct JobProfileView {
    #[schema(value_type = Vec<crate::openapi::SsykCode>)]
    pub wanted: Vec<String>,
    #[schema(value_type = Vec<crate::openapi::SsykCode>)]
    pub experience: Vec<String>,
    pub hours_per_week: Option<i32>,
    #[schema(value_type = Option<crate::openapi::MunicipalityCode>)]
    pub municipality_code: Option<String>,
    pub can_travel: bool,
    #[schema(value_type = Option<stegvis_domain::matching::SwedishLevel>)]
    pub swedish: Option<String>,
    #[schema(value_type = Vec<stegvis_domain::matching::Adaptation>)]
    pub needs: Vec<String>,
}

impl std::fmt::Debug for JobProfileInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JobProfileInput(<redacted>)")
    }
}

impl std::fmt::Debug for JobProfileView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JobProfileView(<redacted>)")
    }
}

/// One reason in a match, in both languages.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatchReason {
    pub points: u32,
    pub sv: String,
    pub en: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OpeningMatch {
    pub opening_id: Uuid,
    pub title: String,
    #[schema(value_type = stegvis_domain::placement::PlacementKind)]
    pub kind: String,
    pub employer: String,
    pub workplace: String,
    pub points: u32,
    pub reasons: Vec<MatchReason>,
}

#[derive(Clone, Serialize, ToSchema)]
pub struct CandidateMatch {
    pub participant_id: Uuid,
    pub participant_name: String,
    pub points: u32,
    pub reasons: Vec<MatchReason>,
}

impl std::fmt::Debug for CandidateMatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CandidateMatch")
            .field("participant_id", &self.participant_id)
            .finish_non_exhaustive()
    }
}

/// Counts by gender.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct GenderMix {
    pub women: u32,
    pub men: u32,
    pub non_binary: u32,
}

impl GenderMix {
    fn add(&mut self, gender: Gender) {
        match gender {
            Gender::Woman => self.women += 1,
            Gender::Man => self.men += 1,
            Gender::NonBinary => self.non_binary += 1,
        }
    }
}

/// The participants ranked for an opening, and the fairness report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OpeningCandidates {
    pub matches: Vec<CandidateMatch>,
    /// Everyone with a job profile who could be matched.
    pub candidates: GenderMix,
    /// Those recommended (the matches above).
    pub recommended: GenderMix,
}

fn reasons_of(s: &Score) -> Vec<MatchReason> {
    s.reasons
        .iter()
        .map(|r: &Reason| MatchReason {
            points: r.points(),
            sv: r.label("sv").to_owned(),
            en: r.label("en").to_owned(),
        })
        .collect()
}

pub(crate) fn split(codes: &str) -> Vec<String> {
    codes
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The candidate of a job profile: the only way a participant enters the score.
fn candidate(p: &JobProfileRow) -> Candidate {
    Candidate {
        wanted: split(&p.wanted),
        experience: split(&p.experience),
        hours_per_week: p.hours_per_week.map(|h| h.max(0) as u32),
        municipality: p.municipality_code.clone(),
        can_travel: p.can_travel,
        swedish: p
            .swedish
            .as_deref()
            .and_then(|s| SwedishLevel::from_code(s).ok()),
        needs: adaptations(&p.needs),
    }
}

fn adaptations(codes: &str) -> Vec<Adaptation> {
    split(codes)
        .iter()
        .filter_map(|c| Adaptation::from_code(c).ok())
        .collect()
}

/// The Swedish level code, or an error at `field`.
pub(crate) fn swedish_code(
    field: &str,
    v: &Option<String>,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let v = v.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
    match SwedishLevel::from_code(v) {
        Ok(l) => Some(l.code().to_owned()),
        Err(_) => {
            errors.push(FieldError::new(
                field,
                Text::new("Välj en nivå i svenska.", "Choose a level of Swedish."),
            ));
            None
        }
    }
}

/// Adaptation codes, comma-joined, or an error at `field` for an unknown one.
pub(crate) fn adaptation_codes(field: &str, v: &[String], errors: &mut Vec<FieldError>) -> String {
    let mut out: Vec<&str> = Vec::new();
    for c in v.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        match Adaptation::from_code(c) {
            Ok(a) if !out.contains(&a.code()) => out.push(a.code()),
            Ok(_) => {}
            Err(_) => errors.push(FieldError::new(
                field,
                Text::new("Okänd anpassning.", "Unknown adaptation."),
            )),
        }
    }
    out.join(",")
}

fn opening_of(
    ssyk: &Option<String>,
    hours: Option<i32>,
    municipality: &Option<String>,
    min_swedish: &Option<String>,
    can_adapt: &str,
) -> Opening {
    Opening {
        ssyk: ssyk.clone(),
        hours_per_week: hours.map(|h| h.max(0) as u32),
        municipality: municipality.clone(),
        swedish: min_swedish
            .as_deref()
            .and_then(|s| SwedishLevel::from_code(s).ok()),
        can_adapt: adaptations(can_adapt),
    }
}

fn view(p: &JobProfileRow) -> JobProfileView {
    JobProfileView {
        wanted: split(&p.wanted),
        experience: split(&p.experience),
        hours_per_week: p.hours_per_week,
        municipality_code: p.municipality_code.clone(),
        can_travel: p.can_travel,
        swedish: p.swedish.clone(),
        needs: split(&p.needs),
    }
}

fn codes(field: &str, list: &[String], errors: &mut Vec<FieldError>) -> String {
    let mut out: Vec<String> = Vec::new();
    for c in list.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        if crate::reference::occupation(c).is_none() {
            errors.push(FieldError::new(
                field,
                Text::new(
                    format!("Okänd yrkeskod {c}: ange yrkesgrupper i SSYK 2012 med fyra siffror."),
                    format!(
                        "Unknown occupation code {c}: give SSYK 2012 unit groups of four digits."
                    ),
                ),
            ));
        } else if !out.iter().any(|o| o == c) {
            out.push(c.to_owned());
        }
    }
    if out.len() > 10 {
        errors.push(FieldError::new(
            field,
            Text::new("Ange högst tio yrken.", "Give at most ten occupations."),
        ));
    }
    out.join(",")
}

impl App {
    /// Keeps the participant's job profile (what matching may know).
    pub async fn set_job_profile(
        &self,
        actor: &Actor,
        participant_id: Uuid,
        input: &JobProfileInput,
    ) -> Result<JobProfileView> {
        let (mut tx, subject) = self
            .open_record(
                actor,
                participant_id,
                RecordKind::Placement,
                Action::Write,
                Some("job profile".into()),
            )
            .await?;
        let mut errors = Vec::new();
        let wanted = codes("wanted", &input.wanted, &mut errors);
        let experience = codes("experience", &input.experience, &mut errors);
        let hours = check_hours("hours_per_week", input.hours_per_week, &mut errors);
        let swedish = swedish_code("swedish", &input.swedish, &mut errors);
        let needs = adaptation_codes("needs", &input.needs, &mut errors);
        let municipality_code = input
            .municipality_code
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned);
        if let Some(code) = &municipality_code
            && !crate::reference::municipalities()
                .iter()
                .any(|m| &m.code == code)
        {
            errors.push(FieldError::new(
                "municipality_code",
                Text::new("Okänd kommunkod.", "Unknown municipality code."),
            ));
        }
        if !errors.is_empty() {
            return reject(tx, AppError::Invalid(errors)).await;
        }
        let row = JobProfileRow {
            org_id: subject.org_id,
            participant_id,
            wanted,
            experience,
            hours_per_week: hours,
            municipality_code,
            can_travel: input.can_travel,
            swedish,
            needs,
            updated_at: self.now(),
            updated_by: Some(actor.user_id),
        };
        tx.put_job_profile(&row).await?;
        self.commit(tx).await?;
        Ok(view(&row))
    }

    pub async fn job_profile(
        &self,
        actor: &Actor,
        participant_id: Uuid,
    ) -> Result<Option<JobProfileView>> {
        let (mut tx, _) = self
            .open_record(
                actor,
                participant_id,
                RecordKind::Placement,
                Action::Read,
                None,
            )
            .await?;
        let row = tx.job_profile(participant_id).await?;
        self.commit(tx).await?;
        Ok(row.as_ref().map(view))
    }

    /// The open openings that fit a participant best, each with the reasons for its rank.
    pub async fn match_openings(
        &self,
        actor: &Actor,
        participant_id: Uuid,
        n: usize,
    ) -> Result<Vec<OpeningMatch>> {
        Ok(self
            .matches(actor, participant_id, n)
            .await?
            .unwrap_or_default())
    }

    /// The best openings, or none when the participant has no job profile: then no opening is
    /// read at all (the participant page asks on every view).
    pub async fn matches(
        &self,
        actor: &Actor,
        participant_id: Uuid,
        n: usize,
    ) -> Result<Option<Vec<OpeningMatch>>> {
        let (mut tx, _) = self
            .open_record(
                actor,
                participant_id,
                RecordKind::Placement,
                Action::Read,
                Some("match openings".into()),
            )
            .await?;
        let profile = tx.job_profile(participant_id).await?;
        self.commit(tx).await?;
        let Some(profile) = profile else {
            return Ok(None);
        };
        // Openings are not personal data: read after the record's transaction has ended, so
        // that no second connection is taken while it is open.
        let rows = {
            let mut tx = self.store.begin_read().await?;
            let mut rows = tx.open_openings(200_000).await?;
            tx.commit().await?;
            // Ties keep this order: by id, not by the employer's name.
            rows.sort_by_key(|o| o.id);
            rows
        };
        let openings: Vec<Opening> = rows
            .iter()
            .map(|o| {
                opening_of(
                    &o.ssyk_code,
                    o.hours_per_week,
                    &o.municipality_code,
                    &o.min_swedish,
                    &o.can_adapt,
                )
            })
            .collect();
        Ok(Some(
            rank(&candidate(&profile), &openings, n.clamp(1, 100))
                .into_iter()
                .map(|(i, s)| OpeningMatch {
                    opening_id: rows[i].id,
                    title: rows[i].title.clone(),
                    kind: rows[i].kind.clone(),
                    employer: rows[i].employer_name.clone(),
                    workplace: rows[i].workplace_name.clone(),
                    points: s.points,
                    reasons: reasons_of(&s),
                })
                .collect(),
        ))
    }

    /// The organisation's enrolled participants who fit an opening best, with the reasons, and
    /// the gender mix of those recommended against that of all candidates.
    pub async fn match_participants(
        &self,
        actor: &Actor,
        opening_id: Uuid,
        n: usize,
    ) -> Result<OpeningCandidates> {
        let opening = {
            let mut tx = self.store.begin_read().await?;
            let o = tx.opening(opening_id).await?.ok_or(AppError::NotFound)?;
            let w = tx
                .workplace(o.workplace_id)
                .await?
                .ok_or(AppError::NotFound)?;
            tx.commit().await?;
            opening_of(
                &o.ssyk_code,
                o.hours_per_week,
                &w.municipality_code,
                &o.min_swedish,
                &o.can_adapt,
            )
        };
        let (mut tx, org) = self
            .open_organisation_records(
                actor,
                RecordKind::Placement,
                format!("match opening {opening_id}"),
            )
            .await?;
        let rows = tx.candidates_of(org).await?;
        self.commit(tx).await?;
        let mut candidates = GenderMix::default();
        let mut scored: Vec<(usize, Score)> = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            candidates.add(r.gender);
            let s = score(&candidate(&r.profile), &opening);
            if s.points > 0 {
                scored.push((i, s));
            }
        }
        // Ties go by participant id (a random-looking, stable order), never by name: the
        // alphabet correlates with origin and sorts differently on each database.
        scored.sort_by_key(|(i, s)| (std::cmp::Reverse(s.points), rows[*i].profile.participant_id));
        scored.truncate(n.clamp(1, 100));
        let mut recommended = GenderMix::default();
        let matches = scored
            .into_iter()
            .map(|(i, s)| {
                let r = &rows[i];
                recommended.add(r.gender);
                CandidateMatch {
                    participant_id: r.profile.participant_id,
                    participant_name: format!("{} {}", r.given_name, r.family_name),
                    points: s.points,
                    reasons: reasons_of(&s),
                }
            })
            .collect();
        Ok(OpeningCandidates {
            matches,
            candidates,
            recommended,
        })
    }
}
