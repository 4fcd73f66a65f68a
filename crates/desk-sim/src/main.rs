//! `desk-sim`: run the Zoho Accounts + Desk simulator on loopback.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use desk_sim::{ConsentMode, DEV_CLIENT_ID, DEV_CLIENT_SECRET, RegisteredClient, Sim, SimConfig};

/// A local Zoho Accounts (OAuth) + Zoho Desk API simulator, for tests and the sandbox.
#[derive(Debug, Parser)]
#[command(name = "desk-sim", version)]
struct Args {
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 8090)]
    port: u16,
    /// Loopback address to listen on (127.0.0.1, ::1 or localhost); nothing else is allowed.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Keep tickets, contacts and tokens in this JSON file across restarts.
    #[arg(long)]
    state_file: Option<PathBuf>,
    /// Access-token lifetime in seconds.
    #[arg(long, default_value_t = 3600)]
    token_ttl: u64,
    /// What the consent page does: manual, auto-approve, auto-deny or no-org.
    #[arg(long, default_value = "manual", value_parser = parse_consent)]
    consent: ConsentMode,
    /// Desk calls allowed in flight at once (unlimited when absent).
    #[arg(long)]
    concurrency_limit: Option<usize>,
    /// Register this OAuth client id (with --client-secret and --redirect-uri).
    #[arg(long, requires_all = ["client_secret", "redirect_uri"])]
    client_id: Option<String>,
    /// The secret of --client-id.
    #[arg(long, requires = "client_id")]
    client_secret: Option<String>,
    /// A redirect URI of --client-id (repeat for more).
    #[arg(long, requires = "client_id")]
    redirect_uri: Vec<String>,
}

fn parse_consent(s: &str) -> Result<ConsentMode, String> {
    ConsentMode::parse(s).ok_or_else(|| "one of manual, auto-approve, auto-deny, no-org".to_owned())
}

fn loopback(host: &str) -> Result<IpAddr, String> {
    let ip: IpAddr = if host.eq_ignore_ascii_case("localhost") {
        IpAddr::from([127, 0, 0, 1])
    } else {
        host.parse()
            .map_err(|_| format!("--host {host:?} is not an IP address"))?
    };
    if ip.is_loopback() {
        Ok(ip)
    } else {
        Err(format!(
            "--host {ip} is not a loopback address: desk-sim only listens on loopback"
        ))
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "desk_sim=info".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let args = Args::parse();
    let ip = match loopback(&args.host) {
        Ok(ip) => ip,
        Err(message) => {
            eprintln!("desk-sim: {message}");
            return std::process::ExitCode::from(2);
        }
    };
    let mut config = SimConfig {
        access_token_ttl: Duration::from_secs(args.token_ttl),
        consent: args.consent,
        concurrency_limit: args.concurrency_limit,
        state_file: args.state_file,
        ..SimConfig::default()
    };
    match (args.client_id, args.client_secret) {
        (Some(client_id), Some(client_secret)) => {
            config.clients = vec![RegisteredClient {
                client_id,
                client_secret,
                redirect_uris: args.redirect_uri,
            }];
        }
        _ => {
            println!(
                "desk-sim dev client: client_id={DEV_CLIENT_ID} client_secret={DEV_CLIENT_SECRET} redirect_uri={}",
                desk_sim::DEV_REDIRECT_URI
            );
        }
    }
    let sim = match Sim::start_on(SocketAddr::new(ip, args.port), config).await {
        Ok(sim) => sim,
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            eprintln!(
                "desk-sim: port {} is in use by another program; pick another with --port",
                args.port
            );
            return std::process::ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("desk-sim: cannot start on {ip}:{}: {e}", args.port);
            return std::process::ExitCode::FAILURE;
        }
    };
    println!("desk-sim listening on {}", sim.base_url());
    println!(
        "desk-sim org_id={} Support={} Callbacks={}",
        sim.org_id(),
        sim.department_id("Support").unwrap_or_default(),
        sim.department_id("Callbacks").unwrap_or_default()
    );
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("desk-sim: cannot wait for Ctrl-C: {e}");
    }
    sim.shutdown().await;
    std::process::ExitCode::SUCCESS
}
