//! The participant's portal (`/me`): their own pages, made for a phone first, in the language
//! they choose (Swedish, English, Arabic, Somali). One task per screen, cards instead of tables,
//! no JavaScript. Every text comes from the Fluent files of `stegvis-i18n`.
//!
//! Every read and write goes through the same app use cases as the staff pages (policy decision
//! and audit); the portal only chooses what to show.

use super::{PageError, PageResult, Visitor, render};
use crate::forms::PageForm;
use crate::i18n::Language;
use crate::local_time::stockholm;
use crate::session::{Ctx, LANG_COOKIE, set_cookie};
use askama::Template;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use stegvis_app::consents::{ConsentInput, SHAREABLE};
use stegvis_app::plans::{PlanStepInput, PlanStepUpdate};
use stegvis_app::policy::{Action, Decision, RecordKind};
use stegvis_app::{Actor, App, AppError, FieldError};
use stegvis_domain::plan::{StepOwner, StepStatus};
use stegvis_i18n::{Arg, text, text_with};
use uuid::Uuid;

/// Whether a path is one of the portal's (its errors and refusals use the portal's language).
pub fn is_portal_path(path: &str) -> bool {
    path == "/me" || path.starts_with("/me/") || path == "/tillganglighet"
}

/// Texts in one language, for templates: `{{ p.tr.t("key") }}`.
#[derive(Clone, Copy)]
pub struct Tr(pub Language);

impl Tr {
    pub fn t(&self, key: &str) -> String {
        text(self.0, key)
    }

    pub fn code(&self) -> &'static str {
        self.0.code()
    }

    pub fn dir(&self) -> &'static str {
        self.0.dir()
    }

    /// The label of a code from a list (`record-plan`, `status-done` …), or the code itself.
    fn label(&self, prefix: &str, code: &str) -> String {
        let key = format!("{prefix}-{}", code.replace('_', "-"));
        let t = text(self.0, &key);
        if t == key { code.to_owned() } else { t }
    }
}

/// One entry of the language chooser.
pub struct LanguageLink {
    pub code: &'static str,
    pub name: String,
    pub current: bool,
}

/// What the portal's base template needs on every page.
pub struct PortalChrome {
    pub tr: Tr,
    pub csrf: String,
    pub signed_in: bool,
    pub path: String,
    pub languages: Vec<LanguageLink>,
}

pub fn portal_chrome(ctx: &Ctx, uri: &Uri) -> PortalChrome {
    PortalChrome {
        tr: Tr(ctx.language),
        csrf: ctx.csrf().to_owned(),
        signed_in: ctx.actor().is_some(),
        // The path only, as in the staff chrome: a query never travels into links.
        path: uri.path().to_owned(),
        languages: Language::ALL
            .iter()
            .map(|l| LanguageLink {
                code: l.code(),
                name: l.native_name(),
                current: *l == ctx.language,
            })
            .collect(),
    }
}

/// The signed-in participant on their own pages. Anyone else signed in is refused (staff have
/// their own pages); a visitor who is not signed in is asked to log in.
pub struct Me {
    pub actor: Actor,
    pub participant_id: Uuid,
    pub p: PortalChrome,
}

impl Me {
    pub(super) fn tr(&self) -> Tr {
        self.p.tr
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Me {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let v = Visitor::from_request_parts(parts, state).await?;
        let actor = v.ctx.actor().cloned().ok_or(AppError::Unauthenticated)?;
        let participant_id = actor.participant_id.ok_or(AppError::Forbidden)?;
        Ok(Me {
            actor,
            participant_id,
            p: portal_chrome(&v.ctx, &parts.uri),
        })
    }
}

// ------------------------------------------------------------------------------------------
// Errors in the participant's language.

#[derive(Template)]
#[template(path = "portal_message.html")]
struct MessagePage {
    p: PortalChrome,
    title: String,
    body: String,
}

/// The error page of the portal (and of any page a participant opens), in their language.
pub fn error_page(ctx: &Ctx, uri: &Uri, e: &AppError) -> Response {
    let tr = Tr(ctx.language);
    let key = match e {
        AppError::NotFound => "not-found",
        AppError::Forbidden => {
            if ctx.actor().is_some_and(|a| a.participant_id.is_none()) && is_portal_path(uri.path())
            {
                "staff-on-portal"
            } else {
                "forbidden"
            }
        }
        AppError::Invalid(_) => "invalid",
        AppError::Conflict(_) => "conflict",
        AppError::TooManyAttempts => "too-many",
        AppError::Busy => "busy",
        _ => "internal",
    };
    let page = MessagePage {
        p: portal_chrome(ctx, uri),
        title: tr.t(&format!("error-{key}-title")),
        body: tr.t(&format!("error-{key}")),
    };
    let mut response = (crate::error::status_of(e), render(&page)).into_response();
    if matches!(e, AppError::Busy) {
        response.headers_mut().insert(
            header::RETRY_AFTER,
            axum::http::HeaderValue::from_static(crate::error::RETRY_AFTER_SECONDS),
        );
    }
    response
}

/// A message to a participant (or someone about to become one, signing in) in their language.
pub fn message(ctx: &Ctx, status: StatusCode, title_key: &str, body_key: &str) -> Response {
    let tr = Tr(ctx.language);
    let page = MessagePage {
        p: portal_chrome(ctx, &Uri::from_static("/login")),
        title: tr.t(title_key),
        body: tr.t(body_key),
    };
    (status, render(&page)).into_response()
}

/// A field's error in the participant's language: the field names the message (the app's own
/// messages are in Swedish and English only).
pub(super) fn field_errors(errors: &[FieldError], tr: Tr) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for e in errors {
        if out.iter().any(|(f, _)| *f == e.field) {
            continue;
        }
        let key = format!("error-field-{}", e.field.replace('_', "-"));
        let t = tr.t(&key);
        let message = if t == key { tr.t("error-field") } else { t };
        out.push((e.field.clone(), message));
    }
    out
}

pub(super) fn error_for(errors: &[(String, String)], field: &str) -> Option<String> {
    errors
        .iter()
        .find(|(f, _)| f == field)
        .map(|(_, m)| m.clone())
}

// ------------------------------------------------------------------------------------------
// The language chooser and the accessibility statement: for everyone.

#[derive(serde::Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// `GET /language/{code}`: remembers the language (any of the four) and goes back.
pub async fn language(Path(code): Path<String>, Query(q): Query<NextQuery>) -> Response {
    let lang = Language::from_code(&code).unwrap_or_default();
    let mut headers = HeaderMap::new();
    headers.insert(
        header::SET_COOKIE,
        set_cookie(LANG_COOKIE, lang.code(), Some(time::Duration::days(365))),
    );
    (
        headers,
        Redirect::to(&super::login::safe_next(q.next.as_deref().unwrap_or("/"))),
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "accessibility.html")]
struct AccessibilityPage {
    p: PortalChrome,
    contact: Option<String>,
}

/// The e-mail address for accessibility feedback the operator configured (`accessibility_contact`,
/// or `STEGVIS_ACCESSIBILITY_CONTACT`), if any.
fn accessibility_contact(config: &crate::WebConfig) -> Option<String> {
    config
        .accessibility_contact
        .clone()
        .or_else(|| std::env::var("STEGVIS_ACCESSIBILITY_CONTACT").ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

/// `GET /tillganglighet`: the accessibility statement (DOS-lagen 2018:1937, DIGG's model).
pub async fn accessibility(
    v: Visitor,
    axum::Extension(config): axum::Extension<std::sync::Arc<crate::WebConfig>>,
) -> PageResult {
    let p = portal_chrome(&v.ctx, &"/tillganglighet".parse().expect("a path"));
    Ok(render(&AccessibilityPage {
        p,
        contact: accessibility_contact(&config),
    }))
}

// ------------------------------------------------------------------------------------------
// My next steps.

/// A plan step as a card.
pub struct StepCard {
    pub id: Uuid,
    pub goal: String,
    pub step: String,
    pub due: Option<String>,
    pub status: String,
    pub done: bool,
    pub words: Option<String>,
    /// The participant's own step, which they may mark done.
    pub own: bool,
    pub version: i64,
}

fn step_cards(steps: Vec<stegvis_app::plans::PlanStepView>, tr: Tr) -> Vec<StepCard> {
    steps
        .into_iter()
        .map(|s| StepCard {
            id: s.id,
            due: s.due_on.map(|d| d.to_string()),
            status: tr.label("status", &s.status),
            done: matches!(
                StepStatus::from_code(&s.status),
                Ok(StepStatus::Done | StepStatus::Dropped)
            ),
            own: s.owner == StepOwner::Participant.code(),
            words: s.participant_words,
            goal: s.goal,
            step: s.step,
            version: s.version,
        })
        .collect()
}

/// A scheduled session as a card.
pub struct SessionCard {
    pub day: String,
    pub clock: String,
    pub activity: String,
    pub kind: String,
    pub place: Option<String>,
}

fn session_cards<'a>(
    sessions: impl Iterator<Item = &'a stegvis_app::activities::WeekSession>,
    tr: Tr,
) -> Vec<SessionCard> {
    sessions
        .map(|s| SessionCard {
            day: format!(
                "{} {}",
                tr.t(&format!(
                    "weekday-{}",
                    s.date.weekday().number_from_monday()
                )),
                s.date
            ),
            clock: s.clock.clone(),
            activity: s.activity.clone(),
            kind: tr.label("activity", &s.kind),
            place: s.place.clone(),
        })
        .collect()
}

/// Minutes as hours with one decimal, in words: "3,5 timmar".
fn hours(tr: Tr, minutes: u64) -> String {
    let tenths = (minutes * 10 + 30) / 60;
    let number = if tenths.is_multiple_of(10) {
        format!("{}", tenths / 10)
    } else if matches!(tr.0, Language::Sv | Language::So) {
        format!("{},{}", tenths / 10, tenths % 10)
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    };
    text_with(
        tr.0,
        "hours",
        &[
            ("hours", Arg::Text(number)),
            ("count", Arg::from(minutes as f64 / 60.0)),
        ],
    )
}

#[derive(Template)]
#[template(path = "portal_home.html")]
struct HomePage {
    p: PortalChrome,
    greeting: String,
    next_steps: Vec<StepCard>,
    sessions: Vec<SessionCard>,
}

/// Reads a section the participant may not have (no plan yet is empty, never an error).
fn or_empty<T: Default>(r: Result<T, AppError>) -> Result<T, PageError> {
    match r {
        Ok(v) => Ok(v),
        Err(AppError::NotFound | AppError::Forbidden) => Ok(T::default()),
        Err(e) => Err(e.into()),
    }
}

/// `GET /me`: the next steps and activities, and the way to each task.
pub async fn home(State(app): State<App>, me: Me) -> PageResult {
    let tr = me.tr();
    let today = app.today();
    let steps = or_empty(app.plan(&me.actor, me.participant_id).await)?;
    let mut open: Vec<StepCard> = step_cards(steps, tr)
        .into_iter()
        .filter(|s| !s.done)
        .collect();
    // Dated steps first, the soonest on top; steps without a date after them.
    open.sort_by(|a, b| (a.due.is_none(), &a.due).cmp(&(b.due.is_none(), &b.due)));
    open.truncate(3);
    let week = app.week_of(&me.actor, me.participant_id, today).await?;
    // What is still ahead this week.
    let sessions = session_cards(week.sessions.iter().filter(|s| s.date >= today).take(3), tr);
    let greeting = text_with(
        tr.0,
        "home-greeting",
        &[("name", Arg::Text(me.actor.name.clone()))],
    );
    Ok(render(&HomePage {
        p: me.p,
        greeting,
        next_steps: open,
        sessions,
    }))
}

// ------------------------------------------------------------------------------------------
// My plan.

#[derive(Template)]
#[template(path = "portal_plan.html")]
struct PlanPage {
    p: PortalChrome,
    steps: Vec<StepCard>,
    error: Option<String>,
}

async fn plan_page(app: &App, me: Me, error: Option<String>, status: StatusCode) -> PageResult {
    let tr = me.tr();
    let steps = or_empty(app.plan(&me.actor, me.participant_id).await)?;
    let mut steps = step_cards(steps, tr);
    // Open steps first, then those done.
    steps.sort_by_key(|s| s.done);
    Ok((
        status,
        render(&PlanPage {
            p: me.p,
            steps,
            error,
        }),
    )
        .into_response())
}

/// `GET /me/plan`
pub async fn plan(State(app): State<App>, me: Me) -> PageResult {
    plan_page(&app, me, None, StatusCode::OK).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct VersionForm {
    version: Option<i64>,
}

/// `POST /me/plan-steps/{id}/done`: the participant marks their own step done.
pub async fn step_done(
    State(app): State<App>,
    me: Me,
    Path(step_id): Path<Uuid>,
    PageForm(form): PageForm<VersionForm>,
) -> PageResult {
    let input = PlanStepUpdate {
        status: Some(StepStatus::Done.code().into()),
        version: form.version,
        ..Default::default()
    };
    match app.update_plan_step(&me.actor, step_id, &input).await {
        Ok(_) => Ok(Redirect::to("/me/plan").into_response()),
        // Changed meanwhile, or not theirs to mark: the plan again, with the reason.
        Err(AppError::Conflict(_)) => {
            let error = Some(me.tr().t("error-conflict"));
            plan_page(&app, me, error, StatusCode::CONFLICT).await
        }
        Err(AppError::Invalid(_)) => {
            let error = Some(me.tr().t("error-not-own-step"));
            plan_page(&app, me, error, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A text field of a portal form, with its value and error.
pub struct Field {
    pub name: &'static str,
    pub label: String,
    pub hint: String,
    pub kind: &'static str,
    pub value: String,
    pub error: Option<String>,
}

impl Field {
    pub(super) fn new(
        tr: Tr,
        name: &'static str,
        kind: &'static str,
        value: String,
        errors: &[(String, String)],
    ) -> Field {
        let key = name.replace('_', "-");
        let hint_key = format!("field-{key}-hint");
        let hint = tr.t(&hint_key);
        Field {
            name,
            label: tr.t(&format!("field-{key}")),
            hint: if hint == hint_key {
                String::new()
            } else {
                hint
            },
            kind,
            value,
            error: error_for(errors, name),
        }
    }
}

#[derive(Template)]
#[template(path = "portal_step_new.html")]
struct NewStepPage {
    p: PortalChrome,
    errors: Vec<(String, String)>,
    fields: Vec<Field>,
}

fn new_step_page(
    me: Me,
    input: &PlanStepInput,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let tr = me.tr();
    let errors = field_errors(errors, tr);
    let fields = vec![
        Field::new(tr, "goal", "text", input.goal.clone(), &errors),
        Field::new(tr, "step", "text", input.step.clone(), &errors),
        Field::new(
            tr,
            "due_on",
            "date",
            input.due_on.clone().unwrap_or_default(),
            &errors,
        ),
        Field::new(
            tr,
            "participant_words",
            "textarea",
            input.participant_words.clone().unwrap_or_default(),
            &errors,
        ),
    ];
    Ok((
        status,
        render(&NewStepPage {
            p: me.p,
            errors,
            fields,
        }),
    )
        .into_response())
}

/// `GET /me/plan/new`
pub async fn step_form(me: Me) -> PageResult {
    new_step_page(me, &PlanStepInput::default(), &[], StatusCode::OK)
}

/// `POST /me/plan`: the participant adds a step of their own.
pub async fn step_add(
    State(app): State<App>,
    me: Me,
    PageForm(mut input): PageForm<PlanStepInput>,
) -> PageResult {
    // The participant's own step; staff fields are never taken from this form.
    input.owner = StepOwner::Participant.code().into();
    input.staff_note = None;
    match app
        .add_plan_step(&me.actor, me.participant_id, &input)
        .await
    {
        Ok(_) => Ok(Redirect::to("/me/plan").into_response()),
        Err(AppError::Invalid(errors)) => {
            new_step_page(me, &input, &errors, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "portal_step_words.html")]
struct WordsPage {
    p: PortalChrome,
    errors: Vec<(String, String)>,
    step: StepCard,
    field: Field,
}

async fn words_page(
    app: &App,
    me: Me,
    step_id: Uuid,
    posted: Option<&str>,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let tr = me.tr();
    let d = app.plan_step(&me.actor, step_id).await?;
    let errors = field_errors(errors, tr);
    let step = step_cards(vec![d.step], tr).remove(0);
    let value = posted
        .map(str::to_owned)
        .unwrap_or_else(|| step.words.clone().unwrap_or_default());
    let field = Field::new(tr, "participant_words", "textarea", value, &errors);
    Ok((
        status,
        render(&WordsPage {
            p: me.p,
            errors,
            step,
            field,
        }),
    )
        .into_response())
}

/// `GET /me/plan-steps/{id}`: write about a step in one's own words.
pub async fn words_form(State(app): State<App>, me: Me, Path(step_id): Path<Uuid>) -> PageResult {
    words_page(&app, me, step_id, None, &[], StatusCode::OK).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct WordsForm {
    participant_words: String,
    version: Option<i64>,
}

/// `POST /me/plan-steps/{id}`
pub async fn words_submit(
    State(app): State<App>,
    me: Me,
    Path(step_id): Path<Uuid>,
    PageForm(form): PageForm<WordsForm>,
) -> PageResult {
    let input = PlanStepUpdate {
        participant_words: Some(form.participant_words.clone()),
        version: form.version,
        ..Default::default()
    };
    match app.update_plan_step(&me.actor, step_id, &input).await {
        Ok(_) => Ok(Redirect::to("/me/plan").into_response()),
        Err(AppError::Invalid(errors)) => {
            words_page(
                &app,
                me,
                step_id,
                Some(&form.participant_words),
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AppError::Conflict(_)) => {
            let errors = [FieldError::new("conflict", stegvis_app::Text::new("", ""))];
            words_page(
                &app,
                me,
                step_id,
                Some(&form.participant_words),
                &errors,
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

// ------------------------------------------------------------------------------------------
// My activities.

#[derive(Template)]
#[template(path = "portal_activities.html")]
struct ActivitiesPage {
    p: PortalChrome,
    sessions: Vec<SessionCard>,
    week_hours: String,
    month_hours: String,
}

/// `GET /me/activities`: this week's activities and my hours.
pub async fn activities(State(app): State<App>, me: Me) -> PageResult {
    let tr = me.tr();
    let week = app
        .week_of(&me.actor, me.participant_id, app.today())
        .await?;
    Ok(render(&ActivitiesPage {
        sessions: session_cards(week.sessions.iter(), tr),
        week_hours: hours(tr, week.week_minutes),
        month_hours: hours(tr, week.month_minutes),
        p: me.p,
    }))
}

// ------------------------------------------------------------------------------------------
// My placements.

pub struct PlacementCard {
    pub kind: String,
    pub workplace: String,
    pub status: String,
    pub offered_on: String,
    pub period: Option<String>,
    pub hours_per_week: Option<i32>,
}

#[derive(Template)]
#[template(path = "portal_placements.html")]
struct PlacementsPage {
    p: PortalChrome,
    placements: Vec<PlacementCard>,
}

/// `GET /me/placements`
pub async fn placements(State(app): State<App>, me: Me) -> PageResult {
    let tr = me.tr();
    let list = or_empty(app.placements_of(&me.actor, me.participant_id).await)?;
    let placements = list
        .into_iter()
        .map(|p| PlacementCard {
            kind: tr.label("placement", &p.kind),
            status: tr.label("placement-status", &p.status),
            workplace: p.workplace_name,
            offered_on: p.offered_on.to_string(),
            period: match (p.starts_on, p.ends_on) {
                (Some(a), Some(b)) => Some(format!("{a} – {b}")),
                (Some(a), None) => Some(format!("{a} –")),
                _ => None,
            },
            hours_per_week: p.hours_per_week,
        })
        .collect();
    Ok(render(&PlacementsPage {
        p: me.p,
        placements,
    }))
}

// ------------------------------------------------------------------------------------------
// My consents.

pub struct ConsentCard {
    pub id: Uuid,
    pub recipient: String,
    pub kinds: Vec<String>,
    pub purpose: String,
    pub period: String,
    pub state: String,
    pub revoked: bool,
}

#[derive(Template)]
#[template(path = "portal_consents.html")]
struct ConsentsPage {
    p: PortalChrome,
    consents: Vec<ConsentCard>,
    can_give: bool,
}

/// `GET /me/consents`
pub async fn consents(State(app): State<App>, me: Me) -> PageResult {
    let tr = me.tr();
    let list = or_empty(app.consents(&me.actor, me.participant_id).await)?;
    let names: std::collections::HashMap<Uuid, String> = app
        .organisations(&me.actor)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let consents = list
        .iter()
        .map(|c| ConsentCard {
            id: c.id,
            recipient: names.get(&c.recipient_org_id).cloned().unwrap_or_default(),
            kinds: c.kinds.iter().map(|k| tr.label("record", k)).collect(),
            purpose: c.purpose.clone(),
            period: match c.valid_to {
                Some(to) => format!("{} – {to}", c.valid_from),
                None => text_with(
                    tr.0,
                    "consent-from",
                    &[("date", Arg::Text(c.valid_from.to_string()))],
                ),
            },
            state: tr.t(if c.revoked {
                "consent-revoked"
            } else if c.live {
                "consent-live"
            } else {
                "consent-not-live"
            }),
            revoked: c.revoked,
        })
        .collect();
    let can_give = may_give_consent(&app, &me).await?;
    Ok(render(&ConsentsPage {
        p: me.p,
        consents,
        can_give,
    }))
}

/// Whether the gate lets this participant give a consent themselves.
async fn may_give_consent(app: &App, me: &Me) -> Result<bool, PageError> {
    let d = app.participant(&me.actor, me.participant_id).await?;
    let permitted = app
        .permitted(
            &me.actor,
            me.participant_id,
            d.participant.org_id,
            &[(RecordKind::Consent, Action::Write)],
        )
        .await?;
    Ok(!permitted.is_empty())
}

/// `POST /me/consents/{id}/revoke`
pub async fn revoke(State(app): State<App>, me: Me, Path(consent_id): Path<Uuid>) -> PageResult {
    app.revoke_consent(&me.actor, consent_id).await?;
    Ok(Redirect::to("/me/consents").into_response())
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "portal_consent_new.html")]
struct ConsentFormPage {
    p: PortalChrome,
    errors: Vec<(String, String)>,
    recipients: Vec<Choice>,
    recipient_error: Option<String>,
    kinds: Vec<Choice>,
    kinds_error: Option<String>,
    purpose: Field,
    valid_to: Field,
}

async fn consent_page(
    app: &App,
    me: Me,
    input: &ConsentInput,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let tr = me.tr();
    let own_org = app
        .participant(&me.actor, me.participant_id)
        .await?
        .participant
        .org_id;
    let recipients = app
        .organisations(&me.actor)
        .await?
        .into_iter()
        .filter(|o| o.id != own_org && !matches!(o.kind.as_str(), "employer" | "social_enterprise"))
        .map(|o| Choice {
            checked: input.recipient_org_id == o.id.to_string(),
            value: o.id.to_string(),
            label: o.name,
        })
        .collect();
    let kinds = SHAREABLE
        .iter()
        .map(|k| Choice {
            value: k.code().to_owned(),
            label: tr.label("record", k.code()),
            checked: input.kinds.iter().any(|c| c == k.code()),
        })
        .collect();
    let errors = field_errors(errors, tr);
    Ok((
        status,
        render(&ConsentFormPage {
            recipient_error: error_for(&errors, "recipient_org_id"),
            kinds_error: error_for(&errors, "kinds"),
            purpose: Field::new(tr, "purpose", "text", input.purpose.clone(), &errors),
            valid_to: Field::new(
                tr,
                "valid_to",
                "date",
                input.valid_to.clone().unwrap_or_default(),
                &errors,
            ),
            errors,
            recipients,
            kinds,
            p: me.p,
        }),
    )
        .into_response())
}

/// `GET /me/consents/new`
pub async fn consent_form(State(app): State<App>, me: Me) -> PageResult {
    if !may_give_consent(&app, &me).await? {
        return Err(AppError::Forbidden.into());
    }
    consent_page(&app, me, &ConsentInput::default(), &[], StatusCode::OK).await
}

/// `POST /me/consents`: the participant gives a consent themselves (digitally).
pub async fn consent_give(
    State(app): State<App>,
    me: Me,
    PageForm(mut input): PageForm<ConsentInput>,
) -> PageResult {
    input.form = "digital".into();
    input.valid_from = None;
    match app
        .grant_consent(&me.actor, me.participant_id, &input)
        .await
    {
        Ok(_) => Ok(Redirect::to("/me/consents").into_response()),
        Err(AppError::Invalid(errors)) => {
            consent_page(&app, me, &input, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

// ------------------------------------------------------------------------------------------
// Who has looked at my data.

pub struct LogCard {
    pub when: String,
    pub who: String,
    pub organisation: String,
    pub what: String,
    pub action: String,
    pub allowed: bool,
    pub ground: String,
}

/// Events on one page of the access log.
const LOG_PAGE: usize = 20;

#[derive(Template)]
#[template(path = "portal_access_log.html")]
struct AccessLogPage {
    p: PortalChrome,
    rows: Vec<LogCard>,
    page: usize,
    pages: usize,
    position: String,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct PageQuery {
    page: Option<String>,
}

/// The ground of an event in plain words to the participant.
fn ground_key(ground: &str) -> &'static str {
    let (kind, rest) = ground.split_once(':').unwrap_or((ground, ""));
    match (kind, rest) {
        ("own_organisation", _) => "ground-own-organisation",
        ("own_record", _) => "ground-own-record",
        ("consent", "search") => "ground-consent-search",
        ("consent", _) => "ground-consent",
        ("supervisor", _) => "ground-supervisor",
        ("system", _) => "ground-system",
        ("own_account", _) => "ground-own-account",
        ("denied", "invalid_input" | "conflict") => "ground-not-saved",
        ("denied", _) => "ground-denied",
        _ => "ground-other",
    }
}

/// `GET /me/access-log?page=N`: who has looked at my data, newest first.
pub async fn access_log(State(app): State<App>, me: Me, Query(q): Query<PageQuery>) -> PageResult {
    let tr = me.tr();
    let events = app.access_log(&me.actor, me.participant_id).await?;
    let pages = events.len().div_ceil(LOG_PAGE).max(1);
    // A page that is not a number, or past the end, is not found.
    let page = match q.page.as_deref().map(str::parse::<usize>) {
        None => 1,
        Some(Ok(n)) if (1..=pages).contains(&n) => n,
        _ => return Err(AppError::NotFound.into()),
    };
    let rows = events
        .iter()
        .skip((page - 1) * LOG_PAGE)
        .take(LOG_PAGE)
        .map(|e| LogCard {
            when: stockholm(e.at),
            who: match (&e.actor_name, e.actor_role.as_str(), e.ground.as_str()) {
                (_, _, "own_record") => tr.t("who-you"),
                (Some(n), _, _) => n.clone(),
                (None, "system", _) => tr.t("who-system"),
                (None, "participant", _) => tr.t("who-other-participant"),
                (None, _, _) => tr.t("who-unknown"),
            },
            organisation: e.actor_org_name.clone().unwrap_or_default(),
            what: tr.label("record", &e.record_kind),
            action: tr.label("action", e.action.code()),
            allowed: e.decision == Decision::Allowed,
            ground: tr.t(ground_key(&e.ground)),
        })
        .collect();
    let position = text_with(
        tr.0,
        "log-page",
        &[
            ("page", Arg::from(page as i64)),
            ("pages", Arg::from(pages as i64)),
        ],
    );
    Ok(render(&AccessLogPage {
        p: me.p,
        rows,
        page,
        pages,
        position,
    }))
}
