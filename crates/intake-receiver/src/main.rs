//! `intake-receiver`: the reference endpoint for massage-intake.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use intake_core::sealed::KeyPair;
use intake_receiver::config::ReceiverConfig;
use intake_receiver::export::{export_opening, Format};
use intake_receiver::serve;

/// Receives massage-intake submissions, stores them in SQLite and serves the widget.
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
        /// The SQLite file to read [default: the configured database].
        #[arg(long)]
        db: Option<PathBuf>,
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
        /// The SQLite file to read [default: the configured database].
        #[arg(long)]
        db: Option<PathBuf>,
    },
    /// Staff accounts for the inbox at /staff/.
    Staff {
        #[command(subcommand)]
        action: StaffAction,
        /// The SQLite file [default: the configured database].
        #[arg(long, global = true)]
        db: Option<PathBuf>,
    },
    /// Print the staff inbox's audit trail (time, account, action,
    /// reference), tab-separated, oldest first.
    Audit {
        /// The first day to include (YYYY-MM-DD, UTC).
        #[arg(long)]
        since: String,
        /// The SQLite file to read [default: the configured database].
        #[arg(long)]
        db: Option<PathBuf>,
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
    Add { name: String },
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
    match cli.command {
        None | Some(Command::Serve) => run(config),
        Some(Command::Export { since, format, db }) => {
            write_out(&db.unwrap_or_else(|| config.db()), &since, format, None)
        }
        Some(Command::Open {
            key,
            since,
            format,
            db,
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
                    return ExitCode::FAILURE;
                }
            };
            write_out(
                &db.unwrap_or_else(|| config.db()),
                &since,
                format,
                Some(&keys),
            )
        }
        Some(Command::Keygen { out }) => keygen(&out),
        Some(Command::Staff { action, db }) => staff(&db.unwrap_or_else(|| config.db()), action),
        Some(Command::Audit { since, db }) => audit(&db.unwrap_or_else(|| config.db()), &since),
    }
}

/// Exports (opening sealed submissions when given keys), reporting counts
/// and problems on standard error; fails when any could not be opened.
fn write_out(
    db: &std::path::Path,
    since: &str,
    format: Format,
    keys: Option<&KeyPair>,
) -> ExitCode {
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    match export_opening(
        db,
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

fn open_store(db: &std::path::Path) -> Result<intake_receiver::Store, ExitCode> {
    intake_receiver::Store::open(db).map_err(|e| {
        eprintln!("intake-receiver: cannot open {}: {e}", db.display());
        ExitCode::FAILURE
    })
}

fn staff(db: &std::path::Path, action: StaffAction) -> ExitCode {
    use intake_receiver::staff::accounts;
    let store = match open_store(db) {
        Ok(store) => store,
        Err(code) => return code,
    };
    let done = match action {
        StaffAction::Add { name } => accounts::check_name(&name)
            .and_then(|()| new_password())
            .and_then(|password| store.with(|conn| accounts::add(conn, &name, &password)))
            .map(|()| eprintln!("intake-receiver: account `{name}` added")),
        StaffAction::Remove { name } => match store.with(|conn| accounts::remove(conn, &name)) {
            Ok(true) => {
                eprintln!("intake-receiver: account `{name}` removed, its sessions ended");
                Ok(())
            }
            Ok(false) => Err(format!("there is no account named `{name}`")),
            Err(e) => Err(e.to_string()),
        },
        StaffAction::List => store
            .with(accounts::list)
            .map(|list| {
                for (name, created) in list {
                    println!("{name}\t{created}");
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

fn audit(db: &std::path::Path, since: &str) -> ExitCode {
    if intake_core::Date::parse(since).is_none() {
        eprintln!("intake-receiver: --since {since}: use a date like 2026-11-01");
        return ExitCode::FAILURE;
    }
    let store = match open_store(db) {
        Ok(store) => store,
        Err(code) => return code,
    };
    match store.with(|conn| intake_receiver::staff::accounts::events(conn, since)) {
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
            eprintln!("intake-receiver: {e}");
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
        settings.db.display()
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
