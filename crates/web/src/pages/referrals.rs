//! Referrals on the pages: send one from the participant's page; the organisation's list of
//! referrals sent and received, with the answers each side may give.

use super::{Chrome, actor_and_id, after_post, chrome, fail, render, require};
use crate::Lang;
use crate::forms::{ChoiceField, ErrorView, FormData, error_for, error_views, options};
use crate::local_time::stockholm;
use crate::session::Ctx;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use stegvis_app::referrals::{ReferralInput, ReferralMove, ReferralView};
use stegvis_app::{App, FieldError};
use stegvis_domain::referral::ReferralStatus;
use uuid::Uuid;

pub fn status_label(code: &str, l: Lang) -> String {
    ReferralStatus::from_code(code).map_or(code.to_owned(), |s| s.label(l.code()).to_owned())
}

#[derive(Template)]
#[template(path = "referral_form.html")]
struct FormPage {
    c: Chrome,
    errors: Vec<ErrorView>,
    participant_id: Uuid,
    to: ChoiceField,
    reason: String,
    reason_error: Option<String>,
}

async fn form_page(
    ctx: &Ctx,
    app: &App,
    uri: &Uri,
    participant_id: Uuid,
    input: &ReferralInput,
    errors: &[FieldError],
    status: StatusCode,
) -> Response {
    let actor = match require(ctx, uri) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let l = ctx.lang;
    // The organisations a live consent lets the referral go to.
    let consents = match app.consents(actor, participant_id).await {
        Ok(c) => c,
        Err(e) => return fail(ctx, uri, e),
    };
    let orgs = match app.organisations(actor).await {
        Ok(o) => o,
        Err(e) => return fail(ctx, uri, e),
    };
    let items: Vec<(String, String)> = orgs
        .into_iter()
        .filter(|o| {
            consents.iter().any(|c| {
                c.live && c.recipient_org_id == o.id && c.kinds.iter().any(|k| k == "participant")
            })
        })
        .map(|o| (o.id.to_string(), o.name))
        .collect();
    let mut errors = errors.to_vec();
    // The form has no consent field: a missing consent is said where the recipient is chosen.
    for e in &mut errors {
        if e.field == "consent_id" {
            e.field = "to_org_id".into();
        }
    }
    let page = FormPage {
        c: chrome(ctx, "participants", uri),
        errors: error_views(&errors, l),
        participant_id,
        to: ChoiceField {
            options: options(
                items.iter().map(|(v, n)| (v.as_str(), n.clone())),
                &input.to_org_id,
            ),
            error: error_for(&errors, "to_org_id", l),
        },
        reason: input.reason.clone(),
        reason_error: error_for(&errors, "reason", l),
    };
    (status, render(&page)).into_response()
}

/// `GET /participants/{id}/referrals/new`
pub async fn form(
    Extension(ctx): Extension<Ctx>,
    State(app): State<App>,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    let (_, pid) = match actor_and_id(&ctx, &uri, &id) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    form_page(
        &ctx,
        &app,
        &uri,
        pid,
        &ReferralInput::default(),
        &[],
        StatusCode::OK,
    )
    .await
}

/// `POST /participants/{id}/referrals`
pub async fn send(
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
    let input = ReferralInput {
        to_org_id: form.get("to_org_id"),
        consent_id: None,
        reason: form.get("reason"),
    };
    let result = app.send_referral(actor, pid, &input).await;
    let again = async |errors: Vec<FieldError>, status| {
        form_page(&ctx, &app, &uri, pid, &input, &errors, status).await
    };
    after_post(&ctx, &uri, result, |_| "/referrals".into(), None, again).await
}

/// A referral as a list shows it, with the answers the viewer may give.
pub struct Line {
    pub id: Uuid,
    pub participant_id: Uuid,
    pub participant: String,
    pub from: String,
    pub to: String,
    pub reason: String,
    pub status: String,
    pub sent: String,
    pub note: String,
    /// (status code, button text, whether it is the main answer)
    pub actions: Vec<(&'static str, String, bool)>,
    pub incoming: bool,
}

fn line(r: &ReferralView, actor: &stegvis_app::Actor, l: Lang) -> Line {
    use stegvis_domain::Role;
    use stegvis_domain::referral::Side;
    let incoming = r.to_org_id == actor.org_id;
    // Staff answer for the sender, partner staff for the recipient; an auditor only reads.
    let may_act = if incoming {
        actor.role == Role::PartnerStaff
    } else {
        matches!(actor.role, Role::Coach | Role::ProjectManager)
    };
    let side = if incoming {
        Side::Recipient
    } else {
        Side::Sender
    };
    let from = ReferralStatus::from_code(&r.status).ok();
    let actions = [
        ("accepted", l.t("Acceptera", "Accept")),
        ("declined", l.t("Avböj", "Decline")),
        ("closed", l.t("Avsluta", "Close")),
    ]
    .into_iter()
    .filter(|_| may_act)
    .filter(|(to, _)| {
        let to = ReferralStatus::from_code(to).ok();
        matches!((from, to), (Some(f), Some(t)) if f.may_move(t, side))
    })
    .map(|(to, label)| (to, label.to_owned(), to == "accepted"))
    .collect();
    Line {
        id: r.id,
        participant_id: r.participant_id,
        participant: r.participant_name.clone().unwrap_or_default(),
        from: r.from_org_name.clone().unwrap_or_default(),
        to: r.to_org_name.clone().unwrap_or_default(),
        reason: r.reason.clone(),
        status: status_label(&r.status, l),
        sent: stockholm(r.sent_at),
        note: r.answer_note.clone().unwrap_or_default(),
        actions,
        incoming,
    }
}

#[derive(Template)]
#[template(path = "referrals.html")]
struct ListPage {
    c: Chrome,
    incoming: Vec<Line>,
    outgoing: Vec<Line>,
}

/// `GET /referrals`
pub async fn list(Extension(ctx): Extension<Ctx>, State(app): State<App>, uri: Uri) -> Response {
    let actor = match require(&ctx, &uri) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    match app.referral_list(actor).await {
        Ok(list) => {
            let (incoming, outgoing) = list
                .iter()
                .map(|r| line(r, actor, ctx.lang))
                .partition(|l| l.incoming);
            render(&ListPage {
                c: chrome(&ctx, "referrals", &uri),
                incoming,
                outgoing,
            })
        }
        Err(e) => fail(&ctx, &uri, e),
    }
}

/// `POST /referrals/{id}/status`: an answer from the list.
pub async fn answer(
    Extension(ctx): Extension<Ctx>,
    State(app): State<App>,
    uri: Uri,
    Path(id): Path<String>,
    Form(form): Form<FormData>,
) -> Response {
    let (actor, rid) = match actor_and_id(&ctx, &uri, &id) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let input = ReferralMove {
        status: form.get("status"),
        note: form.opt("note"),
    };
    // A stale button (someone answered first) is explained on the error page.
    match app.move_referral(actor, rid, &input).await {
        Ok(_) => Redirect::to("/referrals").into_response(),
        Err(e) => fail(&ctx, &uri, e),
    }
}
