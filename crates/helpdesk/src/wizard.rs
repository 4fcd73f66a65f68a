//! The setup wizard's state across its steps, for the app: which secret
//! store is in use (or the question to ask), the consent in progress, the
//! sandbox, the last connection's departments, and the test ticket.
//!
//! What it is for: the app keeps one [`Wizard`] and each IPC command is one
//! call on it. What it is not: the OAuth flow itself ([`crate::connect`]),
//! Desk requests ([`zoho_desk`]), or anything of Tauri.

use std::sync::{Arc, Mutex};

use chrono::{Duration as ChronoDuration, Utc};
use serde::Serialize;
use zoho_desk::{DataCentre, DepartmentId, Priority};

use crate::compose::{ClientRef, ComposeConfig, ItemKind, ManualTicket, compose_manual};
use crate::connect::{
    BrowserOpener, ConnectError, Connection, ConnectionStatus, ConsentRequest, DepartmentChoice,
    DisconnectReport, PendingConsent, ReceiverHandle, Result, Sandbox, SandboxOptions, Setup,
    SetupOutcome, Startup, start_from_env, start_with_file_store,
};
use crate::outbox::{Deliverer, Outbox};
use crate::secrets::{ActiveStore, SecretStoreError};
use crate::settings::{DataDir, Settings};

/// File name of the outbox database inside the data dir: the one file the
/// chat, the wizard's test tickets and `deskctl` share.
pub use crate::settings::OUTBOX_FILE_NAME;

/// One data centre as the wizard lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataCentreInfo {
    /// `us`, `eu`, ...
    pub location: String,
    /// "United States", ...
    pub name: String,
    /// `accounts.zoho.com`, ...
    pub accounts_host: String,
    /// `https://desk.zoho.com/api/v1`, ...
    pub desk_api_base: String,
}

/// Where secrets are kept, as the wizard shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum SecretStoreStatus {
    /// The OS keychain.
    Keychain,
    /// The user-only file (show the banner).
    File,
    /// Memory only (nothing survives a restart).
    Memory,
    /// No keychain works: ask before using the file.
    NeedsConsent {
        /// Why the keychain could not be used.
        reason: String,
    },
}

/// Everything the wizard shows, without any secret.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WizardOverview {
    /// The data centres, with their hosts.
    pub data_centres: Vec<DataCentreInfo>,
    /// The saved non-secret settings (`None` while the store question is open).
    pub settings: Option<Settings>,
    /// The connection (`None` while the store question is open).
    pub status: Option<ConnectionStatus>,
    /// The secret store.
    pub secret_store: SecretStoreStatus,
    /// The consent page's address while a consent waits ("Copy link").
    pub pending_consent_url: Option<String>,
    /// The departments of the connected organization, when listed in this run.
    pub departments: Vec<DepartmentChoice>,
    /// `ZOHO_ACCOUNTS_URL` / `DESK_API_URL` are set.
    pub overridden: bool,
}

/// The test ticket (or callback) made from the wizard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestSent {
    /// Ticket or callback.
    pub kind: ItemKind,
    /// The ticket number Desk gave, when delivered.
    pub ticket_number: Option<String>,
    /// The link to the ticket in Desk, when known.
    pub web_url: Option<String>,
    /// Delivered now (else queued, or refused: see `error`).
    pub delivered: bool,
    /// Why it is not delivered.
    pub error: Option<String>,
}

enum Core {
    Ready { setup: Setup, store: ActiveStore },
    NeedsConsent { data_dir: DataDir, reason: String },
    Broken(String),
}

struct Inner {
    core: Mutex<Core>,
    pending: Mutex<Option<PendingConsent>>,
    waiting: Mutex<Option<(ReceiverHandle, String)>>,
    sandbox: tokio::sync::Mutex<Option<Sandbox>>,
    departments: Mutex<Vec<DepartmentChoice>>,
    browser: Arc<dyn BrowserOpener>,
    /// Bumped after every change of the settings or the sign-in, so that
    /// whoever follows the setup (the chat, the delivery loop) is told
    /// instead of polling.
    changes: tokio::sync::watch::Sender<u64>,
    /// The app's outbox handle, once the delivery loop has opened it: the
    /// test ticket goes through it, since a second handle in this process
    /// would not get the delivery lock the loop holds.
    outbox: Mutex<Option<Outbox>>,
}

/// The wizard's state. Cheap to clone.
#[derive(Clone)]
pub struct Wizard {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Wizard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Wizard")
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn needs_consent_error(reason: &str) -> ConnectError {
    ConnectError::KeychainUnavailable(SecretStoreError::KeychainUnavailable {
        reason: reason.to_owned(),
    })
}

impl Wizard {
    /// Reads the environment (`DESK_CHAT_DATA_DIR`, `DESK_CHAT_SECRET_STORE`,
    /// `ZOHO_ACCOUNTS_URL`, `DESK_API_URL`), selects the secret store, and
    /// starts the sandbox again when the settings say so. Never fails: what
    /// went wrong is reported by the commands.
    pub async fn open(browser: Arc<dyn BrowserOpener>) -> Self {
        let core = match start_from_env() {
            Ok(Startup::Ready { setup, secrets, .. }) => Core::Ready {
                setup,
                store: secrets,
            },
            Ok(Startup::NeedsSecretStoreConsent {
                data_dir,
                keychain_error,
            }) => Core::NeedsConsent {
                data_dir,
                reason: keychain_error.to_string(),
            },
            Err(error) => {
                tracing::error!(%error, "setup could not start");
                Core::Broken(error.to_string())
            }
        };
        let wizard = Self {
            inner: Arc::new(Inner {
                core: Mutex::new(core),
                pending: Mutex::new(None),
                waiting: Mutex::new(None),
                sandbox: tokio::sync::Mutex::new(None),
                departments: Mutex::new(Vec::new()),
                browser,
                changes: tokio::sync::watch::channel(0).0,
                outbox: Mutex::new(None),
            }),
        };
        if let Ok(setup) = wizard.setup()
            && setup.settings().is_ok_and(|s| s.sandbox)
            && let Err(error) = wizard.restart_sandbox(&setup).await
        {
            tracing::warn!(%error, "the sandbox could not be started again");
        }
        wizard
    }

    /// A wizard over a given setup and store (tests, the CLI).
    pub fn with_setup(setup: Setup, store: ActiveStore, browser: Arc<dyn BrowserOpener>) -> Self {
        Self {
            inner: Arc::new(Inner {
                core: Mutex::new(Core::Ready { setup, store }),
                pending: Mutex::new(None),
                waiting: Mutex::new(None),
                sandbox: tokio::sync::Mutex::new(None),
                departments: Mutex::new(Vec::new()),
                browser,
                changes: tokio::sync::watch::channel(0).0,
                outbox: Mutex::new(None),
            }),
        }
    }

    /// Sends the test tickets through `outbox` (the app's one handle, which
    /// holds the delivery lock) from now on.
    pub(crate) fn use_outbox(&self, outbox: Outbox) {
        *lock(&self.inner.outbox) = Some(outbox);
    }

    async fn restart_sandbox(&self, setup: &Setup) -> Result<()> {
        let data_dir = DataDir::new(
            setup
                .settings_file()
                .path()
                .parent()
                .map(std::path::Path::to_path_buf)
                .unwrap_or_default(),
        );
        let sandbox = Sandbox::start(&data_dir).await?;
        sandbox.configure(setup.settings_file())?;
        *self.inner.sandbox.lock().await = Some(sandbox);
        Ok(())
    }

    /// Changes of the settings or the sign-in: the value is bumped after
    /// each connect, reconnect, disconnect, department choice, store
    /// choice or sandbox start (whether it succeeded or not).
    pub fn changes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.inner.changes.subscribe()
    }

    /// Tells the followers that the setup may have changed.
    pub fn notify_changed(&self) {
        self.inner.changes.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// The setup core, or why there is none yet.
    pub fn setup(&self) -> Result<Setup> {
        match &*lock(&self.inner.core) {
            Core::Ready { setup, .. } => Ok(setup.clone()),
            Core::NeedsConsent { reason, .. } => Err(needs_consent_error(reason)),
            Core::Broken(message) => Err(ConnectError::Sandbox(message.clone())),
        }
    }

    /// Everything the wizard shows.
    pub fn overview(&self) -> Result<WizardOverview> {
        let data_centres = DataCentre::ALL
            .iter()
            .map(|dc| DataCentreInfo {
                location: dc.location.to_owned(),
                name: dc.name.to_owned(),
                accounts_host: dc.accounts_host.to_owned(),
                desk_api_base: dc.desk_api_base.to_owned(),
            })
            .collect();
        let (setup, secret_store) = match &*lock(&self.inner.core) {
            Core::Ready { setup, store } => (
                Some(setup.clone()),
                match store.kind() {
                    crate::secrets::StoreKind::Keychain => SecretStoreStatus::Keychain,
                    crate::secrets::StoreKind::File => SecretStoreStatus::File,
                    crate::secrets::StoreKind::Memory => SecretStoreStatus::Memory,
                },
            ),
            Core::NeedsConsent { reason, .. } => (
                None,
                SecretStoreStatus::NeedsConsent {
                    reason: reason.clone(),
                },
            ),
            Core::Broken(message) => return Err(ConnectError::Sandbox(message.clone())),
        };
        let (settings, status, overridden) = match &setup {
            Some(setup) => {
                let settings = setup.settings()?;
                let overridden = !crate::settings::EnvOverrides::from_env()
                    .map(|o| o.is_empty())
                    .unwrap_or(true);
                (Some(settings), Some(setup.status()?), overridden)
            }
            None => (None, None, false),
        };
        Ok(WizardOverview {
            data_centres,
            settings,
            status,
            secret_store,
            pending_consent_url: lock(&self.inner.waiting).as_ref().map(|(_, u)| u.clone()),
            departments: lock(&self.inner.departments).clone(),
            overridden,
        })
    }

    /// The status area's state (`None`: not set up yet because the store question is open).
    pub fn status(&self) -> Result<Option<ConnectionStatus>> {
        match self.setup() {
            Ok(setup) => setup.status().map(Some),
            Err(ConnectError::KeychainUnavailable(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The user agreed to keep secrets in a file only they can read.
    pub fn accept_file_store(&self) -> Result<()> {
        let mut core = lock(&self.inner.core);
        if let Core::NeedsConsent { data_dir, .. } = &*core {
            let (setup, store) = start_with_file_store(data_dir)?;
            *core = Core::Ready { setup, store };
        }
        drop(core);
        self.notify_changed();
        Ok(())
    }

    /// Binds the loopback listener, opens the consent page in the system
    /// browser; returns the consent page's address ("Copy link") and, when
    /// the browser did not open, why.
    pub async fn start_consent(
        &self,
        request: &ConsentRequest,
    ) -> Result<(String, Option<String>)> {
        let setup = self.setup()?;
        self.cancel_consent();
        let pending = setup
            .start_consent(request, self.inner.browser.as_ref())
            .await?;
        let url = pending.consent_url().to_string();
        let browser_error = pending.browser_error().map(ToString::to_string);
        *lock(&self.inner.waiting) = Some((pending.handle(), url.clone()));
        *lock(&self.inner.pending) = Some(pending);
        Ok((url, browser_error))
    }

    /// Waits for the consent started last: connected, or failed.
    pub async fn finish_consent(&self) -> Result<SetupOutcome> {
        let pending = lock(&self.inner.pending)
            .take()
            .ok_or(ConnectError::Cancelled)?;
        let outcome = pending.finish().await;
        *lock(&self.inner.waiting) = None;
        self.remember(outcome)
    }

    fn remember(&self, outcome: Result<SetupOutcome>) -> Result<SetupOutcome> {
        if let Ok(SetupOutcome::Connected(connection)) = &outcome {
            *lock(&self.inner.departments) = connection.departments.clone();
        }
        self.notify_changed();
        outcome
    }

    /// Cancel: the listener closes; a waiting `finish_consent` ends with `Cancelled`.
    pub fn cancel_consent(&self) {
        if let Some((handle, _)) = lock(&self.inner.waiting).take() {
            handle.cancel();
        }
        if let Some(pending) = lock(&self.inner.pending).take() {
            pending.cancel();
        }
    }

    /// "Paste the address you were sent to".
    pub fn paste_redirect(&self, address: &str) -> Result<()> {
        match &*lock(&self.inner.waiting) {
            Some((handle, _)) => {
                handle.paste(address);
                Ok(())
            }
            None => Err(ConnectError::Cancelled),
        }
    }

    /// A Self Client code from the API console.
    pub async fn self_client_code(
        &self,
        request: &ConsentRequest,
        code: &str,
    ) -> Result<SetupOutcome> {
        let outcome = self.setup()?.exchange_self_client_code(request, code).await;
        self.remember(outcome)
    }

    /// A `.env` in the original guide's format.
    pub async fn import_env(&self, contents: &str) -> Result<SetupOutcome> {
        let outcome = self.setup()?.import_env(contents).await;
        self.remember(outcome)
    }

    /// Several organizations: this one.
    pub async fn choose_organization(&self, org_id: &str) -> Result<Connection> {
        let connection = self.setup()?.choose_organization(org_id).await;
        self.notify_changed();
        let connection = connection?;
        *lock(&self.inner.departments) = connection.departments.clone();
        Ok(connection)
    }

    /// The admin picked the departments (by id, from the listed ones).
    pub async fn choose_departments(
        &self,
        support_id: &str,
        callbacks_id: Option<&str>,
    ) -> Result<Settings> {
        let setup = self.setup()?;
        let mut known = lock(&self.inner.departments).clone();
        if known.is_empty() {
            let desk = setup.desk_client()?;
            known = DepartmentChoice::from_departments(&desk.departments().list_all(None).await?);
            *lock(&self.inner.departments) = known.clone();
        }
        let find = |id: &str| {
            known
                .iter()
                .find(|d| d.id == id)
                .cloned()
                .ok_or_else(|| ConnectError::UnknownDepartment(id.to_owned()))
        };
        let support = find(support_id)?;
        let callbacks = callbacks_id.map(find).transpose()?;
        let saved = setup.choose_departments(&support, callbacks.as_ref());
        self.notify_changed();
        saved
    }

    /// Revokes at Zoho and wipes local secrets; leaves the sandbox.
    pub async fn disconnect(&self) -> Result<DisconnectReport> {
        self.cancel_consent();
        let setup = self.setup()?;
        let report = setup.disconnect().await;
        self.notify_changed();
        let report = report?;
        Sandbox::leave(setup.settings_file())?;
        if let Some(sandbox) = self.inner.sandbox.lock().await.take() {
            sandbox.shutdown().await;
        }
        lock(&self.inner.departments).clear();
        self.notify_changed();
        Ok(report)
    }

    /// "Try without a Zoho account": starts the built-in simulator (state
    /// kept in the data dir), points the settings at it, and starts the very
    /// same consent (the page opens in the system browser).
    pub async fn start_sandbox(&self) -> Result<(String, Option<String>)> {
        let setup = self.setup()?;
        let data_dir = DataDir::new(
            setup
                .settings_file()
                .path()
                .parent()
                .map(std::path::Path::to_path_buf)
                .unwrap_or_default(),
        );
        // A free port of our own: the sandbox's client is registered for
        // it, so port 8000 being busy does not matter here.
        let port = std::net::TcpListener::bind(("127.0.0.1", 0))
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .map_err(|source| ConnectError::Listen { port: 0, source })?;
        let request = {
            let mut guard = self.inner.sandbox.lock().await;
            if let Some(old) = guard.take() {
                old.shutdown().await;
            }
            let sandbox = Sandbox::start_with(
                &data_dir,
                SandboxOptions {
                    redirect_port: Some(port),
                    ..SandboxOptions::default()
                },
            )
            .await?;
            sandbox.configure(setup.settings_file())?;
            self.notify_changed();
            let mut request = sandbox.consent_request();
            request.redirect_port = Some(port);
            *guard = Some(sandbox);
            request
        };
        self.start_consent(&request).await
    }

    /// Sends a test ticket (or callback) through compose and the outbox,
    /// as the chat would; waits for this one delivery.
    pub async fn send_test(&self, kind: ItemKind) -> Result<TestSent> {
        let setup = self.setup()?;
        let settings = setup.settings()?;
        // A sign-in Zoho no longer accepts is said now (and remembered, so
        // the status area says "Reconnect needed"), not hidden in a queued item.
        if settings.org_id.is_some()
            && let Err(error) = setup.token_manager()?.access_token().await
        {
            let error = ConnectError::from(error);
            if error.needs_reconnect() {
                setup.record_reconnect_needed()?;
                self.notify_changed();
            }
            return Err(error);
        }
        let desk = setup.desk_client()?;
        let support = settings
            .support_department_id
            .clone()
            .ok_or(ConnectError::NoDepartment)?;
        let department = match kind {
            ItemKind::Ticket => support.clone(),
            ItemKind::Callback => settings
                .callbacks_department_id
                .clone()
                .ok_or(ConnectError::NoDepartment)?,
        };
        let config = ComposeConfig::new(
            DepartmentId::new(support),
            DepartmentId::new(
                settings
                    .callbacks_department_id
                    .clone()
                    .unwrap_or_else(|| department.clone()),
            ),
        );
        let ticket = test_ticket(kind, DepartmentId::new(department));
        let composed = compose_manual(&ticket, &config, ClientRef::generate());
        let data_dir = setup
            .settings_file()
            .path()
            .parent()
            .map(std::path::Path::to_path_buf)
            .unwrap_or_default();
        let shared = lock(&self.inner.outbox).clone();
        let outbox = match shared {
            Some(outbox) => outbox,
            None => Outbox::open(data_dir.join(OUTBOX_FILE_NAME))
                .map_err(|e| ConnectError::Outbox(e.to_string()))?,
        };
        let item = outbox
            .enqueue(&composed)
            .map_err(|e| ConnectError::Outbox(e.to_string()))?;
        let deliverer = Deliverer::new(outbox.clone(), desk);
        deliverer
            .deliver_now(item.id)
            .await
            .map_err(|e| ConnectError::Outbox(e.to_string()))?;
        let stored = outbox
            .get(item.id)
            .map_err(|e| ConnectError::Outbox(e.to_string()))?;
        Ok(TestSent {
            kind,
            delivered: stored.ticket_number.is_some(),
            ticket_number: stored.ticket_number,
            web_url: stored.web_url,
            error: stored.last_error,
        })
    }
}

/// What the original guide's `/test/desk-ticket` and `/test/desk-callback` sent.
fn test_ticket(kind: ItemKind, department: DepartmentId) -> ManualTicket {
    let (subject, description, due_date) = match kind {
        ItemKind::Ticket => (
            "Desk Chat test ticket",
            "A test ticket sent from the Desk Chat setup wizard. You can close it.",
            None,
        ),
        ItemKind::Callback => (
            "Desk Chat test callback",
            "A test callback sent from the Desk Chat setup wizard. Nobody needs to call.",
            Some(Utc::now() + ChronoDuration::hours(24)),
        ),
    };
    ManualTicket {
        kind,
        subject: subject.to_owned(),
        description: description.to_owned(),
        department,
        priority: Priority::Low,
        status: "Open".to_owned(),
        channel: "Web".to_owned(),
        due_date,
        first_name: "Desk Chat".to_owned(),
        last_name: "Setup test".to_owned(),
        email: Some("setup-test@example.com".to_owned()),
        phone: None,
    }
}

/// The Zoho API console of a data centre (`https://api-console.zoho.eu/`):
/// where the admin creates the client. Built from the table only, so the
/// browser is never sent anywhere else.
pub fn api_console_url(location: Option<&str>) -> url::Url {
    let dc = location
        .and_then(DataCentre::by_location)
        .unwrap_or(&DataCentre::ALL[0]);
    let host = dc.accounts_host.replacen("accounts.", "api-console.", 1);
    url::Url::parse(&format!("https://{host}/")).unwrap_or_else(|_| {
        url::Url::parse("https://api-console.zoho.com/").expect("a valid constant URL")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_console_follows_the_data_centre() {
        assert_eq!(
            api_console_url(Some("eu")).as_str(),
            "https://api-console.zoho.eu/"
        );
        assert_eq!(
            api_console_url(None).as_str(),
            "https://api-console.zoho.com/"
        );
        assert_eq!(
            api_console_url(Some("nowhere")).as_str(),
            "https://api-console.zoho.com/"
        );
    }

    #[test]
    fn test_tickets_are_labelled_as_tests() {
        let t = test_ticket(ItemKind::Callback, DepartmentId::new("1"));
        assert!(t.subject.contains("test"));
        assert!(t.due_date.is_some());
        assert!(
            test_ticket(ItemKind::Ticket, DepartmentId::new("1"))
                .due_date
                .is_none()
        );
    }
}
