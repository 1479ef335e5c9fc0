//! Recording an assessment (kartläggning) for a participant.

use super::{Chrome, Id, PageResult, Viewer, after_post, render};
use crate::Lang;
use crate::forms::{
    ChoiceField, ErrorView, OptionView, PageForm, Posted, error_for, error_views, options,
};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use std::collections::BTreeMap;
use stegvis_app::assessments::{AssessmentInput, AssessmentPartInput, OpenToInput};
use stegvis_app::policy::{Action, RecordKind};
use stegvis_app::{App, FieldError};
use stegvis_domain::assessment::{Instrument, instruments};
use uuid::Uuid;

/// One question: a radio group over the item's scale.
pub struct QuestionView {
    pub id: String,
    pub name: String,
    pub label: String,
    pub value: String,
    pub options: Vec<OptionView>,
    pub error: Option<String>,
    /// Already rated (in a part form): the answer and who gave it, shown instead of choices.
    pub rated: Option<String>,
}

pub struct DomainView {
    pub label: String,
    pub items: Vec<QuestionView>,
}

#[derive(Template)]
#[template(path = "assessment_form.html")]
struct AssessmentPage {
    c: Chrome,
    errors: Vec<ErrorView>,
    participant_id: Uuid,
    participant_name: String,
    instrument_name: String,
    assessed_on: String,
    date_error: Option<String>,
    scores_error: Option<String>,
    rater: ChoiceField,
    domains: Vec<DomainView>,
}

fn label<'a>(lang: Lang, sv: &'a str, en: &'a str) -> &'a str {
    if lang == Lang::En { en } else { sv }
}

fn domains(
    instrument: &Instrument,
    posted: &BTreeMap<String, String>,
    rated: &BTreeMap<String, String>,
    errors: &[FieldError],
    lang: Lang,
) -> Vec<DomainView> {
    instrument
        .domains
        .iter()
        .map(|d| DomainView {
            label: label(lang, &d.label_sv, &d.label_en).to_owned(),
            items: d
                .items
                .iter()
                .map(|i| {
                    let name = format!("scores.{}", i.key);
                    let value = posted.get(&i.key).cloned().unwrap_or_default();
                    let steps: Vec<(String, String)> = (i.scale.min..=i.scale.max)
                        .map(|v| {
                            let anchor = i.scale.anchors.iter().find(|a| a.value == v);
                            let text = anchor.map_or_else(
                                || v.to_string(),
                                |a| format!("{v} – {}", label(lang, &a.label_sv, &a.label_en)),
                            );
                            (v.to_string(), text)
                        })
                        .collect();
                    QuestionView {
                        rated: rated.get(&i.key).cloned(),
                        id: name.replace('.', "-"),
                        error: error_for(errors, &name, lang),
                        name,
                        label: label(lang, &i.label_sv, &i.label_en).to_owned(),
                        options: options(
                            steps.iter().map(|(v, l)| (v.as_str(), l.clone())),
                            &value,
                        ),
                        value,
                    }
                })
                .collect(),
        })
        .collect()
}

async fn page(
    app: &App,
    v: &Viewer,
    pid: Uuid,
    input: &AssessmentInput,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let l = v.lang;
    let d = app.participant(&v.actor, pid).await?;
    let instrument = instruments::work_readiness();
    let posted: BTreeMap<String, String> = input
        .scores
        .iter()
        .map(|(k, v)| (k.clone(), v.to_string()))
        .collect();
    let raters = [
        (
            "self",
            l.t(
                "Deltagaren själv (självskattning)",
                "The participant (self-rating)",
            )
            .to_owned(),
        ),
        (
            "staff",
            l.t("Personal (bedömning)", "Staff (assessment)").to_owned(),
        ),
    ];
    let p = AssessmentPage {
        c: v.chrome("participants"),
        errors: error_views(errors, l),
        participant_id: pid,
        participant_name: format!("{} {}", d.participant.given_name, d.participant.family_name),
        instrument_name: label(l, &instrument.name_sv, &instrument.name_en).to_owned(),
        assessed_on: input.assessed_on.clone(),
        date_error: error_for(errors, "assessed_on", l),
        scores_error: error_for(errors, "scores", l),
        rater: ChoiceField {
            options: options(raters.iter().map(|(v, t)| (*v, t.clone())), &input.rater),
            error: error_for(errors, "rater", l),
        },
        domains: domains(&instrument, &posted, &BTreeMap::new(), errors, l),
    };
    Ok((status, render(&p)).into_response())
}

/// The `scores.<item>` fields of a posted form, and an error for each that cannot be read.
fn posted_scores(form: &Posted) -> (BTreeMap<String, i64>, Vec<FieldError>) {
    let mut errors = Vec::new();
    let mut scores = BTreeMap::new();
    for (k, v) in form.pairs() {
        let Some(item) = k.strip_prefix("scores.") else {
            continue;
        };
        if v.trim().is_empty() {
            continue;
        }
        match v.trim().parse::<i64>() {
            // A question posted twice is refused, never silently merged.
            Ok(_) if scores.contains_key(item) => errors.push(FieldError::new(
                &k,
                stegvis_app::Text::new(
                    "Frågan är besvarad två gånger.",
                    "The question is answered twice.",
                ),
            )),
            Ok(n) => {
                scores.insert(item.to_owned(), n);
            }
            Err(_) => errors.push(FieldError::new(
                &k,
                stegvis_app::Text::new("Välj ett värde på skalan.", "Choose a value on the scale."),
            )),
        }
    }
    (scores, errors)
}

pub async fn form(State(app): State<App>, v: Viewer, Id(pid): Id) -> PageResult {
    let input = AssessmentInput {
        assessed_on: app.today().to_string(),
        rater: "self".into(),
        ..Default::default()
    };
    page(&app, &v, pid, &input, &[], StatusCode::OK).await
}

/// The questions come as `scores.<item>`.
pub async fn submit(State(app): State<App>, v: Viewer, Id(pid): Id, form: Posted) -> PageResult {
    let (scores, errors) = posted_scores(&form);
    let input = AssessmentInput {
        scores,
        ..form.parse()?
    };
    if !errors.is_empty() {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return page(&app, &v, pid, &input, &errors, status).await;
    }
    let result = app.record_assessment(&v.actor, pid, &input).await;
    let again =
        async |errors: Vec<FieldError>, status| page(&app, &v, pid, &input, &errors, status).await;
    after_post(result, |_| format!("/participants/{pid}"), None, again).await
}

#[derive(Template)]
#[template(path = "assessment_part.html")]
struct PartPage {
    c: Chrome,
    errors: Vec<ErrorView>,
    assessment_id: Uuid,
    participant_id: Uuid,
    participant_name: String,
    assessed_on: String,
    scores_error: Option<String>,
    domains: Vec<DomainView>,
    /// The partner organisations it is opened to, and (for the holding organisation) the
    /// organisations it can be opened to.
    partners: Vec<String>,
    open_choices: Option<Vec<crate::forms::OptionView>>,
}

async fn part_page(
    app: &App,
    v: &Viewer,
    aid: Uuid,
    posted: &BTreeMap<String, i64>,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let actor = &v.actor;
    let l = v.lang;
    let (pid, a) = app.assessment(actor, aid).await?;
    let d = app.participant(actor, pid).await?;
    let instrument = instruments::work_readiness();
    let rated: BTreeMap<String, String> = a
        .scores
        .iter()
        .map(|(item, v)| {
            let by = a
                .contributors
                .iter()
                .find(|c| c.items.contains(item))
                .map(|c| format!(" ({} {})", l.t("bedömt av", "rated by"), c.organisation))
                .unwrap_or_default();
            (item.clone(), format!("{} {v}{by}", l.t("Svar:", "Answer:")))
        })
        .collect();
    let posted: BTreeMap<String, String> = posted
        .iter()
        .map(|(k, v)| (k.clone(), v.to_string()))
        .collect();
    let orgs = app.organisations(actor).await?;
    let partners = orgs
        .iter()
        .filter(|o| a.opened_to.contains(&o.id))
        .map(|o| o.name.clone())
        .collect();
    // Those who write the holding organisation's assessments open them to partners.
    let may_open = !app
        .permitted(
            actor,
            pid,
            d.participant.org_id,
            &[(RecordKind::Assessment, Action::Write)],
        )
        .await?
        .is_empty();
    let open_choices = may_open.then(|| {
        crate::forms::options(
            orgs.iter()
                .filter(|o| {
                    o.id != d.participant.org_id
                        && !a.opened_to.contains(&o.id)
                        && !matches!(o.kind.as_str(), "employer" | "social_enterprise")
                })
                .map(|o| (o.id.to_string(), o.name.clone()))
                .collect::<Vec<_>>()
                .iter()
                .map(|(v, n)| (v.as_str(), n.clone()))
                .collect::<Vec<_>>(),
            "",
        )
    });
    let p = PartPage {
        partners,
        open_choices,
        c: v.chrome("participants"),
        errors: error_views(errors, l),
        assessment_id: aid,
        participant_id: pid,
        participant_name: format!("{} {}", d.participant.given_name, d.participant.family_name),
        assessed_on: a.assessed_on.to_string(),
        scores_error: error_for(errors, "scores", l),
        domains: domains(&instrument, &posted, &rated, errors, l),
    };
    Ok((status, render(&p)).into_response())
}

pub async fn part_form(State(app): State<App>, v: Viewer, Id(aid): Id) -> PageResult {
    part_page(&app, &v, aid, &BTreeMap::new(), &[], StatusCode::OK).await
}

/// The questions come as `scores.<item>`.
pub async fn part_submit(
    State(app): State<App>,
    v: Viewer,
    Id(aid): Id,
    form: Posted,
) -> PageResult {
    let (scores, errors) = posted_scores(&form);
    if !errors.is_empty() {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return part_page(&app, &v, aid, &scores, &errors, status).await;
    }
    let input = AssessmentPartInput { scores };
    let result = app.add_assessment_part(&v.actor, aid, &input).await;
    let again = async |errors: Vec<FieldError>, status| {
        part_page(&app, &v, aid, &input.scores, &errors, status).await
    };
    after_post(
        result,
        |a| format!("/participants/{}", a.participant_id),
        Some("scores"),
        again,
    )
    .await
}

/// `POST /assessments/{id}/partners`: the holding organisation opens the assessment to a partner.
pub async fn open_to(
    State(app): State<App>,
    v: Viewer,
    Id(aid): Id,
    PageForm(input): PageForm<OpenToInput>,
) -> PageResult {
    let result = app.open_assessment_to(&v.actor, aid, &input).await;
    let again = async |errors: Vec<FieldError>, status| {
        part_page(&app, &v, aid, &BTreeMap::new(), &errors, status).await
    };
    after_post(
        result,
        |a| format!("/assessments/{}/part#partners", a.id),
        None,
        again,
    )
    .await
}
