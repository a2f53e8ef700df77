//! `intake-receiver`: the reference endpoint for massage-intake.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use intake_core::sealed::KeyPair;
use intake_receiver::config::ReceiverConfig;
use intake_receiver::export::{export_opening, Format};
use intake_receiver::{serve, store, Database};

/// Receives massage-intake submissions, stores them in SQLite or PostgreSQL and serves the widget.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// A TOML file with any of the settings below; flags and variables win over it.
    #[arg(long, env = "INTAKE_CONFIG", global = true)]
    config: Option<PathBuf>,
    #[command(flatten)]
    settings: ReceiverConfig,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Receive submissions (the default).
    Serve,
    /// Write the stored submissions for staff, to standard output.
    Export {
        /// The first day to include (YYYY-MM-DD, UTC).
        #[arg(long)]
        since: String,
        #[arg(long, value_enum, default_value = "jsonl")]
        format: Format,
        /// The database to read, a SQLite file or a URL [default: the configured database].
        #[arg(long)]
        db: Option<PathBuf>,
        /// Only this clinic's submissions (`default` for the default clinic's) [default: all].
        #[arg(long)]
        clinic: Option<String>,
    },
    /// Like export, and opens the sealed submissions with the clinic's
    /// private key; one that cannot be opened is named and the rest go on.
    Open {
        /// The private key file `keygen` wrote.
        #[arg(long)]
        key: PathBuf,
        /// The first day to include (YYYY-MM-DD, UTC).
        #[arg(long)]
        since: String,
        #[arg(long, value_enum, default_value = "jsonl")]
        format: Format,
        /// The database to read, a SQLite file or a URL [default: the configured database].
        #[arg(long)]
        db: Option<PathBuf>,
        /// Only this clinic's submissions (`default` for the default clinic's) [default: all].
        #[arg(long)]
        clinic: Option<String>,
    },
    /// Staff accounts for the inbox at /staff/.
    Staff {
        #[command(subcommand)]
        action: StaffAction,
        /// The database, a SQLite file or a URL [default: the configured database].
        #[arg(long, global = true)]
        db: Option<PathBuf>,
    },
    /// Print the staff inbox's audit trail (time, account, action,
    /// reference), tab-separated, oldest first.
    Audit {
        /// The first day to include (YYYY-MM-DD, UTC).
        #[arg(long)]
        since: String,
        /// The database to read, a SQLite file or a URL [default: the configured database].
        #[arg(long)]
        db: Option<PathBuf>,
        /// Only this clinic's trail (`default` for the default clinic's) [default: all].
        #[arg(long)]
        clinic: Option<String>,
    },
    /// Make the clinic's key pair for sealed submissions: the private key
    /// goes to a new file (readable by its owner only), the public key to
    /// standard output, for the widget's `public_key` setting.
    Keygen {
        /// Where to write the private key (it must not exist yet).
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
enum StaffAction {
    /// Add an account: asks for its password twice at a terminal, or reads
    /// it from the first line of standard input.
    Add {
        name: String,
        /// The clinic whose submissions it reads (an id from `[[clinics]]`)
        /// [default: the default clinic].
        #[arg(long)]
        clinic: Option<String>,
    },
    /// Remove an account and end its sessions.
    Remove { name: String },
    /// List the accounts.
    List,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let file = match &cli.config {
        None => ReceiverConfig::default(),
        Some(path) => match std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| ReceiverConfig::from_toml(&t))
        {
            Ok(file) => file,
            Err(e) => {
                eprintln!("intake-receiver: {}: {e}", path.display());
                return ExitCode::FAILURE;
            }
        },
    };
    let config = file.overlay(cli.settings);
    // A subcommand's own `--db` (a file or a URL), else the configured one.
    let database = |db: Option<PathBuf>| -> Result<Database, ExitCode> {
        db.map_or_else(
            || config.database(),
            |db| Database::parse(&db.to_string_lossy()),
        )
        .map_err(|e| {
            eprintln!("intake-receiver: {e}");
            ExitCode::FAILURE
        })
    };
    // `default` names the default clinic, whose id is empty.
    let clinic_id = |clinic: Option<String>| -> Result<Option<String>, ExitCode> {
        let known: Vec<String> = config.clinics.iter().map(|c| c.id.clone()).collect();
        match clinic.as_deref() {
            None => Ok(None),
            Some("default") => Ok(Some(String::new())),
            Some(id) if known.iter().any(|k| k == id) => Ok(Some(id.to_owned())),
            Some(id) => {
                eprintln!(
                    "intake-receiver: --clinic {id}: no such clinic in the configuration (known: default{})",
                    known.iter().map(|k| format!(", {k}")).collect::<String>()
                );
                Err(ExitCode::FAILURE)
            }
        }
    };
    let (database, clinic_id) = (&database, &clinic_id);
    let outcome = || -> Result<ExitCode, ExitCode> {
        Ok(match cli.command {
            None | Some(Command::Serve) => run(config.clone()),
            Some(Command::Export {
                since,
                format,
                db,
                clinic,
            }) => write_out(
                &database(db)?,
                clinic_id(clinic)?.as_deref(),
                &since,
                format,
                None,
            ),
            Some(Command::Open {
                key,
                since,
                format,
                db,
                clinic,
            }) => {
                let keys = match std::fs::read_to_string(&key)
                    .ok()
                    .and_then(|text| KeyPair::parse(&text))
                {
                    Some(keys) => keys,
                    None => {
                        eprintln!(
                        "intake-receiver: {} is not a private key file made by `intake-receiver keygen`",
                        key.display()
                    );
                        return Err(ExitCode::FAILURE);
                    }
                };
                write_out(
                    &database(db)?,
                    clinic_id(clinic)?.as_deref(),
                    &since,
                    format,
                    Some(&keys),
                )
            }
            Some(Command::Keygen { out }) => keygen(&out),
            Some(Command::Staff { action, db }) => {
                let action = match action {
                    StaffAction::Add { name, clinic } => StaffAction::Add {
                        name,
                        clinic: Some(clinic_id(clinic)?.unwrap_or_default()),
                    },
                    other => other,
                };
                staff(&database(db)?, action)
            }
            Some(Command::Audit { since, db, clinic }) => {
                audit(&database(db)?, clinic_id(clinic)?.as_deref(), &since)
            }
        })
    };
    outcome().unwrap_or_else(|code| code)
}

/// Exports (opening sealed submissions when given keys), reporting counts
/// and problems on standard error; fails when any could not be opened.
fn write_out(
    db: &Database,
    clinic: Option<&str>,
    since: &str,
    format: Format,
    keys: Option<&KeyPair>,
) -> ExitCode {
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    match export_opening(
        db,
        clinic,
        since,
        format,
        keys,
        &mut stdout.lock(),
        &mut stderr.lock(),
    ) {
        Ok(done) => {
            eprintln!("intake-receiver: exported {} submission(s)", done.written);
            if done.sealed_skipped > 0 {
                eprintln!(
                    "intake-receiver: {} sealed submission(s) left out: read them with `intake-receiver open --key FILE`",
                    done.sealed_skipped
                );
            }
            if done.failed > 0 {
                eprintln!(
                    "intake-receiver: {} sealed submission(s) could not be opened (named above)",
                    done.failed
                );
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("intake-receiver: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The new account's password: asked twice at a terminal, else the first
/// line of standard input.
fn new_password() -> Result<String, String> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ").map_err(|e| e.to_string())?;
        let second = rpassword::prompt_password("Again: ").map_err(|e| e.to_string())?;
        if first != second {
            return Err("the two passwords differ; nothing was changed".to_owned());
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

fn staff(db: &Database, action: StaffAction) -> ExitCode {
    use intake_receiver::staff::accounts;
    let done = match action {
        StaffAction::Add { name, clinic } => accounts::check_name(&name)
            .and_then(|()| new_password())
            .and_then(|password| {
                let name = name.clone();
                let clinic = clinic.unwrap_or_default();
                store::blocking(db, move |store| async move {
                    Ok(store.add_account(&clinic, &name, &password).await)
                })
                .map_err(|e| e.to_string())?
            })
            .map(|()| eprintln!("intake-receiver: account `{name}` added")),
        StaffAction::Remove { name } => {
            let gone = name.clone();
            match store::blocking(
                db,
                move |store| async move { store.remove_account(&gone).await },
            ) {
                Ok(true) => {
                    eprintln!("intake-receiver: account `{name}` removed, its sessions ended");
                    Ok(())
                }
                Ok(false) => Err(format!("there is no account named `{name}`")),
                Err(e) => Err(e.to_string()),
            }
        }
        StaffAction::List => store::blocking(db, |store| async move { store.accounts().await })
            .map(|list| {
                for account in list {
                    // The default clinic's accounts print as they always did.
                    if account.clinic.is_empty() {
                        println!("{}\t{}", account.name, account.created_at);
                    } else {
                        println!(
                            "{}\t{}\t{}",
                            account.name, account.created_at, account.clinic
                        );
                    }
                }
            })
            .map_err(|e| e.to_string()),
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("intake-receiver: {e}");
            ExitCode::FAILURE
        }
    }
}

fn audit(db: &Database, clinic: Option<&str>, since: &str) -> ExitCode {
    if intake_core::Date::parse(since).is_none() {
        eprintln!("intake-receiver: --since {since}: use a date like 2026-11-01");
        return ExitCode::FAILURE;
    }
    let (clinic, day) = (clinic.map(str::to_owned), since.to_owned());
    match store::blocking(db, move |store| async move {
        store.events(clinic.as_deref(), &day).await
    }) {
        Ok(events) => {
            for e in events {
                println!(
                    "{}\t{}\t{}\t{}",
                    e.at,
                    e.account,
                    e.action,
                    e.reference.as_deref().unwrap_or("-")
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("intake-receiver: cannot read {}: {e}", db.describe());
            ExitCode::FAILURE
        }
    }
}

fn keygen(out: &std::path::Path) -> ExitCode {
    let mut ikm = [0u8; 32];
    if getrandom::getrandom(&mut ikm).is_err() {
        eprintln!("intake-receiver: no randomness from the operating system");
        return ExitCode::FAILURE;
    }
    let keys = KeyPair::derive(&ikm);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = options.open(out).and_then(|mut file| {
        use std::io::Write;
        writeln!(file, "{}", keys.private_base64())
    });
    if let Err(e) = written {
        eprintln!("intake-receiver: cannot write {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    let public = keys.public_key();
    println!("{}", public.to_base64());
    eprintln!(
        "intake-receiver: private key {} written to {}; keep it off the receiver's machine if you can.\n\
         Put this in intake.config.json: \"public_key\": \"{}\"",
        public.id(),
        out.display(),
        public.to_base64()
    );
    ExitCode::SUCCESS
}

#[tokio::main]
async fn run(config: ReceiverConfig) -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        // Colours only for a person at a terminal, never into a log file.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let settings = match config.settings() {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("intake-receiver: {e}");
            return ExitCode::FAILURE;
        }
    };
    let addr = config.addr();
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("intake-receiver: cannot listen on {addr}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let addr = listener.local_addr().unwrap_or(addr);
    eprintln!(
        "intake-receiver: listening on http://{addr} (database {})",
        settings.db.describe()
    );
    if settings.dist.is_some() {
        eprintln!("intake-receiver: intake page at http://{addr}/");
    }
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
        eprintln!("intake-receiver: stopping");
    };
    match serve(listener, settings, shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("intake-receiver: {e}");
            ExitCode::FAILURE
        }
    }
}
