//! What the app and the CLI call at start: the data dir, the settings, the
//! environment's overrides and the secret store, put together into a
//! [`Setup`], or the question to ask first when no keychain works.

use super::error::Result;
use super::flow::{Setup, SetupConfig};
use crate::secrets::{
    ActiveStore, SecretStoreError, StoreSelection, accept_file_store, select_store,
};
use crate::settings::{DataDir, EnvOverrides, SettingsFile};

/// The outcome of [`start_from_env`].
#[derive(Debug)]
pub enum Startup {
    /// Ready. When `secrets.is_file_fallback()`, show the banner saying the
    /// sign-in is kept in a file only this user can read.
    Ready {
        /// The setup core.
        setup: Setup,
        /// Where the data is.
        data_dir: DataDir,
        /// The secret store in use.
        secrets: ActiveStore,
    },
    /// No keychain works and the user has not agreed to the file: ask, then
    /// call [`start_with_file_store`] (or keep asking).
    NeedsSecretStoreConsent {
        /// Where the data is.
        data_dir: DataDir,
        /// Why the keychain could not be used (show it).
        keychain_error: SecretStoreError,
    },
}

/// Resolves `DESK_CHAT_DATA_DIR` (or the platform folder), reads the
/// settings and `ZOHO_ACCOUNTS_URL` / `DESK_API_URL`, selects the secret
/// store (`DESK_CHAT_SECRET_STORE`, keychain self-test, remembered consent).
pub fn start_from_env() -> Result<Startup> {
    let data_dir = DataDir::resolve()?;
    data_dir.ensure()?;
    let settings = SettingsFile::new(&data_dir).load()?;
    match select_store(&data_dir, &settings)? {
        StoreSelection::Ready(secrets) => Ok(Startup::Ready {
            setup: setup_for(&data_dir, &secrets)?,
            data_dir,
            secrets,
        }),
        StoreSelection::NeedsConsent { keychain_error } => Ok(Startup::NeedsSecretStoreConsent {
            data_dir,
            keychain_error,
        }),
    }
}

/// The user agreed to the file store: remember it and go on.
pub fn start_with_file_store(data_dir: &DataDir) -> Result<(Setup, ActiveStore)> {
    let secrets = accept_file_store(data_dir, &SettingsFile::new(data_dir))?;
    Ok((setup_for(data_dir, &secrets)?, secrets))
}

fn setup_for(data_dir: &DataDir, secrets: &ActiveStore) -> Result<Setup> {
    Setup::new(
        SettingsFile::new(data_dir),
        secrets.store(),
        SetupConfig {
            overrides: EnvOverrides::from_env()?,
            ..SetupConfig::default()
        },
    )
}
