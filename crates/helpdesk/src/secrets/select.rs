//! Which store holds the secrets: the keychain when its self-test passes;
//! the user-only file only when the user agreed (the answer is remembered
//! in the settings) or when `DESK_CHAT_SECRET_STORE=file` says so.

use std::sync::Arc;

use super::{FileStore, KeyringStore, MemoryStore, SecretStore, SecretStoreError, StoreKind};
use crate::settings::{DataDir, SecretStoreConsent, Settings, SettingsError, SettingsFile};

/// `file` selects the file store without asking (tests, CI); `memory` keeps
/// nothing between runs; anything else (or unset) means the keychain.
pub const SECRET_STORE_ENV: &str = "DESK_CHAT_SECRET_STORE";

/// The store in use, and whether the app must show the "kept in a file" banner.
#[derive(Debug, Clone)]
pub struct ActiveStore {
    store: Arc<dyn SecretStore>,
    file_fallback: bool,
}

impl ActiveStore {
    /// A store chosen by the caller (tests, the sandbox).
    pub fn new(store: Arc<dyn SecretStore>) -> Self {
        let file_fallback = store.kind() == StoreKind::File;
        Self {
            store,
            file_fallback,
        }
    }

    /// The store.
    pub fn store(&self) -> Arc<dyn SecretStore> {
        self.store.clone()
    }

    /// Whether secrets are in the file instead of the keychain: show a banner.
    pub fn is_file_fallback(&self) -> bool {
        self.file_fallback
    }

    /// Which kind of store.
    pub fn kind(&self) -> StoreKind {
        self.store.kind()
    }
}

/// The outcome of [`select_store`].
#[derive(Debug)]
pub enum StoreSelection {
    /// Ready to use.
    Ready(ActiveStore),
    /// No keychain works and the user has not agreed to the file: ask
    /// (show why), then call [`accept_file_store`].
    NeedsConsent {
        /// Why the keychain could not be used.
        keychain_error: SecretStoreError,
    },
}

/// Selects from the environment, the keychain's self-test and the
/// remembered consent.
pub fn select_store(
    data_dir: &DataDir,
    settings: &Settings,
) -> Result<StoreSelection, SecretStoreError> {
    let choice = std::env::var(SECRET_STORE_ENV).ok();
    select_store_with(data_dir, settings, choice.as_deref(), || {
        KeyringStore::open().map(|k| Arc::new(k) as Arc<dyn SecretStore>)
    })
}

/// [`select_store`] with the environment value and the keychain given
/// (so that tests can play a keychain that fails).
pub fn select_store_with(
    data_dir: &DataDir,
    settings: &Settings,
    env_choice: Option<&str>,
    open_keychain: impl FnOnce() -> Result<Arc<dyn SecretStore>, SecretStoreError>,
) -> Result<StoreSelection, SecretStoreError> {
    match env_choice.map(str::trim) {
        Some("file") => return file(data_dir),
        Some("memory") => {
            return Ok(StoreSelection::Ready(ActiveStore::new(Arc::new(
                MemoryStore::new(),
            ))));
        }
        _ => {}
    }
    match open_keychain() {
        Ok(store) => Ok(StoreSelection::Ready(ActiveStore::new(store))),
        Err(keychain_error) => {
            tracing::warn!(error = %keychain_error, "the system keychain is not usable");
            match settings.secret_store_consent {
                SecretStoreConsent::FileAllowed => file(data_dir),
                SecretStoreConsent::NotAsked | SecretStoreConsent::Declined => {
                    Ok(StoreSelection::NeedsConsent { keychain_error })
                }
            }
        }
    }
}

fn file(data_dir: &DataDir) -> Result<StoreSelection, SecretStoreError> {
    Ok(StoreSelection::Ready(ActiveStore::new(Arc::new(
        FileStore::open(data_dir)?,
    ))))
}

/// The user agreed to the file store: remember it, and open it.
pub fn accept_file_store(
    data_dir: &DataDir,
    settings: &SettingsFile,
) -> Result<ActiveStore, AcceptError> {
    settings.update(|s| s.secret_store_consent = SecretStoreConsent::FileAllowed)?;
    Ok(ActiveStore::new(Arc::new(FileStore::open(data_dir)?)))
}

/// Why [`accept_file_store`] failed.
#[derive(Debug, thiserror::Error)]
pub enum AcceptError {
    /// The choice could not be remembered.
    #[error(transparent)]
    Settings(#[from] SettingsError),
    /// The file could not be opened.
    #[error(transparent)]
    Store(#[from] SecretStoreError),
}
