//! Matching pages: the participant's job profile, and the participants who fit an opening with
//! the fairness report.

use super::{Chrome, actor_and_id, after_post, chrome, fail, render};
use crate::forms::{ErrorView, FormData, TextField, error_views};
use crate::session::Ctx;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
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
    ctx: &Ctx,
    app: &App,
    uri: &Uri,
    id: &str,
    posted: Option<&JobProfileInput>,
    errors: &[FieldError],
    status: StatusCode,
) -> Response {
    let (actor, pid) = match actor_and_id(ctx, uri, id) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let l = ctx.lang;
    let (d, current) = match (
        app.participant(actor, pid).await,
        app.job_profile(actor, pid).await,
    ) {
        (Ok(d), Ok(p)) => (d, p),
        (Err(e), _) | (_, Err(e)) => return fail(ctx, uri, e),
    };
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
        c: chrome(ctx, "participants", uri),
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
    (status, render(&page)).into_response()
}

pub async fn profile_form(
    Extension(ctx): Extension<Ctx>,
    State(app): State<App>,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    profile_page(&ctx, &app, &uri, &id, None, &[], StatusCode::OK).await
}

pub async fn profile_submit(
    Extension(ctx): Extension<Ctx>,
    State(app): State<App>,
    uri: Uri,
    Path(id): Path<String>,
    Form(form): Form<FormData>,
) -> Response {
    let (actor, pid) = match actor_and_id(&ctx, &uri, &id) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let codes = |name: &str| -> Vec<String> {
        form.get(name)
            .split([',', ' ', ';'])
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let hours = form.get("hours_per_week");
    let input = JobProfileInput {
        wanted: codes("wanted"),
        experience: codes("experience"),
        // Not a number: an impossible value, so the check names the field.
        hours_per_week: if hours.trim().is_empty() {
            None
        } else {
            Some(hours.trim().parse().unwrap_or(0))
        },
        municipality_code: form.opt("municipality_code"),
        can_travel: form.get("can_travel") == "yes",
        swedish: form.opt("swedish"),
        needs: form.all("needs"),
    };
    let result = app.set_job_profile(actor, pid, &input).await;
    let again = async |errors: Vec<FieldError>, status| {
        profile_page(&ctx, &app, &uri, &id, Some(&input), &errors, status).await
    };
    after_post(
        &ctx,
        &uri,
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

pub async fn candidates(
    Extension(ctx): Extension<Ctx>,
    State(app): State<App>,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    let (actor, oid) = match actor_and_id(&ctx, &uri, &id) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    match app.match_participants(actor, oid, 20).await {
        Ok(r) => render(&CandidatesPage {
            c: chrome(&ctx, "employers", &uri),
            r,
        }),
        Err(e) => fail(&ctx, &uri, e),
    }
}
