//! The employer network: employers and social enterprises, their workplaces and openings.

use super::{Chrome, Id, PageResult, Viewer, after_post, render};
use crate::forms::{
    ChoiceField, ErrorView, PageForm, Posted, TextField, error_for, error_views, options,
    whole_number,
};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use stegvis_app::employers::{
    AgreementInput, ClauseInput, EmployerInput, EmployerView, OpeningInput,
};
use stegvis_app::{App, AppError, FieldError, Text};
use stegvis_domain::matching::{Adaptation, SwedishLevel};
use stegvis_domain::placement::PlacementKind;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "employers.html")]
struct ListPage {
    c: Chrome,
    employers: Vec<EmployerView>,
    errors: Vec<ErrorView>,
    kind: ChoiceField,
    fields: Vec<TextField>,
}

fn kind_label(code: &str, l: crate::Lang) -> String {
    match code {
        "social_enterprise" => l.t("Socialt företag", "Social enterprise").into(),
        _ => l.t("Arbetsgivare", "Employer").into(),
    }
}

async fn list_page(
    app: &App,
    v: &Viewer,
    input: &EmployerInput,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let l = v.lang;
    let mut employers = app.employers(&v.actor).await?;
    for e in &mut employers {
        e.kind = kind_label(&e.kind, l);
    }
    let w = &input.workplace;
    let field = |name: &str, label: &str, hint: &str, value: &str| {
        TextField::new(name, label, hint, "text", value.to_owned(), errors, l)
    };
    let page = ListPage {
        c: v.chrome("employers"),
        employers,
        errors: error_views(errors, l),
        kind: ChoiceField {
            options: options(
                [
                    ("employer", kind_label("employer", l)),
                    ("social_enterprise", kind_label("social_enterprise", l)),
                ],
                &input.kind,
            ),
            error: error_for(errors, "kind", l),
        },
        fields: vec![
            field(
                "name",
                l.t("Arbetsgivarens namn", "The employer's name"),
                "",
                &input.name,
            ),
            field(
                "workplace.name",
                l.t("Arbetsplats", "Workplace"),
                l.t(
                    "Till exempel butiken eller avdelningen.",
                    "For example the shop or the department.",
                ),
                &w.name,
            ),
            field(
                "workplace.address",
                l.t("Adress (valfritt)", "Address (optional)"),
                "",
                w.address.as_deref().unwrap_or(""),
            ),
            field(
                "workplace.municipality_code",
                l.t("Kommunkod (valfritt)", "Municipality code (optional)"),
                l.t(
                    "Fyra siffror, till exempel 1293 för Hässleholm.",
                    "Four digits, for example 1293 for Hässleholm.",
                ),
                w.municipality_code.as_deref().unwrap_or(""),
            ),
            field(
                "workplace.accessibility",
                l.t("Tillgänglighet (valfritt)", "Accessibility (optional)"),
                l.t(
                    "Till exempel ramp, hiss, lugnt rum.",
                    "For example ramp, lift, quiet room.",
                ),
                w.accessibility.as_deref().unwrap_or(""),
            ),
            field(
                "workplace.contact_name",
                l.t("Kontaktperson (valfritt)", "Contact person (optional)"),
                "",
                w.contact_name.as_deref().unwrap_or(""),
            ),
            field(
                "workplace.contact_phone",
                l.t("Telefon (valfritt)", "Phone (optional)"),
                "",
                w.contact_phone.as_deref().unwrap_or(""),
            ),
        ],
    };
    Ok((status, render(&page)).into_response())
}

pub async fn list(State(app): State<App>, v: Viewer) -> PageResult {
    list_page(&app, &v, &EmployerInput::default(), &[], StatusCode::OK).await
}

/// The first workplace comes as `workplace.<field>`.
pub async fn create(State(app): State<App>, v: Viewer, form: Posted) -> PageResult {
    let input = EmployerInput {
        workplace: form.nested("workplace")?,
        ..form.parse()?
    };
    let result = app.register_employer(&v.actor, &input).await;
    let again =
        async |errors: Vec<FieldError>, status| list_page(&app, &v, &input, &errors, status).await;
    after_post(result, |e| format!("/employers/{}", e.id), None, again).await
}

#[derive(Template)]
#[template(path = "employer.html")]
struct EmployerPage {
    c: Chrome,
    e: EmployerView,
    kind_label: String,
    /// (title, kind, occupation, hours, workplace name, id)
    openings: Vec<(String, String, String, String, String, uuid::Uuid)>,
    errors: Vec<ErrorView>,
    workplace: ChoiceField,
    kind: ChoiceField,
    fields: Vec<TextField>,
    swedish: ChoiceField,
    can_adapt: Vec<crate::forms::OptionView>,
    clause_fields: Vec<TextField>,
    /// Which of the page's folded forms the errors belong to (that one opens).
    agreement_errors: bool,
    clause_errors: bool,
}

async fn employer_page(
    app: &App,
    v: &Viewer,
    eid: Uuid,
    input: &(String, OpeningInput, ClauseInput),
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let l = v.lang;
    let e = app.employer(&v.actor, eid).await?;
    let (workplace_id, o, clause) = input;
    let openings = e
        .openings
        .iter()
        .map(|o| {
            (
                o.title.clone(),
                PlacementKind::from_code(&o.kind)
                    .map_or(o.kind.clone(), |k| k.label(l.code()).to_owned()),
                match (&o.ssyk_code, &o.occupation) {
                    (Some(c), Some(n)) => format!("{n} ({c})"),
                    _ => String::new(),
                },
                o.hours_per_week
                    .map(|h| format!("{h} h"))
                    .unwrap_or_default(),
                e.workplaces
                    .iter()
                    .find(|w| w.id == o.workplace_id)
                    .map(|w| w.name.clone())
                    .unwrap_or_default(),
                o.id,
            )
        })
        .collect();
    let field = |name: &str, label: &str, hint: &str, value: &str| {
        TextField::new(name, label, hint, "text", value.to_owned(), errors, l)
    };
    let hours = o.hours_per_week.map(|h| h.to_string()).unwrap_or_default();
    let page = EmployerPage {
        c: v.chrome("employers"),
        kind_label: kind_label(&e.kind, l),
        openings,
        errors: error_views(errors, l),
        workplace: ChoiceField {
            options: options(
                e.workplaces
                    .iter()
                    .map(|w| (w.id.to_string(), w.name.clone()))
                    .collect::<Vec<_>>()
                    .iter()
                    .map(|(v, n)| (v.as_str(), n.clone())),
                workplace_id,
            ),
            error: error_for(errors, "workplace_id", l),
        },
        kind: ChoiceField {
            options: options(
                PlacementKind::ALL
                    .iter()
                    .map(|k| (k.code(), k.label(l.code()).to_owned())),
                &o.kind,
            ),
            error: error_for(errors, "kind", l),
        },
        fields: vec![
            field(
                "title",
                l.t("Benämning", "Title"),
                l.t("Till exempel butiksbiträde.", "For example shop assistant."),
                &o.title,
            ),
            field(
                "ssyk_code",
                l.t(
                    "Yrkeskod SSYK 2012 (valfritt)",
                    "Occupation code SSYK 2012 (optional)",
                ),
                l.t(
                    "Fyra siffror, till exempel 5223 för butikssäljare.",
                    "Four digits, for example 5223 for shop sales.",
                ),
                o.ssyk_code.as_deref().unwrap_or(""),
            ),
            field(
                "hours_per_week",
                l.t("Timmar i veckan (valfritt)", "Hours a week (optional)"),
                "",
                &hours,
            ),
            field(
                "requirements",
                l.t("Krav (valfritt)", "Requirements (optional)"),
                "",
                o.requirements.as_deref().unwrap_or(""),
            ),
            field(
                "adaptations",
                l.t(
                    "Anpassningar som går att göra (valfritt)",
                    "Adaptations possible (optional)",
                ),
                "",
                o.adaptations.as_deref().unwrap_or(""),
            ),
        ],
        swedish: ChoiceField {
            options: options(
                SwedishLevel::ALL
                    .iter()
                    .map(|s| (s.code(), s.label(l.code()).to_owned())),
                o.min_swedish.as_deref().unwrap_or(""),
            ),
            error: error_for(errors, "min_swedish", l),
        },
        can_adapt: Adaptation::ALL
            .iter()
            .map(|a| crate::forms::OptionView {
                value: a.code().to_owned(),
                label: a.label(l.code()).to_owned(),
                checked: o.can_adapt.iter().any(|c| c == a.code()),
            })
            .collect(),
        agreement_errors: errors.iter().any(|e| e.field.starts_with("agreement.")),
        clause_errors: errors.iter().any(|e| {
            [
                "buyer",
                "contract",
                "promised_placements",
                "promised_jobs",
                "valid_from",
                "valid_to",
            ]
            .contains(&e.field.as_str())
        }),
        clause_fields: vec![
            field(
                "buyer",
                l.t("Upphandlande organisation", "Buyer"),
                l.t(
                    "Till exempel Hässleholms kommun.",
                    "For example Hässleholms kommun.",
                ),
                &clause.buyer,
            ),
            field("contract", l.t("Avtal", "Contract"), "", &clause.contract),
            field(
                "promised_placements",
                l.t(
                    "Utlovade praktik- och träningsplatser",
                    "Placements promised",
                ),
                "",
                &clause.promised_placements.to_string(),
            ),
            field(
                "promised_jobs",
                l.t("Utlovade anställningar", "Jobs promised"),
                "",
                &clause.promised_jobs.to_string(),
            ),
            TextField::new(
                "valid_from",
                l.t("Gäller från", "Valid from"),
                l.t("Till exempel 2026-01-01.", "For example 2026-01-01."),
                "date",
                clause.valid_from.clone(),
                errors,
                l,
            ),
            TextField::new(
                "valid_to",
                l.t("Gäller till (valfritt)", "Valid to (optional)"),
                "",
                "date",
                clause.valid_to.clone().unwrap_or_default(),
                errors,
                l,
            ),
        ],
        e,
    };
    Ok((status, render(&page)).into_response())
}

/// The clause form as typed: the counts are text fields.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ClauseForm {
    buyer: String,
    contract: String,
    promised_placements: String,
    promised_jobs: String,
    valid_from: String,
    valid_to: Option<String>,
}

impl From<ClauseForm> for ClauseInput {
    fn from(f: ClauseForm) -> Self {
        // A count that is not a number becomes an impossible one, so the check names the field.
        let count = |text: &str| whole_number(text).map_or(-1, Option::unwrap_or_default);
        ClauseInput {
            promised_placements: count(&f.promised_placements),
            promised_jobs: count(&f.promised_jobs),
            buyer: f.buyer,
            contract: f.contract,
            valid_from: f.valid_from,
            valid_to: f.valid_to,
        }
    }
}

pub async fn add_clause(
    State(app): State<App>,
    v: Viewer,
    Id(eid): Id,
    PageForm(clause): PageForm<ClauseForm>,
) -> PageResult {
    let input = (String::new(), OpeningInput::default(), clause.into());
    let result = app.add_clause(&v.actor, eid, &input.2).await;
    let again = async |errors: Vec<FieldError>, status| {
        employer_page(&app, &v, eid, &input, &errors, status).await
    };
    after_post(result, |_| format!("/employers/{eid}#clauses"), None, again).await
}

pub async fn show(State(app): State<App>, v: Viewer, Id(eid): Id) -> PageResult {
    let blank = (
        String::new(),
        OpeningInput::default(),
        ClauseInput::default(),
    );
    employer_page(&app, &v, eid, &blank, &[], StatusCode::OK).await
}

/// The opening form as typed: the workplace it is at, and the hours as a text field.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct OpeningForm {
    workplace_id: String,
    title: String,
    kind: String,
    ssyk_code: Option<String>,
    hours_per_week: String,
    requirements: Option<String>,
    adaptations: Option<String>,
    min_swedish: Option<String>,
    can_adapt: Vec<String>,
}

pub async fn add_opening(
    State(app): State<App>,
    v: Viewer,
    Id(eid): Id,
    PageForm(form): PageForm<OpeningForm>,
) -> PageResult {
    let mut errors = Vec::new();
    let hours = whole_number(&form.hours_per_week).unwrap_or_else(|()| {
        errors.push(FieldError::new(
            "hours_per_week",
            Text::new(
                "Skriv ett helt antal timmar.",
                "Write a whole number of hours.",
            ),
        ));
        None
    });
    let input = (
        form.workplace_id,
        OpeningInput {
            title: form.title,
            kind: form.kind,
            ssyk_code: form.ssyk_code,
            hours_per_week: hours,
            requirements: form.requirements,
            adaptations: form.adaptations,
            min_swedish: form.min_swedish,
            can_adapt: form.can_adapt,
        },
        ClauseInput::default(),
    );
    // The workplace must be one of this employer's.
    let workplace = app
        .employer(&v.actor, eid)
        .await?
        .workplaces
        .iter()
        .find(|w| w.id.to_string() == input.0)
        .map(|w| w.id);
    let Some(workplace) = workplace.filter(|_| errors.is_empty()) else {
        if workplace.is_none() {
            errors.push(FieldError::new(
                "workplace_id",
                Text::new("Välj arbetsplats.", "Choose the workplace."),
            ));
        }
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return employer_page(&app, &v, eid, &input, &errors, status).await;
    };
    let result = app.add_opening(&v.actor, workplace, &input.1).await;
    let again = async |errors: Vec<FieldError>, status| {
        employer_page(&app, &v, eid, &input, &errors, status).await
    };
    after_post(result, |_| format!("/employers/{eid}"), None, again).await
}

pub async fn add_agreement(
    State(app): State<App>,
    v: Viewer,
    Id(eid): Id,
    PageForm(input): PageForm<AgreementInput>,
) -> PageResult {
    // The errors point at this form's own fields, not the other forms' on the page.
    let result = app
        .add_agreement(&v.actor, eid, &input)
        .await
        .map_err(|e| match e {
            AppError::Invalid(errors) => AppError::Invalid(
                errors
                    .into_iter()
                    .map(|f| FieldError {
                        field: format!("agreement.{}", f.field),
                        message: f.message,
                    })
                    .collect(),
            ),
            other => other,
        });
    let blank = (
        String::new(),
        OpeningInput::default(),
        ClauseInput::default(),
    );
    let again = async |errors: Vec<FieldError>, status| {
        employer_page(&app, &v, eid, &blank, &errors, status).await
    };
    after_post(
        result,
        |_| format!("/employers/{eid}#agreements"),
        None,
        again,
    )
    .await
}
