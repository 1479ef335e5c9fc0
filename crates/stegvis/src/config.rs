//! The configuration file: flat TOML whose keys are the long flags' names with `_`. Read after
//! the built-in defaults and before the environment and the flags: its values become clap's
//! defaults, so clap's own order (flag, then environment, then default) does the rest. Secrets
//! may come from files (`<key>_file`). `stegvis config example|check` live here too.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// Read when neither `--config` nor `STEGVIS_CONFIG` names a file, if it exists.
pub(crate) const DEFAULT_PATH: &str = "/etc/stegvis/stegvis.toml";
/// The environment variable naming the file.
pub(crate) const CONFIG_ENV: &str = "STEGVIS_CONFIG";

/// How a setting's value is checked.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// A path (file or folder).
    Path,
    /// `host:port` with an IP address.
    Address,
    /// A list of IP addresses.
    Addresses,
    /// `sqlite:…` or `postgres://…`.
    DatabaseUrl,
    /// `smtp://…` or `smtps://…`.
    SmtpUrl,
    /// `http://…` or `https://…`.
    HttpUrl,
    /// A whole number at least `min`.
    Count { min: u64 },
    /// `FROM-TO` in whole hours.
    Hours,
    /// One of a few words.
    Choice(&'static [&'static str]),
    /// An e-mail address.
    Email,
    /// A PostgreSQL role name (lower-case letters, digits, `_`).
    Role,
    /// A log filter (`info`, `info,sqlx=warn`).
    LogFilter,
}

/// One setting: its key in the file, where else it can be set, and what it means.
pub(crate) struct Setting {
    pub key: &'static str,
    pub env: &'static str,
    /// The long flag (`None`: file and environment only).
    flag: Option<&'static str>,
    default: Option<&'static str>,
    /// Shown, commented out, in the example when there is no default.
    example: &'static str,
    kind: Kind,
    /// Never printed; may be given as `<key>_file` (and the environment's `env_file`).
    secret: bool,
    env_file: Option<&'static str>,
    /// Which commands read it.
    used_by: &'static str,
    sv: &'static str,
    en: &'static str,
}

const ALL: &str = "alla kommandon / every command";
const SERVE: &str = "serve";

/// Every setting, in the order the example documents them.
pub(crate) static SETTINGS: &[Setting] = &[
    Setting {
        key: "data_dir",
        env: "STEGVIS_DATA_DIR",
        flag: Some("--data-dir"),
        default: Some("./stegvis-data"),
        example: "/var/lib/stegvis",
        kind: Kind::Path,
        secret: false,
        env_file: None,
        used_by: ALL,
        sv: "Mappen för den inbyggda databasen (SQLite) och, utan key_file, nyckelfilen. Skapas med rättigheterna 0700.",
        en: "Folder for the embedded database (SQLite) and, without key_file, the key file. Created with mode 0700.",
    },
    Setting {
        key: "database_url",
        env: "DATABASE_URL",
        flag: Some("--database-url"),
        default: None,
        example: "postgres://stegvis@db.kommun.se/stegvis?sslmode=verify-full&sslrootcert=/etc/stegvis/db-ca.crt",
        kind: Kind::DatabaseUrl,
        secret: true,
        env_file: Some("STEGVIS_DATABASE_URL_FILE"),
        used_by: ALL,
        sv: "PostgreSQL-databasen (postgres://…). Utan den används SQLite i data_dir. Innehåller ofta ett lösenord: lägg den hellre i en fil med database_url_file.",
        en: "The PostgreSQL database (postgres://…). Without it, SQLite in data_dir. It often holds a password: prefer a file named by database_url_file.",
    },
    Setting {
        key: "key_file",
        env: "STEGVIS_KEY_FILE",
        flag: Some("--key-file"),
        default: None,
        example: "/etc/stegvis/keys/stegvis.keys",
        kind: Kind::Path,
        secret: false,
        env_file: None,
        used_by: ALL,
        sv: "Nyckelfilen för krypteringen av personnummer (standard: data_dir/keys/stegvis.keys, skapas bara för en helt ny databas). Håll den utanför datamappen och dess säkerhetskopior.",
        en: "The key file for encrypting identity numbers (default: data_dir/keys/stegvis.keys, created only for a brand-new database). Keep it outside the data folder and its backups.",
    },
    Setting {
        key: "db_pool",
        env: "STEGVIS_DB_POOL",
        flag: Some("--db-pool"),
        default: None,
        example: "16",
        kind: Kind::Count { min: 1 },
        secret: false,
        env_file: None,
        used_by: ALL,
        sv: "Antal anslutningar till PostgreSQL (standard 16; håll summan för alla processer under serverns max_connections). SQLite har alltid 8.",
        en: "Connections to PostgreSQL (default 16; keep the sum over all processes below the server's max_connections). SQLite always has 8.",
    },
    Setting {
        key: "listen",
        env: "STEGVIS_LISTEN",
        flag: Some("--listen"),
        default: Some("127.0.0.1:8080"),
        example: "127.0.0.1:8080",
        kind: Kind::Address,
        secret: false,
        env_file: None,
        used_by: SERVE,
        sv: "Adressen (ip:port) som webbsidorna, API:t, /healthz och /readyz svarar på. Lägg en omvänd proxy med TLS framför.",
        en: "The address (ip:port) the pages, the API, /healthz and /readyz answer on. Put a reverse proxy with TLS in front.",
    },
    Setting {
        key: "trusted_proxies",
        env: "STEGVIS_TRUSTED_PROXIES",
        flag: Some("--trusted-proxy"),
        default: None,
        example: "[\"127.0.0.1\"]",
        kind: Kind::Addresses,
        secret: false,
        env_file: None,
        used_by: SERVE,
        sv: "Omvända proxyer vars X-Forwarded-For anger klientens adress (en lista med ip-adresser; i miljön kommaseparerad).",
        en: "Reverse proxies whose X-Forwarded-For names the client's address (a list of IP addresses; comma-separated in the environment).",
    },
    Setting {
        key: "metrics_listen",
        env: "STEGVIS_METRICS_LISTEN",
        flag: Some("--metrics-listen"),
        default: None,
        example: "127.0.0.1:9464",
        kind: Kind::Address,
        secret: false,
        env_file: None,
        used_by: SERVE,
        sv: "Adressen (ip:port) för Prometheus-mätvärdena på /metrics, skild från listen. Utan den finns inga mätvärden. Öppna den bara för övervakningen.",
        en: "The address (ip:port) of the Prometheus metrics at /metrics, apart from listen. Without it there are no metrics. Open it to the monitoring only.",
    },
    Setting {
        key: "public_url",
        env: "STEGVIS_PUBLIC_URL",
        flag: Some("--public-url"),
        default: None,
        example: "https://stegvis.kommun.se",
        kind: Kind::HttpUrl,
        secret: false,
        env_file: None,
        used_by: SERVE,
        sv: "Adressen användarna öppnar Stegvis på: står i påminnelserna och är inloggningstjänsternas (OIDC) returadress.",
        en: "The address users open Stegvis at: written in the reminders and the sign-in providers' (OIDC) redirect address.",
    },
    Setting {
        key: "accessibility_contact",
        env: "STEGVIS_ACCESSIBILITY_CONTACT",
        flag: Some("--accessibility-contact"),
        default: None,
        example: "tillganglighet@kommun.se",
        kind: Kind::Email,
        secret: false,
        env_file: None,
        used_by: SERVE,
        sv: "E-postadressen för synpunkter på tillgängligheten, i tillgänglighetsredogörelsen (/tillganglighet).",
        en: "The e-mail address for accessibility feedback, in the accessibility statement (/tillganglighet).",
    },
    Setting {
        key: "smtp_url",
        env: "STEGVIS_SMTP_URL",
        flag: Some("--smtp-url"),
        default: None,
        example: "smtp://smtp.kommun.se:587?tls=required",
        kind: Kind::SmtpUrl,
        secret: true,
        env_file: Some("STEGVIS_SMTP_URL_FILE"),
        used_by: SERVE,
        sv: "E-postservern för påminnelser: smtp://värd:port, smtp://värd:587?tls=required (STARTTLS) eller smtps://användare@värd (TLS). Utan den planeras inga e-postpåminnelser.",
        en: "The mail server for reminders: smtp://host:port, smtp://host:587?tls=required (STARTTLS) or smtps://user@host (TLS). Without it no e-mail reminder is planned.",
    },
    Setting {
        key: "smtp_password_file",
        env: "STEGVIS_SMTP_PASSWORD_FILE",
        flag: Some("--smtp-password-file"),
        default: None,
        example: "/etc/stegvis/smtp-password",
        kind: Kind::Path,
        secret: false,
        env_file: None,
        used_by: SERVE,
        sv: "En fil med e-postserverns lösenord (ersätter ett i smtp_url).",
        en: "A file holding the mail server's password (replaces one in smtp_url).",
    },
    Setting {
        key: "mail_from",
        env: "STEGVIS_MAIL_FROM",
        flag: Some("--mail-from"),
        default: Some("Stegvis <stegvis@localhost>"),
        example: "Stegvis <stegvis@kommun.se>",
        kind: Kind::Email,
        secret: false,
        env_file: None,
        used_by: SERVE,
        sv: "Avsändaren av påminnelser med e-post.",
        en: "The sender of reminder e-mail.",
    },
    Setting {
        key: "sms_provider",
        env: "STEGVIS_SMS_PROVIDER",
        flag: Some("--sms-provider"),
        default: None,
        example: "log",
        kind: Kind::Choice(&["log"]),
        secret: false,
        env_file: None,
        used_by: SERVE,
        sv: "log: sms-påminnelser skrivs till loggen (numret maskerat). Utan den planeras inga sms.",
        en: "log: SMS reminders are written to the log (number masked). Without it no SMS is planned.",
    },
    Setting {
        key: "reminder_interval",
        env: "STEGVIS_REMINDER_INTERVAL",
        flag: Some("--reminder-interval"),
        default: Some("300"),
        example: "300",
        kind: Kind::Count { min: 1 },
        secret: false,
        env_file: None,
        used_by: SERVE,
        sv: "Sekunder mellan påminnelsejobbets körningar.",
        en: "Seconds between the reminder job's runs.",
    },
    Setting {
        key: "reminder_hours",
        env: "STEGVIS_REMINDER_HOURS",
        flag: Some("--reminder-hours"),
        default: Some("8-20"),
        example: "8-20",
        kind: Kind::Hours,
        secret: false,
        env_file: None,
        used_by: SERVE,
        sv: "Svenska timmar då påminnelser skickas, FRÅN-TILL (TILL ingår inte).",
        en: "Swedish hours in which reminders go out, FROM-TO (TO not included).",
    },
    Setting {
        key: "owner_database_url",
        env: "STEGVIS_OWNER_DATABASE_URL",
        flag: Some("--owner-database-url"),
        default: None,
        example: "postgres://stegvis_owner@db.kommun.se/stegvis?sslmode=verify-full",
        kind: Kind::DatabaseUrl,
        secret: true,
        env_file: Some("STEGVIS_OWNER_DATABASE_URL_FILE"),
        used_by: "migrate",
        sv: "Ägarens anslutning för stegvis migrate (standard: database_url). Servern själv kan då köra med en roll utan ägarens rättigheter.",
        en: "The owner's connection for stegvis migrate (default: database_url), so the server itself can run as a role without the owner's rights.",
    },
    Setting {
        key: "runtime_role",
        env: "STEGVIS_RUNTIME_ROLE",
        flag: Some("--runtime-role"),
        default: None,
        example: "stegvis_app",
        kind: Kind::Role,
        secret: false,
        env_file: None,
        used_by: "migrate",
        sv: "Rollen servern ansluter som (PostgreSQL); stegvis migrate ger den rätt att läsa och skriva data men bara lägga till i granskningsloggen.",
        en: "The role the server connects as (PostgreSQL); stegvis migrate gives it the right to read and write data but only append to the audit trail.",
    },
    Setting {
        key: "log",
        env: "STEGVIS_LOG",
        flag: None,
        default: Some("info,sqlx=warn"),
        example: "info,sqlx=warn",
        kind: Kind::LogFilter,
        secret: false,
        env_file: None,
        used_by: ALL,
        sv: "Vad som loggas (till standard error, alltså journalen under systemd): error, warn, info, debug, per modul som info,sqlx=warn.",
        en: "What is logged (to standard error, so the journal under systemd): error, warn, info, debug, per module as info,sqlx=warn.",
    },
];

fn setting(key: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.key == key)
}

/// A setting's value as clap reads it.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Value {
    One(String),
    Many(Vec<String>),
}

/// Where a value came from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Layer {
    File,
    Env,
}

/// The values the file (and the environment's `*_FILE` secrets) give, by key: clap's defaults.
#[derive(Default)]
pub(crate) struct Loaded {
    /// The file read, if any.
    pub path: Option<PathBuf>,
    values: BTreeMap<&'static str, (Value, Layer)>,
}

/// Something wrong, in plain words: where (file and line, or the environment variable), which
/// setting, and what to write instead. Never a secret's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    /// `stegvis.toml rad 7` or `STEGVIS_LISTEN`.
    pub place: String,
    pub sv: String,
    pub en: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} / {}", self.place, self.sv, self.en)
    }
}

/// The file `--config` names (anywhere on the command line), or `STEGVIS_CONFIG`, or the
/// default path when it exists.
pub(crate) fn locate(args: &[std::ffi::OsString]) -> Option<PathBuf> {
    let mut it = args.iter().skip(1);
    while let Some(a) = it.next() {
        let a = a.to_string_lossy();
        if a == "--" {
            break;
        }
        if a == "--config" {
            return it.next().map(PathBuf::from);
        }
        if let Some(p) = a.strip_prefix("--config=") {
            return Some(PathBuf::from(p));
        }
    }
    if let Some(p) = std::env::var_os(CONFIG_ENV).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let default = Path::new(DEFAULT_PATH);
    default.exists().then(|| default.to_path_buf())
}

/// 1-based line of byte offset `at`.
fn line_of(text: &str, at: usize) -> usize {
    text.get(..at).unwrap_or(text).matches('\n').count() + 1
}

/// How a value is shown in a message: quoted, or hidden for a secret.
fn shown(s: &Setting, v: &toml::Value) -> String {
    if s.secret {
        "\"…\"".to_owned()
    } else {
        v.to_string()
    }
}

/// Reads and checks the file at `path`, then the environment's `*_FILE` secrets. Every problem
/// is collected, not only the first.
pub(crate) fn load(path: Option<&Path>) -> Result<Loaded, Vec<Problem>> {
    let mut loaded = Loaded {
        path: path.map(Path::to_path_buf),
        values: BTreeMap::new(),
    };
    let mut problems = Vec::new();
    if let Some(path) = path {
        match std::fs::read_to_string(path) {
            Ok(text) => read_file(path, &text, &mut loaded, &mut problems),
            Err(e) => problems.push(Problem {
                place: path.display().to_string(),
                sv: format!("filen kan inte läsas ({})", io_sv(&e)),
                en: format!("the file cannot be read ({e})"),
            }),
        }
    }
    read_env_files(&mut loaded, &mut problems);
    if problems.is_empty() {
        Ok(loaded)
    } else {
        Err(problems)
    }
}

fn io_sv(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::NotFound => "finns inte",
        std::io::ErrorKind::PermissionDenied => "saknar behörighet",
        _ => "läsfel",
    }
}

type Table = BTreeMap<toml::Spanned<String>, toml::Spanned<toml::Value>>;

fn read_file(path: &Path, text: &str, loaded: &mut Loaded, problems: &mut Vec<Problem>) {
    let start = problems.len();
    read_entries(path, text, loaded, problems);
    // In the file's order (the `_file` secrets are checked after the plain keys).
    let line = |p: &Problem| {
        p.place
            .rsplit_once(" rad ")
            .and_then(|(_, n)| n.parse::<usize>().ok())
            .unwrap_or(0)
    };
    problems[start..].sort_by_key(line);
}

fn read_entries(path: &Path, text: &str, loaded: &mut Loaded, problems: &mut Vec<Problem>) {
    let name = path.display().to_string();
    let at = |offset: usize| format!("{name} rad {}", line_of(text, offset));
    let table: Table = match toml::from_str(text) {
        Ok(t) => t,
        Err(e) => {
            let place = e.span().map_or_else(|| name.clone(), |span| at(span.start));
            let message = e.message().trim().to_owned();
            problems.push(Problem {
                place,
                sv: format!("filen är ingen giltig TOML: {message}"),
                en: format!("the file is not valid TOML: {message}"),
            });
            return;
        }
    };
    // `<key>_file` entries, checked once their key's plain form is known.
    let mut from_files: Vec<(&'static Setting, usize, &toml::Spanned<toml::Value>)> = Vec::new();
    // In the file's order, so the messages follow its lines.
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    for (key, value) in entries {
        let place = at(key.span().start);
        let k = key.get_ref().as_str();
        if let Some(s) = setting(k) {
            match check_value(s, value.get_ref()) {
                Ok(v) => {
                    loaded.values.insert(s.key, (v, Layer::File));
                }
                Err((sv, en)) => problems.push(Problem {
                    place,
                    sv: format!("{k} = {} {sv}", shown(s, value.get_ref())),
                    en,
                }),
            }
        } else if let Some(s) = k
            .strip_suffix("_file")
            .and_then(setting)
            .filter(|s| s.secret)
        {
            from_files.push((s, key.span().start, value));
        } else {
            let hint = did_you_mean(k);
            problems.push(Problem {
                place,
                sv: format!(
                    "{k} är ingen inställning{}",
                    hint.as_ref()
                        .map_or(String::new(), |h| format!(" (menade du {h}?)"))
                ),
                en: format!(
                    "{k} is not a setting{}",
                    hint.as_ref()
                        .map_or(String::new(), |h| format!(" (did you mean {h}?)"))
                ),
            });
        }
    }
    for (s, offset, value) in from_files {
        let place = at(offset);
        let file_key = format!("{}_file", s.key);
        if table.keys().any(|k| k.get_ref() == s.key) {
            problems.push(Problem {
                place,
                sv: format!(
                    "både {} och {file_key} är satta: ange bara en av dem",
                    s.key
                ),
                en: format!("both {} and {file_key} are set: give only one", s.key),
            });
            continue;
        }
        let Some(secret_path) = value.get_ref().as_str() else {
            problems.push(Problem {
                place,
                sv: format!("{file_key} ska vara en sökväg inom citattecken"),
                en: format!("{file_key} must be a path in quotes"),
            });
            continue;
        };
        match read_secret(s, Path::new(secret_path)) {
            Ok(v) => {
                loaded.values.insert(s.key, (v, Layer::File));
            }
            Err((sv, en)) => problems.push(Problem {
                place,
                sv: format!("{file_key} = \"{secret_path}\": {sv}"),
                en,
            }),
        }
    }
}

/// A secret's file: its content, trimmed, checked like the setting itself.
fn read_secret(s: &Setting, path: &Path) -> Result<Value, (String, String)> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        (
            format!("filen kan inte läsas ({})", io_sv(&e)),
            format!("the file cannot be read ({e})"),
        )
    })?;
    let text = text.trim();
    if text.is_empty() {
        return Err(("filen är tom".into(), "the file is empty".into()));
    }
    check_value(s, &toml::Value::String(text.to_owned())).map_err(|(sv, en)| {
        (
            format!("filens innehåll {sv}"),
            format!("the file's content {en}"),
        )
    })
}

/// The environment's `*_FILE` secrets: read when the plain variable is not set; both set is an
/// error. They sit above the file, below the plain variables and the flags.
fn read_env_files(loaded: &mut Loaded, problems: &mut Vec<Problem>) {
    for s in SETTINGS {
        let Some(var) = s.env_file else { continue };
        let Some(path) = std::env::var_os(var).filter(|p| !p.is_empty()) else {
            continue;
        };
        if std::env::var_os(s.env).is_some_and(|v| !v.is_empty()) {
            problems.push(Problem {
                place: var.to_owned(),
                sv: format!("både {} och {var} är satta: ange bara en av dem", s.env),
                en: format!("both {} and {var} are set: give only one", s.env),
            });
            continue;
        }
        match read_secret(s, Path::new(&path)) {
            Ok(v) => {
                loaded.values.insert(s.key, (v, Layer::Env));
            }
            Err((sv, en)) => problems.push(Problem {
                place: var.to_owned(),
                sv: format!("{}: {sv}", Path::new(&path).display()),
                en: format!("{}: {en}", Path::new(&path).display()),
            }),
        }
    }
}

/// The nearest known key, when one is close.
fn did_you_mean(key: &str) -> Option<String> {
    let candidates = SETTINGS.iter().flat_map(|s| {
        let file = s.secret.then(|| format!("{}_file", s.key));
        std::iter::once(s.key.to_owned()).chain(file)
    });
    candidates
        .map(|c| (strsim::damerau_levenshtein(key, &c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

type Why = (String, String);

fn why(sv: &str, en: &str) -> Why {
    (sv.to_owned(), en.to_owned())
}

/// Checks a value of the file (a string, a number, or for lists an array) against its kind.
fn check_value(s: &Setting, v: &toml::Value) -> Result<Value, Why> {
    if let Kind::Addresses = s.kind {
        let items: Vec<String> = match v {
            toml::Value::Array(a) => a
                .iter()
                .map(|i| i.as_str().map(str::to_owned))
                .collect::<Option<_>>()
                .ok_or_else(|| {
                    why(
                        "ska vara en lista med adresser inom citattecken, t.ex. [\"127.0.0.1\"]",
                        "must be a list of addresses in quotes, e.g. [\"127.0.0.1\"]",
                    )
                })?,
            toml::Value::String(t) => t
                .split(',')
                .map(|a| a.trim().to_owned())
                .filter(|a| !a.is_empty())
                .collect(),
            _ => {
                return Err(why(
                    "ska vara en lista med adresser, t.ex. [\"127.0.0.1\"]",
                    "must be a list of addresses, e.g. [\"127.0.0.1\"]",
                ));
            }
        };
        for i in &items {
            check_text(s, i)?;
        }
        return Ok(Value::Many(items));
    }
    let text = match v {
        toml::Value::String(t) => t.clone(),
        toml::Value::Integer(n) if matches!(s.kind, Kind::Count { .. }) => n.to_string(),
        _ if matches!(s.kind, Kind::Count { .. }) => {
            return Err(why("ska vara ett heltal", "must be a whole number"));
        }
        _ => {
            return Err(why(
                "ska vara text inom citattecken",
                "must be text in quotes",
            ));
        }
    };
    check_text(s, &text)?;
    Ok(Value::One(text))
}

/// Checks one textual value against its setting's kind (the file's, and the environment's in
/// `config check`).
fn check_text(s: &Setting, t: &str) -> Result<(), Why> {
    let t = t.trim();
    match s.kind {
        Kind::Path => {
            if t.is_empty() {
                return Err(why("är tom", "is empty"));
            }
        }
        Kind::Address => {
            t.parse::<std::net::SocketAddr>().map_err(|_| {
                why(
                    "är ingen adress (ip:port, t.ex. 127.0.0.1:8080)",
                    "is not an address (ip:port, e.g. 127.0.0.1:8080)",
                )
            })?;
        }
        Kind::Addresses => {
            t.parse::<std::net::IpAddr>().map_err(|_| {
                why(
                    &format!("innehåller {t:?}, som inte är någon ip-adress"),
                    &format!("holds {t:?}, which is not an IP address"),
                )
            })?;
        }
        Kind::DatabaseUrl => {
            let ok = t.starts_with("sqlite:")
                || ((t.starts_with("postgres://") || t.starts_with("postgresql://"))
                    && url::Url::parse(t).is_ok());
            if !ok {
                return Err(why(
                    "är ingen databasadress (postgres://användare@värd/databas eller sqlite://fil)",
                    "is not a database address (postgres://user@host/database or sqlite://file)",
                ));
            }
        }
        Kind::SmtpUrl => {
            let ok = url::Url::parse(t)
                .is_ok_and(|u| matches!(u.scheme(), "smtp" | "smtps") && u.host().is_some());
            if !ok {
                return Err(why(
                    "är ingen e-postserver (smtp://värd:port eller smtps://värd)",
                    "is not a mail server (smtp://host:port or smtps://host)",
                ));
            }
        }
        Kind::HttpUrl => {
            let ok = url::Url::parse(t)
                .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
            if !ok {
                return Err(why(
                    "är ingen webbadress (https://värd)",
                    "is not a web address (https://host)",
                ));
            }
        }
        Kind::Count { min } => {
            let n = t
                .parse::<u64>()
                .map_err(|_| why("ska vara ett heltal", "must be a whole number"))?;
            if n < min {
                return Err((
                    format!("ska vara minst {min}"),
                    format!("must be at least {min}"),
                ));
            }
        }
        Kind::Hours => {
            let ok = t
                .split_once('-')
                .and_then(|(a, b)| {
                    Some((a.trim().parse::<u8>().ok()?, b.trim().parse::<u8>().ok()?))
                })
                .is_some_and(|(a, b)| a < b && b <= 24);
            if !ok {
                return Err(why(
                    "ska vara FRÅN-TILL i hela timmar, t.ex. \"8-20\"",
                    "must be FROM-TO in whole hours, e.g. \"8-20\"",
                ));
            }
        }
        Kind::Choice(words) => {
            if !words.contains(&t) {
                return Err((
                    format!("ska vara en av: {}", words.join(", ")),
                    format!("must be one of: {}", words.join(", ")),
                ));
            }
        }
        Kind::Email => {
            // `Namn <a@b>` or `a@b`: the mailer checks it fully.
            let address = t
                .rsplit_once('<')
                .map_or(t, |(_, a)| a.trim_end_matches('>'));
            let ok = address
                .split_once('@')
                .is_some_and(|(l, d)| !l.is_empty() && !d.is_empty() && !d.contains(' '));
            if !ok {
                return Err(why("är ingen e-postadress", "is not an e-mail address"));
            }
        }
        Kind::Role => {
            let ok = !t.is_empty()
                && t.len() <= 63
                && t.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                && !t.as_bytes()[0].is_ascii_digit();
            if !ok {
                return Err(why(
                    "ska vara små bokstäver, siffror och _ (t.ex. stegvis_app)",
                    "must be lower-case letters, digits and _ (e.g. stegvis_app)",
                ));
            }
        }
        Kind::LogFilter => {
            tracing_subscriber::EnvFilter::try_new(t).map_err(|_| {
                why(
                    "är inget loggfilter (t.ex. info eller info,sqlx=warn)",
                    "is not a log filter (e.g. info or info,sqlx=warn)",
                )
            })?;
        }
    }
    Ok(())
}

impl Loaded {
    /// The file's (or a `*_FILE` variable's) value of `key`, if it gave one.
    pub(crate) fn value(&self, key: &str) -> Option<&Value> {
        self.values.get(key).map(|(v, _)| v)
    }

    /// Makes the values clap's defaults, in every subcommand with an argument of that id that
    /// the environment can also set (so `demo --listen`, which takes no environment, stays
    /// as it is). A secret's default is never shown in `--help`.
    pub(crate) fn apply(&self, cmd: clap::Command) -> clap::Command {
        let ids: Vec<String> = cmd
            .get_arguments()
            .filter(|a| a.get_env().is_some())
            .map(|a| a.get_id().to_string())
            .collect();
        let mut cmd = cmd;
        for id in ids {
            let (Some(s), Some((value, _))) = (setting(&id), self.values.get(id.as_str())) else {
                continue;
            };
            let value = value.clone();
            cmd = cmd.mut_arg(id, |a| {
                let a = match value {
                    Value::One(v) => a.default_value(leak(v)),
                    Value::Many(vs) => a.default_values(vs.into_iter().map(leak)),
                };
                a.hide_default_value(s.secret)
            });
        }
        let names: Vec<String> = cmd
            .get_subcommands()
            .map(|c| c.get_name().to_owned())
            .collect();
        for name in names {
            cmd = cmd.mut_subcommand(name, |c| self.apply(c));
        }
        cmd
    }
}

/// clap keeps defaults as `&'static str`: a handful of short strings, once per process.
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// A commented configuration file documenting every setting; every line is a comment, so read
/// back it starts the server with the defaults.
pub(crate) fn example() -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "# Stegvis: konfigurationsfil / configuration file\n\
         #\n\
         # Läses från {DEFAULT_PATH}, eller filen som --config FIL eller {CONFIG_ENV} anger.\n\
         # Read from {DEFAULT_PATH}, or the file --config FILE or {CONFIG_ENV} names.\n\
         #\n\
         # Ordning / precedence: inbyggda standardvärden < den här filen < miljövariabler < flaggor\n\
         #                       built-in defaults < this file < environment variables < flags\n\
         #\n\
         # Hemligheter (database_url, owner_database_url, smtp_url) kan i stället läsas ur en fil:\n\
         # <namn>_file = \"/sökväg\" (innehållet, utan blanksteg runt). Ange inte båda.\n\
         # Secrets (database_url, owner_database_url, smtp_url) may instead be read from a file:\n\
         # <name>_file = \"/path\" (its content, trimmed). Do not give both.\n\
         #\n\
         # Ta bort # framför en rad för att ändra den. `stegvis config check` säger vad som är fel.\n\
         # Remove the # before a line to change it. `stegvis config check` says what is wrong.\n"
    ));
    for s in SETTINGS {
        out.push('\n');
        for line in wrap(s.sv).into_iter().chain(wrap(s.en)) {
            out.push_str(&format!("# {line}\n"));
        }
        let flag = s
            .flag
            .map_or(String::new(), |f| format!(", flagga / flag {f}"));
        out.push_str(&format!(
            "# Används av / used by: {}. Miljö / environment: {}{flag}{}.\n",
            s.used_by,
            s.env,
            s.env_file
                .map_or(String::new(), |f| format!(", {f} (fil / file)")),
        ));
        let value = s.default.unwrap_or(s.example);
        let quoted = match s.kind {
            Kind::Count { .. } => value.to_owned(),
            Kind::Addresses => value.to_owned(),
            _ => toml::Value::String(value.to_owned()).to_string(),
        };
        match s.default {
            Some(_) => out.push_str(&format!(
                "# Standard / default: {quoted}\n# {} = {quoted}\n",
                s.key
            )),
            None => {
                out.push_str(&format!("# {} = {quoted}\n", s.key));
                if s.secret {
                    out.push_str(&format!(
                        "# {}_file = \"/etc/stegvis/{}\"\n",
                        s.key,
                        s.key.replace('_', "-")
                    ));
                }
            }
        }
    }
    out
}

/// Splits a paragraph into comment lines of about 90 characters.
fn wrap(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > 90 {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `stegvis config check`: the file, the environment, and the files and folders they name.
/// Prints every problem (never a secret's value) and returns whether there were none.
pub(crate) fn check(path: Option<PathBuf>) -> bool {
    let mut problems = Vec::new();
    match &path {
        Some(p) => println!("Konfigurationsfil / configuration file: {}", p.display()),
        None => println!(
            "Ingen konfigurationsfil ({DEFAULT_PATH} finns inte): bara standardvärden och miljön / no configuration file ({DEFAULT_PATH} does not exist): defaults and the environment only"
        ),
    }
    let loaded = match load(path.as_deref()) {
        Ok(l) => l,
        Err(p) => {
            problems.extend(p);
            Loaded::default()
        }
    };
    // The environment's plain values, checked like the file's.
    for s in SETTINGS {
        let Ok(v) = std::env::var(s.env) else {
            continue;
        };
        if v.is_empty() {
            continue;
        }
        let result = match s.kind {
            Kind::Addresses => v
                .split(',')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .try_for_each(|a| check_text(s, a)),
            _ => check_text(s, &v),
        };
        if let Err((sv, en)) = result {
            let shown = if s.secret {
                String::new()
            } else {
                format!(" = {v:?}")
            };
            problems.push(Problem {
                place: s.env.to_owned(),
                sv: format!("{}{shown} (för {}) {sv}", s.env, s.key),
                en: format!("{}{shown} (for {}) {en}", s.env, s.key),
            });
        }
    }
    problems.extend(check_paths(&loaded));
    if problems.is_empty() {
        println!("Inga problem hittades / no problems found.");
        true
    } else {
        for p in &problems {
            println!("  {p}");
        }
        println!("{} problem hittades / problems found.", problems.len());
        false
    }
}

/// The value in force apart from the flags: the environment's, else the file's, else the
/// default.
fn effective(loaded: &Loaded, s: &Setting) -> Option<(String, &'static str)> {
    if let Some(v) = std::env::var(s.env).ok().filter(|v| !v.is_empty()) {
        return Some((v, s.env));
    }
    match loaded.values.get(s.key) {
        Some((Value::One(v), Layer::File)) => Some((v.clone(), s.key)),
        Some((Value::One(v), Layer::Env)) => Some((v.clone(), s.env_file.unwrap_or(s.env))),
        Some((Value::Many(v), _)) => Some((v.join(","), s.key)),
        None => s.default.map(|d| (d.to_owned(), s.key)),
    }
}

/// The files and folders the settings name: the data folder writable (or creatable), the key
/// file readable (or its folder there for a new one), the SMTP password file readable, and
/// `listen` and `metrics_listen` apart.
fn check_paths(loaded: &Loaded) -> Vec<Problem> {
    let mut problems = Vec::new();
    let get = |key: &str| setting(key).and_then(|s| effective(loaded, s));
    let sqlite = get("database_url").is_none_or(|(u, _)| u.starts_with("sqlite:"));
    let key_file = get("key_file");
    if let Some((dir, from)) = get("data_dir")
        && (sqlite || key_file.is_none())
        && let Err((sv, en)) = writable_dir(Path::new(&dir))
    {
        problems.push(Problem {
            place: from.to_owned(),
            sv: format!("data_dir {dir}: {sv}"),
            en: format!("data_dir {dir}: {en}"),
        });
    }
    if let Some((file, from)) = key_file {
        let file = Path::new(&file);
        let result = if file.exists() {
            std::fs::File::open(file).map(|_| ()).map_err(|e| {
                (
                    format!("nyckelfilen kan inte läsas ({})", io_sv(&e)),
                    format!("the key file cannot be read ({e})"),
                )
            })
        } else {
            match file.parent().filter(|p| !p.as_os_str().is_empty()) {
                Some(dir) if dir.is_dir() => Ok(()),
                _ => Err(why(
                    "nyckelfilen finns inte, och inte heller mappen den skulle skapas i",
                    "the key file does not exist, nor the folder it would be created in",
                )),
            }
        };
        if let Err((sv, en)) = result {
            problems.push(Problem {
                place: from.to_owned(),
                sv: format!("key_file {}: {sv}", file.display()),
                en: format!("key_file {}: {en}", file.display()),
            });
        }
    }
    if let Some((file, from)) = get("smtp_password_file")
        && let Err(e) = std::fs::File::open(&file)
    {
        problems.push(Problem {
            place: from.to_owned(),
            sv: format!(
                "smtp_password_file {file}: filen kan inte läsas ({})",
                io_sv(&e)
            ),
            en: format!("smtp_password_file {file}: the file cannot be read ({e})"),
        });
    }
    if let (Some((listen, _)), Some((metrics, from))) = (get("listen"), get("metrics_listen"))
        && listen.trim() == metrics.trim()
    {
        problems.push(Problem {
            place: from.to_owned(),
            sv: format!(
                "metrics_listen {metrics} är samma adress som listen: mätvärdena ska ha en egen"
            ),
            en: format!(
                "metrics_listen {metrics} is the same address as listen: the metrics need their own"
            ),
        });
    }
    problems
}

/// A folder Stegvis can write in, or create: tried with a file made and removed at once.
fn writable_dir(dir: &Path) -> Result<(), Why> {
    if !dir.exists() {
        let parent = dir
            .ancestors()
            .skip(1)
            .find(|a| a.as_os_str().is_empty() || a.exists())
            .map(|a| {
                if a.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    a
                }
            });
        return match parent {
            Some(p) if writable_dir(p).is_ok() => Ok(()),
            _ => Err(why(
                "finns inte och kan inte skapas",
                "does not exist and cannot be created",
            )),
        };
    }
    if !dir.is_dir() {
        return Err(why("är ingen mapp", "is not a folder"));
    }
    let probe = dir.join(format!(".stegvis-check-{}", std::process::id()));
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
    {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        Err(e) => Err((
            format!("går inte att skriva i ({})", io_sv(&e)),
            format!("cannot be written to ({e})"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems_of(text: &str) -> Vec<String> {
        let mut loaded = Loaded::default();
        let mut problems = Vec::new();
        read_file(Path::new("stegvis.toml"), text, &mut loaded, &mut problems);
        problems.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_wrong_value_names_the_setting_and_its_line() {
        let p = problems_of("data_dir = \"/x\"\n\nlisten = \"localhost:80x\"\n");
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].starts_with("stegvis.toml rad 3: listen = \"localhost:80x\" är ingen adress"),
            "{p:?}"
        );
    }

    #[test]
    fn every_problem_is_reported_and_secrets_are_not_shown() {
        let p = problems_of(
            "listn = \"127.0.0.1:1\"\ndatabase_url = \"mysql://u:hemligt@h/db\"\nreminder_interval = 0\n",
        );
        assert_eq!(p.len(), 3, "{p:?}");
        assert!(
            p[0].contains("rad 1") && p[0].contains("menade du listen?"),
            "{p:?}"
        );
        assert!(p[1].contains("rad 2") && !p[1].contains("hemligt"), "{p:?}");
        assert!(p[2].contains("rad 3") && p[2].contains("minst 1"), "{p:?}");
    }

    #[test]
    fn a_secret_and_its_file_together_are_refused() {
        let p = problems_of("database_url = \"sqlite://x\"\ndatabase_url_file = \"/nowhere\"\n");
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].contains("både database_url och database_url_file"),
            "{p:?}"
        );
    }

    #[test]
    fn the_example_parses_and_names_every_setting() {
        let text = example();
        assert!(problems_of(&text).is_empty());
        for s in SETTINGS {
            assert!(text.contains(&format!("# {} = ", s.key)), "{}", s.key);
            assert!(text.contains(s.env), "{}", s.env);
        }
        // With every default uncommented, it still reads without a problem.
        let uncommented: String = text
            .lines()
            .map(|l| {
                let keyed = SETTINGS
                    .iter()
                    .any(|s| s.default.is_some() && l.starts_with(&format!("# {} = ", s.key)));
                if keyed { &l[2..] } else { l }
            })
            .collect::<Vec<_>>()
            .join("\n");
        assert!(problems_of(&uncommented).is_empty(), "{uncommented}");
    }
}
