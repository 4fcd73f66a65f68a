//! [`Sim`]: a running simulator and the handle tests script it with.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::config::{ConsentMode, RegisteredClient, SimConfig};
use crate::faults::{Fault, lock};
use crate::log::LoggedRequest;
use crate::state::App;

/// A running simulator. Cloning gives another handle to the same server; the
/// server stops on [`Sim::shutdown`] or when the last handle is dropped.
#[derive(Debug, Clone)]
pub struct Sim {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    app: Arc<App>,
    addr: SocketAddr,
    server: Mutex<Option<JoinHandle<()>>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Some(task) = lock(&self.server).take() {
            task.abort();
        }
    }
}

impl Sim {
    /// Starts a simulator on `127.0.0.1` and a free port.
    pub async fn start(config: SimConfig) -> std::io::Result<Sim> {
        Self::start_on(SocketAddr::from(([127, 0, 0, 1], 0)), config).await
    }

    /// Starts a simulator on `addr`, which must be a loopback address: the
    /// admin endpoints are unauthenticated.
    pub async fn start_on(addr: SocketAddr, config: SimConfig) -> std::io::Result<Sim> {
        if !addr.ip().is_loopback() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                format!(
                    "desk-sim only listens on loopback addresses, not {}",
                    addr.ip()
                ),
            ));
        }
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let app = Arc::new(App::new(&config, format!("http://{addr}"))?);
        let router = crate::pipeline::router(app.clone());
        let server = tokio::spawn(crate::server::run(listener, router));
        Ok(Sim {
            inner: Arc::new(Inner {
                app,
                addr,
                server: Mutex::new(Some(server)),
            }),
        })
    }

    fn app(&self) -> &App {
        &self.inner.app
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.inner.addr
    }

    /// `http://127.0.0.1:PORT`: the accounts server (`/oauth/v2/...`) and the Desk host.
    pub fn base_url(&self) -> String {
        self.app().base_url.clone()
    }

    /// `base_url() + "/api/v1"`.
    pub fn desk_api_url(&self) -> String {
        format!("{}/api/v1", self.app().base_url)
    }

    /// Registers (or replaces) an OAuth client.
    pub fn register_client(&self, client: RegisteredClient) {
        self.app().write(|d| d.upsert_client(client));
    }

    /// Queues a fault for the next matching requests.
    pub fn inject(&self, fault: Fault) {
        self.app().faults.inject(fault);
    }

    /// Faults injected and not yet used up.
    pub fn pending_faults(&self) -> Vec<Fault> {
        self.app().faults.pending()
    }

    /// Every access token issued so far becomes expired (`INVALID_OAUTH`).
    pub fn expire_access_tokens(&self) {
        self.app()
            .write(|d| d.access_tokens.iter_mut().for_each(|t| t.expires_ms = 0));
    }

    /// Every grant is revoked: refresh tokens answer `invalid_code`, access tokens `INVALID_OAUTH`.
    pub fn revoke_refresh_tokens(&self) {
        self.app().write(|d| {
            d.grants.clear();
            d.access_tokens.clear();
        });
    }

    pub fn set_consent(&self, mode: ConsentMode) {
        lock(&self.app().settings).consent = mode;
    }

    /// Lifetime of access tokens issued from now on.
    pub fn set_access_token_ttl(&self, ttl: Duration) {
        lock(&self.app().settings).access_token_ttl = ttl;
    }

    /// Test shortcut: a grant as if `client_id` had been consented with
    /// `scopes` (offline), skipping the consent page. Returns (access, refresh).
    /// The refresh token works at the token endpoint only for a registered
    /// client (with its secret); [`crate::DEV_CLIENT_ID`] is registered by default.
    pub fn issue_tokens(&self, client_id: &str, scopes: &[&str]) -> (String, String) {
        let ttl = ms(self.app().settings().access_token_ttl);
        let scopes = scopes.iter().map(|s| (*s).to_owned()).collect();
        let (access, refresh) = self
            .app()
            .write(|d| d.create_grant(client_id, scopes, true, ttl));
        (access, refresh.unwrap_or_default())
    }

    /// A Self Client code for `client_id` with `scopes`, as generated in the
    /// Zoho API console: exchanged at the token endpoint without a redirect
    /// URI (or an empty one) and without PKCE; single-use, valid for `code_ttl`.
    pub fn self_client_code(&self, client_id: &str, scopes: &[&str]) -> String {
        let scopes = scopes.iter().map(|s| (*s).to_owned()).collect();
        crate::accounts::consent::issue_self_client_code(self.app(), client_id, scopes)
    }

    /// The organization id (a decimal string, whatever `org_id_as_number` says).
    pub fn org_id(&self) -> String {
        self.app().read(|d| d.organization.id.clone())
    }

    /// The id of the department named `name`, e.g. "Support" or "Callbacks".
    pub fn department_id(&self, name: &str) -> Option<String> {
        self.app().read(|d| {
            d.departments
                .iter()
                .find(|dep| dep.name == name)
                .map(|dep| dep.id.clone())
        })
    }

    /// Every request received so far (admin calls under `/_sim` excluded).
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.app().log.all()
    }

    pub fn clear_requests(&self) {
        self.app().log.clear();
    }

    /// Every ticket held, as full ticket objects.
    pub fn tickets(&self) -> Vec<serde_json::Value> {
        self.app()
            .read(|d| d.tickets.iter().map(|t| t.to_json()).collect())
    }

    /// Every contact held.
    pub fn contacts(&self) -> Vec<serde_json::Value> {
        self.app()
            .read(|d| d.contacts.iter().map(|c| c.to_json()).collect())
    }

    /// The comments on one ticket, oldest first.
    pub fn comments(&self, ticket_id: &str) -> Vec<serde_json::Value> {
        self.app().read(|d| {
            d.comments
                .iter()
                .filter(|c| c.ticket_id == ticket_id)
                .map(|c| c.comment.clone())
                .collect()
        })
    }

    /// The attachments of one ticket (metadata; the bytes are not kept).
    pub fn attachments(&self, ticket_id: &str) -> Vec<serde_json::Value> {
        self.app().read(|d| {
            d.attachments
                .iter()
                .filter(|a| a.ticket_id == ticket_id)
                .map(|a| a.attachment.clone())
                .collect()
        })
    }

    /// Successful `refresh_token` grants so far.
    pub fn refresh_count(&self) -> usize {
        self.app().refresh_count.load(Ordering::SeqCst)
    }

    /// Stops the server (for every handle) and waits until it no longer accepts.
    pub async fn shutdown(self) {
        let task = lock(&self.inner.server).take();
        if let Some(task) = task {
            task.abort();
            let _ = task.await;
        }
    }
}

pub(crate) fn ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
