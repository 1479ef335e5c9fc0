//! Participants: list and search, enrol a new one, a participant's page.

use super::{Chrome, Id, PageResult, Viewer, after_post, render};
use crate::Lang;
use crate::forms::{
    BaselineFieldView, ChoiceField, ErrorView, OptionView, PageForm, Posted, TextField,
    baseline_fields, error_for, error_views, options,
};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use stegvis_app::enrolments::{BaselineInput, EnrolmentView};
use stegvis_app::participants::{Page, ParticipantDetail, ParticipantView, RegisterInput};
use stegvis_app::policy::{self, Action, RecordKind, Request};
use stegvis_app::{Actor, App, AppError, FieldError};
use stegvis_domain::participant::IdentityMode;
use stegvis_domain::{Answer, BaselineField, Gender};
use uuid::Uuid;

const PAGE_SIZE: i64 = 50;

#[derive(Template)]
#[template(path = "participants.html")]
struct ListPage {
    c: Chrome,
    q: String,
    page: Page<ParticipantView>,
    /// "12", or "fler än 1 000" when counting stopped.
    total: String,
    prev_page: Option<i64>,
    next_page: Option<i64>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    q: String,
    page: Option<i64>,
}

/// The list for a search term and page number. The UI searches by POST so that a searched
/// identity number never lands in a URL, the browser history or a proxy's log.
async fn list_page(app: &App, v: &Viewer, q: ListQuery) -> PageResult {
    let page_no = q.page.unwrap_or(1).max(1);
    let page = app
        .search_participants(&v.actor, &q.q, PAGE_SIZE, (page_no - 1) * PAGE_SIZE)
        .await?;
    let prev_page = (page_no > 1).then_some(page_no - 1);
    let next_page =
        (page_no * PAGE_SIZE < page.total || page.total_is_lower_bound).then_some(page_no + 1);
    let c = v.chrome("participants");
    let total = total_text(c.lang, page.total, page.total_is_lower_bound);
    Ok(render(&ListPage {
        c,
        q: q.q,
        total,
        page,
        prev_page,
        next_page,
    }))
}

/// The number of matches with a thousands separator in the page's language, "more than" it
/// when counting stopped there.
fn total_text(lang: Lang, total: i64, lower_bound: bool) -> String {
    let separator = lang.t("\u{a0}", ",");
    let digits = total.to_string();
    let mut grouped = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push_str(separator);
        }
        grouped.push(d);
    }
    if lower_bound {
        format!("{} {grouped}", lang.t("fler än", "more than"))
    } else {
        grouped
    }
}

pub async fn list(State(app): State<App>, v: Viewer, Query(q): Query<ListQuery>) -> PageResult {
    list_page(&app, &v, q).await
}

pub async fn search(
    State(app): State<App>,
    v: Viewer,
    PageForm(q): PageForm<ListQuery>,
) -> PageResult {
    list_page(&app, &v, q).await
}

#[derive(Template)]
#[template(path = "participant_new.html")]
pub(super) struct NewPage {
    pub c: Chrome,
    pub errors: Vec<ErrorView>,
    pub identity_modes: Vec<OptionView>,
    pub text_fields: Vec<TextField>,
    pub gender: ChoiceField,
    pub project_field: Option<ChoiceField>,
    pub coach_field: Option<ChoiceField>,
    pub enrolled_on: TextField,
    pub baseline: Vec<BaselineFieldView>,
    /// The reason for an exception from the project's target group, as typed, and its error.
    pub show_exception: bool,
    pub exception: String,
    pub exception_error: Option<String>,
}

/// The project chooser with the posted choice.
pub(super) async fn project_choice(
    app: &App,
    actor: &Actor,
    current: &str,
    errors: &[FieldError],
    lang: Lang,
) -> Result<ChoiceField, AppError> {
    let projects = app.enrollable_projects(actor).await?;
    let items: Vec<(String, String)> = projects
        .into_iter()
        .map(|p| (p.id.to_string(), p.name))
        .collect();
    Ok(ChoiceField {
        options: options(items.iter().map(|(v, l)| (v.as_str(), l.clone())), current),
        error: error_for(errors, "project_id", lang),
    })
}

pub(super) fn date_field(
    name: &str,
    label: &str,
    value: String,
    errors: &[FieldError],
    lang: Lang,
) -> TextField {
    TextField::new(
        name,
        label,
        lang.t("Till exempel 2026-03-01.", "For example 2026-03-01."),
        "date",
        value,
        errors,
        lang,
    )
}

async fn new_page(
    app: &App,
    v: &Viewer,
    input: &RegisterInput,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let (actor, l) = (&v.actor, v.lang);
    let mode = input
        .identity_mode
        .clone()
        .unwrap_or_else(|| "number".into());
    let text_fields = vec![
        TextField::new("identity_number", l.t("Personnummer eller samordningsnummer", "Personal identity or coordination number"), l.t("10 eller 12 siffror, till exempel 811218-9876. Lämna tomt vid skyddad identitet eller om numret saknas.", "10 or 12 digits, for example 811218-9876. Leave empty for protected identity or when there is no number."), "text", input.identity_number.clone(), errors, l),
        TextField::new("birth_date", l.t("Födelsedatum (om numret saknas)", "Date of birth (when there is no number)"), l.t("ÅÅÅÅ-MM-DD. Behövs för ESF-rapporteringen när personnummer saknas. Med personnummer hämtas datumet därifrån.", "YYYY-MM-DD. Needed for the ESF reporting when there is no number. With a number, the date comes from it."), "date", input.birth_date.clone().unwrap_or_default(), errors, l),
        TextField::new("given_name", l.t("Förnamn", "Given name"), "", "text", input.given_name.clone(), errors, l),
        TextField::new("family_name", l.t("Efternamn", "Family name"), "", "text", input.family_name.clone(), errors, l),
    ];
    let page = NewPage {
        c: v.chrome("participants"),
        errors: error_views(errors, l),
        identity_modes: options(
            IdentityMode::ALL
                .iter()
                .map(|m| (m.code(), m.label(l.code()).to_owned())),
            &mode,
        ),
        text_fields,
        gender: ChoiceField {
            options: options(
                Gender::ALL
                    .iter()
                    .map(|g| (g.code(), g.label(l.code()).to_owned())),
                &input.gender,
            ),
            error: error_for(errors, "gender", l),
        },
        project_field: Some(project_choice(app, actor, &input.project_id, errors, l).await?),
        coach_field: None,
        enrolled_on: date_field(
            "enrolled_on",
            l.t("Inskrivningsdatum", "Enrolment date"),
            input.enrolled_on.clone(),
            errors,
            l,
        ),
        baseline: baseline_fields(&input.baseline, errors, l),
        show_exception: true,
        exception: input.eligibility_exception.clone().unwrap_or_default(),
        exception_error: error_for(errors, "eligibility_exception", l),
    };
    Ok((status, render(&page)).into_response())
}

pub async fn new_form(State(app): State<App>, v: Viewer) -> PageResult {
    let actor = &v.actor;
    if !policy::allows(&Request::Create {
        actor,
        kind: RecordKind::Participant,
        participant: None,
    }) {
        return Err(AppError::Forbidden.into());
    }
    let input = RegisterInput {
        enrolled_on: app.today().to_string(),
        ..Default::default()
    };
    new_page(&app, &v, &input, &[], StatusCode::OK).await
}

/// The baseline questions come as `baseline.<field>`.
pub async fn create(State(app): State<App>, v: Viewer, form: Posted) -> PageResult {
    let input = RegisterInput {
        baseline: form.baseline()?,
        ..form.parse()?
    };
    let result = app.register_participant(&v.actor, &input).await;
    let again =
        async |errors: Vec<FieldError>, status| new_page(&app, &v, &input, &errors, status).await;
    after_post(
        result,
        |d| format!("/participants/{}", d.participant.id),
        Some("identity_number"),
        again,
    )
    .await
}

/// An enrolment as its card on the participant page shows it.
pub struct EnrolmentCard {
    pub id: Uuid,
    pub project_name: String,
    pub enrolled_on: String,
    pub status: String,
    pub coach: String,
    pub active: bool,
    pub missing: Vec<&'static str>,
    pub answers: Vec<(&'static str, String)>,
    pub follow_ups: Vec<String>,
}

fn card(e: &EnrolmentView, l: Lang) -> EnrolmentCard {
    let status = match (e.exited_on, e.exit_status) {
        (Some(d), Some(s)) => format!("{} {d}: {}", l.t("Avslutad", "Ended"), s.label(l.code())),
        (Some(d), None) => format!("{} {d}", l.t("Avslutad", "Ended")),
        _ => l.t("Pågående", "Active").to_owned(),
    };
    let b = &e.baseline;
    let unanswered = || l.t("Inte besvarad", "Not answered").to_owned();
    let answers = BaselineField::ALL
        .iter()
        .map(|&f| {
            let value = match f {
                BaselineField::LabourStatus => {
                    b.labour_status.map(|s| s.label(l.code()).to_owned())
                }
                BaselineField::MonthsWithoutWork => b.months_without_work.map(|m| m.to_string()),
                BaselineField::IscedLevel => b.isced_level.map(|m| m.to_string()),
                other => b
                    .answer(other)
                    .map(|a: Answer| a.label(l.code()).to_owned()),
            };
            (f.label(l.code()), value.unwrap_or_else(unanswered))
        })
        .collect();
    EnrolmentCard {
        id: e.id,
        project_name: e.project_name.clone(),
        enrolled_on: e.enrolled_on.to_string(),
        status,
        coach: e
            .coach_name
            .clone()
            .unwrap_or_else(|| l.t("Ingen coach än", "No coach yet").to_owned()),
        active: e.exited_on.is_none(),
        missing: e
            .missing_answers
            .iter()
            .map(|f| f.label(l.code()))
            .collect(),
        answers,
        follow_ups: Vec::new(),
    }
}

#[derive(Template)]
#[template(path = "participant.html")]
struct ShowPage {
    c: Chrome,
    d: ParticipantDetail,
    identity: String,
    enrolments: Vec<EnrolmentCard>,
    can_write: bool,
    can_assess: bool,
    assessment_count: usize,
    assessment_list: Vec<AssessmentLine>,
    distances: Vec<DistanceTable>,
    plan: Vec<PlanRow>,
    can_plan: bool,
    /// (id, kind, workplace, status, offered on)
    placements: Vec<(uuid::Uuid, String, String, String, String)>,
    /// Whether a job profile exists, and the best openings for it.
    has_job_profile: bool,
    matches: Vec<stegvis_app::matching::OpeningMatch>,
    /// Consents, when the actor may read them, and whether they may give and revoke them.
    consents: Option<Vec<super::consents::ConsentLine>>,
    can_consent: bool,
    /// The participant themselves, reading their own page.
    own: bool,
    /// The participant or the auditor: the access log is theirs to read.
    show_log: bool,
    /// The data protection officer: the register extract and the correction form.
    answers_rights: bool,
    /// Referrals, when the actor may read them: (sent, to, reason, status).
    referrals: Option<Vec<(String, String, String, String)>>,
    /// Case conferences, when the actor may read them.
    conferences: Option<Vec<stegvis_app::conferences::ConferenceView>>,
    /// Which sections the actor may read at all (a partner sees what a consent covers): a
    /// section left out says nothing, where an empty one would say "none".
    sees_plan: bool,
    sees_placements: bool,
    sees_assessments: bool,
    /// The participant's own account, for the staff who may open or close it.
    account: Option<stegvis_app::accounts::ParticipantAccountView>,
    account_email: String,
    account_error: Option<String>,
    errors: Vec<crate::forms::ErrorView>,
}

/// One assessment as the participant page lists it.
pub struct AssessmentLine {
    pub id: uuid::Uuid,
    pub date: String,
    pub rater: String,
    pub answered: usize,
    pub total: usize,
    /// The organisations that rated it, joined.
    pub by: String,
    /// A staff assessment with questions left can be completed by another part.
    pub can_add_part: bool,
}

fn assessment_lines(
    view: &stegvis_app::assessments::AssessmentsView,
    can_assess: bool,
    org_id: uuid::Uuid,
    l: Lang,
) -> Vec<AssessmentLine> {
    let total = stegvis_domain::assessment::instruments::work_readiness()
        .domains
        .iter()
        .map(|d| d.items.len())
        .sum();
    view.assessments
        .iter()
        .rev()
        .map(|a| AssessmentLine {
            id: a.id,
            date: a.assessed_on.to_string(),
            rater: if a.rater == "self" {
                l.t("Självskattning", "Self-rating")
            } else {
                l.t("Personalens bedömning", "Staff assessment")
            }
            .to_owned(),
            answered: a.scores.len(),
            total,
            by: a
                .contributors
                .iter()
                .map(|c| c.organisation.clone())
                .collect::<Vec<_>>()
                .join(", "),
            can_add_part: (can_assess || a.opened_to.contains(&org_id))
                && a.rater == "staff"
                && a.scores.len() < total,
        })
        .collect()
}

/// A plan step as the participant page lists it.
pub struct PlanRow {
    pub id: uuid::Uuid,
    pub changes: i64,
    pub goal: String,
    pub step: String,
    pub owner: String,
    pub due: String,
    pub status: String,
    pub words: String,
}

/// Distance travelled as a table: caption, rows (domain, change, items compared), overall.
pub struct DistanceTable {
    pub caption: String,
    pub rows: Vec<(String, String, u32)>,
    pub overall: String,
}

fn distance_tables(
    view: &stegvis_app::assessments::AssessmentsView,
    l: Lang,
) -> Vec<DistanceTable> {
    let not_comparable = || l.t("kan inte jämföras", "not comparable").to_owned();
    view.distances
        .iter()
        .map(|d| {
            let who = if d.rater == "self" {
                l.t("självskattning", "self-rating")
            } else {
                l.t("personalens bedömning", "staff assessment")
            };
            DistanceTable {
                caption: format!(
                    "{} ({who}), {} – {}",
                    l.t("Stegförflyttning", "Distance travelled"),
                    d.from,
                    d.to
                ),
                rows: d
                    .domains
                    .iter()
                    .map(|x| {
                        let label = if l == Lang::En {
                            &x.label_en
                        } else {
                            &x.label_sv
                        };
                        let change = if l == Lang::En {
                            &x.change_en
                        } else {
                            &x.change_sv
                        };
                        (
                            label.clone(),
                            change.clone().unwrap_or_else(not_comparable),
                            x.items_compared,
                        )
                    })
                    .collect(),
                overall: (if l == Lang::En {
                    &d.overall_en
                } else {
                    &d.overall_sv
                })
                .clone()
                .unwrap_or_else(not_comparable),
            }
        })
        .collect()
}

pub async fn show(State(app): State<App>, v: Viewer, Id(id): Id) -> PageResult {
    if let Some(r) = super::to_portal(&v.actor, id, "/me") {
        return Ok(r);
    }
    show_page(&app, &v, id, String::new(), &[], StatusCode::OK).await
}

/// The participant page; `account_email` and `errors` are the account form's, as typed.
pub(super) async fn show_page(
    app: &App,
    v: &Viewer,
    id: uuid::Uuid,
    account_email: String,
    errors: &[stegvis_app::FieldError],
    status: StatusCode,
) -> PageResult {
    let actor = &v.actor;
    let d = app.participant(actor, id).await?;
    let l = v.lang;
    let identity = match (
        &d.participant.identity_number,
        d.participant.identity_mode.as_str(),
    ) {
        (Some(n), _) => n.clone(),
        (None, "protected") => l.t("Skyddad identitet", "Protected identity").to_owned(),
        _ => l.t("Saknar personnummer", "No identity number").to_owned(),
    };
    // Sections the actor may not read are left out without asking (and without
    // filling the participant's access log with refusals).
    let sections = [
        RecordKind::FollowUp,
        RecordKind::Plan,
        RecordKind::Assessment,
        RecordKind::Placement,
        RecordKind::Consent,
        RecordKind::Referral,
        RecordKind::Conference,
    ];
    // What the actor may do here, decided by the gate in one go: the readable sections, and
    // the writes the page offers.
    let asks: Vec<(RecordKind, Action)> = sections
        .iter()
        .map(|k| (*k, Action::Read))
        .chain(
            [
                RecordKind::Enrolment,
                RecordKind::Assessment,
                RecordKind::Plan,
                RecordKind::Consent,
            ]
            .map(|k| (k, Action::Write)),
        )
        .chain([
            (RecordKind::AuditTrail, Action::Read),
            (RecordKind::Participant, Action::Write),
        ])
        .collect();
    let permitted = app
        .permitted(actor, id, d.participant.org_id, &asks)
        .await?;
    let permits = |k: RecordKind, a: Action| permitted.contains(&(k, a));
    let may = |k: RecordKind| permits(k, Action::Read);
    let mut enrolments: Vec<EnrolmentCard> = d.enrolments.iter().map(|e| card(e, l)).collect();
    // Follow-ups are their own record kind: read (and audited) only where allowed.
    let follow_ups = match if may(RecordKind::FollowUp) {
        app.follow_ups_of(actor, id).await
    } else {
        Err(AppError::NotFound)
    } {
        Ok(f) => f,
        Err(AppError::NotFound | AppError::Forbidden) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    for f in follow_ups {
        let kind = stegvis_domain::follow_up::FollowUpKind::from_code(&f.kind)
            .map_or(f.kind.clone(), |k| k.label(l.code()).to_owned());
        let state = match (f.done_on, f.overdue) {
            (Some(done), _) => format!("{} {done}", l.t("gjord", "done")),
            (None, true) => {
                format!("{} {}", l.t("försenad, senast", "overdue, due"), f.due_on)
            }
            (None, false) => format!("{} {}", l.t("senast", "due"), f.due_on),
        };
        if let Some(card) = enrolments.iter_mut().find(|c| c.id == f.enrolment_id) {
            card.follow_ups.push(format!("{kind}: {state}"));
        }
    }
    let can_write = permits(RecordKind::Enrolment, Action::Write);
    let can_assess = permits(RecordKind::Assessment, Action::Write);
    // Assessments are their own record kind: read (and audited) only where allowed.
    let mut sees_plan = true;
    let steps = match if may(RecordKind::Plan) {
        app.plan(actor, id).await
    } else {
        Err(AppError::NotFound)
    } {
        Ok(p) => p,
        Err(AppError::NotFound | AppError::Forbidden) => {
            sees_plan = false;
            Vec::new()
        }
        Err(e) => return Err(e.into()),
    };
    let code = l.code();
    let plan = steps
        .into_iter()
        .map(|s| PlanRow {
            id: s.id,
            changes: s.changes,
            owner: stegvis_domain::plan::StepOwner::from_code(&s.owner)
                .map_or(s.owner.clone(), |o| o.label(code).to_owned()),
            status: stegvis_domain::plan::StepStatus::from_code(&s.status)
                .map_or(s.status.clone(), |o| o.label(code).to_owned()),
            due: s.due_on.map(|d| d.to_string()).unwrap_or_default(),
            words: s.participant_words.unwrap_or_default(),
            goal: s.goal,
            step: s.step,
        })
        .collect();
    let can_plan = permits(RecordKind::Plan, Action::Write);
    // Not allowed: the section stays empty; any other failure is shown, never hidden.
    let assessed = match if may(RecordKind::Assessment) {
        app.assessments(actor, id).await
    } else {
        Err(AppError::NotFound)
    } {
        Ok(a) => Some(a),
        Err(AppError::NotFound | AppError::Forbidden) => None,
        Err(e) => return Err(e.into()),
    };
    let sees_assessments = assessed.is_some();
    let assessment_count = assessed.as_ref().map_or(0, |a| a.assessments.len());
    let distances = assessed
        .as_ref()
        .map(|a| distance_tables(a, l))
        .unwrap_or_default();
    let mut sees_placements = true;
    let placements = match if may(RecordKind::Placement) {
        app.placements_of(actor, id).await
    } else {
        Err(AppError::NotFound)
    } {
        Ok(list) => list
            .into_iter()
            .map(|p| {
                (
                    p.id,
                    super::placements::kind_label(&p.kind, l),
                    p.workplace_name,
                    super::placements::status_label(&p.status, l),
                    p.offered_on.to_string(),
                )
            })
            .collect(),
        Err(AppError::NotFound | AppError::Forbidden) => {
            sees_placements = false;
            Vec::new()
        }
        Err(e) => return Err(e.into()),
    };
    let (has_job_profile, matches) = if can_write {
        let m = app.matches(actor, id, 5).await?;
        (m.is_some(), m.unwrap_or_default())
    } else {
        (false, Vec::new())
    };
    let assessment_list = assessed
        .as_ref()
        .map(|a| assessment_lines(a, can_assess, actor.org_id, l))
        .unwrap_or_default();
    // Organisation names, once, for the consents and referrals they name.
    let names: std::collections::HashMap<uuid::Uuid, String> =
        if may(RecordKind::Consent) || may(RecordKind::Referral) {
            let orgs = app.organisations(actor).await?;
            orgs.into_iter().map(|o| (o.id, o.name)).collect()
        } else {
            Default::default()
        };
    let consents = match if may(RecordKind::Consent) {
        app.consents(actor, id).await
    } else {
        Err(AppError::NotFound)
    } {
        Ok(list) => Some(super::consents::lines(&list, &names, l)),
        Err(AppError::NotFound | AppError::Forbidden) => None,
        Err(e) => return Err(e.into()),
    };
    let referrals = match if may(RecordKind::Referral) {
        app.referrals_of(actor, id).await
    } else {
        Err(AppError::NotFound)
    } {
        Ok(list) => Some(
            list.iter()
                .map(|r| {
                    (
                        crate::local_time::stockholm(r.sent_at),
                        names.get(&r.to_org_id).cloned().unwrap_or_default(),
                        r.reason.clone(),
                        super::referrals::status_label(&r.status, l),
                    )
                })
                .collect(),
        ),
        Err(AppError::NotFound | AppError::Forbidden) => None,
        Err(e) => return Err(e.into()),
    };
    let conferences = match if may(RecordKind::Conference) {
        app.conferences(actor, id).await
    } else {
        Err(AppError::NotFound)
    } {
        Ok(list) => Some(list),
        Err(AppError::NotFound | AppError::Forbidden) => None,
        Err(e) => return Err(e.into()),
    };
    let own = actor.participant_id == Some(id);
    let can_consent = permits(RecordKind::Consent, Action::Write);
    let show_log = permits(RecordKind::AuditTrail, Action::Read);
    // The participant's own account: for the staff who may write their record.
    let account = if permits(RecordKind::Participant, Action::Write) && !own {
        Some(app.participant_account(actor, id).await?)
    } else {
        None
    };
    let account_error = crate::forms::error_for(errors, "email", v.lang)
        .or_else(|| crate::forms::error_for(errors, "account_id", v.lang));
    let answers_rights =
        super::register_extract::answers_rights(actor, d.participant.org_id, Action::Read);
    let page = ShowPage {
        c: v.chrome("participants"),
        d,
        identity,
        enrolments,
        can_write,
        can_assess,
        assessment_count,
        assessment_list,
        distances,
        plan,
        can_plan,
        placements,
        has_job_profile,
        matches,
        consents,
        can_consent,
        own,
        show_log,
        answers_rights,
        referrals,
        conferences,
        sees_plan,
        sees_placements,
        sees_assessments,
        account,
        account_email,
        account_error,
        errors: crate::forms::error_views(errors, v.lang),
    };
    Ok((status, render(&page)).into_response())
}

/// A baseline as the form's raw input, for editing stored answers.
pub(super) fn baseline_input(e: &EnrolmentView) -> BaselineInput {
    let b = &e.baseline;
    let a = |f: BaselineField| b.answer(f).map(|a| a.code().to_owned());
    use BaselineField as F;
    BaselineInput {
        labour_status: b.labour_status.map(|s| s.code().to_owned()),
        long_term_unemployed: a(F::LongTermUnemployed),
        months_without_work: b.months_without_work.map(|m| m.to_string()),
        in_education: a(F::InEducation),
        isced_level: b.isced_level.map(|m| m.to_string()),
        born_abroad: a(F::BornAbroad),
        foreign_background: a(F::ForeignBackground),
        disability: a(F::Disability),
        homeless: a(F::Homeless),
        jobless_household: a(F::JoblessHousehold),
        dependent_children: a(F::DependentChildren),
        single_adult_with_children: a(F::SingleAdultWithChildren),
        social_assistance: a(F::SocialAssistance),
        sick_leave: a(F::SickLeave),
        activity_compensation: a(F::ActivityCompensation),
        registered_at_employment_service: a(F::RegisteredAtEmploymentService),
    }
}
