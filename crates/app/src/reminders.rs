//! Reminders (issue #15): a participant's agreement to be reminded by e-mail and/or SMS, and the
//! background job that plans tomorrow's reminders and sends them.
//!
//! The agreement is read and written through the gate like a consent (the participant
//! themself, or staff with write access to their case). The job is a system job: its reads
//! of personal data open a system-audited transaction, and each sent reminder is an event.
//! Sending never repeats a reminder: a reminder is claimed (`sending`) and committed before
//! the SMTP server is contacted; one left `sending` by a crash becomes `failed`.

use crate::error::{FieldError, Text};
use crate::gate::reject;
use crate::{Actor, App, AppError, Result};
use serde::{Deserialize, Serialize};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use stegvis_domain::access::{Action, RecordKind};
use stegvis_i18n::{Arg, Language, text_with};
use stegvis_store::reminder::{ClaimedReminderRow, NewReminder, ReminderAgreementRow};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

/// How many reminders one claim takes at most: small, so a batch is through long before
/// [`STUCK_AFTER`] even when the SMTP server is slow (30 s timeout a command).
const CLAIM_BATCH: i64 = 10;
/// Tries for a reminder the server refused before accepting it.
const MAX_ATTEMPTS: i32 = 4;
/// A claim older than this was interrupted (a send takes seconds, a batch minutes at worst).
const STUCK_AFTER: time::Duration = time::Duration::minutes(30);

/// The participant's agreement as given or changed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct ReminderInput {
    /// Whether the participant wants reminders; `false` withdraws the agreement (and forgets
    /// the address and number).
    pub agreed: bool,
    /// E-mail address for reminders; empty or absent: none by e-mail.
    #[schema(max_length = 254)]
    pub email: Option<String>,
    /// Swedish mobile number (`070-123 45 67`, `+46 70 123 45 67`); empty or absent: no SMS.
    #[schema(max_length = 40)]
    pub phone: Option<String>,
    /// Language of the reminders: `sv`, `en`, `ar` or `so`.
    #[schema(pattern = "^(sv|en|ar|so)$", required = true)]
    pub language: String,
    /// The version read before the change (0 before any agreement); a different stored
    /// version answers 409. Absent: no check.
    pub version: Option<i32>,
}

/// The participant's agreement to reminders.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReminderAgreementView {
    pub participant_id: Uuid,
    /// Given and not withdrawn.
    pub agreed: bool,
    pub email: Option<String>,
    /// `+467…`.
    pub phone: Option<String>,
    #[schema(pattern = "^(sv|en|ar|so)$")]
    pub language: String,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub given_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub withdrawn_at: Option<OffsetDateTime>,
    /// 0 before any agreement; each change adds one.
    pub version: i32,
}

fn email_too_long() -> Text {
    Text::new(
        "E-postadressen är för lång (högst 254 tecken).",
        "The e-mail address is too long (at most 254 characters).",
    )
}

/// Checks an e-mail address: one `@`, a domain with a dot, no spaces, at most 254 characters.
pub fn check_email(v: &str) -> std::result::Result<String, Text> {
    let v = v.trim();
    let bad = || {
        Text::new(
            "Skriv en e-postadress som namn@exempel.se.",
            "Write an e-mail address like name@example.com.",
        )
    };
    if v.chars().count() > 254 || v.chars().any(char::is_whitespace) {
        return Err(bad());
    }
    let (local, domain) = v.split_once('@').ok_or_else(bad)?;
    if local.is_empty()
        || domain.contains('@')
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || domain.contains("..")
        || v.parse::<lettre::Address>().is_err()
    {
        return Err(bad());
    }
    Ok(v.to_owned())
}

/// Checks a Swedish mobile number (07X, +46 7X or 0046 7X; spaces and hyphens allowed) and
/// returns it as `+467XXXXXXXX`.
pub fn check_mobile(v: &str) -> std::result::Result<String, Text> {
    let bad = || {
        Text::new(
            "Skriv ett svenskt mobilnummer, till exempel 070-123 45 67.",
            "Write a Swedish mobile number, for example 070-123 45 67.",
        )
    };
    let compact: String = v
        .trim()
        .replacen("(0)", "", 1)
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')'))
        .collect();
    let national = if let Some(rest) = compact.strip_prefix("+46") {
        format!("0{rest}")
    } else if let Some(rest) = compact.strip_prefix("0046") {
        format!("0{rest}")
    } else {
        compact
    };
    let ok = national.len() == 10
        && national.chars().all(|c| c.is_ascii_digit())
        && national.starts_with("07")
        && matches!(national.as_bytes()[2], b'0' | b'2' | b'3' | b'6' | b'9');
    if !ok {
        return Err(bad());
    }
    Ok(format!("+46{}", &national[1..]))
}

/// `+46701234567` as `+46*******67`: enough to tell numbers apart in a log, not to call one.
pub fn mask_number(number: &str) -> String {
    let n = number.chars().count();
    number
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i < 3 || i + 2 >= n || !c.is_ascii_digit() {
                c
            } else {
                '*'
            }
        })
        .collect()
}

pub(crate) fn aad(field: &str, participant_id: Uuid) -> Vec<u8> {
    let mut a = format!("reminder_agreements.{field}:").into_bytes();
    a.extend_from_slice(participant_id.as_bytes());
    a
}

impl App {
    fn seal_contact(&self, field: &str, participant_id: Uuid, value: &str) -> Vec<u8> {
        self.keys
            .ring()
            .encrypt(value.as_bytes(), &aad(field, participant_id))
    }

    fn open_contact(&self, field: &str, participant_id: Uuid, blob: &[u8]) -> Result<String> {
        let aad = aad(field, participant_id);
        self.with_fresh_ring(blob, |ring| {
            ring.decrypt(blob, &aad)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
        })
        .ok_or_else(|| {
            AppError::Unreadable(Text::new(
                "En sparad kontaktuppgift kan inte läsas (fel nyckel eller skadat värde).",
                "A stored contact detail cannot be read (wrong key or a damaged value).",
            ))
        })
    }

    fn agreement_view(
        &self,
        participant_id: Uuid,
        row: Option<&ReminderAgreementRow>,
    ) -> Result<ReminderAgreementView> {
        let Some(r) = row else {
            return Ok(ReminderAgreementView {
                participant_id,
                agreed: false,
                email: None,
                phone: None,
                language: "sv".into(),
                given_at: None,
                withdrawn_at: None,
                version: 0,
            });
        };
        let email = match &r.email_enc {
            Some(b) => Some(self.open_contact("email", participant_id, b)?),
            None => None,
        };
        let phone = match &r.phone_enc {
            Some(b) => Some(self.open_contact("phone", participant_id, b)?),
            None => None,
        };
        Ok(ReminderAgreementView {
            participant_id,
            agreed: r.withdrawn_at.is_none(),
            email,
            phone,
            language: r.lang.clone(),
            given_at: Some(r.given_at),
            withdrawn_at: r.withdrawn_at,
            version: r.version,
        })
    }

    /// The participant's agreement to reminders (the participant, or staff who may read their
    /// consents).
    pub async fn reminder_agreement(
        &self,
        actor: &Actor,
        participant_id: Uuid,
    ) -> Result<ReminderAgreementView> {
        let (mut tx, _) = self
            .open_record(
                actor,
                participant_id,
                RecordKind::Consent,
                Action::Read,
                Some("reminders".into()),
            )
            .await?;
        let row = tx.reminder_agreement(participant_id).await?;
        self.commit(tx).await?;
        self.agreement_view(participant_id, row.as_ref())
    }

    /// Gives, changes or withdraws the participant's agreement to reminders. Bad input
    /// changes nothing.
    pub async fn set_reminder_agreement(
        &self,
        actor: &Actor,
        participant_id: Uuid,
        input: &ReminderInput,
    ) -> Result<ReminderAgreementView> {
        let (mut tx, subject) = self
            .open_record(
                actor,
                participant_id,
                RecordKind::Consent,
                Action::Write,
                Some("reminders".into()),
            )
            .await?;
        let mut errors = Vec::new();
        let nonempty = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        // Checked even when withdrawing (bad input is refused, never quietly dropped); kept
        // only while agreed.
        // The API document's limits hold for what was sent, spaces included.
        let too_long =
            |v: &Option<String>, max: usize| v.as_deref().is_some_and(|v| v.chars().count() > max);
        let email = match nonempty(&input.email) {
            Some(_) if too_long(&input.email, 254) => {
                errors.push(FieldError::new("email", email_too_long()));
                None
            }
            Some(v) => match check_email(&v) {
                Ok(v) => Some(v),
                Err(t) => {
                    errors.push(FieldError::new("email", t));
                    None
                }
            },
            _ => None,
        };
        let phone = match nonempty(&input.phone) {
            Some(_) if too_long(&input.phone, 40) => {
                errors.push(FieldError::new(
                    "phone",
                    Text::new(
                        "Skriv ett svenskt mobilnummer, till exempel 070-123 45 67 (högst 40 tecken).",
                        "Write a Swedish mobile number, for example 070-123 45 67 (at most 40 characters).",
                    ),
                ));
                None
            }
            Some(v) => match check_mobile(&v) {
                Ok(v) => Some(v),
                Err(t) => {
                    errors.push(FieldError::new("phone", t));
                    None
                }
            },
            _ => None,
        };
        if Language::from_code(input.language.trim()).is_none() {
            errors.push(FieldError::new(
                "language",
                Text::new(
                    "Välj språk: svenska, engelska, arabiska eller somaliska.",
                    "Choose a language: Swedish, English, Arabic or Somali.",
                ),
            ));
        }
        if input.agreed && errors.is_empty() && email.is_none() && phone.is_none() {
            errors.push(FieldError::new(
                "email",
                Text::new(
                    "Skriv en e-postadress eller ett mobilnummer för påminnelserna.",
                    "Write an e-mail address or a mobile number for the reminders.",
                ),
            ));
        }
        if !errors.is_empty() {
            return reject(tx, AppError::Invalid(errors)).await;
        }
        let (email, phone) = if input.agreed {
            (email, phone)
        } else {
            (None, None)
        };
        let current = tx.reminder_agreement(participant_id).await?;
        let stored = current.as_ref().map_or(0, |r| r.version);
        if input.version.is_some_and(|v| v != stored) {
            return reject(tx, changed_meanwhile()).await;
        }
        let now = self.now();
        let given_at = match &current {
            Some(r) if r.withdrawn_at.is_none() => r.given_at,
            _ => now,
        };
        let row = ReminderAgreementRow {
            participant_id,
            org_id: subject.org_id,
            by_email: email.is_some(),
            email_enc: email
                .as_deref()
                .map(|e| self.seal_contact("email", participant_id, e)),
            by_sms: phone.is_some(),
            phone_enc: phone
                .as_deref()
                .map(|p| self.seal_contact("phone", participant_id, p)),
            lang: input.language.trim().to_owned(),
            given_at: if input.agreed {
                given_at
            } else {
                current.as_ref().map_or(now, |r| r.given_at)
            },
            withdrawn_at: if input.agreed {
                None
            } else {
                current.as_ref().and_then(|r| r.withdrawn_at).or(Some(now))
            },
            version: stored + 1,
            updated_at: now,
            updated_by: Some(actor.user_id),
        };
        if !tx.put_reminder_agreement(&row, stored).await? {
            return reject(tx, changed_meanwhile()).await;
        }
        self.commit(tx).await?;
        self.agreement_view(participant_id, Some(&row))
    }
}

fn changed_meanwhile() -> AppError {
    AppError::Conflict(Text::new(
        "Påminnelserna har ändrats av någon annan. Läs in sidan igen.",
        "The reminders were changed by someone else. Reload the page.",
    ))
}

// ---------------------------------------------------------------------------------------------
// Sending.

/// Why a message did not go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// Refused before the server accepted anything (no connection, or a 4xx reply): safe to
    /// try again later.
    Refused(String),
    /// Refused for good, or interrupted when the server may have accepted it: never retried.
    Failed(String),
}

type SendFuture<'a> = Pin<Box<dyn Future<Output = std::result::Result<(), SendError>> + Send + 'a>>;

/// Sends e-mail.
pub trait Mailer: Send + Sync {
    fn send<'a>(&'a self, to: &'a str, subject: &'a str, body: &'a str) -> SendFuture<'a>;
}

/// Sends SMS. The one implementation, [`LogSms`], only logs; a real provider plugs in here.
pub trait SmsProvider: Send + Sync {
    fn send<'a>(&'a self, to: &'a str, text: &'a str) -> SendFuture<'a>;
}

/// An SMS provider that writes each message to the log, the number masked.
#[derive(Debug, Default, Clone, Copy)]
pub struct LogSms;

impl LogSms {
    /// The log line for one message: the number masked.
    pub fn line(to: &str, text: &str) -> String {
        format!("SMS (log only) to {}: {text}", mask_number(to))
    }
}

impl SmsProvider for LogSms {
    fn send<'a>(&'a self, to: &'a str, text: &'a str) -> SendFuture<'a> {
        Box::pin(async move {
            tracing::info!("{}", LogSms::line(to, text));
            Ok(())
        })
    }
}

/// E-mail over SMTP with lettre: `smtp://host:port` (plain, for a local relay or a test
/// sink), `smtp://…?tls=required` (STARTTLS) or `smtps://user:pass@host` (TLS).
pub struct SmtpMailer {
    transport: lettre::AsyncSmtpTransport<lettre::Tokio1Executor>,
    from: lettre::message::Mailbox,
}

impl std::fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpMailer")
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

impl SmtpMailer {
    /// `password` (from a file) replaces any password in the URL.
    pub fn new(url: &str, password: Option<&str>, from: &str) -> std::result::Result<Self, String> {
        use lettre::transport::smtp::authentication::Credentials;
        let mut builder = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(url)
            .map_err(|e| format!("STEGVIS_SMTP_URL: {e}"))?;
        if let Some(pw) = password {
            let parsed = url::Url::parse(url).map_err(|e| format!("STEGVIS_SMTP_URL: {e}"))?;
            let user = percent_decode(parsed.username());
            builder = builder.credentials(Credentials::new(user, pw.trim_end().to_owned()));
        }
        let transport = builder.timeout(Some(Duration::from_secs(30))).build();
        let from = from
            .parse()
            .map_err(|e| format!("STEGVIS_MAIL_FROM: {e}"))?;
        Ok(SmtpMailer { transport, from })
    }
}

fn percent_decode(v: &str) -> String {
    url::form_urlencoded::parse(format!("u={v}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

impl Mailer for SmtpMailer {
    fn send<'a>(&'a self, to: &'a str, subject: &'a str, body: &'a str) -> SendFuture<'a> {
        Box::pin(async move {
            use lettre::AsyncTransport;
            let to = to
                .parse()
                .map_err(|e| SendError::Failed(format!("address: {e}")))?;
            let message = lettre::Message::builder()
                .from(self.from.clone())
                .to(to)
                .subject(subject)
                .header(lettre::message::header::ContentType::TEXT_PLAIN)
                .body(body.to_owned())
                .map_err(|e| SendError::Failed(format!("message: {e}")))?;
            match self.transport.send(message).await {
                Ok(_) => Ok(()),
                Err(e) => Err(classify(&e)),
            }
        })
    }
}

/// A 4xx reply, or no connection at all, means the server has not taken the message: retry.
/// Anything else (5xx, a broken connection mid-way, a timeout) is final: it may have been
/// accepted, and a reminder is never sent twice.
fn classify(e: &lettre::transport::smtp::Error) -> SendError {
    let text = e.to_string();
    if e.is_transient() || text.starts_with("Connection error") {
        SendError::Refused(text)
    } else {
        SendError::Failed(text)
    }
}

/// How the job runs (from `serve`'s configuration).
#[derive(Clone)]
pub struct ReminderConfig {
    pub mailer: Option<Arc<dyn Mailer>>,
    pub sms: Option<Arc<dyn SmsProvider>>,
    /// Between ticks.
    pub interval: Duration,
    /// Shown in the text: `https://stegvis.exempelby.se`.
    pub public_url: Option<String>,
    /// Swedish hours `[from, to)` in which reminders go out (default 8–20: no message at night).
    pub hours: (u8, u8),
}

impl std::fmt::Debug for ReminderConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReminderConfig")
            .field("email", &self.mailer.is_some())
            .field("sms", &self.sms.is_some())
            .field("interval", &self.interval)
            .field("hours", &self.hours)
            .finish()
    }
}

impl Default for ReminderConfig {
    fn default() -> Self {
        ReminderConfig {
            mailer: None,
            sms: None,
            interval: Duration::from_secs(300),
            public_url: None,
            hours: (8, 20),
        }
    }
}

/// What one tick did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TickReport {
    pub planned: usize,
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
    pub skipped: usize,
    pub interrupted: u64,
}

/// The reminder's text: no activity name, no organisation, no plan content; only that there is
/// something tomorrow, when, and where to log in.
pub fn reminder_text(
    lang: Language,
    kind: &str,
    occasion: &str,
    public_url: Option<&str>,
) -> (String, String) {
    let (day, at) = occasion.split_once('T').unwrap_or((occasion, ""));
    let date = Date::parse(
        day,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok();
    let date_text = date.map_or_else(String::new, |d| {
        let month = text_with(
            lang,
            &format!("reminder-month-{}", u8::from(d.month())),
            &[],
        );
        text_with(
            lang,
            "reminder-date",
            &[
                ("day", Arg::from(i64::from(d.day()))),
                ("month", Arg::from(month)),
            ],
        )
    });
    let clock = if lang == Language::Sv {
        at.replace(':', ".")
    } else {
        at.to_owned()
    };
    let line = match kind {
        "activity" => text_with(
            lang,
            "reminder-activity",
            &[("date", Arg::from(date_text)), ("time", Arg::from(clock))],
        ),
        "plan_step" => text_with(
            lang,
            "reminder-plan-step",
            &[("date", Arg::from(date_text))],
        ),
        _ => text_with(
            lang,
            "reminder-follow-up",
            &[("date", Arg::from(date_text))],
        ),
    };
    let login = match public_url {
        Some(url) => text_with(lang, "reminder-login-url", &[("url", Arg::from(url))]),
        None => text_with(lang, "reminder-login", &[]),
    };
    (
        text_with(lang, "reminder-subject", &[]),
        format!("{line} {login}"),
    )
}

fn swedish_hour(at: OffsetDateTime) -> u8 {
    crate::local::swedish_time(at)
        .get(11..13)
        .and_then(|h| h.parse().ok())
        .unwrap_or(12)
}

impl App {
    /// Starts the reminder job (from `serve`). Without a mailer, e-mail reminders are not
    /// planned; without an SMS provider, SMS reminders are not.
    pub fn start_reminders(&self, config: ReminderConfig) {
        if config.mailer.is_none() {
            tracing::info!(
                "påminnelser med e-post är avstängda (ingen STEGVIS_SMTP_URL) / e-mail reminders are off (no STEGVIS_SMTP_URL)"
            );
        }
        if config.sms.is_none() {
            tracing::info!(
                "påminnelser med sms är avstängda (ingen STEGVIS_SMS_PROVIDER) / SMS reminders are off (no STEGVIS_SMS_PROVIDER)"
            );
        }
        let app = self.clone();
        tokio::spawn(async move {
            loop {
                if app.store.is_closed() {
                    return;
                }
                let tick = app.reminder_tick(&config).await;
                if !(tick.is_err() && app.store.is_closed()) {
                    app.jobs.record("reminders", tick.is_ok());
                }
                match tick {
                    Ok(r) if r != TickReport::default() => {
                        tracing::info!(?r, "reminders")
                    }
                    Ok(_) => {}
                    Err(_) if app.store.is_closed() => return,
                    Err(e) => tracing::warn!("the reminder job will try again: {e}"),
                }
                tokio::time::sleep(config.interval).await;
            }
        });
    }

    /// One tick: plan tomorrow's reminders (once a day in full, then for agreements changed
    /// since), mark interrupted sends failed, then claim and send what is due. An idle tick
    /// reads only existence checks and writes nothing.
    pub async fn reminder_tick(&self, config: &ReminderConfig) -> Result<TickReport> {
        let mut report = TickReport::default();
        let now = self.now();
        let tomorrow = self.today().next_day().unwrap_or(self.today());
        let work = self
            .store
            .reminder_work(tomorrow, now, now - STUCK_AFTER)
            .await?;
        if work.changed || work.stuck {
            let mut tx = self
                .system_job(&format!("reminders planned for {tomorrow}"), None)
                .await?;
            report.interrupted = tx.fail_stuck_reminders(now - STUCK_AFTER).await?;
            if work.changed {
                let weekday = i32::from(tomorrow.weekday().number_from_monday());
                let candidates = tx
                    .reminder_candidates(tomorrow, weekday, work.planned_at)
                    .await?;
                for c in candidates {
                    let channels = [
                        ("email", c.by_email && config.mailer.is_some()),
                        ("sms", c.by_sms && config.sms.is_some()),
                    ];
                    for (channel, on) in channels {
                        if !on {
                            continue;
                        }
                        let occasion = match &c.at_time {
                            Some(t) => format!("{tomorrow}T{t}"),
                            None => tomorrow.to_string(),
                        };
                        let new = NewReminder {
                            id: Uuid::now_v7(),
                            org_id: c.org_id,
                            participant_id: c.participant_id,
                            kind: c.kind.clone(),
                            source_id: c.source_id,
                            occasion,
                            channel: channel.into(),
                            next_attempt_at: now,
                            created_at: now,
                        };
                        if tx.plan_reminder(&new).await? {
                            report.planned += 1;
                        }
                    }
                }
                tx.mark_reminders_planned(tomorrow, now).await?;
            }
            self.commit(tx).await?;
        }
        let hour = swedish_hour(now);
        if work.due && hour >= config.hours.0 && hour < config.hours.1 {
            self.send_due(config, now, &mut report).await?;
        }
        Ok(report)
    }

    /// Claims due reminders for this job alone (committed before any sending), for tests too.
    pub async fn claim_due_reminders(
        &self,
        claim: Uuid,
        limit: i64,
    ) -> Result<Vec<ClaimedReminderRow>> {
        let mut tx = self
            .system_job("reminders claimed for sending", None)
            .await?;
        let rows = tx.claim_reminders(claim, self.now(), limit).await?;
        self.commit(tx).await?;
        Ok(rows)
    }

    async fn send_due(
        &self,
        config: &ReminderConfig,
        now: OffsetDateTime,
        report: &mut TickReport,
    ) -> Result<()> {
        let claim = Uuid::now_v7();
        let claimed = self.claim_due_reminders(claim, CLAIM_BATCH).await?;
        let today = self.today();
        for r in claimed {
            let outcome = self.send_one(config, &r, today).await;
            let (status, error, detail) = match &outcome {
                Outcome::Sent => ("sent", None, format!("reminder sent by {}", r.channel)),
                Outcome::Skipped(why) => (
                    "skipped",
                    Some(why.clone()),
                    format!("reminder skipped: {why}"),
                ),
                Outcome::Error(SendError::Refused(e)) if r.attempts < MAX_ATTEMPTS => {
                    // Backoff: 1, 4, 9 minutes.
                    let wait = time::Duration::minutes(i64::from(r.attempts * r.attempts));
                    let mut tx = self
                        .system_job(
                            "reminder refused by the server, tried again later",
                            Some(r.org_id),
                        )
                        .await?;
                    tx.retry_reminder(r.id, claim, self.now() + wait, e).await?;
                    self.commit(tx).await?;
                    report.retried += 1;
                    continue;
                }
                Outcome::Error(SendError::Refused(e) | SendError::Failed(e)) => (
                    "failed",
                    Some(e.clone()),
                    format!("reminder not sent by {}", r.channel),
                ),
            };
            let mut tx = self
                .open_system_job_about(
                    &detail,
                    r.org_id,
                    r.participant_id,
                    RecordKind::Consent,
                    "system:reminders",
                )
                .await?;
            tx.finish_reminder(r.id, claim, status, error.as_deref(), now)
                .await?;
            self.commit(tx).await?;
            match status {
                "sent" => report.sent += 1,
                "skipped" => report.skipped += 1,
                _ => report.failed += 1,
            }
        }
        Ok(())
    }

    async fn send_one(
        &self,
        config: &ReminderConfig,
        r: &ClaimedReminderRow,
        today: Date,
    ) -> Outcome {
        if r.withdrawn_at.is_some() || r.lang.is_none() {
            return Outcome::Skipped("agreement withdrawn".into());
        }
        if r.occasion
            .get(..10)
            .is_some_and(|d| d < today.to_string().as_str())
        {
            return Outcome::Skipped("occasion passed".into());
        }
        let lang = r
            .lang
            .as_deref()
            .and_then(Language::from_code)
            .unwrap_or_default();
        let (subject, body) =
            reminder_text(lang, &r.kind, &r.occasion, config.public_url.as_deref());
        match r.channel.as_str() {
            "email" => {
                let (Some(true), Some(blob), Some(mailer)) =
                    (r.by_email, &r.email_enc, &config.mailer)
                else {
                    return Outcome::Skipped("no e-mail agreed".into());
                };
                let Ok(to) = self.open_contact("email", r.participant_id, blob) else {
                    return Outcome::Error(SendError::Failed("address unreadable".into()));
                };
                match mailer.send(&to, &subject, &body).await {
                    Ok(()) => Outcome::Sent,
                    Err(e) => Outcome::Error(e),
                }
            }
            "sms" => {
                let (Some(true), Some(blob), Some(sms)) = (r.by_sms, &r.phone_enc, &config.sms)
                else {
                    return Outcome::Skipped("no SMS agreed".into());
                };
                let Ok(to) = self.open_contact("phone", r.participant_id, blob) else {
                    return Outcome::Error(SendError::Failed("number unreadable".into()));
                };
                match sms.send(&to, &body).await {
                    Ok(()) => Outcome::Sent,
                    Err(e) => Outcome::Error(e),
                }
            }
            _ => Outcome::Skipped("unknown channel".into()),
        }
    }

    /// Test support: a participant's reminders with their states.
    #[cfg(feature = "testing")]
    pub async fn reminders_of(
        &self,
        participant_id: Uuid,
    ) -> Result<Vec<stegvis_store::reminder::ReminderStateRow>> {
        let mut tx = self.system_job("test: reminders read", None).await?;
        let rows = tx.reminders_of(participant_id).await?;
        self.commit(tx).await?;
        Ok(rows)
    }
}

enum Outcome {
    Sent,
    Skipped(String),
    Error(SendError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(check_email(" ada@exempel.se ").unwrap(), "ada@exempel.se");
        for bad in [
            "",
            "ada",
            "ada@",
            "@exempel.se",
            "ada@exempel",
            "a da@x.se",
            "a@b@c.se",
            "ada@.se",
            "ada@x..se",
        ] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn mobiles() {
        for ok in [
            "070-123 45 67",
            "0701234567",
            "+46 70 123 45 67",
            "+46(0)701234567",
            "0046701234567",
            "073-1234567",
        ] {
            assert_eq!(check_mobile(ok).unwrap().len(), 12, "{ok}");
        }
        assert_eq!(check_mobile("070-123 45 67").unwrap(), "+46701234567");
        for bad in [
            "",
            "08-123 456 78",
            "0701234",
            "07012345678",
            "+4570123456",
            "071-1234567",
            "07O1234567",
        ] {
            assert!(check_mobile(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn masked() {
        assert_eq!(mask_number("+46701234567"), "+46*******67");
    }

    #[test]
    fn texts_hold_only_the_time() {
        let (s, b) = reminder_text(Language::Sv, "activity", "2026-12-07T09:00", None);
        assert_eq!(s, "Påminnelse från Stegvis");
        assert_eq!(
            b,
            "Hej! Du har en tid i morgon 7 december kl. 09.00. Logga in på Stegvis för att se mer."
        );
        let (_, b) = reminder_text(
            Language::En,
            "plan_step",
            "2026-12-07",
            Some("https://x.se"),
        );
        assert!(
            b.contains("7 December") && b.contains("https://x.se"),
            "{b}"
        );
        for lang in Language::ALL {
            for kind in ["activity", "plan_step", "follow_up"] {
                let (s, b) = reminder_text(lang, kind, "2026-12-07T09:00", None);
                assert!(
                    !s.starts_with("reminder-") && !b.contains("reminder-"),
                    "{lang:?} {kind}: {b}"
                );
            }
        }
    }
}
