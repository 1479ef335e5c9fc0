//! Creating and editing a project (its facts, phase, organisations, municipalities and target
//! group), and keeping its goals (create, edit with a preview of today's value, retire).

use super::{Chrome, Id, PageResult, Viewer, after_post, render};
use crate::Lang;
use crate::forms::{ErrorView, OptionView, Posted, TextField, anchor, error_for, error_views};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use stegvis_app::goals::{
    DefinitionInput, FilterInput, GoalDetail, GoalInput, GoalPreview, GoalPreviewInput,
    PopulationInput, RetireInput,
};
use stegvis_app::policy::{self, Action, Function, Request};
use stegvis_app::projects::{ProjectInput, ProjectView, TargetGroupInput};
use stegvis_app::{App, AppError, FieldError, Text};
use stegvis_domain::eligibility::{ANSWER_CRITERIA, Requirement};
use stegvis_domain::enrolment::ExitStatus;
use stegvis_domain::participant::Gender;
use stegvis_domain::placement::PlacementKind;
use stegvis_domain::report::TargetGroup;
use stegvis_domain::{LabourStatus, ProjectPhase};
use uuid::Uuid;

/// A radio or checkbox group with its error (`kind`: `radio` or `checkbox`).
pub struct Group {
    pub kind: &'static str,
    pub name: String,
    pub id: String,
    pub legend: String,
    pub hint: String,
    pub options: Vec<OptionView>,
    pub error: Option<String>,
}

impl Group {
    #[allow(clippy::too_many_arguments)]
    fn new(
        kind: &'static str,
        name: &str,
        legend: &str,
        hint: &str,
        items: Vec<(String, String)>,
        checked: &[String],
        errors: &[FieldError],
        lang: Lang,
    ) -> Self {
        Group {
            kind,
            name: name.to_owned(),
            id: anchor(name),
            legend: legend.to_owned(),
            hint: hint.to_owned(),
            options: items
                .into_iter()
                .map(|(value, label)| OptionView {
                    checked: checked.contains(&value),
                    value,
                    label,
                })
                .collect(),
            error: error_for(errors, name, lang),
        }
    }
}

fn codes<T: Copy>(
    all: &[T],
    code: fn(&T) -> &'static str,
    label: fn(&T, &str) -> &'static str,
    l: Lang,
) -> Vec<(String, String)> {
    all.iter()
        .map(|x| (code(x).to_owned(), label(x, l.code()).to_owned()))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Projects.

#[derive(Template)]
#[template(path = "project_form.html")]
struct ProjectFormPage {
    c: Chrome,
    errors: Vec<ErrorView>,
    heading: String,
    action: String,
    back: String,
    submit: String,
    version: Option<i64>,
    fields: Vec<TextField>,
    summary: String,
    summary_error: Option<String>,
    phase: Group,
    partners: Group,
    cofinanciers: Group,
    municipalities: TextField,
    tg_numbers: Vec<TextField>,
    labour: Group,
    requirements: Vec<Group>,
    exceptions: Group,
    /// Editing: the earlier versions, newest first.
    history: Vec<VersionRow>,
}

/// An earlier version as the history table shows it.
pub struct VersionRow {
    changed_at: String,
    changed_by: String,
    what: String,
}

/// The project form as posted: every field as typed.
#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
pub struct ProjectForm {
    number: String,
    name: String,
    region: String,
    programme_area: String,
    specific_objective: String,
    intervention_type: String,
    union_cofinancing_rate_pct: String,
    period_start: String,
    period_end: String,
    total_budget: String,
    esf_support: String,
    planned_participants: String,
    contact_name: String,
    contact_email: String,
    contact_phone: String,
    postcode: String,
    summary: String,
    phase: String,
    partner_ids: Vec<String>,
    cofinancier_ids: Vec<String>,
    municipalities: String,
    version: Option<i64>,
}

impl ProjectForm {
    fn of(p: &ProjectView) -> Self {
        let f = &p.facts;
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        ProjectForm {
            number: opt(&f.number),
            name: f.name.clone(),
            region: f.region.clone(),
            programme_area: opt(&f.programme_area),
            specific_objective: opt(&f.specific_objective),
            intervention_type: opt(&f.intervention_type),
            union_cofinancing_rate_pct: f
                .union_cofinancing_rate_pct
                .map(|n| n.to_string())
                .unwrap_or_default(),
            period_start: f.period_start.to_string(),
            period_end: f.period_end.to_string(),
            total_budget: f.total_budget.0.to_string(),
            esf_support: f.esf_support.0.to_string(),
            planned_participants: f
                .planned_participants
                .map(|n| n.to_string())
                .unwrap_or_default(),
            contact_name: opt(&f.contact_name),
            contact_email: opt(&f.contact_email),
            contact_phone: opt(&f.contact_phone),
            postcode: opt(&f.postcode),
            summary: f.summary.clone(),
            phase: p.phase.code().to_owned(),
            partner_ids: p.partner_ids.iter().map(Uuid::to_string).collect(),
            cofinancier_ids: p.cofinancier_ids.iter().map(Uuid::to_string).collect(),
            municipalities: p.municipalities.join(", "),
            version: Some(p.version),
        }
    }

    fn input(&self, target_group: TargetGroupInput) -> ProjectInput {
        let s = |v: &String| Some(v.clone());
        ProjectInput {
            number: s(&self.number),
            name: s(&self.name),
            region: s(&self.region),
            programme_area: s(&self.programme_area),
            specific_objective: s(&self.specific_objective),
            intervention_type: s(&self.intervention_type),
            union_cofinancing_rate_pct: s(&self.union_cofinancing_rate_pct),
            period_start: s(&self.period_start),
            period_end: s(&self.period_end),
            total_budget: s(&self.total_budget),
            esf_support: s(&self.esf_support),
            planned_participants: s(&self.planned_participants),
            contact_name: s(&self.contact_name),
            contact_email: s(&self.contact_email),
            contact_phone: s(&self.contact_phone),
            postcode: s(&self.postcode),
            summary: s(&self.summary),
            phase: s(&self.phase),
            partner_ids: Some(self.partner_ids.clone()),
            cofinancier_ids: Some(self.cofinancier_ids.clone()),
            municipalities: Some(vec![self.municipalities.clone()]),
            target_group: Some(target_group),
            version: self.version,
        }
    }
}

/// Editing: the project; creating: none.
#[allow(clippy::too_many_arguments)]
async fn project_page(
    app: &App,
    v: &Viewer,
    editing: Option<&ProjectView>,
    form: &ProjectForm,
    tg: &TargetGroupInput,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let l = v.lang;
    let orgs = app.organisations(&v.actor).await?;
    let own = editing.map_or(v.actor.org_id, |p| p.owner_org_id);
    let org_items: Vec<(String, String)> = orgs
        .iter()
        .filter(|o| o.id != own)
        .map(|o| (o.id.to_string(), o.name.clone()))
        .collect();
    let t = |name: &str, label: &str, hint: &str, kind: &'static str, value: &String| {
        TextField::new(name, label, hint, kind, value.clone(), errors, l)
    };
    let fields = vec![
        t("number", l.t("Projektnummer (ärendenummer)", "Project number (case number)"), l.t("Som i finansiärens projektbank: år, snedstreck och fem siffror, till exempel 2019/00383. Lämna tomt om det inte finns ännu.", "As in the funder's project bank: year, slash and five digits, for example 2019/00383. Leave empty if there is none yet."), "text", &form.number),
        t("name", l.t("Projektets namn", "Project name"), "", "text", &form.name),
        t("region", l.t("Region", "Region"), l.t("Till exempel Sydsverige.", "For example Sydsverige."), "text", &form.region),
        t("programme_area", l.t("Programområde", "Programme area"), l.t("Till exempel 2.", "For example 2."), "text", &form.programme_area),
        t("specific_objective", l.t("Specifikt mål", "Specific objective"), l.t("Till exempel 2.1.", "For example 2.1."), "text", &form.specific_objective),
        t("intervention_type", l.t("Interventionstyp", "Intervention type"), l.t("Till exempel 102.", "For example 102."), "text", &form.intervention_type),
        t("union_cofinancing_rate_pct", l.t("Unionens medfinansieringsgrad (%)", "Union co-financing rate (%)"), l.t("Ett heltal 0–100, till exempel 50.", "A whole number 0–100, for example 50."), "text", &form.union_cofinancing_rate_pct),
        t("period_start", l.t("Projektperiodens början", "Start of the project period"), l.t("Till exempel 2020-04-01.", "For example 2020-04-01."), "date", &form.period_start),
        t("period_end", l.t("Projektperiodens slut", "End of the project period"), l.t("Till exempel 2022-03-31.", "For example 2022-03-31."), "date", &form.period_end),
        t("total_budget", l.t("Total projektbudget (kr)", "Total project budget (SEK)"), l.t("Hela kronor, till exempel 9 249 253.", "Whole kronor, for example 9 249 253."), "text", &form.total_budget),
        t("esf_support", l.t("Beviljat ESF-stöd (kr)", "Granted ESF support (SEK)"), l.t("Hela kronor, högst den totala budgeten.", "Whole kronor, at most the total budget."), "text", &form.esf_support),
        t("planned_participants", l.t("Planerat antal deltagare", "Planned participants"), "", "text", &form.planned_participants),
        t("contact_name", l.t("Kontaktperson", "Contact person"), "", "text", &form.contact_name),
        t("contact_email", l.t("Kontaktpersonens e-post", "Contact e-mail"), "", "email", &form.contact_email),
        t("contact_phone", l.t("Kontaktpersonens telefonnummer", "Contact phone"), "", "text", &form.contact_phone),
        t("postcode", l.t("Stödmottagarens postnummer", "Beneficiary's postcode"), l.t("Fem siffror, till exempel 28180.", "Five digits, for example 28180."), "text", &form.postcode),
    ];
    let phase = Group::new(
        "radio",
        "phase",
        l.t("Fas", "Phase"),
        l.t(
            "Ett nytt projekt börjar i mobiliseringsfasen.",
            "A new project starts in the mobilisation phase.",
        ),
        codes(ProjectPhase::ALL, |p| p.code(), |p, c| p.label(c), l),
        std::slice::from_ref(&form.phase),
        errors,
        l,
    );
    let partners = Group::new(
        "checkbox",
        "partner_ids",
        l.t("Samarbetspartner", "Partners"),
        "",
        org_items.clone(),
        &form.partner_ids,
        errors,
        l,
    );
    let cofinanciers = Group::new(
        "checkbox",
        "cofinancier_ids",
        l.t("Medfinansiärer", "Co-financiers"),
        "",
        org_items,
        &form.cofinancier_ids,
        errors,
        l,
    );
    let municipalities = t(
        "municipalities",
        l.t("Kommuner", "Municipalities"),
        l.t("Kommunernas namn eller koder, åtskilda med kommatecken, till exempel Hässleholm, Kristianstad.", "The municipalities' names or codes, separated by commas, for example Hässleholm, Kristianstad."),
        "text",
        &form.municipalities,
    );
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let tg_numbers = vec![
        t(
            "target_group.min_age",
            l.t("Lägsta ålder vid inskrivning", "Lowest age at enrolment"),
            l.t("Lämna tomt om ingen gräns.", "Leave empty for no limit."),
            "text",
            &opt(&tg.min_age),
        ),
        t(
            "target_group.max_age",
            l.t("Högsta ålder vid inskrivning", "Highest age at enrolment"),
            l.t("Lämna tomt om ingen gräns.", "Leave empty for no limit."),
            "text",
            &opt(&tg.max_age),
        ),
        t(
            "target_group.min_months_without_work",
            l.t(
                "Minst antal månader utan arbete",
                "At least this many months without work",
            ),
            l.t("Lämna tomt om ingen gräns.", "Leave empty for no limit."),
            "text",
            &opt(&tg.min_months_without_work),
        ),
    ];
    let labour = Group::new(
        "checkbox",
        "target_group.labour_statuses",
        l.t("Ställning på arbetsmarknaden", "Labour-market status"),
        l.t(
            "Kryssa inget om alla tas emot.",
            "Tick none if everyone is taken.",
        ),
        codes(LabourStatus::ALL, |s| s.code(), |s, c| s.label(c), l),
        &tg.labour_statuses,
        errors,
        l,
    );
    let requirement_items = codes(Requirement::ALL, |r| r.code(), |r, c| r.label(c), l);
    let requirements = ANSWER_CRITERIA
        .iter()
        .map(|&field| {
            let name = format!("target_group.{}", field.code());
            let current = match field {
                stegvis_domain::BaselineField::SocialAssistance => &tg.social_assistance,
                stegvis_domain::BaselineField::SickLeave => &tg.sick_leave,
                stegvis_domain::BaselineField::ActivityCompensation => &tg.activity_compensation,
                stegvis_domain::BaselineField::Disability => &tg.disability,
                stegvis_domain::BaselineField::ForeignBackground => &tg.foreign_background,
                _ => &tg.registered_at_employment_service,
            };
            Group::new(
                "radio",
                &name,
                field.label(l.code()),
                "",
                requirement_items.clone(),
                &[current.clone().unwrap_or_else(|| "any".into())],
                errors,
                l,
            )
        })
        .collect();
    let allowed: Vec<String> = if tg.exceptions_allowed == Some(true) {
        vec!["yes".to_owned()]
    } else {
        Vec::new()
    };
    let exceptions = Group::new(
        "checkbox",
        "target_group.exceptions_allowed",
        l.t("Undantag", "Exceptions"),
        l.t("Den som inte hör till målgruppen kan då skrivas in ändå, med ett skriftligt skäl som sparas.", "Someone outside the target group can then be enrolled anyway, with a written reason that is kept."),
        vec![("yes".into(), l.t("Projektet tar emot undantag från målgruppen", "The project allows exceptions from the target group").into())],
        &allowed,
        errors,
        l,
    );
    let (heading, action, back, submit) = match editing {
        Some(p) => (
            format!("{} {}", l.t("Ändra", "Edit"), p.facts.name),
            format!("/projects/{}/edit", p.id),
            format!("/projects/{}", p.id),
            l.t("Spara ändringarna", "Save the changes").to_owned(),
        ),
        None => (
            l.t("Skapa ett projekt", "Create a project").to_owned(),
            "/projects".to_owned(),
            "/projects".to_owned(),
            l.t("Skapa projektet", "Create the project").to_owned(),
        ),
    };
    let page = ProjectFormPage {
        c: v.chrome("projects"),
        errors: error_views(errors, l),
        heading,
        action,
        back,
        submit,
        version: editing.map(|_| form.version.unwrap_or_default()),
        fields,
        summary: form.summary.clone(),
        summary_error: error_for(errors, "summary", l),
        phase,
        partners,
        cofinanciers,
        municipalities,
        tg_numbers,
        labour,
        requirements,
        exceptions,
        history: match editing {
            Some(p) => project_versions(app, v, p.id).await?,
            None => Vec::new(),
        },
    };
    Ok((status, render(&page)).into_response())
}

async fn project_versions(app: &App, v: &Viewer, id: Uuid) -> Result<Vec<VersionRow>, AppError> {
    let l = v.lang;
    Ok(app
        .project_history(&v.actor, id)
        .await?
        .into_iter()
        .map(|h| {
            let f = &h.previous.facts;
            VersionRow {
                changed_at: stegvis_app::local::swedish_time(h.changed_at),
                changed_by: h.changed_by.unwrap_or_default(),
                what: format!(
                    "{} {}, {}: {}, {} {}–{}, {} {} / {}, {}: {}",
                    f.number.clone().unwrap_or_default(),
                    f.name,
                    l.t("fas", "phase"),
                    h.previous.phase.label(l.code()),
                    l.t("period", "period"),
                    f.period_start,
                    f.period_end,
                    l.t("budget och ESF-stöd", "budget and ESF support"),
                    f.total_budget.display_sv(),
                    f.esf_support.display_sv(),
                    l.t("kommuner", "municipalities"),
                    h.previous.municipalities.join(", "),
                ),
            }
        })
        .collect())
}

fn creates_projects(v: &Viewer) -> bool {
    policy::allows(&Request::Function {
        actor: &v.actor,
        function: Function::Projects,
        action: Action::Write,
        owner: None,
    })
}

/// `GET /projects/new`
pub async fn new_form(State(app): State<App>, v: Viewer) -> PageResult {
    if !creates_projects(&v) {
        return Err(AppError::Forbidden.into());
    }
    let form = ProjectForm {
        phase: ProjectPhase::Mobilisation.code().into(),
        ..Default::default()
    };
    project_page(
        &app,
        &v,
        None,
        &form,
        &TargetGroupInput::default(),
        &[],
        StatusCode::OK,
    )
    .await
}

/// `POST /projects`; the target group comes as `target_group.<field>`.
pub async fn create(State(app): State<App>, v: Viewer, posted: Posted) -> PageResult {
    let form: ProjectForm = posted.parse()?;
    let tg: TargetGroupInput = posted.nested("target_group")?;
    let result = app.create_project(&v.actor, &form.input(tg.clone())).await;
    let again = async |errors: Vec<FieldError>, status| {
        project_page(&app, &v, None, &form, &tg, &errors, status).await
    };
    after_post(result, |p| format!("/projects/{}", p.id), None, again).await
}

/// `GET /projects/{id}/edit`
pub async fn edit_form(State(app): State<App>, v: Viewer, Id(id): Id) -> PageResult {
    let p = app.project(&v.actor, id).await?;
    if !App::manages_project(&v.actor, &p) {
        return Err(AppError::NotFound.into());
    }
    let tg = TargetGroupInput::of(&p.target_group);
    project_page(
        &app,
        &v,
        Some(&p),
        &ProjectForm::of(&p),
        &tg,
        &[],
        StatusCode::OK,
    )
    .await
}

/// `POST /projects/{id}/edit`
pub async fn update(State(app): State<App>, v: Viewer, Id(id): Id, posted: Posted) -> PageResult {
    let form: ProjectForm = posted.parse()?;
    let tg: TargetGroupInput = posted.nested("target_group")?;
    let result = app
        .update_project(&v.actor, id, &form.input(tg.clone()))
        .await;
    let again = async |errors: Vec<FieldError>, status| {
        let p = app.project(&v.actor, id).await?;
        // After a conflict the form carries the version the project has now, so that saving
        // again (having read the message) can succeed.
        let mut form = form.clone();
        if status == StatusCode::CONFLICT {
            form.version = Some(p.version);
        }
        project_page(&app, &v, Some(&p), &form, &tg, &errors, status).await
    };
    after_post(
        result,
        |p| format!("/projects/{}", p.id),
        Some("name"),
        again,
    )
    .await
}

/// The target group in plain words, one rule a line (none: everyone).
pub fn target_group_lines(p: &ProjectView, l: Lang) -> Vec<String> {
    let e = &p.target_group;
    let mut out = Vec::new();
    match (e.min_age, e.max_age) {
        (Some(a), Some(b)) => out.push(format!(
            "{} {a}–{b} {}",
            l.t("Ålder", "Age"),
            l.t("år vid inskrivningen", "at enrolment")
        )),
        (Some(a), None) => out.push(format!(
            "{} {a} {}",
            l.t("Ålder minst", "Age at least"),
            l.t("år vid inskrivningen", "at enrolment")
        )),
        (None, Some(b)) => out.push(format!(
            "{} {b} {}",
            l.t("Ålder högst", "Age at most"),
            l.t("år vid inskrivningen", "at enrolment")
        )),
        (None, None) => {}
    }
    if !e.labour_statuses.is_empty() {
        let list: Vec<&str> = e
            .labour_statuses
            .iter()
            .map(|s| s.label(l.code()))
            .collect();
        out.push(format!(
            "{}: {}",
            l.t("Ställning på arbetsmarknaden", "Labour-market status"),
            list.join(", ")
        ));
    }
    if let Some(m) = e.min_months_without_work {
        out.push(format!(
            "{} {m}",
            l.t(
                "Månader utan arbete, minst",
                "Months without work, at least"
            )
        ));
    }
    for &field in ANSWER_CRITERIA {
        let r = e.requirement(field);
        if r != Requirement::Any {
            out.push(format!("{}: {}", field.label(l.code()), r.label(l.code())));
        }
    }
    if e.exceptions_allowed {
        out.push(
            l.t(
                "Undantag tas emot med ett skriftligt skäl.",
                "Exceptions are allowed with a written reason.",
            )
            .to_owned(),
        );
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Goals.

#[derive(Template)]
#[template(path = "goal_list.html")]
struct GoalListPage {
    c: Chrome,
    project_id: Uuid,
    project_name: String,
    goals: Vec<GoalRowView>,
}

struct GoalRowView {
    id: Uuid,
    name: String,
    what: String,
    deadline: String,
    retired: bool,
    version: i64,
}

/// A goal's definition in a line.
fn describe(d: &DefinitionInput, l: Lang) -> String {
    fn who(p: &PopulationInput, l: Lang) -> String {
        let kinds = |k: &[PlacementKind]| {
            k.iter()
                .map(|x| x.label(l.code()).to_lowercase())
                .collect::<Vec<_>>()
                .join(", ")
        };
        match p {
            PopulationInput::Enrolled => l.t("inskrivna", "enrolled").into(),
            PopulationInput::Offered { kinds: k } if k.is_empty() => {
                l.t("erbjudna en plats", "offered a placement").into()
            }
            PopulationInput::Offered { kinds: k } => {
                format!("{} {}", l.t("erbjudna", "offered"), kinds(k))
            }
            PopulationInput::Started { kinds: k } if k.is_empty() => {
                l.t("påbörjat en plats", "started a placement").into()
            }
            PopulationInput::Started { kinds: k } => {
                format!("{} {}", l.t("påbörjat", "started"), kinds(k))
            }
            PopulationInput::Left { .. } => l.t("avslutade", "left").into(),
            PopulationInput::EmployedAfterSixMonths => l
                .t("i arbete sex månader efter", "employed six months after")
                .into(),
            PopulationInput::AttendedHours { at_least } => format!(
                "{} {at_least} {}",
                l.t("minst", "at least"),
                l.t("timmar", "hours")
            ),
        }
    }
    match d {
        DefinitionInput::Count { who: w, target, .. } => {
            format!("{} {target} {}", l.t("Minst", "At least"), who(w, l))
        }
        DefinitionInput::Share {
            who: w,
            of,
            percent,
            ..
        } => format!(
            "{} {percent} % {} {} {}",
            l.t("Minst", "At least"),
            l.t("av", "of"),
            who(of, l),
            who(w, l)
        ),
    }
}

/// Whether the actor keeps the project's goals.
fn keeps_goals(v: &Viewer, p: &ProjectView) -> bool {
    policy::allows(&Request::Function {
        actor: &v.actor,
        function: Function::Goals,
        action: Action::Write,
        owner: Some(p.owner_org_id),
    })
}

fn may_preview(v: &Viewer, p: &ProjectView) -> bool {
    policy::allows(&Request::Function {
        actor: &v.actor,
        function: Function::ProjectReports,
        action: Action::Read,
        owner: Some(p.owner_org_id),
    })
}

/// `GET /projects/{id}/goals`
pub async fn goal_list(State(app): State<App>, v: Viewer, Id(id): Id) -> PageResult {
    let p = app.project(&v.actor, id).await?;
    let goals = app.goals(&v.actor, id).await?;
    let l = v.lang;
    let goals = goals
        .iter()
        .map(|g| GoalRowView {
            id: g.id,
            name: g.name.clone(),
            what: describe(&DefinitionInput::of(&g.definition), l),
            deadline: g.deadline.map(|d| d.to_string()).unwrap_or_default(),
            retired: g.retired_at.is_some(),
            version: g.version,
        })
        .collect();
    Ok(render(&GoalListPage {
        c: v.chrome("projects"),
        project_id: id,
        project_name: p.facts.name,
        goals,
    }))
}

#[derive(Template)]
#[template(path = "goal_form.html")]
struct GoalFormPage {
    c: Chrome,
    errors: Vec<ErrorView>,
    heading: String,
    action: String,
    back: String,
    version: Option<i64>,
    name: TextField,
    deadline: TextField,
    measure: Group,
    who: Group,
    who_kinds: Group,
    who_statuses: Group,
    who_hours: TextField,
    of: Group,
    of_kinds: Group,
    of_statuses: Group,
    of_hours: TextField,
    target: TextField,
    percent: TextField,
    genders: Group,
    min_age: TextField,
    max_age: TextField,
    target_group: Group,
    can_preview: bool,
    preview: Option<PreviewView>,
    /// Editing: the earlier versions, newest first.
    history: Vec<VersionRow>,
}

struct PreviewView {
    achieved: u64,
    base: u64,
    needed: u64,
    met: bool,
    progress_percent: u8,
}

impl From<GoalPreview> for PreviewView {
    fn from(p: GoalPreview) -> Self {
        PreviewView {
            achieved: p.achieved.total(),
            base: p.base.total(),
            needed: p.needed,
            met: p.met,
            progress_percent: p.progress_percent,
        }
    }
}

/// The goal form as posted. Fields whose errors the use case names by the definition's path
/// are posted under that name, so that each message lands at its field.
#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
pub struct GoalForm {
    name: String,
    deadline: String,
    /// `count` or `share`.
    measure: String,
    who: String,
    who_kinds: Vec<String>,
    who_statuses: Vec<String>,
    #[serde(rename = "definition.who.at_least")]
    who_hours: String,
    of: String,
    of_kinds: Vec<String>,
    of_statuses: Vec<String>,
    #[serde(rename = "definition.of.at_least")]
    of_hours: String,
    #[serde(rename = "definition.target")]
    target: String,
    #[serde(rename = "definition.percent")]
    percent: String,
    genders: Vec<String>,
    #[serde(rename = "definition.filter.min_age")]
    min_age: String,
    #[serde(rename = "definition.filter.max_age")]
    max_age: String,
    target_group: String,
    version: Option<i64>,
    /// `preview` or `save` (the button pressed).
    action: String,
}

const POPULATIONS: &[(&str, &str, &str)] = &[
    ("enrolled", "Alla inskrivna", "Everyone enrolled"),
    (
        "offered",
        "Erbjudna en plats (praktik, arbetsträning …)",
        "Offered a placement (work practice, work training …)",
    ),
    ("started", "Påbörjat en plats", "Started a placement"),
    ("left", "Avslutat deltagandet", "Left the project"),
    (
        "employed_after_six_months",
        "I arbete sex månader efter avslut",
        "Employed six months after leaving",
    ),
    (
        "attended_hours",
        "Deltagit minst ett antal timmar",
        "Attended at least a number of hours",
    ),
];

fn not_whole(field: &str) -> FieldError {
    FieldError::new(
        field,
        Text::new("Skriv ett heltal.", "Write a whole number."),
    )
}

fn number(field: &str, raw: &str, required: bool, errors: &mut Vec<FieldError>) -> Option<i64> {
    match crate::forms::whole_number(raw) {
        Ok(Some(n)) => Some(n),
        Ok(None) if !required => None,
        _ => {
            errors.push(not_whole(field));
            None
        }
    }
}

impl GoalForm {
    fn population(
        kind: &str,
        kinds: &[String],
        statuses: &[String],
        hours: &str,
        field: &str,
        errors: &mut Vec<FieldError>,
    ) -> PopulationInput {
        match kind {
            "offered" | "started" => {
                let kinds = kinds
                    .iter()
                    .filter_map(|k| PlacementKind::from_code(k).ok())
                    .collect();
                if kind == "offered" {
                    PopulationInput::Offered { kinds }
                } else {
                    PopulationInput::Started { kinds }
                }
            }
            "left" => PopulationInput::Left {
                statuses: statuses
                    .iter()
                    .filter_map(|s| ExitStatus::from_code(s).ok())
                    .collect(),
            },
            "employed_after_six_months" => PopulationInput::EmployedAfterSixMonths,
            "attended_hours" => PopulationInput::AttendedHours {
                at_least: number(&format!("{field}.at_least"), hours, true, errors).unwrap_or(1),
            },
            _ => PopulationInput::Enrolled,
        }
    }

    fn definition(&self, errors: &mut Vec<FieldError>) -> DefinitionInput {
        let filter = FilterInput {
            genders: self
                .genders
                .iter()
                .filter_map(|g| Gender::from_code(g).ok())
                .collect(),
            min_age: number("definition.filter.min_age", &self.min_age, false, errors),
            max_age: number("definition.filter.max_age", &self.max_age, false, errors),
            target_group: TargetGroup::from_code(self.target_group.trim()).ok(),
        };
        let who = Self::population(
            &self.who,
            &self.who_kinds,
            &self.who_statuses,
            &self.who_hours,
            "definition.who",
            errors,
        );
        if self.measure == "count" {
            DefinitionInput::Count {
                who,
                target: number("definition.target", &self.target, true, errors).unwrap_or(1),
                filter,
            }
        } else {
            DefinitionInput::Share {
                who,
                of: Self::population(
                    &self.of,
                    &self.of_kinds,
                    &self.of_statuses,
                    &self.of_hours,
                    "definition.of",
                    errors,
                ),
                percent: number("definition.percent", &self.percent, true, errors).unwrap_or(1),
                filter,
            }
        }
    }

    fn input(&self, errors: &mut Vec<FieldError>) -> GoalInput {
        GoalInput {
            name: self.name.clone(),
            definition: self.definition(errors),
            deadline: Some(self.deadline.clone()),
            version: self.version,
        }
    }

    fn of(g: &GoalDetail) -> Self {
        fn pop(p: &PopulationInput) -> (String, Vec<String>, Vec<String>, String) {
            match p {
                PopulationInput::Enrolled => ("enrolled".into(), vec![], vec![], String::new()),
                PopulationInput::Offered { kinds } => (
                    "offered".into(),
                    kinds.iter().map(|k| k.code().to_owned()).collect(),
                    vec![],
                    String::new(),
                ),
                PopulationInput::Started { kinds } => (
                    "started".into(),
                    kinds.iter().map(|k| k.code().to_owned()).collect(),
                    vec![],
                    String::new(),
                ),
                PopulationInput::Left { statuses } => (
                    "left".into(),
                    vec![],
                    statuses.iter().map(|s| s.code().to_owned()).collect(),
                    String::new(),
                ),
                PopulationInput::EmployedAfterSixMonths => (
                    "employed_after_six_months".into(),
                    vec![],
                    vec![],
                    String::new(),
                ),
                PopulationInput::AttendedHours { at_least } => (
                    "attended_hours".into(),
                    vec![],
                    vec![],
                    at_least.to_string(),
                ),
            }
        }
        let mut f = GoalForm {
            name: g.name.clone(),
            deadline: g.deadline.map(|d| d.to_string()).unwrap_or_default(),
            version: Some(g.version),
            ..Default::default()
        };
        let (who, filter) = match DefinitionInput::of(&g.definition) {
            DefinitionInput::Count {
                who,
                target,
                filter,
            } => {
                f.measure = "count".into();
                f.target = target.to_string();
                (who, filter)
            }
            DefinitionInput::Share {
                who,
                of,
                percent,
                filter,
            } => {
                f.measure = "share".into();
                f.percent = percent.to_string();
                (f.of, f.of_kinds, f.of_statuses, f.of_hours) = pop(&of);
                (who, filter)
            }
        };
        (f.who, f.who_kinds, f.who_statuses, f.who_hours) = pop(&who);
        f.genders = filter.genders.iter().map(|g| g.code().to_owned()).collect();
        f.min_age = filter.min_age.map(|n| n.to_string()).unwrap_or_default();
        f.max_age = filter.max_age.map(|n| n.to_string()).unwrap_or_default();
        f.target_group = filter
            .target_group
            .map(|t| t.code().to_owned())
            .unwrap_or_default();
        f
    }
}

/// Creating (`goal` none) or editing a goal of project `p`.
#[allow(clippy::too_many_arguments)]
async fn goal_page(
    app: &App,
    v: &Viewer,
    p: &ProjectView,
    goal: Option<Uuid>,
    form: &GoalForm,
    preview: Option<GoalPreview>,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let l = v.lang;
    let t = |name: &str, label: &str, hint: &str, kind: &'static str, value: &String| {
        TextField::new(name, label, hint, kind, value.clone(), errors, l)
    };
    let populations: Vec<(String, String)> = POPULATIONS
        .iter()
        .map(|(c, sv, en)| ((*c).to_owned(), l.t(sv, en).to_owned()))
        .collect();
    let kinds = codes(PlacementKind::ALL, |k| k.code(), |k, c| k.label(c), l);
    let statuses = codes(ExitStatus::ALL, |s| s.code(), |s, c| s.label(c), l);
    let one = |s: &String| std::slice::from_ref(s).to_vec();
    let mut target_groups = vec![(String::new(), l.t("Alla", "Everyone").to_owned())];
    target_groups.extend(codes(TargetGroup::ALL, |x| x.code(), |x, c| x.label(c), l));
    let (heading, action) = match goal {
        Some(id) => (
            l.t("Ändra målet", "Edit the goal"),
            format!("/goals/{id}/edit"),
        ),
        None => (
            l.t("Lägg till ett mål", "Add a goal"),
            format!("/projects/{}/goals/new", p.id),
        ),
    };
    let page = GoalFormPage {
        c: v.chrome("projects"),
        errors: error_views(errors, l),
        heading: format!("{heading} – {}", p.facts.name),
        action,
        back: format!("/projects/{}/goals", p.id),
        version: goal.map(|_| form.version.unwrap_or_default()),
        name: t(
            "name",
            l.t("Målets namn", "The goal's name"),
            l.t(
                "Till exempel: Minst 75 % erbjuds arbetsprövning, arbetsträning eller praktik.",
                "For example: At least 75 % offered a work trial, work training or work practice.",
            ),
            "text",
            &form.name,
        ),
        deadline: t(
            "deadline",
            l.t("Senast (datum)", "By (date)"),
            l.t(
                "Till exempel 2022-03-31. Lämna tomt om inget datum.",
                "For example 2022-03-31. Leave empty for none.",
            ),
            "date",
            &form.deadline,
        ),
        measure: Group::new(
            "radio",
            "measure",
            l.t("Vad mäts?", "What is measured?"),
            "",
            vec![
                (
                    "share".into(),
                    l.t(
                        "En andel (procent av en grupp)",
                        "A share (per cent of a group)",
                    )
                    .into(),
                ),
                (
                    "count".into(),
                    l.t("Ett antal personer", "A number of people").into(),
                ),
            ],
            &one(&form.measure),
            errors,
            l,
        ),
        who: Group::new(
            "radio",
            "who",
            l.t("Vilka räknas?", "Who is counted?"),
            "",
            populations.clone(),
            &one(&form.who),
            errors,
            l,
        ),
        who_kinds: Group::new(
            "checkbox",
            "who_kinds",
            l.t("Slag av plats som räknas", "Kinds of placement counted"),
            l.t(
                "Gäller erbjudna och påbörjade platser. Kryssa inget för alla slag.",
                "For offered and started placements. Tick none for every kind.",
            ),
            kinds.clone(),
            &form.who_kinds,
            errors,
            l,
        ),
        who_statuses: Group::new(
            "checkbox",
            "who_statuses",
            l.t("Avslutsorsak som räknas", "Exit statuses counted"),
            l.t(
                "Gäller avslutade. Kryssa inget för alla.",
                "For those who left. Tick none for all.",
            ),
            statuses.clone(),
            &form.who_statuses,
            errors,
            l,
        ),
        who_hours: t(
            "definition.who.at_least",
            l.t(
                "Antal timmar (för deltagit minst)",
                "Number of hours (for attended at least)",
            ),
            "",
            "text",
            &form.who_hours,
        ),
        of: Group::new(
            "radio",
            "of",
            l.t(
                "Andel av vilka? (basen, för en andel)",
                "A share of whom? (the base, for a share)",
            ),
            "",
            populations,
            &one(&form.of),
            errors,
            l,
        ),
        of_kinds: Group::new(
            "checkbox",
            "of_kinds",
            l.t("Basens slag av plats", "The base's kinds of placement"),
            "",
            kinds,
            &form.of_kinds,
            errors,
            l,
        ),
        of_statuses: Group::new(
            "checkbox",
            "of_statuses",
            l.t("Basens avslutsorsak", "The base's exit statuses"),
            "",
            statuses,
            &form.of_statuses,
            errors,
            l,
        ),
        of_hours: t(
            "definition.of.at_least",
            l.t("Basens antal timmar", "The base's number of hours"),
            "",
            "text",
            &form.of_hours,
        ),
        target: t(
            "definition.target",
            l.t(
                "Antal personer (för ett antal)",
                "Number of people (for a number)",
            ),
            l.t("Minst 1.", "At least 1."),
            "text",
            &form.target,
        ),
        percent: t(
            "definition.percent",
            l.t(
                "Andel i procent (för en andel)",
                "Share in per cent (for a share)",
            ),
            l.t(
                "Mer än 0 och högst 100, till exempel 75.",
                "More than 0 and at most 100, for example 75.",
            ),
            "text",
            &form.percent,
        ),
        genders: Group::new(
            "checkbox",
            "genders",
            l.t("Kön", "Gender"),
            l.t("Kryssa inget för alla.", "Tick none for everyone."),
            codes(Gender::ALL, |g| g.code(), |g, c| g.label(c), l),
            &form.genders,
            errors,
            l,
        ),
        min_age: t(
            "definition.filter.min_age",
            l.t("Lägsta ålder vid inskrivning", "Lowest age at enrolment"),
            l.t("Lämna tomt om ingen gräns.", "Leave empty for no limit."),
            "text",
            &form.min_age,
        ),
        max_age: t(
            "definition.filter.max_age",
            l.t("Högsta ålder vid inskrivning", "Highest age at enrolment"),
            l.t("Lämna tomt om ingen gräns.", "Leave empty for no limit."),
            "text",
            &form.max_age,
        ),
        target_group: Group::new(
            "radio",
            "target_group",
            l.t("Målgrupp", "Target group"),
            "",
            target_groups,
            &one(&form.target_group),
            errors,
            l,
        ),
        can_preview: may_preview(v, p),
        preview: preview.map(PreviewView::from),
        history: match goal {
            Some(id) => app
                .goal(&v.actor, id)
                .await?
                .history
                .into_iter()
                .map(|h| VersionRow {
                    changed_at: stegvis_app::local::swedish_time(h.changed_at),
                    changed_by: h.changed_by.unwrap_or_default(),
                    what: format!(
                        "{}: {}{}",
                        h.previous.name,
                        describe(&DefinitionInput::of(&h.previous.definition), l),
                        h.previous
                            .deadline
                            .map(|d| format!(", {} {d}", l.t("senast", "by")))
                            .unwrap_or_default()
                    ),
                })
                .collect(),
            None => Vec::new(),
        },
    };
    Ok((status, render(&page)).into_response())
}

/// `GET /projects/{id}/goals/new`
pub async fn goal_new(State(app): State<App>, v: Viewer, Id(id): Id) -> PageResult {
    let p = app.project(&v.actor, id).await?;
    if !keeps_goals(&v, &p) {
        return Err(AppError::NotFound.into());
    }
    let form = GoalForm {
        measure: "share".into(),
        who: "offered".into(),
        of: "enrolled".into(),
        ..Default::default()
    };
    goal_page(&app, &v, &p, None, &form, None, &[], StatusCode::OK).await
}

/// Saves the goal, or (the preview button) shows today's value without saving.
async fn goal_post(
    app: &App,
    v: &Viewer,
    p: &ProjectView,
    goal: Option<Uuid>,
    form: GoalForm,
) -> PageResult {
    let mut errors = Vec::new();
    let input = form.input(&mut errors);
    if !errors.is_empty() {
        return goal_page(
            app,
            v,
            p,
            goal,
            &form,
            None,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    if form.action == "preview" {
        let preview = app
            .preview_goal(
                &v.actor,
                p.id,
                &GoalPreviewInput {
                    definition: input.definition,
                },
            )
            .await;
        return match preview {
            Ok(x) => goal_page(app, v, p, goal, &form, Some(x), &[], StatusCode::OK).await,
            Err(AppError::Invalid(e)) => {
                goal_page(
                    app,
                    v,
                    p,
                    goal,
                    &form,
                    None,
                    &e,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
            Err(e) => Err(e.into()),
        };
    }
    let result = match goal {
        Some(id) => app.update_goal(&v.actor, id, &input).await,
        None => app.create_goal(&v.actor, p.id, &input).await,
    };
    let pid = p.id;
    let again = async |errors: Vec<FieldError>, status| {
        // After a conflict the form carries the goal's current version (see `update`).
        let mut form = form.clone();
        if status == StatusCode::CONFLICT
            && let Some(id) = goal
        {
            form.version = Some(app.goal(&v.actor, id).await?.version);
        }
        goal_page(app, v, p, goal, &form, None, &errors, status).await
    };
    after_post(
        result,
        |_| format!("/projects/{pid}#goals"),
        Some("name"),
        again,
    )
    .await
}

/// `POST /projects/{id}/goals/new`
pub async fn goal_create(
    State(app): State<App>,
    v: Viewer,
    Id(id): Id,
    posted: Posted,
) -> PageResult {
    let p = app.project(&v.actor, id).await?;
    // Refused before the form is read, so that a refusal never depends on what was typed.
    if !keeps_goals(&v, &p) {
        return Err(AppError::NotFound.into());
    }
    let form: GoalForm = posted.parse()?;
    goal_post(&app, &v, &p, None, form).await
}

/// `GET /goals/{id}/edit`
pub async fn goal_edit(State(app): State<App>, v: Viewer, Id(id): Id) -> PageResult {
    let g = app.goal(&v.actor, id).await?;
    let p = app.project(&v.actor, g.project_id).await?;
    goal_page(
        &app,
        &v,
        &p,
        Some(id),
        &GoalForm::of(&g),
        None,
        &[],
        StatusCode::OK,
    )
    .await
}

/// `POST /goals/{id}/edit`
pub async fn goal_update(
    State(app): State<App>,
    v: Viewer,
    Id(id): Id,
    posted: Posted,
) -> PageResult {
    let g = app.goal(&v.actor, id).await?;
    let p = app.project(&v.actor, g.project_id).await?;
    let form: GoalForm = posted.parse()?;
    goal_post(&app, &v, &p, Some(id), form).await
}

/// The retire button's form.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct RetireForm {
    version: i64,
}

/// `POST /goals/{id}/retire`
pub async fn goal_retire(
    State(app): State<App>,
    v: Viewer,
    Id(id): Id,
    posted: Posted,
) -> PageResult {
    let form: RetireForm = posted.parse()?;
    let g = app
        .retire_goal(
            &v.actor,
            id,
            &RetireInput {
                version: form.version,
            },
        )
        .await?;
    Ok(Redirect::to(&format!("/projects/{}/goals", g.project_id)).into_response())
}
