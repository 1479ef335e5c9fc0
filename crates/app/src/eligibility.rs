//! The target group at enrolment: someone outside the project's rules is refused with the
//! reason at each field, or, where the project allows exceptions, enrolled with a written reason
//! that is kept with the enrolment and named in the audit trail.

use crate::error::{FieldError, Text};
use crate::gate;
use crate::policy::{RecordKind, Subject};
use crate::{Actor, App, Result};
use stegvis_domain::Baseline;
use stegvis_domain::eligibility::Eligibility;
use stegvis_store::Audited;
use stegvis_store::enrolment::EnrolmentException;
use time::Date;
use uuid::Uuid;

/// The longest reason kept (characters).
const MAX_REASON: usize = 2000;

/// An enrolment outside the target group, allowed with a written reason.
#[derive(Clone)]
pub(crate) struct Exception {
    reason: String,
    /// The rules not met (codes).
    criteria: Vec<&'static str>,
}

/// The field that says why an enrolment is made anyway.
pub const EXCEPTION_FIELD: &str = "eligibility_exception";

/// Checks a new enrolment against the project's target group. Within it: nothing to keep.
/// Outside it: with a reason where the project allows exceptions, the exception to keep; else
/// an error at each field the project's rules look at (the age at `age_field`), and, where
/// exceptions are allowed, one asking for the reason. A field that already has an error is left
/// to that error.
pub(crate) fn check(
    rules: &Eligibility,
    birth_date: Option<Date>,
    enrolled_on: Date,
    baseline: &Baseline,
    reason: Option<&str>,
    age_field: &str,
    errors: &mut Vec<FieldError>,
) -> Option<Exception> {
    let shortfalls = rules.check(birth_date, enrolled_on, baseline);
    if shortfalls.is_empty() {
        return None;
    }
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if let Some(r) = reason
        && rules.exceptions_allowed
    {
        if r.chars().count() > MAX_REASON {
            errors.push(FieldError::new(
                EXCEPTION_FIELD,
                Text::new(
                    "Skälet får vara högst 2 000 tecken.",
                    "The reason can be at most 2,000 characters.",
                ),
            ));
            return None;
        }
        return Some(Exception {
            reason: r.to_owned(),
            criteria: shortfalls.iter().map(|s| s.code()).collect(),
        });
    }
    let already: Vec<String> = errors.iter().map(|e| e.field.clone()).collect();
    for s in &shortfalls {
        let field = match s.field() {
            Some(f) => format!("baseline.{}", f.code()),
            None => age_field.to_owned(),
        };
        if !already.contains(&field) {
            errors.push(FieldError::new(
                &field,
                Text::new(s.message("sv"), s.message("en")),
            ));
        }
    }
    if rules.exceptions_allowed {
        errors.push(FieldError::new(
            EXCEPTION_FIELD,
            Text::new(
                "Deltagaren hör inte till projektets målgrupp. Projektet tar emot undantag: skriv varför deltagaren ska skrivas in ändå.",
                "The participant is outside the project's target group. The project allows exceptions: write why the participant should be enrolled anyway.",
            ),
        ));
    }
    None
}

impl App {
    /// The target group of a project the actor's organisation runs (none for another).
    pub(crate) async fn target_group_of(
        &self,
        actor: &Actor,
        project_id: Option<Uuid>,
    ) -> Result<Option<Eligibility>> {
        let Some(id) = project_id else {
            return Ok(None);
        };
        match self.own_projects(actor).await?.iter().find(|p| p.id == id) {
            Some(p) => Ok(Some(p.eligibility()?)),
            None => Ok(None),
        }
    }

    /// Keeps the exception an enrolment was made under, and names it in the audit trail (the
    /// rules not met, never the reason, which is about the person).
    pub(crate) async fn keep_exception(
        &self,
        mut tx: Audited,
        actor: &Actor,
        subject: Subject,
        enrolment_id: Uuid,
        exception: Option<Exception>,
    ) -> Result<Audited> {
        let Some(x) = exception else {
            return Ok(tx);
        };
        if let Err(e) = tx
            .insert_enrolment_exception(&EnrolmentException {
                org_id: subject.org_id,
                enrolment_id,
                reason: x.reason,
                criteria: x.criteria.join(","),
                created_at: self.now(),
                created_by: Some(actor.user_id),
            })
            .await
        {
            return gate::reject(tx, e.into()).await;
        }
        self.audit_also_noted(
            tx,
            actor,
            subject,
            RecordKind::Enrolment,
            format!(
                "enrolment {enrolment_id} outside the target group ({}), with a written reason",
                x.criteria.join(", ")
            ),
        )
        .await
    }
}
