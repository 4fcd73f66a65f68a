//! `deskctl`: Desk Chat without a window, for scripts and servers.
//!
//! What it is for: the same data dir, settings, secrets and outbox as the
//! app, driven from a terminal: connect (`login`, `status`, `logout`), look
//! (`orgs`, `departments`, `history`), file (`ticket`, `callback`) and
//! deliver (`outbox flush`). Every submission goes through the app's one
//! path to Desk: [`crate::compose`], then the [`crate::outbox`] (with its
//! attachments), then the [`Deliverer`](crate::outbox::Deliverer), and
//! only while this process holds the outbox's delivery lock: when the
//! running app holds it, commands queue for the app and exit 5.
//!
//! It also works with the original guide's environment alone
//! (`DESK_ACCESS_TOKEN`, `DESK_ORGANIZATION_ID`, `DESK_API_URL`): then
//! nothing is signed in or saved, the token is used for this run only and
//! the departments are looked up by name ("Support", "Callbacks").
//!
//! Output: text for people; with `--json`, one JSON document on stdout
//! (also for errors: `{"ok": false, "exitCode", "kind", "message"}`).
//! Prompts and progress go to stderr. Secrets are never printed.
//!
//! What it is not: no GUI, no tauri (DESIGN.md, boundary 1); it does not
//! refresh Desk statuses in the history (the app's history view does).

mod attach;
mod callback;
mod context;
mod departments;
mod exit;
mod history;
mod input;
mod login;
mod logout;
mod orgs;
mod outbox;
mod status;
mod ticket;
mod view;

use clap::{Args, Parser, Subcommand};
use serde_json::{Value, json};

pub use exit::{CliError, Exit};
pub use view::ItemView;

/// Exit codes, as `--help` shows them.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  done
  1  something else went wrong (e.g. Zoho could not be reached before anything was queued)
  2  usage or invalid input (nothing was sent)
  3  authorization needed: not connected, or reconnect needed (`deskctl login`)
  4  Zoho Desk rejected the input (validation); see the message and `deskctl outbox list`
  5  queued but not yet delivered; `deskctl outbox flush` sends it later
     (or the running Desk Chat app, which then holds the outbox's delivery lock)

Environment:
  DESK_CHAT_DATA_DIR      data folder shared with the app (default: the platform's)
  DESK_CHAT_SECRET_STORE  `file` keeps the sign-in in a user-only file; `memory` keeps nothing
  ZOHO_ACCOUNTS_URL       Zoho Accounts server override (tests, proxies)
  DESK_API_URL            Zoho Desk API base override
  DESK_ACCESS_TOKEN, DESK_ORGANIZATION_ID
                          the original guide's variables: use this token for this run only
  ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET
                          the OAuth client for `login`";

/// The command line.
#[derive(Debug, Parser)]
#[command(
    name = "deskctl",
    version,
    about = "Desk Chat without a window: connect to Zoho Desk, file tickets and callbacks, deliver the outbox.",
    after_help = EXIT_CODES_HELP
)]
pub struct Cli {
    /// Print one JSON document on stdout instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Connect to Zoho Desk (consent in the system browser, a Self Client code, or a .env file).
    Login(login::LoginArgs),
    /// Show the connection (exit 3 when not connected or a reconnect is needed).
    Status,
    /// Revoke Desk Chat's access at Zoho and delete the saved sign-in.
    Logout,
    /// List the Zoho Desk organizations of the signed-in account.
    Orgs(orgs::OrgsArgs),
    /// List the departments of the organization.
    Departments,
    /// File a ticket.
    Ticket(ticket::TicketArgs),
    /// Book a callback (a ticket in the Callbacks department with the time).
    Callback(callback::CallbackArgs),
    /// What is waiting to be sent: `list` (default), `flush`, `retry ID`, `discard ID`.
    Outbox(OutboxArgs),
    /// Every ticket and callback sent from this machine, newest first.
    History(history::HistoryArgs),
}

/// `deskctl outbox`.
#[derive(Debug, Args)]
pub struct OutboxArgs {
    /// `list` (default), `flush`, `retry ID` or `discard ID`.
    #[command(subcommand)]
    pub action: Option<OutboxAction>,
}

/// `deskctl outbox list|flush|retry|discard`.
#[derive(Debug, Subcommand)]
pub enum OutboxAction {
    /// Items queued, being sent, or refused by Desk.
    List,
    /// Send every queued item now.
    Flush,
    /// Send a failed (or waiting) item again now.
    Retry {
        /// The item's id (from `deskctl outbox list`).
        id: i64,
    },
    /// Do not send a failed or queued item.
    Discard {
        /// The item's id (from `deskctl outbox list`).
        id: i64,
    },
}

/// What a command produced: the exit code, the JSON document and the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Done {
    /// 0, or 5 when something stayed queued (3 or 4 for items that need the user).
    pub exit: Exit,
    /// The `--json` document.
    pub json: Value,
    /// The text for people.
    pub text: String,
}

impl Done {
    /// Exit 0.
    pub fn ok(json: Value, text: impl Into<String>) -> Self {
        Self {
            exit: Exit::Done,
            json,
            text: text.into(),
        }
    }

    /// With another exit code.
    pub fn with_exit(mut self, exit: Exit) -> Self {
        self.exit = exit;
        self
    }
}

/// Runs one command.
pub async fn run(cli: &Cli) -> Result<Done, CliError> {
    match &cli.command {
        Command::Login(args) => login::run(args).await,
        Command::Status => status::run().await,
        Command::Logout => logout::run().await,
        Command::Orgs(args) => orgs::run(args).await,
        Command::Departments => departments::run().await,
        Command::Ticket(args) => ticket::run(args).await,
        Command::Callback(args) => callback::run(args).await,
        Command::Outbox(args) => match args.action.as_ref().unwrap_or(&OutboxAction::List) {
            OutboxAction::List => outbox::list().await,
            OutboxAction::Flush => outbox::flush().await,
            OutboxAction::Retry { id } => outbox::retry(*id).await,
            OutboxAction::Discard { id } => outbox::discard(*id).await,
        },
        Command::History(args) => history::run(args).await,
    }
}

/// Runs `cli`, prints the result, returns the exit code.
pub async fn main(cli: Cli) -> std::process::ExitCode {
    let result = run(&cli).await;
    let exit = match &result {
        Ok(done) => done.exit,
        Err(error) => error.exit,
    };
    match (result, cli.json) {
        (Ok(done), true) => {
            let mut json = done.json;
            if let Value::Object(map) = &mut json {
                map.insert("ok".into(), json!(done.exit == Exit::Done));
                map.insert("exitCode".into(), json!(done.exit.code()));
            }
            println!("{json}");
            if done.exit != Exit::Done {
                eprintln!("deskctl: {}", done.text);
            }
        }
        (Ok(done), false) => {
            if done.exit == Exit::Done {
                println!("{}", done.text);
            } else {
                eprintln!("deskctl: {}", done.text);
            }
        }
        (Err(error), true) => {
            println!("{}", error.to_json());
            eprintln!("deskctl: {}", error.message);
        }
        (Err(error), false) => eprintln!("deskctl: {}", error.message),
    }
    std::process::ExitCode::from(exit.code())
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_line_is_well_formed_and_help_lists_the_exit_codes() {
        Cli::command().debug_assert();
        let help = Cli::command().render_long_help().to_string();
        for code in [
            "0  done",
            "2  usage",
            "3  authorization",
            "4  Zoho Desk rejected",
            "5  queued",
        ] {
            assert!(help.contains(code), "{code}");
        }
    }

    #[test]
    fn the_secret_and_the_code_never_show_in_debug_output() {
        let cli = Cli::try_parse_from([
            "deskctl",
            "login",
            "--client-id",
            "1000.ABCDEFGHIJKLMNOP",
            "--client-secret",
            "s3cr3tvalue0123456789",
            "--code",
            "1000.code.value",
        ])
        .unwrap();
        let debug = format!("{cli:?}");
        assert!(!debug.contains("s3cr3tvalue"), "{debug}");
        assert!(!debug.contains("code.value"), "{debug}");
    }

    #[test]
    fn errors_become_stable_json_with_the_exit_code() {
        let error = CliError::from(crate::connect::ConnectError::NotConnected);
        assert_eq!(error.exit, Exit::AuthNeeded);
        let json = error.to_json();
        assert_eq!(json["exitCode"], 3);
        assert_eq!(json["kind"], "auth_required");
        assert_eq!(json["ok"], false);
        assert!(json["message"].as_str().unwrap().contains("deskctl login"));
        let invalid = CliError::from(crate::connect::ConnectError::InvalidCode);
        assert_eq!(invalid.exit.code(), 2);
    }
}
