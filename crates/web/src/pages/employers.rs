//! The employer network: employers and social enterprises, their workplaces and openings.

use super::{Chrome, actor_and_id, after_post, chrome, fail, render, require};
use crate::forms::{ChoiceField, ErrorView, FormData, TextField, error_for, error_views, options};
use crate::session::Ctx;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use stegvis_app::employers::{
    ClauseInput, EmployerInput, EmployerView, OpeningInput, WorkplaceInput,
};
use stegvis_app::{App, FieldError};
use stegvis_domain::matching::{Adaptation, SwedishLevel};
use stegvis_domain::placement::PlacementKind;

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
    ctx: &Ctx,
    app: &App,
    uri: &Uri,
    input: &EmployerInput,
    errors: &[FieldError],
    status: StatusCode,
) -> Response {
    let actor = match require(ctx, uri) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let l = ctx.lang;
    let mut employers = match app.employers(actor).await {
        Ok(e) => e,
        Err(e) => return fail(ctx, uri, e),
    };
    for e in &mut employers {
        e.kind = kind_label(&e.kind, l);
    }
    let w = &input.workplace;
    let field = |name: &str, label: &str, hint: &str, value: &str| {
        TextField::new(name, label, hint, "text", value.to_owned(), errors, l)
    };
    let page = ListPage {
        c: chrome(ctx, "employers", uri),
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
    (status, render(&page)).into_response()
}

pub async fn list(Extension(ctx): Extension<Ctx>, State(app): State<App>, uri: Uri) -> Response {
    list_page(
        &ctx,
        &app,
        &uri,
        &EmployerInput::default(),
        &[],
        StatusCode::OK,
    )
    .await
}

pub async fn create(
    Extension(ctx): Extension<Ctx>,
    State(app): State<App>,
    uri: Uri,
    Form(form): Form<FormData>,
) -> Response {
    let actor = match require(&ctx, &uri) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let input = EmployerInput {
        name: form.get("name"),
        kind: form.get("kind"),
        workplace: WorkplaceInput {
            name: form.get("workplace.name"),
            address: form.opt("workplace.address"),
            municipality_code: form.opt("workplace.municipality_code"),
            accessibility: form.opt("workplace.accessibility"),
            contact_name: form.opt("workplace.contact_name"),
            contact_phone: form.opt("workplace.contact_phone"),
            contact_email: None,
        },
    };
    let result = app.register_employer(actor, &input).await;
    let again = async |errors: Vec<FieldError>, status| {
        list_page(&ctx, &app, &uri, &input, &errors, status).await
    };
    after_post(
        &ctx,
        &uri,
        result,
        |e| format!("/employers/{}", e.id),
        None,
        again,
    )
    .await
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
    ctx: &Ctx,
    app: &App,
    uri: &Uri,
    id: &str,
    input: &(String, OpeningInput, ClauseInput),
    errors: &[FieldError],
    status: StatusCode,
) -> Response {
    let (actor, eid) = match actor_and_id(ctx, uri, id) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let l = ctx.lang;
    let e = match app.employer(actor, eid).await {
        Ok(e) => e,
        Err(err) => return fail(ctx, uri, err),
    };
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
        c: chrome(ctx, "employers", uri),
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
    (status, render(&page)).into_response()
}

pub async fn add_clause(
    Extension(ctx): Extension<Ctx>,
    State(app): State<App>,
    uri: Uri,
    Path(id): Path<String>,
    Form(form): Form<FormData>,
) -> Response {
    let (actor, eid) = match actor_and_id(&ctx, &uri, &id) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    // A count that is not a number becomes an impossible one, so the check names the field.
    let number = |name: &str| -> i64 {
        let v = form.get(name);
        if v.trim().is_empty() {
            0
        } else {
            v.trim().parse().unwrap_or(-1)
        }
    };
    let clause = ClauseInput {
        buyer: form.get("buyer"),
        contract: form.get("contract"),
        promised_placements: number("promised_placements"),
        promised_jobs: number("promised_jobs"),
        valid_from: form.get("valid_from"),
        valid_to: form.opt("valid_to"),
    };
    let input = (String::new(), OpeningInput::default(), clause);
    let result = app.add_clause(actor, eid, &input.2).await;
    let again = async |errors: Vec<FieldError>, status| {
        employer_page(&ctx, &app, &uri, &id, &input, &errors, status).await
    };
    after_post(
        &ctx,
        &uri,
        result,
        |_| format!("/employers/{eid}#clauses"),
        None,
        again,
    )
    .await
}

pub async fn show(
    Extension(ctx): Extension<Ctx>,
    State(app): State<App>,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    let blank = (
        String::new(),
        OpeningInput::default(),
        ClauseInput::default(),
    );
    employer_page(&ctx, &app, &uri, &id, &blank, &[], StatusCode::OK).await
}

pub async fn add_opening(
    Extension(ctx): Extension<Ctx>,
    State(app): State<App>,
    uri: Uri,
    Path(id): Path<String>,
    Form(form): Form<FormData>,
) -> Response {
    let (actor, eid) = match actor_and_id(&ctx, &uri, &id) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let mut errors = Vec::new();
    let hours = match form.opt("hours_per_week") {
        None => None,
        Some(h) => match h.trim().parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push(FieldError::new(
                    "hours_per_week",
                    stegvis_app::Text::new(
                        "Skriv ett helt antal timmar.",
                        "Write a whole number of hours.",
                    ),
                ));
                None
            }
        },
    };
    let input = (
        form.get("workplace_id"),
        OpeningInput {
            title: form.get("title"),
            kind: form.get("kind"),
            ssyk_code: form.opt("ssyk_code"),
            hours_per_week: hours,
            requirements: form.opt("requirements"),
            adaptations: form.opt("adaptations"),
            min_swedish: form.opt("min_swedish"),
            can_adapt: form.all("can_adapt"),
        },
        ClauseInput::default(),
    );
    // The workplace must be one of this employer's.
    let workplace = match app.employer(actor, eid).await {
        Ok(e) => e
            .workplaces
            .iter()
            .find(|w| w.id.to_string() == input.0)
            .map(|w| w.id),
        Err(e) => return fail(&ctx, &uri, e),
    };
    let Some(workplace) = workplace.filter(|_| errors.is_empty()) else {
        if workplace.is_none() {
            errors.push(FieldError::new(
                "workplace_id",
                stegvis_app::Text::new("Välj arbetsplats.", "Choose the workplace."),
            ));
        }
        return employer_page(
            &ctx,
            &app,
            &uri,
            &id,
            &input,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let result = app.add_opening(actor, workplace, &input.1).await;
    let again = async |errors: Vec<FieldError>, status| {
        employer_page(&ctx, &app, &uri, &id, &input, &errors, status).await
    };
    after_post(
        &ctx,
        &uri,
        result,
        |_| format!("/employers/{eid}"),
        None,
        again,
    )
    .await
}

pub async fn add_agreement(
    Extension(ctx): Extension<Ctx>,
    State(app): State<App>,
    uri: Uri,
    Path(id): Path<String>,
    Form(form): Form<FormData>,
) -> Response {
    let (actor, eid) = match actor_and_id(&ctx, &uri, &id) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let input = stegvis_app::employers::AgreementInput {
        kind: form.get("kind"),
        signed_on: form.get("signed_on"),
        valid_to: form.opt("valid_to"),
        note: form.opt("note"),
    };
    // The errors point at this form's own fields, not the other forms' on the page.
    let result = app
        .add_agreement(actor, eid, &input)
        .await
        .map_err(|e| match e {
            stegvis_app::AppError::Invalid(errors) => stegvis_app::AppError::Invalid(
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
        employer_page(&ctx, &app, &uri, &id, &blank, &errors, status).await
    };
    after_post(
        &ctx,
        &uri,
        result,
        |_| format!("/employers/{eid}#agreements"),
        None,
        again,
    )
    .await
}
