//! Non-secret settings: which Zoho data centre, client id, organization,
//! departments, the redirect port, the sandbox flag, and where the app keeps
//! its data.
//!
//! They live in `<data dir>/settings.json` as one flat JSON object (key ->
//! value), which is the format `tauri-plugin-store` reads and writes, so the
//! app's store and this module share one file. Keys this version does not
//! know are kept as they are (a newer version or the UI may have written
//! them). Writes are atomic (temporary file, then rename) so a crash never
//! leaves half a file. Secrets never go here: see [`crate::secrets`].
//!
//! Not here: the keychain, the OAuth flow ([`crate::connect`]).

use std::ffi::OsString;
use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use zoho_desk::{BaseUrl, DataCentre};

/// The app identifier (as in `tauri.conf.json`): the data folder's name.
pub const APP_IDENTIFIER: &str = "com.deskchat.desktop";
/// Moves all app data (tests, CI, portable installs).
pub const DATA_DIR_ENV: &str = "DESK_CHAT_DATA_DIR";
/// Overrides the Zoho Accounts server (tests, proxies).
pub const ACCOUNTS_URL_ENV: &str = "ZOHO_ACCOUNTS_URL";
/// Overrides the Desk API base (tests, proxies).
pub const DESK_API_URL_ENV: &str = "DESK_API_URL";
/// File name of the settings inside the data dir.
pub const SETTINGS_FILE_NAME: &str = "settings.json";
/// The seed guide's redirect port: `http://localhost:8000/callback`.
pub const DEFAULT_REDIRECT_PORT: u16 = 8000;
/// Ticket priority when the chat does not set one.
pub const DEFAULT_PRIORITY: &str = "Medium";

/// What went wrong with settings or the data dir.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// No data dir could be found.
    #[error(
        "this system has no folder for application data; set {DATA_DIR_ENV} to a folder Desk Chat may use"
    )]
    NoDataDir,
    /// Reading or writing failed.
    #[error("could not {action} {path}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// Which file or folder.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// The file exists but is not a JSON object of settings. It is never
    /// overwritten silently: the user may want what is in it.
    #[error("the settings file {path} is damaged ({reason}); fix or delete it, then start again")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// The parse error.
        reason: String,
    },
    /// An override URL is unusable (not https, and not loopback http).
    #[error("{variable} is not usable: {source}")]
    BadOverride {
        /// The environment variable or setting.
        variable: &'static str,
        /// Why.
        #[source]
        source: zoho_desk::Error,
    },
    /// The data centre code is not one of the table.
    #[error("`{0}` is not a known Zoho data centre; choose one from the list")]
    UnknownDataCentre(String),
}

/// The outbox database's file name inside the data dir.
pub const OUTBOX_FILE_NAME: &str = "outbox.sqlite";

/// Where Desk Chat keeps its data: `DESK_CHAT_DATA_DIR` if set, else the
/// platform data dir + [`APP_IDENTIFIER`], which is where Tauri's
/// `app_data_dir()` points (so the app and the CLI share it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir(PathBuf);

impl DataDir {
    /// Resolves from the environment and the platform.
    pub fn resolve() -> Result<Self, SettingsError> {
        Self::resolve_from(std::env::var_os(DATA_DIR_ENV), dirs::data_dir())
    }

    /// [`DataDir::resolve`] with given inputs (pure, for tests).
    pub fn resolve_from(
        env_value: Option<OsString>,
        platform_data_dir: Option<PathBuf>,
    ) -> Result<Self, SettingsError> {
        if let Some(value) = env_value.filter(|v| !v.is_empty()) {
            return Ok(Self(PathBuf::from(value)));
        }
        platform_data_dir
            .map(|dir| Self(dir.join(APP_IDENTIFIER)))
            .ok_or(SettingsError::NoDataDir)
    }

    /// A given folder.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self(path.into())
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// `<dir>/settings.json`.
    pub fn settings_file(&self) -> PathBuf {
        self.0.join(SETTINGS_FILE_NAME)
    }

    /// `<dir>/secrets.json` (only used with the user's consent).
    pub fn secrets_file(&self) -> PathBuf {
        self.0.join("secrets.json")
    }

    /// `<dir>/sandbox-state.json`: the sandbox simulator's tickets and tokens.
    pub fn sandbox_state_file(&self) -> PathBuf {
        self.0.join("sandbox-state.json")
    }

    /// `<dir>/outbox.sqlite`: the outbox and history, shared by the app and `deskctl`.
    pub fn outbox_file(&self) -> PathBuf {
        self.0.join(OUTBOX_FILE_NAME)
    }

    /// Creates the folder (user-only on unix: it may hold the secrets file).
    pub fn ensure(&self) -> Result<(), SettingsError> {
        create_private_dir(&self.0).map_err(|source| SettingsError::Io {
            action: "create the folder",
            path: self.0.clone(),
            source,
        })
    }
}

fn create_private_dir(path: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path)
}

/// Whether the user agreed to keep secrets in a file when no keychain works.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SecretStoreConsent {
    /// Not asked yet (or the keychain has always worked).
    #[default]
    NotAsked,
    /// The user agreed to the user-only file.
    FileAllowed,
    /// The user said no: nothing is kept between runs.
    Declined,
}

/// The settings. Serialised as a flat object with camelCase keys, the
/// shape `tauri-plugin-store` and the UI see. Unset values are omitted.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// The data centre's `location` code (`us`, `eu`, `in`...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_centre: Option<String>,
    /// Whether [`Settings::data_centre`] was reported by Zoho on the
    /// consent callback (it wins over the one chosen in the wizard).
    #[serde(deserialize_with = "null_as_default")]
    pub data_centre_detected: bool,
    /// Accounts server override (tests, proxies, the sandbox).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accounts_url: Option<String>,
    /// Desk API base override (tests, proxies, the sandbox, a `.env` import).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub desk_api_url: Option<String>,
    /// OAuth client id (not a secret).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Port of `http://localhost:{port}/callback`, as registered in the Zoho API console.
    #[serde(deserialize_with = "null_as_default_port")]
    pub redirect_port: u16,
    /// The Desk organization (`orgId` header).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// Its name, to show.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org_name: Option<String>,
    /// Department of chat tickets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support_department_id: Option<String>,
    /// Its name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support_department_name: Option<String>,
    /// Department of callback tickets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callbacks_department_id: Option<String>,
    /// Its name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callbacks_department_name: Option<String>,
    /// Connected to the built-in simulator, not to Zoho.
    #[serde(deserialize_with = "null_as_default")]
    pub sandbox: bool,
    /// API name of a ticket custom field holding the client reference (`cf_...`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_reference_field: Option<String>,
    /// Priority of new tickets (`High`, `Medium`, `Low`).
    #[serde(deserialize_with = "null_as_default_priority")]
    pub default_priority: String,
    /// The user's answer about the secrets file.
    #[serde(deserialize_with = "null_as_default")]
    pub secret_store_consent: SecretStoreConsent,
    /// Keys this version does not know, kept as they were.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

// The store plugin (and the UI through it) may write `null` for a value it
// clears: that means "the default", not a damaged file.
fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

fn null_as_default_port<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<u16, D::Error> {
    Ok(Option::<u16>::deserialize(deserializer)?.unwrap_or(DEFAULT_REDIRECT_PORT))
}

fn null_as_default_priority<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(deserializer)?
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_PRIORITY.to_owned()))
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            data_centre: None,
            data_centre_detected: false,
            accounts_url: None,
            desk_api_url: None,
            client_id: None,
            redirect_port: DEFAULT_REDIRECT_PORT,
            org_id: None,
            org_name: None,
            support_department_id: None,
            support_department_name: None,
            callbacks_department_id: None,
            callbacks_department_name: None,
            sandbox: false,
            client_reference_field: None,
            default_priority: DEFAULT_PRIORITY.to_owned(),
            secret_store_consent: SecretStoreConsent::NotAsked,
            other: Map::new(),
        }
    }
}

// Hand-written so that unknown keys (which might be anything a user or a
// future version put there) are counted, not printed.
impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("data_centre", &self.data_centre)
            .field("data_centre_detected", &self.data_centre_detected)
            .field("accounts_url", &self.accounts_url)
            .field("desk_api_url", &self.desk_api_url)
            .field("client_id", &self.client_id)
            .field("redirect_port", &self.redirect_port)
            .field("org_id", &self.org_id)
            .field("org_name", &self.org_name)
            .field("support_department_id", &self.support_department_id)
            .field("callbacks_department_id", &self.callbacks_department_id)
            .field("sandbox", &self.sandbox)
            .field("client_reference_field", &self.client_reference_field)
            .field("default_priority", &self.default_priority)
            .field("secret_store_consent", &self.secret_store_consent)
            .field("other_keys", &self.other.len())
            .finish()
    }
}

/// The servers to talk to, after overrides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// Zoho Accounts (OAuth).
    pub accounts: BaseUrl,
    /// Desk REST API base.
    pub desk_api: BaseUrl,
    /// Whether the accounts server came from an explicit override (then it
    /// is also trusted as a callback's `accounts-server`).
    pub accounts_overridden: bool,
}

impl Settings {
    /// The data centre, when one is set and known.
    pub fn data_centre(&self) -> Option<&'static DataCentre> {
        self.data_centre
            .as_deref()
            .and_then(DataCentre::by_location)
    }

    /// Sets the data centre by `location` code.
    pub fn set_data_centre(&mut self, location: &str) -> Result<(), SettingsError> {
        let dc = DataCentre::by_location(location)
            .ok_or_else(|| SettingsError::UnknownDataCentre(location.to_owned()))?;
        self.data_centre = Some(dc.location.to_owned());
        Ok(())
    }

    /// `http://localhost:{redirect_port}/callback`: `localhost`, not
    /// `127.0.0.1`, which Zoho is reported to refuse.
    pub fn redirect_uri(&self) -> String {
        redirect_uri(self.redirect_port)
    }

    /// Accounts and Desk servers: the overrides when set, else the data
    /// centre's hosts (US when none was chosen yet, Zoho's default).
    pub fn endpoints(&self) -> Result<Endpoints, SettingsError> {
        let dc = self.data_centre().unwrap_or(&DataCentre::ALL[0]);
        let parse = |value: &str, variable| {
            BaseUrl::parse(value).map_err(|source| SettingsError::BadOverride { variable, source })
        };
        let accounts = match &self.accounts_url {
            Some(url) => parse(url, "accountsUrl")?,
            None => parse(&dc.accounts_base(), "accountsUrl")?,
        };
        let desk_api = match &self.desk_api_url {
            Some(url) => parse(url, "deskApiUrl")?,
            None => parse(dc.desk_api_base, "deskApiUrl")?,
        };
        Ok(Endpoints {
            accounts,
            desk_api,
            accounts_overridden: self.accounts_url.is_some(),
        })
    }

    /// Forgets the organization and departments (a new connection may be
    /// another account).
    pub fn clear_organization(&mut self) {
        self.org_id = None;
        self.org_name = None;
        self.support_department_id = None;
        self.support_department_name = None;
        self.callbacks_department_id = None;
        self.callbacks_department_name = None;
    }
}

/// `http://localhost:{port}/callback`.
pub fn redirect_uri(port: u16) -> String {
    format!("http://localhost:{port}/callback")
}

/// `ZOHO_ACCOUNTS_URL` and `DESK_API_URL`, checked: loopback http is
/// allowed (tests, the sandbox), anything else must be https.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvOverrides {
    /// `ZOHO_ACCOUNTS_URL`.
    pub accounts_url: Option<BaseUrl>,
    /// `DESK_API_URL`.
    pub desk_api_url: Option<BaseUrl>,
}

impl EnvOverrides {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, SettingsError> {
        let read = |name| std::env::var(name).ok();
        Self::from_values(
            read(ACCOUNTS_URL_ENV).as_deref(),
            read(DESK_API_URL_ENV).as_deref(),
        )
    }

    /// From given values (empty means unset).
    pub fn from_values(
        accounts_url: Option<&str>,
        desk_api_url: Option<&str>,
    ) -> Result<Self, SettingsError> {
        let parse = |value: Option<&str>, variable| {
            value
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(|v| {
                    BaseUrl::parse(v)
                        .map_err(|source| SettingsError::BadOverride { variable, source })
                })
                .transpose()
        };
        Ok(Self {
            accounts_url: parse(accounts_url, ACCOUNTS_URL_ENV)?,
            desk_api_url: parse(desk_api_url, DESK_API_URL_ENV)?,
        })
    }

    /// Writes the overrides that are set into `settings`.
    pub fn apply(&self, settings: &mut Settings) {
        if let Some(url) = &self.accounts_url {
            settings.accounts_url = Some(url.to_string());
        }
        if let Some(url) = &self.desk_api_url {
            settings.desk_api_url = Some(url.to_string());
        }
    }

    /// Whether any is set.
    pub fn is_empty(&self) -> bool {
        self.accounts_url.is_none() && self.desk_api_url.is_none()
    }
}

/// The settings file (`<data dir>/settings.json`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsFile {
    path: PathBuf,
}

impl SettingsFile {
    /// The file of `data_dir`.
    pub fn new(data_dir: &DataDir) -> Self {
        Self {
            path: data_dir.settings_file(),
        }
    }

    /// A file at a given path.
    pub fn at(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The settings; defaults when the file does not exist yet.
    pub fn load(&self) -> Result<Settings, SettingsError> {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Settings::default()),
            Err(source) => {
                return Err(SettingsError::Io {
                    action: "read",
                    path: self.path.clone(),
                    source,
                });
            }
        };
        let corrupt = |reason: String| SettingsError::Corrupt {
            path: self.path.clone(),
            reason,
        };
        // Parse as an object first: a bare `[]` or `3` is damage, not defaults.
        let value: Value = serde_json::from_slice(&bytes).map_err(|e| corrupt(e.to_string()))?;
        if !value.is_object() {
            return Err(corrupt("it is not a JSON object".to_owned()));
        }
        serde_json::from_value(value).map_err(|e| corrupt(e.to_string()))
    }

    /// Saves atomically.
    pub fn save(&self, settings: &Settings) -> Result<(), SettingsError> {
        let json = serde_json::to_vec_pretty(settings).map_err(|e| SettingsError::Io {
            action: "encode",
            path: self.path.clone(),
            source: io::Error::other(e),
        })?;
        if let Some(dir) = self.path.parent().filter(|p| !p.as_os_str().is_empty()) {
            create_private_dir(dir).map_err(|source| SettingsError::Io {
                action: "create the folder of",
                path: self.path.clone(),
                source,
            })?;
        }
        write_atomically(&self.path, &json, None).map_err(|source| SettingsError::Io {
            action: "write",
            path: self.path.clone(),
            source,
        })
    }

    /// Loads, changes, saves; returns the saved settings.
    pub fn update(&self, change: impl FnOnce(&mut Settings)) -> Result<Settings, SettingsError> {
        let mut settings = self.load()?;
        change(&mut settings);
        self.save(&settings)?;
        Ok(settings)
    }
}

/// Writes `bytes` to a temporary file next to `path`, flushes it to disk and
/// renames it over `path`, so readers see the old or the new file, never half
/// of one. With `mode` (unix), the temporary file is created with that mode,
/// so a secret is never readable by others, not even for a moment.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8], mode: Option<u32>) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path has no file name"))?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        uuid::Uuid::new_v4().simple()
    ));
    let result = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        if let Some(mode) = mode {
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
        }
        #[cfg(not(unix))]
        let _ = mode;
        let mut file = options.open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_dir_prefers_the_environment_then_the_platform_folder() {
        let from_env = DataDir::resolve_from(
            Some("/tmp/x".into()),
            Some(PathBuf::from("/home/u/.local/share")),
        )
        .unwrap();
        assert_eq!(from_env.path(), Path::new("/tmp/x"));
        let platform =
            DataDir::resolve_from(Some("".into()), Some(PathBuf::from("/home/u/.local/share")))
                .unwrap();
        assert_eq!(
            platform.path(),
            Path::new("/home/u/.local/share/com.deskchat.desktop")
        );
        assert!(matches!(
            DataDir::resolve_from(None, None),
            Err(SettingsError::NoDataDir)
        ));
    }

    #[test]
    fn endpoints_come_from_the_data_centre_unless_overridden() {
        let mut settings = Settings::default();
        settings.set_data_centre("IN").unwrap();
        let endpoints = settings.endpoints().unwrap();
        assert_eq!(endpoints.accounts.as_str(), "https://accounts.zoho.in");
        assert_eq!(endpoints.desk_api.as_str(), "https://desk.zoho.in/api/v1");
        assert!(!endpoints.accounts_overridden);
        settings.accounts_url = Some("http://127.0.0.1:9/".to_owned());
        let endpoints = settings.endpoints().unwrap();
        assert_eq!(endpoints.accounts.as_str(), "http://127.0.0.1:9");
        assert!(endpoints.accounts_overridden);
        assert!(settings.set_data_centre("xx").is_err());
    }

    #[test]
    fn overrides_allow_loopback_http_and_otherwise_only_https() {
        let ok = EnvOverrides::from_values(
            Some("http://127.0.0.1:8090"),
            Some("https://proxy.example/api/v1"),
        )
        .unwrap();
        assert_eq!(ok.accounts_url.unwrap().as_str(), "http://127.0.0.1:8090");
        assert!(matches!(
            EnvOverrides::from_values(None, Some("http://desk.example/api/v1")),
            Err(SettingsError::BadOverride {
                variable: DESK_API_URL_ENV,
                ..
            })
        ));
        assert!(
            EnvOverrides::from_values(Some(""), None)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn redirect_uri_uses_localhost_and_the_port() {
        assert_eq!(
            Settings::default().redirect_uri(),
            "http://localhost:8000/callback"
        );
    }
}
