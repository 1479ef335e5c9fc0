//! Consents on the page: give one (the participant, or staff noting it), and revoke it.

use super::{Chrome, Id, PageResult, Viewer, after_post, render};
use crate::Lang;
use crate::forms::{
    ChoiceField, ErrorView, OptionView, PageForm, TextField, error_for, error_views, options,
};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use stegvis_app::consents::{ConsentInput, SHAREABLE};
use stegvis_app::{App, FieldError};
use uuid::Uuid;

#[derive(Template)]
#[template(path = "consent_form.html")]
struct ConsentPage {
    c: Chrome,
    errors: Vec<ErrorView>,
    participant_id: Uuid,
    own: bool,
    recipient: ChoiceField,
    kinds: Vec<OptionView>,
    kinds_error: Option<String>,
    purpose: TextField,
    form: ChoiceField,
    dates: Vec<TextField>,
}

async fn page(
    app: &App,
    v: &Viewer,
    participant_id: Uuid,
    input: &ConsentInput,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let actor = &v.actor;
    let l = v.lang;
    let code = l.code();
    // The participant's own organisation holds the case already: the others are recipients.
    let own_org = app
        .participant(actor, participant_id)
        .await?
        .participant
        .org_id;
    let orgs = app.organisations(actor).await?;
    let items: Vec<(String, String)> = orgs
        .into_iter()
        .filter(|o| o.id != own_org && !matches!(o.kind.as_str(), "employer" | "social_enterprise"))
        .map(|o| (o.id.to_string(), o.name))
        .collect();
    let kinds = SHAREABLE
        .iter()
        .map(|k| OptionView {
            value: k.code().to_owned(),
            label: k.label(code).to_owned(),
            checked: input.kinds.iter().any(|c| c == k.code()),
        })
        .collect();
    let forms = [
        ("written", l.t("Skriftligt", "Written")),
        (
            "oral",
            l.t("Muntligt (antecknat av personal)", "Oral (noted by staff)"),
        ),
        ("digital", l.t("Digitalt", "Digital")),
    ];
    let field = |name: &str, label: &str, hint: &str, kind: &'static str, value: &str| {
        TextField::new(name, label, hint, kind, value.to_owned(), errors, l)
    };
    let p = ConsentPage {
        c: v.chrome("participants"),
        errors: error_views(errors, l),
        participant_id,
        own: actor.participant_id == Some(participant_id),
        recipient: ChoiceField {
            options: options(
                items.iter().map(|(v, n)| (v.as_str(), n.clone())),
                &input.recipient_org_id,
            ),
            error: error_for(errors, "recipient_org_id", l),
        },
        kinds,
        kinds_error: error_for(errors, "kinds", l),
        purpose: field(
            "purpose",
            l.t("Syfte", "Purpose"),
            l.t(
                "Varför uppgifterna delas, till exempel ”gemensam planering inför arbetsträning”.",
                "Why the records are shared, for example “joint planning before work training”.",
            ),
            "text",
            &input.purpose,
        ),
        form: ChoiceField {
            options: options(
                forms.iter().map(|(v, n)| (*v, (*n).to_owned())),
                &input.form,
            ),
            error: error_for(errors, "form", l),
        },
        dates: vec![
            field(
                "valid_from",
                l.t("Gäller från", "Valid from"),
                l.t(
                    "ÅÅÅÅ-MM-DD. Tomt betyder i dag.",
                    "YYYY-MM-DD. Empty means today.",
                ),
                "date",
                input.valid_from.as_deref().unwrap_or_default(),
            ),
            field(
                "valid_to",
                l.t("Gäller till och med", "Valid until"),
                l.t(
                    "ÅÅÅÅ-MM-DD. Tomt betyder tills samtycket återkallas.",
                    "YYYY-MM-DD. Empty means until the consent is revoked.",
                ),
                "date",
                input.valid_to.as_deref().unwrap_or_default(),
            ),
        ],
    };
    Ok((status, render(&p)).into_response())
}

/// `GET /participants/{id}/consents/new`
pub async fn form(State(app): State<App>, v: Viewer, Id(pid): Id) -> PageResult {
    if let Some(r) = super::to_portal(&v.actor, pid, "/me/consents/new") {
        return Ok(r);
    }
    let input = ConsentInput {
        form: if v.actor.participant_id == Some(pid) {
            "digital"
        } else {
            "written"
        }
        .into(),
        ..ConsentInput::default()
    };
    page(&app, &v, pid, &input, &[], StatusCode::OK).await
}

/// `POST /participants/{id}/consents`
pub async fn grant(
    State(app): State<App>,
    v: Viewer,
    Id(pid): Id,
    PageForm(input): PageForm<ConsentInput>,
) -> PageResult {
    let result = app.grant_consent(&v.actor, pid, &input).await;
    let again =
        async |errors: Vec<FieldError>, status| page(&app, &v, pid, &input, &errors, status).await;
    after_post(
        result,
        |c| format!("/participants/{}#consents", c.participant_id),
        None,
        again,
    )
    .await
}

/// `POST /consents/{id}/revoke`
pub async fn revoke(State(app): State<App>, v: Viewer, Id(consent_id): Id) -> PageResult {
    let c = app.revoke_consent(&v.actor, consent_id).await?;
    Ok(Redirect::to(&format!("/participants/{}#consents", c.participant_id)).into_response())
}

/// A consent as the participant page lists it.
pub struct ConsentLine {
    pub id: Uuid,
    pub recipient: String,
    pub kinds: String,
    pub purpose: String,
    pub period: String,
    pub state: String,
    pub revoked: bool,
}

pub fn lines(
    list: &[stegvis_app::consents::ConsentView],
    names: &std::collections::HashMap<Uuid, String>,
    l: Lang,
) -> Vec<ConsentLine> {
    let code = l.code();
    list.iter()
        .map(|c| ConsentLine {
            id: c.id,
            recipient: names.get(&c.recipient_org_id).cloned().unwrap_or_default(),
            kinds: c
                .kinds
                .iter()
                .map(|k| {
                    stegvis_app::policy::RecordKind::from_code(k)
                        .map_or(k.clone(), |k| k.label(code).to_owned())
                })
                .collect::<Vec<_>>()
                .join(", "),
            purpose: c.purpose.clone(),
            period: match c.valid_to {
                Some(t) => format!("{} – {t}", c.valid_from),
                None => format!("{} {}", l.t("från", "from"), c.valid_from),
            },
            state: if c.revoked {
                l.t("Återkallat", "Revoked")
            } else if c.live {
                l.t("Gäller", "In force")
            } else {
                l.t("Gäller inte nu", "Not in force now")
            }
            .to_owned(),
            revoked: c.revoked,
        })
        .collect()
}
