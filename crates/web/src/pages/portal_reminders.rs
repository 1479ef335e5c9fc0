//! `/me/reminders`: the participant agrees to reminders (e-mail, SMS), changes where they go,
//! or stops them. The app checks the address and number; errors come back in the portal's
//! language.

use super::portal::{Field, Me, PortalChrome, error_for, field_errors};
use super::{PageResult, render};
use crate::forms::PageForm;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use stegvis_app::reminders::{ReminderAgreementView, ReminderInput};
use stegvis_app::{App, AppError, FieldError};
use stegvis_i18n::Language;

/// One choice of the reminders' language.
pub struct LanguageChoice {
    pub code: &'static str,
    pub name: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "portal_reminders.html")]
struct RemindersPage {
    p: PortalChrome,
    errors: Vec<(String, String)>,
    agreed: bool,
    /// Where reminders go now, as the participant wrote it.
    channels: Vec<String>,
    email: Field,
    phone: Field,
    languages: Vec<LanguageChoice>,
    language_error: Option<String>,
    version: i32,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ReminderForm {
    agreed: Option<String>,
    email: String,
    phone: String,
    language: String,
    version: Option<i32>,
}

fn page(
    me: Me,
    current: &ReminderAgreementView,
    form: &ReminderForm,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let tr = me.tr();
    let errors = field_errors(errors, tr);
    let mut channels = Vec::new();
    if let Some(e) = current.email.as_deref().filter(|_| current.agreed) {
        channels.push(format!("{}: {e}", tr.t("field-email")));
    }
    if let Some(p) = current.phone.as_deref().filter(|_| current.agreed) {
        channels.push(format!("{}: {p}", tr.t("field-phone")));
    }
    let language = if form.language.is_empty() {
        tr.code().to_owned()
    } else {
        form.language.clone()
    };
    Ok((
        status,
        render(&RemindersPage {
            agreed: current.agreed,
            channels,
            email: Field::new(tr, "email", "email", form.email.clone(), &errors),
            phone: Field::new(tr, "phone", "tel", form.phone.clone(), &errors),
            languages: Language::ALL
                .iter()
                .map(|l| LanguageChoice {
                    code: l.code(),
                    name: l.native_name(),
                    checked: l.code() == language,
                })
                .collect(),
            language_error: error_for(&errors, "language"),
            version: current.version,
            errors,
            p: me.p,
        }),
    )
        .into_response())
}

/// The form as the stored agreement fills it (empty before any).
fn form_of(current: &ReminderAgreementView) -> ReminderForm {
    ReminderForm {
        agreed: current.agreed.then(|| "on".to_owned()),
        email: current.email.clone().unwrap_or_default(),
        phone: current.phone.clone().unwrap_or_default(),
        language: if current.agreed {
            current.language.clone()
        } else {
            String::new()
        },
        version: Some(current.version),
    }
}

/// `GET /me/reminders`
pub async fn show(State(app): State<App>, me: Me) -> PageResult {
    let current = app.reminder_agreement(&me.actor, me.participant_id).await?;
    let form = form_of(&current);
    page(me, &current, &form, &[], StatusCode::OK)
}

/// `POST /me/reminders`: agree (the box ticked) or stop (the box empty, or the stop button).
pub async fn submit(
    State(app): State<App>,
    me: Me,
    PageForm(form): PageForm<ReminderForm>,
) -> PageResult {
    let input = ReminderInput {
        agreed: form.agreed.is_some(),
        email: Some(form.email.clone()),
        phone: Some(form.phone.clone()),
        language: if form.language.is_empty() {
            me.tr().code().to_owned()
        } else {
            form.language.clone()
        },
        version: form.version,
    };
    match app
        .set_reminder_agreement(&me.actor, me.participant_id, &input)
        .await
    {
        Ok(_) => Ok(Redirect::to("/me/reminders").into_response()),
        Err(AppError::Invalid(errors)) => {
            let current = app.reminder_agreement(&me.actor, me.participant_id).await?;
            page(
                me,
                &current,
                &form,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(AppError::Conflict(_)) => {
            let current = app.reminder_agreement(&me.actor, me.participant_id).await?;
            let conflict = [FieldError::new(
                "reminders_conflict",
                stegvis_app::Text::new("", ""),
            )];
            page(me, &current, &form, &conflict, StatusCode::CONFLICT)
        }
        Err(e) => Err(e.into()),
    }
}
