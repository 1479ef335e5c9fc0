//! stegvis: the binary. Configuration (defaults, then the configuration file, then environment,
//! then flags; see `config`), the command line, and launch. The only crate that uses `anyhow`.
#![forbid(unsafe_code)]

use anyhow::{Context, Result, bail};
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use stegvis_app::users::UserInput;
use stegvis_app::{App, KeySource, SystemClock};

mod archive;
mod audit;
mod backup;
mod check;
mod config;
mod data_dir;
mod import;
mod keys;
mod reminders;
mod retention;

#[derive(Parser)]
#[command(
    name = "stegvis",
    version,
    about = "Stegvis – stöd för arbetsmarknadsprojekt / support for labour-market projects"
)]
struct Cli {
    /// The configuration file (default /etc/stegvis/stegvis.toml when it exists); its values
    /// sit below the environment and the flags. `stegvis config example` prints one.
    #[arg(long, env = config::CONFIG_ENV, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct Storage {
    /// Folder for the embedded database and the key file.
    #[arg(
        long,
        env = "STEGVIS_DATA_DIR",
        default_value = "./stegvis-data",
        global = true
    )]
    data_dir: PathBuf,
    /// `postgres://…` to use PostgreSQL; SQLite in the data folder when not given.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    database_url: Option<String>,
    /// Key file for field encryption (default: <data-dir>/keys/stegvis.keys, created only for a
    /// brand-new database). Keep it outside the data folder and its backups.
    #[arg(long, env = "STEGVIS_KEY_FILE", global = true)]
    key_file: Option<PathBuf>,
    /// PostgreSQL connections in the pool (default 16).
    #[arg(long, env = "STEGVIS_DB_POOL", global = true)]
    db_pool: Option<u32>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web UI and the API.
    Serve {
        #[command(flatten)]
        storage: Storage,
        #[arg(long, env = "STEGVIS_LISTEN", default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Address of a reverse proxy whose X-Forwarded-For names the client (repeatable).
        #[arg(
            long = "trusted-proxy",
            env = "STEGVIS_TRUSTED_PROXIES",
            value_delimiter = ','
        )]
        trusted_proxies: Vec<std::net::IpAddr>,
        /// Address of the Prometheus endpoint `/metrics` (its own listener; none when not given).
        #[arg(long, env = "STEGVIS_METRICS_LISTEN")]
        metrics_listen: Option<SocketAddr>,
        /// E-mail address for accessibility feedback, shown on the accessibility statement.
        #[arg(long, env = "STEGVIS_ACCESSIBILITY_CONTACT")]
        accessibility_contact: Option<String>,
        #[command(flatten)]
        reminders: reminders::ReminderArgs,
    },
    /// Create the five seed projects, demo users and a synthetic population, then serve.
    Demo {
        #[command(flatten)]
        storage: Storage,
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Synthetic participants to create (only when the database has none).
        #[arg(long, default_value_t = 1000)]
        participants: usize,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Seed the data and exit without serving.
        #[arg(long)]
        no_serve: bool,
    },
    /// Apply database migrations and exit; on PostgreSQL, as the owner, then give the runtime
    /// role (the server's) its rights: read and write data, only append to the audit trail.
    Migrate {
        #[command(flatten)]
        storage: Storage,
        /// The owner's `postgres://…` (DATABASE_URL when not given).
        #[arg(long, env = "STEGVIS_OWNER_DATABASE_URL", hide_env_values = true)]
        owner_database_url: Option<String>,
        /// The role the server connects as (PostgreSQL); granted again on every run.
        #[arg(long, env = "STEGVIS_RUNTIME_ROLE")]
        runtime_role: Option<String>,
    },
    /// First start for real use: create the first organisation and its administrator (the
    /// password from STEGVIS_PASSWORD, or generated and printed once).
    Setup {
        #[command(flatten)]
        storage: Storage,
        /// The organisation's name.
        #[arg(long)]
        org: String,
        /// municipality_unit, region, ngo, state_agency, employer or social_enterprise.
        #[arg(long)]
        kind: String,
        /// The municipality's four-digit code, e.g. 1293.
        #[arg(long)]
        municipality: Option<String>,
        #[arg(long)]
        admin_email: String,
        #[arg(long)]
        admin_name: String,
    },
    /// Manage user accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The key file: status, rotation, retiring old keys.
    Keys {
        #[command(subcommand)]
        command: keys::KeysCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Import participants (with enrolment and baseline), attendance or placements from a
    /// spreadsheet (XLSX or CSV), in a user's name: whole or not at all, or only its good rows.
    /// Exits 1 when the file has problems (listed by row and column).
    Import {
        #[command(flatten)]
        storage: Storage,
        #[command(flatten)]
        args: import::ImportArgs,
    },
    /// Job ads and openings.
    Jobs {
        #[command(subcommand)]
        command: JobsCommand,
    },
    /// Check that the database is whole (after a crash, a restore or an upgrade): prints what
    /// it checked and exits non-zero on any problem.
    Check {
        #[command(flatten)]
        storage: Storage,
    },
    /// An online, consistent copy of the database into a new folder (owner-only), with a
    /// manifest. The key file is not included: keep it apart.
    Backup {
        #[command(flatten)]
        storage: Storage,
        /// The folder to create (or an empty one).
        #[arg(long)]
        to: PathBuf,
    },
    /// Restores a backup into an empty instance, then checks it and opens every identity number
    /// with the key file.
    Restore {
        #[command(flatten)]
        storage: Storage,
        /// The backup's folder.
        #[arg(long)]
        from: PathBuf,
    },
    /// Everything the organisations hold (projects, participants, every record and its
    /// history, the audit trail, users) into one archive (ZIP of JSON Lines, described inside
    /// in FORMAT.md). It holds identity numbers in the clear: keep it like the database.
    Export {
        #[command(flatten)]
        storage: Storage,
        /// The archive to write (must not exist), e.g. stegvis-export.zip.
        #[arg(long)]
        to: PathBuf,
    },
    /// Imports an archive from `stegvis export` into an empty Stegvis (migrated, no
    /// organisations), whole or not at all.
    ImportArchive {
        #[command(flatten)]
        storage: Storage,
        /// The archive.
        file: PathBuf,
    },
    /// Retention (gallring): dry run and erasure run.
    Retention {
        #[command(subcommand)]
        command: retention::RetentionCommand,
    },
    /// The audit trail's tamper evidence.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// The configuration file: a commented example, or a check of the file and the environment.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Benchmarks (not tests): see `scripts/bench-report`.
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Print a configuration file documenting every setting (all commented out: the defaults).
    Example,
    /// Check the configuration file and the environment: every problem in plain words, with
    /// the file's line; the files and folders they name. Exits 1 on any problem.
    Check,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Walk the chain of the audit trail: names the first event changed, removed or inserted
    /// and exits 1; prints the head (number and hash) to keep outside the system.
    Verify {
        #[command(flatten)]
        storage: Storage,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Load a deterministic population into an empty database (with the demo's projects, no
    /// demo participants), then time the goal and indicator report for every project. Prints
    /// one JSON line with the times and the totals.
    Report {
        #[command(flatten)]
        storage: Storage,
        #[arg(long, default_value_t = 1_000_000)]
        participants: u64,
        /// Attendance rows per participant.
        #[arg(long, default_value_t = 20)]
        attendance: u64,
        /// Also write the rows as CSV here, for DuckDB.
        #[arg(long)]
        csv_dir: Option<std::path::PathBuf>,
    },
    /// The floor of an audited read on this database (indexed lookup, durable audit insert,
    /// commit; one client): what `scripts/bench-load` compares a participant read with. Prints
    /// one JSON line.
    Floor {
        #[command(flatten)]
        storage: Storage,
        /// A participant of this database.
        #[arg(long)]
        participant: uuid::Uuid,
        #[arg(long, default_value_t = 1_000)]
        iterations: usize,
    },
}

#[derive(Subcommand)]
enum JobsCommand {
    /// Import job ads in the JobTech JSON format, one ad per line (no network). Each ad becomes an
    /// open vacancy at its employer; ads imported before are skipped; removal records close them.
    Import {
        #[command(flatten)]
        storage: Storage,
        /// The file, e.g. data/jobtech_ads_sample.jsonl.
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user. The password is read from STEGVIS_PASSWORD, or generated and printed once.
    Add {
        #[command(flatten)]
        storage: Storage,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Organisation name or id.
        #[arg(long)]
        org: String,
        /// coach, partner_staff, supervisor, participant, project_manager, admin or auditor.
        #[arg(long)]
        role: String,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create an API bearer token for a user; printed once, stored only as a hash.
    Create {
        #[command(flatten)]
        storage: Storage,
        #[arg(long)]
        email: String,
        /// What the token is for.
        #[arg(long, default_value = "CLI")]
        name: String,
        /// Days it stays valid (1 to 366).
        #[arg(long, default_value_t = 90)]
        days: i64,
    },
    /// List API tokens (never the tokens themselves): one user's, or everyone's.
    List {
        #[command(flatten)]
        storage: Storage,
        #[arg(long)]
        email: Option<String>,
    },
    /// Revoke an API token by its id (from `token list`): it gets 401 from the next request.
    Revoke {
        #[command(flatten)]
        storage: Storage,
        /// The token's id.
        id: String,
    },
}

/// Prints an application error's field messages (Swedish / English) and fails.
fn explain(e: stegvis_app::AppError) -> anyhow::Error {
    match e {
        stegvis_app::AppError::Invalid(errors) => {
            for e in errors {
                eprintln!("{}: {} / {}", e.field, e.message.sv, e.message.en);
            }
            anyhow::anyhow!("ogiltiga uppgifter / invalid input")
        }
        stegvis_app::AppError::Conflict(t) => anyhow::anyhow!("{} / {}", t.sv, t.en),
        stegvis_app::AppError::NotFound => anyhow::anyhow!("finns inte / not found"),
        e => e.into(),
    }
}

impl Storage {
    fn url(&self) -> Result<String> {
        if let Some(url) = &self.database_url {
            return Ok(url.clone());
        }
        let db = data_dir::prepare(&self.data_dir)?;
        Ok(format!("sqlite://{}", db.display()))
    }

    async fn open(&self) -> Result<App> {
        let key_path = self
            .key_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("keys").join("stegvis.keys"));
        // The app decides: it compares the file with the database's recorded keys and creates
        // a file only for a brand-new database.
        let app = App::open_with_pool(
            &self.url()?,
            KeySource::File(key_path),
            Arc::new(SystemClock),
            self.db_pool,
        )
        .await
        .context("opening the database")?;
        Ok(app)
    }
}

fn random_password() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

async fn serve(app: App, listen: SocketAddr, config: stegvis_web::WebConfig) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    eprintln!("Stegvis lyssnar på / listens on http://{listen}");
    stegvis_web::serve(app.clone(), config, listener, shutdown_signal()).await?;
    app.close().await;
    Ok(())
}

/// The first word on the command line that is not a flag or `--config`'s value.
fn subcommand_name(args: &[std::ffi::OsString]) -> Option<String> {
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--config" {
            it.next();
        } else if !a.starts_with('-') {
            return Some(a.into_owned());
        }
    }
    None
}

/// Reads the configuration file (problems end the process, each on its own line), starts the
/// log, and parses the command line with the file's values as clap's defaults.
fn configure() -> Cli {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let located = config::locate(&args);
    // `config check` reads the file itself and reports its problems.
    let checking = subcommand_name(&args).as_deref() == Some("config");
    let loaded = match config::load(located.as_deref()) {
        Ok(l) => l,
        Err(_) if checking => config::Loaded::default(),
        Err(problems) => {
            for p in &problems {
                eprintln!("{p}");
            }
            eprintln!(
                "Stegvis startar inte: rätta konfigurationen (stegvis config check) / Stegvis does not start: correct the configuration (stegvis config check)"
            );
            std::process::exit(1);
        }
    };
    let filter = std::env::var("STEGVIS_LOG")
        .ok()
        .or_else(|| match loaded.value("log") {
            Some(config::Value::One(f)) => Some(f.clone()),
            _ => None,
        })
        .and_then(|f| tracing_subscriber::EnvFilter::try_new(f).ok())
        .unwrap_or_else(|| "info,sqlx=warn".into());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    if let Some(path) = &loaded.path {
        tracing::debug!(path = %path.display(), "configuration file read");
    }
    let matches = loaded.apply(Cli::command()).get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

#[tokio::main]
async fn main() -> Result<()> {
    let Cli {
        config: config_file,
        command,
    } = configure();
    match command {
        Command::Config { command } => match command {
            ConfigCommand::Example => {
                print!("{}", config::example());
                Ok(())
            }
            ConfigCommand::Check => {
                if !config::check(config_file.or_else(|| config::locate(&[]))) {
                    std::process::exit(1);
                }
                Ok(())
            }
        },
        Command::Serve {
            storage,
            listen,
            trusted_proxies,
            metrics_listen,
            accessibility_contact,
            reminders,
        } => {
            let public_url = reminders.public_url();
            let reminders = reminders.config()?;
            let app = storage.open().await?;
            app.start_reminders(reminders);
            if storage.key_file.is_none() {
                tracing::warn!(
                    "nyckelfilen ligger i datamappen: flytta den och ange --key-file / STEGVIS_KEY_FILE, annars följer den med varje kopia av mappen / the key file lies in the data folder: move it and give --key-file / STEGVIS_KEY_FILE, or it goes with every copy of the folder"
                );
            }
            // A database nobody can log in to: the one-time link that sets it up.
            if let Some(link) = app.first_start_link().await? {
                eprintln!(
                    "Stegvis är inte konfigurerat än. Öppna länken inom en timme för att skapa organisationen och dess första administratör (den fungerar en gång) /\n\
                     Stegvis is not set up yet. Open the link within an hour to create the organisation and its first administrator (it works once):\n\n  http://{listen}{}\n",
                    link.path
                );
            }
            let metrics = match metrics_listen {
                Some(addr) => {
                    let listener = tokio::net::TcpListener::bind(addr)
                        .await
                        .with_context(|| format!("cannot listen on {addr} (metrics_listen)"))?;
                    let metrics = stegvis_web::Metrics::new(&app);
                    eprintln!("Mätvärden / metrics: http://{addr}/metrics");
                    tokio::spawn(stegvis_web::serve_metrics(
                        metrics.clone(),
                        listener,
                        shutdown_signal(),
                    ));
                    Some(metrics)
                }
                None => None,
            };
            let config = stegvis_web::WebConfig {
                trusted_proxies,
                public_url,
                accessibility_contact,
                metrics,
            };
            serve(app, listen, config).await
        }
        Command::Demo {
            storage,
            listen,
            participants,
            seed,
            no_serve,
        } => {
            if !listen.ip().is_loopback() {
                bail!(
                    "the demo has well-known passwords and listens only on loopback (127.0.0.1 or ::1)"
                );
            }
            let app = storage.open().await?;
            app.claim_for_demo().await.map_err(explain)?;
            let progress = seed_progress();
            let report = stegvis_demo::seed_demo(&app, participants, seed, &progress).await?;
            eprintln!(
                "Demo klar / ready: {} nya projekt, {} nya deltagare.",
                report.projects_created, report.participants_created
            );
            eprintln!(
                "Demoanvändare / demo users (lösenord / password: {}):",
                stegvis_demo::DEMO_PASSWORD
            );
            for (email, role) in &report.users {
                eprintln!("  {email:<40} {role}");
            }
            if no_serve {
                app.close().await;
                return Ok(());
            }
            serve(app, listen, stegvis_web::WebConfig::default()).await
        }
        Command::Bench {
            command:
                BenchCommand::Report {
                    storage,
                    participants,
                    attendance,
                    csv_dir,
                },
        } => {
            let app = storage.open().await?;
            stegvis_demo::seed_demo(&app, 0, 2026, &|_, _| {}).await?;
            if let Some(dir) = &csv_dir {
                std::fs::create_dir_all(dir)?;
            }
            let started = std::time::Instant::now();
            stegvis_demo::bench::generate_data(&app, participants, attendance, csv_dir.as_deref())
                .await?;
            let generate_seconds = started.elapsed().as_secs_f64();
            eprintln!("  generated {participants} participants in {generate_seconds:.1} s");
            let started = std::time::Instant::now();
            app.ensure_report_tallies(true).await?;
            let tally_seconds = started.elapsed().as_secs_f64();
            eprintln!("  built the report tallies in {tally_seconds:.1} s");
            let mut times = Vec::new();
            let mut totals = Vec::new();
            for _ in 0..3 {
                let started = std::time::Instant::now();
                totals = stegvis_demo::bench::reports(&app).await?;
                times.push(started.elapsed().as_secs_f64());
            }
            let run = stegvis_demo::bench::BenchRun {
                backend: format!("{:?}", app.backend()).to_lowercase(),
                participants,
                attendance_rows: participants * attendance,
                generate_seconds,
                tally_seconds,
                report_cold_seconds: times[0],
                report_warm_seconds: times[1].min(times[2]),
                totals,
            };
            println!("{}", serde_json::to_string(&run)?);
            app.close().await;
            Ok(())
        }
        Command::Check { storage } => check::run(&storage).await,
        Command::Backup { storage, to } => backup::backup(&storage, &to).await,
        Command::Restore { storage, from } => backup::restore(&storage, &from).await,
        Command::Retention { command } => retention::run(command).await,
        Command::Export { storage, to } => archive::export(&storage, &to).await,
        Command::ImportArchive { storage, file } => archive::import(&storage, &file).await,
        Command::Audit {
            command: AuditCommand::Verify { storage },
        } => audit::verify(&storage).await,
        Command::Bench {
            command:
                BenchCommand::Floor {
                    storage,
                    participant,
                    iterations,
                },
        } => {
            let run =
                stegvis_demo::bench::floor(&storage.url()?, participant, iterations.max(1)).await?;
            println!("{}", serde_json::to_string(&run)?);
            Ok(())
        }
        Command::Migrate {
            storage,
            owner_database_url,
            runtime_role,
        } => {
            let url = match owner_database_url {
                Some(url) => url,
                None => storage.url()?,
            };
            if runtime_role.is_some() && url.starts_with("sqlite:") {
                bail!("--runtime-role gäller bara PostgreSQL / roles exist only on PostgreSQL");
            }
            stegvis_app::App::migrate_only(&url, runtime_role.as_deref()).await?;
            eprintln!("Databasen är uppdaterad / database migrated.");
            if let Some(role) = runtime_role {
                eprintln!("Körrollen {role} har sina rättigheter / runtime role {role} granted.");
            }
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Add {
                    storage,
                    email,
                    name,
                    org,
                    role,
                },
        } => {
            let app = storage.open().await?;
            let (password, generated) = match std::env::var("STEGVIS_PASSWORD") {
                Ok(p) => (p, false),
                Err(_) => (random_password(), true),
            };
            let input = UserInput {
                email,
                name,
                org_id: org,
                role,
                password: password.clone(),
            };
            match app.add_user_as_operator(&input).await {
                Ok(u) => {
                    eprintln!(
                        "Användaren är skapad / user created: {} ({})",
                        u.email, u.role
                    );
                    if generated {
                        println!("{password}");
                        eprintln!(
                            "(lösenordet ovan visas bara nu / the password above is shown only now)"
                        );
                    }
                    Ok(())
                }
                Err(stegvis_app::AppError::Invalid(errors)) => {
                    for e in errors {
                        eprintln!("{}: {}", e.field, e.message.sv);
                    }
                    bail!("ogiltiga uppgifter / invalid input");
                }
                Err(e) => Err(e.into()),
            }
        }
        Command::Import { storage, args } => {
            let app = storage.open().await?;
            let ok = import::run(&app, &args).await;
            app.close().await;
            if !ok? {
                std::process::exit(1);
            }
            Ok(())
        }
        Command::Jobs {
            command: JobsCommand::Import { storage, file },
        } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let app = storage.open().await?;
            let r = app.import_job_ads(&text).await?;
            println!(
                "{} nya platser, {} fanns redan, {} stängda, {} rader kunde inte läsas / {} new openings, {} already there, {} closed, {} lines unreadable",
                r.imported,
                r.already_there,
                r.closed,
                r.rejected.len(),
                r.imported,
                r.already_there,
                r.closed,
                r.rejected.len()
            );
            for (line, why) in &r.rejected {
                eprintln!("  rad / line {line}: {why}");
            }
            Ok(())
        }
        Command::Setup {
            storage,
            org,
            kind,
            municipality,
            admin_email,
            admin_name,
        } => {
            let app = storage.open().await?;
            let (password, generated) = match std::env::var("STEGVIS_PASSWORD") {
                Ok(p) => (p, false),
                Err(_) => (random_password(), true),
            };
            let input = stegvis_app::accounts::SetupInput {
                token: String::new(),
                organisation_name: org,
                kind,
                municipality_code: municipality,
                name: admin_name,
                email: admin_email,
                password: password.clone(),
                password_again: None,
            };
            let done = app.setup_as_operator(&input).await.map_err(explain)?;
            eprintln!(
                "Stegvis är konfigurerat / set up: {} med administratören / with the administrator {}",
                done.organisation.name, done.user.email
            );
            if generated {
                println!("{password}");
                eprintln!("(lösenordet ovan visas bara nu / the password above is shown only now)");
            }
            app.close().await;
            Ok(())
        }
        Command::Keys { command } => keys::run(command).await,
        Command::Token { command } => match command {
            TokenCommand::Create {
                storage,
                email,
                name,
                days,
            } => {
                let app = storage.open().await?;
                let token = app
                    .create_api_token_as_operator(&email, &name, days)
                    .await
                    .map_err(explain)?;
                println!("{}", token.token);
                eprintln!(
                    "(token {} visas bara nu, gäller till / is shown only now, valid until {})",
                    token.id,
                    token
                        .expires_at
                        .format(&time::format_description::well_known::Rfc3339)
                        .unwrap_or_default()
                );
                Ok(())
            }
            TokenCommand::List { storage, email } => {
                let app = storage.open().await?;
                let tokens = app
                    .tokens_as_operator(email.as_deref())
                    .await
                    .map_err(explain)?;
                for t in tokens {
                    println!(
                        "{}\t{}\t{}\t{}\t{}",
                        t.id,
                        t.email,
                        t.status.code(),
                        t.expires_at
                            .and_then(|e| e
                                .format(&time::format_description::well_known::Rfc3339)
                                .ok())
                            .unwrap_or_default(),
                        t.name
                    );
                }
                Ok(())
            }
            TokenCommand::Revoke { storage, id } => {
                let id = uuid::Uuid::parse_str(id.trim())
                    .map_err(|_| anyhow::anyhow!("ogiltigt id / invalid id: {id}"))?;
                let app = storage.open().await?;
                let t = app.revoke_token_as_operator(id).await.map_err(explain)?;
                eprintln!("Återkallad / revoked: {} ({}, {})", t.id, t.email, t.name);
                Ok(())
            }
        },
    }
}

/// The demo's progress on stderr: done/total, rate and time left. On a terminal one line that
/// redraws itself; elsewhere (CI, logs) a plain line every ten seconds and at the end.
fn seed_progress() -> impl Fn(usize, usize) {
    use std::io::{IsTerminal, Write};
    let started = std::cell::Cell::new(std::time::Instant::now());
    let tty = std::io::stderr().is_terminal();
    let last = std::cell::Cell::new(None::<std::time::Instant>);
    move |done: usize, total: usize| {
        let now = std::time::Instant::now();
        // Zero done: the participants start now (projects and users came first).
        if done == 0 {
            started.set(now);
        }
        let finished = done >= total;
        if !tty
            && !finished
            && last
                .get()
                .is_some_and(|t| now - t < std::time::Duration::from_secs(10))
        {
            return;
        }
        last.set(Some(now));
        let seconds = started.get().elapsed().as_secs_f64().max(1e-3);
        let rate = done as f64 / seconds;
        let left = if rate > 0.0 {
            (total - done.min(total)) as f64 / rate
        } else {
            0.0
        };
        let line = format!(
            "  deltagare / participants: {done} av {total} ({:.0} %), {rate:.0}/s, {}",
            100.0 * done as f64 / total.max(1) as f64,
            if finished {
                format!("klart / done in {seconds:.0} s")
            } else {
                format!("ca / about {left:.0} s kvar / left")
            }
        );
        let mut err = std::io::stderr().lock();
        if tty {
            let _ = write!(err, "\r\x1b[2K{line}");
            if finished {
                let _ = writeln!(err);
            }
        } else {
            let _ = writeln!(err, "{line}");
        }
        let _ = err.flush();
    }
}
