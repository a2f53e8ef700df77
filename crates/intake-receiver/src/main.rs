//! `intake-receiver`: the reference endpoint for massage-intake.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;
use intake_receiver::{serve, Settings};

/// Receives massage-intake submissions, stores them in SQLite and serves the widget.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "INTAKE_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// SQLite file that holds the submissions (created if missing).
    #[arg(long, env = "INTAKE_DB", default_value = "data/intake.sqlite3")]
    db: PathBuf,
    /// Folder of the built widget to serve at `/` (e.g. `dist`).
    #[arg(long, env = "INTAKE_DIST")]
    dist: Option<PathBuf>,
    /// Widget configuration file to serve at `/intake.config.json`.
    #[arg(long, env = "INTAKE_WIDGET_CONFIG")]
    widget_config: Option<PathBuf>,
    /// Largest accepted request body, in bytes.
    #[arg(long, env = "INTAKE_MAX_BODY_BYTES", default_value_t = 2 * 1024 * 1024)]
    max_body_bytes: usize,
    /// Days a prescription stays current; older ones are accepted with a warning.
    #[arg(long, env = "INTAKE_PRESCRIPTION_VALIDITY_DAYS", default_value_t = 365)]
    prescription_validity_days: i64,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        // Colours only for a person at a terminal, never into a log file.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let args = Args::parse();
    let listener = match tokio::net::TcpListener::bind(args.addr).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("intake-receiver: cannot listen on {}: {e}", args.addr);
            return std::process::ExitCode::FAILURE;
        }
    };
    let addr = listener.local_addr().unwrap_or(args.addr);
    let settings = Settings {
        db: args.db,
        dist: args.dist,
        widget_config: args.widget_config,
        max_body_bytes: args.max_body_bytes,
        prescription_validity_days: args.prescription_validity_days,
    };
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
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("intake-receiver: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
