//! The projects list and a project's page.

use super::{Chrome, Id, PageResult, Viewer, render};
use askama::Template;
use axum::extract::State;
use stegvis_app::App;
use stegvis_app::projects::ProjectView;

#[derive(Template)]
#[template(path = "projects.html")]
struct ProjectsPage {
    c: Chrome,
    projects: Vec<ProjectView>,
    /// The actor may create projects for their organisation.
    can_create: bool,
}

#[derive(Template)]
#[template(path = "project.html")]
struct ProjectPage {
    c: Chrome,
    p: ProjectView,
    facts: Vec<(&'static str, String)>,
    /// The actor's organisation runs the project: activities and attendance are theirs.
    can_manage: bool,
    /// The goals' progress (for those who run it), and its chart.
    goals: Option<Vec<super::reports::GoalLine>>,
    goal_chart: String,
    /// The actor keeps the project's facts, target group and goals.
    can_edit: bool,
    /// The target group in plain words (empty: everyone).
    target_group: Vec<String>,
}

pub async fn list(State(app): State<App>, v: Viewer) -> PageResult {
    let projects = app.projects(&v.actor).await?;
    Ok(render(&ProjectsPage {
        can_create: App::may_create_projects(&v.actor),
        c: v.chrome("projects"),
        projects,
    }))
}

pub async fn show(State(app): State<App>, v: Viewer, Id(id): Id) -> PageResult {
    let actor = &v.actor;
    let p = app.project(actor, id).await?;
    let l = v.lang;
    let none = || l.t("Uppgift saknas", "Not stated").to_owned();
    let f = &p.facts;
    let facts = vec![
        (
            l.t("Projektnummer", "Project number"),
            f.number.clone().unwrap_or_else(none),
        ),
        (l.t("Region", "Region"), f.region.clone()),
        (
            l.t("Programområde", "Programme area"),
            f.programme_area.clone().unwrap_or_else(none),
        ),
        (
            l.t("Specifikt mål", "Specific objective"),
            f.specific_objective.clone().unwrap_or_else(none),
        ),
        (
            l.t("Interventionstyp", "Intervention type"),
            f.intervention_type.clone().unwrap_or_else(none),
        ),
        (
            l.t("Unionens medfinansieringsgrad", "Union co-financing rate"),
            f.union_cofinancing_rate_pct
                .map_or_else(none, |r| format!("{r}\u{a0}%")),
        ),
        (
            l.t("Projektperiod", "Project period"),
            format!("{} – {}", f.period_start, f.period_end),
        ),
        (
            l.t("Total projektbudget", "Total project budget"),
            f.total_budget.display_sv(),
        ),
        (
            l.t("Beviljat ESF-stöd", "Granted ESF support"),
            f.esf_support.display_sv(),
        ),
        (
            l.t("Planerat antal deltagare", "Planned participants"),
            f.planned_participants.map_or_else(none, |n| n.to_string()),
        ),
        (
            l.t("Kontaktperson", "Contact person"),
            f.contact_name.clone().unwrap_or_else(none),
        ),
        (
            l.t("E-post", "E-mail"),
            f.contact_email.clone().unwrap_or_else(none),
        ),
        (
            l.t("Telefonnummer", "Phone"),
            f.contact_phone.clone().unwrap_or_else(none),
        ),
        (
            l.t("Stödmottagarens postnummer", "Beneficiary's postcode"),
            f.postcode.clone().unwrap_or_else(none),
        ),
    ];
    let can_manage = app.manages_activities(actor, p.id).await?;
    // The goals, live, for those who run the project.
    let (goal_chart, goals) = if can_manage {
        let r = app.project_report(actor, p.id).await?;
        let (chart, lines) = super::reports::goals_view(&r, l, false);
        (chart, Some(lines))
    } else {
        (String::new(), None)
    };
    let can_edit = App::manages_project(actor, &p);
    let target_group = super::project_forms::target_group_lines(&p, l);
    let phase = p.phase.label(l.code()).to_owned();
    let mut facts = facts;
    facts.insert(1, (l.t("Fas", "Phase"), phase));
    Ok(render(&ProjectPage {
        c: v.chrome("projects"),
        can_edit,
        target_group,
        p,
        facts,
        can_manage,
        goals,
        goal_chart,
    }))
}
