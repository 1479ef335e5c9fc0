//! Placements: offering a place, moving it on, and the supervisor's confirmations and feedback.

use super::{Chrome, Id, PageResult, Viewer, after_post, render};
use crate::forms::{
    ChoiceField, ErrorView, PageForm, Posted, TextField, error_for, error_views, options,
    whole_number,
};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use stegvis_app::placements::{PlacementInput, PlacementView, SupervisedView};
use stegvis_app::policy::{Action, RecordKind};
use stegvis_app::{App, AppError, FieldError, Text};
use stegvis_domain::placement::{PlacementKind, PlacementStatus};
use uuid::Uuid;

pub fn kind_label(code: &str, l: crate::Lang) -> String {
    PlacementKind::from_code(code).map_or(code.to_owned(), |k| k.label(l.code()).to_owned())
}

pub fn status_label(code: &str, l: crate::Lang) -> String {
    PlacementStatus::from_code(code).map_or(code.to_owned(), |k| k.label(l.code()).to_owned())
}

#[derive(Template)]
#[template(path = "placement_offer.html")]
struct OfferPage {
    c: Chrome,
    errors: Vec<ErrorView>,
    participant_id: Uuid,
    participant_name: String,
    opening: ChoiceField,
    supervisor: ChoiceField,
    fields: Vec<TextField>,
}

async fn offer_page(
    app: &App,
    v: &Viewer,
    pid: Uuid,
    input: &PlacementInput,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let l = v.lang;
    let (d, choices) = (
        app.participant(&v.actor, pid).await,
        app.offer_choices(&v.actor).await,
    );
    let (d, (openings, supervisors)) = (d?, choices?);
    let opening_items: Vec<(String, String)> = openings
        .iter()
        .map(|o| {
            (
                o.id.to_string(),
                format!("{} ({})", o.label, kind_label(&o.kind, l)),
            )
        })
        .collect();
    let supervisor_items: Vec<(String, String)> = supervisors
        .iter()
        .map(|s| (s.id.to_string(), s.label.clone()))
        .collect();
    let field = |name: &str, label: &str, hint: &str, kind: &'static str, value: &str| {
        TextField::new(name, label, hint, kind, value.to_owned(), errors, l)
    };
    let hours = input
        .hours_per_week
        .map(|h| h.to_string())
        .unwrap_or_default();
    let text = |o: &Option<String>| o.clone().unwrap_or_default();
    let page = OfferPage {
        c: v.chrome("participants"),
        errors: error_views(errors, l),
        participant_id: pid,
        participant_name: format!("{} {}", d.participant.given_name, d.participant.family_name),
        opening: ChoiceField {
            options: options(
                opening_items.iter().map(|(a, b)| (a.as_str(), b.clone())),
                input.opening_id.as_deref().unwrap_or(""),
            ),
            error: error_for(errors, "opening_id", l),
        },
        supervisor: ChoiceField {
            options: options(
                supervisor_items
                    .iter()
                    .map(|(a, b)| (a.as_str(), b.clone())),
                input.supervisor_id.as_deref().unwrap_or(""),
            ),
            error: error_for(errors, "supervisor_id", l),
        },
        fields: vec![
            field(
                "offered_on",
                l.t("Erbjuden", "Offered on"),
                l.t("Till exempel 2026-03-01.", "For example 2026-03-01."),
                "date",
                &text(&input.offered_on),
            ),
            field(
                "starts_on",
                l.t("Planerad start (valfritt)", "Planned start (optional)"),
                "",
                "date",
                &text(&input.starts_on),
            ),
            field(
                "ends_on",
                l.t("Planerat slut (valfritt)", "Planned end (optional)"),
                "",
                "date",
                &text(&input.ends_on),
            ),
            field(
                "hours_per_week",
                l.t("Timmar i veckan (valfritt)", "Hours a week (optional)"),
                "",
                "text",
                &hours,
            ),
            field(
                "goals",
                l.t(
                    "Mål med platsen (valfritt)",
                    "Goals of the placement (optional)",
                ),
                "",
                "text",
                &text(&input.goals),
            ),
            field(
                "adaptations",
                l.t(
                    "Överenskomna anpassningar (valfritt)",
                    "Adaptations agreed (optional)",
                ),
                l.t("Handledaren ser dessa.", "The supervisor sees these."),
                "text",
                &text(&input.adaptations),
            ),
        ],
    };
    Ok((status, render(&page)).into_response())
}

/// `?opening=ID` preselects an opening (from the matches).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct OfferQuery {
    opening: Option<String>,
}

pub async fn offer_form(
    State(app): State<App>,
    v: Viewer,
    Id(pid): Id,
    Query(q): Query<OfferQuery>,
) -> PageResult {
    let input = PlacementInput {
        offered_on: Some(app.today().to_string()),
        opening_id: q.opening,
        ..Default::default()
    };
    offer_page(&app, &v, pid, &input, &[], StatusCode::OK).await
}

/// The offer form as typed: an opening (its workplace and kind come with it), and the hours
/// as a text field.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct OfferForm {
    opening_id: Option<String>,
    supervisor_id: Option<String>,
    offered_on: Option<String>,
    starts_on: Option<String>,
    ends_on: Option<String>,
    hours_per_week: String,
    goals: Option<String>,
    adaptations: Option<String>,
}

impl From<OfferForm> for PlacementInput {
    fn from(f: OfferForm) -> Self {
        PlacementInput {
            workplace_id: None,
            // A blank choice is no choice.
            opening_id: f.opening_id.filter(|o| !o.trim().is_empty()),
            kind: None,
            supervisor_id: f.supervisor_id,
            offered_on: f.offered_on,
            starts_on: f.starts_on,
            ends_on: f.ends_on,
            // Text that is not a number reaches the check as an impossible value: a clear error.
            hours_per_week: whole_number(&f.hours_per_week).unwrap_or(Some(0)),
            goals: f.goals,
            adaptations: f.adaptations,
        }
    }
}

pub async fn offer(
    State(app): State<App>,
    v: Viewer,
    Id(pid): Id,
    PageForm(form): PageForm<OfferForm>,
) -> PageResult {
    let input = PlacementInput::from(form);
    let mut result = app.offer_placement(&v.actor, pid, &input).await;
    if input.opening_id.is_none()
        && let Err(AppError::Invalid(errors)) = &mut result
    {
        // The form offers openings only: say so at its field.
        errors.retain(|e| e.field != "workplace_id" && e.field != "kind");
        errors.insert(
            0,
            FieldError::new(
                "opening_id",
                Text::new("Välj en plats.", "Choose an opening."),
            ),
        );
    }
    let again = async |errors: Vec<FieldError>, status| {
        offer_page(&app, &v, pid, &input, &errors, status).await
    };
    after_post(result, |p| format!("/placements/{}", p.id), None, again).await
}

#[derive(Template)]
#[template(path = "placement.html")]
struct PlacementPage {
    c: Chrome,
    errors: Vec<ErrorView>,
    p: PlacementView,
    staff: bool,
    /// Staff or the supervisor: the week and feedback forms.
    writes: bool,
    kind: String,
    status: String,
    next: Option<ChoiceField>,
    on: TextField,
    week_of: TextField,
    hours: TextField,
    feedback: String,
    feedback_error: Option<String>,
    confirmed_hours: String,
}

/// What the page's forms show: as typed, when one comes back with errors.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct Typed {
    on: String,
    week_of: String,
    hours: String,
    /// The feedback.
    text: String,
}

async fn placement_page(
    app: &App,
    v: &Viewer,
    plid: Uuid,
    posted: &Typed,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let actor = &v.actor;
    let l = v.lang;
    let p = app.placement(actor, plid).await?;
    // Staff move the placement on; the supervisor confirms and gives feedback; anyone else
    // (the participant, the auditor) reads.
    let supervisor = stegvis_app::policy::allows(&stegvis_app::policy::Request::Supervised(actor));
    // A supervisor's view names no participant to decide on: they are never the case's staff.
    let staff = !supervisor
        && !app
            .permitted_for(
                actor,
                p.participant_id,
                &[(RecordKind::Placement, Action::Write)],
            )
            .await?
            .is_empty();
    let next = PlacementStatus::from_code(&p.status)
        .ok()
        .map(|s| s.next())
        .filter(|n| staff && !n.is_empty())
        .map(|n| ChoiceField {
            options: options(
                n.iter().map(|s| (s.code(), s.label(l.code()).to_owned())),
                "",
            ),
            error: error_for(errors, "status", l),
        });
    let minutes: i64 = p.weeks.iter().map(|w| i64::from(w.minutes)).sum();
    let page = PlacementPage {
        c: v.chrome(if staff { "participants" } else { "supervised" }),
        errors: error_views(errors, l),
        kind: kind_label(&p.kind, l),
        status: status_label(&p.status, l),
        staff,
        writes: staff || supervisor,
        next,
        on: TextField::new(
            "on",
            l.t("Datum", "Date"),
            l.t("Till exempel 2026-03-01.", "For example 2026-03-01."),
            "date",
            posted.on.clone(),
            errors,
            l,
        ),
        week_of: TextField::new(
            "week_of",
            l.t("Vecka (en dag i veckan)", "Week (a day in the week)"),
            l.t("Veckan räknas från måndag.", "The week counts from Monday."),
            "date",
            posted.week_of.clone(),
            errors,
            l,
        ),
        hours: TextField::new(
            "hours",
            l.t(
                "Timmar på plats den veckan",
                "Hours at the workplace that week",
            ),
            l.t(
                "Till exempel 16, 16,5 eller 16:30.",
                "For example 16, 16.5 or 16:30.",
            ),
            "text",
            posted.hours.clone(),
            errors,
            l,
        ),
        feedback: posted.text.clone(),
        feedback_error: error_for(errors, "text", l),
        confirmed_hours: super::caseload::hours(minutes),
        p,
    };
    Ok((status, render(&page)).into_response())
}

pub async fn show(State(app): State<App>, v: Viewer, Id(plid): Id) -> PageResult {
    if stegvis_app::policy::is_participant(&v.actor) {
        // Read through the gate first: another participant's placement stays not found.
        let p = app.placement(&v.actor, plid).await?;
        if let Some(r) = super::to_portal(&v.actor, p.participant_id, "/me/placements") {
            return Ok(r);
        }
    }
    let today = app.today().to_string();
    let posted = Typed {
        on: today.clone(),
        week_of: today,
        ..Typed::default()
    };
    placement_page(&app, &v, plid, &posted, &[], StatusCode::OK).await
}

/// One form post on the placement page: status, week or feedback.
pub async fn act(
    State(app): State<App>,
    v: Viewer,
    Id(plid): Id,
    Path((_, what)): Path<(String, String)>,
    form: Posted,
) -> PageResult {
    let actor = &v.actor;
    let posted: Typed = form.parse()?;
    let result = match what.as_str() {
        "status" => app.move_placement(actor, plid, &form.parse()?).await,
        "weeks" => app.confirm_week(actor, plid, &form.parse()?).await,
        "feedback" => {
            app.add_placement_feedback(actor, plid, &form.parse()?)
                .await
        }
        _ => Err(AppError::NotFound),
    };
    let field = if what == "status" {
        "status"
    } else {
        "week_of"
    };
    let again = async |errors: Vec<FieldError>, status| {
        placement_page(&app, &v, plid, &posted, &errors, status).await
    };
    after_post(
        result,
        |p| format!("/placements/{}", p.id),
        Some(field),
        again,
    )
    .await
}

#[derive(Template)]
#[template(path = "supervised.html")]
struct SupervisedPage {
    c: Chrome,
    rows: Vec<SupervisedView>,
}

pub async fn supervised(State(app): State<App>, v: Viewer) -> PageResult {
    let l = v.lang;
    let mut rows = app.supervised_placements(&v.actor).await?;
    for r in &mut rows {
        r.kind = kind_label(&r.kind, l);
        r.status = status_label(&r.status, l);
    }
    Ok(render(&SupervisedPage {
        c: v.chrome("supervised"),
        rows,
    }))
}
