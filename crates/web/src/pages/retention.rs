//! Retention (gallring): the organisation's rules (kept by its administrators), the dry run of
//! what they make due (counts for administrators, names for the auditor), and the auditor's
//! button that erases exactly what the dry run showed. Also the pseudonymised export for
//! evaluators, linked from the report.

use super::{PageResult, Viewer, after_post, download_format, render};
use crate::export::{Cell, Sheet, download};
use crate::forms::{ErrorView, PageForm, error_views};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use stegvis_app::policy::{self, Action, Function, Request};
use stegvis_app::retention::{Anchor, RetentionPlan, RetentionRule, RuleInput};
use stegvis_app::{App, FieldError};
use time::Date;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "retention.html")]
struct RetentionPage {
    c: super::Chrome,
    errors: Vec<ErrorView>,
    rules: Vec<RuleLine>,
    keeps_rules: bool,
    erases: bool,
    projects: Vec<(String, String)>,
    anchors: Vec<(String, String)>,
    input: RuleInput,
    plan: RetentionPlan,
    erased: Option<u64>,
}

struct RuleLine {
    id: Option<Uuid>,
    text: String,
    is_default: bool,
}

fn rule_text(r: &RetentionRule, l: crate::i18n::Lang) -> String {
    let project = r
        .project_name
        .clone()
        .unwrap_or_else(|| l.t("alla projekt", "every project").to_owned());
    let anchor = r.anchor.label();
    format!(
        "{project}: {} {} {} {}",
        l.t("personuppgifter gallras", "personal data is erased"),
        r.years,
        l.t(
            "år efter 31 december det år som",
            "years after 31 December of the year of"
        ),
        pick(l, anchor),
    )
}

fn pick(l: crate::i18n::Lang, t: stegvis_app::Text) -> String {
    if l.code() == "sv" { t.sv } else { t.en }
}

fn allows(actor: &stegvis_app::Actor, function: Function, action: Action) -> bool {
    policy::allows(&Request::Function {
        actor,
        function,
        action,
        owner: None,
    })
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct PlanQuery {
    /// Plan for another day (YYYY-MM-DD), to see what will become due.
    today: Option<String>,
    /// How many the last run erased.
    erased: Option<u64>,
}

fn parse_day(s: Option<&str>) -> Option<Date> {
    Date::parse(
        s?.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

async fn page(
    app: &App,
    v: &Viewer,
    today: Date,
    input: RuleInput,
    errors: &[FieldError],
    erased: Option<u64>,
    status: StatusCode,
) -> PageResult {
    let actor = &v.actor;
    let l = v.lang;
    let rules = app.retention_rules(actor).await?;
    let plan = app.retention_plan(actor, today).await?;
    let projects = app
        .projects(actor)
        .await?
        .into_iter()
        .filter(|p| p.owner_org_id == actor.org_id)
        .map(|p| (p.id.to_string(), p.facts.name))
        .collect();
    let p = RetentionPage {
        c: v.chrome("retention"),
        errors: error_views(errors, l),
        rules: rules
            .iter()
            .map(|r| RuleLine {
                id: r.id,
                text: rule_text(r, l),
                is_default: r.is_default,
            })
            .collect(),
        keeps_rules: allows(actor, Function::RetentionRules, Action::Write),
        erases: allows(actor, Function::DataSubjectRights, Action::Write),
        projects,
        anchors: Anchor::ALL
            .iter()
            .map(|a| {
                let t = a.label();
                (a.code().to_owned(), pick(l, t))
            })
            .collect(),
        input,
        plan,
        erased,
    };
    Ok((status, render(&p)).into_response())
}

/// `GET /retention[?today=YYYY-MM-DD]`: the rules and the dry run.
pub async fn show(State(app): State<App>, v: Viewer, Query(q): Query<PlanQuery>) -> PageResult {
    let today = parse_day(q.today.as_deref()).unwrap_or_else(|| app.today());
    let input = RuleInput {
        years: "5".into(),
        anchor: "programme_end".into(),
        ..RuleInput::default()
    };
    page(&app, &v, today, input, &[], q.erased, StatusCode::OK).await
}

/// `POST /retention/rules`: an administrator adds a rule.
pub async fn add_rule(
    State(app): State<App>,
    v: Viewer,
    PageForm(input): PageForm<RuleInput>,
) -> PageResult {
    let result = app.add_retention_rule(&v.actor, &input).await;
    let today = app.today();
    let again = async |errors: Vec<FieldError>, status| {
        page(&app, &v, today, input.clone(), &errors, None, status).await
    };
    after_post(result, |_| "/retention".to_owned(), None, again).await
}

/// `POST /retention/rules/{id}/retire`
pub async fn retire_rule(
    State(app): State<App>,
    v: Viewer,
    super::Id(id): super::Id,
    PageForm(_): PageForm<Empty>,
) -> PageResult {
    app.retire_retention_rule(&v.actor, id).await?;
    Ok(axum::response::Redirect::to("/retention").into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct Empty {}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RunForm {
    today: String,
    token: String,
}

/// `POST /retention/run`: the auditor erases exactly what the dry run showed (its token); if
/// anything changed since, nothing is erased and the page says so.
pub async fn run(
    State(app): State<App>,
    v: Viewer,
    PageForm(form): PageForm<RunForm>,
) -> PageResult {
    let today = parse_day(Some(&form.today)).unwrap_or_else(|| app.today());
    let result = app.retention_run(&v.actor, today, &form.token).await;
    let again = async |errors: Vec<FieldError>, status| {
        page(&app, &v, today, RuleInput::default(), &errors, None, status).await
    };
    after_post(
        result,
        |out| format!("/retention?today={today}&erased={}", out.participants),
        Some("token"),
        again,
    )
    .await
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct ExportQuery {
    format: Option<String>,
}

/// `GET /projects/{id}/report/pseudonymised?format=csv|xlsx`: the export for evaluators.
pub async fn pseudonymised(
    State(app): State<App>,
    v: Viewer,
    super::Id(project_id): super::Id,
    Query(q): Query<ExportQuery>,
) -> PageResult {
    let format = download_format(q.format.as_deref())?;
    let l = v.lang;
    let rows = app.pseudonymised_export(&v.actor, project_id).await?;
    let sheet = Sheet {
        title: l.t("Pseudonymiserad", "Pseudonymised").into(),
        headers: stegvis_app::reports::PSEUDONYMISED_COLUMNS
            .iter()
            .map(|c| (*c).to_owned())
            .collect(),
        rows: rows
            .into_iter()
            .map(|r| r.into_iter().map(Cell::Text).collect())
            .collect(),
    };
    Ok(download(
        &sheet,
        format,
        l.t("pseudonymiserad-export", "pseudonymised-export"),
    ))
}
