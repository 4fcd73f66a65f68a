//! What every command stands on: the data dir, the HTTP client, the setup
//! (settings and secrets, as the app opens them) and the Desk connection,
//! either the saved one or the original guide's environment variables.

use std::sync::Arc;
use std::time::Duration;

use zoho_desk::{
    AccountsClient, ClientCredentials, ClientId, ClientSecret, DepartmentId, DeskClient,
    HttpClient, HttpConfig, MemoryTokenStore, OrgId, Priority, RetryPolicy, TokenManager,
};

use super::exit::{CliError, Exit};
use crate::compose::ComposeConfig;
use crate::connect::{
    CALLBACKS_DEPARTMENT, DepartmentChoice, ImportedEnv, SUPPORT_DEPARTMENT, Setup, SetupConfig,
    parse_env, pick_department,
};
use crate::outbox::Outbox;
use crate::secrets::{SecretName, StoreSelection, select_store};
use crate::settings::{DataDir, EnvOverrides, Settings, SettingsFile};

/// What to do when authorization is missing.
pub(super) const RECONNECT_HINT: &str =
    "run `deskctl login` (or set DESK_ACCESS_TOKEN to a fresh access token)";

/// The guide's variables (and the optional client and refresh token that
/// `.env` import also reads).
const ENV_KEYS: [&str; 6] = [
    "DESK_ACCESS_TOKEN",
    "DESK_ORGANIZATION_ID",
    "DESK_API_URL",
    "ZOHO_CLIENT_ID",
    "ZOHO_CLIENT_SECRET",
    "ZOHO_REFRESH_TOKEN",
];

/// `DESK_CHAT_DATA_DIR` or the platform folder, created.
pub(super) fn data_dir() -> Result<DataDir, CliError> {
    let dir = DataDir::resolve()?;
    dir.ensure()?;
    Ok(dir)
}

/// The HTTP client: like the app's, but a command gives up on an
/// unreachable Zoho sooner (the outbox keeps the item; `outbox flush` retries).
pub(super) fn http() -> Result<HttpClient, CliError> {
    HttpClient::new(HttpConfig {
        retry: RetryPolicy {
            max_attempts: 2,
            initial_backoff: Duration::from_millis(200),
            ..RetryPolicy::default()
        },
        connect_timeout: Duration::from_secs(5),
        ..HttpConfig::default()
    })
    .map_err(|e| CliError::failed(e.to_string()))
}

/// The outbox of `data_dir` (the app's), to deliver from: items left
/// `sending` by a process that died are queued again, in doubt.
pub(super) fn outbox(data_dir: &DataDir) -> Result<Outbox, CliError> {
    Ok(Outbox::open(data_dir.outbox_file())?)
}

/// The outbox, only to look at: the app may be sending from it right now.
pub(super) fn outbox_to_read(data_dir: &DataDir) -> Result<Outbox, CliError> {
    Ok(Outbox::open_to_read(data_dir.outbox_file())?)
}

/// The setup over the app's settings and secret store
/// (`DESK_CHAT_SECRET_STORE`, keychain self-test, remembered consent).
pub(super) fn open_setup(data_dir: &DataDir, http: HttpClient) -> Result<Setup, CliError> {
    let settings = SettingsFile::new(data_dir);
    let store = match select_store(data_dir, &settings.load()?)? {
        StoreSelection::Ready(store) => store,
        StoreSelection::NeedsConsent { keychain_error } => {
            return Err(CliError::auth(format!(
                "{keychain_error}. deskctl does not ask: set DESK_CHAT_SECRET_STORE=file to keep the sign-in in a file only you can read (or agree to it once in the app)"
            )));
        }
    };
    Ok(Setup::new(
        settings,
        store.store(),
        SetupConfig {
            overrides: EnvOverrides::from_env()?,
            http: Some(http),
            ..SetupConfig::default()
        },
    )?)
}

fn env_value(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// The guide's environment, read through the `.env` import's parser (same
/// checks, same messages), when `DESK_ACCESS_TOKEN` is set.
pub(super) fn env_access() -> Result<Option<ImportedEnv>, CliError> {
    if env_value("DESK_ACCESS_TOKEN").is_none() {
        return Ok(None);
    }
    let mut text = String::new();
    for key in ENV_KEYS {
        if let Some(value) = env_value(key) {
            if value.contains(['\'', '\n', '\r']) {
                return Err(CliError::usage(format!(
                    "{key} contains a quote or a line break; set it to the value alone"
                )));
            }
            text.push_str(&format!("{key}='{value}'\n"));
        }
    }
    let imported = parse_env(&text).map_err(|e| {
        CliError::usage(e.to_string().replace(
            "the .env file cannot be imported",
            "the environment cannot be used",
        ))
    })?;
    Ok(Some(imported))
}

/// Where the connection comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
    /// `deskctl login` (or the app's setup): settings and secrets.
    Saved,
    /// `DESK_ACCESS_TOKEN` and friends, for this run only.
    Environment,
}

impl Source {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Self::Saved => "saved",
            Self::Environment => "environment",
        }
    }
}

/// A Desk connection with an organization, ready to send.
#[derive(Debug)]
pub(super) struct Target {
    pub desk: DeskClient,
    pub source: Source,
    pub settings: Settings,
    listed: Option<Vec<DepartmentChoice>>,
}

/// The saved connection, or the environment's when `DESK_ACCESS_TOKEN` is set.
pub(super) async fn target(data_dir: &DataDir) -> Result<Target, CliError> {
    let http = http()?;
    if let Some(imported) = env_access()? {
        return env_target(data_dir, http, &imported).await;
    }
    let setup = open_setup(data_dir, http)?;
    let status = setup.status()?;
    if status.reconnect_needed {
        return Err(CliError::auth(format!(
            "the saved sign-in no longer works: {RECONNECT_HINT}"
        )));
    }
    if !status.connected {
        let signed_in = setup.secrets().get(SecretName::RefreshToken)?.is_some()
            || setup.secrets().get(SecretName::AccessToken)?.is_some();
        if signed_in {
            return Err(CliError::auth(
                "signed in, but no Zoho Desk organization is chosen: run `deskctl orgs`, then `deskctl orgs --use ID`",
            ));
        }
        return Err(CliError::auth(format!(
            "Desk Chat is not connected to Zoho Desk: {RECONNECT_HINT}"
        )));
    }
    let desk = setup.desk_client()?;
    Ok(Target {
        desk,
        source: Source::Saved,
        settings: setup.settings()?,
        listed: None,
    })
}

/// A Desk client for the environment's token (no organization yet) and
/// the settings it uses. Nothing is saved.
pub(super) fn env_client(
    data_dir: &DataDir,
    http: HttpClient,
    imported: &ImportedEnv,
) -> Result<(DeskClient, Settings), CliError> {
    let mut settings = SettingsFile::new(data_dir).load()?;
    imported.apply_to(&mut settings);
    EnvOverrides::from_env()?.apply(&mut settings);
    // The saved organization and departments belong to the saved connection.
    settings.clear_organization();
    let endpoints = settings.endpoints()?;
    let accounts = AccountsClient::new(http.clone(), endpoints.accounts);
    let credentials = ClientCredentials::new(
        imported
            .client_id
            .clone()
            .unwrap_or_else(|| ClientId::new("")),
        imported
            .client_secret
            .clone()
            .unwrap_or_else(|| ClientSecret::new("")),
    );
    let tokens = TokenManager::new(
        accounts,
        credentials,
        Arc::new(MemoryTokenStore::with_tokens(imported.tokens())),
    )
    .map_err(|e| CliError::from_desk(&e))?;
    Ok((
        DeskClient::new(http, endpoints.desk_api, Arc::new(tokens)),
        settings,
    ))
}

/// An access-token-only connection: `DESK_ORGANIZATION_ID`, else the
/// account's only organization.
async fn env_target(
    data_dir: &DataDir,
    http: HttpClient,
    imported: &ImportedEnv,
) -> Result<Target, CliError> {
    let (desk, mut settings) = env_client(data_dir, http, imported)?;
    let org = match &imported.org_id {
        Some(org) => org.clone(),
        None => {
            let orgs = desk
                .organizations()
                .list()
                .await
                .map_err(|e| env_error(&e))?;
            match orgs.as_slice() {
                [one] => one.id.as_str().to_owned(),
                [] => {
                    return Err(CliError::auth(
                        "the account of DESK_ACCESS_TOKEN has no Zoho Desk organization",
                    ));
                }
                many => {
                    let ids: Vec<String> = many
                        .iter()
                        .map(|o| format!("{} ({})", o.id.as_str(), o.display_name()))
                        .collect();
                    return Err(CliError::usage(format!(
                        "the account has several organizations: set DESK_ORGANIZATION_ID to one of {}",
                        ids.join(", ")
                    )));
                }
            }
        }
    };
    settings.org_id = Some(org.clone());
    Ok(Target {
        desk: desk.with_org(OrgId::new(org)),
        source: Source::Environment,
        settings,
        listed: None,
    })
}

/// A Desk error in environment mode: the token is the environment's.
pub(super) fn env_error(error: &zoho_desk::Error) -> CliError {
    let mut cli = CliError::from_desk(error);
    if cli.exit == Exit::AuthNeeded {
        cli.message = format!(
            "Zoho Desk did not accept DESK_ACCESS_TOKEN ({error}); get a new token, or run `deskctl login` and unset DESK_ACCESS_TOKEN"
        );
    }
    cli
}

impl Target {
    /// A Desk error, worded for where the token came from.
    pub(super) fn error(&self, error: &zoho_desk::Error) -> CliError {
        match self.source {
            Source::Saved => CliError::from_desk(error),
            Source::Environment => env_error(error),
        }
    }

    /// Every enabled department (fetched once).
    pub(super) async fn departments(&mut self) -> Result<&[DepartmentChoice], CliError> {
        if self.listed.is_none() {
            let all = self
                .desk
                .departments()
                .list_all(None)
                .await
                .map_err(|e| self.error(&e))?;
            self.listed = Some(DepartmentChoice::from_departments(&all));
        }
        Ok(self.listed.as_deref().unwrap_or_default())
    }

    /// The department of a ticket or callback: `wanted` (an id, used as
    /// given, or a name), else the saved one for this kind, else the one
    /// called `Support` / `Callbacks`.
    pub(super) async fn department(
        &mut self,
        wanted: Option<&str>,
        callbacks: bool,
    ) -> Result<DepartmentId, CliError> {
        let (saved_id, saved_name, default_name) = if callbacks {
            (
                self.settings.callbacks_department_id.clone(),
                self.settings.callbacks_department_name.clone(),
                CALLBACKS_DEPARTMENT,
            )
        } else {
            (
                self.settings.support_department_id.clone(),
                self.settings.support_department_name.clone(),
                SUPPORT_DEPARTMENT,
            )
        };
        let wanted = wanted.map(str::trim).filter(|w| !w.is_empty());
        if let Some(w) = wanted {
            if w.bytes().all(|b| b.is_ascii_digit()) {
                return Ok(DepartmentId::new(w));
            }
            if let (Some(id), Some(name)) = (&saved_id, &saved_name)
                && name.trim().eq_ignore_ascii_case(w)
            {
                return Ok(DepartmentId::new(id.clone()));
            }
        } else if let Some(id) = saved_id {
            return Ok(DepartmentId::new(id));
        }
        let name = wanted.unwrap_or(default_name);
        let list = self.departments().await?;
        match pick_department(list, name) {
            Some(d) => Ok(DepartmentId::new(d.id.clone())),
            None => {
                let names: Vec<&str> = list.iter().map(|d| d.name.as_str()).collect();
                Err(CliError::usage(format!(
                    "this Zoho Desk has no department called \"{name}\"; pass --department with one of: {}",
                    names.join(", ")
                )))
            }
        }
    }

    /// The composition settings, with the departments chosen.
    pub(super) fn compose_config(
        &self,
        support: DepartmentId,
        callbacks: DepartmentId,
    ) -> ComposeConfig {
        let mut config = ComposeConfig::new(support, callbacks);
        config.default_priority = parse_priority(&self.settings.default_priority);
        config.reference_field = self.settings.client_reference_field.clone();
        config
    }
}

/// `High`, `Medium` or `Low` (anything else: Medium).
pub(super) fn parse_priority(text: &str) -> Priority {
    match text.trim().to_ascii_lowercase().as_str() {
        "high" => Priority::High,
        "low" => Priority::Low,
        _ => Priority::Medium,
    }
}
