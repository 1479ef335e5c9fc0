//! Placements: offering a place, moving it on, and the supervisor's confirmations and feedback.

use super::{Chrome, actor_and_id, after_post, chrome, fail, render, require};
use crate::forms::{ChoiceField, ErrorView, FormData, TextField, error_for, error_views, options};
use crate::session::Ctx;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use stegvis_app::placements::{
    FeedbackInput, PlacementInput, PlacementMove, PlacementView, SupervisedView, WeekInput,
};
use stegvis_app::{App, FieldError};
use stegvis_domain::Role;
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
    ctx: &Ctx,
    app: &App,
    uri: &Uri,
    id: &str,
    input: &PlacementInput,
    errors: &[FieldError],
    status: StatusCode,
) -> Response {
    let (actor, pid) = match actor_and_id(ctx, uri, id) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let l = ctx.lang;
    let (d, (openings, supervisors)) = match (
        app.participant(actor, pid).await,
        app.offer_choices(actor).await,
    ) {
        (Ok(d), Ok(c)) => (d, c),
        (Err(e), _) | (_, Err(e)) => return fail(ctx, uri, e),
    };
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
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let page = OfferPage {
        c: chrome(ctx, "participants", uri),
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
                &v(&input.offered_on),
            ),
            field(
                "starts_on",
                l.t("Planerad start (valfritt)", "Planned start (optional)"),
                "",
                "date",
                &v(&input.starts_on),
            ),
            field(
                "ends_on",
                l.t("Planerat slut (valfritt)", "Planned end (optional)"),
                "",
                "date",
                &v(&input.ends_on),
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
                &v(&input.goals),
            ),
            field(
                "adaptations",
                l.t(
                    "Överenskomna anpassningar (valfritt)",
                    "Adaptations agreed (optional)",
                ),
                l.t("Handledaren ser dessa.", "The supervisor sees these."),
                "text",
                &v(&input.adaptations),
            ),
        ],
    };
    (status, render(&page)).into_response()
}

/// `?opening=ID` preselects an opening (from the matches).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct OfferQuery {
    opening: Option<String>,
}

pub async fn offer_form(
    Extension(ctx): Extension<Ctx>,
    State(app): State<App>,
    uri: Uri,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<OfferQuery>,
) -> Response {
    let input = PlacementInput {
        offered_on: Some(app.today().to_string()),
        opening_id: q.opening,
        ..Default::default()
    };
    offer_page(&ctx, &app, &uri, &id, &input, &[], StatusCode::OK).await
}

pub async fn offer(
    Extension(ctx): Extension<Ctx>,
    State(app): State<App>,
    uri: Uri,
    Path(id): Path<String>,
    Form(form): Form<FormData>,
) -> Response {
    let (actor, pid) = match actor_and_id(&ctx, &uri, &id) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let hours_raw = form.get("hours_per_week");
    let hours = hours_raw.trim().parse::<i64>().ok();
    let input = PlacementInput {
        workplace_id: None,
        opening_id: form.opt("opening_id"),
        kind: None,
        supervisor_id: form.opt("supervisor_id"),
        offered_on: form.opt("offered_on"),
        starts_on: form.opt("starts_on"),
        ends_on: form.opt("ends_on"),
        // Text that is not a number reaches the check as an impossible value: a clear error.
        hours_per_week: if hours_raw.trim().is_empty() {
            None
        } else {
            hours.or(Some(0))
        },
        goals: form.opt("goals"),
        adaptations: form.opt("adaptations"),
    };
    let mut result = app.offer_placement(actor, pid, &input).await;
    if input.opening_id.is_none()
        && let Err(stegvis_app::AppError::Invalid(errors)) = &mut result
    {
        // The form offers openings only: say so at its field.
        errors.retain(|e| e.field != "workplace_id" && e.field != "kind");
        errors.insert(
            0,
            FieldError::new(
                "opening_id",
                stegvis_app::Text::new("Välj en plats.", "Choose an opening."),
            ),
        );
    }
    let again = async |errors: Vec<FieldError>, status| {
        offer_page(&ctx, &app, &uri, &id, &input, &errors, status).await
    };
    after_post(
        &ctx,
        &uri,
        result,
        |p| format!("/placements/{}", p.id),
        None,
        again,
    )
    .await
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

struct Posted {
    on: String,
    week_of: String,
    hours: String,
    feedback: String,
}

async fn placement_page(
    ctx: &Ctx,
    app: &App,
    uri: &Uri,
    id: &str,
    posted: &Posted,
    errors: &[FieldError],
    status: StatusCode,
) -> Response {
    let (actor, plid) = match actor_and_id(ctx, uri, id) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let l = ctx.lang;
    let p = match app.placement(actor, plid).await {
        Ok(p) => p,
        Err(e) => return fail(ctx, uri, e),
    };
    // Staff move the placement on; the supervisor confirms and gives feedback; anyone else
    // (the participant, the auditor) reads.
    let staff = matches!(actor.role, Role::Coach | Role::ProjectManager);
    let supervisor = actor.role == Role::Supervisor;
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
        c: chrome(ctx, if staff { "participants" } else { "supervised" }, uri),
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
        feedback: posted.feedback.clone(),
        feedback_error: error_for(errors, "text", l),
        confirmed_hours: super::caseload::hours(minutes),
        p,
    };
    (status, render(&page)).into_response()
}

pub async fn show(
    Extension(ctx): Extension<Ctx>,
    State(app): State<App>,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    let today = app.today().to_string();
    let posted = Posted {
        on: today.clone(),
        week_of: today,
        hours: String::new(),
        feedback: String::new(),
    };
    placement_page(&ctx, &app, &uri, &id, &posted, &[], StatusCode::OK).await
}

/// One form post on the placement page: status, week or feedback.
pub async fn act(
    Extension(ctx): Extension<Ctx>,
    State(app): State<App>,
    uri: Uri,
    Path((id, what)): Path<(String, String)>,
    Form(form): Form<FormData>,
) -> Response {
    let (actor, plid) = match actor_and_id(&ctx, &uri, &id) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let posted = Posted {
        on: form.get("on"),
        week_of: form.get("week_of"),
        hours: form.get("hours"),
        feedback: form.get("text"),
    };
    let result = match what.as_str() {
        "status" => {
            let input = PlacementMove {
                status: form.get("status"),
                on: form.opt("on"),
                version: form.get("version").parse().ok(),
            };
            app.move_placement(actor, plid, &input).await
        }
        "weeks" => {
            let input = WeekInput {
                week_of: form.get("week_of"),
                hours: form.get("hours"),
            };
            app.confirm_week(actor, plid, &input).await
        }
        "feedback" => {
            let input = FeedbackInput {
                text: form.get("text"),
            };
            app.add_placement_feedback(actor, plid, &input).await
        }
        _ => Err(stegvis_app::AppError::NotFound),
    };
    let field = if what == "status" {
        "status"
    } else {
        "week_of"
    };
    let again = async |errors: Vec<FieldError>, status| {
        placement_page(&ctx, &app, &uri, &id, &posted, &errors, status).await
    };
    after_post(
        &ctx,
        &uri,
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

pub async fn supervised(
    Extension(ctx): Extension<Ctx>,
    State(app): State<App>,
    uri: Uri,
) -> Response {
    let actor = match require(&ctx, &uri) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let l = ctx.lang;
    match app.supervised_placements(actor).await {
        Ok(mut rows) => {
            for r in &mut rows {
                r.kind = kind_label(&r.kind, l);
                r.status = status_label(&r.status, l);
            }
            render(&SupervisedPage {
                c: chrome(&ctx, "supervised", &uri),
                rows,
            })
        }
        Err(e) => fail(&ctx, &uri, e),
    }
}
