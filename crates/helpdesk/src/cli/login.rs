//! `deskctl login`: the setup wizard's flows without the wizard. Consent in
//! the system browser (or, with `--no-browser`, a printed address and the
//! redirect awaited on loopback), a Self Client code (`--code`), or a
//! `.env` in the original guide's format (`--env-file`). All through
//! [`Setup`](crate::connect::Setup), so the app sees the same connection.

use std::path::PathBuf;

use clap::Args;
use serde_json::json;
use url::Url;

use super::exit::{CliError, Exit};
use super::{Done, context};
use crate::connect::{BrowserOpener, Connection, ConsentRequest, SetupOutcome, SystemBrowser};
use crate::secrets::SecretName;

/// `deskctl login`.
#[derive(Args)]
pub struct LoginArgs {
    /// Do not open a browser: print the consent address and wait for Zoho's redirect.
    #[arg(long, conflicts_with_all = ["code", "env_file"])]
    pub no_browser: bool,
    /// Exchange a Self Client code generated in the Zoho API console (valid a few minutes).
    #[arg(long, conflicts_with = "env_file")]
    pub code: Option<String>,
    /// Import a .env in the original guide's format (DESK_ACCESS_TOKEN, DESK_ORGANIZATION_ID, DESK_API_URL).
    #[arg(long, value_name = "FILE")]
    pub env_file: Option<PathBuf>,
    /// Zoho data centre: us, eu, in, au, jp, ca, sa, uk, cn (default: the saved one, else us).
    #[arg(long)]
    pub dc: Option<String>,
    /// OAuth client id from the Zoho API console (default: the saved one).
    #[arg(long, env = "ZOHO_CLIENT_ID")]
    pub client_id: Option<String>,
    /// OAuth client secret; prefer the environment variable (a command line is visible to other users).
    #[arg(long, env = "ZOHO_CLIENT_SECRET", hide_env_values = true)]
    pub client_secret: Option<String>,
    /// Port of the redirect URI registered for the client (http://localhost:PORT/callback; default 8000).
    #[arg(long)]
    pub port: Option<u16>,
    /// The organization to use when the account has several.
    #[arg(long)]
    pub org: Option<String>,
}

impl std::fmt::Debug for LoginArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginArgs")
            .field("no_browser", &self.no_browser)
            .field("code", &self.code.as_ref().map(|_| "[redacted]"))
            .field("env_file", &self.env_file)
            .field("dc", &self.dc)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "[redacted]"),
            )
            .field("port", &self.port)
            .field("org", &self.org)
            .finish()
    }
}

/// `--no-browser`: nothing is opened; the address is printed instead.
struct PrintOnly;

impl BrowserOpener for PrintOnly {
    fn open(&self, _url: &Url) -> Result<(), String> {
        Ok(())
    }
}

/// Connects, then reports the organization and departments.
pub(super) async fn run(args: &LoginArgs) -> Result<Done, CliError> {
    let data_dir = context::data_dir()?;
    let setup = context::open_setup(&data_dir, context::http()?)?;
    if std::env::var_os("DESK_ACCESS_TOKEN").is_some_and(|v| !v.is_empty()) {
        eprintln!(
            "Note: DESK_ACCESS_TOKEN is set, so other deskctl commands use it instead of this sign-in until it is unset."
        );
    }
    let outcome = if let Some(path) = &args.env_file {
        let contents = std::fs::read_to_string(path).map_err(|e| {
            CliError::usage(format!(
                "--env-file {}: cannot be read ({e})",
                path.display()
            ))
        })?;
        setup.import_env(&contents).await?
    } else {
        let request = consent_request(&setup, args)?;
        if let Some(code) = &args.code {
            setup.exchange_self_client_code(&request, code).await?
        } else {
            let opener: &dyn BrowserOpener = if args.no_browser {
                &PrintOnly
            } else {
                &SystemBrowser
            };
            let pending = setup.start_consent(&request, opener).await?;
            if let Some(error) = pending.browser_error() {
                eprintln!("{error}");
            }
            eprintln!(
                "Open this address in a browser and allow Desk Chat access to Zoho Desk:\n{}\nWaiting for Zoho's answer on {} ...",
                pending.consent_url(),
                pending.redirect_uri()
            );
            pending.finish().await?
        }
    };
    let connection = match outcome {
        SetupOutcome::Connected(connection) => *connection,
        SetupOutcome::ChooseOrganization { organizations } => match &args.org {
            Some(org) => setup.choose_organization(org).await?,
            None => {
                let list: Vec<String> = organizations
                    .iter()
                    .map(|o| format!("  {}  {}", o.id, o.name))
                    .collect();
                return Err(CliError::new(
                    Exit::AuthNeeded,
                    format!(
                        "signed in; this account has several Zoho Desk organizations: choose one with `deskctl orgs --use ID`:\n{}",
                        list.join("\n")
                    ),
                )
                .with_detail(json!({ "organizations": organizations })));
            }
        },
    };
    Ok(Done::ok(
        json!({ "connection": connection }),
        describe(&connection),
    ))
}

/// Client id and secret: given, else the saved ones (a reconnect).
fn consent_request(
    setup: &crate::connect::Setup,
    args: &LoginArgs,
) -> Result<ConsentRequest, CliError> {
    let saved = setup.settings()?;
    let client_id = args
        .client_id
        .clone()
        .filter(|v| !v.trim().is_empty())
        .or(saved.client_id.clone());
    let client_secret = match args.client_secret.clone().filter(|v| !v.trim().is_empty()) {
        Some(secret) => Some(secret),
        None => setup
            .secrets()
            .get(SecretName::ClientSecret)?
            .map(|v| v.expose().to_owned()),
    };
    let (Some(client_id), Some(client_secret)) = (client_id, client_secret) else {
        return Err(CliError::usage(
            "deskctl needs the OAuth client of your Zoho API console: pass --client-id and set ZOHO_CLIENT_SECRET (or ZOHO_CLIENT_ID and ZOHO_CLIENT_SECRET)",
        ));
    };
    Ok(ConsentRequest {
        client_id,
        client_secret,
        data_centre: args.dc.clone(),
        redirect_port: args.port,
    })
}

/// "Connected to Acme (6000...); tickets go to Support, callbacks to Callbacks".
pub(super) fn describe(connection: &Connection) -> String {
    let mut text = format!(
        "Connected to Zoho Desk: {} ({})",
        connection.organization.name, connection.organization.id
    );
    if let Some(dc) = &connection.data_centre {
        text.push_str(&format!(", data centre {}", dc.to_uppercase()));
    }
    match &connection.support {
        Some(d) => text.push_str(&format!("\nTickets go to {} ({})", d.name, d.id)),
        None => text.push_str("\nNo Support department: pass --department to `deskctl ticket`"),
    }
    match &connection.callbacks {
        Some(d) => text.push_str(&format!("\nCallbacks go to {} ({})", d.name, d.id)),
        None => text.push_str("\nNo Callbacks department: callbacks cannot be booked"),
    }
    for warning in &connection.warnings {
        text.push_str(&format!("\nNote: {warning}"));
    }
    text
}
