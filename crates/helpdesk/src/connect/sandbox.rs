//! "Try without a Zoho account": the built-in `desk-sim` on loopback,
//! playing Zoho Accounts and Desk. The very same wizard runs against it
//! (consent page in the system browser, Approve); the settings are marked
//! sandbox. Its state (tickets, contacts, tokens) is kept in the data dir,
//! so what was made there survives a restart.
//!
//! The simulator lives as long as the app: when the settings say
//! `sandbox`, the app starts it again at launch and calls
//! [`Sandbox::configure`] (its port changes between runs).

use desk_sim::{ConsentMode, RegisteredClient, Sim, SimConfig};

use super::client::ConsentRequest;
use super::error::{ConnectError, Result};
use crate::settings::{DataDir, Settings, SettingsFile};

/// The sandbox's OAuth client id (only the local simulator knows it).
pub const SANDBOX_CLIENT_ID: &str = "1000.DESKCHATSANDBOX0000000000000";
/// Its secret. Not a secret of any real service: the simulator only
/// listens on loopback and holds made-up data.
pub const SANDBOX_CLIENT_SECRET: &str = "5a4db0c7e2f14d0f9b3e8c6a1d2f3e4b5c6d7e8f9a";

/// Options of [`Sandbox::start_with`].
#[derive(Debug, Clone)]
pub struct SandboxOptions {
    /// The redirect port to register (`None`: the one in the settings).
    pub redirect_port: Option<u16>,
    /// What the consent page does (the app: a page with Approve).
    pub consent: ConsentMode,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        Self {
            redirect_port: None,
            consent: ConsentMode::Manual,
        }
    }
}

/// A running sandbox. Stops when dropped (or on [`Sandbox::shutdown`]).
#[derive(Debug, Clone)]
pub struct Sandbox {
    sim: Sim,
}

impl Sandbox {
    /// Starts the simulator with its state in `data_dir`, registers the
    /// sandbox client for the settings' redirect URI.
    pub async fn start(data_dir: &DataDir) -> Result<Self> {
        Self::start_with(data_dir, SandboxOptions::default()).await
    }

    /// [`Sandbox::start`] with options.
    pub async fn start_with(data_dir: &DataDir, options: SandboxOptions) -> Result<Self> {
        data_dir.ensure()?;
        let settings = SettingsFile::new(data_dir).load()?;
        let port = options.redirect_port.unwrap_or(settings.redirect_port);
        let client = RegisteredClient {
            client_id: SANDBOX_CLIENT_ID.to_owned(),
            client_secret: SANDBOX_CLIENT_SECRET.to_owned(),
            redirect_uris: vec![crate::settings::redirect_uri(port)],
        };
        let sim = Sim::start(SimConfig {
            consent: options.consent,
            state_file: Some(data_dir.sandbox_state_file()),
            clients: vec![client.clone()],
            ..SimConfig::default()
        })
        .await
        .map_err(|e| ConnectError::Sandbox(e.to_string()))?;
        // A loaded state file keeps the clients it had; make sure ours is current.
        sim.register_client(client);
        tracing::info!(url = %sim.base_url(), "sandbox started");
        Ok(Self { sim })
    }

    /// The simulator (tests script it).
    pub fn sim(&self) -> &Sim {
        &self.sim
    }

    /// Its accounts server.
    pub fn accounts_url(&self) -> String {
        self.sim.base_url()
    }

    /// Its Desk API base.
    pub fn desk_api_url(&self) -> String {
        self.sim.desk_api_url()
    }

    /// Points `settings` at this sandbox and marks them sandbox. Called at
    /// every start: the simulator's port changes between runs.
    pub fn configure(&self, settings: &SettingsFile) -> Result<Settings> {
        Ok(settings.update(|s| {
            s.sandbox = true;
            s.accounts_url = Some(self.accounts_url());
            s.desk_api_url = Some(self.desk_api_url());
            s.client_id = Some(SANDBOX_CLIENT_ID.to_owned());
        })?)
    }

    /// Leaves the sandbox: the overrides that pointed at it, the sandbox
    /// mark and its organization are removed from the settings (the caller
    /// also calls `Setup::disconnect` to drop the sandbox tokens).
    pub fn leave(settings: &SettingsFile) -> Result<Settings> {
        Ok(settings.update(|s| {
            if s.sandbox {
                s.sandbox = false;
                s.accounts_url = None;
                s.desk_api_url = None;
                s.client_id = None;
                s.clear_organization();
            }
        })?)
    }

    /// The wizard's consent request for the sandbox client.
    pub fn consent_request(&self) -> ConsentRequest {
        ConsentRequest {
            client_id: SANDBOX_CLIENT_ID.to_owned(),
            client_secret: SANDBOX_CLIENT_SECRET.to_owned(),
            data_centre: None,
            redirect_port: None,
        }
    }

    /// Stops the simulator (its state is saved as it goes).
    pub async fn shutdown(self) {
        self.sim.shutdown().await;
    }
}
