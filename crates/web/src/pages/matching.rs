//! Matching pages: the participant's job profile, and the participants who fit an opening with
//! the fairness report.

use super::{Chrome, Id, PageResult, Viewer, after_post, render};
use crate::forms::{ErrorView, PageForm, TextField, error_views, whole_number};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use stegvis_app::matching::{JobProfileInput, OpeningCandidates};
use stegvis_app::{App, FieldError};
use stegvis_domain::matching::{Adaptation, SwedishLevel};
use uuid::Uuid;

#[derive(Template)]
#[template(path = "job_profile.html")]
struct ProfilePage {
    c: Chrome,
    errors: Vec<ErrorView>,
    participant_id: Uuid,
    participant_name: String,
    fields: Vec<TextField>,
    can_travel: bool,
    swedish: Vec<crate::forms::OptionView>,
    needs: Vec<crate::forms::OptionView>,
}

fn list(v: &[String]) -> String {
    v.join(", ")
}

async fn profile_page(
    app: &App,
    v: &Viewer,
    pid: Uuid,
    posted: Option<&JobProfileInput>,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let l = v.lang;
    let (d, current) = (
        app.participant(&v.actor, pid).await,
        app.job_profile(&v.actor, pid).await,
    );
    let (d, current) = (d?, current?);
    let input = match (posted, current) {
        (Some(p), _) => p.clone(),
        (None, Some(c)) => JobProfileInput {
            wanted: c.wanted,
            experience: c.experience,
            hours_per_week: c.hours_per_week.map(i64::from),
            municipality_code: c.municipality_code,
            can_travel: c.can_travel,
            swedish: c.swedish,
            needs: c.needs,
        },
        (None, None) => JobProfileInput::default(),
    };
    let field = |name: &str, label: &str, hint: &str, value: String| {
        TextField::new(name, label, hint, "text", value, errors, l)
    };
    let page = ProfilePage {
        c: v.chrome("participants"),
        errors: error_views(errors, l),
        participant_id: pid,
        participant_name: format!("{} {}", d.participant.given_name, d.participant.family_name),
        fields: vec![
            field(
                "wanted",
                l.t("Yrken deltagaren vill arbeta med", "Occupations the participant wants"),
                l.t(
                    "Yrkeskoder i SSYK 2012 med fyra siffror, med komma emellan, till exempel 5222, 9412.",
                    "SSYK 2012 codes of four digits, separated by commas, for example 5222, 9412.",
                ),
                list(&input.wanted),
            ),
            field(
                "experience",
                l.t("Yrken deltagaren har arbetat med", "Occupations the participant has worked in"),
                l.t("Som ovan.", "As above."),
                list(&input.experience),
            ),
            field(
                "hours_per_week",
                l.t("Timmar i veckan deltagaren kan arbeta", "Hours a week the participant can work"),
                "",
                input.hours_per_week.map(|h| h.to_string()).unwrap_or_default(),
            ),
            field(
                "municipality_code",
                l.t("Hemkommun (kommunkod)", "Home municipality (code)"),
                l.t("Fyra siffror, till exempel 1293 för Hässleholm.", "Four digits, for example 1293 for Hässleholm."),
                input.municipality_code.clone().unwrap_or_default(),
            ),
        ],
        can_travel: input.can_travel,
        swedish: crate::forms::options(
            SwedishLevel::ALL
                .iter()
                .map(|s| (s.code(), s.label(l.code()).to_owned())),
            input.swedish.as_deref().unwrap_or(""),
        ),
        needs: Adaptation::ALL
            .iter()
            .map(|a| crate::forms::OptionView {
                value: a.code().to_owned(),
                label: a.label(l.code()).to_owned(),
                checked: input.needs.iter().any(|n| n == a.code()),
            })
            .collect(),
    };
    Ok((status, render(&page)).into_response())
}

pub async fn profile_form(State(app): State<App>, v: Viewer, Id(pid): Id) -> PageResult {
    profile_page(&app, &v, pid, None, &[], StatusCode::OK).await
}

/// The job profile form as typed: occupation codes as one text field each, the hours as text,
/// travel as yes or no.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ProfileForm {
    wanted: String,
    experience: String,
    hours_per_week: String,
    municipality_code: Option<String>,
    can_travel: String,
    swedish: Option<String>,
    needs: Vec<String>,
}

impl From<ProfileForm> for JobProfileInput {
    fn from(f: ProfileForm) -> Self {
        let codes = |text: &str| -> Vec<String> {
            text.split([',', ' ', ';'])
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect()
        };
        JobProfileInput {
            wanted: codes(&f.wanted),
            experience: codes(&f.experience),
            // Not a number: an impossible value, so the check names the field.
            hours_per_week: whole_number(&f.hours_per_week).unwrap_or(Some(0)),
            municipality_code: f.municipality_code,
            can_travel: f.can_travel == "yes",
            swedish: f.swedish,
            needs: f.needs,
        }
    }
}

pub async fn profile_submit(
    State(app): State<App>,
    v: Viewer,
    Id(pid): Id,
    PageForm(form): PageForm<ProfileForm>,
) -> PageResult {
    let input = JobProfileInput::from(form);
    let result = app.set_job_profile(&v.actor, pid, &input).await;
    let again = async |errors: Vec<FieldError>, status| {
        profile_page(&app, &v, pid, Some(&input), &errors, status).await
    };
    after_post(
        result,
        |_| format!("/participants/{pid}#matching"),
        None,
        again,
    )
    .await
}

#[derive(Template)]
#[template(path = "candidates.html")]
struct CandidatesPage {
    c: Chrome,
    r: OpeningCandidates,
}

pub async fn candidates(State(app): State<App>, v: Viewer, Id(oid): Id) -> PageResult {
    let r = app.match_participants(&v.actor, oid, 20).await?;
    Ok(render(&CandidatesPage {
        c: v.chrome("employers"),
        r,
    }))
}
