//! Referrals on the pages: send one from the participant's page; the organisation's list of
//! referrals sent and received, with the answers each side may give.

use super::{Chrome, Id, PageResult, Viewer, after_post, render};
use crate::Lang;
use crate::forms::{ChoiceField, ErrorView, PageForm, error_for, error_views, options};
use crate::local_time::stockholm;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use stegvis_app::keyset::PageRequest;
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
    app: &App,
    v: &Viewer,
    participant_id: Uuid,
    input: &ReferralInput,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let actor = &v.actor;
    let l = v.lang;
    // The organisations a live consent lets the referral go to.
    let consents = app.consents(actor, participant_id).await?;
    let orgs = app.organisations(actor).await?;
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
        c: v.chrome("participants"),
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
    Ok((status, render(&page)).into_response())
}

/// `GET /participants/{id}/referrals/new`
pub async fn form(State(app): State<App>, v: Viewer, Id(pid): Id) -> PageResult {
    let input = ReferralInput::default();
    form_page(&app, &v, pid, &input, &[], StatusCode::OK).await
}

/// `POST /participants/{id}/referrals`
pub async fn send(
    State(app): State<App>,
    v: Viewer,
    Id(pid): Id,
    PageForm(input): PageForm<ReferralInput>,
) -> PageResult {
    let result = app.send_referral(&v.actor, pid, &input).await;
    let again = async |errors: Vec<FieldError>, status| {
        form_page(&app, &v, pid, &input, &errors, status).await
    };
    after_post(result, |_| "/referrals".into(), None, again).await
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
    use stegvis_domain::referral::Side;
    let incoming = r.to_org_id == actor.org_id;
    // Staff answer for the sender, partner staff for the recipient; an auditor only reads.
    let subject = stegvis_app::policy::Subject {
        participant_id: r.participant_id,
        org_id: r.from_org_id,
    };
    let may_act = stegvis_app::policy::may_move_referral(actor, subject, r.to_org_id, r.consent_id);
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
    /// The cursor of the next page ("Visa fler"), if more follow.
    next: Option<Uuid>,
    /// A page after the first (it links back to the start).
    later: bool,
    list_path: &'static str,
}

/// `GET /referrals`: one page, newest first.
pub async fn list(
    State(app): State<App>,
    v: Viewer,
    Query(q): Query<super::follow_ups::MoreQuery>,
) -> PageResult {
    let page = PageRequest::parse(None, q.after.as_deref())?;
    let list = app.referral_list(&v.actor, &page).await?;
    let (incoming, outgoing) = list
        .items
        .iter()
        .map(|r| line(r, &v.actor, v.lang))
        .partition(|l| l.incoming);
    Ok(render(&ListPage {
        c: v.chrome("referrals"),
        incoming,
        outgoing,
        next: list.next,
        later: page.after.is_some(),
        list_path: "/referrals",
    }))
}

/// `POST /referrals/{id}/status`: an answer from the list (the button says which).
pub async fn answer(
    State(app): State<App>,
    v: Viewer,
    Id(rid): Id,
    PageForm(input): PageForm<ReferralMove>,
) -> PageResult {
    // A stale button (someone answered first) is explained on the error page.
    app.move_referral(&v.actor, rid, &input).await?;
    Ok(Redirect::to("/referrals").into_response())
}
