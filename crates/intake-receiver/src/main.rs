//! `intake-receiver`: the reference endpoint for massage-intake.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use intake_receiver::config::ReceiverConfig;
use intake_receiver::export::{export, Format};
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
            let stdout = std::io::stdout();
            match export(
                &db.unwrap_or_else(|| config.db()),
                &since,
                format,
                &mut stdout.lock(),
            ) {
                Ok(n) => {
                    eprintln!("intake-receiver: exported {n} submission(s)");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("intake-receiver: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
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
    let addr = config.addr();
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("intake-receiver: cannot listen on {addr}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let addr = listener.local_addr().unwrap_or(addr);
    let settings = config.settings();
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
