//! Form plumbing for the pages: posted forms read as typed inputs, views of fields with their
//! errors.

use crate::Lang;
use crate::pages::PageError;
use axum::body::Bytes;
use axum::extract::{FromRequest, RawForm, Request};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use std::borrow::Cow;
use std::collections::BTreeMap;
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
    /// a new employer). A blank field is one not filled in: left out, so that it keeps its
    /// stored answer where `T` corrects one.
    pub fn nested<T: DeserializeOwned>(&self, prefix: &str) -> Result<T, PageError> {
        let start = format!("{prefix}.");
        let mut inner = Inner::default();
        for (name, value) in self.pairs() {
            if let Some(field) = name.strip_prefix(&start) {
                inner.add(field, &value);
            }
        }
        inner.parse()
    }

    /// The rows of a table posted as `<prefix>.<row>.<field>`, each as `T` (blank fields left
    /// out as in [`Posted::nested`]), from row 0 up to the first row not posted.
    pub fn rows<T: DeserializeOwned>(&self, prefix: &str) -> Result<Vec<T>, PageError> {
        let start = format!("{prefix}.");
        let mut rows: BTreeMap<usize, Inner> = BTreeMap::new();
        for (name, value) in self.pairs() {
            let Some((row, field)) = name.strip_prefix(&start).and_then(|r| r.split_once('.'))
            else {
                continue;
            };
            if let Ok(row) = row.parse() {
                rows.entry(row).or_default().add(field, &value);
            }
        }
        rows.into_iter()
            .enumerate()
            .take_while(|(i, (row, _))| i == row)
            .map(|(_, (_, inner))| inner.parse())
            .collect()
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

/// The filled-in fields of a nested input, re-encoded for `serde_html_form`.
#[derive(Default)]
struct Inner(Vec<(String, String)>);

impl Inner {
    fn add(&mut self, field: &str, value: &str) {
        if !value.trim().is_empty() {
            self.0.push((field.to_owned(), value.to_owned()));
        }
    }

    fn parse<T: DeserializeOwned>(self) -> Result<T, PageError> {
        let encoded = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(self.0)
            .finish();
        serde_html_form::from_str(&encoded).map_err(unreadable)
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

#[cfg(test)]
mod tests {
    use super::*;
    use stegvis_app::conferences::{ConferenceInput, DecisionInput};
    use stegvis_app::consents::ConsentInput;
    use stegvis_app::enrolments::EnrolmentUpdate;

    fn posted(body: &'static str) -> Posted {
        Posted(Bytes::from_static(body.as_bytes()))
    }

    #[test]
    fn checkboxes_become_a_list_and_fields_the_input_lacks_are_ignored() {
        let one: ConsentInput = posted("csrf=t&kinds=plan&purpose=x").parse().unwrap();
        assert_eq!(one.kinds, ["plan"]);
        let two: ConsentInput = posted("kinds=plan&kinds=participant").parse().unwrap();
        assert_eq!(two.kinds, ["plan", "participant"]);
        let none: ConsentInput = posted("csrf=t").parse().unwrap();
        assert!(none.kinds.is_empty());
    }

    #[test]
    fn a_correction_keeps_blank_baseline_answers_and_posts_the_rest_as_typed() {
        let form = posted(
            "version=4&enrolled_on=&coach_id=&baseline.isced_level=3&baseline.homeless=+&baseline.disability=",
        );
        let input = EnrolmentUpdate {
            baseline: form.baseline().unwrap(),
            ..form.parse().unwrap()
        };
        assert_eq!(input.version, Some(4));
        // Present but blank: cleared (the date) or removed (the coach), as the API reads "".
        assert_eq!(input.enrolled_on.as_deref(), Some(""));
        assert_eq!(input.coach_id.as_deref(), Some(""));
        assert_eq!(input.baseline.isced_level.as_deref(), Some("3"));
        assert_eq!(input.baseline.homeless, None);
        assert_eq!(input.baseline.disability, None);
    }

    #[test]
    fn rows_run_from_zero_to_the_first_row_not_posted() {
        let form = posted(
            "minutes=m&decisions.0.step=Ring&decisions.0.owner=staff&decisions.1.step=&decisions.1.owner=participant&decisions.3.step=Lost",
        );
        let input = ConferenceInput {
            decisions: form.rows("decisions").unwrap(),
            ..form.parse().unwrap()
        };
        let steps: Vec<(&str, &str)> = input
            .decisions
            .iter()
            .map(|d: &DecisionInput| (d.step.as_str(), d.owner.as_str()))
            .collect();
        assert_eq!(steps, [("Ring", "staff"), ("", "participant")]);
        assert_eq!(input.minutes, "m");
    }

    #[test]
    fn a_value_that_cannot_be_its_type_is_invalid_input() {
        let Err(PageError(AppError::Invalid(errors))) =
            posted("version=x").parse::<EnrolmentUpdate>()
        else {
            panic!("a version that is not a number is refused");
        };
        assert_eq!(errors[0].field, "body");
    }

    #[test]
    fn whole_numbers_as_typed() {
        assert_eq!(whole_number(" "), Ok(None));
        assert_eq!(whole_number(" 12 "), Ok(Some(12)));
        assert_eq!(whole_number("12,5"), Err(()));
    }
}
