//! The setup flow: consent in the system browser (or a Self Client code, or
//! a `.env` import), code exchange, then organization and departments, then
//! settings and secrets saved. Also status and disconnect.

use std::sync::Arc;
use std::time::{Duration, Instant};

use url::Url;
use zoho_desk::{
    AccountsClient, AuthCode, AuthorizationRequest, CallbackTrust, ClientCredentials, ClientId,
    ClientSecret, DeskClient, HttpClient, HttpConfig, OrgId, RefreshToken, TokenGrant,
    TokenManager, authorize_url, parse_callback,
};

use super::browser::{BrowserOpener, check_consent_url};
use super::client::{
    CALLBACKS_DEPARTMENT, ConsentRequest, SUPPORT_DEPARTMENT, scope_list, validate_client,
};
use super::discover::{DepartmentChoice, OrgChoice, OrgPick, pick_department, pick_organization};
use super::error::{ConnectError, Result};
use super::loopback::{
    DEFAULT_CALLBACK_TIMEOUT, LoopbackReceiver, ReceivedCallback, ReceiverHandle,
};
use super::outcome::{
    Connection, ConnectionStatus, DisconnectReport, RevokeOutcome, SetupOutcome, SetupWarning,
};
use super::throttle::{ConsentThrottle, ThrottleConfig};
use crate::secrets::{SecretName, SecretStore, SecretTokenStore, SecretValue, StoreKind};
use crate::settings::{EnvOverrides, Settings, SettingsFile};

/// Options of a [`Setup`].
#[derive(Debug, Clone)]
pub struct SetupConfig {
    /// `ZOHO_ACCOUNTS_URL` / `DESK_API_URL` (not saved: they come from the environment each run).
    pub overrides: EnvOverrides,
    /// Limits on starting consent.
    pub throttle: ThrottleConfig,
    /// How long the loopback receiver waits.
    pub callback_timeout: Duration,
    /// The HTTP client (`None`: a default one).
    pub http: Option<HttpClient>,
}

impl Default for SetupConfig {
    fn default() -> Self {
        Self {
            overrides: EnvOverrides::default(),
            throttle: ThrottleConfig::default(),
            callback_timeout: DEFAULT_CALLBACK_TIMEOUT,
            http: None,
        }
    }
}

struct Inner {
    settings: SettingsFile,
    secrets: Arc<dyn SecretStore>,
    http: HttpClient,
    overrides: EnvOverrides,
    throttle: ConsentThrottle,
    callback_timeout: Duration,
}

/// The setup core the wizard and the CLI drive. Cheap to clone.
#[derive(Clone)]
pub struct Setup {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Setup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Setup")
            .field("settings", &self.inner.settings)
            .field("secrets", &self.inner.secrets)
            .field("overrides", &self.inner.overrides)
            .finish_non_exhaustive()
    }
}

impl Setup {
    /// A setup over this settings file and secret store.
    pub fn new(
        settings: SettingsFile,
        secrets: Arc<dyn SecretStore>,
        config: SetupConfig,
    ) -> Result<Self> {
        let http = match config.http {
            Some(http) => http,
            None => HttpClient::new(HttpConfig::default())?,
        };
        Ok(Self {
            inner: Arc::new(Inner {
                settings,
                secrets,
                http,
                overrides: config.overrides,
                throttle: ConsentThrottle::new(config.throttle),
                callback_timeout: config.callback_timeout,
            }),
        })
    }

    /// The settings as saved, with the environment's overrides applied.
    pub fn settings(&self) -> Result<Settings> {
        let mut settings = self.inner.settings.load()?;
        self.inner.overrides.apply(&mut settings);
        Ok(settings)
    }

    /// The settings file.
    pub fn settings_file(&self) -> &SettingsFile {
        &self.inner.settings
    }

    /// The secret store.
    pub fn secrets(&self) -> &Arc<dyn SecretStore> {
        &self.inner.secrets
    }

    /// The HTTP client.
    pub fn http(&self) -> &HttpClient {
        &self.inner.http
    }

    /// Saves settings, keeping the environment's overrides out of the file.
    fn save_settings(&self, mut settings: Settings) -> Result<Settings> {
        let saved = self.inner.settings.load()?;
        if self.inner.overrides.accounts_url.is_some() {
            settings.accounts_url = saved.accounts_url;
        }
        if self.inner.overrides.desk_api_url.is_some() {
            settings.desk_api_url = saved.desk_api_url;
        }
        self.inner.settings.save(&settings)?;
        self.settings()
    }

    fn trust(&self, settings: &Settings) -> Result<CallbackTrust> {
        let endpoints = settings.endpoints()?;
        Ok(if endpoints.accounts_overridden {
            CallbackTrust::with_override(endpoints.accounts)
        } else {
            CallbackTrust::zoho_only()
        })
    }

    /// Binds the loopback listener, builds the consent URL, checks its host
    /// and opens it in the browser. A browser that does not open is not
    /// fatal: the pending consent says so and offers the link to copy.
    ///
    /// # Errors
    /// Bad client id or secret, [`ConnectError::TooManyAttempts`],
    /// [`ConnectError::PortInUse`], [`ConnectError::UntrustedConsentHost`].
    pub async fn start_consent(
        &self,
        request: &ConsentRequest,
        browser: &dyn BrowserOpener,
    ) -> Result<PendingConsent> {
        let credentials = validate_client(&request.client_id, &request.client_secret)?;
        self.inner.throttle.check(Instant::now())?;
        let mut settings = self.settings()?;
        let chosen_dc = match &request.data_centre {
            Some(location) => {
                settings.set_data_centre(location)?;
                settings.data_centre.clone()
            }
            None => settings.data_centre.clone(),
        };
        if let Some(port) = request.redirect_port {
            settings.redirect_port = port;
        }
        // Listen first: the browser may come back faster than we could bind.
        let receiver = LoopbackReceiver::bind_with_timeout(
            settings.redirect_port,
            self.inner.callback_timeout,
        )
        .await?;
        let endpoints = settings.endpoints()?;
        let authorization = authorize_url(
            &endpoints.accounts,
            &credentials.client_id,
            &receiver.redirect_uri(),
            &scope_list(),
        )?;
        let overridden = endpoints.accounts_overridden.then_some(&endpoints.accounts);
        check_consent_url(&authorization.url, overridden)?;
        self.inner.throttle.record(Instant::now());
        let browser_error = browser
            .open(&authorization.url)
            .err()
            .map(|reason| ConnectError::BrowserDidNotOpen { reason });
        if let Some(error) = &browser_error {
            tracing::warn!(%error, "the consent page was not opened");
        }
        Ok(PendingConsent {
            setup: self.clone(),
            trust: self.trust(&settings)?,
            handle: receiver.handle(),
            receiver,
            authorization,
            credentials,
            settings,
            chosen_dc,
            browser_error,
        })
    }

    /// [`start_consent`](Self::start_consent) then
    /// [`PendingConsent::finish`], for callers without a waiting screen (the
    /// CLI). A browser that did not open is an error here.
    pub async fn connect(
        &self,
        request: &ConsentRequest,
        browser: &dyn BrowserOpener,
    ) -> Result<SetupOutcome> {
        let mut pending = self.start_consent(request, browser).await?;
        if let Some(error) = pending.browser_error.take() {
            pending.cancel();
            return Err(error);
        }
        pending.finish().await
    }

    /// Exchanges a Self Client code generated in the Zoho API console (no
    /// browser, no redirect). The code is valid a few minutes.
    pub async fn exchange_self_client_code(
        &self,
        request: &ConsentRequest,
        code: &str,
    ) -> Result<SetupOutcome> {
        let credentials = validate_client(&request.client_id, &request.client_secret)?;
        let code = code.trim();
        if code.is_empty() {
            return Err(ConnectError::InvalidCode);
        }
        self.inner.throttle.try_start(Instant::now())?;
        let mut settings = self.settings()?;
        if let Some(location) = &request.data_centre {
            settings.set_data_centre(location)?;
        }
        settings.data_centre_detected = false;
        let endpoints = settings.endpoints()?;
        let accounts = AccountsClient::new(self.inner.http.clone(), endpoints.accounts);
        // A Self Client code is bound to no redirect URI.
        let grant = accounts
            .exchange_code(&credentials, &AuthCode::new(code), "", None)
            .await?;
        self.finish_with_grant(settings, credentials, accounts, grant, Vec::new())
            .await
    }

    /// Saves secrets and tokens, then finds organization and departments.
    async fn finish_with_grant(
        &self,
        mut settings: Settings,
        credentials: ClientCredentials,
        accounts: AccountsClient,
        grant: TokenGrant,
        warnings: Vec<SetupWarning>,
    ) -> Result<SetupOutcome> {
        let secrets = &self.inner.secrets;
        // A reconnect replaces a refresh token that would otherwise stay
        // valid at Zoho, counting against its 20 per user: remember it to
        // revoke once the new one is safely stored.
        let previous = secrets.get(SecretName::RefreshToken).ok().flatten();
        let previous_accounts = self
            .inner
            .settings
            .load()
            .ok()
            .and_then(|mut saved| {
                self.inner.overrides.apply(&mut saved);
                saved.endpoints().ok()
            })
            .map(|e| e.accounts);
        secrets.set(
            SecretName::ClientSecret,
            &SecretValue::new(credentials.client_secret.expose()),
        )?;
        let tokens = Arc::new(TokenManager::new(
            accounts,
            credentials.clone(),
            Arc::new(SecretTokenStore::new(secrets.clone())),
        )?);
        tokens.install(&grant)?;
        if let (Some(old), Some(base)) = (previous, previous_accounts)
            && grant
                .refresh_token
                .as_ref()
                .is_none_or(|new| new.expose() != old.expose())
        {
            let old_accounts = AccountsClient::new(self.inner.http.clone(), base);
            if let Err(error) = old_accounts.revoke(&RefreshToken::new(old.expose())).await {
                tracing::warn!(%error, "could not revoke the replaced refresh token");
            }
        }
        settings.client_id = Some(credentials.client_id.as_str().to_owned());
        settings.clear_organization();
        let settings = self.save_settings(settings)?;
        self.discover(settings, tokens, None, warnings).await
    }

    fn token_manager_for(&self, settings: &Settings) -> Result<Arc<TokenManager>> {
        let endpoints = settings.endpoints()?;
        let secret = self
            .inner
            .secrets
            .get(SecretName::ClientSecret)?
            .map(|v| ClientSecret::new(v.expose()))
            .unwrap_or_else(|| ClientSecret::new(""));
        let credentials = ClientCredentials::new(
            ClientId::new(settings.client_id.clone().unwrap_or_default()),
            secret,
        );
        let accounts = AccountsClient::new(self.inner.http.clone(), endpoints.accounts);
        Ok(Arc::new(TokenManager::new(
            accounts,
            credentials,
            Arc::new(SecretTokenStore::new(self.inner.secrets.clone())),
        )?))
    }

    /// A token manager over the saved tokens.
    pub fn token_manager(&self) -> Result<Arc<TokenManager>> {
        self.token_manager_for(&self.settings()?)
    }

    /// A Desk client for the saved connection (organization selected).
    pub fn desk_client(&self) -> Result<DeskClient> {
        let settings = self.settings()?;
        let org = settings.org_id.clone().ok_or(ConnectError::NotConnected)?;
        let tokens = self.token_manager_for(&settings)?;
        if !tokens.is_connected() {
            return Err(ConnectError::NotConnected);
        }
        Ok(DeskClient::new(
            self.inner.http.clone(),
            settings.endpoints()?.desk_api,
            tokens,
        )
        .with_org(OrgId::new(org)))
    }

    /// Lists organizations; chooses one when there is one (or `preset`), and
    /// its departments.
    async fn discover(
        &self,
        settings: Settings,
        tokens: Arc<TokenManager>,
        preset: Option<&str>,
        warnings: Vec<SetupWarning>,
    ) -> Result<SetupOutcome> {
        let desk_base = settings.endpoints()?.desk_api;
        let desk = DeskClient::new(self.inner.http.clone(), desk_base, tokens.clone());
        let organizations = desk.organizations().list().await?;
        let org = match preset {
            Some(id) => organizations
                .iter()
                .find(|o| o.id.as_str() == id)
                .map(OrgChoice::from)
                .ok_or_else(|| ConnectError::UnknownOrganization(id.to_owned()))?,
            None => match pick_organization(&organizations) {
                OrgPick::One(org) => org,
                OrgPick::None => return Err(ConnectError::NoOrg),
                OrgPick::Choose(organizations) => {
                    return Ok(SetupOutcome::ChooseOrganization { organizations });
                }
            },
        };
        if let Some(found) = organizations.iter().find(|o| o.id.as_str() == org.id) {
            desk.http()
                .set_concurrency_limit(Some(found.concurrency_limit()));
        }
        self.use_organization(settings, desk, org, warnings)
            .await
            .map(|c| SetupOutcome::Connected(Box::new(c)))
    }

    async fn use_organization(
        &self,
        mut settings: Settings,
        desk: DeskClient,
        org: OrgChoice,
        mut warnings: Vec<SetupWarning>,
    ) -> Result<Connection> {
        let desk = desk.with_org(OrgId::new(org.id.clone()));
        let departments =
            DepartmentChoice::from_departments(&desk.departments().list_all(None).await?);
        let support = pick_department(&departments, SUPPORT_DEPARTMENT).cloned();
        let callbacks = pick_department(&departments, CALLBACKS_DEPARTMENT).cloned();
        if support.is_none() {
            warnings.push(SetupWarning::NoSupportDepartment);
        }
        if callbacks.is_none() {
            warnings.push(SetupWarning::NoCallbacksDepartment);
        }
        settings.org_id = Some(org.id.clone());
        settings.org_name = Some(org.name.clone());
        settings.support_department_id = support.as_ref().map(|d| d.id.clone());
        settings.support_department_name = support.as_ref().map(|d| d.name.clone());
        settings.callbacks_department_id = callbacks.as_ref().map(|d| d.id.clone());
        settings.callbacks_department_name = callbacks.as_ref().map(|d| d.name.clone());
        let settings = self.save_settings(settings)?;
        tracing::info!(org = %org.id, "connected to Zoho Desk");
        Ok(Connection {
            organization: org,
            departments,
            support,
            callbacks,
            warnings,
            data_centre: settings.data_centre.clone(),
            data_centre_detected: settings.data_centre_detected,
            sandbox: settings.sandbox,
        })
    }

    /// After [`SetupOutcome::ChooseOrganization`]: uses `org_id`.
    pub async fn choose_organization(&self, org_id: &str) -> Result<Connection> {
        let settings = self.settings()?;
        let tokens = self.token_manager_for(&settings)?;
        match self
            .discover(settings, tokens, Some(org_id), Vec::new())
            .await?
        {
            SetupOutcome::Connected(connection) => Ok(*connection),
            SetupOutcome::ChooseOrganization { .. } => {
                Err(ConnectError::UnknownOrganization(org_id.to_owned()))
            }
        }
    }

    /// The admin picked other departments.
    pub fn choose_departments(
        &self,
        support: &DepartmentChoice,
        callbacks: Option<&DepartmentChoice>,
    ) -> Result<Settings> {
        let mut settings = self.inner.settings.load()?;
        settings.support_department_id = Some(support.id.clone());
        settings.support_department_name = Some(support.name.clone());
        settings.callbacks_department_id = callbacks.map(|d| d.id.clone());
        settings.callbacks_department_name = callbacks.map(|d| d.name.clone());
        self.inner.settings.save(&settings)?;
        self.settings()
    }

    /// Imports a `.env` in the original guide's format; see [`super::env_import`].
    pub async fn import_env(&self, contents: &str) -> Result<SetupOutcome> {
        let imported = super::env_import::parse_env(contents)?;
        let mut settings = self.settings()?;
        imported.apply_to(&mut settings);
        settings.clear_organization();
        let secrets = &self.inner.secrets;
        match &imported.client_secret {
            Some(secret) => {
                secrets.set(SecretName::ClientSecret, &SecretValue::new(secret.expose()))?
            }
            None => secrets.delete(SecretName::ClientSecret)?,
        }
        let settings = self.save_settings(settings)?;
        let tokens = self.token_manager_for(&settings)?;
        tokens.set_tokens(imported.tokens())?;
        self.discover(settings, tokens, imported.org_id.as_deref(), Vec::new())
            .await
    }

    /// Revokes the refresh token at Zoho, then wipes every local secret,
    /// whether or not Zoho could be reached (the report says which).
    /// Non-secret settings stay, so reconnecting needs only the secret.
    pub async fn disconnect(&self) -> Result<DisconnectReport> {
        let settings = self.settings()?;
        let refresh = self.inner.secrets.get(SecretName::RefreshToken);
        let revoke = match refresh {
            Ok(Some(token)) => {
                let accounts =
                    AccountsClient::new(self.inner.http.clone(), settings.endpoints()?.accounts);
                match accounts.revoke(&RefreshToken::new(token.expose())).await {
                    Ok(()) => RevokeOutcome::Revoked,
                    Err(error) => {
                        tracing::warn!(%error, "could not revoke the refresh token at Zoho");
                        RevokeOutcome::NotRevoked {
                            detail: error.to_string(),
                        }
                    }
                }
            }
            Ok(None) => RevokeOutcome::NothingToRevoke,
            Err(error) => RevokeOutcome::NotRevoked {
                detail: error.to_string(),
            },
        };
        self.inner.secrets.wipe()?;
        self.inner.settings.update(Settings::clear_organization)?;
        Ok(DisconnectReport { revoke })
    }

    /// Zoho refused the saved sign-in for good (e.g. an imported access
    /// token expired, with no refresh token): forget the tokens, so that the
    /// status says "Reconnect needed" from now on, also after a restart.
    /// The client secret and the settings stay for the reconnect.
    pub fn record_reconnect_needed(&self) -> Result<()> {
        for name in [
            SecretName::AccessToken,
            SecretName::AccessExpiry,
            SecretName::RefreshToken,
        ] {
            self.inner.secrets.delete(name)?;
        }
        Ok(())
    }

    /// What the status area shows.
    pub fn status(&self) -> Result<ConnectionStatus> {
        let settings = self.settings()?;
        let secrets = &self.inner.secrets;
        let refresh = secrets.get(SecretName::RefreshToken)?.is_some();
        let access = secrets.get(SecretName::AccessToken)?.is_some();
        let access_expired = secrets
            .get(SecretName::AccessExpiry)?
            .and_then(|v| chrono::DateTime::parse_from_rfc3339(v.expose()).ok())
            .is_some_and(|t| t < chrono::Utc::now());
        let usable = refresh || (access && !access_expired);
        let has_org = settings.org_id.is_some();
        Ok(ConnectionStatus {
            connected: usable && has_org,
            reconnect_needed: has_org && !usable,
            org_id: settings.org_id.clone(),
            org_name: settings.org_name.clone(),
            data_centre: settings.data_centre.clone(),
            data_centre_detected: settings.data_centre_detected,
            sandbox: settings.sandbox,
            secrets_in_file: secrets.kind() == StoreKind::File,
        })
    }
}

/// A consent in progress: the listener is bound, the browser was asked to
/// open the page. Show [`consent_url`](Self::consent_url) for "Copy link";
/// use [`handle`](Self::handle) for Cancel and "Paste the address".
pub struct PendingConsent {
    setup: Setup,
    receiver: LoopbackReceiver,
    handle: ReceiverHandle,
    authorization: AuthorizationRequest,
    credentials: ClientCredentials,
    settings: Settings,
    trust: CallbackTrust,
    chosen_dc: Option<String>,
    browser_error: Option<ConnectError>,
}

impl std::fmt::Debug for PendingConsent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingConsent")
            .field("receiver", &self.receiver)
            .field("client_id", &self.credentials.client_id)
            .field("browser_error", &self.browser_error)
            .finish_non_exhaustive()
    }
}

impl PendingConsent {
    /// The consent page's address ("Copy link"). It holds no secret: the
    /// state and PKCE challenge are useless without this process.
    pub fn consent_url(&self) -> &Url {
        &self.authorization.url
    }

    /// `http://localhost:{port}/callback`.
    pub fn redirect_uri(&self) -> String {
        self.receiver.redirect_uri()
    }

    /// Set when the browser did not open: show it with "Copy link".
    pub fn browser_error(&self) -> Option<&ConnectError> {
        self.browser_error.as_ref()
    }

    /// Cancel, or paste the address the browser was sent to.
    pub fn handle(&self) -> ReceiverHandle {
        self.handle.clone()
    }

    /// Cancels (the listener closes; [`finish`](Self::finish) returns `Cancelled`).
    pub fn cancel(&self) {
        self.handle.cancel();
    }

    /// Pastes the address the browser was sent to (instead of waiting).
    pub fn paste(&self, address: &str) {
        self.handle.paste(address);
    }

    /// Waits for the callback, checks it (state, accounts server), exchanges
    /// the code with PKCE at the accounts server it names, saves secrets and
    /// settings, then chooses organization and departments.
    pub async fn finish(self) -> Result<SetupOutcome> {
        let Self {
            setup,
            receiver,
            authorization,
            credentials,
            mut settings,
            trust,
            chosen_dc,
            ..
        } = self;
        let redirect_uri = receiver.redirect_uri();
        let ReceivedCallback { address, .. } = receiver.wait().await?;
        let callback = parse_callback(&address, &authorization.state, &trust)?;
        let accounts =
            AccountsClient::new(setup.inner.http.clone(), callback.accounts_base.clone());
        let grant = accounts
            .exchange_code(
                &credentials,
                &callback.code,
                &redirect_uri,
                Some(&authorization.pkce_verifier),
            )
            .await?;
        // The data centre Zoho reports wins over the one chosen.
        let mut warnings = Vec::new();
        if let Some(detected) = callback.data_centre {
            if let Some(chosen) = chosen_dc.as_deref()
                && !chosen.eq_ignore_ascii_case(detected.location)
            {
                warnings.push(SetupWarning::DataCentreDiffers {
                    chosen: chosen.to_owned(),
                    detected: detected.location.to_owned(),
                });
            }
            settings.data_centre = Some(detected.location.to_owned());
            settings.data_centre_detected = true;
        }
        settings.redirect_port = receiver_port(&redirect_uri).unwrap_or(settings.redirect_port);
        setup
            .finish_with_grant(settings, credentials, accounts, grant, warnings)
            .await
    }
}

fn receiver_port(redirect_uri: &str) -> Option<u16> {
    Url::parse(redirect_uri).ok()?.port()
}
