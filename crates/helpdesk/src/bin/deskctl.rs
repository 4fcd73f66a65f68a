//! `deskctl`: Desk Chat without a window. See [`helpdesk::cli`] and
//! `deskctl --help` (exit codes, environment).

use clap::Parser;
use helpdesk::cli::{Cli, main as run};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // Logs (never secrets) go to stderr, only when asked: RUST_LOG=helpdesk=debug.
    if let Ok(filter) = tracing_subscriber::EnvFilter::try_from_env("RUST_LOG") {
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .init();
    }
    run(Cli::parse()).await
}
