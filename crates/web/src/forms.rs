//! Form plumbing for the pages: posted forms read as typed inputs, views of fields with their
//! errors.

use crate::Lang;
use crate::pages::PageError;
use axum::body::Bytes;
use axum::extract::{FromRequest, RawForm, Request};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use std::borrow::Cow;
use stegvis_app::enrolments::BaselineInput;
use stegvis_app::{AppError, FieldError, Text};
use stegvis_domain::{Answer, BaselineField, LabourStatus};

/// A posted page form, as sent: read into the API's input types.
///
/// Browsers post checkboxes as repeated keys (`kinds=a&kinds=b`) and empty fields as `""`;
/// `serde_html_form` reads repeated keys into a `Vec`. Fields the input lacks (the CSRF token,
/// `next`, a button's value) are ignored.
pub struct Posted(Bytes);

impl Posted {
    /// The whole form as `T`.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, PageError> {
        serde_html_form::from_bytes(&self.0).map_err(unreadable)
    }

    /// The fields posted as `<prefix>.<field>` as `T` (the baseline questions, the workplace of
    /// a new employer, a row of a table). A blank field is one not filled in: left out, so that
    /// it keeps its stored answer where `T` corrects one.
    pub fn nested<T: DeserializeOwned>(&self, prefix: &str) -> Result<T, PageError> {
        let start = format!("{prefix}.");
        let mut inner = form_urlencoded::Serializer::new(String::new());
        for (name, value) in self.pairs() {
            if let Some(field) = name.strip_prefix(&start)
                && !value.trim().is_empty()
            {
                inner.append_pair(field, &value);
            }
        }
        serde_html_form::from_str(&inner.finish()).map_err(unreadable)
    }

    /// The baseline answers posted as `baseline.<field>`.
    pub fn baseline(&self) -> Result<BaselineInput, PageError> {
        self.nested("baseline")
    }

    /// Name and value of every field, in the order posted.
    pub fn pairs(&self) -> impl Iterator<Item = (Cow<'_, str>, Cow<'_, str>)> {
        form_urlencoded::parse(&self.0)
    }
}

/// A form our pages did not send (a value that cannot be read as its type): 422.
fn unreadable(e: serde_html_form::de::Error) -> PageError {
    PageError(AppError::Invalid(vec![FieldError::new(
        "body",
        Text::new(
            format!("Formuläret kunde inte läsas: {e}"),
            format!("The form could not be read: {e}"),
        ),
    )]))
}

impl<S: Send + Sync> FromRequest<S> for Posted {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let RawForm(bytes) = RawForm::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(Posted(bytes))
    }
}

/// A posted form read as the input `T`, as the API reads its JSON body.
pub struct PageForm<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for PageForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let posted = Posted::from_request(req, state).await?;
        posted
            .parse()
            .map(PageForm)
            .map_err(IntoResponse::into_response)
    }
}

/// A number typed into a text field: blank is none, and text that is not a whole number is
/// `Err`, for the caller to say so (or to pass on a value the use case refuses at its field).
pub fn whole_number(text: &str) -> Result<Option<i64>, ()> {
    match text.trim() {
        "" => Ok(None),
        t => t.parse().map(Some).map_err(|_| ()),
    }
}

/// An error as the summary lists it: message and the id of the field to jump to.
pub struct ErrorView {
    pub anchor: String,
    pub message: String,
}

pub fn anchor(field: &str) -> String {
    field.replace('.', "-")
}

pub fn error_views(errors: &[FieldError], lang: Lang) -> Vec<ErrorView> {
    errors
        .iter()
        .map(|e| ErrorView {
            anchor: anchor(&e.field),
            message: e.message.get(lang.code()).to_owned(),
        })
        .collect()
}

pub fn error_for(errors: &[FieldError], field: &str, lang: Lang) -> Option<String> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.message.get(lang.code()).to_owned())
}

/// One choice of a radio group or select.
pub struct OptionView {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

pub fn options<'a>(
    items: impl IntoIterator<Item = (&'a str, String)>,
    current: &str,
) -> Vec<OptionView> {
    items
        .into_iter()
        .map(|(value, label)| OptionView {
            checked: value == current,
            value: value.to_owned(),
            label,
        })
        .collect()
}

/// A single-line input.
pub struct TextField {
    pub name: String,
    pub id: String,
    pub label: String,
    pub hint: String,
    pub kind: &'static str,
    pub value: String,
    pub error: Option<String>,
    pub describedby: String,
}

impl TextField {
    pub fn new(
        name: &str,
        label: &str,
        hint: &str,
        kind: &'static str,
        value: String,
        errors: &[FieldError],
        lang: Lang,
    ) -> Self {
        let id = anchor(name);
        let error = error_for(errors, name, lang);
        let mut describedby = Vec::new();
        if !hint.is_empty() {
            describedby.push(format!("{id}-hint"));
        }
        if error.is_some() {
            describedby.push(format!("{id}-error"));
        }
        TextField {
            name: name.into(),
            id,
            label: label.into(),
            hint: hint.into(),
            kind,
            value,
            error,
            describedby: describedby.join(" "),
        }
    }
}

/// A radio group with its error.
pub struct ChoiceField {
    pub options: Vec<OptionView>,
    pub error: Option<String>,
}

/// One baseline question in the form.
pub struct BaselineFieldView {
    pub name: String,
    pub id: String,
    pub label: String,
    /// `radios` or `number`.
    pub kind: &'static str,
    pub options: Vec<OptionView>,
    pub value: String,
    pub error: Option<String>,
}

fn raw(b: &BaselineInput, f: BaselineField) -> String {
    use BaselineField as F;
    let v = match f {
        F::LabourStatus => &b.labour_status,
        F::LongTermUnemployed => &b.long_term_unemployed,
        F::MonthsWithoutWork => &b.months_without_work,
        F::InEducation => &b.in_education,
        F::IscedLevel => &b.isced_level,
        F::BornAbroad => &b.born_abroad,
        F::ForeignBackground => &b.foreign_background,
        F::Disability => &b.disability,
        F::Homeless => &b.homeless,
        F::JoblessHousehold => &b.jobless_household,
        F::DependentChildren => &b.dependent_children,
        F::SingleAdultWithChildren => &b.single_adult_with_children,
        F::SocialAssistance => &b.social_assistance,
        F::SickLeave => &b.sick_leave,
        F::ActivityCompensation => &b.activity_compensation,
        F::RegisteredAtEmploymentService => &b.registered_at_employment_service,
    };
    v.clone().unwrap_or_default()
}

/// The baseline questions as form fields, with the posted or stored values and errors.
pub fn baseline_fields(
    b: &BaselineInput,
    errors: &[FieldError],
    lang: Lang,
) -> Vec<BaselineFieldView> {
    BaselineField::ALL
        .iter()
        .map(|&f| {
            let name = format!("baseline.{}", f.code());
            let value = raw(b, f);
            let (kind, options) = match f {
                BaselineField::LabourStatus => (
                    "radios",
                    options(
                        LabourStatus::ALL
                            .iter()
                            .map(|s| (s.code(), s.label(lang.code()).to_owned())),
                        &value,
                    ),
                ),
                BaselineField::MonthsWithoutWork | BaselineField::IscedLevel => {
                    ("number", Vec::new())
                }
                other => {
                    let answers = Answer::ALL
                        .iter()
                        .filter(|a| other.is_sensitive() || **a != Answer::Declined);
                    (
                        "radios",
                        options(
                            answers.map(|a| (a.code(), a.label(lang.code()).to_owned())),
                            &value,
                        ),
                    )
                }
            };
            let mut label = f.label(lang.code()).to_owned();
            if f == BaselineField::IscedLevel {
                label.push_str(lang.t(" – nivå 0–8", " – level 0–8"));
            }
            BaselineFieldView {
                id: anchor(&name),
                error: error_for(errors, &name, lang),
                name,
                label,
                kind,
                options,
                value,
            }
        })
        .collect()
}
