//! The participant's rights on their page, for the data protection officer: the register extract
//! (JSON and PDF, made from one struct) and the correction of names and identity number.

use super::{Chrome, Id, PageResult, Viewer, after_post, render};
use crate::forms::{ErrorView, PageForm, TextField, error_views};
use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use stegvis_app::correction::CorrectionInput;
use stegvis_app::policy::{self, Action, Function, Request};
use stegvis_app::{Actor, App, AppError, FieldError};
use uuid::Uuid;

/// Whether the actor may use the participant's rights on a participant of `org_id` (the page
/// offers its links and form only then; the use cases ask the gate again, audited).
pub fn answers_rights(actor: &Actor, org_id: Uuid, action: Action) -> bool {
    policy::allows(&Request::Function {
        actor,
        function: Function::DataSubjectRights,
        action,
        owner: Some(org_id),
    })
}

/// `GET /participants/{id}/extract.json`
pub async fn json(State(app): State<App>, v: Viewer, Id(id): Id) -> PageResult {
    let x = app.register_extract(&v.actor, id).await?;
    let mut response = Json(x).into_response();
    response.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"registerutdrag.json\""),
    );
    Ok(response)
}

/// `GET /participants/{id}/extract.pdf`: typeset off the async threads.
#[cfg(feature = "pdf")]
pub async fn pdf(State(app): State<App>, v: Viewer, Id(id): Id) -> PageResult {
    let x = app.register_extract(&v.actor, id).await?;
    let made = tokio::task::spawn_blocking(move || super::register_extract_pdf::render(&x)).await;
    match made {
        Ok(Ok(bytes)) => {
            let mut response = bytes.into_response();
            let h = response.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/pdf"),
            );
            h.insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"registerutdrag.pdf\""),
            );
            Ok(response)
        }
        Ok(Err(e)) => Err(AppError::Internal(format!("register extract pdf: {e}")).into()),
        Err(e) => Err(AppError::Internal(format!("register extract pdf task: {e}")).into()),
    }
}

/// Without the `pdf` feature there is no typesetter: say so and point to the JSON, without
/// reading anything (404, as for a format this build does not have).
#[cfg(not(feature = "pdf"))]
pub async fn pdf(v: Viewer, Id(id): Id) -> PageResult {
    let l = v.lang;
    let page = super::MessagePage {
        c: v.chrome("participants"),
        title: l
            .t("PDF finns inte här", "PDF is not available here")
            .to_owned(),
        body: l
            .t(
                "Den här installationen av Stegvis är byggd utan PDF. Ladda ner registerutdraget som JSON i stället, eller be IT-avdelningen bygga Stegvis med funktionen pdf.",
                "This installation of Stegvis was built without PDF. Download the register extract as JSON instead, or ask the IT department to build Stegvis with the pdf feature.",
            )
            .to_owned(),
        link_href: format!("/participants/{id}"),
        link_text: l
            .t("Tillbaka till deltagaren", "Back to the participant")
            .to_owned(),
    };
    Ok((StatusCode::NOT_FOUND, render(&page)).into_response())
}

#[derive(Template)]
#[template(path = "correction_form.html")]
struct CorrectionPage {
    c: Chrome,
    errors: Vec<ErrorView>,
    participant_id: Uuid,
    participant_name: String,
    fields: Vec<TextField>,
}

async fn correction_page(
    app: &App,
    v: &Viewer,
    id: Uuid,
    posted: Option<&CorrectionInput>,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let l = v.lang;
    let d = app.participant(&v.actor, id).await?;
    if !answers_rights(&v.actor, d.participant.org_id, Action::Write) {
        return Err(AppError::NotFound.into());
    }
    let p = &d.participant;
    let input = posted.cloned().unwrap_or_else(|| CorrectionInput {
        given_name: p.given_name.clone(),
        family_name: p.family_name.clone(),
        identity_number: String::new(),
    });
    let field = |name: &str, label: &str, hint: &str, value: &str| {
        TextField::new(name, label, hint, "text", value.to_owned(), errors, l)
    };
    let page = CorrectionPage {
        c: v.chrome("participants"),
        errors: error_views(errors, l),
        participant_id: id,
        participant_name: format!("{} {}", p.given_name, p.family_name),
        fields: vec![
            field("given_name", l.t("Förnamn", "Given name"), "", &input.given_name),
            field(
                "family_name",
                l.t("Efternamn", "Family name"),
                "",
                &input.family_name,
            ),
            field(
                "identity_number",
                l.t(
                    "Rätt personnummer eller samordningsnummer",
                    "The correct identity or coordination number",
                ),
                l.t(
                    "Lämna tomt för att behålla det nummer som finns. Det tidigare numret sparas krypterat i historiken.",
                    "Leave empty to keep the number on record. The earlier number is kept encrypted in the history.",
                ),
                &input.identity_number,
            ),
        ],
    };
    Ok((status, render(&page)).into_response())
}

/// `GET /participants/{id}/correct`
pub async fn correction_form(State(app): State<App>, v: Viewer, Id(id): Id) -> PageResult {
    correction_page(&app, &v, id, None, &[], StatusCode::OK).await
}

/// `POST /participants/{id}/correct`
pub async fn correct(
    State(app): State<App>,
    v: Viewer,
    Id(id): Id,
    PageForm(input): PageForm<CorrectionInput>,
) -> PageResult {
    let result = app.correct_participant_identity(&v.actor, id, &input).await;
    let again = async |errors: Vec<FieldError>, status| {
        correction_page(&app, &v, id, Some(&input), &errors, status).await
    };
    after_post(
        result,
        |_| format!("/participants/{id}"),
        Some("identity_number"),
        again,
    )
    .await
}
