//! Form plumbing for the pages: raw posted values, views of fields with their errors.

use crate::Lang;
use stegvis_app::FieldError;
use stegvis_app::enrolments::BaselineInput;
use stegvis_domain::{Answer, BaselineField, LabourStatus};

/// The posted form as name/value pairs.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(transparent)]
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// A field that was filled in (not blank), or none.
    pub fn opt(&self, name: &str) -> Option<String> {
        Some(self.get(name)).filter(|v| !v.trim().is_empty())
    }

    /// Every value posted under `name` (checkboxes).
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// The baseline answers posted as `baseline.<field>`.
    pub fn baseline(&self) -> BaselineInput {
        let v = |f: BaselineField| {
            Some(self.get(&format!("baseline.{}", f.code()))).filter(|s| !s.trim().is_empty())
        };
        use BaselineField as F;
        BaselineInput {
            labour_status: v(F::LabourStatus),
            long_term_unemployed: v(F::LongTermUnemployed),
            months_without_work: v(F::MonthsWithoutWork),
            in_education: v(F::InEducation),
            isced_level: v(F::IscedLevel),
            born_abroad: v(F::BornAbroad),
            foreign_background: v(F::ForeignBackground),
            disability: v(F::Disability),
            homeless: v(F::Homeless),
            jobless_household: v(F::JoblessHousehold),
            dependent_children: v(F::DependentChildren),
            single_adult_with_children: v(F::SingleAdultWithChildren),
            social_assistance: v(F::SocialAssistance),
            sick_leave: v(F::SickLeave),
            activity_compensation: v(F::ActivityCompensation),
            registered_at_employment_service: v(F::RegisteredAtEmploymentService),
        }
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
