//! `serve`'s reminder settings: SMTP for e-mail, the SMS provider, the interval.

use anyhow::{Context, Result, bail};
use clap::Args;
use std::path::PathBuf;
use std::sync::Arc;
use stegvis_app::reminders::{LogSms, ReminderConfig, SmtpMailer};

#[derive(Args, Clone, Debug)]
pub struct ReminderArgs {
    /// SMTP server for e-mail reminders: `smtp://host:2525`, `smtp://host:587?tls=required`
    /// (STARTTLS) or `smtps://user:pass@host` (TLS). Without it no e-mail reminder is planned.
    #[arg(long, env = "STEGVIS_SMTP_URL", hide_env_values = true)]
    smtp_url: Option<String>,
    /// A file holding the SMTP password (replaces one in the URL).
    #[arg(long, env = "STEGVIS_SMTP_PASSWORD_FILE")]
    smtp_password_file: Option<PathBuf>,
    /// The sender of reminder e-mail.
    #[arg(
        long,
        env = "STEGVIS_MAIL_FROM",
        default_value = "Stegvis <stegvis@localhost>"
    )]
    mail_from: String,
    /// `log`: SMS reminders are written to the log (number masked). Without it no SMS is planned.
    #[arg(long, env = "STEGVIS_SMS_PROVIDER")]
    sms_provider: Option<String>,
    /// Seconds between the reminder job's ticks.
    #[arg(long, env = "STEGVIS_REMINDER_INTERVAL", default_value_t = 300)]
    reminder_interval: u64,
    /// Swedish hours in which reminders go out, `FROM-TO` (TO not included).
    #[arg(long, env = "STEGVIS_REMINDER_HOURS", default_value = "8-20")]
    reminder_hours: String,
    /// The address participants open Stegvis at, put in the reminders' text.
    #[arg(long, env = "STEGVIS_PUBLIC_URL")]
    public_url: Option<String>,
}

impl ReminderArgs {
    /// The address participants open Stegvis at, if configured.
    pub fn public_url(&self) -> Option<String> {
        self.public_url.clone().filter(|u| !u.trim().is_empty())
    }

    pub fn config(&self) -> Result<ReminderConfig> {
        // Trimmed: a file written by `echo` ends in a newline that is not the password's.
        let password = match &self.smtp_password_file {
            Some(p) => Some(
                std::fs::read_to_string(p)
                    .with_context(|| format!("cannot read {}", p.display()))?
                    .trim()
                    .to_owned(),
            ),
            None => None,
        };
        let mailer = match &self.smtp_url {
            Some(url) => Some(Arc::new(
                SmtpMailer::new(url, password.as_deref(), &self.mail_from)
                    .map_err(anyhow::Error::msg)?,
            ) as Arc<dyn stegvis_app::reminders::Mailer>),
            None => None,
        };
        let sms = match self.sms_provider.as_deref() {
            None | Some("") => None,
            Some("log") => Some(Arc::new(LogSms) as Arc<dyn stegvis_app::reminders::SmsProvider>),
            Some(other) => bail!("STEGVIS_SMS_PROVIDER: unknown provider {other:?} (known: log)"),
        };
        if self.reminder_interval == 0 {
            bail!("STEGVIS_REMINDER_INTERVAL must be at least 1 second");
        }
        let hours = self
            .reminder_hours
            .split_once('-')
            .and_then(|(a, b)| Some((a.trim().parse::<u8>().ok()?, b.trim().parse::<u8>().ok()?)))
            .filter(|(a, b)| a < b && *b <= 24)
            .context("STEGVIS_REMINDER_HOURS: write FROM-TO in whole hours, e.g. 8-20")?;
        Ok(ReminderConfig {
            mailer,
            sms,
            interval: std::time::Duration::from_secs(self.reminder_interval),
            public_url: self.public_url.clone(),
            hours,
        })
    }
}
