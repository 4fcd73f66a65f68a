//! How a simulator is set up: timings, limits, switches for the variants the
//! contract lists, and the OAuth clients it knows.

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Client id of the development client that [`SimConfig::default`] registers
/// (and the binary, when no client is given on its command line).
pub const DEV_CLIENT_ID: &str = "1000.DESKSIMDEVCLIENT0000000000000";
/// Client secret of the development client.
pub const DEV_CLIENT_SECRET: &str = "0d5e1c3a9f8b7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c";
/// Redirect URI of the development client (the seed guide's loopback callback).
pub const DEV_REDIRECT_URI: &str = "http://localhost:8000/callback";

/// Everything a [`crate::Sim`] is started with.
///
/// Build it with struct update syntax: `SimConfig { consent: ConsentMode::AutoApprove, ..SimConfig::default() }`.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Lifetime of access tokens (Zoho: one hour). `expires_in` reports it in whole seconds.
    pub access_token_ttl: Duration,
    /// Lifetime of authorization codes (Zoho: about two minutes).
    pub code_ttl: Duration,
    /// What `GET /oauth/v2/auth` does: show a page, or answer at once.
    pub consent: ConsentMode,
    /// Desk calls allowed in flight at once; one more gets 429 `TOO_MANY_REQUESTS`.
    /// `None`: unlimited. Zoho's editions allow 5 to 25.
    pub concurrency_limit: Option<usize>,
    /// `Retry-After` seconds sent with the concurrency 429 (`None`: no header).
    pub retry_after_on_concurrency: Option<u64>,
    /// Access tokens one refresh token may mint per 10-minute window (Zoho: 10).
    pub refresh_limit_per_10_min: u32,
    /// API credits per day (UTC); when used up, 429 `THRESHOLD_EXCEEDED`.
    pub daily_credits: u64,
    /// Largest attachment accepted; larger gets 413 `RESOURCE_SIZE_EXCEEDED`.
    pub attachment_max_bytes: usize,
    /// Seed the "Callbacks" department next to "Support" (only when no state file is loaded).
    pub seed_callbacks_department: bool,
    /// Send the organization `id` as a JSON number instead of a string (both occur).
    pub org_id_as_number: bool,
    /// The data-centre `location` put in the consent redirect ("us").
    pub location: String,
    /// Where to keep the state across restarts (`None`: memory only).
    pub state_file: Option<PathBuf>,
    /// OAuth clients known from the start.
    pub clients: Vec<RegisteredClient>,
    /// HTTP status of `SCOPE_MISMATCH` (the contract says 401 or 403). Default 403.
    pub scope_mismatch_status: u16,
    /// How long a new contact stays invisible to `GET /contacts/search`
    /// ("newly created contacts take a while to become searchable"). Default zero.
    pub contact_search_delay: Duration,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            access_token_ttl: Duration::from_secs(3600),
            code_ttl: Duration::from_secs(120),
            consent: ConsentMode::Manual,
            concurrency_limit: None,
            retry_after_on_concurrency: None,
            refresh_limit_per_10_min: 10,
            daily_credits: 50_000,
            attachment_max_bytes: 20 * 1024 * 1024,
            seed_callbacks_department: true,
            org_id_as_number: false,
            location: "us".to_owned(),
            state_file: None,
            clients: vec![RegisteredClient::dev()],
            scope_mismatch_status: 403,
            contact_search_delay: Duration::ZERO,
        }
    }
}

/// An OAuth client as registered in the Zoho API Console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisteredClient {
    pub client_id: String,
    pub client_secret: String,
    /// Matched exactly (scheme, host, port, path, query).
    pub redirect_uris: Vec<String>,
}

impl RegisteredClient {
    /// The development client ([`DEV_CLIENT_ID`], [`DEV_CLIENT_SECRET`], [`DEV_REDIRECT_URI`]).
    pub fn dev() -> Self {
        Self {
            client_id: DEV_CLIENT_ID.to_owned(),
            client_secret: DEV_CLIENT_SECRET.to_owned(),
            redirect_uris: vec![DEV_REDIRECT_URI.to_owned()],
        }
    }
}

/// What the consent endpoint does with a valid authorization request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConsentMode {
    /// Show a page with Approve and Deny buttons, as Zoho does.
    Manual,
    /// Redirect at once with a code, as if the user had approved.
    AutoApprove,
    /// Redirect at once with `error=access_denied`.
    AutoDeny,
    /// Redirect at once with `error=no_org` (the user has no Desk account).
    NoOrg,
}

impl ConsentMode {
    /// Parses the command-line and admin spelling: `manual`, `auto-approve`, `auto-deny`, `no-org`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "manual" => Some(Self::Manual),
            "auto-approve" => Some(Self::AutoApprove),
            "auto-deny" => Some(Self::AutoDeny),
            "no-org" => Some(Self::NoOrg),
            _ => None,
        }
    }
}
