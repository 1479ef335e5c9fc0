//! The access log: the participant's own page of who looked at their data, and the auditor's
//! search of the organisation's trail with export.

use super::{Chrome, Id, PageResult, Viewer, download_format, render};
use crate::Lang;
use crate::export::{Cell, Sheet, download};
use crate::forms::{ErrorView, TextField, error_views};
use crate::local_time::stockholm;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use stegvis_app::audit::{AuditEntry, AuditQuery, Verification, ground_text};
use stegvis_app::policy::{Decision, RecordKind};
use stegvis_app::{App, AppError, FieldError, Text};
use uuid::Uuid;

/// One line of a log, in words.
pub struct LogRow {
    pub when: String,
    pub who: String,
    pub organisation: String,
    pub what: String,
    pub action: String,
    pub allowed: bool,
    pub ground: String,
    pub participant_id: Option<Uuid>,
}

fn rows(events: &[AuditEntry], l: Lang, to_participant: bool) -> Vec<LogRow> {
    let code = l.code();
    events
        .iter()
        .map(|e| LogRow {
            when: stockholm(e.at),
            who: match (&e.actor_name, e.actor_role.as_str()) {
                (Some(n), _) => n.clone(),
                (None, "system") => l.t("Systemet", "The system").into(),
                (None, "participant") => l.t("En annan deltagare", "Another participant").into(),
                (None, _) => l.t("Okänd", "Unknown").into(),
            },
            organisation: e.actor_org_name.clone().unwrap_or_default(),
            what: RecordKind::from_code(&e.record_kind)
                .map_or(e.record_kind.clone(), |k| k.label(code).to_owned()),
            action: e.action.label(code).to_owned(),
            allowed: e.decision == Decision::Allowed,
            ground: ground_text(&e.ground, to_participant).get(code).to_owned(),
            participant_id: e.participant_id,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "access_log.html")]
struct AccessLogPage {
    c: Chrome,
    participant_id: Uuid,
    own: bool,
    rows: Vec<LogRow>,
}

/// `/participants/{id}/access-log`: for the participant themselves and the auditor.
pub async fn access_log(State(app): State<App>, v: Viewer, Id(participant_id): Id) -> PageResult {
    let actor = &v.actor;
    if let Some(r) = super::to_portal(actor, participant_id, "/me/access-log") {
        return Ok(r);
    }
    let events = app.access_log(actor, participant_id).await?;
    Ok(render(&AccessLogPage {
        c: v.chrome("participants"),
        participant_id,
        own: actor.participant_id == Some(participant_id),
        rows: rows(&events, v.lang, actor.participant_id.is_some()),
    }))
}

/// The auditor's filters as typed (kept on the page after an error).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct TrailForm {
    pub user: String,
    pub participant: String,
    pub from: String,
    pub to: String,
    pub format: String,
}

impl TrailForm {
    /// The query for the use case; a participant id that is not one is an error on its field.
    fn query(&self, limit: i64) -> (AuditQuery, Vec<FieldError>) {
        let mut errors = Vec::new();
        let participant = self.participant.trim();
        let participant_id = if participant.is_empty() {
            None
        } else {
            let parsed = Uuid::parse_str(participant).ok();
            if parsed.is_none() {
                errors.push(FieldError::new(
                    "participant",
                    Text::new(
                        "Klistra in deltagarens id från deltagarsidan.",
                        "Paste the participant's id from the participant page.",
                    ),
                ));
            }
            parsed
        };
        let q = AuditQuery {
            participant_id,
            user: Some(self.user.clone()),
            from: Some(self.from.clone()),
            to: Some(self.to.clone()),
            limit: Some(limit),
            ..AuditQuery::default()
        };
        (q, errors)
    }

    fn query_string(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .append_pair("user", &self.user)
            .append_pair("participant", &self.participant)
            .append_pair("from", &self.from)
            .append_pair("to", &self.to)
            .finish()
    }
}

/// Rows on screen; the export carries up to [`stegvis_app::audit::MAX_EVENTS`].
const ON_SCREEN: i64 = 200;

#[derive(Template)]
#[template(path = "audit.html")]
struct TrailPage {
    c: Chrome,
    errors: Vec<ErrorView>,
    fields: Vec<TextField>,
    rows: Vec<LogRow>,
    searched: bool,
    more: bool,
    query: String,
    verification: Option<VerificationView>,
}

/// The latest verification of the trail, in words.
struct VerificationView {
    when: String,
    by: String,
    ok: bool,
    events: i64,
    problems: i64,
    head_pos: i64,
    head_hash: String,
    problem: String,
}

fn verification_view(v: Verification, l: Lang) -> VerificationView {
    VerificationView {
        when: stockholm(v.at),
        by: if v.by_name == "operator" {
            l.t("Driftpersonal (kommandorad)", "Operator (command line)")
                .to_owned()
        } else {
            v.by_name
        },
        ok: v.ok,
        events: v.events,
        problems: v.problems,
        head_pos: v.head_pos,
        head_hash: v.head_hash.unwrap_or_default(),
        problem: v
            .first_problem
            .map(|t| t.get(l.code()).to_owned())
            .unwrap_or_default(),
    }
}

/// `POST /audit/verify`: the auditor verifies the trail now, then sees the outcome on `/audit`.
pub async fn verify(State(app): State<App>, v: Viewer) -> PageResult {
    app.verify_trail(Some(&v.actor)).await?;
    Ok(Redirect::to("/audit#verification").into_response())
}

/// `/audit`: the auditor's search by user, participant and period.
pub async fn trail(State(app): State<App>, v: Viewer, Query(form): Query<TrailForm>) -> PageResult {
    let actor = &v.actor;
    let l = v.lang;
    let (q, mut errors) = form.query(ON_SCREEN + 1);
    let mut events = Vec::new();
    if errors.is_empty() {
        match app.audit_trail(actor, &q).await {
            Ok(e) => events = e,
            Err(AppError::Invalid(e)) => errors = e,
            Err(e) => return Err(e.into()),
        }
    } else {
        // Still refuse those who may not search at all.
        app.audit_trail(actor, &AuditQuery::default()).await?;
    }
    let more = events.len() as i64 > ON_SCREEN;
    events.truncate(ON_SCREEN as usize);
    let field = |name: &str, label: &str, hint: &str, kind: &'static str, value: &str| {
        TextField::new(name, label, hint, kind, value.to_owned(), &errors, l)
    };
    let fields = vec![
        field(
            "user",
            l.t("Användare (e-post)", "User (e-mail)"),
            l.t(
                "Vem som läste eller ändrade. Lämna tomt för alla.",
                "Who read or changed. Leave empty for everyone.",
            ),
            "email",
            &form.user,
        ),
        field(
            "participant",
            l.t("Deltagarens id", "Participant's id"),
            l.t(
                "Finns på deltagarsidan under Åtkomstlogg. Lämna tomt för alla.",
                "Found on the participant page under Access log. Leave empty for all.",
            ),
            "text",
            &form.participant,
        ),
        field(
            "from",
            l.t("Från och med", "From"),
            l.t("ÅÅÅÅ-MM-DD", "YYYY-MM-DD"),
            "date",
            &form.from,
        ),
        field(
            "to",
            l.t("Till och med", "To"),
            l.t("ÅÅÅÅ-MM-DD", "YYYY-MM-DD"),
            "date",
            &form.to,
        ),
    ];
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let verification = app
        .last_verification(actor)
        .await?
        .map(|x| verification_view(x, l));
    let page = TrailPage {
        verification,
        c: v.chrome("audit"),
        errors: error_views(&errors, l),
        fields,
        rows: rows(&events, l, false),
        searched: errors.is_empty(),
        more,
        query: form.query_string(),
    };
    Ok((status, render(&page)).into_response())
}

/// `/audit/export?format=csv|xlsx&…`: the same search as a file.
pub async fn export(
    State(app): State<App>,
    v: Viewer,
    Query(form): Query<TrailForm>,
) -> PageResult {
    let format = download_format(Some(&form.format))?;
    let (q, errors) = form.query(stegvis_app::audit::MAX_EVENTS);
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors).into());
    }
    let events = app.audit_trail(&v.actor, &q).await?;
    let l = v.lang;
    Ok(download(
        &sheet(&events, l),
        format,
        l.t("atkomstlogg", "access-log"),
    ))
}

fn sheet(events: &[AuditEntry], l: Lang) -> Sheet {
    let text = |s: &str| Cell::Text(s.to_owned());
    let rows = rows(events, l, false)
        .into_iter()
        .zip(events)
        .map(|(r, e)| {
            vec![
                text(&r.when),
                text(&r.who),
                text(&e.actor_role),
                text(&r.organisation),
                text(&e.participant_id.map(|p| p.to_string()).unwrap_or_default()),
                text(&r.what),
                text(&r.action),
                text(e.decision.code()),
                text(&e.ground),
                text(e.detail.as_deref().unwrap_or_default()),
            ]
        })
        .collect();
    Sheet {
        title: l.t("Åtkomstlogg", "Access log").into(),
        headers: [
            l.t("Tid (svensk tid)", "Time (Swedish time)"),
            l.t("Vem", "Who"),
            l.t("Roll", "Role"),
            l.t("Organisation", "Organisation"),
            l.t("Deltagar-id", "Participant id"),
            l.t("Uppgifter", "Records"),
            l.t("Handling", "Action"),
            l.t("Beslut", "Decision"),
            l.t("Grund", "Ground"),
            l.t("Detalj", "Detail"),
        ]
        .map(str::to_owned)
        .to_vec(),
        rows,
    }
}
